/* test_analysis.c: lib/analysis.c. Headroom (comparisons, flips, date flips) and the envelope, with exact values
 * for the chips designed under a line (H20, A800, H800, RTX 4090 D at their launch dates); every flip checked
 * again through the public chipcheck_check_json() on both sides of its line; a rule file with a moved threshold
 * moves the margins and the envelope. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "unit.h"

static cJSON *parse_answer(char *text)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    cJSON *j = cJSON_Parse(text);
    chipcheck_free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    return j;
}

static cJSON *headroom_with(const chipcheck_rules *rules, const char *json)
{
    chipcheck_error err;
    char *t = chipcheck_headroom(rules, json, NULL, 0, &err);
    if (!t)
        fprintf(stderr, "\nheadroom failed for %s: %s\n", json, err.message);
    return parse_answer(t);
}

static cJSON *envelope_with(const chipcheck_rules *rules, const char *json, const char *m1, const char *m2)
{
    chipcheck_error err;
    const char *metrics[2] = {m1, m2};
    char *t = chipcheck_envelope(rules, json, m1 ? metrics : NULL, m2 ? 2 : m1 ? 1 : 0, NULL, 0, &err);
    if (!t)
        fprintf(stderr, "\nenvelope failed for %s: %s\n", json, err.message);
    return parse_answer(t);
}

static const cJSON *at(const cJSON *o, const char *path)
{
    char key[64];
    while (o && *path) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        o = cJSON_IsArray(o) ? cJSON_GetArrayItem(o, atoi(key)) : cJSON_GetObjectItemCaseSensitive(o, key);
        path += n + (path[n] == '.');
    }
    return o;
}

static const char *str_at(const cJSON *o, const char *path) { return cJSON_GetStringValue(at(o, path)); }
static double num_at(const cJSON *o, const char *path)
{
    const cJSON *v = at(o, path);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* The strings of an array, or of a field of each of its objects, joined by ' '. */
static const char *joined(const cJSON *arr, const char *field)
{
    static char buf[1024];
    const cJSON *x;
    buf[0] = '\0';
    cJSON_ArrayForEach(x, arr) {
        const char *s = field ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, field)) : cJSON_GetStringValue(x);
        if (buf[0])
            strncat(buf, " ", sizeof buf - strlen(buf) - 1);
        strncat(buf, s ? s : "?", sizeof buf - strlen(buf) - 1);
    }
    return buf;
}

/* A region as text: its "all" constraints, then " | " between the lists of "any". */
static const char *region_text(const cJSON *region)
{
    static char buf[2048];
    const cJSON *c, *alt;
    buf[0] = '\0';
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(region, "all")) {
        strncat(buf, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "text")), sizeof buf - strlen(buf) - 1);
        strncat(buf, "; ", sizeof buf - strlen(buf) - 1);
    }
    cJSON_ArrayForEach(alt, cJSON_GetObjectItemCaseSensitive(region, "any")) {
        strncat(buf, "(", sizeof buf - strlen(buf) - 1);
        cJSON_ArrayForEach(c, alt) {
            strncat(buf, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "text")), sizeof buf - strlen(buf) - 1);
            if (c->next)
                strncat(buf, ", ", sizeof buf - strlen(buf) - 1);
        }
        strncat(buf, alt->next ? ") | " : ")", sizeof buf - strlen(buf) - 1);
    }
    return buf;
}

