#!/bin/sh
# tests/newcomer.sh: a newcomer's first hour (issue 10), replayed as they would live it: the Python package
# installed into fresh venvs of every interpreter, `make install` into a temporary prefix, misspelt
# commands, the text a person reads, and the documents checked against what the code does. Run it from the
# repository root after `make`:
#
#     sh tests/newcomer.sh BUILD_DIR [ITEM...]
#
# ITEM is a number of the issue's list (1 to 9); all of them by default. Each check prints nothing when it
# passes and "FAIL item N: what" with the difference when it fails. The last line is
# `newcomer: N passed, M failed`; the status is non-zero when any check failed. No network is used: pip
# runs with --no-index and without its configuration files.

build=${1:?usage: sh tests/newcomer.sh BUILD_DIR [ITEM...]}
shift
items=${*:-1 2 3 4 5 6 7 8 9}
root=$(pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
cli=$build/chipcheck
if [ ! -x "$cli" ]; then
    echo "newcomer.sh: $cli is not an executable (run 'make' first)" >&2
    exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chipcheck-newcomer.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

passed=0
failed=0
item=0

fail() {
    echo "FAIL item $item: $1"
    failed=$((failed + 1))
}

# same WHAT GOT WANT: GOT is exactly WANT.
same() {
    if [ "$2" = "$3" ]; then
        passed=$((passed + 1))
    else
        fail "$1"
        printf '    want: %s\n    got:  %s\n' "$3" "$2" | sed 's/^/    /'
    fi
}

# has WHAT TEXT NEEDLE: TEXT contains NEEDLE (a fixed string).
has() {
    case $2 in
        *"$3"*) passed=$((passed + 1)) ;;
        *) fail "$1"; printf '    wanted: %s\n    in:     %s\n' "$3" "$2" | sed 's/^/    /' ;;
    esac
}

# hasnt WHAT TEXT NEEDLE: TEXT does not contain NEEDLE.
hasnt() {
    case $2 in
        *"$3"*) fail "$1"; printf '    unwanted: %s\n' "$3" | sed 's/^/    /' ;;
        *) passed=$((passed + 1)) ;;
    esac
}

# run ARGS...: run the command with stdin from /dev/null; sets out, err and status.
run() {
    "$@" < /dev/null > "$tmp/out" 2> "$tmp/err"
    status=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}

# pip and Python with nothing from this shell: no PIP_* settings (a find-links directory could offer a
# wheel package), no pip configuration files, no PYTHONPATH or CHIPCHECK_LIBRARY, a home of its own.
clean_env() {
    env -i PATH=/usr/bin:/bin HOME="$tmp/home" LANG=C.UTF-8 PIP_CONFIG_FILE=/dev/null "$@"
}

# The interpreters on this machine: the python3 first on PATH and Debian's, each once.
interpreters() {
    for py in "$(command -v python3)" /usr/bin/python3; do
        [ -x "$py" ] && "$py" -c 'import os, sys; print(os.path.realpath(sys.executable))'
    done | awk '!seen[$0]++'
}

# pip's extra arguments: none when the library to bundle is the one `make` builds by default.
bundle_args() {
    if [ "$build" != "$root/build" ]; then
        echo "--config-settings library=$build/libchipcheck.so.0"
    fi
}

