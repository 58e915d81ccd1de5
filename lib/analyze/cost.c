/* Capacity and cost planning (see ltk/analyze/cost.h and docs/cost.md). */
#include "ltk/analyze/cost.h"

#include "ltk/analyze/capacity.h"
#include "ltk/analyze/check.h"
#include "ltk/model/series.h"
#include "base/strutil.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/read/csv.h"
#include "ltk/base/json.h"
#include "ltk/base/num.h"

/* ======================================================================
 * The teaching module's numbers and rules, all in one place.
 * Source: the teaching module ("M3.4 Load Testing &
 * Scaling for RAG Systems").  A teacher changing an example changes it here;
 * the Check suite (tests/test_cost.c) recomputes every stated result.
 * ====================================================================== */

#define SECONDS_PER_MINUTE 60.0 /* requests per minute = requests per second x 60 */

/* Section 5, "Real-World Scaling Example", optimisation journey.  steps[0] is
 * the starting point (1 instance, 2 CPU, 4 GB RAM, no cache: 50 users). */
static const struct ltk_cost_step journey_steps[] = {
    { "start", "1 instance, 2 CPU, 4 GB RAM, no cache", 50, 0, 0,
      "limited by the provider's rate limit and repeated queries" },
    { "cache", "query result cache (Redis)", 150, 10, 4 * 60, "80% of queries hit the cache" },
    { "batch", "embedding calls sent in batches", 150, 0, 2 * 60,
      "60% fewer API calls; no new capacity" },
    { "vertical", "larger instance: 4 CPU, 8 GB RAM", 300, 40, 5, NULL },
    { "horizontal", "3 instances behind a load balancer", 900, 80, 60, NULL },
};

/* Section 5, "Strategy 4: Vertical Scaling", example progression (no prices
 * given); the last size is the ceiling before scaling out. */
static const struct ltk_cost_size vertical_sizes[] = {
    { "1 CPU, 1 GB RAM", 50, NAN },
    { "2 CPU, 4 GB RAM", 100, NAN },
    { "4 CPU, 8 GB RAM", 200, NAN },
    { "8 CPU, 16 GB RAM", 400, NAN },
};

static const struct ltk_cost_module module = {
    /* Section 4, "Example caching impact" (repeated in Section 5, Strategy 1):
     * 1000 queries, 80 % hit rate: 1000 calls $0.20 -> 200 calls $0.04. */
    .cache_requests = 1000,
    .cache_hit_rate = 0.8,
    .cache_cost_before = 0.20,
    .cache_cost_after = 0.04,
    .cache_calls_after = 200,
    /* Section 4, "Real-World Bottleneck Example": 125 users x 0.5 queries/s =
     * 62.5 QPS = 3750 QPM against a 500 RPM limit; after the fixes: 75 % cache
     * hits, "3750 QPM -> 900 QPM" (the arithmetic gives 937.5), 400 users,
     * $200 -> $50 per month. */
    .rl_users = 125,
    .rl_rate_per_user = 0.5,
    .rl_limit_rpm = 500,
    .rl_qps = 62.5,
    .rl_qpm = 3750,
    .rl_fixed_hit_rate = 0.75,
    .rl_fixed_qpm_stated = 900,
    .rl_fixed_users = 400,
    .rl_cost_before = 200,
    .rl_cost_after = 50,
    /* Section 5 journey, with its stated totals: +$130/month, 50 -> 900 users
     * = 18x; batching cut API calls by 60 %. */
    .steps = journey_steps,
    .nsteps = sizeof journey_steps / sizeof journey_steps[0],
    .journey_total_added_cost = 130,
    .journey_gain = 18,
    .journey_batch_call_reduction = 0.6,
    /* Section 5, Strategy 2 (Batching), Embedding Batching: one embeddings call
     * takes "up to 2048 texts per batch"; --batch-size cannot exceed it. */
    .embedding_batch_max = 2048,
    .vertical = vertical_sizes,
    .nvertical = sizeof vertical_sizes / sizeof vertical_sizes[0],
    /* Section 6, "Infrastructure Investment Decisions": $40/month 2 CPU 4 GB
     * for 100 users -> $120/month 8 CPU 16 GB for 400 users. */
    .upgrade_from = { "2 CPU, 4 GB RAM", 100, 40 },
    .upgrade_to = { "8 CPU, 16 GB RAM", 400, 120 },
    /* Section 5, Strategy 5, Auto-scaling (HPA): "CPU usage >70% sustained for
     * 5 minutes", "Memory usage >80%", "request queue depth >100",
     * minReplicas 2, maxReplicas 10, scaleUp window 60 s, scaleDown 300 s. */
    .hpa_cpu_utilisation = 0.70,
    .hpa_memory_utilisation = 0.80,
    .hpa_queue_depth = 100,
    .hpa_cpu_sustain_s = 300,
    .hpa_min_replicas = 2,
    .hpa_max_replicas = 10,
    .hpa_scale_up_window_s = 60,
    .hpa_scale_down_window_s = 300,
    .break_even_users = 500,
    .growth_example_from = 0.5,
    .growth_example_to = 0.8,
    .growth_example_months = 2,
};

const struct ltk_cost_module *ltk_cost_module(void)
{
    return &module;
}

/* ====================================================================== */

#define FIELD(k, o, kind) { #k, o, kind, offsetof(struct ltk_cost_input, k) }
static const struct ltk_cost_field fields[] = {
    FIELD(requests, "--requests", LTK_COST_POSITIVE),
    FIELD(hit_rate, "--hit-rate", LTK_COST_SHARE),
    FIELD(cost_per_call, "--cost-per-call", LTK_COST_NONNEG),
    FIELD(batch_size, "--batch-size", LTK_COST_WHOLE),
    FIELD(batch_reduction, "--batch-reduction", LTK_COST_SHARE_LT1),
    FIELD(users, "--users", LTK_COST_WHOLE),
    FIELD(rate_per_user, "--rate-per-user", LTK_COST_POSITIVE),
    FIELD(limit_rpm, "--limit-rpm", LTK_COST_POSITIVE),
    FIELD(capacity_per_instance, "--capacity-per-instance", LTK_COST_POSITIVE),
    FIELD(target_users, "--target-users", LTK_COST_WHOLE),
    FIELD(instance_price, "--instance-price", LTK_COST_NONNEG),
    FIELD(fixed_cost, "--fixed-cost", LTK_COST_NONNEG),
    FIELD(requests_per_month, "--requests-per-month", LTK_COST_POSITIVE),
    FIELD(target_utilisation, "--target-utilisation", LTK_COST_SHARE_POS),
    FIELD(min_replicas, "--min-replicas", LTK_COST_WHOLE),
    FIELD(max_replicas, "--max-replicas", LTK_COST_WHOLE),
    FIELD(stress_capacity, "--stress-capacity", LTK_COST_POSITIVE),
    FIELD(current_users, "--current-users", LTK_COST_POSITIVE),
    FIELD(current_cpu, "--current-cpu", LTK_COST_SHARE_POS),
    FIELD(future_users, "--future-users", LTK_COST_POSITIVE),
    FIELD(future_cpu, "--future-cpu", LTK_COST_SHARE_POS),
    FIELD(months, "--months", LTK_COST_POSITIVE),
    FIELD(growth, "--growth", LTK_COST_RATE),
    FIELD(instances_now, "--instances", LTK_COST_WHOLE),
    FIELD(upgrade_factor, "--upgrade-factor", LTK_COST_POSITIVE),
    FIELD(upgrade_cost, "--upgrade-cost", LTK_COST_NONNEG),
    FIELD(shortfall_cost, "--shortfall-cost", LTK_COST_NONNEG),
    FIELD(horizon, "--horizon", LTK_COST_POSITIVE),
};
#undef FIELD
#define NFIELDS (sizeof fields / sizeof fields[0])

const struct ltk_cost_field *ltk_cost_fields(size_t *n)
{
    *n = NFIELDS;
    return fields;
}

double *ltk_cost_slot(struct ltk_cost_input *in, size_t i)
{
    return (double *)((char *)in + fields[i].offset);
}

static double get(const struct ltk_cost_input *in, size_t i)
{
    return *(const double *)((const char *)in + fields[i].offset);
}

void ltk_cost_input_init(struct ltk_cost_input *in)
{
    memset(in, 0, sizeof *in);
    for (size_t i = 0; i < NFIELDS; i++)
        *ltk_cost_slot(in, i) = NAN;
    in->journey = false;
}

double ltk_cost_tidy(double v)
{
    if (!isfinite(v))
        return v;
    if (v == 0)
        return 0; /* never -0 */
    char buf[40];
    snprintf(buf, sizeof buf, "%.*g", LTK_COST_DIGITS, v);
    return strtod(buf, NULL);
}

const char *ltk_cost_parse_share(const char *s, double *out)
{
    if (!s || !*s)
        return "a share such as 0.8 or 80%, got an empty value";
    size_t n = strlen(s);
    if (s[n - 1] != '%')
        return ltk_parse_real(s, out) ? "a share such as 0.8 or 80%" : NULL;
    char buf[64];
    if (n >= sizeof buf)
        return "a share such as 0.8 or 80%";
    memcpy(buf, s, n - 1);
    buf[n - 1] = '\0';
    if (n >= 2 && buf[n - 2] == ' ')
        buf[n - 2] = '\0';
    double pct;
    if (ltk_parse_real(buf, &pct))
        return "a share such as 0.8 or 80%";
    *out = pct / 100;
    return NULL;
}

/* ---- validation ------------------------------------------------------- */

