/* misi bench: time every stage of the pipeline on N images of one complex
 * and print the figures (text or --json). docs/performance.md. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "misi/bench.h"
#include "misi/fs.h"
#include "misi/sha256.h"
#include "misi_config.h"

#define DEFAULT_ASSETS "assets/complexes"

static void usage(FILE *f)
{
    fprintf(f, "usage: misi bench [options]\n"
               "\n"
               "Renders and writes N images of one complex (a deterministic spread of poses)\n"
               "through the renderer and the writer pool, as misi generate does, and prints\n"
               "the time of every stage, images/s end to end, peak memory and the device.\n"
               "\n"
               "options:\n"
               "  --complex DIR   PDBbind folder (default: the asset with the largest pocket)\n"
               "  -n N            images (default 200)\n"
               "  --size N|WxH    image size (default 512)\n"
               "  --style S       ball-and-stick (default) | stick | spacefill\n"
               "  --labels on|off labels (default on)\n"
               "  --font PATH     TrueType font for labels (default DejaVu Sans)\n"
               "  --aa N          supersampling factor (default 2)\n"
               "  --batch N       most views per render batch (default automatic)\n"
               "  --threads N     PNG writer threads (default: CPUs)\n"
               "  --device N      EGL device as numbered by 'misi info'\n"
               "  --out DIR       write the images here (default: a temporary folder, removed)\n"
               "  --keep          keep the temporary folder\n"
               "  --no-qa         skip timing the task generator\n"
               "  --inline-layout lay the labels out on the render thread (as before the\n"
               "                  layout pool), to compare\n"
               "\n"
               "CPU-side ceiling (what a node whose GPU draws for free could write):\n"
               "  --ceiling       draw --distinct views once, then time everything but drawing\n"
               "                  on N images (default 2000) cycling through them: task\n"
               "                  generator, copy into the pool, PNG encode, SHA-256, writes;\n"
               "                  CPU ms/image per stage, images/s, per core, 16-core projection\n"
               "  --distinct N    pre-rendered images (default 32)\n"
               "  --per-complex N images per complex: the task generator runs once per N\n"
               "                  (default 151, the paper's 602,870 images / 3,993 complexes)\n"
               "  --format F      files (default) | tar: tar shards through an ordered sink\n"
               "  --png E         PNG encoder: libdeflate (default) | zlib (libpng + zlib level 1,\n"
               "                  the encoder before issue 19)\n"
               "  --sha S         SHA-256: auto (default: SHA-NI when the CPU has it) | portable\n"
               "  --drain         wait for the pool to empty after each complex (misi generate's\n"
               "                  per-complex part), and report the time the producer waited\n"
               "  --json          one JSON object instead of text\n"
               "  -h, --help      this text\n");
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

/* Remove what the run wrote into a temporary folder, then the folder. */
static void remove_bench_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strncmp(e->d_name, "bench-", 6)) {
            char *p = misi_path_join(dir, e->d_name);
            if (p)
                unlink(p);
            free(p);
        }
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static void print_json(const misi_bench_report *r, const char *complex_dir)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "complex", r->complex_id);
    cJSON_AddStringToObject(o, "complex_dir", complex_dir);
    cJSON_AddNumberToObject(o, "pocket_atoms", r->pocket_atoms);
    cJSON_AddNumberToObject(o, "ligand_atoms", r->ligand_atoms);
    cJSON_AddNumberToObject(o, "scene_atoms", r->scene_atoms);
    cJSON_AddNumberToObject(o, "scene_bonds", r->scene_bonds);
    cJSON_AddNumberToObject(o, "scene_labels", r->scene_labels);
    cJSON_AddNumberToObject(o, "images", (double)r->images);
    cJSON_AddNumberToObject(o, "width", r->width);
    cJSON_AddNumberToObject(o, "height", r->height);
    cJSON_AddNumberToObject(o, "aa", r->aa);
    cJSON_AddNumberToObject(o, "batch_size", r->batch_size);
    cJSON_AddNumberToObject(o, "batches", r->batches);
    cJSON_AddNumberToObject(o, "threads", r->threads);
    cJSON *st = cJSON_AddObjectToObject(o, "stages");
    cJSON_AddNumberToObject(st, "load_s", r->load_s);
    cJSON_AddNumberToObject(st, "scene_s", r->scene_s);
    cJSON_AddNumberToObject(st, "upload_s", r->upload_s);
    cJSON_AddNumberToObject(st, "render_readback_s", r->render_s);
    cJSON_AddNumberToObject(st, "render_s", r->draw_s);
    cJSON_AddNumberToObject(st, "readback_s", r->readback_s);
    cJSON_AddNumberToObject(st, "callback_s", r->callback_s);
    cJSON_AddNumberToObject(st, "encode_s", r->encode_s);
    cJSON_AddNumberToObject(st, "write_s", r->write_s);
    cJSON_AddNumberToObject(st, "submit_wait_s", r->submit_wait_s);
    cJSON_AddNumberToObject(st, "drain_s", r->drain_s);
    cJSON_AddNumberToObject(st, "qa_s", r->qa_s);
    cJSON_AddNumberToObject(o, "qa_questions", r->qa_questions);
    cJSON_AddNumberToObject(o, "total_s", r->total_s);
    cJSON_AddNumberToObject(o, "cpu_s", r->cpu_s);
    cJSON_AddNumberToObject(o, "render_thread_cpu_s", r->render_thread_cpu_s);
    cJSON_AddNumberToObject(o, "layout_threads", r->layout_threads);
    cJSON_AddNumberToObject(o, "images_per_s", r->images_per_s);
    cJSON_AddNumberToObject(o, "bytes_out", (double)r->bytes_out);
    cJSON_AddNumberToObject(o, "peak_rss_kb", (double)r->peak_rss_kb);
    cJSON_AddStringToObject(o, "device", r->device);
    cJSON_AddBoolToObject(o, "software", r->software);
    char *s = cJSON_Print(o);
    if (s)
        printf("%s\n", s);
    cJSON_free(s);
    cJSON_Delete(o);
}

