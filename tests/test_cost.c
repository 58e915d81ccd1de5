/* Check suite for lib/analyze/cost.c: the teaching module's worked numbers
 * (Section 4 caching and rate limit, Section 5 journey and vertical
 * progression, Section 6 upgrade), rounding, validation and plan files. */
#include <math.h>

#include "ltk/analyze/cost.h"
#include "ltk/read/load.h"
#include "testutil.h"

static struct ltk_cost_result compute(const struct ltk_cost_input *in)
{
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_msg(ltk_cost_validate(in, &err) == LTK_OK, "validate: %s", err.msg);
    struct ltk_cost_result r;
    ltk_cost_compute(in, &r);
    return r;
}

/* Section 4: 1000 queries, 80 % hits -> 200 calls; $0.20 -> $0.04. */
START_TEST(test_module_caching_example)
{
    const struct ltk_cost_module *m = ltk_cost_module();
    struct ltk_cost_input in;
    ltk_cost_input_init(&in);
    in.requests = m->cache_requests;
    in.hit_rate = m->cache_hit_rate;
    in.cost_per_call = m->cache_cost_before / m->cache_requests; /* $0.0002 */
    ck_assert(in.cost_per_call == 0.0002);
    struct ltk_cost_result r = compute(&in);
    ck_assert(r.caching.present);
    ck_assert(r.caching.api_calls == m->cache_calls_after);
    ck_assert(r.caching.api_calls == 200);
    ck_assert(r.caching.cache_hits == 800);
    ck_assert(r.caching.cost == m->cache_cost_after);
    ck_assert(r.caching.cost == 0.04);               /* exactly the double 0.04, no noise */
    ck_assert(r.caching.cost_without_cache == m->cache_cost_before);
    ck_assert(r.caching.savings == 0.16);             /* the module's "$0.16 per 1000 queries" */
    ck_assert(r.caching.savings_pct == 80);
    ck_assert(!r.rate.present && !r.scaling.present);
    /* the JSON shows the numbers a person expects */
    cJSON *doc = ltk_cost_to_json(&r);
    char *text = cJSON_PrintUnformatted(doc);
    ck_assert_ptr_nonnull(strstr(text, "\"schema\":\"ltk.cost/2\""));
    ck_assert_ptr_nonnull(strstr(text, "\"api_calls\":200,"));
    ck_assert_ptr_nonnull(strstr(text, "\"cost\":0.04,"));
    ck_assert_ptr_nonnull(strstr(text, "\"cost_without_cache\":0.2,"));
    ck_assert_ptr_nonnull(strstr(text, "\"inputs\":{\"requests\":1000,\"hit_rate\":0.8,\"cost_per_call\":0.0002,"));
    cJSON_free(text);
    cJSON_Delete(doc);
}
END_TEST

/* Section 5: batching cut API calls by 60 %; batches of 10 cut them by 90 %. */
START_TEST(test_batching)
{
    struct ltk_cost_input in;
    ltk_cost_input_init(&in);
    in.requests = 1000;
    in.hit_rate = 0.8;
    in.cost_per_call = 0.0002;
    in.batch_reduction = ltk_cost_module()->journey_batch_call_reduction;
    struct ltk_cost_result r = compute(&in);
    ck_assert(r.caching.batching);
    ck_assert(r.caching.batched_calls == 80);
    ck_assert(r.caching.batch_calls_saved == 120);
    ck_assert(r.caching.batched_cost == 0.016);
    ltk_cost_input_init(&in);
    in.requests = 1000;
    in.batch_size = 10;
    r = compute(&in);
    ck_assert(r.caching.api_calls == 1000); /* no cache given: hit rate 0 */
    ck_assert(r.caching.batched_calls == 100);
    ck_assert(r.caching.batch_calls_saved == 900);
    ck_assert(r.caching.batch_reduction == 0.9);
    ck_assert(isnan(r.caching.cost)); /* no price, no cost */
}
END_TEST

