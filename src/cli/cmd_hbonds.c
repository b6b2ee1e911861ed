/* misi hbonds: print the pocket–ligand H-bonds of complexes, with the numbers
 * each was judged on; --contacts audits every N/O polar contact instead. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "misi/fs.h"
#include "misi/hbond.h"

#define POLAR_CONTACT 3.6f

static void usage(FILE *f)
{
    fprintf(f,
            "usage: misi hbonds [options] <complex folder | folder of complexes | list file>...\n"
            "       misi hbonds [options] <pocket.pdb> <ligand.mol2|.sdf>\n"
            "\n"
            "Finds pocket-ligand hydrogen bonds with the relaxed Mills & Dean criteria\n"
            "(docs/hbonds.md) and prints each with its distance and the angles tested.\n"
            "\n"
            "options:\n"
            "  --json              one JSON document on stdout\n"
            "  --contacts          audit every N/O pocket-ligand pair within %.1f A: the\n"
            "                      finder's verdict and the criterion that decided it\n"
            "  --distance-slop X   added to every distance cutoff (default 0; -0.4 = unrelaxed)\n"
            "  --angle-slop X      widens every angle range (default 0; -20 = unrelaxed)\n"
            "  --rotatable-h       use file hydrogens of OH/NH3+/SH groups for theta\n"
            "  -h, --help          this text\n"
            "\n"
            "Exit status: 0 when every complex loaded, 1 when any was skipped (the rest\n"
            "are still processed), 2 on a usage error.\n",
            POLAR_CONTACT);
}

static void residue_label(const misi_atom *a, char *buf, size_t cap)
{
    if (a->icode != ' ' && a->icode)
        snprintf(buf, cap, "%s %d%c %c", a->resname, a->resseq, a->icode, a->chain);
    else
        snprintf(buf, cap, "%s %d %c", a->resname, a->resseq, a->chain);
}

static void print_tests(FILE *f, const misi_hb_eval *ev)
{
    for (uint8_t k = 0; k < ev->ntests; k++) {
        const misi_hb_test *t = &ev->tests[k];
        bool dist = t->lo == 0.0f;
        if (dist)
            fprintf(f, " %s=%.2f(<=%.2f)", t->name, t->value, t->hi);
        else if (isinf(t->hi))
            fprintf(f, " %s=%.2f(>%.2f)", t->name, t->value, t->lo);
        else if (t->hi >= 180.0f)
            fprintf(f, " %s=%.1f(>=%.0f)", t->name, t->value, t->lo);
        else
            fprintf(f, " %s=%.1f(%.0f-%.0f)", t->name, t->value, t->lo, t->hi);
        if (!t->passed)
            fputs("!", f);
    }
}

/* A failed test in words, with three decimals so a value just past a
 * cutoff never prints as equal to it. */
static void describe_failure(const misi_hb_test *t, char *buf, size_t cap)
{
    if (isinf(t->hi) && !strcmp(t->name, "bonds-apart"))
        snprintf(buf, cap, "%s = %.0f: a covalent link joins the pair within %.0f bonds", t->name, t->value,
                 t->lo - 1.0f);
    else if (isinf(t->hi))
        snprintf(buf, cap, "%s: a metal %.3f A away (a planar N within %.1f A of a metal does not donate)",
                 t->name, t->value, t->lo);
    else if (t->lo == 0.0f)
        snprintf(buf, cap, "%s = %.3f, needs <= %.2f", t->name, t->value, t->hi);
    else if (t->hi >= 180.0f)
        snprintf(buf, cap, "%s = %.1f, needs >= %.0f", t->name, t->value, t->lo);
    else
        snprintf(buf, cap, "%s = %.1f, needs %.0f-%.0f", t->name, t->value, t->lo, t->hi);
}

static bool is_no(uint8_t z)
{
    return z == 7 || z == 8;
}

/* How each pocket group that is not a standard residue was typed: from its
 * structure (with the class of each typed atom) or as a metal ion. */
