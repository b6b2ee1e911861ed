/* Bond perception for PDB input, which lists few or no bonds: covalent radii
 * within a residue, peptide bonds between consecutive residues, disulfides.
 * Candidate pairs come from a uniform cell grid so 10k-atom pockets cost
 * roughly linear time. */
#include "misi/mol.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define COVALENT_TOLERANCE 0.45f /* Å added to the sum of covalent radii */
#define MIN_BOND_DISTANCE 0.4f   /* closer than this is a clash or a duplicate, not a bond */
#define PEPTIDE_MAX 2.0f
#define DISULFIDE_MAX 2.5f

typedef struct grid {
    float origin[3], cell;
    uint32_t dim[3];
    uint32_t *start; /* ncells + 1 */
    uint32_t *atom;  /* atom indices sorted by cell */
} grid;

static uint32_t cell_coord(float v, float origin, float cell, uint32_t dim)
{
    float c = floorf((v - origin) / cell);
    if (!(c >= 0.0f))
        return 0;
    return c >= (float)dim ? dim - 1 : (uint32_t)c;
}

static size_t cell_of(const grid *g, const float *p)
{
    size_t x = cell_coord(p[0], g->origin[0], g->cell, g->dim[0]);
    size_t y = cell_coord(p[1], g->origin[1], g->cell, g->dim[1]);
    size_t z = cell_coord(p[2], g->origin[2], g->cell, g->dim[2]);
    return (z * g->dim[1] + y) * g->dim[0] + x;
}

/* Cells at least `reach` wide; on a sparse, spread-out structure the cell grows
 * until the grid has no more than about 8 cells per atom. */
static int grid_build(grid *g, const misi_mol *mol, float reach, misi_error *err)
{
    uint32_t n = mol->top.natoms;
    float lo[3] = {mol->xyz[0], mol->xyz[1], mol->xyz[2]}, hi[3] = {lo[0], lo[1], lo[2]};
    for (uint32_t i = 1; i < n; i++)
        for (int k = 0; k < 3; k++) {
            float v = mol->xyz[3 * (size_t)i + k];
            lo[k] = v < lo[k] ? v : lo[k];
            hi[k] = v > hi[k] ? v : hi[k];
        }
    float cell = reach;
    size_t ncells, max_cells = (size_t)n * 8 + 8;
    for (;;) {
        ncells = 1;
        for (int k = 0; k < 3; k++) {
            double d = floor((double)(hi[k] - lo[k]) / cell) + 1.0;
            g->dim[k] = d > 1e6 ? 1000000u : (uint32_t)d;
            ncells *= g->dim[k];
            if (ncells > max_cells)
                break;
        }
        if (ncells <= max_cells)
            break;
        cell *= 2.0f;
    }
    memcpy(g->origin, lo, sizeof lo);
    g->cell = cell;
    g->start = calloc(ncells + 1, sizeof *g->start);
    g->atom = malloc((size_t)(n ? n : 1) * sizeof *g->atom);
    if (!g->start || !g->atom) {
        free(g->start);
        free(g->atom);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for a %zu-cell grid", ncells);
    }
    for (uint32_t i = 0; i < n; i++)
        g->start[cell_of(g, &mol->xyz[3 * (size_t)i]) + 1]++;
    for (size_t c = 0; c < ncells; c++)
        g->start[c + 1] += g->start[c];
    uint32_t *fill = calloc(ncells, sizeof *fill);
    if (!fill) {
        free(g->start);
        free(g->atom);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for a %zu-cell grid", ncells);
    }
    for (uint32_t i = 0; i < n; i++) {
        size_t c = cell_of(g, &mol->xyz[3 * (size_t)i]);
        g->atom[g->start[c] + fill[c]++] = i;
    }
    free(fill);
    return MISI_OK;
}

static float dist2(const float *p, const float *q)
{
    float dx = p[0] - q[0], dy = p[1] - q[1], dz = p[2] - q[2];
    return dx * dx + dy * dy + dz * dz;
}

/* Whether i and j (i < j in atom order) should be bonded. `listed[r]`: the
 * file's CONECT records already bond residue r internally, and are taken as
 * its connectivity. */
