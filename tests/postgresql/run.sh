#!/bin/sh
# run.sh [CLI]: test the PostgreSQL extension against a real server that this script starts and stops.
#
#  1. installs the extension (make -C bindings/postgresql install; as root on CI) and starts a private
#     server (tests/postgresql/server.sh: initdb in a temporary directory, a non-root OS user, a Unix socket
#     only);
#  2. pg_regress: bindings/postgresql/sql/{chipcheck,rules_dir}.sql against expected/*.out
#     (CHIPCHECK_PG_UPDATE=1 takes the output as the new expectation, after printing the differences);
#  3. 100,000 generated order lines (orders.sql): SELECT verdict, count(*) ... GROUP BY verdict, serial and
#     with 2 parallel workers, equals the CLI's `chipcheck batch` on the same lines; then line by line: the
#     typed and jsonb verdicts and brief() equal the batch's brief decisions, and check() equals the full
#     decisions of the first 2,000 lines (as jsonb);
#  4. memory: 5,000 rounds of every function, good input and errors, in one backend; its resident size
#     must grow by less than 1 MiB (it grows by about 280 KiB once, whatever the number of rounds; leaking
#     a decision, or 200 bytes a round, fails it).
set -eu
cd "$(dirname "$0")/../.."
CLI=${1:-build/chipcheck}
ROWS=100000
. tests/postgresql/server.sh
PG_REGRESS=$("$PG_CONFIG" --pkglibdir)/pgxs/src/test/regress/pg_regress
failures=0

fail() {
    echo "pg-test: FAIL: $*" >&2
    failures=$((failures + 1))
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d chipcheck_test "$@"; }

make -s -C bindings/postgresql PG_CONFIG="$PG_CONFIG" install >/dev/null
trap pg_stop EXIT
trap 'exit 1' HUP INT TERM
pg_start
W=$PG_WORK

# ---- 2. regression SQL ----------------------------------------------------------------------------------
mkdir "$W/rules-old" "$W/rules-bad"
cp -R rules/. "$W/rules-old/"
rm -f "$W"/rules-old/us-ear/2025-*.xml "$W"/rules-old/us-ear/2026-*.xml
cp -R rules/. "$W/rules-bad/"
printf '<ruleset id="us-ear-advanced-computing"\n' >"$W/rules-bad/us-ear/2099-01-01.xml"
chmod -R a+rX "$W/rules-old" "$W/rules-bad"
rc=0
CHIPCHECK_TEST_RULES_OLD="$W/rules-old" CHIPCHECK_TEST_RULES_BAD="$W/rules-bad" \
    "$PG_REGRESS" --inputdir=bindings/postgresql --outputdir="$W/regress" --bindir="$PG_BINDIR" \
    --host="$PGHOST" --port="$PGPORT" --user="$PGUSER" --dbname=chipcheck_regress chipcheck rules_dir \
    >"$W/regress.log" 2>&1 || rc=$?
