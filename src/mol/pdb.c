/* PDB reader: ATOM/HETATM records of the first model, one location per atom
 * (alternate locations resolved by occupancy), CONECT bonds. Columns follow
 * the wwPDB format 3.3; every column access is bounded because real files
 * are often cut short after the coordinates. */
#include "misi/fs.h"
#include "misi/mol.h"
#include "mol/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CONECT pairs are kept as file serials until altlocs are resolved, because
 * a CONECT may name a location we then drop. */
typedef struct conect_pair {
    long a, b;
    long line;
} conect_pair;

typedef struct serial_entry {
    long serial;
    uint32_t index;
} serial_entry;

typedef struct pdb_state {
    const char *path;
    misi_mol *mol;
    misi_error *err;
    float *occ; /* occupancy of each atom read, parallel to the atoms */
    size_t occ_cap;
    conect_pair *conect;
    size_t nconect, conect_cap;
} pdb_state;

/* Hybrid-36 (used by large structures once serials pass 99999 or residue
 * numbers pass 9999): digits after the decimal range go A-Z/a-z in base 36. */
static bool hy36_decode(text_span s, size_t width, long *out)
{
    text_span t = text_trim(s);
    if (t.n == 0)
        return false;
    if (text_long(t, -99999999, 99999999, out))
        return true;
    if (s.n != width)
        return false;
    bool upper = isupper((unsigned char)s.p[0]) != 0;
    long v = 0;
    for (size_t i = 0; i < width; i++) {
        int c = (unsigned char)s.p[i], d;
        if (isdigit(c))
            d = c - '0';
        else if (upper && isupper(c))
            d = c - 'A' + 10;
        else if (!upper && islower(c))
            d = c - 'a' + 10;
        else
            return false;
        v = v * 36 + d;
    }
    long p36 = 1, p10 = 1;
    for (size_t i = 1; i < width; i++)
        p36 *= 36;
    for (size_t i = 0; i < width; i++)
        p10 *= 10;
    v = v - 10 * p36 + p10;
    if (!upper)
        v += 26 * p36;
    *out = v;
    return true;
}

/* Element from the atom name when columns 77-78 are blank or unknown. A name
 * that starts in column 13 is a two-letter element in a HETATM ("FE  ",
 * "CL1 "), unless it fills all four columns: those are hydrogens named by
 * the old convention ("HG21"). Otherwise the element is the first letter
 * after any digits ("1HD2" -> H, " CA " -> C). */
static uint8_t element_from_name(text_span name4, bool hetatm)
{
    char raw[5] = "    ";
    for (size_t i = 0; i < name4.n && i < 4; i++)
        raw[i] = name4.p[i];
    size_t len = 0;
    for (size_t i = 0; i < 4; i++)
        if (raw[i] != ' ')
            len = i + 1;
    if (hetatm && isalpha((unsigned char)raw[0]) && isalpha((unsigned char)raw[1]) && len <= 3) {
        char two[3] = {raw[0], raw[1], 0};
        uint8_t z = misi_element_from_symbol(two);
        if (z)
            return z;
    }
    for (size_t i = 0; i < 4; i++) {
        if (isalpha((unsigned char)raw[i])) {
            char one[2] = {raw[i], 0};
            return misi_element_from_symbol(one);
        }
    }
    return 0;
}

/* Columns 79-80: "2+", "1-" (the standard) or "+2" (common in the wild). */
static bool parse_charge(text_span s, int8_t *out)
{
    s = text_trim(s);
    *out = 0;
    if (s.n == 0)
        return true;
    char d, sign;
    if (s.n == 1 && (s.p[0] == '+' || s.p[0] == '-')) {
        d = '1';
        sign = s.p[0];
    } else if (s.n == 2 && isdigit((unsigned char)s.p[0]) && (s.p[1] == '+' || s.p[1] == '-')) {
        d = s.p[0];
        sign = s.p[1];
    } else if (s.n == 2 && isdigit((unsigned char)s.p[1]) && (s.p[0] == '+' || s.p[0] == '-')) {
        d = s.p[1];
        sign = s.p[0];
    } else {
        return false;
    }
    *out = (int8_t)((sign == '-' ? -1 : 1) * (d - '0'));
    return true;
}

