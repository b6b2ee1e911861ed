/* The label pass: draws one view's label layout (label_layout.c, CPU) as
 * instanced quads from the font atlas, on the resolved image (output
 * pixels) with the depth test off. Per label: its leader line (if any),
 * then either a translucent backing box and plain glyphs (the paper's look)
 * or outlined glyphs (the legible layout). The atlas is rasterised at the
 * output size, so glyph texels map 1:1 to image pixels. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfx/gfx_internal.h"
#include "misi/font.h"

typedef struct label_inst {
    float origin[2]; /* tile pixels, y up */
    float edges[4];  /* e1, e2: the quad is origin + x e1 + y e2 */
    float uv[4];     /* glyph: u0 v_bottom u1 v_top; solid: rgba */
    float kind[2];   /* 0 glyph | 1 solid; outline */
} label_inst;

/* One label's glyphs, laid out once per scene. */
typedef struct label_text {
    size_t first, n; /* into gfx_labels.quads */
    misi_text_box box;
} label_text;

/* Outline width in pixels: label_layout.c's HALO_PX, which sizes the box. */
#define HALO 1
/* Atlas padding: more than two outlines, so an outlined glyph's quad never
 * reaches its neighbour's ink. */
#define ATLAS_PADDING (2 * HALO + 2)

struct gfx_labels {
    GLuint prog, vao, vbo_quad, vbo_inst, atlas_tex;
    GLint loc_tile_size, loc_tile_origin, loc_atlas;
    misi_font_atlas *atlas;
    float atlas_px;
    char *atlas_font; /* the font_path the atlas was made from; NULL = default */
    label_inst *inst;
    size_t ninst, cap;
    const misi_scene *scene; /* the prepared scene (borrowed for the render call) */
    label_text *texts;
    misi_glyph_quad *quads;
    size_t nquads, capquads;
    misi_label_place *place;
    uint32_t captexts;
    bool broken; /* font could not load: error on prepare */
};

static const float CORNERS[] = {0, 0, 1, 0, 0, 1, 1, 1};

int gfx_labels_create(gfx_labels **out, misi_error *err)
{
    gfx_labels *l = calloc(1, sizeof *l);
    int rc;
    *out = NULL;
    if (!l)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    rc = gfx_program("label.vert", "label.frag", NULL, &l->prog, err);
    if (rc) {
        free(l);
        return rc;
    }
    l->loc_tile_size = glGetUniformLocation(l->prog, "u_tile_size");
    l->loc_tile_origin = glGetUniformLocation(l->prog, "u_tile_origin");
    l->loc_atlas = glGetUniformLocation(l->prog, "u_atlas");

    glGenBuffers(1, &l->vbo_quad);
    glBindBuffer(GL_ARRAY_BUFFER, l->vbo_quad);
    glBufferData(GL_ARRAY_BUFFER, sizeof CORNERS, CORNERS, GL_STATIC_DRAW);
    glGenBuffers(1, &l->vbo_inst);
    glGenVertexArrays(1, &l->vao);
    glBindVertexArray(l->vao);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, 0);
    glBindBuffer(GL_ARRAY_BUFFER, l->vbo_inst);
    struct {
        GLuint loc;
        GLint n;
        size_t off;
    } A[] = {{1, 2, offsetof(label_inst, origin)},
             {2, 4, offsetof(label_inst, edges)},
             {3, 4, offsetof(label_inst, uv)},
             {4, 2, offsetof(label_inst, kind)}};
    for (size_t i = 0; i < sizeof A / sizeof A[0]; i++) {
        glEnableVertexAttribArray(A[i].loc);
        glVertexAttribPointer(A[i].loc, A[i].n, GL_FLOAT, GL_FALSE, sizeof(label_inst), (void *)A[i].off);
        glVertexAttribDivisor(A[i].loc, 1);
    }
    glBindVertexArray(0);
    *out = l;
    return 0;
}

