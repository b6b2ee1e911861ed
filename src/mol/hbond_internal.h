/* Shared between the H-bond typing (hbond_types.c) and the criteria (hbond.c). */
#ifndef MISI_HBOND_INTERNAL_H
#define MISI_HBOND_INTERNAL_H

#include "misi/hbond.h"

/* Distance from a placed hydrogen to its donor (HBONDS.md). */
#define MISI_HB_PLACED_H_LENGTH 0.91f

/* One side of the complex with everything the criteria look at. */
typedef struct hb_side {
    const misi_mol *mol;
    misi_adjacency adj;
    misi_hb_atom_type *type;
    uint8_t *ring;     /* size of the smallest ring through the atom; 0 = none */
    uint32_t *hstart;  /* natoms + 1: hydrogens of atom i are hpos[hstart[i]..hstart[i+1]) */
    float *hpos;       /* 3 per hydrogen */
    int32_t *hidx;     /* explicit H atom index, or -1 for a placed one */
    uint8_t *order;    /* pocket: bond orders perceived from geometry near hetero groups; NULL = the file's */
    uint8_t *group;    /* pocket: misi_hb_group_typing per residue; NULL on the ligand side */
    uint8_t *hop;      /* per covalent link, per atom: bonds from the link atom (255 = farther) */
} hb_side;

/* Pairs this many bonds apart or fewer across a covalent link are not H-bonds. */
#define MISI_HB_LINK_MIN_BONDS 3

struct misi_hb_context {
    const misi_complex *cx;
    uint32_t nlinks; /* covalent links used (cx->covalent, at most MISI_MAX_COVALENT_LINKS) */
    misi_hbond_config cfg;
    hb_side side[2]; /* 0 = pocket, 1 = ligand */
    float *metals;   /* 3 per metal atom of either side */
    uint32_t nmetals;
};

/* Type every atom of a side and place hydrogens (hbond_types.c). */
int hb_side_prepare(hb_side *s, const misi_mol *mol, bool ligand, const misi_hbond_config *cfg,
                    misi_error *err);
void hb_side_finish(hb_side *s);

/* True for the donor classes whose H positions are fixed by the heavy atoms. */
bool hb_donor_is_planar_n(int don);
bool hb_donor_is_rotatable(int don);

static inline float hb_dist(const float *a, const float *b)
{
    float dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return __builtin_sqrtf(dx * dx + dy * dy + dz * dz);
}

/* Angle at b in degrees, 0..180. */
float hb_angle(const float *a, const float *b, const float *c);

#endif
