/* Capacity analysis of a stepped or ramped run: load levels, breaking point,
 * knee, a Universal Scalability Law fit, a Little's-law cross-check and the
 * capacity at a service-level objective.  Used by `ltk capacity`; the
 * method is described in docs/capacity.md.
 *
 * The rules' numbers are data, here in one place. */
#ifndef LTK_CAPACITY_H
#define LTK_CAPACITY_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ltk/base/error.h"
#include "ltk/model/run.h"
#include "ltk/analyze/criteria.h"
#include "ltk/analyze/usl.h"

/* The module's stress-test criterion: a level breaks when more than 5 % of
 * its requests fail. */
#define LTK_CAPACITY_BREAK_ERROR_RATE 0.05
/* The knee: the first step whose throughput gained per added user is below
 * this share of the gain per user of the first level (X1 / N1). */
#define LTK_CAPACITY_KNEE_SHARE 0.20
/* A step up in users whose throughput falls by more than this share is
 * flagged as saturation of the closed loop. */
#define LTK_CAPACITY_FALL_SHARE 0.05
/* Little's law: a level whose users differ from X (R + Z) by more than this
 * share (with a given think time) is flagged. */
#define LTK_CAPACITY_LITTLE_TOLERANCE 0.15
/* Ramps without plateaus are binned into this many user bands by default. */
#define LTK_CAPACITY_DEFAULT_BINS 8
#define LTK_CAPACITY_MAX_BINS 1000  /* more bands than this is refused */
#define LTK_CAPACITY_MAX_FINDINGS 24

/* A service-level objective: criteria in ltk check's language
 * (ltk/analyze/criteria.h, docs/criteria.md) that every level must meet.
 * A level is the Aggregated total over a stretch of constant load, so a
 * condition names no endpoint and no window ("over", "during"), and its
 * metric is one a level measures: p50, p95, p99, median (= p50), mean (avg),
 * error_rate or rps. */
#define LTK_CAPACITY_SLO_MAX 8

struct ltk_capacity_slo {
    size_t n;
    struct ltk_criterion cond[LTK_CAPACITY_SLO_MAX];
    char text[256];     /* normalised and comma-joined, for reports ("p95<2000ms,error_rate<1%") */
};

/* Adds the conditions of text, criteria separated by commas (a comma
 * inside a double-quoted name does not separate), to slo, which starts
 * zeroed (ltk_capacity_options_init).  Returns LTK_OK; or LTK_EINVAL,
 * LTK_ELIMIT or LTK_ENOMEM with err saying why (err->column, when not 0,
 * is the 1-based column in text for ltk_criteria_caret), and slo as it was. */
int ltk_capacity_slo_add(struct ltk_capacity_slo *slo, const char *text, struct ltk_error *err);

/* Frees the conditions; slo is empty after. */
void ltk_capacity_slo_release(struct ltk_capacity_slo *slo);

/* One load level. */
struct ltk_capacity_level {
    double users;          /* plateau: its user count; ramp bin: time-weighted mean */
    int64_t users_min, users_max;  /* range seen (equal for a plateau) */
    double rps;            /* all requests / s, exact from cumulative counts */
    double ok_rps;         /* successful requests / s */
    double error_rate;     /* failures / requests, NAN when none */
    double p50, p95, p99;  /* ms, medians of Locust's ~10 s window values; NAN unknown */
    double mean_ms;        /* exact mean response time over the level, NAN unknown */
    uint64_t requests, failures;
    size_t ticks;          /* history ticks used */
    double duration;       /* seconds the counts cover */
    int64_t start, end;    /* Unix seconds (0 for a table) */
    /* Little's law */
    double think_s;        /* inferred think time N / X - R, seconds; NAN unknown */
    double little_users;   /* X (R + Z) with the given Z; NAN unknown */
    /* flags */
    bool falling;          /* throughput fell while users rose */
    int slo;               /* 1 holds, 0 fails, -1 cannot tell (data missing) */
};

