/* The renderer: the context, batch framebuffers, one batch's passes per
 * tile (impostor.c, label.c), the resolve (resolve.c) and asynchronous
 * readback.
 *
 * One batch = up to B views drawn into the tiles of one framebuffer
 * (glViewport + glScissor per tile, every shader works in tile-relative
 * pixels, so a tile is byte-identical to a lone render). The batch is
 * resolved (MSAA blit, then a k x k box filter) into an RGBA8 framebuffer,
 * read into one of two pixel-pack buffers with a fence, and mapped only
 * after the next batch has been submitted: the GPU draws batch k+1 while
 * the CPU copies batch k out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gfx/gfx_internal.h"

struct misi_renderer {
    gfx_context gc;
    misi_gfx_info info;
    gfx_impostors *impostors;
    gfx_labels *labels;
    gfx_resolve *resolve;
    /* batch framebuffers for the current geometry */
    int fb_cols, fb_rows, fb_w, fb_h, fb_k, fb_msaa;
    GLuint ss_tex, ss_depth, ss_fbo;
    GLuint ms_color, ms_depth, ms_fbo;
    GLuint out_rb, out_fbo;
    GLuint pbo[2];
    size_t pbo_size;
    uint8_t *tile_rgb;
    misi_render_stats stats;
};

static double clock_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void misi_renderer_stats(const misi_renderer *r, misi_render_stats *out)
{
    *out = r->stats;
}

int misi_gfx_enumerate(misi_gfx_info *info, misi_error *err)
{
    memset(info, 0, sizeof *info);
    return gfx_enumerate_devices(info, err);
}

int misi_renderer_create(const misi_renderer_desc *desc, misi_renderer **out, misi_error *err)
{
    misi_renderer_desc d = desc ? *desc : (misi_renderer_desc){0};
    int rc;
    *out = NULL;
    misi_renderer *r = calloc(1, sizeof *r);
    if (!r)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    rc = gfx_context_create(d.device, &r->gc, &r->info, err);
    if (rc)
        goto fail_alloc;
    rc = gfx_impostors_create(&r->impostors, &r->info, err);
    if (rc)
        goto fail_programs;
    rc = gfx_labels_create(&r->labels, err);
    if (rc)
        goto fail_programs;
    rc = gfx_resolve_create(&r->resolve, err);
    if (rc)
        goto fail_programs;
    rc = gfx_check("renderer setup", err);
    if (rc)
        goto fail_programs;
    *out = r;
    return 0;

fail_programs:
    gfx_resolve_destroy(r->resolve);
    gfx_labels_destroy(r->labels);
    gfx_impostors_destroy(r->impostors);
    gfx_context_destroy(&r->gc);
fail_alloc:
    free(r);
    return rc;
}

static void free_framebuffers(misi_renderer *r)
{
    GLuint fbos[] = {r->ss_fbo, r->ms_fbo, r->out_fbo};
    GLuint rbs[] = {r->ss_depth, r->ms_color, r->ms_depth, r->out_rb};
    glDeleteFramebuffers(3, fbos);
    glDeleteRenderbuffers(4, rbs);
    glDeleteTextures(1, &r->ss_tex);
    glDeleteBuffers(2, r->pbo);
    r->ss_fbo = r->ms_fbo = r->out_fbo = 0;
    r->ss_depth = r->ms_color = r->ms_depth = r->out_rb = r->ss_tex = 0;
    r->pbo[0] = r->pbo[1] = 0;
    r->fb_cols = r->fb_rows = 0;
    free(r->tile_rgb);
    r->tile_rgb = NULL;
}

void misi_renderer_destroy(misi_renderer *r)
{
    if (!r)
        return;
    eglMakeCurrent(r->gc.dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, r->gc.ctx);
    free_framebuffers(r);
    gfx_resolve_destroy(r->resolve);
    gfx_labels_destroy(r->labels);
    gfx_impostors_destroy(r->impostors);
    gfx_context_destroy(&r->gc);
    free(r);
}

const misi_gfx_info *misi_renderer_info(const misi_renderer *r)
{
    return &r->info;
}

static int max_dim(const misi_renderer *r)
{
    int m = r->info.max_renderbuffer_size;
    if (r->info.max_texture_size < m)
        m = r->info.max_texture_size;
    if (r->info.max_viewport[0] < m)
        m = r->info.max_viewport[0];
    if (r->info.max_viewport[1] < m)
        m = r->info.max_viewport[1];
    return m;
}

