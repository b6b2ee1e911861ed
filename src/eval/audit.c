/* misi audit: blind baselines per task and split against chance, to prove a
 * dataset has no shortcut (misi/audit.h, docs/audit.md).
 *
 * The dataset is read once (audit_data.c): the QA records through the score
 * module's gold reader, so every baseline is scored exactly as misi score
 * would score that answer. Images are decoded lazily, only those a baseline
 * looks at (image 1 of every question, the T5/T6 option images and T5's
 * image 5), once each. */
#include "misi/audit.h"

#include "eval/audit_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "misi/answer.h"
#include "misi/fs.h"
#include "misi/rng.h"
#include "misi/score.h"

/* Candidate constants per task: the commonest gold answers. Cloze tasks
 * with free-form answers (T4, T7, T9) have nearly one answer per question;
 * the best constant is among the common ones, and the cap keeps the score
 * matrix small at any dataset size. */
#define AUDIT_MAX_CANDIDATES 64
#define AUDIT_BINS 4

/* ---- one row: the questions of a task in a split ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct row {
    dataset *d;
    int task;
    question **q;
    size_t n;
    misi_answer *cand; /* candidate constants */
    size_t m;
    double *S;    /* S[c * n + i]: score of candidate c on question i */
    bool can_fit; /* both folds have questions */
    misi_audit_row *out;
    double margin;  /* fraction */
    bool no_images; /* misi_audit_options.no_images */
} row;

/* The score of answer a on question q: misi's scorer; for T4 the yes/no
 * decision (misi/audit.h says why). */
static double qscore(const question *q, const misi_answer *a)
{
    if (q->task == MISI_TASK_RESIDUE_LIGAND)
        return (q->g->truth.kind == MISI_ANSWER_NO) == (a->kind == MISI_ANSWER_NO) ? 1.0 : 0.0;
    return misi_score_question(q->g, a, NULL);
}

typedef struct count_ent {
    const char *text;
    size_t count;
} count_ent;

static int cmp_count(const void *a, const void *b)
{
    const count_ent *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->text, y->text);
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(((const count_ent *)a)->text, ((const count_ent *)b)->text);
}

/* The candidate constants: A-D for MC tasks, No / Yes for T4, else the
 * commonest gold answers. */
static int row_candidates(row *r)
{
    const char *fixed[4];
    size_t nfixed = 0;
    if (misi_answer_task_is_mc(r->task)) {
        fixed[0] = "A", fixed[1] = "B", fixed[2] = "C", fixed[3] = "D";
        nfixed = 4;
    }
    if (nfixed) {
        r->cand = calloc(nfixed, sizeof *r->cand);
        if (!r->cand)
            return MISI_E_NOMEM;
        for (size_t i = 0; i < nfixed; i++)
            if (misi_answer_parse(r->task, fixed[i], NULL, &r->cand[r->m++]))
                return MISI_E_NOMEM;
        return MISI_OK;
    }
    if (r->task == MISI_TASK_RESIDUE_LIGAND) {
        r->cand = calloc(2, sizeof *r->cand);
        if (!r->cand)
            return MISI_E_NOMEM;
        r->cand[0].kind = MISI_ANSWER_NO;
        r->cand[1].kind = MISI_ANSWER_BONDS; /* "Yes", with no bond: the yes/no decision only */
        r->m = 2;
        return MISI_OK;
    }
    count_ent *e = calloc(r->n ? r->n : 1, sizeof *e);
    if (!e)
        return MISI_E_NOMEM;
    for (size_t i = 0; i < r->n; i++)
        e[i].text = r->q[i]->answer;
    qsort(e, r->n, sizeof *e, cmp_text);
    size_t u = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (u && !strcmp(e[u - 1].text, e[i].text)) {
            e[u - 1].count++;
            continue;
        }
        e[u].text = e[i].text;
        e[u].count = 1;
        u++;
    }
    qsort(e, u, sizeof *e, cmp_count);
    size_t m = u < AUDIT_MAX_CANDIDATES ? u : AUDIT_MAX_CANDIDATES;
    r->cand = calloc(m ? m : 1, sizeof *r->cand);
    int rc = r->cand ? MISI_OK : MISI_E_NOMEM;
    for (size_t i = 0; !rc && i < m; i++) {
        rc = misi_answer_parse(r->task, e[i].text, NULL, &r->cand[i]);
        if (!rc)
            r->m++;
    }
    free(e);
    return rc;
}

/* Candidate with the highest total over the questions idx[0..k) (ties: the
 * earlier candidate, i.e. the commoner answer). */
static size_t best_over(const row *r, const size_t *idx, size_t k)
{
    size_t best = 0;
    double bs = -1;
    for (size_t c = 0; c < r->m; c++) {
        double s = 0;
        for (size_t j = 0; j < k; j++)
            s += r->S[c * r->n + idx[j]];
        if (s > bs + 1e-12) {
            bs = s;
            best = c;
        }
    }
    return best;
}

typedef struct keyed {
    uint64_t key;
    size_t i;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Cross-fitting, one fold: for each question of fold f, the best constant of
 * its key's group among the questions of the other fold (the best constant
 * of the whole other fold when its key is unseen there); its score into
 * out[i]. */
