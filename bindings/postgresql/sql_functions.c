/*
 * sql_functions.c: the SQL-callable functions of the extension (chipcheck--0.1.sql declares them). Each
 * converts its arguments, makes one library call against the backend's rules, and returns a PostgreSQL
 * value. The library's memory never crosses an ereport: what it returns is copied into palloc'd memory and
 * freed before anything that may raise an error.
 */
#include "chipcheck_pg.h"

#include <stdio.h>
#include <string.h>

#include "access/xact.h"
#include "catalog/pg_enum.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#define DATE_LEN 11 /* "YYYY-MM-DD" and its NUL */

PG_FUNCTION_INFO_V1(chipcheck_sql_check);
PG_FUNCTION_INFO_V1(chipcheck_sql_brief);
PG_FUNCTION_INFO_V1(chipcheck_sql_verdict_json);
PG_FUNCTION_INFO_V1(chipcheck_sql_verdict);
PG_FUNCTION_INFO_V1(chipcheck_sql_rulesets);
PG_FUNCTION_INFO_V1(chipcheck_sql_chips);

/* ---- arguments ------------------------------------------------------------------------------------ */

/* A server-encoded string as the UTF-8 the library reads (the same pointer in a UTF-8 database). */
static const char *to_utf8(const char *s)
{
    return pg_server_to_any(s, (int)strlen(s), PG_UTF8);
}

/* A text argument as UTF-8, or NULL when it is SQL NULL (or not passed). */
static const char *text_arg(FunctionCallInfo fcinfo, int argno)
{
    if (argno >= PG_NARGS() || PG_ARGISNULL(argno))
        return NULL;
    return to_utf8(text_to_cstring(PG_GETARG_TEXT_PP(argno)));
}

/* A date argument as YYYY-MM-DD; an infinite date is bad input named after the argument. (The library
 * checks the range it accepts and says so in its own message.) */
static void format_date(DateADT d, const char *argname, char buf[DATE_LEN])
{
    int y, m, day;
    if (DATE_NOT_FINITE(d))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: '%s' is not a calendar date (YYYY-MM-DD)", argname,
                               DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity")));
    j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
    if (y < 1 || y > 9999)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: year %d is not a year of a YYYY-MM-DD date", argname, y)));
    snprintf(buf, DATE_LEN, "%04d-%02d-%02d", y, m, day);
}

/* The options of a call. A shipment without a date is checked on the on_date argument (argno) when it is
 * given, else on the day the transaction started, in UTC (the library's "today", held still for the
 * transaction, so that the functions are truly STABLE). */
static void call_options(FunctionCallInfo fcinfo, int argno, chipcheck_options *opts, char date[DATE_LEN])
{
    static const chipcheck_options init = CHIPCHECK_OPTIONS_INIT;
    *opts = init;
    if (argno < PG_NARGS() && !PG_ARGISNULL(argno)) {
        format_date(PG_GETARG_DATEADT(argno), "on_date", date);
    } else {
        struct pg_tm tm;
        fsec_t fsec;
        if (timestamp2tm(GetCurrentTransactionStartTimestamp(), NULL, &tm, &fsec, NULL, NULL) != 0)
            ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("timestamp out of range")));
        snprintf(date, DATE_LEN, "%04d-%02d-%02d", tm.tm_year, tm.tm_mon, tm.tm_mday);
    }
    opts->default_date = date;
}

/* Argument 0, a jsonb shipment, as UTF-8 JSON text. */
static const char *shipment_arg(FunctionCallInfo fcinfo)
{
    Jsonb *jb = PG_GETARG_JSONB_P(0);
    return to_utf8(JsonbToCString(NULL, &jb->root, (int)VARSIZE(jb)));
}

/* ---- results -------------------------------------------------------------------------------------- */

/* Take over a JSON string the library allocated: copy it, free it, then convert the copy into jsonb (which
 * may raise an error, so the library's string is gone by then). */
