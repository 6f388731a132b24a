/*
 * shipment.c: the checking entry points. Turns a shipment (JSON text or chipcheck_shipment struct) into the
 * validated form the evaluator reads, then hands it to the evaluator (evaluate.c, a layer below). Bad input
 * is an error that names the field and the value; missing optional data is not an error (the evaluator
 * reports it as missing). The JSON layer only checks shapes and types and hands a struct to the same
 * validation the struct API uses.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "internal.h"

#define MAX_FIGURE SHIPMENT_MAX_FIGURE /* no chip figure (TPP, GB/s, mm2) comes near this (internal.h) */
#define MAX_TEXT 1024  /* bytes in any string of a shipment */
#define MAX_LICENSES 64    /* licenses in one shipment */
#define MAX_PRODUCTS 256   /* products of one license */
#define MAX_THROUGHPUT 64  /* throughput figures of one chip */
_Static_assert(PULL_TP <= MAX_THROUGHPUT && PULL_LIC <= MAX_LICENSES && PULL_PRODUCTS <= MAX_PRODUCTS,
               "the pull parser must never read more entries than the cJSON path accepts");

__attribute__((format(printf, 3, 4)))
static int ierr(chipcheck_error *err, const char *field, const char *fmt, ...)
{
    char msg[240];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(err, CHIPCHECK_ERR_INPUT, "<shipment>", 0, 0, field, "%s: %s", field, msg);
}

/* The caller broke the API's contract (a NULL where a string or an array must be). */
__attribute__((format(printf, 3, 4)))
static int arg_err(chipcheck_error *err, const char *field, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(err, CHIPCHECK_ERR_ARG, "<shipment>", 0, 0, field, "%s: %s", field, msg);
}

/* A plain two-letter code of an assigned country, or NULL: its index, or -1 (then the full checks speak). */
static int plain_country(const char *v)
{
    if (!v)
        return COUNTRY_SPACE; /* not given: fine */
    unsigned a = ((unsigned char)v[0] | 0x20u) - 'a', b = v[0] ? ((unsigned char)v[1] | 0x20u) - 'a' : 26;
    return a < 26 && b < 26 && v[2] == '\0' && country_is_iso((int)(a * 26 + b)) ? (int)(a * 26 + b) : -1;
}

/* Country code: two letters, case-insensitive, an assigned ISO 3166-1 alpha-2 code. */
static int country(const char *s, const char *field, int *out, chipcheck_error *err)
{
    *out = -1;
    if (!s)
        return 0;
    int plain = plain_country(s);
    if (plain >= 0) { /* the usual case */
        *out = plain;
        return 0;
    }
    char up[3] = {0};
    if (strlen(s) == 2) {
        up[0] = (char)toupper((unsigned char)s[0]);
        up[1] = (char)toupper((unsigned char)s[1]);
    }
    int ci = country_index(up);
    if (ci < 0 || !country_is_iso(ci)) {
        char alt[3];
        if (country_suggest(s, alt))
            return ierr(err, field, "'%.40s' is not an ISO 3166-1 alpha-2 country code; did you mean %s?", s, alt);
        return ierr(err, field, "'%.40s' is not an ISO 3166-1 alpha-2 country code", s);
    }
    *out = ci;
    return 0;
}

static int number(double v, const char *field, int positive, chipcheck_error *err)
{
    char buf[64];
    if (isnan(v))
        return 0; /* not given */
    if ((v > 0 && v <= MAX_FIGURE) || (v == 0 && !positive))
        return 0; /* the usual cases (0 and -0 too, where allowed): no message to format */
    snprintf(buf, sizeof buf, "%.15g", v); /* as given: 1000000001, not 1e+09 (which is the limit) */
    if (isfinite(v) && strtod(buf, NULL) != v)
        snprintf(buf, sizeof buf, "%.17g", v);
    if (!isfinite(v))
        return ierr(err, field, "%s is not a finite number", buf);
    if (v < 0)
        return ierr(err, field, "%s is negative; figures are 0 or more", buf);
    if (positive && v == 0)
        return ierr(err, field, "must be greater than 0, got %s", buf);
    if (v > MAX_FIGURE)
        return ierr(err, field, "%s is larger than any real chip figure (limit 1e9)", buf);
    return 0;
}

/* Every string of a shipment is a usable text value (util.c: text_problem()) of at most MAX_TEXT bytes;
 * free-text ids (free_text) may hold tabs and line breaks. */
static int text_check(const char *v, const char *field, int free_text, chipcheck_error *err)
{
    char why[64];
    if (v && text_problem(v, MAX_TEXT, free_text, why, sizeof why))
        return ierr(err, field, "%s", why);
    return 0;
}

/* ECCN: a CCL entry ("3A991.p", "4A994.l", "5A992.c": digit, category letter A-E, three digits, then
 * paragraphs) or "EAR99", case-insensitive; normalised to "3A991.p" / "EAR99" in buf. */
static int eccn_field(const char *v, char buf[24], const char **out, chipcheck_error *err)
{
    *out = NULL;
    if (!v)
        return 0;
    size_t n = strlen(v);
    int ok = n >= 5 && n < 24;
    if (ok && !strcasecmp(v, "EAR99")) {
        *out = "EAR99";
        return 0;
    }
    ok = ok && isdigit((unsigned char)v[0]) && strchr("ABCDEabcde", v[1]) && v[1] &&
         isdigit((unsigned char)v[2]) && isdigit((unsigned char)v[3]) && isdigit((unsigned char)v[4]);
    for (size_t i = 5; ok && i < n; i++)
        ok = isalnum((unsigned char)v[i]) || (v[i] == '.' && i + 1 < n && v[i + 1] != '.');
    ok = ok && (n == 5 || v[5] == '.');
    if (!ok)
        return ierr(err, "eccn", "'%.40s' is not an ECCN (like 3A090.a, 3A991.p, 4A994.l, 5A992.c) or EAR99", v);
    for (size_t i = 0; i <= n; i++)
        buf[i] = (char)(i < 5 ? toupper((unsigned char)v[i]) : tolower((unsigned char)v[i]));
    *out = buf;
    return 0;
}

