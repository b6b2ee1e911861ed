/* The structure model: atoms, bonds and residues (the topology) kept apart from
 * coordinates, the way molecular programs store them.
 *
 * Indices are 0-based everywhere; readers convert the files' 1-based serials
 * at the border. Coordinates are one flat float array xyz[3 * natoms] that
 * uploads to the GPU unchanged. */
#ifndef MISI_MOL_H
#define MISI_MOL_H

#include <stdbool.h>
#include <stdint.h>

#include "misi/error.h"

/* Hard limits; a file beyond them gets MISI_E_LIMIT, not an allocation failure. */
#define MISI_MAX_ATOMS 1000000u
#define MISI_MAX_BONDS 4000000u

/* Bond orders as stored in misi_bond.order. 0 = unknown (e.g. perceived from
 * distance in a PDB file and not yet typed). */
enum {
    MISI_BOND_UNKNOWN = 0,
    MISI_BOND_SINGLE = 1,
    MISI_BOND_DOUBLE = 2,
    MISI_BOND_TRIPLE = 3,
    MISI_BOND_AROMATIC = 4, /* MOL2 "ar", SDF 4 */
    MISI_BOND_AMIDE = 5,    /* MOL2 "am" */
};

/* misi_atom.flags */
enum {
    MISI_ATOM_HETATM = 1u << 0,    /* PDB HETATM record */
    MISI_ATOM_HYDROGEN = 1u << 1,  /* element H (kept for chemistry, hidden in images) */
    MISI_ATOM_METAL = 1u << 2,     /* metal ion (see misi_element_is_metal) */
    MISI_ATOM_QUALIFIED = 1u << 3, /* ligand name shared with another atom: "#<n>" added (complex.c) */
};

/* Longest atom name a file may give. MOL2 and SDF-derived names run past
 * PDB's four columns; a longer one is a reader error naming file and line. */
#define MISI_ATOM_NAME_MAX 16
/* Room for a name plus the duplicate qualifier "#<atom number>" (up to 10
 * digits) and the NUL. */
#define MISI_ATOM_NAME_CAP (MISI_ATOM_NAME_MAX + 12)

typedef struct misi_atom {
    char name[MISI_ATOM_NAME_CAP]; /* atom name as the file gives it, blanks trimmed: "CA", "OCARB_A" */
    char resname[4];   /* residue name, blanks trimmed: "ARG"; ligands: their residue name */
    char sybyl[8];     /* MOL2 Sybyl type ("N.ar"); "" when the file gave none */
    char chain;        /* chain id; ' ' when none */
    char icode;        /* insertion code; ' ' when none */
    char altloc;       /* the alternate location kept; ' ' when none */
    uint8_t element;   /* atomic number; 0 = unknown */
    int8_t charge;     /* formal charge */
    uint8_t flags;     /* MISI_ATOM_* */
    int32_t resseq;    /* residue number */
    uint32_t residue;  /* index into misi_topology.residues */
    uint32_t serial;   /* serial number in the source file */
} misi_atom;

typedef struct misi_bond {
    uint32_t a, b; /* atom indices, a < b */
    uint8_t order; /* MISI_BOND_* */
} misi_bond;

typedef struct misi_residue {
    char name[4];
    char chain;
    char icode;
    int32_t seq;
    uint32_t first; /* first atom index; atoms of a residue are contiguous */
    uint32_t count;
} misi_residue;

typedef struct misi_topology {
    misi_atom *atoms;
    uint32_t natoms;
    misi_bond *bonds;
    uint32_t nbonds;
    misi_residue *residues;
    uint32_t nresidues;
} misi_topology;

/* One molecule or one set of residues: topology plus coordinates. */
typedef struct misi_mol {
    misi_topology top;
    float *xyz; /* 3 * top.natoms */
    char *path; /* file it came from (owned); NULL when built in memory */
    uint32_t atom_cap, bond_cap; /* allocated lengths of atoms/xyz and bonds */
} misi_mol;

/* A ligand–pocket atom pair within covalent distance: a covalently bound
 * ligand (sum of covalent radii + MISI_COVALENT_TOLERANCE). */
typedef struct misi_covalent_link {
    uint32_t pocket_atom, ligand_atom;
    float distance;
} misi_covalent_link;