# ---- 1. the Python package installs offline into fresh venvs -----------------------------------------
item1() {
    mkdir -p "$tmp/home" "$tmp/away"
    n=0
    for py in $(interpreters); do
        for isolation in "" --no-build-isolation; do
            n=$((n + 1))
            venv=$tmp/venv$n
            what="$py -m venv, pip install ${isolation:-with build isolation}"
            if ! "$py" -m venv "$venv" > "$tmp/err" 2>&1; then
                fail "$what: no venv: $(tail -1 "$tmp/err")"
                continue
            fi
            # a bare venv: no wheel package, and none reachable
            run clean_env "$venv/bin/python" -c "import wheel"
            same "$what: no wheel package in the venv" "$status" 1
            # shellcheck disable=SC2046 # bundle_args is empty or two words
            run clean_env "$venv/bin/python" -m pip install -q --no-index --no-cache-dir $isolation \
                $(bundle_args) bindings/python
            same "$what: exit status" "$status" 0
            [ "$status" -eq 0 ] || { printf '%s\n' "$err" | tail -5 | sed 's/^/        /'; continue; }
            # from outside the tree, with no environment variable: the library beside the installed module
            (cd "$tmp/away" && clean_env "$venv/bin/python" -c '
import chipcheck, chipcheck._ffi as f
d = chipcheck.Rules.default().check(chip="H200", to="CN", hq="CN", export_from="US", date="2026-02-01")
print(f.lib._name)
print(d.verdict, d.review_policy)') > "$tmp/out" 2>&1
            same "$what: check from outside the tree" "$(cat "$tmp/out")" \
                "$venv/lib/$("$py" -c 'import sys; print("python%d.%d" % sys.version_info[:2])')/site-packages/chipcheck/libchipcheck.so.0
license_required case_by_case"
            # CHIPCHECK_LIBRARY stays an override
            out=$(cd "$tmp/away" && clean_env CHIPCHECK_LIBRARY="$build/libchipcheck.so.0" "$venv/bin/python" \
                -c 'import chipcheck._ffi as f; print(f.lib._name)' 2>&1)
            same "$what: CHIPCHECK_LIBRARY overrides" "$out" "$build/libchipcheck.so.0"
        done
    done
    [ "$n" -ge 2 ] || fail "no Python interpreter found"
    # the builds wrote nothing into the tree
    same "bindings/python: no build artefacts" \
        "$(git status --porcelain --ignored bindings/python | grep '^!!' | grep -v '__pycache__/$')" ""
}

# make as a person types it: not the flags of a make that runs this script.
mk() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C "$root" BUILD="$build" "$@"
}

# ---- 2. make install into a prefix, after an earlier make ---------------------------------------------
item2() {
    mkdir -p "$tmp/home"
    mk install PREFIX="$tmp/p1" > "$tmp/out" 2>&1
    same "make install PREFIX=$tmp/p1: exit status" "$?" 0
    same "p1: chipcheck.pc says where" "$(sed -n 1,3p "$tmp/p1/lib/pkgconfig/chipcheck.pc")" "prefix=$tmp/p1
libdir=$tmp/p1/lib
includedir=$tmp/p1/include"
    # Then the README's lines, as they are (in a scratch home; the program goes to the scratch directory):
    # install to another prefix, build the example with pkg-config, run it, the command and the manual.
    block sh "### Installing" > "$tmp/install.sh"
    has "README: make install to a prefix" "$(cat "$tmp/install.sh")" "make install PREFIX=\$HOME/.local"
    sed -i "s|-o erp_screen|-o $tmp/erp_screen|; s|^\./erp_screen|$tmp/erp_screen|; s|^make install|make install BUILD=$build|" \
        "$tmp/install.sh"
    (unset MAKEFLAGS MFLAGS MAKELEVEL && clean_env MANWIDTH=80 sh -e "$tmp/install.sh") > "$tmp/out" 2> "$tmp/err"
    same "README's install lines: exit status" "$?" 0
    p=$tmp/home/.local
    same "chipcheck.pc follows PREFIX every time" "$(sed -n 1p "$p/lib/pkgconfig/chipcheck.pc")" "prefix=$p"
    has "erp_screen from the prefix: output" "$(cat "$tmp/out")" "$(cat tests/golden/example_erp.out)"
    has "the installed command: chips list" "$(cat "$tmp/out")" "H20                                 NVIDIA    tpp 2368"
    has "the manual renders" "$(cat "$tmp/out")" "chipcheck - screen shipments of AI accelerator chips"
    has "erp_screen runs the installed library" "$(ldd "$tmp/erp_screen")" "libchipcheck.so.0 => $p/lib/libchipcheck.so.0"
    # the installed command, with no environment at all
    run env -i "$p/bin/chipcheck" check --chip H20 --to CN --hq CN --date 2025-05-02
    same "installed chipcheck: exit status" "$status" 1
    has "installed chipcheck: headline" "$(printf '%s\n' "$out" | head -1)" "LICENSE REQUIRED (presumption_of_denial)"
    hasnt "installed chipcheck needs no libchipcheck.so (linked statically)" "$(ldd "$p/bin/chipcheck")" libchipcheck
    # the manual: no groff warnings, and every command, option and exit status
    man1=$p/share/man/man1/chipcheck.1
    same "man page: groff finds nothing to warn about" "$(groff -man -Tutf8 -ww -z "$man1" 2>&1)" ""
    manual=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man1")
    for opt in $("$cli" --help | grep -o -- '--[a-z][a-z-]*' | sort -u) --no-chips -h; do
        has "man page: option $opt" "$manual" "$opt"
    done
    for cmd in "check" "batch" "rules list" "rules show" "rules diff" "rules validate" "chips list" "chips show"; do
        has "man page: command $cmd" "$manual" ".B chipcheck $cmd"
    done
    has "man page: exit status of check" "$manual" "0 allowed, 1 license required, 3 indeterminate, 2 a usage or input error."
    has "man page: exit status of rules diff" "$manual" "0 no differences, 1 differences, 2 an error."
    # DESTDIR for packagers: files under the stage, the .pc says the final prefix
    mk install PREFIX=/usr DESTDIR="$tmp/stage" > "$tmp/out" 2>&1
    same "make install DESTDIR: chipcheck.pc" "$(sed -n 1p "$tmp/stage/usr/lib/pkgconfig/chipcheck.pc")" "prefix=/usr"
    mk uninstall PREFIX="$p" > "$tmp/out" 2>&1
    same "make uninstall: nothing left" "$(find "$p" -type f -o -type l)" ""
    mk > /dev/null 2>&1 # the build's .pc back to the default prefix
}

