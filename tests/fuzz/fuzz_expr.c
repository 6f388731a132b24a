/* fuzz_expr.c: libFuzzer target for the expression parser and evaluator of rule files. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int names(void *ctx, const char *name, size_t len, int *slot)
{
    (void)ctx;
    static const char *const known[] = {"tpp", "die_area_mm2", "memory_bandwidth_gbs"};
    for (int i = 0; i < 3; i++)
        if (strlen(known[i]) == len && !memcmp(known[i], name, len)) {
            *slot = i;
            return 0;
        }
    return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    char msg[160];
    size_t pos = 0;
    expr *e = expr_parse(s, (int)(size & 1), names, NULL, &pos, msg, sizeof msg);
    if (e) {
        double vals[MAX_SLOTS] = {2368, 814, 4000}, vars[2] = {148, 16}, out;
        unsigned char have[MAX_SLOTS] = {1, 1, (unsigned char)(size & 2)};
        field_mask miss[MAX_SLOTS] = {1, 2, 4};
        (void)expr_eval(e, vals, have, vars, &out);
        (void)expr_missing(e, have, miss);
        expr_free(e);
    } else if (pos > size || msg[0] == '\0') {
        abort();
    }
    free(s);
    return 0;
}