static int fit_fold(const row *r, const uint64_t *key, int f, double *out)
{
    size_t nt = 0;
    for (size_t i = 0; i < r->n; i++)
        nt += r->q[i]->fold != f;
    keyed *t = calloc(nt ? nt : 1, sizeof *t);
    size_t *idx = calloc(nt ? nt : 1, sizeof *idx);
    keyed *groups = calloc(nt ? nt : 1, sizeof *groups); /* key -> best candidate (in .i) */
    if (!t || !idx || !groups) {
        free(t);
        free(idx);
        free(groups);
        return MISI_E_NOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->q[i]->fold != f)
            t[k++] = (keyed){key[i], i};
    qsort(t, nt, sizeof *t, cmp_keyed);
    for (size_t j = 0; j < nt; j++)
        idx[j] = t[j].i;
    size_t global = best_over(r, idx, nt);
    size_t ng = 0;
    for (size_t a = 0; a < nt;) {
        size_t b = a;
        while (b < nt && t[b].key == t[a].key)
            b++;
        groups[ng++] = (keyed){t[a].key, best_over(r, idx + a, b - a)};
        a = b;
    }
    for (size_t i = 0; i < r->n; i++) {
        if (r->q[i]->fold != f)
            continue;
        size_t c = global;
        size_t lo = 0, hi = ng;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (groups[mid].key < key[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < ng && groups[lo].key == key[i])
            c = groups[lo].i;
        out[i] = r->S[c * r->n + i];
    }
    free(t);
    free(idx);
    free(groups);
    return MISI_OK;
}

static int fit_groups(const row *r, const uint64_t *key, double *out)
{
    int rc = fit_fold(r, key, 0, out);
    return rc ? rc : fit_fold(r, key, 1, out);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile bins of a scalar (NaN: a bin of its own), the edges taken from
 * the other fold, then the best constant per bin, cross-fitted. */
static int fit_bins(const row *r, const double *x, int nbins, double *out)
{
    double *v = calloc(r->n ? r->n : 1, sizeof *v);
    uint64_t *key = calloc(r->n ? r->n : 1, sizeof *key);
    int rc = v && key ? MISI_OK : MISI_E_NOMEM;
    for (int f = 0; !rc && f < 2; f++) {
        size_t k = 0;
        for (size_t i = 0; i < r->n; i++)
            if (r->q[i]->fold != f && !isnan(x[i]))
                v[k++] = x[i];
        qsort(v, k, sizeof *v, cmp_double);
        double edges[16];
        int ne = 0;
        for (int b = 1; b < nbins && k; b++)
            edges[ne++] = v[(size_t)b * k / (size_t)nbins];
        for (size_t i = 0; i < r->n; i++) {
            if (isnan(x[i])) {
                key[i] = UINT64_MAX;
                continue;
            }
            uint64_t bin = 0;
            for (int e = 0; e < ne; e++)
                bin += x[i] >= edges[e];
            key[i] = bin;
        }
        rc = fit_fold(r, key, f, out);
    }
    free(v);
    free(key);
    return rc;
}

/* ---- baselines' results ---- */

static misi_audit_baseline *add_baseline(row *r, const char *family, const char *name)
{
    misi_audit_row *o = r->out;
    misi_audit_baseline *v = realloc(o->b, (o->nb + 1) * sizeof *v);
    if (!v)
        return NULL;
    o->b = v;
    misi_audit_baseline *b = &o->b[o->nb++];
    memset(b, 0, sizeof *b);
    snprintf(b->family, sizeof b->family, "%s", family);
    snprintf(b->name, sizeof b->name, "%s", name);
    return b;
}

static int not_run(row *r, const char *family, const char *name, const char *why)
{
    misi_audit_baseline *b = add_baseline(r, family, name);
    if (!b)
        return MISI_E_NOMEM;
    b->verdict = MISI_AUDIT_NA;
    snprintf(b->why, sizeof b->why, "%s", why);
    return MISI_OK;
}

/* An interval for a mean of n per-question scores at normal quantile z:
 * Wilson's score interval when every score is 0 or 1, else mean +- z sd /
 * sqrt(n); clipped to [0, 1]. */
static void interval_z(double mean, double sd, bool binary, size_t n, double z, double *lo, double *hi)
{
    if (n == 0) {
        *lo = 0, *hi = 1;
        return;
    }
    double dn = (double)n;
    if (binary) {
        double den = 1 + z * z / dn;
        double c = (mean + z * z / (2 * dn)) / den;
        double h = z * sqrt(mean * (1 - mean) / dn + z * z / (4 * dn * dn)) / den;
        *lo = c - h, *hi = c + h;
    } else {
        double h = z * sd / sqrt(dn);
        *lo = mean - h, *hi = mean + h;
    }
    if (*lo < 0)
        *lo = 0;
    if (*hi > 1)
        *hi = 1;
}

/* Record a baseline's per-question scores: mean, sample sd, whether all
 * are 0/1, and the 95 % interval. The verdict waits for the reference
 * (finish_row) and for the number of baselines (set_verdicts). */
static int record(row *r, const char *family, const char *name, const double *s)
{
    misi_audit_baseline *b = add_baseline(r, family, name);
    if (!b)
        return MISI_E_NOMEM;
    double sum = 0, sq = 0;
    bool binary = true;
    for (size_t i = 0; i < r->n; i++) {
        sum += s[i];
        sq += s[i] * s[i];
        binary &= s[i] == 0 || s[i] == 1;
    }
    double dn = (double)r->n, m = r->n ? sum / dn : 0;
    double var = r->n > 1 ? (sq - dn * m * m) / (dn - 1) : 0;
    b->score = m;
    b->sd = var > 0 ? sqrt(var) : 0;
    b->binary = binary;
    interval_z(m, b->sd, binary, r->n, 1.96, &b->lo, &b->hi);
    return MISI_OK;
}

/* A baseline that answers a letter per question (0 = no answer: scores 0). */
static int record_letters(row *r, const char *family, const char *name, const char *letters, double *s)
{
    for (size_t i = 0; i < r->n; i++) {
        misi_answer a = {.kind = letters[i] ? MISI_ANSWER_LETTER : MISI_ANSWER_NONE, .letter = letters[i]};
        s[i] = qscore(r->q[i], &a);
    }
    return record(r, family, name, s);
}

/* ---- the baselines ---- */

static int run_constant(row *r, double *s)
{
    if (!r->can_fit)
        return not_run(r, "constant", "best constant", "one complex only: nothing to cross-fit");
    uint64_t *key = calloc(r->n, sizeof *key);
    if (!key)
        return MISI_E_NOMEM;
    int rc = fit_groups(r, key, s);
    free(key);
    return rc ? rc : record(r, "constant", "best constant", s);
}

static int run_id(row *r, double *s)
{
    static const struct {
        const char *name;
        long mod;
    } F[] = {{"index", 0}, {"index mod 2", 2}, {"index mod 3", 3}, {"index mod 6", 6}};
    for (size_t k = 0; k < sizeof F / sizeof F[0]; k++) {
        if (!r->can_fit) {
            int rc = not_run(r, "id", F[k].name, "one complex only: nothing to cross-fit");
            if (rc)
                return rc;
            continue;
        }
        uint64_t *key = calloc(r->n, sizeof *key);
        if (!key)
            return MISI_E_NOMEM;
        for (size_t i = 0; i < r->n; i++) {
            long ix = r->q[i]->index;
            key[i] = ix < 0 ? UINT64_MAX : (uint64_t)(F[k].mod ? ix % F[k].mod : ix);
        }
        int rc = fit_groups(r, key, s);
        free(key);
        if (!rc)
            rc = record(r, "id", F[k].name, s);
        if (rc)
            return rc;
    }
    return MISI_OK;
}

/* Question text: a constant per text (numbers blanked), and for T4 per
 * residue name, the prior a model could have of which residue types bond. */
static int run_question_text(row *r, double *s)
{
    static const char FAMILY[] = "question-text";
    const bool t4 = r->task == MISI_TASK_RESIDUE_LIGAND;
    const char *const NAMES[2] = {"text, numbers blanked", "residue name (T4)"};
    for (int k = 0; k < (t4 ? 2 : 1); k++) {
        if (!r->can_fit) {
            if (not_run(r, FAMILY, NAMES[k], "one complex only: nothing to cross-fit"))
                return MISI_E_NOMEM;
            continue;
        }
        uint64_t *key = calloc(r->n ? r->n : 1, sizeof *key);
        if (!key)
            return MISI_E_NOMEM;
        for (size_t i = 0; i < r->n; i++)
            key[i] = k ? r->q[i]->residue_key : r->q[i]->text_key;
        int rc = fit_groups(r, key, s);
        free(key);
        if (!rc)
            rc = record(r, FAMILY, NAMES[k], s);
        if (rc)
            return rc;
    }
    return MISI_OK;
}

/* T8 option text: the net move (x, y) and the comma-separated components. */
typedef struct opt_text {
    double x, y;
    char comp[4][48];
    int ncomp;
    bool ok;
} opt_text;

static void read_option(const char *text, opt_text *o)
{
    memset(o, 0, sizeof *o);
    if (!text)
        return;
    misi_op ops[MISI_ANSWER_MAX_OPS];
    size_t n;
    if (misi_answer_find_ops(text, ops, MISI_ANSWER_MAX_OPS, &n, NULL)) {
        for (size_t i = 0; i < n; i++) {
            if (ops[i].kind != MISI_OP_MOVE)
                continue;
            if (ops[i].axis == MISI_AXIS_X)
                o->x += ops[i].value;
            else if (ops[i].axis == MISI_AXIS_Y)
                o->y += ops[i].value;
        }
        o->ok = true;
    }
    /* components, normalised: lower case, single spaces */
    const char *p = text;
    while (*p && o->ncomp < 4) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *c = o->comp[o->ncomp];
        size_t k = 0;
        bool space = false;
        for (size_t i = 0; i < len && k + 1 < sizeof o->comp[0]; i++) {
            char ch = p[i];
            if (ch == ' ' || ch == '\t') {
                space = k > 0;
                continue;
            }
            if (space && k + 2 < sizeof o->comp[0])
                c[k++] = ' ';
            space = false;
            c[k++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        }
        c[k] = 0;
        if (k)
            o->ncomp++;
        p = e ? e + 1 : p + len;
    }
}

/* Argmin (or argmax) of v[0..4) over the options present; ties: the first. */
static char pick(const double *v, const bool *have, bool max)
{
    int best = -1;
    for (int k = 0; k < 4; k++) {
        if (!have[k])
            continue;
        if (best < 0 || (max ? v[k] > v[best] + 1e-12 : v[k] < v[best] - 1e-12))
            best = k;
    }
    return best < 0 ? 0 : (char)('A' + best);
}

static int run_option_text(row *r, double *s)
{
    enum { SHARED, MEDOID, OUTLIER, SMALL, LARGE, FIRST, NB };
    static const char *const NAMES[NB] = {"most-shared option", "medoid option (L1)", "outlier option (L1)",
                                          "smallest move",      "largest move",       "first in text order"};
    char *pred[NB];
    for (int b = 0; b < NB; b++)
        pred[b] = calloc(r->n ? r->n : 1, 1);
    int rc = MISI_OK;
    for (int b = 0; b < NB; b++)
        if (!pred[b])
            rc = MISI_E_NOMEM;
    for (size_t i = 0; !rc && i < r->n; i++) {
        const question *q = r->q[i];
        opt_text o[4];
        bool have[4], num[4];
        for (int k = 0; k < 4; k++) {
            read_option(q->opt[k], &o[k]);
            have[k] = q->opt[k] != NULL;
            num[k] = o[k].ok;
        }
        double shared[4] = {0}, dist[4] = {0}, mag[4] = {0};
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 4; j++) {
                if (j == k || !have[j])
                    continue;
                for (int a = 0; a < o[k].ncomp; a++)
                    for (int b = 0; b < o[j].ncomp; b++)
                        shared[k] += !strcmp(o[k].comp[a], o[j].comp[b]);
                dist[k] += fabs(o[k].x - o[j].x) + fabs(o[k].y - o[j].y);
            }
            mag[k] = fabs(o[k].x) + fabs(o[k].y);
        }
        pred[SHARED][i] = pick(shared, have, true);
        pred[MEDOID][i] = pick(dist, num, false);
        pred[OUTLIER][i] = pick(dist, num, true);
        pred[SMALL][i] = pick(mag, num, false);
        pred[LARGE][i] = pick(mag, num, true);
        int first = -1;
        for (int k = 0; k < 4; k++)
            if (have[k] && (first < 0 || strcmp(q->opt[k], q->opt[first]) < 0))
                first = k;
        pred[FIRST][i] = first < 0 ? 0 : (char)('A' + first);
    }
    for (int b = 0; !rc && b < NB; b++)
        rc = record_letters(r, "option-text", NAMES[b], pred[b], s);
    for (int b = 0; b < NB; b++)
        free(pred[b]);
    return rc;
}

