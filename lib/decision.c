/*
 * decision.c: the decision object: its arena, its accessors, and its JSON form (DESIGN section 4). The JSON
 * is built in a fixed key order from the decision alone, so the same input gives the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

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

void arena_free(arena_block *a)
{
    while (a) {
        arena_block *n = a->next;
        free(a);
        a = n;
    }
}

/* ---- accessors ------------------------------------------------------------------------------------ */

void chipcheck_decision_free(chipcheck_decision *d)
{
    if (!d)
        return;
    free(d->reasons);
    arena_free(d->arena);
    free(d);
}

chipcheck_verdict chipcheck_decision_verdict(const chipcheck_decision *d) { return d ? d->verdict : CHIPCHECK_INDETERMINATE; }
const char *chipcheck_decision_id(const chipcheck_decision *d) { return d ? d->id : NULL; }
const char *chipcheck_decision_ruleset_id(const chipcheck_decision *d) { return d && d->v ? d->v->file->regime : NULL; }
const char *chipcheck_decision_ruleset_version(const chipcheck_decision *d) { return d && d->v ? d->v->file->version : NULL; }
const char *chipcheck_decision_ruleset_digest(const chipcheck_decision *d) { return d && d->v ? d->v->digest : NULL; }
const char *chipcheck_decision_review_policy(const chipcheck_decision *d) { return d ? d->policy : NULL; }
size_t chipcheck_decision_classification_count(const chipcheck_decision *d) { return d ? d->nclasses : 0; }
const char *chipcheck_decision_classification(const chipcheck_decision *d, size_t i)
{
    return d && i < d->nclasses ? d->classes[i] : NULL;
}
size_t chipcheck_decision_missing_count(const chipcheck_decision *d) { return d ? d->nmissing : 0; }
const char *chipcheck_decision_missing(const chipcheck_decision *d, size_t i)
{
    return d && i < d->nmissing ? d->missing[i] : NULL;
}
size_t chipcheck_decision_reason_count(const chipcheck_decision *d) { return d ? d->nreasons : 0; }
const chipcheck_reason *chipcheck_decision_reason(const chipcheck_decision *d, size_t i)
{
    return d && i < d->nreasons ? &d->reasons[i] : NULL;
}
const char *chipcheck_reason_rule(const chipcheck_reason *r) { return r ? r->rule : NULL; }
const char *chipcheck_reason_code(const chipcheck_reason *r) { return r ? r->code : NULL; }
const char *chipcheck_reason_kind(const chipcheck_reason *r) { return r ? r->kind : NULL; }
const char *chipcheck_reason_citation(const chipcheck_reason *r) { return r ? r->citation : NULL; }
const char *chipcheck_reason_source_kind(const chipcheck_reason *r) { return r ? r->source_kind : NULL; }
const char *chipcheck_reason_text(const chipcheck_reason *r) { return r ? r->text : NULL; }
int chipcheck_reason_result(const chipcheck_reason *r) { return r ? r->result : TV_UNKNOWN; }

/* ---- JSON ----------------------------------------------------------------------------------------- */

static int add_str(cJSON *o, const char *k, const char *v)
{
    return (v ? cJSON_AddStringToObject(o, k, v) : cJSON_AddNullToObject(o, k)) != NULL;
}

static int add_result(cJSON *o, const char *k, int r)
{
    return (r == TV_UNKNOWN ? cJSON_AddStringToObject(o, k, "unknown") : cJSON_AddBoolToObject(o, k, r == TV_TRUE)) != NULL;
}

static int add_value(cJSON *o, const char *k, vtype t, double num, const char *str, int b)
{
    switch (t) {
    case V_NUM: return cJSON_AddNumberToObject(o, k, num) != NULL;
    case V_STR: return add_str(o, k, str);
    case V_BOOL: return cJSON_AddBoolToObject(o, k, b) != NULL;
    case V_NONE: break;
    }
    return cJSON_AddNullToObject(o, k) != NULL;
}

static int add_strings(cJSON *o, const char *k, const char *const *v, size_t n)
{
    cJSON *a = cJSON_AddArrayToObject(o, k);
    for (size_t i = 0; a && i < n; i++)
        if (!cJSON_AddItemToArray(a, cJSON_CreateString(v[i])))
            return 0;
    return a != NULL;
}

static int add_mask(cJSON *o, const char *k, field_mask m)
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
    return add_strings(o, k, names, n);
}

