/* les_util.c: small helpers of the lessons module (les_internal.h): one
 * strict, locale-independent number grammar shared by lessons and CSV, the
 * printing side of it, quoting user text for messages, whole-file reads.
 *
 * Locale: strtod and printf follow LC_NUMERIC. Stipple never sets a locale,
 * but a host program might; so text is translated between '.' and the
 * locale's decimal point around each call (as cJSON does).
 *
 * Threads: reentrant (localeconv is read, never changed).
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "les_internal.h"

/* Longest number text accepted (longer texts are not numbers to us). */
#define LES__NUMBER_MAX 128

static const char *les__decimal_point(void)
{
    const struct lconv *lc = localeconv();
    return (lc && lc->decimal_point && lc->decimal_point[0]) ? lc->decimal_point : ".";
}

static size_t les__digits(const char *s, size_t len, size_t i)
{
    size_t start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    return i - start;
}

/* True when s[0..len) matches [+-]? (D+ (. D*)? | . D+) ([eE] [+-]? D+)?. */
static bool les__number_grammar(const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    size_t whole = les__digits(s, len, i);
    i += whole;
    size_t frac = 0;
    if (i < len && s[i] == '.') {
        i++;
        frac = les__digits(s, len, i);
        i += frac;
    }
    if (whole == 0 && frac == 0)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t exp = les__digits(s, len, i);
        if (exp == 0)
            return false;
        i += exp;
    }
    return i == len;
}

bool les__parse_number(const char *s, size_t len, double *out)
{
    if (!s || len == 0 || len >= LES__NUMBER_MAX || !les__number_grammar(s, len))
        return false;
    /* Room for a multi-byte decimal point in place of '.'. */
    char buf[LES__NUMBER_MAX + 16];
    const char *dp = les__decimal_point();
    size_t dp_len = strlen(dp), n = 0;
    if (dp_len > 8)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            memcpy(buf + n, dp, dp_len);
            n += dp_len;
        } else {
            buf[n++] = s[i];
        }
    }
    buf[n] = '\0';
    char *end = NULL;
    double v = strtod(buf, &end);
    if (end != buf + n || !isfinite(v))
        return false;
    *out = v;
    return true;
}

int les__format_double(char *buf, size_t size, const char *fmt, int decimals,
                       double v)
{
    if (!buf || size == 0)
        return 0;
    int n = strchr(fmt, '*') ? snprintf(buf, size, fmt, decimals, v)
                             : snprintf(buf, size, fmt, v);
    const char *dp = les__decimal_point();
    if (strcmp(dp, ".") == 0 || n < 0)
        return n;
    char *at = strstr(buf, dp);
    if (at) {
        size_t dp_len = strlen(dp);
        *at = '.';
        memmove(at + 1, at + dp_len, strlen(at + dp_len) + 1);
        n -= (int)(dp_len - 1);
    }
    return n;
}

void les__format_canonical(char *buf, size_t size, double v)
{
    if (v == 0.0)
        v = 0.0; /* -0 becomes +0 */
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        snprintf(buf, size, "%lld", (long long)v);
    else
        les__format_double(buf, size, "%.17g", 0, v);
}

char *les__quote(char *buf, size_t size, const char *s, size_t len)
{
    enum { LES__QUOTE_MAX = 40 };
    size_t n = 0;
    if (size < 8) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    buf[n++] = '"';
    for (size_t i = 0; i < len; i++) {
        if (i == LES__QUOTE_MAX || n + 8 >= size) {
            memcpy(buf + n, "...", 3);
            n += 3;
            break;
        }
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            buf[n++] = '\\';
            buf[n++] = 'n';
        } else if (c == '\t') {
            buf[n++] = '\\';
            buf[n++] = 't';
        } else if (c < 0x20 || c == 0x7f) {
            n += (size_t)snprintf(buf + n, size - n, "\\x%02x", c);
        } else {
            buf[n++] = (char)c;
        }
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return buf;
}

les_result les__read_file(const char *path, char **text, size_t *len,
                          int *sys_errno)
{
    *text = NULL;
    *len = 0;
    *sys_errno = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *sys_errno = errno;
        return LES_ERR_IO;
    }
    char *buf = NULL;
    size_t used = 0, cap = 0;
    les_result r = LES_OK;
    for (;;) {
        if (cap - used < 4096) {
            size_t grown_cap = cap ? cap * 2 : 8192;
            char *grown = sim_realloc(buf, grown_cap + 1);
            if (!grown) {
                r = LES_ERR_NOMEM;
                break;
            }
            buf = grown;
            cap = grown_cap;
        }
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (got == 0) {
            if (ferror(f)) {
                *sys_errno = errno ? errno : EIO;
                r = LES_ERR_IO;
            }
            break;
        }
    }
    fclose(f);
    if (r != LES_OK) {
        sim_free(buf);
        return r;
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    return LES_OK;
}
