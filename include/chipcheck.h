/*
 * chipcheck.h: export screening of advanced-computing chips against dated, data-driven rule sets.
 *
 * This header is the whole public interface and its manual. Every function says what it takes, who owns
 * what it returns, how it fails and whether threads may share it.
 *
 * The flow is: load a rule collection once (chipcheck_rules_load_default() or chipcheck_rules_load_dir()),
 * then check any number of shipments against it (chipcheck_check_json() or chipcheck_check()), read the
 * verdict and the reasoning trace from each decision, and free the decision. Free the collection last.
 *
 * Threads: a chipcheck_rules is immutable after load and may be shared by any number of threads without
 * locks; a chipcheck_decision belongs to the thread that made it. The library has no mutable global state
 * that callers can observe and no thread-local "last error": errors go into the caller's chipcheck_error.
 *
 * Lifetimes: a decision borrows citation and rule text from the rules it was made with, so the rules must
 * outlive every decision made from them. Strings the library allocates are freed with chipcheck_free(),
 * never with free().
 */
#ifndef CHIPCHECK_H
#define CHIPCHECK_H

#include <math.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions ------------------------------------------------------------------------------------ */

#define CHIPCHECK_VERSION_MAJOR 0
#define CHIPCHECK_VERSION_MINOR 2
#define CHIPCHECK_VERSION_PATCH 0
#define CHIPCHECK_VERSION_NUMBER \
    (CHIPCHECK_VERSION_MAJOR * 10000 + CHIPCHECK_VERSION_MINOR * 100 + CHIPCHECK_VERSION_PATCH)
#define CHIPCHECK_VERSION "0.2.0"

#if defined(__GNUC__) || defined(__clang__)
#  define CHIPCHECK_API __attribute__((visibility("default")))
#  define CHIPCHECK_ATTR_WUR __attribute__((warn_unused_result))
#else
#  define CHIPCHECK_API
#  define CHIPCHECK_ATTR_WUR
#endif

/** @return the library's version string, "MAJOR.MINOR.PATCH"; a static string, never freed. */
CHIPCHECK_API const char *chipcheck_version(void);

/** @return the library's version as MAJOR*10000 + MINOR*100 + PATCH (compare with CHIPCHECK_VERSION_NUMBER). */
CHIPCHECK_API int chipcheck_version_number(void);

/* ---- Errors -------------------------------------------------------------------------------------- */

/** Status codes. Values are pinned: they never change once released. */
typedef enum chipcheck_status {
    CHIPCHECK_OK = 0,
    CHIPCHECK_ERR_NOMEM = -1,     /**< out of memory */
    CHIPCHECK_ERR_IO = -2,        /**< a file or directory could not be read */
    CHIPCHECK_ERR_PARSE = -3,     /**< malformed XML or JSON */
    CHIPCHECK_ERR_SCHEMA = -4,    /**< a rule file does not match rules/schema/chipcheck-rules.xsd */
    CHIPCHECK_ERR_RULES = -5,     /**< a rule file is valid XML but wrong: unknown metric, bad pattern,
                                       duplicate id, cyclic or missing extends, ... */
    CHIPCHECK_ERR_INPUT = -6,     /**< a shipment or chip value is unusable: negative or non-finite
                                       number, unknown country code, impossible date, ... */
    CHIPCHECK_ERR_NOT_FOUND = -7, /**< a named rule-set version or catalog chip does not exist */
    CHIPCHECK_ERR_ARG = -8        /**< a required argument was NULL, an array given with a count is NULL
                                       or holds a NULL entry, or an options struct is unknown */
} chipcheck_status;

/** Caller-owned error report, filled by any function that takes one (the first error wins: a function
 *  fills it once). Keep it on the stack; it allocates nothing. Every pointer parameter named err may be
 *  NULL when the caller does not want the details. */
typedef struct chipcheck_error {
    int code;           /**< a chipcheck_status; CHIPCHECK_OK when nothing failed */
    int line, column;   /**< 1-based position in the source; 0 when the error has no position */
    long offset;        /**< byte offset in the input, -1 if none */
    char source[256];   /**< file path, "<string>", "<builtin>/..." or "<shipment>"; a long path keeps its tail */
    char field[64];     /**< XML element or attribute, or JSON field, at fault; "" if none */
    char message[256];  /**< one sentence saying what was expected and quoting what was found, with the
                             nearest known key, country code or catalog chip where there is one
                             ("did you mean tpp?") */
} chipcheck_error;

/** @return the stable name of a status code, e.g. "CHIPCHECK_ERR_INPUT"; "CHIPCHECK_UNKNOWN" for other values.
 *  The string is static. */
CHIPCHECK_API const char *chipcheck_status_name(int code);

/** @return sizeof(chipcheck_error) as this library was built, so bindings can check their copy. */
CHIPCHECK_API size_t chipcheck_sizeof_error(void);

/** Free memory the library handed to the caller (the strings of chipcheck_decision_json(),
 *  chipcheck_rules_chip_json(), chipcheck_rules_version_json(), chipcheck_headroom() and chipcheck_envelope()).
 *  NULL is a no-op. */
CHIPCHECK_API void chipcheck_free(void *ptr);

/* ---- Rule collections ---------------------------------------------------------------------------- */

/** An immutable collection of rule-set versions (every regime found, each with its timeline) and the
 *  chip catalog. Opaque; shareable between threads. */
typedef struct chipcheck_rules chipcheck_rules;

