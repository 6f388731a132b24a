/*
 * batch.c: `chipcheck batch`: JSON Lines (or CSV, csv.c) in, JSON Lines out. Exactly one output line per
 * input line (CSV: per data row), in order: the decision, or an error record naming the line; the batch goes
 * on after a bad line. Streams: one line or record is held in memory at a time, however long it is.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli.h"

static const char batch_usage[] =
    "batch [--rules DIR] [--date YYYY-MM-DD] [--ruleset ID@VERSION] [--input-format jsonl|csv] [--brief] [--summary] "
    "[--jobs N] [--report FILE.html [--ruleset ID@VERSION2]] [FILE...]";

/* How often a reason code held, for --summary. The code is borrowed from the rules. */
typedef struct code_count {
    const char *code;
    unsigned long count;
    unsigned long last; /* the decision that last counted it: a code counts once per decision */
} code_count;

typedef struct batch_state {
    int brief; /* write CHIPCHECK_JSON_BRIEF decisions */
    const chipcheck_rules *rules;
    chipcheck_options opts;
    unsigned long lines, allowed, license_required, indeterminate, errors;
    unsigned long stale; /* decisions dated after a consulted regime's reviewed date */
    int summary, progress;
    code_count *codes;
    size_t ncodes, codes_cap;
    int write_errno; /* writing stdout failed (EPIPE when the reader went away): the batch stops */
    report *report;           /* --report: the page's tallies, or NULL */
    chipcheck_options opts2;  /* a second --ruleset: each line is also checked with it, for the report */
    int compare;
    char *out;       /* output lines not yet written (--jobs: a worker's, written by the main thread in order) */
    size_t outlen, outcap;
    int buffered;    /* a worker of --jobs: out is written by the main thread, never by emit() */
    int line_out;    /* stdout is a terminal: each line is written as it is made */
} batch_state;

enum { PROGRESS_EVERY = 10000 };

/* The input's "id" when the line is a JSON object with a string or number id, else JSON null. A number is
 * given as a string, as in the decisions, so the records of one batch can be joined on id. *replaced says
 * whether bytes that are not UTF-8 were replaced (the output stays valid UTF-8 JSON). */
