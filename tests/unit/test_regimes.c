/* test_regimes.c: more than one regime (lib/evaluate.c with the bundled us-ear-embargoes files): every
 * embargoed destination with a consumer GPU, a 3A090 chip and a non-3A090 accelerator, on the dates around each
 * change; the class (eccn) and region (destination_region) questions; the verdict-only path against the traced
 * one on all of them; not-screened items, freshness and "policy may be stricter". */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#define A CHIPCHECK_ALLOWED
#define L CHIPCHECK_LICENSE_REQUIRED
#define I CHIPCHECK_INDETERMINATE

/* The three kinds of chip every destination is tried with. */
static const char *const GPU = "\"RTX 4090 D\"";  /* consumer GPU, not 3A090 (TPP 4707, not for datacenters) */
static const char *const H100 = "\"H100\"";       /* 3A090.a */
static const char *const ACCEL = "{\"name\":\"Edge accelerator X1\",\"tpp\":1000,\"die_area_mm2\":300,"
                                 "\"memory_bandwidth_gbs\":200,\"interconnect_bandwidth_gbs\":64,\"datacenter\":true}";

typedef struct ecase {
    const char *chip, *to, *region, *eccn, *date, *exception;
    int verdict;
    const char *policy;  /* expected review policy, NULL for none */
    const char *missing; /* expected missing list joined by ',', "" for none */
} ecase;

/* Build the shipment JSON of a case. */
static void ship_json(const ecase *c, char *buf, size_t n)
{
    int k = snprintf(buf, n, "{\"date\":\"%s\",\"destination\":\"%s\",\"end_user_hq\":\"%s\",\"export_from\":\"US\","
                     "\"chip\":%s", c->date, c->to, c->to, c->chip);
    if (c->region)
        k += snprintf(buf + k, n - (size_t)k, ",\"destination_region\":\"%s\"", c->region);
    if (c->eccn)
        k += snprintf(buf + k, n - (size_t)k, ",\"eccn\":\"%s\"", c->eccn);
    if (c->exception)
        k += snprintf(buf + k, n - (size_t)k, ",\"exception\":\"%s\"", c->exception);
    snprintf(buf + k, n - (size_t)k, "}");
}

static void joined_missing(const chipcheck_decision *d, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; i < chipcheck_decision_missing_count(d); i++) {
        if (i)
            strncat(buf, ",", n - strlen(buf) - 1);
        strncat(buf, chipcheck_decision_missing(d, i), n - strlen(buf) - 1);
    }
}

