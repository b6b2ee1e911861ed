/* Depth is exact: a sphere in front hides the one behind whatever the draw
 * order; two intersecting spheres meet along their analytic intersection
 * circle; cylinder ends meet their spheres without gaps (stick style, where
 * sphere and stick radii are equal, is the hardest case); in ball-and-stick
 * the stretch of a bond the renderer leaves out inside its balls changes no
 * pixel; silhouettes are whole (no impostor's quad or box cuts one). aa = 1
 * so each pixel is one ray through its centre. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gfx_test.h"

#define W 128
#define H 128

static const uint8_t RED[3] = {255, 0, 0}, BLUE[3] = {0, 0, 255};

static void set_atom(misi_scene *s, int i, float x, float y, float z, float r, const uint8_t rgb[3])
{
    s->atoms[i].pos[0] = x;
    s->atoms[i].pos[1] = y;
    s->atoms[i].pos[2] = z;
    s->atoms[i].radius = r;
    memcpy(s->atoms[i].rgb, rgb, 3);
}

/* Is this pixel reddish (r > b) or bluish? */
static int which(const uint8_t *c)
{
    if (c[0] == 0 && c[2] == 0)
        return 0;
    return c[0] > c[2] ? 1 : 2;
}

static void front_hides_back(misi_renderer *r)
{
    for (int order = 0; order < 2; order++) {
        misi_scene *s = gt_scene(2, 0);
        /* the red sphere is in front (z = +3), drawn first or second */
        set_atom(s, order, 0.5f, 0, 3, 2, RED);
        set_atom(s, 1 - order, 0, 0, -3, 3, BLUE);
        misi_scene_update_frame(s, 1);
        misi_render_params p = {.width = W, .height = H, .aa = 1, .labels = MISI_LABELS_OFF};
        uint8_t img[W * H * 3];
        misi_view v = misi_view_identity();
        misi_error err = {0};
        CHECK(misi_render_view(r, s, &p, &v, img, &err) == 0, "%s", err.msg);
        float c[2];
        misi_project(s, &p, &v, s->atoms[order].pos, c, NULL);
        CHECK(which(gt_px(img, W, (int)c[0], (int)c[1])) == 1, "order %d: front sphere hidden", order);
        /* from behind (roll y 180) the blue one is in front */
        misi_view b;
        misi_view_canonical("back", &b);
        CHECK(misi_render_view(r, s, &p, &b, img, &err) == 0, "%s", err.msg);
        misi_project(s, &p, &b, s->atoms[order].pos, c, NULL);
        CHECK(which(gt_px(img, W, (int)c[0], (int)c[1])) == 2, "order %d: back view shows the wrong sphere",
              order);
        misi_scene_destroy(s);
    }
}

/* Two spheres, A red at (-1, 0, 0) and B blue at (1, 0, 1), radius 2. The
 * visible surface at a pixel is the larger of the two front z values; the
 * red/blue boundary is the projection of the intersection circle. Every
 * pixel farther than 1.5 px (in Å: 1.5/scale) from the analytic boundary
 * must have the analytic colour. */
