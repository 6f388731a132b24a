/*
 * compiled.c: the verdict-only path as flat tables, beside the tree walker of evaluate.c (which stays the
 * reference and the trace builder). At load each version becomes one array of operations in prefix order
 * (a rule's condition is a run of it, each operation knowing where its subtree ends), a table of distinct
 * chip and input leaves (a comparison, a flag, an equality or a pattern; each evaluated at most once per
 * shipment and version) and, per country test, one country set with the version's groups and aliases
 * folded in, so that "destination in D:5" is a single bit test on the country given. A verdict then walks
 * the rules' runs in three-valued logic, stops at the first requirement that decides the shipment, and
 * skips what cannot change the verdict (allowances set policies only; exceptions count only when claimed;
 * a license held covers every requirement).
 *
 * Anything not compiled (a version over the bounds below, a construct this file does not know) leaves that
 * version's table NULL, and the caller falls back to the walker for the whole shipment. The differential
 * suite (tests/unit/test_compiled.c) checks both paths agree on thousands of shipments.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define MAX_LEAVES 256
#define MAX_DEST_CLASSES 64 /* destination classes of one version; more and every rule stays live */

typedef enum cop_kind { O_LEAF, O_IN, O_CLASS, O_UNKNOWN, O_ALL, O_ANY, O_NOT } cop_kind;

typedef struct cop {
    unsigned char op;     /* cop_kind */
    unsigned char field;  /* O_IN: 0 destination, 1 end_user_hq, 2 export_from */
    unsigned end;         /* index just past this operation's subtree */
    int arg;              /* O_LEAF: leaf; O_IN: country set; O_CLASS: the cond (its classes) */
} cop;

/* A leaf: a comparison (fast form when it is "metric OP number"), a flag, an equality or a pattern. */
typedef struct cleaf {
    const cond *k;
    int fast_slot;        /* C_CMP "metric OP number": the metric's slot, else -1 */
    double fast_num;
} cleaf;

typedef struct cversion {
    cop *ops; size_t nops, capops;
    int *start;                      /* per rule: its condition's first operation, -1 when not compiled */
    cleaf leaves[MAX_LEAVES]; size_t nleaves;
    country_set *sets; size_t nsets, capsets;
    const cond **classes; size_t nclasses, capclasses; /* O_CLASS conditions */
    int has_exceptions;
    /* Countries the version's destination tests cannot tell apart share a class. A rule is live in a class
     * when it can hold (true or unknown) for some shipment there; the others are false whatever the chip,
     * the end user or the date, and the verdict skips them. */
    unsigned char dest_class[COUNTRY_SPACE];
    /* Per destination class c: its live requirements and determinations, in order, are
     * req_pool[req_at[c] .. req_at[c + 1]); reads_class[c] is 1 when one of them reads a classification
     * (the classification rules must then run). exc_reads_class: some exception does. */
    int *req_pool, *req_at;
    unsigned char *reads_class;
    int exc_reads_class;
    int *cls_rules; size_t ncls_rules; /* the classification rules, in order */
} cversion;

struct compiled_rules {
    cversion **v;                    /* per version; NULL: not compiled (the walker decides) */
    size_t n;
};

/* ---- compiling ----------------------------------------------------------------------------------------- */

static int same_leaf(const cond *a, const cond *b)
{
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case C_CMP:
        return a->op == b->op && !strcmp(a->left_text, b->left_text) && !strcmp(a->right_text, b->right_text);
    case C_FLAG:
        return a->flag_value == b->flag_value;
    case C_MATCHES:
        return a->field == b->field && a->pattern_id == b->pattern_id;
    case C_EQUALS:
        return a->field == b->field && !strcmp(a->pattern, b->pattern);
    default:
        return 0;
    }
}

