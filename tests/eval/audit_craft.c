/* Writes small crafted datasets, each with exactly one planted shortcut (or
 * none), for the misi audit tests: audit_craft <kind> <out dir>.
 *
 *   t8_most_shared  T8: the truth is the option whose components the
 *                   decoys share most (decoys perturb one coordinate of it)
 *   id_mod2         T1: the axis is the question index mod 2
 *   meta_t1         T1: metadata.jsonl carries each image's pose
 *   t5_perturb      T5: option images are the truth and three perturbations
 *                   of it (magnitude, sign, other axis), drawn as blobs
 *                   whose position is the option's translation
 *   t4_scale        T4: positives are drawn larger than negatives
 *   t4_residue      T4: the residue the question names tells the answer
 *   t3_copies       T3: complexes are copies of 8 sources (complex c of
 *                   source c % 8) that share their answer, and image 1's
 *                   size names the source: image statistics "learn" the
 *                   answer from the other fold's copies, unless the audit
 *                   folds by source (--groups; writes groups.txt)
 *   clean           T1, T4, T5, T8 with uniform answers and letters, a
 *                   symmetric 2x2 set of T8 options, random images and a
 *                   metadata.jsonl of file_name and complex only
 *   clean_small     the same on 40 complexes
 *
 * Records have no "truth": the audit must not need it. 40 complexes (30 in
 * train.jsonl, 10 in test.jsonl; the clean set 120), 5 questions each per task. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "misi/fs.h"
#include "misi/png.h"
#include "misi/rng.h"

/* Planted shortcuts: 40 complexes (30 train, 10 test). The clean set is
 * larger, 120 (90 / 30): an audit runs a few hundred baselines, and with
 * only 50 questions in a split a fluke of chance clears a 5-point margin on
 * one of them now and then (docs/audit.md, "Many baselines"). */
#define NCOMPLEX 40
#define NTRAIN 30
#define NCOMPLEX_CLEAN 120
#define NTRAIN_CLEAN 90
#define PER 5
#define SIDE 64

static const char *out_dir;
static FILE *qa[2], *meta;

static void die(const char *what)
{
    fprintf(stderr, "audit_craft: %s\n", what);
    exit(1);
}

/* A SIDE x SIDE black image with a filled square of side `sq` centred at
 * (cx, cy) in pixels (y down), grey level g; sq 0 draws nothing. */
static void write_png(const char *rel, int cx, int cy, int sq, int g)
{
    static uint8_t rgb[SIDE * SIDE * 3];
    memset(rgb, 0, sizeof rgb);
    for (int y = cy - sq / 2; sq && y < cy - sq / 2 + sq; y++)
        for (int x = cx - sq / 2; x < cx - sq / 2 + sq; x++)
            if (x >= 0 && y >= 0 && x < SIDE && y < SIDE)
                memset(rgb + 3 * (y * SIDE + x), g, 3);
    misi_png_buf buf = {0};
    misi_error err;
    char *path = misi_path_join(out_dir, rel);
    if (!path || misi_png_encode(rgb, SIDE, SIDE, SIDE * 3, NULL, &buf, &err) ||
        misi_mkdir_parents(path, &err))
        die("cannot write an image");
    /* a plain write: thousands of tiny files, nothing to keep atomic */
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf.data, 1, buf.len, f) != buf.len || fclose(f))
        die("cannot write an image");
    free(path);
    misi_png_buf_finish(&buf);
}

/* One metadata line; extra is "" or ",\"key\":value..." */
static void meta_line(const char *rel, const char *cx, const char *extra)
{
    fprintf(meta, "{\"file_name\":\"%s\",\"complex\":\"%s\"%s}\n", rel, cx, extra);
}

/* A question record: images as a JSON array text, options as a JSON object
 * text or NULL. */
/* The question text of the next record (T4 names its residue). */
static const char *question_text = "crafted";

static void record(int split, const char *cx, const char *task, int tn, int index, const char *images,
                   const char *answer, const char *options)
{
    fprintf(qa[split],
            "{\"id\":\"%s-%s-%s-%d\",\"task\":\"%s\",\"task_number\":%d,\"split\":\"%s\",\"complex\":\"%s\","
            "\"images\":%s,\"question\":\"%s\",\"answer\":\"%s\"",
            cx, task, split ? "test" : "train", index, task, tn, split ? "test" : "train", cx, images,
            question_text, answer);
    if (options)
        fprintf(qa[split], ",\"options\":%s", options);
    fprintf(qa[split], "}\n");
}