/* Checks one value of field f; on failure writes why into msg. */
static bool value_ok(const struct ltk_cost_field *f, double v, char *msg, size_t size)
{
    char num[32];
    ltk_format_double(v, num);
    if (!isfinite(v)) {
        snprintf(msg, size, "must be a finite number");
        return false;
    }
    switch (f->kind) {
    case LTK_COST_POSITIVE:
        if (v <= 0 || v > LTK_COST_MAX_VALUE) {
            snprintf(msg, size, "must be above 0 (and at most 1e15), got %s", num);
            return false;
        }
        return true;
    case LTK_COST_NONNEG:
        if (v < 0 || v > LTK_COST_MAX_VALUE) {
            snprintf(msg, size, "must not be negative (nor above 1e15), got %s", num);
            return false;
        }
        return true;
    case LTK_COST_WHOLE:
        if (v < 1 || v != floor(v) || v > LTK_COST_MAX_VALUE) {
            snprintf(msg, size, "must be a whole number of at least 1, got %s", num);
            return false;
        }
        return true;
    case LTK_COST_SHARE:
        if (v < 0 || v > 1) {
            snprintf(msg, size, "must be between 0 and 1 (0%% to 100%%), got %s", num);
            return false;
        }
        return true;
    case LTK_COST_SHARE_LT1:
        if (v < 0 || v >= 1) {
            snprintf(msg, size, "must be at least 0 and below 1 (0%% to 99.9%%), got %s", num);
            return false;
        }
        return true;
    case LTK_COST_RATE:
        if (v <= 0 || v > LTK_COST_MAX_VALUE) {
            snprintf(msg, size, "must be above 0 (such as 0.2 or 20%%), got %s", num);
            return false;
        }
        return true;
    case LTK_COST_SHARE_POS:
        if (v <= 0 || v > 1) {
            snprintf(msg, size, "must be above 0 and at most 1 (above 0%% up to 100%%), got %s", num);
            return false;
        }
        return true;
    }
    return false;
}

static bool given(double v)
{
    return !isnan(v);
}

/* The runway part: one current load, its growth, and the upgrade's costs. */
static int validate_runway(const struct ltk_cost_input *in, struct ltk_error *err)
{
    bool users = given(in->current_users), cpu = given(in->current_cpu);
    if (!users && !cpu) {
        const char *stray = given(in->future_users) ? "--future-users"
                            : given(in->future_cpu) ? "--future-cpu"
                            : given(in->months) ? "--months"
                            : given(in->growth) ? "--growth"
                            : given(in->instances_now) ? "--instances"
                            : given(in->upgrade_factor) ? "--upgrade-factor"
                            : given(in->upgrade_cost) ? "--upgrade-cost"
                            : given(in->shortfall_cost) ? "--shortfall-cost"
                            : given(in->horizon) ? "--horizon" : NULL;
        if (stray)
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "%s needs --current-users or --current-cpu (the runway)",
                                 stray);
        return LTK_OK;
    }
    if (users && cpu)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--current-users and --current-cpu: give one of them");
    if (users && !given(in->capacity_per_instance))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "--current-users needs the capacity per instance (--capacity-per-instance, --capacity "
                             "or --capacity-run)");
    if (cpu && (given(in->future_users) || given(in->instances_now)))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "%s goes with --current-users, not --current-cpu",
                             given(in->future_users) ? "--future-users" : "--instances");
    if (users && given(in->future_cpu))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--future-cpu goes with --current-cpu, not --current-users");
    double future = users ? in->future_users : in->future_cpu, now = users ? in->current_users : in->current_cpu;
    const char *fopt = users ? "--future-users" : "--future-cpu";
    if (given(in->growth) == (given(future) || given(in->months)))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "the runway needs the growth: --growth R (per month) or %s with --months, not both", fopt);
    if (!given(in->growth) && (!given(future) || !given(in->months)))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "%s and --months go together", fopt);
    if (given(future) && !(future > now)) {
        char a[32], b[32];
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "%s %s must be above the current load %s: the runway is for a growing load", fopt,
                             ltk_format_double(future, a), ltk_format_double(now, b));
    }
    if (given(in->upgrade_factor) && !(in->upgrade_factor > 1))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--upgrade-factor must be above 1 (the capacity after / now)");
    if (given(in->upgrade_cost) != given(in->shortfall_cost))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "--upgrade-cost and --shortfall-cost go together (what the upgrade costs a month, "
                             "what a month above capacity costs)");
    if (given(in->horizon) && !given(in->upgrade_cost))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--horizon needs --upgrade-cost and --shortfall-cost");
    return LTK_OK;
}

int ltk_cost_validate(const struct ltk_cost_input *in, struct ltk_error *err)
{
    char why[256];
    for (size_t i = 0; i < NFIELDS; i++) {
        double v = get(in, i);
        if (given(v) && !value_ok(&fields[i], v, why, sizeof why))
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "%s %s", fields[i].option, why);
    }
    /* API calls and caching: everything hangs off --requests */
    if (!given(in->requests)) {
        if (given(in->cost_per_call))
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--cost-per-call needs --requests");
        if (given(in->batch_size) || given(in->batch_reduction))
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "%s needs --requests",
                                 given(in->batch_size) ? "--batch-size" : "--batch-reduction");
        if (given(in->hit_rate) && !given(in->users))
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--hit-rate needs --requests or --users");
    } else if (!given(in->hit_rate) && !given(in->cost_per_call) && !given(in->batch_size) &&
               !given(in->batch_reduction)) {
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "--requests needs --hit-rate, --cost-per-call, --batch-size or --batch-reduction");
    }
    if (given(in->batch_size) && given(in->batch_reduction))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--batch-size and --batch-reduction cannot be combined");
    if (given(in->batch_size) && in->batch_size > module.embedding_batch_max) {
        char num[32];
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "--batch-size must be at most %.0f, the most texts one embedding call takes "
                             "(module, Section 5, Batching: \"up to 2048 texts per batch\"), got %s",
                             module.embedding_batch_max, ltk_format_double(in->batch_size, num));
    }
    /* rate limit: all three or none */
    if (given(in->users) || given(in->rate_per_user) || given(in->limit_rpm)) {
        const char *missing = !given(in->users) ? "--users"
                              : !given(in->rate_per_user) ? "--rate-per-user"
                              : !given(in->limit_rpm) ? "--limit-rpm" : NULL;
        if (missing)
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                                 "the rate-limit check needs --users, --rate-per-user and --limit-rpm; %s is missing",
                                 missing);
    }
    /* scaling plan: everything hangs off --target-users; the capacity is
     * shared with the runway */
    bool runway_users = given(in->current_users);
    if (given(in->target_users) || given(in->instance_price) || given(in->fixed_cost) ||
        given(in->requests_per_month) || given(in->min_replicas) || given(in->max_replicas) ||
        (given(in->stress_capacity) && !in->capacity_source[0]) || (given(in->capacity_per_instance) && !runway_users) ||
        (given(in->target_utilisation) && !given(in->current_users) && !given(in->current_cpu))) {
        const char *missing = !given(in->capacity_per_instance) ? "--capacity-per-instance"
                              : !given(in->target_users) ? "--target-users"
                              : !given(in->instance_price) ? "--instance-price" : NULL;
        if (missing)
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                                 "the scaling plan needs --capacity-per-instance, --target-users and "
                                 "--instance-price; %s is missing",
                                 missing);
    }
    int rc = validate_runway(in, err);
    if (rc)
        return rc;
    double minr = given(in->min_replicas) ? in->min_replicas : module.hpa_min_replicas;
    double maxr = given(in->max_replicas) ? in->max_replicas : module.hpa_max_replicas;
    if (minr > maxr) {
        char a[32], b[32];
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--min-replicas %s is above --max-replicas %s",
                             ltk_format_double(minr, a), ltk_format_double(maxr, b));
    }
    if (!given(in->requests) && !given(in->users) && !given(in->target_users) && !given(in->current_users) &&
        !given(in->current_cpu) && !in->journey)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "nothing to compute: give --requests, --users, --target-users, --current-users, "
                             "--current-cpu, --journey or --plan (see --help)");
    return LTK_OK;
}

/* ---- plan files --------------------------------------------------------- */

