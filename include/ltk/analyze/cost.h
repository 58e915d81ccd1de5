/* Capacity and cost planning in the teaching module's terms (its Sections 4,
 * 5 and 6): what a cache saves on paid API calls, what batching saves, how a
 * user load compares with a provider's requests-per-minute limit, how many
 * instances a target user count needs and what they cost per month, and the
 * module's optimisation journey as a table.
 *
 * Every number and rule taken from the module lives in lib/analyze/cost.c, in one
 * table (ltk_cost_module()).  Inputs come from options or a JSON plan file;
 * absent inputs are NAN.  Derived figures are rounded to 12 significant
 * digits (LTK_COST_DIGITS) so binary floating-point noise never shows:
 * 1000 x (1 - 0.8) x 0.0002 is reported as 0.04, not 0.039999999999999994.
 *
 * The library never prints to the terminal on its own and never exits; it
 * writes only to the FILE* it is given. */
#ifndef LTK_COST_H
#define LTK_COST_H

#include <stdbool.h>
#include <stdio.h>

#include "ltk/base/error.h"
#include "ltk/base/json.h"
#include "ltk/model/run.h"

#define LTK_COST_SCHEMA "ltk.cost/2"
#define LTK_COST_PLAN_SCHEMA "ltk.cost-plan/1"
#define LTK_COST_DIGITS 12          /* significant digits kept in derived figures */
#define LTK_COST_MAX_VALUE 1e15     /* larger inputs are refused */
#define LTK_COST_MAX_PLAN_BYTES (1L << 20)

/* What the user asked about.  Every number is NAN when not given. */
struct ltk_cost_input {
    /* API calls and caching */
    double requests;              /* requests (queries) in the period considered */
    double hit_rate;              /* cache hit rate, 0..1 */
    double cost_per_call;         /* USD per paid API call */
    double batch_size;            /* texts per embedding call (whole, >= 1) */
    double batch_reduction;       /* share of calls batching removes, 0..1 (exclusive) */
    /* rate limit */
    double users;                 /* concurrent users (whole, >= 1) */
    double rate_per_user;         /* requests per user per second */
    double limit_rpm;             /* provider limit, requests per minute */
    /* scaling plan */
    double capacity_per_instance; /* users one instance holds (measured) */
    double target_users;          /* users to serve (whole, >= 1) */
    double instance_price;        /* USD per instance per month */
    double fixed_cost;            /* USD per month independent of instances (cache...) */
    double requests_per_month;    /* for the cost per 1000 requests */
    double target_utilisation;    /* share of an instance's capacity to plan at (module: 0.7) */
    double min_replicas;          /* fewest instances (module Section 5 HPA: 2) */
    double max_replicas;          /* most instances, the cost limit (module: 10) */
    double stress_capacity;       /* users one instance holds at error rate <= 5 %, for comparison */
    /* growth runway */
    double current_users;         /* concurrent users now (with capacity_per_instance x instances) */
    double current_cpu;           /* CPU utilisation now, 0..1 (capacity: 100 % CPU) */
    double future_users;          /* expected users after --months */
    double future_cpu;            /* expected CPU after --months */
    double months;                /* when the future load is expected */
    double growth;                /* growth per month, compounding (instead of future + months) */
    double instances_now;         /* instances serving current_users (default 1) */
    double upgrade_factor;        /* capacity after the upgrade / capacity now (> 1) */
    double upgrade_cost;          /* USD per month the upgrade adds */
    double shortfall_cost;        /* USD per month of running above capacity (lost revenue, penalties) */
    double horizon;               /* months the costs are compared over (default 12) */
    /* the module's optimisation journey table */
    bool journey;
    /* where an input came from when it was not typed ("" when typed) */
    char capacity_source[512];    /* ltk_cost_capacity_from_file */
    char rate_source[512];        /* ltk_cost_rate_from_run */
    char slo[288];                /* the criterion capacity_per_instance meets ("" when typed) */
};

