/* Should you load test?  Module M3.4's scored framework and scenarios (see
 * ltk/analyze/decide.h).  The module's rules are the tables at the top of this file;
 * the code below them only applies the tables. */
#include "ltk/analyze/decide.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/read/csv.h"
#include "ltk/base/json.h"
#include "ltk/base/num.h"
#include "base/strutil.h"

/* ==== The module's rules, as data ========================================
 *
 * Module M3.4, Section 6, the "should_load_test" cell.  The questions are
 * asked in the module's order; for each question the FIRST row whose
 * condition holds gives the points and the reason, later rows of the same
 * question are not looked at.  A question with no matching row adds nothing
 * and gives no reason (as in the module: an SLA that is absent, a staging
 * that matches production and a stable architecture are not listed). */

enum question { Q_USERS, Q_GROWTH, Q_SLA, Q_STAGING, Q_ARCH };
enum cond {
    ABOVE,    /* the number is strictly greater than limit */
    OTHERWISE,/* always (the last row of a question) */
    IS_YES,   /* the answer is yes */
    IS_NO,    /* the answer is no */
};

static const struct rule {
    enum question q;
    enum cond cond;
    double limit;
    int points;
    const char *reason;
} rules[] = {
    { Q_USERS, ABOVE, 500, +2, "large user base: more than 500 daily users" },
    { Q_USERS, ABOVE, 100, +1, "medium user base: more than 100, at most 500 daily users" },
    { Q_USERS, OTHERWISE, 0, 0, "small user base: 100 daily users or fewer" },
    { Q_GROWTH, ABOVE, 15, +2, "fast growth: more than 15% a month" },
    { Q_GROWTH, ABOVE, 5, +1, "moderate growth: more than 5%, at most 15% a month" },
    { Q_GROWTH, OTHERWISE, 0, 0, "little or no growth: 5% a month or less" },
    { Q_SLA, IS_YES, 0, +3, "an SLA puts performance targets in a contract (the heaviest factor)" },
    { Q_STAGING, IS_NO, 0, -2, "staging is not like production, so its results would mislead" },
    { Q_ARCH, IS_NO, 0, -1, "the architecture may still change, so results could soon be stale" },
};

/* Section 6, "should_load_test": the recommendation bands, highest first;
 * the first band whose minimum the score reaches applies.  The maximum score
 * is 2 + 2 + 3 = 7 (LTK_DECIDE_MAX_SCORE). */
static const struct band {
    int min_score;
    enum ltk_decide_rec rec;
    const char *name;
    const char *priority;
    const char *advice;
} bands[] = {
    { 5, LTK_DECIDE_YES, "yes", "high", "run a load test now" },
    { 3, LTK_DECIDE_CONSIDER, "consider", "medium", "worth it once infrastructure changes are planned" },
    { INT_MIN, LTK_DECIDE_SKIP, "skip", "low", "put the effort into monitoring and optimisation instead" },
};

/* The scenarios of the module, with the module's answers.
 *   Section 1, "Reality Check Exercise": scenarios A-D, answered yes/no.
 *   Section 6, "Cost-Benefit Summary" table: six rows with time investment,
 *     answer and alternative ("N/A" in the table is NULL here).
 *   Section 6, "should_load_test" cell: its three example calls, scored
 *     with the rules above. */
#define ASSUMED(users, growth, sla, staging, arch, revenue, infra, text) \
    false, { users, growth, sla, staging, arch, revenue, infra }, text
