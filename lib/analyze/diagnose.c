/* Findings about a load test and module M3.4's bottleneck decision tree (see
 * ltk/analyze/diagnose.h).  The module's rules and recommendations are the two
 * tables at the top of this file; the code below only applies them. */
#include "ltk/analyze/diagnose.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/json.h"
#include "ltk/base/num.h"
#include "base/strutil.h"

/* ==== The module's rules, as data ========================================
 *
 * Module M3.4, Section 4, the "diagnose_bottleneck" cell: rules in the
 * module's order, the FIRST that holds decides.  The module's
 * "A or B" conditions are two rows each, in the same order, so the row that
 * matched is the evidence.  "connection" is matched ignoring ASCII case,
 * which gives the same result as the module's error_type.lower(). */

enum metric { M_ERROR_TYPE, M_CPU, M_MEM, M_ERROR_RATE };
enum test {
    CONTAINS,          /* the text contains needle */
    CONTAINS_ANY_CASE, /* ditto, ignoring ASCII case */
    ABOVE,             /* the number is strictly greater than limit */
    BELOW,             /* the number is strictly less than limit */
    OTHERWISE,         /* always (the last rule) */
};

static const struct tree_rule {
    enum ltk_diagnose_id id;
    enum metric metric;
    enum test test;
    const char *needle;
    double limit;
    const char *rule; /* the condition, as shown in the evidence */
} tree[] = {
    { LTK_DIAG_RATE_LIMIT, M_ERROR_TYPE, CONTAINS, "RateLimitError", 0, "contains \"RateLimitError\"" },
    { LTK_DIAG_RATE_LIMIT, M_ERROR_TYPE, CONTAINS, "429", 0, "contains \"429\"" },
    { LTK_DIAG_CONNECTION_POOL, M_ERROR_TYPE, CONTAINS, "QueuePool", 0, "contains \"QueuePool\"" },
    { LTK_DIAG_CONNECTION_POOL, M_ERROR_TYPE, CONTAINS_ANY_CASE, "connection", 0,
      "contains \"connection\", any case" },
    { LTK_DIAG_CPU_BOUND, M_CPU, ABOVE, NULL, 80, "> 80" },
    { LTK_DIAG_MEMORY_BOUND, M_MEM, ABOVE, NULL, 85, "> 85" },
    { LTK_DIAG_HEALTHY, M_ERROR_RATE, BELOW, NULL, 1, "< 1" },
    { LTK_DIAG_UNKNOWN, M_ERROR_RATE, OTHERWISE, NULL, 0, ">= 1 and no other rule matched" },
};

/* What each finding means and what to do, from the module:
 *   Section 4, "Bottleneck #2: External Services" and "#3: Infrastructure"
 *     (the fixes), and the "Investigation Workflow";
 *   Section 3, "Common Patterns in Results" (the three named patterns);
 *   Section 5, "Scaling Decision Matrix" (the Cost and Complexity columns,
 *     NULL where the matrix has no row for the problem) and
 *     "The Scaling Hierarchy". */
