/* les_parts.h: schemas for parts of a lesson that live in their own files
 * (internal to the lessons module). les_lesson.c hooks each into the
 * top-level table.
 *
 *  - les_rubric.c: `rubric:` (pass mark, weights, metric thresholds);
 *
 * Threads: reentrant; the tables are const.
 */
#ifndef LES_PARTS_H
#define LES_PARTS_H

#include "les_schema.h"

/* `rubric:` applied to a les_rubric. */
extern const les__schema les__rubric_schema;

#endif /* LES_PARTS_H */
