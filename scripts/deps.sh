#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the benchmark need, only when one is missing.
# Runs apt-get as root (or through sudo); prints nothing when everything is already there.
set -euo pipefail
packages=(build-essential pkg-config libmicrohttpd-dev libpq-dev libjansson-dev libjwt-dev
	libsodium-dev libcmocka-dev libcurl4-openssl-dev postgresql postgresql-client wrk
	postgresql-contrib clang-format)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
