/*
 * diff.c: `chipcheck rules diff ID@A ID@B`: what changed between two resolved rule set versions, read from
 * chipcheck_rules_version_json(): extends, country groups, aliases, derived metrics and rules (added,
 * withdrawn, changed field by field); with --chips, also what that does to the catalog: every catalog chip
 * checked under each version for a fixed set of destinations, and the verdicts that changed. Exit status
 * as diff(1): 0 no differences, 1 some, 2 error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Print a JSON value for a person: strings as they are, null as "none", arrays of strings joined by
 * spaces, anything else as compact JSON. */
static void print_value(const cJSON *v)
{
    if (v == NULL || cJSON_IsNull(v)) {
        fputs("none", stdout);
    } else if (cJSON_IsString(v)) {
        fputs(v->valuestring, stdout);
    } else if (cJSON_IsArray(v)) {
        const cJSON *e;
        int all_strings = 1, first = 1;
        cJSON_ArrayForEach(e, v) all_strings = all_strings && cJSON_IsString(e);
        if (!all_strings || cJSON_GetArraySize(v) == 0) {
            char *s = cJSON_PrintUnformatted(v);
            fputs(s != NULL ? s : "?", stdout);
            cJSON_free(s);
            return;
        }
        cJSON_ArrayForEach(e, v) {
            printf("%s%s", first ? "" : "; ", e->valuestring);
            first = 0;
        }
    } else if (cJSON_IsObject(v) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(v, "citation"))) {
        fputs(cJSON_GetObjectItemCaseSensitive(v, "citation")->valuestring, stdout); /* a source */
    } else {
        char *s = cJSON_PrintUnformatted(v);
        fputs(s != NULL ? s : "?", stdout);
        cJSON_free(s);
    }
}

static int same(const cJSON *a, const cJSON *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return cJSON_Compare(a, b, 1) ? 1 : 0;
}

/* The element of array arr whose "id" is id, or NULL. */
static const cJSON *find_by_id(const cJSON *arr, const char *id)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        const cJSON *eid = cJSON_GetObjectItemCaseSensitive(e, "id");
        if (cJSON_IsString(eid) && strcmp(eid->valuestring, id) == 0)
            return e;
    }
    return NULL;
}

/* Members in a and not in b, printed with a sign. Returns how many. */
static int print_missing_members(const cJSON *a, const cJSON *b, char sign)
{
    int n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, a) {
        int found = 0;
        const cJSON *f;
        cJSON_ArrayForEach(f, b) found = found || same(e, f);
        if (!found) {
            printf(" %c", sign);
            print_value(e);
            n++;
        }
    }
    return n;
}

static int diff_groups(const cJSON *a, const cJSON *b)
{
    int changes = 0;
    const cJSON *ga = cJSON_GetObjectItemCaseSensitive(a, "country_groups");
    const cJSON *gb = cJSON_GetObjectItemCaseSensitive(b, "country_groups");
    const cJSON *g;
    cJSON_ArrayForEach(g, gb) {
        const cJSON *old = cJSON_GetObjectItemCaseSensitive(ga, g->string);
        if (old == NULL) {
            printf("  + country group %s:", g->string);
            print_missing_members(cJSON_GetObjectItemCaseSensitive(g, "members"), NULL, '+');
            putchar('\n');
            changes++;
            continue;
        }
        const cJSON *ma = cJSON_GetObjectItemCaseSensitive(old, "members");
        const cJSON *mb = cJSON_GetObjectItemCaseSensitive(g, "members");
        if (same(ma, mb))
            continue;
        printf("  ~ country group %s:", g->string);
        print_missing_members(mb, ma, '+');
        print_missing_members(ma, mb, '-');
        const cJSON *src = cJSON_GetObjectItemCaseSensitive(g, "source");
        if (cJSON_IsString(src))
            printf(" (%s)", src->valuestring);
        putchar('\n');
        changes++;
    }
    cJSON_ArrayForEach(g, ga) {
        if (cJSON_GetObjectItemCaseSensitive(gb, g->string) == NULL) {
            printf("  - country group %s\n", g->string);
            changes++;
        }
    }
    return changes;
}

