#!/usr/bin/env bash
# Packages oficina-authorizer for AWS Lambda, runtime provided.al2023 (a zip):
#   bootstrap   the binary, stripped (Lambda runs it; it serves the Runtime API loop)
#   lib/        every shared library it loads but glibc's own, from this machine
# provided.al2023 brings glibc 2.34 and puts /var/task/lib on LD_LIBRARY_PATH; this script fails
# when the binary or a bundled library asks for a newer glibc symbol than 2.34.
#
#   scripts/authorizer-package.sh BINARY OUT.zip
set -euo pipefail
bin=$1
out=$(realpath -m "$2")
glibc_max=GLIBC_2.34
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lib"
strip --strip-unneeded -o "$work/bootstrap" "$bin"
# glibc itself (and its loader) comes from the runtime: never bundled.
own='^(libc|libm|libpthread|libdl|librt|libresolv|libutil|ld-linux-x86-64|ld-linux-aarch64)\.so'
while read -r lib; do
	name=$(basename "$lib")
	[[ $name =~ $own ]] || cp -L "$lib" "$work/lib/$name"
done < <(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }')
newest=$(for f in "$work/bootstrap" "$work"/lib/*; do objdump -T "$f"; done |
	grep -o 'GLIBC_2\.[0-9]*' | sort -uV | tail -n 1)
if [ "$(printf '%s\n%s\n' "$newest" "$glibc_max" | sort -V | tail -n 1)" != "$glibc_max" ]; then
	echo "authorizer-package: needs $newest; provided.al2023 has $glibc_max" >&2
	exit 1
fi
rm -f "$out.tmp"
(cd "$work" && zip -q -r -X "$out.tmp" bootstrap lib)
mv "$out.tmp" "$out"
echo "authorizer-package: $out ($(du -h "$out" | cut -f1); $(ls "$work/lib" | wc -l) libraries; glibc up to $newest)"
