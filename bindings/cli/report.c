/*
 * report.c: `chipcheck batch --report FILE.html`: one self-contained HTML page (inline SVG and CSS, no script,
 * nothing fetched) that tells a reader at a glance what share of the lines need a license and why: totals per
 * verdict and review policy, the reason codes behind the licenses, by destination and by chip, the indeterminate
 * lines with what is missing, the errors, and the rule-set versions used with their digests. It counts as the
 * batch streams (only the tallies and the first lines of each list are kept). With two rule-set versions of one
 * regime it shows what changes between them for the same lines. Everything comes from the library's decisions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { V_ALLOWED, V_LR, V_INDET, V_N };
enum { MAX_KEYS = 5000, MAX_LISTED = 200, TOP_ROWS = 30 };

/* Lines counted under a key (a code, a destination, a chip...), per verdict; note: what the key refers to. */
typedef struct tally { char *key, *note; unsigned long n[V_N], total; } tally;
typedef struct tallies { tally *v; size_t n, cap; unsigned long other; } tallies; /* other: past MAX_KEYS */
/* The first lines of a kind (indeterminate, error, changed), in input order. */
typedef struct item { unsigned long line; char *file, *id, *chip, *dest, *what; } item;
typedef struct items { item *v; size_t n; unsigned long more; } items;

struct report {
    char *path, *ruleset_a, *ruleset_b;
    int oom;
    unsigned long lines, errors, v[V_N], stale;
    tallies policies, why, codes, dest, chips, missing, versions;
    items indet, errs, changes;
    unsigned long trans[V_N][V_N], changed, policy_changed; /* two rule sets */
    tallies gained, lost;
};

static char *dup(report *r, const char *s)
{
    char *d = s != NULL ? strdup(s) : NULL;
    if (s != NULL && d == NULL)
        r->oom = 1;
    return d;
}

static void tally_add(report *r, tallies *t, const char *key, int verdict, const char *note)
{
    size_t i = 0;
    while (i < t->n && strcmp(t->v[i].key, key) != 0)
        i++;
    if (i == t->n) {
        if (t->n == MAX_KEYS) {
            t->other++;
            return;
        }
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 32;
            tally *nv = realloc(t->v, cap * sizeof *nv);
            if (nv == NULL) {
                r->oom = 1;
                return;
            }
            t->v = nv;
            t->cap = cap;
        }
        memset(&t->v[t->n], 0, sizeof t->v[t->n]);
        t->v[t->n].key = dup(r, key);
        t->v[t->n].note = dup(r, note);
        if (t->v[t->n].key == NULL)
            return;
        t->n++;
    }
    t->v[i].n[verdict]++;
    t->v[i].total++;
}

static void items_add(report *r, items *l, unsigned long line, const char *file, const char *id, const char *chip,
                      const char *dest, const char *what)
{
    if (l->n == MAX_LISTED) {
        l->more++;
        return;
    }
    if (l->v == NULL && (l->v = calloc(MAX_LISTED, sizeof *l->v)) == NULL) {
        r->oom = 1;
        return;
    }
    l->v[l->n++] = (item){line, dup(r, file), dup(r, id), dup(r, chip), dup(r, dest), dup(r, what)};
}

static void tallies_free(tallies *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].key);
        free(t->v[i].note);
    }
    free(t->v);
}

static void items_free(items *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].file);
        free(l->v[i].id);
        free(l->v[i].chip);
        free(l->v[i].dest);
        free(l->v[i].what);
    }
    free(l->v);
}

report *report_new(const char *path, const char *ruleset_a, const char *ruleset_b)
{
    report *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->path = dup(r, path);
    r->ruleset_a = dup(r, ruleset_a);
    r->ruleset_b = dup(r, ruleset_b);
    if (r->oom) {
        report_free(r);
        return NULL;
    }
    return r;
}

