/* misi generate end to end on real complexes (llvmpipe in CI): the manifest
 * hashes every file, records follow docs/dataset.md, counts follow the paper
 * preset, the dataset is byte-identical across thread counts and batch sizes,
 * and re-applying a cloze answer through the renderer reproduces its target
 * image byte for byte. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "misi/fs.h"
#include "misi/generate.h"
#include "misi/png.h"
#include "misi/sha256.h"
#include "misi/tasks.h"

#define SIZE 96
#define SEED 7

static const char *g_assets = "assets/complexes";
#define NDIRS 8
static char g_dir[NDIRS][256];

/* The runs put both complexes in the training split (an empty test list),
 * so that T5 can pair them; both_splits_hold_disjoint_complexes covers the
 * split itself. */
static const char *const no_test_ids[1] = {NULL};

static int run_fmt(const char *out, int threads, int batch, bool force, misi_output_format fmt,
                   misi_error *err);
static int run_cfg(const char *out, misi_generate_config cfg, misi_error *err);

static int run(const char *out, int threads, int batch, bool force, misi_error *err)
{
    return run_fmt(out, threads, batch, force, MISI_FORMAT_DEFAULT, err);
}

static int run_fmt(const char *out, int threads, int batch, bool force, misi_output_format fmt,
                   misi_error *err)
{
    misi_generate_config cfg = {.out_dir = out,
                                .seed = SEED,
                                .width = SIZE,
                                .height = SIZE,
                                .threads = threads,
                                .batch = batch,
                                .force = force,
                                .progress = -1,
                                .format = fmt,
                                .shard_images = 40,
                                .test_ids = no_test_ids,
                                /* 96-px images hold no legible 13-px label; the
                                 * check runs at 512 px in test_legibility.c */
                                .label_check = MISI_LABEL_CHECK_OFF};
    return run_cfg(out, cfg, err);
}

/* The report of the last run_cfg, and of setup's first run. */
static misi_generate_report g_last_rep, g_rep0;

static int run_cfg(const char *out, misi_generate_config cfg, misi_error *err)
{
    misi_source_list src = {0};
    char path[512];
    int rc = MISI_OK;
    const char *ids[] = {"1hpv", "4cup"};
    for (int i = 0; !rc && i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", g_assets, ids[i]);
        rc = misi_sources_add_path(&src, path, err);
    }
    cfg.out_dir = out;
    misi_generate_report rep;
    if (!rc)
        rc = misi_generate(&src, &cfg, &rep, err);
    if (!rc)
        g_last_rep = rep;
    misi_sources_finish(&src);
    return rc;
}

static char *slurp(const char *dir, const char *rel, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *buf = NULL;
    misi_error err = {0};
    if (misi_read_file(path, 0, &buf, len, &err))
        fail_msg("%s", err.msg);
    return buf;
}

static int setup(void **state)
{
    (void)state;
    for (int k = 0; k < NDIRS; k++) {
        snprintf(g_dir[k], sizeof g_dir[k], "/tmp/misi-gen-test-XXXXXX");
        if (!mkdtemp(g_dir[k]))
            return -1;
    }
    misi_error err = {0};
    int rc = run(g_dir[0], 1, 1, false, &err);
    if (rc == MISI_E_GL && !getenv("MISI_REQUIRE_GL")) {
        fprintf(stderr, "SKIP: no OpenGL ES context: %s\n", err.msg);
        exit(77);
    }
    if (rc) {
        fprintf(stderr, "generate: %s\n", err.msg);
        return -1;
    }
    g_rep0 = g_last_rep;
    if (run(g_dir[1], 3, 0, false, &err)) {
        fprintf(stderr, "generate: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int k = 0; k < NDIRS; k++) {
        char cmd[4096];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir[k]);
        if (system(cmd) != 0)
            return -1;
    }
    return 0;
}

static void dataset_is_identical_across_threads_and_batch_sizes(void **s)
{
    (void)s;
    size_t a, b;
    char *ma = slurp(g_dir[0], "manifest.json", &a), *mb = slurp(g_dir[1], "manifest.json", &b);
    assert_int_equal(a, b);
    assert_memory_equal(ma, mb, a);
    free(ma);
    free(mb);
}

static const char *str(cJSON *o, const char *k);

/* With both splits each complex goes to one: the test list's complexes to
 * the test split with its counts, the others to training, and no complex or
 * image is in both. Without a list, a hash of the id decides, the same way
 * whatever else is in the run. */
