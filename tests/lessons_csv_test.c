/* lessons_csv_test.c: impressions from CSV (les_impressions_parse_csv /
 * les_impressions_read_csv): good files in every allowed shape, and a
 * table of bad ones each asserting the exact message, line and column. */
#include "les_grade.h"
#include "lessons_helpers.h"

static sim_surface g_pad;

static int setup(void **state)
{
    (void)state;
    sim_surface_desc desc = {.kind = SIM_SURFACE_PAD, .width_mm = 100, .height_mm = 50};
    return sim_surface_init(&g_pad, &desc, NULL) == SIM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sim_surface_deinit(&g_pad);
    return 0;
}

static les_result parse(const char *text, sim_impression_list *list, sim_error *err)
{
    sim_error_clear(err);
    return les_impressions_parse_csv(text, strlen(text), "in.csv", &g_pad, list, err);
}

static void test_minimal(void **state)
{
    (void)state;
    sim_impression_list list;
    sim_impression_list_init(&list);
    sim_error err;
    assert_int_equal(parse("x_mm,y_mm,z_mm,depth_mm\n10,20,-0.5,0.8\n30.5,40,0,1.1\n",
                           &list, &err), LES_OK);
    assert_int_equal(list.count, 2);
    const sim_impression *a = &list.items[0];
    assert_true(a->surface_mm.x == 10 && a->surface_mm.y == 20 && a->surface_mm.z == 0);
    assert_true(a->normal.z == 1.0);
    assert_true(a->chart_mm.x == 10 && a->chart_mm.y == 20);
    assert_true(a->depth_mm == 0.8);  /* from the column, not from z */
    assert_int_equal(a->needle, 0);   /* the default cartridge */
    assert_true(list.items[1].chart_mm.x == 30.5 && list.items[1].depth_mm == 1.1);
    sim_impression_list_deinit(&list);
}

/* Any column order, optional columns, spaces, quotes, CRLF, blank lines,
 * no final newline. */
static void test_all_shapes(void **state)
{
    (void)state;
    sim_impression_list list;
    sim_impression_list_init(&list);
    sim_error err;
    assert_int_equal(parse("\n  needle , dwell_ms,depth_mm,\"x_mm\",y_mm,z_mm,angle_deg\r\n"
                           "\r\n"
                           "0803RL,250,1.0,1,2,3,10\r\n"
                           "   \n"
                           "\"1203\", 0 ,0.5 ,+4, 5 ,6e0,90",
                           &list, &err), LES_OK);
    assert_int_equal(list.count, 2);
    const sim_impression *a = &list.items[0], *b = &list.items[1];
    assert_int_equal(a->needle, sim_needle_find("0803RL"));
    assert_true(a->dwell_s == 0.25 && a->depth_mm == 1.0);
    assert_true(a->chart_mm.x == 1 && a->chart_mm.y == 2);
    assert_true(fabs(a->angle_rad - sim_rad(10)) < 1e-15);
    assert_int_equal(b->needle, sim_needle_find("1203RL"));
    assert_true(b->chart_mm.x == 4 && b->chart_mm.y == 5 && b->depth_mm == 0.5);
    sim_impression_list_deinit(&list);
}

static void test_header_only_and_append(void **state)
{
    (void)state;
    sim_impression_list list;
    sim_impression_list_init(&list);
    sim_error err;
    assert_int_equal(parse("x_mm,y_mm,z_mm,depth_mm\n", &list, &err), LES_OK);
    assert_int_equal(list.count, 0);
    assert_int_equal(parse("x_mm,y_mm,z_mm,depth_mm\n1,1,0,1\n", &list, &err), LES_OK);
    assert_int_equal(parse("x_mm,y_mm,z_mm,depth_mm\n2,2,0,1\n", &list, &err), LES_OK);
    assert_int_equal(list.count, 2); /* appended */
    /* a failing read leaves the list as it was */
    assert_int_equal(parse("x_mm,y_mm,z_mm,depth_mm\n3,3,0,1\n4,4,0,x\n", &list, &err),
                     LES_ERR_INPUT);
    assert_int_equal(list.count, 2);
    sim_impression_list_deinit(&list);
}

