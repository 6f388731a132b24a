/*
 * test_compiled.c: the compiled verdict path (lib/compiled.c) against the tree walker. Every version of the
 * bundled rules compiles; then a seeded generator crosses every threshold of the rules (each number a
 * comparison names, just below, on and above it), every version's effective date (the day before, the
 * day, the day after), every catalog chip, destinations with their regions, embargoed countries, ECCNs,
 * exceptions (with and without authorization), licenses, missing figures and pinned versions, and each
 * shipment's verdict-only answer (chipcheck_evaluator_verdict) must equal the traced decision's verdict,
 * or both must fail with the same message.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "unit.h"

#define NCASES 40000

static unsigned long long seed = 0x9E3779B97F4A7C15ULL;
static unsigned rnd(unsigned n)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (unsigned)(seed % n);
}
#define PICK(a) (a)[rnd(sizeof(a) / sizeof((a)[0]))]

/* Numbers the rules compare with, by metric slot; dates each version takes effect. */
static double thr[MAX_SLOTS][64];
static size_t nthr[MAX_SLOTS];
static char dates[256][11];
static size_t ndates;
static int density_slot = -1;

static void add_thr(int slot, double v)
{
    for (size_t i = 0; i < nthr[slot]; i++)
        if (thr[slot][i] == v)
            return;
    if (nthr[slot] < 64)
        thr[slot][nthr[slot]++] = v;
}

static void collect(const cond *k)
{
    if (k->kind == C_CMP && expr_single_metric(k->left) >= 0 && k->right->op == X_NUM)
        add_thr(expr_single_metric(k->left), k->right->num);
    if (k->kind == C_CMP && k->left->op == X_ADD && k->right->op == X_NUM) /* a sum: its first operand */
        if (expr_single_metric(k->left->args[0]) >= 0)
            add_thr(expr_single_metric(k->left->args[0]), k->right->num / 2);
    for (size_t i = 0; i < k->nkids; i++)
        collect(k->kids[i]);
}

static void add_date(int ymd)
{
    if (ndates < sizeof dates / sizeof dates[0] && ymd > 19700101)
        date_format(ymd, dates[ndates++]);
}

static void collect_all(void)
{
    const chipcheck_rules *R = unit_rules;
    for (size_t i = 0; i < R->nmetrics; i++)
        if (!strcmp(R->metric_names[i], "performance_density"))
            density_slot = (int)i;
    for (size_t i = 0; i < R->nversions; i++) {
        const rversion *v = &R->versions[i];
        int days = date_days(v->file->effective_ymd);
        for (int d = -1; d <= 1; d++) { /* the day before, the day, the day after */
            int ymd = v->file->effective_ymd;
            if (d) {
                /* walk to the neighbour day through the calendar */
                for (int y = ymd / 10000 - 1; y <= ymd / 10000 + 1; y++)
                    for (int m = 1; m <= 12; m++)
                        for (int dd = 1; dd <= 31; dd++) {
                            int cand = y * 10000 + m * 100 + dd;
                            char t[11];
                            date_format(cand, t);
                            if (date_parse(t) == cand && date_days(cand) == days + d)
                                add_date(cand);
                        }
            } else {
                add_date(ymd);
            }
        }
        for (size_t r = 0; r < v->nrules; r++)
            collect(v->rules[r]->when);
    }
}

static const char *const dests[] = {"CN", "MO", "HK", "RU", "BY", "IR", "KP", "CU", "SY", "UA", "UA", "UA", "VE", "IQ",
                                    "AF", "VN", "SA", "AE", "IL", "IN", "DE", "JP", "US", "GB", "TW", "SG", "MX",
                                    "KZ", "AM", "NI", "MM", "LY", "PK", "ZZ", "cn", "XX"};
static const char *const regions[] = {"UA-43", "UA-40", "UA-14", "UA-09", "UA-30", "UA-46"};
static const char *const eccns[] = {"EAR99", "3A090.a", "3A991.p", "4A994.l", "5A992.c", "3A001.z", "4A090.a"};
static const char *const names[] = {"H20", "MI308X", "A100 custom", "SYN-1", "H100 PCIe", "MI250", "Gaudi X"};
static const char *const vendors[] = {"NVIDIA", "AMD", "Intel", "nvidia corp"};
static const char *const exceptions[] = {"NAC", "ACA", "SPP", "nac", "LVS"};
static const char *const precisions[] = {"fp8", "fp16", "bf16", "int8", "fp4", "tf32"};

