/* fuzz_rules.c: libFuzzer target for the rule-file loader: the input is one XML rule file. */
#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const bundled_file *xsd = NULL;
    for (size_t i = 0; i < cc_bundled_count; i++)
        if (cc_bundled_files[i].path && !__builtin_strcmp(cc_bundled_files[i].path, "schema/chipcheck-rules.xsd"))
            xsd = &cc_bundled_files[i];
    load_input in = {"fuzz.xml", data, size};
    chipcheck_error err;
    chipcheck_rules *r = rules_load_inputs(&in, 1, xsd->data, xsd->len, &err);
    if (!r && !FUZZ_ERROR_OK(err))
        abort(); /* every failure says why, in UTF-8 */
    if (r) {
        chipcheck_decision *d = chipcheck_check_json(r, "{\"date\":\"2025-05-02\",\"destination\":\"CN\",\"chip\":{\"name\":\"H20\","
                                                     "\"tpp\":2368,\"die_area_mm2\":814,\"memory_bandwidth_gbs\":4000}}", NULL, &err);
        char *j = chipcheck_decision_json(d, 0);
        chipcheck_free(j);
        chipcheck_decision_free(d);
    }
    chipcheck_rules_free(r);
    return 0;
}
