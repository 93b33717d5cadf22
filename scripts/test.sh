#!/usr/bin/env bash
# Runs every test binary of the given build directories (unit, integration, end-to-end) against one
# throw-away PostgreSQL cluster, one RabbitMQ node and one SMTP sink, each on a free port, then stops
# them. Exits non-zero when any test fails, and ends with the plain line "N passed, N failed"
# (counted in test binaries).
#
#   scripts/test.sh [--unit] [--only NAME] [--fuzz FUZZ_DIR] BUILD_DIR [BUILD_DIR ...]
#
#   --unit       only tests/unit, and no cluster, broker or sink: unit tests need none (make unit)
#   --only NAME  only the binaries named NAME, e.g. test_replica (make test T=NAME); none is an error
#   --fuzz DIR   also every fuzz target of the fuzz build DIR for a few seconds from its seeds
#                (scripts/fuzz.sh --smoke), each counted as one test binary: a crash, a sanitizer
#                report or a broken property fails it
#
# The tests find them in the environment: TEST_DATABASE_URL, TEST_PGDIR, TEST_PGPORT (pg.sh);
# TEST_AMQP_URL, TEST_AMQP_PORT, TEST_RABBITMQ_DIR (`scripts/rabbitmq.sh stop|start|ctl` on it:
# broker outages, list_queues, purge_queue); TEST_SMTP_URL, and TEST_MAILDIR where every e-mail the
# sink accepts becomes one file in new/ (smtp-sink.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
usage() {
	echo "usage: scripts/test.sh [--unit] [--only NAME] [--fuzz FUZZ_DIR] BUILD_DIR [BUILD_DIR ...]" >&2
	exit 2
}
kinds=(unit integration e2e) only="" cluster=1 fuzz=""
while [ $# -gt 0 ]; do
	case $1 in
	--unit) kinds=(unit) cluster=""; shift ;;
	--only) [ $# -ge 2 ] || usage; only=$2; shift 2 ;;
	--fuzz) [ $# -ge 2 ] || usage; fuzz=$2; shift 2 ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage

mkdir -p .data
pgdir=$(mktemp -d "$PWD/.data/test-pg.XXXXXX")
mqdir="" smtpdir=""
cleanup() {
	# The broker takes a second or two to stop: meanwhile the others stop.
	[ -z "$mqdir" ] || scripts/rabbitmq.sh stop "$mqdir" &
	[ -z "$cluster" ] || scripts/pg.sh stop "$pgdir"
	[ -z "$smtpdir" ] || scripts/smtp-sink.sh stop "$smtpdir"
	wait
	rm -rf "$pgdir" "$pgdir.initdb.log" ${mqdir:+"$mqdir"} ${smtpdir:+"$smtpdir"}
}
trap cleanup EXIT
. scripts/ports.sh # free_port

# start_on_free_port DIR COMMAND...: runs `COMMAND start DIR PORT` (COMMAND: a server script,
# possibly behind env) on a free port, trying a few times (a port can be taken between the check
# and the bind); sets started_url (what the script prints) and started_port.
start_on_free_port() {
	local dir=$1
	shift
	for _ in 1 2 3; do
		started_port=$(free_port) || return 1
		started_url=$("$@" start "$dir" "$started_port") && return 0
	done
	return 1
}

if [ -n "$cluster" ]; then
	start_on_free_port "$pgdir" env PG_FAST=1 scripts/pg.sh ||
		{ echo "could not start PostgreSQL" >&2; exit 1; }
	export TEST_DATABASE_URL=$started_url TEST_PGDIR=$pgdir TEST_PGPORT=$started_port

	mqdir=$(mktemp -d "$PWD/.data/test-rabbitmq.XXXXXX")
	start_on_free_port "$mqdir" scripts/rabbitmq.sh || { echo "could not start RabbitMQ" >&2; exit 1; }
	export TEST_AMQP_URL=$started_url TEST_AMQP_PORT=$started_port TEST_RABBITMQ_DIR=$mqdir

	smtpdir=$(mktemp -d "$PWD/.data/test-smtp.XXXXXX")
	start_on_free_port "$smtpdir" scripts/smtp-sink.sh ||
		{ echo "could not start the SMTP sink" >&2; exit 1; }
	export TEST_SMTP_URL=$started_url TEST_MAILDIR=$smtpdir/maildir
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0 failed=0 failures=()
# run_one BIN [COMMAND ...]: runs COMMAND (BIN itself by default) and counts it as BIN.
run_one() {
	local bin=$1 log
	shift
	[ $# -gt 0 ] || set -- "$bin"
	log="$pgdir.$(basename "$bin").log"
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf '  ok    %s\n' "$bin"
	else
		failed=$((failed + 1))
		failures+=("$bin")
		printf '  FAIL  %s\n' "$bin"
		sed 's/^/        /' "$log" | tail -n 60
	fi
	rm -f "$log"
}

for build in "$@"; do
	echo "== $build"
	export OFICINA_BIN=$PWD/$build/oficina OFICINA_AUTHORIZER_BIN=$PWD/$build/oficina-authorizer
	if [ -n "$cluster" ]; then
		DATABASE_URL=$TEST_DATABASE_URL "$OFICINA_BIN" migrate up >/dev/null || { echo "migrate up failed" >&2; exit 1; }
	fi
	for kind in "${kinds[@]}"; do
		for bin in $(find "$build/tests/$kind" -type f -name "${only:-test_*}" ! -name '*.[od]' 2>/dev/null | sort); do
			run_one "$bin"
		done
	done
	# The authorizer's tests once more on its Lambda package (make authorizer-package): the
	# bootstrap unzipped, with lib/ first on LD_LIBRARY_PATH as Lambda sets it.
	authz=$build/tests/integration/test_authorizer
	if [ -f "$build/oficina-authorizer.zip" ] && [ -x "$authz" ] && [[ -z $only || $only == test_authorizer ]]; then
		pkg=$(mktemp -d "$PWD/.data/authorizer-package.XXXXXX")
		unzip -q "$build/oficina-authorizer.zip" -d "$pkg"
		OFICINA_AUTHORIZER_BIN=$pkg/bootstrap LD_LIBRARY_PATH=$pkg/lib run_one "$authz"
		rm -rf "$pkg"
	fi
done

if [ -n "$fuzz" ]; then
	echo "== $fuzz (each fuzz target for 3 s from its seeds: scripts/fuzz.sh --smoke)"
	fuzz_bins=$(find "$fuzz/fuzz" -type f -name 'fuzz_*' ! -name '*.[od]' 2>/dev/null | sort)
	if [ -z "$fuzz_bins" ]; then
		# Asked for and not there: a failure, never a silent skip.
		failed=$((failed + 1))
		failures+=("$fuzz/fuzz (no fuzz target built: make fuzz-build)")
		echo "  FAIL  no fuzz target under $fuzz/fuzz"
	fi
	for bin in $fuzz_bins; do
		run_one "$bin" scripts/fuzz.sh --smoke "$fuzz" "$(basename "$bin")"
	done
fi

echo
if [ $((passed + failed)) -eq 0 ]; then
	echo "no test binary${only:+ named $only} under $* (build it first)" >&2
	echo "0 passed, 0 failed"
	exit 1
fi
[ $failed -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