/* Check each case on the traced path (verdict, policy, missing) and on the verdict-only path. */
static void run_cases(const ecase *cases, size_t n)
{
    chipcheck_error err;
    chipcheck_evaluator *ev = chipcheck_evaluator_new(unit_rules, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
    for (size_t i = 0; i < n; i++) {
        char json[1024], miss[256];
        ship_json(&cases[i], json, sizeof json);
        chipcheck_decision *d = unit_decide(json);
        if (!d)
            continue;
        const char *pol = chipcheck_decision_review_policy(d);
        joined_missing(d, miss, sizeof miss);
        int ok = chipcheck_decision_verdict(d) == (chipcheck_verdict)cases[i].verdict &&
                 ((!pol && !cases[i].policy) || (pol && cases[i].policy && !strcmp(pol, cases[i].policy))) &&
                 !strcmp(miss, cases[i].missing);
        if (!ok)
            fprintf(stderr, "\ncase %zu %s: got %s %s [%s]\n", i, json, chipcheck_verdict_name(chipcheck_decision_verdict(d)),
                    pol ? pol : "-", miss);
        CU_ASSERT(ok);
        CU_ASSERT_EQUAL(chipcheck_evaluator_verdict_json(ev, json, NULL, &err), cases[i].verdict);
        chipcheck_decision_free(d);
    }
    chipcheck_evaluator_free(ev);
}

static void test_regimes_embargoed_destinations(void)
{
    static const char *const den = "presumption_of_denial", *const cbc = "case_by_case";
    const ecase cases[] = {
        /* Cuba: every item, from the first researched date; before it, unknown */
        {GPU, "CU", NULL, NULL, "2007-01-25", NULL, I, NULL, ""},
        {GPU, "CU", NULL, NULL, "2007-01-26", NULL, L, den, ""},
        {H100, "CU", NULL, NULL, "2025-06-01", NULL, L, den, ""},
        {ACCEL, "CU", NULL, "EAR99", "2025-06-01", NULL, L, den, ""},
        /* North Korea: every item case by case, CCL items denied (unknown class: policy may be stricter);
         * from 2016-03-15 the OFAC prohibition */
        {GPU, "KP", NULL, NULL, "2010-06-01", NULL, L, cbc, "eccn"},
        {GPU, "KP", NULL, "EAR99", "2010-06-01", NULL, L, cbc, ""},
        {GPU, "KP", NULL, "3A991.p", "2010-06-01", NULL, L, den, ""},
        {GPU, "KP", NULL, NULL, "2016-03-15", NULL, L, den, "eccn"},
        {H100, "KP", NULL, NULL, "2025-06-01", NULL, L, den, ""},
        {ACCEL, "KP", NULL, NULL, "2025-06-01", NULL, L, den, "eccn"},
        /* Iran: CCL items by BIS, every good by the ITSR */
        {GPU, "IR", NULL, NULL, "2020-01-01", NULL, L, den, "eccn"},
        {GPU, "IR", NULL, "EAR99", "2020-01-01", NULL, L, den, ""},
        {H100, "IR", NULL, NULL, "2025-06-01", NULL, L, den, ""},
        {ACCEL, "IR", NULL, "4A994.l", "2025-06-01", NULL, L, den, ""},
        /* Syria: denial to 2025-09-01; from 2025-09-02 case by case, SPP for EAR99 when claimed */
        {GPU, "SY", NULL, NULL, "2025-09-01", NULL, L, den, ""},
        {GPU, "SY", NULL, NULL, "2025-09-02", NULL, L, cbc, ""},
        {GPU, "SY", NULL, "EAR99", "2025-09-02", NULL, L, cbc, ""},
        {GPU, "SY", NULL, "EAR99", "2025-09-02", "SPP", A, NULL, ""},
        {GPU, "SY", NULL, "EAR99", "2025-09-01", "SPP", L, den, ""},
        {GPU, "SY", NULL, NULL, "2025-09-02", "SPP", L, cbc, ""},     /* class unknown: SPP not usable */
        {GPU, "SY", NULL, "5A992.c", "2025-09-02", "SPP", L, cbc, ""}, /* a CCL item: SPP does not cover it */
        {H100, "SY", NULL, NULL, "2025-09-02", NULL, L, den, ""},      /* D:5: the 3A090 denial stays */
        /* Russia: CCL from 2022-02-24; EAR99 unresolved from 2022-03-03; every chip from 2023-05-19 */
        {GPU, "RU", NULL, NULL, "2022-02-23", NULL, A, NULL, ""},
        {GPU, "RU", NULL, NULL, "2022-02-24", NULL, I, NULL, "eccn"},
        {GPU, "RU", NULL, "3A991.p", "2022-02-24", NULL, L, den, ""},
        {GPU, "RU", NULL, "EAR99", "2022-02-24", NULL, A, NULL, ""},
        {GPU, "RU", NULL, "EAR99", "2022-03-03", NULL, I, NULL, ""},
        {GPU, "RU", NULL, "EAR99", "2023-05-18", NULL, I, NULL, ""},
        {GPU, "RU", NULL, "EAR99", "2023-05-19", NULL, L, den, ""},
        {GPU, "RU", NULL, NULL, "2023-05-19", NULL, L, den, "eccn"},    /* eccn could add RU_CCL: listed */
        {H100, "RU", NULL, NULL, "2022-06-01", NULL, I, NULL, "eccn"},  /* before 3A090: its class is the eccn's */
        {H100, "RU", NULL, "3A991.p", "2022-06-01", NULL, L, den, ""},
        {H100, "RU", NULL, NULL, "2022-08-26", NULL, L, den, "eccn"},   /* the 2022-08-26 letter */
        {ACCEL, "RU", NULL, NULL, "2026-01-01", NULL, L, den, "eccn"},
        /* Belarus: CCL from 2022-03-02; EAR99 unresolved from 2022-09-15; every chip from 2023-05-19 */
        {GPU, "BY", NULL, "3A991.p", "2022-03-01", NULL, A, NULL, ""},
        {GPU, "BY", NULL, "3A991.p", "2022-03-02", NULL, L, den, ""},
        {GPU, "BY", NULL, "EAR99", "2022-09-14", NULL, A, NULL, ""},
        {GPU, "BY", NULL, "EAR99", "2022-09-15", NULL, I, NULL, ""},
        {GPU, "BY", NULL, NULL, "2023-05-19", NULL, L, den, "eccn"},
        {H100, "BY", NULL, NULL, "2025-06-01", NULL, L, den, ""},
        /* Ukraine: Crimea from 2015-01-29, the DNR and LNR from 2022-02-24; without a region, unknown */
        {GPU, "UA", NULL, NULL, "2015-01-28", NULL, A, NULL, ""},
        {GPU, "UA", NULL, NULL, "2015-01-29", NULL, I, NULL, "destination_region"},
        {GPU, "UA", "UA-43", NULL, "2015-01-28", NULL, A, NULL, ""},
        {GPU, "UA", "UA-43", NULL, "2015-01-29", NULL, L, den, ""},
        {GPU, "UA", "ua-40", NULL, "2025-06-01", NULL, L, den, ""},
        {GPU, "UA", "UA-14", NULL, "2022-02-23", NULL, A, NULL, ""},
        {GPU, "UA", "UA-14", NULL, "2022-02-24", NULL, L, den, ""},
        {H100, "UA", "UA-09", NULL, "2025-06-01", NULL, L, den, ""},   /* UA is in no D group: 3A090 alone misses it */
        {ACCEL, "UA", "UA-30", NULL, "2025-06-01", NULL, A, NULL, ""},  /* Kyiv */
        {H100, "UA", "UA-30", NULL, "2025-06-01", NULL, A, NULL, ""},
        /* a destination with no embargo */
        {GPU, "DE", NULL, NULL, "2025-06-01", NULL, A, NULL, ""},
        {ACCEL, "DE", NULL, NULL, "2025-06-01", NULL, A, NULL, ""},
    };
    run_cases(cases, sizeof cases / sizeof cases[0]);
}

/* The corrections of the 2026-11 legal audit to rules/us-ear, at their boundaries. */
static void test_regimes_audit_corrections(void)
{
    static const char *const den = "presumption_of_denial", *const cbc = "case_by_case", *const app = "presumption_of_approval";
    const char *rtx = "\"RTX 4090\""; /* 3A090.a, not for datacenters, TPP >= 4800: NAC/ACA items */
    const char *hbm = "{\"name\":\"HBM3E 12-high\",\"kind\":\"hbm\",\"hbm_bandwidth_density\":10}";
    const ecase cases[] = {
        /* 2: until 2024-04-03 NAC to D:1/D:4 destinations needs no notification (no authorization number) */
        {rtx, "VN", NULL, NULL, "2024-04-03", "NAC", A, NULL, ""},
        {rtx, "VN", NULL, NULL, "2024-04-04", "NAC", L, app, ""},
        {rtx, "VN", NULL, NULL, "2024-04-04", "ACA", A, NULL, ""},
        /* 5: the review policy per item: datacenter 3A090.a keeps denial, the rest case by case from 2024-12-02 */
        {rtx, "CN", NULL, NULL, "2024-12-01", NULL, L, den, ""},
        {rtx, "CN", NULL, NULL, "2024-12-02", NULL, L, cbc, ""},
        {H100, "CN", NULL, NULL, "2024-12-02", NULL, L, den, ""},
        /* 6: 3A090.c to Macau and D:5 only: approval for end users not headquartered there */
        {hbm, "CN", NULL, NULL, "2024-12-01", NULL, A, NULL, ""},
        {hbm, "CN", NULL, NULL, "2024-12-02", NULL, L, den, ""},
        {hbm, "VN", NULL, NULL, "2025-06-01", NULL, A, NULL, ""},
        {hbm, "AE", NULL, NULL, "2026-07-10", NULL, A, NULL, ""},
        {hbm, "CN", NULL, NULL, "2025-05-01", NULL, L, den, ""},       /* not turned unknown by the April 2025 lines */
        {"{\"name\":\"HBM3\",\"kind\":\"hbm\"}", "CN", NULL, NULL, "2023-12-01", NULL, A, NULL, ""},
        {"{\"name\":\"HBM3\",\"kind\":\"hbm\",\"memory_bandwidth_gbs\":1600}", "CN", NULL, NULL, "2025-06-01", NULL,
         I, NULL, "hbm_bandwidth_density"},
    };
    run_cases(cases, sizeof cases / sizeof cases[0]);
    /* 4: NAC covers a China-headquartered end user in Vietnam (with its number); ACA does not */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"VN\",\"end_user_hq\":\"CN\",\"chip\":\"RTX 4090\","
                                 "\"exception\":\"NAC\",\"exception_authorization\":\"NAC-1\"}", NULL), A);
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"VN\",\"end_user_hq\":\"CN\",\"chip\":\"RTX 4090\","
                                 "\"exception\":\"ACA\"}", NULL), L);
    /* 5: the headquarters rule: case by case in 2023 (744.23(d)); from 2024-04-04 denial for datacenter 3A090.a */
    char buf[64];
    const char *polcases[][4] = {
        {"RTX 4090", "DE", "2023-12-01", "case_by_case"},   {"H100", "DE", "2023-12-01", "case_by_case"},
        {"RTX 4090", "DE", "2024-06-01", "case_by_case"},   {"H100", "DE", "2024-06-01", "presumption_of_denial"},
        {"H100", "VN", "2024-06-01", "presumption_of_denial"}, /* D:1: 742.6(b)(10)(ii) for headquartered entities */
    };
    for (size_t i = 0; i < sizeof polcases / sizeof polcases[0]; i++) {
        char j[256];
        snprintf(j, sizeof j, "{\"date\":\"%s\",\"destination\":\"%s\",\"end_user_hq\":\"CN\",\"chip\":\"%s\"}",
                 polcases[i][2], polcases[i][1], polcases[i][0]);
        chipcheck_decision *d = unit_decide(j);
        const char *p = chipcheck_decision_review_policy(d);
        snprintf(buf, sizeof buf, "%s", p ? p : "-");
        if (strcmp(buf, polcases[i][3]) != 0)
            fprintf(stderr, "\n%s: %s\n", j, buf);
        CU_ASSERT_STRING_EQUAL(buf, polcases[i][3]);
        chipcheck_decision_free(d);
    }
    /* 6: the headquarters rule reaches 3A090.c outside Macau and D:5 */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2025-06-01\",\"destination\":\"KR\",\"end_user_hq\":\"CN\",\"chip\":"
                                 "{\"name\":\"HBM3E\",\"kind\":\"hbm\",\"hbm_bandwidth_density\":10}}", NULL), L);
    /* 8: nothing is exported to the United States: no headquarters requirement there */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"US\",\"end_user_hq\":\"CN\",\"chip\":\"H100\"}", NULL), A);
    /* nor the April 2025 determinations' headquarters arm (H20 by name, and by the bandwidth lines) */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2025-06-01\",\"destination\":\"US\",\"end_user_hq\":\"CN\",\"chip\":\"H20\"}", NULL), A);
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2025-06-01\",\"destination\":\"US\",\"end_user_hq\":\"CN\",\"chip\":\"H200\"}", NULL), A);
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2025-06-01\",\"destination\":\"DE\",\"end_user_hq\":\"CN\",\"chip\":\"H20\"}", NULL), L);
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"CA\",\"end_user_hq\":\"CN\",\"chip\":\"H100\"}", NULL), L);
}

