/* test_shipment.c: bad shipments are errors that name the field and the value; nothing is guessed. */
#include <math.h>
#include <stdio.h>
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
    bad(SHIP("{\"tpp\":1e400}"), CHIPCHECK_ERR_INPUT, "chip.tpp",
        "chip.tpp: is out of range: a number larger than any double");
    bad(SHIP("{\"tpp\":2e9}"), CHIPCHECK_ERR_INPUT, "chip.tpp",
        "chip.tpp: 2000000000 is larger than any real chip figure (limit 1e9)");
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
        "date: '2025-02-30' is not a real calendar date");
    bad("{\"date\":\"02/05/2025\",\"destination\":\"CN\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "date",
        "date: '02/05/2025' is not a date in the form YYYY-MM-DD");
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
        "colour: unknown key in a shipment (known: id, date, destination, destination_region, end_user_hq, "
        "export_from, quantity, chip, eccn, exception, exception_authorization, licenses)");
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
    chipcheck_shipment s = {NULL, "2025-05-02", "CN", NULL, NULL, NULL, &chip, NULL, NULL, NULL, 0, NULL, NULL};
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
    bad(SHIP("{\"tpp\":-1e999}"), CHIPCHECK_ERR_INPUT, "chip.tpp",
        "chip.tpp: is out of range: a number more negative than any double");
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
    CU_ASSERT_STRING_EQUAL(err.message, "arrays and objects nested more than 1000 deep near byte 1026");
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

/* Issue 9, item 10: a NULL where the struct API needs a string or an array is CHIPCHECK_ERR_ARG naming the
 * field, never a crash (a NULL product crashed chipcheck_check() in eval_license). */
static void test_shipment_struct_api_null_entries_are_arg_errors(void)
{
    const char *products[] = {"H20", NULL};
    chipcheck_license lic = {"L", "CN", "2025-01-01", "2025-12-31", products, 2};
    chipcheck_shipment s = {NULL, "2025-05-02", "CN", "CN", NULL, "H20", NULL, NULL, NULL, &lic, 1, NULL, NULL};
    chipcheck_error err;
    chipcheck_evaluator *ev = chipcheck_evaluator_new(unit_rules, &err);
    struct { const char *field, *message; } want[4] = {
        {"licenses.products", "licenses.products: license 0: product 1 is NULL"},
        {"licenses.products", "licenses.products: license 0: n_products is 2 but products is NULL"},
        {"licenses", "licenses: n_licenses is 1 but licenses is NULL"},
        {"chip.throughput.precision", "chip.throughput.precision: throughput 0: precision is NULL"},
    };
    chipcheck_chip chip = CHIPCHECK_CHIP_INIT;
    chipcheck_throughput tp = {NULL, 100, 16, 0};
    for (int i = 0; i < 5; i++) {
        if (i == 1)
            lic.products = NULL;
        if (i == 2)
            s.licenses = NULL;
        if (i == 3) {
            s.n_licenses = 0;
            chip.name = "X";
            chip.throughput = &tp;
            chip.n_throughput = 1;
            s.chip = &chip;
        }
        if (i == 4) {
            chip.throughput = NULL;
            want[3].field = "chip.throughput";
            want[3].message = "chip.throughput: n_throughput is 1 but throughput is NULL";
        }
        int w = i < 4 ? i : 3;
        CU_ASSERT_PTR_NULL(chipcheck_check(unit_rules, &s, NULL, &err));
        CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_ARG);
        CU_ASSERT_STRING_EQUAL(err.field, want[w].field);
        CU_ASSERT_STRING_EQUAL(err.message, want[w].message);
        CU_ASSERT_EQUAL(chipcheck_evaluator_verdict(ev, &s, NULL, &err), CHIPCHECK_ERR_ARG);
        CU_ASSERT_STRING_EQUAL(err.message, want[w].message);
    }
    chipcheck_evaluator_free(ev);
}

/* Issue 9, item 1: an empty or all-space string is not a value (an empty name was taken as a name, so a chip
 * given by figures came out "allowed" where one without a name is indeterminate). Every string of a
 * shipment is refused when empty, only white space, or holding a control or invisible character. */