static int add_atom(pdb_state *st, text_span line, long lineno, bool hetatm)
{
    misi_mol *mol = st->mol;
    const char *path = st->path;
    char shown[48];
    if (line.n < 54)
        return misi_error_at(st->err, MISI_E_PARSE, path, lineno,
                             "expected an %s record with coordinates in columns 31-54, found a line of %zu "
                             "characters",
                             hetatm ? "HETATM" : "ATOM", line.n);
    misi_atom a;
    memset(&a, 0, sizeof a);
    long serial;
    if (!hy36_decode(text_cols(line, 7, 11), 5, &serial))
        return misi_error_at(st->err, MISI_E_PARSE, path, lineno,
                             "expected an atom serial number in columns 7-11, found '%s'",
                             text_show(shown, sizeof shown, text_cols(line, 7, 11)));
    long resseq;
    text_span rs = text_cols(line, 23, 26);
    if (text_blank(rs))
        resseq = 0;
    else if (!hy36_decode(rs, 4, &resseq) || resseq < INT32_MIN || resseq > INT32_MAX)
        return misi_error_at(st->err, MISI_E_PARSE, path, lineno,
                             "expected a residue number in columns 23-26, found '%s'",
                             text_show(shown, sizeof shown, rs));
    float xyz[3];
    static const char *const axis[3] = {"x", "y", "z"};
    for (int k = 0; k < 3; k++) {
        text_span c = text_cols(line, 31 + 8 * (size_t)k, 38 + 8 * (size_t)k);
        if (!text_coord(c, &xyz[k]))
            return misi_error_at(st->err, MISI_E_PARSE, path, lineno,
                                 "expected a finite %s coordinate in columns %d-%d, found '%s'", axis[k],
                                 31 + 8 * k, 38 + 8 * k, text_show(shown, sizeof shown, c));
    }
    double occ = 1.0;
    text_span oc = text_cols(line, 55, 60);
    if (!text_blank(oc) && !text_double(oc, &occ))
        return misi_error_at(st->err, MISI_E_PARSE, path, lineno,
                             "expected an occupancy in columns 55-60, found '%s'",
                             text_show(shown, sizeof shown, oc));

    text_span name4 = text_cols(line, 13, 16);
    text_copy(a.name, sizeof a.name, name4);
    text_copy(a.resname, sizeof a.resname, text_cols(line, 18, 20));
    text_span alt = text_cols(line, 17, 17), ch = text_cols(line, 22, 22), ic = text_cols(line, 27, 27);
    a.altloc = alt.n && isgraph((unsigned char)alt.p[0]) ? alt.p[0] : ' ';
    a.chain = ch.n && isgraph((unsigned char)ch.p[0]) ? ch.p[0] : ' ';
    a.icode = ic.n && isgraph((unsigned char)ic.p[0]) ? ic.p[0] : ' ';
    a.resseq = (int32_t)resseq;
    a.serial = serial < 0 ? 0 : (uint32_t)serial;
    char sym[3];
    text_copy(sym, sizeof sym, text_cols(line, 77, 78));
    a.element = sym[0] ? misi_element_from_symbol(sym) : 0;
    /* Files from before format 2 put a line number in columns 73-80; only
     * when 77-78 hold an element are 79-80 a charge. */
    if (a.element && !parse_charge(text_cols(line, 79, 80), &a.charge))
        return misi_error_at(st->err, MISI_E_PARSE, path, lineno,
                             "expected a formal charge like '2+' or '1-' in columns 79-80, found '%s'",
                             text_show(shown, sizeof shown, text_cols(line, 79, 80)));
    if (a.element == 0)
        a.element = element_from_name(name4, hetatm);
    if (hetatm)
        a.flags |= MISI_ATOM_HETATM;
    if (a.element == 1)
        a.flags |= MISI_ATOM_HYDROGEN;
    if (misi_element_is_metal(a.element))
        a.flags |= MISI_ATOM_METAL;

    uint32_t i = mol->top.natoms;
    if (i >= MISI_MAX_ATOMS)
        return misi_error_at(st->err, MISI_E_LIMIT, path, lineno, "more than %u atoms", MISI_MAX_ATOMS);
    int rc = misi_mol_reserve_atoms(mol, i + 1, st->err);
    if (rc)
        return rc;
    if (st->occ_cap < mol->atom_cap) {
        float *o = realloc(st->occ, (size_t)mol->atom_cap * sizeof *o);
        if (!o)
            return misi_error_set(st->err, MISI_E_NOMEM, "out of memory for %u occupancies", mol->atom_cap);
        st->occ = o;
        st->occ_cap = mol->atom_cap;
    }
    mol->top.atoms[i] = a;
    memcpy(&mol->xyz[3 * (size_t)i], xyz, sizeof xyz);
    st->occ[i] = (float)occ;
    mol->top.natoms = i + 1;
    return MISI_OK;
}

