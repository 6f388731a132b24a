/*
 * catalog.c: the chip catalog (the JSON files under rules/chips/): known chips with their public figures, sources and
 * provenance, so that a shipment can name "H20" instead of giving a spec. Strictly validated like a
 * shipment's chip: unknown keys, wrong types and impossible numbers are errors.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

void catalog_free_chip(cat_chip *c)
{
    free(c->name); free(c->vendor); free(c->part_number); free(c->kind);
    for (size_t i = 0; i < c->naliases; i++) free(c->aliases[i]);
    free(c->aliases);
    for (size_t i = 0; i < c->ntp; i++) free((char *)(uintptr_t)c->tp[i].precision);
    free(c->tp);
    for (size_t i = 0; i < c->nkeys; i++) free(c->keys[i]);
    free(c->keys);
    for (size_t i = 0; i < c->nsources; i++) free(c->sources[i]);
    free(c->sources);
    free(c->source_kind); free(c->as_of); free(c->json);
}

static int cerr(chipcheck_error *err, const char *path, const char *chip, const char *field, const char *msg)
{
    return err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, field, "chip '%s': %s: %s", chip ? chip : "?", field, msg);
}

/* The figures a catalog chip may give, in the order of the bits of a figure mask: the numbers (as
 * F_TPP .. F_HBM_DENSITY), then the throughput list and the datacenter flag. */
enum { FIG_THROUGHPUT = F_NUMBER_COUNT, FIG_DATACENTER, FIG_COUNT };
static const char *const figure_names[FIG_COUNT] = {"tpp", "die_area_mm2", "memory_bandwidth_gbs",
                                                    "interconnect_bandwidth_gbs", "hbm_bandwidth_density",
                                                    "throughput", "datacenter"};
#define FIGURE_LIST "tpp, die_area_mm2, memory_bandwidth_gbs, interconnect_bandwidth_gbs, " \
                    "hbm_bandwidth_density, throughput, datacenter"

static int figure_index(const char *s)
{
    for (int i = 0; i < FIG_COUNT; i++)
        if (!strcmp(s, figure_names[i]))
            return i;
    return -1;
}

/* The first key that an object holds twice, or NULL. */
static const char *duplicate_key(const cJSON *o)
{
    for (const cJSON *x = o->child; x; x = x->next)
        for (const cJSON *y = x->next; y; y = y->next)
            if (x->string && y->string && !strcmp(x->string, y->string))
                return x->string;
    return NULL;
}

static int strings(const cJSON *a, char ***out, size_t *n)
{
    if (!cJSON_IsArray(a))
        return -1;
    size_t cnt = (size_t)cJSON_GetArraySize(a);
    *out = calloc(cnt + 1, sizeof **out);
    if (!*out)
        return -1;
    const cJSON *it;
    cJSON_ArrayForEach(it, a) {
        if (!cJSON_IsString(it) || !it->valuestring[0])
            return -1;
        (*out)[(*n)++] = xstrdup(it->valuestring);
    }
    return 0;
}

static int parse_throughput(const cJSON *it, cat_chip *c, const char *path, chipcheck_error *err)
{
    if (!cJSON_IsArray(it))
        return cerr(err, path, c->name, "throughput", "must be an array");
    c->tp = calloc((size_t)cJSON_GetArraySize(it) + 1, sizeof *c->tp);
    if (!c->tp)
        return err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
    const cJSON *t;
    cJSON_ArrayForEach(t, it) {
        const cJSON *pr = cJSON_GetObjectItemCaseSensitive(t, "precision");
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(t, "tops");
        const cJSON *bi = cJSON_GetObjectItemCaseSensitive(t, "bits");
        const cJSON *sp = cJSON_GetObjectItemCaseSensitive(t, "sparse");
        if (!cJSON_IsString(pr) || !throughput_bits(pr->valuestring) || !cJSON_IsNumber(to) ||
            !isfinite(to->valuedouble) || to->valuedouble < 0 ||
            (bi && (!cJSON_IsNumber(bi) || bi->valuedouble != throughput_bits(pr->valuestring))) ||
            (sp && !cJSON_IsBool(sp)))
            return cerr(err, path, c->name, "throughput", "each entry needs a known precision, tops >= 0, matching bits");
        chipcheck_throughput *ct = &c->tp[c->ntp++];
        ct->precision = xstrdup(pr->valuestring);
        ct->tops = to->valuedouble;
        ct->bits = throughput_bits(pr->valuestring);
        ct->sparse = cJSON_IsTrue(sp);
    }
    return 0;
}