static int nonzero(misi_rng *r, int lim)
{
    int v = misi_rng_range(r, 1, lim);
    return misi_rng_below(r, 2) ? v : -v;
}

/* Another non-zero value in [-lim, lim] different from every one in avoid. */
static int other(misi_rng *r, int lim, const int *avoid, int n)
{
    for (;;) {
        int v = nonzero(r, lim);
        bool clash = false;
        for (int i = 0; i < n; i++)
            clash |= v == avoid[i];
        if (!clash)
            return v;
    }
}

/* The blank image of a complex (written once). */
static void blank(const char *cx, char *rel, size_t cap)
{
    snprintf(rel, cap, "images/%s/blank.png", cx);
    char *p = misi_path_join(out_dir, rel);
    if (!p)
        die("out of memory");
    if (!misi_is_file(p)) {
        write_png(rel, 0, 0, 0, 0);
        meta_line(rel, cx, "");
    }
    free(p);
}

/* T8: options from four (x, y) moves, the right one at letter `right`. */
static void t8(int split, const char *cx, int i, int xs[4], int ys[4], int right)
{
    char opts[512], rel[128], imgs[160], ans[2] = {(char)('A' + right), 0};
    snprintf(opts, sizeof opts,
             "{\"A\":\"move x %d, move y %d\",\"B\":\"move x %d, move y %d\",\"C\":\"move x %d, move y %d\","
             "\"D\":\"move x %d, move y %d\"}",
             xs[0], ys[0], xs[1], ys[1], xs[2], ys[2], xs[3], ys[3]);
    blank(cx, rel, sizeof rel);
    snprintf(imgs, sizeof imgs, "[\"%s\"]", rel);
    record(split, cx, "interaction_location", 8, i, imgs, ans, opts);
}

/* Put the truth (tx, ty) at letter right and decoys d[0..3) elsewhere. */
static void place(int right, int tx, int ty, const int dx[3], const int dy[3], int xs[4], int ys[4])
{
    for (int k = 0, j = 0; k < 4; k++) {
        if (k == right) {
            xs[k] = tx, ys[k] = ty;
        } else {
            xs[k] = dx[j], ys[k] = dy[j];
            j++;
        }
    }
}

static void t1(misi_rng *r, int split, const char *cx, int i, int axis, bool pose)
{
    int v = nonzero(r, 4);
    char ans[32], imgs[4 * 128 + 16], rel[4][128];
    snprintf(ans, sizeof ans, "move %c %d", axis ? 'y' : 'x', v);
    for (int k = 0; k < 4; k++) {
        if (!pose) {
            blank(cx, rel[k], sizeof rel[k]);
            continue;
        }
        /* distinct files so that each carries its own pose */
        snprintf(rel[k], sizeof rel[k], "images/%s/t1-%d-%d.png", cx, i, k);
        write_png(rel[k], 0, 0, 0, 0);
        char extra[256];
        double t[3] = {0, 0, 0};
        if (k == 3)
            t[axis] = v;
        snprintf(extra, sizeof extra,
                 ",\"rotation\":[1,0,0,0,1,0,0,0,1],\"translation\":[%g,%g,%g],\"px_per_angstrom\":10", t[0],
                 t[1], t[2]);
        meta_line(rel[k], cx, extra);
    }
    snprintf(imgs, sizeof imgs, "[\"%s\",\"%s\",\"%s\",\"%s\"]", rel[0], rel[1], rel[2], rel[3]);
    record(split, cx, "translation", 1, i, imgs, ans, NULL);
}

/* T5 with option images drawn as squares offset by each option's
 * translation (4 px per Å, y up); perturb: the decoys are the truth with
 * another magnitude, the flipped sign and the other axis; else four random
 * translations. */
