/*
 * json_input.c: strict reading of JSON input, shared by the shipment and catalog parsers (a layer below
 * them). cJSON decodes "\u0000" into a NUL byte that silently ends the C string ("\u0000H20" reads as ""),
 * so a string holding one is found here, from the text, and named by its path.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

/* Index (0-based, in text order) of the first string literal of a well-formed JSON text that holds a
 * \u0000 escape, or -1 when none does. Keys are string literals too. */
static long first_nul_literal(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL && (end - p < 6 || memcmp(p, "\\u0000", 6) != 0))
        p++;
    if (!p)
        return -1; /* the usual case: no "\u0000" anywhere, found in one fast scan */
    long lit = -1;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '"')
            continue;
        lit++;
        for (i++; i < len && text[i] != '"'; i++) {
            if (text[i] != '\\')
                continue;
            if (i + 5 < len && !memcmp(text + i + 1, "u0000", 5))
                return lit;
            i++; /* the escaped character (after a \u the four hex digits hold no quote or backslash) */
        }
    }
    return -1;
}

/* Walk v in document order (cJSON keeps it), counting string literals (keys, then string values) until
 * the target-th; path collects the keys on the way, joined by '.'. */
static int find_literal(const cJSON *v, long *count, long target, char *path, size_t pathsz, size_t used, int *in_key)
{
    if (cJSON_IsString(v))
        return (*count)++ == target;
    if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
        return 0;
    for (const cJSON *k = v->child; k; k = k->next) {
        size_t now = used;
        if (cJSON_IsObject(v)) {
            int n = snprintf(path + used, pathsz - used, "%s%s", used ? "." : "", k->string ? k->string : "");
            now = n < 0 ? used : used + (size_t)n < pathsz ? used + (size_t)n : pathsz - 1;
            if ((*count)++ == target) {
                *in_key = 1;
                return 1;
            }
        }
        if (find_literal(k, count, target, path, pathsz, now, in_key))
            return 1;
        path[used] = '\0';
    }
    return 0;
}

int json_nul_string(const char *text, size_t len, const struct cJSON *root, char *path, size_t pathsz, int *in_key)
{
    path[0] = '\0';
    *in_key = 0;
    long target = first_nul_literal(text, len), count = 0;
    if (target < 0)
        return 0;
    find_literal(root, &count, target, path, pathsz, 0, in_key);
    return 1;
}

int json_key_slot(const struct cJSON *member, const char *const *known, size_t nknown, uint64_t *seen)
{
    const char *key = member->string;
    for (size_t i = 0; key && i < nknown && i < 64; i++)
        if (key[0] == known[i][0] && !strcmp(key, known[i])) {
            if (*seen >> i & 1u)
                return JSON_KEY_REPEATED;
            *seen |= (uint64_t)1 << i;
            return (int)i;
        }
    return JSON_KEY_UNKNOWN;
}

int json_nesting_at(const char *text, size_t off)
{
    int depth = 0, in_string = 0;
    for (size_t i = 0; i < off && text[i]; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return depth;
}

void json_parse_error(const char *text, size_t off, char *msg, size_t msgsz, int *line, int *column)
{
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n') {
            ++*line;
            *column = 1;
        } else {
            ++*column;
        }
    }
    if (json_nesting_at(text, off) >= CJSON_NESTING_LIMIT)
        snprintf(msg, msgsz, "arrays and objects nested more than %d deep near byte %zu", CJSON_NESTING_LIMIT, off);
    else
        snprintf(msg, msgsz, "malformed JSON near byte %zu", off);
}
