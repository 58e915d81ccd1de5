/* String helpers private to lib/ (see strutil.h). */
#include <ctype.h>
#include "base/strutil.h"

#include "ltk/base/error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *ltk_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ltk_strdup(const char *s)
{
    return s ? ltk_strndup(s, strlen(s)) : NULL;
}

char *ltk_vasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = malloc((size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *ltk_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = ltk_vasprintf(fmt, ap);
    va_end(ap);
    return p;
}

void ltk_buf_init(struct ltk_buf *b)
{
    memset(b, 0, sizeof *b);
}

void ltk_buf_release(struct ltk_buf *b)
{
    if (!b)
        return;
    free(b->data);
    ltk_buf_init(b);
}

void ltk_buf_reset(struct ltk_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static bool reserve(struct ltk_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < b->len + extra + 1) {
        if (ncap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        ncap *= 2;
    }
    char *p = realloc(b->data, ncap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = ncap;
    return true;
}

void ltk_buf_append(struct ltk_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ltk_buf_puts(struct ltk_buf *b, const char *s)
{
    ltk_buf_append(b, s, strlen(s));
}

void ltk_buf_putc(struct ltk_buf *b, char c)
{
    ltk_buf_append(b, &c, 1);
}

void ltk_buf_pad(struct ltk_buf *b, char c, size_t n)
{
    if (!reserve(b, n))
        return;
    memset(b->data + b->len, c, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ltk_buf_printf(struct ltk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    /* C1 controls (U+0080..U+009F) are escaped too */
    if (cp >= 0x80 && cp <= 0x9F)
        return 0;
    return n;
}

size_t ltk_utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t k = 0; k < len && s[k]; k++)
        n += ((unsigned char)s[k] & 0xC0) != 0x80;
    return n;
}

size_t ltk_utf8_seq(const char *s)
{
    return utf8_seq((const unsigned char *)s);
}

/* Escape for one unsafe byte; returns its length. */
static int escape_byte(unsigned char c, char out[5])
{
    switch (c) {
    case '\n': memcpy(out, "\\n", 3); return 2;
    case '\r': memcpy(out, "\\r", 3); return 2;
    case '\t': memcpy(out, "\\t", 3); return 2;
    case '\\': memcpy(out, "\\\\", 3); return 2;
    default: return snprintf(out, 5, "\\x%02x", c);
    }
}

void ltk_buf_put_terminal(struct ltk_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_seq(p);
        if (n == 1 && (*p < 0x20 || *p == 0x7F || *p == '\\'))
            n = 0;
        if (n) {
            ltk_buf_append(b, (const char *)p, n);
            p += n;
        } else {
            char esc[5];
            int k = escape_byte(*p, esc);
            ltk_buf_append(b, esc, (size_t)k);
            p++;
        }
    }
}

size_t ltk_terminal_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p) {
        size_t n = utf8_seq(p);
        if (n == 1 && (*p < 0x20 || *p == 0x7F || *p == '\\'))
            n = 0;
        if (n) {
            w += 1;
            p += n;
        } else {
            char esc[5];
            w += (size_t)escape_byte(*p, esc);
            p++;
        }
    }
    return w;
}

bool ltk_fit_printf(char *buf, size_t size, const char *fmt, ...)
{
    if (size == 0)
        return false;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    if (n < 0) {
        buf[0] = '\0';
        return false;
    }
    if ((size_t)n < size)
        return true;
    if (size > 3)
        memcpy(buf + size - 4, "...", 4);
    return false;
}

void ltk_quote_text(const char *s, char *out, size_t size)
{
    if (size < 8) {
        if (size)
            out[0] = '\0';
        return;
    }
    struct ltk_buf b;
    ltk_buf_init(&b);
    ltk_buf_putc(&b, '\'');
    ltk_buf_put_terminal(&b, s ? s : "");
    ltk_buf_putc(&b, '\'');
    if (b.failed || !b.data) {
        snprintf(out, size, "'?'");
    } else if (b.len < size) {
        memcpy(out, b.data, b.len + 1);
    } else {
        /* cut at a byte that does not split a UTF-8 sequence */
        size_t keep = size - 5;
        while (keep > 1 && ((unsigned char)b.data[keep] & 0xC0) == 0x80)
            keep--;
        memcpy(out, b.data, keep);
        memcpy(out + keep, "...'", 5);
    }
    ltk_buf_release(&b);
}

int ltk_buf_flush(FILE *out, struct ltk_buf *b)
{
    int rc = LTK_OK;
    if (b->failed)
        rc = LTK_ENOMEM;
    else if (b->len && fwrite(b->data, 1, b->len, out) != b->len)
        rc = LTK_EIO;
    ltk_buf_release(b);
    return rc;
}

bool ltk_contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

int ltk_file_first_char(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return EOF;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return EOF;
    int c;
    do {
        c = fgetc(fp);
    } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
    fclose(fp);
    return c;
}
