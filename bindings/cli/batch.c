/*
 * batch.c: `chipcheck batch`: JSON Lines in, JSON Lines out. Exactly one output line per input line, in
 * order: the decision, or an error record naming the line; the batch goes on after a bad line. Streams:
 * one line is held in memory at a time, however long it is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cli.h"

static const char batch_usage[] =
    "batch [--rules DIR] [--date YYYY-MM-DD] [--ruleset ID@VERSION] [--summary] [FILE...]";

typedef struct batch_state {
    const chipcheck_rules *rules;
    chipcheck_options opts;
    unsigned long lines, allowed, license_required, indeterminate, errors;
} batch_state;

/* The input's "id" when the line is a JSON object with a string or number id, else JSON null. A number is
 * given as a string, as in the decisions, so the records of one batch can be joined on id. */
static cJSON *input_id(const char *line)
{
    cJSON *root = cJSON_ParseWithOpts(line, NULL, 0);
    cJSON *id = NULL;
    if (cJSON_IsObject(root)) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "id");
        if (cJSON_IsString(v)) {
            id = cJSON_CreateString(v->valuestring);
        } else if (cJSON_IsNumber(v)) {
            char *text = cJSON_PrintUnformatted(v);
            if (text != NULL)
                id = cJSON_CreateString(text);
            cJSON_free(text);
        }
    }
    cJSON_Delete(root);
    return id != NULL ? id : cJSON_CreateNull();
}

/* Write the error record of one bad line. Returns 0 when out of memory. */
static int write_error_record(const char *line, unsigned long lineno, const char *file, const chipcheck_error *err)
{
    cJSON *rec = cJSON_CreateObject();
    cJSON *e = cJSON_CreateObject();
    char *text = NULL;
    int ok = 0;
    if (rec == NULL || e == NULL)
        goto done;
    cJSON_AddItemToObject(rec, "id", line != NULL ? input_id(line) : cJSON_CreateNull());
    cJSON_AddNumberToObject(rec, "line", (double)lineno);
    if (file != NULL)
        cJSON_AddStringToObject(rec, "file", file);
    cJSON_AddStringToObject(e, "code", chipcheck_status_name(err->code));
    if (err->field[0])
        cJSON_AddStringToObject(e, "field", err->field);
    else
        cJSON_AddNullToObject(e, "field");
    cJSON_AddStringToObject(e, "message", err->message[0] ? err->message : chipcheck_status_name(err->code));
    if (err->column > 0)
        cJSON_AddNumberToObject(e, "column", err->column);
    cJSON_AddItemToObject(rec, "error", e);
    e = NULL;
    text = cJSON_PrintUnformatted(rec);
    if (text == NULL)
        goto done;
    fputs(text, stdout);
    putchar('\n');
    ok = 1;
done:
    if (text != NULL)
        cJSON_free(text);
    cJSON_Delete(e);
    cJSON_Delete(rec);
    return ok;
}

static void make_error(chipcheck_error *err, int code, const char *message)
{
    memset(err, 0, sizeof *err);
    err->code = code;
    err->offset = -1;
    snprintf(err->message, sizeof err->message, "%s", message);
}

/* Check one line (without its newline) and write its output line. Returns 0 on a fatal error (out of memory). */
static int batch_line(batch_state *b, char *line, size_t len, unsigned long lineno, const char *file)
{
    chipcheck_error err;
    b->lines++;
    if (strlen(line) != len) {
        b->errors++;
        make_error(&err, CHIPCHECK_ERR_PARSE, "the line contains a NUL byte; expected a JSON object");
        return write_error_record(NULL, lineno, file, &err);
    }
    if (line[strspn(line, " \t\r\f\v")] == '\0') {
        b->errors++;
        make_error(&err, CHIPCHECK_ERR_PARSE, "empty line; expected a shipment JSON object");
        return write_error_record(NULL, lineno, file, &err);
    }
    memset(&err, 0, sizeof err);
    chipcheck_decision *d = chipcheck_check_json(b->rules, line, &b->opts, &err);
    if (d == NULL) {
        b->errors++;
        if (err.code == CHIPCHECK_ERR_NOMEM)
            return 0;
        return write_error_record(line, lineno, file, &err);
    }
    char *text = chipcheck_decision_json(d, 0);
    if (text == NULL) {
        chipcheck_decision_free(d);
        return 0;
    }
    switch (chipcheck_decision_verdict(d)) {
    case CHIPCHECK_ALLOWED: b->allowed++; break;
    case CHIPCHECK_LICENSE_REQUIRED: b->license_required++; break;
    case CHIPCHECK_INDETERMINATE: b->indeterminate++; break;
    default: break;
    }
    fputs(text, stdout);
    putchar('\n');
    chipcheck_free(text);
    chipcheck_decision_free(d);
    return 1;
}