static void both_splits_hold_disjoint_complexes(void **s)
{
    (void)s;
    static const char *const test_ids[] = {"4cup"};
    misi_generate_config cfg = {.seed = SEED,
                                .width = 48,
                                .height = 48,
                                .progress = -1,
                                .test_ids = test_ids,
                                .ntest_ids = 1,
                                .counts_set = true};
    for (int t = 0; t < MISI_GEN_MAX_TASKS; t++)
        cfg.counts[t][0] = cfg.counts[t][1] = 0;
    cfg.counts[0][0] = 3; /* translation: 3 train, 2 test per complex */
    cfg.counts[0][1] = 2;
    misi_error err = {0};
    char dir[] = "/tmp/misi-split-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(run_cfg(dir, cfg, &err), MISI_OK);
    int n[2] = {0, 0};
    char *seen_images[2][64];
    int nimg[2] = {0, 0};
    const char *files[2] = {"train.jsonl", "test.jsonl"};
    for (int sp = 0; sp < 2; sp++) {
        size_t len;
        char *text = slurp(dir, files[sp], &len);
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
            cJSON *rec = cJSON_Parse(line);
            assert_non_null(rec);
            assert_string_equal(str(rec, "complex"), sp ? "4cup" : "1hpv");
            cJSON *img;
            cJSON_ArrayForEach(img, cJSON_GetObjectItem(rec, "images"))
            {
                if (nimg[sp] < 64)
                    seen_images[sp][nimg[sp]++] = strdup(img->valuestring);
            }
            n[sp]++;
            cJSON_Delete(rec);
        }
        free(text);
    }
    assert_int_equal(n[0], 3);
    assert_int_equal(n[1], 2);
    for (int i = 0; i < nimg[0]; i++)
        for (int j = 0; j < nimg[1]; j++)
            assert_string_not_equal(seen_images[0][i], seen_images[1][j]);
    for (int sp = 0; sp < 2; sp++)
        for (int i = 0; i < nimg[sp]; i++)
            free(seen_images[sp][i]);
    /* The manifest records the split. */
    size_t len;
    char *m = slurp(dir, "manifest.json", &len);
    assert_non_null(strstr(m, "\"test_ids\""));
    free(m);

    /* No list: the hash of each id decides; every complex lands in exactly
     * one split, and a complex's split does not depend on the others. */
    cfg.test_ids = NULL;
    cfg.ntest_ids = 0;
    cfg.test_fraction = 0.5;
    cfg.force = true;
    assert_int_equal(run_cfg(dir, cfg, &err), MISI_OK);
    char *tr = slurp(dir, "train.jsonl", &len), *te = slurp(dir, "test.jsonl", &len);
    for (int k = 0; k < 2; k++) {
        const char *id = k ? "\"complex\":\"4cup\"" : "\"complex\":\"1hpv\"";
        assert_true((strstr(tr, id) != NULL) != (strstr(te, id) != NULL));
    }
    free(tr);
    free(te);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* The answerability checks of T5/T6 render every option to compare them;
 * those renders are the options' images, so nothing is drawn twice. */
static void no_image_is_drawn_twice(void **s)
{
    (void)s;
    size_t t6 = g_rep0.questions[5][0] + g_rep0.questions[5][1];
    assert_true(t6 > 0); /* the checks ran */
    assert_true(g_rep0.images > 0);
    assert_true(g_rep0.renders >= g_rep0.images);
    assert_int_equal(g_rep0.redraws, 0);
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        n += misi_is_dir(p) ? count_files(p) : 1;
    }
    closedir(d);
    return n;
}

static void manifest_hashes_every_file(void **s)
{
    (void)s;
    size_t n;
    char *text = slurp(g_dir[0], "manifest.json", &n);
    cJSON *m = cJSON_Parse(text);
    assert_non_null(m);
    cJSON *files = cJSON_GetObjectItem(m, "files");
    int nfiles = cJSON_GetArraySize(files);
    /* every file but the manifest itself is listed */
    assert_int_equal(nfiles + 1, count_files(g_dir[0]));
    cJSON *f;
    cJSON_ArrayForEach(f, files)
    {
        const char *rel = cJSON_GetObjectItem(f, "path")->valuestring;
        size_t len;
        char *data = slurp(g_dir[0], rel, &len);
        char hex[65];
        misi_sha256_hex(data, len, hex);
        assert_string_equal(hex, cJSON_GetObjectItem(f, "sha256")->valuestring);
        assert_int_equal((double)len, cJSON_GetObjectItem(f, "bytes")->valuedouble);
        free(data);
    }
    assert_string_equal(cJSON_GetObjectItem(m, "seed")->valuestring, "7");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(m, "skipped")), 0);
    cJSON_Delete(m);
    free(text);
}

typedef void (*record_fn)(cJSON *rec, const char *split, void *user);

static void each_record(const char *dir, const char *file, record_fn fn, void *user)
{
    size_t n;
    char *text = slurp(dir, file, &n);
    char *line = text;
    int lineno = 0;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = '\0';
        lineno++;
        cJSON *rec = cJSON_Parse(line);
        if (!rec)
            fail_msg("%s:%d: not JSON", file, lineno);
        fn(rec, file, user);
        cJSON_Delete(rec);
        line = nl + 1;
    }
    free(text);
}

static const char *str(cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItem(o, k);
    if (!cJSON_IsString(v))
        fail_msg("field '%s' missing or not a string", k);
    return v->valuestring;
}

