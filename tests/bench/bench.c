/*
 * bench.c: `make bench`. A deterministic workload (seeded: the catalog chips and synthetic chips around
 * every threshold, 40 destinations, dates 2022-2026), timed on one core and then on two threads sharing
 * one rule collection. Each figure is the median of several runs with the spread (min..max); the last
 * line is the same figures as one JSON object. A benchmark, not a test: nothing here asserts a time.
 *
 *   bench --check                 no timing: every shipment of the workload through each verdict path (the
 *                                  evaluator twice, the second from its memory; a prepared chip twice; the
 *                                  decision's first verdict; the walker's once its reasons are built), which
 *                                  must agree; exit 1 when one does not (make test runs this).
 *   bench [CLI [PYTHON_SCRIPT]]   CLI is the chipcheck binary for the batch runs (end to end, 1,000,000 JSON
 *                                  Lines, one job and two); PYTHON_SCRIPT (tests/bench/bench_python.py) is
 *                                  run with $PYTHON (python3 when unset) for the Python figures.
 *
 * Each row is printed beside the figure issue 11 measured before the compiled path ("before") and its
 * target.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chipcheck.h"

#define NSHIP 65536
#define RUNS 5
#define BATCH_RUNS 2

static const char *const dests[40] = {"CN", "HK", "MO", "RU", "IR", "KP", "BY", "VE", "CU", "SY", "IQ", "LY", "MM", "NI",
                                      "AF", "KH", "VN", "SA", "AE", "EG", "JO", "KW", "QA", "OM", "PK", "KZ", "UZ", "GE",
                                      "AM", "AZ", "DE", "JP", "US", "GB", "FR", "IL", "TW", "SG", "MX", "IN"};
static const char *const catalog[] = {"A100", "A800", "H100", "H800", "H20", "RTX 4090", "RTX 4090D", "MI308X", "H200",
                                      "L40S", "MI325X"};
static const double tpps[] = {1599, 1600, 2368, 2399, 2400, 4707, 4799, 4800, 4801, 5285, 15832, 20999, 21000, 36000};
static const double densities[] = {1.59, 1.6, 2.91, 3.19, 3.2, 5.91, 5.92, 6.5, 19.4};
static const double mems[] = {864, 1008, 1399, 1400, 2039, 3350, 4000, 4800, 6499, 6500, 8000};
static const double ics[] = {0, 64, 400, 599, 600, 699, 900, 1099, 1100, 1800};

static unsigned long long rng = 0x2545F4914F6CDD1DULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}
#define PICK(a) (a)[rnd(sizeof(a) / sizeof((a)[0]))]

typedef struct work {
    chipcheck_shipment s[NSHIP];
    chipcheck_chip c[NSHIP];
    char date[NSHIP][11];
    char name[NSHIP][16];
} work;
static work W;

static void make_workload(void)
{
    for (int i = 0; i < NSHIP; i++) {
        chipcheck_shipment *s = &W.s[i];
        memset(s, 0, sizeof *s);
        /* each draw in its own statement: the order of function arguments and initialisers is unspecified,
         * and the workload must be the same whichever compiler builds it */
        unsigned day = 1 + rnd(28), month = 1 + rnd(12), year = 2022 + rnd(5);
        snprintf(W.date[i], sizeof W.date[i], "%04u-%02u-%02u", year, month, day);
        s->date = W.date[i];
        s->destination = PICK(dests);
        unsigned h = rnd(10);
        s->end_user_hq = h < 7 ? s->destination : h < 9 ? PICK(dests) : NULL;
        s->export_from = rnd(10) < 7 ? "US" : NULL;
        if (rnd(3) == 0) {
            s->chip_name = PICK(catalog);
            continue;
        }
        chipcheck_chip *c = &W.c[i];
        double tpp = PICK(tpps);
        double density = PICK(densities);
        double mem = PICK(mems);
        double ic = PICK(ics);
        int datacenter = (int)rnd(3) - 1;
        *c = (chipcheck_chip){W.name[i], "Synthetic", NULL, NULL, tpp, tpp / density, mem, ic, CHIPCHECK_UNSET,
                              datacenter, NULL, 0};
        snprintf(W.name[i], sizeof W.name[i], "SYN-%u", rnd(512));
        if (rnd(20) == 0)
            c->die_area_mm2 = CHIPCHECK_UNSET; /* some missing data */
        s->chip = c;
    }
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct stat3 { double med, lo, hi; } stat3;
static stat3 summarize(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return (stat3){v[n / 2], v[0], v[n - 1]};
}

