-- chipcheck.rules_dir: rule files other than the built-in ones. Needs two directories that
-- tests/postgresql/run.sh prepares: CHIPCHECK_TEST_RULES_OLD (the rules up to 2024-12-02 only) and
-- CHIPCHECK_TEST_RULES_BAD (the rules plus one malformed file).
\getenv rules_old CHIPCHECK_TEST_RULES_OLD
\getenv rules_bad CHIPCHECK_TEST_RULES_BAD
CREATE EXTENSION chipcheck;
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN st || ' ' || msg || coalesce(' | ' || nullif(det, ''), '');
END $$;
CREATE TABLE h20_lines AS SELECT i, 'H20'::text AS chip FROM generate_series(1, 1000) i;

-- Built in: the 2025-04-09 version makes the H20 to China a license.
SELECT max(version) >= '2026-07-10' AS has_2026 FROM chipcheck.rulesets() WHERE id = 'us-ear-advanced-computing';
SELECT chipcheck.verdict('H20', 'CN', 'CN', '2025-05-02');

-- The older rule files: the latest version is 2024-12-02, under which the H20 needs no license.
SET chipcheck.rules_dir = :'rules_old';
SELECT max(version) FROM chipcheck.rulesets() WHERE id = 'us-ear-advanced-computing';
SELECT chipcheck.verdict('H20', 'CN', 'CN', '2025-05-02');
SELECT d->>'verdict' AS verdict, d#>>'{ruleset,version}' AS version
FROM chipcheck.check('{"destination": "CN", "end_user_hq": "CN", "chip": "H20", "date": "2025-05-02"}') d;

-- A directory that does not load is refused by SET, with the file, line and column; the rules in use stay.
SELECT replace(pg_temp.try(format('SET chipcheck.rules_dir = %L', :'rules_bad')), :'rules_bad', '<rules_bad>');
SELECT current_setting('chipcheck.rules_dir') = :'rules_old' AS still_old;
SELECT chipcheck.verdict('H20', 'CN', 'CN', '2025-05-02');

-- Parallel workers take the setting from the leader and load the same files.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
CREATE FUNCTION pg_temp.workers(q text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || q INTO plan;
    RETURN jsonb_path_query_first(plan, 'strict $.**."Workers Launched"')::int;
END $$;
SELECT pg_temp.workers($$SELECT chipcheck.verdict(chip, 'CN', 'CN', '2025-05-02'), count(*) FROM h20_lines GROUP BY 1 ORDER BY 1$$);
SELECT chipcheck.verdict(chip, 'CN', 'CN', '2025-05-02'), count(*) FROM h20_lines GROUP BY 1 ORDER BY 1;
RESET parallel_leader_participation;

-- Back to the built-in rules.
RESET chipcheck.rules_dir;
SELECT chipcheck.verdict('H20', 'CN', 'CN', '2025-05-02');
SELECT chipcheck.verdict(chip, 'CN', 'CN', '2025-05-02'), count(*) FROM h20_lines GROUP BY 1 ORDER BY 1;
DROP EXTENSION chipcheck;
