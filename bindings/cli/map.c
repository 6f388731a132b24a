/*
 * map.c: `chipcheck map`: one self-contained SVG of where chips sit against the lines of the rules in force, per
 * date side by side: the TPP x performance-density plane (regions shaded by the outcome for a new datacenter
 * design at each point, class boundaries, the not-for-datacenters line) and the memory x interconnect bandwidth
 * plane, with the chips placed and coloured by their own verdict. Every region, line, label and colour comes from
 * the library's JSON (chipcheck_envelope(), chipcheck_check_json()): no threshold, country or chip here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "map.h"

static const char map_usage[] =
    "map --to CC [--date YYYY-MM-DD ...] [--hq CC] [--from CC] [--chip NAME ... | --catalog] [-o FILE.svg]\n"
    "       [--rules DIR]";

/* The two planes drawn: their metrics (the shipment format's names) and whether their axes are logarithmic. */
const map_plane_def map_planes[MAP_PLANES] = {
    {"tpp", "performance_density", 1},
    {"memory_bandwidth_gbs", "interconnect_bandwidth_gbs", 0},
};

static int map_parse(args *a, map_opts *o)
{
    const char *opt, *val;
    int k;
    memset(o, 0, sizeof *o);
    while ((k = args_next(a, &opt, &val)) != 0) {
        if (k == 2)
            return usage_error(a, "unexpected argument '%s'", opt);
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            printf("usage: chipcheck %s\n", map_usage);
            return finish_stdout(EXIT_OK);
        }
        if (strcmp(opt, "--catalog") == 0) {
            if (args_no_value(a, opt, val))
                return EXIT_USAGE;
            o->catalog = 1;
            continue;
        }
        const char **slot = !strcmp(opt, "--to") ? &o->to : !strcmp(opt, "--hq") ? &o->hq
                          : !strcmp(opt, "--from") ? &o->from : !strcmp(opt, "-o") ? &o->out
                          : !strcmp(opt, "--rules") ? &o->rules_dir : NULL;
        int is_date = !strcmp(opt, "--date"), is_chip = !strcmp(opt, "--chip");
        if (slot == NULL && !is_date && !is_chip)
            return usage_error(a, "unknown option '%s'", opt);
        const char *v = args_value(a, opt, val);
        if (v == NULL)
            return EXIT_USAGE;
        if (slot != NULL && *slot != NULL)
            return usage_error(a, "option %s given twice", opt);
        if (slot != NULL)
            *slot = v;
        else if (is_date && o->ndates == MAP_DATES)
            return usage_error(a, "at most %d --date options", MAP_DATES);
        else if (is_chip && o->nchips == MAP_MAX_CHIPS)
            return usage_error(a, "at most %d --chip options", MAP_MAX_CHIPS);
        else if (is_date)
            o->dates[o->ndates++] = v;
        else
            o->chips[o->nchips++] = v;
    }
    if (o->to == NULL)
        return usage_error(a, "missing --to CC (the regions are shaded by the outcome for that destination)");
    if (o->catalog && o->nchips > 0)
        return usage_error(a, "give --chip NAME ... or --catalog, not both");
    return -1;
}

/* ---- asking the library ------------------------------------------------------------------------------ */

/* The shipment JSON text for date (NULL: today) with chip (taken over), or NULL when out of memory. */
static char *ship_text(const map_opts *o, const char *date, cJSON *chip)
{
    cJSON *s = cJSON_CreateObject();
    char *text = NULL;
    if (s != NULL && cJSON_AddItemToObject(s, "chip", chip)) {
        chip = NULL;
        int ok = cJSON_AddStringToObject(s, "destination", o->to) != NULL;
        ok &= date == NULL || cJSON_AddStringToObject(s, "date", date) != NULL;
        ok &= o->hq == NULL || cJSON_AddStringToObject(s, "end_user_hq", o->hq) != NULL;
        ok &= o->from == NULL || cJSON_AddStringToObject(s, "export_from", o->from) != NULL;
        text = ok ? cJSON_PrintUnformatted(s) : NULL;
    }
    cJSON_Delete(chip);
    cJSON_Delete(s);
    return text;
}

/* chipcheck_envelope() of a shipment over one plane, parsed; NULL after printing the error. */
static cJSON *envelope_of(const chipcheck_rules *r, char *text, int plane)
{
    chipcheck_error err;
    const char *metrics[2] = {map_planes[plane].x, map_planes[plane].y};
    memset(&err, 0, sizeof err);
    char *out = text != NULL ? chipcheck_envelope(r, text, metrics, 2, NULL, 0, &err) : NULL;
    cJSON *j = out != NULL ? cJSON_Parse(out) : NULL;
    if (text == NULL || (out != NULL && j == NULL))
        errorf("map: out of memory");
    else if (out == NULL)
        print_lib_error(&err, "map", 0);
    chipcheck_free(out);
    cJSON_free(text);
    return j;
}

