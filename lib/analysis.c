/*
 * analysis.c: what-if analysis, above the evaluator (evaluate.c never calls it). Headroom: how far a shipment's
 * chip sits from every line the rules in force draw on its metrics, which crossing changes the verdict (flips)
 * and which later version does (date flips). Envelope: the region of metric space where the outcome is the
 * mildest, as boxes of readable constraints, and the cells a map draws. Candidate lines come from the rules'
 * linear comparisons; every answer is confirmed by evaluating the shipment with the metrics moved
 * (evaluate_ship() with forced metric values), never guessed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

#define MAX_AXES 8        /* metrics an envelope varies at once */
#define MAX_PLANES 24     /* comparisons over two or more varied metrics */
#define MAX_OUTCOMES 64   /* distinct outcomes in one envelope */
#define MAX_CANDIDATES 64 /* lines tried per metric and direction */

/* ---- linear forms --------------------------------------------------------------------------------- */

/* sum of a[slot] * metric[slot], plus c */
typedef struct lin { double a[MAX_SLOTS]; double c; } lin;

static int lin_is_const(const lin *l)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if (l->a[i] != 0)
            return 0;
    return 1;
}

static void lin_combine(lin *out, const lin *x, double kx, const lin *y, double ky)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        out->a[i] = kx * x->a[i] + (y ? ky * y->a[i] : 0);
    out->c = kx * x->c + (y ? ky * y->c : 0);
}

/* The linear form of e, or 0 when e is not linear in the metrics (a product of metrics, min, max, ...). */
static int lin_of(const expr *e, lin *out)
{
    lin x, y;
    memset(out, 0, sizeof *out);
    switch (e->op) {
    case X_NUM: out->c = e->num; return 1;
    case X_METRIC: out->a[e->slot] = 1; return 1;
    case X_NEG:
        if (!lin_of(e->args[0], &x))
            return 0;
        lin_combine(out, &x, -1, NULL, 0);
        return 1;
    case X_ADD: case X_SUB: case X_MUL: case X_DIV:
        if (!lin_of(e->args[0], &x) || !lin_of(e->args[1], &y))
            return 0;
        if (e->op == X_ADD || e->op == X_SUB)
            lin_combine(out, &x, 1, &y, e->op == X_ADD ? 1 : -1);
        else if (e->op == X_MUL && lin_is_const(&x))
            lin_combine(out, &y, x.c, NULL, 0);
        else if (lin_is_const(&y) && (e->op == X_MUL || y.c != 0))
            lin_combine(out, &x, e->op == X_MUL ? y.c : 1 / y.c, NULL, 0);
        else
            return 0;
        return 1;
    case X_VAR: case X_MIN: case X_MAX:
        break;
    }
    return 0;
}

static int holds(double v, cmp_op op)
{
    switch (op) {
    case OP_GE: return v >= 0;
    case OP_GT: return v > 0;
    case OP_LE: return v <= 0;
    case OP_LT: return v < 0;
    case OP_EQ: return v == 0;
    case OP_NE: return v != 0;
    }
    return 0;
}

/* Which side a line's own value belongs to, for a comparison "coef * x + rest op 0" along x. */
enum { SIDE_UP, SIDE_DOWN, SIDE_POINT };
static int line_side(cmp_op op, double coef)
{
    if (op == OP_EQ || op == OP_NE)
        return SIDE_POINT;
    int up = op == OP_GE || op == OP_LT; /* x >= b true above b, x < b false from b on: b goes with the upper side */
    return (up != (coef < 0)) ? SIDE_UP : SIDE_DOWN;
}

static cmp_op op_negate(cmp_op op)
{
    switch (op) {
    case OP_GE: return OP_LT;
    case OP_GT: return OP_LE;
    case OP_LE: return OP_GT;
    case OP_LT: return OP_GE;
    case OP_EQ: return OP_NE;
    case OP_NE: return OP_EQ;
    }
    return op;
}

static cmp_op op_mirror(cmp_op op) /* a op b  <=>  -a mirror(op) -b */
{
    switch (op) {
    case OP_GE: return OP_LE;
    case OP_GT: return OP_LT;
    case OP_LE: return OP_GE;
    case OP_LT: return OP_GT;
    case OP_EQ: case OP_NE: break;
    }
    return op;
}

/* A small step past a line at b: six significant digits below its magnitude, so that 2400 gives 2399.999. */
static double step_of(double b)
{
    return b == 0 ? 1e-6 : pow(10, floor(log10(fabs(b))) - 6);
}

/* ---- the comparisons of the versions in force ------------------------------------------------------ */

typedef struct leaf {
    const rule *r;
    const rversion *v;
    const cond *k;
    lin f;        /* left - right: the comparison holds when f op 0 */
    cmp_op op;
    int linear;
    int negated;  /* under an odd number of not() */
} leaf;

/* ---- outcomes ------------------------------------------------------------------------------------- */

/* What an evaluation decided: the verdict and policy, and for the reader the classification (primary regime),
 * the missing data and the codes of the reasons that hold, each a space-separated list. */
typedef struct outcome {
    int verdict;
    const char *policy;
    char classes[96], missing[160], codes[480];
} outcome;

static int list_has(const char *list, const char *word, size_t len)
{
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, " ");
        if (n == len && !strncmp(p, word, len))
            return 1;
        p += n + (p[n] == ' ');
    }
    return 0;
}

static void list_add(char *buf, size_t n, const char *s)
{
    size_t len = strlen(s), used = strlen(buf);
    if (list_has(buf, s, len) || used + len + 2 > n)
        return;
    if (used)
        buf[used++] = ' ';
    memcpy(buf + used, s, len + 1);
}

/* The words of x that are not in y, into out. */
static void list_minus(const char *x, const char *y, char *out, size_t n)
{
    char word[128];
    out[0] = '\0';
    for (const char *p = x; *p;) {
        size_t len = strcspn(p, " ");
        if (len < sizeof word && !list_has(y, p, len)) {
            memcpy(word, p, len);
            word[len] = '\0';
            list_add(out, n, word);
        }
        p += len + (p[len] == ' ');
    }
}

/* Add every word of words to out. */
static void list_union(char *out, size_t n, const char *words)
{
    char word[128];
    for (const char *p = words; *p;) {
        size_t len = strcspn(p, " ");
        if (len < sizeof word) {
            memcpy(word, p, len);
            word[len] = '\0';
            list_add(out, n, word);
        }
        p += len + (p[len] == ' ');
    }
}

static void outcome_of(const chipcheck_decision *d, outcome *o)
{
    memset(o, 0, sizeof *o);
    o->verdict = (int)d->verdict;
    o->policy = d->policy;
    for (size_t i = 0; i < d->nclasses; i++)
        list_add(o->classes, sizeof o->classes, d->classes[i]);
    for (size_t i = 0; i < d->nmissing; i++)
        list_add(o->missing, sizeof o->missing, d->missing[i]);
    for (size_t i = 0; i < d->nreasons; i++) {
        const struct chipcheck_reason *re = &d->reasons[i];
        if (re->result == TV_TRUE && re->code && strcmp(re->kind, "ruleset") != 0)
            list_add(o->codes, sizeof o->codes, re->code);
    }
}

/* The same verdict and review policy (what a flip changes). */
static int outcome_same(const outcome *x, const outcome *y)
{
    return x->verdict == y->verdict && (x->policy == y->policy || (x->policy && y->policy && !strcmp(x->policy, y->policy)));
}

static int outcome_equal(const outcome *x, const outcome *y)
{
    return outcome_same(x, y) && !strcmp(x->classes, y->classes) && !strcmp(x->missing, y->missing) &&
           !strcmp(x->codes, y->codes);
}

/* Mildest first: allowed, then license required by review policy, indeterminate last. */
static int outcome_rank(const outcome *o)
{
    if (o->verdict == CHIPCHECK_ALLOWED)
        return 0;
    if (o->verdict == CHIPCHECK_INDETERMINATE)
        return 5;
    if (!o->policy)
        return 4;
    return !strcmp(o->policy, "presumption_of_approval") ? 1 : !strcmp(o->policy, "case_by_case") ? 2 : 3;
}

/* ---- the analysis context ------------------------------------------------------------------------- */

typedef struct actx {
    const chipcheck_rules *R;
    const chipcheck_options *o;
    chipcheck_error *err;
    ship s;                          /* the validated shipment; its strings live while the visit runs */
    chipcheck_decision *base;        /* the shipment as given */
    outcome base_out;
    double val[MAX_SLOTS];           /* the current point: the chip's figures (an envelope: and its context) */
    unsigned char have[MAX_SLOTS];
    const char *src[MAX_SLOTS];      /* where each of the chip's figures came from */
    leaf *lv; size_t nl, capl;       /* every comparison of every rule of the versions in force */
    uint32_t coords;                 /* slots some linear comparison reads */
    int failed, oom;
    /* the request */
    const char *const *metrics; size_t nmetrics;
    unsigned flags;
    char *out;                       /* the JSON text produced */
} actx;

static const char *slot_name(const actx *a, int slot) { return a->R->metric_names[slot]; }

static int slot_of(const actx *a, const char *name)
{
    for (size_t i = 0; i < a->R->nmetrics; i++)
        if (!strcmp(a->R->metric_names[i], name))
            return (int)i;
    return -1;
}

/* The decision for the shipment with the metrics of f forced (NULL: as given) on date, or NULL with err set. */
static chipcheck_decision *eval_decision(actx *a, const metric_force *f, int date)
{
    ship s = a->s;
    s.force = f;
    s.date = date;
    chipcheck_decision *d = evaluate_ship(a->R, &s, a->o, a->err);
    if (!d)
        a->failed = 1;
    return d;
}

