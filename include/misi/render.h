/* The renderer: "render these views of this scene into these images".
 *
 * Three objects, each with one job:
 *   misi_scene     what is shown (atoms, bonds, colours, radii, labels, the
 *                  framing centre and radius). Plain CPU data, no GL; built
 *                  from a complex, safe to inspect from tests and tasks.
 *   misi_view      one camera pose: s = R (p - c) + T, from the command language.
 *   misi_renderer  an EGL/OpenGL ES context and its framebuffers. Renders
 *                  many views of one scene in batches (tiles of one large
 *                  framebuffer) and hands back 8-bit RGB images, top row first.
 *
 * Camera model (docs/rendering.md): screen +x right, +y up, +z toward the
 * viewer. Orthographic: a point p lands at pixel
 *     centre + px_per_A * m * (s.x, -s.y),  m = D / (D - T.z)
 * (pixel rows counted downward). Perspective: eye at (0, 0, D), image plane
 * z = 0, pixel = centre + px_per_A * D / (D - s.z) * (s.x, -s.y).
 *
 * Threads: a renderer is bound to the thread that created it. Scenes are
 * immutable after creation and may be shared. */
#ifndef MISI_RENDER_H
#define MISI_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "misi/cmdlang.h"
#include "misi/error.h"
#include "misi/mol.h"

/* ---- scenes ---- */

typedef enum misi_style {
    MISI_STYLE_DEFAULT = 0, /* ball-and-stick */
    MISI_STYLE_BALL_AND_STICK,
    MISI_STYLE_STICK,
    MISI_STYLE_SPACEFILL,
} misi_style;

/* Parse "ball-and-stick" | "stick" | "spacefill"; returns MISI_E_USAGE otherwise. */
int misi_style_from_name(const char *name, misi_style *out);
const char *misi_style_name(misi_style style);

/* The framing of a complex: every view of it uses one centre and one scale. */
typedef struct misi_frame {
    float centre[3]; /* centroid of the shown atoms, untransformed (Å) */
    float radius;    /* bounding sphere about centre incl. atom radii + margin (Å) */
} misi_frame;

/* misi_scene_desc.hide */
enum {
    MISI_HIDE_POCKET = 1u << 0,
    MISI_HIDE_LIGAND = 1u << 1,
};

/* misi_scene_desc.label_set */
typedef enum misi_label_set {
    MISI_LABEL_SET_DEFAULT = 0,   /* pocket residues ("ARG 45") + ligand atom names */
    MISI_LABEL_SET_RESIDUE_ATOMS, /* also every shown pocket atom's name (T4) */
    MISI_LABEL_SET_NONE,
    MISI_LABEL_SET_POLAR_CONTACTS, /* default + the name of every pocket N, O or S atom within
                                      MISI_POLAR_CONTACT_A of a ligand N, O or S (T8, T9): chosen
                                      without looking at the H-bonds, so what is labelled says
                                      nothing of which atoms bond */
    MISI_LABEL_SET_POLAR_PAIRS,    /* the same labels as POLAR_CONTACTS, but laid out first (priority
                                      0) only the pocket N, O, S atoms within MISI_POLAR_CONTACT_A of a
                                      ligand N, O or S, their residues and those ligand atoms: the
                                      generator's fallback when an answer's labels were not legible
                                      (T8, T9); still chosen without the H-bonds */
} misi_label_set;

/* MISI_LABEL_SET_POLAR_CONTACTS: the longest H-bond the finder accepts
 * (docs/hbonds.md: 3.5 A + the 0.4 A relaxation) plus a margin, so every
 * bonded pocket atom is among the labelled ones. */
#define MISI_POLAR_CONTACT_A 4.5f

/* How to build a scene; zero means default everywhere. */
typedef struct misi_scene_desc {
    misi_style style;
    unsigned hide;           /* MISI_HIDE_* */
    const bool *pocket_mask; /* optional, one per pocket atom: shown or not */
    misi_label_set label_set;
    float margin;            /* Å added to the framing radius; 0 = 2 Å */
    const misi_frame *frame; /* optional: reuse another scene's framing */
} misi_scene_desc;

/* One drawn atom. */
typedef struct misi_scene_atom {
    float pos[3];
    float radius; /* sphere radius in Å for the scene's style */
    uint8_t rgb[3];
    uint8_t element;
    uint8_t ligand; /* 1 for ligand atoms */
} misi_scene_atom;

/* One drawn bond between two drawn atoms (indices into atoms). */
typedef struct misi_scene_bond {
    uint32_t a, b;
} misi_scene_bond;

/* The most labels a scene may draw (a label is up to 32 glyph instances):
 * more is MISI_E_LIMIT at render time, naming the count. */
#define MISI_MAX_LABELS 200000u