enum ltk_capacity_source { LTK_CAP_PLATEAUS, LTK_CAP_BINS, LTK_CAP_TABLE };

struct ltk_capacity_options {
    int64_t settle;              /* seconds dropped after each change of users (10) */
    int64_t min_plateau;         /* shortest plateau kept, seconds after settling (5) */
    size_t bins;                 /* user bands for a ramp (LTK_CAPACITY_DEFAULT_BINS) */
    double think_time;           /* seconds; NAN: infer per level */
    bool fit_total;              /* fit all requests/s instead of successful ones */
    struct ltk_capacity_slo slo; /* conditions beyond the error criterion; n 0: none */
};

/* Defaults; release with ltk_capacity_options_release (for the SLO). */
void ltk_capacity_options_init(struct ltk_capacity_options *opt);
void ltk_capacity_options_release(struct ltk_capacity_options *opt);

struct ltk_capacity_result {
    enum ltk_capacity_source source;
    struct ltk_capacity_level *levels;  /* ascending users */
    size_t nlevels;
    bool have_latency;                  /* levels carry window percentiles */
    int64_t latency_interval_s;         /* with have_latency: the intervals of a raw log or
                                         * summary whose percentiles a level's are the median
                                         * of; 0 for Locust's 10 s window values */
    bool users_derived;                 /* the run's users are requests in flight (ltk/model/users.h) */
    char criterion[288];                /* what a level must meet, as text (the error rule and slo.text) */

    ptrdiff_t breaking;                 /* index of the breaking level, -1 none */
    char breaking_reason[256];
    ptrdiff_t knee;                     /* index of the knee level, -1 none */
    char knee_reason[256];

    bool usl_ok;                        /* usl holds a fit */
    char usl_why[512];                  /* why not, when !usl_ok */
    bool usl_fit_total;
    struct ltk_usl_fit usl;

    ptrdiff_t capacity;                 /* largest level meeting the criterion
                                         * below the first that fails; -1 none */
    double predicted_users;             /* from the fit and Little's law, NAN none */
    double predicted_ci[2];
    char predicted_how[256];

    double think_time;                  /* given Z, or median inferred Z; NAN */
    bool think_given;

    char findings[LTK_CAPACITY_MAX_FINDINGS][512];
    size_t nfindings;
};

/* Levels of a run: plateaus of the Aggregated users series, or, when the
 * run has none (a ramp), user bands.  Returns LTK_OK, LTK_EINVAL (no
 * history, no levels) or LTK_ENOMEM.  On success r->levels is set;
 * release r with ltk_capacity_release. */
int ltk_capacity_levels_from_run(const struct ltk_run *run, const struct ltk_capacity_options *opt,
                                 struct ltk_capacity_result *r, struct ltk_error *err);

/* Levels from a CSV table with a header "load,throughput" or "users,rps".
 * Returns LTK_OK, LTK_EIO or LTK_EFORMAT with err naming file and line. */
int ltk_capacity_read_table(const char *path, struct ltk_capacity_result *r, struct ltk_error *err);

/* The same from an open stream; name is used in messages.  fp stays open. */
int ltk_capacity_read_table_fp(FILE *fp, const char *name, struct ltk_capacity_result *r,
                               struct ltk_error *err);

/* Everything after the levels: SLO checks, breaking point, knee, USL fit,
 * Little's law, capacity and findings.  Returns LTK_OK. */
int ltk_capacity_analyse(struct ltk_capacity_result *r, const struct ltk_capacity_options *opt);

/* The ltk.capacity/1 document; NULL on out of memory.  label names the input. */
cJSON *ltk_capacity_to_json(const struct ltk_capacity_result *r, const char *label);

/* The human report. Returns LTK_OK, LTK_ENOMEM or LTK_EIO. */
int ltk_capacity_write_table(FILE *out, const struct ltk_capacity_result *r, const char *label, bool color);

void ltk_capacity_release(struct ltk_capacity_result *r);

#endif
