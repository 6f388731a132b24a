/*
 * mapdraw.c: the SVG of `chipcheck map` (map.c gathers the data). A plane is drawn from chipcheck_envelope()'s
 * JSON: its cells (intervals between the lines of each axis, cut by the lines over both metrics) filled by the
 * outcome there, the boundaries where the classification or outcome changes, the lines' values and rules; then
 * the chips. Layout constants are pixels; every value drawn comes from the JSON.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

#define FONT "DejaVu Sans, Helvetica, Arial, sans-serif"
enum { COL_W = 600, GAP = 28, MARGIN = 24, PAD_L = 66, PAD_R = 58, PAD_T = 34, PAD_B = 46 };
static const double plane_h[MAP_PLANES] = {400, 300};

/* ---- the grid of one plane, read from the envelope JSON ---------------------------------------------- */

enum { MAX_PL = 8 };
static const double PI = 3.14159265358979323846;
typedef struct gplane { double a, b, c; int ge, relevant; const cJSON *json; } gplane; /* holds: a x + b y + c >=/<= 0 */
typedef struct gcell { int i, j, out; signed char side[MAX_PL]; } gcell;
typedef struct grid {
    const cJSON *env;
    double *xlo, *xhi, *ylo, *yhi;
    int nx, ny;
    gplane pl[MAX_PL];
    int npl;
    gcell *cells;
    size_t ncells;
} grid;

