/*
 * whatif.c: `chipcheck headroom` and `chipcheck envelope`: the library's what-if analysis (chipcheck_headroom(),
 * chipcheck_envelope()) for people, or its JSON. Everything printed comes from that JSON: no threshold here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char headroom_usage[] =
    "headroom (--chip NAME | --spec FILE) --to CC [--hq CC] [--from CC] [--region CC-SUB] [--eccn ECCN]\n"
    "       [--date YYYY-MM-DD] [--ruleset ID@VERSION] [--rules DIR] [--format text|json]";
static const char envelope_usage[] =
    "envelope --to CC [--hq CC] [--from CC] [--date YYYY-MM-DD] [--datacenter yes|no]\n"
    "       [--chip NAME | --spec FILE] [--name NAME] [--vendor NAME] [--metric NAME ...] [--ruleset ID@VERSION]\n"
    "       [--rules DIR] [--format text|json]";

enum { MAX_METRICS = 8 };

typedef struct wopts {
    const char *chip, *spec, *to, *hq, *from, *date, *ruleset, *rules_dir, *format, *region, *eccn;
    const char *datacenter, *vendor, *name; /* envelope */
    const char *metrics[MAX_METRICS];
    size_t nmetrics;
} wopts;

/* Parse the options; -1 when fine, else the exit status (usage error printed). */
static int parse_wopts(args *a, wopts *w, int envelope)
{
    const char *opt, *val;
    int k;
    memset(w, 0, sizeof *w);
    while ((k = args_next(a, &opt, &val)) != 0) {
        if (k == 2)
            return usage_error(a, "unexpected argument '%s'", opt);
        const struct { const char *name; const char **slot; int envelope_only; } table[] = {
            {"--chip", &w->chip, 0},   {"--spec", &w->spec, 0},       {"--to", &w->to, 0},
            {"--hq", &w->hq, 0},       {"--from", &w->from, 0},       {"--date", &w->date, 0},
            {"--ruleset", &w->ruleset, 0}, {"--rules", &w->rules_dir, 0}, {"--format", &w->format, 0},
            {"--region", &w->region, 0}, {"--eccn", &w->eccn, 0},     {"--datacenter", &w->datacenter, 1},
            {"--vendor", &w->vendor, 1}, {"--name", &w->name, 1},     {"--metric", NULL, 1},
        };
        size_t t = 0;
        while (t < sizeof table / sizeof table[0] && (strcmp(opt, table[t].name) != 0 ||
                                                        (table[t].envelope_only && !envelope)))
            t++;
        if (t == sizeof table / sizeof table[0]) {
            if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
                printf("usage: chipcheck %s\n", a->usage);
                return finish_stdout(EXIT_OK);
            }
            return usage_error(a, "unknown option '%s'", opt);
        }
        const char *v = args_value(a, opt, val);
        if (v == NULL)
            return EXIT_USAGE;
        if (table[t].slot == NULL) {
            if (w->nmetrics == MAX_METRICS)
                return usage_error(a, "at most %d --metric options", MAX_METRICS);
            w->metrics[w->nmetrics++] = v;
        } else if (*table[t].slot != NULL) {
            return usage_error(a, "option %s given twice", opt);
        } else {
            *table[t].slot = v;
        }
    }
    return -1;
}

/* Check the options that go together. -1 when fine, else the exit status. */
static int check_wopts(args *a, wopts *w, int envelope)
{
    if (!envelope && w->spec == NULL && w->chip == NULL)
        return usage_error(a, "missing --spec FILE or --chip NAME");
    if (w->spec != NULL && w->chip != NULL)
        return usage_error(a, "give --spec FILE or --chip NAME, not both");
    if (w->to == NULL)
        return usage_error(a, "missing --to CC (the destination country)");
    if (w->format == NULL)
        w->format = "text";
    if (strcmp(w->format, "text") != 0 && strcmp(w->format, "json") != 0)
        return usage_error(a, "--format must be text or json; got '%s'", w->format);
    if (w->datacenter != NULL && strcmp(w->datacenter, "yes") != 0 && strcmp(w->datacenter, "no") != 0)
        return usage_error(a, "--datacenter must be yes or no; got '%s'", w->datacenter);
    return -1;
}

