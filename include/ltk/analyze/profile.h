/* Test-type detection: what kind of load test a run was, from its
 * users-over-time profile, and the phases it went through.
 *
 * The module (M3.4, Section 2) names five test types: smoke (10 users,
 * 2 min), load (100 users, 10 min), stress (1000+ users, stepped up, 15 min),
 * spike (a jump to 500 users at once, 5 min) and soak (50 users, 4 h).  The
 * rules that turn a users-over-time curve into one of them are thresholds
 * kept as data in one table (struct ltk_type_rules, ltk_type_rules_default);
 * docs/criteria.md says how each one is drawn from the module's table. */
#ifndef LTK_PROFILE_H
#define LTK_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ltk/base/error.h"
#include "ltk/model/series.h"

enum ltk_test_type {
    LTK_TT_UNKNOWN = 0,
    LTK_TT_SMOKE,
    LTK_TT_LOAD,
    LTK_TT_STRESS,
    LTK_TT_SPIKE,
    LTK_TT_SOAK,
    LTK_TT_COUNT
};

/* "smoke", "load", ...; "unknown" for LTK_TT_UNKNOWN. */
const char *ltk_test_type_name(enum ltk_test_type t);

/* Parses a type name (lower case, as ltk_test_type_name writes it; not
 * "unknown").  Returns LTK_OK or LTK_EINVAL. */
int ltk_test_type_parse(const char *s, enum ltk_test_type *out);

enum ltk_phase_kind {
    LTK_PHASE_RAMP_UP,     /* users rising without a level held */
    LTK_PHASE_STEADY,      /* users constant for at least min_level_s */
    LTK_PHASE_SPIKE,       /* the level a spike jumped to */
    LTK_PHASE_RECOVERY,    /* everything after a spike, when users came back down */
    LTK_PHASE_RAMP_DOWN,   /* users falling without a level held */
    LTK_PHASE_COUNT
};

/* "ramp-up", "steady", "spike", "recovery", "ramp-down". */
const char *ltk_phase_name(enum ltk_phase_kind k);

/* Parses a phase name.  Returns LTK_OK or LTK_EINVAL. */
int ltk_phase_parse(const char *s, size_t len, enum ltk_phase_kind *out);

struct ltk_phase {
    enum ltk_phase_kind kind;
    size_t first, last;        /* tick indexes in the series, inclusive */
    int64_t start, end;        /* ts of the first and last tick */
    int64_t users_from;        /* users just before the phase (0 at the start) */
    int64_t users;             /* users at the end of the phase */
};

/* The detection thresholds: one table, see ltk_type_rules_default. */
struct ltk_type_rules {
    int64_t min_level_s;        /* constant users this long make a level (steady phase) */
    int64_t smoke_max_users;    /* a run never above this many users is a smoke test */
    double spike_factor;        /* a spike: a level at least this many times the one before (or */
                                /*   reached from 0 users at the start of the run), */
    int64_t spike_rise_s;       /*   reached within this many seconds of leaving it, */
    double spike_return_factor; /*   and later a level at most this many times the base, */
    double spike_min_rate;      /*   or, without that fall-back, reached at more than this many */
                                /*   users per second and the run's peak (a held jump) */
    double stress_ramp_fraction;/* stress: the peak is first reached this late (fraction of the run) */
    int64_t stress_min_steps;   /*   after at least this many rises of the user count */
    int64_t stress_min_users;   /* stress too: this many users or more */
    int64_t soak_min_s;         /* soak: a level held at least this long */
};

/* The one table of thresholds (static storage). */
const struct ltk_type_rules *ltk_type_rules_default(void);

struct ltk_profile {
    enum ltk_test_type type;
    char reason[256];          /* one line: why this type */
    struct ltk_phase *phases;  /* in time order; malloc'd */
    size_t nphases;
    int64_t max_users;
    int64_t start, end;        /* first and last tick with users > 0 */
};

/* Classifies a series (normally the Aggregated one) and finds its phases.
 * rules NULL means ltk_type_rules_default().  A series without any tick at
 * more than 0 users gives LTK_TT_UNKNOWN with a reason.  Returns LTK_OK or
 * LTK_ENOMEM.  Free with ltk_profile_release. */
int ltk_profile_detect(const struct ltk_series *s, const struct ltk_type_rules *rules,
                       struct ltk_profile *out, struct ltk_error *err);

void ltk_profile_release(struct ltk_profile *p);

#endif