static int has_not_screened(const chipcheck_decision *d, const char *code)
{
    for (size_t i = 0; i < chipcheck_decision_not_screened_count(d); i++)
        if (!strcmp(chipcheck_decision_not_screened_code(d, i), code))
            return chipcheck_decision_not_screened_text(d, i) != NULL;
    return 0;
}

static void test_regimes_not_screened_and_rulesets(void)
{
    chipcheck_decision *d = unit_decide("{\"date\":\"2025-01-14\",\"destination\":\"DE\",\"end_user_hq\":\"DE\",\"chip\":\"H100\"}");
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_ALLOWED);
    CU_ASSERT(has_not_screened(d, "RESTRICTED_PARTIES"));
    CU_ASSERT(has_not_screened(d, "END_USE_CONTROLS"));
    CU_ASSERT(has_not_screened(d, "LICENSE_EXCEPTION_HBM"));
    CU_ASSERT(!has_not_screened(d, "AI_DIFFUSION_RULE"));
    CU_ASSERT_EQUAL(chipcheck_decision_ruleset_count(d), 2);
    const char *id, *version, *digest;
    int verdict;
    CU_ASSERT_EQUAL(chipcheck_decision_ruleset_info(d, 1, &id, &version, &digest, &verdict), CHIPCHECK_OK);
    CU_ASSERT_STRING_EQUAL(id, "us-ear-embargoes");
    CU_ASSERT_STRING_EQUAL(version, "2024-06-12");
    CU_ASSERT_EQUAL(strncmp(digest, "sha256:", 7), 0);
    CU_ASSERT_EQUAL(verdict, CHIPCHECK_ALLOWED);
    CU_ASSERT_EQUAL(chipcheck_decision_ruleset_info(d, 2, &id, NULL, NULL, NULL), CHIPCHECK_ERR_ARG);
    CU_ASSERT_PTR_NULL(chipcheck_decision_not_screened_code(d, 1000));
    chipcheck_decision_free(d);
    d = unit_decide("{\"date\":\"2025-01-15\",\"destination\":\"DE\",\"end_user_hq\":\"DE\",\"chip\":\"H100\"}");
    CU_ASSERT(has_not_screened(d, "AI_DIFFUSION_RULE")); /* GAO B-337935: the rule is not modelled, and why */
    chipcheck_decision_free(d);
}