/* What values an input accepts. */
enum ltk_cost_kind {
    LTK_COST_POSITIVE,    /* > 0 */
    LTK_COST_NONNEG,      /* >= 0 (prices) */
    LTK_COST_WHOLE,       /* a whole number >= 1 */
    LTK_COST_SHARE,       /* 0..1, also written as 0%..100% */
    LTK_COST_SHARE_LT1,   /* 0..1 excluding 1 (a reduction of every call is impossible) */
    LTK_COST_SHARE_POS,   /* above 0, at most 1 (a utilisation) */
    LTK_COST_RATE,        /* above 0, also written as a percentage (a growth rate) */
};

/* Describes one input: its plan-file key, its option and what it accepts. */
struct ltk_cost_field {
    const char *key;          /* "hit_rate" */
    const char *option;       /* "--hit-rate" */
    enum ltk_cost_kind kind;
    size_t offset;            /* of its double in struct ltk_cost_input */
};

/* The inputs, in the order of struct ltk_cost_input (journey excluded);
 * *n receives their number. */
const struct ltk_cost_field *ltk_cost_fields(size_t *n);

/* The slot of input i (0 <= i < n of ltk_cost_fields) in in. */
double *ltk_cost_slot(struct ltk_cost_input *in, size_t i);

/* Sets every number to NAN and journey to false. */
void ltk_cost_input_init(struct ltk_cost_input *in);

/* Parses a share: "0.8", "80%" or "80 %" are all 0.8.  Returns NULL on
 * success, else what was expected (for "expected ..., got 'x'").  The range
 * is checked by ltk_cost_validate, not here. */
const char *ltk_cost_parse_share(const char *s, double *out);

/* Reads a JSON plan file (schema "ltk.cost-plan/1", keys as in
 * ltk_cost_fields plus "journey": true) into in; keys already set in in
 * (from options) are kept, so options override the file.  Errors name the
 * file and, for a JSON syntax error, the line and column.  Returns LTK_OK,
 * LTK_EIO, LTK_EFORMAT, LTK_ELIMIT or LTK_ENOMEM. */
int ltk_cost_read_plan(struct ltk_cost_input *in, const char *path, struct ltk_error *err);

/* Same, from text already in memory (len bytes; name is used in messages). */
int ltk_cost_parse_plan(struct ltk_cost_input *in, const char *text, size_t len, const char *name,
                        struct ltk_error *err);

/* Sets capacity_per_instance, stress_capacity, slo and capacity_source from
 * an ltk.capacity/1 document (ltk capacity --json).  Its levels are
 * evaluated again by ltk_capacity_analyse: against the module's stress
 * criterion alone (error rate <= 5 %) for stress_capacity, and against slo
 * (conditions in ltk check's language, see ltk_capacity_slo_add) for
 * capacity_per_instance.  slo NULL: the conditions the file was made with
 * when ltk capacity had an --slo, else the module's load-test criteria
 * (ltk_cost_default_slo).  The capacity at a criterion is the measured one
 * (the largest level meeting it), else the USL prediction.  Returns LTK_OK,
 * LTK_EIO, LTK_EFORMAT (not such a document), LTK_EINVAL (a bad slo, or no
 * capacity at it) or LTK_ENOMEM. */
int ltk_cost_capacity_from_file(struct ltk_cost_input *in, const char *path, const char *slo,
                                struct ltk_error *err);

/* The same from a run: its load levels (ltk_capacity_levels_from_run with
 * default options) at both criteria.  label names the run in
 * capacity_source. */
int ltk_cost_capacity_from_run(struct ltk_cost_input *in, const struct ltk_run *run, const char *slo,
                               struct ltk_error *err);

/* The SLO capacity is planned at by default: the module's load-test
 * criteria (ltk check's built-in profile for "load"), comma-joined
 * ("p50<1s,p95<2s,p99<3s,error_rate<1%"). */
