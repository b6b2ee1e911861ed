/* The H-bond criteria: HBONDS.md's acceptor and donor tables as data, and one
 * evaluator that applies a row of each to a donor/acceptor pair. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mol/hbond_internal.h"

#define NT NAN /* not tested */

/* Which column of the donor table an acceptor uses. */
enum { COL_SP2_O = 0, COL_SP3_O_PLANAR_N = 1, COL_SP3_N = 2 };

typedef struct acc_rule {
    const char *name;
    uint8_t column;
    float da_max;
    float phi_min;     /* anti side for carboxylates */
    float phi_min_syn; /* carboxylates only */
    float theta_min;
    float ups_lo, ups_hi; /* P-A...D at the acceptor */
    float xad_min;        /* every X-A...D */
} acc_rule;

/* HBONDS.md "Acceptor tests (relaxed)", one row per class. Phosphate and
 * sulfonyl O3- and thiocarbonyl S use the sp2-O column of the donor table
 * (their lone pairs are trigonal); docs/hbonds.md records the choice. */
static const acc_rule ACC[MISI_ACC_COUNT] = {
    [MISI_ACC_CARBOXYLATE] = {"carboxylate O", COL_SP2_O, 3.57f, 90, 70, 125, NT, NT, NT},
    [MISI_ACC_CARBONYL] = {"amide/ketone C=O", COL_SP2_O, 3.70f, 90, NT, 110, NT, NT, NT},
    [MISI_ACC_ESTER_CARBONYL] = {"ester/acid C=O", COL_SP2_O, 3.57f, 90, NT, 115, NT, NT, NT},
    [MISI_ACC_HYDROXYL] = {"hydroxyl O", COL_SP3_O_PLANAR_N, 3.43f, NT, NT, 125, NT, NT, 80},
    [MISI_ACC_PHENOL] = {"phenol O", COL_SP3_O_PLANAR_N, 3.57f, NT, NT, 130, 80, 173, NT},
    [MISI_ACC_WATER] = {"water O", COL_SP3_O_PLANAR_N, 3.43f, NT, NT, 125, NT, NT, NT},
    [MISI_ACC_ETHER] = {"ether O", COL_SP3_O_PLANAR_N, 3.82f, 120, NT, 120, NT, NT, NT},
    [MISI_ACC_RING5_O] = {"5-ring O", COL_SP3_O_PLANAR_N, 3.82f, 130, NT, 115, NT, NT, NT},
    [MISI_ACC_O3_TWO_BOND] = {"two-bond O3", COL_SP3_O_PLANAR_N, 3.82f, 100, NT, 115, NT, NT, NT},
    [MISI_ACC_PHOSPHATE] = {"phosphate O3-", COL_SP2_O, 3.43f, 90, NT, 115, NT, NT, NT},
    [MISI_ACC_SULFONYL] = {"sulfonyl O3-", COL_SP2_O, 3.93f, NT, NT, NT, NT, NT, 70},
    [MISI_ACC_RING6_N_SYM] = {"6-ring N2 (sym)", COL_SP3_O_PLANAR_N, 3.57f, 130, NT, 125, NT, NT, NT},
    [MISI_ACC_RING6_N_ASYM] = {"6-ring N2 (asym)", COL_SP3_O_PLANAR_N, 3.70f, 120, NT, 120, NT, NT, NT},
    [MISI_ACC_RING5_N_SYM] = {"5-ring N (sym)", COL_SP3_O_PLANAR_N, 3.70f, 120, NT, 135, NT, NT, NT},
    [MISI_ACC_RING5_N_ASYM] = {"5-ring N (asym)", COL_SP3_O_PLANAR_N, 3.70f, 130, NT, 115, NT, NT, NT},
    [MISI_ACC_IMINE] = {"imine N", COL_SP3_O_PLANAR_N, 3.82f, 120, NT, 120, NT, NT, NT},
    [MISI_ACC_NITRILE] = {"nitrile N", COL_SP3_O_PLANAR_N, 3.70f, NT, NT, 130, NT, NT, 133},
    [MISI_ACC_THIOCARBONYL] = {"thiocarbonyl S", COL_SP2_O, 4.13f, 70, NT, 125, NT, NT, NT},
};

