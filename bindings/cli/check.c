/*
 * check.c: `chipcheck check`: build one shipment from the options (and a spec file), check it, and print
 * the decision as text for people or as the decision JSON. The exit status is the verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char check_usage[] =
    "check (--spec FILE | --chip NAME) --to CC [--region CC-SUB] [--hq CC] [--from CC] [--date YYYY-MM-DD]\n"
    "       [--eccn ECCN] [--ruleset ID@VERSION] [--rules DIR] [--format text|json]\n"
    "       [--exception NAC|ACA|SPP [--authorization NUM]]";

typedef struct check_args {
    const char *spec, *chip, *to, *hq, *from, *date, *ruleset, *rules_dir, *format, *exception, *authorization;
    const char *region, *eccn;
} check_args;

/* Parse the options of check; returns -1 when they are fine, else the exit status (usage error printed). */
static int parse_check_args(args *a, check_args *c)
{
    const char *opt, *val;
    int k;
    memset(c, 0, sizeof *c);
    while ((k = args_next(a, &opt, &val)) != 0) {
        if (k == 2)
            return usage_error(a, "unexpected argument '%s'", opt);
        const struct { const char *name; const char **slot; } table[] = {
            {"--spec", &c->spec},       {"--chip", &c->chip},           {"--to", &c->to},
            {"--hq", &c->hq},           {"--from", &c->from},           {"--date", &c->date},
            {"--ruleset", &c->ruleset}, {"--rules", &c->rules_dir},     {"--format", &c->format},
            {"--exception", &c->exception}, {"--authorization", &c->authorization},
            {"--region", &c->region},   {"--eccn", &c->eccn},
        };
        size_t t;
        for (t = 0; t < sizeof table / sizeof table[0]; t++)
            if (strcmp(opt, table[t].name) == 0)
                break;
        if (t == sizeof table / sizeof table[0]) {
            if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
                printf("usage: chipcheck %s\n", check_usage);
                return finish_stdout(EXIT_OK);
            }
            return usage_error(a, "unknown option '%s'", opt);
        }
        const char *v = args_value(a, opt, val);
        if (v == NULL)
            return EXIT_USAGE;
        if (*table[t].slot != NULL)
            return usage_error(a, "option %s given twice", opt);
        *table[t].slot = v;
    }
    if (c->spec == NULL && c->chip == NULL)
        return usage_error(a, "missing --spec FILE or --chip NAME");
    if (c->spec != NULL && c->chip != NULL)
        return usage_error(a, "give --spec FILE or --chip NAME, not both");
    if (c->format == NULL)
        c->format = "text";
    if (strcmp(c->format, "text") != 0 && strcmp(c->format, "json") != 0)
        return usage_error(a, "--format must be text or json; got '%s'", c->format);
    if (c->exception != NULL && strcasecmp(c->exception, "NAC") != 0 && strcasecmp(c->exception, "ACA") != 0 &&
        strcasecmp(c->exception, "SPP") != 0)
        return usage_error(a, "--exception must be NAC, ACA or SPP; got '%s'", c->exception);
    if (c->authorization != NULL && c->exception == NULL)
        return usage_error(a, "--authorization needs --exception NAC");
    return -1;
}

/* Set obj[key] to the string val, replacing any value there. Returns 0 when out of memory. */
static int set_string(cJSON *obj, const char *key, const char *val)
{
    cJSON *s = cJSON_CreateString(val);
    if (s == NULL)
        return 0;
    if (cJSON_GetObjectItemCaseSensitive(obj, key) != NULL)
        return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, s) ? 1 : (cJSON_Delete(s), 0);
    return cJSON_AddItemToObject(obj, key, s) ? 1 : (cJSON_Delete(s), 0);
}