const char *ltk_cost_default_slo(void);

/* Sets rate_per_user from a run: requests (all, or of endpoint "/query" or
 * "POST /query") divided by user-seconds (users x time summed over the
 * Aggregated history ticks), the run's mean request rate per user;
 * rate_source says so.  Returns LTK_OK, LTK_EINVAL (no history, no such
 * endpoint, no requests) or LTK_ENOMEM. */
int ltk_cost_rate_from_run(struct ltk_cost_input *in, const struct ltk_run *run, const char *endpoint,
                           struct ltk_error *err);

/* Checks ranges and that each section has what it needs (for example
 * --users needs --rate-per-user and --limit-rpm).  Messages name options.
 * Returns LTK_OK or LTK_EINVAL. */
int ltk_cost_validate(const struct ltk_cost_input *in, struct ltk_error *err);

/* ---- results ------------------------------------------------------------ */

struct ltk_cost_caching {
    bool present;                 /* --requests was given */
    double hit_rate;              /* used: the input, or 0 without --hit-rate */
    double cache_hits;            /* requests x hit rate */
    double api_calls;             /* requests x (1 - hit rate) */
    double cost;                  /* api_calls x cost per call (NAN without a price) */
    double cost_without_cache;    /* requests x cost per call */
    double savings;               /* cost_without_cache - cost */
    double savings_pct;           /* savings share of cost_without_cache, % */
    bool batching;                /* --batch-size or --batch-reduction given */
    double batch_reduction;       /* share of calls batching removes */
    double batched_calls;         /* calls after the cache and batching */
    double batch_calls_saved;     /* api_calls - batched_calls */
    double batched_cost;          /* batched_calls x cost per call */
};

struct ltk_cost_rate {
    bool present;
    double qps, qpm;              /* the users' load, per second and per minute */
    double utilisation_pct;       /* qpm / limit, % */
    double headroom_qpm;          /* limit - qpm (negative when over) */
    double headroom_pct;          /* headroom / limit, % */
    double users_at_limit;        /* limit / (rate x 60): where the limit is reached */
    double max_users;             /* largest whole user count within the limit */
    bool cached;                  /* --hit-rate given: provider load after the cache */
    double provider_qpm;          /* qpm x (1 - hit rate) */
    double provider_utilisation_pct;
    double provider_headroom_qpm;
    double provider_headroom_pct;
    double max_users_with_cache;  /* NAN when every request is a hit (no limit) */
    bool exceeded;                /* the load reaching the provider is above the limit */
    double exceeded_by_qpm;       /* how much above, 0 when within */
};

/* One way to size the fleet, for the comparison table. */
struct ltk_cost_sizing {
    double users_per_instance;    /* capacity x utilisation */
    double instances;             /* max(min replicas, ceil(target / users_per_instance)) */
    double monthly_cost;          /* instances x price + fixed cost */
};

struct ltk_cost_scaling {
    bool present;
    double utilisation;           /* used: the input or the module's 0.7 */
    double min_replicas, max_replicas; /* used: the inputs or the module's 2 and 10 */
    double users_per_instance;    /* capacity per instance x utilisation: what the plan fills one to */
    double instances_needed;      /* ceil(target / users_per_instance) */
    double instances;             /* max(instances_needed, min_replicas) */
    bool exceeds_max;             /* instances > max_replicas */
    double max_replicas_users;    /* max_replicas x users_per_instance: what the limit holds */
    double fleet_capacity;        /* instances x capacity per instance (each filled to 100 %) */
    double spare_users;           /* fleet_capacity - target */
    double fleet_utilisation_pct; /* target / fleet_capacity, % */
    struct ltk_cost_sizing at_full;   /* the SLO (or typed) capacity filled to 100 % */
    struct ltk_cost_sizing stress;    /* the stress capacity at 100 % (NAN without one) */
    double instance_cost;         /* instances x instance price, per month */
    double fixed_cost;            /* the input, or 0 */
    double monthly_cost;          /* instance_cost + fixed_cost */
    double cost_per_user;         /* monthly_cost / target, per month */
    double cost_per_1000_requests;/* NAN without --requests-per-month */
};

