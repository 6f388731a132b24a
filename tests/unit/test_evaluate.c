/* test_evaluate.c: verdicts of the bundled rule sets on the public record (shared/domain), each threshold
 * at, just below and just above its line, the timeline, allowances, exceptions, licenses, and fail-closed. */
#include <stdio.h>
#include <string.h>

#include "unit.h"

enum { A = CHIPCHECK_ALLOWED, L = CHIPCHECK_LICENSE_REQUIRED, I = CHIPCHECK_INDETERMINATE };

/* A catalog chip to a destination (end user headquartered there) on a date. */
static int cat(const char *chip, const char *to, const char *date)
{
    char j[512];
    snprintf(j, sizeof j, "{\"date\":\"%s\",\"destination\":\"%s\",\"end_user_hq\":\"%s\",\"chip\":\"%s\"}", date, to, to, chip);
    return unit_verdict(j, NULL);
}

/* The advanced-computing regime's own verdict for a catalog chip (the combined verdict may differ). */
static int ac_verdict(const char *chip, const char *to, const char *date)
{
    char j[512];
    snprintf(j, sizeof j, "{\"date\":\"%s\",\"destination\":\"%s\",\"end_user_hq\":\"%s\",\"chip\":\"%s\"}", date, to, to, chip);
    chipcheck_decision *d = unit_decide(j);
    const char *id = NULL;
    int v = -1;
    CU_ASSERT_EQUAL(chipcheck_decision_ruleset_info(d, 0, &id, NULL, NULL, &v), CHIPCHECK_OK);
    CU_ASSERT_STRING_EQUAL(id, "us-ear-advanced-computing");
    chipcheck_decision_free(d);
    return v;
}

/* A spec (JSON object text) to a destination on a date, end user headquartered there. */
static int spec(const char *chip, const char *to, const char *date)
{
    char j[1024];
    snprintf(j, sizeof j, "{\"date\":\"%s\",\"destination\":\"%s\",\"end_user_hq\":\"%s\",\"chip\":%s}", date, to, to, chip);
    return unit_verdict(j, NULL);
}

static const char *policy_of(const char *json, char *buf, size_t n)
{
    chipcheck_decision *d = unit_decide(json);
    const char *p = chipcheck_decision_review_policy(d);
    snprintf(buf, n, "%s", p ? p : "(none)");
    chipcheck_decision_free(d);
    return buf;
}

static void test_evaluate_public_outcomes_2022_rule(void)
{
    CU_ASSERT_EQUAL(cat("A100", "CN", "2022-10-07"), L);
    CU_ASSERT_EQUAL(cat("A100", "CN", "2022-10-06"), L); /* the 2022-08-26 letter */
    CU_ASSERT_EQUAL(cat("A800", "CN", "2023-06-01"), A); /* NVLink 400 GB/s: under the 2022 interconnect line */
    CU_ASSERT_EQUAL(cat("H800", "CN", "2023-06-01"), A);
    CU_ASSERT_EQUAL(cat("H100", "CN", "2022-12-01"), L);
    CU_ASSERT_EQUAL(cat("H100", "MO", "2023-01-16"), A); /* Macau joins on 2023-01-17 (88 FR 2821) */
    CU_ASSERT_EQUAL(cat("H100", "MO", "2023-01-17"), L);
    CU_ASSERT_EQUAL(cat("H100", "HK", "2022-12-01"), L); /* Hong Kong is China */
    CU_ASSERT_EQUAL(cat("H100", "SA", "2023-11-16"), A);
}

static void test_evaluate_public_outcomes_2023_rule(void)
{
    CU_ASSERT_EQUAL(cat("A800", "CN", "2023-11-17"), L);
    CU_ASSERT_EQUAL(cat("H800", "CN", "2023-11-17"), L);
    CU_ASSERT_EQUAL(cat("RTX 4090", "CN", "2023-11-17"), L);
    CU_ASSERT_EQUAL(cat("RTX 4090D", "CN", "2024-02-01"), A);
    CU_ASSERT_EQUAL(cat("L40S", "CN", "2023-11-17"), L);
    CU_ASSERT_EQUAL(cat("H100", "SA", "2023-11-17"), L);
    CU_ASSERT_EQUAL(cat("H100", "AE", "2023-11-17"), L);
    CU_ASSERT_EQUAL(cat("H100", "VN", "2023-11-17"), L);
    CU_ASSERT_EQUAL(cat("H100", "IL", "2023-11-17"), A); /* D:4 but also A:6 */
    CU_ASSERT_EQUAL(cat("H100", "TW", "2024-06-01"), A);
    CU_ASSERT_EQUAL(cat("H100", "DE", "2024-06-01"), A);
    char buf[64];
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2024-01-10\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"H100\"}",
                                     buf, sizeof buf), "presumption_of_denial");
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2024-01-10\",\"destination\":\"VN\",\"end_user_hq\":\"VN\",\"chip\":\"H100\"}",
                                     buf, sizeof buf), "presumption_of_approval");
    chipcheck_decision *d = unit_decide("{\"date\":\"2024-01-10\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"H100\"}");
    CU_ASSERT_TRUE(unit_has_class(d, "3A090.a"));
    CU_ASSERT_FALSE(unit_has_class(d, "3A090.b"));
    CU_ASSERT_FALSE(unit_has_class(d, "3A090.c")); /* co-packaged HBM is not 3A090.c */
    chipcheck_decision_free(d);
}