static int eval_at(actx *a, const metric_force *f, int date, outcome *out)
{
    chipcheck_decision *d = eval_decision(a, f, date);
    if (!d)
        return -1;
    outcome_of(d, out);
    chipcheck_decision_free(d);
    return 0;
}

/* The current point with slot m (if >= 0) at x: every coordinate known at the current point is held. */
static void force_point(const actx *a, int m, double x, metric_force *f)
{
    memset(f, 0, sizeof *f);
    for (int i = 0; i < MAX_SLOTS; i++)
        if (((a->coords >> i) & 1u) && a->have[i]) {
            f->set[i] = 1;
            f->val[i] = a->val[i];
        }
    if (m >= 0) {
        f->set[m] = 1;
        f->val[m] = x;
    }
}

static int add_leaf(actx *a, const rule *r, const rversion *v, const cond *k, int neg)
{
    if (a->nl == a->capl) {
        size_t cap = a->capl ? a->capl * 2 : 64;
        leaf *nv = realloc(a->lv, cap * sizeof *nv);
        if (!nv)
            return -1;
        a->lv = nv;
        a->capl = cap;
    }
    leaf *l = &a->lv[a->nl++];
    lin left, right;
    memset(l, 0, sizeof *l);
    l->r = r;
    l->v = v;
    l->k = k;
    l->op = k->op;
    l->negated = neg & 1;
    l->linear = lin_of(k->left, &left) && lin_of(k->right, &right);
    if (l->linear) {
        lin_combine(&l->f, &left, 1, &right, -1);
        for (int i = 0; i < MAX_SLOTS; i++)
            if (l->f.a[i] != 0)
                a->coords |= (uint32_t)1 << i;
    }
    return 0;
}

static int collect_cond(actx *a, const rule *r, const rversion *v, const cond *k, int neg)
{
    if (k->kind == C_CMP)
        return add_leaf(a, r, v, k, neg);
    for (size_t i = 0; i < k->nkids; i++)
        if (collect_cond(a, r, v, k->kids[i], neg + (k->kind == C_NOT)) != 0)
            return -1;
    return 0;
}

/* A metric the versions in force do not derive (performance density before 2023-11-17) is still a place on a
 * map's axis: derive it as the newest loaded version that defines it does, when the chip's figures allow. */
static void derive_elsewhere(actx *a)
{
    for (size_t slot = F_NUMBER_COUNT; slot < a->R->nmetrics && slot < MAX_SLOTS; slot++) {
        const derive_def *dd = NULL;
        for (size_t i = 0; i < a->R->nversions; i++)
            if (a->R->versions[i].derive_by_slot[slot] && !a->R->versions[i].derive_by_slot[slot]->over_throughput)
                dd = a->R->versions[i].derive_by_slot[slot];
        double v;
        if (a->have[slot] || !dd || !expr_eval(dd->e, a->val, a->have, NULL, &v))
            continue;
        a->val[slot] = v;
        a->have[slot] = 1;
        a->src[slot] = "derived";
    }
}

/* The comparisons of every rule of the versions the shipment was decided under, and the chip's figures. */
static int collect(actx *a)
{
    const chipcheck_decision *d = a->base;
    for (size_t g = 0; g < d->nregimes; g++) {
        const rversion *v = d->regimes[g].v;
        for (size_t i = 0; v && i < v->nrules; i++)
            if (v->rules[i]->when && collect_cond(a, v->rules[i], v, v->rules[i]->when, 0) != 0)
                return -1;
    }
    for (size_t i = 0; i < d->nmetrics; i++) {
        int slot = slot_of(a, d->metrics[i].name);
        if (slot < 0 || !d->metrics[i].have)
            continue;
        a->val[slot] = d->metrics[i].value;
        a->have[slot] = 1;
        a->src[slot] = d->metrics[i].source;
    }
    derive_elsewhere(a);
    return 0;
}

/* ---- JSON ----------------------------------------------------------------------------------------- */

/* Add item to obj under key (to an array when key is NULL); a NULL item or parent marks the output out of memory. */
static cJSON *put(actx *a, cJSON *obj, const char *key, cJSON *item)
{
    if (!obj || !item || !(key ? cJSON_AddItemToObject(obj, key, item) : cJSON_AddItemToArray(obj, item))) {
        cJSON_Delete(item);
        a->oom = 1;
        return NULL;
    }
    return item;
}

static void put_str(actx *a, cJSON *o, const char *k, const char *v)
{
    put(a, o, k, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

/* Numbers to 15 significant digits, so that they print short (2.90909090909091, not 17 digits). */
static double tidy(double x)
{
    char b[40];
    snprintf(b, sizeof b, "%.15g", x);
    return strtod(b, NULL);
}

static void put_num(actx *a, cJSON *o, const char *k, double v)
{
    put(a, o, k, isfinite(v) ? cJSON_CreateNumber(tidy(v)) : cJSON_CreateNull());
}

static void put_bool(actx *a, cJSON *o, const char *k, int v) { put(a, o, k, cJSON_CreateBool(v)); }

/* A space-separated list as a JSON array. */
static void put_list(actx *a, cJSON *o, const char *k, const char *list)
{
    cJSON *arr = put(a, o, k, cJSON_CreateArray());
    char word[128];
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, " ");
        if (n && n < sizeof word) {
            memcpy(word, p, n);
            word[n] = '\0';
            put_str(a, arr, NULL, word);
        }
        p += n;
        p += *p == ' ';
    }
}

static cJSON *outcome_json(actx *a, const outcome *o)
{
    cJSON *j = cJSON_CreateObject();
    put_str(a, j, "verdict", chipcheck_verdict_name(o->verdict));
    put_str(a, j, "review_policy", o->policy);
    put_list(a, j, "classification", o->classes);
    put_list(a, j, "codes", o->codes);
    put_list(a, j, "missing", o->missing);
    return j;
}

static cJSON *rule_json(actx *a, const leaf *l)
{
    cJSON *j = cJSON_CreateObject();
    put_str(a, j, "rule", l->r->id);
    put_str(a, j, "code", l->r->code);
    put_str(a, j, "kind", rule_kind_name(l->r->kind));
    put_str(a, j, "regime", l->v->file->regime);
    put_str(a, j, "version", l->v->file->version);
    put_str(a, j, "citation", l->r->citation);
    put_str(a, j, "confidence", l->r->src ? l->r->src->confidence : NULL);
    return j;
}

/* The rules behind a set of comparisons (leaf indices), each rule of each version once. */
static void put_rules(actx *a, cJSON *o, const char *key, const size_t *idx, size_t n)
{
    cJSON *arr = put(a, o, key, cJSON_CreateArray());
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < i && !(a->lv[idx[k]].r == a->lv[idx[i]].r && a->lv[idx[k]].v == a->lv[idx[i]].v))
            k++;
        if (k == i)
            put(a, arr, NULL, rule_json(a, &a->lv[idx[i]]));
    }
}

/* The rules of the comparisons in idx whose codes are in changed (the codes whose result differs on the two sides
 * of a line), or all of them when none is. */
static void put_rules_changed(actx *a, cJSON *o, const char *key, const size_t *idx, size_t n, const char *changed)
{
    size_t keep[64], nk = 0;
    for (size_t i = 0; i < n && nk < 64; i++) {
        const char *code = a->lv[idx[i]].r->code;
        if (code && list_has(changed, code, strlen(code)))
            keep[nk++] = idx[i];
    }
    if (nk)
        put_rules(a, o, key, keep, nk);
    else
        put_rules(a, o, key, idx, n);
}

/* The shipment, the outcome and the versions it was decided under: the head of both answers. */
static void put_head(actx *a, cJSON *root)
{
    const chipcheck_decision *d = a->base;
    cJSON *sh = put(a, root, "shipment", cJSON_CreateObject());
    put_str(a, sh, "id", d->id);
    put_str(a, sh, "date", d->date);
    put_str(a, sh, "destination", d->dest[0] ? d->dest : NULL);
    put_str(a, sh, "end_user_hq", d->hq[0] ? d->hq : NULL);
    put_str(a, sh, "export_from", d->from[0] ? d->from : NULL);
    put_str(a, sh, "chip", d->chip_name);
    put(a, sh, "datacenter", a->s.datacenter < 0 ? cJSON_CreateNull() : cJSON_CreateBool(a->s.datacenter));
    put(a, root, "outcome", outcome_json(a, &a->base_out));
    cJSON *rs = put(a, root, "rulesets", cJSON_CreateArray());
    for (size_t g = 0; g < d->nregimes; g++) {
        cJSON *r = put(a, rs, NULL, cJSON_CreateObject());
        const rversion *v = d->regimes[g].v;
        put_str(a, r, "id", d->regimes[g].rg->id);
        put_str(a, r, "version", v ? v->file->version : NULL);
        put_str(a, r, "effective", v ? v->file->effective : NULL);
        put_str(a, r, "title", v ? v->file->title : NULL);
        put_str(a, r, "digest", v ? v->digest : NULL);
    }
}

/* Comparisons chipcheck cannot analyse (not linear in the metrics): listed, never silently skipped. */
static void put_not_analysed(actx *a, cJSON *root)
{
    cJSON *arr = put(a, root, "not_analysed", cJSON_CreateArray());
    for (size_t i = 0; i < a->nl; i++) {
        const leaf *l = &a->lv[i];
        if (l->linear)
            continue;
        cJSON *j = put(a, arr, NULL, rule_json(a, l));
        char text[256];
        snprintf(text, sizeof text, "%s %s %s", l->k->left_text, cmp_op_text(l->op), l->k->right_text);
        put_str(a, j, "comparison", text);
    }
}

