/* The Content-Security-Policy hashes of an HTML page (see ltk/render/page.h). */
#include "ltk/render/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/error.h"
#include "ltk/render/template.h"

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void block(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

void ltk_sha256(const void *data, size_t len, uint8_t out[32])
{
    uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    const uint8_t *p = data;
    size_t n = len;
    for (; n >= 64; n -= 64, p += 64)
        block(h, p);
    uint8_t last[128] = { 0 };
    memcpy(last, p, n);
    last[n] = 0x80;
    size_t tail = n + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        last[tail - 1 - i] = (uint8_t)(bits >> (8 * i));
    block(h, last);
    if (tail == 128)
        block(h, last + 64);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8);
        out[4 * i + 3] = (uint8_t)h[i];
    }
}

/* "'sha256-BASE64'" of the content of the first element opened by open
 * (exactly) and closed by close; "'none'" when there is none. */
static void source_of(const char *text, const char *open, const char *close, char out[64])
{
    const char *a = strstr(text, open);
    const char *b = a ? strstr(a + strlen(open), close) : NULL;
    if (!b) {
        strcpy(out, "'none'");
        return;
    }
    a += strlen(open);
    uint8_t d[32];
    ltk_sha256(a, (size_t)(b - a), d);
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *o = out;
    o += sprintf(o, "'sha256-");
    for (int i = 0; i < 33; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < 32 ? (uint32_t)d[i + 1] << 8 : 0) | (i + 2 < 32 ? d[i + 2] : 0);
        *o++ = b64[v >> 18 & 63];
        *o++ = b64[v >> 12 & 63];
        *o++ = i + 1 < 32 ? b64[v >> 6 & 63] : '=';
        *o++ = i + 2 < 32 ? b64[v & 63] : '=';
    }
    strcpy(o, "'");
}

/* Replaces the first what at or after offset from. */
static int replace_first_at(char **text, size_t *len, size_t from, const char *what, const char *with)
{
    char *at = strstr(*text + from, what);
    if (!at)
        return LTK_OK;
    size_t off = (size_t)(at - *text), wl = strlen(what), nl = strlen(with);
    size_t n = *len - wl + nl;
    char *t = malloc(n + 1);
    if (!t)
        return LTK_ENOMEM;
    memcpy(t, *text, off);
    memcpy(t + off, with, nl);
    memcpy(t + off + nl, *text + off + wl, *len - off - wl + 1);
    free(*text);
    *text = t;
    *len = n;
    return LTK_OK;
}

static int replace_first(char **text, size_t *len, const char *what, const char *with)
{
    return replace_first_at(text, len, 0, what, with);
}

int ltk_page_fill_csp(char **text, size_t *len)
{
    char style[64], script[64];
    source_of(*text, "<style>", "</style>", style);
    source_of(*text, "<script>", "</script>", script);
    int rc = replace_first(text, len, "'ltk-style-hash'", style);
    if (!rc)
        rc = replace_first(text, len, "'ltk-script-hash'", script);
    return rc;
}

int ltk_page_finish(char **text, size_t *len)
{
    static const char mark[] = "<script>/* ltk:charts.js */</script>";
    char *at = strstr(*text, mark);
    size_t n = 0;
    const char *js = ltk_template_builtin("charts.js", &n);
    if (at && js) {
        char *code = malloc(n + 2);
        if (!code)
            return LTK_ENOMEM;
        memcpy(code, js, n);
        code[n] = '\n';
        code[n + 1] = '\0';
        /* "<script>" stays, the comment becomes the code */
        int rc = replace_first_at(text, len, (size_t)(at - *text) + strlen("<script>"), "/* ltk:charts.js */", code);
        free(code);
        if (rc)
            return rc;
    }
    return ltk_page_fill_csp(text, len);
}