/** Load the rule sets and chip catalog compiled into the library (the files under rules/ at build time).
 *  Needs no file on disk.
 * @param err  filled on failure; may be NULL.
 * @return a new collection, freed with chipcheck_rules_free(), or NULL on error. */
CHIPCHECK_API chipcheck_rules *chipcheck_rules_load_default(chipcheck_error *err) CHIPCHECK_ATTR_WUR;

/** Load every rule file (*.xml, recursively, except under schema/) and every chip catalog file
 *  (chips/ *.json) below a directory laid out like rules/. Each XML file is validated against the XSD
 *  compiled into the library, without network access, DTD loading or entity expansion; then the extends
 *  chains are resolved and every expression, pattern and reference is checked. Nothing is skipped: an
 *  entry that cannot be examined (a dangling link, a directory that may not be searched), a rule file that
 *  is not a regular file or is over 64 MiB, and nesting past 16 levels are CHIPCHECK_ERR_IO naming the
 *  path. Links are followed; each directory is walked once.
 * @param dir  UTF-8 path of the directory.
 * @param err  filled on failure with the file, line, column and what was expected; may be NULL.
 * @return a new collection, freed with chipcheck_rules_free(), or NULL on error. */
CHIPCHECK_API chipcheck_rules *chipcheck_rules_load_dir(const char *dir, chipcheck_error *err) CHIPCHECK_ATTR_WUR;

/** Load an explicit list of rule files (XML) and catalog files (JSON, told apart by their extension),
 *  with the same checks as chipcheck_rules_load_dir(). A file's extends must name a version in the list.
 * @param paths  array of n UTF-8 paths (a NULL entry is CHIPCHECK_ERR_ARG).
 * @return a new collection, freed with chipcheck_rules_free(), or NULL on error. */
CHIPCHECK_API chipcheck_rules *chipcheck_rules_load_files(const char *const *paths, size_t n,
                                                         chipcheck_error *err) CHIPCHECK_ATTR_WUR;

/** Load rule and catalog files on top of a base: the rule files compiled into the library (base_dir NULL) or
 *  those under base_dir, so that a new version's extends and uses resolve against the versions it builds on.
 *  A given XML file replaces the base file of the same regime and version (an edited copy is checked in its
 *  place); given catalog files replace the base's catalogs. The checks are those of
 *  chipcheck_rules_load_files(); errors name the given file (or the base file) with line and column. This is
 *  what `chipcheck rules validate FILE...` runs.
 * @param base_dir  a directory laid out like rules/, or NULL for the bundled rules.
 * @param paths     array of n UTF-8 paths.
 * @return a new collection (base and given files together), freed with chipcheck_rules_free(), or NULL on
 *         error. */
CHIPCHECK_API chipcheck_rules *chipcheck_rules_load_with_base(const char *base_dir, const char *const *paths,
                                                             size_t n, chipcheck_error *err) CHIPCHECK_ATTR_WUR;

/** Free a collection. Every decision made from it must have been freed first. NULL is a no-op. */
CHIPCHECK_API void chipcheck_rules_free(chipcheck_rules *rules);

/** @return how many rule-set versions the collection holds, over all regimes. */
CHIPCHECK_API size_t chipcheck_rules_count(const chipcheck_rules *rules);

/** Describe rule-set version i (0 <= i < chipcheck_rules_count()), ordered by regime id, then effective date.
 *  Each out-pointer may be NULL; each string is borrowed from the collection.
 * @return CHIPCHECK_OK, or CHIPCHECK_ERR_ARG when i is out of range. */
CHIPCHECK_API int chipcheck_rules_info(const chipcheck_rules *rules, size_t i, const char **id,
                                       const char **version, const char **effective, const char **title,
                                       const char **digest);

/** The date through which the rule files of version i's regime were reviewed against the public record: the
 *  newest reviewed= date over that regime's loaded versions ("YYYY-MM-DD", borrowed from the collection).
 *  A decision dated later carries a freshness entry for the regime (chipcheck_decision_freshness()).
 * @return the date, or NULL when no version of the regime declares one or i is out of range. */
CHIPCHECK_API const char *chipcheck_rules_reviewed(const chipcheck_rules *rules, size_t i);

/** Describe one resolved version (after extends) as JSON: its files (root first), digest, sources, country
 *  groups, aliases, derived metrics and every rule with its condition written as text. This is what
 *  `chipcheck rules show` prints and what `rules diff` compares.
 * @param id_at_version  "ID@VERSION", e.g. "us-ear-advanced-computing@2025-04-09".
 * @param flags  CHIPCHECK_JSON_PRETTY or 0.
 * @return a string freed with chipcheck_free(), or NULL with err set (CHIPCHECK_ERR_NOT_FOUND when no such
 *         version is loaded). */
CHIPCHECK_API char *chipcheck_rules_version_json(const chipcheck_rules *rules, const char *id_at_version,
                                                 unsigned flags, chipcheck_error *err) CHIPCHECK_ATTR_WUR;

/** @return how many chips the catalog holds. */
CHIPCHECK_API size_t chipcheck_rules_chip_count(const chipcheck_rules *rules);

/** @return the name of catalog chip i, borrowed from the collection, or NULL when i is out of range. */
CHIPCHECK_API const char *chipcheck_rules_chip_name(const chipcheck_rules *rules, size_t i);