static void t5(misi_rng *r, int split, const char *cx, int i, bool perturb)
{
    int right = (int)misi_rng_below(r, 4);
    int ax[4], val[4];
    if (perturb) {
        int t = (int)misi_rng_below(r, 2), d = nonzero(r, 4);
        int mag;
        do
            mag = misi_rng_range(r, 1, 4);
        while (mag == abs(d));
        int dx[3] = {t, t, 1 - t}, dv[3] = {d > 0 ? mag : -mag, -d, d};
        for (int k = 0, j = 0; k < 4; k++) {
            if (k == right) {
                ax[k] = t, val[k] = d;
            } else {
                ax[k] = dx[j], val[k] = dv[j];
                j++;
            }
        }
    } else {
        for (int k = 0; k < 4; k++) {
            ax[k] = (int)misi_rng_below(r, 2);
            val[k] = nonzero(r, 4);
        }
    }
    char rel[11][128], imgs[2048], opts[1024], ans[2] = {(char)('A' + right), 0};
    for (int k = 0; k < 7; k++)
        blank(cx, rel[k], sizeof rel[k]);
    for (int k = 0; k < 4; k++) {
        snprintf(rel[7 + k], sizeof rel[7 + k], "images/%s/t5-%d-%d.png", cx, i, k);
        int px = SIDE / 2 + (ax[k] == 0 ? 4 * val[k] : 0), py = SIDE / 2 - (ax[k] == 1 ? 4 * val[k] : 0);
        write_png(rel[7 + k], px, py, 8, 200);
        meta_line(rel[7 + k], cx, "");
    }
    int n = snprintf(imgs, sizeof imgs, "[");
    for (int k = 0; k < 11; k++)
        n += snprintf(imgs + n, sizeof imgs - (size_t)n, "%s\"%s\"", k ? "," : "", rel[k]);
    snprintf(imgs + n, sizeof imgs - (size_t)n, "]");
    snprintf(opts, sizeof opts, "{\"A\":\"%s\",\"B\":\"%s\",\"C\":\"%s\",\"D\":\"%s\"}", rel[7], rel[8],
             rel[9], rel[10]);
    record(split, cx, "translation_rotation", 5, i, imgs, ans, opts);
}

#define NSOURCE 8

/* T3 on copies: every copy of a source asks that source's depth, and its
 * image 1 shows a square whose size names the source. */
static void t3_copy(int split, const char *cx, int i, int source)
{
    char ans[32], rel[4][128], imgs[4 * 128 + 16];
    snprintf(ans, sizeof ans, "move z %d", 40 + 2 * source);
    snprintf(rel[0], sizeof rel[0], "images/%s/t3-%d-0.png", cx, i);
    write_png(rel[0], SIDE / 2, SIDE / 2, 8 + 5 * source, 180);
    meta_line(rel[0], cx, "");
    for (int k = 1; k < 4; k++)
        blank(cx, rel[k], sizeof rel[k]);
    snprintf(imgs, sizeof imgs, "[\"%s\",\"%s\",\"%s\",\"%s\"]", rel[0], rel[1], rel[2], rel[3]);
    record(split, cx, "zooming", 3, i, imgs, ans, NULL);
}

/* T4: positive or negative at random, the residue named in the question;
 * scale: positives drawn larger; residue: positives are SER, THR or ASN and
 * negatives VAL, LEU or GLY (otherwise any of the six for either). */