static int diff_aliases(const cJSON *a, const cJSON *b)
{
    int changes = 0;
    const cJSON *aa = cJSON_GetObjectItemCaseSensitive(a, "aliases");
    const cJSON *ab = cJSON_GetObjectItemCaseSensitive(b, "aliases");
    const cJSON *e;
    cJSON_ArrayForEach(e, ab) {
        const cJSON *old = cJSON_GetObjectItemCaseSensitive(aa, e->string);
        if (same(old, e))
            continue;
        printf("  %c alias %s: ", old == NULL ? '+' : '~', e->string);
        if (old != NULL) {
            print_value(old);
            fputs(" -> ", stdout);
        }
        print_value(e);
        putchar('\n');
        changes++;
    }
    cJSON_ArrayForEach(e, aa) {
        if (cJSON_GetObjectItemCaseSensitive(ab, e->string) == NULL) {
            printf("  - alias %s\n", e->string);
            changes++;
        }
    }
    return changes;
}

/* Print what element e (a rule or a metric) is called: a rule by its code, as `check` shows it, with its id
 * when that differs ("H20_MI308_ALLOWANCE_2025_07 (rule id H20_MI308_APPROVAL_2025_07)"). */
static void print_name(const cJSON *e, const char *id)
{
    const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code"));
    if (code != NULL && strcmp(code, id) != 0)
        printf("%s (rule id %s)", code, id);
    else
        fputs(id, stdout);
}

/* Compare two arrays of objects keyed by "id" (metrics, rules). A changed element is reported field by
 * field, skipping the fields in ignore (NULL-terminated). */
static int diff_by_id(const cJSON *a, const cJSON *b, const char *key, const char *what, const char *const *ignore)
{
    int changes = 0;
    const cJSON *xa = cJSON_GetObjectItemCaseSensitive(a, key);
    const cJSON *xb = cJSON_GetObjectItemCaseSensitive(b, key);
    const cJSON *e;
    cJSON_ArrayForEach(e, xb) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
        if (!cJSON_IsString(id))
            continue;
        const cJSON *old = find_by_id(xa, id->valuestring);
        if (old == NULL) {
            const cJSON *kind = cJSON_GetObjectItemCaseSensitive(e, "kind");
            const cJSON *policy = cJSON_GetObjectItemCaseSensitive(e, "policy");
            const cJSON *text = cJSON_GetObjectItemCaseSensitive(e, "text");
            const cJSON *when = cJSON_GetObjectItemCaseSensitive(e, "when");
            const cJSON *formula = cJSON_GetObjectItemCaseSensitive(e, "formula");
            printf("  + %s ", what);
            const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code"));
            int other_code = code != NULL && strcmp(code, id->valuestring) != 0;
            fputs(other_code ? code : id->valuestring, stdout);
            if (cJSON_IsString(kind))
                printf(" (%s%s%s%s%s)", kind->valuestring, cJSON_IsString(policy) ? ", " : "",
                       cJSON_IsString(policy) ? policy->valuestring : "", other_code ? "; rule id " : "",
                       other_code ? id->valuestring : "");
            else if (other_code)
                printf(" (rule id %s)", id->valuestring);
            if (cJSON_IsString(text))
                printf(": %s", text->valuestring);
            putchar('\n');
            if (cJSON_IsString(when))
                printf("      when: %s\n", when->valuestring);
            if (cJSON_IsString(formula))
                printf("      formula: %s\n", formula->valuestring);
            changes++;
            continue;
        }
        int header = 0;
        const cJSON *f;
        cJSON_ArrayForEach(f, e) {
            int skip = 0;
            for (const char *const *ig = ignore; *ig != NULL; ig++)
                skip = skip || strcmp(f->string, *ig) == 0;
            const cJSON *of = cJSON_GetObjectItemCaseSensitive(old, f->string);
            if (skip || same(of, f))
                continue;
            if (!header) {
                printf("  ~ %s ", what);
                print_name(old, id->valuestring);
                putchar('\n');
                header = 1;
                changes++;
            }
            printf("      %s: ", f->string);
            print_value(of);
            fputs("\n        -> ", stdout);
            print_value(f);
            putchar('\n');
        }
    }
    cJSON_ArrayForEach(e, xa) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
        if (cJSON_IsString(id) && find_by_id(xb, id->valuestring) == NULL) {
            printf("  - %s ", what);
            print_name(e, id->valuestring);
            putchar('\n');
            changes++;
        }
    }
    return changes;
}

