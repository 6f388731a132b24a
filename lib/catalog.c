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

#define CAT_MAX_TEXT 1024   /* bytes of a name, alias, vendor, ... (a shipment's chip name is at most that) */
#define CAT_MAX_NOTE 65536  /* bytes of a note or a source */

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

/* A string value as a catalog holds it: a usable text (util.c: text_problem()); free text (notes, sources)
 * may hold line breaks. Returns 0, or an error naming the chip and field. */
static int cat_text(const cJSON *v, const char *path, const char *chip, const char *field, int free_text,
                    chipcheck_error *err)
{
    char why[96];
    if (!cJSON_IsString(v))
        return cerr(err, path, chip, field, "must be a string");
    if (text_problem(v->valuestring, free_text ? CAT_MAX_NOTE : CAT_MAX_TEXT, free_text, why, sizeof why))
        return cerr(err, path, chip, field, why);
    return 0;
}

static int strings(const cJSON *a, char ***out, size_t *n, const char *path, const char *chip, const char *field,
                   int free_text, chipcheck_error *err)
{
    if (!cJSON_IsArray(a))
        return cerr(err, path, chip, field, "must be an array of strings");
    size_t cnt = (size_t)cJSON_GetArraySize(a);
    *out = calloc(cnt + 1, sizeof **out);
    if (!*out)
        return err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
    const cJSON *it;
    cJSON_ArrayForEach(it, a) {
        if (cat_text(it, path, chip, field, free_text, err))
            return -1;
        if (!((*out)[(*n)++] = xstrdup(it->valuestring)))
            return err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
    }
    return 0;
}

static int parse_throughput(const cJSON *it, cat_chip *c, const char *path, chipcheck_error *err)
{
    static const char *const keys[] = {"precision", "tops", "bits", "sparse"};
    if (!cJSON_IsArray(it))
        return cerr(err, path, c->name, "throughput", "must be an array");
    c->tp = calloc((size_t)cJSON_GetArraySize(it) + 1, sizeof *c->tp);
    if (!c->tp)
        return err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
    const cJSON *t;
    cJSON_ArrayForEach(t, it) {
        const cJSON *v[4] = {NULL, NULL, NULL, NULL};
        uint64_t seen = 0;
        int bad = !cJSON_IsObject(t);
        for (const cJSON *e = bad ? NULL : t->child; e && !bad; e = e->next) {
            int k = json_key_slot(e, keys, 4, &seen);
            bad = k < 0;
            if (!bad)
                v[k] = e;
        }
        int bits = cJSON_IsString(v[0]) ? throughput_bits(v[0]->valuestring) : 0;
        if (bad || !bits || !cJSON_IsNumber(v[1]) || !isfinite(v[1]->valuedouble) || v[1]->valuedouble < 0 ||
            (v[2] && (!cJSON_IsNumber(v[2]) || v[2]->valuedouble != bits)) || (v[3] && !cJSON_IsBool(v[3])))
            return cerr(err, path, c->name, "throughput", "each entry is {precision, tops, bits, sparse} with a known "
                        "precision, tops >= 0 and matching bits");
        chipcheck_throughput *ct = &c->tp[c->ntp++];
        if (!(ct->precision = xstrdup(v[0]->valuestring)))
            return err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
        ct->tops = v[1]->valuedouble;
        ct->bits = bits;
        ct->sparse = cJSON_IsTrue(v[3]);
    }
    return 0;
}

/* One entry of "figure_sources": {"for": [figure names], "source": "...", "url": "...", "as_of": "YYYY-MM-DD",
 * "note": "..."}, url and note optional. Adds the figures it covers to *covered. */
