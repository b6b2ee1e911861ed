/* H-bond typing: residue templates for the pocket, Sybyl types (derived from
 * bond orders for SDF input) for the ligand, and hydrogen placement where the
 * heavy atoms fix it. The rules are HBONDS.md's "Typing" and "Hydrogen
 * placement" sections; docs/hbonds.md records the choices it leaves open. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mol/hbond_internal.h"

/* ---- small vector helpers ---- */

static void v_sub(const float *a, const float *b, float *o)
{
    o[0] = a[0] - b[0];
    o[1] = a[1] - b[1];
    o[2] = a[2] - b[2];
}

static float v_dot(const float *a, const float *b)
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void v_cross(const float *a, const float *b, float *o)
{
    float x = a[1] * b[2] - a[2] * b[1];
    float y = a[2] * b[0] - a[0] * b[2];
    float z = a[0] * b[1] - a[1] * b[0];
    o[0] = x;
    o[1] = y;
    o[2] = z;
}

static bool v_norm(float *a)
{
    float n = sqrtf(v_dot(a, a));
    if (n < 1e-6f)
        return false;
    a[0] /= n;
    a[1] /= n;
    a[2] /= n;
    return true;
}

float hb_angle(const float *a, const float *b, const float *c)
{
    float u[3], v[3];
    v_sub(a, b, u);
    v_sub(c, b, v);
    float nu = sqrtf(v_dot(u, u)), nv = sqrtf(v_dot(v, v));
    if (nu < 1e-6f || nv < 1e-6f)
        return 0.0f;
    float c0 = v_dot(u, v) / (nu * nv);
    if (c0 > 1.0f)
        c0 = 1.0f;
    if (c0 < -1.0f)
        c0 = -1.0f;
    return acosf(c0) * (180.0f / (float)M_PI);
}

bool hb_donor_is_planar_n(int don)
{
    switch (don) {
    case MISI_DON_AMIDE_NH2:
    case MISI_DON_NG_NH2:
    case MISI_DON_NH:
    case MISI_DON_RING5_NH:
    case MISI_DON_RING6_NH:
    case MISI_DON_ARG_NE:
        return true;
    default:
        return false;
    }
}

bool hb_donor_is_rotatable(int don)
{
    switch (don) {
    case MISI_DON_HYDROXYL:
    case MISI_DON_PHENOL:
    case MISI_DON_NH3:
    case MISI_DON_WATER:
    case MISI_DON_THIOL:
        return true;
    default:
        return false;
    }
}

/* ---- the pocket: residue templates ---- */

/* Heavy atoms of the standard residues that take part in H-bonds. "*" matches
 * every amino acid (backbone); a later, more specific row wins. */
typedef struct residue_template {
    const char *res;
    const char *atom;
    uint8_t acc, don;
} residue_template;

static const residue_template TEMPLATES[] = {
    {"*", "N", MISI_ACC_NONE, MISI_DON_NH},
    {"*", "O", MISI_ACC_CARBONYL, MISI_DON_NONE},
    {"*", "OXT", MISI_ACC_CARBOXYLATE, MISI_DON_NONE},
    {"PRO", "N", MISI_ACC_NONE, MISI_DON_NONE},
    {"SER", "OG", MISI_ACC_HYDROXYL, MISI_DON_HYDROXYL},
    {"THR", "OG1", MISI_ACC_HYDROXYL, MISI_DON_HYDROXYL},
    {"TYR", "OH", MISI_ACC_PHENOL, MISI_DON_PHENOL},
    {"ASP", "OD1", MISI_ACC_CARBOXYLATE, MISI_DON_NONE},
    {"ASP", "OD2", MISI_ACC_CARBOXYLATE, MISI_DON_NONE},
    {"GLU", "OE1", MISI_ACC_CARBOXYLATE, MISI_DON_NONE},
    {"GLU", "OE2", MISI_ACC_CARBOXYLATE, MISI_DON_NONE},
    {"ASN", "OD1", MISI_ACC_CARBONYL, MISI_DON_NONE},
    {"ASN", "ND2", MISI_ACC_NONE, MISI_DON_AMIDE_NH2},
    {"GLN", "OE1", MISI_ACC_CARBONYL, MISI_DON_NONE},
    {"GLN", "NE2", MISI_ACC_NONE, MISI_DON_AMIDE_NH2},
    {"LYS", "NZ", MISI_ACC_NONE, MISI_DON_NH3},
    {"ARG", "NE", MISI_ACC_NONE, MISI_DON_ARG_NE},
    {"ARG", "NH1", MISI_ACC_NONE, MISI_DON_NG_NH2},
    {"ARG", "NH2", MISI_ACC_NONE, MISI_DON_NG_NH2},
    {"HIS", "ND1", MISI_ACC_RING5_N_SYM, MISI_DON_RING5_NH},
    {"HIS", "NE2", MISI_ACC_RING5_N_SYM, MISI_DON_RING5_NH},
    {"TRP", "NE1", MISI_ACC_NONE, MISI_DON_RING5_NH},
    {"CYS", "SG", MISI_ACC_NONE, MISI_DON_THIOL},
};

/* Force-field and protonation-state names that share a template. */
static const char *canonical_residue(const char *res)
{
    static const char *const ALIASES[][2] = {
        {"HID", "HIS"}, {"HIE", "HIS"}, {"HIP", "HIS"}, {"HSD", "HIS"}, {"HSE", "HIS"},
        {"HSP", "HIS"}, {"ASH", "ASP"}, {"GLH", "GLU"}, {"LYN", "LYS"}, {"CYX", "CYS"},
        {"CYM", "CYS"}, {"TYM", "TYR"}, {"ARN", "ARG"},
    };
    for (size_t i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++) {
        if (!strcmp(res, ALIASES[i][0]))
            return ALIASES[i][1];
    }
    return res;
}

