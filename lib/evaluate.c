/*
 * evaluate.c: one shipment against one rule-set version. Picks the version in force on the date, derives
 * metrics, evaluates every rule in three-valued logic while recording each check, applies allowances,
 * licenses held and license exceptions, and decides the verdict: license_required if a requirement holds
 * and nothing covers it, else indeterminate if one is unknown, else allowed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

typedef struct ectx {
    const chipcheck_rules *R;
    const rversion *v;
    const ship *s;
    chipcheck_decision *d;    /* NULL: verdict only; nothing is recorded and nothing allocated */
    int checks;               /* with d: record every check and metric too (the full trace); 0: reasons only */
    double val[MAX_SLOTS];
    unsigned char have[MAX_SLOTS];
    field_mask miss[MAX_SLOTS];
    const char *src[MAX_SLOTS];
    const char *how[MAX_SLOTS];
    int country[3];           /* destination, end_user_hq, export_from after aliases */
    tv cls[MAX_CLASSES];
    field_mask cls_miss[MAX_CLASSES];
    size_t cur;               /* reason receiving checks */
    pcre2_match_data *md;
    memo_entry *memo;         /* an evaluator's pattern results, or NULL */
    int negations;            /* not() nesting of the condition being evaluated */
    int oom;
    struct rstate *st;        /* per-rule scratch of the version being decided */
    int licensed;             /* a license held covers the shipment (every regime) */
    int exception_used;       /* some regime's exception was usable and claimed */
    /* the version just decided: */
    chipcheck_verdict verdict;
    policy pol;               /* the most restrictive policy required */
    policy unknown_pol;       /* the most restrictive policy an unknown requirement would carry */
    field_mask req_miss;      /* fields whose absence left a requirement unknown */
} ectx;

/* ---- trace building ------------------------------------------------------------------------------- */

static struct chipcheck_reason *new_reason(ectx *c, const rule *r, const char *kind)
{
    chipcheck_decision *d = c->d;
    if (!d)
        return NULL;
    if (d->nreasons == d->capreasons) {
        size_t cap = d->capreasons ? d->capreasons * 2 : 32;
        struct chipcheck_reason *nr = realloc(d->reasons, cap * sizeof *nr);
        if (!nr) {
            c->oom = 1;
            return NULL;
        }
        d->reasons = nr;
        d->capreasons = cap;
    }
    struct chipcheck_reason *re = &d->reasons[d->nreasons++];
    *re = (struct chipcheck_reason){0};
    re->kind = kind;
    re->result = TV_TRUE;
    if (r) {
        re->from = r;
        re->rule = r->id;
        re->code = r->code;
        re->kind = rule_kind_name(r->kind);
        re->citation = r->citation;
        re->authority = r->src->citation;
        re->source_kind = r->src->kind;
        re->confidence = r->src->confidence;
        re->as_of = r->src->as_of;
        re->text = r->text;
        re->regime = r->file->regime;
        if (r->kind != R_CLASSIFICATION && r->kind != R_EXCEPTION)
            re->policy = policy_name(r->pol);
    }
    c->cur = d->nreasons - 1;
    return re;
}

static check *add_check_slow(ectx *c)
{
    if (!c->d || c->cur >= c->d->nreasons)
        return NULL;
    struct chipcheck_reason *re = &c->d->reasons[c->cur];
    if (re->nchecks == re->capchecks) {
        size_t cap = re->capchecks ? re->capchecks * 2 : 8;
        check *nc = arena_alloc(&c->d->arena, cap * sizeof *nc);
        if (!nc) {
            c->oom = 1;
            return NULL;
        }
        if (re->nchecks)
            memcpy(nc, re->checks, re->nchecks * sizeof *nc);
        re->checks = nc;
        re->capchecks = cap;
    }
    check *k = &re->checks[re->nchecks++];
    memset(k, 0, sizeof *k);
    k->negated = c->negations & 1;
    return k;
}

/* A new check of the current reason, or NULL when checks are not recorded (the walk then costs no call). */
static inline check *add_check(ectx *c) { return c->checks ? add_check_slow(c) : NULL; }

/* ---- conditions ----------------------------------------------------------------------------------- */

/* A ship's string field (name, vendor, part_number, kind, eccn, destination_region), or NULL. Shared by the
 * compiled path. */
const char *ship_string_field(const ship *s, field_id f)
{
    switch (f) {
    case F_NAME: return s->name;
    case F_VENDOR: return s->vendor;
    case F_PART_NUMBER: return s->part_number;
    case F_KIND: return s->kind;
    case F_ECCN: return s->eccn;
    case F_DESTINATION_REGION: return s->region;
    default: return NULL;
    }
}

/* Where a string field's value came from, for the trace. */
static const char *string_source(const ship *s, field_id f, const char *v)
{
    const cat_chip *cat = s->catalog;
    if (!v)
        return "missing";
    if (cat && (v == cat->name || v == cat->vendor || v == cat->part_number || v == cat->kind))
        return "catalog";
    if (f == F_KIND && v != (cat ? cat->kind : NULL) && !strcmp(v, "accelerator") && s->kind_defaulted)
        return "default";
    return "given";
}

static int country_of(const ectx *c, field_id f)
{
    return f == F_DESTINATION ? c->country[0] : f == F_END_USER_HQ ? c->country[1] : c->country[2];
}

static tv eval_cond(ectx *c, const cond *k, field_mask *miss);

/* Run a pattern, through an evaluator's memo when there is one (memo may be NULL): >= 0 match,
 * PCRE2_ERROR_NOMATCH, or another PCRE2 error (limits, bad UTF-8), which the caller treats as unknown and
 * never memoizes. md may be NULL (match data is then made for the call). Shared by the compiled path. */
int pattern_match(const chipcheck_rules *R, memo_entry *memo, pcre2_match_data *md, const cond *k, const char *v)
{
    memo_entry *e = NULL;
    size_t len = strlen(v);
    uint64_t bit = k->pattern_id < 64 ? (uint64_t)1 << k->pattern_id : 0;
    if (memo && bit && len < sizeof e->text) {
        uint32_t h = 2166136261u ^ (uint32_t)k->field;
        for (size_t i = 0; i < len; i++)
            h = (h ^ (unsigned char)v[i]) * 16777619u;
        e = &memo[h % MEMO_SLOTS];
        if (e->field != (int)k->field || strcmp(e->text, v) != 0) {
            e->field = (int)k->field;
            memcpy(e->text, v, len + 1);
            e->known = e->value = 0;
        } else if (e->known & bit) {
            return (e->value & bit) ? 0 : PCRE2_ERROR_NOMATCH;
        }
    }
    pcre2_match_data *own = md ? md : pcre2_match_data_create(1, NULL);
    int rc = own ? pcre2_match(k->re, (PCRE2_SPTR)v, len, 0, 0, own, R->mctx) : PCRE2_ERROR_NOMEMORY;
    if (own != md)
        pcre2_match_data_free(own);
    if (e && (rc >= 0 || rc == PCRE2_ERROR_NOMATCH)) {
        e->known |= bit;
        if (rc >= 0)
            e->value |= bit;
    }
    return rc;
}

