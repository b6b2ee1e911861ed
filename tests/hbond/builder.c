/* Builder for hand-made H-bond geometries (see builder.h). */
#include "builder.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- vectors ---- */

tb_vec tb_v(float x, float y, float z)
{
    tb_vec v = {x, y, z};
    return v;
}

tb_vec tb_add(tb_vec a, tb_vec b)
{
    return tb_v(a.x + b.x, a.y + b.y, a.z + b.z);
}

tb_vec tb_sub(tb_vec a, tb_vec b)
{
    return tb_v(a.x - b.x, a.y - b.y, a.z - b.z);
}

tb_vec tb_scale(tb_vec a, float s)
{
    return tb_v(a.x * s, a.y * s, a.z * s);
}

float tb_dot(tb_vec a, tb_vec b)
{
    return a.x * b.x + a.y * b.y + a.z * b.z;
}

float tb_len(tb_vec a)
{
    return sqrtf(tb_dot(a, a));
}

tb_vec tb_unit(tb_vec a)
{
    float l = tb_len(a);
    assert_true(l > 1e-6f);
    return tb_scale(a, 1.0f / l);
}

tb_vec tb_cross(tb_vec a, tb_vec b)
{
    return tb_v(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}

tb_vec tb_along(tb_vec p, tb_vec v, float r)
{
    return tb_add(p, tb_scale(tb_unit(v), r));
}

static float rad(float deg)
{
    return deg * (float)M_PI / 180.0f;
}

tb_vec tb_xy(float deg)
{
    return tb_v(cosf(rad(deg)), sinf(rad(deg)), 0.0f);
}

tb_vec tb_tilt(tb_vec axis, tb_vec ref, float deg)
{
    tb_vec a = tb_unit(axis);
    tb_vec p = tb_unit(tb_sub(ref, tb_scale(a, tb_dot(ref, a))));
    return tb_add(tb_scale(a, cosf(rad(deg))), tb_scale(p, sinf(rad(deg))));
}

float tb_angle(tb_vec a, tb_vec b, tb_vec c)
{
    tb_vec u = tb_unit(tb_sub(a, b)), v = tb_unit(tb_sub(c, b));
    float d = tb_dot(u, v);
    if (d > 1.0f)
        d = 1.0f;
    if (d < -1.0f)
        d = -1.0f;
    return acosf(d) * 180.0f / (float)M_PI;
}

/* ---- molecules ---- */

uint32_t tb_atom(misi_mol *m, const char *name, const char *resname, int resseq, const char *element,
                 const char *sybyl, tb_vec p)
{
    misi_error err;
    uint32_t i = m->top.natoms;
    assert_int_equal(misi_mol_reserve_atoms(m, i + 1, &err), 0);
    misi_atom *a = &m->top.atoms[i];
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "%s", name);
    snprintf(a->resname, sizeof a->resname, "%s", resname);
    snprintf(a->sybyl, sizeof a->sybyl, "%s", sybyl ? sybyl : "");
    a->chain = ' ';
    a->icode = ' ';
    a->altloc = ' ';
    a->resseq = resseq;
    a->serial = i + 1;
    a->element = misi_element_from_symbol(element);
    assert_true(a->element != 0);
    if (a->element == 1)
        a->flags |= MISI_ATOM_HYDROGEN;
    if (misi_element_is_metal(a->element))
        a->flags |= MISI_ATOM_METAL;
    m->xyz[3 * i] = p.x;
    m->xyz[3 * i + 1] = p.y;
    m->xyz[3 * i + 2] = p.z;
    m->top.natoms = i + 1;
    return i;
}

void tb_bond(misi_mol *m, uint32_t a, uint32_t b, uint8_t order)
{
    misi_error err;
    assert_int_equal(misi_mol_add_bond(m, a, b, order, &err), 0);
}

tb_vec tb_pos(const misi_mol *m, uint32_t i)
{
    return tb_v(m->xyz[3 * i], m->xyz[3 * i + 1], m->xyz[3 * i + 2]);
}

void tb_move(misi_mol *m, uint32_t i, tb_vec p)
{
    m->xyz[3 * i] = p.x;
    m->xyz[3 * i + 1] = p.y;
    m->xyz[3 * i + 2] = p.z;
}