/* A new design's chip object ({"name": "new design", "datacenter": dc}). */
static cJSON *new_design(int dc)
{
    cJSON *c = cJSON_CreateObject();
    if (c != NULL && (!cJSON_AddStringToObject(c, "name", "new design") || !cJSON_AddBoolToObject(c, "datacenter", dc))) {
        cJSON_Delete(c);
        return NULL;
    }
    return c;
}

/* The catalog entry of a chip: its name, label (the shortest of name and aliases) and datacenter flag. */
static int chip_setup(const chipcheck_rules *r, map_chip *c, const char *name)
{
    chipcheck_error err;
    memset(&err, 0, sizeof err);
    char *text = chipcheck_rules_chip_json(r, name, &err);
    if (text == NULL) {
        print_lib_error(&err, "map: --chip", 0);
        return -1;
    }
    cJSON *j = cJSON_Parse(text), *al;
    chipcheck_free(text);
    const char *canon = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "name"));
    if (canon == NULL) {
        cJSON_Delete(j);
        errorf("map: cannot read the catalog entry of '%s'", name);
        return -1;
    }
    snprintf(c->name, sizeof c->name, "%s", canon);
    snprintf(c->label, sizeof c->label, "%s", canon);
    cJSON_ArrayForEach(al, cJSON_GetObjectItemCaseSensitive(j, "aliases")) {
        if (cJSON_IsString(al) && strlen(al->valuestring) < strlen(c->label))
            snprintf(c->label, sizeof c->label, "%s", al->valuestring);
    }
    const cJSON *dc = cJSON_GetObjectItemCaseSensitive(j, "datacenter");
    c->datacenter = cJSON_IsBool(dc) ? cJSON_IsTrue(dc) : -1;
    cJSON_Delete(j);
    return 0;
}

static cJSON *catalog_chip(const char *name)
{
    cJSON *c = cJSON_CreateObject();
    if (c != NULL && !cJSON_AddStringToObject(c, "catalog", name)) {
        cJSON_Delete(c);
        return NULL;
    }
    return c;
}

/* The chip's own verdict on date d (a check of the shipment as given). */
static int chip_verdict(const chipcheck_rules *r, const map_opts *o, map_chip *c, size_t d, const char *date)
{
    chipcheck_error err;
    char *text = ship_text(o, date, cJSON_CreateString(c->name));
    chipcheck_decision *dec = text != NULL ? chipcheck_check_json(r, text, NULL, &err) : NULL;
    cJSON_free(text);
    if (dec == NULL) {
        if (text != NULL)
            print_lib_error(&err, "map", 0);
        return -1;
    }
    const char *pol = chipcheck_decision_review_policy(dec);
    map_chip_at *at = &c->at[d];
    snprintf(at->verdict, sizeof at->verdict, "%s", chipcheck_verdict_name(chipcheck_decision_verdict(dec)));
    snprintf(at->policy, sizeof at->policy, "%s", pol != NULL ? pol : "");
    at->classes[0] = '\0';
    for (size_t i = 0; i < chipcheck_decision_classification_count(dec); i++)
        snprintf(at->classes + strlen(at->classes), sizeof at->classes - strlen(at->classes), "%s%s", i ? " " : "",
                 chipcheck_decision_classification(dec, i));
    chipcheck_decision_free(dec);
    return 0;
}

/* Where the chip sits on each plane on date d: its figures as the library reads them (or what is missing). */
static int chip_place(const chipcheck_rules *r, const map_opts *o, map_chip *c, size_t d, const char *date)
{
    for (int p = 0; p < MAP_PLANES; p++) {
        cJSON *env = envelope_of(r, ship_text(o, date, catalog_chip(c->name)), p);
        if (env == NULL)
            return -1;
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(env, "chip"), "metrics");
        const char *names[2] = {map_planes[p].x, map_planes[p].y};
        double *vals[2] = {&c->at[d].x[p], &c->at[d].y[p]};
        char *miss = c->at[d].missing[p];
        miss[0] = '\0';
        for (int k = 0; k < 2; k++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ms, names[k]), "value");
            *vals[k] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
            if (!cJSON_IsNumber(v))
                snprintf(miss + strlen(miss), 96 - strlen(miss), "%s%s", miss[0] ? ", " : "", names[k]);
        }
        c->at[d].placed[p] = miss[0] == '\0';
        cJSON_Delete(env);
    }
    return 0;
}