/** Look up a catalog chip by name or alias (case-insensitive, spaces and hyphens ignored) and return its
 *  catalog entry as JSON (figures, sources, provenance, and figure_sources: each figure's source and as-of).
 *  A name the catalog declares ambiguous (e.g. "MI300": the MI300A or the MI300X) is refused like an
 *  unknown name, with a message that lists the candidates; a shipment naming it is refused the same way.
 * @return a string freed with chipcheck_free(), or NULL with err set to CHIPCHECK_ERR_NOT_FOUND. */
CHIPCHECK_API char *chipcheck_rules_chip_json(const chipcheck_rules *rules, const char *name,
                                              chipcheck_error *err) CHIPCHECK_ATTR_WUR;

/* ---- Shipments ----------------------------------------------------------------------------------- */

/** "Not given" for any number in chipcheck_chip: NaN. A missing figure is never taken as zero. */
#define CHIPCHECK_UNSET NAN

/** One dense or sparse peak-throughput figure of a chip. */
typedef struct chipcheck_throughput {
    const char *precision; /**< "fp64", "fp32", "tf32", "bf16", "fp16", "fp8", "fp6", "fp4", "int8", "int4" */
    double tops;           /**< tera-operations per second (TFLOPS or TOPS), as the datasheet quotes */
    int bits;              /**< bit length of the operation; must agree with the precision */
    int sparse;            /**< 1 when the figure assumes sparsity: it then counts as half its value, the
                                    dense rate it implies (datasheets quote rates with sparsity at twice the
                                    dense rate, and TPP counts dense operations); the trace says "half the
                                    sparse figure" */
} chipcheck_throughput;

/** A chip's figures. Numbers are CHIPCHECK_UNSET when not given; datacenter is -1 when not given. */
typedef struct chipcheck_chip {
    const char *name;                  /**< product name; matched by product-determination patterns */
    const char *vendor;                /**< may be NULL */
    const char *part_number;           /**< may be NULL */
    const char *kind;                  /**< "accelerator" or "hbm" (a standalone memory stack); NULL means
                                            "accelerator" unless hbm_bandwidth_density is given, when the
                                            kind is missing (rules that need it are unknown) */
    double tpp;                        /**< total processing performance; derived from throughput when unset */
    double die_area_mm2;               /**< applicable (non-planar logic) die area in mm^2 */
    double memory_bandwidth_gbs;       /**< total DRAM bandwidth in GB/s */
    double interconnect_bandwidth_gbs; /**< aggregate bidirectional rate to ICs other than memory, GB/s */
    double hbm_bandwidth_density;      /**< for kind "hbm": memory bandwidth density in GB/s/mm^2 */
    int datacenter;                    /**< 1 designed or marketed for datacenters, 0 not, -1 unknown */
    const chipcheck_throughput *throughput; /**< n_throughput figures, may be NULL when n_throughput is 0 */
    size_t n_throughput;
} chipcheck_chip;

/** Initialiser for a chipcheck_chip with nothing given: every figure CHIPCHECK_UNSET, datacenter unknown.
 *  Start from it rather than from zeroes: a zero is a real figure (and datacenter 0 means "not for
 *  datacenters"), which can wrongly rule a chip out. */
#define CHIPCHECK_CHIP_INIT \
    {NULL, NULL, NULL, NULL, CHIPCHECK_UNSET, CHIPCHECK_UNSET, CHIPCHECK_UNSET, CHIPCHECK_UNSET, CHIPCHECK_UNSET, -1, NULL, 0}

/** A license the exporter holds. It covers a shipment when its destination is the shipment's, the
 *  shipment date lies in [valid_from, valid_to], and one of its products names the chip (its name or a
 *  catalog alias, case-insensitive, spaces and hyphens ignored, compared whole however long). A license
 *  missing any of these covers nothing. A NULL entry in products is CHIPCHECK_ERR_ARG. */
typedef struct chipcheck_license {
    const char *id;
    const char *destination;           /**< ISO 3166-1 alpha-2 */
    const char *valid_from, *valid_to; /**< YYYY-MM-DD, inclusive */
    const char *const *products;       /**< n_products chip names */
    size_t n_products;
} chipcheck_license;

/** One order line. Strings are borrowed for the duration of the call only. */
typedef struct chipcheck_shipment {
    const char *id;          /**< the caller's reference, echoed in the decision; may be NULL */
    const char *date;        /**< export date YYYY-MM-DD; NULL uses the options' default date */
    const char *destination; /**< ISO 3166-1 alpha-2 country of destination (required) */
    const char *end_user_hq; /**< ISO 3166-1 alpha-2 country where the end user, or its ultimate parent, is
                                  headquartered; NULL when unknown (rules that need it become unknown) */
    const char *export_from; /**< ISO 3166-1 alpha-2 country the item is exported from; NULL when unknown */
    const char *chip_name;   /**< a catalog chip (name or alias); used when chip is NULL */
    const chipcheck_chip *chip; /**< the chip's figures; when both are given, chip figures override the
                                     catalog entry's, field by field */
    const char *exception;      /**< a license exception the shipment is made under ("NAC", "ACA"), or NULL */
    const char *exception_authorization; /**< e.g. the NAC authorization number; NULL if none */
    const chipcheck_license *licenses;   /**< n_licenses licenses held, may be NULL */
    size_t n_licenses;
    /* Added in 0.2 (initialise shipments with CHIPCHECK_SHIPMENT_INIT or zeroes so these read NULL): */
    const char *destination_region; /**< ISO 3166-2 subdivision of the destination ("UA-43" Crimea), upper or
                                         lower case; NULL when unknown. Rules about regions (Crimea and the so-called
                                         DNR and LNR, 15 CFR 746.6) need it for destination UA: without it they are
                                         unknown, so a shipment to UA is indeterminate. Only the form and the
                                         country prefix are checked, not a list of subdivisions. */
    const char *eccn;        /**< the item's Export Control Classification Number as the exporter classified it
                                  ("3A991.p", "4A994.l", "5A992.c", "EAR99"); NULL when not known. A chip the
                                  rules classify as 3A090 is on the CCL whatever this says. Rules whose answer
                                  depends on the class (CCL or EAR99) and that cannot tell it are unknown. */
} chipcheck_shipment;