static bool is_amino_acid(const char *res)
{
    static const char *const AA[] = {"ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
                                     "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL",
                                     "MSE", "SEC", "PYL"};
    for (size_t i = 0; i < sizeof AA / sizeof AA[0]; i++) {
        if (!strcmp(res, AA[i]))
            return true;
    }
    return false;
}

static void type_pocket_atom(const misi_mol *mol, uint32_t i, misi_hb_atom_type *t)
{
    const misi_atom *a = &mol->top.atoms[i];
    const char *res = canonical_residue(a->resname);
    for (size_t k = 0; k < sizeof TEMPLATES / sizeof TEMPLATES[0]; k++) {
        const residue_template *tp = &TEMPLATES[k];
        if (strcmp(tp->atom, a->name) != 0)
            continue;
        if (tp->res[0] == '*' || !strcmp(tp->res, res)) {
            t->acc = tp->acc;
            t->don = tp->don;
        }
    }
    /* A C-terminal residue's O is half of a carboxylate. */
    if (!strcmp(a->name, "O")) {
        const misi_residue *r = &mol->top.residues[a->residue];
        for (uint32_t j = r->first; j < r->first + r->count; j++) {
            if (!strcmp(mol->top.atoms[j].name, "OXT"))
                t->acc = MISI_ACC_CARBOXYLATE;
        }
    }
}

/* ---- the ligand: Sybyl types ---- */

static bool is_h(const misi_mol *m, uint32_t i)
{
    return m->top.atoms[i].element == 1;
}

static uint32_t heavy_degree(const hb_side *s, uint32_t i)
{
    uint32_t n = 0;
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1]; k++)
        n += !is_h(s->mol, s->adj.nbr[k]);
    return n;
}

static uint32_t h_degree(const hb_side *s, uint32_t i)
{
    uint32_t n = 0;
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1]; k++)
        n += is_h(s->mol, s->adj.nbr[k]);
    return n;
}

static uint8_t bond_order(const hb_side *s, uint32_t k)
{
    return s->order ? s->order[s->adj.bond[k]] : s->mol->top.bonds[s->adj.bond[k]].order;
}

static bool has_order(const hb_side *s, uint32_t i, uint8_t order)
{
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1]; k++) {
        if (bond_order(s, k) == order)
            return true;
    }
    return false;
}

/* Size of the smallest ring through atom i (heavy atoms only), 0 if none:
 * for each neighbour, a breadth-first search back to i that may not use the
 * direct bond. Ligands are small, so this is cheap. */
static uint8_t smallest_ring(const hb_side *s, uint32_t i, uint32_t *dist, uint32_t *queue)
{
    const misi_mol *m = s->mol;
    uint32_t n = m->top.natoms, best = 0;
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1]; k++) {
        uint32_t first = s->adj.nbr[k];
        if (is_h(m, first))
            continue;
        for (uint32_t j = 0; j < n; j++)
            dist[j] = UINT32_MAX;
        uint32_t head = 0, tail = 0;
        dist[first] = 1;
        queue[tail++] = first;
        while (head < tail) {
            uint32_t u = queue[head++];
            if (best && dist[u] + 1 >= best)
                break;
            for (uint32_t q = s->adj.start[u]; q < s->adj.start[u + 1]; q++) {
                uint32_t v = s->adj.nbr[q];
                if (is_h(m, v) || (u == first && v == i))
                    continue;
                if (v == i) {
                    uint32_t len = dist[u] + 1;
                    if (!best || len < best)
                        best = len;
                    continue;
                }
                if (dist[v] == UINT32_MAX) {
                    dist[v] = dist[u] + 1;
                    queue[tail++] = v;
                }
            }
        }
    }
    return best > 255 ? 255 : (uint8_t)best;
}

/* Aromatic for our purposes: an aromatic bond, a C.ar / N.ar type, or a
 * Kekulé 6-ring (every atom of its smallest 6-ring has a double bond). */
static bool is_aromatic(const hb_side *s, uint32_t i)
{
    const misi_atom *a = &s->mol->top.atoms[i];
    if (has_order(s, i, MISI_BOND_AROMATIC) || !strcmp(a->sybyl, "C.ar") || !strcmp(a->sybyl, "N.ar"))
        return true;
    return s->ring[i] == 6 && has_order(s, i, MISI_BOND_DOUBLE) && a->element == 6;
}

/* Sum of bond orders to heavy atoms and explicit H; aromatic counts 1.5,
 * amide 1. Used to imply hydrogens when the file has none. */
static float valence_used(const hb_side *s, uint32_t i)
{
    float v = 0;
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1]; k++) {
        switch (bond_order(s, k)) {
        case MISI_BOND_DOUBLE: v += 2; break;
        case MISI_BOND_TRIPLE: v += 3; break;
        case MISI_BOND_AROMATIC: v += 1.5f; break;
        default: v += 1; break;
        }
    }
    return v;
}

static uint32_t first_heavy_nbr(const hb_side *s, uint32_t i);

/* Carbon c carries an oxygen other than `except`: double-bonded (want_double)
 * or a charged, single-bonded O- with no other heavy neighbour. */
static bool carbon_has_o(const hb_side *s, uint32_t c, uint32_t except, bool want_double)
{
    const misi_mol *m = s->mol;
    for (uint32_t k = s->adj.start[c]; k < s->adj.start[c + 1]; k++) {
        uint32_t q = s->adj.nbr[k];
        if (q == except || m->top.atoms[q].element != 8)
            continue;
        if (want_double ? bond_order(s, k) == MISI_BOND_DOUBLE
                        : (bond_order(s, k) == MISI_BOND_SINGLE && m->top.atoms[q].charge < 0 &&
                           heavy_degree(s, q) == 1))
            return true;
    }
    return false;
}

