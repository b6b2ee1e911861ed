/* Invariants every fuzz target checks on what a reader hands back, so a
 * parser that "succeeds" with an inconsistent molecule is caught as surely as
 * one that crashes. A broken invariant aborts, which libFuzzer reports as a
 * crash and the replay test as a failure. */
#ifndef MISI_FUZZ_CHECK_H
#define MISI_FUZZ_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "misi/mol.h"

#define FUZZ_REQUIRE(cond)                                                                   \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);     \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

/* A failed call: a negative code, words in the message, nothing left behind. */
static inline void fuzz_check_failure(int rc, const misi_error *err, const misi_mol *mol)
{
    FUZZ_REQUIRE(rc < 0);
    FUZZ_REQUIRE(err->code == rc);
    FUZZ_REQUIRE(memchr(err->msg, '\0', sizeof err->msg) != NULL);
    FUZZ_REQUIRE(err->msg[0] != '\0');
    if (mol)
        FUZZ_REQUIRE(mol->top.natoms == 0 && mol->top.atoms == NULL && mol->xyz == NULL &&
                     mol->top.bonds == NULL && mol->top.residues == NULL && mol->path == NULL);
}

/* A molecule a reader accepted: what mol.h promises about it. */
static inline void fuzz_check_mol(const misi_mol *mol)
{
    const misi_topology *t = &mol->top;
    /* No atoms is a valid MOL2/SDF file; the complex loader rejects it. */
    FUZZ_REQUIRE(t->natoms <= MISI_MAX_ATOMS && t->natoms <= mol->atom_cap);
    FUZZ_REQUIRE(t->nbonds <= MISI_MAX_BONDS && t->nbonds <= mol->bond_cap);
    FUZZ_REQUIRE(mol->path != NULL);
    for (uint32_t i = 0; i < 3 * t->natoms; i++)
        FUZZ_REQUIRE(isfinite(mol->xyz[i]) && fabsf(mol->xyz[i]) <= 1e6f);
    for (uint32_t i = 0; i < t->nbonds; i++) {
        const misi_bond *b = &t->bonds[i];
        FUZZ_REQUIRE(b->a < b->b && b->b < t->natoms);
        FUZZ_REQUIRE(b->order <= MISI_BOND_AMIDE);
        /* Deduplicated and sorted by (a, b). */
        if (i > 0)
            FUZZ_REQUIRE(t->bonds[i - 1].a < b->a || (t->bonds[i - 1].a == b->a && t->bonds[i - 1].b < b->b));
    }
    FUZZ_REQUIRE(t->nresidues <= t->natoms && (t->nresidues > 0) == (t->natoms > 0));
    uint32_t next = 0;
    for (uint32_t r = 0; r < t->nresidues; r++) {
        const misi_residue *res = &t->residues[r];
        FUZZ_REQUIRE(res->first == next && res->count > 0);
        next += res->count;
        FUZZ_REQUIRE(memchr(res->name, '\0', sizeof res->name) != NULL);
    }
    FUZZ_REQUIRE(next == t->natoms);
    for (uint32_t i = 0; i < t->natoms; i++) {
        const misi_atom *a = &t->atoms[i];
        FUZZ_REQUIRE(a->residue < t->nresidues);
        FUZZ_REQUIRE(i >= t->residues[a->residue].first &&
                     i < t->residues[a->residue].first + t->residues[a->residue].count);
        FUZZ_REQUIRE(memchr(a->name, '\0', sizeof a->name) != NULL);
        FUZZ_REQUIRE(memchr(a->resname, '\0', sizeof a->resname) != NULL);
        FUZZ_REQUIRE(memchr(a->sybyl, '\0', sizeof a->sybyl) != NULL);
        FUZZ_REQUIRE(((a->flags & MISI_ATOM_HYDROGEN) != 0) == (a->element == 1));
    }
}

#endif
