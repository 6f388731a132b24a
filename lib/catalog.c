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

static int parse_chip(const cJSON *o, cat_chip *c, const char *path, chipcheck_error *err)
{
    static const char *const numbers[F_NUMBER_COUNT] = {"tpp", "die_area_mm2", "memory_bandwidth_gbs",
                                                        "interconnect_bandwidth_gbs", "hbm_bandwidth_density"};
    const cJSON *nm = cJSON_GetObjectItemCaseSensitive(o, "name");
    if (!cJSON_IsString(nm) || !nm->valuestring[0])
        return cerr(err, path, "?", "name", "every catalog chip needs a non-empty string name");
    c->name = xstrdup(nm->valuestring);
    c->datacenter = -1;
    const cJSON *it;
    for (const cJSON *x = o->child; x; x = x->next)
        for (const cJSON *y = x->next; y; y = y->next)
            if (x->string && y->string && !strcmp(x->string, y->string))
                return cerr(err, path, c->name, x->string, "appears twice in the same chip");
    cJSON_ArrayForEach(it, o) {
        const char *k = it->string;
        int num = -1;
        for (int i = 0; i < F_NUMBER_COUNT; i++)
            if (!strcmp(k, numbers[i]))
                num = i;
        if (num >= 0) {
            if (cJSON_IsNull(it))
                continue;
            if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || it->valuedouble < 0)
                return cerr(err, path, c->name, k, "must be a finite number >= 0 or null");
            c->num[num] = it->valuedouble;
            c->have[num] = 1;
        } else if (!strcmp(k, "name")) {
        } else if (!strcmp(k, "note")) {
            if (!cJSON_IsString(it))
                return cerr(err, path, c->name, k, "must be a string");
        } else if (!strcmp(k, "vendor") || !strcmp(k, "part_number") || !strcmp(k, "kind") ||
                   !strcmp(k, "source_kind") || !strcmp(k, "as_of")) {
            if (!cJSON_IsString(it))
                return cerr(err, path, c->name, k, "must be a string");
            char **dst = !strcmp(k, "vendor") ? &c->vendor : !strcmp(k, "part_number") ? &c->part_number
                       : !strcmp(k, "kind") ? &c->kind : !strcmp(k, "source_kind") ? &c->source_kind : &c->as_of;
            *dst = xstrdup(it->valuestring);
        } else if (!strcmp(k, "datacenter")) {
            if (cJSON_IsNull(it))
                continue;
            if (!cJSON_IsBool(it))
                return cerr(err, path, c->name, k, "must be true, false or null");
            c->datacenter = cJSON_IsTrue(it);
        } else if (!strcmp(k, "aliases")) {
            if (strings(it, &c->aliases, &c->naliases) != 0)
                return cerr(err, path, c->name, k, "must be an array of non-empty strings");
        } else if (!strcmp(k, "sources")) {
            if (strings(it, &c->sources, &c->nsources) != 0)
                return cerr(err, path, c->name, k, "must be an array of non-empty strings");
        } else if (!strcmp(k, "throughput")) {
            if (!cJSON_IsArray(it))
                return cerr(err, path, c->name, k, "must be an array");
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
                    return cerr(err, path, c->name, k, "each entry needs a known precision, tops >= 0, matching bits");
                chipcheck_throughput *ct = &c->tp[c->ntp++];
                ct->precision = xstrdup(pr->valuestring);
                ct->tops = to->valuedouble;
                ct->bits = throughput_bits(pr->valuestring);
                ct->sparse = cJSON_IsTrue(sp);
            }
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
    c->json = cJSON_PrintUnformatted(o);
    return c->json ? 0 : err_set(err, CHIPCHECK_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
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

void catalog_nearest(const chipcheck_rules *r, const char *name, char *out, size_t outsz)
{
    char key[128], ck[128];
    chip_key(name, key, sizeof key);
    size_t n = strlen(key);
    near_pick p;
    near_init(&p, key, n >= 2 ? (int)n / 2 : 1);
    for (size_t i = 0; key[0] && i < r->nchips; i++)
        for (size_t a = 0; a <= r->chips[i].naliases; a++) {
            const char *nm = a == 0 ? r->chips[i].name : r->chips[i].aliases[a - 1];
            chip_key(nm, ck, sizeof ck);
            /* a part of a name ("4090" of "RTX 4090") is as near as a typo */
            int d = n >= 3 && strstr(ck, key) != NULL ? 1 : near_distance(key, ck);
            near_offer(&p, d, nm, &r->chips[i]);
        }
    near_format(&p, out, outsz);
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
        char near[160];
        catalog_nearest(r, name, near, sizeof near);
        err_set(err, CHIPCHECK_ERR_NOT_FOUND, "<catalog>", 0, 0, "chip", "no catalog chip is named '%.60s'%s%s", name,
                near[0] ? "; " : "", near);
        return NULL;
    }
    char *s = xstrdup(c->json);
    if (!s)
        err_set(err, CHIPCHECK_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
    return s;
}
