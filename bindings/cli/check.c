/*
 * check.c: `chipcheck check`: build one shipment from the options (and a spec file), check it, and print
 * the decision as text for people (text.c) or as the decision JSON. The exit status is the verdict.
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
            /* the options, each with the other names people reach for (the shipment's JSON fields) */
            static const char *const known[] = {
                "--spec --file", "--chip --name --model", "--to --destination --dest", "--hq --end-user-hq --end_user_hq",
                "--from --export-from --export_from --origin", "--date", "--ruleset --rule-set", "--rules --rules-dir",
                "--format --output", "--exception", "--authorization --exception-authorization --exception_authorization",
                "--help",
            };
            return unknown_option(a, opt, known, sizeof known / sizeof known[0]);
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
    static const char *const formats[] = {"text", "json"}, *const exceptions[] = {"NAC", "ACA", "SPP"};
    if (strcmp(c->format, "text") != 0 && strcmp(c->format, "json") != 0)
        return bad_value(a, "--format", c->format, formats, 2);
    if (c->exception != NULL && strcasecmp(c->exception, "NAC") != 0 && strcasecmp(c->exception, "ACA") != 0 &&
        strcasecmp(c->exception, "SPP") != 0)
        return bad_value(a, "--exception", c->exception, exceptions, 3);
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
        if (err.code == CHIPCHECK_ERR_NOT_FOUND && strcmp(err.field, "chip") == 0)
            errorf("see `chipcheck chips list` for the chips in the catalog");
        else if (err.code == CHIPCHECK_ERR_NOT_FOUND && strcmp(err.field, "ruleset") == 0)
            ruleset_hint(rules, c.ruleset);
        goto done;
    }

    if (strcmp(c.format, "json") == 0) {
        char *out = chipcheck_decision_json(d, CHIPCHECK_JSON_PRETTY);
        if (out == NULL)
            goto nomem;
        printf("%s\n", out);
        chipcheck_free(out);
    } else if (!print_decision_text(rules, d, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ship, "exception")))) {
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
