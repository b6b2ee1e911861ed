/* Fuzz target: the scorer's predictions reader (misi_score_text_lines)
 * against a fixed gold file holding all nine tasks (a copy of
 * tests/score/fixtures/gold.jsonl), then the report in both its forms. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "misi/score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char GOLD[] =
    "{\"id\": \"1abc-translation-test-0\", \"task\": \"translation\", \"task_number\": 1, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-translation-test-0-0.png\", \"images/1abc/1abc-translation-test-0-1.png\"], \"question\": \"Question 1abc-translation-test-0.\", \"answer\": \"move x 3\", \"truth\": {\"axis\": \"x\", \"value\": 3, \"range\": [-4, 4]}}\n"
    "{\"id\": \"1abc-translation-test-1\", \"task\": \"translation\", \"task_number\": 1, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-translation-test-1-0.png\", \"images/1abc/1abc-translation-test-1-1.png\"], \"question\": \"Question 1abc-translation-test-1.\", \"answer\": \"move y -2\", \"truth\": {\"axis\": \"y\", \"value\": -2, \"range\": [-4, 4]}}\n"
    "{\"id\": \"1abc-translation-train-0\", \"task\": \"translation\", \"task_number\": 1, \"split\": \"train\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-translation-train-0-0.png\", \"images/1abc/1abc-translation-train-0-1.png\"], \"question\": \"Question 1abc-translation-train-0.\", \"answer\": \"move x -1\", \"truth\": {\"axis\": \"x\", \"value\": -1, \"range\": [-4, 4]}}\n"
    "{\"id\": \"1abc-rotation-test-0\", \"task\": \"rotation\", \"task_number\": 2, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-rotation-test-0-0.png\", \"images/1abc/1abc-rotation-test-0-1.png\"], \"question\": \"Question 1abc-rotation-test-0.\", \"answer\": \"roll y 15\", \"truth\": {\"axis\": \"y\", \"value\": 15, \"range\": [-90, 90]}}\n"
    "{\"id\": \"1abc-rotation-test-1\", \"task\": \"rotation\", \"task_number\": 2, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-rotation-test-1-0.png\", \"images/1abc/1abc-rotation-test-1-1.png\"], \"question\": \"Question 1abc-rotation-test-1.\", \"answer\": \"roll z -45\", \"truth\": {\"axis\": \"z\", \"value\": -45, \"range\": [-90, 90]}}\n"
    "{\"id\": \"1abc-zooming-test-0\", \"task\": \"zooming\", \"task_number\": 3, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-zooming-test-0-0.png\", \"images/1abc/1abc-zooming-test-0-1.png\"], \"question\": \"Question 1abc-zooming-test-0.\", \"answer\": \"move z 50\", \"truth\": {\"axis\": \"z\", \"value\": 50, \"range\": [40, 60]}}\n"
    "{\"id\": \"1abc-residue_ligand-test-0\", \"task\": \"residue_ligand\", \"task_number\": 4, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-residue_ligand-test-0-0.png\", \"images/1abc/1abc-residue_ligand-test-0-1.png\"], \"question\": \"Question 1abc-residue_ligand-test-0.\", \"answer\": \"Yes: VAL O, N1; VAL O, N2\", \"truth\": {\"residue\": {\"name\": \"VAL\", \"number\": 22, \"icode\": \"\", \"chain\": \"A\"}, \"bonds\": [{\"residue\": \"VAL\", \"number\": 22, \"icode\": \"\", \"chain\": \"A\", \"residue_atom\": \"O\", \"ligand_atom\": \"N1\", \"donor\": \"residue\", \"distance\": 2.9, \"tests\": []}, {\"residue\": \"VAL\", \"number\": 22, \"icode\": \"\", \"chain\": \"A\", \"residue_atom\": \"O\", \"ligand_atom\": \"N2\", \"donor\": \"residue\", \"distance\": 2.9, \"tests\": []}]}}\n"
    "{\"id\": \"1abc-residue_ligand-test-1\", \"task\": \"residue_ligand\", \"task_number\": 4, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-residue_ligand-test-1-0.png\", \"images/1abc/1abc-residue_ligand-test-1-1.png\"], \"question\": \"Question 1abc-residue_ligand-test-1.\", \"answer\": \"No\", \"truth\": {\"residue\": {\"name\": \"GLY\", \"number\": 23, \"icode\": \"\", \"chain\": \"A\"}, \"bonds\": []}}\n"
    "{\"id\": \"1abc-residue_ligand-test-2\", \"task\": \"residue_ligand\", \"task_number\": 4, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-residue_ligand-test-2-0.png\", \"images/1abc/1abc-residue_ligand-test-2-1.png\"], \"question\": \"Question 1abc-residue_ligand-test-2.\", \"answer\": \"Yes: ARG NH1, O1; ARG NH2, O2\", \"truth\": {\"residue\": {\"name\": \"ARG\", \"number\": 45, \"icode\": \"\", \"chain\": \"A\"}, \"bonds\": [{\"residue\": \"ARG\", \"number\": 45, \"icode\": \"\", \"chain\": \"A\", \"residue_atom\": \"NH1\", \"ligand_atom\": \"O1\", \"donor\": \"residue\", \"distance\": 2.9, \"tests\": []}, {\"residue\": \"ARG\", \"number\": 45, \"icode\": \"\", \"chain\": \"A\", \"residue_atom\": \"NH2\", \"ligand_atom\": \"O2\", \"donor\": \"residue\", \"distance\": 2.9, \"tests\": []}]}}\n"
    "{\"id\": \"1abc-residue_ligand-test-3\", \"task\": \"residue_ligand\", \"task_number\": 4, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-residue_ligand-test-3-0.png\", \"images/1abc/1abc-residue_ligand-test-3-1.png\"], \"question\": \"Question 1abc-residue_ligand-test-3.\", \"answer\": \"No\", \"truth\": {\"residue\": {\"name\": \"ASP\", \"number\": 30, \"icode\": \"\", \"chain\": \"A\"}, \"bonds\": []}}\n"
    "{\"id\": \"1abc-translation_rotation-test-0\", \"task\": \"translation_rotation\", \"task_number\": 5, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-translation_rotation-test-0-0.png\", \"images/1abc/1abc-translation_rotation-test-0-1.png\"], \"question\": \"Question 1abc-translation_rotation-test-0.\", \"answer\": \"B\", \"options\": {\"A\": \"images/1abc/t5-optA.png\", \"B\": \"images/1abc/t5-optB.png\", \"C\": \"images/1abc/t5-optC.png\", \"D\": \"images/1abc/t5-optD.png\"}, \"truth\": {\"correct\": \"B\", \"operations\": \"move x 2, roll y 45\", \"options\": {\"A\": \"move x 3, roll y 30\", \"B\": \"move x 2, roll y 45\", \"C\": \"move x -2, roll y 60\", \"D\": \"move y 2, roll y 30\"}}}\n"
    "{\"id\": \"1abc-rotation_rotation-test-0\", \"task\": \"rotation_rotation\", \"task_number\": 6, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-rotation_rotation-test-0-0.png\", \"images/1abc/1abc-rotation_rotation-test-0-1.png\"], \"question\": \"Question 1abc-rotation_rotation-test-0.\", \"answer\": \"D\", \"options\": {\"A\": \"images/1abc/t6-optA.png\", \"B\": \"images/1abc/t6-optB.png\", \"C\": \"images/1abc/t6-optC.png\", \"D\": \"images/1abc/t6-optD.png\"}, \"truth\": {\"correct\": \"D\", \"operations\": \"roll x 30, roll y 45\", \"options\": {\"A\": \"roll x 45, roll y 45\", \"B\": \"roll y 45, roll x 30\", \"C\": \"roll x 30, roll z 45\", \"D\": \"roll x 30, roll y 45\"}}}\n"
    "{\"id\": \"1abc-docking-test-0\", \"task\": \"docking\", \"task_number\": 7, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-docking-test-0-0.png\", \"images/1abc/1abc-docking-test-0-1.png\"], \"question\": \"Question 1abc-docking-test-0.\", \"answer\": \"roll x 75, move x -14\", \"truth\": {\"rotation\": {\"axis\": \"x\", \"value\": 75}, \"translation\": {\"axis\": \"x\", \"value\": -14}, \"range\": {\"rotation\": [-90, 90]}}}\n"
    "{\"id\": \"1abc-docking-test-1\", \"task\": \"docking\", \"task_number\": 7, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-docking-test-1-0.png\", \"images/1abc/1abc-docking-test-1-1.png\"], \"question\": \"Question 1abc-docking-test-1.\", \"answer\": \"roll y -30, move x 12\", \"truth\": {\"rotation\": {\"axis\": \"y\", \"value\": -30}, \"translation\": {\"axis\": \"x\", \"value\": 12}, \"range\": {\"rotation\": [-90, 90]}}}\n"
    "{\"id\": \"1abc-interaction_location-test-0\", \"task\": \"interaction_location\", \"task_number\": 8, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-interaction_location-test-0-0.png\", \"images/1abc/1abc-interaction_location-test-0-1.png\"], \"question\": \"Question 1abc-interaction_location-test-0.\", \"answer\": \"C\", \"options\": {\"A\": \"move x 2, move y 3\", \"B\": \"move x -2, move y 3\", \"C\": \"move x 2, move y -3\", \"D\": \"move x 3, move y 2\"}, \"truth\": {\"correct\": \"C\", \"bond\": {\"residue\": \"LYS\", \"number\": 47, \"icode\": \"\", \"chain\": \"A\", \"residue_atom\": \"NZ\", \"ligand_atom\": \"O1A\", \"donor\": \"residue\", \"distance\": 2.9, \"tests\": []}, \"move\": [2, -3]}}\n"
    "{\"id\": \"1abc-interaction_location-test-1\", \"task\": \"interaction_location\", \"task_number\": 8, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-interaction_location-test-1-0.png\", \"images/1abc/1abc-interaction_location-test-1-1.png\"], \"question\": \"Question 1abc-interaction_location-test-1.\", \"answer\": \"A\", \"options\": {\"A\": \"move x -1, move y 4\", \"B\": \"move x 1, move y 4\", \"C\": \"move x -1, move y -4\", \"D\": \"move x 4, move y -1\"}, \"truth\": {\"correct\": \"A\", \"bond\": {\"residue\": \"SER\", \"number\": 10, \"icode\": \"\", \"chain\": \"\", \"residue_atom\": \"OG\", \"ligand_atom\": \"O3\", \"donor\": \"residue\", \"distance\": 2.9, \"tests\": []}, \"move\": [-1, 4]}}\n"
    "{\"id\": \"1abc-pocket_ligand-test-0\", \"task\": \"pocket_ligand\", \"task_number\": 9, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-pocket_ligand-test-0-0.png\", \"images/1abc/1abc-pocket_ligand-test-0-1.png\"], \"question\": \"Question 1abc-pocket_ligand-test-0.\", \"answer\": \"ARG 45 NH2 A, O1B; VAL 22 O A, N2\", \"truth\": {\"bonds\": [{\"residue\": \"ARG\", \"number\": 45, \"icode\": \"\", \"chain\": \"A\", \"residue_atom\": \"NH2\", \"ligand_atom\": \"O1B\", \"donor\": \"residue\", \"distance\": 2.9, \"tests\": []}, {\"residue\": \"VAL\", \"number\": 22, \"icode\": \"\", \"chain\": \"A\", \"residue_atom\": \"O\", \"ligand_atom\": \"N2\", \"donor\": \"residue\", \"distance\": 2.9, \"tests\": []}]}}\n"
    "{\"id\": \"1abc-pocket_ligand-test-1\", \"task\": \"pocket_ligand\", \"task_number\": 9, \"split\": \"test\", \"complex\": \"1abc\", \"images\": [\"images/1abc/1abc-pocket_ligand-test-1-0.png\", \"images/1abc/1abc-pocket_ligand-test-1-1.png\"], \"question\": \"Question 1abc-pocket_ligand-test-1.\", \"answer\": \"SER 10 OG _, O3; HIS 57A NE2 _, N1\", \"truth\": {\"bonds\": [{\"residue\": \"SER\", \"number\": 10, \"icode\": \"\", \"chain\": \"\", \"residue_atom\": \"OG\", \"ligand_atom\": \"O3\", \"donor\": \"residue\", \"distance\": 2.9, \"tests\": []}, {\"residue\": \"HIS\", \"number\": 57, \"icode\": \"A\", \"chain\": \"\", \"residue_atom\": \"NE2\", \"ligand_atom\": \"N1\", \"donor\": \"residue\", \"distance\": 2.9, \"tests\": []}]}}\n";

/* Loaded once and kept (reachable, so not a leak). */
static misi_gold gold;
static bool loaded;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    misi_error err;
    if (!loaded) {
        FUZZ_REQUIRE(misi_gold_load_text(GOLD, sizeof GOLD - 1, "gold.jsonl", &gold, &err) == MISI_OK);
        loaded = true;
    }
    /* The first byte picks a split, so split filtering is fuzzed too. */
    misi_score_options opt = {.split = size > 0 && (data[0] & 1) ? "test" : NULL};
    misi_score_report r;
    memset(&r, 0, sizeof r);
    int rc = misi_score_text_lines(&gold, (const char *)data, size, "pred.jsonl", &opt, &r, &err);
    if (rc) {
        fuzz_check_failure(rc, &err, NULL);
        misi_score_report_finish(&r);
        return 0;
    }
    FUZZ_REQUIRE(r.nscores == gold.count);
    for (size_t i = 0; i < r.nscores; i++)
        FUZZ_REQUIRE(r.scores[i] == -1.0 || (r.scores[i] >= 0.0 && r.scores[i] <= 1.0));
    for (int t = 1; t <= 9; t++) {
        const misi_task_score *ts = &r.tasks[t];
        FUZZ_REQUIRE(ts->answered <= ts->count && ts->exact <= ts->answered && ts->unparsed <= ts->answered);
        FUZZ_REQUIRE(ts->sum >= 0.0 && ts->sum <= (double)ts->count);
        double m = misi_score_task_mean(&r, t);
        FUZZ_REQUIRE(m >= 0.0 && m <= 100.0);
    }
    double avg = misi_score_average(&r, true, false, NULL);
    FUZZ_REQUIRE(avg >= 0.0 && avg <= 100.0);
    char *json = misi_score_json(&r, "gold.jsonl", "pred.jsonl", &opt);
    free(json);
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull) {
        misi_score_print(devnull, &r, "gold.jsonl", "pred.jsonl", &opt, 5);
        fclose(devnull);
    }
    misi_score_report_finish(&r);
    return 0;
}
