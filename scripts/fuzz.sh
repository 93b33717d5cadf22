#!/usr/bin/env bash
# Runs the fuzz targets of a fuzz build (make fuzz-build; fuzz/README.md), one after the other,
# and fails when any of them finds a crash, a sanitizer report, a leak or a broken property.
#
#   scripts/fuzz.sh [-t SECONDS] [-r RUNS] [--smoke] BUILD_DIR [TARGET ...]
#
#   -t SECONDS  how long each target runs at most (default 60)
#   -r RUNS     and how many inputs it runs at most (default: no limit but the time)
#   --smoke     a few seconds each (3), from the seeds alone: make test's check that every target
#               still runs clean; what it finds is thrown away
#   TARGET      fuzz_placa or placa; none: every target of BUILD_DIR/fuzz
#
# Each target starts from its seeds in fuzz/corpus/<name>/ (read only: libFuzzer writes only to
# the first directory it is given) and from what earlier runs kept in BUILD_DIR/corpus/<name>/,
# where the inputs it finds now go too; fuzz/corpus/ in the repository is never written. A
# crashing input is written to BUILD_DIR/artifacts/<name>/ and named in the output. A
# fuzz/<name>.dict, when there is one, is given to libFuzzer as its dictionary.
set -uo pipefail
cd "$(dirname "$0")/.."
usage() {
	echo "usage: scripts/fuzz.sh [-t SECONDS] [-r RUNS] [--smoke] BUILD_DIR [TARGET ...]" >&2
	exit 2
}
seconds=60 runs="" smoke=""
while [ $# -gt 0 ]; do
	case $1 in
	-t) [ $# -ge 2 ] || usage; seconds=$2; shift 2 ;;
	-r) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
	--smoke) smoke=1 seconds=3; shift ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
build=$1
shift
[[ $seconds =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || usage
[[ -z $runs || $runs =~ ^[0-9]+$ ]] || usage

targets=()
if [ $# -eq 0 ]; then
	for bin in "$build"/fuzz/fuzz_*; do
		[[ -x $bin && $bin != *.[od] ]] && targets+=("$(basename "$bin")")
	done
else
	for t in "$@"; do targets+=("fuzz_${t#fuzz_}"); done
fi
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz target in $build/fuzz (make fuzz-build)" >&2; exit 1; }

# Leaks count as findings; a report ends the run with a crash libFuzzer keeps.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
for t in "${targets[@]}"; do
	name=${t#fuzz_}
	bin=$build/fuzz/$t
	seeds=fuzz/corpus/$name
	[ -x "$bin" ] || { echo "no $bin (make fuzz-build)" >&2; failed+=("$t"); continue; }
	[ -d "$seeds" ] || { echo "no seeds in $seeds" >&2; failed+=("$t"); continue; }
	if [ -n "$smoke" ]; then
		corpus=$build/smoke/$name
		rm -rf "$corpus"
	else
		corpus=$build/corpus/$name
	fi
	artifacts=$build/artifacts/$name
	mkdir -p "$corpus" "$artifacts"
	args=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/")
	[ -n "$runs" ] && args+=(-runs="$runs")
	[ -f "fuzz/$name.dict" ] && args+=(-dict="fuzz/$name.dict")
	log=$build/fuzz-$name.log
	echo "== $t: ${seconds}s${runs:+ or $runs inputs}"
	start=$SECONDS
	if "$bin" "${args[@]}" "$corpus" "$seeds" >"$log" 2>&1; then
		grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|^#[0-9]+.*DONE' "$log" | sed 's/^/   /'
		echo "   seconds: $((SECONDS - start))"
	else
		failed+=("$t")
		echo "   FAILED: the input is under $artifacts/; the end of $log:"
		tail -n 40 "$log" | sed 's/^/   /'
	fi
	[ -z "$smoke" ] || rm -rf "$corpus"
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: FAILED: ${failed[*]}"
	exit 1
fi
echo "fuzz: ${#targets[@]} targets ran clean"
