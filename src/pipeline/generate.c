/* The generator: for each complex, ask every task for its questions, render
 * each distinct image request once (grouped by scene, in batches), encode and
 * write through the writer pool, and stream the records. The manifest, written
 * last and atomically, marks a finished dataset. Output bytes depend only on
 * the inputs, the seed and the configuration: never on thread count or batch
 * size (encoders only encode; everything else runs in a fixed order). */
#include "misi/generate.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "misi/fs.h"
#include "misi/record.h"
#include "misi/sha256.h"
#include "misi/tasks.h"
#include "misi/writer_pool.h"
#include "misi_config.h"
#include "pipeline/assemble.h"
#include "pipeline/runstate.h"
#include "pipeline/layout_pool.h"
#include "pipeline/legibility.h"

#define DEFAULT_OUT "misi-out"

/* One distinct image of the complex being processed. */
typedef struct req_entry {
    misi_image_req req;
    uint64_t hash;
    uint64_t id; /* first 64 bits of the content address */
    bool old;    /* written earlier in the run */
    char key[400];
    char path[160]; /* relative to the output folder */
} req_entry;

/* Pixels drawn for env->images_equal (the T5/T6 answerability checks compare
 * every pair of options). They are kept until the complex's images are
 * written and handed to the writer pool then, so no image is drawn twice. */
typedef struct pix_entry {
    uint64_t hash;
    char key[400];      /* request_key() */
    misi_image_req req; /* exactly what was drawn: keys round, renders do not */
    uint8_t *rgb;       /* NULL once handed to the pool */
} pix_entry;

/* At most this many bytes of pixels are kept; past it images_equal still
 * answers but its renders are not reused. */
#define PIX_CACHE_BUDGET ((size_t)256 << 20)

typedef struct file_hash {
    char *path; /* relative */
    char sha[65];
    uint64_t bytes;
} file_hash;

typedef struct gen {
    const misi_generate_config *cfg;
    cJSON *part;   /* the part of the complex in flight */
    cJSON *config; /* config_json(), shared by every part */
    char *out;
    misi_render_params params;
    misi_task_geometry geo;
    misi_renderer *r;
    misi_writer_pool *pool;
    misi_runstate *rs; /* the output folder: lock, parts, resume */
    size_t index;      /* of the complex in flight among the sources */
    misi_legibility leg; /* label layouts for the answer check and the truth file */
    misi_layout_pool *lpool; /* the layouts of the images drawn, off the render thread */
    bool leg_check;      /* drop questions whose answer is not legible in their images */
    bool leg_reframe;    /* ... after a try with the task's fallback framing (env.reframe) */
    /* the complex being processed [0] and its partner [1] */
    misi_complex cx[2];
    misi_hb_context *hb[2];
    misi_hbond_list hbl[2];
    misi_task_complex tc[2];
    bool loaded[2];
    req_entry *reqs;
    size_t nreqs, capreqs;
    /* Every image written in this run (first 64 bits of its content
     * address): a partner's views drawn for T5 are not drawn again when the
     * partner's own turn comes. Open addressing, 0 = empty. */
    uint64_t *seen;
    size_t seen_cap, seen_n;
    pix_entry *pix;
    size_t npix, cappix, pix_bytes;
    /* request hashes drawn for the complex in flight: counts redraws */
    uint64_t *drawn;
    size_t ndrawn, capdrawn;
    /* sha256 of the complex's written files, filled by the sink from worker
     * threads and emptied into its part by finish_part (kept for the whole
     * run, they grew by ~130 bytes per image: 80 MB at the paper's scale) */
    pthread_mutex_t mu;
    file_hash *files;
    size_t nfiles, capfiles;
    misi_generate_report *rep;
    size_t total_sources;
    char sources_sha[65]; /* SHA-256 of the ordered source ids: parts of one run agree on it */
    struct timespec t0;
} gen;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Room for one more element in a growing array (p holds *cap elements of
 * size bytes, n in use; doubles from 64): the array, moved or not, or NULL
 * when out of memory (p is then still valid). */
static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    size_t c = *cap ? 2 * *cap : 64;
    void *t = realloc(p, c * size);
    if (t)
        *cap = c;
    return t;
}

/* ---- files ---- */

static int record_hash(gen *g, const char *rel, const char *sha, uint64_t bytes)
{
    pthread_mutex_lock(&g->mu);
    int rc = MISI_OK;
    if (g->nfiles == g->capfiles) {
        size_t cap = g->capfiles ? 2 * g->capfiles : 256;
        file_hash *f = realloc(g->files, cap * sizeof *f);
        if (!f)
            rc = MISI_E_NOMEM;
        else {
            g->files = f;
            g->capfiles = cap;
        }
    }
    if (!rc) {
        file_hash *fh = &g->files[g->nfiles];
        fh->path = strdup(rel);
        if (!fh->path)
            rc = MISI_E_NOMEM;
        else {
            memcpy(fh->sha, sha, 65);
            fh->bytes = bytes;
            g->nfiles++;
        }
    }
    pthread_mutex_unlock(&g->mu);
    return rc;
}

/* The pool's sink: hash, then write atomically. No fsync per image: the
 * part that vouches for the complex's images syncs them all at once
 * (misi_runstate_write_part; docs/reliability.md "Durability"). */
static int sink_write(void *user, const char *path, const uint8_t *data, size_t len, misi_error *err)
{
    gen *g = user;
    const char *rel = path + strlen(g->out) + 1;
    char sha[65];
    misi_sha256_hex(data, len, sha);
    int rc = misi_write_file_atomic_nosync(path, data, len, err);
    if (rc)
        return rc;
    if (record_hash(g, rel, sha, len))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory recording %s", path);
    return MISI_OK;
}

/* ---- complexes ---- */

static void unload(gen *g, int k)
{
    if (!g->loaded[k])
        return;
    misi_hbond_list_finish(&g->hbl[k]);
    misi_hb_context_destroy(g->hb[k]);
    g->hb[k] = NULL;
    misi_complex_finish(&g->cx[k]);
    memset(&g->tc[k], 0, sizeof g->tc[k]);
    g->loaded[k] = false;
}

static int load(gen *g, int k, const misi_source *src, misi_error *err)
{
    unload(g, k);
    misi_complex_init(&g->cx[k]);
    int rc = misi_source_load(src, NULL, &g->cx[k], err);
    if (!rc && !misi_name_is_safe(g->cx[k].id))
        rc = misi_error_set(err, MISI_E_INVALID,
                            "complex id '%s' is not usable as a folder name (letters, digits, '_', '-', '.')",
                            g->cx[k].id);
    if (!rc)
        rc = misi_hb_context_create(&g->cx[k], NULL, &g->hb[k], err);
    if (!rc)
        rc = misi_hbonds_find(g->hb[k], &g->hbl[k], err);
    if (rc) {
        misi_hbond_list_finish(&g->hbl[k]);
        misi_hb_context_destroy(g->hb[k]);
        g->hb[k] = NULL;
        misi_complex_finish(&g->cx[k]);
        return rc;
    }
    char rel[96];
    snprintf(rel, sizeof rel, "images/%s", g->cx[k].id);
    char *dir = misi_path_join(g->out, rel);
    rc = dir ? misi_mkdir_p(dir, err) : misi_error_set(err, MISI_E_NOMEM, "out of memory");
    free(dir);
    if (rc) {
        misi_hbond_list_finish(&g->hbl[k]);
        misi_hb_context_destroy(g->hb[k]);
        g->hb[k] = NULL;
        misi_complex_finish(&g->cx[k]);
        return rc;
    }
    misi_task_complex *tc = &g->tc[k];
    tc->cx = &g->cx[k];
    tc->hb = g->hb[k];
    tc->hbonds = &g->hbl[k];
    misi_task_frame(tc->cx, &g->geo, &tc->frame, &tc->px_per_A);
    double c[3] = {0, 0, 0};
    uint32_t n = 0;
    for (uint32_t i = 0; i < tc->cx->ligand.top.natoms; i++) {
        if (tc->cx->ligand.top.atoms[i].element == 1)
            continue;
        for (int j = 0; j < 3; j++)
            c[j] += tc->cx->ligand.xyz[3 * i + j];
        n++;
    }
    for (int j = 0; j < 3; j++)
        tc->ligand_centre[j] = n ? (float)(c[j] / n) : 0.0f;
    g->loaded[k] = true;
    return MISI_OK;
}

