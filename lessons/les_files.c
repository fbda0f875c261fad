/* les_files.c: the files a lesson names: an imported head mesh
 * (`surface.mesh`) and the impressions earlier sessions left
 * (`session.previous_impressions`). Paths are relative to the lesson's
 * folder. A lesson may pin a file's content with its SHA-256
 * (`mesh_sha256`, `previous_sha256`), so an exam pinned by the lesson's
 * hash also pins what the lesson reads.
 *
 * Checked when a lesson is loaded from a file (les_lesson_load): each file
 * can be read and matches its pinned hash; the mesh parses (les_obj.h).
 * Problems are reported at the key that names the file.
 *
 * Threads: reentrant.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "les_lesson_internal.h"
#include "les_obj.h"

bool les_lesson_file(const les_lesson *lesson, const char *rel, char *buf, size_t size)
{
    if (!lesson || !rel || !buf || size == 0)
        return false;
    const char *base = lesson->path ? lesson->path : "";
    const char *slash = strrchr(base, '/');
    int n;
    if (rel[0] == '/' || !slash)
        n = snprintf(buf, size, "%s", rel);
    else
        n = snprintf(buf, size, "%.*s/%s", (int)(slash - base), base, rel);
    return n >= 0 && (size_t)n < size;
}

void les__sha256_key(les__sctx *c, const les__key *key, const les__node *value,
                     void *field, const char *path)
{
    (void)path;
    /* a hash of digits only reads as a number to YAML: take the text as written */
    bool ok = value->kind == LES__SCALAR && (value->type == LES__TEXT ||
                                             value->type == LES__NUMBER) && value->len == 64;
    for (size_t i = 0; ok && i < 64; i++) {
        char ch = value->text[i];
        ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
    }
    if (!ok) {
        les__expect_error(c, value, key->name,
                          "a SHA-256 of 64 lowercase hex digits (`sha256sum FILE`)");
        return;
    }
    *(const char **)field = les__arena_strndup(c->arena, value->text, value->len);
    if (!*(const char **)field)
        c->nomem = true;
}

/* Reads a named file, reporting at `at`; NULL when it cannot (reported)
 * or out of memory (*nomem). */
static char *les__named_file(const les_lesson *l, const char *rel, const les__node *at,
                             const char *what, les_diags *d, char *path, size_t size,
                             size_t *len, bool *nomem)
{
    if (!les_lesson_file(l, rel, path, size)) {
        les_diags_add(d, LES_ERROR, at->pos.line, at->pos.column, "the %s's path is too long",
                      what);
        return NULL;
    }
    char *text = NULL;
    int sys_errno = 0;
    les_result r = les__read_file(path, &text, len, &sys_errno);
    if (r == LES_ERR_NOMEM)
        *nomem = true;
    else if (r != LES_OK)
        les_diags_add(d, LES_ERROR, at->pos.line, at->pos.column, "cannot read the %s %s: %s",
                      what, path, strerror(sys_errno));
    return r == LES_OK ? text : NULL;
}

/* The file's SHA-256 against a pinned one (when given). */
static void les__pinned(const char *text, size_t len, const char *pinned,
                        const les__node *at, const char *what, les_diags *d)
{
    if (!pinned || !at)
        return;
    uint8_t hash[32];
    char hex[65];
    crypto_hash_sha256(hash, (const unsigned char *)text, len);
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    if (strcmp(hex, pinned) != 0)
        les_diags_add(d, LES_ERROR, at->pos.line, at->pos.column,
                      "the %s has changed: its SHA-256 is %s, the lesson pins %s", what, hex,
                      pinned);
}

static bool les__check_mesh(les_lesson *l, const les__node *root, les_diags *d)
{
    const les__node *at = les__find(root, "surface.mesh");
    if (!l->mesh.path || !at)
        return true;
    char path[4096];
    size_t len = 0;
    bool nomem = false;
    char *text = les__named_file(l, l->mesh.path, at, "mesh", d, path, sizeof path, &len,
                                 &nomem);
    if (!text)
        return !nomem;
    les__pinned(text, len, l->mesh.sha256, les__find(root, "surface.mesh_sha256"), "mesh", d);
    sim_mesh mesh;
    sim_error err;
    les_result r = les_obj_parse(text, len, path, l->mesh.unit_mm, &mesh, &err);
    sim_free(text);
    sim_mesh_deinit(&mesh);
    if (r == LES_ERR_NOMEM)
        return false;
    if (r != LES_OK) {
        char buf[1024];
        les_diags_add(d, LES_ERROR, at->pos.line, at->pos.column, "the mesh is not usable: %s",
                      sim_error_format(&err, buf, sizeof buf));
    }
    return true;
}

static bool les__check_previous(les_lesson *l, const les__node *root, les_diags *d)
{
    const les__node *at = les__find(root, "session.previous_impressions");
    if (!l->session.previous_impressions || !at)
        return true;
    char path[4096];
    size_t len = 0;
    bool nomem = false;
    char *text = les__named_file(l, l->session.previous_impressions, at,
                                 "earlier session's impressions", d, path, sizeof path, &len,
                                 &nomem);
    if (!text)
        return !nomem;
    les__pinned(text, len, l->session.previous_sha256,
                les__find(root, "session.previous_sha256"), "earlier session's impressions", d);
    sim_free(text);
    return true;
}

bool les__check_files(les_lesson *lesson, const les__node *root, les_diags *diags)
{
    bool ok = les__check_mesh(lesson, root, diags);
    return les__check_previous(lesson, root, diags) && ok;
}