/* 1-based line and column of offset off in text. */
static void position(const char *text, size_t off, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

int ltk_cost_parse_plan(struct ltk_cost_input *in, const char *text, size_t len, const char *name,
                        struct ltk_error *err)
{
    if (len > (size_t)LTK_COST_MAX_PLAN_BYTES)
        return ltk_error_set(err, LTK_ELIMIT, name, 0, 0, "plan file larger than %ld bytes",
                             LTK_COST_MAX_PLAN_BYTES);
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        long line, col;
        position(text, (size_t)(nul - text), &line, &col);
        return ltk_error_set(err, LTK_EFORMAT, name, line, col, "NUL byte in a JSON plan file");
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return ltk_error_set(err, LTK_ENOMEM, name, 0, 0, "out of memory");
    memcpy(copy, text, len);
    copy[len] = '\0';
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithOpts(copy, &end, 1);
    if (!doc) {
        size_t off = end && end >= copy && end <= copy + len ? (size_t)(end - copy) : 0;
        long line, col;
        position(copy, off, &line, &col);
        int rc;
        if (len == 0 || strspn(copy, " \t\r\n") == len)
            rc = ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "empty plan file: expected a JSON object");
        else
            rc = ltk_error_set(err, LTK_EFORMAT, name, line, col, "invalid JSON at column %ld", col);
        free(copy);
        return rc;
    }
    free(copy);
    int rc = LTK_OK;
    if (!cJSON_IsObject(doc)) {
        rc = ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "a plan must be a JSON object");
        goto out;
    }
    for (const cJSON *item = doc->child; item; item = item->next) {
        const char *key = item->string ? item->string : "";
        for (const cJSON *prev = doc->child; prev != item; prev = prev->next)
            if (prev->string && strcmp(prev->string, key) == 0) {
                rc = ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "key '%s' appears twice", key);
                goto out;
            }
        if (strcmp(key, "schema") == 0) {
            if (!cJSON_IsString(item) || strcmp(item->valuestring, LTK_COST_PLAN_SCHEMA) != 0) {
                rc = ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "\"schema\" must be \"%s\"",
                                   LTK_COST_PLAN_SCHEMA);
                goto out;
            }
            continue;
        }
        if (strcmp(key, "journey") == 0) {
            if (!cJSON_IsBool(item) && !cJSON_IsNull(item)) {
                rc = ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "\"journey\" must be true or false");
                goto out;
            }
            if (cJSON_IsTrue(item))
                in->journey = true;
            continue;
        }
        if (strcmp(key, "capacity_source") == 0 || strcmp(key, "rate_source") == 0 || strcmp(key, "slo") == 0) {
            /* notes of the "inputs" echo: kept unless an option already set them */
            char *dst = key[0] == 'c' ? in->capacity_source : key[0] == 'r' ? in->rate_source : in->slo;
            size_t size = key[0] == 'c'   ? sizeof in->capacity_source
                          : key[0] == 'r' ? sizeof in->rate_source
                                          : sizeof in->slo;
            if (!cJSON_IsString(item) && !cJSON_IsNull(item)) {
                rc = ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "\"%s\" must be a string or null", key);
                goto out;
            }
            if (cJSON_IsString(item) && !*dst)
                snprintf(dst, size, "%s", item->valuestring);
            continue;
        }
        size_t i = 0;
        while (i < NFIELDS && strcmp(fields[i].key, key) != 0)
            i++;
        if (i == NFIELDS) {
            rc = ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "unknown key '%.100s'", key);
            goto out;
        }
        if (cJSON_IsNull(item))
            continue; /* null: not given (as in the "inputs" echo of ltk.cost/1) */
        double v;
        bool share = fields[i].kind == LTK_COST_SHARE || fields[i].kind == LTK_COST_SHARE_LT1 ||
                     fields[i].kind == LTK_COST_SHARE_POS || fields[i].kind == LTK_COST_RATE;
        if (cJSON_IsNumber(item)) {
            v = item->valuedouble;
        } else if (share && cJSON_IsString(item)) {
            const char *why = ltk_cost_parse_share(item->valuestring, &v);
            if (why) {
                rc = ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "\"%s\": expected %s, got \"%.60s\"", key,
                                   why, item->valuestring);
                goto out;
            }
        } else {
            rc = ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "\"%s\" must be a number%s", key,
                               share ? " or a string such as \"80%\"" : "");
            goto out;
        }
        char why[200];
        if (!value_ok(&fields[i], v, why, sizeof why)) {
            rc = ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "\"%s\" %s", key, why);
            goto out;
        }
        double *slot = ltk_cost_slot(in, i);
        if (isnan(*slot))
            *slot = v; /* an option given on the command line wins */
    }
out:
    cJSON_Delete(doc);
    return rc;
}

/* Reads a whole small file (at most LTK_COST_MAX_PLAN_BYTES) into *out
 * (malloc'd, NUL-terminated; free()), its length in *len. */
