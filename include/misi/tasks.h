/* The nine MiSI tasks. A task turns one complex (and, for T5, a partner
 * complex) into questions: text, answer, ground truth in machine form, and
 * the images it needs as *requests* — which atoms are shown, where the ligand
 * is, and the camera. The pipeline renders the requests (each distinct one
 * once) and writes the files; tasks never touch GL. */
#ifndef MISI_TASKS_H
#define MISI_TASKS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "misi/cmdlang.h"
#include "misi/hbond.h"
#include "misi/mol.h"
#include "misi/render.h"
#include "misi/rng.h"

typedef enum misi_split { MISI_SPLIT_TRAIN = 0, MISI_SPLIT_TEST = 1, MISI_SPLIT_COUNT } misi_split;

const char *misi_split_name(misi_split s);

/* Which atoms an image shows. */
typedef enum misi_show {
    MISI_SHOW_COMPLEX = 0, /* pocket + ligand */
    MISI_SHOW_POCKET,      /* pocket alone */
    MISI_SHOW_LIGAND,      /* ligand alone */
    MISI_SHOW_RESIDUE,     /* one pocket residue + the ligand, residue atoms labelled (T4) */
} misi_show;

/* One image a question needs. Two equal requests are one rendering. */
typedef struct misi_image_req {
    uint8_t complex;       /* 0 = the question's complex, 1 = its partner (T5) */
    uint8_t show;          /* misi_show */
    uint32_t residue;      /* pocket residue index, MISI_SHOW_RESIDUE only */
    bool ligand_moved;     /* draw the ligand displaced by ligand_pose (T7) */
    misi_pose ligand_pose; /* p' = R (p - c_ligand) + c_ligand + T, model space */
    misi_pose view;        /* the camera: s = R (p - c) + T with c the complex's centre */
    float px_per_A;        /* 0 = the complex's scale; set when a question mixes complexes */
    bool framed;           /* frame below instead of the complex's: views turn about its centre */
    misi_frame frame;      /* with framed; px_per_A must be set too */
    uint8_t labels;        /* misi_label_set; 0 = by show (residue atoms for MISI_SHOW_RESIDUE) */
} misi_image_req;

/* What a task sees of one complex. Prepared once per complex by the pipeline. */
typedef struct misi_task_complex {
    const misi_complex *cx;
    const misi_hb_context *hb;
    const misi_hbond_list *hbonds;
    misi_frame frame;       /* one centre and radius for every image of the complex */
    float px_per_A;         /* the complex's scale at the run's image size */
    float ligand_centre[3]; /* centroid of the ligand's heavy atoms */
} misi_task_complex;

/* The run's render geometry, which the answerability checks need. */
typedef struct misi_task_geometry {
    int width, height;    /* pixels */
    float eye_distance;   /* D of the zoom model, Å */
    float edge_margin_px; /* atoms must stay this far inside the border */
} misi_task_geometry;

typedef struct misi_task_env {
    const misi_task_complex *own;
    const misi_task_complex *partner; /* T5's second complex; NULL when the run has one complex */
    misi_task_geometry geo;
    uint64_t seed;
    /* Render a and b (the pipeline caches renders) and say whether their
     * pixels are identical. */
    int (*images_equal)(void *user, const misi_image_req *a, const misi_image_req *b, bool *equal,
                        misi_error *err);
    void *user;
    /* 0, or 1 when the question is made again because the labels its answer
     * needs were not legible in its images (src/pipeline/generate.c): a task
     * with label needs then frames or labels its images the fallback way
     * (T8, T9: MISI_LABEL_SET_POLAR_PAIRS). */
    int reframe;
} misi_task_env;

#define MISI_Q_MAX_IMAGES 16
#define MISI_Q_TEXT_MAX 4096
#define MISI_Q_MAX_NEED 192

/* One question as a task writes it; the pipeline turns it into records. */
typedef struct misi_question {
    char text[MISI_Q_TEXT_MAX];
    char answer[1024];
    misi_image_req images[MISI_Q_MAX_IMAGES];
    int nimages;
    int noptions;         /* 0, or 4 for MC */
    char options[4][256]; /* option text (T8); "" for image options */
    int option_image[4];  /* index into images for image options (T5, T6); -1 otherwise */
    cJSON *truth;         /* owned by the question until the pipeline takes it */
    /* The labels the answer needs read (MISI_LABEL_KEY of render.h): each
     * must be legible in at least one of the images, or the pipeline makes
     * the question again (src/pipeline/legibility.c). Only tokens the
     * question text does not give. */
    uint32_t need[MISI_Q_MAX_NEED];
    int nneed;
    bool need_overflow; /* more than MISI_Q_MAX_NEED: the check fails, naming it */
} misi_question;