void tb_init(tb_complex *t)
{
    memset(t, 0, sizeof *t);
    misi_complex_init(&t->cx);
    snprintf(t->cx.id, sizeof t->cx.id, "hand-built");
}

void tb_ready(tb_complex *t)
{
    misi_error err;
    assert_int_equal(misi_mol_index_residues(&t->cx.pocket, &err), 0);
    assert_int_equal(misi_mol_index_residues(&t->cx.ligand, &err), 0);
    if (t->ctx)
        misi_hb_context_destroy(t->ctx);
    t->ctx = NULL;
    int rc = misi_hb_context_create(&t->cx, &t->cfg, &t->ctx, &err);
    if (rc)
        fail_msg("context: %s", err.msg);
}

void tb_free(tb_complex *t)
{
    misi_hb_context_destroy(t->ctx);
    t->ctx = NULL;
    misi_complex_finish(&t->cx);
}

bool tb_eval(tb_complex *t, bool ligand_donates, uint32_t donor, uint32_t acceptor, misi_hb_eval *ev)
{
    if (!t->ctx)
        tb_ready(t);
    return misi_hb_evaluate(t->ctx, ligand_donates, donor, acceptor, ev);
}

misi_hb_atom_type tb_type(tb_complex *t, bool ligand, uint32_t atom)
{
    if (!t->ctx)
        tb_ready(t);
    return misi_hb_type(t->ctx, ligand, atom);
}

void tb_print_eval(const misi_hb_eval *ev)
{
    print_message("  donor %s, acceptor %s, H %d, passed %d, failed %d\n", misi_don_class_name(ev->don),
                  misi_acc_class_name(ev->acc), (int)ev->hydrogen, (int)ev->passed, (int)ev->failed);
    for (int k = 0; k < ev->ntests; k++) {
        const misi_hb_test *t = &ev->tests[k];
        print_message("    %-16s %8.3f in [%.3f, %.3f] %s\n", t->name, (double)t->value, (double)t->lo,
                      (double)t->hi, t->passed ? "ok" : "FAIL");
    }
}

void tb_assert_pass_(const misi_hb_eval *ev, const char *file, int line)
{
    if (!ev->passed || ev->failed != -1) {
        tb_print_eval(ev);
        _fail(file, line);
    }
}

void tb_assert_fail_(const misi_hb_eval *ev, const char *name, const char *file, int line)
{
    if (ev->passed || ev->failed < 0 || ev->failed >= ev->ntests ||
        strcmp(ev->tests[ev->failed].name, name)) {
        print_message("  expected failure at '%s'\n", name);
        tb_print_eval(ev);
        _fail(file, line);
    }
}

const misi_hb_test *tb_find_test(const misi_hb_eval *ev, const char *name)
{
    for (int k = 0; k < ev->ntests; k++) {
        if (!strcmp(ev->tests[k].name, name))
            return &ev->tests[k];
    }
    return NULL;
}

/* ---- fragments ---- */

/* A point away from everything: for atoms whose position does not matter. */
static tb_vec behind(tb_vec from, tb_vec dir, float r)
{
    return tb_along(from, dir, r);
}

uint32_t tb_cys(misi_mol *m, int resseq, tb_vec sg, tb_vec xdir)
{
    tb_vec cb = tb_along(sg, xdir, 1.82f);
    uint32_t ca = tb_atom(m, "CA", "CYS", resseq, "C", "", behind(cb, xdir, 1.53f));
    uint32_t b = tb_atom(m, "CB", "CYS", resseq, "C", "", cb);
    uint32_t s = tb_atom(m, "SG", "CYS", resseq, "S", "", sg);
    tb_bond(m, ca, b, 1);
    tb_bond(m, b, s, 1);
    return s;
}

uint32_t tb_ser(misi_mol *m, int resseq, tb_vec og, tb_vec xdir)
{
    tb_vec cb = tb_along(og, xdir, 1.43f);
    uint32_t ca = tb_atom(m, "CA", "SER", resseq, "C", "", behind(cb, xdir, 1.53f));
    uint32_t b = tb_atom(m, "CB", "SER", resseq, "C", "", cb);
    uint32_t o = tb_atom(m, "OG", "SER", resseq, "O", "", og);
    tb_bond(m, ca, b, 1);
    tb_bond(m, b, o, 1);
    return o;
}

