/*
 * erp_screen.c: screen a few order lines the way an ERP integration would. Copy and adapt.
 *
 * Load the rules once at start-up (they are immutable and may be shared by threads), check each order
 * line, map the verdict and the reason codes to your delivery blocks, free each decision, and free the
 * rules last. Dates are explicit here so the output is the same every day; in production leave the date
 * out (or set it to the planned ship date).
 *
 * Output, one line per order line: id verdict review_policy [codes of the reasons that hold...]
 *
 *     cc $(pkg-config --cflags chipcheck) erp_screen.c $(pkg-config --libs chipcheck) -o erp_screen
 */
#include <stdio.h>
#include <string.h>

#include "chipcheck.h"

/* Print one decision: id, verdict, review policy ("-" when none), then the codes of the reasons that hold. */
static void report(const chipcheck_decision *d)
{
    const char *id = chipcheck_decision_id(d);
    const char *policy = chipcheck_decision_review_policy(d);
    printf("%s %s %s", id != NULL ? id : "-", chipcheck_verdict_name((int)chipcheck_decision_verdict(d)),
           policy != NULL ? policy : "-");
    size_t n = chipcheck_decision_reason_count(d);
    for (size_t i = 0; i < n; i++) {
        const chipcheck_reason *r = chipcheck_decision_reason(d, i);
        if (chipcheck_reason_result(r) == 1)
            printf(" %s", chipcheck_reason_code(r));
    }
    /* Indeterminate: say what to ask the sales office for. */
    if (chipcheck_decision_verdict(d) == CHIPCHECK_INDETERMINATE) {
        printf(" missing:");
        for (size_t i = 0; i < chipcheck_decision_missing_count(d); i++)
            printf("%s%s", i ? "," : "", chipcheck_decision_missing(d, i));
    }
    putchar('\n');
}

/* A bad order line is an error, not a verdict: block it and show the clerk why (err->field names the field
 * at fault, for a program; the message quotes it, for a person). */
static void report_error(const char *id, const chipcheck_error *err)
{
    printf("%s error %s %s\n", id, chipcheck_status_name(err->code), err->message);
}

int main(void)
{
    chipcheck_error err;
    memset(&err, 0, sizeof err);
    chipcheck_rules *rules = chipcheck_rules_load_default(&err);
    if (rules == NULL) {
        fprintf(stderr, "erp_screen: cannot load the rules: %s\n", err.message);
        return 1;
    }

    /* Order lines as JSON, as they might come from the ERP's outbound interface. */
    static const struct { const char *id, *json; } lines[] = {
        {"SO-1001/10", "{\"id\": \"SO-1001/10\", \"date\": \"2025-05-02\", \"destination\": \"CN\","
                       " \"end_user_hq\": \"CN\", \"chip\": \"H20\"}"},
        {"SO-1001/20", "{\"id\": \"SO-1001/20\", \"date\": \"2025-05-02\", \"destination\": \"DE\","
                       " \"end_user_hq\": \"DE\", \"chip\": \"H20\"}"},
        {"SO-1002/10", "{\"id\": \"SO-1002/10\", \"date\": \"2026-02-01\", \"destination\": \"CN\","
                       " \"end_user_hq\": \"CN\", \"export_from\": \"US\", \"chip\": \"H200\"}"},
        {"SO-1003/10", "{\"id\": \"SO-1003/10\", \"date\": \"2025-05-02\", \"destination\": \"DE\","
                       " \"chip\": \"H100\"}"},
        {"SO-1004/10", "{\"id\": \"SO-1004/10\", \"date\": \"2025-05-02\", \"destination\": \"XX\","
                       " \"end_user_hq\": \"CN\", \"chip\": \"H20\"}"},
    };
    chipcheck_options opts = CHIPCHECK_OPTIONS_INIT;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        memset(&err, 0, sizeof err);
        chipcheck_decision *d = chipcheck_check_json(rules, lines[i].json, &opts, &err);
        if (d == NULL) {
            report_error(lines[i].id, &err);
            continue;
        }
        report(d);
        chipcheck_decision_free(d);
    }

    /* The same through the struct API, for a chip that is not in the catalog: figures from the datasheet.
     * Numbers not known are CHIPCHECK_UNSET (never 0); TPP is derived from the throughput figures. */
    static const chipcheck_throughput tp[] = {
        {"fp16", 200.0, 16, 0}, /* dense: 200 x 16 = 3200 */
        {"fp16", 400.0, 16, 1}, /* sparse: counts as half, the dense rate it implies: 400 / 2 x 16 = 3200 */
    };
    chipcheck_chip chip = {
        .name = "ACME X1", .vendor = "ACME", .part_number = "X1-600", .kind = "accelerator",
        .tpp = CHIPCHECK_UNSET, .die_area_mm2 = 600.0, .memory_bandwidth_gbs = 1200.0,
        .interconnect_bandwidth_gbs = 400.0, .hbm_bandwidth_density = CHIPCHECK_UNSET, .datacenter = 1,
        .throughput = tp, .n_throughput = sizeof tp / sizeof tp[0],
    };
    chipcheck_shipment s = {
        .id = "SO-1005/10", .date = "2025-06-02", .destination = "SA", .end_user_hq = "SA",
        .export_from = "US", .chip = &chip,
    };
    memset(&err, 0, sizeof err);
    chipcheck_decision *d = chipcheck_check(rules, &s, &opts, &err);
    if (d == NULL)
        report_error(s.id, &err);
    else
        report(d);
    chipcheck_decision_free(d);

    /* The same order line shipped under License Exception ACA (no notification needed). */
    s.id = "SO-1005/20";
    s.exception = "ACA";
    memset(&err, 0, sizeof err);
    d = chipcheck_check(rules, &s, &opts, &err);
    if (d == NULL)
        report_error(s.id, &err);
    else
        report(d);
    chipcheck_decision_free(d);

    chipcheck_rules_free(rules); /* last: decisions borrow from the rules */
    return 0;
}
