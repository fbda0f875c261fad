/* les_parts.h: schemas for parts of a lesson that live in their own files
 * (internal to the lessons module). les_lesson.c hooks each into the
 * top-level table.
 *
 *  - les_rubric.c: `rubric:` (pass mark, weights, metric thresholds);
 *  - les_tissue.c: `tissue:` (skin type, layers, scars, native hair),
 *    applied to a sim_tissue_desc;
 *
 * Threads: reentrant; the tables are const.
 */
#ifndef LES_PARTS_H
#define LES_PARTS_H

#include "les_schema.h"

/* `rubric:` applied to a les_rubric. */
extern const les__schema les__rubric_schema;
/* `tissue:` applied to a sim_tissue_desc. */
extern const les__schema les__tissue_schema;

#endif /* LES_PARTS_H */