static cJSON *input_id(const char *line, int *replaced)
{
    cJSON *root = cJSON_ParseWithOpts(line, NULL, 0);
    cJSON *id = NULL;
    if (cJSON_IsObject(root)) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "id");
        if (cJSON_IsString(v)) {
            id = json_text(v->valuestring, replaced);
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

/* Make *buf hold at least need bytes, doubling from 64 KiB. Returns 0 when out of memory (*buf unchanged). */
static int grow_buffer(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 1;
    size_t n = *cap ? *cap : 65536;
    while (n < need)
        n *= 2;
    char *nb = realloc(*buf, n);
    if (nb == NULL)
        return 0;
    *buf = nb;
    *cap = n;
    return 1;
}

/* Output is written in blocks of about OUT_BLOCK bytes: the lines are appended to one buffer, written with
 * one fwrite (whole blocks go straight to write(2)) when it fills, before the input is read again, and at
 * the end. */
enum { OUT_BLOCK = 1 << 16 };

/* Write n bytes of output. Every write is checked: returns 0 when stdout failed (b->write_errno set), so
 * that a batch whose reader is gone stops, even with SIGPIPE ignored. */
static int write_block(batch_state *b, const char *text, size_t n)
{
    if (b->write_errno)
        return 0;
    errno = 0;
    if (n && (fwrite(text, 1, n, stdout) != n || fflush(stdout) != 0 || ferror(stdout))) {
        b->write_errno = errno ? errno : EIO;
        return 0;
    }
    return 1;
}

/* Write the output held in b->out. Returns 0 when writing failed. */
static int flush_out(batch_state *b)
{
    int ok = write_block(b, b->out, b->outlen);
    b->outlen = 0;
    return ok;
}

/* Add one output line (written when the block is full). Returns 0 when out of memory or when writing
 * failed (b->write_errno set). */
static int emit(batch_state *b, const char *text)
{
    size_t n = strlen(text);
    if (!grow_buffer(&b->out, &b->outcap, b->outlen + n + 1))
        return 0;
    memcpy(b->out + b->outlen, text, n);
    b->out[b->outlen + n] = '\n';
    b->outlen += n + 1;
    if (!b->buffered && (b->outlen >= OUT_BLOCK || b->line_out))
        return flush_out(b);
    return 1;
}

/* Write the error record of one bad line; id (a string or JSON null) is taken over, id_replaced says whether
 * bytes of it that were not UTF-8 were replaced by U+FFFD. Every record is valid UTF-8 JSON: a file name
 * is made so the same way, and "invalid_utf8" lists the fields that were. Returns 0 when out of memory or
 * when writing failed. */
static int write_error_record(batch_state *b, cJSON *id, int id_replaced, unsigned long lineno, const char *file,
                              const chipcheck_error *err)
{
    cJSON *rec = cJSON_CreateObject();
    cJSON *e = cJSON_CreateObject();
    char *text = NULL;
    int ok = 0, file_replaced = 0;
    if (b->report != NULL) /* every bad line counts in the report, whatever made it bad */
        report_error(b->report, lineno, file, cJSON_GetStringValue(id), err);
    if (rec == NULL || e == NULL || id == NULL) {
        cJSON_Delete(id);
        goto done;
    }
    cJSON_AddItemToObject(rec, "id", id);
    cJSON_AddNumberToObject(rec, "line", (double)lineno);
    if (file != NULL)
        cJSON_AddItemToObject(rec, "file", json_text(file, &file_replaced));
    if (id_replaced || file_replaced) {
        cJSON *list = cJSON_AddArrayToObject(rec, "invalid_utf8");
        if (id_replaced)
            cJSON_AddItemToArray(list, cJSON_CreateString("id"));
        if (file_replaced)
            cJSON_AddItemToArray(list, cJSON_CreateString("file"));
    }
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
    ok = emit(b, text);
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

/* The batch's count of code (found, or added at zero). NULL when out of memory. */
static code_count *code_entry(batch_state *b, const char *code)
{
    size_t k = 0;
    while (k < b->ncodes && b->codes[k].code != code && strcmp(b->codes[k].code, code) != 0)
        k++;
    if (k < b->ncodes)
        return &b->codes[k];
    if (b->ncodes == b->codes_cap) {
        size_t cap = b->codes_cap ? b->codes_cap * 2 : 32;
        code_count *nc = realloc(b->codes, cap * sizeof *nc);
        if (nc == NULL)
            return NULL;
        b->codes = nc;
        b->codes_cap = cap;
    }
    b->codes[b->ncodes] = (code_count){code, 0, 0};
    return &b->codes[b->ncodes++];
}

/* Count the codes of the reasons that hold in decision d (number serial), each once. Returns 0 when out of
 * memory. */
static int count_codes(batch_state *b, const chipcheck_decision *d, unsigned long serial)
{
    size_t n = chipcheck_decision_reason_count(d);
    for (size_t i = 0; i < n; i++) {
        const chipcheck_reason *r = chipcheck_decision_reason(d, i);
        const char *code = r != NULL ? chipcheck_reason_code(r) : NULL;
        if (code == NULL || chipcheck_reason_result(r) != 1)
            continue;
        code_count *cc = code_entry(b, code);
        if (cc == NULL)
            return 0;
        if (cc->last != serial) {
            cc->last = serial;
            cc->count++;
        }
    }
    return 1;
}

/* Every PROGRESS_EVERY lines, "\rbatch: N lines" on stderr (only when b->progress: stderr is a terminal). */
static void progress(const batch_state *b)
{
    if (b->progress && b->lines % PROGRESS_EVERY == 0) {
        fprintf(stderr, "\rbatch: %lu lines", b->lines);
        fflush(stderr);
    }
}

/* Check one shipment (JSON text) and write its output line; id is the error record's id (taken over), made
 * from the text when NULL. When id is given the JSON was generated (CSV), so an error's column in it would
 * mean nothing to the user and is dropped. Returns 0 on a fatal error (out of memory). */
/* The report's count of a decided line: with a second rule set, the line is checked again under it. */
static int report_decision(batch_state *b, const chipcheck_decision *d, const char *json, unsigned long lineno,
                           const char *file)
{
    chipcheck_error err;
    chipcheck_decision *d2 = b->compare ? chipcheck_check_json(b->rules, json, &b->opts2, &err) : NULL;
    int ok = (!b->compare || d2 != NULL) && report_line(b->report, d, d2, lineno, file);
    chipcheck_decision_free(d2);
    return ok;
}

static int batch_check(batch_state *b, const char *json, cJSON *id, int id_replaced, unsigned long lineno,
                       const char *file)
{
    chipcheck_error err;
    memset(&err, 0, sizeof err);
    chipcheck_decision *d = chipcheck_check_json(b->rules, json, &b->opts, &err);
    if (d == NULL) {
        b->errors++;
        if (err.code == CHIPCHECK_ERR_NOMEM) {
            cJSON_Delete(id);
            return 0;
        }
        int replaced = id_replaced;
        if (id != NULL)
            err.line = err.column = 0;
        else
            id = input_id(json, &replaced);
        return write_error_record(b, id, replaced, lineno, file, &err);
    }
    cJSON_Delete(id);
    if (b->report != NULL && !report_decision(b, d, json, lineno, file)) {
        chipcheck_decision_free(d);
        return 0;
    }
    char *text = chipcheck_decision_json(d, b->brief ? CHIPCHECK_JSON_BRIEF : 0);
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
    b->stale += chipcheck_decision_freshness_count(d) > 0;
    int ok = (!b->summary || count_codes(b, d, b->lines)) && emit(b, text);
    chipcheck_free(text);
    chipcheck_decision_free(d);
    return ok;
}

/* A line that cannot be a shipment: an error record (id null) saying why. Returns 0 on a fatal error. */
static int batch_bad_line(batch_state *b, const char *why, unsigned long lineno, const char *file)
{
    chipcheck_error err;
    b->errors++;
    make_error(&err, CHIPCHECK_ERR_PARSE, why);
    return write_error_record(b, cJSON_CreateNull(), 0, lineno, file, &err);
}

/* Check one line (without its newline) and write its output line. Returns 0 on a fatal error (out of memory,
 * or writing failed). */
static int batch_line(batch_state *b, char *line, size_t len, unsigned long lineno, const char *file)
{
    if (strlen(line) != len)
        return batch_bad_line(b, "the line contains a NUL byte; expected a JSON object", lineno, file);
    if (line[strspn(line, " \t\r\f\v")] == '\0')
        return batch_bad_line(b, "empty line; expected a shipment JSON object", lineno, file);
    return batch_check(b, line, NULL, 0, lineno, file);
}

/* Say why the batch stopped early (writing stdout is reported once, by cmd_batch). */
static void report_fatal(const batch_state *b, const char *shown, unsigned long lineno)
{
    if (!b->write_errno)
        errorf("%s:%lu: out of memory", shown, lineno);
}

/* Check the current data row of a CSV input and write its output line. Returns 0 on a fatal error. */
static int batch_csv_row(batch_state *b, const csv_columns *cols, const csv_reader *r, const char *file)
{
    chipcheck_error err;
    unsigned long lineno = csv_record_line(r);
    const char *idcell = csv_record_id(cols, r);
    b->lines++;
    progress(b);
    int id_replaced = 0;
    cJSON *id = idcell != NULL ? json_text(idcell, &id_replaced) : cJSON_CreateNull();
    if (id == NULL)
        return 0;
    cJSON *ship = csv_record_to_shipment(cols, r, &err);
    if (ship == NULL) {
        if (err.code == CHIPCHECK_ERR_NOMEM) {
            cJSON_Delete(id);
            return 0;
        }
        b->errors++;
        return write_error_record(b, id, id_replaced, lineno, file, &err);
    }
    char *json = cJSON_PrintUnformatted(ship);
    cJSON_Delete(ship);
    if (json == NULL) {
        cJSON_Delete(id);
        return 0;
    }
    int ok = batch_check(b, json, id, id_replaced, lineno, file);
    cJSON_free(json);
    return ok;
}

/* A line reader over a stream that holds at most BATCH_MAX_LINE bytes of a line: a longer line is read to
 * its end but not kept, so that no input (an endless line, /dev/zero) grows memory without bound. */
enum { BATCH_MAX_LINE = 64 << 20 };
typedef struct line_reader {
    FILE *f;
    char *line;
    size_t cap;
    char in[65536];
    size_t pos, len;
    int read_errno; /* why reading failed */
} line_reader;

/* The next line, without its newline, NUL-terminated in lr->line (which may hold NUL bytes: *len is its
 * length). Returns 1, 0 at the end of the input, -1 on a read error. *too_long is set when the line was
 * longer than BATCH_MAX_LINE (*len is then 0). */
static int next_line(line_reader *lr, size_t *len, int *too_long)
{
    size_t n = 0;
    int any = 0;
    *too_long = 0;
    for (;;) {
        if (lr->pos == lr->len) {
            lr->pos = 0;
            errno = 0;
            lr->len = fread(lr->in, 1, sizeof lr->in, lr->f);
            if (lr->len == 0) {
                if (ferror(lr->f)) {
                    lr->read_errno = errno ? errno : EIO;
                    return -1;
                }
                if (!any)
                    return 0;
                break; /* a last line without a newline */
            }
        }
        any = 1;
        const char *start = lr->in + lr->pos, *nl = memchr(start, '\n', lr->len - lr->pos);
        size_t take = nl != NULL ? (size_t)(nl - start) : lr->len - lr->pos;
        lr->pos += take + (nl != NULL);
        if (!*too_long && n + take > BATCH_MAX_LINE) {
            *too_long = 1;
            n = 0;
        }
        if (!*too_long) {
            if (n + take + 1 > lr->cap) {
                size_t cap = lr->cap ? lr->cap : 4096;
                while (cap < n + take + 1)
                    cap *= 2;
                char *nb = realloc(lr->line, cap);
                if (nb == NULL)
                    return -2;
                lr->line = nb;
                lr->cap = cap;
            }
            memcpy(lr->line + n, start, take);
            n += take;
        }
        if (nl != NULL)
            break;
    }
    if (lr->line == NULL && (lr->line = malloc(lr->cap = 4096)) == NULL)
        return -2;
    lr->line[n] = '\0';
    *len = n;
    return 1;
}

/* Is the first line of a JSON Lines input a CSV header instead: not a JSON object, and either a header of
 * known columns or the first line of a file named *.csv? */
static int looks_like_csv(const char *line, size_t len, const char *file)
{
    const char *p = line + strspn(line, " \t\xEF\xBB\xBF");
    if (*p == '{' || *p == '\0' || strlen(line) != len)
        return 0;
    size_t flen = file != NULL ? strlen(file) : 0;
    if (flen > 4 && strcasecmp(file + flen - 4, ".csv") == 0)
        return 1;
    if (strchr(line, ',') == NULL)
        return 0;
    FILE *f = fmemopen((void *)(uintptr_t)line, len, "r");
    csv_reader *r = f != NULL ? csv_reader_new(f) : NULL;
    csv_columns cols;
    char msg[512];
    int csv = r != NULL && csv_read_record(r) == 1 && csv_columns_from_header(&cols, r, msg, sizeof msg) == 0;
    if (csv)
        csv_columns_free(&cols);
    csv_reader_free(r);
    if (f != NULL)
        fclose(f);
    return csv;
}

/* Process one input. Returns 0 on a fatal error (already reported). */
static int batch_stream(batch_state *b, FILE *f, const char *file)
{
    line_reader *lr = calloc(1, sizeof *lr);
    const char *shown = file != NULL ? file : "<stdin>";
    unsigned long lineno = 0;
    size_t len;
    int rc = 0, too_long, ok = 1;
    if (lr == NULL) {
        errorf("%s: out of memory", shown);
        return 0;
    }
    lr->f = f;
    /* the output so far is written before the input is read again (a reader waiting for it sees it) */
    while (ok && (lr->pos < lr->len || (ok = flush_out(b))) && (rc = next_line(lr, &len, &too_long)) == 1) {
        lineno++;
        b->lines++;
        progress(b);
        if (len > 0 && lr->line[len - 1] == '\r')
            lr->line[--len] = '\0';
        if (lineno == 1 && !too_long && looks_like_csv(lr->line, len, file)) {
            errorf("batch: %s is CSV (its first line is a header, not a JSON object): give --input-format csv",
                   file != NULL && strcmp(file, "-") != 0 ? file : "the standard input");
            b->lines--;
            ok = 0;
            break;
        }
        ok = too_long ? batch_bad_line(b, "the line is longer than 64 MiB; expected one shipment JSON object", lineno, file)
                      : batch_line(b, lr->line, len, lineno, file);
        if (!ok)
            report_fatal(b, shown, lineno);
    }
    if (ok && rc == -2)
        errorf("%s: out of memory at line %lu", shown, lineno + 1);
    else if (ok && rc < 0 && lineno == 0)
        errorf("%s: cannot read: %s", shown, strerror(lr->read_errno));
    else if (ok && rc < 0)
        errorf("%s: cannot read after line %lu: %s", shown, lineno, strerror(lr->read_errno));
    ok = ok && rc >= 0;
    free(lr->line);
    free(lr);
    return ok;
}

/* ---- --jobs N: JSON Lines checked on N threads sharing the rules, written in input order --------------
 * The main thread reads lines into chunks and hands them out through a ring of RING_PER_JOB * N slots
 * (so at most that many chunks are in flight: memory stays bounded whatever the input's length); each
 * worker checks a chunk's lines into the chunk's own batch_state, which buffers the output lines and counts;
 * the main thread writes the chunks in order and adds up their counts. The output is the same bytes as
 * with one job. */
enum { CHUNK_LINES = 128, CHUNK_BYTES = 1 << 20, RING_PER_JOB = 3 };

typedef struct chunk {
    char *text;                 /* the lines, each NUL-terminated */
    size_t len, cap;
    size_t off[CHUNK_LINES], lens[CHUNK_LINES];
    unsigned char too_long[CHUNK_LINES];
    size_t nlines;
    unsigned long first;        /* line number of its first line */
    batch_state res;            /* the worker's output and counts */
    size_t done;                /* lines checked (when fatal, the last one failed) */
    int fatal, ready;
} chunk;

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    chunk *ring;
    size_t nring;
    unsigned long produced, taken, consumed;
    int stop;
    const char *file;
} pool;

static void chunk_run(chunk *c, const char *file)
{
    batch_state *w = &c->res;
    c->fatal = 0;
    for (c->done = 0; c->done < c->nlines && !c->fatal; c->done++) {
        size_t i = c->done;
        unsigned long lineno = c->first + i;
        w->lines++; /* the serial count_codes() counts by */
        int ok = c->too_long[i]
                 ? batch_bad_line(w, "the line is longer than 64 MiB; expected one shipment JSON object", lineno, file)
                 : batch_line(w, c->text + c->off[i], c->lens[i], lineno, file);
        c->fatal = !ok;
    }
}

static void *worker_main(void *arg)
{
    pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->taken == p->produced)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        chunk *c = &p->ring[p->taken++ % p->nring];
        pthread_mutex_unlock(&p->mu);
        chunk_run(c, p->file);
        pthread_mutex_lock(&p->mu);
        c->ready = 1;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Add one code count of a chunk into the batch's. Returns 0 when out of memory. */
static int merge_code(batch_state *b, const code_count *cc)
{
    code_count *into = code_entry(b, cc->code);
    if (into == NULL)
        return 0;
    into->count += cc->count;
    return 1;
}

/* Wait for the oldest chunk in flight, write it and add its counts. Returns 0 when the batch must stop
 * (writing failed, or a line was fatal: reported). */
static int chunk_collect(batch_state *b, pool *p, const char *shown)
{
    chunk *c = &p->ring[p->consumed % p->nring];
    pthread_mutex_lock(&p->mu);
    while (!c->ready)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    batch_state *w = &c->res;
    for (size_t i = 0; i < c->done; i++) {
        b->lines++;
        progress(b);
    }
    write_block(b, w->out, w->outlen); /* one block for the chunk's lines */
    b->allowed += w->allowed;
    b->license_required += w->license_required;
    b->indeterminate += w->indeterminate;
    b->errors += w->errors;
    b->stale += w->stale;
    int ok = !b->write_errno && !c->fatal;
    for (size_t i = 0; ok && i < w->ncodes; i++)
        ok = merge_code(b, &w->codes[i]);
    if (!ok && !b->write_errno)
        report_fatal(b, shown, c->fatal ? c->first + c->done - 1 : c->first);
    w->allowed = w->license_required = w->indeterminate = w->errors = w->stale = 0;
    w->ncodes = 0;
    w->outlen = 0;
    c->ready = 0;
    c->nlines = c->len = 0;
    p->consumed++;
    return ok;
}

/* Append the line just read to the chunk being filled. Returns 0 when out of memory. */
static int chunk_add(chunk *c, const char *line, size_t len, int too_long, unsigned long lineno)
{
    if (c->nlines == 0)
        c->first = lineno;
    if (!grow_buffer(&c->text, &c->cap, c->len + len + 1))
        return 0;
    memcpy(c->text + c->len, line, len + 1);
    c->off[c->nlines] = c->len;
    c->lens[c->nlines] = len;
    c->too_long[c->nlines++] = (unsigned char)too_long;
    c->len += len + 1;
    return 1;
}

static void pool_stop(pool *p, pthread_t *t, int started)
{
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    for (size_t i = 0; i < p->nring; i++) {
        free(p->ring[i].text);
        free(p->ring[i].res.out);
        free(p->ring[i].res.codes);
    }
    free(p->ring);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
}

/* Hand the chunk being filled to the workers. */
static void chunk_submit(pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->produced++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

/* Start a pool of jobs workers whose chunks check like b. Returns the number of threads started (0: none,
 * out of memory or no thread). */
static int pool_start(pool *p, const batch_state *b, int jobs, const char *file, pthread_t *t)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->file = file;
    p->nring = (size_t)jobs * RING_PER_JOB;
    if ((p->ring = calloc(p->nring, sizeof *p->ring)) == NULL)
        return 0;
    for (size_t i = 0; i < p->nring; i++) {
        batch_state *w = &p->ring[i].res;
        w->rules = b->rules;
        w->opts = b->opts;
        w->brief = b->brief;
        w->summary = b->summary;
        w->buffered = 1;
    }
    int n = 0;
    while (n < jobs && pthread_create(&t[n], NULL, worker_main, p) == 0)
        n++;
    return n;
}

/* batch_stream() with jobs worker threads. Returns 0 on a fatal error (already reported). */
static int batch_stream_jobs(batch_state *b, FILE *f, const char *file, int jobs)
{
    const char *shown = file != NULL ? file : "<stdin>";
    line_reader *lr = calloc(1, sizeof *lr);
    pthread_t *t = calloc((size_t)jobs, sizeof *t);
    pool p;
    int started = lr != NULL && t != NULL ? pool_start(&p, b, jobs, file, t) : -1;
    unsigned long lineno = 0;
    size_t len;
    int rc = 0, too_long, ok = started > 0;
    if (!ok)
        errorf("%s: out of memory (or no thread) for --jobs", shown);
    else
        lr->f = f;
    while (ok && (rc = next_line(lr, &len, &too_long)) == 1) {
        lineno++;
        if (len > 0 && lr->line[len - 1] == '\r')
            lr->line[--len] = '\0';
        if (lineno == 1 && !too_long && looks_like_csv(lr->line, len, file)) {
            errorf("batch: %s is CSV (its first line is a header, not a JSON object): give --input-format csv",
                   file != NULL && strcmp(file, "-") != 0 ? file : "the standard input");
            ok = 0;
            break;
        }
        if (p.produced - p.consumed == p.nring && !(ok = chunk_collect(b, &p, shown)))
            break; /* every slot in flight: write the oldest first */
        chunk *c = &p.ring[p.produced % p.nring];
        if (!chunk_add(c, too_long ? "" : lr->line, too_long ? 0 : len, too_long, lineno)) {
            rc = -2;
            break;
        }
        if (c->nlines == CHUNK_LINES || c->len >= CHUNK_BYTES)
            chunk_submit(&p);
    }
    if (ok && p.ring[p.produced % p.nring].nlines > 0)
        chunk_submit(&p);
    while (ok && p.consumed < p.produced)
        ok = chunk_collect(b, &p, shown);
    if (ok && rc == -2)
        errorf("%s: out of memory at line %lu", shown, lineno + 1);
    else if (ok && rc < 0)
        errorf("%s: read error after line %lu", shown, lineno);
    ok = ok && rc >= 0;
    if (started >= 0)
        pool_stop(&p, t, started);
    free(t);
    if (lr != NULL)
        free(lr->line);
    free(lr);
    return ok;
}

/* One CSV input: opened, and its header read, before any row of any input is checked. */
typedef struct csv_input {
    const char *name; /* NULL for stdin */
    FILE *f;
    csv_reader *r;
    csv_columns cols;
    int has_header;   /* 0: the input is empty */
} csv_input;

/* Open a CSV input and read its header. Returns 1 when fine, 0 when the input cannot be opened (reported;
 * in->f is NULL), -1 on a bad header or a read error (reported). */
static int csv_input_open(csv_input *in, const char *path)
{
    char msg[512];
    const char *shown = path != NULL ? path : "<stdin>";
    memset(in, 0, sizeof *in);
    in->name = path;
    in->f = path == NULL || strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (in->f == NULL) {
        errorf("%s: cannot open: %s", path, strerror(errno));
        return 0;
    }
    if ((in->r = csv_reader_new(in->f)) == NULL) {
        errorf("%s: out of memory", shown);
        return -1;
    }
    int rc = csv_read_record(in->r);
    if (rc < 0) {
        errorf("%s: cannot read the header: %s", shown, csv_reader_error(in->r));
        return -1;
    }
    if (rc == 0)
        return 1;
    if (csv_columns_from_header(&in->cols, in->r, msg, sizeof msg) != 0) {
        errorf("%s: %s", shown, msg);
        return -1;
    }
    in->has_header = 1;
    return 1;
}

static void csv_input_close(csv_input *in)
{
    csv_columns_free(&in->cols);
    csv_reader_free(in->r);
    if (in->f != NULL && in->f != stdin)
        fclose(in->f);
    in->f = NULL;
    in->r = NULL;
}

/* Check every data row of a CSV input whose header has been read. Returns 0 on a fatal error (reported). */
static int batch_csv_stream(batch_state *b, csv_input *in)
{
    const char *shown = in->name != NULL ? in->name : "<stdin>";
    int rc;
    if (!in->has_header)
        return 1;
    while ((rc = csv_read_record(in->r)) == 1) {
        if (!batch_csv_row(b, &in->cols, in->r, in->name)) {
            report_fatal(b, shown, csv_record_line(in->r));
            return 0;
        }
    }
    if (rc < 0) {
        errorf("%s: cannot read after line %lu: %s", shown, csv_record_line(in->r), csv_reader_error(in->r));
        return 0;
    }
    return 1;
}

/* Run the CSV inputs (stdin when there are no files): every header first, so an unknown column is one
 * usage error before any row is checked. Sets *unreadable when an input could not be opened. Returns 0 on
 * a fatal error (a bad header, a read error). */
static int batch_csv(batch_state *b, const char **files, int nfiles, int *unreadable)
{
    int n = nfiles > 0 ? nfiles : 1, ok = 1, stdin_used = 0;
    csv_input *in = calloc((size_t)n, sizeof *in);
    if (in == NULL) {
        errorf("out of memory");
        return 0;
    }
    for (int i = 0; i < n && ok; i++) {
        const char *path = nfiles > 0 ? files[i] : NULL;
        if ((path == NULL || strcmp(path, "-") == 0) && stdin_used++) {
            errorf("batch: standard input ('-') can be read only once");
            ok = 0;
            break;
        }
        int rc = csv_input_open(&in[i], path);
        if (rc == 0)
            *unreadable = 1;
        else if (rc < 0)
            ok = 0;
    }
    for (int i = 0; i < n && ok; i++)
        if (in[i].f != NULL)
            ok = batch_csv_stream(b, &in[i]);
    for (int i = 0; i < n; i++)
        csv_input_close(&in[i]);
    free(in);
    return ok;
}

static int by_count_then_code(const void *pa, const void *pb)
{
    const code_count *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->code, b->code);
}

