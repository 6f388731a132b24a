/*
 * expr.c: the arithmetic expressions of rule files ("tpp / die_area_mm2", "max(a, b) + 1"): a small
 * recursive-descent parser into a tree whose metric references are resolved to slots at load, and the
 * evaluator. A missing operand, a division by zero or a non-finite result makes the value unknown.
 */
#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define EXPR_MAX_DEPTH 48

typedef struct parser {
    const char *s;
    size_t pos;
    int depth, allow_vars;
    expr_name_fn names;
    void *ctx;
    size_t err_pos;
    char *msg;
    size_t msgsz;
    int failed;
} parser;

__attribute__((format(printf, 3, 4)))
static expr *fail(parser *p, size_t pos, const char *fmt, ...)
{
    if (!p->failed) {
        p->failed = 1;
        p->err_pos = pos;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->msg, p->msgsz, fmt, ap);
        va_end(ap);
    }
    return NULL;
}

static void skip_ws(parser *p)
{
    while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' || p->s[p->pos] == '\r')
        p->pos++;
}

static expr *node(expr_op op, size_t nargs)
{
    expr *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->op = op;
    if (nargs) {
        e->args = calloc(nargs, sizeof *e->args);
        if (!e->args) {
            free(e);
            return NULL;
        }
        e->nargs = nargs;
    }
    return e;
}

void expr_free(expr *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nargs; i++)
        expr_free(e->args[i]);
    free(e->args);
    free(e);
}

static expr *parse_sum(parser *p);

static expr *binary(parser *p, expr_op op, expr *l, expr *r)
{
    if (!l || !r) {
        expr_free(l);
        expr_free(r);
        return NULL;
    }
    expr *e = node(op, 2);
    if (!e) {
        expr_free(l);
        expr_free(r);
        return fail(p, p->pos, "%s", "out of memory");
    }
    e->args[0] = l;
    e->args[1] = r;
    return e;
}

static expr *parse_call(parser *p, expr_op op, size_t name_pos)
{
    /* p->pos is just after '(' */
    expr *e = node(op, 0);
    if (!e)
        return fail(p, p->pos, "%s", "out of memory");
    for (;;) {
        expr *a = parse_sum(p);
        if (!a) {
            expr_free(e);
            return NULL;
        }
        expr **na = realloc(e->args, (e->nargs + 1) * sizeof *na);
        if (!na) {
            expr_free(a);
            expr_free(e);
            return fail(p, p->pos, "%s", "out of memory");
        }
        e->args = na;
        e->args[e->nargs++] = a;
        skip_ws(p);
        if (p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->s[p->pos] == ')') {
            p->pos++;
            break;
        }
        expr_free(e);
        return fail(p, p->pos, "%s", "expected ',' or ')' in the arguments of min or max");
    }
    if (e->nargs < 2) {
        expr_free(e);
        return fail(p, name_pos, "%s", "min and max take two or more arguments");
    }
    return e;
}