/* ISO 3166-2 region of the destination ("UA-43"): the destination's code, a hyphen, one to three letters or
 * digits; normalised to upper case in buf. The subdivision itself is not checked against a list. */
static int region_field(const char *v, int dest, char buf[8], const char **out, chipcheck_error *err)
{
    *out = NULL;
    if (!v)
        return 0;
    size_t n = strlen(v);
    int ok = n >= 4 && n <= 6 && v[2] == '-';
    for (size_t i = 0; ok && i < n; i++)
        ok = i == 2 || (i < 2 ? isalpha((unsigned char)v[i]) : isalnum((unsigned char)v[i]));
    if (!ok)
        return ierr(err, "destination_region", "'%.40s' is not an ISO 3166-2 subdivision code (like UA-43)", v);
    for (size_t i = 0; i <= n; i++)
        buf[i] = (char)toupper((unsigned char)v[i]);
    char dc[3];
    country_code(dest, dc);
    if (buf[0] != dc[0] || buf[1] != dc[1])
        return ierr(err, "destination_region", "'%.40s' is not a region of the destination %s", v, dc);
    *out = buf;
    return 0;
}

static int text_field(const char *v, const char *field, chipcheck_error *err) { return text_check(v, field, 0, err); }

/* Every string and array of the struct, before anything is read from it. */
static int check_texts(const chipcheck_shipment *in, chipcheck_error *err)
{
    const chipcheck_chip *c = in->chip;
    const struct { const char *v, *field; } t[] = {
        {in->date, "date"}, {in->destination, "destination"}, {in->end_user_hq, "end_user_hq"},
        {in->export_from, "export_from"}, {in->chip_name, "chip"}, {in->exception, "exception"},
        {in->exception_authorization, "exception_authorization"}, {c ? c->name : NULL, "chip.name"},
        {c ? c->vendor : NULL, "chip.vendor"}, {c ? c->part_number : NULL, "chip.part_number"},
        {c ? c->kind : NULL, "chip.kind"}, {in->destination_region, "destination_region"}, {in->eccn, "eccn"},
    };
    if (text_check(in->id, "id", 1, err))
        return CHIPCHECK_ERR_INPUT;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (text_field(t[i].v, t[i].field, err))
            return CHIPCHECK_ERR_INPUT;
    if (c && c->n_throughput > MAX_THROUGHPUT)
        return ierr(err, "chip.throughput", "has more than %d entries", MAX_THROUGHPUT);
    if (in->n_licenses > MAX_LICENSES)
        return ierr(err, "licenses", "has more than %d entries", MAX_LICENSES);
    if (c && c->n_throughput && !c->throughput)
        return arg_err(err, "chip.throughput", "n_throughput is %zu but throughput is NULL", c->n_throughput);
    for (size_t i = 0; c && i < c->n_throughput; i++) {
        if (!c->throughput[i].precision)
            return arg_err(err, "chip.throughput.precision", "throughput %zu: precision is NULL", i);
        if (text_field(c->throughput[i].precision, "chip.throughput.precision", err))
            return CHIPCHECK_ERR_INPUT;
    }
    if (in->n_licenses && !in->licenses)
        return arg_err(err, "licenses", "n_licenses is %zu but licenses is NULL", in->n_licenses);
    for (size_t i = 0; i < in->n_licenses; i++) {
        const chipcheck_license *l = &in->licenses[i];
        if (text_check(l->id, "licenses.id", 1, err) || text_field(l->destination, "licenses.destination", err) ||
            text_field(l->valid_from, "licenses.valid_from", err) || text_field(l->valid_to, "licenses.valid_to", err))
            return CHIPCHECK_ERR_INPUT;
        if (l->n_products > MAX_PRODUCTS)
            return ierr(err, "licenses.products", "has more than %d entries", MAX_PRODUCTS);
        if (l->n_products && !l->products)
            return arg_err(err, "licenses.products", "license %zu: n_products is %zu but products is NULL", i,
                           l->n_products);
        for (size_t k = 0; k < l->n_products; k++) {
            if (!l->products[k])
                return arg_err(err, "licenses.products", "license %zu: product %zu is NULL", i, k);
            if (text_field(l->products[k], "licenses.products", err))
                return CHIPCHECK_ERR_INPUT;
        }
    }
    return 0;
}

/* Start from a catalog entry. */
static void from_catalog(ship *s, const cat_chip *cat)
{
    s->catalog = cat;
    s->name = cat->name;
    s->vendor = cat->vendor;
    s->part_number = cat->part_number;
    s->kind = cat->kind;
    for (int i = 0; i < F_NUMBER_COUNT; i++) {
        s->num[i] = cat->num[i];
        s->have[i] = cat->have[i];
        s->from_catalog[i] = cat->have[i];
    }
    s->datacenter = cat->datacenter;
    s->from_catalog[F_NUMBER_COUNT] = cat->datacenter >= 0;
    s->tp = cat->tp;
    s->ntp = cat->ntp;
}

static int throughput_entries(const chipcheck_chip *c, chipcheck_error *err)
{
    for (size_t i = 0; i < c->n_throughput; i++) {
        const chipcheck_throughput *t = &c->throughput[i];
        int bits = throughput_bits(t->precision);
        if (!bits) {
            char near[96];
            precision_nearest(t->precision, near, sizeof near);
            if (near[0])
                return ierr(err, "chip.throughput.precision", "unknown precision '%.20s'; %s", t->precision, near);
            return ierr(err, "chip.throughput.precision",
                        "unknown precision '%.20s' (known: fp64 fp32 tf32 bf16 fp16 fp8 fp6 fp4 int32 int16 int8 int4)",
                        t->precision);
        }
        if (t->bits != 0 && t->bits != bits) {
            char b[16];
            snprintf(b, sizeof b, "%d", t->bits);
            return ierr(err, "chip.throughput.bits", "%s bits does not match precision '%s'", b, t->precision);
        }
        if (isnan(t->tops))
            return ierr(err, "chip.throughput.tops", "is required in each throughput entry");
        if (number(t->tops, "chip.throughput.tops", 0, err))
            return CHIPCHECK_ERR_INPUT;
    }
    return 0;
}

