/*
 * internal.h: private declarations shared by the files of lib/. Never installed.
 * The data model: rule files (rfile) hold parsed rules; a version (rversion) is one rule file resolved
 * against its extends chain; a collection (chipcheck_rules) holds all versions and the chip catalog.
 */
#ifndef CHIPCHECK_INTERNAL_H
#define CHIPCHECK_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "chipcheck.h"

#define CC_HIDDEN __attribute__((visibility("hidden")))

/* ---- three-valued logic -------------------------------------------------------------------------- */
typedef enum tv { TV_FALSE = 0, TV_TRUE = 1, TV_UNKNOWN = -1 } tv;

/* ---- fields of a shipment that rules can read ---------------------------------------------------- */
/* Numbers first (their index is also their metric slot), then flags, strings and countries. A bit
 * mask over these (field_mask) says which inputs a rule was missing. */
typedef enum field_id {
    F_TPP, F_DIE_AREA, F_MEMORY_BW, F_INTERCONNECT_BW, F_HBM_DENSITY,
    F_DATACENTER,
    F_NAME, F_VENDOR, F_PART_NUMBER, F_KIND, F_ECCN, F_DESTINATION_REGION,
    F_DESTINATION, F_END_USER_HQ, F_EXPORT_FROM,
    F_COUNT
} field_id;
#define F_NUMBER_COUNT 5 /* F_TPP .. F_HBM_DENSITY */
typedef uint32_t field_mask;

CC_HIDDEN const char *field_name(field_id f);
CC_HIDDEN int field_lookup(const char *name); /* -1 if not a field */

/* Metric slots: 0..F_NUMBER_COUNT-1 are the raw numbers; derived metrics get the next slots. */
#define MAX_SLOTS 32
/* Bounds that let evaluation run without allocating; the loader refuses rule sets beyond them. */
#define MAX_RULES 256   /* rules in one resolved version */
#define MAX_CLASSES 64  /* distinct classification names */
#define MAX_VERSION_NODES 4096 /* condition and expression nodes of one resolved version: a check's cost */
#define MEMO_SLOTS 16   /* pattern results an evaluator remembers */
typedef struct memo_entry { int field; char text[64]; uint64_t known, value; } memo_entry;

/* ---- countries ----------------------------------------------------------------------------------- */
#define COUNTRY_SPACE (26 * 26)
typedef struct country_set { uint64_t bits[(COUNTRY_SPACE + 63) / 64]; } country_set;
CC_HIDDEN int country_index(const char *code);   /* index of a two-letter upper-case code, -1 if malformed */
CC_HIDDEN int country_is_iso(int index);         /* 1 if an assigned ISO 3166-1 alpha-2 code */
CC_HIDDEN void country_code(int index, char out[3]);
/* A code people write for a country that is not its ISO 3166-1 alpha-2 code ("UK", "EL", an alpha-3 code
 * such as "CHN"), any case: 1 and the alpha-2 code in out, else 0. */
CC_HIDDEN int country_suggest(const char *s, char out[3]);

/* ---- near matches ("did you mean ...?") --------------------------------------------------------- */
/* Edit distance (insert, delete, substitute, swap neighbours), ASCII case-insensitive, with an
 * abbreviation of 3 or more letters at distance 1; 99 for an empty string or one over 63 bytes. */
CC_HIDDEN int near_distance(const char *word, const char *cand);
#define NEAR_MAX 3
/* The candidates nearest to word within limit, at most NEAR_MAX, in the order offered; the strings are
 * borrowed. owner (may be NULL) groups spellings of one thing, so that it is named once. */
typedef struct near_pick {
    int limit, dist;
    size_t n;
    const char *shown[NEAR_MAX];
    const void *owner[NEAR_MAX];
} near_pick;
/* Start a pick for word. limit -1: 1 for words under 6 letters, else a third of the word's length. */
CC_HIDDEN void near_init(near_pick *p, const char *word, int limit);
/* Offer a candidate at distance d (near_distance() or the caller's own measure); shown is what to print. */
CC_HIDDEN void near_offer(near_pick *p, int d, const char *shown, const void *owner);
/* "did you mean A?", "did you mean A or B?", "did you mean A, B or C?", or "" when there is none. */
CC_HIDDEN void near_format(const near_pick *p, char *out, size_t outsz);
/* "did you mean fp16?" for an unknown precision, or "". */
CC_HIDDEN void precision_nearest(const char *precision, char *out, size_t outsz);
static inline void cset_add(country_set *s, int i) { s->bits[i / 64] |= (uint64_t)1 << (i % 64); }
static inline int cset_has(const country_set *s, int i) { return (int)((s->bits[i / 64] >> (i % 64)) & 1u); }

