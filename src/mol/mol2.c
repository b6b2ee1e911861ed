/* Tripos MOL2 reader: the first molecule's ATOM and BOND sections. Sybyl
 * types are kept verbatim (the H-bond typer reads them) and give the element.
 * Header counts are checked against the records actually present rather
 * than trusted for allocation. */
#include "misi/fs.h"
#include "misi/mol.h"
#include "mol/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SEC_NONE, SEC_MOLECULE, SEC_ATOM, SEC_BOND, SEC_OTHER };

/* MOL2 atom ids are usually 1..n but need not be; bonds refer to them. */
typedef struct id_entry {
    long id;
    uint32_t index; /* UINT32_MAX: a dropped lone pair */
} id_entry;

typedef struct mol2_state {
    const char *path;
    misi_mol *mol;
    misi_error *err;
    long natoms_decl, nbonds_decl;
    long counts_line;
    long atoms_seen, bonds_seen;
    id_entry *ids;
    size_t nids, ids_cap;
} mol2_state;

/* Element from a Sybyl type: the part before the dot ("N.ar" -> N, "Cl" ->
 * Cl). Dummy atoms carry the element after the dot when they have one
 * ("Du.C"); query types ("Any", "Hal", "Het", "Hev") and a bare "Du" are
 * unknown (0). */
static uint8_t element_from_sybyl(const char *type)
{
    char sym[4] = {0};
    size_t n = 0;
    while (type[n] && type[n] != '.' && n < 3) {
        sym[n] = type[n];
        n++;
    }
    if (type[n] && type[n] != '.')
        return 0;
    if (strcmp(sym, "Du") == 0 || strcmp(sym, "DU") == 0)
        return type[n] == '.' ? misi_element_from_symbol(type + n + 1) : 0;
    if (n > 2)
        return 0;
    return misi_element_from_symbol(sym);
}

static int remember_id(mol2_state *st, long id, uint32_t index)
{
    if (st->nids == st->ids_cap) {
        size_t cap = st->ids_cap ? 2 * st->ids_cap : 64;
        id_entry *p = realloc(st->ids, cap * sizeof *p);
        if (!p)
            return misi_error_set(st->err, MISI_E_NOMEM, "out of memory for atom ids");
        st->ids = p;
        st->ids_cap = cap;
    }
    st->ids[st->nids++] = (id_entry){id, index};
    return MISI_OK;
}

static int id_cmp(const void *x, const void *y)
{
    const id_entry *p = x, *q = y;
    return p->id < q->id ? -1 : p->id > q->id;
}

/* Index of an atom id: -1 unknown, -2 a dropped lone pair. */
static long lookup_id(const mol2_state *st, long id)
{
    size_t lo = 0, hi = st->nids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->ids[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= st->nids || st->ids[lo].id != id)
        return -1;
    return st->ids[lo].index == UINT32_MAX ? -2 : (long)st->ids[lo].index;
}

static int parse_counts(mol2_state *st, text_span line, long lineno)
{
    char shown[64];
    text_span f[2];
    size_t nf = text_fields(line, f, 2);
    if (nf < 1 || !text_long(f[0], 0, 2147483647L, &st->natoms_decl) ||
        (nf >= 2 && !text_long(f[1], 0, 2147483647L, &st->nbonds_decl)))
        return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                             "expected the counts line 'num_atoms [num_bonds ...]', found '%s'",
                             text_show(shown, sizeof shown, line));
    if (nf < 2)
        st->nbonds_decl = 0;
    if (st->natoms_decl > (long)MISI_MAX_ATOMS)
        return misi_error_at(st->err, MISI_E_LIMIT, st->path, lineno,
                             "header declares %ld atoms, more than the limit of %u", st->natoms_decl,
                             MISI_MAX_ATOMS);
    if (st->nbonds_decl > (long)MISI_MAX_BONDS)
        return misi_error_at(st->err, MISI_E_LIMIT, st->path, lineno,
                             "header declares %ld bonds, more than the limit of %u", st->nbonds_decl,
                             MISI_MAX_BONDS);
    st->counts_line = lineno;
    return MISI_OK;
}

