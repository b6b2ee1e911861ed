/* MDL SDF/MOL V2000 reader: the first record's atom and bond blocks plus the
 * `M  CHG` property. Blocks are fixed-column as the CTfile specification
 * lays them out. SDF carries no atom names, so each atom is named after its
 * element and its rank within that element ("C1", "O2"), which is what the
 * benchmark's labels and H-bond answers show. */
#include "misi/fs.h"
#include "misi/mol.h"
#include "mol/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Atom-block charge codes 0..7; 4 is a doublet radical, not a charge. */
static const int8_t CHARGE_CODE[8] = {0, 3, 2, 1, 0, -1, -2, -3};

static void name_atoms(misi_mol *mol)
{
    uint32_t seen[256] = {0};
    for (uint32_t i = 0; i < mol->top.natoms; i++) {
        misi_atom *a = &mol->top.atoms[i];
        const char *sym = misi_element_symbol(a->element);
        uint32_t k = ++seen[a->element];
        char buf[32];
        snprintf(buf, sizeof buf, "%s%u", sym, k);
        /* Past the name field's room fall back to the 1-based atom
         * number, which no element-based name can equal. */
        if (strlen(buf) >= sizeof a->name)
            snprintf(buf, sizeof buf, "%u", i + 1);
        memcpy(a->name, buf, sizeof a->name - 1);
        a->name[sizeof a->name - 1] = '\0';
    }
}

static int parse_atom_line(const char *path, long lineno, text_span line, misi_mol *mol, misi_error *err)
{
    char shown[64];
    if (line.n < 34)
        return misi_error_at(
            err, MISI_E_PARSE, path, lineno,
            "expected an atom line 'x y z symbol' (at least 34 columns), found %zu characters", line.n);
    float xyz[3];
    static const char *const axis[3] = {"x", "y", "z"};
    for (int k = 0; k < 3; k++) {
        text_span c = text_cols(line, 1 + 10 * (size_t)k, 10 + 10 * (size_t)k);
        if (!text_coord(c, &xyz[k]))
            return misi_error_at(err, MISI_E_PARSE, path, lineno,
                                 "expected a finite %s coordinate in columns %d-%d, found '%s'", axis[k],
                                 1 + 10 * k, 10 + 10 * k, text_show(shown, sizeof shown, c));
    }
    misi_atom a;
    memset(&a, 0, sizeof a);
    char sym[4];
    text_copy(sym, sizeof sym, text_cols(line, 32, 34));
    if (!sym[0])
        return misi_error_at(err, MISI_E_PARSE, path, lineno,
                             "expected an element symbol in columns 32-34, found blanks");
    /* Query atoms (A, Q, L, R#, *) have no element; they stay unknown (0). */
    a.element = misi_element_from_symbol(sym);
    text_span cc = text_cols(line, 37, 39);
    long code = 0;
    if (!text_blank(cc) && !text_long(cc, 0, 7, &code))
        return misi_error_at(err, MISI_E_PARSE, path, lineno,
                             "expected a charge code 0-7 in columns 37-39, found '%s'",
                             text_show(shown, sizeof shown, cc));
    a.charge = CHARGE_CODE[code];
    memcpy(a.resname, "LIG", 4);
    a.resseq = 1;
    a.chain = ' ';
    a.icode = ' ';
    a.altloc = ' ';
    if (a.element == 1)
        a.flags |= MISI_ATOM_HYDROGEN;
    if (misi_element_is_metal(a.element))
        a.flags |= MISI_ATOM_METAL;
    uint32_t i = mol->top.natoms;
    a.serial = i + 1;
    int rc = misi_mol_reserve_atoms(mol, i + 1, err);
    if (rc)
        return rc;
    mol->top.atoms[i] = a;
    memcpy(&mol->xyz[3 * (size_t)i], xyz, sizeof xyz);
    mol->top.natoms = i + 1;
    return MISI_OK;
}