static const struct ltk_decide_scenario scenarios[] = {
    { "a", "Section 1, Reality Check scenario A", "internal tool for 10 employees, no outside traffic",
      ASSUMED(10, 0, false, true, true, false, false,
              "10 daily users, no growth; staging like production and a stable architecture"),
      "no", "the overhead does not pay off for a small, steady set of users", NULL, NULL },
    { "b", "Section 1, Reality Check scenario B", "public API, 1000 daily users, growing 20% a month",
      ASSUMED(1000, 20, false, true, true, false, true,
              "no SLA or revenue risk named; staging like production, a stable architecture; "
              "capacity planning is the infrastructure decision due"),
      "yes", "growth at that pace calls for planning capacity ahead", NULL, NULL },
    { "c", "Section 1, Reality Check scenario C", "e-commerce site promising p95 under 1s and 99.9% uptime",
      ASSUMED(100, 0, true, true, true, true, false,
              "users and growth not named: 100 daily users, no growth; a shop carries revenue risk; "
              "staging like production, a stable architecture"),
      "yes", "a contract sets those numbers, so they have to be verified", NULL, NULL },
    { "d", "Section 1, Reality Check scenario D", "MVP with 50 beta users, architecture likely to change",
      ASSUMED(50, 0, false, true, false, false, false, "growth not named: none; staging like production"),
      "no", "too early: finding product-market fit matters more than tuning", NULL, NULL },
    { "small-stable", "Section 6, Cost-Benefit Summary", "50 daily users, stable usage",
      ASSUMED(50, 0, false, true, true, false, false, "staging like production, a stable architecture"),
      "no", "such a system is unlikely to reach its limits", "8-12 hours", "basic monitoring" },
    { "growing", "Section 6, Cost-Benefit Summary", "1000 daily users, 20% growth",
      ASSUMED(1000, 20, false, true, true, false, true,
              "no SLA named; staging like production, a stable architecture; capacity planning due"),
      "yes", "capacity limits are coming; find them before users do", "8-12 hours", NULL },
    { "mvp", "Section 6, Cost-Benefit Summary", "MVP with an uncertain architecture",
      ASSUMED(100, 10, false, true, false, false, false,
              "users and growth not named: 100 daily users growing 10% a month; staging like production"),
      "no", "code that may be rewritten is not worth tuning yet", "8-12 hours",
      "fix the obvious issues first (N+1 queries, missing indexes)" },
    { "sla", "Section 6, Cost-Benefit Summary", "SLA guaranteeing p95 under 1s",
      ASSUMED(100, 0, true, true, true, false, false,
              "users and growth not named: 100 daily users, no growth; staging like production, stable"),
      "yes", "the guarantee must be checked before customers rely on it", "8-12 hours", NULL },
    { "staging-differs", "Section 6, Cost-Benefit Summary", "staging is not like production",
      ASSUMED(1000, 20, false, false, true, false, true,
              "otherwise the growing row: 1000 daily users, 20% growth, capacity planning due"),
      "no", "results from a different environment do not predict production", "8-12 hours",
      "small canary tests in production" },
    { "pre-launch", "Section 6, Cost-Benefit Summary", "before a launch that should bring a traffic spike",
      ASSUMED(1000, 0, false, true, true, true, true,
              "1000 daily users with no steady growth before the launch; the launch puts revenue at risk "
              "and needs a capacity decision; staging like production, stable"),
      "yes", "the spike will come; know the breaking point first", "8-12 hours", NULL },
    { "startup", "Section 6, should_load_test example 1", "early-stage startup",
      true, { 50, 5, false, false, false, false, false }, NULL, NULL, NULL, NULL, NULL },
    { "saas", "Section 6, should_load_test example 2", "growing SaaS product",
      true, { 1000, 20, true, true, true, false, false }, NULL, NULL, NULL, NULL, NULL },
    { "established", "Section 6, should_load_test example 3", "established product with moderate growth",
      true, { 500, 10, false, true, true, false, false }, NULL, NULL, NULL, NULL, NULL },
};
#undef ASSUMED

/* Section 6, "Decision Framework": five questions asked in order, each answer
 * a branch; a branch that does not say "continue" ends the walk.  Question 1
 * counts growth above 5 % a month as a trajectory (the score's lowest band
 * that earns growth a point). */
static const struct fq {
    enum ltk_decide_fq q;
    const char *question;
    const char *if_no, *if_yes; /* NULL: continue */
    bool test_no, test_yes;     /* where it ends: in a load test? */
    const char *go_no;          /* what continuing on "no" means, NULL for plain "continue" */
} framework[LTK_FQ_COUNT] = {
    { LTK_FQ_GROWTH, "Do I have a growth trajectory (above 5% a month)?",
      "skip load testing, monitor production", NULL, false, false, NULL },
    { LTK_FQ_STAGING, "Does my staging environment match production?",
      "fix the environment first, or test in production (canaries)", NULL, false, false, NULL },
    { LTK_FQ_RISK, "Do I have SLA requirements or revenue risk?",
      NULL, "high priority: load test now", false, true, "low priority so far, consider deferring: continue" },
    { LTK_FQ_INFRA, "Am I making infrastructure decisions soon?",
      "monitor, and test later when needed", NULL, false, false, NULL },
    { LTK_FQ_ARCH, "Is my architecture stable?",
      "optimise the obvious issues first (N+1 queries, missing indexes)", "load test to find the limits",
      false, true, NULL },
};