static void test_evaluate_public_outcomes_later_chips(void)
{
    char buf[64];
    CU_ASSERT_EQUAL(cat("RTX 5090", "CN", "2025-02-01"), L);      /* TPP 6704, not for datacenters: 3A090.a.1 */
    CU_ASSERT_EQUAL(cat("RTX 5090 D", "CN", "2025-02-01"), A);    /* TPP 4750: made for China under 4800 */
    CU_ASSERT_EQUAL(cat("RTX 5090 D", "CN", "2025-05-02"), L);    /* 1792 GB/s: over the reported 1,400 line */
    CU_ASSERT_EQUAL(cat("RTX 5090 D V2", "CN", "2025-09-01"), A); /* 1344 GB/s, 1344 + 128 < 1700 */
    CU_ASSERT_EQUAL(cat("B200", "DE", "2026-03-01"), A);
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2026-03-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\","
                                     "\"export_from\":\"US\",\"chip\":\"B200\"}", buf, sizeof buf),
                           "presumption_of_denial"); /* TPP 36000: above the case-by-case zone */
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2026-03-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\","
                                     "\"export_from\":\"US\",\"chip\":\"MI300X\"}", buf, sizeof buf),
                           "case_by_case"); /* TPP 20918.4 < 21000 and 5300 GB/s < 6500 */
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2026-03-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\","
                                     "\"export_from\":\"US\",\"chip\":\"MI325X\"}", buf, sizeof buf),
                           "case_by_case"); /* named by 91 FR 1684 */
}

static void test_evaluate_h20_timeline(void)
{
    char buf[64];
    CU_ASSERT_EQUAL(cat("H20", "CN", "2025-04-08"), A);
    CU_ASSERT_EQUAL(cat("H20", "CN", "2025-04-09"), L);
    CU_ASSERT_EQUAL(cat("H20", "HK", "2025-05-02"), L);
    CU_ASSERT_EQUAL(cat("H20", "MO", "2025-05-02"), L);
    CU_ASSERT_EQUAL(cat("H20", "RU", "2025-05-02"), L); /* D:5 */
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2025-05-02\",\"destination\":\"CN\",\"chip\":\"H20\"}", buf, sizeof buf),
                           "presumption_of_denial");
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2025-07-14\",\"destination\":\"CN\",\"chip\":\"H20\"}", buf, sizeof buf),
                           "presumption_of_approval");
    CU_ASSERT_EQUAL(cat("H20", "CN", "2025-08-01"), L); /* the allowance keeps the requirement */
    const char *nowhere[] = {"DE", "JP", "US"};
    const char *dates[] = {"2024-06-01", "2025-05-02", "2025-08-01", "2026-03-01"};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            CU_ASSERT_EQUAL(cat("H20", nowhere[i], dates[j]), A);
    /* a German customer headquartered in China */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2025-05-02\",\"destination\":\"DE\",\"end_user_hq\":\"CN\",\"chip\":\"H20\"}", NULL), L);
    /* unknown headquarters: the H20 determination could apply, so not allowed */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2025-05-02\",\"destination\":\"DE\",\"chip\":\"H20\"}", NULL), I);
}

static void test_evaluate_h20_allowance_carries_conditions(void)
{
    chipcheck_decision *d = unit_decide("{\"date\":\"2025-08-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"H20\"}");
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_LICENSE_REQUIRED);
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_ruleset_version(d), "2025-07-14");
    char *j = chipcheck_decision_json(d, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"conditions\":[\"A license is still required; apply for one"));
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "Reported, not codified: 15% of the revenue"));
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"policy_changed_by\":\"H20_MI308_APPROVAL_2025_07\""));
    chipcheck_free(j);
    chipcheck_decision_free(d);
}

static void test_evaluate_mi308_timeline(void)
{
    char buf[64];
    CU_ASSERT_EQUAL(cat("MI308X", "CN", "2025-04-08"), I); /* no public TPP or die area: unknown, never allowed */
    CU_ASSERT_EQUAL(cat("MI308", "CN", "2025-04-09"), L);
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2025-07-15\",\"destination\":\"CN\",\"chip\":\"MI308\"}", buf, sizeof buf),
                           "presumption_of_approval");
}

static void test_evaluate_reported_thresholds_are_labelled(void)
{
    chipcheck_decision *d = unit_decide(
        "{\"date\":\"2025-05-02\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":{\"name\":\"X\",\"tpp\":100,"
        "\"datacenter\":true,\"die_area_mm2\":500,\"memory_bandwidth_gbs\":1400,\"interconnect_bandwidth_gbs\":0}}");
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_LICENSE_REQUIRED);
    int found = 0;
    for (size_t i = 0; i < chipcheck_decision_reason_count(d); i++) {
        const chipcheck_reason *r = chipcheck_decision_reason(d, i);
        if (!strcmp(chipcheck_reason_code(r), "H20_EQUIV_BANDWIDTH_2025_04")) {
            found = 1;
            CU_ASSERT_EQUAL(chipcheck_reason_result(r), 1);
            CU_ASSERT_STRING_EQUAL(chipcheck_reason_source_kind(r), "press_report");
        }
    }
    CU_ASSERT_TRUE(found);
    char *j = chipcheck_decision_json(d, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"confidence\":\"reported\""));
    chipcheck_free(j);
    chipcheck_decision_free(d);
}

/* Each line at, just below and just above; other figures chosen so only that line decides. */
static void test_evaluate_2022_thresholds(void)
{
    const char *date = "2023-06-01";
    CU_ASSERT_EQUAL(spec("{\"tpp\":4800,\"interconnect_bandwidth_gbs\":600}", "CN", date), L);
    CU_ASSERT_EQUAL(spec("{\"tpp\":4799.99,\"interconnect_bandwidth_gbs\":600}", "CN", date), A);
    CU_ASSERT_EQUAL(spec("{\"tpp\":4800.01,\"interconnect_bandwidth_gbs\":600}", "CN", date), L);
    CU_ASSERT_EQUAL(spec("{\"tpp\":4800,\"interconnect_bandwidth_gbs\":599.99}", "CN", date), A);
    CU_ASSERT_EQUAL(spec("{\"tpp\":4800,\"interconnect_bandwidth_gbs\":600.01}", "CN", date), L);
    CU_ASSERT_EQUAL(spec("{\"tpp\":4800,\"interconnect_bandwidth_gbs\":600}", "DE", date), A);
    CU_ASSERT_EQUAL(spec("{\"tpp\":4800}", "CN", date), I); /* interconnect unknown */
    CU_ASSERT_EQUAL(spec("{\"tpp\":4000}", "CN", date), A);  /* the TPP line alone decides */
}