/* ---- image requests ---- */

static float z0(float v)
{
    return v + 0.0f; /* -0 and +0 give one key */
}

static void pose_text(const misi_pose *p, char *buf, size_t cap)
{
    snprintf(buf, cap, "%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f;%.6f,%.6f,%.6f", z0(p->rot[0]),
             z0(p->rot[1]), z0(p->rot[2]), z0(p->rot[3]), z0(p->rot[4]), z0(p->rot[5]), z0(p->rot[6]),
             z0(p->rot[7]), z0(p->rot[8]), z0(p->trans[0]), z0(p->trans[1]), z0(p->trans[2]));
}

static const char *show_name(int show)
{
    static const char *const N[] = {"complex", "pocket", "ligand", "residue"};
    return show >= 0 && show < 4 ? N[show] : "?";
}

static float req_scale(const gen *g, const misi_image_req *r)
{
    return r->px_per_A > 0 ? r->px_per_A : g->tc[r->complex].px_per_A;
}

/* The scene part of a request's key: requests with equal scene keys are
 * drawn from one scene in one batch. */
static void scene_key(const gen *g, const misi_image_req *r, char *buf, size_t cap)
{
    char lp[256] = "-";
    if (r->ligand_moved)
        pose_text(&r->ligand_pose, lp, sizeof lp);
    /* The ligand pose goes in as a hash: keys stay short and fixed-size. */
    char fr[96] = "-";
    if (r->framed)
        snprintf(fr, sizeof fr, "%.5f,%.5f,%.5f,%.5f", z0(r->frame.centre[0]), z0(r->frame.centre[1]),
                 z0(r->frame.centre[2]), z0(r->frame.radius));
    snprintf(buf, cap, "%s|%s|%u|%016llx|%016llx|%.6f|%u", g->cx[r->complex].id, show_name(r->show),
             r->show == MISI_SHOW_RESIDUE ? r->residue : 0u,
             r->ligand_moved ? (unsigned long long)misi_hash64(lp) : 0ull,
             r->framed ? (unsigned long long)misi_hash64(fr) : 0ull, req_scale(g, r), (unsigned)r->labels);
}

static void request_key(const gen *g, const misi_image_req *r, char *buf, size_t cap)
{
    char sk[128], v[256];
    scene_key(g, r, sk, sizeof sk);
    pose_text(&r->view, v, sizeof v);
    snprintf(buf, cap, "%s|%s", sk, v);
}

/* Insert id; returns true when it was there already. */
static int seen_insert(gen *g, uint64_t id, bool *was, misi_error *err)
{
    if (2 * (g->seen_n + 1) > g->seen_cap) {
        size_t cap = g->seen_cap ? 2 * g->seen_cap : 4096;
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        for (size_t i = 0; i < g->seen_cap; i++) {
            uint64_t v = g->seen[i];
            if (!v)
                continue;
            size_t j = v & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = v;
        }
        free(g->seen);
        g->seen = t;
        g->seen_cap = cap;
    }
    size_t j = id & (g->seen_cap - 1);
    while (g->seen[j]) {
        if (g->seen[j] == id) {
            *was = true;
            return MISI_OK;
        }
        j = (j + 1) & (g->seen_cap - 1);
    }
    g->seen[j] = id;
    g->seen_n++;
    *was = false;
    return MISI_OK;
}

/* The complex's entry for a request key, or NULL. */
static const req_entry *find_request(const gen *g, uint64_t hash, const char *key)
{
    for (size_t i = 0; i < g->nreqs; i++)
        if (g->reqs[i].hash == hash && !strcmp(g->reqs[i].key, key))
            return &g->reqs[i];
    return NULL;
}

/* Find or add a request; returns its entry index. */
static int add_request(gen *g, const misi_image_req *r, size_t *out, misi_error *err)
{
    char key[400];
    request_key(g, r, key, sizeof key);
    uint64_t h = misi_hash64(key);
    const req_entry *have = find_request(g, h, key);
    if (have) {
        *out = (size_t)(have - g->reqs);
        return MISI_OK;
    }
    req_entry *grown = grow(g->reqs, &g->capreqs, g->nreqs, sizeof *grown);
    if (!grown)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    g->reqs = grown;
    req_entry *e = &g->reqs[g->nreqs];
    e->req = *r;
    e->hash = h;
    snprintf(e->key, sizeof e->key, "%s", key);
    /* The file name is a content address of the request and the render
     * settings, so one rendering has one name in every run. */
    char full[600], sha[65];
    snprintf(full, sizeof full, "%s|%dx%d|style=%d|aa=%d|D=%g|v1", key, g->params.width, g->params.height,
             (int)g->cfg->style, g->params.aa, g->params.eye_distance);
    misi_sha256_hex(full, strlen(full), sha);
    snprintf(e->path, sizeof e->path, "images/%s/%.16s.png", g->cx[r->complex].id, sha);
    e->id = strtoull((char[17]){sha[0], sha[1], sha[2], sha[3], sha[4], sha[5], sha[6], sha[7], sha[8],
                                sha[9], sha[10], sha[11], sha[12], sha[13], sha[14], sha[15], 0},
                     NULL, 16);
    if (!e->id)
        e->id = 1;
    int rc = seen_insert(g, e->id, &e->old, err);
    if (rc)
        return rc;
    *out = g->nreqs++;
    return MISI_OK;
}

/* ---- rendering ---- */

/* Count a view about to be drawn (rep->renders, rep->redraws). */
static int note_draw(gen *g, uint64_t hash, misi_error *err)
{
    g->rep->renders++;
    for (size_t i = 0; i < g->ndrawn; i++) {
        if (g->drawn[i] == hash) {
            g->rep->redraws++;
            return MISI_OK;
        }
    }
    uint64_t *grown = grow(g->drawn, &g->capdrawn, g->ndrawn, sizeof *grown);
    if (!grown)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    g->drawn = grown;
    g->drawn[g->ndrawn++] = hash;
    return MISI_OK;
}

/* ---- the pixel cache of images_equal ---- */

static size_t image_bytes(const gen *g)
{
    return (size_t)g->params.width * (size_t)g->params.height * 3;
}

static pix_entry *pix_find(gen *g, uint64_t hash, const char *key)
{
    for (size_t i = 0; i < g->npix; i++)
        if (g->pix[i].hash == hash && g->pix[i].rgb && !strcmp(g->pix[i].key, key))
            return &g->pix[i];
    return NULL;
}

/* Bit-exact equality of what a scene is built from (requests with one
 * scene key may still differ below the key's rounding). */
static bool same_scene(const misi_image_req *a, const misi_image_req *b)
{
    return a->complex == b->complex && a->show == b->show && a->residue == b->residue &&
           a->ligand_moved == b->ligand_moved && a->framed == b->framed &&
           !memcmp(&a->px_per_A, &b->px_per_A, sizeof a->px_per_A) &&
           (!a->ligand_moved ||
            (!memcmp(a->ligand_pose.rot, b->ligand_pose.rot, sizeof a->ligand_pose.rot) &&
             !memcmp(a->ligand_pose.trans, b->ligand_pose.trans, sizeof a->ligand_pose.trans))) &&
           (!a->framed || (!memcmp(a->frame.centre, b->frame.centre, sizeof a->frame.centre) &&
                           !memcmp(&a->frame.radius, &b->frame.radius, sizeof a->frame.radius)));
}

static bool same_view(const misi_image_req *a, const misi_image_req *b)
{
    return !memcmp(a->view.rot, b->view.rot, sizeof a->view.rot) &&
           !memcmp(a->view.trans, b->view.trans, sizeof a->view.trans);
}

/* Drop every kept image (between complexes, and on errors). */
static void pix_clear(gen *g)
{
    for (size_t i = 0; i < g->npix; i++)
        free(g->pix[i].rgb);
    g->npix = 0;
    g->pix_bytes = 0;
}