typedef struct bad_case {
    const char *text;
    int line, column;
    const char *message;
} bad_case;

static const bad_case BAD[] = {
    {"", 1, 1, "no header row: the first line must name the columns, such as "
               "x_mm,y_mm,z_mm,depth_mm"},
    {"\n\n", 1, 1, "no header row: the first line must name the columns, such as "
                   "x_mm,y_mm,z_mm,depth_mm"},
    {"x_mm,y_mm,z_mm\n", 1, 1, "missing required column `depth_mm`"},
    {"x_mm,depth_mm\n", 1, 1, "missing required columns `y_mm`, `z_mm`"},
    {"x_mm,y_mm,z_mm,depth_mm,colour,size\n", 1, 25,
     "unknown columns `colour`, `size`; the columns are `x_mm`, `y_mm`, `z_mm`, "
     "`depth_mm`, `needle`, `angle_deg`, `dwell_ms`"},
    {"x_mm,y_mm,z_mm,Depth_mm\n", 1, 16,
     "unknown column `Depth_mm`; the columns are `x_mm`, `y_mm`, `z_mm`, `depth_mm`, "
     "`needle`, `angle_deg`, `dwell_ms`"},
    {"x_mm,y_mm,x_mm,z_mm,depth_mm\n", 1, 11, "duplicate column `x_mm`"},
    {"x_mm,y_mm,z_mm,depth_mm\n1,2,3\n", 2, 6, "expected 4 fields as in the header, got 3"},
    {"x_mm,y_mm,z_mm,depth_mm\n1,2,3,1,5\n", 2, 9, "expected 4 fields as in the header, got 5"},
    {"x_mm,y_mm,z_mm,depth_mm\n\n1,2,3,1\n1,abc,3,1\n", 4, 3,
     "`y_mm` must be a number between -10000 and 10000 (mm), got \"abc\""},
    {"x_mm,y_mm,z_mm,depth_mm\n1,2,3,\n", 2, 7,
     "`depth_mm` must be a number between 0 and 10 (mm), got nothing"},
    {"x_mm,y_mm,z_mm,depth_mm\n1,2,3, -0.1\n", 2, 8,
     "`depth_mm` must be a number between 0 and 10 (mm), got -0.1"},
    {"x_mm,y_mm,z_mm,depth_mm,angle_deg\n1,2,3,1,95\n", 2, 9,
     "`angle_deg` must be a number between 0 and 90 (degrees), got 95"},
    {"x_mm,y_mm,z_mm,depth_mm\n1,2,0x10,1\n", 2, 5,
     "`z_mm` must be a number between -10000 and 10000 (mm), got \"0x10\""},
    {"x_mm,y_mm,z_mm,depth_mm\n1,2,nan,1\n", 2, 5,
     "`z_mm` must be a number between -10000 and 10000 (mm), got \"nan\""},
    {"x_mm,y_mm,z_mm,depth_mm,needle\n1,2,3,1,0609RL\n", 2, 9,
     "unknown cartridge \"0609RL\"; known: `0603RL`, `0601RL`, `0801RL`, `0803RL`, "
     "`1001RL`, `1003RL`, `1201RL`, `1203RL`"},
    {"x_mm,y_mm,z_mm,depth_mm\n1,\"2,3,1\n", 2, 3, "unterminated quoted field"},
    {"x_mm,y_mm,z_mm,depth_mm\n1,\"2\"x,3,1\n", 2, 6, "unexpected text after a quoted field"},
    {"x_mm,y_mm,z_mm,depth_mm\n150,20,0,1\n", 2, 1, "the point lies beside the pad, not over it"},
};