static void test_evaluate_2023_tpp_thresholds(void)
{
    const char *date = "2024-01-10";
    /* a non-datacenter chip is caught only at TPP 4800 (Note 2) */
    CU_ASSERT_EQUAL(spec("{\"tpp\":4800,\"datacenter\":false}", "CN", date), L);
    CU_ASSERT_EQUAL(spec("{\"tpp\":4799.99,\"datacenter\":false,\"die_area_mm2\":100}", "CN", date), A);
    CU_ASSERT_EQUAL(spec("{\"tpp\":4800.01,\"datacenter\":false}", "CN", date), L);
    /* 3A090.a.2: TPP 1600 and density 5.92 */
    chipcheck_decision *d = unit_decide("{\"date\":\"2024-01-10\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":"
                                        "{\"tpp\":2960,\"die_area_mm2\":500,\"datacenter\":true}}");
    CU_ASSERT_TRUE(unit_has_class(d, "3A090.a")); /* 2960 / 500 = 5.92 exactly */
    chipcheck_decision_free(d);
    d = unit_decide("{\"date\":\"2024-01-10\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":"
                    "{\"tpp\":2960,\"die_area_mm2\":500.1,\"datacenter\":true}}");
    CU_ASSERT_FALSE(unit_has_class(d, "3A090.a"));
    CU_ASSERT_TRUE(unit_has_class(d, "3A090.b")); /* 5.9188: b.2 */
    chipcheck_decision_free(d);
    CU_ASSERT_EQUAL(spec("{\"tpp\":1600,\"die_area_mm2\":250,\"datacenter\":true}", "CN", date), L);    /* 6.4: a.2 */
    CU_ASSERT_EQUAL(spec("{\"tpp\":1599.99,\"die_area_mm2\":250,\"datacenter\":true}", "CN", date), A); /* under 1600 */
    CU_ASSERT_EQUAL(spec("{\"tpp\":1600,\"die_area_mm2\":250,\"datacenter\":false}", "CN", date), A);   /* Note 2 */
}

static void test_evaluate_2023_density_thresholds(void)
{
    const char *date = "2024-01-10";
    /* 3A090.b.1: TPP 2400..4800, density 1.6..5.92 */
    CU_ASSERT_EQUAL(spec("{\"tpp\":2400,\"die_area_mm2\":1500,\"datacenter\":true}", "CN", date), L);    /* 1.6 */
    CU_ASSERT_EQUAL(spec("{\"tpp\":2400,\"die_area_mm2\":1500.1,\"datacenter\":true}", "CN", date), A);  /* 1.5999 */
    CU_ASSERT_EQUAL(spec("{\"tpp\":2399.9,\"die_area_mm2\":1000,\"datacenter\":true}", "CN", date), A);  /* 2.3999 < 3.2 */
    CU_ASSERT_EQUAL(spec("{\"tpp\":2400.1,\"die_area_mm2\":1000,\"datacenter\":true}", "CN", date), L);
    /* 3A090.b.2: TPP 1600, density 3.2 */
    CU_ASSERT_EQUAL(spec("{\"tpp\":2000,\"die_area_mm2\":625,\"datacenter\":true}", "CN", date), L);     /* 3.2 */
    CU_ASSERT_EQUAL(spec("{\"tpp\":2000,\"die_area_mm2\":625.1,\"datacenter\":true}", "CN", date), A);   /* 3.1995 */
    CU_ASSERT_EQUAL(spec("{\"tpp\":2000,\"die_area_mm2\":624.9,\"datacenter\":true}", "CN", date), L);
    /* the H20 sits under every 2023 line */
    CU_ASSERT_EQUAL(spec("{\"tpp\":2368,\"die_area_mm2\":814,\"datacenter\":true}", "CN", date), A);
    /* datacenter unknown: the density prongs are unknown */
    CU_ASSERT_EQUAL(spec("{\"tpp\":2000,\"die_area_mm2\":625}", "CN", date), I);
    /* but TPP 4800 decides whatever the flag */
    CU_ASSERT_EQUAL(spec("{\"tpp\":5000}", "CN", date), L);
}

static void test_evaluate_reported_bandwidth_thresholds(void)
{
    const char *date = "2025-05-02";
#define LOW "\"name\":\"X1\",\"tpp\":100,\"die_area_mm2\":500,\"datacenter\":true"
    CU_ASSERT_EQUAL(spec("{" LOW ",\"memory_bandwidth_gbs\":1400,\"interconnect_bandwidth_gbs\":0}", "CN", date), L);
    CU_ASSERT_EQUAL(spec("{" LOW ",\"memory_bandwidth_gbs\":1399.99,\"interconnect_bandwidth_gbs\":0}", "CN", date), A);
    CU_ASSERT_EQUAL(spec("{" LOW ",\"memory_bandwidth_gbs\":0,\"interconnect_bandwidth_gbs\":1100}", "CN", date), L);
    CU_ASSERT_EQUAL(spec("{" LOW ",\"memory_bandwidth_gbs\":0,\"interconnect_bandwidth_gbs\":1099.99}", "CN", date), A);
    CU_ASSERT_EQUAL(spec("{" LOW ",\"memory_bandwidth_gbs\":1000,\"interconnect_bandwidth_gbs\":700}", "CN", date), L);
    CU_ASSERT_EQUAL(spec("{" LOW ",\"memory_bandwidth_gbs\":1000,\"interconnect_bandwidth_gbs\":699.99}", "CN", date), A);
    CU_ASSERT_EQUAL(spec("{" LOW ",\"memory_bandwidth_gbs\":1000}", "CN", date), I); /* the sum is unknown */
    CU_ASSERT_EQUAL(spec("{" LOW ",\"memory_bandwidth_gbs\":1400}", "CN", date), L); /* DRAM alone decides */
    CU_ASSERT_EQUAL(spec("{" LOW ",\"memory_bandwidth_gbs\":1400,\"interconnect_bandwidth_gbs\":0}", "DE", date), A);
    CU_ASSERT_EQUAL(spec("{" LOW ",\"memory_bandwidth_gbs\":1400,\"interconnect_bandwidth_gbs\":0}", "CN", "2025-04-08"), A);
#undef LOW
}

