/*
 * text.c: a decision as text for people (`chipcheck check --format text`): the verdict first, with what
 * could still change it, then the rule set, the classification, the reasons and what the license review
 * needs. The output is a list of sections, each a function that prints whole lines (or none): to add a
 * line, add a section to text_sections[] below. Everything is read from the decision (its accessors and
 * its JSON) and the rule set's description; no chip, country or threshold is named here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* What the sections read. */
typedef struct text_view {
    const chipcheck_rules *rules;
    const chipcheck_decision *d;
    const cJSON *dj;       /* the decision JSON */
    const char *exception; /* the license exception the shipment names, or NULL */
} text_view;

/* ---- numbers and checks ----------------------------------------------------------------------------- */

/* Round v to decimals places into out, without trailing zeros (19.40 -> 19.4, 2368.00 -> 2368). */
static double round_figure(char *out, size_t outsz, double v, int decimals)
{
    snprintf(out, outsz, "%.*f", decimals, v);
    char *dot = strchr(out, '.');
    if (dot != NULL) {
        char *end = out + strlen(out);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
    }
    return strtod(out, NULL);
}

/* A figure for people. A derived one (a ratio, a sum) is rounded to two decimals, or to as many more as it
 * takes not to print a value equal to a threshold it is compared with anywhere in the decision when it is
 * not equal (so every line shows it alike); any other figure is printed as given. */
static void format_figure(const text_view *v, char *out, size_t outsz, const char *metric, double x, int derived)
{
    if (!derived || !isfinite(x)) {
        snprintf(out, outsz, "%.15g", x);
        return;
    }
    for (int decimals = 2; decimals <= 15; decimals++) {
        double shown = round_figure(out, outsz, x, decimals);
        int clash = 0;
        const cJSON *r, *c;
        cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(v->dj, "reasons")) {
            cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(r, "checks")) {
                const cJSON *val = cJSON_GetObjectItemCaseSensitive(c, "value");
                const cJSON *thr = cJSON_GetObjectItemCaseSensitive(c, "threshold");
                const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "metric"));
                clash += m != NULL && strcmp(m, metric) == 0 && cJSON_IsNumber(val) && val->valuedouble == x &&
                         cJSON_IsNumber(thr) && thr->valuedouble != x && thr->valuedouble == shown;
            }
        }
        if (clash == 0)
            return;
    }
    snprintf(out, outsz, "%.15g", x);
}

