#!/usr/bin/env bash
# The API Gateway template (scripts/apigateway.mjs), made from docs/openapi.yaml and linted
# offline: its resources against CloudFormation's resource specification, every operation
# integrated through the VPC link within 29 s, and the API's OpenAPI body through spectral.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node scripts/apigateway.mjs >"$work/gateway.json" || exit 1
node scripts/apigateway.mjs --check "$work/gateway.json" || exit 1
node scripts/apigateway.mjs --body "$work/gateway.json" >"$work/body.json" || exit 1
if ! out=$(node_modules/.bin/spectral lint "$work/body.json" --fail-severity=warn 2>&1); then
	echo "$out"
	echo "check-gateway: spectral FAILED on the gateway's OpenAPI body"
	exit 1
fi
