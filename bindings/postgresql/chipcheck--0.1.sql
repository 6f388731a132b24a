/* chipcheck--0.1.sql: the chipcheck extension, version 0.1, in schema chipcheck. */

\echo Use "CREATE EXTENSION chipcheck" to load this file. \quit

GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

-- A verdict, as a value a table can store, index and group by. Ordered as the library numbers them.
CREATE TYPE @extschema@.chipcheck_verdict AS ENUM ('allowed', 'license_required', 'indeterminate');

-- All functions read the backend's rules (loaded once; chipcheck.rules_dir may change them), and a
-- shipment without a date is checked on the day the transaction started (UTC): STABLE, not IMMUTABLE.
-- They keep no state a parallel worker could not rebuild: PARALLEL SAFE. The forms that take only a
-- shipment are STRICT (no shipment, no decision); where an argument is optional, NULL means "not given",
-- so those forms are not STRICT and handle NULL themselves (see README.md). COST is the time of a call
-- measured against that of a simple operator (1): the full decision is ~14 KB of JSON for jsonb to parse.

-- The decision, exactly the library's JSON (as jsonb). on_date: the date of a shipment without one.
CREATE FUNCTION @extschema@.check(shipment jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'chipcheck_sql_check'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 5000;

CREATE FUNCTION @extschema@.check(shipment jsonb, on_date date)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'chipcheck_sql_check'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE COST 5000;

-- The brief decision: everything but metrics and reasons, plus codes and unknown.
CREATE FUNCTION @extschema@.brief(shipment jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'chipcheck_sql_brief'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 500;

CREATE FUNCTION @extschema@.brief(shipment jsonb, on_date date)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'chipcheck_sql_brief'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE COST 500;

-- The verdict alone (no trace is built).
CREATE FUNCTION @extschema@.verdict(shipment jsonb)
RETURNS @extschema@.chipcheck_verdict
AS 'MODULE_PATHNAME', 'chipcheck_sql_verdict_json'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;

CREATE FUNCTION @extschema@.verdict(shipment jsonb, on_date date)
RETURNS @extschema@.chipcheck_verdict
AS 'MODULE_PATHNAME', 'chipcheck_sql_verdict_json'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE COST 100;

-- The verdict of an order line in ordinary columns; chip is a catalog name or alias. A NULL end_user_hq or
-- export_from is unknown data; a NULL chip, destination or ship_date is an error. Never returns NULL.
CREATE FUNCTION @extschema@.verdict(chip text, destination text, end_user_hq text, ship_date date,
                                    export_from text DEFAULT NULL)
RETURNS @extschema@.chipcheck_verdict
AS 'MODULE_PATHNAME', 'chipcheck_sql_verdict'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE COST 50;

-- Every rule-set version loaded, ordered by regime, then effective date.
CREATE FUNCTION @extschema@.rulesets(OUT id text, OUT version text, OUT effective date, OUT title text,
                                     OUT digest text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'chipcheck_sql_rulesets'
LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 20;

-- Every catalog chip, with its catalog entry (figures, sources, provenance).
CREATE FUNCTION @extschema@.chips(OUT name text, OUT entry jsonb)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'chipcheck_sql_chips'
LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 50;
