/* misi audit: blind baselines per task and split against chance, to show a
 * generated dataset has no shortcut (misi/audit.h, docs/audit.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "misi/answer.h"
#include "misi/audit.h"

static void audit_usage(FILE *f)
{
    fprintf(f, "usage: misi audit [options] DATASET\n"
               "\n"
               "Runs blind baselines on a dataset made by misi generate (loose images or\n"
               "--format tar): the best constant answer, the question id, the option texts,\n"
               "the option images' layout, image statistics and metadata.jsonl. Each is\n"
               "scored with misi's scorer (T4 on its yes/no decision), cross-fitted over two\n"
               "folds of complexes, and compared with chance (0.25 for multiple choice, the\n"
               "best constant for cloze tasks, the majority class for T4).\n"
               "\n"
               "options:\n"
               "  --split train|test|both   which split (both: train, test and all; default)\n"
               "  --tasks a,b               only these tasks (names or numbers 1-9)\n"
               "  --margin P                points over chance a baseline may reach (5)\n"
               "  --all                     list every baseline, not the worst of each family\n"
               "  --no-images               read no image: only the id, option-text, constant\n"
               "                            and metadata baselines (what misi generate reports)\n"
               "  --groups FILE             '<complex> <group>' lines: one group's complexes share a\n"
               "                            fold (copies of one structure, one protein family)\n"
               "  --per-baseline            judge each baseline on its own 95%% interval (default:\n"
               "                            95%% family-wise over all baselines, Bonferroni)\n"
               "  --json                    print the report as JSON\n"
               "  -h, --help                show this help\n"
               "\n"
               "verdicts: ok (score <= chance + margin), SHORTCUT (the lower end of the decisive\n"
               "interval above chance + margin), suspect (in between), n/a (not run).\n"
               "exit status: 0 no SHORTCUT, 1 a SHORTCUT, 2 bad command line or unreadable\n"
               "dataset\n");
}

int cmd_audit(int argc, char **argv)
{
    misi_audit_options opt = {0};
    const char *dir = NULL;
    bool json = false, all = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            audit_usage(stdout);
            return MISI_EXIT_OK;
        } else if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "--all")) {
            all = true;
        } else if (!strcmp(a, "--no-images")) {
            opt.no_images = true;
        } else if (!strcmp(a, "--per-baseline")) {
            opt.per_baseline = true;
        } else if (!strcmp(a, "--groups")) {
            if (!val) {
                fprintf(stderr, "misi audit: --groups needs a file of '<complex> <group>' lines\n");
                return MISI_EXIT_USAGE;
            }
            opt.groups = argv[++i];
        } else if (!strcmp(a, "--split") || !strcmp(a, "--tasks") || !strcmp(a, "--margin")) {
            if (!val) {
                fprintf(stderr, "misi audit: %s needs a value\n", a);
                return MISI_EXIT_USAGE;
            }
            i++;
            if (!strcmp(a, "--split")) {
                if (strcmp(val, "train") && strcmp(val, "test") && strcmp(val, "both")) {
                    fprintf(stderr, "misi audit: --split is train, test or both, not '%s'\n", val);
                    return MISI_EXIT_USAGE;
                }
                opt.split = val;
            } else if (!strcmp(a, "--margin")) {
                char *end;
                double m = strtod(val, &end);
                if (end == val || *end || !(m >= 0 && m <= 100)) {
                    fprintf(stderr, "misi audit: --margin is a number of points, 0 to 100, not '%s'\n", val);
                    return MISI_EXIT_USAGE;
                }
                opt.margin = m;
                opt.margin_set = true;
            } else {
                char buf[256];
                snprintf(buf, sizeof buf, "%s", val);
                for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
                     tok = strtok_r(NULL, ",", &save)) {
                    int t = cli_task_word(tok);
                    if (!t) {
                        fprintf(stderr, "misi audit: --tasks: unknown task '%s': expected one of %s\n", tok,
                                cli_task_choices());
                        return MISI_EXIT_USAGE;
                    }
                    opt.tasks |= 1u << t;
                }
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "misi audit: unknown option '%s'\n", a);
            audit_usage(stderr);
            return MISI_EXIT_USAGE;
        } else if (dir) {
            fprintf(stderr, "misi audit: one dataset folder, not '%s' too\n", a);
            return MISI_EXIT_USAGE;
        } else {
            dir = a;
        }
    }
    if (!dir) {
        fprintf(stderr, "misi audit: which dataset? (a folder made by misi generate)\n");
        audit_usage(stderr);
        return MISI_EXIT_USAGE;
    }
    misi_error err;
    misi_error_clear(&err);
    misi_audit_report rep = {0};
    if (misi_audit_run(dir, &opt, &rep, &err)) {
        fprintf(stderr, "misi audit: error: %s\n", err.msg);
        misi_audit_report_finish(&rep);
        return MISI_EXIT_USAGE;
    }
    int rc = rep.counts[MISI_AUDIT_SHORTCUT] ? MISI_EXIT_FAIL : MISI_EXIT_OK;
    if (json) {
        char *s = misi_audit_json(&rep);
        if (!s) {
            fprintf(stderr, "misi audit: out of memory\n");
            rc = MISI_EXIT_USAGE;
        } else {
            printf("%s\n", s);
            free(s);
        }
    } else {
        misi_audit_print(stdout, &rep, all);
    }
    misi_audit_report_finish(&rep);
    return rc;
}

/* Every generate or merge run says how blind baselines fare on what it made: the audit's
 * cheap families (constant, question id, option texts, metadata.jsonl),
 * which read only the JSON files. The image baselines are misi audit's. */
void cli_report_audit(const char *cmd, const char *out)
{
    misi_audit_options opt = {.no_images = true};
    misi_audit_report r = {0};
    misi_error err = {0};
    if (misi_audit_run(out, &opt, &r, &err)) {
        fprintf(stderr, "misi %s: note: the blind-baseline audit did not run: %s\n", cmd, err.msg);
    } else {
        size_t n = r.counts[MISI_AUDIT_OK] + r.counts[MISI_AUDIT_SUSPECT] + r.counts[MISI_AUDIT_SHORTCUT];
        fprintf(stderr,
                "misi %s: blind-baseline audit (ids, option texts, metadata; `misi audit %s` adds the "
                "images): %zu SHORTCUT, %zu suspect, %zu ok of %zu\n",
                cmd, out, r.counts[MISI_AUDIT_SHORTCUT], r.counts[MISI_AUDIT_SUSPECT],
                r.counts[MISI_AUDIT_OK], n);
    }
    misi_audit_report_finish(&r);
}