static int set_str(cJSON *o, const char *key, const char *val)
{
    cJSON *s = cJSON_CreateString(val);
    if (s == NULL)
        return 0;
    if (cJSON_GetObjectItemCaseSensitive(o, key) != NULL)
        return cJSON_ReplaceItemInObjectCaseSensitive(o, key, s) ? 1 : (cJSON_Delete(s), 0);
    return cJSON_AddItemToObject(o, key, s) ? 1 : (cJSON_Delete(s), 0);
}

/* The shipment with its chip: the spec's (a chip or a whole shipment), a catalog chip, or (envelope) a new design;
 * for the envelope the chip is an object ({"catalog": NAME} for a name), so that options can go over it. Returns
 * the shipment object, or NULL (error printed). */
static cJSON *chip_of(const wopts *w, int envelope)
{
    cJSON *ship = NULL, *chip;
    if (w->spec != NULL) {
        char *text = read_whole_file(w->spec);
        cJSON *root = text != NULL ? parse_spec(w->spec, text) : NULL;
        free(text);
        if (root == NULL)
            return NULL;
        if (cJSON_GetObjectItemCaseSensitive(root, "chip") != NULL)
            ship = root;
        else if ((ship = cJSON_CreateObject()) == NULL || !cJSON_AddItemToObject(ship, "chip", root))
            cJSON_Delete(root);
    } else if ((ship = cJSON_CreateObject()) != NULL) {
        chip = w->chip != NULL ? cJSON_CreateString(w->chip) : cJSON_CreateObject();
        if (chip == NULL || !cJSON_AddItemToObject(ship, "chip", chip) ||
            (w->chip == NULL && !set_str(chip, "name", "new design"))) {
            if (cJSON_GetObjectItemCaseSensitive(ship, "chip") != chip)
                cJSON_Delete(chip);
            cJSON_Delete(ship);
            ship = NULL;
        }
    }
    chip = ship != NULL ? cJSON_GetObjectItemCaseSensitive(ship, "chip") : NULL;
    if (chip != NULL && envelope && cJSON_IsString(chip)) {
        cJSON *obj = cJSON_CreateObject();
        if (obj == NULL || !set_str(obj, "catalog", chip->valuestring) ||
            !cJSON_ReplaceItemInObjectCaseSensitive(ship, "chip", obj)) {
            cJSON_Delete(obj);
            chip = NULL;
        }
    }
    if (chip == NULL) {
        errorf("out of memory");
        cJSON_Delete(ship);
        return NULL;
    }
    return ship;
}

/* The shipment the options describe (JSON text, caller frees with cJSON_free), or NULL (error printed). */
static char *shipment_text(const wopts *w, int envelope)
{
    cJSON *ship = chip_of(w, envelope);
    if (ship == NULL)
        return NULL;
    cJSON *chip = cJSON_GetObjectItemCaseSensitive(ship, "chip");
    const struct { const char *key, *val; } over[] = {
        {"date", w->date}, {"destination", w->to}, {"end_user_hq", w->hq}, {"export_from", w->from},
        {"destination_region", w->region}, {"eccn", w->eccn},
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++)
        if (over[i].val != NULL)
            ok &= set_str(ship, over[i].key, over[i].val);
    if (envelope && cJSON_IsObject(chip)) {
        int fresh = w->spec == NULL && w->chip == NULL; /* a new design is for datacenters unless told */
        if (w->name != NULL)
            ok &= set_str(chip, "name", w->name);
        if (w->vendor != NULL)
            ok &= set_str(chip, "vendor", w->vendor);
        if (w->datacenter != NULL || fresh) {
            cJSON_DeleteItemFromObjectCaseSensitive(chip, "datacenter");
            ok &= cJSON_AddBoolToObject(chip, "datacenter", w->datacenter == NULL || !strcmp(w->datacenter, "yes")) != NULL;
        }
    }
    char *text = ok ? cJSON_PrintUnformatted(ship) : NULL;
    cJSON_Delete(ship);
    if (text == NULL)
        errorf("out of memory");
    return text;
}

/* ---- reading the analysis JSON ---------------------------------------------------------------------- */

