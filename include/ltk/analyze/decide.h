/* Should you load test at all?  The scored framework of module M3.4,
 * Section 6 ("should_load_test"), its example scenarios, the Reality Check
 * scenarios A-D (Section 1) and the Cost-Benefit Summary table (Section 6).
 *
 * Every rule, threshold, score and band lives in one table in lib/analyze/decide.c.
 * Like the rest of the library, nothing here prints to a terminal on its own
 * or exits: the ltk_decide_write_* functions write to the FILE* given. */
#ifndef LTK_DECIDE_H
#define LTK_DECIDE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ltk/base/error.h"

/* The highest score the framework can give (2 + 2 + 3). */
#define LTK_DECIDE_MAX_SCORE 7
/* At most one reason per question. */
#define LTK_DECIDE_MAX_REASONS 5

/* The five answers the score needs, and the two more that the module's
 * five-question Decision Framework asks (Section 6): revenue risk beside the
 * SLA (question 3) and an infrastructure decision coming soon (question 4).
 * The score does not use those two: the module's should_load_test has no
 * points for them. */
struct ltk_decide_inputs {
    double daily_users;        /* daily active users, >= 0 */
    double growth_pct;         /* monthly growth in percent (20 for 20 %), >= -100 */
    bool sla;                  /* performance guarantees in a contract */
    bool staging_matches_prod; /* staging resembles production */
    bool architecture_stable;  /* past the MVP stage, not about to pivot */
    bool revenue_risk;         /* slowness or an outage costs revenue (framework only) */
    bool infrastructure_decision; /* an upgrade or scaling decision is due (framework only) */
};

enum ltk_decide_rec {
    LTK_DECIDE_SKIP,     /* score below 3: priority low */
    LTK_DECIDE_CONSIDER, /* score 3 or 4: priority medium */
    LTK_DECIDE_YES,      /* score 5 or more: priority high */
};

/* The Decision Framework's questions, in the module's order. */
enum ltk_decide_fq {
    LTK_FQ_GROWTH,   /* 1. a growth trajectory? (growth above 5 % a month) */
    LTK_FQ_STAGING,  /* 2. staging matches production? */
    LTK_FQ_RISK,     /* 3. SLA requirements or revenue risk? */
    LTK_FQ_INFRA,    /* 4. infrastructure decisions soon? */
    LTK_FQ_ARCH,     /* 5. architecture stable? */
    LTK_FQ_COUNT
};

struct ltk_decide_step {
    enum ltk_decide_fq q;
    const char *question; /* static text */
    bool answer;
    const char *outcome;  /* the module's branch for that answer (static) */
    bool stops;           /* the walk ends here */
};

/* The walk through the framework: questions in order until one's branch ends
 * it.  test says whether it ends in a load test; priority is "high" (question
 * 3 yes), "medium" (a test after question 3 no) or "low". */
struct ltk_decide_walk {
    size_t nsteps;
    struct ltk_decide_step steps[LTK_FQ_COUNT];
    bool test;
    const char *priority;
    const char *verdict; /* what to do, static text */
};

/* How the score and another answer compare: AGREE, PARTIAL (the score says
 * "consider", the module's conditional band), DISAGREE. */
enum ltk_decide_agreement { LTK_DECIDE_AGREE, LTK_DECIDE_PARTIAL, LTK_DECIDE_DISAGREE };

/* "agree", "partial", "disagree". */
const char *ltk_decide_agreement_name(enum ltk_decide_agreement a);

/* The score's recommendation against a yes/no answer to "load test?". */
enum ltk_decide_agreement ltk_decide_compare(enum ltk_decide_rec rec, bool test);

struct ltk_decide_reason {
    const char *text; /* static text, lower case, no final full stop */
    int points;       /* what it added to the score (may be 0 or negative) */
};

struct ltk_decision {
    struct ltk_decide_inputs inputs;
    int score;     /* from -3 to LTK_DECIDE_MAX_SCORE */
    int max_score; /* LTK_DECIDE_MAX_SCORE */
    enum ltk_decide_rec rec;
    size_t nreasons;
    struct ltk_decide_reason reasons[LTK_DECIDE_MAX_REASONS];
    struct ltk_decide_walk walk;          /* the five questions in order */
    enum ltk_decide_agreement agreement;  /* of the score with the walk */
};

/* Checks the inputs (finite numbers, users >= 0, growth >= -100).  Returns
 * LTK_OK or LTK_EINVAL with a message naming the answer. */
int ltk_decide_check(const struct ltk_decide_inputs *in, struct ltk_error *err);

/* Scores in as the module does, and walks the Decision Framework.  Returns LTK_OK, or LTK_EINVAL when the
 * inputs fail ltk_decide_check (d is then left zeroed). */