/* A Sybyl type derived from elements and bond orders, for SDF ligands. */
static void derive_sybyl(const hb_side *s, uint32_t i, char out[8])
{
    const misi_mol *m = s->mol;
    const misi_atom *a = &m->top.atoms[i];
    uint32_t deg = s->adj.start[i + 1] - s->adj.start[i];
    bool dbl = has_order(s, i, MISI_BOND_DOUBLE), tri = has_order(s, i, MISI_BOND_TRIPLE);
    bool ar = has_order(s, i, MISI_BOND_AROMATIC) || (s->ring[i] && is_aromatic(s, i));
    const char *t = "";
    switch (a->element) {
    case 6:
        t = tri ? "C.1" : ar ? "C.ar" : dbl ? "C.2" : "C.3";
        break;
    case 7:
        if (a->charge > 0 && deg == 4 && !dbl)
            t = "N.4";
        else if (tri)
            t = "N.1";
        else if (ar && s->ring[i])
            t = "N.ar";
        else if (dbl)
            t = deg >= 3 ? "N.pl3" : "N.2";
        else {
            /* N bonded to a C=O carbon is an amide; to any sp2/aromatic
             * atom, planar; otherwise sp3. */
            bool amide = false, planar = false;
            for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1]; k++) {
                uint32_t j = s->adj.nbr[k];
                if (is_h(m, j))
                    continue;
                bool jdbl = has_order(s, j, MISI_BOND_DOUBLE) || has_order(s, j, MISI_BOND_AROMATIC) ||
                            has_order(s, j, MISI_BOND_TRIPLE);
                if (m->top.atoms[j].element == 6) {
                    for (uint32_t q = s->adj.start[j]; q < s->adj.start[j + 1]; q++) {
                        uint32_t o = s->adj.nbr[q];
                        if (m->top.atoms[o].element == 8 && bond_order(s, q) == MISI_BOND_DOUBLE)
                            amide = true;
                    }
                }
                planar |= jdbl;
            }
            t = amide ? "N.am" : planar ? "N.pl3" : "N.3";
        }
        break;
    case 8: {
        uint32_t heavy = heavy_degree(s, i);
        uint32_t j = first_heavy_nbr(s, i);
        bool on_c = j != UINT32_MAX && m->top.atoms[j].element == 6;
        if (heavy == 1 && !dbl && a->charge < 0) {
            /* O- on P/S, or on a C that also carries a C=O: a carboxylate
             * (a C=C, as in a Kekule phenolate or an enolate, is not). */
            bool ps = j != UINT32_MAX && (m->top.atoms[j].element == 15 || m->top.atoms[j].element == 16);
            t = (ps || (on_c && carbon_has_o(s, j, i, true))) ? "O.co2" : "O.3";
        } else if (heavy == 1 && dbl && on_c && carbon_has_o(s, j, i, false)) {
            /* the C=O of C(=O)O-: MOL2 calls both oxygens O.co2 */
            t = "O.co2";
        } else {
            t = dbl ? "O.2" : ar ? "O.2" : "O.3";
        }
        break;
    }
    case 16: {
        uint32_t o2 = 0;
        for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1]; k++) {
            if (m->top.atoms[s->adj.nbr[k]].element == 8 && bond_order(s, k) == MISI_BOND_DOUBLE)
                o2++;
        }
        t = o2 >= 2 ? "S.O2" : o2 == 1 ? "S.O" : dbl ? "S.2" : "S.3";
        break;
    }
    case 15: t = "P.3"; break;
    default: break;
    }
    strncpy(out, t, 7);
    out[7] = '\0';
}

static bool on_sp3_carbons_only(const hb_side *s, uint32_t i, const char (*syb)[8])
{
    uint32_t n = 0;
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1]; k++) {
        uint32_t j = s->adj.nbr[k];
        if (is_h(s->mol, j))
            continue;
        if (strcmp(syb[j], "C.3") != 0)
            return false;
        n++;
    }
    return n > 0;
}

/* A non-aromatic carbon bonded to three nitrogens (guanidine) or to two with
 * a C=N double bond (amidine). Aromatic ring carbons between a ring N and an
 * amino group (adenine C6, aminotriazole) do not count: their NH/NH2 is
 * aniline-like, not Ng+. */
static bool on_guanidine_like_c(const hb_side *s, uint32_t i)
{
    const misi_mol *m = s->mol;
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1]; k++) {
        uint32_t c = s->adj.nbr[k];
        if (m->top.atoms[c].element != 6 || is_aromatic(s, c) || s->ring[c])
            continue;
        uint32_t nn = 0;
        bool cn_double = false;
        for (uint32_t q = s->adj.start[c]; q < s->adj.start[c + 1]; q++) {
            if (m->top.atoms[s->adj.nbr[q]].element != 7)
                continue;
            nn++;
            cn_double |= bond_order(s, q) == MISI_BOND_DOUBLE;
        }
        if (nn >= 3 || (nn == 2 && cn_double))
            return true;
    }
    return false;
}

static uint32_t first_heavy_nbr(const hb_side *s, uint32_t i)
{
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1]; k++) {
        if (!is_h(s->mol, s->adj.nbr[k]))
            return s->adj.nbr[k];
    }
    return UINT32_MAX;
}

/* Two ring neighbours of the same element make a symmetric ring acceptor. */
static bool symmetric_neighbours(const hb_side *s, uint32_t i)
{
    int el[2] = {-1, -1}, n = 0;
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1] && n < 2; k++) {
        uint32_t j = s->adj.nbr[k];
        if (!is_h(s->mol, j))
            el[n++] = s->mol->top.atoms[j].element;
    }
    return n == 2 && el[0] == el[1];
}