void report_free(report *r)
{
    if (r == NULL)
        return;
    tallies *t[] = {&r->policies, &r->why, &r->codes, &r->dest, &r->chips, &r->missing, &r->versions, &r->gained,
                    &r->lost};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        tallies_free(t[i]);
    items_free(&r->indet);
    items_free(&r->errs);
    items_free(&r->changes);
    free(r->path);
    free(r->ruleset_a);
    free(r->ruleset_b);
    free(r);
}

/* ---- counting ------------------------------------------------------------------------------------------ */

static int verdict_index(chipcheck_verdict v)
{
    return v == CHIPCHECK_ALLOWED ? V_ALLOWED : v == CHIPCHECK_LICENSE_REQUIRED ? V_LR : V_INDET;
}

/* The brief decision JSON, parsed (what the accessors do not give: destination, chip, missing, rule sets). */
static cJSON *brief_of(report *r, const chipcheck_decision *d)
{
    char *text = chipcheck_decision_json(d, CHIPCHECK_JSON_BRIEF);
    cJSON *j = text != NULL ? cJSON_Parse(text) : NULL;
    chipcheck_free(text);
    if (j == NULL)
        r->oom = 1;
    return j;
}

static const char *jstr(const cJSON *o, const char *k) { return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k)); }
static const cJSON *jget(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }

/* The codes of the requirements (and determinations) that hold, with their citations, under "why". */
static void count_reasons(report *r, const chipcheck_decision *d, int v)
{
    for (size_t i = 0; i < chipcheck_decision_reason_count(d); i++) {
        const chipcheck_reason *re = chipcheck_decision_reason(d, i);
        const char *code = chipcheck_reason_code(re), *kind = chipcheck_reason_kind(re);
        if (code == NULL || chipcheck_reason_result(re) != 1 || strcmp(kind, "ruleset") == 0)
            continue;
        size_t k = 0; /* a code counts once per line */
        while (k < i && !(chipcheck_reason_code(chipcheck_decision_reason(d, k)) &&
                          strcmp(chipcheck_reason_code(chipcheck_decision_reason(d, k)), code) == 0 &&
                          chipcheck_reason_result(chipcheck_decision_reason(d, k)) == 1))
            k++;
        if (k < i)
            continue;
        tally_add(r, &r->codes, code, v, chipcheck_reason_citation(re));
        if (v == V_LR && (strcmp(kind, "requirement") == 0 || strcmp(kind, "determination") == 0))
            tally_add(r, &r->why, code, v, chipcheck_reason_citation(re));
    }
}

/* The words of a JSON array of strings, ", "-separated, into buf. */
static void joined(const cJSON *arr, char *buf, size_t n)
{
    const cJSON *x;
    buf[0] = '\0';
    cJSON_ArrayForEach(x, arr) if (cJSON_IsString(x)) snprintf(buf + strlen(buf), n - strlen(buf), "%s%s",
                                                               buf[0] ? ", " : "", x->valuestring);
}

/* Two rule sets: how this line's verdict, policy and codes change from the first to the second. */
static void count_change(report *r, const chipcheck_decision *a, const chipcheck_decision *b, const cJSON *ja,
                         unsigned long line, const char *file)
{
    int va = verdict_index(chipcheck_decision_verdict(a)), vb = verdict_index(chipcheck_decision_verdict(b));
    const char *pa = chipcheck_decision_review_policy(a), *pb = chipcheck_decision_review_policy(b);
    int policy = (pa == NULL) != (pb == NULL) || (pa != NULL && strcmp(pa, pb) != 0);
    cJSON *jb = brief_of(r, b);
    const cJSON *x, *ca = jget(ja, "codes"), *cb = jget(jb, "codes");
    char what[512];
    r->trans[va][vb]++;
    r->policy_changed += va == vb && policy;
    cJSON_ArrayForEach(x, cb) {
        const cJSON *y;
        int found = 0;
        cJSON_ArrayForEach(y, ca) found |= cJSON_Compare(x, y, 1);
        if (!found && cJSON_IsString(x))
            tally_add(r, &r->gained, x->valuestring, vb, NULL);
    }
    cJSON_ArrayForEach(x, ca) {
        const cJSON *y;
        int found = 0;
        cJSON_ArrayForEach(y, cb) found |= cJSON_Compare(x, y, 1);
        if (!found && cJSON_IsString(x))
            tally_add(r, &r->lost, x->valuestring, vb, NULL);
    }
    if (va != vb || policy) {
        r->changed++;
        snprintf(what, sizeof what, "%s%s%s \u2192 %s%s%s", chipcheck_verdict_name(chipcheck_decision_verdict(a)),
                 pa ? ", " : "", pa ? pa : "", chipcheck_verdict_name(chipcheck_decision_verdict(b)), pb ? ", " : "",
                 pb ? pb : "");
        items_add(r, &r->changes, line, file, jstr(ja, "id"), jstr(jget(ja, "chip"), "name"), jstr(ja, "destination"),
                  what);
    }
    cJSON_Delete(jb);
}

