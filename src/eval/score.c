/* misi score: read a gold QA file and a predictions file, score every
 * question by its task's rule (misi/score.h, docs/scoring.md) and report per
 * task, the headline average and the exact-match table. */
#include "misi/score.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "misi/fs.h"
#include "misi/rng.h"

#include "eval/lines.h"

/* Predictions and gold files can be large (163k questions with prose). */
#define SCORE_MAX_FILE_BYTES ((size_t)2 << 30)

/* ---- string lists ---- */

static int strlist_push(misi_strlist *l, const char *s)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        if (cap > SIZE_MAX / sizeof *l->items)
            return MISI_E_NOMEM;
        char **v = realloc(l->items, cap * sizeof *v);
        if (!v)
            return MISI_E_NOMEM;
        l->items = v;
        l->cap = cap;
    }
    char *c = strdup(s);
    if (!c)
        return MISI_E_NOMEM;
    l->items[l->count++] = c;
    return MISI_OK;
}

static void strlist_finish(misi_strlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- lines ---- */

/* ---- gold ---- */

void misi_gold_finish(misi_gold *g)
{
    for (size_t i = 0; i < g->count; i++) {
        misi_gold_item *it = &g->items[i];
        free(it->id);
        free(it->split);
        misi_answer_finish(&it->truth);
        for (int o = 0; o < 4; o++)
            free(it->options[o]);
        free(it->image_letters);
    }
    free(g->items);
    free(g->slots);
    memset(g, 0, sizeof *g);
}

long misi_gold_find(const misi_gold *g, const char *id)
{
    if (!g->nslots)
        return -1;
    size_t mask = g->nslots - 1;
    for (size_t s = (size_t)misi_hash64(id) & mask;; s = (s + 1) & mask) {
        size_t v = g->slots[s];
        if (!v)
            return -1;
        if (!strcmp(g->items[v - 1].id, id))
            return (long)(v - 1);
    }
}

/* Insert item i into the index; returns the index of an item with the same
 * id instead, or -1 when inserted. */
static long index_insert(misi_gold *g, size_t i)
{
    size_t mask = g->nslots - 1;
    for (size_t s = (size_t)misi_hash64(g->items[i].id) & mask;; s = (s + 1) & mask) {
        size_t v = g->slots[s];
        if (!v) {
            g->slots[s] = i + 1;
            return -1;
        }
        if (!strcmp(g->items[v - 1].id, g->items[i].id))
            return (long)(v - 1);
    }
}

/* Width of a [lo, hi] array, or def when absent; -1 when malformed. */
static double range_width(const cJSON *r, double def)
{
    if (!r || cJSON_IsNull(r)) /* absent, or null in the fixed truth shape */
        return def;
    if (!cJSON_IsArray(r) || cJSON_GetArraySize(r) != 2)
        return -1;
    const cJSON *lo = cJSON_GetArrayItem(r, 0), *hi = cJSON_GetArrayItem(r, 1);
    if (!cJSON_IsNumber(lo) || !cJSON_IsNumber(hi) || !(hi->valuedouble > lo->valuedouble))
        return -1;
    return hi->valuedouble - lo->valuedouble;
}

static const char *gold_answer_shape(int task)
{
    switch (task) {
    case MISI_TASK_TRANSLATION:
        return "'move x|y <Å>'";
    case MISI_TASK_ROTATION:
        return "'roll x|y|z <degrees>'";
    case MISI_TASK_ZOOMING:
        return "'move z <Å>'";
    case MISI_TASK_RESIDUE_LIGAND:
        return "'No' or 'Yes: RES ATOM, LIGATOM; ...'";
    case MISI_TASK_DOCKING:
        return "'roll <axis> <degrees>, move <axis> <Å>'";
    case MISI_TASK_POCKET_LIGAND:
        return "'RES NUM ATOM CHAIN, LIGATOM; ...'";
    default:
        return "a letter A-D";
    }
}

/* Does a parsed gold answer have its task's shape? */
static bool gold_answer_ok(int task, const misi_answer *a)
{
    switch (task) {
    case MISI_TASK_TRANSLATION:
        return a->kind == MISI_ANSWER_OPS && a->nops == 1 && a->ops[0].kind == MISI_OP_MOVE &&
               a->ops[0].axis != MISI_AXIS_Z;
    case MISI_TASK_ROTATION:
        return a->kind == MISI_ANSWER_OPS && a->nops == 1 && a->ops[0].kind == MISI_OP_ROLL;
    case MISI_TASK_ZOOMING:
        return a->kind == MISI_ANSWER_OPS && a->nops == 1 && a->ops[0].kind == MISI_OP_MOVE &&
               a->ops[0].axis == MISI_AXIS_Z;
    case MISI_TASK_DOCKING:
        return a->kind == MISI_ANSWER_OPS && a->nops == 2 && a->ops[0].kind != a->ops[1].kind;
    case MISI_TASK_RESIDUE_LIGAND:
        return a->kind == MISI_ANSWER_NO || (a->kind == MISI_ANSWER_BONDS && a->nbonds > 0);
    case MISI_TASK_POCKET_LIGAND:
        return a->kind == MISI_ANSWER_BONDS && a->nbonds > 0;
    default:
        return a->kind == MISI_ANSWER_LETTER;
    }
}

static int gold_push(misi_gold *g, misi_gold_item **out)
{
    if (g->count == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 64;
        if (cap > SIZE_MAX / sizeof *g->items)
            return MISI_E_NOMEM;
        misi_gold_item *v = realloc(g->items, cap * sizeof *v);
        if (!v)
            return MISI_E_NOMEM;
        g->items = v;
        g->cap = cap;
    }
    *out = &g->items[g->count++];
    memset(*out, 0, sizeof **out);
    return MISI_OK;
}

/* The answer of a bond task must list exactly truth.bonds: a check that the
 * generator's syntax and this parser agree (atom names the parser cannot
 * read would otherwise be scored silently wrong). */
static int check_bonds(const misi_gold_item *it, const cJSON *bonds, const char *origin, long line,
                       misi_error *err)
{
    size_t n = (size_t)cJSON_GetArraySize(bonds);
    size_t have = it->truth.kind == MISI_ANSWER_BONDS ? it->truth.nbonds : 0;
    if (n != have)
        return misi_error_at(err, MISI_E_PARSE, origin, line,
                             "record '%s': the answer lists %zu bonds but truth.bonds has %zu", it->id, have,
                             n);
    size_t k = 0;
    const cJSON *b;
    cJSON_ArrayForEach(b, bonds)
    {
        k++;
        const cJSON *num = cJSON_GetObjectItemCaseSensitive(b, "number");
        misi_answer_bond want;
        bool found = false;
        if (misi_answer_bond_set(&want, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "residue")),
                                 cJSON_IsNumber(num) ? num->valueint : 0,
                                 cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "icode")),
                                 cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "chain")),
                                 cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "residue_atom")),
                                 cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "ligand_atom"))) ==
            MISI_OK)
            for (size_t i = 0; i < have && !found; i++)
                found = misi_answer_bond_equal(it->task, &want, &it->truth.bonds[i]);
        if (!found)
            return misi_error_at(err, MISI_E_PARSE, origin, line,
                                 "record '%s': truth.bonds[%zu] is not in the answer as read", it->id, k - 1);
    }
    return MISI_OK;
}

