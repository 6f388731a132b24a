-- The chipcheck extension: every function, NULLs, errors with their SQLSTATE, the verdict type, a parallel
-- plan, and drop/re-create. Decisions are shown by a few keys (verdict, policy, codes), not whole, so that
-- fields added to the decision JSON later leave this file valid.
SET DateStyle = 'ISO, YMD';
CREATE EXTENSION chipcheck;
SELECT extversion, extnamespace::regnamespace AS schema, extrelocatable
FROM pg_extension WHERE extname = 'chipcheck';

-- What the planner is told: STABLE (s) and PARALLEL SAFE (s) everywhere; STRICT only where no argument is
-- optional.
SELECT p.oid::regprocedure AS function, provolatile, proparallel, proisstrict, prorettype::regtype AS returns
FROM pg_proc p WHERE pronamespace = 'chipcheck'::regnamespace ORDER BY 1::text;
SELECT enum_range(NULL::chipcheck.chipcheck_verdict);

-- An error on one line: SQLSTATE, message | detail.
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN st || ' ' || msg || coalesce(' | ' || nullif(det, ''), '');
END $$;

CREATE TABLE ships (name text PRIMARY KEY, s jsonb NOT NULL);
INSERT INTO ships VALUES
  ('h20-cn', '{"id": "SO-1/10", "destination": "CN", "end_user_hq": "CN", "chip": "H20", "date": "2025-05-02"}'),
  ('h20-cn-2022', '{"destination": "CN", "end_user_hq": "CN", "chip": "H20", "date": "2022-01-01"}'),
  ('h20-cn-licensed', '{"destination": "CN", "end_user_hq": "CN", "chip": "H20", "date": "2025-09-01",
     "licenses": [{"id": "L-1", "destination": "CN", "valid_from": "2025-08-10", "valid_to": "2026-08-09",
                   "products": ["H20"]}]}'),
  ('h20-de', '{"destination": "DE", "end_user_hq": "DE", "chip": "H20", "date": "2025-05-02"}'),
  ('h100-de-hq-cn', '{"destination": "DE", "end_user_hq": "CN", "chip": "H100", "date": "2025-05-02"}'),
  ('h100-de-hq-unknown', '{"destination": "DE", "chip": "H100", "date": "2025-05-02"}'),
  ('h200-cn-from-us', '{"destination": "CN", "end_user_hq": "CN", "export_from": "US", "chip": "H200",
     "date": "2026-03-01"}'),
  ('figures-cn', '{"destination": "CN", "end_user_hq": "CN", "date": "2025-05-02",
     "chip": {"name": "X1", "tpp": 5000, "die_area_mm2": 600, "datacenter": true}}');

-- check(): the decision, with the codes of the reasons that hold.
SELECT name, d->>'verdict' AS verdict, d->>'review_policy' AS policy, d#>>'{ruleset,version}' AS version,
       jsonb_path_query_array(d, '$.reasons[*] ? (@.result == true).code') AS codes, d->'missing' AS missing
FROM ships, LATERAL chipcheck.check(s) d ORDER BY name;
SELECT chipcheck.check(s)->>'id' AS id FROM ships WHERE name = 'h20-cn';

-- verdict(jsonb) takes the verdict-only path: the same verdict as check().
SELECT name, chipcheck.verdict(s), pg_typeof(chipcheck.verdict(s)),
       chipcheck.verdict(s)::text = chipcheck.check(s)->>'verdict' AS same
FROM ships ORDER BY name;

-- brief(): the decision without metrics and reasons, plus codes and unknown; not_screened as codes only.
SELECT name, b->'codes' AS codes, b->'unknown' AS unknown, b ? 'reasons' AS has_reasons, b ? 'metrics' AS has_metrics,
       (chipcheck.check(s) - 'metrics' - 'reasons' - 'not_screened') = (b - 'codes' - 'unknown' - 'not_screened')
       AND (SELECT jsonb_agg(n->'code') FROM jsonb_array_elements(chipcheck.check(s)->'not_screened') n)
           IS NOT DISTINCT FROM (CASE WHEN jsonb_array_length(b->'not_screened') > 0 THEN b->'not_screened' END)
       AS rest_equals_check
FROM ships, LATERAL chipcheck.brief(s) b ORDER BY name;

-- on_date: the date of a shipment that has none; the shipment's own date wins. With no date anywhere, the
-- day the transaction started, in UTC.
SELECT chipcheck.check('{"destination": "CN", "chip": "H20"}', '2025-05-02')->>'date' AS on_date,
       chipcheck.verdict('{"destination": "CN", "chip": "H20"}', '2022-01-01') AS in_2022,
       chipcheck.verdict('{"destination": "CN", "chip": "H20"}', '2025-05-02') AS in_2025,
       chipcheck.brief('{"destination": "CN", "chip": "H20"}', '2025-05-02')->'codes' AS codes_2025,
       chipcheck.check(s, '2022-01-01')->>'date' AS own_date