static int add_leaf(cversion *cv, const cond *k)
{
    for (size_t i = 0; i < cv->nleaves; i++)
        if (same_leaf(cv->leaves[i].k, k))
            return (int)i;
    if (cv->nleaves == MAX_LEAVES)
        return -1;
    cleaf *l = &cv->leaves[cv->nleaves];
    l->k = k;
    l->fast_slot = -1;
    if (k->kind == C_CMP && expr_single_metric(k->left) >= 0 && k->right->op == X_NUM) {
        l->fast_slot = expr_single_metric(k->left);
        l->fast_num = k->right->num;
    }
    return (int)cv->nleaves++;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t cap2 = *cap ? *cap * 2 : 16;
    while (cap2 < need)
        cap2 *= 2;
    void *np = realloc(*p, cap2 * size);
    if (!np)
        return -1;
    *p = np;
    *cap = cap2;
    return 0;
}

/* The countries for which "field in (k's countries and groups)" holds, with the version's aliases applied to
 * the country given first, exactly as the walker's apply_aliases() does. -1 when a group is undefined. */
static int fold_countries(const rversion *v, const cond *k, country_set *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < k->ngroups; i++)
        if (!v->group_by_id[k->groups[i]])
            return -1;
    for (int raw = 0; raw < COUNTRY_SPACE; raw++) {
        int ci = raw;
        for (size_t a = 0; a < v->naliases; a++)
            if (ci == v->aliases[a]->code)
                ci = v->aliases[a]->as;
        int in = cset_has(&k->countries, ci);
        for (size_t i = 0; !in && i < k->ngroups; i++)
            in = cset_has(&v->group_by_id[k->groups[i]]->members, ci);
        if (in)
            cset_add(out, raw);
    }
    return 0;
}

/* Append k's subtree in prefix order. 0, or -1 when it cannot be compiled (or out of memory). */
static int emit(cversion *cv, const rversion *v, const cond *k)
{
    if (grow((void **)&cv->ops, &cv->capops, cv->nops + 1, sizeof *cv->ops) != 0)
        return -1;
    size_t at = cv->nops++;
    cop o = {0, 0, 0, 0};
    switch (k->kind) {
    case C_ALL: case C_ANY: case C_NOT:
        o.op = k->kind == C_ALL ? O_ALL : k->kind == C_ANY ? O_ANY : O_NOT;
        if (k->kind == C_NOT && k->nkids != 1)
            return -1;
        for (size_t i = 0; i < k->nkids; i++)
            if (emit(cv, v, k->kids[i]) != 0)
                return -1;
        break;
    case C_CMP: case C_FLAG: case C_MATCHES: case C_EQUALS:
        o.op = O_LEAF;
        if ((o.arg = add_leaf(cv, k)) < 0)
            return -1;
        break;
    case C_IN:
        if (k->field != F_DESTINATION && k->field != F_END_USER_HQ && k->field != F_EXPORT_FROM)
            return -1;
        o.op = O_IN;
        o.field = (unsigned char)(k->field - F_DESTINATION);
        if (grow((void **)&cv->sets, &cv->capsets, cv->nsets + 1, sizeof *cv->sets) != 0 ||
            fold_countries(v, k, &cv->sets[cv->nsets]) != 0)
            return -1;
        o.arg = (int)cv->nsets++;
        break;
    case C_CLASSIFIED:
        o.op = O_CLASS;
        if (grow((void **)&cv->classes, &cv->capclasses, cv->nclasses + 1, sizeof *cv->classes) != 0)
            return -1;
        cv->classes[cv->nclasses] = k;
        o.arg = (int)cv->nclasses++;
        break;
    case C_UNRESOLVED:
        o.op = O_UNKNOWN;
        break;
    default:
        return -1;
    }
    o.end = (unsigned)cv->nops;
    cv->ops[at] = o;
    return 0;
}

