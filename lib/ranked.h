/* Cells of one history interval put in Locust's endpoint order, private to
 * lib/ (raw logs and summaries build their runs' histories the same way). */
#ifndef LTK_RANKED_H
#define LTK_RANKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* A cell of an interval (pos) and its endpoint's place in Locust's order. */
struct ltk_ranked {
    size_t rank, pos;
};

static inline int ltk_cmp_ranked(const void *x, const void *y)
{
    const struct ltk_ranked *a = x, *b = y;
    return (a->rank > b->rank) - (a->rank < b->rank);
}

/* By rank: insertion sort for the few cells of most intervals, qsort above 16. */
static inline void ltk_sort_ranked(struct ltk_ranked *v, size_t n)
{
    if (n > 16) {
        qsort(v, n, sizeof *v, ltk_cmp_ranked);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        struct ltk_ranked t = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1].rank > t.rank) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = t;
    }
}

/* Room for n in *v (capacity *cap): 0, or -1 out of memory (v unchanged). */
static inline int ltk_ranked_reserve(struct ltk_ranked **v, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 0;
    struct ltk_ranked *nv = realloc(*v, n * sizeof *nv);
    if (!nv)
        return -1;
    *v = nv;
    *cap = n;
    return 0;
}

/* The empty intervals of a gap [from, to) in steps of step that get a history
 * row: every one when the gap is short (whole), else only the first and the
 * last (LTK_RAWLOG_GAP_S).  Gives the one after k. */
static inline int64_t ltk_gap_next(int64_t k, int64_t to, int64_t step, bool whole)
{
    return whole || k == to - step ? k + step : to - step;
}

#endif