/* Count one decided line (b: the same line under the second rule set, or NULL). Returns 0 when out of memory. */
int report_line(report *r, const chipcheck_decision *a, const chipcheck_decision *b, unsigned long line,
                const char *file)
{
    int v = verdict_index(chipcheck_decision_verdict(a));
    const char *pol = chipcheck_decision_review_policy(a);
    cJSON *j = brief_of(r, a);
    const cJSON *rs;
    char buf[512];
    r->lines++;
    r->v[v]++;
    r->stale += cJSON_GetArraySize(jget(j, "freshness")) > 0;
    if (v == V_LR)
        tally_add(r, &r->policies, pol != NULL ? pol : "(none given)", v, NULL);
    count_reasons(r, a, v);
    tally_add(r, &r->dest, jstr(j, "destination") ? jstr(j, "destination") : "?", v, NULL);
    tally_add(r, &r->chips, jstr(jget(j, "chip"), "name") ? jstr(jget(j, "chip"), "name") : "(no name)", v, NULL);
    cJSON_ArrayForEach(rs, jget(j, "rulesets")) {
        snprintf(buf, sizeof buf, "%s@%s", jstr(rs, "id"), jstr(rs, "version") ? jstr(rs, "version") : "(none in force)");
        tally_add(r, &r->versions, buf, v, jstr(rs, "digest"));
    }
    if (v == V_INDET) {
        const cJSON *m;
        cJSON_ArrayForEach(m, jget(j, "missing")) if (cJSON_IsString(m)) tally_add(r, &r->missing, m->valuestring, v, NULL);
        joined(jget(j, "missing"), buf, sizeof buf);
        items_add(r, &r->indet, line, file, jstr(j, "id"), jstr(jget(j, "chip"), "name"), jstr(j, "destination"),
                  buf[0] ? buf : "(a point the rules mark as not researched)");
    }
    if (b != NULL && j != NULL)
        count_change(r, a, b, j, line, file);
    cJSON_Delete(j);
    return !r->oom;
}

/* Count a line that could not be checked. */
void report_error(report *r, unsigned long line, const char *file, const char *id, const chipcheck_error *err)
{
    char what[400];
    r->errors++;
    snprintf(what, sizeof what, "%s%s%s", err->field[0] ? err->field : "", err->field[0] ? ": " : "",
             err->message[0] ? err->message : chipcheck_status_name(err->code));
    items_add(r, &r->errs, line, file, id, NULL, NULL, what);
}

/* ---- the page ------------------------------------------------------------------------------------------ */