/* Parse the spec file into a JSON object. Prints the error and returns NULL on failure. */
cJSON *parse_spec(const char *path, const char *text)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (root == NULL) {
        int line, col;
        const char *at = end != NULL ? end : text;
        text_position(text, at, &line, &col);
        int n = (int)strcspn(at, "\r\n");
        if (*at == '\0')
            fprintf(stderr, "chipcheck: %s:%d:%d: invalid JSON: unexpected end of input\n", path, line, col);
        else if (n == 0)
            fprintf(stderr, "chipcheck: %s:%d:%d: invalid JSON at the end of the line\n", path, line, col);
        else
            fprintf(stderr, "chipcheck: %s:%d:%d: invalid JSON near '%.*s'\n", path, line, col, n > 16 ? 16 : n, at);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        errorf("%s: expected a JSON object (a chip or a shipment)", path);
        cJSON_Delete(root);
        return NULL;
    }
    char where[256];
    if (!json_numbers_finite(root, where, sizeof where)) {
        errorf("%s: %s: number out of range (must be finite)", path, where);
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* ---- text output ----------------------------------------------------------------------------------- */

static const char *result_marker(int result)
{
    return result > 0 ? "[x]" : result == 0 ? "[ ]" : "[?]";
}

static void print_verdict_line(const chipcheck_decision *d)
{
    chipcheck_verdict v = chipcheck_decision_verdict(d);
    if (v == CHIPCHECK_ALLOWED) {
        puts("ALLOWED");
    } else if (v == CHIPCHECK_LICENSE_REQUIRED) {
        const char *policy = chipcheck_decision_review_policy(d);
        if (policy != NULL)
            printf("LICENSE REQUIRED (%s%s)\n", policy,
                   chipcheck_decision_policy_may_be_stricter(d) ? "; policy may be stricter" : "");
        else
            puts("LICENSE REQUIRED");
    } else {
        size_t n = chipcheck_decision_missing_count(d);
        fputs("INDETERMINATE", stdout);
        for (size_t i = 0; i < n; i++)
            printf("%s%s", i == 0 ? ": missing " : ", ", chipcheck_decision_missing(d, i));
        putchar('\n');
    }
}

/* The review-policy conditions, the exceptions and the license used are only in the decision JSON.
 * named is the exception the shipment says it is made under, or NULL. */
static void print_conditions_and_exceptions(const cJSON *dj, const char *named)
{
    const cJSON *conds = cJSON_GetObjectItemCaseSensitive(dj, "conditions");
    if (cJSON_IsArray(conds) && cJSON_GetArraySize(conds) > 0) {
        puts("conditions:");
        const cJSON *c;
        cJSON_ArrayForEach(c, conds) {
            if (cJSON_IsString(c))
                printf("  - %s\n", c->valuestring);
        }
    }
    const cJSON *exs = cJSON_GetObjectItemCaseSensitive(dj, "exceptions");
    if (cJSON_IsArray(exs) && cJSON_GetArraySize(exs) > 0) {
        puts("license exceptions:");
        const cJSON *e;
        cJSON_ArrayForEach(e, exs) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
            const cJSON *cit = cJSON_GetObjectItemCaseSensitive(e, "citation");
            const cJSON *needs = cJSON_GetObjectItemCaseSensitive(e, "needs");
            const cJSON *used = cJSON_GetObjectItemCaseSensitive(e, "used");
            printf("  - %s", cJSON_IsString(id) ? id->valuestring : "?");
            if (cJSON_IsString(cit))
                printf(" (%s)", cit->valuestring);
            if (cJSON_IsTrue(used))
                fputs(", used by this shipment", stdout);
            else if (named != NULL && cJSON_IsString(id) && strcmp(named, id->valuestring) == 0)
                fputs(", named by this shipment but not usable as given", stdout);
            else
                fputs(", eligible, not used", stdout);
            if (cJSON_IsString(needs))
                printf(": needs %s", needs->valuestring);
            putchar('\n');
        }
    }
    const cJSON *lic = cJSON_GetObjectItemCaseSensitive(dj, "license");
    if (cJSON_IsString(lic))
        printf("license: %s covers this shipment\n", lic->valuestring);
}

