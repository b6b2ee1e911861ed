/* misi check: load every complex a path names and say, per complex, whether
 * it is usable. The quickest way to vet a dataset before a long run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "misi/fs.h"
#include "misi/mol.h"

static void check_usage(FILE *f)
{
    fprintf(f, "usage: misi check [options] <complex folder | folder of complexes | list file>\n"
               "       misi check [options] <pocket.pdb> <ligand.mol2|.sdf|.mol|.pdb>\n"
               "\n"
               "Loads each complex and prints 'ok <id>: ...' on stdout or 'error <id>: ...' on\n"
               "stderr. A list file holds 'pocket,ligand' lines (# comments; relative paths are\n"
               "relative to the list file).\n"
               "\n"
               "options:\n"
               "  --max-ligand-distance <A>  reject ligands farther than this from the pocket (20)\n"
               "  --keep-waters              keep water molecules\n"
               "  -h, --help                 show this help\n"
               "\n"
               "exit status: 0 all loaded, 1 some failed, 2 bad command line\n");
}

int cmd_check(int argc, char **argv)
{
    misi_load_config cfg = {0};
    const char *paths[2];
    int npaths = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            check_usage(stdout);
            return MISI_EXIT_OK;
        } else if (!strcmp(a, "--keep-waters")) {
            cfg.keep_waters = true;
        } else if (!strcmp(a, "--max-ligand-distance")) {
            char *end = NULL;
            double v = i + 1 < argc ? strtod(argv[i + 1], &end) : 0.0;
            if (i + 1 >= argc || end == argv[i + 1] || *end || !(v > 0.0 && v < 1e6)) {
                fprintf(stderr, "misi check: --max-ligand-distance needs a positive number of Ångström\n");
                return MISI_EXIT_USAGE;
            }
            cfg.max_ligand_distance = (float)v;
            i++;
        } else if (!strcmp(a, "--")) {
            for (i++; i < argc; i++) {
                if (npaths == 2) {
                    check_usage(stderr);
                    return MISI_EXIT_USAGE;
                }
                paths[npaths++] = argv[i];
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "misi check: unknown option '%s'\n", a);
            check_usage(stderr);
            return MISI_EXIT_USAGE;
        } else {
            if (npaths == 2) {
                check_usage(stderr);
                return MISI_EXIT_USAGE;
            }
            paths[npaths++] = a;
        }
    }
    if (npaths == 0) {
        check_usage(stderr);
        return MISI_EXIT_USAGE;
    }

    misi_source_list list = {0};
    misi_error err;
    misi_error_clear(&err);
    int rc = npaths == 2 ? misi_sources_add_pair(&list, paths[0], paths[1], &err)
                         : misi_sources_add_path(&list, paths[0], &err);
    if (rc) {
        fprintf(stderr, "error: %s\n", err.msg);
        misi_sources_finish(&list);
        return MISI_EXIT_FAIL;
    }
    size_t failed = 0;
    for (size_t i = 0; i < list.count; i++) {
        misi_complex cx;
        misi_complex_init(&cx);
        misi_error_clear(&err);
        if (misi_source_load(&list.items[i], &cfg, &cx, &err)) {
            fprintf(stderr, "error %s: %s\n", list.items[i].id, err.msg);
            failed++;
        } else {
            printf("ok %s: %u pocket atoms (%u residues), %u ligand atoms, %u bonds\n", cx.id,
                   cx.pocket.top.natoms, cx.pocket.top.nresidues, cx.ligand.top.natoms,
                   cx.pocket.top.nbonds + cx.ligand.top.nbonds);
        }
        misi_complex_finish(&cx);
    }
    misi_sources_finish(&list);
    if (failed && list.count > 1)
        fprintf(stderr, "%zu of %zu complexes failed\n", failed, list.count);
    return failed ? MISI_EXIT_FAIL : MISI_EXIT_OK;
}