/* The --summary lines on stderr: the counts, then how many decisions each reason code held in. */
static void print_summary(batch_state *b, int csv)
{
    fprintf(stderr, "summary: %lu %s: %lu allowed, %lu license_required, %lu indeterminate, %lu errors\n",
            b->lines, csv ? "rows" : "lines", b->allowed, b->license_required, b->indeterminate, b->errors);
    if (b->stale > 0)
        fprintf(stderr, "summary: %lu decision%s dated after the rules' reviewed date: check for newer rules\n",
                b->stale, b->stale == 1 ? "" : "s");
    if (b->ncodes == 0)
        return;
    qsort(b->codes, b->ncodes, sizeof *b->codes, by_count_then_code);
    int width = snprintf(NULL, 0, "%lu", b->codes[0].count);
    fputs("summary: reason codes that held, with the number of decisions:\n", stderr);
    for (size_t i = 0; i < b->ncodes; i++)
        fprintf(stderr, "  %*lu  %s\n", width, b->codes[i].count, b->codes[i].code);
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
    if (err.code == CHIPCHECK_ERR_NOT_FOUND && strcmp(err.field, "ruleset") == 0)
        ruleset_hint(rules, opts->ruleset);
    return 0;
}

/* --report FILE and a second --ruleset: the second needs the report (where the comparison goes), and both must
 * pin versions of one regime (ID@A, ID@B): the same lines are checked with that regime at each version, every
 * other regime by date. Returns 1 when fine, else 0 after the usage error. */