static void intersection_circle(misi_renderer *r, misi_projection proj)
{
    misi_scene *s = gt_scene(2, 0);
    set_atom(s, 0, -1, 0, 0, 2, RED);
    set_atom(s, 1, 1, 0, 1, 2, BLUE);
    misi_scene_update_frame(s, 1);
    misi_render_params p = {.width = W, .height = H, .aa = 1, .labels = MISI_LABELS_OFF, .projection = proj};
    uint8_t img[W * H * 3];
    misi_view v = misi_view_identity();
    misi_view_roll(&v, 0, 20); /* tilt so the circle projects to an ellipse */
    misi_error err = {0};
    CHECK(misi_render_view(r, s, &p, &v, img, &err) == 0, "%s", err.msg);
    gt_dump(proj == MISI_PROJECTION_PERSPECTIVE ? "depth_circle_persp" : "depth_circle_ortho", img, W, H);
    float scale = misi_render_scale(s, &p);
    double D = 100.0;
    /* centres in view space */
    double c[2][3];
    for (int a = 0; a < 2; a++) {
        double d[3];
        for (int k = 0; k < 3; k++)
            d[k] = s->atoms[a].pos[k] - s->frame.centre[k];
        for (int i = 0; i < 3; i++)
            c[a][i] = v.rot[3 * i] * d[0] + v.rot[3 * i + 1] * d[1] + v.rot[3 * i + 2] * d[2];
    }
    int bad = 0, checked = 0, boundary = 0;
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            /* which sphere is hit first along the pixel's ray, and how
             * robustly (difference of hit distances in Å) */
            double qx = (x + 0.5 - W / 2.0) / scale, qy = (H / 2.0 - (y + 0.5)) / scale;
            double o[3], dir[3];
            if (proj == MISI_PROJECTION_PERSPECTIVE) {
                o[0] = 0, o[1] = 0, o[2] = D;
                double n = sqrt(qx * qx + qy * qy + D * D);
                dir[0] = qx / n, dir[1] = qy / n, dir[2] = -D / n;
            } else {
                o[0] = qx, o[1] = qy, o[2] = 50;
                dir[0] = 0, dir[1] = 0, dir[2] = -1;
            }
            double t[2];
            for (int a = 0; a < 2; a++) {
                double oc[3] = {o[0] - c[a][0], o[1] - c[a][1], o[2] - c[a][2]};
                double b = oc[0] * dir[0] + oc[1] * dir[1] + oc[2] * dir[2];
                double disc = b * b - (oc[0] * oc[0] + oc[1] * oc[1] + oc[2] * oc[2] - 4.0);
                t[a] = disc < 0 ? INFINITY : -b - sqrt(disc);
            }
            if (isinf(t[0]) && isinf(t[1]))
                continue;
            int want = t[0] < t[1] ? 1 : 2;
            /* skip pixels near a silhouette or within ~1.5 px of the boundary */
            double margin = 1.5 / scale;
            if (!isinf(t[0]) && !isinf(t[1]) && fabs(t[0] - t[1]) < margin * 2)
                continue;
            bool near_edge = false;
            for (int a = 0; a < 2; a++) {
                double oc[3] = {o[0] - c[a][0], o[1] - c[a][1], o[2] - c[a][2]};
                double b = oc[0] * dir[0] + oc[1] * dir[1] + oc[2] * dir[2];
                double dist = sqrt(fmax(0, oc[0] * oc[0] + oc[1] * oc[1] + oc[2] * oc[2] - b * b));
                near_edge |= fabs(dist - 2.0) < margin;
            }
            if (near_edge)
                continue;
            checked++;
            int got = which(gt_px(img, W, x, y));
            if (got != want)
                bad++;
            boundary += got == 2;
        }
    }
    CHECK(checked > 1000, "too few pixels checked (%d)", checked);
    CHECK(boundary > 100, "the blue sphere never shows (%d)", boundary);
    CHECK(bad == 0, "%s: %d of %d pixels off the analytic intersection",
          proj == MISI_PROJECTION_PERSPECTIVE ? "perspective" : "ortho", bad, checked);
    misi_scene_destroy(s);
}

/* Stick style: spheres of the stick radius at both ends of an oblique
 * bond. Every pixel whose ray passes within 0.9 r of the bond segment (the
 * capsule's projection shrunk by a pixel) must be lit. */
static void cylinder_meets_spheres(misi_renderer *r)
{
    static const float dirs[][3] = {
        {1, 0, 0}, {0.6f, 0.5f, 0.62f}, {0.1f, 0.2f, 0.97f}, {-0.3f, 0.9f, -0.3f}};
    for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
        misi_scene *s = gt_scene(2, 1);
        float L = 4.0f, rr = 0.5f;
        float n = sqrtf(dirs[k][0] * dirs[k][0] + dirs[k][1] * dirs[k][1] + dirs[k][2] * dirs[k][2]);
        set_atom(s, 0, -L / 2 * dirs[k][0] / n, -L / 2 * dirs[k][1] / n, -L / 2 * dirs[k][2] / n, rr, RED);
        set_atom(s, 1, L / 2 * dirs[k][0] / n, L / 2 * dirs[k][1] / n, L / 2 * dirs[k][2] / n, rr, BLUE);
        s->bonds[0] = (misi_scene_bond){0, 1};
        s->bond_radius = rr;
        s->style = MISI_STYLE_STICK;
        misi_scene_update_frame(s, 1);
        misi_render_params p = {.width = W, .height = H, .aa = 1, .labels = MISI_LABELS_OFF};
        uint8_t img[W * H * 3];
        misi_view v = misi_view_identity();
        misi_error err = {0};
        CHECK(misi_render_view(r, s, &p, &v, img, &err) == 0, "%s", err.msg);
        char name[64];
        snprintf(name, sizeof name, "depth_stick_%zu", k);
        gt_dump(name, img, W, H);
        float a[2], b[2];
        misi_project(s, &p, &v, s->atoms[0].pos, a, NULL);
        misi_project(s, &p, &v, s->atoms[1].pos, b, NULL);
        float scale = misi_render_scale(s, &p);
        int holes = 0, inside = 0, halves = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                float px = x + 0.5f, py = y + 0.5f;
                float ux = b[0] - a[0], uy = b[1] - a[1];
                float l2 = ux * ux + uy * uy;
                float t = l2 > 0 ? ((px - a[0]) * ux + (py - a[1]) * uy) / l2 : 0;
                t = t < 0 ? 0 : t > 1 ? 1 : t;
                float dx = px - (a[0] + t * ux), dy = py - (a[1] + t * uy);
                if (sqrtf(dx * dx + dy * dy) > rr * scale - 1.0f)
                    continue;
                inside++;
                const uint8_t *c = gt_px(img, W, x, y);
                if (!(c[0] | c[1] | c[2]))
                    holes++;
                /* half-bond colouring: the half nearer atom 0 is red */
                if (t < 0.4f && c[0] > c[2])
                    halves++;
                if (t > 0.6f && c[2] > c[0])
                    halves++;
            }
        }
        CHECK(inside > 50, "direction %zu: nothing to check", k);
        CHECK(holes == 0, "direction %zu: %d of %d pixels inside the capsule are background", k, holes,
              inside);
        CHECK(halves > inside / 2, "direction %zu: half-bond colours wrong (%d of %d)", k, halves, inside);
        misi_scene_destroy(s);
    }
}