/* ---- crossings and flips ---------------------------------------------------------------------------- */

/* Where a comparison changes its truth as slot m moves from the current point in direction dir (+1 up, -1
 * down), the other slots held: line is where it is drawn, at the first value past it, before the last value
 * short of it. */
typedef struct crossing { double line, at, before, dist; } crossing;

static int leaf_crossing(const actx *a, const leaf *l, int m, int dir, crossing *x)
{
    double am = l->f.a[m], rest = l->f.c;
    if (!l->linear || am == 0 || !a->have[m])
        return 0;
    for (int j = 0; j < MAX_SLOTS; j++) {
        if (j == m || l->f.a[j] == 0)
            continue;
        if (!a->have[j])
            return 0; /* the comparison stays unknown whatever m is */
        rest += l->f.a[j] * a->val[j];
    }
    double b = -rest / am, v0 = a->val[m], st = step_of(b);
    int side = line_side(l->op, am);
    if (!isfinite(b))
        return 0;
    if (dir > 0) {
        if (side == SIDE_DOWN ? v0 > b : v0 >= b)
            return 0;
        x->at = side == SIDE_DOWN ? b + st : b;
        x->before = side == SIDE_DOWN ? b : b - st;
        x->before = x->before < v0 ? v0 : x->before;
    } else {
        if (side == SIDE_UP ? v0 < b : v0 <= b)
            return 0;
        x->at = side == SIDE_UP ? b - st : b;
        x->before = side == SIDE_UP ? b : b + st;
        x->before = x->before > v0 ? v0 : x->before;
    }
    x->line = b;
    return x->at >= 0;
}

typedef struct flip {
    int slot, dir, confirmed;
    double from, line, at, before;
    outcome before_out, after_out;
    size_t by[32]; size_t nby;       /* the comparisons drawn at this line */
} flip;

static int by_distance(const void *pa, const void *pb)
{
    const crossing *x = pa, *y = pb;
    return x->dist < y->dist ? -1 : x->dist > y->dist ? 1 : 0;
}

/* The candidate lines for slot m in direction dir, nearest first, each once. */
static size_t candidates(const actx *a, int m, int dir, crossing *c, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nl && n < max; i++) {
        crossing x;
        if (!leaf_crossing(a, &a->lv[i], m, dir, &x))
            continue;
        size_t k = 0;
        while (k < n && c[k].line != x.line)
            k++;
        if (k == n)
            c[n++] = x;
    }
    for (size_t i = 0; i < n; i++)
        c[i].dist = fabs(c[i].at - a->val[m]);
    if (n > 1)
        qsort(c, n, sizeof *c, by_distance);
    return n;
}

/* The comparisons drawn at a flip's line whose rules change their result across it (every one drawn there when
 * none does, such as when the change comes from an allowance's policy). */
static void flip_rules(actx *a, flip *fl)
{
    char gained[480], lost[480];
    size_t n = sizeof fl->by / sizeof fl->by[0];
    list_minus(fl->after_out.codes, fl->before_out.codes, gained, sizeof gained);
    list_minus(fl->before_out.codes, fl->after_out.codes, lost, sizeof lost);
    for (int pass = 0; pass < 2 && !fl->nby; pass++)
        for (size_t k = 0; k < a->nl && fl->nby < n; k++) {
            crossing x;
            const leaf *l = &a->lv[k];
            size_t len = l->r->code ? strlen(l->r->code) : 0;
            if (leaf_crossing(a, l, fl->slot, fl->dir, &x) && x.line == fl->line &&
                (pass || (len && (list_has(gained, l->r->code, len) || list_has(lost, l->r->code, len)))))
                fl->by[fl->nby++] = k;
        }
}

/* The nearest value of slot m, moving in direction dir, at which the verdict or review policy changes: tried
 * at each candidate line, nearest first, and confirmed on the near side. 1 found, 0 none, -1 error. */
static int find_flip(actx *a, int m, int dir, flip *fl)
{
    crossing c[MAX_CANDIDATES];
    size_t n = candidates(a, m, dir, c, MAX_CANDIDATES);
    for (size_t i = 0; i < n; i++) {
        crossing x = c[i];
        metric_force f;
        outcome o;
        force_point(a, m, x.at, &f);
        if (eval_at(a, &f, a->s.date, &o) != 0)
            return -1;
        if (outcome_same(&o, &a->base_out))
            continue;
        memset(fl, 0, sizeof *fl);
        fl->slot = m;
        fl->dir = dir;
        fl->from = a->val[m];
        fl->line = x.line;
        fl->at = x.at;
        fl->before = x.before;
        fl->after_out = o;
        force_point(a, m, x.before, &f);
        if (eval_at(a, &f, a->s.date, &fl->before_out) != 0)
            return -1;
        fl->confirmed = outcome_same(&fl->before_out, &a->base_out);
        flip_rules(a, fl);
        return 1;
    }
    return 0;
}

static double pct(double part, double whole) { return whole != 0 ? round(part / fabs(whole) * 10000) / 100 : NAN; }

static cJSON *flip_json(actx *a, const flip *fl)
{
    cJSON *j = cJSON_CreateObject();
    const leaf *l = &a->lv[fl->by[0]];
    cmp_op op = line_side(l->op, l->f.a[fl->slot]) == SIDE_DOWN ? (fl->dir > 0 ? OP_GT : OP_LE)
                                                                : (fl->dir > 0 ? OP_GE : OP_LT);
    put_str(a, j, "metric", slot_name(a, fl->slot));
    put_str(a, j, "direction", fl->dir > 0 ? "up" : "down");
    put_num(a, j, "from", fl->from);
    put_str(a, j, "op", cmp_op_text(op));
    put_num(a, j, "line", fl->line);
    put_num(a, j, "change", fl->line - fl->from);
    put_num(a, j, "change_pct", pct(fl->line - fl->from, fl->from));
    cJSON *b = put(a, j, "before", outcome_json(a, &fl->before_out));
    put_num(a, b, "value", fl->before);
    cJSON *af = put(a, j, "after", outcome_json(a, &fl->after_out));
    put_num(a, af, "value", fl->at);
    put_bool(a, j, "confirmed", fl->confirmed);
    put_rules(a, j, "rules", fl->by, fl->nby);
    return j;
}

/* Is y stricter than the current outcome (a line the chip was designed under when it is allowed)? */
static int stricter(const outcome *x, const outcome *base) { return outcome_rank(x) > outcome_rank(base); }

/* Flips of every slot in mask with a known value, up and down; the nearest that makes the outcome stricter
 * goes to "nearest_line". */
static void put_flips(actx *a, cJSON *root, uint32_t mask)
{
    cJSON *arr = put(a, root, "flips", cJSON_CreateArray());
    flip best, fl;
    int have_best = 0;
    for (int m = 0; m < MAX_SLOTS && !a->failed; m++) {
        if (!((mask >> m) & 1u) || !a->have[m])
            continue;
        for (int dir = 1; dir >= -1 && !a->failed; dir -= 2) {
            if (find_flip(a, m, dir, &fl) != 1)
                continue;
            put(a, arr, NULL, flip_json(a, &fl));
            double dist = fabs(pct(fl.line - fl.from, fl.from));
            if (stricter(&fl.after_out, &a->base_out) &&
                (!have_best || dist < fabs(pct(best.line - best.from, best.from)))) {
                best = fl;
                have_best = 1;
            }
        }
    }
    put(a, root, "nearest_line", have_best ? flip_json(a, &best) : cJSON_CreateNull());
}

/* The numeric checks that hold in the rules gained on a date ("memory_bandwidth_gbs 4000 >= 1400"). */
static void put_gained_checks(actx *a, cJSON *j, const chipcheck_decision *d, const char *gained)
{
    cJSON *arr = put(a, j, "checks", cJSON_CreateArray());
    for (size_t i = 0; i < d->nreasons; i++) {
        const struct chipcheck_reason *re = &d->reasons[i];
        if (re->result != TV_TRUE || !re->code || !list_has(gained, re->code, strlen(re->code)))
            continue;
        for (size_t k = 0; k < re->nchecks; k++) {
            const check *ch = &re->checks[k];
            if (ch->vt != V_NUM || ch->tt != V_NUM || ch->result != TV_TRUE || ch->negated)
                continue;
            cJSON *c = put(a, arr, NULL, cJSON_CreateObject());
            put_str(a, c, "code", re->code);
            put_str(a, c, "metric", ch->metric);
            put_str(a, c, "op", ch->op);
            put_num(a, c, "threshold", ch->tnum);
            put_num(a, c, "value", ch->vnum);
        }
    }
}

