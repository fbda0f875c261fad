/* les_tools.c: the lesson's `tools:` mapping: the cartridges and pigments
 * the trainee may use (FIDELITY.md "Needles, dots, density": 1RL for fine
 * detail and soft hairlines, 3RL for density; carbon black diluted with
 * distilled water by a chart matched to hair colour and skin type), and
 * the zones' references to them (`shade`, `cartridge`).
 *
 * Threads: reentrant; the tables are const.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "les_lesson_internal.h"

static const les__key les__cartridge_item_key = {.name = "cartridges", .type = LES__K_CUSTOM,
                                                 .custom = les__cartridge_key};

static const les__key les__pigment_keys[] = {
    {.name = "name", .type = LES__K_ID, .required = true, .min = 1, .max = 64,
     .offset = offsetof(les_pigment, name)},
    {.name = "dilution_percent", .type = LES__K_NUMBER, .required = true, .min = 0, .max = 95,
     .unit = "% distilled water", .offset = offsetof(les_pigment, dilution_percent)},
};
static const les__schema les__pigment_schema = LES__SCHEMA(les__pigment_keys);
static const les__key les__pigment_item = {.name = "pigments", .type = LES__K_MAP,
                                           .sub = &les__pigment_schema};

static const les__key les__tools_keys[] = {
    {.name = "cartridges", .type = LES__K_LIST, .min = 1, .max = 16,
     .offset = offsetof(les_tools, cartridges), .count_offset = offsetof(les_tools, cartridge_count),
     .item = &les__cartridge_item_key, .item_size = sizeof(const sim_needle *)},
    {.name = "pigments", .type = LES__K_LIST, .min = 1, .max = 16,
     .offset = offsetof(les_tools, pigments), .count_offset = offsetof(les_tools, pigment_count),
     .item = &les__pigment_item, .item_size = sizeof(les_pigment)},
};
const les__schema les__tools_schema = LES__SCHEMA(les__tools_keys);

/* ------------------------------------------------------------------------ */
/* Checks                                                                   */
/* ------------------------------------------------------------------------ */

static bool les__cartridge_allowed(const les_tools *t, const sim_needle *n)
{
    if (t->cartridge_count == 0)
        return true;
    for (size_t i = 0; i < t->cartridge_count; i++)
        if (t->cartridges[i] == n)
            return true;
    return false;
}

/* Repeated cartridges and pigment names. */
static void les__tools_repeats(les__parse *p, const les__node *tools)
{
    les_tools *t = &p->lesson.tools;
    les_diags *d = p->sc.diags;
    const les__node *carts = les__map_get(tools, "cartridges");
    for (size_t i = 0; carts && carts->kind == LES__SEQ && i < t->cartridge_count; i++)
        for (size_t k = 0; t->cartridges[i] && k < i; k++)
            if (t->cartridges[k] == t->cartridges[i]) {
                les_diags_add(d, LES_ERROR, carts->items[i]->pos.line,
                              carts->items[i]->pos.column, "cartridge %s is listed twice",
                              t->cartridges[i]->name);
                break;
            }
    const les__node *pigs = les__map_get(tools, "pigments");
    for (size_t i = 0; pigs && pigs->kind == LES__SEQ && i < t->pigment_count; i++) {
        const les__node *name = les__map_get(pigs->items[i], "name");
        for (size_t k = 0; name && t->pigments[i].name && k < i; k++)
            if (t->pigments[k].name && strcmp(t->pigments[k].name, t->pigments[i].name) == 0) {
                les_diags_add(d, LES_ERROR, name->pos.line, name->pos.column,
                              "pigment `%s` is already listed in tools.pigments[%zu]",
                              t->pigments[i].name, k);
                break;
            }
    }
}

/* A zone's shade among the pigments (with a suggestion). */
static void les__zone_shade(les__parse *p, les__zone_in *z)
{
    const les_tools *t = &p->lesson.tools;
    const les__node *s = z->shade;
    les_diags *d = p->sc.diags;
    for (size_t i = 0; i < t->pigment_count; i++) {
        if (t->pigments[i].name && les__scalar_is(s, t->pigments[i].name)) {
            z->zone.shade = &t->pigments[i];
            return;
        }
    }
    if (t->pigment_count == 0) {
        les_diags_add(d, LES_ERROR, s->pos.line, s->pos.column,
                      "`shade` names a pigment, but the lesson lists none: add it to "
                      "`tools.pigments`");
        return;
    }
    const char *names[16];
    size_t n = 0;
    for (size_t i = 0; i < t->pigment_count && n < 16; i++)
        if (t->pigments[i].name)
            names[n++] = t->pigments[i].name;
    char got[128];
    const char *hint = les__suggest(s->text, s->len, names, n, sizeof names[0]);
    les_diags_add(d, LES_ERROR, s->pos.line, s->pos.column,
                  "`shade` %s is not in `tools.pigments`%s%s%s",
                  les__describe(s, got, sizeof got), hint ? "; did you mean `" : "",
                  hint ? hint : "", hint ? "`?" : "");
}

void les__tools_checks(les__parse *p)
{
    const les__node *tools = les__map_get(p->root, "tools");
    if (tools && tools->kind == LES__MAP)
        les__tools_repeats(p, tools);
    for (size_t i = 0; i < p->zone_count; i++) {
        les__zone_in *z = &p->zones[i];
        if (z->shade)
            les__zone_shade(p, z);
        const les__node *cart = les__map_get(z->node, "cartridge");
        if (z->zone.cartridge && cart &&
            !les__cartridge_allowed(&p->lesson.tools, z->zone.cartridge))
            les_diags_add(p->sc.diags, LES_ERROR, cart->pos.line, cart->pos.column,
                          "cartridge %s is not among `tools.cartridges`",
                          z->zone.cartridge->name);
    }
}