/* The interactive questions, in the module's order (the answers-file keys). */
static const struct ltk_decide_question questions[] = {
    { "daily_users", "How many daily active users does the system have? ", false },
    { "growth_pct", "Monthly growth of that number, in percent (e.g. 20)? ", false },
    { "sla", "Is performance promised in a contract (an SLA)? [y/n] ", true },
    { "staging_matches_prod", "Does staging resemble production (data size, network, real APIs)? [y/n] ", true },
    { "architecture_stable", "Is the architecture stable (past the MVP stage)? [y/n] ", true },
    { "revenue_risk", "Would slowness or an outage cost revenue? [y/n] ", true },
    { "infrastructure_decision", "Is an infrastructure decision (an upgrade, scaling) due soon? [y/n] ", true },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ==== scoring ============================================================= */

int ltk_decide_check(const struct ltk_decide_inputs *in, struct ltk_error *err)
{
    char num[32];
    if (!isfinite(in->daily_users) || in->daily_users < 0)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "daily users must be 0 or more, got %s",
                             isfinite(in->daily_users) ? ltk_format_double(in->daily_users, num) : "a non-finite value");
    if (!isfinite(in->growth_pct) || in->growth_pct < -100)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "growth must be -100 (%%) or more, got %s",
                             isfinite(in->growth_pct) ? ltk_format_double(in->growth_pct, num) : "a non-finite value");
    return LTK_OK;
}

static bool holds(const struct rule *r, const struct ltk_decide_inputs *in)
{
    double num = 0;
    bool yes = false;
    switch (r->q) {
    case Q_USERS: num = in->daily_users; break;
    case Q_GROWTH: num = in->growth_pct; break;
    case Q_SLA: yes = in->sla; break;
    case Q_STAGING: yes = in->staging_matches_prod; break;
    case Q_ARCH: yes = in->architecture_stable; break;
    }
    switch (r->cond) {
    case ABOVE: return num > r->limit;
    case OTHERWISE: return true;
    case IS_YES: return yes;
    case IS_NO: return !yes;
    }
    return false;
}

/* The lowest growth the score gives a point for (its last ABOVE row for
 * growth: 5 %): what question 1 calls a trajectory. */
static double growth_trajectory_pct(void)
{
    double pct = 0;
    for (size_t i = 0; i < NELEM(rules); i++)
        if (rules[i].q == Q_GROWTH && rules[i].cond == ABOVE && rules[i].points > 0)
            pct = rules[i].limit;
    return pct;
}

static bool fq_answer(enum ltk_decide_fq q, const struct ltk_decide_inputs *in)
{
    switch (q) {
    case LTK_FQ_GROWTH: return in->growth_pct > growth_trajectory_pct();
    case LTK_FQ_STAGING: return in->staging_matches_prod;
    case LTK_FQ_RISK: return in->sla || in->revenue_risk;
    case LTK_FQ_INFRA: return in->infrastructure_decision;
    case LTK_FQ_ARCH: return in->architecture_stable;
    case LTK_FQ_COUNT: break;
    }
    return false;
}

static void walk(const struct ltk_decide_inputs *in, struct ltk_decide_walk *w)
{
    memset(w, 0, sizeof *w);
    w->priority = "low";
    for (size_t i = 0; i < LTK_FQ_COUNT; i++) {
        const struct fq *f = &framework[i];
        bool yes = fq_answer(f->q, in);
        const char *end = yes ? f->if_yes : f->if_no;
        w->steps[w->nsteps++] = (struct ltk_decide_step){
            f->q, f->question, yes, end ? end : !yes && f->go_no ? f->go_no : "continue", end != NULL,
        };
        if (end) {
            w->test = yes ? f->test_yes : f->test_no;
            w->verdict = end;
            /* question 3's yes is high; a test reached past its no, medium */
            w->priority = !w->test ? "low" : f->q == LTK_FQ_RISK ? "high" : "medium";
            return;
        }
    }
}

const char *ltk_decide_agreement_name(enum ltk_decide_agreement a)
{
    return a == LTK_DECIDE_AGREE ? "agree" : a == LTK_DECIDE_PARTIAL ? "partial" : "disagree";
}

enum ltk_decide_agreement ltk_decide_compare(enum ltk_decide_rec rec, bool test)
{
    if (rec == LTK_DECIDE_CONSIDER)
        return LTK_DECIDE_PARTIAL;
    return (rec == LTK_DECIDE_YES) == test ? LTK_DECIDE_AGREE : LTK_DECIDE_DISAGREE;
}

static const struct band *band_of(enum ltk_decide_rec rec)
{
    for (size_t i = 0; i < NELEM(bands); i++)
        if (bands[i].rec == rec)
            return &bands[i];
    return &bands[NELEM(bands) - 1];
}

