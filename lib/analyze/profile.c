/* Test-type detection and phases (see ltk/analyze/profile.h). */
#include "ltk/analyze/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The detection thresholds, all in one place.  How each is drawn from the
 * module's test-type table (Section 2: smoke 10 users 2 min, load 100 users
 * 10 min, stress 1000+ users 15 min, spike 500 users at once 5 min, soak 50
 * users 4 h) is explained in docs/criteria.md, "Test-type detection". */
static const struct ltk_type_rules default_rules = {
    .min_level_s = 10,            /* Locust's own rate/percentile window */
    .smoke_max_users = 20,        /* twice the module's smoke 10 users, a fifth of load's 100 */
    .spike_factor = 3.0,          /* module: 10 -> 500 users, 50x; "several times" */
    .spike_rise_s = 10,           /* module: "instantly" (spawn rate 500/s) */
    .spike_return_factor = 2.0,   /* back down to (about) the base level */
    .spike_min_rate = 50.0,       /* held jumps: faster than any other spawn rate of the module
                                   * (stress 50/s, load 10/s); its spike spawns 500/s */
    .stress_ramp_fraction = 0.5,  /* module: "gradually increase", the peak comes late */
    .stress_min_steps = 3,        /* at least three rises: stepped or ramped, not one spawn */
    .stress_min_users = 1000,     /* module: stress is 1000+ users */
    .soak_min_s = 3600,           /* 4x the longest non-soak test (stress, 15 min); soak is 4 h */
};

const struct ltk_type_rules *ltk_type_rules_default(void)
{
    return &default_rules;
}

static const char *const type_names[LTK_TT_COUNT] = {
    "unknown", "smoke", "load", "stress", "spike", "soak",
};

const char *ltk_test_type_name(enum ltk_test_type t)
{
    return (unsigned)t < LTK_TT_COUNT ? type_names[t] : "unknown";
}

int ltk_test_type_parse(const char *s, enum ltk_test_type *out)
{
    for (int t = LTK_TT_SMOKE; t < LTK_TT_COUNT; t++)
        if (strcmp(s, type_names[t]) == 0) {
            *out = (enum ltk_test_type)t;
            return LTK_OK;
        }
    return LTK_EINVAL;
}

static const char *const phase_names[LTK_PHASE_COUNT] = {
    "ramp-up", "steady", "spike", "recovery", "ramp-down",
};

const char *ltk_phase_name(enum ltk_phase_kind k)
{
    return (unsigned)k < LTK_PHASE_COUNT ? phase_names[k] : "?";
}

int ltk_phase_parse(const char *s, size_t len, enum ltk_phase_kind *out)
{
    for (int k = 0; k < LTK_PHASE_COUNT; k++)
        if (strlen(phase_names[k]) == len && memcmp(s, phase_names[k], len) == 0) {
            *out = (enum ltk_phase_kind)k;
            return LTK_OK;
        }
    return LTK_EINVAL;
}

void ltk_profile_release(struct ltk_profile *p)
{
    if (!p)
        return;
    free(p->phases);
    memset(p, 0, sizeof *p);
}

static int add_phase(struct ltk_profile *p, size_t *cap, struct ltk_phase ph)
{
    if (p->nphases == *cap) {
        size_t ncap = *cap ? 2 * *cap : 8;
        struct ltk_phase *np = realloc(p->phases, ncap * sizeof *np);
        if (!np)
            return LTK_ENOMEM;
        p->phases = np;
        *cap = ncap;
    }
    p->phases[p->nphases++] = ph;
    return LTK_OK;
}

/* Emits ticks [first, last] as a ramp (up or down from users_from). */
static int add_ramp(struct ltk_profile *p, size_t *cap, const struct ltk_series *s, size_t first,
                    size_t last, int64_t users_from)
{
    struct ltk_phase ph = {
        .first = first, .last = last, .start = s->t[first].ts, .end = s->t[last].ts,
        .users_from = users_from, .users = s->t[last].users,
    };
    ph.kind = ph.users < users_from ? LTK_PHASE_RAMP_DOWN : LTK_PHASE_RAMP_UP;
    return add_phase(p, cap, ph);
}

/* Splits ticks [a, b] into levels (constant users held min_level_s) and the
 * ramps between them. */
