/* The subcommand table and the exit codes: the only place exit status is decided. */
#ifndef MISI_CLI_H
#define MISI_CLI_H

#include <stdbool.h>
#include <stdio.h>

enum {
    MISI_EXIT_OK = 0,
    MISI_EXIT_FAIL = 1,  /* input could not be processed (every complex failed, bad file) */
    MISI_EXIT_USAGE = 2, /* bad command line */
};

typedef struct misi_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
} misi_command;

/* --font PATH given to command cmd: true when the file can be read, else
 * says why on stderr (the run would otherwise skip every complex for it). */
bool cli_font_ok(const char *cmd, const char *path);

/* A task named on a command line (--tasks): a number 1-9 or a task name;
 * 0 when it is neither. */
int cli_task_word(const char *w);

int cmd_hbonds(int argc, char **argv);
int cmd_check(int argc, char **argv);

int cmd_info(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_audit(int argc, char **argv);
/* One line on stderr: the blind-baseline audit of the dataset in out without
 * reading images (misi generate and misi merge end with it). */
void cli_report_audit(const char *cmd, const char *out);
int cmd_bench(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_preview(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_tasks(int argc, char **argv);

/* The task names for an error or a usage text (src/cli/cmd_tasks.c):
 * "translation, rotation, ... (or their numbers 1-9; ...)"; static storage. */
const char *cli_task_choices(void);
/* One line per task, "<indent>N name  what it asks". */
void cli_print_task_names(FILE *f, const char *indent);
/* "misi CMD: bad value 'V' for OPT: expected WHAT" on stderr; returns MISI_EXIT_USAGE. */
int cli_bad_value(const char *cmd, const char *opt, const char *value, const char *expected);

#endif