# ---- 3. messages that say the fix ---------------------------------------------------------------------
item3() {
    run "$cli" check --chip H20 --to UK --date 2025-05-02
    same "--to UK: exit status" "$status" 2
    same "--to UK: message" "$err" \
        "chipcheck: destination: 'UK' is not an ISO 3166-1 alpha-2 country code; did you mean GB?"

    run "$cli" check --chip H20 --dest CN
    same "--dest: exit status" "$status" 2
    has "--dest: names --to" "$err" "chipcheck: check: unknown option '--dest'; did you mean --to?"

    run "$cli" check --chip H1OO --to CN --date 2025-05-02
    has "--chip H1OO: nearest catalog name" "$err" "no catalog chip is named 'H1OO'; did you mean H100?"
    has "--chip H1OO: where the names are" "$err" "see \`chipcheck chips list\`"

    printf '%s\n' '{"destination": "CN", "date": "2025-05-02", "chip": {"name": "X1", "TPP": 2000}}' > "$tmp/tpp.jsonl"
    run "$cli" batch "$tmp/tpp.jsonl"
    has "JSON key TPP" "$out" '"message":"chip.TPP: unknown key in a chip; did you mean tpp?"'

    # A CSV file given to batch without --input-format csv: said once, no record per line.
    run "$cli" batch examples/orders.csv
    same "CSV to batch: exit status" "$status" 2
    same "CSV to batch: no output" "$out" ""
    same "CSV to batch: one message" "$err" \
        "chipcheck: batch: examples/orders.csv is CSV (its first line is a header, not a JSON object): give --input-format csv"
    run "$cli" batch --input-format csv examples/orders.csv
    same "CSV with --input-format csv: one line per row" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 11
}