static int read_small_file(const char *path, const char *what, char **out, size_t *len, struct ltk_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *fp;
    int orc = ltk_open_input(path, &fp, err);  /* a directory is named as one */
    if (orc)
        return orc;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    int rc = LTK_OK;
    while (buf) {
        if (n == cap) {
            if (cap > (size_t)LTK_COST_MAX_PLAN_BYTES) {
                rc = ltk_error_set(err, LTK_ELIMIT, path, 0, 0, "%s larger than %ld bytes", what,
                                   LTK_COST_MAX_PLAN_BYTES);
                break;
            }
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n, fp);
        n += k;
        if (k == 0) {
            if (ferror(fp))
                rc = ltk_error_set(err, LTK_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
            break;
        }
    }
    fclose(fp);
    if (!buf)
        return ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    if (rc) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return LTK_OK;
}

int ltk_cost_read_plan(struct ltk_cost_input *in, const char *path, struct ltk_error *err)
{
    char *buf;
    size_t len;
    int rc = read_small_file(path, "plan file", &buf, &len, err);
    if (rc == LTK_OK)
        rc = ltk_cost_parse_plan(in, buf, len, path, err);
    free(buf);
    return rc;
}

/* ---- capacity at the SLO and at the stress criterion ---------------------- */

static char default_slo[128];

const char *ltk_cost_default_slo(void)
{
    if (!default_slo[0]) {
        size_t n, used = 0;
        const struct ltk_builtin_criterion *b = ltk_check_builtins(&n);
        for (size_t i = 0; i < n; i++)
            if (b[i].type == LTK_TT_LOAD && used < sizeof default_slo)
                used += (size_t)snprintf(default_slo + used, sizeof default_slo - used, "%s%s", used ? "," : "",
                                         b[i].expr);
    }
    return default_slo;
}

/* The users of the capacity of levels (a copy is analysed) at slo (n 0: the
 * stress criterion alone); *measured says which; NAN when none. */
static double capacity_at(const struct ltk_capacity_result *base, const struct ltk_capacity_slo *slo,
                          bool *measured, char *criterion, size_t size, int *rc)
{
    struct ltk_capacity_result r = *base;
    r.levels = malloc(base->nlevels * sizeof *r.levels);
    *rc = LTK_OK;
    *measured = false;
    if (!r.levels) {
        *rc = LTK_ENOMEM;
        return NAN;
    }
    memcpy(r.levels, base->levels, base->nlevels * sizeof *r.levels);
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    opt.slo = *slo; /* borrowed: not released here */
    ltk_capacity_analyse(&r, &opt);
    double users = NAN;
    if (r.capacity >= 0) {
        users = r.levels[r.capacity].users;
        *measured = true;
    } else if (r.predicted_users > 0) {
        users = r.predicted_users;
    }
    snprintf(criterion, size, "%s", r.criterion);
    free(r.levels);
    return users;
}

/* A fresh result holding only levels (as ltk_capacity_levels_from_run or a
 * capacity document give them). */
static void capacity_blank(struct ltk_capacity_result *r)
{
    memset(r, 0, sizeof *r);
    r->breaking = r->knee = r->capacity = -1;
    r->predicted_users = r->predicted_ci[0] = r->predicted_ci[1] = NAN;
    r->think_time = NAN;
}

/* Evaluates levels at both criteria and fills in; what names the input. */
static int capacity_from_levels(struct ltk_cost_input *in, const struct ltk_capacity_result *levels,
                                const char *slo_text, const char *what, struct ltk_error *err)
{
    struct ltk_capacity_slo slo = { 0 }, none = { 0 };
    int rc = ltk_capacity_slo_add(&slo, slo_text, err);
    if (rc)
        return rc; /* the tool checks --slo first, to show where it is wrong */
    bool slo_measured, stress_measured;
    char slo_crit[288], stress_crit[288];
    double users = capacity_at(levels, &slo, &slo_measured, slo_crit, sizeof slo_crit, &rc);
    double stress = rc ? NAN : capacity_at(levels, &none, &stress_measured, stress_crit, sizeof stress_crit, &rc);
    ltk_capacity_slo_release(&slo);
    if (rc)
        return ltk_error_set(err, rc, what, 0, 0, "out of memory");
    if (!(users > 0) || users > LTK_COST_MAX_VALUE)
        return ltk_error_set(err, LTK_EINVAL, what, 0, 0,
                             "no capacity at %s: no load level met it and the USL fit predicts none "
                             "(plan with another --slo, or type --capacity-per-instance)",
                             slo_crit);
    in->capacity_per_instance = ltk_cost_tidy(users);
    if (stress > 0 && stress_measured && stress <= LTK_COST_MAX_VALUE && isnan(in->stress_capacity))
        in->stress_capacity = ltk_cost_tidy(stress);
    snprintf(in->slo, sizeof in->slo, "%s", slo_crit);
    snprintf(in->capacity_source, sizeof in->capacity_source, "%.300s: %s", what,
             slo_measured ? "measured (the largest level meeting the SLO)"
                          : "predicted by the USL fit (no level met the SLO; an upper bound)");
    return LTK_OK;
}

static double json_number(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

int ltk_cost_capacity_from_file(struct ltk_cost_input *in, const char *path, const char *slo,
                                struct ltk_error *err)
{
    char *buf;
    size_t len;
    int rc = read_small_file(path, "capacity file", &buf, &len, err);
    if (rc)
        return rc;
    const char *end = NULL;
    cJSON *doc = memchr(buf, '\0', len) ? NULL : cJSON_ParseWithOpts(buf, &end, true);
    if (!doc) {
        long line = 0, col = 0;
        if (end)
            position(buf, (size_t)(end - buf), &line, &col);
        free(buf);
        return ltk_error_set(err, LTK_EFORMAT, path, line, col, "not valid JSON (expected the output of "
                                                                "ltk capacity --json)");
    }
    free(buf);
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(doc, "schema");
    const cJSON *levels = cJSON_GetObjectItemCaseSensitive(doc, "levels");
    const cJSON *crit = cJSON_GetObjectItemCaseSensitive(doc, "criterion");
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(doc, "levels_from");
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(doc, "input");
    struct ltk_capacity_result r;
    capacity_blank(&r);
    if (!cJSON_IsString(schema) || strcmp(schema->valuestring, "ltk.capacity/1") != 0) {
        rc = ltk_error_set(err, LTK_EFORMAT, path, 0, 0, "expected schema \"ltk.capacity/1\" (ltk capacity --json)");
        goto out;
    }
    int n = cJSON_GetArraySize(levels);
    if (!cJSON_IsArray(levels) || n == 0) {
        rc = ltk_error_set(err, LTK_EFORMAT, path, 0, 0, "no \"levels\": the run had no load levels");
        goto out;
    }
    r.levels = calloc((size_t)n, sizeof *r.levels);
    if (!r.levels) {
        rc = ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    r.source = cJSON_IsString(from) && strcmp(from->valuestring, "table") == 0 ? LTK_CAP_TABLE
               : cJSON_IsString(from) && strcmp(from->valuestring, "user_bands") == 0 ? LTK_CAP_BINS
                                                                                       : LTK_CAP_PLATEAUS;
    const cJSON *o;
    double prev = -INFINITY;
    cJSON_ArrayForEach(o, levels)
    {
        struct ltk_capacity_level *l = &r.levels[r.nlevels];
        l->users = json_number(o, "users");
        l->users_min = (int64_t)(isnan(json_number(o, "users_min")) ? 0 : json_number(o, "users_min"));
        l->users_max = (int64_t)(isnan(json_number(o, "users_max")) ? 0 : json_number(o, "users_max"));
        l->rps = json_number(o, "rps");
        l->ok_rps = json_number(o, "ok_rps");
        if (isnan(l->ok_rps))
            l->ok_rps = l->rps;
        l->p50 = json_number(o, "p50");
        l->p95 = json_number(o, "p95");
        l->p99 = json_number(o, "p99");
        l->mean_ms = json_number(o, "mean_ms");
        l->error_rate = json_number(o, "error_rate");
        l->duration = json_number(o, "duration_s");
        l->think_s = json_number(o, "think_time_s");
        l->little_users = NAN;
        l->slo = -1;
        if (!(l->users > 0) || !(l->users > prev) || !(l->rps >= 0) || l->users > LTK_COST_MAX_VALUE ||
            !(isnan(l->error_rate) || (l->error_rate >= 0 && l->error_rate <= 1))) {
            rc = ltk_error_set(err, LTK_EFORMAT, path, 0, 0,
                               "level %zu: \"users\" must be a number above 0 and above the level before, "
                               "\"rps\" a number of at least 0, \"error_rate\" within 0..1 or null",
                               r.nlevels + 1);
            goto out;
        }
        if (!isnan(l->p95))
            r.have_latency = true;
        prev = l->users;
        r.nlevels++;
    }
    char slo_buf[288];
    if (!slo) {
        /* the conditions ltk capacity was given, else the module's load criteria */
        const char *c = cJSON_IsString(crit) ? crit->valuestring : "";
        const char *comma = strchr(c, ',');
        snprintf(slo_buf, sizeof slo_buf, "%s", comma && strncmp(c, "error_rate<=5%,", 15) == 0 ? comma + 1
                                                                                               : ltk_cost_default_slo());
        slo = slo_buf;
    }
    char what[300];
    snprintf(what, sizeof what, "%.120s (%.160s)", path, cJSON_IsString(input) ? input->valuestring : "a run");
    rc = capacity_from_levels(in, &r, slo, what, err);
out:
    free(r.levels);
    cJSON_Delete(doc);
    return rc;
}

int ltk_cost_capacity_from_run(struct ltk_cost_input *in, const struct ltk_run *run, const char *slo,
                               struct ltk_error *err)
{
    struct ltk_capacity_options opt;
    ltk_capacity_options_init(&opt);
    struct ltk_capacity_result r;
    int rc = ltk_capacity_levels_from_run(run, &opt, &r, err);
    if (rc)
        return rc;
    rc = capacity_from_levels(in, &r, slo ? slo : ltk_cost_default_slo(), run->label, err);
    ltk_capacity_release(&r);
    return rc;
}

int ltk_cost_rate_from_run(struct ltk_cost_input *in, const struct ltk_run *run, const char *endpoint,
                           struct ltk_error *err)
{
    struct ltk_series agg, ep;
    memset(&ep, 0, sizeof ep);
    int rc = ltk_series_from_run(run, NULL, NULL, &agg, err);
    if (rc)
        return rc;
    if (endpoint) {
        /* "POST /query" or "/query" */
        const char *sp = strchr(endpoint, ' ');
        char type[16] = "";
        const char *name = endpoint;
        if (sp && (size_t)(sp - endpoint) < sizeof type && sp > endpoint && sp[1] == '/') {
            memcpy(type, endpoint, (size_t)(sp - endpoint));
            type[sp - endpoint] = '\0';
            name = sp + 1;
        }
        rc = ltk_series_from_run(run, *type ? type : NULL, name, &ep, err);
        if (rc) {
            ltk_series_release(&agg);
            return ltk_error_set(err, rc == LTK_ENOMEM ? rc : LTK_EINVAL, run->label, 0, 0,
                                 "no stats_history rows for endpoint '%.100s' (per-endpoint rows need "
                                 "--csv-full-history)", endpoint);
        }
    }
    /* user-seconds from the Aggregated ticks; requests of the same span */
    double user_s = 0;
    for (size_t i = 1; i < agg.n; i++)
        user_s += (double)agg.t[i - 1].users * (double)(agg.t[i].ts - agg.t[i - 1].ts);
    const struct ltk_series *s = endpoint ? &ep : &agg;
    uint64_t requests = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->t[i].ts > agg.t[0].ts && s->t[i].ts <= agg.t[agg.n - 1].ts)
            requests += s->t[i].d_requests;
    ltk_series_release(&agg);
    ltk_series_release(&ep);
    if (!(user_s > 0) || !requests)
        return ltk_error_set(err, LTK_EINVAL, run->label, 0, 0,
                             "the run's history has no requests with users running: no rate per user");
    in->rate_per_user = ltk_cost_tidy((double)requests / user_s);
    snprintf(in->rate_source, sizeof in->rate_source, "%.200s: %llu %s requests over %.0f user-seconds",
             run->label, (unsigned long long)requests, endpoint ? endpoint : "(all)", user_s);
    return LTK_OK;
}

/* ---- the arithmetic ------------------------------------------------------ */

static void compute_caching(const struct ltk_cost_input *in, struct ltk_cost_caching *c)
{
    double n = in->requests, h = given(in->hit_rate) ? in->hit_rate : 0, price = in->cost_per_call;
    c->present = true;
    c->hit_rate = h;
    c->cache_hits = ltk_cost_tidy(n * h);
    c->api_calls = ltk_cost_tidy(n * (1 - h));
    c->cost = ltk_cost_tidy(c->api_calls * price); /* NAN without a price */
    c->cost_without_cache = ltk_cost_tidy(n * price);
    c->savings = ltk_cost_tidy(c->cost_without_cache - c->cost);
    c->savings_pct = given(price) && price > 0 ? ltk_cost_tidy(h * 100) : NAN;
    c->batching = given(in->batch_size) || given(in->batch_reduction);
    if (c->batching) {
        if (given(in->batch_size)) {
            c->batch_reduction = ltk_cost_tidy(1 - 1 / in->batch_size);
            c->batched_calls = ltk_cost_tidy(c->api_calls / in->batch_size);
        } else {
            c->batch_reduction = in->batch_reduction;
            c->batched_calls = ltk_cost_tidy(c->api_calls * (1 - in->batch_reduction));
        }
        c->batch_calls_saved = ltk_cost_tidy(c->api_calls - c->batched_calls);
        c->batched_cost = ltk_cost_tidy(c->batched_calls * price);
    } else {
        c->batch_reduction = c->batched_calls = c->batch_calls_saved = c->batched_cost = NAN;
    }
}

static void compute_rate(const struct ltk_cost_input *in, struct ltk_cost_rate *r)
{
    double limit = in->limit_rpm, per_user_qpm = in->rate_per_user * SECONDS_PER_MINUTE;
    r->present = true;
    r->qps = ltk_cost_tidy(in->users * in->rate_per_user);
    r->qpm = ltk_cost_tidy(in->users * per_user_qpm);
    r->utilisation_pct = ltk_cost_tidy(r->qpm / limit * 100);
    r->headroom_qpm = ltk_cost_tidy(limit - r->qpm);
    r->headroom_pct = ltk_cost_tidy(r->headroom_qpm / limit * 100);
    r->users_at_limit = ltk_cost_tidy(limit / per_user_qpm);
    r->max_users = floor(r->users_at_limit);
    r->cached = given(in->hit_rate);
    double load = r->qpm;
    if (r->cached) {
        double miss = 1 - in->hit_rate;
        r->provider_qpm = ltk_cost_tidy(r->qpm * miss);
        r->provider_utilisation_pct = ltk_cost_tidy(r->provider_qpm / limit * 100);
        r->provider_headroom_qpm = ltk_cost_tidy(limit - r->provider_qpm);
        r->provider_headroom_pct = ltk_cost_tidy(r->provider_headroom_qpm / limit * 100);
        r->max_users_with_cache = miss > 0 ? floor(ltk_cost_tidy(limit / (per_user_qpm * miss))) : NAN;
        load = r->provider_qpm;
    } else {
        r->provider_qpm = r->provider_utilisation_pct = r->provider_headroom_qpm = NAN;
        r->provider_headroom_pct = r->max_users_with_cache = NAN;
    }
    r->exceeded = load > limit;
    r->exceeded_by_qpm = r->exceeded ? ltk_cost_tidy(load - limit) : 0;
}

/* Instances to hold target at per users each (never below minr) and their cost. */
static void sizing(const struct ltk_cost_input *in, double per, double minr, double fixed, struct ltk_cost_sizing *z)
{
    z->users_per_instance = ltk_cost_tidy(per);
    if (!(per > 0)) {
        z->instances = z->monthly_cost = NAN;
        return;
    }
    z->instances = fmax(minr, ceil(ltk_cost_tidy(in->target_users / z->users_per_instance)));
    z->monthly_cost = ltk_cost_tidy(z->instances * in->instance_price + fixed);
}

static void compute_scaling(const struct ltk_cost_input *in, struct ltk_cost_scaling *s)
{
    double cap = in->capacity_per_instance, target = in->target_users;
    s->present = true;
    s->utilisation = given(in->target_utilisation) ? in->target_utilisation : module.hpa_cpu_utilisation;
    s->min_replicas = given(in->min_replicas) ? in->min_replicas : module.hpa_min_replicas;
    s->max_replicas = given(in->max_replicas) ? in->max_replicas : module.hpa_max_replicas;
    s->fixed_cost = given(in->fixed_cost) ? in->fixed_cost : 0;
    s->users_per_instance = ltk_cost_tidy(cap * s->utilisation);
    s->instances_needed = ceil(ltk_cost_tidy(target / s->users_per_instance));
    s->instances = fmax(s->instances_needed, s->min_replicas);
    s->exceeds_max = s->instances > s->max_replicas;
    s->max_replicas_users = ltk_cost_tidy(s->max_replicas * s->users_per_instance);
    s->fleet_capacity = ltk_cost_tidy(s->instances * cap);
    s->spare_users = ltk_cost_tidy(s->fleet_capacity - target);
    s->fleet_utilisation_pct = ltk_cost_tidy(target / s->fleet_capacity * 100);
    sizing(in, cap, s->min_replicas, s->fixed_cost, &s->at_full);
    sizing(in, given(in->stress_capacity) ? in->stress_capacity : NAN, s->min_replicas, s->fixed_cost, &s->stress);
    s->instance_cost = ltk_cost_tidy(s->instances * in->instance_price);
    s->monthly_cost = ltk_cost_tidy(s->instance_cost + s->fixed_cost);
    s->cost_per_user = ltk_cost_tidy(s->monthly_cost / target);
    s->cost_per_1000_requests =
        given(in->requests_per_month) ? ltk_cost_tidy(s->monthly_cost / in->requests_per_month * 1000) : NAN;
}

/* Months for a load growing by g a month to go from now to limit (0 when there). */
static double months_to(double now, double limit, double g)
{
    return now >= limit ? 0 : ltk_cost_tidy(log(limit / now) / log1p(g));
}

static void compute_runway(const struct ltk_cost_input *in, struct ltk_cost_runway *w)
{
    w->present = true;
    w->cpu = given(in->current_cpu);
    double util = given(in->target_utilisation) ? in->target_utilisation : module.hpa_cpu_utilisation;
    double future = w->cpu ? in->future_cpu : in->future_users;
    w->current = w->cpu ? in->current_cpu : in->current_users;
    w->growth = given(in->growth) ? in->growth : ltk_cost_tidy(pow(future / w->current, 1 / in->months) - 1);
    double instances = given(in->instances_now) ? in->instances_now : 1;
    w->full_load = w->cpu ? 1 : ltk_cost_tidy(in->capacity_per_instance * instances);
    w->target_load = ltk_cost_tidy(w->full_load * util);
    w->months_to_target = months_to(w->current, w->target_load, w->growth);
    w->months_to_full = months_to(w->current, w->full_load, w->growth);
    w->months_to_break_even =
        w->cpu ? NAN : months_to(w->current, module.break_even_users, w->growth);
    w->upgraded_months_to_full =
        given(in->upgrade_factor) ? months_to(w->current, w->full_load * in->upgrade_factor, w->growth) : NAN;
    w->costed = given(in->upgrade_cost);
    w->horizon = given(in->horizon) ? in->horizon : 12;
    if (w->costed) {
        double h = w->horizon;
        double over = fmax(0, h - w->months_to_full);
        double paid = fmax(0, h - w->months_to_target);
        double over_after = isfinite(w->upgraded_months_to_full) ? fmax(0, h - w->upgraded_months_to_full) : 0;
        w->cost_without_upgrade = ltk_cost_tidy(in->shortfall_cost * over);
        w->cost_with_upgrade = ltk_cost_tidy(in->upgrade_cost * paid + in->shortfall_cost * over_after);
        w->pays_off = w->cost_with_upgrade < w->cost_without_upgrade;
        /* shortfall x over = upgrade x paid + shortfall x over_after */
        w->break_even_shortfall = over > over_after ? ltk_cost_tidy(in->upgrade_cost * paid / (over - over_after)) : NAN;
    } else {
        w->cost_without_upgrade = w->cost_with_upgrade = w->break_even_shortfall = NAN;
    }
}

void ltk_cost_compute(const struct ltk_cost_input *in, struct ltk_cost_result *r)
{
    memset(r, 0, sizeof *r);
    r->in = *in;
    if (given(in->requests))
        compute_caching(in, &r->caching);
    if (given(in->users))
        compute_rate(in, &r->rate);
    if (given(in->target_users))
        compute_scaling(in, &r->scaling);
    if (given(in->current_users) || given(in->current_cpu))
        compute_runway(in, &r->runway);
    r->journey = in->journey;
}

void ltk_cost_journey_totals(struct ltk_cost_journey *j)
{
    const struct ltk_cost_step *s = module.steps;
    size_t n = module.nsteps;
    j->start_users = s[0].capacity_users;
    j->end_users = s[n - 1].capacity_users;
    j->gain = ltk_cost_tidy(j->end_users / j->start_users);
    j->total_added_cost = 0;
    j->total_minutes = 0;
    for (size_t i = 0; i < n; i++) {
        j->total_added_cost += s[i].added_cost;
        j->total_minutes += s[i].minutes;
    }
    j->total_added_cost = ltk_cost_tidy(j->total_added_cost);
    j->cost_per_added_user = ltk_cost_tidy(j->total_added_cost / (j->end_users - j->start_users));
}

/* ---- human output --------------------------------------------------------- */

struct writer {
    FILE *out;
    bool failed;
};

__attribute__((format(printf, 2, 3))) static void pr(struct writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(w->out, fmt, ap) < 0)
        w->failed = true;
    va_end(ap);
}

/* A number with at most dec decimals, trailing zeros dropped ("937.5", "16"). */
static const char *num(char buf[48], double v, int dec)
{
    if (!isfinite(v)) {
        snprintf(buf, 48, "-");
        return buf;
    }
    snprintf(buf, 48, "%.*f", dec, v);
    if (strchr(buf, '.')) {
        char *e = buf + strlen(buf) - 1;
        while (*e == '0')
            *e-- = '\0';
        if (*e == '.')
            *e = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, 48, "0");
    return buf;
}

/* Dollars: 2 decimals from $1 up, else up to 4 significant digits with at
 * least 2 decimals ("$0.20", "$0.04", "$0.0002", "$130.00"). */
static const char *money(char buf[48], double v)
{
    if (!isfinite(v)) {
        snprintf(buf, 48, "-");
        return buf;
    }
    const char *sign = v < 0 ? "-" : "";
    double a = fabs(v);
    char tmp[40];
    if (a >= 1 || a == 0) {
        snprintf(tmp, sizeof tmp, "%.2f", a);
    } else {
        snprintf(tmp, sizeof tmp, "%.4g", a);
        char *dot = strchr(tmp, '.');
        if (dot && !strchr(tmp, 'e') && strlen(dot + 1) < 2)
            strcat(tmp, "0");
    }
    snprintf(buf, 48, "%s$%s", sign, tmp);
    return buf;
}

static void write_caching(struct writer *w, const struct ltk_cost_result *r)
{
    const struct ltk_cost_caching *c = &r->caching;
    double price = r->in.cost_per_call;
    char a[48], b[48];
    pr(w, "API calls and caching\n");
    pr(w, "  %-26s %s\n", "requests", num(a, r->in.requests, 4));
    pr(w, "  %-26s %s%%%s\n", "cache hit rate", num(a, c->hit_rate * 100, 4),
       given(r->in.hit_rate) ? "" : " (no cache given)");
    pr(w, "  %-26s %s\n", "cache hits", num(a, c->cache_hits, 4));
    pr(w, "  %-26s %s (%s without the cache)\n", "API calls", num(a, c->api_calls, 4),
       num(b, r->in.requests, 4));
    if (given(price)) {
        pr(w, "  %-26s %s\n", "cost per API call", money(a, price));
        pr(w, "  %-26s %s (%s without the cache)\n", "cost", money(a, c->cost), money(b, c->cost_without_cache));
        pr(w, "  %-26s %s", "savings", money(a, c->savings));
        if (isfinite(c->savings_pct))
            pr(w, " (%s%%)", num(b, c->savings_pct, 2));
        pr(w, "\n");
    }
    if (c->batching) {
        if (given(r->in.batch_size))
            pr(w, "  %-26s %s texts per call: %s%% fewer calls\n", "batching", num(a, r->in.batch_size, 0),
               num(b, c->batch_reduction * 100, 2));
        else
            pr(w, "  %-26s %s%% fewer calls\n", "batching", num(a, c->batch_reduction * 100, 2));
        pr(w, "  %-26s %s (%s saved)\n", "API calls after batching", num(a, c->batched_calls, 4),
           num(b, c->batch_calls_saved, 4));
        if (given(price))
            pr(w, "  %-26s %s\n", "cost after batching", money(a, c->batched_cost));
    }
}

/* Where an input came from, made safe for a terminal (it holds file names
 * and text read from files). */
static void put_source(struct writer *w, const char *what, const char *source)
{
    if (!*source)
        return;
    char safe[1024];
    ltk_quote_text(source, safe, sizeof safe);
    pr(w, "  %-26s %s\n", what, safe);
}

static void write_rate(struct writer *w, const struct ltk_cost_result *r, bool color)
{
    const struct ltk_cost_rate *x = &r->rate;
    char a[48], b[48], c[48];
    pr(w, "Rate limit\n");
    pr(w, "  %-26s %s, each sending %s requests/s\n", "users", num(a, r->in.users, 0), num(b, r->in.rate_per_user, 4));
    put_source(w, "rate per user from", r->in.rate_source);
    pr(w, "  %-26s %s requests/s = %s requests/min\n", "load", num(a, x->qps, 4), num(b, x->qpm, 4));
    pr(w, "  %-26s %s requests/min\n", "provider limit", num(a, r->in.limit_rpm, 4));
    pr(w, "  %-26s %s%% of the limit\n", "utilisation", num(a, x->utilisation_pct, 2));
    pr(w, "  %-26s %s requests/min (%s%% of the limit)\n", "headroom", num(a, x->headroom_qpm, 4),
       num(b, x->headroom_pct, 2));
    pr(w, "  %-26s %s (the limit is reached at %s users)\n", "most users within limit", num(a, x->max_users, 0),
       num(b, x->users_at_limit, 2));
    if (x->cached) {
        pr(w, "  %-26s %s requests/min reach the provider (%s%% hits; %s%% of the limit)\n", "after the cache",
           num(a, x->provider_qpm, 4), num(b, r->in.hit_rate * 100, 2), num(c, x->provider_utilisation_pct, 2));
        pr(w, "  %-26s %s requests/min (%s%% of the limit)\n", "headroom after the cache",
           num(a, x->provider_headroom_qpm, 4), num(b, x->provider_headroom_pct, 2));
        if (isfinite(x->max_users_with_cache))
            pr(w, "  %-26s %s\n", "most users with the cache", num(a, x->max_users_with_cache, 0));
        else
            pr(w, "  %-26s %s\n", "most users with the cache", "no limit (every request is a cache hit)");
    }
    double load = x->cached ? x->provider_qpm : x->qpm;
    const char *on = color ? (x->exceeded ? "\x1b[1;31m" : "\x1b[1;32m") : "", *off = color ? "\x1b[0m" : "";
    if (x->exceeded)
        pr(w, "  %sLIMIT EXCEEDED%s: %s requests/min reach the provider, %s over the %s RPM limit\n", on, off,
           num(a, load, 4), num(b, x->exceeded_by_qpm, 4), num(c, r->in.limit_rpm, 4));
    else
        pr(w, "  %swithin the limit%s: %s of %s requests/min\n", on, off, num(a, load, 4),
           num(b, r->in.limit_rpm, 4));
}

static void write_sizing(struct writer *w, const char *basis, double cap, double util,
                         const struct ltk_cost_sizing *z, const char *note)
{
    char a[48], b[48], c[48], d[48], e[128];
    snprintf(e, sizeof e, "%s at %s%%", basis, num(d, util * 100, 2));
    pr(w, "    %-24s %9s %15s %10s %12s%s\n", e, num(a, cap, 4), num(b, z->users_per_instance, 4),
       num(c, z->instances, 0), money(d, z->monthly_cost), note);
}

static void write_scaling(struct writer *w, const struct ltk_cost_result *r, bool color)
{
    const struct ltk_cost_scaling *s = &r->scaling;
    char a[48], b[48], c[48], d[48];
    pr(w, "Scaling plan\n");
    pr(w, "  %-26s %s users\n", "target", num(a, r->in.target_users, 0));
    pr(w, "  %-26s %s users%s%s\n", "capacity per instance", num(a, r->in.capacity_per_instance, 4),
       r->in.slo[0] ? " at " : "", r->in.slo);
    put_source(w, "capacity from", r->in.capacity_source);
    if (given(r->in.stress_capacity))
        pr(w, "  %-26s %s users at error_rate<=5%% (the stress criterion; for comparison only)\n",
           "stress capacity", num(a, r->in.stress_capacity, 4));
    pr(w, "  %-26s %s%% of capacity: plan %s users per instance\n", "target utilisation",
       num(a, s->utilisation * 100, 2), num(b, s->users_per_instance, 4));
    pr(w, "  %-26s %s (hold %s users at 100%%, %s spare; %s%% used)\n", "instances", num(a, s->instances, 0),
       num(b, s->fleet_capacity, 4), num(c, s->spare_users, 4), num(d, s->fleet_utilisation_pct, 2));
    pr(w, "  %-26s min %s, max %s", "replicas", num(a, s->min_replicas, 0), num(b, s->max_replicas, 0));
    if (s->exceeds_max) {
        const char *on = color ? "\x1b[1;31m" : "", *off = color ? "\x1b[0m" : "";
        pr(w, ": %sABOVE THE MAXIMUM%s: %s replicas hold %s users at %s%%; raise --max-replicas to %s, or "
              "make each instance hold more\n",
           on, off, num(a, s->max_replicas, 0), num(b, s->max_replicas_users, 4), num(c, s->utilisation * 100, 2),
           num(d, s->instances, 0));
    } else {
        pr(w, "\n");
    }
    pr(w, "  %-26s %s/month (%s x %s)\n", "instance cost", money(a, s->instance_cost), num(b, s->instances, 0),
       money(c, r->in.instance_price));
    pr(w, "  %-26s %s/month\n", "fixed costs", money(a, s->fixed_cost));
    pr(w, "  %-26s %s/month (%s per user)\n", "total", money(a, s->monthly_cost), money(b, s->cost_per_user));
    if (isfinite(s->cost_per_1000_requests))
        pr(w, "  %-26s %s (at %s requests/month)\n", "cost per 1000 requests", money(a, s->cost_per_1000_requests),
           num(b, r->in.requests_per_month, 4));
    const char *basis = r->in.slo[0] ? "SLO capacity" : "capacity";
    pr(w, "  compared (instances at least the minimum; total per month):\n");
    pr(w, "    %-24s %9s %15s %10s %12s\n", "basis", "capacity", "users/instance", "instances", "total");
    struct ltk_cost_sizing plan = { s->users_per_instance, s->instances, s->monthly_cost };
    write_sizing(w, basis, r->in.capacity_per_instance, s->utilisation, &plan, "  <- the plan");
    write_sizing(w, basis, r->in.capacity_per_instance, 1, &s->at_full, "  (no headroom)");
    if (given(r->in.stress_capacity))
        write_sizing(w, "stress capacity", r->in.stress_capacity, 1, &s->stress,
                     r->in.slo[0] ? "  (fails the SLO)" : "");
}

/* Months as "1.43 months" or "now". */
static const char *when(char buf[64], double m)
{
    char n[48];
    if (m == 0)
        snprintf(buf, 64, "now (already there)");
    else
        snprintf(buf, 64, "in %s months", num(n, m, 2));
    return buf;
}

static void write_runway(struct writer *w, const struct ltk_cost_result *r, bool color)
{
    const struct ltk_cost_runway *x = &r->runway;
    char a[48], b[64], c[48], d[48];
    int dec = x->cpu ? 2 : 4;
    double k = x->cpu ? 100 : 1; /* CPU shares shown in % */
    const char *unit = x->cpu ? "% CPU" : " users";
    pr(w, "Growth runway\n");
    pr(w, "  %-26s %s%s\n", "load now", num(a, x->current * k, dec), unit);
    if (given(r->in.growth))
        pr(w, "  %-26s %s%% a month (compounding)\n", "growth", num(a, x->growth * 100, 2));
    else
        pr(w, "  %-26s %s%% a month (compounding: %s%s in %s months)\n", "growth", num(a, x->growth * 100, 2),
           num(b, (x->cpu ? r->in.future_cpu : r->in.future_users) * k, dec), unit, num(c, r->in.months, 4));
    if (!x->cpu) {
        pr(w, "  %-26s %s users (%s x %s per instance%s%s)\n", "capacity", num(a, x->full_load, 4),
           num(b, given(r->in.instances_now) ? r->in.instances_now : 1, 0), num(c, r->in.capacity_per_instance, 4),
           r->in.slo[0] ? " at " : "", r->in.slo);
        if (!r->scaling.present)
            put_source(w, "capacity from", r->in.capacity_source);
    }
    pr(w, "  %-26s %s%s %s (the module: scale or upgrade from here)\n", "target utilisation reached",
       num(a, x->target_load * k, dec), unit, when(b, x->months_to_target));
    pr(w, "  %-26s %s%s %s\n", "capacity runs out", num(a, x->full_load * k, dec), unit, when(b, x->months_to_full));
    if (!x->cpu)
        pr(w, "  %-26s %s users %s (the module: load testing pays off above %s concurrent users)\n",
           "break-even users reached", num(a, module.break_even_users, 0), when(b, x->months_to_break_even),
           num(c, module.break_even_users, 0));
    if (isfinite(x->upgraded_months_to_full))
        pr(w, "  %-26s %sx the capacity runs out %s\n", "after the upgrade", num(a, r->in.upgrade_factor, 4),
           when(b, x->upgraded_months_to_full));
    if (x->costed) {
        const char *on = color ? "\x1b[1m" : "", *off = color ? "\x1b[0m" : "";
        pr(w, "  %-26s %s over %s months: %s/month above capacity for %s months\n", "without the upgrade",
           money(a, x->cost_without_upgrade), num(b, x->horizon, 4), money(c, r->in.shortfall_cost),
           num(d, fmax(0, x->horizon - x->months_to_full), 2));
        pr(w, "  %-26s %s over %s months: %s/month from the target utilisation on", "with the upgrade",
           money(a, x->cost_with_upgrade), num(b, x->horizon, 4), money(c, r->in.upgrade_cost));
        if (isfinite(x->upgraded_months_to_full) && x->upgraded_months_to_full < x->horizon)
            pr(w, ", then above the upgraded capacity for %s months", num(a, x->horizon - x->upgraded_months_to_full, 2));
        pr(w, "\n  %s%s%s", on, x->pays_off ? "the upgrade pays off" : "the upgrade does not pay off", off);
        if (isfinite(x->break_even_shortfall))
            pr(w, " (it does when a month above capacity costs more than %s)", money(a, x->break_even_shortfall));
        pr(w, "\n");
    }
}

static void write_journey(struct writer *w)
{
    const struct ltk_cost_module *m = &module;
    struct ltk_cost_journey j;
    ltk_cost_journey_totals(&j);
    char a[48], b[48], c[48], d[64], e[48], f2[48], g[48];
    pr(w, "Optimisation journey (the module, Section 5)\n");
    pr(w, "  %-10s  %-38s  %5s  %4s  %12s  %12s\n", "step", "change", "users", "gain", "added/month",
       "total/month");
    double total = 0;
    for (size_t i = 0; i < m->nsteps; i++) {
        const struct ltk_cost_step *s = &m->steps[i];
        total += s->added_cost;
        snprintf(d, sizeof d, "%sx", num(c, s->capacity_users / j.start_users, 2));
        pr(w, "  %-10s  %-38s  %5s  %4s  %12s  %12s\n", s->name, s->change, num(a, s->capacity_users, 0), d,
           i ? money(b, s->added_cost) : "-", i ? money(c, total) : "-");
    }
    for (size_t i = 1; i < m->nsteps; i++)
        if (m->steps[i].note)
            pr(w, "  %s: %s\n", m->steps[i].name, m->steps[i].note);
    pr(w, "  total: %s -> %s users (%sx) for %s/month more (%s per added user); %s h %s min of work\n",
       num(a, j.start_users, 0), num(b, j.end_users, 0), num(c, j.gain, 2), money(d, j.total_added_cost),
       money(e, j.cost_per_added_user), num(f2, floor(j.total_minutes / 60), 0),
       num(g, fmod(j.total_minutes, 60), 0));
    pr(w, "\nVertical scaling of one instance (the module, Section 5)\n");
    for (size_t i = 0; i < m->nvertical; i++)
        pr(w, "  %-18s %5s users  %sx%s\n", m->vertical[i].size, num(a, m->vertical[i].capacity_users, 0),
           num(b, m->vertical[i].capacity_users / m->vertical[0].capacity_users, 2),
           i + 1 == m->nvertical ? "  (the ceiling: scale out from here)" : "");
    const struct ltk_cost_size *f = &m->upgrade_from, *t = &m->upgrade_to;
    pr(w, "\nUpgrade decision (the module, Section 6)\n");
    pr(w, "  %-18s %5s users  %8s/month  %s per user\n", f->size, num(a, f->capacity_users, 0), money(b, f->price),
       money(c, f->price / f->capacity_users));
    pr(w, "  %-18s %5s users  %8s/month  %s per user\n", t->size, num(a, t->capacity_users, 0), money(b, t->price),
       money(c, t->price / t->capacity_users));
    pr(w, "  +%s/month for %sx the users (+%s users)\n", money(a, t->price - f->price),
       num(b, t->capacity_users / f->capacity_users, 2), num(c, t->capacity_users - f->capacity_users, 0));
}

int ltk_cost_write_table(FILE *out, const struct ltk_cost_result *r, bool color)
{
    struct writer w = { out, false };
    bool first = true;
    if (r->caching.present) {
        write_caching(&w, r);
        first = false;
    }
    if (r->rate.present) {
        pr(&w, "%s", first ? "" : "\n");
        write_rate(&w, r, color);
        first = false;
    }
    if (r->scaling.present) {
        pr(&w, "%s", first ? "" : "\n");
        write_scaling(&w, r, color);
        first = false;
    }
    if (r->runway.present) {
        pr(&w, "%s", first ? "" : "\n");
        write_runway(&w, r, color);
        first = false;
    }
    if (r->journey) {
        pr(&w, "%s", first ? "" : "\n");
        write_journey(&w);
    }
    return w.failed ? LTK_EIO : LTK_OK;
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_sizing(struct ltk_jb *b, cJSON *doc, const char *key, const struct ltk_cost_sizing *z)
{
    if (!isfinite(z->instances)) {
        if (!cJSON_AddNullToObject(doc, key))
            b->failed = true;
        return;
    }
    cJSON *o = ltk_jb_obj(b, doc, key);
    if (!o)
        return;
    ltk_jb_num(b, o, "users_per_instance", z->users_per_instance);
    ltk_jb_num(b, o, "instances", z->instances);
    ltk_jb_num(b, o, "monthly_cost", z->monthly_cost);
}

static void json_size(struct ltk_jb *b, cJSON *o, const struct ltk_cost_size *s)
{
    if (!o)
        return;
    ltk_jb_str(b, o, "size", s->size);
    ltk_jb_num(b, o, "capacity_users", s->capacity_users);
    ltk_jb_num(b, o, "price_per_month", s->price);
    ltk_jb_num(b, o, "cost_per_user", ltk_cost_tidy(s->price / s->capacity_users));
}

static void json_journey(struct ltk_jb *b, cJSON *doc)
{
    const struct ltk_cost_module *m = &module;
    struct ltk_cost_journey j;
    ltk_cost_journey_totals(&j);
    cJSON *o = ltk_jb_obj(b, doc, "journey");
    if (!o)
        return;
    ltk_jb_str(b, o, "source", "module Section 5, optimisation journey");
    cJSON *steps = ltk_jb_arr(b, o, "steps");
    double total = 0;
    for (size_t i = 0; steps && i < m->nsteps; i++) {
        const struct ltk_cost_step *s = &m->steps[i];
        cJSON *e = ltk_jb_obj(b, steps, NULL);
        if (!e)
            break;
        total += s->added_cost;
        double added_users = i ? s->capacity_users - m->steps[i - 1].capacity_users : NAN;
        ltk_jb_str(b, e, "name", s->name);
        ltk_jb_str(b, e, "change", s->change);
        ltk_jb_num(b, e, "capacity_users", s->capacity_users);
        ltk_jb_num(b, e, "gain", ltk_cost_tidy(s->capacity_users / j.start_users));
        ltk_jb_num(b, e, "added_users", added_users);
        ltk_jb_num(b, e, "added_cost_per_month", s->added_cost);
        ltk_jb_num(b, e, "total_added_cost_per_month", ltk_cost_tidy(total));
        ltk_jb_num(b, e, "cost_per_added_user", added_users > 0 ? ltk_cost_tidy(s->added_cost / added_users) : NAN);
        ltk_jb_num(b, e, "minutes", s->minutes);
        ltk_jb_str(b, e, "note", s->note);
    }
    ltk_jb_num(b, o, "start_users", j.start_users);
    ltk_jb_num(b, o, "end_users", j.end_users);
    ltk_jb_num(b, o, "gain", j.gain);
    ltk_jb_num(b, o, "total_added_cost_per_month", j.total_added_cost);
    ltk_jb_num(b, o, "cost_per_added_user", j.cost_per_added_user);
    ltk_jb_num(b, o, "total_minutes", j.total_minutes);
    ltk_jb_num(b, o, "cache_hit_rate", module.cache_hit_rate);
    ltk_jb_num(b, o, "batch_call_reduction", module.journey_batch_call_reduction);
    cJSON *v = ltk_jb_arr(b, o, "vertical_progression");
    for (size_t i = 0; v && i < m->nvertical; i++) {
        cJSON *e = ltk_jb_obj(b, v, NULL);
        if (!e)
            break;
        ltk_jb_str(b, e, "size", m->vertical[i].size);
        ltk_jb_num(b, e, "capacity_users", m->vertical[i].capacity_users);
        ltk_jb_num(b, e, "gain", ltk_cost_tidy(m->vertical[i].capacity_users / m->vertical[0].capacity_users));
    }
    cJSON *u = ltk_jb_obj(b, o, "upgrade");
    if (u) {
        const struct ltk_cost_size *f = &m->upgrade_from, *t = &m->upgrade_to;
        ltk_jb_str(b, u, "source", "module Section 6, infrastructure investment decision");
        json_size(b, ltk_jb_obj(b, u, "from"), f);
        json_size(b, ltk_jb_obj(b, u, "to"), t);
        ltk_jb_num(b, u, "added_cost_per_month", ltk_cost_tidy(t->price - f->price));
        ltk_jb_num(b, u, "added_users", ltk_cost_tidy(t->capacity_users - f->capacity_users));
        ltk_jb_num(b, u, "gain", ltk_cost_tidy(t->capacity_users / f->capacity_users));
    }
}

cJSON *ltk_cost_to_json(const struct ltk_cost_result *r)
{
    struct ltk_jb b = { false };
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    ltk_jb_str(&b, doc, "schema", LTK_COST_SCHEMA);
    cJSON *in = ltk_jb_obj(&b, doc, "inputs");
    for (size_t i = 0; in && i < NFIELDS; i++)
        ltk_jb_num(&b, in, fields[i].key, get(&r->in, i));
    if (in) {
        ltk_jb_bool(&b, in, "journey", r->in.journey);
        ltk_jb_str(&b, in, "capacity_source", r->in.capacity_source[0] ? r->in.capacity_source : NULL);
        ltk_jb_str(&b, in, "rate_source", r->in.rate_source[0] ? r->in.rate_source : NULL);
        ltk_jb_str(&b, in, "slo", r->in.slo[0] ? r->in.slo : NULL);
    }
    if (r->caching.present) {
        const struct ltk_cost_caching *c = &r->caching;
        ltk_jb_num(&b, doc, "cache_hits", c->cache_hits);
        ltk_jb_num(&b, doc, "api_calls", c->api_calls);
        ltk_jb_num(&b, doc, "api_calls_without_cache", r->in.requests);
        ltk_jb_num(&b, doc, "cost", c->cost);
        ltk_jb_num(&b, doc, "cost_without_cache", c->cost_without_cache);
        ltk_jb_num(&b, doc, "savings", c->savings);
        ltk_jb_num(&b, doc, "savings_pct", c->savings_pct);
        if (c->batching) {
            ltk_jb_num(&b, doc, "batch_reduction", c->batch_reduction);
            ltk_jb_num(&b, doc, "batched_api_calls", c->batched_calls);
            ltk_jb_num(&b, doc, "batch_calls_saved", c->batch_calls_saved);
            ltk_jb_num(&b, doc, "batched_cost", c->batched_cost);
        }
    }
    if (r->rate.present) {
        const struct ltk_cost_rate *x = &r->rate;
        ltk_jb_num(&b, doc, "qps", x->qps);
        ltk_jb_num(&b, doc, "qpm", x->qpm);
        ltk_jb_num(&b, doc, "utilisation_pct", x->utilisation_pct);
        ltk_jb_num(&b, doc, "headroom_qpm", x->headroom_qpm);
        ltk_jb_num(&b, doc, "headroom_pct", x->headroom_pct);
        ltk_jb_num(&b, doc, "users_at_limit", x->users_at_limit);
        ltk_jb_num(&b, doc, "max_users", x->max_users);
        if (x->cached) {
            ltk_jb_num(&b, doc, "provider_qpm", x->provider_qpm);
            ltk_jb_num(&b, doc, "provider_utilisation_pct", x->provider_utilisation_pct);
            ltk_jb_num(&b, doc, "provider_headroom_qpm", x->provider_headroom_qpm);
            ltk_jb_num(&b, doc, "provider_headroom_pct", x->provider_headroom_pct);
            ltk_jb_num(&b, doc, "max_users_with_cache", x->max_users_with_cache);
        }
        ltk_jb_bool(&b, doc, "limit_exceeded", x->exceeded);
        ltk_jb_num(&b, doc, "exceeded_by_qpm", x->exceeded_by_qpm);
    }
    if (r->scaling.present) {
        const struct ltk_cost_scaling *s = &r->scaling;
        ltk_jb_str(&b, doc, "capacity_basis", r->in.slo[0] ? "slo" : "given");
        ltk_jb_num(&b, doc, "target_utilisation", s->utilisation);
        ltk_jb_num(&b, doc, "users_per_instance", s->users_per_instance);
        ltk_jb_num(&b, doc, "instances_needed", s->instances_needed);
        ltk_jb_num(&b, doc, "instances", s->instances);
        ltk_jb_num(&b, doc, "min_replicas", s->min_replicas);
        ltk_jb_num(&b, doc, "max_replicas", s->max_replicas);
        ltk_jb_bool(&b, doc, "exceeds_max_replicas", s->exceeds_max);
        ltk_jb_num(&b, doc, "max_replicas_users", s->max_replicas_users);
        ltk_jb_num(&b, doc, "fleet_capacity_users", s->fleet_capacity);
        ltk_jb_num(&b, doc, "spare_users", s->spare_users);
        ltk_jb_num(&b, doc, "fleet_utilisation_pct", s->fleet_utilisation_pct);
        json_sizing(&b, doc, "at_full_capacity", &s->at_full);
        json_sizing(&b, doc, "at_stress_capacity", &s->stress);
        ltk_jb_num(&b, doc, "instance_cost_per_month", s->instance_cost);
        ltk_jb_num(&b, doc, "fixed_cost_per_month", s->fixed_cost);
        ltk_jb_num(&b, doc, "monthly_cost", s->monthly_cost);
        ltk_jb_num(&b, doc, "cost_per_user_month", s->cost_per_user);
        ltk_jb_num(&b, doc, "cost_per_1000_requests", s->cost_per_1000_requests);
    }
    if (r->runway.present) {
        const struct ltk_cost_runway *x = &r->runway;
        cJSON *o = ltk_jb_obj(&b, doc, "runway");
        if (o) {
            ltk_jb_str(&b, o, "load", x->cpu ? "cpu" : "users");
            ltk_jb_num(&b, o, "current", x->current);
            ltk_jb_num(&b, o, "growth_per_month", x->growth);
            ltk_jb_num(&b, o, "target_load", x->target_load);
            ltk_jb_num(&b, o, "full_load", x->full_load);
            ltk_jb_num(&b, o, "months_to_target", x->months_to_target);
            ltk_jb_num(&b, o, "months_to_full", x->months_to_full);
            ltk_jb_num(&b, o, "months_to_break_even_users", x->months_to_break_even);
            ltk_jb_num(&b, o, "upgraded_months_to_full", x->upgraded_months_to_full);
            ltk_jb_num(&b, o, "horizon_months", x->costed ? x->horizon : NAN);
            ltk_jb_num(&b, o, "cost_without_upgrade", x->cost_without_upgrade);
            ltk_jb_num(&b, o, "cost_with_upgrade", x->cost_with_upgrade);
            if (x->costed)
                ltk_jb_bool(&b, o, "upgrade_pays_off", x->pays_off);
            else if (!cJSON_AddNullToObject(o, "upgrade_pays_off"))
                b.failed = true;
            ltk_jb_num(&b, o, "break_even_shortfall_cost", x->break_even_shortfall);
        }
    }
    if (r->journey)
        json_journey(&b, doc);
    if (b.failed) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* ---- the autoscaler --------------------------------------------------------- */

#define HPA_DEFAULT_DEPLOYMENT "rag-api" /* the module's example */
#define HPA_DEFAULT_QUEUE_METRIC "request_queue_depth"

const char *ltk_cost_k8s_name_problem(const char *name, bool label)
{
    size_t n = name ? strlen(name) : 0, max = label ? 63 : 253;
    if (n == 0)
        return "is empty";
    if (n > max)
        return label ? "is longer than 63 characters" : "is longer than 253 characters";
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && c != '-' && !(c == '.' && !label))
            return label ? "may hold only lower-case letters, digits and '-'"
                         : "may hold only lower-case letters, digits, '-' and '.'";
        if (!alnum && (i == 0 || i + 1 == n))
            return "must start and end with a lower-case letter or a digit";
        if (c == '.' && (name[i + 1] == '.' || name[i + 1] == '-' || name[i - 1] == '-'))
            return "must have a letter or digit on both sides of each '.'";
    }
    return NULL;
}

const char *ltk_cost_metric_name_problem(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0)
        return "is empty";
    if (n > 200)
        return "is longer than 200 characters";
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                  (i > 0 && c >= '0' && c <= '9');
        if (!ok)
            return "must match [A-Za-z_:][A-Za-z0-9_:]* (a Prometheus metric name)";
    }
    return NULL;
}

