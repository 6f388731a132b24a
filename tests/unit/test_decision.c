/* test_decision.c: the decision object: accessors, JSON byte-stability and the golden decisions in
 * tests/golden/ (compared byte for byte; UPDATE_EXPECTED=1 rewrites them after a checked change). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "unit.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

static void golden(const char *name, const char *json)
{
    char path[256];
    snprintf(path, sizeof path, "golden/%s.json", name);
    chipcheck_decision *d = unit_decide(json);
    char *got = chipcheck_decision_json(d, CHIPCHECK_JSON_PRETTY);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    if (getenv("UPDATE_EXPECTED")) {
        FILE *f = fopen(path, "w");
        if (f) {
            fprintf(f, "%s\n", got);
            fclose(f);
        }
    }
    char *want = slurp(path);
    CU_ASSERT_PTR_NOT_NULL(want);
    if (want) {
        size_t n = strlen(want);
        if (n && want[n - 1] == '\n')
            want[n - 1] = '\0';
        if (strcmp(want, got) != 0)
            fprintf(stderr, "\n%s differs from the decision made now\n", path);
        CU_ASSERT_STRING_EQUAL(got, want);
    }
    free(want);
    chipcheck_free(got);
    chipcheck_decision_free(d);
}

static void test_decision_golden_json(void)
{
    golden("h20-cn-2025-05-02", "{\"id\":\"SO-1001/10\",\"date\":\"2025-05-02\",\"destination\":\"CN\",\"end_user_hq\":\"CN\","
                                "\"quantity\":64,\"chip\":{\"name\":\"H20\",\"tpp\":2368,\"die_area_mm2\":814,"
                                "\"memory_bandwidth_gbs\":4000,\"interconnect_bandwidth_gbs\":900,\"datacenter\":true}}");
    golden("h20-cn-2025-08-01", "{\"id\":\"SO-2\",\"date\":\"2025-08-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"H20\"}");
    golden("h100-de-unknown-hq", "{\"id\":\"SO-3\",\"date\":\"2024-06-01\",\"destination\":\"DE\",\"chip\":\"H100\"}");
    golden("rtx4090-hk-nac", "{\"id\":\"SO-4\",\"date\":\"2024-06-01\",\"destination\":\"HK\",\"end_user_hq\":\"HK\",\"chip\":\"RTX 4090\"}");
}

/* The writer prints what cJSON would: parsing the compact form and printing it again changes nothing. */
static void test_decision_json_matches_cjson_layout(void)
{
    const char *cases[] = {
        ("{\"id\":\"q\\\"uote\\\\/\",\"date\":\"2025-05-02\",\"destination\":\"CN\",\"chip\":{\"name\":\"X \\u00e9\",\"tpp\":2368.5,"
         "\"die_area_mm2\":813.7,\"memory_bandwidth_gbs\":0.1,\"datacenter\":true}}"),
        "{\"date\":\"2026-03-01\",\"destination\":\"CN\",\"export_from\":\"US\",\"chip\":\"H200\"}",
        "{\"date\":\"2022-01-01\",\"destination\":\"CN\",\"chip\":\"H200\"}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        chipcheck_decision *d = unit_decide(cases[i]);
        char *j = chipcheck_decision_json(d, 0);
        cJSON *parsed = cJSON_Parse(j);
        CU_ASSERT_PTR_NOT_NULL_FATAL(parsed);
        char *again = cJSON_PrintUnformatted(parsed);
        CU_ASSERT_STRING_EQUAL(again, j);
        char *pretty = chipcheck_decision_json(d, CHIPCHECK_JSON_PRETTY);
        char *again_pretty = cJSON_Print(parsed);
        CU_ASSERT_STRING_EQUAL(again_pretty, pretty);
        cJSON_free(again);
        cJSON_free(again_pretty);
        cJSON_Delete(parsed);
        chipcheck_free(j);
        chipcheck_free(pretty);
        chipcheck_decision_free(d);
    }
}

static void test_decision_brief_json_lists_codes(void)
{
    chipcheck_decision *d = unit_decide("{\"id\":\"B-1\",\"date\":\"2024-06-01\",\"destination\":\"DE\",\"chip\":\"H100\"}");
    char *j = chipcheck_decision_json(d, CHIPCHECK_JSON_BRIEF);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    const char *want_tail = "\"classification\":[\"3A090.a\"],\"review_policy\":null,\"policy_may_be_stricter\":false,\"conditions\":[],\"exceptions\":[],"
                            "\"license\":null,\"codes\":[\"3A090.a.1\",\"3A090.a.2\",\"CCL_ITEM\"],"
                            "\"unknown\":[\"HQ_D5_OR_MACAU\"],\"not_screened\":[\"UNPUBLISHED_LETTERS\",\"BEYOND_THE_CHIP\","
                            "\"RESTRICTED_PARTIES\",\"OWNERSHIP_RULES\",\"END_USE_CONTROLS\",\"OTHER_REGIONS\","
                            "\"REEXPORT_AND_DIVERSION\",\"EMBARGO_EXCEPTIONS\",\"OTHER_SANCTIONS\"],\"freshness\":[],"
                            "\"missing\":[\"end_user_hq\"]}";
    CU_ASSERT_PTR_NOT_NULL(strstr(j, want_tail));
    CU_ASSERT_PTR_NULL(strstr(j, "\"reasons\""));
    const char *want_head = "{\"id\":\"B-1\",\"verdict\":\"indeterminate\",";
    CU_ASSERT_EQUAL(strncmp(j, want_head, strlen(want_head)), 0);
    chipcheck_free(j);
    chipcheck_decision_free(d);
}

