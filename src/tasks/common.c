/* What the task files share: framing, the in-frame test, canonical requests,
 * question text helpers. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "misi/answer.h"
#include "tasks/task_util.h"

const char TASK_PREAMBLE[] =
    "The images are orthographic renderings of a protein binding pocket with its bound ligand "
    "(ligand carbons grey, pocket carbons purple and orange by residue, oxygen red, nitrogen blue, "
    "sulfur yellow) on a black background. Screen axes: +x points right, +y points up and +z points "
    "out of the screen toward the viewer. 'move <axis> <d>' translates the molecules by d angstrom "
    "along a screen axis; moving along +z brings them closer, which magnifies the image. "
    "'roll <axis> <a>' rotates them by a degrees about a screen axis through their centre, "
    "counter-clockwise when seen from the positive end of the axis (right-hand rule). ";

const char TASK_SIX_VIEWS[] =
    "from the front (as given), the back (the complex rolled 180 degrees about y), the left (rolled +90 "
    "degrees about y), the right (rolled -90 degrees about y), the top (rolled +90 degrees about x) and the "
    "bottom (rolled -90 degrees about x)";

const char *misi_split_name(misi_split s)
{
    return s == MISI_SPLIT_TEST ? "test" : "train";
}

void misi_question_init(misi_question *q)
{
    memset(q, 0, sizeof *q);
    for (int k = 0; k < 4; k++)
        q->option_image[k] = -1;
}

void misi_question_finish(misi_question *q)
{
    if (!q)
        return;
    cJSON_Delete(q->truth);
    q->truth = NULL;
}

void misi_question_need(misi_question *q, uint32_t key)
{
    for (int k = 0; k < q->nneed; k++)
        if (q->need[k] == key)
            return;
    if (q->nneed >= MISI_Q_MAX_NEED) {
        q->need_overflow = true;
        return;
    }
    q->need[q->nneed++] = key;
}

void misi_question_need_bond(misi_question *q, const misi_hbond *hb, const misi_complex *cx, bool residue)
{
    if (residue)
        misi_question_need(
            q, MISI_LABEL_KEY(MISI_LABEL_KIND_RESIDUE, cx->pocket.top.atoms[hb->pocket_atom].residue));
    misi_question_need(q, MISI_LABEL_KEY(MISI_LABEL_KIND_POCKET_ATOM, hb->pocket_atom));
    misi_question_need(q, MISI_LABEL_KEY(MISI_LABEL_KIND_LIGAND_ATOM, hb->ligand_atom));
}

void misi_question_printf(misi_question *q, const char *fmt, ...)
{
    size_t used = strlen(q->text);
    if (used + 1 >= sizeof q->text)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q->text + used, sizeof q->text - used, fmt, ap);
    va_end(ap);
}

misi_pose task_pose(const char *view, const misi_op *ops, size_t n)
{
    misi_pose p;
    misi_pose_identity(&p);
    misi_op v;
    if (view && misi_canonical_view_op(view, &v) == MISI_OK && v.kind != MISI_OP_NONE)
        misi_pose_apply(&p, &v, 1);
    if (n)
        misi_pose_apply(&p, ops, n);
    return p;
}

int task_variant(const misi_task_env *env, const char *task, misi_split split, int index, int n)
{
    if (n <= 1 || index < 0)
        return 0;
    int perm[8];
    if (n > 8)
        n = 8;
    for (int k = 0; k < n; k++)
        perm[k] = k;
    char key[256];
    snprintf(key, sizeof key, "%s/%s/%s/variants/%d", env->own->cx->id, task, misi_split_name(split),
             index / n);
    misi_rng r;
    misi_rng_seed(&r, env->seed, key);
    misi_rng_shuffle(&r, perm, n);
    return perm[index % n];
}

int task_draw_bins(misi_rng *rng, int step, int nbins)
{
    return step * misi_rng_range(rng, 1, nbins) * (misi_rng_below(rng, 2) ? 1 : -1);
}

int task_other_magnitude(misi_rng *rng, int v, int step, int nbins)
{
    int k = abs(v) / step;
    int j = misi_rng_range(rng, 1, nbins - 1);
    if (j >= k)
        j++;
    return (v < 0 ? -1 : 1) * j * step;
}

bool task_same_pose(const misi_pose *a, const misi_pose *b)
{
    for (int i = 0; i < 9; i++)
        if (fabsf(a->rot[i] - b->rot[i]) > 1e-4f)
            return false;
    for (int i = 0; i < 3; i++)
        if (fabsf(a->trans[i] - b->trans[i]) > 1e-4f)
            return false;
    return true;
}

bool task_same_request(const misi_image_req *a, const misi_image_req *b)
{
    if (a->complex != b->complex || a->show != b->show || a->ligand_moved != b->ligand_moved ||
        (a->show == MISI_SHOW_RESIDUE && a->residue != b->residue))
        return false;
    if (a->ligand_moved && !task_same_pose(&a->ligand_pose, &b->ligand_pose))
        return false;
    return task_same_pose(&a->view, &b->view);
}

bool task_target_is_given(const misi_question *q, int first, int ntargets, int ngiven)
{
    for (int t = first; t < first + ntargets && t < q->nimages; t++)
        for (int g = 0; g < ngiven && g < q->nimages; g++)
            if (g != t && task_same_request(&q->images[t], &q->images[g]))
                return true;
    return false;
}

bool task_before_after(const misi_task_env *env, const misi_op *ops, size_t n, misi_question *q)
{
    misi_image_req after = misi_task_canonical(0, MISI_SHOW_COMPLEX, "front");
    after.view = task_pose("front", ops, n);
    if (!misi_task_in_frame(env, &after))
        return false;
    /* A target that is one of the given views (roll x 90 is the top view)
     * asks nothing: resample. */
    static const char *const GIVEN[3] = {"front", "left", "top"};
    for (int k = 0; k < 3; k++) {
        misi_image_req g = misi_task_canonical(0, MISI_SHOW_COMPLEX, GIVEN[k]);
        if (task_same_request(&after, &g))
            return false;
    }
    q->images[0] = misi_task_canonical(0, MISI_SHOW_COMPLEX, "front");
    q->images[1] = misi_task_canonical(0, MISI_SHOW_COMPLEX, "left");
    q->images[2] = misi_task_canonical(0, MISI_SHOW_COMPLEX, "top");
    q->images[3] = after;
    q->nimages = 4;
    return true;
}

