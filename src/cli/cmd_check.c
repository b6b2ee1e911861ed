/* misi check: load every complex a path names and say, per complex, whether
 * it is usable. The quickest way to vet a dataset before a long run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "misi/fs.h"
#include "misi/mol.h"

static void check_usage(FILE *f)
{
    fprintf(f, "usage: misi check [options] <complex folder | folder of complexes | list file>...\n"
               "       misi check [options] <pocket.pdb> <ligand.mol2|.sdf|.mol|.pdb>\n"
               "\n"
               "Loads each complex and prints 'ok <id>: ...' on stdout or 'error <id>: ...' on\n"
               "stderr; every folder or list named is checked. A list file holds\n"
               "'pocket,ligand' lines (# comments; relative paths are relative to the list\n"
               "file). Two plain files are one pocket and its ligand.\n"
               "\n"
               "Also printed (stdout; the complex still counts as loaded):\n"
               "  warning <id>: ...   ligand atoms sharing a name, and the names answers use\n"
               "  covalent <id>: ...  ligand-pocket atom pairs within covalent distance\n"
               "and on stderr 'note: skipped ...' for a sub-folder with no complex files.\n"
               "\n"
               "options:\n"
               "  --max-ligand-distance <A>  reject ligands farther than this from the pocket (20)\n"
               "  --keep-waters              keep water molecules\n"
               "  -h, --help                 show this help\n"
               "\n"
               "exit status: 0 all loaded, 1 some failed, 2 bad command line\n");
}

static bool is_pdb_name(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && (!strcasecmp(path + n - 4, ".pdb") || !strcasecmp(path + n - 4, ".ent"));
}

static void residue_words(const misi_atom *a, char *buf, size_t cap)
{
    char icode[2] = {a->icode == ' ' ? 0 : a->icode, 0};
    snprintf(buf, cap, "%s %d%s %c", a->resname, a->resseq, icode, a->chain == ' ' ? '_' : a->chain);
}

/* The name rule and covalent links in words, after the 'ok' line. */
static void report_chemistry(const misi_complex *cx)
{
    if (cx->nqualified) {
        printf("warning %s: %u ligand atoms share a name with another; answers name them", cx->id,
               cx->nqualified);
        uint32_t shown = 0;
        for (uint32_t i = 0; i < cx->ligand.top.natoms && shown < 8; i++) {
            if (cx->ligand.top.atoms[i].flags & MISI_ATOM_QUALIFIED)
                printf("%s %s", shown++ ? "," : "", cx->ligand.top.atoms[i].name);
        }
        printf("%s\n", cx->nqualified > shown ? ", ..." : "");
    }
    for (uint32_t k = 0; k < cx->ncovalent && k < MISI_MAX_COVALENT_LINKS; k++) {
        const misi_covalent_link *c = &cx->covalent[k];
        const misi_atom *pa = &cx->pocket.top.atoms[c->pocket_atom];
        const misi_atom *la = &cx->ligand.top.atoms[c->ligand_atom];
        char res[48];
        residue_words(pa, res, sizeof res);
        printf("covalent %s: ligand %s - pocket %s %s at %.2f A (covalent radii %.2f + %.2f A): a covalently "
               "bound ligand\n",
               cx->id, la->name, res, pa->name, (double)c->distance,
               (double)(misi_element_covalent_radius(la->element) + misi_element_covalent_radius(pa->element)),
               (double)MISI_COVALENT_TOLERANCE);
    }
    if (cx->ncovalent > MISI_MAX_COVALENT_LINKS)
        printf("covalent %s: %u pairs in all\n", cx->id, cx->ncovalent);
}

int cmd_check(int argc, char **argv)
{
    misi_load_config cfg = {0};
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int npaths = 0;
    if (!paths)
        return MISI_EXIT_FAIL;
    int status = -1;
    for (int i = 1; i < argc && status < 0; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            check_usage(stdout);
            status = MISI_EXIT_OK;
        } else if (!strcmp(a, "--keep-waters")) {
            cfg.keep_waters = true;
        } else if (!strcmp(a, "--max-ligand-distance")) {
            char *end = NULL;
            double v = i + 1 < argc ? strtod(argv[i + 1], &end) : 0.0;
            if (i + 1 >= argc || end == argv[i + 1] || *end || !(v > 0.0 && v < 1e6)) {
                fprintf(stderr, "misi check: --max-ligand-distance needs a positive number of Ångström\n");
                status = MISI_EXIT_USAGE;
            }
            cfg.max_ligand_distance = (float)v;
            i++;
        } else if (!strcmp(a, "--")) {
            for (i++; i < argc; i++)
                paths[npaths++] = argv[i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "misi check: unknown option '%s'\n", a);
            check_usage(stderr);
            status = MISI_EXIT_USAGE;
        } else {
            paths[npaths++] = a;
        }
    }
    if (status < 0 && npaths == 0) {
        check_usage(stderr);
        status = MISI_EXIT_USAGE;
    }
    if (status >= 0) {
        free(paths);
        return status;
    }

    misi_source_list list = {0};
    misi_error err;
    misi_error_clear(&err);
    size_t bad_paths = 0;
    /* Two non-folders, the first a PDB file, are a pocket and its ligand
     * (a missing one is then reported as such); anything else (folders, list
     * files, any number of them) is checked path by path. */
    if (npaths == 2 && !misi_is_dir(paths[0]) && !misi_is_dir(paths[1]) && is_pdb_name(paths[0])) {
        if (misi_sources_add_pair(&list, paths[0], paths[1], &err)) {
            fprintf(stderr, "error: %s\n", err.msg);
            bad_paths++;
        }
    } else {
        for (int i = 0; i < npaths; i++) {
            misi_error_clear(&err);
            if (misi_sources_add_path(&list, paths[i], &err)) {
                fprintf(stderr, "error: %s\n", err.msg);
                bad_paths++;
            }
        }
    }
    free(paths);
    for (size_t i = 0; i < list.nnotes; i++)
        fprintf(stderr, "note: %s\n", list.notes[i]);
    size_t failed = 0;
    for (size_t i = 0; i < list.count; i++) {
        misi_complex cx;
        misi_complex_init(&cx);
        misi_error_clear(&err);
        if (misi_source_load(&list.items[i], &cfg, &cx, &err)) {
            fprintf(stderr, "error %s: %s\n", list.items[i].id, err.msg);
            failed++;
        } else {
            printf("ok %s: %u pocket atoms (%u residues), %u ligand atoms, %u bonds%s\n", cx.id,
                   cx.pocket.top.natoms, cx.pocket.top.nresidues, cx.ligand.top.natoms,
                   cx.pocket.top.nbonds + cx.ligand.top.nbonds, cx.ncovalent ? ", covalent ligand" : "");
            report_chemistry(&cx);
        }
        misi_complex_finish(&cx);
    }
    size_t count = list.count;
    misi_sources_finish(&list);
    if (failed && count > 1)
        fprintf(stderr, "%zu of %zu complexes failed\n", failed, count);
    return failed || bad_paths ? MISI_EXIT_FAIL : MISI_EXIT_OK;
}
