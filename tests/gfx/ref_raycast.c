/* An independent CPU ray-caster: the reference the GPU image is checked
 * against. It follows docs/rendering.md (camera, zoom model, shading,
 * supersampling with a k x k box filter), in double precision, written
 * without looking at the GLSL beyond the documented formulas. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gfx_test.h"

typedef struct vec3 {
    double x, y, z;
} vec3;

static vec3 v3(double x, double y, double z)
{
    return (vec3){x, y, z};
}
static vec3 sub(vec3 a, vec3 b)
{
    return v3(a.x - b.x, a.y - b.y, a.z - b.z);
}
static vec3 add(vec3 a, vec3 b)
{
    return v3(a.x + b.x, a.y + b.y, a.z + b.z);
}
static vec3 mul(vec3 a, double s)
{
    return v3(a.x * s, a.y * s, a.z * s);
}
static double dot(vec3 a, vec3 b)
{
    return a.x * b.x + a.y * b.y + a.z * b.z;
}
static vec3 norm(vec3 a)
{
    return mul(a, 1.0 / sqrt(dot(a, a)));
}

static vec3 to_view(const misi_scene *s, const misi_view *v, const float p[3])
{
    double d[3], o[3];
    for (int k = 0; k < 3; k++)
        d[k] = (double)p[k] - s->frame.centre[k];
    for (int i = 0; i < 3; i++)
        o[i] = v->rot[3 * i] * d[0] + v->rot[3 * i + 1] * d[1] + v->rot[3 * i + 2] * d[2] + v->trans[i];
    return v3(o[0], o[1], o[2]);
}

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

static void shade(const uint8_t rgb[3], vec3 n, vec3 view, double out[3])
{
    vec3 L = norm(v3(-1, 2, 3));
    double diff = dot(n, L) > 0 ? dot(n, L) : 0;
    vec3 h = norm(add(L, view));
    double sp = pow(dot(n, h) > 0 ? dot(n, h) : 0, 40.0);
    for (int k = 0; k < 3; k++)
        out[k] = clamp01(rgb[k] / 255.0 * (0.35 + 0.65 * diff) + 0.25 * sp);
}

void ref_render(const misi_scene *s, const misi_render_params *params, const misi_view *v, uint8_t *rgb)
{
    misi_render_params p = *params;
    misi_render_params_defaults(&p);
    int W = p.width, H = p.height, k = p.aa;
    double D = p.eye_distance;
    bool persp = p.projection == MISI_PROJECTION_PERSPECTIVE;
    double m = persp ? 1.0 : D / (D - v->trans[2]);
    double scale = misi_render_scale(s, &p) * k * m; /* render pixels per Å */
    vec3 *c = malloc(sizeof *c * (s->natoms ? s->natoms : 1));
    for (uint32_t i = 0; i < s->natoms; i++)
        c[i] = to_view(s, v, s->atoms[i].pos);
    double rb = s->bond_radius;

    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            double acc[3] = {0, 0, 0};
            int gl_row = H - 1 - y; /* GL rows count upward */
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < k; i++) {
                    double qx = (x * k + i + 0.5 - 0.5 * W * k) / scale;
                    double qy = (gl_row * k + j + 0.5 - 0.5 * H * k) / scale;
                    vec3 o, d;
                    if (!persp) {
                        o = v3(qx, qy, 1e4);
                        d = v3(0, 0, -1);
                    } else {
                        o = v3(0, 0, D);
                        d = norm(sub(v3(qx, qy, 0), o));
                    }
                    double best = INFINITY, col[3] = {0, 0, 0};
                    for (uint32_t a = 0; a < s->natoms; a++) {
                        vec3 oc = sub(o, c[a]);
                        double b = dot(oc, d), r = s->atoms[a].radius;
                        double disc = b * b - (dot(oc, oc) - r * r);
                        if (disc < 0)
                            continue;
                        double t = -b - sqrt(disc);
                        if (t < best) {
                            best = t;
                            vec3 hp = add(o, mul(d, t));
                            shade(s->atoms[a].rgb, mul(sub(hp, c[a]), 1.0 / r), mul(d, -1), col);
                        }
                    }
                    for (uint32_t bi = 0; rb > 0 && bi < s->nbonds; bi++) {
                        vec3 A = c[s->bonds[bi].a], B = c[s->bonds[bi].b];
                        vec3 u = sub(B, A);
                        double len = sqrt(dot(u, u));
                        if (len <= 0)
                            continue;
                        vec3 w = mul(u, 1 / len);
                        vec3 oc = sub(o, A);
                        vec3 dd = sub(d, mul(w, dot(d, w))), oo = sub(oc, mul(w, dot(oc, w)));
                        double qa = dot(dd, dd);
                        if (qa < 1e-8)
                            continue;
                        double qb = dot(dd, oo), qc = dot(oo, oo) - rb * rb;
                        double disc = qb * qb - qa * qc;
                        if (disc < 0)
                            continue;
                        double t = (-qb - sqrt(disc)) / qa;
                        vec3 hp = add(o, mul(d, t));
                        double yy = dot(sub(hp, A), w);
                        if (yy < 0 || yy > len || t >= best)
                            continue;
                        best = t;
                        vec3 n = mul(sub(sub(hp, A), mul(w, yy)), 1 / rb);
                        shade(s->atoms[yy < 0.5 * len ? s->bonds[bi].a : s->bonds[bi].b].rgb, n, mul(d, -1),
                              col);
                    }
                    for (int ch = 0; ch < 3; ch++)
                        acc[ch] += round(col[ch] * 255.0) / 255.0;
                }
            }
            for (int ch = 0; ch < 3; ch++)
                rgb[3 * ((size_t)y * W + x) + ch] = (uint8_t)lround(clamp01(acc[ch] / (k * k)) * 255.0);
        }
    }
    free(c);
}