/* T5, T6: which option each entry of "images" shows (misi_gold_item). A
 * record without image options, or whose "images" does not list them, keeps
 * letters only; that is not an error (the answer is still a letter). */
static int image_options(misi_gold_item *it, const cJSON *o)
{
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(o, "options");
    const cJSON *images = cJSON_GetObjectItemCaseSensitive(o, "images");
    if (!cJSON_IsObject(opts) || !cJSON_IsArray(images))
        return MISI_OK;
    const char *path[4];
    for (int k = 0; k < 4; k++) {
        const char key[2] = {(char)('A' + k), 0};
        path[k] = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(opts, key));
    }
    int n = cJSON_GetArraySize(images);
    if (n <= 0)
        return MISI_OK;
    char *letters = calloc((size_t)n, 1);
    if (!letters)
        return MISI_E_NOMEM;
    bool any = false;
    size_t i = 0;
    const cJSON *img;
    cJSON_ArrayForEach(img, images)
    {
        const char *p = cJSON_GetStringValue(img);
        int matches = 0;
        char letter = 0;
        for (int k = 0; p && k < 4; k++)
            if (path[k] && !strcmp(p, path[k])) {
                letter = (char)('A' + k);
                matches++;
            }
        letters[i] = matches == 1 ? letter : 0; /* two options with one path: neither */
        any |= letters[i] != 0;
        i++;
    }
    if (!any) {
        free(letters);
        return MISI_OK;
    }
    it->image_letters = letters;
    it->nimages = i;
    return MISI_OK;
}

