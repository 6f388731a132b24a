#!/bin/sh
# bench.sh [CLI]: the PostgreSQL extension's throughput, beside `chipcheck batch` on the same lines. Prints
# figures only (it is part of `make bench`, never of `make test`).
#
# 1,000,000 generated order lines (orders.sql) in a table of a private server (server.sh), then
#   SELECT count(*) FILTER (WHERE chipcheck.verdict(...) = 'license_required') FROM orders
# with the typed form and with the jsonb form, with max_parallel_workers_per_gather 0 and 2; each the median
# of 3 runs, timed inside the server (clock_timestamp() around the query). Then the same lines, exported as
# JSON Lines, through `chipcheck batch --brief` (median of 3) and `chipcheck batch` (1 run), output to
# /dev/null (a full trace is about 14 KB a line: 14 GB for the million).
set -eu
cd "$(dirname "$0")/../.."
CLI=${1:-build/chipcheck}
ROWS=1000000
. tests/postgresql/server.sh

make -s -C bindings/postgresql PG_CONFIG="$PG_CONFIG" install >/dev/null
trap pg_stop EXIT
trap 'exit 1' HUP INT TERM
pg_start shared_buffers=512MB max_parallel_workers_per_gather=2
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
now_ns() { date +%s%N; }

q -c 'CREATE EXTENSION chipcheck'
q -v rows=$ROWS -f tests/postgresql/orders.sql
q -c 'SELECT shipment::text FROM orders ORDER BY id' >"$PG_WORK/orders.jsonl"
q >/dev/null <<'EOF'
CREATE FUNCTION bench_ms(query text, workers int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; n bigint; ms float8[] := '{}';
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
    PERFORM set_config('parallel_setup_cost', '0', true);
    PERFORM set_config('min_parallel_table_scan_size', '0', true);
    FOR i IN 1..3 LOOP
        t0 := clock_timestamp();
        EXECUTE query INTO n;
        ms := ms || extract(epoch FROM clock_timestamp() - t0)::float8 * 1000;
    END LOOP;
    RETURN (SELECT x FROM unnest(ms) x ORDER BY x OFFSET 1 LIMIT 1);
END $$;
CREATE FUNCTION bench_workers(query text, workers int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE plan jsonb;
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
    PERFORM set_config('parallel_setup_cost', '0', true);
    PERFORM set_config('min_parallel_table_scan_size', '0', true);
    EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ' || query INTO plan;
    RETURN coalesce(jsonb_path_query_first(plan, 'strict $.**."Workers Launched"')::int, 0);
END $$;
SELECT count(*) FROM orders;
EOF

TYPED="SELECT count(*) FILTER (WHERE chipcheck.verdict(chip, destination, end_user_hq, ship_date, export_from)
       = 'license_required') FROM orders"
JSONB="SELECT count(*) FILTER (WHERE chipcheck.verdict(shipment) = 'license_required') FROM orders"
SCAN="SELECT count(*) FILTER (WHERE destination = 'CN') FROM orders"
required=$(q -c "$TYPED")
echo "$("$PG_CONFIG" --version), $ROWS order lines, $(nproc) cores; license_required: $required in SQL," \
    "$("$CLI" batch --brief <"$PG_WORK/orders.jsonl" | grep -c '"verdict":"license_required"') in the batch"
json="{\"rows\": $ROWS"
rate() { # label, key, query, workers
    ms=$(q -c "SELECT bench_ms(\$q\$$3\$q\$, $4)")
    launched=$(q -c "SELECT bench_workers(\$q\$$3\$q\$, $4)")
    r=$(awk -v n=$ROWS -v ms="$ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
    printf '  %-44s %10s rows/s  (%.0f ms, %d workers launched)\n' "$1" "$r" "$ms" "$launched"
    json="$json, \"$2\": $r"
}
rate "scan only (no chipcheck), 0 workers" scan_w0 "$SCAN" 0
rate "chipcheck.verdict(chip, ...), 0 workers" typed_w0 "$TYPED" 0
rate "chipcheck.verdict(chip, ...), 2 workers" typed_w2 "$TYPED" 2
rate "chipcheck.verdict(shipment jsonb), 0 workers" jsonb_w0 "$JSONB" 0
rate "chipcheck.verdict(shipment jsonb), 2 workers" jsonb_w2 "$JSONB" 2

batch_rate() { # label, key, runs, batch options...
    label=$1 key=$2 runs=$3
    shift 3
    times=""
    for i in $(seq "$runs"); do
        t0=$(now_ns)
        "$CLI" batch "$@" <"$PG_WORK/orders.jsonl" >/dev/null
        times="$times $(( ($(now_ns) - t0) / 1000000 ))"
    done
    ms=$(echo "$times" | tr ' ' '\n' | sed '/^$/d' | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    r=$(awk -v n=$ROWS -v ms="$ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
    printf '  %-44s %10s lines/s (%d ms)\n' "$label" "$r" "$ms"
    json="$json, \"$key\": $r"
}
batch_rate "chipcheck batch --brief (same lines)" batch_brief 3 --brief
batch_rate "chipcheck batch (same lines, full trace)" batch_full 1
echo "$json}"
