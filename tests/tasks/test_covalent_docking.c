/* The docking task moves the ligand out of its pocket; a covalently bound
 * ligand cannot be, so docking refuses such a complex with a reason (the
 * generator records it among the unanswerable notes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "misi/error.h"

static const char *g_chem = "tests/fixtures/valid/chem";

static void docking_skips_covalent_ligand(void **s)
{
    (void)s;
    task_harness h;
    harness_init(&h, g_chem, "8cov", NULL);
    assert_true(h.cx[0].ncovalent > 0);
    const misi_task *docking = misi_task_find("docking");
    assert_non_null(docking);
    misi_question q;
    misi_question_init(&q);
    misi_error err = {0};
    misi_rng rng;
    misi_rng_seed(&rng, 1, "8cov/docking/train/0");
    assert_int_equal(docking->make(&h.env, &rng, MISI_SPLIT_TRAIN, 0, &q, &err), MISI_E_INVALID);
    assert_non_null(strstr(err.msg, "covalently bound ligand"));
    misi_question_finish(&q);
    harness_finish(&h);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_chem = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(docking_skips_covalent_ligand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
