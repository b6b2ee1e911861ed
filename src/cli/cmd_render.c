/* misi render: render views of complexes to PNG files
 * <out>/<id>/<view>.png, through the writer pool. A complex that fails to
 * load or render is reported and skipped; the rest go on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "misi/cmdlang.h"
#include "misi/mol.h"
#include "misi/font.h"
#include "misi/fs.h"
#include "misi/render.h"
#include "misi/writer_pool.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: misi render [options] <complex folder | folder of complexes | list file>...\n"
               "\n"
               "Renders each complex for a set of views and writes <out>/<id>/<view>.png.\n"
               "Views default to the six canonical ones (front back left right top bottom).\n"
               "\n"
               "options:\n"
               "  --view CMDS         a view in the command language, e.g. \"roll y 30, move x 2\"\n"
               "                      or a canonical name; repeatable; NAME=CMDS names it\n"
               "  --views FILE        views from a JSON file ({\"views\":[{\"name\":..,\"commands\":..}]})\n"
               "  --size N | WxH      image size in pixels (default 512)\n"
               "  --style S           ball-and-stick (default) | stick | spacefill\n"
               "  --labels on|off|paper  residue and ligand atom labels: on (default) lays them out\n"
               "                      legibly (never overlapping, outlined, beside their atoms);\n"
               "                      paper centres them on their atoms as the paper's viewer did\n"
               "  --label-set S       default | residue-atoms (every pocket atom named) |\n"
               "                      polar-contacts (pocket N/O/S near the ligand named, as T8/T9)\n"
               "  --stats             print each image's label legibility: labels requested, placed,\n"
               "                      dropped, label-label overlap and molecule pixels under labels\n"
               "  --label-px N        label font size in pixels (default 13)\n"
               "  --font PATH         TrueType/OpenType font for labels (default $MISI_FONT, else\n"
               "                      DejaVu Sans from fonts-dejavu-core)\n"
               "  --aa N              supersampling factor, 1 = off (default 2)\n"
               "  --msaa N            MSAA samples per supersample (default off)\n"
               "  --projection P      ortho (default) | perspective\n"
               "  --margin A          Angstrom added to the framing radius (default 2)\n"
               "  --eye D             eye distance of the zoom model in Angstrom (default 100)\n"
               "  --batch N           at most N views per framebuffer batch (default: GL limits)\n"
               "  --device N          EGL device as numbered by 'misi info' (default automatic)\n"
               "  --threads N         PNG writer threads (default: CPUs)\n"
               "  --out DIR           output folder (default: render)\n"
               "  --force             overwrite images that exist already (default: skip that complex)\n"
               "  -q, --quiet         no per-complex lines\n"
               "  -h, --help          this text\n"
               "\n"
               "Exit status: 0 when every complex rendered, 1 when any was skipped, 2 on a\n"
               "usage error.\n");
}

/* --stats: one line per image, the same layout the renderer drew
 * (misi_label_layout). *place grows to the scene's label count; the caller
 * frees it. */
