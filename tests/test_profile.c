/* Check suite for lib/analyze/profile.c: synthetic users-over-time profiles of each
 * test type, the phases found, and the real samples. */
#include "ltk/analyze/profile.h"
#include "ltk/read/load.h"
#include "ltk/model/series.h"
#include "testutil.h"

/* A series from (seconds, users) steps: users[k] held for secs[k] seconds. */
static void make(struct ltk_series *s, const int *secs, const int *users, size_t n)
{
    size_t total = 1;
    for (size_t k = 0; k < n; k++)
        total += (size_t)secs[k];
    s->t = calloc(total, sizeof *s->t);
    s->n = 0;
    s->kind = LTK_HPCT_WINDOW;
    s->t[s->n++].ts = 1000;   /* the 0-user tick Locust writes first */
    for (size_t k = 0; k < n; k++)
        for (int i = 0; i < secs[k]; i++) {
            s->t[s->n].ts = 1000 + (int64_t)s->n;
            s->t[s->n].users = users[k];
            s->n++;
        }
}

static enum ltk_test_type classify(const int *secs, const int *users, size_t n, struct ltk_profile *p)
{
    struct ltk_series s;
    make(&s, secs, users, n);
    ck_assert_int_eq(ltk_profile_detect(&s, NULL, p, NULL), LTK_OK);
    ltk_series_release(&s);
    return p->type;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(test_synthetic_types)
{
    struct ltk_profile p;
    { int s[] = { 5, 115 }, u[] = { 5, 10 };            /* module smoke: 10 users 2 min */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_SMOKE); ltk_profile_release(&p); }
    { int s[] = { 10, 590 }, u[] = { 50, 100 };         /* module load: 100 users 10 min */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_LOAD);
      ck_assert_uint_eq(p.nphases, 2);
      ck_assert_int_eq(p.phases[0].kind, LTK_PHASE_STEADY);  /* 10 s at 50 is a level */
      ck_assert_int_eq(p.phases[1].users, 100);
      ltk_profile_release(&p); }
    { int s[] = { 3, 597 }, u[] = { 50, 100 };
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_LOAD);
      ck_assert_int_eq(p.phases[0].kind, LTK_PHASE_RAMP_UP);
      ltk_profile_release(&p); }
    { int s[] = { 60, 60, 60, 60, 60 }, u[] = { 200, 400, 600, 800, 1000 };  /* stepped stress */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_STRESS);
      ck_assert_uint_eq(p.nphases, 5);
      ltk_profile_release(&p); }
    { int s[] = { 20, 880 }, u[] = { 500, 1000 };       /* module stress command: 1000 users quickly */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_STRESS); ltk_profile_release(&p); }
    { int s[] = { 60, 2, 60, 60 }, u[] = { 10, 250, 500, 10 };  /* spike 10 -> 500 -> 10 */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_SPIKE);
      ck_assert_uint_eq(p.nphases, 4);
      ck_assert_int_eq(p.phases[0].kind, LTK_PHASE_STEADY);
      ck_assert_int_eq(p.phases[1].kind, LTK_PHASE_RAMP_UP);
      ck_assert_int_eq(p.phases[2].kind, LTK_PHASE_SPIKE);
      ck_assert_int_eq(p.phases[2].users, 500);
      ck_assert_int_eq(p.phases[3].kind, LTK_PHASE_RECOVERY);
      ck_assert_int_eq(p.phases[3].users, 10);
      ck_assert_ptr_nonnull(strstr(p.reason, "from 10 to 500"));
      ltk_profile_release(&p); }
    { int s[] = { 60, 5, 5, 5, 5, 5, 5, 5, 5, 5, 60, 60 },   /* a slow rise is no spike */
          u[] = { 10, 60, 110, 160, 210, 260, 310, 360, 410, 460, 500, 10 };
      ck_assert_int_ne(classify(s, u, N(s), &p), LTK_TT_SPIKE); ltk_profile_release(&p); }
    { int s[] = { 60, 60 }, u[] = { 10, 500 };           /* module: 10 -> 500 instantly, not coming back */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_SPIKE);
      ck_assert_uint_eq(p.nphases, 2);
      ck_assert_int_eq(p.phases[0].kind, LTK_PHASE_STEADY);
      ck_assert_int_eq(p.phases[1].kind, LTK_PHASE_SPIKE);   /* no recovery phase */
      ck_assert_int_eq(p.phases[1].users, 500);
      ck_assert_ptr_nonnull(strstr(p.reason, "from 10 to 500 within 1 s (490 users/s) and did not fall back"));
      ltk_profile_release(&p); }
    { int s[] = { 300 }, u[] = { 500 };                  /* module's command: --users 500 --spawn-rate 500 */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_SPIKE);
      ck_assert_uint_eq(p.nphases, 1);
      ck_assert_int_eq(p.phases[0].kind, LTK_PHASE_SPIKE);
      ck_assert_ptr_nonnull(strstr(p.reason, "from 0 to 500 within 1 s"));
      ltk_profile_release(&p); }
    { int s[] = { 1, 1, 298 }, u[] = { 250, 400, 500 };  /* 0 -> 500 in 3 s: 167 users/s */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_SPIKE);
      ck_assert_int_eq(p.phases[p.nphases - 1].kind, LTK_PHASE_SPIKE);
      ltk_profile_release(&p); }
    { int s[] = { 60, 1, 60 }, u[] = { 10, 60, 110 };    /* 10 -> 110 in 2 s: 50 users/s is not more than 50 */
      ck_assert_int_ne(classify(s, u, N(s), &p), LTK_TT_SPIKE); ltk_profile_release(&p); }
    { int s[] = { 60, 1, 60 }, u[] = { 10, 60, 112 };    /* 51 users/s is */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_SPIKE); ltk_profile_release(&p); }
    { int s[] = { 60, 1, 60, 60 }, u[] = { 10, 60, 112, 40 };  /* held jump, then down but not to the base */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_SPIKE);
      ck_assert_int_eq(p.phases[p.nphases - 2].kind, LTK_PHASE_SPIKE);
      ck_assert_int_eq(p.phases[p.nphases - 1].kind, LTK_PHASE_STEADY);   /* 40 users: not a recovery */
      ltk_profile_release(&p); }
    { int s[] = { 60, 60, 60 }, u[] = { 10, 500, 1000 }; /* a jump that is not the peak: a stepped run */
      ck_assert_int_ne(classify(s, u, N(s), &p), LTK_TT_SPIKE); ltk_profile_release(&p); }
    { int s[] = { 10, 10, 10, 10, 10, 550 }, u[] = { 10, 20, 30, 40, 50, 60 };  /* module load ramp, 10/s */
      ck_assert_int_ne(classify(s, u, N(s), &p), LTK_TT_SPIKE); ltk_profile_release(&p); }
    { int s[] = { 10, 4 * 3600 }, u[] = { 25, 50 };      /* module soak: 50 users 4 h */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_SOAK); ltk_profile_release(&p); }
    { int s[] = { 10, 3599 - 10 }, u[] = { 25, 50 };     /* just short of the soak threshold */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_LOAD); ltk_profile_release(&p); }
    { int s[] = { 5, 7 * 24 * 3600 }, u[] = { 5, 10 };   /* a week at 10 users: a soak, not a smoke test */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_SOAK);
      ck_assert_ptr_nonnull(strstr(p.reason, "however few the users"));
      ck_assert_ptr_nonnull(strstr(p.reason, "10 users held")); ltk_profile_release(&p); }
    { int s[] = { 30 * 24 * 3600 }, u[] = { 1 };          /* a month of one user (a raw log's derived users) */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_SOAK);
      ck_assert_msg(strncmp(p.reason, "1 user held for", 15) == 0, "%s", p.reason); ltk_profile_release(&p); }
    { int s[] = { 5, 3599 - 5 }, u[] = { 5, 10 };        /* under an hour at 10 users: smoke */
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_SMOKE); ltk_profile_release(&p); }
    { int s[] = { 10 }, u[] = { 0 };
      ck_assert_int_eq(classify(s, u, N(s), &p), LTK_TT_UNKNOWN); ltk_profile_release(&p); }
}
END_TEST