static size_t tile_bytes(const misi_render_params *p)
{
    size_t px = (size_t)p->width * (size_t)p->height;
    size_t ss = px * (size_t)p->aa * (size_t)p->aa;
    size_t b = ss * 8; /* RGBA8 texture + 32-bit depth */
    if (p->msaa > 1)
        b += ss * 8 * (size_t)p->msaa;
    return b + px * 4 * 3; /* resolve target + two pixel-pack buffers */
}

/* The default memory budget on a software device (llvmpipe). There
 * batching saves no device round trips, while a large batch framebuffer
 * costs first-touch page faults and cache misses: at 512^2, aa 2, misi bench
 * ran ~15 % faster with 4 tiles (this budget) than with the 23 that 256 MiB
 * allows, in a third of the memory; small images still get large batches
 * (docs/performance.md). */
#define SOFTWARE_BUDGET ((size_t)48 << 20)
#define DEVICE_BUDGET ((size_t)256 << 20)

bool misi_gfx_software(const misi_gfx_info *info)
{
    return info->chosen >= 1 ? info->devices[info->chosen - 1].software : true;
}

/* p with this renderer's defaults, then the generic ones. */
static misi_render_params params_for(const misi_renderer *r, const misi_render_params *in)
{
    misi_render_params p = in ? *in : (misi_render_params){0};
    if (p.memory_budget == 0)
        p.memory_budget = misi_gfx_software(&r->info) ? SOFTWARE_BUDGET : DEVICE_BUDGET;
    misi_render_params_defaults(&p);
    return p;
}

static int batch_size(const misi_renderer *r, const misi_render_params *p)
{
    int md = max_dim(r);
    int cols = md / (p->width * p->aa), rows = md / (p->height * p->aa);
    if (cols < 1 || rows < 1)
        return 0;
    size_t limit = (size_t)cols * (size_t)rows;
    size_t by_mem = p->memory_budget / tile_bytes(p);
    if (by_mem < limit)
        limit = by_mem;
    if (p->batch_max > 0 && (size_t)p->batch_max < limit)
        limit = (size_t)p->batch_max;
    if (limit < 1)
        limit = 1;
    if (limit > 4096)
        limit = 4096;
    return (int)limit;
}

int misi_render_batch_size(const misi_renderer *r, const misi_render_params *p)
{
    misi_render_params q = params_for(r, p);
    return batch_size(r, &q);
}

/* Framebuffers for at least `count` tiles. Kept between calls and reused
 * while they hold enough tiles of the same size, so alternating small and
 * large view sets does not reallocate; a batch uses only the rows it needs. */
static int ensure_framebuffers(misi_renderer *r, const misi_render_params *p, int count, misi_error *err)
{
    if (r->fb_w == p->width && r->fb_h == p->height && r->fb_k == p->aa && r->fb_msaa == p->msaa &&
        r->fb_cols * r->fb_rows >= count)
        return 0;
    int cols = (int)ceil(sqrt((double)count));
    int maxcols = max_dim(r) / (p->width * p->aa);
    if (cols > maxcols)
        cols = maxcols;
    int rows = (count + cols - 1) / cols;
    free_framebuffers(r);
    int k = p->aa;
    GLsizei sw = cols * p->width * k, sh = rows * p->height * k;
    GLsizei ow = cols * p->width, oh = rows * p->height;

    glGenTextures(1, &r->ss_tex);
    glBindTexture(GL_TEXTURE_2D, r->ss_tex);
    glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, sw, sh);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glGenRenderbuffers(1, &r->ss_depth);
    glBindRenderbuffer(GL_RENDERBUFFER, r->ss_depth);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT32F, sw, sh);
    glGenFramebuffers(1, &r->ss_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, r->ss_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, r->ss_tex, 0);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, r->ss_depth);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
        goto incomplete;

    if (p->msaa > 1) {
        GLsizei samples = p->msaa > r->info.max_samples ? r->info.max_samples : p->msaa;
        glGenRenderbuffers(1, &r->ms_color);
        glBindRenderbuffer(GL_RENDERBUFFER, r->ms_color);
        glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_RGBA8, sw, sh);
        glGenRenderbuffers(1, &r->ms_depth);
        glBindRenderbuffer(GL_RENDERBUFFER, r->ms_depth);
        glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_DEPTH_COMPONENT32F, sw, sh);
        glGenFramebuffers(1, &r->ms_fbo);
        glBindFramebuffer(GL_FRAMEBUFFER, r->ms_fbo);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, r->ms_color);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, r->ms_depth);
        if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
            goto incomplete;
    }

    glGenRenderbuffers(1, &r->out_rb);
    glBindRenderbuffer(GL_RENDERBUFFER, r->out_rb);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, ow, oh);
    glGenFramebuffers(1, &r->out_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, r->out_fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, r->out_rb);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
        goto incomplete;

    r->pbo_size = (size_t)ow * (size_t)oh * 4;
    glGenBuffers(2, r->pbo);
    for (int i = 0; i < 2; i++) {
        glBindBuffer(GL_PIXEL_PACK_BUFFER, r->pbo[i]);
        glBufferData(GL_PIXEL_PACK_BUFFER, (GLsizeiptr)r->pbo_size, NULL, GL_STREAM_READ);
    }
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    r->tile_rgb = malloc((size_t)p->width * (size_t)p->height * 3);
    if (!r->tile_rgb) {
        free_framebuffers(r);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for a %dx%d image", p->width, p->height);
    }
    int rc = gfx_check("allocating batch framebuffers", err);
    if (rc) {
        free_framebuffers(r);
        return rc;
    }
    r->fb_cols = cols;
    r->fb_rows = rows;
    r->fb_w = p->width;
    r->fb_h = p->height;
    r->fb_k = p->aa;
    r->fb_msaa = p->msaa;
    return 0;