static void test_regimes_policy_may_be_stricter(void)
{
    /* MI308X to China after the allowance: approval for the named product, while the D:5 requirement is
     * unknown for lack of TPP and die area, and would be reviewed under a presumption of denial */
    chipcheck_decision *d = unit_decide("{\"date\":\"2025-08-10\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"MI308X\"}");
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_LICENSE_REQUIRED);
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_review_policy(d), "presumption_of_approval");
    CU_ASSERT_EQUAL(chipcheck_decision_policy_may_be_stricter(d), 1);
    CU_ASSERT_EQUAL(chipcheck_decision_missing_count(d), 4); /* no figure of the MI308X is public */
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_missing(d, 0), "die_area_mm2");
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_missing(d, 1), "interconnect_bandwidth_gbs");
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_missing(d, 2), "memory_bandwidth_gbs");
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_missing(d, 3), "tpp");
    char *j = chipcheck_decision_json(d, CHIPCHECK_JSON_BRIEF);
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"review_policy\":\"presumption_of_approval\",\"policy_may_be_stricter\":true,"));
    chipcheck_free(j);
    chipcheck_decision_free(d);
    /* known data: not stricter */
    d = unit_decide("{\"date\":\"2025-08-10\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"H20\"}");
    CU_ASSERT_EQUAL(chipcheck_decision_policy_may_be_stricter(d), 0);
    CU_ASSERT_EQUAL(chipcheck_decision_missing_count(d), 0); /* the unknown class (eccn) decides no requirement to CN */
    chipcheck_decision_free(d);
}