int task_check_mc_images(const misi_task_env *env, const misi_question *q, int first, bool *ok,
                         const char **why, misi_error *err)
{
    *ok = true;
    for (int k = 0; k < q->nimages && *ok; k++)
        *ok = misi_task_in_frame(env, &q->images[k]);
    if (!*ok) {
        *why = "an image leaves the frame";
        return MISI_OK;
    }
    for (int i = 0; i < 4 && *ok; i++) {
        for (int j = i + 1; j < 4 && *ok; j++) {
            const misi_image_req *x = &q->images[first + i], *y = &q->images[first + j];
            bool equal = task_same_pose(&x->view, &y->view);
            if (!equal) {
                int rc = env->images_equal(env->user, x, y, &equal, err);
                if (rc != MISI_OK)
                    return rc;
            }
            *ok = !equal;
        }
    }
    if (!*ok)
        *why = "two options render identically";
    return MISI_OK;
}

void task_format_ops(const misi_op *ops, size_t n, char *buf, size_t cap)
{
    if (misi_cmd_format(ops, n, buf, cap) < 0 && cap)
        buf[0] = '\0';
}

misi_image_req misi_task_canonical(uint8_t complex, misi_show show, const char *view)
{
    misi_image_req r;
    memset(&r, 0, sizeof r);
    r.complex = complex;
    r.show = (uint8_t)show;
    misi_pose_identity(&r.ligand_pose);
    r.view = task_pose(view, NULL, 0);
    return r;
}

/* Radius of the largest sphere the renderer draws for an atom, in Å: the
 * in-frame test is conservative with it. */
#define DRAWN_ATOM_RADIUS 0.5f
/* Largest translation of T1/T5 (MISI-SPEC §4). */
#define MOVE_MAX 4.0f
#define FRAME_MARGIN 1.0f

static bool heavy(const misi_atom *a)
{
    return a->element != 1;
}

