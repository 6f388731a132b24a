/* test_catalog.c: the bundled chip catalog (rules/chips/) and catalog lookups. The loader's refusals of
 * malformed catalog files are cases under tests/rules/invalid/ (test_rules_load.c runs them). */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "unit.h"

/* The figures a catalog chip can give; each one it gives needs a figure_sources entry. */
static const char *const figures[] = {"tpp", "die_area_mm2", "memory_bandwidth_gbs", "interconnect_bandwidth_gbs",
                                      "hbm_bandwidth_density", "throughput", "datacenter"};

static int real_date(const char *s)
{
    int y, m, d;
    char tail;
    return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && y >= 2019 && y <= 2026 &&
           m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* 1 if some figure_sources entry of chip c names figure f, has a non-empty source and a real as_of date. */
static int sourced(const cJSON *c, const char *f)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(c, "figure_sources")) {
        const cJSON *src = cJSON_GetObjectItemCaseSensitive(s, "source");
        const cJSON *asof = cJSON_GetObjectItemCaseSensitive(s, "as_of");
        const cJSON *x;
        cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(s, "for")) {
            if (cJSON_IsString(x) && !strcmp(x->valuestring, f) && cJSON_IsString(src) && src->valuestring[0] &&
                cJSON_IsString(asof) && real_date(asof->valuestring))
                return 1;
        }
    }
    return 0;
}

/* Every catalog chip loads, can be looked up by its name and every alias, and each figure it gives has a
 * source and an as-of date. */
static void test_catalog_every_figure_has_a_source(void)
{
    size_t n = chipcheck_rules_chip_count(unit_rules);
    CU_ASSERT_EQUAL(n, 44);
    size_t figures_seen = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = chipcheck_rules_chip_name(unit_rules, i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(name);
        chipcheck_error err;
        char *j = chipcheck_rules_chip_json(unit_rules, name, &err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(j);
        cJSON *c = cJSON_Parse(j);
        chipcheck_free(j);
        CU_ASSERT_PTR_NOT_NULL_FATAL(c);
        for (size_t f = 0; f < sizeof figures / sizeof figures[0]; f++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, figures[f]);
            int given = v && !cJSON_IsNull(v) && (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > 0);
            if (!given)
                continue;
            figures_seen++;
            if (!sourced(c, figures[f]))
                fprintf(stderr, "\n%s: %s has no source with an as-of date\n", name, figures[f]);
            CU_ASSERT_TRUE(sourced(c, figures[f]));
        }
        const cJSON *a;
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(c, "aliases")) {
            char *k = chipcheck_rules_chip_json(unit_rules, a->valuestring, &err);
            CU_ASSERT_PTR_NOT_NULL(k);
            CU_ASSERT_PTR_NOT_NULL(k ? strstr(k, name) : NULL);
            chipcheck_free(k);
        }
        cJSON_Delete(c);
    }
    CU_ASSERT_TRUE(figures_seen >= 150);
}

/* A name the catalog declares ambiguous is refused with CHIPCHECK_ERR_NOT_FOUND, listing the candidates,
 * by chipcheck_rules_chip_json() and in a shipment; each candidate is found by its own name. */
