/* The label layout pass, on the CPU (no GL): where each label of one view
 * goes. Two placements share this file so that they are measured alike:
 *
 *   paper  centred on the anchor's pixel on a dark box and clamped inside
 *          the image (the desktop viewer's look; labels overlap freely);
 *   layout the legible one: labels in priority order (misi_scene_label.
 *          priority, then index), each tried at 8 directions around its
 *          anchor at growing distances, scored by how many molecule pixels
 *          it would cover; a spot that touches a placed label is never
 *          taken, so no two labels overlap. A label placed past the first
 *          ring gets a leader line to its anchor. A label with no free spot
 *          is dropped; labels of priority > 0 (not what the image's
 *          questions need) are also dropped rather than cover much of the
 *          molecule, within a budget per image.
 *
 * The molecule's pixels are the projected atom discs and bond capsules
 * (exact for ortho spheres, a close bound for bonds), each pixel's coverage
 * ramping over one pixel at a rim: a mask and its summed area table answer
 * "molecule pixels under this box" in O(1), continuously in the atoms'
 * positions. Placed labels
 * go into a second mask. Within a priority, atom names go before residue
 * labels and crowded anchors (near the image centre) first. Everything runs in a fixed order with ties broken
 * by label index, so the same inputs give the same layout everywhere. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "misi/font.h"
#include "misi/render.h"

/* Layout constants (output pixels unless said). */
#define HALO_PX 1         /* the text's dark outline: the box is the ink plus this on each side */
#define GAP_PX 1          /* empty pixels between two labels' boxes */
#define RINGS 10          /* distances tried: ring k sits k label heights farther out */
#define ANCHOR_CLEAR_PX 2 /* the box keeps this far from the anchor atom's disc */
/* One ring farther out costs as much as hiding this fraction of the box's
 * area of molecule: labels move out over black rather than cover atoms. */
#define RING_COST 0.03
/* A label the image's questions do not need may cover at most this fraction
 * of its own box with molecule, and is placed only while all labels placed
 * so far (needed ones included) cover at most LABEL_BUDGET of the
 * molecule's pixels: past that it is dropped (MISI-SPEC §2: labels cover as
 * little of the molecule as possible; docs/rendering.md aims at 20 %). */
#define OPTIONAL_MAX_OVER 0.30
#define OPTIONAL_MAX_LEADER 6.0 /* molecule pixels a leader of such a label may cross */
#define LABEL_BUDGET 0.12

int misi_labels_from_name(const char *name, misi_labels *out)
{
    if (!strcmp(name, "on"))
        *out = MISI_LABELS_ON;
    else if (!strcmp(name, "off"))
        *out = MISI_LABELS_OFF;
    else if (!strcmp(name, "paper"))
        *out = MISI_LABELS_PAPER;
    else
        return MISI_E_USAGE;
    return 0;
}

const char *misi_labels_name(misi_labels l)
{
    switch (l) {
    case MISI_LABELS_OFF:
        return "off";
    case MISI_LABELS_PAPER:
        return "paper";
    default:
        return "on";
    }
}

typedef struct grid {
    int w, h;
    float *mask;    /* molecule: how much of each pixel it covers, 0..1 */
    double *sat;    /* (w+1) x (h+1) summed area of mask */
    uint8_t *taken; /* placed label boxes: count per pixel (saturating) */
    uint8_t *lead;  /* placed leader lines (3 px wide) */
    uint8_t *near;  /* a placed label box within one pixel (taken grown by 1): leader tests */
    uint32_t *occ;  /* per row, (w + 1) prefix counts of pixels taken or leader: box tests */
} grid;