/* Section 4: 125 users x 0.5 queries/s = 62.5 QPS = 3750 QPM against 500 RPM. */
START_TEST(test_module_rate_limit_example)
{
    const struct ltk_cost_module *m = ltk_cost_module();
    struct ltk_cost_input in;
    ltk_cost_input_init(&in);
    in.users = m->rl_users;
    in.rate_per_user = m->rl_rate_per_user;
    in.limit_rpm = m->rl_limit_rpm;
    struct ltk_cost_result r = compute(&in);
    ck_assert(r.rate.present);
    ck_assert(r.rate.qps == m->rl_qps);
    ck_assert(r.rate.qps == 62.5);
    ck_assert(r.rate.qpm == m->rl_qpm);
    ck_assert(r.rate.qpm == 3750);
    ck_assert(r.rate.utilisation_pct == 750);
    ck_assert(r.rate.headroom_qpm == -3250);
    ck_assert(r.rate.headroom_pct == -650);
    ck_assert(r.rate.max_users == 16); /* floor(500 / 30) */
    ck_assert(fabs(r.rate.users_at_limit - 500.0 / 30) < 1e-9);
    ck_assert(r.rate.exceeded);
    ck_assert(r.rate.exceeded_by_qpm == 3250);
    ck_assert(!r.rate.cached);

    /* after the module's fixes: 75 % hits; the arithmetic gives 937.5 QPM
     * where the module states "900 QPM" (rounded) */
    in.hit_rate = m->rl_fixed_hit_rate;
    r = compute(&in);
    ck_assert(r.rate.cached);
    ck_assert(r.rate.provider_qpm == 937.5);
    ck_assert(fabs(r.rate.provider_qpm - m->rl_fixed_qpm_stated) / m->rl_fixed_qpm_stated < 0.05);
    ck_assert(r.rate.max_users_with_cache == 66);
    ck_assert(r.rate.exceeded);
    ck_assert(r.rate.exceeded_by_qpm == 437.5);
    /* the module's "$200/month -> $50/month" is the same 75 % cut */
    ck_assert(m->rl_cost_before * (1 - m->rl_fixed_hit_rate) == m->rl_cost_after);

    /* docs/errata.md 3: the module's 400 users after the fixes, same 0.5
     * queries/s and 75 % cache: 12000 QPM of which 3000 reach the provider,
     * six times the limit (not within it) */
    struct ltk_cost_input after;
    ltk_cost_input_init(&after);
    after.users = m->rl_fixed_users;
    after.rate_per_user = m->rl_rate_per_user;
    after.limit_rpm = m->rl_limit_rpm;
    after.hit_rate = m->rl_fixed_hit_rate;
    struct ltk_cost_result r400 = compute(&after);
    ck_assert(r400.rate.present && r400.rate.cached);
    ck_assert(r400.in.users == 400);
    ck_assert(r400.rate.qpm == 12000);
    ck_assert(r400.rate.provider_qpm == 3000);
    ck_assert(r400.rate.provider_utilisation_pct == 600);
    ck_assert(r400.rate.exceeded);
    ck_assert(r400.rate.exceeded_by_qpm == 2500);
    ck_assert(r400.rate.max_users_with_cache == 66);   /* floor(500 / (30 x 0.25)) */

    /* docs/errata.md 4: 3750 QPM for a 30-day month is 162 M calls; at the
     * module's $0.0002 a call (Section 4: $0.20 for 1000 calls) $32,400, and
     * $8,100 with the 75 % cache: not the module's $200 -> $50 */
    struct ltk_cost_input month;
    ltk_cost_input_init(&month);
    month.requests = m->rl_qpm * 60 * 24 * 30;
    ck_assert(month.requests == 162e6);
    month.cost_per_call = m->cache_cost_before / m->cache_requests;
    ck_assert(fabs(month.cost_per_call - 0.0002) < 1e-15);
    month.hit_rate = m->rl_fixed_hit_rate;
    struct ltk_cost_result rm = compute(&month);
    ck_assert(rm.caching.present);
    ck_assert(rm.caching.api_calls == 40.5e6);
    ck_assert(rm.caching.cache_hits == 121.5e6);
    ck_assert(fabs(rm.caching.cost_without_cache - 32400) < 1e-6);
    ck_assert(fabs(rm.caching.cost - 8100) < 1e-6);
    ck_assert(fabs(rm.caching.savings - 24300) < 1e-6);
    ck_assert(fabs(rm.caching.savings_pct - 75) < 1e-9);
    /* the module's $200 at that price is 1 M calls a month, ~23 a minute */
    ck_assert(fabs(m->rl_cost_before / month.cost_per_call - 1e6) < 1e-3);
    ck_assert(fabs(1e6 / (60 * 24 * 30) - 23.15) < 0.01);

    cJSON *doc = ltk_cost_to_json(&r);
    char *text = cJSON_PrintUnformatted(doc);
    ck_assert_ptr_nonnull(strstr(text, "\"qps\":62.5,\"qpm\":3750,"));
    ck_assert_ptr_nonnull(strstr(text, "\"max_users\":16,"));
    ck_assert_ptr_nonnull(strstr(text, "\"provider_qpm\":937.5,"));
    ck_assert_ptr_nonnull(strstr(text, "\"limit_exceeded\":true"));
    cJSON_free(text);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(test_rate_limit_edges)
{
    struct ltk_cost_input in;
    ltk_cost_input_init(&in);
    in.users = 20;
    in.rate_per_user = 0.5;
    in.limit_rpm = 600; /* exactly at the limit: allowed */
    struct ltk_cost_result r = compute(&in);
    ck_assert(!r.rate.exceeded);
    ck_assert(r.rate.exceeded_by_qpm == 0);
    ck_assert(r.rate.max_users == 20);
    ck_assert(r.rate.headroom_qpm == 0);
    in.rate_per_user = 0.1; /* 0.1 x 60 is not exactly 6 in binary */
    in.limit_rpm = 60;
    r = compute(&in);
    ck_assert(r.rate.max_users == 10);
    ck_assert(r.rate.qpm == 120);
    in.hit_rate = 1; /* every request a hit: nothing reaches the provider */
    r = compute(&in);
    ck_assert(r.rate.provider_qpm == 0);
    ck_assert(isnan(r.rate.max_users_with_cache));
    ck_assert(!r.rate.exceeded);
}
END_TEST

/* Section 5: 900 users at 300 per instance need 3 instances, when each is
 * filled to 100 % (the module's journey; ltk's default is 70 %). */
START_TEST(test_scaling_plan)
{
    struct ltk_cost_input in;
    ltk_cost_input_init(&in);
    in.target_utilisation = 1;
    in.capacity_per_instance = 300;
    in.target_users = 900;
    in.instance_price = 40;
    in.fixed_cost = 10;
    in.requests_per_month = 1000000;
    struct ltk_cost_result r = compute(&in);
    ck_assert(r.scaling.present);
    ck_assert(r.scaling.instances == 3);
    ck_assert(r.scaling.fleet_capacity == 900);
    ck_assert(r.scaling.spare_users == 0);
    ck_assert(r.scaling.fleet_utilisation_pct == 100);
    ck_assert(r.scaling.monthly_cost == 130);
    ck_assert(r.scaling.cost_per_1000_requests == 0.13);
    in.target_users = 901; /* one more user, one more instance */
    in.requests_per_month = NAN;
    in.fixed_cost = NAN;
    r = compute(&in);
    ck_assert(r.scaling.instances == 4);
    ck_assert(r.scaling.spare_users == 299);
    ck_assert(r.scaling.monthly_cost == 160);
    ck_assert(isnan(r.scaling.cost_per_1000_requests));
    /* a fractional measured capacity: 0.1 x 3 is 0.30000000000000004 */
    in.capacity_per_instance = 0.1;
    in.target_users = 3;
    r = compute(&in);
    ck_assert(r.scaling.instances == 30);
}
END_TEST

/* Section 5 journey: 50 -> 150 -> 150 -> 300 -> 900 users, +$10, 0, +$40,
 * +$80 = +$130/month, 18x; vertical 50/100/200/400; Section 6 $40 -> $120. */
START_TEST(test_module_journey)
{
    const struct ltk_cost_module *m = ltk_cost_module();
    ck_assert_uint_eq(m->nsteps, 5);
    const double users[] = { 50, 150, 150, 300, 900 };
    const double added[] = { 0, 10, 0, 40, 80 };
    const char *names[] = { "start", "cache", "batch", "vertical", "horizontal" };
    for (size_t i = 0; i < m->nsteps; i++) {
        ck_assert_str_eq(m->steps[i].name, names[i]);
        ck_assert(m->steps[i].capacity_users == users[i]);
        ck_assert(m->steps[i].added_cost == added[i]);
    }
    struct ltk_cost_journey j;
    ltk_cost_journey_totals(&j);
    ck_assert(j.start_users == 50);
    ck_assert(j.end_users == 900);
    ck_assert(j.gain == 18);
    ck_assert(j.gain == m->journey_gain);
    ck_assert(j.total_added_cost == 130);
    ck_assert(j.total_added_cost == m->journey_total_added_cost);
    ck_assert(j.total_minutes == 425); /* 4 h + 2 h + 5 min + 1 h: the module's "~7 hours" */
    ck_assert(m->cache_hit_rate == 0.8 && m->journey_batch_call_reduction == 0.6);

    ck_assert_uint_eq(m->nvertical, 4);
    for (size_t i = 0; i < m->nvertical; i++)
        ck_assert(m->vertical[i].capacity_users == 50 * pow(2, (double)i));
    ck_assert(m->upgrade_from.price == 40 && m->upgrade_to.price == 120);
    ck_assert(m->upgrade_from.capacity_users == 100 && m->upgrade_to.capacity_users == 400);
    /* the upgrade as a scaling plan: 400 users on the bigger size, one
     * instance filled to 100 % (the module's comparison; below ltk's
     * default minimum of 2 and its 70 %) */
    struct ltk_cost_input in;
    ltk_cost_input_init(&in);
    in.target_utilisation = 1;
    in.min_replicas = 1;
    in.capacity_per_instance = m->upgrade_to.capacity_users;
    in.target_users = 400;
    in.instance_price = m->upgrade_to.price;
    struct ltk_cost_result r = compute(&in);
    ck_assert(r.scaling.instances == 1);
    ck_assert(r.scaling.monthly_cost - m->upgrade_from.price == 80);
    ck_assert(r.scaling.cost_per_user == 0.3);

    ltk_cost_input_init(&in);
    in.journey = true;
    r = compute(&in);
    cJSON *doc = ltk_cost_to_json(&r);
    char *text = cJSON_PrintUnformatted(doc);
    ck_assert_ptr_nonnull(strstr(text, "\"start_users\":50,\"end_users\":900,\"gain\":18,"
                                       "\"total_added_cost_per_month\":130,"));
    ck_assert_ptr_nonnull(strstr(text, "\"name\":\"horizontal\""));
    cJSON_free(text);
    cJSON_Delete(doc);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_int_eq(ltk_cost_write_table(out, &r, false), LTK_OK);
    fclose(out);
    ck_assert_ptr_nonnull(strstr(buf, "50 -> 900 users (18x) for $130.00/month more"));
    ck_assert_ptr_null(strchr(buf, '\x1b'));
    free(buf);
}
END_TEST

START_TEST(test_tidy_and_shares)
{
    ck_assert(ltk_cost_tidy(1000 * (1 - 0.8) * 0.0002) == 0.04);
    ck_assert(ltk_cost_tidy(0.1 + 0.2) == 0.3);
    ck_assert(ltk_cost_tidy(3750) == 3750);
    ck_assert(signbit(ltk_cost_tidy(-0.0)) == 0);
    ck_assert(isnan(ltk_cost_tidy(NAN)));
    double v;
    ck_assert_ptr_null(ltk_cost_parse_share("0.8", &v));
    ck_assert(v == 0.8);
    ck_assert_ptr_null(ltk_cost_parse_share("80%", &v));
    ck_assert(v == 0.8);
    ck_assert_ptr_null(ltk_cost_parse_share("75 %", &v));
    ck_assert(v == 0.75);
    const char *bad[] = { "", "%", "80%%", "abc", "0x1", " 0.8", "80 %%", "eighty%" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(ltk_cost_parse_share(bad[i], &v) != NULL, "accepted '%s'", bad[i]);
}
END_TEST

static void expect_invalid(const struct ltk_cost_input *in, const char *msg)
{
    struct ltk_error err;
    ltk_error_clear(&err);
    ck_assert_int_eq(ltk_cost_validate(in, &err), LTK_EINVAL);
    ck_assert_msg(strstr(err.msg, msg) != NULL, "'%s' lacks '%s'", err.msg, msg);
}

START_TEST(test_invalid_inputs)
{
    struct ltk_cost_input in;
    ltk_cost_input_init(&in);
    expect_invalid(&in, "nothing to compute");
    in.requests = 1000;
    expect_invalid(&in, "--requests needs");
    in.hit_rate = 1.2;
    expect_invalid(&in, "--hit-rate must be between 0 and 1");
    in.hit_rate = -0.1;
    expect_invalid(&in, "--hit-rate must be between 0 and 1");
    in.hit_rate = 0.8;
    in.cost_per_call = -0.0002;
    expect_invalid(&in, "--cost-per-call must not be negative");
    in.cost_per_call = 0.0002;
    in.batch_reduction = 1;
    expect_invalid(&in, "--batch-reduction must be at least 0 and below 1");
    in.batch_reduction = 0.6;
    in.batch_size = 10;
    expect_invalid(&in, "cannot be combined");
    in.batch_reduction = NAN;
    in.batch_size = 4096;   /* the value: twice the module's cap */
    expect_invalid(&in, "--batch-size must be at most 2048, the most texts one embedding call takes");
    expect_invalid(&in, "got 4096");
    in.batch_size = 2049;
    expect_invalid(&in, "--batch-size must be at most 2048");
    in.batch_size = 2048;   /* the cap itself is allowed */
    struct ltk_error ok;
    ck_assert_msg(ltk_cost_validate(&in, &ok) == LTK_OK, "%s", ok.msg);
    ck_assert(ltk_cost_module()->embedding_batch_max == 2048);
    in.batch_reduction = 0.6;
    in.batch_size = NAN;
    in.requests = 0;
    expect_invalid(&in, "--requests must be above 0");

    ltk_cost_input_init(&in);
    in.users = 125;
    in.rate_per_user = 0;
    in.limit_rpm = 500;
    expect_invalid(&in, "--rate-per-user must be above 0");
    in.rate_per_user = 0.5;
    in.users = 12.5;
    expect_invalid(&in, "--users must be a whole number");
    in.users = 125;
    in.limit_rpm = NAN;
    expect_invalid(&in, "--limit-rpm is missing");

    ltk_cost_input_init(&in);
    in.cost_per_call = 1;
    expect_invalid(&in, "--cost-per-call needs --requests");
    ltk_cost_input_init(&in);
    in.hit_rate = 0.5;
    expect_invalid(&in, "--hit-rate needs --requests or --users");
    ltk_cost_input_init(&in);
    in.target_users = 900;
    in.capacity_per_instance = 300;
    expect_invalid(&in, "--instance-price is missing");
    in.instance_price = -40;
    expect_invalid(&in, "--instance-price must not be negative");
    in.instance_price = 40;
    in.capacity_per_instance = 0;
    expect_invalid(&in, "--capacity-per-instance must be above 0");
    in.capacity_per_instance = 300;
    in.fixed_cost = -1;
    expect_invalid(&in, "--fixed-cost must not be negative");
}
END_TEST

static int parse(struct ltk_cost_input *in, const char *text, struct ltk_error *err)
{
    ltk_error_clear(err);
    return ltk_cost_parse_plan(in, text, strlen(text), "plan.json", err);
}

START_TEST(test_plan_file)
{
    struct ltk_cost_input in;
    struct ltk_error err;
    ltk_cost_input_init(&in);
    in.users = 10; /* given as an option: wins over the file */
    ck_assert_int_eq(parse(&in, "{\"schema\": \"ltk.cost-plan/1\", \"users\": 125, \"rate_per_user\": 0.5,\n"
                                " \"limit_rpm\": 500, \"hit_rate\": \"75%\", \"journey\": true,\n"
                                " \"requests\": null}",
                           &err),
                     LTK_OK);
    ck_assert(in.users == 10);
    ck_assert(in.rate_per_user == 0.5 && in.limit_rpm == 500 && in.hit_rate == 0.75);
    ck_assert(in.journey);
    ck_assert(isnan(in.requests));

    /* the "inputs" echo of an ltk.cost/1 document is a valid plan */
    ltk_cost_input_init(&in);
    in.requests = 1000;
    in.hit_rate = 0.8;
    in.cost_per_call = 0.0002;
    struct ltk_cost_result r;
    ltk_cost_compute(&in, &r);
    cJSON *doc = ltk_cost_to_json(&r);
    char *inputs = cJSON_PrintUnformatted(cJSON_GetObjectItem(doc, "inputs"));
    struct ltk_cost_input back;
    ltk_cost_input_init(&back);
    ck_assert_int_eq(parse(&back, inputs, &err), LTK_OK);
    ck_assert(back.requests == 1000 && back.hit_rate == 0.8 && back.cost_per_call == 0.0002);
    ck_assert(isnan(back.users) && !back.journey);
    cJSON_free(inputs);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(test_plan_file_errors)
{
    struct ltk_cost_input in;
    struct ltk_error err;
    static const struct {
        const char *text, *msg;
        long line;
    } cases[] = {
        { "{\n  \"requests\": 1000,\n}\n", "invalid JSON at column", 3 }, /* the trailing comma */
        { "{\"requests\": 1000} trailing", "invalid JSON at column 20", 1 },
        { "", "empty plan file", 0 },
        { "[1, 2]", "a plan must be a JSON object", 0 },
        { "{\"hitrate\": 0.8}", "unknown key 'hitrate'", 0 },
        { "{\"requests\": \"1000\"}", "\"requests\" must be a number", 0 },
        { "{\"hit_rate\": 1.5}", "\"hit_rate\" must be between 0 and 1", 0 },
        { "{\"hit_rate\": \"lots\"}", "\"hit_rate\": expected a share", 0 },
        { "{\"cost_per_call\": -1}", "\"cost_per_call\" must not be negative", 0 },
        { "{\"users\": 1, \"users\": 2}", "key 'users' appears twice", 0 },
        { "{\"schema\": \"ltk.cost/1\"}", "\"schema\" must be \"ltk.cost-plan/1\"", 0 },
        { "{\"journey\": 1}", "\"journey\" must be true or false", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ltk_cost_input_init(&in);
        ck_assert_int_eq(parse(&in, cases[i].text, &err), LTK_EFORMAT);
        ck_assert_str_eq(err.file, "plan.json");
        ck_assert_msg(strstr(err.msg, cases[i].msg) != NULL, "case %zu: '%s' lacks '%s'", i, err.msg,
                      cases[i].msg);
        ck_assert_int_eq(err.line, cases[i].line);
    }
    /* a NUL byte inside the file */
    ltk_cost_input_init(&in);
    ck_assert_int_eq(ltk_cost_parse_plan(&in, "{\"users\"\0: 1}", 13, "plan.json", &err), LTK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "NUL byte"));
    /* a missing file, and a real file read from disk */
    ck_assert_int_eq(ltk_cost_read_plan(&in, "/nonexistent/plan.json", &err), LTK_EIO);
    ck_assert_str_eq(err.file, "/nonexistent/plan.json");
    const char *path = write_file(temp_dir(), "plan.json", "{\"target_users\": 900, \"capacity_per_instance\": 300,"
                                                           " \"instance_price\": 40}");
    ltk_cost_input_init(&in);
    ck_assert_int_eq(ltk_cost_read_plan(&in, path, &err), LTK_OK);
    ck_assert(in.target_users == 900 && in.capacity_per_instance == 300 && in.instance_price == 40);
}
END_TEST

START_TEST(test_table_verdicts)
{
    struct ltk_cost_input in;
    ltk_cost_input_init(&in);
    in.users = 125;
    in.rate_per_user = 0.5;
    in.limit_rpm = 500;
    struct ltk_cost_result r = compute(&in);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_int_eq(ltk_cost_write_table(out, &r, true), LTK_OK);
    fclose(out);
    ck_assert_ptr_nonnull(strstr(buf, "62.5 requests/s = 3750 requests/min"));
    ck_assert_ptr_nonnull(strstr(buf, "\x1b[1;31mLIMIT EXCEEDED\x1b[0m: 3750 requests/min reach the provider, "
                                      "3250 over the 500 RPM limit"));
    free(buf);
    in.users = 16;
    r = compute(&in);
    buf = NULL;
    out = open_memstream(&buf, &len);
    ck_assert_int_eq(ltk_cost_write_table(out, &r, false), LTK_OK);
    fclose(out);
    ck_assert_ptr_nonnull(strstr(buf, "within the limit: 480 of 500 requests/min"));
    free(buf);
}
END_TEST

/* Levels of an ltk.capacity/1 document: the stress sample's first five
 * (users, p50, p95, p99, error rate). */
#define LEVEL(u, p50, p95, p99, e)                                                                      \
    "{\"users\":" #u ",\"rps\":" #u ",\"p50\":" #p50 ",\"p95\":" #p95 ",\"p99\":" #p99 ",\"error_rate\":" #e \
    ",\"mean_ms\":null}"
#define STRESS_LEVELS                                                                                   \
    "[" LEVEL(10, 670, 1500, 1700, 0) "," LEVEL(20, 550, 1300, 1900, 0) "," LEVEL(40, 1100, 2000, 2800, 0) \
    "," LEVEL(60, 3500, 4700, 5000, 0.027) "," LEVEL(80, 4000, 5000, 5000, 0.0618) "]"

/* The capacity of a run, from ltk capacity's JSON: at the SLO and at the
 * stress criterion, from its levels. */
START_TEST(test_capacity_file)
{
    const char *dir = temp_dir();
    struct ltk_cost_input in;
    struct ltk_error err;
    ltk_cost_input_init(&in);
    ck_assert_str_eq(ltk_cost_default_slo(), "p50<1s,p95<2s,p99<3s,error_rate<1%");
    const char *p = write_file(dir, "cap.json",
                               "{\"schema\":\"ltk.capacity/1\",\"input\":\"runs/stress\",\"criterion\":"
                               "\"error_rate<=5%\",\"levels\":" STRESS_LEVELS "}");
    /* default: the module's load criteria; p95 2000 at 40 users is not < 2 s */
    ck_assert_int_eq(ltk_cost_capacity_from_file(&in, p, NULL, &err), LTK_OK);
    ck_assert(in.capacity_per_instance == 20);
    ck_assert(in.stress_capacity == 60);
    ck_assert_ptr_nonnull(strstr(in.slo, "p95<2000ms"));
    ck_assert_ptr_nonnull(strstr(in.capacity_source, "runs/stress"));
    ck_assert_ptr_nonnull(strstr(in.capacity_source, "measured"));
    /* an SLO given: p95 <= 2 s holds at 40 */
    ltk_cost_input_init(&in);
    ck_assert_int_eq(ltk_cost_capacity_from_file(&in, p, "p95<=2s", &err), LTK_OK);
    ck_assert(in.capacity_per_instance == 40 && in.stress_capacity == 60);
    ck_assert_str_eq(in.slo, "error_rate<=5%,p95<=2000ms");
    /* an error-rate SLO alone: 1 % fails at 60 (2.7 %) */
    ltk_cost_input_init(&in);
    ck_assert_int_eq(ltk_cost_capacity_from_file(&in, p, "error_rate<1%", &err), LTK_OK);
    ck_assert(in.capacity_per_instance == 40);
    /* the file made with ltk capacity --slo: its own conditions are kept */
    ltk_cost_input_init(&in);
    p = write_file(dir, "cap.json",
                   "{\"schema\":\"ltk.capacity/1\",\"criterion\":\"error_rate<=5%,p95<=2000ms\",\"levels\":" STRESS_LEVELS
                   "}");
    ck_assert_int_eq(ltk_cost_capacity_from_file(&in, p, NULL, &err), LTK_OK);
    ck_assert(in.capacity_per_instance == 40);
    /* no level meets the SLO and no fit: refused */
    ltk_cost_input_init(&in);
    ck_assert_int_eq(ltk_cost_capacity_from_file(&in, p, "p95<100ms", &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "no capacity at error_rate<=5%,p95<100ms"));
    ck_assert(isnan(in.capacity_per_instance));
    /* errors */
    static const struct {
        const char *text;
        int rc;
        const char *msg;
    } bad[] = {
        { "{\"schema\":\"ltk.stats/1\"}", LTK_EFORMAT, "ltk.capacity/1" },
        { "{\"schema\":\"ltk.capacity/1\"}", LTK_EFORMAT, "no \"levels\"" },
        { "{\"schema\":\"ltk.capacity/1\",\"levels\":[]}", LTK_EFORMAT, "no \"levels\"" },
        { "{\"schema\":\"ltk.capacity/1\",\"levels\":[{\"users\":-3,\"rps\":1}]}", LTK_EFORMAT, "level 1" },
        { "{\"schema\":\"ltk.capacity/1\",\"levels\":[{\"users\":3,\"rps\":1},{\"users\":2,\"rps\":1}]}", LTK_EFORMAT,
          "level 2" },
        { "{\"schema\":\"ltk.capacity/1\",\"levels\":[{\"users\":3,\"rps\":1,\"error_rate\":7}]}", LTK_EFORMAT,
          "level 1" },
        { "{\"schema\":\n \"ltk.capacity/1\",,}", LTK_EFORMAT, "not valid JSON" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ltk_cost_input_init(&in);
        p = write_file(dir, "cap.json", bad[i].text);
        ck_assert_int_eq(ltk_cost_capacity_from_file(&in, p, NULL, &err), bad[i].rc);
        ck_assert_msg(strstr(err.msg, bad[i].msg), "'%s' lacks '%s'", err.msg, bad[i].msg);
        ck_assert(isnan(in.capacity_per_instance));
    }
    /* the syntax error is located */
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(ltk_cost_capacity_from_file(&in, "/nonexistent/cap.json", NULL, &err), LTK_EIO);
}
END_TEST

/* Issue 21: 500 users at the SLO capacity of 20: 25 instances at 100 %
 * ($1000), 36 at the module's 70 % ($1440); the stress capacity of 60 gives
 * 9 ($360); 36 is above the module's 10 replicas. */
START_TEST(test_plan_at_slo)
{
    struct ltk_cost_input in;
    struct ltk_error err;
    ltk_cost_input_init(&in);
    in.capacity_per_instance = 20;
    in.stress_capacity = 60;
    in.target_users = 500;
    in.instance_price = 40;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_OK);
    struct ltk_cost_result r;
    ltk_cost_compute(&in, &r);
    const struct ltk_cost_scaling *s = &r.scaling;
    ck_assert(s->utilisation == 0.7 && s->min_replicas == 2 && s->max_replicas == 10);
    ck_assert(s->users_per_instance == 14);
    ck_assert(s->instances_needed == 36 && s->instances == 36); /* 500 / 14 = 35.7 */
    ck_assert(s->monthly_cost == 1440);
    ck_assert(s->exceeds_max && s->max_replicas_users == 140);
    ck_assert(s->at_full.instances == 25 && s->at_full.monthly_cost == 1000);
    ck_assert(s->stress.instances == 9 && s->stress.monthly_cost == 360);
    ck_assert(s->fleet_capacity == 720 && s->spare_users == 220);
    /* the minimum holds: 5 users on instances of 300 need 1, the plan 2 */
    in.target_users = 5;
    in.capacity_per_instance = 300;
    ltk_cost_compute(&in, &r);
    ck_assert(r.scaling.instances_needed == 1 && r.scaling.instances == 2 && !r.scaling.exceeds_max);
    /* utilisation 100 %: the old fill-to-the-brim plan, 600 / 30 = 20 exactly */
    ltk_cost_input_init(&in);
    in.capacity_per_instance = 30;
    in.target_users = 600;
    in.instance_price = 1;
    in.target_utilisation = 1;
    in.max_replicas = 20;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_OK);
    ltk_cost_compute(&in, &r);
    ck_assert(r.scaling.instances == 20 && !r.scaling.exceeds_max);
    ck_assert(isnan(r.scaling.stress.instances));
    /* min above max, a zero utilisation */
    in.min_replicas = 21;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_EINVAL);
    ck_assert_str_eq(err.msg, "--min-replicas 21 is above --max-replicas 20");
    in.min_replicas = NAN;
    in.target_utilisation = 0;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "--target-utilisation must be above 0"));
    /* a replica option without a plan */
    ltk_cost_input_init(&in);
    in.max_replicas = 3;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "the scaling plan needs"));
}
END_TEST