static int add_conect(pdb_state *st, text_span line, long lineno)
{
    char shown[48];
    /* Serials sit in 5-column fields: 7-11 the atom, 12-31 its partners
     * (32-61 in old files held H-bond partners, which are not bonds). */
    long from;
    if (!hy36_decode(text_cols(line, 7, 11), 5, &from))
        return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                             "expected an atom serial number in CONECT columns 7-11, found '%s'",
                             text_show(shown, sizeof shown, text_cols(line, 7, 11)));
    for (size_t k = 0; k < 4; k++) {
        text_span f = text_cols(line, 12 + 5 * k, 16 + 5 * k);
        if (text_blank(f))
            continue;
        long to;
        if (!hy36_decode(f, 5, &to))
            return misi_error_at(st->err, MISI_E_PARSE, st->path, lineno,
                                 "expected an atom serial number in CONECT columns %zu-%zu, found '%s'",
                                 12 + 5 * k, 16 + 5 * k, text_show(shown, sizeof shown, f));
        if (st->nconect == st->conect_cap) {
            size_t cap = st->conect_cap ? 2 * st->conect_cap : 64;
            if (cap > (size_t)MISI_MAX_BONDS * 2)
                return misi_error_at(st->err, MISI_E_LIMIT, st->path, lineno, "too many CONECT bonds");
            conect_pair *p = realloc(st->conect, cap * sizeof *p);
            if (!p)
                return misi_error_set(st->err, MISI_E_NOMEM, "out of memory for CONECT records");
            st->conect = p;
            st->conect_cap = cap;
        }
        st->conect[st->nconect++] = (conect_pair){from, to, lineno};
    }
    return MISI_OK;
}

/* The identity of an atom across its alternate locations, copied out so
 * qsort (which has no context pointer in C11) needs no global. */
typedef struct alt_key {
    char name[MISI_ATOM_NAME_CAP];
    char chain, icode;
    int32_t resseq;
    uint32_t index;
} alt_key;

static int alt_same(const alt_key *p, const alt_key *q)
{
    if (p->chain != q->chain)
        return p->chain < q->chain ? -1 : 1;
    if (p->resseq != q->resseq)
        return p->resseq < q->resseq ? -1 : 1;
    if (p->icode != q->icode)
        return p->icode < q->icode ? -1 : 1;
    return strcmp(p->name, q->name);
}

static int alt_cmp(const void *x, const void *y)
{
    const alt_key *p = x, *q = y;
    int c = alt_same(p, q);
    if (c)
        return c;
    return p->index < q->index ? -1 : p->index > q->index;
}

static int serial_cmp(const void *x, const void *y)
{
    const serial_entry *p = x, *q = y;
    if (p->serial != q->serial)
        return p->serial < q->serial ? -1 : 1;
    return p->index < q->index ? -1 : p->index > q->index;
}

static long find_serial(const serial_entry *map, size_t n, long serial)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (map[mid].serial < serial)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && map[lo].serial == serial ? (long)map[lo].index : -1;
}

/* Keep one location per atom: the highest occupancy, the first seen on a tie.
 * Atoms are the same atom when chain, residue number, insertion code and name
 * agree; the residue name is left out because microheterogeneity gives the
 * locations different residue names. Fills `into[i]`, the atom index that
 * atom i's serial resolves to after the drop (itself when kept). */
static int resolve_altlocs(pdb_state *st, bool *keep, uint32_t *into)
{
    misi_mol *mol = st->mol;
    uint32_t n = mol->top.natoms, nalt = 0;
    for (uint32_t i = 0; i < n; i++) {
        keep[i] = true;
        into[i] = i;
        nalt += mol->top.atoms[i].altloc != ' ';
    }
    if (nalt == 0)
        return MISI_OK;
    alt_key *key = malloc((size_t)nalt * sizeof *key);
    if (!key)
        return misi_error_set(st->err, MISI_E_NOMEM, "out of memory resolving alternate locations");
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        const misi_atom *a = &mol->top.atoms[i];
        if (a->altloc == ' ')
            continue;
        key[k] = (alt_key){.chain = a->chain, .icode = a->icode, .resseq = a->resseq, .index = i};
        memcpy(key[k].name, a->name, sizeof key[k].name);
        k++;
    }
    qsort(key, nalt, sizeof *key, alt_cmp);
    for (uint32_t s = 0; s < nalt;) {
        uint32_t e = s + 1;
        while (e < nalt && alt_same(&key[s], &key[e]) == 0)
            e++;
        /* Within a group indices ascend, so a strict > keeps the first on ties. */
        uint32_t best = key[s].index;
        for (uint32_t t = s + 1; t < e; t++)
            if (st->occ[key[t].index] > st->occ[best])
                best = key[t].index;
        for (uint32_t t = s; t < e; t++) {
            keep[key[t].index] = key[t].index == best;
            into[key[t].index] = best;
        }
        s = e;
    }
    free(key);
    return MISI_OK;
}