static const cJSON *jget(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }
static const char *jstr(const cJSON *o, const char *k) { return cJSON_GetStringValue(jget(o, k)); }
static double jnum(const cJSON *o, const char *k)
{
    const cJSON *v = jget(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int read_intervals(const cJSON *axis, double **lo, double **hi)
{
    const cJSON *iv, *list = jget(axis, "intervals");
    int n = cJSON_GetArraySize(list), k = 0;
    *lo = malloc((size_t)(n ? n : 1) * sizeof **lo);
    *hi = malloc((size_t)(n ? n : 1) * sizeof **hi);
    if (*lo == NULL || *hi == NULL)
        return -1;
    cJSON_ArrayForEach(iv, list) {
        (*lo)[k] = jnum(iv, "lo");
        (*hi)[k] = cJSON_IsNumber(jget(iv, "hi")) ? jnum(iv, "hi") : INFINITY;
        k++;
    }
    return n;
}

static void read_planes(grid *g, const char *xm)
{
    const cJSON *p, *t;
    cJSON_ArrayForEach(p, jget(g->env, "planes")) {
        if (g->npl == MAX_PL)
            break;
        gplane *q = &g->pl[g->npl++];
        const char *op = jstr(p, "op");
        q->json = p;
        q->a = q->b = 0;
        q->c = jnum(p, "constant");
        q->ge = op != NULL && op[0] == '>';
        q->relevant = cJSON_IsTrue(jget(p, "relevant"));
        cJSON_ArrayForEach(t, jget(p, "terms")) {
            if (!strcmp(jstr(t, "metric"), xm))
                q->a = jnum(t, "coef");
            else
                q->b = jnum(t, "coef");
        }
    }
}

static int grid_load(grid *g, const cJSON *env, const char *xm)
{
    const cJSON *c;
    memset(g, 0, sizeof *g);
    g->env = env;
    g->nx = read_intervals(cJSON_GetArrayItem(jget(env, "axes"), 0), &g->xlo, &g->xhi);
    g->ny = read_intervals(cJSON_GetArrayItem(jget(env, "axes"), 1), &g->ylo, &g->yhi);
    read_planes(g, xm);
    g->cells = calloc((size_t)cJSON_GetArraySize(jget(env, "cells")) + 1, sizeof *g->cells);
    if (g->nx < 0 || g->ny < 0 || g->cells == NULL)
        return -1;
    cJSON_ArrayForEach(c, jget(env, "cells")) {
        gcell *x = &g->cells[g->ncells++];
        x->i = (int)cJSON_GetArrayItem(jget(c, "at"), 0)->valuedouble;
        x->j = (int)cJSON_GetArrayItem(jget(c, "at"), 1)->valuedouble;
        x->out = (int)jnum(c, "outcome");
        for (int p = 0; p < g->npl; p++)
            x->side[p] = (signed char)cJSON_GetArrayItem(jget(c, "sides"), p)->valuedouble;
    }
    return 0;
}

static void grid_free(grid *g)
{
    free(g->xlo);
    free(g->xhi);
    free(g->ylo);
    free(g->yhi);
    free(g->cells);
}

static const cJSON *outcome_of(const grid *g, int k) { return cJSON_GetArrayItem(jget(g->env, "outcomes"), k); }

/* Which side of plane p the point is on: +1 where it holds, -1 where it does not. */
static int side_at(const gplane *p, double x, double y)
{
    double f = p->a * x + p->b * y + p->c;
    return (p->ge ? f >= 0 : f <= 0) ? 1 : -1;
}

/* The piece of cell (i, j) holding point (x, y); plane force (if >= 0) taken on side fside. -1 when none. */
static int find_cell(const grid *g, int i, int j, double x, double y, int force, int fside)
{
    for (size_t k = 0; k < g->ncells; k++) {
        const gcell *c = &g->cells[k];
        int ok = c->i == i && c->j == j;
        for (int p = 0; ok && p < g->npl; p++) {
            int s = p == force ? fside : side_at(&g->pl[p], x, y);
            ok = c->side[p] == 0 || !g->pl[p].relevant || c->side[p] == s;
        }
        if (ok)
            return (int)k;
    }
    return -1;
}

/* What a boundary separates: the verdict, the review policy and the classification. */
static int same_outcome(const cJSON *x, const cJSON *y)
{
    return cJSON_Compare(jget(x, "verdict"), jget(y, "verdict"), 1) &&
           cJSON_Compare(jget(x, "review_policy"), jget(y, "review_policy"), 1) &&
           cJSON_Compare(jget(x, "classification"), jget(y, "classification"), 1);
}

static int same_region(const grid *g, int a, int b)
{
    return a < 0 || b < 0 || same_outcome(outcome_of(g, g->cells[a].out), outcome_of(g, g->cells[b].out));
}

/* ---- geometry ----------------------------------------------------------------------------------------- */

/* The drawn extent of a scale: a little past its range, so that the clip path makes the edges. */
static void extent(const scale *s, double *lo, double *hi)
{
    double span = s->d1 - s->d0;
    *lo = s->log ? s->d0 / 2 : s->d0 - span;
    *hi = s->log ? s->d1 * 2 : s->d1 + span;
}

/* The polygon of piece k in data space: its box within the extent, cut to its side of each plane it needs.
 * Returns the number of points in out (room for 64), 0 when nothing of it is visible. */
static size_t cell_polygon(const grid *g, size_t k, const scale *sx, const scale *sy, pt *out)
{
    const gcell *c = &g->cells[k];
    double ex0, ex1, ey0, ey1;
    extent(sx, &ex0, &ex1);
    extent(sy, &ey0, &ey1);
    double x0 = fmax(g->xlo[c->i], ex0), x1 = fmin(g->xhi[c->i], ex1);
    double y0 = fmax(g->ylo[c->j], ey0), y1 = fmin(g->yhi[c->j], ey1);
    if (x0 >= x1 || y0 >= y1)
        return 0;
    pt tmp[64];
    size_t n = 4;
    out[0] = (pt){x0, y0};
    out[1] = (pt){x1, y0};
    out[2] = (pt){x1, y1};
    out[3] = (pt){x0, y1};
    for (int p = 0; p < g->npl && n > 0 && n <= 32; p++) {
        const gplane *q = &g->pl[p];
        if (!q->relevant || c->side[p] == 0)
            continue;
        double s = c->side[p] * (q->ge ? 1 : -1);
        n = clip_halfplane(out, n, s * q->a, s * q->b, s * q->c, tmp);
        memcpy(out, tmp, n * sizeof *out);
    }
    return n;
}

static void segment(FILE *f, pt a, pt b, const scale *sx, const scale *sy)
{
    pt two[2] = {a, b};
    svg_path(f, two, 2, sx, sy, 0);
}

static int by_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* The boundaries along the lines of one axis (vertical: the x axis's) where the region changes, as path data. */
static void axis_edges(FILE *f, const grid *g, const scale *sx, const scale *sy, int vertical)
{
    int n1 = vertical ? g->nx : g->ny, n2 = vertical ? g->ny : g->nx;
    double e0, e1;
    extent(vertical ? sy : sx, &e0, &e1);
    for (int i = 0; i + 1 < n1; i++) {
        double at = vertical ? g->xhi[i] : g->yhi[i];
        for (int j = 0; j < n2; j++) {
            double cut[MAX_PL + 2], lo = fmax(vertical ? g->ylo[j] : g->xlo[j], e0);
            double hi = fmin(vertical ? g->yhi[j] : g->xhi[j], e1);
            int nc = 0;
            cut[nc++] = lo;
            for (int p = 0; p < g->npl; p++) {
                const gplane *q = &g->pl[p];
                double along = vertical ? q->b : q->a, across = vertical ? q->a : q->b, t;
                if (q->relevant && along != 0 && (t = -(across * at + q->c) / along) > lo && t < hi)
                    cut[nc++] = t;
            }
            cut[nc++] = hi;
            qsort(cut, (size_t)nc, sizeof *cut, by_double);
            for (int s = 0; lo < hi && s + 1 < nc; s++) {
                double mid = (cut[s] + cut[s + 1]) / 2, x = vertical ? at : mid, y = vertical ? mid : at;
                int a = find_cell(g, vertical ? i : j, vertical ? j : i, x, y, -1, 0);
                int b = find_cell(g, vertical ? i + 1 : j, vertical ? j : i + 1, x, y, -1, 0);
                if (!same_region(g, a, b))
                    segment(f, vertical ? (pt){at, cut[s]} : (pt){cut[s], at},
                            vertical ? (pt){at, cut[s + 1]} : (pt){cut[s + 1], at}, sx, sy);
            }
        }
    }
}

/* Where the line of plane p crosses a box: its two ends (P, Q). 0 when it misses the box. */
static int line_in_box(const gplane *p, double x0, double x1, double y0, double y1, pt *P, pt *Q)
{
    pt v[4];
    int n = 0;
    for (int k = 0; k < 2 && p->b != 0; k++) {
        double x = k ? x1 : x0, y = -(p->a * x + p->c) / p->b;
        if (y >= y0 && y <= y1)
            v[n++] = (pt){x, y};
    }
    for (int k = 0; k < 2 && p->a != 0; k++) {
        double y = k ? y1 : y0, x = -(p->b * y + p->c) / p->a;
        if (x >= x0 && x <= x1)
            v[n++] = (pt){x, y};
    }
    if (n < 2)
        return 0;
    *P = v[0];
    *Q = v[1];
    for (int k = 2; k < n; k++)
        if (fabs(v[k].x - P->x) + fabs(v[k].y - P->y) > fabs(Q->x - P->x) + fabs(Q->y - P->y))
            *Q = v[k];
    return Q->x != P->x || Q->y != P->y;
}

/* The boundaries along the planes (lines over both metrics) inside each cell, where the region changes. */
static void plane_edges(FILE *f, const grid *g, const scale *sx, const scale *sy)
{
    double ex0, ex1, ey0, ey1;
    extent(sx, &ex0, &ex1);
    extent(sy, &ey0, &ey1);
    for (int p = 0; p < g->npl; p++) {
        if (!g->pl[p].relevant)
            continue;
        for (int i = 0; i < g->nx; i++)
            for (int j = 0; j < g->ny; j++) {
                pt P, Q;
                if (!line_in_box(&g->pl[p], fmax(g->xlo[i], ex0), fmin(g->xhi[i], ex1), fmax(g->ylo[j], ey0),
                                 fmin(g->yhi[j], ey1), &P, &Q))
                    continue;
                pt M = {(P.x + Q.x) / 2, (P.y + Q.y) / 2};
                int a = find_cell(g, i, j, M.x, M.y, p, 1), b = find_cell(g, i, j, M.x, M.y, p, -1);
                if (a >= 0 && b >= 0 && !same_region(g, a, b))
                    segment(f, P, Q, sx, sy);
            }
    }
}

/* Does the not-for-datacenters plane differ anywhere from the datacenter one? */
static int regions_differ(const grid *dc, const grid *nodc)
{
    for (size_t k = 0; k < nodc->ncells; k++) {
        const cJSON *pt0 = jget(cJSON_GetArrayItem(jget(nodc->env, "cells"), (int)k), "point");
        double x = cJSON_GetArrayItem(pt0, 0)->valuedouble, y = cJSON_GetArrayItem(pt0, 1)->valuedouble;
        int a = find_cell(dc, nodc->cells[k].i, nodc->cells[k].j, x, y, -1, 0);
        if (a < 0)
            return 1;
        if (!same_outcome(outcome_of(dc, dc->cells[a].out), outcome_of(nodc, nodc->cells[k].out)))
            return 1;
    }
    return 0;
}

/* ---- words and colours ---------------------------------------------------------------------------------- */

/* The colour class of an outcome: a verdict and, for a license, its review policy. */
static const char *category(const char *verdict, const char *policy)
{
    if (verdict == NULL || !strcmp(verdict, "indeterminate"))
        return "indet";
    if (!strcmp(verdict, "allowed"))
        return "allowed";
    if (policy == NULL || !policy[0])
        return "lr";
    return !strcmp(policy, "presumption_of_approval") ? "approval" : !strcmp(policy, "case_by_case") ? "cbc" : "denial";
}

static const struct { const char *cat, *words; } category_words[] = {
    {"allowed", "no license needed"},
    {"approval", "license: presumption of approval"},
    {"cbc", "license: case by case"},
    {"denial", "license: presumption of denial"},
    {"lr", "license required"},
    {"indet", "indeterminate"},
};

static const char *category_text(const char *cat)
{
    for (size_t i = 0; i < sizeof category_words / sizeof category_words[0]; i++)
        if (!strcmp(category_words[i].cat, cat))
            return category_words[i].words;
    return cat;
}

/* Axis titles for the metrics the map draws; another metric is named as the rules name it. */
static const char *metric_title(const char *m, int brief)
{
    static const struct { const char *metric, *title, *brief; } t[] = {
        {"tpp", "TPP (total processing performance: TOPS \u00d7 bit length)", "TPP"},
        {"performance_density", "performance density (TPP per mm\u00b2 of die)", "density"},
        {"memory_bandwidth_gbs", "memory bandwidth (GB/s)", "memory"},
        {"interconnect_bandwidth_gbs", "interconnect bandwidth (GB/s)", "interconnect"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].metric, m))
            return brief ? t[i].brief : t[i].title;
    return m;
}

/* Do any of a line's rules rest on figures only reported? */
static int reported(const cJSON *rules)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, rules) if (jstr(r, "confidence") && !strcmp(jstr(r, "confidence"), "reported")) return 1;
    return 0;
}