/* The module's growth signal: 50 % CPU now, 80 % in 2 months: 26.49 % a
 * month compounding; 70 % (its "approaching capacity") in 1.43 months,
 * 100 % in 2.95.  And users: 60 now on one instance of 100, +20 % a month
 * (its "growing 20%+ monthly"), a 4x upgrade for $80 (Section 6). */
START_TEST(test_runway)
{
    const struct ltk_cost_module *m = ltk_cost_module();
    struct ltk_cost_input in;
    struct ltk_error err;
    ltk_cost_input_init(&in);
    in.current_cpu = m->growth_example_from;
    in.future_cpu = m->growth_example_to;
    in.months = m->growth_example_months;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_OK);
    struct ltk_cost_result r;
    ltk_cost_compute(&in, &r);
    const struct ltk_cost_runway *w = &r.runway;
    ck_assert(w->present && w->cpu && !r.scaling.present);
    ck_assert_double_eq_tol(w->growth, sqrt(1.6) - 1, 1e-11);
    ck_assert_double_eq_tol(w->months_to_target, 2 * log(1.4) / log(1.6), 1e-9);
    ck_assert_double_eq_tol(w->months_to_full, 2 * log(2) / log(1.6), 1e-9);
    ck_assert(w->target_load == 0.7 && w->full_load == 1);
    ck_assert(isnan(w->months_to_break_even) && !w->costed);
    /* the growth reproduces the stated future load */
    ck_assert_double_eq_tol(in.current_cpu * pow(1 + w->growth, 2), 0.8, 1e-11);
    /* already above the target: now */
    in.current_cpu = 0.75;
    in.future_cpu = 0.9;
    ltk_cost_compute(&in, &r);
    ck_assert(r.runway.months_to_target == 0 && r.runway.months_to_full > 0);

    ltk_cost_input_init(&in);
    in.current_users = 60;
    in.capacity_per_instance = 100;
    in.growth = 0.2;
    in.upgrade_factor = 4;
    in.upgrade_cost = 80;
    in.shortfall_cost = 1000;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_OK);
    ltk_cost_compute(&in, &r);
    w = &r.runway;
    double t70 = log(70.0 / 60) / log(1.2), t100 = log(100.0 / 60) / log(1.2), t500 = log(500.0 / 60) / log(1.2);
    double t400 = log(400.0 / 60) / log(1.2);
    ck_assert_double_eq_tol(w->months_to_target, t70, 1e-9);
    ck_assert_double_eq_tol(w->months_to_full, t100, 1e-9);
    ck_assert_double_eq_tol(w->months_to_break_even, t500, 1e-9);
    ck_assert_double_eq_tol(w->upgraded_months_to_full, t400, 1e-9);
    ck_assert(w->horizon == 12);
    ck_assert_double_eq_tol(w->cost_without_upgrade, 1000 * (12 - t100), 1e-6);
    ck_assert_double_eq_tol(w->cost_with_upgrade, 80 * (12 - t70) + 1000 * (12 - t400), 1e-6);
    ck_assert(w->pays_off);
    ck_assert_double_eq_tol(w->break_even_shortfall, 80 * (12 - t70) / (t400 - t100), 1e-6);
    /* a cheap shortfall: the upgrade does not pay */
    in.shortfall_cost = 100;
    ltk_cost_compute(&in, &r);
    ck_assert(!r.runway.pays_off);
    /* two instances double the capacity */
    in.instances_now = 2;
    ltk_cost_compute(&in, &r);
    ck_assert(r.runway.full_load == 200 && r.runway.target_load == 140);
    /* errors */
    in.future_users = 90;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "not both"));
    in.growth = NAN;
    in.future_users = 50;
    in.months = 1;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "must be above the current load"));
    in.future_users = 90;
    in.upgrade_factor = 1;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_EINVAL);
    in.upgrade_factor = 2;
    in.shortfall_cost = NAN;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "go together"));
    in.shortfall_cost = 5;
    in.current_cpu = 0.5;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_EINVAL);
    in.current_cpu = NAN;
    in.capacity_per_instance = NAN;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "--current-users needs the capacity"));
}
END_TEST