/* The version of the image files: raised whenever the same scene, view and
 * params come out as other bytes, pixels or their encoding, so that a
 * resumed run or a merge never mixes the images of two renderers (misi
 * generate records it in its config). 2: specular by squaring, 2026-11-30.
 * 3: PNG data compressed by libdeflate (same pixels, other bytes), 2026-12-05.
 * 4: the label layout pass (legible labels), chains, 2026-12-06. */
#define MISI_RENDER_VERSION 4

/* misi_scene_label.key: what a label names, kind in the top 4 bits and an
 * index (pocket residue, pocket atom or ligand atom) below: a question says
 * which labels its answer needs by these keys (misi_question.need). */
enum {
    MISI_LABEL_KIND_RESIDUE = 1u,      /* index: pocket residue */
    MISI_LABEL_KIND_POCKET_ATOM = 2u,  /* index: pocket atom */
    MISI_LABEL_KIND_LIGAND_ATOM = 3u,  /* index: ligand atom */
};
#define MISI_LABEL_KEY(kind, index) (((uint32_t)(kind) << 28) | ((uint32_t)(index) & 0x0FFFFFFFu))

/* One label, anchored at an atom (ligand / residue atoms) or at a residue's
 * CA (its centroid when the CA is not shown). */
typedef struct misi_scene_label {
    float pos[3];
    char text[32];     /* a residue label or an atom name (up to MISI_ATOM_NAME_CAP) */
    uint32_t key;      /* MISI_LABEL_KEY(kind, index); 0 for labels made by hand */
    uint8_t priority;  /* layout order, 0 first: what the image's questions need, then ligand
                          atoms, residues near the ligand, the rest (docs/rendering.md) */
    float anchor_r;    /* radius (A) of the anchor atom's sphere: labels sit outside it; 0 = a point */
} misi_scene_label;

typedef struct misi_scene {
    misi_scene_atom *atoms;
    uint32_t natoms;
    misi_scene_bond *bonds;
    uint32_t nbonds;
    misi_scene_label *labels;
    uint32_t nlabels;
    float bond_radius; /* cylinder radius in Å; 0 in spacefill (no bonds drawn) */
    misi_style style;
    misi_frame frame;
} misi_scene;

/* Build the scene of a complex: heavy atoms only, colours per MISI-SPEC §2.
 * The caller destroys it with misi_scene_destroy. Fails with MISI_E_INVALID
 * when nothing would be shown. */
int misi_scene_create(const misi_complex *cx, const misi_scene_desc *desc, misi_scene **out, misi_error *err);
/* An empty scene to fill by hand (tests, custom figures): atoms/bonds/labels
 * arrays of the given lengths, zeroed. Call misi_scene_update_frame after. */
int misi_scene_alloc(uint32_t natoms, uint32_t nbonds, uint32_t nlabels, misi_scene **out, misi_error *err);
/* Recompute frame from the atoms (centroid; radius = max distance + atom
 * radius + margin, margin 0 = 2 Å). */
void misi_scene_update_frame(misi_scene *scene, float margin);
void misi_scene_destroy(misi_scene *scene);

/* Colour of an element (Jmol-like table, spec colours for O N S P). */
void misi_element_rgb(uint8_t z, uint8_t rgb[3]);
/* The alternating pocket carbon colours, residue by residue. */
extern const uint8_t MISI_POCKET_CARBON_RGB[2][3];
extern const uint8_t MISI_LIGAND_CARBON_RGB[3];

/* ---- views and cameras ---- */

/* One camera pose: s = R (p - c) + T, rot row-major: the command
 * language's pose (misi/cmdlang.h), so a parsed view set renders as is. */
typedef misi_pose misi_view;

/* The identity pose (the "front" view). */
misi_view misi_view_identity(void);
/* The six canonical views: "front", "back", "left", "right", "top", "bottom"
 * (MISI-SPEC §2). Returns MISI_E_USAGE for another name. */
int misi_view_canonical(const char *name, misi_view *out);
/* roll about screen axis (0 x, 1 y, 2 z) by degrees, right-hand rule:
 * R = Q R, T untouched (the complex turns about its own centre), as
 * misi_pose_apply does. */
void misi_view_roll(misi_view *v, int axis, float degrees);
/* move along a screen axis: T += d e_axis. */
void misi_view_move(misi_view *v, int axis, float angstrom);
/* v with every number rounded to 1e-6: what the renderer and the label
 * layout draw, so that poses a few ulp apart give the same bytes. */
misi_view misi_view_snap(const misi_view *v);

typedef enum misi_projection {
    MISI_PROJECTION_DEFAULT = 0, /* orthographic */
    MISI_PROJECTION_ORTHO,
    MISI_PROJECTION_PERSPECTIVE,
} misi_projection;