typedef struct don_rule {
    const char *name;
    float da_max[3];
    float ha_max[3];
    float ups_lo[3], ups_hi[3]; /* X-D...A at the donor */
    float theta_min[3];
    float xda_min;   /* every X-D...A */
    float phi_extra; /* for two-bonded sp3-O / planar-N acceptors */
} don_rule;

#define C3(a, b, c) {a, b, c}
#define NT3 {NT, NT, NT}

/* HBONDS.md "Donor tests (relaxed)": columns sp2-O / sp3-O or planar N /
 * sp3-N. A 6-ring NH takes the NH row plus its own phi condition. */
static const don_rule DON[MISI_DON_COUNT] = {
    [MISI_DON_HYDROXYL] = {"hydroxyl O", C3(3.57f, 3.43f, 3.43f), NT3, C3(70, 70, 80), C3(161, 161, 152), NT3, NT, NT},
    [MISI_DON_PHENOL] = {"phenol O", C3(3.43f, 3.43f, 3.27f), NT3, C3(83, 83, 83), C3(156, 156, 156), NT3, NT, NT},
    [MISI_DON_NH3] = {"NH3+", C3(3.57f, 3.57f, 3.57f), NT3, C3(70, 70, 70), C3(156, 152, 144), NT3, NT, NT},
    [MISI_DON_AMIDE_NH2] = {"amide NH2", C3(3.70f, 3.70f, 3.70f), NT3, C3(83, 89, 93), C3(173, 161, 180),
                            C3(115, 120, 105), NT, NT},
    [MISI_DON_NG_NH2] = {"Ng+/amidine NH2", C3(3.57f, 3.57f, 3.57f), NT3, C3(70, 70, 93), C3(166, 166, 180),
                         C3(120, 120, 105), NT, NT},
    [MISI_DON_NH] = {"NH", NT3, C3(2.63f, 2.63f, 2.76f), NT3, NT3, C3(126, 126, 121), NT, 120},
    [MISI_DON_RING5_NH] = {"5-ring NH", NT3, C3(2.49f, 2.49f, 2.88f), NT3, NT3, C3(126, 121, 121), NT, NT},
    [MISI_DON_RING6_NH] = {"6-ring NH", NT3, C3(2.63f, 2.63f, 2.76f), NT3, NT3, C3(126, 126, 121), NT, 130},
    [MISI_DON_ARG_NE] = {"Ng+ NH (Arg NE)", NT3, C3(2.76f, 2.88f, 2.88f), NT3, NT3, C3(110, 110, 110), 70, NT},
    [MISI_DON_R2NH2] = {"R2NH2+", NT3, C3(2.49f, 2.49f, 2.88f), NT3, NT3, C3(121, 121, 121), NT, 135},
    [MISI_DON_R3NH] = {"R3NH+", NT3, C3(2.32f, 2.49f, 2.88f), NT3, NT3, C3(126, 126, 121), NT, 120},
    [MISI_DON_WATER] = {"water O", C3(3.67f, 3.54f, 3.54f), NT3, NT3, NT3, NT3, NT, 120},
    [MISI_DON_THIOL] = {"thiol S", C3(4.05f, 4.05f, 4.05f), NT3, NT3, NT3, NT3, 70, NT},
};

/* Metal rule (HBONDS.md): distance and angle. */
#define METAL_RANGE 4.0f
#define METAL_ANGLE_MIN 45.0f

const char *misi_acc_class_name(int acc)
{
    return acc > 0 && acc < MISI_ACC_COUNT ? ACC[acc].name : "none";
}

const char *misi_don_class_name(int don)
{
    return don > 0 && don < MISI_DON_COUNT ? DON[don].name : "none";
}

/* ---- geometry ---- */