/* ---- dates ---------------------------------------------------------------------------------------- */
/* Parse "YYYY-MM-DD" into YYYYMMDD; 0 when malformed, not a real calendar date or out of range.
 * date_check() says which (a date_status), and date_status_text() says it in words for a message. */
enum date_status { DATE_OK, DATE_MALFORMED, DATE_NOT_REAL, DATE_OUT_OF_RANGE };
CC_HIDDEN int date_parse(const char *s);
CC_HIDDEN int date_check(const char *s, int *ymd);
CC_HIDDEN const char *date_status_text(int status);
CC_HIDDEN int date_today(void);
CC_HIDDEN int date_days(int ymd); /* days since 1970-01-01 of a YYYYMMDD date */
CC_HIDDEN void date_format(int ymd, char out[11]);

/* ---- expressions ---------------------------------------------------------------------------------- */
typedef enum expr_op { X_NUM, X_METRIC, X_VAR, X_NEG, X_ADD, X_SUB, X_MUL, X_DIV, X_MIN, X_MAX } expr_op;
typedef struct expr {
    expr_op op;
    double num;          /* X_NUM */
    int slot;            /* X_METRIC: metric slot (resolved at load); X_VAR: 0 tops, 1 bits */
    struct expr **args;  /* operands */
    size_t nargs;
} expr;

/* Names an expression may use. Metric names are interned into slots by the loader's callback. */
typedef int (*expr_name_fn)(void *ctx, const char *name, size_t len, int *slot_out);
/* Parse text; on error returns NULL, *err_pos = byte offset, and msg filled. */
CC_HIDDEN expr *expr_parse(const char *text, int allow_vars, expr_name_fn names, void *ctx, size_t *err_pos,
                           char *msg, size_t msgsz);
CC_HIDDEN void expr_free(expr *e);
/* Evaluate. vals/have indexed by slot; vars = {tops, bits} or NULL. Returns 1 and *out when known. */
CC_HIDDEN int expr_eval(const expr *e, const double *vals, const unsigned char *have, const double *vars,
                        double *out);
/* Mask of raw fields whose absence makes e unknown, given the per-slot missing masks. */
CC_HIDDEN field_mask expr_missing(const expr *e, const unsigned char *have, const field_mask *slot_missing);
/* Collect the metric slots an expression reads (bitmask over slots). */
CC_HIDDEN uint32_t expr_slots(const expr *e);
/* Is e a single metric reference? Returns the slot or -1. */
CC_HIDDEN int expr_single_metric(const expr *e);

/* ---- conditions ----------------------------------------------------------------------------------- */
/* C_UNRESOLVED: always unknown; marks a point the rule data says was not researched. */
typedef enum cond_kind { C_ALL, C_ANY, C_NOT, C_CMP, C_FLAG, C_MATCHES, C_EQUALS, C_IN, C_CLASSIFIED, C_UNRESOLVED }
    cond_kind;
typedef enum cmp_op { OP_GE, OP_GT, OP_LE, OP_LT, OP_EQ, OP_NE } cmp_op;
CC_HIDDEN const char *cmp_op_text(cmp_op op);

typedef struct cond {
    cond_kind kind;
    int line;
    struct cond **kids;
    size_t nkids;
    /* C_CMP */
    expr *left, *right;
    char *left_text, *right_text;
    cmp_op op;
    /* C_FLAG (field F_DATACENTER), C_MATCHES, C_EQUALS, C_IN: field */
    field_id field;
    int flag_value;
    char *pattern;         /* C_MATCHES pattern text, C_EQUALS value */
    pcre2_code *re;
    int pattern_id;        /* index among the collection's patterns, for evaluators' memos */
    /* C_IN: group ids (interned group names) and explicit countries */
    int *groups;
    size_t ngroups;
    country_set countries;
    char *in_text;         /* "D:5 MO" as written, for the trace */
    /* C_CLASSIFIED: interned class ids */
    int *classes;
    size_t nclasses;
} cond;

CC_HIDDEN void cond_free(cond *c);

/* ---- rules ---------------------------------------------------------------------------------------- */
typedef enum rule_kind { R_CLASSIFICATION, R_REQUIREMENT, R_DETERMINATION, R_ALLOWANCE, R_EXCEPTION, R_WITHDRAW }
    rule_kind;