static Datum jsonb_from_library(char *json)
{
    size_t len;
    char *copy;
    if (json == NULL)
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
    len = strlen(json);
    copy = palloc_extended(len + 1, MCXT_ALLOC_NO_OOM);
    if (copy != NULL)
        memcpy(copy, json, len + 1);
    chipcheck_free(json);
    if (copy == NULL)
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
    return DirectFunctionCall1(jsonb_in, CStringGetDatum(pg_any_to_server(copy, (int)len, PG_UTF8)));
}

/* The OIDs of the chipcheck_verdict labels, indexed by the library's verdict value (0, 1, 3). */
typedef struct verdict_labels {
    Oid oid[4];
} verdict_labels;

/* A library verdict as a value of the function's result type, the chipcheck_verdict enum. The label OIDs
 * are looked up once per call site (kept in fn_extra), so a dropped and re-created type is found again. */
static Datum verdict_datum(FunctionCallInfo fcinfo, int verdict)
{
    verdict_labels *labels = (verdict_labels *)fcinfo->flinfo->fn_extra;
    static const int values[] = {CHIPCHECK_ALLOWED, CHIPCHECK_LICENSE_REQUIRED, CHIPCHECK_INDETERMINATE};
    if (labels == NULL) {
        Oid type = get_func_rettype(fcinfo->flinfo->fn_oid);
        labels = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof *labels);
        for (size_t i = 0; i < lengthof(values); i++) {
            const char *name = chipcheck_verdict_name(values[i]);
            labels->oid[values[i]] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid, ObjectIdGetDatum(type),
                                                     CStringGetDatum(name));
            if (!OidIsValid(labels->oid[values[i]]))
                ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                                errmsg("type %s has no label \"%s\"", format_type_be(type), name)));
        }
        fcinfo->flinfo->fn_extra = labels;
    }
    if (verdict < 0 || verdict >= (int)lengthof(labels->oid) || !OidIsValid(labels->oid[verdict]))
        ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("chipcheck returned an unknown verdict %d", verdict)));
    return ObjectIdGetDatum(labels->oid[verdict]);
}

/* ---- the decision ----------------------------------------------------------------------------------- */

/* check() and brief(): the decision JSON for argument 0, with the on_date argument 1 when there is one. */
static Datum decision(FunctionCallInfo fcinfo, unsigned flags)
{
    const chipcheck_rules *rules = pgcc_rules();
    chipcheck_options opts;
    chipcheck_error err;
    chipcheck_decision *d;
    char date[DATE_LEN];
    const char *json;
    char *out;
    if (PG_ARGISNULL(0)) /* the forms with on_date are not STRICT: NULL there means "not given" */
        PG_RETURN_NULL();
    call_options(fcinfo, 1, &opts, date);
    json = shipment_arg(fcinfo);
    d = chipcheck_check_json(rules, json, &opts, &err);
    if (d == NULL)
        pgcc_raise(&err);
    out = chipcheck_decision_json(d, flags);
    chipcheck_decision_free(d);
    PG_RETURN_DATUM(jsonb_from_library(out));
}

/* chipcheck.check(shipment jsonb [, on_date date]) returns jsonb: the library's decision. */
Datum chipcheck_sql_check(PG_FUNCTION_ARGS)
{
    return decision(fcinfo, 0);
}

/* chipcheck.brief(shipment jsonb [, on_date date]) returns jsonb: the brief decision (CHIPCHECK_JSON_BRIEF). */
Datum chipcheck_sql_brief(PG_FUNCTION_ARGS)
{
    return decision(fcinfo, CHIPCHECK_JSON_BRIEF);
}

/* chipcheck.verdict(shipment jsonb [, on_date date]) returns chipcheck_verdict, on the verdict-only path. */
Datum chipcheck_sql_verdict_json(PG_FUNCTION_ARGS)
{
    chipcheck_evaluator *ev = pgcc_evaluator();
    chipcheck_options opts;
    chipcheck_error err;
    char date[DATE_LEN];
    int v;
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    call_options(fcinfo, 1, &opts, date);
    v = chipcheck_evaluator_verdict_json(ev, shipment_arg(fcinfo), &opts, &err);
    if (v < 0)
        pgcc_raise(&err);
    PG_RETURN_DATUM(verdict_datum(fcinfo, v));
}