/* The operator a not() turns op into. */
static const char *negated_op(const char *op)
{
    static const char *const pairs[][2] = {{"in", "not in"}, {"matches", "does not match"}, {"==", "!="},
                                           {"!=", "=="},     {">=", "<"},                   {">", "<="},
                                           {"<=", ">"},      {"<", ">="}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (strcmp(op, pairs[i][0]) == 0)
            return pairs[i][1];
    return op;
}

/* The item's classes that are not in the space-separated list set ("none" when there are none): what a
 * classification check that did not hold found. */
static void classes_outside(const chipcheck_decision *d, const char *set, char *out, size_t outsz)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < chipcheck_decision_classification_count(d) && used < outsz; i++) {
        const char *c = chipcheck_decision_classification(d, i);
        size_t n = strlen(c);
        int listed = 0;
        for (const char *p = set; *p; p += strspn(p, " ")) {
            size_t k = strcspn(p, " ");
            listed |= k == n && strncmp(p, c, n) == 0;
            p += k;
        }
        if (!listed) {
            int w = snprintf(out + used, outsz - used, "%s%s", used ? " " : "", c);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    if (out[0] == '\0')
        snprintf(out, outsz, "none");
}

/* One check as a person would say it: "tpp 15832 (derived) >= 4800: yes", "destination CN not in A:5 A:6:
 * yes" (a check under not() is said the way the rule needs it), "classification 3A090.b in 3A090.a: no". */
static void print_check(const text_view *v, const cJSON *c)
{
    const char *metric = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "metric"));
    const char *op = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "op"));
    const char *src = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "source"));
    const cJSON *val = cJSON_GetObjectItemCaseSensitive(c, "value");
    const cJSON *thr = cJSON_GetObjectItemCaseSensitive(c, "threshold");
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(c, "result");
    int negated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "negated"));
    int is_class = metric != NULL && strcmp(metric, "classification") == 0;
    char buf[128];
    printf("%s", metric != NULL ? metric : "?");
    if (is_class && cJSON_IsString(val) && strcmp(val->valuestring, "none") == 0 && cJSON_IsString(thr)) {
        classes_outside(v->d, thr->valuestring, buf, sizeof buf);
        printf(" %s", buf);
    } else if (cJSON_IsNumber(val)) {
        format_figure(v, buf, sizeof buf, metric != NULL ? metric : "", val->valuedouble,
                      src != NULL && strcmp(src, "derived") == 0);
        printf(" %s", buf);
    } else if (cJSON_IsString(val)) {
        printf(" %s", val->valuestring);
    } else if (cJSON_IsBool(val)) {
        printf(" %s", cJSON_IsTrue(val) ? "true" : "false");
    } else {
        fputs(" (missing)", stdout);
    }
    if (!is_class && src != NULL && strcmp(src, "given") != 0 && strcmp(src, "missing") != 0)
        printf(" (%s)", src);
    printf(" %s", op == NULL ? "?" : negated ? negated_op(op) : op);
    if (cJSON_IsNumber(thr))
        printf(" %.15g", thr->valuedouble);
    else if (cJSON_IsString(thr))
        printf(" %s", thr->valuestring);
    else if (cJSON_IsBool(thr))
        printf(" %s", cJSON_IsTrue(thr) ? "true" : "false");
    int holds = negated ? cJSON_IsFalse(res) : cJSON_IsTrue(res);
    int fails = negated ? cJSON_IsTrue(res) : cJSON_IsFalse(res);
    printf(": %s", holds ? "yes" : fails ? "no" : "unknown");
}

/* Did this check count against its rule (false, or true under a not())? */
static int check_failed(const cJSON *c)
{
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(c, "result");
    int negated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "negated"));
    return negated ? cJSON_IsTrue(res) : cJSON_IsFalse(res);
}

/* The checks of a reason that failed (unknown ones too when unknown is set), separated by "; ". */
static void print_failed_checks(const text_view *v, const cJSON *reason, int unknown, const char *sep)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(reason, "checks")) {
        if (check_failed(c) || (unknown && !cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(c, "result")))) {
            fputs(sep, stdout);
            print_check(v, c);
            sep = "; ";
        }
    }
}

/* ---- the headline ------------------------------------------------------------------------------------- */

/* How favourable a review policy is: 0 denial, 1 case by case, 2 approval; -1 for another name. */
static int policy_rank(const char *p)
{
    static const char *const order[] = {"presumption_of_denial", "case_by_case", "presumption_of_approval"};
    for (int i = 0; p != NULL && i < 3; i++)
        if (strcmp(p, order[i]) == 0)
            return i;
    return -1;
}

static const char *policy_name(int rank)
{
    static const char *const order[] = {"presumption_of_denial", "case_by_case", "presumption_of_approval"};
    return rank >= 0 && rank < 3 ? order[rank] : "?";
}

/* Is s one of the strings of the JSON array list? */
static int listed(const cJSON *list, const char *s)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, list) {
        if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
            return 1;
    }
    return 0;
}

/* The rule ids allowance rule_id applies to, from the description of the decision's rule set version
 * (a new array, cJSON_Delete), or NULL when it cannot be read. */