/* One check as "metric value op threshold: yes|no|unknown". */
static void print_check(const cJSON *c)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(c, "metric");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, "value");
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(c, "op");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "threshold");
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(c, "result");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(c, "source");
    const cJSON *parts[2] = {v, t};
    int negated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "negated"));
    printf("%s%s", negated ? "not " : "", cJSON_IsString(m) ? m->valuestring : "?");
    for (int k = 0; k < 2; k++) {
        const cJSON *x = parts[k];
        if (k == 1)
            printf(" %s", cJSON_IsString(op) ? op->valuestring : "?");
        if (cJSON_IsNumber(x))
            printf(" %.15g", x->valuedouble);
        else if (cJSON_IsString(x))
            printf(" %s", x->valuestring);
        else if (cJSON_IsBool(x))
            printf(" %s", cJSON_IsTrue(x) ? "true" : "false");
        else
            printf(" (missing)");
        if (k == 0 && cJSON_IsString(src) && strcmp(src->valuestring, "given") != 0 && strcmp(src->valuestring, "missing") != 0)
            printf(" (%s)", src->valuestring);
    }
    printf(": %s", cJSON_IsTrue(res) ? (negated ? "yes, so no" : "yes") : cJSON_IsFalse(res) ? (negated ? "no, so yes" : "no")
                                      : "unknown");
}

/* Did this check count against its rule (false, or true under a not())? */
static int check_failed(const cJSON *c)
{
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(c, "result");
    int negated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "negated"));
    return negated ? cJSON_IsTrue(res) : cJSON_IsFalse(res);
}

/* A rule that holds or is open: code, citation, provenance, its sentence and every check. A rule that does
 * not hold: one line with the checks that failed. */
static void print_reason(const chipcheck_reason *r, const char *code, const cJSON *jr, int full)
{
    const char *cit = chipcheck_reason_citation(r);
    const cJSON *conf = cJSON_GetObjectItemCaseSensitive(jr, "confidence");
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(jr, "note");
    const cJSON *checks = cJSON_GetObjectItemCaseSensitive(jr, "checks");
    const cJSON *c;
    printf("  %s %s", result_marker(chipcheck_reason_result(r)), code != NULL ? code : "-");
    if (!full) {
        const char *sep = "  ";
        cJSON_ArrayForEach(c, checks) {
            if (check_failed(c)) {
                fputs(sep, stdout);
                print_check(c);
                sep = "; ";
            }
        }
        if (cJSON_IsString(note))
            printf("  (%s)", note->valuestring);
        putchar('\n');
        return;
    }
    if (cit != NULL && cit[0])
        printf("  %s", cit);
    if (cJSON_IsString(conf) && strcmp(conf->valuestring, "high") != 0)
        printf("  [%s, %s]", chipcheck_reason_source_kind(r), conf->valuestring);
    putchar('\n');
    const char *text = chipcheck_reason_text(r);
    if (text != NULL && text[0])
        printf("      %s\n", text);
    cJSON_ArrayForEach(c, checks) {
        fputs("      - ", stdout);
        print_check(c);
        putchar('\n');
    }
    if (cJSON_IsString(note))
        printf("      note: %s\n", note->valuestring);
}

/* Every regime consulted, with its own verdict; then one line per reviewed date the shipment is past. */
static void print_regimes_and_freshness(const chipcheck_decision *d)
{
    size_t n = chipcheck_decision_ruleset_count(d);
    fputs("regimes:", stdout);
    for (size_t i = 0; i < n; i++) {
        const char *id, *ver;
        int verdict;
        if (chipcheck_decision_ruleset_info(d, i, &id, &ver, NULL, &verdict) != CHIPCHECK_OK)
            continue;
        if (ver != NULL)
            printf("%s %s@%s %s", i ? "," : "", id, ver, chipcheck_verdict_name(verdict));
        else
            printf("%s %s (no version in force) %s", i ? "," : "", id, chipcheck_verdict_name(verdict));
    }
    putchar('\n');
    const char *last = NULL;
    for (size_t i = 0; i < chipcheck_decision_freshness_count(d); i++) {
        const char *reviewed;
        int days;
        if (chipcheck_decision_freshness(d, i, NULL, &reviewed, &days) != CHIPCHECK_OK ||
            (last != NULL && strcmp(last, reviewed) == 0))
            continue; /* regimes reviewed on the same date share one line */
        last = reviewed;
        printf("rules reviewed through %s; this shipment is %d day%s later: check for newer rules\n", reviewed, days,
               days == 1 ? "" : "s");
    }
}