static void test_catalog_ambiguous_name_is_refused(void)
{
    chipcheck_error err;
    CU_ASSERT_PTR_NULL(chipcheck_rules_chip_json(unit_rules, "MI300", &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_NOT_FOUND);
    CU_ASSERT_STRING_EQUAL(err.field, "chip");
    CU_ASSERT_STRING_EQUAL(err.source, "<catalog>");
    CU_ASSERT_STRING_EQUAL(err.message, "'MI300' is ambiguous: it could be Instinct MI300A, Instinct MI300X; name one of them");
    /* spelled otherwise: the same key */
    CU_ASSERT_PTR_NULL(chipcheck_rules_chip_json(unit_rules, "mi-300", &err));
    CU_ASSERT_STRING_EQUAL(err.message, "'mi-300' is ambiguous: it could be Instinct MI300A, Instinct MI300X; name one of them");
    CU_ASSERT_PTR_NULL(chipcheck_rules_chip_json(unit_rules, "RTX PRO 6000", &err));
    CU_ASSERT_STRING_EQUAL(err.message, "'RTX PRO 6000' is ambiguous: it could be RTX PRO 6000 Blackwell Workstation, "
                                        "RTX PRO 6000 Blackwell Max-Q, RTX PRO 6000 Blackwell Server; name one of them");
    CU_ASSERT_EQUAL(unit_verdict("{\"destination\":\"CN\",\"date\":\"2025-05-02\",\"chip\":\"A100 40GB\"}", &err), -1);
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_NOT_FOUND);
    CU_ASSERT_STRING_EQUAL(err.source, "<shipment>");
    CU_ASSERT_STRING_EQUAL(err.message,
                           "chip: 'A100 40GB' is ambiguous: it could be A100 SXM4 40GB, A100 PCIe 40GB; name one of them");
    /* the same name overridden by figures is still a catalog reference, so it is still refused */
    CU_ASSERT_EQUAL(unit_verdict("{\"destination\":\"CN\",\"date\":\"2025-05-02\",\"chip\":{\"catalog\":\"MI300\",\"tpp\":1}}",
                                 &err), -1);
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_NOT_FOUND);
    /* each candidate is found */
    char *j = chipcheck_rules_chip_json(unit_rules, "MI300A", &err);
    CU_ASSERT_PTR_NOT_NULL(j ? strstr(j, "\"name\":\"Instinct MI300A\"") : NULL);
    chipcheck_free(j);
    j = chipcheck_rules_chip_json(unit_rules, "Instinct MI300X", &err);
    CU_ASSERT_PTR_NOT_NULL(j ? strstr(j, "\"name\":\"Instinct MI300X\"") : NULL);
    chipcheck_free(j);
    /* an unknown name says so, with the nearest names */
    CU_ASSERT_PTR_NULL(chipcheck_rules_chip_json(unit_rules, "MI3000", &err));
    CU_ASSERT_STRING_EQUAL(err.message, "no catalog chip is named 'MI3000'; did you mean MI300A or MI300X?");
    CU_ASSERT_PTR_NULL(chipcheck_rules_chip_json(unit_rules, "QQQQQQ", &err));
    CU_ASSERT_STRING_EQUAL(err.message, "no catalog chip is named 'QQQQQQ'");
}

/* "A100" and "H100" stay short names of the SXM parts. That is safe only while every variant of the
 * catalog gets the same verdict: check it on every version date, to a D:5, a D:1/D:4, an A:5 country and
 * the UAE, with the end user headquartered there. When this fails, make the short name ambiguous. */
static void test_catalog_short_names_match_their_variants(void)
{
    static const char *const dates[] = {"2022-08-26", "2022-10-07", "2023-01-18", "2023-11-17", "2024-04-04", "2024-12-02",
                                        "2025-04-09", "2025-07-14", "2026-01-15", "2026-07-10"};
    static const char *const dests[] = {"CN", "VN", "DE", "AE"};
    static const char *const groups[][3] = {{"A100", "A100 SXM4 40GB", "A100 PCIe 40GB"},
                                            {"H100", "H100 PCIe 80GB", NULL}};
    int checked = 0;
    for (size_t d = 0; d < sizeof dates / sizeof dates[0]; d++)
        for (size_t t = 0; t < sizeof dests / sizeof dests[0]; t++)
            for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
                int first = -2;
                for (size_t c = 0; c < 3 && groups[g][c]; c++) {
                    char ship[256];
                    snprintf(ship, sizeof ship, "{\"date\":\"%s\",\"destination\":\"%s\",\"end_user_hq\":\"%s\",\"chip\":\"%s\"}",
                             dates[d], dests[t], dests[t], groups[g][c]);
                    int v = unit_verdict(ship, NULL);
                    CU_ASSERT_TRUE(v >= 0);
                    if (first == -2)
                        first = v;
                    if (v != first)
                        fprintf(stderr, "\n%s to %s on %s: %d, %s: %d\n", groups[g][c], dests[t], dates[d], v,
                                groups[g][0], first);
                    CU_ASSERT_EQUAL(v, first);
                    checked++;
                }
            }
    CU_ASSERT_EQUAL(checked, 200);
    /* and they are license_required to China under the 2023 rule, allowed to Germany */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"chip\":\"H100 PCIe 80GB\"}", NULL),
                    CHIPCHECK_LICENSE_REQUIRED);
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2024-06-01\",\"destination\":\"DE\",\"end_user_hq\":\"DE\",\"chip\":\"A100 PCIe 40GB\"}",
                                 NULL), CHIPCHECK_ALLOWED);
}

int register_catalog_suite(void)
{
    CU_pSuite s = CU_add_suite("catalog", NULL, NULL);
    if (!s)
        return -1;
    ADD_TEST(s, test_catalog_every_figure_has_a_source);
    ADD_TEST(s, test_catalog_ambiguous_name_is_refused);
    ADD_TEST(s, test_catalog_short_names_match_their_variants);
    return 0;
}
