/* Fuzz target: a fuzzed MOL2 ligand against a small fixed pocket (the 1abc
 * fixture: Pro-Gln-Ile with an altloc, a zinc and two waters), through H-bond
 * typing, hydrogen placement, the finder and its JSON form, so the chemistry
 * code sees garbage ligands and not only the readers do. */
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "fuzz_check.h"
#include "misi/hbond.h"
#include "misi/mol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char POCKET[] =
    "ATOM      1  N   PRO A   1      13.120  39.003   5.159  1.00 20.00           N\n"
    "ATOM      2  CA  PRO A   1      12.941  39.418   6.575  1.00 20.00           C\n"
    "ATOM      3  C   PRO A   1      13.681  38.470   7.506  1.00 20.00           C\n"
    "ATOM      4  O   PRO A   1      14.085  37.394   7.087  1.00 20.00           O\n"
    "ATOM      5  CB  PRO A   1      11.457  39.390   6.893  1.00 20.00           C\n"
    "ATOM      6  CG  PRO A   1      10.966  38.512   5.856  1.00 20.00           C\n"
    "ATOM      7  CD  PRO A   1      11.746  39.019   4.650  1.00 20.00           C\n"
    "ATOM      8  N   GLN A   2      13.878  38.878   8.756  1.00 20.00           N\n"
    "ATOM      9  CA  GLN A   2      14.536  38.012   9.717  1.00 20.00           C\n"
    "ATOM     10  C   GLN A   2      13.473  37.365  10.601  1.00 20.00           C\n"
    "ATOM     11  O   GLN A   2      12.674  38.049  11.246  1.00 20.00           O\n"
    "ATOM     12  CB  GLN A   2      15.558  38.750  10.578  1.00 20.00           C\n"
    "ATOM     13  CG  GLN A   2      16.239  37.796  11.545  1.00 20.00           C\n"
    "ATOM     14  CD  GLN A   2      17.202  38.462  12.487  1.00 20.00           C\n"
    "ATOM     15  OE1 GLN A   2      16.846  38.807  13.622  1.00 20.00           O\n"
    "ATOM     16  NE2AGLN A   2      18.450  38.591  12.054  0.40 20.00           N\n"
    "ATOM     17  NE2BGLN A   2      18.750  38.591  12.054  0.60 20.00           N\n"
    "ATOM     18  N   ILE A   3      13.464  36.040  10.613  1.00 20.00           N\n"
    "ATOM     19  CA  ILE A   3      12.501  35.280  11.384  1.00 20.00           C\n"
    "ATOM     20  C   ILE A   3      13.168  34.533  12.528  1.00 20.00           C\n"
    "ATOM     21  O   ILE A   3      14.063  33.715  12.325  1.00 20.00           O\n"
    "ATOM     22  CB  ILE A   3      11.738  34.262  10.465  1.00 20.00           C\n"
    "ATOM     23  CG1 ILE A   3      11.077  34.998   9.297  1.00 20.00           C\n"
    "ATOM     24  CG2 ILE A   3      10.664  33.520  11.244  1.00 20.00           C\n"
    "ATOM     25  CD1 ILE A   3      10.153  34.136   8.442  1.00 20.00           C\n"
    "TER\n"
    "HETATM   26 ZN   ZN  A 101      16.000  35.000   9.000  1.00 20.00          ZN2+\n"
    "HETATM   27  O   HOH A 201      18.000  36.000  15.000  1.00 20.00           O\n"
    "HETATM   28  O   HOH A 202      19.000  33.000  16.000  1.00 20.00           O\n"
    "END\n";

/* Parsed once; shallow-copied into each complex and never freed (it stays
 * reachable, so LeakSanitizer does not count it). */
static misi_mol pocket;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    misi_error err;
    if (pocket.top.natoms == 0) {
        misi_mol_init(&pocket);
        FUZZ_REQUIRE(misi_parse_pdb(POCKET, sizeof POCKET - 1, "pocket.pdb", &pocket, &err) == MISI_OK);
        FUZZ_REQUIRE(misi_perceive_bonds(&pocket, &err) == MISI_OK);
    }
    misi_complex cx;
    misi_complex_init(&cx);
    int rc = misi_parse_mol2((const char *)data, size, "ligand.mol2", &cx.ligand, &err);
    if (rc) {
        fuzz_check_failure(rc, &err, &cx.ligand);
        return 0;
    }
    fuzz_check_mol(&cx.ligand);
    cx.pocket = pocket;
    misi_hbond_config cfg = {0};
    /* Let the first byte pick the options, so both hydrogen modes and
     * widened criteria get fuzzed too. */
    if (size > 0) {
        cfg.rotatable_h = data[0] & 1;
        cfg.distance_slop = (data[0] & 2) ? 1.0f : 0.0f;
        cfg.angle_slop = (data[0] & 4) ? 30.0f : 0.0f;
    }
    misi_hb_context *ctx = NULL;
    rc = misi_hb_context_create(&cx, &cfg, &ctx, &err);
    if (rc == MISI_OK) {
        for (uint32_t i = 0; i < cx.ligand.top.natoms; i++) {
            misi_hb_atom_type t = misi_hb_type(ctx, true, i);
            FUZZ_REQUIRE(t.acc < MISI_ACC_COUNT && t.don < MISI_DON_COUNT);
        }
        misi_hbond_list list = {0};
        rc = misi_hbonds_find(ctx, &list, &err);
        if (rc == MISI_OK) {
            for (size_t k = 0; k < list.count; k++) {
                const misi_hbond *hb = &list.items[k];
                FUZZ_REQUIRE(hb->pocket_atom < cx.pocket.top.natoms);
                FUZZ_REQUIRE(hb->ligand_atom < cx.ligand.top.natoms);
                FUZZ_REQUIRE(hb->donates >= MISI_HB_POCKET_DONATES && hb->donates <= MISI_HB_BOTH_DONATE);
                FUZZ_REQUIRE(hb->eval.passed && hb->eval.ntests <= MISI_HB_MAX_TESTS);
                FUZZ_REQUIRE(hb->distance >= 0.0f && hb->distance < 10.0f);
                cJSON_Delete(misi_hbond_json(&cx, hb));
            }
            misi_hbond_list_finish(&list);
        } else {
            fuzz_check_failure(rc, &err, NULL);
        }
        misi_hb_context_destroy(ctx);
    } else {
        fuzz_check_failure(rc, &err, NULL);
    }
    misi_mol_finish(&cx.ligand);
    return 0;
}
