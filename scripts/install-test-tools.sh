#!/usr/bin/env bash
# Installs the reference tools the FITS tests and benchmarks compare against: Debian's astropy (for
# /usr/bin/python3), fitsverify (HEASARC's FITS checker) and SExtractor (bench:single-frame's peer); and
# Debian's Chromium, which the dashboard's browser test drives headless through playwright-core.
# Idempotent: installs only what is missing. Needs root or sudo.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
SERVICE_NAME=install-test-tools

packages=()
/usr/bin/python3 -c 'import astropy.io.fits' >/dev/null 2>&1 || packages+=(python3-astropy)
command -v fitsverify >/dev/null 2>&1 || packages+=(fitsverify)
# SExtractor: the peer bench:single-frame measures detection against (Debian names the binary source-extractor).
command -v source-extractor >/dev/null 2>&1 || command -v sex >/dev/null 2>&1 || packages+=(source-extractor)
# Chromium: playwright-core launches /usr/bin/chromium (it downloads no browser of its own).
[ -x /usr/bin/chromium ] || packages+=(chromium)
((${#packages[@]} == 0)) || apt_install "${packages[@]}"