incomplete:
    free_framebuffers(r);
    while (glGetError() != GL_NO_ERROR) {
    }
    return misi_error_set(err, MISI_E_GL,
                          "incomplete framebuffer for %dx%d tiles of %dx%d at %dx supersampling", cols, rows,
                          p->width, p->height, k);
}

static float scene_extent(const misi_scene *s)
{
    float e = 0.0f;
    for (uint32_t i = 0; i < s->natoms; i++) {
        float d2 = 0.0f;
        for (int k = 0; k < 3; k++) {
            float d = s->atoms[i].pos[k] - s->frame.centre[k];
            d2 += d * d;
        }
        float v = sqrtf(d2) + s->atoms[i].radius;
        if (v > e)
            e = v;
    }
    return e;
}

/* The camera uniforms of tile t of a batch at k render pixels per output
 * pixel (k = p->aa for the molecule, 1 for the labels on the resolved image). */
static void tile_uniforms(const misi_renderer *r, const misi_scene *s, const misi_render_params *p,
                          const misi_view *v, size_t t, int k, float scale, float extent, gfx_view_uniforms *u)
{
    GLsizei tw = p->width * k, th = p->height * k;
    int col = (int)(t % (size_t)r->fb_cols), row = (int)(t / (size_t)r->fb_cols);
    float D = p->eye_distance;
    bool persp = p->projection == MISI_PROJECTION_PERSPECTIVE;
    float m = persp ? 1.0f : D / (D - v->trans[2]);
    *u = (gfx_view_uniforms){
        .tile_origin = {(float)(col * tw), (float)(row * th)},
        .tile_size = {(float)tw, (float)th},
        .scale = scale * (float)k * m,
        .persp = persp,
        .eye = D,
        .zrange = {v->trans[2] - extent - 1.0f, v->trans[2] + extent + 1.0f},
        .bond_radius = s->bond_radius,
        .k = (float)k,
    };
    memcpy(u->rot, v->rot, sizeof u->rot);
    memcpy(u->centre, s->frame.centre, sizeof u->centre);
    memcpy(u->trans, v->trans, sizeof u->trans);
}

