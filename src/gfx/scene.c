/* The scene: what is drawn, built from a complex on the CPU (no GL).
 * Heavy atoms of the pocket and the ligand, their bonds, colours per
 * MISI-SPEC §2 and radii per style (docs/rendering.md), labels, and the
 * framing sphere every view of the complex shares. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "misi/render.h"

const uint8_t MISI_POCKET_CARBON_RGB[2][3] = {{0xBF, 0x99, 0xF2}, {0xF2, 0xB3, 0x66}};
const uint8_t MISI_LIGAND_CARBON_RGB[3] = {0x90, 0x90, 0x90};

/* Jmol colours (jmol.sourceforge.net/jscolors), which the spec's O red,
 * N blue, S yellow and P orange agree with. Unknown elements: deep pink. */
static const uint32_t JMOL[] = {
    [0] = 0xFF1493,  [1] = 0xFFFFFF,  [2] = 0xD9FFFF,  [3] = 0xCC80FF,  [4] = 0xC2FF00,  [5] = 0xFFB5B5,
    [6] = 0x909090,  [7] = 0x3050F8,  [8] = 0xFF0D0D,  [9] = 0x90E050,  [10] = 0xB3E3F5, [11] = 0xAB5CF2,
    [12] = 0x8AFF00, [13] = 0xBFA6A6, [14] = 0xF0C8A0, [15] = 0xFF8000, [16] = 0xFFFF30, [17] = 0x1FF01F,
    [18] = 0x80D1E3, [19] = 0x8F40D4, [20] = 0x3DFF00, [21] = 0xE6E6E6, [22] = 0xBFC2C7, [23] = 0xA6A6AB,
    [24] = 0x8A99C7, [25] = 0x9C7AC7, [26] = 0xE06633, [27] = 0xF090A0, [28] = 0x50D050, [29] = 0xC88033,
    [30] = 0x7D80B0, [31] = 0xC28F8F, [32] = 0x668F8F, [33] = 0xBD80E3, [34] = 0xFFA100, [35] = 0xA62929,
    [36] = 0x5CB8D1, [37] = 0x702EB0, [38] = 0x00FF00, [39] = 0x94FFFF, [40] = 0x94E0E0, [41] = 0x73C2C9,
    [42] = 0x54B5B5, [43] = 0x3B9E9E, [44] = 0x248F8F, [45] = 0x0A7D8C, [46] = 0x006985, [47] = 0xC0C0C0,
    [48] = 0xFFD98F, [49] = 0xA67573, [50] = 0x668080, [51] = 0x9E63B5, [52] = 0xD47A00, [53] = 0x940094,
    [54] = 0x429EB0, [55] = 0x57178F, [56] = 0x00C900, [57] = 0x70D4FF, [74] = 0x2194D6, [76] = 0x266696,
    [77] = 0x175487, [78] = 0xD0D0E0, [79] = 0xFFD123, [80] = 0xB8B8D0, [81] = 0xA6544D, [82] = 0x575961,
    [83] = 0x9E4FB5,
};

void misi_element_rgb(uint8_t z, uint8_t rgb[3])
{
    uint32_t c = z < sizeof JMOL / sizeof JMOL[0] ? JMOL[z] : 0;
    if (c == 0)
        c = JMOL[0];
    rgb[0] = (uint8_t)(c >> 16);
    rgb[1] = (uint8_t)(c >> 8);
    rgb[2] = (uint8_t)c;
}

int misi_style_from_name(const char *name, misi_style *out)
{
    if (!strcmp(name, "ball-and-stick") || !strcmp(name, "ball_and_stick"))
        *out = MISI_STYLE_BALL_AND_STICK;
    else if (!strcmp(name, "stick"))
        *out = MISI_STYLE_STICK;
    else if (!strcmp(name, "spacefill"))
        *out = MISI_STYLE_SPACEFILL;
    else
        return MISI_E_USAGE;
    return 0;
}

const char *misi_style_name(misi_style style)
{
    switch (style) {
    case MISI_STYLE_STICK:
        return "stick";
    case MISI_STYLE_SPACEFILL:
        return "spacefill";
    default:
        return "ball-and-stick";
    }
}