/* docs/dataset.md, the plain record. */
static void check_plain(cJSON *rec, const char *file, void *user)
{
    int *counts = user; /* [task][split] flattened, per complex 1hpv only */
    const char *task = str(rec, "task");
    const misi_task *t = misi_task_find(task);
    if (!t)
        fail_msg("%s: unknown task %s", file, task);
    assert_int_equal(cJSON_GetObjectItem(rec, "task_number")->valueint, t->number);
    const char *split = str(rec, "split");
    assert_true(!strcmp(split, "train") || !strcmp(split, "test"));
    assert_non_null(strstr(file, split));
    const char *cid = str(rec, "complex");
    char want[128];
    snprintf(want, sizeof want, "%s-%s-%s-", cid, task, split);
    assert_int_equal(strncmp(str(rec, "id"), want, strlen(want)), 0);
    cJSON *images = cJSON_GetObjectItem(rec, "images"), *img;
    assert_true(cJSON_GetArraySize(images) >= 1);
    cJSON_ArrayForEach(img, images)
    {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", g_dir[0], img->valuestring);
        assert_true(misi_is_file(p));
    }
    assert_true(strlen(str(rec, "question")) > 50);
    assert_true(strlen(str(rec, "answer")) > 0);
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(rec, "truth")));
    cJSON *opt = cJSON_GetObjectItem(rec, "options");
    if (t->mc) {
        assert_int_equal(cJSON_GetArraySize(opt), 4);
        const char *ans = str(rec, "answer");
        assert_true(strlen(ans) == 1 && ans[0] >= 'A' && ans[0] <= 'D');
    } else {
        assert_true(cJSON_IsNull(opt)); /* one key set for every task: null, not absent */
    }
    if (!strcmp(cid, "1hpv"))
        counts[(t->number - 1) * 2 + (!strcmp(split, "test"))]++;
}

static void records_follow_the_schema_and_the_paper_counts(void **s)
{
    (void)s;
    int counts[18] = {0};
    each_record(g_dir[0], "train.jsonl", check_plain, counts);
    each_record(g_dir[0], "test.jsonl", check_plain, counts);
    /* T1-T3 and T9 have fixed paper counts per complex (1hpv has H-bonds);
     * these runs put every complex in the training split. */
    int expect[4][3] = {{1, 4, 0}, {2, 6, 0}, {3, 4, 0}, {9, 1, 0}};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(counts[(expect[i][0] - 1) * 2], expect[i][1]);
        assert_int_equal(counts[(expect[i][0] - 1) * 2 + 1], expect[i][2]);
    }
}

static void check_conv(cJSON *rec, const char *file, void *user)
{
    (void)file;
    (void)user;
    int nimg = cJSON_GetArraySize(cJSON_GetObjectItem(rec, "images"));
    cJSON *turns = cJSON_GetObjectItem(rec, "conversations");
    assert_int_equal(cJSON_GetArraySize(turns), 2);
    cJSON *h = cJSON_GetArrayItem(turns, 0), *a = cJSON_GetArrayItem(turns, 1);
    assert_string_equal(str(h, "from"), "human");
    assert_string_equal(str(a, "from"), "gpt");
    int tags = 0;
    for (const char *p = str(h, "value"); (p = strstr(p, "<image>")); p++)
        tags++;
    assert_int_equal(tags, nimg);
}

static void conversations_hold_one_image_tag_per_image(void **s)
{
    (void)s;
    each_record(g_dir[0], "train.conversations.jsonl", check_conv, NULL);
    each_record(g_dir[0], "test.conversations.jsonl", check_conv, NULL);
}

/* Re-apply a cloze answer (T1-T3) to the front view and render it exactly as
 * the generator does; it must equal the question's fourth image. */
typedef struct reapply {
    misi_renderer *r;
    misi_complex cx;
    misi_frame frame;
    float scale;
    int checked;
} reapply;

static void check_reapply(cJSON *rec, const char *file, void *user)
{
    (void)file;
    reapply *ra = user;
    const char *task = str(rec, "task");
    if (strcmp(str(rec, "complex"), "1hpv") != 0 ||
        (strcmp(task, "translation") && strcmp(task, "rotation") && strcmp(task, "zooming")))
        return;
    misi_pose pose;
    misi_error err = {0};
    assert_int_equal(misi_pose_from_text(str(rec, "answer"), &pose, &err), MISI_OK);
    misi_scene_desc desc = {.frame = &ra->frame};
    misi_scene *scene = NULL;
    assert_int_equal(misi_scene_create(&ra->cx, &desc, &scene, &err), MISI_OK);
    misi_render_params p = {.width = SIZE, .height = SIZE, .px_per_A = ra->scale};
    misi_view v;
    memcpy(v.rot, pose.rot, sizeof v.rot);
    memcpy(v.trans, pose.trans, sizeof v.trans);
    uint8_t *rgb = malloc(SIZE * SIZE * 3);
    assert_int_equal(misi_render_view(ra->r, scene, &p, &v, rgb, &err), MISI_OK);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", g_dir[0],
             cJSON_GetArrayItem(cJSON_GetObjectItem(rec, "images"), 3)->valuestring);
    uint8_t *png;
    int w, h;
    assert_int_equal(misi_png_read_file(path, &png, &w, &h, &err), MISI_OK);
    assert_int_equal(w, SIZE);
    assert_memory_equal(png, rgb, SIZE * SIZE * 3);
    /* and the answer is not a no-op: image 1 differs */
    uint8_t *first;
    snprintf(path, sizeof path, "%s/%s", g_dir[0],
             cJSON_GetArrayItem(cJSON_GetObjectItem(rec, "images"), 0)->valuestring);
    assert_int_equal(misi_png_read_file(path, &first, &w, &h, &err), MISI_OK);
    assert_memory_not_equal(first, rgb, SIZE * SIZE * 3);
    free(first);
    free(png);
    free(rgb);
    misi_scene_destroy(scene);
    ra->checked++;
}