static void test_regimes_freshness_boundaries(void)
{
    const char *regime, *reviewed;
    int days;
    chipcheck_decision *d = unit_decide("{\"date\":\"2026-07-23\",\"destination\":\"DE\",\"end_user_hq\":\"DE\",\"chip\":\"H20\"}");
    CU_ASSERT_EQUAL(chipcheck_decision_freshness_count(d), 0);
    CU_ASSERT_EQUAL(chipcheck_decision_freshness(d, 0, &regime, &reviewed, &days), CHIPCHECK_ERR_ARG);
    chipcheck_decision_free(d);
    d = unit_decide("{\"date\":\"2026-07-24\",\"destination\":\"DE\",\"end_user_hq\":\"DE\",\"chip\":\"H20\"}");
    CU_ASSERT_EQUAL(chipcheck_decision_freshness_count(d), 2);
    CU_ASSERT_EQUAL(chipcheck_decision_freshness(d, 1, &regime, &reviewed, &days), CHIPCHECK_OK);
    CU_ASSERT_STRING_EQUAL(regime, "us-ear-embargoes");
    CU_ASSERT_STRING_EQUAL(reviewed, "2026-07-23");
    CU_ASSERT_EQUAL(days, 1);
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_ALLOWED); /* the verdict does not change */
    chipcheck_decision_free(d);
    d = unit_decide("{\"date\":\"2026-11-29\",\"destination\":\"DE\",\"end_user_hq\":\"DE\",\"chip\":\"H20\"}");
    CU_ASSERT_EQUAL(chipcheck_decision_freshness(d, 0, &regime, &reviewed, &days), CHIPCHECK_OK);
    CU_ASSERT_STRING_EQUAL(regime, "us-ear-advanced-computing");
    CU_ASSERT_EQUAL(days, 129);
    char *j = chipcheck_decision_json(d, CHIPCHECK_JSON_BRIEF);
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"freshness\":[{\"regime\":\"us-ear-advanced-computing\",\"reviewed\":\"2026-07-23\","
                                     "\"days_after\":129},{\"regime\":\"us-ear-embargoes\",\"reviewed\":\"2026-07-23\","
                                     "\"days_after\":129}]"));
    chipcheck_free(j);
    chipcheck_decision_free(d);
}