/* Recompute the occupancy prefix of rows y0..y1 (clipped). */
static void occ_rows(grid *g, int y0, int y1)
{
    if (y0 < 0)
        y0 = 0;
    for (int y = y0; y <= y1 && y < g->h; y++) {
        const uint8_t *t = g->taken + (size_t)y * (size_t)g->w, *l = g->lead + (size_t)y * (size_t)g->w;
        uint32_t *o = g->occ + (size_t)y * (size_t)(g->w + 1);
        o[0] = 0;
        for (int x = 0; x < g->w; x++)
            o[x + 1] = o[x] + ((t[x] | l[x]) != 0);
    }
}

/* Coverage ramps over one pixel across an edge (pixel centre at distance
 * d from a shape of radius r: r + 0.5 - d, clamped), so that the scores are
 * continuous in the atoms' positions: a pose a few ulp off (a 90 degree roll
 * parsed from an answer's text instead of composed by the task) moves every
 * score by as little and does not tip a choice, where a 0/1 mask would flip
 * whole pixels at the rim. */
static void cover(grid *g, int x, int y, float c)
{
    if (c <= 0.0f)
        return;
    float *m = &g->mask[(size_t)y * (size_t)g->w + (size_t)x];
    if (c > 1.0f)
        c = 1.0f;
    if (c > *m)
        *m = c;
}

/* The grid cells a shape within [xmin, xmax] x [ymin, ymax] (and one more
 * pixel around, for antialiasing) can cover, clipped to the grid. */
static void cover_box(const grid *g, float xmin, float xmax, float ymin, float ymax, int *x0, int *x1, int *y0,
                      int *y1)
{
    *x0 = (int)floorf(xmin - 1);
    *x1 = (int)ceilf(xmax + 1);
    *y0 = (int)floorf(ymin - 1);
    *y1 = (int)ceilf(ymax + 1);
    if (*x0 < 0)
        *x0 = 0;
    if (*y0 < 0)
        *y0 = 0;
    if (*x1 > g->w - 1)
        *x1 = g->w - 1;
    if (*y1 > g->h - 1)
        *y1 = g->h - 1;
}

static void disc(grid *g, float cx, float cy, float r)
{
    int x0, x1, y0, y1;
    cover_box(g, cx - r, cx + r, cy - r, cy + r, &x0, &x1, &y0, &y1);
    for (int y = y0; y <= y1; y++) {
        float dy = (float)y + 0.5f - cy;
        for (int x = x0; x <= x1; x++) {
            float dx = (float)x + 0.5f - cx;
            cover(g, x, y, r + 0.5f - sqrtf(dx * dx + dy * dy));
        }
    }
}

/* A bond: the capsule from a (radius ra) to b (rb), pixels. */
static void capsule(grid *g, const float a[2], const float b[2], float ra, float rb)
{
    float r = fmaxf(ra, rb);
    int x0, x1, y0, y1;
    cover_box(g, fminf(a[0], b[0]) - r, fmaxf(a[0], b[0]) + r, fminf(a[1], b[1]) - r, fmaxf(a[1], b[1]) + r, &x0,
              &x1, &y0, &y1);
    float ex = b[0] - a[0], ey = b[1] - a[1], l2 = ex * ex + ey * ey;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            float px = (float)x + 0.5f - a[0], py = (float)y + 0.5f - a[1];
            float t = l2 > 0 ? (px * ex + py * ey) / l2 : 0.0f;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            float dx = px - t * ex, dy = py - t * ey;
            cover(g, x, y, ra + t * (rb - ra) + 0.5f - sqrtf(dx * dx + dy * dy));
        }
}

static double sat_sum(const grid *g, int x, int y, int w, int h)
{
    size_t W = (size_t)g->w + 1;
    int x1 = x + w, y1 = y + h;
    if (x < 0)
        x = 0;
    if (y < 0)
        y = 0;
    if (x1 > g->w)
        x1 = g->w;
    if (y1 > g->h)
        y1 = g->h;
    if (x1 <= x || y1 <= y)
        return 0;
    return g->sat[(size_t)y1 * W + (size_t)x1] + g->sat[(size_t)y * W + (size_t)x] -
           g->sat[(size_t)y * W + (size_t)x1] - g->sat[(size_t)y1 * W + (size_t)x];
}