# ---- 4. the headline does not hide what could change it ---------------------------------------------
item4() {
    run "$cli" check --chip H200 --to CN --hq CN --date 2026-02-01
    has "H200 to CN, no --from: headline" "$(printf '%s\n' "$out" | head -1)" \
        "LICENSE REQUIRED (presumption_of_denial); case_by_case if exported from US: give --from"
    run "$cli" check --chip H200 --to CN --hq CN --from US --date 2026-02-01
    same "H200 to CN, --from US: no clause" "$(printf '%s\n' "$out" | head -1 | grep -c ' if ')" 0
    has "H200 to CN, --from US: headline" "$(printf '%s\n' "$out" | head -1)" "LICENSE REQUIRED (case_by_case)"
    run "$cli" check --chip H20 --to CN --hq CN --date 2026-02-01
    same "H20 to CN: an open allowance less favourable than the policy is not mentioned" \
        "$(printf '%s\n' "$out" | head -1 | grep -c ' if ')" 0
    has "H20 to CN: headline" "$(printf '%s\n' "$out" | head -1)" "LICENSE REQUIRED (presumption_of_approval)"

    # The clause comes from the rule data: move the zone to exports from Japan and the headline follows.
    mkdir -p "$tmp/rules4" && cp -R rules/. "$tmp/rules4/"
    sed 's/<in field="export_from" countries="US"\/>/<in field="export_from" countries="JP"\/>/' \
        rules/us-ear/2026-01-15.xml > "$tmp/rules4/us-ear/2026-01-15.xml"
    run "$cli" check --rules "$tmp/rules4" --chip H200 --to CN --hq CN --date 2026-02-01
    has "headline from the rule data" "$(printf '%s\n' "$out" | head -1)" \
        "LICENSE REQUIRED (presumption_of_denial); case_by_case if exported from JP: give --from"

    run "$cli" check --chip H200 --to CN --hq CN --from US --date 2026-02-01 --exception NAC --authorization N-1
    has "--exception NAC on an item that cannot use it" "$(printf '%s\n' "$out" | sed -n 2p)" \
        "NAC is not available for this item: datacenter true (catalog) == false: no"
    run "$cli" check --chip "RTX 4090" --to CN --hq CN --date 2024-06-03 --exception NAC
    same "--exception NAC without its number" "$(printf '%s\n' "$out" | sed -n 2p)" \
        "NAC needs its authorization number: give --authorization NUM"

    # Trace lines as a person says them: a 3A090.b chip is "classification 3A090.b", never "none", and a
    # check under not() reads the way the rule needs it.
    printf '%s\n' '{"name": "X2", "tpp": 3000, "die_area_mm2": 700, "datacenter": true}' > "$tmp/x2.json"
    run "$cli" check --spec "$tmp/x2.json" --to CN --hq CN --date 2026-02-01
    has "3A090.b chip: NAC line" "$out" "      - classification 3A090.b in 3A090.a: no"
    hasnt "3A090.b chip: no 'classification none'" "$out" "classification none"
    has "a check under not()" "$out" "      - destination CN not in A:5 A:6: yes"
    hasnt "no 'so yes' or 'so no'" "$out" ", so "
}

# ---- 5. numbers for people ----------------------------------------------------------------------------
item5() {
    run "$cli" check --chip H200 --to CN --hq CN --from US --date 2026-02-01
    has "text: performance density rounded" "$out" "      - performance_density 19.45 (derived) >= 5.92: yes"
    hasnt "text: no float noise" "$out" "19.4496"
    run "$cli" check --chip H200 --to CN --hq CN --from US --date 2026-02-01 --format json
    has "JSON: full precision" "$out" '"value":	19.44963144963145'
    # Rounding never prints a value equal to a threshold it is not: 5.9199994 is not shown as 5.92.
    run "$cli" check --spec tests/cli/specs/near-threshold.json --to DE --hq DE --date 2025-05-02
    has "text: more decimals next to a threshold" "$out" "  [ ] 3A090.a.2  performance_density 5.919999 (derived) >= 5.92: no"
}

# ---- 6. header, README and example say one thing about sparse throughput ----------------------------
item6() {
    printf '%s\n' '{"destination": "DE", "end_user_hq": "DE", "date": "2025-05-02", "chip": {"name": "S1",
        "throughput": [{"precision": "fp16", "tops": 400, "bits": 16, "sparse": true}]}}' | tr -d '\n' > "$tmp/s1.jsonl"
    echo >> "$tmp/s1.jsonl"
    run "$cli" batch "$tmp/s1.jsonl"
    has "the library counts half of a sparse figure, labelled" "$out" \
        '"tpp":{"value":3200,"source":"derived","how":"tpp = highest over dense throughput of tops * bits: fp16 200 (half the sparse figure) tops x 16 bits = 3200"}'
    has "header: half" "$(grep -A3 'int sparse;' include/chipcheck.h | tr -s ' \n' '  ')" \
        "it then counts as half its value, the dense rate it implies"
    has "README: half, with the reason" "$(tr -s ' \n' '  ' < README.md)" \
        'where a figure with `"sparse": true` counts as half its `tops`. TPP counts dense operations'
    has "example: half" "$(cat examples/erp_screen.c)" "sparse: counts as half, the dense rate it implies"
    for f in include/chipcheck.h README.md examples/erp_screen.c bindings/python/README.md; do
        hasnt "$f: no 'does not count'" "$(tr -s ' \n' '  ' < "$f")" "does not count"
    done
}

