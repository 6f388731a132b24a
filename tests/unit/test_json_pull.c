/* test_json_pull.c: the pull parser (lib/json_pull.c) against the cJSON path, its reference: every line of
 * every CLI case's stdin, every fuzz corpus file, and a seeded random set of generated shipments either
 * read into the very same struct by both, or left to cJSON (fallback). Never a shipment of its own. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "unit.h"

#include "../fuzz/pull_diff.h"

typedef struct tally { long agreed, fell_back, differs; } tally;

static void diff_one(const char *text, const char *where, tally *t)
{
    char why[160] = "";
    int rc = pull_diff(text, why, sizeof why);
    if (rc == PULL_DIFFERS) {
        t->differs++;
        fprintf(stderr, "\npull parser differs from cJSON (%s): %s: %.300s\n", where, why, text);
    }
    t->agreed += rc == PULL_AGREED;
    t->fell_back += rc == PULL_FELL_BACK;
}

/* The whole file, then each of its lines (as batch reads them: a final \r dropped). */
static void diff_file(const char *path, tally *t)
{
    FILE *f = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    CU_ASSERT_EQUAL_FATAL(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    diff_one(buf, path, t);
    for (char *line = buf, *nl; line < buf + n; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(buf + n - line));
        if (!nl)
            nl = buf + n;
        *nl = '\0';
        if (nl > line && nl[-1] == '\r')
            nl[-1] = '\0';
        diff_one(line, path, t);
    }
    free(buf);
}

/* Every file dir/<sub>/<name> (name = NULL: any file), in any order. Returns how many. */
static int diff_tree(const char *dir, const char *name, tally *t)
{
    DIR *d = opendir(dir);
    int files = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char sub[512];
        snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
        DIR *d2 = opendir(sub);
        if (!d2)
            continue;
        for (struct dirent *f; (f = readdir(d2)) != NULL;) {
            char path[1024];
            if (f->d_name[0] == '.' || (name && strcmp(f->d_name, name)))
                continue;
            snprintf(path, sizeof path, "%s/%s", sub, f->d_name);
            diff_file(path, t);
            files++;
        }
        closedir(d2);
    }
    closedir(d);
    return files;
}

static void test_cli_and_fuzz_corpora(void)
{
    tally t = {0, 0, 0};
    CU_ASSERT_TRUE(diff_tree("cli/cases", "stdin", &t) >= 10);
    CU_ASSERT_TRUE(diff_tree("fuzz/corpus", NULL, &t) >= 40);
    CU_ASSERT_EQUAL(t.differs, 0);
    CU_ASSERT_TRUE(t.agreed >= 40); /* the shipment lines take the fast path (49 today) */
}

/* ---- generated shipments ------------------------------------------------------------------------- */
static uint64_t rng_state;
static int clean; /* generate no error on purpose (numbers out of range aside) */
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)(rng_state >> 33) % n;
}

typedef struct gen { char buf[8192]; size_t len; } gen;

static void put(gen *g, const char *s)
{
    size_t n = strlen(s);
    if (g->len + n < sizeof g->buf) {
        memcpy(g->buf + g->len, s, n + 1);
        g->len += n;
    }
}

#define PICK(a) (a)[rnd(sizeof(a) / sizeof(a)[0])]

static void sp(gen *g)
{
    static const char *const w[] = {"", "", "", " ", "\n", "\t", " \r\n  "};
    put(g, PICK(w));
}

static void str_value(gen *g)
{
    static const char *const s[] = {
        "\"H20\"", "\"CN\"", "\"de\"", "\"2025-05-02\"", "\"2024-01-10\"", "\"US\"", "\"NAC\"", "\"3A090.a\"",
        "\"EAR99\"", "\"UA-43\"", "\"A\\u00e9\"", "\"\\ud83d\\ude00x\"", "\"\\uD83D\\uDE00\"", "\"tab\\tx\"",
        "\"q\\\"x\"", "\"s\\/l\\\\\"", "\"\\u4e2d\\u6587\"", "\"\\u00ff\\u07ff\\u0800\\uffff\"", "\"\xff\xfe\"",
        "\"caf\xc3\xa9\"", "\"\"", "\" \"", "\"\\b\\f\\n\\r\"", "\"\\u0041\\u0020\"",
        /* fallbacks and errors */
        "\"\\u0000\"", "\"x\\u0000y\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud800\\u0041\"", "\"\\u12G4\"",
        "\"bad\\x\"", "\"ctl\x01\"", "\"unterminated",
    };
    put(g, clean ? s[rnd(24)] : rnd(4) ? PICK(s) : s[rnd(10)]);
}

