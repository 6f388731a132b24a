/*
 * catalog.c: `chipcheck rules ...` and `chipcheck chips ...`: list, show, diff (diff.c) and validate rule set
 * versions; list and show the chips of the catalog.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char rules_usage[] =
    "rules (list | show ID@VERSION | diff ID@A ID@B [--chips]) [--rules DIR] | rules validate [--rules DIR] FILE...";
static const char chips_usage[] = "chips list [--rules DIR] | chips show NAME [--rules DIR]";

/* --help of a subcommand: its group's usage on stdout, exit status 0. */
static int print_usage(const args *a)
{
    printf("usage: chipcheck %s\n", a->usage);
    return finish_stdout(EXIT_OK);
}

/* Parse "[--rules DIR]" and at most max_pos positional arguments (exactly min_pos). Returns -1 when fine. */
static int parse_simple(args *a, const char **rules_dir, const char **pos, int min_pos, int max_pos)
{
    const char *opt, *val;
    int k, npos = 0;
    *rules_dir = NULL;
    while ((k = args_next(a, &opt, &val)) != 0) {
        if (k == 2) {
            if (npos >= max_pos)
                return usage_error(a, "unexpected argument '%s'", opt);
            pos[npos++] = opt;
        } else if (strcmp(opt, "--rules") == 0) {
            if ((*rules_dir = args_value(a, opt, val)) == NULL)
                return EXIT_USAGE;
        } else if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            return print_usage(a);
        } else {
            static const char *const known[] = {"--rules --rules-dir", "--help"};
            return unknown_option(a, opt, known, 2);
        }
    }
    if (npos < min_pos)
        return usage_error(a, "missing argument");
    return -1;
}

static int rules_list(args *a)
{
    const char *dir;
    int st = parse_simple(a, &dir, NULL, 0, 0);
    if (st >= 0)
        return st;
    chipcheck_rules *r = load_rules(dir);
    if (r == NULL)
        return EXIT_USAGE;
    size_t n = chipcheck_rules_count(r);
    for (size_t i = 0; i < n; i++) {
        const char *id, *ver, *eff, *title, *digest;
        if (chipcheck_rules_info(r, i, &id, &ver, &eff, &title, &digest) != CHIPCHECK_OK)
            continue;
        printf("%s@%s  %s  %s  %s\n", id, ver, eff, digest, title != NULL ? title : "");
        const char *next = NULL;
        if (i + 1 == n || chipcheck_rules_info(r, i + 1, &next, NULL, NULL, NULL, NULL) != CHIPCHECK_OK ||
            strcmp(next, id) != 0) {
            const char *reviewed = chipcheck_rules_reviewed(r, i);
            printf("%s: reviewed through %s\n", id, reviewed != NULL ? reviewed : "(no date given)");
        }
    }
    chipcheck_rules_free(r);
    return finish_stdout(EXIT_OK);
}

static int rules_show(args *a)
{
    const char *dir, *want;
    int st = parse_simple(a, &dir, &want, 1, 1);
    if (st >= 0)
        return st;
    chipcheck_rules *r = load_rules(dir);
    if (r == NULL)
        return EXIT_USAGE;
    chipcheck_error err;
    memset(&err, 0, sizeof err);
    char *json = chipcheck_rules_version_json(r, want, CHIPCHECK_JSON_PRETTY, &err);
    chipcheck_rules_free(r);
    if (json == NULL) {
        errorf("rules show: %s", error_message_body(&err));
        if (err.code == CHIPCHECK_ERR_NOT_FOUND && (r = load_rules(dir)) != NULL) {
            ruleset_hint(r, want);
            chipcheck_rules_free(r);
        }
        return EXIT_USAGE;
    }
    printf("%s\n", json);
    chipcheck_free(json);
    return finish_stdout(EXIT_OK);
}