/* One entry of "figure_sources": {"for": [figure names], "source": "...", "url": "...", "as_of": "YYYY-MM-DD",
 * "note": "..."}, url and note optional. Adds the figures it covers to *covered. */
static int parse_figure_source(const cJSON *s, const cat_chip *c, unsigned *covered, const char *path,
                               chipcheck_error *err)
{
    static const char *const field = "figure_sources";
    char msg[256];
    if (!cJSON_IsObject(s))
        return cerr(err, path, c->name, field, "each entry must be an object with for, source and as_of");
    const char *dup = duplicate_key(s);
    if (dup) {
        snprintf(msg, sizeof msg, "an entry has '%.40s' twice", dup);
        return cerr(err, path, c->name, field, msg);
    }
    unsigned mask = 0;
    int have_source = 0, have_date = 0;
    for (const cJSON *k = s->child; k; k = k->next) {
        if (!strcmp(k->string, "for")) {
            if (!cJSON_IsArray(k) || !cJSON_GetArraySize(k))
                return cerr(err, path, c->name, field, "for: must be a non-empty array of figure names");
            const cJSON *f;
            cJSON_ArrayForEach(f, k) {
                int fig = cJSON_IsString(f) ? figure_index(f->valuestring) : -1;
                if (fig < 0) {
                    snprintf(msg, sizeof msg, "for: '%.40s' is not a figure (known: " FIGURE_LIST ")",
                             cJSON_IsString(f) ? f->valuestring : "(not a string)");
                    return cerr(err, path, c->name, field, msg);
                }
                mask |= 1u << fig;
            }
        } else if (!strcmp(k->string, "source") || !strcmp(k->string, "url") || !strcmp(k->string, "note")) {
            if (!cJSON_IsString(k) || !k->valuestring[0]) {
                snprintf(msg, sizeof msg, "%s: must be a non-empty string", k->string);
                return cerr(err, path, c->name, field, msg);
            }
            have_source |= !strcmp(k->string, "source");
        } else if (!strcmp(k->string, "as_of")) {
            if (!cJSON_IsString(k) || !date_parse(k->valuestring)) {
                snprintf(msg, sizeof msg, "as_of: '%.40s' is not a real date (YYYY-MM-DD)",
                         cJSON_IsString(k) ? k->valuestring : "(not a string)");
                return cerr(err, path, c->name, field, msg);
            }
            have_date = 1;
        } else {
            snprintf(msg, sizeof msg, "unknown key '%.40s' (known: for, source, url, as_of, note)", k->string);
            return cerr(err, path, c->name, field, msg);
        }
    }
    if (!mask || !have_source || !have_date)
        return cerr(err, path, c->name, field, "each entry needs for, source and as_of");
    *covered |= mask;
    return 0;
}

/* Every figure the chip gives has a source with its as-of date, and no source names a figure it lacks. */
static int check_figure_sources(const cJSON *fs, const cat_chip *c, const char *path, chipcheck_error *err)
{
    unsigned given = 0, covered = 0;
    for (int i = 0; i < F_NUMBER_COUNT; i++)
        if (c->have[i])
            given |= 1u << i;
    if (c->ntp)
        given |= 1u << FIG_THROUGHPUT;
    if (c->datacenter >= 0)
        given |= 1u << FIG_DATACENTER;
    if (fs && !cJSON_IsArray(fs))
        return cerr(err, path, c->name, "figure_sources", "must be an array of objects");
    const cJSON *s;
    cJSON_ArrayForEach(s, fs) {
        if (parse_figure_source(s, c, &covered, path, err) != 0)
            return -1;
    }
    for (int i = 0; i < FIG_COUNT; i++) {
        char msg[200];
        if ((given & ~covered) >> i & 1u) {
            snprintf(msg, sizeof msg, "%s is given without a source: every figure needs an entry in "
                                      "figure_sources (for, source, as_of)", figure_names[i]);
            return cerr(err, path, c->name, "figure_sources", msg);
        }
        if ((covered & ~given) >> i & 1u) {
            snprintf(msg, sizeof msg, "names %s, which the chip does not give", figure_names[i]);
            return cerr(err, path, c->name, "figure_sources", msg);
        }
    }
    return 0;
}

static int parse_string_field(const cJSON *it, cat_chip *c, const char *path, chipcheck_error *err)
{
    const char *k = it->string;
    if (!cJSON_IsString(it))
        return cerr(err, path, c->name, k, "must be a string");
    char **dst = !strcmp(k, "vendor") ? &c->vendor : !strcmp(k, "part_number") ? &c->part_number
               : !strcmp(k, "kind") ? &c->kind : !strcmp(k, "source_kind") ? &c->source_kind : &c->as_of;
    *dst = xstrdup(it->valuestring);
    return 0;
}

