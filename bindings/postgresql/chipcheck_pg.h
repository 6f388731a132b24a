/*
 * chipcheck_pg.h: what the two files of the PostgreSQL extension share: the backend's rules (rules_cache.c)
 * and the error reporting of failed library calls. Only include/chipcheck.h is used from the library.
 */
#ifndef CHIPCHECK_PG_H
#define CHIPCHECK_PG_H

#include "postgres.h"

#include "chipcheck.h"

/* Shared between the extension's files, not exported from chipcheck.so. */
#define PGCC_PRIVATE __attribute__((visibility("hidden")))

/* The rules of this backend: loaded at first use from chipcheck.rules_dir (empty: the rules built into the
 * library), then shared by every call until the setting changes. Raises an SQL error when they cannot be
 * loaded. The collection is immutable; no decision made from it outlives the call that made it. */
extern PGCC_PRIVATE const chipcheck_rules *pgcc_rules(void);

/* The backend's evaluator (verdict-only path) over pgcc_rules(); made once, remade when the rules change. */
extern PGCC_PRIVATE chipcheck_evaluator *pgcc_evaluator(void);

/* Raise the SQL error for a failed library call: SQLSTATE 22023 (invalid_parameter_value) for bad input,
 * 53200 when out of memory; the message is the library's, which starts with the field at fault. */
extern PGCC_PRIVATE void pgcc_raise(const chipcheck_error *err) pg_attribute_noreturn();

extern void _PG_init(void);

#endif /* CHIPCHECK_PG_H */
