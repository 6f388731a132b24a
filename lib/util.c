/*
 * util.c: the small pieces every other file uses: version and status names, the caller's error struct,
 * strings, calendar dates, ISO 3166-1 country codes, SHA-256 (for rule-set digests) and file reading.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

const char *chipcheck_version(void) { return CHIPCHECK_VERSION; }
int chipcheck_version_number(void) { return CHIPCHECK_VERSION_NUMBER; }
size_t chipcheck_sizeof_error(void) { return sizeof(chipcheck_error); }
void chipcheck_free(void *ptr) { free(ptr); }

const char *chipcheck_status_name(int code)
{
    switch (code) {
    case CHIPCHECK_OK: return "CHIPCHECK_OK";
    case CHIPCHECK_ERR_NOMEM: return "CHIPCHECK_ERR_NOMEM";
    case CHIPCHECK_ERR_IO: return "CHIPCHECK_ERR_IO";
    case CHIPCHECK_ERR_PARSE: return "CHIPCHECK_ERR_PARSE";
    case CHIPCHECK_ERR_SCHEMA: return "CHIPCHECK_ERR_SCHEMA";
    case CHIPCHECK_ERR_RULES: return "CHIPCHECK_ERR_RULES";
    case CHIPCHECK_ERR_INPUT: return "CHIPCHECK_ERR_INPUT";
    case CHIPCHECK_ERR_NOT_FOUND: return "CHIPCHECK_ERR_NOT_FOUND";
    case CHIPCHECK_ERR_ARG: return "CHIPCHECK_ERR_ARG";
    default: return "CHIPCHECK_UNKNOWN";
    }
}

const char *chipcheck_verdict_name(int verdict)
{
    switch (verdict) {
    case CHIPCHECK_ALLOWED: return "allowed";
    case CHIPCHECK_LICENSE_REQUIRED: return "license_required";
    case CHIPCHECK_INDETERMINATE: return "indeterminate";
    default: return "unknown";
    }
}

void err_clear(chipcheck_error *err)
{
    if (!err)
        return;
    err->code = CHIPCHECK_OK;
    err->line = err->column = 0;
    err->offset = -1;
    err->source[0] = err->field[0] = err->message[0] = '\0'; /* every string empty: cheaper than zeroing 600 bytes */
}

/* Copy src into dst (size n) as one line of valid UTF-8: each byte outside a well-formed sequence becomes
 * U+FFFD, a control character a space, and the copy never ends inside a sequence. With keep_tail, a src that does not fit keeps its end after "..."
 * (paths are told apart by their end); else its start. */
static void utf8_fit(char *dst, size_t n, const char *src, int keep_tail)
{
    char tmp[3 * 1024 + 1];
    size_t len = src ? strlen(src) : 0, t = 0;
    const char *p = src ? src + (keep_tail && len > 1024 ? len - 1024 : 0) : "";
    for (size_t i = 0, m; p[i] && t + 3 < sizeof tmp; i += m) {
        uint32_t cp;
        m = utf8_next(p + i, &cp);
        if (m == 1 && cp < 0x20) {
            tmp[t++] = ' '; /* one line: a message quoting input (or libxml2's) may hold line breaks */
        } else if (m) {
            memcpy(tmp + t, p + i, m);
            t += m;
        } else {
            memcpy(tmp + t, "\xEF\xBF\xBD", 3);
            t += 3;
            m = 1;
        }
    }
    tmp[t] = '\0';
    if (t < n) {
        memcpy(dst, tmp, t + 1);
        return;
    }
    if (!keep_tail) {
        size_t k = n - 1;
        while (k > 0 && ((unsigned char)tmp[k] & 0xC0) == 0x80) /* tmp[k] would start the cut-off part */
            k--;
        memcpy(dst, tmp, k);
        dst[k] = '\0';
        return;
    }
    size_t from = t - (n - 4);
    while (from < t && ((unsigned char)tmp[from] & 0xC0) == 0x80)
        from++;
    memcpy(dst, "...", 3);
    memcpy(dst + 3, tmp + from, t - from + 1);
}

