/* records_sign_test.c: the station key: created 0600 in a 0700 folder on
 * first use and the same key loaded after; refused when others may read
 * it, when another user owns it, or when damaged; the secret never
 * appears in the public file; signatures verify and fail as they should. */
#include "records_helpers.h"

#include <sys/wait.h>

static void a_key_is_created_private_and_loaded_back(void **state)
{
    (void)state;
    char dir[1024], path[1100];
    snprintf(dir, sizeof dir, "%s", rt_fresh("keys"));
    snprintf(path, sizeof path, "%s/sub/station.key", dir);
    les_sign_key a, b;
    bool created = false;
    sim_error err;
    assert_int_equal(les_sign_key_load(&a, path, false, NULL, &created, &err), LES_REC_ERR_NOTFOUND);
    assert_int_equal(les_sign_key_load(&a, path, true, "Front desk", &created, &err), LES_REC_OK);
    assert_true(created && a.has_secret);
    assert_string_equal(a.name, "Front desk");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char sub[1100];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(les_sign_key_load(&b, path, true, "ignored", &created, &err), LES_REC_OK);
    assert_false(created);
    assert_memory_equal(a.pk, b.pk, 32);
    assert_memory_equal(a.sk, b.sk, 64);
    assert_string_equal(a.fingerprint, b.fingerprint);
    assert_int_equal(strlen(a.fingerprint), 32);

    /* sign and check */
    uint8_t sig[64];
    assert_int_equal(les_sign_message(&a, "record", 6, sig, &err), LES_REC_OK);
    assert_true(les_sign_check(a.pk, "record", 6, sig));
    assert_false(les_sign_check(a.pk, "Record", 6, sig));
    sig[10] ^= 1;
    assert_false(les_sign_check(a.pk, "record", 6, sig));

    /* the public file: no secret in it, and it reads back public-only */
    char pub[1100];
    snprintf(pub, sizeof pub, "%s/station.pub", dir);
    assert_int_equal(les_sign_write_public(&a, pub, &err), LES_REC_OK);
    size_t size;
    uint8_t *text = tu_read_file(pub, &size);
    assert_non_null(text);
    char seed_hex[65];
    size_t len;
    uint8_t *key_text = tu_read_file(path, &len);
    const char *seed = strstr((char *)key_text, "seed ");
    assert_non_null(seed);
    memcpy(seed_hex, seed + 5, 64);
    seed_hex[64] = 0;
    assert_null(strstr((char *)text, seed_hex));
    assert_non_null(strstr((char *)text, a.fingerprint));
    free(text);
    free(key_text);
    les_sign_key p;
    assert_int_equal(les_sign_read_public(&p, pub, &err), LES_REC_OK);
    assert_false(p.has_secret);
    assert_memory_equal(p.pk, a.pk, 32);
    assert_int_equal(les_sign_message(&p, "x", 1, sig, &err), LES_REC_ERR_KEY);
    les_sign_key_deinit(&a);
    les_sign_key_deinit(&b);
    /* deinit wipes the secret */
    uint8_t zero[64] = {0};
    assert_memory_equal(a.sk, zero, 64);
}

static void a_key_others_can_read_is_refused(void **state)
{
    (void)state;
    const char *path = rt_fresh("open.key");
    les_sign_key k;
    sim_error err;
    assert_int_equal(les_sign_key_load(&k, path, true, NULL, NULL, &err), LES_REC_OK);
    les_sign_key_deinit(&k);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(les_sign_key_load(&k, path, true, NULL, NULL, &err), LES_REC_ERR_KEY);
    assert_non_null(strstr(err.message, "permissions 0644 let others read it"));
    assert_non_null(strstr(err.message, "chmod 600"));
    assert_string_equal(err.file, path);
    assert_int_equal(chmod(path, 0660), 0);
    assert_int_equal(les_sign_key_load(&k, path, true, NULL, NULL, &err), LES_REC_ERR_KEY);
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(les_sign_key_load(&k, path, true, NULL, NULL, &err), LES_REC_OK);
    les_sign_key_deinit(&k);
    /* another user's key (root can give it away; others skip this part) */
    if (geteuid() == 0) {
        assert_int_equal(chown(path, 65534, 65534), 0);
        assert_int_equal(les_sign_key_load(&k, path, true, NULL, NULL, &err), LES_REC_ERR_KEY);
        assert_non_null(strstr(err.message, "belongs to another user"));
    }
}

static void a_damaged_key_is_refused_not_replaced(void **state)
{
    (void)state;
    const char *path = rt_fresh("damaged.key");
    const char *bad[] = {
        "",
        "stipple-station-key 1\nname x\n",
        "stipple-station-key 1\nseed 1234\n",
        "stipple-station-key 2\nseed 0000000000000000000000000000000000000000000000000000000000000000\n",
        "stipple-station-key 1\nseed zz00000000000000000000000000000000000000000000000000000000000000\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(tu_write_file(path, bad[i], strlen(bad[i])), 0);
        assert_int_equal(chmod(path, 0600), 0);
        les_sign_key k;
        sim_error err;
        assert_int_equal(les_sign_key_load(&k, path, true, NULL, NULL, &err), LES_REC_ERR_KEY);
        size_t size;
        uint8_t *after = tu_read_file(path, &size);
        assert_int_equal(size, strlen(bad[i]));   /* never overwritten */
        free(after);
    }
    const char *link_path = rt_fresh("link.key");
    assert_int_equal(symlink("/etc/passwd", link_path), 0);
    les_sign_key k;
    sim_error err;
    assert_int_equal(les_sign_key_load(&k, link_path, true, NULL, NULL, &err), LES_REC_ERR_KEY);
}

static void two_processes_creating_a_key_end_with_the_same_one(void **state)
{
    (void)state;
    const char *path = rt_fresh("race.key");
    fflush(NULL);
    pid_t pids[4];
    for (int i = 0; i < 4; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            les_sign_key k;
            sim_error err;
            _exit(les_sign_key_load(&k, path, true, NULL, NULL, &err) == LES_REC_OK ? 0 : 1);
        }
    }
    for (int i = 0; i < 4; i++) {
        int status;
        waitpid(pids[i], &status, 0);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    les_sign_key k;
    sim_error err;
    bool created = true;
    assert_int_equal(les_sign_key_load(&k, path, true, NULL, &created, &err), LES_REC_OK);
    assert_false(created);
    les_sign_key_deinit(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_key_is_created_private_and_loaded_back),
        cmocka_unit_test(a_key_others_can_read_is_refused),
        cmocka_unit_test(a_damaged_key_is_refused_not_replaced),
        cmocka_unit_test(two_processes_creating_a_key_end_with_the_same_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
