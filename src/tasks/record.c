/* The one shape of misi's JSON Lines records (include/misi/record.h): the
 * fixed truth keys and the float fields, so that nine tasks and five files
 * cannot drift apart. */
#include "misi/record.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In the order a reader sees them: T1-T3, T7, the MC tasks, T8, T4/T9, then
 * the pipeline's legibility evidence. docs/dataset.md has the table. */
const char *const MISI_TRUTH_KEYS[] = {
    "axis",        /* T1-T3: string */
    "value",       /* T1-T3: int */
    "range",       /* T1-T3: [low, high] of value; T7: of rotation.value */
    "rotation",    /* T7: {axis, value} */
    "translation", /* T7: {axis, value} */
    "side",        /* T7: string */
    "gap",         /* T7: int */
    "correct",     /* T5, T6, T8: the right letter */
    "operations",  /* T5, T6: string */
    "options",     /* T5, T6, T8: {A, B, C, D} command strings */
    "move",        /* T8: [a, b] */
    "residue",     /* T4: {name, number, icode, chain} */
    "bond",        /* T8: one bond */
    "bonds",       /* T4, T9: a list of bonds */
    "legible",     /* T4, T8, T9 with the label check: [{label, kind, image}] */
    NULL,
};

static bool truth_key(const char *k)
{
    for (size_t i = 0; MISI_TRUTH_KEYS[i]; i++)
        if (!strcmp(MISI_TRUTH_KEYS[i], k))
            return true;
    return false;
}

cJSON *misi_truth_fixed(cJSON *task_truth, misi_error *err)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, task_truth)
    {
        if (!k->string || !truth_key(k->string)) {
            misi_error_set(err, MISI_E_INVALID,
                           "truth key '%s' is not one of the fixed truth keys (record.c)",
                           k->string ? k->string : "");
            cJSON_Delete(task_truth);
            return NULL;
        }
    }
    cJSON *t = cJSON_CreateObject();
    for (size_t i = 0; t && MISI_TRUTH_KEYS[i]; i++) {
        cJSON *v =
            task_truth ? cJSON_DetachItemFromObjectCaseSensitive(task_truth, MISI_TRUTH_KEYS[i]) : NULL;
        if (!v)
            v = cJSON_CreateNull();
        if (!v || !cJSON_AddItemToObject(t, MISI_TRUTH_KEYS[i], v)) {
            cJSON_Delete(v);
            cJSON_Delete(t);
            t = NULL;
        }
    }
    cJSON_Delete(task_truth);
    if (!t)
        misi_error_set(err, MISI_E_NOMEM, "out of memory");
    return t;
}

/* The float fields of each kind of line, as paths from the line's root:
 * ".key" for a member, "[]" for every element of an array. Every other
 * number misi writes is an integer by construction. */
#define BOND_FLOATS(p)                                                                                       \
    p ".distance", p ".hydrogen.xyz[]", p ".tests[].value", p ".tests[].min", p ".tests[].max"
static const char *const RECORD_FLOATS[] = {BOND_FLOATS(".truth.bond"), BOND_FLOATS(".truth.bonds[]"), NULL};
static const char *const IMAGE_TRUTH_FLOATS[] = {".rotation[]", ".translation[]", ".px_per_angstrom",
                                                 ".labels.covered_fraction", NULL};

void misi_float_text(double v, char *buf, size_t cap)
{
    if (!isfinite(v)) {
        snprintf(buf, cap, "null");
        return;
    }
    snprintf(buf, cap, "%1.15g", v);
    double back;
    if (sscanf(buf, "%lg", &back) != 1 || back != v)
        snprintf(buf, cap, "%1.17g", v);
    if (!strpbrk(buf, ".eEn")) /* "4" or "-0": an integer to a JSON reader */
        strncat(buf, ".0", cap - strlen(buf) - 1);
}

static bool is_float_path(const char *const *floats, const char *path)
{
    for (size_t i = 0; floats[i]; i++)
        if (!strcmp(floats[i], path))
            return true;
    return false;
}

/* Turn every number at a float path of o (a copy) into raw text. */
static bool mark_floats(cJSON *o, const char *const *floats, char *path, size_t len, size_t cap)
{
    if (cJSON_IsNumber(o)) {
        if (!is_float_path(floats, path))
            return true;
        char text[40];
        misi_float_text(o->valuedouble, text, sizeof text);
        char *raw = cJSON_malloc(strlen(text) + 1);
        if (!raw)
            return false;
        strcpy(raw, text);
        o->type = cJSON_Raw;
        o->valuestring = raw;
        return true;
    }
    if (!cJSON_IsObject(o) && !cJSON_IsArray(o))
        return true;
    cJSON *c;
    cJSON_ArrayForEach(c, o)
    {
        int n = cJSON_IsArray(o) ? snprintf(path + len, cap - len, "[]")
                                 : snprintf(path + len, cap - len, ".%s", c->string ? c->string : "");
        if (n < 0 || (size_t)n >= cap - len)
            continue; /* deeper than any float path */
        if (!mark_floats(c, floats, path, len + (size_t)n, cap))
            return false;
        path[len] = 0;
    }
    return true;
}

char *misi_line_print(const cJSON *obj, misi_line_kind kind)
{
    const char *const *floats = kind == MISI_LINE_RECORD        ? RECORD_FLOATS
                                : kind == MISI_LINE_IMAGE_TRUTH ? IMAGE_TRUTH_FLOATS
                                                                : NULL;
    if (!floats)
        return cJSON_PrintUnformatted(obj);
    cJSON *copy = cJSON_Duplicate(obj, 1);
    char path[256] = "";
    char *text =
        copy && mark_floats(copy, floats, path, 0, sizeof path) ? cJSON_PrintUnformatted(copy) : NULL;
    cJSON_Delete(copy);
    return text;
}