/* The caller's figures, each overriding the catalog's. */
static int apply_chip(const chipcheck_chip *c, ship *s, chipcheck_error *err)
{
    static const char *const numf[F_NUMBER_COUNT] = {"chip.tpp", "chip.die_area_mm2", "chip.memory_bandwidth_gbs",
                                                     "chip.interconnect_bandwidth_gbs", "chip.hbm_bandwidth_density"};
    double nums[F_NUMBER_COUNT] = {c->tpp, c->die_area_mm2, c->memory_bandwidth_gbs, c->interconnect_bandwidth_gbs,
                                   c->hbm_bandwidth_density};
    for (int i = 0; i < F_NUMBER_COUNT; i++) {
        if (number(nums[i], numf[i], i == F_DIE_AREA, err))
            return CHIPCHECK_ERR_INPUT;
        if (!isnan(nums[i])) {
            s->num[i] = nums[i];
            s->have[i] = 1;
            s->from_catalog[i] = 0;
        }
    }
    if (c->datacenter < -1 || c->datacenter > 1)
        return ierr(err, "chip.datacenter", "must be 1 (true), 0 (false) or -1 (unknown)");
    if (c->datacenter >= 0) {
        s->datacenter = c->datacenter;
        s->from_catalog[F_NUMBER_COUNT] = 0;
    }
    if (c->name) s->name = c->name;
    if (c->vendor) s->vendor = c->vendor;
    if (c->part_number) s->part_number = c->part_number;
    if (c->kind) s->kind = c->kind;
    if (throughput_entries(c, err))
        return CHIPCHECK_ERR_INPUT;
    if (c->n_throughput) {
        s->tp = c->throughput;
        s->ntp = c->n_throughput;
        if (isnan(c->tpp) && s->from_catalog[F_TPP]) {
            s->have[F_TPP] = 0; /* the caller's figures, not the catalog's TPP, decide */
            s->from_catalog[F_TPP] = 0;
        }
    }
    return 0;
}

static int ship_from_struct(const chipcheck_rules *rules, const chipcheck_shipment *in, ship *s, chipcheck_error *err)
{
    int rc = check_texts(in, err);
    if (rc)
        return rc;
    memset(s, 0, sizeof *s);
    s->id = in->id;
    s->datacenter = -1;
    if (!in->destination)
        return ierr(err, "destination", "is required (ISO 3166-1 alpha-2 country of destination)");
    if (country(in->destination, "destination", &s->dest, err) || country(in->end_user_hq, "end_user_hq", &s->hq, err) ||
        country(in->export_from, "export_from", &s->from, err) ||
        region_field(in->destination_region, s->dest, s->region_buf, &s->region, err) ||
        eccn_field(in->eccn, s->eccn_buf, &s->eccn, err))
        return CHIPCHECK_ERR_INPUT;
    int st;
    if (in->date && (st = date_check(in->date, &s->date)) != DATE_OK)
        return ierr(err, "date", "'%.40s' %s", in->date, date_status_text(st));
    if (!in->chip && !in->chip_name)
        return ierr(err, "chip", "is required: a catalog chip name or the chip's figures");
    if (in->chip_name) {
        const cat_chip *cat = catalog_lookup(rules, in->chip_name, "<shipment>", "chip: ", "give the chip's figures instead", err);
        if (!cat)
            return CHIPCHECK_ERR_NOT_FOUND;
        from_catalog(s, cat);
    }
    if (in->chip && apply_chip(in->chip, s, err))
        return CHIPCHECK_ERR_INPUT;
    /* kind defaults to "accelerator" for a chip by figures, but not for one that gives a memory bandwidth
     * density: that figure describes a memory stack, so its kind is left missing (3A090.c is then unknown
     * rather than false, and an HBM stack given without kind can never come out allowed). */
    if (!s->kind && !s->have[F_HBM_DENSITY]) {
        s->kind = "accelerator";
        s->kind_defaulted = 1;
    }
    if (s->kind && strcmp(s->kind, "accelerator") != 0 && strcmp(s->kind, "hbm") != 0)
        return ierr(err, "chip.kind", "'%.20s' is not \"accelerator\" or \"hbm\"", s->kind);
    s->exception = in->exception;
    s->exception_auth = in->exception_authorization;
    for (size_t i = 0; i < in->n_licenses; i++) {
        const chipcheck_license *l = &in->licenses[i];
        int ci;
        if (country(l->destination, "licenses.destination", &ci, err))
            return CHIPCHECK_ERR_INPUT;
        int ymd;
        if (l->valid_from && (st = date_check(l->valid_from, &ymd)) != DATE_OK)
            return ierr(err, "licenses.valid_from", "'%.40s' %s", l->valid_from, date_status_text(st));
        if (l->valid_to && (st = date_check(l->valid_to, &ymd)) != DATE_OK)
            return ierr(err, "licenses.valid_to", "'%.40s' %s", l->valid_to, date_status_text(st));
    }
    s->licenses = in->licenses;
    s->nlicenses = in->n_licenses;
    return 0;
}

/* Validate a struct shipment and settle its date (the options' default, else today). */
static int prepare(const chipcheck_rules *rules, const chipcheck_shipment *shipment, const chipcheck_options *opts,
                   ship *s, chipcheck_error *err)
{
    err_clear(err);
    if (!rules || !shipment)
        return err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "rules and shipment must not be NULL");
    if (opts && opts->version != CHIPCHECK_OPTIONS_VERSION)
        return err_set(err, CHIPCHECK_ERR_ARG, "<options>", 0, 0, "version",
                       "options version %u is not supported (expected %u); initialise with CHIPCHECK_OPTIONS_INIT",
                       opts->version, CHIPCHECK_OPTIONS_VERSION);
    int rc = ship_from_struct(rules, shipment, s, err);
    if (rc != 0)
        return rc;
    if (!s->date) {
        const char *dd = opts ? opts->default_date : NULL;
        int st = DATE_OK;
        if (dd)
            st = date_check(dd, &s->date);
        else
            s->date = date_today();
        if (st != DATE_OK)
            return err_set(err, CHIPCHECK_ERR_INPUT, "<options>", 0, 0, "date", "date: default date '%.40s' %s", dd,
                           date_status_text(st));
    }
    return 0;
}