/* Does box (x, y, w, h) grown by GAP_PX touch a placed label? */
static bool touches(const grid *g, int x, int y, int w, int h)
{
    int x0 = x - GAP_PX, y0 = y - GAP_PX, x1 = x + w + GAP_PX, y1 = y + h + GAP_PX;
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > g->w)
        x1 = g->w;
    if (y1 > g->h)
        y1 = g->h;
    if (x0 >= x1)
        return false;
    for (int yy = y0; yy < y1; yy++) {
        const uint32_t *o = g->occ + (size_t)yy * (size_t)(g->w + 1);
        if (o[x1] != o[x0])
            return true;
    }
    return false;
}

static void take(grid *g, int x, int y, int w, int h)
{
    for (int yy = y < 0 ? 0 : y; yy < y + h && yy < g->h; yy++)
        for (int xx = x < 0 ? 0 : x; xx < x + w && xx < g->w; xx++) {
            uint8_t *c = &g->taken[(size_t)yy * (size_t)g->w + (size_t)xx];
            if (*c < 255)
                (*c)++;
        }
    for (int yy = y - 1 < 0 ? 0 : y - 1; yy <= y + h && yy < g->h; yy++)
        for (int xx = x - 1 < 0 ? 0 : x - 1; xx <= x + w && xx < g->w; xx++)
            g->near[(size_t)yy * (size_t)g->w + (size_t)xx] = 1;
    occ_rows(g, y, y + h - 1);
}

/* The molecule's mask and summed area table for view v. */
static int build_mask(grid *g, const misi_scene *s, const misi_render_params *p, const misi_view *v,
                      misi_error *err)
{
    size_t n = (size_t)g->w * (size_t)g->h;
    g->mask = calloc(n, sizeof *g->mask);
    g->taken = calloc(n, 1);
    g->near = calloc(n, 1);
    g->occ = calloc((size_t)(g->w + 1) * (size_t)g->h, sizeof *g->occ);
    g->lead = calloc(n, 1);
    g->sat = calloc(((size_t)g->w + 1) * ((size_t)g->h + 1), sizeof *g->sat);
    if (!g->mask || !g->taken || !g->near || !g->occ || !g->lead || !g->sat)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for the label layout of a %dx%d image", g->w,
                              g->h);
    float scale = misi_render_scale(s, p);
    float D = p->eye_distance;
    bool persp = p->projection == MISI_PROJECTION_PERSPECTIVE;
    float *px = malloc(((size_t)s->natoms + 1) * 3 * sizeof *px);
    if (!px)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for the label layout");
    for (uint32_t i = 0; i < s->natoms; i++) {
        float q[2], z;
        bool ok = misi_project(s, p, v, s->atoms[i].pos, q, &z);
        float f = persp ? (ok ? D / (D - z) : 0.0f) : D / (D - v->trans[2]);
        px[3 * i] = q[0];
        px[3 * i + 1] = q[1];
        px[3 * i + 2] = ok ? f * scale : 0.0f; /* px per A at the atom */
        if (ok)
            disc(g, q[0], q[1], s->atoms[i].radius * px[3 * i + 2]);
    }
    if (s->bond_radius > 0) {
        for (uint32_t b = 0; b < s->nbonds; b++) {
            const float *a = &px[3 * s->bonds[b].a], *c = &px[3 * s->bonds[b].b];
            if (a[2] <= 0 || c[2] <= 0)
                continue;
            capsule(g, a, c, s->bond_radius * a[2], s->bond_radius * c[2]);
        }
    }
    free(px);
    size_t W = (size_t)g->w + 1;
    for (int y = 0; y < g->h; y++) {
        double row = 0;
        for (int x = 0; x < g->w; x++) {
            row += g->mask[(size_t)y * (size_t)g->w + (size_t)x];
            g->sat[(size_t)(y + 1) * W + (size_t)(x + 1)] = g->sat[(size_t)y * W + (size_t)(x + 1)] + row;
        }
    }
    return 0;
}

