/* misi score: score a file of model answers against a gold QA file
 * (MISI-SPEC §6; rules in docs/scoring.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "misi/score.h"

static void score_usage(FILE *f)
{
    fprintf(f, "usage: misi score --gold <qa.jsonl> --pred <answers.jsonl> [options]\n"
               "\n"
               "Scores model answers ({\"id\", \"answer\"} per line) against a gold QA file and\n"
               "prints a table per task (count, mean score x100, exact match x100), the headline\n"
               "average over all tasks but T5 and T6, and the exact-match table.\n"
               "\n"
               "options:\n"
               "  --gold <file>          the QA records (train.jsonl, test.jsonl)\n"
               "  --pred <file>          the model's answers\n"
               "  --split train|test     score only the questions of one split\n"
               "  --json                 print the report as JSON\n"
               "  --list <n>             ids listed per problem in the table (20)\n"
               "  -h, --help             show this help\n"
               "\n"
               "Malformed prediction lines are reported on stderr (file:line) and skipped.\n"
               "exit status: 0 scored (even with missing answers), 1 unreadable or malformed\n"
               "gold file or unreadable predictions, 2 bad command line\n");
}

int cmd_score(int argc, char **argv)
{
    const char *gold_path = NULL, *pred_path = NULL;
    misi_score_options opt = {0};
    bool json = false;
    size_t list_max = 20;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            score_usage(stdout);
            return MISI_EXIT_OK;
        } else if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "--gold") || !strcmp(a, "--pred") || !strcmp(a, "--split") ||
                   !strcmp(a, "--list")) {
            if (!val) {
                fprintf(stderr, "misi score: %s needs a value\n", a);
                return MISI_EXIT_USAGE;
            }
            i++;
            if (!strcmp(a, "--gold")) {
                gold_path = val;
            } else if (!strcmp(a, "--pred")) {
                pred_path = val;
            } else if (!strcmp(a, "--split")) {
                if (strcmp(val, "train") && strcmp(val, "test")) {
                    fprintf(stderr, "misi score: --split is 'train' or 'test', not '%s'\n", val);
                    return MISI_EXIT_USAGE;
                }
                opt.split = val;
            } else {
                char *end = NULL;
                unsigned long n = strtoul(val, &end, 10);
                if (end == val || *end || val[0] == '-') {
                    fprintf(stderr, "misi score: --list needs a count\n");
                    return MISI_EXIT_USAGE;
                }
                list_max = n;
            }
        } else {
            fprintf(stderr, "misi score: unexpected argument '%s'\n", a);
            score_usage(stderr);
            return MISI_EXIT_USAGE;
        }
    }
    if (!gold_path || !pred_path) {
        fprintf(stderr, "misi score: --gold and --pred are required\n");
        score_usage(stderr);
        return MISI_EXIT_USAGE;
    }

    misi_error err;
    misi_error_clear(&err);
    misi_gold gold = {0};
    if (misi_gold_load(gold_path, &gold, &err)) {
        fprintf(stderr, "misi score: error: %s\n", err.msg);
        return MISI_EXIT_FAIL;
    }
    misi_score_report rep = {0};
    if (misi_score_file(&gold, pred_path, &opt, &rep, &err)) {
        fprintf(stderr, "misi score: error: %s\n", err.msg);
        misi_gold_finish(&gold);
        return MISI_EXIT_FAIL;
    }
    for (size_t i = 0; i < rep.malformed.count; i++)
        fprintf(stderr, "misi score: %s\n", rep.malformed.items[i]);
    int rc = MISI_EXIT_OK;
    if (json) {
        char *s = misi_score_json(&rep, gold_path, pred_path, &opt);
        if (s) {
            printf("%s\n", s);
            free(s);
        } else {
            fprintf(stderr, "misi score: out of memory\n");
            rc = MISI_EXIT_FAIL;
        }
    } else {
        misi_score_print(stdout, &rep, gold_path, pred_path, &opt, list_max);
    }
    misi_score_report_finish(&rep);
    misi_gold_finish(&gold);
    return rc;
}