/* The last line: what the answer does not cover, by label (the decision JSON has a sentence for each). */
static void print_not_screened(const cJSON *dj)
{
    const cJSON *ns = cJSON_GetObjectItemCaseSensitive(dj, "not_screened");
    const cJSON *it;
    const char *sep = "Not screened: ";
    cJSON_ArrayForEach(it, ns) {
        const cJSON *label = cJSON_GetObjectItemCaseSensitive(it, "label");
        if (cJSON_IsString(label)) {
            printf("%s%s", sep, label->valuestring);
            sep = "; ";
        }
    }
    if (strcmp(sep, "; ") == 0)
        puts(".");
}

static int print_text(const chipcheck_decision *d, const char *named_exception)
{
    print_verdict_line(d);

    const char *id = chipcheck_decision_id(d);
    const char *rs = chipcheck_decision_ruleset_id(d);
    const char *ver = chipcheck_decision_ruleset_version(d);
    const char *digest = chipcheck_decision_ruleset_digest(d);

    char *json = chipcheck_decision_json(d, 0);
    if (json == NULL) {
        errorf("out of memory");
        return 0;
    }
    cJSON *dj = cJSON_ParseWithOpts(json, NULL, 1);
    chipcheck_free(json);
    if (dj == NULL) {
        errorf("cannot read the decision JSON");
        return 0;
    }

    if (id != NULL)
        printf("shipment: %s\n", id);
    const cJSON *date = cJSON_GetObjectItemCaseSensitive(dj, "date");
    if (rs != NULL) {
        printf("rule set: %s@%s (%s)", rs, ver != NULL ? ver : "?", digest != NULL ? digest : "no digest");
        if (cJSON_IsString(date))
            printf(", export date %s", date->valuestring);
        putchar('\n');
    } else if (cJSON_IsString(date)) {
        printf("rule set: none in force on %s\n", date->valuestring);
    } else {
        puts("rule set: none in force");
    }
    print_regimes_and_freshness(d);

    size_t nc = chipcheck_decision_classification_count(d);
    fputs("classification:", stdout);
    if (nc == 0)
        fputs(" none", stdout);
    for (size_t i = 0; i < nc; i++)
        printf("%s%s", i == 0 ? " " : ", ", chipcheck_decision_classification(d, i));
    putchar('\n');

    if (chipcheck_decision_verdict(d) != CHIPCHECK_INDETERMINATE && chipcheck_decision_missing_count(d) > 0) {
        fputs("missing (could add a requirement, or a stricter policy):", stdout);
        for (size_t i = 0; i < chipcheck_decision_missing_count(d); i++)
            printf("%s%s", i == 0 ? " " : ", ", chipcheck_decision_missing(d, i));
        putchar('\n');
    }

    /* Rules that hold or are open, with every check; then one short line per rule that does not hold,
     * with the checks that failed. The reasons in the JSON are in the same order as the accessors'. */
    const cJSON *jreasons = cJSON_GetObjectItemCaseSensitive(dj, "reasons");
    size_t nr = chipcheck_decision_reason_count(d);
    for (int pass = 0; pass < 2; pass++) {
        int printed = 0;
        for (size_t i = 0; i < nr; i++) {
            const chipcheck_reason *r = chipcheck_decision_reason(d, i);
            int res = chipcheck_reason_result(r);
            if ((pass == 0) != (res != 0))
                continue;
            if (!printed++)
                puts(pass == 0 ? "reasons:" : "checked, does not apply:");
            const char *code = chipcheck_reason_code(r);
            if (code == NULL)
                code = chipcheck_reason_rule(r);
            const cJSON *jr = cJSON_GetArrayItem(jreasons, (int)i);
            print_reason(r, code, jr, pass == 0);
        }
    }
    print_conditions_and_exceptions(dj, named_exception);
    print_not_screened(dj);
    cJSON_Delete(dj);
    return 1;
}