START_TEST(test_names)
{
    enum ltk_test_type t;
    ck_assert_int_eq(ltk_test_type_parse("spike", &t), LTK_OK);
    ck_assert_int_eq(t, LTK_TT_SPIKE);
    ck_assert_int_eq(ltk_test_type_parse("unknown", &t), LTK_EINVAL);
    ck_assert_int_eq(ltk_test_type_parse("Spike", &t), LTK_EINVAL);
    enum ltk_phase_kind k;
    ck_assert_int_eq(ltk_phase_parse("ramp-up", 7, &k), LTK_OK);
    ck_assert_int_eq(k, LTK_PHASE_RAMP_UP);
    ck_assert_str_eq(ltk_phase_name(LTK_PHASE_RECOVERY), "recovery");
    ck_assert(ltk_type_rules_default()->smoke_max_users == 20);
}
END_TEST

static const struct sample {
    const char *run;
    enum ltk_test_type type;
} samples[] = {
    { "smoke", LTK_TT_SMOKE },   { "load", LTK_TT_LOAD },       { "stress", LTK_TT_STRESS },
    { "spike", LTK_TT_SPIKE },   { "soak", LTK_TT_LOAD },       /* 3 minutes: needs --type soak */
    { "ratelimit", LTK_TT_STRESS }, { "pool", LTK_TT_STRESS }, { "custom_pct", LTK_TT_SMOKE },
    { "spike_hold", LTK_TT_SPIKE }, { "spike_zero", LTK_TT_SPIKE }, { "cpu", LTK_TT_LOAD },
    { "jsonfile", LTK_TT_SMOKE },
};

