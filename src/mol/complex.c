/* Complex loading: PDBbind folders and explicit pocket/ligand pairs, the
 * checks that make a complex usable (no waters, a non-empty ligand sitting in
 * its pocket), and the expansion of command-line paths into sources. */
#include "misi/fs.h"
#include "misi/mol.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mol/text.h"

#define DEFAULT_MAX_LIGAND_DISTANCE 20.0f

static const char *const WATER_NAMES[] = {"HOH", "WAT", "DOD", "H2O", "TIP", "TIP3", "SOL"};

static bool is_water(const char *resname)
{
    for (size_t i = 0; i < sizeof WATER_NAMES / sizeof WATER_NAMES[0]; i++)
        if (strcmp(resname, WATER_NAMES[i]) == 0)
            return true;
    /* Residue names hold 3 characters, so "TIP3" arrives as "TIP". */
    return false;
}

static int remove_waters(misi_mol *mol, misi_error *err)
{
    uint32_t n = mol->top.natoms, nwater = 0;
    for (uint32_t i = 0; i < n; i++)
        nwater += is_water(mol->top.atoms[i].resname);
    if (nwater == 0)
        return MISI_OK;
    bool *keep = malloc((size_t)n * sizeof *keep);
    if (!keep)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory removing waters");
    for (uint32_t i = 0; i < n; i++)
        keep[i] = !is_water(mol->top.atoms[i].resname);
    int rc = misi_mol_filter(mol, keep, err);
    free(keep);
    return rc;
}

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    while (a > 1 && dir[a - 1] == '/')
        a--;
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

static const char *extension(const char *path)
{
    const char *base = misi_basename(path);
    const char *dot = strrchr(base, '.');
    return dot ? dot + 1 : "";
}

static int read_by_extension(const char *path, misi_mol *mol, bool *is_pdb, misi_error *err)
{
    const char *ext = extension(path);
    *is_pdb = false;
    if (strcasecmp(ext, "mol2") == 0)
        return misi_read_mol2(path, mol, err);
    if (strcasecmp(ext, "sdf") == 0 || strcasecmp(ext, "mol") == 0)
        return misi_read_sdf(path, mol, err);
    if (strcasecmp(ext, "pdb") == 0 || strcasecmp(ext, "ent") == 0) {
        *is_pdb = true;
        return misi_read_pdb(path, mol, err);
    }
    return misi_error_at(err, MISI_E_USAGE, path, 0,
                         "expected a ligand file ending in .mol2, .sdf, .mol or .pdb, found '.%s'", ext);
}

/* Nearest heavy-atom distance between the two molecules; +inf when either has
 * no heavy atoms. Returns early once under `enough`, since callers only need
 * to know whether the ligand is within reach. */
static float nearest_heavy_distance(const misi_mol *a, const misi_mol *b, float enough)
{
    float best = INFINITY, enough2 = enough * enough;
    for (uint32_t i = 0; i < a->top.natoms; i++) {
        if (a->top.atoms[i].flags & MISI_ATOM_HYDROGEN)
            continue;
        const float *p = &a->xyz[3 * (size_t)i];
        for (uint32_t j = 0; j < b->top.natoms; j++) {
            if (b->top.atoms[j].flags & MISI_ATOM_HYDROGEN)
                continue;
            const float *q = &b->xyz[3 * (size_t)j];
            float dx = p[0] - q[0], dy = p[1] - q[1], dz = p[2] - q[2];
            float d2 = dx * dx + dy * dy + dz * dz;
            if (d2 < best)
                best = d2;
        }
        if (best <= enough2)
            break;
    }
    return sqrtf(best);
}

typedef struct name_ref {
    const char *name;
    uint32_t index;
} name_ref;

static int name_ref_cmp(const void *x, const void *y)
{
    const name_ref *p = x, *q = y;
    int c = strcasecmp(p->name, q->name);
    if (c)
        return c;
    return p->index < q->index ? -1 : p->index > q->index;
}