static void type_ligand_atom(const hb_side *s, uint32_t i, const char (*syb)[8], bool file_has_h,
                             misi_hb_atom_type *t)
{
    const misi_mol *m = s->mol;
    const char *ty = syb[i];
    uint32_t heavy = t->nheavy;
    uint32_t explicit_h = h_degree(s, i);
    uint32_t j = first_heavy_nbr(s, i);
    int jel = j == UINT32_MAX ? 0 : m->top.atoms[j].element;
    float used = valence_used(s, i);
    int implied = 0;
    uint8_t ring = s->ring[i];

    if (!strncmp(ty, "N.", 2)) {
        bool charged_amine = !strcmp(ty, "N.4") || (!strcmp(ty, "N.3") && on_sp3_carbons_only(s, i, syb));
        if (charged_amine)
            implied = 4 - (int)heavy;
        else if (!strcmp(ty, "N.ar"))
            implied = 0; /* only an explicit H makes a ring N a donor */
        else
            implied = (int)lroundf(3.0f - used);
        int nh = file_has_h ? (int)explicit_h : implied;
        if (charged_amine && nh < implied)
            nh = implied; /* "charged amine": the type fixes its hydrogens */
        t->nh = nh < 0 ? 0 : (uint8_t)nh;
        if (charged_amine) {
            t->don = heavy <= 1 ? MISI_DON_NH3 : heavy == 2 ? MISI_DON_R2NH2 : heavy == 3 ? MISI_DON_R3NH : 0;
            if (t->nh == 0)
                t->don = MISI_DON_NONE;
            return; /* never an acceptor */
        }
        if (!strcmp(ty, "N.ar")) {
            if (t->nh > 0)
                t->don = ring == 5 ? MISI_DON_RING5_NH : MISI_DON_RING6_NH;
            else if (heavy == 2) {
                bool sym = symmetric_neighbours(s, i);
                if (ring == 5)
                    t->acc = sym ? MISI_ACC_RING5_N_SYM : MISI_ACC_RING5_N_ASYM;
                else
                    t->acc = sym ? MISI_ACC_RING6_N_SYM : MISI_ACC_RING6_N_ASYM;
            }
            return;
        }
        if (!strcmp(ty, "N.1")) {
            t->acc = MISI_ACC_NITRILE;
            return;
        }
        if (!strcmp(ty, "N.2")) {
            if (heavy == 2) {
                bool sym = symmetric_neighbours(s, i);
                if (ring == 5)
                    t->acc = sym ? MISI_ACC_RING5_N_SYM : MISI_ACC_RING5_N_ASYM;
                else if (ring == 6)
                    t->acc = sym ? MISI_ACC_RING6_N_SYM : MISI_ACC_RING6_N_ASYM;
                else if (!ring)
                    t->acc = MISI_ACC_IMINE;
            }
            if (t->nh > 0)
                t->don = MISI_DON_NH;
            return;
        }
        /* N.am, N.pl3 and the remaining N.3 (aniline-like, sulfonamide):
         * planar N, a donor when it carries H, never an acceptor. */
        if (t->nh == 0)
            return;
        if (on_guanidine_like_c(s, i))
            t->don = (t->nh >= 2 || heavy <= 1) ? MISI_DON_NG_NH2 : MISI_DON_ARG_NE;
        else
            t->don = t->nh >= 2 ? MISI_DON_AMIDE_NH2 : MISI_DON_NH;
        return;
    }
    if (!strncmp(ty, "O.", 2)) {
        /* a formal negative charge takes an implied H away (phenolate, alkoxide) */
        implied = !strcmp(ty, "O.3") ? 2 - (int)heavy + (m->top.atoms[i].charge < 0 ? m->top.atoms[i].charge : 0) : 0;
        int nh = file_has_h ? (int)explicit_h : implied;
        t->nh = nh < 0 ? 0 : (uint8_t)nh;
        if (!strcmp(ty, "O.co2")) {
            t->acc = jel == 15 ? MISI_ACC_PHOSPHATE : jel == 16 ? MISI_ACC_SULFONYL : MISI_ACC_CARBOXYLATE;
        } else if (!strcmp(ty, "O.2")) {
            if (jel == 16)
                t->acc = MISI_ACC_SULFONYL;
            else if (jel == 15)
                t->acc = MISI_ACC_PHOSPHATE;
            else if (jel == 6) {
                /* Amide when the carbon carries an N; ester/acid when it
                 * carries another O; ketone/aldehyde otherwise. */
                bool n = false, o = false;
                for (uint32_t k = s->adj.start[j]; k < s->adj.start[j + 1]; k++) {
                    uint32_t q = s->adj.nbr[k];
                    if (q == i)
                        continue;
                    n |= m->top.atoms[q].element == 7;
                    o |= m->top.atoms[q].element == 8;
                }
                t->acc = (o && !n) ? MISI_ACC_ESTER_CARBONYL : MISI_ACC_CARBONYL;
            }
        } else if (!strcmp(ty, "O.3") || !strcmp(ty, "O.w")) {
            if (heavy == 0) {
                t->acc = MISI_ACC_WATER;
                t->don = MISI_DON_WATER;
            } else if (heavy == 1) {
                bool phenol = jel == 6 && is_aromatic(s, j);
                if (jel == 15)
                    t->acc = MISI_ACC_PHOSPHATE;
                else if (jel == 16)
                    t->acc = MISI_ACC_SULFONYL;
                else
                    t->acc = phenol ? MISI_ACC_PHENOL : MISI_ACC_HYDROXYL;
                if (t->nh > 0)
                    t->don = phenol ? MISI_DON_PHENOL : MISI_DON_HYDROXYL;
            } else if (heavy == 2) {
                t->acc = ring == 5 ? MISI_ACC_RING5_O : ring ? MISI_ACC_O3_TWO_BOND : MISI_ACC_ETHER;
            }
        }
        return;
    }
    if (!strncmp(ty, "S.", 2)) {
        implied = !strcmp(ty, "S.3") ? 2 - (int)heavy : 0;
        int nh = file_has_h ? (int)explicit_h : implied;
        t->nh = nh < 0 ? 0 : (uint8_t)nh;
        if (!strcmp(ty, "S.2"))
            t->acc = MISI_ACC_THIOCARBONYL;
        else if (!strcmp(ty, "S.3") && t->nh > 0)
            t->don = MISI_DON_THIOL;
    }
}