grep -E '^(test|ok|not ok) ' "$W/regress.log" | sed 's/ *[0-9]* ms$//' || true
if [ "$rc" -ne 0 ] && [ -n "${CHIPCHECK_PG_UPDATE:-}" ]; then
    # CHIPCHECK_PG_UPDATE=1 make pg-test: take what the server printed as the new expected output (after a
    # rule or message change); read the diff first, it is printed here.
    cat "$W/regress/regression.diffs" >&2 2>/dev/null || true
    for out in "$W"/regress/results/*.out; do
        cp "$out" bindings/postgresql/expected/
    done
    echo "pg-test: expected output updated from $W/regress/results" >&2
elif [ "$rc" -ne 0 ]; then
    cat "$W/regress.log" "$W/regress/regression.diffs" >&2 2>/dev/null || true
    fail "pg_regress: the output differs from bindings/postgresql/expected/ (exit $rc)"
fi

# ---- 3. 100,000 order lines: SQL equals chipcheck batch ---------------------------------------------------
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE DATABASE chipcheck_test'
q -c 'CREATE EXTENSION chipcheck'
q -v rows=$ROWS -f tests/postgresql/orders.sql
q -c 'SELECT shipment::text FROM orders ORDER BY id' >"$W/orders.jsonl"
rc=0
"$CLI" batch --brief <"$W/orders.jsonl" >"$W/brief.jsonl" || rc=$?
[ "$rc" -eq 0 ] || fail "chipcheck batch --brief exited $rc on the generated lines"
head -n 2000 "$W/orders.jsonl" | "$CLI" batch >"$W/full.jsonl" || fail "chipcheck batch exited non-zero"

# The batch's counts, by verdict (an error record counts as "error").
/usr/bin/python3 -c '
import collections, json, sys
c = collections.Counter(json.loads(line).get("verdict", "error") for line in sys.stdin)
for v, n in sorted(c.items()):
    print("%s|%d" % (v, n))' <"$W/brief.jsonl" >"$W/counts.batch"
GROUP_BY="SELECT verdict || '|' || count(*) FROM (SELECT chipcheck.verdict(chip, destination, end_user_hq, ship_date,
          export_from)::text AS verdict FROM orders) o GROUP BY verdict ORDER BY verdict"
q -c 'SET max_parallel_workers_per_gather = 0' -c "$GROUP_BY" >"$W/counts.serial"
FORCE_PARALLEL="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET min_parallel_table_scan_size = 0;"
q -c "$FORCE_PARALLEL" -c "$GROUP_BY" >"$W/counts.parallel"
q -c "$FORCE_PARALLEL" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $GROUP_BY" >"$W/plan.parallel"
q -c "SELECT verdict || '|' || count(*) FROM (SELECT chipcheck.verdict(shipment)::text AS verdict FROM orders) o
      GROUP BY verdict ORDER BY verdict" >"$W/counts.json"
echo "batch ($(wc -l <"$W/orders.jsonl") lines): $(tr '\n' ' ' <"$W/counts.batch")"
for f in serial parallel json; do
    if cmp -s "$W/counts.batch" "$W/counts.$f"; then
        echo "ok: GROUP BY verdict ($f) equals chipcheck batch"
    else
        diff "$W/counts.batch" "$W/counts.$f" >&2 || true
        fail "GROUP BY verdict ($f) differs from chipcheck batch"
    fi
done
[ "$(wc -l <"$W/counts.batch")" -eq 3 ] || fail "the generated lines do not give all three verdicts (and no error)"
grep -q 'Workers Launched: 2' "$W/plan.parallel" || { cat "$W/plan.parallel" >&2; fail "no 2 parallel workers"; }

# Line by line, after loading the batch's output (\x01 and \x02 never occur in JSON text).
q -c 'CREATE TABLE brief (line jsonb); CREATE TABLE full_decision (line jsonb)'
q -c "\\copy brief FROM '$W/brief.jsonl' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
q -c "\\copy full_decision FROM '$W/full.jsonl' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
got=$(q -c "SELECT count(*),
    count(*) FILTER (WHERE chipcheck.verdict(o.chip, o.destination, o.end_user_hq, o.ship_date, o.export_from)::text
                           IS DISTINCT FROM b.line->>'verdict'),
    count(*) FILTER (WHERE chipcheck.verdict(o.shipment)::text IS DISTINCT FROM b.line->>'verdict'),
    count(*) FILTER (WHERE chipcheck.brief(o.shipment) IS DISTINCT FROM b.line)
  FROM orders o JOIN brief b ON b.line->>'id' = o.shipment->>'id'")
[ "$got" = "$ROWS|0|0|0" ] && echo "ok: $ROWS lines: typed verdict, jsonb verdict and brief() equal the batch, line by line" ||
    fail "line by line (lines|typed differ|jsonb differ|brief differs): $got, expected $ROWS|0|0|0"
got=$(q -c "SELECT count(*), count(*) FILTER (WHERE chipcheck.check(o.shipment) IS DISTINCT FROM f.line)
  FROM orders o JOIN full_decision f ON f.line->>'id' = o.shipment->>'id'")
[ "$got" = "2000|0" ] && echo "ok: 2000 lines: check() equals the batch's full decision" ||
    fail "check() against the full decisions (lines|differ): $got, expected 2000|0"

# ---- 4. no memory growth per call ------------------------------------------------------------------------
growth=$(q <<'EOF'
CREATE FUNCTION pg_temp.rss_kb() RETURNS bigint LANGUAGE sql AS
  $$ SELECT substring(pg_read_file('/proc/self/status') FROM 'VmRSS:\s+(\d+)')::bigint $$;
CREATE FUNCTION pg_temp.churn(n int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE good jsonb := '{"destination": "CN", "end_user_hq": "CN", "chip": "H20", "date": "2025-05-02"}';
BEGIN
    FOR i IN 1..n LOOP
        PERFORM chipcheck.check(good), chipcheck.brief(good, '2025-05-02'), chipcheck.verdict(good),
                chipcheck.verdict('H100', 'DE', NULL, '2025-05-02');
        PERFORM count(*) FROM chipcheck.rulesets();
        PERFORM count(*) FROM chipcheck.chips();
        BEGIN
            PERFORM chipcheck.check('{"destination": "XX", "chip": "H20"}');
        EXCEPTION WHEN invalid_parameter_value THEN NULL;
        END;
        BEGIN
            PERFORM chipcheck.brief('{"destination": "CN", "chip": {"name": "X", "tpp": -1}}');
        EXCEPTION WHEN invalid_parameter_value THEN NULL;
        END;
        BEGIN
            PERFORM chipcheck.verdict('{"destination": "CN", "chip": "H20", "licenses": [{"id": 5}]}'::jsonb);
        EXCEPTION WHEN invalid_parameter_value THEN NULL;
        END;
        BEGIN
            PERFORM chipcheck.verdict('NoSuchChip', 'CN', 'CN', '2025-05-02');
        EXCEPTION WHEN invalid_parameter_value THEN NULL;
        END;
    END LOOP;
END $$;
SELECT pg_temp.churn(500);
SELECT pg_temp.rss_kb() AS before \gset
SELECT pg_temp.churn(5000);
SELECT pg_temp.rss_kb() - :before;
EOF
)
if [ "$growth" -lt 1024 ]; then
    echo "ok: 5000 rounds of every function (good input and errors): the backend grew by less than 1 MiB"
else
    fail "the backend grew by $growth KiB over 5000 rounds (a leak per call?)"
fi

if [ "$failures" -ne 0 ]; then
    echo "pg-test: $failures check(s) failed" >&2
    exit 1
fi
echo "pg-test: all checks passed"