/* In ball-and-stick the cylinder box covers only the stretch between the two
 * balls (shaders/cylinder.vert): the rest lies inside them and is hidden.
 * Proof by comparison, byte for byte: the same balls with the bond between
 * them against the same balls with the bond hung between two radius-0 atoms
 * at the same centres (nothing to clip there, so the whole cylinder is
 * drawn). Bonds seen side-on, end-on and in between, in both projections,
 * and a bond whose balls overlap so far that none of it shows. */
static void bond_inside_balls_changes_no_pixel(misi_renderer *r)
{
    static const float dirs[][3] = {
        {1, 0, 0}, {0.6f, 0.5f, 0.62f}, {0.1f, 0.2f, 0.97f}, {0, 0, 1}, {-0.3f, 0.9f, -0.3f}};
    static const float lengths[] = {3.0f, 1.0f}; /* 1.0: ya = 0.74 > L - yb, no visible stretch */
    for (int proj = 0; proj < 2; proj++)
        for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++)
            for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
                float n = sqrtf(dirs[k][0] * dirs[k][0] + dirs[k][1] * dirs[k][1] + dirs[k][2] * dirs[k][2]);
                float h = lengths[li] / 2, ball = 0.8f;
                float a[3] = {-h * dirs[k][0] / n, -h * dirs[k][1] / n, -h * dirs[k][2] / n};
                float b[3] = {-a[0], -a[1], -a[2]};
                misi_scene *clipped = gt_scene(2, 1), *whole = gt_scene(4, 1);
                set_atom(clipped, 0, a[0], a[1], a[2], ball, RED);
                set_atom(clipped, 1, b[0], b[1], b[2], ball, BLUE);
                clipped->bonds[0] = (misi_scene_bond){0, 1};
                set_atom(whole, 0, a[0], a[1], a[2], ball, RED);
                set_atom(whole, 1, b[0], b[1], b[2], ball, BLUE);
                set_atom(whole, 2, a[0], a[1], a[2], 0.0f, RED);
                set_atom(whole, 3, b[0], b[1], b[2], 0.0f, BLUE);
                whole->bonds[0] = (misi_scene_bond){2, 3};
                misi_scene *sc[2] = {clipped, whole};
                uint8_t img[2][W * H * 3];
                misi_render_params p = {.width = W,
                                        .height = H,
                                        .aa = 1,
                                        .labels = MISI_LABELS_OFF,
                                        .projection =
                                            proj ? MISI_PROJECTION_PERSPECTIVE : MISI_PROJECTION_ORTHO,
                                        .px_per_A = 20.0f};
                for (int i = 0; i < 2; i++) {
                    sc[i]->bond_radius = 0.3f;
                    sc[i]->style = MISI_STYLE_BALL_AND_STICK;
                    misi_scene_update_frame(sc[i], 1);
                    misi_view v = misi_view_identity();
                    misi_error err = {0};
                    CHECK(misi_render_view(r, sc[i], &p, &v, img[i], &err) == 0, "%s", err.msg);
                }
                int differ = 0, lit = 0;
                for (size_t i = 0; i < (size_t)W * H; i++) {
                    differ += memcmp(img[0] + 3 * i, img[1] + 3 * i, 3) != 0;
                    lit += (img[1][3 * i] | img[1][3 * i + 1] | img[1][3 * i + 2]) != 0;
                }
                CHECK(lit > 500, "proj %d length %.1f direction %zu: nothing drawn (%d)", proj, lengths[li],
                      k, lit);
                CHECK(differ == 0, "proj %d length %.1f direction %zu: %d pixels differ from the whole bond",
                      proj, lengths[li], k, differ);
                if (differ) {
                    gt_dump("bond_clipped", img[0], W, H);
                    gt_dump("bond_whole", img[1], W, H);
                }
                misi_scene_destroy(clipped);
                misi_scene_destroy(whole);
            }
}