static tv combine(ectx *c, const cond *k, field_mask *miss)
{
    int any_unknown = 0;
    field_mask um = 0;
    tv decided = k->kind == C_ALL ? TV_FALSE : TV_TRUE;
    int hit = 0;
    for (size_t i = 0; i < k->nkids; i++) {
        field_mask m = 0;
        tv t = eval_cond(c, k->kids[i], &m); /* with checks recorded, evaluate all: every one is shown */
        if (t == TV_UNKNOWN) {
            any_unknown = 1;
            um |= m;
        } else if (t == decided) {
            hit = 1;
            if (!c->checks)
                break; /* the result is decided and no missing mask is needed */
        }
    }
    if (hit)
        return decided;
    if (any_unknown) {
        *miss |= um;
        return TV_UNKNOWN;
    }
    return k->kind == C_ALL ? TV_TRUE : TV_FALSE;
}

static tv eval_cmp(ectx *c, const cond *k, field_mask *miss)
{
    double l = 0, r = 0;
    int lk = expr_eval(k->left, c->val, c->have, NULL, &l);
    int rk = expr_eval(k->right, c->val, c->have, NULL, &r);
    tv res = TV_UNKNOWN;
    if (lk && rk) {
        switch (k->op) {
        case OP_GE: res = l >= r ? TV_TRUE : TV_FALSE; break;
        case OP_GT: res = l > r ? TV_TRUE : TV_FALSE; break;
        case OP_LE: res = l <= r ? TV_TRUE : TV_FALSE; break;
        case OP_LT: res = l < r ? TV_TRUE : TV_FALSE; break;
        case OP_EQ: res = l == r ? TV_TRUE : TV_FALSE; break;
        case OP_NE: res = l != r ? TV_TRUE : TV_FALSE; break;
        }
    } else {
        *miss |= expr_missing(k->left, c->have, c->miss) | expr_missing(k->right, c->have, c->miss);
    }
    check *ch = add_check(c);
    if (ch) {
        int slot = expr_single_metric(k->left);
        ch->metric = slot >= 0 ? c->R->metric_names[slot] : k->left_text;
        ch->op = cmp_op_text(k->op);
        ch->vt = lk ? V_NUM : V_NONE;
        ch->vnum = l;
        ch->tt = rk ? V_NUM : V_NONE;
        ch->tnum = r;
        ch->result = res;
        if (slot >= 0) {
            ch->source = c->have[slot] ? c->src[slot] : "missing";
            ch->how = c->how[slot];
        } else {
            ch->source = lk ? "derived" : "missing";
            ch->how = k->left_text;
        }
    }
    return res;
}

static tv eval_cond(ectx *c, const cond *k, field_mask *miss)
{
    const ship *s = c->s;
    check *ch;
    tv res = TV_UNKNOWN;
    switch (k->kind) {
    case C_ALL:
    case C_ANY:
        return combine(c, k, miss);
    case C_NOT: {
        field_mask m = 0;
        c->negations++;
        tv t = eval_cond(c, k->kids[0], &m);
        c->negations--;
        if (t == TV_UNKNOWN)
            *miss |= m;
        return t == TV_UNKNOWN ? TV_UNKNOWN : t == TV_TRUE ? TV_FALSE : TV_TRUE;
    }
    case C_CMP:
        return eval_cmp(c, k, miss);
    case C_FLAG:
        if (s->datacenter >= 0)
            res = (s->datacenter == k->flag_value) ? TV_TRUE : TV_FALSE;
        else
            *miss |= (field_mask)1 << F_DATACENTER;
        if ((ch = add_check(c)) != NULL) {
            ch->metric = "datacenter";
            ch->vt = s->datacenter >= 0 ? V_BOOL : V_NONE;
            ch->vbool = s->datacenter == 1;
            ch->op = "==";
            ch->tt = V_BOOL;
            ch->tbool = k->flag_value;
            ch->result = res;
            ch->source = s->datacenter < 0 ? "missing" : s->from_catalog[F_NUMBER_COUNT] ? "catalog" : "given";
        }
        return res;
    case C_MATCHES:
    case C_EQUALS: {
        const char *v = ship_string_field(s, k->field);
        const char *note = NULL;
        if (!v) {
            *miss |= (field_mask)1 << k->field;
        } else if (k->kind == C_EQUALS) {
            res = strcmp(v, k->pattern) == 0 ? TV_TRUE : TV_FALSE;
        } else {
            int rc = pattern_match(c->R, c->memo, c->md, k, v);
            if (rc >= 0)
                res = TV_TRUE;
            else if (rc == PCRE2_ERROR_NOMATCH)
                res = TV_FALSE;
            else {
                /* match limit, bad UTF-8 or memory: unknown, never a silent "no match" */
                *miss |= (field_mask)1 << k->field;
                note = rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT
                     ? "pattern match limit reached" : "the value could not be matched (invalid UTF-8?)";
            }
        }
        if ((ch = add_check(c)) != NULL) {
            ch->metric = field_name(k->field);
            ch->vt = v ? V_STR : V_NONE;
            ch->vstr = v;
            ch->op = k->kind == C_MATCHES ? "matches" : "==";
            ch->tt = V_STR;
            ch->tstr = k->pattern;
            ch->result = res;
            ch->source = string_source(s, k->field, v);
            ch->how = note;
        }
        return res;
    }
    case C_IN: {
        int ci = country_of(c, k->field);
        if (ci < 0) {
            *miss |= (field_mask)1 << k->field;
        } else {
            res = cset_has(&k->countries, ci) ? TV_TRUE : TV_FALSE;
            for (size_t i = 0; res == TV_FALSE && i < k->ngroups; i++)
                if (cset_has(&c->v->group_by_id[k->groups[i]]->members, ci))
                    res = TV_TRUE;
        }
        if ((ch = add_check(c)) != NULL) {
            char code[3];
            ch->metric = field_name(k->field);
            if (ci >= 0) {
                country_code(ci, code);
                ch->vt = V_STR;
                ch->vstr = arena_strdup(&c->d->arena, code);
            }
            ch->op = "in";
            ch->tt = V_STR;
            ch->tstr = k->in_text;
            ch->result = res;
            ch->source = ci < 0 ? "missing" : "given";
        }
        return res;
    }
    case C_UNRESOLVED:
        if ((ch = add_check(c)) != NULL) {
            ch->metric = "coverage";
            ch->op = "researched";
            ch->result = TV_UNKNOWN;
            ch->source = "rules";
            ch->how = "the rule data marks this point as not researched: the rule's text says what is unknown";
        }
        return TV_UNKNOWN;
    case C_CLASSIFIED: {
        int unknown = 0;
        field_mask um = 0;
        const char *held = NULL;
        res = TV_FALSE;
        for (size_t i = 0; i < k->nclasses; i++) {
            tv t = c->cls[k->classes[i]];
            if (t == TV_TRUE && !held) {
                res = TV_TRUE;
                held = c->R->class_names[k->classes[i]];
            } else if (t == TV_UNKNOWN) {
                unknown = 1;
                um |= c->cls_miss[k->classes[i]];
            }
        }
        if (res == TV_FALSE && unknown) {
            res = TV_UNKNOWN;
            *miss |= um;
        }
        if ((ch = add_check(c)) != NULL) {
            size_t len = 1;
            for (size_t i = 0; i < k->nclasses; i++)
                len += strlen(c->R->class_names[k->classes[i]]) + 1;
            char *t = arena_alloc(&c->d->arena, len);
            if (t) {
                t[0] = '\0';
                for (size_t i = 0; i < k->nclasses; i++) {
                    if (i)
                        strcat(t, " ");
                    strcat(t, c->R->class_names[k->classes[i]]);
                }
            }
            ch->metric = "classification";
            ch->vt = res == TV_UNKNOWN ? V_NONE : V_STR;
            ch->vstr = held ? held : "none";
            ch->op = "in";
            ch->tt = V_STR;
            ch->tstr = t;
            ch->result = res;
            ch->source = res == TV_UNKNOWN ? "missing" : "derived";
        }
        return res;
    }
    }
    return TV_UNKNOWN;
}