chipcheck_decision *chipcheck_check(const chipcheck_rules *rules, const chipcheck_shipment *shipment,
                                    const chipcheck_options *opts, chipcheck_error *err)
{
    ship s;
    if (prepare(rules, shipment, opts, &s, err) != 0)
        return NULL;
    return evaluate_traced(rules, &s, opts, err);
}

int chipcheck_evaluator_verdict(chipcheck_evaluator *ev, const chipcheck_shipment *shipment,
                                const chipcheck_options *opts, chipcheck_error *err)
{
    ship s;
    if (!ev) {
        err_clear(err);
        return err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "evaluator must not be NULL");
    }
    chipcheck_options settled;
    char today[11];
    if (shipment && !shipment->date && !(opts && opts->default_date) &&
        (!opts || opts->version == CHIPCHECK_OPTIONS_VERSION)) { /* today, read once: the key and the check agree */
        settled = opts ? *opts : (chipcheck_options)CHIPCHECK_OPTIONS_INIT;
        date_format(date_today(), today);
        settled.default_date = today;
        opts = &settled;
    }
    vkey k;
    int remember = shipment && (!opts || opts->version == CHIPCHECK_OPTIONS_VERSION) &&
                   vmemo_wanted(evaluator_vmemo(ev)) && vmemo_key(shipment, opts, &k);
    if (remember) {
        int v = vmemo_get(evaluator_vmemo(ev), &k);
        if (v >= 0 && !text_check(shipment->id, "id", 1, err)) { /* the id is not in the key: check it */
            err_clear(err);
            return v;
        }
    }
    int rc = prepare(evaluator_rules(ev), shipment, opts, &s, err);
    if (rc != 0)
        return rc;
    rc = evaluator_run(ev, &s, opts, err);
    if (remember && rc >= 0)
        vmemo_put(evaluator_vmemo(ev), &k, rc);
    return rc;
}

long chipcheck_evaluator_verdicts(chipcheck_evaluator *ev, size_t n, const char *const *chip_names,
                                  const char *const *destinations, const char *const *end_user_hqs,
                                  const char *const *dates, const chipcheck_options *opts, int *verdicts,
                                  chipcheck_error *err)
{
    err_clear(err);
    if (!ev || (n > 0 && (!chip_names || !destinations || !verdicts)))
        return err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL,
                       "evaluator, chip_names, destinations and verdicts must not be NULL");
    long errors = 0;
    for (size_t i = 0; i < n; i++) {
        chipcheck_shipment sh = CHIPCHECK_SHIPMENT_INIT;
        chipcheck_error e;
        sh.chip_name = chip_names[i];
        sh.destination = destinations[i];
        sh.end_user_hq = end_user_hqs ? end_user_hqs[i] : NULL;
        sh.date = dates ? dates[i] : NULL;
        verdicts[i] = chipcheck_evaluator_verdict(ev, &sh, opts, &e);
        errors += verdicts[i] < 0;
    }
    return errors;
}

/* Append one NUL-terminated string to the outcome text; 0, or -1 when it does not fit. */
static int outcome_put(char *text, size_t size, size_t *used, const char *s)
{
    size_t len = strlen(s ? s : "") + 1;
    if (len > size - *used)
        return -1;
    memcpy(text + *used, s ? s : "", len);
    *used += len;
    return 0;
}

/* One decision's summary into o and the text: the review policy, the codes that hold, the missing fields. */
static int outcome_write(const chipcheck_decision *d, chipcheck_outcome *o, char *text, size_t size, size_t *used)
{
    o->verdict = (int)chipcheck_decision_verdict(d);
    o->policy_may_be_stricter = chipcheck_decision_policy_may_be_stricter(d);
    if (outcome_put(text, size, used, chipcheck_decision_review_policy(d)))
        return -1;
    for (size_t k = 0; k < chipcheck_decision_reason_count(d); k++) {
        const chipcheck_reason *r = chipcheck_decision_reason(d, k);
        if (chipcheck_reason_result(r) != 1)
            continue;
        if (outcome_put(text, size, used, chipcheck_reason_code(r)))
            return -1;
        o->n_codes++;
    }
    for (size_t k = 0; k < chipcheck_decision_missing_count(d); k++) {
        if (outcome_put(text, size, used, chipcheck_decision_missing(d, k)))
            return -1;
        o->n_missing++;
    }
    return 0;
}

long chipcheck_check_many(const chipcheck_rules *rules, size_t n, const chipcheck_shipment *shipments,
                          const chipcheck_options *opts, chipcheck_outcome *outcomes, char *text, size_t text_size,
                          size_t *text_used, chipcheck_decision **decisions, chipcheck_error *err)
{
    err_clear(err);
    if (!rules || !text_used || (n > 0 && (!shipments || !outcomes || !text)))
        return err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL,
                       "rules, shipments, outcomes, text and text_used must not be NULL");
    size_t used = 0, i;
    for (i = 0; i < n; i++) {
        chipcheck_outcome *o = &outcomes[i];
        chipcheck_error e;
        size_t start = used;
        memset(o, 0, sizeof *o);
        o->text = used;
        chipcheck_decision *d = chipcheck_check(rules, &shipments[i], opts, &e);
        int full = d ? outcome_write(d, o, text, text_size, &used) : outcome_put(text, text_size, &used, "");
        if (!d)
            o->verdict = e.code < 0 ? e.code : CHIPCHECK_ERR_NOMEM;
        if (full) { /* stop before this shipment: the caller goes on from here with the text read */
            chipcheck_decision_free(d);
            used = start;
            if (i == 0)
                return err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, "text_size",
                               "the text buffer (%zu bytes) cannot hold one shipment's outcome", text_size);
            break;
        }
        if (decisions)
            decisions[i] = d;
        else
            chipcheck_decision_free(d);
    }
    *text_used = used;
    return (long)i;
}

/* ---- prepared chips ------------------------------------------------------------------------------------ */

static char *keep_str(char **at, const char *v)
{
    if (!v)
        return NULL;
    size_t n = strlen(v) + 1;
    char *out = memcpy(*at, v, n);
    *at += n;
    return out;
}