static int rules_diff_cmd(args *a)
{
    const char *dir = NULL, *v[2], *opt, *val;
    int k, npos = 0, chips = 0;
    while ((k = args_next(a, &opt, &val)) != 0) {
        if (k == 2) {
            if (npos >= 2)
                return usage_error(a, "unexpected argument '%s'", opt);
            v[npos++] = opt;
        } else if (strcmp(opt, "--rules") == 0) {
            if ((dir = args_value(a, opt, val)) == NULL)
                return EXIT_USAGE;
        } else if (strcmp(opt, "--chips") == 0 || strcmp(opt, "--no-chips") == 0) {
            if (args_no_value(a, opt, val))
                return EXIT_USAGE;
            chips = strcmp(opt, "--chips") == 0;
        } else if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            return print_usage(a);
        } else {
            static const char *const known[] = {"--rules --rules-dir", "--chips", "--no-chips", "--help"};
            return unknown_option(a, opt, known, sizeof known / sizeof known[0]);
        }
    }
    if (npos < 2)
        return usage_error(a, "missing argument");
    chipcheck_rules *r = load_rules(dir);
    if (r == NULL)
        return EXIT_USAGE;
    int st = rules_diff(r, v[0], v[1], chips);
    chipcheck_rules_free(r);
    return st;
}

static int rules_validate(args *a)
{
    const char *opt, *val, *dir = NULL;
    int k;
    size_t n = 0;
    const char **paths = calloc((size_t)a->argc + 1, sizeof *paths);
    if (paths == NULL) {
        errorf("out of memory");
        return EXIT_USAGE;
    }
    while ((k = args_next(a, &opt, &val)) != 0) {
        if (k == 1 && strcmp(opt, "--rules") == 0) {
            if ((dir = args_value(a, opt, val)) == NULL) {
                free(paths);
                return EXIT_USAGE;
            }
            continue;
        }
        if (k == 1) {
            free(paths);
            if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0)
                return print_usage(a);
            return usage_error(a, "unknown option '%s'", opt);
        }
        paths[n++] = opt;
    }
    if (n == 0) {
        free(paths);
        return usage_error(a, "missing FILE");
    }
    chipcheck_error err;
    memset(&err, 0, sizeof err);
    /* checked on top of the bundled rules (or --rules DIR), so extends and uses resolve */
    chipcheck_rules *r = chipcheck_rules_load_with_base(dir, paths, n, &err);
    free(paths);
    if (r == NULL) {
        /* Compiler style, so editors can jump to the place. */
        const char *src = err.source[0] ? err.source : "<input>";
        const char *msg = err.message[0] ? err.message : chipcheck_status_name(err.code);
        if (err.line > 0 && err.column > 0)
            fprintf(stderr, "%s:%d:%d: %s\n", src, err.line, err.column, msg);
        else if (err.line > 0)
            fprintf(stderr, "%s:%d: %s\n", src, err.line, msg);
        else
            fprintf(stderr, "%s: %s\n", src, msg);
        return EXIT_USAGE;
    }
    printf("ok: %zu file%s valid; %zu rule set versions with the %s\n", n, n == 1 ? "" : "s",
           chipcheck_rules_count(r), dir != NULL ? "rules of --rules" : "bundled rules");
    chipcheck_rules_free(r);
    return finish_stdout(EXIT_OK);
}

/* One subcommand of a command group ("rules list", "chips show"). */
typedef struct subcommand {
    const char *name, *cmd;
    int (*run)(args *a);
} subcommand;

/* Run argv[2] from the table, or say what the group offers ("list, show, diff or validate"). */
static int dispatch(int argc, char **argv, const char *group, const char *usage, const subcommand *t, size_t n,
                    const char *offer)
{
    args a;
    args_init(&a, argc, argv, 3, group, usage);
    const char *sub = argc > 2 ? argv[2] : NULL;
    if (sub == NULL)
        return usage_error(&a, "missing subcommand (%s)", offer);
    const char *names[8];
    for (size_t i = 0; i < n; i++) {
        if (strcmp(sub, t[i].name) == 0) {
            a.cmd = t[i].cmd;
            return t[i].run(&a);
        }
        names[i < 8 ? i : 7] = t[i].name;
    }
    char near[96];
    suggest(sub, names, n < 8 ? n : 8, near, sizeof near);
    return usage_error(&a, "unknown subcommand '%s' (%s)%s%s", sub, offer, near[0] ? "; " : "", near);
}

int cmd_rules(int argc, char **argv)
{
    static const subcommand t[] = {
        {"list", "rules list", rules_list},
        {"show", "rules show", rules_show},
        {"diff", "rules diff", rules_diff_cmd},
        {"validate", "rules validate", rules_validate},
    };
    return dispatch(argc, argv, "rules", rules_usage, t, sizeof t / sizeof t[0], "list, show, diff or validate");
}