/* Hand a kept image to the writer pool for path; the entry lets go of it. */
static int pix_submit(gen *g, pix_entry *e, const char *path, misi_error *err)
{
    uint8_t *rgb = e->rgb;
    e->rgb = NULL;
    g->pix_bytes -= image_bytes(g);
    return misi_writer_pool_submit_rgb_owned(g->pool, path, rgb, g->params.width, g->params.height,
                                             (size_t)g->params.width * 3, NULL, NULL, err);
}

/* ---- rendering ---- */

/* One scene's images in submission order: kept ones (cached[k]) go straight
 * to the pool, the rest are rendered; on_image hands each rendered one over
 * after the kept ones before it, so the pool sees the same order either way
 * (an ordered sink, --format tar, depends on it). */
typedef struct render_sink {
    gen *g;
    const size_t *entries;    /* request index of each image, in order */
    pix_entry *const *cached; /* its kept pixels, or NULL to render */
    const size_t *pos;        /* position in entries of each rendered view */
    size_t next;              /* first position not yet handed over */
    misi_error err;           /* the callback's own error: the renderer reports a stop in its words */
} render_sink;

static int submit_entry(render_sink *s, size_t k, const uint8_t *rgb, int width, int height)
{
    char *path = misi_path_join(s->g->out, s->g->reqs[s->entries[k]].path);
    if (!path)
        return misi_error_set(&s->err, MISI_E_NOMEM, "out of memory");
    int rc = s->cached[k] ? pix_submit(s->g, s->cached[k], path, &s->err)
                          : misi_writer_pool_submit_rgb(s->g->pool, path, rgb, width, height,
                                                        (size_t)width * 3, &s->err);
    free(path);
    return rc;
}

/* Hand over the kept images at positions [s->next, upto). */
static int submit_cached(render_sink *s, size_t upto)
{
    int rc = MISI_OK;
    for (; !rc && s->next < upto; s->next++)
        rc = submit_entry(s, s->next, NULL, 0, 0);
    return rc;
}

static int on_image(void *user, size_t view, const uint8_t *rgb, int width, int height)
{
    render_sink *s = user;
    size_t k = s->pos[view];
    int rc = submit_cached(s, k);
    if (!rc)
        rc = submit_entry(s, k, rgb, width, height);
    s->next = k + 1;
    return rc;
}

/* Build the scene a request draws from. The displaced ligand of T7 is drawn
 * by moving the ligand's coordinates for the time of the scene's creation
 * (the scene keeps its own copy). */
static int make_scene(gen *g, const misi_image_req *r, misi_scene **out, misi_error *err)
{
    misi_complex *cx = &g->cx[r->complex];
    const misi_task_complex *tc = &g->tc[r->complex];
    misi_scene_desc desc = {.style = g->cfg->style, .frame = r->framed ? &r->frame : &tc->frame};
    bool *mask = NULL;
    if (r->show == MISI_SHOW_POCKET)
        desc.hide = MISI_HIDE_LIGAND;
    else if (r->show == MISI_SHOW_LIGAND)
        desc.hide = MISI_HIDE_POCKET;
    else if (r->show == MISI_SHOW_RESIDUE) {
        mask = calloc((size_t)cx->pocket.top.natoms + 1, sizeof *mask);
        if (!mask)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        for (uint32_t i = 0; i < cx->pocket.top.natoms; i++)
            mask[i] = cx->pocket.top.atoms[i].residue == r->residue;
        desc.pocket_mask = mask;
        desc.label_set = MISI_LABEL_SET_RESIDUE_ATOMS;
    }
    if (r->labels)
        desc.label_set = (misi_label_set)r->labels;
    float *saved = NULL;
    size_t nl = (size_t)cx->ligand.top.natoms * 3;
    if (r->ligand_moved) {
        saved = malloc(nl * sizeof *saved + 1);
        if (!saved) {
            free(mask);
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        }
        memcpy(saved, cx->ligand.xyz, nl * sizeof *saved);
        for (uint32_t i = 0; i < cx->ligand.top.natoms; i++)
            misi_task_moved_ligand_point(&r->ligand_pose, tc, &cx->ligand.xyz[3 * i], &cx->ligand.xyz[3 * i]);
    }
    int rc = misi_scene_create(cx, &desc, out, err);
    if (saved) {
        memcpy(cx->ligand.xyz, saved, nl * sizeof *saved);
        free(saved);
    }
    free(mask);
    return rc;
}

static misi_view to_view(const misi_pose *p)
{
    misi_view v;
    memcpy(v.rot, p->rot, sizeof v.rot);
    memcpy(v.trans, p->trans, sizeof v.trans);
    return v;
}

/* One scene's share of render_pending: requests entries[0..m-1] (their
 * kept pixels cached[], NULL to draw), drawn as views[0..nv-1] (pos[]: the
 * entry of each view) from the scene of request `first`, with layout jobs
 * [job0, job0 + nv) when its labels are laid out by the pool. */
typedef struct render_group {
    size_t first, at, vat, m, nv, job0;
    misi_scene *scene;
    misi_render_params p;
    bool laid_out;
} render_group;

/* misi_label_layouts.wait: the pool's job for the view; a layout that
 * failed is left to the render thread, which reports the error. */
typedef struct layout_wait {
    gen *g;
    const render_group *grp;
    misi_layout_job *jobs;
    const misi_label_place **places;
} layout_wait;

static void wait_layout(void *user, size_t view)
{
    layout_wait *w = user;
    misi_layout_pool_wait(w->g->lpool, w->grp->job0 + view);
    if (w->jobs[w->grp->job0 + view].rc)
        w->places[view] = NULL;
}

/* Render requests [from, to) of g->reqs that are not yet rendered, grouped
 * by scene in first-seen order; images images_equal drew already are
 * handed over as they are. The label layouts of every view are started on
 * the layout pool before the first group is drawn, so the render thread
 * draws while the pool lays out the views after it. */
