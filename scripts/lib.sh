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
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not stop after ${wait_s}s; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # a concurrent start may have written a new PID meanwhile: remove the file only if it is still ours
  [ "$(cat "$file" 2>/dev/null)" = "$pid" ] && rm -f "$file"
  return 0
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

# deb_installed PKG: true when the package is installed (not merely known, e.g. removed with its config).
deb_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

# apt_install PKG...: install Debian packages that are missing (apt-get update once per call). Waits for
# a concurrent apt/dpkg run instead of failing; apt's chatter is shown only when it fails.
apt_install() {
  local missing=() p
  for p in "$@"; do deb_installed "$p" || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo="" out t0=$SECONDS
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  out=$(mktemp)
  if ! { $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
      --no-install-recommends "${missing[@]}"; } >"$out" 2>&1; then
    tail -n 20 "$out" >&2
    rm -f "$out"
    die "installing ${missing[*]} failed (apt-get output above)"
  fi
  rm -f "$out"
  log "installed ${missing[*]} in $((SECONDS - t0)) s"
}
