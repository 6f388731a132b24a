/* test_shipment.c: bad shipments are errors that name the field and the value; nothing is guessed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static void bad(const char *json, int code, const char *field, const char *message)
{
    chipcheck_error err;
    int v = unit_verdict(json, &err);
    CU_ASSERT_EQUAL(v, -1);
    CU_ASSERT_EQUAL(err.code, code);
    CU_ASSERT_STRING_EQUAL(err.field, field);
    CU_ASSERT_STRING_EQUAL(err.message, message);
}

#define SHIP(chip) "{\"date\":\"2025-05-02\",\"destination\":\"CN\",\"chip\":" chip "}"

static void test_shipment_bad_values_are_errors(void)
{
    bad(SHIP("{\"tpp\":-1}"), CHIPCHECK_ERR_INPUT, "chip.tpp", "chip.tpp: -1 is negative; figures are 0 or more");
    bad(SHIP("{\"tpp\":1e400}"), CHIPCHECK_ERR_INPUT, "chip.tpp", "chip.tpp: inf is not a finite number");
    bad(SHIP("{\"tpp\":2e9}"), CHIPCHECK_ERR_INPUT, "chip.tpp",
        "chip.tpp: 2e+09 is larger than any real chip figure (limit 1e9)");
    bad(SHIP("{\"tpp\":\"4800\"}"), CHIPCHECK_ERR_INPUT, "chip.tpp",
        "chip.tpp: must be a number, got a string (numbers are not quoted)");
    bad(SHIP("{\"die_area_mm2\":0}"), CHIPCHECK_ERR_INPUT, "chip.die_area_mm2", "chip.die_area_mm2: must be greater than 0, got 0");
    bad(SHIP("{\"datacenter\":\"yes\"}"), CHIPCHECK_ERR_INPUT, "chip.datacenter",
        "chip.datacenter: must be true, false or null, got a string");
    bad(SHIP("{\"throughput\":[{\"precision\":\"fp12\",\"tops\":1}]}"), CHIPCHECK_ERR_INPUT, "chip.throughput.precision",
        "chip.throughput.precision: unknown precision 'fp12'; did you mean fp32 or fp16?");
    bad(SHIP("{\"throughput\":[{\"precision\":\"half\",\"tops\":1}]}"), CHIPCHECK_ERR_INPUT, "chip.throughput.precision",
        "chip.throughput.precision: unknown precision 'half' (known: fp64 fp32 tf32 bf16 fp16 fp8 fp6 fp4 int32 int16 int8 int4)");
    bad(SHIP("{\"throughput\":[{\"precision\":\"fp16\",\"tops\":1,\"bits\":8}]}"), CHIPCHECK_ERR_INPUT, "chip.throughput.bits",
        "chip.throughput.bits: 8 bits does not match precision 'fp16'");
    bad(SHIP("{\"tpp\":1,\"tpp\":2}"), CHIPCHECK_ERR_INPUT, "chip.tpp", "chip.tpp: appears twice in the same object");
    bad(SHIP("{\"tpp_min\":1}"), CHIPCHECK_ERR_INPUT, "chip.tpp_min", "chip.tpp_min: unknown key in a chip");
    /* a near miss names the key meant */
    bad(SHIP("{\"TPP\":1}"), CHIPCHECK_ERR_INPUT, "chip.TPP", "chip.TPP: unknown key in a chip; did you mean tpp?");
    bad(SHIP("{\"die_area\":1}"), CHIPCHECK_ERR_INPUT, "chip.die_area",
        "chip.die_area: unknown key in a chip; did you mean die_area_mm2?");
    bad(SHIP("{\"throughput\":[{\"precision\":\"fp16\",\"top\":1}]}"), CHIPCHECK_ERR_INPUT, "chip.throughput.top",
        "chip.throughput.top: unknown key; did you mean tops?");
    bad(SHIP("{\"throughput\":[{\"precision\":\"FP16\",\"tops\":1}]}"), CHIPCHECK_ERR_INPUT, "chip.throughput.precision",
        "chip.throughput.precision: unknown precision 'FP16'; did you mean fp16?");
    bad(SHIP("{\"kind\":\"gpu\"}"), CHIPCHECK_ERR_INPUT, "chip.kind", "chip.kind: 'gpu' is not \"accelerator\" or \"hbm\"");
    bad(SHIP("\"H2000\""), CHIPCHECK_ERR_NOT_FOUND, "chip",
        "chip: no catalog chip is named 'H2000'; did you mean H200? Or give the chip's figures instead");
    bad(SHIP("\"H1OO\""), CHIPCHECK_ERR_NOT_FOUND, "chip",
        "chip: no catalog chip is named 'H1OO'; did you mean H100? Or give the chip's figures instead");
    bad(SHIP("\"Z9000\""), CHIPCHECK_ERR_NOT_FOUND, "chip",
        "chip: no catalog chip is named 'Z9000'; give the chip's figures instead");
    bad(SHIP("42"), CHIPCHECK_ERR_INPUT, "chip", "chip: must be a catalog chip name or an object of figures, got a number");
}

