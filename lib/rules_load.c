/*
 * rules_load.c: reads rule files into a chipcheck_rules collection. Each XML file is parsed without
 * network, DTDs or entity expansion, validated against the bundled XSD, compiled (expressions, patterns,
 * references) and then resolved against its extends chain into a version. Every error names file, line,
 * column and what was expected.
 */
#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "internal.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void) { xmlInitParser(); }

/* ---- positions ------------------------------------------------------------------------------------- */

/* Column (1-based) where `needle` starts on line `line` of buf, or 0. For an attribute pass `name=`. */
static int find_column(const unsigned char *buf, size_t len, int line, const char *needle)
{
    size_t i = 0;
    for (int l = 1; l < line && i < len; i++)
        if (buf[i] == '\n')
            l++;
    size_t start = i, nlen = strlen(needle);
    for (; i < len && buf[i] != '\n'; i++)
        if (i + nlen <= len && memcmp(buf + i, needle, nlen) == 0)
            return (int)(i - start) + 1;
    return 0;
}

/* Column of an attribute's value (just after the opening quote) on line `line`. */
static int attr_column(const rfile *f, int line, const char *attr)
{
    char needle[80];
    snprintf(needle, sizeof needle, " %s=", attr);
    int c = find_column(f->bytes, f->len, line, needle);
    return c ? c + (int)strlen(needle) + 1 : 0;
}

static int elem_column(const rfile *f, int line, const char *name)
{
    char needle[80];
    snprintf(needle, sizeof needle, "<%s", name);
    return find_column(f->bytes, f->len, line, needle);
}

/* ---- load state ----------------------------------------------------------------------------------- */

typedef struct loader {
    chipcheck_rules *r;
    chipcheck_error *err;
    rfile *f;           /* file being compiled */
} loader;

static int intern(char ***names, size_t *n, const char *name, size_t len)
{
    for (size_t i = 0; i < *n; i++)
        if (strlen((*names)[i]) == len && strncmp((*names)[i], name, len) == 0)
            return (int)i;
    char **nn = realloc(*names, (*n + 1) * sizeof *nn);
    if (!nn)
        return -1;
    *names = nn;
    nn[*n] = xstrndup(name, len);
    if (!nn[*n])
        return -1;
    return (int)(*n)++;
}

static int lookup(char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

/* Expression names: raw chip numbers or metrics some file derives (interned before compiling). */
static int metric_name_cb(void *ctx, const char *name, size_t len, int *slot)
{
    loader *L = ctx;
    for (size_t i = 0; i < L->r->nmetrics; i++)
        if (strlen(L->r->metric_names[i]) == len && strncmp(L->r->metric_names[i], name, len) == 0) {
            *slot = (int)i;
            return 0;
        }
    return -1;
}

static char *prop(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

/* Text content with runs of white space collapsed to one space, trimmed. */
static char *text_of(xmlNodePtr n)
{
    xmlChar *v = xmlNodeGetContent(n);
    if (!v)
        return xstrdup("");
    size_t len = strlen((const char *)v), j = 0;
    char *out = malloc(len + 1);
    if (out) {
        int space = 0;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = v[i];
            if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                space = j > 0;
                continue;
            }
            if (space)
                out[j++] = ' ';
            space = 0;
            out[j++] = (char)c;
        }
        out[j] = '\0';
    }
    xmlFree(v);
    return out;
}