static void test_decision_json_is_byte_identical(void)
{
    const char *in = "{\"id\":\"x\",\"date\":\"2026-03-01\",\"destination\":\"CN\",\"export_from\":\"US\",\"chip\":\"H200\"}";
    chipcheck_decision *a = unit_decide(in), *b = unit_decide(in);
    char *ja = chipcheck_decision_json(a, 0), *jb = chipcheck_decision_json(b, 0);
    CU_ASSERT_STRING_EQUAL(ja, jb);
    CU_ASSERT_PTR_NULL(strchr(ja, '\n')); /* one line, for JSON Lines */
    chipcheck_free(ja);
    chipcheck_free(jb);
    chipcheck_decision_free(a);
    chipcheck_decision_free(b);
}

static void test_decision_accessors_out_of_range_and_null(void)
{
    chipcheck_decision *d = unit_decide("{\"date\":\"2024-01-10\",\"destination\":\"CN\",\"chip\":\"H100\"}");
    CU_ASSERT_EQUAL(chipcheck_decision_classification_count(d), 1);
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_classification(d, 0), "3A090.a");
    CU_ASSERT_PTR_NULL(chipcheck_decision_classification(d, 1));
    CU_ASSERT_PTR_NULL(chipcheck_decision_reason(d, chipcheck_decision_reason_count(d)));
    CU_ASSERT_PTR_NULL(chipcheck_decision_missing(d, 0));
    CU_ASSERT_PTR_NULL(chipcheck_decision_id(d));
    const chipcheck_reason *r = chipcheck_decision_reason(d, 0);
    CU_ASSERT_STRING_EQUAL(chipcheck_reason_rule(r), "3A090.a.1");
    CU_ASSERT_STRING_EQUAL(chipcheck_reason_kind(r), "classification");
    CU_ASSERT_STRING_EQUAL(chipcheck_reason_citation(r), "15 CFR 774 Supp. 1, ECCN 3A090.a.1");
    CU_ASSERT_STRING_EQUAL(chipcheck_reason_source_kind(r), "regulation");
    CU_ASSERT_EQUAL(chipcheck_reason_result(r), 1);
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_review_policy(d), "presumption_of_denial");
    chipcheck_decision_free(d);
    CU_ASSERT_EQUAL(chipcheck_decision_reason_count(NULL), 0);
    CU_ASSERT_PTR_NULL(chipcheck_decision_json(NULL, 0));
    chipcheck_decision_free(NULL);
    chipcheck_rules_free(NULL);
    chipcheck_free(NULL);
}


/* One shipment with everything a later trace reads from the caller: chip strings, throughput, a license, an
 * exception, a region and an ECCN, all in buffers that scribble() overwrites. */
typedef struct lazy_input {
    char id[16], name[16], vendor[16], prec[8], lic_id[16], lic_dest[4], from[12], to[12], prod[16], exc[8],
        auth[16], region[8], eccn[16];
    chipcheck_throughput tp;
    const char *products[1];
    chipcheck_license lic;
    chipcheck_chip chip;
    chipcheck_shipment sh;
} lazy_input;

static void lazy_fill(lazy_input *in, const char *dest)
{
    memset(in, 0, sizeof *in);
    strcpy(in->id, "order-7");
    strcpy(in->name, "SYN-LAZY");
    strcpy(in->vendor, "Synthetic");
    strcpy(in->prec, "fp16");
    strcpy(in->lic_id, "L-123");
    strcpy(in->lic_dest, dest);
    strcpy(in->from, "2025-01-01");
    strcpy(in->to, "2025-12-31");
    strcpy(in->prod, "SYN-LAZY");
    strcpy(in->exc, "NAC");
    strcpy(in->auth, "AUTH-1");
    strcpy(in->eccn, "3A090.a");
    in->tp = (chipcheck_throughput){in->prec, 990, 16, 1};
    in->products[0] = in->prod;
    in->lic = (chipcheck_license){in->lic_id, in->lic_dest, in->from, in->to, in->products, 1};
    in->chip = (chipcheck_chip)CHIPCHECK_CHIP_INIT;
    in->chip.name = in->name;
    in->chip.vendor = in->vendor;
    in->chip.die_area_mm2 = 814;
    in->chip.memory_bandwidth_gbs = 3350;
    in->chip.datacenter = 1;
    in->chip.throughput = &in->tp;
    in->chip.n_throughput = 1;
    in->sh.id = in->id;
    in->sh.date = "2025-06-01";
    in->sh.destination = dest;
    in->sh.end_user_hq = dest;
    in->sh.chip = &in->chip;
    in->sh.exception = in->exc;
    in->sh.exception_authorization = in->auth;
    in->sh.licenses = &in->lic;
    in->sh.n_licenses = 1;
    in->sh.eccn = in->eccn;
}