static void test_evaluate_case_by_case_zone_2026(void)
{
    char buf[64];
#define H200(from, extra) "{\"date\":\"2026-03-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\"," from \
    "\"chip\":{\"tpp\":" extra ",\"die_area_mm2\":814,\"datacenter\":true,\"interconnect_bandwidth_gbs\":900}}"
    CU_ASSERT_EQUAL(cat("H200", "CN", "2026-03-01"), L);
    CU_ASSERT_STRING_EQUAL(policy_of(H200("\"export_from\":\"US\",", "15832,\"memory_bandwidth_gbs\":4800"), buf, sizeof buf),
                           "case_by_case");
    CU_ASSERT_STRING_EQUAL(policy_of(H200("\"export_from\":\"US\",", "20999.99,\"memory_bandwidth_gbs\":6499.99"), buf, sizeof buf),
                           "case_by_case");
    CU_ASSERT_STRING_EQUAL(policy_of(H200("\"export_from\":\"US\",", "21000,\"memory_bandwidth_gbs\":4800"), buf, sizeof buf),
                           "presumption_of_denial");
    CU_ASSERT_STRING_EQUAL(policy_of(H200("\"export_from\":\"US\",", "15832,\"memory_bandwidth_gbs\":6500"), buf, sizeof buf),
                           "presumption_of_denial");
    /* a reexport from elsewhere, or an unknown origin: the zone does not apply */
    CU_ASSERT_STRING_EQUAL(policy_of(H200("\"export_from\":\"SG\",", "15832,\"memory_bandwidth_gbs\":4800"), buf, sizeof buf),
                           "presumption_of_denial");
    CU_ASSERT_STRING_EQUAL(policy_of(H200("", "15832,\"memory_bandwidth_gbs\":4800"), buf, sizeof buf), "presumption_of_denial");
    /* before the rule */
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2026-01-14\",\"destination\":\"CN\",\"export_from\":\"US\",\"chip\":\"H200\"}",
                                     buf, sizeof buf), "presumption_of_denial");
    /* the H20's approval stays the more favourable */
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2026-03-01\",\"destination\":\"CN\",\"export_from\":\"US\",\"chip\":\"H20\"}",
                                     buf, sizeof buf), "presumption_of_approval");
    /* a headquartered entity outside China keeps the denial */
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2026-03-01\",\"destination\":\"MY\",\"end_user_hq\":\"CN\",\"export_from\":\"US\","
                                     "\"chip\":\"H200\"}", buf, sizeof buf), "presumption_of_denial");
#undef H200
}

static void test_evaluate_country_group_changes(void)
{
    char buf[64];
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2026-02-02\",\"destination\":\"KH\",\"end_user_hq\":\"KH\",\"chip\":\"H100\"}",
                                     buf, sizeof buf), "presumption_of_denial");
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2026-02-03\",\"destination\":\"KH\",\"end_user_hq\":\"KH\",\"chip\":\"H100\"}",
                                     buf, sizeof buf), "presumption_of_approval");
    CU_ASSERT_EQUAL(cat("H100", "NI", "2024-03-14"), A);
    CU_ASSERT_EQUAL(cat("H100", "NI", "2024-03-15"), L);
    CU_ASSERT_EQUAL(cat("H100", "AE", "2026-07-10"), L); /* A:5 now, but named in the rule */
    CU_ASSERT_EQUAL(cat("H100", "CY", "2024-01-10"), L); /* CY in D:5 table: its own HQ is D:5 */
    CU_ASSERT_EQUAL(cat("H100", "CY", "2024-05-30"), A);
}

static void test_evaluate_before_first_version_regime_does_not_apply(void)
{
    chipcheck_decision *d = unit_decide("{\"date\":\"2022-01-01\",\"destination\":\"CN\",\"chip\":\"H100\"}");
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_ALLOWED);
    CU_ASSERT_PTR_NULL(chipcheck_decision_ruleset_version(d));
    CU_ASSERT_STRING_EQUAL(chipcheck_reason_code(chipcheck_decision_reason(d, 0)), "REGIME_NOT_IN_FORCE");
    CU_ASSERT_STRING_EQUAL(chipcheck_reason_rule(chipcheck_decision_reason(d, 0)), "us-ear-advanced-computing");
    const char *id, *version;
    int verdict;
    CU_ASSERT_EQUAL(chipcheck_decision_ruleset_info(d, 1, &id, &version, NULL, &verdict), CHIPCHECK_OK);
    CU_ASSERT_STRING_EQUAL(id, "us-ear-embargoes"); /* China: no embargo, so allowed in both */
    CU_ASSERT_STRING_EQUAL(version, "2016-03-15");
    CU_ASSERT_EQUAL(verdict, CHIPCHECK_ALLOWED);
    chipcheck_decision_free(d);
}

static void test_evaluate_nac_and_aca_exceptions(void)
{
    /* RTX 4090: 3A090.a, not for datacenters, TPP >= 4800: NAC eligible to China */
    chipcheck_decision *d = unit_decide("{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"RTX 4090\"}");
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_LICENSE_REQUIRED);
    char *j = chipcheck_decision_json(d, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"exceptions\":[{\"id\":\"NAC\",\"citation\":\"15 CFR 740.8(a); 740.8(a)(2)(i); 740.8(c)(1)\""));
    chipcheck_free(j);
    chipcheck_decision_free(d);
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"RTX 4090\","
                                 "\"exception\":\"NAC\",\"exception_authorization\":\"NAC-2024-0001\"}", NULL), A);
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"RTX 4090\","
                                 "\"exception\":\"NAC\"}", NULL), L); /* no authorization number */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"VN\",\"end_user_hq\":\"VN\",\"chip\":\"RTX 4090\","
                                 "\"exception\":\"ACA\"}", NULL), A);
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"RTX 4090\","
                                 "\"exception\":\"ACA\"}", NULL), L); /* ACA is not for D:5 */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"H100\","
                                 "\"exception\":\"NAC\",\"exception_authorization\":\"X\"}", NULL), L); /* datacenter .a */
    /* before the split, NAC covered D:1/D:4 too */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-01-10\",\"destination\":\"VN\",\"end_user_hq\":\"VN\",\"chip\":\"RTX 4090\","
                                 "\"exception\":\"NAC\",\"exception_authorization\":\"X\"}", NULL), A);
}