static const char page_style[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#222;margin:28px auto;max-width:1060px;"
    "padding:0 20px;line-height:1.4}\n"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:30px 0 8px;border-bottom:1px solid #ddd;"
    "padding-bottom:3px}\n"
    ".meta,.note{color:#555;font-size:13px}.headline{font-size:19px;margin:18px 0 8px}"
    ".big{font-size:42px;font-weight:bold;color:#c62828;vertical-align:-6px;margin-right:6px}\n"
    "table{border-collapse:collapse;font-size:13px;margin:6px 0}td,th{padding:3px 10px 3px 0;text-align:left;"
    "vertical-align:top}th{border-bottom:1px solid #ccc;font-weight:bold}td.n{text-align:right;"
    "font-variant-numeric:tabular-nums}\n"
    ".key span{display:inline-block;margin-right:16px;font-size:13px}.sw{display:inline-block;width:12px;"
    "height:12px;margin-right:5px;vertical-align:-1px}\n"
    ".allowed{fill:#2e7d32;background:#2e7d32}.approval{fill:#b8860b;background:#b8860b}.cbc{fill:#e65100;"
    "background:#e65100}.denial{fill:#c62828;background:#c62828}.lr{fill:#c62828;background:#c62828}"
    ".indet{fill:#8a8a8a;background:#8a8a8a}.error{fill:#3c3c3c;background:#3c3c3c}.other{fill:#c62828;"
    "background:#c62828}\n"
    "code{font-size:12px}.cite{color:#555;font-size:12px}summary{color:#555;font-size:13px;margin:4px 0}\n";

static void h(FILE *f, const char *s) { svg_text(f, s != NULL ? s : ""); }

/* The colour of a bar segment (also in the page's CSS, for the keys). */
static const char *fill_of(const char *cls)
{
    static const struct { const char *cls, *fill; } t[] = {
        {"allowed", "#2e7d32"}, {"approval", "#b8860b"}, {"cbc", "#e65100"}, {"denial", "#c62828"},
        {"lr", "#c62828"},      {"other", "#c62828"},    {"indet", "#8a8a8a"}, {"error", "#3c3c3c"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].cls, cls))
            return t[i].fill;
    return "#999";
}

static double pct(unsigned long n, unsigned long total) { return total ? 100.0 * (double)n / (double)total : 0; }

/* A horizontal bar of segments (counts, CSS classes), width pixels for total; titles say what each is. */
static void bar(FILE *f, const unsigned long *n, const char *const *cls, const char *const *what, size_t k,
                unsigned long total, double width, double height)
{
    double x = 0;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" role=\"img\"><rect fill=\"#ececec\" "
            "width=\"%.0f\" height=\"%.0f\"/>", width, height, width, height);
    for (size_t i = 0; i < k; i++) {
        double w = total ? width * (double)n[i] / (double)total : 0;
        if (n[i] == 0)
            continue;
        fprintf(f, "<rect class=\"%s\" fill=\"%s\" x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"%.0f\"><title>%s: %lu "
                "(%.1f%%)</title></rect>", cls[i], fill_of(cls[i]), x, w, height, what[i], n[i], pct(n[i], total));
        x += w;
    }
    fputs("</svg>", f);
}

static int by_license_then_total(const void *pa, const void *pb)
{
    const tally *a = pa, *b = pb;
    if (a->n[V_LR] != b->n[V_LR])
        return a->n[V_LR] > b->n[V_LR] ? -1 : 1;
    if (a->total != b->total)
        return a->total > b->total ? -1 : 1;
    return strcmp(a->key, b->key);
}

static int by_total(const void *pa, const void *pb)
{
    const tally *a = pa, *b = pb;
    return a->total != b->total ? (a->total > b->total ? -1 : 1) : strcmp(a->key, b->key);
}

static void sort_tallies(tallies *t, int (*cmp)(const void *, const void *))
{
    if (t->n > 1)
        qsort(t->v, t->n, sizeof *t->v, cmp);
}

/* The counts of the license-required lines per review policy, in the order of the headline bar. */
static unsigned long policy_count(const report *r, const char *policy)
{
    for (size_t i = 0; i < r->policies.n; i++)
        if (strcmp(r->policies.v[i].key, policy) == 0)
            return r->policies.v[i].total;
    return 0;
}