/* ---- the pocket: any other group, from its own structure ---- */

/* Hybridisation from the geometry of all neighbours (hydrogens included): 3
 * = tetrahedral, 2 = trigonal, 1 = linear, 0 = not decidable (one neighbour
 * or none; bond lengths decide those). Thresholds sit between the ideal
 * angles: 109.5 / 120 (115) and 120 / 180 (160); three neighbours are
 * trigonal when their angles sum to a plane's 360 within 10 degrees. */
static uint8_t geometry_hyb(const hb_side *s, uint32_t i)
{
    uint32_t nb[4], n = 0;
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1] && n < 4; k++)
        nb[n++] = s->adj.nbr[k];
    const float *c = &s->mol->xyz[3 * i];
    if (n >= 4)
        return 3;
    if (n == 3) {
        float sum = hb_angle(&s->mol->xyz[3 * nb[0]], c, &s->mol->xyz[3 * nb[1]]) +
                    hb_angle(&s->mol->xyz[3 * nb[0]], c, &s->mol->xyz[3 * nb[2]]) +
                    hb_angle(&s->mol->xyz[3 * nb[1]], c, &s->mol->xyz[3 * nb[2]]);
        return sum >= 350.0f ? 2 : 3;
    }
    if (n == 2) {
        float ang = hb_angle(&s->mol->xyz[3 * nb[0]], c, &s->mol->xyz[3 * nb[1]]);
        return ang >= 160.0f ? 1 : ang >= 115.0f ? 2 : 3;
    }
    return 0;
}

/* Whether a 5- or 6-ring atom sits in a flat ring: the heavy atoms two bonds
 * from it through its ring neighbours lie within 0.25 Å of the plane of the
 * atom and those neighbours. A flat ring's atoms (and their exocyclic
 * substituents) lie in one plane; a sugar's or a cyclohexane's puckered
 * ring puts them 0.4-0.8 Å out. Ring angles (105-110 degrees in a 5-ring)
 * cannot tell, so this replaces the angle test for ring atoms. */
static bool in_flat_ring(const hb_side *s, uint32_t i)
{
    const misi_mol *m = s->mol;
    uint32_t rn[2], n = 0;
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1]; k++) {
        uint32_t j = s->adj.nbr[k];
        if (!is_h(m, j) && s->ring[j] && n < 2)
            rn[n++] = j;
    }
    if (n < 2)
        return false;
    float u[3], v[3], nrm[3];
    v_sub(&m->xyz[3 * rn[0]], &m->xyz[3 * i], u);
    v_sub(&m->xyz[3 * rn[1]], &m->xyz[3 * i], v);
    v_cross(u, v, nrm);
    if (!v_norm(nrm))
        return false;
    for (int q = 0; q < 2; q++) {
        uint32_t j = rn[q];
        for (uint32_t k = s->adj.start[j]; k < s->adj.start[j + 1]; k++) {
            uint32_t x = s->adj.nbr[k];
            if (x == i || is_h(m, x))
                continue;
            float w[3];
            v_sub(&m->xyz[3 * x], &m->xyz[3 * i], w);
            if (fabsf(v_dot(w, nrm)) > 0.25f)
                return false;
        }
    }
    return true;
}

/* How many double-bond "slots" an atom has: the multiple bonds its element
 * and geometry allow (a trigonal C or two-connected N: one; a linear one, or
 * a terminal C or N, which may end a triple bond: two; a terminal O or S:
 * one; a sulfonyl S: two; a P: one). */
static int double_slots(const hb_side *s, uint32_t i, uint8_t hyb)
{
    uint32_t deg = s->adj.start[i + 1] - s->adj.start[i];
    switch (s->mol->top.atoms[i].element) {
    case 6: return (hyb == 1 || deg == 1) ? 2 : hyb == 2 ? 1 : 0;
    case 7: return deg >= 3 ? 0 : (hyb == 1 || deg == 1) ? 2 : hyb == 2 ? 1 : 0;
    case 8: return deg == 1 ? 1 : 0;
    case 16: return deg == 1 ? 1 : deg >= 3 ? 2 : 0;
    case 15: return deg >= 3 ? 1 : 0;
    default: return 0;
    }
}

/* A candidate multiple bond, ranked by how short it is for its elements. */
typedef struct bond_cand {
    uint32_t bond;
    float ratio; /* length / sum of covalent radii */
} bond_cand;

static int cand_cmp(const void *x, const void *y)
{
    const bond_cand *p = x, *q = y;
    if (p->ratio != q->ratio)
        return p->ratio < q->ratio ? -1 : 1;
    return p->bond < q->bond ? -1 : p->bond > q->bond;
}

/* Bond length / sum of covalent radii at or below which a bond between two
 * atoms with free slots is double (C=O 0.87, C=C 0.88, amide C-N 0.91, S=O
 * 0.84 against single bonds at 0.97-1.01), and triple (C#N 0.80). */
#define DOUBLE_RATIO_MAX 0.935f
#define TRIPLE_RATIO_MAX 0.84f

/* Types of the pocket's non-template groups: bond orders perceived from
 * geometry (aromatic rings of trigonal atoms, then the shortest bonds
 * between atoms with free slots), Sybyl types derived from those as for an
 * SDF ligand, then the ligand's rules. `in_group` marks their atoms. */
