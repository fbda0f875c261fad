/* lessons_json_test.c: the deterministic JSON writer (les_json.h): exact
 * bytes for every value kind, escaping, fixed decimals without "-0.00",
 * NaN/inf as null, pretty printing, misuse and I/O errors. */
#include <locale.h>
#include <math.h>

#include "les_json.h"
#include "lessons_helpers.h"

/* Runs `write` into a buffer writer and checks the text and the result. */
static void expect_json(void (*write)(les_json *), int indent, les_result want,
                        const char *text)
{
    les_json j;
    les_json_init(&j, NULL, indent);
    write(&j);
    assert_int_equal(les_json_finish(&j), want);
    if (text) {
        size_t len = 0;
        const char *got = les_json_buffer(&j, &len);
        assert_string_equal(got, text);
        assert_int_equal(len, strlen(text));
    }
    les_json_deinit(&j);
}

static void write_all_kinds(les_json *j)
{
    les_json_begin_object(j);
    les_json_kv_string(j, "s", "a\"b\\c\n\t\r\b\f\x01\x1f/é");
    les_json_kv_int(j, "i", -42);
    les_json_kv_uint(j, "u", UINT64_MAX);
    les_json_kv_bool(j, "t", true);
    les_json_kv_bool(j, "f", false);
    les_json_key(j, "n");
    les_json_null(j);
    les_json_kv_string(j, "ns", NULL);
    les_json_key(j, "empty_a");
    les_json_begin_array(j);
    les_json_end_array(j);
    les_json_key(j, "empty_o");
    les_json_begin_object(j);
    les_json_end_object(j);
    les_json_key(j, "a");
    les_json_begin_array(j);
    les_json_number(j, 40.0);
    les_json_number(j, -0.0);
    les_json_number(j, 0.1 + 0.2);
    les_json_number(j, 1e300);
    les_json_number(j, NAN);
    les_json_string_len(j, "x\0y", 3);
    les_json_end_array(j);
    les_json_end_object(j);
}

static void test_all_kinds_compact(void **state)
{
    (void)state;
    expect_json(write_all_kinds, 0, LES_OK,
                "{\"s\":\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f/é\",\"i\":-42,"
                "\"u\":18446744073709551615,\"t\":true,\"f\":false,\"n\":null,\"ns\":null,"
                "\"empty_a\":[],\"empty_o\":{},"
                "\"a\":[40,0,0.30000000000000004,1.0000000000000001e+300,null,\"x\\u0000y\"]}");
}

static void write_nested(les_json *j)
{
    les_json_begin_object(j);
    les_json_kv_int(j, "a", 1);
    les_json_key(j, "b");
    les_json_begin_array(j);
    les_json_int(j, 2);
    les_json_begin_object(j);
    les_json_kv_int(j, "c", 3);
    les_json_end_object(j);
    les_json_begin_array(j);
    les_json_end_array(j);
    les_json_end_array(j);
    les_json_end_object(j);
    les_json_newline(j);
}

static void test_pretty(void **state)
{
    (void)state;
    expect_json(write_nested, 2, LES_OK,
                "{\n"
                "  \"a\": 1,\n"
                "  \"b\": [\n"
                "    2,\n"
                "    {\n"
                "      \"c\": 3\n"
                "    },\n"
                "    []\n"
                "  ]\n"
                "}\n");
    expect_json(write_nested, 0, LES_OK, "{\"a\":1,\"b\":[2,{\"c\":3},[]]}\n");
}

static void write_fixed(les_json *j)
{
    les_json_begin_array(j);
    les_json_fixed(j, 84.5, 2);
    les_json_fixed(j, -0.0, 2);
    les_json_fixed(j, -0.004, 2);   /* rounds to zero: no sign */
    les_json_fixed(j, -0.005001, 2);
    les_json_fixed(j, 2.0 / 3.0, 3);
    les_json_fixed(j, 1234567.0, 0);
    les_json_fixed(j, -0.4, 0);
    les_json_fixed(j, INFINITY, 2);
    les_json_fixed(j, -INFINITY, 2);
    les_json_fixed(j, NAN, 2);
    les_json_fixed(j, 1.0, 40);     /* clamped to 17 decimals */
    les_json_end_array(j);
}