/* n with thousands separated: "12,345". */
static const char *num(char *buf, size_t n, unsigned long v)
{
    char raw[32];
    int len = snprintf(raw, sizeof raw, "%lu", v), k = 0;
    for (int i = 0; i < len && (size_t)k + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = raw[i];
    }
    buf[k] = '\0';
    return buf;
}

/* The headline: the share that needs a license, in big, the rest in a sentence, and one bar for all lines. */
static void write_headline(FILE *f, const report *r)
{
    unsigned long all = r->lines + r->errors, lr = r->v[V_LR];
    unsigned long appr = policy_count(r, "presumption_of_approval"), cbc = policy_count(r, "case_by_case");
    unsigned long den = policy_count(r, "presumption_of_denial");
    const unsigned long n[] = {r->v[V_ALLOWED], appr, cbc, den, lr - appr - cbc - den, r->v[V_INDET], r->errors};
    const char *cls[] = {"allowed", "approval", "cbc", "denial", "other", "indet", "error"};
    const char *what[] = {"allowed", "license: presumption of approval", "license: case by case",
                          "license: presumption of denial", "license: no policy given", "indeterminate (data missing)",
                          "could not be read"};
    char a[32], b[32];
    fprintf(f, "<p class=\"headline\"><span class=\"big\">%.1f%%</span> of the %s lines need a license (%s).</p>\n",
            pct(lr, all), num(a, sizeof a, all), num(b, sizeof b, lr));
    bar(f, n, cls, what, 7, all, 1000, 28);
    fputs("\n<p class=\"key\">", f);
    for (size_t i = 0; i < 7; i++)
        if (n[i])
            fprintf(f, "<span><span class=\"sw %s\"></span>%s: %s (%.1f%%)</span>", cls[i], what[i],
                    num(a, sizeof a, n[i]), pct(n[i], all));
    fputs("</p>\n", f);
}