static tv eval_rule(ectx *c, const rule *r, const char *kind, field_mask *miss)
{
    struct chipcheck_reason *re = new_reason(c, r, kind);
    field_mask m = 0;
    tv t = eval_cond(c, r->when, &m);
    if (re) {
        re = &c->d->reasons[c->cur];
        re->result = t;
        re->missing = t == TV_UNKNOWN ? m : 0;
    }
    if (miss)
        *miss = t == TV_UNKNOWN ? m : 0;
    return t;
}

/* ---- metrics -------------------------------------------------------------------------------------- */

static void fmt_num(char *buf, size_t n, double v)
{
    (void)n;
    fmt_g15(buf, v); /* "%.15g" */
}

static void derive_metrics(ectx *c)
{
    const ship *s = c->s;
    for (int i = 0; i < F_NUMBER_COUNT; i++) {
        c->miss[i] = (field_mask)1 << i;
        if (s->have[i]) {
            c->val[i] = s->num[i];
            c->have[i] = 1;
            c->src[i] = s->from_catalog[i] ? "catalog" : "given";
        }
    }
    for (size_t di = 0; di < c->v->nderives; di++) {
        const derive_def *dd = c->v->derives[di];
        int slot = dd->slot;
        if (c->have[slot])
            continue; /* a given value wins over a derived one */
        if (!dd->over_throughput) {
            double out;
            if (expr_eval(dd->e, c->val, c->have, NULL, &out)) {
                c->val[slot] = out;
                c->have[slot] = 1;
                c->src[slot] = "derived";
                char vb[40];
                if (c->checks) {
                    fmt_num(vb, sizeof vb, out);
                    c->how[slot] = arena_printf(&c->d->arena, "%s = %s = %s", c->R->metric_names[slot], dd->text, vb);
                }
            } else {
                c->miss[slot] = expr_missing(dd->e, c->have, c->miss);
                if (!c->miss[slot])
                    c->miss[slot] = (field_mask)1 << F_DIE_AREA; /* e.g. division by zero */
            }
            continue;
        }
        /* the highest value of the formula over dense throughput figures */
        int found = 0;
        double best = 0;
        size_t besti = 0;
        for (size_t i = 0; i < s->ntp; i++) {
            /* A sparse figure does not count as such; its dense rate is half (the datasheets' "1/2 lower
             * without sparsity"). Skipping it would understate TPP when a precision has only a sparse figure. */
            double tops = s->tp[i].sparse ? s->tp[i].tops / 2 : s->tp[i].tops;
            double vars[2] = {tops, (double)throughput_bits(s->tp[i].precision)}, out;
            if (expr_eval(dd->e, c->val, c->have, vars, &out) && (!found || out > best)) {
                best = out;
                besti = i;
                found = 1;
            }
        }
        if (found) {
            c->val[slot] = best;
            c->have[slot] = 1;
            c->src[slot] = "derived";
            char vb[40], tb[40];
            if (c->checks) {
                fmt_num(vb, sizeof vb, best);
                fmt_num(tb, sizeof tb, s->tp[besti].sparse ? s->tp[besti].tops / 2 : s->tp[besti].tops);
                c->how[slot] = arena_printf(&c->d->arena, "%s = highest over dense throughput of %s: %s %s%s tops x %d bits = %s",
                                        c->R->metric_names[slot], dd->text, s->tp[besti].precision, tb,
                                        s->tp[besti].sparse ? " (half the sparse figure)" : "",
                                        throughput_bits(s->tp[besti].precision), vb);
            }
        } else {
            c->miss[slot] = (field_mask)1 << slot; /* no dense throughput and no value given */
        }
    }
    for (int i = 0; s->force && i < MAX_SLOTS; i++) /* what-if values (analysis.c) win over everything */
        if (s->force->set[i]) {
            c->val[i] = s->force->val[i];
            c->have[i] = 1;
            c->src[i] = "what-if";
            c->how[i] = NULL;
        }
}

/* ---- licenses ------------------------------------------------------------------------------------- */

static int product_matches(const ship *s, const char *product)
{
    if (s->name && chip_names_match(product, s->name)) /* whole names, however long */
        return 1;
    for (size_t i = 0; s->catalog && i < s->catalog->nkeys; i++) /* its name and aliases, normalised at load */
        if (chip_names_match(s->catalog->keys[i], product))
            return 1;
    return 0;
}

/* Does license l cover the shipment? ok[0] destination, ok[1] date, ok[2] products. */
int license_match(const ship *s, const chipcheck_license *l, int ok[3])
{
    int dest = l->destination ? country_index(l->destination) : -1;
    if (l->destination && dest < 0 && strlen(l->destination) == 2) {
        char up[3] = {(char)(l->destination[0] & ~0x20), (char)(l->destination[1] & ~0x20), 0};
        dest = country_index(up);
    }
    int from = l->valid_from ? date_parse(l->valid_from) : 0, to = l->valid_to ? date_parse(l->valid_to) : 0;
    ok[0] = dest >= 0 && dest == s->dest;
    ok[1] = from && to && from <= s->date && s->date <= to;
    ok[2] = 0;
    for (size_t i = 0; i < l->n_products; i++)
        ok[2] |= product_matches(s, l->products[i]);
    return ok[0] && ok[1] && ok[2];
}

