/* misi merge: shard folders (misi generate --shard K/N) into one dataset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "misi/generate.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: misi merge [--force] OUT SHARD_DIR...\n"
               "\n"
               "Combines the shard folders of `misi generate --shard K/N` (same sources, seed\n"
               "and options) into one dataset in OUT, byte-identical to an unsharded run.\n"
               "Every complex must have been finished by some shard; the error names what is\n"
               "missing otherwise (rerun that shard with --resume). Every image is checked\n"
               "against the SHA-256 its shard recorded; a damaged one is refused by name.\n"
               "OUT must be new, empty, a misi output or one of the shard folders.\n"
               "\n"
               "  --force      replace a dataset already in OUT (only the files its manifest\n"
               "               lists), or write into a non-empty folder, replacing none of its files\n"
               "  -h, --help   this text\n");
}

int cmd_merge(int argc, char **argv)
{
    bool force = false;
    const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
    const char *out = NULL;
    size_t n = 0;
    if (!dirs)
        return MISI_EXIT_FAIL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            free(dirs);
            return MISI_EXIT_OK;
        } else if (!strcmp(argv[i], "--force")) {
            force = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "misi merge: unknown option '%s'\n", argv[i]);
            usage(stderr);
            free(dirs);
            return MISI_EXIT_USAGE;
        } else if (!out) {
            out = argv[i];
        } else {
            dirs[n++] = argv[i];
        }
    }
    if (!out || n == 0) {
        usage(stderr);
        free(dirs);
        return MISI_EXIT_USAGE;
    }
    misi_error err = {0};
    int rc = misi_merge(out, dirs, n, force, &err);
    free(dirs);
    if (rc) {
        fprintf(stderr, "misi merge: %s\n", err.msg);
        return rc == MISI_E_USAGE ? MISI_EXIT_USAGE : MISI_EXIT_FAIL;
    }
    fprintf(stderr, "misi merge: %zu shard folder%s -> %s\n", n, n == 1 ? "" : "s", out);
    cli_report_audit("merge", out);
    return MISI_EXIT_OK;
}