void misi_task_frame(const misi_complex *cx, const misi_task_geometry *geo, misi_frame *frame,
                     float *px_per_A)
{
    double c[3] = {0, 0, 0};
    size_t n = 0;
    const misi_mol *mols[2] = {&cx->pocket, &cx->ligand};
    for (int m = 0; m < 2; m++) {
        for (uint32_t i = 0; i < mols[m]->top.natoms; i++) {
            if (!heavy(&mols[m]->top.atoms[i]))
                continue;
            for (int k = 0; k < 3; k++)
                c[k] += mols[m]->xyz[3 * i + k];
            n++;
        }
    }
    for (int k = 0; k < 3; k++)
        frame->centre[k] = n ? (float)(c[k] / (double)n) : 0.0f;
    /* Radius of the complex about its centre. */
    float r = 0;
    for (int m = 0; m < 2; m++) {
        for (uint32_t i = 0; i < mols[m]->top.natoms; i++) {
            if (!heavy(&mols[m]->top.atoms[i]))
                continue;
            const float *p = &mols[m]->xyz[3 * i];
            float dx = p[0] - frame->centre[0], dy = p[1] - frame->centre[1], dz = p[2] - frame->centre[2];
            float d = sqrtf(dx * dx + dy * dy + dz * dz);
            if (d > r)
                r = d;
        }
    }
    r += DRAWN_ATOM_RADIUS;
    /* Room for T1/T5's translations. Zooms are not framed for: a magnified
     * image may crop the pocket's rim (misi_task_in_frame keeps the ligand
     * whole). T7's displaced ligand has its own scale
     * (misi_task_docking_scale, src/tasks/docking.c), or every image would
     * show a small complex. */
    float need = r + MOVE_MAX;
    frame->radius = need + FRAME_MARGIN;
    int side = geo->width < geo->height ? geo->width : geo->height;
    *px_per_A = 0.5f * (float)side / frame->radius;
}

/* Is pocket atom i in one of the listed residues? */
static bool in_residues(const misi_atom *a, const uint32_t *residues, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (a->residue == residues[k])
            return true;
    return false;
}

/* Is atom i of side (0 pocket, 1 ligand) one T4 frames: a heavy ligand atom
 * or a heavy atom of a listed residue? */
static bool framed_atom(const misi_mol *m, int side, uint32_t i, const uint32_t *residues, size_t nres)
{
    return heavy(&m->top.atoms[i]) && (side == 1 || in_residues(&m->top.atoms[i], residues, nres));
}

void misi_task_frame_residues(const misi_task_env *env, const uint32_t *residues, size_t nres,
                              misi_image_req *req)
{
    const misi_complex *cx = env->own->cx;
    double c[3] = {0, 0, 0};
    uint32_t n = 0;
    for (int side = 0; side < 2; side++) {
        const misi_mol *m = side ? &cx->ligand : &cx->pocket;
        for (uint32_t i = 0; i < m->top.natoms; i++) {
            if (!framed_atom(m, side, i, residues, nres))
                continue;
            for (int k = 0; k < 3; k++)
                c[k] += m->xyz[3 * i + k];
            n++;
        }
    }
    for (int k = 0; k < 3; k++)
        req->frame.centre[k] = n ? (float)(c[k] / n) : 0.0f;
    /* The radius about the centre (the views turn within it) and, since T4
     * shows only the six canonical views, which project the atoms onto two
     * of x, y, z each, the largest coordinate offset: it bounds every view,
     * so the image is filled more than by the bounding sphere. */
    float r = 0, a = 0;
    for (int side = 0; side < 2; side++) {
        const misi_mol *m = side ? &cx->ligand : &cx->pocket;
        for (uint32_t i = 0; i < m->top.natoms; i++) {
            if (!framed_atom(m, side, i, residues, nres))
                continue;
            const float *p = &m->xyz[3 * i];
            float dx = p[0] - req->frame.centre[0], dy = p[1] - req->frame.centre[1],
                  dz = p[2] - req->frame.centre[2];
            float d = sqrtf(dx * dx + dy * dy + dz * dz);
            if (d > r)
                r = d;
            for (int k = 0; k < 3; k++)
                a = fmaxf(a, fabsf(p[k] - req->frame.centre[k]));
        }
    }
    req->frame.radius = r + DRAWN_ATOM_RADIUS + FRAME_MARGIN;
    int side = env->geo.width < env->geo.height ? env->geo.width : env->geo.height;
    req->px_per_A = 0.5f * (float)side / (a + DRAWN_ATOM_RADIUS + FRAME_MARGIN);
    req->framed = true;
}

float misi_task_six_view_scale(const misi_task_env *env)
{
    const misi_task_complex *tc = env->own;
    const misi_complex *cx = tc->cx;
    float a = 0;
    for (int side = 0; side < 2; side++) {
        const misi_mol *m = side ? &cx->ligand : &cx->pocket;
        for (uint32_t i = 0; i < m->top.natoms; i++) {
            if (!heavy(&m->top.atoms[i]))
                continue;
            for (int k = 0; k < 3; k++)
                a = fmaxf(a, fabsf(m->xyz[3 * i + k] - tc->frame.centre[k]));
        }
    }
    int side = env->geo.width < env->geo.height ? env->geo.width : env->geo.height;
    float s = 0.5f * (float)side / (a + DRAWN_ATOM_RADIUS + FRAME_MARGIN);
    return s > tc->px_per_A ? s : tc->px_per_A;
}

