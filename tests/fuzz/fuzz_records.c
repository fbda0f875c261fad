/* fuzz_records.c: fuzz target for reading a records database or an export
 * bundle (SQLite's dbfuzz idea): any bytes, opened read-only, must give
 * clean result codes from open, list, get, load, history, the audit log and
 * verify (every check but the re-grade), never a crash, leak or sanitizer
 * report. The bytes go through a scratch file because SQLite reads files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "les_db.h"
#include "les_db_verify.h"

int fuzz_accepts(const char *path)
{
    size_t n = strlen(path);
    return (n > 3 && strcmp(path + n - 3, ".db") == 0) ||
           (n > 5 && strcmp(path + n - 5, ".stpb") == 0);
}

static int count_one(void *ctx, const les_db_attempt_info *info)
{
    (void)info;
    (*(size_t *)ctx)++;
    return 0;
}

static int on_metric(void *ctx, const les_db_attempt_info *info, const char *metric, double s)
{
    (void)info, (void)metric, (void)s;
    (*(size_t *)ctx)++;
    return 0;
}

static int on_event(void *ctx, const les_db_audit_event *ev)
{
    (void)ev;
    (*(size_t *)ctx)++;
    return 0;
}

static void on_problem(void *ctx, const les_db_problem *p)
{
    if (!p->check || !p->message[0])
        __builtin_trap();   /* every problem names its check and says what */
    (*(size_t *)ctx)++;
}

static void cleanup(const char *path)
{
    char side[1100];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-journal", path);
    unlink(side);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = getenv("STIPPLE_TEST_TMP");
    char path[1024];
    snprintf(path, sizeof path, "%s/fuzz-records-%ld.db", dir && *dir ? dir : "/tmp",
             (long)getpid());
    cleanup(path);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    les_db db;
    les_db_desc d = {.path = path, .read_only = true, .busy_timeout_ms = -1};
    sim_error err;
    if (les_db_open(&db, &d, &err) == LES_REC_OK) {
        size_t n = 0;
        les_db_filter all = les_db_filter_all();
        les_db_list(&db, &all, count_one, &n, &err);
        les_db_history(&db, "T-1", NULL, on_metric, &n, &err);
        les_db_audit_list(&db, NULL, on_event, &n, &err);
        les_db_attempt_info info;
        if (les_db_get(&db, "1", &info, &err) == LES_REC_OK) {
            les_db_attempt_data data;
            if (les_db_attempt_load(&db, info.id, &data, &err) == LES_REC_OK)
                les_db_attempt_data_free(&data);
        }
        les_db_verify_desc vd = {.on_problem = on_problem, .ctx = &n};
        les_db_verify_summary s;
        les_db_verify(&db, &vd, &s, &err);
        les_db_close(&db);
    }
    cleanup(path);
    return 0;
}
