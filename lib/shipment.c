/*
 * shipment.c: turns a shipment (JSON text or chipcheck_shipment struct) into the validated form the
 * evaluator reads. Bad input is an error that names the field and the value; missing optional data is
 * not an error (the evaluator reports it as missing). The JSON layer only checks shapes and types and
 * hands a struct to the same validation the struct API uses.
 */
#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "internal.h"

#define MAX_FIGURE 1e9 /* no chip figure (TPP, GB/s, mm2) comes near this: larger is a data error */

static const struct { const char *name; int bits; } precisions[] = {
    {"fp64", 64}, {"fp32", 32}, {"tf32", 32}, {"bf16", 16}, {"fp16", 16}, {"fp8", 8}, {"fp6", 6}, {"fp4", 4},
    {"int32", 32}, {"int16", 16}, {"int8", 8}, {"int4", 4},
};

int throughput_bits(const char *precision)
{
    for (size_t i = 0; precision && i < sizeof precisions / sizeof precisions[0]; i++)
        if (!strcmp(precisions[i].name, precision))
            return precisions[i].bits;
    return 0;
}

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

/* Country code: two letters, case-insensitive, an assigned ISO 3166-1 alpha-2 code. */
static int country(const char *s, const char *field, int *out, chipcheck_error *err)
{
    *out = -1;
    if (!s)
        return 0;
    char up[3] = {0};
    if (strlen(s) == 2) {
        up[0] = (char)toupper((unsigned char)s[0]);
        up[1] = (char)toupper((unsigned char)s[1]);
    }
    int ci = country_index(up);
    if (ci < 0 || !country_is_iso(ci))
        return ierr(err, field, "'%.40s' is not an ISO 3166-1 alpha-2 country code", s);
    *out = ci;
    return 0;
}