static void cloze_answers_reapplied_reproduce_the_target_image(void **s)
{
    (void)s;
    reapply ra = {0};
    misi_error err = {0};
    assert_int_equal(misi_renderer_create(NULL, &ra.r, &err), MISI_OK);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/1hpv", g_assets);
    misi_complex_init(&ra.cx);
    assert_int_equal(misi_complex_load_dir(dir, NULL, &ra.cx, &err), MISI_OK);
    misi_task_geometry geo = {.width = SIZE, .height = SIZE, .eye_distance = 100, .edge_margin_px = 2};
    misi_task_frame(&ra.cx, &geo, &ra.frame, &ra.scale);
    each_record(g_dir[0], "train.jsonl", check_reapply, &ra);
    each_record(g_dir[0], "test.jsonl", check_reapply, &ra);
    assert_int_equal(ra.checked, 4 + 6 + 4); /* training split only */
    misi_complex_finish(&ra.cx);
    misi_renderer_destroy(ra.r);
}

static void existing_dataset_needs_force(void **s)
{
    (void)s;
    misi_error err = {0};
    assert_int_equal(run(g_dir[1], 1, 0, false, &err), MISI_E_USAGE);
    assert_non_null(strstr(err.msg, "--force"));
}

static unsigned long long parse_octal(const char *p, size_t n)
{
    unsigned long long v = 0;
    for (size_t i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
        v = v * 8 + (unsigned)(p[i] - '0');
    return v;
}

static void tar_shards_hold_the_same_images_as_loose_files(void **s)
{
    (void)s;
    misi_error err = {0};
    assert_int_equal(run_fmt(g_dir[2], 2, 5, false, MISI_FORMAT_TAR, &err), MISI_OK);
    size_t n;
    char *text = slurp(g_dir[2], "manifest.json", &n);
    cJSON *m = cJSON_Parse(text);
    int members = 0, shards = 0;
    cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(m, "files"))
    {
        const char *rel = cJSON_GetObjectItem(f, "path")->valuestring;
        if (strncmp(rel, "shards/", 7) != 0)
            continue;
        shards++;
        size_t len;
        char *tar = slurp(g_dir[2], rel, &len);
        size_t off = 0;
        while (off + 512 <= len && tar[off]) {
            char name[101] = {0};
            memcpy(name, tar + off, 100);
            unsigned long long size = parse_octal(tar + off + 124, 12);
            size_t flen;
            char *loose = slurp(g_dir[0], name, &flen);
            assert_int_equal(flen, size);
            assert_memory_equal(loose, tar + off + 512, flen);
            free(loose);
            members++;
            off += 512 + (size + 511) / 512 * 512;
        }
        free(tar);
    }
    cJSON_Delete(m);
    free(text);
    /* every image of the loose run is in a shard, and 40 per shard */
    text = slurp(g_dir[0], "manifest.json", &n);
    m = cJSON_Parse(text);
    int images = cJSON_GetObjectItem(m, "images")->valueint;
    assert_int_equal(members, images);
    assert_int_equal(shards, (images + 39) / 40);
    cJSON_Delete(m);
    free(text);
}

static void assert_same_manifest(const char *a, const char *b)
{
    size_t la, lb;
    char *ma = slurp(a, "manifest.json", &la), *mb = slurp(b, "manifest.json", &lb);
    if (la != lb || memcmp(ma, mb, la) != 0)
        fail_msg("manifests of %s and %s differ", a, b);
    free(ma);
    free(mb);
}

static misi_generate_config base_cfg(misi_output_format fmt)
{
    misi_generate_config cfg = {.seed = SEED,
                                .width = SIZE,
                                .height = SIZE,
                                .threads = 2,
                                .progress = -1,
                                .format = fmt,
                                .shard_images = 40,
                                .test_ids = no_test_ids,
                                .label_check = MISI_LABEL_CHECK_OFF}; /* 96 px: see run_fmt */
    return cfg;
}

/* Shards 0/3, 1/3, 2/3 (one of them empty with two complexes) merged give
 * the unsharded run's bytes: the manifest holds every file's SHA-256, and
 * the hash test checks files against it. */