CC_HIDDEN const char *rule_kind_name(rule_kind k);

typedef enum policy { P_NONE = 0, P_APPROVAL = 1, P_CASE_BY_CASE = 2, P_DENIAL = 3 } policy;
CC_HIDDEN const char *policy_name(policy p);

typedef struct source {
    char *id, *kind, *confidence, *citation, *as_of, *title;
} source;

typedef struct rule {
    rule_kind kind;
    char *id, *code, *citation, *text, *needs;
    const source *src;
    int class_id;          /* R_CLASSIFICATION: interned class */
    policy pol;
    int auth_required;     /* R_EXCEPTION */
    char **applies_to;     /* R_ALLOWANCE, R_EXCEPTION: rule ids */
    size_t napplies;
    char **conditions;     /* R_ALLOWANCE: condition texts */
    size_t nconditions;
    cond *when;
    size_t nodes;          /* condition elements and expression operations in when: its cost to evaluate */
    int line;
    const struct rfile *file;
    char *json_head, *json_mid; /* its reasons' constant JSON (decision.c, render_cache_build), or NULL */
} rule;

typedef struct group_def {
    int gid;               /* interned group name */
    char *as_of;
    const source *src;
    country_set members;
} group_def;

typedef struct alias_def { int code, as; const source *src; } alias_def;

typedef struct derive_def {
    int slot;
    int over_throughput;   /* 1: max over dense throughput of e (vars tops, bits) */
    expr *e;
    char *text;
    const source *src;
    int line;              /* of the <derive> element */
} derive_def;

/* What a version declares it does not screen (restricted parties, end-use controls, ...). */
typedef struct ns_item {
    char *code, *label, *text; int line;
    char *json;            /* {"code":...,"label":...,"text":...} (render_cache_build), or NULL */
} ns_item;

/* One parsed rule file. */
typedef struct rfile {
    char *path;            /* as given (bytes outside UTF-8 shown as U+FFFD), for messages and JSON */
    unsigned char *bytes;  /* the file's bytes, for the digest */
    size_t len;
    char *regime, *version, *effective, *extends, *title, *description;
    char *reviewed;        /* reviewed="..." (date the files were checked against the record through), or NULL */
    char *uses;            /* uses="REGIME": this regime reads the classifications of REGIME, or NULL */
    char *regime_given, *version_given; /* a caller's file (rules_load_inputs' ngiven): its id and version */
    int not_researched;    /* history="not_researched": dates before the first version are unknown, not free */
    int effective_ymd;
    int line;              /* of the <ruleset> element */
    source *sources; size_t nsources;
    group_def *groups; size_t ngroups;
    alias_def *aliases; size_t naliases;
    derive_def *derives; size_t nderives;
    rule *rules; size_t nrules;
    ns_item *ns; size_t nns;
} rfile;

/* One version, resolved against its chain. Arrays borrow from the files. */
typedef struct rversion {
    const rfile *file;
    int regime_id;                   /* versions of one regime share it (index of its first version) */
    char digest[72];                 /* "sha256:" + 64 hex */
    const rule **rules; size_t nrules; /* in order, withdrawn ones removed */
    const group_def **group_by_id;   /* indexed by interned group id; NULL when undefined */
    const alias_def **aliases; size_t naliases;
    const derive_def **derives; size_t nderives; /* in evaluation order */
    const derive_def *derive_by_slot[MAX_SLOTS];
    int *applies_idx;                /* per rule: start into applies_pool (index into rules) */
    int *applies_pool;
    const ns_item **ns; size_t nns;  /* not screened, inherited and replaced by code along the chain */
    int reviewed_ymd;                /* the newest reviewed date along the chain, 0 if none */
    const char *reviewed;
    const char *uses;                /* the nearest uses= along the chain, or NULL */
    char *json_ruleset, *json_entry; /* its "ruleset" object, its "rulesets" entry up to the verdict, or NULL */
} rversion;

/* A regime: all versions with one id. Regimes are evaluated in this order (one used by another first). */
typedef struct regime {
    const char *id;
    size_t first, count;             /* its versions: versions[first .. first+count) */
    int uses;                        /* index of the regime whose classifications it reads, -1 if none */
    int not_researched;              /* the root version says dates before it are not researched */
    int reviewed_ymd;                /* the newest reviewed date over its versions, 0 if none */
    const char *reviewed;
} regime_def;
#define MAX_REGIMES 16