void gfx_labels_destroy(gfx_labels *l)
{
    if (!l)
        return;
    glDeleteProgram(l->prog);
    glDeleteVertexArrays(1, &l->vao);
    GLuint b[] = {l->vbo_quad, l->vbo_inst};
    glDeleteBuffers(2, b);
    glDeleteTextures(1, &l->atlas_tex);
    misi_font_atlas_destroy(l->atlas);
    free(l->atlas_font);
    free(l->inst);
    free(l->texts);
    free(l->quads);
    free(l->place);
    free(l);
}

static bool same_font(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static int ensure_atlas(gfx_labels *l, float px, const char *font, misi_error *err)
{
    if (font && !*font)
        font = NULL;
    if (l->atlas && l->atlas_px == px && same_font(l->atlas_font, font))
        return 0;
    misi_font_atlas_destroy(l->atlas);
    l->atlas = NULL;
    free(l->atlas_font);
    l->atlas_font = NULL;
    misi_font_config cfg = {.px = px, .path = font, .padding = ATLAS_PADDING};
    int rc = misi_font_atlas_create(&cfg, &l->atlas, err);
    if (rc == MISI_E_IO && !font && !getenv("MISI_FONT") && err) {
        /* the default font: say where it comes from */
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        return misi_error_set(err, rc, "%s (the default label font: install Debian's fonts-dejavu-core, or "
                              "give a TrueType file with --font or $MISI_FONT, or turn labels off)", why);
    }
    if (rc)
        return rc;
    if (font && !(l->atlas_font = strdup(font))) {
        misi_font_atlas_destroy(l->atlas);
        l->atlas = NULL;
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    }
    l->atlas_px = px;
    if (!l->atlas_tex)
        glGenTextures(1, &l->atlas_tex);
    glBindTexture(GL_TEXTURE_2D, l->atlas_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, l->atlas->width, l->atlas->height, 0, GL_RED, GL_UNSIGNED_BYTE,
                 l->atlas->pixels);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return gfx_check("uploading the font atlas", err);
}

static int push(gfx_labels *l, label_inst v, misi_error *err)
{
    if (l->ninst == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        label_inst *n = realloc(l->inst, cap * sizeof *n);
        if (!n)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory for labels");
        l->inst = n;
        l->cap = cap;
    }
    l->inst[l->ninst++] = v;
    return 0;
}

int gfx_labels_prepare(gfx_labels *l, const misi_scene *s, float px, const char *font, misi_error *err)
{
    if (s->nlabels > MISI_MAX_LABELS)
        return misi_error_set(err, MISI_E_LIMIT,
                              "the scene has %u labels, more than the limit of %u: render it with labels off",
                              s->nlabels, MISI_MAX_LABELS);
    int rc = ensure_atlas(l, px, font, err);
    if (rc)
        return rc;
    if (s->nlabels > l->captexts) {
        label_text *t = realloc(l->texts, s->nlabels * sizeof *t);
        if (t)
            l->texts = t;
        misi_label_place *pl = realloc(l->place, s->nlabels * sizeof *pl);
        if (pl)
            l->place = pl;
        if (!t || !pl)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory for %u labels", s->nlabels);
        l->captexts = s->nlabels;
    }
    l->nquads = 0;
    for (uint32_t i = 0; i < s->nlabels; i++) {
        size_t n = misi_text_layout(l->atlas, s->labels[i].text, NULL, 0, &l->texts[i].box);
        if (l->nquads + n > l->capquads) {
            size_t cap = l->capquads ? 2 * l->capquads : 1024;
            while (cap < l->nquads + n)
                cap *= 2;
            misi_glyph_quad *q = realloc(l->quads, cap * sizeof *q);
            if (!q)
                return misi_error_set(err, MISI_E_NOMEM, "out of memory for labels");
            l->quads = q;
            l->capquads = cap;
        }
        l->texts[i].first = l->nquads;
        l->texts[i].n = misi_text_layout(l->atlas, s->labels[i].text, l->quads + l->nquads, n, NULL);
        l->nquads += l->texts[i].n;
    }
    l->scene = s;
    return 0;
}

static int push_solid(gfx_labels *l, float x, float y, float e1x, float e1y, float e2x, float e2y,
                      const float rgba[4], misi_error *err)
{
    label_inst v = {{x, y}, {e1x, e1y, e2x, e2y}, {rgba[0], rgba[1], rgba[2], rgba[3]}, {1, 0}};
    return push(l, v, err);
}

/* The leader (label_layout.c placed it): a light line 1.5 px wide from the
 * anchor atom's rim to the box, drawn under the labels as its bounding box
 * in whole pixels; label.frag shades the pixels near the segment. */
static int push_leader(gfx_labels *l, const misi_label_place *o, int H, misi_error *err)
{
    /* to GL (y up) */
    float ax = o->leader_from[0], ay = (float)H - o->leader_from[1];
    float bx = o->leader_to[0], by = (float)H - o->leader_to[1];
    float x0 = floorf(fminf(ax, bx)) - 2, x1 = ceilf(fmaxf(ax, bx)) + 2;
    float y0 = floorf(fminf(ay, by)) - 2, y1 = ceilf(fmaxf(ay, by)) + 2;
    label_inst v = {{x0, y0}, {x1 - x0, 0, 0, y1 - y0}, {ax, ay, bx, by}, {2, 0}};
    return push(l, v, err);
}

int gfx_labels_draw(gfx_labels *l, const misi_render_params *p, const misi_view *v, const misi_label_place *given,
                    const float tile_origin[2], misi_error *err)
{
    const misi_scene *s = l->scene;
    if (!s || !s->nlabels)
        return 0;
    int rc = 0;
    if (given) /* laid out off this thread (misi_render_views_laid_out) */
        memcpy(l->place, given, s->nlabels * sizeof *l->place);
    else
        rc = misi_label_layout(s, p, v, l->atlas, l->place, NULL, err);
    if (rc)
        return rc;
    bool paper = p->labels == MISI_LABELS_PAPER;
    int H = p->height;
    float pad = paper ? (float)(int)(0.2f * p->label_px + 0.5f) : (float)HALO;
    l->ninst = 0;
    for (uint32_t i = 0; !rc && i < s->nlabels; i++)
        if (l->place[i].placed && l->place[i].leader)
            rc = push_leader(l, &l->place[i], H, err);
    static const float BOX[4] = {0, 0, 0, 0.55f};
    float hx = (float)HALO / (float)l->atlas->width, hy = (float)HALO / (float)l->atlas->height;
    float halo = paper ? 0.0f : (float)HALO;
    for (uint32_t i = 0; !rc && i < s->nlabels; i++) {
        const misi_label_place *o = &l->place[i];
        if (!o->placed)
            continue;
        const label_text *t = &l->texts[i];
        float bottom = (float)(H - o->y - o->h); /* the box's lower edge, y up */
        if (paper)
            rc = push_solid(l, (float)o->x, bottom, (float)o->w, 0, 0, (float)o->h, BOX, err);
        for (size_t g = 0; !rc && g < t->n; g++) {
            const misi_glyph_quad *q = &l->quads[t->first + g];
            float gw = q->x1 - q->x0, gh = q->y1 - q->y0;
            float gx = (float)o->x + pad + (q->x0 - t->box.x0);
            float gy = bottom + pad + (t->box.y1 - q->y1);
            label_inst gi = {
                {gx - halo, gy - halo},
                {gw + 2 * halo, 0, 0, gh + 2 * halo},
                {q->u0 - (paper ? 0 : hx), q->v1 + (paper ? 0 : hy), q->u1 + (paper ? 0 : hx),
                 q->v0 - (paper ? 0 : hy)},
                {0, paper ? 0.0f : 1.0f},
            };
            rc = push(l, gi, err);
        }
    }
    if (rc || !l->ninst)
        return rc;
    glUseProgram(l->prog);
    glUniform2f(l->loc_tile_size, (float)p->width, (float)H);
    glUniform2f(l->loc_tile_origin, tile_origin[0], tile_origin[1]);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, l->atlas_tex);
    glUniform1i(l->loc_atlas, 0);
    glBindBuffer(GL_ARRAY_BUFFER, l->vbo_inst);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(l->ninst * sizeof *l->inst), l->inst, GL_STREAM_DRAW);
    glBindVertexArray(l->vao);
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, (GLsizei)l->ninst);
    glBindVertexArray(0);
    return 0;
}

void gfx_labels_finish(gfx_labels *l)
{
    l->scene = NULL;
}