static void shards_merged_equal_the_unsharded_run(void **s)
{
    (void)s;
    misi_error err = {0};
    char shard[3][300];
    const char *dirs[3];
    for (int k = 0; k < 3; k++) {
        snprintf(shard[k], sizeof shard[k], "%s/shard%d", g_dir[3], k);
        misi_generate_config cfg = base_cfg(MISI_FORMAT_DEFAULT);
        cfg.shard_index = k;
        cfg.shard_count = 3;
        if (run_cfg(shard[k], cfg, &err))
            fail_msg("shard %d: %s", k, err.msg);
        dirs[k] = shard[k];
    }
    /* a missing shard is refused, naming the gap */
    assert_int_equal(misi_merge(g_dir[4], dirs, 1, false, &err), MISI_E_INVALID);
    assert_non_null(strstr(err.msg, "not complete"));
    assert_int_equal(misi_merge(g_dir[4], dirs, 3, true, &err), MISI_OK);
    assert_same_manifest(g_dir[0], g_dir[4]);
    /* and the merged files are the ones listed */
    size_t n;
    char *text = slurp(g_dir[4], "manifest.json", &n);
    cJSON *m = cJSON_Parse(text), *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(m, "files"))
    {
        size_t len;
        char *data = slurp(g_dir[4], cJSON_GetObjectItem(f, "path")->valuestring, &len);
        char hex[65];
        misi_sha256_hex(data, len, hex);
        assert_string_equal(hex, cJSON_GetObjectItem(f, "sha256")->valuestring);
        free(data);
    }
    cJSON_Delete(m);
    free(text);
}

static void tar_shards_merged_equal_the_unsharded_tar_run(void **s)
{
    (void)s;
    misi_error err = {0};
    char shard[2][300];
    const char *dirs[2];
    for (int k = 0; k < 2; k++) {
        snprintf(shard[k], sizeof shard[k], "%s/shard%d", g_dir[5], k);
        misi_generate_config cfg = base_cfg(MISI_FORMAT_TAR);
        cfg.shard_index = k;
        cfg.shard_count = 2;
        if (run_cfg(shard[k], cfg, &err))
            fail_msg("shard %d: %s", k, err.msg);
        dirs[k] = shard[k];
    }
    char out[300];
    snprintf(out, sizeof out, "%s/merged", g_dir[5]);
    assert_int_equal(misi_merge(out, dirs, 2, false, &err), MISI_OK);
    assert_same_manifest(g_dir[2], out);
}

/* An interrupted run (here: the second complex's part lost, as after kill
 * -9) continued with --resume ends byte-identical to an uninterrupted one. */
static void resumed_run_equals_an_uninterrupted_one(void **s)
{
    (void)s;
    misi_error err = {0};
    misi_generate_config cfg = base_cfg(MISI_FORMAT_DEFAULT);
    assert_int_equal(run_cfg(g_dir[6], cfg, &err), MISI_OK);
    /* take the run back to "first complex done": drop the manifest and finals,
     * restore the parts folder with only complex 0's part */
    misi_generate_config shard0 = base_cfg(MISI_FORMAT_DEFAULT);
    shard0.shard_index = 0;
    shard0.shard_count = 2;
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s/half", g_dir[6]);
    assert_int_equal(run_cfg(tmp, shard0, &err), MISI_OK);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -f '%s'/manifest.json '%s'/*.jsonl && cp -r '%s'/.parts '%s'/", g_dir[6],
             g_dir[6], tmp, g_dir[6]);
    assert_int_equal(system(cmd), 0);
    /* without --resume the unfinished run is refused */
    assert_int_equal(run_cfg(g_dir[6], cfg, &err), MISI_E_USAGE);
    assert_non_null(strstr(err.msg, "--resume"));
    cfg.resume = true;
    assert_int_equal(run_cfg(g_dir[6], cfg, &err), MISI_OK);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    assert_int_equal(system(cmd), 0);
    assert_same_manifest(g_dir[0], g_dir[6]);
}

/* A stop request before any complex leaves a consistent, incomplete
 * manifest and MISI_E_CANCELLED. */
static void stop_request_leaves_a_partial_manifest(void **s)
{
    (void)s;
    misi_error err = {0};
    static volatile sig_atomic_t stop = 1;
    misi_generate_config cfg = base_cfg(MISI_FORMAT_DEFAULT);
    cfg.stop = &stop;
    assert_int_equal(run_cfg(g_dir[7], cfg, &err), MISI_E_CANCELLED);
    size_t n;
    char *text = slurp(g_dir[7], "manifest.json", &n);
    cJSON *m = cJSON_Parse(text);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(m, "complete")));
    assert_int_equal(cJSON_GetObjectItem(m, "complexes")->valueint, 0);
    cJSON_Delete(m);
    free(text);
}

/* ---- T5-T8 against their renders ---- */

typedef struct loaded {
    char id[16];
    misi_complex cx;
    misi_frame frame;
    float scale;
} loaded;

typedef struct render_check {
    misi_renderer *r;
    loaded cx[2];
    cJSON *meta; /* file_name -> truth.jsonl line (the image's pose and scale) */
    int t5, t6, t7, t8;
} render_check;

static loaded *find_cx(render_check *rc, const char *image_path)
{
    for (int k = 0; k < 2; k++) {
        char dir[64];
        snprintf(dir, sizeof dir, "images/%s/", rc->cx[k].id);
        if (!strncmp(image_path, dir, strlen(dir)))
            return &rc->cx[k];
    }
    fail_msg("no complex for %s", image_path);
    return NULL;
}