uint32_t tb_tyr(misi_mol *m, int resseq, tb_vec oh, tb_vec xdir)
{
    tb_vec cz = tb_along(oh, xdir, 1.36f);
    uint32_t ce1 = tb_atom(m, "CE1", "TYR", resseq, "C", "", behind(cz, xdir, 1.39f));
    uint32_t z = tb_atom(m, "CZ", "TYR", resseq, "C", "", cz);
    uint32_t o = tb_atom(m, "OH", "TYR", resseq, "O", "", oh);
    tb_bond(m, ce1, z, 1);
    tb_bond(m, z, o, 1);
    return o;
}

uint32_t tb_lys(misi_mol *m, int resseq, tb_vec nz, tb_vec xdir)
{
    tb_vec ce = tb_along(nz, xdir, 1.49f);
    uint32_t cd = tb_atom(m, "CD", "LYS", resseq, "C", "", behind(ce, xdir, 1.52f));
    uint32_t e = tb_atom(m, "CE", "LYS", resseq, "C", "", ce);
    uint32_t n = tb_atom(m, "NZ", "LYS", resseq, "N", "", nz);
    tb_bond(m, cd, e, 1);
    tb_bond(m, e, n, 1);
    return n;
}

/* In-plane unit vector at deg from h, in the plane normal to pn. */
static tb_vec inplane(tb_vec h, tb_vec pn, float deg)
{
    tb_vec u = tb_unit(h);
    tb_vec q = tb_unit(tb_cross(pn, u));
    return tb_add(tb_scale(u, cosf(rad(deg))), tb_scale(q, sinf(rad(deg))));
}

uint32_t tb_backbone_nh(misi_mol *m, int resseq, tb_vec n, tb_vec hdir, tb_vec pn)
{
    tb_vec d_ca = inplane(hdir, pn, 120.0f), d_c = inplane(hdir, pn, -120.0f);
    tb_vec c = tb_along(n, d_c, 1.33f);
    tb_vec ca = tb_along(n, d_ca, 1.46f);
    /* previous residue: CA and O of C(i-1) in the peptide plane */
    uint32_t pca =
        tb_atom(m, "CA", "ALA", resseq - 1, "C", "", tb_along(c, inplane(tb_sub(n, c), pn, 120.0f), 1.52f));
    uint32_t pc = tb_atom(m, "C", "ALA", resseq - 1, "C", "", c);
    uint32_t po =
        tb_atom(m, "O", "ALA", resseq - 1, "O", "", tb_along(c, inplane(tb_sub(n, c), pn, -120.0f), 1.23f));
    uint32_t nn = tb_atom(m, "N", "ALA", resseq, "N", "", n);
    uint32_t nca = tb_atom(m, "CA", "ALA", resseq, "C", "", ca);
    tb_bond(m, pca, pc, 1);
    tb_bond(m, pc, po, 2);
    tb_bond(m, pc, nn, 1);
    tb_bond(m, nn, nca, 1);
    return nn;
}

uint32_t tb_asn(misi_mol *m, int resseq, tb_vec nd2, tb_vec hdir, tb_vec pn)
{
    tb_vec cg = tb_along(nd2, inplane(hdir, pn, 120.0f), 1.33f);
    tb_vec back = tb_sub(nd2, cg);
    uint32_t cb = tb_atom(m, "CB", "ASN", resseq, "C", "", tb_along(cg, inplane(back, pn, 120.0f), 1.52f));
    uint32_t g = tb_atom(m, "CG", "ASN", resseq, "C", "", cg);
    uint32_t od1 = tb_atom(m, "OD1", "ASN", resseq, "O", "", tb_along(cg, inplane(back, pn, -120.0f), 1.23f));
    uint32_t nd = tb_atom(m, "ND2", "ASN", resseq, "N", "", nd2);
    tb_bond(m, cb, g, 1);
    tb_bond(m, g, od1, 2);
    tb_bond(m, g, nd, 1);
    return nd;
}