static void num_value(gen *g)
{
    static const char *const n[] = {
        "1e3", "-0", "1.5e-7", "12345678901234567890", "0", "4800", "1E+2", "2.5", "01", "-.5", "1.", "1e400",
        "-1e400", "-1", "0.1", "5e-324", "1.7976931348623157e308", "123456789012345", "1e15", "999999999999999",
        "3.14159265358979323846", "1000000001", "1e9", "64", "16", "8", "4", "0.5", "2e-400", "1.0e+1",
        "1234567890123456789012345678901234567890123456789012345678901234567890", "1-2", "--1", "1e", "+1", "-",
        "0x10", ".5", "1.2.3", "1e+", "1E-",
    };
    put(g, clean ? n[rnd(11)] : rnd(4) ? n[rnd(30)] : PICK(n)); /* the first 11 are finite */
}

/* A whole number (an id or a quantity), or now and then any number. */
static void whole_value(gen *g)
{
    static const char *const n[] = {"0", "4800", "1E+2", "1e3", "-0", "64", "999999999999999", "12.0"};
    if (clean || rnd(2))
        put(g, PICK(n));
    else
        num_value(g);
}

static void any_value(gen *g, int depth);

static void odd_value(gen *g)
{
    static const char *const v[] = {"null", "true", "false", "nul", "tru", "[]", "{}", "[1,]", "{\"a\":}"};
    put(g, clean || rnd(3) ? v[rnd(3)] : PICK(v));
}

static void any_value(gen *g, int depth)
{
    switch (rnd(depth > 3 ? 3 : 5)) {
    case 0: str_value(g); break;
    case 1: num_value(g); break;
    case 2: odd_value(g); break;
    case 3:
        put(g, "[");
        for (unsigned i = 0, n = rnd(4); i < n; i++) {
            if (i) put(g, ",");
            sp(g);
            any_value(g, depth + 1);
        }
        put(g, "]");
        break;
    default:
        put(g, "{");
        for (unsigned i = 0, n = rnd(4); i < n; i++) {
            put(g, i ? ",\"k\":" : "\"k\":");
            any_value(g, depth + 1);
        }
        put(g, "}");
    }
}

/* Mostly the right kind of value, sometimes another (an error on the cJSON path). */
static void value_of(gen *g, char kind)
{
    if (!clean && rnd(12) == 0) {
        any_value(g, 2);
        return;
    }
    if (rnd(clean ? 30 : 10) == 0) {
        put(g, "null");
        return;
    }
    if (kind == 's')
        str_value(g);
    else if (kind == 'n')
        num_value(g);
    else
        put(g, rnd(2) ? "true" : "false");
}

typedef void (*member_gen)(gen *g, int k);

/* An object of some of keys[] (kinds[] their value kinds, '*' made by fn), in a shuffled order, now and
 * then with a key repeated or unknown. */
static void object(gen *g, const char *const *keys, const char *kinds, int n, member_gen fn)
{
    int order[32], m = 0;
    for (int i = 0; i < n; i++)
        if (rnd(3))
            order[m++] = i;
    for (int i = m - 1; i > 0; i--) {
        int k = (int)rnd((unsigned)i + 1), tmp = order[i];
        order[i] = order[k];
        order[k] = tmp;
    }
    if (m && !clean && rnd(40) == 0)
        order[m++] = order[0]; /* repeated */
    put(g, "{");
    sp(g);
    for (int i = 0; i < m; i++) {
        char key[80];
        snprintf(key, sizeof key, "%s\"%s\"", i ? "," : "", clean || rnd(60) ? keys[order[i]] : "tppp");
        put(g, key);
        sp(g);
        put(g, ":");
        sp(g);
        if (kinds[order[i]] == '*')
            fn(g, order[i]);
        else
            value_of(g, kinds[order[i]]);
        sp(g);
    }
    put(g, "}");
}

static void array_of(gen *g, unsigned max, void (*elem)(gen *g))
{
    put(g, "[");
    for (unsigned i = 0, n = rnd(max + 1); i < n; i++) {
        if (i) put(g, ",");
        sp(g);
        elem(g);
    }
    put(g, "]");
}

