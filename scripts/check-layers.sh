#!/usr/bin/env bash
# Fails when an #include crosses a layer boundary the wrong way (SPEC §1, CONVENTIONS):
#   domain/          includes only domain/ and libc
#   application/     includes only application/ and domain/
#   infrastructure/  does not include presentation/ or cmd/
#   presentation/    does not include infrastructure/ or cmd/
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0
check() { # layer, regex of forbidden quoted includes, regex of forbidden system includes
	local layer=$1 forbid=$2 sys=${3:-}
	while IFS= read -r hit; do
		echo "layer violation: $hit"
		bad=1
	done < <(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]+\"($forbid)" -r "$layer" --include='*.[ch]' || true)
	if [ -n "$sys" ]; then
		while IFS= read -r hit; do
			echo "layer violation (library): $hit"
			bad=1
		done < <(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]+<($sys)" -r "$layer" --include='*.[ch]' || true)
	fi
}
libs='microhttpd|libpq|postgresql|jansson|jwt|sodium|curl|cmocka|amqp'
check domain 'application/|infrastructure/|presentation/|cmd/' "$libs"
check application 'infrastructure/|presentation/|cmd/' "$libs"
check infrastructure 'presentation/|cmd/'
check presentation 'infrastructure/|cmd/' 'libpq|postgresql|jwt|sodium|amqp|curl'
if [ $bad -ne 0 ]; then
	echo "check-layers: FAILED"
	exit 1
fi
echo "check-layers: ok"