static void sub3(const float *a, const float *b, float *o)
{
    for (int c = 0; c < 3; c++)
        o[c] = a[c] - b[c];
}

static float dot3(const float *a, const float *b)
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void cross3(const float *a, const float *b, float *o)
{
    o[0] = a[1] * b[2] - a[2] * b[1];
    o[1] = a[2] * b[0] - a[0] * b[2];
    o[2] = a[0] * b[1] - a[1] * b[0];
}

static const float *xyz(const hb_side *s, uint32_t i)
{
    return &s->mol->xyz[3 * i];
}

static uint32_t heavy_nbrs(const hb_side *s, uint32_t i, uint32_t *out, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1] && n < max; k++) {
        uint32_t j = s->adj.nbr[k];
        if (s->mol->top.atoms[j].element != 1)
            out[n++] = j;
    }
    return n;
}

/* The plane of the acceptor's substituents and its base point: with two heavy
 * neighbours, their plane through A and their midpoint; with one neighbour X
 * that is trigonal (three neighbours), X's substituent plane and X. Returns
 * false where no plane is defined (sp3 neighbour, linear group). */
static bool acceptor_plane(const hb_side *s, uint32_t a, float normal[3], float base[3], uint32_t *x_out)
{
    uint32_t nb[3];
    uint32_t n = heavy_nbrs(s, a, nb, 3);
    const float *A = xyz(s, a);
    float u[3], v[3];
    *x_out = UINT32_MAX;
    if (n == 2) {
        sub3(xyz(s, nb[0]), A, u);
        sub3(xyz(s, nb[1]), A, v);
        for (int c = 0; c < 3; c++)
            base[c] = 0.5f * (xyz(s, nb[0])[c] + xyz(s, nb[1])[c]);
    } else if (n == 1) {
        uint32_t x = nb[0];
        *x_out = x;
        uint32_t deg = s->adj.start[x + 1] - s->adj.start[x];
        if (deg != 3)
            return false;
        const float *X = xyz(s, x);
        uint32_t others[2], m = 0;
        for (uint32_t k = s->adj.start[x]; k < s->adj.start[x + 1]; k++) {
            if (s->adj.nbr[k] != a && m < 2)
                others[m++] = s->adj.nbr[k];
        }
        if (m != 2)
            return false;
        sub3(xyz(s, others[0]), X, u);
        sub3(xyz(s, others[1]), X, v);
        memcpy(base, X, sizeof(float) * 3);
    } else {
        return false;
    }
    cross3(u, v, normal);
    float len = sqrtf(dot3(normal, normal));
    if (len < 1e-4f)
        return false;
    for (int c = 0; c < 3; c++)
        normal[c] /= len;
    return true;
}

/* phi: angle at A between the base point and D, both projected into the plane. */
static float phi_angle(const float *A, const float *base, const float *D, const float *normal)
{
    float b[3], d[3], pb[3], pd[3];
    sub3(base, A, b);
    sub3(D, A, d);
    float tb = dot3(b, normal), td = dot3(d, normal);
    for (int c = 0; c < 3; c++) {
        pb[c] = A[c] + b[c] - tb * normal[c];
        pd[c] = A[c] + d[c] - td * normal[c];
    }
    float zero[3];
    sub3(pd, A, zero);
    if (dot3(zero, zero) < 1e-8f)
        return 90.0f; /* D straight above the plane: perpendicular to every in-plane direction */
    return hb_angle(pb, A, pd);
}

/* ---- recording tests ---- */

static void add_test(misi_hb_eval *ev, const char *name, float value, float lo, float hi)
{
    if (ev->ntests >= MISI_HB_MAX_TESTS)
        return;
    misi_hb_test *t = &ev->tests[ev->ntests];
    t->name = name;
    t->value = value;
    t->lo = lo;
    t->hi = hi;
    t->passed = value >= lo && value <= hi;
    if (!t->passed && ev->failed < 0)
        ev->failed = (int8_t)ev->ntests;
    ev->ntests++;
}