/* A catalog chip. */
typedef struct cat_chip {
    char *name, *vendor, *part_number, *kind;
    char **aliases; size_t naliases;
    char **keys; size_t nkeys;  /* name and aliases normalised by chip_key(), for lookup */
    double num[F_NUMBER_COUNT];
    unsigned char have[F_NUMBER_COUNT];
    int datacenter;  /* -1 unknown */
    chipcheck_throughput *tp; size_t ntp; /* precision strings owned */
    char **sources; size_t nsources;
    char *source_kind, *as_of;
    char *json;      /* the entry as compact JSON */
    char *json_sources; /* ,"sources":[...],"source_kind":...,"as_of":... (render_cache_build), or NULL */
} cat_chip;

/* A name the catalog declares ambiguous (e.g. "MI300": MI300A or MI300X): looking it up is refused, listing
 * the candidates. */
typedef struct cat_ambiguous {
    char *name, *key, *path;           /* as written, normalised by chip_key(), the file that declared it */
    char **candidates; size_t ncandidates; /* names or aliases as written */
    size_t *chip;                      /* the candidates' chips (indices), resolved by catalog_check() */
} cat_ambiguous;

struct chipcheck_rules {
    rfile **files; size_t nfiles;
    rversion *versions; size_t nversions; /* sorted by regime, effective */
    char **metric_names; size_t nmetrics; /* slot -> name */
    char **group_names; size_t ngroup_names;
    char **class_names; size_t nclass_names;
    cat_chip *chips; size_t nchips;
    regime_def *regimes; size_t nregimes; /* in evaluation order */
    cat_ambiguous *ambiguous; size_t nambiguous;
    struct cat_slot { const char *key; size_t chip; } *chip_index; size_t chip_index_mask; /* key -> chip, or NULL */
    const char *default_regime;
    int default_regime_id;
    int primary;                         /* index in regimes of the default regime */
    int npatterns;
    pcre2_match_context *mctx;       /* match limits, shared read-only */
    struct compiled_rules *compiled; /* the versions as flat tables (compiled.c), or NULL: walker only */
};

