/* Private helpers shared by the task files. */
#ifndef MISI_TASK_UTIL_H
#define MISI_TASK_UTIL_H

#include "misi/tasks.h"

/* Resamples a task tries before it gives up on a complex. */
#define TASK_MAX_TRIES 64

/* The sentence every question starts with: projection, axes, signs. */
extern const char TASK_PREAMBLE[];

static inline const char *axis_name(int axis)
{
    return axis == 0 ? "x" : axis == 1 ? "y" : "z";
}

/* The camera of a canonical view with ops appended. */
misi_pose task_pose(const char *view, const misi_op *ops, size_t n);
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
