/* Pocket–ligand hydrogen bonds: typing, hydrogen placement and the relaxed
 * Mills & Dean criteria of ../shared/HBONDS.md (docs/hbonds.md says how each
 * open point was settled). Every reported bond carries the numbers it was
 * judged on, so a user can audit it. */
#ifndef MISI_HBOND_H
#define MISI_HBOND_H

#include <stdbool.h>
#include <stdint.h>

#include "misi/mol.h"

/* Acceptor classes: one row each of the acceptor table. */
typedef enum misi_acc_class {
    MISI_ACC_NONE = 0,
    MISI_ACC_CARBOXYLATE,
    MISI_ACC_CARBONYL,      /* amide / ketone / other planar C=O */
    MISI_ACC_ESTER_CARBONYL,/* ester or acid C=O */
    MISI_ACC_HYDROXYL,
    MISI_ACC_PHENOL,
    MISI_ACC_WATER,
    MISI_ACC_ETHER,         /* non-ring ether O */
    MISI_ACC_RING5_O,
    MISI_ACC_O3_TWO_BOND,   /* other two-bond O3 (6-ring ethers, ...) */
    MISI_ACC_PHOSPHATE,     /* phosphate O3- */
    MISI_ACC_SULFONYL,      /* sulfonyl / sulfate O3- */
    MISI_ACC_RING6_N_SYM,
    MISI_ACC_RING6_N_ASYM,
    MISI_ACC_RING5_N_SYM,
    MISI_ACC_RING5_N_ASYM,
    MISI_ACC_IMINE,         /* non-ring C=N-C */
    MISI_ACC_NITRILE,
    MISI_ACC_THIOCARBONYL,
    MISI_ACC_COUNT
} misi_acc_class;

/* Donor classes: one row each of the donor table. */
typedef enum misi_don_class {
    MISI_DON_NONE = 0,
    MISI_DON_HYDROXYL,
    MISI_DON_PHENOL,
    MISI_DON_NH3,           /* NH3+ (and other rotatable charged NH) */
    MISI_DON_AMIDE_NH2,
    MISI_DON_NG_NH2,        /* Ng+ or amidine NH2 */
    MISI_DON_NH,            /* backbone or amide NH, other planar NH */
    MISI_DON_RING5_NH,      /* His, Trp, 5-ring aromatic NH */
    MISI_DON_RING6_NH,      /* 6-ring aromatic NH: NH criteria plus phi >= 130 */
    MISI_DON_ARG_NE,        /* Arg NE and other Ng+ NH */
    MISI_DON_R2NH2,
    MISI_DON_R3NH,
    MISI_DON_WATER,
    MISI_DON_THIOL,
    MISI_DON_COUNT
} misi_don_class;

/* Per-atom chemistry the finder needs. */
typedef struct misi_hb_atom_type {
    uint8_t acc;      /* misi_acc_class */
    uint8_t don;      /* misi_don_class */
    uint8_t nheavy;   /* heavy-atom neighbours */
    uint8_t nh;       /* hydrogens: explicit, or implied by the type's valence */
} misi_hb_atom_type;

/* Configuration; zero means default (the relaxed numbers of HBONDS.md as
 * given). The slops are added to every distance cutoff and widen every angle
 * range (lower bounds minus, upper bounds plus, capped at 180); -0.4 and -20
 * give back Mills & Dean's unrelaxed criteria. */
typedef struct misi_hbond_config {
    float distance_slop;
    float angle_slop;
    /* Use hydrogen positions of rotatable groups (OH, NH3+, SH) when the file
     * has them. Off by default: such hydrogens are modelled, not observed. */
    bool rotatable_h;
} misi_hbond_config;

enum { MISI_HB_POCKET_DONATES = 1, MISI_HB_LIGAND_DONATES = 2, MISI_HB_BOTH_DONATE = 3 };

#define MISI_HB_MAX_TESTS 12

/* One criterion as it was applied: name ("D..A", "H..A", "theta", "phi",
 * "upsilon_D", "upsilon_A", "X-A..D", "metal"), the measured value and the
 * range it had to fall in. */