static int parse_chip(const cJSON *o, cat_chip *c, const char *path, chipcheck_error *err)
{
    const cJSON *nm = cJSON_GetObjectItemCaseSensitive(o, "name");
    if (!cJSON_IsString(nm) || !nm->valuestring[0])
        return cerr(err, path, "?", "name", "every catalog chip needs a non-empty string name");
    c->name = xstrdup(nm->valuestring);
    c->datacenter = -1;
    const char *dup = duplicate_key(o);
    if (dup)
        return cerr(err, path, c->name, dup, "appears twice in the same chip");
    const cJSON *it;
    cJSON_ArrayForEach(it, o) {
        const char *k = it->string;
        int num = figure_index(k);
        if (num >= 0 && num < F_NUMBER_COUNT) {
            if (cJSON_IsNull(it))
                continue;
            if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || it->valuedouble < 0)
                return cerr(err, path, c->name, k, "must be a finite number >= 0 or null");
            c->num[num] = it->valuedouble;
            c->have[num] = 1;
        } else if (!strcmp(k, "name") || !strcmp(k, "figure_sources")) {
            /* the name is read above; figure_sources is checked once every figure is known */
        } else if (!strcmp(k, "note")) {
            if (!cJSON_IsString(it))
                return cerr(err, path, c->name, k, "must be a string");
        } else if (!strcmp(k, "vendor") || !strcmp(k, "part_number") || !strcmp(k, "kind") ||
                   !strcmp(k, "source_kind") || !strcmp(k, "as_of")) {
            if (parse_string_field(it, c, path, err) != 0)
                return -1;
        } else if (!strcmp(k, "datacenter")) {
            if (cJSON_IsNull(it))
                continue;
            if (!cJSON_IsBool(it))
                return cerr(err, path, c->name, k, "must be true, false or null");
            c->datacenter = cJSON_IsTrue(it);
        } else if (!strcmp(k, "aliases") || !strcmp(k, "sources")) {
            int al = !strcmp(k, "aliases");
            if (strings(it, al ? &c->aliases : &c->sources, al ? &c->naliases : &c->nsources) != 0)
                return cerr(err, path, c->name, k, "must be an array of non-empty strings");
        } else if (!strcmp(k, "throughput")) {
            if (parse_throughput(it, c, path, err) != 0)
                return -1;
        } else {
            return cerr(err, path, c->name, k, "unknown key in a catalog chip");
        }
    }
    if (c->kind && strcmp(c->kind, "accelerator") != 0 && strcmp(c->kind, "hbm") != 0)
        return cerr(err, path, c->name, "kind", "must be \"accelerator\" or \"hbm\"");
    if (c->have[F_DIE_AREA] && c->num[F_DIE_AREA] == 0)
        return cerr(err, path, c->name, "die_area_mm2", "must be greater than 0");
    if (!c->nsources)
        return cerr(err, path, c->name, "sources", "every catalog chip needs at least one source");
    if (check_figure_sources(cJSON_GetObjectItemCaseSensitive(o, "figure_sources"), c, path, err) != 0)
        return -1;
    c->json = cJSON_PrintUnformatted(o);
    return c->json ? 0 : err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
}

/* One entry of the top-level "ambiguous" list: {"name": "MI300", "candidates": ["MI300A", "MI300X"], "note": ...}.
 * The candidates are resolved by catalog_check() once every catalog file is read. */
static int parse_ambiguous(const cJSON *o, chipcheck_rules *r, const char *path, chipcheck_error *err)
{
    const cJSON *nm = cJSON_GetObjectItemCaseSensitive(o, "name");
    const cJSON *cs = cJSON_GetObjectItemCaseSensitive(o, "candidates");
    const char *who = cJSON_IsString(nm) ? nm->valuestring : "?";
    char key[128];
    chip_key(cJSON_IsString(nm) ? nm->valuestring : "", key, sizeof key);
    if (!cJSON_IsObject(o) || !key[0] || duplicate_key(o))
        return err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, "ambiguous",
                       "ambiguous '%.60s': each entry needs a name (once) with letters or digits", who);
    for (const cJSON *k = o->child; k; k = k->next)
        if (strcmp(k->string, "name") && strcmp(k->string, "candidates") &&
            (strcmp(k->string, "note") || !cJSON_IsString(k)))
            return err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, "ambiguous",
                           "ambiguous '%.60s': unknown or malformed key '%.40s' (known: name, candidates, note)",
                           who, k->string);
    cat_ambiguous *a = &r->ambiguous[r->nambiguous++];
    memset(a, 0, sizeof *a);
    a->name = xstrdup(nm->valuestring);
    a->key = xstrdup(key);
    a->path = xstrdup(path);
    if (!a->name || !a->key || !a->path)
        return err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
    if (strings(cs, &a->candidates, &a->ncandidates) != 0 || a->ncandidates < 2)
        return err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, "ambiguous",
                       "ambiguous '%.60s': candidates must be an array of two or more chip names", a->name);
    return 0;
}