static cJSON *allowance_applies_to(const text_view *v, const char *rule_id)
{
    const char *id = chipcheck_decision_ruleset_id(v->d), *ver = chipcheck_decision_ruleset_version(v->d);
    char want[256];
    if (id == NULL || ver == NULL || snprintf(want, sizeof want, "%s@%s", id, ver) >= (int)sizeof want)
        return NULL;
    char *text = chipcheck_rules_version_json(v->rules, want, 0, NULL);
    cJSON *desc = text != NULL ? cJSON_ParseWithOpts(text, NULL, 1) : NULL, *out = NULL;
    chipcheck_free(text);
    cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(desc, "rules")) {
        const char *rid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "id"));
        if (rid != NULL && strcmp(rid, rule_id) == 0) {
            out = cJSON_DetachItemFromObjectCaseSensitive(r, "applies_to");
            break;
        }
    }
    cJSON_Delete(desc);
    return out;
}

/* The review policy the decision would have if the allowance al held: per requirement that holds, the more
 * favourable of its effective policy and the allowance's when the allowance applies to it, and across the
 * requirements the most restrictive (as the library combines them). -1 when it cannot be told. */
static int policy_if_allowed(const text_view *v, const cJSON *al)
{
    const char *rule_id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(al, "rule"));
    int grants = policy_rank(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(al, "policy")));
    cJSON *applies = rule_id != NULL && grants >= 0 ? allowance_applies_to(v, rule_id) : NULL;
    if (applies == NULL)
        return -1;
    int worst = 3;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(v->dj, "reasons")) {
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "kind"));
        const char *rid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "rule"));
        if (kind == NULL || rid == NULL || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "result")) ||
            (strcmp(kind, "requirement") != 0 && strcmp(kind, "determination") != 0))
            continue;
        const cJSON *eff = cJSON_GetObjectItemCaseSensitive(r, "effective_policy");
        int p = policy_rank(cJSON_GetStringValue(cJSON_IsString(eff) ? eff : cJSON_GetObjectItemCaseSensitive(r, "policy")));
        if (p < 0) {
            worst = -1;
            break;
        }
        if (listed(applies, rid) && grants > p)
            p = grants;
        worst = p < worst ? p : worst;
    }
    cJSON_Delete(applies);
    return worst == 3 ? -1 : worst;
}

/* "exported from US", "going to CN or MO", "tpp < 21000": what an unknown check of an allowance asks. */
static void print_condition(const cJSON *c)
{
    static const char *const phrases[][2] = {
        {"export_from", "exported from"}, {"destination", "going to"}, {"end_user_hq", "for an end user headquartered in"}};
    const char *metric = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "metric"));
    const char *op = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "op"));
    const cJSON *thr = cJSON_GetObjectItemCaseSensitive(c, "threshold");
    int negated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "negated"));
    for (size_t i = 0; op != NULL && strcmp(op, "in") == 0 && cJSON_IsString(thr) && i < 3; i++) {
        if (metric == NULL || strcmp(metric, phrases[i][0]) != 0)
            continue;
        printf("%s%s ", negated ? "not " : "", phrases[i][1]);
        for (const char *p = thr->valuestring; *p; p += strspn(p, " ")) {
            size_t k = strcspn(p, " ");
            printf("%s%.*s", p == thr->valuestring ? "" : " or ", (int)k, p);
            p += k;
        }
        return;
    }
    printf("%s %s ", metric != NULL ? metric : "?", op == NULL ? "?" : negated ? negated_op(op) : op);
    if (cJSON_IsNumber(thr))
        printf("%.15g", thr->valuedouble);
    else
        printf("%s", cJSON_IsString(thr) ? thr->valuestring : cJSON_IsTrue(thr) ? "true" : "false");
}

/* "--from", "--hq", ...: how to give a missing field on the command line. */
static void print_give(const cJSON *missing)
{
    static const char *const options[][2] = {
        {"export_from", "--from"}, {"end_user_hq", "--hq"}, {"destination", "--to"}, {"date", "--date"}};
    const cJSON *m;
    int first = 1;
    fputs(": give ", stdout);
    cJSON_ArrayForEach(m, missing) {
        if (!cJSON_IsString(m))
            continue;
        const char *opt = NULL;
        for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
            if (strcmp(m->valuestring, options[i][0]) == 0)
                opt = options[i][1];
        printf("%s", first ? "" : " and ");
        if (opt != NULL)
            fputs(opt, stdout);
        else
            printf("the chip's %s (--spec)", m->valuestring);
        first = 0;
    }
}