static expr *parse_primary(parser *p)
{
    skip_ws(p);
    size_t start = p->pos;
    char c = p->s[p->pos];
    if (c == '(') {
        p->pos++;
        expr *e = parse_sum(p);
        if (!e)
            return NULL;
        skip_ws(p);
        if (p->s[p->pos] != ')') {
            expr_free(e);
            return fail(p, p->pos, "%s", "expected ')'");
        }
        p->pos++;
        return e;
    }
    if (isdigit((unsigned char)c) || c == '.') {
        char *end;
        double v = strtod(p->s + p->pos, &end);
        size_t n = (size_t)(end - (p->s + p->pos));
        if (n == 0 || !isfinite(v) || isalpha((unsigned char)*end) || *end == '_')
            return fail(p, start, "%s", "malformed number");
        p->pos += n;
        expr *e = node(X_NUM, 0);
        if (!e)
            return fail(p, start, "%s", "out of memory");
        e->num = v;
        return e;
    }
    if (isalpha((unsigned char)c) || c == '_') {
        while (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_')
            p->pos++;
        size_t len = p->pos - start;
        const char *name = p->s + start;
        skip_ws(p);
        if (p->s[p->pos] == '(') {
            expr_op op;
            if (len == 3 && strncmp(name, "min", 3) == 0)
                op = X_MIN;
            else if (len == 3 && strncmp(name, "max", 3) == 0)
                op = X_MAX;
            else
                return fail(p, start, "%s", "unknown function (only min and max exist)");
            p->pos++;
            return parse_call(p, op, start);
        }
        if (p->allow_vars && ((len == 4 && strncmp(name, "tops", 4) == 0) || (len == 4 && strncmp(name, "bits", 4) == 0))) {
            expr *e = node(X_VAR, 0);
            if (!e)
                return fail(p, start, "%s", "out of memory");
            e->slot = name[0] == 't' ? 0 : 1;
            return e;
        }
        int slot = -1;
        if (!p->names || p->names(p->ctx, name, len, &slot) != 0) {
            char buf[80];
            snprintf(buf, sizeof buf, "%.*s", (int)(len > 60 ? 60 : len), name);
            return fail(p, start, "unknown metric '%s'", buf);
        }
        expr *e = node(X_METRIC, 0);
        if (!e)
            return fail(p, start, "%s", "out of memory");
        e->slot = slot;
        return e;
    }
    if (c == '\0')
        return fail(p, start, "%s", "unexpected end of expression");
    char tok[2] = {c, '\0'};
    return fail(p, start, "unexpected '%s'", tok);
}

static expr *parse_unary(parser *p)
{
    if (++p->depth > EXPR_MAX_DEPTH) {
        p->depth--;
        return fail(p, p->pos, "%s", "expression nested too deeply");
    }
    skip_ws(p);
    expr *e;
    if (p->s[p->pos] == '-') {
        p->pos++;
        expr *a = parse_unary(p);
        e = NULL;
        if (a) {
            e = node(X_NEG, 1);
            if (e)
                e->args[0] = a;
            else
                expr_free(a);
        }
    } else {
        e = parse_primary(p);
    }
    p->depth--;
    return e;
}

static expr *parse_product(parser *p)
{
    expr *l = parse_unary(p);
    for (;;) {
        if (!l)
            return NULL;
        skip_ws(p);
        char c = p->s[p->pos];
        if (c != '*' && c != '/')
            return l;
        p->pos++;
        l = binary(p, c == '*' ? X_MUL : X_DIV, l, parse_unary(p));
    }
}

static expr *parse_sum(parser *p)
{
    if (++p->depth > EXPR_MAX_DEPTH) {
        p->depth--;
        return fail(p, p->pos, "%s", "expression nested too deeply");
    }
    expr *l = parse_product(p);
    for (;;) {
        if (!l)
            break;
        skip_ws(p);
        char c = p->s[p->pos];
        if (c != '+' && c != '-')
            break;
        p->pos++;
        l = binary(p, c == '+' ? X_ADD : X_SUB, l, parse_product(p));
    }
    p->depth--;
    return l;
}

expr *expr_parse(const char *text, int allow_vars, expr_name_fn names, void *ctx, size_t *err_pos, char *msg,
                 size_t msgsz)
{
    parser p = {text, 0, 0, allow_vars, names, ctx, 0, msg, msgsz, 0};
    expr *e = parse_sum(&p);
    if (e) {
        skip_ws(&p);
        if (p.s[p.pos] != '\0') {
            expr_free(e);
            e = fail(&p, p.pos, "%s", "unexpected text after the expression");
        }
    }
    if (!e && err_pos)
        *err_pos = p.err_pos;
    return e;
}

int expr_eval(const expr *e, const double *vals, const unsigned char *have, const double *vars, double *out)
{
    double a, b;
    switch (e->op) {
    case X_NUM:
        *out = e->num;
        return 1;
    case X_METRIC:
        if (!have[e->slot])
            return 0;
        *out = vals[e->slot];
        return 1;
    case X_VAR:
        if (!vars)
            return 0;
        *out = vars[e->slot];
        return 1;
    case X_NEG:
        if (!expr_eval(e->args[0], vals, have, vars, &a))
            return 0;
        *out = -a;
        return 1;
    case X_ADD: case X_SUB: case X_MUL: case X_DIV:
        if (!expr_eval(e->args[0], vals, have, vars, &a) || !expr_eval(e->args[1], vals, have, vars, &b))
            return 0;
        if (e->op == X_ADD) *out = a + b;
        else if (e->op == X_SUB) *out = a - b;
        else if (e->op == X_MUL) *out = a * b;
        else {
            if (b == 0.0)
                return 0;
            *out = a / b;
        }
        return isfinite(*out);
    case X_MIN: case X_MAX:
        for (size_t i = 0; i < e->nargs; i++) {
            if (!expr_eval(e->args[i], vals, have, vars, &a))
                return 0;
            if (i == 0 || (e->op == X_MIN ? a < *out : a > *out))
                *out = a;
        }
        return 1;
    }
    return 0;
}

field_mask expr_missing(const expr *e, const unsigned char *have, const field_mask *slot_missing)
{
    field_mask m = 0;
    if (e->op == X_METRIC && !have[e->slot])
        m |= slot_missing[e->slot];
    for (size_t i = 0; i < e->nargs; i++)
        m |= expr_missing(e->args[i], have, slot_missing);
    return m;
}

uint32_t expr_slots(const expr *e)
{
    uint32_t m = e->op == X_METRIC ? (uint32_t)1 << e->slot : 0;
    for (size_t i = 0; i < e->nargs; i++)
        m |= expr_slots(e->args[i]);
    return m;
}

int expr_single_metric(const expr *e) { return e->op == X_METRIC ? e->slot : -1; }
