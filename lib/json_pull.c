/*
 * json_pull.c: a pull parser for the common shipment JSON object, beside shipment.c's cJSON path (the
 * reference). One pass over the text, no tree: each known key goes straight to its field of the json_ship,
 * each string is decoded into one store per line. Anything it is not sure of is JSON_PULL_FALLBACK, never
 * an error of its own, so every error message is the cJSON path's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define FB JSON_PULL_FALLBACK

typedef struct pull {
    const char *p;  /* the next byte to read */
    char *out;      /* where the next decoded string goes (the store has room for every string of the text) */
    pull_store *st;
    json_ship *j;
    size_t ntp, nlic, nprod;
} pull;

typedef int (*member_fn)(pull *P, int k, void *ctx);
typedef struct known_key { const char *name; size_t len; } known_key;
#define KEY(s) {s, sizeof s - 1}

static void ws(pull *P)
{
    while (*P->p == ' ' || *P->p == '\n' || *P->p == '\r' || *P->p == '\t')
        P->p++;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return FB; /* cJSON reads a bad digit as 0: not ours to imitate */
        v = v << 4 | (unsigned)d;
    }
    *out = v;
    return 0;
}

/* A \u escape with its four hex digits (and its low surrogate) at s, as UTF-8 at *o; *len the escape's
 * bytes. \u0000 (an error naming the field, on the cJSON path) and lone surrogates (cJSON refuses them) fall
 * back. */
static int unicode_escape(const char *s, char **o, size_t *len)
{
    unsigned cp, lo;
    if (hex4(s + 2, &cp) || cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
        return FB;
    *len = 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (s[6] != '\\' || s[7] != 'u' || hex4(s + 8, &lo) || lo < 0xDC00 || lo > 0xDFFF)
            return FB;
        cp = 0x10000 + (((cp & 0x3FF) << 10) | (lo & 0x3FF));
        *len = 12;
    }
    unsigned char *u = (unsigned char *)*o;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        *o += 1;
    } else if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | cp >> 6);
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        *o += 2;
    } else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | cp >> 12);
        u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        *o += 3;
    } else {
        u[0] = (unsigned char)(0xF0 | cp >> 18);
        u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        u[3] = (unsigned char)(0x80 | (cp & 0x3F));
        *o += 4;
    }
    return 0;
}

/* A string literal at P->p, decoded (bytes copied as they are, as cJSON does, invalid UTF-8 included; the
 * validation after both paths judges them). A raw control byte falls back. */
static int string(pull *P, const char **out)
{
    const unsigned char *s = (const unsigned char *)P->p + 1;
    char *o = P->out;
    if (P->p[0] != '"')
        return FB;
    for (;;) {
        const unsigned char *q = s;
        while (*q >= 0x20 && *q != '"' && *q != '\\')
            q++;
        memcpy(o, s, (size_t)(q - s));
        o += q - s;
        s = q;
        if (*s == '"')
            break;
        if (*s != '\\')
            return FB; /* the end of the text, or a raw control byte */
        static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
        const char *e = s[1] ? strchr(esc_in, s[1]) : NULL;
        if (e) {
            *o++ = esc_out[e - esc_in];
            s += 2;
        } else if (s[1] == 'u') {
            size_t len;
            if (unicode_escape((const char *)s, &o, &len))
                return FB;
            s += len;
        } else {
            return FB;
        }
    }
    *o++ = '\0';
    *out = P->out;
    P->out = o;
    P->p = (const char *)s + 1;
    return 0;
}

/* The value strtod gives a plain decimal ("-12", "405.236": at most 15 digits, no exponent) without calling
 * it: the digits as an integer (exact in a double below 2^53) divided by a power of ten up to 10^22 (exact
 * too) is one correctly rounded operation, as strtod's result is, in the current rounding mode (the sign
 * goes with the dividend, so directed modes round the same way). 1 with *out set, 0 to use strtod. */