static void test_shipment_blank_and_invisible_strings_are_refused(void)
{
#define FIG "\"tpp\":100,\"die_area_mm2\":100,\"memory_bandwidth_gbs\":100,\"interconnect_bandwidth_gbs\":100,\"datacenter\":true"
#define ISSUE(name) "{\"chip\":{\"name\":" name "," FIG "},\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"date\":\"2025-05-02\"}"
    CU_ASSERT_EQUAL(unit_verdict("{\"chip\":{" FIG "},\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"date\":\"2025-05-02\"}",
                                 NULL), CHIPCHECK_INDETERMINATE);
    bad(ISSUE("\"\""), CHIPCHECK_ERR_INPUT, "chip.name", "chip.name: is empty; leave the field out when it is not known");
    bad(ISSUE("\"   \""), CHIPCHECK_ERR_INPUT, "chip.name",
        "chip.name: is only white space; leave the field out when it is not known");
    bad(ISSUE("\"\\u00a0\\u3000\\u2003\""), CHIPCHECK_ERR_INPUT, "chip.name",
        "chip.name: is only white space; leave the field out when it is not known");
    bad(ISSUE("\"\\t\""), CHIPCHECK_ERR_INPUT, "chip.name", "chip.name: contains a control character (U+0009)");
    bad(ISSUE("\"H20\\n\""), CHIPCHECK_ERR_INPUT, "chip.name", "chip.name: contains a control character (U+000A)");
    bad(ISSUE("\"H\\u200b20\""), CHIPCHECK_ERR_INPUT, "chip.name",
        "chip.name: contains an invisible formatting character (U+200B)");
    bad(ISSUE("\"\\ufeffH20\""), CHIPCHECK_ERR_INPUT, "chip.name",
        "chip.name: contains an invisible formatting character (U+FEFF)");
    bad(ISSUE("\"H20\\u0085\""), CHIPCHECK_ERR_INPUT, "chip.name", "chip.name: contains a control character (U+0085)");
    bad(SHIP("{\"name\":\"X\",\"vendor\":\" \"}"), CHIPCHECK_ERR_INPUT, "chip.vendor",
        "chip.vendor: is only white space; leave the field out when it is not known");
    bad(SHIP("{\"name\":\"X\",\"part_number\":\"\"}"), CHIPCHECK_ERR_INPUT, "chip.part_number",
        "chip.part_number: is empty; leave the field out when it is not known");
    bad(SHIP("{\"name\":\"X\",\"kind\":\"\"}"), CHIPCHECK_ERR_INPUT, "chip.kind",
        "chip.kind: is empty; leave the field out when it is not known");
    bad(SHIP("\" \""), CHIPCHECK_ERR_INPUT, "chip", "chip: is only white space; leave the field out when it is not known");
    bad(SHIP("{\"catalog\":\"\",\"tpp\":1}"), CHIPCHECK_ERR_INPUT, "chip",
        "chip: is empty; leave the field out when it is not known");
    bad("{\"id\":\"\",\"destination\":\"CN\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "id",
        "id: is empty; leave the field out when it is not known");
    /* a NAC authorization number of spaces is no authorization number */
    bad("{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"RTX 4090\",\"exception\":\"NAC\","
        "\"exception_authorization\":\" \"}", CHIPCHECK_ERR_INPUT, "exception_authorization",
        "exception_authorization: is only white space; leave the field out when it is not known");
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"exception\":\"\"}", CHIPCHECK_ERR_INPUT, "exception",
        "exception: is empty; leave the field out when it is not known");
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"licenses\":[{\"id\":\"L\",\"products\":[\"H20\",\" \"]}]}",
        CHIPCHECK_ERR_INPUT, "licenses.products",
        "licenses.products: is only white space; leave the field out when it is not known");
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"licenses\":[{\"id\":\" \",\"products\":[\"H20\"]}]}",
        CHIPCHECK_ERR_INPUT, "licenses.id", "licenses.id: is only white space; leave the field out when it is not known");
    /* ids are free text: line breaks are fine there, and a name with inner spaces or accents is a name */
    CU_ASSERT_EQUAL(unit_verdict("{\"id\":\"a\\r\\nb\\tc\",\"date\":\"2025-05-02\",\"destination\":\"DE\",\"end_user_hq\":\"DE\","
                                 "\"chip\":\"H20\"}", NULL), CHIPCHECK_ALLOWED);
    CU_ASSERT_EQUAL(unit_verdict(ISSUE("\" H20 \\u00e9 \""), NULL), CHIPCHECK_LICENSE_REQUIRED);
    /* the struct API is held to the same rule */
    chipcheck_chip chip = CHIPCHECK_CHIP_INIT;
    chip.name = "";
    chip.tpp = chip.die_area_mm2 = chip.memory_bandwidth_gbs = chip.interconnect_bandwidth_gbs = 100;
    chip.datacenter = 1;
    chipcheck_shipment sh = {NULL, "2025-05-02", "CN", "CN", NULL, NULL, &chip, NULL, NULL, NULL, 0, NULL, NULL};
    chipcheck_error err;
    CU_ASSERT_PTR_NULL(chipcheck_check(unit_rules, &sh, NULL, &err));
    CU_ASSERT_STRING_EQUAL(err.message, "chip.name: is empty; leave the field out when it is not known");
    chip.name = NULL;
    sh.exception = "NAC";
    sh.exception_authorization = "\xc2\xa0"; /* U+00A0 */
    CU_ASSERT_PTR_NULL(chipcheck_check(unit_rules, &sh, NULL, &err));
    CU_ASSERT_STRING_EQUAL(err.field, "exception_authorization");