int misi_qualify_duplicate_names(misi_mol *mol, uint32_t *nqualified, misi_error *err)
{
    uint32_t n = mol->top.natoms, nq = 0;
    if (nqualified)
        *nqualified = 0;
    if (n < 2)
        return MISI_OK;
    name_ref *refs = malloc((size_t)n * sizeof *refs);
    bool *dup = calloc(n, sizeof *dup);
    if (!refs || !dup) {
        free(refs);
        free(dup);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory comparing %u atom names", n);
    }
    for (uint32_t i = 0; i < n; i++)
        refs[i] = (name_ref){mol->top.atoms[i].name, i};
    qsort(refs, n, sizeof *refs, name_ref_cmp);
    for (uint32_t s = 0; s < n;) {
        uint32_t e = s + 1;
        while (e < n && strcasecmp(refs[s].name, refs[e].name) == 0)
            e++;
        if (e - s > 1)
            for (uint32_t k = s; k < e; k++)
                dup[refs[k].index] = true;
        s = e;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!dup[i])
            continue;
        misi_atom *a = &mol->top.atoms[i];
        /* The file's own atom number, so a user finds the atom in the file;
         * the position in the molecule when the file gave none. */
        uint32_t num = a->serial ? a->serial : i + 1;
        char base[MISI_ATOM_NAME_MAX + 1];
        snprintf(base, sizeof base, "%.*s", MISI_ATOM_NAME_MAX, a->name);
        snprintf(a->name, sizeof a->name, "%s#%u", base, num);
        a->flags |= MISI_ATOM_QUALIFIED;
        nq++;
    }
    free(refs);
    free(dup);
    if (nqualified)
        *nqualified = nq;
    return MISI_OK;
}

void misi_complex_find_covalent(misi_complex *cx)
{
    const misi_mol *p = &cx->pocket, *l = &cx->ligand;
    cx->ncovalent = 0;
    uint32_t kept = 0;
    for (uint32_t j = 0; j < l->top.natoms; j++) {
        const misi_atom *la = &l->top.atoms[j];
        if (la->flags & (MISI_ATOM_HYDROGEN | MISI_ATOM_METAL))
            continue;
        float rl = misi_element_covalent_radius(la->element);
        const float *q = &l->xyz[3 * (size_t)j];
        for (uint32_t i = 0; i < p->top.natoms; i++) {
            const misi_atom *pa = &p->top.atoms[i];
            /* Metal coordination is not a covalent link (docs/hbonds.md). */
            if (pa->flags & (MISI_ATOM_HYDROGEN | MISI_ATOM_METAL))
                continue;
            const float *r = &p->xyz[3 * (size_t)i];
            float dx = r[0] - q[0], dy = r[1] - q[1], dz = r[2] - q[2];
            float d = sqrtf(dx * dx + dy * dy + dz * dz);
            float lim = rl + misi_element_covalent_radius(pa->element) + MISI_COVALENT_TOLERANCE;
            /* Closer than 0.4 Å is an overlapping copy, not a bond (bonds.c). */
            if (d > lim || d < 0.4f)
                continue;
            cx->ncovalent++;
            /* Keep the shortest links, in order. */
            uint32_t at = kept;
            while (at > 0 && cx->covalent[at - 1].distance > d)
                at--;
            if (at >= MISI_MAX_COVALENT_LINKS)
                continue;
            uint32_t last = kept < MISI_MAX_COVALENT_LINKS ? kept : MISI_MAX_COVALENT_LINKS - 1;
            for (uint32_t k = last; k > at; k--)
                cx->covalent[k] = cx->covalent[k - 1];
            cx->covalent[at] = (misi_covalent_link){.pocket_atom = i, .ligand_atom = j, .distance = d};
            if (kept < MISI_MAX_COVALENT_LINKS)
                kept++;
        }
    }
}

static void set_id(misi_complex *cx, const char *id)
{
    /* Ids longer than the field are cut; PDBbind ids are 4 characters. */
    size_t n = strnlen(id, sizeof cx->id - 1);
    memcpy(cx->id, id, n);
    cx->id[n] = '\0';
}

/* The id of a ligand file: its base name without the extension and without a
 * PDBbind "_ligand" suffix ("x/1abc_ligand.mol2" -> "1abc"). */
static void id_from_ligand(char *out, size_t cap, const char *ligand)
{
    const char *base = misi_basename(ligand);
    size_t n = strcspn(base, "/");
    for (size_t i = n; i > 1; i--) {
        if (base[i - 1] == '.') {
            n = i - 1;
            break;
        }
    }
    if (n > 7 && memcmp(base + n - 7, "_ligand", 7) == 0)
        n -= 7;
    snprintf(out, cap, "%.*s", (int)n, base);
}