static int is_elem(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr first_elem(xmlNodePtr n)
{
    for (n = n ? n->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

__attribute__((format(printf, 4, 5)))
static int rerr(loader *L, xmlNodePtr n, const char *attr, const char *fmt, ...)
{
    int line = n ? (int)xmlGetLineNo(n) : 0;
    int col = 0;
    if (n && attr)
        col = attr_column(L->f, line, attr);
    if (n && !col)
        col = elem_column(L->f, line, (const char *)n->name);
    char msg[240];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(L->err, CHIPCHECK_ERR_RULES, L->f->path, line, col, attr ? attr : (n ? (const char *)n->name : ""),
                   "%s", msg);
}

static const source *find_source(loader *L, xmlNodePtr n)
{
    char *id = prop(n, "source");
    const source *s = NULL;
    for (size_t i = 0; id && i < L->f->nsources; i++)
        if (strcmp(L->f->sources[i].id, id) == 0)
            s = &L->f->sources[i];
    if (!s && id)
        rerr(L, n, "source", "source '%s' is not declared in this file's <sources>", id);
    free(id);
    return s;
}

/* Split a space-separated list into an array of strings. */
/* Split a space-separated list. Out of memory returns NULL with *n == SPLIT_OOM: a list silently cut short
 * could drop a country from a group, so every caller treats it as an error. */
#define SPLIT_OOM ((size_t)-1)
static void free_list(char **l, size_t n);
static char **split_list(const char *s, size_t *n)
{
    *n = 0;
    char **out = NULL;
    while (s && *s) {
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        if (!*s)
            break;
        const char *e = s;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r')
            e++;
        char **no = realloc(out, (*n + 1) * sizeof *no);
        char *item = no ? xstrndup(s, (size_t)(e - s)) : NULL;
        if (!item) {
            free_list(no ? no : out, *n);
            *n = SPLIT_OOM;
            return NULL;
        }
        out = no;
        out[(*n)++] = item;
        s = e;
    }
    return out;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

/* Parse a list of country codes into a set; checks each is an assigned ISO 3166-1 code. */
static int countries_into(loader *L, xmlNodePtr n, const char *attr, const char *list, country_set *set)
{
    size_t cnt;
    char **codes = split_list(list, &cnt);
    if (cnt == SPLIT_OOM)
        return err_set(L->err, CHIPCHECK_ERR_NOMEM, L->f->path, 0, 0, NULL, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < cnt && rc == 0; i++) {
        int ci = country_index(codes[i]);
        if (ci < 0 || !country_is_iso(ci))
            rc = rerr(L, n, attr, "'%s' is not an ISO 3166-1 alpha-2 country code", codes[i]);
        else
            cset_add(set, ci);
    }
    free_list(codes, cnt);
    return rc;
}

/* ---- conditions ----------------------------------------------------------------------------------- */

void cond_free(cond *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nkids; i++)
        cond_free(c->kids[i]);
    free(c->kids);
    expr_free(c->left);
    expr_free(c->right);
    free(c->left_text);
    free(c->right_text);
    free(c->pattern);
    if (c->re)
        pcre2_code_free(c->re);
    free(c->groups);
    free(c->in_text);
    free(c->classes);
    free(c);
}

static expr *compile_expr(loader *L, xmlNodePtr n, const char *attr, const char *text, int vars)
{
    size_t pos = 0;
    char msg[160] = "";
    expr *e = expr_parse(text, vars, metric_name_cb, L, &pos, msg, sizeof msg);
    if (!e) {
        int line = (int)xmlGetLineNo(n);
        int col = attr_column(L->f, line, attr);
        err_set(L->err, CHIPCHECK_ERR_RULES, L->f->path, line, col ? col + (int)pos : 0, attr,
                "%s in expression '%s'", msg, text);
    }
    return e;
}

#define COND_MAX_DEPTH 32

static cond *compile_cond(loader *L, xmlNodePtr n, int depth);

static int compile_kids(loader *L, xmlNodePtr n, cond *c, int depth)
{
    for (xmlNodePtr k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        cond *kc = compile_cond(L, k, depth + 1);
        if (!kc)
            return -1;
        cond **nk = realloc(c->kids, (c->nkids + 1) * sizeof *nk);
        if (!nk) {
            cond_free(kc);
            return err_set(L->err, CHIPCHECK_ERR_NOMEM, L->f->path, 0, 0, NULL, "out of memory");
        }
        c->kids = nk;
        c->kids[c->nkids++] = kc;
    }
    return 0;
}

/* Intern a classification name; evaluation keeps one slot per name, so there are at most MAX_CLASSES. */
static int intern_class(loader *L, xmlNodePtr n, const char *attr, const char *name)
{
    int id = intern(&L->r->class_names, &L->r->nclass_names, name, strlen(name));
    if (id < 0) {
        err_set(L->err, CHIPCHECK_ERR_NOMEM, L->f->path, 0, 0, NULL, "out of memory");
        return -1;
    }
    if (id >= MAX_CLASSES) {
        rerr(L, n, attr, "more than %d distinct classifications across the rule files ('%s' is one too many)",
             MAX_CLASSES, name);
        return -1;
    }
    return id;
}

static const char *const op_texts[] = {">=", ">", "<=", "<", "==", "!="};
const char *cmp_op_text(cmp_op op) { return op_texts[op]; }

static cond *compile_cond(loader *L, xmlNodePtr n, int depth)
{
    if (depth > COND_MAX_DEPTH) {
        rerr(L, n, NULL, "conditions nested more than 32 deep");
        return NULL;
    }
    cond *c = calloc(1, sizeof *c);
    if (!c) {
        err_set(L->err, CHIPCHECK_ERR_NOMEM, L->f->path, 0, 0, NULL, "out of memory");
        return NULL;
    }
    c->line = (int)xmlGetLineNo(n);
    const char *name = (const char *)n->name;
    char *a = NULL, *b = NULL, *o = NULL;
    int ok = 0;
    if (!strcmp(name, "all") || !strcmp(name, "any") || !strcmp(name, "not")) {
        c->kind = name[1] == 'l' ? C_ALL : name[1] == 'n' ? C_ANY : C_NOT;
        ok = compile_kids(L, n, c, depth) == 0;
    } else if (!strcmp(name, "cmp")) {
        c->kind = C_CMP;
        c->left_text = prop(n, "left");
        c->right_text = prop(n, "right");
        o = prop(n, "op");
        for (int i = 0; o && i < 6; i++)
            if (!strcmp(o, op_texts[i]))
                c->op = (cmp_op)i;
        c->left = c->left_text ? compile_expr(L, n, "left", c->left_text, 0) : NULL;
        c->right = c->left && c->right_text ? compile_expr(L, n, "right", c->right_text, 0) : NULL;
        ok = c->left && c->right;
    } else if (!strcmp(name, "flag")) {
        c->kind = C_FLAG;
        c->field = F_DATACENTER;
        a = prop(n, "is");
        const char *v = a ? a : "";
        while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r') /* xs:boolean collapses white space */
            v++;
        size_t vl = strcspn(v, " \t\n\r");
        c->flag_value = (vl == 4 && !strncmp(v, "true", 4)) || (vl == 1 && v[0] == '1');
        ok = c->flag_value || (vl == 5 && !strncmp(v, "false", 5)) || (vl == 1 && v[0] == '0');
        if (!ok)
            rerr(L, n, "is", "flag value '%s' is not true or false", a ? a : "");
    } else if (!strcmp(name, "matches") || !strcmp(name, "equals")) {
        c->kind = name[0] == 'm' ? C_MATCHES : C_EQUALS;
        a = prop(n, "field");
        c->field = (field_id)field_lookup(a ? a : "");
        c->pattern = prop(n, c->kind == C_MATCHES ? "pattern" : "value");
        ok = c->pattern != NULL;
        if (ok && c->kind == C_MATCHES) {
            int ecode;
            PCRE2_SIZE eoff;
            c->re = pcre2_compile((PCRE2_SPTR)c->pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                                  &ecode, &eoff, NULL);
            if (!c->re) {
                PCRE2_UCHAR buf[160];
                pcre2_get_error_message(ecode, buf, sizeof buf);
                int col = attr_column(L->f, c->line, "pattern");
                err_set(L->err, CHIPCHECK_ERR_RULES, L->f->path, c->line, col ? col + (int)eoff : 0, "pattern",
                        "bad regular expression '%s': %s at offset %d", c->pattern, (const char *)buf, (int)eoff);
                ok = 0;
            } else {
#ifndef CHIPCHECK_NO_JIT /* make valgrind: JIT code reads whole words past short subjects, by design */
                (void)pcre2_jit_compile(c->re, PCRE2_JIT_COMPLETE); /* plain matching when JIT is absent */
#endif
                c->pattern_id = L->r->npatterns++;
            }
        }
    } else if (!strcmp(name, "in")) {
        c->kind = C_IN;
        a = prop(n, "field");
        c->field = (field_id)field_lookup(a ? a : "");
        b = prop(n, "groups");
        o = prop(n, "countries");
        ok = 1;
        if (!b && !o)
            ok = rerr(L, n, NULL, "<in> needs groups, countries or both") == 0;
        size_t ng = 0;
        char **gl = split_list(b, &ng);
        if (ng == SPLIT_OOM) {
            ng = 0;
            ok = 0;
            err_set(L->err, CHIPCHECK_ERR_NOMEM, L->f->path, 0, 0, NULL, "out of memory");
        }
        c->groups = calloc(ng ? ng : 1, sizeof *c->groups);
        for (size_t i = 0; ok && c->groups && i < ng; i++) {
            int gid = intern(&L->r->group_names, &L->r->ngroup_names, gl[i], strlen(gl[i]));
            if (gid < 0)
                ok = 0;
            c->groups[c->ngroups++] = gid;
        }
        free_list(gl, ng);
        if (ok && o && countries_into(L, n, "countries", o, &c->countries) != 0)
            ok = 0;
        size_t tl = (b ? strlen(b) : 0) + (o ? strlen(o) : 0) + 2;
        c->in_text = malloc(tl);
        if (c->in_text)
            snprintf(c->in_text, tl, "%s%s%s", b ? b : "", b && o ? " " : "", o ? o : "");
        ok = ok && c->groups && c->in_text;
    } else if (!strcmp(name, "classified")) {
        c->kind = C_CLASSIFIED;
        a = prop(n, "as");
        size_t nc = 0;
        char **cl = split_list(a, &nc);
        if (nc == SPLIT_OOM) {
            nc = 0;
            err_set(L->err, CHIPCHECK_ERR_NOMEM, L->f->path, 0, 0, NULL, "out of memory");
        }
        c->classes = calloc(nc ? nc : 1, sizeof *c->classes);
        ok = c->classes != NULL && nc > 0;
        for (size_t i = 0; ok && i < nc; i++) {
            int cid = intern_class(L, n, "as", cl[i]);
            ok = cid >= 0;
            c->classes[c->nclasses++] = cid;
        }
        free_list(cl, nc);
    } else if (!strcmp(name, "unresolved")) {
        c->kind = C_UNRESOLVED;
        ok = 1;
    } else {
        rerr(L, n, NULL, "unknown condition <%s>", name);
    }
    free(a);
    free(b);
    free(o);
    if (!ok) {
        if (L->err && L->err->code == CHIPCHECK_OK)
            rerr(L, n, NULL, "could not compile <%s>", name);
        cond_free(c);
        return NULL;
    }
    return c;
}

/* ---- files ---------------------------------------------------------------------------------------- */

static void rule_free(rule *r)
{
    free(r->id);
    free(r->code);
    free(r->citation);
    free(r->text);
    free(r->needs);
    free_list(r->applies_to, r->napplies);
    free_list(r->conditions, r->nconditions);
    cond_free(r->when);
}

static void rfile_free(rfile *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nsources; i++) {
        source *s = &f->sources[i];
        free(s->id); free(s->kind); free(s->confidence); free(s->citation); free(s->as_of); free(s->title);
    }
    free(f->sources);
    for (size_t i = 0; i < f->ngroups; i++)
        free(f->groups[i].as_of);
    free(f->groups);
    free(f->aliases);
    for (size_t i = 0; i < f->nderives; i++) {
        expr_free(f->derives[i].e);
        free(f->derives[i].text);
    }
    free(f->derives);
    for (size_t i = 0; i < f->nrules; i++)
        rule_free(&f->rules[i]);
    free(f->rules);
    for (size_t i = 0; i < f->nns; i++) {
        free(f->ns[i].code); free(f->ns[i].label); free(f->ns[i].text);
    }
    free(f->ns);
    free(f->path); free(f->bytes);
    free(f->regime); free(f->version); free(f->effective); free(f->extends); free(f->title); free(f->description);
    free(f->reviewed); free(f->uses); free(f->regime_given); free(f->version_given);
    free(f);
}

static size_t count_children(xmlNodePtr n, const char *name)
{
    size_t c = 0;
    for (n = n ? n->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && (!name || is_elem(n, name)))
            c++;
    return c;
}

static size_t expr_nodes(const expr *e)
{
    size_t n = 1;
    for (size_t i = 0; i < e->nargs; i++)
        n += expr_nodes(e->args[i]);
    return n;
}

/* What a condition costs to evaluate: its elements and the operations of its expressions. */
static size_t cond_nodes(const cond *c)
{
    size_t n = 1 + (c->left ? expr_nodes(c->left) : 0) + (c->right ? expr_nodes(c->right) : 0);
    for (size_t i = 0; i < c->nkids; i++)
        n += cond_nodes(c->kids[i]);
    return n;
}

static int compile_rule(loader *L, xmlNodePtr n, rule *r)
{
    const char *nm = (const char *)n->name;
    r->kind = !strcmp(nm, "classification") ? R_CLASSIFICATION
            : !strcmp(nm, "requirement")    ? R_REQUIREMENT
            : !strcmp(nm, "determination")  ? R_DETERMINATION
            : !strcmp(nm, "allowance")      ? R_ALLOWANCE
            : !strcmp(nm, "exception")      ? R_EXCEPTION : R_WITHDRAW;
    r->line = (int)xmlGetLineNo(n);
    r->file = L->f;
    r->id = prop(n, "id");
    r->class_id = -1;
    r->src = find_source(L, n);
    if (!r->id || !r->src)
        return -1;
    if (r->kind == R_WITHDRAW)
        return 0;
    r->code = prop(n, "code");
    if (!r->code)
        r->code = xstrdup(r->id);
    r->citation = prop(n, "citation");
    char *p = prop(n, "policy");
    if (p)
        r->pol = !strcmp(p, "presumption_of_denial") ? P_DENIAL : !strcmp(p, "case_by_case") ? P_CASE_BY_CASE : P_APPROVAL;
    free(p);
    if (r->kind == R_CLASSIFICATION) {
        char *cl = prop(n, "class");
        r->class_id = cl ? intern_class(L, n, "class", cl) : -1;
        free(cl);
        if (r->class_id < 0)
            return -1;
    }
    if (r->kind == R_ALLOWANCE || r->kind == R_EXCEPTION) {
        char *ap = prop(n, "applies-to");
        r->applies_to = split_list(ap, &r->napplies);
        free(ap);
        if (r->napplies == SPLIT_OOM) {
            r->napplies = 0;
            return err_set(L->err, CHIPCHECK_ERR_NOMEM, L->f->path, r->line, 0, NULL, "out of memory");
        }
    }
    if (r->kind == R_EXCEPTION) {
        r->needs = prop(n, "needs");
        char *au = prop(n, "authorization");
        r->auth_required = au && !strcmp(au, "required");
        free(au);
    }
    size_t ncond = count_children(n, "condition");
    if (ncond)
        r->conditions = calloc(ncond, sizeof *r->conditions);
    for (xmlNodePtr k = n->children; k; k = k->next) {
        if (is_elem(k, "text"))
            r->text = text_of(k);
        else if (is_elem(k, "when")) {
            xmlNodePtr c = first_elem(k);
            r->when = c ? compile_cond(L, c, 0) : NULL;
            if (!r->when)
                return -1;
            r->nodes = cond_nodes(r->when);
        } else if (is_elem(k, "condition") && r->conditions)
            r->conditions[r->nconditions++] = text_of(k);
    }
    if (!r->citation || !r->text || !r->when || !r->code)
        return err_set(L->err, CHIPCHECK_ERR_NOMEM, L->f->path, r->line, 0, NULL, "out of memory");
    return 0;
}

/* The <not-screened> items of a file: code, label and one sentence each, codes unique in the file. */
static int compile_not_screened(loader *L, xmlNodePtr ns)
{
    rfile *f = L->f;
    f->ns = calloc(count_children(ns, "item") + 1, sizeof *f->ns);
    if (!f->ns)
        return err_set(L->err, CHIPCHECK_ERR_NOMEM, f->path, 0, 0, NULL, "out of memory");
    for (xmlNodePtr k = ns ? ns->children : NULL; k; k = k->next) {
        if (!is_elem(k, "item"))
            continue;
        ns_item *it = &f->ns[f->nns++];
        it->code = prop(k, "code");
        it->label = prop(k, "label");
        it->text = text_of(k);
        it->line = (int)xmlGetLineNo(k);
        if (!it->code || !it->label || !it->text)
            return err_set(L->err, CHIPCHECK_ERR_NOMEM, f->path, 0, 0, NULL, "out of memory");
        for (size_t i = 0; i + 1 < f->nns; i++)
            if (!strcmp(f->ns[i].code, it->code))
                return rerr(L, k, "code", "not-screened item '%s' appears twice in this file", it->code);
    }
    return 0;
}

/* Compile a schema-valid document into L->f. */
static int compile_file(loader *L, xmlNodePtr root)
{
    rfile *f = L->f;
    f->regime = prop(root, "id");
    f->version = prop(root, "version");
    f->effective = prop(root, "effective");
    f->extends = prop(root, "extends");
    f->reviewed = prop(root, "reviewed");
    f->uses = prop(root, "uses");
    if (!f->regime || !f->version || !f->effective)
        return err_set(L->err, CHIPCHECK_ERR_NOMEM, f->path, 0, 0, NULL, "out of memory");
    const char *dates[] = {"version", "effective", "extends", "reviewed"};
    int st, ymd;
    const char *vals[] = {f->version, f->effective, f->extends, f->reviewed};
    for (int i = 0; i < 4; i++)
        if (vals[i] && (st = date_check(vals[i], &ymd)) != DATE_OK)
            return rerr(L, root, dates[i], "'%s' %s", vals[i], date_status_text(st));
    f->effective_ymd = date_parse(f->effective);
    f->line = (int)xmlGetLineNo(root);
    if (f->uses && !strcmp(f->uses, f->regime))
        return rerr(L, root, "uses", "a regime cannot use its own classifications ('%s')", f->uses);
    char *hist = prop(root, "history");
    f->not_researched = hist && !strcmp(hist, "not_researched");
    free(hist);
    if (hist && f->extends)
        return rerr(L, root, "history", "history is said on a regime's first version only (this one extends %s)",
                    f->extends);
    if (f->extends && strcmp(f->extends, f->version) >= 0)
        return rerr(L, root, "extends", "a version can only extend an earlier one; '%s' is not before '%s'",
                    f->extends, f->version);
    xmlNodePtr srcs = NULL, groups = NULL, metrics = NULL, rules = NULL, ns = NULL;
    for (xmlNodePtr k = root->children; k; k = k->next) {
        if (is_elem(k, "title")) f->title = text_of(k);
        else if (is_elem(k, "description")) f->description = text_of(k);
        else if (is_elem(k, "sources")) srcs = k;
        else if (is_elem(k, "country-groups")) groups = k;
        else if (is_elem(k, "metrics")) metrics = k;
        else if (is_elem(k, "rules")) rules = k;
        else if (is_elem(k, "not-screened")) ns = k;
    }
    /* sources */
    f->sources = calloc(count_children(srcs, NULL) + 1, sizeof *f->sources);
    if (!f->sources)
        return err_set(L->err, CHIPCHECK_ERR_NOMEM, f->path, 0, 0, NULL, "out of memory");
    for (xmlNodePtr k = srcs ? srcs->children : NULL; k; k = k->next) {
        if (!is_elem(k, "source"))
            continue;
        source *s = &f->sources[f->nsources++];
        s->id = prop(k, "id");
        s->kind = prop(k, "kind");
        s->confidence = prop(k, "confidence");
        s->citation = prop(k, "citation");
        s->as_of = prop(k, "as-of");
        s->title = text_of(k);
        for (size_t i = 0; i + 1 < f->nsources; i++)
            if (s->id && !strcmp(f->sources[i].id, s->id))
                return rerr(L, k, "id", "duplicate source id '%s'", s->id);
        if (s->as_of && (st = date_check(s->as_of, &ymd)) != DATE_OK)
            return rerr(L, k, "as-of", "'%s' %s", s->as_of, date_status_text(st));
    }
    if (compile_not_screened(L, ns) != 0)
        return -1;
    /* country groups and aliases */
    size_t ng = count_children(groups, "group"), na = count_children(groups, "alias");
    f->groups = calloc(ng + 1, sizeof *f->groups);
    f->aliases = calloc(na + 1, sizeof *f->aliases);
    if (!f->groups || !f->aliases)
        return err_set(L->err, CHIPCHECK_ERR_NOMEM, f->path, 0, 0, NULL, "out of memory");
    for (xmlNodePtr k = groups ? groups->children : NULL; k; k = k->next) {
        if (is_elem(k, "group")) {
            group_def *g = &f->groups[f->ngroups++];
            char *id = prop(k, "id");
            char *members = text_of(k);
            g->gid = id ? intern(&L->r->group_names, &L->r->ngroup_names, id, strlen(id)) : -1;
            g->as_of = prop(k, "as-of");
            g->src = find_source(L, k);
            int bad = g->gid < 0 || !g->src || !members;
            for (size_t i = 0; !bad && i + 1 < f->ngroups; i++)
                if (f->groups[i].gid == g->gid)
                    bad = rerr(L, k, "id", "country group '%s' is defined twice in this file", id) || 1;
            if (!bad && countries_into(L, k, NULL, members, &g->members) != 0)
                bad = 1;
            free(id);
            free(members);
            if (bad)
                return -1;
        } else if (is_elem(k, "alias")) {
            alias_def *a = &f->aliases[f->naliases++];
            char *code = prop(k, "code"), *as = prop(k, "as");
            a->code = country_index(code);
            a->as = country_index(as);
            a->src = find_source(L, k);
            int bad = !a->src;
            if (!bad && (!country_is_iso(a->code) || !country_is_iso(a->as)))
                bad = rerr(L, k, "code", "alias '%s' -> '%s' must name ISO 3166-1 alpha-2 codes", code, as) || 1;
            free(code);
            free(as);
            if (bad)
                return -1;
        }
    }
    /* derived metrics */
    f->derives = calloc(count_children(metrics, "derive") + 1, sizeof *f->derives);
    if (!f->derives)
        return err_set(L->err, CHIPCHECK_ERR_NOMEM, f->path, 0, 0, NULL, "out of memory");
    for (xmlNodePtr k = metrics ? metrics->children : NULL; k; k = k->next) {
        if (!is_elem(k, "derive"))
            continue;
        derive_def *d = &f->derives[f->nderives++];
        d->line = (int)xmlGetLineNo(k);
        char *id = prop(k, "id");
        char *ex = prop(k, "expr"), *mo = prop(k, "max-over-dense-throughput");
        d->slot = id ? lookup(L->r->metric_names, L->r->nmetrics, id) : -1;
        d->src = find_source(L, k);
        int bad = d->slot < 0 || !d->src;
        if (!bad && (!ex) == (!mo))
            bad = rerr(L, k, NULL, "<derive id='%s'> needs exactly one of expr or max-over-dense-throughput", id) || 1;
        if (!bad && d->slot == F_TPP && ex)
            bad = rerr(L, k, "expr", "tpp can only be derived with max-over-dense-throughput") || 1;
        if (!bad) {
            d->over_throughput = mo != NULL;
            d->text = xstrdup(ex ? ex : mo);
            d->e = compile_expr(L, k, ex ? "expr" : "max-over-dense-throughput", d->text, d->over_throughput);
            bad = !d->e;
        }
        if (!bad && !d->over_throughput && (expr_slots(d->e) >> d->slot & 1u))
            bad = rerr(L, k, "expr", "metric '%s' is derived from itself", id) || 1;
        free(id);
        free(ex);
        free(mo);
        if (bad)
            return -1;
    }
    /* rules */
    f->rules = calloc(count_children(rules, NULL) + 1, sizeof *f->rules);
    if (!f->rules)
        return err_set(L->err, CHIPCHECK_ERR_NOMEM, f->path, 0, 0, NULL, "out of memory");
    for (xmlNodePtr k = rules ? rules->children : NULL; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        rule *r = &f->rules[f->nrules++];
        if (compile_rule(L, k, r) != 0)
            return -1;
        for (size_t i = 0; i + 1 < f->nrules; i++)
            if (!strcmp(f->rules[i].id, r->id))
                return rerr(L, k, "id", "rule id '%s' appears twice in this file", r->id);
    }
    return 0;
}

/* ---- XML parsing and schema validation ------------------------------------------------------------ */

typedef struct xml_state { int dtd_seen; int line; } xml_state;

static void reject_dtd(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name; (void)ext; (void)sys;
    xmlParserCtxtPtr c = ctx;
    xml_state *st = c->_private;
    st->dtd_seen = 1;
    st->line = c->input ? c->input->line : 0;
    xmlStopParser(c);
}

typedef struct schema_err { chipcheck_error *err; const rfile *f; } schema_err;

static void on_schema_error(void *ud, xmlErrorPtr e)
{
    schema_err *se = ud;
    if (!se->err || se->err->code != CHIPCHECK_OK)
        return;
    char msg[256];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "schema violation");
    size_t ml = strlen(msg);
    while (ml > 0 && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
        msg[--ml] = '\0';
    int col = 0;
    xmlNodePtr n = e->node;
    if (n && n->type == XML_ELEMENT_NODE)
        col = elem_column(se->f, e->line, (const char *)n->name);
    err_set(se->err, CHIPCHECK_ERR_SCHEMA, se->f->path, e->line, col, n ? (const char *)n->name : "",
            "does not match the rule schema: %s", msg);
}

static xmlDocPtr parse_xml(rfile *f, chipcheck_error *err)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        err_set(err, CHIPCHECK_ERR_NOMEM, f->path, 0, 0, NULL, "out of memory");
        return NULL;
    }
    xml_state st = {0, 0};
    ctxt->_private = &st;
    ctxt->sax->internalSubset = reject_dtd;
    if (f->len > (size_t)INT32_MAX) {
        xmlFreeParserCtxt(ctxt);
        err_set(err, CHIPCHECK_ERR_PARSE, f->path, 0, 0, NULL, "file too large");
        return NULL;
    }
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, (const char *)f->bytes, (int)f->len, f->path, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    if (st.dtd_seen) {
        err_set(err, CHIPCHECK_ERR_PARSE, f->path, st.line, 1, "DOCTYPE",
                "a DOCTYPE (DTD) is not allowed in a rule file: entities and external references are refused");
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (!doc || !ctxt->wellFormed) {
        xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
        char msg[200] = "malformed XML";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t ml = strlen(msg);
            while (ml > 0 && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
                msg[--ml] = '\0';
        }
        err_set(err, CHIPCHECK_ERR_PARSE, f->path, e ? e->line : 0, e ? e->int2 : 0, NULL, "malformed XML: %s", msg);
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

/* ---- resolving versions -------------------------------------------------------------------------- */

static rfile *find_file(chipcheck_rules *r, const char *regime, const char *version)
{
    for (size_t i = 0; i < r->nfiles; i++)
        if (!strcmp(r->files[i]->regime, regime) && !strcmp(r->files[i]->version, version))
            return r->files[i];
    return NULL;
}

static const char *const cond_elem[] = {"all", "any", "not", "cmp", "flag", "matches", "equals", "in", "classified",
                                        "unresolved"};

static int cond_check(const chipcheck_rules *r, const rversion *v, const rule *ru, const cond *c,
                      const unsigned char *class_ready, chipcheck_error *err)
{
    const rfile *f = ru->file;
#define col elem_column(f, c->line, cond_elem[c->kind]) /* only computed for an error */
    if (c->kind == C_CMP) {
        uint32_t slots = expr_slots(c->left) | expr_slots(c->right);
        for (int s = F_NUMBER_COUNT; s < MAX_SLOTS; s++)
            if ((slots >> s & 1u) && !v->derive_by_slot[s])
                return err_set(err, CHIPCHECK_ERR_RULES, f->path, c->line, col, "cmp",
                               "rule '%s' uses metric '%s', which version %s does not derive", ru->id,
                               r->metric_names[s], v->file->version);
    }
    if (c->kind == C_IN)
        for (size_t i = 0; i < c->ngroups; i++)
            if (!v->group_by_id[c->groups[i]])
                return err_set(err, CHIPCHECK_ERR_RULES, f->path, c->line, col, "groups",
                               "rule '%s' uses country group '%s', which version %s does not define", ru->id,
                               r->group_names[c->groups[i]], v->file->version);
    if (c->kind == C_CLASSIFIED)
        for (size_t i = 0; i < c->nclasses; i++)
            if (!class_ready[c->classes[i]])
                return err_set(err, CHIPCHECK_ERR_RULES, f->path, c->line, col, "as",
                               "rule '%s' refers to classification '%s', which no earlier classification rule of "
                               "version %s (or of a regime it uses) produces", ru->id, r->class_names[c->classes[i]],
                               v->file->version);
#undef col
    for (size_t i = 0; i < c->nkids; i++)
        if (cond_check(r, v, ru, c->kids[i], class_ready, err) != 0)
            return -1;
    return 0;
}

/* Mark the classes produced by any file of the regime v uses (read at evaluation, which runs that regime
 * first). Returns how many files that regime has: 0 means it is not loaded. */
static size_t mark_used_classes(const chipcheck_rules *r, const rversion *v, unsigned char *ready)
{
    size_t files = 0;
    for (size_t i = 0; i < r->nfiles; i++) {
        const rfile *u = r->files[i];
        if (strcmp(u->regime, v->uses) != 0)
            continue;
        files++;
        for (size_t k = 0; k < u->nrules; k++)
            if (u->rules[k].kind == R_CLASSIFICATION)
                ready[u->rules[k].class_id] = 1;
    }
    return files;
}

/* A resolved version must be able to require a license (one that cannot would allow every shipment: a
 * version that withdraws every requirement is a mistake, never a repeal), and its conditions are bounded,
 * so that a check costs at most MAX_VERSION_NODES evaluations. */
static int version_bounds(const rversion *v, chipcheck_error *err)
{
    const rfile *f = v->file;
    size_t nodes = 0, requirements = 0;
    for (size_t i = 0; i < v->nrules; i++) {
        nodes += v->rules[i]->nodes;
        requirements += v->rules[i]->kind == R_REQUIREMENT || v->rules[i]->kind == R_DETERMINATION;
    }
    if (nodes > MAX_VERSION_NODES)
        return err_set(err, CHIPCHECK_ERR_RULES, f->path, f->line, elem_column(f, f->line, "ruleset"), "rules",
                       "version %s has %zu condition and expression nodes; at most %d (a check evaluates them all)",
                       f->version, nodes, MAX_VERSION_NODES);
    if (!requirements)
        return err_set(err, CHIPCHECK_ERR_RULES, f->path, f->line, elem_column(f, f->line, "ruleset"), "rules",
                       "version %s has no requirement or determination (none is defined, or every one is "
                       "withdrawn): it could never require a license", f->version);
    return 0;
}

static int resolve_version(chipcheck_rules *r, rversion *v, rfile *f, chipcheck_error *err)
{
    rfile *chain[64];
    size_t n = 0;
    for (rfile *c = f; c; ) {
        for (size_t i = 0; i < n; i++)
            if (chain[i] == c)
                return err_set(err, CHIPCHECK_ERR_RULES, f->path, f->line, attr_column(f, f->line, "extends"), "extends",
                               "cyclic extends chain at %s@%s", c->regime, c->version);
        if (n == 64)
            return err_set(err, CHIPCHECK_ERR_RULES, f->path, f->line, attr_column(f, f->line, "extends"), "extends",
                           "extends chain longer than 64");
        chain[n++] = c;
        if (!c->extends)
            break;
        rfile *p = find_file(r, c->regime, c->extends);
        if (!p)
            return err_set(err, CHIPCHECK_ERR_RULES, c->path, c->line, attr_column(c, c->line, "extends"), "extends",
                           "extends '%s@%s', which is not loaded", c->regime, c->extends);
        c = p;
    }
    v->file = f;
    /* digest over the chain's files, root first */
    const unsigned char *parts[64] = {0};
    size_t lens[64] = {0};
    for (size_t i = 0; i < n; i++) {
        parts[i] = chain[n - 1 - i]->bytes;
        lens[i] = chain[n - 1 - i]->len;
    }
    char hex[65];
    sha256_hex(parts, lens, n, hex);
    snprintf(v->digest, sizeof v->digest, "sha256:%s", hex);

    size_t maxr = 0, maxa = 0, maxd = 0, maxns = 0;
    for (size_t i = 0; i < n; i++) {
        maxr += chain[i]->nrules;
        maxa += chain[i]->naliases;
        maxd += chain[i]->nderives;
        maxns += chain[i]->nns;
        if (!v->reviewed && chain[i]->reviewed) /* the nearest file that says it */
            v->reviewed = chain[i]->reviewed;
        if (!v->uses && chain[i]->uses)
            v->uses = chain[i]->uses;
    }
    v->reviewed_ymd = v->reviewed ? date_parse(v->reviewed) : 0;
    v->ns = calloc(maxns + 1, sizeof *v->ns);
    v->rules = calloc(maxr + 1, sizeof *v->rules);
    v->aliases = calloc(maxa + 1, sizeof *v->aliases);
    v->derives = calloc(maxd + 1, sizeof *v->derives);
    v->group_by_id = calloc(r->ngroup_names + 1, sizeof *v->group_by_id);
    if (!v->rules || !v->aliases || !v->derives || !v->group_by_id || !v->ns)
        return err_set(err, CHIPCHECK_ERR_NOMEM, f->path, 0, 0, NULL, "out of memory");
    for (size_t ci = n; ci-- > 0; ) {
        rfile *c = chain[ci];
        for (size_t i = 0; i < c->nns; i++) {
            size_t j = 0;
            while (j < v->nns && strcmp(v->ns[j]->code, c->ns[i].code) != 0)
                j++;
            v->ns[j] = &c->ns[i];
            if (j == v->nns)
                v->nns++;
        }
        for (size_t i = 0; i < c->ngroups; i++)
            v->group_by_id[c->groups[i].gid] = &c->groups[i];
        for (size_t i = 0; i < c->naliases; i++) {
            size_t j = 0;
            while (j < v->naliases && v->aliases[j]->code != c->aliases[i].code)
                j++;
            v->aliases[j] = &c->aliases[i];
            if (j == v->naliases)
                v->naliases++;
        }
        for (size_t i = 0; i < c->nderives; i++) {
            const derive_def *d = &c->derives[i];
            uint32_t used = expr_slots(d->e);
            for (int s = F_NUMBER_COUNT; s < MAX_SLOTS; s++)
                if ((used >> s & 1u) && !v->derive_by_slot[s] && s != d->slot)
                    return err_set(err, CHIPCHECK_ERR_RULES, c->path, d->line, attr_column(c, d->line, "expr"), "derive",
                                   "derived metric '%s' uses '%s', which is not derived before it",
                                   r->metric_names[d->slot], r->metric_names[s]);
            size_t j = 0;
            while (j < v->nderives && v->derives[j]->slot != d->slot)
                j++;
            v->derives[j] = d;
            if (j == v->nderives)
                v->nderives++;
            v->derive_by_slot[d->slot] = d;
        }
        for (size_t i = 0; i < c->nrules; i++) {
            const rule *ru = &c->rules[i];
            size_t j = 0;
            while (j < v->nrules && strcmp(v->rules[j]->id, ru->id) != 0)
                j++;
            if (ru->kind == R_WITHDRAW) {
                if (j == v->nrules)
                    return err_set(err, CHIPCHECK_ERR_RULES, c->path, ru->line, elem_column(c, ru->line, "withdraw"), "withdraw",
                                   "withdraws rule '%s', which no earlier version defines", ru->id);
                memmove(&v->rules[j], &v->rules[j + 1], (v->nrules - j - 1) * sizeof *v->rules);
                v->nrules--;
                continue;
            }
            if (j < v->nrules && v->rules[j]->kind != ru->kind)
                return err_set(err, CHIPCHECK_ERR_RULES, c->path, ru->line, attr_column(c, ru->line, "id"), "id",
                               "rule '%s' replaces a %s with a %s: withdraw it and add a new id instead", ru->id,
                               rule_kind_name(v->rules[j]->kind), rule_kind_name(ru->kind));
            v->rules[j] = ru;
            if (j == v->nrules)
                v->nrules++;
        }
    }
    if (v->nrules > MAX_RULES)
        return err_set(err, CHIPCHECK_ERR_RULES, f->path, f->line, 0, "rules", "version %s has %zu rules; at most %d",
                       f->version, v->nrules, MAX_RULES);
    if (version_bounds(v, err) != 0)
        return -1;
    /* references: classes in order, groups defined, derived metrics defined, applies-to ids */
    unsigned char *ready = calloc(r->nclass_names + 1, 1);
    v->applies_idx = calloc(v->nrules + 1, sizeof *v->applies_idx);
    size_t pool = 0;
    for (size_t i = 0; i < v->nrules; i++)
        pool += v->rules[i]->napplies;
    v->applies_pool = calloc(pool + 1, sizeof *v->applies_pool);
    if (!ready || !v->applies_idx || !v->applies_pool) {
        free(ready);
        return err_set(err, CHIPCHECK_ERR_NOMEM, f->path, 0, 0, NULL, "out of memory");
    }
    int rc = 0;
    if (v->uses && mark_used_classes(r, v, ready) == 0) {
        free(ready);
        const rfile *at = f;
        while (!at->uses && at->extends)
            at = find_file(r, at->regime, at->extends);
        return err_set(err, CHIPCHECK_ERR_RULES, at->path, at->line, attr_column(at, at->line, "uses"), "uses",
                       "uses the classifications of regime '%s', which is not loaded", v->uses);
    }
    size_t pi = 0;
    /* pass 1: classifications in order; pass 2: everything else sees all classes */
    for (int pass = 0; pass < 2 && rc == 0; pass++)
        for (size_t i = 0; i < v->nrules && rc == 0; i++) {
            const rule *ru = v->rules[i];
            if ((ru->kind == R_CLASSIFICATION) != (pass == 0))
                continue;
            rc = cond_check(r, v, ru, ru->when, ready, err);
            if (ru->kind == R_CLASSIFICATION)
                ready[ru->class_id] = 1;
        }
    for (size_t i = 0; i < v->nrules && rc == 0; i++) {
        const rule *ru = v->rules[i];
        v->applies_idx[i] = (int)pi;
        for (size_t a = 0; a < ru->napplies && rc == 0; a++) {
            size_t j = 0;
            while (j < v->nrules && strcmp(v->rules[j]->id, ru->applies_to[a]) != 0)
                j++;
            if (j == v->nrules || (v->rules[j]->kind != R_REQUIREMENT && v->rules[j]->kind != R_DETERMINATION))
                rc = err_set(err, CHIPCHECK_ERR_RULES, ru->file->path, ru->line, attr_column(ru->file, ru->line, "applies-to"),
                             "applies-to",
                             "rule '%s' applies to '%s', which is not a requirement or determination of version %s",
                             ru->id, ru->applies_to[a], f->version);
            v->applies_pool[pi++] = (int)j;
        }
    }
    free(ready);
    return rc;
}

static void version_free(rversion *v)
{
    free(v->ns);
    free(v->rules);
    free(v->aliases);
    free(v->derives);
    free(v->group_by_id);
    free(v->applies_idx);
    free(v->applies_pool);
}

void chipcheck_rules_free(chipcheck_rules *r)
{
    if (!r)
        return;
    render_cache_free(r); /* first: it reads the versions, files and chips */
    for (size_t i = 0; i < r->nversions; i++)
        version_free(&r->versions[i]);
    free(r->versions);
    free(r->regimes);
    for (size_t i = 0; i < r->nfiles; i++)
        rfile_free(r->files[i]);
    free(r->files);
    free_list(r->metric_names, r->nmetrics);
    free_list(r->group_names, r->ngroup_names);
    free_list(r->class_names, r->nclass_names);
    if (r->mctx)
        pcre2_match_context_free(r->mctx);
    for (size_t i = 0; i < r->nchips; i++)
        catalog_free_chip(&r->chips[i]);
    free(r->chips);
    catalog_free_ambiguous(r);
    free(r->chip_index);
    compiled_free(r->compiled);
    free(r);
}

static int version_cmp(const void *a, const void *b)
{
    const rversion *x = a, *y = b;
    int c = strcmp(x->file->regime, y->file->regime);
    return c ? c : strcmp(x->file->effective, y->file->effective);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Intern the ids of derived metrics declared anywhere, so expressions can name them. */
static int collect_derive_ids(loader *L, xmlNodePtr root)
{
    chipcheck_rules *r = L->r;
    for (xmlNodePtr k = root->children; k; k = k->next) {
        if (!is_elem(k, "metrics"))
            continue;
        for (xmlNodePtr d = k->children; d; d = d->next) {
            if (!is_elem(d, "derive"))
                continue;
            char *id = prop(d, "id");
            if (!id)
                return err_set(L->err, CHIPCHECK_ERR_NOMEM, L->f->path, 0, 0, NULL, "out of memory");
            int slot = intern(&r->metric_names, &r->nmetrics, id, strlen(id));
            free(id);
            if (slot < 0)
                return err_set(L->err, CHIPCHECK_ERR_NOMEM, L->f->path, 0, 0, NULL, "out of memory");
            if (slot >= MAX_SLOTS)
                return rerr(L, d, "id", "more than %d derived metrics across the rule files (%d metrics with the %d "
                            "raw figures)", MAX_SLOTS - F_NUMBER_COUNT, MAX_SLOTS, F_NUMBER_COUNT);
        }
    }
    return 0;
}

/* Group the sorted versions into regimes and order them so that a regime comes after the one it uses; the
 * default regime leads among equals. A cycle of uses is an error. */
static int build_regimes(chipcheck_rules *r, chipcheck_error *err)
{
    size_t n = 0;
    regime_def tmp[MAX_REGIMES];
    for (size_t i = 0; i < r->nversions; i++) {
        const rversion *v = &r->versions[i];
        if (i > 0 && v->regime_id == r->versions[i - 1].regime_id) {
            tmp[n - 1].count++;
            if (v->reviewed_ymd > tmp[n - 1].reviewed_ymd) {
                tmp[n - 1].reviewed_ymd = v->reviewed_ymd;
                tmp[n - 1].reviewed = v->reviewed;
            }
            continue;
        }
        if (n == MAX_REGIMES)
            return err_set(err, CHIPCHECK_ERR_RULES, v->file->path, v->file->line, 0, "id",
                           "more than %d regimes", MAX_REGIMES);
        tmp[n++] = (regime_def){v->file->regime, i, 1, -1, v->file->not_researched, v->reviewed_ymd, v->reviewed};
    }
    /* uses, by regime (any version's) */
    for (size_t a = 0; a < n; a++)
        for (size_t i = tmp[a].first; i < tmp[a].first + tmp[a].count; i++)
            for (size_t b = 0; r->versions[i].uses && b < n; b++)
                if (!strcmp(tmp[b].id, r->versions[i].uses))
                    tmp[a].uses = (int)b;
    r->regimes = calloc(n + 1, sizeof *r->regimes);
    if (!r->regimes)
        return err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
    unsigned char placed[MAX_REGIMES] = {0};
    int map[MAX_REGIMES];
    while (r->nregimes < n) {
        size_t pick = n;
        for (size_t a = 0; a < n; a++) {
            if (placed[a] || (tmp[a].uses >= 0 && !placed[tmp[a].uses]))
                continue;
            if (pick == n || (int)tmp[a].first == r->default_regime_id)
                pick = a;
        }
        if (pick == n) {
            const rversion *v = &r->versions[tmp[0].first];
            return err_set(err, CHIPCHECK_ERR_RULES, v->file->path, v->file->line, 0, "uses",
                           "the regimes' uses attributes form a cycle");
        }
        placed[pick] = 1;
        map[pick] = (int)r->nregimes;
        if ((int)tmp[pick].first == r->default_regime_id)
            r->primary = (int)r->nregimes;
        r->regimes[r->nregimes++] = tmp[pick];
    }
    for (size_t i = 0; i < n; i++)
        if (r->regimes[i].uses >= 0)
            r->regimes[i].uses = map[r->regimes[i].uses];
    return 0;
}

/* Is the parsed base file f (not one of the first ngiven files) replaced by a given file? Then it is left out. */
static int replaced_by_given(chipcheck_rules *r, size_t ngiven_xml, xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    char *id = root ? prop(root, "id") : NULL, *ver = root ? prop(root, "version") : NULL;
    int hit = 0;
    for (size_t i = 0; id && ver && i < ngiven_xml && !hit; i++)
        hit = r->files[i]->regime_given && !strcmp(r->files[i]->regime_given, id) &&
              !strcmp(r->files[i]->version_given, ver);
    free(id);
    free(ver);
    return hit;
}

chipcheck_rules *rules_load_inputs(const load_input *in, size_t n, size_t ngiven, const unsigned char *xsd,
                                   size_t xsdlen, chipcheck_error *err)
{
    pthread_once(&xml_once, xml_init);
    err_clear(err);
    chipcheck_rules *r = calloc(1, sizeof *r);
    xmlDocPtr *docs = calloc(n + 1, sizeof *docs);
    xmlSchemaParserCtxtPtr spc = NULL;
    xmlSchemaPtr schema = NULL;
    if (!r || !docs)
        goto nomem;
    for (int i = 0; i < F_NUMBER_COUNT; i++)
        if (intern(&r->metric_names, &r->nmetrics, field_name((field_id)i), strlen(field_name((field_id)i))) < 0)
            goto nomem;
    spc = xmlSchemaNewMemParserCtxt((const char *)xsd, (int)xsdlen);
    if (spc) {
        xmlSchemaSetParserStructuredErrors(spc, NULL, NULL);
        schema = xmlSchemaParse(spc);
    }
    if (!schema) {
        err_set(err, CHIPCHECK_ERR_SCHEMA, "<builtin>/schema/chipcheck-rules.xsd", 0, 0, NULL,
                "the bundled rule schema could not be loaded");
        goto fail;
    }
    r->files = calloc(n + 1, sizeof *r->files);
    if (!r->files)
        goto nomem;
    /* phase 1: parse and validate every XML file; read catalogs */
    int given_json = 0;
    size_t ngiven_xml = 0;
    for (size_t i = 0; i < ngiven && i < n; i++) {
        given_json |= ends_with(in[i].path, ".json");
        ngiven_xml += !ends_with(in[i].path, ".json");
    }
    for (size_t i = 0; i < n; i++) {
        if (ends_with(in[i].path, ".json")) {
            if (i >= ngiven && given_json)
                continue; /* the caller's catalog replaces the base's */
            if (catalog_parse(r, in[i].path, in[i].data, in[i].len, err) != 0)
                goto fail;
            continue;
        }
        rfile *f = calloc(1, sizeof *f);
        if (!f)
            goto nomem;
        r->files[r->nfiles++] = f;
        f->path = utf8_sanitize_dup(in[i].path); /* shown in messages and JSON: a file name may not be UTF-8 */
        f->bytes = malloc(in[i].len + 1);
        if (!f->path || !f->bytes)
            goto nomem;
        memcpy(f->bytes, in[i].data, in[i].len);
        f->bytes[in[i].len] = '\0';
        f->len = in[i].len;
        docs[r->nfiles - 1] = parse_xml(f, err);
        if (!docs[r->nfiles - 1])
            goto fail;
        if (i >= ngiven && ngiven_xml && replaced_by_given(r, ngiven_xml, docs[r->nfiles - 1])) {
            xmlFreeDoc(docs[--r->nfiles]);
            docs[r->nfiles] = NULL;
            rfile_free(f);
            continue;
        }
        if (i < ngiven) {
            xmlNodePtr root = xmlDocGetRootElement(docs[r->nfiles - 1]);
            f->regime_given = root ? prop(root, "id") : NULL;
            f->version_given = root ? prop(root, "version") : NULL;
        }
        xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
        if (!vc)
            goto nomem;
        schema_err se = {err, f};
        xmlSchemaSetValidStructuredErrors(vc, on_schema_error, &se);
        int vr = xmlSchemaValidateDoc(vc, docs[r->nfiles - 1]);
        xmlSchemaFreeValidCtxt(vc);
        if (vr != 0) {
            err_set(err, CHIPCHECK_ERR_SCHEMA, f->path, 0, 0, NULL, "does not match the rule schema");
            goto fail;
        }
        loader L = {r, err, f};
        if (collect_derive_ids(&L, xmlDocGetRootElement(docs[r->nfiles - 1])) != 0)
            goto fail;
    }
    if (catalog_check(r, err) != 0)
        goto fail;
    /* phase 2: compile */
    for (size_t i = 0; i < r->nfiles; i++) {
        loader L = {r, err, r->files[i]};
        if (compile_file(&L, xmlDocGetRootElement(docs[i])) != 0) {
            err_set(err, CHIPCHECK_ERR_RULES, r->files[i]->path, 0, 0, NULL, "could not compile the rule file");
            goto fail;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(r->files[j]->regime, r->files[i]->regime) && !strcmp(r->files[j]->version, r->files[i]->version)) {
                err_set(err, CHIPCHECK_ERR_RULES, r->files[i]->path, r->files[i]->line,
                        attr_column(r->files[i], r->files[i]->line, "version"), "version",
                        "%s@%s is defined twice (also in %s)", r->files[i]->regime, r->files[i]->version,
                        r->files[j]->path);
                goto fail;
            }
    }
    if (r->nclass_names > MAX_CLASSES) {
        err_set(err, CHIPCHECK_ERR_RULES, r->nfiles ? r->files[r->nfiles - 1]->path : "", 0, 0, "class",
                "more than %d distinct classifications", MAX_CLASSES);
        goto fail;
    }
    r->mctx = pcre2_match_context_create(NULL);
    if (!r->mctx)
        goto nomem;
    pcre2_set_match_limit(r->mctx, 100000);
    pcre2_set_depth_limit(r->mctx, 1000);
    /* phase 3: resolve versions */
    r->versions = calloc(r->nfiles + 1, sizeof *r->versions);
    if (!r->versions)
        goto nomem;
    for (size_t i = 0; i < r->nfiles; i++) {
        int rc = resolve_version(r, &r->versions[r->nversions], r->files[i], err);
        r->nversions++;
        if (rc != 0)
            goto fail;
    }
    qsort(r->versions, r->nversions, sizeof *r->versions, version_cmp);
    for (size_t i = 1; i < r->nversions; i++)
        if (!strcmp(r->versions[i].file->regime, r->versions[i - 1].file->regime) &&
            r->versions[i].file->effective_ymd == r->versions[i - 1].file->effective_ymd) {
            err_set(err, CHIPCHECK_ERR_RULES, r->versions[i].file->path, r->versions[i].file->line,
                    attr_column(r->versions[i].file, r->versions[i].file->line, "effective"), "effective",
                    "%s has two versions effective on %s (also %s)", r->versions[i].file->regime,
                    r->versions[i].file->effective, r->versions[i - 1].file->path);
            goto fail;
        }
    if (r->nversions == 0) {
        err_set(err, CHIPCHECK_ERR_RULES, n ? in[0].path : "", 0, 0, NULL, "no rule set found");
        goto fail;
    }
    for (size_t i = 0; i < r->nversions; i++)
        r->versions[i].regime_id = i > 0 && !strcmp(r->versions[i].file->regime, r->versions[i - 1].file->regime)
                                   ? r->versions[i - 1].regime_id : (int)i;
    r->default_regime = r->versions[0].file->regime;
    for (size_t i = 0; i < r->nversions; i++)
        if (!strcmp(r->versions[i].file->regime, "us-ear-advanced-computing")) {
            r->default_regime = r->versions[i].file->regime;
            r->default_regime_id = r->versions[i].regime_id;
        }
    if (build_regimes(r, err) != 0)
        goto fail;
    r->compiled = compiled_build(r); /* NULL (out of memory): the walker decides every verdict */
    render_cache_build(r);
    for (size_t i = 0; i < r->nfiles; i++)
        xmlFreeDoc(docs[i]);
    free(docs);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(spc);
    return r;
nomem:
    err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
fail:
    if (docs && r)
        for (size_t i = 0; i < r->nfiles; i++)
            xmlFreeDoc(docs[i]);
    free(docs);
    if (schema)
        xmlSchemaFree(schema);
    if (spc)
        xmlSchemaFreeParserCtxt(spc);
    chipcheck_rules_free(r);
    return NULL;
}

/* ---- public loaders ------------------------------------------------------------------------------- */

static const bundled_file *bundled(const char *path)
{
    for (size_t i = 0; i < cc_bundled_count; i++)
        if (!strcmp(cc_bundled_files[i].path, path))
            return &cc_bundled_files[i];
    return NULL;
}

chipcheck_rules *chipcheck_rules_load_default(chipcheck_error *err)
{
    const bundled_file *xsd = bundled("schema/chipcheck-rules.xsd");
    load_input *in = calloc(cc_bundled_count + 1, sizeof *in);
    char (*names)[160] = calloc(cc_bundled_count + 1, sizeof *names);
    chipcheck_rules *r = NULL;
    err_clear(err);
    if (!in || !names || !xsd) {
        err_set(err, CHIPCHECK_ERR_NOMEM, "<builtin>", 0, 0, NULL, "out of memory");
        goto done;
    }
    size_t n = 0;
    for (size_t i = 0; i < cc_bundled_count; i++) {
        if (ends_with(cc_bundled_files[i].path, ".xsd"))
            continue;
        snprintf(names[n], sizeof names[n], "<builtin>/%s", cc_bundled_files[i].path);
        in[n].path = names[n];
        in[n].data = cc_bundled_files[i].data;
        in[n].len = cc_bundled_files[i].len;
        n++;
    }
    r = rules_load_inputs(in, n, 0, xsd->data, xsd->len, err);
done:
    free(in);
    free(names);
    return r;
}

/* The rule files found under a directory, and the directories already walked (by device and inode: a
 * symbolic link back to one of them, as in a loop, is walked once). */
typedef struct pathlist {
    char **p; size_t n;
    struct { dev_t dev; ino_t ino; } *dirs; size_t ndirs;
} pathlist;

static int path_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

#define WALK_MAX_DEPTH 16

/* 1 when the directory was walked before, else records it. -1 when out of memory. */
static int dir_seen(pathlist *out, const struct stat *st)
{
    for (size_t i = 0; i < out->ndirs; i++)
        if (out->dirs[i].dev == st->st_dev && out->dirs[i].ino == st->st_ino)
            return 1;
    void *nd = realloc(out->dirs, (out->ndirs + 1) * sizeof *out->dirs);
    if (!nd)
        return -1;
    out->dirs = nd;
    out->dirs[out->ndirs].dev = st->st_dev;
    out->dirs[out->ndirs++].ino = st->st_ino;
    return 0;
}

static int walk(const char *dir, int depth, int in_chips, pathlist *out, chipcheck_error *err);

/* One directory entry (not hidden): a subdirectory is walked, a rule file (*.xml, chips/ *.json) listed.
 * An entry that cannot be examined is an error naming it: skipping it could drop a version or a catalog. */
static int walk_entry(const char *p, const char *name, int depth, int in_chips, pathlist *out, chipcheck_error *err)
{
    struct stat st;
    if (stat(p, &st) != 0)
        return err_set(err, CHIPCHECK_ERR_IO, p, 0, 0, NULL, "cannot read this entry of the rules directory: %s",
                       strerror(errno));
    if (S_ISDIR(st.st_mode))
        return strcmp(name, "schema") != 0 ? walk(p, depth + 1, !strcmp(name, "chips"), out, err) : 0;
    if (!ends_with(p, ".xml") && !(in_chips && ends_with(p, ".json")))
        return 0;
    if (!S_ISREG(st.st_mode))
        return err_set(err, CHIPCHECK_ERR_IO, p, 0, 0, NULL, "is not a regular file");
    char *copy = xstrdup(p);
    char **np = copy ? realloc(out->p, (out->n + 1) * sizeof *np) : NULL;
    if (!np) {
        free(copy);
        return err_set(err, CHIPCHECK_ERR_NOMEM, p, 0, 0, NULL, "out of memory");
    }
    out->p = np;
    out->p[out->n++] = copy;
    return 0;
}

static int walk(const char *dir, int depth, int in_chips, pathlist *out, chipcheck_error *err)
{
    struct stat st;
    if (depth > WALK_MAX_DEPTH)
        return err_set(err, CHIPCHECK_ERR_IO, dir, 0, 0, NULL, "directories nested more than %d deep", WALK_MAX_DEPTH);
    if (stat(dir, &st) != 0)
        return err_set(err, CHIPCHECK_ERR_IO, dir, 0, 0, NULL, "cannot read directory: %s", strerror(errno));
    int seen = dir_seen(out, &st);
    if (seen != 0)
        return seen < 0 ? err_set(err, CHIPCHECK_ERR_NOMEM, dir, 0, 0, NULL, "out of memory") : 0;
    DIR *d = opendir(dir);
    if (!d)
        return err_set(err, CHIPCHECK_ERR_IO, dir, 0, 0, NULL, "cannot read directory: %s", strerror(errno));
    struct dirent *e;
    int rc = 0;
    while (rc == 0) {
        errno = 0;
        if ((e = readdir(d)) == NULL) {
            if (errno)
                rc = err_set(err, CHIPCHECK_ERR_IO, dir, 0, 0, NULL, "cannot read directory: %s", strerror(errno));
            break;
        }
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(len);
        if (!p) {
            rc = err_set(err, CHIPCHECK_ERR_NOMEM, dir, 0, 0, NULL, "out of memory");
            break;
        }
        snprintf(p, len, "%s/%s", dir, e->d_name);
        rc = walk_entry(p, e->d_name, depth, in_chips, out, err);
        free(p);
    }
    closedir(d);
    return rc;
}

/* Read n files into in[0..n): 0, or an error naming the file (the inputs read so far are freed). */
static int read_inputs(const char *const *paths, size_t n, load_input *in, chipcheck_error *err)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char *data;
        size_t len;
        char why[128];
        int rc = !paths[i] ? err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, "paths", "paths[%zu] is NULL", i)
               : read_file(paths[i], &data, &len, why, sizeof why) != 0
                   ? err_set(err, CHIPCHECK_ERR_IO, paths[i], 0, 0, NULL, "%s", why) : 0;
        if (rc) {
            for (size_t j = 0; j < i; j++)
                free((void *)(uintptr_t)in[j].data);
            return -1;
        }
        in[i] = (load_input){paths[i], data, len};
    }
    return 0;
}

chipcheck_rules *chipcheck_rules_load_files(const char *const *paths, size_t n, chipcheck_error *err)
{
    err_clear(err);
    if (!paths && n) {
        err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "paths is NULL");
        return NULL;
    }
    const bundled_file *xsd = bundled("schema/chipcheck-rules.xsd");
    load_input *in = calloc(n + 1, sizeof *in);
    chipcheck_rules *r = NULL;
    if (!in || !xsd)
        err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
    else if (read_inputs(paths, n, in, err) == 0) {
        r = rules_load_inputs(in, n, 0, xsd->data, xsd->len, err);
        for (size_t j = 0; j < n; j++)
            free((void *)(uintptr_t)in[j].data);
    }
    free(in);
    return r;
}

