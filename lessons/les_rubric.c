/* les_rubric.c: the lesson's `rubric:` mapping: pass mark, weights (and,
 * as the grader grows, every metric's thresholds and bands). Its schema is
 * applied by les_lesson.c to the `rubric` key.
 *
 * Threads: reentrant; the tables are const.
 */
#include <stddef.h>
#include <stdio.h>

#include "les_parts.h"

static const les__key les__weight_keys[] = {
    {.name = "depth", .type = LES__K_NUMBER, .min = 0, .max = 100,
     .offset = offsetof(les_rubric, weight_depth)},
    {.name = "density", .type = LES__K_NUMBER, .min = 0, .max = 100,
     .offset = offsetof(les_rubric, weight_density)},
};
static const les__schema les__weight_schema = LES__SCHEMA(les__weight_keys);

static void les__weights_key(les__sctx *c, const les__key *key, const les__node *value,
                             void *field, const char *path)
{
    les_rubric *rubric = field;
    char sub[64];
    snprintf(sub, sizeof sub, "%s.%s", path, key->name);
    les__schema_apply(c, &les__weight_schema, value, rubric, sub);
    if (value->kind == LES__MAP && rubric->weight_depth == 0.0 &&
        rubric->weight_density == 0.0)
        les_diags_add(c->diags, LES_ERROR, value->pos.line, value->pos.column,
                      "`weights` must not all be zero");
}

static const les__key les__rubric_keys[] = {
    {.name = "pass_mark", .type = LES__K_NUMBER, .required = true, .min = 0, .max = 100,
     .offset = offsetof(les_rubric, pass_mark)},
    {.name = "weights", .type = LES__K_CUSTOM, .custom = les__weights_key},
};
const les__schema les__rubric_schema = LES__SCHEMA(les__rubric_keys);

