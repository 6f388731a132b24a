/*
 * test_threads.c: one rule collection shared by several threads without locks. Every thread checks the
 * same shipments many times and compares each decision's JSON, byte for byte, with the one made on the
 * main thread first; and, with an evaluator of its own, decides the same prepared chips (prepared once on
 * the main thread, shared by all) against the main thread's verdicts. Run plain by `make test` and under
 * ThreadSanitizer by `make tsan`.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chipcheck.h"

#define THREADS 4
#define ROUNDS 200

static const char *const shipments[] = {
    "{\"id\":\"1\",\"date\":\"2025-05-02\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"H20\"}",
    "{\"id\":\"2\",\"date\":\"2025-08-01\",\"destination\":\"HK\",\"chip\":\"H20\"}",
    "{\"id\":\"3\",\"date\":\"2024-01-10\",\"destination\":\"SA\",\"end_user_hq\":\"SA\",\"chip\":\"H100\"}",
    "{\"id\":\"4\",\"date\":\"2026-03-01\",\"destination\":\"CN\",\"export_from\":\"US\",\"chip\":\"H200\"}",
    "{\"id\":\"5\",\"date\":\"2024-06-01\",\"destination\":\"DE\",\"chip\":{\"name\":\"X\",\"tpp\":2000}}",
    ("{\"id\":\"6\",\"date\":\"2024-06-01\",\"destination\":\"CN\",\"end_user_hq\":\"CN\",\"chip\":\"RTX 4090\","
     "\"exception\":\"NAC\",\"exception_authorization\":\"N-1\"}"),
    "{\"id\":\"7\",\"date\":\"2022-01-01\",\"destination\":\"CN\",\"chip\":\"A100\"}",
    "{\"id\":\"8\",\"date\":\"2023-06-01\",\"destination\":\"CN\",\"chip\":\"A800\"}",
};
#define N (sizeof shipments / sizeof shipments[0])

static chipcheck_rules *rules;
static char *expected[N];

/* prepared chips, shared; each row: chip, destination, end user, origin, date */
static const char *const prepared_rows[][5] = {
    {"H20", "CN", "CN", "US", "2025-05-02"}, {"H20", "DE", "DE", NULL, "2025-05-02"},
    {"H100", "SA", "SA", "US", "2024-01-10"}, {"A800", "CN", NULL, "US", "2023-12-01"},
    {"RTX 4090", "KP", "KP", NULL, "2024-06-01"}, {"A800", "DE", "CN", "US", "2024-06-01"},
};
#define NP (sizeof prepared_rows / sizeof prepared_rows[0])
static chipcheck_prepared_chip *pchip[NP];
static int pexpected[NP];

static long prepared_round(chipcheck_evaluator *ev)
{
    long bad = 0;
    for (size_t i = 0; i < NP; i++) {
        chipcheck_error err;
        const char *const *r = prepared_rows[i];
        bad += chipcheck_evaluator_verdict_prepared(ev, pchip[i], r[1], r[2], r[3], r[4], NULL, &err) != pexpected[i];
    }
    return bad;
}

static void *worker(void *arg)
{
    long bad = 0;
    (void)arg;
    chipcheck_error e;
    chipcheck_evaluator *ev = chipcheck_evaluator_new(rules, &e);
    for (int round = 0; round < ROUNDS; round++) {
        bad += ev ? prepared_round(ev) : (long)NP;
        for (size_t i = 0; i < N; i++) {
            chipcheck_error err;
            chipcheck_decision *d = chipcheck_check_json(rules, shipments[i], NULL, &err);
            char *j = d ? chipcheck_decision_json(d, 0) : NULL;
            if (!j || strcmp(j, expected[i]) != 0)
                bad++;
            chipcheck_free(j);
            chipcheck_decision_free(d);
        }
    }
    chipcheck_evaluator_free(ev);
    return (void *)bad;
}

int main(void)
{
    chipcheck_error err;
    rules = chipcheck_rules_load_default(&err);
    if (!rules) {
        fprintf(stderr, "load: %s\n", err.message);
        return 1;
    }
    for (size_t i = 0; i < N; i++) {
        chipcheck_decision *d = chipcheck_check_json(rules, shipments[i], NULL, &err);
        expected[i] = d ? chipcheck_decision_json(d, 0) : NULL;
        chipcheck_decision_free(d);
        if (!expected[i]) {
            fprintf(stderr, "shipment %zu: %s\n", i, err.message);
            return 1;
        }
    }
    for (size_t i = 0; i < NP; i++) {
        chipcheck_shipment sh = CHIPCHECK_SHIPMENT_INIT;
        const char *const *r = prepared_rows[i];
        sh.chip_name = r[0];
        sh.destination = r[1];
        sh.end_user_hq = r[2];
        sh.export_from = r[3];
        sh.date = r[4];
        chipcheck_evaluator *ev = chipcheck_evaluator_new(rules, &err);
        pexpected[i] = ev ? chipcheck_evaluator_verdict(ev, &sh, NULL, &err) : -1;
        chipcheck_evaluator_free(ev);
        pchip[i] = chipcheck_prepare_chip(rules, r[0], NULL, &err);
        if (pexpected[i] < 0 || !pchip[i]) {
            fprintf(stderr, "prepared row %zu: %s\n", i, err.message);
            return 1;
        }
    }
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, worker, NULL) != 0)
            return 1;
    long bad = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad += (long)r;
    }
    for (size_t i = 0; i < N; i++)
        chipcheck_free(expected[i]);
    for (size_t i = 0; i < NP; i++)
        chipcheck_prepared_chip_free(pchip[i]);
    chipcheck_rules_free(rules);
    long total = (long)THREADS * ROUNDS * (long)(N + NP);
    printf("threads: %ld passed, %ld failed\n", total - bad, bad);
    return bad ? 1 : 0;
}