/* The rules of a line for a tooltip: "3A090.b.1 (15 CFR ...); ...". */
static void rules_title(FILE *f, const cJSON *rules)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, rules) {
        if (r != rules->child)
            fputs("; ", f);
        svg_text(f, jstr(r, "rule"));
        fputs(" (", f);
        svg_text(f, jstr(r, "citation"));
        fputs(reported(rules) && !strcmp(jstr(r, "confidence"), "reported") ? ", reported)" : ")", f);
    }
}

static void fmt_value(char *buf, size_t n, double v) { snprintf(buf, n, "%.6g", v); }

/* Text wrapped to width at x, from y down; returns the y after it. Lines of class cls. */
static double wrapped(FILE *f, const char *text, double x, double y, double width, double size, const char *cls)
{
    char line[1024];
    size_t len = 0;
    const char *p = text;
    while (*p) {
        size_t w = strcspn(p, " ");
        char trial[1024];
        snprintf(trial, sizeof trial, "%.*s%s%.*s", (int)len, line, len ? " " : "", (int)w, p);
        if (len && text_width(trial, size) > width) {
            fprintf(f, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">", cls, x, y);
            svg_text(f, line);
            fputs("</text>\n", f);
            y += size * 1.35;
            snprintf(line, sizeof line, "%.*s", (int)w, p);
            len = strlen(line);
        } else {
            snprintf(line, sizeof line, "%s", trial);
            len = strlen(line);
        }
        p += w;
        p += *p == ' ';
    }
    if (len) {
        fprintf(f, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">", cls, x, y);
        svg_text(f, line);
        fputs("</text>\n", f);
        y += size * 1.35;
    }
    return y;
}

/* ---- one plane ---------------------------------------------------------------------------------------- */

typedef struct pctx {
    FILE *f;
    const map_data *m;
    size_t d;          /* the date */
    int p;             /* the plane */
    rect plot;         /* the plot area, in pixels */
    scale sx, sy;      /* data to pixels */
    placer pl;         /* labels and marks placed so far */
} pctx;

/* Each piece of the grid filled by its outcome, with a tooltip. */
static void draw_cells(pctx *c, const grid *g)
{
    pt poly[64];
    for (size_t k = 0; k < g->ncells; k++) {
        size_t n = cell_polygon(g, k, &c->sx, &c->sy, poly);
        const cJSON *o = outcome_of(g, g->cells[k].out), *x;
        if (n < 3)
            continue;
        fprintf(c->f, "<path class=\"r-%s\" d=\"", category(jstr(o, "verdict"), jstr(o, "review_policy")));
        svg_path(c->f, poly, n, &c->sx, &c->sy, 1);
        fputs("\"><title>", c->f);
        svg_text(c->f, category_text(category(jstr(o, "verdict"), jstr(o, "review_policy"))));
        cJSON_ArrayForEach(x, jget(o, "classification")) fprintf(c->f, "%s%s", x == jget(o, "classification")->child
                                                                  ? "; " : " ", x->valuestring);
        cJSON_ArrayForEach(x, jget(o, "codes")) fprintf(c->f, "%s%s", x == jget(o, "codes")->child ? "; reasons: " : ", ",
                                                         x->valuestring);
        cJSON_ArrayForEach(x, jget(o, "missing")) fprintf(c->f, "%s%s", x == jget(o, "missing")->child ? "; missing: " : ", ",
                                                           x->valuestring);
        fputs("</title></path>\n", c->f);
    }
}

/* The boundaries of grid g as one path of class cls. */
static void draw_bounds(pctx *c, const grid *g, const char *cls)
{
    fprintf(c->f, "<path class=\"%s\" data-boundary=\"%s\" d=\"", cls, cls);
    axis_edges(c->f, g, &c->sx, &c->sy, 1);
    axis_edges(c->f, g, &c->sx, &c->sy, 0);
    plane_edges(c->f, g, &c->sx, &c->sy);
    fputs("\"/>\n", c->f);
}

/* Is a pixel position near one of the axis's lines (whose labels the tick labels must not cover)? */
static int near_break(const cJSON *axis, const scale *s, double px, double within)
{
    const cJSON *b;
    cJSON_ArrayForEach(b, jget(axis, "breaks")) {
        double v = jnum(b, "value");
        if (scale_contains(s, v) && fabs(scale_at(s, v) - px) < within)
            return 1;
    }
    return 0;
}