static void test_shipment_bad_countries_and_dates_are_errors(void)
{
    bad("{\"destination\":\"XX\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "destination",
        "destination: 'XX' is not an ISO 3166-1 alpha-2 country code");
    bad("{\"destination\":\"China\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "destination",
        "destination: 'China' is not an ISO 3166-1 alpha-2 country code");
    bad("{\"destination\":\"CN\",\"end_user_hq\":\"UK\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "end_user_hq",
        "end_user_hq: 'UK' is not an ISO 3166-1 alpha-2 country code; did you mean GB?");
    bad("{\"destination\":\"chn\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "destination",
        "destination: 'chn' is not an ISO 3166-1 alpha-2 country code; did you mean CN?");
    bad("{\"destination\":\"CN\",\"export_from\":\"USA\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "export_from",
        "export_from: 'USA' is not an ISO 3166-1 alpha-2 country code; did you mean US?");
    bad("{\"date\":\"2025-02-30\",\"destination\":\"CN\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "date",
        "date: '2025-02-30' is not a real calendar date (YYYY-MM-DD)");
    bad("{\"date\":\"02/05/2025\",\"destination\":\"CN\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "date",
        "date: '02/05/2025' is not a real calendar date (YYYY-MM-DD)");
    bad("{\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "destination",
        "destination: is required (ISO 3166-1 alpha-2 country of destination)");
    bad("{\"destination\":\"CN\"}", CHIPCHECK_ERR_INPUT, "chip", "chip: is required: a catalog chip name or the chip's figures");
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"licenses\":[{\"id\":\"L\",\"valid_to\":\"2025-13-01\"}]}",
        CHIPCHECK_ERR_INPUT, "licenses.valid_to", "licenses.valid_to: '2025-13-01' is not a real calendar date");
    /* lower case is accepted and normalised */
    CU_ASSERT_EQUAL(unit_verdict("{\"date\":\"2025-05-02\",\"destination\":\"cn\",\"chip\":\"H20\"}", NULL), CHIPCHECK_LICENSE_REQUIRED);
}

static void test_shipment_bad_json_is_an_error(void)
{
    bad("{\"destination\":\"CN\",", CHIPCHECK_ERR_PARSE, "", "malformed JSON near byte 20");
    bad("[1,2]", CHIPCHECK_ERR_INPUT, "shipment", "shipment: must be a JSON object, got an array");
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"destination\":\"DE\"}", CHIPCHECK_ERR_INPUT, "destination",
        "destination: appears twice in the same object");
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"end_user_HQ\":\"DE\"}", CHIPCHECK_ERR_INPUT, "end_user_HQ",
        "end_user_HQ: unknown key in a shipment; did you mean end_user_hq?");
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"colour\":\"red\"}", CHIPCHECK_ERR_INPUT, "colour",
        "colour: unknown key in a shipment (known: id, date, destination, end_user_hq, export_from, quantity, chip, "
        "exception, exception_authorization, licenses)");
    /* a chip figure given beside the chip, not in it */
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"tpp\":1}", CHIPCHECK_ERR_INPUT, "tpp",
        "tpp: unknown key in a shipment; did you mean chip.tpp?");
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"quantity\":1.5}", CHIPCHECK_ERR_INPUT, "quantity",
        "quantity: must be a whole number from 0 to 1e9");
    bad("{\"destination\":\"CN\",\"chip\":\"H20\"} trailing", CHIPCHECK_ERR_PARSE, "", "malformed JSON near byte 34");
}