static const char *jstr(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static double jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const cJSON *jget(const cJSON *o, const char *key) { return cJSON_GetObjectItemCaseSensitive(o, key); }

/* "license_required (case_by_case), 3A090.b" or "indeterminate: missing die_area_mm2". */
static void print_outcome(const cJSON *o)
{
    const char *policy = jstr(o, "review_policy");
    const cJSON *c;
    printf("%s", jstr(o, "verdict") ? jstr(o, "verdict") : "?");
    if (policy != NULL)
        printf(" (%s)", policy);
    cJSON_ArrayForEach(c, jget(o, "classification")) printf("%s%s", c == jget(o, "classification")->child ? ", " : " ",
                                                             c->valuestring);
    cJSON_ArrayForEach(c, jget(o, "missing")) printf("%s%s", c == jget(o, "missing")->child ? ": missing " : ", ",
                                                      c->valuestring);
}

/* The rule ids of a "rules" array, ", "-separated, "(reported)" after those whose figures are only reported. */
static void print_rules(const cJSON *rules)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, rules) {
        const char *conf = jstr(r, "confidence");
        printf("%s%s%s", r == rules->child ? "" : ", ", jstr(r, "rule"),
               conf != NULL && strcmp(conf, "reported") == 0 ? " (reported)" : "");
    }
}

static void print_value(double v)
{
    if (isnan(v))
        fputs("(not given)", stdout);
    else
        printf("%.6g", v);
}

/* "Headroom: H20 to CN on 2025-03-01, end user's headquarters not given, for datacenters" and the rule sets. */
static void print_head(const cJSON *root, const char *title)
{
    const cJSON *sh = jget(root, "shipment"), *r;
    const char *chip = jstr(sh, "chip"), *hq = jstr(sh, "end_user_hq");
    printf("%s: %s to %s on %s", title, chip != NULL ? chip : "a chip given by figures", jstr(sh, "destination"),
           jstr(sh, "date"));
    if (hq != NULL)
        printf(", end user headquartered in %s", hq);
    else
        fputs(", end user's headquarters not given", stdout);
    if (cJSON_IsBool(jget(sh, "datacenter")))
        printf(", %s", cJSON_IsTrue(jget(sh, "datacenter")) ? "for datacenters" : "not for datacenters");
    fputs("\nrule sets:", stdout);
    cJSON_ArrayForEach(r, jget(root, "rulesets")) {
        const char *v = jstr(r, "version");
        printf("%s %s%s%s", r == jget(root, "rulesets")->child ? "" : ",", jstr(r, "id"), v != NULL ? "@" : "",
               v != NULL ? v : " (none in force)");
    }
    putchar('\n');
}

/* One flip: "tpp  up    2368 -> 2400 (+1.35%, tpp >= 2400)  license_required (case_by_case), 3A090.b  [3A090.b.1]". */
static void print_flip(const cJSON *f, int width)
{
    char from[32];
    snprintf(from, sizeof from, "%.6g", jnum(f, "from"));
    printf("%-*s %-4s  %s -> %.15g (%+.2f%%, %s %s %.15g)  ", width, jstr(f, "metric"), jstr(f, "direction"), from,
           jnum(f, "line"), jnum(f, "change_pct"), jstr(f, "metric"), jstr(f, "op"), jnum(f, "line"));
    print_outcome(jget(f, "after"));
    fputs("  [", stdout);
    print_rules(jget(f, "rules"));
    printf("]%s\n", cJSON_IsTrue(jget(f, "confirmed")) ? "" : "  (NOT CONFIRMED: the near side differs)");
}

static int by_margin(const void *pa, const void *pb)
{
    const cJSON *x = *(const cJSON *const *)pa, *y = *(const cJSON *const *)pb;
    double a = fabs(jnum(x, "margin_pct")), b = fabs(jnum(y, "margin_pct"));
    if (isnan(a) != isnan(b))
        return isnan(a) ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
}

