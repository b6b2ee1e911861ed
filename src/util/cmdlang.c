/* The command language (MISI-SPEC §3): parsing, canonical formatting, the pose
 * it produces, and named view sets loaded from JSON or the command line. */
#include "misi/cmdlang.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "misi/fs.h"

/* ---- op lists ---- */

int misi_oplist_push(misi_oplist *l, misi_op op)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        if (cap < l->cap || cap > SIZE_MAX / sizeof *l->ops)
            return MISI_E_LIMIT;
        misi_op *ops = realloc(l->ops, cap * sizeof *ops);
        if (!ops)
            return MISI_E_NOMEM;
        l->ops = ops;
        l->cap = cap;
    }
    l->ops[l->count++] = op;
    return MISI_OK;
}

void misi_oplist_finish(misi_oplist *l)
{
    free(l->ops);
    l->ops = NULL;
    l->count = l->cap = 0;
}

/* ---- canonical views ---- */

const char *const MISI_CANONICAL_VIEW_NAMES[MISI_NUM_CANONICAL_VIEWS] = {
    "front", "back", "left", "right", "top", "bottom",
};

static const misi_op CANONICAL_OPS[MISI_NUM_CANONICAL_VIEWS] = {
    {MISI_OP_NONE, 0, 0.0f},
    {MISI_OP_ROLL, MISI_AXIS_Y, 180.0f},
    {MISI_OP_ROLL, MISI_AXIS_Y, 90.0f},
    {MISI_OP_ROLL, MISI_AXIS_Y, -90.0f},
    {MISI_OP_ROLL, MISI_AXIS_X, 90.0f},
    {MISI_OP_ROLL, MISI_AXIS_X, -90.0f},
};

/* Case-insensitive compare of the n bytes at s with the NUL-terminated word. */
static bool word_is(const char *s, size_t n, const char *word)
{
    size_t i = 0;
    for (; i < n && word[i]; i++)
        if (tolower((unsigned char)s[i]) != word[i])
            return false;
    return i == n && word[i] == '\0';
}

static int canonical_index(const char *s, size_t n)
{
    for (int i = 0; i < MISI_NUM_CANONICAL_VIEWS; i++)
        if (word_is(s, n, MISI_CANONICAL_VIEW_NAMES[i]))
            return i;
    return -1;
}

int misi_canonical_view_op(const char *name, misi_op *out)
{
    int i = name ? canonical_index(name, strlen(name)) : -1;
    if (i < 0)
        return MISI_E_USAGE;
    *out = CANONICAL_OPS[i];
    return MISI_OK;
}

/* ---- parsing ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Describe an item for messages: trimmed, at most 60 bytes, control
 * characters shown as '?', so an error line stays one readable line. */
static void item_excerpt(const char *s, size_t n, char *buf, size_t cap)
{
    while (n && is_space(*s))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    size_t limit = cap - 4;
    size_t k = 0;
    for (; k < n && k < limit; k++)
        buf[k] = (unsigned char)s[k] < 32 || s[k] == 127 ? '?' : s[k];
    if (k < n) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
}

/* The next token for "found '...'": a run of non-space bytes, shortened. */
static void token_excerpt(const char *s, const char *end, char *buf, size_t cap)
{
    const char *t = s;
    while (t < end && !is_space(*t))
        t++;
    if (t == s) {
        snprintf(buf, cap, "the end of the item");
        return;
    }
    char tok[40];
    item_excerpt(s, (size_t)(t - s), tok, sizeof tok);
    snprintf(buf, cap, "'%s'", tok);
}

/* Scan [+-]digits[.digits][(e|E)[+-]digits] with at least one mantissa
 * digit. Returns the end of the number, or NULL when s does not start one.
 * Our own grammar rather than strtod's so that "inf", "nan", "0x1p3" and
 * "1e" are refused instead of half-read. */
static const char *scan_number(const char *s, const char *end)
{
    const char *p = s;
    if (p < end && (*p == '+' || *p == '-'))
        p++;
    size_t digits = 0;
    while (p < end && isdigit((unsigned char)*p))
        p++, digits++;
    if (p < end && *p == '.') {
        p++;
        while (p < end && isdigit((unsigned char)*p))
            p++, digits++;
    }
    if (digits == 0)
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        if (q < end && (*q == '+' || *q == '-'))
            q++;
        const char *d = q;
        while (q < end && isdigit((unsigned char)*q))
            q++;
        if (q == d)
            return NULL;
        p = q;
    }
    return p;
}

#define MAX_NUMBER_CHARS 64