static const struct ltk_diagnose_recommendation recs[LTK_DIAG_NIDS] = {
    [LTK_DIAG_RATE_LIMIT] = {
        LTK_CAT_EXTERNAL,
        "external API rate limit",
        "an external API (such as OpenAI) turns requests away once a per-minute limit is passed",
        "cache query results and embeddings, batch embedding calls, retry with exponential "
        "backoff, or buy a higher rate-limit tier",
        "low-high", "medium",
        "Section 4, External Services (rate limits); Section 5, Scaling Decision Matrix, row \"OpenAI 429 errors\"" },
    [LTK_DIAG_CONNECTION_POOL] = {
        LTK_CAT_INFRASTRUCTURE,
        "database connection pool exhausted",
        "more requests wait for a database connection than the pool can hand out",
        "enlarge the pool (pool_size about expected concurrent users / 10, plus max_overflow), "
        "and set pool_timeout, pool_recycle and pool_pre_ping",
        NULL, NULL,
        "Section 4, Infrastructure (connection pool exhaustion)" },
    [LTK_DIAG_CPU_BOUND] = {
        LTK_CAT_INFRASTRUCTURE,
        "CPU bottleneck",
        "CPU-heavy work, such as computing embeddings or slow algorithms",
        "profile (cProfile) and optimise the hot spots, or scale: more cores (vertical) or more "
        "instances behind a load balancer (horizontal); move embeddings to a GPU",
        "high", "low/high",
        "Section 4, Infrastructure (CPU); Section 5, Scaling Decision Matrix, row \"High CPU (>80%)\"" },
    [LTK_DIAG_MEMORY_BOUND] = {
        LTK_CAT_INFRASTRUCTURE,
        "memory bottleneck",
        "a memory leak or very large allocations",
        "fix the leak first, process data in batches instead of all at once, free large objects; "
        "more RAM only buys time",
        "medium", "high",
        "Section 4, Infrastructure (memory); Section 5, Scaling Decision Matrix, row \"High memory (>85%)\"" },
    [LTK_DIAG_DEGRADATION] = {
        LTK_CAT_APPLICATION,
        "degradation over time",
        "a leak: responses slow down while the load stays the same, as memory grows",
        "find and fix the leak in the code, then scale vertically if still needed",
        "medium", "high",
        "Section 3, Common Patterns (memory leak); Section 5, Scaling Decision Matrix, row \"High memory (>85%)\"" },
    [LTK_DIAG_SATURATION] = {
        LTK_CAT_INFRASTRUCTURE,
        "saturation",
        "throughput stops growing while users rise and latency climbs with them",
        "work up the scaling hierarchy: optimise code, cache, batch, then scale vertically and "
        "horizontally",
        NULL, NULL,
        "Section 5, The Scaling Hierarchy" },
    [LTK_DIAG_OUTLIERS] = {
        LTK_CAT_INFRASTRUCTURE,
        "outliers or cold starts",
        "a few very slow requests while the typical one is fast (high p99, normal p50)",
        "scale horizontally",
        "medium", "medium",
        "Section 5, Scaling Decision Matrix, row \"High p99, normal p50\"" },
    [LTK_DIAG_STRUGGLING] = {
        LTK_CAT_NONE,
        "struggling under load",
        "requests are slower than the module's targets for the test, beyond a few outliers; when even "
        "the median misses, the percentile table's \"Degrading\" row: the system is struggling under load",
        "find the bottleneck before scaling: correlate with CPU, memory, the connection pool and "
        "external API errors (--metrics), then work up the scaling hierarchy: optimise code, cache, "
        "batch, scale vertically, then horizontally",
        NULL, NULL,
        "Section 3, Interpreting Percentiles (row \"Degrading\"); Section 4, Investigation Workflow; "
        "Section 5, The Scaling Hierarchy" },
    [LTK_DIAG_SLOW_QUERIES] = {
        LTK_CAT_EXTERNAL,
        "slow requests at the lowest load (slow queries)",
        "one request is slow on its own, before any queueing: typically a database or vector-store "
        "query without an index, a brute-force similarity search, or a slow call to another service",
        "find the slow query (log every query over 1 s), add indexes on the columns it filters on, "
        "search a vector index (FAISS, pgvector) instead of comparing against every document, and "
        "cache query results",
        "free", "low",
        "Section 4, External Services (database query slowness); Section 5, Scaling Decision Matrix, "
        "row \"DB queries slow\"" },
    [LTK_DIAG_INCONSISTENT] = {
        LTK_CAT_APPLICATION,
        "inconsistent latency",
        "the same request is sometimes fast and sometimes slow at a steady load: work that is repeated "
        "instead of reused (no caching)",
        "cache what repeats (query results, embeddings) in Redis or in memory",
        "low", "medium",
        "Section 5, Scaling Decision Matrix, row \"Inconsistent latency\"" },
    [LTK_DIAG_EXTERNAL_LATENCY] = {
        LTK_CAT_EXTERNAL,
        "high latency despite low CPU (an external service)",
        "requests are slow while the server's CPU idles: the time is spent waiting for something else, "
        "such as the LLM API, the vector store or the database",
        "measure each external call (log those over 2 s), then cache, batch or parallelise them, set "
        "timeouts, and ask the provider for more capacity",
        NULL, NULL,
        "Section 4, External Services (symptom \"High latency despite low CPU\", third-party API latency)" },
    [LTK_DIAG_LINEAR_LATENCY] = {
        LTK_CAT_APPLICATION,
        "latency grows in proportion to users (application code)",
        "each added user adds the same delay: requests wait for each other inside the application, "
        "as with blocking calls on a fixed number of workers, N+1 queries or work that grows with the load",
        "profile the request path: make blocking calls asynchronous, load related rows in one query "
        "instead of N+1, replace quadratic work with an index",
        NULL, NULL,
        "Section 4, Application Code (symptom \"Latency increases linearly with users\")" },
    [LTK_DIAG_APPROACHING] = {
        LTK_CAT_INFRASTRUCTURE,
        "approaching capacity",
        "CPU is sustained at 70 % or more, not yet at the 80 % bottleneck threshold: the headroom "
        "left is small for growth or a spike",
        "plan the next scaling step now: find when growth reaches the limit (ltk cost), load test "
        "the next size up, and set autoscaling to add instances at 70 % CPU",
        NULL, NULL,
        "Section 1, Growth trajectory (\"70% CPU sustained\"); Section 5, autoscaling at CPU 70 %" },
    [LTK_DIAG_ERRORS_OTHER] = {
        LTK_CAT_NONE,
        "other errors",
        "requests fail for a reason that matches none of the known patterns",
        "read the application logs from the moment the errors begin",
        NULL, NULL,
        "Section 4, Investigation Workflow (step 3)" },
    [LTK_DIAG_HEALTHY] = {
        LTK_CAT_NONE,
        "no bottleneck found",
        "errors stay under 1% and no bottleneck rule applies",
        "nothing to do now",
        NULL, NULL,
        "Section 4, diagnose_bottleneck" },
    [LTK_DIAG_UNKNOWN] = {
        LTK_CAT_NONE,
        "unidentified problem",
        "errors at 1% or more that no rule explains",
        "look in the application logs for the specific errors",
        NULL, NULL,
        "Section 4, diagnose_bottleneck" },
};