/* The trace of one license held: a reason with its three checks. */
static void record_license(ectx *c, const chipcheck_license *l)
{
    const ship *s = c->s;
    int ok[3];
    int covers = license_match(s, l, ok);
    struct chipcheck_reason *re = new_reason(c, NULL, "license");
    if (!re)
        return;
    re->rule = l->id ? arena_strdup(&c->d->arena, l->id) : "license";
    re->code = "LICENSE_HELD";
    re->citation = "15 CFR Part 750";
    re->source_kind = "license";
    re->text = "A license held covers the shipment when its destination, validity dates and products match.";
    check *ch;
    char code[3];
    if ((ch = add_check(c)) != NULL) {
        ch->metric = "destination";
        country_code(s->dest, code);
        ch->vt = V_STR;
        ch->vstr = arena_strdup(&c->d->arena, code);
        ch->op = "==";
        ch->tt = l->destination ? V_STR : V_NONE;
        ch->tstr = l->destination ? arena_strdup(&c->d->arena, l->destination) : NULL;
        ch->result = ok[0];
        ch->source = "given";
    }
    if ((ch = add_check(c)) != NULL) {
        ch->metric = "date";
        ch->vt = V_STR;
        ch->vstr = c->d->date;
        ch->op = "within";
        ch->tt = V_STR;
        ch->tstr = arena_printf(&c->d->arena, "%s..%s", l->valid_from ? l->valid_from : "?", l->valid_to ? l->valid_to : "?");
        ch->result = ok[1];
        ch->source = "given";
    }
    if ((ch = add_check(c)) != NULL) {
        ch->metric = "name";
        ch->vt = s->name ? V_STR : V_NONE;
        ch->vstr = s->name;
        ch->op = "in";
        ch->tt = V_STR;
        size_t len = 1;
        for (size_t i = 0; i < l->n_products; i++)
            len += strlen(l->products[i]) + 2;
        char *t = arena_alloc(&c->d->arena, len);
        for (size_t i = 0, at = 0; t && i < l->n_products; i++) /* appended in place: linear in the list */
            at += (size_t)sprintf(t + at, "%s%s", i ? ", " : "", l->products[i]);
        if (t && !l->n_products)
            t[0] = '\0';
        ch->tstr = t;
        ch->result = ok[2];
        ch->source = "given";
    }
    re = &c->d->reasons[c->cur];
    re->result = covers ? TV_TRUE : TV_FALSE;
    if (!l->id || !l->destination || !l->valid_from || !l->valid_to || !l->n_products)
        re->note = "a license without id, destination, both validity dates and products covers nothing";
}

/* ---- one regime ------------------------------------------------------------------------------------ */

/* Append to a decision's string list (trace only). */
static int push(chipcheck_decision *d, const char ***list, size_t *n, const char *v)
{
    const char **nl = arena_alloc(&d->arena, (*n + 1) * sizeof *nl);
    if (!nl)
        return -1;
    if (*n)
        memcpy(nl, *list, *n * sizeof *nl);
    nl[(*n)++] = v;
    *list = nl;
    return 0;
}

/* Per-rule state while one version is decided. */
typedef struct rstate {
    tv res[MAX_RULES];
    size_t ri[MAX_RULES];          /* reason index of each rule (trace only) */
    policy eff[MAX_RULES];         /* a requirement's policy after the allowances that hold */
    int changed[MAX_RULES];        /* 1 + the allowance that set eff, or 0 */
    int covered[MAX_RULES];        /* 1 + the exception that covers it, or 0 */
    field_mask rmiss[MAX_RULES];
} rstate;

/* Classifications, in order; a class holds if any rule producing it holds. Classes persist across regimes,
 * so that a regime may read those of one it uses. */
static void eval_classifications(ectx *c, rstate *st)
{
    const rversion *v = c->v;
    for (size_t i = 0; i < v->nrules; i++) {
        const rule *r = v->rules[i];
        if (r->kind != R_CLASSIFICATION)
            continue;
        field_mask m;
        st->res[i] = eval_rule(c, r, NULL, &m);
        st->ri[i] = c->cur;
        tv *cv = &c->cls[r->class_id];
        if (st->res[i] == TV_TRUE)
            *cv = TV_TRUE;
        else if (st->res[i] == TV_UNKNOWN && *cv != TV_TRUE) {
            *cv = TV_UNKNOWN;
            c->cls_miss[r->class_id] |= m;
        }
    }
}

/* Requirements and determinations, then the allowances: per requirement the most favourable policy granted
 * wins. Allowances also lower the policy an unknown requirement would carry, for "policy may be stricter". */
static void eval_requirements(ectx *c, rstate *st)
{
    const rversion *v = c->v;
    for (size_t i = 0; i < v->nrules; i++) {
        const rule *r = v->rules[i];
        if (r->kind != R_REQUIREMENT && r->kind != R_DETERMINATION)
            continue;
        st->res[i] = eval_rule(c, r, NULL, &st->rmiss[i]);
        st->ri[i] = c->cur;
        st->eff[i] = r->pol;
    }
    for (size_t i = 0; i < v->nrules; i++) {
        const rule *r = v->rules[i];
        if (r->kind != R_ALLOWANCE)
            continue;
        st->res[i] = eval_rule(c, r, NULL, NULL);
        st->ri[i] = c->cur;
        if (st->res[i] != TV_TRUE)
            continue;
        int relevant = 0;
        for (size_t a = 0; a < r->napplies; a++) {
            int j = v->applies_pool[v->applies_idx[i] + (int)a];
            relevant |= st->res[j] != TV_FALSE;
            if (st->res[j] != TV_FALSE && r->pol < st->eff[j]) {
                st->eff[j] = r->pol;
                st->changed[j] = (int)i + 1;
            }
        }
        if (c->d && !relevant) {
            /* its condition holds, but no requirement whose policy it sets applies to this shipment */
            c->d->reasons[st->ri[i]].result = TV_FALSE;
            c->d->reasons[st->ri[i]].note = "its condition holds, but none of the requirements it applies to holds "
                                            "for this shipment";
        }
    }
}

/* Record an exception the shipment is eligible for in the decision's list. */
static void list_exception(ectx *c, const rule *r, int usable)
{
    chipcheck_decision *d = c->d;
    exc_entry *ne = arena_alloc(&d->arena, (d->nexc + 1) * sizeof *ne);
    if (!ne) {
        c->oom = 1;
        return;
    }
    if (d->nexc)
        memcpy(ne, d->exc, d->nexc * sizeof *ne);
    ne[d->nexc++] = (exc_entry){r->code, r->citation, r->needs, usable};
    d->exc = ne;
}