struct hpa_names {
    const char *deployment, *ns, *metric;
    char name[300];
};

static int hpa_names(const struct ltk_cost_hpa *h, struct hpa_names *o, struct ltk_error *err)
{
    o->deployment = h && h->deployment ? h->deployment : HPA_DEFAULT_DEPLOYMENT;
    o->ns = h ? h->ns : NULL;
    o->metric = h && h->queue_metric ? h->queue_metric : HPA_DEFAULT_QUEUE_METRIC;
    const char *why;
    char safe[128];
#define SAFE(x) (ltk_quote_text((x), safe, sizeof safe), safe)
    if ((why = ltk_cost_k8s_name_problem(o->deployment, false)))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--deployment %s is not a Kubernetes name: it %s",
                             SAFE(o->deployment), why);
    if (h && h->name)
        snprintf(o->name, sizeof o->name, "%s", h->name);
    else
        snprintf(o->name, sizeof o->name, "%s-hpa", o->deployment);
    if ((why = ltk_cost_k8s_name_problem(o->name, false)))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "%s %s is not a Kubernetes name: it %s",
                             h && h->name ? "--hpa-name" : "the HPA name (--deployment + '-hpa')",
                             SAFE(o->name), why);
    if (o->ns && (why = ltk_cost_k8s_name_problem(o->ns, true)))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--namespace %s is not a Kubernetes namespace: it %s",
                             SAFE(o->ns), why);
    if ((why = ltk_cost_metric_name_problem(o->metric)))
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "--queue-metric %s %s",
                             SAFE(o->metric), why);
