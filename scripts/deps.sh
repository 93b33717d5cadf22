#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the benchmark need, only when one is missing.
# Runs apt-get as root (or through sudo); prints nothing when everything is already there.
# prometheus is there for promtool (make test checks /metrics and the alert rules with it); its
# server is never started (policy-rc.d below). clang builds the fuzz targets (make fuzz, and make
# test's smoke run of them); libFuzzer's runtime is in libclang-rt-14-dev, which Debian 12's clang
# (clang 14) brings only as a recommendation, and recommendations are not installed here.
#
# The tests and make run start their own RabbitMQ node (scripts/rabbitmq.sh), never the system's: a
# policy-rc.d that denies every start keeps rabbitmq-server's postinst from starting a system broker
# (5672, with epmd on 4369) during the install. An existing policy-rc.d is the administrator's and
# is left alone. Should a broker or an epmd have started all the same, it is stopped.
set -euo pipefail
packages=(build-essential pkg-config libmicrohttpd-dev libpq-dev libjansson-dev libjwt-dev
	libsodium-dev libcmocka-dev libcurl4-openssl-dev postgresql postgresql-client wrk
	postgresql-contrib clang-format rabbitmq-server librabbitmq-dev python3-aiosmtpd chromium
	chromium-driver prometheus zip unzip clang libclang-rt-14-dev)
# Node.js and npm for the npm tools (package-lock.json: Swagger UI for the build, linters, newman,
# prism): the machine's own when it has them, else Debian's.
command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive

# The Erlang VMs and epmds running, but for the private nodes of rabbitmq.sh (marked in their
# environment).
erlang_pids() {
	local pid
	for pid in $(pgrep -x 'beam\.smp|epmd' || true); do
		$sudo grep -qzs '^OFICINA_RABBITMQ_DIR=' "/proc/$pid/environ" || echo "$pid"
	done
}
before=$(erlang_pids)
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	trap '$sudo rm -f "$policy"' EXIT
	printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
	$sudo chmod 755 "$policy"
fi

$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

if [[ " ${missing[*]} " == *" rabbitmq-server "* ]]; then
	# Under systemd the units are enabled: they would start at the next boot.
	if [ -d /run/systemd/system ]; then
		$sudo systemctl disable --now rabbitmq-server.service epmd.socket epmd.service >/dev/null 2>&1 || true
	fi
	for pid in $(erlang_pids); do
		grep -qx "$pid" <<<"$before" || $sudo kill "$pid" 2>/dev/null || true
	done
fi