static void add_max(misi_hb_eval *ev, const char *name, float value, float max, float slop)
{
    add_test(ev, name, value, 0.0f, max + slop);
}

static void add_min_angle(misi_hb_eval *ev, const char *name, float value, float min, float slop)
{
    add_test(ev, name, value, min - slop, 180.0f);
}

static void add_range_angle(misi_hb_eval *ev, const char *name, float value, float lo, float hi, float slop)
{
    float top = hi + slop;
    add_test(ev, name, value, lo - slop, top > 180.0f ? 180.0f : top);
}

/* ---- the evaluator ---- */

/* The hydrogen-dependent tests for one H candidate, written to a scratch
 * record so the best H can be chosen. */
static void h_tests(const misi_hb_context *ctx, const acc_rule *ar, const don_rule *dr, int col,
                    const float *H, const float *D, const float *A, misi_hb_eval *ev)
{
    float slop_d = ctx->cfg.distance_slop, slop_a = ctx->cfg.angle_slop;
    float theta = hb_angle(D, H, A);
    if (!isnan(dr->ha_max[col]))
        add_max(ev, "H..A", hb_dist(H, A), dr->ha_max[col], slop_d);
    if (!isnan(dr->theta_min[col]))
        add_min_angle(ev, "theta(donor)", theta, dr->theta_min[col], slop_a);
    if (!isnan(ar->theta_min))
        add_min_angle(ev, "theta(acceptor)", theta, ar->theta_min, slop_a);
}

