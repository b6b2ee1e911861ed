#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

/* Stand-in for the pipeline's pixel comparison: two requests render the same
 * pixels when they are the same request. Pixel-level checks live in the
 * pipeline tests. */
static int equal_requests(void *user, const misi_image_req *a, const misi_image_req *b, bool *equal,
                          misi_error *err)
{
    (void)err;
    task_harness *h = user;
    h->equal_calls++;
    *equal = memcmp(a, b, sizeof *a) == 0;
    return MISI_OK;
}

static void load(task_harness *h, int k, const char *assets, const char *id)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", assets, id);
    misi_error err = {0};
    misi_complex_init(&h->cx[k]);
    if (misi_complex_load_dir(dir, NULL, &h->cx[k], &err))
        fail_msg("%s", err.msg);
    assert_int_equal(misi_hb_context_create(&h->cx[k], NULL, &h->hb[k], &err), MISI_OK);
    assert_int_equal(misi_hbonds_find(h->hb[k], &h->hbonds[k], &err), MISI_OK);
    misi_task_complex *tc = &h->tc[k];
    tc->cx = &h->cx[k];
    tc->hb = h->hb[k];
    tc->hbonds = &h->hbonds[k];
    misi_task_frame(tc->cx, &h->env.geo, &tc->frame, &tc->px_per_A);
    float c[3] = {0, 0, 0};
    int n = 0;
    for (uint32_t i = 0; i < tc->cx->ligand.top.natoms; i++) {
        if (tc->cx->ligand.top.atoms[i].element == 1)
            continue;
        for (int j = 0; j < 3; j++)
            c[j] += tc->cx->ligand.xyz[3 * i + j];
        n++;
    }
    for (int j = 0; j < 3; j++)
        tc->ligand_centre[j] = c[j] / (float)n;
}

void harness_init(task_harness *h, const char *assets, const char *id, const char *partner)
{
    memset(h, 0, sizeof *h);
    h->env.geo = (misi_task_geometry){.width = 512, .height = 512, .eye_distance = 100.0f, .edge_margin_px = 2};
    h->env.seed = 42;
    h->env.images_equal = equal_requests;
    h->env.user = h;
    load(h, 0, assets, id);
    h->env.own = &h->tc[0];
    if (partner) {
        load(h, 1, assets, partner);
        h->env.partner = &h->tc[1];
    }
}

void harness_finish(task_harness *h)
{
    for (int k = 0; k < 2; k++) {
        misi_hbond_list_finish(&h->hbonds[k]);
        misi_hb_context_destroy(h->hb[k]);
        misi_complex_finish(&h->cx[k]);
    }
}

int harness_make(task_harness *h, const misi_task *t, misi_split split, int index, misi_question *q)
{
    char key[256];
    snprintf(key, sizeof key, "%s/%s/%s/%d", h->cx[0].id, t->name, misi_split_name(split), index);
    misi_rng rng;
    misi_rng_seed(&rng, h->env.seed, key);
    misi_error err = {0};
    misi_question_init(q);
    return t->make(&h->env, &rng, split, index, q, &err);
}

misi_op harness_single_op(const char *answer)
{
    misi_oplist l = {0};
    misi_error err = {0};
    if (misi_cmd_parse(answer, &l, &err) || l.count != 1)
        fail_msg("answer '%s' is not one command: %s", answer, err.msg);
    misi_op op = l.ops[0];
    misi_oplist_finish(&l);
    return op;
}