uint32_t tb_arg_ne(misi_mol *m, int resseq, tb_vec ne, tb_vec hdir, tb_vec pn)
{
    tb_vec cd = tb_along(ne, inplane(hdir, pn, 120.0f), 1.46f);
    tb_vec cz = tb_along(ne, inplane(hdir, pn, -120.0f), 1.33f);
    tb_vec back = tb_sub(ne, cz);
    uint32_t d = tb_atom(m, "CD", "ARG", resseq, "C", "", cd);
    uint32_t e = tb_atom(m, "NE", "ARG", resseq, "N", "", ne);
    uint32_t z = tb_atom(m, "CZ", "ARG", resseq, "C", "", cz);
    uint32_t h1 = tb_atom(m, "NH1", "ARG", resseq, "N", "", tb_along(cz, inplane(back, pn, 120.0f), 1.33f));
    uint32_t h2 = tb_atom(m, "NH2", "ARG", resseq, "N", "", tb_along(cz, inplane(back, pn, -120.0f), 1.33f));
    tb_bond(m, d, e, 1);
    tb_bond(m, e, z, 1);
    tb_bond(m, z, h1, 2);
    tb_bond(m, z, h2, 1);
    return e;
}

uint32_t tb_arg_nh1(misi_mol *m, int resseq, tb_vec nh1, tb_vec hdir, tb_vec pn)
{
    tb_vec cz = tb_along(nh1, inplane(hdir, pn, 120.0f), 1.33f);
    tb_vec back = tb_sub(nh1, cz);
    tb_vec ne = tb_along(cz, inplane(back, pn, 120.0f), 1.33f);
    uint32_t d =
        tb_atom(m, "CD", "ARG", resseq, "C", "", tb_along(ne, inplane(tb_sub(cz, ne), pn, -120.0f), 1.46f));
    uint32_t e = tb_atom(m, "NE", "ARG", resseq, "N", "", ne);
    uint32_t z = tb_atom(m, "CZ", "ARG", resseq, "C", "", cz);
    uint32_t h1 = tb_atom(m, "NH1", "ARG", resseq, "N", "", nh1);
    uint32_t h2 = tb_atom(m, "NH2", "ARG", resseq, "N", "", tb_along(cz, inplane(back, pn, -120.0f), 1.33f));
    tb_bond(m, d, e, 1);
    tb_bond(m, e, z, 1);
    tb_bond(m, z, h1, 2);
    tb_bond(m, z, h2, 1);
    return h1;
}

void tb_ring(misi_mol *m, int n, const char *const *names, const char *const *elements,
             const char *const *sybyl, const char *resname, int resseq, tb_vec p0, tb_vec inward, tb_vec pn,
             float edge, uint8_t order, uint32_t *idx)
{
    float r = edge / (2.0f * sinf((float)M_PI / (float)n));
    tb_vec in = tb_unit(inward);
    tb_vec c = tb_along(p0, in, r);
    tb_vec out = tb_scale(in, -1.0f);
    tb_vec q = tb_unit(tb_cross(pn, out));
    for (int k = 0; k < n; k++) {
        float a = 2.0f * (float)M_PI * (float)k / (float)n;
        tb_vec p = tb_add(c, tb_add(tb_scale(out, r * cosf(a)), tb_scale(q, r * sinf(a))));
        idx[k] = tb_atom(m, names[k], resname, resseq, elements[k], sybyl ? sybyl[k] : "", p);
    }
    for (int k = 0; k < n; k++)
        tb_bond(m, idx[k], idx[(k + 1) % n], order);
}

uint32_t tb_trp(misi_mol *m, int resseq, tb_vec ne1, tb_vec hdir, tb_vec pn)
{
    static const char *const names[] = {"NE1", "CE2", "CD2", "CG", "CD1"};
    static const char *const els[] = {"N", "C", "C", "C", "C"};
    uint32_t idx[5];
    tb_ring(m, 5, names, els, NULL, "TRP", resseq, ne1, tb_scale(hdir, -1.0f), pn, 1.38f, 1, idx);
    return idx[0];
}

uint32_t tb_his_nd1(misi_mol *m, int resseq, tb_vec nd1, tb_vec hdir, tb_vec pn)
{
    static const char *const names[] = {"ND1", "CE1", "NE2", "CD2", "CG"};
    static const char *const els[] = {"N", "C", "N", "C", "C"};
    uint32_t idx[5];
    tb_ring(m, 5, names, els, NULL, "HIS", resseq, nd1, tb_scale(hdir, -1.0f), pn, 1.36f, 1, idx);
    tb_vec cg = tb_pos(m, idx[4]);
    tb_vec centre = tb_along(nd1, tb_scale(hdir, -1.0f), 1.36f / (2.0f * sinf((float)M_PI / 5.0f)));
    uint32_t cb = tb_atom(m, "CB", "HIS", resseq, "C", "", tb_along(cg, tb_sub(cg, centre), 1.50f));
    tb_bond(m, cb, idx[4], 1);
    return idx[0];
}

