/* fuzz_shipment.c: libFuzzer target for the shipment/chip JSON parser and the evaluator behind it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chipcheck.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static chipcheck_rules *rules;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rules) {
        chipcheck_error e;
        rules = chipcheck_rules_load_default(&e);
        if (!rules)
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
    if (d) {
        /* fail closed: a decision is always one of the three verdicts */
        chipcheck_verdict v = chipcheck_decision_verdict(d);
        if (v != CHIPCHECK_ALLOWED && v != CHIPCHECK_LICENSE_REQUIRED && v != CHIPCHECK_INDETERMINATE)
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
