/* misi bench: render and write N images of one complex and time every stage
 * of the pipeline separately (docs/performance.md). A benchmark, not a test:
 * it reports figures and asserts nothing about them. */
#ifndef MISI_BENCH_H
#define MISI_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "misi/error.h"
#include "misi/png.h"
#include "misi/render.h"

/* Zero means default everywhere. */
typedef struct misi_bench_config {
    const char *complex_dir; /* PDBbind folder; NULL = misi_bench_default_complex */
    const char *out_dir;     /* where the PNGs go (must exist); required */
    int n;                   /* images; 0 = 200 */
    int width, height;       /* 0 = 512 */
    misi_style style;
    misi_labels labels;      /* 0 = on */
    const char *font_path;   /* label font; NULL = the renderer's default */
    int aa;                  /* 0 = renderer default */
    int batch;               /* most views per batch; 0 = automatic */
    int threads;             /* writer threads; 0 = online CPUs */
    int device;              /* EGL device; 0 = automatic */
    bool skip_qa;            /* do not time the task generator */
    bool inline_layout;      /* lay the labels out on the render thread (as before the layout pool) */
    /* misi_bench_ceiling only */
    int distinct;            /* pre-rendered images cycled through; 0 = 32 */
    int images_per_complex;  /* QA runs once per this many images; 0 = 151 (paper: 602,870 / 3,993) */
    bool tar;                /* write tar shards (an ordered sink) instead of one file per image */
    bool drain;              /* wait for the pool to empty after each complex, as misi generate does */
    misi_png_config png;     /* the writer pool's encoder settings (zero = misi generate's defaults) */
} misi_bench_config;

/* Seconds are wall time unless named cpu. */
typedef struct misi_bench_report {
    char complex_id[64];
    uint32_t pocket_atoms, ligand_atoms; /* as loaded (hydrogens included) */
    uint32_t scene_atoms, scene_bonds, scene_labels;
    size_t images;
    int width, height, aa, batch_size, batches, threads;
    double load_s;       /* read pocket + ligand, bonds, H-bonds */
    double scene_s;      /* misi_scene_create */
    double upload_s;     /* first single-view render (shader/scene upload, framebuffers) minus a warm one */
    double render_s;     /* misi_render_views minus the time in its callback: render + readback */
    double draw_s;       /* of render_s: drawing and waiting on the device (render_s - readback_s) */
    double readback_s;   /* of render_s: mapping the readback buffers and converting tiles to RGB */
    double callback_s;   /* time in the per-image callback (copy into the pool + blocking) */
    double encode_s;     /* writer pool: seconds in the PNG encoder, all threads */
    double write_s;      /* writer pool: seconds in the sink (file writes), all threads */
    double submit_wait_s; /* producer blocked on a full pool */
    double drain_s;      /* misi_writer_pool_finish after the last image was handed over */
    double qa_s;         /* the nine tasks' make() for the complex (no rendering) */
    int qa_questions;
    double total_s;      /* render loop start to last file written (images/s uses this) */
    double cpu_s;        /* process CPU time over the same interval (all threads) */
    double render_thread_cpu_s; /* CPU time of the render thread in misi_render_views (callback included) */
    int layout_threads;  /* label layout threads beside the render thread (0: laid out on it) */
    double images_per_s;
    uint64_t bytes_out;
    long peak_rss_kb;    /* getrusage ru_maxrss of the process */
    char device[160];    /* GL renderer string */
    bool software;
    /* misi_bench_ceiling: CPU seconds (thread CPU time) summed over the run */
    double prerender_s;     /* wall time drawing the distinct images (not in total_s) */
    int distinct, images_per_complex, qa_runs;
    bool tar;
    double qa_cpu_s;        /* producer: the task generator, once per images_per_complex */
    double handoff_cpu_s;   /* producer: copying each image into the pool (and waiting, which costs none) */
    double encode_cpu_s;    /* writers: PNG encoding */
    double hash_cpu_s;      /* writers: SHA-256 of each file, as misi generate records it */
    double write_cpu_s;     /* writers: creating and writing files (or tar members), minus hashing */
    bool drain;
    double drain_wait_s;    /* producer wall time blocked in the per-complex drains */
} misi_bench_report;

/* The complex with the most pocket atoms among the folders of assets_dir;
 * writes its folder path into out. */
int misi_bench_default_complex(const char *assets_dir, char *out, size_t cap, misi_error *err);

/* Run the benchmark. Images are written to cfg->out_dir/bench-NNNNNN.png. */
int misi_bench_run(const misi_bench_config *cfg, misi_bench_report *rep, misi_error *err);

/* The CPU-side ceiling: what a machine whose GPU draws for free could write.
 * cfg->distinct views are drawn first (not timed); then N images cycle
 * through them, through everything misi generate does on the CPU per image
 * but drawing and readback: the task generator (once per
 * images_per_complex images, on the producer thread, as generate runs it
 * per complex), the copy into the writer pool, PNG encoding, SHA-256, and
 * the atomic file writes into one folder per "complex"
 * (cfg->out_dir/ceiling/cNNNNNN/) or, with cfg->tar, tar members appended in
 * submission order to shards of 10,000 (cfg->out_dir/ceiling/shards/).
 * With cfg->drain the producer also waits for the pool to empty after each
 * complex's images, as misi generate's per-complex part does. */
int misi_bench_ceiling(const misi_bench_config *cfg, misi_bench_report *rep, misi_error *err);

#endif