/** Initialiser for a chipcheck_shipment with nothing given. */
#define CHIPCHECK_SHIPMENT_INIT {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL}

/* ---- Checking ------------------------------------------------------------------------------------ */

/** Options for a check. Initialise with CHIPCHECK_OPTIONS_INIT, then set fields. */
typedef struct chipcheck_options {
    unsigned version;         /**< CHIPCHECK_OPTIONS_VERSION */
    const char *default_date; /**< YYYY-MM-DD used when the shipment has no date; NULL means today (UTC) */
    const char *ruleset;      /**< "ID@VERSION" to force that version of its regime instead of the one in force
                                   on the date (every other regime still applies, by date); "ID" only checks
                                   that the regime is loaded; NULL: every regime by date */
} chipcheck_options;

#define CHIPCHECK_OPTIONS_VERSION 1u
#define CHIPCHECK_OPTIONS_INIT {CHIPCHECK_OPTIONS_VERSION, NULL, NULL}

/** Verdicts. The values equal the command-line exit codes. */
typedef enum chipcheck_verdict {
    CHIPCHECK_ALLOWED = 0,          /**< no license required, or a license held / exception used covers it */
    CHIPCHECK_LICENSE_REQUIRED = 1, /**< a license is required and nothing held covers it */
    CHIPCHECK_INDETERMINATE = 3     /**< the answer depends on data that is missing or unusable */
} chipcheck_verdict;

/** @return "allowed", "license_required" or "indeterminate"; "unknown" for other values. Static. */
CHIPCHECK_API const char *chipcheck_verdict_name(int verdict);

/** A decision: verdict, rule set used, classification, review policy, and the ordered reasoning trace. */
typedef struct chipcheck_decision chipcheck_decision;

/** Check one shipment given as JSON (the shipment format of the README: id, date, destination,
 *  end_user_hq, export_from, chip (object or catalog name), exception, licenses).
 * @param rules  a loaded collection (borrowed; must outlive the decision).
 * @param json   NUL-terminated UTF-8 JSON text of one shipment object. Every string in it must be valid
 *               UTF-8 of at most 1 KiB with no \u0000, control or invisible formatting character, and not
 *               empty or only white space (ids may hold tabs and line breaks); the struct API's strings
 *               are held to the same rule.
 * @param opts   may be NULL for the defaults.
 * @param err    filled on bad input (field and why) and on other failures; may be NULL.
 * @return a new decision freed with chipcheck_decision_free(), or NULL on error. Missing data is not an
 *         error: it gives an indeterminate decision that names what is missing.
 * Thread-safe: any number of threads may call this at once with the same rules. */
CHIPCHECK_API chipcheck_decision *chipcheck_check_json(const chipcheck_rules *rules, const char *json,
                                                       const chipcheck_options *opts,
                                                       chipcheck_error *err) CHIPCHECK_ATTR_WUR;

/** Check one shipment given as a struct. Same contract as chipcheck_check_json(). */
CHIPCHECK_API chipcheck_decision *chipcheck_check(const chipcheck_rules *rules,
                                                  const chipcheck_shipment *shipment,
                                                  const chipcheck_options *opts,
                                                  chipcheck_error *err) CHIPCHECK_ATTR_WUR;

/** Per-thread scratch for the verdict-only path: it holds PCRE2 match data, remembers recent pattern
 *  results, and remembers the verdicts of the last 4,096 or so distinct shipments it decided (about 0.5 MiB),
 *  so that chipcheck_evaluator_verdict() allocates nothing and a shipment asked again (the same bytes in
 *  every field, the same options and date; the id may differ) is answered without being evaluated again.
 *  Shipments with licenses or throughput figures, and errors, are never remembered. A remembered verdict is
 *  the verdict the rules give: an evaluator's rules never change. An evaluator borrows its rules (they
 *  must outlive it) and belongs to one thread at a time; make one per thread.
 * @return a new evaluator freed with chipcheck_evaluator_free(), or NULL with err set. */
typedef struct chipcheck_evaluator chipcheck_evaluator;
CHIPCHECK_API chipcheck_evaluator *chipcheck_evaluator_new(const chipcheck_rules *rules,
                                                         chipcheck_error *err) CHIPCHECK_ATTR_WUR;

/** Free an evaluator. NULL is a no-op. */
CHIPCHECK_API void chipcheck_evaluator_free(chipcheck_evaluator *evaluator);

/** The verdict alone, with no trace and no allocation: the same verdict chipcheck_check() gives for the
 *  same shipment and options.
 * @return a chipcheck_verdict (0, 1 or 3), or a negative chipcheck_status with err filled. */
CHIPCHECK_API int chipcheck_evaluator_verdict(chipcheck_evaluator *evaluator, const chipcheck_shipment *shipment,
                                              const chipcheck_options *opts, chipcheck_error *err);

