/* fuzz_util.h: invariants the fuzz targets share. */
#ifndef CHIPCHECK_FUZZ_UTIL_H
#define CHIPCHECK_FUZZ_UTIL_H

/* 1 when s is well-formed UTF-8: every string the library hands out (errors, JSON) must be. */
static inline int fuzz_valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 0 : *p >= 0xC2 && *p <= 0xDF ? 1 : *p >= 0xE0 && *p <= 0xEF ? 2 : *p >= 0xF0 && *p <= 0xF4 ? 3 : -1;
        if (n < 0)
            return 0;
        for (int i = 1; i <= n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        if ((n == 2 && *p == 0xE0 && p[1] < 0xA0) || (n == 2 && *p == 0xED && p[1] > 0x9F) ||
            (n == 3 && *p == 0xF0 && p[1] < 0x90) || (n == 3 && *p == 0xF4 && p[1] > 0x8F))
            return 0;
        p += n + 1;
    }
    return 1;
}

/* 1 when the error report is whole: a status, a message, and valid UTF-8 throughout. */
#define FUZZ_ERROR_OK(e) \
    ((e).code != CHIPCHECK_OK && (e).message[0] != '\0' && fuzz_valid_utf8((e).message) && \
     fuzz_valid_utf8((e).field) && fuzz_valid_utf8((e).source))

#endif