/* Fetch and parse one version's description. Prints the error and returns NULL on failure. */
static cJSON *version_json(const chipcheck_rules *r, const char *id_at_version)
{
    chipcheck_error err;
    memset(&err, 0, sizeof err);
    char *text = chipcheck_rules_version_json(r, id_at_version, 0, &err);
    if (text == NULL) {
        errorf("rules diff: %s", error_message_body(&err));
        if (err.code == CHIPCHECK_ERR_NOT_FOUND)
            ruleset_hint(r, id_at_version);
        return NULL;
    }
    cJSON *j = cJSON_ParseWithOpts(text, NULL, 1);
    chipcheck_free(text);
    if (j == NULL)
        errorf("rules diff: cannot read the description of %s", id_at_version);
    return j;
}

/* ---- the catalog under both versions ---------------------------------------------------------------- */

/* Destinations of the chip sweep, besides every country of a country group of either version. */
static const char *const sweep_fixed[] = {"CN", "HK", "MO", "US", "DE", "JP", "AE", "IN"};

/* Mark code (two letters A-Z) in the 26 x 26 set. */
static void mark_country(unsigned char *set, const char *code)
{
    if (code != NULL && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z' && code[2] == '\0')
        set[(code[0] - 'A') * 26 + (code[1] - 'A')] = 1;
}

static void mark_group_members(unsigned char *set, const cJSON *version)
{
    const cJSON *g, *m;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(version, "country_groups")) {
        cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(g, "members")) {
            if (cJSON_IsString(m))
                mark_country(set, m->valuestring);
        }
    }
}

enum { STATE_LEN = 320 }; /* room for "error (" + a library message (256) + ")" */

/* One chip to one destination under one version, as a short text: "allowed", "license_required
 * (presumption_of_denial)", "indeterminate (missing: die_area_mm2)" or "error (...)". */
static void sweep_state(const chipcheck_rules *r, const char *chip, const char *dest, const char *ruleset,
                        const char *date, char *out, size_t outsz)
{
    chipcheck_error err;
    chipcheck_options opts = CHIPCHECK_OPTIONS_INIT;
    chipcheck_decision *d = NULL;
    char *text = NULL;
    memset(&err, 0, sizeof err);
    opts.ruleset = ruleset;
    opts.default_date = date;
    cJSON *ship = cJSON_CreateObject();
    if (ship == NULL || cJSON_AddStringToObject(ship, "destination", dest) == NULL ||
        cJSON_AddStringToObject(ship, "end_user_hq", dest) == NULL ||
        cJSON_AddStringToObject(ship, "export_from", "US") == NULL ||
        cJSON_AddStringToObject(ship, "chip", chip) == NULL || (text = cJSON_PrintUnformatted(ship)) == NULL) {
        snprintf(out, outsz, "error (out of memory)");
        goto done;
    }
    if ((d = chipcheck_check_json(r, text, &opts, &err)) == NULL) {
        snprintf(out, outsz, "error (%s)", err.message[0] ? err.message : chipcheck_status_name(err.code));
        goto done;
    }
    chipcheck_verdict v = chipcheck_decision_verdict(d);
    const char *policy = chipcheck_decision_review_policy(d);
    size_t used = (size_t)snprintf(out, outsz, "%s", chipcheck_verdict_name(v));
    if (v == CHIPCHECK_LICENSE_REQUIRED && policy != NULL) {
        snprintf(out + used, outsz - used, " (%s)", policy);
    } else if (v == CHIPCHECK_INDETERMINATE && chipcheck_decision_missing_count(d) > 0) {
        for (size_t i = 0; i < chipcheck_decision_missing_count(d) && used < outsz; i++) {
            int n = snprintf(out + used, outsz - used, "%s%s", i == 0 ? " (missing: " : ", ",
                             chipcheck_decision_missing(d, i));
            used += n > 0 ? (size_t)n : 0;
        }
        if (used < outsz)
            snprintf(out + used, outsz - used, ")");
    }
done:
    chipcheck_decision_free(d);
    if (text != NULL)
        cJSON_free(text);
    cJSON_Delete(ship);
}

typedef struct sweep_row {
    char dest[3];
    char before[STATE_LEN], after[STATE_LEN];
    int printed;
} sweep_row;

/* Check every catalog chip to every sweep destination under va and vb, and print one line per chip and
 * change (the destinations with the same change together, sorted). Returns the number of lines printed,
 * or -1 when out of memory. */