static void test_headroom_h20_to_china_before_the_april_2025_letters(void)
{
    cJSON *h = headroom_with(unit_rules, "{\"chip\":\"H20\",\"destination\":\"CN\",\"date\":\"2025-03-01\"}");
    CU_ASSERT_STRING_EQUAL(str_at(h, "outcome.verdict"), "allowed");
    CU_ASSERT_STRING_EQUAL(str_at(h, "rulesets.0.version"), "2025-01-15");
    CU_ASSERT_EQUAL(num_at(h, "metrics.tpp.value"), 2368);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(at(h, "flips")), 2);
    CU_ASSERT_STRING_EQUAL(str_at(h, "flips.0.metric"), "tpp");
    CU_ASSERT_STRING_EQUAL(str_at(h, "flips.0.direction"), "up");
    CU_ASSERT_STRING_EQUAL(str_at(h, "flips.0.op"), ">=");
    CU_ASSERT_EQUAL(num_at(h, "flips.0.line"), 2400);
    CU_ASSERT_EQUAL(num_at(h, "flips.0.change"), 32);
    CU_ASSERT_EQUAL(num_at(h, "flips.0.change_pct"), 1.35);
    CU_ASSERT_EQUAL(num_at(h, "flips.0.before.value"), 2399.999);
    CU_ASSERT_STRING_EQUAL(str_at(h, "flips.0.before.verdict"), "allowed");
    CU_ASSERT_EQUAL(num_at(h, "flips.0.after.value"), 2400);
    CU_ASSERT_STRING_EQUAL(str_at(h, "flips.0.after.verdict"), "license_required");
    CU_ASSERT_STRING_EQUAL(str_at(h, "flips.0.after.review_policy"), "case_by_case");
    CU_ASSERT_STRING_EQUAL(joined(at(h, "flips.0.after.classification"), NULL), "3A090.b");
    CU_ASSERT_TRUE(cJSON_IsTrue(at(h, "flips.0.confirmed")));
    CU_ASSERT_STRING_EQUAL(joined(at(h, "flips.0.rules"), "rule"), "3A090.b.1");
    CU_ASSERT_STRING_EQUAL(str_at(h, "flips.1.metric"), "performance_density");
    CU_ASSERT_EQUAL(num_at(h, "flips.1.line"), 3.2);
    CU_ASSERT_EQUAL(num_at(h, "flips.1.before.value"), 3.199999);
    CU_ASSERT_EQUAL(num_at(h, "flips.1.change_pct"), 10);
    CU_ASSERT_STRING_EQUAL(str_at(h, "nearest_line.metric"), "tpp");
    /* the date flips: the April 2025 letters, then the July 2025 allowance */
    CU_ASSERT_EQUAL(cJSON_GetArraySize(at(h, "date_flips")), 2);
    CU_ASSERT_STRING_EQUAL(str_at(h, "date_flips.0.date"), "2025-04-09");
    CU_ASSERT_STRING_EQUAL(joined(at(h, "date_flips.0.versions"), NULL), "us-ear-advanced-computing@2025-04-09");
    CU_ASSERT_STRING_EQUAL(str_at(h, "date_flips.0.after.review_policy"), "presumption_of_denial");
    CU_ASSERT_STRING_EQUAL(joined(at(h, "date_flips.0.gained"), NULL), "H20_CLASS_2025_04 H20_EQUIV_BANDWIDTH_2025_04");
    CU_ASSERT_STRING_EQUAL(str_at(h, "date_flips.0.checks.0.metric"), "memory_bandwidth_gbs");
    CU_ASSERT_EQUAL(num_at(h, "date_flips.0.checks.0.threshold"), 1400);
    CU_ASSERT_EQUAL(num_at(h, "date_flips.0.checks.0.value"), 4000);
    CU_ASSERT_STRING_EQUAL(str_at(h, "date_flips.1.date"), "2025-07-14");
    CU_ASSERT_STRING_EQUAL(str_at(h, "date_flips.1.after.review_policy"), "presumption_of_approval");
    /* the comparison TPP >= 2400 of 3A090.b.1 */
    const cJSON *c = NULL;
    cJSON_ArrayForEach(c, at(h, "comparisons")) if (!strcmp(str_at(c, "expr"), "tpp") &&
                                                    num_at(c, "threshold") == 2400) break;
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(num_at(c, "value"), 2368);
    CU_ASSERT_EQUAL(num_at(c, "margin"), -32);
    CU_ASSERT_EQUAL(num_at(c, "margin_pct"), -1.33);
    CU_ASSERT_TRUE(cJSON_IsFalse(at(c, "result")));
    CU_ASSERT_TRUE(cJSON_IsTrue(at(c, "crossings.0.changes_verdict")));
    CU_ASSERT_EQUAL(cJSON_GetArraySize(at(h, "comparisons")), 9);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(at(h, "not_analysed")), 0);
    cJSON_Delete(h);
}