#define MISI_COVALENT_TOLERANCE 0.45f /* Å, the same as bond perception within a residue */
#define MISI_MAX_COVALENT_LINKS 8     /* links kept; ncovalent counts them all */

/* A pocket and its ligand, as one PDBbind folder or an explicit pair. */
typedef struct misi_complex {
    char id[64];
    misi_mol pocket;
    misi_mol ligand;
    /* Ligand atoms whose name another ligand atom shares (case-insensitively,
     * as answers compare names): each got "#<its atom number in the file>"
     * (flag MISI_ATOM_QUALIFIED), so every answer names one atom. */
    uint32_t nqualified;
    /* Covalent ligand: ncovalent > 0. The first MISI_MAX_COVALENT_LINKS
     * pairs, shortest first. Tasks that move the ligand apart skip such a
     * complex; the H-bond finder ignores pairs near the link. */
    uint32_t ncovalent;
    misi_covalent_link covalent[MISI_MAX_COVALENT_LINKS];
} misi_complex;

/* ---- molecules (src/mol/mol.c) ---- */

/* Zero a molecule. */
void misi_mol_init(misi_mol *mol);
/* Free everything a molecule owns and zero it; NULL is a no-op. */
void misi_mol_finish(misi_mol *mol);
/* Make sure there is room for natoms atoms / nbonds bonds (keeps contents). */
int misi_mol_reserve_atoms(misi_mol *mol, uint32_t natoms, misi_error *err);
int misi_mol_reserve_bonds(misi_mol *mol, uint32_t nbonds, misi_error *err);
/* Append a bond (a != b, both < natoms). Does not look for duplicates: call
 * misi_mol_dedup_bonds once after adding bonds from sources that repeat them
 * (CONECT lists each bond from both ends). */
int misi_mol_add_bond(misi_mol *mol, uint32_t a, uint32_t b, uint8_t order, misi_error *err);
/* Sort bonds by (a, b) and drop repeats, keeping the highest order. */
void misi_mol_dedup_bonds(misi_mol *mol);
/* Rebuild top.residues from the atoms' (chain, resseq, icode, resname), in
 * order of appearance, and set every atom's .residue. */
int misi_mol_index_residues(misi_mol *mol, misi_error *err);
/* Remove atoms for which keep[i] is false, renumbering bonds and residues. */
int misi_mol_filter(misi_mol *mol, const bool *keep, misi_error *err);
/* Number of heavy (non-hydrogen) atoms. */
uint32_t misi_mol_heavy_count(const misi_mol *mol);
/* Check every coordinate is finite; error names mol->path and the atom. */
int misi_mol_check_finite(const misi_mol *mol, misi_error *err);

void misi_complex_init(misi_complex *cx);
void misi_complex_finish(misi_complex *cx);

/* Neighbour lists built from the bonds: CSR arrays owned by the struct. */
typedef struct misi_adjacency {
    uint32_t *start; /* natoms + 1 */
    uint32_t *nbr;   /* 2 * nbonds */
    uint32_t *bond;  /* bond index of each nbr entry */
} misi_adjacency;
int misi_adjacency_build(const misi_topology *top, misi_adjacency *adj, misi_error *err);
void misi_adjacency_finish(misi_adjacency *adj);

/* ---- elements (src/mol/element.c) ---- */

/* Atomic number from a symbol ("C", "Cl", "FE"; case-insensitive); 0 if unknown. */
uint8_t misi_element_from_symbol(const char *sym);
/* Symbol with standard case ("Cl"); "X" for 0 or unknown. */
const char *misi_element_symbol(uint8_t z);
/* Covalent radius in Å (Cordero et al. 2008); 0.77 when unknown. */
float misi_element_covalent_radius(uint8_t z);
/* Van der Waals radius in Å (Bondi / Alvarez); 1.7 when unknown. */
float misi_element_vdw_radius(uint8_t z);
bool misi_element_is_metal(uint8_t z);

/* ---- readers (src/mol/pdb.c, mol2.c, sdf.c) ----
 * Each fills a zeroed (misi_mol_init) molecule; on error the molecule is left
 * empty (finished) and err says file:line: what was expected.
 * `text`/`len` variants parse a buffer; `path` is used in messages only. */
