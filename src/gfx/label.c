/* The label pass (placeholder until the font atlas lands). */
#include <stdlib.h>

#include "gfx/gfx_internal.h"

struct gfx_labels {
    int unused;
};

int gfx_labels_create(gfx_labels **out, misi_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : misi_error_set(err, MISI_E_NOMEM, "out of memory");
}

int gfx_labels_prepare(gfx_labels *l, const misi_scene *s, float label_px, misi_error *err)
{
    (void)l, (void)s, (void)label_px, (void)err;
    return 0;
}

void gfx_labels_draw(gfx_labels *l, const gfx_view_uniforms *u)
{
    (void)l, (void)u;
}

void gfx_labels_destroy(gfx_labels *l)
{
    free(l);
}
