/* The fixed record shape (include/misi/record.h): truth takes every fixed
 * key in order and refuses one it does not know; float fields always print
 * as floats, integer fields as integers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "misi/record.h"

static void float_text(double v, const char *want)
{
    char buf[40];
    misi_float_text(v, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void floats_always_carry_a_fraction_or_exponent(void **s)
{
    (void)s;
    float_text(4, "4.0");
    float_text(-0.0, "-0.0");
    float_text(0, "0.0");
    float_text(3.57, "3.57");
    float_text(0.1, "0.1");
    float_text(1e21, "1e+21");
    float_text(1.8668135404586792, "1.8668135404586792");
    float_text(NAN, "null");
    float_text(INFINITY, "null");
}

static void truth_takes_every_fixed_key_in_order_and_refuses_others(void **s)
{
    (void)s;
    misi_error err = {0};
    cJSON *t = cJSON_CreateObject();
    cJSON_AddNumberToObject(t, "gap", 2);
    cJSON_AddStringToObject(t, "axis", "x");
    cJSON *f = misi_truth_fixed(t, &err);
    assert_non_null(f);
    size_t i = 0;
    const cJSON *k;
    cJSON_ArrayForEach(k, f)
    {
        assert_non_null(MISI_TRUTH_KEYS[i]);
        assert_string_equal(k->string, MISI_TRUTH_KEYS[i]);
        if (!strcmp(k->string, "gap"))
            assert_true(cJSON_IsNumber(k) && k->valuedouble == 2);
        else if (!strcmp(k->string, "axis"))
            assert_string_equal(cJSON_GetStringValue(k), "x");
        else
            assert_true(cJSON_IsNull(k));
        i++;
    }
    assert_null(MISI_TRUTH_KEYS[i]);
    cJSON_Delete(f);

    f = misi_truth_fixed(NULL, &err); /* a task that fills nothing: all null */
    assert_non_null(f);
    assert_int_equal(cJSON_GetArraySize(f), (int)i);
    cJSON_Delete(f);

    t = cJSON_CreateObject();
    cJSON_AddNumberToObject(t, "angle", 15);
    assert_null(misi_truth_fixed(t, &err));
    assert_int_equal(err.code, MISI_E_INVALID);
    assert_non_null(strstr(err.msg, "'angle'"));
}

static void record_lines_print_floats_as_floats_and_ints_as_ints(void **s)
{
    (void)s;
    const char *rec =
        "{\"task_number\":8,\"truth\":{\"value\":3,\"bond\":{\"number\":45,\"distance\":3,"
        "\"hydrogen\":{\"atom\":\"placed\",\"xyz\":[1,2.5,-3]},\"tests\":[{\"name\":\"phi\","
        "\"value\":120,\"min\":90,\"max\":null,\"passed\":true}]},\"bonds\":[{\"distance\":2}]}}";
    cJSON *o = cJSON_Parse(rec);
    assert_non_null(o);
    char *text = misi_line_print(o, MISI_LINE_RECORD);
    assert_string_equal(text,
                        "{\"task_number\":8,\"truth\":{\"value\":3,\"bond\":{\"number\":45,\"distance\":3.0,"
                        "\"hydrogen\":{\"atom\":\"placed\",\"xyz\":[1.0,2.5,-3.0]},\"tests\":[{\"name\":"
                        "\"phi\",\"value\":120.0,\"min\":90.0,\"max\":null,\"passed\":true}]},\"bonds\":[{"
                        "\"distance\":2.0}]}}");
    cJSON_free(text);
    /* the tree is left as it was */
    assert_true(cJSON_IsNumber(
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "truth"), "bond"), "distance")));
    cJSON_Delete(o);

    o = cJSON_Parse("{\"rotation\":[1,0,0],\"translation\":[0,0,2],\"px_per_angstrom\":2,\"labels\":{"
                    "\"placed\":3,\"covered_fraction\":0}}");
    text = misi_line_print(o, MISI_LINE_IMAGE_TRUTH);
    assert_string_equal(text,
                        "{\"rotation\":[1.0,0.0,0.0],\"translation\":[0.0,0.0,2.0],\"px_per_angstrom\":2.0,"
                        "\"labels\":{\"placed\":3,\"covered_fraction\":0.0}}");
    cJSON_free(text);
    text = misi_line_print(o, MISI_LINE_PLAIN);
    assert_string_equal(text, "{\"rotation\":[1,0,0],\"translation\":[0,0,2],\"px_per_angstrom\":2,"
                              "\"labels\":{\"placed\":3,\"covered_fraction\":0}}");
    cJSON_free(text);
    cJSON_Delete(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(floats_always_carry_a_fraction_or_exponent),
        cmocka_unit_test(truth_takes_every_fixed_key_in_order_and_refuses_others),
        cmocka_unit_test(record_lines_print_floats_as_floats_and_ints_as_ints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
