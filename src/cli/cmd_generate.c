/* misi generate: the dataset, from complexes to images, JSON Lines and a manifest. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "misi/fs.h"
#include "misi/generate.h"
#include "misi/tasks.h"
#include "misi_config.h"

#define DEFAULT_ASSETS "assets/complexes"
/* The bundled complexes' test split, used when generate runs on them by default. */
#define DEFAULT_TEST_LIST "assets/test-list.txt"

/* The test split as a file: one complex id per line; blank lines and lines
 * starting with '#' are skipped. */
typedef struct id_list {
    char *text;
    char **ids;
    size_t n;
} id_list;

static int read_id_list(const char *path, id_list *l, misi_error *err)
{
    size_t len = 0;
    int rc = misi_read_file(path, 64u << 20, &l->text, &len, err);
    if (rc)
        return rc;
    size_t cap = 0;
    long line = 0;
    for (char *p = l->text, *next; p && *p; p = next) {
        line++;
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        char *e = p + strlen(p);
        while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            *--e = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        if (strpbrk(p, " \t"))
            return misi_error_at(err, MISI_E_PARSE, path, line,
                                 "expected one complex id per line, found '%s'", p);
        if (l->n == cap) {
            cap = cap ? 2 * cap : 64;
            char **ids = realloc(l->ids, cap * sizeof *ids);
            if (!ids)
                return misi_error_set(err, MISI_E_NOMEM, "out of memory");
            l->ids = ids;
        }
        l->ids[l->n++] = p;
    }
    return MISI_OK;
}

/* The bundled assets folder that holds path (the folder itself or a complex
 * in it), as found from the working folder or the source tree: its test
 * list then applies, however the folder was named. Writes the list's path
 * (beside the complexes folder) into list and returns true. */
static bool bundled_test_list(const char *path, char *list, size_t size)
{
    const char *roots[2] = {DEFAULT_ASSETS, MISI_SOURCE_ROOT "/" DEFAULT_ASSETS};
    const char *lists[2] = {DEFAULT_TEST_LIST, MISI_SOURCE_ROOT "/" DEFAULT_TEST_LIST};
    char rp[PATH_MAX], rr[PATH_MAX];
    if (!realpath(path, rp))
        return false;
    for (int k = 0; k < 2; k++) {
        if (!realpath(roots[k], rr) || !misi_is_file(lists[k]))
            continue;
        size_t n = strlen(rr);
        if (!strncmp(rp, rr, n) && (rp[n] == '\0' || rp[n] == '/')) {
            snprintf(list, size, "%s", lists[k]);
            return true;
        }
    }
    return false;
}

/* SIGINT / SIGTERM ask the run to stop after the complex in flight; a second
 * signal ends the process at once (the default action). */
