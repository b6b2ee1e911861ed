/* Camera math on the CPU: poses, canonical views, render defaults, framing
 * scale and the projection the shaders implement (tests check the GPU
 * against misi_project). */
#include <math.h>
#include <string.h>

#include "misi/render.h"

misi_view misi_view_identity(void)
{
    misi_view v = {{1, 0, 0, 0, 1, 0, 0, 0, 1}, {0, 0, 0}};
    return v;
}

void misi_view_roll(misi_view *v, int axis, float degrees)
{
    double a = degrees * (M_PI / 180.0);
    float c = (float)cos(a), s = (float)sin(a);
    /* Exact values for multiples of 90° so canonical views are exact. */
    if (fmod(fabs(degrees), 90.0) == 0.0) {
        c = roundf(c);
        s = roundf(s);
    }
    float q[9];
    switch (axis) {
    case 0:
        memcpy(q, (float[9]){1, 0, 0, 0, c, -s, 0, s, c}, sizeof q);
        break;
    case 1:
        memcpy(q, (float[9]){c, 0, s, 0, 1, 0, -s, 0, c}, sizeof q);
        break;
    default:
        memcpy(q, (float[9]){c, -s, 0, s, c, 0, 0, 0, 1}, sizeof q);
        break;
    }
    float r[9];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            r[3 * i + j] = q[3 * i] * v->rot[j] + q[3 * i + 1] * v->rot[3 + j] + q[3 * i + 2] * v->rot[6 + j];
    memcpy(v->rot, r, sizeof r);
}

void misi_view_move(misi_view *v, int axis, float angstrom)
{
    v->trans[axis] += angstrom;
}

int misi_view_canonical(const char *name, misi_view *out)
{
    static const struct {
        const char *name;
        int axis;
        float deg;
    } V[] = {
        {"front", 1, 0},   {"back", 1, 180}, {"left", 1, 90},
        {"right", 1, -90}, {"top", 0, 90},   {"bottom", 0, -90},
    };
    for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
        if (!strcmp(name, V[i].name)) {
            *out = misi_view_identity();
            if (V[i].deg != 0)
                misi_view_roll(out, V[i].axis, V[i].deg);
            return 0;
        }
    }
    return MISI_E_USAGE;
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
    if (p->memory_budget == 0)
        p->memory_budget = (size_t)256 << 20;
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