/* The chips designed to sit just under a line, at their launch dates: the nearest line to a license. */
static const struct launch { const char *chip, *date, *metric; double line, change_pct; const char *rule; } launches[] = {
    {"A800", "2022-11-15", "interconnect_bandwidth_gbs", 600, 50, "3A090.a-2022"},
    {"H800", "2023-03-21", "interconnect_bandwidth_gbs", 600, 50, "3A090.a-2022"},
    {"RTX 4090 D", "2024-01-01", "tpp", 4800, 1.98, "3A090.a.1"},
    {"H20", "2024-02-01", "tpp", 2400, 1.35, "3A090.b.1"},
};

static void test_headroom_lines_the_launch_chips_were_designed_under(void)
{
    for (size_t i = 0; i < sizeof launches / sizeof launches[0]; i++) {
        const struct launch *l = &launches[i];
        char json[256];
        snprintf(json, sizeof json, "{\"chip\":\"%s\",\"destination\":\"CN\",\"date\":\"%s\"}", l->chip, l->date);
        cJSON *h = headroom_with(unit_rules, json);
        CU_ASSERT_STRING_EQUAL(str_at(h, "outcome.verdict"), "allowed");
        CU_ASSERT_STRING_EQUAL(str_at(h, "nearest_line.metric"), l->metric);
        CU_ASSERT_EQUAL(num_at(h, "nearest_line.line"), l->line);
        CU_ASSERT_EQUAL(num_at(h, "nearest_line.change_pct"), l->change_pct);
        CU_ASSERT_STRING_EQUAL(str_at(h, "nearest_line.rules.0.rule"), l->rule);
        CU_ASSERT_STRING_EQUAL(str_at(h, "nearest_line.after.verdict"), "license_required");
        CU_ASSERT_STRING_EQUAL(str_at(h, "nearest_line.after.review_policy"), "presumption_of_denial");
        cJSON_Delete(h);
        /* the envelope places the chip inside and finds the same line */
        cJSON *e = envelope_with(unit_rules, json, NULL, NULL);
        CU_ASSERT_STRING_EQUAL(str_at(e, "envelope.verdict"), "allowed");
        CU_ASSERT_TRUE(cJSON_IsTrue(at(e, "chip.placed")));
        CU_ASSERT_STRING_EQUAL(str_at(e, "chip.outcome.verdict"), "allowed");
        CU_ASSERT_STRING_EQUAL(str_at(e, "chip.nearest_line.metric"), l->metric);
        CU_ASSERT_EQUAL(num_at(e, "chip.nearest_line.line"), l->line);
        cJSON_Delete(e);
    }
}

/* Check one side of a flip through the public API: the chip with the flipped metric given (tpp, the bandwidths)
 * or, for performance density, the die area that gives it at the chip's TPP; when tpp moves, the die area moves
 * with it so that performance density is held, as the analysis holds it. */
static void check_side(const char *chip, const char *date, const cJSON *h, const char *metric, const cJSON *side)
{
    char json[512], fig[160];
    double x = num_at(side, "value"), tpp = num_at(h, "metrics.tpp.value");
    double density = num_at(h, "metrics.performance_density.value");
    if (!strcmp(metric, "performance_density"))
        snprintf(fig, sizeof fig, "\"tpp\":%.17g,\"die_area_mm2\":%.17g", tpp, tpp / x);
    else if (!strcmp(metric, "tpp") && !isnan(density))
        snprintf(fig, sizeof fig, "\"tpp\":%.17g,\"die_area_mm2\":%.17g", x, x / density);
    else
        snprintf(fig, sizeof fig, "\"%s\":%.17g", metric, x);
    snprintf(json, sizeof json, "{\"chip\":{\"catalog\":\"%s\",%s},\"destination\":\"CN\",\"date\":\"%s\"}", chip,
             fig, date);
    chipcheck_decision *d = unit_decide(json);
    const char *pol = chipcheck_decision_review_policy(d), *want = str_at(side, "review_policy");
    CU_ASSERT_STRING_EQUAL(chipcheck_verdict_name(chipcheck_decision_verdict(d)), str_at(side, "verdict"));
    CU_ASSERT_STRING_EQUAL(pol ? pol : "null", want ? want : "null");
    chipcheck_decision_free(d);
}