static int report_args_ok(args *a, const char *report_path, const char *ruleset, const char *ruleset2)
{
    if (ruleset2 == NULL)
        return 1;
    if (report_path == NULL) {
        usage_error(a, "a second --ruleset needs --report FILE.html (the report shows what changes between them)");
        return 0;
    }
    const char *at1 = strchr(ruleset, '@'), *at2 = strchr(ruleset2, '@');
    if (at1 == NULL || at2 == NULL || at1 - ruleset != at2 - ruleset2 || strncmp(ruleset, ruleset2, (size_t)(at1 - ruleset))) {
        usage_error(a, "two --ruleset options compare two versions of one regime (ID@A ID@B); got '%s' and '%s'",
                    ruleset, ruleset2);
        return 0;
    }
    return 1;
}

/* Write the report page; the inputs are named in it. Returns 1, or 0 after an error. */
static int write_report(batch_state *b, const char **files, int nfiles)
{
    char inputs[1024] = "";
    for (int i = 0; i < nfiles; i++)
        snprintf(inputs + strlen(inputs), sizeof inputs - strlen(inputs), "%s%s", i ? ", " : "",
                 strcmp(files[i], "-") == 0 ? "standard input" : files[i]);
    return report_write(b->report, nfiles ? inputs : "standard input") == 0;
}