chipcheck_rules *chipcheck_rules_load_dir(const char *dir, chipcheck_error *err)
{
    err_clear(err);
    if (!dir) {
        err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "dir is NULL");
        return NULL;
    }
    pathlist pl = {NULL, 0, NULL, 0};
    chipcheck_rules *r = NULL;
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    char *root = xstrndup(dir, dl);
    if (root && walk(root, 0, 0, &pl, err) == 0) {
        qsort(pl.p, pl.n, sizeof *pl.p, path_cmp);
        r = chipcheck_rules_load_files((const char *const *)pl.p, pl.n, err);
    }
    for (size_t i = 0; i < pl.n; i++)
        free(pl.p[i]);
    free(pl.p);
    free(pl.dirs);
    free(root);
    return r;
}

/* The base of chipcheck_rules_load_with_base(): the bundled files (names filled with "<builtin>/..."), or the
 * files under base_dir read from disk (*owned set). Appends to in from *total. 0, or -1 with err set. */
static int base_inputs(const char *base_dir, load_input *in, size_t *total, char (*names)[160], pathlist *pl,
                       int *owned, chipcheck_error *err)
{
    *owned = base_dir != NULL;
    if (!base_dir) {
        for (size_t i = 0; i < cc_bundled_count; i++) {
            if (ends_with(cc_bundled_files[i].path, ".xsd"))
                continue;
            snprintf(names[i], sizeof names[i], "<builtin>/%s", cc_bundled_files[i].path);
            in[(*total)++] = (load_input){names[i], cc_bundled_files[i].data, cc_bundled_files[i].len};
        }
        return 0;
    }
    if (read_inputs((const char *const *)pl->p, pl->n, in + *total, err) != 0)
        return -1;
    *total += pl->n;
    return 0;
}

