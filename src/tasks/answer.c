/* The answer syntax of every task: lenient parsing of model answers (what the
 * scorer reads) and the canonical formatters (what the generator writes).
 * The rules are in misi/answer.h and docs/scoring.md.
 *
 * It stays in src/tasks although the evaluation layer (src/eval: score,
 * audit) is its main reader: the task generators format their answers with
 * it, and layers only point down, so it must live at or below src/tasks. */
#include "misi/answer.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tasks ---- */

static const char *const TASK_NAMES[MISI_TASK_MAX + 1] = {
    NULL,
    "translation",
    "rotation",
    "zooming",
    "residue_ligand",
    "translation_rotation",
    "rotation_rotation",
    "docking",
    "interaction_location",
    "pocket_ligand",
};

const char *misi_answer_task_name(int task)
{
    return task >= 1 && task <= MISI_TASK_MAX ? TASK_NAMES[task] : NULL;
}

int misi_answer_task_number(const char *name)
{
    for (int t = 1; name && t <= MISI_TASK_MAX; t++)
        if (!strcmp(name, TASK_NAMES[t]))
            return t;
    return MISI_TASK_NONE;
}

bool misi_answer_task_is_mc(int task)
{
    return task == MISI_TASK_TRANSLATION_ROTATION || task == MISI_TASK_ROTATION_ROTATION ||
           task == MISI_TASK_INTERACTION_LOCATION;
}

void misi_answer_finish(misi_answer *a)
{
    free(a->bonds);
    memset(a, 0, sizeof *a);
}

/* ---- small text helpers ---- */

static bool is_alnum(char c)
{
    return isalnum((unsigned char)c) != 0;
}

/* Does the word w (lower case) start at t + i, case-insensitively, as a whole
 * word? On success *after is the offset just past it. */
static bool word_at(const char *t, size_t i, const char *w, size_t *after)
{
    if (i > 0 && is_alnum(t[i - 1]))
        return false;
    size_t k = 0;
    for (; w[k]; k++)
        if (tolower((unsigned char)t[i + k]) != w[k])
            return false;
    if (is_alnum(t[i + k]))
        return false;
    if (after)
        *after = i + k;
    return true;
}