/* License exceptions: listed when the item qualifies and a requirement they cover applies; they cover those
 * requirements only when the shipment says it uses them (with the authorization where one is needed). */
static void eval_exceptions(ectx *c, rstate *st)
{
    const rversion *v = c->v;
    const ship *s = c->s;
    chipcheck_decision *d = c->d;
    for (size_t i = 0; i < v->nrules; i++) {
        const rule *r = v->rules[i];
        if (r->kind != R_EXCEPTION)
            continue;
        st->res[i] = eval_rule(c, r, NULL, NULL);
        st->ri[i] = c->cur;
        int relevant = 0;
        for (size_t a = 0; a < r->napplies; a++)
            relevant |= st->res[v->applies_pool[v->applies_idx[i] + (int)a]] == TV_TRUE;
        if (d && st->res[i] == TV_TRUE && !relevant) {
            d->reasons[st->ri[i]].result = TV_FALSE;
            d->reasons[st->ri[i]].note = "the item qualifies, but none of the requirements this exception covers "
                                         "applies to this shipment";
        }
        if (st->res[i] != TV_TRUE || !relevant || c->licensed)
            continue;
        int claimed = s->exception && strcasecmp(s->exception, r->code) == 0;
        int usable = claimed && (!r->auth_required || (s->exception_auth && s->exception_auth[0]));
        c->exception_used |= usable;
        if (d) {
            list_exception(c, r, usable);
            if (claimed && !usable)
                d->reasons[st->ri[i]].note = "the shipment names this exception but gives no authorization number";
        }
        if (!usable)
            continue;
        for (size_t a = 0; a < r->napplies; a++) {
            int j = v->applies_pool[v->applies_idx[i] + (int)a];
            if (st->res[j] == TV_TRUE && !st->covered[j]) {
                st->covered[j] = (int)i + 1;
                if (d)
                    d->reasons[st->ri[j]].covered_by = r->code;
            }
        }
    }
}

/* This version's verdict, policy and missing data into c; the allowance conditions into the decision. */
static void regime_verdict(ectx *c, const rstate *st)
{
    const rversion *v = c->v;
    chipcheck_decision *d = c->d;
    int required = 0, unknown = 0;
    for (size_t i = 0; i < v->nrules; i++) {
        const rule *r = v->rules[i];
        if (r->kind != R_REQUIREMENT && r->kind != R_DETERMINATION)
            continue;
        struct chipcheck_reason *re = d ? &d->reasons[st->ri[i]] : NULL;
        if (st->res[i] == TV_TRUE) {
            if (re) {
                re->effective_policy = policy_name(st->eff[i]);
                if (st->changed[i])
                    re->changed_by = v->rules[st->changed[i] - 1]->id;
                if (c->licensed)
                    re->covered_by = d->license_id;
            }
            if (c->licensed || st->covered[i])
                continue;
            required = 1;
            if (st->eff[i] > c->pol)
                c->pol = st->eff[i];
        } else if (st->res[i] == TV_UNKNOWN && !c->licensed) {
            unknown = 1;
            c->req_miss |= st->rmiss[i];
            if (st->eff[i] > c->unknown_pol)
                c->unknown_pol = st->eff[i];
        }
    }
    c->verdict = required ? CHIPCHECK_LICENSE_REQUIRED : unknown ? CHIPCHECK_INDETERMINATE : CHIPCHECK_ALLOWED;
    if (!required)
        c->pol = P_NONE;
    if (!d || !required)
        return;
    /* conditions of the allowances that set the policy of an uncovered requirement, in rule order */
    for (size_t i = 0; i < v->nrules; i++) {
        const rule *al = v->rules[i];
        if (al->kind != R_ALLOWANCE)
            continue;
        int used = 0;
        for (size_t j = 0; j < v->nrules; j++)
            used |= st->res[j] == TV_TRUE && !st->covered[j] && st->changed[j] == (int)i + 1;
        for (size_t k = 0; used && k < al->nconditions; k++)
            if (push(d, &d->conditions, &d->nconditions, al->conditions[k]) != 0)
                c->oom = 1;
    }
}

static void decide(ectx *c)
{
    struct rstate *st = c->st;
    for (size_t i = 0; i < c->v->nrules; i++) {
        st->res[i] = TV_FALSE;
        st->ri[i] = 0;
        st->eff[i] = P_NONE;
        st->changed[i] = st->covered[i] = 0;
        st->rmiss[i] = 0;
    }
    c->pol = c->unknown_pol = P_NONE;
    c->req_miss = 0;
    eval_classifications(c, st);
    eval_requirements(c, st);
    eval_exceptions(c, st);
    regime_verdict(c, st);
}

static void record_metrics(ectx *c)
{
    chipcheck_decision *d = c->d;
    size_t n = c->R->nmetrics;
    if (!d->metrics) /* once for every regime: each metric is recorded once */
        d->metrics = arena_alloc(&d->arena, (n + 1) * sizeof *d->metrics);
    if (!d->metrics) {
        c->oom = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if ((int)i >= F_NUMBER_COUNT && !c->v->derive_by_slot[i])
            continue;
        /* a metric derived by more than one regime is recorded once, as the first derived it */
        size_t k = 0;
        while (k < d->nmetrics && strcmp(d->metrics[k].name, c->R->metric_names[i]) != 0)
            k++;
        if (k < d->nmetrics)
            continue;
        metric_entry *m = &d->metrics[d->nmetrics++];
        m->name = c->R->metric_names[i];
        m->have = c->have[i];
        m->value = c->val[i];
        m->source = c->have[i] ? c->src[i] : "missing";
        m->how = c->how[i];
    }
}

/* The decision outlives the caller's shipment: copy the strings the trace may quote into its arena. */
static int own_strings(chipcheck_decision *d, ship *s)
{
    const char **f[] = {&s->name, &s->vendor, &s->part_number, &s->kind, &s->eccn, &s->region};
    const cat_chip *cat = s->catalog;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        const char *v = *f[i];
        if (!v || (cat && (v == cat->name || v == cat->vendor || v == cat->part_number || v == cat->kind)))
            continue; /* the catalog outlives the decision */
        if (f[i] == &s->kind && !strcmp(v, "accelerator")) {
            *f[i] = "accelerator"; /* the literal, never the caller's buffer */
            continue;
        }
        if (!(*f[i] = arena_strdup(&d->arena, v)))
            return -1;
    }
    return 0;
}

