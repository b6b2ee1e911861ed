/* Hand-built geometries for the H-bond tests: molecules assembled atom by atom
 * in memory, small vector helpers, and a one-call "build the context, judge
 * one pair" wrapper with assertions that name the deciding criterion. */
#ifndef MISI_TEST_HBOND_BUILDER_H
#define MISI_TEST_HBOND_BUILDER_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "misi/hbond.h"
#include "misi/mol.h"

/* meson registers each test by name; the name is the test filter. */
#define RUN_TESTS(tests, argc, argv)                                                                         \
    do {                                                                                                     \
        if ((argc) > 1)                                                                                      \
            cmocka_set_test_filter((argv)[1]);                                                               \
        return cmocka_run_group_tests(tests, NULL, NULL);                                                    \
    } while (0)

typedef struct tb_vec {
    float x, y, z;
} tb_vec;

tb_vec tb_v(float x, float y, float z);
tb_vec tb_add(tb_vec a, tb_vec b);
tb_vec tb_sub(tb_vec a, tb_vec b);
tb_vec tb_scale(tb_vec a, float s);
tb_vec tb_unit(tb_vec a);
tb_vec tb_cross(tb_vec a, tb_vec b);
float tb_dot(tb_vec a, tb_vec b);
float tb_len(tb_vec a);
/* p + r * v (v normalised first). */
tb_vec tb_along(tb_vec p, tb_vec v, float r);
/* Unit vector in the xy-plane at deg degrees from +x (counter-clockwise). */
tb_vec tb_xy(float deg);
/* Unit vector at deg degrees from axis, turned towards ref (ref projected
 * perpendicular to axis): cos(deg) * axis + sin(deg) * perp. */
tb_vec tb_tilt(tb_vec axis, tb_vec ref, float deg);
/* Angle at b, degrees. */
float tb_angle(tb_vec a, tb_vec b, tb_vec c);

/* ---- molecules ---- */

/* Append an atom: element by symbol ("C", "Zn"), sybyl "" for none. Residue
 * fields as given, chain ' ', icode ' '. Returns the atom index. */
uint32_t tb_atom(misi_mol *m, const char *name, const char *resname, int resseq, const char *element,
                 const char *sybyl, tb_vec p);
void tb_bond(misi_mol *m, uint32_t a, uint32_t b, uint8_t order);
tb_vec tb_pos(const misi_mol *m, uint32_t i);
/* Move an atom after it was added (before the context is built). */
void tb_move(misi_mol *m, uint32_t i, tb_vec p);

/* A complex under construction; call tb_ready once all atoms are in. */
typedef struct tb_complex {
    misi_complex cx;
    misi_hb_context *ctx;
    misi_hbond_config cfg;
} tb_complex;

void tb_init(tb_complex *t);
/* Index residues of both sides and build the H-bond context. */
void tb_ready(tb_complex *t);
void tb_free(tb_complex *t);
/* Judge one pair: donor on the pocket (ligand_donates false) or the ligand. */
bool tb_eval(tb_complex *t, bool ligand_donates, uint32_t donor, uint32_t acceptor, misi_hb_eval *ev);
misi_hb_atom_type tb_type(tb_complex *t, bool ligand, uint32_t atom);

/* Print the tests of a verdict (for failure messages). */
void tb_print_eval(const misi_hb_eval *ev);
/* The verdict passed / failed with `name` as the first failing test. */
void tb_assert_pass_(const misi_hb_eval *ev, const char *file, int line);
void tb_assert_fail_(const misi_hb_eval *ev, const char *name, const char *file, int line);
#define assert_hb_pass(ev) tb_assert_pass_((ev), __FILE__, __LINE__)
#define assert_hb_fail(ev, name) tb_assert_fail_((ev), (name), __FILE__, __LINE__)
/* The verdict holds a test called name; returns it (NULL if absent). */
const misi_hb_test *tb_find_test(const misi_hb_eval *ev, const char *name);

/* ---- fragments ----
 * Donor residues for the pocket. Each takes the donor position and the
 * direction its first heavy neighbour X lies in (unit vector from D). */