static int draw_batch(misi_renderer *r, const misi_scene *s, const misi_render_params *p,
                      const misi_view *views, const misi_label_layouts *layouts, size_t first, size_t count,
                      float scale, float extent, misi_error *err)
{
    int k = p->aa;
    GLsizei tw = p->width * k, th = p->height * k;
    GLuint target = p->msaa > 1 ? r->ms_fbo : r->ss_fbo;
    int rows_used = (int)((count + (size_t)r->fb_cols - 1) / (size_t)r->fb_cols);
    glBindFramebuffer(GL_FRAMEBUFFER, target);
    glEnable(GL_SCISSOR_TEST);
    glScissor(0, 0, r->fb_cols * tw, rows_used * th);
    glViewport(0, 0, r->fb_cols * tw, rows_used * th);
    glClearColor(0, 0, 0, 1);
    glClearDepthf(1.0f);
    glDepthMask(GL_TRUE);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    if (p->msaa > 1 && r->info.sample_shading) {
        glEnable(GL_SAMPLE_SHADING);
        glMinSampleShading(1.0f);
    }

    for (size_t t = 0; t < count; t++) {
        gfx_view_uniforms u;
        tile_uniforms(r, s, p, &views[first + t], t, k, scale, extent, &u);
        glViewport((GLint)u.tile_origin[0], (GLint)u.tile_origin[1], tw, th);
        glScissor((GLint)u.tile_origin[0], (GLint)u.tile_origin[1], tw, th);
        /* Point sprites only without MSAA: multisampled points are not
         * what tests/gfx/test_sprites.c compares against quads. */
        if (gfx_impostors_draw(r->impostors, &u, !p->sphere_quads && p->msaa <= 1))
            r->stats.sprite_views++;
    }
    glDisable(GL_SCISSOR_TEST);
    if (p->msaa > 1 && r->info.sample_shading)
        glDisable(GL_SAMPLE_SHADING);

    GLsizei sw = r->fb_cols * tw, sh = rows_used * th;
    if (p->msaa > 1) {
        glBindFramebuffer(GL_READ_FRAMEBUFFER, r->ms_fbo);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, r->ss_fbo);
        glBlitFramebuffer(0, 0, sw, sh, 0, 0, sw, sh, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    }
    /* Resolve: k x k box filter into the output framebuffer. */
    glBindFramebuffer(GL_FRAMEBUFFER, r->out_fbo);
    glViewport(0, 0, r->fb_cols * p->width, rows_used * p->height);
    gfx_resolve_draw(r->resolve, r->ss_tex, k);

    /* Labels go on the resolved image at the output resolution: the glyphs
     * come antialiased from FreeType, so supersampling them would only
     * multiply their fragments by k^2 (on llvmpipe the label boxes cost as
     * much as the molecule at k = 2). */
    if (p->labels != MISI_LABELS_OFF && s->nlabels) {
        glEnable(GL_SCISSOR_TEST);
        glDisable(GL_DEPTH_TEST);
        glEnable(GL_BLEND);
        glBlendFuncSeparate(GL_ONE, GL_ONE_MINUS_SRC_ALPHA, GL_ZERO, GL_ONE);
        int rc = 0;
        for (size_t t = 0; !rc && t < count; t++) {
            gfx_view_uniforms u;
            tile_uniforms(r, s, p, &views[first + t], t, 1, scale, extent, &u);
            glViewport((GLint)u.tile_origin[0], (GLint)u.tile_origin[1], p->width, p->height);
            glScissor((GLint)u.tile_origin[0], (GLint)u.tile_origin[1], p->width, p->height);
            const misi_label_place *given = NULL;
            if (layouts) {
                if (layouts->wait)
                    layouts->wait(layouts->user, first + t);
                given = layouts->places[first + t];
            }
            rc = gfx_labels_draw(r->labels, p, &views[first + t], given, u.tile_origin, err);
        }
        glDisable(GL_BLEND);
        glDisable(GL_SCISSOR_TEST);
        if (rc)
            return rc;
    }
    return gfx_check("drawing a batch", err);
}

typedef struct pending {
    size_t first, count;
    GLsync fence;
    int slot;
} pending;

static int start_readback(misi_renderer *r, int slot, pending *pd, misi_error *err)
{
    double t0 = clock_s();
    glBindFramebuffer(GL_READ_FRAMEBUFFER, r->out_fbo);
    glReadBuffer(GL_COLOR_ATTACHMENT0);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, r->pbo[slot]);
    glPixelStorei(GL_PACK_ALIGNMENT, 4);
    int rows_used = (int)((pd->count + (size_t)r->fb_cols - 1) / (size_t)r->fb_cols);
    glReadPixels(0, 0, r->fb_cols * r->fb_w, rows_used * r->fb_h, GL_RGBA, GL_UNSIGNED_BYTE, 0);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    pd->fence = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
    pd->slot = slot;
    glFlush();
    r->stats.wait_s += clock_s() - t0;
    r->stats.batches++;
    return gfx_check("starting readback", err);
}