/** The verdict alone for a shipment given as JSON (same format as chipcheck_check_json()). Parsing the JSON
 *  allocates; the evaluation does not.
 * @return a chipcheck_verdict (0, 1 or 3), or a negative chipcheck_status with err filled. */
CHIPCHECK_API int chipcheck_evaluator_verdict_json(chipcheck_evaluator *evaluator, const char *json,
                                                   const chipcheck_options *opts, chipcheck_error *err);

/** Verdicts of n shipments given as columns, with no trace (the bulk path of the Python package's
 *  Rules.verdicts()). Shipment i is destination destinations[i], the catalog chip chip_names[i], end user
 *  headquartered in end_user_hqs[i] and date dates[i]; end_user_hqs and dates may be NULL (every entry
 *  absent), and so may any of their entries (absent: the rules that need it are unknown; the date is the
 *  options' default). Each shipment is validated and decided as chipcheck_evaluator_verdict() does.
 * @param verdicts receives n values: a chipcheck_verdict (0, 1 or 3), or the negative chipcheck_status of
 *        that shipment's error (its message is not kept; check it alone to read it).
 * @return the number of shipments that were errors, or a negative chipcheck_status with err filled when an
 *         argument is unusable (NULL evaluator, destinations, chip_names or verdicts while n > 0). */
CHIPCHECK_API long chipcheck_evaluator_verdicts(chipcheck_evaluator *evaluator, size_t n,
                                               const char *const *chip_names, const char *const *destinations,
                                               const char *const *end_user_hqs, const char *const *dates,
                                               const chipcheck_options *opts, int *verdicts, chipcheck_error *err);

/** A chip prepared once for many verdicts (a part of SKU master data): validated and resolved against the
 *  catalog of the rules it was prepared with. Immutable: any number of threads may use one at once, with
 *  any evaluator of the same rules. */
typedef struct chipcheck_prepared_chip chipcheck_prepared_chip;

/** Prepare a chip: the catalog name and/or figures are validated and resolved now, as
 *  chipcheck_evaluator_verdict() would for a shipment with this chip_name and chip, and a copy is kept (the
 *  arguments are borrowed for this call only). It borrows its rules, which must outlive it.
 * @return a prepared chip freed with chipcheck_prepared_chip_free(), or NULL with err set: the error that
 *         shipment would give for its chip (CHIPCHECK_ERR_NOT_FOUND for an unknown or ambiguous catalog
 *         name, CHIPCHECK_ERR_INPUT naming the figure), CHIPCHECK_ERR_ARG for NULL rules, CHIPCHECK_ERR_NOMEM. */
CHIPCHECK_API chipcheck_prepared_chip *chipcheck_prepare_chip(const chipcheck_rules *rules, const char *chip_name,
                                                              const chipcheck_chip *chip,
                                                              chipcheck_error *err) CHIPCHECK_ATTR_WUR;

/** Free a prepared chip. NULL is a no-op. */
CHIPCHECK_API void chipcheck_prepared_chip_free(chipcheck_prepared_chip *chip);

/** The verdict of a prepared chip sent to destination, for an end user headquartered in end_user_hq,
 *  exported from export_from, on date (YYYY-MM-DD; NULL: the options' default date, else today): the verdict
 *  chipcheck_evaluator_verdict() gives the shipment with those fields and the chip, and no licenses,
 *  exception, destination region or ECCN. end_user_hq and export_from may be NULL (unknown). The fastest
 *  path: the chip is not validated or looked up again, and a combination asked before is answered from the
 *  evaluator's memory.
 * @return a chipcheck_verdict (0, 1 or 3), or a negative chipcheck_status with err filled (the same error that
 *         shipment gives for a bad field; CHIPCHECK_ERR_ARG for a NULL chip or one prepared with other rules
 *         than the evaluator's). */
CHIPCHECK_API int chipcheck_evaluator_verdict_prepared(chipcheck_evaluator *evaluator,
                                                       const chipcheck_prepared_chip *chip,
                                                       const char *destination, const char *end_user_hq,
                                                       const char *export_from, const char *date,
                                                       const chipcheck_options *opts, chipcheck_error *err);

/** Verdicts of n shipments of prepared chips given as columns (an order book over SKU master data, in one
 *  call): shipment i is the prepared chip chips[i] sent to destinations[i], for an end user
 *  headquartered in end_user_hqs[i], exported from export_froms[i], on dates[i], decided as
 *  chipcheck_evaluator_verdict_prepared() decides it. end_user_hqs, export_froms and dates may be NULL (every
 *  entry absent), and so may any of their entries.
 * @param verdicts receives n values: a chipcheck_verdict (0, 1 or 3), or the negative chipcheck_status of
 *        that shipment's error (its message is not kept; ask chipcheck_evaluator_verdict_prepared() for it).
 * @return the number of shipments that were errors, or a negative chipcheck_status with err filled when an
 *         argument is unusable (NULL evaluator, chips, destinations or verdicts while n > 0). */
CHIPCHECK_API long chipcheck_evaluator_verdicts_prepared(chipcheck_evaluator *evaluator, size_t n,
                                                        const chipcheck_prepared_chip *const *chips,
                                                        const char *const *destinations,
                                                        const char *const *end_user_hqs,
                                                        const char *const *export_froms, const char *const *dates,
                                                        const chipcheck_options *opts, int *verdicts,
                                                        chipcheck_error *err);