typedef struct order_item {
    uint32_t index;
    uint8_t priority;
    uint8_t wide;  /* residue labels ("ASP 25 A") after atom names: they fit in fewer places */
    int32_t crowd; /* distance of the anchor from the image centre, quarter pixels */
} order_item;

/* Priority first; within one, atom names before residue labels, then the
 * anchors nearest the image centre (where
 * the molecule is most crowded and free spots are fewest) first; then the
 * label index. Integers only: the order cannot depend on float ties. */
static int by_priority(const void *pa, const void *pb)
{
    const order_item *a = pa, *b = pb;
    if (a->priority != b->priority)
        return a->priority < b->priority ? -1 : 1;
    if (a->wide != b->wide)
        return a->wide < b->wide ? -1 : 1;
    if (a->crowd != b->crowd)
        return a->crowd < b->crowd ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Directions tried around an anchor, in order (ties go to the earlier):
 * the four sides, the four diagonals, then the eight between them. Unit
 * vectors in image pixels, rows down. */
#define NDIRS 16
static const float DIRS[NDIRS][2] = {
    {1, 0},
    {-1, 0},
    {0, -1},
    {0, 1},
    {0.7071f, -0.7071f},
    {-0.7071f, -0.7071f},
    {0.7071f, 0.7071f},
    {-0.7071f, 0.7071f},
    {0.9239f, -0.3827f},
    {-0.9239f, -0.3827f},
    {0.9239f, 0.3827f},
    {-0.9239f, 0.3827f},
    {0.3827f, -0.9239f},
    {-0.3827f, -0.9239f},
    {0.3827f, 0.9239f},
    {-0.3827f, 0.9239f},
};

/* The box of a label of size (w, h) in direction d at distance r from the
 * anchor (ax, ay): its centre sits r plus the box's half extent along the
 * direction away, so its nearest side is about r from the anchor. */
static void candidate(int d, float ax, float ay, float r, int w, int h, int *x, int *y)
{
    float ux = DIRS[d][0], uy = DIRS[d][1];
    float ext = 0.5f * (fabsf(ux) * (float)w + fabsf(uy) * (float)h);
    float cx = ax + ux * (r + ext), cy = ay + uy * (r + ext);
    *x = (int)floorf(cx - 0.5f * (float)w + 0.5f);
    *y = (int)floorf(cy - 0.5f * (float)h + 0.5f);
}

static bool clamp_inside(int *x, int *y, int w, int h, int W, int H)
{
    /* one pixel inside the border, as the paper placement */
    if (w + 2 > W || h + 2 > H)
        return false;
    if (*x < 1)
        *x = 1;
    if (*y < 1)
        *y = 1;
    if (*x > W - w - 1)
        *x = W - w - 1;
    if (*y > H - h - 1)
        *y = H - h - 1;
    return true;
}

/* Does the box come within `clear` pixels of the disc (ax, ay, r)? */
static bool hits_disc(int x, int y, int w, int h, float ax, float ay, float r)
{
    float nx = ax < (float)x ? (float)x : ax > (float)(x + w) ? (float)(x + w) : ax;
    float ny = ay < (float)y ? (float)y : ay > (float)(y + h) ? (float)(y + h) : ay;
    float dx = nx - ax, dy = ny - ay;
    return dx * dx + dy * dy < r * r;
}

/* The leader of box (x, y, w, h) for an anchor disc (ax, ay, r): from the
 * disc's rim toward the box's nearest point. False when the box is closer
 * than a pixel past the rim (no leader needed). */
static bool leader_of(int x, int y, int w, int h, float ax, float ay, float r, float from[2], float to[2])
{
    float nx = ax < (float)x ? (float)x : ax > (float)(x + w) ? (float)(x + w) : ax;
    float ny = ay < (float)y ? (float)y : ay > (float)(y + h) ? (float)(y + h) : ay;
    float dx = nx - ax, dy = ny - ay, len = sqrtf(dx * dx + dy * dy);
    if (len <= r + 1.0f)
        return false;
    /* ends on a 1/8 pixel grid: the line's antialiased pixels then do not
     * change with an anchor a few ulp off (an answer re-applied from text) */
    from[0] = floorf((ax + dx / len * r) * 8.0f + 0.5f) / 8.0f;
    from[1] = floorf((ay + dy / len * r) * 8.0f + 0.5f) / 8.0f;
    to[0] = floorf(nx * 8.0f + 0.5f) / 8.0f;
    to[1] = floorf(ny * 8.0f + 0.5f) / 8.0f;
    return true;
}

/* Walk the leader's pixels: test (mark = false: does it cross a placed
 * label?) or mark them as leader. Leaders may cross each other (each still
 * ends at its own label), never a label; no label is placed over one. */
static bool leader_pixels(grid *g, const float from[2], const float to[2], bool mark)
{
    float dx = to[0] - from[0], dy = to[1] - from[1];
    int steps = (int)ceilf(2.0f * sqrtf(dx * dx + dy * dy)) + 1;
    for (int k = 0; k <= steps; k++) {
        float t = (float)k / (float)steps;
        int x = (int)floorf(from[0] + t * dx), y = (int)floorf(from[1] + t * dy);
        /* Testing with the centre inside: one look at the grown grid says
         * what the nine below would (same answer, the hot path of layout). */
        if (!mark && x >= 0 && y >= 0 && x < g->w && y < g->h) {
            if (g->near[(size_t)y * (size_t)g->w + (size_t)x])
                return true;
            continue;
        }
        for (int oy = -1; oy <= 1; oy++)
            for (int ox = -1; ox <= 1; ox++) {
                int xx = x + ox, yy = y + oy;
                if (xx < 0 || yy < 0 || xx >= g->w || yy >= g->h)
                    continue;
                size_t at = (size_t)yy * (size_t)g->w + (size_t)xx;
                /* the last pixels touch the label's own box, which is not
                 * placed yet while testing */
                if (!mark && g->taken[at])
                    return true;
                if (mark && !g->taken[at])
                    g->lead[at] = 1;
            }
    }
    return false;
}

/* The pixels an outlined label really draws: its glyphs' ink grown by the
 * halo (label.frag: texels within sqrt 2 of ink), marked in foot. */
static void mark_ink(const misi_font_atlas *atlas, const char *text, const misi_label_place *o, float pad,
                     uint8_t *foot, int W, int H)
{
    misi_glyph_quad q[64];
    misi_text_box box;
    size_t n = misi_text_layout(atlas, text, q, 64, &box);
    if (n > 64)
        n = 64;
    for (size_t g = 0; g < n; g++) {
        int gx = o->x + (int)pad + (int)(q[g].x0 - box.x0), gy = o->y + (int)pad + (int)(q[g].y0 - box.y0);
        int gw = (int)(q[g].x1 - q[g].x0), gh = (int)(q[g].y1 - q[g].y0);
        int tx0 = (int)floorf(q[g].u0 * (float)atlas->width + 0.5f);
        int ty0 = (int)floorf(q[g].v0 * (float)atlas->height + 0.5f);
        for (int y = 0; y < gh; y++)
            for (int x = 0; x < gw; x++) {
                int tx = tx0 + x, ty = ty0 + y;
                if (tx < 0 || ty < 0 || tx >= atlas->width || ty >= atlas->height ||
                    !atlas->pixels[(size_t)ty * (size_t)atlas->width + (size_t)tx])
                    continue;
                for (int dy = -HALO_PX; dy <= HALO_PX; dy++)
                    for (int dx = -HALO_PX; dx <= HALO_PX; dx++) {
                        int px = gx + x + dx, py = gy + y + dy;
                        if (dx * dx + dy * dy <= 2 * HALO_PX * HALO_PX && px >= 0 && py >= 0 && px < W &&
                            py < H)
                            foot[(size_t)py * (size_t)W + (size_t)px] = 1;
                    }
            }
    }
}

/* Molecule along a leader, times its drawn width: what the leader hides.
 * A fixed number of samples, the coverage interpolated between pixel
 * centres: continuous in the leader's ends, like the scores of the boxes. */
static double leader_cost(const grid *g, const float from[2], const float to[2])
{
    enum { N = 64 };
    float dx = to[0] - from[0], dy = to[1] - from[1];
    double n = 0;
    for (int k = 0; k <= N; k++) {
        float fx = from[0] + dx * (float)k / N - 0.5f, fy = from[1] + dy * (float)k / N - 0.5f;
        int x = (int)floorf(fx), y = (int)floorf(fy);
        float ax = fx - (float)x, ay = fy - (float)y;
        for (int j = 0; j < 4; j++) {
            int xx = x + (j & 1), yy = y + (j >> 1);
            float w = ((j & 1) ? ax : 1 - ax) * ((j >> 1) ? ay : 1 - ay);
            if (xx >= 0 && yy >= 0 && xx < g->w && yy < g->h)
                n += w * g->mask[(size_t)yy * (size_t)g->w + (size_t)xx];
        }
    }
    return 2.0 * n * sqrt((double)dx * dx + (double)dy * dy) / (N + 1);
}

/* The pixels a drawn leader (label.c, label.frag) changes: centres within
 * 1.25 px of the segment. */
static void mark_leader(const misi_label_place *o, uint8_t *foot, int W, int H)
{
    float ax = o->leader_from[0], ay = o->leader_from[1], bx = o->leader_to[0], by = o->leader_to[1];
    float dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
    int x0 = (int)floorf(fminf(ax, bx)) - 2, x1 = (int)ceilf(fmaxf(ax, bx)) + 2;
    int y0 = (int)floorf(fminf(ay, by)) - 2, y1 = (int)ceilf(fmaxf(ay, by)) + 2;
    for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < H; y++)
        for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < W; x++) {
            float px = (float)x + 0.5f, py = (float)y + 0.5f;
            float t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            float ex = ax + t * dx - px, ey = ay + t * dy - py;
            if (ex * ex + ey * ey < 1.5625f) /* label.frag: coverage where d < 1.25 */
                foot[(size_t)y * (size_t)W + (size_t)x] = 1;
        }
}

