#!/usr/bin/env bash
# Installs the reference tools the FITS tests compare against: Debian's astropy (for /usr/bin/python3)
# and fitsverify (HEASARC's FITS checker). Idempotent: installs only what is missing. Needs root or sudo.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
SERVICE_NAME=install-test-tools

packages=()
/usr/bin/python3 -c 'import astropy.io.fits' >/dev/null 2>&1 || packages+=(python3-astropy)
command -v fitsverify >/dev/null 2>&1 || packages+=(fitsverify)
((${#packages[@]} == 0)) || apt_install "${packages[@]}"
