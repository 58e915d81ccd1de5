/* JSON helpers shared by every ltk.* document and JSON input (see
 * ltk/base/json.h). */
#include "ltk/base/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ltk/base/input.h"
#include "ltk/base/error.h"
#include "ltk/base/num.h"
#include "base/strutil.h"

cJSON *ltk_json_number(double v)
{
    if (!isfinite(v))
        return cJSON_CreateNull();
    char buf[32];
    return cJSON_CreateRaw(ltk_format_double(v, buf));
}

int ltk_json_write(FILE *out, const cJSON *doc, bool pretty)
{
    char *text = pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
    if (!text)
        return LTK_ENOMEM;
    size_t n = strlen(text);
    int rc = (fwrite(text, 1, n, out) == n && fputc('\n', out) != EOF) ? LTK_OK : LTK_EIO;
    cJSON_free(text);
    return rc;
}

void ltk_jb_num(struct ltk_jb *b, cJSON *obj, const char *key, double v)
{
    cJSON *n = obj ? ltk_json_number(v) : NULL;
    if (!n || !cJSON_AddItemToObject(obj, key, n)) {
        cJSON_Delete(n);
        b->failed = true;
    }
}

void ltk_jb_bool(struct ltk_jb *b, cJSON *obj, const char *key, bool v)
{
    if (!obj || !cJSON_AddBoolToObject(obj, key, v))
        b->failed = true;
}

void ltk_jb_str(struct ltk_jb *b, cJSON *obj, const char *key, const char *v)
{
    if (!obj || !(v ? cJSON_AddStringToObject(obj, key, v) : cJSON_AddNullToObject(obj, key)))
        b->failed = true;
}

cJSON *ltk_jb_obj(struct ltk_jb *b, cJSON *parent, const char *key)
{
    cJSON *o = parent ? cJSON_CreateObject() : NULL;
    if (!o || !(cJSON_IsArray(parent) ? cJSON_AddItemToArray(parent, o) : cJSON_AddItemToObject(parent, key, o))) {
        cJSON_Delete(o);
        b->failed = true;
        return NULL;
    }
    return o;
}

cJSON *ltk_jb_arr(struct ltk_jb *b, cJSON *parent, const char *key)
{
    cJSON *a = parent ? cJSON_AddArrayToObject(parent, key) : NULL;
    if (!a)
        b->failed = true;
    return a;
}

/* ---- reading ------------------------------------------------------------- */

int ltk_json_read_file(const char *path, size_t max, const char *what, char **text, size_t *len,
                       struct ltk_error *err)
{
    *text = NULL;
    *len = 0;
    FILE *fp;
    int rc = ltk_open_input(path, &fp, err);
    if (rc)
        return rc;
    struct ltk_buf b;
    ltk_buf_init(&b);
    char chunk[1 << 16];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (b.len + got > max) {
            fclose(fp);
            ltk_buf_release(&b);
            return ltk_error_set(err, LTK_ELIMIT, path, 0, 0, "%s larger than %zu bytes", what, max);
        }
        ltk_buf_append(&b, chunk, got);
    }
    bool rerr = ferror(fp);
    fclose(fp);
    if (rerr || b.failed) {
        ltk_buf_release(&b);
        return rerr ? ltk_error_set(err, LTK_EIO, path, 0, 0, "read error")
                    : ltk_error_set(err, LTK_ENOMEM, path, 0, 0, "out of memory");
    }
    if (!b.data) {
        ltk_buf_release(&b);
        return ltk_error_set(err, LTK_EFORMAT, path, 0, 0, "empty file: not %s", what);
    }
    if (memchr(b.data, '\0', b.len)) {
        ltk_buf_release(&b);
        return ltk_error_set(err, LTK_EFORMAT, path, 0, 0, "not valid JSON: a NUL byte");
    }
    *text = b.data;
    *len = b.len;
    return LTK_OK;
}

/* True when word starts at text[off] (text has len bytes, no NUL needed). */
static bool at(const char *text, size_t len, size_t off, const char *word)
{
    size_t n = strlen(word);
    return off <= len && len - off >= n && memcmp(text + off, word, n) == 0;
}

/* True when the error at off is in the last 64 bytes and the text ends
 * inside a string or with an array or object still open: a file cut short
 * (cJSON points at the start of the last token, not at the end). */
static bool cut_off(const char *text, size_t len, size_t off)
{
    if (off + 64 < len)
        return false;
    size_t depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return in_string || depth > 0;
}

int ltk_json_parse(const char *text, size_t len, const char *name, cJSON **out, struct ltk_error *err)
{
    const char *end = NULL;
    *out = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!doc) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        long line = 1;
        for (size_t i = 0; i < off && i < len; i++)
            line += text[i] == '\n';
        const char *why = cut_off(text, len, off) ? ": the file ends inside the document (cut off?)"
                          : (at(text, len, off, "NaN") || at(text, len, off, "Infinity") ||
                             at(text, len, off, "-Infinity"))
                              ? ": NaN and Infinity are not JSON numbers"
                              : "";
        return ltk_error_set(err, LTK_EFORMAT, name, line, 0, "not valid JSON (at byte %zu)%s", off, why);
    }
    for (const char *p = end; p && p < text + len; p++)
        if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t' && *p != '\0') {
            cJSON_Delete(doc);
            return ltk_error_set(err, LTK_EFORMAT, name, 0, 0, "not valid JSON: text after the document");
        }
    *out = doc;
    return LTK_OK;
}

const char *ltk_json_kind(const cJSON *j)
{
    if (!j)
        return "nothing";
    if (cJSON_IsNull(j))
        return "null";
    if (cJSON_IsBool(j))
        return "a boolean";
    if (cJSON_IsNumber(j))
        return "a number";
    if (cJSON_IsString(j))
        return "a string";
    if (cJSON_IsArray(j))
        return "an array";
    return "an object";
}

const char *ltk_json_count_problem(const cJSON *j)
{
    if (!cJSON_IsNumber(j))
        return ltk_json_kind(j);
    double v = j->valuedouble;
    if (!isfinite(v))
        return "a number beyond the range of a double";
    if (v < 0 || v != floor(v))
        return "a negative or fractional number";
    if (v >= (double)LTK_MAX_EXACT_INT)
        return "a number from 2^53 on (not exact in JSON)";
    return NULL;
}