# block LANG HEADING: the first ```LANG block after the README line HEADING, without its fences.
block() {
    awk -v lang="$1" -v heading="$2" '
        $0 == heading { found = 1; next }
        found && !inside && $0 == "```" lang { inside = 1; next }
        inside && $0 == "```" { exit }
        inside { print }' README.md
}

# ---- 7. the README's Python example works as written -------------------------------------------------
item7() {
    mkdir -p "$tmp/home"
    # The shell lines of the README's Python section, run as they are (~ is a scratch home here).
    block sh "## Python" > "$tmp/python.sh"
    same "README: the install lines" "$(cat "$tmp/python.sh")" "make
python3 -m venv ~/.venvs/chipcheck
~/.venvs/chipcheck/bin/pip install --no-index bindings/python
. ~/.venvs/chipcheck/bin/activate
examples/screen_orders.py examples/orders.csv"
    if [ "$build" != "$root/build" ]; then # the README's make builds build/, not $build
        sed -i "s|bindings/python|$(bundle_args) bindings/python|; s|^make\$|true|" "$tmp/python.sh"
    fi
    run clean_env sh -e "$tmp/python.sh"
    same "README's lines: exit status" "$status" 0
    has "README's lines: export_from read" "$out" \
        "SO-1010/10  license_required  case_by_case             3A090.a.1 3A090.a.2 D5_DESTINATION"
    has "README's lines: the counts" "$out" "allowed: 3
license_required: 5
indeterminate: 1
errors: 2"
    # The Python lines print what the README says they print.
    block python "## Python" > "$tmp/example.py"
    want=$(sed -n 's/^# //p' "$tmp/example.py")
    got=$(cd "$tmp" && clean_env "$tmp/home/.venvs/chipcheck/bin/python" "$tmp/example.py" 2>&1)
    [ -n "$want" ] || fail "README: the Python block has no '# output' line"
    same "README's Python lines" "$got" "$want"
    # The example takes the command's CSV columns: the same verdicts on a file with every column (row by
    # row, and the column lists themselves, in tests/python/test_examples.py).
    run clean_env PATH="$tmp/home/.venvs/chipcheck/bin:/usr/bin:/bin" examples/screen_orders.py \
        tests/python/data/orders_all_columns.csv
    has "every column: export_from and exception read" "$out" \
        "A-6   allowed           -                        3A090.b.1 3A090.b.2 D1_D4_DESTINATION ACA"
}

# within WHAT MEASURED STATED PERCENT: the README's figure STATED is within PERCENT of MEASURED.
within() {
    if [ $(( ($2 - $3) * 100 )) -le $(( $3 * $4 )) ] && [ $(( ($3 - $2) * 100 )) -le $(( $3 * $4 )) ]; then
        passed=$((passed + 1))
    else
        fail "$1: the README says $3, measured $2 (more than $4% apart: update the README)"
    fi
}

