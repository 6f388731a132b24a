/*
 * csv.c: CSV input of `chipcheck batch --input-format csv`: a streaming RFC 4180 record reader over a FILE*
 * (one record in memory at a time, however long its fields), the header's columns, and one data row as a
 * shipment JSON object. No library call: the fuzz target tests/fuzz/fuzz_csv.c links this file alone.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* ---- the record reader ------------------------------------------------------------------------------ */

enum { CSV_MAX_BYTES = 64 << 20, CSV_MAX_FIELDS = 1024 }; /* bounds of one record */

struct csv_reader {
    FILE *f;
    unsigned char in[65536];   /* read buffer */
    size_t in_pos, in_len;
    int eof, read_error, nomem; /* read_error: the errno of a failed read */
    unsigned long line;        /* current physical line (1-based) */
    int prev_cr;               /* the last byte read was a CR: a following LF ends the same line */
    char *buf;                 /* the record's fields, each NUL-terminated */
    size_t len, cap;
    size_t *starts;            /* offset in buf of each field */
    size_t nfields, fcap;
    int overflow;              /* the record is past a bound: the rest of it is skipped */
    unsigned long rec_line;    /* line where the current record starts */
    char rec_error[96];        /* why the record is malformed, "" when it is not */
};

csv_reader *csv_reader_new(FILE *f)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->f = f;
    r->line = 1;
    return r;
}

void csv_reader_free(csv_reader *r)
{
    if (r == NULL)
        return;
    free(r->buf);
    free(r->starts);
    free(r);
}

/* The next byte, or EOF at the end of input or on a read error (read_error then set). */
static int next_byte(csv_reader *r)
{
    if (r->in_pos == r->in_len) {
        if (r->eof)
            return EOF;
        errno = 0;
        r->in_len = fread(r->in, 1, sizeof r->in, r->f);
        r->in_pos = 0;
        if (r->in_len == 0) {
            r->eof = 1;
            if (ferror(r->f))
                r->read_error = errno ? errno : EIO;
            return EOF;
        }
    }
    return r->in[r->in_pos++];
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 1;
    size_t ncap = *cap ? *cap : 256;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem)
            return 0;
        ncap *= 2;
    }
    void *np = realloc(*p, ncap * elem);
    if (np == NULL)
        return 0;
    *p = np;
    *cap = ncap;
    return 1;
}

static void record_error(csv_reader *r, const char *what)
{
    if (r->rec_error[0] == '\0')
        snprintf(r->rec_error, sizeof r->rec_error, "malformed CSV: %s (field %zu)", what, r->nfields);
}

/* A record past CSV_MAX_BYTES or CSV_MAX_FIELDS is read to its end, as any other, but nothing more of it is
 * kept (overflow): it becomes one error, and memory stays bounded whatever the input. */
static int put_byte(csv_reader *r, int c)
{
    if (r->overflow)
        return 1;
    if (r->len + 2 > CSV_MAX_BYTES) {
        record_error(r, "a record longer than 64 MiB");
        r->overflow = 1;
        return 1;
    }
    if (!grow((void **)&r->buf, &r->cap, r->len + 2, 1)) {
        r->nomem = 1;
        return 0;
    }
    r->buf[r->len++] = (char)c;
    return 1;
}

static int start_field(csv_reader *r)
{
    if (r->overflow)
        return 1;
    if (r->nfields == CSV_MAX_FIELDS) {
        record_error(r, "a record with more than 1024 fields");
        r->overflow = 1;
        return 1;
    }
    if (!grow((void **)&r->starts, &r->fcap, r->nfields + 1, sizeof *r->starts)) {
        r->nomem = 1;
        return 0;
    }
    r->starts[r->nfields++] = r->len;
    return 1;
}

/* Count lines: LF, CR, and CR LF as one. */
static void count_line(csv_reader *r, int c)
{
    if (c == '\n' && r->prev_cr)
        ; /* the LF of a CR LF */
    else if (c == '\n' || c == '\r')
        r->line++;
    r->prev_cr = c == '\r';
}