static void test_every_flip_holds_on_both_sides_through_the_public_api(void)
{
    int checked = 0;
    for (size_t i = 0; i <= sizeof launches / sizeof launches[0]; i++) {
        const char *chip = i < 4 ? launches[i].chip : "H20", *date = i < 4 ? launches[i].date : "2025-03-01";
        char json[256];
        snprintf(json, sizeof json, "{\"chip\":\"%s\",\"destination\":\"CN\",\"date\":\"%s\"}", chip, date);
        cJSON *h = headroom_with(unit_rules, json);
        const cJSON *f;
        cJSON_ArrayForEach(f, at(h, "flips")) {
            CU_ASSERT_TRUE(cJSON_IsTrue(at(f, "confirmed")));
            check_side(chip, date, h, str_at(f, "metric"), at(f, "before"));
            check_side(chip, date, h, str_at(f, "metric"), at(f, "after"));
            checked++;
        }
        cJSON_Delete(h);
    }
    CU_ASSERT_EQUAL(checked, 7);
}

static void test_envelope_china_2024_is_the_3a090_staircase(void)
{
    cJSON *e = envelope_with(unit_rules, "{\"chip\":{\"name\":\"new design\",\"datacenter\":true},"
                                         "\"destination\":\"CN\",\"date\":\"2024-01-01\"}", NULL, NULL);
    CU_ASSERT_STRING_EQUAL(str_at(e, "envelope.verdict"), "allowed");
    CU_ASSERT_STRING_EQUAL(region_text(at(e, "envelope")),
                           "(tpp < 1600) | (tpp < 2400, performance_density < 3.2) | (tpp < 4800, performance_density < 1.6)");
    CU_ASSERT_STRING_EQUAL(str_at(e, "regions.1.review_policy"), "presumption_of_denial");
    CU_ASSERT_STRING_EQUAL(joined(at(e, "envelope.any.1.0.rules"), "rule"), "3A090.b.1");
    CU_ASSERT_STRING_EQUAL(joined(at(e, "envelope.any.1.1.rules"), "rule"), "3A090.b.2");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(at(e, "axes")), 2);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(at(e, "cells")), 16);
    CU_ASSERT_TRUE(cJSON_IsNull(at(e, "chip")));
    cJSON_Delete(e);
    /* not for datacenters (Note 2): only TPP 4800 */
    e = envelope_with(unit_rules, "{\"chip\":{\"name\":\"new design\",\"datacenter\":false},"
                                  "\"destination\":\"CN\",\"date\":\"2024-01-01\"}", NULL, NULL);
    CU_ASSERT_STRING_EQUAL(region_text(at(e, "envelope")), "tpp < 4800; ");
    cJSON_Delete(e);
}

static void test_envelope_holds_the_2022_interconnect_line_beside_tpp(void)
{
    const char *ship = "{\"chip\":{\"name\":\"new design\",\"datacenter\":true},\"destination\":\"CN\","
                       "\"date\":\"2023-01-01\"}";
    cJSON *e = envelope_with(unit_rules, ship, "tpp", "performance_density");
    CU_ASSERT_STRING_EQUAL(str_at(e, "held.0.metric"), "interconnect_bandwidth_gbs");
    CU_ASSERT_EQUAL(num_at(e, "held.0.value"), 600);
    CU_ASSERT_STRING_EQUAL(str_at(e, "held.0.why"), "3A090.a-2022");
    CU_ASSERT_STRING_EQUAL(region_text(at(e, "regions.0")), "tpp < 4800; ");
    CU_ASSERT_STRING_EQUAL(region_text(at(e, "regions.1")), "tpp >= 4800; ");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(at(e, "axes.1.breaks")), 0);
    cJSON_Delete(e);
    e = envelope_with(unit_rules, ship, NULL, NULL);
    CU_ASSERT_STRING_EQUAL(region_text(at(e, "envelope")), "(tpp < 4800) | (interconnect_bandwidth_gbs < 600)");
    cJSON_Delete(e);
}