static int print_stats(const char *id, const misi_scene *scene, const misi_render_params *p,
                       const misi_viewset *views, const misi_view *poses, const misi_font_atlas *atlas,
                       misi_label_place **place, misi_error *err)
{
    misi_label_place *pl = realloc(*place, ((size_t)scene->nlabels + 1) * sizeof *pl);
    if (!pl)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    *place = pl;
    misi_render_params q = *p;
    misi_render_params_defaults(&q);
    for (size_t v = 0; v < views->count; v++) {
        misi_label_stats st;
        misi_render_params lq = q;
        if (lq.labels == MISI_LABELS_OFF)
            lq.labels = MISI_LABELS_ON; /* what "on" would have drawn */
        int rc = misi_label_layout(scene, &lq, &poses[v], atlas, pl, &st, err);
        if (rc)
            return rc;
        bool off = q.labels == MISI_LABELS_OFF;
        printf("stats %s/%s: labels %s requested %u placed %u dropped %u overlap_px %llu molecule_px %llu "
               "covered_px %llu covered %.1f%%\n",
               id, views->views[v].name, off ? "off" : misi_labels_name(q.labels), st.requested,
               off ? 0 : st.placed, off ? st.requested : st.dropped, off ? 0ull : (unsigned long long)st.overlap_px,
               (unsigned long long)st.molecule_px, off ? 0ull : (unsigned long long)st.covered_px,
               off || !st.molecule_px ? 0.0 : 100.0 * (double)st.covered_px / (double)st.molecule_px);
    }
    return 0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct sink_ctx {
    misi_writer_pool *pool;
    const misi_viewset *views;
    const char *dir;
    misi_error *err;
} sink_ctx;

static int submit(void *user, size_t view, const uint8_t *rgb, int w, int h)
{
    sink_ctx *c = user;
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s.png", c->dir, c->views->views[view].name);
    if (n < 0 || (size_t)n >= sizeof path)
        return misi_error_set(c->err, MISI_E_LIMIT, "output path too long");
    return misi_writer_pool_submit_rgb(c->pool, path, rgb, w, h, (size_t)w * 3, c->err);
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

int cmd_render(int argc, char **argv)
{
    misi_viewset views = {0};
    misi_source_list sources = {0};
    misi_render_params params = {0};
    misi_renderer_desc rdesc = {0};
    misi_scene_desc sdesc = {0};
    misi_writer_pool_config wcfg = {0};
    misi_writer_pool *pool = NULL;
    misi_renderer *r = NULL;
    misi_error err = {0};
    const char *out = "render";
    bool quiet = false, force = false, stats = false;
    misi_font_atlas *atlas = NULL;
    misi_label_place *place = NULL;
    int status = MISI_EXIT_USAGE;
    int nsources = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            status = MISI_EXIT_OK;
            goto done;
        } else if (!strcmp(a, "--force")) {
            force = true;
            takes = false;
        } else if (!strcmp(a, "--stats")) {
            stats = true;
            takes = false;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
            takes = false;
        } else if (a[0] == '-' && a[1] == '-' && !v) {
            fprintf(stderr, "misi render: %s needs a value\n", a);
            goto done;
        } else if (!strcmp(a, "--view")) {
            const char *eq = strchr(v, '=');
            char name[MISI_VIEW_NAME_MAX + 1] = "";
            const char *cmds = v;
            bool named = eq && eq > v && (size_t)(eq - v) <= MISI_VIEW_NAME_MAX;
            for (const char *c = v; named && c < eq; c++)
                named = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                        *c == '.' || *c == '_' || *c == '-';
            if (named) {
                memcpy(name, v, (size_t)(eq - v));
                name[eq - v] = '\0';
                cmds = eq + 1;
            }
            if (misi_viewset_add(&views, name, cmds, &err)) {
                fprintf(stderr, "misi render: --view '%s': %s\n", v, err.msg);
                goto done;
            }
        } else if (!strcmp(a, "--views")) {
            if (misi_viewset_load(v, &views, &err)) {
                fprintf(stderr, "misi render: %s\n", err.msg);
                goto done;
            }
        } else if (!strcmp(a, "--size")) {
            int w, h;
            if (sscanf(v, "%dx%d", &w, &h) == 2 && w > 0 && h > 0 && w <= 16384 && h <= 16384) {
                params.width = w;
                params.height = h;
            } else if (parse_int(v, 1, 16384, &w)) {
                params.width = params.height = w;
            } else {
                fprintf(stderr, "misi render: --size wants N or WxH (1..16384), got '%s'\n", v);
                goto done;
            }
        } else if (!strcmp(a, "--style")) {
            if (misi_style_from_name(v, &sdesc.style)) {
                fprintf(stderr, "misi render: --style wants ball-and-stick, stick or spacefill\n");
                goto done;
            }
        } else if (!strcmp(a, "--labels")) {
            if (misi_labels_from_name(v, &params.labels)) {
                fprintf(stderr, "misi render: --labels wants on, off or paper\n");
                goto done;
            }
        } else if (!strcmp(a, "--label-set")) {
            if (!strcmp(v, "default"))
                sdesc.label_set = MISI_LABEL_SET_DEFAULT;
            else if (!strcmp(v, "residue-atoms"))
                sdesc.label_set = MISI_LABEL_SET_RESIDUE_ATOMS;
            else if (!strcmp(v, "polar-contacts"))
                sdesc.label_set = MISI_LABEL_SET_POLAR_CONTACTS;
            else {
                fprintf(stderr, "misi render: --label-set wants default, residue-atoms or polar-contacts\n");
                goto done;
            }
        } else if (!strcmp(a, "--font")) {
            params.font_path = v;
        } else if (!strcmp(a, "--label-px")) {
            int n;
            if (!parse_int(v, 4, 256, &n)) {
                fprintf(stderr, "misi render: --label-px wants 4..256\n");
                goto done;
            }
            params.label_px = (float)n;
        } else if (!strcmp(a, "--aa")) {
            if (!parse_int(v, 1, 8, &params.aa)) {
                fprintf(stderr, "misi render: --aa wants 1..8\n");
                goto done;
            }
        } else if (!strcmp(a, "--msaa")) {
            if (!parse_int(v, 1, 64, &params.msaa)) {
                fprintf(stderr, "misi render: --msaa wants 1..64\n");
                goto done;
            }
        } else if (!strcmp(a, "--projection")) {
            if (!strcmp(v, "ortho") || !strcmp(v, "orthographic"))
                params.projection = MISI_PROJECTION_ORTHO;
            else if (!strcmp(v, "perspective"))
                params.projection = MISI_PROJECTION_PERSPECTIVE;
            else {
                fprintf(stderr, "misi render: --projection wants ortho or perspective\n");
                goto done;
            }
        } else if (!strcmp(a, "--margin") || !strcmp(a, "--eye")) {
            char *end;
            float f = strtof(v, &end);
            if (*end || !(f > 0 && f < 1e4f)) {
                fprintf(stderr, "misi render: %s wants a positive number\n", a);
                goto done;
            }
            if (a[2] == 'm')
                sdesc.margin = f;
            else
                params.eye_distance = f;
        } else if (!strcmp(a, "--batch")) {
            if (!parse_int(v, 1, 4096, &params.batch_max)) {
                fprintf(stderr, "misi render: --batch wants 1..4096\n");
                goto done;
            }
        } else if (!strcmp(a, "--device")) {
            if (!parse_int(v, 1, MISI_GFX_MAX_DEVICES, &rdesc.device)) {
                fprintf(stderr, "misi render: --device wants a number from 1 (see 'misi info')\n");
                goto done;
            }
        } else if (!strcmp(a, "--threads")) {
            if (!parse_int(v, 1, 256, &wcfg.threads)) {
                fprintf(stderr, "misi render: --threads wants 1..256\n");
                goto done;
            }
        } else if (!strcmp(a, "--out")) {
            out = v;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "misi render: unknown option '%s'\n", a);
            usage(stderr);
            goto done;
        } else {
            takes = false;
            if (misi_sources_add_path(&sources, a, &err)) {
                fprintf(stderr, "misi render: %s\n", err.msg);
                status = MISI_EXIT_FAIL;
                goto done;
            }
            nsources++;
        }
        if (takes)
            i++;
    }
    if (params.font_path && !cli_font_ok("render", params.font_path))
        goto done;
    if (nsources == 0) {
        usage(stderr);
        goto done;
    }
    if (views.count == 0 && misi_viewset_add_canonical(&views, &err)) {
        fprintf(stderr, "misi render: %s\n", err.msg);
        goto done;
    }

    status = MISI_EXIT_FAIL;
    /* no GL, or a size it cannot draw, is said before a folder is made */
    if (misi_renderer_create(&rdesc, &r, &err) || misi_renderer_check_params(r, &params, &err)) {
        fprintf(stderr, "misi render: %s\n", err.msg);
        goto done;
    }
    /* what this run makes of --out's path goes again if it ends up empty */
    int out_made = misi_missing_dirs(out);
    if (misi_writer_pool_create(&wcfg, &pool, &err)) {
        fprintf(stderr, "misi render: %s\n", err.msg);
        goto done;
    }
    misi_view *poses = malloc(views.count * sizeof *poses);
    if (!poses) {
        fprintf(stderr, "misi render: out of memory\n");
        goto done;
    }
    for (size_t i = 0; i < views.count; i++)
        poses[i] = views.views[i].pose;

    if (stats) {
        misi_render_params q = params;
        misi_render_params_defaults(&q);
        misi_font_config fc = {.px = q.label_px, .path = q.font_path};
        if (misi_font_atlas_create(&fc, &atlas, &err)) {
            fprintf(stderr, "misi render: --stats: %s\n", err.msg);
            goto done;
        }
    }

    size_t ok = 0, failed = 0, images = 0;
    double render_s = 0;
    for (size_t s = 0; s < sources.count; s++) {
        misi_complex cx;
        misi_scene *scene = NULL;
        misi_complex_init(&cx);
        const char *id = sources.items[s].id ? sources.items[s].id : "?";
        if (misi_source_load(&sources.items[s], NULL, &cx, &err) ||
            misi_scene_create(&cx, &sdesc, &scene, &err)) {
            fprintf(stderr, "misi render: skipped %s: %s\n", id, err.msg);
            misi_complex_finish(&cx);
            failed++;
            continue;
        }
        if (!misi_name_is_safe(cx.id)) {
            /* the id names the output folder: it must not leave --out */
            fprintf(stderr, "misi render: skipped %s: complex id is not usable as a folder name "
                            "(letters, digits, '_', '-', '.'; not starting with '.')\n", id);
            misi_scene_destroy(scene);
            misi_complex_finish(&cx);
            failed++;
            continue;
        }
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", out, cx.id);
        /* an earlier render's images are kept unless --force */
        const char *existing = NULL;
        for (size_t v = 0; !force && !existing && v < views.count; v++) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s.png", dir, views.views[v].name);
            if (misi_is_file(path))
                existing = views.views[v].name;
        }
        if (existing) {
            fprintf(stderr, "misi render: skipped %s: %s/%s.png exists (use --force to overwrite)\n", cx.id, dir,
                    existing);
            misi_scene_destroy(scene);
            misi_complex_finish(&cx);
            failed++;
            continue;
        }
        misi_error derr = {0};
        bool dir_new = !misi_is_dir(dir);
        if (misi_mkdir_p(dir, &derr) != 0) {
            fprintf(stderr, "misi render: %s\n", derr.msg);
            misi_scene_destroy(scene);
            misi_complex_finish(&cx);
            failed++;
            continue;
        }
        sink_ctx ctx = {pool, &views, dir, &err};
        double t0 = now_s();
        int rc = misi_render_views(r, scene, &params, poses, views.count, submit, &ctx, &err);
        double dt = now_s() - t0;
        render_s += dt;
        if (rc) {
            fprintf(stderr, "misi render: skipped %s: %s\n", cx.id, err.msg);
            failed++;
            if (dir_new && misi_writer_pool_finish(pool, &derr) == MISI_OK)
                rmdir(dir); /* the folder made for it, when no image reached it */
        } else {
            ok++;
            images += views.count;
            if (!quiet)
                printf("%s: %zu views in %.3f s (%.1f ms per image) -> %s\n", cx.id, views.count, dt,
                       1e3 * dt / (double)views.count, dir);
            if (stats && print_stats(cx.id, scene, &params, &views, poses, atlas, &place, &err)) {
                fprintf(stderr, "misi render: --stats for %s: %s\n", cx.id, err.msg);
                failed++;
            }
        }
        misi_scene_destroy(scene);
        misi_complex_finish(&cx);
        if (rc && rc != MISI_E_INVALID && rc != MISI_E_RANGE && rc != MISI_E_LIMIT)
            break; /* a GL or writer failure would hit every complex */
    }
    free(poses);
    if (misi_writer_pool_finish(pool, &err)) {
        fprintf(stderr, "misi render: writing images: %s\n", err.msg);
        failed++;
    }
    if (misi_rmdir_made(out, out_made))
        fprintf(stderr, "misi render: nothing was rendered: removed the folder it made, %s\n", out);
    printf("rendered %zu complexes (%zu images, %.1f ms per image incl. readback), skipped %zu\n", ok, images,
           images ? 1e3 * render_s / (double)images : 0.0, failed);
    status = failed || ok == 0 ? MISI_EXIT_FAIL : MISI_EXIT_OK;

done:
    misi_font_atlas_destroy(atlas);
    free(place);
    misi_writer_pool_destroy(pool);
    misi_renderer_destroy(r);
    misi_sources_finish(&sources);
    misi_viewset_finish(&views);
    return status;
}