/* The T5 exploit of issue 14: decoys built as perturbations of the truth
 * (one on the other translation axis with the same value) make the truth
 * the option on the majority axis whose offset matches the odd one's. */
static char t5_odd_axis(const img_stats *const st[4], const img_stats *origin, char fallback)
{
    /* the offsets from the options' mean (the estimate), or from
     * the second complex's front view (image 5), which the operations start
     * from */
    double mx = 0, my = 0;
    for (int k = 0; k < 4; k++)
        mx += st[k]->cx / 4, my += st[k]->cy / 4;
    if (origin)
        mx = origin->cx, my = origin->cy;
    double off[4][2];
    int axis[4], nx = 0;
    for (int k = 0; k < 4; k++) {
        off[k][0] = st[k]->cx - mx;
        off[k][1] = st[k]->cy - my;
        axis[k] = fabs(off[k][0]) >= fabs(off[k][1]) ? 0 : 1;
        nx += axis[k] == 0;
    }
    if (nx != 1 && nx != 3)
        return fallback;
    int odd_axis = nx == 1 ? 0 : 1, odd = -1;
    for (int k = 0; k < 4; k++)
        if (axis[k] == odd_axis)
            odd = k;
    double v = off[odd][odd_axis];
    int best = -1;
    double bd = 0;
    for (int k = 0; k < 4; k++) {
        if (k == odd)
            continue;
        double dd = fabs(off[k][1 - odd_axis] - v);
        if (best < 0 || dd < bd) {
            best = k;
            bd = dd;
        }
    }
    return (char)('A' + best);
}