/* Parse one item [s, end) (no commas inside) and append its op(s). */
static int parse_item(const char *s, const char *end, size_t index, misi_oplist *out, misi_error *err)
{
    char ex[64], found[64];
    item_excerpt(s, (size_t)(end - s), ex, sizeof ex);
    const char *p = s;
    while (p < end && is_space(*p))
        p++;
    if (p == end)
        return misi_error_set(err, MISI_E_PARSE,
                              "item %zu is empty: expected 'move', 'roll' or a view name between commas",
                              index);

    const char *w = p;
    while (p < end && isalpha((unsigned char)*p))
        p++;
    size_t wn = (size_t)(p - w);
    int kind = MISI_OP_NONE;
    if (word_is(w, wn, "move"))
        kind = MISI_OP_MOVE;
    else if (word_is(w, wn, "roll") || word_is(w, wn, "turn"))
        kind = MISI_OP_ROLL;
    int view = kind == MISI_OP_NONE ? canonical_index(w, wn) : -1;
    if (kind == MISI_OP_NONE && view < 0) {
        token_excerpt(w, end, found, sizeof found);
        return misi_error_set(err, MISI_E_PARSE,
                              "item %zu '%s': expected 'move', 'roll' or a view name "
                              "(front back left right top bottom), found %s",
                              index, ex, found);
    }
    if (p < end && !is_space(*p)) {
        token_excerpt(w, end, found, sizeof found);
        return misi_error_set(err, MISI_E_PARSE, "item %zu '%s': expected a space after '%.*s', found %s",
                              index, ex, (int)wn, w, found);
    }
    while (p < end && is_space(*p))
        p++;

    if (view >= 0) {
        if (p < end) {
            token_excerpt(p, end, found, sizeof found);
            return misi_error_set(err, MISI_E_PARSE,
                                  "item %zu '%s': expected ',' or the end after the view name, found %s",
                                  index, ex, found);
        }
        if (CANONICAL_OPS[view].kind == MISI_OP_NONE)
            return MISI_OK;
        return misi_oplist_push(out, CANONICAL_OPS[view]) == MISI_OK
                   ? MISI_OK
                   : misi_error_set(err, MISI_E_NOMEM, "out of memory for command ops");
    }

    /* The axis: one letter, then a space or the number right away ("x90"). */
    int axis = -1;
    if (p < end) {
        char c = (char)tolower((unsigned char)*p);
        if (c >= 'x' && c <= 'z' && (p + 1 == end || !isalpha((unsigned char)p[1])))
            axis = c - 'x';
    }
    if (axis < 0) {
        token_excerpt(p, end, found, sizeof found);
        return misi_error_set(err, MISI_E_PARSE, "item %zu '%s': expected an axis x, y or z, found %s", index,
                              ex, found);
    }
    p++;
    while (p < end && is_space(*p))
        p++;

    const char *unit = kind == MISI_OP_MOVE ? "a distance in angstroms" : "an angle in degrees";
    const char *nend = scan_number(p, end);
    if (!nend || (nend < end && !is_space(*nend))) {
        token_excerpt(p, end, found, sizeof found);
        return misi_error_set(err, MISI_E_PARSE,
                              "item %zu '%s': expected %s (a decimal number like -14 or 7.5), found %s",
                              index, ex, unit, found);
    }
    size_t nn = (size_t)(nend - p);
    if (nn > MAX_NUMBER_CHARS)
        return misi_error_set(err, MISI_E_PARSE, "item %zu '%s': the number has more than %d characters",
                              index, ex, MAX_NUMBER_CHARS);
    char num[MAX_NUMBER_CHARS + 1];
    memcpy(num, p, nn);
    num[nn] = '\0';
    /* strtod follows LC_NUMERIC; misi never calls setlocale, so '.' it is. */
    double d = strtod(num, NULL);
    if (!isfinite(d) || fabs(d) > FLT_MAX)
        return misi_error_set(err, MISI_E_PARSE, "item %zu '%s': %s is out of range", index, ex, num);
    float v = (float)d;
    if (v == 0.0f)
        v = 0.0f; /* no -0: it formats and compares like 0 */

    p = nend;
    while (p < end && is_space(*p))
        p++;
    if (p < end) {
        token_excerpt(p, end, found, sizeof found);
        return misi_error_set(err, MISI_E_PARSE,
                              "item %zu '%s': expected ',' or the end after the value, found %s", index, ex,
                              found);
    }
    misi_op op = {(uint8_t)kind, (uint8_t)axis, v};
    if (misi_oplist_push(out, op) != MISI_OK)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for command ops");
    return MISI_OK;
}