static void group_typing(const misi_complex *cx, const misi_hb_context *ctx, cJSON *jarr)
{
    const misi_topology *t = &cx->pocket.top;
    for (uint32_t r = 0; r < t->nresidues; r++) {
        int typing = misi_hb_group_typing_of(ctx, r);
        if (typing == MISI_HB_GROUP_TEMPLATE)
            continue;
        const misi_residue *res = &t->residues[r];
        char label[32];
        residue_label(&t->atoms[res->first], label, sizeof label);
        cJSON *g = NULL, *atoms = NULL;
        if (jarr) {
            g = cJSON_CreateObject();
            misi_hb_pair_json(g, cx, res->first, 0);
            cJSON_DeleteItemFromObject(g, "residue_atom");
            cJSON_DeleteItemFromObject(g, "ligand_atom");
            cJSON_AddStringToObject(g, "typing", misi_hb_group_typing_name(typing));
            atoms = cJSON_AddArrayToObject(g, "atoms");
            cJSON_AddItemToArray(jarr, g);
        } else if (typing == MISI_HB_GROUP_METAL) {
            printf("# group %s: metal ion, neither donor nor acceptor (coordination is out of scope)\n", label);
            continue;
        } else if (typing == MISI_HB_GROUP_WATER) {
            printf("# group %s: water, not typed (water-mediated bonds are out of scope)\n", label);
            continue;
        } else {
            printf("# group %s: typed from its structure:", label);
        }
        uint32_t shown = 0;
        for (uint32_t i = res->first; i < res->first + res->count; i++) {
            misi_hb_atom_type ty = misi_hb_type(ctx, false, i);
            if (!ty.don && !ty.acc)
                continue;
            if (atoms) {
                cJSON *a = cJSON_CreateObject();
                cJSON_AddStringToObject(a, "atom", t->atoms[i].name);
                cJSON_AddStringToObject(a, "donor_class", misi_don_class_name(ty.don));
                cJSON_AddStringToObject(a, "acceptor_class", misi_acc_class_name(ty.acc));
                cJSON_AddItemToArray(atoms, a);
            } else {
                printf("%s %s donor %s, acceptor %s", shown ? ";" : "", t->atoms[i].name,
                       misi_don_class_name(ty.don), misi_acc_class_name(ty.acc));
            }
            shown++;
        }
        if (!jarr)
            printf("%s\n", shown ? "" : " no donor or acceptor");
    }
}

/* Every N/O pocket–ligand pair within the polar-contact distance with the
 * finder's verdict: the material of docs/hbonds.md. */