/* One comparison: "tpp >= 2400   2368   -1.33%   does not hold; crossing it alone: ...   [3A090.b.1]". */
static void print_comparison(const cJSON *c, int width)
{
    char expr[160], val[32] = "(not given)", pc[16] = "";
    const cJSON *x, *res = jget(c, "result");
    snprintf(expr, sizeof expr, "%s %s %s", jstr(c, "expr"), jstr(c, "op"), jstr(c, "threshold_expr"));
    if (!isnan(jnum(c, "value")))
        snprintf(val, sizeof val, "%.6g", jnum(c, "value"));
    if (!isnan(jnum(c, "margin_pct")))
        snprintf(pc, sizeof pc, "%+.2f%%", jnum(c, "margin_pct"));
    printf("  %-*s  %11s  %8s  %-13s", width, expr, val, pc,
           cJSON_IsTrue(res) ? "holds" : cJSON_IsFalse(res) ? "does not hold" : "unknown");
    cJSON_ArrayForEach(x, jget(c, "crossings")) if (cJSON_IsTrue(jget(x, "changes_verdict"))) {
        fputs("  crossing it alone: ", stdout);
        print_outcome(x);
        break;
    }
    fputs("  [", stdout);
    print_rules(jget(c, "rules"));
    puts("]");
}

static void print_comparisons(const cJSON *root)
{
    const cJSON *cmps = jget(root, "comparisons"), *c;
    int n = cJSON_GetArraySize(cmps), width = 0, k = 0;
    const cJSON **v = calloc((size_t)(n ? n : 1), sizeof *v);
    if (v == NULL)
        return;
    cJSON_ArrayForEach(c, cmps) {
        int w = (int)(strlen(jstr(c, "expr")) + strlen(jstr(c, "op")) + strlen(jstr(c, "threshold_expr")) + 2);
        width = w > width ? w : width;
        v[k++] = c;
    }
    qsort(v, (size_t)n, sizeof *v, by_margin);
    puts("\ncomparisons of the rules in force, nearest first (margin: of the threshold):");
    for (int i = 0; i < n; i++)
        print_comparison(v[i], width);
    free(v);
}

static void print_date_flips(const cJSON *root)
{
    const cJSON *d, *x;
    if (cJSON_GetArraySize(jget(root, "date_flips")) == 0) {
        puts("\ndate flips: none (no later version changes the answer for this shipment)");
        return;
    }
    puts("\ndate flips (the same shipment on the dates later versions take effect):");
    cJSON_ArrayForEach(d, jget(root, "date_flips")) {
        printf("  %s  ", jstr(d, "date"));
        print_outcome(jget(d, "after"));
        cJSON_ArrayForEach(x, jget(d, "gained")) printf("%s%s", x == jget(d, "gained")->child ? "; gains " : ", ",
                                                         x->valuestring);
        cJSON_ArrayForEach(x, jget(d, "lost")) printf("%s%s", x == jget(d, "lost")->child ? "; loses " : ", ",
                                                       x->valuestring);
        putchar('\n');
        cJSON_ArrayForEach(x, jget(d, "checks")) {
            printf("              %s ", jstr(x, "metric"));
            print_value(jnum(x, "value"));
            printf(" %s %.15g (%s)\n", jstr(x, "op"), jnum(x, "threshold"), jstr(x, "code"));
        }
    }
}

/* The flips and the nearest line; a "chip" object of the envelope has the same fields. */
static void print_flips(const cJSON *o)
{
    const cJSON *f, *near = jget(o, "nearest_line");
    int width = 0;
    cJSON_ArrayForEach(f, jget(o, "flips")) width = (int)strlen(jstr(f, "metric")) > width ? (int)strlen(jstr(f, "metric")) : width;
    if (cJSON_IsObject(near)) {
        const char *v = jstr(jget(o, "outcome"), "verdict");
        fputs(v != NULL && !strcmp(v, "allowed") ? "designed under (the nearest line to a license): "
                                                 : "nearest line to a stricter answer: ", stdout);
        print_flip(near, 0);
    }
    if (cJSON_GetArraySize(jget(o, "flips")) == 0) {
        puts("flips: none (no figure, moved alone, changes the answer)");
        return;
    }
    puts("flips (per figure, the nearest value that changes the answer, the others held; both sides evaluated):");
    cJSON_ArrayForEach(f, jget(o, "flips")) {
        fputs("  ", stdout);
        print_flip(f, width);
    }
}

static void print_headroom(const cJSON *root)
{
    const cJSON *o = jget(root, "outcome");
    print_head(root, "Headroom");
    fputs("outcome: ", stdout);
    print_outcome(o);
    putchar('\n');
    print_flips(root);
    print_date_flips(root);
    print_comparisons(root);
    if (cJSON_GetArraySize(jget(root, "not_analysed")) > 0)
        printf("not analysed (not linear in the figures): %d comparisons\n",
               cJSON_GetArraySize(jget(root, "not_analysed")));
}