static int parse_figure_source(const cJSON *s, const cat_chip *c, unsigned *covered, const char *path,
                               chipcheck_error *err)
{
    static const char *const field = "figure_sources";
    static const char *const keys[] = {"for", "source", "url", "note", "as_of"};
    char msg[256];
    if (!cJSON_IsObject(s))
        return cerr(err, path, c->name, field, "each entry must be an object with for, source and as_of");
    unsigned mask = 0;
    int have_source = 0, have_date = 0;
    uint64_t seen = 0;
    for (const cJSON *k = s->child; k; k = k->next) {
        int slot = json_key_slot(k, keys, sizeof keys / sizeof keys[0], &seen);
        if (slot == JSON_KEY_REPEATED) {
            snprintf(msg, sizeof msg, "an entry has '%.40s' twice", k->string);
            return cerr(err, path, c->name, field, msg);
        }
        if (slot == 0) {
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
        } else if (slot >= 1 && slot <= 3) {
            snprintf(msg, sizeof msg, "figure_sources.%s", k->string);
            if (cat_text(k, path, c->name, msg, 1, err))
                return -1;
            have_source |= slot == 1;
        } else if (slot == 4) {
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

/* One member of a catalog chip; k is its index in parse_chip's keys. */
static int chip_member(const cJSON *it, int k, cat_chip *c, const char *path, chipcheck_error *err)
{
    const char *key = it->string;
    char **strs[] = {&c->vendor, &c->part_number, &c->kind, &c->source_kind, &c->as_of};
    if (k < F_NUMBER_COUNT) {
        if (cJSON_IsNull(it))
            return 0;
        if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || it->valuedouble < 0)
            return cerr(err, path, c->name, key, "must be a finite number >= 0 or null");
        c->num[k] = it->valuedouble;
        c->have[k] = 1;
        return 0;
    }
    k -= F_NUMBER_COUNT;
    if (k == 0) /* name: read first */
        return 0;
    if (k == 1)
        return cat_text(it, path, c->name, key, 1, err);
    if (k < 7) {
        if (cat_text(it, path, c->name, key, 0, err))
            return -1;
        return (*strs[k - 2] = xstrdup(it->valuestring)) ? 0 : err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL,
                                                                         "out of memory");
    }
    if (k == 7) {
        if (!cJSON_IsNull(it) && !cJSON_IsBool(it))
            return cerr(err, path, c->name, key, "must be true, false or null");
        c->datacenter = cJSON_IsNull(it) ? -1 : cJSON_IsTrue(it);
        return 0;
    }
    if (k == 8)
        return strings(it, &c->aliases, &c->naliases, path, c->name, key, 0, err);
    if (k == 9)
        return strings(it, &c->sources, &c->nsources, path, c->name, key, 1, err);
    if (k == 11) /* figure_sources: checked once every figure is known */
        return 0;
    return parse_throughput(it, c, path, err);
}

static int parse_chip(const cJSON *o, cat_chip *c, const char *path, chipcheck_error *err)
{
    static const char *const keys[] = {"tpp", "die_area_mm2", "memory_bandwidth_gbs", "interconnect_bandwidth_gbs",
                                       "hbm_bandwidth_density", "name", "note", "vendor", "part_number", "kind",
                                       "source_kind", "as_of", "datacenter", "aliases", "sources", "throughput",
                                       "figure_sources"};
    const cJSON *nm = cJSON_GetObjectItemCaseSensitive(o, "name");
    if (!nm)
        return cerr(err, path, "?", "name", "every catalog chip needs a name");
    if (cat_text(nm, path, "?", "name", 0, err))
        return -1;
    if (!(c->name = xstrdup(nm->valuestring)))
        return err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
    c->datacenter = -1;
    uint64_t seen = 0;
    for (const cJSON *it = o->child; it; it = it->next) { /* each key checked once: linear in the object */
        int k = json_key_slot(it, keys, sizeof keys / sizeof keys[0], &seen);
        if (k < 0)
            return cerr(err, path, c->name, it->string, k == JSON_KEY_REPEATED ? "appears twice in the same chip"
                                                                               : "unknown key in a catalog chip");
        if (chip_member(it, k, c, path, err))
            return -1;
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
    static const char *const keys[] = {"name", "candidates", "note"};
    const cJSON *nm = cJSON_GetObjectItemCaseSensitive(o, "name");
    const cJSON *cs = cJSON_GetObjectItemCaseSensitive(o, "candidates");
    const char *who = cJSON_IsString(nm) ? nm->valuestring : "?";
    uint64_t seen = 0;
    int bad = !cJSON_IsObject(o);
    for (const cJSON *k = bad ? NULL : o->child; k; k = k->next) { /* each key once: linear in the entry */
        int slot = json_key_slot(k, keys, 3, &seen);
        if (slot == JSON_KEY_REPEATED)
            bad = 1;
        else if (slot < 0 || (slot == 2 && !cJSON_IsString(k)))
            return err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, "ambiguous",
                           "ambiguous '%.60s': unknown or malformed key '%.40s' (known: name, candidates, note)",
                           who, k->string);
    }
    char *key = !bad && cJSON_IsString(nm) ? chip_key_dup(nm->valuestring) : NULL;
    if (bad || !key || !key[0] || cat_text(nm, path, who, "ambiguous.name", 0, err)) {
        free(key);
        return err && err->code != CHIPCHECK_OK ? err->code
               : err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, "ambiguous",
                         "ambiguous '%.60s': each entry needs a name (once) with letters or digits", who);
    }
    cat_ambiguous *a = &r->ambiguous[r->nambiguous++];
    memset(a, 0, sizeof *a);
    a->name = xstrdup(nm->valuestring);
    a->key = key;
    a->path = xstrdup(path);
    if (!a->name || !a->path)
        return err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
    if (!cJSON_IsArray(cs) || cJSON_GetArraySize(cs) < 2)
        return err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, "ambiguous",
                       "ambiguous '%.60s': candidates must be an array of two or more chip names", a->name);
    return strings(cs, &a->candidates, &a->ncandidates, path, a->name, "ambiguous.candidates", 0, err);
}