/* One gold record into a new item. */
static int gold_record(misi_gold *g, const cJSON *o, const char *origin, long line, misi_error *err)
{
    if (!cJSON_IsObject(o))
        return misi_error_at(err, MISI_E_PARSE, origin, line, "expected a JSON object (one QA record)");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    const cJSON *task = cJSON_GetObjectItemCaseSensitive(o, "task");
    const cJSON *split = cJSON_GetObjectItemCaseSensitive(o, "split");
    const cJSON *answer = cJSON_GetObjectItemCaseSensitive(o, "answer");
    const cJSON *truth = cJSON_GetObjectItemCaseSensitive(o, "truth");
    if (!cJSON_IsString(id) || !id->valuestring[0])
        return misi_error_at(err, MISI_E_PARSE, origin, line, "record has no \"id\" string");
    if (!cJSON_IsString(task))
        return misi_error_at(err, MISI_E_PARSE, origin, line, "record '%s' has no \"task\" string",
                             id->valuestring);
    int t = misi_answer_task_number(task->valuestring);
    if (!t)
        return misi_error_at(
            err, MISI_E_PARSE, origin, line,
            "record '%s': unknown task '%s' (expected one of translation, rotation, zooming, "
            "residue_ligand, translation_rotation, rotation_rotation, docking, "
            "interaction_location, pocket_ligand)",
            id->valuestring, task->valuestring);
    if (!cJSON_IsString(answer))
        return misi_error_at(err, MISI_E_PARSE, origin, line, "record '%s' has no \"answer\" string",
                             id->valuestring);
    if (split && !cJSON_IsString(split))
        return misi_error_at(err, MISI_E_PARSE, origin, line, "record '%s': \"split\" is not a string",
                             id->valuestring);
    misi_gold_item *it;
    if (gold_push(g, &it))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory reading %s", origin);
    it->task = t;
    it->line = line;
    it->id = strdup(id->valuestring);
    it->split = strdup(split ? split->valuestring : "");
    if (!it->id || !it->split)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory reading %s", origin);
    if (t == MISI_TASK_INTERACTION_LOCATION) {
        const cJSON *opts = cJSON_GetObjectItemCaseSensitive(o, "options");
        for (int k = 0; k < 4; k++) {
            const char key[2] = {(char)('A' + k), 0};
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(opts, key);
            if (!cJSON_IsString(v))
                return misi_error_at(
                    err, MISI_E_PARSE, origin, line,
                    "record '%s': interaction_location needs \"options\" with A-D command strings", it->id);
            if (!(it->options[k] = strdup(v->valuestring)))
                return misi_error_set(err, MISI_E_NOMEM, "out of memory reading %s", origin);
        }
    }
    if ((t == MISI_TASK_TRANSLATION_ROTATION || t == MISI_TASK_ROTATION_ROTATION) && image_options(it, o))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory reading %s", origin);
    if (misi_answer_parse(t, answer->valuestring, (const char *const *)it->options, &it->truth))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory reading %s", origin);
    if (!gold_answer_ok(t, &it->truth))
        return misi_error_at(err, MISI_E_PARSE, origin, line, "record '%s': %s answer '%s' is not %s", it->id,
                             task->valuestring, answer->valuestring, gold_answer_shape(t));
    if ((t == MISI_TASK_RESIDUE_LIGAND || t == MISI_TASK_POCKET_LIGAND) &&
        cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(truth, "bonds"))) {
        int rc = check_bonds(it, cJSON_GetObjectItemCaseSensitive(truth, "bonds"), origin, line, err);
        if (rc)
            return rc;
    }
    /* The full range of partial credit. */
    it->range = 0;
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(truth, "range");
    if (t == MISI_TASK_TRANSLATION || t == MISI_TASK_ROTATION)
        it->range = range_width(range, t == MISI_TASK_TRANSLATION ? 8.0 : 180.0);
    else if (t == MISI_TASK_DOCKING) /* [low, high] of the rotation; before record_version 2 an object */
        it->range = range_width(
            cJSON_IsObject(range) ? cJSON_GetObjectItemCaseSensitive(range, "rotation") : range, 180.0);
    if (it->range < 0)
        return misi_error_at(err, MISI_E_PARSE, origin, line,
                             "record '%s': truth.range must be [low, high] with low < high", it->id);
    return MISI_OK;
}