#undef ISSUE
#undef FIG
}

/* Issue 9, item 2: "\u0000" inside a JSON string cut it ("\u0000H20" read as "", "DE\u0000CN" as DE). A
 * NUL in any string or key is refused, naming the field. */
static void test_shipment_nul_in_json_strings_is_refused(void)
{
    bad(SHIP("{\"name\":\"\\u0000H20\",\"tpp\":100}"), CHIPCHECK_ERR_INPUT, "chip.name",
        "chip.name: holds a NUL character (\\u0000)");
    bad("{\"destination\":\"DE\\u0000CN\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "destination",
        "destination: holds a NUL character (\\u0000)");
    bad("{\"id\":\"SO-1\\u0000-2\",\"destination\":\"CN\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "id",
        "id: holds a NUL character (\\u0000)");
    bad("{\"date\":\"2025-05-02\\u0000x\",\"destination\":\"CN\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "date",
        "date: holds a NUL character (\\u0000)");
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"licenses\":[{\"id\":\"L\",\"products\":[\"H100\",\"H20\\u0000 (no)\"]}]}",
        CHIPCHECK_ERR_INPUT, "licenses.products", "licenses.products: holds a NUL character (\\u0000)");
    bad("{\"destination\\u0000x\":\"CN\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "destination",
        "destination: a key holds a NUL character (\\u0000)");
    bad(SHIP("{\"name\":\"X\",\"throughput\":[{\"precision\":\"fp16\\u0000\",\"tops\":1}]}"), CHIPCHECK_ERR_INPUT,
        "chip.throughput.precision", "chip.throughput.precision: holds a NUL character (\\u0000)");
    bad("\"\\u0000\"", CHIPCHECK_ERR_INPUT, "shipment", "shipment: holds a NUL character (\\u0000)");
    /* an escaped backslash before "u0000" is text, not a NUL */
    CU_ASSERT_EQUAL(unit_verdict("{\"id\":\"a\\\\u0000\",\"date\":\"2025-05-02\",\"destination\":\"DE\",\"end_user_hq\":\"DE\","
                                 "\"chip\":\"H20\"}", NULL), CHIPCHECK_ALLOWED);
}

/* Issue 9, item 6: keys are checked in one pass in document order (the duplicate check compared every pair,
 * so one line with 120,000 keys took over 10 s), and arrays are bounded. */