/* Radii (Å) per style; see docs/rendering.md. */
#define BALL_VDW_FRACTION 0.25f
#define BALL_BOND_RADIUS 0.15f
#define STICK_RADIUS 0.20f

static float atom_radius(misi_style style, uint8_t z)
{
    switch (style) {
    case MISI_STYLE_STICK:
        return STICK_RADIUS;
    case MISI_STYLE_SPACEFILL:
        return misi_element_vdw_radius(z);
    default:
        return BALL_VDW_FRACTION * misi_element_vdw_radius(z);
    }
}

static float bond_radius(misi_style style)
{
    switch (style) {
    case MISI_STYLE_STICK:
        return STICK_RADIUS;
    case MISI_STYLE_SPACEFILL:
        return 0.0f;
    default:
        return BALL_BOND_RADIUS;
    }
}

int misi_scene_alloc(uint32_t natoms, uint32_t nbonds, uint32_t nlabels, misi_scene **out, misi_error *err)
{
    *out = NULL;
    misi_scene *s = calloc(1, sizeof *s);
    if (!s)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for a scene");
    s->atoms = calloc(natoms ? natoms : 1, sizeof *s->atoms);
    s->bonds = calloc(nbonds ? nbonds : 1, sizeof *s->bonds);
    s->labels = calloc(nlabels ? nlabels : 1, sizeof *s->labels);
    if (!s->atoms || !s->bonds || !s->labels) {
        misi_scene_destroy(s);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for a scene of %u atoms", natoms);
    }
    s->natoms = natoms;
    s->nbonds = nbonds;
    s->nlabels = nlabels;
    s->style = MISI_STYLE_BALL_AND_STICK;
    s->bond_radius = BALL_BOND_RADIUS;
    *out = s;
    return 0;
}

void misi_scene_destroy(misi_scene *s)
{
    if (!s)
        return;
    free(s->atoms);
    free(s->bonds);
    free(s->labels);
    free(s);
}

void misi_scene_update_frame(misi_scene *s, float margin)
{
    double c[3] = {0, 0, 0};
    if (margin <= 0.0f)
        margin = 2.0f;
    for (uint32_t i = 0; i < s->natoms; i++)
        for (int k = 0; k < 3; k++)
            c[k] += s->atoms[i].pos[k];
    for (int k = 0; k < 3; k++)
        s->frame.centre[k] = s->natoms ? (float)(c[k] / s->natoms) : 0.0f;
    float r = 0.0f;
    for (uint32_t i = 0; i < s->natoms; i++) {
        float d2 = 0.0f;
        for (int k = 0; k < 3; k++) {
            float d = s->atoms[i].pos[k] - s->frame.centre[k];
            d2 += d * d;
        }
        float e = sqrtf(d2) + s->atoms[i].radius;
        if (e > r)
            r = e;
    }
    s->frame.radius = r + margin;
}

static bool is_heavy(const misi_atom *a)
{
    return !(a->flags & MISI_ATOM_HYDROGEN) && a->element != 1;
}

static bool is_polar(uint8_t z)
{
    return z == 7 || z == 8 || z == 16;
}

/* Squared distance from pocket atom i to the nearest shown ligand heavy atom
 * (INFINITY when none is shown). */
static float ligand_d2(const misi_complex *cx, uint32_t *const map[2], uint32_t i, bool polar_only)
{
    const float *p = &cx->pocket.xyz[3 * (size_t)i];
    float best = INFINITY;
    for (uint32_t j = 0; j < cx->ligand.top.natoms; j++) {
        if (!is_heavy(&cx->ligand.top.atoms[j]))
            continue;
        if (polar_only && !is_polar(cx->ligand.top.atoms[j].element))
            continue;
        const float *q = &cx->ligand.xyz[3 * (size_t)j];
        float d2 = 0;
        for (int k = 0; k < 3; k++)
            d2 += (p[k] - q[k]) * (p[k] - q[k]);
        if (d2 < best)
            best = d2;
    }
    (void)map;
    return best;
}