static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    g_stop = sig;
    signal(sig, SIG_DFL);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: misi generate [options] [complex folder | folder of complexes | list file]...\n"
            "\n"
            "Makes the MiSI-Bench questions and images for every complex (default: the bundled\n"
            "assets/complexes) into --out (default ./misi-out): images/, <split>.jsonl,\n"
            "<split>.conversations.jsonl, metadata.jsonl and manifest.json (docs/dataset.md).\n"
            "\n"
            "options:\n"
            "  --out DIR            output folder (default misi-out)\n"
            "  --seed N             run seed (default 0); same seed, same dataset\n"
            "  --split S            train, test or both (default both: each complex in one split)\n"
            "  --test-list FILE     with both splits: the complexes of the test split, one id a line\n"
            "                       (default for the bundled assets: " DEFAULT_TEST_LIST ")\n"
            "  --test-fraction F    with both splits and no list: the share of complexes, chosen\n"
            "                       by a hash of their ids, in the test split (default 490/3993)\n"
            "  --preset paper       the paper's per-complex counts (default)\n"
            "  --count TASK=N[/M]   N train (and M test) questions per complex for TASK\n"
            "                       (a name from docs/dataset.md or 1-9); repeatable\n"
            "  --tasks LIST         only these tasks, comma separated names or numbers\n"
            "  --size N | WxH       image size in pixels (default 512)\n"
            "  --style S            ball-and-stick (default), stick or spacefill\n"
            "  --aa N               supersampling factor (default: the renderer's)\n"
            "  --font PATH          TrueType/OpenType font for labels (default $MISI_FONT, else\n"
            "                       DejaVu Sans from fonts-dejavu-core)\n"
            "  --labels on|paper    on (default): labels laid out legibly, and a question whose answer\n"
            "                       names a label that is legible in none of its images is left out;\n"
            "                       paper: the paper's placement (overlapping), every question kept\n"
            "  --no-label-check     keep questions whose answer's labels are not legible (tests)\n"
            "  --threads N          PNG encoder threads (default: all cores); never changes output\n"
            "  --batch N            most views per render batch (default: automatic); never changes output\n"
            "  --device N           EGL device as `misi info` lists it (default: automatic)\n"
            "  --format F           files (default: PNGs under images/) or tar (images in\n"
            "                       WebDataset-style shards/images-NNNNNN.tar; records keep the same paths)\n"
            "  --shard-images N     images per tar shard (default 10000)\n"
            "  --shard K/N          only complexes K, K+N, K+2N, ... (K from 0); combine the shard\n"
            "                       folders with `misi merge` (docs/cluster.md)\n"
            "  --resume             continue an interrupted run in --out, keeping finished complexes\n"
            "                       whose images still match their SHA-256; on a finished dataset,\n"
            "                       check it and do nothing\n"
            "  --no-verify          with --resume: trust the images already there (no SHA-256 check)\n"
            "  --force              start over: remove the previous misi run's files in --out (only\n"
            "                       those its manifest or parts list); also write into a non-empty\n"
            "                       folder that holds no misi output, replacing none of its files\n"
            "  --progress, --no-progress   progress bar (default: when stderr is a terminal)\n"
            "  -h, --help           this text\n"
            "\n"
            "tasks (for --tasks and --count, by name or number; 'misi tasks' describes them):\n");
    cli_print_task_names(f, "  ");
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static const misi_task *task_by_word(const char *w)
{
    long n;
    if (!parse_int(w, 1, 9, &n)) {
        size_t count;
        const misi_task *const *all = misi_tasks(&count);
        for (size_t i = 0; i < count; i++) {
            if (all[i]->number == n)
                return all[i];
        }
        return NULL;
    }
    return misi_task_find(w);
}