static void test_evaluate_license_held_covers_matching_shipment(void)
{
#define LIC(dest, from, to, prod) "{\"date\":\"2025-05-02\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"H20\"," \
    "\"licenses\":[{\"id\":\"L-1\",\"destination\":\"" dest "\",\"valid_from\":\"" from "\",\"valid_to\":\"" to \
    "\",\"products\":[\"" prod "\"]}]}"
    CU_ASSERT_EQUAL(unit_verdict(LIC("CN", "2025-01-01", "2025-12-31", "H20"), NULL), A);
    CU_ASSERT_EQUAL(unit_verdict(LIC("CN", "2025-01-01", "2025-12-31", "HGX H20"), NULL), A); /* alias */
    CU_ASSERT_EQUAL(unit_verdict(LIC("CN", "2025-05-02", "2025-05-02", "h20"), NULL), A);
    CU_ASSERT_EQUAL(unit_verdict(LIC("CN", "2024-01-01", "2025-05-01", "H20"), NULL), L); /* expired */
    CU_ASSERT_EQUAL(unit_verdict(LIC("HK", "2025-01-01", "2025-12-31", "H20"), NULL), L); /* other destination */
    CU_ASSERT_EQUAL(unit_verdict(LIC("CN", "2025-01-01", "2025-12-31", "H200"), NULL), L); /* other product */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2025-05-02\",\"destination\":\"CN\",\"chip\":\"H20\","
                                 "\"licenses\":[{\"id\":\"L-2\",\"destination\":\"CN\",\"products\":[\"H20\"]}]}", NULL), L);
#undef LIC
}

static void test_evaluate_missing_data_that_cannot_change_the_answer(void)
{
    /* Germany needs no 3A090 license whatever the density */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"DE\",\"end_user_hq\":\"DE\",\"chip\":{\"tpp\":2000}}", NULL), A);
    /* but an unknown headquarters can: H100 to Germany */
    chipcheck_decision *d = unit_decide("{\"date\":\"2024-06-01\",\"destination\":\"DE\",\"chip\":\"H100\"}");
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_INDETERMINATE);
    CU_ASSERT_EQUAL(chipcheck_decision_missing_count(d), 1);
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_missing(d, 0), "end_user_hq");
    chipcheck_decision_free(d);
    d = unit_decide("{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":{\"tpp\":2000,\"datacenter\":true}}");
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_INDETERMINATE);
    CU_ASSERT_EQUAL(chipcheck_decision_missing_count(d), 1);
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_missing(d, 0), "die_area_mm2");
    chipcheck_decision_free(d);
}

/* A chip object (at most 512 bytes) made of every field but fields[drop]; drop == n keeps them all. */
static void chip_without(const char *const *fields, size_t n, size_t drop, char *out)
{
    strcpy(out, "{");
    for (size_t f = 0, first = 1; f < n; f++) {
        if (f == drop)
            continue;
        strcat(out, first ? "" : ",");
        strcat(out, fields[f]);
        first = 0;
    }
    strcat(out, "}");
}

/* Fail closed: for shipments that need a license, dropping any one field never gives "allowed". */
static void test_evaluate_removing_any_field_never_allows(void)
{
    static const char *const fields[] = {
        "\"tpp\":15832", "\"die_area_mm2\":814", "\"memory_bandwidth_gbs\":3350", "\"interconnect_bandwidth_gbs\":900",
        "\"datacenter\":true", "\"name\":\"H100\"", "\"vendor\":\"NVIDIA\"",
    };
    static const char *const cases[][2] = {
        {"2022-09-01", "CN"}, {"2022-11-01", "CN"}, {"2023-02-01", "MO"}, {"2024-01-10", "CN"}, {"2024-01-10", "SA"},
        {"2024-06-01", "VN"}, {"2025-01-10", "RU"}, {"2025-05-02", "CN"}, {"2025-08-01", "HK"}, {"2026-03-01", "CN"},
        {"2026-08-01", "AE"},
    };
    const size_t nf = sizeof fields / sizeof fields[0];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (size_t drop = 0; drop <= nf; drop++) { /* drop == nf: nothing dropped */
            char chip[512], j[1024];
            chip_without(fields, nf, drop, chip);
            snprintf(j, sizeof j, "{\"date\":\"%s\",\"destination\":\"%s\",\"chip\":%s}", cases[c][0], cases[c][1], chip);
            int v = unit_verdict(j, NULL);
            if (v == CHIPCHECK_ALLOWED || v < 0)
                fprintf(stderr, "\nfail-closed broken: %s -> %d\n", j, v);
            CU_ASSERT_NOT_EQUAL(v, CHIPCHECK_ALLOWED);
            CU_ASSERT_NOT_EQUAL(v, -1);
            /* and without the destination-side field: the headquarters */
            snprintf(j, sizeof j, "{\"date\":\"%s\",\"destination\":\"%s\",\"end_user_hq\":\"%s\",\"chip\":%s}",
                     cases[c][0], cases[c][1], cases[c][1], chip);
            v = unit_verdict(j, NULL);
            CU_ASSERT_NOT_EQUAL(v, CHIPCHECK_ALLOWED);
        }
    }
    /* the headquarters rule: a German destination, a Chinese parent, any field missing */
    for (size_t drop = 0; drop < nf; drop++) {
        char chip[512], j[1024];
        chip_without(fields, nf, drop, chip);
        snprintf(j, sizeof j, "{\"date\":\"2024-06-01\",\"destination\":\"DE\",\"end_user_hq\":\"CN\",\"chip\":%s}", chip);
        CU_ASSERT_NOT_EQUAL(unit_verdict(j, NULL), CHIPCHECK_ALLOWED);
    }
}

