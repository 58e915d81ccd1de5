/* genlog: a deterministic raw Locust request-hook log for the benchmark.
 *
 *     genlog ROWS [SECONDS] > requests.csv
 *
 * Writes the header Locust's `request` event hook of samples/locust writes
 * (timestamp,request_type,name,response_time,response_length,success,
 * exception) and ROWS requests spread evenly over SECONDS (default 3600)
 * starting at 1795801502: the sample runs' endpoints (/health, /query,
 * /retrieval, /embed) and /documents/<id> with 20 ids; lognormal response
 * times in ms with 3 decimals; 2 % failures, a third of them with a
 * multi-line traceback in a quoted exception field (whose lines can look
 * like records).  Timestamps jitter up to 2 s out of order, as a hook's do.
 * Same arguments, same bytes: the generator is a fixed xorshift64*. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef M_PI /* strict C11 has none */
#define M_PI 3.14159265358979323846
#endif

static uint64_t state = 0x9E3779B97F4A7C15ULL;

static double uniform(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (double)((state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static double normal(void)
{
    double u = uniform(), v = uniform();
    return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(2 * M_PI * v);
}

struct endpoint {
    const char *method, *name;
    double weight, mu, sigma;     /* ln(ms) ~ N(mu, sigma) */
    int size;
};

static const struct endpoint eps[] = {
    { "GET", "/health", 0.10, 1.6, 0.4, 33 },
    { "POST", "/query", 0.45, 6.6, 0.6, 740 },
    { "GET", "/retrieval", 0.20, 5.3, 0.5, 720 },
    { "POST", "/embed", 0.10, 4.2, 0.5, 3100 },
    { "GET", "/documents/", 0.15, 3.9, 0.7, 1500 },
};

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: genlog ROWS [SECONDS] > requests.csv\n");
        return 2;
    }
    char *end;
    unsigned long long rows = strtoull(argv[1], &end, 10);
    double seconds = argc > 2 ? strtod(argv[2], NULL) : 3600;
    if (*end || rows == 0 || !(seconds > 0)) {
        fprintf(stderr, "genlog: expected a row count and a duration in seconds\n");
        return 2;
    }
    static char buf[1 << 20];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    fputs("timestamp,request_type,name,response_time,response_length,success,exception\n", stdout);
    const double t0 = 1795801502.0;
    for (unsigned long long i = 0; i < rows; i++) {
        double pick = uniform(), acc = 0;
        size_t e = 0;
        for (; e + 1 < sizeof eps / sizeof eps[0]; e++) {
            acc += eps[e].weight;
            if (pick < acc)
                break;
        }
        double ms = exp(eps[e].mu + eps[e].sigma * normal());
        if (ms > 60000)
            ms = 60000;
        double ts = t0 + seconds * (double)i / (double)rows + ms / 1000 + 2 * uniform();
        int ok = uniform() >= 0.02;
        char name[64];
        if (e == 4)
            snprintf(name, sizeof name, "%s%d", eps[e].name, 1000 + (int)(uniform() * 20));
        else
            snprintf(name, sizeof name, "%s", eps[e].name);
        int size = ok ? eps[e].size + (int)(uniform() * 40) : 0;
        printf("%.6f,%s,%s,%.3f,%d,%d,", ts, eps[e].method, name, ms, size, ok);
        if (!ok) {
            double kind = uniform();
            if (kind < 0.33)
                printf("\"Traceback (most recent call last):\n  File \"\"locustfile.py\"\", line 41, in query\n"
                       "1795801502.000000,GET,/health,5.0,33,1,\nHTTPError: 503 Server Error\"");
            else if (kind < 0.66)
                printf("CatchResponseError('HTTP 503: ServiceUnavailable')");
            else
                printf("\"ReadTimeout(\"\"Read timed out. (read timeout=5.0)\"\")\"");
        }
        putchar('\n');
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
