/*
 * chipcheck.c: the `chipcheck` command: dispatch to the commands, help and version, and the helpers the
 * commands share (argument walking, error printing, file reading). A client of include/chipcheck.h only.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* In parts: C caps one string literal at 4095 bytes. */
static const char *const help_text[] = {
    "usage: chipcheck <command> [options]\n"
    "\n"
    "Decide whether a shipment of advanced-computing chips needs a US export license, under every regime\n"
    "loaded (the advanced-computing rules, ECCN 3A090, and the destination-wide embargoes of 15 CFR Part 746),\n"
    "with the reasoning, the rule set versions used and what the answer does not screen.\n"
    "\n"
    "commands:\n"
    "  check (--spec FILE | --chip NAME) --to CC [--region CC-SUB] [--hq CC] [--from CC] [--date YYYY-MM-DD]\n"
    "        [--eccn ECCN] [--ruleset ID@VERSION] [--rules DIR] [--format text|json]\n"
    "        [--exception NAC|ACA|SPP [--authorization NUM]]\n"
    "      Check one shipment. --spec FILE is a chip JSON object, or a whole shipment object (one with a\n"
    "      \"chip\" key; the other options then override its fields); \"-\" reads it from stdin.\n"
    "      --chip NAME names a catalog chip (see `chipcheck chips list`). --to is the destination, --hq\n"
    "      the country where the end user or its ultimate parent is headquartered, --from the country\n"
    "      exported from (ISO 3166-1 alpha-2). --region is the ISO 3166-2 region of the destination\n"
    "      (needed for UA: Crimea UA-43/UA-40, the so-called DNR/LNR UA-14/UA-09); --eccn the item's ECCN\n"
    "      or EAR99 (some embargoes depend on it). --date defaults to today (UTC).\n"
    "      Exit status: 0 allowed, 1 license required, 3 indeterminate, 2 usage or input error.\n"
    "  batch [--rules DIR] [--date YYYY-MM-DD] [--ruleset ID@VERSION] [--input-format jsonl|csv]\n"
    "        [--brief] [--summary] [--jobs N] [--report FILE.html [--ruleset ID@VERSION2]] [FILE...]\n"
    "      Read shipments as JSON Lines from the files or stdin; write one line per input line: the\n"
    "      decision JSON, or an error record {\"id\", \"line\", \"error\": {\"code\", \"field\", \"message\"}}\n"
    "      (valid UTF-8 JSON: invalid bytes of an id become U+FFFD, listed in \"invalid_utf8\").\n"
    "      --brief writes the brief decision (no metrics or reasons; \"codes\" of the reasons that\n"
    "      hold and \"unknown\" ones instead).\n"
    "      --input-format csv reads CSV with a header row instead (columns named like the shipment's\n"
    "      fields and the chip's figures; an empty cell is absent; one output line per data row).\n"
    "      --date is the date of lines that have none. --summary prints to stderr the counts per verdict\n"
    "      and per reason code that held, and how many lines are dated after the rules' reviewed date\n"
    "      (and progress while stderr is a terminal). --jobs N checks JSON Lines on N threads, with\n"
    "      the same output in the same order (CSV is read by one thread).\n"
    "      --report FILE.html also writes one self-contained page: the share of lines that need a license\n"
    "      and why, by destination and chip, what indeterminate lines miss, the rule sets used; with a second\n"
    "      --ruleset of the same regime, what changes from the first version to the second, line by line.\n"
    "      Exit status: 0 when every line was decided, 2 when any line was an error.\n",
    "  rules list [--rules DIR]        the rule set versions: id@version, effective date, digest, title;\n"
    "                                  then each regime's reviewed-through date\n"
    "  rules show ID@VERSION [--rules DIR]\n"
    "                                  one rule set version as resolved (after extends), as JSON\n"
    "  rules diff ID@A ID@B [--chips] [--rules DIR]\n"
    "                                  what changed from A to B: country groups, aliases, metrics, rules;\n"
    "                                  --chips: and the catalog chips whose verdict changed, by destination\n"
    "                                  (exit status 0 no differences, 1 differences, 2 error)\n"
    "  rules validate [--rules DIR] FILE...\n"
    "                                  check rule files (.xml) and catalogs (.json) on top of the bundled rules\n"
    "                                  (or DIR): extends resolve; a file replaces its own version there\n"
    "  chips list [--rules DIR]        the catalog chips: name, vendor, TPP (given or derived; - if unknown)\n"
    "  chips show NAME [--rules DIR]   the catalog entry of a chip, as JSON\n",
    "  headroom (--chip NAME | --spec FILE) --to CC [--hq CC] [--from CC] [--date D] [--ruleset ID@V]\n"
    "        [--rules DIR] [--format text|json]\n"
    "      How far the chip sits from every line the rules in force draw on its figures: each comparison\n"
    "      with its margin, the nearest value of each figure that changes the answer (flips, both sides\n"
    "      evaluated), the line it was designed under, and the later versions that change the answer.\n"
    "  envelope --to CC [--hq CC] [--from CC] [--date D] [--datacenter yes|no] [--chip NAME | --spec FILE]\n"
    "        [--name NAME] [--vendor NAME] [--metric NAME ...] [--rules DIR] [--format text|json]\n"
    "      Where a chip needs no license (or gets the mildest policy) for that destination and date: the\n"
    "      region of TPP, performance density and the bandwidths, as constraints with the rules that draw\n"
    "      them. Without --chip, a new design for datacenters (--datacenter no: not for datacenters); with\n"
    "      --chip, where that chip sits and the line it was designed under.\n"
    "  map --to CC [--date D ...] [--hq CC] [--from CC] [--chip NAME ... | --catalog] [-o FILE.svg] [--rules DIR]\n"
    "      One SVG of where chips sit against the lines of the rules in force, a column per --date: the TPP x\n"
    "      performance-density plane and the memory x interconnect bandwidth plane, shaded by the outcome for\n"
    "      a new datacenter design for that destination, the chips coloured by their own verdict.\n"
    "\n"
    "  --help, --version    (after a command: its usage)\n"
    "\n"
    "The manual: man chipcheck (installed by make install; in the source tree: man -l bindings/cli/chipcheck.1).\n",
};