/* The ceiling's derived figures: CPU ms per image by thread role, and what
 * C cores could do if nothing serialized (the producer thread is one core
 * and caps the rate on its own). */
typedef struct ceiling_figures {
    double producer_ms, writer_ms, stages_ms, process_ms, per_core, producer_cap, at16;
} ceiling_figures;

static ceiling_figures ceiling_derive(const misi_bench_report *r)
{
    double n = r->images ? (double)r->images : 1.0;
    ceiling_figures f;
    f.producer_ms = 1e3 * (r->qa_cpu_s + r->handoff_cpu_s) / n;
    f.writer_ms = 1e3 * (r->encode_cpu_s + r->hash_cpu_s + r->write_cpu_s) / n;
    f.stages_ms = f.producer_ms + f.writer_ms;
    f.process_ms = 1e3 * r->cpu_s / n;
    f.per_core = f.process_ms > 0 ? 1e3 / f.process_ms : 0.0;
    f.producer_cap = f.producer_ms > 0 ? 1e3 / f.producer_ms : 0.0;
    f.at16 = 16.0 * f.per_core;
    if (f.producer_cap > 0 && f.at16 > f.producer_cap)
        f.at16 = f.producer_cap;
    return f;
}

/* What the ceiling ran with, for the reports: --png and --sha. */
static const char *ceiling_png = "libdeflate", *ceiling_sha = "auto";