/* The options of batch. Options may come before or after the files. */
typedef struct batch_args {
    const char *rules_dir, *date, *ruleset, *ruleset2, *format, *report_path, *jobs_text;
    int summary, brief, csv, nfiles, jobs;
    const char **files; /* argc entries, the caller's */
} batch_args;

/* Parse the options; -1 when they are fine, else the exit status (the usage error printed, or help). */
static int parse_batch_args(args *a, batch_args *o)
{
    const char *opt, *val;
    int k;
    while ((k = args_next(a, &opt, &val)) != 0) {
        const char **slot = NULL;
        if (k == 2) {
            o->files[o->nfiles++] = opt;
            continue;
        }
        if (strcmp(opt, "--rules") == 0)
            slot = &o->rules_dir;
        else if (strcmp(opt, "--date") == 0)
            slot = &o->date;
        else if (strcmp(opt, "--ruleset") == 0 && o->ruleset2 != NULL)
            return usage_error(a, "--ruleset given more than twice");
        else if (strcmp(opt, "--ruleset") == 0)
            slot = o->ruleset == NULL ? &o->ruleset : &o->ruleset2;
        else if (strcmp(opt, "--report") == 0)
            slot = &o->report_path;
        else if (strcmp(opt, "--input-format") == 0)
            slot = &o->format;
        else if (strcmp(opt, "--jobs") == 0 || strcmp(opt, "-j") == 0)
            slot = &o->jobs_text;
        else if (strcmp(opt, "--summary") == 0 || strcmp(opt, "--brief") == 0) {
            if (args_no_value(a, opt, val))
                return EXIT_USAGE;
            *(opt[2] == 's' ? &o->summary : &o->brief) = 1;
            continue;
        } else if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            printf("usage: chipcheck %s\n", batch_usage);
            return finish_stdout(EXIT_OK);
        } else {
            static const char *const known[] = {"--rules --rules-dir", "--date", "--ruleset --rule-set",
                                                "--input-format --format --input", "--brief", "--summary",
                                                "--jobs", "--report", "--help"};
            unknown_option(a, opt, known, sizeof known / sizeof known[0]);
            return EXIT_USAGE;
        }
        if ((*slot = args_value(a, opt, val)) == NULL)
            return EXIT_USAGE;
    }
    o->jobs = 1;
    if (o->jobs_text != NULL) {
        char *end;
        long n = strtol(o->jobs_text, &end, 10);
        if (*o->jobs_text < '0' || *o->jobs_text > '9' || *end != '\0' || n < 1 || n > 256)
            return usage_error(a, "--jobs must be a number of threads from 1 to 256; got '%s'", o->jobs_text);
        o->jobs = (int)n;
    }
    o->csv = o->format != NULL && strcmp(o->format, "csv") == 0;
    if (o->format != NULL && !o->csv && strcmp(o->format, "jsonl") != 0) {
        static const char *const formats[] = {"jsonl json", "csv"};
        bad_value(a, "--input-format", o->format, formats, 2);
        return EXIT_USAGE;
    }
    return report_args_ok(a, o->report_path, o->ruleset, o->ruleset2) ? -1 : EXIT_USAGE;
}

