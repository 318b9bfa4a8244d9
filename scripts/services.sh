#!/usr/bin/env bash
# Starts, stops and reports the local services the tests and `npm start -- --real` use:
# PostgreSQL (the machine's), Apache Kafka (KRaft, from Maven Central jars) and Ceph RGW.
# usage: scripts/services.sh up|down|status [postgres|kafka|rgw ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
action=${1:-status}
shift || true
all=(postgres kafka rgw)
services=("$@")
((${#services[@]})) || services=("${all[@]}")

case "$action" in
  up)
    for s in "${services[@]}"; do bash "$here/services/$s.sh" up; done
    ;;
  down)
    # stop in reverse order: consumers of a service go before what they depend on
    for ((i = ${#services[@]} - 1; i >= 0; i--)); do bash "$here/services/${services[i]}.sh" down; done
    ;;
  status)
    rc=0
    for s in "${services[@]}"; do bash "$here/services/$s.sh" status || rc=1; done
    exit $rc
    ;;
  *)
    echo "usage: $0 up|down|status [${all[*]}]" >&2
    exit 2
    ;;
esac
