/* Connection-pool sizing: the module's rule and Little's law (see
 * ltk/analyze/pool.h). */
#include "ltk/analyze/pool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strutil.h"
#include "ltk/base/json.h"
#include "ltk/base/num.h"

#define RULE_USERS_PER_CONNECTION 10.0 /* the module: pool_size = users / 10 */
#define OVERFLOW_FACTOR 2              /* the module's example: pool_size 20, max_overflow 40 */

/* The number after "word " in text, or -1. */
static long number_after(const char *text, const char *word, double *as_double)
{
    const char *p = text;
    size_t n = strlen(word);
    while ((p = strstr(p, word)) != NULL) {
        const char *q = p + n;
        if (*q == ' ' && q[1] >= '0' && q[1] <= '9') {
            char *end;
            double v = strtod(q + 1, &end);
            if (as_double)
                *as_double = v;
            return v >= 0 && v < 1e9 ? (long)v : -1;
        }
        p = q;
    }
    return -1;
}

struct ltk_pool_limits ltk_pool_parse_error(const char *text)
{
    struct ltk_pool_limits l = { false, 0, 0, NAN };
    const char *p = text ? strstr(text, "QueuePool limit of size") : NULL;
    if (!p)
        return l;
    long size = number_after(p, "size", NULL), overflow = number_after(p, "overflow", NULL);
    if (size < 0 || overflow < 0)
        return l;
    double t = NAN;
    if (number_after(p, "timeout", &t) < 0)
        t = NAN;
    l.found = true;
    l.size = size;
    l.overflow = overflow;
    l.timeout_s = t;
    return l;
}

static void plan_init(struct ltk_pool_plan *p, double users)
{
    *p = (struct ltk_pool_plan){
        .users = users,
        .rule_size = (long)ceil(users / RULE_USERS_PER_CONNECTION),
        .basis = LTK_POOL_RULE,
        .per_user = NAN, .per_user_lo = NAN, .per_user_hi = NAN,
        .below_users = NAN, .response_ms = NAN, .think_s = NAN, .in_flight = NAN,
        .knee_users = NAN, .knee_in_flight = NAN,
    };
}

static void plan_finish(struct ltk_pool_plan *p)
{
    if (!isnan(p->per_user))
        p->in_flight = p->per_user * p->users;
    /* a pool of at least one connection; the rule when nothing better is known */
    p->size = isnan(p->in_flight) ? p->rule_size : (long)ceil(p->in_flight - 1e-9);
    if (p->size < 1)
        p->size = 1;
    p->overflow = OVERFLOW_FACTOR * p->size;
}

static int check_users(double users, struct ltk_error *err)
{
    if (!(users > 0) || !isfinite(users) || users > 1e9)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "the users to plan a pool for must be a number above 0");
    return LTK_OK;
}

int ltk_pool_plan_given(double users, double response_ms, double think_s, struct ltk_pool_plan *out,
                        struct ltk_error *err)
{
    int rc = check_users(users, err);
    if (rc)
        return rc;
    plan_init(out, users);
    if (isnan(response_ms) && isnan(think_s)) {
        plan_finish(out);
        return LTK_OK;
    }
    if (!(response_ms > 0) || !isfinite(response_ms))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "the response time must be above 0 ms");
    if (!(think_s >= 0) || !isfinite(think_s))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "the think time must be 0 s or more");
    out->basis = LTK_POOL_GIVEN;
    out->response_ms = response_ms;
    out->think_s = think_s;
    double r = response_ms / 1000;
    out->per_user = r / (r + think_s);
    plan_finish(out);
    return LTK_OK;
}

static double in_flight(const struct ltk_capacity_level *l)
{
    return l->rps > 0 && l->mean_ms > 0 ? l->rps * l->mean_ms / 1000 : NAN;
}

int ltk_pool_plan_measured(double users, const struct ltk_capacity_result *cap, double max_error_rate,
                           struct ltk_pool_plan *out, struct ltk_error *err)
{
    int rc = check_users(users, err);
    if (rc)
        return rc;
    plan_init(out, users);
    double knee = cap->knee >= 0 ? cap->levels[cap->knee].users : INFINITY;
    double *v = malloc((cap->nlevels ? cap->nlevels : 1) * sizeof *v);
    if (!v)
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < cap->nlevels; i++) {
        const struct ltk_capacity_level *l = &cap->levels[i];
        double x = in_flight(l);
        bool healthy = isnan(l->error_rate) || l->error_rate < max_error_rate;
        if (isnan(x) || !(l->users > 0) || !healthy || l->users > knee)
            continue;
        v[n++] = x / l->users;
        if (isnan(out->below_users) || l->users > out->below_users)
            out->below_users = l->users;
    }
    if (!n) {
        free(v);
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "no load level with errors under %g %% has both a throughput and a mean response "
                             "time to apply Little's law to", 100 * max_error_rate);
    }
    out->basis = LTK_POOL_MEASURED;
    out->nlevels = n;
    out->per_user = ltk_median_sort(v, n);
    out->per_user_lo = v[0];
    out->per_user_hi = v[n - 1];
    free(v);
    if (cap->knee >= 0) {
        out->knee_users = cap->levels[cap->knee].users;
        out->knee_in_flight = in_flight(&cap->levels[cap->knee]);
    }
    plan_finish(out);
    return LTK_OK;
}

