/* Molecule storage: growth, residue indexing, filtering and adjacency. */
#include "misi/mol.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void misi_mol_init(misi_mol *mol)
{
    memset(mol, 0, sizeof *mol);
}

void misi_mol_finish(misi_mol *mol)
{
    if (!mol)
        return;
    free(mol->top.atoms);
    free(mol->top.bonds);
    free(mol->top.residues);
    free(mol->xyz);
    free(mol->path);
    memset(mol, 0, sizeof *mol);
}

/* Arrays grow to the next power of two of the requested count, so reserving
 * n+1 after n is amortised O(1). */
static uint32_t cap_for(uint32_t n)
{
    uint32_t c = 16;
    while (c < n)
        c *= 2;
    return c;
}

int misi_mol_reserve_atoms(misi_mol *mol, uint32_t natoms, misi_error *err)
{
    if (natoms > MISI_MAX_ATOMS)
        return misi_error_set(err, MISI_E_LIMIT, "%u atoms exceed the limit of %u", natoms, MISI_MAX_ATOMS);
    if (natoms <= mol->atom_cap)
        return MISI_OK;
    uint32_t cap = cap_for(natoms);
    misi_atom *a = realloc(mol->top.atoms, (size_t)cap * sizeof *a);
    if (!a)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for %u atoms", cap);
    mol->top.atoms = a;
    float *x = realloc(mol->xyz, (size_t)cap * 3 * sizeof *x);
    if (!x)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for %u coordinates", cap);
    mol->xyz = x;
    mol->atom_cap = cap;
    return MISI_OK;
}

int misi_mol_reserve_bonds(misi_mol *mol, uint32_t nbonds, misi_error *err)
{
    if (nbonds > MISI_MAX_BONDS)
        return misi_error_set(err, MISI_E_LIMIT, "%u bonds exceed the limit of %u", nbonds, MISI_MAX_BONDS);
    if (nbonds <= mol->bond_cap)
        return MISI_OK;
    uint32_t cap = cap_for(nbonds);
    misi_bond *b = realloc(mol->top.bonds, (size_t)cap * sizeof *b);
    if (!b)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for %u bonds", cap);
    mol->top.bonds = b;
    mol->bond_cap = cap;
    return MISI_OK;
}

int misi_mol_add_bond(misi_mol *mol, uint32_t a, uint32_t b, uint8_t order, misi_error *err)
{
    if (a == b || a >= mol->top.natoms || b >= mol->top.natoms)
        return misi_error_set(err, MISI_E_RANGE, "bond %u-%u out of range (%u atoms)", a, b, mol->top.natoms);
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    int rc = misi_mol_reserve_bonds(mol, mol->top.nbonds + 1, err);
    if (rc)
        return rc;
    mol->top.bonds[mol->top.nbonds++] = (misi_bond){.a = a, .b = b, .order = order};
    return MISI_OK;
}

static bool same_residue(const misi_atom *x, const misi_atom *y)
{
    return x->chain == y->chain && x->resseq == y->resseq && x->icode == y->icode &&
           strcmp(x->resname, y->resname) == 0;
}

int misi_mol_index_residues(misi_mol *mol, misi_error *err)
{
    misi_topology *t = &mol->top;
    free(t->residues);
    t->residues = NULL;
    t->nresidues = 0;
    if (t->natoms == 0)
        return MISI_OK;
    uint32_t n = 1;
    for (uint32_t i = 1; i < t->natoms; i++)
        n += !same_residue(&t->atoms[i - 1], &t->atoms[i]);
    t->residues = calloc(n, sizeof *t->residues);
    if (!t->residues)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for %u residues", n);
    uint32_t r = 0;
    for (uint32_t i = 0; i < t->natoms; i++) {
        if (i > 0 && !same_residue(&t->atoms[i - 1], &t->atoms[i]))
            r++;
        misi_residue *res = &t->residues[r];
        if (res->count == 0) {
            memcpy(res->name, t->atoms[i].resname, sizeof res->name);
            res->chain = t->atoms[i].chain;
            res->icode = t->atoms[i].icode;
            res->seq = t->atoms[i].resseq;
            res->first = i;
        }
        res->count++;
        t->atoms[i].residue = r;
    }
    t->nresidues = n;
    return MISI_OK;
}

