#!/bin/sh
# check_exports.sh HEADER SOLIB: the shared library exports exactly the CHIPCHECK_API functions of the
# public header, and nothing else (jansson's check-exports). POSIX sh, awk, nm.
#
# Declared: every declaration of HEADER that starts with CHIPCHECK_API (comments and preprocessor lines
# removed first, declarations may span lines), by the name before its '('.
# Exported: every defined dynamic symbol of SOLIB (nm -D --defined-only), whatever its kind (a function
# or data), except the ABI version nodes (kind A) and the symbols the linker itself defines.
# Prints "exports: N passed, 0 failed", or each difference and "exports: M passed, K failed" and exits 1.
set -eu

if [ $# -ne 2 ]; then
  echo "usage: check_exports.sh HEADER SOLIB" >&2
  exit 2
fi
header=$1 lib=$2
for f in "$header" "$lib"; do
  if [ ! -r "$f" ]; then
    echo "check_exports.sh: cannot read $f" >&2
    exit 2
  fi
done
if ! command -v nm >/dev/null 2>&1; then
  echo "check_exports.sh: nm (binutils) is needed" >&2
  exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check_exports.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

awk '
  # drop preprocessor lines and their backslash continuations
  cont { cont = /\\$/; next }
  /^[ \t]*#/ { cont = /\\$/; next }
  { text = text $0 "\n" }
  END {
    # remove /* ... */ and // comments
    out = ""
    while ((i = index(text, "/*")) > 0) {
      out = out substr(text, 1, i - 1) " "
      text = substr(text, i + 2)
      j = index(text, "*/")
      if (j == 0) { text = ""; break }
      text = substr(text, j + 2)
    }
    text = out text
    gsub(/\/\/[^\n]*/, " ", text)
    gsub(/[\n\t]/, " ", text)
    n = split(text, stmt, ";")
    for (k = 1; k <= n; k++) {
      s = " " stmt[k]
      if (!match(s, /[^A-Za-z0-9_]CHIPCHECK_API[^A-Za-z0-9_]/)) continue
      s = substr(s, RSTART + RLENGTH)
      p = index(s, "(")
      if (p == 0) continue
      s = substr(s, 1, p - 1)
      sub(/[ ]+$/, "", s)
      if (match(s, /[A-Za-z_][A-Za-z0-9_]*$/)) print substr(s, RSTART)
    }
  }
' "$header" | LC_ALL=C sort -u > "$tmp/declared"

if ! nm -D --defined-only "$lib" > "$tmp/nm" 2> "$tmp/nm.err"; then
  echo "check_exports.sh: nm -D --defined-only $lib failed:" >&2
  cat "$tmp/nm.err" >&2
  exit 2
fi
# Lines are "VALUE KIND NAME[@VERSION]". Leave out version nodes and the linker's own symbols.
awk '$2 != "A" && NF >= 3 { sub(/@.*/, "", $3); print $3 }' "$tmp/nm" |
  grep -v -x -e _init -e _fini -e _edata -e _end -e __bss_start -e _DYNAMIC -e _GLOBAL_OFFSET_TABLE_ |
  LC_ALL=C sort -u > "$tmp/exported" || true

declared=$(wc -l < "$tmp/declared" | tr -d ' ')
if [ "$declared" -eq 0 ]; then
  echo "exports: no CHIPCHECK_API declaration found in $header"
  echo "exports: 0 passed, 1 failed"
  exit 1
fi

LC_ALL=C comm -23 "$tmp/declared" "$tmp/exported" > "$tmp/not_exported"
LC_ALL=C comm -13 "$tmp/declared" "$tmp/exported" > "$tmp/undeclared"
LC_ALL=C comm -12 "$tmp/declared" "$tmp/exported" > "$tmp/both"
# Every declared name must carry the prefix too.
grep -v '^chipcheck_' "$tmp/declared" > "$tmp/unprefixed" || true

passed=$(wc -l < "$tmp/both" | tr -d ' ')
failed=0
while read -r name; do
  echo "exports: $name is declared CHIPCHECK_API in $header but not exported by $lib"
  failed=$((failed + 1))
done < "$tmp/not_exported"
while read -r name; do
  echo "exports: $name is exported by $lib but not declared CHIPCHECK_API in $header"
  failed=$((failed + 1))
done < "$tmp/undeclared"
while read -r name; do
  echo "exports: $name is declared CHIPCHECK_API but does not start with chipcheck_"
  failed=$((failed + 1))
done < "$tmp/unprefixed"

echo "exports: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
