/* JSON output helpers shared by every ltk.* document (see ltk/json.h). */
#include "ltk/json.h"

#include <math.h>
#include <string.h>

#include "ltk/error.h"
#include "ltk/num.h"

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