int misi_gold_load_text(const char *text, size_t len, const char *origin, misi_gold *g, misi_error *err)
{
    memset(g, 0, sizeof *g);
    size_t pos = 0, n;
    const char *s;
    long line = 0;
    int rc = MISI_OK;
    while (rc == MISI_OK && eval_next_line(text, len, &pos, &s, &n)) {
        line++;
        if (eval_blank(s, n))
            continue;
        cJSON *o = cJSON_ParseWithLength(s, n);
        if (!o) {
            rc = misi_error_at(err, MISI_E_PARSE, origin, line, "not a JSON object");
            break;
        }
        rc = gold_record(g, o, origin, line, err);
        cJSON_Delete(o);
    }
    if (rc == MISI_OK && g->count == 0)
        rc = misi_error_at(err, MISI_E_PARSE, origin, 0, "no QA record in the file");
    if (rc == MISI_OK) {
        size_t slots = 16;
        while (slots < 2 * g->count && slots < SIZE_MAX / 4)
            slots *= 2;
        g->slots = calloc(slots, sizeof *g->slots);
        g->nslots = slots;
        if (!g->slots)
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory indexing %s", origin);
        for (size_t i = 0; rc == MISI_OK && i < g->count; i++) {
            long other = index_insert(g, i);
            if (other >= 0)
                rc = misi_error_at(err, MISI_E_PARSE, origin, g->items[i].line,
                                   "duplicate id '%s' (first on line %ld)", g->items[i].id,
                                   g->items[other].line);
        }
    }
    if (rc != MISI_OK)
        misi_gold_finish(g);
    return rc;
}

int misi_gold_load(const char *path, misi_gold *g, misi_error *err)
{
    memset(g, 0, sizeof *g);
    char *text;
    size_t len;
    int rc = misi_read_file(path, SCORE_MAX_FILE_BYTES, &text, &len, err);
    if (rc)
        return rc;
    rc = misi_gold_load_text(text, len, path, g, err);
    free(text);
    return rc;
}

/* ---- scoring one question ---- */

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* T1, T2, T3: one command of the truth's kind on the truth's axis. */
static double score_single(const misi_gold_item *g, const misi_answer *p)
{
    const misi_op *t = &g->truth.ops[0];
    if (p->kind != MISI_ANSWER_OPS || p->nops != 1)
        return 0;
    const misi_op *o = &p->ops[0];
    if (o->kind != t->kind || o->axis != t->axis)
        return 0;
    double err = fabs((double)o->value - (double)t->value);
    if (g->task == MISI_TASK_ZOOMING)
        return err < 1e-6 ? 1 : 0;
    return clamp01(1 - err / g->range);
}

/* The op of a kind in a list, NULL if absent; *twice when it appears twice. */
static const misi_op *find_kind(const misi_answer *a, int kind, bool *twice)
{
    const misi_op *f = NULL;
    for (size_t i = 0; i < a->nops; i++) {
        if (a->ops[i].kind != kind)
            continue;
        if (f)
            *twice = true;
        f = &a->ops[i];
    }
    return f;
}

/* T7: half rotation, half translation (sign must be right). */
static double score_docking(const misi_gold_item *g, const misi_answer *p)
{
    if (p->kind != MISI_ANSWER_OPS || p->nops == 0 || p->nops > 2)
        return 0;
    bool twice = false, dummy = false;
    const misi_op *pr = find_kind(p, MISI_OP_ROLL, &twice), *pm = find_kind(p, MISI_OP_MOVE, &twice);
    if (twice)
        return 0;
    const misi_op *tr = find_kind(&g->truth, MISI_OP_ROLL, &dummy),
                  *tm = find_kind(&g->truth, MISI_OP_MOVE, &dummy);
    double rot = 0, trans = 0;
    if (pr && pr->axis == tr->axis)
        rot = clamp01(1 - fabs((double)pr->value - tr->value) / g->range);
    if (pm && pm->axis == tm->axis) {
        double tv = tm->value, pv = pm->value;
        if (fabs(tv) < 1e-9)
            trans = fabs(pv) < 1e-6 ? 1 : 0;
        else if ((tv > 0 && pv > 0) || (tv < 0 && pv < 0))
            trans = clamp01(1 - fabs(pv - tv) / fabs(tv));
    }
    return 0.5 * rot + 0.5 * trans;
}

