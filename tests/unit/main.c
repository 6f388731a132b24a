/* main.c: runs every CUnit suite with the bundled rules loaded once. Run from tests/ (the Makefile does). */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "unit.h"

chipcheck_rules *unit_rules;
static chipcheck_evaluator *unit_evaluator;

/* Every verdict is computed three ways and must agree: the decision's first verdict (the compiled tables),
 * its verdict once the reasons are built (the walker, the reference) and the verdict-only path. */
int unit_verdict(const char *json, chipcheck_error *err)
{
    chipcheck_error local, fast_err;
    chipcheck_decision *d = chipcheck_check_json(unit_rules, json, NULL, err ? err : &local);
    int fast = chipcheck_evaluator_verdict_json(unit_evaluator, json, NULL, &fast_err);
    if (!d) {
        CU_ASSERT_TRUE(fast < 0);
        CU_ASSERT_STRING_EQUAL(fast_err.message, (err ? err : &local)->message);
        return -1;
    }
    int first = (int)chipcheck_decision_verdict(d);
    (void)chipcheck_decision_reason_count(d); /* the walker decides again */
    int v = (int)chipcheck_decision_verdict(d);
    CU_ASSERT_EQUAL(first, v);
    if (fast != v)
        fprintf(stderr, "\nverdict-only path disagrees (%d, traced %d): %s\n", fast, v, json);
    CU_ASSERT_EQUAL(fast, v);
    chipcheck_decision_free(d);
    return v;
}

chipcheck_decision *unit_decide(const char *json)
{
    chipcheck_error err;
    chipcheck_decision *d = chipcheck_check_json(unit_rules, json, NULL, &err);
    if (!d)
        fprintf(stderr, "\nunexpected error for %s: %s: %s\n", json, err.field, err.message);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    return d;
}

int unit_has_class(const chipcheck_decision *d, const char *cls)
{
    for (size_t i = 0; i < chipcheck_decision_classification_count(d); i++)
        if (!strcmp(chipcheck_decision_classification(d, i), cls))
            return 1;
    return 0;
}

int unit_reason_result(const chipcheck_decision *d, const char *code, int result)
{
    for (size_t i = 0; i < chipcheck_decision_reason_count(d); i++) {
        const chipcheck_reason *r = chipcheck_decision_reason(d, i);
        if (!strcmp(chipcheck_reason_code(r), code) && chipcheck_reason_result(r) == result)
            return 1;
    }
    return 0;
}

int main(void)
{
    chipcheck_error err;
    unit_rules = chipcheck_rules_load_default(&err);
    if (!unit_rules) {
        fprintf(stderr, "cannot load the bundled rules: %s:%d:%d: %s\n", err.source, err.line, err.column, err.message);
        return 1;
    }
    unit_evaluator = chipcheck_evaluator_new(unit_rules, &err);
    if (!unit_evaluator || CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    if (register_util_suite() || register_expr_suite() || register_rules_load_suite() || register_shipment_suite() ||
        register_evaluate_suite() || register_decision_suite() || register_regimes_suite() ||
        register_catalog_suite() || register_analysis_suite() || register_compiled_suite() ||
        register_json_pull_suite()) {
        fprintf(stderr, "cannot register the suites: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 1;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    chipcheck_evaluator_free(unit_evaluator);
    chipcheck_rules_free(unit_rules);
    return failed ? 1 : 0;
}