/* A figure for metric slot: one of its thresholds, a hair below or above, or a random value. */
static double figure(int slot, double lo, double hi)
{
    if (nthr[slot] && rnd(4) != 0) {
        double t = thr[slot][rnd((unsigned)nthr[slot])];
        switch (rnd(5)) {
        case 0: return t;
        case 1: return nextafter(t, -INFINITY);
        case 2: return nextafter(t, INFINITY);
        case 3: return t * 0.99;
        default: return t * 1.01;
        }
    }
    return lo + (hi - lo) * (double)rnd(10000) / 10000.0;
}

typedef struct gen {
    chipcheck_shipment s;
    chipcheck_chip c;
    chipcheck_throughput tp[2];
    chipcheck_license lic;
    const char *products[2];
    char date[11], from[11], to[11];
} gen;

static void gen_chip(gen *g)
{
    chipcheck_chip *c = &g->c;
    *c = (chipcheck_chip)CHIPCHECK_CHIP_INIT;
    c->name = rnd(3) ? PICK(names) : NULL;
    c->vendor = rnd(2) ? PICK(vendors) : NULL;
    c->kind = rnd(6) == 0 ? "hbm" : rnd(2) ? "accelerator" : NULL;
    if (rnd(4))
        c->tpp = figure(F_TPP, 100, 40000);
    else if (rnd(2)) {
        g->tp[0] = (chipcheck_throughput){PICK(precisions), figure(F_TPP, 100, 40000) / 16, 0, (int)rnd(2)};
        g->tp[0].bits = throughput_bits(g->tp[0].precision);
        c->throughput = g->tp;
        c->n_throughput = 1;
    }
    if (rnd(8)) {
        double density = density_slot >= 0 ? figure(density_slot, 0.5, 8) : 3; /* performance_density */
        double tpp = isnan(c->tpp) ? 4800 : c->tpp;
        c->die_area_mm2 = density > 0 ? tpp / density : 800;
    }
    if (rnd(8))
        c->memory_bandwidth_gbs = figure(F_MEMORY_BW, 100, 9000);
    if (rnd(8))
        c->interconnect_bandwidth_gbs = figure(F_INTERCONNECT_BW, 0, 2000);
    if (c->kind && !strcmp(c->kind, "hbm") && rnd(4))
        c->hbm_bandwidth_density = figure(F_HBM_DENSITY, 0.5, 5);
    c->datacenter = (int)rnd(3) - 1;
}

static void gen_license(gen *g)
{
    chipcheck_license *l = &g->lic;
    memset(l, 0, sizeof *l);
    l->id = rnd(8) ? "L-1" : NULL;
    l->destination = rnd(3) ? g->s.destination : PICK(dests);
    snprintf(g->from, sizeof g->from, "%04u-01-01", 2020 + rnd(6));
    snprintf(g->to, sizeof g->to, "%04u-12-31", 2023 + rnd(5));
    l->valid_from = rnd(10) ? g->from : NULL;
    l->valid_to = g->to;
    g->products[0] = g->s.chip_name ? g->s.chip_name : g->c.name ? g->c.name : "H20";
    g->products[1] = "B200";
    l->products = rnd(4) ? g->products : g->products + 1;
    l->n_products = rnd(6) ? 1 : 0;
    g->s.licenses = l;
    g->s.n_licenses = 1;
}