FROM ships WHERE name = 'h20-cn';
SELECT (chipcheck.check('{"destination": "CN", "chip": "H20"}')->>'date')::date
           = (now() AT TIME ZONE 'UTC')::date AS check_today,
       (chipcheck.brief('{"destination": "CN", "chip": "H20"}', NULL)->>'date')::date
           = (now() AT TIME ZONE 'UTC')::date AS brief_null_on_date,
       chipcheck.verdict('{"destination": "CN", "chip": "H20"}', NULL)
           = chipcheck.verdict('{"destination": "CN", "chip": "H20"}') AS verdict_null_on_date;

-- NULL shipment: no decision (NULL), with or without on_date.
SELECT chipcheck.check(NULL) IS NULL AS c1, chipcheck.check(NULL, '2025-05-02') IS NULL AS c2,
       chipcheck.brief(NULL) IS NULL AS b1, chipcheck.brief(NULL, NULL) IS NULL AS b2,
       chipcheck.verdict(NULL::jsonb) IS NULL AS v1, chipcheck.verdict(NULL::jsonb, NULL) IS NULL AS v2;

-- The typed form: chip is a catalog name or alias; a NULL end_user_hq or export_from is unknown data.
SELECT chip, destination, hq, ship_date, export_from,
       chipcheck.verdict(chip, destination, hq, ship_date, export_from) AS verdict,
       chipcheck.verdict(chip, destination, hq, ship_date, export_from)
           = chipcheck.verdict(jsonb_strip_nulls(jsonb_build_object('chip', chip, 'destination', destination,
               'end_user_hq', hq, 'date', ship_date, 'export_from', export_from))) AS same_as_json
FROM (VALUES ('H20', 'CN', 'CN', date '2025-05-02', NULL),
             ('h20', 'CN', 'CN', '2025-05-02', NULL),
             ('HGX H20', 'CN', NULL, '2025-05-02', NULL),
             ('H20', 'DE', 'DE', '2025-05-02', NULL),
             ('H20', 'CN', 'CN', '2022-01-01', NULL),
             ('H100', 'DE', NULL, '2025-05-02', NULL),
             ('H100', 'DE', 'DE', '2025-05-02', NULL),
             ('H100', 'DE', 'CN', '2025-05-02', 'DE'),
             ('MI308X', 'DE', NULL, '2025-05-02', NULL),
             ('H200', 'CN', 'CN', '2026-03-01', 'US'),
             ('H200', 'CN', 'CN', '2026-03-01', NULL)) AS v(chip, destination, hq, ship_date, export_from)
ORDER BY 1, 2, 3, 4, 5;
SELECT chipcheck.verdict('H100', 'DE', 'CN', '2025-05-02') AS four_args,
       chipcheck.verdict('H100', 'DE', 'CN', '2025-05-02', NULL) AS export_from_null;

-- Bad input: SQLSTATE 22023, the message names the field; never a crash, never a verdict.
SELECT chipcheck.check('{"destination": "XX", "chip": "H20", "date": "2025-05-02"}');
SELECT chipcheck.verdict('H20', 'CN', 'CN', NULL);
SELECT q, pg_temp.try(q) FROM (VALUES
  ($$SELECT chipcheck.check('{"destination": "CN", "chip": "H20", "date": "2025-02-30"}')$$),
  ($$SELECT chipcheck.check('{"destination": "CN", "chip": "H20", "quantity": -5}')$$),
  ($$SELECT chipcheck.check('{"destination": "CN", "chip": {"name": "X", "tpp": -1}}')$$),
  ($$SELECT chipcheck.check('{"destination": "CN", "chip": {"name": "X", "tpp": "4800"}}')$$),
  ($$SELECT chipcheck.check('["H20"]')$$),
  ($$SELECT chipcheck.check('"H20"')$$),
  ($$SELECT chipcheck.check('{"destination": "CN", "chip": "H20"}', 'infinity')$$),
  ($$SELECT chipcheck.check('{"destination": "CN", "chip": "H20"}', '1800-01-01')$$),
  ($$SELECT chipcheck.brief('{"destination": "CN", "chip": "NoSuchChip"}')$$),
  ($$SELECT chipcheck.verdict('{"chip": "H20"}'::jsonb)$$),
  ($$SELECT chipcheck.verdict('{"destination": "CN", "chip": "H20", "end_user_hq": "C"}'::jsonb)$$),
  ($$SELECT chipcheck.verdict('{"destination": "CN"}', '2025-05-02')$$),
  ($$SELECT chipcheck.verdict('NoSuchChip', 'CN', 'CN', '2025-05-02')$$),
  ($$SELECT chipcheck.verdict(NULL, 'CN', 'CN', '2025-05-02')$$),
  ($$SELECT chipcheck.verdict('H20', NULL, 'CN', '2025-05-02')$$),
  ($$SELECT chipcheck.verdict('H20', 'CN', 'ZZ', '2025-05-02')$$),
  ($$SELECT chipcheck.verdict('H20', 'CN', 'CN', '2025-05-02', 'USA')$$),
  ($$SELECT chipcheck.verdict('H20', 'CN', 'CN', '-infinity')$$),
  ($$SELECT chipcheck.verdict('H20', 'CN', 'CN', '1899-12-31')$$)) AS t(q);

