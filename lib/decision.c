/*
 * decision.c: the decision object: its arena, its accessors, and its JSON form (DESIGN section 4). The JSON
 * is built in a fixed key order from the decision alone, so the same input gives the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- arena ---------------------------------------------------------------------------------------- */

void *arena_alloc(arena_block **a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!*a || (*a)->used + n > (*a)->cap) {
        size_t cap = n > 4096 ? n : 4096;
        arena_block *b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = *a;
        b->used = 0;
        b->cap = cap;
        *a = b;
    }
    void *p = (*a)->data + (*a)->used;
    (*a)->used += n;
    return p;
}

char *arena_strdup(arena_block **a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(a, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *arena_printf(arena_block **a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

char *arena_cat(arena_block **a, ...)
{
    va_list ap;
    size_t n = 1;
    va_start(ap, a);
    for (const char *p; (p = va_arg(ap, const char *)) != NULL;)
        n += strlen(p);
    va_end(ap);
    char *out = arena_alloc(a, n), *o = out;
    if (!out)
        return NULL;
    va_start(ap, a);
    for (const char *p; (p = va_arg(ap, const char *)) != NULL;) {
        size_t k = strlen(p);
        memcpy(o, p, k);
        o += k;
    }
    va_end(ap);
    *o = '\0';
    return out;
}

/* ---- accessors ------------------------------------------------------------------------------------ */

/* A decision of chipcheck_check() knows its verdict at once and builds the rest (reasons, lists, rule sets) on
 * first use, in place: decisions belong to one thread, so no lock is needed. When memory runs out then, it stays
 * unbuilt: counts read 0 and strings NULL (the verdict is never affected) and the JSON is NULL. */
static const chipcheck_decision *ready(const chipcheck_decision *d)
{
    if (d && d->complete) {
        chipcheck_decision *m = (chipcheck_decision *)(uintptr_t)d; /* built once, in place */
        (void)m->complete(m);
    }
    return d;
}

/* A decision and the first block of its arena are one allocation: most decisions need no other. */
#define FIRST_BLOCK 1024
static size_t first_block_at(void) { return (sizeof(chipcheck_decision) + 15) & ~(size_t)15; }

chipcheck_decision *decision_new(void)
{
    chipcheck_decision *d = malloc(first_block_at() + sizeof(arena_block) + FIRST_BLOCK);
    if (!d)
        return NULL;
    memset(d, 0, sizeof *d);
    arena_block *b = (arena_block *)(void *)((char *)d + first_block_at());
    b->next = NULL;
    b->used = 0;
    b->cap = FIRST_BLOCK;
    d->arena = b;
    return d;
}

void chipcheck_decision_free(chipcheck_decision *d)
{
    if (!d)
        return;
    free(d->reasons);
    const arena_block *own = (const arena_block *)(const void *)((const char *)d + first_block_at());
    for (arena_block *a = d->arena, *next; a; a = next) {
        next = a->next;
        if (a != own)
            free(a);
    }
    free(d);
}

chipcheck_verdict chipcheck_decision_verdict(const chipcheck_decision *d) { return d ? d->verdict : CHIPCHECK_INDETERMINATE; }
const char *chipcheck_decision_id(const chipcheck_decision *d) { return d ? d->id : NULL; }
const char *chipcheck_decision_ruleset_id(const chipcheck_decision *d)
{
    d = ready(d);
    return d && d->v ? d->v->file->regime : NULL;
}
const char *chipcheck_decision_ruleset_version(const chipcheck_decision *d)
{
    d = ready(d);
    return d && d->v ? d->v->file->version : NULL;
}
const char *chipcheck_decision_ruleset_digest(const chipcheck_decision *d)
{
    d = ready(d);
    return d && d->v ? d->v->digest : NULL;
}
const char *chipcheck_decision_review_policy(const chipcheck_decision *d) { d = ready(d); return d ? d->policy : NULL; }
size_t chipcheck_decision_classification_count(const chipcheck_decision *d)
{
    d = ready(d);
    return d ? d->nclasses : 0;
}
const char *chipcheck_decision_classification(const chipcheck_decision *d, size_t i)
{
    d = ready(d);
    return d && i < d->nclasses ? d->classes[i] : NULL;
}
size_t chipcheck_decision_missing_count(const chipcheck_decision *d) { d = ready(d); return d ? d->nmissing : 0; }
const char *chipcheck_decision_missing(const chipcheck_decision *d, size_t i)
{
    d = ready(d);
    return d && i < d->nmissing ? d->missing[i] : NULL;
}
size_t chipcheck_decision_reason_count(const chipcheck_decision *d) { d = ready(d); return d ? d->nreasons : 0; }

int chipcheck_decision_policy_may_be_stricter(const chipcheck_decision *d)
{
    d = ready(d);
    return d ? d->policy_may_be_stricter : 0;
}

size_t chipcheck_decision_ruleset_count(const chipcheck_decision *d) { d = ready(d); return d ? d->nregimes : 0; }

int chipcheck_decision_ruleset_info(const chipcheck_decision *d, size_t i, const char **id, const char **version,
                                    const char **digest, int *verdict)
{
    d = ready(d);
    if (!d || i >= d->nregimes)
        return CHIPCHECK_ERR_ARG;
    const regime_entry *g = &d->regimes[i];
    if (id) *id = g->rg->id;
    if (version) *version = g->v ? g->v->file->version : NULL;
    if (digest) *digest = g->v ? g->v->digest : NULL;
    if (verdict) *verdict = (int)g->verdict;
    return CHIPCHECK_OK;
}

size_t chipcheck_decision_not_screened_count(const chipcheck_decision *d) { d = ready(d); return d ? d->nns : 0; }
const char *chipcheck_decision_not_screened_code(const chipcheck_decision *d, size_t i)
{
    d = ready(d);
    return d && i < d->nns ? d->ns[i]->code : NULL;
}
const char *chipcheck_decision_not_screened_text(const chipcheck_decision *d, size_t i)
{
    d = ready(d);
    return d && i < d->nns ? d->ns[i]->text : NULL;
}

/* Days from regime i's reviewed date to the shipment's date (<= 0: not past it, or no reviewed date). */
static int regime_days_after(const chipcheck_decision *d, size_t i, const char **reviewed)
{
    const regime_def *rg = d->regimes[i].rg;
    *reviewed = rg->reviewed;
    if (!rg->reviewed_ymd)
        return 0;
    return date_days(date_parse(d->date)) - date_days(rg->reviewed_ymd);
}

size_t chipcheck_decision_freshness_count(const chipcheck_decision *d)
{
    d = ready(d);
    size_t n = 0;
    const char *rv;
    for (size_t i = 0; d && i < d->nregimes; i++)
        n += regime_days_after(d, i, &rv) > 0;
    return n;
}

int chipcheck_decision_freshness(const chipcheck_decision *d, size_t i, const char **regime, const char **reviewed,
                                 int *days_after)
{
    d = ready(d);
    const char *rv;
    for (size_t k = 0; d && k < d->nregimes; k++) {
        int days = regime_days_after(d, k, &rv);
        if (days <= 0 || i-- > 0)
            continue;
        if (regime) *regime = d->regimes[k].rg->id;
        if (reviewed) *reviewed = rv;
        if (days_after) *days_after = days;
        return CHIPCHECK_OK;
    }
    return CHIPCHECK_ERR_ARG;
}
const chipcheck_reason *chipcheck_decision_reason(const chipcheck_decision *d, size_t i)
{
    d = ready(d);
    return d && i < d->nreasons ? &d->reasons[i] : NULL;
}
const char *chipcheck_reason_rule(const chipcheck_reason *r) { return r ? r->rule : NULL; }
const char *chipcheck_reason_code(const chipcheck_reason *r) { return r ? r->code : NULL; }
const char *chipcheck_reason_kind(const chipcheck_reason *r) { return r ? r->kind : NULL; }
const char *chipcheck_reason_citation(const chipcheck_reason *r) { return r ? r->citation : NULL; }
const char *chipcheck_reason_source_kind(const chipcheck_reason *r) { return r ? r->source_kind : NULL; }
const char *chipcheck_reason_text(const chipcheck_reason *r) { return r ? r->text : NULL; }
int chipcheck_reason_result(const chipcheck_reason *r) { return r ? r->result : TV_UNKNOWN; }

/* ---- JSON ------------------------------------------------------------------------------------------
 * Decisions are written directly into a buffer, in exactly the layout cJSON prints (compact, or with
 * cJSON's tabs when pretty), without building a tree: rendering is on the batch hot path. */

typedef struct jw {
    char *buf;
    size_t len, cap;
    int pretty, depth, oom;
    int first[48];      /* per nesting level: no member written yet */
} jw;

static void jw_grow_slow(jw *w, size_t n)
{
    size_t cap = w->cap ? w->cap : 4096;
    while (cap < w->len + n + 1)
        cap *= 2;
    char *nb = realloc(w->buf, cap);
    if (!nb) {
        w->oom = 1;
        return;
    }
    w->buf = nb;
    w->cap = cap;
}

/* Room for n more bytes and a terminator; 0 once out of memory. */
static inline int jw_room(jw *w, size_t n)
{
    if (w->len + n + 1 > w->cap && !w->oom)
        jw_grow_slow(w, n);
    return !w->oom;
}

static inline void jw_grow(jw *w, size_t n) { (void)jw_room(w, n); }

static inline void jw_raw(jw *w, const char *s, size_t n)
{
    if (!jw_room(w, n))
        return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static inline void jw_char(jw *w, char c)
{
    if (!jw_room(w, 1))
        return;
    w->buf[w->len++] = c;
}

static void jw_tabs(jw *w, int n)
{
    for (int i = 0; i < n; i++)
        jw_char(w, '\t');
}

/* s as a quoted JSON string at o (room for 6 * n + 2 bytes); the end. */
static inline char *put_string(char *o, const char *s, size_t n)
{
    *o++ = '"';
    o = json_escape(o, s, n);
    *o++ = '"';
    return o;
}

static void jw_string(jw *w, const char *s)
{
    size_t n = strlen(s);
    if (!jw_room(w, n * 6 + 2))
        return;
    char *o = w->buf + w->len;
    if (n <= 16) { /* short values (codes, sources, ops): copy while no byte needs escaping */
        size_t i = 0;
        *o = '"';
        for (; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x20 || c == '"' || c == '\\')
                break;
            o[1 + i] = (char)c;
        }
        if (i == n) {
            o[1 + n] = '"';
            w->len += n + 2;
            return;
        }
    }
    w->len = (size_t)(put_string(o, s, n) - w->buf);
}

/* Numbers as cJSON prints them: integers with %d, else the shortest of %1.15g / %1.17g that round-trips. */
static void jw_number(jw *w, double d)
{
    char b[32];
    jw_raw(w, b, fmt_json_number(b, d));
}

/* Before a value: in an object, the key; in an array, the separator. Keys are the literals of this file, which
 * need no escaping (plain ASCII letters and underscores), except metric names: escaped says so. */
static inline void jw_key_any(jw *w, const char *key, int escaped)
{
    int *first = &w->first[w->depth];
    if (!w->pretty) { /* compact: the separator and the key in one step */
        size_t kn = key ? strlen(key) : 0;
        if (jw_room(w, kn * 6 + 4)) {
            char *o = w->buf + w->len;
            if (!*first)
                *o++ = ',';
            if (key && escaped) {
                o = put_string(o, key, kn);
                *o++ = ':';
            } else if (key) {
                *o++ = '"';
                memcpy(o, key, kn);
                o += kn;
                *o++ = '"';
                *o++ = ':';
            }
            w->len = (size_t)(o - w->buf);
        }
        *first = 0;
        return;
    }
    if (key) {
        if (!*first)
            jw_char(w, ',');
        if (!*first)
            jw_char(w, '\n');
        jw_tabs(w, w->depth);
        jw_string(w, key);
        jw_char(w, ':');
        jw_char(w, '\t');
    } else if (!*first) {
        jw_char(w, ',');
        jw_char(w, ' ');
    }
    *first = 0;
}

/* A literal key (inlined, so that its length is known when compiled) or an array separator (NULL). */
__attribute__((always_inline)) static inline void jw_key(jw *w, const char *key)
{
    size_t kn = key ? strlen(key) : 0;
    if (w->pretty || !jw_room(w, kn + 4)) {
        jw_key_any(w, key, 0);
        return;
    }
    char *o = w->buf + w->len;
    if (!w->first[w->depth])
        *o++ = ',';
    if (key) {
        *o++ = '"';
        memcpy(o, key, kn);
        o += kn;
        *o++ = '"';
        *o++ = ':';
    }
    w->len = (size_t)(o - w->buf);
    w->first[w->depth] = 0;
}

/* An object or array opened where its key or separator is already written. */
static void jw_open_bare(jw *w, char c)
{
    jw_char(w, c);
    if (w->depth + 1 < (int)(sizeof w->first / sizeof w->first[0]))
        w->depth++;
    w->first[w->depth] = 1;
    if (w->pretty && c == '{')
        jw_char(w, '\n');
}

static void jw_open(jw *w, const char *key, char c)
{
    jw_key(w, key);
    jw_open_bare(w, c);
}

static void jw_close(jw *w, char c)
{
    if (w->pretty && c == '}') {
        if (!w->first[w->depth])
            jw_char(w, '\n');
        jw_tabs(w, w->depth - 1);
    }
    w->depth--;
    jw_char(w, c);
}

__attribute__((always_inline)) static inline void jw_str(jw *w, const char *key, const char *v)
{
    jw_key(w, key);
    if (v)
        jw_string(w, v);
    else
        jw_raw(w, "null", 4);
}

static inline void jw_bool(jw *w, const char *key, int b)
{
    jw_key(w, key);
    jw_raw(w, b ? "true" : "false", b ? 4 : 5);
}

static void jw_result(jw *w, const char *key, int r)
{
    if (r == TV_UNKNOWN)
        jw_str(w, key, "unknown");
    else
        jw_bool(w, key, r == TV_TRUE);
}

static void jw_value(jw *w, const char *key, vtype t, double num, const char *str, int b)
{
    switch (t) {
    case V_NUM: jw_key(w, key); jw_number(w, num); return;
    case V_STR: jw_str(w, key, str); return;
    case V_BOOL: jw_bool(w, key, b); return;
    case V_NONE: break;
    }
    jw_str(w, key, NULL);
}

static void jw_strings(jw *w, const char *key, const char *const *v, size_t n)
{
    jw_open(w, key, '[');
    for (size_t i = 0; i < n; i++)
        jw_str(w, NULL, v[i]);
    jw_close(w, ']');
}

static void jw_mask(jw *w, const char *key, field_mask m)
{
    const char *names[F_COUNT];
    size_t n = 0;
    for (int f = 0; f < F_COUNT; f++)
        if ((m >> f) & 1u) {
            size_t j = n++;
            while (j > 0 && strcmp(names[j - 1], field_name((field_id)f)) > 0) {
                names[j] = names[j - 1];
                j--;
            }
            names[j] = field_name((field_id)f);
        }
    jw_strings(w, key, names, n);
}

/* A literal that needs no escaping (a key with its quotes and colon, a separator), copied as it is. */
#define JW_LIT(w, lit) jw_raw((w), lit, sizeof(lit) - 1)

/* A string value, or null. */
static inline void jw_strval(jw *w, const char *v)
{
    if (v)
        jw_string(w, v);
    else
        JW_LIT(w, "null");
}

static void jw_val(jw *w, vtype t, double num, const char *str, int b)
{
    switch (t) {
    case V_NUM: jw_number(w, num); return;
    case V_STR: jw_strval(w, str); return;
    case V_BOOL:
        if (b)
            JW_LIT(w, "true");
        else
            JW_LIT(w, "false");
        return;
    case V_NONE: break;
    }
    JW_LIT(w, "null");
}

/* One check in the compact form (its separator written): the bytes jw_open() and jw_str() give, with the keys
 * copied as literals. */
static void jw_check_compact(jw *w, const check *k)
{
    JW_LIT(w, "{\"metric\":");
    jw_strval(w, k->metric);
    JW_LIT(w, ",\"value\":");
    jw_val(w, k->vt, k->vnum, k->vstr, k->vbool);
    JW_LIT(w, ",\"op\":");
    jw_strval(w, k->op);
    JW_LIT(w, ",\"threshold\":");
    jw_val(w, k->tt, k->tnum, k->tstr, k->tbool);
    if (k->result == TV_UNKNOWN)
        JW_LIT(w, ",\"result\":\"unknown\"");
    else if (k->result == TV_TRUE)
        JW_LIT(w, ",\"result\":true");
    else
        JW_LIT(w, ",\"result\":false");
    if (k->negated)
        JW_LIT(w, ",\"negated\":true");
    JW_LIT(w, ",\"source\":");
    jw_strval(w, k->source);
    if (k->how) {
        JW_LIT(w, ",\"how\":");
        jw_string(w, k->how);
    }
    JW_LIT(w, "}");
}

/* The members of a reason up to "result" (head) and from "citation" to "policy" (mid). */
static void jw_reason_head(jw *w, const struct chipcheck_reason *r)
{
    jw_str(w, "rule", r->rule);
    jw_str(w, "regime", r->regime);
    jw_str(w, "code", r->code);
    jw_str(w, "kind", r->kind);
}

static void jw_reason_mid(jw *w, const struct chipcheck_reason *r)
{
    jw_str(w, "citation", r->citation);
    jw_str(w, "authority", r->authority);
    jw_str(w, "source_kind", r->source_kind);
    jw_str(w, "confidence", r->confidence);
    jw_str(w, "as_of", r->as_of);
    jw_str(w, "text", r->text);
    if (r->policy)
        jw_str(w, "policy", r->policy);
}

/* The reason a rule gives, as new_reason() (evaluate.c) fills it from the rule: its constant members. */
static void rule_reason(const rule *ru, struct chipcheck_reason *r)
{
    memset(r, 0, sizeof *r);
    r->from = ru;
    r->rule = ru->id;
    r->code = ru->code;
    r->kind = rule_kind_name(ru->kind);
    r->citation = ru->citation;
    r->authority = ru->src->citation;
    r->source_kind = ru->src->kind;
    r->confidence = ru->src->confidence;
    r->as_of = ru->src->as_of;
    r->text = ru->text;
    r->regime = ru->file->regime;
    if (ru->kind != R_CLASSIFICATION && ru->kind != R_EXCEPTION)
        r->policy = policy_name(ru->pol);
}

/* May r's constant members be copied from its rule's cached fragments? Only when every one of them is the
 * rule's (compared, not assumed, so that a reason changed after new_reason() is written in full). */
static int reason_cached(const jw *w, const struct chipcheck_reason *r)
{
    const rule *ru = r->from;
    if (w->pretty || !ru || !ru->json_head || !ru->json_mid)
        return 0;
    struct chipcheck_reason c;
    rule_reason(ru, &c);
    return r->rule == c.rule && r->code == c.code && r->kind == c.kind && r->citation == c.citation &&
           r->authority == c.authority && r->source_kind == c.source_kind && r->confidence == c.confidence &&
           r->as_of == c.as_of && r->text == c.text && r->regime == c.regime && r->policy == c.policy;
}

static void jw_reason(jw *w, const struct chipcheck_reason *r)
{
    if (reason_cached(w, r)) {
        jw_key(w, NULL);
        jw_raw(w, r->from->json_head, strlen(r->from->json_head)); /* '{' and the members up to "result": */
        if (w->depth + 1 < (int)(sizeof w->first / sizeof w->first[0]))
            w->depth++;
        w->first[w->depth] = 0;
        if (r->result == TV_UNKNOWN)
            jw_string(w, "unknown");
        else
            jw_raw(w, r->result == TV_TRUE ? "true" : "false", r->result == TV_TRUE ? 4 : 5);
        jw_raw(w, r->from->json_mid, strlen(r->from->json_mid));
    } else {
        jw_open(w, NULL, '{');
        jw_reason_head(w, r);
        jw_result(w, "result", r->result);
        jw_reason_mid(w, r);
    }
    if (r->effective_policy)
        jw_str(w, "effective_policy", r->effective_policy);
    if (r->changed_by)
        jw_str(w, "policy_changed_by", r->changed_by);
    if (r->covered_by)
        jw_str(w, "covered_by", r->covered_by);
    if (r->note)
        jw_str(w, "note", r->note);
    jw_open(w, "checks", '[');
    for (size_t i = 0; i < r->nchecks; i++) {
        const check *k = &r->checks[i];
        if (!w->pretty) {
            jw_key(w, NULL);
            jw_check_compact(w, k);
            continue;
        }
        jw_open(w, NULL, '{');
        jw_str(w, "metric", k->metric);
        jw_value(w, "value", k->vt, k->vnum, k->vstr, k->vbool);
        jw_str(w, "op", k->op);
        jw_value(w, "threshold", k->tt, k->tnum, k->tstr, k->tbool);
        jw_result(w, "result", k->result);
        if (k->negated)
            jw_bool(w, "negated", 1);
        jw_str(w, "source", k->source);
        if (k->how)
            jw_str(w, "how", k->how);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_mask(w, "missing", r->missing);
    jw_close(w, '}');
}

/* The members of a chip's "sources" to "as_of" (inside the "chip" object). */
static void jw_chip_sources(jw *w, const cat_chip *c)
{
    jw_strings(w, "sources", (const char *const *)c->sources, c->nsources);
    jw_str(w, "source_kind", c->source_kind);
    jw_str(w, "as_of", c->as_of);
}

/* The "ruleset" object: the primary regime's version in force, or only the regime's id when none is. */
static void jw_ruleset(jw *w, const rversion *v, const char *regime)
{
    jw_open_bare(w, '{');
    jw_str(w, "id", v ? v->file->regime : regime);
    jw_str(w, "version", v ? v->file->version : NULL);
    jw_str(w, "effective", v ? v->file->effective : NULL);
    jw_str(w, "title", v ? v->file->title : NULL);
    jw_str(w, "digest", v ? v->digest : NULL);
    jw_close(w, '}');
}

/* A "rulesets" entry's members up to "verdict". */
static void jw_entry_head(jw *w, const regime_def *rg, const rversion *v)
{
    jw_str(w, "id", rg->id);
    jw_str(w, "version", v ? v->file->version : NULL);
    jw_str(w, "effective", v ? v->file->effective : NULL);
    jw_str(w, "digest", v ? v->digest : NULL);
}

/* A "not_screened" object (its separator written). */
static void jw_not_screened(jw *w, const ns_item *n)
{
    jw_open_bare(w, '{');
    jw_str(w, "code", n->code);
    jw_str(w, "label", n->label);
    jw_str(w, "text", n->text);
    jw_close(w, '}');
}

/* ---- constant fragments, rendered once at load ----------------------------------------------------- */

/* A compact writer inside depth levels, whose first member (first 0) is preceded by a comma. */
static void jw_start(jw *w, int depth, int first)
{
    memset(w, 0, sizeof *w);
    w->depth = depth;
    w->first[depth] = first;
}

/* The text written (malloc'd), or NULL out of memory. */
static char *jw_take(jw *w)
{
    if (!jw_room(w, 0)) {
        free(w->buf);
        return NULL;
    }
    w->buf[w->len] = '\0';
    return w->buf;
}

static void cache_rule(rule *ru)
{
    struct chipcheck_reason r;
    jw w;
    rule_reason(ru, &r);
    jw_start(&w, 1, 1);
    jw_open(&w, NULL, '{');
    jw_reason_head(&w, &r);
    jw_key(&w, "result");
    ru->json_head = jw_take(&w);
    jw_start(&w, 2, 0);
    jw_reason_mid(&w, &r);
    ru->json_mid = jw_take(&w);
}

void render_cache_build(chipcheck_rules *R)
{
    jw w;
    for (size_t f = 0; f < R->nfiles; f++) {
        rfile *fl = R->files[f];
        for (size_t i = 0; i < fl->nrules; i++)
            cache_rule(&fl->rules[i]);
        for (size_t i = 0; i < fl->nns; i++) {
            jw_start(&w, 1, 1);
            jw_not_screened(&w, &fl->ns[i]);
            fl->ns[i].json = jw_take(&w);
        }
    }
    for (size_t i = 0; i < R->nversions; i++) {
        rversion *v = &R->versions[i];
        jw_start(&w, 1, 1);
        jw_ruleset(&w, v, NULL);
        v->json_ruleset = jw_take(&w);
        const regime_def *rg = NULL;
        for (size_t g = 0; g < R->nregimes; g++)
            if (i >= R->regimes[g].first && i < R->regimes[g].first + R->regimes[g].count)
                rg = &R->regimes[g];
        if (!rg)
            continue;
        jw_start(&w, 1, 1);
        jw_open(&w, NULL, '{');
        jw_entry_head(&w, rg, v);
        jw_key(&w, "verdict");
        v->json_entry = jw_take(&w);
    }
    for (size_t i = 0; i < R->nchips; i++) {
        jw_start(&w, 1, 0);
        jw_chip_sources(&w, &R->chips[i]);
        R->chips[i].json_sources = jw_take(&w);
    }
}

void render_cache_free(chipcheck_rules *R)
{
    for (size_t f = 0; f < R->nfiles; f++) {
        rfile *fl = R->files[f];
        if (!fl)
            continue;
        for (size_t i = 0; i < fl->nrules; i++) {
            free(fl->rules[i].json_head);
            free(fl->rules[i].json_mid);
            fl->rules[i].json_head = fl->rules[i].json_mid = NULL;
        }
        for (size_t i = 0; i < fl->nns; i++) {
            free(fl->ns[i].json);
            fl->ns[i].json = NULL;
        }
    }
    for (size_t i = 0; i < R->nversions; i++) {
        free(R->versions[i].json_ruleset);
        free(R->versions[i].json_entry);
        R->versions[i].json_ruleset = R->versions[i].json_entry = NULL;
    }
    for (size_t i = 0; i < R->nchips; i++) {
        free(R->chips[i].json_sources);
        R->chips[i].json_sources = NULL;
    }
}

char *chipcheck_decision_json(const chipcheck_decision *d, unsigned flags)
{
    if (!d)
        return NULL;
    if (d->retrace && !(flags & CHIPCHECK_JSON_BRIEF)) { /* checks and metrics: the full trace, made now */
        chipcheck_decision *full = d->retrace(d);
        char *j = full ? chipcheck_decision_json(full, flags) : NULL;
        chipcheck_decision_free(full);
        return j;
    }
    if (d->complete && d->complete((chipcheck_decision *)(uintptr_t)d) != 0)
        return NULL;
    jw w;
    memset(&w, 0, sizeof w);
    w.pretty = (flags & CHIPCHECK_JSON_PRETTY) != 0;
    if (!(flags & CHIPCHECK_JSON_BRIEF)) /* full decisions run to tens of KiB: no copying while they grow */
        jw_grow_slow(&w, 65536);
    w.first[0] = 1;
    jw_open(&w, NULL, '{');
    jw_str(&w, "id", d->id);
    jw_str(&w, "verdict", chipcheck_verdict_name(d->verdict));
    jw_str(&w, "date", d->date);
    jw_str(&w, "destination", d->dest[0] ? d->dest : NULL);
    jw_str(&w, "end_user_hq", d->hq[0] ? d->hq : NULL);
    jw_str(&w, "export_from", d->from[0] ? d->from : NULL);
    jw_str(&w, "destination_region", d->region);
    jw_str(&w, "eccn", d->eccn);
    jw_open(&w, "chip", '{');
    jw_str(&w, "name", d->chip_name);
    jw_str(&w, "source", d->chip_source);
    if (d->catalog && !w.pretty && d->catalog->json_sources)
        jw_raw(&w, d->catalog->json_sources, strlen(d->catalog->json_sources)); /* "sources" to "as_of" */
    else if (d->catalog)
        jw_chip_sources(&w, d->catalog);
    jw_close(&w, '}');
    jw_key(&w, "ruleset");
    if (d->v && !w.pretty && d->v->json_ruleset)
        jw_raw(&w, d->v->json_ruleset, strlen(d->v->json_ruleset));
    else
        jw_ruleset(&w, d->v, d->regime);
    jw_open(&w, "rulesets", '[');
    for (size_t i = 0; i < d->nregimes; i++) {
        const regime_entry *g = &d->regimes[i];
        if (g->v && !w.pretty && g->v->json_entry) { /* '{' and the members up to "verdict": */
            jw_key(&w, NULL);
            jw_raw(&w, g->v->json_entry, strlen(g->v->json_entry));
            if (w.depth + 1 < (int)(sizeof w.first / sizeof w.first[0]))
                w.depth++;
            w.first[w.depth] = 0;
            jw_string(&w, chipcheck_verdict_name(g->verdict));
        } else {
            jw_open(&w, NULL, '{');
            jw_entry_head(&w, g->rg, g->v);
            jw_str(&w, "verdict", chipcheck_verdict_name(g->verdict));
        }
        jw_str(&w, "review_policy", policy_name(g->pol));
        jw_close(&w, '}');
    }
    jw_close(&w, ']');
    jw_strings(&w, "classification", d->classes, d->nclasses);
    jw_str(&w, "review_policy", d->policy);
    jw_bool(&w, "policy_may_be_stricter", d->policy_may_be_stricter);
    jw_strings(&w, "conditions", d->conditions, d->nconditions);
    jw_open(&w, "exceptions", '[');
    for (size_t i = 0; i < d->nexc; i++) {
        jw_open(&w, NULL, '{');
        jw_str(&w, "id", d->exc[i].id);
        jw_str(&w, "citation", d->exc[i].citation);
        jw_str(&w, "needs", d->exc[i].needs);
        jw_bool(&w, "used", d->exc[i].used);
        jw_close(&w, '}');
    }
    jw_close(&w, ']');
    jw_str(&w, "license", d->license_id);
    if (flags & CHIPCHECK_JSON_BRIEF) {
        for (int want = TV_TRUE; want >= TV_UNKNOWN; want -= 2) {
            jw_open(&w, want == TV_TRUE ? "codes" : "unknown", '[');
            for (size_t i = 0; i < d->nreasons; i++)
                if (d->reasons[i].result == want)
                    jw_str(&w, NULL, d->reasons[i].code);
            jw_close(&w, ']');
        }
        jw_open(&w, "not_screened", '[');
        for (size_t i = 0; i < d->nns; i++)
            jw_str(&w, NULL, d->ns[i]->code);
        jw_close(&w, ']');
        goto tail;
    }
    jw_open(&w, "metrics", '{');
    for (size_t i = 0; i < d->nmetrics; i++) {
        const metric_entry *m = &d->metrics[i];
        jw_key_any(&w, m->name, 1); /* a name from the rule files */
        jw_open_bare(&w, '{');
        jw_value(&w, "value", m->have ? V_NUM : V_NONE, m->value, NULL, 0);
        jw_str(&w, "source", m->source);
        if (m->how)
            jw_str(&w, "how", m->how);
        jw_close(&w, '}');
    }
    jw_close(&w, '}');
    jw_open(&w, "reasons", '[');
    for (size_t i = 0; i < d->nreasons; i++)
        jw_reason(&w, &d->reasons[i]);
    jw_close(&w, ']');
    jw_open(&w, "not_screened", '[');
    for (size_t i = 0; i < d->nns; i++) {
        jw_key(&w, NULL);
        if (!w.pretty && d->ns[i]->json)
            jw_raw(&w, d->ns[i]->json, strlen(d->ns[i]->json));
        else
            jw_not_screened(&w, d->ns[i]);
    }
    jw_close(&w, ']');
tail:
    jw_open(&w, "freshness", '[');
    for (size_t i = 0; i < d->nregimes; i++) {
        const char *reviewed;
        int days = regime_days_after(d, i, &reviewed);
        if (days <= 0)
            continue;
        jw_open(&w, NULL, '{');
        jw_str(&w, "regime", d->regimes[i].rg->id);
        jw_str(&w, "reviewed", reviewed);
        jw_key(&w, "days_after");
        jw_number(&w, days);
        jw_close(&w, '}');
    }
    jw_close(&w, ']');
    jw_strings(&w, "missing", d->missing, d->nmissing);
    jw_close(&w, '}');
    jw_grow(&w, 1);
    if (w.oom) {
        free(w.buf);
        return NULL;
    }
    w.buf[w.len] = '\0';
    return w.buf;
}