/* Every later version (any regime) whose effective date changes the verdict or policy, in date order. */
static void put_date_flips(actx *a, cJSON *root)
{
    cJSON *arr = put(a, root, "date_flips", cJSON_CreateArray());
    outcome prev = a->base_out, o;
    int last = a->s.date;
    for (;;) {
        int next = 0;
        for (size_t i = 0; i < a->R->nversions; i++) {
            int e = a->R->versions[i].file->effective_ymd;
            if (e > last && (!next || e < next))
                next = e;
        }
        chipcheck_decision *d = next ? eval_decision(a, NULL, next) : NULL;
        if (!d)
            return;
        outcome_of(d, &o);
        last = next;
        if (outcome_same(&o, &prev)) {
            chipcheck_decision_free(d);
            continue;
        }
        cJSON *j = put(a, arr, NULL, cJSON_CreateObject());
        char date[11], gained[480], lost[480], word[128];
        date_format(next, date);
        put_str(a, j, "date", date);
        cJSON *vs = put(a, j, "versions", cJSON_CreateArray());
        for (size_t i = 0; i < a->R->nversions; i++)
            if (a->R->versions[i].file->effective_ymd == next) {
                snprintf(word, sizeof word, "%s@%s", a->R->versions[i].file->regime, a->R->versions[i].file->version);
                put_str(a, vs, NULL, word);
            }
        put(a, j, "before", outcome_json(a, &prev));
        put(a, j, "after", outcome_json(a, &o));
        list_minus(o.codes, prev.codes, gained, sizeof gained);
        list_minus(prev.codes, o.codes, lost, sizeof lost);
        put_list(a, j, "gained", gained);
        put_list(a, j, "lost", lost);
        put_gained_checks(a, j, d, gained);
        chipcheck_decision_free(d);
        prev = o;
    }
}

/* ---- headroom ------------------------------------------------------------------------------------- */

static int same_comparison(const leaf *x, const leaf *y)
{
    return x->op == y->op && !strcmp(x->k->left_text, y->k->left_text) && !strcmp(x->k->right_text, y->k->right_text);
}

/* For comparison i (the first of its kind): what moving each of its metrics just across its line gives. */
static void put_crossings(actx *a, cJSON *j, const leaf *l)
{
    cJSON *arr = put(a, j, "crossings", cJSON_CreateArray());
    for (int m = 0; m < MAX_SLOTS && !a->failed; m++) {
        crossing up, down, *x = NULL;
        int u = leaf_crossing(a, l, m, 1, &up), d = leaf_crossing(a, l, m, -1, &down);
        if (u && (!d || fabs(up.at - a->val[m]) <= fabs(down.at - a->val[m])))
            x = &up;
        else if (d)
            x = &down;
        if (!x)
            continue;
        metric_force f;
        outcome o;
        force_point(a, m, x->at, &f);
        if (eval_at(a, &f, a->s.date, &o) != 0)
            return;
        cJSON *c = put(a, arr, NULL, outcome_json(a, &o));
        put_str(a, c, "metric", slot_name(a, m));
        put_num(a, c, "at", x->at);
        put_bool(a, c, "changes_verdict", !outcome_same(&o, &a->base_out));
    }
}

/* Every comparison the rules in force make on the chip's metrics, each text once with all its rules. */
static void put_comparisons(actx *a, cJSON *root)
{
    cJSON *arr = put(a, root, "comparisons", cJSON_CreateArray());
    for (size_t i = 0; i < a->nl && !a->failed; i++) {
        const leaf *l = &a->lv[i];
        size_t k = 0, idx[64], n = 0;
        while (k < i && !(a->lv[k].linear && same_comparison(&a->lv[k], l)))
            k++;
        if (!l->linear || k < i)
            continue;
        for (k = i; k < a->nl && n < 64; k++)
            if (a->lv[k].linear && same_comparison(&a->lv[k], l))
                idx[n++] = k;
        double v = 0, t = 0;
        int vk = expr_eval(l->k->left, a->val, a->have, NULL, &v);
        int tk = expr_eval(l->k->right, a->val, a->have, NULL, &t);
        cJSON *j = put(a, arr, NULL, cJSON_CreateObject());
        put_str(a, j, "expr", l->k->left_text);
        put_str(a, j, "op", cmp_op_text(l->op));
        put_str(a, j, "threshold_expr", l->k->right_text);
        put_num(a, j, "threshold", tk ? t : NAN);
        put_num(a, j, "value", vk ? v : NAN);
        if (vk && tk)
            put_bool(a, j, "result", holds(v - t, l->op));
        else
            put_str(a, j, "result", "unknown");
        put_num(a, j, "margin", vk && tk ? v - t : NAN);
        put_num(a, j, "margin_pct", vk && tk ? pct(v - t, t) : NAN);
        put_rules(a, j, "rules", idx, n);
        put_crossings(a, j, l);
    }
}

/* The chip's figures the comparisons read: value (null when not given) and where it came from. */
static void put_metrics(actx *a, cJSON *root, uint32_t mask)
{
    cJSON *ms = put(a, root, "metrics", cJSON_CreateObject());
    for (int m = 0; m < MAX_SLOTS; m++) {
        if (!((mask >> m) & 1u))
            continue;
        cJSON *j = put(a, ms, slot_name(a, m), cJSON_CreateObject());
        put_num(a, j, "value", a->have[m] ? a->val[m] : NAN);
        put_str(a, j, "source", a->have[m] ? a->src[m] : "missing");
    }
}

/* Evaluate the shipment as given and collect the comparisons of the versions in force. 0 or -1. */
static int start(actx *a, const ship *s)
{
    a->s = *s;
    a->s.force = NULL;
    if (!(a->base = evaluate_ship(a->R, &a->s, a->o, a->err))) {
        a->failed = 1;
        return -1;
    }
    outcome_of(a->base, &a->base_out);
    if (collect(a) != 0) {
        a->oom = 1;
        return -1;
    }
    return 0;
}

static int finish(actx *a, cJSON *root)
{
    if (!a->failed && !a->oom) {
        char *t = (a->flags & CHIPCHECK_JSON_PRETTY) ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
        a->out = t ? xstrdup(t) : NULL;
        cJSON_free(t);
        a->oom = !a->out;
    }
    cJSON_Delete(root);
    if (a->failed)
        return a->err->code ? a->err->code : CHIPCHECK_ERR_NOMEM;
    return a->oom ? err_set(a->err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory") : 0;
}

static int headroom_visit(void *ctx, const ship *s)
{
    actx *a = ctx;
    cJSON *root = cJSON_CreateObject();
    if (!root || start(a, s) != 0)
        return finish(a, root);
    put_head(a, root);
    put_metrics(a, root, a->coords);
    put_flips(a, root, a->coords);
    put_date_flips(a, root);
    put_comparisons(a, root);
    put_not_analysed(a, root);
    return finish(a, root);
}

static void actx_free(actx *a)
{
    chipcheck_decision_free(a->base);
    free(a->lv);
}

char *chipcheck_headroom(const chipcheck_rules *rules, const char *json, const chipcheck_options *opts, unsigned flags,
                         chipcheck_error *err)
{
    chipcheck_error local;
    actx a;
    memset(&a, 0, sizeof a);
    a.R = rules;
    a.o = opts;
    a.err = err ? err : &local;
    a.flags = flags;
    int rc = ship_from_json(rules, json, opts, headroom_visit, &a, a.err);
    actx_free(&a);
    if (rc != 0) {
        free(a.out);
        return NULL;
    }
    return a.out;
}

/* ---- the envelope: cells of metric space ----------------------------------------------------------- */

typedef struct idxlist { size_t *v; size_t n, cap; } idxlist; /* comparisons (leaf indices) drawn at a line */

typedef struct brk { double v; int side; idxlist src; } brk;
typedef struct ivl { double lo, hi; int lo_in, hi_in; } ivl; /* hi is INFINITY for the last */
typedef struct axis {
    int slot;
    brk *b; size_t nb, capb;
    ivl *iv; size_t niv;
    double top;                      /* where sampling stops in the unbounded last interval */
} axis;
/* A comparison over two or more varied metrics: sum of f.a[slot] * x[slot] + f.c  op  0. */
typedef struct plane { lin f; cmp_op op; idxlist src; int relevant; } plane;
/* One piece of a cell: the interval of each axis and, for each plane, the side it is on (+1 holds, -1 not,
 * 0 either: an irrelevant plane). */
typedef struct piece { int idx[MAX_AXES]; signed char side[MAX_PLANES]; int out; double pt[MAX_AXES]; } piece;
typedef struct box { int lo[MAX_AXES], hi[MAX_AXES]; signed char side[MAX_PLANES]; int out; } box;

typedef struct env {
    axis ax[MAX_AXES]; size_t nax;
    plane pl[MAX_PLANES]; size_t npl;
    double held[MAX_SLOTS];          /* the value of every coordinate that is not varied */
    const char *held_why[MAX_SLOTS];  /* "chip", "zero", or the rule whose classification needs it */
    piece *pc; size_t npc, cappc;
    outcome outs[MAX_OUTCOMES]; size_t nouts;
    box *bx; size_t nbx;
} env;

static int idx_push(idxlist *l, size_t v)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i] == v)
            return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        size_t *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = v;
    return 0;
}

static void env_free(env *e)
{
    if (!e)
        return;
    for (size_t k = 0; k < e->nax; k++) {
        for (size_t i = 0; i < e->ax[k].nb; i++)
            free(e->ax[k].b[i].src.v);
        free(e->ax[k].b);
        free(e->ax[k].iv);
    }
    for (size_t p = 0; p < e->npl; p++)
        free(e->pl[p].src.v);
    free(e->pc);
    free(e->bx);
    free(e);
}

static int axis_of(const env *e, int slot)
{
    for (size_t k = 0; k < e->nax; k++)
        if (e->ax[k].slot == slot)
            return (int)k;
    return -1;
}

