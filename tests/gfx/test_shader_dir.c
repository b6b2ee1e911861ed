/* Shaders are embedded, and MISI_SHADER_DIR overrides them file by file at
 * run time: a resolve.frag there that paints one flat colour shows up in
 * every pixel; a broken one gives a clear compile error naming the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "gfx_test.h"

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

int main(void)
{
    char dir[] = "/tmp/misi-shaders-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/resolve.frag", dir);
    write_text(path, "#version 300 es\nprecision highp float;\nuniform highp sampler2D u_src;\n"
                     "uniform int u_k;\nout vec4 frag;\nvoid main() { frag = vec4(0.2, 0.4, 0.6, 1.0); }\n");
    setenv("MISI_SHADER_DIR", dir, 1);
    misi_renderer *r = gt_renderer();
    misi_scene *s = gt_scene(1, 0);
    s->atoms[0].radius = 1;
    misi_scene_update_frame(s, 1);
    misi_render_params p = {.width = 32, .height = 32, .aa = 2};
    uint8_t img[32 * 32 * 3];
    misi_view v = misi_view_identity();
    misi_error err = {0};
    CHECK(misi_render_view(r, s, &p, &v, img, &err) == 0, "%s", err.msg);
    int flat = 0;
    for (int i = 0; i < 32 * 32; i++)
        flat += img[3 * i] == 51 && img[3 * i + 1] == 102 && img[3 * i + 2] == 153;
    CHECK(flat == 32 * 32, "override not used: %d flat pixels", flat);
    misi_renderer_destroy(r);

    write_text(path, "#version 300 es\nthis is not GLSL\n");
    misi_renderer *r2 = NULL;
    CHECK(misi_renderer_create(NULL, &r2, &err) == MISI_E_GL && r2 == NULL, "broken shader accepted");
    CHECK(strstr(err.msg, "resolve.frag") != NULL, "message does not name the file: %s", err.msg);
    unlink(path);
    rmdir(dir);
    unsetenv("MISI_SHADER_DIR");
    misi_scene_destroy(s);
    return CHECK_DONE();
}