static float image_scale(render_check *rc, const char *path)
{
    cJSON *m = cJSON_GetObjectItem(rc->meta, path);
    if (!m)
        fail_msg("%s not in truth.jsonl", path);
    return (float)cJSON_GetObjectItem(m, "px_per_angstrom")->valuedouble;
}

/* Render cx (ligand coordinates optionally replaced) from the pose of ops. */
static uint8_t *render_ops(render_check *rc, loaded *l, const float *ligand_xyz, const char *ops, float scale)
{
    misi_error err = {0};
    misi_pose pose;
    if (misi_pose_from_text(ops, &pose, &err))
        fail_msg("'%s': %s", ops, err.msg);
    float *saved = NULL;
    size_t n = (size_t)l->cx.ligand.top.natoms * 3;
    if (ligand_xyz) {
        saved = malloc(n * sizeof *saved);
        memcpy(saved, l->cx.ligand.xyz, n * sizeof *saved);
        memcpy(l->cx.ligand.xyz, ligand_xyz, n * sizeof *saved);
    }
    misi_scene_desc desc = {.frame = &l->frame};
    misi_scene *scene = NULL;
    assert_int_equal(misi_scene_create(&l->cx, &desc, &scene, &err), MISI_OK);
    if (saved) {
        memcpy(l->cx.ligand.xyz, saved, n * sizeof *saved);
        free(saved);
    }
    misi_render_params p = {.width = SIZE, .height = SIZE, .px_per_A = scale};
    uint8_t *rgb = malloc(SIZE * SIZE * 3);
    assert_int_equal(misi_render_view(rc->r, scene, &p, &pose, rgb, &err), MISI_OK);
    misi_scene_destroy(scene);
    return rgb;
}

