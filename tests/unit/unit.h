/* unit.h: shared helpers of the CUnit suites (tests/unit/test_<libfile>.c, one suite each). */
#ifndef CHIPCHECK_UNIT_H
#define CHIPCHECK_UNIT_H

#include <CUnit/CUnit.h>

#include "chipcheck.h"

/* The default (bundled) rules, loaded once by main.c. */
extern chipcheck_rules *unit_rules;

/* Check a JSON shipment; returns the verdict, or -1 on error (message in *err when err is not NULL). */
int unit_verdict(const char *json, chipcheck_error *err);
/* Check a JSON shipment and return the decision (caller frees), failing the test if it errors. */
chipcheck_decision *unit_decide(const char *json);
/* 1 if the decision's classification list contains cls. */
int unit_has_class(const chipcheck_decision *d, const char *cls);
/* 1 if some reason with this code has the given result (1, 0, -1). */
int unit_reason_result(const chipcheck_decision *d, const char *code, int result);

int register_util_suite(void);
int register_expr_suite(void);
int register_rules_load_suite(void);
int register_shipment_suite(void);
int register_evaluate_suite(void);
int register_decision_suite(void);
int register_regimes_suite(void);
int register_catalog_suite(void);
int register_analysis_suite(void);
int register_compiled_suite(void);
int register_json_pull_suite(void);

#define ADD_TEST(suite, fn) do { if (!CU_add_test(suite, #fn, fn)) return -1; } while (0)

#endif