static int finish_parse(pdb_state *st)
{
    misi_mol *mol = st->mol;
    uint32_t n = mol->top.natoms;
    int rc = MISI_OK;
    bool *keep = malloc((size_t)n * sizeof *keep);
    uint32_t *into = malloc((size_t)n * sizeof *into);
    uint32_t *final_index = malloc((size_t)n * sizeof *final_index);
    serial_entry *map = malloc((size_t)n * sizeof *map);
    if (!keep || !into || !final_index || !map) {
        rc = misi_error_set(st->err, MISI_E_NOMEM, "out of memory for %u atoms", n);
        goto done;
    }
    rc = resolve_altlocs(st, keep, into);
    if (rc)
        goto done;
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++)
        final_index[i] = keep[i] ? m++ : UINT32_MAX;
    for (uint32_t i = 0; i < n; i++)
        map[i] = (serial_entry){(long)mol->top.atoms[i].serial, final_index[into[i]]};
    qsort(map, n, sizeof *map, serial_cmp);
    if (m != n) {
        rc = misi_mol_filter(mol, keep, st->err);
        if (rc)
            goto done;
    }
    for (size_t c = 0; c < st->nconect; c++) {
        const conect_pair *p = &st->conect[c];
        long a = find_serial(map, n, p->a), b = find_serial(map, n, p->b);
        if (a < 0 || b < 0) {
            rc =
                misi_error_at(st->err, MISI_E_RANGE, st->path, p->line,
                              "expected CONECT to name atom serials of ATOM/HETATM records, found serial %ld "
                              "which names no atom",
                              a < 0 ? p->a : p->b);
            goto done;
        }
        if (a == b)
            continue;
        rc = misi_mol_add_bond(mol, (uint32_t)a, (uint32_t)b, MISI_BOND_UNKNOWN, st->err);
        if (rc)
            goto done;
    }
    misi_mol_dedup_bonds(mol);
    rc = misi_mol_index_residues(mol, st->err);
done:
    free(keep);
    free(into);
    free(final_index);
    free(map);
    return rc;
}

/* Record name in columns 1-6, compared with its blank padding. */
static bool is_record(text_span line, const char *name)
{
    size_t n = strlen(name);
    if (line.n < n || memcmp(line.p, name, n) != 0)
        return false;
    for (size_t i = n; i < 6 && i < line.n; i++)
        if (line.p[i] != ' ')
            return false;
    return true;
}

int misi_parse_pdb(const char *text, size_t len, const char *path, misi_mol *mol, misi_error *err)
{
    misi_mol_finish(mol);
    pdb_state st = {.path = path, .mol = mol, .err = err};
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
    bool model_seen = false, model_done = false;
    while (text_next_line(&it, &line)) {
        bool het = is_record(line, "HETATM");
        if (het || is_record(line, "ATOM")) {
            if (model_done)
                continue;
            rc = add_atom(&st, line, it.lineno, het);
        } else if (is_record(line, "CONECT")) {
            rc = add_conect(&st, line, it.lineno);
        } else if (is_record(line, "MODEL")) {
            /* Only the first model: a second MODEL ends it even without ENDMDL. */
            if (model_seen)
                model_done = true;
            model_seen = true;
        } else if (is_record(line, "ENDMDL")) {
            model_done = true;
        } else if (is_record(line, "END")) {
            break;
        }
        if (rc)
            goto fail;
    }
    if (mol->top.natoms == 0) {
        rc = misi_error_at(err, MISI_E_PARSE, path, 0,
                           "expected ATOM or HETATM records, found none in %ld lines", it.lineno);
        goto fail;
    }
    rc = finish_parse(&st);
    if (rc)
        goto fail;
    mol->path = strdup(path ? path : "<input>");
    if (!mol->path) {
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
        goto fail;
    }
    free(st.occ);
    free(st.conect);
    return MISI_OK;
fail:
    free(st.occ);
    free(st.conect);
    misi_mol_finish(mol);
    return rc;
}

int misi_read_pdb(const char *path, misi_mol *mol, misi_error *err)
{
    char *text;
    size_t len;
    misi_mol_finish(mol);
    int rc = misi_read_file(path, 0, &text, &len, err);
    if (rc)
        return rc;
    rc = misi_parse_pdb(text, len, path, mol, err);
    free(text);
    return rc;
}
