/* misi: one executable, one subcommand per file in src/cli. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "misi/answer.h"
#include "misi_config.h"

static const misi_command COMMANDS[] = {
    {"hbonds", "find pocket-ligand hydrogen bonds", cmd_hbonds},
    {"check", "load and validate complexes", cmd_check},
    {"info", "list EGL devices and the OpenGL ES renderer", cmd_info},
    {"render", "render views of complexes to PNG images", cmd_render},
    {"generate", "make the benchmark dataset (images, questions, manifest)", cmd_generate},
    {"merge", "combine shard folders of misi generate --shard into one dataset", cmd_merge},
    {"score", "score model answers against a gold QA file", cmd_score},
    {"audit", "run blind baselines on a dataset to show it has no shortcut", cmd_audit},
    {"bench", "time every stage of rendering and writing N images", cmd_bench},
    {"compare", "pixel differences between two PNGs or folders of PNGs", cmd_compare},
    {"preview", "a PNG sheet of a question: its images, text, options and answer", cmd_preview},
    {"export", "write a dataset for VLMEvalKit, lmms-eval, LLaVA or WebDataset", cmd_export},
    {"tasks", "list the nine tasks: what each asks, its answer form and counts", cmd_tasks},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: misi <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(f, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(f, "\ntasks (misi tasks describes them):\n");
    cli_print_task_names(f, "  ");
    fprintf(f, "\n'misi <command> --help' describes a command.\n");
}

bool cli_font_ok(const char *cmd, const char *path)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (f) {
        fclose(f);
        return true;
    }
    fprintf(stderr, "misi %s: --font %s: cannot open: %s\n", cmd, path ? path : "", strerror(errno));
    return false;
}

int cli_task_word(const char *w)
{
    char *end;
    long n = strtol(w, &end, 10);
    if (end != w && !*end)
        return n >= 1 && n <= MISI_TASK_MAX ? (int)n : 0;
    return misi_answer_task_number(w);
}

int cli_bad_value(const char *cmd, const char *opt, const char *value, const char *expected)
{
    fprintf(stderr, "misi %s: bad value '%s' for %s: expected %s\n", cmd, value ? value : "", opt, expected);
    return MISI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return MISI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("misi %s\n", MISI_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++) {
        if (!strcmp(argv[1], COMMANDS[i].name))
            return COMMANDS[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "misi: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return MISI_EXIT_USAGE;
}