static void print_ceiling_json(const misi_bench_report *r, const char *complex_dir)
{
    ceiling_figures f = ceiling_derive(r);
    double n = r->images ? (double)r->images : 1.0;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "mode", "ceiling");
    cJSON_AddStringToObject(o, "complex", r->complex_id);
    cJSON_AddStringToObject(o, "complex_dir", complex_dir);
    cJSON_AddNumberToObject(o, "images", (double)r->images);
    cJSON_AddNumberToObject(o, "distinct", r->distinct);
    cJSON_AddNumberToObject(o, "images_per_complex", r->images_per_complex);
    cJSON_AddNumberToObject(o, "qa_runs", r->qa_runs);
    cJSON_AddNumberToObject(o, "qa_questions", r->qa_questions);
    cJSON_AddNumberToObject(o, "width", r->width);
    cJSON_AddNumberToObject(o, "height", r->height);
    cJSON_AddNumberToObject(o, "threads", r->threads);
    cJSON_AddStringToObject(o, "format", r->tar ? "tar" : "files");
    cJSON_AddStringToObject(o, "png", ceiling_png);
    cJSON_AddStringToObject(o, "sha256", ceiling_sha);
    cJSON_AddNumberToObject(o, "prerender_s", r->prerender_s);
    cJSON *st = cJSON_AddObjectToObject(o, "cpu_ms_per_image");
    cJSON_AddNumberToObject(st, "qa", 1e3 * r->qa_cpu_s / n);
    cJSON_AddNumberToObject(st, "handoff", 1e3 * r->handoff_cpu_s / n);
    cJSON_AddNumberToObject(st, "encode", 1e3 * r->encode_cpu_s / n);
    cJSON_AddNumberToObject(st, "hash", 1e3 * r->hash_cpu_s / n);
    cJSON_AddNumberToObject(st, "write", 1e3 * r->write_cpu_s / n);
    cJSON_AddNumberToObject(st, "producer", f.producer_ms);
    cJSON_AddNumberToObject(st, "writers", f.writer_ms);
    cJSON_AddNumberToObject(st, "stages", f.stages_ms);
    cJSON_AddNumberToObject(st, "process", f.process_ms);
    cJSON_AddNumberToObject(o, "total_s", r->total_s);
    cJSON_AddNumberToObject(o, "cpu_s", r->cpu_s);
    cJSON_AddNumberToObject(o, "render_thread_cpu_s", r->render_thread_cpu_s);
    cJSON_AddNumberToObject(o, "layout_threads", r->layout_threads);
    cJSON_AddNumberToObject(o, "images_per_s", r->images_per_s);
    cJSON_AddNumberToObject(o, "images_per_s_per_thread", r->threads ? r->images_per_s / r->threads : 0.0);
    cJSON_AddNumberToObject(o, "images_per_cpu_s", f.per_core);
    cJSON_AddNumberToObject(o, "producer_cap_images_per_s", f.producer_cap);
    cJSON_AddNumberToObject(o, "projected_16_cores_images_per_s", f.at16);
    cJSON_AddNumberToObject(o, "submit_wait_s", r->submit_wait_s);
    cJSON_AddBoolToObject(o, "drain", r->drain);
    cJSON_AddNumberToObject(o, "drain_wait_s", r->drain_wait_s);
    cJSON_AddNumberToObject(o, "bytes_out", (double)r->bytes_out);
    cJSON_AddNumberToObject(o, "peak_rss_kb", (double)r->peak_rss_kb);
    cJSON_AddStringToObject(o, "device", r->device);
    char *s = cJSON_Print(o);
    if (s)
        printf("%s\n", s);
    cJSON_free(s);
    cJSON_Delete(o);
}

