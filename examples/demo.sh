#!/bin/sh
# examples/demo.sh: what `make demo` runs: a short lesson in chipcheck. Each step prints one line saying
# what it shows, the command exactly as it can be pasted (from the repository root), then the verdict and
# the rules that decided it (the command itself prints the whole reasoning). The demo exits 1 when a step
# ends with another status than the one it teaches (the verdicts are exit statuses).
#
#     sh examples/demo.sh build/chipcheck

bin=${1:-build/chipcheck}
if [ ! -x "$bin" ]; then
    echo "demo.sh: $bin is not an executable (run 'make' first)" >&2
    exit 2
fi

# quote ARG: ARG as the shell reads it back (single quotes when it holds anything but safe characters).
quote() {
    case $1 in
        *[!A-Za-z0-9@%+=:,./_-]*|'') printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
        *) printf '%s' "$1" ;;
    esac
}
cc=$(quote "$bin")

# summary: from a command's output, the lines before "rule set:" (the verdict, and what could change it),
# then each rule that holds ([x]) or is open ([?]) with its citation, cut to 110 columns. Anything that is
# not a check's text (an error, a JSON line) is printed as it is.
summary() {
    awk '
        /^rule set:/ { text = 1 }
        !text && !/^usage:|^Try / { print; next }
        NR == 1 { open_too = /^INDETERMINATE/ } # the open rules matter when they leave the answer open
        /^  \[x\] / || (open_too && /^  \[\?\] /) {
            line = "  " $0; print (length(line) > 110 ? substr(line, 1, 107) "..." : line); held++ }
        /^conditions:/ { cond = 1; next }
        cond && /^  - / { conds++; next }
        { cond = 0 }
        END {
            if (text && !held) print "    (no rule requires a license)"
            if (conds) print "    + " conds " conditions the license review asks for"
        }'
}

n=0
errors=0
# step WHAT STATUS COMMAND: print the step, run the command line as printed, check its exit status.
step() {
    n=$((n + 1))
    printf '\n%d. %s\n$ %s\n' "$n" "$1" "$3"
    out=$(sh -c "$3" 2>&1)
    status=$?
    printf '%s\n' "$out" | summary
    if [ "$status" != "$2" ]; then
        echo "demo: step $n exited $status, expected $2" >&2
        errors=$((errors + 1))
    fi
}

echo "chipcheck demo: US export controls on advanced-computing chips (ECCN 3A090) and the destination-wide"
echo "embargoes (15 CFR Part 746), in $("$bin" rules list | grep -c '@') dated rule set versions."
echo "Paste any command below to see its whole reasoning. check exits 0 allowed, 1 license required,"
echo "3 indeterminate, 2 on an input error."

step "The NVIDIA H20 to China before the April 2025 letters: no rule catches it." 0 \
    "$cc check --chip H20 --to CN --hq CN --date 2025-04-01"
step "The same after them: NVIDIA's 8-K names the H20 (presumption of denial)." 1 \
    "$cc check --chip H20 --to CN --hq CN --date 2025-05-02"
step "After the July 2025 allowance: still a license, reviewed for approval, with conditions." 1 \
    "$cc check --chip H20 --to CN --hq CN --date 2025-08-01"
step "The H100 is 3A090.a by its TPP and performance density: a license for China." 1 \
    "$cc check --chip H100 --to CN --hq CN --date 2024-01-10"
step "To Germany for a German end user it needs none." 0 \
    "$cc check --chip H100 --to DE --hq DE --date 2025-05-02"
step "Without the end user's headquarters the answer is open, and chipcheck says what it needs." 3 \
    "$cc check --chip H100 --to DE --date 2025-05-02"
step "The H200 to China in 2026: the headline says what giving --from could change." 1 \
    "$cc check --chip H200 --to CN --hq CN --date 2026-02-01"
step "Exported from the US it is reviewed case by case, with certifications." 1 \
    "$cc check --chip H200 --to CN --hq CN --from US --date 2026-02-01"
step "A gaming card over the TPP line, shipped under License Exception NAC with its number." 0 \
    "$cc check --chip 'RTX 4090' --to CN --hq CN --date 2024-06-03 --exception NAC --authorization NAC-2024-0001"
step "A consumer GPU below every 3A090 line, to North Korea: the destination embargo requires a license." 1 \
    "$cc check --chip 'RTX 4090 D' --to KP --hq KP --date 2025-06-01"
step "A slip is an error that says the fix." 2 \
    "$cc check --chip H20 --to UK --date 2025-05-02"
step "What an ERP reads: one brief JSON line per shipment (batch reads JSON Lines or CSV)." 0 \
    "echo '{\"id\": \"SO-1\", \"chip\": \"H20\", \"destination\": \"CN\", \"end_user_hq\": \"CN\", \"date\": \"2025-05-02\"}' | $cc batch --brief"

echo
if [ "$errors" -gt 0 ]; then
    echo "demo: $errors step(s) did not end as expected" >&2
    exit 1
fi
echo "demo: done. More: $cc --help, man -l bindings/cli/chipcheck.1, the README."
exit 0