static void gen_case(gen *g, size_t i)
{
    const chipcheck_rules *R = unit_rules;
    chipcheck_shipment *s = &g->s;
    *s = (chipcheck_shipment)CHIPCHECK_SHIPMENT_INIT;
    if (rnd(4))
        snprintf(g->date, sizeof g->date, "%s", dates[rnd((unsigned)ndates)]);
    else
        snprintf(g->date, sizeof g->date, "%04u-%02u-%02u", 2005 + rnd(23), 1 + rnd(12), 1 + rnd(28));
    s->date = g->date;
    s->destination = PICK(dests);
    if (!strcmp(s->destination, "UA") && rnd(4))
        s->destination_region = PICK(regions);
    s->end_user_hq = rnd(3) == 0 ? NULL : rnd(2) ? s->destination : PICK(dests);
    s->export_from = rnd(3) == 0 ? NULL : rnd(2) ? "US" : PICK(dests);
    s->eccn = rnd(3) == 0 ? PICK(eccns) : NULL;
    if (i < R->nchips * 4 || rnd(3) == 0) { /* every catalog chip, then at random; sometimes with overrides */
        s->chip_name = R->chips[i < R->nchips * 4 ? i % R->nchips : rnd((unsigned)R->nchips)].name;
        if (rnd(5) == 0) {
            gen_chip(g);
            g->c.name = NULL;
            s->chip = &g->c;
        }
    } else {
        gen_chip(g);
        s->chip = &g->c;
    }
    if (rnd(5) == 0) {
        s->exception = PICK(exceptions);
        s->exception_authorization = rnd(2) ? "NAC-0001" : rnd(2) ? "" : NULL;
    }
    if (rnd(8) == 0)
        gen_license(g);
}

/* The walker's verdict of a decision of chipcheck_check(), or its error. A decision takes its verdict from the
 * compiled tables when it is made (lib/evaluate.c: evaluate_traced) and the walker's when its reasons are
 * built: building them first makes this the reference's answer, and the caller compares it with the verdict
 * the decision gave before (which must not change). */
static int walker_verdict(chipcheck_decision *d, const chipcheck_error *err)
{
    if (!d)
        return err->code;
    (void)chipcheck_decision_reason_count(d); /* builds the reasons: the walker decides again */
    return (int)chipcheck_decision_verdict(d);
}

static void test_every_version_compiles(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(unit_rules->compiled);
    CU_ASSERT_EQUAL(compiled_count(unit_rules->compiled), unit_rules->nversions);
}