static void lazy_scribble(lazy_input *in)
{
    char *bufs[] = {in->id, in->name, in->vendor, in->prec, in->lic_id, in->lic_dest, in->from, in->to, in->prod,
                    in->exc, in->auth, in->eccn};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        memset(bufs[i], 'X', strlen(bufs[i]));
    in->tp.tops = -1;
}

/* chipcheck_check() builds the trace lazily (checks and metrics when the full JSON is asked for): what it gives
 * after the caller's shipment is gone equals what it gives at once, for every accessor and JSON form. */
static void test_decision_lazy_trace_outlives_input(void)
{
    static const char *const dests[] = {"CN", "HK", "SG", "DE"};
    static const unsigned forms[] = {0, CHIPCHECK_JSON_BRIEF, CHIPCHECK_JSON_PRETTY};
    for (size_t k = 0; k < sizeof dests / sizeof dests[0]; k++) {
        lazy_input a, b;
        chipcheck_error err;
        lazy_fill(&a, dests[k]);
        lazy_fill(&b, dests[k]);
        chipcheck_decision *now = chipcheck_check(unit_rules, &a.sh, NULL, &err);
        chipcheck_decision *late = chipcheck_check(unit_rules, &b.sh, NULL, &err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(now);
        CU_ASSERT_PTR_NOT_NULL_FATAL(late);
        char *first = chipcheck_decision_json(now, 0);
        lazy_scribble(&b);
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            char *x = chipcheck_decision_json(now, forms[f]), *y = chipcheck_decision_json(late, forms[f]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(x);
            CU_ASSERT_PTR_NOT_NULL_FATAL(y);
            CU_ASSERT_STRING_EQUAL(x, y);
            CU_ASSERT_EQUAL(strstr(x, "\"checks\"") != NULL, !(forms[f] & CHIPCHECK_JSON_BRIEF));
            chipcheck_free(x);
            chipcheck_free(y);
        }
        CU_ASSERT_PTR_NOT_NULL(strstr(first, "\"checks\":[{\"metric\":"));
        CU_ASSERT_PTR_NOT_NULL(strstr(first, "\"how\":\"tpp = highest over dense throughput of "));
        CU_ASSERT_PTR_NOT_NULL(strstr(first, "\"id\":\"order-7\""));
        CU_ASSERT_EQUAL(chipcheck_decision_verdict(now), chipcheck_decision_verdict(late));
        CU_ASSERT_STRING_EQUAL(chipcheck_decision_id(late), "order-7");
        CU_ASSERT_TRUE(chipcheck_decision_reason_count(now) > 0);
        CU_ASSERT_EQUAL(chipcheck_decision_reason_count(now), chipcheck_decision_reason_count(late));
        for (size_t i = 0; i < chipcheck_decision_reason_count(now); i++) {
            const chipcheck_reason *x = chipcheck_decision_reason(now, i), *y = chipcheck_decision_reason(late, i);
            CU_ASSERT_STRING_EQUAL(chipcheck_reason_rule(x), chipcheck_reason_rule(y));
            CU_ASSERT_STRING_EQUAL(chipcheck_reason_code(x), chipcheck_reason_code(y));
            CU_ASSERT_EQUAL(chipcheck_reason_result(x), chipcheck_reason_result(y));
        }
        CU_ASSERT_EQUAL(chipcheck_decision_classification_count(now), chipcheck_decision_classification_count(late));
        CU_ASSERT_EQUAL(chipcheck_decision_missing_count(now), chipcheck_decision_missing_count(late));
        chipcheck_free(first);
        chipcheck_decision_free(now);
        chipcheck_decision_free(late);
    }
}

int register_decision_suite(void)
{
    CU_pSuite s = CU_add_suite("decision", NULL, NULL);
    if (!s)
        return -1;
    ADD_TEST(s, test_decision_golden_json);
    ADD_TEST(s, test_decision_lazy_trace_outlives_input);
    ADD_TEST(s, test_decision_json_matches_cjson_layout);
    ADD_TEST(s, test_decision_json_is_byte_identical);
    ADD_TEST(s, test_decision_brief_json_lists_codes);
    ADD_TEST(s, test_decision_accessors_out_of_range_and_null);
    return 0;
}