static void test_envelope_bandwidth_plane_2025_reads_the_reported_lines(void)
{
    cJSON *e = envelope_with(unit_rules, "{\"chip\":{\"name\":\"new design\",\"datacenter\":true},"
                                         "\"destination\":\"CN\",\"date\":\"2025-05-01\"}",
                             "memory_bandwidth_gbs", "interconnect_bandwidth_gbs");
    CU_ASSERT_STRING_EQUAL(str_at(e, "planes.0.text"), "memory_bandwidth_gbs + interconnect_bandwidth_gbs >= 1700");
    CU_ASSERT_TRUE(cJSON_IsTrue(at(e, "planes.0.relevant")));
    CU_ASSERT_STRING_EQUAL(str_at(e, "planes.0.rules.0.confidence"), "reported");
    CU_ASSERT_STRING_EQUAL(region_text(at(e, "envelope")),
                           "memory_bandwidth_gbs < 1400; interconnect_bandwidth_gbs < 1100; "
                           "memory_bandwidth_gbs + interconnect_bandwidth_gbs < 1700; ");
    CU_ASSERT_STRING_EQUAL(region_text(at(e, "regions.1")),
                           "(memory_bandwidth_gbs + interconnect_bandwidth_gbs >= 1700) | "
                           "(interconnect_bandwidth_gbs >= 1100) | (memory_bandwidth_gbs >= 1400)");
    CU_ASSERT_EQUAL(num_at(e, "held.0.value"), 0);
    CU_ASSERT_STRING_EQUAL(str_at(e, "held.0.why"), "zero");
    cJSON_Delete(e);
}

static void test_a_missing_figure_is_named_never_guessed(void)
{
    const char *ship = "{\"chip\":{\"name\":\"X\",\"tpp\":3000,\"datacenter\":true},\"destination\":\"CN\","
                       "\"date\":\"2024-01-01\"}";
    cJSON *h = headroom_with(unit_rules, ship);
    CU_ASSERT_STRING_EQUAL(str_at(h, "outcome.verdict"), "indeterminate");
    CU_ASSERT_TRUE(cJSON_IsNull(at(h, "metrics.performance_density.value")));
    CU_ASSERT_STRING_EQUAL(str_at(h, "metrics.performance_density.source"), "missing");
    CU_ASSERT_STRING_EQUAL(str_at(h, "comparisons.2.result"), "unknown");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(at(h, "comparisons.2.crossings")), 0);
    CU_ASSERT_STRING_EQUAL(str_at(h, "flips.1.after.verdict"), "allowed"); /* below TPP 1600 nothing is open */
    CU_ASSERT_EQUAL(num_at(h, "flips.1.line"), 1600);
    cJSON_Delete(h);
    cJSON *e = envelope_with(unit_rules, ship, NULL, NULL);
    CU_ASSERT_TRUE(cJSON_IsFalse(at(e, "chip.placed")));
    CU_ASSERT_TRUE(cJSON_IsNull(at(e, "chip.metrics.performance_density.value")));
    cJSON_Delete(e);
}

