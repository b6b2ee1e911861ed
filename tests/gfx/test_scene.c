/* The scene follows MISI-SPEC §2 (CPU only, no GL): heavy atoms only,
 * ligand carbons grey, pocket carbons alternating #BF99F2 / #F2B366 residue
 * by residue, O red, N blue, S yellow, P orange; radii per style as
 * docs/rendering.md states; bonds only between shown atoms; hidden parts,
 * masks and a shared frame. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "gfx_test.h"

static bool rgb_is(const uint8_t *c, unsigned hex)
{
    return c[0] == (uint8_t)(hex >> 16) && c[1] == (uint8_t)(hex >> 8) && c[2] == (uint8_t)hex;
}

int main(void)
{
    misi_complex cx;
    gt_build_complex(&cx);
    misi_scene *s = NULL;
    misi_error err = {0};
    CHECK(misi_scene_create(&cx, NULL, &s, &err) == 0, "%s", err.msg);
    uint32_t heavy = misi_mol_heavy_count(&cx.pocket) + misi_mol_heavy_count(&cx.ligand);
    CHECK(s->natoms == heavy, "%u atoms shown, want %u heavy atoms", s->natoms, heavy);
    for (uint32_t i = 0; i < s->natoms; i++)
        CHECK(s->atoms[i].element != 1, "hydrogen shown");
    /* pocket atoms come first, in file order */
    uint32_t k = 0;
    for (uint32_t i = 0; i < cx.pocket.top.natoms; i++) {
        const misi_atom *a = &cx.pocket.top.atoms[i];
        const misi_scene_atom *sa = &s->atoms[k++];
        if (a->element == 6)
            CHECK(rgb_is(sa->rgb, a->residue % 2 ? 0xF2B366 : 0xBF99F2), "pocket C of residue %u",
                  a->residue);
        if (a->element == 8)
            CHECK(rgb_is(sa->rgb, 0xFF0D0D), "O not red");
        if (a->element == 7)
            CHECK(rgb_is(sa->rgb, 0x3050F8), "N not blue");
        CHECK(fabsf(sa->radius - 0.25f * misi_element_vdw_radius(a->element)) < 1e-6f, "ball radius");
        CHECK(!sa->ligand, "pocket atom flagged ligand");
    }
    for (uint32_t i = 0; i < cx.ligand.top.natoms; i++) {
        const misi_atom *a = &cx.ligand.top.atoms[i];
        if (a->element == 1)
            continue;
        const misi_scene_atom *sa = &s->atoms[k++];
        CHECK(sa->ligand, "ligand atom not flagged");
        if (a->element == 6)
            CHECK(rgb_is(sa->rgb, 0x909090), "ligand C not grey");
        if (a->element == 16)
            CHECK(rgb_is(sa->rgb, 0xFFFF30), "S not yellow");
        if (a->element == 15)
            CHECK(rgb_is(sa->rgb, 0xFF8000), "P not orange");
        if (a->element == 17)
            CHECK(rgb_is(sa->rgb, 0x1FF01F), "Cl not green");
    }
    /* bonds: pocket 15 + ligand 10 heavy-heavy (the C-H bond is dropped) */
    CHECK(s->nbonds == 25, "%u bonds", s->nbonds);
    CHECK(fabsf(s->bond_radius - 0.15f) < 1e-6f, "bond radius %f", s->bond_radius);
    /* labels: 3 residues + 10 heavy ligand atoms */
    CHECK(s->nlabels == 13, "%u labels", s->nlabels);
    CHECK(!strcmp(s->labels[0].text, "ASP 40"), "first label '%s'", s->labels[0].text);
    CHECK(!strcmp(s->labels[3].text, "C1"), "ligand label '%s'", s->labels[3].text);
    /* frame: centroid + bounding radius + 2 Å */
    misi_frame f = s->frame;
    misi_scene_destroy(s);

    misi_scene_desc st = {.style = MISI_STYLE_STICK};
    CHECK(misi_scene_create(&cx, &st, &s, &err) == 0, "%s", err.msg);
    CHECK(s->atoms[0].radius == 0.2f && s->bond_radius == 0.2f, "stick radii");
    misi_scene_destroy(s);
    misi_scene_desc sf = {.style = MISI_STYLE_SPACEFILL};
    CHECK(misi_scene_create(&cx, &sf, &s, &err) == 0, "%s", err.msg);
    CHECK(s->nbonds == 0 && s->atoms[0].radius == misi_element_vdw_radius(7), "spacefill radii");
    misi_scene_destroy(s);

    /* ligand alone, in the whole complex's frame (T7) */
    misi_scene_desc lig = {.hide = MISI_HIDE_POCKET, .frame = &f};
    CHECK(misi_scene_create(&cx, &lig, &s, &err) == 0, "%s", err.msg);
    CHECK(s->natoms == 10 && s->nlabels == 10, "ligand alone: %u atoms %u labels", s->natoms, s->nlabels);
    CHECK(memcmp(&s->frame, &f, sizeof f) == 0, "frame not shared");
    misi_scene_destroy(s);

    /* one residue + its atom labels (T4) */
    bool mask[18] = {0};
    for (int i = 6; i < 12; i++)
        mask[i] = true;
    misi_scene_desc one = {.pocket_mask = mask, .label_set = MISI_LABEL_SET_RESIDUE_ATOMS};
    CHECK(cx.pocket.top.natoms == 18, "built pocket has %u atoms", cx.pocket.top.natoms);
    CHECK(misi_scene_create(&cx, &one, &s, &err) == 0, "%s", err.msg);
    CHECK(s->natoms == 16 && s->nlabels == 1 + 6 + 10, "one residue: %u atoms %u labels", s->natoms,
          s->nlabels);
    CHECK(!strcmp(s->labels[0].text, "ARG 41"), "residue label '%s'", s->labels[0].text);
    /* ARG is residue 1: its carbons are orange */
    CHECK(rgb_is(s->atoms[1].rgb, 0xF2B366), "ARG CA colour");
    misi_scene_destroy(s);

    /* nothing shown is an error, not an empty image */
    misi_scene_desc none = {.hide = MISI_HIDE_POCKET | MISI_HIDE_LIGAND};
    CHECK(misi_scene_create(&cx, &none, &s, &err) == MISI_E_INVALID && s == NULL, "empty scene accepted");
    misi_style style;
    CHECK(misi_style_from_name("spacefill", &style) == 0 && style == MISI_STYLE_SPACEFILL, "style name");
    CHECK(misi_style_from_name("cartoon", &style) == MISI_E_USAGE, "bad style accepted");
    misi_complex_finish(&cx);
    return CHECK_DONE();
}