int cmd_generate(int argc, char **argv)
{
    misi_generate_config cfg = {0};
    for (int t = 0; t < MISI_GEN_MAX_TASKS; t++)
        cfg.counts[t][0] = cfg.counts[t][1] = -1;
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int npaths = 0;
    if (!paths)
        return MISI_EXIT_FAIL;
    int status = MISI_EXIT_OK;
    const char *test_list = NULL;
    id_list tl = {0};
#define NEED_ARG()                                                                                           \
    do {                                                                                                     \
        if (i + 1 >= argc) {                                                                                 \
            fprintf(stderr, "misi generate: %s needs a value\n", a);                                         \
            status = MISI_EXIT_USAGE;                                                                        \
            goto done;                                                                                       \
        }                                                                                                    \
        v = argv[++i];                                                                                       \
    } while (0)
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL, *expect = "see --help";
        long n;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            goto done;
        } else if (!strcmp(a, "--out")) {
            NEED_ARG();
            cfg.out_dir = v;
        } else if (!strcmp(a, "--seed")) {
            NEED_ARG();
            char *end;
            errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            expect = "a whole number, 0 or more";
            if (end == v || *end || errno || v[0] == '-')
                goto bad_value;
            cfg.seed = s;
        } else if (!strcmp(a, "--split")) {
            NEED_ARG();
            if (!strcmp(v, "train"))
                cfg.splits = MISI_GEN_SPLITS_TRAIN;
            else if (!strcmp(v, "test"))
                cfg.splits = MISI_GEN_SPLITS_TEST;
            else if (!strcmp(v, "both"))
                cfg.splits = MISI_GEN_SPLITS_BOTH;
            else {
                expect = "train, test or both";
                goto bad_value;
            }
        } else if (!strcmp(a, "--test-list")) {
            NEED_ARG();
            test_list = v;
        } else if (!strcmp(a, "--test-fraction")) {
            NEED_ARG();
            char *end;
            double f = strtod(v, &end);
            expect = "a fraction between 0 and 1, e.g. 0.2";
            if (end == v || *end || !(f > 0.0 && f < 1.0))
                goto bad_value;
            cfg.test_fraction = f;
        } else if (!strcmp(a, "--preset")) {
            NEED_ARG();
            expect = "paper (the only preset; --count sets other counts)";
            if (strcmp(v, "paper") != 0)
                goto bad_value;
        } else if (!strcmp(a, "--count")) {
            NEED_ARG();
            char name[64], rest[64];
            const char *eq = strchr(v, '=');
            expect = "TASK=N or TASK=N/M, e.g. translation=10/5";
            if (!eq || (size_t)(eq - v) >= sizeof name || strlen(eq + 1) >= sizeof rest)
                goto bad_value;
            memcpy(name, v, (size_t)(eq - v));
            name[eq - v] = '\0';
            snprintf(rest, sizeof rest, "%s", eq + 1);
            const misi_task *t = task_by_word(name);
            if (!t) {
                fprintf(stderr, "misi generate: --count %s: unknown task '%s': expected one of %s\n", v, name,
                        cli_task_choices());
                status = MISI_EXIT_USAGE;
                goto done;
            }
            char *slash = strchr(rest, '/');
            if (slash)
                *slash = '\0';
            long tr, te;
            if (parse_int(rest, 0, 1000000, &tr) || (slash && parse_int(slash + 1, 0, 1000000, &te)))
                goto bad_value;
            cfg.counts[t->number - 1][0] = (int)tr;
            cfg.counts[t->number - 1][1] = slash ? (int)te : (int)tr;
            cfg.counts_set = true;
        } else if (!strcmp(a, "--tasks")) {
            NEED_ARG();
            char buf[256];
            snprintf(buf, sizeof buf, "%s", v);
            int ntok = 0;
            for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
                const misi_task *t = task_by_word(tok);
                if (!t) {
                    fprintf(stderr, "misi generate: --tasks: unknown task '%s': expected one of %s\n", tok,
                            cli_task_choices());
                    status = MISI_EXIT_USAGE;
                    goto done;
                }
                cfg.task_mask |= 1u << (t->number - 1);
                ntok++;
            }
            /* an empty list would silently mean "all tasks" (mask 0) or keep
             * an earlier --tasks: neither is what was typed */
            if (!ntok) {
                fprintf(stderr, "misi generate: --tasks needs at least one task name or number\n");
                status = MISI_EXIT_USAGE;
                goto done;
            }
        } else if (!strcmp(a, "--size")) {
            NEED_ARG();
            int w, h;
            char x;
            expect = "N (16..16384) or WxH";
            if (sscanf(v, "%dx%d%c", &w, &h, &x) == 2 && w > 0 && h > 0 && w <= 16384 && h <= 16384) {
                cfg.width = w;
                cfg.height = h;
            } else if (!parse_int(v, 16, 16384, &n)) {
                cfg.width = cfg.height = (int)n;
            } else {
                goto bad_value;
            }
        } else if (!strcmp(a, "--style")) {
            NEED_ARG();
            expect = "ball-and-stick, stick or spacefill";
            if (misi_style_from_name(v, &cfg.style))
                goto bad_value;
        } else if (!strcmp(a, "--font")) {
            NEED_ARG();
            cfg.font_path = v;
        } else if (!strcmp(a, "--labels")) {
            NEED_ARG();
            expect = "on or paper (generate always labels: the questions name atoms)";
            if (misi_labels_from_name(v, &cfg.labels) || cfg.labels == MISI_LABELS_OFF)
                goto bad_value;
        } else if (!strcmp(a, "--no-label-check")) {
            cfg.label_check = MISI_LABEL_CHECK_OFF;
        } else if (!strcmp(a, "--aa")) {
            NEED_ARG();
            expect = "1..8";
            if (parse_int(v, 1, 8, &n))
                goto bad_value;
            cfg.aa = (int)n;
        } else if (!strcmp(a, "--threads")) {
            NEED_ARG();
            expect = "1..256";
            if (parse_int(v, 1, 256, &n))
                goto bad_value;
            cfg.threads = (int)n;
        } else if (!strcmp(a, "--batch")) {
            NEED_ARG();
            expect = "1..4096";
            if (parse_int(v, 1, 4096, &n))
                goto bad_value;
            cfg.batch = (int)n;
        } else if (!strcmp(a, "--device")) {
            NEED_ARG();
            expect = "0..64, a device as 'misi info' lists it";
            if (parse_int(v, 0, 64, &n))
                goto bad_value;
            cfg.device = (int)n;
        } else if (!strcmp(a, "--format")) {
            NEED_ARG();
            if (!strcmp(v, "tar"))
                cfg.format = MISI_FORMAT_TAR;
            else if (!strcmp(v, "files"))
                cfg.format = MISI_FORMAT_FILES;
            else {
                expect = "files or tar";
                goto bad_value;
            }
        } else if (!strcmp(a, "--shard-images")) {
            NEED_ARG();
            expect = "1..10000000";
            if (parse_int(v, 1, 10000000, &n))
                goto bad_value;
            cfg.shard_images = (int)n;
        } else if (!strcmp(a, "--shard")) {
            NEED_ARG();
            int k, nn;
            char x;
            expect = "K/N with 0 <= K < N, e.g. 0/4";
            if (sscanf(v, "%d/%d%c", &k, &nn, &x) != 2 || nn < 1 || nn > 100000 || k < 0 || k >= nn)
                goto bad_value;
            cfg.shard_index = k;
            cfg.shard_count = nn;
        } else if (!strcmp(a, "--resume")) {
            cfg.resume = true;
        } else if (!strcmp(a, "--force")) {
            cfg.force = true;
        } else if (!strcmp(a, "--no-verify")) {
            cfg.no_verify = true;
        } else if (!strcmp(a, "--progress")) {
            cfg.progress = 1;
        } else if (!strcmp(a, "--no-progress")) {
            cfg.progress = -1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "misi generate: unknown option '%s'\n", a);
            usage(stderr);
            status = MISI_EXIT_USAGE;
            goto done;
        } else {
            paths[npaths++] = a;
        }
        continue;
    bad_value:
        status = cli_bad_value("generate", a, v, expect);
        goto done;
    }