static void test_evaluate_forced_ruleset_version(void)
{
    chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
    chipcheck_error err;
    o.ruleset = "us-ear-advanced-computing@2025-04-09";
    chipcheck_decision *d = chipcheck_check_json(unit_rules, "{\"date\":\"2024-01-01\",\"destination\":\"CN\",\"chip\":\"H20\"}", &o, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_LICENSE_REQUIRED);
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_ruleset_version(d), "2025-04-09");
    chipcheck_decision_free(d);
    o.ruleset = "us-ear-advanced-computing@2025-04-10";
    d = chipcheck_check_json(unit_rules, "{\"destination\":\"CN\",\"chip\":\"H20\"}", &o, &err);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_NOT_FOUND);
    CU_ASSERT_STRING_EQUAL(err.message, "ruleset: no rule set 'us-ear-advanced-computing@2025-04-10' is loaded");
    o.ruleset = NULL;
    o.default_date = "2025-05-02";
    d = chipcheck_check_json(unit_rules, "{\"destination\":\"CN\",\"chip\":\"H20\"}", &o, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_ruleset_version(d), "2025-04-09");
    chipcheck_decision_free(d);
}

static void test_evaluate_struct_api_matches_json(void)
{
    chipcheck_throughput tp[] = {{"fp16", 148, 16, 0}, {"fp16", 296, 16, 1}};
    chipcheck_chip chip = {"H20", "NVIDIA", NULL, NULL, CHIPCHECK_UNSET, 814, 4000, 900, CHIPCHECK_UNSET, 1, tp, 2};
    chipcheck_shipment s = {"SO-1", "2025-05-02", "CN", "CN", NULL, NULL, &chip, NULL, NULL, NULL, 0, NULL, NULL};
    chipcheck_error err;
    chipcheck_decision *d = chipcheck_check(unit_rules, &s, NULL, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_LICENSE_REQUIRED);
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_id(d), "SO-1");
    char *j = chipcheck_decision_json(d, 0);
    /* the sparse 296 is not counted: TPP is 148 x 16 */
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"tpp\":{\"value\":2368,\"source\":\"derived\",\"how\":\"tpp = highest over dense "
                                     "throughput of tops * bits: fp16 148 tops x 16 bits = 2368\"}"));
    chipcheck_free(j);
    chipcheck_decision_free(d);
    s.date = "2025-04-08";
    d = chipcheck_check(unit_rules, &s, NULL, &err);
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_ALLOWED);
    chipcheck_decision_free(d);
}

/* Property: over a grid of chips x 40 destinations x dates across every version, with the end user
 * headquartered at the destination or elsewhere, dropping any one optional field of a shipment that needs
 * a license never gives "allowed", and dropping one from an allowed shipment never gives an error. Both
 * paths (traced and verdict-only) are checked. */