/* ---- acceptor fragments ---- */

static uint32_t lig(misi_mol *m, const char *name, const char *el, const char *syb, tb_vec p)
{
    return tb_atom(m, name, "LIG", 1, el, syb, p);
}

/* Tetrahedral direction k (0..2) around axis: 109.47 degrees from -axis. */
static tb_vec tetra(tb_vec axis, int k)
{
    tb_vec a = tb_unit(axis);
    tb_vec e2 = fabsf(a.z) < 0.9f ? tb_unit(tb_cross(a, tb_v(0, 0, 1))) : tb_unit(tb_cross(a, tb_v(1, 0, 0)));
    tb_vec e3 = tb_cross(a, e2);
    float t = rad(70.53f), ph = rad(120.0f * (float)k);
    return tb_add(tb_scale(a, cosf(t)),
                  tb_scale(tb_add(tb_scale(e2, cosf(ph)), tb_scale(e3, sinf(ph))), sinf(t)));
}

uint32_t tb_acceptor(misi_mol *m, misi_acc_class kind)
{
    tb_vec o = tb_v(0, 0, 0), x = tb_v(1, 0, 0), z = tb_v(0, 0, 1);
    uint32_t a = UINT32_MAX, c, p, idx[6];
    switch (kind) {
    case MISI_ACC_CARBOXYLATE: {
        a = lig(m, "O1", "O", "O.co2", o);
        c = lig(m, "C1", "C", "C.2", tb_v(1.25f, 0, 0));
        uint32_t o2 = lig(m, "O2", "O", "O.co2", tb_along(tb_pos(m, c), tb_xy(60), 1.25f));
        uint32_t r = lig(m, "C2", "C", "C.3", tb_along(tb_pos(m, c), tb_xy(-60), 1.51f));
        tb_bond(m, a, c, 2);
        tb_bond(m, c, o2, 1);
        tb_bond(m, c, r, 1);
        break;
    }
    case MISI_ACC_CARBONYL:
    case MISI_ACC_ESTER_CARBONYL: {
        bool ester = kind == MISI_ACC_ESTER_CARBONYL;
        a = lig(m, "O1", "O", "O.2", o);
        c = lig(m, "C1", "C", "C.2", tb_v(1.23f, 0, 0));
        tb_vec sp = tb_along(tb_pos(m, c), tb_xy(60), 1.33f);
        uint32_t s = ester ? lig(m, "O2", "O", "O.3", sp) : lig(m, "N1", "N", "N.am", sp);
        uint32_t r = lig(m, "C2", "C", "C.3", tb_along(tb_pos(m, c), tb_xy(-60), 1.51f));
        uint32_t r2 = lig(m, "C3", "C", "C.3", tb_along(sp, tb_xy(0), 1.45f));
        tb_bond(m, a, c, 2);
        tb_bond(m, c, s, ester ? 1 : MISI_BOND_AMIDE);
        tb_bond(m, c, r, 1);
        tb_bond(m, s, r2, 1);
        break;
    }
    case MISI_ACC_HYDROXYL:
        a = lig(m, "O1", "O", "O.3", o);
        c = lig(m, "C1", "C", "C.3", tb_v(1.43f, 0, 0));
        p = lig(m, "C2", "C", "C.3", tb_along(tb_pos(m, c), tb_xy(-70), 1.52f));
        tb_bond(m, a, c, 1);
        tb_bond(m, c, p, 1);
        break;
    case MISI_ACC_PHENOL: {
        static const char *const n[] = {"C1", "C2", "C3", "C4", "C5", "C6"};
        static const char *const e[] = {"C", "C", "C", "C", "C", "C"};
        static const char *const s[] = {"C.ar", "C.ar", "C.ar", "C.ar", "C.ar", "C.ar"};
        a = lig(m, "O1", "O", "O.3", o);
        tb_ring(m, 6, n, e, s, "LIG", 1, tb_v(1.36f, 0, 0), x, z, 1.39f, MISI_BOND_AROMATIC, idx);
        tb_bond(m, a, idx[0], 1);
        break;
    }
    case MISI_ACC_WATER:
        a = lig(m, "O1", "O", "O.3", o);
        break;
    case MISI_ACC_ETHER:
        a = lig(m, "O1", "O", "O.3", o);
        c = lig(m, "C1", "C", "C.3", tb_scale(tb_xy(55.5f), 1.43f));
        p = lig(m, "C2", "C", "C.3", tb_scale(tb_xy(-55.5f), 1.43f));
        tb_bond(m, a, c, 1);
        tb_bond(m, a, p, 1);
        break;
    case MISI_ACC_RING5_O:
    case MISI_ACC_O3_TWO_BOND: {
        static const char *const n[] = {"O1", "C1", "C2", "C3", "C4", "C5"};
        static const char *const e[] = {"O", "C", "C", "C", "C", "C"};
        static const char *const s[] = {"O.3", "C.3", "C.3", "C.3", "C.3", "C.3"};
        int ring = kind == MISI_ACC_RING5_O ? 5 : 6;
        tb_ring(m, ring, n, e, s, "LIG", 1, o, x, z, 1.43f, 1, idx);
        a = idx[0];
        break;
    }
    case MISI_ACC_PHOSPHATE:
    case MISI_ACC_SULFONYL: {
        bool phos = kind == MISI_ACC_PHOSPHATE;
        a = lig(m, "O1", "O", phos ? "O.co2" : "O.2", o);
        c = lig(m, phos ? "P1" : "S1", phos ? "P" : "S", phos ? "P.3" : "S.O2",
                tb_v(phos ? 1.52f : 1.45f, 0, 0));
        tb_bond(m, a, c, phos ? 1 : 2);
        tb_vec cp = tb_pos(m, c);
        uint32_t s0 = lig(m, "O2", "O", phos ? "O.co2" : "O.2", tb_along(cp, tetra(x, 0), 1.50f));
        uint32_t s1 = phos ? lig(m, "O3", "O", "O.co2", tb_along(cp, tetra(x, 1), 1.50f))
                           : lig(m, "C1", "C", "C.3", tb_along(cp, tetra(x, 1), 1.77f));
        uint32_t s2 = phos ? lig(m, "O4", "O", "O.3", tb_along(cp, tetra(x, 2), 1.60f))
                           : lig(m, "C2", "C", "C.3", tb_along(cp, tetra(x, 2), 1.77f));
        tb_bond(m, c, s0, phos ? 1 : 2);
        tb_bond(m, c, s1, 1);
        tb_bond(m, c, s2, 1);
        if (phos) {
            uint32_t r = lig(m, "C1", "C", "C.3", tb_along(tb_pos(m, s2), tetra(x, 2), 1.43f));
            tb_bond(m, s2, r, 1);
        }
        break;
    }
    case MISI_ACC_RING6_N_SYM:
    case MISI_ACC_RING6_N_ASYM: {
        bool asym = kind == MISI_ACC_RING6_N_ASYM;
        static const char *const n[] = {"N1", "X2", "C3", "C4", "C5", "C6"};
        const char *e[] = {"N", asym ? "N" : "C", "C", "C", "C", "C"};
        const char *s[] = {"N.ar", asym ? "N.ar" : "C.ar", "C.ar", "C.ar", "C.ar", "C.ar"};
        tb_ring(m, 6, n, e, s, "LIG", 1, o, x, z, 1.39f, MISI_BOND_AROMATIC, idx);
        a = idx[0];
        break;
    }
    case MISI_ACC_RING5_N_SYM:
    case MISI_ACC_RING5_N_ASYM: {
        /* imidazole N3 (C2, C4 neighbours) / pyrazole N2 (N1, C3) */
        bool asym = kind == MISI_ACC_RING5_N_ASYM;
        static const char *const n[] = {"N1", "X2", "X3", "C4", "C5"};
        const char *e[] = {"N", asym ? "N" : "C", asym ? "C" : "N", "C", "C"};
        const char *s[] = {"N.ar", asym ? "N.ar" : "C.ar", asym ? "C.ar" : "N.ar", "C.ar", "C.ar"};
        tb_ring(m, 5, n, e, s, "LIG", 1, o, x, z, 1.36f, MISI_BOND_AROMATIC, idx);
        a = idx[0];
        break;
    }
    case MISI_ACC_IMINE:
        a = lig(m, "N1", "N", "N.2", o);
        /* equal bond lengths keep the base point (midpoint) on +x */
        c = lig(m, "C1", "C", "C.2", tb_scale(tb_xy(60), 1.35f));
        p = lig(m, "C2", "C", "C.3", tb_scale(tb_xy(-60), 1.35f));
        tb_bond(m, a, c, 2);
        tb_bond(m, a, p, 1);
        break;
    case MISI_ACC_NITRILE:
        a = lig(m, "N1", "N", "N.1", o);
        c = lig(m, "C1", "C", "C.1", tb_v(1.16f, 0, 0));
        p = lig(m, "C2", "C", "C.3", tb_v(2.62f, 0, 0));
        tb_bond(m, a, c, 3);
        tb_bond(m, c, p, 1);
        break;
    case MISI_ACC_THIOCARBONYL: {
        a = lig(m, "S1", "S", "S.2", o);
        c = lig(m, "C1", "C", "C.2", tb_v(1.67f, 0, 0));
        uint32_t n1 = lig(m, "N1", "N", "N.pl3", tb_along(tb_pos(m, c), tb_xy(60), 1.35f));
        uint32_t n2 = lig(m, "N2", "N", "N.pl3", tb_along(tb_pos(m, c), tb_xy(-60), 1.35f));
        tb_bond(m, a, c, 2);
        tb_bond(m, c, n1, 1);
        tb_bond(m, c, n2, 1);
        break;
    }
    default:
        fail_msg("no fragment for acceptor class %d", (int)kind);
    }
    return a;
}

