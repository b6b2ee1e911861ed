/* Command language: parsing, canonical text, poses, view sets. */
#include "io_test.h"

#include <math.h>
#include <unistd.h>

#include "misi/cmdlang.h"

static misi_oplist parse_ok(const char *text)
{
    misi_oplist l = {0};
    misi_error err = {0};
    int rc = misi_cmd_parse(text, &l, &err);
    if (rc != MISI_OK)
        fail_msg("parse '%s' failed: %s", text, err.msg);
    return l;
}

static char *format_all(const misi_oplist *l)
{
    static char buf[4096];
    int n = misi_cmd_format(l->ops, l->count, buf, sizeof buf);
    assert_true(n >= 0 && (size_t)n < sizeof buf);
    return buf;
}

static void assert_ops_equal(const misi_oplist *a, const misi_oplist *b)
{
    assert_int_equal(a->count, b->count);
    for (size_t i = 0; i < a->count; i++) {
        assert_int_equal(a->ops[i].kind, b->ops[i].kind);
        assert_int_equal(a->ops[i].axis, b->ops[i].axis);
        assert_memory_equal(&a->ops[i].value, &b->ops[i].value, sizeof(float));
    }
}

static void assert_vec_near(const float got[3], float x, float y, float z)
{
    if (fabsf(got[0] - x) > 1e-5f || fabsf(got[1] - y) > 1e-5f || fabsf(got[2] - z) > 1e-5f)
        fail_msg("got (%g, %g, %g), expected (%g, %g, %g)", got[0], got[1], got[2], x, y, z);
}

static void map(const char *cmds, float x, float y, float z, float out[3])
{
    misi_pose p;
    misi_error err = {0};
    if (misi_pose_from_text(cmds, &p, &err) != MISI_OK)
        fail_msg("%s", err.msg);
    const float c[3] = {0, 0, 0}, in[3] = {x, y, z};
    misi_pose_point(&p, c, in, out);
}

static void cmdlang_parse_format_round_trip(void **state)
{
    (void)state;
    static const char *canon[] = {
        "roll x 75, move x -14",
        "move z 50",
        "roll y 15",
        "move x 3, move y -4",
        "roll z -90, roll x 0.5",
        "move y 0.1",
        "roll x 7.25, move z -0.001",
    };
    for (size_t i = 0; i < sizeof canon / sizeof *canon; i++) {
        misi_oplist l = parse_ok(canon[i]);
        assert_string_equal(format_all(&l), canon[i]);
        misi_oplist_finish(&l);
    }
    /* Every float we can produce reads back bit-exactly. */
    unsigned s = 12345;
    for (int i = 0; i < 20000; i++) {
        s = s * 1103515245u + 12345u;
        uint32_t bits = s;
        float v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        misi_op op = {MISI_OP_MOVE, (uint8_t)(i % 3), v == 0 ? 0 : v};
        char buf[512];
        int n = misi_cmd_format(&op, 1, buf, sizeof buf);
        assert_true(n > 0 && (size_t)n < sizeof buf);
        assert_null(strchr(buf + strlen("move x "), 'e'));
        misi_oplist l = parse_ok(buf);
        assert_int_equal(l.count, 1);
        assert_memory_equal(&l.ops[0].value, &op.value, sizeof(float));
        misi_oplist_finish(&l);
    }
}

