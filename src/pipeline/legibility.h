/* Per-question legibility (private to src/pipeline): is every label a
 * question's answer needs (misi_question.need) placed, and so unoverlapped,
 * in at least one of its images? And each image's legibility figures for
 * the truth file. CPU only: the label layout (misi_label_layout) is what the
 * renderer draws, so nothing has to be rendered to know it.
 *
 * The generator owns scenes and scales; it lends them through `prepare`.
 * Layouts are kept per request key for the complex in flight (images are
 * shared between questions), and dropped with misi_leg_reset. */
#ifndef MISI_PIPELINE_LEGIBILITY_H
#define MISI_PIPELINE_LEGIBILITY_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "misi/render.h"
#include "misi/tasks.h"

/* Build the scene of request r and the params it is drawn with (scale
 * included); the checker destroys the scene. */
typedef int (*misi_leg_prepare_fn)(void *user, const misi_image_req *r, misi_scene **scene,
                                   misi_render_params *p, misi_error *err);

typedef struct misi_leg_image misi_leg_image;

typedef struct misi_legibility {
    struct misi_font_atlas *atlas;
    misi_render_params params; /* the run's (after defaults) */
    misi_leg_prepare_fn prepare;
    void *user;
    misi_leg_image *cache;
    size_t ncache, capcache;
} misi_legibility;

/* Set up for a run drawn with params p (labels: on or paper; off = nothing
 * to check). Fails with the font's error. Finish with misi_leg_finish. */
int misi_leg_init(misi_legibility *lg, const misi_render_params *p, misi_leg_prepare_fn prepare, void *user,
                  misi_error *err);
void misi_leg_finish(misi_legibility *lg);
/* Forget the layouts of the complex in flight. */
void misi_leg_reset(misi_legibility *lg);

/* The label statistics of request r (keyed by its request key hash). */
int misi_leg_image_stats(misi_legibility *lg, const misi_image_req *r, uint64_t key, misi_label_stats *st,
                         misi_error *err);
/* Keep the layout pl (with its statistics st) of scene s, drawn for the
 * request keyed key, as if laid out here: the generator lays out each image
 * once, off the render thread (layout_pool.h), and the truth file's figures
 * come from the same layout. Only for runs with the legible layout (labels
 * on); a key kept already is left as it is. */
int misi_leg_store(misi_legibility *lg, uint64_t key, const misi_scene *s, const misi_label_place *pl,
                   const misi_label_stats *st, misi_error *err);
/* Is every need of q legible in one of its images (keys[k]: request key hash
 * of q->images[k])? When not, *ok is false and why names the first label
 * that is not. When it is and evidence is not NULL, one object per need is
 * added to it: {"label": text, "kind": ..., "image": the first image (1-based)
 * that shows it legibly}. */
int misi_leg_question(misi_legibility *lg, const misi_question *q, const uint64_t *keys, bool *ok, char *why,
                      size_t cap, cJSON *evidence, misi_error *err);
/* The truth file's "labels" object of one image's statistics. */
cJSON *misi_leg_stats_json(const misi_label_stats *st);

#endif