char *utf8_sanitize_dup(const char *s)
{
    size_t len = strlen(s), j = 0;
    char *out = malloc(3 * len + 1);
    for (size_t i = 0, m; out && s[i]; i += m) {
        uint32_t cp;
        if ((m = utf8_next(s + i, &cp)) != 0) {
            memcpy(out + j, s + i, m);
            j += m;
        } else {
            memcpy(out + j, "\xEF\xBF\xBD", 3);
            j += 3;
            m = 1;
        }
    }
    if (out)
        out[j] = '\0';
    return out;
}

int err_set(chipcheck_error *err, int code, const char *src, int line, int column, const char *field,
            const char *fmt, ...)
{
    if (!err || err->code != CHIPCHECK_OK) /* the first error wins */
        return code;
    err->code = code;
    err->line = line;
    err->column = column;
    /* Every string of an error is valid UTF-8 (it quotes input, which may not be): callers print it as JSON. */
    utf8_fit(err->source, sizeof err->source, src, 1);
    utf8_fit(err->field, sizeof err->field, field, 0);
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    utf8_fit(err->message, sizeof err->message, msg, 0);
    return code;
}

char *xstrdup(const char *s) { return s ? xstrndup(s, strlen(s)) : NULL; }

char *xstrndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Characters a chip-name comparison skips. */
static int name_skip(unsigned char ch) { return ch == ' ' || ch == '-' || ch == '_'; }

char *chip_key_dup(const char *name)
{
    char *out = malloc(strlen(name) + 1);
    size_t j = 0;
    for (; out && *name; name++)
        if (!name_skip((unsigned char)*name))
            out[j++] = (char)tolower((unsigned char)*name);
    if (out)
        out[j] = '\0';
    return out;
}

size_t chip_key_into(const char *name, char *out, size_t outsz)
{
    size_t j = 0;
    for (; *name; name++)
        if (!name_skip((unsigned char)*name)) {
            if (j + 1 >= outsz)
                return (size_t)-1;
            out[j++] = (char)tolower((unsigned char)*name);
        }
    out[j] = '\0';
    return j;
}

int chip_names_match(const char *a, const char *b)
{
    int any = 0;
    for (;;) {
        while (*a && name_skip((unsigned char)*a))
            a++;
        while (*b && name_skip((unsigned char)*b))
            b++;
        if (!*a || !*b)
            return !*a && !*b && any;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
        a++;
        b++;
        any = 1;
    }
}