int misi_complex_load_pair(const char *pocket, const char *ligand, const char *id,
                           const misi_load_config *cfg, misi_complex *cx, misi_error *err)
{
    /* A private copy: the caller may pass cx->id itself, which finish clears. */
    char idbuf[sizeof cx->id];
    if (id)
        snprintf(idbuf, sizeof idbuf, "%.*s", (int)(sizeof idbuf - 1), id);
    else
        id_from_ligand(idbuf, sizeof idbuf, ligand);
    id = idbuf;
    misi_complex_finish(cx);
    set_id(cx, id);
    float max_dist =
        cfg && cfg->max_ligand_distance > 0.0f ? cfg->max_ligand_distance : DEFAULT_MAX_LIGAND_DISTANCE;
    bool keep_waters = cfg && cfg->keep_waters;
    int rc;
    if (!misi_is_file(pocket)) {
        rc =
            misi_error_at(err, MISI_E_IO, pocket, 0, "missing pocket file: expected a PDB file at this path");
        goto fail;
    }
    if (!misi_is_file(ligand)) {
        rc = misi_error_at(err, MISI_E_IO, ligand, 0,
                           "missing ligand file: expected a MOL2, SDF or PDB file at this path");
        goto fail;
    }
    rc = misi_read_pdb(pocket, &cx->pocket, err);
    if (rc)
        goto fail;
    bool lig_pdb;
    rc = read_by_extension(ligand, &cx->ligand, &lig_pdb, err);
    if (rc)
        goto fail;
    if (!keep_waters) {
        if ((rc = remove_waters(&cx->pocket, err)) || (rc = remove_waters(&cx->ligand, err)))
            goto fail;
    }
    if (misi_mol_heavy_count(&cx->pocket) == 0) {
        rc = misi_error_at(err, MISI_E_INVALID, pocket, 0,
                           "empty pocket: expected heavy atoms besides waters, found none");
        goto fail;
    }
    if (misi_mol_heavy_count(&cx->ligand) == 0) {
        rc = misi_error_at(err, MISI_E_INVALID, ligand, 0,
                           "empty ligand: expected at least one heavy atom, found %u atom%s and none heavy",
                           cx->ligand.top.natoms, cx->ligand.top.natoms == 1 ? "" : "s");
        goto fail;
    }
    if ((rc = misi_mol_check_finite(&cx->pocket, err)) || (rc = misi_mol_check_finite(&cx->ligand, err)))
        goto fail;
    float d = nearest_heavy_distance(&cx->ligand, &cx->pocket, max_dist);
    if (!(d <= max_dist)) {
        rc = misi_error_at(
            err, MISI_E_INVALID, ligand, 0,
            "ligand is %.1f Å from its pocket %s (nearest heavy atoms); expected at most %.1f Å", (double)d,
            pocket, (double)max_dist);
        goto fail;
    }
    if ((rc = misi_perceive_bonds(&cx->pocket, err)))
        goto fail;
    if (lig_pdb && (rc = misi_perceive_bonds(&cx->ligand, err)))
        goto fail;
    if ((rc = misi_qualify_duplicate_names(&cx->ligand, &cx->nqualified, err)))
        goto fail;
    misi_complex_find_covalent(cx);
    return MISI_OK;
fail:
    misi_complex_finish(cx);
    set_id(cx, id);
    return rc;
}

/* Base name of a folder path without trailing slashes. */
static void folder_id(char *out, size_t cap, const char *dir)
{
    const char *base = misi_basename(dir);
    size_t n = strcspn(base, "/");
    snprintf(out, cap, "%.*s", (int)n, base);
}

int misi_complex_load_dir(const char *dir, const misi_load_config *cfg, misi_complex *cx, misi_error *err)
{
    char id[256], name[300];
    folder_id(id, sizeof id, dir);
    snprintf(name, sizeof name, "%s_pocket.pdb", id);
    char *pocket = join_path(dir, name);
    snprintf(name, sizeof name, "%s_ligand.mol2", id);
    char *mol2 = join_path(dir, name);
    snprintf(name, sizeof name, "%s_ligand.sdf", id);
    char *sdf = join_path(dir, name);
    int rc;
    misi_complex_finish(cx);
    set_id(cx, id);
    if (!pocket || !mol2 || !sdf) {
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
    } else if (!misi_is_dir(dir)) {
        rc = misi_error_at(err, MISI_E_IO, dir, 0,
                           "missing complex folder: expected a folder holding %s_pocket.pdb", id);
    } else if (!misi_is_file(pocket)) {
        rc = misi_error_at(err, MISI_E_IO, pocket, 0,
                           "missing pocket file: expected it in the complex folder");
    } else if (misi_is_file(mol2)) {
        rc = misi_complex_load_pair(pocket, mol2, id, cfg, cx, err);
    } else if (misi_is_file(sdf)) {
        rc = misi_complex_load_pair(pocket, sdf, id, cfg, cx, err);
    } else {
        rc = misi_error_at(err, MISI_E_IO, mol2, 0,
                           "missing ligand file: expected %s_ligand.mol2 or %s_ligand.sdf here", id, id);
    }
    free(pocket);
    free(mol2);
    free(sdf);
    return rc;
}