/* Every envelope and every chip's verdict and place, for every date. 0, or -1 (error printed). */
static int map_fetch(const chipcheck_rules *r, map_data *m)
{
    m->ndates = m->o.ndates ? m->o.ndates : 1;
    for (size_t d = 0; d < m->ndates; d++) {
        const char *date = m->o.ndates ? m->o.dates[d] : NULL;
        for (int p = 0; p < MAP_PLANES; p++)
            if ((m->env[d][p] = envelope_of(r, ship_text(&m->o, date, new_design(1)), p)) == NULL)
                return -1;
        if ((m->nodc[d] = envelope_of(r, ship_text(&m->o, date, new_design(0)), 0)) == NULL)
            return -1;
        for (size_t i = 0; i < m->nchips; i++)
            if (chip_verdict(r, &m->o, &m->chips[i], d, date) != 0 || chip_place(r, &m->o, &m->chips[i], d, date) != 0)
                return -1;
    }
    return 0;
}

/* ---- ranges and the command -------------------------------------------------------------------------- */

static void widen(double *lo, double *hi, double v, int log)
{
    if (!isfinite(v) || (log && v <= 0))
        return;
    *lo = v < *lo ? v : *lo;
    *hi = v > *hi ? v : *hi;
}

/* The data range of each plane: every line of every date and every chip placed, with room around them. */
static void map_ranges(map_data *m)
{
    for (int p = 0; p < MAP_PLANES; p++) {
        int log = map_planes[p].log;
        double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
        for (size_t d = 0; d < m->ndates; d++) {
            const cJSON *ax, *b, *pl;
            int k = 0;
            cJSON_ArrayForEach(ax, cJSON_GetObjectItemCaseSensitive(m->env[d][p], "axes")) {
                cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(ax, "breaks"))
                    widen(&lo[k], &hi[k], cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, "value")), log);
                k = 1;
            }
            cJSON_ArrayForEach(pl, cJSON_GetObjectItemCaseSensitive(m->env[d][p], "planes")) {
                const cJSON *t;
                double c = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(pl, "constant"));
                cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(pl, "terms")) {
                    const char *mn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "metric"));
                    double coef = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(t, "coef"));
                    int axis = mn != NULL && strcmp(mn, map_planes[p].y) == 0;
                    if (coef != 0)
                        widen(&lo[axis], &hi[axis], -c / coef, log);
                }
            }
            for (size_t i = 0; i < m->nchips; i++)
                if (m->chips[i].at[d].placed[p]) {
                    widen(&lo[0], &hi[0], m->chips[i].at[d].x[p], log);
                    widen(&lo[1], &hi[1], m->chips[i].at[d].y[p], log);
                }
        }
        scale *s[2] = {&m->sx[p], &m->sy[p]};
        for (int k = 0; k < 2; k++) {
            if (!isfinite(lo[k])) {
                lo[k] = 1;
                hi[k] = 10;
            }
            s[k]->log = log;
            s[k]->d0 = log ? lo[k] / 1.3 : 0;
            s[k]->d1 = log ? hi[k] * 1.3 : hi[k] * 1.1;
            scale_round(s[k]);
        }
    }
}

static void map_free(map_data *m)
{
    for (size_t d = 0; d < MAP_DATES; d++) {
        for (int p = 0; p < MAP_PLANES; p++)
            cJSON_Delete(m->env[d][p]);
        cJSON_Delete(m->nodc[d]);
    }
    free(m->chips);
}

/* The chips asked for (or the whole catalog), each with its catalog entry. */
static int map_chips(const chipcheck_rules *r, map_data *m)
{
    size_t n = m->o.catalog ? chipcheck_rules_chip_count(r) : m->o.nchips;
    m->chips = calloc(n ? n : 1, sizeof *m->chips);
    if (m->chips == NULL) {
        errorf("map: out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = m->o.catalog ? chipcheck_rules_chip_name(r, i) : m->o.chips[i];
        if (chip_setup(r, &m->chips[m->nchips], name) != 0)
            return -1;
        m->nchips++;
    }
    return 0;
}

int cmd_map(int argc, char **argv)
{
    args a;
    map_data m;
    memset(&m, 0, sizeof m);
    args_init(&a, argc, argv, 2, "map", map_usage);
    int st = map_parse(&a, &m.o);
    if (st >= 0)
        return st;
    chipcheck_rules *r = load_rules(m.o.rules_dir);
    st = EXIT_USAGE;
    if (r != NULL && map_chips(r, &m) == 0 && map_fetch(r, &m) == 0) {
        map_ranges(&m);
        FILE *f = m.o.out != NULL ? fopen(m.o.out, "w") : stdout;
        if (f == NULL) {
            errorf("map: %s: cannot open for writing", m.o.out);
        } else {
            int rc = map_draw(f, &m);
            int werr = ferror(f) || (f != stdout && fclose(f) != 0);
            if (rc != 0 || werr)
                errorf("map: %s", rc != 0 ? "out of memory" : "error writing the SVG");
            else
                st = f == stdout ? finish_stdout(EXIT_OK) : EXIT_OK;
        }
    }
    map_free(&m);
    chipcheck_rules_free(r);
    return st;
}