int read_file(const char *path, unsigned char **out, size_t *len, char *why, size_t whysz)
{
    *out = NULL;
    *len = 0;
    why[0] = '\0';
    /* Non-blocking, so that opening a FIFO never waits for a writer; then only a regular file is read. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(why, whysz, "cannot read file: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > MAX_FILE_BYTES) {
        snprintf(why, whysz, "%s", S_ISREG(st.st_mode) ? "is larger than 64 MiB"
                                   : S_ISDIR(st.st_mode) ? "is a directory, not a file" : "is not a regular file");
        close(fd);
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0; /* one byte more: a file that grows is noticed */
    unsigned char *buf = malloc(cap + 1);
    while (buf) {
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (got < 0) {
                snprintf(why, whysz, "cannot read file: %s", strerror(errno));
                free(buf);
                buf = NULL;
            }
            break;
        }
        n += (size_t)got;
        if (n == cap) { /* it grew while being read */
            unsigned char *nb = cap > MAX_FILE_BYTES ? NULL : realloc(buf, cap * 2 + 1);
            if (!nb) {
                snprintf(why, whysz, "%s", cap > MAX_FILE_BYTES ? "is larger than 64 MiB" : "out of memory");
                free(buf);
            }
            buf = nb;
            cap *= 2;
        }
    }
    close(fd);
    if (!buf) {
        if (!why[0])
            snprintf(why, whysz, "out of memory");
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* ---- UTF-8 ------------------------------------------------------------------------------------------ */

size_t utf8_next(const char *s, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (c == 0 || n < 0 || (n == 1 && c < 0xC2) || (n == 3 && c > 0xF4))
        return 0;
    uint32_t v = n == 0 ? c : c & (0x3Fu >> n);
    for (int i = 1; i <= n; i++) { /* stops at a NUL: it is no continuation byte */
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    if ((n == 2 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) || (n == 3 && (v < 0x10000 || v > 0x10FFFF)))
        return 0; /* overlong, a surrogate, or past U+10FFFF */
    *cp = v;
    return (size_t)n + 1;
}

int utf8_valid(const char *s)
{
    uint32_t cp;
    for (size_t n; *s; s += n)
        if (!(n = utf8_next(s, &cp)))
            return 0;
    return 1;
}

/* Code points a text value may not hold: C0 and C1 controls, DEL, the line and paragraph separators, and
 * invisible formatting characters (zero-width spaces and joiners, bidirectional controls, the byte order
 * mark, the soft hyphen), which can make one name look like another. */
static const char *forbidden_kind(uint32_t c)
{
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029)
        return "a control character";
    if (c == 0xAD || c == 0x180E || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
        (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF)
        return "an invisible formatting character";
    return NULL;
}

static int is_space(uint32_t c)
{
    return c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

int text_problem(const char *v, size_t max, int free_text, char *why, size_t whysz)
{
    /* The common case first: printable ASCII with something other than spaces, within max bytes, has no
     * problem (no control, formatting or non-ASCII character to decode). */
    size_t k = 0;
    int seen = 0;
    for (; k <= max && v[k] >= 0x20 && v[k] < 0x7F; k++)
        seen |= v[k] != ' ';
    if (v[k] == '\0' && k <= max && seen)
        return 0;
    size_t len = strlen(v);
    if (len > max) {
        snprintf(why, whysz, "is longer than %zu bytes", max);
        return 1;
    }
    int blank = 1;
    for (size_t i = 0, n; i < len; i += n) {
        uint32_t cp;
        unsigned char b = (unsigned char)v[i];
        if (b >= 0x20 && b < 0x7F) { /* printable ASCII, the usual case: no decoding */
            blank &= b == ' ';
            n = 1;
            continue;
        }
        if (!(n = utf8_next(v + i, &cp))) {
            snprintf(why, whysz, "is not valid UTF-8");
            return 1;
        }
        const char *bad = forbidden_kind(cp);
        if (bad && !(free_text && (cp == '\t' || cp == '\n' || cp == '\r'))) {
            snprintf(why, whysz, "contains %s (U+%04X)", bad, (unsigned)cp);
            return 1;
        }
        blank &= is_space(cp) || bad != NULL;
    }
    if (blank)
        snprintf(why, whysz, "is %s; leave the field out when it is not known", len ? "only white space" : "empty");
    return blank;
}

/* ---- precisions ------------------------------------------------------------------------------------ */

static const struct { const char *name; int bits; } precisions[] = {
    {"fp64", 64}, {"fp32", 32}, {"tf32", 32}, {"bf16", 16}, {"fp16", 16}, {"fp8", 8}, {"fp6", 6}, {"fp4", 4},
    {"int32", 32}, {"int16", 16}, {"int8", 8}, {"int4", 4},
};

int throughput_bits(const char *precision)
{
    for (size_t i = 0; precision && i < sizeof precisions / sizeof precisions[0]; i++)
        if (!strcmp(precisions[i].name, precision))
            return precisions[i].bits;
    return 0;
}

void precision_nearest(const char *precision, char *out, size_t outsz)
{
    near_pick p;
    near_init(&p, precision ? precision : "", 1);
    for (size_t k = 0; precision && k < sizeof precisions / sizeof precisions[0]; k++)
        near_offer(&p, near_distance(precision, precisions[k].name), precisions[k].name, NULL);
    near_format(&p, out, outsz);
}

/* ---- fields ----------------------------------------------------------------------------------------- */

static const char *const field_names[F_COUNT] = {
    "tpp", "die_area_mm2", "memory_bandwidth_gbs", "interconnect_bandwidth_gbs", "hbm_bandwidth_density",
    "datacenter", "name", "vendor", "part_number", "kind", "eccn", "destination_region", "destination", "end_user_hq",
    "export_from",
};

const char *field_name(field_id f) { return (unsigned)f < F_COUNT ? field_names[f] : "?"; }

int field_lookup(const char *name)
{
    for (int i = 0; i < F_COUNT; i++)
        if (strcmp(field_names[i], name) == 0)
            return i;
    return -1;
}

/* ---- dates ------------------------------------------------------------------------------------------ */

int date_check(const char *s, int *ymd)
{
    *ymd = 0;
    if (!s)
        return DATE_MALFORMED;
#define NOT_DIGIT(i) ((unsigned)(s[i] - '0') > 9u) /* a NUL fails here first: the string is shorter */
    if (NOT_DIGIT(0) || NOT_DIGIT(1) || NOT_DIGIT(2) || NOT_DIGIT(3) || s[4] != '-' || NOT_DIGIT(5) ||
        NOT_DIGIT(6) || s[7] != '-' || NOT_DIGIT(8) || NOT_DIGIT(9) || s[10] != '\0')
        return DATE_MALFORMED;
#undef NOT_DIGIT
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return DATE_NOT_REAL;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return DATE_NOT_REAL;
    if (y < 1900 || y > 2999)
        return DATE_OUT_OF_RANGE;
    *ymd = y * 10000 + m * 100 + d;
    return DATE_OK;
}

const char *date_status_text(int status)
{
    switch (status) {
    case DATE_MALFORMED: return "is not a date in the form YYYY-MM-DD";
    case DATE_NOT_REAL: return "is not a real calendar date";
    case DATE_OUT_OF_RANGE: return "is outside the supported range 1900-01-01 to 2999-12-31";
    default: return "is a date";
    }
}

int date_parse(const char *s)
{
    int ymd;
    return date_check(s, &ymd) == DATE_OK ? ymd : 0;
}

int date_days(int ymd)
{
    /* days from civil (Howard Hinnant's algorithm), 1970-01-01 = 0 */
    int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int date_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

void date_format(int ymd, char out[11])
{
    unsigned u = (unsigned)ymd, y = (u / 10000) % 10000, m = (u / 100) % 100, d = u % 100; /* "%04u-%02u-%02u" */
    const unsigned v[8] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10, m / 10, m % 10, d / 10, d % 10};
    for (int i = 0, o = 0; i < 8; i++) {
        out[o++] = (char)('0' + v[i]);
        if (i == 3 || i == 5)
            out[o++] = '-';
    }
    out[10] = '\0';
}

/* ---- countries -------------------------------------------------------------------------------------- */

/* The assigned ISO 3166-1 alpha-2 codes. */
static const char iso_codes[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV "
    "BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES "
    "ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE "
    "IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY "
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU "
    "NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM "
    "SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE "
    "VG VI VN VU WF WS YE YT ZA ZM ZW";

int country_index(const char *code)
{
    if (!code || !isupper((unsigned char)code[0]) || !isupper((unsigned char)code[1]) || code[2] != '\0')
        return -1;
    return (code[0] - 'A') * 26 + (code[1] - 'A');
}

static country_set iso_set;
static pthread_once_t iso_once = PTHREAD_ONCE_INIT;

static atomic_int iso_ready; /* set (release) once iso_set is complete: then no pthread_once call */

static void iso_init(void)
{
    for (const char *p = iso_codes; *p; p += (p[2] ? 3 : 2))
        cset_add(&iso_set, (p[0] - 'A') * 26 + (p[1] - 'A'));
    atomic_store_explicit(&iso_ready, 1, memory_order_release);
}

int country_is_iso(int index)
{
    if (index < 0 || index >= COUNTRY_SPACE)
        return 0;
    if (!atomic_load_explicit(&iso_ready, memory_order_acquire))
        pthread_once(&iso_once, iso_init);
    return cset_has(&iso_set, index);
}

void country_code(int index, char out[3])
{
    out[0] = (char)('A' + index / 26);
    out[1] = (char)('A' + index % 26);
    out[2] = '\0';
}

/* Codes people write for a country that are not its alpha-2 code: the exceptionally reserved UK and EL
 * (ISO 3166 Maintenance Agency), then every alpha-3 code with its alpha-2 code (ISO 3166-1). */
static const char *const reserved_codes[][2] = {{"UK", "GB"}, {"EL", "GR"}};
static const char alpha3_codes[] =
    "ABWAW AFGAF AGOAO AIAAI ALAAX ALBAL ANDAD AREAE ARGAR ARMAM ASMAS ATAAQ ATFTF ATGAG AUSAU AUTAT "
    "AZEAZ BDIBI BELBE BENBJ BESBQ BFABF BGDBD BGRBG BHRBH BHSBS BIHBA BLMBL BLRBY BLZBZ BMUBM BOLBO "
    "BRABR BRBBB BRNBN BTNBT BVTBV BWABW CAFCF CANCA CCKCC CHECH CHLCL CHNCN CIVCI CMRCM CODCD COGCG "
    "COKCK COLCO COMKM CPVCV CRICR CUBCU CUWCW CXRCX CYMKY CYPCY CZECZ DEUDE DJIDJ DMADM DNKDK DOMDO "
    "DZADZ ECUEC EGYEG ERIER ESHEH ESPES ESTEE ETHET FINFI FJIFJ FLKFK FRAFR FROFO FSMFM GABGA GBRGB "
    "GEOGE GGYGG GHAGH GIBGI GINGN GLPGP GMBGM GNBGW GNQGQ GRCGR GRDGD GRLGL GTMGT GUFGF GUMGU GUYGY "
    "HKGHK HMDHM HNDHN HRVHR HTIHT HUNHU IDNID IMNIM INDIN IOTIO IRLIE IRNIR IRQIQ ISLIS ISRIL ITAIT "
    "JAMJM JEYJE JORJO JPNJP KAZKZ KENKE KGZKG KHMKH KIRKI KNAKN KORKR KWTKW LAOLA LBNLB LBRLR LBYLY "
    "LCALC LIELI LKALK LSOLS LTULT LUXLU LVALV MACMO MAFMF MARMA MCOMC MDAMD MDGMG MDVMV MEXMX MHLMH "
    "MKDMK MLIML MLTMT MMRMM MNEME MNGMN MNPMP MOZMZ MRTMR MSRMS MTQMQ MUSMU MWIMW MYSMY MYTYT NAMNA "
    "NCLNC NERNE NFKNF NGANG NICNI NIUNU NLDNL NORNO NPLNP NRUNR NZLNZ OMNOM PAKPK PANPA PCNPN PERPE "
    "PHLPH PLWPW PNGPG POLPL PRIPR PRKKP PRTPT PRYPY PSEPS PYFPF QATQA REURE ROURO RUSRU RWARW SAUSA "
    "SDNSD SENSN SGPSG SGSGS SHNSH SJMSJ SLBSB SLESL SLVSV SMRSM SOMSO SPMPM SRBRS SSDSS STPST SURSR "
    "SVKSK SVNSI SWESE SWZSZ SXMSX SYCSC SYRSY TCATC TCDTD TGOTG THATH TJKTJ TKLTK TKMTM TLSTL TONTO "
    "TTOTT TUNTN TURTR TUVTV TWNTW TZATZ UGAUG UKRUA UMIUM URYUY USAUS UZBUZ VATVA VCTVC VENVE VGBVG "
    "VIRVI VNMVN VUTVU WLFWF WSMWS YEMYE ZAFZA ZMBZM ZWEZW";

int country_suggest(const char *s, char out[3])
{
    char up[4] = {0};
    size_t n = s ? strlen(s) : 0;
    if (n < 2 || n > 3)
        return 0;
    for (size_t i = 0; i < n; i++)
        up[i] = (char)toupper((unsigned char)s[i]);
    for (size_t i = 0; n == 2 && i < sizeof reserved_codes / sizeof reserved_codes[0]; i++)
        if (!strcmp(up, reserved_codes[i][0])) {
            memcpy(out, reserved_codes[i][1], 3);
            return 1;
        }
    for (const char *p = alpha3_codes; n == 3 && *p; p += p[5] ? 6 : 5)
        if (!strncmp(p, up, 3)) {
            memcpy(out, p + 3, 2);
            out[2] = '\0';
            return 1;
        }
    return 0;
}

/* ---- near matches ("did you mean ...?") ------------------------------------------------------------ */

int near_distance(const char *word, const char *cand)
{
    char a[64], b[64];
    size_t n = word ? strlen(word) : 0, m = cand ? strlen(cand) : 0;
    if (n == 0 || m == 0 || n >= sizeof a || m >= sizeof b)
        return 99;
    for (size_t i = 0; i <= n; i++)
        a[i] = (char)tolower((unsigned char)word[i]);
    for (size_t j = 0; j <= m; j++)
        b[j] = (char)tolower((unsigned char)cand[j]);
    if (!strcmp(a, b))
        return 0;
    if (n >= 3 && n < m && !strncmp(a, b, n))
        return 1; /* an abbreviation: "dest" for "destination" */
    /* optimal string alignment: insertions, deletions, substitutions and swaps of neighbours */
    int d[3][64]; /* rows i-2, i-1, i (mod 3) */
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        int *cur = d[i % 3], *prev = d[(i - 1) % 3], *prev2 = d[(i + 1) % 3];
        cur[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v)
                v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
        }
    }
    return d[n % 3][m];
}

void near_init(near_pick *p, const char *word, int limit)
{
    memset(p, 0, sizeof *p);
    p->limit = limit >= 0 ? limit : (int)(word && strlen(word) >= 6 ? strlen(word) / 3 : 1);
    p->dist = p->limit + 1;
}

void near_offer(near_pick *p, int d, const char *shown, const void *owner)
{
    if (d > p->limit || d > p->dist)
        return;
    if (d < p->dist) {
        p->dist = d;
        p->n = 0;
    }
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->shown[i], shown) || (owner && p->owner[i] == owner))
            return;
    if (p->n < NEAR_MAX) {
        p->owner[p->n] = owner;
        p->shown[p->n++] = shown;
    }
}