static void print_ceiling_text(const misi_bench_report *r)
{
    ceiling_figures f = ceiling_derive(r);
    double n = r->images ? (double)r->images : 1.0;
    printf("CPU-side ceiling: complex %s, %zu images of %dx%d (%d distinct, drawn first in %.2f s on %s)\n",
           r->complex_id, r->images, r->width, r->height, r->distinct, r->prerender_s, r->device);
    printf("%d writer threads + 1 producer, %s; task generator once per %d images (%d runs, %d questions)\n",
           r->threads, r->tar ? "tar shards (ordered sink)" : "one file per image", r->images_per_complex,
           r->qa_runs, r->qa_questions);
    printf("PNG encoder %s, SHA-256 %s\n\n", ceiling_png, ceiling_sha);
    printf("%-34s %12s  %s\n", "stage", "CPU ms/image", "thread");
    printf("%-34s %12.3f  %s\n", "QA (task make functions)", 1e3 * r->qa_cpu_s / n, "producer");
    printf("%-34s %12.3f  %s\n", "hand-off (copy into the pool)", 1e3 * r->handoff_cpu_s / n, "producer");
    printf("%-34s %12.3f  %s\n", "PNG encode", 1e3 * r->encode_cpu_s / n, "writers");
    printf("%-34s %12.3f  %s\n", "SHA-256", 1e3 * r->hash_cpu_s / n, "writers");
    printf("%-34s %12.3f  %s\n", r->tar ? "write (tar members)" : "write (create, write, rename)",
           1e3 * r->write_cpu_s / n, "writers");
    printf("%-34s %12.3f  (producer %.3f, writers %.3f)\n", "sum of stages", f.stages_ms, f.producer_ms,
           f.writer_ms);
    printf("%-34s %12.3f  (all threads, with the pool's bookkeeping)\n", "process CPU", f.process_ms);
    printf("\nend to end: %.3f s wall, %.3f s CPU, %.1f images/s (%.1f per writer thread); %.1f KiB/image\n",
           r->total_s, r->cpu_s, r->images_per_s, r->threads ? r->images_per_s / r->threads : 0.0,
           (double)r->bytes_out / 1024.0 / n);
    if (r->drain)
        printf("per-complex drains: the producer waited %.3f s in all (%.2f ms per complex)\n", r->drain_wait_s,
               r->qa_runs > 1 ? 1e3 * r->drain_wait_s / (r->qa_runs - 1) : 0.0);
    printf("per core: %.0f images per CPU second; the producer alone caps at %.0f images/s\n", f.per_core,
           f.producer_cap);
    printf("projected at 16 cores (if nothing else serializes): %.0f images/s\n", f.at16);
}

static void print_text(const misi_bench_report *r)
{
    double n = r->images ? (double)r->images : 1.0;
    printf("complex %s: %u pocket + %u ligand atoms; scene %u atoms, %u bonds, %u labels\n", r->complex_id,
           r->pocket_atoms, r->ligand_atoms, r->scene_atoms, r->scene_bonds, r->scene_labels);
    printf("%zu images of %dx%d, aa %d, batches of %d (%d), %d writer threads, ", r->images, r->width,
           r->height, r->aa, r->batch_size, r->batches, r->threads);
    if (r->layout_threads)
        printf("labels laid out on %d threads beside the render thread\n", r->layout_threads);
    else
        printf("labels laid out on the render thread\n");
    printf("device: %s%s\n\n", r->device, r->software ? " (software)" : "");
    printf("%-26s %10s %12s\n", "stage", "seconds", "ms/image");
    printf("%-26s %10.4f %12s\n", "load (read+bonds+H-bonds)", r->load_s, "-");
    printf("%-26s %10.4f %12s\n", "QA (task make functions)", r->qa_s, "-");
    printf("%-26s %10.4f %12s\n", "scene build", r->scene_s, "-");
    printf("%-26s %10.4f %12s\n", "upload (first render)", r->upload_s, "-");
    printf("%-26s %10.4f %12.3f\n", "render+readback", r->render_s, 1e3 * r->render_s / n);
    printf("%-26s %10.4f %12.3f\n", "  render (draw + wait)", r->draw_s, 1e3 * r->draw_s / n);
    printf("%-26s %10.4f %12.3f\n", "  readback (map + copy)", r->readback_s, 1e3 * r->readback_s / n);
    printf("%-26s %10.4f %12.3f\n", "hand-off (copy+wait)", r->callback_s, 1e3 * r->callback_s / n);
    printf("%-26s %10.4f %12.3f\n", "render thread CPU", r->render_thread_cpu_s,
           1e3 * r->render_thread_cpu_s / n);
    printf("%-26s %10.4f %12.3f\n", "  of which pool full", r->submit_wait_s, 1e3 * r->submit_wait_s / n);
    printf("%-26s %10.4f %12.3f\n", "PNG encode (thread-s)", r->encode_s, 1e3 * r->encode_s / n);
    printf("%-26s %10.4f %12.3f\n", "write (thread-s)", r->write_s, 1e3 * r->write_s / n);
    printf("%-26s %10.4f %12s\n", "drain after last image", r->drain_s, "-");
    printf("\nend to end: %.3f s wall, %.3f s CPU, %.1f images/s; %d questions; %.1f KiB/image; peak RSS %ld MiB\n",
           r->total_s, r->cpu_s, r->images_per_s, r->qa_questions, (double)r->bytes_out / 1024.0 / n,
           r->peak_rss_kb / 1024);
}

