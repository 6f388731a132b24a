/* test_rules_load.c: loading rule files. Every folder tests/rules/invalid/<case>/ holds rule files that
 * must be refused and a file `error`: "STATUS FILE LINE COLUMN" on line 1 and the exact message on line 2
 * (jansson's layout). Set UPDATE_EXPECTED=1 to rewrite them after checking a change by hand. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void test_rules_load_invalid_cases(void)
{
    DIR *d = opendir("rules/invalid");
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct dirent *e;
    int cases = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char dir[512], path[600], want[1024] = "", got[1024];
        snprintf(dir, sizeof dir, "rules/invalid/%s", e->d_name);
        snprintf(path, sizeof path, "%s/error", dir);
        chipcheck_error err;
        chipcheck_rules *r = chipcheck_rules_load_dir(dir, &err);
        CU_ASSERT_PTR_NULL(r);
        chipcheck_rules_free(r);
        snprintf(got, sizeof got, "%s %s %d %d\n%s\n", chipcheck_status_name(err.code), base_name(err.source), err.line,
                 err.column, err.message);
        if (getenv("UPDATE_EXPECTED")) {
            FILE *f = fopen(path, "w");
            if (f) {
                fputs(got, f);
                fclose(f);
            }
        }
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(want, 1, sizeof want - 1, f) : 0;
        want[n] = '\0';
        if (f)
            fclose(f);
        if (strcmp(want, got) != 0)
            fprintf(stderr, "\n%s: expected\n%sgot\n%s", dir, want, got);
        CU_ASSERT_STRING_EQUAL(got, want);
        cases++;
    }
    closedir(d);
    CU_ASSERT_TRUE(cases >= 12);
}

static void test_rules_load_dir_equals_bundled(void)
{
    chipcheck_error err;
    chipcheck_rules *r = chipcheck_rules_load_dir("../rules", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(chipcheck_rules_count(r), chipcheck_rules_count(unit_rules));
    CU_ASSERT_EQUAL(chipcheck_rules_count(r), 24); /* 14 advanced-computing versions, 10 embargo versions */
    for (size_t i = 0; i < chipcheck_rules_count(r); i++) {
        const char *v1, *v2, *d1, *d2;
        CU_ASSERT_EQUAL(chipcheck_rules_info(r, i, NULL, &v1, NULL, NULL, &d1), CHIPCHECK_OK);
        CU_ASSERT_EQUAL(chipcheck_rules_info(unit_rules, i, NULL, &v2, NULL, NULL, &d2), CHIPCHECK_OK);
        CU_ASSERT_STRING_EQUAL(v1, v2);
        CU_ASSERT_STRING_EQUAL(d1, d2); /* the digest is of the files' bytes, wherever they come from */
    }
    CU_ASSERT_EQUAL(chipcheck_rules_chip_count(r), chipcheck_rules_chip_count(unit_rules));
    chipcheck_rules_free(r);
}

static void test_rules_load_timeline_is_ordered(void)
{
    const char *expected[] = {"2022-08-26", "2022-10-07", "2023-01-17", "2023-11-17", "2024-03-15", "2024-04-04", "2024-05-30",
                              "2024-12-02", "2025-01-15", "2025-04-09", "2025-07-14", "2026-01-15", "2026-02-03", "2026-07-10",
                              /* us-ear-embargoes */
                              "2007-01-26", "2015-01-29", "2016-03-15", "2022-02-24", "2022-03-02", "2022-03-03", "2022-09-15",
                              "2023-05-19", "2024-06-12", "2025-09-02"};
    for (size_t i = 0; i < 24; i++) {
        const char *id, *version, *eff, *title, *digest;
        CU_ASSERT_EQUAL_FATAL(chipcheck_rules_info(unit_rules, i, &id, &version, &eff, &title, &digest), CHIPCHECK_OK);
        CU_ASSERT_STRING_EQUAL(id, i < 14 ? "us-ear-advanced-computing" : "us-ear-embargoes");
        CU_ASSERT_STRING_EQUAL(version, expected[i]);
        CU_ASSERT_STRING_EQUAL(eff, expected[i]);
        CU_ASSERT_EQUAL(strncmp(digest, "sha256:", 7), 0);
        CU_ASSERT_EQUAL(strlen(digest), 71);
    }
    CU_ASSERT_EQUAL(chipcheck_rules_info(unit_rules, 24, NULL, NULL, NULL, NULL, NULL), CHIPCHECK_ERR_ARG);
}