static void test_evaluate_fail_closed_property_over_grid(void)
{
    static const char *const dests[] = {"CN", "HK", "MO", "RU", "IR", "KP", "BY", "VE", "CU", "SY", "IQ", "LY", "MM", "NI",
                                        "AF", "KH", "VN", "SA", "AE", "EG", "JO", "KW", "QA", "OM", "PK", "KZ", "UZ", "GE",
                                        "AM", "AZ", "DE", "JP", "US", "GB", "FR", "IL", "TW", "SG", "MX", "IN"};
    static const char *const dates[] = {"2022-09-01", "2022-11-01", "2023-03-01", "2023-12-01", "2024-03-20", "2024-04-10",
                                        "2024-06-01", "2025-01-10", "2025-05-02", "2025-08-01", "2026-01-20", "2026-03-01",
                                        "2026-08-01"};
    static const struct { const char *name, *vendor; double tpp, die, mem, ic; int dc; } chips[] = {
        {"H100 SXM5", "NVIDIA", 15832, 814, 3350, 900, 1}, {"H20", "NVIDIA", 2368, 814, 4000, 900, 1},
        {"A800", "NVIDIA", 4992, 826, 2039, 400, 1},       {"RTX 4090", "NVIDIA", 5285, 608.5, 1008, 64, 0},
        {"X-b1", "Acme", 3000, 1500, 900, 100, 1},          {"X-b2", "Acme", 2000, 600, 900, 100, 1},
        {"X-bw", "Acme", 1000, 800, 1500, 100, 1},          {"MI308X", "AMD", 20000, 1500, 5300, 900, 1},
    };
    const char *hqs[] = {NULL, "CN", "DE"};
    chipcheck_error err;
    chipcheck_evaluator *ev = chipcheck_evaluator_new(unit_rules, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
    long checked = 0, required = 0, broken = 0, errors = 0, disagreements = 0;
    for (size_t ci = 0; ci < sizeof chips / sizeof chips[0]; ci++)
        for (size_t di = 0; di < sizeof dests / sizeof dests[0]; di++)
            for (size_t ti = 0; ti < sizeof dates / sizeof dates[0]; ti++)
                for (int hi = 0; hi < 3; hi++) {
                    const char *hq = hi == 0 ? dests[di] : hqs[hi];
                    chipcheck_chip full = {chips[ci].name, chips[ci].vendor, NULL, NULL, chips[ci].tpp, chips[ci].die,
                                           chips[ci].mem, chips[ci].ic, CHIPCHECK_UNSET, chips[ci].dc, NULL, 0};
                    chipcheck_shipment s = {NULL, dates[ti], dests[di], hq, "US", NULL, &full, NULL, NULL, NULL, 0, NULL, NULL};
                    chipcheck_decision *d = chipcheck_check(unit_rules, &s, NULL, &err);
                    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
                    int base = (int)chipcheck_decision_verdict(d);
                    chipcheck_decision_free(d);
                    required += base == CHIPCHECK_LICENSE_REQUIRED;
                    for (int drop = 0; drop < 9; drop++) {
                        chipcheck_chip c = full;
                        chipcheck_shipment t = s;
                        t.chip = &c;
                        switch (drop) {
                        case 0: c.tpp = CHIPCHECK_UNSET; break;
                        case 1: c.die_area_mm2 = CHIPCHECK_UNSET; break;
                        case 2: c.memory_bandwidth_gbs = CHIPCHECK_UNSET; break;
                        case 3: c.interconnect_bandwidth_gbs = CHIPCHECK_UNSET; break;
                        case 4: c.datacenter = -1; break;
                        case 5: c.name = NULL; break;
                        case 6: c.vendor = NULL; break;
                        case 7: t.end_user_hq = NULL; break;
                        case 8: t.export_from = NULL; break;
                        }
                        d = chipcheck_check(unit_rules, &t, NULL, &err);
                        int fast = chipcheck_evaluator_verdict(ev, &t, NULL, &err);
                        checked++;
                        if (!d) {
                            errors++;
                            continue;
                        }
                        int v = (int)chipcheck_decision_verdict(d);
                        disagreements += fast != v;
                        if (base == CHIPCHECK_LICENSE_REQUIRED && v == CHIPCHECK_ALLOWED) {
                            broken++;
                            fprintf(stderr, "\nfail-closed broken: %s to %s on %s, hq %s, field %d dropped\n", chips[ci].name,
                                    dests[di], dates[ti], hq ? hq : "-", drop);
                        }
                        if (base == CHIPCHECK_ALLOWED && v == CHIPCHECK_LICENSE_REQUIRED)
                            broken++; /* removing data can only make the answer less certain */
                        chipcheck_decision_free(d);
                    }
                }
    chipcheck_evaluator_free(ev);
    CU_ASSERT_EQUAL(broken, 0);
    CU_ASSERT_EQUAL(errors, 0);
    CU_ASSERT_EQUAL(disagreements, 0);
    CU_ASSERT_EQUAL(checked, 8L * 40 * 13 * 3 * 9);
    CU_ASSERT_TRUE(required > 1000); /* the grid does exercise licensed shipments */
}

/* Review findings (each one gave "allowed" where a license may be needed). */
static void test_evaluate_review_fail_open_cases(void)
{
    char buf[64];
    /* F1: a rule set that is not loaded is an error even when the caller passes no error struct */
    chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
    o.ruleset = "us-ear-advance-computing";
    CU_ASSERT_PTR_NULL(chipcheck_check_json(unit_rules, "{\"date\":\"2025-05-02\",\"destination\":\"CN\",\"chip\":\"H100\"}",
                                            &o, NULL));
    chipcheck_error err;
    chipcheck_evaluator *ev = chipcheck_evaluator_new(unit_rules, &err);
    chipcheck_shipment s = {NULL, "2025-05-02", "CN", "CN", NULL, "H100", NULL, NULL, NULL, NULL, 0, NULL, NULL};
    CU_ASSERT_EQUAL(chipcheck_evaluator_verdict(ev, &s, &o, NULL), CHIPCHECK_ERR_NOT_FOUND);
    chipcheck_evaluator_free(ev);
    /* F2: NAC and ACA do not cover standalone HBM (3A090.c) */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2025-01-10\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":{\"name\":\"X\","
                                 "\"kind\":\"hbm\",\"tpp\":3000,\"die_area_mm2\":900,\"hbm_bandwidth_density\":3,\"datacenter\":true,"
                                 "\"memory_bandwidth_gbs\":100,\"interconnect_bandwidth_gbs\":10},\"exception\":\"NAC\","
                                 "\"exception_authorization\":\"N-1\"}", NULL), L);
    /* F3: a precision with only a sparse figure counts at half, not at zero */
    CU_ASSERT_EQUAL(spec("{\"name\":\"X\",\"datacenter\":false,\"throughput\":[{\"precision\":\"fp32\",\"tops\":82.6},"
                         "{\"precision\":\"fp8\",\"tops\":1321.2,\"sparse\":true}]}", "CN", "2024-06-10"), L);
    /* F4: the caller's throughput, not the catalog's TPP, decides */
    CU_ASSERT_EQUAL(unit_verdict("{\"chip\":{\"catalog\":\"RTX 4090 D\",\"throughput\":[{\"precision\":\"fp16\",\"tops\":400}]},"
                                 "\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"date\":\"2024-01-10\"}", NULL), L);
    /* F5: CHIPCHECK_CHIP_INIT leaves the datacenter flag unknown */
    chipcheck_chip c = CHIPCHECK_CHIP_INIT;
    c.name = "X";
    c.tpp = 2000;
    c.die_area_mm2 = 300;
    chipcheck_shipment t = {NULL, "2024-01-10", "CN", "CN", NULL, NULL, &c, NULL, NULL, NULL, 0, NULL, NULL};
    chipcheck_decision *d = chipcheck_check(unit_rules, &t, NULL, &err);
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_INDETERMINATE);
    chipcheck_decision_free(d);
    /* F6: the H20 approval is for China and Macau destinations, not for D:5 customers headquartered in China */
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2025-08-01\",\"destination\":\"KP\",\"end_user_hq\":\"CN\",\"chip\":\"H20\"}",
                                     buf, sizeof buf), "presumption_of_denial");
    CU_ASSERT_STRING_EQUAL(policy_of("{\"date\":\"2025-08-01\",\"destination\":\"MO\",\"end_user_hq\":\"MO\",\"chip\":\"H20\"}",
                                     buf, sizeof buf), "presumption_of_approval");
    /* F7: the 2022 letters still cover Russia after the October 2022 rule */
    CU_ASSERT_EQUAL(cat("A100", "RU", "2022-11-01"), L);
    CU_ASSERT_EQUAL(ac_verdict("A800", "RU", "2023-06-01"), A); /* under the letter's I/O line, as under the rule */
    CU_ASSERT_EQUAL(cat("A800", "RU", "2023-06-01"), L);        /* but every chip needs one from 2023-05-19 (746.5) */
    CU_ASSERT_EQUAL(cat("A100", "RU", "2024-01-10"), L); /* D:5 from 2023-11-17 */
}

/* Issue 9, item 3: license products are compared over the whole name, however long (they were cut at 127
 * bytes, so a license for one long name covered another with the same start). */