/** The summary of one shipment's decision, written by chipcheck_check_many(). */
typedef struct chipcheck_outcome {
    int verdict;                /**< a chipcheck_verdict (0, 1 or 3), or the negative chipcheck_status of the
                                     shipment's error (its message is not kept: check it alone to read it) */
    int policy_may_be_stricter; /**< as chipcheck_decision_policy_may_be_stricter(); 0 for an error */
    size_t text;                /**< byte offset in the text buffer of this shipment's strings, each one
                                     NUL-terminated: the review policy ("" when none, and for an error), then
                                     the n_codes codes, then the n_missing fields */
    size_t n_codes;             /**< codes of the reasons that hold (result 1), in trace order: the "codes" of
                                     the brief JSON */
    size_t n_missing;           /**< the fields of chipcheck_decision_missing(), in its order */
} chipcheck_outcome;

/** Decide n shipments in one call (the bulk path of the Python package's Rules.check_many()): shipment i is
 *  decided as chipcheck_check(rules, &shipments[i], opts, ...) decides it, and summarised in outcomes[i], its
 *  strings copied into text (so they stay valid whatever is freed). It stops before the first shipment whose
 *  strings do not fit in the text_size bytes left: call again from there. A few hundred bytes a shipment is
 *  ample.
 * @param decisions  when not NULL, receives the n decisions (NULL for an error), each freed by the caller with
 *                   chipcheck_decision_free(); when NULL, each decision is freed once summarised.
 * @param text_used  receives the bytes of text written.
 * @return the number of shipments decided (n, or fewer when the text buffer filled), or a negative
 *         chipcheck_status with err filled when an argument is unusable (NULL rules or text_used; NULL
 *         shipments, outcomes or text while n > 0; a text buffer that cannot hold the first shipment's
 *         strings). Thread-safe as chipcheck_check(). */
CHIPCHECK_API long chipcheck_check_many(const chipcheck_rules *rules, size_t n, const chipcheck_shipment *shipments,
                                        const chipcheck_options *opts, chipcheck_outcome *outcomes, char *text,
                                        size_t text_size, size_t *text_used, chipcheck_decision **decisions,
                                        chipcheck_error *err);

/** Free a decision. NULL is a no-op.
 *
 * A decision builds its trace lazily: the verdict and id are known when chipcheck_check() returns; the
 * first call of any other accessor builds the reasons, lists and rule-set entries (and may allocate), and
 * the full JSON re-evaluates the shipment (from the decision's own copy) to show every check. What they
 * return is the same as if everything had been built at once. This is why a decision belongs to one
 * thread at a time: reading it from two threads at once needs the caller's lock. If memory runs out while
 * the trace is built, counts read 0, strings NULL and chipcheck_decision_json() returns NULL; the verdict
 * is never affected. */
CHIPCHECK_API void chipcheck_decision_free(chipcheck_decision *decision);

/** @return the decision's verdict. */
CHIPCHECK_API chipcheck_verdict chipcheck_decision_verdict(const chipcheck_decision *decision);

/** @return the shipment id echoed from the input, or NULL when it had none. Borrowed. */
CHIPCHECK_API const char *chipcheck_decision_id(const chipcheck_decision *decision);

/** @return the rule-set id, version and digest ("sha256:..." over the files of the extends chain) of the
 *  primary regime (us-ear-advanced-computing when loaded), borrowed from the rules; version and digest are NULL
 *  when no version was in force on the date. Every regime consulted: chipcheck_decision_ruleset_info(). */
CHIPCHECK_API const char *chipcheck_decision_ruleset_id(const chipcheck_decision *decision);
CHIPCHECK_API const char *chipcheck_decision_ruleset_version(const chipcheck_decision *decision);
CHIPCHECK_API const char *chipcheck_decision_ruleset_digest(const chipcheck_decision *decision);

/** @return the review policy where a license is required ("presumption_of_denial", "case_by_case",
 *  "presumption_of_approval"), or NULL. Borrowed. */
CHIPCHECK_API const char *chipcheck_decision_review_policy(const chipcheck_decision *decision);

/** Classifications that hold (e.g. "3A090.a"), in rule order. Index from 0; an index out of range gives NULL.
 *  The strings are borrowed. */
CHIPCHECK_API size_t chipcheck_decision_classification_count(const chipcheck_decision *decision);
CHIPCHECK_API const char *chipcheck_decision_classification(const chipcheck_decision *decision, size_t i);

/** Data whose absence left a license requirement unknown (e.g. "end_user_hq", "die_area_mm2", "eccn",
 *  "destination_region"), sorted, without repeats. With an indeterminate verdict this is what to find out; with
 *  license_required it is what could add a requirement (see chipcheck_decision_policy_may_be_stricter()); with
 *  allowed it is empty. An indeterminate verdict with nothing listed comes from a rule the rule data marks as not
 *  researched (a reason with result -1 says what). Data that would only change the review policy (an allowance
 *  whose condition is unknown, such as export_from for the 2026 case-by-case zone) is listed in that
 *  allowance's reason, whose result is then unknown.
 *  Index from 0; out of range gives NULL. Borrowed. */
CHIPCHECK_API size_t chipcheck_decision_missing_count(const chipcheck_decision *decision);
CHIPCHECK_API const char *chipcheck_decision_missing(const chipcheck_decision *decision, size_t i);