static void test_shipment_keys_checked_in_one_pass_and_arrays_bounded(void)
{
    /* the first bad member in document order is the one reported */
    bad("{\"zz\":1,\"destination\":\"CN\",\"destination\":\"DE\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "zz",
        "zz: unknown key in a shipment (known: id, date, destination, destination_region, end_user_hq, "
        "export_from, quantity, chip, eccn, exception, exception_authorization, licenses)");
    bad(SHIP("{\"tpp\":1,\"tpp\":2,\"x\":3}"), CHIPCHECK_ERR_INPUT, "chip.tpp", "chip.tpp: appears twice in the same object");
    bad(SHIP("{\"note\":\"a\",\"note\":\"b\"}"), CHIPCHECK_ERR_INPUT, "chip.note", "chip.note: appears twice in the same object");
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"licenses\":[{\"id\":\"L\",\"products\":[],\"products\":[\"H20\"]}]}",
        CHIPCHECK_ERR_INPUT, "licenses.products", "licenses.products: appears twice in the same object");
    /* 300,000 distinct keys in one object: refused at the first unknown one, in one pass */
    size_t nkeys = 300000;
    char *big = malloc(nkeys * 12 + 64);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    size_t n = (size_t)sprintf(big, "{\"destination\":\"CN\",\"chip\":\"H20\"");
    for (size_t i = 0; i < nkeys; i++)
        n += (size_t)sprintf(big + n, ",\"k%zu\":1", i);
    strcpy(big + n, "}");
    bad(big, CHIPCHECK_ERR_INPUT, "k0",
        "k0: unknown key in a shipment (known: id, date, destination, destination_region, end_user_hq, "
        "export_from, quantity, chip, eccn, exception, exception_authorization, licenses)");
    free(big);
    /* bounded arrays: 64 licenses, 256 products a license, 64 throughput figures */
    char *arr = malloc(65 * 64 + 512);
    CU_ASSERT_PTR_NOT_NULL_FATAL(arr);
    n = (size_t)sprintf(arr, "{\"destination\":\"CN\",\"chip\":\"H20\",\"licenses\":[");
    for (int i = 0; i < 65; i++)
        n += (size_t)sprintf(arr + n, "%s{\"id\":\"L%d\"}", i ? "," : "", i);
    strcpy(arr + n, "]}");
    bad(arr, CHIPCHECK_ERR_INPUT, "licenses", "licenses: has more than 64 entries");
    n = (size_t)sprintf(arr, "%s", "{\"date\":\"2025-05-02\",\"destination\":\"CN\",\"chip\":{\"name\":\"X\",\"throughput\":[");
    for (int i = 0; i < 65; i++)
        n += (size_t)sprintf(arr + n, "%s{\"precision\":\"fp16\",\"tops\":%d}", i ? "," : "", i + 1);
    strcpy(arr + n, "]}}");
    bad(arr, CHIPCHECK_ERR_INPUT, "chip.throughput", "chip.throughput: has more than 64 entries");
    free(arr);
    arr = malloc(257 * 8 + 256);
    CU_ASSERT_PTR_NOT_NULL_FATAL(arr);
    n = (size_t)sprintf(arr, "{\"destination\":\"CN\",\"chip\":\"H20\",\"licenses\":[{\"id\":\"L\",\"products\":[");
    for (int i = 0; i < 257; i++)
        n += (size_t)sprintf(arr + n, "%s\"P%d\"", i ? "," : "", i);
    strcpy(arr + n, "]}]}");
    bad(arr, CHIPCHECK_ERR_INPUT, "licenses.products", "licenses.products: has more than 256 entries");
    free(arr);
    /* the struct API has the same bounds */
    chipcheck_license lic[65];
    memset(lic, 0, sizeof lic);
    chipcheck_shipment s = {NULL, "2025-05-02", "CN", NULL, NULL, "H20", NULL, NULL, NULL, lic, 65, NULL, NULL};
    chipcheck_error err;
    CU_ASSERT_PTR_NULL(chipcheck_check(unit_rules, &s, NULL, &err));
    CU_ASSERT_STRING_EQUAL(err.message, "licenses: has more than 64 entries");
    s.n_licenses = 64;
    chipcheck_decision *d = chipcheck_check(unit_rules, &s, NULL, &err);
    CU_ASSERT_PTR_NOT_NULL(d);
    chipcheck_decision_free(d);
}