/* Copy what the validated s borrows (its chip's strings and throughput figures) into one block. */
static chipcheck_prepared_chip *prepared_copy(const ship *s)
{
    const char *strs[4] = {s->name, s->vendor, s->part_number, s->kind};
    size_t need = s->ntp * sizeof(chipcheck_throughput);
    for (int i = 0; i < 4; i++)
        need += strs[i] ? strlen(strs[i]) + 1 : 0;
    for (size_t i = 0; i < s->ntp; i++)
        need += strlen(s->tp[i].precision) + 1;
    chipcheck_prepared_chip *p = malloc(sizeof *p);
    if (!p || !(p->owned = malloc(need + 1))) {
        free(p);
        return NULL;
    }
    p->tmpl = *s;
    chipcheck_throughput *tp = p->owned;
    char *at = (char *)p->owned + s->ntp * sizeof *tp;
    for (size_t i = 0; i < s->ntp; i++) {
        tp[i] = s->tp[i];
        tp[i].precision = keep_str(&at, s->tp[i].precision);
    }
    p->tmpl.tp = s->ntp ? tp : NULL;
    p->tmpl.name = keep_str(&at, s->name);
    p->tmpl.vendor = keep_str(&at, s->vendor);
    p->tmpl.part_number = keep_str(&at, s->part_number);
    p->tmpl.kind = s->kind_defaulted ? "accelerator" : keep_str(&at, s->kind);
    p->tmpl.id = NULL;
    return p;
}

static atomic_uint_least64_t prepared_serial; /* numbers every prepared chip of the process */

chipcheck_prepared_chip *chipcheck_prepare_chip(const chipcheck_rules *rules, const char *chip_name,
                                                const chipcheck_chip *chip, chipcheck_error *err)
{
    err_clear(err);
    if (!rules) {
        err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "rules must not be NULL");
        return NULL;
    }
    chipcheck_shipment sh = CHIPCHECK_SHIPMENT_INIT;
    ship s;
    sh.destination = "US"; /* a placeholder: only the chip is read from s */
    sh.chip_name = chip_name;
    sh.chip = chip;
    if (ship_from_struct(rules, &sh, &s, err) != 0)
        return NULL;
    chipcheck_prepared_chip *p = prepared_copy(&s);
    if (!p) {
        err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
        return NULL;
    }
    p->rules = rules;
    p->serial = atomic_fetch_add_explicit(&prepared_serial, 1, memory_order_relaxed) + 1;
    return p;
}

void chipcheck_prepared_chip_free(chipcheck_prepared_chip *chip)
{
    if (!chip)
        return;
    free(chip->owned);
    free(chip);
}

/* The shipment fields of a prepared verdict into f4 (destination, end user and origin indices, -1 when
 * absent; the date). The usual case (plain codes, a well-formed date) is settled
 * first; anything else is checked in the order ship_from_struct() checks it, so that the same bad value
 * gives the same error. */
static int prepared_fields(const char *destination, const char *hq, const char *from, const char *date,
                           const chipcheck_options *opts, int f4[4], chipcheck_error *err)
{
    if (opts && opts->version != CHIPCHECK_OPTIONS_VERSION)
        return err_set(err, CHIPCHECK_ERR_ARG, "<options>", 0, 0, "version",
                       "options version %u is not supported (expected %u); initialise with CHIPCHECK_OPTIONS_INIT",
                       opts->version, CHIPCHECK_OPTIONS_VERSION);
    int d = plain_country(destination), h = plain_country(hq), f = plain_country(from);
    if (d >= 0 && d < COUNTRY_SPACE && h >= 0 && f >= 0 && date && date_check(date, &f4[3]) == DATE_OK) {
        f4[0] = d;
        f4[1] = h < COUNTRY_SPACE ? h : -1;
        f4[2] = f < COUNTRY_SPACE ? f : -1;
        return 0;
    }
    if (text_field(date, "date", err) || text_field(destination, "destination", err) ||
        text_field(hq, "end_user_hq", err) || text_field(from, "export_from", err))
        return CHIPCHECK_ERR_INPUT;
    if (!destination)
        return ierr(err, "destination", "is required (ISO 3166-1 alpha-2 country of destination)");
    if (country(destination, "destination", &f4[0], err) || country(hq, "end_user_hq", &f4[1], err) ||
        country(from, "export_from", &f4[2], err))
        return CHIPCHECK_ERR_INPUT;
    int st;
    const char *dd = opts ? opts->default_date : NULL;
    if (date && (st = date_check(date, &f4[3])) != DATE_OK)
        return ierr(err, "date", "'%.40s' %s", date, date_status_text(st));
    if (!date && dd && (st = date_check(dd, &f4[3])) != DATE_OK)
        return err_set(err, CHIPCHECK_ERR_INPUT, "<options>", 0, 0, "date", "date: default date '%.40s' %s", dd,
                       date_status_text(st));
    if (!date && !dd)
        f4[3] = date_today();
    return 0;
}

int chipcheck_evaluator_verdict_prepared(chipcheck_evaluator *ev, const chipcheck_prepared_chip *chip,
                                         const char *destination, const char *end_user_hq, const char *export_from,
                                         const char *date, const chipcheck_options *opts, chipcheck_error *err)
{
    err_clear(err);
    if (!ev || !chip)
        return err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, ev ? "chip" : NULL, "%s",
                       ev ? "chip: no prepared chip (NULL)" : "evaluator must not be NULL");
    if (chip->rules != evaluator_rules(ev))
        return err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, "chip", "%s",
                       "chip: prepared with other rules than the evaluator's");
    /* the chip's serial (two halves), then destination, end user, origin (indices) and date */
    int key[6] = {(int)(uint32_t)chip->serial, (int)(uint32_t)(chip->serial >> 32), 0, 0, 0, 0};
    int rc = prepared_fields(destination, end_user_hq, export_from, date, opts, key + 2, err);
    if (rc != 0)
        return rc;
    vkey k;
    int remember = !(opts && opts->ruleset) && vmemo_wanted(evaluator_vmemo(ev));
    if (remember) {
        vmemo_key_ints(&k, key, 6);
        int v = vmemo_get(evaluator_vmemo(ev), &k);
        if (v >= 0)
            return v;
    }
    ship s = chip->tmpl; /* only now: a remembered verdict needs no copy */
    s.dest = key[2];
    s.hq = key[3];
    s.from = key[4];
    s.date = key[5];
    rc = evaluator_run(ev, &s, opts, err);
    if (remember && rc >= 0)
        vmemo_put(evaluator_vmemo(ev), &k, rc);
    return rc;
}

