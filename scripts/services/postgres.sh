#!/usr/bin/env bash
# PostgreSQL for the tests and the local loop. The machine usually runs its own cluster on
# 127.0.0.1:5432 (trust auth); this script checks it, starts it only if it is stopped (and then
# remembers that it did, so `down` stops only what it started), and creates the role and databases
# the project uses. Installs Debian's server only where none exists.
set -euo pipefail
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
SERVICE_NAME=postgres

PG_HOST=127.0.0.1
PG_PORT=${PP_PG_PORT:-5432}
PG_ROLE=prompt
PG_DATABASES=(prompt_test prompt_dev)
dir="$PP_SERVICES_DIR/postgres"
started_marker="$dir/started-by-project"

ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 1; }
as_admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres "$@"; }

cluster_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }

start_cluster() {
  local version
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt_install postgresql
  fi
  version=$(cluster_version)
  [ -n "$version" ] || die "no PostgreSQL cluster under /etc/postgresql; create one with pg_createcluster"
  log "starting PostgreSQL $version cluster 'main'"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  mkdir -p "$dir"
  echo "$version" >"$started_marker"
}

ensure_role_and_databases() {
  as_admin -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
        CREATE ROLE $PG_ROLE LOGIN CREATEDB;
      END IF;
    END \$\$;"
  local db
  for db in "${PG_DATABASES[@]}"; do
    if [ -z "$(as_admin -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
      as_admin -c "CREATE DATABASE $db OWNER $PG_ROLE"
    fi
  done
}

write_env() {
  mkdir -p "$dir"
  cat >"$dir/postgres.env" <<ENV
PGHOST=$PG_HOST
PGPORT=$PG_PORT
PGUSER=$PG_ROLE
DATABASE_URL=postgresql://$PG_ROLE@$PG_HOST:$PG_PORT/prompt_test
DEV_DATABASE_URL=postgresql://$PG_ROLE@$PG_HOST:$PG_PORT/prompt_dev
ENV
}

up() {
  local t0=$SECONDS
  if ! ready; then
    start_cluster
    wait_until 30 "PostgreSQL" ready || die "PostgreSQL did not accept connections on $PG_HOST:$PG_PORT within 30 s"
  fi
  ensure_role_and_databases
  write_env
  log "up in $((SECONDS - t0)) s ($PG_HOST:$PG_PORT, role $PG_ROLE, databases ${PG_DATABASES[*]})"
}

down() {
  if [ -f "$started_marker" ]; then
    log "stopping the cluster this project started"
    pg_ctlcluster --skip-systemctl-redirect "$(cat "$started_marker")" main stop || true
    rm -f "$started_marker"
  else
    log "left running: the machine's own cluster, not started by this project"
  fi
}

status() {
  if ready; then
    local version rss pid
    version=$(as_admin -Atc 'SHOW server_version' 2>/dev/null || echo '?')
    pid=$(head -n 1 "$(as_admin -Atc 'SHOW data_directory')/postmaster.pid" 2>/dev/null || true)
    rss=$([ -n "$pid" ] && awk '/VmRSS/ {printf "%dMB", $2/1024}' "/proc/$pid/status" 2>/dev/null || echo '?')
    echo "postgres: up pid=${pid:-?} $PG_HOST:$PG_PORT rss=${rss:-?} version=$version"
  else
    echo "postgres: down"
    return 1
  fi
}

case "${1:-status}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) die "usage: $0 up|down|status" ;;
esac