static void contacts(const misi_complex *cx, const misi_hb_context *ctx, bool json, cJSON *jarr)
{
    for (uint32_t p = 0; p < cx->pocket.top.natoms; p++) {
        const misi_atom *pa = &cx->pocket.top.atoms[p];
        if (!is_no(pa->element))
            continue;
        for (uint32_t l = 0; l < cx->ligand.top.natoms; l++) {
            const misi_atom *la = &cx->ligand.top.atoms[l];
            if (!is_no(la->element))
                continue;
            const float *P = &cx->pocket.xyz[3 * p], *L = &cx->ligand.xyz[3 * l];
            float d = sqrtf((P[0] - L[0]) * (P[0] - L[0]) + (P[1] - L[1]) * (P[1] - L[1]) +
                            (P[2] - L[2]) * (P[2] - L[2]));
            if (d > POLAR_CONTACT)
                continue;
            misi_hb_eval e1, e2;
            bool pd = misi_hb_evaluate(ctx, false, p, l, &e1);
            bool ld = misi_hb_evaluate(ctx, true, l, p, &e2);
            /* The direction shown: the one that passed, else the one whose
             * typing allows a bond at all, else pocket-donor. */
            const misi_hb_eval *ev = pd ? &e1 : ld ? &e2 : (e1.acc && e1.don) ? &e1 : &e2;
            bool lig_donor = ev == &e2;
            const char *verdict = (pd || ld) ? "hbond" : "rejected";
            const char *why = "";
            char whybuf[160] = "";
            if (!(pd || ld)) {
                if (!ev->acc || !ev->don) {
                    misi_hb_atom_type tp = misi_hb_type(ctx, false, p), tl = misi_hb_type(ctx, true, l);
                    snprintf(whybuf, sizeof whybuf, "typing: residue %s%s%s, ligand %s%s%s",
                             tp.don ? "donor" : "", tp.don && tp.acc ? "+" : "",
                             tp.acc ? "acceptor" : (tp.don ? "" : "neither"), tl.don ? "donor" : "",
                             tl.don && tl.acc ? "+" : "", tl.acc ? "acceptor" : (tl.don ? "" : "neither"));
                } else {
                    describe_failure(&ev->tests[ev->failed], whybuf, sizeof whybuf);
                }
                why = whybuf;
            }
            if (json) {
                cJSON *o = cJSON_CreateObject();
                misi_hb_pair_json(o, cx, p, l);
                cJSON_AddNumberToObject(o, "distance", round(d * 1000.0) / 1000.0);
                cJSON_AddStringToObject(o, "verdict", verdict);
                cJSON_AddStringToObject(o, "donor", (pd && ld) ? "both" : lig_donor ? "ligand" : "residue");
                cJSON_AddStringToObject(o, "donor_class", misi_don_class_name(ev->don));
                cJSON_AddStringToObject(o, "acceptor_class", misi_acc_class_name(ev->acc));
                cJSON_AddStringToObject(o, "residue_typing",
                                        misi_hb_group_typing_name(misi_hb_group_typing_of(ctx, pa->residue)));
                if (*why)
                    cJSON_AddStringToObject(o, "decided_by", why);
                cJSON_AddItemToObject(o, "tests", misi_hb_tests_json(ev));
                cJSON_AddItemToArray(jarr, o);
            } else {
                char res[32];
                residue_label(pa, res, sizeof res);
                printf("%-14s %-4s %-5s %.2f  %-8s", res, pa->name, la->name, d, verdict);
                if (*why)
                    printf(" (%s)", why);
                else
                    printf(" donor=%s", (pd && ld) ? "both" : lig_donor ? "ligand" : "residue");
                printf(" typed=%s\n", misi_hb_group_typing_name(misi_hb_group_typing_of(ctx, pa->residue)));
            }
        }
    }
}

static int run_one(const misi_source *src, const misi_hbond_config *hcfg, bool json, bool audit, cJSON *jall,
                   size_t *nbonds, misi_error *err)
{
    misi_complex cx;
    misi_complex_init(&cx);
    int rc = misi_source_load(src, NULL, &cx, err);
    if (rc)
        return rc;
    misi_hb_context *ctx = NULL;
    misi_hbond_list list = {0};
    rc = misi_hb_context_create(&cx, hcfg, &ctx, err);
    if (!rc)
        rc = misi_hbonds_find(ctx, &list, err);
    if (rc) {
        misi_hb_context_destroy(ctx);
        misi_complex_finish(&cx);
        return rc;
    }
    *nbonds += list.count;
    cJSON *jc = NULL;
    if (json) {
        jc = cJSON_CreateObject();
        cJSON_AddStringToObject(jc, "complex", cx.id);
        cJSON_AddStringToObject(jc, "pocket", cx.pocket.path ? cx.pocket.path : "");
        cJSON_AddStringToObject(jc, "ligand", cx.ligand.path ? cx.ligand.path : "");
        cJSON_AddItemToArray(jall, jc);
    } else {
        printf("# %s: %zu H-bond%s (pocket %s, ligand %s)\n", cx.id, list.count, list.count == 1 ? "" : "s",
               cx.pocket.path ? cx.pocket.path : "-", cx.ligand.path ? cx.ligand.path : "-");
    }
    if (audit) {
        group_typing(&cx, ctx, json ? cJSON_AddArrayToObject(jc, "groups") : NULL);
        cJSON *arr = json ? cJSON_AddArrayToObject(jc, "contacts") : NULL;
        contacts(&cx, ctx, json, arr);
    } else {
        cJSON *arr = json ? cJSON_AddArrayToObject(jc, "hbonds") : NULL;
        for (size_t k = 0; k < list.count; k++) {
            const misi_hbond *hb = &list.items[k];
            const misi_atom *pa = &cx.pocket.top.atoms[hb->pocket_atom];
            const misi_atom *la = &cx.ligand.top.atoms[hb->ligand_atom];
            if (json) {
                cJSON_AddItemToArray(arr, misi_hbond_json(&cx, hb));
            } else {
                char res[32];
                residue_label(pa, res, sizeof res);
                printf("%-14s %-4s %-5s donor=%-7s D..A=%.2f %s -> %s:", res, pa->name, la->name,
                       misi_hb_donor_word(hb->donates), hb->distance, misi_don_class_name(hb->eval.don),
                       misi_acc_class_name(hb->eval.acc));
                print_tests(stdout, &hb->eval);
                printf("\n");
            }
        }
    }
    misi_hbond_list_finish(&list);
    misi_hb_context_destroy(ctx);
    misi_complex_finish(&cx);
    return MISI_OK;
}

