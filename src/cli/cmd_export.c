/* misi export: a generated dataset in the forms evaluation and training
 * tools read (misi/export.h, docs/export.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "misi/answer.h"
#include "misi/export.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: misi export --format F [options] DATASET\n"
               "\n"
               "Writes a dataset made by misi generate (loose images or --format tar) as\n"
               "  vlmevalkit  VLMEvalKit TSVs: MiSI_<split>_MCQ.tsv (T5, T6, T8) and\n"
               "              MiSI_<split>_VQA.tsv (cloze tasks), images in base64\n"
               "  lmms-eval   an lmms-eval task folder: misi_<split>.yaml, utils.py (scores\n"
               "              with misi score), <split>.jsonl and the images\n"
               "  llava       LLaVA training JSON: <split>.json with \"image\", and the images\n"
               "  wds         WebDataset shards of questions: <split>-NNNNNN.tar with\n"
               "              <key>.json and <key>.<n>.png per question\n"
               "Every file read is checked against the dataset's manifest; exports carry\n"
               "each question's answer, never its truth (docs/export.md).\n"
               "\n"
               "options:\n"
               "  --format F          vlmevalkit, lmms-eval, llava or wds (required)\n"
               "  --split S           train, test or all (default: test for vlmevalkit and\n"
               "                      lmms-eval, train for llava and wds)\n"
               "  --tasks LIST        only these tasks, comma separated names or numbers 1-9\n"
               "  --out PATH          the export folder (default DATASET-FORMAT-SPLIT beside\n"
               "                      the dataset); must not exist unless --force\n"
               "  --force             replace an earlier export at --out (only a folder misi\n"
               "                      export wrote, marked by its misi-export.json)\n"
               "  --shard-samples N   wds: questions per shard (default %d)\n"
               "  -h, --help          this text\n"
               "\n"
               "exit status: 0 exported, 1 the dataset could not be read or the export not\n"
               "written (nothing is left behind), 2 bad command line\n",
            MISI_EXPORT_SHARD_SAMPLES);
}

int cmd_export(int argc, char **argv)
{
    misi_export_config c = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return MISI_EXIT_OK;
        } else if (!strcmp(a, "--force")) {
            c.force = true;
        } else if (!strcmp(a, "--format") || !strcmp(a, "--split") || !strcmp(a, "--tasks") ||
                   !strcmp(a, "--out") || !strcmp(a, "--shard-samples")) {
            if (!val) {
                fprintf(stderr, "misi export: %s needs a value\n", a);
                return MISI_EXIT_USAGE;
            }
            i++;
            if (!strcmp(a, "--format")) {
                if (!(c.format = misi_export_format_parse(val))) {
                    fprintf(stderr, "misi export: unknown --format '%s' (expected one of %s)\n", val,
                            MISI_EXPORT_FORMATS);
                    return MISI_EXIT_USAGE;
                }
            } else if (!strcmp(a, "--split")) {
                c.split = !strcmp(val, "train") ? MISI_EXPORT_SPLIT_TRAIN
                          : !strcmp(val, "test") ? MISI_EXPORT_SPLIT_TEST
                          : !strcmp(val, "all")  ? MISI_EXPORT_SPLIT_ALL
                                                 : MISI_EXPORT_SPLIT_DEFAULT;
                if (!c.split) {
                    fprintf(stderr, "misi export: unknown --split '%s' (expected one of train, test, all)\n", val);
                    return MISI_EXIT_USAGE;
                }
            } else if (!strcmp(a, "--out")) {
                c.out = val;
            } else if (!strcmp(a, "--shard-samples")) {
                char *end;
                long n = strtol(val, &end, 10);
                if (end == val || *end || n < 1 || n > 1000000) {
                    fprintf(stderr, "misi export: --shard-samples is a number of questions, 1 to 1000000, not '%s'\n",
                            val);
                    return MISI_EXIT_USAGE;
                }
                c.shard_samples = (int)n;
            } else {
                char buf[256];
                snprintf(buf, sizeof buf, "%s", val);
                for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                    int t = cli_task_word(tok);
                    if (!t) {
                        fprintf(stderr,
                                "misi export: --tasks: unknown task '%s' (expected numbers 1-9 or names: "
                                "translation, rotation, zooming, residue_ligand, translation_rotation, "
                                "rotation_rotation, docking, interaction_location, pocket_ligand)\n",
                                tok);
                        return MISI_EXIT_USAGE;
                    }
                    c.tasks |= 1u << t;
                }
                if (!c.tasks) {
                    fprintf(stderr, "misi export: --tasks needs at least one task\n");
                    return MISI_EXIT_USAGE;
                }
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "misi export: unknown option '%s'\n", a);
            usage(stderr);
            return MISI_EXIT_USAGE;
        } else if (c.dataset) {
            fprintf(stderr, "misi export: one dataset folder, not '%s' too\n", a);
            return MISI_EXIT_USAGE;
        } else {
            c.dataset = a;
        }
    }
    if (!c.format) {
        fprintf(stderr, "misi export: which --format? (one of %s)\n", MISI_EXPORT_FORMATS);
        usage(stderr);
        return MISI_EXIT_USAGE;
    }
    if (!c.dataset) {
        fprintf(stderr, "misi export: which dataset? (a folder made by misi generate)\n");
        usage(stderr);
        return MISI_EXIT_USAGE;
    }
    misi_error err = {0};
    misi_export_report r = {0};
    int rc = misi_export(&c, &r, &err);
    if (rc) {
        fprintf(stderr, "misi export: error: %s\n", err.msg);
        return rc == MISI_E_USAGE ? MISI_EXIT_USAGE : MISI_EXIT_FAIL;
    }
    fprintf(stderr, "misi export: %zu train and %zu test questions (%zu images checked) -> %s%s\n",
            r.questions[0], r.questions[1], r.images, r.out, r.replaced ? " (the earlier export replaced)" : "");
    misi_export_report_finish(&r);
    return MISI_EXIT_OK;
}