/* The keys of a catalog file besides "chips": "note" (a string) and "ambiguous" (a list). */
static int parse_top(const cJSON *root, chipcheck_rules *r, const char *path, chipcheck_error *err)
{
    const char *dup = duplicate_key(root);
    if (dup)
        return err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, dup, "%.40s appears twice in the catalog file", dup);
    for (const cJSON *k = root->child; k; k = k->next) {
        if (!strcmp(k->string, "chips"))
            continue;
        if (!strcmp(k->string, "note") && cJSON_IsString(k))
            continue;
        if (strcmp(k->string, "ambiguous") != 0)
            return err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, k->string,
                           "'%.40s' is not a catalog file key, or has the wrong type (known: note, chips, ambiguous)",
                           k->string);
        if (!cJSON_IsArray(k))
            return err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, "ambiguous", "ambiguous: must be an array of objects");
        size_t add = (size_t)cJSON_GetArraySize(k);
        cat_ambiguous *na = realloc(r->ambiguous, (r->nambiguous + add + 1) * sizeof *na);
        if (!na)
            return err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
        r->ambiguous = na;
        const cJSON *o;
        cJSON_ArrayForEach(o, k) {
            if (parse_ambiguous(o, r, path, err) != 0)
                return -1;
        }
    }
    return 0;
}

int catalog_parse(chipcheck_rules *r, const char *path, const unsigned char *data, size_t len, chipcheck_error *err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts((const char *)data, len, &end, 0);
    if (!root) {
        long off = end ? (long)(end - (const char *)data) : -1;
        int line = 1, col = 1;
        for (long i = 0; i < off; i++, col++)
            if (data[i] == '\n') {
                line++;
                col = 0;
            }
        int rc = err_set(err, CHIPCHECK_ERR_PARSE, path, line, col, NULL, "malformed JSON");
        if (err)
            err->offset = off;
        return rc;
    }
    const cJSON *chips = cJSON_GetObjectItemCaseSensitive(root, "chips");
    int rc = 0;
    if (!cJSON_IsArray(chips)) {
        rc = err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, "chips", "a catalog file needs a \"chips\" array");
        goto done;
    }
    if ((rc = parse_top(root, r, path, err)) != 0)
        goto done;
    size_t add = (size_t)cJSON_GetArraySize(chips);
    cat_chip *nc = realloc(r->chips, (r->nchips + add + 1) * sizeof *nc);
    if (!nc) {
        rc = err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
        goto done;
    }
    r->chips = nc;
    const cJSON *o;
    cJSON_ArrayForEach(o, chips) {
        cat_chip *c = &r->chips[r->nchips++];
        memset(c, 0, sizeof *c);
        if (!cJSON_IsObject(o)) {
            rc = err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, "chips", "every catalog entry must be an object");
            goto done;
        }
        if ((rc = parse_chip(o, c, path, err)) != 0)
            goto done;
        /* lookup keys of the name and aliases, unique across the catalog */
        c->keys = calloc(c->naliases + 1, sizeof *c->keys);
        if (!c->keys) {
            rc = err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
            goto done;
        }
        for (size_t a = 0; a <= c->naliases; a++) {
            const char *nm = a == 0 ? c->name : c->aliases[a - 1];
            char key[128];
            chip_key(nm, key, sizeof key);
            int dup = 0; /* two spellings of one chip ("RTX 4090D", "RTX 4090 D") share a key */
            for (size_t j = 0; j < r->nchips; j++)
                for (size_t b = 0; b < r->chips[j].nkeys; b++) {
                    if (strcmp(key, r->chips[j].keys[b]) != 0)
                        continue;
                    if (&r->chips[j] == c) {
                        dup = 1;
                        continue;
                    }
                    rc = err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, "name",
                                 "chip name or alias '%s' is already used by '%s'", nm, r->chips[j].name);
                    goto done;
                }
            if (dup)
                continue;
            if (!(c->keys[c->nkeys++] = xstrdup(key))) {
                rc = err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
                goto done;
            }
        }
    }
done:
    cJSON_Delete(root);
    return rc;
}