/* The module's tree matches "connection" in any case, so a refused or reset
 * connection counts as pool exhaustion there.  The module's own pool error is
 * SQLAlchemy's "QueuePool limit of size 5 overflow 10 reached, connection
 * timed out" (Section 4, Infrastructure C), and it lists "connection refused"
 * separately among the Infrastructure symptoms: nothing listened on the port,
 * or the server or a proxy dropped the connection. */
static const char connection_not_pool[] =
    "the module's tree takes any error type containing \"connection\" for pool exhaustion; this one is "
    "a refused, reset or dropped connection (nothing listened on the port, or the server or a proxy "
    "closed it: the module's Infrastructure symptom \"connection refused\"), not the pool's QueuePool "
    "timeout; in a run's failures ltk diagnose RUN counts it as a connection failure under errors_other";

static const char *const id_names[LTK_DIAG_NIDS] = {
    [LTK_DIAG_RATE_LIMIT] = "rate_limit",   [LTK_DIAG_CONNECTION_POOL] = "connection_pool",
    [LTK_DIAG_CPU_BOUND] = "cpu_bound",     [LTK_DIAG_MEMORY_BOUND] = "memory_bound",
    [LTK_DIAG_DEGRADATION] = "degradation", [LTK_DIAG_SATURATION] = "saturation",
    [LTK_DIAG_OUTLIERS] = "outliers",       [LTK_DIAG_STRUGGLING] = "struggling",
    [LTK_DIAG_ERRORS_OTHER] = "errors_other",
    [LTK_DIAG_SLOW_QUERIES] = "slow_queries", [LTK_DIAG_INCONSISTENT] = "inconsistent_latency",
    [LTK_DIAG_EXTERNAL_LATENCY] = "external_latency", [LTK_DIAG_LINEAR_LATENCY] = "linear_latency",
    [LTK_DIAG_APPROACHING] = "approaching_capacity",
    [LTK_DIAG_HEALTHY] = "healthy",         [LTK_DIAG_UNKNOWN] = "unknown",
};

