/* pull_diff.h: the differential oracle of the pull parser (lib/json_pull.c) against the cJSON path
 * (lib/shipment.c, the reference), shared by the unit test (tests/unit/test_json_pull.c) and the fuzz
 * target (fuzz_pull.c). Include after internal.h. */
#ifndef CHIPCHECK_PULL_DIFF_H
#define CHIPCHECK_PULL_DIFF_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

enum { PULL_AGREED = 0, PULL_FELL_BACK = 1, PULL_DIFFERS = 2 };

static inline int pd_str(const char *a, const char *b) { return (!a && !b) || (a && b && !strcmp(a, b)); }
/* Numbers equal bit for bit (0 and -0 differ), or both NaN (not given). */
static inline int pd_num(double a, double b) { return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof a); }

#define PD_CHECK(ok, what) do { if (!(ok)) { snprintf(why, whysz, "%s differs", what); return 0; } } while (0)

static inline int pd_chip(const chipcheck_chip *a, const chipcheck_chip *b, char *why, size_t whysz)
{
    PD_CHECK(pd_str(a->name, b->name) && pd_str(a->vendor, b->vendor), "chip.name/vendor");
    PD_CHECK(pd_str(a->part_number, b->part_number) && pd_str(a->kind, b->kind), "chip.part_number/kind");
    PD_CHECK(pd_num(a->tpp, b->tpp) && pd_num(a->die_area_mm2, b->die_area_mm2), "chip.tpp/die_area_mm2");
    PD_CHECK(pd_num(a->memory_bandwidth_gbs, b->memory_bandwidth_gbs), "chip.memory_bandwidth_gbs");
    PD_CHECK(pd_num(a->interconnect_bandwidth_gbs, b->interconnect_bandwidth_gbs), "chip.interconnect_bandwidth_gbs");
    PD_CHECK(pd_num(a->hbm_bandwidth_density, b->hbm_bandwidth_density), "chip.hbm_bandwidth_density");
    PD_CHECK(a->datacenter == b->datacenter, "chip.datacenter");
    PD_CHECK(a->n_throughput == b->n_throughput && !a->throughput == !b->throughput, "chip.throughput");
    for (size_t i = 0; i < a->n_throughput; i++) {
        const chipcheck_throughput *x = &a->throughput[i], *y = &b->throughput[i];
        PD_CHECK(pd_str(x->precision, y->precision) && pd_num(x->tops, y->tops) && x->bits == y->bits &&
                 x->sparse == y->sparse, "a chip.throughput entry");
    }
    return 1;
}

/* 1 when the two shipments are the same, field by field, strings byte for byte. */
static inline int pd_same(const chipcheck_shipment *a, const chipcheck_shipment *b, char *why, size_t whysz)
{
    PD_CHECK(pd_str(a->id, b->id), "id");
    PD_CHECK(pd_str(a->date, b->date), "date");
    PD_CHECK(pd_str(a->destination, b->destination), "destination");
    PD_CHECK(pd_str(a->end_user_hq, b->end_user_hq), "end_user_hq");
    PD_CHECK(pd_str(a->export_from, b->export_from), "export_from");
    PD_CHECK(pd_str(a->chip_name, b->chip_name), "chip (name)");
    PD_CHECK(pd_str(a->exception, b->exception), "exception");
    PD_CHECK(pd_str(a->exception_authorization, b->exception_authorization), "exception_authorization");
    PD_CHECK(pd_str(a->destination_region, b->destination_region), "destination_region");
    PD_CHECK(pd_str(a->eccn, b->eccn), "eccn");
    PD_CHECK(!a->chip == !b->chip, "chip (object)");
    if (a->chip && !pd_chip(a->chip, b->chip, why, whysz))
        return 0;
    PD_CHECK(a->n_licenses == b->n_licenses && !a->licenses == !b->licenses, "licenses");
    for (size_t i = 0; i < a->n_licenses; i++) {
        const chipcheck_license *x = &a->licenses[i], *y = &b->licenses[i];
        PD_CHECK(pd_str(x->id, y->id) && pd_str(x->destination, y->destination), "licenses.id/destination");
        PD_CHECK(pd_str(x->valid_from, y->valid_from) && pd_str(x->valid_to, y->valid_to), "licenses.valid_*");
        PD_CHECK(x->n_products == y->n_products && !x->products == !y->products, "licenses.products");
        for (size_t k = 0; k < x->n_products; k++)
            PD_CHECK(pd_str(x->products[k], y->products[k]), "a licenses.products entry");
    }
    return 1;
}

/* Parse text with both: PULL_AGREED (the pull parser read it, and cJSON read the same shipment),
 * PULL_FELL_BACK (the pull parser left it to cJSON, whose result or error then stands), or PULL_DIFFERS
 * with what differs in why (the pull parser read a shipment cJSON refuses or reads otherwise). */
static inline int pull_diff(const char *text, char *why, size_t whysz)
{
    json_ship a, b;
    pull_store st;
    cJSON *root = NULL;
    chipcheck_error err;
    int rc = json_pull_shipment(text, &a, &st);
    if (rc == JSON_PULL_FALLBACK) {
        json_pull_release(&st);
        return PULL_FELL_BACK;
    }
    int ref = json_ship_parse_reference(text, &root, &b, &err);
    int out = PULL_AGREED;
    if (rc != 0) {
        snprintf(why, whysz, "the pull parser returned %d", rc);
        out = PULL_DIFFERS;
    } else if (ref != 0) {
        snprintf(why, whysz, "cJSON refuses what the pull parser read: %.100s", err.message);
        out = PULL_DIFFERS;
    } else if (!pd_same(&a.sh, &b.sh, why, whysz)) {
        out = PULL_DIFFERS;
    }
    json_ship_release(&b, root);
    json_pull_release(&st);
    return out;
}

#endif
