/* The selection of a run as text and JSON (see ltk/render/select_view.h). */
#include "ltk/render/select_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/strutil.h"

bool ltk_selection_active(const struct ltk_run *run)
{
    return run && (run->selection.window || run->selection.filter);
}

static int list(FILE *fp, const char *opt, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *q = ltk_asprintf("%s", v[i]);
        if (!q)
            return LTK_ENOMEM;
        for (char *p = q; *p; p++)   /* one line: a newline in an expression is shown as a space */
            if (*p == '\n' || *p == '\r')
                *p = ' ';
        int w = fprintf(fp, " %s '%s'", opt, q);
        free(q);
        if (w < 0)
            return LTK_EIO;
    }
    return LTK_OK;
}

int ltk_selection_write_text(FILE *fp, const struct ltk_run *run)
{
    if (!ltk_selection_active(run))
        return LTK_OK;
    const struct ltk_selection *s = &run->selection;
    if (s->window &&
        fprintf(fp, "selection: %.0f s to %.0f s since the run's start (Unix time %lld), asked --from %s --to %s\n",
                s->from_s, s->to_s, (long long)s->start, s->from_text[0] ? s->from_text : "(start)",
                s->to_text[0] ? s->to_text : "(end)") < 0)
        return LTK_EIO;
    if (s->filter) {
        if (fprintf(fp, "selection: %zu of %zu endpoint(s) kept by", s->endpoints_kept,
                    s->endpoints_kept + s->endpoints_dropped) < 0)
            return LTK_EIO;
        int rc = list(fp, "--only", s->only, s->nonly);
        rc = rc ? rc : list(fp, "--exclude", s->exclude, s->nexclude);
        if (rc || fputc('\n', fp) == EOF)
            return rc ? rc : LTK_EIO;
    }
    if (s->basis && fprintf(fp, "selection: %s\n", s->basis) < 0)
        return LTK_EIO;
    return LTK_OK;
}

static cJSON *strings(char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++) {
        cJSON *one = cJSON_CreateString(v[i]);
        if (!one || !cJSON_AddItemToArray(a, one)) {
            cJSON_Delete(one);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

cJSON *ltk_selection_to_json(const struct ltk_run *run)
{
    const struct ltk_selection *s = &run->selection;
    struct ltk_jb b = { false };
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    ltk_jb_str(&b, o, "run", run->label);
    if (s->window) {
        cJSON *w = ltk_jb_obj(&b, o, "window");
        if (w) {
            ltk_jb_str(&b, w, "from", s->from_text[0] ? s->from_text : NULL);
            ltk_jb_str(&b, w, "to", s->to_text[0] ? s->to_text : NULL);
            ltk_jb_num(&b, w, "start_unix", (double)s->start);
            ltk_jb_num(&b, w, "from_s", s->from_s);
            ltk_jb_num(&b, w, "to_s", s->to_s);
        }
    } else if (!cJSON_AddNullToObject(o, "window")) {
        b.failed = true;
    }
    cJSON *f = ltk_jb_obj(&b, o, "endpoints");
    if (f) {
        cJSON *only = strings(s->only, s->nonly), *excl = strings(s->exclude, s->nexclude);
        if (!only || !cJSON_AddItemToObject(f, "only", only)) {
            cJSON_Delete(only);
            b.failed = true;
        }
        if (!excl || !cJSON_AddItemToObject(f, "exclude", excl)) {
            cJSON_Delete(excl);
            b.failed = true;
        }
        ltk_jb_num(&b, f, "kept", (double)s->endpoints_kept);
        ltk_jb_num(&b, f, "dropped", (double)s->endpoints_dropped);
    }
    ltk_jb_str(&b, o, "basis", s->basis);
    /* the lines the text output shows, for pages and readers of the JSON */
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    int rc = mem ? ltk_selection_write_text(mem, run) : LTK_ENOMEM;
    if (mem && fclose(mem) != 0)
        rc = LTK_EIO;
    cJSON *lines = rc == LTK_OK ? ltk_jb_arr(&b, o, "text") : NULL;
    for (char *p = text; lines && p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        cJSON *one = cJSON_CreateString(p);
        if (!one || !cJSON_AddItemToArray(lines, one)) {
            cJSON_Delete(one);
            b.failed = true;
            break;
        }
        p = nl ? nl + 1 : NULL;
    }
    free(text);
    if (rc)
        b.failed = true;
    if (b.failed) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