static void usage_short(FILE *f)
{
    fputs("usage: chipcheck check (--spec FILE | --chip NAME) --to CC [options]\n"
          "       chipcheck batch [options] [FILE...]\n"
          "       chipcheck rules (list | show ID@VERSION | diff ID@A ID@B [--chips] | validate [--rules DIR] FILE...)\n"
          "       chipcheck chips (list | show NAME)\n"
          "       chipcheck headroom (--chip NAME | --spec FILE) --to CC [options]\n"
          "       chipcheck envelope --to CC [options]\n"
          "       chipcheck map --to CC [--date D ...] [--chip NAME ... | --catalog] [-o FILE.svg]\n"
          "Try 'chipcheck --help' for more.\n", f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage_short(stderr);
        return EXIT_USAGE;
    }
    const char *c = argv[1];
    if (strcmp(c, "check") == 0)
        return cmd_check(argc, argv);
    if (strcmp(c, "batch") == 0)
        return cmd_batch(argc, argv);
    if (strcmp(c, "rules") == 0)
        return cmd_rules(argc, argv);
    if (strcmp(c, "chips") == 0)
        return cmd_chips(argc, argv);
    if (strcmp(c, "headroom") == 0)
        return cmd_headroom(argc, argv);
    if (strcmp(c, "envelope") == 0)
        return cmd_envelope(argc, argv);
    if (strcmp(c, "map") == 0)
        return cmd_map(argc, argv);
    if (strcmp(c, "--help") == 0 || strcmp(c, "-h") == 0 || strcmp(c, "help") == 0) {
        for (size_t i = 0; i < sizeof help_text / sizeof help_text[0]; i++)
            fputs(help_text[i], stdout);
        return finish_stdout(EXIT_OK);
    }
    if (strcmp(c, "--version") == 0 || strcmp(c, "version") == 0) {
        /* The library may be newer than the header this command was built with (shared builds). */
        printf("chipcheck %s\n", chipcheck_version());
        return finish_stdout(EXIT_OK);
    }
    static const char *const commands[] = {"check", "batch", "rules", "chips", "headroom", "envelope", "map", "help"};
    static const char *const options[] = {"--help", "--version"};
    char near[96];
    if (c[0] == '-')
        suggest(c, options, 2, near, sizeof near);
    else
        suggest(c, commands, sizeof commands / sizeof commands[0], near, sizeof near);
    errorf("unknown %s '%s'%s%s", c[0] == '-' ? "option" : "command", c, near[0] ? "; " : "", near);
    usage_short(stderr);
    return EXIT_USAGE;
}

