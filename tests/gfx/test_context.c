/* The EGL context: devices are listed, the automatic choice gives an
 * OpenGL ES 3 context with sane limits, an out-of-range device index is a
 * clean usage error, two renderers on one device live side by side, and
 * the surfaceless-platform fallback works too. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gfx_test.h"

int main(void)
{
    misi_renderer *r = gt_renderer();
    const misi_gfx_info *info = misi_renderer_info(r);
    CHECK(!strncmp(info->gl_version, "OpenGL ES 3", 11), "GL version '%s'", info->gl_version);
    CHECK(info->max_texture_size >= 2048 && info->max_renderbuffer_size >= 2048, "tiny limits");
    CHECK(info->max_viewport[0] >= 2048, "tiny viewport");
    CHECK(info->chosen == 0 || (info->chosen >= 1 && info->chosen <= info->ndevices), "chosen %d of %d",
          info->chosen, info->ndevices);
    misi_render_params p = {0};
    CHECK(misi_render_batch_size(r, &p) >= 1, "no batch fits");
    int ndev = info->ndevices;
    misi_renderer_destroy(r);

    misi_gfx_info list;
    misi_error err = {0};
    CHECK(misi_gfx_enumerate(&list, &err) == 0 && list.ndevices == ndev, "enumerate disagrees");

    misi_renderer_desc bad = {.device = ndev + 1};
    misi_renderer *r2 = NULL;
    CHECK(misi_renderer_create(&bad, &r2, &err) == MISI_E_USAGE && r2 == NULL, "device %d accepted",
          ndev + 1);
    CHECK(strstr(err.msg, "device") != NULL, "message '%s'", err.msg);

    if (ndev >= 1) {
        misi_renderer_desc one = {.device = 1};
        CHECK(misi_renderer_create(&one, &r2, &err) == 0, "device 1: %s", err.msg);
        misi_renderer_destroy(r2);
    }
    /* Two renderers on one device: destroying one leaves the other working
     * (EGL shares one display between them) and both draw the same bytes. */
    {
        misi_renderer *a = NULL, *b = NULL;
        CHECK(misi_renderer_create(NULL, &a, &err) == 0, "%s", err.msg);
        CHECK(misi_renderer_create(NULL, &b, &err) == 0, "%s", err.msg);
        misi_scene *s = gt_scene(1, 0);
        s->atoms[0].radius = 1;
        s->atoms[0].rgb[1] = 200;
        misi_scene_update_frame(s, 1);
        misi_render_params q = {.width = 48, .height = 40};
        misi_view v = misi_view_identity();
        static uint8_t ia[48 * 40 * 3], ib[48 * 40 * 3];
        CHECK(a && misi_render_view(a, s, &q, &v, ia, &err) == 0, "%s", err.msg);
        misi_renderer_destroy(a);
        CHECK(b && misi_render_view(b, s, &q, &v, ib, &err) == 0, "after destroying the other: %s", err.msg);
        CHECK(memcmp(ia, ib, sizeof ia) == 0, "two renderers disagree");
        misi_renderer_destroy(b);
        misi_scene_destroy(s);
    }

    setenv("MISI_EGL_PLATFORM", "surfaceless", 1);
    r2 = NULL;
    if (misi_renderer_create(NULL, &r2, &err) == 0) {
        CHECK(misi_renderer_info(r2)->chosen == 0, "surfaceless not used");
        CHECK(!strcmp(misi_renderer_info(r2)->platform, "surfaceless"), "platform %s",
              misi_renderer_info(r2)->platform);
        misi_renderer_destroy(r2);
    } else {
        fprintf(stderr, "note: no surfaceless platform here: %s\n", err.msg);
    }
    return CHECK_DONE();
}