/* The operation at i with only the destination known (ci): every leaf, class and other country is unknown. */
static tv eval_static(const cversion *cv, unsigned i, int ci)
{
    const cop *o = &cv->ops[i];
    switch ((cop_kind)o->op) {
    case O_IN:
        if (o->field != 0)
            return TV_UNKNOWN;
        return cset_has(&cv->sets[o->arg], ci) ? TV_TRUE : TV_FALSE;
    case O_NOT: {
        tv t = eval_static(cv, i + 1, ci);
        return t == TV_UNKNOWN ? TV_UNKNOWN : t == TV_TRUE ? TV_FALSE : TV_TRUE;
    }
    case O_ALL: case O_ANY: {
        tv decided = o->op == O_ALL ? TV_FALSE : TV_TRUE;
        int unknown = 0;
        for (unsigned k = i + 1; k < o->end; k = cv->ops[k].end) {
            tv t = eval_static(cv, k, ci);
            if (t == decided)
                return decided;
            unknown |= t == TV_UNKNOWN;
        }
        return unknown ? TV_UNKNOWN : o->op == O_ALL ? TV_TRUE : TV_FALSE;
    }
    default:
        return TV_UNKNOWN;
    }
}

/* Whether the subtree at i reads a classification. */
static int reads_class(const cversion *cv, unsigned i)
{
    for (unsigned k = i; k < cv->ops[i].end; k++)
        if (cv->ops[k].op == O_CLASS)
            return 1;
    return 0;
}

/* Sort the countries into classes: two share a class when every destination test of the version says the
 * same of both. Fills dest_class and rep (a country of each class); returns the number of classes, or 1
 * (every country in one class, every rule live) past MAX_DEST_CLASSES classes or 256 tests. */
static int sort_countries(cversion *cv, int rep[MAX_DEST_CLASSES])
{
    int sets[256], nsets = 0, n = 0;
    uint64_t sig[MAX_DEST_CLASSES][4];
    for (size_t i = 0; i < cv->nops; i++)
        if (cv->ops[i].op == O_IN && cv->ops[i].field == 0 && nsets < 256)
            sets[nsets++] = cv->ops[i].arg;
        else if (cv->ops[i].op == O_IN && cv->ops[i].field == 0)
            n = -1;
    for (int ci = 0; ci < COUNTRY_SPACE && n >= 0; ci++) {
        uint64_t me[4] = {0, 0, 0, 0};
        for (int k = 0; k < nsets; k++)
            me[k / 64] |= (uint64_t)cset_has(&cv->sets[sets[k]], ci) << (k % 64);
        int c = 0;
        while (c < n && memcmp(sig[c], me, sizeof me) != 0)
            c++;
        if (c == n && n == MAX_DEST_CLASSES)
            n = -1;
        else if (c == n) {
            memcpy(sig[n], me, sizeof me);
            rep[n++] = ci;
        }
        cv->dest_class[ci] = (unsigned char)c;
    }
    if (n < 0) {
        memset(cv->dest_class, 0, sizeof cv->dest_class);
        rep[0] = -1; /* no destination known: every test unknown */
        return 1;
    }
    return n;
}

/* Each destination class's live rules: those that can hold (true or unknown) for a shipment there, found
 * by evaluating with only the destination known. 0, or -1 out of memory. */
static int dest_classes(cversion *cv, const rversion *v)
{
    int rep[MAX_DEST_CLASSES], n = sort_countries(cv, rep);
    if (!(cv->reads_class = calloc((size_t)n, 1)) ||
        !(cv->req_at = calloc((size_t)n + 1, sizeof *cv->req_at)) ||
        !(cv->req_pool = malloc(((size_t)n * v->nrules + 1) * sizeof *cv->req_pool)) ||
        !(cv->cls_rules = malloc((v->nrules + 1) * sizeof *cv->cls_rules)))
        return -1;
    size_t np = 0;
    for (int c = 0; c < n; c++) {
        cv->req_at[c] = (int)np;
        for (size_t i = 0; i < v->nrules; i++) {
            const rule *r = v->rules[i];
            if (cv->start[i] < 0 || (rep[c] >= 0 && eval_static(cv, (unsigned)cv->start[i], rep[c]) == TV_FALSE))
                continue;
            if (r->kind != R_REQUIREMENT && r->kind != R_DETERMINATION)
                continue;
            cv->req_pool[np++] = (int)i;
            cv->reads_class[c] |= (unsigned char)reads_class(cv, (unsigned)cv->start[i]);
        }
    }
    cv->req_at[n] = (int)np;
    for (size_t i = 0; i < v->nrules; i++)
        if (v->rules[i]->kind == R_CLASSIFICATION)
            cv->cls_rules[cv->ncls_rules++] = (int)i;
    return 0;
}

