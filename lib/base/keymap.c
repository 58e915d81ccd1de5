/* A string-keyed index (see keymap.h). */
#include "base/keymap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/error.h"
#include "base/strutil.h"

static uint64_t hash_text(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Keys are "a\x1fb\x1fc": the parts joined with a unit separator, with any
 * separator inside a part doubled so different parts never collide. */
char *ltk_join_key(const char *a, const char *b, const char *c)
{
    struct ltk_buf k;
    ltk_buf_init(&k);
    const char *parts[3] = { a, b, c };
    for (int i = 0; i < 3 && parts[i]; i++) {
        if (i)
            ltk_buf_putc(&k, '\x1f');
        for (const char *p = parts[i]; *p; p++) {
            if (*p == '\x1f')
                ltk_buf_putc(&k, '\x1f');
            ltk_buf_putc(&k, *p);
        }
    }
    if (!k.data && !k.failed)
        return ltk_strdup("");
    if (k.failed) {
        ltk_buf_release(&k);
        return NULL;
    }
    return k.data;
}

void ltk_keymap_release(struct ltk_keymap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static size_t ltk_keymap_slot(const struct ltk_keymap *m, const char *key)
{
    size_t i = (size_t)hash_text(key, strlen(key)) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* Finds key: *found and *val.  With insert, adds key -> val when absent
 * (taking key); otherwise key stays the caller's. */
int ltk_keymap_find(struct ltk_keymap *m, char *key, size_t *val, bool *found, bool insert)
{
    if ((m->n + 1) * 2 > m->cap) {
        struct ltk_keymap g = { 0 };
        g.cap = m->cap ? 2 * m->cap : 64;
        g.keys = calloc(g.cap, sizeof *g.keys);
        g.vals = calloc(g.cap, sizeof *g.vals);
        if (!g.keys || !g.vals) {
            free(g.keys);
            free(g.vals);
            return LTK_ENOMEM;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t sl = ltk_keymap_slot(&g, m->keys[i]);
            g.keys[sl] = m->keys[i];
            g.vals[sl] = m->vals[i];
        }
        g.n = m->n;
        free(m->keys);
        free(m->vals);
        *m = g;
    }
    size_t sl = ltk_keymap_slot(m, key);
    *found = m->keys[sl] != NULL;
    if (*found) {
        *val = m->vals[sl];
        return LTK_OK;
    }
    if (insert) {
        m->keys[sl] = key;
        m->vals[sl] = *val;
        m->n++;
    }
    return LTK_OK;
}