START_TEST(test_k8s_names)
{
    ck_assert_ptr_null(ltk_cost_k8s_name_problem("rag-api", false));
    ck_assert_ptr_null(ltk_cost_k8s_name_problem("rag.api-2", false));
    ck_assert_ptr_null(ltk_cost_k8s_name_problem("a", true));
    static const char *const bad[] = { "", "Rag", "-rag", "rag-", "rag_api", "a..b", "a.-b", "rag api",
                                       "'x'", "a\nb", "$(id)", "rag:1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(ltk_cost_k8s_name_problem(bad[i], false), "'%s' accepted", bad[i]);
    ck_assert_ptr_nonnull(ltk_cost_k8s_name_problem("a.b", true)); /* a label has no dots */
    char longname[300];
    memset(longname, 'a', 254);
    longname[254] = '\0';
    ck_assert_ptr_nonnull(ltk_cost_k8s_name_problem(longname, false));
    longname[253] = '\0';
    ck_assert_ptr_null(ltk_cost_k8s_name_problem(longname, false));
    longname[64] = '\0';
    ck_assert_ptr_nonnull(ltk_cost_k8s_name_problem(longname, true));
    ck_assert_ptr_null(ltk_cost_metric_name_problem("request_queue_depth"));
    ck_assert_ptr_null(ltk_cost_metric_name_problem("ns:queue_depth"));
    ck_assert_ptr_nonnull(ltk_cost_metric_name_problem("1queue"));
    ck_assert_ptr_nonnull(ltk_cost_metric_name_problem("queue depth"));
    ck_assert_ptr_nonnull(ltk_cost_metric_name_problem("q'"));
    /* the HPA name is the deployment's plus -hpa, and must still fit */
    struct ltk_cost_hpa h = { .deployment = longname };
    struct ltk_error err;
    longname[64] = 'a';
    longname[251] = '\0';
    ck_assert_int_eq(ltk_cost_hpa_validate(&h, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "the HPA name"));
    h.deployment = "rag-api";
    h.ns = "prod.eu";
    ck_assert_int_eq(ltk_cost_hpa_validate(&h, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "--namespace"));
    h.ns = NULL;
    h.deployment = "Rag'\n";
    ck_assert_int_eq(ltk_cost_hpa_validate(&h, &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "--deployment 'Rag'\\n'"));
}
END_TEST

/* The manifest holds the plan's numbers and the module's thresholds. */
START_TEST(test_hpa_manifest)
{
    struct ltk_cost_input in;
    struct ltk_error err;
    ltk_cost_input_init(&in);
    in.capacity_per_instance = 100;
    in.target_users = 500;
    in.instance_price = 40;
    in.target_utilisation = 0.6;
    in.max_replicas = 12;
    struct ltk_cost_result r;
    ltk_cost_compute(&in, &r);
    ck_assert(r.scaling.instances == 9); /* 500 / 60 = 8.3 */
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    struct ltk_cost_hpa h = { .deployment = "search", .ns = "prod" };
    ck_assert_int_eq(ltk_cost_write_hpa(fp, &r, &h, &err), LTK_OK);
    fclose(fp);
    static const char *const want[] = {
        "apiVersion: autoscaling/v2\n", "kind: HorizontalPodAutoscaler\n", "  name: 'search-hpa'\n",
        "  namespace: 'prod'\n", "    name: 'search'\n", "  minReplicas: 2\n", "  maxReplicas: 12\n",
        "        averageUtilization: 60\n", "        averageUtilization: 80\n", "        name: 'request_queue_depth'\n",
        "        averageValue: '100'\n", "      stabilizationWindowSeconds: 60\n",
        "      stabilizationWindowSeconds: 300\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(buf, want[i]), "no '%s' in\n%s", want[i], buf);
    ck_assert_ptr_null(strstr(buf, "WARNING"));
    free(buf);
    /* above the maximum: said in the manifest */
    in.max_replicas = 5;
    ltk_cost_compute(&in, &r);
    fp = open_memstream(&buf, &len);
    ck_assert_int_eq(ltk_cost_write_hpa(fp, &r, NULL, &err), LTK_OK);
    fclose(fp);
    ck_assert_ptr_nonnull(strstr(buf, "# WARNING: maxReplicas 5 holds only 300 users; the target needs 9\n"));
    ck_assert_ptr_nonnull(strstr(buf, "  name: 'rag-api-hpa'\n"));
    ck_assert_ptr_null(strstr(buf, "namespace"));
    free(buf);
    /* no plan */
    memset(&r, 0, sizeof r);
    ck_assert_int_eq(ltk_cost_write_hpa(stdout, &r, NULL, &err), LTK_EINVAL);
}
END_TEST

#define HIST                                                                                         \
    "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,95%,99%,Total Request Count,"          \
    "Total Failure Count,Total Median Response Time,Total Average Response Time,"                   \
    "Total Min Response Time,Total Max Response Time,Total Average Content Size\n"

/* The module's 0.5 queries per user per second, measured: 10 users for 60 s
 * sending 5 requests a second, 2 of them to /query. */
START_TEST(test_rate_from_run)
{
    char csv[32768];
    size_t n = (size_t)snprintf(csv, sizeof csv, "%s", HIST);
    for (int t = 0; t <= 60; t++) {
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%d,10,POST,/query,2,0,1,1,1,%d,0,1,1,1,1,1\n", 1000 + t,
                              2 * t);
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%d,10,GET,/health,3,0,1,1,1,%d,0,1,1,1,1,1\n", 1000 + t,
                              3 * t);
        n += (size_t)snprintf(csv + n, sizeof csv - n, "%d,10,,Aggregated,5,0,1,1,1,%d,0,1,1,1,1,1\n", 1000 + t,
                              5 * t);
    }
    const char *path = write_file(temp_dir(), "r_stats_history.csv", csv);
    struct ltk_run run;
    ltk_run_init(&run);
    ck_assert_int_eq(ltk_run_load(&run, path, NULL), LTK_OK);
    struct ltk_cost_input in;
    struct ltk_error err;
    ltk_cost_input_init(&in);
    ck_assert_int_eq(ltk_cost_rate_from_run(&in, &run, NULL, &err), LTK_OK);
    ck_assert(in.rate_per_user == 0.5);  /* 300 requests / 600 user-seconds */
    ck_assert_ptr_nonnull(strstr(in.rate_source, "300 (all) requests over 600 user-seconds"));
    ck_assert_int_eq(ltk_cost_rate_from_run(&in, &run, "/query", &err), LTK_OK);
    ck_assert(in.rate_per_user == 0.2);
    ck_assert_int_eq(ltk_cost_rate_from_run(&in, &run, "POST /query", &err), LTK_OK);
    ck_assert(in.rate_per_user == 0.2);
    ck_assert_int_eq(ltk_cost_rate_from_run(&in, &run, "GET /query", &err), LTK_EINVAL);
    ck_assert_int_eq(ltk_cost_rate_from_run(&in, &run, "/nope", &err), LTK_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "'/nope'"));
    /* then the module's rate-limit arithmetic with it: 125 users x 0.5 = 62.5 QPS */
    ltk_cost_input_init(&in);
    ck_assert_int_eq(ltk_cost_rate_from_run(&in, &run, NULL, &err), LTK_OK);
    in.users = 125;
    in.limit_rpm = 500;
    ck_assert_int_eq(ltk_cost_validate(&in, &err), LTK_OK);
    struct ltk_cost_result r;
    ltk_cost_compute(&in, &r);
    ck_assert(r.rate.qps == 62.5 && r.rate.qpm == 3750);
    ltk_run_release(&run);
    /* no history */
    ltk_run_init(&run);
    run.label = strdup("x");
    ck_assert_int_eq(ltk_cost_rate_from_run(&in, &run, NULL, &err), LTK_EINVAL);
    ltk_run_release(&run);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cost");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_module_caching_example);
    tcase_add_test(tc, test_batching);
    tcase_add_test(tc, test_module_rate_limit_example);
    tcase_add_test(tc, test_rate_limit_edges);
    tcase_add_test(tc, test_scaling_plan);
    tcase_add_test(tc, test_module_journey);
    tcase_add_test(tc, test_tidy_and_shares);
    tcase_add_test(tc, test_invalid_inputs);
    tcase_add_test(tc, test_plan_file);
    tcase_add_test(tc, test_plan_file_errors);
    tcase_add_test(tc, test_table_verdicts);
    tcase_add_test(tc, test_capacity_file);
    tcase_add_test(tc, test_plan_at_slo);
    tcase_add_test(tc, test_k8s_names);
    tcase_add_test(tc, test_runway);
    tcase_add_test(tc, test_hpa_manifest);
    tcase_add_test(tc, test_rate_from_run);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