static int exact_decimal(const char *s, size_t n, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    size_t i = s[0] == '-', digits = 0, frac = 0, dot = 0;
    int64_t m = 0;
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if (++digits > 15)
                return 0; /* before m could overflow */
            m = m * 10 + (s[i] - '0');
            frac += dot;
        } else if (s[i] == '.' && !dot && digits) {
            dot = 1;
        } else {
            return 0; /* an exponent, a sign inside, a second '.' */
        }
    }
    if (!digits || (dot && !frac))
        return 0;
    double v = (double)m; /* exact; negated as a double, so "-0" is -0.0 */
    *out = (s[0] == '-' ? -v : v) / pow10[frac];
    return 1;
}

/* A number, converted exactly as cJSON 1.7 does: the run of [0-9+-.eE] given to strtod. A run strtod does
 * not read whole (cJSON would then fail on what is left), or one too long for cJSON's 63-byte copy, falls
 * back; so does a locale whose decimal point is not '.' (strtod then stops at the '.'). */
static int number(pull *P, double *out)
{
    char buf[64];
    size_t n = 0;
    if (*P->p != '-' && (*P->p < '0' || *P->p > '9'))
        return FB;
    while (n < sizeof buf - 1 && ((P->p[n] >= '0' && P->p[n] <= '9') || P->p[n] == '+' || P->p[n] == '-' ||
                                  P->p[n] == '.' || P->p[n] == 'e' || P->p[n] == 'E')) {
        buf[n] = P->p[n];
        n++;
    }
    if (n == sizeof buf - 1)
        return FB;
    buf[n] = '\0';
    if (!exact_decimal(buf, n, out)) {
        char *end;
        *out = strtod(buf, &end);
        if (end != buf + n)
            return FB;
    }
    P->p += n;
    return 0;
}

/* true, false or null: 1, 0 or -1 in *v. */
static int literal(pull *P, int *v)
{
    if (!strncmp(P->p, "true", 4))
        *v = 1;
    else if (!strncmp(P->p, "false", 5))
        *v = 0;
    else if (!strncmp(P->p, "null", 4))
        *v = -1;
    else
        return FB;
    P->p += *v == 0 ? 5 : 4;
    return 0;
}

static int skip_value(pull *P, int depth);

/* '{' or '[' at P->p: each member (a key, ':', a value) or element in turn to fn (k the member's index among
 * known[0..n), seen marking each, a repeated or unknown key falling back; elements have k -1). */
static int container(pull *P, const known_key *known, size_t n, member_fn fn, void *ctx)
{
    int obj = *P->p == '{';
    uint64_t seen = 0;
    P->p++;
    ws(P);
    if (*P->p == (obj ? '}' : ']')) {
        P->p++;
        return 0;
    }
    for (;;) {
        int k = -1;
        if (obj) {
            const char *key = P->p + 1, *q = key;
            if (*P->p != '"')
                return FB;
            if (known) { /* a known key, whole, then its closing quote: nothing to scan or decode */
                for (size_t i = 0; i < n && k < 0; i++)
                    if (known[i].name[0] == key[0] && !strncmp(known[i].name, key, known[i].len) &&
                        key[known[i].len] == '"')
                        k = (int)i;
                if (k < 0 || (seen >> k & 1))
                    return FB; /* unknown (or escaped) or repeated: an error on the cJSON path */
                seen |= (uint64_t)1 << k;
                q = key + known[k].len;
            } else {
                while (*q != '"' && *q != '\\' && *q)
                    q++;
                if (*q != '"')
                    return FB; /* an escape in a key: cJSON decodes it */
            }
            P->p = q + 1;
            ws(P);
            if (*P->p++ != ':')
                return FB;
            ws(P);
        }
        if (fn(P, k, ctx))
            return FB;
        ws(P);
        if (*P->p == ',') {
            P->p++;
            ws(P);
            continue;
        }
        if (*P->p++ != (obj ? '}' : ']'))
            return FB;
        return 0;
    }
}

static int skip_member(pull *P, int k, void *ctx)
{
    (void)k;
    return skip_value(P, *(int *)ctx);
}