static uint8_t *read_image(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", g_dir[0], rel);
    uint8_t *rgb;
    int w, h;
    misi_error err = {0};
    if (misi_png_read_file(path, &rgb, &w, &h, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(w, SIZE);
    return rgb;
}

static bool same_pixels(const uint8_t *a, const uint8_t *b)
{
    return memcmp(a, b, SIZE * SIZE * 3) == 0;
}

static void check_mc_render(cJSON *rec, const char *file, void *user)
{
    (void)file;
    render_check *rc = user;
    const char *task = str(rec, "task");
    cJSON *truth = cJSON_GetObjectItem(rec, "truth");
    if (!strcmp(task, "translation_rotation") || !strcmp(task, "rotation_rotation")) {
        /* every option image shows its operations; only the right one is the truth */
        const char *correct = str(truth, "correct");
        cJSON *opts = cJSON_GetObjectItem(rec, "options");
        uint8_t *right_img = read_image(str(opts, correct));
        for (char L = 'A'; L <= 'D'; L++) {
            char key[2] = {L, 0};
            const char *img = str(opts, key);
            loaded *l = find_cx(rc, img);
            uint8_t *want = render_ops(rc, l, NULL, str(cJSON_GetObjectItem(truth, "options"), key),
                                       image_scale(rc, img));
            uint8_t *have = read_image(img);
            assert_true(same_pixels(want, have));
            if (L != correct[0])
                assert_false(same_pixels(want, right_img));
            free(want);
            free(have);
        }
        free(right_img);
        if (task[0] == 't')
            rc->t5++;
        else
            rc->t6++;
    } else if (!strcmp(task, "docking")) {
        /* rebuild the displacement from the truth (the answer undoes it):
         * p' = R(a) (p - c) + c + (dx, 0, 0) with a = -rotation, dx = -translation */
        cJSON *rot = cJSON_GetObjectItem(truth, "rotation"), *tr = cJSON_GetObjectItem(truth, "translation");
        const char *images[7];
        for (int k = 0; k < 7; k++)
            images[k] = cJSON_GetArrayItem(cJSON_GetObjectItem(rec, "images"), k)->valuestring;
        loaded *l = find_cx(rc, images[6]);
        float scale = image_scale(rc, images[6]);
        uint32_t n = l->cx.ligand.top.natoms;
        /* the ligand's centre summed in double, as the generator does: the
         * label layout is a discrete choice, and a centre a few ulp off moves
         * the atoms by 1e-6 A, which can tip a near tie between two spots */
        double cd[3] = {0, 0, 0};
        int heavy = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (l->cx.ligand.top.atoms[i].element == 1)
                continue;
            for (int k = 0; k < 3; k++)
                cd[k] += l->cx.ligand.xyz[3 * i + k];
            heavy++;
        }
        float c[3];
        for (int k = 0; k < 3; k++)
            c[k] = (float)(cd[k] / heavy);
        char undo_roll[64];
        snprintf(undo_roll, sizeof undo_roll, "roll %s %g", str(rot, "axis"),
                 -cJSON_GetObjectItem(rot, "value")->valuedouble);
        misi_pose disp;
        misi_error err = {0};
        assert_int_equal(misi_pose_from_text(undo_roll, &disp, &err), MISI_OK);
        disp.trans[0] = (float)-cJSON_GetObjectItem(tr, "value")->valuedouble;
        float *moved = malloc(n * 3 * sizeof *moved);
        for (uint32_t i = 0; i < n; i++) {
            misi_pose_point(&disp, c, &l->cx.ligand.xyz[3 * i], &moved[3 * i]);
            for (int k = 0; k < 3; k++)
                moved[3 * i + k] += c[k];
        }
        /* image 7 is the complex with that displaced ligand, front view */
        uint8_t *want = render_ops(rc, l, moved, "front", scale), *have = read_image(images[6]);
        assert_true(same_pixels(want, have));
        free(want);
        free(have);
        /* the answer applied to the displaced ligand puts it back: the same
         * pixels as the complex as it was */
        misi_oplist ops = {0};
        assert_int_equal(misi_cmd_parse(str(rec, "answer"), &ops, &err), MISI_OK);
        float cc[3] = {0, 0, 0};
        for (uint32_t i = 0; i < n; i++) {
            if (l->cx.ligand.top.atoms[i].element == 1)
                continue;
            for (int k = 0; k < 3; k++)
                cc[k] += moved[3 * i + k];
        }
        for (int k = 0; k < 3; k++)
            cc[k] /= (float)heavy;
        misi_pose back;
        misi_pose_identity(&back);
        misi_pose_apply(&back, ops.ops, ops.count);
        misi_oplist_finish(&ops);
        for (uint32_t i = 0; i < n; i++) {
            misi_pose_point(&back, cc, &moved[3 * i], &moved[3 * i]);
            for (int k = 0; k < 3; k++)
                moved[3 * i + k] += cc[k];
        }
        /* The round trip R^-1 (R (p - c)) in float leaves the atoms ~1e-6 A
         * from where they were (R^T R is the identity only to rounding), and
         * a sphere's shading can land one level apart at a pixel or two, so
         * the raw coordinates cannot be compared exactly. The ligand files
         * give 4 decimals (MOL2 and SDF), and read back to that precision
         * (as the readers parse: strtod, then float) the answer gives back
         * every coordinate bit for bit, and so the same pixels. */
        for (uint32_t i = 0; i < 3 * n; i++) {
            char dec[48];
            snprintf(dec, sizeof dec, "%.4f", (double)moved[i]);
            moved[i] = (float)strtod(dec, NULL);
        }
        assert_memory_equal(moved, l->cx.ligand.xyz, 3 * n * sizeof *moved);
        uint8_t *restored = render_ops(rc, l, moved, "front", scale),
                *orig = render_ops(rc, l, NULL, "front", scale);
        assert_true(same_pixels(restored, orig));
        free(restored);
        free(orig);
        free(moved);
        rc->t7++;
    } else if (!strcmp(task, "interaction_location")) {
        /* the right option's moves bring the bond midpoint to the image
         * centre (within half a pixel per Å rounding), no decoy's do */
        cJSON *bond = cJSON_GetObjectItem(truth, "bond");
        loaded *l = find_cx(rc, cJSON_GetArrayItem(cJSON_GetObjectItem(rec, "images"), 0)->valuestring);
        float mid[3] = {0, 0, 0};
        int found = 0;
        for (uint32_t i = 0; i < l->cx.pocket.top.natoms; i++) {
            const misi_atom *a = &l->cx.pocket.top.atoms[i];
            if (a->resseq == cJSON_GetObjectItem(bond, "number")->valueint &&
                !strcmp(a->name, str(bond, "residue_atom")) && !strcmp(a->resname, str(bond, "residue")) &&
                (a->chain == ' ' ? !str(bond, "chain")[0] : a->chain == str(bond, "chain")[0])) {
                for (int k = 0; k < 3; k++)
                    mid[k] += 0.5f * l->cx.pocket.xyz[3 * i + k];
                found++;
            }
        }
        for (uint32_t i = 0; i < l->cx.ligand.top.natoms; i++) {
            if (!strcmp(l->cx.ligand.top.atoms[i].name, str(bond, "ligand_atom"))) {
                for (int k = 0; k < 3; k++)
                    mid[k] += 0.5f * l->cx.ligand.xyz[3 * i + k];
                found++;
            }
        }
        assert_int_equal(found, 2);
        misi_scene_desc desc = {.frame = &l->frame};
        misi_scene *scene = NULL;
        misi_error err = {0};
        assert_int_equal(misi_scene_create(&l->cx, &desc, &scene, &err), MISI_OK);
        misi_render_params p = {.width = SIZE, .height = SIZE, .px_per_A = l->scale};
        const char *correct = str(truth, "correct");
        float off[4];
        for (char L = 'A'; L <= 'D'; L++) {
            char key[2] = {L, 0};
            misi_pose pose;
            assert_int_equal(misi_pose_from_text(str(cJSON_GetObjectItem(rec, "options"), key), &pose, &err),
                             MISI_OK);
            float px[2], depth;
            assert_true(misi_project(scene, &p, &pose, mid, px, &depth));
            /* distance from the centre in Å, the larger axis */
            float dx = fabsf(px[0] - SIZE / 2.0f) / l->scale, dy = fabsf(px[1] - SIZE / 2.0f) / l->scale;
            off[L - 'A'] = dx > dy ? dx : dy;
        }
        int right = correct[0] - 'A';
        assert_true(off[right] <= 0.5f + 1e-3f); /* rounded to whole Å */
        for (int k = 0; k < 4; k++) {
            if (k != right && off[k] < off[right] + 0.5f - 1e-3f)
                fail_msg("%s: decoy %c leaves the midpoint %.3f A from the centre, the answer %.3f A",
                         str(rec, "id"), 'A' + k, off[k], off[right]);
        }
        misi_scene_destroy(scene);
        rc->t8++;
    }
}

/* metadata.jsonl (what imagefolder ships with the images) carries only each
 * image's file and complex: its pose gave away T1-T3, T5 and T6 answers.
 * truth.jsonl holds the pose and scale of the same images, line for line. */
static void metadata_holds_no_pose_and_truth_holds_every_image(void **s)
{
    (void)s;
    size_t n, m;
    char *meta = slurp(g_dir[0], "metadata.jsonl", &n);
    char *truth = slurp(g_dir[0], "truth.jsonl", &m);
    char *sm = NULL, *st = NULL;
    char *a = strtok_r(meta, "\n", &sm), *b = strtok_r(truth, "\n", &st);
    int lines = 0;
    for (; a && b; a = strtok_r(NULL, "\n", &sm), b = strtok_r(NULL, "\n", &st), lines++) {
        cJSON *x = cJSON_Parse(a), *y = cJSON_Parse(b);
        assert_non_null(x);
        assert_non_null(y);
        assert_int_equal(cJSON_GetArraySize(x), 2);
        assert_non_null(cJSON_GetObjectItem(x, "file_name"));
        assert_non_null(cJSON_GetObjectItem(x, "complex"));
        assert_string_equal(str(x, "file_name"), str(y, "file_name"));
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(y, "rotation")), 9);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(y, "translation")), 3);
        assert_non_null(cJSON_GetObjectItem(y, "px_per_angstrom"));
        cJSON_Delete(x);
        cJSON_Delete(y);
    }
    assert_null(a);
    assert_null(b);
    assert_true(lines > 100);
    free(meta);
    free(truth);
}