static chipcheck_rules *rules;
static long sink;

/* Verdicts over the first `distinct` shipments of the workload (a power of two), cycled. With all 65,536
 * nearly every shipment is new to the evaluator's memory of recent verdicts (4,096 kept); with 1,024 it is
 * an order book that repeats its lines, as real ones do. */
static double run_verdicts_over(long n, long distinct)
{
    chipcheck_error err;
    chipcheck_evaluator *ev = chipcheck_evaluator_new(rules, &err);
    double t0 = now();
    for (long i = 0; i < n; i++)
        sink += chipcheck_evaluator_verdict(ev, &W.s[i & (distinct - 1)], NULL, &err);
    double t = now() - t0;
    chipcheck_evaluator_free(ev);
    return (double)n / t;
}

static double run_verdicts(long n) { return run_verdicts_over(n, NSHIP); }

/* The same through prepared chips (chipcheck_prepare_chip(), once per shipment's chip, not timed): what an
 * ERP with SKU master data does. */
static chipcheck_prepared_chip *prepared[NSHIP];
static double run_prepared_over(long n, long distinct)
{
    chipcheck_error err;
    chipcheck_evaluator *ev = chipcheck_evaluator_new(rules, &err);
    for (long i = 0; i < distinct; i++)
        prepared[i] = chipcheck_prepare_chip(rules, W.s[i].chip_name, W.s[i].chip, &err);
    double t0 = now();
    for (long i = 0; i < n; i++) {
        const chipcheck_shipment *s = &W.s[i & (distinct - 1)];
        sink += chipcheck_evaluator_verdict_prepared(ev, prepared[i & (distinct - 1)], s->destination, s->end_user_hq,
                                                     s->export_from, s->date, NULL, &err);
    }
    double t = now() - t0;
    for (long i = 0; i < distinct; i++)
        chipcheck_prepared_chip_free(prepared[i]);
    chipcheck_evaluator_free(ev);
    return (double)n / t;
}

static double run_traces(long n)
{
    chipcheck_error err;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        chipcheck_decision *d = chipcheck_check(rules, &W.s[i & (NSHIP - 1)], NULL, &err);
        char *j = chipcheck_decision_json(d, 0);
        sink += j ? (long)j[0] : 0;
        chipcheck_free(j);
        chipcheck_decision_free(d);
    }
    return (double)n / (now() - t0);
}

static double run_traced_only(long n)
{
    chipcheck_error err;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        chipcheck_decision *d = chipcheck_check(rules, &W.s[i & (NSHIP - 1)], NULL, &err);
        sink += d ? (long)chipcheck_decision_verdict(d) : 0;
        chipcheck_decision_free(d);
    }
    return (double)n / (now() - t0);
}

typedef struct targ { long n; double rate; } targ;
static void *thread_main(void *p)
{
    targ *a = p;
    a->rate = run_verdicts(a->n);
    return NULL;
}

static double run_threads(int k, long n)
{
    pthread_t t[2];
    targ a[2];
    double t0 = now();
    for (int i = 0; i < k; i++) {
        a[i].n = n;
        pthread_create(&t[i], NULL, thread_main, &a[i]);
    }
    for (int i = 0; i < k; i++)
        pthread_join(t[i], NULL);
    return (double)n * k / (now() - t0);
}