static int render_pending(gen *g, size_t from, size_t to, misi_error *err)
{
    size_t n = to - from;
    if (!n)
        return MISI_OK;
    bool *done = malloc(n * sizeof *done);
    size_t *idx = malloc(n * sizeof *idx), *pos = malloc(n * sizeof *pos);
    pix_entry **cached = malloc(n * sizeof *cached);
    misi_view *views = malloc(n * sizeof *views);
    render_group *grp = malloc(n * sizeof *grp);
    misi_layout_job *jobs = calloc(n, sizeof *jobs);
    const misi_label_place **places = malloc(n * sizeof *places);
    misi_label_place *pl = NULL;
    size_t ngrp = 0, njobs = 0, nplaces = 0;
    int rc = (!done || !idx || !pos || !cached || !views || !grp || !jobs || !places)
                 ? misi_error_set(err, MISI_E_NOMEM, "out of memory")
                 : MISI_OK;
    for (size_t i = 0; !rc && i < n; i++)
        done[i] = g->reqs[from + i].old;
    /* 1: the groups, their scenes and the layouts they need */
    size_t at = 0, vat = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        if (done[i])
            continue;
        char ki[128], kj[128];
        scene_key(g, &g->reqs[from + i].req, ki, sizeof ki);
        render_group *G = &grp[ngrp];
        memset(G, 0, sizeof *G);
        G->first = from + i;
        G->at = at;
        G->vat = vat;
        for (size_t j = i; j < n; j++) {
            if (done[j])
                continue;
            const req_entry *e = &g->reqs[from + j];
            scene_key(g, &e->req, kj, sizeof kj);
            if (strcmp(ki, kj) != 0)
                continue;
            done[j] = true;
            idx[at + G->m] = from + j;
            /* The group draws every view from the scene of its first
             * request: kept pixels count only when drawn exactly so. */
            pix_entry *c = pix_find(g, e->hash, e->key);
            if (c && !(same_view(&c->req, &e->req) && same_scene(&c->req, &g->reqs[from + i].req)))
                c = NULL;
            cached[at + G->m] = c;
            if (!c) {
                views[vat + G->nv] = to_view(&e->req.view);
                pos[vat + G->nv++] = G->m;
                if (!rc)
                    rc = note_draw(g, e->hash, err); /* a later success must not hide an error */
            }
            G->m++;
        }
        at += G->m;
        vat += G->nv;
        ngrp++;
        if (rc || !G->nv)
            continue;
        rc = make_scene(g, &g->reqs[G->first].req, &G->scene, err);
        if (rc)
            break;
        G->p = g->params;
        G->p.px_per_A = req_scale(g, &g->reqs[G->first].req);
        G->laid_out = g->lpool && G->p.labels != MISI_LABELS_OFF && G->scene->nlabels;
        if (G->laid_out) {
            G->job0 = njobs;
            njobs += G->nv;
            nplaces += G->nv * (size_t)G->scene->nlabels;
        }
    }
    if (!rc && nplaces) {
        pl = malloc(nplaces * sizeof *pl);
        if (!pl)
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory for %zu label places", nplaces);
    }
    size_t used = 0;
    for (size_t k = 0; !rc && k < ngrp; k++) {
        render_group *G = &grp[k];
        for (size_t v = 0; G->laid_out && v < G->nv; v++) {
            misi_layout_job *J = &jobs[G->job0 + v];
            J->scene = G->scene;
            J->params = G->p;
            J->view = views[G->vat + v];
            J->out = pl + used;
            places[G->vat + v] = J->out;
            used += G->scene->nlabels;
        }
    }
    if (!rc && njobs)
        rc = misi_layout_pool_start(g->lpool, jobs, njobs, err);
    /* 2: draw, group by group, in the same order as ever */
    for (size_t k = 0; !rc && k < ngrp; k++) {
        render_group *G = &grp[k];
        render_sink sink = {.g = g, .entries = idx + G->at, .cached = cached + G->at, .pos = pos + G->vat};
        if (G->nv) {
            layout_wait w = {.g = g, .grp = G, .jobs = jobs, .places = places + G->vat};
            misi_label_layouts lay = {.places = places + G->vat, .wait = wait_layout, .user = &w};
            rc = misi_render_views_laid_out(g->r, G->scene, &G->p, views + G->vat, G->laid_out ? &lay : NULL,
                                            G->nv, on_image, &sink, err);
            /* the truth file's label figures: the same layouts, not made
             * again on this thread */
            for (size_t v = 0; !rc && G->laid_out && v < G->nv; v++) {
                const misi_layout_job *J = &jobs[G->job0 + v];
                const req_entry *e = &g->reqs[idx[G->at + pos[G->vat + v]]];
                if (!J->rc && req_scale(g, &e->req) == G->p.px_per_A)
                    rc = misi_leg_store(&g->leg, e->hash, G->scene, J->out, &J->stats, err);
            }
        }
        if (!rc)
            rc = submit_cached(&sink, G->m);
        if (rc && sink.err.code)
            *err = sink.err;
    }
    if (njobs)
        misi_layout_pool_wait_all(g->lpool); /* before the scenes and places go */
    for (size_t k = 0; grp && k < ngrp; k++)
        misi_scene_destroy(grp[k].scene);
    free(pl);
    free(places);
    free(jobs);
    free(grp);
    free(done);
    free(idx);
    free(pos);
    free(cached);
    free(views);
    return rc;
}

/* The pixels of request r: kept from an earlier call, or rendered now and
 * kept while the budget allows (else drawn into *scratch, allocated here
 * and freed by the caller). When an earlier question of the complex asked
 * for the same key, its request is the one drawn, as render_pending would. */
static int request_pixels(gen *g, const misi_image_req *r, uint8_t **scratch, const uint8_t **px,
                          misi_error *err)
{
    char key[400];
    request_key(g, r, key, sizeof key);
    uint64_t h = misi_hash64(key);
    const req_entry *asked = find_request(g, h, key);
    if (asked)
        r = &asked->req;
    pix_entry *e = pix_find(g, h, key);
    if (e) {
        *px = e->rgb;
        return MISI_OK;
    }
    size_t bytes = image_bytes(g);
    bool keep = g->pix_bytes + bytes <= PIX_CACHE_BUDGET;
    if (keep) {
        pix_entry *grown = grow(g->pix, &g->cappix, g->npix, sizeof *grown);
        if (!grown)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        g->pix = grown;
    }
    uint8_t *dst = malloc(bytes);
    if (!dst)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for a %dx%d image", g->params.width,
                              g->params.height);
    if (!keep)
        *scratch = dst;
    misi_scene *scene = NULL;
    int rc = note_draw(g, h, err);
    if (!rc)
        rc = make_scene(g, r, &scene, err);
    if (!rc) {
        misi_render_params p = g->params;
        p.px_per_A = req_scale(g, r);
        misi_view v = to_view(&r->view);
        rc = misi_render_view(g->r, scene, &p, &v, dst, err);
        misi_scene_destroy(scene);
    }
    if (keep) {
        if (rc) {
            free(dst);
            return rc;
        }
        e = &g->pix[g->npix++];
        e->hash = h;
        snprintf(e->key, sizeof e->key, "%s", key);
        e->req = *r;
        e->rgb = dst;
        g->pix_bytes += bytes;
    }
    *px = dst;
    return rc;
}

/* env->images_equal: render both (each distinct request once per complex)
 * and compare the pixels. */
static int images_equal(void *user, const misi_image_req *a, const misi_image_req *b, bool *equal,
                        misi_error *err)
{
    gen *g = user;
    uint8_t *scratch[2] = {NULL, NULL};
    const uint8_t *px[2] = {NULL, NULL};
    const misi_image_req *rq[2] = {a, b};
    int rc = MISI_OK;
    for (int k = 0; !rc && k < 2; k++)
        rc = request_pixels(g, rq[k], &scratch[k], &px[k], err);
    if (!rc)
        *equal = memcmp(px[0], px[1], image_bytes(g)) == 0;
    free(scratch[0]);
    free(scratch[1]);
    return rc;
}

/* ---- legibility (src/pipeline/legibility.c) ---- */

/* misi_leg_prepare_fn: the scene and params request r is drawn with. */
static int leg_prepare(void *user, const misi_image_req *r, misi_scene **scene, misi_render_params *p,
                       misi_error *err)
{
    gen *g = user;
    *p = g->params;
    p->px_per_A = req_scale(g, r);
    return make_scene(g, r, scene, err);
}

static uint64_t req_hash(const gen *g, const misi_image_req *r)
{
    char key[400];
    request_key(g, r, key, sizeof key);
    return misi_hash64(key);
}

/* Is every label q's answer needs legible in one of its images? Checked
 * before its images are requested, so a dropped question leaves none. Where
 * each label is legible goes into the question's truth ("legible"). */
static int question_legible(gen *g, misi_question *q, bool *ok, char *why, size_t cap, misi_error *err)
{
    *ok = true;
    if (!g->leg_check || (!q->nneed && !q->need_overflow))
        return MISI_OK;
    uint64_t keys[MISI_Q_MAX_IMAGES];
    for (int k = 0; k < q->nimages; k++)
        keys[k] = req_hash(g, &q->images[k]);
    cJSON *ev = cJSON_CreateArray();
    if (!ev)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    int rc = misi_leg_question(&g->leg, q, keys, ok, why, cap, ev, err);
    if (!rc && *ok && q->truth)
        cJSON_AddItemToObject(q->truth, "legible", ev);
    else
        cJSON_Delete(ev);
    return rc;
}

/* ---- records ---- */