/* When a measured capacity runs out at a growth rate (docs/cost.md, "Growth
 * runway").  Load L(t) = current x (1 + growth)^t, t in months. */
struct ltk_cost_runway {
    bool present;
    bool cpu;                     /* loads are CPU shares; else users */
    double current;               /* the load now */
    double growth;                /* per month: given, or (future / current)^(1 / months) - 1 */
    double target_load;           /* capacity x target utilisation (CPU: the utilisation itself) */
    double full_load;             /* capacity (CPU: 1) */
    double months_to_target;      /* ln(target / current) / ln(1 + growth); 0 when already there */
    double months_to_full;        /* the same for full_load */
    double months_to_break_even;  /* users: to the module's > 500 concurrent users; NAN for CPU */
    double upgraded_months_to_full; /* with upgrade_factor: when the upgraded capacity is full */
    bool costed;                  /* upgrade_cost and shortfall_cost given */
    double cost_without_upgrade;  /* shortfall x months above capacity within the horizon */
    double cost_with_upgrade;     /* upgrade cost from months_to_target to the horizon, plus shortfall
                                   * after the upgraded capacity is full */
    double horizon;               /* used: the input or 12 */
    bool pays_off;                /* cost_with_upgrade < cost_without_upgrade */
    double break_even_shortfall;  /* the shortfall cost per month above which the upgrade pays off */
};

struct ltk_cost_result {
    struct ltk_cost_input in;
    struct ltk_cost_caching caching;
    struct ltk_cost_rate rate;
    struct ltk_cost_scaling scaling;
    struct ltk_cost_runway runway;
    bool journey;
};

/* Computes every figure of a validated input. */
void ltk_cost_compute(const struct ltk_cost_input *in, struct ltk_cost_result *r);

/* Rounds v to LTK_COST_DIGITS significant digits (NAN/inf unchanged). */
double ltk_cost_tidy(double v);

/* ---- the module's numbers (Sections 4, 5, 6), as data ------------------- */

struct ltk_cost_step {
    const char *name;            /* "cache", "batch", "vertical", "horizontal"; "start" */
    const char *change;          /* what was done, in ltk's words */
    double capacity_users;       /* users the system holds after the step */
    double added_cost;           /* USD per month the step adds */
    double minutes;              /* implementation time */
    const char *note;            /* side effect worth knowing, or NULL */
};

struct ltk_cost_size {
    const char *size;            /* "2 CPU, 4 GB RAM" */
    double capacity_users;
    double price;                /* USD per month, NAN when the module gives none */
};

struct ltk_cost_module {
    /* Section 4 caching example */
    double cache_requests, cache_hit_rate, cache_cost_before, cache_cost_after, cache_calls_after;
    /* Section 4 rate-limit example, and the module's figures after its fixes */
    double rl_users, rl_rate_per_user, rl_limit_rpm, rl_qps, rl_qpm;
    double rl_fixed_hit_rate, rl_fixed_qpm_stated, rl_fixed_users, rl_cost_before, rl_cost_after;
    /* Section 5 optimisation journey: steps[0] is the starting point */
    const struct ltk_cost_step *steps;
    size_t nsteps;
    double journey_total_added_cost, journey_gain, journey_batch_call_reduction;
    /* Section 5 Strategy 2, Embedding Batching: "up to 2048 texts per batch" */
    double embedding_batch_max;
    /* Section 5 vertical scaling progression */
    const struct ltk_cost_size *vertical;
    size_t nvertical;
    /* Section 6 infrastructure decision: current plan, then the upgrade */
    struct ltk_cost_size upgrade_from, upgrade_to;
    /* Section 5, Strategy 5 (HPA): scale at CPU > 70 % (the plan's target
     * utilisation), memory > 80 %, request queue depth > 100; 2 to 10
     * replicas; wait 60 s before scaling up, 300 s before scaling down */
    double hpa_cpu_utilisation, hpa_memory_utilisation, hpa_queue_depth;
    double hpa_cpu_sustain_s;
    double hpa_min_replicas, hpa_max_replicas;
    double hpa_scale_up_window_s, hpa_scale_down_window_s;
    /* Section 1: load testing pays off for "systems expecting >500
     * concurrent users"; "Approaching capacity limits (e.g., 70% CPU
     * sustained)"; Section 6 growth signal: "currently 50%, will hit 80% in
     * 2 months" */
    double break_even_users, growth_example_from, growth_example_to, growth_example_months;
};