static int type_structure_groups(hb_side *s, const bool *in_group, misi_error *err)
{
    const misi_mol *m = s->mol;
    uint32_t n = m->top.natoms, nb = m->top.nbonds;
    size_t cap = (size_t)n + 1;
    /* near: 1 for group atoms, 2/3 for atoms one/two bonds out, whose
     * orders and types the group's typing reads (a peptide C=O next to a
     * modified residue's N). */
    uint8_t *near = calloc(cap, 1), *hyb = calloc(cap, 1), *slots = calloc(cap, 1);
    uint32_t *dist = malloc(cap * sizeof *dist), *queue = malloc(cap * sizeof *queue);
    bond_cand *cand = malloc(((size_t)nb + 1) * sizeof *cand);
    char(*syb)[8] = calloc(cap, sizeof *syb);
    s->order = malloc((size_t)nb + 1);
    int rc = MISI_OK;
    if (!near || !hyb || !slots || !dist || !queue || !cand || !syb || !s->order) {
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory typing pocket groups");
        goto done;
    }
    for (uint32_t b = 0; b < nb; b++)
        s->order[b] = m->top.bonds[b].order;
    for (uint32_t i = 0; i < n; i++)
        near[i] = in_group[i] ? 1 : 0;
    for (uint8_t level = 1; level <= 2; level++)
        for (uint32_t i = 0; i < n; i++) {
            if (near[i] != level)
                continue;
            for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1]; k++)
                if (!near[s->adj.nbr[k]])
                    near[s->adj.nbr[k]] = level + 1;
        }
    for (uint32_t i = 0; i < n; i++) {
        if (near[i] && !is_h(m, i))
            s->ring[i] = smallest_ring(s, i, dist, queue);
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!near[i] || is_h(m, i))
            continue;
        bool ring56 = s->ring[i] == 5 || s->ring[i] == 6;
        hyb[i] = ring56 ? (in_flat_ring(s, i) ? 2 : 3) : geometry_hyb(s, i);
        slots[i] = (uint8_t)double_slots(s, i, hyb[i]);
    }
    /* Aromatic: ring bonds of 5- and 6-rings between trigonal C/N atoms. */
    bool *arom = calloc(cap, sizeof *arom);
    if (!arom) {
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory typing pocket groups");
        goto done;
    }
    for (uint32_t b = 0; b < nb; b++) {
        uint32_t x = m->top.bonds[b].a, y = m->top.bonds[b].b;
        if (!near[x] || !near[y] || s->order[b] != MISI_BOND_UNKNOWN)
            continue;
        int ex = m->top.atoms[x].element, ey = m->top.atoms[y].element;
        bool ok = (ex == 6 || ex == 7) && (ey == 6 || ey == 7) && hyb[x] == 2 && hyb[y] == 2 &&
                  (s->ring[x] == 5 || s->ring[x] == 6) && (s->ring[y] == 5 || s->ring[y] == 6);
        if (ok) {
            s->order[b] = MISI_BOND_AROMATIC;
            arom[x] = arom[y] = true;
        }
    }
    /* Double and triple bonds, shortest (relative to the elements) first. */
    uint32_t nc = 0;
    for (uint32_t b = 0; b < nb; b++) {
        uint32_t x = m->top.bonds[b].a, y = m->top.bonds[b].b;
        if (!near[x] || !near[y] || s->order[b] != MISI_BOND_UNKNOWN || is_h(m, x) || is_h(m, y))
            continue;
        float r = misi_element_covalent_radius(m->top.atoms[x].element) +
                  misi_element_covalent_radius(m->top.atoms[y].element);
        cand[nc++] = (bond_cand){b, hb_dist(&m->xyz[3 * x], &m->xyz[3 * y]) / r};
    }
    qsort(cand, nc, sizeof *cand, cand_cmp);
    for (uint32_t c = 0; c < nc; c++) {
        uint32_t b = cand[c].bond, x = m->top.bonds[b].a, y = m->top.bonds[b].b;
        if (cand[c].ratio > DOUBLE_RATIO_MAX)
            break;
        /* An aromatic atom takes only an exocyclic C=O / C=S (a pyrimidinone). */
        uint32_t other = arom[x] ? y : x;
        if ((arom[x] || arom[y]) && (arom[x] == arom[y] || s->adj.start[other + 1] - s->adj.start[other] != 1 ||
                                      (m->top.atoms[other].element != 8 && m->top.atoms[other].element != 16)))
            continue;
        if (arom[x] || arom[y]) {
            s->order[b] = MISI_BOND_DOUBLE;
            slots[other]--;
            continue;
        }
        if (!slots[x] || !slots[y])
            continue;
        bool triple = slots[x] >= 2 && slots[y] >= 2 && cand[c].ratio <= TRIPLE_RATIO_MAX;
        s->order[b] = triple ? MISI_BOND_TRIPLE : MISI_BOND_DOUBLE;
        slots[x] -= triple ? 2 : 1;
        slots[y] -= triple ? 2 : 1;
    }
    free(arom);
    for (uint32_t b = 0; b < nb; b++)
        if (s->order[b] == MISI_BOND_UNKNOWN && near[m->top.bonds[b].a] && near[m->top.bonds[b].b])
            s->order[b] = MISI_BOND_SINGLE;
    for (uint32_t i = 0; i < n; i++)
        if (near[i] && !is_h(m, i))
            derive_sybyl(s, i, syb[i]);
    /* Crystal structures carry no charges or hydrogens: a terminal, singly
     * bonded O beside a C=O, or on a P or S, is taken as the deprotonated
     * oxygen of a carboxylate / phosphate / sulfate (O.co2), as PDBbind's
     * ligand files type them, unless the group has its hydrogens. */
    for (uint32_t i = 0; i < n; i++) {
        if (near[i] != 1 || m->top.atoms[i].element != 8 || strcmp(syb[i], "O.3") != 0 || h_degree(s, i) ||
            heavy_degree(s, i) != 1)
            continue;
        uint32_t j = first_heavy_nbr(s, i);
        int ej = m->top.atoms[j].element;
        if (ej == 15 || ej == 16 || (ej == 6 && carbon_has_o(s, j, i, true))) {
            memcpy(syb[i], "O.co2", 6);
            for (uint32_t k = s->adj.start[j]; ej == 6 && k < s->adj.start[j + 1]; k++) {
                uint32_t o = s->adj.nbr[k];
                if (m->top.atoms[o].element == 8 && bond_order(s, k) == MISI_BOND_DOUBLE)
                    memcpy(syb[o], "O.co2", 6);
            }
        }
    }
    /* Hydrogens: a group with explicit ones is read as given; one without
     * any takes those its types imply. */
    for (uint32_t i = 0; i < n; i++) {
        if (near[i] != 1 || is_h(m, i))
            continue;
        const misi_residue *r = &m->top.residues[m->top.atoms[i].residue];
        bool group_has_h = false;
        for (uint32_t j = r->first; j < r->first + r->count && !group_has_h; j++)
            group_has_h = is_h(m, j);
        type_ligand_atom(s, i, (const char(*)[8])syb, group_has_h, &s->type[i]);
    }