int ltk_decide_score(const struct ltk_decide_inputs *in, struct ltk_decision *d, struct ltk_error *err)
{
    memset(d, 0, sizeof *d);
    int rc = ltk_decide_check(in, err);
    if (rc)
        return rc;
    d->inputs = *in;
    d->max_score = LTK_DECIDE_MAX_SCORE;
    bool answered[Q_ARCH + 1] = { false };
    for (size_t i = 0; i < NELEM(rules); i++) {
        const struct rule *r = &rules[i];
        if (answered[r->q] || !holds(r, in))
            continue;
        answered[r->q] = true;
        d->score += r->points;
        if (d->nreasons < LTK_DECIDE_MAX_REASONS)
            d->reasons[d->nreasons++] = (struct ltk_decide_reason){ r->reason, r->points };
    }
    for (size_t i = 0; i < NELEM(bands); i++) {
        if (d->score >= bands[i].min_score) {
            d->rec = bands[i].rec;
            break;
        }
    }
    walk(in, &d->walk);
    d->agreement = ltk_decide_compare(d->rec, d->walk.test);
    return LTK_OK;
}

const char *ltk_decide_rec_name(enum ltk_decide_rec rec)
{
    return band_of(rec)->name;
}

const char *ltk_decide_priority_name(enum ltk_decide_rec rec)
{
    return band_of(rec)->priority;
}

/* ==== answers ============================================================= */

#define ANSWERS_MAX (1L << 20)

static const struct ltk_decide_question *question_find(const char *key)
{
    for (size_t i = 0; i < NELEM(questions); i++)
        if (strcmp(questions[i].key, key) == 0)
            return &questions[i];
    return NULL;
}

static bool *bool_slot(struct ltk_decide_inputs *in, const char *key)
{
    if (strcmp(key, "sla") == 0)
        return &in->sla;
    if (strcmp(key, "staging_matches_prod") == 0)
        return &in->staging_matches_prod;
    if (strcmp(key, "architecture_stable") == 0)
        return &in->architecture_stable;
    if (strcmp(key, "revenue_risk") == 0)
        return &in->revenue_risk;
    if (strcmp(key, "infrastructure_decision") == 0)
        return &in->infrastructure_decision;
    return NULL;
}

static double *num_slot(struct ltk_decide_inputs *in, const char *key)
{
    if (strcmp(key, "daily_users") == 0)
        return &in->daily_users;
    if (strcmp(key, "growth_pct") == 0)
        return &in->growth_pct;
    return NULL;
}

/* Range check of one number answer; the message names the key. */
static int check_number(const char *key, double v, const char *file, struct ltk_error *err)
{
    if (strcmp(key, "daily_users") == 0 && v < 0)
        return ltk_error_set(err, LTK_EINVAL, file, 0, 0, "%s: expected 0 or more, got %g", key, v);
    if (strcmp(key, "growth_pct") == 0 && v < -100)
        return ltk_error_set(err, LTK_EINVAL, file, 0, 0, "%s: expected -100 (%%) or more, got %g",
                             key, v);
    return LTK_OK;
}

static void position_of(const char *text, size_t off, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
    }
}