/* Process one input. Returns 0 on a fatal error (already reported). */
static int batch_stream(batch_state *b, FILE *f, const char *file)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    int ok = 1;
    while ((n = getline(&line, &cap, f)) != -1) {
        size_t len = (size_t)n;
        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (!batch_line(b, line, len, lineno, file)) {
            errorf("%s:%lu: out of memory", file != NULL ? file : "<stdin>", lineno);
            ok = 0;
            break;
        }
    }
    if (ok && ferror(f)) {
        errorf("%s: read error after line %lu", file != NULL ? file : "<stdin>", lineno);
        ok = 0;
    }
    free(line);
    return ok;
}

/* Try the options once on a minimal shipment, so a bad --date or --ruleset is one usage error rather than an
 * error record on every line. Returns 1 when they are usable. */
static int options_usable(const chipcheck_rules *rules, const chipcheck_options *opts)
{
    chipcheck_error err;
    memset(&err, 0, sizeof err);
    chipcheck_decision *d =
        chipcheck_check_json(rules, "{\"destination\": \"US\", \"chip\": {\"name\": \"probe\"}}", opts, &err);
    if (d != NULL) {
        chipcheck_decision_free(d);
        return 1;
    }
    if (strcmp(err.field, "date") != 0 && strcmp(err.field, "ruleset") != 0)
        return 1; /* not about the options: each line will tell */
    errorf("batch: %s: %s", strcmp(err.field, "date") == 0 ? "--date" : "--ruleset", error_message_body(&err));
    return 0;
}

int cmd_batch(int argc, char **argv)
{
    args a;
    const char *opt, *val, *rules_dir = NULL, *date = NULL, *ruleset = NULL;
    int k, summary = 0, nfiles = 0;
    args_init(&a, argc, argv, 2, "batch", batch_usage);
    /* Options may come before or after the files. */
    const char **files = calloc((size_t)argc, sizeof *files);
    if (files == NULL) {
        errorf("out of memory");
        return EXIT_USAGE;
    }
    while ((k = args_next(&a, &opt, &val)) != 0) {
        const char **slot = NULL;
        if (k == 2) {
            files[nfiles++] = opt;
            continue;
        }
        if (strcmp(opt, "--rules") == 0)
            slot = &rules_dir;
        else if (strcmp(opt, "--date") == 0)
            slot = &date;
        else if (strcmp(opt, "--ruleset") == 0)
            slot = &ruleset;
        else if (strcmp(opt, "--summary") == 0) {
            if (args_no_value(&a, opt, val))
                goto usage;
            summary = 1;
            continue;
        } else if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            free(files);
            printf("usage: chipcheck %s\n", batch_usage);
            return finish_stdout(EXIT_OK);
        } else {
            usage_error(&a, "unknown option '%s'", opt);
            goto usage;
        }
        if ((*slot = args_value(&a, opt, val)) == NULL)
            goto usage;
    }

    chipcheck_rules *rules = load_rules(rules_dir);
    if (rules == NULL) {
        free(files);
        return EXIT_USAGE;
    }
    batch_state b;
    memset(&b, 0, sizeof b);
    b.rules = rules;
    chipcheck_options init = CHIPCHECK_OPTIONS_INIT;
    b.opts = init;
    b.opts.default_date = date; /* NULL: today */
    b.opts.ruleset = ruleset;
    if ((date != NULL || ruleset != NULL) && !options_usable(rules, &b.opts)) {
        chipcheck_rules_free(rules);
        free(files);
        return EXIT_USAGE;
    }

    int fatal = 0, unreadable = 0;
    if (nfiles == 0) {
        fatal = !batch_stream(&b, stdin, NULL);
    } else {
        for (int i = 0; i < nfiles && !fatal; i++) {
            int is_stdin = strcmp(files[i], "-") == 0;
            FILE *f = is_stdin ? stdin : fopen(files[i], "r");
            if (f == NULL) {
                errorf("%s: cannot open: %s", files[i], strerror(errno));
                unreadable = 1;
                continue;
            }
            fatal = !batch_stream(&b, f, files[i]);
            if (!is_stdin)
                fclose(f);
        }
    }
    fflush(stdout);
    if (summary)
        fprintf(stderr, "summary: %lu lines: %lu allowed, %lu license_required, %lu indeterminate, %lu errors\n",
                b.lines, b.allowed, b.license_required, b.indeterminate, b.errors);
    chipcheck_rules_free(rules);
    free(files);
    return finish_stdout(fatal || unreadable || b.errors > 0 ? EXIT_USAGE : EXIT_OK);

usage:
    free(files);
    return EXIT_USAGE;
}