bool misi_hb_evaluate(const misi_hb_context *ctx, bool donor_is_ligand, uint32_t d, uint32_t a, misi_hb_eval *ev)
{
    const hb_side *ds = &ctx->side[donor_is_ligand ? 1 : 0];
    const hb_side *as = &ctx->side[donor_is_ligand ? 0 : 1];
    memset(ev, 0, sizeof *ev);
    ev->failed = -1;
    ev->hydrogen = -2;
    ev->don = ds->type[d].don;
    ev->acc = as->type[a].acc;
    if (!ev->don || !ev->acc) {
        add_test(ev, "typing", 0.0f, 1.0f, 1.0f);
        return false;
    }
    const acc_rule *ar = &ACC[ev->acc];
    const don_rule *dr = &DON[ev->don];
    int col = ar->column;
    float slop_d = ctx->cfg.distance_slop, slop_a = ctx->cfg.angle_slop;
    const float *D = xyz(ds, d), *A = xyz(as, a);
    float dist = hb_dist(D, A);

    /* Acceptor side. */
    add_max(ev, "D..A(acceptor)", dist, ar->da_max, slop_d);
    float normal[3], base[3];
    uint32_t x = UINT32_MAX;
    bool plane = acceptor_plane(as, a, normal, base, &x);
    if (!isnan(ar->phi_min) && plane) {
        float phi = phi_angle(A, base, D, normal);
        float min = ar->phi_min;
        if (!isnan(ar->phi_min_syn) && x != UINT32_MAX) {
            /* Carboxylate: syn when D is on the same side of the C=O axis
             * as the group's other oxygen. */
            uint32_t o2 = UINT32_MAX;
            for (uint32_t k = as->adj.start[x]; k < as->adj.start[x + 1]; k++) {
                uint32_t q = as->adj.nbr[k];
                if (q != a && as->mol->top.atoms[q].element == 8)
                    o2 = q;
            }
            if (o2 != UINT32_MAX) {
                float axis[3], to_d[3], to_o[3], cd[3], co[3];
                sub3(xyz(as, x), A, axis);
                sub3(D, A, to_d);
                sub3(xyz(as, o2), A, to_o);
                cross3(axis, to_d, cd);
                cross3(axis, to_o, co);
                if (dot3(cd, normal) * dot3(co, normal) > 0)
                    min = ar->phi_min_syn;
            }
        }
        add_min_angle(ev, min == ar->phi_min ? "phi" : "phi(syn)", phi, min, slop_a);
    }
    uint32_t anb[4];
    uint32_t nanb = heavy_nbrs(as, a, anb, 4);
    if (!isnan(ar->xad_min)) {
        for (uint32_t k = 0; k < nanb; k++)
            add_min_angle(ev, "X-A..D", hb_angle(xyz(as, anb[k]), A, D), ar->xad_min, slop_a);
    }
    if (!isnan(ar->ups_lo) && nanb > 0)
        add_range_angle(ev, "upsilon_A", hb_angle(xyz(as, anb[0]), A, D), ar->ups_lo, ar->ups_hi, slop_a);

    /* Donor side. */
    if (!isnan(dr->da_max[col]))
        add_max(ev, "D..A(donor)", dist, dr->da_max[col], slop_d);
    uint32_t dnb[4];
    uint32_t ndnb = heavy_nbrs(ds, d, dnb, 4);
    if (!isnan(dr->ups_lo[col])) {
        for (uint32_t k = 0; k < ndnb; k++)
            add_range_angle(ev, "upsilon_D", hb_angle(xyz(ds, dnb[k]), D, A), dr->ups_lo[col], dr->ups_hi[col],
                            slop_a);
    }
    if (!isnan(dr->xda_min)) {
        for (uint32_t k = 0; k < ndnb; k++)
            add_min_angle(ev, "X-D..A", hb_angle(xyz(ds, dnb[k]), D, A), dr->xda_min, slop_a);
    }
    if (!isnan(dr->phi_extra) && col == COL_SP3_O_PLANAR_N && nanb == 2 && plane)
        add_min_angle(ev, "phi(donor)", phi_angle(A, base, D, normal), dr->phi_extra, slop_a);

    /* Hydrogen tests: any H of the donor may meet them; keep the H that
     * passes, or else the one that fails least (largest theta). */
    uint32_t h0 = ds->hstart[d], h1 = ds->hstart[d + 1];
    bool needs_h = !isnan(dr->ha_max[col]);
    if (h1 > h0) {
        misi_hb_eval best = {0}, cur;
        int best_score = -1;
        float best_theta = -1;
        for (uint32_t h = h0; h < h1; h++) {
            memset(&cur, 0, sizeof cur);
            cur.failed = -1;
            const float *H = &ds->hpos[3 * h];
            h_tests(ctx, ar, dr, col, H, D, A, &cur);
            float theta = hb_angle(D, H, A);
            int score = cur.failed < 0 ? 1 : 0;
            if (score > best_score || (score == best_score && theta > best_theta)) {
                best = cur;
                best_score = score;
                best_theta = theta;
                ev->hydrogen = ds->hidx[h];
                memcpy(ev->h_xyz, H, sizeof ev->h_xyz);
            }
        }
        for (uint8_t k = 0; k < best.ntests; k++)
            add_test(ev, best.tests[k].name, best.tests[k].value, best.tests[k].lo, best.tests[k].hi);
    } else if (needs_h) {
        /* No H can be placed (e.g. a backbone N whose previous residue is
         * outside the pocket): fall back to the heavy-atom distance a linear
         * D-H...A would have. */
        add_max(ev, "D..A(no H)", dist, dr->ha_max[col] + MISI_HB_PLACED_H_LENGTH, slop_d);
    }

    /* Covalent ligand: a pair a few bonds apart across the link is part of
     * one molecule, not an H-bond (docs/hbonds.md). */
    for (uint32_t k = 0; k < ctx->nlinks; k++) {
        const hb_side *ps = donor_is_ligand ? as : ds, *ls = donor_is_ligand ? ds : as;
        uint32_t pi = donor_is_ligand ? a : d, li = donor_is_ligand ? d : a;
        uint32_t hp = ps->hop[(size_t)k * ps->mol->top.natoms + pi];
        uint32_t hl = ls->hop[(size_t)k * ls->mol->top.natoms + li];
        if (hp + hl + 1 <= MISI_HB_LINK_MIN_BONDS)
            add_test(ev, "bonds-apart", (float)(hp + hl + 1), MISI_HB_LINK_MIN_BONDS + 1, INFINITY);
    }

    /* Metal rule. */
    for (uint32_t m = 0; m < ctx->nmetals; m++) {
        const float *M = &ctx->metals[3 * m];
        if (hb_dist(M, A) <= METAL_RANGE && hb_dist(M, A) > 0.1f)
            add_min_angle(ev, "D-A-metal", hb_angle(D, A, M), METAL_ANGLE_MIN, 0.0f);
        if (hb_donor_is_planar_n(ev->don) && hb_dist(M, D) <= METAL_RANGE)
            add_test(ev, "donor-metal", hb_dist(M, D), METAL_RANGE + 1e-3f, INFINITY);
    }
    ev->passed = ev->failed < 0;
    return ev->passed;
}