/* The metrics to vary: the names asked for, or every coordinate. 0, or an error status. */
static int env_axes(actx *a, env *e)
{
    for (size_t i = 0; i < a->nmetrics; i++) {
        int slot = a->metrics[i] ? slot_of(a, a->metrics[i]) : -1;
        if (slot < 0)
            return err_set(a->err, CHIPCHECK_ERR_ARG, "<envelope>", 0, 0, "metrics",
                           "'%.64s' is not a metric of the rules loaded", a->metrics[i] ? a->metrics[i] : "(null)");
        if (axis_of(e, slot) >= 0)
            continue;
        if (e->nax == MAX_AXES)
            return err_set(a->err, CHIPCHECK_ERR_ARG, "<envelope>", 0, 0, "metrics", "at most %d metrics", MAX_AXES);
        e->ax[e->nax++].slot = slot;
    }
    for (size_t k = 0; k < e->nax; k++) /* a metric no rule in force compares is still an axis (a flat one) */
        a->coords |= (uint32_t)1 << e->ax[k].slot;
    for (int m = 0; !a->nmetrics && m < MAX_SLOTS && e->nax < MAX_AXES; m++)
        if ((a->coords >> m) & 1u)
            e->ax[e->nax++].slot = m;
    return 0;
}

/* The lowest value of slot h at which a classification that also compares a varied metric can hold: its
 * largest lower bound on h (x >= b, or x > b), or 0. So a map of tpp shows the 2022 class, which also needs
 * interconnect >= 600. */
static double context_value(const actx *a, const env *e, int h, const char **why)
{
    double best = 0;
    *why = "zero";
    for (size_t i = 0; i < a->nl; i++) {
        const leaf *l = &a->lv[i];
        lin only = {{0}, 0};
        only.a[h] = l->f.a[h];
        if (!l->linear || l->negated || l->r->kind != R_CLASSIFICATION || l->f.a[h] == 0 ||
            memcmp(&only.a, &l->f.a, sizeof only.a) != 0 || line_side(l->op, l->f.a[h]) == SIDE_POINT)
            continue;
        int lower = (l->op == OP_GE || l->op == OP_GT) == (l->f.a[h] > 0);
        int varied_too = 0;
        for (size_t k = 0; k < a->nl && !varied_too; k++)
            for (size_t x = 0; a->lv[k].r == l->r && a->lv[k].linear && x < e->nax; x++)
                varied_too |= a->lv[k].f.a[e->ax[x].slot] != 0;
        double b = -l->f.c / l->f.a[h];
        if (lower && varied_too && b > best) {
            best = line_side(l->op, l->f.a[h]) == SIDE_UP ? b : b + step_of(b);
            *why = l->r->id;
        }
    }
    return best;
}

/* Every coordinate that is not varied is held: at the chip's figure, else at its context value. */
static void env_hold(actx *a, env *e)
{
    for (int m = 0; m < MAX_SLOTS; m++) {
        if (!((a->coords >> m) & 1u) || axis_of(e, m) >= 0)
            continue;
        if (a->have[m]) {
            e->held[m] = a->val[m];
            e->held_why[m] = "chip";
        } else {
            e->held[m] = context_value(a, e, m, &e->held_why[m]);
        }
    }
}

static int add_break(axis *x, double v, int side, size_t leaf_idx)
{
    size_t i = 0;
    while (i < x->nb && x->b[i].v != v)
        i++;
    if (i == x->nb) {
        if (x->nb == x->capb) {
            size_t cap = x->capb ? x->capb * 2 : 8;
            brk *nb = realloc(x->b, cap * sizeof *nb);
            if (!nb)
                return -1;
            x->b = nb;
            x->capb = cap;
        }
        x->b[x->nb++] = (brk){v, side, {NULL, 0, 0}};
    } else if (x->b[i].side != side) {
        x->b[i].side = SIDE_POINT; /* one comparison puts the line above, another below: a cell of its own */
    }
    return idx_push(&x->b[i].src, leaf_idx);
}

static int add_plane(actx *a, env *e, const lin *g, cmp_op op, size_t leaf_idx)
{
    size_t p = 0;
    while (p < e->npl && !(e->pl[p].op == op && !memcmp(&e->pl[p].f, g, sizeof *g)))
        p++;
    if (p == e->npl) {
        if (e->npl == MAX_PLANES)
            return err_set(a->err, CHIPCHECK_ERR_RULES, "<envelope>", 0, 0, "rules",
                           "envelope: more than %d comparisons over several metrics at once", MAX_PLANES);
        memset(&e->pl[p], 0, sizeof e->pl[p]);
        e->pl[p].f = *g;
        e->pl[p].op = op;
        e->npl++;
    }
    return idx_push(&e->pl[p].src, leaf_idx) ? CHIPCHECK_ERR_NOMEM : 0;
}

/* Each linear comparison, with the held metrics put in: a line on one axis, or a plane over several. */
static int env_lines(actx *a, env *e)
{
    for (size_t i = 0; i < a->nl; i++) {
        const leaf *l = &a->lv[i];
        if (!l->linear)
            continue;
        lin g = {{0}, l->f.c};
        int nvar = 0, k = -1;
        for (int m = 0; m < MAX_SLOTS; m++) {
            if (l->f.a[m] == 0)
                continue;
            if (axis_of(e, m) < 0) {
                g.c += l->f.a[m] * e->held[m];
            } else {
                g.a[m] = l->f.a[m];
                nvar++;
                k = axis_of(e, m);
            }
        }
        int rc = 0;
        if (nvar == 1 && add_break(&e->ax[k], -g.c / g.a[e->ax[k].slot], line_side(l->op, g.a[e->ax[k].slot]), i))
            rc = CHIPCHECK_ERR_NOMEM;
        else if (nvar > 1)
            rc = add_plane(a, e, &g, l->op, i);
        if (rc)
            return rc == CHIPCHECK_ERR_NOMEM ? err_set(a->err, rc, "", 0, 0, NULL, "out of memory") : rc;
    }
    return 0;
}

static int by_value(const void *pa, const void *pb)
{
    const brk *x = pa, *y = pb;
    return x->v < y->v ? -1 : x->v > y->v;
}

/* The intervals of an axis between its lines, from 0 (metrics are never negative) up. */
static int axis_intervals(axis *x, const env *e)
{
    if (x->nb > 1)
        qsort(x->b, x->nb, sizeof *x->b, by_value);
    x->iv = malloc((2 * x->nb + 1) * sizeof *x->iv);
    if (!x->iv)
        return -1;
    double lo = 0, top = 1;
    int lo_in = 1;
    for (size_t i = 0; i < x->nb; i++) {
        double b = x->b[i].v;
        int side = x->b[i].side;
        if (b < 0 || (b == 0 && side == SIDE_UP))
            continue;
        if (b > lo || (b == lo && lo_in && side == SIDE_DOWN))
            x->iv[x->niv++] = (ivl){lo, b, lo_in, side == SIDE_DOWN};
        if (side == SIDE_POINT)
            x->iv[x->niv++] = (ivl){b, b, 1, 1};
        lo = b;
        lo_in = side == SIDE_UP;
        top = fmax(top, b);
    }
    x->iv[x->niv++] = (ivl){lo, INFINITY, lo_in, 0};
    for (size_t p = 0; p < e->npl; p++) /* sample far enough that every plane crosses inside */
        if (e->pl[p].f.a[x->slot] != 0)
            top = fmax(top, fabs(e->pl[p].f.c / e->pl[p].f.a[x->slot]));
    x->top = 2 * top;
    return 0;
}

/* A point of an interval at fraction t (a single-value interval: its value). */
static double ivl_at(const ivl *v, double top, double t)
{
    double hi = isinf(v->hi) ? top : v->hi;
    return v->lo == v->hi ? v->lo : v->lo + (hi - v->lo) * t;
}

/* The value of plane p at point x (x indexed by axis). */
static double plane_at(const env *e, const plane *p, const double *x)
{
    double v = p->f.c;
    for (size_t k = 0; k < e->nax; k++)
        v += p->f.a[e->ax[k].slot] * x[k];
    return v;
}

/* The lowest and highest value of plane p over the sampled extent of cell idx. */
static void plane_range(const env *e, const plane *p, const int *idx, double *lo, double *hi)
{
    *lo = *hi = p->f.c;
    for (size_t k = 0; k < e->nax; k++) {
        double c = p->f.a[e->ax[k].slot];
        const ivl *v = &e->ax[k].iv[idx[k]];
        double a0 = c * v->lo, a1 = c * (isinf(v->hi) ? e->ax[k].top : v->hi);
        *lo += fmin(a0, a1);
        *hi += fmax(a0, a1);
    }
}

/* Force the varied metrics to x and the others to their held values. */
static void env_force(const actx *a, const env *e, const double *x, metric_force *f)
{
    memset(f, 0, sizeof *f);
    for (int m = 0; m < MAX_SLOTS; m++)
        if ((a->coords >> m) & 1u) {
            f->set[m] = 1;
            f->val[m] = e->held[m];
        }
    for (size_t k = 0; k < e->nax; k++)
        f->val[e->ax[k].slot] = x[k];
}

/* The outcome at x, interned. -1 on error. */
static int env_eval(actx *a, env *e, const double *x)
{
    metric_force f;
    outcome o;
    env_force(a, e, x, &f);
    if (eval_at(a, &f, a->s.date, &o) != 0)
        return -1;
    for (size_t i = 0; i < e->nouts; i++)
        if (outcome_equal(&e->outs[i], &o))
            return (int)i;
    if (e->nouts == MAX_OUTCOMES) {
        err_set(a->err, CHIPCHECK_ERR_RULES, "<envelope>", 0, 0, "rules", "envelope: more than %d outcomes", MAX_OUTCOMES);
        a->failed = 1;
        return -1;
    }
    e->outs[e->nouts] = o;
    return (int)e->nouts++;
}