/* Silhouettes are whole: every pixel whose ray meets a sphere or a bond is
 * lit and every pixel whose ray misses all is not, so no impostor's point,
 * quad or box cuts a silhouette (the vertex shaders leave only an eighth of
 * a pixel of margin around exact bounds). 100 spheres of 2-8 px radius at
 * random sub-pixel positions, and 60 bonds between radius-0 atoms at random
 * angles, tilted out of the image plane by up to 60 degrees (the end circles
 * then project to ellipses: the orthographic bond quad is sized by that),
 * each in both projections. A pixel is not judged when moving its ray by
 * 0.02 px changes the answer, so this proves the margin is enough, not that
 * it is needed. */
#define SW 224
static unsigned lcg_next(unsigned *x)
{
    *x = *x * 1664525u + 1013904223u;
    return *x >> 8;
}
static float lcg_uniform(unsigned *x, float lo, float hi)
{
    return lo + (hi - lo) * (float)(lcg_next(x) & 0xffff) / 65535.0f;
}

/* The ray through screen point (qx, qy) (Å at z = 0) of either projection. */
static void screen_ray(misi_projection proj, double qx, double qy, double o[3], double d[3])
{
    const double D = 100.0;
    if (proj == MISI_PROJECTION_PERSPECTIVE) {
        double len = sqrt(qx * qx + qy * qy + D * D);
        o[0] = 0, o[1] = 0, o[2] = D;
        d[0] = qx / len, d[1] = qy / len, d[2] = -D / len;
    } else {
        o[0] = qx, o[1] = qy, o[2] = 50;
        d[0] = 0, d[1] = 0, d[2] = -1;
    }
}