int csv_read_record(csv_reader *r)
{
    enum { START, UNQUOTED, QUOTED, QUOTE_SEEN } st = START;
    r->len = 0;
    r->nfields = 0;
    r->overflow = 0;
    r->rec_error[0] = '\0';
    if (r->nomem || r->read_error)
        return -1;
    /* Skip blank lines (a CR LF's LF is one too, after the CR ended the previous record). */
    int c;
    for (;;) {
        c = next_byte(r);
        if (c != '\n' && c != '\r')
            break;
        count_line(r, c);
    }
    if (c == EOF)
        return r->read_error ? -1 : 0;
    r->rec_line = r->line;
    if (!start_field(r))
        return -1;
    for (;; c = next_byte(r)) {
        if (c != EOF)
            count_line(r, c);
        if (c == '\0')
            record_error(r, "a NUL byte");
        switch (st) {
        case START:
        case UNQUOTED:
            if (c == EOF || c == '\n' || c == '\r')
                goto end;
            if (c == ',') {
                if (!put_byte(r, '\0') || !start_field(r))
                    return -1;
                st = START;
                continue;
            }
            if (c == '"') {
                if (st == START) {
                    st = QUOTED;
                    continue;
                }
                record_error(r, "a '\"' inside an unquoted field");
            }
            st = UNQUOTED;
            break;
        case QUOTED:
            if (c == EOF) {
                record_error(r, "a quoted field is not closed before the end of the input");
                goto end;
            }
            if (c == '"') {
                st = QUOTE_SEEN;
                continue;
            }
            break;
        case QUOTE_SEEN:
            if (c == '"') { /* "" inside quotes */
                st = QUOTED;
                break;
            }
            if (c == EOF || c == '\n' || c == '\r')
                goto end;
            if (c == ',') {
                if (!put_byte(r, '\0') || !start_field(r))
                    return -1;
                st = START;
                continue;
            }
            record_error(r, "text after the closing '\"' of a quoted field");
            st = UNQUOTED;
            break;
        }
        if (!put_byte(r, c))
            return -1;
    }
end:
    if (r->overflow)
        r->buf[r->len++] = '\0'; /* the last byte kept left room for it */
    else if (!put_byte(r, '\0'))
        return -1;
    if (r->read_error)
        return -1;
    return 1;
}

size_t csv_field_count(const csv_reader *r)
{
    return r->nfields;
}

const char *csv_field(const csv_reader *r, size_t i, size_t *len)
{
    if (i >= r->nfields)
        return NULL;
    size_t end = i + 1 < r->nfields ? r->starts[i + 1] - 1 : r->len - 1;
    if (len != NULL)
        *len = end - r->starts[i];
    return r->buf + r->starts[i];
}

unsigned long csv_record_line(const csv_reader *r)
{
    return r->rec_line;
}

const char *csv_record_error(const csv_reader *r)
{
    return r->rec_error[0] ? r->rec_error : NULL;
}

const char *csv_reader_error(const csv_reader *r)
{
    return r->nomem ? "out of memory" : r->read_error ? strerror(r->read_error) : NULL;
}

/* ---- shipment columns --------------------------------------------------------------------------------- */

enum { T_STRING, T_NUMBER, T_BOOL };

static const struct column {
    const char *name;
    int type;
    int chip; /* a figure of the chip object */
} columns[] = {
    {"id", T_STRING, 0},
    {"date", T_STRING, 0},
    {"destination", T_STRING, 0},
    {"end_user_hq", T_STRING, 0},
    {"export_from", T_STRING, 0},
    {"quantity", T_NUMBER, 0},
    {"exception", T_STRING, 0},
    {"exception_authorization", T_STRING, 0},
    {"chip", T_STRING, 0},
    {"name", T_STRING, 1},
    {"vendor", T_STRING, 1},
    {"part_number", T_STRING, 1},
    {"kind", T_STRING, 1},
    {"tpp", T_NUMBER, 1},
    {"die_area_mm2", T_NUMBER, 1},
    {"memory_bandwidth_gbs", T_NUMBER, 1},
    {"interconnect_bandwidth_gbs", T_NUMBER, 1},
    {"hbm_bandwidth_density", T_NUMBER, 1},
    {"datacenter", T_BOOL, 1},
};
enum { NCOLUMNS = sizeof columns / sizeof columns[0], COL_ID = 0, COL_CHIP = 8 };