/* Sample points of a cell, each e->nax values: the middle first, then others; along the axes in fine (read by a
 * plane that crosses the cell) a lattice of fractions. Returns how many were written (at most max). */
static size_t cell_samples(const env *e, const int *idx, uint32_t fine, double *pts, size_t max)
{
    static const double frac[] = {0.5, 0.3, 0.02, 0.98, 0.25, 0.75, 0.1, 0.9};
    size_t nf = sizeof frac / sizeof frac[0], total = 1, n = 0;
    for (size_t k = 0; k < e->nax; k++)
        total *= ((fine >> k) & 1u) ? nf : 1;
    if (!fine)
        total = 2;
    for (size_t t = 0; t < total && n < max; t++, n++) {
        size_t r = t;
        for (size_t k = 0; k < e->nax; k++) {
            double f = 0.5;
            if (!fine) {
                f = frac[t];
            } else if ((fine >> k) & 1u) {
                f = frac[r % nf];
                r /= nf;
            }
            pts[n * e->nax + k] = ivl_at(&e->ax[k].iv[idx[k]], e->ax[k].top, f);
        }
    }
    return n;
}

static piece *new_piece(actx *a, env *e)
{
    if (e->npc == e->cappc) {
        size_t cap = e->cappc ? e->cappc * 2 : 256;
        piece *np = realloc(e->pc, cap * sizeof *np);
        if (!np) {
            a->oom = 1;
            return NULL;
        }
        e->pc = np;
        e->cappc = cap;
    }
    piece *p = &e->pc[e->npc++];
    memset(p, 0, sizeof *p);
    return p;
}

/* The side of every plane at x into side; 0 when x lies on a plane (not a usable sample). */
static int sides_at(const env *e, const double *x, signed char *side)
{
    for (size_t p = 0; p < e->npl; p++) {
        double v = plane_at(e, &e->pl[p], x);
        if (v == 0)
            return 0;
        side[p] = holds(v, e->pl[p].op) ? 1 : -1;
    }
    return 1;
}

/* Evaluate each piece of cell idx: the planes crossing it split it; every side pattern among the samples is
 * evaluated at its first point and confirmed at its second (a differing outcome is an error: the rules compare
 * the metrics in a way this analysis does not read). 0, or -1 with err set. */
static int env_cell(actx *a, env *e, const int *idx, double *pts, size_t maxpts)
{
    uint32_t fine = 0;
    for (size_t p = 0; p < e->npl; p++) {
        double lo, hi;
        plane_range(e, &e->pl[p], idx, &lo, &hi);
        for (size_t k = 0; lo < 0 && hi > 0 && k < e->nax; k++)
            fine |= (e->pl[p].f.a[e->ax[k].slot] != 0) << k;
    }
    size_t n = cell_samples(e, idx, fine, pts, maxpts), first = e->npc;
    unsigned char confirmed[512] = {0};
    for (size_t i = 0; i < n; i++) {
        signed char side[MAX_PLANES];
        const double *x = &pts[i * e->nax];
        if (!sides_at(e, x, side))
            continue;
        size_t j = first;
        while (j < e->npc && memcmp(e->pc[j].side, side, e->npl) != 0)
            j++;
        if (j < e->npc && (j - first >= sizeof confirmed || confirmed[j - first]++))
            continue;
        int out = env_eval(a, e, x);
        if (out < 0)
            return -1;
        if (j < e->npc) {
            if (out == e->pc[j].out)
                continue;
            a->failed = 1;
            return err_set(a->err, CHIPCHECK_ERR_RULES, "<envelope>", 0, 0, "rules",
                           "envelope: the outcome changes between the lines read from the rules (near %s = %g); a "
                           "comparison there is not linear in the metrics", slot_name(a, e->ax[0].slot), x[0]);
        }
        piece *pc = new_piece(a, e);
        if (!pc)
            return -1;
        memcpy(pc->idx, idx, sizeof pc->idx);
        memcpy(pc->side, side, sizeof pc->side);
        memcpy(pc->pt, x, e->nax * sizeof *x);
        pc->out = out;
    }
    return 0;
}

/* Every cell of the grid of intervals. 0, or -1 with err set. */
static int env_cells(actx *a, env *e)
{
    int idx[MAX_AXES] = {0};
    size_t maxpts = 4096;
    double *pts = malloc(maxpts * MAX_AXES * sizeof *pts);
    if (!pts) {
        a->oom = 1;
        return -1;
    }
    for (;;) {
        if (env_cell(a, e, idx, pts, maxpts) != 0)
            break;
        size_t k = e->nax;
        while (k > 0 && ++idx[k - 1] == (int)e->ax[k - 1].niv)
            idx[--k] = 0;
        if (k == 0) {
            free(pts);
            return 0;
        }
    }
    free(pts);
    return -1;
}

/* A plane matters when, in some cell it crosses, its two sides have different outcomes; the sides of one that
 * does not are dropped (0) and the pieces it split are joined again. */
static void env_relevance(env *e)
{
    for (size_t p = 0; p < e->npl; p++) {
        for (size_t i = 0; i < e->npc && !e->pl[p].relevant; i++)
            for (size_t j = i + 1; j < e->npc && !memcmp(e->pc[j].idx, e->pc[i].idx, sizeof e->pc[i].idx); j++)
                if (e->pc[i].side[p] != e->pc[j].side[p] && e->pc[i].out != e->pc[j].out)
                    e->pl[p].relevant = 1;
        for (size_t i = 0; !e->pl[p].relevant && i < e->npc; i++)
            e->pc[i].side[p] = 0;
    }
    size_t w = 0;
    for (size_t i = 0; i < e->npc; i++) {
        int joined = 0;
        for (size_t j = w; j > 0 && !joined && !memcmp(e->pc[j - 1].idx, e->pc[i].idx, sizeof e->pc[i].idx); j--)
            joined = !memcmp(e->pc[j - 1].side, e->pc[i].side, e->npl);
        if (!joined)
            e->pc[w++] = e->pc[i];
    }
    e->npc = w;
}

/* ---- the envelope: boxes and constraints ------------------------------------------------------------ */

static int box_joinable(const env *e, const box *x, const box *y, size_t k)
{
    if (!outcome_same(&e->outs[x->out], &e->outs[y->out]) || memcmp(x->side, y->side, e->npl) != 0)
        return 0;
    for (size_t d = 0; d < e->nax; d++)
        if (d != k && (x->lo[d] != y->lo[d] || x->hi[d] != y->hi[d]))
            return 0;
    return x->hi[k] + 1 == y->lo[k] || y->hi[k] + 1 == x->lo[k];
}

static int join_along(env *e, size_t k)
{
    int joined = 0;
    for (size_t i = 0; i < e->nbx; i++)
        for (size_t j = i + 1; j < e->nbx;) {
            if (!box_joinable(e, &e->bx[i], &e->bx[j], k)) {
                j++;
                continue;
            }
            e->bx[i].lo[k] = e->bx[i].lo[k] < e->bx[j].lo[k] ? e->bx[i].lo[k] : e->bx[j].lo[k];
            e->bx[i].hi[k] = e->bx[i].hi[k] > e->bx[j].hi[k] ? e->bx[i].hi[k] : e->bx[j].hi[k];
            memmove(&e->bx[j], &e->bx[j + 1], (e->nbx - j - 1) * sizeof *e->bx);
            e->nbx--;
            joined = 1;
        }
    return joined;
}

/* Does every piece inside box b (its intervals, and the sides it asks for) have the verdict and policy of out? */
static int box_inside(const env *e, const box *b, const outcome *out)
{
    for (size_t i = 0; i < e->npc; i++) {
        const piece *pc = &e->pc[i];
        int in = 1;
        for (size_t k = 0; k < e->nax && in; k++)
            in = pc->idx[k] >= b->lo[k] && pc->idx[k] <= b->hi[k];
        for (size_t p = 0; p < e->npl && in; p++)
            in = !b->side[p] || !pc->side[p] || b->side[p] == pc->side[p];
        if (in && !outcome_same(&e->outs[pc->out], out))
            return 0;
    }
    return 1;
}

/* Grow a box as far as its outcome reaches: drop the plane sides it does not need, then widen each axis, down and
 * up, one interval at a time. Boxes may then overlap: "tpp < 2400 and performance_density < 3.2". */
static void box_grow(const env *e, box *b)
{
    const outcome *out = &e->outs[b->out];
    int grown;
    do {
        grown = 0;
        for (size_t p = 0; p < e->npl; p++) {
            signed char keep = b->side[p];
            b->side[p] = 0;
            if (keep && !box_inside(e, b, out))
                b->side[p] = keep;
            grown |= keep && !b->side[p];
        }
        for (size_t k = 0; k < e->nax; k++)
            for (int dir = -1; dir <= 1; dir += 2) {
                int *edge = dir < 0 ? &b->lo[k] : &b->hi[k], limit = dir < 0 ? 0 : (int)e->ax[k].niv - 1;
                while (*edge != limit) {
                    *edge += dir;
                    if (!box_inside(e, b, out)) {
                        *edge -= dir;
                        break;
                    }
                    grown = 1;
                }
            }
    } while (grown);
}

/* Is box x inside box y (so that y says all x says)? */
static int box_within(const env *e, const box *x, const box *y)
{
    if (!outcome_same(&e->outs[x->out], &e->outs[y->out]))
        return 0;
    for (size_t k = 0; k < e->nax; k++)
        if (x->lo[k] < y->lo[k] || x->hi[k] > y->hi[k])
            return 0;
    for (size_t p = 0; p < e->npl; p++)
        if (y->side[p] && y->side[p] != x->side[p])
            return 0;
    return 1;
}