/* ---- context and finder ---- */

/* Bonds from atom `from` to every atom of a side, up to `max` (farther:
 * 255), by breadth-first search; out has natoms entries. */
static int hops_from(const hb_side *s, uint32_t from, uint8_t max, uint8_t *out, misi_error *err)
{
    uint32_t n = s->mol->top.natoms;
    uint32_t *queue = malloc(((size_t)n + 1) * sizeof *queue);
    if (!queue)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    memset(out, 255, n);
    uint32_t head = 0, tail = 0;
    out[from] = 0;
    queue[tail++] = from;
    while (head < tail) {
        uint32_t u = queue[head++];
        if (out[u] >= max)
            continue;
        for (uint32_t k = s->adj.start[u]; k < s->adj.start[u + 1]; k++) {
            uint32_t v = s->adj.nbr[k];
            if (out[v] == 255) {
                out[v] = (uint8_t)(out[u] + 1);
                queue[tail++] = v;
            }
        }
    }
    free(queue);
    return MISI_OK;
}

/* For each covalent link, how many bonds each atom of either side lies from
 * the link's atom on that side (only distances that can add up to
 * MISI_HB_LINK_MIN_BONDS matter). */
static int prepare_links(misi_hb_context *ctx, misi_error *err)
{
    const misi_complex *cx = ctx->cx;
    ctx->nlinks = cx->ncovalent < MISI_MAX_COVALENT_LINKS ? cx->ncovalent : MISI_MAX_COVALENT_LINKS;
    if (!ctx->nlinks)
        return MISI_OK;
    for (int sd = 0; sd < 2; sd++) {
        hb_side *s = &ctx->side[sd];
        size_t n = s->mol->top.natoms;
        s->hop = malloc(ctx->nlinks * n + 1);
        if (!s->hop)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        for (uint32_t k = 0; k < ctx->nlinks; k++) {
            uint32_t from = sd ? cx->covalent[k].ligand_atom : cx->covalent[k].pocket_atom;
            int rc = hops_from(s, from, MISI_HB_LINK_MIN_BONDS, &s->hop[k * n], err);
            if (rc)
                return rc;
        }
    }
    return MISI_OK;
}

int misi_hb_group_typing_of(const misi_hb_context *ctx, uint32_t residue)
{
    const hb_side *p = &ctx->side[0];
    return p->group && residue < p->mol->top.nresidues ? p->group[residue] : MISI_HB_GROUP_TEMPLATE;
}

const char *misi_hb_group_typing_name(int typing)
{
    switch (typing) {
    case MISI_HB_GROUP_STRUCTURE: return "structure";
    case MISI_HB_GROUP_METAL: return "metal";
    case MISI_HB_GROUP_WATER: return "water";
    default: return "template";
    }
}