static void test_rules_load_catalog_lookup(void)
{
    chipcheck_error err;
    char *j = chipcheck_rules_chip_json(unit_rules, "rtx-4090d", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"name\":\"GeForce RTX 4090 D\""));
    chipcheck_free(j);
    CU_ASSERT_PTR_NULL(chipcheck_rules_chip_json(unit_rules, "H2000", &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_NOT_FOUND);
    CU_ASSERT_STRING_EQUAL(err.message, "no catalog chip is named 'H2000'; did you mean H200?");
    CU_ASSERT_STRING_EQUAL(chipcheck_rules_chip_name(unit_rules, 0), "A100 SXM4 80GB");
    CU_ASSERT_PTR_NULL(chipcheck_rules_chip_name(unit_rules, 1000));
}

static void test_rules_load_missing_dir_is_io_error(void)
{
    chipcheck_error err;
    CU_ASSERT_PTR_NULL(chipcheck_rules_load_dir("rules/no-such-dir", &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_IO);
    CU_ASSERT_STRING_EQUAL(err.source, "rules/no-such-dir");
    CU_ASSERT_PTR_NULL(chipcheck_rules_load_dir(NULL, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_ARG);
}

static void test_rules_load_version_json_describes_resolved_rules(void)
{
    chipcheck_error err;
    char *j = chipcheck_rules_version_json(unit_rules, "us-ear-advanced-computing@2023-11-17", 0, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    /* inherited, replaced and withdrawn rules resolved */
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"when\":\"all(not(kind == \\\"hbm\\\"), datacenter == true, tpp >= 1600, "
                                     "performance_density >= 5.92)\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"files\":[\"<builtin>/us-ear/2022-08-26.xml\",\"<builtin>/us-ear/2022-10-07.xml\","
                                     "\"<builtin>/us-ear/2023-01-17.xml\",\"<builtin>/us-ear/2023-11-17.xml\"]"));
    CU_ASSERT_PTR_NULL(strstr(j, "\"id\":\"CN_DESTINATION\"")); /* withdrawn in 2023-11-17 */
    CU_ASSERT_PTR_NULL(strstr(j, "NVDA_LETTER"));                  /* withdrawn in 2022-10-07 */
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"metrics\":[{\"id\":\"tpp\",\"formula\":\"tops * bits\""));
    chipcheck_free(j);
    CU_ASSERT_PTR_NULL(chipcheck_rules_version_json(unit_rules, "us-ear-advanced-computing", 0, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_NOT_FOUND);
    CU_ASSERT_STRING_EQUAL(err.message, "no rule set 'us-ear-advanced-computing' is loaded (expected ID@VERSION)");
}

/* A pattern with catastrophic backtracking hits the match limit: the rule is unknown, so the verdict is
 * indeterminate (never a hang, never "allowed"), on both the traced and the verdict-only path. */
static void test_rules_load_catastrophic_pattern_is_bounded(void)
{
    chipcheck_error err;
    chipcheck_rules *r = chipcheck_rules_load_dir("rules/hostile/catastrophic-regex", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    const char *ship = "{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"chip\":{\"name\":"
                       "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"}}";
    chipcheck_decision *d = chipcheck_check_json(r, ship, NULL, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_INDETERMINATE);
    CU_ASSERT_STRING_EQUAL(chipcheck_decision_missing(d, 0), "name");
    char *j = chipcheck_decision_json(d, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"how\":\"pattern match limit reached\""));
    chipcheck_free(j);
    chipcheck_decision_free(d);
    chipcheck_evaluator *ev = chipcheck_evaluator_new(r, &err);
    CU_ASSERT_EQUAL(chipcheck_evaluator_verdict_json(ev, ship, NULL, &err), CHIPCHECK_INDETERMINATE);
    chipcheck_evaluator_free(ev);
    /* a short name is decided normally */
    d = chipcheck_check_json(r, "{\"date\":\"2024-06-01\",\"destination\":\"CN\",\"chip\":{\"name\":\"aaaa\"}}", NULL, &err);
    CU_ASSERT_EQUAL(chipcheck_decision_verdict(d), CHIPCHECK_LICENSE_REQUIRED);
    chipcheck_decision_free(d);
    chipcheck_rules_free(r);
}

/* A scratch rules directory holding one valid rule file, a.xml. */
static void scratch_dir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/chipcheck-unit.XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    CU_ASSERT_EQUAL_FATAL(chmod(dir, 0755), 0);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cp rules/hostile/long-catalog-names/a.xml %s/a.xml", dir);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
}