/* Grow every box, then drop each box another one covers. */
static void boxes_simplify(env *e)
{
    for (size_t i = 0; i < e->nbx; i++)
        box_grow(e, &e->bx[i]);
    for (size_t i = 0; i < e->nbx;) {
        size_t j = 0;
        while (j < e->nbx && (j == i || !box_within(e, &e->bx[i], &e->bx[j]) ||
                              (box_within(e, &e->bx[j], &e->bx[i]) && j > i)))
            j++;
        if (j == e->nbx) {
            i++;
            continue;
        }
        memmove(&e->bx[i], &e->bx[i + 1], (e->nbx - i - 1) * sizeof *e->bx);
        e->nbx--;
    }
}

/* The pieces as boxes, joined where the verdict and policy agree: along the last axis first, so that the first
 * axis (tpp) reads as bands ("1600 <= tpp < 2400 and performance_density < 3.2"); then grown and simplified. */
static int env_boxes(actx *a, env *e)
{
    if (!(e->bx = malloc((e->npc ? e->npc : 1) * sizeof *e->bx))) {
        a->oom = 1;
        return -1;
    }
    for (size_t i = 0; i < e->npc; i++) {
        box *b = &e->bx[e->nbx++];
        memcpy(b->lo, e->pc[i].idx, sizeof b->lo);
        memcpy(b->hi, e->pc[i].idx, sizeof b->hi);
        memcpy(b->side, e->pc[i].side, sizeof b->side);
        b->out = e->pc[i].out;
    }
    int joined;
    do {
        joined = 0;
        for (size_t k = e->nax; k > 0; k--)
            joined |= join_along(e, k - 1);
    } while (joined);
    boxes_simplify(e);
    return 0;
}

/* Does the box lie wholly on the given side of plane p (so that saying it adds nothing)? */
static int plane_implied(const env *e, const plane *p, const box *b, int side)
{
    double inf = p->f.c, sup = p->f.c;
    for (size_t k = 0; k < e->nax; k++) {
        double c = p->f.a[e->ax[k].slot], lo = e->ax[k].iv[b->lo[k]].lo, hi = e->ax[k].iv[b->hi[k]].hi;
        if (c > 0) {
            inf += c * lo;
            sup += c * hi;
        } else if (c < 0) {
            inf += c * hi;
            sup += c * lo;
        }
    }
    switch (side > 0 ? p->op : op_negate(p->op)) {
    case OP_GE: return inf >= 0;
    case OP_GT: return inf > 0;
    case OP_LE: return sup <= 0;
    case OP_LT: return sup < 0;
    case OP_EQ: return inf == 0 && sup == 0;
    case OP_NE: return inf > 0 || sup < 0;
    }
    return 0;
}

/* The codes whose result differs between pieces on the two sides of a line: the break of axis k at v (k >= 0), or
 * plane p (k < 0), wherever the line is crossed. */
static void changed_codes(const env *e, int k, double v, size_t p, char *out, size_t n)
{
    char part[480];
    out[0] = '\0';
    for (size_t i = 0; i < e->npc; i++)
        for (size_t j = 0; j < e->npc; j++) {
            const piece *x = &e->pc[i], *y = &e->pc[j];
            int across = k >= 0 ? y->idx[k] == x->idx[k] + 1 && e->ax[k].iv[x->idx[k]].hi == v
                                : x->side[p] == 1 && y->side[p] == -1;
            for (size_t d = 0; across && d < e->nax; d++)
                across = (int)d == k || x->idx[d] == y->idx[d];
            for (size_t q = 0; across && q < e->npl; q++)
                across = (k < 0 && q == p) || x->side[q] == y->side[q];
            if (!across || x->out == y->out)
                continue;
            list_minus(e->outs[x->out].codes, e->outs[y->out].codes, part, sizeof part);
            list_union(out, n, part);
            list_minus(e->outs[y->out].codes, e->outs[x->out].codes, part, sizeof part);
            list_union(out, n, part);
        }
}

/* One constraint: {"metric" or "expr", "op", "value", "text", "rules"}. */
static void put_constraint(actx *a, cJSON *arr, const char *key, const char *name, cmp_op op, double v,
                           const idxlist *src, const char *changed)
{
    cJSON *c = put(a, arr, NULL, cJSON_CreateObject());
    char text[320];
    put_str(a, c, key, name);
    put_str(a, c, "op", cmp_op_text(op));
    put_num(a, c, "value", v);
    snprintf(text, sizeof text, "%s %s %.15g", name, cmp_op_text(op), tidy(v));
    put_str(a, c, "text", text);
    put_rules_changed(a, c, "rules", src ? src->v : NULL, src ? src->n : 0, changed);
}

static const idxlist *break_src(const axis *x, double v)
{
    for (size_t i = 0; i < x->nb; i++)
        if (x->b[i].v == v)
            return &x->b[i].src;
    return NULL;
}

/* The left side of a plane as text, its leading coefficient made positive (*sign -1 when it was negated). */
static void plane_text(const actx *a, const env *e, const plane *p, char *out, size_t n, int *sign)
{
    size_t used = 0;
    *sign = 0;
    out[0] = '\0';
    for (size_t k = 0; k < e->nax; k++) {
        double c = p->f.a[e->ax[k].slot];
        if (c == 0)
            continue;
        if (!*sign)
            *sign = c < 0 ? -1 : 1;
        c *= *sign;
        const char *op = used == 0 ? (c < 0 ? "-" : "") : (c < 0 ? " - " : " + ");
        int w = fabs(c) == 1 ? snprintf(out + used, n - used, "%s%s", op, slot_name(a, e->ax[k].slot))
                             : snprintf(out + used, n - used, "%s%.15g*%s", op, fabs(c), slot_name(a, e->ax[k].slot));
        used = w < 0 || (size_t)w >= n - used ? n - 1 : used + (size_t)w;
    }
}

/* The constraints of a box: each axis's bounds that are not the whole range, and each plane it must be on one side
 * of that the box does not imply. */
static cJSON *box_constraints(actx *a, const env *e, const box *b)
{
    cJSON *arr = cJSON_CreateArray();
    char changed[960];
    for (size_t k = 0; k < e->nax; k++) {
        const axis *x = &e->ax[k];
        const ivl *lo = &x->iv[b->lo[k]], *hi = &x->iv[b->hi[k]];
        const char *name = slot_name(a, x->slot);
        if (lo->lo == lo->hi && b->lo[k] == b->hi[k]) {
            changed_codes(e, (int)k, lo->lo, 0, changed, sizeof changed);
            put_constraint(a, arr, "metric", name, OP_EQ, lo->lo, break_src(x, lo->lo), changed);
            continue;
        }
        if (lo->lo > 0 || !lo->lo_in) {
            changed_codes(e, (int)k, lo->lo, 0, changed, sizeof changed);
            put_constraint(a, arr, "metric", name, lo->lo_in ? OP_GE : OP_GT, lo->lo, break_src(x, lo->lo), changed);
        }
        if (!isinf(hi->hi)) {
            changed_codes(e, (int)k, hi->hi, 0, changed, sizeof changed);
            put_constraint(a, arr, "metric", name, hi->hi_in ? OP_LE : OP_LT, hi->hi, break_src(x, hi->hi), changed);
        }
    }
    for (size_t p = 0; p < e->npl; p++) {
        if (!b->side[p] || plane_implied(e, &e->pl[p], b, b->side[p]))
            continue;
        char text[256];
        int sign;
        cmp_op op = b->side[p] > 0 ? e->pl[p].op : op_negate(e->pl[p].op);
        plane_text(a, e, &e->pl[p], text, sizeof text, &sign);
        changed_codes(e, -1, 0, p, changed, sizeof changed);
        put_constraint(a, arr, "expr", text, sign < 0 ? op_mirror(op) : op, -e->pl[p].f.c * sign, &e->pl[p].src,
                       changed);
    }
    return arr;
}

/* ---- the envelope: JSON ----------------------------------------------------------------------------- */

static int texts_equal(const cJSON *x, const cJSON *y)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "text"));
    const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(y, "text"));
    return s && t && !strcmp(s, t);
}

static int array_has_text(const cJSON *arr, const cJSON *c)
{
    const cJSON *x;
    cJSON_ArrayForEach(x, arr) if (texts_equal(x, c)) return 1;
    return 0;
}

/* The region of one outcome as "all" (constraints every box shares) and "any" (the rest of each box: one of
 * them must hold); "any" is empty when one box needs nothing more. */
static void put_region(actx *a, const env *e, cJSON *obj, const outcome *o)
{
    cJSON *boxes = cJSON_CreateArray(), *all = put(a, obj, "all", cJSON_CreateArray());
    cJSON *any = put(a, obj, "any", cJSON_CreateArray()), *c;
    int trivial = 0;
    for (size_t i = 0; i < e->nbx; i++)
        if (outcome_same(&e->outs[e->bx[i].out], o))
            put(a, boxes, NULL, box_constraints(a, e, &e->bx[i]));
    cJSON *first = cJSON_GetArrayItem(boxes, 0);
    cJSON_ArrayForEach(c, first) {
        int everywhere = 1;
        for (cJSON *b = first ? first->next : NULL; b && everywhere; b = b->next)
            everywhere = array_has_text(b, c);
        if (everywhere)
            put(a, all, NULL, cJSON_Duplicate(c, 1));
    }
    for (cJSON *b = first; b; b = b->next) {
        cJSON *rest = cJSON_CreateArray();
        cJSON_ArrayForEach(c, b) if (!array_has_text(all, c)) put(a, rest, NULL, cJSON_Duplicate(c, 1));
        trivial |= cJSON_GetArraySize(rest) == 0;
        put(a, any, NULL, rest);
    }
    if (trivial)
        while (cJSON_GetArraySize(any) > 0)
            cJSON_DeleteItemFromArray(any, 0);
    cJSON_Delete(boxes);
}