/* CYS: CA, CB, SG with CB at D + 1.82 * xdir. Returns SG. */
uint32_t tb_cys(misi_mol *m, int resseq, tb_vec sg, tb_vec xdir);
/* SER: CA, CB, OG with CB at D + 1.43 * xdir. Returns OG. */
uint32_t tb_ser(misi_mol *m, int resseq, tb_vec og, tb_vec xdir);
/* TYR: CE1, CZ, CE2, OH (CZ at D + 1.36 * xdir). Returns OH. */
uint32_t tb_tyr(misi_mol *m, int resseq, tb_vec oh, tb_vec xdir);
/* LYS: CD, CE, NZ (CE at D + 1.49 * xdir). Returns NZ. */
uint32_t tb_lys(misi_mol *m, int resseq, tb_vec nz, tb_vec xdir);
/* Planar donors whose hydrogens are placed: hdir is where the (first) H
 * should point, pn the normal of the group's plane. */
/* Backbone: residue resseq-1 (CA, C, O) then resseq (N, CA); CA(i) and C(i-1)
 * at +-120 degrees from hdir in the plane normal to pn. Returns N. */
uint32_t tb_backbone_nh(misi_mol *m, int resseq, tb_vec n, tb_vec hdir, tb_vec pn);
/* ASN: CB, CG, OD1, ND2 with the first placed H of ND2 along hdir. Returns ND2. */
uint32_t tb_asn(misi_mol *m, int resseq, tb_vec nd2, tb_vec hdir, tb_vec pn);
/* ARG: CD, NE, CZ, NH1, NH2. arg_ne: H of NE along hdir; returns NE.
 * arg_nh1: first H of NH1 along hdir; returns NH1. */
uint32_t tb_arg_ne(misi_mol *m, int resseq, tb_vec ne, tb_vec hdir, tb_vec pn);
uint32_t tb_arg_nh1(misi_mol *m, int resseq, tb_vec nh1, tb_vec hdir, tb_vec pn);
/* TRP: CG, CD1, NE1, CE2, CD2 ring; H of NE1 along hdir. Returns NE1. */
uint32_t tb_trp(misi_mol *m, int resseq, tb_vec ne1, tb_vec hdir, tb_vec pn);
/* HIS: CB, CG, ND1, CE1, NE2, CD2; ND1 at nd1, its outer bisector along hdir.
 * Returns ND1. */
uint32_t tb_his_nd1(misi_mol *m, int resseq, tb_vec nd1, tb_vec hdir, tb_vec pn);

/* Regular ring polygon: n atoms, first at p0, centre along `inward` from p0,
 * in the plane normal to pn, edge length `edge`. Fills idx[0..n) with the
 * atoms created from names[]/elements[]/sybyl[] (sybyl may be NULL). Bonds
 * the ring with `order`. */
void tb_ring(misi_mol *m, int n, const char *const *names, const char *const *elements,
             const char *const *sybyl, const char *resname, int resseq, tb_vec p0, tb_vec inward, tb_vec pn,
             float edge, uint8_t order, uint32_t *idx);

#endif

/* Ligand acceptor fragments: the acceptor at the origin, its bonded atoms on
 * the +x side in the xy-plane (base point / P on +x), so a donor along -x is
 * ideal and a donor at r * tb_xy(alpha) sees phi (or P-A...D) = |alpha|.
 * Types given as MOL2 Sybyl types. Carboxylate: the other O lies at y > 0
 * (the syn side). Returns the acceptor atom. */
uint32_t tb_acceptor(misi_mol *m, misi_acc_class kind);

/* Pocket acceptor: backbone carbonyl O of ALA 1 at `o`, C along +x from it,
 * CA and N(ALA 2) in the xy-plane. Returns O. */
uint32_t tb_backbone_o(misi_mol *m, tb_vec o);

/* Ligand charged amines N.4 at n with heavy neighbours 2 or 3 (C.3) arranged
 * so that the (first) tetrahedral H the finder places points along hdir. */
uint32_t tb_r3nh(misi_mol *m, tb_vec n, tb_vec hdir);
uint32_t tb_r2nh2(misi_mol *m, tb_vec n, tb_vec hdir);