void misi_question_init(misi_question *q);
void misi_question_finish(misi_question *q);

typedef struct misi_task {
    const char *name; /* "translation", ... (docs/dataset.md) */
    int number;       /* 1..9 */
    bool mc;
    /* Questions of this task for a complex and split under the paper preset. */
    int (*paper_count)(const misi_task_env *env, misi_split split);
    /* Make question `index`. rng is seeded for (seed, complex, task, split,
     * index). Returns 0, or MISI_E_INVALID with a reason when the complex
     * cannot give an answerable question after the allowed resamples. */
    int (*make)(const misi_task_env *env, misi_rng *rng, misi_split split, int index, misi_question *q,
                misi_error *err);
    /* Most questions any complex can give per split (0 = no fixed bound):
     * a --count above it is refused before anything is drawn. */
    int max_per_complex;
    /* What `misi tasks` shows (src/cli/cmd_tasks.c reads only this registry). */
    const char *asks;        /* what the question asks, one line */
    const char *answer_form; /* the answer with placeholders, as the prompts give it */
    int images;              /* images per question */
    /* NULL when paper_count ignores the complex (it may then be called with
     * env NULL); otherwise how the paper preset's count follows from it. */
    const char *count_rule;
    /* What a complex needs besides its counts to give questions, NULL when
     * nothing (T5: another complex in its split; T7: a non-covalent ligand). */
    const char *needs;
} misi_task;

/* The registry: T1..T9 in order. */
const misi_task *const *misi_tasks(size_t *count);
const misi_task *misi_task_find(const char *name);

/* Shared helpers for the task files (src/tasks/common.c). */

/* True when every shown atom of req, drawn with its radius, lands inside the
 * image with the geometry's margin. */
bool misi_task_in_frame(const misi_task_env *env, const misi_image_req *req);
/* A request for a canonical view ("front", "left", ...) of a show kind. */
misi_image_req misi_task_canonical(uint8_t complex, misi_show show, const char *view);
/* Frame a complex for the run: the bounding sphere of the shown atoms (with
 * atom radii), grown so the largest transformation of every task still fits
 * (docs/dataset.md "Framing"). */
void misi_task_frame(const misi_complex *cx, const misi_task_geometry *geo, misi_frame *frame,
                     float *px_per_A);
/* Where a displaced ligand atom is drawn: R (p - c_ligand) + c_ligand + T
 * for a ligand_pose (identity = not moved). in and out may alias. */
void misi_task_moved_ligand_point(const misi_pose *pose, const misi_task_complex *tc, const float in[3],
                                  float out[3]);
/* The scale (px per Å) of T7's images: the largest at which the pocket and
 * the ligand under every displacement T7 can draw (each axis, angle and
 * side, the largest gap) fit the front, left and top views about the
 * complex's frame centre, with the in-frame margin. Per complex, never per
 * answer (an image of the pocket alone must not tell the displacement). Set
 * it as px_per_A on every request of a docking question. */
float misi_task_docking_scale(const misi_task_env *env);
/* Frame a set of atoms for its own images (T4): centroid of the ligand's
 * heavy atoms and those of the n pocket residues listed (none when n is 0),
 * radius to the farthest with atom radii and a margin; sets req->framed,
 * req->frame and req->px_per_A for the run's image size. */
void misi_task_frame_residues(const misi_task_env *env, const uint32_t *residues, size_t n,
                              misi_image_req *req);
/* Add a label the answer needs (no-op when it is there already). */
void misi_question_need(misi_question *q, uint32_t key);
/* The labels an H-bond's answer names: the residue (with residue = true),
 * the pocket atom and the ligand atom. */
void misi_question_need_bond(misi_question *q, const misi_hbond *hb, const misi_complex *cx, bool residue);
/* The largest scale (px per Å) at which the whole complex, about its frame
 * centre, fits each of the six canonical views (with the in-frame margin):
 * T8 and T9 show only those, so they need no room for translations. */
float misi_task_six_view_scale(const misi_task_env *env);
/* Append printf text to q->text. */
void misi_question_printf(misi_question *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