static void throughput_entry(gen *g)
{
    static const char *const prec[] = {"\"fp16\"", "\"fp8\"", "\"int8\"", "\"tf32\"", "\"bf16\""};
    if (!clean && rnd(10) == 0) {
        put(g, PICK(prec)); /* not an object */
        return;
    }
    put(g, "{\"precision\":");
    put(g, PICK(prec));
    put(g, rnd(2) ? ",\"tops\":" : ",\"tops\" : ");
    num_value(g);
    if (rnd(2)) {
        static const char *const bits[] = {"8", "16", "4", "64", "8.0"};
        put(g, ",\"bits\":");
        if (clean)
            put(g, PICK(bits));
        else
            num_value(g);
    }
    if (rnd(2))
        put(g, rnd(2) ? ",\"sparse\":true" : ",\"sparse\":false");
    put(g, "}");
}

static void chip_member(gen *g, int k)
{
    if (k == 10)
        array_of(g, 3, throughput_entry);
    else
        any_value(g, 1);
}

static void product(gen *g)
{
    static const char *const p[] = {"\"H20\"", "\"A100\"", "\"H\\u0032 0\"", "1"};
    put(g, clean || rnd(10) ? p[rnd(3)] : PICK(p));
}

static void license_member(gen *g, int k)
{
    (void)k;
    array_of(g, 3, product);
}

static void license(gen *g)
{
    static const char *const keys[] = {"id", "destination", "valid_from", "valid_to", "products"};
    object(g, keys, "ssss*", 5, license_member);
}

static void top_member(gen *g, int k)
{
    static const char *const names[] = {"\"H20\"", "\"A100\"", "\"H100\"", "\"RTX 4090\"", "\"no such chip\""};
    static const char *const ck[] = {"name", "vendor", "part_number", "kind", "tpp", "die_area_mm2",
                                     "memory_bandwidth_gbs", "interconnect_bandwidth_gbs", "hbm_bandwidth_density",
                                     "datacenter", "throughput", "catalog", "sources", "aliases", "source_kind",
                                     "as_of", "note"};
    if (k == 0) {
        if (rnd(2)) whole_value(g); else str_value(g);
    } else if (k == 7) {
        whole_value(g);
    } else if (k == 8) {
        if (rnd(3))
            object(g, ck, "ssssnnnnnb*s*****", 17, chip_member);
        else
            put(g, PICK(names));
    } else {
        array_of(g, 3, license);
    }
}

static void shipment(gen *g)
{
    static const char *const keys[] = {"id", "date", "destination", "end_user_hq", "export_from", "exception",
                                       "exception_authorization", "quantity", "chip", "licenses",
                                       "destination_region", "eccn"};
    g->len = 0;
    g->buf[0] = '\0';
    sp(g);
    object(g, keys, "*ssssss***ss", 12, top_member);
    sp(g);
    switch (clean ? 99 : rnd(40)) { /* now and then something after the object, or less than all of it */
    case 0: put(g, " x"); break;
    case 1: put(g, "{}"); break;
    case 2: g->buf[g->len = rnd((unsigned)g->len + 1)] = '\0'; break;
    case 3: if (g->len) g->buf[rnd((unsigned)g->len)] = (char)(rnd(94) + 32); break;
    default: break;
    }
}

static void test_generated(void)
{
    tally t = {0, 0, 0};
    gen *g = malloc(sizeof *g);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    rng_state = 20251129;
    for (int i = 0; i < 30000; i++) {
        clean = i % 2;
        shipment(g);
        diff_one(g->buf, "generated", &t);
    }
    free(g);
    CU_ASSERT_EQUAL(t.differs, 0);
    /* with this seed 14,468 read by both (6,066 with a chip object, 3,072 with throughput entries, 5,018 with
     * license products, 12,955 with \u escapes), 15,532 left to cJSON */
    CU_ASSERT_TRUE(t.agreed >= 10000);
    CU_ASSERT_TRUE(t.fell_back >= 10000);
}

/* ---- what the fast path reads itself --------------------------------------------------------------- */
static int pull(const char *text, json_ship *j, pull_store *st) { return json_pull_shipment(text, j, st); }

static void test_decodes_like_cjson(void)
{
    json_ship j;
    pull_store st;
    CU_ASSERT_EQUAL(pull("{\"id\":\"a\\u00e9\\ud83d\\ude00\\t\",\"destination\":\"CN\",\"chip\":\"H20\"}", &j, &st), 0);
    CU_ASSERT_STRING_EQUAL(j.sh.id, "a\xc3\xa9\xf0\x9f\x98\x80\t");
    CU_ASSERT_STRING_EQUAL(j.sh.chip_name, "H20");
    json_pull_release(&st);
    CU_ASSERT_EQUAL(pull(" {\"id\": 42 , \"chip\": {\"tpp\": 1e3, \"die_area_mm2\": -0, \"memory_bandwidth_gbs\": "
                         "1.5e-7, \"datacenter\": false}}\n", &j, &st), 0);
    CU_ASSERT_STRING_EQUAL(j.sh.id, "42");
    CU_ASSERT_EQUAL(j.chip.tpp, 1000.0);
    CU_ASSERT_TRUE(j.chip.die_area_mm2 == 0 && signbit(j.chip.die_area_mm2));
    CU_ASSERT_EQUAL(j.chip.memory_bandwidth_gbs, 1.5e-7);
    CU_ASSERT_EQUAL(j.chip.datacenter, 0);
    CU_ASSERT_PTR_EQUAL(j.sh.chip, &j.chip);
    json_pull_release(&st);
}

