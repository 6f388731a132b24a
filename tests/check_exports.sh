#!/bin/sh
# check_exports.sh HEADER SOLIB: the library exports exactly the CHIPCHECK_API functions of the header.
set -eu
header=$1 lib=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tr '\n' ' ' < "$header" | grep -o 'CHIPCHECK_API [^;(]*(' | sed 's/.*[^a-z0-9_]\(chipcheck_[a-z0-9_]*\)[[:space:]]*($/\1/' | grep '^chipcheck_' | sort -u > "$tmp/declared"
nm -D --defined-only "$lib" | awk '$2 ~ /^[TtWDdBbRr]$/ {print $3}' | grep -v '^_' | sort -u > "$tmp/exported"
if cmp -s "$tmp/declared" "$tmp/exported"; then
  echo "exports: $(wc -l < "$tmp/declared") passed, 0 failed"
else
  echo "exports: declared in $header (<) versus exported by $lib (>):"
  diff "$tmp/declared" "$tmp/exported" || true
  echo "exports: 0 passed, 1 failed"
  exit 1
fi