/* Layout priorities (misi_scene_label.priority; docs/rendering.md
 * "Labels"): 0 = the kinds the label set exists for (T4: the residue's
 * atoms and the ligand's; T8/T9: the polar contacts, their residues and the
 * ligand's atoms near them), then ligand atoms, residues near the ligand,
 * the rest.
 * They depend on the label set and the geometry only, never on which atoms
 * bond, so an image shows nothing of an answer by what it labels first. */
enum { PRIO_NEED = 0, PRIO_LIGAND = 1, PRIO_NEAR = 2, PRIO_REST = 3 };
#define NEAR_A 4.5f

static float anchor_radius(const misi_scene *s, uint32_t *const map[2], int m, uint32_t i)
{
    return map[m][i] ? s->atoms[map[m][i] - 1].radius : 0.0f;
}

static int make_labels(const misi_complex *cx, uint32_t *const map[2], misi_label_set ls, misi_scene *s,
                       uint32_t *nl_out, misi_error *err)
{
    const misi_mol *p = &cx->pocket;
    uint32_t nl = 0;
    bool multi_chain = false;
    for (uint32_t r = 1; r < p->top.nresidues; r++)
        multi_chain |= p->top.residues[r].chain != p->top.residues[0].chain;
    /* pocket atoms labelled by name; with POLAR_CONTACTS also which are */
    bool *atom_label = calloc((size_t)p->top.natoms + 1, sizeof *atom_label);
    bool *res_near = calloc((size_t)p->top.nresidues + 1, sizeof *res_near);
    bool *res_contact = calloc((size_t)p->top.nresidues + 1, sizeof *res_contact);
    bool *lig_contact = calloc((size_t)cx->ligand.top.natoms + 1, sizeof *lig_contact);
    bool *atom_second = calloc((size_t)p->top.natoms + 1, sizeof *atom_second); /* labelled, not first */
    if (!atom_label || !res_near || !res_contact || !lig_contact || !atom_second) {
        free(atom_second);
        free(atom_label);
        free(res_near);
        free(res_contact);
        free(lig_contact);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for labels");
    }
    for (uint32_t i = 0; i < p->top.natoms; i++) {
        if (!map[0][i])
            continue;
        const misi_atom *a = &p->top.atoms[i];
        float d2 = ligand_d2(cx, map, i, false);
        if (d2 <= NEAR_A * NEAR_A)
            res_near[a->residue] = true;
        if (ls == MISI_LABEL_SET_RESIDUE_ATOMS)
            atom_label[i] = true;
        else if ((ls == MISI_LABEL_SET_POLAR_CONTACTS || ls == MISI_LABEL_SET_POLAR_PAIRS) &&
                 is_polar(a->element) && d2 <= MISI_POLAR_CONTACT_A * MISI_POLAR_CONTACT_A) {
            atom_label[i] = true;
            /* POLAR_PAIRS lays out first only the polar atoms facing a
             * polar ligand atom (a pair that could bond), so fewer labels
             * compete for the places beside the contacts */
            bool pairs = ls == MISI_LABEL_SET_POLAR_PAIRS;
            if (pairs && ligand_d2(cx, map, i, true) > MISI_POLAR_CONTACT_A * MISI_POLAR_CONTACT_A) {
                atom_second[i] = true;
                continue;
            }
            res_contact[a->residue] = true;
            /* the ligand atoms it may bond: every shown ligand heavy atom in range */
            for (uint32_t j = 0; j < cx->ligand.top.natoms; j++) {
                if (!map[1][j] || (pairs && !is_polar(cx->ligand.top.atoms[j].element)))
                    continue;
                const float *q = &cx->ligand.xyz[3 * (size_t)j], *pp = &p->xyz[3 * (size_t)i];
                float e2 = 0;
                for (int k = 0; k < 3; k++)
                    e2 += (pp[k] - q[k]) * (pp[k] - q[k]);
                if (e2 <= MISI_POLAR_CONTACT_A * MISI_POLAR_CONTACT_A)
                    lig_contact[j] = true;
            }
        }
    }
    for (uint32_t r = 0; r < p->top.nresidues; r++) {
        const misi_residue *res = &p->top.residues[r];
        double c[3] = {0, 0, 0};
        int n = 0, ca = -1;
        for (uint32_t i = res->first; i < res->first + res->count; i++) {
            if (!map[0][i])
                continue;
            for (int k = 0; k < 3; k++)
                c[k] += p->xyz[3 * (size_t)i + k];
            n++;
            if (!strcmp(p->top.atoms[i].name, "CA"))
                ca = (int)i;
        }
        if (!n)
            continue;
        misi_scene_label *l = &s->labels[nl++];
        /* Anchor at CA when shown (stable across styles), else the centroid. */
        for (int k = 0; k < 3; k++)
            l->pos[k] = ca >= 0 ? p->xyz[3 * (size_t)ca + k] : (float)(c[k] / n);
        l->anchor_r = ca >= 0 ? anchor_radius(s, map, 0, (uint32_t)ca) : 0.0f;
        char num[24];
        if (res->icode != ' ' && res->icode != '\0')
            snprintf(num, sizeof num, "%d%c", (int)res->seq, res->icode);
        else
            snprintf(num, sizeof num, "%d", (int)res->seq);
        /* the chain only where it tells residues apart (MISI-SPEC §2) */
        if (multi_chain)
            snprintf(l->text, sizeof l->text, "%.3s %s %c", res->name, num, res->chain == ' ' ? '_' : res->chain);
        else
            snprintf(l->text, sizeof l->text, "%.3s %s", res->name, num);
        l->key = MISI_LABEL_KEY(MISI_LABEL_KIND_RESIDUE, r);
        /* T4's residue is named in its question text: its label is not a need */
        l->priority = res_contact[r] ? PRIO_NEED : res_near[r] ? PRIO_NEAR : PRIO_REST;
    }
    for (uint32_t i = 0; i < p->top.natoms; i++) {
        if (!map[0][i] || !atom_label[i])
            continue;
        misi_scene_label *l = &s->labels[nl++];
        memcpy(l->pos, &p->xyz[3 * (size_t)i], sizeof l->pos);
        snprintf(l->text, sizeof l->text, "%s", p->top.atoms[i].name);
        l->key = MISI_LABEL_KEY(MISI_LABEL_KIND_POCKET_ATOM, i);
        l->priority = atom_second[i] ? PRIO_LIGAND : PRIO_NEED;
        l->anchor_r = anchor_radius(s, map, 0, i);
    }
    const misi_mol *lig = &cx->ligand;
    for (uint32_t i = 0; i < lig->top.natoms; i++) {
        if (!map[1][i])
            continue;
        misi_scene_label *l = &s->labels[nl++];
        memcpy(l->pos, &lig->xyz[3 * (size_t)i], sizeof l->pos);
        snprintf(l->text, sizeof l->text, "%s", lig->top.atoms[i].name);
        l->key = MISI_LABEL_KEY(MISI_LABEL_KIND_LIGAND_ATOM, i);
        l->priority = ls == MISI_LABEL_SET_RESIDUE_ATOMS || lig_contact[i] ? PRIO_NEED : PRIO_LIGAND;
        l->anchor_r = anchor_radius(s, map, 1, i);
    }
    free(atom_label);
    free(atom_second);
    free(res_near);
    free(res_contact);
    free(lig_contact);
    *nl_out = nl;
    return 0;
}

