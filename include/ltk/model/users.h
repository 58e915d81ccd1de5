/* Users over time where a run's input does not say: a raw request log or a
 * summary with no user counts of its own and no stats_history.csv beside it.
 *
 * What the requests do tell is how many were in flight.  Little's law per
 * interval gives it exactly as a time average: L = (sum of the response
 * times of the requests that started in the interval) / (its length).  A
 * Locust user spends its time waiting for answers and thinking between
 * them, so L is at most the users running, and equal when they never
 * think.  That curve is noisy from one interval to the next, so it is cut
 * into stretches of constant load (binary segmentation on the mean, below)
 * and each tick gets its stretch's mean, rounded: test type, phases,
 * plateaus and trends then see the levels a load shape would have set.
 * docs/raw-logs.md says what this can and cannot tell. */
#ifndef LTK_MODEL_USERS_H
#define LTK_MODEL_USERS_H

#include <stddef.h>

#include "ltk/model/run.h"

/* When binary segmentation splits a stretch in two: each part at least
 * min_len points, their means apart by at least abs_diff and by rel_diff
 * of the larger, and by min_t standard errors (Welch). */
struct ltk_level_opts {
    size_t min_len;
    double abs_diff;
    double rel_diff;
    double min_t;
    size_t max_levels;   /* stop splitting at this many stretches */
};

/* 30 s stretches at least (in points of interval_s seconds, at least 3),
 * means 1 apart and 20 % apart, 5 standard errors, 1000 stretches. */
void ltk_level_opts_default(struct ltk_level_opts *o, int64_t interval_s);

/* Cuts x[0..n) into stretches: repeatedly splits a stretch where the two
 * parts' means differ most (the split maximising n1 n2 / n (m1 - m2)^2)
 * when that split meets o; level[i] is the mean of x over i's stretch.
 * Returns the number of stretches, 0 when n is 0, or (size_t)-1 when out
 * of memory. */
size_t ltk_level_segments(const double *x, size_t n, const struct ltk_level_opts *o, double *level);

/* For a run from a raw log or summary whose history has no user counts
 * (every row 0): sets each history row's users to the level of requests in
 * flight of its tick (Little's law per interval, segmented as above; a
 * level above 0 is at least 1), users_derived, and users_source to a text
 * saying so.  Does nothing for other runs or when the run has no history.
 * Returns LTK_OK or LTK_ENOMEM. */
int ltk_run_derive_users(struct ltk_run *run);

#endif