uint32_t tb_backbone_o(misi_mol *m, tb_vec o)
{
    tb_vec c = tb_add(o, tb_v(1.23f, 0, 0));
    uint32_t ca = tb_atom(m, "CA", "ALA", 1, "C", "", tb_along(c, tb_xy(60), 1.52f));
    uint32_t cc = tb_atom(m, "C", "ALA", 1, "C", "", c);
    uint32_t oo = tb_atom(m, "O", "ALA", 1, "O", "", o);
    uint32_t n = tb_atom(m, "N", "ALA", 2, "N", "", tb_along(c, tb_xy(-60), 1.33f));
    tb_bond(m, ca, cc, 1);
    tb_bond(m, cc, oo, 2);
    tb_bond(m, cc, n, 1);
    return oo;
}

uint32_t tb_r3nh(misi_mol *m, tb_vec n, tb_vec hdir)
{
    uint32_t nn = lig(m, "N1", "N", "N.4", n);
    static const char *const names[] = {"C1", "C2", "C3"};
    for (int k = 0; k < 3; k++) {
        uint32_t c = lig(m, names[k], "C", "C.3", tb_along(n, tetra(tb_scale(hdir, -1.0f), k), 1.49f));
        tb_bond(m, nn, c, 1);
    }
    return nn;
}