/* Why: the requirements behind the licenses, the lines each holds in, with its citation. */
static void write_why(FILE *f, report *r)
{
    unsigned long lr = r->v[V_LR];
    fputs("<h2>Why a license is needed</h2>\n", f);
    if (r->why.n == 0) {
        fputs("<p class=\"note\">No line needs a license.</p>\n", f);
        return;
    }
    sort_tallies(&r->why, by_total);
    fputs("<p class=\"note\">The requirements that hold in the lines needing a license (a line may have several), "
          "with the share of those lines.</p>\n<table><tr><th>reason code</th><th>lines</th><th>share</th><th></th>"
          "<th>citation</th></tr>\n", f);
    for (size_t i = 0; i < r->why.n; i++) {
        const tally *t = &r->why.v[i];
        const char *cls[] = {"lr"}, *what[] = {"lines"};
        fputs("<tr><td><code>", f);
        h(f, t->key);
        char c[32];
        fprintf(f, "</code></td><td class=\"n\">%s</td><td class=\"n\">%.1f%%</td><td>", num(c, sizeof c, t->total),
                pct(t->total, lr));
        bar(f, &t->total, cls, what, 1, lr, 220, 12);
        fputs("</td><td class=\"cite\">", f);
        h(f, t->note);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* A breakdown (by destination, by chip): lines, per verdict, a bar; the most licensed first, the first rows. */
static void write_breakdown(FILE *f, tallies *t, const char *title, const char *what)
{
    unsigned long rest = 0, rest_keys = 0;
    fprintf(f, "<h2>%s</h2>\n<table><tr><th>%s</th><th>lines</th><th>license</th><th>allowed</th><th>indeterminate"
            "</th><th></th></tr>\n", title, what);
    sort_tallies(t, by_license_then_total);
    for (size_t i = 0; i < t->n; i++) {
        const tally *x = &t->v[i];
        if (i >= TOP_ROWS) {
            rest += x->total;
            rest_keys++;
            continue;
        }
        const unsigned long n[] = {x->n[V_LR], x->n[V_ALLOWED], x->n[V_INDET]};
        const char *cls[] = {"lr", "allowed", "indet"}, *words[] = {"license", "allowed", "indeterminate"};
        fputs("<tr><td>", f);
        h(f, x->key);
        char c[4][32];
        fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s"
                "</td><td>", num(c[0], 32, x->total), num(c[1], 32, x->n[V_LR]), num(c[2], 32, x->n[V_ALLOWED]),
                num(c[3], 32, x->n[V_INDET]));
        bar(f, n, cls, words, 3, x->total, 260, 12);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    if (rest_keys || t->other)
        fprintf(f, "<p class=\"note\">And %lu more (%lu lines)%s.</p>\n", rest_keys, rest,
                t->other ? "; past the 5000th distinct name, lines are only counted in the totals" : "");
}

/* The first lines of a list: line, file, id, chip, destination and what. */
static void write_items(FILE *f, const items *l, const char *what)
{
    fprintf(f, "<details%s><summary>%s%zu line%s</summary>\n<table><tr><th>line</th><th>id</th><th>chip</th>"
            "<th>destination</th><th>%s</th></tr>\n", l->n <= 10 ? " open=\"open\"" : "", l->more ? "The first " : "The ",
            l->n, l->n == 1 ? "" : "s", what);
    for (size_t i = 0; i < l->n; i++) {
        const item *x = &l->v[i];
        fprintf(f, "<tr><td class=\"n\">");
        if (x->file) {
            h(f, x->file);
            fputc(':', f);
        }
        fprintf(f, "%lu</td><td>", x->line);
        h(f, x->id);
        fputs("</td><td>", f);
        h(f, x->chip);
        fputs("</td><td>", f);
        h(f, x->dest);
        fputs("</td><td>", f);
        h(f, x->what);
        fputs("</td></tr>\n", f);
    }
    fputs("</table></details>\n", f);
    if (l->more)
        fprintf(f, "<p class=\"note\">And %lu more lines (the first %d are listed).</p>\n", l->more, MAX_LISTED);
}

static void write_indeterminate(FILE *f, report *r)
{
    fprintf(f, "<h2>Indeterminate lines: what is missing</h2>\n");
    if (r->v[V_INDET] == 0) {
        fputs("<p class=\"note\">None: every line was decided.</p>\n", f);
        return;
    }
    sort_tallies(&r->missing, by_total);
    fputs("<p>", f);
    for (size_t i = 0; i < r->missing.n; i++) {
        fprintf(f, "%s<code>", i ? ", " : "Give ");
        h(f, r->missing.v[i].key);
        fprintf(f, "</code> (%lu line%s)", r->missing.v[i].total, r->missing.v[i].total == 1 ? "" : "s");
    }
    fputs(r->missing.n ? " to decide them.</p>\n" : "</p>\n", f);
    write_items(f, &r->indet, "missing");
}

static void write_errors(FILE *f, const report *r)
{
    if (r->errors == 0)
        return;
    fprintf(f, "<h2>Lines that could not be read (%lu)</h2>\n", r->errors);
    write_items(f, &r->errs, "error");
}

static void write_versions(FILE *f, report *r)
{
    fputs("<h2>Rule sets used</h2>\n<table><tr><th>regime@version</th><th>lines</th><th>digest</th></tr>\n", f);
    sort_tallies(&r->versions, by_total);
    for (size_t i = 0; i < r->versions.n; i++) {
        fputs("<tr><td>", f);
        h(f, r->versions.v[i].key);
        fprintf(f, "</td><td class=\"n\">%lu</td><td><code>", r->versions.v[i].total);
        h(f, r->versions.v[i].note ? r->versions.v[i].note : "(none)");
        fputs("</code></td></tr>\n", f);
    }
    fputs("</table>\n", f);
    if (r->stale)
        fprintf(f, "<p class=\"note\">%lu line%s dated after the rules' reviewed date: check for newer rules.</p>\n",
                r->stale, r->stale == 1 ? " is" : "s are");
}

/* Codes gained or lost between the rule sets, as one line of text. */
static void write_code_changes(FILE *f, tallies *t, const char *what)
{
    if (t->n == 0)
        return;
    sort_tallies(t, by_total);
    fprintf(f, "<p>%s: ", what);
    for (size_t i = 0; i < t->n; i++) {
        fprintf(f, "%s<code>", i ? ", " : "");
        h(f, t->v[i].key);
        fprintf(f, "</code> (%lu)", t->v[i].total);
    }
    fputs("</p>\n", f);
}

/* Two rule sets: the verdicts from one to the other, the codes gained and lost, the first lines that change. */
static void write_compare(FILE *f, report *r)
{
    static const char *const names[V_N] = {"allowed", "license_required", "indeterminate"};
    char c1[32], c2[32];
    fputs("<h2>What changes from ", f);
    h(f, r->ruleset_a);
    fputs(" to ", f);
    h(f, r->ruleset_b);
    fprintf(f, "</h2>\n<p class=\"headline\"><span class=\"big\">%s</span> of the %s lines change verdict or review "
            "policy (%.1f%%).</p>\n<p class=\"note\">Each line is checked twice, with that regime pinned to each "
            "version; every other regime applies by the line's date both times. The decisions written are the first "
            "version's.</p>\n<table><tr><th>from \\ to</th>", num(c1, sizeof c1, r->changed), num(c2, sizeof c2, r->lines),
            pct(r->changed, r->lines));
    for (int b = 0; b < V_N; b++)
        fprintf(f, "<th>%s</th>", names[b]);
    fputs("</tr>\n", f);
    for (int a = 0; a < V_N; a++) {
        fprintf(f, "<tr><th>%s</th>", names[a]);
        for (int b = 0; b < V_N; b++)
            fprintf(f, "<td class=\"n\">%s%lu%s</td>", a != b && r->trans[a][b] ? "<b>" : "", r->trans[a][b],
                    a != b && r->trans[a][b] ? "</b>" : "");
        fputs("</tr>\n", f);
    }
    fprintf(f, "</table>\n<p class=\"note\">%lu more lines keep their verdict but change review policy.</p>\n",
            r->policy_changed);
    write_code_changes(f, &r->gained, "Reason codes that newly hold (lines)");
    write_code_changes(f, &r->lost, "Reason codes that no longer hold (lines)");
    if (r->changes.n)
        write_items(f, &r->changes, "change");
}

/* Write the page. inputs names what was read. Returns 0, or -1 (error printed). */
int report_write(report *r, const char *inputs)
{
    char count[32];
    FILE *f = fopen(r->path, "w");
    if (f == NULL) {
        errorf("batch: --report %s: cannot open for writing", r->path);
        return -1;
    }
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>chipcheck batch report</title>"
            "\n<style>\n%s</style></head>\n<body>\n<h1>chipcheck batch report</h1>\n<p class=\"meta\">%s lines from ",
            page_style, num(count, sizeof count, r->lines + r->errors));
    h(f, inputs);
    fprintf(f, ", checked by chipcheck %s", chipcheck_version());
    if (r->ruleset_a != NULL) {
        fputs(r->ruleset_b ? " with " : " with ", f);
        h(f, r->ruleset_a);
        fputs(r->ruleset_b ? " pinned (and compared with " : " pinned", f);
        h(f, r->ruleset_b);
        fputs(r->ruleset_b ? ")" : "", f);
    }
    fputs(". A screening aid, not legal advice: a license or an indeterminate line means \u201cask your trade "
          "compliance team\u201d.</p>\n", f);
    write_headline(f, r);
    write_why(f, r);
    write_breakdown(f, &r->dest, "By destination", "destination");
    write_breakdown(f, &r->chips, "By chip", "chip");
    write_indeterminate(f, r);
    write_errors(f, r);
    if (r->ruleset_b != NULL)
        write_compare(f, r);
    write_versions(f, r);
    fputs("</body></html>\n", f);
    if (ferror(f) | fclose(f)) {
        errorf("batch: --report %s: error writing", r->path);
        return -1;
    }
    return 0;
}