/* 1 when s is well-formed UTF-8 (checked here independently of the library's own decoder). */
static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 0 : *p >= 0xC2 && *p <= 0xDF ? 1 : *p >= 0xE0 && *p <= 0xEF ? 2 : *p >= 0xF0 && *p <= 0xF4 ? 3 : -1;
        if (n < 0)
            return 0;
        for (int i = 1; i <= n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        if ((n == 2 && *p == 0xE0 && p[1] < 0xA0) || (n == 2 && *p == 0xED && p[1] > 0x9F) ||
            (n == 3 && *p == 0xF0 && p[1] < 0x90) || (n == 3 && *p == 0xF4 && p[1] > 0x8F))
            return 0;
        p += n + 1;
    }
    return 1;
}

/* Issue 9, item 12: every string of an error is valid UTF-8, whatever the input quoted in it (a key that is
 * not UTF-8, a value cut in the middle of a character), so that it can be written as JSON. */
static void test_shipment_error_strings_are_valid_utf8(void)
{
    const char *inputs[] = {
        "{\"destination\":\"CN\",\"chip\":\"H20\",\"\xff\xfe\":1}",
        "{\"destination\":\"CN\",\"chip\":{\"tpp\":1,\"\xc3\":2}}",
        "{\"destination\":\"" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\xc3\xa9" "\",\"chip\":\"H20\"}",
        "{\"destination\":\"CN\",\"chip\":\"" "HHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHH\xe2\x82\xac" "\"}",
        "{\"destination\":\"CN\",\"chip\":\"H20\",\"licenses\":[{\"id\":\"L\",\"\xe2\x82\":1}]}",
        "{\"date\":\"\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\",\"destination\":\"CN\",\"chip\":\"H20\"}",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        chipcheck_error err;
        CU_ASSERT_EQUAL(unit_verdict(inputs[i], &err), -1);
        CU_ASSERT_TRUE(valid_utf8(err.message));
        CU_ASSERT_TRUE(valid_utf8(err.field));
        CU_ASSERT_TRUE(valid_utf8(err.source));
    }
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"\xff\":1}", CHIPCHECK_ERR_INPUT, "\xef\xbf\xbd",
        "\xef\xbf\xbd: unknown key in a shipment (known: id, date, destination, destination_region, end_user_hq, "
        "export_from, quantity, chip, eccn, exception, exception_authorization, licenses)");
    chipcheck_error err;
    CU_ASSERT_PTR_NULL(chipcheck_rules_version_json(unit_rules, "\xff@\xfe", 0, &err));
    CU_ASSERT_STRING_EQUAL(err.message, "no rule set '\xef\xbf\xbd@\xef\xbf\xbd' is loaded (expected ID@VERSION)");
    CU_ASSERT_PTR_NULL(chipcheck_rules_load_dir("rules/no-such-\xff", &err));
    CU_ASSERT_STRING_EQUAL(err.source, "rules/no-such-\xef\xbf\xbd");
    /* a long path keeps its end, cut at a character boundary */
    char path[600] = "";
    for (int i = 0; i < 200; i++)
        strcat(path, "\xc3\xa9");
    strcat(path, "/xy"); /* 403 bytes: the last 252, kept after "...", would start inside an e-acute */
    CU_ASSERT_PTR_NULL(chipcheck_rules_load_dir(path, &err));
    CU_ASSERT_EQUAL(strlen(err.source), 254);
    CU_ASSERT_EQUAL(strncmp(err.source, "...\xc3\xa9", 5), 0);
    CU_ASSERT_STRING_EQUAL(err.source + 254 - 5, "\xc3\xa9/xy");
    CU_ASSERT_TRUE(valid_utf8(err.source));
}