/* ---- argument walking ------------------------------------------------------------------------------ */

void args_init(args *a, int argc, char **argv, int first, const char *cmd, const char *usage)
{
    a->argc = argc;
    a->argv = argv;
    a->i = first;
    a->cmd = cmd;
    a->usage = usage;
    a->opts_done = 0;
}

int args_next(args *a, const char **opt, const char **inline_val)
{
    static char name[64];
    *inline_val = NULL;
    if (a->i >= a->argc)
        return 0;
    const char *s = a->argv[a->i++];
    if (!a->opts_done && strcmp(s, "--") == 0) {
        a->opts_done = 1;
        if (a->i >= a->argc)
            return 0;
        s = a->argv[a->i++];
    }
    if (a->opts_done || s[0] != '-' || strcmp(s, "-") == 0) {
        *opt = s;
        return 2;
    }
    const char *eq = strchr(s, '=');
    if (eq != NULL && s[1] == '-') {
        size_t n = (size_t)(eq - s);
        if (n >= sizeof name)
            n = sizeof name - 1;
        memcpy(name, s, n);
        name[n] = '\0';
        *opt = name;
        *inline_val = eq + 1;
    } else {
        *opt = s;
    }
    return 1;
}

const char *args_value(args *a, const char *opt, const char *inline_val)
{
    if (inline_val != NULL)
        return inline_val;
    if (a->i >= a->argc) {
        usage_error(a, "option %s needs a value", opt);
        return NULL;
    }
    return a->argv[a->i++];
}

int args_no_value(args *a, const char *opt, const char *inline_val)
{
    if (inline_val == NULL)
        return 0;
    usage_error(a, "option %s takes no value", opt);
    return 1;
}

int usage_error(const args *a, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "chipcheck: %s: ", a->cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: chipcheck %s\nTry 'chipcheck --help' for more.\n", a->usage);
    return EXIT_USAGE;
}

int unknown_option(const args *a, const char *opt, const char *const *known, size_t n)
{
    char near[160];
    suggest(opt, known, n, near, sizeof near);
    return usage_error(a, "unknown option '%s'%s%s", opt, near[0] ? "; " : "", near);
}

int bad_value(const args *a, const char *opt, const char *val, const char *const *known, size_t n)
{
    char near[160], list[160];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < n && used < sizeof list; i++) {
        int k = snprintf(list + used, sizeof list - used, "%s%.*s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
                         (int)strcspn(known[i], " "), known[i]);
        used += k > 0 ? (size_t)k : 0;
    }
    suggest(val, known, n, near, sizeof near);
    return usage_error(a, "%s must be %s; got '%s'%s%s", opt, list, val, near[0] ? "; " : "", near);
}

/* ---- errors ---------------------------------------------------------------------------------------- */