done:
    free(near);
    free(hyb);
    free(slots);
    free(dist);
    free(queue);
    free(cand);
    free(syb);
    return rc;
}

/* Sort the pocket's residues into template, structure and metal groups and
 * type every heavy atom accordingly. */
static int type_pocket(hb_side *s, misi_error *err)
{
    const misi_mol *m = s->mol;
    uint32_t n = m->top.natoms, nres = m->top.nresidues;
    s->group = calloc((size_t)nres + 1, 1);
    bool *in_group = calloc((size_t)n + 1, sizeof *in_group);
    if (!s->group || !in_group) {
        free(in_group);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory typing pocket groups");
    }
    bool any = false;
    for (uint32_t r = 0; r < nres; r++) {
        const misi_residue *res = &m->top.residues[r];
        if (is_amino_acid(canonical_residue(res->name)))
            continue;
        bool all_metal = true;
        uint32_t heavy = 0, oxygens = 0;
        for (uint32_t i = res->first; i < res->first + res->count; i++) {
            all_metal &= is_h(m, i) || misi_element_is_metal(m->top.atoms[i].element);
            heavy += !is_h(m, i);
            oxygens += m->top.atoms[i].element == 8;
        }
        /* A lone O is a water kept with --keep-waters: the benchmark's bonds
         * are direct ones, so it stays untyped (docs/hbonds.md). */
        bool water = heavy == 1 && oxygens == 1;
        s->group[r] = all_metal ? MISI_HB_GROUP_METAL : water ? MISI_HB_GROUP_WATER : MISI_HB_GROUP_STRUCTURE;
        if (s->group[r] != MISI_HB_GROUP_STRUCTURE)
            continue;
        for (uint32_t i = res->first; i < res->first + res->count; i++) {
            /* Metal ions are neither donors nor acceptors (coordination is
             * out of scope: docs/hbonds.md). */
            in_group[i] = !misi_element_is_metal(m->top.atoms[i].element);
            any |= in_group[i];
        }
    }
    int rc = MISI_OK;
    for (uint32_t i = 0; i < n; i++) {
        if (is_h(m, i) || in_group[i] || s->group[m->top.atoms[i].residue] != MISI_HB_GROUP_TEMPLATE)
            continue;
        type_pocket_atom(m, i, &s->type[i]);
        s->type[i].nh = (uint8_t)h_degree(s, i);
        /* A disulfide S has no H to give. */
        if (s->type[i].don == MISI_DON_THIOL && s->type[i].nheavy > 1)
            s->type[i].don = MISI_DON_NONE;
    }
    if (any)
        rc = type_structure_groups(s, in_group, err);
    free(in_group);
    return rc;
}

/* ---- hydrogen placement ---- */

/* Hydrogen positions for a donor whose geometry fixes them: returns how many
 * were written to out (at most 3), 0 when none can be placed. */