int ltk_decide_parse_answers(const char *text, size_t len, const char *path,
                             struct ltk_decide_inputs *in, struct ltk_error *err)
{
    const char *file = path ? path : "answers";
    long line, col;
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        position_of(text, (size_t)(nul - text), &line, &col);
        return ltk_error_set(err, LTK_EFORMAT, file, line, col, "a NUL byte at column %ld: not a JSON text", col);
    }
    char *copy = ltk_strndup(text, len);
    if (!copy)
        return ltk_error_set(err, LTK_ENOMEM, file, 0, 0, "out of memory");
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithOpts(copy, &end, 1);
    if (!doc) {
        size_t off = end && end >= copy && end <= copy + len ? (size_t)(end - copy) : 0;
        size_t k = 0;
        while (k < len && isspace((unsigned char)copy[k]))
            k++;
        int rc;
        if (k == len) {
            rc = ltk_error_set(err, LTK_EFORMAT, file, 0, 0, "empty: expected a JSON object of answers");
        } else {
            position_of(copy, off, &line, &col);
            rc = ltk_error_set(err, LTK_EFORMAT, file, line, col, "%s near column %ld",
                               off >= len ? "JSON ends too early" : "not valid JSON", col);
        }
        free(copy);
        return rc;
    }
    free(copy);

    int rc = LTK_OK;
    struct ltk_decide_inputs got = { 0 };
    bool seen[NELEM(questions)] = { false };
    if (!cJSON_IsObject(doc)) {
        rc = ltk_error_set(err, LTK_EFORMAT, file, 0, 0, "expected a JSON object of answers");
        goto out;
    }
    for (const cJSON *it = doc->child; it; it = it->next) {
        char key[64];
        ltk_quote_text(it->string, key, sizeof key);
        const struct ltk_decide_question *q = question_find(it->string ? it->string : "");
        if (!q) {
            rc = ltk_error_set(err, LTK_EFORMAT, file, 0, 0,
                               "unknown answer %s (expected daily_users, growth_pct, sla, "
                               "staging_matches_prod, architecture_stable, revenue_risk, "
                               "infrastructure_decision)", key);
            goto out;
        }
        size_t qi = (size_t)(q - questions);
        if (seen[qi]) {
            rc = ltk_error_set(err, LTK_EFORMAT, file, 0, 0, "%s is given twice", q->key);
            goto out;
        }
        seen[qi] = true;
        if (q->yes_no) {
            if (!cJSON_IsBool(it)) {
                rc = ltk_error_set(err, LTK_EFORMAT, file, 0, 0, "%s: expected true or false", q->key);
                goto out;
            }
            *bool_slot(&got, q->key) = cJSON_IsTrue(it);
        } else {
            if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble)) {
                rc = ltk_error_set(err, LTK_EFORMAT, file, 0, 0, "%s: expected a number", q->key);
                goto out;
            }
            if ((rc = check_number(q->key, it->valuedouble, file, err)) != LTK_OK)
                goto out;
            *num_slot(&got, q->key) = it->valuedouble;
        }
    }
    for (size_t i = 0; i < NELEM(questions); i++) {
        if (!questions[i].yes_no && !seen[i]) {
            rc = ltk_error_set(err, LTK_EFORMAT, file, 0, 0, "%s is missing", questions[i].key);
            goto out;
        }
    }
    *in = got;
out:
    cJSON_Delete(doc);
    return rc;
}

int ltk_decide_read_answers(FILE *fp, const char *path, struct ltk_decide_inputs *in,
                            struct ltk_error *err)
{
    const char *file = path ? path : "answers";
    struct ltk_buf b;
    ltk_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        ltk_buf_append(&b, chunk, n);
        if (b.len > ANSWERS_MAX) {
            ltk_buf_release(&b);
            return ltk_error_set(err, LTK_ELIMIT, file, 0, 0, "larger than %ld bytes: not an answers file",
                                 ANSWERS_MAX);
        }
    }
    int rc;
    if (ferror(fp))
        rc = ltk_error_set(err, LTK_EIO, file, 0, 0, "cannot read: %s", strerror(errno));
    else if (b.failed)
        rc = ltk_error_set(err, LTK_ENOMEM, file, 0, 0, "out of memory");
    else
        rc = ltk_decide_parse_answers(b.data ? b.data : "", b.len, file, in, err);
    ltk_buf_release(&b);
    return rc;
}

int ltk_decide_load_answers(const char *path, struct ltk_decide_inputs *in, struct ltk_error *err)
{
    if (strcmp(path, "-") == 0)
        return ltk_decide_read_answers(stdin, "standard input", in, err);
    FILE *fp;
    int rc = ltk_open_input(path, &fp, err);  /* a directory is named as one */
    if (rc)
        return rc;
    rc = ltk_decide_read_answers(fp, path, in, err);
    fclose(fp);
    return rc;
}

size_t ltk_decide_question_count(void)
{
    return NELEM(questions);
}

const struct ltk_decide_question *ltk_decide_question_at(size_t i)
{
    return i < NELEM(questions) ? &questions[i] : NULL;
}

int ltk_decide_answer(struct ltk_decide_inputs *in, const char *key, const char *text,
                      struct ltk_error *err)
{
    const struct ltk_decide_question *q = question_find(key);
    if (!q)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "no question called %s", key);
    while (isspace((unsigned char)*text))
        text++;
    size_t len = strlen(text);
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    char word[64];
    if (len >= sizeof word)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "%s", q->yes_no ? "expected yes or no" : "expected a number");
    memcpy(word, text, len);
    word[len] = '\0';
    if (q->yes_no) {
        for (char *p = word; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (strcmp(word, "y") == 0 || strcmp(word, "yes") == 0)
            *bool_slot(in, key) = true;
        else if (strcmp(word, "n") == 0 || strcmp(word, "no") == 0)
            *bool_slot(in, key) = false;
        else
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "expected yes or no");
        return LTK_OK;
    }
    double v;
    const char *why = ltk_parse_real(word, &v);
    if (why)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "expected %s", why);
    int rc = check_number(key, v, NULL, err);
    if (rc)
        return rc;
    *num_slot(in, key) = v;
    return LTK_OK;
}

/* ==== output ============================================================== */