void errorf(const char *fmt, ...)
{
    va_list ap;
    fputs("chipcheck: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

const char *error_message_body(const chipcheck_error *err)
{
    const char *msg = err->message[0] ? err->message : chipcheck_status_name(err->code);
    size_t flen = strlen(err->field);
    if (flen > 0 && strncmp(msg, err->field, flen) == 0 && msg[flen] == ':' && msg[flen + 1] == ' ')
        return msg + flen + 2;
    return msg;
}

/* Is an error's source a file (a rule file, a catalog, a directory), rather than the library's names for
 * input that is not one ("<shipment>", "<options>", ...)? */
static int is_file_source(const char *src)
{
    static const char *const not_files[] = {"", "<shipment>", "<string>", "<options>", "<rules>", "<catalog>"};
    for (size_t i = 0; i < sizeof not_files / sizeof not_files[0]; i++)
        if (strcmp(src, not_files[i]) == 0)
            return 0;
    return 1;
}

void print_lib_error(const chipcheck_error *err, const char *prefix, int positions_ok)
{
    const char *msg = err->message[0] ? err->message : chipcheck_status_name(err->code);
    if (positions_ok && err->line > 0) {
        const char *src = prefix != NULL ? prefix : err->source[0] ? err->source : "<input>";
        if (err->column > 0)
            fprintf(stderr, "chipcheck: %s:%d:%d: %s\n", src, err->line, err->column, msg);
        else
            fprintf(stderr, "chipcheck: %s:%d: %s\n", src, err->line, msg);
        return;
    }
    fputs("chipcheck: ", stderr);
    if (prefix != NULL) {
        fprintf(stderr, "%s: ", prefix);
    } else if (is_file_source(err->source)) { /* a load error always names its file; the message says the rest */
        fprintf(stderr, "%s: %s\n", err->source, msg);
        return;
    }
    if (err->field[0])
        fprintf(stderr, "%s: ", err->field);
    fprintf(stderr, "%s\n", error_message_body(err));
}

chipcheck_rules *load_rules(const char *dir)
{
    chipcheck_error err;
    memset(&err, 0, sizeof err);
    chipcheck_rules *r = dir != NULL ? chipcheck_rules_load_dir(dir, &err) : chipcheck_rules_load_default(&err);
    if (r == NULL)
        print_lib_error(&err, NULL, 1);
    return r;
}

int finish_stdout(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        errorf("error writing output: %s", strerror(errno));
        return EXIT_USAGE;
    }
    return status;
}

#define MAX_INPUT_FILE ((size_t)64 << 20) /* bytes of a spec file */

/* ---- files and JSON -------------------------------------------------------------------------------- */

char *read_whole_file(const char *path)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        errorf("%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        goto nomem;
    for (;;) {
        if (cap - len < 2) {
            if (len > MAX_INPUT_FILE) { /* as rule files: a spec is bounded, whatever it is */
                errorf("%s: is larger than 64 MiB; expected one JSON object", path);
                goto fail;
            }
            size_t ncap = cap * 2 < MAX_INPUT_FILE + 2 ? cap * 2 : MAX_INPUT_FILE + 2;
            char *nb = realloc(buf, ncap);
            if (nb == NULL)
                goto nomem;
            buf = nb;
            cap = ncap;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        if (memchr(buf + len, '\0', n) != NULL) { /* refused at once, not after reading the rest */
            errorf("%s: contains a NUL byte; expected JSON text", path);
            goto fail;
        }
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        errorf("%s: cannot read: %s", path, strerror(errno));
        goto fail;
    }
    buf[len] = '\0';
    if (!is_stdin)
        fclose(f);
    return buf;
nomem:
    errorf("%s: out of memory", path);
fail:
    free(buf);
    if (!is_stdin)
        fclose(f);
    return NULL;
}

void text_position(const char *text, const char *pos, int *line, int *column)
{
    int l = 1, c = 1;
    for (const char *p = text; *p && p < pos; p++) {
        if (*p == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *column = c;
}

static int numbers_finite_at(const cJSON *item, char *path, size_t pathsz, size_t used)
{
    if (cJSON_IsNumber(item))
        return isfinite(item->valuedouble) ? 1 : 0;
    if (!cJSON_IsArray(item) && !cJSON_IsObject(item))
        return 1;
    size_t idx = 0;
    for (const cJSON *k = item->child; k != NULL; k = k->next, idx++) {
        int n;
        if (cJSON_IsObject(item))
            n = snprintf(path + used, pathsz - used, "%s%s", used ? "." : "", k->string ? k->string : "");
        else
            n = snprintf(path + used, pathsz - used, "[%zu]", idx);
        size_t now = n < 0 ? used : used + (size_t)n;
        if (now >= pathsz)
            now = pathsz - 1;
        if (!numbers_finite_at(k, path, pathsz, now))
            return 0;
        path[used] = '\0';
    }
    return 1;
}

int json_numbers_finite(const cJSON *item, char *path, size_t pathsz)
{
    path[0] = '\0';
    return numbers_finite_at(item, path, pathsz, 0);
}

/* Length of the well-formed UTF-8 sequence at p, 0 when malformed (or at the end). */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (c == 0 || n == 0 || (n == 2 && c < 0xC2) || (n == 4 && c > 0xF4))
        return 0;
    unsigned long cp = n == 1 ? c : c & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

cJSON *json_text(const char *s, int *replaced)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0, j = 0, n;
    while (i < len && (n = utf8_len(p + i)) != 0)
        i += n;
    *replaced = i < len;
    if (!*replaced)
        return cJSON_CreateString(s);
    char *out = malloc(3 * len + 1);
    if (out == NULL)
        return NULL;
    for (i = 0; i < len; i += n) {
        if ((n = utf8_len(p + i)) != 0) {
            memcpy(out + j, s + i, n);
            j += n;
        } else {
            memcpy(out + j, "\xEF\xBF\xBD", 3); /* U+FFFD */
            j += 3;
            n = 1;
        }
    }
    out[j] = '\0';
    cJSON *item = cJSON_CreateString(out);
    free(out);
    return item;
}