/** @return 1 when the verdict is license_required and a requirement that is unknown (for missing data) would
 *  carry a stricter review policy than the one reported: the policy may be stricter than shown. 0 otherwise. */
CHIPCHECK_API int chipcheck_decision_policy_may_be_stricter(const chipcheck_decision *decision);

/** Every regime consulted (e.g. "us-ear-advanced-computing", "us-ear-embargoes"), in evaluation order: a
 *  shipment is checked against every regime loaded, each with its own timeline, and the verdict combines them
 *  (license_required if any requires a license, else indeterminate if any is unknown, else allowed).
 *  chipcheck_decision_ruleset_info() gives regime i's id, the version in force (NULL when none was on the
 *  date), its digest (NULL likewise) and that regime's own verdict; each out-pointer may be NULL; the strings
 *  are borrowed from the rules.
 * @return the count; _info returns CHIPCHECK_OK, or CHIPCHECK_ERR_ARG when i is out of range. */
CHIPCHECK_API size_t chipcheck_decision_ruleset_count(const chipcheck_decision *decision);
CHIPCHECK_API int chipcheck_decision_ruleset_info(const chipcheck_decision *decision, size_t i, const char **id,
                                                  const char **version, const char **digest, int *verdict);

/** What the decision does not screen, declared by the rule files of the regimes in force (restricted parties
 *  such as the Entity List, end-use and end-user controls, rules not modelled, ...): a stable code (e.g.
 *  "ENTITY_LIST") and one sentence each, in regime order, each code once. An allowed verdict means no license
 *  under the regimes modelled; these are the rest. Index from 0; out of range gives NULL. Borrowed. */
CHIPCHECK_API size_t chipcheck_decision_not_screened_count(const chipcheck_decision *decision);
CHIPCHECK_API const char *chipcheck_decision_not_screened_code(const chipcheck_decision *decision, size_t i);
CHIPCHECK_API const char *chipcheck_decision_not_screened_text(const chipcheck_decision *decision, size_t i);

/** Freshness: the regimes whose rule files were reviewed against the public record only up to a date before
 *  the shipment's (their reviewed= date, the newest over the regime's loaded versions). For each, a newer rule
 *  may exist that chipcheck does not know; the verdict is unchanged. chipcheck_decision_freshness() gives
 *  entry i's regime id, reviewed date ("YYYY-MM-DD", borrowed) and the days from it to the shipment's date
 *  (1 or more); each out-pointer may be NULL.
 * @return the count; _freshness returns CHIPCHECK_OK, or CHIPCHECK_ERR_ARG when i is out of range. */
CHIPCHECK_API size_t chipcheck_decision_freshness_count(const chipcheck_decision *decision);
CHIPCHECK_API int chipcheck_decision_freshness(const chipcheck_decision *decision, size_t i, const char **regime,
                                               const char **reviewed, int *days_after);

/** One step of the reasoning trace. Opaque; read it with the chipcheck_reason_* accessors. */
typedef struct chipcheck_reason chipcheck_reason;

/** @return the number of reasoning steps; each rule evaluated is one step, in rule-set order. */
CHIPCHECK_API size_t chipcheck_decision_reason_count(const chipcheck_decision *decision);

/** @return reasoning step i, borrowed from the decision, or NULL when i is out of range. */
CHIPCHECK_API const chipcheck_reason *chipcheck_decision_reason(const chipcheck_decision *decision, size_t i);

/** Accessors of a reasoning step. Strings are borrowed from the rules or the decision.
 *  rule: the rule id; code: the stable machine code an ERP can map to a delivery block; kind:
 *  "ruleset", "classification", "requirement", "determination", "allowance", "exception" or "license";
 *  citation: the legal citation; source_kind: "regulation", "company_disclosure" or "press_report";
 *  text: one plain sentence. result: 1 true, 0 false, -1 unknown. */
CHIPCHECK_API const char *chipcheck_reason_rule(const chipcheck_reason *reason);
CHIPCHECK_API const char *chipcheck_reason_code(const chipcheck_reason *reason);
CHIPCHECK_API const char *chipcheck_reason_kind(const chipcheck_reason *reason);
CHIPCHECK_API const char *chipcheck_reason_citation(const chipcheck_reason *reason);
CHIPCHECK_API const char *chipcheck_reason_source_kind(const chipcheck_reason *reason);
CHIPCHECK_API const char *chipcheck_reason_text(const chipcheck_reason *reason);
CHIPCHECK_API int chipcheck_reason_result(const chipcheck_reason *reason);

/** Flags of chipcheck_decision_json(). */
#define CHIPCHECK_JSON_PRETTY 1u /**< indent; without it the JSON is one line (as in JSON Lines) */
#define CHIPCHECK_JSON_BRIEF 2u  /**< the brief form: everything but "metrics" and "reasons", plus "codes" (the
                                      codes of the reasons that hold, in order) and "unknown" (of those that
                                      are unknown); for batch feeds that map codes to delivery blocks */

/** Render a decision as JSON (the decision format of the README). The same input and rule files always
 *  give the same bytes.
 * @return a NUL-terminated string freed with chipcheck_free(), or NULL when out of memory. */
CHIPCHECK_API char *chipcheck_decision_json(const chipcheck_decision *decision, unsigned flags) CHIPCHECK_ATTR_WUR;

/* ---- What-if analysis ------------------------------------------------------------------------------ */

