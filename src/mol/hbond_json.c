/* The machine form of H-bonds, shared by `misi hbonds --json` and the
 * dataset's ground truth, so both print a bond the same way. */
#include <cjson/cJSON.h>
#include <math.h>

#include "misi/hbond.h"

static double r3(float v)
{
    return round((double)v * 1000.0) / 1000.0;
}

struct cJSON *misi_hb_tests_json(const misi_hb_eval *ev)
{
    cJSON *arr = cJSON_CreateArray();
    for (uint8_t k = 0; arr && k < ev->ntests; k++) {
        const misi_hb_test *t = &ev->tests[k];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", t->name);
        cJSON_AddNumberToObject(o, "value", r3(t->value));
        /* both bounds always there (null = none), so every test has one key set */
        if (t->lo != 0.0f)
            cJSON_AddNumberToObject(o, "min", r3(t->lo));
        else
            cJSON_AddNullToObject(o, "min");
        if (!isinf(t->hi))
            cJSON_AddNumberToObject(o, "max", r3(t->hi));
        else
            cJSON_AddNullToObject(o, "max");
        cJSON_AddBoolToObject(o, "passed", t->passed);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

void misi_hb_pair_json(struct cJSON *o, const misi_complex *cx, uint32_t pocket_atom, uint32_t ligand_atom)
{
    const misi_atom *pa = &cx->pocket.top.atoms[pocket_atom], *la = &cx->ligand.top.atoms[ligand_atom];
    char icode[2] = {pa->icode == ' ' ? 0 : pa->icode, 0};
    char chain[2] = {pa->chain == ' ' ? 0 : pa->chain, 0};
    cJSON_AddStringToObject(o, "residue", pa->resname);
    cJSON_AddNumberToObject(o, "number", pa->resseq);
    cJSON_AddStringToObject(o, "icode", icode);
    cJSON_AddStringToObject(o, "chain", chain);
    cJSON_AddStringToObject(o, "residue_atom", pa->name);
    cJSON_AddStringToObject(o, "ligand_atom", la->name);
}

const char *misi_hb_donor_word(int donates)
{
    return donates == MISI_HB_BOTH_DONATE ? "both" : donates == MISI_HB_POCKET_DONATES ? "residue" : "ligand";
}

struct cJSON *misi_hbond_json(const misi_complex *cx, const misi_hbond *hb)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    misi_hb_pair_json(o, cx, hb->pocket_atom, hb->ligand_atom);
    cJSON_AddStringToObject(o, "donor", misi_hb_donor_word(hb->donates));
    cJSON_AddStringToObject(o, "donor_class", misi_don_class_name(hb->eval.don));
    cJSON_AddStringToObject(o, "acceptor_class", misi_acc_class_name(hb->eval.acc));
    cJSON_AddNumberToObject(o, "distance", r3(hb->distance));
    if (hb->eval.hydrogen == -2) {
        cJSON_AddNullToObject(o, "hydrogen");
    } else {
        bool lig = hb->donates == MISI_HB_LIGAND_DONATES;
        const misi_mol *m = lig ? &cx->ligand : &cx->pocket;
        cJSON *h = cJSON_AddObjectToObject(o, "hydrogen");
        cJSON_AddStringToObject(h, "atom", hb->eval.hydrogen >= 0 ? m->top.atoms[hb->eval.hydrogen].name : "placed");
        double v[3] = {r3(hb->eval.h_xyz[0]), r3(hb->eval.h_xyz[1]), r3(hb->eval.h_xyz[2])};
        cJSON_AddItemToObject(h, "xyz", cJSON_CreateDoubleArray(v, 3));
    }
    cJSON_AddItemToObject(o, "tests", misi_hb_tests_json(&hb->eval));
    return o;
}
