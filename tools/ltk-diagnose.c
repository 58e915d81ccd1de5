/* ltk-diagnose: why did it break?  Today: module M3.4's bottleneck decision
 * tree (Section 4) on four numbers given as flags.  All rules live in
 * lib/diagnose.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ltk/diagnose.h"
#include "ltk/json.h"
#include "ltk/outfile.h"

static const char *const prog = "ltk-diagnose";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ltk diagnose --cpu PCT --mem PCT --error-rate PCT --error-type TEXT\n"
            "\n"
            "Name the bottleneck with the decision tree of module M3.4, Section 4, and\n"
            "say what to do about it.  The first rule that holds decides:\n"
            "  error type contains \"RateLimitError\" or \"429\"      rate_limit\n"
            "  error type contains \"QueuePool\" or \"connection\"    connection_pool\n"
            "    (\"connection\" in any case)\n"
            "  CPU above 80%%                                      cpu_bound\n"
            "  memory above 85%%                                   memory_bound\n"
            "  error rate below 1%%                                healthy\n"
            "  anything else                                      unknown\n"
            "\n"
            "options:\n"
            "  --cpu PCT          CPU use during the test, 0-100\n"
            "  --mem PCT          memory use during the test, 0-100\n"
            "  --error-rate PCT   share of failed requests, 0-100\n"
            "  --error-type TEXT  the most frequent error message (\"\" when there was none)\n"
            "  --json             JSON (schema ltk.diagnosis/1)\n"
            "  --pretty           indent the JSON\n"
            "  -o, --output F     write to F (atomically) instead of standard output\n"
            "  -h, --help         show this help\n"
            "  -V, --version      show the version\n"
            "\n"
            "A finding from these rules has confidence 1: the rule is applied to the\n"
            "numbers as given.  Reading a Locust run (ltk diagnose RUN) is not available\n"
            "in this version.\n"
            "Exit status: 0 healthy, 1 a problem was found, 2 usage or input error.\n");
}

enum { OPT_CPU = 256, OPT_MEM, OPT_ERROR_RATE, OPT_ERROR_TYPE, OPT_JSON, OPT_PRETTY };

static const struct option options[] = {
    { "cpu", required_argument, NULL, OPT_CPU },
    { "mem", required_argument, NULL, OPT_MEM },
    { "error-rate", required_argument, NULL, OPT_ERROR_RATE },
    { "error-type", required_argument, NULL, OPT_ERROR_TYPE },
    { "json", no_argument, NULL, OPT_JSON },
    { "pretty", no_argument, NULL, OPT_PRETTY },
    { "output", required_argument, NULL, 'o' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

static int write_result(FILE *out, const struct ltk_diagnosis *d, const struct ltk_diagnose_metrics *m,
                        bool json, bool pretty)
{
    if (!json)
        return ltk_diagnose_write_text(out, d, m);
    cJSON *doc = ltk_diagnose_to_json(d, m);
    if (!doc)
        return LTK_ENOMEM;
    int rc = ltk_json_write(out, doc, pretty);
    cJSON_Delete(doc);
    return rc;
}

int main(int argc, char **argv)
{
    struct ltk_diagnose_metrics m = { 0 };
    bool have_cpu = false, have_mem = false, have_rate = false, json = false, pretty = false;
    const char *output = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:hV", options, NULL)) != -1) {
        switch (c) {
        case OPT_CPU:
            if (!ltk_cli_number(prog, "--cpu", optarg, &m.cpu_pct))
                return LTK_EXIT_USAGE;
            have_cpu = true;
            break;
        case OPT_MEM:
            if (!ltk_cli_number(prog, "--mem", optarg, &m.mem_pct))
                return LTK_EXIT_USAGE;
            have_mem = true;
            break;
        case OPT_ERROR_RATE:
            if (!ltk_cli_number(prog, "--error-rate", optarg, &m.error_rate_pct))
                return LTK_EXIT_USAGE;
            have_rate = true;
            break;
        case OPT_ERROR_TYPE: m.error_type = optarg; break;
        case OPT_JSON: json = true; break;
        case OPT_PRETTY: pretty = true; break;
        case 'o': output = optarg; break;
        case 'h': usage(stdout); return ltk_cli_finish(prog, LTK_EXIT_OK);
        case 'V': ltk_cli_version(prog); return ltk_cli_finish(prog, LTK_EXIT_OK);
        default: usage(stderr); return LTK_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        ltk_cli_fail(prog, "reading a run is not available in this version; give --cpu, --mem, "
                           "--error-rate and --error-type instead (see --help)");
        return LTK_EXIT_USAGE;
    }
    const char *missing = !have_cpu ? "--cpu" : !have_mem ? "--mem" : !have_rate ? "--error-rate"
                        : !m.error_type ? "--error-type" : NULL;
    if (missing) {
        ltk_cli_fail(prog, "missing %s: the decision tree needs --cpu, --mem, --error-rate and "
                           "--error-type (\"\" for none)", missing);
        return LTK_EXIT_USAGE;
    }

    struct ltk_error err;
    ltk_error_clear(&err);
    struct ltk_diagnosis d;
    ltk_diagnosis_init(&d);
    if (ltk_diagnose_metrics(&d, &m, &err)) {
        ltk_cli_error(prog, &err);
        ltk_diagnosis_release(&d);
        return LTK_EXIT_USAGE;
    }
    ltk_diagnosis_sort(&d);
    int status = ltk_diagnosis_has_problem(&d) ? LTK_EXIT_FINDING : LTK_EXIT_OK;

    struct ltk_outfile out;
    if (ltk_outfile_open(&out, output, &err)) {
        ltk_cli_error(prog, &err);
        status = LTK_EXIT_USAGE;
    } else {
        int rc = write_result(out.fp, &d, &m, json, pretty);
        if (rc) {
            ltk_outfile_abort(&out);
            ltk_cli_fail(prog, "cannot write %s: %s", output ? output : "standard output", ltk_strerror(rc));
            status = LTK_EXIT_USAGE;
        } else if (ltk_outfile_commit(&out, &err)) {
            ltk_cli_error(prog, &err);
            status = LTK_EXIT_USAGE;
        }
    }
    ltk_diagnosis_release(&d);
    return ltk_cli_finish(prog, status);
}