int misi_scene_create(const misi_complex *cx, const misi_scene_desc *desc, misi_scene **out, misi_error *err)
{
    misi_scene_desc d = desc ? *desc : (misi_scene_desc){0};
    misi_style style = d.style ? d.style : MISI_STYLE_BALL_AND_STICK;
    const misi_mol *mols[2] = {&cx->pocket, &cx->ligand};
    bool show_mol[2] = {!(d.hide & MISI_HIDE_POCKET), !(d.hide & MISI_HIDE_LIGAND)};
    uint32_t *map[2] = {NULL, NULL};
    uint32_t natoms = 0, nbonds = 0, nlabels = 0;
    misi_scene *s = NULL;
    int rc = 0;

    /* Count and index the shown atoms: map[m][i] = scene index + 1 (0 = hidden). */
    for (int m = 0; m < 2; m++) {
        const misi_topology *t = &mols[m]->top;
        map[m] = calloc(t->natoms ? t->natoms : 1, sizeof *map[m]);
        if (!map[m]) {
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
            goto fail;
        }
        if (!show_mol[m])
            continue;
        for (uint32_t i = 0; i < t->natoms; i++) {
            if (!is_heavy(&t->atoms[i]))
                continue;
            if (m == 0 && d.pocket_mask && !d.pocket_mask[i])
                continue;
            map[m][i] = ++natoms;
        }
        for (uint32_t b = 0; b < t->nbonds; b++)
            if (map[m][t->bonds[b].a] && map[m][t->bonds[b].b])
                nbonds++;
    }
    if (natoms == 0) {
        rc = misi_error_set(err, MISI_E_INVALID, "complex %s: no heavy atom to show", cx->id);
        goto fail;
    }
    if (style == MISI_STYLE_SPACEFILL)
        nbonds = 0;

    /* Labels: one per shown pocket residue, one per shown ligand atom, and
     * optionally one per shown pocket atom (every one, or the polar ones
     * near the ligand). */
    misi_label_set ls = d.label_set;
    if (ls != MISI_LABEL_SET_NONE) {
        const misi_topology *t = &cx->pocket.top;
        for (uint32_t r = 0; r < t->nresidues; r++) {
            bool any = false;
            for (uint32_t i = t->residues[r].first; i < t->residues[r].first + t->residues[r].count; i++)
                any |= map[0][i] != 0;
            nlabels += any;
        }
        for (uint32_t i = 0; i < cx->ligand.top.natoms; i++)
            nlabels += map[1][i] != 0;
        if (ls == MISI_LABEL_SET_RESIDUE_ATOMS || ls == MISI_LABEL_SET_POLAR_CONTACTS ||
            ls == MISI_LABEL_SET_POLAR_PAIRS)
            for (uint32_t i = 0; i < t->natoms; i++)
                nlabels += map[0][i] != 0;
    }

    rc = misi_scene_alloc(natoms, nbonds, nlabels, &s, err);
    if (rc)
        goto fail;
    s->style = style;
    s->bond_radius = bond_radius(style);

    uint32_t nb = 0, nl = 0;
    for (int m = 0; m < 2; m++) {
        const misi_mol *mol = mols[m];
        const misi_topology *t = &mol->top;
        for (uint32_t i = 0; i < t->natoms; i++) {
            if (!map[m][i])
                continue;
            misi_scene_atom *a = &s->atoms[map[m][i] - 1];
            const misi_atom *src = &t->atoms[i];
            memcpy(a->pos, &mol->xyz[3 * (size_t)i], sizeof a->pos);
            a->element = src->element;
            a->ligand = (uint8_t)m;
            a->radius = atom_radius(style, src->element);
            if (src->element == 6)
                memcpy(a->rgb, m == 1 ? MISI_LIGAND_CARBON_RGB : MISI_POCKET_CARBON_RGB[src->residue & 1u],
                       3);
            else
                misi_element_rgb(src->element, a->rgb);
        }
        if (style != MISI_STYLE_SPACEFILL) {
            for (uint32_t b = 0; b < t->nbonds; b++) {
                uint32_t ia = map[m][t->bonds[b].a], ib = map[m][t->bonds[b].b];
                if (ia && ib)
                    s->bonds[nb++] = (misi_scene_bond){ia - 1, ib - 1};
            }
        }
    }

    if (ls != MISI_LABEL_SET_NONE) {
        rc = make_labels(cx, map, ls, s, &nl, err);
        if (rc)
            goto fail;
    }
    s->nlabels = nl;

    misi_scene_update_frame(s, d.margin);
    if (d.frame)
        s->frame = *d.frame;
    for (uint32_t i = 0; i < s->natoms; i++) {
        for (int k = 0; k < 3; k++) {
            if (!isfinite(s->atoms[i].pos[k])) {
                rc = misi_error_set(err, MISI_E_INVALID, "complex %s: non-finite coordinate", cx->id);
                goto fail;
            }
        }
    }
    free(map[0]);
    free(map[1]);
    *out = s;
    return 0;

fail:
    free(map[0]);
    free(map[1]);
    misi_scene_destroy(s);
    *out = NULL;
    return rc;
}