static void bad(const char *json, const char *field, const char *message)
{
    chipcheck_error err;
    CU_ASSERT_EQUAL(unit_verdict(json, &err), -1);
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_INPUT);
    CU_ASSERT_STRING_EQUAL(err.field, field);
    CU_ASSERT_STRING_EQUAL(err.message, message);
}

static void test_regimes_region_and_eccn_input(void)
{
    bad("{\"destination\":\"UA\",\"destination_region\":\"RU-CR\",\"chip\":\"H20\"}", "destination_region",
        "destination_region: 'RU-CR' is not a region of the destination UA");
    bad("{\"destination\":\"UA\",\"destination_region\":\"Crimea\",\"chip\":\"H20\"}", "destination_region",
        "destination_region: 'Crimea' is not an ISO 3166-2 subdivision code (like UA-43)");
    bad("{\"destination\":\"UA\",\"destination_region\":\"UA-4300\",\"chip\":\"H20\"}", "destination_region",
        "destination_region: 'UA-4300' is not an ISO 3166-2 subdivision code (like UA-43)");
    bad("{\"destination\":\"CN\",\"eccn\":\"3A99\",\"chip\":\"H20\"}", "eccn",
        "eccn: '3A99' is not an ECCN (like 3A090.a, 3A991.p, 4A994.l, 5A992.c) or EAR99");
    bad("{\"destination\":\"CN\",\"eccn\":\"3F991\",\"chip\":\"H20\"}", "eccn",
        "eccn: '3F991' is not an ECCN (like 3A090.a, 3A991.p, 4A994.l, 5A992.c) or EAR99");
    bad("{\"destination\":\"CN\",\"eccn\":\"3A991..p\",\"chip\":\"H20\"}", "eccn",
        "eccn: '3A991..p' is not an ECCN (like 3A090.a, 3A991.p, 4A994.l, 5A992.c) or EAR99");
    bad("{\"destination\":\"CN\",\"eccn\":\"3A991p\",\"chip\":\"H20\"}", "eccn",
        "eccn: '3A991p' is not an ECCN (like 3A090.a, 3A991.p, 4A994.l, 5A992.c) or EAR99");
    /* normalised: echoed in the decision as the exporter's classification */
    chipcheck_decision *d = unit_decide("{\"date\":\"2025-06-01\",\"destination\":\"ua\",\"destination_region\":\"ua-43\","
                                        "\"eccn\":\"ear99\",\"chip\":\"RTX 4090 D\"}");
    char *j = chipcheck_decision_json(d, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"destination_region\":\"UA-43\",\"eccn\":\"EAR99\","));
    chipcheck_free(j);
    chipcheck_decision_free(d);
    d = unit_decide("{\"date\":\"2025-06-01\",\"destination\":\"DE\",\"eccn\":\"3a991.P\",\"chip\":\"RTX 4090 D\"}");
    j = chipcheck_decision_json(d, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"eccn\":\"3A991.p\","));
    chipcheck_free(j);
    chipcheck_decision_free(d);
}