static void cversion_free(cversion *cv)
{
    if (!cv)
        return;
    free(cv->reads_class);
    free(cv->req_pool);
    free(cv->req_at);
    free(cv->cls_rules);
    free(cv->ops);
    free(cv->start);
    free(cv->sets);
    free(cv->classes);
    free(cv);
}

/* Exceptions may only cover requirements and determinations (what the verdict reads of them). */
static int exception_targets_ok(const rversion *v, size_t i)
{
    for (size_t a = 0; a < v->rules[i]->napplies; a++) {
        int j = v->applies_pool[v->applies_idx[i] + (int)a];
        if (j < 0 || (size_t)j >= v->nrules ||
            (v->rules[j]->kind != R_REQUIREMENT && v->rules[j]->kind != R_DETERMINATION))
            return 0;
    }
    return 1;
}

static cversion *compile_version(const rversion *v)
{
    cversion *cv = calloc(1, sizeof *cv);
    if (!cv || !(cv->start = malloc((v->nrules + 1) * sizeof *cv->start)))
        goto fail;
    for (size_t i = 0; i < v->nrules; i++) {
        const rule *r = v->rules[i];
        cv->start[i] = -1;
        if (r->kind == R_ALLOWANCE || r->kind == R_WITHDRAW)
            continue; /* allowances set policies, never the verdict */
        if (r->kind == R_EXCEPTION) {
            cv->has_exceptions = 1;
            if (!exception_targets_ok(v, i))
                goto fail;
        }
        if (!r->when)
            goto fail;
        cv->start[i] = (int)cv->nops;
        if (emit(cv, v, r->when) != 0)
            goto fail;
        if (r->kind == R_EXCEPTION)
            cv->exc_reads_class |= reads_class(cv, (unsigned)cv->start[i]);
    }
    if (dest_classes(cv, v) != 0)
        goto fail;
    return cv;
fail:
    cversion_free(cv);
    return NULL;
}

compiled_rules *compiled_build(const chipcheck_rules *R)
{
    compiled_rules *c = calloc(1, sizeof *c);
    if (!c || !(c->v = calloc(R->nversions + 1, sizeof *c->v))) {
        free(c);
        return NULL;
    }
    c->n = R->nversions;
    for (size_t i = 0; i < R->nversions; i++)
        c->v[i] = compile_version(&R->versions[i]); /* NULL: this version stays with the walker */
    return c;
}

size_t compiled_count(const compiled_rules *c)
{
    size_t n = 0;
    for (size_t i = 0; c && i < c->n; i++)
        n += c->v[i] != NULL;
    return n;
}

void compiled_free(compiled_rules *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        cversion_free(c->v[i]);
    free(c->v);
    free(c);
}

/* ---- evaluating ---------------------------------------------------------------------------------------- */

typedef struct cx {
    const chipcheck_rules *R;
    const rversion *v;
    const cversion *cv;
    const ship *s;
    double val[MAX_SLOTS];
    unsigned char have[MAX_SLOTS];
    int derived;                     /* val/have hold this version's metrics */
    unsigned char done[MAX_LEAVES];  /* leaf evaluated for this version: lv holds it */
    signed char lv[MAX_LEAVES];
    tv cls[MAX_CLASSES];             /* across regimes, as in the walker */
    int country[3];                  /* destination, end_user_hq, export_from as given */
    pcre2_match_data *md;
    memo_entry *memo;
} cx;

/* The version's metrics: the figures given, then its derivations (a given value wins), as derive_metrics()
 * of the walker computes them, without the trace. */