/* misi_render_params.labels */
typedef enum misi_labels {
    MISI_LABELS_DEFAULT = 0, /* on */
    MISI_LABELS_ON,          /* the legible layout: no two labels overlap, beside their anchors,
                                over free space where there is some, outlined (label_layout.c) */
    MISI_LABELS_OFF,
    MISI_LABELS_PAPER,       /* the paper's look: centred on the anchor on a dark box, overlapping
                                where the molecule is crowded (fidelity studies) */
} misi_labels;

/* "on" | "off" | "paper"; MISI_E_USAGE otherwise. */
int misi_labels_from_name(const char *name, misi_labels *out);
const char *misi_labels_name(misi_labels l);

/* How to render; zero means default. */
typedef struct misi_render_params {
    int width, height; /* pixels; 0 = 512 */
    misi_projection projection;
    float eye_distance; /* D in Å; 0 = 100 */
    float px_per_A;     /* 0 = frame the scene: radius fits the smaller side */
    int aa;             /* supersampling factor k (render k× then box filter); 0 = 2, 1 = off */
    int msaa;           /* extra MSAA samples per supersample; 0/1 = off */
    misi_labels labels;
    float label_px;       /* label font size in output pixels; 0 = 13 */
    const char *font_path; /* TrueType/OpenType file for labels; NULL = $MISI_FONT, else DejaVu Sans
                              (MISI_FONT_DEFAULT_PATH, Debian's fonts-dejavu-core) */
    int batch_max;        /* most tiles per batch; 0 = as many as limits and budget allow */
    size_t memory_budget; /* bytes for batch framebuffers + readback; 0 = 256 MiB, or 48 MiB on a
                             software device (faster there: docs/performance.md) */
    bool sphere_quads;    /* draw every sphere as a quad, never as a point sprite: the image is the
                             same (tests compare the two); false = points where they fit */
} misi_render_params;

/* Fill the zero fields of p with the defaults. */
void misi_render_params_defaults(misi_render_params *p);

/* Pixels per Å the renderer uses for a scene at these params (after defaults). */
float misi_render_scale(const misi_scene *scene, const misi_render_params *p);

/* Project a world point for view v: pixel coordinates (x right, y down, pixel
 * centres at +0.5) and view-space depth s.z; returns false when the point is
 * behind the eye (perspective). The GPU image agrees with this. */
bool misi_project(const misi_scene *scene, const misi_render_params *p, const misi_view *v,
                  const float world[3], float px[2], float *depth);

/* ---- label layout (CPU, no GL) ---- */

struct misi_font_atlas;

/* Where one label goes in one image. */
typedef struct misi_label_place {
    bool placed;      /* false: dropped (no legible place) or blank text */
    bool leader;      /* drawn away from its anchor, with a leader line */
    int x, y, w, h;   /* the label's box (text + outline/backing), image pixels, rows down */
    float ax, ay;     /* the anchor's pixel */
    float leader_from[2], leader_to[2]; /* with leader: from the anchor atom's rim to the box */
} misi_label_place;

/* How legible one image's labels are. */
typedef struct misi_label_stats {
    uint32_t requested, placed, dropped;
    uint64_t overlap_px;  /* pixels under two or more placed label boxes (the layout: 0) */
    uint64_t molecule_px; /* pixels of the molecule: projected atom discs and bonds */
    uint64_t covered_px;  /* of those, pixels a label changes: under a backing box (paper), or
                             under the glyphs with their outline and the leader lines (layout) */
} misi_label_stats;

/* Lay out the labels of scene for view v at params p (after defaults; its
 * labels mode picks the layout or the paper's placement) with the glyph
 * metrics of atlas (misi/font.h, made at p->label_px). out has
 * scene->nlabels entries; stats may be NULL. The same inputs give the same
 * layout on every machine thread and run: no threads, no hashing, ties
 * broken by label index. The renderer draws exactly this layout. */
int misi_label_layout(const misi_scene *scene, const misi_render_params *p, const misi_view *v,
                      const struct misi_font_atlas *atlas, misi_label_place *out, misi_label_stats *stats,
                      misi_error *err);

/* ---- the renderer ---- */

typedef struct misi_renderer misi_renderer;

#define MISI_GFX_MAX_DEVICES 16

typedef struct misi_gfx_device {
    char name[128]; /* "software (Mesa)" or the DRM node */
    char extensions[256];
    bool software;
} misi_gfx_device;

typedef struct misi_gfx_info {
    misi_gfx_device devices[MISI_GFX_MAX_DEVICES];
    int ndevices;
    int chosen; /* 1-based index into devices; 0 = surfaceless platform */
    char platform[32];
    char egl_version[64], egl_vendor[64];
    char gl_vendor[128], gl_renderer[128], gl_version[128], glsl_version[128];
    int max_texture_size, max_renderbuffer_size, max_samples;
    int max_viewport[2];
    float max_point_size; /* largest point sprite side (pixels): spheres larger than it are quads */
    int max_color_attachments, max_vertex_attribs, max_texture_units;
    bool sample_shading; /* OpenGL ES 3.2 per-sample shading (used with msaa) */
} misi_gfx_info;