static int write_records(gen *g, const misi_task *t, misi_split split, int index, misi_question *q,
                         const size_t *entries, misi_error *err)
{
    const char *id = g->cx[0].id;
    char qid[160];
    snprintf(qid, sizeof qid, "%s-%s-%s-%d", id, t->name, misi_split_name(split), index);
    const char *paths[MISI_Q_MAX_IMAGES];
    for (int k = 0; k < q->nimages; k++)
        paths[k] = g->reqs[entries[k]].path;
    /* Tasks write the whole question, options included. */
    const char *text = q->text;

    cJSON *rec = cJSON_CreateObject();
    cJSON_AddStringToObject(rec, "id", qid);
    cJSON_AddStringToObject(rec, "task", t->name);
    cJSON_AddNumberToObject(rec, "task_number", t->number);
    cJSON_AddStringToObject(rec, "split", misi_split_name(split));
    cJSON_AddStringToObject(rec, "complex", id);
    cJSON_AddItemToObject(rec, "images", cJSON_CreateStringArray(paths, q->nimages));
    cJSON_AddStringToObject(rec, "question", text);
    cJSON_AddStringToObject(rec, "answer", q->answer);
    /* One key set for every task (include/misi/record.h): options null
     * for a cloze task, truth in its fixed shape. */
    if (q->noptions) {
        cJSON *opt = cJSON_AddObjectToObject(rec, "options");
        for (int k = 0; k < q->noptions; k++) {
            char letter[2] = {(char)('A' + k), 0};
            cJSON_AddStringToObject(opt, letter,
                                    q->option_image[k] >= 0 ? paths[q->option_image[k]] : q->options[k]);
        }
    } else {
        cJSON_AddNullToObject(rec, "options");
    }
    cJSON *truth = misi_truth_fixed(q->truth, err);
    q->truth = NULL;
    if (!truth) {
        cJSON_Delete(rec);
        return err->code ? err->code : MISI_E_NOMEM;
    }
    cJSON_AddItemToObject(rec, "truth", truth);
    const char *sn = misi_split_name(split);
    cJSON_AddItemToArray(cJSON_GetObjectItem(cJSON_GetObjectItem(g->part, "records"), sn), rec);

    /* The conversation form: one <image> per image, in order, then the question. */
    size_t cap = (size_t)q->nimages * 24 + strlen(text) + 1;
    char *human = malloc(cap);
    if (!human)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    size_t used = 0;
    for (int k = 0; k < q->nimages; k++)
        used += (size_t)snprintf(human + used, cap - used, "Image %d: <image>\n", k + 1);
    snprintf(human + used, cap - used, "%s", text);
    cJSON *conv = cJSON_CreateObject();
    cJSON_AddStringToObject(conv, "id", qid);
    cJSON_AddItemToObject(conv, "images", cJSON_CreateStringArray(paths, q->nimages));
    cJSON *turns = cJSON_AddArrayToObject(conv, "conversations");
    cJSON *h = cJSON_CreateObject(), *a = cJSON_CreateObject();
    cJSON_AddStringToObject(h, "from", "human");
    cJSON_AddStringToObject(h, "value", human);
    cJSON_AddStringToObject(a, "from", "gpt");
    cJSON_AddStringToObject(a, "value", q->answer);
    cJSON_AddItemToArray(turns, h);
    cJSON_AddItemToArray(turns, a);
    free(human);
    cJSON_AddItemToArray(cJSON_GetObjectItem(cJSON_GetObjectItem(g->part, "conversations"), sn), conv);
    return MISI_OK;
}

static int write_metadata(gen *g, size_t from, size_t to, misi_error *err)
{
    for (size_t i = from; i < to; i++) {
        /* Every image the complex uses, also those drawn earlier in the run:
         * a part must not depend on what was made before it. */
        const req_entry *e = &g->reqs[i];
        cJSON *m = cJSON_CreateObject();
        cJSON_AddStringToObject(m, "file_name", e->path);
        cJSON_AddStringToObject(m, "complex", g->cx[e->req.complex].id);
        cJSON_AddStringToObject(m, "show", show_name(e->req.show));
        if (e->req.show == MISI_SHOW_RESIDUE) {
            const misi_residue *res = &g->cx[e->req.complex].pocket.top.residues[e->req.residue];
            char label[32];
            snprintf(label, sizeof label, "%s %d", res->name, res->seq);
            cJSON_AddStringToObject(m, "residue", label);
        } else {
            cJSON_AddNullToObject(m, "residue"); /* one key set for every image */
        }
        double rot[9], tr[3];
        for (int k = 0; k < 9; k++)
            rot[k] = round(e->req.view.rot[k] * 1e6) / 1e6 + 0.0;
        for (int k = 0; k < 3; k++)
            tr[k] = round(e->req.view.trans[k] * 1e6) / 1e6 + 0.0;
        cJSON_AddItemToObject(m, "rotation", cJSON_CreateDoubleArray(rot, 9));
        cJSON_AddItemToObject(m, "translation", cJSON_CreateDoubleArray(tr, 3));
        cJSON_AddBoolToObject(m, "ligand_moved", e->req.ligand_moved);
        /* exact: with the pose, enough to draw the image again */
        cJSON_AddNumberToObject(m, "px_per_angstrom", (double)req_scale(g, &e->req));
        /* how legible its labels are (docs/rendering.md "Measured legibility") */
        misi_label_stats st;
        int rc = misi_leg_image_stats(&g->leg, &e->req, e->hash, &st, err);
        if (rc) {
            cJSON_Delete(m);
            return rc;
        }
        cJSON_AddItemToObject(m, "labels", misi_leg_stats_json(&st));
        cJSON_AddItemToArray(cJSON_GetObjectItem(g->part, "metadata"), m);
    }
    return MISI_OK;
}

/* ---- the run ---- */

/* A --count that no complex can give is refused before anything is drawn
 * (T8 asks about at most three H-bonds, T9 is one question). */
static int check_counts(const misi_generate_config *cfg, misi_error *err)
{
    size_t ntasks;
    const misi_task *const *tasks = misi_tasks(&ntasks);
    for (size_t i = 0; i < ntasks; i++) {
        const misi_task *t = tasks[i];
        for (int s = 0; s < MISI_SPLIT_COUNT; s++) {
            int n = cfg->counts[t->number - 1][s];
            if (t->max_per_complex > 0 && n > t->max_per_complex)
                return misi_error_set(err, MISI_E_USAGE,
                                      "--count %s=%d for the %s split: a complex gives at most %d %s "
                                      "question%s per split",
                                      t->name, n, misi_split_name((misi_split)s), t->max_per_complex, t->name,
                                      t->max_per_complex == 1 ? "" : "s");
        }
    }
    return MISI_OK;
}

static bool split_on(const misi_generate_config *cfg, misi_split s)
{
    return cfg->splits == MISI_GEN_SPLITS_BOTH ||
           (cfg->splits == MISI_GEN_SPLITS_TRAIN && s == MISI_SPLIT_TRAIN) ||
           (cfg->splits == MISI_GEN_SPLITS_TEST && s == MISI_SPLIT_TEST);
}

#define PAPER_TEST_FRACTION MISI_PAPER_TEST_FRACTION

/* The one split a complex belongs to when the run makes both: from the id
 * alone (never the seed or the other complexes), so a complex keeps its
 * split across runs, seeds and source lists. */
static misi_split complex_split(const misi_generate_config *cfg, const char *id)
{
    if (cfg->test_ids) {
        for (size_t i = 0; i < cfg->ntest_ids; i++)
            if (!strcmp(cfg->test_ids[i], id))
                return MISI_SPLIT_TEST;
        return MISI_SPLIT_TRAIN;
    }
    char key[128];
    snprintf(key, sizeof key, "misi-split/%s", id);
    uint64_t z = misi_hash64(key); /* FNV-1a; splitmix64's finaliser spreads it */
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    double u = (double)(z >> 11) * 0x1.0p-53;
    double f = cfg->test_fraction > 0 ? cfg->test_fraction : PAPER_TEST_FRACTION;
    return u < f ? MISI_SPLIT_TEST : MISI_SPLIT_TRAIN;
}

/* Does complex id get questions of split s in this run? */
static bool complex_in_split(const misi_generate_config *cfg, const char *id, misi_split s)
{
    if (!split_on(cfg, s))
        return false;
    return cfg->splits != MISI_GEN_SPLITS_BOTH || complex_split(cfg, id) == s;
}

static void add_note(cJSON *arr, const char *id, const char *task, const char *reason)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "complex", id);
    if (task)
        cJSON_AddStringToObject(o, "task", task);
    cJSON_AddStringToObject(o, "reason", reason);
    cJSON_AddItemToArray(arr, o);
}

