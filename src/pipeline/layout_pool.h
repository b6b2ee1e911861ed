/* Label layouts off the render thread (private to src/pipeline).
 *
 * The label layout pass (misi_label_layout, CPU only) costs about as much
 * per image as drawing it on llvmpipe, and the render thread used to run it
 * between the draws. A layout pool runs the layouts of the views about to be
 * drawn on its own threads, in view order, while the render thread draws the
 * earlier ones; the renderer waits for a view's layout only when it gets to
 * its labels (misi_label_layouts.wait). A layout is a pure function of the
 * scene, params, view and font metrics, so the images are the same bytes
 * whatever the thread count. */
#ifndef MISI_PIPELINE_LAYOUT_POOL_H
#define MISI_PIPELINE_LAYOUT_POOL_H

#include <stddef.h>

#include "misi/render.h"

/* One view to lay out. The pool fills out (scene->nlabels places), stats,
 * rc and err; the caller owns everything and keeps it alive until the job
 * is waited for. */
typedef struct misi_layout_job {
    const misi_scene *scene;
    misi_render_params params; /* as the renderer is given them */
    misi_view view;
    misi_label_place *out;
    misi_label_stats stats;
    int rc;
    misi_error err;
} misi_layout_job;

typedef struct misi_layout_pool misi_layout_pool;

/* threads: workers (<= 0: the online cores, at most 16). atlas: the font the
 * layouts measure with (made at the params' label_px and font), borrowed,
 * read by every worker. Destroy with misi_layout_pool_destroy. */
int misi_layout_pool_create(int threads, const struct misi_font_atlas *atlas, misi_layout_pool **out,
                            misi_error *err);
/* Waits for the jobs in flight, then stops the workers. NULL is a no-op. */
void misi_layout_pool_destroy(misi_layout_pool *p);
/* Start laying out jobs[0..n-1], in index order; returns at once. The
 * previous run must have been waited for (misi_layout_pool_wait_all). */
int misi_layout_pool_start(misi_layout_pool *p, misi_layout_job *jobs, size_t n, misi_error *err);
/* Block until job i of the current run is done. */
void misi_layout_pool_wait(misi_layout_pool *p, size_t i);
/* Block until every job of the current run is done. */
void misi_layout_pool_wait_all(misi_layout_pool *p);
/* Workers the pool runs. */
int misi_layout_pool_threads(const misi_layout_pool *p);

#endif