/* ---- errors --------------------------------------------------------------------------------------- */
CC_HIDDEN void err_clear(chipcheck_error *err);
CC_HIDDEN int err_set(chipcheck_error *err, int code, const char *src, int line, int column,
                      const char *field, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* ---- utilities ------------------------------------------------------------------------------------ */
CC_HIDDEN char *xstrdup(const char *s);
CC_HIDDEN char *xstrndup(const char *s, size_t n);
CC_HIDDEN void sha256_hex(const unsigned char *const *parts, const size_t *lens, size_t nparts, char out[65]);
/* Chip names compare case-insensitively with spaces, hyphens and underscores ignored, over the whole
 * strings however long. chip_key_dup() returns that normal form (malloc'd, NULL when out of memory);
 * chip_names_match() compares two names (either may be a normal form) and never matches a name that
 * normalises to nothing. */
CC_HIDDEN char *chip_key_dup(const char *name);
CC_HIDDEN int chip_names_match(const char *a, const char *b);
/* chip_key_dup() into out: the key's length, or (size_t)-1 when it does not fit in outsz bytes. */
CC_HIDDEN size_t chip_key_into(const char *name, char *out, size_t outsz);
/* Read a whole regular file (opened non-blocking, so a FIFO never hangs the loader) of at most
 * MAX_FILE_BYTES into a NUL-terminated buffer. 0, or -1 with the reason in why. */
#define MAX_FILE_BYTES ((long long)64 << 20)
CC_HIDDEN int read_file(const char *path, unsigned char **out, size_t *len, char *why, size_t whysz);
/* The well-formed UTF-8 sequence at s (no overlong form, surrogate or code point past U+10FFFF): its
 * length, with the code point in *cp; 0 when malformed or at the terminating NUL. */
CC_HIDDEN size_t utf8_next(const char *s, uint32_t *cp);
CC_HIDDEN int utf8_valid(const char *s); /* 1 when the whole string is well-formed UTF-8 */
/* Why v is not a usable text value, or 0: at most max bytes of well-formed UTF-8, not empty or only white
 * space, with no control or invisible formatting character (free_text allows tabs and line breaks).
 * Returns 1 with the reason in why ("is empty; ...", "contains a control character (U+000A)"). */
CC_HIDDEN int text_problem(const char *v, size_t max, int free_text, char *why, size_t whysz);
/* A copy (malloc'd) with each byte outside a well-formed UTF-8 sequence replaced by U+FFFD. */
CC_HIDDEN char *utf8_sanitize_dup(const char *s);
CC_HIDDEN int throughput_bits(const char *precision); /* canonical bits of a precision, 0 if unknown */

/* ---- hot text primitives (textfmt.c) ------------------------------------------------------------- */
/* v as snprintf "%.15g" prints it; the length (out gets a terminated string of at most 31 bytes). */
CC_HIDDEN size_t fmt_g15(char out[32], double v);
/* d as cJSON prints a number: "null" when not finite, an int with "%d", else the shorter of "%1.15g" and
 * "%1.17g" that reads back as d. The length. */
CC_HIDDEN size_t fmt_json_number(char out[32], double d);
/* The n bytes of s escaped as a JSON string's content (no quotes; '"', '\\' and control bytes escaped as cJSON
 * does) into o, which has room for 6 * n bytes. Returns the end of what was written. */
CC_HIDDEN char *json_escape(char *o, const char *s, size_t n);

/* ---- strict JSON input (json_input.c) ------------------------------------------------------------- */
struct cJSON;
/* 1 when a string (key or value) of the parsed text[0..len) held a \u0000 escape: path gets its field
 * ("chip.name"; the keys on the way joined by '.'), *in_key says whether it was a key. */
CC_HIDDEN int json_nul_string(const char *text, size_t len, const struct cJSON *root, char *path, size_t pathsz,
                              int *in_key);
/* Which of known[] (at most 64) an object member's key is, marking it in *seen: JSON_KEY_UNKNOWN, or
 * JSON_KEY_REPEATED when seen before. One call per member keeps an object's check linear in its size. */
/* Why cJSON stopped at byte off of text, and where (1-based line and column): nesting past cJSON's limit
 * is said as such, anything else is "malformed JSON near byte N". json_nesting_at() is the depth of
 * arrays and objects open at off. */
CC_HIDDEN void json_parse_error(const char *text, size_t off, char *msg, size_t msgsz, int *line, int *column);
CC_HIDDEN int json_nesting_at(const char *text, size_t off);
#define JSON_KEY_UNKNOWN (-1)
#define JSON_KEY_REPEATED (-2)
CC_HIDDEN int json_key_slot(const struct cJSON *member, const char *const *known, size_t nknown, uint64_t *seen);

/* ---- a shipment read from JSON (shipment.c, json_pull.c) ------------------------------------------- */
/* What the JSON layer hands to validation: the struct and the storage it borrows. tp, lic and products
 * are malloc'd by the cJSON path (NULL from the pull parser, whose arrays live in its pull_store). */
typedef struct json_ship {
    chipcheck_shipment sh;
    chipcheck_chip chip;
    chipcheck_throughput *tp;
    chipcheck_license *lic;
    const char **products; /* pooled */
    char idbuf[32];
} json_ship;

/* The pull parser (json_pull.c): reads a well-formed shipment object in one pass, without a tree, into the
 * json_ship the cJSON path (shipment.c, the reference) would fill, every string decoded into the store. It
 * returns 0, or JSON_PULL_FALLBACK for anything it is not sure of (any error, an escape or number it does
 * not convert exactly as cJSON does, a repeated or unknown key, deep nesting, more entries than the store
 * holds): the caller then parses with cJSON, whose errors and messages stay the reference. The store's
 * bounds are of the common case, not limits of the input. Release the store in both cases. */
#define JSON_PULL_FALLBACK 1
/* The store's bounds stay within shipment.c's limits (checked there), so what fits is never refused. */
enum { PULL_TEXT = 1024, PULL_TP = 16, PULL_LIC = 16, PULL_PRODUCTS = 64, PULL_DEPTH = 32 };
#define SHIPMENT_MAX_FIGURE 1e9 /* no chip figure or quantity comes near this: larger is a data error */
typedef struct pull_store {
    char *heap;                          /* the strings when the text is PULL_TEXT bytes or longer */
    char text[PULL_TEXT];
    chipcheck_throughput tp[PULL_TP];
    chipcheck_license lic[PULL_LIC];
    const char *products[PULL_PRODUCTS];
} pull_store;
CC_HIDDEN int json_pull_shipment(const char *json, json_ship *j, pull_store *st);
CC_HIDDEN void json_pull_release(pull_store *st);
/* The cJSON path alone (shipment.c), for the differential test: 0 or an error status with err set; free
 * with json_ship_release(). */
CC_HIDDEN int json_ship_parse_reference(const char *json, struct cJSON **root, json_ship *j, chipcheck_error *err);
CC_HIDDEN void json_ship_release(json_ship *j, struct cJSON *root);

/* ---- the bundled files (generated) --------------------------------------------------------------- */
typedef struct bundled_file { const char *path; const unsigned char *data; size_t len; } bundled_file;
CC_HIDDEN extern const bundled_file cc_bundled_files[];
CC_HIDDEN extern const size_t cc_bundled_count;

/* ---- loading -------------------------------------------------------------------------------------- */
typedef struct load_input { const char *path; const unsigned char *data; size_t len; } load_input;
/* Load n inputs. The first ngiven are the caller's own files: a later XML input of the same regime and
 * version is left out (the caller's copy replaces it), and so are later catalogs when a given one is JSON. */
CC_HIDDEN chipcheck_rules *rules_load_inputs(const load_input *in, size_t n, size_t ngiven, const unsigned char *xsd,
                                             size_t xsdlen, chipcheck_error *err);
CC_HIDDEN int catalog_parse(chipcheck_rules *r, const char *path, const unsigned char *data, size_t len,
                            chipcheck_error *err);
CC_HIDDEN void catalog_free_chip(cat_chip *c);
CC_HIDDEN void catalog_free_ambiguous(chipcheck_rules *r);
/* After every catalog file is parsed: each ambiguous name's candidates are distinct catalog chips, and no
 * ambiguous name is also a chip's name or alias. */
CC_HIDDEN int catalog_check(chipcheck_rules *r, chipcheck_error *err);
CC_HIDDEN const cat_chip *catalog_find(const chipcheck_rules *r, const char *name);
/* catalog_find(), or NULL with err set to CHIPCHECK_ERR_NOT_FOUND (source src, field "chip"): for a name the
 * catalog declares ambiguous the message lists the candidates, else it says that no chip has the name. The
 * message starts with prefix and ends with hint (both may be ""). */
CC_HIDDEN const cat_chip *catalog_lookup(const chipcheck_rules *r, const char *name, const char *src,
                                         const char *prefix, const char *hint, chipcheck_error *err);
/* "did you mean ...?" with the catalog names and aliases nearest to name, or "" when none is near. */
CC_HIDDEN void catalog_nearest(const chipcheck_rules *r, const char *name, char *out, size_t outsz);

/* ---- evaluation ---------------------------------------------------------------------------------- */
/* A shipment after validation: everything the evaluator reads, owned by the caller of evaluate. */
typedef struct ship {
    const char *id;
    int date;                         /* YYYYMMDD */
    int dest, hq, from;               /* country indices, -1 when not given */
    const char *name, *vendor, *part_number, *kind;
    const char *eccn;                 /* normalised ("3A991.p", "EAR99"), or NULL */
    const char *region;               /* ISO 3166-2 destination region ("UA-43"), upper case, or NULL */
    char eccn_buf[24], region_buf[8];
    int kind_defaulted;               /* kind was not given: "accelerator" */
    double num[F_NUMBER_COUNT];
    unsigned char have[F_NUMBER_COUNT];
    unsigned char from_catalog[F_NUMBER_COUNT + 1]; /* + datacenter */
    int datacenter;                   /* -1 unknown */
    const chipcheck_throughput *tp; size_t ntp;
    const cat_chip *catalog;          /* when the chip came from the catalog */
    const char *exception, *exception_auth;
    const chipcheck_license *licenses; size_t nlicenses;
    const struct metric_force *force; /* analysis.c: metric values forced after derivation, or NULL */
} ship;

/* Evaluate a validated shipment (its date settled): the traced decision, or the verdict alone with an
 * evaluator's scratch. The public entry points (shipment.c) validate the caller's input first. */
CC_HIDDEN chipcheck_decision *evaluate_traced(const chipcheck_rules *R, const ship *s, const chipcheck_options *o,
                                              chipcheck_error *err);
CC_HIDDEN int evaluator_run(chipcheck_evaluator *ev, const ship *s, const chipcheck_options *o, chipcheck_error *err);
CC_HIDDEN const chipcheck_rules *evaluator_rules(const chipcheck_evaluator *ev);
/* What-if values (lib/analysis.c): a slot set here takes this value after the metrics are derived, in every
 * regime, whatever the shipment gives. */
typedef struct metric_force { unsigned char set[MAX_SLOTS]; double val[MAX_SLOTS]; } metric_force;

/* Parse and validate a shipment given as JSON, settle its date (the options' default, else today) and hand it to
 * fn, whose result is returned; the strings the ship borrows live until fn returns. A negative status with err set
 * when the JSON or the shipment is bad (as chipcheck_check_json() reports it). For analysis.c. */
CC_HIDDEN int ship_from_json(const chipcheck_rules *rules, const char *json, const chipcheck_options *opts,
                             int (*fn)(void *ctx, const ship *s), void *ctx, chipcheck_error *err);
/* The full decision for a validated shipment whose date is set (s->force honoured). For analysis.c. */
CC_HIDDEN chipcheck_decision *evaluate_ship(const chipcheck_rules *R, const ship *s, const chipcheck_options *o,
                                            chipcheck_error *err);

/* Pieces of the walker the compiled path shares (evaluate.c). */
CC_HIDDEN const char *ship_string_field(const ship *s, field_id f);
CC_HIDDEN int pattern_match(const chipcheck_rules *R, memo_entry *memo, pcre2_match_data *md, const cond *k,
                            const char *v);
CC_HIDDEN int resolve_pin(const chipcheck_rules *R, const chipcheck_options *o, int *pin_regime, const rversion **pin,
                          chipcheck_error *err);
CC_HIDDEN const rversion *version_in_force(const chipcheck_rules *R, const regime_def *rg, int date);
CC_HIDDEN int license_match(const ship *s, const chipcheck_license *l, int ok[3]);

/* ---- an evaluator's memory of verdicts (vmemo.c) ------------------------------------------------------ */
#define VMEMO_KEY_MAX 112
#define VMEMO_WINDOW 4096   /* lookups judged together */
#define VMEMO_MIN_RATE 16   /* fewer than one hit in this many: rest */
#define VMEMO_REST 16384    /* shipments checked without the memory while resting */
typedef struct vmemo vmemo;
typedef struct vkey { uint64_t hash; size_t len; unsigned char bytes[VMEMO_KEY_MAX]; } vkey;
CC_HIDDEN vmemo *vmemo_new(void);
CC_HIDDEN void vmemo_free(vmemo *m);
/* The key of a shipment checked with options o: 1, or 0 when such a shipment is not remembered (licenses,
 * throughput figures, long strings, or neither a date nor a default date: settle today's first). */
CC_HIDDEN int vmemo_key(const chipcheck_shipment *in, const chipcheck_options *o, vkey *k);
/* The key of n integers (at most 27), told apart from every shipment's key: for prepared chips. */
CC_HIDDEN void vmemo_key_ints(vkey *k, const int *v, size_t n);
/* Whether to consult the memory for the next shipment (no after a long run of misses, for a while). */
CC_HIDDEN int vmemo_wanted(vmemo *m);
/* The verdict remembered for k, or -1. */
CC_HIDDEN int vmemo_get(vmemo *m, const vkey *k);
CC_HIDDEN void vmemo_put(vmemo *m, const vkey *k, int verdict);
/* The evaluator's memory (evaluate.c owns the evaluator). */
CC_HIDDEN vmemo *evaluator_vmemo(chipcheck_evaluator *ev);
/* A chip prepared once (chipcheck_prepare_chip()): a validated ship with its chip fields set, its strings and
 * throughput figures in owned (one block); immutable, so any thread may read it. serial tells it from every
 * other prepared chip of the process (the memory's key: an address can be reused after a free). */
struct chipcheck_prepared_chip {
    const chipcheck_rules *rules;
    uint64_t serial;
    ship tmpl;
    void *owned;
};
/* ---- the compiled verdict path (compiled.c) -------------------------------------------------------- */
/* Built at load (NULL out of memory: the walker decides everything); versions it cannot compile stay
 * with the walker. compiled_verdict() returns the verdict, a negative status with err set, or
 * COMPILED_FALLBACK when the walker must decide this shipment. */
typedef struct compiled_rules compiled_rules;
#define COMPILED_FALLBACK (-1000)
CC_HIDDEN compiled_rules *compiled_build(const chipcheck_rules *R);
CC_HIDDEN void compiled_free(compiled_rules *c);
CC_HIDDEN size_t compiled_count(const compiled_rules *c); /* versions compiled */
CC_HIDDEN int compiled_verdict(const chipcheck_rules *R, const ship *s, const chipcheck_options *o,
                               pcre2_match_data *md, memo_entry *memo, chipcheck_error *err);


/* ---- decisions ----------------------------------------------------------------------------------- */
/* Everything a decision owns lives in its arena and is freed at once. */
typedef struct arena_block { struct arena_block *next; size_t used, cap; unsigned char data[]; } arena_block;
CC_HIDDEN void *arena_alloc(arena_block **a, size_t n);
CC_HIDDEN char *arena_strdup(arena_block **a, const char *s);
CC_HIDDEN char *arena_printf(arena_block **a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A new decision, all zero but for its arena's first block, which shares its allocation (so every decision
 * is made here, and freed with chipcheck_decision_free()). NULL when out of memory. */
CC_HIDDEN chipcheck_decision *decision_new(void);
/* The strings given, up to a NULL, joined (as "%s%s..." would print them, without printf's cost). */
CC_HIDDEN char *arena_cat(arena_block **a, ...) __attribute__((sentinel));
/* The constant JSON fragments of decisions (a rule's reason, a version's ruleset, a not-screened item, a chip's
 * sources), rendered once when a collection is loaded so that the collection stays read-only afterwards and is
 * shared by threads without locks. Out of memory leaves a fragment NULL and the renderer writes it in full. */
CC_HIDDEN void render_cache_build(chipcheck_rules *R);
CC_HIDDEN void render_cache_free(chipcheck_rules *R);

typedef enum vtype { V_NONE, V_NUM, V_STR, V_BOOL } vtype;
typedef struct check {
    const char *metric;    /* metric, field or expression */
    vtype vt; double vnum; const char *vstr; int vbool;
    const char *op;
    vtype tt; double tnum; const char *tstr; int tbool;
    int result;            /* tv */
    int negated;           /* under an odd number of not(): the rule needs this check to be false */
    const char *source;    /* "given", "catalog", "derived", "default", "missing" */
    const char *how;       /* how a derived value was computed, or NULL */
} check;

struct chipcheck_reason {
    const rule *from;             /* the rule it reports, or NULL */
    const char *rule, *code, *kind, *citation, *authority, *source_kind, *confidence, *as_of, *text;
    const char *regime;           /* the regime whose rule this is; NULL for licenses and exceptions named */
    int result;
    const char *policy;           /* a requirement's own policy, or the policy an allowance grants */
    const char *effective_policy; /* a requirement's policy after allowances */
    const char *changed_by;       /* the allowance that set effective_policy */
    const char *covered_by;       /* license or exception covering a requirement */
    const char *note;
    check *checks; size_t nchecks, capchecks;
    field_mask missing;
};

typedef struct exc_entry { const char *id, *citation, *needs; int used; } exc_entry;
/* One regime consulted: the version in force (NULL when none), its own verdict and policy. */
typedef struct regime_entry {
    const regime_def *rg;
    const rversion *v;
    chipcheck_verdict verdict;
    policy pol;
} regime_entry;
typedef struct metric_entry { const char *name; int have; double value; const char *source, *how; } metric_entry;

struct chipcheck_decision {
    arena_block *arena;
    const char *id;
    char date[11], dest[3], hq[3], from[3];
    const char *region, *eccn;        /* destination_region and eccn as given (normalised), or NULL */
    const char *chip_name, *chip_source;
    const cat_chip *catalog;
    const char *regime;
    const rversion *v;                /* the primary (advanced-computing) regime's version, for "ruleset" */
    regime_entry *regimes; size_t nregimes;
    const ns_item **ns; size_t nns;   /* not screened, over every regime in force, by code without repeats */
    chipcheck_verdict verdict;
    int policy_may_be_stricter;       /* a requirement that is unknown would carry a stricter policy */
    const char *policy;
    const char **classes; size_t nclasses;
    const char **conditions; size_t nconditions;
    exc_entry *exc; size_t nexc;
    metric_entry *metrics; size_t nmetrics;
    struct chipcheck_reason *reasons; size_t nreasons, capreasons;
    const char **missing; size_t nmissing;
    const char *license_id;
    /* Lazy trace: a decision of chipcheck_check() records no checks and no metrics (its reasons' checks are empty).
     * retrace (evaluate.c) evaluates the kept copy of the shipment again with every check, into a new decision,
     * when the full JSON is asked for; NULL when the decision is already the full trace. */
    const chipcheck_rules *rules;
    const ship *replay;
    const char *ruleset;              /* the options' ruleset, or NULL */
    chipcheck_decision *(*retrace)(const chipcheck_decision *d);
    /* Set while only the verdict (and id) is known: builds everything else in place from the kept shipment
     * (evaluate.c), then is cleared. 0, or -1 out of memory (the decision is left as it was). */
    int (*complete)(chipcheck_decision *d);
};

#endif
