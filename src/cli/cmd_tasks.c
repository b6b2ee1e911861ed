/* misi tasks: what each of the nine tasks asks, in words and in numbers.
 * Everything printed comes from the task registry (src/tasks/registry.c), so
 * the list cannot drift from what misi generate makes. Also the task-name
 * helpers the other commands use to list the valid choices. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "misi/tasks.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: misi tasks [--json]\n"
               "\n"
               "Lists the MiSI-Bench tasks: number, name, what each question asks, images per\n"
               "question, the answer's form, questions per complex under each preset (train/test)\n"
               "and the most --count accepts. Wherever a command takes a task, its name or its\n"
               "number works (--tasks 1,docking).\n"
               "\n"
               "options:\n"
               "  --json     the same as one JSON document\n"
               "  -h, --help this text\n");
}

const char *cli_task_choices(void)
{
    static char buf[512];
    if (buf[0])
        return buf;
    size_t n, len = 0;
    const misi_task *const *all = misi_tasks(&n);
    for (size_t i = 0; i < n && len < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? ", " : "", all[i]->name);
    if (len < sizeof buf)
        snprintf(buf + len, sizeof buf - len, " (or their numbers 1-%zu; 'misi tasks' describes them)", n);
    return buf;
}

void cli_print_task_names(FILE *f, const char *indent)
{
    size_t n;
    const misi_task *const *all = misi_tasks(&n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%d %-22s %s\n", indent, all[i]->number, all[i]->name, all[i]->asks);
}

/* The paper preset's count for a split: a number, or -1 when it depends on
 * the complex (the task's count_rule says how). */
static int paper_count(const misi_task *t, misi_split s)
{
    return t->count_rule ? -1 : t->paper_count(NULL, s);
}

static int print_json(void)
{
    size_t n;
    const misi_task *const *all = misi_tasks(&n);
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "tasks");
    cJSON_AddStringToObject(root, "default_preset", "paper");
    for (size_t i = 0; i < n; i++) {
        const misi_task *t = all[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddNumberToObject(o, "number", t->number);
        cJSON_AddStringToObject(o, "name", t->name);
        cJSON_AddStringToObject(o, "kind", t->mc ? "multiple-choice" : "cloze");
        cJSON_AddStringToObject(o, "asks", t->asks);
        cJSON_AddNumberToObject(o, "images", t->images);
        cJSON_AddStringToObject(o, "answer", t->answer_form);
        cJSON *presets = cJSON_AddObjectToObject(o, "presets");
        cJSON *paper = cJSON_AddObjectToObject(presets, "paper");
        for (int s = 0; s < MISI_SPLIT_COUNT; s++) {
            int c = paper_count(t, (misi_split)s);
            if (c >= 0)
                cJSON_AddNumberToObject(paper, misi_split_name((misi_split)s), c);
            else
                cJSON_AddNullToObject(paper, misi_split_name((misi_split)s));
        }
        if (t->count_rule)
            cJSON_AddStringToObject(paper, "rule", t->count_rule);
        if (t->needs)
            cJSON_AddStringToObject(o, "needs", t->needs);
        else
            cJSON_AddNullToObject(o, "needs");
        if (t->max_per_complex > 0)
            cJSON_AddNumberToObject(o, "count_max", t->max_per_complex);
        else
            cJSON_AddNullToObject(o, "count_max");
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        fprintf(stderr, "misi tasks: out of memory\n");
        return MISI_EXIT_FAIL;
    }
    printf("%s\n", text);
    cJSON_free(text);
    return MISI_EXIT_OK;
}

static void print_text(void)
{
    size_t n;
    const misi_task *const *all = misi_tasks(&n);
    printf("The %zu MiSI-Bench tasks (docs/dataset.md \"Tasks\"); counts are questions per complex.\n", n);
    for (size_t i = 0; i < n; i++) {
        const misi_task *t = all[i];
        printf("\nT%d %s (%s, %d images a question)\n", t->number, t->name,
               t->mc ? "multiple choice" : "cloze", t->images);
        printf("   asks:    %s\n", t->asks);
        printf("   answer:  %s\n", t->answer_form);
        if (t->count_rule)
            printf("   paper:   %s, in train and in test\n", t->count_rule);
        else
            printf("   paper:   %d train / %d test\n", paper_count(t, MISI_SPLIT_TRAIN),
                   paper_count(t, MISI_SPLIT_TEST));
        if (t->needs)
            printf("   needs:   %s\n", t->needs);
        if (t->max_per_complex > 0)
            printf("   --count: at most %d (no complex can give more)\n", t->max_per_complex);
        else
            printf("   --count: no fixed limit\n");
    }
    printf("\nChoose tasks with --tasks NAMES|NUMBERS and counts with --count NAME=TRAIN/TEST "
           "(misi generate --help).\n");
}

int cmd_tasks(int argc, char **argv)
{
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return MISI_EXIT_OK;
        } else {
            fprintf(stderr, "misi tasks: unknown argument '%s'\n", argv[i]);
            usage(stderr);
            return MISI_EXIT_USAGE;
        }
    }
    if (json)
        return print_json();
    print_text();
    return MISI_EXIT_OK;
}