static void mc_and_docking_answers_match_their_renders(void **s)
{
    (void)s;
    render_check rc = {0};
    misi_error err = {0};
    assert_int_equal(misi_renderer_create(NULL, &rc.r, &err), MISI_OK);
    const char *ids[2] = {"1hpv", "4cup"};
    misi_task_geometry geo = {.width = SIZE, .height = SIZE, .eye_distance = 100, .edge_margin_px = 2};
    for (int k = 0; k < 2; k++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/%s", g_assets, ids[k]);
        snprintf(rc.cx[k].id, sizeof rc.cx[k].id, "%s", ids[k]);
        misi_complex_init(&rc.cx[k].cx);
        assert_int_equal(misi_complex_load_dir(dir, NULL, &rc.cx[k].cx, &err), MISI_OK);
        misi_task_frame(&rc.cx[k].cx, &geo, &rc.cx[k].frame, &rc.cx[k].scale);
    }
    rc.meta = cJSON_CreateObject();
    size_t n;
    char *text = slurp(g_dir[0], "truth.jsonl", &n);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *m = cJSON_Parse(line);
        cJSON_AddItemToObject(rc.meta, str(m, "file_name"), m);
    }
    free(text);
    each_record(g_dir[0], "train.jsonl", check_mc_render, &rc);
    each_record(g_dir[0], "test.jsonl", check_mc_render, &rc);
    /* both complexes, training split: T5-T7 6 each; T8 min(3, bonds) for
     * 1hpv, none for 4cup */
    assert_int_equal(rc.t5, 12);
    assert_int_equal(rc.t6, 12);
    assert_int_equal(rc.t7, 12);
    assert_int_equal(rc.t8, 3);
    cJSON_Delete(rc.meta);
    for (int k = 0; k < 2; k++)
        misi_complex_finish(&rc.cx[k].cx);
    misi_renderer_destroy(rc.r);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_assets = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dataset_is_identical_across_threads_and_batch_sizes),
        cmocka_unit_test(no_image_is_drawn_twice),
        cmocka_unit_test(both_splits_hold_disjoint_complexes),
        cmocka_unit_test(manifest_hashes_every_file),
        cmocka_unit_test(records_follow_the_schema_and_the_paper_counts),
        cmocka_unit_test(conversations_hold_one_image_tag_per_image),
        cmocka_unit_test(cloze_answers_reapplied_reproduce_the_target_image),
        cmocka_unit_test(mc_and_docking_answers_match_their_renders),
        cmocka_unit_test(metadata_holds_no_pose_and_truth_holds_every_image),
        cmocka_unit_test(existing_dataset_needs_force),
        cmocka_unit_test(tar_shards_hold_the_same_images_as_loose_files),
        cmocka_unit_test(shards_merged_equal_the_unsharded_run),
        cmocka_unit_test(tar_shards_merged_equal_the_unsharded_tar_run),
        cmocka_unit_test(resumed_run_equals_an_uninterrupted_one),
        cmocka_unit_test(stop_request_leaves_a_partial_manifest),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