chipcheck_rules *chipcheck_rules_load_with_base(const char *base_dir, const char *const *paths, size_t n,
                                                chipcheck_error *err)
{
    err_clear(err);
    if (!paths && n) {
        err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "paths is NULL");
        return NULL;
    }
    const bundled_file *xsd = bundled("schema/chipcheck-rules.xsd");
    pathlist pl = {NULL, 0, NULL, 0};
    char *root = NULL;
    load_input *in = NULL;
    char (*names)[160] = NULL;
    chipcheck_rules *r = NULL;
    size_t total = 0;
    int owned = 0;
    if (base_dir) {
        size_t dl = strlen(base_dir);
        while (dl > 1 && base_dir[dl - 1] == '/')
            dl--;
        if (!(root = xstrndup(base_dir, dl))) {
            err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
            goto done;
        }
        if (walk(root, 0, 0, &pl, err) != 0)
            goto done;
        qsort(pl.p, pl.n, sizeof *pl.p, path_cmp);
    }
    in = calloc(n + (base_dir ? pl.n : cc_bundled_count) + 1, sizeof *in);
    names = calloc(cc_bundled_count + 1, sizeof *names);
    if (!in || !names || !xsd) {
        err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
        goto done;
    }
    if (read_inputs(paths, n, in, err) != 0)
        goto done;
    total = n;
    if (base_inputs(base_dir, in, &total, names, &pl, &owned, err) == 0)
        r = rules_load_inputs(in, total, n, xsd->data, xsd->len, err);
    for (size_t j = 0; j < (owned ? total : n); j++)
        free((void *)(uintptr_t)in[j].data);