static int diff_chips(const chipcheck_rules *r, const char *va, const cJSON *a, const char *vb, const cJSON *b)
{
    unsigned char set[26 * 26];
    memset(set, 0, sizeof set);
    mark_group_members(set, a);
    mark_group_members(set, b);
    for (size_t i = 0; i < sizeof sweep_fixed / sizeof sweep_fixed[0]; i++)
        mark_country(set, sweep_fixed[i]);
    size_t ndest = 0;
    for (size_t i = 0; i < sizeof set; i++)
        ndest += set[i];
    const cJSON *ea = cJSON_GetObjectItemCaseSensitive(a, "effective");
    const cJSON *eb = cJSON_GetObjectItemCaseSensitive(b, "effective");
    const char *date_a = cJSON_IsString(ea) ? ea->valuestring : NULL;
    const char *date_b = cJSON_IsString(eb) ? eb->valuestring : NULL;
    sweep_row *rows = calloc(ndest, sizeof *rows);
    if (rows == NULL)
        return -1;
    size_t nchips = chipcheck_rules_chip_count(r);
    printf("catalog: %zu chips x %zu destinations (group members, CN HK MO US DE JP AE IN), exported from the US, "
           "end user headquartered in the destination:\n", nchips, ndest);
    int lines = 0;
    for (size_t c = 0; c < nchips; c++) {
        const char *chip = chipcheck_rules_chip_name(r, c);
        if (chip == NULL)
            continue;
        size_t nrows = 0;
        for (size_t i = 0; i < sizeof set; i++) {
            if (!set[i])
                continue;
            sweep_row *row = &rows[nrows];
            row->dest[0] = (char)('A' + i / 26);
            row->dest[1] = (char)('A' + i % 26);
            row->dest[2] = '\0';
            row->printed = 0;
            sweep_state(r, chip, row->dest, va, date_a, row->before, sizeof row->before);
            sweep_state(r, chip, row->dest, vb, date_b, row->after, sizeof row->after);
            if (strcmp(row->before, row->after) != 0)
                nrows++;
        }
        for (size_t i = 0; i < nrows; i++) {
            if (rows[i].printed)
                continue;
            printf("  %s to %s", chip, rows[i].dest);
            for (size_t j = i + 1; j < nrows; j++) {
                if (!rows[j].printed && strcmp(rows[i].before, rows[j].before) == 0 &&
                    strcmp(rows[i].after, rows[j].after) == 0) {
                    printf(", %s", rows[j].dest);
                    rows[j].printed = 1;
                }
            }
            printf(": %s -> %s\n", rows[i].before, rows[i].after);
            lines++;
        }
    }
    if (lines == 0)
        puts("  no verdict changes");
    free(rows);
    return lines;
}

static void print_header(const char *mark, const char *name, const cJSON *v)
{
    const cJSON *eff = cJSON_GetObjectItemCaseSensitive(v, "effective");
    const cJSON *title = cJSON_GetObjectItemCaseSensitive(v, "title");
    printf("%s %s (effective %s): %s\n", mark, name, cJSON_IsString(eff) ? eff->valuestring : "?",
           cJSON_IsString(title) ? title->valuestring : "");
}

int rules_diff(const chipcheck_rules *r, const char *va, const char *vb, int chips)
{
    cJSON *a = version_json(r, va);
    cJSON *b = a != NULL ? version_json(r, vb) : NULL;
    if (a == NULL || b == NULL) {
        cJSON_Delete(a);
        return EXIT_USAGE;
    }
    static const char *const rule_ignore[] = {"id", "defined_in", NULL};
    static const char *const metric_ignore[] = {"id", NULL};
    print_header("---", va, a);
    print_header("+++", vb, b);
    int changes = 0;
    changes += diff_groups(a, b);
    changes += diff_aliases(a, b);
    changes += diff_by_id(a, b, "metrics", "metric", metric_ignore);
    changes += diff_by_id(a, b, "rules", "rule", rule_ignore);
    if (changes == 0)
        puts("  no differences");
    if (chips) {
        int n = diff_chips(r, va, a, vb, b);
        if (n < 0) {
            errorf("rules diff: out of memory");
            cJSON_Delete(a);
            cJSON_Delete(b);
            return EXIT_USAGE;
        }
        changes += n;
    }
    cJSON_Delete(a);
    cJSON_Delete(b);
    return finish_stdout(changes > 0 ? 1 : EXIT_OK);
}