/* One question made and waiting for its images. */
typedef struct made {
    const misi_task *task;
    misi_split split;
    int index;
    misi_question q;
    size_t entries[MISI_Q_MAX_IMAGES];
} made;

/* Times a question equal to an earlier one is made again before the task
 * is noted as unable to give more distinct questions. */
#define MAX_AGAIN 64
/* Times a question whose answer is not legible in its images is made again
 * (from the next stream, with env.reframe set: the task's fallback framing)
 * before it is noted and left out. The label tasks fix their images by the
 * question's index, so more would not help. */
#define LEGIBLE_TRIES 2

/* Is m the same question as one of the n before it (same task and split,
 * images, text, options and answer)? */
static bool repeats_earlier(const made *qs, size_t n, const made *m)
{
    for (size_t k = 0; k < n; k++) {
        const made *o = &qs[k];
        if (o->task != m->task || o->split != m->split || o->q.nimages != m->q.nimages ||
            o->q.noptions != m->q.noptions || strcmp(o->q.answer, m->q.answer) != 0 ||
            strcmp(o->q.text, m->q.text) != 0)
            continue;
        bool same = true;
        for (int i = 0; same && i < m->q.nimages; i++)
            same = o->entries[i] == m->entries[i];
        for (int i = 0; same && i < m->q.noptions; i++)
            same = !strcmp(o->q.options[i], m->q.options[i]) && o->q.option_image[i] == m->q.option_image[i];
        if (same)
            return true;
    }
    return false;
}

/* Record the images about to be written before writing them, so that a
 * crash before the part leaves them listed (--force removes them). */
static int note_images(gen *g, misi_error *err)
{
    const char **paths = malloc((g->nreqs + 1) * sizeof *paths);
    if (!paths)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < g->nreqs; i++)
        if (!g->reqs[i].old)
            paths[n++] = g->reqs[i].path;
    int rc = misi_runstate_note_images(g->rs, g->index, g->cx[0].id, paths, n, err);
    free(paths);
    return rc;
}

/* Three phases per complex: make every question (collecting image
 * requests), render every new image in as few batches as the scenes allow,
 * then write the records in the fixed order. */
static int process_complex(gen *g, misi_error *err)
{
    size_t ntasks;
    const misi_task *const *tasks = misi_tasks(&ntasks);
    misi_task_env env = {
        .own = &g->tc[0],
        .partner = g->loaded[1] ? &g->tc[1] : NULL,
        .geo = g->geo,
        .seed = g->cfg->seed,
        .images_equal = images_equal,
        .user = g,
    };
    g->nreqs = 0;
    g->ndrawn = 0;
    pix_clear(g);
    misi_leg_reset(&g->leg); /* layouts are kept per complex, like requests */
    made *qs = NULL;
    size_t nq = 0, capq = 0;
    int rc = MISI_OK;
    for (int s = 0; !rc && s < MISI_SPLIT_COUNT; s++) {
        if (!complex_in_split(g->cfg, g->cx[0].id, (misi_split)s))
            continue;
        for (size_t ti = 0; !rc && ti < ntasks; ti++) {
            const misi_task *t = tasks[ti];
            if (g->cfg->task_mask && !(g->cfg->task_mask & (1u << (t->number - 1))))
                continue;
            int count = t->paper_count(&env, (misi_split)s);
            if (g->cfg->counts_set && g->cfg->counts[t->number - 1][s] >= 0)
                count = g->cfg->counts[t->number - 1][s];
            for (int i = 0; !rc && i < count; i++) {
                if (nq == capq) {
                    size_t cap = capq ? 2 * capq : 64;
                    made *m = realloc(qs, cap * sizeof *m);
                    if (!m) {
                        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
                        break;
                    }
                    qs = m;
                    capq = cap;
                }
                made *m = &qs[nq];
                m->task = t;
                m->split = (misi_split)s;
                m->index = i;
                misi_error terr = {0};
                bool dup = true, illegible = false;
                int illegible_tries = 0;
                char lwhy[300] = "";
                for (int again = 0; !rc && (dup || illegible) && again <= MAX_AGAIN; again++) {
                    /* Try 0 is the question's own stream; a question equal
                     * to an earlier one of its task and split is made again
                     * from the next stream ("again" keys), so a split holds
                     * no question twice. */
                    char key[256];
                    if (again)
                        snprintf(key, sizeof key, "%s/%s/%s/%d/again/%d", g->cx[0].id, t->name,
                                 misi_split_name((misi_split)s), i, again);
                    else
                        snprintf(key, sizeof key, "%s/%s/%s/%d", g->cx[0].id, t->name,
                                 misi_split_name((misi_split)s), i);
                    misi_rng rng;
                    misi_rng_seed(&rng, g->cfg->seed, key);
                    misi_question_init(&m->q);
                    /* after an illegible try, the task's fallback framing */
                    env.reframe = illegible_tries > 0 && g->leg_reframe;
                    rc = t->make(&env, &rng, (misi_split)s, i, &m->q, &terr);
                    bool legible = true;
                    if (!rc)
                        rc = question_legible(g, &m->q, &legible, lwhy, sizeof lwhy, err);
                    illegible = !legible;
                    if (illegible && ++illegible_tries >= LEGIBLE_TRIES) {
                        misi_question_finish(&m->q);
                        break;
                    }
                    for (int k = 0; !rc && !illegible && k < m->q.nimages; k++)
                        rc = add_request(g, &m->q.images[k], &m->entries[k], err);
                    dup = !rc && !illegible && repeats_earlier(qs, nq, m);
                    if (dup || illegible || rc)
                        misi_question_finish(&m->q);
                }
                if (!rc && illegible) {
                    /* this question only: the task's next ones may be legible */
                    char reason[400];
                    snprintf(reason, sizeof reason, "question %d: %s", i, lwhy);
                    add_note(cJSON_GetObjectItem(g->part, "unanswerable"), g->cx[0].id, t->name, reason);
                    g->rep->unanswerable++;
                    g->rep->illegible++;
                    continue;
                }
                if (!rc && dup) {
                    rc = MISI_E_INVALID;
                    snprintf(terr.msg, sizeof terr.msg,
                             "question %d repeats an earlier one after %d draws: %d distinct questions made",
                             i, MAX_AGAIN + 1, i);
                }
                if (rc == MISI_E_INVALID) {
                    /* The complex cannot give this task's questions. */
                    add_note(cJSON_GetObjectItem(g->part, "unanswerable"), g->cx[0].id, t->name, terr.msg);
                    g->rep->unanswerable++;
                    rc = MISI_OK;
                    break;
                }
                if (rc) {
                    if (terr.code)
                        *err = terr;
                    break;
                }
                nq++;
            }
        }
    }
    if (!rc)
        rc = write_metadata(g, 0, g->nreqs, err);
    if (!rc)
        rc = note_images(g, err);
    if (!rc)
        rc = render_pending(g, 0, g->nreqs, err);
    for (size_t k = 0; k < nq; k++) {
        made *m = &qs[k];
        if (!rc) {
            rc = write_records(g, m->task, m->split, m->index, &m->q, m->entries, err);
            if (!rc)
                g->rep->questions[m->task->number - 1][m->split]++;
        }
        misi_question_finish(&m->q);
    }
    free(qs);
    /* What is left was drawn for questions that were resampled. */
    pix_clear(g);
    if (rc)
        return rc;
    for (size_t i = 0; i < g->nreqs; i++)
        g->rep->images += !g->reqs[i].old;
    return MISI_OK;
}

