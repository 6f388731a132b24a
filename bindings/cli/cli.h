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

/* Print what changed from rule set version va to vb ("ID@VERSION" each). Returns the exit status. */
int rules_diff(const chipcheck_rules *rules, const char *va, const char *vb);

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

/* ---- errors and output ---------------------------------------------------------------------------- */

/* Print a library error to stderr: "chipcheck: source:line:column: message" when it has a position,
 * else "chipcheck: [prefix: ][field: ]message". When positions_ok is 0 the position is dropped (it would
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

/* Read a whole file ("-" is stdin) into a NUL-terminated buffer; the caller frees it. On failure prints an
 * error and returns NULL. Files with a NUL byte inside are refused (JSON cannot contain one). */
char *read_whole_file(const char *path);

/* Line (1-based) and column (1-based, in bytes) of position pos in text. */
void text_position(const char *text, const char *pos, int *line, int *column);

/* Check every number of a parsed JSON value is finite: cJSON turns 1e999 into infinity and would print
 * it back as null, silently dropping a figure. Returns 1 when all are; else 0 and writes the JSON path of
 * the first bad number into path. */
int json_numbers_finite(const cJSON *item, char *path, size_t pathsz);

#endif