int misi_mol_filter(misi_mol *mol, const bool *keep, misi_error *err)
{
    misi_topology *t = &mol->top;
    uint32_t *map = malloc((size_t)(t->natoms ? t->natoms : 1) * sizeof *map);
    if (!map)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory filtering %u atoms", t->natoms);
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->natoms; i++) {
        if (keep[i]) {
            map[i] = n;
            if (n != i) {
                t->atoms[n] = t->atoms[i];
                memcpy(&mol->xyz[3 * n], &mol->xyz[3 * i], 3 * sizeof(float));
            }
            n++;
        } else {
            map[i] = UINT32_MAX;
        }
    }
    uint32_t nb = 0;
    for (uint32_t i = 0; i < t->nbonds; i++) {
        misi_bond b = t->bonds[i];
        if (map[b.a] == UINT32_MAX || map[b.b] == UINT32_MAX)
            continue;
        b.a = map[b.a];
        b.b = map[b.b];
        t->bonds[nb++] = b;
    }
    free(map);
    t->natoms = n;
    t->nbonds = nb;
    return misi_mol_index_residues(mol, err);
}

uint32_t misi_mol_heavy_count(const misi_mol *mol)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < mol->top.natoms; i++)
        n += !(mol->top.atoms[i].flags & MISI_ATOM_HYDROGEN);
    return n;
}

int misi_mol_check_finite(const misi_mol *mol, misi_error *err)
{
    for (uint32_t i = 0; i < mol->top.natoms; i++) {
        const float *p = &mol->xyz[3 * i];
        if (!isfinite(p[0]) || !isfinite(p[1]) || !isfinite(p[2]) || fabsf(p[0]) > 1e6f ||
            fabsf(p[1]) > 1e6f || fabsf(p[2]) > 1e6f)
            return misi_error_at(err, MISI_E_RANGE, mol->path, 0,
                                 "atom %u (%s, serial %u) has a non-finite or absurd coordinate",
                                 i + 1, mol->top.atoms[i].name, mol->top.atoms[i].serial);
    }
    return MISI_OK;
}

void misi_complex_init(misi_complex *cx)
{
    memset(cx, 0, sizeof *cx);
}

void misi_complex_finish(misi_complex *cx)
{
    if (!cx)
        return;
    misi_mol_finish(&cx->pocket);
    misi_mol_finish(&cx->ligand);
    memset(cx, 0, sizeof *cx);
}

int misi_adjacency_build(const misi_topology *top, misi_adjacency *adj, misi_error *err)
{
    memset(adj, 0, sizeof *adj);
    adj->start = calloc((size_t)top->natoms + 1, sizeof *adj->start);
    adj->nbr = malloc(((size_t)top->nbonds * 2 + 1) * sizeof *adj->nbr);
    adj->bond = malloc(((size_t)top->nbonds * 2 + 1) * sizeof *adj->bond);
    if (!adj->start || !adj->nbr || !adj->bond) {
        misi_adjacency_finish(adj);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for adjacency");
    }
    for (uint32_t i = 0; i < top->nbonds; i++) {
        adj->start[top->bonds[i].a + 1]++;
        adj->start[top->bonds[i].b + 1]++;
    }
    for (uint32_t i = 0; i < top->natoms; i++)
        adj->start[i + 1] += adj->start[i];
    uint32_t *fill = calloc((size_t)top->natoms + 1, sizeof *fill);
    if (!fill) {
        misi_adjacency_finish(adj);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for adjacency");
    }
    for (uint32_t i = 0; i < top->nbonds; i++) {
        uint32_t a = top->bonds[i].a, b = top->bonds[i].b;
        uint32_t pa = adj->start[a] + fill[a]++;
        uint32_t pb = adj->start[b] + fill[b]++;
        adj->nbr[pa] = b;
        adj->bond[pa] = i;
        adj->nbr[pb] = a;
        adj->bond[pb] = i;
    }
    free(fill);
    return MISI_OK;
}

void misi_adjacency_finish(misi_adjacency *adj)
{
    if (!adj)
        return;
    free(adj->start);
    free(adj->nbr);
    free(adj->bond);
    memset(adj, 0, sizeof *adj);
}

static int bond_cmp(const void *x, const void *y)
{
    const misi_bond *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return (int)q->order - (int)p->order; /* higher order first */
}

void misi_mol_dedup_bonds(misi_mol *mol)
{
    misi_topology *t = &mol->top;
    if (t->nbonds < 2)
        return;
    qsort(t->bonds, t->nbonds, sizeof *t->bonds, bond_cmp);
    uint32_t n = 1;
    for (uint32_t i = 1; i < t->nbonds; i++) {
        if (t->bonds[i].a == t->bonds[n - 1].a && t->bonds[i].b == t->bonds[n - 1].b)
            continue;
        t->bonds[n++] = t->bonds[i];
    }
    t->nbonds = n;
}