static size_t skip_blanks(const char *t, size_t i)
{
    while (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')
        i++;
    return i;
}

/* ---- commands in prose ---- */

typedef struct found_op {
    misi_op op;
    size_t start, end;
} found_op;

/* A number: optional sign ('+', '-' or U+2212), digits, optional fraction. */
static bool scan_number(const char *t, size_t i, double *value, size_t *after)
{
    char buf[64];
    size_t n = 0;
    if (t[i] == '+' || t[i] == '-') {
        buf[n++] = t[i++];
    } else if ((unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x88 &&
               (unsigned char)t[i + 2] == 0x92) {
        buf[n++] = '-';
        i += 3;
    }
    size_t digits = 0;
    while (isdigit((unsigned char)t[i]) && n < sizeof buf - 2) {
        buf[n++] = t[i++];
        digits++;
    }
    if (!digits)
        return false;
    if (t[i] == '.' && isdigit((unsigned char)t[i + 1])) {
        buf[n++] = t[i++];
        while (isdigit((unsigned char)t[i]) && n < sizeof buf - 1)
            buf[n++] = t[i++];
    }
    if (isdigit((unsigned char)t[i]) || is_alnum(t[i]) || t[i] == '_')
        return false; /* too long a number, or "3x" */
    buf[n] = '\0';
    double v = strtod(buf, NULL);
    if (!isfinite(v) || fabs(v) > 1e6)
        return false;
    *value = v;
    *after = i;
    return true;
}

/* A unit after a number: "°", "Å", "deg(rees)", "angstrom(s)", "A". */
static size_t skip_unit(const char *t, size_t i)
{
    size_t j = i;
    while (t[j] == ' ' || t[j] == '\t')
        j++;
    const unsigned char *u = (const unsigned char *)t + j;
    if ((u[0] == 0xC2 && (u[1] == 0xB0 || u[1] == 0xBA)) || (u[0] == 0xC3 && u[1] == 0x85))
        return j + 2;
    if (u[0] == 0xE2 && u[1] == 0x84 && u[2] == 0xAB) /* U+212B ANGSTROM SIGN */
        return j + 3;
    static const char *const WORDS[] = {"degrees", "degree", "deg", "angstroms", "angstrom", "a"};
    for (size_t k = 0; k < sizeof WORDS / sizeof WORDS[0]; k++) {
        size_t after;
        if (word_at(t, j, WORDS[k], &after))
            return after;
    }
    return i;
}

/* One command starting at t + i: "move|roll|turn [along|about|around]
 * [the] <axis>[-axis| axis] [by|:|=] <number> [unit]". */
static bool op_at(const char *t, size_t i, found_op *out)
{
    size_t j;
    misi_op op = {0};
    if (word_at(t, i, "move", &j))
        op.kind = MISI_OP_MOVE;
    else if (word_at(t, i, "roll", &j) || word_at(t, i, "turn", &j))
        op.kind = MISI_OP_ROLL;
    else
        return false;
    j = skip_blanks(t, j);
    size_t after;
    if (word_at(t, j, "along", &after) || word_at(t, j, "about", &after) || word_at(t, j, "around", &after))
        j = skip_blanks(t, after);
    if (word_at(t, j, "the", &after))
        j = skip_blanks(t, after);
    char c = (char)tolower((unsigned char)t[j]);
    if (c != 'x' && c != 'y' && c != 'z')
        return false;
    if (is_alnum(t[j + 1]))
        return false;
    op.axis = (uint8_t)(c - 'x');
    j++;
    if (t[j] == '-' && word_at(t, j + 1, "axis", &after))
        j = after;
    else if (word_at(t, skip_blanks(t, j), "axis", &after))
        j = after;
    j = skip_blanks(t, j);
    if (word_at(t, j, "by", &after))
        j = skip_blanks(t, after);
    else if (t[j] == ':' || t[j] == '=')
        j = skip_blanks(t, j + 1);
    double v;
    if (!scan_number(t, j, &v, &j))
        return false;
    op.value = (float)v;
    out->op = op;
    out->start = i;
    out->end = skip_unit(t, j);
    return true;
}

/* Text between two commands that keeps them in one run: blanks, ",;&+",
 * and the words "and", "then". */
static bool is_joiner(const char *t, size_t a, size_t b)
{
    size_t i = a;
    while (i < b) {
        char c = t[i];
        size_t after;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';' || c == '&' || c == '+')
            i++;
        else if ((word_at(t, i, "and", &after) || word_at(t, i, "then", &after)) && after <= b)
            i = after;
        else
            return false;
    }
    return true;
}

bool misi_answer_find_ops(const char *text, misi_op *ops, size_t max, size_t *n, size_t *end)
{
    *n = 0;
    if (!text)
        return false;
    /* Keep a window of the latest run only: a new command that does not join
     * the previous one starts a new run. */
    found_op run[MISI_ANSWER_MAX_OPS + 1];
    size_t count = 0;
    bool overflow = false, any = false;
    size_t last_end = 0;
    for (size_t i = 0; text[i];) {
        found_op f;
        if (isalpha((unsigned char)text[i]) && op_at(text, i, &f)) {
            if (!any || !is_joiner(text, last_end, f.start)) {
                count = 0;
                overflow = false;
            }
            if (count < MISI_ANSWER_MAX_OPS + 1)
                run[count++] = f;
            else
                overflow = true;
            any = true;
            last_end = f.end;
            i = f.end;
        } else {
            i++;
        }
    }
    if (!any || overflow || count > max)
        return false;
    for (size_t k = 0; k < count; k++)
        ops[k] = run[k].op;
    *n = count;
    if (end)
        *end = last_end;
    return true;
}

/* ---- letters ---- */

static bool is_letter(char c)
{
    c = (char)toupper((unsigned char)c);
    return c >= 'A' && c <= 'D';
}

/* After the letter at t + i: "is correct", "is right", "is the answer", "is
 * the correct answer" (any case; also "is the right answer"), past blanks,
 * '*' and quotes, so "A is correct." is the letter A and not the article. */
static bool letter_called_answer(const char *t, size_t i)
{
    size_t j = i + 1, after;
    while (t[j] && strchr(" \t*'\"`", t[j]))
        j++;
    if (!word_at(t, j, "is", &after))
        return false;
    j = skip_blanks(t, after);
    bool the = word_at(t, j, "the", &after);
    if (the)
        j = skip_blanks(t, after);
    if (word_at(t, j, "correct", &after) || word_at(t, j, "right", &after)) {
        if (!the)
            return true;
        j = skip_blanks(t, after);
    } else if (!the) {
        return false;
    }
    return word_at(t, j, "answer", NULL);
}

/* "(B)", "B)", "[B]", "Answer: B", "answer is b", "option B", "choice: b",
 * "B is correct". */
static bool letter_marked(const char *t, size_t i)
{
    size_t j = i + 1;
    while (t[j] == ' ' || t[j] == '*')
        j++;
    if (t[j] == ')' || t[j] == ']')
        return true;
    if (letter_called_answer(t, i))
        return true;
    /* walk back over blanks, ':', '*', '-', '=', an optional "is" */
    size_t k = i;
    for (int pass = 0; pass < 2; pass++) {
        while (k > 0 && strchr(" \t\r\n:*-=(['\"", t[k - 1]))
            k--;
        if (pass == 0 && k >= 2 && tolower((unsigned char)t[k - 1]) == 's' &&
            tolower((unsigned char)t[k - 2]) == 'i' && (k == 2 || !is_alnum(t[k - 3])))
            k -= 2;
        else
            break;
    }
    static const char *const MARKS[] = {"answer", "option", "choice"};
    for (size_t m = 0; m < sizeof MARKS / sizeof MARKS[0]; m++) {
        size_t len = strlen(MARKS[m]);
        if (k >= len && word_at(t, k - len, MARKS[m], NULL))
            return true;
    }
    return false;
}

char misi_answer_find_letter(const char *text, size_t *end)
{
    if (!text)
        return 0;
    static const char TRIM[] = " \t\r\n*_`'\"()[]{}.:;!<>";
    size_t a = 0, b = strlen(text);
    while (a < b && strchr(TRIM, text[a]))
        a++;
    while (b > a && strchr(TRIM, text[b - 1]))
        b--;
    if (b - a == 1 && is_letter(text[a])) {
        if (end)
            *end = a + 1;
        return (char)toupper((unsigned char)text[a]);
    }
    char marked = 0, plain = 0;
    size_t marked_end = 0, plain_end = 0;
    for (size_t i = 0; text[i]; i++) {
        char c = text[i];
        if (!is_letter(c) || (i > 0 && is_alnum(text[i - 1])) || is_alnum(text[i + 1]) ||
            (text[i + 1] == '\'' && tolower((unsigned char)text[i + 2]) == 's'))
            continue;
        if (letter_marked(text, i)) {
            marked = (char)toupper((unsigned char)c);
            marked_end = i + 1;
            continue;
        }
        if (c < 'A' || c > 'D')
            continue; /* lower case only when marked */
        /* "A" used as an article, "C-terminal", "e.g. D." are not answers */
        if (c == 'A' && text[i + 1] == ' ' && islower((unsigned char)text[i + 2]))
            continue;
        if (text[i + 1] == '-' && is_alnum(text[i + 2]))
            continue;
        plain = c;
        plain_end = i + 1;
    }
    if (marked) {
        if (end)
            *end = marked_end;
        return marked;
    }
    if (plain && end)
        *end = plain_end;
    return plain;
}

/* Net move of a run of commands; false when it has a roll. */
static bool net_move(const misi_op *ops, size_t n, double v[3])
{
    v[0] = v[1] = v[2] = 0;
    if (n == 0)
        return false;
    for (size_t k = 0; k < n; k++) {
        if (ops[k].kind != MISI_OP_MOVE)
            return false;
        v[ops[k].axis] += ops[k].value;
    }
    return true;
}

/* T8: the option whose commands the text ends with, or 0. */
static char option_by_text(const char *text, const char *const options[4], size_t *end)
{
    misi_op ops[MISI_ANSWER_MAX_OPS];
    size_t n, e;
    double want[3];
    if (!options || !misi_answer_find_ops(text, ops, MISI_ANSWER_MAX_OPS, &n, &e) || !net_move(ops, n, want))
        return 0;
    char found = 0;
    for (int o = 0; o < 4; o++) {
        misi_op oo[MISI_ANSWER_MAX_OPS];
        size_t on;
        double have[3];
        if (!options[o] || !misi_answer_find_ops(options[o], oo, MISI_ANSWER_MAX_OPS, &on, NULL) ||
            !net_move(oo, on, have))
            continue;
        if (fabs(have[0] - want[0]) < 1e-4 && fabs(have[1] - want[1]) < 1e-4 &&
            fabs(have[2] - want[2]) < 1e-4) {
            if (found)
                return 0; /* two options with the same net move: ambiguous */
            found = (char)('A' + o);
        }
    }
    if (found)
        *end = e;
    return found;
}

/* T5, T6: the option letter of the last "image N" ("Image 8", "image #8")
 * whose N names an option image (image_letters[N - 1], 1 <= N <= nimages),
 * or 0. Numbers of images that are no option are ignored. */
static char option_by_image(const char *text, const char *image_letters, size_t nimages, size_t *end)
{
    char found = 0;
    if (!image_letters)
        return 0;
    for (size_t i = 0; text[i]; i++) {
        size_t j;
        if ((text[i] != 'i' && text[i] != 'I') || !word_at(text, i, "image", &j))
            continue;
        j = skip_blanks(text, j);
        if (text[j] == '#')
            j = skip_blanks(text, j + 1);
        size_t n = 0, digits = 0;
        for (; isdigit((unsigned char)text[j]); j++, digits++)
            if (n <= nimages)
                n = n * 10 + (size_t)(text[j] - '0');
        if (!digits || is_alnum(text[j]) || (text[j] == '.' && isdigit((unsigned char)text[j + 1])))
            continue; /* "image x", "image 8b", "image 8.5" */
        if (n >= 1 && n <= nimages && image_letters[n - 1]) {
            found = image_letters[n - 1];
            *end = j;
        }
        i = j - 1;
    }
    return found;
}

/* ---- bonds ---- */

typedef enum tok_kind { TOK_WORD, TOK_COMMA, TOK_BREAK } tok_kind;

typedef struct token {
    int kind;
    size_t start, len;
} token;

/* '#' joins the qualifier of a duplicated ligand name ("C1#7", complex.c). */
static bool is_word_byte(char c)
{
    return is_alnum(c) || c == '\'' || c == '*' || c == '_' || c == '#';
}

/* Words, commas, and breaks (';', newline, '.', ':' and other punctuation).
 * Returns the count or -1 on allocation failure; *out is freed by the caller. */
static long tokenize(const char *t, token **out)
{
    size_t cap = 64, n = 0;
    token *v = malloc(cap * sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; t[i];) {
        token tk = {TOK_BREAK, i, 1};
        if (t[i] == ' ' || t[i] == '\t' || t[i] == '\r') {
            i++;
            continue;
        }
        if (is_word_byte(t[i]) || (t[i] == '-' && isdigit((unsigned char)t[i + 1]))) {
            size_t j = i + 1;
            while (is_word_byte(t[j]))
                j++;
            tk.kind = TOK_WORD;
            tk.len = j - i;
        } else if (t[i] == ',') {
            tk.kind = TOK_COMMA;
        }
        if (n == cap) {
            token *nv = cap > SIZE_MAX / 2 / sizeof *v ? NULL : realloc(v, 2 * cap * sizeof *v);
            if (!nv) {
                free(v);
                return -1;
            }
            v = nv;
            cap *= 2;
        }
        v[n++] = tk;
        i += tk.len;
    }
    *out = v;
    return (long)n;
}

static bool tok_is(const char *t, const token *k, const char *w)
{
    if (k->kind != TOK_WORD || strlen(w) != k->len)
        return false;
    for (size_t i = 0; i < k->len; i++)
        if (tolower((unsigned char)t[k->start + i]) != w[i])
            return false;
    return true;
}

/* Copy a word upper-cased; false when it does not fit or has a bad shape. */
static bool copy_name(const char *t, const token *k, char *dst, size_t cap, size_t maxlen, bool need_letter)
{
    if (k->kind != TOK_WORD || k->len == 0 || k->len > maxlen || k->len >= cap)
        return false;
    bool letter = false;
    for (size_t i = 0; i < k->len; i++) {
        char c = t[k->start + i];
        if (c == '-')
            return false;
        letter |= isalpha((unsigned char)c) != 0;
        dst[i] = (char)toupper((unsigned char)c);
    }
    dst[k->len] = '\0';
    return letter || !need_letter;
}

/* "45", "-3", "45A" */
static bool parse_resnum(const char *t, const token *k, int *number, char icode[2])
{
    if (k->kind != TOK_WORD)
        return false;
    size_t i = 0, n = k->len;
    const char *s = t + k->start;
    bool neg = false;
    if (s[0] == '-') {
        neg = true;
        i++;
    }
    long v = 0;
    size_t digits = 0;
    for (; i < n && isdigit((unsigned char)s[i]); i++, digits++) {
        v = v * 10 + (s[i] - '0');
        if (v > 999999)
            return false;
    }
    if (!digits)
        return false;
    icode[0] = icode[1] = '\0';
    if (i < n) {
        if (i + 1 != n || !isalpha((unsigned char)s[i]))
            return false;
        icode[0] = (char)toupper((unsigned char)s[i]);
    }
    *number = (int)(neg ? -v : v);
    return true;
}

/* w points at the residue-side words (2 for T4, 4 or 3 for T9), lig at the
 * ligand atom. */
static bool make_bond(int task, const char *t, const token *w, size_t nw, const token *lig,
                      misi_answer_bond *b)
{
    memset(b, 0, sizeof *b);
    if (!copy_name(t, lig, b->ligand_atom, sizeof b->ligand_atom, sizeof b->ligand_atom - 1, false))
        return false;
    if (task == MISI_TASK_RESIDUE_LIGAND) {
        return nw == 2 && copy_name(t, &w[0], b->resname, sizeof b->resname, 4, true) &&
               copy_name(t, &w[1], b->residue_atom, sizeof b->residue_atom, 6, false);
    }
    if (nw != 3 && nw != 4)
        return false;
    if (!copy_name(t, &w[0], b->resname, sizeof b->resname, 4, true) ||
        !parse_resnum(t, &w[1], &b->number, b->icode) ||
        !copy_name(t, &w[2], b->residue_atom, sizeof b->residue_atom, 6, false))
        return false;
    if (nw == 4) {
        if (w[3].kind != TOK_WORD || w[3].len != 1)
            return false;
        char c = (char)toupper((unsigned char)t[w[3].start]);
        b->chain[0] = c == '_' ? '\0' : c;
    }
    return true;
}

static int add_bond(int task, misi_answer *a, const misi_answer_bond *b)
{
    for (size_t i = 0; i < a->nbonds; i++)
        if (misi_answer_bond_equal(task, &a->bonds[i], b))
            return MISI_OK;
    if (a->nbonds == a->capbonds) {
        size_t cap = a->capbonds ? 2 * a->capbonds : 8;
        if (cap > SIZE_MAX / sizeof *a->bonds)
            return MISI_E_NOMEM;
        misi_answer_bond *nb = realloc(a->bonds, cap * sizeof *nb);
        if (!nb)
            return MISI_E_NOMEM;
        a->bonds = nb;
        a->capbonds = cap;
    }
    a->bonds[a->nbonds++] = *b;
    return MISI_OK;
}

static bool all_words(const token *tk, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (tk[i].kind != TOK_WORD)
            return false;
    return true;
}

static int parse_bonds(int task, const char *text, misi_answer *out)
{
    token *tk = NULL;
    long ntl = tokenize(text, &tk);
    if (ntl < 0)
        return MISI_E_NOMEM;
    size_t nt = (size_t)ntl;
    /* The bonds follow the last "yes"; the last of yes/no/none decides
     * between "No" and a "Yes" without bonds. */
    size_t start = 0;
    int verdict = 0; /* +1 yes, -1 no */
    for (size_t i = 0; i < nt; i++) {
        if (tok_is(text, &tk[i], "yes")) {
            start = i + 1;
            verdict = 1;
        } else if (tok_is(text, &tk[i], "no") || tok_is(text, &tk[i], "none")) {
            verdict = -1;
        }
    }
    size_t k = task == MISI_TASK_RESIDUE_LIGAND ? 2 : 4;
    int rc = MISI_OK;
    size_t consumed = start;
    /* Bonds anchored on their comma: k words before it, one after. */
    for (size_t c = start; c < nt && rc == MISI_OK; c++) {
        if (tk[c].kind != TOK_COMMA || c + 1 >= nt || tk[c + 1].kind != TOK_WORD)
            continue;
        misi_answer_bond b;
        bool ok = false;
        for (size_t w = k; w + 1 >= k && w >= 2 && !ok; w--) {
            if (c < consumed + w || !all_words(tk, c - w, c))
                continue;
            ok = make_bond(task, text, &tk[c - w], w, &tk[c + 1], &b);
            if (task == MISI_TASK_RESIDUE_LIGAND)
                break;
        }
        if (ok) {
            rc = add_bond(task, out, &b);
            consumed = c + 2;
        }
    }
    /* No comma-anchored bond at all, and no final "no": segments between
     * breaks, commas and the word "and" whose last k+1 words read as a bond
     * ("VAL O N1"). */
    if (rc == MISI_OK && out->nbonds == 0 && verdict >= 0) {
        size_t seg = start;
        for (size_t i = start; i <= nt && rc == MISI_OK; i++) {
            if (i < nt && tk[i].kind == TOK_WORD && !tok_is(text, &tk[i], "and"))
                continue;
            misi_answer_bond b;
            if (i >= seg + k + 1 && make_bond(task, text, &tk[i - k - 1], k, &tk[i - 1], &b))
                rc = add_bond(task, out, &b);
            seg = i + 1;
        }
    }
    free(tk);
    if (rc != MISI_OK)
        return rc;
    if (out->nbonds > 0 || verdict > 0)
        out->kind = MISI_ANSWER_BONDS;
    else if (verdict < 0)
        out->kind = MISI_ANSWER_NO;
    return MISI_OK;
}

/* ---- the entry point ---- */

int misi_answer_parse(int task, const char *text, const char *const options[4], misi_answer *out)
{
    return misi_answer_parse_images(task, text, options, NULL, 0, out);
}

int misi_answer_parse_images(int task, const char *text, const char *const options[4],
                             const char *image_letters, size_t nimages, misi_answer *out)
{
    memset(out, 0, sizeof *out);
    if (task < 1 || task > MISI_TASK_MAX)
        return MISI_E_USAGE;
    if (!text)
        return MISI_OK;
    switch (task) {
    case MISI_TASK_TRANSLATION:
    case MISI_TASK_ROTATION:
    case MISI_TASK_ZOOMING:
    case MISI_TASK_DOCKING:
        if (misi_answer_find_ops(text, out->ops, MISI_ANSWER_MAX_OPS, &out->nops, NULL))
            out->kind = MISI_ANSWER_OPS;
        return MISI_OK;
    case MISI_TASK_TRANSLATION_ROTATION:
    case MISI_TASK_ROTATION_ROTATION:
    case MISI_TASK_INTERACTION_LOCATION: {
        size_t lend = 0, oend = 0;
        char l = misi_answer_find_letter(text, &lend);
        char o = task == MISI_TASK_INTERACTION_LOCATION
                     ? option_by_text(text, options, &oend)
                     : option_by_image(text, image_letters, nimages, &oend);
        char pick = o && (!l || oend >= lend) ? o : l;
        if (pick) {
            out->kind = MISI_ANSWER_LETTER;
            out->letter = pick;
        }
        return MISI_OK;
    }
    default:
        return parse_bonds(task, text, out);
    }
}

/* ---- bonds: building and comparing ---- */

static int copy_upper(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= cap)
        return MISI_E_RANGE;
    for (size_t i = 0; i < n; i++)
        dst[i] = (char)toupper((unsigned char)src[i]);
    dst[n] = '\0';
    return MISI_OK;
}