/* Country aliases of version v (Hong Kong is China for every test), each stated in the trace. */
static int apply_aliases(ectx *c, const rversion *v)
{
    chipcheck_decision *d = c->d;
    const ship *s = c->s;
    c->country[0] = s->dest;
    c->country[1] = s->hq;
    c->country[2] = s->from;
    for (int f = 0; f < 3; f++)
        for (size_t a = 0; a < v->naliases; a++)
            if (c->country[f] == v->aliases[a]->code) {
                c->country[f] = v->aliases[a]->as;
                struct chipcheck_reason *re = new_reason(c, NULL, "ruleset");
                if (!d)
                    continue;
                if (!re)
                    return -1;
                char from[3], to[3];
                country_code(v->aliases[a]->code, from);
                country_code(v->aliases[a]->as, to);
                re->rule = arena_cat(&d->arena, "alias:", from, (char *)NULL);
                re->code = "COUNTRY_ALIAS";
                re->regime = v->file->regime;
                re->citation = v->aliases[a]->src->citation;
                re->authority = v->aliases[a]->src->citation;
                re->source_kind = v->aliases[a]->src->kind;
                re->confidence = v->aliases[a]->src->confidence;
                re->as_of = v->aliases[a]->src->as_of;
                re->text = arena_cat(&d->arena, from, " (", field_name((field_id)(F_DESTINATION + f)),
                                     ") is treated as ", to, " for every country test.", (char *)NULL);
            }
    return 0;
}

/* Evaluate s under version v into c (c->d set for a full trace, NULL for the verdict alone). 0, or -1 out of
 * memory. */
static int run(ectx *c, const rversion *v)
{
    c->v = v;
    for (int i = 0; i < MAX_SLOTS; i++) {
        c->have[i] = 0;
        c->src[i] = c->how[i] = NULL;
        c->miss[i] = 0;
    }
    if (apply_aliases(c, v) != 0)
        return -1;
    derive_metrics(c);
    decide(c);
    if (c->checks)
        record_metrics(c);
    return c->oom ? -1 : 0;
}

/* ---- every regime ---------------------------------------------------------------------------------- */

/* The options' ruleset: "ID@VERSION" pins that version of its regime (*pin_regime, *pin); "ID" only has to
 * name a loaded regime. Every regime is evaluated either way. */
int resolve_pin(const chipcheck_rules *R, const chipcheck_options *o, int *pin_regime, const rversion **pin,
                chipcheck_error *err)
{
    const char *want = o ? o->ruleset : NULL;
    *pin_regime = -1;
    *pin = NULL;
    if (!want || !*want)
        return 0;
    const char *at = strchr(want, '@');
    size_t rl = at ? (size_t)(at - want) : strlen(want);
    for (size_t g = 0; g < R->nregimes; g++) {
        const regime_def *rg = &R->regimes[g];
        if (strlen(rg->id) != rl || strncmp(rg->id, want, rl) != 0)
            continue;
        for (size_t i = rg->first; at && i < rg->first + rg->count; i++)
            if (!strcmp(R->versions[i].file->version, at + 1)) {
                *pin_regime = (int)g;
                *pin = &R->versions[i];
            }
        if (!at || *pin)
            return 0;
    }
    return err_set(err, CHIPCHECK_ERR_NOT_FOUND, "<options>", 0, 0, "ruleset", "ruleset: no rule set '%s' is loaded",
                   want);
}

/* The version of a regime in force on date: the latest effective on or before it, or NULL. */
const rversion *version_in_force(const chipcheck_rules *R, const regime_def *rg, int date)
{
    size_t lo = rg->first, hi = rg->first + rg->count; /* sorted by effective date: the last one <= date */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (R->versions[mid].file->effective_ymd <= date)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > rg->first ? &R->versions[lo - 1] : NULL;
}

/* No version of rg on the shipment's date: the regime did not exist yet (it requires nothing), or its rules
 * were not researched that far back (unknown). Returns the regime's verdict. */
static chipcheck_verdict regime_absent(ectx *c, const regime_def *rg)
{
    chipcheck_decision *d = c->d;
    chipcheck_verdict verdict = rg->not_researched ? CHIPCHECK_INDETERMINATE : CHIPCHECK_ALLOWED;
    struct chipcheck_reason *re = new_reason(c, NULL, "ruleset");
    if (!re)
        return verdict;
    const char *first = c->R->versions[rg->first].file->effective;
    re->rule = rg->id;
    re->regime = rg->id;
    if (rg->not_researched) {
        re->code = "REGIME_NOT_RESEARCHED";
        re->result = TV_UNKNOWN;
        re->text = arena_cat(&d->arena, "The rules of ", rg->id, " are researched from ", first,
                             " on; what they required on ", d->date, " is not known to chipcheck.", (char *)NULL);
    } else {
        re->code = "REGIME_NOT_IN_FORCE";
        re->text = arena_cat(&d->arena, "No version of ", rg->id, " was in force on ", d->date,
                             "; its first version took effect on ", first, ".", (char *)NULL);
    }
    return verdict;
}

/* The not-screened items of version v join the decision's list, each code once. */
static void collect_not_screened(ectx *c, const rversion *v)
{
    chipcheck_decision *d = c->d;
    for (size_t i = 0; i < v->nns; i++) {
        size_t k = 0;
        while (k < d->nns && d->ns[k] != v->ns[i] && strcmp(d->ns[k]->code, v->ns[i]->code) != 0)
            k++;
        if (k < d->nns)
            continue;
        const ns_item **nl = arena_alloc(&d->arena, (d->nns + 1) * sizeof *nl);
        if (!nl) {
            c->oom = 1;
            return;
        }
        if (d->nns)
            memcpy(nl, d->ns, d->nns * sizeof *nl);
        nl[d->nns++] = v->ns[i];
        d->ns = nl;
    }
}

/* The missing fields of mask, sorted by name, into the decision. */
static void record_missing(ectx *c, field_mask miss)
{
    chipcheck_decision *d = c->d;
    for (int f = 0; f < F_COUNT; f++) {
        if (!((miss >> f) & 1u))
            continue;
        if (push(d, &d->missing, &d->nmissing, field_name((field_id)f)) != 0) {
            c->oom = 1;
            return;
        }
        for (size_t k = d->nmissing - 1; k > 0 && strcmp(d->missing[k - 1], d->missing[k]) > 0; k--) {
            const char *t = d->missing[k];
            d->missing[k] = d->missing[k - 1];
            d->missing[k - 1] = t;
        }
    }
}