static void cmdlang_format_prints_shortest_decimal(void **state)
{
    (void)state;
    struct {
        float v;
        const char *text;
    } cases[] = {
        {75.0f, "roll x 75"},     {-14.0f, "roll x -14"},
        {0.1f, "roll x 0.1"},     {7.5f, "roll x 7.5"},
        {-0.0f, "roll x 0"},      {0.001f, "roll x 0.001"},
        {1e6f, "roll x 1000000"}, {1.0f / 3.0f, "roll x 0.33333334"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        misi_op op = {MISI_OP_ROLL, MISI_AXIS_X, cases[i].v};
        char buf[64];
        misi_cmd_format(&op, 1, buf, sizeof buf);
        assert_string_equal(buf, cases[i].text);
    }
    /* snprintf-like sizing and truncation. */
    misi_op two[2] = {{MISI_OP_ROLL, MISI_AXIS_X, 75}, {MISI_OP_MOVE, MISI_AXIS_X, -14}};
    assert_int_equal(misi_cmd_format(two, 2, NULL, 0), (int)strlen("roll x 75, move x -14"));
    char small[8];
    assert_int_equal(misi_cmd_format(two, 2, small, sizeof small), (int)strlen("roll x 75, move x -14"));
    assert_string_equal(small, "roll x ");
    misi_op bad = {MISI_OP_NONE, 0, 1};
    assert_int_equal(misi_cmd_format(&bad, 1, small, sizeof small), MISI_E_USAGE);
    misi_op nan_op = {MISI_OP_MOVE, 0, NAN};
    assert_int_equal(misi_cmd_format(&nan_op, 1, small, sizeof small), MISI_E_USAGE);
}

static void cmdlang_accepts_turn_case_and_spaces(void **state)
{
    (void)state;
    misi_oplist a = parse_ok("  TURN  X\t30 ,Move y   -2.5,roll Z+4 , move x 1e1 ");
    misi_oplist b = parse_ok("roll x 30, move y -2.5, roll z 4, move x 10");
    assert_ops_equal(&a, &b);
    assert_string_equal(format_all(&a), "roll x 30, move y -2.5, roll z 4, move x 10");
    misi_oplist c = parse_ok("roll x90");
    assert_int_equal(c.count, 1);
    assert_true(c.ops[0].value == 90.0f);
    misi_oplist_finish(&a);
    misi_oplist_finish(&b);
    misi_oplist_finish(&c);
}

static void cmdlang_errors_name_item_and_expectation(void **state)
{
    (void)state;
    struct {
        const char *text;
        const char *words;
    } cases[] = {
        {"roll x 30, rol y 30", "item 2 'rol y 30': expected 'move', 'roll' or a view name"},
        {"roll x 30, rol y 30", "found 'rol'"},
        {"", "empty command"},
        {"   ", "empty command"},
        {"roll x 30,", "item 2 is empty"},
        {",roll x 30", "item 1 is empty"},
        {"roll x 30,,move y 2", "item 2 is empty"},
        {"roll w 30", "item 1 'roll w 30': expected an axis x, y or z, found 'w'"},
        {"roll", "expected an axis x, y or z, found the end of the item"},
        {"roll xy 30", "expected an axis x, y or z, found 'xy'"},
        {"move x", "expected a distance in angstroms"},
        {"roll y abc", "expected an angle in degrees (a decimal number like -14 or 7.5), found 'abc'"},
        {"roll y 30deg", "found '30deg'"},
        {"roll y 30 40", "expected ',' or the end after the value, found '40'"},
        {"roll y 3.0.1", "found '3.0.1'"},
        {"roll y 1e", "found '1e'"},
        {"roll y 0x10", "found '0x10'"},
        {"roll y .", "found '.'"},
        {"roll y -", "found '-'"},
        {"front back", "expected ',' or the end after the view name, found 'back'"},
        {"move1 x 3", "expected a space after 'move', found 'move1'"},
        {"move x 3; roll y 2", "found '3;'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        misi_oplist l = {0};
        misi_error err = {0};
        int rc = misi_cmd_parse(cases[i].text, &l, &err);
        if (rc != MISI_E_PARSE)
            fail_msg("'%s' gave %d, expected a parse error", cases[i].text, rc);
        assert_int_equal(err.code, MISI_E_PARSE);
        assert_contains(err.msg, cases[i].words);
        assert_int_equal(l.count, 0);
        misi_oplist_finish(&l);
    }
}

static void cmdlang_rejects_nan_inf_and_overflow(void **state)
{
    (void)state;
    const char *bad[] = {"move x nan",  "move x NaN",     "move x inf",  "move x -Infinity",
                         "move x 1e39", "move x -3.5e38", "roll z 1e400"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        misi_oplist l = {0};
        misi_error err = {0};
        assert_int_equal(misi_cmd_parse(bad[i], &l, &err), MISI_E_PARSE);
        assert_contains(err.msg, "item 1");
        misi_oplist_finish(&l);
    }
    misi_error err = {0};
    misi_oplist l = {0};
    misi_cmd_parse("move x 1e39", &l, &err);
    assert_contains(err.msg, "1e39 is out of range");
    /* The largest float is fine. */
    misi_oplist ok = parse_ok("move x 3.4028234e38");
    assert_true(isfinite(ok.ops[0].value));
    misi_oplist_finish(&ok);
    /* Over-long text is a limit, not a crash. */
    size_t n = MISI_CMD_MAX_TEXT + 10;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[n] = '\0';
    assert_int_equal(misi_cmd_parse(big, &l, &err), MISI_E_LIMIT);
    free(big);
}

static void cmdlang_failed_parse_leaves_list_unchanged(void **state)
{
    (void)state;
    misi_oplist l = parse_ok("roll x 10");
    misi_error err = {0};
    assert_int_equal(misi_cmd_parse("move x 1, move y 2, bogus", &l, &err), MISI_E_PARSE);
    assert_contains(err.msg, "item 3 'bogus'");
    assert_int_equal(l.count, 1);
    /* And parse appends on success. */
    assert_int_equal(misi_cmd_parse("move y 2", &l, &err), MISI_OK);
    assert_string_equal(format_all(&l), "roll x 10, move y 2");
    misi_oplist_finish(&l);
}

static void cmdlang_roll_follows_right_hand_rule(void **state)
{
    (void)state;
    float o[3];
    map("roll z 90", 1, 0, 0, o);
    assert_vec_near(o, 0, 1, 0); /* x -> y */
    map("roll x 90", 0, 1, 0, o);
    assert_vec_near(o, 0, 0, 1); /* y -> z */
    map("roll y 90", 0, 0, 1, o);
    assert_vec_near(o, 1, 0, 0); /* z -> x */
    map("roll z -90", 1, 0, 0, o);
    assert_vec_near(o, 0, -1, 0);
    map("turn z 30", 1, 0, 0, o);
    assert_vec_near(o, cosf(0.5235988f), sinf(0.5235988f), 0);
    /* Right-hand rule in general: for a small angle t about unit axis a,
     * p' ~= p + t (a x p). */
    const float p[3] = {0.3f, -0.7f, 0.5f};
    const char *cmd[3] = {"roll x 0.01", "roll y 0.01", "roll z 0.01"};
    for (int ax = 0; ax < 3; ax++) {
        float a[3] = {0, 0, 0};
        a[ax] = 1;
        float cross[3] = {a[1] * p[2] - a[2] * p[1], a[2] * p[0] - a[0] * p[2], a[0] * p[1] - a[1] * p[0]};
        float t = 0.01f * (float)M_PI / 180.0f;
        map(cmd[ax], p[0], p[1], p[2], o);
        for (int k = 0; k < 3; k++)
            assert_true(fabsf((o[k] - p[k]) - t * cross[k]) < 1e-6f);
    }
    /* 375 degrees is 15 degrees, to the bit. */
    misi_pose a, b;
    misi_pose_from_text("roll y 375", &a, NULL);
    misi_pose_from_text("roll y 15", &b, NULL);
    assert_memory_equal(&a, &b, sizeof a);
}

static void cmdlang_composition_applies_left_to_right(void **state)
{
    (void)state;
    float o[3];
    /* Rolls compose as R = Q2 Q1: order matters. */
    map("roll x 90, roll y 90", 0, 1, 0, o);
    assert_vec_near(o, 1, 0, 0); /* y -x-> z -y-> x */
    map("roll y 90, roll x 90", 0, 1, 0, o);
    assert_vec_near(o, 0, 0, 1); /* y -y-> y -x-> z */
    /* A roll turns the complex about its own centre, so it does not swing a
     * translation made before it: roll then move == move then roll. */
    map("roll z 90, move x 5", 1, 0, 0, o);
    assert_vec_near(o, 5, 1, 0);
    map("move x 5, roll z 90", 1, 0, 0, o);
    assert_vec_near(o, 5, 1, 0);
    /* The pose subtracts the centre first. */
    misi_pose p;
    misi_pose_from_text("roll z 90, move z 2", &p, NULL);
    const float c[3] = {10, 20, 30}, in[3] = {11, 20, 30};
    misi_pose_point(&p, c, in, o);
    assert_vec_near(o, 0, 1, 2);
    float alias[3] = {11, 20, 30};
    misi_pose_point(&p, c, alias, alias);
    assert_vec_near(alias, 0, 1, 2);
}

static void cmdlang_canonical_views_equal_their_definitions(void **state)
{
    (void)state;
    const char *defs[MISI_NUM_CANONICAL_VIEWS] = {"",           "roll y 180", "roll y 90",
                                                  "roll y -90", "roll x 90",  "roll x -90"};
    for (int i = 0; i < MISI_NUM_CANONICAL_VIEWS; i++) {
        misi_oplist v = parse_ok(MISI_CANONICAL_VIEW_NAMES[i]);
        assert_string_equal(format_all(&v), defs[i]);
        misi_pose pv, pd;
        misi_pose_identity(&pv);
        misi_pose_apply(&pv, v.ops, v.count);
        misi_pose_identity(&pd);
        if (*defs[i]) {
            misi_oplist d = parse_ok(defs[i]);
            misi_pose_apply(&pd, d.ops, d.count);
            misi_oplist_finish(&d);
        }
        assert_memory_equal(&pv, &pd, sizeof pv);
        for (int k = 0; k < 9; k++) /* exact 0 / +-1 entries */
            assert_true(pv.rot[k] == 0.0f || pv.rot[k] == 1.0f || pv.rot[k] == -1.0f);
        misi_op op;
        assert_int_equal(misi_canonical_view_op(MISI_CANONICAL_VIEW_NAMES[i], &op), MISI_OK);
        misi_oplist_finish(&v);
    }
    /* Which face looks at the viewer (+z) in each view (MISI-SPEC §2). */
    float o[3];
    map("front", 0, 0, 1, o);
    assert_vec_near(o, 0, 0, 1);
    map("back", 0, 0, -1, o);
    assert_vec_near(o, 0, 0, 1);
    map("left", -1, 0, 0, o);
    assert_vec_near(o, 0, 0, 1);
    map("right", 1, 0, 0, o);
    assert_vec_near(o, 0, 0, 1);
    map("top", 0, 1, 0, o);
    assert_vec_near(o, 0, 0, 1);
    map("bottom", 0, -1, 0, o);
    assert_vec_near(o, 0, 0, 1);
    /* View names are items of a sequence, any case. */
    misi_oplist s = parse_ok("TOP, move x 2, Front");
    assert_string_equal(format_all(&s), "roll x 90, move x 2");
    misi_oplist_finish(&s);
    misi_op op;
    assert_int_equal(misi_canonical_view_op("sideways", &op), MISI_E_USAGE);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void viewset_loads_object_and_bare_array(void **state)
{
    (void)state;
    char path[] = "/tmp/misi_views_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_text(path, "{\"views\":[{\"name\":\"front\",\"commands\":\"front\"},"
                     "{\"name\":\"tilt\",\"commands\":\"roll x 30, move y 2\"},"
                     "{\"commands\":\"Turn Z 45\"}]}");
    misi_viewset set = {0};
    misi_error err = {0};
    if (misi_viewset_load(path, &set, &err) != MISI_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(set.count, 3);
    assert_string_equal(set.views[0].name, "front");
    assert_string_equal(set.views[0].commands, "front");
    assert_int_equal(set.views[0].ops.count, 0);
    assert_string_equal(set.views[1].name, "tilt");
    assert_string_equal(set.views[1].commands, "roll x 30, move y 2");
    assert_true(set.views[1].pose.trans[1] == 2.0f);
    assert_string_equal(set.views[2].name, "turn_z_45");
    assert_string_equal(set.views[2].commands, "roll z 45");
    assert_int_equal(misi_viewset_find(&set, "tilt"), 1);
    assert_int_equal(misi_viewset_find(&set, "nope"), -1);
    misi_viewset_finish(&set);

    write_text(path, "[{\"name\":\"a\",\"commands\":\"move x 1\"}, {\"name\":\"b\",\"commands\":\"left\"}]");
    assert_int_equal(misi_viewset_load(path, &set, &err), MISI_OK);
    assert_int_equal(set.count, 2);
    assert_string_equal(set.views[1].commands, "roll y 90");
    misi_viewset_finish(&set);
    unlink(path);
}

static void viewset_errors_name_file_and_view_index(void **state)
{
    (void)state;
    struct {
        const char *json;
        const char *words;
    } cases[] = {
        {"[{\"name\":\"a\",\"commands\":\"front\"},{\"name\":\"tilt\",\"commands\":\"rol x 30\"}]",
         "views[1] ('tilt'): item 1 'rol x 30': expected 'move', 'roll'"},
        {"[{\"commands\":\"front\"},{\"commands\":\"roll q 1\"}]",
         "views[1]: item 1 'roll q 1': expected an axis"},
        {"[{\"name\":\"a\",\"commands\":\"front\"},{\"name\":\"a\",\"commands\":\"back\"}]",
         "views[1] ('a'): view name 'a' is used twice"},
        {"[{\"name\":\"../x\",\"commands\":\"front\"}]", "views[0] ('../x'): view name '../x': expected"},
        {"[{\"name\":\"a\"}]", "views[0]: expected a string \"commands\""},
        {"[{\"name\":\"a\",\"commands\":3}]", "views[0]: expected a string \"commands\""},
        {"[{\"name\":1,\"commands\":\"front\"}]", "views[0]: \"name\" must be a string"},
        {"[{\"name\":\"a\",\"command\":\"front\"}]", "views[0]: unknown key 'command'"},
        {"[\"front\"]", "views[0]: expected an object"},
        {"{\"view\":[]}", "expected {\"views\": [...]}"},
        {"{\"views\":{}}", "expected \"views\" to be an array"},
        {"[]", "no views"},
        {"[\n{\"name\":\"a\",\n\"commands\": oops}]", ":3: not valid JSON"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        misi_viewset set = {0};
        assert_int_equal(misi_viewset_add(&set, "keep", "top", NULL), MISI_OK);
        misi_error err = {0};
        int rc = misi_viewset_load_json(cases[i].json, strlen(cases[i].json), "views.json", &set, &err);
        assert_true(rc < 0);
        assert_contains(err.msg, "views.json");
        assert_contains(err.msg, cases[i].words);
        assert_int_equal(set.count, 1); /* nothing half-loaded */
        misi_viewset_finish(&set);
    }
    misi_viewset set = {0};
    misi_error err = {0};
    assert_int_equal(misi_viewset_load("/nonexistent/views.json", &set, &err), MISI_E_IO);
    assert_contains(err.msg, "/nonexistent/views.json");
}

static void viewset_add_names_views_from_commands(void **state)
{
    (void)state;
    misi_viewset set = {0};
    misi_error err = {0};
    assert_int_equal(misi_viewset_add(&set, NULL, "roll x 30, move y 2", &err), MISI_OK);
    assert_string_equal(set.views[0].name, "roll_x_30_move_y_2");
    assert_int_equal(misi_viewset_add(&set, "", "Move X -1.5", &err), MISI_OK);
    assert_string_equal(set.views[1].name, "move_x_-1.5");
    assert_string_equal(set.views[1].commands, "move x -1.5");
    assert_int_equal(misi_viewset_add(&set, NULL, "roll x 30,move y 2", &err), MISI_E_USAGE);
    assert_contains(err.msg, "'roll_x_30_move_y_2' is used twice");
    assert_int_equal(misi_viewset_add(&set, "x", "roll x", &err), MISI_E_PARSE);
    assert_int_equal(misi_viewset_add(&set, "a b", "front", &err), MISI_E_USAGE);
    assert_int_equal(set.count, 2);
    assert_int_equal(misi_viewset_add_canonical(&set, &err), MISI_OK);
    assert_int_equal(set.count, 8);
    assert_string_equal(set.views[7].name, "bottom");
    assert_string_equal(set.views[7].commands, "roll x -90");
    assert_int_equal(misi_viewset_add_canonical(&set, &err), MISI_E_USAGE); /* duplicates */
    assert_int_equal(set.count, 8);
    /* A long command gets a name cut to the limit, still valid. */
    char long_cmd[600] = "";
    for (int i = 0; i < 30; i++)
        strcat(long_cmd, i ? ", move x 1" : "move x 1");
    assert_int_equal(misi_viewset_add(&set, NULL, long_cmd, &err), MISI_OK);
    assert_true(strlen(set.views[8].name) <= MISI_VIEW_NAME_MAX);
    assert_int_equal(set.views[8].name[strlen(set.views[8].name) - 1] != '_', 1);
    misi_viewset_finish(&set);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cmdlang_parse_format_round_trip),
        cmocka_unit_test(cmdlang_format_prints_shortest_decimal),
        cmocka_unit_test(cmdlang_accepts_turn_case_and_spaces),
        cmocka_unit_test(cmdlang_errors_name_item_and_expectation),
        cmocka_unit_test(cmdlang_rejects_nan_inf_and_overflow),
        cmocka_unit_test(cmdlang_failed_parse_leaves_list_unchanged),
        cmocka_unit_test(cmdlang_roll_follows_right_hand_rule),
        cmocka_unit_test(cmdlang_composition_applies_left_to_right),
        cmocka_unit_test(cmdlang_canonical_views_equal_their_definitions),
        cmocka_unit_test(viewset_loads_object_and_bare_array),
        cmocka_unit_test(viewset_errors_name_file_and_view_index),
        cmocka_unit_test(viewset_add_names_views_from_commands),
    };
    RUN_TESTS(tests, argc, argv);
}