static void derive(cx *x)
{
    const ship *s = x->s;
    memset(x->have, 0, sizeof x->have);
    for (int i = 0; i < F_NUMBER_COUNT; i++)
        if (s->have[i]) {
            x->val[i] = s->num[i];
            x->have[i] = 1;
        }
    for (size_t di = 0; di < x->v->nderives; di++) {
        const derive_def *dd = x->v->derives[di];
        double out, best = 0;
        int found = 0;
        if (x->have[dd->slot])
            continue;
        if (!dd->over_throughput) {
            found = expr_eval(dd->e, x->val, x->have, NULL, &best);
        } else {
            for (size_t i = 0; i < s->ntp; i++) {
                double tops = s->tp[i].sparse ? s->tp[i].tops / 2 : s->tp[i].tops;
                double vars[2] = {tops, (double)throughput_bits(s->tp[i].precision)};
                if (expr_eval(dd->e, x->val, x->have, vars, &out) && (!found || out > best)) {
                    best = out;
                    found = 1;
                }
            }
        }
        if (found) {
            x->val[dd->slot] = best;
            x->have[dd->slot] = 1;
        }
    }
    x->derived = 1;
}

static tv cmp_tv(cmp_op op, double l, double r)
{
    switch (op) {
    case OP_GE: return l >= r ? TV_TRUE : TV_FALSE;
    case OP_GT: return l > r ? TV_TRUE : TV_FALSE;
    case OP_LE: return l <= r ? TV_TRUE : TV_FALSE;
    case OP_LT: return l < r ? TV_TRUE : TV_FALSE;
    case OP_EQ: return l == r ? TV_TRUE : TV_FALSE;
    case OP_NE: return l != r ? TV_TRUE : TV_FALSE;
    }
    return TV_UNKNOWN;
}

static tv eval_leaf(cx *x, const cleaf *l)
{
    const cond *k = l->k;
    const ship *s = x->s;
    if (k->kind == C_CMP) {
        double a, b;
        if (!x->derived)
            derive(x);
        if (l->fast_slot >= 0)
            return x->have[l->fast_slot] ? cmp_tv(k->op, x->val[l->fast_slot], l->fast_num) : TV_UNKNOWN;
        if (!expr_eval(k->left, x->val, x->have, NULL, &a) || !expr_eval(k->right, x->val, x->have, NULL, &b))
            return TV_UNKNOWN;
        return cmp_tv(k->op, a, b);
    }
    if (k->kind == C_FLAG)
        return s->datacenter < 0 ? TV_UNKNOWN : s->datacenter == k->flag_value ? TV_TRUE : TV_FALSE;
    const char *v = ship_string_field(s, k->field);
    if (!v)
        return TV_UNKNOWN;
    if (k->kind == C_EQUALS)
        return strcmp(v, k->pattern) == 0 ? TV_TRUE : TV_FALSE;
    int rc = pattern_match(x->R, x->memo, x->md, k, v);
    return rc >= 0 ? TV_TRUE : rc == PCRE2_ERROR_NOMATCH ? TV_FALSE : TV_UNKNOWN; /* limits: unknown */
}

static tv eval_class(const cx *x, const cond *k)
{
    int unknown = 0;
    for (size_t i = 0; i < k->nclasses; i++) {
        tv t = x->cls[k->classes[i]];
        if (t == TV_TRUE)
            return TV_TRUE;
        unknown |= t == TV_UNKNOWN;
    }
    return unknown ? TV_UNKNOWN : TV_FALSE;
}

static inline tv leaf_value(cx *x, int leaf)
{
    if (!x->done[leaf]) {
        x->lv[leaf] = (signed char)eval_leaf(x, &x->cv->leaves[leaf]);
        x->done[leaf] = 1;
    }
    return (tv)x->lv[leaf];
}

static inline tv in_value(const cx *x, const cop *o)
{
    int ci = x->country[o->field];
    return ci < 0 ? TV_UNKNOWN : cset_has(&x->cv->sets[o->arg], ci) ? TV_TRUE : TV_FALSE;
}