static void write_jsonl(const char *path, long lines)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    for (long i = 0; i < lines; i++) {
        const chipcheck_shipment *s = &W.s[i & (NSHIP - 1)];
        fprintf(f, "{\"id\":\"L%ld\",\"date\":\"%s\",\"destination\":\"%s\"", i, s->date, s->destination);
        if (s->end_user_hq)
            fprintf(f, ",\"end_user_hq\":\"%s\"", s->end_user_hq);
        if (s->export_from)
            fprintf(f, ",\"export_from\":\"%s\"", s->export_from);
        if (s->chip_name)
            fprintf(f, ",\"chip\":\"%s\"}\n", s->chip_name);
        else {
            const chipcheck_chip *c = s->chip;
            fprintf(f, ",\"chip\":{\"name\":\"%s\",\"tpp\":%.6g,\"memory_bandwidth_gbs\":%.6g,\"interconnect_bandwidth_gbs\":%.6g",
                    c->name, c->tpp, c->memory_bandwidth_gbs, c->interconnect_bandwidth_gbs);
            if (c->die_area_mm2 == c->die_area_mm2)
                fprintf(f, ",\"die_area_mm2\":%.6g", c->die_area_mm2);
            if (c->datacenter >= 0)
                fprintf(f, ",\"datacenter\":%s", c->datacenter ? "true" : "false");
            fputs("}}\n", f);
        }
    }
    fclose(f);
}

/* Run `cli batch < in > /dev/null`; returns lines/s and sets *rss_kib to the child's peak RSS. */
static double run_batch(const char *cli, const char *in, long lines, int brief, int jobs, long *rss_kib)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(in, "r", stdin) || !freopen("/dev/null", "w", stdout))
            _exit(127);
        if (jobs > 1)
            execl(cli, cli, "batch", "--brief", "--jobs", "2", "--date", "2025-05-02", (char *)NULL);
        else if (brief)
            execl(cli, cli, "batch", "--brief", "--date", "2025-05-02", (char *)NULL);
        else
            execl(cli, cli, "batch", "--date", "2025-05-02", (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 2 ||
        getrusage(RUSAGE_CHILDREN, &ru) != 0) { /* the largest peak RSS of the children waited for */
        fprintf(stderr, "bench: %s batch failed\n", cli);
        exit(1);
    }
    *rss_kib = ru.ru_maxrss;
    return (double)lines / (now() - t0);
}

/* Run the Python figures: "check verdict bulk distinct" per second, or zeros when it cannot run. */
static void run_python(const char *script, double out[4])
{
    char cmd[1024];
    const char *py = getenv("PYTHON");
    out[0] = out[1] = out[2] = out[3] = 0;
    snprintf(cmd, sizeof cmd, "%s %s", py && *py ? py : "python3", script);
    FILE *p = popen(cmd, "r");
    if (!p || fscanf(p, "%lf %lf %lf %lf", &out[0], &out[1], &out[2], &out[3]) != 4)
        fprintf(stderr, "bench: %s gave no figures\n", cmd);
    if (p)
        pclose(p);
}

/* The batch runs over one 1,000,000-line file: full, --brief, --brief --jobs 2. */
static void run_batches(const char *cli, long lines, stat3 out[3], long *peak)
{
    char path[] = "/tmp/chipcheck-bench-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        exit(1);
    }
    close(fd);
    write_jsonl(path, lines);
    for (int k = 0; k < 3; k++) {
        double b[BATCH_RUNS];
        for (int i = 0; i < BATCH_RUNS; i++) {
            long rss;
            b[i] = run_batch(cli, path, lines, k > 0, k == 2 ? 2 : 1, &rss);
            if (rss > *peak)
                *peak = rss;
        }
        out[k] = summarize(b, BATCH_RUNS);
    }
    unlink(path);
}

static void row(const char *name, const char *unit, stat3 s, const char *before, const char *target)
{
    printf("  %-44s %11.0f %-8s (%.0f..%.0f)  before %-10s target %s\n", name, s.med, unit, s.lo, s.hi, before,
           target);
}