int misi_answer_bond_set(misi_answer_bond *b, const char *resname, int number, const char *icode,
                         const char *chain, const char *residue_atom, const char *ligand_atom)
{
    memset(b, 0, sizeof *b);
    b->number = number;
    if (chain && !strcmp(chain, "_"))
        chain = "";
    if (icode && !strcmp(icode, " "))
        icode = "";
    if (chain && !strcmp(chain, " "))
        chain = "";
    if (copy_upper(b->resname, sizeof b->resname, resname) || copy_upper(b->icode, sizeof b->icode, icode) ||
        copy_upper(b->chain, sizeof b->chain, chain) ||
        copy_upper(b->residue_atom, sizeof b->residue_atom, residue_atom) ||
        copy_upper(b->ligand_atom, sizeof b->ligand_atom, ligand_atom))
        return MISI_E_RANGE;
    return MISI_OK;
}

static bool same(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (toupper((unsigned char)*a) != toupper((unsigned char)*b))
            return false;
    return *a == *b;
}

bool misi_answer_bond_equal(int task, const misi_answer_bond *a, const misi_answer_bond *b)
{
    if (!same(a->resname, b->resname) || !same(a->residue_atom, b->residue_atom) ||
        !same(a->ligand_atom, b->ligand_atom))
        return false;
    if (task != MISI_TASK_POCKET_LIGAND)
        return true;
    return a->number == b->number && same(a->icode, b->icode) && same(a->chain, b->chain);
}