static void test_regimes_pin_one_regime_others_still_apply(void)
{
    chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
    chipcheck_error err;
    o.ruleset = "us-ear-embargoes@2007-01-26"; /* Syria before 2025: denial, whatever the date */
    const char *j = "{\"date\":\"2025-10-01\",\"destination\":\"SY\",\"end_user_hq\":\"SY\",\"chip\":\"H100\"}";
    chipcheck_decision *d = chipcheck_check_json(unit_rules, j, &o, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    const char *version;
    CU_ASSERT_EQUAL(chipcheck_decision_ruleset_info(d, 1, NULL, &version, NULL, NULL), CHIPCHECK_OK);
    CU_ASSERT_STRING_EQUAL(version, "2007-01-26");
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_ruleset_version(d), "2025-07-14"); /* by date */
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_LICENSE_REQUIRED);
    chipcheck_decision_free(d);
    o.ruleset = "us-ear-embargoes"; /* a regime alone: it must be loaded, and changes nothing */
    d = chipcheck_check_json(unit_rules, j, &o, &err);
    CU_ASSERT_PTR_NOT_NULL(d);
    chipcheck_decision_free(d);
    o.ruleset = "us-ear-embargoes@2007-01-27";
    CU_ASSERT_PTR_NULL(chipcheck_check_json(unit_rules, j, &o, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_NOT_FOUND);
    CU_ASSERT_STRING_EQUAL(err.message, "ruleset: no rule set 'us-ear-embargoes@2007-01-27' is loaded");
}

int register_regimes_suite(void)
{
    CU_pSuite s = CU_add_suite("evaluate_regimes", NULL, NULL);
    if (!s)
        return -1;
    ADD_TEST(s, test_regimes_embargoed_destinations);
    ADD_TEST(s, test_regimes_audit_corrections);
    ADD_TEST(s, test_regimes_not_screened_and_rulesets);
    ADD_TEST(s, test_regimes_policy_may_be_stricter);
    ADD_TEST(s, test_regimes_freshness_boundaries);
    ADD_TEST(s, test_regimes_region_and_eccn_input);
    ADD_TEST(s, test_regimes_pin_one_regime_others_still_apply);
    return 0;
}