int misi_source_load(const misi_source *src, const misi_load_config *cfg, misi_complex *cx, misi_error *err)
{
    if (src->dir)
        return misi_complex_load_dir(src->dir, cfg, cx, err);
    return misi_complex_load_pair(src->pocket, src->ligand, src->id, cfg, cx, err);
}

/* ---- sources ---- */

static void source_free(misi_source *s)
{
    free(s->id);
    free(s->dir);
    free(s->pocket);
    free(s->ligand);
    memset(s, 0, sizeof *s);
}

static int push_source(misi_source_list *list, const char *id, const char *dir, const char *pocket,
                       const char *ligand, misi_error *err)
{
    if (list->count > SIZE_MAX / sizeof *list->items / 2)
        return misi_error_set(err, MISI_E_LIMIT, "too many sources");
    /* Growing one by one is fine: lists hold thousands of entries, not millions. */
    misi_source *items = realloc(list->items, (list->count + 1) * sizeof *items);
    if (!items)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for sources");
    list->items = items;
    misi_source *s = &items[list->count];
    memset(s, 0, sizeof *s);
    s->id = strdup(id);
    s->dir = dir ? strdup(dir) : NULL;
    s->pocket = pocket ? strdup(pocket) : NULL;
    s->ligand = ligand ? strdup(ligand) : NULL;
    if (!s->id || (dir && !s->dir) || (pocket && !s->pocket) || (ligand && !s->ligand)) {
        source_free(s);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for sources");
    }
    list->count++;
    return MISI_OK;
}

static void truncate_list(misi_source_list *list, size_t count)
{
    while (list->count > count)
        source_free(&list->items[--list->count]);
}

int misi_sources_add_pair(misi_source_list *list, const char *pocket, const char *ligand, misi_error *err)
{
    char id[64];
    id_from_ligand(id, sizeof id, ligand);
    return push_source(list, id, NULL, pocket, ligand, err);
}

static bool holds_pocket(const char *dir)
{
    char id[256], name[300];
    folder_id(id, sizeof id, dir);
    snprintf(name, sizeof name, "%s_pocket.pdb", id);
    char *p = join_path(dir, name);
    bool ok = p && misi_is_file(p);
    free(p);
    return ok;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* Whether a folder holds any complex file at all: a folder of scripts or
 * notes beside the complexes is no complex, and is skipped with a note,
 * while one with a pocket but no ligand is a broken complex and is kept so
 * its load fails loudly. */
static bool holds_complex_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return true; /* let the load report why it cannot be read */
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)))
        found = ends_with(e->d_name, "_pocket.pdb") || ends_with(e->d_name, "_ligand.mol2") ||
                ends_with(e->d_name, "_ligand.sdf");
    closedir(d);
    return found;
}

static int add_note(misi_source_list *list, misi_error *err, const char *fmt, const char *arg)
{
    char **p = realloc(list->notes, (list->nnotes + 1) * sizeof *p);
    if (!p)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for notes");
    list->notes = p;
    int n = snprintf(NULL, 0, fmt, arg);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!text)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for notes");
    snprintf(text, (size_t)n + 1, fmt, arg);
    list->notes[list->nnotes++] = text;
    return MISI_OK;
}

