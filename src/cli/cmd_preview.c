/* misi preview: a PNG sheet of one question of a generated dataset, or of a
 * task's first questions (misi/preview.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "misi/answer.h"
#include "misi/preview.h"

static void preview_usage(FILE *f)
{
    fprintf(f,
            "usage: misi preview [options] DATASET ID\n"
            "       misi preview [options] --task TASK [--count N] DATASET\n"
            "\n"
            "Writes one PNG sheet that shows a question of a dataset made by misi generate\n"
            "(loose images or --format tar shards) as a person sees it: its id and task,\n"
            "its images in a grid each captioned 'Image n', the question word-wrapped,\n"
            "the options A-D when it has them, and the answer. With --task, the first N\n"
            "questions of a task one under the other (train.jsonl, then test.jsonl).\n"
            "Text is drawn with misi's label font; no GL context is needed.\n"
            "\n"
            "options:\n"
            "  --out FILE          the sheet (default: ID.png, or TASK.png with --task)\n"
            "  --task TASK         a task by name or number 1-9, instead of an ID\n"
            "  --count N           with --task: how many questions, 1-%d (default 3)\n"
            "  --split train|test  look in one split only (default: both)\n"
            "  --answers           show the answer (the default)\n"
            "  --no-answers        leave the answer out: a sheet to show a person as a quiz\n"
            "  --tile PX           scale each image so its longer side is PX (8-4096;\n"
            "                      default: the images' own size)\n"
            "  --font FILE         a TrueType font (default: the label font, $MISI_FONT or\n"
            "                      DejaVu Sans)\n"
            "  -h, --help          show this help\n"
            "\n"
            "exit status: 0 written, 1 the dataset or an image could not be read (nothing\n"
            "written), 2 bad command line, unknown id or unknown task\n",
            MISI_PREVIEW_MAX_COUNT);
}

/* A whole number in [lo, hi] for option opt, else a message and false. */
static bool int_arg(const char *opt, const char *val, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(val, &end, 10);
    if (end == val || *end || v < lo || v > hi) {
        fprintf(stderr, "misi preview: %s is a whole number from %d to %d, not '%s'\n", opt, lo, hi, val);
        return false;
    }
    *out = (int)v;
    return true;
}

int cmd_preview(int argc, char **argv)
{
    misi_preview_config cfg = {0};
    const char *out = NULL, *pos[2] = {NULL, NULL};
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            preview_usage(stdout);
            return MISI_EXIT_OK;
        } else if (!strcmp(a, "--answers")) {
            cfg.hide_answer = false;
        } else if (!strcmp(a, "--no-answers")) {
            cfg.hide_answer = true;
        } else if (!strcmp(a, "--out") || !strcmp(a, "--task") || !strcmp(a, "--count") ||
                   !strcmp(a, "--split") || !strcmp(a, "--tile") || !strcmp(a, "--font")) {
            if (!val) {
                fprintf(stderr, "misi preview: %s needs a value\n", a);
                return MISI_EXIT_USAGE;
            }
            i++;
            if (!strcmp(a, "--out")) {
                out = val;
            } else if (!strcmp(a, "--task")) {
                cfg.task = val;
            } else if (!strcmp(a, "--split")) {
                if (strcmp(val, "train") && strcmp(val, "test")) {
                    fprintf(stderr, "misi preview: --split is train or test, not '%s'\n", val);
                    return MISI_EXIT_USAGE;
                }
                cfg.split = val;
            } else if (!strcmp(a, "--font")) {
                if (!cli_font_ok("preview", val))
                    return MISI_EXIT_USAGE;
                cfg.font = val;
            } else if (!strcmp(a, "--count")) {
                if (!int_arg(a, val, 1, MISI_PREVIEW_MAX_COUNT, &cfg.count))
                    return MISI_EXIT_USAGE;
            } else if (!int_arg(a, val, 8, 4096, &cfg.tile)) {
                return MISI_EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "misi preview: unknown option '%s'\n", a);
            preview_usage(stderr);
            return MISI_EXIT_USAGE;
        } else if (npos == 2) {
            fprintf(stderr, "misi preview: one dataset and at most one question id, not '%s' too\n", a);
            return MISI_EXIT_USAGE;
        } else {
            pos[npos++] = a;
        }
    }
    const char *dataset = pos[0];
    cfg.id = pos[1];
    if (!dataset || (!cfg.id && !cfg.task)) {
        fprintf(stderr, "misi preview: which %s? (misi preview DATASET ID, or --task TASK DATASET)\n",
                dataset ? "question" : "dataset");
        preview_usage(stderr);
        return MISI_EXIT_USAGE;
    }
    if (cfg.id && cfg.task) {
        fprintf(stderr, "misi preview: give a question id or --task, not both\n");
        return MISI_EXIT_USAGE;
    }
    if (cfg.count && !cfg.task) {
        fprintf(stderr, "misi preview: --count goes with --task\n");
        return MISI_EXIT_USAGE;
    }
    char *def = NULL;
    if (!out) {
        /* --task 5 and --task translation_rotation name the same file */
        int t = cfg.task ? misi_answer_task_number(cfg.task) : 0;
        if (cfg.task && !t && strlen(cfg.task) == 1 && cfg.task[0] >= '1' && cfg.task[0] <= '9')
            t = cfg.task[0] - '0';
        const char *stem = cfg.id ? cfg.id : t ? misi_answer_task_name(t) : cfg.task;
        /* the default name is made from the id or task: refuse one that is not a plain file name */
        if (strchr(stem, '/') || stem[0] == '.') {
            fprintf(stderr, "misi preview: '%s' does not make a file name; give --out FILE\n", stem);
            return MISI_EXIT_USAGE;
        }
        if (!(def = malloc(strlen(stem) + 5))) {
            fprintf(stderr, "misi preview: out of memory\n");
            return MISI_EXIT_FAIL;
        }
        sprintf(def, "%s.png", stem);
        out = def;
    }
    misi_error err;
    misi_error_clear(&err);
    size_t shown = 0;
    int rc = misi_preview_write(dataset, &cfg, out, &shown, &err);
    if (rc) {
        fprintf(stderr, "misi preview: error: %s\n", err.msg);
        free(def);
        return rc == MISI_E_USAGE ? MISI_EXIT_USAGE : MISI_EXIT_FAIL;
    }
    printf("%s: %zu question%s\n", out, shown, shown == 1 ? "" : "s");
    free(def);
    return MISI_EXIT_OK;
}