/* The tree's metrics: key for evidence and JSON, label for people. */
static const struct {
    const char *key, *label;
} metrics[] = {
    [M_ERROR_TYPE] = { "error_type", "error type" },
    [M_CPU] = { "cpu_pct", "CPU" },
    [M_MEM] = { "mem_pct", "memory" },
    [M_ERROR_RATE] = { "error_rate_pct", "error rate" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ==== the findings list ================================================== */

double ltk_diagnose_tree_limit(enum ltk_diagnose_id id)
{
    for (size_t i = 0; i < NELEM(tree); i++)
        if (tree[i].id == id && (tree[i].test == ABOVE || tree[i].test == BELOW))
            return tree[i].limit;
    return NAN;
}

const char *ltk_diagnose_id_name(enum ltk_diagnose_id id)
{
    return (unsigned)id < LTK_DIAG_NIDS ? id_names[id] : NULL;
}

const char *ltk_diagnose_category_name(enum ltk_diagnose_category c)
{
    static const char *const names[] = {
        [LTK_CAT_NONE] = NULL,
        [LTK_CAT_APPLICATION] = "application_code",
        [LTK_CAT_EXTERNAL] = "external_service",
        [LTK_CAT_INFRASTRUCTURE] = "infrastructure",
    };
    return (unsigned)c < NELEM(names) ? names[c] : NULL;
}

const struct ltk_diagnose_recommendation *ltk_diagnose_recommendation(enum ltk_diagnose_id id)
{
    return (unsigned)id < LTK_DIAG_NIDS ? &recs[id] : NULL;
}

void ltk_diagnosis_init(struct ltk_diagnosis *d)
{
    memset(d, 0, sizeof *d);
}

static void finding_release(struct ltk_diagnose_finding *f)
{
    for (size_t i = 0; i < f->nevidence; i++) {
        free(f->evidence[i].metric);
        free(f->evidence[i].text);
        free(f->evidence[i].rule);
    }
    free(f->evidence);
}

void ltk_diagnosis_release(struct ltk_diagnosis *d)
{
    for (size_t i = 0; i < d->nfindings; i++)
        finding_release(&d->findings[i]);
    free(d->findings);
    free(d->run);
    free(d->pool);
    memset(d, 0, sizeof *d);
}

struct ltk_diagnose_finding *ltk_diagnosis_add(struct ltk_diagnosis *d, enum ltk_diagnose_id id,
                                               double confidence)
{
    if ((unsigned)id >= LTK_DIAG_NIDS || !(confidence >= 0 && confidence <= 1))
        return NULL;
    if (d->nfindings == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 4;
        struct ltk_diagnose_finding *p = realloc(d->findings, cap * sizeof *p);
        if (!p)
            return NULL;
        d->findings = p;
        d->cap = cap;
    }
    struct ltk_diagnose_finding *f = &d->findings[d->nfindings++];
    *f = (struct ltk_diagnose_finding){ .id = id, .confidence = confidence };
    return f;
}

int ltk_diagnose_add_evidence(struct ltk_diagnose_finding *f, const char *metric, double value,
                              const char *text, const char *rule)
{
    struct ltk_diagnose_evidence *p = realloc(f->evidence, (f->nevidence + 1) * sizeof *p);
    if (!p)
        return LTK_ENOMEM;
    f->evidence = p;
    struct ltk_diagnose_evidence e = {
        .metric = ltk_strdup(metric ? metric : ""),
        .value = text ? NAN : value,
        .text = text ? ltk_strdup(text) : NULL,
        .rule = rule ? ltk_strdup(rule) : NULL,
    };
    if (!e.metric || (text && !e.text) || (rule && !e.rule)) {
        free(e.metric);
        free(e.text);
        free(e.rule);
        return LTK_ENOMEM;
    }
    f->evidence[f->nevidence++] = e;
    return LTK_OK;
}

void ltk_diagnosis_sort(struct ltk_diagnosis *d)
{
    /* insertion sort: stable, and lists are short */
    for (size_t i = 1; i < d->nfindings; i++) {
        struct ltk_diagnose_finding f = d->findings[i];
        size_t j = i;
        while (j > 0 && d->findings[j - 1].confidence < f.confidence) {
            d->findings[j] = d->findings[j - 1];
            j--;
        }
        d->findings[j] = f;
    }
}

bool ltk_diagnosis_has_problem(const struct ltk_diagnosis *d)
{
    for (size_t i = 0; i < d->nfindings; i++)
        if (d->findings[i].id != LTK_DIAG_HEALTHY && d->findings[i].id != LTK_DIAG_APPROACHING)
            return true;
    return false;
}

/* ==== the decision tree ================================================== */

int ltk_diagnose_check_metrics(const struct ltk_diagnose_metrics *m, struct ltk_error *err)
{
    const double v[] = { [M_CPU] = m->cpu_pct, [M_MEM] = m->mem_pct, [M_ERROR_RATE] = m->error_rate_pct };
    for (int k = M_CPU; k <= M_ERROR_RATE; k++)
        if (!isfinite(v[k]) || v[k] < 0 || v[k] > 100)
        {
            char num[32];
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "%s must be a percentage from 0 to 100, got %s",
                                 metrics[k].label, isfinite(v[k]) ? ltk_format_double(v[k], num) : "a non-finite value");
        }
    if (!m->error_type)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "the error type is missing");
    return LTK_OK;
}


