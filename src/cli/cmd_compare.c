/* misi compare: pixel differences between two PNGs or two folders of PNGs
 * (same relative paths), e.g. a GPU's renders against llvmpipe's of the
 * same views (tools/gpu/run.sh). Differences are reported, not judged: the
 * exit status says only whether every pair could be compared. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "misi/fs.h"
#include "misi/imgdiff.h"
#include "misi/png.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: misi compare [--json] A B\n"
            "\n"
            "A and B are two PNG files, or two folders: every .png below A is compared\n"
            "with the file of the same relative path below B. For each pair and in\n"
            "total: the largest and the mean difference of a channel (0-255), the\n"
            "fraction of pixels that differ at all and of those more than %d apart.\n"
            "\n"
            "Exit status: 0 when every pair was compared (whatever the differences),\n"
            "1 when a file is missing, unreadable or of another size, 2 on usage errors.\n",
            MISI_IMGDIFF_VISIBLE);
}

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static int names_add(names *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = strdup(s)))
        return -1;
    l->n++;
    return 0;
}

/* Every .png below root/rel, as paths relative to root. */
static int walk(const char *root, const char *rel, names *out, int depth)
{
    if (depth > 16)
        return 0;
    char *dir = rel[0] ? misi_path_join(root, rel) : strdup(root);
    DIR *d = dir ? opendir(dir) : NULL;
    free(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int rc = 0;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *sub = rel[0] ? misi_path_join(rel, e->d_name) : strdup(e->d_name);
        char *full = sub ? misi_path_join(root, sub) : NULL;
        if (!sub || !full)
            rc = -1;
        else if (misi_is_dir(full))
            rc = walk(root, sub, out, depth + 1);
        else {
            size_t len = strlen(sub);
            if (len > 4 && !strcmp(sub + len - 4, ".png"))
                rc = names_add(out, sub);
        }
        free(sub);
        free(full);
    }
    closedir(d);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static cJSON *diff_json(const misi_image_diff *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "pixels", (double)d->pixels);
    cJSON_AddNumberToObject(o, "max_channel_diff", d->max_abs);
    cJSON_AddNumberToObject(o, "mean_channel_diff", misi_image_diff_mean(d));
    cJSON_AddNumberToObject(o, "differing_pixel_fraction", misi_image_diff_fraction(d));
    cJSON_AddNumberToObject(o, "visible_pixel_fraction", misi_image_diff_visible_fraction(d));
    return o;
}

static void diff_text(const char *name, const misi_image_diff *d)
{
    printf("%-40s max %3d  mean %7.4f  differing %8.4f%%  over %d: %8.4f%%\n", name, d->max_abs,
           misi_image_diff_mean(d), 100.0 * misi_image_diff_fraction(d), MISI_IMGDIFF_VISIBLE,
           100.0 * misi_image_diff_visible_fraction(d));
}

int cmd_compare(int argc, char **argv)
{
    bool json = false;
    const char *paths[2] = {NULL, NULL};
    int np = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return MISI_EXIT_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (argv[i][0] == '-' || np == 2) {
            fprintf(stderr, "misi compare: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return MISI_EXIT_USAGE;
        } else {
            paths[np++] = argv[i];
        }
    }
    if (np != 2) {
        usage(stderr);
        return MISI_EXIT_USAGE;
    }
    bool dirs = misi_is_dir(paths[0]);
    if (dirs != misi_is_dir(paths[1])) {
        fprintf(stderr, "misi compare: %s and %s: expected two files or two folders\n", paths[0], paths[1]);
        return MISI_EXIT_USAGE;
    }
    names list = {0};
    if (dirs) {
        if (walk(paths[0], "", &list, 0) != 0) {
            fprintf(stderr, "misi compare: cannot read the folder %s\n", paths[0]);
            return MISI_EXIT_FAIL;
        }
        qsort(list.v, list.n, sizeof *list.v, cmp_str);
    } else if (names_add(&list, "") != 0) {
        return MISI_EXIT_FAIL;
    }

    misi_image_diff total = {0};
    size_t failed = 0;
    cJSON *o = cJSON_CreateObject(), *pairs = cJSON_AddArrayToObject(o, "pairs"),
          *bad = cJSON_AddArrayToObject(o, "failed");
    for (size_t k = 0; k < list.n; k++) {
        char *pa = dirs ? misi_path_join(paths[0], list.v[k]) : strdup(paths[0]);
        char *pb = dirs ? misi_path_join(paths[1], list.v[k]) : strdup(paths[1]);
        const char *name = dirs ? list.v[k] : paths[1];
        uint8_t *a = NULL, *b = NULL;
        int wa = 0, ha = 0, wb = 0, hb = 0;
        misi_error err = {0};
        char why[MISI_ERROR_MSG_MAX + 128] = "";
        if (!pa || !pb)
            snprintf(why, sizeof why, "out of memory");
        else if (misi_png_read_file(pa, &a, &wa, &ha, &err) || misi_png_read_file(pb, &b, &wb, &hb, &err))
            snprintf(why, sizeof why, "%s", err.msg);
        else if (wa != wb || ha != hb)
            snprintf(why, sizeof why, "%s: %dx%d against %dx%d", name, wa, ha, wb, hb);
        if (why[0]) {
            failed++;
            fprintf(stderr, "misi compare: %s\n", why);
            cJSON_AddItemToArray(bad, cJSON_CreateString(why));
        } else {
            misi_image_diff d = {0};
            misi_image_diff_add(&d, a, b, wa, ha);
            misi_image_diff_merge(&total, &d);
            if (json) {
                cJSON *j = diff_json(&d);
                cJSON_AddStringToObject(j, "path", name);
                cJSON_AddNumberToObject(j, "width", wa);
                cJSON_AddNumberToObject(j, "height", ha);
                cJSON_AddItemToArray(pairs, j);
            } else {
                diff_text(name, &d);
            }
        }
        free(a);
        free(b);
        free(pa);
        free(pb);
    }
    if (json) {
        cJSON_AddItemToObject(o, "total", diff_json(&total));
        cJSON_AddNumberToObject(o, "compared", (double)(list.n - failed));
        char *s = cJSON_Print(o);
        if (s)
            printf("%s\n", s);
        cJSON_free(s);
    } else {
        char line[64];
        snprintf(line, sizeof line, "total (%zu pairs)", list.n - failed);
        diff_text(line, &total);
    }
    cJSON_Delete(o);
    for (size_t k = 0; k < list.n; k++)
        free(list.v[k]);
    free(list.v);
    if (dirs && list.n == 0) {
        fprintf(stderr, "misi compare: no .png below %s\n", paths[0]);
        return MISI_EXIT_FAIL;
    }
    return failed ? MISI_EXIT_FAIL : MISI_EXIT_OK;
}
