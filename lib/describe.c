/*
 * describe.c: a resolved rule-set version (after extends) as JSON, for `chipcheck rules show` and
 * `rules diff`: its chain of files, sources, country groups, derived metrics and every rule with its
 * condition written out as text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

typedef struct sbuf { char *s; size_t len, cap; int oom; } sbuf;

__attribute__((format(printf, 2, 3)))
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || b->oom)
        return;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 256) + (size_t)n;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static void cond_text(const chipcheck_rules *r, const cond *c, sbuf *b)
{
    switch (c->kind) {
    case C_ALL: case C_ANY: case C_NOT:
        sb_printf(b, "%s(", c->kind == C_ALL ? "all" : c->kind == C_ANY ? "any" : "not");
        for (size_t i = 0; i < c->nkids; i++) {
            if (i)
                sb_printf(b, ", ");
            cond_text(r, c->kids[i], b);
        }
        sb_printf(b, ")");
        break;
    case C_CMP:
        sb_printf(b, "%s %s %s", c->left_text, cmp_op_text(c->op), c->right_text);
        break;
    case C_FLAG:
        sb_printf(b, "datacenter == %s", c->flag_value ? "true" : "false");
        break;
    case C_MATCHES:
        sb_printf(b, "%s matches /%s/", field_name(c->field), c->pattern);
        break;
    case C_EQUALS:
        sb_printf(b, "%s == \"%s\"", field_name(c->field), c->pattern);
        break;
    case C_IN:
        sb_printf(b, "%s in [%s]", field_name(c->field), c->in_text);
        break;
    case C_UNRESOLVED:
        sb_printf(b, "unresolved (not researched)");
        break;
    case C_CLASSIFIED:
        sb_printf(b, "classified as ");
        for (size_t i = 0; i < c->nclasses; i++)
            sb_printf(b, "%s%s", i ? " or " : "", r->class_names[c->classes[i]]);
        break;
    }
}

static int add(cJSON *o, const char *k, const char *v)
{
    return (v ? cJSON_AddStringToObject(o, k, v) : cJSON_AddNullToObject(o, k)) != NULL;
}

static cJSON *source_json(const source *s)
{
    cJSON *o = cJSON_CreateObject();
    if (o && add(o, "id", s->id) && add(o, "kind", s->kind) && add(o, "confidence", s->confidence) &&
        add(o, "citation", s->citation) && add(o, "as_of", s->as_of) && add(o, "title", s->title))
        return o;
    cJSON_Delete(o);
    return NULL;
}

static int version_json(const chipcheck_rules *r, const rversion *v, cJSON *o)
{
    const rfile *f = v->file;
    int ok = add(o, "id", f->regime) && add(o, "version", f->version) && add(o, "effective", f->effective) &&
             add(o, "extends", f->extends) && add(o, "title", f->title) && add(o, "description", f->description) &&
             add(o, "digest", v->digest) && add(o, "reviewed", v->reviewed) && add(o, "uses", v->uses);
    /* what it does not screen */
    cJSON *ns = ok ? cJSON_AddArrayToObject(o, "not_screened") : NULL;
    for (size_t i = 0; ns && ok && i < v->nns; i++) {
        cJSON *it = cJSON_CreateObject();
        ok = it && cJSON_AddItemToArray(ns, it) && add(it, "code", v->ns[i]->code) &&
             add(it, "label", v->ns[i]->label) && add(it, "text", v->ns[i]->text);
    }
    ok = ok && ns;
    /* the chain of files, root first */
    cJSON *chain = ok ? cJSON_AddArrayToObject(o, "files") : NULL;
    const rfile *stack[64];
    size_t n = 0;
    for (const rfile *c = f; c && n < 64;) {
        stack[n++] = c;
        const rfile *p = NULL;
        for (size_t i = 0; c->extends && i < r->nfiles; i++)
            if (!strcmp(r->files[i]->regime, c->regime) && !strcmp(r->files[i]->version, c->extends))
                p = r->files[i];
        c = p;
    }
    for (size_t i = n; chain && ok && i-- > 0;)
        ok = cJSON_AddItemToArray(chain, cJSON_CreateString(stack[i]->path));
    cJSON *groups = ok && chain ? cJSON_AddObjectToObject(o, "country_groups") : NULL;
    for (size_t g = 0; groups && ok && g < r->ngroup_names; g++) {
        const group_def *gd = v->group_by_id[g];
        if (!gd)
            continue;
        cJSON *go = cJSON_AddObjectToObject(groups, r->group_names[g]);
        cJSON *m = go ? cJSON_AddArrayToObject(go, "members") : NULL;
        ok = m && add(go, "as_of", gd->as_of) && add(go, "source", gd->src->citation);
        for (int ci = 0; ok && ci < COUNTRY_SPACE; ci++)
            if (cset_has(&gd->members, ci)) {
                char code[3];
                country_code(ci, code);
                ok = cJSON_AddItemToArray(m, cJSON_CreateString(code));
            }
    }
    cJSON *al = ok && groups ? cJSON_AddObjectToObject(o, "aliases") : NULL;
    for (size_t i = 0; al && ok && i < v->naliases; i++) {
        char from[3], to[3];
        country_code(v->aliases[i]->code, from);
        country_code(v->aliases[i]->as, to);
        ok = add(al, from, to);
    }
    cJSON *mets = ok && al ? cJSON_AddArrayToObject(o, "metrics") : NULL;
    for (size_t i = 0; mets && ok && i < v->nderives; i++) {
        const derive_def *d = v->derives[i];
        cJSON *m = cJSON_CreateObject();
        ok = m && cJSON_AddItemToArray(mets, m) && add(m, "id", r->metric_names[d->slot]) &&
             add(m, "formula", d->text) &&
             add(m, "over", d->over_throughput ? "highest over dense throughput entries" : NULL) &&
             add(m, "source", d->src->citation);
    }
    cJSON *rules = ok && mets ? cJSON_AddArrayToObject(o, "rules") : NULL;
    for (size_t i = 0; rules && ok && i < v->nrules; i++) {
        const rule *ru = v->rules[i];
        cJSON *ro = cJSON_CreateObject();
        sbuf b = {0};
        cond_text(r, ru->when, &b);
        ok = ro && cJSON_AddItemToArray(rules, ro) && !b.oom && add(ro, "id", ru->id) && add(ro, "code", ru->code) &&
             add(ro, "kind", rule_kind_name(ru->kind)) && add(ro, "citation", ru->citation) &&
             add(ro, "defined_in", ru->file->path) && add(ro, "policy", policy_name(ru->pol)) &&
             add(ro, "class", ru->class_id >= 0 ? r->class_names[ru->class_id] : NULL) && add(ro, "text", ru->text) &&
             add(ro, "when", b.s) && add(ro, "needs", ru->needs);
        free(b.s);
        cJSON *src = ok ? source_json(ru->src) : NULL;
        ok = ok && src && cJSON_AddItemToObject(ro, "source", src);
        cJSON *ap = ok ? cJSON_AddArrayToObject(ro, "applies_to") : NULL;
        for (size_t a = 0; ap && ok && a < ru->napplies; a++)
            ok = cJSON_AddItemToArray(ap, cJSON_CreateString(ru->applies_to[a]));
        cJSON *cd = ok && ap ? cJSON_AddArrayToObject(ro, "conditions") : NULL;
        for (size_t a = 0; cd && ok && a < ru->nconditions; a++)
            ok = cJSON_AddItemToArray(cd, cJSON_CreateString(ru->conditions[a]));
        ok = ok && cd;
    }
    return ok && rules;
}

char *chipcheck_rules_version_json(const chipcheck_rules *r, const char *id_at_version, unsigned flags,
                                   chipcheck_error *err)
{
    err_clear(err);
    if (!r || !id_at_version) {
        err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "rules and id_at_version must not be NULL");
        return NULL;
    }
    const char *at = strchr(id_at_version, '@');
    const rversion *v = NULL;
    for (size_t i = 0; at && i < r->nversions; i++) {
        const rfile *f = r->versions[i].file;
        if (strlen(f->regime) == (size_t)(at - id_at_version) && !strncmp(f->regime, id_at_version, (size_t)(at - id_at_version)) &&
            !strcmp(f->version, at + 1))
            v = &r->versions[i];
    }
    if (!v) {
        err_set(err, CHIPCHECK_ERR_NOT_FOUND, "<rules>", 0, 0, "ruleset", "no rule set '%s' is loaded (expected ID@VERSION)",
                id_at_version);
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    char *out = NULL;
    if (o && version_json(r, v, o)) {
        char *s = (flags & CHIPCHECK_JSON_PRETTY) ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
        out = xstrdup(s);
        cJSON_free(s);
    }
    cJSON_Delete(o);
    if (!out)
        err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
    return out;
}
