/* The antialiasing resolve: a k x k box filter from the supersampled
 * texture into the output framebuffer (shaders/resolve.*), one full-screen
 * triangle per batch. Tiles start at multiples of k, so no output pixel
 * mixes two tiles. */
#include <stdlib.h>

#include "gfx/gfx_internal.h"

struct gfx_resolve {
    GLuint prog, vao;
    GLint loc_src, loc_k;
};

int gfx_resolve_create(gfx_resolve **out, misi_error *err)
{
    gfx_resolve *rs = calloc(1, sizeof *rs);
    *out = NULL;
    if (!rs)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    int rc = gfx_program("resolve.vert", "resolve.frag", NULL, &rs->prog, err);
    if (rc) {
        free(rs);
        return rc;
    }
    rs->loc_src = glGetUniformLocation(rs->prog, "u_src");
    rs->loc_k = glGetUniformLocation(rs->prog, "u_k");
    glGenVertexArrays(1, &rs->vao);
    *out = rs;
    return 0;
}

void gfx_resolve_draw(gfx_resolve *rs, GLuint src_tex, int k)
{
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_BLEND);
    glUseProgram(rs->prog);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, src_tex);
    glUniform1i(rs->loc_src, 0);
    glUniform1i(rs->loc_k, k);
    glBindVertexArray(rs->vao);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindVertexArray(0);
}

void gfx_resolve_destroy(gfx_resolve *rs)
{
    if (!rs)
        return;
    glDeleteProgram(rs->prog);
    glDeleteVertexArrays(1, &rs->vao);
    free(rs);
}