/* Issue 9, item 15: messages state the real cause. 1000000001 read "1e+09 is larger than ... (limit 1e9)"
 * and 9999-12-31 "not a real calendar date", when it is a real date outside the supported range. */
static void test_shipment_messages_state_the_real_cause(void)
{
    chipcheck_error err;
    bad(SHIP("{\"tpp\":1000000001}"), CHIPCHECK_ERR_INPUT, "chip.tpp",
        "chip.tpp: 1000000001 is larger than any real chip figure (limit 1e9)");
    bad(SHIP("{\"memory_bandwidth_gbs\":1000000000.5}"), CHIPCHECK_ERR_INPUT, "chip.memory_bandwidth_gbs",
        "chip.memory_bandwidth_gbs: 1000000000.5 is larger than any real chip figure (limit 1e9)");
    bad(SHIP("{\"tpp\":-0.1}"), CHIPCHECK_ERR_INPUT, "chip.tpp", "chip.tpp: -0.1 is negative; figures are 0 or more");
    bad("{\"date\":\"9999-12-31\",\"destination\":\"CN\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "date",
        "date: '9999-12-31' is outside the supported range 1900-01-01 to 2999-12-31");
    bad("{\"date\":\"1899-12-31\",\"destination\":\"CN\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "date",
        "date: '1899-12-31' is outside the supported range 1900-01-01 to 2999-12-31");
    bad("{\"date\":\"2025-5-2\",\"destination\":\"CN\",\"chip\":\"H20\"}", CHIPCHECK_ERR_INPUT, "date",
        "date: '2025-5-2' is not a date in the form YYYY-MM-DD");
    bad("{\"destination\":\"CN\",\"chip\":\"H20\",\"licenses\":[{\"id\":\"L\",\"valid_from\":\"3000-01-01\"}]}",
        CHIPCHECK_ERR_INPUT, "licenses.valid_from",
        "licenses.valid_from: '3000-01-01' is outside the supported range 1900-01-01 to 2999-12-31");
    /* a parse error in text of several lines is placed on its line */
    CU_ASSERT_EQUAL(unit_verdict("{\n  \"destination\": \"CN\",\n  \"chip\": \"H20\"\n  \"date\": 1\n}", &err), -1);
    CU_ASSERT_EQUAL(err.line, 4);
    CU_ASSERT_EQUAL(err.column, 3);
    CU_ASSERT_STRING_EQUAL(err.message, "malformed JSON near byte 43");
    chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
    o.default_date = "9999-12-31";
    CU_ASSERT_PTR_NULL(chipcheck_check_json(unit_rules, "{\"destination\":\"CN\",\"chip\":\"H20\"}", &o, &err));
    CU_ASSERT_STRING_EQUAL(err.message,
                           "date: default date '9999-12-31' is outside the supported range 1900-01-01 to 2999-12-31");
    CU_ASSERT_PTR_NULL(chipcheck_rules_load_files((const char *[]){"rules"}, 1, &err));
    CU_ASSERT_STRING_EQUAL(err.message, "is a directory, not a file");
}

/* The strings of outcome o, space-separated, for comparing with one literal. */
static void outcome_strings(const chipcheck_outcome *o, const char *text, char *out, size_t size)
{
    const char *p = text + o->text;
    out[0] = '\0';
    for (size_t k = 0; k < 1 + o->n_codes + o->n_missing; k++) {
        snprintf(out + strlen(out), size - strlen(out), "%s%s", k ? " " : "", p);
        p += strlen(p) + 1;
    }
}

/* chipcheck_check_many() summarises each shipment as chipcheck_check() decides it alone, errors in place,
 * and stops cleanly when its text buffer is full. */
