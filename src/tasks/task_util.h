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

#endif