void misi_task_moved_ligand_point(const misi_pose *pose, const misi_task_complex *tc, const float in[3],
                                  float out[3])
{
    misi_pose_point(pose, tc->ligand_centre, in, out);
    for (int k = 0; k < 3; k++)
        out[k] += tc->ligand_centre[k];
}

bool misi_task_in_frame(const misi_task_env *env, const misi_image_req *req)
{
    const misi_task_complex *tc = req->complex ? env->partner : env->own;
    if (!tc)
        return false;
    const misi_complex *cx = tc->cx;
    float scale = req->px_per_A > 0 ? req->px_per_A : tc->px_per_A;
    const float *centre = req->framed ? req->frame.centre : tc->frame.centre;
    float D = env->geo.eye_distance > 0 ? env->geo.eye_distance : 100.0f;
    if (req->view.trans[2] >= D - 1.0f)
        return false;
    float m = D / (D - req->view.trans[2]);
    /* A magnified view must keep the ligand whole and the pocket's centre in
     * sight; any other view keeps every shown atom inside. */
    bool magnified = m > 1.0001f;
    float rad = DRAWN_ATOM_RADIUS * scale * m + env->geo.edge_margin_px;
    float w = (float)env->geo.width, h = (float)env->geo.height;
    for (int side = 0; side < 2; side++) {
        const misi_mol *mol = side ? &cx->ligand : &cx->pocket;
        if (side == 0 && (req->show == MISI_SHOW_LIGAND || magnified))
            continue;
        if (side == 1 && req->show == MISI_SHOW_POCKET)
            continue;
        for (uint32_t i = 0; i < mol->top.natoms; i++) {
            const misi_atom *a = &mol->top.atoms[i];
            if (!heavy(a))
                continue;
            if (side == 0 && req->show == MISI_SHOW_RESIDUE && a->residue != req->residue)
                continue;
            float p[3], s[3];
            memcpy(p, &mol->xyz[3 * i], sizeof p);
            if (side == 1 && req->ligand_moved)
                misi_task_moved_ligand_point(&req->ligand_pose, tc, p, p);
            misi_pose_point(&req->view, centre, p, s);
            float px = 0.5f * w + scale * m * s[0], py = 0.5f * h - scale * m * s[1];
            if (px < rad || px > w - rad || py < rad || py > h - rad)
                return false;
        }
    }
    if (magnified && req->show != MISI_SHOW_LIGAND) {
        float s[3];
        misi_pose_point(&req->view, centre, centre, s);
        float px = 0.5f * w + scale * m * s[0], py = 0.5f * h - scale * m * s[1];
        if (px < 0 || px > w || py < 0 || py > h)
            return false;
    }
    return true;
}

int task_bond_answer(const misi_task_complex *tc, int task, uint32_t residue, cJSON *truth, char *buf,
                     size_t cap, misi_error *err)
{
    const misi_complex *cx = tc->cx;
    size_t n = 0;
    misi_answer_bond *b = calloc(tc->hbonds->count + 1, sizeof *b);
    if (!b)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    for (size_t k = 0; k < tc->hbonds->count; k++) {
        const misi_hbond *hb = &tc->hbonds->items[k];
        const misi_atom *pa = &cx->pocket.top.atoms[hb->pocket_atom];
        const misi_atom *la = &cx->ligand.top.atoms[hb->ligand_atom];
        if (residue != UINT32_MAX && pa->residue != residue)
            continue;
        char icode[2] = {pa->icode == ' ' ? 0 : pa->icode, 0},
             chain[2] = {pa->chain == ' ' ? 0 : pa->chain, 0};
        if (misi_answer_bond_set(&b[n++], pa->resname, pa->resseq, icode, chain, pa->name, la->name)) {
            free(b);
            return misi_error_set(err, MISI_E_LIMIT, "atom or residue name too long for an answer");
        }
        if (truth)
            cJSON_AddItemToArray(truth, misi_hbond_json(cx, hb));
    }
    int w = task == 4 ? misi_answer_format_residue_bonds(b, n, buf, cap)
                      : misi_answer_format_pocket_bonds(b, n, buf, cap);
    free(b);
    if (w < 0 || (size_t)w >= cap)
        return misi_error_set(err, MISI_E_LIMIT, "%zu H-bonds do not fit one answer", n);
    return MISI_OK;
}