static int number(double v, const char *field, int positive, chipcheck_error *err)
{
    char buf[64];
    if (isnan(v))
        return 0; /* not given */
    if (isfinite(v) && v > 0 && v <= MAX_FIGURE)
        return 0; /* the usual case: no message to format */
    snprintf(buf, sizeof buf, "%g", v);
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

/* 1 if s is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
static int utf8_valid(const char *str)
{
    const unsigned char *p = (const unsigned char *)str;
    while (*p) {
        unsigned c = *p;
        int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0 || (n == 1 && c < 0xC2) || (n == 3 && c > 0xF4))
            return 0;
        unsigned cp = n == 0 ? c : c & (0x3Fu >> n);
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3Fu);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        p += n + 1;
    }
    return 1;
}

static int text_field(const char *v, const char *field, chipcheck_error *err)
{
    if (v && !utf8_valid(v))
        return ierr(err, field, "is not valid UTF-8");
    if (v && strlen(v) > 1024)
        return ierr(err, field, "is longer than 1024 bytes");
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

int ship_from_struct(const chipcheck_rules *rules, const chipcheck_shipment *in, ship *s, chipcheck_error *err)
{
    const chipcheck_chip *cc = in->chip;
    if (text_field(in->id, "id", err) || text_field(in->chip_name, "chip", err) ||
        text_field(in->exception, "exception", err) ||
        text_field(in->exception_authorization, "exception_authorization", err) ||
        (cc && (text_field(cc->name, "chip.name", err) || text_field(cc->vendor, "chip.vendor", err) ||
                text_field(cc->part_number, "chip.part_number", err))))
        return CHIPCHECK_ERR_INPUT;
    for (size_t i = 0; in->licenses && i < in->n_licenses; i++) {
        if (text_field(in->licenses[i].id, "licenses.id", err))
            return CHIPCHECK_ERR_INPUT;
        for (size_t k = 0; in->licenses[i].products && k < in->licenses[i].n_products; k++)
            if (text_field(in->licenses[i].products[k], "licenses.products", err))
                return CHIPCHECK_ERR_INPUT;
    }
    static const char *const numf[F_NUMBER_COUNT] = {"chip.tpp", "chip.die_area_mm2", "chip.memory_bandwidth_gbs",
                                                     "chip.interconnect_bandwidth_gbs", "chip.hbm_bandwidth_density"};
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
    if (in->date) {
        s->date = date_parse(in->date);
        if (!s->date)
            return ierr(err, "date", "'%.40s' is not a real calendar date (YYYY-MM-DD)", in->date);
    }
    if (!in->chip && !in->chip_name)
        return ierr(err, "chip", "is required: a catalog chip name or the chip's figures");
    const cat_chip *cat = NULL;
    if (in->chip_name) {
        cat = catalog_lookup(rules, in->chip_name, "<shipment>", "chip: ", "; give the chip's figures instead", err);
        if (!cat)
            return CHIPCHECK_ERR_NOT_FOUND;
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
    const chipcheck_chip *c = in->chip;
    if (c) {
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
        if (c->n_throughput && !c->throughput)
            return ierr(err, "chip.throughput", "n_throughput is set but throughput is NULL");
        for (size_t i = 0; i < c->n_throughput; i++) {
            const chipcheck_throughput *t = &c->throughput[i];
            int bits = throughput_bits(t->precision);
            if (!bits)
                return ierr(err, "chip.throughput.precision",
                            "unknown precision '%.20s' (known: fp64 fp32 tf32 bf16 fp16 fp8 fp6 fp4 int32 int16 int8 int4)",
                            t->precision ? t->precision : "(null)");
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
        if (c->n_throughput) {
            s->tp = c->throughput;
            s->ntp = c->n_throughput;
            if (isnan(c->tpp) && s->from_catalog[F_TPP]) {
                s->have[F_TPP] = 0; /* the caller's figures, not the catalog's TPP, decide */
                s->from_catalog[F_TPP] = 0;
            }
        }
    }
    if (!s->kind) {
        s->kind = "accelerator";
        s->kind_defaulted = 1;
    }
    if (strcmp(s->kind, "accelerator") != 0 && strcmp(s->kind, "hbm") != 0)
        return ierr(err, "chip.kind", "'%.20s' is not \"accelerator\" or \"hbm\"", s->kind);
    s->exception = in->exception;
    s->exception_auth = in->exception_authorization;
    if (in->n_licenses && !in->licenses)
        return ierr(err, "licenses", "n_licenses is set but licenses is NULL");
    for (size_t i = 0; i < in->n_licenses; i++) {
        const chipcheck_license *l = &in->licenses[i];
        int ci;
        if (country(l->destination, "licenses.destination", &ci, err))
            return CHIPCHECK_ERR_INPUT;
        if (l->valid_from && !date_parse(l->valid_from))
            return ierr(err, "licenses.valid_from", "'%.40s' is not a real calendar date", l->valid_from);
        if (l->valid_to && !date_parse(l->valid_to))
            return ierr(err, "licenses.valid_to", "'%.40s' is not a real calendar date", l->valid_to);
        if (l->n_products && !l->products)
            return ierr(err, "licenses.products", "n_products is set but products is NULL");
    }
    s->licenses = in->licenses;
    s->nlicenses = in->n_licenses;
    return 0;
}

/* ---- JSON --------------------------------------------------------------------------------------------- */

typedef struct json_ship {
    chipcheck_shipment sh;
    chipcheck_chip chip;
    chipcheck_throughput *tp;
    chipcheck_license *lic;
    const char **products; /* pooled */
    char idbuf[32];
} json_ship;

