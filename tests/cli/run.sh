#!/bin/sh
# tests/cli/run.sh: data-driven tests of the chipcheck command. Run from the repository root:
#
#     sh tests/cli/run.sh [--update] BINARY [CASE...]
#
# Each case is a folder tests/cli/cases/<name>/ with:
#   cmd     one line: the arguments of chipcheck (e.g. `check --chip H20 --to CN --date 2025-05-02`),
#           or a shell command that uses $CHIPCHECK for the binary (e.g. `$CHIPCHECK batch < x | head -1`).
#           It runs from the repository root, so relative paths are from there.
#   stdin   optional: fed to the command's standard input (else /dev/null)
#   exit    the expected exit status
#   stdout  the expected standard output, byte for byte
#   stderr  optional: the expected standard error, byte for byte (not compared when the file is absent)
#
# Rule set digests (sha256:<64 hex>) are replaced by sha256:<digest> in both the output and the expectations
# before comparing, so editing one rule file does not rewrite every case; the digests are checked by the
# library's own tests. Everything else is compared exactly.
#
# --update runs the cases and writes what they did as the new expectations (stdout, exit and stderr). Check
# the verdicts by hand before you commit updated expectations.
# The last line is `cli: N passed, M failed`; the status is non-zero when any case failed.

update=0
bin=
only=
for arg in "$@"; do
    case $arg in
        --update) update=1 ;;
        -*) echo "usage: sh tests/cli/run.sh [--update] BINARY [CASE...]" >&2; exit 2 ;;
        *) if [ -z "$bin" ]; then bin=$arg; else only="$only $arg"; fi ;;
    esac
done
if [ -z "$bin" ]; then
    echo "usage: sh tests/cli/run.sh [--update] BINARY [CASE...]" >&2
    exit 2
fi
case $bin in
    /*) ;;
    *) bin=$(pwd)/$bin ;;
esac
if [ ! -x "$bin" ]; then
    echo "run.sh: $bin is not an executable" >&2
    exit 2
fi
CHIPCHECK=$bin
export CHIPCHECK

cases_dir=tests/cli/cases
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chipcheck-cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

mask() {
    sed 's/sha256:[0-9a-f]\{64\}/sha256:<digest>/g' "$1"
}

passed=0
failed=0
failed_names=

if [ -n "$only" ]; then
    names=$only
else
    names=$(cd "$cases_dir" && ls)
fi

for name in $names; do
    dir=$cases_dir/$name
    if [ ! -f "$dir/cmd" ]; then
        echo "FAIL $name: no $dir/cmd"
        failed=$((failed + 1))
        failed_names="$failed_names $name"
        continue
    fi
    cmd=$(cat "$dir/cmd")
    # shellcheck disable=SC2016 # the patterns look for the literal text $CHIPCHECK
    case $cmd in
        *'$CHIPCHECK'*|*'${CHIPCHECK}'*) line=$cmd ;;
        *) line="\"\$CHIPCHECK\" $cmd" ;;
    esac
    input=/dev/null
    [ -f "$dir/stdin" ] && input=$dir/stdin
    (eval "$line") < "$input" > "$tmp/out.raw" 2> "$tmp/err.raw"
    status=$?
    mask "$tmp/out.raw" > "$tmp/out"
    mask "$tmp/err.raw" > "$tmp/err"

    if [ "$update" = 1 ]; then
        cp "$tmp/out" "$dir/stdout"
        cp "$tmp/err" "$dir/stderr"
        echo "$status" > "$dir/exit"
        echo "updated $name (exit $status)"
        passed=$((passed + 1))
        continue
    fi

    ok=1
    expected_status=$(cat "$dir/exit" 2>/dev/null)
    if [ "$status" != "$expected_status" ]; then
        echo "FAIL $name: exit status $status, expected ${expected_status:-<no exit file>}"
        ok=0
    fi
    if [ ! -f "$dir/stdout" ]; then
        echo "FAIL $name: no $dir/stdout"
        ok=0
    elif ! cmp -s "$dir/stdout" "$tmp/out"; then
        echo "FAIL $name: stdout differs"
        diff -u "$dir/stdout" "$tmp/out" | sed 's/^/    /'
        ok=0
    fi
    if [ -f "$dir/stderr" ] && ! cmp -s "$dir/stderr" "$tmp/err"; then
        echo "FAIL $name: stderr differs"
        diff -u "$dir/stderr" "$tmp/err" | sed 's/^/    /'
        ok=0
    fi
    if [ "$ok" = 1 ]; then
        passed=$((passed + 1))
    else
        echo "    command: $line"
        failed=$((failed + 1))
        failed_names="$failed_names $name"
    fi
done

[ "$failed" -gt 0 ] && echo "failed:$failed_names"
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