static int run_option_image(row *r, double *s, misi_error *err)
{
    enum { TMED, TOUT, CMED, COUT, ODD, ODD5, NB };
    static const char *const NAMES[NB] = {"medoid image (thumbnail)", "outlier image (thumbnail)",
                                          "medoid image (centroid)",  "outlier image (centroid)",
                                          "centroid odd-axis (T5)",   "centroid odd-axis from image 5 (T5)"};
    int nb = r->task == MISI_TASK_TRANSLATION_ROTATION ? NB : ODD;
    char *pred[NB] = {0};
    int rc = MISI_OK;
    for (int b = 0; b < nb; b++)
        if (!(pred[b] = calloc(r->n ? r->n : 1, 1)))
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
    size_t usable = 0;
    for (size_t i = 0; !rc && i < r->n; i++) {
        const question *q = r->q[i];
        const img_stats *st[4];
        bool have[4] = {true, true, true, true};
        bool all = true;
        for (int k = 0; k < 4 && !rc; k++) {
            if (q->optimg[k] < 0) {
                all = false;
                break;
            }
            rc = audit_image_stats(r->d, (size_t)q->optimg[k], q, &st[k], err);
        }
        if (rc || !all)
            continue;
        usable++;
        double td[4] = {0}, cd[4] = {0};
        for (int k = 0; k < 4; k++)
            for (int j = 0; j < 4; j++) {
                if (j == k)
                    continue;
                double l1 = 0;
                for (int p = 0; p < AUDIT_THUMB * AUDIT_THUMB; p++)
                    l1 += fabs((double)st[k]->thumb[p] - st[j]->thumb[p]);
                td[k] += l1;
                cd[k] += hypot(st[k]->cx - st[j]->cx, st[k]->cy - st[j]->cy);
            }
        pred[TMED][i] = pick(td, have, false);
        pred[TOUT][i] = pick(td, have, true);
        pred[CMED][i] = pick(cd, have, false);
        pred[COUT][i] = pick(cd, have, true);
        if (nb == NB) {
            pred[ODD][i] = t5_odd_axis(st, NULL, pred[TMED][i]);
            /* image 5: the second complex's front view, before the operations */
            const img_stats *front = NULL;
            if (q->nimg >= 11)
                rc = audit_image_stats(r->d, q->img[4], q, &front, err);
            pred[ODD5][i] = front ? t5_odd_axis(st, front, pred[TMED][i]) : pred[ODD][i];
        }
    }
    for (int b = 0; !rc && b < nb; b++)
        rc = usable ? record_letters(r, "option-image", NAMES[b], pred[b], s)
                    : not_run(r, "option-image", NAMES[b], "no question has four option images");
    if (rc == MISI_E_NOMEM && !err->msg[0])
        misi_error_set(err, rc, "out of memory");
    for (int b = 0; b < NB; b++)
        free(pred[b]);
    return rc;
}

static int run_image_stats(row *r, double *s, misi_error *err)
{
    static const char *const NAMES[2] = {"image 1 non-black share (4 bins)", "image 1 extent (4 bins)"};
    if (!r->can_fit) {
        for (int k = 0; k < 2; k++)
            if (not_run(r, "image-stats", NAMES[k], "one complex only: nothing to cross-fit"))
                return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        return MISI_OK;
    }
    double *x[2];
    x[0] = calloc(r->n, sizeof(double));
    x[1] = calloc(r->n, sizeof(double));
    int rc = x[0] && x[1] ? MISI_OK : misi_error_set(err, MISI_E_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < r->n; i++) {
        const img_stats *st;
        rc = audit_image_stats(r->d, r->q[i]->img[0], r->q[i], &st, err);
        if (!rc) {
            x[0][i] = st->frac;
            x[1][i] = st->extent;
        }
    }
    for (int k = 0; !rc && k < 2; k++) {
        rc = fit_bins(r, x[k], AUDIT_BINS, s);
        if (!rc)
            rc = record(r, "image-stats", NAMES[k], s);
        if (rc)
            misi_error_set(err, rc, "out of memory");
    }
    free(x[0]);
    free(x[1]);
    return rc;
}

/* Rows of R (3x3, row-major) times S. */
static void mat_mul(const double *a, const double *b, double *c)
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int k = 0; k < 3; k++)
                s += a[3 * i + k] * b[3 * k + j];
            c[3 * i + j] = s;
        }
}

/* a * transpose(b). */
static void mat_mul_t(const double *a, const double *b, double *c)
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int k = 0; k < 3; k++)
                s += a[3 * i + k] * b[3 * j + k];
            c[3 * i + j] = s;
        }
}

static double mat_dist(const double *a, const double *b)
{
    double s = 0;
    for (int i = 0; i < 9; i++)
        s += (a[i] - b[i]) * (a[i] - b[i]);
    return s;
}

/* The roll that turns pose 1 into pose 4 (R4 = Rroll R1), as one op. */
static misi_op roll_between(const double *r1, const double *r4)
{
    double rel[9];
    mat_mul_t(r4, r1, rel);
    int axis = 0;
    for (int a = 1; a < 3; a++)
        if (rel[4 * a] > rel[4 * axis])
            axis = a;
    double ang;
    if (axis == 0)
        ang = atan2(rel[7], rel[4]);
    else if (axis == 1)
        ang = atan2(rel[2], rel[0]);
    else
        ang = atan2(rel[3], rel[0]);
    return (misi_op){.kind = MISI_OP_ROLL, .axis = (uint8_t)axis, .value = (float)round(ang * 180.0 / M_PI)};
}