done:
    free(in);
    free(names);
    for (size_t i = 0; i < pl.n; i++)
        free(pl.p[i]);
    free(pl.p);
    free(pl.dirs);
    free(root);
    return r;
}

/* ---- collection accessors ------------------------------------------------------------------------ */

size_t chipcheck_rules_count(const chipcheck_rules *r) { return r ? r->nversions : 0; }

int chipcheck_rules_info(const chipcheck_rules *r, size_t i, const char **id, const char **version,
                         const char **effective, const char **title, const char **digest)
{
    if (!r || i >= r->nversions)
        return CHIPCHECK_ERR_ARG;
    const rversion *v = &r->versions[i];
    if (id) *id = v->file->regime;
    if (version) *version = v->file->version;
    if (effective) *effective = v->file->effective;
    if (title) *title = v->file->title;
    if (digest) *digest = v->digest;
    return CHIPCHECK_OK;
}

const char *chipcheck_rules_reviewed(const chipcheck_rules *r, size_t i)
{
    if (!r || i >= r->nversions)
        return NULL;
    for (size_t g = 0; g < r->nregimes; g++)
        if ((int)r->regimes[g].first == r->versions[i].regime_id)
            return r->regimes[g].reviewed;
    return NULL;
}

static const char *const kind_names[] = {"classification", "requirement", "determination", "allowance", "exception",
                                         "withdraw"};
const char *rule_kind_name(rule_kind k) { return kind_names[k]; }

const char *policy_name(policy p)
{
    switch (p) {
    case P_DENIAL: return "presumption_of_denial";
    case P_CASE_BY_CASE: return "case_by_case";
    case P_APPROVAL: return "presumption_of_approval";
    case P_NONE: break;
    }
    return NULL;
}