long chipcheck_evaluator_verdicts_prepared(chipcheck_evaluator *ev, size_t n,
                                           const chipcheck_prepared_chip *const *chips,
                                           const char *const *destinations, const char *const *end_user_hqs,
                                           const char *const *export_froms, const char *const *dates,
                                           const chipcheck_options *opts, int *verdicts, chipcheck_error *err)
{
    err_clear(err);
    if (!ev || (n > 0 && (!chips || !destinations || !verdicts)))
        return err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL,
                       "evaluator, chips, destinations and verdicts must not be NULL");
    long errors = 0;
    for (size_t i = 0; i < n; i++) {
        chipcheck_error e;
        verdicts[i] = chipcheck_evaluator_verdict_prepared(ev, chips[i], destinations[i],
                                                           end_user_hqs ? end_user_hqs[i] : NULL,
                                                           export_froms ? export_froms[i] : NULL,
                                                           dates ? dates[i] : NULL, opts, &e);
        errors += verdicts[i] < 0;
    }
    return errors;
}

/* ---- JSON --------------------------------------------------------------------------------------------- */

static const char *type_name(const cJSON *v)
{
    return cJSON_IsString(v) ? "a string" : cJSON_IsNumber(v) ? "a number" : cJSON_IsBool(v) ? "a boolean"
         : cJSON_IsNull(v) ? "null" : cJSON_IsArray(v) ? "an array" : "an object";
}

/* Which of known[] the member's key is: each key at most once per object (*seen), checked as the members
 * are read, so an object costs one pass however many keys it has. Unknown or repeated keys are errors that
 * name where + key, an unknown one with unknown_msg. */
/* The chip's keys, offered as "chip.KEY" when a shipment's own key is unknown (a figure put at the top). */
static const char *const chip_keys_shown[] = {"chip.name", "chip.tpp", "chip.die_area_mm2", "chip.memory_bandwidth_gbs",
                                              "chip.interconnect_bandwidth_gbs", "chip.hbm_bandwidth_density",
                                              "chip.datacenter", "chip.throughput"};

/* "did you mean ...?" for an unknown key among known (and, at a shipment's top, the chip's keys), or "". */
static void near_key(const char *key, const char *const *known, size_t n, int top, char *out, size_t outsz)
{
    near_pick p;
    near_init(&p, key, -1);
    for (size_t i = 0; i < n; i++)
        near_offer(&p, near_distance(key, known[i]), known[i], NULL);
    for (size_t i = 0; top && i < sizeof chip_keys_shown / sizeof chip_keys_shown[0]; i++)
        near_offer(&p, near_distance(key, chip_keys_shown[i] + 5), chip_keys_shown[i], NULL);
    near_format(&p, out, outsz);
}

/* The member's index in known[0..n), or -1 with err set: a repeated key, or an unknown one with the nearest
 * known key ("unknown key in a chip; did you mean tpp?") or else unknown_msg with its list. */
static int member_key(const cJSON *it, const char *where, const char *const *known, size_t n, uint64_t *seen,
                      const char *unknown_msg, chipcheck_error *err)
{
    int k = json_key_slot(it, known, n, seen);
    if (k >= 0)
        return k;
    char f[80], near[160];
    snprintf(f, sizeof f, "%s%s", where, it->string ? it->string : "");
    if (k == JSON_KEY_REPEATED)
        return ierr(err, f, "appears twice in the same object");
    near_key(it->string ? it->string : "", known, n, where[0] == '\0', near, sizeof near);
    if (!near[0])
        return ierr(err, f, "%s", unknown_msg);
    const char *list = strstr(unknown_msg, " (known:");
    return ierr(err, f, "%.*s; %s", (int)(list ? (size_t)(list - unknown_msg) : strlen(unknown_msg)), unknown_msg, near);
}

/* Optional string: absent or null leaves *out NULL. */
static int jstr(const cJSON *v, const char *field, const char **out, chipcheck_error *err)
{
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v))
        return ierr(err, field, "must be a string, got %s", type_name(v));
    *out = v->valuestring;
    return 0;
}

static int jnum(const cJSON *v, const char *field, double *out, chipcheck_error *err)
{
    *out = NAN;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v))
        return ierr(err, field, "must be a number, got %s%s", type_name(v),
                    cJSON_IsString(v) ? " (numbers are not quoted)" : "");
    *out = v->valuedouble;
    if (isnan(*out))
        return ierr(err, field, "is not a number");
    if (isinf(*out)) /* cJSON reads 1e400 as infinity: the input was a number too large to hold */
        return ierr(err, field, "is out of range: a number %s than any double", *out > 0 ? "larger" : "more negative");
    return 0;
}

/* An array's size, refused over max (the bound keeps a check's cost and the trace's size in proportion). */
static int jarray(const cJSON *a, const char *field, size_t max, const char *what, size_t *n, chipcheck_error *err)
{
    if (!cJSON_IsArray(a))
        return ierr(err, field, "must be an array%s, got %s", what, type_name(a));
    *n = 0;
    for (const cJSON *e = a->child; e; e = e->next)
        if (++*n > max)
            return ierr(err, field, "has more than %d entries", (int)max);
    return 0;
}