START_TEST(test_samples)
{
    const struct sample *sm = &samples[_i];
    char rel[128];
    snprintf(rel, sizeof rel, "samples/runs/%s/%s", sm->run, sm->run);
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, source_path(rel), NULL), LTK_OK);
    struct ltk_series s;
    ck_assert_int_eq(ltk_series_from_run(&run, NULL, NULL, &s, NULL), LTK_OK);
    struct ltk_profile p;
    ck_assert_int_eq(ltk_profile_detect(&s, NULL, &p, NULL), LTK_OK);
    ck_assert_msg(p.type == sm->type, "%s: %s (%s)", sm->run, ltk_test_type_name(p.type), p.reason);
    if (sm->type == LTK_TT_SPIKE) {
        /* every spike sample jumps to 175 users; only "spike" falls back (to 10) */
        int have_spike = 0, have_rec = 0;
        for (size_t i = 0; i < p.nphases; i++) {
            if (p.phases[i].kind == LTK_PHASE_SPIKE) {
                have_spike = 1;
                ck_assert_int_eq(p.phases[i].users, 175);
            }
            have_rec |= p.phases[i].kind == LTK_PHASE_RECOVERY;
        }
        ck_assert(have_spike);
        ck_assert_ptr_nonnull(strstr(p.reason, strcmp(sm->run, "spike_zero") ? "from 10 to 175" : "from 0 to 175"));
        ck_assert_int_eq(have_rec, strcmp(sm->run, "spike") == 0);
    }
    ltk_profile_release(&p);
    ltk_series_release(&s);
    ltk_run_release(&run);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("profile");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_synthetic_types);
    tcase_add_test(tc, test_names);
    tcase_add_loop_test(tc, test_samples, 0, sizeof samples / sizeof samples[0]);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
