/* HTTP status codes of a run (see ltk/model/status.h). */
#include "ltk/model/status.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const class_names[LTK_SC_N] = { "2xx", "3xx", "4xx", "5xx", "other" };

const char *ltk_status_class_name(enum ltk_status_class c)
{
    return (unsigned)c < LTK_SC_N ? class_names[c] : "?";
}

enum ltk_status_class ltk_status_class_of(int code)
{
    if (code >= 200 && code <= 599)
        return (enum ltk_status_class)(code / 100 - 2);
    return LTK_SC_OTHER;
}

void ltk_status_release(struct ltk_status_list *l)
{
    if (!l)
        return;
    free(l->v);
    memset(l, 0, sizeof *l);
}

int ltk_status_add(struct ltk_status_list *l, int code, uint64_t read, uint64_t inferred)
{
    if (code < 0 || code > LTK_STATUS_MAX)
        return -1;
    if (!read && !inferred)
        return 0;
    size_t i = 0;
    while (i < l->n && l->v[i].code < code)
        i++;
    if (i < l->n && l->v[i].code == code) {
        l->v[i].read += read;
        l->v[i].inferred += inferred;
        return 0;
    }
    if (l->n == l->cap) {
        size_t ncap = l->cap ? 2 * l->cap : 4;
        struct ltk_status_count *nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = ncap;
    }
    memmove(l->v + i + 1, l->v + i, (l->n - i) * sizeof *l->v);
    l->v[i] = (struct ltk_status_count){ code, read, inferred };
    l->n++;
    return 0;
}

int ltk_status_merge(struct ltk_status_list *dst, const struct ltk_status_list *src)
{
    for (size_t i = 0; i < src->n; i++)
        if (ltk_status_add(dst, src->v[i].code, src->v[i].read, src->v[i].inferred))
            return -1;
    return 0;
}

uint64_t ltk_status_total(const struct ltk_status_list *l)
{
    uint64_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->v[i].read + l->v[i].inferred;
    return n;
}

uint64_t ltk_status_total_inferred(const struct ltk_status_list *l)
{
    uint64_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->v[i].inferred;
    return n;
}

uint64_t ltk_status_count_of(const struct ltk_status_list *l, int code, bool by_class)
{
    uint64_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (by_class ? (int)ltk_status_class_of(l->v[i].code) == code : l->v[i].code == code)
            n += l->v[i].read + l->v[i].inferred;
    return n;
}

bool ltk_status_equal(const struct ltk_status_list *a, const struct ltk_status_list *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].code != b->v[i].code || a->v[i].read != b->v[i].read || a->v[i].inferred != b->v[i].inferred)
            return false;
    return true;
}

/* Three digits 100..599 at s, not part of a longer number; -1 otherwise. */
static int code_at(const char *s, const char *start)
{
    if (s > start && isdigit((unsigned char)s[-1]))
        return -1;
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
        isdigit((unsigned char)s[3]))
        return -1;
    int v = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    return v >= 100 && v <= 599 ? v : -1;
}

int ltk_status_from_text(const char *text)
{
    if (!text || !*text)
        return -1;
    /* a bare code */
    if (strlen(text) == 3 && code_at(text, text) >= 0)
        return code_at(text, text);
    static const char *const before[] = { "HTTPError('", "HTTPError(\"", "HTTP ", "status code ", "status_code=",
                                          "status=" };
    for (const char *p = text; *p; p++)
        for (size_t k = 0; k < sizeof before / sizeof before[0]; k++) {
            size_t n = strlen(before[k]);
            if (strncmp(p, before[k], n) != 0)
                continue;
            int c = code_at(p + n, text);
            if (c < 0)
                continue;
            char after = p[n + 3];
            /* "HTTP 429:" or "HTTP 503 ..." or the end; HTTPError('500 Server Error') has a space */
            if (k == 2 && !(after == ':' || after == ' ' || after == '\0' || after == '\'' || after == '"' ||
                            after == ')'))
                continue;
            return c;
        }
    /* the client got no response: Python's and requests' transport errors,
     * as Locust reports them (ReadTimeout(ReadTimeoutError(...)), ...) */
    static const char *const no_response[] = { "ReadTimeout(", "ConnectTimeout(", "ConnectionError(",
                                                "ConnectionRefusedError(", "ConnectionResetError(",
                                                "RemoteDisconnected(", "NewConnectionError(", "Timeout(" };
    for (size_t k = 0; k < sizeof no_response / sizeof no_response[0]; k++)
        if (strncmp(text, no_response[k], strlen(no_response[k])) == 0)
            return 0;
    return -1;
}