/* The batch's state from its options: options tried once, the report made. Returns 1, or 0 (error printed). */
static int batch_setup(batch_state *b, const chipcheck_rules *rules, const batch_args *o)
{
    chipcheck_options init = CHIPCHECK_OPTIONS_INIT;
    memset(b, 0, sizeof *b);
    b->rules = rules;
    b->opts = init;
    b->opts.default_date = o->date; /* NULL: today */
    b->opts.ruleset = o->ruleset;
    b->summary = o->summary;
    b->brief = o->brief;
    /* Progress only for a person watching: stderr a terminal, and stdout not that terminal too (the
     * decisions would be torn by the \r lines). */
    b->progress = o->summary && isatty(fileno(stderr)) && !isatty(fileno(stdout));
    b->opts2 = b->opts;
    b->opts2.ruleset = o->ruleset2;
    b->compare = o->ruleset2 != NULL;
    if ((o->date != NULL || o->ruleset != NULL) && !options_usable(rules, &b->opts))
        return 0;
    if (b->compare && !options_usable(rules, &b->opts2))
        return 0;
    if (o->report_path != NULL && (b->report = report_new(o->report_path, o->ruleset, o->ruleset2)) == NULL) {
        errorf("out of memory");
        return 0;
    }
    return 1;
}

/* Every JSON Lines input in turn (stdin when there is none). Sets *unreadable when a file cannot be opened.
 * Returns 0 on a fatal error (reported). */