static int parse_bond_line(const char *path, long lineno, text_span line, misi_mol *mol, misi_error *err)
{
    char shown[64];
    long ab[2], type;
    uint32_t n = mol->top.natoms;
    for (int k = 0; k < 2; k++) {
        text_span c = text_cols(line, 1 + 3 * (size_t)k, 3 + 3 * (size_t)k);
        if (!text_long(c, -999, 999, &ab[k]))
            return misi_error_at(
                err, MISI_E_PARSE, path, lineno,
                "expected a bond line 'atom1 atom2 type' with an atom number in columns %d-%d, "
                "found '%s'",
                1 + 3 * k, 3 + 3 * k, text_show(shown, sizeof shown, c));
        if (ab[k] < 1 || ab[k] > (long)n)
            return misi_error_at(err, MISI_E_RANGE, path, lineno,
                                 "expected an atom number between 1 and %u, found %ld", n, ab[k]);
    }
    text_span tc = text_cols(line, 7, 9);
    if (!text_long(tc, 1, 8, &type))
        return misi_error_at(err, MISI_E_PARSE, path, lineno,
                             "expected a bond type 1-8 in columns 7-9, found '%s'",
                             text_show(shown, sizeof shown, tc));
    if (ab[0] == ab[1])
        return misi_error_at(err, MISI_E_PARSE, path, lineno,
                             "expected a bond between two atoms, found atom %ld bonded to itself", ab[0]);
    /* 1-3 are orders, 4 aromatic; 5-8 are query types ("single or double"...). */
    uint8_t order = type <= 4 ? (uint8_t)type : MISI_BOND_UNKNOWN;
    return misi_mol_add_bond(mol, (uint32_t)(ab[0] - 1), (uint32_t)(ab[1] - 1), order, err);
}

/* "M  CHGnn8 aaa vvv ...": the first one resets every atom-block charge, as
 * the CTfile specification says the property block supersedes it. */
static int parse_chg(const char *path, long lineno, text_span line, misi_mol *mol, bool *reset,
                     misi_error *err)
{
    char shown[64];
    text_span f[2 + 2 * 8 + 1];
    text_span body = {line.p + 6, line.n - 6};
    size_t nf = text_fields(body, f, sizeof f / sizeof f[0]);
    long count;
    if (nf < 1 || !text_long(f[0], 1, 8, &count) || nf != 1 + 2 * (size_t)count)
        return misi_error_at(err, MISI_E_PARSE, path, lineno,
                             "expected 'M  CHG n atom charge ...' with 1-8 pairs, found '%s'",
                             text_show(shown, sizeof shown, line));
    if (!*reset) {
        for (uint32_t i = 0; i < mol->top.natoms; i++)
            mol->top.atoms[i].charge = 0;
        *reset = true;
    }
    for (long k = 0; k < count; k++) {
        long atom, charge;
        if (!text_long(f[1 + 2 * k], 1, (long)mol->top.natoms, &atom))
            return misi_error_at(err, MISI_E_RANGE, path, lineno,
                                 "expected an atom number between 1 and %u in M  CHG, found '%s'",
                                 mol->top.natoms, text_show(shown, sizeof shown, f[1 + 2 * k]));
        if (!text_long(f[2 + 2 * k], -15, 15, &charge))
            return misi_error_at(err, MISI_E_PARSE, path, lineno,
                                 "expected a charge between -15 and 15 in M  CHG, found '%s'",
                                 text_show(shown, sizeof shown, f[2 + 2 * k]));
        mol->top.atoms[atom - 1].charge = (int8_t)charge;
    }
    return MISI_OK;
}

static bool has_v3000(text_span line)
{
    for (size_t i = 0; i + 5 <= line.n; i++)
        if (memcmp(line.p + i, "V3000", 5) == 0)
            return true;
    return false;
}