/* T4, T9 bond lists. */
static double score_bonds(const misi_gold_item *g, const misi_answer *p)
{
    const misi_answer *t = &g->truth;
    if (t->kind == MISI_ANSWER_NO)
        return p->kind == MISI_ANSWER_NO ? 1 : 0;
    if (p->kind != MISI_ANSWER_BONDS || p->nbonds == 0)
        return 0;
    if (p->nbonds > 2 * t->nbonds)
        return 0;
    size_t found = 0, extra = 0;
    for (size_t i = 0; i < t->nbonds; i++)
        for (size_t j = 0; j < p->nbonds; j++)
            if (misi_answer_bond_equal(g->task, &t->bonds[i], &p->bonds[j])) {
                found++;
                break;
            }
    for (size_t j = 0; j < p->nbonds; j++) {
        bool hit = false;
        for (size_t i = 0; i < t->nbonds && !hit; i++)
            hit = misi_answer_bond_equal(g->task, &t->bonds[i], &p->bonds[j]);
        extra += !hit;
    }
    double s = (double)found / (double)t->nbonds;
    if (extra && s > 0.5)
        s = 0.5;
    return s;
}

double misi_score_question(const misi_gold_item *g, const misi_answer *p, bool *exact)
{
    double s = 0;
    switch (g->task) {
    case MISI_TASK_TRANSLATION:
    case MISI_TASK_ROTATION:
    case MISI_TASK_ZOOMING:
        s = score_single(g, p);
        break;
    case MISI_TASK_DOCKING:
        s = score_docking(g, p);
        break;
    case MISI_TASK_RESIDUE_LIGAND:
    case MISI_TASK_POCKET_LIGAND:
        s = score_bonds(g, p);
        break;
    default:
        s = p->kind == MISI_ANSWER_LETTER && p->letter == g->truth.letter ? 1 : 0;
        break;
    }
    if (exact)
        *exact = s >= 1 - 1e-9;
    return s;
}

int misi_score_text(const misi_gold_item *g, const char *text, double *score, bool *exact)
{
    misi_answer a;
    int rc = misi_answer_parse_images(g->task, text, (const char *const *)g->options, g->image_letters,
                                      g->nimages, &a);
    if (rc)
        return rc;
    *score = misi_score_question(g, &a, exact);
    misi_answer_finish(&a);
    return MISI_OK;
}

/* ---- scoring a file ---- */

void misi_score_report_finish(misi_score_report *r)
{
    strlist_finish(&r->missing);
    strlist_finish(&r->unknown);
    strlist_finish(&r->duplicates);
    strlist_finish(&r->malformed);
    strlist_finish(&r->unreadable);
    strlist_finish(&r->unreadable_text);
    free(r->scores);
    memset(r, 0, sizeof *r);
}

static int malformed(misi_score_report *r, const char *origin, long line, const char *what)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s:%ld: %s; line skipped", origin, line, what);
    return strlist_push(&r->malformed, msg);
}

static bool in_split(const misi_gold_item *it, const misi_score_options *opt)
{
    return !opt || !opt->split || !opt->split[0] || !strcmp(opt->split, it->split);
}