static int parse_float(const char *s, float *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v))
        return -1;
    *out = (float)v;
    return 0;
}

int cmd_hbonds(int argc, char **argv)
{
    bool json = false, audit = false;
    misi_hbond_config hcfg = {0};
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int npaths = 0;
    if (!paths)
        return MISI_EXIT_FAIL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json"))
            json = true;
        else if (!strcmp(a, "--contacts"))
            audit = true;
        else if (!strcmp(a, "--rotatable-h"))
            hcfg.rotatable_h = true;
        else if (!strcmp(a, "--distance-slop") || !strcmp(a, "--angle-slop")) {
            float *dst = a[2] == 'd' ? &hcfg.distance_slop : &hcfg.angle_slop;
            if (i + 1 >= argc || parse_float(argv[i + 1], dst)) {
                fprintf(stderr, "misi hbonds: %s expects a number\n", a);
                free(paths);
                return MISI_EXIT_USAGE;
            }
            i++;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            free(paths);
            return MISI_EXIT_OK;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "misi hbonds: unknown option '%s'\n", a);
            usage(stderr);
            free(paths);
            return MISI_EXIT_USAGE;
        } else {
            paths[npaths++] = argv[i];
        }
    }
    if (npaths == 0) {
        usage(stderr);
        free(paths);
        return MISI_EXIT_USAGE;
    }
    misi_source_list sources = {0};
    misi_error err = {0};
    int failed = 0;
    /* Two plain files are a pocket and its ligand; anything else is a list
     * of folders and list files. */
    if (npaths == 2 && misi_is_file(paths[0]) && misi_is_file(paths[1]) &&
        misi_sources_add_pair(&sources, paths[0], paths[1], &err) == MISI_OK) {
        /* added */
    } else {
        misi_sources_finish(&sources);
        for (int i = 0; i < npaths; i++) {
            if (misi_sources_add_path(&sources, paths[i], &err)) {
                fprintf(stderr, "misi hbonds: %s\n", err.msg);
                failed++;
            }
        }
    }
    free(paths);
    for (size_t i = 0; i < sources.nnotes; i++)
        fprintf(stderr, "misi hbonds: note: %s\n", sources.notes[i]);
    cJSON *jall = json ? cJSON_CreateArray() : NULL;
    size_t nbonds = 0, ok = 0;
    for (size_t i = 0; i < sources.count; i++) {
        misi_error_clear(&err);
        if (run_one(&sources.items[i], &hcfg, json, audit, jall, &nbonds, &err)) {
            fprintf(stderr, "misi hbonds: skipped %s: %s\n", sources.items[i].id ? sources.items[i].id : "?",
                    err.msg);
            if (json) {
                cJSON *o = cJSON_CreateObject();
                cJSON_AddStringToObject(o, "complex", sources.items[i].id ? sources.items[i].id : "");
                cJSON_AddStringToObject(o, "error", err.msg);
                cJSON_AddItemToArray(jall, o);
            }
            failed++;
        } else {
            ok++;
        }
    }
    if (json) {
        char *text = cJSON_Print(jall);
        if (text) {
            fputs(text, stdout);
            fputc('\n', stdout);
            cJSON_free(text);
        }
        cJSON_Delete(jall);
    }
    fprintf(stderr, "misi hbonds: %zu complex%s, %zu H-bond%s, %d skipped\n", ok, ok == 1 ? "" : "es", nbonds,
            nbonds == 1 ? "" : "s", failed);
    misi_sources_finish(&sources);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "misi hbonds: cannot write the output\n");
        return MISI_EXIT_FAIL;
    }
    return failed ? MISI_EXIT_FAIL : MISI_EXIT_OK;
}