/* A metadata baseline that cannot run. */
static int meta_na(row *r, const char *name, const char *why, misi_error *err)
{
    return not_run(r, "metadata", name, why) ? misi_error_set(err, MISI_E_NOMEM, "out of memory") : MISI_OK;
}

/* Metadata: generic (a constant per value of the question's images'
 * columns) and the recoveries issue 14 measured. */
static int run_metadata(row *r, double *s, misi_error *err)
{
    dataset *d = r->d;
    int rc = MISI_OK;
    const char *nometa = "metadata.jsonl / shards.jsonl: no column besides file_name and complex";
    /* (a) generic: all columns, then each column */
    for (size_t c = 0; c <= d->ncol && !rc; c++) {
        char name[48];
        if (c == 0)
            snprintf(name, sizeof name, "all columns");
        else
            snprintf(name, sizeof name, "column %.30s", d->colnames[c - 1]);
        if (!d->ncol) {
            rc = not_run(r, "metadata", name, nometa);
            break;
        }
        if (!r->can_fit) {
            rc = not_run(r, "metadata", name, "one complex only: nothing to cross-fit");
            continue;
        }
        uint64_t *key = calloc(r->n, sizeof *key);
        if (!key)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        for (size_t i = 0; i < r->n; i++) {
            uint64_t h = 1469598103934665603ull;
            for (size_t k = 0; k < r->q[i]->nimg; k++) {
                const image *im = &d->img[r->q[i]->img[k]];
                for (size_t col = 0; col < d->ncol; col++) {
                    if (c && col != c - 1)
                        continue;
                    h ^= im->col[col] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
                }
            }
            key[i] = h;
        }
        rc = fit_groups(r, key, s);
        free(key);
        if (!rc)
            rc = record(r, "metadata", name, s);
    }
    if (rc)
        return misi_error_set(err, rc, "out of memory");
    /* (b) the specific recoveries */
    const char *name = NULL;
    switch (r->task) {
    case MISI_TASK_TRANSLATION:
    case MISI_TASK_ROTATION:
    case MISI_TASK_ZOOMING:
        name = "pose of image 4 vs image 1";
        break;
    case MISI_TASK_TRANSLATION_ROTATION:
        name = "option with image 4's pose";
        break;
    case MISI_TASK_ROTATION_ROTATION:
        name = "option with rotation R4 R4";
        break;
    case MISI_TASK_RESIDUE_LIGAND:
        name = "px_per_angstrom (4 bins)";
        break;
    default:
        return MISI_OK;
    }
    if (r->task == MISI_TASK_RESIDUE_LIGAND) {
        if (!d->any_scale)
            return meta_na(r, name, "metadata.jsonl has no px_per_angstrom", err);
        if (!r->can_fit)
            return meta_na(r, name, "one complex only: nothing to cross-fit", err);
        double *x = calloc(r->n, sizeof *x);
        if (!x)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        for (size_t i = 0; i < r->n; i++) {
            const image *im = &d->img[r->q[i]->img[0]];
            x[i] = im->has_scale ? im->px_per_a : NAN;
        }
        rc = fit_bins(r, x, AUDIT_BINS, s);
        free(x);
        if (!rc)
            rc = record(r, "metadata", name, s);
        return rc ? misi_error_set(err, rc, "out of memory") : MISI_OK;
    }
    if (!d->any_pose)
        return meta_na(r, name, "metadata.jsonl has no rotation and translation", err);
    for (size_t i = 0; i < r->n; i++) {
        const question *q = r->q[i];
        misi_answer a = {0};
        const image *i1 = &d->img[q->img[0]], *i4 = q->nimg >= 4 ? &d->img[q->img[3]] : NULL;
        if (!i4 || !i1->has_pose || !i4->has_pose) {
            s[i] = 0; /* no pose to read: no answer */
            continue;
        }
        if (r->task == MISI_TASK_TRANSLATION || r->task == MISI_TASK_ZOOMING) {
            double dt[3] = {i4->trans[0] - i1->trans[0], i4->trans[1] - i1->trans[1],
                            i4->trans[2] - i1->trans[2]};
            int axis = r->task == MISI_TASK_ZOOMING ? 2 : fabs(dt[0]) >= fabs(dt[1]) ? 0 : 1;
            a.kind = MISI_ANSWER_OPS;
            a.nops = 1;
            a.ops[0] =
                (misi_op){.kind = MISI_OP_MOVE, .axis = (uint8_t)axis, .value = (float)round(dt[axis])};
        } else if (r->task == MISI_TASK_ROTATION) {
            a.kind = MISI_ANSWER_OPS;
            a.nops = 1;
            a.ops[0] = roll_between(i1->rot, i4->rot);
        } else {
            /* T5: the option drawn with image 4's pose; T6: the option whose
             * rotation is the two rolls applied twice, Rrel Rrel R1 with
             * Rrel = R4 R1^T */
            double want[9];
            if (r->task == MISI_TASK_ROTATION_ROTATION) {
                double rel[9];
                mat_mul_t(i4->rot, i1->rot, rel);
                mat_mul(rel, i4->rot, want);
            } else {
                memcpy(want, i4->rot, sizeof want);
            }
            double best = INFINITY;
            for (int k = 0; k < 4; k++) {
                if (q->optimg[k] < 0)
                    continue;
                const image *o = &d->img[q->optimg[k]];
                if (!o->has_pose)
                    continue;
                double dd = mat_dist(o->rot, want);
                if (r->task == MISI_TASK_TRANSLATION_ROTATION)
                    for (int j = 0; j < 3; j++)
                        dd += (o->trans[j] - i4->trans[j]) * (o->trans[j] - i4->trans[j]);
                if (dd < best) {
                    best = dd;
                    a.kind = MISI_ANSWER_LETTER;
                    a.letter = (char)('A' + k);
                }
            }
        }
        s[i] = qscore(q, &a);
    }
    rc = record(r, "metadata", name, s);
    return rc ? misi_error_set(err, rc, "out of memory") : MISI_OK;
}

/* ---- verdicts ---- */

const char *misi_audit_verdict_name(int v)
{
    switch (v) {
    case MISI_AUDIT_OK:
        return "ok";
    case MISI_AUDIT_SUSPECT:
        return "suspect";
    case MISI_AUDIT_SHORTCUT:
        return "SHORTCUT";
    default:
        return "n/a";
    }
}