#undef NEED_ARG
    if (cfg.font_path && !cli_font_ok("generate", cfg.font_path)) {
        status = MISI_EXIT_USAGE;
        goto done;
    }

    if (cfg.resume && cfg.force) {
        fprintf(stderr, "misi generate: --resume keeps what is there and --force removes it: give one\n");
        status = MISI_EXIT_USAGE;
        goto done;
    }
    if (cfg.no_verify && !cfg.resume) {
        fprintf(stderr, "misi generate: --no-verify only applies to --resume\n");
        status = MISI_EXIT_USAGE;
        goto done;
    }
    misi_source_list sources = {0};
    misi_error err = {0};
    if (npaths == 0) /* the bundled assets, from the working folder or the source tree */
        paths[npaths++] = misi_is_dir(DEFAULT_ASSETS) ? DEFAULT_ASSETS : MISI_SOURCE_ROOT "/" DEFAULT_ASSETS;
    /* The bundled assets carry their test split: it applies whenever every
     * input lies in their folder, named or not, unless a split was asked for. */
    char assets_list[PATH_MAX + 32];
    bool bundled = !test_list && cfg.test_fraction == 0;
    for (int i = 0; i < npaths && bundled; i++)
        bundled = bundled_test_list(paths[i], assets_list, sizeof assets_list);
    if (bundled)
        test_list = assets_list;
    if (test_list) {
        if (read_id_list(test_list, &tl, &err)) {
            fprintf(stderr, "misi generate: %s\n", err.msg);
            status = MISI_EXIT_USAGE;
            goto done;
        }
        cfg.test_ids = (const char *const *)tl.ids;
        cfg.ntest_ids = tl.n;
    }
    /* Say on the spot how complexes were split: a missing test split is
     * otherwise found only in the final counts. */
    if (cfg.splits == MISI_GEN_SPLITS_BOTH && test_list)
        fprintf(stderr, "misi generate: test split: the %zu id%s in %s%s (the rest train)\n", tl.n,
                tl.n == 1 ? "" : "s", test_list, bundled ? ", the bundled assets' list" : "");
    else if (cfg.splits == MISI_GEN_SPLITS_BOTH)
        fprintf(stderr,
                "misi generate: test split: a hash of each id puts %.1f %% of the complexes in test "
                "(--test-fraction; --test-list FILE names them instead)\n",
                100.0 * (cfg.test_fraction > 0 ? cfg.test_fraction : MISI_PAPER_TEST_FRACTION));
    for (int i = 0; i < npaths; i++) {
        if (misi_sources_add_path(&sources, paths[i], &err)) {
            fprintf(stderr, "misi generate: %s\n", err.msg);
            misi_sources_finish(&sources);
            status = MISI_EXIT_FAIL;
            goto done;
        }
    }
    for (size_t i = 0; i < sources.nnotes; i++)
        fprintf(stderr, "misi generate: note: %s\n", sources.notes[i]);
    cfg.notes = (const char *const *)sources.notes;
    cfg.nnotes = sources.nnotes;
    misi_generate_report rep;
    cfg.stop = &g_stop;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    int rc = misi_generate(&sources, &cfg, &rep, &err);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    misi_sources_finish(&sources);
    if (!rc && rep.already_complete) {
        fprintf(stderr, "misi generate: %s holds this dataset complete already (%s): nothing to do\n",
                cfg.out_dir ? cfg.out_dir : "misi-out",
                cfg.no_verify ? "not checked: --no-verify" : "every file matches its SHA-256");
        goto done;
    }
    if (rc) {
        fprintf(stderr, "misi generate: %s\n", err.msg);
        status = rc == MISI_E_USAGE       ? MISI_EXIT_USAGE
                 : rc == MISI_E_CANCELLED ? 128 + (g_stop ? (int)g_stop : SIGINT)
                                          : MISI_EXIT_FAIL;
        goto done;
    }
    size_t q[2] = {0, 0};
    for (int t = 0; t < MISI_GEN_MAX_TASKS; t++) {
        q[0] += rep.questions[t][0];
        q[1] += rep.questions[t][1];
    }
    fprintf(
        stderr,
        "misi generate: %zu complexes (%zu skipped), %zu train + %zu test questions, %zu images in %.1f s "
        "-> %s%s\n",
        rep.complexes, rep.skipped, q[0], q[1], rep.images, rep.seconds,
        cfg.out_dir ? cfg.out_dir : "misi-out", cfg.shard_count ? " (a shard: combine with misi merge)" : "");
    status = rep.skipped ? MISI_EXIT_FAIL : MISI_EXIT_OK;
    if (!cfg.shard_count)
        cli_report_audit("generate", cfg.out_dir ? cfg.out_dir : "misi-out");
    if (rep.unanswerable) {
        /* Under --count the user asked for these questions: fewer is a
         * failure scripts must notice. The paper preset's counts are what
         * each complex can give, so there it is a note. */
        fprintf(stderr,
                "misi generate: %s: %zu task/complex pairs gave fewer questions than %s (manifest.json "
                "\"unanswerable\" says why)\n",
                cfg.counts_set ? "error" : "note", rep.unanswerable,
                cfg.counts_set ? "--count asked" : "the preset");
        if (rep.illegible)
            fprintf(stderr, "misi generate: %zu questions left out: their answer's labels were not legible in "
                            "their images\n", rep.illegible);
        if (cfg.counts_set)
            status = MISI_EXIT_FAIL;
    }
done:
    free(tl.ids);
    free(tl.text);
    free(paths);
    return status;
}