static int parse_atom(mol2_state *st, text_span line, long lineno)
{
    char shown[64];
    misi_mol *mol = st->mol;
    if (st->atoms_seen >= st->natoms_decl)
        return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                             "expected %ld atom lines as declared on line %ld, found more", st->natoms_decl,
                             st->counts_line);
    text_span f[9];
    size_t nf = text_fields(line, f, 9);
    if (nf < 6)
        return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                             "expected 'atom_id atom_name x y z atom_type [subst_id [subst_name [charge]]]', "
                             "found %zu field%s",
                             nf, nf == 1 ? "" : "s");
    long id;
    if (!text_long(f[0], -2147483647L, 2147483647L, &id))
        return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                             "expected an integer atom id, found '%s'", text_show(shown, sizeof shown, f[0]));
    float xyz[3];
    static const char *const axis[3] = {"x", "y", "z"};
    for (int k = 0; k < 3; k++)
        if (!text_coord(f[2 + k], &xyz[k]))
            return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                                 "expected a finite %s coordinate, found '%s'", axis[k],
                                 text_show(shown, sizeof shown, f[2 + k]));
    st->atoms_seen++;
    misi_atom a;
    memset(&a, 0, sizeof a);
    text_copy(a.sybyl, sizeof a.sybyl, f[5]);
    if (strcmp(a.sybyl, "LP") == 0 || strcmp(a.sybyl, "Lp") == 0)
        return remember_id(st, id, UINT32_MAX);
    if (f[1].n > MISI_ATOM_NAME_MAX)
        return misi_error_at(st->err, MISI_E_LIMIT, st->path, lineno,
                             "expected an atom name of at most %d characters, found '%s' (%zu characters)",
                             MISI_ATOM_NAME_MAX, text_show(shown, sizeof shown, f[1]), f[1].n);
    text_copy(a.name, sizeof a.name, f[1]);
    a.element = element_from_sybyl(a.sybyl);
    a.resseq = 1;
    if (nf >= 7) {
        long sid;
        if (!text_long(f[6], INT32_MIN, INT32_MAX, &sid))
            return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                                 "expected an integer substructure id in field 7, found '%s'",
                                 text_show(shown, sizeof shown, f[6]));
        a.resseq = (int32_t)sid;
    }
    /* "<0>", "<1>" and "****" are the format's placeholders for no name. */
    if (nf >= 8 && f[7].n && f[7].p[0] != '<' && f[7].p[0] != '*')
        text_copy(a.resname, sizeof a.resname, f[7]);
    else
        memcpy(a.resname, "LIG", 4);
    a.chain = ' ';
    a.icode = ' ';
    a.altloc = ' ';
    a.serial = id < 0 ? 0 : (uint32_t)id;
    if (a.element == 1)
        a.flags |= MISI_ATOM_HYDROGEN;
    if (misi_element_is_metal(a.element))
        a.flags |= MISI_ATOM_METAL;
    uint32_t i = mol->top.natoms;
    int rc = misi_mol_reserve_atoms(mol, i + 1, st->err);
    if (rc)
        return rc;
    mol->top.atoms[i] = a;
    memcpy(&mol->xyz[3 * (size_t)i], xyz, sizeof xyz);
    mol->top.natoms = i + 1;
    return remember_id(st, id, i);
}

static int bond_order(text_span t, uint8_t *order, bool *skip)
{
    static const struct {
        const char *name;
        uint8_t order;
    } TYPES[] = {
        {"1", MISI_BOND_SINGLE},    {"2", MISI_BOND_DOUBLE},   {"3", MISI_BOND_TRIPLE},
        {"ar", MISI_BOND_AROMATIC}, {"am", MISI_BOND_AMIDE},   {"du", MISI_BOND_UNKNOWN},
        {"un", MISI_BOND_UNKNOWN},  {"nc", MISI_BOND_UNKNOWN},
    };
    *skip = text_eq(t, "nc"); /* "not connected": listed, but no bond */
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++) {
        if (text_eq(t, TYPES[i].name)) {
            *order = TYPES[i].order;
            return 0;
        }
    }
    return -1;
}

