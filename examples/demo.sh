#!/bin/sh
# examples/demo.sh: what `make demo` runs: `chipcheck check` on cases that show how the rules moved over
# time. check exits 0 (allowed), 1 (license required) or 3 (indeterminate); the demo prints that status
# and goes on, and exits 0 unless a run fails with a usage or input error (status 2).
#
#     sh examples/demo.sh build/chipcheck

bin=${1:-build/chipcheck}
if [ ! -x "$bin" ]; then
    echo "demo.sh: $bin is not an executable (run 'make' first)" >&2
    exit 2
fi

errors=0

# run "heading" ARGS...: print a heading, the command, its output and its exit status.
run() {
    heading=$1
    shift
    printf '\n=== %s\n$ chipcheck %s\n' "$heading" "$*"
    "$bin" "$@"
    status=$?
    case $status in
        0) meaning="allowed" ;;
        1) meaning="license required" ;;
        3) meaning="indeterminate" ;;
        *) meaning="error"; errors=$((errors + 1)) ;;
    esac
    printf -- '--- exit status %s (%s)\n' "$status" "$meaning"
}

echo "chipcheck demo: US export controls on advanced-computing chips (ECCN 3A090)"

run "NVIDIA H20 to China, 2025-04-01: before the April 2025 letters, no license" \
    check --chip H20 --to CN --hq CN --date 2025-04-01
run "NVIDIA H20 to China, 2025-05-02: license required (is-informed letter of 2025-04-09)" \
    check --chip H20 --to CN --hq CN --date 2025-05-02
run "NVIDIA H20 to China, 2025-08-01: still a license, now presumption of approval with conditions" \
    check --chip H20 --to CN --hq CN --date 2025-08-01
run "NVIDIA H100 to China, 2024-01-10: 3A090.a, presumption of denial" \
    check --chip H100 --to CN --hq CN --date 2024-01-10
run "AMD MI308X to China, 2025-05-02: named in AMD's April 2025 disclosure" \
    check --chip MI308X --to CN --hq CN --date 2025-05-02
run "NVIDIA H200 from the US to China, 2026-02-01: case-by-case review with certifications" \
    check --chip H200 --to CN --hq CN --from US --date 2026-02-01
run "NVIDIA H100 to Germany, German end user, 2025-05-02: no license" \
    check --chip H100 --to DE --hq DE --date 2025-05-02
run "NVIDIA H100 to Germany, end user's headquarters not given: the answer depends on it" \
    check --chip H100 --to DE --date 2025-05-02
run "GeForce RTX 4090 (gaming, TPP about 5285) to China, 2024-06-03: license required" \
    check --chip "RTX 4090" --to CN --hq CN --date 2024-06-03
run "GeForce RTX 4090 D (TPP 4707, made for China) to China, 2024-06-03: no license" \
    check --chip "RTX 4090 D" --to CN --hq CN --date 2024-06-03
run "The same H20 check as JSON (what an ERP or a script reads)" \
    check --chip H20 --to CN --hq CN --date 2025-05-02 --format json

echo
if [ "$errors" -gt 0 ]; then
    echo "demo: $errors run(s) failed with a usage or input error" >&2
    exit 1
fi
echo "demo: done"
exit 0