typedef struct misi_hb_test {
    const char *name;
    float value;
    float lo, hi; /* distances: lo = 0; angles: hi = 180 when only a lower bound */
    bool passed;
} misi_hb_test;

/* The verdict on one donor/acceptor pair in one direction. */
typedef struct misi_hb_eval {
    bool passed;
    uint8_t acc, don;          /* classes used */
    int32_t hydrogen;          /* index of the explicit H used, -1 = placed, -2 = none */
    float h_xyz[3];            /* position of the H used when hydrogen != -2 */
    misi_hb_test tests[MISI_HB_MAX_TESTS];
    uint8_t ntests;
    int8_t failed;             /* index into tests of the first failure, -1 when passed */
} misi_hb_eval;

typedef struct misi_hbond {
    uint32_t pocket_atom;
    uint32_t ligand_atom;
    uint8_t donates;   /* MISI_HB_*_DONATE(S) */
    float distance;    /* D...A */
    misi_hb_eval eval; /* the direction that passed (pocket donor first when both) */
} misi_hbond;

typedef struct misi_hbond_list {
    misi_hbond *items;
    size_t count;
} misi_hbond_list;

/* Typing of both sides and hydrogen placement, prepared once per complex. */
typedef struct misi_hb_context misi_hb_context;

/* Build the context (types, neighbour lists, placed hydrogens). The complex
 * must outlive the context. Free with misi_hb_context_destroy. */
int misi_hb_context_create(const misi_complex *cx, const misi_hbond_config *cfg, misi_hb_context **out,
                           misi_error *err);
void misi_hb_context_destroy(misi_hb_context *ctx);

/* Types assigned to an atom of the pocket (ligand = false) or the ligand. */
misi_hb_atom_type misi_hb_type(const misi_hb_context *ctx, bool ligand, uint32_t atom);

/* How a pocket group (residue) was typed. */
typedef enum misi_hb_group_typing {
    MISI_HB_GROUP_TEMPLATE = 0, /* one of the standard amino acids: HBONDS.md's templates */
    MISI_HB_GROUP_STRUCTURE,    /* any other group: from its elements, bonds and geometry */
    MISI_HB_GROUP_METAL,        /* metal ions only: neither donor nor acceptor */
    MISI_HB_GROUP_WATER,        /* a lone O kept with --keep-waters: not typed (no water-mediated bonds) */
} misi_hb_group_typing;

/* Typing of pocket residue `residue` (index into the pocket's residues). */
int misi_hb_group_typing_of(const misi_hb_context *ctx, uint32_t residue);
/* "template", "structure", "metal" or "water". */
const char *misi_hb_group_typing_name(int typing);

/* Judge one pair in one direction: donor on side donor_is_ligand. Always
 * fills ev (ev->failed tells which criterion decided); returns ev->passed. */
bool misi_hb_evaluate(const misi_hb_context *ctx, bool donor_is_ligand, uint32_t donor, uint32_t acceptor,
                      misi_hb_eval *ev);

/* Every pocket–ligand H-bond, sorted by pocket residue (file order), pocket
 * atom, then ligand atom. The list owns its items: misi_hbond_list_finish. */
int misi_hbonds_find(const misi_hb_context *ctx, misi_hbond_list *out, misi_error *err);
void misi_hbond_list_finish(misi_hbond_list *list);

/* Machine form (cJSON, src/mol/hbond_json.c): the bond as `misi hbonds
 * --json` prints it; the caller owns the returned object. */
struct cJSON;
struct cJSON *misi_hbond_json(const misi_complex *cx, const misi_hbond *hb);
struct cJSON *misi_hb_tests_json(const misi_hb_eval *ev);
/* Add residue, number, icode, chain, residue_atom, ligand_atom to o. */
void misi_hb_pair_json(struct cJSON *o, const misi_complex *cx, uint32_t pocket_atom, uint32_t ligand_atom);
/* "residue", "ligand" or "both". */
const char *misi_hb_donor_word(int donates);

const char *misi_acc_class_name(int acc);
const char *misi_don_class_name(int don);

#endif