static void test_evaluate_license_products_compare_whole_names(void)
{
    char p130[131], ship[1024];
    memset(p130, 'P', 130);
    p130[130] = '\0';
#define LONG_SHIP(product)                                                                                          \
    snprintf(ship, sizeof ship,                                                                                     \
             "{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":{\"name\":\"%s-SECRET-H100\"," \
             "\"tpp\":15832,\"die_area_mm2\":814,\"datacenter\":true},\"licenses\":[{\"id\":\"L\",\"destination\":\"CN\","  \
             "\"valid_from\":\"2024-01-01\",\"valid_to\":\"2024-12-31\",\"products\":[\"%s\"]}]}", p130, product)
    char prod[200];
    snprintf(prod, sizeof prod, "%s-BENIGN", p130);
    LONG_SHIP(prod);
    CU_ASSERT_EQUAL(unit_verdict(ship, NULL), L);
    snprintf(prod, sizeof prod, "%s-SECRET-H100", p130);
    LONG_SHIP(prod);
    CU_ASSERT_EQUAL(unit_verdict(ship, NULL), A);
    snprintf(prod, sizeof prod, "%s-secret h100", p130); /* the same name, spelt as lookups allow */
    LONG_SHIP(prod);
    CU_ASSERT_EQUAL(unit_verdict(ship, NULL), A);
    snprintf(prod, sizeof prod, "%s-SECRET-H10", p130); /* a prefix is not the name */
    LONG_SHIP(prod);
    CU_ASSERT_EQUAL(unit_verdict(ship, NULL), L);
#undef LONG_SHIP
    /* catalog names and aliases are whole too: two long names with a common start load, and each is found */
    chipcheck_error err;
    chipcheck_rules *r = chipcheck_rules_load_dir("rules/hostile/long-catalog-names", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(chipcheck_rules_chip_count(r), 2);
    snprintf(prod, sizeof prod, "%s-SECRET-H100-SXM", p130);
    char *j = chipcheck_rules_chip_json(r, prod, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "-SECRET-H100\",\"aliases\""));
    chipcheck_free(j);
    snprintf(ship, sizeof ship, "{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"chip\":\"%s-SECRET-H100\","
             "\"licenses\":[{\"id\":\"L\",\"destination\":\"CN\",\"valid_from\":\"2024-01-01\",\"valid_to\":\"2024-12-31\","
             "\"products\":[\"%s-BENIGN\"]}]}", p130, p130);
    chipcheck_decision *d = chipcheck_check_json(r, ship, NULL, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), L);
    chipcheck_decision_free(d);
    chipcheck_rules_free(r);
}

/* Issue 9, design choice: kind defaults to "accelerator", so a memory stack given without kind was not
 * 3A090.c and could come out allowed. A chip that gives a memory bandwidth density is a memory stack: its
 * kind is not defaulted, and 3A090.c is unknown until kind is given. */
static void test_evaluate_hbm_stack_without_kind_is_never_allowed(void)
{
#define HBM(kind) "{\"date\":\"2025-01-10\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":{\"name\":\"HBM3E 12-Hi\"," kind \
    "\"tpp\":0,\"die_area_mm2\":121,\"memory_bandwidth_gbs\":1200,\"interconnect_bandwidth_gbs\":0," \
    "\"hbm_bandwidth_density\":9.9,\"datacenter\":false}}"
    CU_ASSERT_EQUAL(unit_verdict(HBM(""), NULL), I);
    chipcheck_decision *d = unit_decide(HBM(""));
    CU_ASSERT_EQUAL(chipcheck_decision_missing_count(d), 1);
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_missing(d, 0), "kind");
    chipcheck_decision_free(d);
    CU_ASSERT_EQUAL(unit_verdict(HBM("\"kind\":\"hbm\","), NULL), L);
    CU_ASSERT_EQUAL(unit_verdict(HBM("\"kind\":\"accelerator\","), NULL), A); /* co-packaged HBM: not 3A090.c */
    /* before 3A090.c existed, kind changes nothing */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":{\"name\":\"M\","
                                 "\"tpp\":0,\"die_area_mm2\":121,\"hbm_bandwidth_density\":9.9,\"datacenter\":false}}", NULL), A);
    /* a chip by figures without a density still defaults to an accelerator */
    CU_ASSERT_EQUAL(spec("{\"name\":\"X\",\"tpp\":100,\"die_area_mm2\":100,\"datacenter\":true}", "CN", "2025-01-10"), A);
#undef HBM
}

int register_evaluate_suite(void)
{
    CU_pSuite s = CU_add_suite("evaluate", NULL, NULL);
    if (!s)
        return -1;
    ADD_TEST(s, test_evaluate_public_outcomes_2022_rule);
    ADD_TEST(s, test_evaluate_public_outcomes_2023_rule);
    ADD_TEST(s, test_evaluate_public_outcomes_later_chips);
    ADD_TEST(s, test_evaluate_h20_timeline);
    ADD_TEST(s, test_evaluate_h20_allowance_carries_conditions);
    ADD_TEST(s, test_evaluate_mi308_timeline);
    ADD_TEST(s, test_evaluate_reported_thresholds_are_labelled);
    ADD_TEST(s, test_evaluate_2022_thresholds);
    ADD_TEST(s, test_evaluate_2023_tpp_thresholds);
    ADD_TEST(s, test_evaluate_2023_density_thresholds);
    ADD_TEST(s, test_evaluate_reported_bandwidth_thresholds);
    ADD_TEST(s, test_evaluate_case_by_case_zone_2026);
    ADD_TEST(s, test_evaluate_country_group_changes);
    ADD_TEST(s, test_evaluate_before_first_version_regime_does_not_apply);
    ADD_TEST(s, test_evaluate_nac_and_aca_exceptions);
    ADD_TEST(s, test_evaluate_license_held_covers_matching_shipment);
    ADD_TEST(s, test_evaluate_missing_data_that_cannot_change_the_answer);
    ADD_TEST(s, test_evaluate_removing_any_field_never_allows);
    ADD_TEST(s, test_evaluate_forced_ruleset_version);
    ADD_TEST(s, test_evaluate_struct_api_matches_json);
    ADD_TEST(s, test_evaluate_fail_closed_property_over_grid);
    ADD_TEST(s, test_evaluate_review_fail_open_cases);
    ADD_TEST(s, test_evaluate_license_products_compare_whole_names);
    ADD_TEST(s, test_evaluate_hbm_stack_without_kind_is_never_allowed);
    return 0;
}
