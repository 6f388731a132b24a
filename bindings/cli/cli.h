/*
 * cli.h: declarations shared by the files of the chipcheck command (bindings/cli/). The command is a
 * client of include/chipcheck.h only; nothing here is part of the library.
 */
#ifndef CHIPCHECK_CLI_H
#define CHIPCHECK_CLI_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "chipcheck.h"

/* Exit statuses of the command. check's 0, 1 and 3 are the verdicts (chipcheck_verdict values). */
enum { EXIT_OK = 0, EXIT_USAGE = 2 };

/* ---- the commands (each returns the process exit status) --------------------------------------- */
int cmd_check(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_chips(int argc, char **argv);
int cmd_headroom(int argc, char **argv);
int cmd_envelope(int argc, char **argv);
int cmd_map(int argc, char **argv);

/* Parse the text of a --spec file (path for messages) into a JSON object: a chip, or a whole shipment (one with
 * a "chip" key). Prints the error (file:line:column) and returns NULL on failure. (check.c) */
cJSON *parse_spec(const char *path, const char *text);

/* Print a decision as text for people (text.c); exception is the license exception the shipment names, or
 * NULL. Returns 0 after printing an error (out of memory). */
int print_decision_text(const chipcheck_rules *rules, const chipcheck_decision *d, const char *exception);

/* Print what changed from rule set version va to vb ("ID@VERSION" each); with chips, also every catalog chip
 * whose verdict changed for some destination. Returns the exit status. */
int rules_diff(const chipcheck_rules *rules, const char *va, const char *vb, int chips);

/* ---- argument parsing ---------------------------------------------------------------------------- */

/* Walks argv after the command word. Options are "--name value" or "--name=value"; "--" ends options. */
typedef struct args {
    int argc;
    char **argv;
    int i;              /* next argv index */
    const char *cmd;    /* command name for messages, e.g. "check" or "rules list" */
    const char *usage;  /* one-line usage of the command */
    int opts_done;      /* "--" seen */
} args;

void args_init(args *a, int argc, char **argv, int first, const char *cmd, const char *usage);

/* Next argument. Returns 1 and sets *opt to the option name (e.g. "--to") when it is an option, with *inline_val
 * its "=value" part or NULL; returns 2 and sets *opt to the argument when it is a positional argument;
 * returns 0 at the end. */
int args_next(args *a, const char **opt, const char **inline_val);

/* The value of option opt: its "=value" part or the next argument. Returns NULL after a usage error
 * (already printed). */
const char *args_value(args *a, const char *opt, const char *inline_val);

/* Reports that a flag option was given "=value". Returns 0 when it was not (fine), else prints a usage error. */
int args_no_value(args *a, const char *opt, const char *inline_val);

/* Print "chipcheck: CMD: message" and the command's usage line to stderr; returns EXIT_USAGE. */
int usage_error(const args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The usage error of an unknown option, with the nearest of known (candidates as for suggest()). */
int unknown_option(const args *a, const char *opt, const char *const *known, size_t n);

/* The usage error "OPT must be A, B or C; got 'VAL'" with the nearest of known. */
int bad_value(const args *a, const char *opt, const char *val, const char *const *known, size_t n);

/* ---- near matches (suggest.c) --------------------------------------------------------------------- */

/* Edit distance of word and the cand_len bytes at cand (insert, delete, substitute, swap neighbours), ASCII
 * case-insensitive; an abbreviation of 3 or more letters (past an option's dashes) is 1. As lib/util.c. */
int suggest_distance(const char *word, const char *cand, size_t cand_len);

/* "did you mean A?", "... A or B?", "... A, B or C?" with the candidates nearest to word, or "" when none
 * is near. A candidate is "shown" or "shown other-spelling...": each spelling is matched, the first shown. */
void suggest(const char *word, const char *const *cands, size_t ncands, char *out, size_t outsz);

/* After "no rule set 'want' is loaded": a line naming the nearest version and `chipcheck rules list`. */
void ruleset_hint(const chipcheck_rules *r, const char *want);

/* ---- errors and output ---------------------------------------------------------------------------- */

/* Print a library error to stderr: "chipcheck: source:line:column: message" when it has a position,
 * "chipcheck: source: message" when its source is a file (every load error names its file), else
 * "chipcheck: [prefix: ][field: ]message". When positions_ok is 0 the position is dropped (it would
 * point into JSON the command generated, which the user never saw); prefix may be NULL. */
void print_lib_error(const chipcheck_error *err, const char *prefix, int positions_ok);

/* The library's message without a leading "field: " (its messages may start with the field they are about). */
const char *error_message_body(const chipcheck_error *err);

/* Print "chipcheck: " and a formatted message to stderr. */
void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Load rules from dir, or the bundled ones when dir is NULL. Prints the error and returns NULL on failure. */
chipcheck_rules *load_rules(const char *dir);

/* Finish writing stdout; prints an error and returns EXIT_USAGE when writing failed, else status. */
int finish_stdout(int status);

/* Read a whole file ("-" is stdin) of at most 64 MiB into a NUL-terminated buffer; the caller frees it. On
 * failure prints an error and returns NULL. A NUL byte is refused as soon as it is read (JSON cannot
 * contain one), so /dev/zero is refused at once. */
char *read_whole_file(const char *path);

/* Line (1-based) and column (1-based, in bytes) of position pos in text. */
void text_position(const char *text, const char *pos, int *line, int *column);

/* Check every number of a parsed JSON value is finite: cJSON turns 1e999 into infinity and would print
 * it back as null, silently dropping a figure. Returns 1 when all are; else 0 and writes the JSON path of
 * the first bad number into path. */
int json_numbers_finite(const cJSON *item, char *path, size_t pathsz);

/* A JSON string item of s, valid UTF-8 whatever s holds: each byte outside a well-formed UTF-8 sequence
 * becomes U+FFFD, and *replaced says whether any did. NULL when out of memory. */
cJSON *json_text(const char *s, int *replaced);

/* ---- drawing (svg.c) ------------------------------------------------------------------------------------- */

/* A scale from data to pixels: d0..d1 maps to p0..p1 (p1 < p0 for a y axis), logarithmic when log is set. */
typedef struct scale { double d0, d1, p0, p1; int log; } scale;
typedef struct pt { double x, y; } pt;
typedef struct rect { double x0, y0, x1, y1; } rect;

/* Data to pixels; a value far outside the range maps just past the edge (a clip path hides it). */
double scale_at(const scale *s, double v);
int scale_contains(const scale *s, double v);
/* Widen the range to round values (1, 2 or 5 times a power of ten). */
void scale_round(scale *s);
/* Round tick values inside the range (at most max); returns how many. */
size_t scale_ticks(const scale *s, double *out, size_t max);
/* Write text XML-escaped (&, <, >, "). */
void svg_text(FILE *f, const char *s);
/* Clip a polygon (n points) to the half-plane a*x + b*y + c >= 0; out has room for 2n points. Returns its size. */
size_t clip_halfplane(const pt *in, size_t n, double a, double b, double c, pt *out);
/* Path data for points in data space ("M.. L.. Z"); edges off the axes are cut in pieces to follow log axes. */
void svg_path(FILE *f, const pt *p, size_t n, const scale *sx, const scale *sy, int closed);
void printf_path_point(FILE *f, char cmd, double x, double y);
/* Estimated width in pixels of a text at a font size. */
double text_width(const char *s, double size);

/* Places labels where nothing placed yet is, inside bounds. */
typedef struct placer { rect *r; size_t n, cap; rect bounds; } placer;
int placer_free(const placer *pl, rect r);
void placer_add(placer *pl, rect r);
void placer_free_all(placer *pl);

/* ---- the batch report (report.c) ------------------------------------------------------------------------- */

/* Tallies of a batch, written at the end as one HTML page (batch --report). */
typedef struct report report;

/* A report to write to path. ruleset_a (may be NULL) is the --ruleset pinned; ruleset_b, when not NULL, the second
 * version compared with it. Returns NULL when out of memory. */
report *report_new(const char *path, const char *ruleset_a, const char *ruleset_b);
void report_free(report *r);
/* Count one decided line; b is the same line under ruleset_b, or NULL. Returns 0 when out of memory. */
int report_line(report *r, const chipcheck_decision *a, const chipcheck_decision *b, unsigned long line,
                const char *file);
/* Count one line that could not be checked (id may be NULL). */
void report_error(report *r, unsigned long line, const char *file, const char *id, const chipcheck_error *err);
/* Write the page; inputs says what was read. Returns 0, or -1 with the error printed. */
int report_write(report *r, const char *inputs);

/* ---- CSV input (csv.c) ---------------------------------------------------------------------------------- */

/* A streaming RFC 4180 record reader: fields separated by commas, records by LF, CR LF or CR; a field in
 * double quotes may hold commas, quotes (doubled) and line breaks. Only the current record is held in
 * memory, and at most 64 MiB and 1,024 fields of it: a longer record is read to its end and is malformed.
 * Blank lines are skipped. */
typedef struct csv_reader csv_reader;

/* A reader over f, which stays the caller's (it is never closed here). Returns NULL when out of memory. */
csv_reader *csv_reader_new(FILE *f);
void csv_reader_free(csv_reader *r);

/* Read the next record. Returns 1 when there is one (it may be malformed: see csv_record_error()), 0 at the
 * end of the input, -1 on a read error or out of memory (csv_reader_error() says which); after -1 every
 * call returns -1. A malformed record (a quote inside an unquoted field, text after a closing quote, a
 * quoted field open at the end of the input, a NUL byte) still ends where a well-formed one would. */
int csv_read_record(csv_reader *r);

/* The fields of the current record: how many (at least 1), and field i, NUL-terminated, with its length
 * in *len when len is not NULL (NULL when i is out of range). Valid until the next csv_read_record(). */
size_t csv_field_count(const csv_reader *r);
const char *csv_field(const csv_reader *r, size_t i, size_t *len);

/* The line (1-based) where the current record starts; a record may span lines. */
unsigned long csv_record_line(const csv_reader *r);

/* Why the current record is malformed ("malformed CSV: ... (field N)"), or NULL when it is well formed. */
const char *csv_record_error(const csv_reader *r);

/* "out of memory" or why reading failed (strerror) after csv_read_record() returned -1, else NULL. */
const char *csv_reader_error(const csv_reader *r);

/* The columns of a shipment CSV, from its header record: the names of the shipment JSON fields (id, date,
 * destination, end_user_hq, export_from, quantity, exception, exception_authorization, chip) and of the
 * chip figures (name, vendor, part_number, kind, tpp, die_area_mm2, memory_bandwidth_gbs,
 * interconnect_bandwidth_gbs, hbm_bandwidth_density, datacenter), in any order. */
typedef struct csv_columns {
    size_t n;  /* fields in the header */
    int *map;  /* per field: which column */
} csv_columns;

/* Read the header from the current record of r. Returns 0, or -1 with a message in msg naming the unknown,
 * repeated or unnamed column (or the malformed header). Free with csv_columns_free() after 0. */
int csv_columns_from_header(csv_columns *cols, const csv_reader *r, char *msg, size_t msgsz);
void csv_columns_free(csv_columns *cols);

/* The id cell of the current record, or NULL when it has none, it is empty, or the record is malformed or
 * has not as many fields as the header (which cell is the id would be a guess). Borrowed from r. */
const char *csv_record_id(const csv_columns *cols, const csv_reader *r);

/* The current record as a shipment JSON object: an empty cell leaves its field out; numbers must be plain
 * finite decimal numbers, datacenter true/false/1/0/yes/no; chip figures make a chip object (with
 * "catalog": <chip> when the chip column is given too), else the chip column is the catalog name.
 * Returns a new object (cJSON_Delete) or NULL with err filled (code, field, message naming the value). */
cJSON *csv_record_to_shipment(const csv_columns *cols, const csv_reader *r, chipcheck_error *err);

#endif
