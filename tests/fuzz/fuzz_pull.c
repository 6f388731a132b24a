/* fuzz_pull.c: libFuzzer target for the pull parser of shipment JSON (lib/json_pull.c). The oracle is the
 * differential test's (pull_diff.h): whatever the pull parser reads, cJSON (the reference) reads as the very
 * same shipment; anything else it must leave to cJSON. Then the whole entry point must say why it fails. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "fuzz_util.h"
#include "pull_diff.h"

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
    char why[160];
    if (pull_diff(s, why, sizeof why) == PULL_DIFFERS) {
        fprintf(stderr, "pull parser differs from cJSON: %s\n", why);
        abort();
    }
    chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
    o.default_date = "2025-05-02";
    chipcheck_error err;
    chipcheck_decision *d = chipcheck_check_json(rules, s, &o, &err);
    if (!d && !FUZZ_ERROR_OK(err))
        abort();
    chipcheck_decision_free(d);
    free(s);
    return 0;
}