static void progress(gen *g, size_t done, bool final)
{
    int mode = g->cfg->progress;
    if (mode < 0 || (mode == 0 && !isatty(STDERR_FILENO)))
        return;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double el = (double)(t.tv_sec - g->t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - g->t0.tv_nsec);
    double rate = el > 0 ? (double)g->rep->images / el : 0;
    double eta = done ? el / (double)done * (double)(g->total_sources - done) : 0;
    fprintf(stderr, "\r[%zu/%zu complexes] %zu images, %.1f images/s, ETA %.0f s   ", done, g->total_sources,
            g->rep->images, rate, eta);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

static cJSON *config_json(const misi_generate_config *cfg, const misi_render_params *p)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "splits",
                            cfg->splits == MISI_GEN_SPLITS_TRAIN  ? "train"
                            : cfg->splits == MISI_GEN_SPLITS_TEST ? "test"
                                                                  : "both");
    if (cfg->splits == MISI_GEN_SPLITS_BOTH) {
        /* which complexes went to the test split */
        if (cfg->test_ids)
            cJSON_AddItemToObject(
                c, "test_ids",
                cJSON_CreateStringArray((const char *const *)cfg->test_ids, (int)cfg->ntest_ids));
        else
            cJSON_AddNumberToObject(c, "test_fraction",
                                    cfg->test_fraction > 0 ? cfg->test_fraction : PAPER_TEST_FRACTION);
    }
    cJSON_AddStringToObject(c, "preset", cfg->counts_set ? "custom" : "paper");
    cJSON_AddStringToObject(c, "format", cfg->format == MISI_FORMAT_TAR ? "tar" : "files");
    if (cfg->format == MISI_FORMAT_TAR)
        cJSON_AddNumberToObject(c, "shard_images", cfg->shard_images > 0 ? cfg->shard_images : 10000);
    cJSON_AddNumberToObject(c, "width", p->width);
    cJSON_AddNumberToObject(c, "height", p->height);
    cJSON_AddStringToObject(c, "style", misi_style_name(cfg->style ? cfg->style : MISI_STYLE_BALL_AND_STICK));
    cJSON_AddNumberToObject(c, "antialias", p->aa);
    cJSON_AddNumberToObject(c, "eye_distance", p->eye_distance);
    cJSON_AddNumberToObject(c, "render_version", MISI_RENDER_VERSION);
    cJSON_AddNumberToObject(c, "record_version", MISI_RECORD_VERSION);
    cJSON_AddStringToObject(c, "labels", misi_labels_name(p->labels));
    cJSON_AddBoolToObject(c, "label_check",
                          cfg->label_check != MISI_LABEL_CHECK_OFF && p->labels == MISI_LABELS_ON);
    cJSON *tasks = cJSON_AddArrayToObject(c, "tasks");
    size_t ntasks;
    const misi_task *const *all = misi_tasks(&ntasks);
    for (size_t i = 0; i < ntasks; i++) {
        if (cfg->task_mask && !(cfg->task_mask & (1u << (all[i]->number - 1))))
            continue;
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "name", all[i]->name);
        if (cfg->counts_set) {
            cJSON_AddNumberToObject(t, "train", cfg->counts[all[i]->number - 1][0]);
            cJSON_AddNumberToObject(t, "test", cfg->counts[all[i]->number - 1][1]);
        }
        cJSON_AddItemToArray(tasks, t);
    }
    /* Thread count and batch size are left out on purpose: they never change
     * the output, and the manifest must not either. */
    return c;
}

/* ---- parts ---- */

static cJSON *new_part(const gen *g, size_t index, const char *id)
{
    cJSON *p = cJSON_CreateObject();
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)g->cfg->seed);
    cJSON_AddNumberToObject(p, "index", (double)index);
    cJSON_AddNumberToObject(p, "total", (double)g->total_sources);
    cJSON_AddStringToObject(p, "id", id);
    cJSON_AddStringToObject(p, "seed", seed);
    cJSON_AddStringToObject(p, "sources_sha256", g->sources_sha);
    cJSON_AddItemToObject(p, "config", cJSON_Duplicate(g->config, 1));
    cJSON_AddStringToObject(p, "status", "ok");
    cJSON *rec = cJSON_AddObjectToObject(p, "records"), *conv = cJSON_AddObjectToObject(p, "conversations");
    for (int s = 0; s < 2; s++) {
        cJSON_AddArrayToObject(rec, misi_split_name((misi_split)s));
        cJSON_AddArrayToObject(conv, misi_split_name((misi_split)s));
    }
    cJSON_AddArrayToObject(p, "metadata");
    cJSON_AddArrayToObject(p, "images");
    cJSON_AddArrayToObject(p, "unanswerable");
    /* The run's notes ride with source 0's part: exactly one part in every
     * run, shard split or resume, so the manifest lists each note once. */
    if (index == 0 && g->cfg->nnotes) {
        cJSON *notes = cJSON_AddArrayToObject(p, "notes");
        for (size_t k = 0; k < g->cfg->nnotes; k++)
            cJSON_AddItemToArray(notes, cJSON_CreateString(g->cfg->notes[k]));
    }
    return p;
}

/* Write the part atomically, after the complex's images are on disk. */
static int finish_part(gen *g, size_t index, const char *id, misi_error *err)
{
    misi_error perr = {0};
    int rc = misi_writer_pool_finish(g->pool, &perr);
    if (rc) {
        *err = perr;
        return rc;
    }
    cJSON *images = cJSON_GetObjectItem(g->part, "images");
    pthread_mutex_lock(&g->mu);
    for (size_t i = 0; i < g->nfiles; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "path", g->files[i].path);
        cJSON_AddStringToObject(f, "sha256", g->files[i].sha);
        cJSON_AddNumberToObject(f, "bytes", (double)g->files[i].bytes);
        cJSON_AddItemToArray(images, f);
        free(g->files[i].path);
    }
    g->nfiles = 0;
    pthread_mutex_unlock(&g->mu);
    char *text = cJSON_PrintUnformatted(g->part);
    rc = text ? misi_runstate_write_part(g->rs, index, id, text, err)
              : misi_error_set(err, MISI_E_NOMEM, "out of memory writing a part");
    cJSON_free(text);
    return rc;
}

/* The ordered source ids, one a line, hashed: shards and resumed runs must
 * share it (the same complexes in the same order), or their parts would
 * index different complexes. */
static void sources_hash(const misi_source_list *sources, char hex[65])
{
    misi_sha256 h;
    misi_sha256_init(&h);
    for (size_t i = 0; i < sources->count; i++) {
        const char *id = sources->items[i].id ? sources->items[i].id : "";
        misi_sha256_update(&h, id, strlen(id));
        misi_sha256_update(&h, "\n", 1);
    }
    misi_sha256_final_hex(&h, hex);
}

/* Take the output folder (runstate.h) and, on --resume, find what an
 * earlier run finished; *done when it is a complete dataset already. */
static int open_out(gen *g, const misi_generate_config *cfg, bool *done, misi_error *err)
{
    *done = false;
    misi_runstate_desc d = {
        .out = g->out, .who = "misi generate", .resume = cfg->resume, .force = cfg->force};
    int rc = misi_runstate_open(&d, &g->rs, err);
    if (rc || !cfg->resume)
        return rc;
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)cfg->seed);
    misi_run_identity id = {
        .config = g->config, .seed = seed, .total = g->total_sources, .sources_sha = g->sources_sha};
    bool complete = false;
    rc = misi_runstate_resume(g->rs, &id, !cfg->no_verify, &complete, &g->rep->verified, err);
    /* a shard's folder is never "complete": it has no manifest */
    *done = !rc && complete;
    return rc;
}