int misi_cmd_parse(const char *text, misi_oplist *out, misi_error *err)
{
    if (!text || !out)
        return misi_error_set(err, MISI_E_USAGE, "misi_cmd_parse: NULL argument");
    size_t len = strnlen(text, MISI_CMD_MAX_TEXT + 1);
    if (len > MISI_CMD_MAX_TEXT)
        return misi_error_set(err, MISI_E_LIMIT, "command text longer than %d bytes", MISI_CMD_MAX_TEXT);
    size_t k = 0;
    while (k < len && is_space(text[k]))
        k++;
    if (k == len)
        return misi_error_set(
            err, MISI_E_PARSE,
            "empty command: expected 'move x|y|z <A>', 'roll x|y|z <degrees>' or a view name");

    size_t before = out->count;
    const char *s = text, *end = text + len;
    size_t index = 1;
    for (;;) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *item_end = comma ? comma : end;
        int rc = parse_item(s, item_end, index, out, err);
        if (rc != MISI_OK) {
            out->count = before;
            return rc;
        }
        if (!comma)
            break;
        s = comma + 1;
        index++;
    }
    return MISI_OK;
}

/* ---- formatting ---- */

/* Shortest fixed-point text of v that strtof reads back exactly. */
static void format_value(float v, char *buf, size_t cap)
{
    if (v == 0.0f) {
        snprintf(buf, cap, "0");
        return;
    }
    /* 9 significant digits always round-trip a float; the smallest
     * subnormal sits 45 places after the point, so 112 covers everything. */
    for (int prec = 0; prec <= 112; prec++) {
        snprintf(buf, cap, "%.*f", prec, (double)v);
        if (strtof(buf, NULL) == v)
            return;
    }
}

int misi_cmd_format(const misi_op *ops, size_t n, char *buf, size_t cap)
{
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        const misi_op *op = &ops[i];
        if ((op->kind != MISI_OP_MOVE && op->kind != MISI_OP_ROLL) || op->axis > 2 || !isfinite(op->value))
            return MISI_E_USAGE;
        char num[160], item[200];
        format_value(op->value, num, sizeof num);
        int m = snprintf(item, sizeof item, "%s%s %c %s", i ? ", " : "",
                         op->kind == MISI_OP_MOVE ? "move" : "roll", 'x' + op->axis, num);
        if (m < 0)
            return MISI_E_USAGE;
        if (cap > used) {
            size_t room = cap - used - 1;
            size_t put = (size_t)m < room ? (size_t)m : room;
            memcpy(buf + used, item, put);
            buf[used + put] = '\0';
        }
        used += (size_t)m;
        if (used > INT32_MAX)
            return MISI_E_USAGE;
    }
    if (n == 0 && cap > 0)
        buf[0] = '\0';
    return (int)used;
}

/* ---- poses ---- */

void misi_pose_identity(misi_pose *p)
{
    static const misi_pose I = {{1, 0, 0, 0, 1, 0, 0, 0, 1}, {0, 0, 0}};
    *p = I;
}

static void roll(misi_pose *p, int axis, float degrees)
{
    /* Reduce first: cos(375°) should equal cos(15°) to the last bit. */
    double deg = fmod((double)degrees, 360.0);
    double a = deg * (M_PI / 180.0);
    float c = (float)cos(a), s = (float)sin(a);
    /* Exact entries for multiples of 90° so canonical views are exact (the
     * renderer's misi_view_roll does the same). */
    if (fmod(fabs(deg), 90.0) == 0.0) {
        c = roundf(c);
        s = roundf(s);
    }
    float q[9];
    switch (axis) {
    case MISI_AXIS_X:
        memcpy(q, (float[9]){1, 0, 0, 0, c, -s, 0, s, c}, sizeof q);
        break;
    case MISI_AXIS_Y:
        memcpy(q, (float[9]){c, 0, s, 0, 1, 0, -s, 0, c}, sizeof q);
        break;
    default:
        memcpy(q, (float[9]){c, -s, 0, s, c, 0, 0, 0, 1}, sizeof q);
        break;
    }
    float r[9];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            r[3 * i + j] = q[3 * i] * p->rot[j] + q[3 * i + 1] * p->rot[3 + j] + q[3 * i + 2] * p->rot[6 + j];
    memcpy(p->rot, r, sizeof r);
}

