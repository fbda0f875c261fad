/* les_db_record.h: recording an attempt into the records database, crash
 * safe, and recovering what a crash left behind.
 *
 * The trace is the source of truth (DESIGN.md section 1) and must survive a
 * crash or a power cut with at most about a second missing (section 7):
 *
 *   les_db_attempt_begin   creates the journal "<db>.traces/<uid>.trace"
 *                          (trace format v1, sim_trace.h) and, with a key,
 *                          its MAC file "<uid>.mac" (les_db_journal.c),
 *                          locks it, and inserts the attempt as
 *                          "recording";
 *   les_db_attempt_append  queues a sample; whole blocks go to the journal
 *                          and are flushed and fsync'd at least every
 *                          flush_interval_ms (default 1000) of wall time;
 *   les_db_attempt_tick    the same flush when no sample arrives (call it
 *                          once a frame);
 *   les_db_attempt_end     writes the last block, reads the journal back
 *                          (through the recorder's own descriptor, checked
 *                          against a hash of every byte written), grades
 *                          it (the database's grader), signs the record
 *                          with the station key and moves the trace into
 *                          the database in one transaction, then deletes
 *                          the journal.
 *
 * Failures lose nothing already recorded:
 *  - a journal write that fails (disk full, I/O error) cuts the file back
 *    to its last whole block and keeps the samples in memory; every later
 *    append or tick retries, so once space is freed the journal catches up.
 *    The call returns the error (say it once; the recording goes on);
 *  - an end while samples are still held in memory stores the journal's
 *    samples followed by them, under the recording's own header; an end
 *    whose journal cannot be read back whole (damaged or changed on disk)
 *    fails and stores nothing, keeping the journal and the held samples:
 *    it never stores fewer samples than were appended;
 *  - an end that cannot commit (database locked, read-only, full) returns
 *    the error and leaves the attempt recording and its journal on disk:
 *    call end again, or let the next start recover it;
 *  - a crash leaves a locked journal and a "recording" row; the lock dies
 *    with the process, and les_db_recover (run by every command that opens
 *    the database for writing) marks the attempt interrupted with every
 *    whole block of its journal, grades and signs it, signing only blocks
 *    the journal's MACs authenticate. Attempts whose journal is still
 *    locked belong to a live process and are left alone.
 *
 * Exams: the attempt records the time limit; a sample later than the limit
 * (trace time, so a replay decides the same) is refused with
 * LES_REC_ERR_TIME_UP and the attempt should be ended with
 * LES_OUTCOME_TIMED_OUT. Exams need a registered trainee and a key.
 *
 * Threads: a recording belongs to the thread that began it (the main or
 * recording thread; never the servo thread).
 */
#ifndef LES_DB_RECORD_H
#define LES_DB_RECORD_H

#include "les_db.h"
#include "les_sign.h"
#include "sim_trace.h"

/* The longest time limit an attempt takes: a week (its microseconds, and
 * any trace time compared with them, fit an int64 with room to spare). */
#define LES_DB_TIME_LIMIT_MAX_S ((int64_t)7 * 24 * 3600)

typedef struct les_db_attempt_desc {
    const char *trainee;         /* required: a code (les_db_code_valid) */
    const char *instructor;      /* optional */
    les_mode mode;
    const char *lesson_hash;     /* required: 64 hex, the lesson's canonical hash */
    const char *lesson_id;       /* required with lesson_text */
    const char *lesson_title;
    int lesson_version;
    const char *lesson_text;     /* the lesson's full text, stored once per hash;
                                    NULL when the lesson is already stored */
    size_t lesson_len;
    int64_t time_limit_s;        /* 0 = none; at most LES_DB_TIME_LIMIT_MAX_S */
    sim_trace_header header;     /* the trace header (sample rate, seed, device,
                                    start time); its lesson_hash is set from
                                    lesson_hash */
    int flush_interval_ms;       /* 0 = 1000 */
    int64_t started_us;          /* 0 = now */
} les_db_attempt_desc;