static int find_phases(const struct ltk_series *s, size_t a, size_t b, const struct ltk_type_rules *r,
                       struct ltk_profile *p)
{
    size_t cap = 0;
    size_t pending = SIZE_MAX;      /* first tick of a ramp not yet emitted */
    int64_t before = 0;             /* users before the current ramp/level */
    size_t i = a;
    while (i <= b) {
        size_t j = i;
        while (j + 1 <= b && s->t[j + 1].users == s->t[i].users)
            j++;
        int64_t span = (j + 1 <= b ? s->t[j + 1].ts : s->t[j].ts + 1) - s->t[i].ts;
        if (span >= r->min_level_s) {
            if (pending != SIZE_MAX) {
                if (add_ramp(p, &cap, s, pending, i - 1, before))
                    return LTK_ENOMEM;
                before = s->t[i - 1].users;
                pending = SIZE_MAX;
            }
            struct ltk_phase ph = { .kind = LTK_PHASE_STEADY, .first = i, .last = j,
                                    .start = s->t[i].ts, .end = s->t[j].ts,
                                    .users_from = before, .users = s->t[i].users };
            if (add_phase(p, &cap, ph))
                return LTK_ENOMEM;
            before = s->t[i].users;
        } else if (pending == SIZE_MAX) {
            pending = i;
        }
        i = j + 1;
    }
    if (pending != SIZE_MAX && add_ramp(p, &cap, s, pending, b, before))
        return LTK_ENOMEM;
    return LTK_OK;
}

/* Looks for a spike among the levels: a level at least spike_factor times
 * the level before it (or reached from the 0 users before the run's first
 * user), reached within spike_rise_s of leaving it.  When users later come
 * back down to about the base, the level is the spike and everything after it
 * one recovery phase.  Without that fall-back (the module's own spike command
 * holds its 500 users to the end) the jump must also be sudden, faster than
 * spike_min_rate users/s, and reach the run's peak, or a load test's ramp-up
 * would count; the phases after it stay as they are. */
static bool mark_spike(const struct ltk_series *s, const struct ltk_type_rules *r, struct ltk_profile *p,
                       char *reason, size_t rsize)
{
    if (!p->nphases)
        return false;
    size_t first = p->phases[0].first;   /* the run's first tick with users */
    for (size_t k = 0; k < p->nphases; k++) {
        struct ltk_phase *top = &p->phases[k];
        if (top->kind != LTK_PHASE_STEADY)
            continue;
        /* the level before it, or the 0 users before the run */
        int64_t base_users = 0, base_end = first ? s->t[first - 1].ts : s->t[first].ts - 1;
        for (size_t m = k; m-- > 0;)
            if (p->phases[m].kind == LTK_PHASE_STEADY) {
                base_users = p->phases[m].users;
                base_end = p->phases[m].end;
                break;
            }
        int64_t rise = top->start - base_end;
        if (top->users <= base_users || (double)top->users < r->spike_factor * (double)base_users ||
            rise > r->spike_rise_s)
            continue;
        size_t back = SIZE_MAX;
        for (size_t m = k + 1; base_users && m < p->nphases; m++)
            if (p->phases[m].kind == LTK_PHASE_STEADY &&
                (double)p->phases[m].users <= r->spike_return_factor * (double)base_users) {
                back = m;
                break;
            }
        if (back == SIZE_MAX) {
            double rate = (double)(top->users - base_users) / (double)(rise > 0 ? rise : 1);
            if (!(rate > r->spike_min_rate) || top->users < p->max_users)
                continue;
            snprintf(reason, rsize,
                     "users jumped from %lld to %lld within %lld s (%.0f users/s) and did not fall back: "
                     "held %lld s%s",
                     (long long)base_users, (long long)top->users, (long long)rise, rate,
                     (long long)(top->end - top->start + 1), k + 1 == p->nphases ? " to the end" : "");
            top->kind = LTK_PHASE_SPIKE;
            return true;
        }
        snprintf(reason, rsize,
                 "users jumped from %lld to %lld within %lld s, held %lld s, then fell back to %lld",
                 (long long)base_users, (long long)top->users, (long long)rise,
                 (long long)(top->end - top->start + 1), (long long)p->phases[back].users);
        top->kind = LTK_PHASE_SPIKE;
        if (k + 1 < p->nphases) {
            struct ltk_phase rec = {
                .kind = LTK_PHASE_RECOVERY, .first = top->last + 1, .last = p->phases[p->nphases - 1].last,
                .users_from = top->users, .users = p->phases[p->nphases - 1].users,
            };
            rec.start = s->t[rec.first].ts;
            rec.end = s->t[rec.last].ts;
            p->phases[k + 1] = rec;
            p->nphases = k + 2;
        }
        return true;
    }
    return false;
}