void near_format(const near_pick *p, char *out, size_t outsz)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < p->n && used < outsz; i++) {
        const char *sep = i == 0 ? "did you mean " : i + 1 == p->n ? " or " : ", ";
        int k = snprintf(out + used, outsz - used, "%s%s%s", sep, p->shown[i], i + 1 == p->n ? "?" : "");
        used += k > 0 ? (size_t)k : 0;
    }
}

/* ---- SHA-256 (FIPS 180-4) --------------------------------------------------------------------------- */

typedef struct sha256 { uint32_t h[8]; unsigned char buf[64]; size_t fill; uint64_t total; } sha256;

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror32(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(sha256 *s, const unsigned char *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, h;
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3]; e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
        uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d; s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

static void sha256_update(sha256 *s, const unsigned char *p, size_t n)
{
    s->total += n;
    while (n > 0) {
        size_t take = 64 - s->fill < n ? 64 - s->fill : n;
        memcpy(s->buf + s->fill, p, take);
        s->fill += take;
        p += take;
        n -= take;
        if (s->fill == 64) {
            sha256_block(s, s->buf);
            s->fill = 0;
        }
    }
}

void sha256_hex(const unsigned char *const *parts, const size_t *lens, size_t nparts, char out[65])
{
    sha256 s = {{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19},
                {0}, 0, 0};
    for (size_t i = 0; i < nparts; i++)
        sha256_update(&s, parts[i], lens[i]);
    uint64_t bits = s.total * 8;
    unsigned char pad = 0x80, zero = 0, len[8];
    sha256_update(&s, &pad, 1);
    while (s.fill != 56)
        sha256_update(&s, &zero, 1);
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(&s, len, 8);
    for (int i = 0; i < 8; i++)
        snprintf(out + 8 * i, 9, "%08x", s.h[i]);
}