static void test_bad_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        sim_impression_list list;
        sim_impression_list_init(&list);
        sim_error err;
        les_result r = parse(BAD[i].text, &list, &err);
        if (r != LES_ERR_INPUT || err.line != BAD[i].line || err.column != BAD[i].column ||
            strcmp(err.message, BAD[i].message) != 0 || strcmp(err.file, "in.csv") != 0 ||
            list.count != 0) {
            fprintf(stderr, "case %zu: %s %s:%d:%d: %s\n want %d:%d: %s\n", i,
                    les_result_name(r), err.file, err.line, err.column, err.message,
                    BAD[i].line, BAD[i].column, BAD[i].message);
            failures++;
        }
        sim_impression_list_deinit(&list);
    }
    assert_int_equal(failures, 0);
}

static void test_too_many_fields(void **state)
{
    (void)state;
    char text[512] = "x_mm,y_mm,z_mm,depth_mm\n1";
    for (int i = 0; i < 40; i++)
        strcat(text, ",1");
    strcat(text, "\n");
    sim_impression_list list;
    sim_impression_list_init(&list);
    sim_error err;
    assert_int_equal(parse(text, &list, &err), LES_ERR_INPUT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 65);
    assert_string_equal(err.message, "too many fields (at most 32)");
    sim_impression_list_deinit(&list);
}

static void test_read_file(void **state)
{
    (void)state;
    const char *path = tu_tmp("imps.csv");
    static const char text[] = "x_mm,y_mm,z_mm,depth_mm\n1,2,0,0.7\n";
    assert_int_equal(tu_write_file(path, text, sizeof text - 1), 0);
    sim_impression_list list;
    sim_impression_list_init(&list);
    sim_error err;
    sim_error_clear(&err);
    assert_int_equal(les_impressions_read_csv(path, &g_pad, &list, &err), LES_OK);
    assert_int_equal(list.count, 1);
    remove(path);
    assert_int_equal(les_impressions_read_csv("/nonexistent/i.csv", &g_pad, &list, &err),
                     LES_ERR_IO);
    assert_string_equal(err.file, "/nonexistent/i.csv");
    assert_string_equal(err.message, "cannot read the file: No such file or directory");
    assert_int_not_equal(err.sys_errno, 0);
    char line[1024];
    assert_string_equal(sim_error_format(&err, line, sizeof line),
                        "/nonexistent/i.csv: cannot read the file: No such file or directory");
    assert_int_equal(list.count, 1);
    assert_int_equal(les_impressions_parse_csv(NULL, 3, "x", &g_pad, &list, &err), LES_ERR_ARG);
    sim_impression_list_deinit(&list);
}

/* On a head, points are projected onto the mesh: the impression lies on
 * the skin and its chart is the hit's. */
static void test_head_projection(void **state)
{
    (void)state;
    sim_surface head;
    sim_surface_desc desc = {.kind = SIM_SURFACE_HEAD, .head = {.face_cells = 32}};
    assert_int_equal(sim_surface_init(&head, &desc, NULL), SIM_OK);
    sim_surface_hit top;
    assert_true(sim_surface_from_chart(&head, sim_v2(0, 0), &top));
    char text[256];
    snprintf(text, sizeof text, "x_mm,y_mm,z_mm,depth_mm\n%.6f,%.6f,%.6f,0.9\n",
             top.point_mm.x, top.point_mm.y + 3.0, top.point_mm.z);
    sim_impression_list list;
    sim_impression_list_init(&list);
    sim_error err;
    assert_int_equal(les_impressions_parse_csv(text, strlen(text), "h.csv", &head, &list, &err),
                     LES_OK);
    assert_int_equal(list.count, 1);
    assert_true(fabs(list.items[0].surface_mm.y - top.point_mm.y) < 0.5);
    assert_true(sim_v2_len(list.items[0].chart_mm) < 2.0);
    assert_true(list.items[0].depth_mm == 0.9);
    sim_impression_list_deinit(&list);
    sim_surface_deinit(&head);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal),
        cmocka_unit_test(test_all_shapes),
        cmocka_unit_test(test_header_only_and_append),
        cmocka_unit_test(test_bad_table),
        cmocka_unit_test(test_too_many_fields),
        cmocka_unit_test(test_read_file),
        cmocka_unit_test(test_head_projection),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