static int finish_readback(misi_renderer *r, pending *pd, misi_image_fn fn, void *user, misi_error *err)
{
    int rc = 0;
    double t0 = clock_s();
    for (;;) {
        GLenum w = glClientWaitSync(pd->fence, GL_SYNC_FLUSH_COMMANDS_BIT, 1000000000ull);
        if (w == GL_ALREADY_SIGNALED || w == GL_CONDITION_SATISFIED)
            break;
        if (w == GL_WAIT_FAILED) {
            glDeleteSync(pd->fence);
            pd->fence = 0;
            return misi_error_set(err, MISI_E_GL, "glClientWaitSync failed");
        }
    }
    glDeleteSync(pd->fence);
    pd->fence = 0;
    double t1 = clock_s();
    r->stats.wait_s += t1 - t0;
    double in_fn = 0;
    glBindBuffer(GL_PIXEL_PACK_BUFFER, r->pbo[pd->slot]);
    size_t rows_used = (pd->count + (size_t)r->fb_cols - 1) / (size_t)r->fb_cols;
    size_t used = rows_used * (size_t)r->fb_h * (size_t)r->fb_cols * (size_t)r->fb_w * 4;
    const uint8_t *px = glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, (GLsizeiptr)used, GL_MAP_READ_BIT);
    if (!px) {
        glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
        return misi_error_set(err, MISI_E_GL, "glMapBufferRange of the readback buffer failed");
    }
    size_t stride = (size_t)r->fb_cols * (size_t)r->fb_w * 4;
    int w = r->fb_w, h = r->fb_h;
    for (size_t t = 0; t < pd->count && rc == 0; t++) {
        int col = (int)(t % (size_t)r->fb_cols), row = (int)(t / (size_t)r->fb_cols);
        for (int y = 0; y < h; y++) {
            /* GL rows go bottom-up; images go top-down. */
            const uint8_t *src = px + ((size_t)row * h + (size_t)(h - 1 - y)) * stride + (size_t)col * w * 4;
            uint8_t *dst = r->tile_rgb + (size_t)y * w * 3;
            for (int x = 0; x < w; x++) {
                dst[3 * x] = src[4 * x];
                dst[3 * x + 1] = src[4 * x + 1];
                dst[3 * x + 2] = src[4 * x + 2];
            }
        }
        double c0 = clock_s();
        rc = fn(user, pd->first + t, r->tile_rgb, w, h);
        in_fn += clock_s() - c0;
        r->stats.views++;
        if (rc > 0)
            rc = MISI_E_USAGE;
        /* Keep the callback's own message when it left one in err. */
        if (rc && (!err || err->code == 0))
            misi_error_set(err, rc, "image callback stopped the render at view %zu", pd->first + t);
    }
    glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    r->stats.readback_s += clock_s() - t1 - in_fn;
    return rc;
}

int misi_renderer_check_params(misi_renderer *r, const misi_render_params *params, misi_error *err)
{
    misi_render_params p = params_for(r, params);
    if (p.aa > 8 || p.width > 65536 || p.height > 65536)
        return misi_error_set(err, MISI_E_LIMIT, "supersampling %d (at most 8) or size %dx%d too large", p.aa,
                              p.width, p.height);
    if (batch_size(r, &p) < 1)
        return misi_error_set(err, MISI_E_LIMIT,
                              "%dx%d at %dx supersampling exceeds the GL limit of %d pixels per side",
                              p.width, p.height, p.aa, max_dim(r));
    return MISI_OK;
}

int misi_render_views(misi_renderer *r, const misi_scene *scene, const misi_render_params *params,
                      const misi_view *in_views, size_t n, misi_image_fn fn, void *user, misi_error *err)
{
    return misi_render_views_laid_out(r, scene, params, in_views, NULL, n, fn, user, err);
}