int misi_label_layout(const misi_scene *s, const misi_render_params *params, const misi_view *view_in,
                      const misi_font_atlas *atlas, misi_label_place *out, misi_label_stats *st,
                      misi_error *err)
{
    misi_render_params p = *params;
    misi_render_params_defaults(&p);
    misi_view snapped = misi_view_snap(view_in); /* what the renderer draws */
    const misi_view *v = &snapped;
    bool paper = p.labels == MISI_LABELS_PAPER;
    int W = p.width, H = p.height;
    grid g = {.w = W, .h = H};
    order_item *ord = NULL;
    int rc = 0;
    if (st)
        memset(st, 0, sizeof *st);
    float pad = paper ? (float)(int)(0.2f * p.label_px + 0.5f) : (float)HALO_PX;
    float scale = misi_render_scale(s, &p);
    float D = p.eye_distance;
    bool persp = p.projection == MISI_PROJECTION_PERSPECTIVE;
    uint32_t requested = 0;
    for (uint32_t i = 0; i < s->nlabels; i++) {
        misi_label_place *o = &out[i];
        memset(o, 0, sizeof *o);
        misi_text_box box;
        size_t nq = misi_text_layout(atlas, s->labels[i].text, NULL, 0, &box);
        float z = 0;
        float a[2];
        bool front = misi_project(s, &p, v, s->labels[i].pos, a, &z);
        o->ax = a[0];
        o->ay = a[1];
        if (nq == 0 || !front)
            continue; /* blank text or behind the eye: nothing to place */
        requested++;
        o->w = (int)((box.x1 - box.x0) + 2 * pad);
        o->h = (int)((box.y1 - box.y0) + 2 * pad);
        if (paper) {
            /* label.vert's formula before the layout pass, in rows down */
            float gx = a[0], gy = (float)H - a[1];
            float ox = floorf(gx - 0.5f * (float)o->w + 0.5f), oy = floorf(gy - 0.5f * (float)o->h + 0.5f);
            float mx = (float)(W - o->w - 1), my = (float)(H - o->h - 1);
            ox = fminf(fmaxf(ox, 1.0f), fmaxf(mx, 1.0f));
            oy = fminf(fmaxf(oy, 1.0f), fmaxf(my, 1.0f));
            o->x = (int)ox;
            o->y = H - (int)oy - o->h;
            o->placed = true;
        }
    }

    bool need_grid = !paper || st;
    if (need_grid) {
        rc = build_mask(&g, s, &p, v, err);
        if (rc)
            goto done;
    }
    double mol = 0; /* the molecule's area, pixels */
    if (need_grid)
        mol = sat_sum(&g, 0, 0, W, H);

    if (!paper && s->nlabels) {
        ord = malloc(s->nlabels * sizeof *ord);
        if (!ord) {
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory for the label layout");
            goto done;
        }
        for (uint32_t i = 0; i < s->nlabels; i++) {
            float dx = out[i].ax - 0.5f * (float)W, dy = out[i].ay - 0.5f * (float)H;
            float d = fminf(sqrtf(dx * dx + dy * dy), 1e6f);
            ord[i] = (order_item){i, s->labels[i].priority,
                                  (s->labels[i].key >> 28) == MISI_LABEL_KIND_RESIDUE, (int32_t)(4.0f * d)};
        }
        qsort(ord, s->nlabels, sizeof *ord, by_priority);
        double used = 0, budget = LABEL_BUDGET * mol;
        for (uint32_t k = 0; k < s->nlabels; k++) {
            uint32_t i = ord[k].index;
            misi_label_place *o = &out[i];
            if (o->w == 0)
                continue;
            bool optional = s->labels[i].priority > 0;
            float f = persp ? 1.0f : D / (D - v->trans[2]);
            float rpx = s->labels[i].anchor_r * scale * f; /* perspective: the centre's scale is close */
            float clear = rpx + ANCHOR_CLEAR_PX;
            double best = INFINITY;
            int bx = 0, by = 0, bring = 0;
            double bover = 0;
            double area = (double)o->w * (double)o->h;
            for (int ring = 0; ring < RINGS; ring++) {
                /* Every score from here on is at least this ring's cost:
                 * nothing farther out can beat the best (ties go to the
                 * first), so stop. Same choice, far fewer leader walks. */
                if (RING_COST * area * ring >= best)
                    break;
                float r = clear + (float)ring * (float)o->h;
                for (int d = 0; d < NDIRS; d++) {
                    int x, y;
                    candidate(d, o->ax, o->ay, r, o->w, o->h, &x, &y);
                    if (!clamp_inside(&x, &y, o->w, o->h, W, H))
                        continue;
                    /* clamped onto its own atom: not beside it any more */
                    if (hits_disc(x, y, o->w, o->h, o->ax, o->ay, rpx + 1.0f))
                        continue;
                    if (touches(&g, x, y, o->w, o->h))
                        continue;
                    /* A lower bound of the score (the leader only adds to
                     * it, and rounding to 1/16 is monotonic): a spot that
                     * cannot win skips the leader's walk and cost. */
                    if (floor(sat_sum(&g, x, y, o->w, o->h) * 16.0 + 0.5) / 16.0 + RING_COST * area * ring >=
                        best)
                        continue;
                    float lf[2], lt[2];
                    bool lead = ring > 0 && leader_of(x, y, o->w, o->h, o->ax, o->ay, rpx, lf, lt);
                    if (lead && leader_pixels(&g, lf, lt, false))
                        continue;
                    /* what box and leader hide of the molecule; a label
                     * the questions do not need never draws its leader
                     * across the molecule */
                    double lc = lead ? leader_cost(&g, lf, lt) : 0.0;
                    if (optional && lc > OPTIONAL_MAX_LEADER)
                        continue;
                    double over = sat_sum(&g, x, y, o->w, o->h) + lc;
                    /* to 1/16 pixel: the summed area table's rounding noise
                     * (1e-11) must not break the ties between spots over
                     * black, which go to the first direction */
                    over = floor(over * 16.0 + 0.5) / 16.0;
                    if (optional && over > OPTIONAL_MAX_OVER * area)
                        continue;
                    /* molecule pixels hidden first, then distance */
                    double score = (double)over + RING_COST * area * ring;
                    if (score < best) {
                        best = score;
                        bx = x;
                        by = y;
                        bring = ring;
                        bover = over;
                    }
                }
            }
            if (!isfinite(best))
                continue;
            if (optional && used + bover > budget)
                continue;
            used += bover;
            o->x = bx;
            o->y = by;
            o->placed = true;
            o->leader =
                bring > 0 && leader_of(bx, by, o->w, o->h, o->ax, o->ay, rpx, o->leader_from, o->leader_to);
            take(&g, bx, by, o->w, o->h);
            /* no label goes over a leader later; marked after the box, so
             * the pixels next to it stay the box's */
            if (o->leader) {
                leader_pixels(&g, o->leader_from, o->leader_to, true);
                float ly0 = fminf(o->leader_from[1], o->leader_to[1]),
                      ly1 = fmaxf(o->leader_from[1], o->leader_to[1]);
                occ_rows(&g, (int)floorf(ly0) - 1, (int)floorf(ly1) + 1);
            }
        }
    }

    if (st) {
        st->requested = requested;
        if (paper) {
            /* the paper's boxes were not marked while placing */
            for (uint32_t i = 0; i < s->nlabels; i++)
                if (out[i].placed)
                    take(&g, out[i].x, out[i].y, out[i].w, out[i].h);
        }
        for (uint32_t i = 0; i < s->nlabels; i++)
            st->placed += out[i].placed;
        st->dropped = st->requested - st->placed;
        /* whole pixels: those at least half covered */
        for (size_t k = 0; k < (size_t)W * (size_t)H; k++)
            st->molecule_px += g.mask[k] >= 0.5f;
        /* covered: under a backing box (paper), or under the ink, outline
         * and leaders the layout draws; overlap: under two boxes */
        uint8_t *foot = paper ? NULL : calloc((size_t)W * (size_t)H, 1);
        if (!paper && !foot) {
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory for label statistics");
            goto done;
        }
        for (uint32_t i = 0; foot && i < s->nlabels; i++) {
            if (out[i].placed)
                mark_ink(atlas, s->labels[i].text, &out[i], pad, foot, W, H);
            if (out[i].placed && out[i].leader)
                mark_leader(&out[i], foot, W, H);
        }
        for (size_t k = 0; k < (size_t)W * (size_t)H; k++) {
            st->overlap_px += g.taken[k] >= 2;
            st->covered_px += g.mask[k] >= 0.5f && (foot ? foot[k] : g.taken[k] != 0);
        }
        free(foot);
    }
done:
    free(ord);
    free(g.mask);
    free(g.sat);
    free(g.taken);
    free(g.near);
    free(g.occ);
    free(g.lead);
    return rc;
}
