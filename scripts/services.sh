#!/usr/bin/env bash
# Starts, stops and reports the local services the tests and `npm start -- --real` use:
# PostgreSQL (the machine's), Apache Kafka (KRaft, from Maven Central jars) and Ceph RGW.
# usage: scripts/services.sh up|down|status [postgres|kafka|rgw ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
action=${1:-status}
shift || true
all=(postgres kafka rgw)
services=("$@")
((${#services[@]})) || services=("${all[@]}")

# One up/down at a time (a test run's automatic start racing a manual stop, say); status never waits.
# flock -o holds the lock in flock itself, so the daemons started below never inherit it.
if { [ "$action" = up ] || [ "$action" = down ]; } && [ -z "${PP_SERVICES_LOCKED:-}" ]; then
  mkdir -p "$PP_SERVICES_DIR"
  export PP_SERVICES_LOCKED=1
  exec flock -o -w 900 "$PP_SERVICES_DIR/.services.lock" bash "${BASH_SOURCE[0]}" "$action" "${services[@]}"
fi

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