/* After "LICENSE REQUIRED (policy)": each allowance left unknown by missing data that would make the review
 * more favourable, as "; case_by_case if exported from US: give --from". */
static void print_open_allowances(const text_view *v)
{
    int now = policy_rank(chipcheck_decision_review_policy(v->d));
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(v->dj, "reasons")) {
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "kind"));
        const cJSON *missing = cJSON_GetObjectItemCaseSensitive(r, "missing");
        if (kind == NULL || strcmp(kind, "allowance") != 0 || cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(r, "result")) ||
            cJSON_GetArraySize(missing) == 0)
            continue;
        int then = now >= 0 ? policy_if_allowed(v, r) : -1;
        if (then <= now)
            continue;
        printf("; %s if ", policy_name(then));
        const cJSON *c;
        int first = 1;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(r, "checks")) {
            if (cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(c, "result")))
                continue;
            fputs(first ? "" : " and ", stdout);
            print_condition(c);
            first = 0;
        }
        print_give(missing);
    }
}

static void text_headline(const text_view *v)
{
    chipcheck_verdict verdict = chipcheck_decision_verdict(v->d);
    if (verdict == CHIPCHECK_ALLOWED) {
        fputs("ALLOWED", stdout);
    } else if (verdict == CHIPCHECK_LICENSE_REQUIRED) {
        const char *policy = chipcheck_decision_review_policy(v->d);
        fputs("LICENSE REQUIRED", stdout);
        if (policy != NULL)
            printf(" (%s%s)", policy, chipcheck_decision_policy_may_be_stricter(v->d) ? "; policy may be stricter" : "");
        print_open_allowances(v);
    } else {
        fputs("INDETERMINATE", stdout);
        for (size_t i = 0; i < chipcheck_decision_missing_count(v->d); i++)
            printf("%s%s", i == 0 ? ": missing " : ", ", chipcheck_decision_missing(v->d, i));
    }
    putchar('\n');
}

/* The exception the shipment names, when it does not cover the shipment: why, plainly. */
static void text_exception_named(const text_view *v)
{
    if (v->exception == NULL)
        return;
    const cJSON *r, *found = NULL;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(v->dj, "exceptions")) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "id"));
        if (id != NULL && strcasecmp(id, v->exception) == 0 && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "used")))
            return; /* it covers the shipment */
    }
    /* several rules may carry the code (NAC for D:5 and for headquartered entities): the one that applies to
     * this shipment says the most, so a rule whose requirements do not apply is the last choice */
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(v->dj, "reasons")) {
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "kind"));
        const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "code"));
        const char *note = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "note"));
        int idle = note != NULL && strncmp(note, "the item qualifies", 18) == 0;
        if (kind != NULL && strcmp(kind, "exception") == 0 && code != NULL && strcasecmp(code, v->exception) == 0 &&
            (found == NULL || !idle))
            found = r;
    }
    const char *id = chipcheck_decision_ruleset_id(v->d), *ver = chipcheck_decision_ruleset_version(v->d);
    if (found == NULL) {
        if (id != NULL && ver != NULL)
            printf("%s is not available for this item: rule set %s@%s has no such license exception\n", v->exception, id, ver);
        return;
    }
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(found, "result");
    const char *note = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(found, "note"));
    const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(found, "code"));
    if (cJSON_IsTrue(res) && note != NULL && strstr(note, "authorization") != NULL) {
        printf("%s needs its authorization number: give --authorization NUM\n", code);
    } else if (note != NULL && strncmp(note, "the item qualifies", 18) == 0) {
        printf("%s does not cover this shipment: the item qualifies, but none of the requirements %s covers applies\n",
               code, code);
    } else if (cJSON_IsFalse(res)) {
        printf("%s is not available for this item:", code);
        print_failed_checks(v, found, 0, " ");
        putchar('\n');
    } else if (!cJSON_IsBool(res)) {
        printf("%s may not be available for this item:", code);
        print_failed_checks(v, found, 1, " ");
        putchar('\n');
    }
}

