#!/usr/bin/env bash
# Lints docs/openapi.yaml with Redocly (recommended rules; the few exceptions, each a fact of the
# API, are in .redocly.lint-ignore.yaml) and Spectral (spectral:oas, .spectral.yaml, which also
# validates every example against its schema). A warning fails like an error: the document stays
# clean. The tools come from node_modules (package-lock.json, npm ci).
set -uo pipefail
cd "$(dirname "$0")/.."
bin=node_modules/.bin
[ -x "$bin/redocly" ] && [ -x "$bin/spectral" ] || { echo "lint-openapi: run npm ci first" >&2; exit 2; }
bad=0
out=$(REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$bin/redocly" lint docs/openapi.yaml --format=stylish 2>&1)
rc=$?
if [ $rc -ne 0 ] || grep -qE '(warning|error) ' <<<"$out"; then
	grep -E '(warning|error) ' <<<"$out"
	echo "lint-openapi: redocly FAILED"
	bad=1
fi
if ! out=$("$bin/spectral" lint docs/openapi.yaml --fail-severity=warn 2>&1); then
	echo "$out"
	echo "lint-openapi: spectral FAILED"
	bad=1
fi
[ $bad -eq 0 ] && echo "lint-openapi: ok (redocly, spectral)"
exit $bad
