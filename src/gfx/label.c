/* The label pass: residue and atom labels as instanced textured quads from
 * the font atlas (misi/font.h), drawn on the resolved image (output pixels)
 * with the depth test off. One instance per glyph plus one translucent
 * backing box per label. The vertex shader centres each label on its
 * projected anchor and clamps it inside the tile, so a label is never
 * clipped. The atlas is rasterised at the output size, so glyph texels map
 * 1:1 to image pixels. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfx/gfx_internal.h"
#include "misi/font.h"

typedef struct label_inst {
    float anchor[3];
    float rect[4]; /* x, y from the label's lower-left (y up), w, h: pixels of the pass */
    float uv[4];   /* u0, v_bottom, u1, v_top; u0 < 0: the backing box */
    float box[2];  /* label size, pixels of the pass */
} label_inst;

struct gfx_labels {
    GLuint prog, vao, vbo_quad, vbo_inst, atlas_tex;
    GLint loc_rot, loc_centre, loc_trans, loc_tile_size, loc_scale, loc_persp, loc_eye, loc_k, loc_atlas;
    misi_font_atlas *atlas;
    float atlas_px;
    char *atlas_font; /* the font_path the atlas was made from; NULL = default */
    label_inst *inst;
    size_t ninst, cap;
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
    l->loc_rot = glGetUniformLocation(l->prog, "u_rot");
    l->loc_centre = glGetUniformLocation(l->prog, "u_centre");
    l->loc_trans = glGetUniformLocation(l->prog, "u_trans");
    l->loc_tile_size = glGetUniformLocation(l->prog, "u_tile_size");
    l->loc_scale = glGetUniformLocation(l->prog, "u_scale");
    l->loc_persp = glGetUniformLocation(l->prog, "u_persp");
    l->loc_eye = glGetUniformLocation(l->prog, "u_eye");
    l->loc_k = glGetUniformLocation(l->prog, "u_k");
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
    } A[] = {{1, 3, offsetof(label_inst, anchor)},
             {2, 4, offsetof(label_inst, rect)},
             {3, 4, offsetof(label_inst, uv)},
             {4, 2, offsetof(label_inst, box)}};
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
    misi_font_config cfg = {.px = px, .path = font};
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
    l->ninst = 0;
    float pad = (float)(int)(0.2f * px + 0.5f);
    misi_glyph_quad q[32];
    for (uint32_t i = 0; i < s->nlabels; i++) {
        const misi_scene_label *lab = &s->labels[i];
        misi_text_box box;
        size_t n = misi_text_layout(l->atlas, lab->text, q, sizeof q / sizeof q[0], &box);
        if (n > sizeof q / sizeof q[0])
            n = sizeof q / sizeof q[0];
        if (n == 0)
            continue;
        /* Box: the ink extent plus padding, whole pixels. */
        float w = (box.x1 - box.x0) + 2 * pad, h = (box.y1 - box.y0) + 2 * pad;
        label_inst b = {{lab->pos[0], lab->pos[1], lab->pos[2]}, {0, 0, w, h}, {-1, -1, -1, -1}, {w, h}};
        if ((rc = push(l, b, err)))
            return rc;
        for (size_t g = 0; g < n; g++) {
            label_inst gi = {
                {lab->pos[0], lab->pos[1], lab->pos[2]},
                {q[g].x0 - box.x0 + pad, box.y1 - q[g].y1 + pad, q[g].x1 - q[g].x0, q[g].y1 - q[g].y0},
                {q[g].u0, q[g].v1, q[g].u1, q[g].v0},
                {w, h},
            };
            if ((rc = push(l, gi, err)))
                return rc;
        }
    }
    glBindBuffer(GL_ARRAY_BUFFER, l->vbo_inst);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(l->ninst * sizeof *l->inst), l->inst, GL_STATIC_DRAW);
    return gfx_check("uploading labels", err);
}

void gfx_labels_draw(gfx_labels *l, const gfx_view_uniforms *u)
{
    if (!l->ninst)
        return;
    glUseProgram(l->prog);
    glUniformMatrix3fv(l->loc_rot, 1, GL_TRUE, u->rot);
    glUniform3fv(l->loc_centre, 1, u->centre);
    glUniform3fv(l->loc_trans, 1, u->trans);
    glUniform2f(l->loc_tile_size, u->tile_size[0], u->tile_size[1]);
    glUniform1f(l->loc_scale, u->scale);
    glUniform1i(l->loc_persp, u->persp);
    glUniform1f(l->loc_eye, u->eye);
    glUniform1f(l->loc_k, u->k);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, l->atlas_tex);
    glUniform1i(l->loc_atlas, 0);
    glBindVertexArray(l->vao);
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, (GLsizei)l->ninst);
    glBindVertexArray(0);
}
