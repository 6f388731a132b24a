/* test_util.c: dates, country codes, near matches, SHA-256, version and status names; the hot text primitives
 * of textfmt.c (numbers and JSON escaping) against the printf-based code they replace. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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


/* ---- textfmt.c ----------------------------------------------------------------------------------------- */

static uint64_t fmt_rng = 0x9E3779B97F4A7C15ull;
static uint64_t fmt_next(void)
{
    fmt_rng ^= fmt_rng << 13;
    fmt_rng ^= fmt_rng >> 7;
    fmt_rng ^= fmt_rng << 17;
    return fmt_rng;
}

/* A seeded mix: short decimals at every scale (the fast path), integers, halves and thirds, values near the
 * %g notation switches (1e-4, 1e15), signed zeros, random bit patterns, infinities and NaN. */
static double fmt_value(uint64_t i)
{
    uint64_t r = fmt_next();
    double sign = (r >> 63) ? -1.0 : 1.0;
    switch (i % 10) {
    case 0: return sign * (double)(r % 100000) / pow(10, (double)((r >> 20) % 12));
    case 1: return sign * (double)(r % 1000000000000000ull) / pow(10, (double)((r >> 50) % 19));
    case 2: return sign * (double)(int64_t)(r % 4000000000ull);
    case 3: return sign * (double)(r % 1000) / 3.0;
    case 4: return sign * ((double)(r % 2000) / 2.0 + 0.5) * 1e-4 * (double)((r >> 30) % 3);
    case 5: return sign * (1e15 - (double)(r % 5)) / (double)(1 + (r >> 40) % 2);
    case 6: {
        double v;
        memcpy(&v, &r, sizeof v);
        return v;
    }
    case 7: return sign * (double)(r % 10000) * 0.01;
    case 8: return sign * ldexp((double)(r % 1000000), -(int)((r >> 32) % 60));
    default: {
        static const double edge[] = {0.0, -0.0, 1e-4, 9.99999999999999e-5, 1e15, 999999999999999.0, 1e16, 0.1,
                                      0.3, 1.59, 2147483647.0, -2147483648.0, 2147483648.0, 4800.0, 5.92, 1e300,
                                      DBL_MIN, DBL_MAX, INFINITY, -INFINITY, NAN};
        return edge[r % (sizeof edge / sizeof edge[0])];
    }
    }
}

/* The printf-based code textfmt.c replaces (decision.c's cJSON-style number before). */
static void old_json_number(char *b, double d)
{
    if (!isfinite(d))
        snprintf(b, 32, "null");
    else if (d >= INT_MIN && d <= INT_MAX && d == (double)(int)d)
        snprintf(b, 32, "%d", (int)d);
    else {
        snprintf(b, 32, "%1.15g", d);
        double t = strtod(b, NULL);
        if (fabs(t - d) > fmax(fabs(t), fabs(d)) * DBL_EPSILON)
            snprintf(b, 32, "%1.17g", d);
    }
}

static void test_util_number_format_matches_printf(void)
{
    long bad_g = 0, bad_j = 0;
    for (uint64_t i = 0; i < 1000000; i++) {
        double v = fmt_value(i);
        char want[64], got[32];
        snprintf(want, sizeof want, "%.15g", v);
        size_t n = fmt_g15(got, v);
        if (strcmp(want, got) != 0 || n != strlen(want)) {
            if (bad_g++ < 5)
                fprintf(stderr, "fmt_g15(%a): '%s', printf '%s'\n", v, got, want);
        }
        old_json_number(want, v);
        n = fmt_json_number(got, v);
        if (strcmp(want, got) != 0 || n != strlen(want)) {
            if (bad_j++ < 5)
                fprintf(stderr, "fmt_json_number(%a): '%s', before '%s'\n", v, got, want);
        }
    }
    CU_ASSERT_EQUAL(bad_g, 0);
    CU_ASSERT_EQUAL(bad_j, 0);
    char b[32];
    CU_ASSERT_EQUAL(fmt_g15(b, 1.59), 4);
    CU_ASSERT_STRING_EQUAL(b, "1.59");
    fmt_g15(b, -0.0);
    CU_ASSERT_STRING_EQUAL(b, "-0");
    fmt_g15(b, 0.0001);
    CU_ASSERT_STRING_EQUAL(b, "0.0001");
    fmt_g15(b, 1e15);
    CU_ASSERT_STRING_EQUAL(b, "1e+15");
    fmt_json_number(b, 0.1 + 0.2); /* within cJSON's round-trip tolerance */
    CU_ASSERT_STRING_EQUAL(b, "0.3");
    fmt_json_number(b, 1.0 / 3);
    CU_ASSERT_STRING_EQUAL(b, "0.33333333333333331");
    fmt_json_number(b, -2147483648.0);
    CU_ASSERT_STRING_EQUAL(b, "-2147483648");
    fmt_json_number(b, NAN);
    CU_ASSERT_STRING_EQUAL(b, "null");
}

/* The byte-by-byte escaper decision.c had before. */
static size_t old_escape(char *o, const char *s, size_t n)
{
    char *start = o;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            snprintf(o, 6, "u%04x", c);
            o += 5;
        }
    }
    return (size_t)(o - start);
}

static void test_util_json_escape_matches_bytewise(void)
{
    static char in[200], want[1200], got[1200];
    long bad = 0;
    for (int t = 0; t < 200000; t++) {
        size_t n = fmt_next() % sizeof in;
        int mode = t % 4; /* mostly text, some control bytes, quotes, backslashes, high bytes */
        for (size_t i = 0; i < n; i++) {
            uint64_t r = fmt_next();
            in[i] = mode == 0 ? (char)(r % 256) : (r % 23 == 0) ? "\"\\\n\t\x01\x1f\x7f\x80\xff "[r % 11]
                                                                  : (char)('a' + r % 26);
            if (in[i] == '\0')
                in[i] = 'z';
        }
        size_t wn = old_escape(want, in, n);
        size_t gn = (size_t)(json_escape(got, in, n) - got);
        if (wn != gn || memcmp(want, got, wn) != 0)
            bad++;
    }
    CU_ASSERT_EQUAL(bad, 0);
    char o[64];
    char *e = json_escape(o, "a\"b\\c\x01\n", 7);
    CU_ASSERT_EQUAL((size_t)(e - o), 15);
    CU_ASSERT_EQUAL(memcmp(o, "a\\\"b\\\\c\\u0001\\n", 15), 0);
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
    ADD_TEST(s, test_util_number_format_matches_printf);
    ADD_TEST(s, test_util_json_escape_matches_bytewise);
    return 0;
}