static void test_compiled_equals_walker(void)
{
    chipcheck_error err, ferr;
    chipcheck_evaluator *ev = chipcheck_evaluator_new(unit_rules, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
    collect_all();
    CU_ASSERT_TRUE(ndates >= unit_rules->nversions * 2);
    CU_ASSERT_TRUE(nthr[F_TPP] >= 3);
    CU_ASSERT_TRUE(density_slot >= 0 && nthr[density_slot] >= 2);
    size_t n[4] = {0, 0, 0, 0}, errors = 0, disagree = 0;
    static gen g;
    char pinned[96];
    for (size_t i = 0; i < NCASES; i++) {
        gen_case(&g, i);
        chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
        if (rnd(10) == 0) { /* pin a version of one regime */
            const rversion *v = &unit_rules->versions[rnd((unsigned)unit_rules->nversions)];
            snprintf(pinned, sizeof pinned, "%s@%s", v->file->regime, v->file->version);
            o.ruleset = pinned;
        }
        chipcheck_decision *d = chipcheck_check(unit_rules, &g.s, &o, &err);
        int fast = chipcheck_evaluator_verdict(ev, &g.s, &o, &ferr);
        int lazy = d ? (int)chipcheck_decision_verdict(d) : err.code; /* the compiled tables' */
        int slow = walker_verdict(d, &err);
        if (fast != slow || lazy != slow || (!d && strcmp(err.message, ferr.message) != 0)) {
            if (disagree++ < 5)
                fprintf(stderr, "\ncase %zu: compiled %d, walker %d (%s / %s)\n", i, fast, slow, d ? "" : err.message,
                        ferr.message);
        }
        if (d)
            n[slow]++;
        else
            errors++;
        chipcheck_decision_free(d);
    }
    CU_ASSERT_EQUAL(disagree, 0);
    /* the set exercises every verdict and some errors */
    CU_ASSERT_TRUE(n[CHIPCHECK_ALLOWED] > 1000);
    CU_ASSERT_TRUE(n[CHIPCHECK_LICENSE_REQUIRED] > 1000);
    CU_ASSERT_TRUE(n[CHIPCHECK_INDETERMINATE] > 1000);
    CU_ASSERT_TRUE(errors > 100);
    chipcheck_evaluator_free(ev);
}

/* The evaluator's memory of verdicts (lib/vmemo.c): a shipment asked again, at other addresses, gets the
 * walker's verdict from the memory, and the memory holds what was asked. */
static void test_memo_equals_walker(void)
{
    chipcheck_error err, ferr;
    chipcheck_evaluator *ev = chipcheck_evaluator_new(unit_rules, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
    static gen g;
    size_t disagree = 0, remembered = 0, asked = 0;
    for (size_t i = 0; i < NCASES / 4; i++) {
        gen_case(&g, i);
        chipcheck_decision *d = chipcheck_check(unit_rules, &g.s, NULL, &err);
        int slow = walker_verdict(d, &err);
        chipcheck_decision_free(d);
        int first = chipcheck_evaluator_verdict(ev, &g.s, NULL, &ferr);
        chipcheck_shipment copy = g.s; /* the same shipment from other memory */
        char date[16], dest[8];
        if (copy.date) {
            snprintf(date, sizeof date, "%s", copy.date);
            copy.date = date;
        }
        snprintf(dest, sizeof dest, "%s", copy.destination);
        copy.destination = dest;
        vkey k;
        if (vmemo_key(&copy, NULL, &k)) {
            asked++;
            remembered += slow >= 0 && vmemo_get(evaluator_vmemo(ev), &k) == slow;
            CU_ASSERT_TRUE(slow >= 0 || vmemo_get(evaluator_vmemo(ev), &k) == -1); /* errors are never kept */
        }
        int again = chipcheck_evaluator_verdict(ev, &copy, NULL, &ferr);
        if (first != slow || again != slow) {
            if (disagree++ < 5)
                fprintf(stderr, "\ncase %zu: first %d, again %d, walker %d\n", i, first, again, slow);
        }
    }
    CU_ASSERT_EQUAL(disagree, 0);
    CU_ASSERT_TRUE(asked > NCASES / 20);
    CU_ASSERT_TRUE(remembered > NCASES / 40);
    chipcheck_evaluator_free(ev);
}

/* Shipments that differ in anything the verdict reads have different keys; an id is no part of the key but
 * is still checked when the verdict comes from memory. */
static void test_memo_keys(void)
{
    chipcheck_chip c = CHIPCHECK_CHIP_INIT, c2;
    c.name = "SYN-1";
    c.tpp = 4800;
    c.die_area_mm2 = 800;
    chipcheck_shipment a = CHIPCHECK_SHIPMENT_INIT, b;
    a.date = "2025-05-02";
    a.destination = "CN";
    a.chip = &c;
    chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
    vkey ka, kb;
    CU_ASSERT_TRUE_FATAL(vmemo_key(&a, NULL, &ka));
    CU_ASSERT_TRUE(vmemo_key(&a, &o, &kb) && kb.len == ka.len && !memcmp(ka.bytes, kb.bytes, ka.len));
#define DIFFERS(change)                                                                                            \
    do {                                                                                                           \
        b = a;                                                                                                     \
        c2 = c;                                                                                                    \
        b.chip = &c2;                                                                                              \
        change;                                                                                                    \
        CU_ASSERT_TRUE(vmemo_key(&b, &o, &kb) && (kb.len != ka.len || memcmp(ka.bytes, kb.bytes, ka.len) != 0));  \
        o = (chipcheck_options)CHIPCHECK_OPTIONS_INIT;                                                             \
    } while (0)
    DIFFERS(b.end_user_hq = "");
    DIFFERS(b.end_user_hq = "CN");
    DIFFERS(b.export_from = "CN");
    DIFFERS((b.end_user_hq = "C", b.export_from = "N")); /* the layout reads back one way only */
    DIFFERS(b.destination = "HK");
    DIFFERS(b.date = "2025-05-03");
    DIFFERS((b.date = NULL, o.default_date = "2025-05-02"));
    DIFFERS(o.ruleset = "us-ear-advanced-computing@2025-04-09");
    DIFFERS(b.eccn = "EAR99");
    DIFFERS(b.destination_region = "CN-11");
    DIFFERS(b.exception = "NAC");
    DIFFERS(b.chip_name = "H20");
    DIFFERS(c2.tpp = nextafter(4800, 5000));
    DIFFERS(c2.die_area_mm2 = CHIPCHECK_UNSET);
    DIFFERS(c2.datacenter = 1);
    DIFFERS(c2.kind = "hbm");
    DIFFERS(c2.name = "SYN-2");
    DIFFERS(c2.vendor = "");
    DIFFERS(b.chip = NULL);
#undef DIFFERS
    chipcheck_license lic = {"L1", "CN", NULL, NULL, NULL, 0};
    b = a;
    b.licenses = &lic;
    b.n_licenses = 1;
    CU_ASSERT_FALSE(vmemo_key(&b, NULL, &kb)); /* not remembered */
    b = a;
    b.date = NULL;
    CU_ASSERT_FALSE(vmemo_key(&b, NULL, &kb)); /* no date to key by: the caller settles today's first */
    char longname[200];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    c2 = c;
    c2.name = longname;
    b = a;
    b.chip = &c2;
    CU_ASSERT_FALSE(vmemo_key(&b, NULL, &kb));

    chipcheck_error err;
    chipcheck_evaluator *ev = chipcheck_evaluator_new(unit_rules, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
    CU_ASSERT_EQUAL(chipcheck_evaluator_verdict(ev, &a, NULL, &err), CHIPCHECK_LICENSE_REQUIRED);
    CU_ASSERT_EQUAL(vmemo_get(evaluator_vmemo(ev), &ka), CHIPCHECK_LICENSE_REQUIRED);
    b = a;
    b.id = "  ";
    CU_ASSERT_EQUAL(chipcheck_evaluator_verdict(ev, &b, NULL, &err), CHIPCHECK_ERR_INPUT);
    CU_ASSERT_STRING_EQUAL(err.field, "id");
    b.id = "order 7";
    CU_ASSERT_EQUAL(chipcheck_evaluator_verdict(ev, &b, NULL, &err), CHIPCHECK_LICENSE_REQUIRED);
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_OK);
    CU_ASSERT_STRING_EQUAL(err.message, "");
    /* an undated shipment is checked, and remembered, under today's date as the default */
    b = a;
    b.date = NULL;
    chipcheck_decision *d = chipcheck_check(unit_rules, &b, NULL, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    (void)chipcheck_decision_reason_count(d); /* the walker's verdict */
    CU_ASSERT_EQUAL(chipcheck_evaluator_verdict(ev, &b, NULL, &err), (int)chipcheck_decision_verdict(d));
    char today[11];
    date_format(date_today(), today);
    o.default_date = today;
    CU_ASSERT_TRUE(vmemo_key(&b, &o, &kb));
    CU_ASSERT_EQUAL(vmemo_get(evaluator_vmemo(ev), &kb), (int)chipcheck_decision_verdict(d));
    chipcheck_decision_free(d);
    chipcheck_evaluator_free(ev);
}

/* A prepared chip's verdict equals the struct path's for the same shipment, errors included (bad countries
 * and dates among them), asked once and again (from memory); so does preparing a bad chip. Prepared chips
 * are shared: one evaluator decides, another (the same rules) agrees. */
static void test_prepared_equals_struct(void)
{
    chipcheck_error err, perr;
    chipcheck_evaluator *ev = chipcheck_evaluator_new(unit_rules, &err), *ev2 = chipcheck_evaluator_new(unit_rules, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev2);
    static gen g;
    static const char *const bad[] = {"C", "XX", "cn", "", " ", "2025-02-30", "2025-5-1", NULL};
    size_t disagree = 0, prepared = 0, chip_errors = 0;
    for (size_t i = 0; i < NCASES / 4; i++) {
        gen_case(&g, i);
        g.s.licenses = NULL;
        g.s.n_licenses = 0;
        g.s.exception = g.s.exception_authorization = g.s.destination_region = g.s.eccn = NULL;
        int bad_field = rnd(10) == 0;
        if (bad_field) { /* a bad or absent value in one field */
            const char *v = bad[rnd(sizeof bad / sizeof bad[0])];
            switch (rnd(4)) {
            case 0: g.s.destination = v; break;
            case 1: g.s.end_user_hq = v; break;
            case 2: g.s.export_from = v; break;
            default: g.s.date = v; break;
            }
        }
        chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
        o.default_date = "2025-06-01";
        int want = chipcheck_evaluator_verdict(ev2, &g.s, &o, &err);
        if (want >= 0 && !bad_field && rnd(15) == 0) { /* a bad chip alone: its error comes from preparing it */
            g.s.chip ? (void)(g.c.tpp = -5) : (void)(g.s.chip_name = "H21");
            want = chipcheck_evaluator_verdict(ev2, &g.s, &o, &err);
        }
        chipcheck_prepared_chip *p = chipcheck_prepare_chip(unit_rules, g.s.chip_name, g.s.chip, &perr);
        int got[2];
        for (int k = 0; k < 2; k++)
            got[k] = !p ? perr.code
                        : chipcheck_evaluator_verdict_prepared(k ? ev2 : ev, p, g.s.destination, g.s.end_user_hq,
                                                               g.s.export_from, g.s.date, &o, &perr);
        prepared += p != NULL;
        chip_errors += p == NULL;
        int same = got[0] == want && got[1] == want &&
                   (want >= 0 || (!strcmp(err.message, perr.message) && !strcmp(err.field, perr.field)));
        if (!same && disagree++ < 5)
            fprintf(stderr, "\ncase %zu: prepared %d/%d (%s), struct %d (%s)\n", i, got[0], got[1], perr.message,
                    want, err.message);
        chipcheck_prepared_chip_free(p);
    }
    /* each catalog chip prepared once, then asked for many combinations: the memory must tell them apart */
    static const char *const few[] = {"CN", "US", "DE", "RU", "AE", "MO", NULL};
    chipcheck_prepared_chip *chips[256];
    size_t nh = unit_rules->nchips < 256 ? unit_rules->nchips : 256;
    for (size_t i = 0; i < nh; i++) {
        chips[i] = chipcheck_prepare_chip(unit_rules, unit_rules->chips[i].name, NULL, &perr);
        CU_ASSERT_PTR_NOT_NULL_FATAL(chips[i]);
    }
    for (size_t i = 0; i < NCASES; i++) {
        size_t c = rnd((unsigned)nh);
        chipcheck_shipment sh = CHIPCHECK_SHIPMENT_INIT;
        sh.chip_name = unit_rules->chips[c].name;
        sh.destination = few[rnd(6)];
        sh.end_user_hq = PICK(few);
        sh.export_from = PICK(few);
        sh.date = dates[rnd((unsigned)ndates)];
        int want = chipcheck_evaluator_verdict(ev2, &sh, NULL, &err);
        int got = chipcheck_evaluator_verdict_prepared(ev, chips[c], sh.destination, sh.end_user_hq, sh.export_from,
                                                       sh.date, NULL, &perr);
        if (got != want && disagree++ < 5)
            fprintf(stderr, "\n%s to %s: prepared %d, struct %d\n", sh.chip_name, sh.destination, got, want);
    }
    for (size_t i = 0; i < nh; i++)
        chipcheck_prepared_chip_free(chips[i]);
    CU_ASSERT_EQUAL(disagree, 0);
    CU_ASSERT_TRUE(prepared > NCASES / 8);
    CU_ASSERT_TRUE(chip_errors > 10);

    chipcheck_prepared_chip *h20 = chipcheck_prepare_chip(unit_rules, "H20", NULL, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h20);
    CU_ASSERT_EQUAL(chipcheck_evaluator_verdict_prepared(ev2, h20, "CN", "CN", "US", "2025-05-02", NULL, &err),
                    CHIPCHECK_LICENSE_REQUIRED);
    CU_ASSERT_EQUAL(chipcheck_evaluator_verdict_prepared(ev2, h20, "CN", "CN", "US", "2025-04-08", NULL, &err),
                    CHIPCHECK_ALLOWED);
    CU_ASSERT_EQUAL(chipcheck_evaluator_verdict_prepared(ev2, NULL, "CN", NULL, NULL, NULL, NULL, &err),
                    CHIPCHECK_ERR_ARG);
    CU_ASSERT_STRING_EQUAL(err.message, "chip: no prepared chip (NULL)");
    /* a chip prepared with other rules is refused, whatever it would say */
    chipcheck_rules *other = chipcheck_rules_load_default(&err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(other);
    chipcheck_prepared_chip *foreign = chipcheck_prepare_chip(other, "H20", NULL, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(foreign);
    CU_ASSERT_EQUAL(chipcheck_evaluator_verdict_prepared(ev2, foreign, "CN", "CN", "US", "2025-05-02", NULL, &err),
                    CHIPCHECK_ERR_ARG);
    CU_ASSERT_STRING_EQUAL(err.message, "chip: prepared with other rules than the evaluator's");
    chipcheck_prepared_chip_free(foreign);
    chipcheck_rules_free(other);
    CU_ASSERT_PTR_NULL(chipcheck_prepare_chip(unit_rules, "H21", NULL, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(chipcheck_prepare_chip(NULL, "H20", NULL, &err));
    CU_ASSERT_EQUAL(err.code, CHIPCHECK_ERR_ARG);
    /* the bulk form gives each row what the single call gives it */
    const chipcheck_prepared_chip *col_chip[5] = {h20, h20, h20, h20, NULL};
    const char *col_dest[5] = {"CN", "CN", "XX", "DE", "CN"}, *col_hq[5] = {"CN", "CN", NULL, NULL, NULL};
    const char *col_date[5] = {"2025-05-02", "2025-04-08", "2025-05-02", NULL, "2025-05-02"};
    int out[5];
    chipcheck_options od = CHIPCHECK_OPTIONS_INIT;
    od.default_date = "2025-05-02";
    CU_ASSERT_EQUAL(chipcheck_evaluator_verdicts_prepared(ev2, 5, col_chip, col_dest, col_hq, NULL, col_date, &od,
                                                          out, &err), 2);
    CU_ASSERT_EQUAL(out[0], CHIPCHECK_LICENSE_REQUIRED);
    CU_ASSERT_EQUAL(out[1], CHIPCHECK_ALLOWED);
    CU_ASSERT_EQUAL(out[2], CHIPCHECK_ERR_INPUT);
    CU_ASSERT_EQUAL(out[3], CHIPCHECK_INDETERMINATE); /* the default date; end_user_hq missing */
    CU_ASSERT_EQUAL(out[4], CHIPCHECK_ERR_ARG);
    CU_ASSERT_EQUAL(chipcheck_evaluator_verdicts_prepared(ev2, 1, NULL, col_dest, NULL, NULL, NULL, NULL, out, &err),
                    CHIPCHECK_ERR_ARG);
    chipcheck_prepared_chip_free(h20);
    chipcheck_evaluator_free(ev);
    chipcheck_evaluator_free(ev2);
}

/* The memory rests after a window of lookups that nearly all missed, and is tried again after the rest. */
static void test_memo_rests(void)
{
    vmemo *m = vmemo_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    vkey k;
    chipcheck_shipment a = CHIPCHECK_SHIPMENT_INIT;
    char date[16];
    a.date = date;
    a.destination = "DE";
    a.chip_name = "H20";
    for (unsigned i = 0; i < VMEMO_WINDOW; i++) { /* every key new: all miss */
        CU_ASSERT_TRUE(vmemo_wanted(m));
        snprintf(date, sizeof date, "%u", i);
        CU_ASSERT_TRUE_FATAL(vmemo_key(&a, NULL, &k));
        CU_ASSERT_EQUAL(vmemo_get(m, &k), -1);
        vmemo_put(m, &k, CHIPCHECK_ALLOWED);
    }
    for (unsigned i = 0; i < VMEMO_REST; i++)
        CU_ASSERT_FALSE(vmemo_wanted(m));
    CU_ASSERT_TRUE(vmemo_wanted(m));
    CU_ASSERT_EQUAL(vmemo_get(m, &k), CHIPCHECK_ALLOWED); /* what it held is still there */
    for (unsigned i = 1; i < VMEMO_WINDOW; i++) { /* one hit in two keeps it awake */
        CU_ASSERT_TRUE(vmemo_wanted(m));
        vmemo_get(m, &k);
        if (i % 2)
            vmemo_put(m, &k, CHIPCHECK_ALLOWED);
    }
    CU_ASSERT_TRUE(vmemo_wanted(m));
    vmemo_free(m);
}

int register_compiled_suite(void)
{
    CU_pSuite s = CU_add_suite("compiled", NULL, NULL);
    if (!s)
        return -1;
    ADD_TEST(s, test_every_version_compiles);
    ADD_TEST(s, test_compiled_equals_walker);
    ADD_TEST(s, test_memo_equals_walker);
    ADD_TEST(s, test_memo_keys);
    ADD_TEST(s, test_memo_rests);
    ADD_TEST(s, test_prepared_equals_struct);
    return 0;
}
