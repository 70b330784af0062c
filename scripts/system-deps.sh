#!/usr/bin/env bash
# What the browser tests need from the system: Debian's Chromium (or $CHROMIUM_PATH), nginx
# (or $NGINX_PATH), a CJK font so Chinese labels render, and GDAL's ogr2ogr, which the
# data-exchange tests read exported files back with. Silent when all are there. Run as root
# on Debian it installs what is missing; otherwise it stops with the apt-get line to run.
#
# SYSTEM_DEPS_DRY_RUN=1 prints the commands a root install would run instead of running
# them (to try the script on a machine that has everything).
set -euo pipefail

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
nginx=${NGINX_PATH:-/usr/sbin/nginx}

# Fills `packages` with the Debian packages still needed, `missing` with what was looked for.
check() {
  packages=()
  missing=()
  if [ ! -x "$chromium" ]; then packages+=(chromium); missing+=("$chromium"); fi
  if [ ! -x "$nginx" ]; then packages+=(nginx); missing+=("$nginx"); fi
  if ! command -v fc-list >/dev/null; then
    packages+=(fontconfig fonts-wqy-microhei)
    missing+=(fc-list "a CJK font")
  # Not grep -q: it would stop reading at the first match, and fc-list, killed by SIGPIPE,
  # would fail the pipeline under pipefail.
  elif ! fc-list | grep -iE 'wenquanyi|wqy|noto sans cjk' >/dev/null; then
    packages+=(fonts-wqy-microhei)
    missing+=("a CJK font")
  fi
  if ! command -v ogr2ogr >/dev/null; then packages+=(gdal-bin); missing+=(ogr2ogr); fi
  return 0
}

# "a, b and c"
listed() {
  local out=$1
  shift
  while [ $# -gt 1 ]; do out+=", $1"; shift; done
  [ $# -eq 1 ] && out+=" and $1"
  echo "$out"
}

check
[ ${#packages[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "The browser tests need $(listed "${missing[@]}"), missing here; run: sudo apt-get install ${packages[*]}" >&2
  exit 1
fi

run() {
  if [ -n "${SYSTEM_DEPS_DRY_RUN:-}" ]; then echo "would run: $*"; else "$@"; fi
}

echo "installing for the browser tests: ${packages[*]}"
# The nginx package would start a system nginx on port 80 (or fail to install when the port
# is taken); the tests run their own. Debian's policy-rc.d hook (exit 101: start nothing)
# prevents that, unless the machine has a policy of its own, which is left as it is.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  run sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
  trap 'run rm -f /usr/sbin/policy-rc.d' EXIT
fi
run apt-get update -qq
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"

[ -n "${SYSTEM_DEPS_DRY_RUN:-}" ] && exit 0
# A CHROMIUM_PATH or NGINX_PATH pointing elsewhere is not fixed by the packages.
check
if [ ${#packages[@]} -gt 0 ]; then
  echo "Still missing after apt-get install: $(listed "${missing[@]}")" >&2
  exit 1
fi