/* Any value, checked as cJSON would read it (a chip's keys that are accepted and not used). */
static int skip_value(pull *P, int depth)
{
    const char *s;
    double d;
    int v;
    if (*P->p == '"')
        return string(P, &s);
    if (*P->p == '{' || *P->p == '[') {
        int inner = depth + 1;
        return inner > PULL_DEPTH ? FB : container(P, NULL, 0, skip_member, &inner);
    }
    if (*P->p == 't' || *P->p == 'f' || *P->p == 'n')
        return literal(P, &v);
    return number(P, &d);
}

/* A string or null (absent): jstr() of the cJSON path without its error. */
static int opt_string(pull *P, const char **out)
{
    int v;
    if (*P->p == '"')
        return string(P, out);
    return literal(P, &v) || v != -1 ? FB : 0;
}

/* A finite number or null (NAN): jnum() of the cJSON path without its errors. */
static int opt_number(pull *P, double *out)
{
    int v;
    *out = NAN;
    if (*P->p == 'n')
        return literal(P, &v) || v != -1 ? FB : 0;
    return number(P, out) || isinf(*out) ? FB : 0;
}

static int throughput_member(pull *P, int k, void *ctx)
{
    chipcheck_throughput *ct = ctx;
    double b;
    int v;
    switch (k) {
    case 0: return opt_string(P, &ct->precision);
    case 1: return opt_number(P, &ct->tops);
    case 2:
        if (opt_number(P, &b) || (!isnan(b) && (b != floor(b) || b < 1 || b > 64)))
            return FB;
        ct->bits = isnan(b) ? 0 : (int)b;
        return 0;
    default:
        if (literal(P, &v) || v < 0)
            return FB;
        ct->sparse = v;
        return 0;
    }
}

static int throughput_entry(pull *P, int k, void *ctx)
{
    static const known_key keys[] = {KEY("precision"), KEY("tops"), KEY("bits"), KEY("sparse")};
    (void)k;
    (void)ctx;
    if (P->ntp == PULL_TP || *P->p != '{')
        return FB;
    chipcheck_throughput *ct = &P->st->tp[P->ntp++];
    memset(ct, 0, sizeof *ct);
    ct->tops = NAN;
    if (container(P, keys, 4, throughput_member, ct) || !ct->precision)
        return FB;
    P->j->chip.n_throughput++;
    return 0;
}

static int chip_member(pull *P, int k, void *ctx)
{
    chipcheck_chip *c = ctx;
    const char **strs[] = {&c->name, &c->vendor, &c->part_number, &c->kind};
    double *nums[] = {&c->tpp, &c->die_area_mm2, &c->memory_bandwidth_gbs, &c->interconnect_bandwidth_gbs,
                      &c->hbm_bandwidth_density};
    int v;
    if (k < 4)
        return opt_string(P, strs[k]);
    if (k < 9)
        return opt_number(P, nums[k - 4]);
    if (k == 9) {
        if (literal(P, &v))
            return FB;
        if (v >= 0)
            c->datacenter = v;
        return 0;
    }
    if (k == 10) {
        c->throughput = P->st->tp;
        return *P->p != '[' ? FB : container(P, NULL, 0, throughput_entry, NULL);
    }
    if (k == 11)
        return opt_string(P, &P->j->sh.chip_name);
    return skip_value(P, 1);
}

static int chip_object(pull *P)
{
    static const known_key keys[] = {KEY("name"), KEY("vendor"), KEY("part_number"), KEY("kind"), KEY("tpp"),
                               KEY("die_area_mm2"), KEY("memory_bandwidth_gbs"), KEY("interconnect_bandwidth_gbs"),
                               KEY("hbm_bandwidth_density"), KEY("datacenter"), KEY("throughput"), KEY("catalog"),
                               KEY("sources"), KEY("aliases"), KEY("source_kind"), KEY("as_of"), KEY("note")};
    chipcheck_chip *c = &P->j->chip;
    c->tpp = c->die_area_mm2 = c->memory_bandwidth_gbs = c->interconnect_bandwidth_gbs = c->hbm_bandwidth_density = NAN;
    c->datacenter = -1;
    if (container(P, keys, sizeof keys / sizeof keys[0], chip_member, c))
        return FB;
    P->j->sh.chip = c;
    return 0;
}

