#!/usr/bin/env bash
# Installs the reference tools the FITS tests compare against: Debian's astropy (for /usr/bin/python3)
# and fitsverify (HEASARC's FITS checker). Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail

missing=()
/usr/bin/python3 -c 'import astropy.io.fits' >/dev/null 2>&1 || missing+=(python3-astropy)
command -v fitsverify >/dev/null 2>&1 || missing+=(fitsverify)

if ((${#missing[@]} == 0)); then
  echo "install-test-tools: astropy and fitsverify already present"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-test-tools: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-test-tools: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