#undef SAFE
    return LTK_OK;
}

int ltk_cost_hpa_validate(const struct ltk_cost_hpa *h, struct ltk_error *err)
{
    struct hpa_names n;
    return hpa_names(h, &n, err);
}

int ltk_cost_write_hpa(FILE *out, const struct ltk_cost_result *r, const struct ltk_cost_hpa *h,
                       struct ltk_error *err)
{
    if (!r->scaling.present)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "--hpa needs a scaling plan (--capacity-per-instance, --capacity or --capacity-run; "
                             "--target-users; --instance-price)");
    struct hpa_names n;
    int rc = hpa_names(h, &n, err);
    if (rc)
        return rc;
    const struct ltk_cost_scaling *s = &r->scaling;
    const struct ltk_cost_module *m = &module;
    struct writer w = { out, false };
    char a[48], b[48], c[48], d[48];
    /* names are validated (letters, digits, '-', '.', '_', ':'): single quotes need no escaping */
    pr(&w, "# ltk cost --hpa: %s users at %s users per instance (%s%% of %s)", num(a, r->in.target_users, 0),
       num(b, s->users_per_instance, 4), num(c, s->utilisation * 100, 2), num(d, r->in.capacity_per_instance, 4));
    pr(&w, ", %s replicas needed\n", num(a, s->instances, 0));
    if (s->exceeds_max)
        pr(&w, "# WARNING: maxReplicas %s holds only %s users; the target needs %s\n", num(a, s->max_replicas, 0),
           num(b, s->max_replicas_users, 4), num(c, s->instances, 0));
    pr(&w, "# thresholds and windows: the module, Section 5, Strategy 5; its \"CPU > 70%% sustained for %s min\"\n"
           "# has no HPA field: the windows below are the module's own\n",
       num(a, m->hpa_cpu_sustain_s / 60, 0));
    pr(&w, "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: '%s'\n", n.name);
    if (n.ns)
        pr(&w, "  namespace: '%s'\n", n.ns);
    pr(&w, "spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: '%s'\n", n.deployment);
    pr(&w, "  minReplicas: %s\n  maxReplicas: %s\n", num(a, s->min_replicas, 0), num(b, s->max_replicas, 0));
    pr(&w, "  metrics:\n"
           "  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n"
           "        averageUtilization: %s\n",
       num(a, round(s->utilisation * 100), 0));
    pr(&w, "  - type: Resource\n    resource:\n      name: memory\n      target:\n        type: Utilization\n"
           "        averageUtilization: %s\n",
       num(a, round(m->hpa_memory_utilisation * 100), 0));
    pr(&w, "  - type: Pods\n    pods:\n      metric:\n        name: '%s'\n      target:\n        type: AverageValue\n"
           "        averageValue: '%s'\n",
       n.metric, num(a, m->hpa_queue_depth, 0));
    pr(&w, "  behavior:\n    scaleUp:\n      stabilizationWindowSeconds: %s\n    scaleDown:\n"
           "      stabilizationWindowSeconds: %s\n",
       num(a, m->hpa_scale_up_window_s, 0), num(b, m->hpa_scale_down_window_s, 0));
    return w.failed ? ltk_error_set(err, LTK_EIO, NULL, 0, 0, "cannot write the manifest") : LTK_OK;
}
