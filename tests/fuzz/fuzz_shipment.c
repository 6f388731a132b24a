/* fuzz_shipment.c: libFuzzer target for the shipment/chip JSON parser and the evaluator behind it. Its oracle
 * also holds the three verdict paths equal: the decision's first verdict (the compiled tables), its verdict
 * once the reasons are built (the walker, the reference), and an evaluator's verdict asked twice (the second
 * from its memory); a shipment refused by one is refused by the others with the same message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chipcheck.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static chipcheck_rules *rules;
static chipcheck_evaluator *ev;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rules) {
        chipcheck_error e;
        rules = chipcheck_rules_load_default(&e);
        if (!rules || !(ev = chipcheck_evaluator_new(rules, &e)))
            abort();
    }
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
    o.default_date = "2025-05-02";
    chipcheck_error err;
    chipcheck_decision *d = chipcheck_check_json(rules, s, &o, &err);
    chipcheck_error e1, e2;
    int fast1 = chipcheck_evaluator_verdict_json(ev, s, &o, &e1), fast2 = chipcheck_evaluator_verdict_json(ev, s, &o, &e2);
    if (fast1 != fast2 || (fast1 < 0 && strcmp(e1.message, e2.message) != 0))
        abort(); /* the evaluator's memory answers as the evaluation did */
    if (!d && (fast1 >= 0 || strcmp(err.message, e1.message) != 0))
        abort();
    if (d) {
        /* fail closed: a decision is always one of the three verdicts */
        chipcheck_verdict v = chipcheck_decision_verdict(d);
        if (v != CHIPCHECK_ALLOWED && v != CHIPCHECK_LICENSE_REQUIRED && v != CHIPCHECK_INDETERMINATE)
            abort();
        (void)chipcheck_decision_reason_count(d); /* the walker decides again */
        if ((int)chipcheck_decision_verdict(d) != (int)v || fast1 != (int)v)
            abort();
        char *j = chipcheck_decision_json(d, 0);
        if (!j || !fuzz_valid_utf8(j))
            abort();
        chipcheck_free(j);
    } else if (!FUZZ_ERROR_OK(err)) {
        abort(); /* every failure says why, in UTF-8 */
    }
    chipcheck_decision_free(d);
    free(s);
    return 0;
}
