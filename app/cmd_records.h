/* cmd_records.h: the parts of `stipple records` shared between its two
 * files: cmd_records.c (options, dispatch, list, show, history, key,
 * people) and cmd_records_check.c (verify, export, import, report).
 *
 * Threads: main thread only.
 */
#ifndef CMD_RECORDS_H
#define CMD_RECORDS_H

#include <stdbool.h>

#include "app_records.h"
#include "les_db.h"
#include "les_sign.h"

#define RECORDS_MAX_TRUST 16

typedef struct records_opts {
    const char *db, *key, *out, *name;
    bool json, progress, no_regrade;
    les_db_filter filter;
    const char *trust[RECORDS_MAX_TRUST];
    size_t trust_count;
    int picture_w, picture_h;
    char **args;                 /* positional arguments after the subcommand's name */
    int nargs;
} records_opts;

int records_verify(const records_opts *o);
int records_export(const records_opts *o);
int records_import(const records_opts *o);
int records_report(const records_opts *o);

/* Loads the --trust public keys into keys[] (count in *n). */
int records_load_trust(const records_opts *o, les_sign_key *keys, size_t *n);

#endif /* CMD_RECORDS_H */