static int parse_bond(mol2_state *st, text_span line, long lineno)
{
    char shown[64];
    if (st->bonds_seen >= st->nbonds_decl)
        return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                             "expected %ld bond lines as declared on line %ld, found more", st->nbonds_decl,
                             st->counts_line);
    text_span f[4];
    size_t nf = text_fields(line, f, 4);
    if (nf < 4)
        return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                             "expected 'bond_id origin_atom_id target_atom_id bond_type', found %zu field%s",
                             nf, nf == 1 ? "" : "s");
    long ids[2];
    for (int k = 0; k < 2; k++)
        if (!text_long(f[1 + k], -2147483647L, 2147483647L, &ids[k]))
            return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                                 "expected an integer atom id in bond field %d, found '%s'", 2 + k,
                                 text_show(shown, sizeof shown, f[1 + k]));
    uint8_t order;
    bool skip;
    char type[8];
    text_copy(type, sizeof type, f[3]);
    if (bond_order(f[3], &order, &skip))
        return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                             "expected a bond type 1, 2, 3, ar, am, du, un or nc, found '%s'",
                             text_show(shown, sizeof shown, f[3]));
    st->bonds_seen++;
    long a = lookup_id(st, ids[0]), b = lookup_id(st, ids[1]);
    if (a == -1 || b == -1)
        return misi_error_at(st->err, MISI_E_RANGE, st->path, lineno,
                             "expected the bond to join atom ids of the ATOM section, found atom id %ld "
                             "which names no atom",
                             a == -1 ? ids[0] : ids[1]);
    if (a == b)
        return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                             "expected a bond between two atoms, found atom id %ld bonded to itself", ids[0]);
    if (skip || a < 0 || b < 0) /* lone pairs were dropped with their bonds */
        return MISI_OK;
    return misi_mol_add_bond(st->mol, (uint32_t)a, (uint32_t)b, order, st->err);
}

/* Called where a section ends (the next @<TRIPOS> line, or the end of the
 * file) to check that the header counts were met. */
static int close_section(mol2_state *st, int sec, long lineno, bool at_eof)
{
    const char *where = at_eof ? "the end of the file" : "the next section";
    if (sec == SEC_ATOM && st->atoms_seen < st->natoms_decl)
        return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                             "expected %ld atom lines as declared on line %ld, found %ld before %s",
                             st->natoms_decl, st->counts_line, st->atoms_seen, where);
    if (sec == SEC_BOND && st->bonds_seen < st->nbonds_decl)
        return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                             "expected %ld bond lines as declared on line %ld, found %ld before %s",
                             st->nbonds_decl, st->counts_line, st->bonds_seen, where);
    return MISI_OK;
}

