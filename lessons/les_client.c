/* les_client.c: the lesson's `client:` intake: who the client is, their
 * history and answers to the intake form, the conditions they report, and
 * the right decision (treat, treat with caution, refuse) with its reason.
 *
 * The decision is checked against the conditions (FIDELITY.md "Who must
 * not be treated"): a lesson that teaches treating a client whose
 * condition rules treatment out is an error; one that treats without
 * caution a condition that calls for it gets a warning.
 *
 * Also the names of the lesson's enumerations (les_lesson.h).
 * Threads: reentrant; the tables are const.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "les_lesson_internal.h"

/* ------------------------------------------------------------------------ */
/* Names                                                                    */
/* ------------------------------------------------------------------------ */

static const char *const les__condition_names[] = {
#define LES__COND_NAME(name, text, decision, what) text,
    LES_CONDITION_MAP(LES__COND_NAME)
#undef LES__COND_NAME
    NULL};
static const char *const les__condition_texts[] = {
#define LES__COND_TEXT(name, text, decision, what) what,
    LES_CONDITION_MAP(LES__COND_TEXT)
#undef LES__COND_TEXT
};
static const les_decision les__condition_decisions[] = {
#define LES__COND_DECISION(name, text, decision, what) LES_DECISION_##decision,
    LES_CONDITION_MAP(LES__COND_DECISION)
#undef LES__COND_DECISION
};
static const char *const les__decision_names[] = {"treat", "caution", "refuse", NULL};

const char *les_condition_name(les_condition c)
{
    return (unsigned)c < LES_CONDITION_COUNT ? les__condition_names[c] : "";
}

const char *les_condition_text(les_condition c)
{
    return (unsigned)c < LES_CONDITION_COUNT ? les__condition_texts[c] : "";
}

les_decision les_condition_decision(les_condition c)
{
    return (unsigned)c < LES_CONDITION_COUNT ? les__condition_decisions[c] : LES_DECISION_TREAT;
}

const char *les_decision_name(les_decision d)
{
    return (unsigned)d <= LES_DECISION_REFUSE ? les__decision_names[d] : "";
}

const char *les_level_name(les_level l)
{
    static const char *const names[] = {"", "beginner", "intermediate", "advanced",
                                        "certification"};
    return (unsigned)l <= LES_LEVEL_CERTIFICATION ? names[l] : "";
}

/* ------------------------------------------------------------------------ */
/* Schema                                                                   */
/* ------------------------------------------------------------------------ */

_Static_assert(sizeof(les_condition) == sizeof(int), "enums are read as int");
_Static_assert(sizeof(les_decision) == sizeof(int), "enums are read as int");

static const les__key les__answer_keys[] = {
    {.name = "question", .type = LES__K_PROSE, .required = true, .min = 1, .max = 300,
     .offset = offsetof(les_answer, question)},
    {.name = "answer", .type = LES__K_PROSE, .required = true, .min = 1, .max = 1000,
     .offset = offsetof(les_answer, answer)},
};
static const les__schema les__answer_schema = LES__SCHEMA(les__answer_keys);
static const les__key les__answer_item = {.name = "answers", .type = LES__K_MAP,
                                          .sub = &les__answer_schema};
static const les__key les__condition_item = {.name = "conditions", .type = LES__K_ENUM,
                                             .names = les__condition_names};

static const les__key les__client_keys[] = {
    {.name = "name", .type = LES__K_TEXT, .min = 1, .max = 100,
     .offset = offsetof(les_client, name)},
    {.name = "age_years", .type = LES__K_INT, .min = 18, .max = 100, .unit = "years",
     .offset = offsetof(les_client, age_years)},
    {.name = "history", .type = LES__K_PROSE, .min = 1, .max = 2000,
     .offset = offsetof(les_client, history)},
    {.name = "answers", .type = LES__K_LIST, .min = 0, .max = 50,
     .offset = offsetof(les_client, answers), .count_offset = offsetof(les_client, answer_count),
     .item = &les__answer_item, .item_size = sizeof(les_answer)},
    {.name = "conditions", .type = LES__K_LIST, .min = 0, .max = 20,
     .offset = offsetof(les_client, conditions),
     .count_offset = offsetof(les_client, condition_count), .item = &les__condition_item,
     .item_size = sizeof(les_condition)},
    {.name = "decision", .type = LES__K_ENUM, .required = true, .names = les__decision_names,
     .offset = offsetof(les_client, decision)},
    {.name = "rationale", .type = LES__K_PROSE, .min = 1, .max = 1000,
     .offset = offsetof(les_client, rationale)},
};
const les__schema les__client_schema = LES__SCHEMA(les__client_keys);

/* ------------------------------------------------------------------------ */
/* Checks                                                                   */
/* ------------------------------------------------------------------------ */

/* " (what it is)" when that says more than the name, else "". */
static void les__condition_gloss(les_condition c, char *buf, size_t size)
{
    const char *name = les_condition_name(c), *text = les_condition_text(c);
    size_t n = strlen(name);
    bool same = strlen(text) == n;
    for (size_t i = 0; same && i < n; i++)
        same = text[i] == (name[i] == '-' ? ' ' : name[i]);
    if (same)
        buf[0] = '\0';
    else
        snprintf(buf, size, " (%s)", text);
}

void les__client_checks(les__parse *p)
{
    const les__node *node = les__map_get(p->root, "client");
    les_client *cl = &p->lesson.client;
    cl->present = node && node->kind == LES__MAP;
    if (!cl->present)
        return;
    cl->contraindicated = cl->decision == LES_DECISION_REFUSE;
    cl->condition = cl->contraindicated ? cl->rationale : NULL;
    for (size_t i = cl->condition_count; cl->contraindicated && i-- > 0;)
        if (les_condition_decision(cl->conditions[i]) == LES_DECISION_REFUSE)
            cl->condition = les_condition_text(cl->conditions[i]);
    const les__node *list = les__map_get(node, "conditions");
    const les__node *decision = les__map_get(node, "decision");
    if (!list || list->kind != LES__SEQ || list->count != cl->condition_count)
        return;
    les_diags *d = p->sc.diags;
    bool warned = false;
    for (size_t i = 0; i < cl->condition_count; i++) {
        const les__node *item = list->items[i];
        les_condition c = cl->conditions[i];
        if (!les__scalar_is(item, les_condition_name(c)))
            continue; /* not a known condition (reported) */
        bool repeated = false;
        for (size_t k = 0; k < i && !repeated; k++)
            repeated = cl->conditions[k] == c && les__scalar_is(list->items[k], item->text);
        if (repeated) {
            les_diags_add(d, LES_ERROR, item->pos.line, item->pos.column,
                          "condition `%s` is listed twice", les_condition_name(c));
            continue;
        }
        les_decision need = les_condition_decision(c);
        if (!decision || !les__scalar_is(decision, les_decision_name(cl->decision)) ||
            cl->decision >= need)
            continue;
        char what[160];
        les__condition_gloss(c, what, sizeof what);
        if (need == LES_DECISION_REFUSE)
            les_diags_add(d, LES_ERROR, decision->pos.line, decision->pos.column,
                          "the client reports `%s`%s, which rules treatment out "
                          "(FIDELITY.md): `decision` must be refuse", les_condition_name(c),
                          what);
        else if (!warned)
            les_diags_add(d, LES_WARNING, decision->pos.line, decision->pos.column,
                          "the client reports `%s`%s: the usual decision is caution",
                          les_condition_name(c), what);
        warned = warned || need == LES_DECISION_CAUTION;
    }
}