static const char *yes_no(bool v)
{
    return v ? "yes" : "no";
}

static void put_inputs(struct ltk_buf *b, const struct ltk_decide_inputs *in)
{
    char users[32], growth[32];
    ltk_buf_printf(b,
                   "Inputs:   %s daily users, %s%% monthly growth, SLA %s,\n"
                   "          staging matches production %s, architecture stable %s,\n"
                   "          revenue risk %s, infrastructure decision due %s\n",
                   ltk_format_double(in->daily_users, users), ltk_format_double(in->growth_pct, growth),
                   yes_no(in->sla), yes_no(in->staging_matches_prod), yes_no(in->architecture_stable),
                   yes_no(in->revenue_risk), yes_no(in->infrastructure_decision));
}

static void put_decision(struct ltk_buf *b, const struct ltk_decision *d)
{
    put_inputs(b, &d->inputs);
    ltk_buf_puts(b, "Reasons:\n");
    for (size_t i = 0; i < d->nreasons; i++) {
        if (d->reasons[i].points)
            ltk_buf_printf(b, "  %+d  %s\n", d->reasons[i].points, d->reasons[i].text);
        else
            ltk_buf_printf(b, "   0  %s\n", d->reasons[i].text);
    }
    const struct band *bd = band_of(d->rec);
    ltk_buf_printf(b, "Score:    %d out of %d\n", d->score, d->max_score);
    ltk_buf_printf(b, "Decision: %s, %s (priority %s)\n", bd->name, bd->advice, bd->priority);
    ltk_buf_puts(b, "Framework (Section 6's questions, in order):\n");
    for (size_t i = 0; i < d->walk.nsteps; i++) {
        const struct ltk_decide_step *st = &d->walk.steps[i];
        ltk_buf_printf(b, "  %zu. %s %s -> %s\n", i + 1, st->question, yes_no(st->answer), st->outcome);
    }
    ltk_buf_printf(b, "          %s (priority %s)\n", d->walk.test ? "load test" : "no load test now",
                   d->walk.priority);
    ltk_buf_printf(b, "Score and framework: %s", ltk_decide_agreement_name(d->agreement));
    if (d->agreement == LTK_DECIDE_PARTIAL)
        ltk_buf_printf(b, " (the score's \"consider\" means test when infrastructure changes are planned; "
                          "the framework says %s)", d->walk.test ? "test" : "do not test now");
    else if (d->agreement == LTK_DECIDE_DISAGREE)
        ltk_buf_printf(b, " (the score says %s, the framework %s)", bd->name, d->walk.test ? "test" : "do not test now");
    ltk_buf_putc(b, '\n');
}

int ltk_decide_write_text(FILE *out, const struct ltk_decision *d)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    put_decision(&b, d);
    return ltk_buf_flush(out, &b);
}