static double dot3(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* Does the ray meet sphere i, or the front of bond i's open cylinder between
 * its ends (what the fragment shaders draw)? Positions relative to the frame
 * centre, as the identity view shows them. */
static bool ray_hits(const misi_scene *s, bool bonds, int n, const double o[3], const double d[3])
{
    for (int i = 0; i < n; i++) {
        if (!bonds) {
            double oc[3];
            for (int k = 0; k < 3; k++)
                oc[k] = o[k] - (s->atoms[i].pos[k] - s->frame.centre[k]);
            double b = dot3(oc, d), c = dot3(oc, oc) - b * b, rad = s->atoms[i].radius;
            if (c < rad * rad)
                return true;
            continue;
        }
        const float *pa = s->atoms[2 * i].pos, *pb = s->atoms[2 * i + 1].pos;
        double a[3], w[3], oc[3], dd[3], oo[3];
        for (int k = 0; k < 3; k++)
            a[k] = pa[k] - s->frame.centre[k], w[k] = pb[k] - pa[k];
        double L = sqrt(dot3(w, w));
        for (int k = 0; k < 3; k++)
            w[k] /= L, oc[k] = o[k] - a[k];
        double dw = dot3(d, w), ow = dot3(oc, w);
        for (int k = 0; k < 3; k++)
            dd[k] = d[k] - dw * w[k], oo[k] = oc[k] - ow * w[k];
        double A = dot3(dd, dd), B = dot3(dd, oo), C = dot3(oo, oo) - (double)s->bond_radius * s->bond_radius;
        double disc = B * B - A * C;
        if (A < 1e-12 || disc < 0)
            continue;
        double t = (-B - sqrt(disc)) / A, y = ow + t * dw;
        if (y >= 0 && y <= L)
            return true;
    }
    return false;
}

static void silhouettes_are_whole(misi_renderer *r, misi_projection proj, bool bonds)
{
    const float scale = 8.0f; /* px per Å */
    const double eps = 0.02 / scale;
    unsigned seed = (bonds ? 7u : 3u) + (unsigned)proj;
    int n = bonds ? 60 : 100;
    misi_scene *s = bonds ? gt_scene(2u * (unsigned)n, (unsigned)n) : gt_scene((unsigned)n, 0);
    for (int i = 0; i < n; i++) {
        float cx = ((float)(i % 10) - 4.5f) * 2.4f + lcg_uniform(&seed, -0.25f, 0.25f);
        float cy = ((float)(i / 10) - 4.5f) * 2.4f + lcg_uniform(&seed, -0.25f, 0.25f);
        float cz = lcg_uniform(&seed, -1.0f, 1.0f);
        if (!bonds) {
            set_atom(s, i, cx, cy, cz, lcg_uniform(&seed, 0.25f, 0.95f), RED);
            continue;
        }
        float ang = lcg_uniform(&seed, 0.0f, 3.14159f), h = lcg_uniform(&seed, 0.6f, 0.9f);
        float tilt = lcg_uniform(&seed, -1.047f, 1.047f);
        float ux = cosf(tilt) * cosf(ang), uy = cosf(tilt) * sinf(ang), uz = sinf(tilt);
        set_atom(s, 2 * i, cx - h * ux, cy - h * uy, cz - h * uz, 0.0f, RED);
        set_atom(s, 2 * i + 1, cx + h * ux, cy + h * uy, cz + h * uz, 0.0f, RED);
        s->bonds[i] = (misi_scene_bond){(uint32_t)(2 * i), (uint32_t)(2 * i + 1)};
    }
    s->bond_radius = 0.3f;
    s->style = MISI_STYLE_BALL_AND_STICK;
    misi_scene_update_frame(s, 1);
    misi_render_params p = {
        .width = SW, .height = SW, .aa = 1, .labels = MISI_LABELS_OFF, .projection = proj, .px_per_A = scale};
    static uint8_t img[SW * SW * 3];
    misi_view v = misi_view_identity();
    misi_error err = {0};
    CHECK(misi_render_view(r, s, &p, &v, img, &err) == 0, "%s", err.msg);
    int missing = 0, extra = 0, rim = 0;
    static const double nudge[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    for (int y = 0; y < SW; y++) {
        for (int x = 0; x < SW; x++) {
            double qx = (x + 0.5 - SW / 2.0) / scale, qy = (SW / 2.0 - (y + 0.5)) / scale;
            double o[3], d[3];
            screen_ray(proj, qx, qy, o, d);
            bool hit = ray_hits(s, bonds, n, o, d), unsure = false, near_rim = false;
            for (int k = 0; k < 4; k++) {
                screen_ray(proj, qx + eps * nudge[k][0], qy + eps * nudge[k][1], o, d);
                unsure |= ray_hits(s, bonds, n, o, d) != hit;
                screen_ray(proj, qx + 0.5 / scale * nudge[k][0], qy + 0.5 / scale * nudge[k][1], o, d);
                near_rim |= ray_hits(s, bonds, n, o, d) != hit;
            }
            if (unsure)
                continue;
            rim += hit && near_rim;
            bool lit = (gt_px(img, SW, x, y)[0] | gt_px(img, SW, x, y)[1] | gt_px(img, SW, x, y)[2]) != 0;
            missing += hit && !lit;
            extra += !hit && lit;
        }
    }
    const char *name = bonds ? "bonds" : "spheres";
    const char *pname = proj == MISI_PROJECTION_PERSPECTIVE ? "perspective" : "orthographic";
    if (missing || extra)
        gt_dump("silhouettes", img, SW, SW);
    CHECK(rim > 400, "%s, %s: only %d pixels within half a pixel inside a silhouette", name, pname, rim);
    CHECK(missing == 0, "%s, %s: %d pixels inside a silhouette are not drawn", name, pname, missing);
    CHECK(extra == 0, "%s, %s: %d pixels outside every silhouette are drawn", name, pname, extra);
    misi_scene_destroy(s);
}

int main(void)
{
    misi_renderer *r = gt_renderer();
    front_hides_back(r);
    intersection_circle(r, MISI_PROJECTION_ORTHO);
    intersection_circle(r, MISI_PROJECTION_PERSPECTIVE);
    cylinder_meets_spheres(r);
    bond_inside_balls_changes_no_pixel(r);
    silhouettes_are_whole(r, MISI_PROJECTION_ORTHO, false);
    silhouettes_are_whole(r, MISI_PROJECTION_PERSPECTIVE, false);
    silhouettes_are_whole(r, MISI_PROJECTION_ORTHO, true);
    silhouettes_are_whole(r, MISI_PROJECTION_PERSPECTIVE, true);
    misi_renderer_destroy(r);
    return CHECK_DONE();
}