uint32_t tb_r2nh2(misi_mol *m, tb_vec n, tb_vec hdir)
{
    /* The finder puts H at cos(a) b + sin(a) p, with b the outer bisector of
     * the two C-N bonds, p their normal and a half the tetrahedral angle. */
    tb_vec h = tb_unit(hdir);
    tb_vec e = fabsf(h.z) < 0.9f ? tb_unit(tb_cross(h, tb_v(0, 0, 1))) : tb_unit(tb_cross(h, tb_v(1, 0, 0)));
    float a = rad(109.47f * 0.5f);
    tb_vec b = tb_sub(tb_scale(h, cosf(a)), tb_scale(e, sinf(a)));
    tb_vec p = tb_add(tb_scale(h, sinf(a)), tb_scale(e, cosf(a)));
    tb_vec q = tb_cross(p, b);
    tb_vec u0 = tb_add(tb_scale(b, -cosf(a)), tb_scale(q, sinf(a)));
    tb_vec u1 = tb_sub(tb_scale(b, -cosf(a)), tb_scale(q, sinf(a)));
    uint32_t nn = lig(m, "N1", "N", "N.4", n);
    uint32_t c1 = lig(m, "C1", "C", "C.3", tb_along(n, u0, 1.49f));
    uint32_t c2 = lig(m, "C2", "C", "C.3", tb_along(n, u1, 1.49f));
    tb_bond(m, nn, c1, 1);
    tb_bond(m, nn, c2, 1);
    return nn;
}