void misi_pose_apply(misi_pose *p, const misi_op *ops, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ops[i].axis > 2)
            continue;
        if (ops[i].kind == MISI_OP_ROLL)
            roll(p, ops[i].axis, ops[i].value);
        else if (ops[i].kind == MISI_OP_MOVE)
            p->trans[ops[i].axis] += ops[i].value;
    }
}

void misi_pose_point(const misi_pose *p, const float centre[3], const float in[3], float out[3])
{
    float d[3] = {in[0] - centre[0], in[1] - centre[1], in[2] - centre[2]};
    for (int i = 0; i < 3; i++)
        out[i] = p->rot[3 * i] * d[0] + p->rot[3 * i + 1] * d[1] + p->rot[3 * i + 2] * d[2] + p->trans[i];
}

int misi_pose_from_text(const char *text, misi_pose *p, misi_error *err)
{
    misi_oplist l = {0};
    int rc = misi_cmd_parse(text, &l, err);
    if (rc == MISI_OK) {
        misi_pose_identity(p);
        misi_pose_apply(p, l.ops, l.count);
    }
    misi_oplist_finish(&l);
    return rc;
}

/* ---- view sets ---- */

static bool name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > MISI_VIEW_NAME_MAX || name[0] == '.' || name[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!isalnum((unsigned char)c) && c != '.' && c != '_' && c != '-')
            return false;
    }
    return true;
}