/* After every regime: classes, licenses, an exception named but used nowhere, missing data. */
static void finish_trace(ectx *c, field_mask miss)
{
    chipcheck_decision *d = c->d;
    const ship *s = c->s;
    /* the primary regime's classes (ECCN paragraphs) that hold, in rule order; other regimes' classes (such
     * as CCL or EAR99) show in their reasons */
    for (size_t i = 0; d->v && i < d->v->nrules; i++) {
        const rule *r = d->v->rules[i];
        if (r->kind != R_CLASSIFICATION || c->cls[r->class_id] != TV_TRUE)
            continue;
        const char *name = c->R->class_names[r->class_id];
        size_t k = 0;
        while (k < d->nclasses && d->classes[k] != name)
            k++;
        if (k == d->nclasses && push(d, &d->classes, &d->nclasses, name) != 0)
            c->oom = 1;
    }
    for (size_t i = 0; i < s->nlicenses; i++)
        record_license(c, &s->licenses[i]);
    if (s->exception && !c->licensed && !c->exception_used) {
        struct chipcheck_reason *re = new_reason(c, NULL, "exception");
        if (re) {
            re->rule = arena_strdup(&d->arena, s->exception);
            re->code = "EXCEPTION_NOT_USABLE";
            re->result = TV_TRUE;
            re->text = "The shipment names a license exception it is not eligible for (or without its "
                       "authorization); the exception covers nothing.";
        }
    }
    record_missing(c, miss);
}

/* Evaluate the shipment under every regime, in order, and combine: license_required if any regime requires a
 * license, else indeterminate if any is unknown, else allowed; the policy is the most restrictive required.
 * 0, or a negative status with err set. */
static int evaluate_regimes(ectx *c, const chipcheck_options *o, chipcheck_error *err)
{
    const chipcheck_rules *R = c->R;
    const ship *s = c->s;
    chipcheck_decision *d = c->d;
    int pin_regime;
    const rversion *pin;
    if (resolve_pin(R, o, &pin_regime, &pin, err) != 0)
        return err ? err->code : CHIPCHECK_ERR_NOT_FOUND;
    for (size_t i = 0; i < R->nclass_names; i++) {
        c->cls[i] = TV_FALSE;
        c->cls_miss[i] = 0;
    }
    c->licensed = 0;
    c->exception_used = 0;
    for (size_t i = 0; i < s->nlicenses && !c->licensed; i++) {
        int ok[3];
        if (license_match(s, &s->licenses[i], ok)) {
            c->licensed = 1;
            if (d && !(d->license_id = arena_strdup(&d->arena, s->licenses[i].id ? s->licenses[i].id : "license")))
                c->oom = 1;
        }
    }
    int required = 0, unknown = 0;
    policy worst = P_NONE, unknown_worst = P_NONE;
    field_mask miss = 0;
    for (size_t g = 0; g < R->nregimes && !c->oom; g++) {
        const regime_def *rg = &R->regimes[g];
        const rversion *v = (int)g == pin_regime ? pin : version_in_force(R, rg, s->date);
        chipcheck_verdict rv;
        policy rp = P_NONE;
        if (!v) {
            rv = regime_absent(c, rg);
        } else {
            if (run(c, v) != 0)
                break;
            rv = c->verdict;
            rp = c->pol;
            miss |= c->req_miss;
            if (c->unknown_pol > unknown_worst)
                unknown_worst = c->unknown_pol;
            if (d)
                collect_not_screened(c, v);
        }
        required |= rv == CHIPCHECK_LICENSE_REQUIRED;
        unknown |= rv == CHIPCHECK_INDETERMINATE;
        if (rp > worst)
            worst = rp;
        if (d) {
            d->regimes[g] = (regime_entry){rg, v, rv, rp};
            if ((int)g == R->primary)
                d->v = v;
        }
    }
    if (c->oom)
        return err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
    c->verdict = required ? CHIPCHECK_LICENSE_REQUIRED : unknown ? CHIPCHECK_INDETERMINATE : CHIPCHECK_ALLOWED;
    c->pol = worst;
    if (!d)
        return 0;
    d->verdict = c->verdict;
    d->policy = policy_name(worst);
    d->policy_may_be_stricter = required && unknown_worst > worst;
    finish_trace(c, miss);
    return c->oom ? err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory") : 0;
}

/* A copy in the decision's arena of what the borrowed strings and arrays of s point to (own_strings() has
 * copied the chip's strings), so that retrace() can evaluate it again after the caller's shipment is gone. */
static int own_rest(chipcheck_decision *d, ship *s)
{
    arena_block **a = &d->arena;
    s->id = d->id;
    if (s->ntp && !(s->catalog && s->tp == s->catalog->tp)) {
        chipcheck_throughput *tp = arena_alloc(a, s->ntp * sizeof *tp);
        if (!tp)
            return -1;
        for (size_t i = 0; i < s->ntp; i++) {
            tp[i] = s->tp[i];
            if (tp[i].precision && !(tp[i].precision = arena_strdup(a, tp[i].precision)))
                return -1;
        }
        s->tp = tp;
    }
    if ((s->exception && !(s->exception = arena_strdup(a, s->exception))) ||
        (s->exception_auth && !(s->exception_auth = arena_strdup(a, s->exception_auth))))
        return -1;
    if (s->nlicenses) {
        chipcheck_license *l = arena_alloc(a, s->nlicenses * sizeof *l);
        if (!l)
            return -1;
        for (size_t i = 0; i < s->nlicenses; i++) {
            l[i] = s->licenses[i];
            const char **f[] = {&l[i].id, &l[i].destination, &l[i].valid_from, &l[i].valid_to};
            for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
                if (*f[k] && !(*f[k] = arena_strdup(a, *f[k])))
                    return -1;
            const char **p = l[i].n_products ? arena_alloc(a, l[i].n_products * sizeof *p) : NULL;
            if (l[i].n_products && !p)
                return -1;
            for (size_t k = 0; k < l[i].n_products; k++)
                if (!(p[k] = arena_strdup(a, l[i].products[k])))
                    return -1;
            l[i].products = p;
        }
        s->licenses = l;
    }
    if (s->force) {
        metric_force *mf = arena_alloc(a, sizeof *mf);
        if (!mf)
            return -1;
        *mf = *s->force;
        s->force = mf;
    }
    return 0;
}

static chipcheck_decision *retrace(const chipcheck_decision *d);

/* What retrace() needs: the rules, a copy of the shipment and the options' ruleset. */
static int keep_for_retrace(chipcheck_decision *d, const chipcheck_rules *R, ship *owned, const chipcheck_options *o)
{
    ship *copy = arena_alloc(&d->arena, sizeof *copy);
    if (!copy || own_rest(d, owned) != 0)
        return -1;
    *copy = *owned;
    d->rules = R;
    d->replay = copy;
    d->ruleset = NULL;
    if (o && o->ruleset && !(d->ruleset = arena_strdup(&d->arena, o->ruleset)))
        return -1;
    d->retrace = retrace;
    return 0;
}

/* The decision for a validated shipment: with checks, the full trace (every check, every metric); without, the
 * reasons, verdicts and lists only. */
