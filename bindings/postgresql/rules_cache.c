/*
 * rules_cache.c: the rules of one backend. They load once, at first use (or when the superuser-only setting
 * chipcheck.rules_dir is set, which checks the directory), and every call shares them until the setting
 * changes. The library's objects live in malloc'd memory outside PostgreSQL's memory contexts, for the life
 * of the backend; nothing here is per row.
 */
#include "chipcheck_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmgr.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

/* A loaded collection and the setting it was loaded for ("" for the rules built into the library). */
typedef struct loaded {
    char *dir; /* malloc'd */
    chipcheck_rules *rules;
} loaded;

static char *rules_dir_setting = NULL; /* the value of chipcheck.rules_dir, owned by the GUC machinery */
static loaded current;                 /* the rules in use */
static loaded checked;                 /* loaded by the check hook; taken over when first used */
static chipcheck_evaluator *evaluator; /* over current.rules */

static void loaded_free(loaded *l)
{
    chipcheck_rules_free(l->rules);
    free(l->dir);
    l->rules = NULL;
    l->dir = NULL;
}

static int loaded_is(const loaded *l, const char *dir)
{
    return l->rules != NULL && strcmp(l->dir, dir) == 0;
}

/* Where the error happened, as the command line prints it: "file:line:column: message". */
static void describe_load_error(const chipcheck_error *err, char *buf, size_t size)
{
    const char *msg = err->message[0] ? err->message : chipcheck_status_name(err->code);
    if (err->line > 0 && err->column > 0)
        snprintf(buf, size, "%s:%d:%d: %s", err->source, err->line, err->column, msg);
    else if (err->line > 0)
        snprintf(buf, size, "%s:%d: %s", err->source, err->line, msg);
    else if (err->source[0])
        snprintf(buf, size, "%s: %s", err->source, msg);
    else
        snprintf(buf, size, "%s", msg);
}

/* Load the collection for a setting into out. Returns 0, or -1 with err filled: no SQL error, since the
 * check hook may not raise one. */
static int load(const char *dir, loaded *out, chipcheck_error *err)
{
    memset(err, 0, sizeof *err);
    out->dir = strdup(dir);
    if (out->dir == NULL) {
        err->code = CHIPCHECK_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return -1;
    }
    out->rules = dir[0] ? chipcheck_rules_load_dir(dir, err) : chipcheck_rules_load_default(err);
    if (out->rules == NULL) {
        free(out->dir);
        out->dir = NULL;
        return -1;
    }
    return 0;
}

/* chipcheck.rules_dir: load the directory now, so that a bad one is refused by SET (with the file, line and
 * column at fault) rather than by the next query; the loaded rules are kept for that next query. */
static bool check_rules_dir(char **newval, void **extra, GucSource source)
{
    chipcheck_error err;
    loaded l;
    char where[sizeof err.source + sizeof err.message + 32];
    (void)extra;
    (void)source;
    if (*newval == NULL || (*newval)[0] == '\0' || loaded_is(&current, *newval) || loaded_is(&checked, *newval))
        return true;
    if (load(*newval, &l, &err) != 0) {
        describe_load_error(&err, where, sizeof where);
        GUC_check_errdetail("%s", where);
        return false;
    }
    loaded_free(&checked);
    checked = l;
    return true;
}

void _PG_init(void)
{
    DefineCustomStringVariable("chipcheck.rules_dir",
                               "Directory of chipcheck rule files to use instead of the rules built into the library.",
                               "Laid out like the rules/ directory of the source (rule XML files, chips/*.json). "
                               "Empty uses the built-in rules. Each session loads its rules once.",
                               &rules_dir_setting, "", PGC_SUSET, 0, check_rules_dir, NULL, NULL);
    MarkGUCPrefixReserved("chipcheck");
}

const chipcheck_rules *pgcc_rules(void)
{
    const char *want = rules_dir_setting != NULL ? rules_dir_setting : "";
    chipcheck_error err;
    char where[sizeof err.source + sizeof err.message + 32];
    if (loaded_is(&current, want))
        return current.rules;
    /* The setting changed (or this is the first call): no decision is alive between calls, so the old
     * rules and their evaluator can go. */
    chipcheck_evaluator_free(evaluator);
    evaluator = NULL;
    loaded_free(&current);
    if (loaded_is(&checked, want)) {
        current = checked;
        checked.dir = NULL;
        checked.rules = NULL;
        return current.rules;
    }
    if (load(want, &current, &err) != 0) {
        describe_load_error(&err, where, sizeof where);
        ereport(ERROR, (errcode(err.code == CHIPCHECK_ERR_NOMEM ? ERRCODE_OUT_OF_MEMORY : ERRCODE_CONFIG_FILE_ERROR),
                        errmsg("could not load the chipcheck rules%s%s", want[0] ? " from " : "", want),
                        errdetail("%s", where)));
    }
    return current.rules;
}

chipcheck_evaluator *pgcc_evaluator(void)
{
    const chipcheck_rules *rules = pgcc_rules(); /* first: a change of rules frees the evaluator */
    chipcheck_error err;
    if (evaluator == NULL && (evaluator = chipcheck_evaluator_new(rules, &err)) == NULL)
        pgcc_raise(&err);
    return evaluator;
}

void pgcc_raise(const chipcheck_error *err)
{
    const char *msg = err->message[0] ? err->message : chipcheck_status_name(err->code);
    if (err->code == CHIPCHECK_ERR_NOMEM)
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"), errdetail("%s", msg)));
    if (err->field[0])
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", msg),
                        errdetail("%s in field \"%s\".", chipcheck_status_name(err->code), err->field)));
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", msg),
                    errdetail("%s.", chipcheck_status_name(err->code))));
}