int misi_generate(const misi_source_list *sources, const misi_generate_config *cfg_in,
                  misi_generate_report *rep, misi_error *err)
{
    misi_generate_config cfg = *cfg_in;
    memset(rep, 0, sizeof *rep);
    gen g;
    memset(&g, 0, sizeof g);
    g.cfg = &cfg;
    g.rep = rep;
    g.total_sources = sources->count;
    clock_gettime(CLOCK_MONOTONIC, &g.t0);
    double start = now_s();
    pthread_mutex_init(&g.mu, NULL);
    g.out = strdup(cfg.out_dir ? cfg.out_dir : DEFAULT_OUT);
    g.params = (misi_render_params){.width = cfg.width,
                                    .height = cfg.height,
                                    .aa = cfg.aa,
                                    .batch_max = cfg.batch,
                                    .font_path = cfg.font_path,
                                    .labels = cfg.labels};
    misi_render_params_defaults(&g.params);
    g.geo = (misi_task_geometry){.width = g.params.width,
                                 .height = g.params.height,
                                 .eye_distance = g.params.eye_distance,
                                 .edge_margin_px = 2.0f};
    int rc = g.out ? MISI_OK : misi_error_set(err, MISI_E_NOMEM, "out of memory");
    sources_hash(sources, g.sources_sha);
    if (!rc && cfg.shard_count && (cfg.shard_index < 0 || cfg.shard_index >= cfg.shard_count))
        rc = misi_error_set(err, MISI_E_USAGE, "shard %d/%d: K must be in 0..N-1", cfg.shard_index,
                            cfg.shard_count);
    if (!rc && cfg.counts_set)
        rc = check_counts(&cfg, err);
    if (!rc)
        rc = misi_leg_init(&g.leg, &g.params, leg_prepare, &g, err);
    /* The paper's placement overlaps by design: a fidelity run keeps every
     * question, as the paper did (docs/rendering.md). */
    g.leg_check = cfg.label_check != MISI_LABEL_CHECK_OFF && g.params.labels == MISI_LABELS_ON;
    g.leg_reframe = cfg.label_check != MISI_LABEL_CHECK_NO_REFRAME;
    if (!rc) {
        g.config = config_json(&cfg, &g.params);
        rc = g.config ? MISI_OK : misi_error_set(err, MISI_E_NOMEM, "out of memory");
    }
    /* The renderer first, so that no GL or an image size the GL cannot
     * draw is said before the output folder is touched; --resume may find
     * a finished dataset, which it checks without GL. */
    misi_renderer_desc rd = {.device = cfg.device};
    if (!rc && !cfg.resume)
        rc = misi_renderer_create(&rd, &g.r, err);
    if (!rc && g.r)
        rc = misi_renderer_check_params(g.r, &g.params, err);
    bool done = false;
    if (!rc)
        rc = open_out(&g, &cfg, &done, err);
    rep->already_complete = done;
    if (!rc && !done && !g.r) {
        rc = misi_renderer_create(&rd, &g.r, err);
        if (!rc)
            rc = misi_renderer_check_params(g.r, &g.params, err);
    }
    if (!rc && !done) {
        misi_writer_pool_config wc = {.threads = cfg.threads, .sink = {.write = sink_write, .user = &g}};
        rc = misi_writer_pool_create(&wc, &g.pool, err);
    }
    /* as many layout threads as encoder threads: the layouts come out the
     * same whatever their number */
    if (!rc && !done && g.params.labels != MISI_LABELS_OFF)
        rc = misi_layout_pool_create(cfg.threads, g.leg.atlas, &g.lpool, err);
    bool stopped = false;
    for (size_t i = 0; !rc && !done && i < sources->count; i++) {
        if (cfg.shard_count && (int)(i % (size_t)cfg.shard_count) != cfg.shard_index)
            continue;
        if (cfg.stop && *cfg.stop) {
            stopped = true;
            break;
        }
        if (misi_runstate_has_part(g.rs, i)) {
            progress(&g, i + 1, false);
            continue;
        }
        misi_error lerr = {0};
        const char *sid = sources->items[i].id ? sources->items[i].id : "unknown";
        /* An id names the images folder and every question id: a second
         * complex with the same id would collide with the first. */
        size_t first = i;
        for (size_t k = 0; k < i && first == i; k++)
            if (sources->items[k].id && !strcmp(sources->items[k].id, sid))
                first = k;
        int lrc = first < i ? misi_error_set(&lerr, MISI_E_INVALID,
                                             "the id '%s' is also source %zu's: complex ids must be unique",
                                             sid, first + 1)
                            : load(&g, 0, &sources->items[i], &lerr);
        if (lrc) {
            g.part = new_part(&g, i, sid);
            cJSON_ReplaceItemInObject(g.part, "status", cJSON_CreateString("skipped"));
            cJSON_AddStringToObject(g.part, "reason", lerr.msg);
            rep->skipped++;
            fprintf(stderr, "misi generate: skipped %s: %s\n", sid, lerr.msg);
            /* a skipped source's part is named by a safe stand-in id */
            rc = finish_part(&g, i, "skipped", err);
            cJSON_Delete(g.part);
            g.part = NULL;
            progress(&g, i + 1, false);
            continue;
        }
        /* T5's partner: the next complex in source order that loads and,
         * when the run makes both splits, belongs to the same split (a test
         * question must not show a training complex). */
        unload(&g, 1);
        for (size_t k = 1; k < sources->count; k++) {
            const misi_source *ps = &sources->items[(i + k) % sources->count];
            if (cfg.splits == MISI_GEN_SPLITS_BOTH && ps->id &&
                complex_split(&cfg, ps->id) != complex_split(&cfg, g.cx[0].id))
                continue;
            misi_error perr = {0};
            if (!load(&g, 1, ps, &perr))
                break;
        }
        g.part = new_part(&g, i, g.cx[0].id);
        g.index = i;
        rc = process_complex(&g, err);
        if (!rc)
            rc = finish_part(&g, i, g.cx[0].id, err);
        cJSON_Delete(g.part);
        g.part = NULL;
        if (!rc)
            rep->complexes++;
        progress(&g, i + 1, false);
    }
    unload(&g, 0);
    unload(&g, 1);
    misi_error perr = {0};
    int prc = g.pool ? misi_writer_pool_finish(g.pool, &perr) : MISI_OK;
    if (!rc && prc) {
        rc = prc;
        *err = perr;
    }
    misi_writer_pool_destroy(g.pool);
    misi_layout_pool_destroy(g.lpool);
    misi_renderer_destroy(g.r);
    misi_leg_finish(&g.leg);
    /* A shard keeps its parts for misi merge; a run assembles its dataset,
     * a stopped one too, marked incomplete. */
    if (!rc && !done && !cfg.shard_count) {
        const char *dirs[1] = {g.out};
        rc = misi_assemble(g.out, dirs, 1, !stopped, false, err);
    }
    /* A run that failed before it finished a complex leaves nothing but
     * its error (a stopped one keeps its manifest: it reports the stop). */
    if (rc && rc != MISI_E_CANCELLED)
        misi_runstate_abandon(g.rs);
    else
        misi_runstate_close(g.rs);
    if (!rc && stopped)
        rc = misi_error_set(err, MISI_E_CANCELLED,
                            "stopped on request; the finished complexes are kept (continue with --resume)");
    progress(&g, sources->count, true);
    for (size_t i = 0; i < g.nfiles; i++)
        free(g.files[i].path);
    free(g.files);
    free(g.reqs);
    free(g.seen);
    pix_clear(&g);
    free(g.pix);
    free(g.drawn);
    cJSON_Delete(g.config);
    pthread_mutex_destroy(&g.mu);
    free(g.out);
    rep->seconds = now_s() - start;
    return rc;
}

int misi_merge(const char *out, const char *const *shard_dirs, size_t n, bool force, misi_error *err)
{
    if (n == 0)
        return misi_error_set(err, MISI_E_USAGE, "no shard folders to merge");
    /* Merging into one of the shard folders: its parts are inputs. */
    bool out_is_input = false;
    char ro[PATH_MAX], rd[PATH_MAX];
    for (size_t i = 0; i < n && !out_is_input; i++)
        out_is_input = realpath(out, ro) && realpath(shard_dirs[i], rd) && !strcmp(ro, rd);
    misi_runstate_desc d = {
        .out = out,
        .who = "misi merge",
        .force = force,
        .merge = true,
        .out_is_input = out_is_input,
        .inputs = shard_dirs,
        .ninputs = n,
    };
    misi_runstate *rs = NULL;
    /* a shard folder that is not there fails before out is made */
    for (size_t i = 0; i < n; i++)
        if (!misi_is_dir(shard_dirs[i]))
            return misi_error_at(err, MISI_E_USAGE, shard_dirs[i], 0,
                                 "is not a folder: expected a shard folder of misi generate --shard");
    int rc = misi_runstate_open(&d, &rs, err);
    /* every image is hashed as it is linked or packed: a shard copied from
     * another machine may have lost bytes on the way */
    if (!rc)
        rc = misi_assemble(out, shard_dirs, n, true, true, err);
    if (rc)
        misi_runstate_abandon(rs); /* a new folder that failed to fill goes again */
    else
        misi_runstate_close(rs);
    return rc;
}
