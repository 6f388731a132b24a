# batch-jobs.sh: the same mixed JSON Lines (good lines, error lines, an empty line, a NUL byte, invalid UTF-8,
# CRLF, ids of every kind) through `batch --summary` with 1, 2 and 5 jobs: stdout and stderr must be the same
# bytes. Prints the line count and one line per job count that matched. Run by tests/cli/cases/batch-jobs.
set -u
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
{
    awk -f tests/cli/specs/batch-100k.awk | head -4000
    cat tests/cli/cases/batch-mixed/stdin
    printf '\n  \n{"id":1}\n{bad json\n"str"\n{"id":"x","destination":"CN","chip":"H20"}\r\n'
    printf '{"id":"nul\000x"}\n'
    cat tests/cli/cases/batch-invalid-utf8-id/stdin
    awk -f tests/cli/specs/batch-100k.awk | head -700
} > "$d/in.jsonl"
"$CHIPCHECK" batch --date 2025-05-02 --summary < "$d/in.jsonl" > "$d/out1" 2> "$d/err1"
echo "jobs 1: exit $?, $(wc -l < "$d/out1") lines"
for j in 2 5; do
    "$CHIPCHECK" batch --date 2025-05-02 --summary --jobs "$j" < "$d/in.jsonl" > "$d/out$j" 2> "$d/err$j"
    echo "jobs $j: exit $?"
    cmp "$d/out1" "$d/out$j" && cmp "$d/err1" "$d/err$j" && echo "jobs $j: stdout and stderr identical to jobs 1"
done
"$CHIPCHECK" batch --brief --jobs 3 tests/cli/specs/batch-good.jsonl "$d/in.jsonl" > "$d/b3" 2>&1
"$CHIPCHECK" batch --brief tests/cli/specs/batch-good.jsonl "$d/in.jsonl" > "$d/b1" 2>&1
cmp "$d/b1" "$d/b3" && echo "brief, two files, jobs 3: identical to jobs 1"