static int no_duplicates(const cJSON *o, const char *where, chipcheck_error *err)
{
    for (const cJSON *a = o->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (a->string && b->string && !strcmp(a->string, b->string)) {
                char f[64];
                snprintf(f, sizeof f, "%s%s", where, a->string);
                return ierr(err, f, "appears twice in the same object");
            }
    return 0;
}

static const char *type_name(const cJSON *v)
{
    return cJSON_IsString(v) ? "a string" : cJSON_IsNumber(v) ? "a number" : cJSON_IsBool(v) ? "a boolean"
         : cJSON_IsNull(v) ? "null" : cJSON_IsArray(v) ? "an array" : "an object";
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
    return 0;
}

static int parse_chip_obj(const cJSON *o, json_ship *j, chipcheck_error *err)
{
    static const char *const info_keys[] = {"sources", "aliases", "source_kind", "as_of", "note"};
    chipcheck_chip *c = &j->chip;
    c->tpp = c->die_area_mm2 = c->memory_bandwidth_gbs = c->interconnect_bandwidth_gbs = c->hbm_bandwidth_density = NAN;
    c->datacenter = -1;
    if (no_duplicates(o, "chip.", err))
        return -1;
    for (const cJSON *it = o->child; it; it = it->next) {
        const char *k = it->string;
        char f[80];
        snprintf(f, sizeof f, "chip.%s", k);
        int rc = 0;
        if (!strcmp(k, "name")) rc = jstr(it, f, &c->name, err);
        else if (!strcmp(k, "vendor")) rc = jstr(it, f, &c->vendor, err);
        else if (!strcmp(k, "part_number")) rc = jstr(it, f, &c->part_number, err);
        else if (!strcmp(k, "kind")) rc = jstr(it, f, &c->kind, err);
        else if (!strcmp(k, "catalog")) rc = jstr(it, f, &j->sh.chip_name, err);
        else if (!strcmp(k, "tpp")) rc = jnum(it, f, &c->tpp, err);
        else if (!strcmp(k, "die_area_mm2")) rc = jnum(it, f, &c->die_area_mm2, err);
        else if (!strcmp(k, "memory_bandwidth_gbs")) rc = jnum(it, f, &c->memory_bandwidth_gbs, err);
        else if (!strcmp(k, "interconnect_bandwidth_gbs")) rc = jnum(it, f, &c->interconnect_bandwidth_gbs, err);
        else if (!strcmp(k, "hbm_bandwidth_density")) rc = jnum(it, f, &c->hbm_bandwidth_density, err);
        else if (!strcmp(k, "datacenter")) {
            if (cJSON_IsBool(it))
                c->datacenter = cJSON_IsTrue(it);
            else if (!cJSON_IsNull(it))
                rc = ierr(err, f, "must be true, false or null, got %s", type_name(it));
        } else if (!strcmp(k, "throughput")) {
            if (!cJSON_IsArray(it))
                return ierr(err, f, "must be an array, got %s", type_name(it));
            size_t n = (size_t)cJSON_GetArraySize(it);
            j->tp = calloc(n + 1, sizeof *j->tp);
            if (!j->tp)
                return err_set(err, CHIPCHECK_ERR_NOMEM, "<shipment>", 0, 0, NULL, "out of memory");
            const cJSON *t;
            cJSON_ArrayForEach(t, it) {
                chipcheck_throughput *ct = &j->tp[c->n_throughput++];
                ct->tops = NAN;
                if (!cJSON_IsObject(t))
                    return ierr(err, "chip.throughput", "each entry must be an object, got %s", type_name(t));
                if (no_duplicates(t, "chip.throughput.", err))
                    return -1;
                for (const cJSON *e = t->child; e; e = e->next) {
                    char tf[96];
                    snprintf(tf, sizeof tf, "chip.throughput.%s", e->string);
                    if (!strcmp(e->string, "precision")) rc = jstr(e, tf, &ct->precision, err);
                    else if (!strcmp(e->string, "tops")) rc = jnum(e, tf, &ct->tops, err);
                    else if (!strcmp(e->string, "bits")) {
                        double b;
                        rc = jnum(e, tf, &b, err);
                        if (!rc && !isnan(b) && (b != floor(b) || b < 1 || b > 64))
                            rc = ierr(err, tf, "must be a whole number of bits from 1 to 64");
                        ct->bits = rc || isnan(b) ? 0 : (int)b;
                    } else if (!strcmp(e->string, "sparse")) {
                        if (!cJSON_IsBool(e))
                            rc = ierr(err, tf, "must be true or false, got %s", type_name(e));
                        ct->sparse = cJSON_IsTrue(e);
                    } else
                        rc = ierr(err, tf, "unknown key (known: precision, tops, bits, sparse)");
                    if (rc)
                        return -1;
                }
                if (!ct->precision)
                    return ierr(err, "chip.throughput.precision", "is required in each throughput entry");
            }
            c->throughput = j->tp;
        } else {
            int info = 0;
            for (size_t i = 0; i < sizeof info_keys / sizeof info_keys[0]; i++)
                info |= !strcmp(k, info_keys[i]);
            if (!info)
                rc = ierr(err, f, "unknown key in a chip");
        }
        if (rc)
            return -1;
    }
    j->sh.chip = c;
    return 0;
}

static int parse_licenses(const cJSON *a, json_ship *j, chipcheck_error *err)
{
    if (!cJSON_IsArray(a))
        return ierr(err, "licenses", "must be an array, got %s", type_name(a));
    size_t n = (size_t)cJSON_GetArraySize(a), np = 0;
    const cJSON *l;
    cJSON_ArrayForEach(l, a) {
        const cJSON *p = cJSON_IsObject(l) ? cJSON_GetObjectItemCaseSensitive(l, "products") : NULL;
        np += cJSON_IsArray(p) ? (size_t)cJSON_GetArraySize(p) : 0;
    }
    j->lic = calloc(n + 1, sizeof *j->lic);
    j->products = calloc(np + 1, sizeof *j->products);
    if (!j->lic || !j->products)
        return err_set(err, CHIPCHECK_ERR_NOMEM, "<shipment>", 0, 0, NULL, "out of memory");
    size_t pi = 0;
    cJSON_ArrayForEach(l, a) {
        chipcheck_license *cl = &j->lic[j->sh.n_licenses++];
        if (!cJSON_IsObject(l))
            return ierr(err, "licenses", "each license must be an object, got %s", type_name(l));
        if (no_duplicates(l, "licenses.", err))
            return -1;
        for (const cJSON *e = l->child; e; e = e->next) {
            char f[96];
            snprintf(f, sizeof f, "licenses.%s", e->string);
            int rc = 0;
            if (!strcmp(e->string, "id")) rc = jstr(e, f, &cl->id, err);
            else if (!strcmp(e->string, "destination")) rc = jstr(e, f, &cl->destination, err);
            else if (!strcmp(e->string, "valid_from")) rc = jstr(e, f, &cl->valid_from, err);
            else if (!strcmp(e->string, "valid_to")) rc = jstr(e, f, &cl->valid_to, err);
            else if (!strcmp(e->string, "products")) {
                if (!cJSON_IsArray(e))
                    return ierr(err, f, "must be an array of chip names, got %s", type_name(e));
                cl->products = &j->products[pi];
                const cJSON *p;
                cJSON_ArrayForEach(p, e) {
                    if (!cJSON_IsString(p))
                        return ierr(err, f, "must be an array of chip names (strings)");
                    j->products[pi++] = p->valuestring;
                    cl->n_products++;
                }
            } else
                rc = ierr(err, f, "unknown key (known: id, destination, valid_from, valid_to, products)");
            if (rc)
                return -1;
        }
    }
    j->sh.licenses = j->lic;
    return 0;
}

/* Parse JSON into j (strings borrowed from *root, which the caller deletes with cJSON_Delete). */
static int parse_json(const char *json, cJSON **root_out, json_ship *j, chipcheck_error *err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(json, &end, 1);
    *root_out = root;
    memset(j, 0, sizeof *j);
    if (!root) {
        long off = end ? (long)(end - json) : 0;
        int col = 1;
        for (long i = 0; i < off; i++)
            col = json[i] == '\n' ? 1 : col + 1;
        err_set(err, CHIPCHECK_ERR_PARSE, "<shipment>", 1, col, NULL, "malformed JSON near byte %ld", off);
        if (err)
            err->offset = off;
        return CHIPCHECK_ERR_PARSE;
    }
    if (!cJSON_IsObject(root))
        return ierr(err, "shipment", "must be a JSON object, got %s", type_name(root));
    if (no_duplicates(root, "", err))
        return CHIPCHECK_ERR_INPUT;
    for (const cJSON *it = root->child; it; it = it->next) {
        const char *k = it->string;
        int rc = 0;
        if (!strcmp(k, "id")) {
            if (cJSON_IsNumber(it) && it->valuedouble == floor(it->valuedouble) && fabs(it->valuedouble) < 1e15) {
                snprintf(j->idbuf, sizeof j->idbuf, "%.0f", it->valuedouble);
                j->sh.id = j->idbuf;
            } else
                rc = jstr(it, "id", &j->sh.id, err);
        } else if (!strcmp(k, "date")) rc = jstr(it, k, &j->sh.date, err);
        else if (!strcmp(k, "destination")) rc = jstr(it, k, &j->sh.destination, err);
        else if (!strcmp(k, "end_user_hq")) rc = jstr(it, k, &j->sh.end_user_hq, err);
        else if (!strcmp(k, "export_from")) rc = jstr(it, k, &j->sh.export_from, err);
        else if (!strcmp(k, "destination_region")) rc = jstr(it, k, &j->sh.destination_region, err);
        else if (!strcmp(k, "eccn")) rc = jstr(it, k, &j->sh.eccn, err);
        else if (!strcmp(k, "exception")) rc = jstr(it, k, &j->sh.exception, err);
        else if (!strcmp(k, "exception_authorization")) rc = jstr(it, k, &j->sh.exception_authorization, err);
        else if (!strcmp(k, "quantity")) {
            double q;
            rc = jnum(it, k, &q, err);
            if (!rc && !isnan(q) && (q != floor(q) || q < 0 || q > MAX_FIGURE))
                rc = ierr(err, k, "must be a whole number from 0 to 1e9");
        } else if (!strcmp(k, "chip")) {
            if (cJSON_IsString(it))
                j->sh.chip_name = it->valuestring;
            else if (cJSON_IsObject(it))
                rc = parse_chip_obj(it, j, err);
            else
                rc = ierr(err, k, "must be a catalog chip name or an object of figures, got %s", type_name(it));
        } else if (!strcmp(k, "licenses")) {
            rc = parse_licenses(it, j, err);
        } else {
            rc = ierr(err, k, "unknown key in a shipment (known: id, date, destination, destination_region, "
                              "end_user_hq, export_from, quantity, chip, eccn, exception, exception_authorization, "
                              "licenses)");
        }
        if (rc)
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
    chipcheck_decision *d = NULL;
    if (parse_json(json, &root, &j, err) == 0)
        d = chipcheck_check(rules, &j.sh, opts, err);
    json_ship_free(&j, root);
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
    int rc = parse_json(json, &root, &j, err);
    if (rc == 0)
        rc = chipcheck_evaluator_verdict(ev, &j.sh, opts, err);
    json_ship_free(&j, root);
    return rc;
}

int ship_from_json(const chipcheck_rules *rules, const char *json, const chipcheck_options *opts,
                   int (*fn)(void *ctx, const ship *s), void *ctx, chipcheck_error *err)
{
    err_clear(err);
    if (!rules || !json)
        return err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "rules and json must not be NULL");
    if (opts && opts->version != CHIPCHECK_OPTIONS_VERSION)
        return err_set(err, CHIPCHECK_ERR_ARG, "<options>", 0, 0, "version",
                       "options version %u is not supported (expected %u); initialise with CHIPCHECK_OPTIONS_INIT",
                       opts->version, CHIPCHECK_OPTIONS_VERSION);
    cJSON *root;
    json_ship j;
    ship s;
    int rc = parse_json(json, &root, &j, err);
    if (rc == 0)
        rc = ship_from_struct(rules, &j.sh, &s, err);
    if (rc == 0 && !s.date) {
        const char *dd = opts ? opts->default_date : NULL;
        s.date = dd ? date_parse(dd) : date_today();
        if (!s.date)
            rc = err_set(err, CHIPCHECK_ERR_INPUT, "<options>", 0, 0, "date",
                         "date: default date '%.40s' is not a real calendar date", dd);
    }
    if (rc == 0)
        rc = fn(ctx, &s);
    json_ship_free(&j, root);
    return rc;
}