/* The operation at i and its subtree, in Kleene's three-valued logic with short circuits. */
static tv eval_at(cx *x, unsigned i)
{
    const cop *o = &x->cv->ops[i];
    switch ((cop_kind)o->op) {
    case O_LEAF:
        return leaf_value(x, o->arg);
    case O_IN:
        return in_value(x, o);
    case O_CLASS:
        return eval_class(x, x->cv->classes[o->arg]);
    case O_UNKNOWN:
        return TV_UNKNOWN;
    case O_NOT: {
        tv t = eval_at(x, i + 1);
        return t == TV_UNKNOWN ? TV_UNKNOWN : t == TV_TRUE ? TV_FALSE : TV_TRUE;
    }
    case O_ALL: case O_ANY: {
        tv decided = o->op == O_ALL ? TV_FALSE : TV_TRUE;
        int unknown = 0;
        for (unsigned k = i + 1; k < o->end; k = x->cv->ops[k].end) {
            const cop *kid = &x->cv->ops[k]; /* leaves and country tests, the most kids, without a call */
            tv t = kid->op == O_LEAF ? leaf_value(x, kid->arg) : kid->op == O_IN ? in_value(x, kid) : eval_at(x, k);
            if (t == decided)
                return decided;
            unknown |= t == TV_UNKNOWN;
        }
        return unknown ? TV_UNKNOWN : o->op == O_ALL ? TV_TRUE : TV_FALSE;
    }
    }
    return TV_UNKNOWN;
}

/* A shipment claiming one of the version's exceptions: the walker's eval_exceptions() and regime_verdict(),
 * verdict only. Every requirement's result is in res[]; unknown says one of them is unknown. */
static chipcheck_verdict claimed_verdict(cx *x, const tv *res, int unknown)
{
    const rversion *v = x->v;
    const ship *s = x->s;
    unsigned char covered[MAX_RULES];
    memset(covered, 0, v->nrules);
    for (size_t i = 0; i < v->nrules; i++) {
        const rule *r = v->rules[i];
        if (r->kind != R_EXCEPTION)
            continue;
        const int *to = &v->applies_pool[v->applies_idx[i]];
        int relevant = 0;
        for (size_t a = 0; a < r->napplies; a++)
            relevant |= res[to[a]] == TV_TRUE;
        if (!relevant || strcasecmp(s->exception, r->code) != 0 ||
            (r->auth_required && !(s->exception_auth && s->exception_auth[0])))
            continue; /* not usable: it covers nothing */
        if (eval_at(x, (unsigned)x->cv->start[i]) != TV_TRUE)
            continue;
        for (size_t a = 0; a < r->napplies; a++)
            covered[to[a]] |= res[to[a]] == TV_TRUE;
    }
    for (size_t i = 0; i < v->nrules; i++)
        if ((v->rules[i]->kind == R_REQUIREMENT || v->rules[i]->kind == R_DETERMINATION) && res[i] == TV_TRUE &&
            !covered[i])
            return CHIPCHECK_LICENSE_REQUIRED;
    return unknown ? CHIPCHECK_INDETERMINATE : CHIPCHECK_ALLOWED;
}

/* One version's verdict. res[] receives each evaluated rule's result (exceptions read their targets').
 * Its classification rules run only with classify (see compiled_verdict()). */
static chipcheck_verdict version_verdict(cx *x, tv *res, int classify)
{
    const rversion *v = x->v;
    const cversion *cv = x->cv;
    const ship *s = x->s;
    int dc = cv->dest_class[s->dest];
    x->derived = 0;
    memset(x->done, 0, cv->nleaves);
    for (size_t k = 0; classify && k < cv->ncls_rules; k++) { /* classifications first, in order */
        int i = cv->cls_rules[k];
        const rule *r = v->rules[i];
        tv t = eval_at(x, (unsigned)cv->start[i]);
        if (t == TV_TRUE)
            x->cls[r->class_id] = TV_TRUE;
        else if (t == TV_UNKNOWN && x->cls[r->class_id] != TV_TRUE)
            x->cls[r->class_id] = TV_UNKNOWN;
    }
    /* an exception counts only when the shipment claims one of this version's */
    int claimed = 0;
    for (size_t i = 0; cv->has_exceptions && s->exception && i < v->nrules; i++)
        claimed |= v->rules[i]->kind == R_EXCEPTION && strcasecmp(s->exception, v->rules[i]->code) == 0;
    if (claimed) /* the exceptions read every requirement's result: the ones not live are false */
        for (size_t i = 0; i < v->nrules; i++)
            res[i] = TV_FALSE;
    int unknown = 0;
    for (int k = cv->req_at[dc]; k < cv->req_at[dc + 1]; k++) { /* the live requirements and determinations */
        int i = cv->req_pool[k];
        res[i] = eval_at(x, (unsigned)cv->start[i]);
        if (res[i] == TV_TRUE && !claimed)
            return CHIPCHECK_LICENSE_REQUIRED; /* nothing can cover it */
        unknown |= res[i] == TV_UNKNOWN;
    }
    if (!claimed)
        return unknown ? CHIPCHECK_INDETERMINATE : CHIPCHECK_ALLOWED;
    return claimed_verdict(x, res, unknown);
}