int misi_score_text_lines(const misi_gold *g, const char *text, size_t len, const char *origin,
                          const misi_score_options *opt, misi_score_report *r, misi_error *err)
{
    memset(r, 0, sizeof *r);
    int rc = MISI_OK;
    /* The answer text per gold item (borrowed from parsed JSON we keep). */
    char **answer = calloc(g->count ? g->count : 1, sizeof *answer);
    r->scores = calloc(g->count ? g->count : 1, sizeof *r->scores);
    r->nscores = g->count;
    if (!answer || !r->scores) {
        rc = MISI_E_NOMEM;
        goto done;
    }
    size_t pos = 0, n;
    const char *s;
    long line = 0;
    while (rc == MISI_OK && eval_next_line(text, len, &pos, &s, &n)) {
        line++;
        if (eval_blank(s, n))
            continue;
        cJSON *o = cJSON_ParseWithLength(s, n);
        if (!o || !cJSON_IsObject(o)) {
            rc = malformed(r, origin, line, o ? "not a JSON object" : "not JSON");
            cJSON_Delete(o);
            continue;
        }
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
        const cJSON *ans = cJSON_GetObjectItemCaseSensitive(o, "answer");
        if (!ans)
            ans = cJSON_GetObjectItemCaseSensitive(o, "prediction");
        if (!ans)
            ans = cJSON_GetObjectItemCaseSensitive(o, "response");
        if (!cJSON_IsString(id) || !id->valuestring[0])
            rc = malformed(r, origin, line, "no \"id\" string");
        else if (!cJSON_IsString(ans))
            rc = malformed(r, origin, line, "no \"answer\" (or \"prediction\", \"response\") string");
        else {
            r->predictions++;
            long gi = misi_gold_find(g, id->valuestring);
            if (gi < 0) {
                rc = strlist_push(&r->unknown, id->valuestring);
            } else if (!in_split(&g->items[gi], opt)) {
                r->other_split++;
            } else {
                if (answer[gi]) {
                    /* list each duplicated id once: scores[] marks the listed
                     * ones until the scoring loop below fills it */
                    if (r->scores[gi] == 0) {
                        r->scores[gi] = 1;
                        rc = strlist_push(&r->duplicates, id->valuestring);
                    }
                    free(answer[gi]);
                }
                answer[gi] = strdup(ans->valuestring);
                if (!answer[gi])
                    rc = MISI_E_NOMEM;
            }
        }
        cJSON_Delete(o);
    }
    for (size_t i = 0; rc == MISI_OK && i < g->count; i++) {
        const misi_gold_item *it = &g->items[i];
        r->scores[i] = -1;
        if (!in_split(it, opt))
            continue;
        misi_task_score *ts = &r->tasks[it->task];
        ts->count++;
        r->questions++;
        if (!answer[i]) {
            r->scores[i] = 0;
            rc = strlist_push(&r->missing, it->id);
            continue;
        }
        ts->answered++;
        misi_answer a;
        rc = misi_answer_parse_images(it->task, answer[i], (const char *const *)it->options,
                                      it->image_letters, it->nimages, &a);
        if (rc)
            break;
        bool exact;
        double sc = misi_score_question(it, &a, &exact);
        ts->unparsed += a.kind == MISI_ANSWER_NONE;
        if (a.kind == MISI_ANSWER_NONE) {
            rc = strlist_push(&r->unreadable, it->id);
            if (!rc)
                rc = strlist_push(&r->unreadable_text, answer[i]);
        }
        ts->exact += exact;
        ts->sum += sc;
        r->scores[i] = sc;
        misi_answer_finish(&a);
    }
done:
    if (answer)
        for (size_t i = 0; i < g->count; i++)
            free(answer[i]);
    free(answer);
    if (rc) {
        misi_score_report_finish(r);
        return misi_error_set(err, rc, "out of memory scoring %s", origin);
    }
    return MISI_OK;
}

int misi_score_file(const misi_gold *g, const char *pred_path, const misi_score_options *opt,
                    misi_score_report *r, misi_error *err)
{
    memset(r, 0, sizeof *r);
    char *text;
    size_t len;
    int rc = misi_read_file(pred_path, SCORE_MAX_FILE_BYTES, &text, &len, err);
    if (rc)
        return rc;
    rc = misi_score_text_lines(g, text, len, pred_path, opt, r, err);
    free(text);
    return rc;
}

/* ---- summaries ---- */

double misi_score_task_mean(const misi_score_report *r, int t)
{
    const misi_task_score *ts = &r->tasks[t];
    return ts->count ? 100.0 * ts->sum / (double)ts->count : 0;
}

double misi_score_task_exact(const misi_score_report *r, int t)
{
    const misi_task_score *ts = &r->tasks[t];
    return ts->count ? 100.0 * (double)ts->exact / (double)ts->count : 0;
}

double misi_score_average(const misi_score_report *r, bool headline, bool exact, size_t *ntasks)
{
    double sum = 0;
    size_t n = 0;
    for (int t = 1; t <= MISI_TASK_MAX; t++) {
        if (!r->tasks[t].count)
            continue;
        if (headline && (t == MISI_TASK_TRANSLATION_ROTATION || t == MISI_TASK_ROTATION_ROTATION))
            continue;
        sum += exact ? misi_score_task_exact(r, t) : misi_score_task_mean(r, t);
        n++;
    }
    if (ntasks)
        *ntasks = n;
    return n ? sum / (double)n : 0;
}

#define UNREADABLE_SHOWN 5     /* unreadable answers the text report shows */
#define UNREADABLE_TEXT_MAX 80 /* bytes of each it shows */

static void print_list(FILE *f, const misi_strlist *l, size_t max)
{
    for (size_t i = 0; i < l->count && i < max; i++)
        fprintf(f, "  %s\n", l->items[i]);
    if (l->count > max)
        fprintf(f, "  ... and %zu more\n", l->count - max);
}

/* The first unreadable answers: id and the raw text, on one line each and
 * cut short, so that a model's output format problem shows at a glance. */
