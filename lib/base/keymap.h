/* A string-keyed index (key -> position, open addressing), private to lib/:
 * what the summary's merge and its reader use to find names and failure
 * groups by text. */
#ifndef LTK_KEYMAP_H
#define LTK_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

struct ltk_keymap {
    char **keys;
    size_t *vals;
    size_t cap, n;
};

/* Keys "a\x1fb\x1fc" of up to three parts (c, or b and c, may be NULL):
 * joined with a unit separator, any separator inside a part doubled, so
 * different parts never make the same key.  malloc'd; NULL on out of memory. */
char *ltk_join_key(const char *a, const char *b, const char *c);

/* Finds key: *found, and *val when found.  With insert, adds key -> *val
 * when absent, taking key (the map frees it); otherwise key stays the
 * caller's.  Returns LTK_OK or LTK_ENOMEM. */
int ltk_keymap_find(struct ltk_keymap *m, char *key, size_t *val, bool *found, bool insert);

/* Frees the keys and the table; m is empty again. */
void ltk_keymap_release(struct ltk_keymap *m);

#endif
