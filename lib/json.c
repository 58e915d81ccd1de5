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