/* bench --check: the verdict paths agree on every shipment of the workload. Returns the exit status. */
static int check_paths(void)
{
    chipcheck_error err, e2;
    chipcheck_evaluator *ev = chipcheck_evaluator_new(rules, &err), *pv = chipcheck_evaluator_new(rules, &err);
    chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
    long disagree = 0, n[4] = {0, 0, 0, 0};
    o.default_date = "2025-05-02";
    for (int i = 0; ev && pv && i < NSHIP; i++) {
        const chipcheck_shipment *s = &W.s[i];
        chipcheck_decision *d = chipcheck_check(rules, s, &o, &err);
        int first = d ? (int)chipcheck_decision_verdict(d) : err.code;
        if (d)
            (void)chipcheck_decision_reason_count(d); /* the walker decides again */
        int walker = d ? (int)chipcheck_decision_verdict(d) : err.code;
        chipcheck_prepared_chip *p = chipcheck_prepare_chip(rules, s->chip_name, s->chip, &e2);
        int h = p ? 0 : e2.code;
        int got[4] = {chipcheck_evaluator_verdict(ev, s, &o, &e2), chipcheck_evaluator_verdict(ev, s, &o, &e2),
                      h < 0 ? h : chipcheck_evaluator_verdict_prepared(pv, p, s->destination, s->end_user_hq,
                                                                       s->export_from, s->date, &o, &e2),
                      h < 0 ? h : chipcheck_evaluator_verdict_prepared(pv, p, s->destination, s->end_user_hq,
                                                                       s->export_from, s->date, &o, &e2)};
        chipcheck_prepared_chip_free(p);
        int same = first == walker;
        for (int k = 0; k < 4; k++)
            same &= got[k] == walker;
        if (!same && disagree++ < 5)
            fprintf(stderr, "bench --check: shipment %d: walker %d, decision %d, evaluator %d/%d, prepared %d/%d\n", i,
                    walker, first, got[0], got[1], got[2], got[3]);
        if (walker >= 0 && walker < 4)
            n[walker]++;
        chipcheck_decision_free(d);
    }
    chipcheck_evaluator_free(ev);
    chipcheck_evaluator_free(pv);
    printf("bench --check: %d shipments, %ld allowed, %ld license_required, %ld indeterminate: %s\n", NSHIP,
           n[CHIPCHECK_ALLOWED], n[CHIPCHECK_LICENSE_REQUIRED], n[CHIPCHECK_INDETERMINATE],
           disagree ? "the paths DISAGREE" : "every path agrees");
    return disagree || !ev || !pv ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *cli = argc > 1 ? argv[1] : NULL, *pyscript = argc > 2 ? argv[2] : NULL;
    chipcheck_error err;
    double v[RUNS];
    make_workload();
    if (cli && !strcmp(cli, "--check")) {
        if (!(rules = chipcheck_rules_load_default(&err))) {
            fprintf(stderr, "bench: %s\n", err.message);
            return 1;
        }
        int rc = check_paths();
        chipcheck_rules_free(rules);
        return rc;
    }

    double load[21];
    for (int i = 0; i < 21; i++) {
        double t0 = now();
        chipcheck_rules *r = chipcheck_rules_load_default(&err);
        load[i] = (now() - t0) * 1e3;
        if (!r) {
            fprintf(stderr, "bench: %s\n", err.message);
            return 1;
        }
        chipcheck_rules_free(r);
    }
    stat3 sl = summarize(load, 21);
    rules = chipcheck_rules_load_default(&err);

    for (int i = 0; i < RUNS; i++)
        v[i] = run_verdicts(2000000);
    stat3 sv = summarize(v, RUNS);
    for (int i = 0; i < RUNS; i++)
        v[i] = run_verdicts_over(4000000, 1024);
    stat3 svr = summarize(v, RUNS);
    for (int i = 0; i < RUNS; i++)
        v[i] = run_prepared_over(2000000, NSHIP);
    stat3 svp = summarize(v, RUNS);
    for (int i = 0; i < RUNS; i++)
        v[i] = run_prepared_over(10000000, 1024);
    stat3 svpr = summarize(v, RUNS);
    for (int i = 0; i < RUNS; i++)
        v[i] = run_traced_only(100000);
    stat3 sto = summarize(v, RUNS);
    for (int i = 0; i < RUNS; i++)
        v[i] = run_traces(50000);
    stat3 st = summarize(v, RUNS);
    double t1[3], t2[3];
    for (int i = 0; i < 3; i++) {
        t1[i] = run_threads(1, 2000000);
        t2[i] = run_threads(2, 2000000);
    }
    stat3 s1 = summarize(t1, 3), s2 = summarize(t2, 3);

    stat3 sb[3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
    long peak = 0, batch_lines = 1000000;
    if (cli)
        run_batches(cli, batch_lines, sb, &peak);
    double py[4] = {0, 0, 0, 0};
    if (pyscript)
        run_python(pyscript, py);

    printf("chipcheck %s benchmark (one core unless stated; median of runs, spread min..max)\n", chipcheck_version());
    printf("  %-44s %11.3f ms       (%.3f..%.3f)\n", "load bundled rule sets (and compile)", sl.med, sl.lo, sl.hi);
    row("verdict only (chipcheck_evaluator_verdict)", "/s", sv, "2.45 M/s", ">= 20 M/s");
    row("verdict only, 1,024 distinct lines repeated", "/s", svr, "-", "-");
    row("verdict of a prepared chip", "/s", svp, "-", ">= 20 M/s");
    row("verdict of a prepared chip, 1,024 repeated", "/s", svpr, "-", ">= 20 M/s");
    row("traced decision, no JSON (chipcheck_check)", "/s", sto, "~0.35 M/s", ">= 2 M/s");
    row("traced decision rendered to JSON", "/s", st, "0.10 M/s", "-");
    row("verdict only, 1 thread", "/s", s1, "-", "-");
    printf("  %-44s %11.0f /s total (%.0f..%.0f), scaling x%.2f\n", "verdict only, 2 threads", s2.med, s2.lo, s2.hi,
           s2.med / s1.med);
    if (cli) {
        row("batch --brief, 1M JSON Lines", "lines/s", sb[1], "282 k/s", ">= 1 M/s");
        row("batch full decisions, 1M JSON Lines", "lines/s", sb[0], "84 k/s", ">= 250 k/s");
        printf("  %-44s %11.0f lines/s (%.0f..%.0f), x%.2f one job  before -          target >= x1.8\n",
               "batch --brief --jobs 2", sb[2].med, sb[2].lo, sb[2].hi, sb[2].med / sb[1].med);
        printf("  %-44s %11.1f MiB                         before 15.7 MiB   target < 64 MiB\n",
               "peak RSS of the batches", (double)peak / 1024.0);
    }
    if (pyscript) {
        printf("  %-44s %11.0f /s                          before ~5 k/s     target >= 100 k/s\n",
               "Python check(), one at a time", py[0]);
        printf("  %-44s %11.0f /s                          before -          target -\n",
               "Python verdict(), one at a time", py[1]);
        printf("  %-44s %11.0f /s                          before ~5 k/s     target >= 1 M/s\n",
               "Python screen() over columns (bulk)", py[2]);
        printf("  %-44s %11.0f /s                          before -          target -\n",
               "Python screen(), every row distinct", py[3]);
    }
    printf("{\"version\":\"%s\",\"load_ms\":%.3f,\"verdict_per_s\":%.0f,\"verdict_repeated_per_s\":%.0f,\"prepared_per_s\":%.0f,\"prepared_repeated_per_s\":%.0f,\"traced_per_s\":%.0f,\"trace_json_per_s\":%.0f,"
           "\"threads1_per_s\":%.0f,\"threads2_per_s\":%.0f,\"batch_lines_per_s\":%.0f,\"batch_brief_lines_per_s\":%.0f,"
           "\"batch_brief_jobs2_lines_per_s\":%.0f,\"batch_peak_rss_mib\":%.1f,\"python_check_per_s\":%.0f,"
           "\"python_verdict_per_s\":%.0f,\"python_bulk_per_s\":%.0f,\"python_distinct_per_s\":%.0f}\n",
           chipcheck_version(), sl.med, sv.med, svr.med, svp.med, svpr.med, sto.med, st.med, s1.med, s2.med, sb[0].med, sb[1].med, sb[2].med,
           (double)peak / 1024.0, py[0], py[1], py[2], py[3]);
    chipcheck_rules_free(rules);
    return sink == 42 ? 2 : 0;
}