static void test_shipment_check_many_summaries(void)
{
    const char *chips[] = {"H20", "H100", "H20", "H20"}, *to[] = {"CN", "DE", "XX", "DE"}, *hq[] = {"CN", NULL, NULL, "DE"};
    chipcheck_shipment s[4];
    for (int i = 0; i < 4; i++) {
        s[i] = (chipcheck_shipment)CHIPCHECK_SHIPMENT_INIT;
        s[i].chip_name = chips[i];
        s[i].destination = to[i];
        s[i].end_user_hq = hq[i];
        s[i].date = "2025-05-02";
    }
    chipcheck_outcome o[4];
    chipcheck_decision *d[4];
    char text[512], line[256];
    size_t used = 99;
    chipcheck_error err;
    CU_ASSERT_EQUAL(chipcheck_check_many(unit_rules, 4, s, NULL, o, text, sizeof text, &used, d, &err), 4);
    CU_ASSERT_EQUAL(used, 112);
    int verdicts[] = {1, 3, CHIPCHECK_ERR_INPUT, 0};
    const char *want[] = {"presumption_of_denial H20_CLASS_2025_04 H20_EQUIV_BANDWIDTH_2025_04",
                          " 3A090.a.1 3A090.a.2 CCL_ITEM end_user_hq", "", ""};
    for (int i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(o[i].verdict, verdicts[i]);
        CU_ASSERT_EQUAL(o[i].policy_may_be_stricter, 0);
        outcome_strings(&o[i], text, line, sizeof line);
        CU_ASSERT_STRING_EQUAL(line, want[i]);
        chipcheck_decision *alone = chipcheck_check(unit_rules, &s[i], NULL, &err);
        CU_ASSERT_EQUAL(alone ? (int)chipcheck_decision_verdict(alone) : err.code, verdicts[i]);
        CU_ASSERT_EQUAL(d[i] ? (int)chipcheck_decision_verdict(d[i]) : err.code, verdicts[i]);
        CU_ASSERT_EQUAL(o[i].n_missing, alone ? chipcheck_decision_missing_count(alone) : 0);
        chipcheck_decision_free(alone);
        chipcheck_decision_free(d[i]);
    }
    CU_ASSERT_EQUAL(o[1].n_codes, 3);
    CU_ASSERT_EQUAL(o[1].n_missing, 1);
    /* 80 bytes hold the first shipment's 68, not the second's 42: one decided, then the rest from there */
    CU_ASSERT_EQUAL(chipcheck_check_many(unit_rules, 4, s, NULL, o, text, 80, &used, NULL, &err), 1);
    CU_ASSERT_EQUAL(used, 68);
    CU_ASSERT_EQUAL(chipcheck_check_many(unit_rules, 3, s + 1, NULL, o, text, 80, &used, NULL, &err), 3);
    CU_ASSERT_EQUAL(o[0].verdict, 3);
    CU_ASSERT_EQUAL(used, 44);
    CU_ASSERT_EQUAL(chipcheck_check_many(unit_rules, 4, s, NULL, o, text, 10, &used, NULL, &err), CHIPCHECK_ERR_ARG);
    CU_ASSERT_STRING_EQUAL(err.message, "the text buffer (10 bytes) cannot hold one shipment's outcome");
    CU_ASSERT_EQUAL(chipcheck_check_many(unit_rules, 0, NULL, NULL, NULL, NULL, 0, &used, NULL, &err), 0);
    CU_ASSERT_EQUAL(used, 0);
    CU_ASSERT_EQUAL(chipcheck_check_many(unit_rules, 1, NULL, NULL, o, text, 80, &used, NULL, &err), CHIPCHECK_ERR_ARG);
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
    ADD_TEST(s, test_shipment_struct_api_null_entries_are_arg_errors);
    ADD_TEST(s, test_shipment_blank_and_invisible_strings_are_refused);
    ADD_TEST(s, test_shipment_nul_in_json_strings_is_refused);
    ADD_TEST(s, test_shipment_keys_checked_in_one_pass_and_arrays_bounded);
    ADD_TEST(s, test_shipment_error_strings_are_valid_utf8);
    ADD_TEST(s, test_shipment_messages_state_the_real_cause);
    ADD_TEST(s, test_shipment_check_many_summaries);
    return 0;
}