int misi_read_pdb(const char *path, misi_mol *mol, misi_error *err);
int misi_parse_pdb(const char *text, size_t len, const char *path, misi_mol *mol, misi_error *err);
int misi_read_mol2(const char *path, misi_mol *mol, misi_error *err);
int misi_parse_mol2(const char *text, size_t len, const char *path, misi_mol *mol, misi_error *err);
int misi_read_sdf(const char *path, misi_mol *mol, misi_error *err);
int misi_parse_sdf(const char *text, size_t len, const char *path, misi_mol *mol, misi_error *err);

/* Add bonds to a PDB-read molecule that has none (or only CONECT ones):
 * covalent radii with a tolerance within residues (except residues that
 * CONECT records already bond internally: their CONECT bonds are their
 * connectivity), plus peptide C–N bonds between consecutive residues of a
 * chain. Idempotent. */
int misi_perceive_bonds(misi_mol *mol, misi_error *err);

/* ---- complexes (src/mol/complex.c) ---- */

/* Options for loading; zero means default. */
typedef struct misi_load_config {
    float max_ligand_distance; /* Å from any ligand atom to the nearest pocket atom; 0 = 20 */
    bool keep_waters;          /* default false: waters are removed */
} misi_load_config;

/* Name rule for answers: a ligand atom whose name another ligand atom shares
 * (case-insensitively) becomes "<name>#<its atom number in the file>" and is
 * flagged MISI_ATOM_QUALIFIED; *nqualified (may be NULL) gets how many. The
 * loaders apply it to every ligand. */
int misi_qualify_duplicate_names(misi_mol *mol, uint32_t *nqualified, misi_error *err);
/* Fill cx->ncovalent / cx->covalent from the loaded pocket and ligand
 * (heavy, non-metal atoms); the loaders call it. */
void misi_complex_find_covalent(misi_complex *cx);

/* Load a PDBbind folder `<dir>/<id>_pocket.pdb` + `<id>_ligand.mol2` (or .sdf).
 * The id is the folder's base name. */
int misi_complex_load_dir(const char *dir, const misi_load_config *cfg, misi_complex *cx, misi_error *err);
/* Load an explicit pocket file (PDB) and ligand file (MOL2, SDF/MOL or PDB by
 * extension). id may be NULL (derived from the ligand file name). */
int misi_complex_load_pair(const char *pocket, const char *ligand, const char *id,
                           const misi_load_config *cfg, misi_complex *cx, misi_error *err);

/* A list of complex sources: each either a folder or a pocket,ligand pair. */
typedef struct misi_source {
    char *id;
    char *dir;     /* PDBbind folder, or NULL */
    char *pocket;  /* explicit pair, or NULL */
    char *ligand;
} misi_source;

typedef struct misi_source_list {
    misi_source *items;
    size_t count;
    /* Things skipped while expanding paths, one sentence each (owned): a
     * sub-folder holding no complex files. Callers print them. */
    char **notes;
    size_t nnotes;
} misi_source_list;

/* Expand a path into sources: a complex folder (holds <id>_pocket.pdb) is one
 * source; a folder of complex folders gives one per subfolder, sorted by id
 * (a subfolder with no file named *_pocket.pdb, *_ligand.mol2 or
 * *_ligand.sdf is skipped with a note in list->notes); a text file of
 * `pocket,ligand` lines gives one per line (# comments allowed). */
int misi_sources_add_path(misi_source_list *list, const char *path, misi_error *err);
/* The list-file form from a buffer: `pocket,ligand` lines, relative paths
 * taken against path's folder (path also names the file in messages). On
 * error the list is left as it was. */
int misi_sources_parse_list(misi_source_list *list, const char *text, size_t len, const char *path,
                            misi_error *err);
int misi_sources_add_pair(misi_source_list *list, const char *pocket, const char *ligand, misi_error *err);
void misi_sources_finish(misi_source_list *list);
/* Load one source: misi_complex_load_dir for a folder, else
 * misi_complex_load_pair. The complex is left finished (only its id set) on
 * error. */
int misi_source_load(const misi_source *src, const misi_load_config *cfg, misi_complex *cx, misi_error *err);

#endif