/* The module's worked numbers. */
const struct ltk_cost_module *ltk_cost_module(void);

/* Figures derived from the journey table. */
struct ltk_cost_journey {
    double start_users, end_users, gain;      /* 50, 900, 18 */
    double total_added_cost;                  /* 130 USD per month */
    double total_minutes;                     /* 425 */
    double cost_per_added_user;               /* total_added_cost / (end - start) */
};

void ltk_cost_journey_totals(struct ltk_cost_journey *j);

/* ---- the autoscaler (module Section 5, Strategy 5) ---------------------- */

/* What names the HorizontalPodAutoscaler manifest; NULL takes the default. */
struct ltk_cost_hpa {
    const char *deployment;   /* the Deployment scaled (default "rag-api", the module's) */
    const char *name;         /* the HPA's own name (default deployment + "-hpa") */
    const char *ns;           /* metadata.namespace; NULL: none written */
    const char *queue_metric; /* the per-pod queue-depth metric (default "request_queue_depth") */
};

/* Checks a Kubernetes object name: a DNS-1123 subdomain (lower-case
 * letters, digits, '-' and '.', starting and ending with a letter or digit,
 * at most 253 characters) or, label true, a DNS-1123 label (no '.', at
 * most 63).  Returns NULL when valid, else what is wrong. */
const char *ltk_cost_k8s_name_problem(const char *name, bool label);

/* Checks a metric name as Prometheus writes them ([A-Za-z_:][A-Za-z0-9_:]*,
 * at most 200 characters).  NULL when valid, else what is wrong. */
const char *ltk_cost_metric_name_problem(const char *name);

/* Checks every name of h (after defaults).  Messages name the option
 * (--deployment, --hpa-name, --namespace, --queue-metric).  Returns LTK_OK or
 * LTK_EINVAL. */
int ltk_cost_hpa_validate(const struct ltk_cost_hpa *h, struct ltk_error *err);

/* Writes an autoscaling/v2 HorizontalPodAutoscaler for the scaling plan of
 * r (which must have one): minReplicas and maxReplicas from the plan, CPU
 * averageUtilization at the plan's target utilisation, memory at the
 * module's 80 %, the queue-depth metric as a Pods metric averaging the
 * module's 100 per pod, the module's 60 s and 300 s stabilisation windows.
 * Every string is single-quoted YAML.  Returns LTK_OK, LTK_EINVAL (no plan,
 * or a name fails ltk_cost_hpa_validate) or LTK_EIO. */
int ltk_cost_write_hpa(FILE *out, const struct ltk_cost_result *r, const struct ltk_cost_hpa *h,
                       struct ltk_error *err);

/* ---- output ------------------------------------------------------------- */

/* The human tables, one per section computed.  color adds ANSI emphasis to
 * the verdict.  Returns LTK_OK or LTK_EIO. */
int ltk_cost_write_table(FILE *out, const struct ltk_cost_result *r, bool color);

/* The "ltk.cost/1" document.  Caller frees with cJSON_Delete; NULL on out
 * of memory. */
cJSON *ltk_cost_to_json(const struct ltk_cost_result *r);

#endif