static cJSON *inputs_json(const struct ltk_decide_inputs *in)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (!cJSON_AddItemToObject(o, "daily_users", ltk_json_number(in->daily_users)) ||
        !cJSON_AddItemToObject(o, "growth_pct", ltk_json_number(in->growth_pct)) ||
        !cJSON_AddBoolToObject(o, "sla", in->sla) ||
        !cJSON_AddBoolToObject(o, "staging_matches_prod", in->staging_matches_prod) ||
        !cJSON_AddBoolToObject(o, "architecture_stable", in->architecture_stable) ||
        !cJSON_AddBoolToObject(o, "revenue_risk", in->revenue_risk) ||
        !cJSON_AddBoolToObject(o, "infrastructure_decision", in->infrastructure_decision)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* A reason {"text": ..., "points": n or null}. */
static cJSON *reason_json(const char *text, const int *points)
{
    cJSON *r = cJSON_CreateObject();
    if (!r || !cJSON_AddStringToObject(r, "text", text) ||
        !cJSON_AddItemToObject(r, "points", points ? cJSON_CreateNumber(*points) : cJSON_CreateNull())) {
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}

static cJSON *walk_json(const struct ltk_decide_walk *w)
{
    cJSON *o = cJSON_CreateObject(), *steps = cJSON_CreateArray();
    bool ok = o && steps;
    for (size_t i = 0; ok && i < w->nsteps; i++) {
        cJSON *st = cJSON_CreateObject();
        ok = st && cJSON_AddItemToArray(steps, st) && cJSON_AddStringToObject(st, "question", w->steps[i].question) &&
             cJSON_AddBoolToObject(st, "answer", w->steps[i].answer) &&
             cJSON_AddStringToObject(st, "outcome", w->steps[i].outcome);
    }
    if (ok) {
        ok = cJSON_AddItemToObject(o, "steps", steps);
        steps = NULL;
    }
    ok = ok && cJSON_AddBoolToObject(o, "load_test", w->test) &&
         cJSON_AddStringToObject(o, "priority", w->priority) && cJSON_AddStringToObject(o, "verdict", w->verdict);
    cJSON_Delete(steps);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *ltk_decide_to_json(const struct ltk_decision *d)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *reasons = cJSON_CreateArray();
    bool ok = doc && reasons;
    for (size_t i = 0; ok && i < d->nreasons; i++)
        ok = cJSON_AddItemToArray(reasons, reason_json(d->reasons[i].text, &d->reasons[i].points));
    ok = ok && cJSON_AddStringToObject(doc, "schema", "ltk.decision/1") &&
         cJSON_AddNumberToObject(doc, "score", d->score) &&
         cJSON_AddNumberToObject(doc, "max_score", d->max_score) &&
         cJSON_AddStringToObject(doc, "recommendation", ltk_decide_rec_name(d->rec)) &&
         cJSON_AddStringToObject(doc, "priority", ltk_decide_priority_name(d->rec));
    if (ok) {
        ok = cJSON_AddItemToObject(doc, "reasons", reasons);
        reasons = NULL;
    }
    ok = ok && cJSON_AddItemToObject(doc, "inputs", inputs_json(&d->inputs));
    ok = ok && cJSON_AddItemToObject(doc, "framework", walk_json(&d->walk));
    ok = ok && cJSON_AddStringToObject(doc, "agreement", ltk_decide_agreement_name(d->agreement));
    cJSON_Delete(reasons);
    if (!ok) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* ==== scenarios =========================================================== */

size_t ltk_decide_scenario_count(void)
{
    return NELEM(scenarios);
}

const struct ltk_decide_scenario *ltk_decide_scenario_at(size_t i)
{
    return i < NELEM(scenarios) ? &scenarios[i] : NULL;
}

const struct ltk_decide_scenario *ltk_decide_scenario_find(const char *name, struct ltk_error *err)
{
    for (size_t i = 0; i < NELEM(scenarios); i++) {
        const char *a = scenarios[i].name, *b = name;
        while (*a && tolower((unsigned char)*a) == tolower((unsigned char)*b))
            a++, b++;
        if (!*a && !*b)
            return &scenarios[i];
    }
    char q[80];
    ltk_quote_text(name, q, sizeof q);
    ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "no scenario called %s; \"--scenario list\" shows them", q);
    return NULL;
}

/* How the score and the framework compare with the module's own yes/no for
 * a scenario it answers in words. */
struct versus {
    enum ltk_decide_agreement score, framework;
};

static struct versus versus_module(const struct ltk_decide_scenario *s, const struct ltk_decision *d)
{
    bool yes = s->answer && strcmp(s->answer, "yes") == 0;
    struct versus v = { ltk_decide_compare(d->rec, yes),
                        d->walk.test == yes ? LTK_DECIDE_AGREE : LTK_DECIDE_DISAGREE };
    return v;
}

int ltk_decide_write_scenario_list(FILE *out)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    ltk_buf_printf(&b, "%-16s %-7s %-15s %-10s %-38s %s\n", "NAME", "MODULE", "SCORE", "FRAMEWORK",
                   "FROM (MODULE M3.4)", "SITUATION");
    size_t differ = 0;
    for (size_t i = 0; i < NELEM(scenarios); i++) {
        const struct ltk_decide_scenario *s = &scenarios[i];
        struct ltk_decision d;
        if (ltk_decide_score(&s->inputs, &d, NULL) != LTK_OK) {
            ltk_buf_release(&b);
            return LTK_EINVAL;
        }
        char sc[32], fw[32];
        snprintf(sc, sizeof sc, "%s (%d)%s", ltk_decide_rec_name(d.rec), d.score,
                 !s->scored && versus_module(s, &d).score != LTK_DECIDE_AGREE ? " *" : "");
        snprintf(fw, sizeof fw, "%s%s", d.walk.test ? "test" : "no test",
                 !s->scored && versus_module(s, &d).framework != LTK_DECIDE_AGREE ? " *" : "");
        differ += !s->scored && (versus_module(s, &d).score != LTK_DECIDE_AGREE ||
                                 versus_module(s, &d).framework != LTK_DECIDE_AGREE);
        ltk_buf_printf(&b, "%-16s %-7s %-15s %-10s %-38s %s\n", s->name, s->scored ? "-" : s->answer, sc, fw,
                       s->source, s->title);
    }
    ltk_buf_printf(&b, "\nMODULE is the module's own answer where it gives one in words; SCORE and FRAMEWORK\n"
                       "are ltk's, on the module's inputs or, where it names fewer, on stated assumptions\n"
                       "(--scenario NAME shows them).  * marks a disagreement with the module's answer\n"
                       "(%zu of the scenarios it answers).\n", differ);
    ltk_buf_puts(&b, "\n\"ltk decide --scenario NAME\" shows one in full.\n");
    return ltk_buf_flush(out, &b);
}

int ltk_decide_write_scenario(FILE *out, const struct ltk_decide_scenario *s)
{
    struct ltk_buf b;
    ltk_buf_init(&b);
    ltk_buf_printf(&b, "Scenario: %s: %s\n", s->name, s->title);
    ltk_buf_printf(&b, "From:     module M3.4, %s\n", s->source);
    struct ltk_decision d;
    if (ltk_decide_score(&s->inputs, &d, NULL) != LTK_OK) {
        ltk_buf_release(&b);
        return LTK_EINVAL;
    }
    if (!s->scored) {
        ltk_buf_printf(&b, "Answer:   %s, %s (the module's)\n", s->answer,
                       strcmp(s->answer, "yes") == 0 ? "load test" : "do not load test");
        ltk_buf_printf(&b, "Why:      %s\n", s->why);
        if (s->time_investment)
            ltk_buf_printf(&b, "Effort:   %s\n", s->time_investment);
        if (s->time_investment)
            ltk_buf_printf(&b, "Instead:  %s\n", s->alternative ? s->alternative : "none needed: load test");
        ltk_buf_printf(&b, "Assumed:  the module does not give every input; ltk reads it as: %s\n", s->assumed);
    }
    put_decision(&b, &d);
    if (!s->scored) {
        struct versus v = versus_module(s, &d);
        ltk_buf_printf(&b, "Against the module's answer: score %s, framework %s\n",
                       ltk_decide_agreement_name(v.score), ltk_decide_agreement_name(v.framework));
    }
    return ltk_buf_flush(out, &b);
}

static cJSON *str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *scenario_member(const struct ltk_decide_scenario *s, const struct ltk_decision *d)
{
    cJSON *o = cJSON_CreateObject();
    if (o && !s->scored) {
        struct versus v = versus_module(s, d);
        cJSON *a = cJSON_AddObjectToObject(o, "versus_module");
        if (!a || !cJSON_AddStringToObject(a, "score", ltk_decide_agreement_name(v.score)) ||
            !cJSON_AddStringToObject(a, "framework", ltk_decide_agreement_name(v.framework))) {
            cJSON_Delete(o);
            return NULL;
        }
    } else if (o && !cJSON_AddNullToObject(o, "versus_module")) {
        cJSON_Delete(o);
        return NULL;
    }
    if (!o || !cJSON_AddStringToObject(o, "name", s->name) ||
        !cJSON_AddStringToObject(o, "source", s->source) || !cJSON_AddStringToObject(o, "title", s->title) ||
        !cJSON_AddBoolToObject(o, "scored", s->scored) ||
        !cJSON_AddItemToObject(o, "module_answer", str_or_null(s->answer)) ||
        !cJSON_AddItemToObject(o, "assumed", str_or_null(s->assumed)) ||
        !cJSON_AddItemToObject(o, "time_investment", str_or_null(s->time_investment)) ||
        !cJSON_AddItemToObject(o, "alternative", str_or_null(s->alternative))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *ltk_decide_scenario_to_json(const struct ltk_decide_scenario *s)
{
    struct ltk_decision d;
    if (ltk_decide_score(&s->inputs, &d, NULL) != LTK_OK)
        return NULL;
    cJSON *doc = ltk_decide_to_json(&d);
    if (doc && !cJSON_AddItemToObject(doc, "scenario", scenario_member(s, &d))) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

cJSON *ltk_decide_scenarios_to_json(void)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *list = cJSON_CreateArray();
    bool ok = doc && list && cJSON_AddStringToObject(doc, "schema", "ltk.decision-scenarios/1");
    for (size_t i = 0; ok && i < NELEM(scenarios); i++) {
        cJSON *one = ltk_decide_scenario_to_json(&scenarios[i]);
        cJSON *sc = one ? cJSON_DetachItemFromObject(one, "schema") : NULL;
        cJSON_Delete(sc);
        ok = one && cJSON_AddItemToArray(list, one);
        if (!ok)
            cJSON_Delete(one);
    }
    if (ok) {
        ok = cJSON_AddItemToObject(doc, "scenarios", list);
        list = NULL;
    }
    cJSON_Delete(list);
    if (!ok) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}