/* The keys of a catalog file besides "chips": "note" (a string) and "ambiguous" (a list). */
static int parse_top(const cJSON *root, chipcheck_rules *r, const char *path, chipcheck_error *err)
{
    static const char *const keys[] = {"chips", "note", "ambiguous"};
    uint64_t seen = 0;
    for (const cJSON *k = root->child; k; k = k->next) {
        int slot = json_key_slot(k, keys, 3, &seen);
        if (slot == JSON_KEY_REPEATED)
            return err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, k->string, "%.40s appears twice in the catalog file",
                           k->string);
        if (slot == 0 || (slot == 1 && cJSON_IsString(k)))
            continue;
        if (slot != 2)
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
        long off = end ? (long)(end - (const char *)data) : 0;
        int line, col;
        char msg[96];
        json_parse_error((const char *)data, (size_t)off, msg, sizeof msg, &line, &col);
        int rc = err_set(err, CHIPCHECK_ERR_PARSE, path, line, col, NULL, "%s", msg);
        if (err)
            err->offset = off;
        return rc;
    }
    const cJSON *chips = cJSON_GetObjectItemCaseSensitive(root, "chips");
    int rc = 0, in_key;
    char where[96];
    const char *rest = end;
    while (rest < (const char *)data + len && (*rest == ' ' || *rest == '\t' || *rest == '\n' || *rest == '\r'))
        rest++;
    if (rest < (const char *)data + len) {
        rc = err_set(err, CHIPCHECK_ERR_PARSE, path, 0, 0, NULL, "text after the catalog's JSON object (byte %ld)",
                     (long)(rest - (const char *)data));
        goto done;
    }
    if (json_nul_string((const char *)data, (size_t)(end - (const char *)data), root, where, sizeof where, &in_key)) {
        rc = err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, where, "%s: %s a NUL character (\\u0000)", where,
                     in_key ? "a key holds" : "holds");
        goto done;
    }
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
            char *key = chip_key_dup(nm);
            if (!key) {
                rc = err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
                goto done;
            }
            int dup = 0; /* two spellings of one chip ("RTX 4090D", "RTX 4090 D") share a key */
            for (size_t j = 0; j < r->nchips && rc == 0; j++)
                for (size_t b = 0; b < r->chips[j].nkeys && rc == 0; b++) {
                    if (strcmp(key, r->chips[j].keys[b]) != 0)
                        continue;
                    if (&r->chips[j] == c)
                        dup = 1;
                    else
                        rc = err_set(err, CHIPCHECK_ERR_INPUT, path, 0, 0, "name",
                                     "chip name or alias '%s' is already used by '%s'", nm, r->chips[j].name);
                }
            if (dup || rc != 0)
                free(key);
            else
                c->keys[c->nkeys++] = key;
            if (rc != 0)
                goto done;
        }
    }
done:
    cJSON_Delete(root);
    return rc;
}