/* ---- chips ----------------------------------------------------------------------------------------- */

/* The TPP of a catalog chip as the rules in force today take it: the catalog's figure, or the one the rule
 * files derive from its dense throughput (derivations live in the rules, not here). Returns 1 when known. */
static int chip_tpp(const chipcheck_rules *r, const char *name, double *tpp)
{
    int ok = 0;
    char *text = NULL, *json = NULL;
    chipcheck_decision *d = NULL;
    cJSON *dj = NULL, *ship = cJSON_CreateObject();
    if (ship == NULL || cJSON_AddStringToObject(ship, "destination", "US") == NULL ||
        cJSON_AddStringToObject(ship, "end_user_hq", "US") == NULL ||
        cJSON_AddStringToObject(ship, "chip", name) == NULL || (text = cJSON_PrintUnformatted(ship)) == NULL)
        goto done;
    if ((d = chipcheck_check_json(r, text, NULL, NULL)) == NULL || (json = chipcheck_decision_json(d, 0)) == NULL)
        goto done;
    dj = cJSON_ParseWithOpts(json, NULL, 1);
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(dj, "metrics"), "tpp");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, "value");
    if (cJSON_IsNumber(v)) {
        *tpp = v->valuedouble;
        ok = 1;
    }
done:
    cJSON_Delete(dj);
    chipcheck_free(json);
    chipcheck_decision_free(d);
    if (text != NULL)
        cJSON_free(text);
    cJSON_Delete(ship);
    return ok;
}

static int chips_list(args *a)
{
    const char *dir;
    int st = parse_simple(a, &dir, NULL, 0, 0);
    if (st >= 0)
        return st;
    chipcheck_rules *r = load_rules(dir);
    if (r == NULL)
        return EXIT_USAGE;
    size_t n = chipcheck_rules_chip_count(r);
    int width = 24; /* the name column: as wide as the longest name */
    for (size_t i = 0; i < n; i++) {
        const char *name = chipcheck_rules_chip_name(r, i);
        if (name != NULL && strlen(name) > (size_t)width && strlen(name) < 80)
            width = (int)strlen(name);
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = chipcheck_rules_chip_name(r, i);
        if (name == NULL)
            continue;
        char *json = chipcheck_rules_chip_json(r, name, NULL);
        cJSON *c = json != NULL ? cJSON_ParseWithOpts(json, NULL, 1) : NULL;
        chipcheck_free(json);
        const cJSON *vendor = cJSON_GetObjectItemCaseSensitive(c, "vendor");
        double tpp;
        printf("%-*s  %-8s", width, name, cJSON_IsString(vendor) ? vendor->valuestring : "-");
        if (chip_tpp(r, name, &tpp))
            printf("  tpp %g", tpp);
        else
            fputs("  tpp -", stdout);
        putchar('\n');
        cJSON_Delete(c);
    }
    chipcheck_rules_free(r);
    return finish_stdout(EXIT_OK);
}

static int chips_show(args *a)
{
    const char *dir, *name;
    int st = parse_simple(a, &dir, &name, 1, 1);
    if (st >= 0)
        return st;
    chipcheck_rules *r = load_rules(dir);
    if (r == NULL)
        return EXIT_USAGE;
    chipcheck_error err;
    memset(&err, 0, sizeof err);
    char *json = chipcheck_rules_chip_json(r, name, &err);
    if (json == NULL) {
        print_lib_error(&err, NULL, 0);
        if (err.code == CHIPCHECK_ERR_NOT_FOUND)
            errorf("see `chipcheck chips list` for the chips in the catalog");
        chipcheck_rules_free(r);
        return EXIT_USAGE;
    }
    cJSON *c = cJSON_ParseWithOpts(json, NULL, 1);
    char *pretty = c != NULL ? cJSON_Print(c) : NULL;
    printf("%s\n", pretty != NULL ? pretty : json);
    if (pretty != NULL)
        cJSON_free(pretty);
    cJSON_Delete(c);
    chipcheck_free(json);
    chipcheck_rules_free(r);
    return finish_stdout(EXIT_OK);
}

int cmd_chips(int argc, char **argv)
{
    static const subcommand t[] = {
        {"list", "chips list", chips_list},
        {"show", "chips show", chips_show},
    };
    return dispatch(argc, argv, "chips", chips_usage, t, sizeof t / sizeof t[0], "list or show");
}