/* "roll x 30, move y 2" -> "roll_x_30_move_y_2". */
static void sanitise(const char *commands, char *buf, size_t cap)
{
    size_t k = 0;
    bool gap = false;
    for (const char *s = commands; *s && k + 1 < cap; s++) {
        char c = (char)tolower((unsigned char)*s);
        bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
        if (!keep) {
            gap = k > 0;
            continue;
        }
        if (gap) {
            if (k + 2 >= cap)
                break;
            buf[k++] = '_';
        }
        gap = false;
        buf[k++] = c;
    }
    buf[k] = '\0';
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void viewdef_finish(misi_viewdef *v)
{
    free(v->name);
    free(v->commands);
    misi_oplist_finish(&v->ops);
}

long misi_viewset_find(const misi_viewset *set, const char *name)
{
    for (size_t i = 0; i < set->count; i++)
        if (!strcmp(set->views[i].name, name))
            return (long)i;
    return -1;
}

int misi_viewset_add(misi_viewset *set, const char *name, const char *commands, misi_error *err)
{
    if (!set || !commands)
        return misi_error_set(err, MISI_E_USAGE, "misi_viewset_add: NULL argument");
    misi_viewdef v = {0};
    int rc = misi_cmd_parse(commands, &v.ops, err);
    if (rc != MISI_OK) {
        /* the parse may have grown the list for the items before the bad one */
        misi_oplist_finish(&v.ops);
        return rc;
    }

    char auto_name[MISI_VIEW_NAME_MAX + 1];
    if (!name || !*name) {
        sanitise(commands, auto_name, sizeof auto_name);
        name = auto_name;
    }
    if (!name_ok(name)) {
        rc = misi_error_set(err, MISI_E_USAGE,
                            "view name '%.80s': expected 1-%d characters from A-Z a-z 0-9 . _ - "
                            "not starting with '.' or '-'",
                            name, MISI_VIEW_NAME_MAX);
        goto fail;
    }
    if (misi_viewset_find(set, name) >= 0) {
        rc = misi_error_set(err, MISI_E_USAGE, "view name '%s' is used twice", name);
        goto fail;
    }

    int need = misi_cmd_format(v.ops.ops, v.ops.count, NULL, 0);
    if (need < 0) {
        rc = misi_error_set(err, MISI_E_USAGE, "cannot format view '%s'", name);
        goto fail;
    }
    /* The identity formats as "" but reads better as the view it is. */
    v.commands = malloc((size_t)need + sizeof "front");
    v.name = dup_str(name);
    if (!v.commands || !v.name) {
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory for view '%s'", name);
        goto fail;
    }
    if (need == 0)
        strcpy(v.commands, "front");
    else
        misi_cmd_format(v.ops.ops, v.ops.count, v.commands, (size_t)need + 1);
    misi_pose_identity(&v.pose);
    misi_pose_apply(&v.pose, v.ops.ops, v.ops.count);

    if (set->count == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 8;
        misi_viewdef *views =
            cap > SIZE_MAX / sizeof *views ? NULL : realloc(set->views, cap * sizeof *views);
        if (!views) {
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory for view '%s'", name);
            goto fail;
        }
        set->views = views;
        set->cap = cap;
    }
    set->views[set->count++] = v;
    return MISI_OK;

fail:
    viewdef_finish(&v);
    return rc;
}

int misi_viewset_add_canonical(misi_viewset *set, misi_error *err)
{
    size_t before = set->count;
    for (int i = 0; i < MISI_NUM_CANONICAL_VIEWS; i++) {
        int rc = misi_viewset_add(set, MISI_CANONICAL_VIEW_NAMES[i], MISI_CANONICAL_VIEW_NAMES[i], err);
        if (rc != MISI_OK) {
            while (set->count > before)
                viewdef_finish(&set->views[--set->count]);
            return rc;
        }
    }
    return MISI_OK;
}

void misi_viewset_finish(misi_viewset *set)
{
    for (size_t i = 0; i < set->count; i++)
        viewdef_finish(&set->views[i]);
    free(set->views);
    set->views = NULL;
    set->count = set->cap = 0;
}

/* One element of the views array. */
static int load_view(const cJSON *item, size_t i, const char *origin, misi_viewset *set, misi_error *err)
{
    if (!cJSON_IsObject(item))
        return misi_error_at(err, MISI_E_PARSE, origin, 0,
                             "views[%zu]: expected an object {\"name\": ..., \"commands\": ...}", i);
    const cJSON *name = NULL, *commands = NULL;
    for (const cJSON *f = item->child; f; f = f->next) {
        if (f->string && !strcmp(f->string, "name"))
            name = f;
        else if (f->string && !strcmp(f->string, "commands"))
            commands = f;
        else
            return misi_error_at(err, MISI_E_PARSE, origin, 0,
                                 "views[%zu]: unknown key '%.64s' (expected \"name\" and \"commands\")", i,
                                 f->string ? f->string : "");
    }
    if (name && !cJSON_IsString(name))
        return misi_error_at(err, MISI_E_PARSE, origin, 0, "views[%zu]: \"name\" must be a string", i);
    if (!commands || !cJSON_IsString(commands))
        return misi_error_at(err, MISI_E_PARSE, origin, 0, "views[%zu]: expected a string \"commands\"", i);
    const char *nm = name ? name->valuestring : NULL;
    misi_error inner = {0};
    int rc = misi_viewset_add(set, nm, commands->valuestring, &inner);
    if (rc != MISI_OK) {
        if (nm)
            return misi_error_at(err, rc, origin, 0, "views[%zu] ('%.64s'): %s", i, nm, inner.msg);
        return misi_error_at(err, rc, origin, 0, "views[%zu]: %s", i, inner.msg);
    }
    return MISI_OK;
}

int misi_viewset_load_json(const char *json, size_t len, const char *origin, misi_viewset *set,
                           misi_error *err)
{
    if (!json || !set)
        return misi_error_set(err, MISI_E_USAGE, "misi_viewset_load_json: NULL argument");
    if (!origin)
        origin = "<views>";
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root) {
        /* cJSON points at where it stopped; turn that into a line number. */
        const char *at = cJSON_GetErrorPtr();
        long line = 1;
        if (at && at >= json && at <= json + len)
            for (const char *p = json; p < at; p++)
                line += *p == '\n';
        return misi_error_at(err, MISI_E_PARSE, origin, line, "not valid JSON");
    }
    const cJSON *arr = root;
    if (cJSON_IsObject(root)) {
        arr = cJSON_GetObjectItemCaseSensitive(root, "views");
        if (!arr) {
            cJSON_Delete(root);
            return misi_error_at(err, MISI_E_PARSE, origin, 0,
                                 "expected {\"views\": [...]} or an array of views");
        }
    }
    if (!cJSON_IsArray(arr)) {
        cJSON_Delete(root);
        return misi_error_at(err, MISI_E_PARSE, origin, 0, "expected \"views\" to be an array");
    }
    size_t before = set->count;
    size_t i = 0;
    int rc = MISI_OK;
    for (const cJSON *item = arr->child; item; item = item->next, i++) {
        rc = load_view(item, i, origin, set, err);
        if (rc != MISI_OK)
            break;
    }
    if (rc == MISI_OK && i == 0)
        rc = misi_error_at(err, MISI_E_PARSE, origin, 0, "no views: expected at least one");
    if (rc != MISI_OK)
        while (set->count > before)
            viewdef_finish(&set->views[--set->count]);
    cJSON_Delete(root);
    return rc;
}

int misi_viewset_load(const char *path, misi_viewset *set, misi_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = misi_read_file(path, 16u << 20, &text, &len, err);
    if (rc != MISI_OK)
        return rc;
    rc = misi_viewset_load_json(text, len, path, set, err);
    free(text);
    return rc;
}