/* Grid lines, ticks and tick labels of both axes, and the axis titles. */
static void draw_axes(pctx *c, const cJSON *env)
{
    double t[64];
    char v[32];
    const cJSON *ax = jget(env, "axes");
    size_t n = scale_ticks(&c->sx, t, 64);
    for (size_t i = 0; i < n; i++) {
        double x = scale_at(&c->sx, t[i]);
        fmt_value(v, sizeof v, t[i]);
        fprintf(c->f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x, c->plot.y0, x, c->plot.y1);
        if (!near_break(cJSON_GetArrayItem(ax, 0), &c->sx, x, text_width(v, 10) / 2 + 14))
            fprintf(c->f, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x, c->plot.y1 + 14, v);
    }
    n = scale_ticks(&c->sy, t, 64);
    for (size_t i = 0; i < n; i++) {
        double y = scale_at(&c->sy, t[i]);
        fmt_value(v, sizeof v, t[i]);
        fprintf(c->f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", c->plot.x0, y, c->plot.x1, y);
        fprintf(c->f, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", c->plot.x0 - 5, y + 3.5, v);
    }
    const map_plane_def *pd = &map_planes[c->p];
    fprintf(c->f, "<text class=\"axt\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (c->plot.x0 + c->plot.x1) / 2,
            c->plot.y1 + 32);
    svg_text(c->f, metric_title(pd->x, 0));
    fprintf(c->f, "%s</text>\n<text class=\"axt\" transform=\"translate(%.1f %.1f) rotate(-90)\" text-anchor=\"middle\">",
            c->sx.log ? " \u2014 log scale" : "", c->plot.x0 - 48, (c->plot.y0 + c->plot.y1) / 2);
    svg_text(c->f, metric_title(pd->y, 0));
    fprintf(c->f, "%s</text>\n", c->sy.log ? " \u2014 log scale" : "");
}

/* The value of each line of the rules on an axis: above the plot (x) or to its right (y), with its rules. */
static void draw_breaks(pctx *c, const cJSON *env)
{
    const cJSON *b;
    char v[48];
    placer own = {NULL, 0, 0, {c->plot.x0 - PAD_L, c->plot.y0 - PAD_T, c->plot.x1 + PAD_R, c->plot.y1}};
    for (int k = 0; k < 2; k++) {
        const scale *s = k ? &c->sy : &c->sx;
        cJSON_ArrayForEach(b, jget(cJSON_GetArrayItem(jget(env, "axes"), k), "breaks")) {
            double val = jnum(b, "value"), at = scale_at(s, val);
            if (!scale_contains(s, val))
                continue;
            int rep = reported(jget(b, "rules"));
            snprintf(v, sizeof v, "%.6g%s", val, rep && !k ? " reported" : "");
            double w = text_width(v, 10);
            rect r = k ? (rect){c->plot.x1 + 4, at - 8, c->plot.x1 + 6 + w, at + 4 + (rep ? 11 : 0)}
                       : (rect){at - w / 2 - 1, c->plot.y0 - 17, at + w / 2 + 1, c->plot.y0 - 5};
            for (int row = 0; k == 0 && row < 2 && !placer_free(&own, r); row++)
                r.y0 -= 11, r.y1 -= 11;
            placer_add(&own, r);
            fprintf(c->f, "<g class=\"brk%s\" data-metric=\"%s\" data-value=\"%.15g\"><title>", rep ? " rep" : "",
                    k ? map_planes[c->p].y : map_planes[c->p].x, val);
            rules_title(c->f, jget(b, "rules"));
            fprintf(c->f, "</title><text x=\"%.1f\" y=\"%.1f\"%s>%s</text>", k ? r.x0 : at, k ? at + 3.5 : r.y1 - 2,
                    k ? "" : " text-anchor=\"middle\"", v);
            if (rep && k)
                fprintf(c->f, "<text x=\"%.1f\" y=\"%.1f\">reported</text>", r.x0, at + 14.5);
            fputs("</g>\n", c->f);
            fprintf(c->f, "<line class=\"brkt\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                    k ? c->plot.x1 : at, k ? at : c->plot.y0, k ? c->plot.x1 + 3 : at, k ? at : c->plot.y0 - 3);
        }
    }
    placer_free_all(&own);
}

/* The label of a line over both metrics: "memory + interconnect = 1700 (reported)". */
static void plane_label_text(const pctx *c, const gplane *q, char *text, size_t n)
{
    snprintf(text, n, "%s%s%s = %.6g%s", q->a ? metric_title(map_planes[c->p].x, 1) : "",
             q->a && q->b ? (q->a * q->b > 0 ? " + " : " \u2212 ") : "", q->b ? metric_title(map_planes[c->p].y, 1) : "",
             -q->c / (q->a ? q->a : q->b), reported(jget(q->json, "rules")) ? " (reported)" : "");
}

/* Is plane p drawn at point x (the regions on its two sides differ there)? */
static int plane_drawn_at(const grid *g, int p, pt x)
{
    int i = 0, j = 0;
    while (i + 1 < g->nx && x.x >= g->xhi[i])
        i++;
    while (j + 1 < g->ny && x.y >= g->yhi[j])
        j++;
    int a = find_cell(g, i, j, x.x, x.y, p, 1), b = find_cell(g, i, j, x.x, x.y, p, -1);
    return a >= 0 && b >= 0 && !same_region(g, a, b);
}

/* The relevant lines over both metrics, each labelled beside itself where it is drawn and nothing else is. */
static void draw_plane_labels(pctx *c, const grid *g)
{
    static const double along[] = {0.5, 0.6, 0.4, 0.7, 0.3, 0.8, 0.2, 0.9, 0.1};
    for (int p = 0; p < g->npl; p++) {
        const gplane *q = &g->pl[p];
        pt P, Q;
        char text[160];
        if (!q->relevant || !line_in_box(q, c->sx.d0, c->sx.d1, c->sy.d0, c->sy.d1, &P, &Q))
            continue;
        plane_label_text(c, q, text, sizeof text);
        double w = text_width(text, 10);
        for (size_t k = 0; k < 2 * sizeof along / sizeof along[0]; k++) {
            double t = along[k / 2], side = k % 2 ? -1 : 1;
            pt at = {P.x + t * (Q.x - P.x), P.y + t * (Q.y - P.y)};
            double x = scale_at(&c->sx, at.x), y = scale_at(&c->sy, at.y);
            if (!plane_drawn_at(g, p, at))
                continue;
            rect r = side > 0 ? (rect){x + 6, y - 10, x + 8 + w, y + 3} : (rect){x - 8 - w, y - 10, x - 6, y + 3};
            if (!placer_free(&c->pl, r))
                continue;
            placer_add(&c->pl, r);
            fprintf(c->f, "<g class=\"plab%s\"><title>", reported(jget(q->json, "rules")) ? " rep" : "");
            rules_title(c->f, jget(q->json, "rules"));
            fprintf(c->f, "</title><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", side > 0 ? x + 7 : x - 7, y,
                    side > 0 ? "start" : "end");
            svg_text(c->f, text);
            fputs("</text></g>\n", c->f);
            break;
        }
    }
}

/* The pixel box of piece j's visible polygon; 0 when nothing of it shows. */
static int piece_box(const pctx *c, const grid *g, size_t j, rect *r)
{
    pt poly[64];
    size_t n = cell_polygon(g, j, &c->sx, &c->sy, poly);
    *r = (rect){1e9, 1e9, -1e9, -1e9};
    for (size_t i = 0; i < n; i++) {
        double x = fmin(fmax(scale_at(&c->sx, poly[i].x), c->plot.x0), c->plot.x1);
        double y = fmin(fmax(scale_at(&c->sy, poly[i].y), c->plot.y0), c->plot.y1);
        *r = (rect){fmin(r->x0, x), fmin(r->y0, y), fmax(r->x1, x), fmax(r->y1, y)};
    }
    return n >= 3 && r->x1 > r->x0 && r->y1 > r->y0;
}

/* Write a region label (one or two lines) centred at (cx, cy), turned upright when vertical. */
static void put_region_label(pctx *c, const char *cls, const char *words, double cx, double cy, int vertical)
{
    int two = cls[0] && words[0];
    double top = cy - (two ? 3.5 : -4);
    fprintf(c->f, vertical ? "<g transform=\"rotate(-90 %.1f %.1f)\">" : "<g>", cx, cy);
    if (cls[0])
        fprintf(c->f, "<text class=\"rcls\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", cx, top, cls);
    if (words[0])
        fprintf(c->f, "<text class=\"rlab\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", cx,
                top + (two ? 15 : 0), words);
    fputs("</g>\n", c->f);
}

/* A region's words inside box, where no chip or label is: its class and its outcome, or what fits of them
 * (turned upright in a tall narrow box). */
static void region_label(pctx *c, const cJSON *o, rect box)
{
    char cls[128] = "";
    const cJSON *x;
    cJSON_ArrayForEach(x, jget(o, "classification")) snprintf(cls + strlen(cls), sizeof cls - strlen(cls), "%s%s",
                                                               cls[0] ? " / " : "", x->valuestring);
    char words[256];
    snprintf(words, sizeof words, "%s", category_text(category(jstr(o, "verdict"), jstr(o, "review_policy"))));
    cJSON_ArrayForEach(x, jget(o, "missing")) snprintf(words + strlen(words), sizeof words - strlen(words), "%s%s",
                                                        x == jget(o, "missing")->child ? ": no " : ", ", x->valuestring);
    const char *tries[3][2] = {{cls, words}, {cls, ""}, {"", words}};
    for (int vertical = 0; vertical < 2; vertical++)
        for (int t = 0; t < 3; t++) {
            const char *a = tries[t][0], *b = tries[t][1];
            double w = fmax(a[0] ? text_width(a, 12) : 0, b[0] ? text_width(b, 11) : 0), h = a[0] && b[0] ? 32 : 17;
            double bw = vertical ? box.y1 - box.y0 : box.x1 - box.x0, bh = vertical ? box.x1 - box.x0 : box.y1 - box.y0;
            if ((!a[0] && !b[0]) || w + 12 > bw || h + 6 > bh)
                continue;
            for (int k = 0; k < 9; k++) { /* the middle, then around it */
                double fx = 0.5 + (k % 3 - 1) * 0.25, fy = 0.5 + (k / 3 - 1) * 0.25;
                double cx = box.x0 + (box.x1 - box.x0) * (k < 1 ? 0.5 : fx), cy = box.y0 + (box.y1 - box.y0) * (k < 1 ? 0.5 : fy);
                rect r = vertical ? (rect){cx - h / 2, cy - w / 2, cx + h / 2, cy + w / 2}
                                  : (rect){cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
                if (r.x0 < box.x0 || r.x1 > box.x1 || r.y0 < box.y0 || r.y1 > box.y1 || !placer_free(&c->pl, r))
                    continue;
                put_region_label(c, a, b, cx, cy, vertical);
                placer_add(&c->pl, r);
                return;
            }
        }
}

/* Each region (verdict, policy and class) labelled once, in its largest visible piece. */
static void draw_region_labels(pctx *c, const grid *g)
{
    for (size_t k = 0; k < g->ncells; k++) {
        rect best = {0, 0, 0, 0}, r;
        double best_area = 0;
        int first = 1;
        for (size_t j = 0; j < g->ncells && first; j++) {
            if (!same_region(g, (int)j, (int)k))
                continue;
            first = j >= k;
            if (first && piece_box(c, g, j, &r) && (r.x1 - r.x0) * (r.y1 - r.y0) > best_area) {
                best_area = (r.x1 - r.x0) * (r.y1 - r.y0);
                best = r;
            }
        }
        if (first && best_area > 0)
            region_label(c, outcome_of(g, g->cells[k].out), best);
    }
}

/* ---- chips ------------------------------------------------------------------------------------------------ */

typedef struct mark { size_t chip; double x, y; } mark;

static int by_position(const void *pa, const void *pb)
{
    const mark *a = pa, *b = pb;
    return a->x < b->x - 0.01 ? -1 : a->x > b->x + 0.01 ? 1 : a->y < b->y ? -1 : a->y > b->y;
}

/* A chip's marker: filled for datacenters, hollow when not (or not known), coloured by its own verdict. */
static void draw_marker(pctx *c, const map_chip *ch, double x, double y)
{
    const map_chip_at *at = &ch->at[c->d];
    const char *cat = category(at->verdict, at->policy[0] ? at->policy : NULL);
    char vx[32], vy[32];
    fmt_value(vx, sizeof vx, at->x[c->p]);
    fmt_value(vy, sizeof vy, at->y[c->p]);
    fputs("<g class=\"chip\" data-chip=\"", c->f);
    svg_text(c->f, ch->name);
    fprintf(c->f, "\" data-x=\"%.15g\" data-y=\"%.15g\" data-verdict=\"%s\" data-policy=\"%s\"><title>", at->x[c->p],
            at->y[c->p], at->verdict, at->policy);
    svg_text(c->f, ch->name);
    fprintf(c->f, ": %s %s, %s %s \u2014 %s%s%s%s</title>", map_planes[c->p].x, vx, map_planes[c->p].y, vy,
            category_text(cat), at->classes[0] ? " (" : "", at->classes, at->classes[0] ? ")" : "");
    fprintf(c->f, "<circle class=\"c-%s%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"/></g>\n", cat,
            ch->datacenter == 1 ? "" : " hollow", x, y, ch->datacenter == 1 ? "5" : "4.2");
    placer_add(&c->pl, (rect){x - 6, y - 6, x + 6, y + 6});
}

/* Try the places around a cluster of markers (x0..x1 at y) for a label w wide; draws it at the first free one,
 * with a leader line when it stands off. */
static void place_label(pctx *c, const char *text, double x0, double x1, double y)
{
    double w = text_width(text, 10), mx = (x0 + x1) / 2;
    struct { double dx, dy; int anchor; } near[] = { /* anchor: 0 start, 1 end, 2 middle */
        {x1 + 7, 3.5, 0}, {x0 - 7, 3.5, 1}, {mx, -9, 2}, {mx, 17, 2}, {x1 + 5, -8, 0}, {x1 + 5, 15, 0},
        {x0 - 5, -8, 1}, {x0 - 5, 15, 1},
    };
    for (int ring = 0; ring < 12; ring++)
        for (size_t k = 0; k < (ring ? 16 : sizeof near / sizeof near[0]); k++) {
            double off = ring * 13, ang = -PI / 2 + (double)((k + 1) / 2) * (k % 2 ? 1 : -1) * PI / 8; /* up first */
            double tx = ring ? mx + cos(ang) * (off + 8) + (cos(ang) >= 0 ? 4 : -4) : near[k].dx;
            double ty = ring ? y + sin(ang) * (off + 6) + 3.5 : y + near[k].dy;
            int anchor = ring ? (cos(ang) > 0.3 ? 0 : cos(ang) < -0.3 ? 1 : 2) : near[k].anchor;
            double lx = anchor == 0 ? tx : anchor == 1 ? tx - w : tx - w / 2;
            rect r = {lx - 1, ty - 9, lx + w + 1, ty + 3};
            if (!placer_free(&c->pl, r))
                continue;
            placer_add(&c->pl, r);
            if (ring)
                fprintf(c->f, "<line class=\"leader\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", mx, y,
                        anchor == 2 ? tx : tx + (anchor == 0 ? -2 : 2), ty - 3.5);
            fprintf(c->f, "<text class=\"clab\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", tx, ty,
                    anchor == 0 ? "start" : anchor == 1 ? "end" : "middle");
            svg_text(c->f, text);
            fputs("</text>\n", c->f);
            return;
        }
    fprintf(c->f, "<text class=\"clab\" x=\"%.1f\" y=\"%.1f\">", x1 + 7, y + 3.5); /* no free place: still named */
    svg_text(c->f, text);
    fputs("</text>\n", c->f);
}

/* The label of markers k..e-1 (one place): their names, the first three and how many more. */
static void cluster_label(const pctx *c, const mark *mk, size_t k, size_t e, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = k; i < e; i++) {
        if (i - k == 2 && e - k > 3) {
            snprintf(out + strlen(out), n - strlen(out), " +%zu", e - i);
            break;
        }
        snprintf(out + strlen(out), n - strlen(out), "%s%s", i > k ? ", " : "", c->m->chips[mk[i].chip].label);
    }
}

/* The markers of the chips placed on this plane, in pixels, several at one place side by side. Returns how many
 * (into *out, freed by the caller), or 0. */
static size_t chip_marks(const pctx *c, mark **out)
{
    const map_data *m = c->m;
    mark *mk = calloc(m->nchips + 1, sizeof *mk);
    size_t n = 0;
    *out = mk;
    if (mk == NULL)
        return 0;
    for (size_t i = 0; i < m->nchips; i++)
        if (m->chips[i].at[c->d].placed[c->p])
            mk[n++] = (mark){i, scale_at(&c->sx, m->chips[i].at[c->d].x[c->p]), scale_at(&c->sy, m->chips[i].at[c->d].y[c->p])};
    qsort(mk, n, sizeof *mk, by_position);
    for (size_t k = 0, e; k < n; k = e) { /* markers closer than a marker's width: side by side at their middle */
        double sx = mk[k].x, sy = mk[k].y;
        for (e = k + 1; e < n && mk[e].x - mk[e - 1].x < 8 && fabs(mk[e].y - mk[k].y) < 8; e++) {
            sx += mk[e].x;
            sy += mk[e].y;
        }
        for (size_t i = k; i < e; i++) {
            mk[i].x = sx / (double)(e - k) + ((double)(i - k) - (double)(e - k - 1) / 2) * 10;
            mk[i].y = sy / (double)(e - k);
        }
    }
    return n;
}

/* The chips' markers, then their labels (markers side by side share one). */
static void draw_chips(pctx *c, const mark *mk, size_t n)
{
    for (size_t i = 0; i < n; i++)
        draw_marker(c, &c->m->chips[mk[i].chip], mk[i].x, mk[i].y);
    for (size_t k = 0, e; k < n; k = e) {
        char text[256];
        for (e = k + 1; e < n && fabs(mk[e].y - mk[k].y) < 2 && mk[e].x - mk[e - 1].x < 10.5; e++)
            ;
        cluster_label(c, mk, k, e, text, sizeof text);
        place_label(c, text, mk[k].x - 5, mk[e - 1].x + 5, mk[k].y);
    }
}

/* ---- a plane, a column, the map ---------------------------------------------------------------------------- */

/* Draw plane p of date d with its top-left corner at (x0, y0). Returns the height used, or -1 out of memory. */
static double draw_plane(FILE *f, const map_data *m, size_t d, int p, double x0, double y0)
{
    pctx c;
    grid g, gn;
    memset(&c, 0, sizeof c);
    c.f = f;
    c.m = m;
    c.d = d;
    c.p = p;
    c.plot = (rect){x0 + PAD_L, y0 + PAD_T, x0 + COL_W - PAD_R, y0 + PAD_T + plane_h[p]};
    c.sx = m->sx[p];
    c.sy = m->sy[p];
    c.sx.p0 = c.plot.x0, c.sx.p1 = c.plot.x1, c.sy.p0 = c.plot.y1, c.sy.p1 = c.plot.y0;
    c.pl.bounds = c.plot; /* labels stay inside the plot */
    if (grid_load(&g, m->env[d][p], map_planes[p].x) != 0) {
        grid_free(&g);
        return -1;
    }
    fprintf(f, "<clipPath id=\"clip%zu_%d\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/></clipPath>\n", d, p,
            c.plot.x0, c.plot.y0, c.plot.x1 - c.plot.x0, c.plot.y1 - c.plot.y0);
    fprintf(f, "<g id=\"plane-%zu-%s-%s\">\n<g clip-path=\"url(#clip%zu_%d)\">\n", d, map_planes[p].x, map_planes[p].y, d, p);
    draw_cells(&c, &g);
    fputs("</g>\n", f);
    draw_axes(&c, m->env[d][p]);
    fprintf(f, "<g clip-path=\"url(#clip%zu_%d)\">\n", d, p);
    draw_bounds(&c, &g, "bound");
    int nodc = p == 0 && grid_load(&gn, m->nodc[d], map_planes[p].x) == 0;
    if (nodc && regions_differ(&g, &gn))
        draw_bounds(&c, &gn, "nodc");
    if (p == 0)
        grid_free(&gn);
    fprintf(f, "</g>\n<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n", c.plot.x0,
            c.plot.y0, c.plot.x1 - c.plot.x0, c.plot.y1 - c.plot.y0);
    draw_breaks(&c, m->env[d][p]);
    mark *mk;
    size_t nmk = chip_marks(&c, &mk);
    for (size_t i = 0; i < nmk; i++) /* the markers claim their places first, so that the words avoid them */
        placer_add(&c.pl, (rect){mk[i].x - 7, mk[i].y - 7, mk[i].x + 7, mk[i].y + 7});
    draw_plane_labels(&c, &g);
    draw_region_labels(&c, &g);
    draw_chips(&c, mk, nmk);
    free(mk);
    fputs("</g>\n", f);
    grid_free(&g);
    placer_free_all(&c.pl);
    return PAD_T + plane_h[p] + PAD_B;
}

/* Under a plane: the metrics held, a word when no line is drawn on it, and the chips not placed on it, grouped
 * by what they lack; returns the y below. */
static double plane_notes(FILE *f, const map_data *m, size_t d, int p, double x, double y)
{
    char text[4096] = "";
    const cJSON *h, *ax;
    int lines = 0;
    cJSON_ArrayForEach(ax, jget(m->env[d][p], "axes")) lines += cJSON_GetArraySize(jget(ax, "breaks"));
    cJSON_ArrayForEach(h, jget(m->env[d][p], "planes")) lines += cJSON_IsTrue(jget(h, "relevant"));
    cJSON_ArrayForEach(h, jget(m->env[d][p], "held")) {
        const char *why = jstr(h, "why");
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s at %.6g%s%s%s", text[0] ? "; " : "Shading holds ",
                 jstr(h, "metric"), jnum(h, "value"), strcmp(why, "zero") ? " (the least " : "",
                 strcmp(why, "zero") ? why : "", strcmp(why, "zero") ? " needs)" : "");
    }
    if (!lines)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%sNo rule of these versions draws a line on this "
                 "plane.", text[0] ? ". " : "");
    if (text[0])
        y = wrapped(f, text, x, y, COL_W - 20, 10, "note");
    for (size_t i = 0; i < m->nchips; i++) { /* one line per set of missing figures, at its first chip */
        const map_chip_at *at = &m->chips[i].at[d];
        size_t k = 0;
        while (k < i && (m->chips[k].at[d].placed[p] || strcmp(m->chips[k].at[d].missing[p], at->missing[p]) != 0))
            k++;
        if (at->placed[p] || k < i)
            continue;
        fprintf(f, "<g class=\"unplaced\" data-date=\"%zu\" data-plane=\"%d\" data-chips=\"", d, p);
        for (size_t j = i; j < m->nchips; j++)
            if (!m->chips[j].at[d].placed[p] && !strcmp(m->chips[j].at[d].missing[p], at->missing[p])) {
                fputs(j > i ? "|" : "", f);
                svg_text(f, m->chips[j].name);
            }
        fputs("\">\n", f);
        snprintf(text, sizeof text, "Not placed, %s not given:", at->missing[p]);
        for (size_t j = i; j < m->nchips; j++)
            if (!m->chips[j].at[d].placed[p] && !strcmp(m->chips[j].at[d].missing[p], at->missing[p]))
                snprintf(text + strlen(text), sizeof text - strlen(text), "%s %s", j > i ? "," : "", m->chips[j].label);
        y = wrapped(f, text, x, y, COL_W - 20, 10, "note");
        fputs("</g>\n", f);
    }
    return y;
}

/* The rules behind the lines of both planes of date d: "3A090.b.1 (citation): TPP 2400, 4800; density 1.6". */
static double line_notes(FILE *f, const map_data *m, size_t d, double x, double y)
{
    const cJSON *seen[64];
    size_t nseen = 0;
    y = wrapped(f, "Lines drawn and the rules that draw them:", x, y + 4, COL_W - 20, 10, "noteh");
    for (int p = 0; p < MAP_PLANES; p++) {
        const cJSON *ax, *b, *r;
        int k = 0;
        cJSON_ArrayForEach(ax, jget(m->env[d][p], "axes")) {
            cJSON_ArrayForEach(b, jget(ax, "breaks")) cJSON_ArrayForEach(r, jget(b, "rules")) {
                size_t i = 0;
                while (i < nseen && strcmp(jstr(seen[i], "rule"), jstr(r, "rule")) != 0)
                    i++;
                if (i < nseen || nseen == 64)
                    continue;
                seen[nseen++] = r;
                char text[1024];
                snprintf(text, sizeof text, "%s%s: %s = %.6g \u2014 %s", jstr(r, "rule"),
                         !strcmp(jstr(r, "confidence"), "reported") ? " (reported)" : "",
                         metric_title(k ? map_planes[p].y : map_planes[p].x, 1), jnum(b, "value"), jstr(r, "citation"));
                y = wrapped(f, text, x + 8, y, COL_W - 28, 9.5, "note");
            }
            k = 1;
        }
    }
    return y;
}

/* One date: its heading, both planes with their notes, and the rules of its lines. Returns the height. */
static double draw_column(FILE *f, const map_data *m, size_t d, double x0, double y0)
{
    const cJSON *sh = jget(m->env[d][0], "shipment"), *r;
    char vers[512] = "";
    cJSON_ArrayForEach(r, jget(m->env[d][0], "rulesets")) snprintf(vers + strlen(vers), sizeof vers - strlen(vers),
        "%s%s@%s", vers[0] ? "  \u00b7  " : "", jstr(r, "id"), jstr(r, "version") ? jstr(r, "version") : "(none)");
    fprintf(f, "<text class=\"date\" x=\"%.1f\" y=\"%.1f\">%s</text>\n", x0 + 8, y0 + 20, jstr(sh, "date"));
    fprintf(f, "<text class=\"vers\" x=\"%.1f\" y=\"%.1f\">", x0 + 8, y0 + 36);
    svg_text(f, vers);
    fputs("</text>\n", f);
    double y = y0 + 44;
    for (int p = 0; p < MAP_PLANES; p++) {
        double h = draw_plane(f, m, d, p, x0, y);
        if (h < 0)
            return -1;
        y = plane_notes(f, m, d, p, x0 + 8, y + h + 4) + 10;
    }
    return line_notes(f, m, d, x0 + 8, y) - y0;
}

static const char style[] =
    "<style>\n"
    "text{font-family:" FONT ";fill:#222}\n"
    ".title{font-size:20px;font-weight:bold}.sub{font-size:11.5px;fill:#444}\n"
    ".date{font-size:17px;font-weight:bold}.vers{font-size:10.5px;fill:#555}\n"
    ".tick{font-size:10px;fill:#555}.axt{font-size:11px;fill:#333}\n"
    ".grid{stroke:#000;stroke-opacity:.08;stroke-width:1}.frame{fill:none;stroke:#8a8a8a;stroke-width:1}\n"
    ".bound{fill:none;stroke:#1d1d1d;stroke-width:1.8;stroke-linejoin:round}\n"
    ".nodc{fill:none;stroke:#1d1d1d;stroke-width:1.6;stroke-dasharray:7 5}\n"
    ".r-allowed{fill:#edf5ec;stroke:#edf5ec}.r-approval{fill:#fbe8b5;stroke:#fbe8b5}.r-cbc{fill:#f8c995;"
    "stroke:#f8c995}.r-denial,.r-lr{fill:#f0a193;stroke:#f0a193}.r-indet{fill:url(#hatch);stroke:#d0d0d0}\n"
    "path[class^=r-]{stroke-width:.8}\n"
    ".chip circle{stroke:#fff;stroke-width:1.2}.chip circle.hollow{fill:#fff;stroke-width:2.3}\n"
    ".c-allowed{fill:#2e7d32}.c-approval{fill:#b8860b}.c-cbc{fill:#e65100}.c-denial,.c-lr{fill:#c62828}"
    ".c-indet{fill:#6f6f6f}\n"
    ".chip .c-allowed.hollow{stroke:#2e7d32}.chip .c-approval.hollow{stroke:#b8860b}.chip .c-cbc.hollow{stroke:#e65100}"
    ".chip .c-denial.hollow,.chip .c-lr.hollow{stroke:#c62828}.chip .c-indet.hollow{stroke:#6f6f6f}\n"
    ".brk text,.plab text{font-size:10px;font-weight:bold;fill:#6b1d12}.brk.rep text,.plab.rep text{fill:#8a5a00;"
    "font-style:italic}.plab text{paint-order:stroke;stroke:#fff;stroke-width:3}\n"
    ".brkt{stroke:#6b1d12;stroke-width:1.2}\n"
    ".rcls,.rlab,.clab{paint-order:stroke;stroke:#fff;stroke-linejoin:round}\n"
    ".rcls{font-size:12px;font-weight:bold;fill:#2a2a2a;stroke-opacity:.85;stroke-width:3}"
    ".rlab{font-size:11px;fill:#2a2a2a;stroke-opacity:.85;stroke-width:3}.clab{font-size:10px;fill:#111;stroke-width:2.6}\n"
    ".leader{stroke:#666;stroke-width:.7}.note{font-size:10px;fill:#444}.noteh{font-size:10px;font-weight:bold;fill:#333}\n"
    ".legend text{font-size:11px;fill:#333}\n"
    "</style>\n"
    "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
    "<rect width=\"6\" height=\"6\" fill=\"#e6e6e6\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b9b9b9\" "
    "stroke-width=\"2\"/></pattern></defs>\n";

/* Is an outcome category drawn anywhere (a region or a chip)? */
static int category_used(const map_data *m, const char *cat)
{
    for (size_t d = 0; d < m->ndates; d++) {
        const cJSON *o;
        for (int p = 0; p < MAP_PLANES; p++)
            cJSON_ArrayForEach(o, jget(m->env[d][p], "outcomes")) if (!strcmp(category(jstr(o, "verdict"),
                                                                        jstr(o, "review_policy")), cat)) return 1;
        for (size_t i = 0; i < m->nchips; i++)
            if (!strcmp(category(m->chips[i].at[d].verdict, m->chips[i].at[d].policy[0] ? m->chips[i].at[d].policy : NULL),
                        cat))
                return 1;
    }
    return 0;
}

/* Where the next legend entry of w pixels goes: on this row, else at the start of the next. */
static void legend_room(double *x, double *y, double x0, double width, double w)
{
    if (*x > x0 && *x + w > x0 + width) {
        *x = x0;
        *y += 20;
    }
}

enum { SW_REGION, SW_CHIP, SW_HOLLOW, SW_BOUND, SW_NODC };

/* One legend entry: its swatch (a region shade with its chip colour, a marker or a line) and its words. */
static void legend_entry(FILE *f, double *x, double *y, double x0, double width, int kind, const char *cat,
                         const char *words)
{
    legend_room(x, y, x0, width, 22 + text_width(words, 11));
    if (kind == SW_REGION)
        fprintf(f, "<rect class=\"r-%s\" x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"12\" stroke=\"#999\"/>"
                "<g class=\"chip\"><circle class=\"c-%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/></g>", cat, *x, *y - 6, cat,
                *x + 8, *y);
    else if (kind == SW_CHIP || kind == SW_HOLLOW)
        fprintf(f, "<g class=\"chip\"><circle class=\"c-%s%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"/></g>", cat,
                kind == SW_HOLLOW ? " hollow" : "", *x + 8, *y, kind == SW_HOLLOW ? "4.2" : "5");
    else
        fprintf(f, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", kind == SW_BOUND ? "bound"
                : "nodc", *x, *y, *x + 18, *y);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", *x + 22, *y + 4);
    svg_text(f, words);
    fputs("</text>\n", f);
    *x += 22 + text_width(words, 11) + 20;
}

/* The legend: the outcomes drawn (region shades, chip colours), the markers and the lines. Returns its bottom. */
static double draw_legend(FILE *f, const map_data *m, double x0, double y, double width)
{
    double x = x0;
    fputs("<g class=\"legend\">\n", f);
    for (size_t i = 0; i < sizeof category_words / sizeof category_words[0]; i++)
        if (category_used(m, category_words[i].cat))
            legend_entry(f, &x, &y, x0, width, SW_REGION, category_words[i].cat, category_words[i].words);
    x = x0, y += 22;
    legend_entry(f, &x, &y, x0, width, SW_CHIP, "allowed", "chip for datacenters");
    legend_entry(f, &x, &y, x0, width, SW_HOLLOW, "allowed", "not for datacenters, or not known");
    legend_entry(f, &x, &y, x0, width, SW_BOUND, "", "class or outcome changes");
    legend_entry(f, &x, &y, x0, width, SW_NODC, "", "the same, for a design not for datacenters");
    fputs("</g>\n", f);
    return y + 16;
}

/* The title, what the picture shows, and the legend. Returns the y below them. */
static double draw_head(FILE *f, const map_data *m, double width)
{
    const cJSON *sh = jget(m->env[0][0], "shipment");
    char title[256], sub[1024];
    snprintf(title, sizeof title, "Where chips sit against the export-control lines \u2014 to %s%s%s%s%s",
             jstr(sh, "destination"), m->o.hq ? ", end user headquartered in " : "", m->o.hq ? m->o.hq : "",
             m->o.from ? ", exported from " : "", m->o.from ? m->o.from : "");
    snprintf(sub, sizeof sub, "Shading: the outcome for a new design for datacenters at each point of the plane, the "
             "other figures held as noted under it. Dots: each chip's own verdict on that date. Lines and regions come "
             "from the rule files of the versions named above each column (chipcheck %s); hover for the rules and "
             "citations. A screening aid, not legal advice.", chipcheck_version());
    double y = wrapped(f, title, MARGIN, MARGIN + 12, width, 22, "title"); /* 22: bold runs wider */
    y = wrapped(f, sub, MARGIN, y + 2, width, 11.5, "sub");
    return draw_legend(f, m, MARGIN, y + 10, width) + 8;
}

int map_draw(FILE *f, const map_data *m)
{
    char *buf[MAP_DATES + 1] = {0};
    size_t len[MAP_DATES + 1] = {0};
    double width = 2 * MARGIN + (double)m->ndates * COL_W + (double)(m->ndates - 1) * GAP, height = 0, top;
    FILE *mf = open_memstream(&buf[MAP_DATES], &len[MAP_DATES]);
    if (mf == NULL)
        return -1;
    top = draw_head(mf, m, width - 2 * MARGIN);
    fclose(mf);
    int rc = 0;
    for (size_t d = 0; d < m->ndates && rc == 0; d++) {
        if ((mf = open_memstream(&buf[d], &len[d])) == NULL)
            rc = -1;
        double h = mf ? draw_column(mf, m, d, MARGIN + (double)d * (COL_W + GAP), top) : -1;
        if (mf)
            fclose(mf);
        rc = h < 0 ? -1 : rc;
        height = h > height ? h : height;
    }
    if (rc == 0) {
        fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
                "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n", width, top + height + MARGIN, width, top + height + MARGIN);
        fprintf(f, "%s<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n", style);
        for (size_t i = 0; i <= MAP_DATES; i++)
            if (buf[(i + MAP_DATES) % (MAP_DATES + 1)])
                fwrite(buf[(i + MAP_DATES) % (MAP_DATES + 1)], 1, len[(i + MAP_DATES) % (MAP_DATES + 1)], f);
        fputs("</svg>\n", f);
    }
    for (size_t i = 0; i <= MAP_DATES; i++)
        free(buf[i]);
    return rc;
}