/* misi_renderer_desc: zero means default. */
typedef struct misi_renderer_desc {
    int device; /* 0 = automatic (hardware first, then software, then surfaceless);
                   k >= 1 = the k-th device `misi info` lists */
} misi_renderer_desc;

/* Enumerate EGL devices without creating a context. */
int misi_gfx_enumerate(misi_gfx_info *info, misi_error *err);

/* Create a renderer on the calling thread. MISI_E_GL with a sentence when
 * there is no EGL, no device or no OpenGL ES 3.0. Destroy with
 * misi_renderer_destroy (NULL is a no-op). */
int misi_renderer_create(const misi_renderer_desc *desc, misi_renderer **out, misi_error *err);
/* Can r draw images of params' size and supersampling at all? The same
 * limits misi_render_views applies, asked before anything is made
 * (MISI_E_LIMIT with the numbers when not). */
int misi_renderer_check_params(misi_renderer *r, const misi_render_params *params, misi_error *err);
void misi_renderer_destroy(misi_renderer *r);
const misi_gfx_info *misi_renderer_info(const misi_renderer *r);
/* Is the chosen device a software renderer (Mesa's llvmpipe)? The
 * surfaceless platform counts as software: it is Mesa's fallback when no
 * device is listed. */
bool misi_gfx_software(const misi_gfx_info *info);

/* Receives each finished image: view index, RGB8 rows top first, stride 3*w.
 * The pixels belong to the renderer and are valid only during the call.
 * Return 0 to go on, a negative misi_status to stop the render with that
 * code (a message the callback leaves in the render's err is kept). */
typedef int (*misi_image_fn)(void *user, size_t view, const uint8_t *rgb, int width, int height);

/* Render n views of scene with params p. Views are drawn in batches of tiles
 * of one framebuffer; batch k+1 renders while batch k is read back. Images
 * arrive in view order. Byte-identical to rendering each view alone.
 * err is cleared first. MISI_E_RANGE for a view with move z >= D
 * (orthographic) or a non-finite pose; MISI_E_LIMIT for a size beyond the
 * GL limits; MISI_E_GL for a GL failure. */
int misi_render_views(misi_renderer *r, const misi_scene *scene, const misi_render_params *p,
                      const misi_view *views, size_t n, misi_image_fn fn, void *user, misi_error *err);

/* Label layouts made off the render thread, for misi_render_views_laid_out:
 * places[i] holds scene->nlabels places from misi_label_layout(scene, p,
 * &views[i], atlas, ...) with an atlas made at p's label_px and font (the
 * layout is a pure function, so any thread may compute it). wait, when not
 * NULL, is called on the render thread before places[i] is read, so the
 * layouts may still be in the making when the render starts; a NULL
 * places[i] (after wait) is laid out on the render thread. */
typedef struct misi_label_layouts {
    const misi_label_place *const *places;
    void (*wait)(void *user, size_t view);
    void *user;
} misi_label_layouts;

/* misi_render_views drawing the labels of layouts (NULL: laid out here, as
 * misi_render_views does): the same pixels, less work on the render thread. */
int misi_render_views_laid_out(misi_renderer *r, const misi_scene *scene, const misi_render_params *p,
                               const misi_view *views, const misi_label_layouts *layouts, size_t n,
                               misi_image_fn fn, void *user, misi_error *err);

/* Render one view into rgb (3 * width * height bytes, caller-owned). */
int misi_render_view(misi_renderer *r, const misi_scene *scene, const misi_render_params *p,
                     const misi_view *view, uint8_t *rgb, misi_error *err);

/* What a renderer has done since it was created (wall seconds on the
 * calling thread). readback_s is the CPU side of readback: mapping a batch's
 * pixel-pack buffer and converting its tiles to RGB rows, without the
 * callback. wait_s is time blocked on the device: issuing the readback and
 * waiting for its fence (on Mesa's llvmpipe glReadPixels waits for the
 * render itself, so wait_s is mostly drawing there). */
typedef struct misi_render_stats {
    size_t views, batches;
    size_t sprite_views; /* views whose spheres were point sprites (orthographic, small enough) */
    double readback_s, wait_s;
} misi_render_stats;

void misi_renderer_stats(const misi_renderer *r, misi_render_stats *out);

/* Tiles per batch the renderer would use for params p (after defaults). */
int misi_render_batch_size(const misi_renderer *r, const misi_render_params *p);

#endif
