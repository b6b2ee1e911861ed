/* Camera math on the CPU: poses, canonical views, render defaults, framing
 * scale and the projection the shaders implement (tests check the GPU
 * against misi_project). */
#include <math.h>
#include <string.h>

#include "misi/cmdlang.h"
#include "misi/render.h"

/* Poses and view names are the command language's (src/util/cmdlang.c):
 * these wrappers keep one definition of rotations and canonical views. */
misi_view misi_view_identity(void)
{
    misi_view v;
    misi_pose_identity(&v);
    return v;
}

void misi_view_roll(misi_view *v, int axis, float degrees)
{
    misi_op op = {MISI_OP_ROLL, (uint8_t)axis, degrees};
    misi_pose_apply(v, &op, 1);
}

void misi_view_move(misi_view *v, int axis, float angstrom)
{
    misi_op op = {MISI_OP_MOVE, (uint8_t)axis, angstrom};
    misi_pose_apply(v, &op, 1);
}

int misi_view_canonical(const char *name, misi_view *out)
{
    misi_op op;
    int rc = misi_canonical_view_op(name, &op);
    if (rc)
        return rc;
    *out = misi_view_identity();
    if (op.kind != MISI_OP_NONE)
        misi_pose_apply(out, &op, 1);
    return MISI_OK;
}

/* To 1e-6, as misi generate's request keys print a pose: poses that differ
 * by a few ulp (a roll composed by a task and the same parsed from an
 * answer's text) draw the same bytes, so an answer re-applied reproduces its
 * image exactly and two requests with one key have one picture. Far below a
 * pixel (1e-6 of the scene's radius). The label layout, whose choices are
 * discrete, snaps the same way. */
misi_view misi_view_snap(const misi_view *v)
{
    misi_view o;
    for (int k = 0; k < 9; k++)
        o.rot[k] = (float)(round((double)v->rot[k] * 1e6) / 1e6) + 0.0f;
    for (int k = 0; k < 3; k++)
        o.trans[k] = (float)(round((double)v->trans[k] * 1e6) / 1e6) + 0.0f;
    return o;
}

void misi_render_params_defaults(misi_render_params *p)
{
    if (p->width <= 0)
        p->width = 512;
    if (p->height <= 0)
        p->height = 512;
    if (!p->projection)
        p->projection = MISI_PROJECTION_ORTHO;
    if (p->eye_distance <= 0)
        p->eye_distance = 100.0f;
    if (p->aa <= 0)
        p->aa = 2;
    if (p->msaa < 1)
        p->msaa = 1;
    if (!p->labels)
        p->labels = MISI_LABELS_ON;
    if (p->label_px <= 0)
        p->label_px = 13.0f;
    /* memory_budget stays 0 here: its default depends on the device, which
     * the renderer knows (renderer.c params_for). */
}

float misi_render_scale(const misi_scene *scene, const misi_render_params *p)
{
    misi_render_params q = *p;
    misi_render_params_defaults(&q);
    if (q.px_per_A > 0)
        return q.px_per_A;
    int side = q.width < q.height ? q.width : q.height;
    float r = scene->frame.radius > 0 ? scene->frame.radius : 1.0f;
    return 0.5f * (float)side / r;
}

bool misi_project(const misi_scene *scene, const misi_render_params *p, const misi_view *v,
                  const float world[3], float px[2], float *depth)
{
    misi_render_params q = *p;
    misi_render_params_defaults(&q);
    float d[3], s[3];
    for (int k = 0; k < 3; k++)
        d[k] = world[k] - scene->frame.centre[k];
    for (int i = 0; i < 3; i++)
        s[i] = v->rot[3 * i] * d[0] + v->rot[3 * i + 1] * d[1] + v->rot[3 * i + 2] * d[2] + v->trans[i];
    float scale = misi_render_scale(scene, &q);
    float f;
    if (q.projection == MISI_PROJECTION_PERSPECTIVE) {
        if (s[2] >= q.eye_distance)
            return false;
        f = q.eye_distance / (q.eye_distance - s[2]);
    } else {
        f = q.eye_distance / (q.eye_distance - v->trans[2]);
    }
    px[0] = 0.5f * (float)q.width + scale * f * s[0];
    px[1] = 0.5f * (float)q.height - scale * f * s[1];
    if (depth)
        *depth = s[2];
    return true;
}