static int parse_throughput_entry(const cJSON *t, chipcheck_throughput *ct, chipcheck_error *err)
{
    static const char *const keys[] = {"precision", "tops", "bits", "sparse"};
    uint64_t seen = 0;
    ct->tops = NAN;
    if (!cJSON_IsObject(t))
        return ierr(err, "chip.throughput", "each entry must be an object, got %s", type_name(t));
    for (const cJSON *e = t->child; e; e = e->next) {
        int k = member_key(e, "chip.throughput.", keys, 4, &seen, "unknown key (known: precision, tops, bits, sparse)",
                           err);
        char tf[96];
        snprintf(tf, sizeof tf, "chip.throughput.%s", keys[k < 0 ? 0 : k]);
        int rc = k < 0;
        if (k == 0) rc = jstr(e, tf, &ct->precision, err);
        else if (k == 1) rc = jnum(e, tf, &ct->tops, err);
        else if (k == 2) {
            double b;
            rc = jnum(e, tf, &b, err);
            if (!rc && !isnan(b) && (b != floor(b) || b < 1 || b > 64))
                rc = ierr(err, tf, "must be a whole number of bits from 1 to 64");
            ct->bits = rc || isnan(b) ? 0 : (int)b;
        } else if (k == 3) {
            if (!cJSON_IsBool(e))
                rc = ierr(err, tf, "must be true or false, got %s", type_name(e));
            ct->sparse = cJSON_IsTrue(e);
        }
        if (rc)
            return -1;
    }
    if (!ct->precision)
        return ierr(err, "chip.throughput.precision", "is required in each throughput entry");
    return 0;
}

static int parse_throughput(const cJSON *it, json_ship *j, chipcheck_error *err)
{
    size_t n;
    if (jarray(it, "chip.throughput", MAX_THROUGHPUT, "", &n, err))
        return -1;
    j->tp = calloc(n + 1, sizeof *j->tp);
    if (!j->tp)
        return err_set(err, CHIPCHECK_ERR_NOMEM, "<shipment>", 0, 0, NULL, "out of memory");
    const cJSON *t;
    cJSON_ArrayForEach(t, it) {
        if (parse_throughput_entry(t, &j->tp[j->chip.n_throughput++], err))
            return -1;
    }
    j->chip.throughput = j->tp;
    return 0;
}

static int parse_chip_obj(const cJSON *o, json_ship *j, chipcheck_error *err)
{
    /* the figures, then the catalog entry to start from, then keys a catalog entry has (accepted, unused) */
    static const char *const keys[] = {"name", "vendor", "part_number", "kind", "tpp", "die_area_mm2",
                                       "memory_bandwidth_gbs", "interconnect_bandwidth_gbs", "hbm_bandwidth_density",
                                       "datacenter", "throughput", "catalog", "sources", "aliases", "source_kind",
                                       "as_of", "note"};
    chipcheck_chip *c = &j->chip;
    const char **strs[] = {&c->name, &c->vendor, &c->part_number, &c->kind};
    double *nums[] = {&c->tpp, &c->die_area_mm2, &c->memory_bandwidth_gbs, &c->interconnect_bandwidth_gbs,
                      &c->hbm_bandwidth_density};
    uint64_t seen = 0;
    c->tpp = c->die_area_mm2 = c->memory_bandwidth_gbs = c->interconnect_bandwidth_gbs = c->hbm_bandwidth_density = NAN;
    c->datacenter = -1;
    for (const cJSON *it = o->child; it; it = it->next) {
        int k = member_key(it, "chip.", keys, sizeof keys / sizeof keys[0], &seen, "unknown key in a chip", err);
        if (k < 0)
            return -1;
        char f[80];
        snprintf(f, sizeof f, "chip.%s", keys[k]);
        int rc = 0;
        if (k < 4) rc = jstr(it, f, strs[k], err);
        else if (k < 9) rc = jnum(it, f, nums[k - 4], err);
        else if (k == 9) {
            if (cJSON_IsBool(it))
                c->datacenter = cJSON_IsTrue(it);
            else if (!cJSON_IsNull(it))
                rc = ierr(err, f, "must be true, false or null, got %s", type_name(it));
        } else if (k == 10) rc = parse_throughput(it, j, err);
        else if (k == 11) rc = jstr(it, f, &j->sh.chip_name, err);
        if (rc)
            return -1;
    }
    j->sh.chip = c;
    return 0;
}

static int parse_license(const cJSON *l, chipcheck_license *cl, const char **pool, chipcheck_error *err)
{
    static const char *const keys[] = {"id", "destination", "valid_from", "valid_to", "products"};
    const char **strs[] = {&cl->id, &cl->destination, &cl->valid_from, &cl->valid_to};
    uint64_t seen = 0;
    if (!cJSON_IsObject(l))
        return ierr(err, "licenses", "each license must be an object, got %s", type_name(l));
    for (const cJSON *e = l->child; e; e = e->next) {
        int k = member_key(e, "licenses.", keys, 5, &seen,
                           "unknown key (known: id, destination, valid_from, valid_to, products)", err);
        if (k < 0)
            return -1;
        char f[96];
        snprintf(f, sizeof f, "licenses.%s", keys[k]);
        if (k < 4) {
            if (jstr(e, f, strs[k], err))
                return -1;
            continue;
        }
        cl->products = pool;
        const cJSON *p;
        cJSON_ArrayForEach(p, e) {
            if (!cJSON_IsString(p))
                return ierr(err, f, "must be an array of chip names (strings)");
            pool[cl->n_products++] = p->valuestring;
        }
    }
    return 0;
}

static int parse_licenses(const cJSON *a, json_ship *j, chipcheck_error *err)
{
    size_t n, np = 0;
    if (jarray(a, "licenses", MAX_LICENSES, "", &n, err))
        return -1;
    const cJSON *l;
    cJSON_ArrayForEach(l, a) { /* size the pool of product names: each license's first "products" array */
        const cJSON *p = cJSON_IsObject(l) ? cJSON_GetObjectItemCaseSensitive(l, "products") : NULL;
        size_t k = 0;
        if (p && jarray(p, "licenses.products", MAX_PRODUCTS, " of chip names", &k, err))
            return -1;
        np += k;
    }
    j->lic = calloc(n + 1, sizeof *j->lic);
    j->products = calloc(np + 1, sizeof *j->products);
    if (!j->lic || !j->products)
        return err_set(err, CHIPCHECK_ERR_NOMEM, "<shipment>", 0, 0, NULL, "out of memory");
    size_t pi = 0;
    cJSON_ArrayForEach(l, a) {
        chipcheck_license *cl = &j->lic[j->sh.n_licenses++];
        if (parse_license(l, cl, &j->products[pi], err))
            return -1;
        pi += cl->n_products;
    }
    j->sh.licenses = j->lic;
    return 0;
}