static void remove_dir(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx %s && rm -rf %s", dir, dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

/* Load dir; expect failure with this status, the source ending in tail, and this message. */
static void load_fails(const char *dir, int code, const char *tail, const char *message)
{
    chipcheck_error err;
    chipcheck_rules *r = chipcheck_rules_load_dir(dir, &err);
    CU_ASSERT_PTR_NULL(r);
    chipcheck_rules_free(r);
    size_t sl = strlen(err.source), tl = strlen(tail);
    CU_ASSERT_EQUAL(err.code, code);
    CU_ASSERT_TRUE(sl >= tl && !strcmp(err.source + sl - tl, tail));
    CU_ASSERT_STRING_EQUAL(err.message, message);
    if (err.code != code || strcmp(err.message, message) != 0)
        fprintf(stderr, "\n%s: got %s %s: %s\n", dir, chipcheck_status_name(err.code), err.source, err.message);
}

/* Issue 9, items 4 and 8: an entry of a rules directory that cannot be read is an error naming it (a
 * dangling symlink for a version was skipped, and the versions before it decided); a FIFO is refused
 * without blocking; symbolic-link loops are walked once; nesting past 16 levels is an error. */
static void test_rules_load_dir_entries_fail_closed(void)
{
    char dir[64], path[256];
    scratch_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/b.xml", dir);
    CU_ASSERT_EQUAL(symlink("no-such-version.xml", path), 0);
    load_fails(dir, CHIPCHECK_ERR_IO, "/b.xml", "cannot read this entry of the rules directory: No such file or directory");
    unlink(path);
    /* a dangling symlink that could be a directory of rules */
    snprintf(path, sizeof path, "%s/us-ear", dir);
    CU_ASSERT_EQUAL(symlink("/nonexistent/us-ear", path), 0);
    load_fails(dir, CHIPCHECK_ERR_IO, "/us-ear", "cannot read this entry of the rules directory: No such file or directory");
    unlink(path);
    /* a FIFO: refused at once, by the directory walk and by a file list */
    snprintf(path, sizeof path, "%s/x.xml", dir);
    CU_ASSERT_EQUAL(mkfifo(path, 0644), 0);
    load_fails(dir, CHIPCHECK_ERR_IO, "/x.xml", "is not a regular file");
    const char *files[] = {path};
    chipcheck_error err;
    CU_ASSERT_PTR_NULL(chipcheck_rules_load_files(files, 1, &err));
    CU_ASSERT_STRING_EQUAL(err.message, "is not a regular file");
    unlink(path);
    CU_ASSERT_PTR_NULL(chipcheck_rules_load_files((const char *[]){"/dev/zero"}, 1, &err));
    CU_ASSERT_STRING_EQUAL(err.message, "is not a regular file");
    CU_ASSERT_PTR_NULL(chipcheck_rules_load_files((const char *[]){NULL}, 1, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_ARG);
    CU_ASSERT_STRING_EQUAL(err.message, "paths[0] is NULL");
    /* three links back to the directory itself: each directory is walked once, one version loads */
    for (int i = 1; i <= 3; i++) {
        snprintf(path, sizeof path, "%s/l%d", dir, i);
        CU_ASSERT_EQUAL(symlink(".", path), 0);
    }
    chipcheck_rules *r = chipcheck_rules_load_dir(dir, &err);
    CU_ASSERT_PTR_NOT_NULL(r);
    CU_ASSERT_EQUAL(chipcheck_rules_count(r), 1);
    chipcheck_rules_free(r);
    /* 17 nested directories */
    snprintf(path, sizeof path, "%s", dir);
    for (int i = 0; i < 17; i++) {
        strcat(path, "/d");
        CU_ASSERT_EQUAL(mkdir(path, 0755), 0);
    }
    load_fails(dir, CHIPCHECK_ERR_IO, "/d/d", "directories nested more than 16 deep");
    snprintf(path, sizeof path, "%s/d", dir);
    remove_dir(path);
    /* (a subdirectory that can be listed but not searched needs an ordinary user: see the CLI case
     * rules-dir-unsearchable, which runs the command as one) */
    remove_dir(dir);
}

int register_rules_load_suite(void)
{
    CU_pSuite s = CU_add_suite("rules_load", NULL, NULL);
    if (!s)
        return -1;
    ADD_TEST(s, test_rules_load_invalid_cases);
    ADD_TEST(s, test_rules_load_dir_equals_bundled);
    ADD_TEST(s, test_rules_load_timeline_is_ordered);
    ADD_TEST(s, test_rules_load_catalog_lookup);
    ADD_TEST(s, test_rules_load_missing_dir_is_io_error);
    ADD_TEST(s, test_rules_load_version_json_describes_resolved_rules);
    ADD_TEST(s, test_rules_load_catastrophic_pattern_is_bounded);
    ADD_TEST(s, test_rules_load_dir_entries_fail_closed);
    return 0;
}