/* ---- the command ----------------------------------------------------------------------------------- */

int cmd_check(int argc, char **argv)
{
    args a;
    check_args c;
    args_init(&a, argc, argv, 2, "check", check_usage);
    int st = parse_check_args(&a, &c);
    if (st >= 0)
        return st;

    int status = EXIT_USAGE;
    char *spec_text = NULL, *ship_text = NULL;
    cJSON *ship = NULL;
    chipcheck_rules *rules = NULL;
    chipcheck_decision *d = NULL;
    int overrides = 0, raw = 0;

    if (c.spec != NULL) {
        spec_text = read_whole_file(c.spec);
        if (spec_text == NULL)
            goto done;
        cJSON *root = parse_spec(c.spec, spec_text);
        if (root == NULL)
            goto done;
        if (cJSON_GetObjectItemCaseSensitive(root, "chip") != NULL) {
            ship = root;
            raw = 1;
        } else {
            ship = cJSON_CreateObject();
            if (ship == NULL || !cJSON_AddItemToObject(ship, "chip", root)) {
                cJSON_Delete(root);
                goto nomem;
            }
        }
    } else {
        ship = cJSON_CreateObject();
        if (ship == NULL || cJSON_AddStringToObject(ship, "chip", c.chip) == NULL)
            goto nomem;
    }

    const struct { const char *key, *val; } over[] = {
        {"date", c.date},           {"destination", c.to}, {"end_user_hq", c.hq}, {"export_from", c.from},
        {"destination_region", c.region}, {"eccn", c.eccn},
        {"exception", c.exception}, {"exception_authorization", c.authorization},
    };
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        if (over[i].val == NULL)
            continue;
        overrides++;
        if (!set_string(ship, over[i].key, over[i].val))
            goto nomem;
    }
    if (cJSON_GetObjectItemCaseSensitive(ship, "destination") == NULL) {
        status = usage_error(&a, "missing --to CC (the destination country)");
        goto done;
    }

    rules = load_rules(c.rules_dir);
    if (rules == NULL)
        goto done;

    /* A shipment file used as it is goes to the library verbatim, so error positions point into it. */
    raw = raw && overrides == 0;
    if (!raw && (ship_text = cJSON_PrintUnformatted(ship)) == NULL)
        goto nomem;

    chipcheck_options opts = CHIPCHECK_OPTIONS_INIT;
    opts.default_date = NULL; /* today */
    opts.ruleset = c.ruleset;
    chipcheck_error err;
    memset(&err, 0, sizeof err);
    d = chipcheck_check_json(rules, raw ? spec_text : ship_text, &opts, &err);
    if (d == NULL) {
        print_lib_error(&err, c.spec, raw);
        goto done;
    }

    if (strcmp(c.format, "json") == 0) {
        char *out = chipcheck_decision_json(d, CHIPCHECK_JSON_PRETTY);
        if (out == NULL)
            goto nomem;
        printf("%s\n", out);
        chipcheck_free(out);
    } else if (!print_text(d, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ship, "exception")))) {
        goto done;
    }
    status = finish_stdout((int)chipcheck_decision_verdict(d));
    goto done;

nomem:
    errorf("out of memory");
    status = EXIT_USAGE;
done:
    chipcheck_decision_free(d);
    chipcheck_rules_free(rules);
    if (ship_text != NULL)
        cJSON_free(ship_text);
    cJSON_Delete(ship);
    free(spec_text);
    return status;
}
