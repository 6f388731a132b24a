/*
 * vmemo.c: an evaluator's memory of recent verdicts. Order books repeat themselves: the same part to the
 * same customer on the same day, line after line. A verdict is a function of the shipment as given, the
 * options and the rules (an evaluator's rules never change), so an evaluator remembers, for the last few
 * thousand distinct shipments it decided, the shipment's bytes and its verdict; the same bytes again give
 * the same verdict without validating or evaluating anything.
 *
 * The key is every input the verdict reads, as bytes: each string of the shipment and its chip (NULL told
 * apart from ""), the chip's figures as their bit patterns, its datacenter flag, the options' forced rule
 * set, and the date the check is made on (the shipment's, else the options' default; an undated check gets
 * today's as its default from the caller, so a memory made yesterday never answers for today). The shipment id is not part of it (it
 * changes nothing in a verdict) and is validated on every call by the caller. Shipments with licenses or
 * throughput figures, or whose strings come to more than about 100 bytes, are not remembered (vmemo_key()
 * says so): they are rare in bulk screening and their keys would be long. Only verdicts are stored, never errors: a shipment
 * that failed is checked again every time and fails with its full message.
 *
 * Four-way set associative: a new key takes an empty slot of its set, else the least recently used one (two
 * ways thrashed: three keys of a cycled order book falling in one set missed every time). The table is per
 * evaluator, and so per thread (about 0.5 MiB).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define VMEMO_SLOTS 4096 /* a power of two */
#define VMEMO_WAYS 4     /* slots a key may take (a power of two) */

typedef struct vslot {
    uint64_t hash;
    unsigned stamp;     /* the memory's clock when last used */
    unsigned short len; /* 0: empty */
    signed char verdict;
    unsigned char key[VMEMO_KEY_MAX];
} vslot;

/* When the memory is no use (every shipment new, as in a file of distinct order lines), making keys only
 * costs: after each window of VMEMO_WINDOW lookups with fewer than one hit in VMEMO_MIN_RATE, the next
 * VMEMO_REST shipments are checked without it; then it is tried again (internal.h). */

struct vmemo {
    unsigned lookups, hits, resting, clock;
    vslot slot[VMEMO_SLOTS];
};

int vmemo_wanted(vmemo *m)
{
    if (m->resting == 0)
        return 1;
    m->resting--;
    return 0;
}

vmemo *vmemo_new(void) { return calloc(1, sizeof(vmemo)); }

void vmemo_free(vmemo *m) { free(m); }

static uint64_t hash_bytes(const unsigned char *p, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
    }
    uint64_t w = 0;
    memcpy(&w, p + i, n - i);
    h ^= w; /* then every bit of h into the low bits the slot is chosen by (MurmurHash3's finaliser) */
    h = (h ^ (h >> 33)) * 0xFF51AFD7ED558CCDull;
    h = (h ^ (h >> 33)) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 33);
}

/* The key: a mask of the strings given (NULL told apart from ""), each given string with its terminating
 * NUL (no string holds a NUL, so the layout reads back one way only), then the chip's figures and flag as
 * bytes and the date the check is made on when the shipment has none. */
enum { K_DATE, K_DEST, K_HQ, K_FROM, K_CHIP_NAME, K_EXCEPTION, K_AUTH, K_REGION, K_ECCN, K_RULESET, K_NAME, K_VENDOR,
       K_PART, K_KIND, K_DEFAULT_DATE, K_STRINGS };

int vmemo_key(const chipcheck_shipment *in, const chipcheck_options *o, vkey *k)
{
    const chipcheck_chip *c = in->chip;
    if (in->n_licenses || (c && c->n_throughput) || (!in->date && !(o && o->default_date)))
        return 0; /* no date: the caller settles today's as the default first (so a key is never of two days) */
    const char *str[K_STRINGS] = {in->date, in->destination, in->end_user_hq, in->export_from, in->chip_name,
                                  in->exception, in->exception_authorization, in->destination_region, in->eccn,
                                  o ? o->ruleset : NULL, c ? c->name : NULL, c ? c->vendor : NULL,
                                  c ? c->part_number : NULL, c ? c->kind : NULL,
                                  !in->date && o ? o->default_date : NULL};
    uint32_t mask = c ? 1u << K_STRINGS : 0;
    unsigned char *d = k->bytes + sizeof mask, *end = k->bytes + VMEMO_KEY_MAX;
    for (int f = 0; f < K_STRINGS; f++) {
        const char *v = str[f];
        if (!v)
            continue;
        mask |= 1u << f;
        do {
            if (d == end)
                return 0;
        } while ((*d++ = (unsigned char)*v++) != 0);
    }
    if (c) {
        double num[5] = {c->tpp, c->die_area_mm2, c->memory_bandwidth_gbs, c->interconnect_bandwidth_gbs,
                         c->hbm_bandwidth_density};
        int dc = c->datacenter;
        if ((size_t)(end - d) < sizeof num + sizeof dc)
            return 0;
        memcpy(d, num, sizeof num);
        memcpy(d + sizeof num, &dc, sizeof dc);
        d += sizeof num + sizeof dc;
    }
    memcpy(k->bytes, &mask, sizeof mask);
    k->len = (size_t)(d - k->bytes);
    k->hash = hash_bytes(k->bytes, k->len);
    return 1;
}

void vmemo_key_ints(vkey *k, const int *v, size_t n)
{
    const uint32_t mask = 0xFFFFFFFFu; /* no shipment key has every bit of its string mask set */
    memcpy(k->bytes, &mask, sizeof mask);
    memcpy(k->bytes + sizeof mask, v, n * sizeof *v);
    k->len = sizeof mask + n * sizeof *v;
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint32_t)v[i]) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 33)) * 0xFF51AFD7ED558CCDull;
    k->hash = h ^ (h >> 33);
}

static int same(const vslot *s, const vkey *k)
{
    return s->len == k->len && s->hash == k->hash && memcmp(s->key, k->bytes, k->len) == 0;
}

static int counted(vmemo *m, int verdict)
{
    m->hits += verdict >= 0;
    if (++m->lookups == VMEMO_WINDOW) {
        if (m->hits * VMEMO_MIN_RATE < m->lookups)
            m->resting = VMEMO_REST;
        m->lookups = m->hits = 0;
    }
    return verdict;
}

int vmemo_get(vmemo *m, const vkey *k)
{
    vslot *set = &m->slot[k->hash & (VMEMO_SLOTS - VMEMO_WAYS)];
    for (int w = 0; w < VMEMO_WAYS; w++)
        if (same(&set[w], k)) {
            set[w].stamp = ++m->clock;
            return counted(m, set[w].verdict);
        }
    return counted(m, -1);
}

void vmemo_put(vmemo *m, const vkey *k, int verdict)
{
    vslot *set = &m->slot[k->hash & (VMEMO_SLOTS - VMEMO_WAYS)], *s = &set[0];
    for (int w = 1; w < VMEMO_WAYS && s->len; w++) /* an empty slot, else the least recently used */
        if (!set[w].len || m->clock - set[w].stamp > m->clock - s->stamp)
            s = &set[w];
    s->stamp = ++m->clock;
    s->hash = k->hash;
    s->len = (unsigned short)k->len;
    s->verdict = (signed char)verdict;
    memcpy(s->key, k->bytes, k->len);
}
