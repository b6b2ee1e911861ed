/* VLMEvalKit TSV (docs/export.md "VLMEvalKit"). The kit types a dataset by
 * its columns: a TSV with A-D columns is multiple choice (scored by the
 * letter), one without is VQA. So each split gives two files,
 * MiSI_<split>_MCQ.tsv (T5, T6, T8) and MiSI_<split>_VQA.tsv (the cloze
 * tasks), each written only when it has a question. The image column holds
 * the PNG in base64, or, for several images, the list form the kit reads
 * (a bracketed list of quoted base64 strings, in the record's order). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pipeline/export_internal.h"

typedef struct tsv_state {
    export_file f[2]; /* MCQ, VQA */
    size_t rows[2];
} tsv_state;

static const char *const KIND[2] = {"MCQ", "VQA"};
static const char *const HEADER[2] = {"index\tid\timage\tquestion\tA\tB\tC\tD\tanswer\tcategory\n",
                                      "index\tid\timage\tquestion\tanswer\tcategory\n"};

/* A TSV field as pandas and Python's csv module read it (QUOTE_MINIMAL with
 * '"' doubled): quoted when it holds a tab, a line break or a quote. */
static int field(export_file *o, const char *s, bool last, misi_error *err)
{
    int rc = MISI_OK;
    if (strpbrk(s, "\t\n\r\"")) {
        rc = export_file_puts(o, "\"", err);
        for (const char *p = s; !rc && *p; p++) {
            const char *q = strchr(p, '"');
            size_t n = q ? (size_t)(q - p) + 1 : strlen(p);
            rc = export_file_write(o, p, n, err);
            if (!rc && q)
                rc = export_file_puts(o, "\"", err); /* the doubled quote */
            p += n - 1;
        }
        if (!rc)
            rc = export_file_puts(o, "\"", err);
    } else {
        rc = export_file_puts(o, s, err);
    }
    return rc ? rc : export_file_puts(o, last ? "\n" : "\t", err);
}

static int tsv_begin(export_ctx *x, const char *split, misi_error *err)
{
    (void)split;
    (void)err;
    if (!x->state && !(x->state = calloc(1, sizeof(tsv_state))))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    return MISI_OK;
}

/* The image column: base64, or ["...", "..."] for several. */
static int image_field(export_file *o, const export_record *r, misi_error *err)
{
    int rc = r->nimg > 1 ? export_file_puts(o, "[", err) : MISI_OK;
    for (size_t i = 0; !rc && i < r->nimg; i++) {
        char *b = export_base64(r->img[i].data, r->img[i].len);
        if (!b)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory encoding %s", r->img[i].path);
        if (r->nimg > 1)
            rc = export_file_puts(o, i ? ", \"" : "\"", err);
        if (!rc)
            rc = export_file_puts(o, b, err);
        if (!rc && r->nimg > 1)
            rc = export_file_puts(o, "\"", err);
        free(b);
    }
    if (!rc && r->nimg > 1)
        rc = export_file_puts(o, "]", err);
    return rc ? rc : export_file_puts(o, "\t", err);
}

static int tsv_record(export_ctx *x, const export_record *r, misi_error *err)
{
    tsv_state *s = x->state;
    int k = r->mc ? 0 : 1;
    export_file *o = &s->f[k];
    int rc = MISI_OK;
    if (!o->f) {
        char rel[64];
        snprintf(rel, sizeof rel, "MiSI_%s_%s.tsv", r->split, KIND[k]);
        rc = export_file_open(x, o, rel, err);
        if (!rc)
            rc = export_file_puts(o, HEADER[k], err);
        if (rc)
            return rc;
    }
    char index[32];
    snprintf(index, sizeof index, "%zu", s->rows[k]++);
    rc = field(o, index, false, err);
    if (!rc)
        rc = field(o, r->id, false, err);
    if (!rc)
        rc = image_field(o, r, err);
    if (!rc)
        rc = field(o, r->question, false, err);
    for (int i = 0; !rc && r->mc && i < 4; i++) {
        /* T5 and T6 options are images: the option names the image the
         * question calls it ("Image 8"), not a file path */
        char name[32];
        const char *v = r->options[i];
        for (size_t j = 0; j < r->nimg; j++) {
            if (!strcmp(r->img[j].path, v)) {
                snprintf(name, sizeof name, "Image %zu", j + 1);
                v = name;
                break;
            }
        }
        rc = field(o, v, false, err);
    }
    if (!rc)
        rc = field(o, r->answer, false, err);
    if (!rc)
        rc = field(o, r->task, true, err);
    return rc;
}

static int tsv_end(export_ctx *x, const char *split, misi_error *err)
{
    (void)split;
    tsv_state *s = x->state;
    int rc = MISI_OK;
    for (int k = 0; k < 2; k++) {
        int r2 = export_file_close(&s->f[k], err);
        rc = rc ? rc : r2;
        s->rows[k] = 0;
    }
    return rc;
}

static void tsv_destroy(export_ctx *x)
{
    tsv_state *s = x->state;
    for (int k = 0; s && k < 2; k++)
        export_file_drop(&s->f[k]);
    free(s);
    x->state = NULL;
}

const export_writer export_vlmevalkit_writer = {
    .split_begin = tsv_begin,
    .record = tsv_record,
    .split_end = tsv_end,
    .destroy = tsv_destroy,
};
