/* Private helpers shared by the task files. */
#ifndef MISI_TASK_UTIL_H
#define MISI_TASK_UTIL_H

#include "misi/tasks.h"

/* Resamples a task tries before it gives up on a complex. */
#define TASK_MAX_TRIES 64

/* The sentence every question starts with: projection, axes, signs. */
extern const char TASK_PREAMBLE[];
/* The six canonical views in words, for "seen from ..." (MISI-SPEC §2). */
extern const char TASK_SIX_VIEWS[];

static inline const char *axis_name(int axis)
{
    return axis == 0 ? "x" : axis == 1 ? "y" : "z";
}

/* The camera of a canonical view with ops appended. */
misi_pose task_pose(const char *view, const misi_op *ops, size_t n);
/* Which of n variants (an axis, an axis pair; n <= 8) question `index`
 * asks. Indices run in blocks of n and each block is a permutation of
 * 0..n-1 drawn from an rng keyed by (seed, complex, task, split, block):
 * every whole block is balanced, yet the index alone says nothing about the
 * variant (question ids carry no parameter). */
int task_variant(const misi_task_env *env, const char *task, misi_split split, int index, int n);
/* A whole number of bins in [1, nbins] times step, random sign (never 0). */
int task_draw_bins(misi_rng *rng, int step, int nbins);
/* v with another magnitude: same sign, another bin of [1, nbins]. */
int task_other_magnitude(misi_rng *rng, int v, int step, int nbins);
/* Poses equal within 1e-4 (options that would render alike). */
bool task_same_pose(const misi_pose *a, const misi_pose *b);
/* Two requests that draw the same picture (same complex, atoms, ligand
 * pose and camera, poses within 1e-4). */
bool task_same_request(const misi_image_req *a, const misi_image_req *b);
/* True when one of the target images q->images[first..first+ntargets-1]
 * is one of the given images q->images[0..ngiven-1]: a question whose
 * answer is shown among its givens asks nothing, so it is resampled. */
bool task_target_is_given(const misi_question *q, int first, int ntargets, int ngiven);
/* The cloze layout of T1-T3: images 1-3 the front, left and top views of the
 * complex, image 4 the front view after ops. False (q untouched) when image
 * 4 leaves the frame or is one of the three given views. */
bool task_before_after(const misi_task_env *env, const misi_op *ops, size_t n, misi_question *q);
/* Answerability of an MC question with image options: every image in frame,
 * and the four option images (images[first..first+3]) pairwise different as
 * rendered (env->images_equal). *ok false with *why the reason otherwise;
 * the return is an error only when rendering fails. */
int task_check_mc_images(const misi_task_env *env, const misi_question *q, int first, bool *ok,
                         const char **why, misi_error *err);
/* Format ops in the command language into buf. */
void task_format_ops(const misi_op *ops, size_t n, char *buf, size_t cap);

/* The answer text of a bond list, T4 (task 4: "No" / "Yes: VAL O, N1; ...")
 * or T9 (task 9: "ARG 45 NH2 A, O1B; ..."), through the shared formatters
 * the scorer parses with: the H-bonds of tc whose pocket atom lies in
 * residue `residue` (UINT32_MAX = every H-bond), in the finder's order.
 * Appends each bond's machine form to `truth` when it is not NULL. */
int task_bond_answer(const misi_task_complex *tc, int task, uint32_t residue, cJSON *truth, char *buf,
                     size_t cap, misi_error *err);

#endif