/* ---- the rest ----------------------------------------------------------------------------------------- */

static void text_shipment(const text_view *v)
{
    const char *id = chipcheck_decision_id(v->d);
    if (id != NULL)
        printf("shipment: %s\n", id);
}

static void text_ruleset(const text_view *v)
{
    const char *rs = chipcheck_decision_ruleset_id(v->d), *ver = chipcheck_decision_ruleset_version(v->d);
    const char *digest = chipcheck_decision_ruleset_digest(v->d);
    const cJSON *date = cJSON_GetObjectItemCaseSensitive(v->dj, "date");
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
}

/* Every regime consulted, with its own verdict; then one line per reviewed date the shipment is past. */
static void text_regimes(const text_view *v)
{
    size_t n = chipcheck_decision_ruleset_count(v->d);
    fputs("regimes:", stdout);
    for (size_t i = 0; i < n; i++) {
        const char *id, *ver;
        int verdict;
        if (chipcheck_decision_ruleset_info(v->d, i, &id, &ver, NULL, &verdict) != CHIPCHECK_OK)
            continue;
        if (ver != NULL)
            printf("%s %s@%s %s", i ? "," : "", id, ver, chipcheck_verdict_name(verdict));
        else
            printf("%s %s (no version in force) %s", i ? "," : "", id, chipcheck_verdict_name(verdict));
    }
    putchar('\n');
    const char *last = NULL;
    for (size_t i = 0; i < chipcheck_decision_freshness_count(v->d); i++) {
        const char *reviewed;
        int days;
        if (chipcheck_decision_freshness(v->d, i, NULL, &reviewed, &days) != CHIPCHECK_OK ||
            (last != NULL && strcmp(last, reviewed) == 0))
            continue; /* regimes reviewed on the same date share one line */
        last = reviewed;
        printf("rules reviewed through %s; this shipment is %d day%s later: check for newer rules\n", reviewed, days,
               days == 1 ? "" : "s");
    }
}

static void text_classification(const text_view *v)
{
    size_t nc = chipcheck_decision_classification_count(v->d);
    fputs("classification:", stdout);
    if (nc == 0)
        fputs(" none", stdout);
    for (size_t i = 0; i < nc; i++)
        printf("%s%s", i == 0 ? " " : ", ", chipcheck_decision_classification(v->d, i));
    putchar('\n');
}

static void text_missing(const text_view *v)
{
    size_t n = chipcheck_decision_missing_count(v->d);
    if (chipcheck_decision_verdict(v->d) == CHIPCHECK_INDETERMINATE || n == 0)
        return;
    fputs("missing (could add a requirement, or a stricter policy):", stdout);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i == 0 ? " " : ", ", chipcheck_decision_missing(v->d, i));
    putchar('\n');
}

/* A rule that holds or is open: code, citation, provenance, its sentence and every check. A rule that does
 * not hold: one line with the checks that failed. */
static void print_reason(const text_view *v, const chipcheck_reason *r, const cJSON *jr, int full)
{
    const char *code = chipcheck_reason_code(r) != NULL ? chipcheck_reason_code(r) : chipcheck_reason_rule(r);
    const char *cit = chipcheck_reason_citation(r), *text = chipcheck_reason_text(r);
    const cJSON *conf = cJSON_GetObjectItemCaseSensitive(jr, "confidence");
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(jr, "note");
    int res = chipcheck_reason_result(r);
    printf("  %s %s", res > 0 ? "[x]" : res == 0 ? "[ ]" : "[?]", code != NULL ? code : "-");
    if (!full) {
        print_failed_checks(v, jr, 0, "  ");
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
    if (text != NULL && text[0])
        printf("      %s\n", text);
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(jr, "checks")) {
        fputs("      - ", stdout);
        print_check(v, c);
        putchar('\n');
    }
    if (cJSON_IsString(note))
        printf("      note: %s\n", note->valuestring);
}