static double number_of(const struct ltk_diagnose_metrics *m, enum metric k)
{
    switch (k) {
    case M_CPU: return m->cpu_pct;
    case M_MEM: return m->mem_pct;
    case M_ERROR_RATE: return m->error_rate_pct;
    case M_ERROR_TYPE: break;
    }
    return NAN;
}

static bool rule_holds(const struct tree_rule *r, const struct ltk_diagnose_metrics *m)
{
    switch (r->test) {
    case CONTAINS: return strstr(m->error_type, r->needle) != NULL;
    case CONTAINS_ANY_CASE: return ltk_contains_nocase(m->error_type, r->needle);
    case ABOVE: return number_of(m, r->metric) > r->limit;
    case BELOW: return number_of(m, r->metric) < r->limit;
    case OTHERWISE: return true;
    }
    return false;
}

int ltk_diagnose_metrics(struct ltk_diagnosis *d, const struct ltk_diagnose_metrics *m,
                         struct ltk_error *err)
{
    int rc = ltk_diagnose_check_metrics(m, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < NELEM(tree); i++) {
        const struct tree_rule *r = &tree[i];
        if (!rule_holds(r, m))
            continue;
        /* a rule of the module's tree is certain about its own inputs */
        struct ltk_diagnose_finding *f = ltk_diagnosis_add(d, r->id, 1.0);
        if (!f)
            return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
        if (r->id == LTK_DIAG_CONNECTION_POOL && r->test == CONTAINS_ANY_CASE &&
            ltk_failure_classify(m->error_type) == LTK_FC_CONNECTION)
            f->note = connection_not_pool;
        if (r->metric == M_ERROR_TYPE)
            rc = ltk_diagnose_add_evidence(f, metrics[r->metric].key, NAN, m->error_type, r->rule);
        else
            rc = ltk_diagnose_add_evidence(f, metrics[r->metric].key, number_of(m, r->metric), NULL, r->rule);
        if (rc)
            return ltk_error_set(err, rc, NULL, 0, 0, "out of memory");
        return LTK_OK;
    }
    return LTK_OK; /* not reached: the last rule always holds */
}

/* ==== output ============================================================== */

static const char *label_of(const char *key)
{
    for (size_t i = 0; i < NELEM(metrics); i++)
        if (strcmp(metrics[i].key, key) == 0)
            return metrics[i].label;
    return NULL;
}

static void put_quoted(struct ltk_buf *b, const char *s)
{
    ltk_buf_putc(b, '\'');
    ltk_buf_put_terminal(b, s);
    ltk_buf_putc(b, '\'');
}

static void put_evidence(struct ltk_buf *b, const struct ltk_diagnose_evidence *e)
{
    const char *label = label_of(e->metric);
    if (label)
        ltk_buf_puts(b, label);
    else
        ltk_buf_put_terminal(b, e->metric);
    ltk_buf_putc(b, ' ');
    if (e->text) {
        put_quoted(b, e->text);
    } else {
        char num[32];
        size_t n = strlen(e->metric);
        bool pct = n > 4 && strcmp(e->metric + n - 4, "_pct") == 0;
        ltk_buf_printf(b, "%s%s", isfinite(e->value) ? ltk_format_double(e->value, num) : "n/a", pct ? "%" : "");
    }
    if (e->rule) {
        ltk_buf_puts(b, " (rule: ");
        ltk_buf_put_terminal(b, e->rule);
        ltk_buf_putc(b, ')');
    }
}