/* Copy at most 40 bytes of s into out for a message, printable ASCII only (a message must be valid UTF-8
 * and one line, whatever the input holds). */
static void quote_value(char *out, size_t outsz, const char *s, size_t len)
{
    size_t n = 0, max = 40;
    for (size_t i = 0; i < len && i < max && n + 1 < outsz; i++) {
        unsigned char ch = (unsigned char)s[i];
        out[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
    }
    if (len > max && n + 4 < outsz) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

/* "did you mean ...?" with the columns nearest to name (and the chip figures' JSON spelling "chip.tpp"). */
static int near_column(const char *name, char *out, size_t outsz)
{
    const char *names[NCOLUMNS];
    for (size_t k = 0; k < NCOLUMNS; k++)
        names[k] = columns[k].name;
    suggest(strncmp(name, "chip.", 5) == 0 ? name + 5 : name, names, NCOLUMNS, out, outsz);
    return out[0] != '\0';
}

int csv_columns_from_header(csv_columns *cols, const csv_reader *r, char *msg, size_t msgsz)
{
    char shown[48], near[160];
    memset(cols, 0, sizeof *cols);
    if (csv_record_error(r) != NULL) {
        snprintf(msg, msgsz, "header (line %lu): %s", csv_record_line(r), csv_record_error(r));
        return -1;
    }
    size_t n = csv_field_count(r);
    cols->map = malloc(n * sizeof *cols->map);
    if (cols->map == NULL) {
        snprintf(msg, msgsz, "out of memory");
        return -1;
    }
    cols->n = n;
    int seen[NCOLUMNS] = {0};
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        const char *name = csv_field(r, i, &len);
        if (i == 0 && len >= 3 && memcmp(name, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 byte order mark */
            name += 3;
            len -= 3;
        }
        size_t k;
        for (k = 0; k < NCOLUMNS; k++)
            if (strlen(columns[k].name) == len && memcmp(columns[k].name, name, len) == 0)
                break;
        if (k == NCOLUMNS) {
            quote_value(shown, sizeof shown, name, len);
            if (len == 0)
                snprintf(msg, msgsz, "header: column %zu has no name", i + 1);
            else if (near_column(shown, near, sizeof near))
                snprintf(msg, msgsz, "header: unknown column '%s' (column %zu); %s", shown, i + 1, near);
            else
                snprintf(msg, msgsz, "header: unknown column '%s' (column %zu); the columns are id, date, "
                         "destination, end_user_hq, export_from, quantity, exception, exception_authorization, "
                         "chip, name, vendor, part_number, kind, tpp, die_area_mm2, memory_bandwidth_gbs, "
                         "interconnect_bandwidth_gbs, hbm_bandwidth_density, datacenter", shown, i + 1);
            goto fail;
        }
        if (seen[k]) {
            snprintf(msg, msgsz, "header: column '%s' appears twice", columns[k].name);
            goto fail;
        }
        seen[k] = 1;
        cols->map[i] = (int)k;
    }
    return 0;
fail:
    csv_columns_free(cols);
    return -1;
}

void csv_columns_free(csv_columns *cols)
{
    free(cols->map);
    cols->map = NULL;
    cols->n = 0;
}

const char *csv_record_id(const csv_columns *cols, const csv_reader *r)
{
    if (csv_record_error(r) != NULL || csv_field_count(r) != cols->n)
        return NULL; /* which cell is the id is a guess */
    for (size_t i = 0; i < cols->n; i++) {
        size_t len = 0;
        const char *v = csv_field(r, i, &len);
        if (cols->map[i] == COL_ID && len > 0)
            return v;
    }
    return NULL;
}

static int fail_with(chipcheck_error *err, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail_with(chipcheck_error *err, int code, const char *field, const char *fmt, ...)
{
    va_list ap;
    memset(err, 0, sizeof *err);
    err->code = code;
    err->offset = -1;
    if (field != NULL)
        snprintf(err->field, sizeof err->field, "%s", field);
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return 0;
}

/* A number cell: a plain decimal number, [-]digits[.digits][e[+-]digits], nothing around it, finite. */
static int parse_number(const char *s, double *out)
{
    const char *p = s;
    int digits = 0;
    if (*p == '-')
        p++;
    while (isdigit((unsigned char)*p))
        p++, digits++;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p))
            p++, digits++;
    }
    if (digits == 0)
        return -1;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p != '\0')
        return -1;
    *out = strtod(s, NULL);
    return isfinite(*out) ? 0 : -2;
}

