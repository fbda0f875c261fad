/* les_rubric.h: how a lesson is scored: the pass mark and the weight of
 * each metric (the grader's thresholds and bands join it as they land).
 * Parsed from the lesson's `rubric:` mapping (les_rubric.c); read by the
 * grader (les_grade.c). Threads: read-only once parsed.
 */
#ifndef LES_RUBRIC_H
#define LES_RUBRIC_H

typedef struct les_rubric {
    double pass_mark;        /* 0..100 */
    double weight_depth;     /* default 1 */
    double weight_density;   /* default 1 */
} les_rubric;

#endif /* LES_RUBRIC_H */
