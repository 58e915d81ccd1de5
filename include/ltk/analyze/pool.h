/* How big a database connection pool must be, two ways: module M3.4's rule
 * of thumb (Section 4: pool_size = expected concurrent users / 10) and
 * Little's law on what a run measured (connections busy = requests in
 * flight = throughput x response time, X R).  The two agree only when a user
 * spends a tenth of its time inside a request: users in flight per user is
 * R / (R + Z) with think time Z, and the rule assumes Z = 9 R.
 *
 * The plan also gives the module's settings for SQLAlchemy's create_engine
 * (pool_size, max_overflow twice it as in the module's 20/40, pool_timeout,
 * pool_recycle, pool_pre_ping).  The library never prints or exits. */
#ifndef LTK_POOL_H
#define LTK_POOL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

#include "ltk/analyze/capacity.h"
#include "ltk/base/error.h"

/* The limits a QueuePool error names: "QueuePool limit of size 5 overflow
 * 10 reached, connection timed out, timeout 2.00".  found is false when the
 * text has none; timeout_s is NAN when absent. */
struct ltk_pool_limits {
    bool found;
    long size, overflow;
    double timeout_s;
};

struct ltk_pool_limits ltk_pool_parse_error(const char *text);

enum ltk_pool_basis {
    LTK_POOL_RULE,     /* only the rule: nothing measured or given */
    LTK_POOL_MEASURED, /* X R / N over a run's unsaturated levels */
    LTK_POOL_GIVEN,    /* R / (R + Z) from a response time and think time */
};

struct ltk_pool_plan {
    double users;            /* planned for */
    long rule_size;          /* ceil(users / 10), the module's rule */
    enum ltk_pool_basis basis;
    double per_user;         /* requests in flight per user; NAN for LTK_POOL_RULE */
    double per_user_lo, per_user_hi; /* the spread over the levels used (MEASURED) */
    size_t nlevels;          /* levels used (MEASURED) */
    double below_users;      /* the highest level used: levels at or below the knee
                              * with errors under 1 % (MEASURED) */
    double response_ms, think_s; /* the inputs (GIVEN); NAN otherwise */
    double in_flight;        /* per_user x users; NAN for LTK_POOL_RULE */
    long size, overflow;     /* recommended pool_size (ceil(in_flight), else the rule)
                              * and max_overflow (2 x pool_size) */
    /* the run's own knee: X R there is what the pool could serve before
     * throughput stopped growing (MEASURED, NAN when no knee) */
    double knee_users, knee_in_flight;
};

/* The rule alone, or with R and Z (response_ms > 0, think_s >= 0; NAN for
 * both means the rule alone).  users must be > 0.  Returns LTK_OK or
 * LTK_EINVAL with a message. */
int ltk_pool_plan_given(double users, double response_ms, double think_s, struct ltk_pool_plan *out,
                        struct ltk_error *err);

/* From a run's analysed capacity levels (ltk_capacity_levels_from_run, then
 * ltk_capacity_analyse): in flight per user is the median of X R / N over
 * levels with an error rate (a fraction) under max_error_rate — diagnose
 * passes the module's healthy 1 % — at or below the knee (all such levels
 * when there is no knee).  Returns LTK_OK, or LTK_EINVAL when no level has a
 * throughput and a mean response time. */
int ltk_pool_plan_measured(double users, const struct ltk_capacity_result *cap, double max_error_rate,
                           struct ltk_pool_plan *out, struct ltk_error *err);

int ltk_pool_plan_write_text(FILE *out, const struct ltk_pool_plan *p);

/* The "pool" object of ltk.diagnosis/1; NULL on out of memory. */
cJSON *ltk_pool_plan_to_json(const struct ltk_pool_plan *p);

#endif
