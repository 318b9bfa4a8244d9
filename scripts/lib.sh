# Shared shell helpers for the local-service scripts (sourced, not run).
# Every service keeps its data, logs, PID files and env file under $PP_SERVICES_DIR/<service>/,
# which is git-ignored. Caches of downloaded artifacts live outside the checkout.

PP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PP_SERVICES_DIR="${PP_SERVICES_DIR:-$PP_ROOT/.services}"
PP_CACHE_DIR="${PP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/prompt-processing}"

log() { printf '[%s] %s\n' "${SERVICE_NAME:-services}" "$*" >&2; }
die() { printf '[%s] error: %s\n' "${SERVICE_NAME:-services}" "$*" >&2; exit 1; }

# pid_alive FILE: true when FILE holds the PID of a running process.
pid_alive() {
  local file=$1 pid
  [ -s "$file" ] || return 1
  pid=$(cat "$file" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# stop_pid FILE [SECONDS]: TERM the process in FILE, wait up to SECONDS (default 20), then KILL.
# Only ever signals the PID recorded by our own start, never a process found by name.
stop_pid() {
  local file=$1 wait_s=${2:-20} pid i
  if ! pid_alive "$file"; then rm -f "$file"; return 0; fi
  pid=$(cat "$file")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$file"; return 0; }
    sleep 0.1
  done
  log "pid $pid did not stop after ${wait_s}s; sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
}

# wait_until SECONDS DESCRIPTION COMMAND...: retry COMMAND every 0.2 s until it succeeds or time runs out.
wait_until() {
  local limit=$1 what=$2 start
  shift 2
  start=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    if (($(date +%s) - start >= limit)); then return 1; fi
    sleep 0.2
  done
  log "$what ready after $(($(date +%s) - start)) s"
}

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# apt_install PKG...: install Debian packages that are missing (apt-get update once per call).
apt_install() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