static int parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"true", "1", "yes"}, *const no[] = {"false", "0", "no"};
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(s, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

cJSON *csv_record_to_shipment(const csv_columns *cols, const csv_reader *r, chipcheck_error *err)
{
    cJSON *ship = NULL, *chip = NULL;
    const char *catalog = NULL;
    char shown[48];
    if (csv_record_error(r) != NULL) {
        fail_with(err, CHIPCHECK_ERR_PARSE, NULL, "%s", csv_record_error(r));
        return NULL;
    }
    if (csv_field_count(r) != cols->n) {
        fail_with(err, CHIPCHECK_ERR_PARSE, NULL, "the row has %zu field%s; the header has %zu", csv_field_count(r),
                  csv_field_count(r) == 1 ? "" : "s", cols->n);
        return NULL;
    }
    if ((ship = cJSON_CreateObject()) == NULL)
        goto nomem;
    for (size_t i = 0; i < cols->n; i++) {
        size_t len = 0;
        const char *v = csv_field(r, i, &len);
        const struct column *c = &columns[cols->map[i]];
        if (len == 0)
            continue; /* an empty cell: the field is absent */
        if (cols->map[i] == COL_CHIP) {
            catalog = v;
            continue;
        }
        cJSON *target = ship;
        if (c->chip) {
            if (chip == NULL && (chip = cJSON_CreateObject()) == NULL)
                goto nomem;
            target = chip;
        }
        cJSON *item = NULL;
        if (c->type == T_STRING) {
            item = cJSON_CreateString(v);
        } else if (c->type == T_NUMBER) {
            double d;
            int rc = parse_number(v, &d);
            if (rc != 0) {
                quote_value(shown, sizeof shown, v, len);
                fail_with(err, CHIPCHECK_ERR_INPUT, c->name, "%s: '%s' is not %s", c->name, shown,
                          rc == -2 ? "a finite number" : "a number (digits, optional '.' and exponent)");
                goto fail;
            }
            item = cJSON_CreateNumber(d);
        } else {
            int b;
            if (parse_bool(v, &b) != 0) {
                quote_value(shown, sizeof shown, v, len);
                fail_with(err, CHIPCHECK_ERR_INPUT, c->name,
                          "%s: '%s' is not true, false, 1, 0, yes or no (empty for unknown)", c->name, shown);
                goto fail;
            }
            item = cJSON_CreateBool(b);
        }
        if (item == NULL)
            goto nomem;
        cJSON_AddItemToObject(target, c->name, item);
    }
    if (chip != NULL) {
        if (catalog != NULL) {
            cJSON *name = cJSON_CreateString(catalog);
            if (name == NULL)
                goto nomem;
            cJSON_AddItemToObject(chip, "catalog", name);
        }
        cJSON_AddItemToObject(ship, "chip", chip);
        chip = NULL;
    } else if (catalog != NULL) {
        if (cJSON_AddStringToObject(ship, "chip", catalog) == NULL)
            goto nomem;
    }
    return ship;
nomem:
    fail_with(err, CHIPCHECK_ERR_NOMEM, NULL, "out of memory");
fail:
    cJSON_Delete(chip);
    cJSON_Delete(ship);
    return NULL;
}