static int reason_json(cJSON *arr, const struct chipcheck_reason *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o))
        return (cJSON_Delete(o), 0);
    int ok = add_str(o, "rule", r->rule) && add_str(o, "code", r->code) && add_str(o, "kind", r->kind) &&
             add_result(o, "result", r->result) && add_str(o, "citation", r->citation) &&
             add_str(o, "authority", r->authority) && add_str(o, "source_kind", r->source_kind) &&
             add_str(o, "confidence", r->confidence) && add_str(o, "as_of", r->as_of) && add_str(o, "text", r->text);
    if (ok && r->policy)
        ok = add_str(o, "policy", r->policy);
    if (ok && r->effective_policy)
        ok = add_str(o, "effective_policy", r->effective_policy);
    if (ok && r->changed_by)
        ok = add_str(o, "policy_changed_by", r->changed_by);
    if (ok && r->covered_by)
        ok = add_str(o, "covered_by", r->covered_by);
    if (ok && r->note)
        ok = add_str(o, "note", r->note);
    cJSON *checks = ok ? cJSON_AddArrayToObject(o, "checks") : NULL;
    for (size_t i = 0; checks && i < r->nchecks; i++) {
        const check *k = &r->checks[i];
        cJSON *c = cJSON_CreateObject();
        if (!c || !cJSON_AddItemToArray(checks, c))
            return (cJSON_Delete(c), 0);
        if (!add_str(c, "metric", k->metric) || !add_value(c, "value", k->vt, k->vnum, k->vstr, k->vbool) ||
            !add_str(c, "op", k->op) || !add_value(c, "threshold", k->tt, k->tnum, k->tstr, k->tbool) ||
            !add_result(c, "result", k->result) || !add_str(c, "source", k->source) ||
            (k->how && !add_str(c, "how", k->how)))
            return 0;
    }
    return checks && add_mask(o, "missing", r->missing);
}

char *chipcheck_decision_json(const chipcheck_decision *d, unsigned flags)
{
    if (!d)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    char *out = NULL;
    if (!o)
        return NULL;
    int ok = add_str(o, "id", d->id) && add_str(o, "verdict", chipcheck_verdict_name(d->verdict)) &&
             add_str(o, "date", d->date) && add_str(o, "destination", d->dest[0] ? d->dest : NULL) &&
             add_str(o, "end_user_hq", d->hq[0] ? d->hq : NULL) && add_str(o, "export_from", d->from[0] ? d->from : NULL);
    cJSON *chip = ok ? cJSON_AddObjectToObject(o, "chip") : NULL;
    ok = chip && add_str(chip, "name", d->chip_name) && add_str(chip, "source", d->chip_source);
    if (ok && d->catalog) {
        ok = add_strings(chip, "sources", (const char *const *)d->catalog->sources, d->catalog->nsources) &&
             add_str(chip, "source_kind", d->catalog->source_kind) && add_str(chip, "as_of", d->catalog->as_of);
    }
    cJSON *rs = ok ? cJSON_AddObjectToObject(o, "ruleset") : NULL;
    ok = rs && add_str(rs, "id", d->v ? d->v->file->regime : d->regime) &&
         add_str(rs, "version", d->v ? d->v->file->version : NULL) &&
         add_str(rs, "effective", d->v ? d->v->file->effective : NULL) &&
         add_str(rs, "title", d->v ? d->v->file->title : NULL) && add_str(rs, "digest", d->v ? d->v->digest : NULL);
    ok = ok && add_strings(o, "classification", d->classes, d->nclasses) && add_str(o, "review_policy", d->policy) &&
         add_strings(o, "conditions", d->conditions, d->nconditions);
    cJSON *ex = ok ? cJSON_AddArrayToObject(o, "exceptions") : NULL;
    for (size_t i = 0; ex && ok && i < d->nexc; i++) {
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(ex, e) && add_str(e, "id", d->exc[i].id) &&
             add_str(e, "citation", d->exc[i].citation) && add_str(e, "needs", d->exc[i].needs) &&
             cJSON_AddBoolToObject(e, "used", d->exc[i].used);
    }
    ok = ok && ex && add_str(o, "license", d->license_id);
    cJSON *mets = ok ? cJSON_AddObjectToObject(o, "metrics") : NULL;
    for (size_t i = 0; mets && ok && i < d->nmetrics; i++) {
        const metric_entry *m = &d->metrics[i];
        cJSON *e = cJSON_AddObjectToObject(mets, m->name);
        ok = e && add_value(e, "value", m->have ? V_NUM : V_NONE, m->value, NULL, 0) && add_str(e, "source", m->source) &&
             (!m->how || add_str(e, "how", m->how));
    }
    cJSON *rea = ok && mets ? cJSON_AddArrayToObject(o, "reasons") : NULL;
    for (size_t i = 0; rea && ok && i < d->nreasons; i++)
        ok = reason_json(rea, &d->reasons[i]);
    ok = ok && rea && add_strings(o, "missing", d->missing, d->nmissing);
    if (ok)
        out = (flags & CHIPCHECK_JSON_PRETTY) ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (out) {
        /* hand back memory the caller frees with chipcheck_free() (plain free), whatever cJSON's hooks are */
        char *copy = xstrdup(out);
        cJSON_free(out);
        out = copy;
    }
    return out;
}