/** Headroom: how far one shipment's chip sits from every line the rules in force draw on its metrics, and what
 *  crossing one would do. The shipment is given as for chipcheck_check_json(); the versions in force are those
 *  its decision uses (every regime, the options' ruleset pinned). The answer is JSON (freed with
 *  chipcheck_free()):
 *  - "shipment", "outcome" (verdict, review_policy, classification, codes of the reasons that hold, missing)
 *    and "rulesets" (each regime's version, effective date, title and digest);
 *  - "metrics": every metric a comparison reads (tpp, performance_density, memory_bandwidth_gbs, ...) with the
 *    chip's value (null when not given) and its source;
 *  - "comparisons": every numeric comparison of every rule of those versions, each text once with all the rules
 *    that make it: expr, op, threshold, value, result, margin (value - threshold) and margin_pct (of the
 *    threshold), and "crossings": per metric of the comparison, the outcome with that metric moved just across
 *    the line, the others held, and whether that alone changes the verdict or review policy;
 *  - "flips": per metric and direction ("up", "down"), the nearest value at which the verdict or review policy
 *    changes (line, op, change, change_pct of the current value), with the outcome "before" (just short of the
 *    line) and "after" (at the first value past it), "confirmed" (both sides were evaluated and the near side
 *    keeps the current outcome) and the rules drawn at that line; "nearest_line" is the nearest flip to a stricter
 *    outcome (for an allowed chip, the line it was designed under), or null;
 *  - "date_flips": every later version (any regime) whose effective date changes the verdict or policy of the
 *    same shipment, with the outcome before and after and the codes gained and lost;
 *  - "not_analysed": comparisons that are not linear in the metrics (none in the bundled rules), listed.
 *  Metrics are moved one at a time, every other metric held at its value: performance density is a coordinate
 *  of its own (moving tpp keeps it, as if the die grew too). Candidate lines are read from the rules'
 *  comparisons (and/or/not trees of linear comparisons); each answer comes from evaluating the moved shipment.
 * @param json   the shipment, as for chipcheck_check_json().
 * @param flags  CHIPCHECK_JSON_PRETTY or 0.
 * @return a string freed with chipcheck_free(), or NULL with err set (bad shipment as chipcheck_check_json()
 *         reports it; CHIPCHECK_ERR_NOMEM). Thread-safe as chipcheck_check_json(). */
CHIPCHECK_API char *chipcheck_headroom(const chipcheck_rules *rules, const char *json, const chipcheck_options *opts,
                                       unsigned flags, chipcheck_error *err) CHIPCHECK_ATTR_WUR;

/** Envelope: the region of metric space in which a shipment gets the mildest outcome (no license, else the
 *  mildest review policy), for its destination, end user, date and chip (datacenter flag, name, vendor, kind:
 *  everything but the figures varied). The answer is JSON (freed with chipcheck_free()):
 *  - "shipment", "outcome" (of the shipment as given) and "rulesets", as chipcheck_headroom();
 *  - "envelope": the mildest outcome's verdict and review_policy, and its region as constraints a reader can
 *    follow: "all" (every one holds) and "any" (lists of constraints, one list of which holds; empty when "all"
 *    says everything). A constraint is {"metric" or "expr", "op", "value", "text", "rules"}, the rules being those
 *    that draw its line, and "missing" (what leaves an indeterminate region open); "regions" gives every outcome's
 *    region the same way, mildest first;
 *  - "axes" (per metric varied: the lines, each with the side its own value belongs to and its rules, and the
 *    intervals between them), "planes" (comparisons over two or more varied metrics, e.g. memory_bandwidth_gbs +
 *    interconnect_bandwidth_gbs >= 1700; "relevant" when some outcome changes across them), "held" (the metrics
 *    not varied and the value each is held at), "outcomes" and "cells" (each piece of the grid of intervals, with
 *    the side of each plane, its outcome and the point it was evaluated at): what a map draws;
 *  - "chip": when the shipment's chip gives figures for the metrics varied, where it sits ("placed" when it gives
 *    all), its outcome there and its "flips" and "nearest_line" as in chipcheck_headroom(); else null.
 *  Every cell is evaluated (at two points, which must agree; else CHIPCHECK_ERR_RULES: a comparison the analysis
 *  cannot read). The metrics not varied are held at the chip's figures, or when the chip does not give them at the
 *  lowest value at which a classification that also reads a varied metric can hold (e.g. interconnect 600 GB/s
 *  beside tpp in the 2022 rule), else 0. A chip without a name cannot be ruled out as one the rules name (the
 *  H20, the MI308: the region is indeterminate where those rules apply): name a new design ("chip": {"name":
 *  "new design"}) to analyse it as one.
 * @param json       the shipment, as for chipcheck_check_json(); its chip's figures are the point marked.
 * @param metrics    the metrics to vary (e.g. {"tpp", "performance_density"}), or NULL for every metric the rules
 *                   in force compare; n_metrics names. A name the rules in force do not compare is CHIPCHECK_ERR_ARG.
 * @param flags      CHIPCHECK_JSON_PRETTY or 0.
 * @return a string freed with chipcheck_free(), or NULL with err set. Thread-safe as chipcheck_check_json(). */
CHIPCHECK_API char *chipcheck_envelope(const chipcheck_rules *rules, const char *json, const char *const *metrics,
                                       size_t n_metrics, const chipcheck_options *opts, unsigned flags,
                                       chipcheck_error *err) CHIPCHECK_ATTR_WUR;

#ifdef __cplusplus
}
#endif

#endif /* CHIPCHECK_H */