int misi_parse_sdf(const char *text, size_t len, const char *path, misi_mol *mol, misi_error *err)
{
    char shown[64];
    misi_mol_finish(mol);
    /* A UTF-8 byte order mark (Windows editors add one) is not part of the
     * first line: left there, the first record would not be recognised. */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    text_lines it;
    text_span line;
    text_lines_init(&it, text, len);
    int rc = MISI_OK;
    /* Three header lines (name, program, comment), then the counts line. */
    for (int k = 0; k < 4; k++) {
        if (!text_next_line(&it, &line)) {
            rc = misi_error_at(
                err, MISI_E_PARSE, path, it.lineno,
                "expected 3 header lines and a counts line, found the end of the file after %ld "
                "line%s",
                it.lineno, it.lineno == 1 ? "" : "s");
            goto fail;
        }
    }
    long counts_line = it.lineno;
    if (has_v3000(line)) {
        rc = misi_error_at(err, MISI_E_PARSE, path, counts_line,
                           "V3000 is not supported: expected a V2000 counts line; convert the file to V2000");
        goto fail;
    }
    long natoms, nbonds;
    text_span first;
    if (text_fields(line, &first, 1) && first.n > 6 && text_long(first, 0, 2147483647L, &natoms)) {
        rc = misi_error_at(
            err, MISI_E_PARSE, path, counts_line,
            "expected V2000 atom and bond counts of at most 999 in columns 1-3 and 4-6, found '%s'",
            text_show(shown, sizeof shown, first));
        goto fail;
    }
    text_span ca = text_cols(line, 1, 3), cb = text_cols(line, 4, 6);
    if (!text_long(ca, 0, 999, &natoms) || !text_long(cb, 0, 999, &nbonds)) {
        rc = misi_error_at(
            err, MISI_E_PARSE, path, counts_line,
            "expected a V2000 counts line 'aaabbb...V2000' with atom and bond counts in columns "
            "1-3 and 4-6, found '%s'",
            text_show(shown, sizeof shown, line));
        goto fail;
    }
    text_span ver = text_trim(text_cols(line, 34, 39));
    if (ver.n && !text_eq(ver, "V2000")) {
        rc = misi_error_at(err, MISI_E_PARSE, path, counts_line,
                           "expected version V2000 in columns 35-39, found '%s'",
                           text_show(shown, sizeof shown, ver));
        goto fail;
    }
    for (long i = 0; i < natoms; i++) {
        if (!text_next_line(&it, &line)) {
            rc = misi_error_at(
                err, MISI_E_PARSE, path, it.lineno,
                "expected %ld atom lines as declared on line %ld, found %ld before the end of the "
                "file",
                natoms, counts_line, i);
            goto fail;
        }
        /* A short line inside the atom block is where a header that claims
         * more atoms than the file holds shows up: say so. */
        if (line.n < 34) {
            rc = misi_error_at(err, MISI_E_PARSE, path, it.lineno,
                               "expected %ld atom lines as declared on line %ld, found %ld and then '%s'",
                               natoms, counts_line, i, text_show(shown, sizeof shown, line));
            goto fail;
        }
        rc = parse_atom_line(path, it.lineno, line, mol, err);
        if (rc)
            goto fail;
    }
    for (long i = 0; i < nbonds; i++) {
        if (!text_next_line(&it, &line)) {
            rc = misi_error_at(
                err, MISI_E_PARSE, path, it.lineno,
                "expected %ld bond lines as declared on line %ld, found %ld before the end of the "
                "file",
                nbonds, counts_line, i);
            goto fail;
        }
        rc = parse_bond_line(path, it.lineno, line, mol, err);
        if (rc)
            goto fail;
    }
    bool reset = false, ended = false, record_end = false;
    while (text_next_line(&it, &line)) {
        if (text_starts(line, "M  END")) {
            ended = true;
            break;
        }
        if (text_starts(line, "$$$$")) {
            record_end = true;
            break;
        }
        if (text_starts(line, "M  CHG")) {
            rc = parse_chg(path, it.lineno, line, mol, &reset, err);
            if (rc)
                goto fail;
        }
    }
    if (!ended) {
        rc = misi_error_at(err, MISI_E_PARSE, path, it.lineno,
                           "expected 'M  END' after the bond block, found %s",
                           record_end ? "'$$$$'" : "the end of the file");
        goto fail;
    }
    name_atoms(mol);
    misi_mol_dedup_bonds(mol);
    rc = misi_mol_index_residues(mol, err);
    if (rc)
        goto fail;
    mol->path = strdup(path ? path : "<input>");
    if (!mol->path) {
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
        goto fail;
    }
    return MISI_OK;
fail:
    misi_mol_finish(mol);
    return rc;
}

int misi_read_sdf(const char *path, misi_mol *mol, misi_error *err)
{
    char *text;
    size_t len;
    misi_mol_finish(mol);
    int rc = misi_read_file(path, 0, &text, &len, err);
    if (rc)
        return rc;
    rc = misi_parse_sdf(text, len, path, mol, err);
    free(text);
    return rc;
}