# ---- 8. the README says what the code does ------------------------------------------------------------
item8() {
    # --brief line sizes, measured as the README says: every catalog chip to seven destinations (end user
    # headquartered there) on five dates.
    "$cli" chips list | awk -F'  +' '{ print $1 }' > "$tmp/chips" # names hold single spaces; columns two or more
    for date in 2023-06-01 2024-06-03 2025-05-02 2025-08-01 2026-02-01; do
        for to in CN DE VN US AE IN SG; do
            while read -r chip; do
                printf '{"id": "SO-1001/10", "chip": "%s", "destination": "%s", "end_user_hq": "%s", "date": "%s"}\n' \
                    "$chip" "$to" "$to" "$date"
            done < "$tmp/chips"
        done
    done > "$tmp/sweep.jsonl"
    "$cli" batch --brief "$tmp/sweep.jsonl" | awk '{ print length($0) + 1 }' | sort -n > "$tmp/brief"
    "$cli" batch "$tmp/sweep.jsonl" | awk '{ print length($0) + 1 }' | sort -n > "$tmp/full"
    lines=$(wc -l < "$tmp/brief" | tr -d ' ')
    readme=$(tr -s ' \n' '  ' < README.md)
    stated=$(printf '%s\n' "$readme" | sed -n 's/.*(\([0-9,]*\) lines, `tests\/newcomer.sh` item 8): \([0-9,]*\) to \([0-9,]*\) bytes a line (median \([0-9,]*\)), against \([0-9.]*\) to \([0-9.]*\) KB.*/\1 \2 \3 \4 \5 \6/p' | tr -d ',')
    set -- $stated
    if [ $# -ne 6 ]; then
        fail "README: no --brief size sentence of the form the test reads"
        return
    fi
    same "--brief sizes: lines measured" "$lines" "$1"
    within "--brief: smallest line" "$(head -1 "$tmp/brief")" "$2" 10
    within "--brief: largest line" "$(tail -1 "$tmp/brief")" "$3" 10
    within "--brief: median line" "$(sed -n "$((lines / 2))p" "$tmp/brief")" "$4" 10
    within "full decision: smallest (100 bytes)" "$(( $(head -1 "$tmp/full") / 100 ))" "$(echo "$5" | tr -d .)" 10
    within "full decision: largest (100 bytes)" "$(( $(tail -1 "$tmp/full") / 100 ))" "$(echo "$6" | tr -d .)" 10

    # rules diff shows the code that check shows, with the rule id beside it
    run "$cli" rules diff us-ear-advanced-computing@2025-04-09 us-ear-advanced-computing@2025-07-14
    has "rules diff: the code" "$out" "+ rule H20_MI308_ALLOWANCE_2025_07 (allowance, presumption_of_approval; rule id H20_MI308_APPROVAL_2025_07)"
    run "$cli" check --chip H20 --to CN --hq CN --date 2025-08-01
    has "check: the same code" "$out" "  [x] H20_MI308_ALLOWANCE_2025_07  "

    # the README cites public sources, not files outside the repository
    hasnt "README: no shared/domain" "$readme" "shared/domain"
    has "README: country groups from the eCFR" "$readme" "15 CFR Part 740, Supplement No. 1"
}

# ---- 9. make demo is a short lesson ------------------------------------------------------------------
item9() {
    mk demo > "$tmp/demo" 2>&1
    same "make demo: exit status" "$?" 0
    lines=$(wc -l < "$tmp/demo" | tr -d ' ')
    same "make demo: short (under 100 lines)" "$([ "$lines" -lt 100 ] && echo yes || echo "$lines lines")" yes
    same "make demo: one JSON line at most, and brief" \
        "$(grep -c '^{' "$tmp/demo")/$(grep -c '"reasons"' "$tmp/demo")" "1/0"
    # Every command as printed, pasted into a shell at the repository root: it runs, and it prints first
    # what the demo shows first; each has a line before it saying what it shows.
    grep '^\$ ' "$tmp/demo" | sed 's/^\$ //' > "$tmp/commands"
    same "make demo: commands" "$(wc -l < "$tmp/commands" | tr -d ' ')" \
        "$(grep -c '^[0-9][0-9]*\. ' "$tmp/demo")"
    while IFS= read -r command; do
        shown=$(grep -F -x -A1 "\$ $command" "$tmp/demo" | sed -n 2p)
        pasted=$( (cd "$root" && sh -c "$command") 2>&1 | head -1)
        same "pasted: $command" "$pasted" "$shown"
        same "a line saying what it shows: $command" \
            "$(grep -F -x -B1 "\$ $command" "$tmp/demo" | head -1 | grep -c '^[0-9][0-9]*\. [A-Z].*\.$')" 1
    done < "$tmp/commands"
}

for n in $items; do
    item=$n
    case $n in
        [1-9]) if command -v "item$n" >/dev/null 2>&1; then "item$n"; else fail "no replay for item $n"; fi ;;
        *) echo "newcomer.sh: unknown item '$n' (1 to 9)" >&2; exit 2 ;;
    esac
done
echo "newcomer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