static int parse_member(const cJSON *it, int k, json_ship *j, chipcheck_error *err)
{
    const char *key = it->string;
    const char **strs[] = {NULL, &j->sh.date, &j->sh.destination, &j->sh.end_user_hq, &j->sh.export_from,
                           &j->sh.exception, &j->sh.exception_authorization};
    if (k == 0) {
        if (cJSON_IsNumber(it) && it->valuedouble == floor(it->valuedouble) && fabs(it->valuedouble) < 1e15) {
            snprintf(j->idbuf, sizeof j->idbuf, "%.0f", it->valuedouble);
            j->sh.id = j->idbuf;
            return 0;
        }
        return jstr(it, "id", &j->sh.id, err);
    }
    if (k < 7)
        return jstr(it, key, strs[k], err);
    if (k == 7) {
        double q;
        int rc = jnum(it, key, &q, err);
        if (!rc && !isnan(q) && (q != floor(q) || q < 0 || q > MAX_FIGURE))
            rc = ierr(err, key, "must be a whole number from 0 to 1e9");
        return rc;
    }
    if (k == 8) {
        if (cJSON_IsString(it))
            j->sh.chip_name = it->valuestring;
        else if (cJSON_IsObject(it))
            return parse_chip_obj(it, j, err);
        else
            return ierr(err, key, "must be a catalog chip name or an object of figures, got %s", type_name(it));
        return 0;
    }
    if (k == 10)
        return jstr(it, key, &j->sh.destination_region, err);
    if (k == 11)
        return jstr(it, key, &j->sh.eccn, err);
    return parse_licenses(it, j, err);
}

/* Parse JSON into j (strings borrowed from *root, which the caller deletes with cJSON_Delete). */
static int parse_json(const char *json, cJSON **root_out, json_ship *j, chipcheck_error *err)
{
    static const char *const keys[] = {"id", "date", "destination", "end_user_hq", "export_from", "exception",
                                       "exception_authorization", "quantity", "chip", "licenses",
                                       "destination_region", "eccn"};
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(json, &end, 1);
    *root_out = root;
    memset(j, 0, sizeof *j);
    if (!root) {
        long off = end ? (long)(end - json) : 0;
        int line, col;
        char msg[96];
        json_parse_error(json, (size_t)off, msg, sizeof msg, &line, &col);
        err_set(err, CHIPCHECK_ERR_PARSE, "<shipment>", line, col, NULL, "%s", msg);
        if (err)
            err->offset = off;
        return CHIPCHECK_ERR_PARSE;
    }
    char path[80];
    int in_key;
    if (json_nul_string(json, strlen(json), root, path, sizeof path, &in_key))
        return ierr(err, path[0] ? path : "shipment", "%s a NUL character (\\u0000)", in_key ? "a key holds" : "holds");
    if (!cJSON_IsObject(root))
        return ierr(err, "shipment", "must be a JSON object, got %s", type_name(root));
    uint64_t seen = 0;
    for (const cJSON *it = root->child; it; it = it->next) {
        int k = member_key(it, "", keys, sizeof keys / sizeof keys[0], &seen,
                           "unknown key in a shipment (known: id, date, destination, destination_region, end_user_hq, "
                           "export_from, quantity, chip, eccn, exception, exception_authorization, licenses)", err);
        if (k < 0 || parse_member(it, k, j, err))
            return CHIPCHECK_ERR_INPUT;
    }
    return 0;
}

static void json_ship_free(json_ship *j, cJSON *root)
{
    free(j->tp);
    free(j->lic);
    free(j->products);
    cJSON_Delete(root);
}

int json_ship_parse_reference(const char *json, cJSON **root, json_ship *j, chipcheck_error *err)
{
    return parse_json(json, root, j, err);
}

void json_ship_release(json_ship *j, cJSON *root) { json_ship_free(j, root); }

/* Parse JSON into j: the pull parser (json_pull.c) reads the common case; anything else, errors included,
 * is read by cJSON (parse_json(), the reference), so the messages are its. Free with shipment_done(). */
static int parse_shipment(const char *json, cJSON **root, json_ship *j, pull_store *st, chipcheck_error *err)
{
    *root = NULL;
    if (json_pull_shipment(json, j, st) == 0)
        return 0;
    json_pull_release(st);
    return parse_json(json, root, j, err);
}

static void shipment_done(json_ship *j, cJSON *root, pull_store *st)
{
    json_ship_free(j, root);
    json_pull_release(st);
}

chipcheck_decision *chipcheck_check_json(const chipcheck_rules *rules, const char *json, const chipcheck_options *opts,
                                         chipcheck_error *err)
{
    err_clear(err);
    if (!rules || !json) {
        err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "rules and json must not be NULL");
        return NULL;
    }
    cJSON *root;
    json_ship j;
    pull_store st;
    chipcheck_decision *d = NULL;
    if (parse_shipment(json, &root, &j, &st, err) == 0)
        d = chipcheck_check(rules, &j.sh, opts, err);
    shipment_done(&j, root, &st);
    return d;
}

int chipcheck_evaluator_verdict_json(chipcheck_evaluator *ev, const char *json, const chipcheck_options *opts,
                                     chipcheck_error *err)
{
    err_clear(err);
    if (!ev || !json)
        return err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "evaluator and json must not be NULL");
    cJSON *root;
    json_ship j;
    pull_store st;
    int rc = parse_shipment(json, &root, &j, &st, err);
    if (rc == 0)
        rc = chipcheck_evaluator_verdict(ev, &j.sh, opts, err);
    shipment_done(&j, root, &st);
    return rc;
}

int ship_from_json(const chipcheck_rules *rules, const char *json, const chipcheck_options *opts,
                   int (*fn)(void *ctx, const ship *s), void *ctx, chipcheck_error *err)
{
    err_clear(err);
    if (!rules || !json)
        return err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "rules and json must not be NULL");
    cJSON *root;
    json_ship j;
    pull_store st;
    ship s;
    int rc = parse_shipment(json, &root, &j, &st, err);
    if (rc == 0)
        rc = prepare(rules, &j.sh, opts, &s, err); /* the same validation and date as chipcheck_check() */
    if (rc == 0)
        rc = fn(ctx, &s);
    shipment_done(&j, root, &st);
    return rc;
}
