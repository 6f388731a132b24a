/*
 * textfmt.c: the hot text primitives of decision rendering: numbers as "%.15g" and as cJSON prints them, and
 * JSON string escaping. Each gives exactly the bytes of the printf-based code it replaces (tests/unit compare
 * them on a seeded million values); the fast paths cover the values that are provably identical and
 * everything else falls back to snprintf.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const double pow10_tab[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
                                     1e14, 1e15};

/* The decimal digits of u into out (no terminator); their count. */
static size_t utoa(char *out, uint64_t u)
{
    char t[24];
    size_t n = 0;
    do {
        t[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    for (size_t i = 0; i < n; i++)
        out[i] = t[n - 1 - i];
    return n;
}

/* The fast path of "%.15g": when |v| = m / 10^k exactly after correct rounding, for an integer m < 10^15 and
 * k <= 15, and the value is at least 1e-4. Then m / 10^k has at most 15 significant digits and v is within
 * half an ulp (< 1.2e-16 relative) of it, far closer than half a unit of the 15th digit (>= 5e-16 relative),
 * so "%.15g" rounds v to exactly m / 10^k, printed in fixed notation (its exponent is in [-4, 15)) with the
 * trailing zeros removed. The test (double)m / 10^k == v uses IEEE division, which is correctly rounded, so it
 * holds exactly when m / 10^k rounds to v. Returns the length, or 0 when the fast path does not apply. */
static size_t g15_fast(char *out, double v)
{
    double a = fabs(v);
    if (!(a >= 1e-4 && a < 1e15))
        return 0;
    for (int k = 0; k <= 15; k++) {
        double t = a * pow10_tab[k];
        if (t >= 1e15)
            return 0;
        double m = floor(t);
        if (m != t || m / pow10_tab[k] != a)
            continue;
        char digits[24];
        size_t nd = utoa(digits, (uint64_t)m), o = 0;
        while (k > 0 && digits[nd - 1] == '0') { /* "%g" drops the fraction's trailing zeros */
            nd--;
            k--;
        }
        if (signbit(v))
            out[o++] = '-';
        if ((int)nd <= k) { /* 0.000ddd: at most three zeros after the point, as a >= 1e-4 */
            if (k - (int)nd > 3)
                return 0;
            out[o++] = '0';
            out[o++] = '.';
            for (int z = 0; z < k - (int)nd; z++)
                out[o++] = '0';
            memcpy(out + o, digits, nd);
            o += nd;
        } else {
            size_t ip = nd - (size_t)k;
            memcpy(out + o, digits, ip);
            o += ip;
            if (k) {
                out[o++] = '.';
                memcpy(out + o, digits + ip, (size_t)k);
                o += (size_t)k;
            }
        }
        out[o] = '\0';
        return o;
    }
    return 0;
}

size_t fmt_g15(char out[32], double v)
{
    size_t n = g15_fast(out, v);
    if (n)
        return n;
    if (v == 0) {
        memcpy(out, signbit(v) ? "-0" : "0", signbit(v) ? 3 : 2);
        return signbit(v) ? 2 : 1;
    }
    int r = snprintf(out, 32, "%.15g", v);
    return r > 0 ? (size_t)r : 0;
}

size_t fmt_json_number(char out[32], double d)
{
    if (!isfinite(d)) {
        memcpy(out, "null", 5);
        return 4;
    }
    if (d >= INT_MIN && d <= INT_MAX && d == (double)(int)d) {
        int i = (int)d;
        size_t o = 0;
        if (i < 0)
            out[o++] = '-';
        o += utoa(out + o, i < 0 ? (uint64_t)(-(int64_t)i) : (uint64_t)i);
        out[o] = '\0';
        return o;
    }
    size_t n = g15_fast(out, d); /* exact: the strtod round trip below would keep it */
    if (n)
        return n;
    int r = snprintf(out, 32, "%1.15g", d);
    double t = strtod(out, NULL);
    if (fabs(t - d) > fmax(fabs(t), fabs(d)) * DBL_EPSILON)
        r = snprintf(out, 32, "%1.17g", d);
    return r > 0 ? (size_t)r : 0;
}

/* Any byte of the 8 in w below 0x20, or equal to '"' or '\\' (exact as a yes/no: the borrow of the subtraction
 * only ever flags bytes above a byte that really matches). */
static inline int word_needs_escape(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t lt = (w - ones * 0x20) & ~w;
    uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
    uint64_t eq = ((q - ones) & ~q) | ((b - ones) & ~b);
    return ((lt | eq) & high) != 0;
}

char *json_escape(char *o, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i + 8 <= n) { /* copy clean runs eight bytes at a time */
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (word_needs_escape(w))
                break;
            memcpy(o, &w, 8);
            o += 8;
            i += 8;
        }
        size_t stop = i + 8 < n ? i + 8 : n;
        for (; i < stop; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c >= 0x20 && c != '"' && c != '\\') {
                *o++ = (char)c;
                continue;
            }
            *o++ = '\\';
            switch (c) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '\b': *o++ = 'b'; break;
            case '\f': *o++ = 'f'; break;
            case '\n': *o++ = 'n'; break;
            case '\r': *o++ = 'r'; break;
            case '\t': *o++ = 't'; break;
            default: {
                static const char hex[] = "0123456789abcdef";
                *o++ = 'u';
                *o++ = '0';
                *o++ = '0';
                *o++ = hex[c >> 4];
                *o++ = hex[c & 15];
            }
            }
        }
    }
    return o;
}