int ltk_decide_score(const struct ltk_decide_inputs *in, struct ltk_decision *d, struct ltk_error *err);

/* "yes", "consider", "skip" and "high", "medium", "low". */
const char *ltk_decide_rec_name(enum ltk_decide_rec rec);
const char *ltk_decide_priority_name(enum ltk_decide_rec rec);

/* ---- answers: a JSON file, or one question at a time -------------------- */

/* Opens path ("-" for standard input) and reads it as
 * ltk_decide_read_answers does; LTK_EIO when it cannot be opened. */
int ltk_decide_load_answers(const char *path, struct ltk_decide_inputs *in, struct ltk_error *err);

/* Reads an answers file: one JSON object with "daily_users" and "growth_pct"
 * (numbers, required) and "sla", "staging_matches_prod",
 * "architecture_stable", "revenue_risk", "infrastructure_decision"
 * (true/false, optional, default false).  Unknown keys
 * are refused so that a misspelt answer is not silently ignored.  path names
 * the file in messages.  Returns LTK_OK, LTK_EIO,
 * LTK_EFORMAT (with line and column of a syntax error), LTK_ELIMIT (over
 * 1 MiB) or LTK_ENOMEM. */
int ltk_decide_read_answers(FILE *fp, const char *path, struct ltk_decide_inputs *in,
                            struct ltk_error *err);

/* The same from text of len bytes (need not be NUL-terminated). */
int ltk_decide_parse_answers(const char *text, size_t len, const char *path,
                             struct ltk_decide_inputs *in, struct ltk_error *err);

/* One question of the interactive mode, in the order to ask them. */
struct ltk_decide_question {
    const char *key;    /* the answers-file key ("daily_users") */
    const char *prompt; /* the question, ending in "? " */
    bool yes_no;        /* a yes/no question, else a number */
};

size_t ltk_decide_question_count(void);
const struct ltk_decide_question *ltk_decide_question_at(size_t i);

/* Stores the typed answer text (a number, or yes/y/no/n in any case; spaces
 * around it are ignored) for the question key into in.  Returns LTK_OK or
 * LTK_EINVAL with a message saying what was expected. */
int ltk_decide_answer(struct ltk_decide_inputs *in, const char *key, const char *text,
                      struct ltk_error *err);

/* ---- output ---------------------------------------------------------------- */

/* The decision for a terminal: inputs, one line per reason with its points,
 * score out of 7, recommendation and priority.  Returns LTK_OK, LTK_EIO or
 * LTK_ENOMEM. */
int ltk_decide_write_text(FILE *out, const struct ltk_decision *d);

/* The ltk.decision/1 document (see docs/decide-and-diagnose.md); NULL on
 * out of memory. */
cJSON *ltk_decide_to_json(const struct ltk_decision *d);

/* ---- the module's scenarios ------------------------------------------------- */

struct ltk_decide_scenario {
    const char *name;           /* what --scenario takes ("a", "saas") */
    const char *source;         /* where in the module it comes from */
    const char *title;          /* the situation, in a few words */
    bool scored;                /* true: inputs hold the module's own answers; false:
                                 * the module answers in words and inputs are ltk's
                                 * reading of the situation (see assumed) */
    struct ltk_decide_inputs inputs;
    const char *assumed;        /* unscored: which inputs ltk had to assume */
    const char *answer;         /* unscored: the module's answer, "yes" or "no" */
    const char *why;            /* unscored: the reason for that answer */
    const char *time_investment;/* from the cost-benefit table, NULL otherwise */
    const char *alternative;    /* ditto; NULL also where the table says N/A */
};

size_t ltk_decide_scenario_count(void);
const struct ltk_decide_scenario *ltk_decide_scenario_at(size_t i);

/* The scenario called name (case-insensitive), or NULL with err saying so
 * (the name quoted and escaped).  err may be NULL. */
const struct ltk_decide_scenario *ltk_decide_scenario_find(const char *name, struct ltk_error *err);

/* A table of every scenario with its answer (scored ones are evaluated). */
int ltk_decide_write_scenario_list(FILE *out);

/* One scenario: scored ones as ltk_decide_write_text, others with the
 * module's answer, the reason and the cost-benefit columns. */
int ltk_decide_write_scenario(FILE *out, const struct ltk_decide_scenario *s);

/* ltk.decision/1 for one scenario, with a "scenario" member; for an unscored
 * one score, priority and inputs are null and the recommendation is the
 * module's answer ("yes" or "skip"). */
cJSON *ltk_decide_scenario_to_json(const struct ltk_decide_scenario *s);

/* {"schema":"ltk.decision-scenarios/1","scenarios":[...]} */
cJSON *ltk_decide_scenarios_to_json(void);

#endif