static int batch_jsonl(batch_state *b, const batch_args *o, int *unreadable)
{
    /* the report's tallies are kept by one thread: with --report the batch runs on one */
    int jobs = b->report != NULL ? 1 : o->jobs;
    if (o->nfiles == 0)
        return jobs > 1 ? batch_stream_jobs(b, stdin, NULL, jobs) : batch_stream(b, stdin, NULL);
    for (int i = 0; i < o->nfiles; i++) {
        int is_stdin = strcmp(o->files[i], "-") == 0;
        FILE *f = is_stdin ? stdin : fopen(o->files[i], "r");
        if (f == NULL) {
            errorf("%s: cannot open: %s", o->files[i], strerror(errno));
            *unreadable = 1;
            continue;
        }
        int ok = jobs > 1 ? batch_stream_jobs(b, f, o->files[i], jobs) : batch_stream(b, f, o->files[i]);
        if (!is_stdin)
            fclose(f);
        if (!ok)
            return 0;
    }
    return 1;
}

int cmd_batch(int argc, char **argv)
{
    args a;
    batch_args o;
    batch_state b;
    memset(&o, 0, sizeof o);
    memset(&b, 0, sizeof b);
    args_init(&a, argc, argv, 2, "batch", batch_usage);
    if ((o.files = calloc((size_t)argc, sizeof *o.files)) == NULL) {
        errorf("out of memory");
        return EXIT_USAGE;
    }
    int st = parse_batch_args(&a, &o);
    chipcheck_rules *rules = st < 0 ? load_rules(o.rules_dir) : NULL;
    if (rules == NULL || !batch_setup(&b, rules, &o)) {
        report_free(b.report);
        chipcheck_rules_free(rules);
        free(o.files);
        return st < 0 ? EXIT_USAGE : st;
    }
    int unreadable = 0;
    b.line_out = isatty(fileno(stdout));
    int fatal = o.csv ? !batch_csv(&b, o.files, o.nfiles, &unreadable) : !batch_jsonl(&b, &o, &unreadable);
    flush_out(&b); /* what was made before a fatal error too */
    free(b.out);
    errno = 0;
    if (b.write_errno == 0 && fflush(stdout) != 0)
        b.write_errno = errno ? errno : EIO;
    if (b.write_errno)
        errorf("batch: cannot write the output: %s", strerror(b.write_errno));
    if (b.progress && b.lines >= PROGRESS_EVERY) /* clear the progress line */
        fprintf(stderr, "\r%*s\r", snprintf(NULL, 0, "batch: %lu lines", b.lines), "");
    if (o.summary)
        print_summary(&b, o.csv);
    if (b.report != NULL && !fatal && !b.write_errno)
        fatal = !write_report(&b, o.files, o.nfiles);
    report_free(b.report);
    free(b.codes);
    chipcheck_rules_free(rules);
    free(o.files);
    if (b.write_errno)
        return EXIT_USAGE;
    return finish_stdout(fatal || unreadable || b.errors > 0 ? EXIT_USAGE : EXIT_OK);
}