static void test_shipment_struct_api_rejects_non_finite(void)
{
    chipcheck_chip chip = {"X", NULL, NULL, NULL, INFINITY, CHIPCHECK_UNSET, CHIPCHECK_UNSET, CHIPCHECK_UNSET,
                           CHIPCHECK_UNSET, -1, NULL, 0};
    chipcheck_shipment s = {NULL, "2025-05-02", "CN", NULL, NULL, NULL, &chip, NULL, NULL, NULL, 0};
    chipcheck_error err;
    CU_ASSERT_PTR_NULL(chipcheck_check(unit_rules, &s, NULL, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_INPUT);
    CU_ASSERT_STRING_EQUAL(err.message, "chip.tpp: inf is not a finite number");
    chip.tpp = CHIPCHECK_UNSET;
    chip.datacenter = 2;
    CU_ASSERT_PTR_NULL(chipcheck_check(unit_rules, &s, NULL, &err));
    CU_ASSERT_STRING_EQUAL(err.field, "chip.datacenter");
    chipcheck_options bad_opts = {99, NULL, NULL};
    chip.datacenter = -1;
    CU_ASSERT_PTR_NULL(chipcheck_check(unit_rules, &s, &bad_opts, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_ARG);
    CU_ASSERT_PTR_NULL(chipcheck_check(NULL, &s, NULL, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_ARG);
}

static void test_shipment_hostile_json_is_refused_cleanly(void)
{
    /* invalid UTF-8, in a name and in an id */
    bad(SHIP("{\"name\":\"H\xff" "20\"}"), CHIPCHECK_ERR_INPUT, "chip.name", "chip.name: is not valid UTF-8");
    bad("{\"id\":\"\xc0\xaf\",\"destination\":\"CN\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "id", "id: is not valid UTF-8");
    bad(SHIP("{\"name\":\"\xed\xa0\x80\"}"), CHIPCHECK_ERR_INPUT, "chip.name", "chip.name: is not valid UTF-8");
    /* valid multi-byte UTF-8 is fine */
    CU_ASSERT_EQUAL(unit_verdict(SHIP("{\"name\":\"H20 \xe2\x80\x94 \xe7\x89\x88\",\"memory_bandwidth_gbs\":4000}"), NULL),
                    CHIPCHECK_LICENSE_REQUIRED);
    /* NaN and Infinity spellings are not JSON numbers */
    bad(SHIP("{\"tpp\":NaN}"), CHIPCHECK_ERR_PARSE, "", "malformed JSON near byte 54");
    bad(SHIP("{\"tpp\":Infinity}"), CHIPCHECK_ERR_PARSE, "", "malformed JSON near byte 54");
    bad(SHIP("{\"tpp\":-1e999}"), CHIPCHECK_ERR_INPUT, "chip.tpp", "chip.tpp: -inf is not a finite number");
    /* deep nesting: refused by the parser's limit, no stack exhaustion */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 64);
    CU_ASSERT_PTR_NOT_NULL_FATAL(deep);
    strcpy(deep, "{\"destination\":\"CN\",\"chip\":");
    size_t n = strlen(deep);
    memset(deep + n, '[', depth);
    memset(deep + n + depth, ']', depth);
    strcpy(deep + n + 2 * depth, "}");
    chipcheck_error err;
    CU_ASSERT_EQUAL(unit_verdict(deep, &err), -1);
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_PARSE);
    free(deep);
    /* a very long name */
    char *longname = malloc(5000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(longname);
    strcpy(longname, "{\"destination\":\"CN\",\"chip\":{\"name\":\"");
    n = strlen(longname);
    memset(longname + n, 'A', 2000);
    strcpy(longname + n + 2000, "\"}}");
    CU_ASSERT_EQUAL(unit_verdict(longname, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.message, "chip.name: is longer than 1024 bytes");
    free(longname);
}

int register_shipment_suite(void)
{
    CU_pSuite s = CU_add_suite("shipment", NULL, NULL);
    if (!s)
        return -1;
    ADD_TEST(s, test_shipment_bad_values_are_errors);
    ADD_TEST(s, test_shipment_bad_countries_and_dates_are_errors);
    ADD_TEST(s, test_shipment_bad_json_is_an_error);
    ADD_TEST(s, test_shipment_struct_api_rejects_non_finite);
    ADD_TEST(s, test_shipment_hostile_json_is_refused_cleanly);
    return 0;
}
