/*
 * test_threads.c: one rule collection shared by several threads without locks. Every thread checks the
 * same shipments many times and compares each decision's JSON, byte for byte, with the one made on the
 * main thread first. Run plain by `make test` and under ThreadSanitizer by `make tsan`.
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

static void *worker(void *arg)
{
    long bad = 0;
    (void)arg;
    for (int round = 0; round < ROUNDS; round++)
        for (size_t i = 0; i < N; i++) {
            chipcheck_error err;
            chipcheck_decision *d = chipcheck_check_json(rules, shipments[i], NULL, &err);
            char *j = d ? chipcheck_decision_json(d, 0) : NULL;
            if (!j || strcmp(j, expected[i]) != 0)
                bad++;
            chipcheck_free(j);
            chipcheck_decision_free(d);
        }
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
    chipcheck_rules_free(rules);
    long total = (long)THREADS * ROUNDS * (long)N;
    printf("threads: %ld passed, %ld failed\n", total - bad, bad);
    return bad ? 1 : 0;
}