/* The shipment's verdict over every regime, combined as evaluate_regimes() does: license_required if any
 * regime requires a license, else indeterminate if any is unknown, else allowed. A regime without a version
 * on the date requires nothing, or is unknown when its rules were not researched that far back. Returns
 * COMPILED_FALLBACK when a version needed is not compiled. */
int compiled_verdict(const chipcheck_rules *R, const ship *s, const chipcheck_options *o, pcre2_match_data *md,
                     memo_entry *memo, chipcheck_error *err)
{
    const compiled_rules *C = R->compiled;
    const rversion *use[MAX_REGIMES], *pin;
    int pin_regime;
    if (!C || R->nregimes > MAX_REGIMES || s->dest < 0 || s->dest >= COUNTRY_SPACE)
        return COMPILED_FALLBACK; /* (a shipment always has a destination: the walker would say what is wrong) */
    for (size_t g = 0; g < R->nregimes; g++) { /* every version needed is compiled, else the walker decides */
        use[g] = version_in_force(R, &R->regimes[g], s->date);
        if (use[g] && !C->v[use[g] - R->versions])
            return COMPILED_FALLBACK;
    }
    if (o && o->ruleset && *o->ruleset) {
        if (resolve_pin(R, o, &pin_regime, &pin, err) != 0)
            return err ? err->code : CHIPCHECK_ERR_NOT_FOUND;
        if (pin_regime >= 0) {
            use[pin_regime] = pin;
            if (!C->v[pin - R->versions])
                return COMPILED_FALLBACK;
        }
    }
    int licensed = 0, unknown = 0;
    for (size_t i = 0; i < s->nlicenses && !licensed; i++) {
        int ok[3];
        licensed = license_match(s, &s->licenses[i], ok);
    }
    cx x;
    tv res[MAX_RULES];
    x.R = R;
    x.s = s;
    x.md = md;
    x.memo = memo;
    x.country[0] = s->dest;
    x.country[1] = s->hq;
    x.country[2] = s->from;
    for (size_t i = 0; i < R->nclass_names; i++)
        x.cls[i] = TV_FALSE;
    /* A regime's classifications run only when it or a later regime (which may use them) has a live rule
     * that reads one: classifications decide nothing by themselves. */
    unsigned char classify[MAX_REGIMES + 1];
    classify[R->nregimes] = 0;
    for (size_t g = R->nregimes; g-- > 0;) {
        const cversion *cv = use[g] ? C->v[use[g] - R->versions] : NULL;
        int reads = cv && (cv->reads_class[cv->dest_class[s->dest]] || (s->exception && cv->exc_reads_class));
        classify[g] = (unsigned char)(reads || classify[g + 1]);
    }
    for (size_t g = 0; g < R->nregimes; g++) {
        if (!use[g]) {
            unknown |= R->regimes[g].not_researched;
            continue;
        }
        if (licensed)
            continue; /* a license held covers every requirement of every regime */
        x.v = use[g];
        x.cv = C->v[use[g] - R->versions];
        chipcheck_verdict rv = version_verdict(&x, res, classify[g]);
        if (rv == CHIPCHECK_LICENSE_REQUIRED)
            return rv; /* whatever the other regimes say */
        unknown |= rv == CHIPCHECK_INDETERMINATE;
    }
    return unknown ? CHIPCHECK_INDETERMINATE : CHIPCHECK_ALLOWED;
}