struct les__journal;

typedef struct les_db_recording {
    les_db *db;                  /* borrowed */
    const les_sign_key *key;     /* borrowed until end; NULL = unsigned */
    int64_t attempt_id;
    char uid[33];
    les_mode mode;
    char journal_path[LES_DB_PATH_MAX + 64];
    sim_trace_header header;     /* the trace's header, as the journal holds it */
    struct les__journal *journal;   /* private: the journal's files, MACs, hash */
    sim_trace pending;           /* samples not in the journal yet, oldest first */
    uint64_t accepted;           /* samples appended */
    int64_t time_limit_us;       /* 0 = none */
    int64_t flush_interval_us;
    int64_t last_flush_us;       /* monotonic clock */
    int64_t last_retry_us;
    bool open;                   /* between begin and a successful end */
    bool journal_failing;        /* the latest journal write failed */
    bool time_up;
} les_db_recording;

/* Begins an attempt. On failure nothing is left behind (no row, no
 * journal) and err says why: ERR_BUSY, ERR_READONLY, ERR_FULL, ERR_IO,
 * ERR_INPUT (a bad trainee code), ERR_NOTFOUND (an exam's trainee is not
 * registered, or lesson_text is NULL and the lesson is not stored),
 * ERR_KEY (an exam without a key). */
les_rec_result les_db_attempt_begin(les_db *db, const les_db_attempt_desc *desc,
                                    const les_sign_key *key, les_db_recording *rec,
                                    sim_error *err);
/* Appends one sample (see above for the failure semantics: ERR_FULL or
 * ERR_IO means the sample is kept in memory and will be retried;
 * ERR_TIME_UP means it was not recorded). */
les_rec_result les_db_attempt_append(les_db_recording *rec, const sim_sample *s,
                                     sim_error *err);
/* Flushes when the interval has passed (or now with force). */
les_rec_result les_db_attempt_tick(les_db_recording *rec, bool force, sim_error *err);
/* Ends the attempt (outcome: FINISHED, TIMED_OUT or ABANDONED). On success
 * *info (may be NULL) describes the stored attempt and the recording is
 * closed. On failure the recording stays open (retry, or abandon it to
 * recovery with les_db_attempt_release). */
les_rec_result les_db_attempt_end(les_db_recording *rec, les_outcome outcome,
                                  les_db_attempt_info *info, sim_error *err);
/* Closes the journal (keeping it on disk) and frees the recording without
 * ending the attempt: the next les_db_recover marks it interrupted with
 * what the journal holds (it writes what memory still holds first; what
 * the journal still refuses is lost with the recording). Use it when end
 * keeps failing. NULL-safe. */
void les_db_attempt_release(les_db_recording *rec);

/* One recovered attempt, for the caller to report. */
typedef struct les_db_recovered {
    les_db_attempt_info info;
    char note[512];              /* what was found: samples, truncation, damage */
} les_db_recovered;

typedef int (*les_db_recovered_fn)(void *ctx, const les_db_recovered *r);

/* Finds attempts left "recording" by a process that is gone (their journal
 * is not locked), marks each interrupted with every whole block of its
 * journal, grades it, deletes the journal, and calls fn for each. It is
 * signed with `key` only when `key` began it and its journal's MACs
 * authenticate it: then the blocks that fail their MACs, and bytes no MAC
 * covers, are refused (and named in the note); when nothing authenticates
 * the journal (replaced, or the row edited) no samples are kept. Begun
 * without a key, or begun by another station's, its whole blocks are kept
 * unsigned. *count (may be NULL) gets how many. A read-only database is
 * left alone (LES_REC_OK, count 0). */
les_rec_result les_db_recover(les_db *db, const les_sign_key *key, les_db_recovered_fn fn,
                              void *ctx, size_t *count, sim_error *err);

#endif /* LES_DB_RECORD_H */