int ltk_profile_detect(const struct ltk_series *s, const struct ltk_type_rules *rules,
                       struct ltk_profile *out, struct ltk_error *err)
{
    const struct ltk_type_rules *r = rules ? rules : &default_rules;
    memset(out, 0, sizeof *out);
    size_t a = SIZE_MAX, b = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->t[i].users > 0) {
            if (a == SIZE_MAX)
                a = i;
            b = i;
            if (s->t[i].users > out->max_users)
                out->max_users = s->t[i].users;
        }
    if (a == SIZE_MAX) {
        out->type = LTK_TT_UNKNOWN;
        snprintf(out->reason, sizeof out->reason, "no users were ever running in the history");
        return LTK_OK;
    }
    out->start = s->t[a].ts;
    out->end = s->t[b].ts;
    if (find_phases(s, a, b, r, out)) {
        ltk_profile_release(out);
        return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int64_t dur = out->end - out->start;
    long long maxu = (long long)out->max_users;

    if (mark_spike(s, r, out, out->reason, sizeof out->reason)) {
        out->type = LTK_TT_SPIKE;
        return LTK_OK;
    }
    int64_t longest = 0, longest_users = 0;
    for (size_t k = 0; k < out->nphases; k++) {
        const struct ltk_phase *ph = &out->phases[k];
        int64_t span = ph->end - ph->start + 1;
        if (ph->kind == LTK_PHASE_STEADY && span > longest) {
            longest = span;
            longest_users = ph->users;
        }
    }
    /* a smoke test is a short check: a level held as long as a soak is a
     * soak, whatever the number of users (a week's raw log of 10 users) */
    if (out->max_users <= r->smoke_max_users && longest >= r->soak_min_s) {
        out->type = LTK_TT_SOAK;
        snprintf(out->reason, sizeof out->reason,
                 "%lld user%s held for %lld s (soak: a level held %lld s or more, however few the users)",
                 (long long)longest_users, longest_users == 1 ? "" : "s", (long long)longest,
                 (long long)r->soak_min_s);
        return LTK_OK;
    }
    if (out->max_users <= r->smoke_max_users) {
        out->type = LTK_TT_SMOKE;
        snprintf(out->reason, sizeof out->reason, "at most %lld users for %lld s (smoke: %lld users or fewer)",
                 maxu, (long long)dur + 1, (long long)r->smoke_max_users);
        return LTK_OK;
    }
    int64_t t_peak = out->start;
    int64_t rises = 0, first_users = s->t[a].users;
    for (size_t i = a; i <= b; i++) {
        if (i > a && s->t[i].users > s->t[i - 1].users)
            rises++;
        if (s->t[i].users == out->max_users) {
            t_peak = s->t[i].ts;
            break;
        }
    }
    if (rises >= r->stress_min_steps && (double)(t_peak - out->start) >= r->stress_ramp_fraction * (double)dur) {
        out->type = LTK_TT_STRESS;
        snprintf(out->reason, sizeof out->reason,
                 "users rose from %lld to %lld (%lld increases), the peak only after %lld of %lld s",
                 (long long)first_users, maxu, (long long)rises, (long long)(t_peak - out->start),
                 (long long)dur + 1);
        return LTK_OK;
    }
    if (out->max_users >= r->stress_min_users) {
        out->type = LTK_TT_STRESS;
        snprintf(out->reason, sizeof out->reason, "%lld users (stress: %lld users or more)", maxu,
                 (long long)r->stress_min_users);
        return LTK_OK;
    }
    if (longest >= r->soak_min_s) {
        out->type = LTK_TT_SOAK;
        snprintf(out->reason, sizeof out->reason, "%lld users held for %lld s (soak: a level held %lld s or more)",
                 (long long)longest_users, (long long)longest, (long long)r->soak_min_s);
        return LTK_OK;
    }
    out->type = LTK_TT_LOAD;
    if (longest)
        snprintf(out->reason, sizeof out->reason,
                 "%lld users held for %lld s, reached after %lld s (load: more than %lld users, level shorter than %lld s)",
                 (long long)longest_users, (long long)longest, (long long)(t_peak - out->start),
                 (long long)r->smoke_max_users, (long long)r->soak_min_s);
    else
        snprintf(out->reason, sizeof out->reason,
                 "up to %lld users, no level held %lld s, peak reached early (after %lld of %lld s)", maxu,
                 (long long)r->min_level_s, (long long)(t_peak - out->start), (long long)dur + 1);
    return LTK_OK;
}