static bool bonded(const misi_mol *mol, const bool *listed, uint32_t i, uint32_t j, float d2)
{
    const misi_atom *a = &mol->top.atoms[i], *b = &mol->top.atoms[j];
    if (d2 <= MIN_BOND_DISTANCE * MIN_BOND_DISTANCE)
        return false;
    /* Metal coordination is not covalent bonding and would draw spurious sticks. */
    if ((a->flags | b->flags) & MISI_ATOM_METAL)
        return false;
    if ((a->flags & b->flags) & MISI_ATOM_HYDROGEN)
        return false;
    if (a->residue == b->residue) {
        if (listed[a->residue])
            return false;
        float r = misi_element_covalent_radius(a->element) + misi_element_covalent_radius(b->element) +
                  COVALENT_TOLERANCE;
        return d2 <= r * r;
    }
    if (strcmp(a->name, "SG") == 0 && strcmp(b->name, "SG") == 0 && a->element == 16 && b->element == 16)
        return d2 <= DISULFIDE_MAX * DISULFIDE_MAX;
    if (a->chain != b->chain)
        return false;
    const misi_atom *c = NULL, *n = NULL;
    if (strcmp(a->name, "C") == 0 && strcmp(b->name, "N") == 0) {
        c = a;
        n = b;
    } else if (strcmp(a->name, "N") == 0 && strcmp(b->name, "C") == 0) {
        c = b;
        n = a;
    }
    if (!c || n->residue != c->residue + 1)
        return false;
    return d2 <= PEPTIDE_MAX * PEPTIDE_MAX;
}

int misi_perceive_bonds(misi_mol *mol, misi_error *err)
{
    uint32_t n = mol->top.natoms;
    if (n < 2)
        return MISI_OK;
    int rc;
    if (mol->top.nresidues == 0) {
        rc = misi_mol_index_residues(mol, err);
        if (rc)
            return rc;
    }
    float rmax = 0.0f;
    for (uint32_t i = 0; i < n; i++) {
        if (mol->top.atoms[i].flags & MISI_ATOM_METAL)
            continue;
        float r = misi_element_covalent_radius(mol->top.atoms[i].element);
        rmax = r > rmax ? r : rmax;
    }
    float reach = 2.0f * rmax + COVALENT_TOLERANCE;
    if (reach < DISULFIDE_MAX)
        reach = DISULFIDE_MAX;
    bool *listed = calloc((size_t)mol->top.nresidues + 1, sizeof *listed);
    if (!listed)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for %u residues", mol->top.nresidues);
    for (uint32_t k = 0; k < mol->top.nbonds; k++) {
        const misi_atom *a = &mol->top.atoms[mol->top.bonds[k].a], *b = &mol->top.atoms[mol->top.bonds[k].b];
        if (a->residue == b->residue)
            listed[a->residue] = true;
    }
    grid g;
    rc = grid_build(&g, mol, reach, err);
    if (rc) {
        free(listed);
        return rc;
    }
    float reach2 = reach * reach;
    for (uint32_t z = 0; z < g.dim[2] && !rc; z++)
        for (uint32_t y = 0; y < g.dim[1] && !rc; y++)
            for (uint32_t x = 0; x < g.dim[0] && !rc; x++) {
                size_t c = ((size_t)z * g.dim[1] + y) * g.dim[0] + x;
                for (uint32_t p = g.start[c]; p < g.start[c + 1] && !rc; p++) {
                    uint32_t i = g.atom[p];
                    const float *pi = &mol->xyz[3 * (size_t)i];
                    /* Visit each neighbouring cell; count a pair once, from its lower index. */
                    for (int dz = -1; dz <= 1 && !rc; dz++)
                        for (int dy = -1; dy <= 1 && !rc; dy++)
                            for (int dx = -1; dx <= 1 && !rc; dx++) {
                                long nx = (long)x + dx, ny = (long)y + dy, nz = (long)z + dz;
                                if (nx < 0 || ny < 0 || nz < 0 || nx >= (long)g.dim[0] ||
                                    ny >= (long)g.dim[1] || nz >= (long)g.dim[2])
                                    continue;
                                size_t d = ((size_t)nz * g.dim[1] + (size_t)ny) * g.dim[0] + (size_t)nx;
                                for (uint32_t q = g.start[d]; q < g.start[d + 1]; q++) {
                                    uint32_t j = g.atom[q];
                                    if (j <= i)
                                        continue;
                                    float d2 = dist2(pi, &mol->xyz[3 * (size_t)j]);
                                    if (d2 > reach2 || !bonded(mol, listed, i, j, d2))
                                        continue;
                                    rc = misi_mol_add_bond(mol, i, j, MISI_BOND_UNKNOWN, err);
                                    if (rc)
                                        break;
                                }
                            }
                }
            }
    free(g.start);
    free(g.atom);
    free(listed);
    if (rc)
        return rc;
    misi_mol_dedup_bonds(mol);
    return MISI_OK;
}