static int place_hydrogens(const hb_side *s, uint32_t i, int don, float out[3][3])
{
    const float *D = &s->mol->xyz[3 * i];
    uint32_t nb[4];
    uint32_t n = 0;
    for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1] && n < 4; k++) {
        if (!is_h(s->mol, s->adj.nbr[k]))
            nb[n++] = s->adj.nbr[k];
    }
    const float L = MISI_HB_PLACED_H_LENGTH;
    float u[3][3];
    for (uint32_t k = 0; k < n && k < 3; k++) {
        v_sub(&s->mol->xyz[3 * nb[k]], D, u[k]);
        if (!v_norm(u[k]))
            return 0;
    }
    bool charged = don == MISI_DON_R2NH2 || don == MISI_DON_R3NH;
    if (charged && n == 3) {
        /* tetrahedral: opposite the sum of the three bond directions */
        float d[3] = {-(u[0][0] + u[1][0] + u[2][0]), -(u[0][1] + u[1][1] + u[2][1]),
                      -(u[0][2] + u[1][2] + u[2][2])};
        if (!v_norm(d))
            return 0;
        for (int c = 0; c < 3; c++)
            out[0][c] = D[c] + L * d[c];
        return 1;
    }
    if (charged && n == 2) {
        float b[3] = {-(u[0][0] + u[1][0]), -(u[0][1] + u[1][1]), -(u[0][2] + u[1][2])}, p[3];
        v_cross(u[0], u[1], p);
        if (!v_norm(b) || !v_norm(p))
            return 0;
        /* half the tetrahedral angle either side of the outer bisector */
        float ca = cosf(109.47f * 0.5f * (float)M_PI / 180.0f), sa = sinf(109.47f * 0.5f * (float)M_PI / 180.0f);
        for (int c = 0; c < 3; c++) {
            out[0][c] = D[c] + L * (ca * b[c] + sa * p[c]);
            out[1][c] = D[c] + L * (ca * b[c] - sa * p[c]);
        }
        return 2;
    }
    if (!charged && hb_donor_is_planar_n(don) && n == 2) {
        /* one H on the outer bisector */
        float b[3] = {-(u[0][0] + u[1][0]), -(u[0][1] + u[1][1]), -(u[0][2] + u[1][2])};
        if (!v_norm(b))
            return 0;
        for (int c = 0; c < 3; c++)
            out[0][c] = D[c] + L * b[c];
        return 1;
    }
    if ((don == MISI_DON_AMIDE_NH2 || don == MISI_DON_NG_NH2) && n == 1) {
        /* two in-plane H at 120 degrees from the bond, the plane being that
         * of the neighbour's substituents */
        uint32_t x = nb[0], y = UINT32_MAX;
        for (uint32_t k = s->adj.start[x]; k < s->adj.start[x + 1]; k++) {
            uint32_t q = s->adj.nbr[k];
            if (q != i && !is_h(s->mol, q)) {
                y = q;
                break;
            }
        }
        if (y == UINT32_MAX)
            return 0;
        float xy[3], nrm[3], w[3];
        v_sub(&s->mol->xyz[3 * y], &s->mol->xyz[3 * x], xy);
        v_cross(u[0], xy, nrm);
        if (!v_norm(nrm))
            return 0;
        v_cross(nrm, u[0], w); /* in-plane, perpendicular to the bond */
        if (!v_norm(w))
            return 0;
        float c120 = -0.5f, s120 = 0.8660254f;
        for (int c = 0; c < 3; c++) {
            out[0][c] = D[c] + L * (c120 * u[0][c] + s120 * w[c]);
            out[1][c] = D[c] + L * (c120 * u[0][c] - s120 * w[c]);
        }
        return 2;
    }
    return 0;
}

int hb_side_prepare(hb_side *s, const misi_mol *mol, bool ligand, const misi_hbond_config *cfg,
                    misi_error *err)
{
    memset(s, 0, sizeof *s);
    s->mol = mol;
    uint32_t n = mol->top.natoms;
    int rc = misi_adjacency_build(&mol->top, &s->adj, err);
    if (rc)
        return rc;
    size_t cap = (size_t)n + 1;
    s->type = calloc(cap, sizeof *s->type);
    s->ring = calloc(cap, 1);
    s->hstart = calloc(cap, sizeof *s->hstart);
    uint32_t *dist = malloc(cap * sizeof *dist), *queue = malloc(cap * sizeof *queue);
    char(*syb)[8] = calloc(cap, sizeof *syb);
    /* at most 3 hydrogens per donor */
    s->hpos = malloc(cap * 9 * sizeof *s->hpos);
    s->hidx = malloc(cap * 3 * sizeof *s->hidx);
    if (!s->type || !s->ring || !s->hstart || !dist || !queue || !syb || !s->hpos || !s->hidx) {
        free(dist);
        free(queue);
        free(syb);
        hb_side_finish(s);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory typing %u atoms", n);
    }
    bool file_has_h = false;
    for (uint32_t i = 0; i < n; i++) {
        file_has_h |= is_h(mol, i);
        s->type[i].nheavy = (uint8_t)(heavy_degree(s, i) > 255 ? 255 : heavy_degree(s, i));
    }
    if (ligand) {
        for (uint32_t i = 0; i < n; i++) {
            if (!is_h(mol, i))
                s->ring[i] = smallest_ring(s, i, dist, queue);
        }
        for (uint32_t i = 0; i < n; i++) {
            if (mol->top.atoms[i].sybyl[0])
                memcpy(syb[i], mol->top.atoms[i].sybyl, 8);
            else
                derive_sybyl(s, i, syb[i]);
        }
        for (uint32_t i = 0; i < n; i++) {
            if (!is_h(mol, i))
                type_ligand_atom(s, i, (const char(*)[8])syb, file_has_h, &s->type[i]);
        }
    } else if ((rc = type_pocket(s, err))) {
        free(dist);
        free(queue);
        free(syb);
        hb_side_finish(s);
        return rc;
    }
    /* Hydrogens: explicit ones when the file has them, placed ones where the
     * heavy atoms fix them, none for rotatable groups unless asked. */
    uint32_t nh = 0;
    for (uint32_t i = 0; i < n; i++) {
        s->hstart[i] = nh;
        int don = s->type[i].don;
        if (!don)
            continue;
        bool rot = hb_donor_is_rotatable(don);
        if (rot && !cfg->rotatable_h)
            continue;
        uint32_t got = 0;
        for (uint32_t k = s->adj.start[i]; k < s->adj.start[i + 1] && got < 3; k++) {
            uint32_t h = s->adj.nbr[k];
            if (!is_h(mol, h))
                continue;
            memcpy(&s->hpos[3 * (nh + got)], &mol->xyz[3 * h], 3 * sizeof(float));
            s->hidx[nh + got] = (int32_t)h;
            got++;
        }
        if (got == 0 && !rot) {
            float pl[3][3];
            int p = place_hydrogens(s, i, don, pl);
            for (int q = 0; q < p; q++) {
                memcpy(&s->hpos[3 * (nh + got)], pl[q], 3 * sizeof(float));
                s->hidx[nh + got] = -1;
                got++;
            }
        }
        nh += got;
    }
    s->hstart[n] = nh;
    free(dist);
    free(queue);
    free(syb);
    return MISI_OK;
}

void hb_side_finish(hb_side *s)
{
    if (!s)
        return;
    misi_adjacency_finish(&s->adj);
    free(s->type);
    free(s->ring);
    free(s->hstart);
    free(s->hpos);
    free(s->hidx);
    free(s->order);
    free(s->group);
    free(s->hop);
    memset(s, 0, sizeof *s);
}