int misi_hb_context_create(const misi_complex *cx, const misi_hbond_config *cfg, misi_hb_context **out,
                           misi_error *err)
{
    *out = NULL;
    misi_hb_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    ctx->cx = cx;
    if (cfg)
        ctx->cfg = *cfg;
    int rc = hb_side_prepare(&ctx->side[0], &cx->pocket, false, &ctx->cfg, err);
    if (!rc)
        rc = hb_side_prepare(&ctx->side[1], &cx->ligand, true, &ctx->cfg, err);
    if (!rc)
        rc = prepare_links(ctx, err);
    if (!rc) {
        uint32_t n = cx->pocket.top.natoms + cx->ligand.top.natoms;
        ctx->metals = malloc(((size_t)n + 1) * 3 * sizeof *ctx->metals);
        if (!ctx->metals)
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
        for (int s = 0; !rc && s < 2; s++) {
            const misi_mol *m = s ? &cx->ligand : &cx->pocket;
            for (uint32_t i = 0; i < m->top.natoms; i++) {
                if (misi_element_is_metal(m->top.atoms[i].element))
                    memcpy(&ctx->metals[3 * ctx->nmetals++], &m->xyz[3 * i], 3 * sizeof(float));
            }
        }
    }
    if (rc) {
        misi_hb_context_destroy(ctx);
        return rc;
    }
    *out = ctx;
    return MISI_OK;
}

void misi_hb_context_destroy(misi_hb_context *ctx)
{
    if (!ctx)
        return;
    hb_side_finish(&ctx->side[0]);
    hb_side_finish(&ctx->side[1]);
    free(ctx->metals);
    free(ctx);
}

misi_hb_atom_type misi_hb_type(const misi_hb_context *ctx, bool ligand, uint32_t atom)
{
    const hb_side *s = &ctx->side[ligand ? 1 : 0];
    misi_hb_atom_type none = {0};
    return atom < s->mol->top.natoms ? s->type[atom] : none;
}

/* Nothing in the tables reaches past 4.13 Å (+ slop): a cheap pre-filter. */
#define PAIR_RANGE 4.2f

int misi_hbonds_find(const misi_hb_context *ctx, misi_hbond_list *out, misi_error *err)
{
    const hb_side *p = &ctx->side[0], *l = &ctx->side[1];
    out->items = NULL;
    out->count = 0;
    size_t cap = 0;
    float range = PAIR_RANGE + (ctx->cfg.distance_slop > 0 ? ctx->cfg.distance_slop : 0);
    for (uint32_t i = 0; i < p->mol->top.natoms; i++) {
        misi_hb_atom_type tp = p->type[i];
        if (!tp.acc && !tp.don)
            continue;
        for (uint32_t j = 0; j < l->mol->top.natoms; j++) {
            misi_hb_atom_type tl = l->type[j];
            if ((!tp.don || !tl.acc) && (!tl.don || !tp.acc))
                continue;
            float dist = hb_dist(xyz(p, i), xyz(l, j));
            if (dist > range)
                continue;
            misi_hb_eval e1, e2;
            bool pd = tp.don && tl.acc && misi_hb_evaluate(ctx, false, i, j, &e1);
            bool ld = tl.don && tp.acc && misi_hb_evaluate(ctx, true, j, i, &e2);
            if (!pd && !ld)
                continue;
            if (out->count == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                misi_hbond *items = realloc(out->items, ncap * sizeof *items);
                if (!items) {
                    misi_hbond_list_finish(out);
                    return misi_error_set(err, MISI_E_NOMEM, "out of memory");
                }
                out->items = items;
                cap = ncap;
            }
            misi_hbond *hb = &out->items[out->count++];
            hb->pocket_atom = i;
            hb->ligand_atom = j;
            hb->distance = dist;
            hb->donates = pd && ld ? MISI_HB_BOTH_DONATE : pd ? MISI_HB_POCKET_DONATES : MISI_HB_LIGAND_DONATES;
            hb->eval = pd ? e1 : e2;
        }
    }
    /* Pocket atoms are in file order, which is residue order, and the loops
     * run pocket-major then ligand, so the list is already in the documented
     * order. */
    return MISI_OK;
}

void misi_hbond_list_finish(misi_hbond_list *list)
{
    if (!list)
        return;
    free(list->items);
    list->items = NULL;
    list->count = 0;
}
