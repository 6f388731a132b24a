/*
 * suggest.c: "did you mean ...?" for the closed sets of the command: commands, options, option values and
 * CSV columns. The command is a client of include/chipcheck.h only, so it keeps its own copy of the
 * library's edit distance (lib/util.c near_distance(): the same measure, so both suggest alike).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int suggest_distance(const char *word, const char *cand, size_t cand_len)
{
    char a[64], b[64];
    size_t n = strlen(word), m = cand_len;
    if (n == 0 || m == 0 || n >= sizeof a || m >= sizeof b)
        return 99;
    for (size_t i = 0; i < n; i++)
        a[i] = (char)tolower((unsigned char)word[i]);
    for (size_t j = 0; j < m; j++)
        b[j] = (char)tolower((unsigned char)cand[j]);
    if (n == m && memcmp(a, b, n) == 0)
        return 0;
    /* an abbreviation: "dest" for "destination" (past the dashes of an option) */
    size_t dashes = strspn(word, "-");
    if (n - dashes >= 3 && n < m && memcmp(a, b, n) == 0)
        return 1;
    int d[3][64]; /* optimal string alignment, rows i-2, i-1, i (mod 3) */
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        int *cur = d[i % 3], *prev = d[(i - 1) % 3], *prev2 = d[(i + 1) % 3];
        cur[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (prev[j - 1] + (a[i - 1] != b[j - 1]) < v)
                v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
        }
    }
    return d[n % 3][m];
}

void suggest(const char *word, const char *const *cands, size_t ncands, char *out, size_t outsz)
{
    enum { MAX = 3 };
    const char *best[MAX];
    size_t bestlen[MAX], nbest = 0;
    size_t wlen = strlen(word) - strspn(word, "-");
    int limit = wlen >= 6 ? (int)(wlen / 3) : 1, dist = limit + 1;
    out[0] = '\0';
    for (size_t c = 0; c < ncands; c++) {
        /* "shown other spellings...": every spelling is matched, the first is shown */
        const char *shown = cands[c];
        size_t shown_len = strcspn(shown, " ");
        int d = 99;
        for (const char *p = shown; *p; p += strspn(p, " ")) {
            size_t len = strcspn(p, " ");
            int k = suggest_distance(word, p, len);
            d = k < d ? k : d;
            p += len;
        }
        if (d > limit || d > dist)
            continue;
        if (d < dist) {
            dist = d;
            nbest = 0;
        }
        if (nbest < MAX) {
            best[nbest] = shown;
            bestlen[nbest++] = shown_len;
        }
    }
    size_t used = 0;
    for (size_t i = 0; i < nbest && used < outsz; i++) {
        int k = snprintf(out + used, outsz - used, "%s%.*s%s", i == 0 ? "did you mean " : i + 1 == nbest ? " or " : ", ",
                         (int)bestlen[i], best[i], i + 1 == nbest ? "?" : "");
        used += k > 0 ? (size_t)k : 0;
    }
}

/* Print the versions nearest to want ("ID@VERSION" or "ID") as a hint line: for a known regime, the version
 * in force on the date written as the version, else the nearest spellings. */
void ruleset_hint(const chipcheck_rules *r, const char *want)
{
    const char *at = strchr(want, '@');
    size_t n = chipcheck_rules_count(r), rl = at != NULL ? (size_t)(at - want) : strlen(want);
    const char *ids[64], *in_force = NULL, *regime = NULL, *first = NULL;
    size_t nids = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id, *ver, *eff;
        if (chipcheck_rules_info(r, i, &id, &ver, &eff, NULL, NULL) != CHIPCHECK_OK)
            continue;
        if (nids == 0 || strcmp(ids[nids - 1], id) != 0)
            if (nids < sizeof ids / sizeof ids[0])
                ids[nids++] = id;
        if (strlen(id) != rl || strncmp(id, want, rl) != 0)
            continue;
        regime = id;
        if (first == NULL)
            first = eff;
        /* versions are dated: the latest effective on or before the date asked for */
        if (at != NULL && strcmp(eff, at + 1) <= 0 && strlen(at + 1) == 10)
            in_force = ver;
    }
    char near[256];
    if (regime != NULL && in_force != NULL) {
        snprintf(near, sizeof near, "did you mean %s@%s (the version in force on %s)?", regime, in_force, at + 1);
    } else if (regime == NULL) {
        char word[128];
        snprintf(word, sizeof word, "%.*s", (int)(rl < sizeof word ? rl : sizeof word - 1), want);
        suggest(word, ids, nids, near, sizeof near);
    } else if (at != NULL && first != NULL && strlen(at + 1) == 10 && strcmp(at + 1, first) < 0) {
        snprintf(near, sizeof near, "The first version of %s is effective %s.", regime, first);
    } else {
        near[0] = '\0';
    }
    fprintf(stderr, "chipcheck: %s%s `chipcheck rules list` for the versions loaded\n", near, near[0] ? " See" : "see");
}