static size_t key_hash(const char *k)
{
    uint32_t h = 2166136261u;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 16777619u;
    return h;
}

/* An open-addressing table of every normalised name and alias, each to the first chip that has it (the
 * chip the linear search below finds). Built once at load; NULL when out of memory (the search is used). */
static void catalog_index(chipcheck_rules *r)
{
    size_t nkeys = 0, size = 16;
    for (size_t i = 0; i < r->nchips; i++)
        nkeys += r->chips[i].nkeys;
    while (size < nkeys * 4)
        size *= 2;
    free(r->chip_index);
    if (!(r->chip_index = calloc(size, sizeof *r->chip_index)))
        return;
    r->chip_index_mask = size - 1;
    for (size_t i = 0; i < r->nchips; i++)
        for (size_t k = 0; k < r->chips[i].nkeys; k++) {
            const char *key = r->chips[i].keys[k];
            size_t at = key_hash(key) & r->chip_index_mask;
            while (r->chip_index[at].key && strcmp(r->chip_index[at].key, key) != 0)
                at = (at + 1) & r->chip_index_mask;
            if (!r->chip_index[at].key)
                r->chip_index[at] = (struct cat_slot){key, i};
        }
}

const cat_chip *catalog_find(const chipcheck_rules *r, const char *name)
{
    char key[128];
    size_t n = chip_key_into(name, key, sizeof key);
    if (n == 0)
        return NULL; /* a name that normalises to nothing matches no chip */
    if (n != (size_t)-1 && r->chip_index) {
        for (size_t at = key_hash(key) & r->chip_index_mask; r->chip_index[at].key;
             at = (at + 1) & r->chip_index_mask)
            if (!strcmp(r->chip_index[at].key, key))
                return &r->chips[r->chip_index[at].chip];
        return NULL;
    }
    if (n != (size_t)-1) { /* the keys are normal forms already: a first byte, then strcmp */
        for (size_t i = 0; i < r->nchips; i++)
            for (size_t k = 0; k < r->chips[i].nkeys; k++)
                if (r->chips[i].keys[k][0] == key[0] && !strcmp(r->chips[i].keys[k], key))
                    return &r->chips[i];
        return NULL;
    }
    for (size_t i = 0; i < r->nchips; i++)
        for (size_t k = 0; k < r->chips[i].nkeys; k++)
            if (chip_names_match(r->chips[i].keys[k], name))
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
    catalog_index(r);
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
    for (size_t i = 0; i < r->nambiguous; i++) {
        const cat_ambiguous *a = &r->ambiguous[i];
        if (!a->chip || !chip_names_match(a->key, name))
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
    char near[160];
    catalog_nearest(r, name, near, sizeof near);
    if (near[0])
        err_set(err, CHIPCHECK_ERR_NOT_FOUND, src, 0, 0, "chip", "%sno catalog chip is named '%.60s'; %s%s%s", prefix,
                name, near, hint[0] ? " Or " : "", hint);
    else
        err_set(err, CHIPCHECK_ERR_NOT_FOUND, src, 0, 0, "chip", "%sno catalog chip is named '%.60s'%s%s", prefix, name,
                hint[0] ? "; " : "", hint);
    return NULL;
}

void catalog_nearest(const chipcheck_rules *r, const char *name, char *out, size_t outsz)
{
    char *key = chip_key_dup(name);
    out[0] = '\0';
    if (!key)
        return;
    size_t n = strlen(key);
    near_pick p;
    near_init(&p, key, n >= 2 ? (int)n / 2 : 1);
    for (size_t i = 0; key[0] && i < r->nchips; i++)
        for (size_t a = 0; a <= r->chips[i].naliases; a++) {
            const char *nm = a == 0 ? r->chips[i].name : r->chips[i].aliases[a - 1];
            char *ck = chip_key_dup(nm); /* an error path: allocating is fine */
            /* a part of a name ("4090" of "RTX 4090") is as near as a typo */
            int d = !ck ? 99 : n >= 3 && strstr(ck, key) != NULL ? 1 : near_distance(key, ck);
            free(ck);
            near_offer(&p, d, nm, &r->chips[i]);
        }
    near_format(&p, out, outsz);
    free(key);
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