static void t4(misi_rng *r, int split, const char *cx, int i, bool scale, bool residue)
{
    static const char *const RES[] = {"VAL", "ASP", "GLY", "SER", "LYS"};
    static const char *const NAMED[] = {"SER", "THR", "ASN", "VAL", "LEU", "GLY"};
    static const char *const ATOMS[] = {"O", "N", "OD1", "OG", "NZ"};
    static const char *const LIG[] = {"N1", "O2", "O3", "N4"};
    bool pos = misi_rng_below(r, 2);
    char ans[64];
    if (pos)
        snprintf(ans, sizeof ans, "Yes: %s %s, %s", RES[misi_rng_below(r, 5)], ATOMS[misi_rng_below(r, 5)],
                 LIG[misi_rng_below(r, 4)]);
    else
        snprintf(ans, sizeof ans, "No");
    int sq = scale ? (pos ? misi_rng_range(r, 22, 34) : misi_rng_range(r, 8, 20)) : misi_rng_range(r, 8, 34);
    char rel[128], imgs[160];
    snprintf(rel, sizeof rel, "images/%s/t4-%d.png", cx, i);
    write_png(rel, SIDE / 2, SIDE / 2, sq, 180);
    meta_line(rel, cx, "");
    snprintf(imgs, sizeof imgs, "[\"%s\"]", rel);
    int named = residue ? (int)misi_rng_below(r, 3) + (pos ? 0 : 3) : (int)misi_rng_below(r, 6);
    char text[96];
    snprintf(text, sizeof text, "The images show only one pocket residue, %s %d of chain A, with the ligand.",
             NAMED[named], 10 + i);
    question_text = text;
    record(split, cx, "residue_ligand", 4, i, imgs, ans, NULL);
    question_text = "crafted";
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: audit_craft <kind> <out dir> [seed]\n");
        return 2;
    }
    const char *kind = argv[1];
    out_dir = argv[2];
    misi_error err;
    if (misi_mkdir_p(out_dir, &err))
        die(err.msg);
    char *p[3] = {misi_path_join(out_dir, "train.jsonl"), misi_path_join(out_dir, "test.jsonl"),
                  misi_path_join(out_dir, "metadata.jsonl")};
    if (!p[0] || !p[1] || !p[2] || !(qa[0] = fopen(p[0], "w")) || !(qa[1] = fopen(p[1], "w")) ||
        !(meta = fopen(p[2], "w")))
        die("cannot create the files");
    bool known = false;
    uint64_t seed = argc == 4 ? strtoull(argv[3], NULL, 10) : 14;
    /* clean_small: the clean content on 40 complexes, for tests of the
     * command line that do not judge verdicts */
    bool clean = !strcmp(kind, "clean");
    if (!strcmp(kind, "clean_small"))
        kind = "clean";
    int ncomplex = clean ? NCOMPLEX_CLEAN : NCOMPLEX, ntrain = clean ? NTRAIN_CLEAN : NTRAIN;
    for (int c = 0; c < ncomplex; c++) {
        char cx[16];
        snprintf(cx, sizeof cx, "c%03d", c);
        int split = c >= ntrain;
        for (int i = 0; i < PER; i++) {
            char key[64];
            snprintf(key, sizeof key, "%s/%s/%d", kind, cx, i);
            misi_rng r;
            misi_rng_seed(&r, seed, key);
            if (!strcmp(kind, "t8_most_shared") || !strcmp(kind, "clean")) {
                known = true;
                int tx = nonzero(&r, 6), ty = nonzero(&r, 6), right = (int)misi_rng_below(&r, 4);
                int dx[3], dy[3];
                if (!strcmp(kind, "clean")) {
                    /* a 2x2 set: x in {tx, x2}, y in {ty, y2}; every option
                     * shares one component with two others */
                    int x2 = other(&r, 6, &tx, 1), y2 = other(&r, 6, &ty, 1);
                    dx[0] = tx, dy[0] = y2, dx[1] = x2, dy[1] = ty, dx[2] = x2, dy[2] = y2;
                } else {
                    /* each decoy changes one coordinate of the truth: the
                     * truth shares a component with all three */
                    int ax[2] = {tx, 0}, ay[2] = {ty, 0};
                    dx[0] = tx, dy[0] = other(&r, 6, ay, 1);
                    ax[1] = dx[1] = other(&r, 6, ax, 1), dy[1] = ty;
                    dx[2] = other(&r, 6, ax, 2), dy[2] = ty;
                }
                int xs[4], ys[4];
                place(right, tx, ty, dx, dy, xs, ys);
                t8(split, cx, i, xs, ys, right);
            }
            if (!strcmp(kind, "t3_copies")) {
                known = true;
                t3_copy(split, cx, i, c % NSOURCE);
            }
            if (!strcmp(kind, "id_mod2")) {
                known = true;
                t1(&r, split, cx, i, i % 2, false);
            }
            if (!strcmp(kind, "meta_t1") || !strcmp(kind, "clean")) {
                known = true;
                t1(&r, split, cx, i, (int)misi_rng_below(&r, 2), !strcmp(kind, "meta_t1"));
            }
            if (!strcmp(kind, "t5_perturb") || !strcmp(kind, "clean")) {
                known = true;
                t5(&r, split, cx, i, !strcmp(kind, "t5_perturb"));
            }
            if (!strcmp(kind, "t4_scale") || !strcmp(kind, "t4_residue") || !strcmp(kind, "clean")) {
                known = true;
                t4(&r, split, cx, i, !strcmp(kind, "t4_scale"), !strcmp(kind, "t4_residue"));
            }
        }
    }
    if (!known)
        die("unknown kind");
    if (!strcmp(kind, "t3_copies")) {
        char *gp = misi_path_join(out_dir, "groups.txt");
        FILE *g = gp ? fopen(gp, "w") : NULL;
        if (!g)
            die("cannot create groups.txt");
        for (int c = 0; c < ncomplex; c++)
            fprintf(g, "c%03d source%d\n", c, c % NSOURCE);
        if (fclose(g))
            die("cannot write groups.txt");
        free(gp);
    }
    for (int k = 0; k < 2; k++)
        if (fclose(qa[k]))
            die("cannot write a QA file");
    if (fclose(meta))
        die("cannot write metadata.jsonl");
    for (int k = 0; k < 3; k++)
        free(p[k]);
    return 0;
}