/* ---- formatters ---- */

typedef struct out_buf {
    char *buf;
    size_t cap, len;
    bool bad;
} out_buf;

static void put(out_buf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(out_buf *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *dst = o->len < o->cap ? o->buf + o->len : NULL;
    size_t room = o->len < o->cap ? o->cap - o->len : 0;
    int n = vsnprintf(dst, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        o->bad = true;
    else
        o->len += (size_t)n;
}

/* vsnprintf already NUL-terminated whatever fitted. */
static int finish_out(const out_buf *o)
{
    if (o->bad || o->len > INT32_MAX)
        return MISI_E_RANGE;
    return (int)o->len;
}

int misi_answer_format_ops(const misi_op *ops, size_t n, char *buf, size_t cap)
{
    return misi_cmd_format(ops, n, buf, cap);
}

int misi_answer_format_residue_bonds(const misi_answer_bond *b, size_t n, char *buf, size_t cap)
{
    out_buf o = {buf, cap, 0, false};
    if (cap)
        buf[0] = '\0';
    if (n == 0) {
        put(&o, "No");
        return finish_out(&o);
    }
    put(&o, "Yes: ");
    for (size_t i = 0; i < n; i++)
        put(&o, "%s%s %s, %s", i ? "; " : "", b[i].resname, b[i].residue_atom, b[i].ligand_atom);
    return finish_out(&o);
}

int misi_answer_format_pocket_bonds(const misi_answer_bond *b, size_t n, char *buf, size_t cap)
{
    out_buf o = {buf, cap, 0, false};
    if (cap)
        buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        put(&o, "%s%s %d%s %s %s, %s", i ? "; " : "", b[i].resname, b[i].number, b[i].icode,
            b[i].residue_atom, b[i].chain[0] ? b[i].chain : "_", b[i].ligand_atom);
    return finish_out(&o);
}

int misi_answer_format(int task, const misi_answer *a, char *buf, size_t cap)
{
    if (cap)
        buf[0] = '\0';
    switch (a->kind) {
    case MISI_ANSWER_OPS:
        return misi_answer_format_ops(a->ops, a->nops, buf, cap);
    case MISI_ANSWER_LETTER:
        return snprintf(buf, cap, "%c", a->letter);
    case MISI_ANSWER_NO:
        return snprintf(buf, cap, "No");
    case MISI_ANSWER_BONDS:
        if (a->nbonds == 0)
            return snprintf(buf, cap, "%s", task == MISI_TASK_POCKET_LIGAND ? "" : "Yes");
        return task == MISI_TASK_POCKET_LIGAND
                   ? misi_answer_format_pocket_bonds(a->bonds, a->nbonds, buf, cap)
                   : misi_answer_format_residue_bonds(a->bonds, a->nbonds, buf, cap);
    default:
        return 0;
    }
}
