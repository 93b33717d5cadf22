#!/usr/bin/env bash
# Renders every overlay of k8s/overlays with `kubectl kustomize` and validates it offline
# (scripts/k8s-validate.mjs: the Kubernetes and CRD schemas, limits, probes, non-root, no replicas
# under an autoscaler; the eks overlays' images pinned by digest). Then the alert rules of the eks
# overlay's PrometheusRule: promtool check rules and promtool test rules
# (tests/monitoring/oficina-rules.test.yaml). Nothing here reaches a cluster.
set -uo pipefail
cd "$(dirname "$0")/.."
for tool in kubectl promtool node; do
	command -v $tool >/dev/null || { echo "check-k8s: $tool missing (scripts/deps.sh)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bad=0
for dir in k8s/overlays/*/; do
	name=$(basename "$dir")
	if ! kubectl kustomize "$dir" >"$work/$name.yaml" 2>"$work/$name.err"; then
		echo "check-k8s: $name does not render: $(cat "$work/$name.err")"
		bad=1
		continue
	fi
	digest=""
	case $name in eks*) digest=--digest ;; esac
	node scripts/k8s-validate.mjs $digest "$work/$name.yaml" >"$work/$name.out" || { cat "$work/$name.out"; bad=1; }
done
# The PrometheusRule's groups as a Prometheus rule file, beside a copy of the unit tests.
node --input-type=module -e '
	import { readFileSync } from "node:fs";
	import { loadAll, dump } from "js-yaml";
	const rule = loadAll(readFileSync(process.argv[1], "utf8")).find((o) => o?.kind === "PrometheusRule");
	process.stdout.write(dump({ groups: rule.spec.groups }));
' "$work/eks.yaml" >"$work/oficina-rules.yaml" || bad=1
cp tests/monitoring/oficina-rules.test.yaml "$work/"
promtool check rules "$work/oficina-rules.yaml" >"$work/rules.out" 2>&1 || { cat "$work/rules.out"; bad=1; }
promtool test rules "$work/oficina-rules.test.yaml" >"$work/rules-test.out" 2>&1 || { cat "$work/rules-test.out"; bad=1; }
[ $bad -eq 0 ] && echo "check-k8s: ok ($(ls k8s/overlays | wc -l) overlays rendered and valid; alert rules checked and tested)"
exit $bad