/* chipcheck.verdict(chip, destination, end_user_hq, ship_date [, export_from]) returns chipcheck_verdict.
 * Not STRICT: a NULL end_user_hq or export_from is data not known, which the rules treat as unknown (the
 * verdict is indeterminate where it matters); a NULL chip, destination or ship_date is an error naming it. So
 * the result is never NULL, and `verdict(...) <> 'allowed'` finds every line that is not cleared. */
Datum chipcheck_sql_verdict(PG_FUNCTION_ARGS)
{
    chipcheck_evaluator *ev = pgcc_evaluator();
    chipcheck_shipment s;
    chipcheck_error err;
    char date[DATE_LEN];
    int v;
    memset(&s, 0, sizeof s);
    s.chip_name = text_arg(fcinfo, 0);
    s.destination = text_arg(fcinfo, 1);
    s.end_user_hq = text_arg(fcinfo, 2);
    s.export_from = text_arg(fcinfo, 4);
    if (PG_ARGISNULL(3))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("ship_date: is required (the export date of the order line)")));
    format_date(PG_GETARG_DATEADT(3), "ship_date", date);
    s.date = date;
    v = chipcheck_evaluator_verdict(ev, &s, NULL, &err);
    if (v < 0)
        pgcc_raise(&err);
    PG_RETURN_DATUM(verdict_datum(fcinfo, v));
}

/* ---- what is loaded --------------------------------------------------------------------------------- */

static Datum text_or_null(const char *s, bool *isnull)
{
    *isnull = s == NULL;
    return s == NULL ? (Datum)0 : CStringGetTextDatum(pg_any_to_server(s, (int)strlen(s), PG_UTF8));
}

/* chipcheck.rulesets() returns table (id, version, effective, title, digest): every rule-set version loaded,
 * ordered by regime, then effective date. */
Datum chipcheck_sql_rulesets(PG_FUNCTION_ARGS)
{
    const chipcheck_rules *rules = pgcc_rules();
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    size_t n = chipcheck_rules_count(rules);
    InitMaterializedSRF(fcinfo, 0);
    for (size_t i = 0; i < n; i++) {
        const char *id = NULL, *version = NULL, *effective = NULL, *title = NULL, *digest = NULL;
        Datum values[5];
        bool nulls[5];
        if (chipcheck_rules_info(rules, i, &id, &version, &effective, &title, &digest) != CHIPCHECK_OK)
            ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("rule-set version %zu of %zu is missing", i, n)));
        values[0] = text_or_null(id, &nulls[0]);
        values[1] = text_or_null(version, &nulls[1]);
        nulls[2] = effective == NULL;
        values[2] = effective == NULL ? (Datum)0 : DirectFunctionCall1(date_in, CStringGetDatum(effective));
        values[3] = text_or_null(title, &nulls[3]);
        values[4] = text_or_null(digest, &nulls[4]);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}

/* chipcheck.chips() returns table (name, entry): every catalog chip and its catalog entry as JSON. */
Datum chipcheck_sql_chips(PG_FUNCTION_ARGS)
{
    const chipcheck_rules *rules = pgcc_rules();
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    size_t n = chipcheck_rules_chip_count(rules);
    InitMaterializedSRF(fcinfo, 0);
    for (size_t i = 0; i < n; i++) {
        const char *name = chipcheck_rules_chip_name(rules, i);
        chipcheck_error err;
        char *json;
        Datum values[2];
        bool nulls[2] = {false, false};
        if (name == NULL)
            ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("catalog chip %zu of %zu is missing", i, n)));
        json = chipcheck_rules_chip_json(rules, name, &err);
        if (json == NULL)
            pgcc_raise(&err);
        values[0] = text_or_null(name, &nulls[0]);
        values[1] = jsonb_from_library(json);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}