static int is_lower(const char *op) { return !strcmp(op, ">=") || !strcmp(op, ">"); }
static int is_upper(const char *op) { return !strcmp(op, "<") || !strcmp(op, "<="); }

/* A conjunction of constraints: "1600 <= tpp < 2400 and performance_density < 3.2". */
static void print_conj(const cJSON *list)
{
    const cJSON *c = list != NULL ? list->child : NULL;
    for (int first = 1; c != NULL; c = c->next, first = 0) {
        const cJSON *n = c->next;
        const char *m = jstr(c, "metric");
        if (!first)
            fputs(" and ", stdout);
        if (m != NULL && n != NULL && jstr(n, "metric") && !strcmp(m, jstr(n, "metric")) && is_lower(jstr(c, "op")) &&
            is_upper(jstr(n, "op"))) {
            printf("%.15g %s %s %s %.15g", jnum(c, "value"), !strcmp(jstr(c, "op"), ">=") ? "<=" : "<", m,
                   jstr(n, "op"), jnum(n, "value"));
            c = n;
        } else {
            fputs(jstr(c, "text"), stdout);
        }
    }
}

/* A region: "all of: A; B" then "one of: (C) or (D)". */
static void print_region(const cJSON *r, const char *indent)
{
    const cJSON *all = jget(r, "all"), *any = jget(r, "any"), *alt;
    if (cJSON_GetArraySize(all) == 0 && cJSON_GetArraySize(any) == 0) {
        printf("%severywhere\n", indent);
        return;
    }
    if (cJSON_GetArraySize(all) > 0) {
        printf("%s", indent);
        print_conj(all);
        puts(cJSON_GetArraySize(any) > 0 ? ", and one of:" : "");
    }
    cJSON_ArrayForEach(alt, any) {
        printf("%s%s", indent, cJSON_GetArraySize(all) > 0 ? "  - " : "- ");
        print_conj(alt);
        putchar('\n');
    }
}

/* One line an envelope's constraint lies on, unless printed already: its rules and the first one's citation. */
static void print_bound(const cJSON *c, const char **seen, size_t *nseen, size_t max, int width)
{
    const char *t = jstr(c, "text");
    const cJSON *r0 = cJSON_GetArrayItem(jget(c, "rules"), 0);
    for (size_t i = 0; i < *nseen; i++)
        if (!strcmp(seen[i], t))
            return;
    if (*nseen == max)
        return;
    seen[(*nseen)++] = t;
    printf("  %-*s  ", width, t);
    print_rules(jget(c, "rules"));
    printf("%s%s\n", r0 ? ": " : "", r0 ? jstr(r0, "citation") : "");
}

static void print_bounds(const cJSON *env)
{
    const char *seen[64];
    size_t n = 0;
    const cJSON *c, *alt;
    if (cJSON_GetArraySize(jget(env, "all")) + cJSON_GetArraySize(jget(env, "any")) == 0)
        return;
    int width = 0;
    cJSON_ArrayForEach(c, jget(env, "all")) width = (int)strlen(jstr(c, "text")) > width ? (int)strlen(jstr(c, "text")) : width;
    cJSON_ArrayForEach(alt, jget(env, "any")) cJSON_ArrayForEach(c, alt) width =
        (int)strlen(jstr(c, "text")) > width ? (int)strlen(jstr(c, "text")) : width;
    puts("lines that bound it:");
    cJSON_ArrayForEach(c, jget(env, "all")) print_bound(c, seen, &n, 64, width);
    cJSON_ArrayForEach(alt, jget(env, "any")) cJSON_ArrayForEach(c, alt) print_bound(c, seen, &n, 64, width);
}

/* "license_required with case_by_case where:" or "indeterminate (missing end_user_hq) where:". */
static void print_region_head(const cJSON *r, const char *indent)
{
    const cJSON *m;
    printf("%s%s", indent, jstr(r, "verdict"));
    if (jstr(r, "review_policy"))
        printf(" with %s", jstr(r, "review_policy"));
    cJSON_ArrayForEach(m, jget(r, "missing")) printf("%s%s", m == jget(r, "missing")->child ? " (missing " : ", ",
                                                      m->valuestring);
    puts(cJSON_GetArraySize(jget(r, "missing")) ? ") where:" : " where:");
}