static int name_cmp(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* A folder of complex folders: every subfolder (hidden ones aside) holding a
 * complex file becomes a source, so one missing a file fails at load time
 * and shows up in the batch report instead of vanishing; one holding none
 * is skipped with a note. */
static int add_folder_of_complexes(misi_source_list *list, const char *path, misi_error *err)
{
    DIR *d = opendir(path);
    if (!d)
        return misi_error_at(err, MISI_E_IO, path, 0, "cannot open folder: %s", strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = MISI_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *full = join_path(path, e->d_name);
        if (!full) {
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory listing %s", path);
            break;
        }
        if (!misi_is_dir(full)) {
            free(full);
            continue;
        }
        free(full);
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            char **p = realloc(names, nc * sizeof *p);
            if (!p) {
                rc = misi_error_set(err, MISI_E_NOMEM, "out of memory listing %s", path);
                break;
            }
            names = p;
            cap = nc;
        }
        names[n] = strdup(e->d_name);
        if (!names[n]) {
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory listing %s", path);
            break;
        }
        n++;
    }
    closedir(d);
    if (!rc)
        qsort(names, n, sizeof *names, name_cmp);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        char *full = rc ? NULL : join_path(path, names[i]);
        if (!rc && !full)
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
        if (!rc && !holds_complex_files(full)) {
            rc = add_note(list, err,
                          "skipped %s: no complex files in it (expected <id>_pocket.pdb with "
                          "<id>_ligand.mol2 or .sdf)",
                          full);
            free(full);
            free(names[i]);
            continue;
        }
        free(full);
        names[kept++] = names[i];
    }
    n = kept;
    if (!rc && n == 0)
        rc = misi_error_at(
            err, MISI_E_INVALID, path, 0,
            "expected a complex folder (holding <id>_pocket.pdb) or a folder of them, found neither");
    if (!rc) {
        for (size_t i = 0; i < n && !rc; i++) {
            char *full = join_path(path, names[i]);
            rc = full ? push_source(list, names[i], full, NULL, NULL, err)
                      : misi_error_set(err, MISI_E_NOMEM, "out of memory");
            free(full);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Relative entries in a list file are relative to the list's own folder, so
 * a list and its data can move together. */
static char *resolve_against(const char *list_path, text_span entry)
{
    char *rel = strndup(entry.p, entry.n);
    if (!rel || rel[0] == '/')
        return rel;
    const char *base = misi_basename(list_path);
    size_t dlen = (size_t)(base - list_path);
    if (dlen == 0)
        return rel;
    char *dir = strndup(list_path, dlen);
    char *full = dir ? join_path(dir, rel) : NULL;
    free(dir);
    free(rel);
    return full;
}

int misi_sources_parse_list(misi_source_list *list, const char *text, size_t len, const char *path,
                            misi_error *err)
{
    size_t before = list->count;
    int rc = MISI_OK;
    text_lines it;
    text_span line;
    text_lines_init(&it, text, len);
    char shown[80];
    size_t entries = 0;
    while (!rc && text_next_line(&it, &line)) {
        text_span t = text_trim(line);
        if (t.n == 0 || t.p[0] == '#')
            continue;
        if (memchr(t.p, '\0', t.n)) {
            rc = misi_error_at(err, MISI_E_PARSE, path, it.lineno,
                               "expected 'pocket,ligand', found a NUL byte");
            break;
        }
        const char *comma = memchr(t.p, ',', t.n);
        text_span a = {t.p, comma ? (size_t)(comma - t.p) : t.n};
        text_span b = comma ? (text_span){comma + 1, t.n - a.n - 1} : (text_span){t.p, 0};
        a = text_trim(a);
        b = text_trim(b);
        if (!comma || a.n == 0 || b.n == 0 || memchr(b.p, ',', b.n)) {
            rc = misi_error_at(err, MISI_E_PARSE, path, it.lineno,
                               "expected 'pocket,ligand' (two file paths separated by a comma), found '%s'",
                               text_show(shown, sizeof shown, t));
            break;
        }
        char *pocket = resolve_against(path, a), *ligand = resolve_against(path, b);
        if (!pocket || !ligand)
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
        else
            rc = misi_sources_add_pair(list, pocket, ligand, err);
        free(pocket);
        free(ligand);
        entries++;
    }
    if (!rc && entries == 0)
        rc = misi_error_at(err, MISI_E_PARSE, path, 0, "expected 'pocket,ligand' lines, found none");
    if (rc)
        truncate_list(list, before);
    return rc;
}

static int add_list_file(misi_source_list *list, const char *path, misi_error *err)
{
    char *text;
    size_t len;
    int rc = misi_read_file(path, 0, &text, &len, err);
    if (rc)
        return rc;
    rc = misi_sources_parse_list(list, text, len, path, err);
    free(text);
    return rc;
}

int misi_sources_add_path(misi_source_list *list, const char *path, misi_error *err)
{
    size_t before = list->count;
    int rc;
    if (misi_is_dir(path)) {
        if (holds_pocket(path)) {
            char id[256];
            folder_id(id, sizeof id, path);
            rc = push_source(list, id, path, NULL, NULL, err);
        } else {
            rc = add_folder_of_complexes(list, path, err);
        }
    } else if (misi_is_file(path)) {
        rc = add_list_file(list, path, err);
    } else {
        rc = misi_error_at(
            err, MISI_E_IO, path, 0,
            "expected a complex folder, a folder of complexes or a list file, found nothing there");
    }
    if (rc)
        truncate_list(list, before);
    return rc;
}

void misi_sources_finish(misi_source_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        source_free(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
    for (size_t i = 0; i < list->nnotes; i++)
        free(list->notes[i]);
    free(list->notes);
    list->notes = NULL;
    list->nnotes = 0;
}