static void print_unreadable(FILE *f, const misi_score_report *r, size_t max)
{
    for (size_t i = 0; i < r->unreadable.count && i < max; i++) {
        const char *t = r->unreadable_text.items[i];
        char shown[UNREADABLE_TEXT_MAX + 8];
        size_t n = 0;
        for (const char *p = t; *p && n < UNREADABLE_TEXT_MAX; p++)
            shown[n++] = (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p;
        if (strlen(t) > n) {
            while (n > 0 && ((unsigned char)shown[n - 1] & 0xC0) == 0x80)
                n--; /* do not cut a UTF-8 character */
            if (n > 0 && ((unsigned char)shown[n - 1] & 0xC0) == 0xC0)
                n--;
            memcpy(shown + n, "...", 3);
            n += 3;
        }
        shown[n] = '\0';
        fprintf(f, "  %s: \"%s\"\n", r->unreadable.items[i], shown);
    }
    if (r->unreadable.count > max)
        fprintf(f, "  ... and %zu more\n", r->unreadable.count - max);
}

void misi_score_print(FILE *f, const misi_score_report *r, const char *gold_path, const char *pred_path,
                      const misi_score_options *opt, size_t list_max)
{
    const char *split = opt && opt->split && opt->split[0] ? opt->split : "all";
    fprintf(f, "gold:        %s (%zu questions, split %s)\n", gold_path, r->questions, split);
    fprintf(f, "predictions: %s (%zu answers read)\n\n", pred_path, r->predictions);
    fprintf(f, "%-26s %6s %8s %7s %7s\n", "task", "count", "answered", "score", "exact");
    size_t answered = 0, exact = 0;
    double sum = 0;
    for (int t = 1; t <= MISI_TASK_MAX; t++) {
        const misi_task_score *ts = &r->tasks[t];
        if (!ts->count)
            continue;
        char name[40];
        snprintf(name, sizeof name, "T%d %s", t, misi_answer_task_name(t));
        fprintf(f, "%-26s %6zu %8zu %7.2f %7.2f\n", name, ts->count, ts->answered, misi_score_task_mean(r, t),
                misi_score_task_exact(r, t));
        answered += ts->answered;
        exact += ts->exact;
        sum += ts->sum;
    }
    size_t nh, na;
    double hs = misi_score_average(r, true, false, &nh), he = misi_score_average(r, true, true, NULL);
    double as = misi_score_average(r, false, false, &na), ae = misi_score_average(r, false, true, NULL);
    fprintf(f, "%-26s %6zu %8s %7.2f %7.2f\n", "headline (all but T5, T6)", nh, "tasks", hs, he);
    fprintf(f, "%-26s %6zu %8s %7.2f %7.2f\n", "average (all tasks)", na, "tasks", as, ae);
    fprintf(f, "%-26s %6zu %8zu %7.2f %7.2f\n", "all questions (pooled)", r->questions, answered,
            r->questions ? 100.0 * sum / (double)r->questions : 0,
            r->questions ? 100.0 * (double)exact / (double)r->questions : 0);

    fprintf(f, "\n%-12s", "x100");
    for (int t = 1; t <= MISI_TASK_MAX; t++)
        fprintf(f, " %6s", (char[4]){'T', (char)('0' + t), 0, 0});
    fprintf(f, " %8s\n", "headline");
    for (int row = 0; row < 2; row++) {
        fprintf(f, "%-12s", row ? "exact match" : "score");
        for (int t = 1; t <= MISI_TASK_MAX; t++) {
            if (r->tasks[t].count)
                fprintf(f, " %6.1f", row ? misi_score_task_exact(r, t) : misi_score_task_mean(r, t));
            else
                fprintf(f, " %6s", "-");
        }
        fprintf(f, " %8.1f\n", row ? he : hs);
    }

    size_t unparsed = 0;
    for (int t = 1; t <= MISI_TASK_MAX; t++)
        unparsed += r->tasks[t].unparsed;
    if (r->missing.count) {
        fprintf(f, "\nmissing predictions: %zu (scored 0)\n", r->missing.count);
        print_list(f, &r->missing, list_max);
    }
    if (r->unknown.count) {
        fprintf(f, "\npredictions for ids not in the gold file: %zu (not scored)\n", r->unknown.count);
        print_list(f, &r->unknown, list_max);
    }
    if (r->duplicates.count) {
        fprintf(f, "\nids predicted more than once: %zu (the last answer counts)\n", r->duplicates.count);
        print_list(f, &r->duplicates, list_max);
    }
    if (unparsed) {
        fprintf(f, "\nanswers with nothing readable for their task: %zu (scored 0; --json lists all)\n",
                unparsed);
        print_unreadable(f, r, list_max < UNREADABLE_SHOWN ? list_max : UNREADABLE_SHOWN);
    }
    if (r->other_split)
        fprintf(f, "\npredictions for questions outside split %s: %zu (ignored)\n", split, r->other_split);
    if (r->malformed.count)
        fprintf(f, "\nmalformed prediction lines: %zu (skipped, listed on stderr)\n", r->malformed.count);
}

static cJSON *json_list(const misi_strlist *l)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "count", (double)l->count);
    cJSON *a = cJSON_AddArrayToObject(o, "ids");
    for (size_t i = 0; i < l->count; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(l->items[i]));
    return o;
}