int misi_parse_mol2(const char *text, size_t len, const char *path, misi_mol *mol, misi_error *err)
{
    misi_mol_finish(mol);
    mol2_state st = {.path = path, .mol = mol, .err = err};
    /* A UTF-8 byte order mark (Windows editors add one) is not part of the
     * first line: left there, the first record would not be recognised. */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    text_lines it;
    text_span line;
    text_lines_init(&it, text, len);
    int rc = MISI_OK, sec = SEC_NONE;
    int mol_line = 0; /* lines read after @<TRIPOS>MOLECULE */
    bool seen_molecule = false, seen_atoms = false, seen_bonds = false;
    while (text_next_line(&it, &line)) {
        text_span t = text_trim(line);
        if (text_starts(t, "@<TRIPOS>")) {
            rc = close_section(&st, sec, it.lineno, false);
            if (rc)
                goto fail;
            if (text_eq(t, "@<TRIPOS>MOLECULE")) {
                if (seen_molecule)
                    break; /* first molecule only */
                seen_molecule = true;
                sec = SEC_MOLECULE;
                mol_line = 0;
            } else if (!seen_molecule) {
                rc = misi_error_at(err, MISI_E_PARSE, path, it.lineno,
                                   "expected @<TRIPOS>MOLECULE before any other section");
                goto fail;
            } else if (text_eq(t, "@<TRIPOS>ATOM")) {
                if (mol_line < 2) {
                    rc = misi_error_at(err, MISI_E_PARSE, path, it.lineno,
                                       "expected a molecule name line and a counts line after "
                                       "@<TRIPOS>MOLECULE, found @<TRIPOS>ATOM");
                    goto fail;
                }
                sec = seen_atoms ? SEC_OTHER : SEC_ATOM;
                seen_atoms = true;
            } else if (text_eq(t, "@<TRIPOS>BOND")) {
                if (!seen_atoms) {
                    rc = misi_error_at(err, MISI_E_PARSE, path, it.lineno,
                                       "expected @<TRIPOS>ATOM before @<TRIPOS>BOND, found the bonds first");
                    goto fail;
                }
                sec = seen_bonds ? SEC_OTHER : SEC_BOND;
                seen_bonds = true;
            } else {
                sec = SEC_OTHER;
            }
            continue;
        }
        if (sec == SEC_MOLECULE) {
            /* Line 1 is the name (may be blank); line 2 the counts. */
            mol_line++;
            if (mol_line == 2) {
                rc = parse_counts(&st, line, it.lineno);
                if (rc)
                    goto fail;
            }
            continue;
        }
        if (t.n == 0 || t.p[0] == '#')
            continue;
        if (sec == SEC_ATOM)
            rc = parse_atom(&st, line, it.lineno);
        else if (sec == SEC_BOND)
            rc = parse_bond(&st, line, it.lineno);
        if (rc)
            goto fail;
        if (sec == SEC_ATOM && st.atoms_seen == st.natoms_decl) {
            /* Bonds need the id table sorted; the ATOM section is complete. */
            qsort(st.ids, st.nids, sizeof *st.ids, id_cmp);
            for (size_t i = 1; i < st.nids; i++) {
                if (st.ids[i].id == st.ids[i - 1].id) {
                    rc = misi_error_at(err, MISI_E_PARSE, path, it.lineno,
                                       "expected unique atom ids, found id %ld twice", st.ids[i].id);
                    goto fail;
                }
            }
        }
    }
    if (!seen_molecule) {
        rc = misi_error_at(err, MISI_E_PARSE, path, 0,
                           "expected a @<TRIPOS>MOLECULE section, found none in %ld lines", it.lineno);
        goto fail;
    }
    if (mol_line < 2) {
        rc = misi_error_at(
            err, MISI_E_PARSE, path, it.lineno,
            "expected a molecule name line and a counts line after @<TRIPOS>MOLECULE, found the "
            "end of the file");
        goto fail;
    }
    if (sec == SEC_ATOM || sec == SEC_BOND) {
        rc = close_section(&st, sec, it.lineno, true);
        if (rc)
            goto fail;
    }
    if (!seen_atoms && st.natoms_decl > 0) {
        rc = misi_error_at(
            err, MISI_E_PARSE, path, it.lineno,
            "expected an @<TRIPOS>ATOM section with %ld atoms as declared on line %ld, found none",
            st.natoms_decl, st.counts_line);
        goto fail;
    }
    if (!seen_bonds && st.nbonds_decl > 0) {
        rc = misi_error_at(
            err, MISI_E_PARSE, path, it.lineno,
            "expected an @<TRIPOS>BOND section with %ld bonds as declared on line %ld, found none",
            st.nbonds_decl, st.counts_line);
        goto fail;
    }
    misi_mol_dedup_bonds(mol);
    rc = misi_mol_index_residues(mol, err);
    if (rc)
        goto fail;
    mol->path = strdup(path ? path : "<input>");
    if (!mol->path) {
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
        goto fail;
    }
    free(st.ids);
    return MISI_OK;
fail:
    free(st.ids);
    misi_mol_finish(mol);
    return rc;
}

int misi_read_mol2(const char *path, misi_mol *mol, misi_error *err)
{
    char *text;
    size_t len;
    misi_mol_finish(mol);
    int rc = misi_read_file(path, 0, &text, &len, err);
    if (rc)
        return rc;
    rc = misi_parse_mol2(text, len, path, mol, err);
    free(text);
    return rc;
}
