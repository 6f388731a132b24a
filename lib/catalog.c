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
    return parse_throughput(it, c, path, err);
}

static int parse_chip(const cJSON *o, cat_chip *c, const char *path, chipcheck_error *err)
{
    static const char *const keys[] = {"tpp", "die_area_mm2", "memory_bandwidth_gbs", "interconnect_bandwidth_gbs",
                                       "hbm_bandwidth_density", "name", "note", "vendor", "part_number", "kind",
                                       "source_kind", "as_of", "datacenter", "aliases", "sources", "throughput"};
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
    c->json = cJSON_PrintUnformatted(o);
    return c->json ? 0 : err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
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

const cat_chip *catalog_find(const chipcheck_rules *r, const char *name)
{
    for (size_t i = 0; i < r->nchips; i++)
        for (size_t k = 0; k < r->chips[i].nkeys; k++)
            if (chip_names_match(r->chips[i].keys[k], name))
                return &r->chips[i];
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
    const cat_chip *c = catalog_find(r, name);
    if (!c) {
        err_set(err, CHIPCHECK_ERR_NOT_FOUND, "<catalog>", 0, 0, "chip", "no catalog chip is named '%s'", name);
        return NULL;
    }
    char *s = xstrdup(c->json);
    if (!s)
        err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
    return s;
}