const cat_chip *catalog_find(const chipcheck_rules *r, const char *name)
{
    char key[128];
    chip_key(name, key, sizeof key);
    if (!key[0])
        return NULL;
    for (size_t i = 0; i < r->nchips; i++)
        for (size_t k = 0; k < r->chips[i].nkeys; k++)
            if (!strcmp(key, r->chips[i].keys[k]))
                return &r->chips[i];
    return NULL;
}

void catalog_free_ambiguous(chipcheck_rules *r)
{
    for (size_t i = 0; i < r->nambiguous; i++) {
        cat_ambiguous *a = &r->ambiguous[i];
        free(a->name); free(a->key); free(a->path); free(a->chip);
        for (size_t j = 0; j < a->ncandidates; j++) free(a->candidates[j]);
        free(a->candidates);
    }
    free(r->ambiguous);
    r->ambiguous = NULL;
    r->nambiguous = 0;
}

int catalog_check(chipcheck_rules *r, chipcheck_error *err)
{
    for (size_t i = 0; i < r->nambiguous; i++) {
        cat_ambiguous *a = &r->ambiguous[i];
        const cat_chip *same = catalog_find(r, a->name);
        if (same)
            return err_set(err, CHIPCHECK_ERR_INPUT, a->path, 0, 0, "ambiguous",
                           "ambiguous '%.60s' is also the name or an alias of '%.60s'", a->name, same->name);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(a->key, r->ambiguous[j].key))
                return err_set(err, CHIPCHECK_ERR_INPUT, a->path, 0, 0, "ambiguous",
                               "ambiguous '%.60s' is declared twice (also as '%.60s')", a->name, r->ambiguous[j].name);
        if (!(a->chip = calloc(a->ncandidates, sizeof *a->chip)))
            return err_set(err, CHIPCHECK_ERR_NOMEM, a->path, 0, 0, NULL, "out of memory");
        for (size_t j = 0; j < a->ncandidates; j++) {
            const cat_chip *c = catalog_find(r, a->candidates[j]);
            if (!c)
                return err_set(err, CHIPCHECK_ERR_INPUT, a->path, 0, 0, "ambiguous",
                               "ambiguous '%.60s': candidate '%.60s' is no catalog chip", a->name, a->candidates[j]);
            a->chip[j] = (size_t)(c - r->chips);
            for (size_t k = 0; k < j; k++)
                if (a->chip[k] == a->chip[j])
                    return err_set(err, CHIPCHECK_ERR_INPUT, a->path, 0, 0, "ambiguous",
                                   "ambiguous '%.60s': candidates '%.60s' and '%.60s' are the same chip", a->name,
                                   a->candidates[k], a->candidates[j]);
        }
    }
    return 0;
}

const cat_chip *catalog_lookup(const chipcheck_rules *r, const char *name, const char *src, const char *prefix,
                               const char *hint, chipcheck_error *err)
{
    const cat_chip *c = catalog_find(r, name);
    if (c)
        return c;
    char key[128];
    chip_key(name, key, sizeof key);
    for (size_t i = 0; key[0] && i < r->nambiguous; i++) {
        const cat_ambiguous *a = &r->ambiguous[i];
        if (strcmp(key, a->key) != 0 || !a->chip)
            continue;
        char list[200] = "";
        size_t len = 0;
        for (size_t j = 0; j < a->ncandidates && len < sizeof list; j++) {
            int n = snprintf(list + len, sizeof list - len, "%s%s", j ? ", " : "", r->chips[a->chip[j]].name);
            len += n > 0 ? (size_t)n : 0;
        }
        err_set(err, CHIPCHECK_ERR_NOT_FOUND, src, 0, 0, "chip", "%s'%.60s' is ambiguous: it could be %s; name one of them",
                prefix, name, list);
        return NULL;
    }
    err_set(err, CHIPCHECK_ERR_NOT_FOUND, src, 0, 0, "chip", "%sno catalog chip is named '%.60s'%s", prefix, name, hint);
    return NULL;
}

size_t chipcheck_rules_chip_count(const chipcheck_rules *r) { return r ? r->nchips : 0; }

const char *chipcheck_rules_chip_name(const chipcheck_rules *r, size_t i)
{
    return r && i < r->nchips ? r->chips[i].name : NULL;
}

char *chipcheck_rules_chip_json(const chipcheck_rules *r, const char *name, chipcheck_error *err)
{
    err_clear(err);
    if (!r || !name) {
        err_set(err, CHIPCHECK_ERR_ARG, "", 0, 0, NULL, "rules and name must not be NULL");
        return NULL;
    }
    const cat_chip *c = catalog_lookup(r, name, "<catalog>", "", "", err);
    if (!c)
        return NULL;
    char *s = xstrdup(c->json);
    if (!s)
        err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
    return s;
}