/* The 2023-11-17 file with 3A090.b.1's TPP line moved from 2400 to 2500, checked in its place. */
static chipcheck_rules *rules_with_moved_line(void)
{
    FILE *f = fopen("../rules/us-ear/2023-11-17.xml", "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char text[64 * 1024];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *p = strstr(text, "op=\">=\" right=\"2400\"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    memcpy(strstr(p, "2400"), "2500", 4);
    char dir[] = "/tmp/chipcheck-moved-XXXXXX", path[64];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/2023-11-17.xml", dir);
    FILE *out = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    fputs(text, out);
    fclose(out);
    const char *paths[1] = {path};
    chipcheck_error err;
    chipcheck_rules *r = chipcheck_rules_load_with_base(NULL, paths, 1, &err);
    remove(path);
    remove(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    return r;
}

static void test_a_moved_threshold_moves_the_margins_and_the_envelope(void)
{
    chipcheck_rules *r = rules_with_moved_line();
    const char *ship = "{\"chip\":\"H20\",\"destination\":\"CN\",\"date\":\"2024-02-01\"}";
    cJSON *h = headroom_with(r, ship);
    CU_ASSERT_EQUAL(num_at(h, "nearest_line.line"), 2500);
    CU_ASSERT_EQUAL(num_at(h, "nearest_line.change"), 132);
    CU_ASSERT_EQUAL(num_at(h, "nearest_line.change_pct"), 5.57);
    const cJSON *c;
    cJSON_ArrayForEach(c, at(h, "comparisons")) if (num_at(c, "threshold") == 2500) break;
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(num_at(c, "margin"), -132);
    CU_ASSERT_EQUAL(num_at(c, "margin_pct"), -5.28);
    cJSON_Delete(h);
    cJSON *e = envelope_with(r, "{\"chip\":{\"name\":\"new design\",\"datacenter\":true},\"destination\":\"CN\","
                                "\"date\":\"2024-01-01\"}", "tpp", "performance_density");
    CU_ASSERT_STRING_EQUAL(region_text(at(e, "envelope")),
                           "(tpp < 1600) | (tpp < 2500, performance_density < 3.2) | (tpp < 4800, performance_density < 1.6)");
    cJSON_Delete(e);
    chipcheck_rules_free(r);
}

static void test_analysis_errors_name_the_field(void)
{
    chipcheck_error err;
    CU_ASSERT_PTR_NULL(chipcheck_headroom(unit_rules, "{\"chip\":\"H20\"", NULL, 0, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_PARSE);
    CU_ASSERT_PTR_NULL(chipcheck_headroom(unit_rules, "{\"chip\":\"H20\",\"destination\":\"XX\"}", NULL, 0, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_INPUT);
    CU_ASSERT_STRING_EQUAL(err.field, "destination");
    CU_ASSERT_PTR_NULL(chipcheck_headroom(NULL, "{}", NULL, 0, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_ARG);
    const char *bad[1] = {"tops_per_watt"};
    CU_ASSERT_PTR_NULL(chipcheck_envelope(unit_rules, "{\"chip\":\"H20\",\"destination\":\"CN\"}", bad, 1, NULL, 0, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_ARG);
    CU_ASSERT_STRING_EQUAL(err.field, "metrics");
    CU_ASSERT_STRING_EQUAL(err.message, "'tops_per_watt' is not a metric of the rules loaded");
    chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
    o.ruleset = "us-ear-advanced-computing@1999-01-01";
    CU_ASSERT_PTR_NULL(chipcheck_headroom(unit_rules, "{\"chip\":\"H20\",\"destination\":\"CN\"}", &o, 0, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_NOT_FOUND);
}

int register_analysis_suite(void)
{
    CU_pSuite s = CU_add_suite("analysis", NULL, NULL);
    if (!s)
        return -1;
    ADD_TEST(s, test_headroom_h20_to_china_before_the_april_2025_letters);
    ADD_TEST(s, test_headroom_lines_the_launch_chips_were_designed_under);
    ADD_TEST(s, test_every_flip_holds_on_both_sides_through_the_public_api);
    ADD_TEST(s, test_envelope_china_2024_is_the_3a090_staircase);
    ADD_TEST(s, test_envelope_holds_the_2022_interconnect_line_beside_tpp);
    ADD_TEST(s, test_envelope_bandwidth_plane_2025_reads_the_reported_lines);
    ADD_TEST(s, test_a_missing_figure_is_named_never_guessed);
    ADD_TEST(s, test_a_moved_threshold_moves_the_margins_and_the_envelope);
    ADD_TEST(s, test_analysis_errors_name_the_field);
    return 0;
}