static const char *basis_name(enum ltk_pool_basis b)
{
    return b == LTK_POOL_MEASURED ? "measured" : b == LTK_POOL_GIVEN ? "given" : "rule";
}

int ltk_pool_plan_write_text(FILE *fp, const struct ltk_pool_plan *p)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    char u[32], a[32], c[32], d[32];
    ltk_buf_printf(&b, "\nConnection pool for %s concurrent users:\n", ltk_format_double(p->users, u));
    ltk_buf_printf(&b, "  module's rule (users / 10):      pool_size %ld\n", p->rule_size);
    if (p->basis == LTK_POOL_MEASURED) {
        ltk_buf_printf(&b, "  Little's law (X R, measured):    %.1f requests in flight = %.3f per user "
                           "(median of %zu level%s up to %s users, %.3f to %.3f)\n",
                       p->in_flight, p->per_user, p->nlevels, p->nlevels == 1 ? "" : "s",
                       ltk_format_double(p->below_users, a), p->per_user_lo, p->per_user_hi);
        if (!isnan(p->knee_in_flight))
            ltk_buf_printf(&b, "  at the run's knee, %s users: X R = %.1f in flight when throughput "
                               "stopped growing\n",
                           ltk_format_double(p->knee_users, c), p->knee_in_flight);
    } else if (p->basis == LTK_POOL_GIVEN) {
        ltk_buf_printf(&b, "  Little's law (R / (R + Z)):      %.1f requests in flight = %.3f per user "
                           "(R %s ms, Z %s s)\n",
                       p->in_flight, p->per_user, ltk_format_double(p->response_ms, c),
                       ltk_format_double(p->think_s, d));
    }
    if (p->basis != LTK_POOL_RULE)
        ltk_buf_printf(&b, "  the rule assumes 0.1 per user (think time 9 x the response time); %s\n",
                       p->per_user > 0.1 ? "here each user keeps more connections busy: the rule is too small"
                       : p->per_user < 0.1 ? "here fewer: the rule is generous" : "here it holds");
    ltk_buf_printf(&b, "  settings: pool_size=%ld, max_overflow=%ld, pool_timeout=60, pool_recycle=3600, "
                       "pool_pre_ping=True\n",
                   p->size, p->overflow);
    ltk_buf_puts(&b, "  (per instance: with N instances each needs its share; the database must accept "
                     "N x (pool_size + max_overflow) connections)\n");
    return ltk_buf_flush(fp, &b);
}

cJSON *ltk_pool_plan_to_json(const struct ltk_pool_plan *p)
{
    struct ltk_jb b = { false };
    cJSON *o = cJSON_CreateObject();
    ltk_jb_num(&b, o, "users", p->users);
    ltk_jb_str(&b, o, "basis", basis_name(p->basis));
    ltk_jb_num(&b, o, "rule_pool_size", (double)p->rule_size);
    ltk_jb_num(&b, o, "in_flight_per_user", p->per_user);
    ltk_jb_num(&b, o, "in_flight_per_user_lo", p->per_user_lo);
    ltk_jb_num(&b, o, "in_flight_per_user_hi", p->per_user_hi);
    ltk_jb_num(&b, o, "levels", p->basis == LTK_POOL_MEASURED ? (double)p->nlevels : NAN);
    ltk_jb_num(&b, o, "levels_up_to_users", p->below_users);
    ltk_jb_num(&b, o, "response_ms", p->response_ms);
    ltk_jb_num(&b, o, "think_s", p->think_s);
    ltk_jb_num(&b, o, "in_flight", p->in_flight);
    ltk_jb_num(&b, o, "knee_users", p->knee_users);
    ltk_jb_num(&b, o, "knee_in_flight", p->knee_in_flight);
    cJSON *s = ltk_jb_obj(&b, o, "settings");
    ltk_jb_num(&b, s, "pool_size", (double)p->size);
    ltk_jb_num(&b, s, "max_overflow", (double)p->overflow);
    ltk_jb_num(&b, s, "pool_timeout", 60);
    ltk_jb_num(&b, s, "pool_recycle", 3600);
    ltk_jb_bool(&b, s, "pool_pre_ping", true);
    if (b.failed || !o) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