/* The row's reference ("chance"). */
static void finish_row(row *r)
{
    misi_audit_row *o = r->out;
    if (misi_answer_task_is_mc(r->task)) {
        o->reference = 0.25;
        o->reference_kind = "4 options";
    } else {
        /* The best constant in hindsight (in-sample): what a constant can
         * reach at most on these questions. The cross-fitted constant is
         * itself a noisy estimate, and one that falls below the truth by
         * chance would make every other baseline look better than guessing;
         * judging against the in-sample best keeps such noise on the side of
         * "ok". For T4 it is the majority class's share. */
        o->reference_kind = r->task == MISI_TASK_RESIDUE_LIGAND ? "majority class" : "best constant";
        size_t *idx = calloc(r->n ? r->n : 1, sizeof *idx);
        double best = 0;
        if (idx) {
            for (size_t i = 0; i < r->n; i++)
                idx[i] = i;
            size_t cb = best_over(r, idx, r->n);
            for (size_t i = 0; i < r->n; i++)
                best += r->S[cb * r->n + i];
            best /= r->n ? (double)r->n : 1;
        }
        free(idx);
        o->reference = best;
    }
}

/* The normal quantile z with P(Z > z) = p (bisection on erfc: accurate to
 * well below what a verdict needs). */
static double normal_upper_quantile(double p)
{
    double lo = 0, hi = 40;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (0.5 * erfc(mid / M_SQRT2) > p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* Every verdict, once all rows are in: ok at or below reference + margin;
 * SHORTCUT when the lower end of the decisive interval is above it; suspect
 * in between. The decisive interval is 95 % family-wise over the baselines
 * that ran (Bonferroni: two-sided 0.05 / m each), or the plain 95 % one
 * when per_baseline. */
static void set_verdicts(misi_audit_report *rep, double margin, bool per_baseline)
{
    size_t m = 0;
    for (size_t i = 0; i < rep->nrows; i++)
        for (size_t k = 0; k < rep->rows[i].nb; k++)
            m += rep->rows[i].b[k].verdict != MISI_AUDIT_NA;
    rep->baselines_run = m;
    double z = per_baseline || m <= 1 ? 1.96 : normal_upper_quantile(0.025 / (double)m);
    rep->decisive_z = z;
    rep->decisive_confidence = per_baseline || m <= 1 ? 0.95 : 1 - 0.05 / (double)m;
    for (size_t i = 0; i < rep->nrows; i++) {
        misi_audit_row *o = &rep->rows[i];
        double bar = o->reference + margin;
        for (size_t k = 0; k < o->nb; k++) {
            misi_audit_baseline *b = &o->b[k];
            if (b->verdict == MISI_AUDIT_NA)
                continue;
            double hi;
            interval_z(b->score, b->sd, b->binary, o->n, z, &b->lo_decisive, &hi);
            if (b->score <= bar + 1e-12)
                b->verdict = MISI_AUDIT_OK;
            else if (b->lo_decisive > bar + 1e-12)
                b->verdict = MISI_AUDIT_SHORTCUT;
            else
                b->verdict = MISI_AUDIT_SUSPECT;
        }
    }
}

static int run_row(row *r, misi_error *err)
{
    int rc = row_candidates(r);
    if (rc)
        return misi_error_set(err, rc, "out of memory");
    if (r->m > SIZE_MAX / sizeof(double) / (r->n ? r->n : 1))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    r->S = malloc((r->m ? r->m : 1) * (r->n ? r->n : 1) * sizeof *r->S);
    double *s = calloc(r->n ? r->n : 1, sizeof *s);
    if (!r->S || !s) {
        free(s);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    }
    for (size_t c = 0; c < r->m; c++)
        for (size_t i = 0; i < r->n; i++)
            r->S[c * r->n + i] = qscore(r->q[i], &r->cand[c]);
    /* folds: the row's groups (complexes, or --groups) in the order of their
     * hash, alternately, so both folds have questions whenever there are two */
    char **cx = calloc(r->n ? r->n : 1, sizeof *cx);
    if (!cx) {
        free(s);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    }
    size_t nc = 0;
    for (size_t i = 0; i < r->n; i++)
        cx[nc++] = (char *)r->q[i]->group;
    qsort(cx, nc, sizeof *cx, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < nc; i++)
        if (!u || strcmp(cx[u - 1], cx[i]))
            cx[u++] = cx[i];
    /* order by hash (ties by name, already sorted) */
    keyed *kh = calloc(u ? u : 1, sizeof *kh);
    if (!kh) {
        free(cx);
        free(s);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < u; i++)
        kh[i] = (keyed){misi_hash64(cx[i]), i};
    qsort(kh, u, sizeof *kh, cmp_keyed);
    for (size_t i = 0; i < r->n; i++) {
        size_t lo = 0, hi = u;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(cx[mid], r->q[i]->group) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t rank = 0;
        for (size_t k = 0; k < u; k++)
            if (kh[k].i == lo)
                rank = k;
        r->q[i]->fold = (int)(rank % 2);
    }
    r->can_fit = u >= 2;
    free(kh);
    free(cx);

    r->out->n = r->n;
    rc = run_constant(r, s);
    if (!rc)
        rc = run_id(r, s);
    if (!rc)
        rc = run_question_text(r, s);
    if (!rc && r->task == MISI_TASK_INTERACTION_LOCATION)
        rc = run_option_text(r, s);
    if (rc)
        rc = misi_error_set(err, rc, "out of memory");
    bool mc_images = r->task == MISI_TASK_TRANSLATION_ROTATION || r->task == MISI_TASK_ROTATION_ROTATION;
    if (r->no_images) {
        /* Without decoding a single image: misi generate's own report. */
        if (!rc && mc_images && not_run(r, "option-image", "all", "not run: images were not read"))
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
        if (!rc && not_run(r, "image-stats", "all", "not run: images were not read"))
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
    } else {
        if (!rc && mc_images)
            rc = run_option_image(r, s, err);
        if (!rc)
            rc = run_image_stats(r, s, err);
    }
    if (!rc)
        rc = run_metadata(r, s, err);
    if (!rc)
        finish_row(r);
    free(s);
    return rc;
}

static void row_finish(row *r)
{
    for (size_t c = 0; c < r->m; c++)
        misi_answer_finish(&r->cand[c]);
    free(r->cand);
    free(r->S);
    free(r->q);
}

/* ---- the run ---- */

void misi_audit_report_finish(misi_audit_report *r)
{
    for (size_t i = 0; i < r->nrows; i++)
        free(r->rows[i].b);
    free(r->rows);
    free(r->dataset);
    free(r->metadata_columns);
    memset(r, 0, sizeof *r);
}

/* --groups: "<complex> <group>" lines, sorted by complex for lookup. */
typedef struct group_map {
    char *text;  /* the file, cut into words in place */
    char **pair; /* pair[2k] complex, pair[2k+1] group */
    size_t n;
} group_map;

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int groups_load(const char *path, group_map *g, misi_error *err)
{
    memset(g, 0, sizeof *g);
    size_t len;
    int rc = misi_read_file(path, 0, &g->text, &len, err);
    if (rc)
        return rc;
    size_t cap = 0;
    long line = 0;
    for (char *save = NULL, *l = strtok_r(g->text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        char *hash = strchr(l, '#');
        if (hash)
            *hash = '\0';
        char *s2 = NULL, *c = strtok_r(l, " \t\r,", &s2), *grp = c ? strtok_r(NULL, " \t\r,", &s2) : NULL;
        if (!c)
            continue;
        if (!grp || strtok_r(NULL, " \t\r,", &s2))
            return misi_error_at(err, MISI_E_PARSE, path, line, "expected '<complex> <group>'");
        if (g->n == cap) {
            cap = cap ? 2 * cap : 64;
            char **v = realloc(g->pair, 2 * cap * sizeof *v);
            if (!v)
                return misi_error_set(err, MISI_E_NOMEM, "out of memory reading %s", path);
            g->pair = v;
        }
        g->pair[2 * g->n] = c;
        g->pair[2 * g->n + 1] = grp;
        g->n++;
    }
    if (g->n)
        qsort(g->pair, g->n, 2 * sizeof *g->pair, cmp_pair);
    return MISI_OK;
}

static void groups_finish(group_map *g)
{
    free(g->text);
    free(g->pair);
}

static const char *group_of(const group_map *g, const char *complex)
{
    size_t lo = 0, hi = g->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(g->pair[2 * mid], complex);
        if (!c)
            return g->pair[2 * mid + 1];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return complex;
}

int misi_audit_run(const char *dir, const misi_audit_options *opt, misi_audit_report *rep, misi_error *err)
{
    memset(rep, 0, sizeof *rep);
    const char *split = opt && opt->split && opt->split[0] ? opt->split : "both";
    bool want[2] = {strcmp(split, "test") != 0, strcmp(split, "train") != 0};
    if (strcmp(split, "both") && strcmp(split, "train") && strcmp(split, "test"))
        return misi_error_set(err, MISI_E_USAGE, "split is train, test or both, not '%s'", split);
    double margin = opt && opt->margin_set ? opt->margin : MISI_AUDIT_DEFAULT_MARGIN;
    if (!(margin >= 0 && margin <= 100))
        return misi_error_set(err, MISI_E_USAGE, "the margin is in points, 0 to 100");
    unsigned tasks = opt && opt->tasks ? opt->tasks : ~0u;
    if (!misi_is_dir(dir))
        return misi_error_set(err, MISI_E_IO, "%s: not a folder (a dataset made by misi generate)", dir);

    group_map groups = {0};
    if (opt && opt->groups) {
        int grc = groups_load(opt->groups, &groups, err);
        if (grc) {
            groups_finish(&groups);
            return grc;
        }
    }
    dataset d;
    int rc = audit_dataset_load(&d, dir, want, err);
    for (size_t i = 0; !rc && i < d.nq; i++)
        d.q[i].group = group_of(&groups, d.q[i].complex);
    if (!rc) {
        rep->dataset = strdup(dir);
        rep->shards = d.nshards > 0;
        rep->margin = margin;
        size_t len = 1;
        for (size_t c = 0; c < d.ncol; c++)
            len += strlen(d.colnames[c]) + 2;
        rep->metadata_columns = calloc(len, 1);
        if (!rep->dataset || !rep->metadata_columns)
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
        for (size_t c = 0; !rc && c < d.ncol; c++) {
            if (c)
                strcat(rep->metadata_columns, ", ");
            strcat(rep->metadata_columns, d.colnames[c]);
        }
    }
    /* rows: per task, train, test, then all (both splits) */
    const char *SPLITS[3] = {"train", "test", "all"};
    for (int t = 1; !rc && t <= MISI_TASK_MAX; t++) {
        if (!(tasks & (1u << t)))
            continue;
        for (int sp = 0; !rc && sp < 3; sp++) {
            if (sp == 2 && !(want[0] && want[1]))
                continue;
            if (sp < 2 && !want[sp])
                continue;
            row r = {.d = &d, .task = t, .margin = margin / 100.0, .no_images = opt && opt->no_images};
            r.q = calloc(d.nq ? d.nq : 1, sizeof *r.q);
            if (!r.q) {
                rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
                break;
            }
            for (size_t i = 0; i < d.nq; i++)
                if (d.q[i].task == t && (sp == 2 || d.q[i].split == sp))
                    r.q[r.n++] = &d.q[i];
            if (!r.n) {
                row_finish(&r);
                continue;
            }
            misi_audit_row *v = realloc(rep->rows, (rep->nrows + 1) * sizeof *v);
            if (!v) {
                row_finish(&r);
                rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
                break;
            }
            rep->rows = v;
            r.out = &rep->rows[rep->nrows++];
            memset(r.out, 0, sizeof *r.out);
            r.out->task = t;
            snprintf(r.out->split, sizeof r.out->split, "%s", SPLITS[sp]);
            rc = run_row(&r, err);
            row_finish(&r);
        }
    }
    if (!rc)
        set_verdicts(rep, margin / 100.0, opt && opt->per_baseline);
    for (size_t i = 0; !rc && i < rep->nrows; i++)
        for (size_t k = 0; k < rep->rows[i].nb; k++)
            rep->counts[rep->rows[i].b[k].verdict]++;
    audit_dataset_finish(&d);
    groups_finish(&groups);
    return rc;
}

/* ---- output ---- */

static int verdict_rank(int v)
{
    return v == MISI_AUDIT_SHORTCUT ? 3 : v == MISI_AUDIT_SUSPECT ? 2 : v == MISI_AUDIT_OK ? 1 : 0;
}

static void print_baseline(FILE *f, const misi_audit_baseline *b, const char *label)
{
    if (b->verdict == MISI_AUDIT_NA) {
        fprintf(f, "    %-13s %6s %15s  %-8s  %s (%s)\n", label, "-", "", "n/a", b->name, b->why);
        return;
    }
    char iv[32];
    snprintf(iv, sizeof iv, "[%.1f, %.1f]", 100 * b->lo, 100 * b->hi);
    fprintf(f, "    %-13s %6.1f %15s  %-8s  %s\n", label, 100 * b->score, iv,
            misi_audit_verdict_name(b->verdict), b->name);
}

void misi_audit_print(FILE *f, const misi_audit_report *r, bool all)
{
    fprintf(f, "dataset: %s (images from %s)\n", r->dataset, r->shards ? "tar shards" : "files");
    fprintf(f, "metadata.jsonl columns audited: %s\n", r->metadata_columns[0] ? r->metadata_columns : "none");
    fprintf(f, "margin: %.1f points; scores x100 with 95%% intervals\n", r->margin);
    if (r->decisive_confidence > 0.95 + 1e-12)
        fprintf(
            f,
            "SHORTCUT: the lower end of a %.4g%% interval (z %.2f: 95%% family-wise over the %zu baselines "
            "run) above chance + margin\n",
            100 * r->decisive_confidence, r->decisive_z, r->baselines_run);
    else
        fprintf(f, "SHORTCUT: the lower end of the 95%% interval above chance + margin\n");
    static const char *const FAMILIES[] = {"constant",     "id",          "question-text", "option-text",
                                           "option-image", "image-stats", "metadata"};
    for (size_t i = 0; i < r->nrows; i++) {
        const misi_audit_row *row = &r->rows[i];
        char name[40];
        snprintf(name, sizeof name, "T%d %s", row->task, misi_answer_task_name(row->task));
        fprintf(f, "\n%-26s %-5s  N %5zu  chance %5.1f (%s)\n", name, row->split, row->n,
                100 * row->reference, row->reference_kind);
        for (size_t fam = 0; fam < sizeof FAMILIES / sizeof FAMILIES[0]; fam++) {
            const misi_audit_baseline *show = NULL;
            for (size_t k = 0; k < row->nb; k++) {
                const misi_audit_baseline *b = &row->b[k];
                if (strcmp(b->family, FAMILIES[fam]))
                    continue;
                if (all) {
                    print_baseline(f, b, FAMILIES[fam]);
                    continue;
                }
                if (!show || verdict_rank(b->verdict) > verdict_rank(show->verdict) ||
                    (b->verdict == show->verdict && b->score > show->score))
                    show = b;
            }
            if (show)
                print_baseline(f, show, FAMILIES[fam]);
        }
    }
    fprintf(f, "\nbaselines: %zu ok, %zu suspect, %zu SHORTCUT, %zu n/a\n", r->counts[MISI_AUDIT_OK],
            r->counts[MISI_AUDIT_SUSPECT], r->counts[MISI_AUDIT_SHORTCUT], r->counts[MISI_AUDIT_NA]);
    if (r->counts[MISI_AUDIT_SHORTCUT]) {
        fprintf(f, "SHORTCUT (a blind baseline beats chance by more than %.1f points):\n", r->margin);
        for (size_t i = 0; i < r->nrows; i++)
            for (size_t k = 0; k < r->rows[i].nb; k++) {
                const misi_audit_baseline *b = &r->rows[i].b[k];
                if (b->verdict == MISI_AUDIT_SHORTCUT)
                    fprintf(f, "  T%d %s %s: %s %s %.1f (chance %.1f)\n", r->rows[i].task,
                            misi_answer_task_name(r->rows[i].task), r->rows[i].split, b->family, b->name,
                            100 * b->score, 100 * r->rows[i].reference);
            }
    }
}

static double r2(double x)
{
    return round(x * 1e4) / 1e2;
}

char *misi_audit_json(const misi_audit_report *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "dataset", r->dataset ? r->dataset : "");
    cJSON_AddStringToObject(o, "images_from", r->shards ? "shards" : "files");
    cJSON_AddStringToObject(o, "metadata_columns", r->metadata_columns ? r->metadata_columns : "");
    cJSON_AddNumberToObject(o, "margin", r->margin);
    cJSON_AddNumberToObject(o, "baselines_run", (double)r->baselines_run);
    cJSON_AddNumberToObject(o, "decisive_confidence", round(r->decisive_confidence * 1e6) / 1e6);
    cJSON *rows = cJSON_AddArrayToObject(o, "rows");
    for (size_t i = 0; i < r->nrows; i++) {
        const misi_audit_row *row = &r->rows[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "task", misi_answer_task_name(row->task));
        cJSON_AddNumberToObject(e, "task_number", row->task);
        cJSON_AddStringToObject(e, "split", row->split);
        cJSON_AddNumberToObject(e, "n", (double)row->n);
        cJSON_AddNumberToObject(e, "chance", r2(row->reference));
        cJSON_AddStringToObject(e, "chance_kind", row->reference_kind ? row->reference_kind : "");
        cJSON *bl = cJSON_AddArrayToObject(e, "baselines");
        for (size_t k = 0; k < row->nb; k++) {
            const misi_audit_baseline *b = &row->b[k];
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "family", b->family);
            cJSON_AddStringToObject(x, "name", b->name);
            cJSON_AddStringToObject(x, "verdict", misi_audit_verdict_name(b->verdict));
            if (b->verdict == MISI_AUDIT_NA) {
                cJSON_AddStringToObject(x, "why", b->why);
            } else {
                cJSON_AddNumberToObject(x, "score", r2(b->score));
                cJSON_AddNumberToObject(x, "lo", r2(b->lo));
                cJSON_AddNumberToObject(x, "hi", r2(b->hi));
                cJSON_AddNumberToObject(x, "lo_decisive", r2(b->lo_decisive));
            }
            cJSON_AddItemToArray(bl, x);
        }
        cJSON_AddItemToArray(rows, e);
    }
    cJSON *c = cJSON_AddObjectToObject(o, "verdicts");
    cJSON_AddNumberToObject(c, "ok", (double)r->counts[MISI_AUDIT_OK]);
    cJSON_AddNumberToObject(c, "suspect", (double)r->counts[MISI_AUDIT_SUSPECT]);
    cJSON_AddNumberToObject(c, "shortcut", (double)r->counts[MISI_AUDIT_SHORTCUT]);
    cJSON_AddNumberToObject(c, "na", (double)r->counts[MISI_AUDIT_NA]);
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    return s;
}