/* Evaluate a shipment whose strings d owns into d: everything but the id. 0, or a negative status with err set. */
static int fill(chipcheck_decision *d, const chipcheck_rules *R, const ship *owned, const chipcheck_options *o,
                int checks, chipcheck_error *err)
{
    rstate st;
    ectx c;
    memset(&c, 0, sizeof c);
    c.R = R;
    c.s = owned;
    c.d = d;
    c.checks = checks;
    c.st = &st;
    date_format(owned->date, d->date);
    if (owned->dest >= 0) country_code(owned->dest, d->dest);
    if (owned->hq >= 0) country_code(owned->hq, d->hq);
    if (owned->from >= 0) country_code(owned->from, d->from);
    d->region = owned->region;
    d->eccn = owned->eccn;
    d->catalog = owned->catalog;
    d->chip_name = owned->name;
    d->chip_source = owned->catalog ? "catalog" : "given";
    d->regime = R->regimes[R->primary].id;
    d->regimes = arena_alloc(&d->arena, R->nregimes * sizeof *d->regimes);
    d->nregimes = R->nregimes;
    if (!d->regimes)
        return err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
    chipcheck_error local;
    chipcheck_error *e = err ? err : &local; /* a failed lookup must never read as "not in force yet" */
    err_clear(&local);
    return evaluate_regimes(&c, o, e) != 0 ? (e->code ? e->code : CHIPCHECK_ERR_NOMEM) : 0;
}

static chipcheck_decision *trace(const chipcheck_rules *R, const ship *shipment, const chipcheck_options *o, int checks,
                                 chipcheck_error *err)
{
    chipcheck_decision *d = decision_new();
    ship owned = *shipment;
    if (!d || own_strings(d, &owned) != 0 || (owned.id && !(d->id = arena_strdup(&d->arena, owned.id)))) {
        chipcheck_decision_free(d);
        err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
        return NULL;
    }
    if (fill(d, R, &owned, o, checks, err) != 0) {
        chipcheck_decision_free(d);
        return NULL;
    }
    return d;
}

chipcheck_decision *evaluate_ship(const chipcheck_rules *R, const ship *s, const chipcheck_options *o,
                                  chipcheck_error *err)
{
    err_clear(err);
    return trace(R, s, o, 1, err);
}

/* The full trace of a decision made without checks, from the shipment and ruleset it keeps. */
static chipcheck_decision *retrace(const chipcheck_decision *d)
{
    chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
    o.ruleset = d->ruleset;
    return trace(d->rules, d->replay, &o, 1, NULL);
}

/* Build a decision that knows only its verdict: reasons, verdicts and lists from the kept shipment (no checks),
 * in place. */
static int complete(chipcheck_decision *d)
{
    chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
    o.ruleset = d->ruleset;
    chipcheck_decision keep = *d;
    d->complete = NULL;
    if (fill(d, d->rules, d->replay, &o, 0, NULL) != 0) { /* out of memory: back to the verdict alone */
        arena_block *a = d->arena;
        free(d->reasons);
        *d = keep;
        d->arena = a;
        return -1;
    }
    return 0;
}

/* chipcheck_check() (lazy trace): the verdict now, from the compiled tables (or the walk that records nothing); the
 * reasons and lists on first use (complete(), whose walk is the reference and gives the same verdict: the
 * differential test of tests/unit/test_compiled.c holds the two paths equal), checks and metrics when the full
 * JSON asks (retrace()), both from a copy of the shipment. */
chipcheck_decision *evaluate_traced(const chipcheck_rules *R, const ship *s, const chipcheck_options *o,
                                    chipcheck_error *err)
{
    chipcheck_decision *d = decision_new();
    ship owned = *s;
    rstate st;
    ectx c;
    memset(&c, 0, sizeof c);
    if (!d || own_strings(d, &owned) != 0 || (owned.id && !(d->id = arena_strdup(&d->arena, owned.id))))
        goto nomem;
    c.R = R;
    c.s = &owned;
    c.st = &st;
    chipcheck_error local;
    chipcheck_error *e = err ? err : &local;
    err_clear(&local);
    int rc = compiled_verdict(R, &owned, o, NULL, NULL, e); /* the flat tables, as the verdict-only path */
    if (rc == COMPILED_FALLBACK)
        rc = evaluate_regimes(&c, o, e) != 0 ? e->code : (int)c.verdict; /* a version not compiled: the walker */
    if (rc < 0) {
        chipcheck_decision_free(d);
        return NULL;
    }
    d->verdict = (chipcheck_verdict)rc;
    if (keep_for_retrace(d, R, &owned, o) != 0)
        goto nomem;
    d->complete = complete;
    return d;
nomem:
    chipcheck_decision_free(d);
    err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
    return NULL;
}

/* ---- evaluators: per-thread scratch for the verdict-only path ------------------------------------- */

struct chipcheck_evaluator {
    const chipcheck_rules *rules;
    pcre2_match_data *md;
    memo_entry memo[MEMO_SLOTS];
    vmemo *verdicts; /* recent verdicts (vmemo.c) */
};

chipcheck_evaluator *chipcheck_evaluator_new(const chipcheck_rules *rules, chipcheck_error *err)
{
    err_clear(err);
    if (!rules) {
        err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "rules must not be NULL");
        return NULL;
    }
    chipcheck_evaluator *ev = calloc(1, sizeof *ev);
    if (ev) {
        ev->md = pcre2_match_data_create(1, NULL);
        ev->verdicts = vmemo_new();
    }
    if (!ev || !ev->md || !ev->verdicts) {
        chipcheck_evaluator_free(ev);
        err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
        return NULL;
    }
    ev->rules = rules;
    for (size_t i = 0; i < MEMO_SLOTS; i++)
        ev->memo[i].field = -1;
    return ev;
}

void chipcheck_evaluator_free(chipcheck_evaluator *ev)
{
    if (!ev)
        return;
    pcre2_match_data_free(ev->md);
    vmemo_free(ev->verdicts);
    free(ev);
}

const chipcheck_rules *evaluator_rules(const chipcheck_evaluator *ev) { return ev->rules; }

vmemo *evaluator_vmemo(chipcheck_evaluator *ev) { return ev->verdicts; }

int evaluator_run(chipcheck_evaluator *ev, const ship *s, const chipcheck_options *opts, chipcheck_error *err)
{
    rstate st;
    ectx c;
    c.R = ev->rules;
    c.s = s;
    c.d = NULL;
    c.md = ev->md;
    c.memo = ev->memo;
    c.checks = 0;
    c.oom = 0;
    c.cur = 0;
    c.negations = 0;
    c.st = &st;
    int rc = compiled_verdict(ev->rules, s, opts, ev->md, ev->memo, err); /* the flat tables of compiled.c */
    if (rc != COMPILED_FALLBACK)
        return rc;
    rc = evaluate_regimes(&c, opts, err); /* a version not compiled: the walker decides */
    return rc != 0 ? rc : (int)c.verdict;
}
