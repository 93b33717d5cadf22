#!/usr/bin/env bash
# The version lives in VERSION only: the binary is built with it (Makefile), and this check fails
# when docs/openapi.yaml's info.version, k8s/base's image tag or its Datadog version tag says
# something else.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(cat VERSION)
spec=$(awk '/^info:/ { i = 1; next } /^[^ ]/ { i = 0 } i && /^  version:/ { print $2; exit }' docs/openapi.yaml)
tag=$(sed -n 's/^    newTag: "\(.*\)"$/\1/p' k8s/base/kustomization.yaml)
# The Datadog version tag of the API's Deployment and its pods: each the same.
dd=$(sed -n 's/^ *tags.datadoghq.com\/version: "\(.*\)"$/\1/p' k8s/base/deployment.yaml | sort -u)
bad=0
[ "$spec" = "$version" ] || { echo "check-version: docs/openapi.yaml info.version is '$spec', VERSION is '$version'"; bad=1; }
[ "$tag" = "$version" ] || { echo "check-version: k8s/base image tag is '$tag', VERSION is '$version'"; bad=1; }
[ "$dd" = "$version" ] || { echo "check-version: k8s/base/deployment.yaml tags.datadoghq.com/version is '$dd', VERSION is '$version'"; bad=1; }
[ $bad -eq 0 ] && echo "check-version: ok ($version)"
exit $bad