/* Round to 4 decimals so the JSON does not carry float noise. */
static double r4(double x)
{
    return round(x * 1e4) / 1e4;
}

char *misi_score_json(const misi_score_report *r, const char *gold_path, const char *pred_path,
                      const misi_score_options *opt)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "gold", gold_path);
    cJSON_AddStringToObject(o, "predictions", pred_path);
    if (opt && opt->split && opt->split[0])
        cJSON_AddStringToObject(o, "split", opt->split);
    else
        cJSON_AddNullToObject(o, "split");
    cJSON_AddNumberToObject(o, "questions", (double)r->questions);
    cJSON_AddNumberToObject(o, "answers_read", (double)r->predictions);
    cJSON *tasks = cJSON_AddArrayToObject(o, "tasks");
    for (int t = 1; t <= MISI_TASK_MAX; t++) {
        const misi_task_score *ts = &r->tasks[t];
        if (!ts->count)
            continue;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "task", misi_answer_task_name(t));
        cJSON_AddNumberToObject(e, "task_number", t);
        cJSON_AddNumberToObject(e, "count", (double)ts->count);
        cJSON_AddNumberToObject(e, "answered", (double)ts->answered);
        cJSON_AddNumberToObject(e, "unparsed", (double)ts->unparsed);
        cJSON_AddNumberToObject(e, "exact_count", (double)ts->exact);
        cJSON_AddNumberToObject(e, "score", r4(misi_score_task_mean(r, t)));
        cJSON_AddNumberToObject(e, "exact", r4(misi_score_task_exact(r, t)));
        cJSON_AddItemToArray(tasks, e);
    }
    size_t nh, na;
    cJSON *h = cJSON_AddObjectToObject(o, "headline");
    cJSON_AddNumberToObject(h, "score", r4(misi_score_average(r, true, false, &nh)));
    cJSON_AddNumberToObject(h, "exact", r4(misi_score_average(r, true, true, NULL)));
    cJSON_AddNumberToObject(h, "tasks", (double)nh);
    cJSON_AddStringToObject(h, "excludes", "translation_rotation, rotation_rotation");
    cJSON *a = cJSON_AddObjectToObject(o, "average");
    cJSON_AddNumberToObject(a, "score", r4(misi_score_average(r, false, false, &na)));
    cJSON_AddNumberToObject(a, "exact", r4(misi_score_average(r, false, true, NULL)));
    cJSON_AddNumberToObject(a, "tasks", (double)na);
    cJSON_AddItemToObject(o, "missing", json_list(&r->missing));
    cJSON_AddItemToObject(o, "unknown", json_list(&r->unknown));
    cJSON_AddItemToObject(o, "duplicates", json_list(&r->duplicates));
    cJSON *m = cJSON_AddObjectToObject(o, "malformed_lines");
    cJSON_AddNumberToObject(m, "count", (double)r->malformed.count);
    cJSON *ml = cJSON_AddArrayToObject(m, "messages");
    for (size_t i = 0; i < r->malformed.count; i++)
        cJSON_AddItemToArray(ml, cJSON_CreateString(r->malformed.items[i]));
    cJSON *u = cJSON_AddObjectToObject(o, "unreadable");
    cJSON_AddNumberToObject(u, "count", (double)r->unreadable.count);
    cJSON *ua = cJSON_AddArrayToObject(u, "answers");
    for (size_t i = 0; i < r->unreadable.count; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "id", r->unreadable.items[i]);
        cJSON_AddStringToObject(e, "answer", r->unreadable_text.items[i]);
        cJSON_AddItemToArray(ua, e);
    }
    cJSON_AddNumberToObject(o, "outside_split", (double)r->other_split);
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    return s;
}