-- rulesets(): every version loaded, ordered by regime, then effective date; chips(): the catalog.
SELECT id, version, effective FROM chipcheck.rulesets()
WHERE id = 'us-ear-advanced-computing' AND version IN ('2023-11-17', '2025-04-09') ORDER BY version;
SELECT count(*) >= 13 AS versions, bool_and(digest ~ '^sha256:[0-9a-f]{64}$') AS digests,
       bool_and(title <> '') AS titles,
       array_agg(n ORDER BY n) = array_agg(n ORDER BY id, effective, version) AS ordered
FROM chipcheck.rulesets() WITH ORDINALITY AS r(id, version, effective, title, digest, n);
SELECT name, entry->>'vendor' AS vendor, entry->'memory_bandwidth_gbs' AS memory_bandwidth_gbs,
       entry->'aliases' AS aliases
FROM chipcheck.chips() WHERE name IN ('H20', 'H100 SXM5 80GB') ORDER BY name;
SELECT count(*) > 10 AS chips, count(*) = count(DISTINCT name) AS distinct_names,
       bool_and(entry->>'name' = name) AS entry_names,
       bool_and(chipcheck.verdict(name, 'DE', 'DE', '2025-05-02') IS NOT NULL) AS each_screens_by_name
FROM chipcheck.chips();

-- The verdict type: store it, index it, group by it. (An expression index is refused: the functions are
-- STABLE, since the rules and the default date can change.)
CREATE TABLE lines AS
SELECT i, (ARRAY['H20', 'H100', 'RTX 4090', 'MI308X'])[1 + i % 4] AS chip,
       (ARRAY['CN', 'DE', 'JP', 'AE', 'VN'])[1 + i % 5] AS destination,
       (ARRAY['CN', 'DE', NULL])[1 + i % 3] AS hq, date '2025-05-02' + (i % 400) AS ship_date
FROM generate_series(1, 600) i;
ALTER TABLE lines ADD COLUMN verdict chipcheck.chipcheck_verdict;
UPDATE lines SET verdict = chipcheck.verdict(chip, destination, hq, ship_date);
CREATE INDEX lines_verdict ON lines (verdict);
SELECT verdict, count(*) FROM lines GROUP BY verdict ORDER BY verdict;
SET enable_seqscan = off;
SELECT count(*) FROM lines WHERE verdict = 'indeterminate';
RESET enable_seqscan;
SELECT pg_temp.try($$CREATE INDEX ON lines (chipcheck.verdict(chip, destination, hq, ship_date))$$);

-- A parallel plan: the workers load the rules themselves and agree with the serial plan.
CREATE FUNCTION pg_temp.workers(q text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || q INTO plan;
    RETURN jsonb_path_query_first(plan, 'strict $.**."Workers Launched"')::int;
END $$;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT pg_temp.workers($$SELECT count(*) FROM lines WHERE chipcheck.verdict(chip, destination, hq, ship_date) = 'license_required'$$);
SELECT count(*) FILTER (WHERE chipcheck.verdict(chip, destination, hq, ship_date) IS DISTINCT FROM verdict) AS differ,
       count(*) FILTER (WHERE chipcheck.verdict(jsonb_strip_nulls(jsonb_build_object('chip', chip, 'destination',
           destination, 'end_user_hq', hq, 'date', ship_date))) IS DISTINCT FROM verdict) AS differ_json
FROM lines;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- chipcheck.rules_dir: superuser only; a directory that does not load is refused by SET.
SHOW chipcheck.rules_dir;
SELECT pg_temp.try($$SET chipcheck.rules_dir = '/nonexistent'$$);
CREATE ROLE chipcheck_clerk;
SET ROLE chipcheck_clerk;
SELECT chipcheck.verdict('H20', 'CN', 'CN', '2025-05-02');
SELECT pg_temp.try($$SET chipcheck.rules_dir = '/tmp'$$);
RESET ROLE;
DROP ROLE chipcheck_clerk;

-- Dropped (the schema stays, empty); re-created in the same session, the new verdict type is found.
DROP EXTENSION chipcheck CASCADE;
SELECT count(*) FROM pg_depend WHERE refclassid = 'pg_namespace'::regclass AND refobjid = 'chipcheck'::regnamespace;
CREATE EXTENSION chipcheck;
SELECT chipcheck.verdict('H20', 'CN', 'CN', '2025-05-02'), chipcheck.verdict('{"destination": "DE", "chip": "H20", "date": "2025-05-02"}');
DROP EXTENSION chipcheck;
