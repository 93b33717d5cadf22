#!/usr/bin/env bash
# Checks that every route of presentation/http/routes.c is documented in docs/openapi.yaml:
# the same path under `paths:` with the same method. No network, no npm.
# Exit 0 when all are there; 1 listing the missing ones; 2 when a file is unreadable.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
routes="$root/presentation/http/routes.c"
spec="$root/docs/openapi.yaml"

for f in "$routes" "$spec"; do
	[[ -r $f ]] || { echo "check-openapi: cannot read $f" >&2; exit 2; }
done

# "METHOD /path" for every {.method = "METHOD", .pattern = "/path", ...} row of the route table.
mapfile -t wanted < <(grep -oE '\.method = "[A-Z]+", *\.pattern = "/[^"]*"' "$routes" |
	sed -E 's/^\.method = "([A-Z]+)", *\.pattern = "([^"]*)"$/\1 \2/')
((${#wanted[@]} > 0)) || { echo "check-openapi: no routes found in $routes" >&2; exit 2; }

# "METHOD /path" for every operation of the document: a two-space-indented "/path:" key under
# the top-level "paths:", and the four-space-indented HTTP method keys below it.
mapfile -t documented < <(awk '
	/^[^ #]/ { in_paths = ($0 ~ /^paths:/); path = ""; next }
	!in_paths { next }
	/^  \/[^ ]*:[ ]*$/ { path = $1; sub(/:$/, "", path); gsub(/["\047]/, "", path); next }
	/^  [^ ]/ { path = ""; next }
	path != "" && /^    (get|put|post|delete|options|head|patch|trace):/ {
		m = $1; sub(/:.*/, "", m); print toupper(m) " " path
	}
' "$spec")

missing=0
for r in "${wanted[@]}"; do
	found=0
	for d in "${documented[@]}"; do
		[[ $d == "$r" ]] && { found=1; break; }
	done
	if ((found == 0)); then
		((missing == 0)) && echo "Routes of routes.c missing from docs/openapi.yaml:"
		echo "  $r"
		missing=$((missing + 1))
	fi
done

if ((missing > 0)); then
	echo "check-openapi: $missing of ${#wanted[@]} routes missing" >&2
	exit 1
fi
echo "check-openapi: all ${#wanted[@]} routes documented (${#documented[@]} operations in the document)"