/* Rules that hold or are open, with every check; then one short line per rule that does not hold, with the
 * checks that failed. The reasons in the JSON are in the same order as the accessors'. */
static void text_reasons(const text_view *v)
{
    const cJSON *jreasons = cJSON_GetObjectItemCaseSensitive(v->dj, "reasons");
    size_t nr = chipcheck_decision_reason_count(v->d);
    for (int pass = 0; pass < 2; pass++) {
        int printed = 0;
        for (size_t i = 0; i < nr; i++) {
            const chipcheck_reason *r = chipcheck_decision_reason(v->d, i);
            if ((pass == 0) != (chipcheck_reason_result(r) != 0))
                continue;
            if (!printed++)
                puts(pass == 0 ? "reasons:" : "checked, does not apply:");
            print_reason(v, r, cJSON_GetArrayItem(jreasons, (int)i), pass == 0);
        }
    }
}

/* The review-policy conditions are only in the decision JSON. */
static void text_conditions(const text_view *v)
{
    const cJSON *conds = cJSON_GetObjectItemCaseSensitive(v->dj, "conditions"), *c;
    if (cJSON_GetArraySize(conds) > 0)
        puts("conditions:");
    cJSON_ArrayForEach(c, conds) {
        if (cJSON_IsString(c))
            printf("  - %s\n", c->valuestring);
    }
}

/* The license exceptions the item is eligible for, and whether the shipment uses them. */
static void text_exceptions(const text_view *v)
{
    const cJSON *exs = cJSON_GetObjectItemCaseSensitive(v->dj, "exceptions"), *e;
    if (cJSON_GetArraySize(exs) > 0)
        puts("license exceptions:");
    cJSON_ArrayForEach(e, exs) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
        const char *cit = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "citation"));
        const char *needs = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "needs"));
        printf("  - %s", id != NULL ? id : "?");
        if (cit != NULL)
            printf(" (%s)", cit);
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "used")))
            fputs(", used by this shipment", stdout);
        else if (v->exception != NULL && id != NULL && strcasecmp(v->exception, id) == 0)
            fputs(", named by this shipment but not usable as given", stdout);
        else
            fputs(", eligible, not used", stdout);
        if (needs != NULL)
            printf(": needs %s", needs);
        putchar('\n');
    }
}

static void text_license(const text_view *v)
{
    const cJSON *lic = cJSON_GetObjectItemCaseSensitive(v->dj, "license");
    if (cJSON_IsString(lic))
        printf("license: %s covers this shipment\n", lic->valuestring);
}

/* The last line: what the answer does not cover, by label (the decision JSON has a sentence for each). */
static void text_not_screened(const text_view *v)
{
    const cJSON *it;
    const char *sep = "Not screened: ";
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(v->dj, "not_screened")) {
        const char *label = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "label"));
        if (label != NULL) {
            printf("%s%s", sep, label);
            sep = "; ";
        }
    }
    if (strcmp(sep, "; ") == 0)
        puts(".");
}

/* The text output, in order. */
static void (*const text_sections[])(const text_view *) = {
    text_headline, text_exception_named, text_shipment, text_ruleset, text_regimes, text_classification,
    text_missing, text_reasons, text_conditions, text_exceptions, text_license, text_not_screened,
};

int print_decision_text(const chipcheck_rules *rules, const chipcheck_decision *d, const char *exception)
{
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
    text_view v = {rules, d, dj, exception};
    for (size_t i = 0; i < sizeof text_sections / sizeof text_sections[0]; i++)
        text_sections[i](&v);
    cJSON_Delete(dj);
    return 1;
}
