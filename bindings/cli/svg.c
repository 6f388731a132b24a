/*
 * svg.c: small drawing helpers for the command's SVG and HTML output (map.c, report.c): scales and ticks,
 * polygons clipped by half-planes, path data, escaped text, and a label placer that avoids overlaps. Nothing here
 * knows about rules or chips.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static double scale_t(const scale *s, double v)
{
    if (s->log) {
        double lv = log10(v > 0 ? v : s->d0 / 10);
        return (lv - log10(s->d0)) / (log10(s->d1) - log10(s->d0));
    }
    return (v - s->d0) / (s->d1 - s->d0);
}

double scale_at(const scale *s, double v)
{
    double t = scale_t(s, v);
    t = t < -0.05 ? -0.05 : t > 1.05 ? 1.05 : t; /* far outside: just past the edge (clipped there) */
    return s->p0 + t * (s->p1 - s->p0);
}

int scale_contains(const scale *s, double v) { return v >= s->d0 && v <= s->d1 && (!s->log || v > 0); }

/* A round step for a linear axis: 1, 2 or 5 times a power of ten, about (d1 - d0) / 6. */
static double nice_step(double span)
{
    double raw = span / 6, p = pow(10, floor(log10(raw))), m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/* Widen a range to round values: a log axis to 1, 2 or 5 times a power of ten, a linear one to its step. */
void scale_round(scale *s)
{
    if (s->log) {
        static const double m[] = {1, 1.5, 2, 3, 5, 7, 10};
        const int nm = (int)(sizeof m / sizeof m[0]);
        double lo = pow(10, floor(log10(s->d0))), hi = pow(10, floor(log10(s->d1)));
        for (int i = nm - 1; i >= 0; i--)
            if (lo * m[i] <= s->d0) {
                lo *= m[i];
                break;
            }
        for (int i = 0; i < nm; i++)
            if (hi * m[i] >= s->d1) {
                hi *= m[i];
                break;
            }
        s->d0 = lo;
        s->d1 = hi;
    } else {
        double st = nice_step(s->d1 - s->d0);
        s->d0 = floor(s->d0 / st) * st;
        s->d1 = ceil(s->d1 / st) * st;
    }
}

size_t scale_ticks(const scale *s, double *out, size_t max)
{
    size_t n = 0;
    if (s->log) {
        for (double p = pow(10, floor(log10(s->d0))); p <= s->d1 * 1.0001 && n < max; p *= 10)
            for (int m = 1; m <= 5 && n < max; m += m == 1 ? 1 : 3) /* 1, 2, 5 */
                if (p * m >= s->d0 * 0.9999 && p * m <= s->d1 * 1.0001)
                    out[n++] = p * m;
        return n;
    }
    double st = nice_step(s->d1 - s->d0);
    for (double v = ceil(s->d0 / st) * st; v <= s->d1 + st * 1e-9 && n < max; v += st)
        out[n++] = fabs(v) < st * 1e-9 ? 0 : v;
    return n;
}

void svg_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* Sutherland-Hodgman against one half-plane: keep the points where a*x + b*y + c >= 0. out holds 2n points. */
size_t clip_halfplane(const pt *in, size_t n, double a, double b, double c, pt *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        pt p = in[i], q = in[(i + 1) % n];
        double fp = a * p.x + b * p.y + c, fq = a * q.x + b * q.y + c;
        if (fp >= 0)
            out[m++] = p;
        if ((fp >= 0) != (fq >= 0)) {
            double t = fp / (fp - fq);
            out[m++] = (pt){p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)};
        }
    }
    return m;
}

/* Path data of a polyline (closed: a polygon) given in data space; an edge that is not along an axis is cut in
 * pieces, so that a straight line in data space follows a log axis. */
void svg_path(FILE *f, const pt *p, size_t n, const scale *sx, const scale *sy, int closed)
{
    for (size_t i = 0; i < n; i++) {
        pt a = p[i], b = p[(i + 1) % n];
        printf_path_point(f, i == 0 ? 'M' : 'L', scale_at(sx, a.x), scale_at(sy, a.y));
        if (i + 1 == n && !closed)
            break;
        int pieces = (a.x != b.x && a.y != b.y && (sx->log || sy->log)) ? 24 : 1;
        for (int k = 1; k < pieces; k++) {
            double t = (double)k / pieces;
            printf_path_point(f, 'L', scale_at(sx, a.x + t * (b.x - a.x)), scale_at(sy, a.y + t * (b.y - a.y)));
        }
    }
    if (closed)
        fputc('Z', f);
}

void printf_path_point(FILE *f, char cmd, double x, double y) { fprintf(f, "%c%.1f %.1f", cmd, x, y); }

/* Width of a text in the sans-serif font used, estimated per character class (good enough to avoid overlaps). */
double text_width(const char *s, double size)
{
    double w = 0;
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c & 0xC0) == 0x80)
            continue; /* UTF-8 continuation */
        w += strchr("ijlft.,:;|!' ()", c) ? 0.36 : strchr("mwMW", c) ? 0.9 : (c >= 'A' && c <= 'Z') ? 0.72
           : (c >= '0' && c <= '9') ? 0.64 : c >= 0x80 ? 0.7 : 0.61; /* DejaVu Sans */
    }
    return w * size;
}

static int overlaps(rect a, rect b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }

int placer_free(const placer *pl, rect r)
{
    if (r.x0 < pl->bounds.x0 || r.x1 > pl->bounds.x1 || r.y0 < pl->bounds.y0 || r.y1 > pl->bounds.y1)
        return 0;
    for (size_t i = 0; i < pl->n; i++)
        if (overlaps(pl->r[i], r))
            return 0;
    return 1;
}

void placer_add(placer *pl, rect r)
{
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 64;
        rect *nr = realloc(pl->r, cap * sizeof *nr);
        if (nr == NULL)
            return; /* a label may then overlap; nothing else depends on it */
        pl->r = nr;
        pl->cap = cap;
    }
    pl->r[pl->n++] = r;
}

void placer_free_all(placer *pl)
{
    free(pl->r);
    pl->r = NULL;
    pl->n = pl->cap = 0;
}
