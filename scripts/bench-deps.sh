#!/usr/bin/env bash
# Installs the peers of `npm run bench` when they are missing: SUNDIALS CVODE (Debian
# `libsundials-dev`, plus a C compiler) and SciPy (Debian `python3-scipy`). Idempotent and quiet
# when everything is there; exits non-zero when an install fails.
set -euo pipefail

missing=()
[ -f /usr/include/cvode/cvode.h ] || missing+=(libsundials-dev)
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
python3 -c "import scipy.integrate" >/dev/null 2>&1 || missing+=(python3-scipy)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "bench-deps: installing ${missing[*]} (Debian packages)" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