static void test_fixed(void **state)
{
    (void)state;
    expect_json(write_fixed, 0, LES_OK,
                "[84.50,0.00,0.00,-0.01,0.667,1234567,0,null,null,null,"
                "1.00000000000000000]");
}

/* Numbers never follow the locale's decimal comma. */
static void test_locale_independent(void **state)
{
    (void)state;
    const char *locales[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8"};
    const char *set = NULL;
    for (size_t i = 0; i < 4 && !set; i++)
        set = setlocale(LC_NUMERIC, locales[i]);
    if (!set)
        skip(); /* no comma locale installed here */
    expect_json(write_fixed, 0, LES_OK,
                "[84.50,0.00,0.00,-0.01,0.667,1234567,0,null,null,null,"
                "1.00000000000000000]");
    /* and lessons still parse 0.5 as one half */
    les_lesson l;
    lt_parse_ok(&l, LT_VALID);
    assert_true(l.zones[0].depth_min_mm == 0.5);
    les_lesson_deinit(&l);
    setlocale(LC_NUMERIC, "C");
}

static void write_value_without_key(les_json *j)
{
    les_json_begin_object(j);
    les_json_int(j, 1);
    les_json_end_object(j);
}
static void write_key_in_array(les_json *j)
{
    les_json_begin_array(j);
    les_json_key(j, "k");
}
static void write_unclosed(les_json *j) { les_json_begin_array(j); }
static void write_wrong_end(les_json *j)
{
    les_json_begin_array(j);
    les_json_end_object(j);
}
static void write_dangling_key(les_json *j)
{
    les_json_begin_object(j);
    les_json_key(j, "k");
    les_json_end_object(j);
}
static void write_too_deep(les_json *j)
{
    for (int i = 0; i <= LES_JSON_MAX_DEPTH; i++)
        les_json_begin_array(j);
}
static void write_deepest(les_json *j)
{
    for (int i = 0; i < LES_JSON_MAX_DEPTH; i++)
        les_json_begin_array(j);
    for (int i = 0; i < LES_JSON_MAX_DEPTH; i++)
        les_json_end_array(j);
}

static void test_misuse(void **state)
{
    (void)state;
    expect_json(write_value_without_key, 0, LES_ERR_ARG, "{");
    expect_json(write_key_in_array, 0, LES_ERR_ARG, "[");
    expect_json(write_unclosed, 0, LES_ERR_ARG, "[");
    expect_json(write_wrong_end, 0, LES_ERR_ARG, "[");
    expect_json(write_dangling_key, 0, LES_ERR_ARG, "{\"k\":");
    expect_json(write_too_deep, 0, LES_ERR_ARG, NULL);
    expect_json(write_deepest, 0, LES_OK, NULL);
}

static void test_stream(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    les_json j;
    les_json_init(&j, f, 0);
    write_nested(&j);
    assert_int_equal(les_json_finish(&j), LES_OK);
    assert_string_equal(les_json_buffer(&j, NULL), ""); /* nothing buffered */
    les_json_deinit(&j);
    fclose(f);
    assert_string_equal(text, "{\"a\":1,\"b\":[2,{\"c\":3},[]]}\n");
    free(text);
}

static void test_stream_failure(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    les_json j;
    les_json_init(&j, f, 0);
    write_nested(&j);
    assert_int_equal(les_json_finish(&j), LES_ERR_IO);
    les_json_deinit(&j);
    fclose(f);
}

static void test_buffer_out_of_memory(void **state)
{
    (void)state;
    les_json j;
    les_json_init(&j, NULL, 0);
    sim_alloc_fail_after(0);
    write_nested(&j);
    sim_alloc_fail_after(-1);
    les_json_int(&j, 5); /* sticky: ignored */
    assert_int_equal(les_json_finish(&j), LES_ERR_NOMEM);
    les_json_deinit(&j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_kinds_compact),
        cmocka_unit_test(test_pretty),
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_locale_independent),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_stream_failure),
        cmocka_unit_test(test_buffer_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
