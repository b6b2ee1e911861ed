/* Helpers shared by the gfx tests: a renderer or a clean skip (exit 77),
 * molecules built in memory, PNG dumps for failures, the CPU reference
 * ray-caster (ref_raycast.c). */
#ifndef MISI_GFX_TEST_H
#define MISI_GFX_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "misi/mol.h"
#include "misi/render.h"

#define GT_SKIP 77

/* A renderer on the automatic device, or exit(77) with a note when there is
 * no EGL / OpenGL ES 3 context here (exit 1 instead when MISI_REQUIRE_GL is
 * set, as tools/test.sh does). */
misi_renderer *gt_renderer(void);

/* Write an RGB image as PNG (for looking at failures); returns 0 on success. */
int gt_write_png(const char *path, const uint8_t *rgb, int w, int h);
/* Dump into $MISI_TEST_OUT (or /tmp) as <name>.png when asked. */
void gt_dump(const char *name, const uint8_t *rgb, int w, int h);

static inline const uint8_t *gt_px(const uint8_t *rgb, int w, int x, int y)
{
    return rgb + 3 * ((size_t)y * (size_t)w + (size_t)x);
}

/* Colour distance (max over channels). */
int gt_cdist(const uint8_t *a, const uint8_t *b);

/* A small scene by hand: one atom per call, radius and colour given. */
misi_scene *gt_scene(uint32_t natoms, uint32_t nbonds);

/* A small in-memory complex: a 3-residue pocket (ASP, ARG, SER: O, N, C
 * atoms, peptide bonds) around a ligand with a 6-ring, an S, a P and a Cl.
 * Caller finishes it with misi_complex_finish. */
void gt_build_complex(misi_complex *cx);

/* Load the first complex of assets/complexes (MISI_SOURCE_ROOT); false when
 * the folder is empty or the loader cannot read it. */
bool gt_load_asset_complex(misi_complex *cx, char *id, size_t idlen);

/* The scene of the first asset complex, or of gt_build_complex when there is
 * none (id then stays as the caller set it); exits 1 with the error when the
 * scene cannot be made. Caller destroys the scene and finishes cx. */
misi_scene *gt_asset_scene(misi_complex *cx, char *id, size_t idlen);

/* The CPU reference: ray-cast the scene for view v at params p exactly as
 * MISI-SPEC and docs/rendering.md define it (double precision, same
 * supersampling pattern, same shading), without labels. */
void ref_render(const misi_scene *s, const misi_render_params *p, const misi_view *v, uint8_t *rgb);

#endif
