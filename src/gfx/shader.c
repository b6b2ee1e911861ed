/* Shader sources and programs. Sources are embedded at build time
 * (the files in shaders/, through tools/embed_shaders.py); when MISI_SHADER_DIR
 * is set, files there replace the embedded copies, for development.
 * A fragment shader that does not start with #version gets common.glsl
 * prepended (the shared camera, ray and shading code). A program's defines
 * go right after the #version line of both of its shaders: the impostor
 * programs are built once per projection and sphere primitive from the same
 * files (impostor.c), so that no pixel pays for a branch on a choice made
 * per draw. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfx/gfx_internal.h"
#include "misi/fs.h"

int gfx_shader_source(const char *name, char **out, misi_error *err)
{
    const char *dir = getenv("MISI_SHADER_DIR");
    *out = NULL;
    if (dir && *dir) {
        char path[4096];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, name);
        if (misi_is_file(path))
            return misi_read_file(path, 1u << 20, out, &len, err);
    }
    for (unsigned i = 0; i < gfx_embedded_shader_count; i++) {
        if (!strcmp(gfx_embedded_shaders[i].name, name)) {
            *out = strdup(gfx_embedded_shaders[i].text);
            return *out ? 0 : misi_error_set(err, MISI_E_NOMEM, "out of memory");
        }
    }
    return misi_error_set(err, MISI_E_GL, "no shader named %s", name);
}

static int compile(GLenum type, const char *name, const char *defines, GLuint *out, misi_error *err)
{
    char *src = NULL, *common = NULL;
    int rc = gfx_shader_source(name, &src, err);
    if (rc)
        return rc;
    if (strncmp(src, "#version", 8) != 0) {
        rc = gfx_shader_source("common.glsl", &common, err);
        if (rc) {
            free(src);
            return rc;
        }
    }
    /* The first string starts with the #version line; the defines follow it. */
    const char *first = common ? common : src;
    const char *nl = strchr(first, '\n');
    GLint first_len = nl ? (GLint)(nl - first + 1) : (GLint)strlen(first);
    const char *parts[4] = {first, defines ? defines : "", first + first_len, src};
    GLint lens[4] = {first_len, -1, -1, -1};
    GLsizei nparts = common ? 4 : 3;
    GLuint sh = glCreateShader(type);
    glShaderSource(sh, nparts, parts, lens);
    glCompileShader(sh);
    free(src);
    free(common);
    GLint ok = 0;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[768] = "";
        glGetShaderInfoLog(sh, sizeof log, NULL, log);
        glDeleteShader(sh);
        return misi_error_set(err, MISI_E_GL, "shader %s%s%s does not compile: %s", name,
                              defines ? " with " : "", defines ? defines : "", log);
    }
    *out = sh;
    return 0;
}

int gfx_program(const char *vert, const char *frag, const char *defines, GLuint *out, misi_error *err)
{
    GLuint vs = 0, fs = 0, prog = 0;
    int rc = compile(GL_VERTEX_SHADER, vert, defines, &vs, err);
    if (rc)
        goto done;
    rc = compile(GL_FRAGMENT_SHADER, frag, defines, &fs, err);
    if (rc)
        goto done;
    prog = glCreateProgram();
    glAttachShader(prog, vs);
    glAttachShader(prog, fs);
    glLinkProgram(prog);
    GLint ok = 0;
    glGetProgramiv(prog, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[768] = "";
        glGetProgramInfoLog(prog, sizeof log, NULL, log);
        glDeleteProgram(prog);
        prog = 0;
        rc = misi_error_set(err, MISI_E_GL, "program %s + %s does not link: %s", vert, frag, log);
        goto done;
    }
    *out = prog;
done:
    if (vs)
        glDeleteShader(vs);
    if (fs)
        glDeleteShader(fs);
    return rc;
}