/* Every outcome's region, mildest first; the mildest is the envelope. */
static void put_regions(actx *a, const env *e, cJSON *root)
{
    cJSON *regs = put(a, root, "regions", cJSON_CreateArray());
    int best = -1;
    for (int rank = 0; rank <= 5; rank++)
        for (size_t i = 0; i < e->nouts; i++) {
            size_t k = 0;
            while (k < i && !outcome_same(&e->outs[k], &e->outs[i]))
                k++;
            if (k < i || outcome_rank(&e->outs[i]) != rank)
                continue;
            char missing[480] = "";
            for (size_t j = i; j < e->nouts; j++) /* what the region lacks, over its outcomes */
                if (outcome_same(&e->outs[j], &e->outs[i]))
                    list_union(missing, sizeof missing, e->outs[j].missing);
            for (int env_too = 0; env_too <= (best < 0); env_too++) {
                cJSON *r = put(a, env_too ? root : regs, env_too ? "envelope" : NULL, cJSON_CreateObject());
                put_str(a, r, "verdict", chipcheck_verdict_name(e->outs[i].verdict));
                put_str(a, r, "review_policy", e->outs[i].policy);
                put_list(a, r, "missing", missing);
                put_region(a, e, r, &e->outs[i]);
            }
            best = (int)i;
        }
}

static void put_axes(actx *a, const env *e, cJSON *root)
{
    static const char *const side_names[] = {"above", "below", "point"};
    char changed[960];
    cJSON *axes = put(a, root, "axes", cJSON_CreateArray());
    for (size_t k = 0; k < e->nax; k++) {
        const axis *x = &e->ax[k];
        cJSON *j = put(a, axes, NULL, cJSON_CreateObject());
        put_str(a, j, "metric", slot_name(a, x->slot));
        cJSON *bs = put(a, j, "breaks", cJSON_CreateArray());
        for (size_t i = 0; i < x->nb; i++) {
            cJSON *b = put(a, bs, NULL, cJSON_CreateObject());
            put_num(a, b, "value", x->b[i].v);
            put_str(a, b, "side", side_names[x->b[i].side]);
            changed_codes(e, (int)k, x->b[i].v, 0, changed, sizeof changed);
            put_rules_changed(a, b, "rules", x->b[i].src.v, x->b[i].src.n, changed);
        }
        cJSON *ivs = put(a, j, "intervals", cJSON_CreateArray());
        for (size_t i = 0; i < x->niv; i++) {
            cJSON *v = put(a, ivs, NULL, cJSON_CreateObject());
            put_num(a, v, "lo", x->iv[i].lo);
            put_num(a, v, "hi", x->iv[i].hi);
            put_bool(a, v, "lo_closed", x->iv[i].lo_in);
            put_bool(a, v, "hi_closed", x->iv[i].hi_in);
        }
    }
}

static void put_planes(actx *a, const env *e, cJSON *root)
{
    cJSON *pls = put(a, root, "planes", cJSON_CreateArray());
    char changed[960];
    for (size_t p = 0; p < e->npl; p++) {
        const plane *pl = &e->pl[p];
        cJSON *j = put(a, pls, NULL, cJSON_CreateObject());
        char text[256], full[320];
        int sign;
        plane_text(a, e, pl, text, sizeof text, &sign);
        snprintf(full, sizeof full, "%s %s %.15g", text, cmp_op_text(sign < 0 ? op_mirror(pl->op) : pl->op),
                 tidy(-pl->f.c * sign));
        put_str(a, j, "text", full);
        cJSON *terms = put(a, j, "terms", cJSON_CreateArray());
        for (size_t k = 0; k < e->nax; k++) {
            if (pl->f.a[e->ax[k].slot] == 0)
                continue;
            cJSON *t = put(a, terms, NULL, cJSON_CreateObject());
            put_str(a, t, "metric", slot_name(a, e->ax[k].slot));
            put_num(a, t, "coef", pl->f.a[e->ax[k].slot]);
        }
        put_num(a, j, "constant", pl->f.c);
        put_str(a, j, "op", cmp_op_text(pl->op));
        put_bool(a, j, "relevant", pl->relevant);
        changed_codes(e, -1, 0, p, changed, sizeof changed);
        put_rules_changed(a, j, "rules", pl->src.v, pl->src.n, changed);
    }
}

/* The held metrics, the outcomes and the pieces of every cell (what a map draws). */
static void put_cells(actx *a, const env *e, cJSON *root)
{
    cJSON *held = put(a, root, "held", cJSON_CreateArray());
    for (int m = 0; m < MAX_SLOTS; m++) {
        if (!((a->coords >> m) & 1u) || axis_of(e, m) >= 0)
            continue;
        cJSON *h = put(a, held, NULL, cJSON_CreateObject());
        put_str(a, h, "metric", slot_name(a, m));
        put_num(a, h, "value", e->held[m]);
        put_str(a, h, "why", e->held_why[m]);
    }
    cJSON *outs = put(a, root, "outcomes", cJSON_CreateArray());
    for (size_t i = 0; i < e->nouts; i++)
        put(a, outs, NULL, outcome_json(a, &e->outs[i]));
    cJSON *cells = put(a, root, "cells", cJSON_CreateArray());
    for (size_t i = 0; i < e->npc; i++) {
        const piece *pc = &e->pc[i];
        cJSON *c = put(a, cells, NULL, cJSON_CreateObject());
        cJSON *at = put(a, c, "at", cJSON_CreateArray()), *pt = put(a, c, "point", cJSON_CreateArray());
        for (size_t k = 0; k < e->nax; k++) {
            put(a, at, NULL, cJSON_CreateNumber(pc->idx[k]));
            put_num(a, pt, NULL, pc->pt[k]);
        }
        cJSON *sides = put(a, c, "sides", cJSON_CreateArray());
        for (size_t p = 0; p < e->npl; p++)
            put(a, sides, NULL, cJSON_CreateNumber(pc->side[p]));
        put(a, c, "outcome", cJSON_CreateNumber((double)pc->out));
    }
}

/* Where the chip sits: its point, its outcome there (the others held) and the nearest lines that change it. */
static void put_chip(actx *a, const env *e, cJSON *root)
{
    uint32_t varied = 0;
    int known = 0, all = 1;
    for (size_t k = 0; k < e->nax; k++) {
        varied |= (uint32_t)1 << e->ax[k].slot;
        known |= a->have[e->ax[k].slot];
        all &= a->have[e->ax[k].slot];
    }
    if (!known) {
        put(a, root, "chip", cJSON_CreateNull());
        return;
    }
    cJSON *c = put(a, root, "chip", cJSON_CreateObject());
    put_str(a, c, "name", a->base->chip_name);
    put_metrics(a, c, varied);
    put_bool(a, c, "placed", all);
    if (!all)
        return;
    for (int m = 0; m < MAX_SLOTS; m++) /* the current point: the chip's figures, the rest held */
        if (((a->coords >> m) & 1u) && !((varied >> m) & 1u)) {
            a->val[m] = e->held[m];
            a->have[m] = 1;
        }
    metric_force f;
    outcome o;
    force_point(a, -1, 0, &f);
    if (eval_at(a, &f, a->s.date, &o) != 0)
        return;
    a->base_out = o; /* flips are measured from here */
    put(a, c, "outcome", outcome_json(a, &o));
    put_flips(a, c, varied);
}

static int envelope_build(actx *a, env *e)
{
    int rc = env_axes(a, e);
    if (rc == 0) {
        env_hold(a, e);
        rc = env_lines(a, e);
    }
    for (size_t k = 0; rc == 0 && k < e->nax; k++)
        if (axis_intervals(&e->ax[k], e) != 0)
            rc = err_set(a->err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
    if (rc != 0) {
        a->failed = 1;
        return -1;
    }
    if (env_cells(a, e) != 0 || (env_relevance(e), env_boxes(a, e)) != 0)
        return -1;
    return 0;
}

static int envelope_visit(void *ctx, const ship *s)
{
    actx *a = ctx;
    cJSON *root = cJSON_CreateObject();
    env *e = calloc(1, sizeof *e);
    if (!root || !e)
        a->oom = 1;
    else if (start(a, s) == 0 && envelope_build(a, e) == 0) {
        put_head(a, root);
        put_regions(a, e, root);
        put_axes(a, e, root);
        put_planes(a, e, root);
        put_cells(a, e, root);
        put_chip(a, e, root);
        put_not_analysed(a, root);
    }
    env_free(e);
    return finish(a, root);
}

char *chipcheck_envelope(const chipcheck_rules *rules, const char *json, const char *const *metrics, size_t n_metrics,
                         const chipcheck_options *opts, unsigned flags, chipcheck_error *err)
{
    chipcheck_error local;
    actx a;
    memset(&a, 0, sizeof a);
    a.R = rules;
    a.o = opts;
    a.err = err ? err : &local;
    a.flags = flags;
    a.metrics = metrics;
    a.nmetrics = metrics ? n_metrics : 0;
    int rc = ship_from_json(rules, json, opts, envelope_visit, &a, a.err);
    actx_free(&a);
    if (rc != 0) {
        free(a.out);
        return NULL;
    }
    return a.out;
}