static void print_envelope(const cJSON *root)
{
    const cJSON *env = jget(root, "envelope"), *r, *h, *chip = jget(root, "chip");
    print_head(root, "Envelope");
    print_region_head(env, "");
    print_region(env, "  ");
    print_bounds(env);
    cJSON_ArrayForEach(h, jget(root, "held")) {
        printf("held: %s at %.15g", jstr(h, "metric"), jnum(h, "value"));
        printf(!strcmp(jstr(h, "why"), "chip") ? " (the chip's)\n" : !strcmp(jstr(h, "why"), "zero")
               ? "\n" : " (the least %s needs)\n", jstr(h, "why"));
    }
    if (cJSON_GetArraySize(jget(root, "regions")) > 1)
        puts("elsewhere:");
    cJSON_ArrayForEach(r, jget(root, "regions")) {
        if (r == jget(root, "regions")->child)
            continue;
        print_region_head(r, "  ");
        print_region(r, "    ");
    }
    if (!cJSON_IsObject(chip))
        return;
    printf("chip %s at", jstr(chip, "name") ? jstr(chip, "name") : "(figures)");
    cJSON_ArrayForEach(h, jget(chip, "metrics")) {
        printf("%s %s ", h == jget(chip, "metrics")->child ? "" : ",", h->string);
        print_value(jnum(h, "value"));
    }
    if (!cJSON_IsTrue(jget(chip, "placed"))) {
        puts(": not placed (a figure is not given)");
        return;
    }
    fputs(": ", stdout);
    print_outcome(jget(chip, "outcome"));
    putchar('\n');
    print_flips(chip);
}

/* ---- the commands ------------------------------------------------------------------------------------ */

/* Run one analysis and print it. envelope selects chipcheck_envelope(). Returns the exit status. */
static int run_analysis(int argc, char **argv, int envelope)
{
    args a;
    wopts w;
    args_init(&a, argc, argv, 2, envelope ? "envelope" : "headroom", envelope ? envelope_usage : headroom_usage);
    int st = parse_wopts(&a, &w, envelope);
    if (st < 0)
        st = check_wopts(&a, &w, envelope);
    if (st >= 0)
        return st;
    char *ship = shipment_text(&w, envelope), *out = NULL;
    chipcheck_rules *rules = ship != NULL ? load_rules(w.rules_dir) : NULL;
    st = EXIT_USAGE;
    if (rules != NULL) {
        chipcheck_options opts = CHIPCHECK_OPTIONS_INIT;
        chipcheck_error err;
        unsigned flags = strcmp(w.format, "json") == 0 ? CHIPCHECK_JSON_PRETTY : 0;
        opts.ruleset = w.ruleset;
        memset(&err, 0, sizeof err);
        out = envelope ? chipcheck_envelope(rules, ship, w.nmetrics ? w.metrics : NULL, w.nmetrics, &opts, flags, &err)
                       : chipcheck_headroom(rules, ship, &opts, flags, &err);
        if (out == NULL && strcmp(err.field, "metrics") == 0)
            errorf("envelope: --metric: %s", error_message_body(&err));
        else if (out == NULL)
            print_lib_error(&err, w.spec, 0);
    }
    cJSON *root = out != NULL && strcmp(w.format, "text") == 0 ? cJSON_Parse(out) : NULL;
    if (out != NULL && strcmp(w.format, "json") == 0) {
        puts(out);
        st = finish_stdout(EXIT_OK);
    } else if (root != NULL) {
        (envelope ? print_envelope : print_headroom)(root);
        st = finish_stdout(EXIT_OK);
    } else if (out != NULL) {
        errorf("cannot read the analysis JSON");
    }
    cJSON_Delete(root);
    chipcheck_free(out);
    chipcheck_rules_free(rules);
    cJSON_free(ship);
    return st;
}

int cmd_headroom(int argc, char **argv) { return run_analysis(argc, argv, 0); }
int cmd_envelope(int argc, char **argv) { return run_analysis(argc, argv, 1); }