static void test_falls_back(void)
{
    static const char *const texts[] = {
        "{\"chip\":\"\\u0000H20\"}",             /* \u0000: cJSON's path names the field */
        "{\"chip\":\"H20\",\"chip\":\"A100\"}",   /* a repeated key */
        "{\"chp\":\"H20\"}",                      /* an unknown key */
        "{\"c\\u0068ip\":\"H20\"}",               /* an escaped key */
        "{\"chip\":\"\\ud800\"}",                 /* a lone surrogate */
        "{\"quantity\":1e400}",                   /* out of range */
        "{\"quantity\":1.5}",                     /* not whole */
        "{\"chip\":\"H20\"} x",                   /* text after the object */
        "\xEF\xBB\xBF{\"chip\":\"H20\"}",         /* a byte order mark (cJSON skips it) */
        "[1]", "", "{\"chip\":null}", "{\"id\":1.5}", "{\"id\":1e15}",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        json_ship j;
        pull_store st;
        int rc = pull(texts[i], &j, &st);
        if (rc != JSON_PULL_FALLBACK)
            fprintf(stderr, "\nexpected a fallback: %s\n", texts[i]);
        CU_ASSERT_EQUAL(rc, JSON_PULL_FALLBACK);
        json_pull_release(&st);
    }
}

/* Plain decimals, which the pull parser converts without strtod, come out of it bit for bit as strtod's. */
static void test_decimals_as_strtod(void)
{
    long differ = 0;
    rng_state = 7;
    for (int i = 0; i < 200000; i++) {
        char tok[40], text[80];
        size_t n = 0;
        unsigned digits = 1 + rnd(24), dot = rnd(digits + 2);
        if (rnd(3) == 0)
            tok[n++] = '-';
        for (unsigned d = 0; d < digits; d++) {
            if (d == dot && d > 0)
                tok[n++] = '.';
            tok[n++] = (char)('0' + rnd(10));
        }
        tok[n] = '\0';
        snprintf(text, sizeof text, "{\"chip\":{\"tpp\":%s}}", tok);
        json_ship j;
        pull_store st;
        double want = strtod(tok, NULL);
        if (json_pull_shipment(text, &j, &st) != 0 || memcmp(&j.chip.tpp, &want, sizeof want)) {
            if (differ++ < 5)
                fprintf(stderr, "\n%s: pull parser %.17g, strtod %.17g\n", tok, j.chip.tpp, want);
        }
        json_pull_release(&st);
    }
    CU_ASSERT_EQUAL(differ, 0);
}

/* A line longer than the store's own buffer is read into one allocation, freed on release. */
static void test_long_line(void)
{
    char *text = malloc(5000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    int n = snprintf(text, 5000, "{\"id\":\"");
    memset(text + n, 'x', 3000);
    snprintf(text + n + 3000, 5000 - (size_t)n - 3000, "\",\"destination\":\"DE\",\"chip\":\"H20\"}");
    json_ship j;
    pull_store st;
    CU_ASSERT_EQUAL(pull(text, &j, &st), 0);
    CU_ASSERT_EQUAL(strlen(j.sh.id), 3000);
    CU_ASSERT_STRING_EQUAL(j.sh.destination, "DE");
    json_pull_release(&st);
    char why[160];
    CU_ASSERT_EQUAL(pull_diff(text, why, sizeof why), PULL_AGREED);
    free(text);
}

int register_json_pull_suite(void)
{
    CU_pSuite s = CU_add_suite("json_pull", NULL, NULL);
    if (!s)
        return -1;
    ADD_TEST(s, test_decodes_like_cjson);
    ADD_TEST(s, test_falls_back);
    ADD_TEST(s, test_long_line);
    ADD_TEST(s, test_decimals_as_strtod);
    ADD_TEST(s, test_cli_and_fuzz_corpora);
    ADD_TEST(s, test_generated);
    return 0;
}