int ltk_diagnose_write_text(FILE *out, const struct ltk_diagnosis *d, const struct ltk_diagnose_metrics *m)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    if (d->run) {
        ltk_buf_puts(&b, "Run: ");
        ltk_buf_put_terminal(&b, d->run);
        ltk_buf_puts(&b, "\n");
    }
    if (m) {
        char c[32], mem[32], er[32];
        ltk_buf_printf(&b, "Inputs: CPU %s%%, memory %s%%, error rate %s%%, error type ",
                       ltk_format_double(m->cpu_pct, c), ltk_format_double(m->mem_pct, mem),
                       ltk_format_double(m->error_rate_pct, er));
        put_quoted(&b, m->error_type ? m->error_type : "");
        ltk_buf_puts(&b, "\n");
    }
    for (size_t i = 0; i < d->nfindings; i++) {
        const struct ltk_diagnose_finding *f = &d->findings[i];
        const struct ltk_diagnose_recommendation *r = &recs[f->id];
        char conf[32];
        ltk_buf_printf(&b, "\n%s: %s (confidence %s)\n", id_names[f->id], r->title,
                       ltk_format_double(f->confidence, conf));
        for (size_t k = 0; k < f->nevidence; k++) {
            ltk_buf_puts(&b, k ? "              " : "  Evidence:   ");
            put_evidence(&b, &f->evidence[k]);
            ltk_buf_putc(&b, '\n');
        }
        if (r->category)
            ltk_buf_printf(&b, "  Category:   %s (the module's bottleneck categories)\n",
                           ltk_diagnose_category_name(r->category));
        if (f->note)
            ltk_buf_printf(&b, "  Note:       %s\n", f->note);
        ltk_buf_printf(&b, "  Cause:      %s\n", r->cause);
        ltk_buf_printf(&b, "  Fix:        %s\n", r->fix);
        if (r->cost)
            ltk_buf_printf(&b, "  Cost:       %s\n", r->cost);
        if (r->complexity)
            ltk_buf_printf(&b, "  Complexity: %s\n", r->complexity);
        ltk_buf_printf(&b, "  Module:     M3.4, %s\n", r->source);
    }
    if (!d->nfindings && !d->pool)
        ltk_buf_puts(&b, "\nno findings\n");
    int rc = ltk_buf_flush(out, &b);
    return rc == LTK_OK && d->pool ? ltk_pool_plan_write_text(out, d->pool) : rc;
}

cJSON *ltk_diagnose_to_json(const struct ltk_diagnosis *d, const struct ltk_diagnose_metrics *m)
{
    struct ltk_jb b = { false };
    cJSON *doc = cJSON_CreateObject();
    ltk_jb_str(&b, doc, "schema", "ltk.diagnosis/1");
    ltk_jb_str(&b, doc, "run", d->run);
    if (m) {
        cJSON *in = ltk_jb_obj(&b, doc, "inputs");
        ltk_jb_num(&b, in, "cpu_pct", m->cpu_pct);
        ltk_jb_num(&b, in, "mem_pct", m->mem_pct);
        ltk_jb_num(&b, in, "error_rate_pct", m->error_rate_pct);
        ltk_jb_str(&b, in, "error_type", m->error_type);
    } else {
        ltk_jb_str(&b, doc, "inputs", NULL);
    }
    cJSON *list = ltk_jb_arr(&b, doc, "findings");
    for (size_t i = 0; i < d->nfindings; i++) {
        const struct ltk_diagnose_finding *f = &d->findings[i];
        const struct ltk_diagnose_recommendation *r = &recs[f->id];
        cJSON *o = ltk_jb_obj(&b, list, NULL);
        ltk_jb_str(&b, o, "id", id_names[f->id]);
        ltk_jb_num(&b, o, "confidence", f->confidence);
        ltk_jb_str(&b, o, "category", ltk_diagnose_category_name(r->category));
        cJSON *ev = ltk_jb_arr(&b, o, "evidence");
        for (size_t k = 0; k < f->nevidence; k++) {
            const struct ltk_diagnose_evidence *e = &f->evidence[k];
            cJSON *x = ltk_jb_obj(&b, ev, NULL);
            ltk_jb_str(&b, x, "metric", e->metric);
            ltk_jb_num(&b, x, "value", e->value);
            ltk_jb_str(&b, x, "text", e->text);
            ltk_jb_str(&b, x, "rule", e->rule);
        }
        if (f->note)
            ltk_jb_str(&b, o, "note", f->note);  /* absent when none */
        cJSON *rec = ltk_jb_obj(&b, o, "recommendation");
        ltk_jb_str(&b, rec, "title", r->title);
        ltk_jb_str(&b, rec, "cause", r->cause);
        ltk_jb_str(&b, rec, "fix", r->fix);
        ltk_jb_str(&b, rec, "cost", r->cost);
        ltk_jb_str(&b, rec, "complexity", r->complexity);
        ltk_jb_str(&b, rec, "source", r->source);
    }
    if (d->pool) {
        cJSON *pool = ltk_pool_plan_to_json(d->pool);
        if (!pool || !cJSON_AddItemToObject(doc, "pool", pool)) {
            cJSON_Delete(pool);
            b.failed = true;
        }
    } else {
        ltk_jb_str(&b, doc, "pool", NULL);
    }
    if (b.failed || !doc) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}
