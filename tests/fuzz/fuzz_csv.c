/* fuzz_csv.c: libFuzzer target for the CSV reader of `chipcheck batch --input-format csv`
 * (bindings/cli/csv.c): the input is read as a file through fmemopen, its first record taken as the header,
 * every other record converted to shipment JSON and checked, as the batch does. Built with
 * bindings/cli/csv.c and -Ibindings/cli. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static chipcheck_rules *rules;

/* What every record must satisfy: at least one field; a well-formed one has no NUL inside a field. */
static void check_record(const csv_reader *r)
{
    size_t n = csv_field_count(r);
    if (n == 0 || csv_field(r, n, NULL) != NULL || csv_record_line(r) == 0)
        abort();
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        const char *f = csv_field(r, i, &len);
        if (f == NULL || f[len] != '\0')
            abort();
        if (csv_record_error(r) == NULL && strlen(f) != len)
            abort();
    }
}

static void check_row(const csv_columns *cols, const csv_reader *r)
{
    chipcheck_error err;
    (void)csv_record_id(cols, r);
    cJSON *ship = csv_record_to_shipment(cols, r, &err);
    if (ship == NULL) {
        if (err.code == CHIPCHECK_OK || err.message[0] == '\0')
            abort(); /* every failure says why */
        return;
    }
    char *json = cJSON_PrintUnformatted(ship);
    cJSON_Delete(ship);
    if (json == NULL)
        return;
    chipcheck_options o = CHIPCHECK_OPTIONS_INIT;
    o.default_date = "2025-05-02";
    chipcheck_decision *d = chipcheck_check_json(rules, json, &o, &err);
    if (d != NULL) {
        chipcheck_verdict v = chipcheck_decision_verdict(d);
        if (v != CHIPCHECK_ALLOWED && v != CHIPCHECK_LICENSE_REQUIRED && v != CHIPCHECK_INDETERMINATE)
            abort();
        chipcheck_decision_free(d);
    } else if (err.code == CHIPCHECK_OK || err.message[0] == '\0') {
        abort();
    }
    cJSON_free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rules) {
        chipcheck_error e;
        rules = chipcheck_rules_load_default(&e);
        if (!rules)
            abort();
    }
    /* A copy, so fmemopen gets a writable buffer of exactly the input (and ASan sees its bounds). */
    char *buf = malloc(size + 1);
    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    FILE *f = size > 0 ? fmemopen(buf, size, "r") : fopen("/dev/null", "r");
    if (f == NULL) {
        free(buf);
        return 0;
    }
    csv_reader *r = csv_reader_new(f);
    if (r != NULL && csv_read_record(r) == 1) {
        char msg[512];
        csv_columns cols;
        check_record(r);
        int header_ok = csv_columns_from_header(&cols, r, msg, sizeof msg) == 0;
        if (!header_ok && msg[0] == '\0')
            abort();
        unsigned long last_line = csv_record_line(r);
        while (csv_read_record(r) == 1) {
            check_record(r);
            if (csv_record_line(r) <= last_line) /* records come in line order */
                abort();
            last_line = csv_record_line(r);
            if (header_ok)
                check_row(&cols, r);
        }
        if (header_ok)
            csv_columns_free(&cols);
    }
    csv_reader_free(r);
    fclose(f);
    free(buf);
    return 0;
}
