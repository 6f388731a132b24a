/* test_util.c: dates, country codes, near matches, SHA-256, version and status names. */
#include <string.h>

#include "internal.h"
#include "unit.h"

static void test_util_date_parse_accepts_real_dates_only(void)
{
    CU_ASSERT_EQUAL(date_parse("2025-04-09"), 20250409);
    CU_ASSERT_EQUAL(date_parse("2024-02-29"), 20240229);
    CU_ASSERT_EQUAL(date_parse("2025-02-29"), 0);
    CU_ASSERT_EQUAL(date_parse("2025-02-30"), 0);
    CU_ASSERT_EQUAL(date_parse("2100-02-29"), 0);
    CU_ASSERT_EQUAL(date_parse("2000-02-29"), 20000229);
    CU_ASSERT_EQUAL(date_parse("2025-13-01"), 0);
    CU_ASSERT_EQUAL(date_parse("2025-4-9"), 0);
    CU_ASSERT_EQUAL(date_parse("2025-04-09T00"), 0);
    CU_ASSERT_EQUAL(date_parse(""), 0);
    CU_ASSERT_EQUAL(date_parse(NULL), 0);
}

static void test_util_country_codes_are_iso_assigned(void)
{
    CU_ASSERT_TRUE(country_is_iso(country_index("CN")));
    CU_ASSERT_TRUE(country_is_iso(country_index("HK")));
    CU_ASSERT_TRUE(country_is_iso(country_index("ZW")));
    CU_ASSERT_FALSE(country_is_iso(country_index("XX")));
    CU_ASSERT_FALSE(country_is_iso(country_index("UK"))); /* reserved, not assigned: GB */
    CU_ASSERT_EQUAL(country_index("cn"), -1);
    CU_ASSERT_EQUAL(country_index("CHN"), -1);
}

static void test_util_country_suggestions(void)
{
    char cc[3] = "";
    CU_ASSERT_TRUE(country_suggest("UK", cc));
    CU_ASSERT_STRING_EQUAL(cc, "GB");
    CU_ASSERT_TRUE(country_suggest("el", cc));
    CU_ASSERT_STRING_EQUAL(cc, "GR");
    CU_ASSERT_TRUE(country_suggest("CHN", cc));
    CU_ASSERT_STRING_EQUAL(cc, "CN");
    CU_ASSERT_TRUE(country_suggest("ZWE", cc)); /* the last entry */
    CU_ASSERT_STRING_EQUAL(cc, "ZW");
    CU_ASSERT_TRUE(country_suggest("abw", cc)); /* the first */
    CU_ASSERT_STRING_EQUAL(cc, "AW");
    CU_ASSERT_FALSE(country_suggest("XX", cc));
    CU_ASSERT_FALSE(country_suggest("XXX", cc));
    CU_ASSERT_FALSE(country_suggest("China", cc));
    CU_ASSERT_FALSE(country_suggest("", cc));
    CU_ASSERT_FALSE(country_suggest(NULL, cc));
}

static void test_util_near_matches(void)
{
    CU_ASSERT_EQUAL(near_distance("TPP", "tpp"), 0);
    CU_ASSERT_EQUAL(near_distance("dest", "destination"), 1);    /* abbreviation */
    CU_ASSERT_EQUAL(near_distance("de", "destination"), 9);      /* too short to be one */
    CU_ASSERT_EQUAL(near_distance("destinaton", "destination"), 1);
    CU_ASSERT_EQUAL(near_distance("form", "from"), 1);           /* neighbours swapped */
    CU_ASSERT_EQUAL(near_distance("kitten", "sitting"), 3);
    CU_ASSERT_EQUAL(near_distance("", "a"), 99);
    near_pick p;
    char out[96];
    near_init(&p, "fp12", -1);
    CU_ASSERT_EQUAL(p.limit, 1);
    near_offer(&p, near_distance("fp12", "fp64"), "fp64", NULL);
    near_offer(&p, near_distance("fp12", "fp32"), "fp32", NULL);
    near_offer(&p, near_distance("fp12", "fp16"), "fp16", NULL);
    near_offer(&p, near_distance("fp12", "fp16"), "fp16", NULL); /* named once */
    near_format(&p, out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "did you mean fp32 or fp16?");
    near_offer(&p, 0, "fp12x", NULL); /* a nearer one replaces them */
    near_format(&p, out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "did you mean fp12x?");
    near_init(&p, "abcdefghi", -1);
    CU_ASSERT_EQUAL(p.limit, 3);
    near_offer(&p, 4, "far", NULL);
    near_format(&p, out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "");
    static const int owner = 0;
    near_init(&p, "x", 2);
    near_offer(&p, 1, "A", &owner);
    near_offer(&p, 1, "A alias", &owner);
    near_offer(&p, 1, "B", NULL);
    near_offer(&p, 1, "C", NULL);
    near_offer(&p, 1, "D", NULL); /* at most three */
    near_format(&p, out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "did you mean A, B or C?");
}

static void test_util_sha256_known_vectors(void)
{
    char hex[65];
    const unsigned char *abc = (const unsigned char *)"abc";
    size_t len = 3;
    sha256_hex(&abc, &len, 1, hex);
    CU_ASSERT_STRING_EQUAL(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const unsigned char *empty = (const unsigned char *)"";
    len = 0;
    sha256_hex(&empty, &len, 1, hex);
    CU_ASSERT_STRING_EQUAL(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const unsigned char *parts[2] = {(const unsigned char *)"abcdbcdecdefdefgefghfghighijhijkijkljklm",
                                     (const unsigned char *)"klmnlmnomnopnopq"};
    size_t lens[2] = {40, 16};
    sha256_hex(parts, lens, 2, hex);
    CU_ASSERT_STRING_EQUAL(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_util_version_and_names(void)
{
    CU_ASSERT_STRING_EQUAL(chipcheck_version(), CHIPCHECK_VERSION);
    CU_ASSERT_EQUAL(chipcheck_version_number(), CHIPCHECK_VERSION_NUMBER);
    CU_ASSERT_EQUAL(chipcheck_sizeof_error(), sizeof(chipcheck_error));
    CU_ASSERT_STRING_EQUAL(chipcheck_status_name(CHIPCHECK_ERR_INPUT), "CHIPCHECK_ERR_INPUT");
    CU_ASSERT_STRING_EQUAL(chipcheck_status_name(42), "CHIPCHECK_UNKNOWN");
    CU_ASSERT_STRING_EQUAL(chipcheck_verdict_name(CHIPCHECK_INDETERMINATE), "indeterminate");
    CU_ASSERT_STRING_EQUAL(chipcheck_verdict_name(2), "unknown");
}

int register_util_suite(void)
{
    CU_pSuite s = CU_add_suite("util", NULL, NULL);
    if (!s)
        return -1;
    ADD_TEST(s, test_util_date_parse_accepts_real_dates_only);
    ADD_TEST(s, test_util_country_codes_are_iso_assigned);
    ADD_TEST(s, test_util_country_suggestions);
    ADD_TEST(s, test_util_near_matches);
    ADD_TEST(s, test_util_sha256_known_vectors);
    ADD_TEST(s, test_util_version_and_names);
    return 0;
}