int misi_render_views_laid_out(misi_renderer *r, const misi_scene *scene, const misi_render_params *params,
                               const misi_view *in_views, const misi_label_layouts *layouts, size_t n,
                               misi_image_fn fn, void *user, misi_error *err)
{
    const misi_view *views = in_views;
    misi_render_params p = params_for(r, params);
    int rc = 0;
    misi_error_clear(err);
    if (n == 0)
        return 0;
    if (p.aa > 8 || p.width > 65536 || p.height > 65536)
        return misi_error_set(err, MISI_E_LIMIT, "supersampling %d (at most 8) or size %dx%d too large", p.aa,
                              p.width, p.height);
    int B = batch_size(r, &p);
    if (B < 1)
        return misi_error_set(err, MISI_E_LIMIT,
                              "%dx%d at %dx supersampling exceeds the GL limit of %d pixels per side",
                              p.width, p.height, p.aa, max_dim(r));
    float extent = scene_extent(scene);
    for (size_t i = 0; i < n; i++) {
        if (p.projection != MISI_PROJECTION_PERSPECTIVE && !(views[i].trans[2] < p.eye_distance))
            return misi_error_set(err, MISI_E_RANGE, "view %zu: move z %.2f reaches the eye distance %.2f", i,
                                  views[i].trans[2], p.eye_distance);
        /* In perspective the eye sits at z = D: a scene that reaches it
         * would be drawn partly from behind the eye (culled spheres, bonds
         * flattened onto the image plane), a wrong picture, not a view. */
        if (p.projection == MISI_PROJECTION_PERSPECTIVE && !(views[i].trans[2] + extent < p.eye_distance))
            return misi_error_set(err, MISI_E_RANGE,
                                  "view %zu: move z %.2f brings the scene (radius %.2f A about its centre) to the "
                                  "eye at %.2f A; perspective views need move z < %.2f",
                                  i, views[i].trans[2], extent, p.eye_distance, p.eye_distance - extent);
        for (int k = 0; k < 9; k++)
            if (!isfinite(views[i].rot[k]))
                return misi_error_set(err, MISI_E_RANGE, "view %zu: non-finite rotation", i);
        for (int k = 0; k < 3; k++)
            if (!isfinite(views[i].trans[k]))
                return misi_error_set(err, MISI_E_RANGE, "view %zu: non-finite translation", i);
    }
    if ((size_t)B > n)
        B = (int)n;
    misi_view *snapped = malloc(n * sizeof *snapped);
    if (!snapped)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for %zu views", n);
    for (size_t i = 0; i < n; i++)
        snapped[i] = misi_view_snap(&in_views[i]);
    views = snapped;

    eglMakeCurrent(r->gc.dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, r->gc.ctx);
    rc = ensure_framebuffers(r, &p, B, err);
    if (!rc)
        rc = gfx_impostors_upload(r->impostors, scene, err);
    if (!rc && p.labels != MISI_LABELS_OFF && scene->nlabels)
        rc = gfx_labels_prepare(r->labels, scene, p.label_px, p.font_path, err);
    if (rc) {
        free(snapped);
        return rc;
    }
    float scale = misi_render_scale(scene, &p);

    pending pd[2] = {{0}, {0}};
    int have = 0, slot = 0; /* have: batches in flight (0..2) */
    size_t next = 0;
    while (next < n || have > 0) {
        if (next < n) {
            size_t count = n - next < (size_t)B ? n - next : (size_t)B;
            rc = draw_batch(r, scene, &p, views, layouts, next, count, scale, extent, err);
            if (rc)
                break;
            pd[slot].first = next;
            pd[slot].count = count;
            rc = start_readback(r, slot, &pd[slot], err);
            if (rc)
                break;
            next += count;
            have++;
            slot ^= 1;
        }
        /* Copy the older batch out once a newer one is queued (or at the end). */
        if (have == 2 || (next >= n && have > 0)) {
            int old = have == 2 ? slot : slot ^ 1;
            rc = finish_readback(r, &pd[old], fn, user, err);
            have--;
            if (rc)
                break;
        }
    }
    for (int i = 0; i < 2; i++)
        if (pd[i].fence)
            glDeleteSync(pd[i].fence);
    gfx_labels_finish(r->labels);
    free(snapped);
    return rc;
}

typedef struct one_image {
    uint8_t *rgb;
} one_image;

static int copy_one(void *user, size_t view, const uint8_t *rgb, int w, int h)
{
    (void)view;
    memcpy(((one_image *)user)->rgb, rgb, (size_t)w * (size_t)h * 3);
    return 0;
}

int misi_render_view(misi_renderer *r, const misi_scene *scene, const misi_render_params *p,
                     const misi_view *view, uint8_t *rgb, misi_error *err)
{
    one_image o = {rgb};
    return misi_render_views(r, scene, p, view, 1, copy_one, &o, err);
}