static int product(pull *P, int k, void *ctx)
{
    chipcheck_license *cl = ctx;
    (void)k;
    if (P->nprod == PULL_PRODUCTS || *P->p != '"')
        return FB;
    if (string(P, &P->st->products[P->nprod]))
        return FB;
    P->nprod++;
    cl->n_products++;
    return 0;
}

static int license_member(pull *P, int k, void *ctx)
{
    chipcheck_license *cl = ctx;
    const char **strs[] = {&cl->id, &cl->destination, &cl->valid_from, &cl->valid_to};
    if (k < 4)
        return opt_string(P, strs[k]);
    cl->products = &P->st->products[P->nprod];
    return *P->p != '[' ? FB : container(P, NULL, 0, product, cl);
}

static int license_entry(pull *P, int k, void *ctx)
{
    static const known_key keys[] = {KEY("id"), KEY("destination"), KEY("valid_from"), KEY("valid_to"),
                                     KEY("products")};
    (void)k;
    (void)ctx;
    if (P->nlic == PULL_LIC || *P->p != '{')
        return FB;
    chipcheck_license *cl = &P->st->lic[P->nlic++];
    memset(cl, 0, sizeof *cl);
    if (container(P, keys, 5, license_member, cl))
        return FB;
    P->j->sh.n_licenses++;
    return 0;
}

/* The members of the shipment object, as parse_member() of the cJSON path reads them. */
static int top_member(pull *P, int k, void *ctx)
{
    json_ship *j = P->j;
    const char **strs[] = {NULL, &j->sh.date, &j->sh.destination, &j->sh.end_user_hq, &j->sh.export_from,
                           &j->sh.exception, &j->sh.exception_authorization};
    double q;
    (void)ctx;
    if (k == 0 && (*P->p == '-' || (*P->p >= '0' && *P->p <= '9'))) {
        if (number(P, &q) || q != floor(q) || !(fabs(q) < 1e15))
            return FB;
        snprintf(j->idbuf, sizeof j->idbuf, "%.0f", q);
        j->sh.id = j->idbuf;
        return 0;
    }
    if (k == 0)
        return opt_string(P, &j->sh.id);
    if (k < 7)
        return opt_string(P, strs[k]);
    if (k == 7)
        return opt_number(P, &q) || (!isnan(q) && (q != floor(q) || q < 0 || q > SHIPMENT_MAX_FIGURE)) ? FB : 0;
    if (k == 8)
        return *P->p == '"' ? string(P, &j->sh.chip_name) : *P->p == '{' ? chip_object(P) : FB;
    if (k == 9) {
        j->sh.licenses = P->st->lic;
        return *P->p != '[' ? FB : container(P, NULL, 0, license_entry, NULL);
    }
    return opt_string(P, k == 10 ? &j->sh.destination_region : &j->sh.eccn);
}

int json_pull_shipment(const char *json, json_ship *j, pull_store *st)
{
    static const known_key keys[] = {KEY("id"), KEY("date"), KEY("destination"), KEY("end_user_hq"), KEY("export_from"),
                               KEY("exception"), KEY("exception_authorization"), KEY("quantity"), KEY("chip"),
                               KEY("licenses"), KEY("destination_region"), KEY("eccn")};
    size_t len = strlen(json);
    pull P = {json, st->text, st, j, 0, 0, 0};
    memset(j, 0, sizeof *j);
    st->heap = NULL;
    if (len >= PULL_TEXT) { /* every decoded string with its NUL is shorter than its literal */
        if ((st->heap = malloc(len + 1)) == NULL)
            return FB;
        P.out = st->heap;
    }
    ws(&P);
    if (*P.p != '{' || container(&P, keys, sizeof keys / sizeof keys[0], top_member, NULL))
        return FB;
    ws(&P);
    return *P.p ? FB : 0;
}

void json_pull_release(pull_store *st)
{
    free(st->heap);
    st->heap = NULL;
}