int cmd_bench(int argc, char **argv)
{
    misi_bench_config cfg = {0};
    const char *out = NULL;
    bool keep = false, json = false, ceiling = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *expect = "see --help";
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return MISI_EXIT_OK;
        } else if (!strcmp(a, "--keep")) {
            keep = true;
            takes = false;
        } else if (!strcmp(a, "--json")) {
            json = true;
            takes = false;
        } else if (!strcmp(a, "--ceiling")) {
            ceiling = true;
            takes = false;
        } else if (!strcmp(a, "--drain")) {
            cfg.drain = true;
            takes = false;
        } else if (!strcmp(a, "--no-qa")) {
            cfg.skip_qa = true;
            takes = false;
        } else if (!strcmp(a, "--inline-layout")) {
            cfg.inline_layout = true;
            takes = false;
        } else if (!v) {
            fprintf(stderr, "misi bench: %s needs a value (or is unknown; see --help)\n", a);
            return MISI_EXIT_USAGE;
        } else if (!strcmp(a, "--complex")) {
            cfg.complex_dir = v;
        } else if (!strcmp(a, "-n")) {
            expect = "1..10000000";
            if (!parse_int(v, 1, 10000000, &cfg.n))
                goto bad;
        } else if (!strcmp(a, "--size")) {
            int w, h;
            expect = "N (1..16384) or WxH";
            if (sscanf(v, "%dx%d", &w, &h) == 2 && w > 0 && h > 0 && w <= 16384 && h <= 16384) {
                cfg.width = w;
                cfg.height = h;
            } else if (parse_int(v, 1, 16384, &w)) {
                cfg.width = cfg.height = w;
            } else
                goto bad;
        } else if (!strcmp(a, "--style")) {
            expect = "ball-and-stick, stick or spacefill";
            if (misi_style_from_name(v, &cfg.style))
                goto bad;
        } else if (!strcmp(a, "--labels")) {
            expect = "on or off";
            if (!strcmp(v, "on"))
                cfg.labels = MISI_LABELS_ON;
            else if (!strcmp(v, "off"))
                cfg.labels = MISI_LABELS_OFF;
            else
                goto bad;
        } else if (!strcmp(a, "--font")) {
            cfg.font_path = v;
        } else if (!strcmp(a, "--aa")) {
            expect = "1..8";
            if (!parse_int(v, 1, 8, &cfg.aa))
                goto bad;
        } else if (!strcmp(a, "--batch")) {
            expect = "1..4096";
            if (!parse_int(v, 1, 4096, &cfg.batch))
                goto bad;
        } else if (!strcmp(a, "--threads")) {
            expect = "1..256";
            if (!parse_int(v, 1, 256, &cfg.threads))
                goto bad;
        } else if (!strcmp(a, "--device")) {
            expect = "1..16, a device as 'misi info' lists it";
            if (!parse_int(v, 1, 16, &cfg.device))
                goto bad;
        } else if (!strcmp(a, "--distinct")) {
            expect = "1..4096";
            if (!parse_int(v, 1, 4096, &cfg.distinct))
                goto bad;
        } else if (!strcmp(a, "--per-complex")) {
            expect = "1..10000000";
            if (!parse_int(v, 1, 10000000, &cfg.images_per_complex))
                goto bad;
        } else if (!strcmp(a, "--png")) {
            expect = "zlib or libdeflate";
            if (!strcmp(v, "zlib"))
                cfg.png.encoder = MISI_PNG_ENCODER_LIBPNG;
            else if (!strcmp(v, "libdeflate"))
                cfg.png.encoder = MISI_PNG_ENCODER_LIBDEFLATE;
            else
                goto bad;
            ceiling_png = cfg.png.encoder == MISI_PNG_ENCODER_LIBPNG ? "zlib" : "libdeflate";
        } else if (!strcmp(a, "--sha")) {
            expect = "auto or portable";
            if (!strcmp(v, "portable"))
                misi_sha256_use_hardware(false);
            else if (strcmp(v, "auto"))
                goto bad;
            ceiling_sha = !strcmp(v, "portable") ? "portable" : "auto";
        } else if (!strcmp(a, "--format")) {
            expect = "files or tar";
            if (!strcmp(v, "tar"))
                cfg.tar = true;
            else if (strcmp(v, "files"))
                goto bad;
        } else if (!strcmp(a, "--out")) {
            out = v;
        } else {
            fprintf(stderr, "misi bench: unknown option '%s'\n", a);
            usage(stderr);
            return MISI_EXIT_USAGE;
        }
        if (takes)
            i++;
        continue;
    bad:
        return cli_bad_value("bench", a, v, expect);
    }
    if (cfg.font_path && !cli_font_ok("bench", cfg.font_path))
        return MISI_EXIT_USAGE;

    misi_error err = {0};
    char complex_dir[4096];
    if (!cfg.complex_dir) {
        const char *assets = misi_is_dir(DEFAULT_ASSETS) ? DEFAULT_ASSETS : MISI_SOURCE_ROOT "/" DEFAULT_ASSETS;
        if (misi_bench_default_complex(assets, complex_dir, sizeof complex_dir, &err)) {
            fprintf(stderr, "misi bench: %s\n", err.msg);
            return MISI_EXIT_FAIL;
        }
        cfg.complex_dir = complex_dir;
    }
    char tmp[4096];
    bool temporary = !out;
    if (temporary) {
        const char *base = getenv("TMPDIR");
        snprintf(tmp, sizeof tmp, "%s/misi-bench-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(tmp)) {
            perror("misi bench: cannot make a temporary folder");
            return MISI_EXIT_FAIL;
        }
        out = tmp;
    } else if (misi_mkdir_p(out, &err)) {
        fprintf(stderr, "misi bench: %s\n", err.msg);
        return MISI_EXIT_FAIL;
    }
    cfg.out_dir = out;
    misi_bench_report rep;
    int rc = ceiling ? misi_bench_ceiling(&cfg, &rep, &err) : misi_bench_run(&cfg, &rep, &err);
    if (temporary && !keep) {
        char *c = misi_path_join(out, "ceiling");
        if (c)
            misi_remove_tree(c);
        free(c);
        remove_bench_dir(out);
    }
    else if (!json)
        fprintf(stderr, "misi bench: images kept in %s\n", out);
    if (rc) {
        fprintf(stderr, "misi bench: %s\n", err.msg);
        return MISI_EXIT_FAIL;
    }
    if (ceiling && json)
        print_ceiling_json(&rep, cfg.complex_dir);
    else if (ceiling)
        print_ceiling_text(&rep);
    else if (json)
        print_json(&rep, cfg.complex_dir);
    else
        print_text(&rep);
    return MISI_EXIT_OK;
}
