/* Scoring rules (misi/score.h, docs/scoring.md): one test per rule, then the
 * file-level behaviour on the fixtures, then the random baseline. */
#include "score_test.h"

#include <unistd.h>

#include "misi/score.h"
#include "random_answers.h"

/* Score one answer against a one-record gold file given as JSON text. */
static double score1(const char *gold_json, const char *answer, bool *exact)
{
    misi_gold g = {0};
    misi_error err;
    misi_error_clear(&err);
    if (misi_gold_load_text(gold_json, strlen(gold_json), "inline", &g, &err))
        fail_msg("gold: %s", err.msg);
    double s = -1;
    bool ex = false;
    assert_int_equal(misi_score_text(&g.items[0], answer, &s, &ex), MISI_OK);
    if (exact)
        *exact = ex;
    misi_gold_finish(&g);
    return s;
}

#define T1                                                                                                   \
    "{\"id\":\"q\",\"task\":\"translation\",\"answer\":\"move x "                                            \
    "3\",\"truth\":{\"axis\":\"x\",\"value\":3,\"range\":[-4,4]}}"
#define T2                                                                                                   \
    "{\"id\":\"q\",\"task\":\"rotation\",\"answer\":\"roll y "                                               \
    "15\",\"truth\":{\"axis\":\"y\",\"value\":15,\"range\":[-90,90]}}"
#define T3                                                                                                   \
    "{\"id\":\"q\",\"task\":\"zooming\",\"answer\":\"move z "                                                \
    "50\",\"truth\":{\"axis\":\"z\",\"value\":50,\"range\":[40,60]}}"
#define T4P "{\"id\":\"q\",\"task\":\"residue_ligand\",\"answer\":\"Yes: VAL O, N1; VAL O, N2\"}"
#define T4N "{\"id\":\"q\",\"task\":\"residue_ligand\",\"answer\":\"No\"}"
#define T5                                                                                                   \
    "{\"id\":\"q\",\"task\":\"translation_rotation\",\"answer\":\"B\",\"options\":{\"A\":\"a.png\",\"B\":"   \
    "\"b.png\",\"C\":\"c.png\",\"D\":\"d.png\"}}"
#define T7                                                                                                   \
    "{\"id\":\"q\",\"task\":\"docking\",\"answer\":\"roll x 75, move x "                                     \
    "-14\",\"truth\":{\"range\":[-90,90]}}"
#define T8                                                                                                   \
    "{\"id\":\"q\",\"task\":\"interaction_location\",\"answer\":\"C\",\"options\":{\"A\":\"move x 2, move "  \
    "y 3\",\"B\":\"move x -2, move y 3\",\"C\":\"move x 2, move y -3\",\"D\":\"move x 3, move y 2\"}}"
#define T9                                                                                                   \
    "{\"id\":\"q\",\"task\":\"pocket_ligand\",\"answer\":\"ARG 45 NH2 A, O1B; VAL 22 O A, N2; HIS 57A NE2 "  \
    "_, N1\"}"

static void score_translation_wrong_axis_is_zero(void **state)
{
    (void)state;
    assert_near(score1(T1, "move y 3", NULL), 0.0, 1e-12);
    assert_near(score1(T1, "roll x 3", NULL), 0.0, 1e-12); /* a roll is no translation */
    assert_near(score1(T2, "roll x 15", NULL), 0.0, 1e-12);
    assert_near(score1(T1, "move x 3, move y 1", NULL), 0.0, 1e-12); /* one command expected */
}

static void score_translation_half_range_off_is_half(void **state)
{
    (void)state;
    bool exact = true;
    assert_near(score1(T1, "move x -1", &exact), 0.5, 1e-12); /* error 4 of range 8 */
    assert_false(exact);
    assert_near(score1(T1, "move x 3", &exact), 1.0, 1e-12);
    assert_true(exact);
    assert_near(score1(T1, "move x 1", NULL), 0.75, 1e-12);
    assert_near(score1(T1, "move x -20", NULL), 0.0, 1e-12); /* never below 0 */
    assert_near(score1(T2, "roll y 105", NULL), 0.5, 1e-12); /* error 90 of range 180 */
    assert_near(score1(T2, "roll y -30", NULL), 0.75, 1e-12);
}

static void score_range_comes_from_truth(void **state)
{
    (void)state;
    const char *g =
        "{\"id\":\"q\",\"task\":\"rotation\",\"answer\":\"roll y 15\",\"truth\":{\"range\":[-45,45]}}";
    assert_near(score1(g, "roll y 60", NULL), 0.5, 1e-12);
    /* no truth.range, or null (the fixed truth shape of a task without it): the paper's 8 Å */
    assert_near(score1("{\"id\":\"q\",\"task\":\"translation\",\"answer\":\"move x 3\"}", "move x 1", NULL),
                0.75, 1e-12);
    assert_near(
        score1("{\"id\":\"q\",\"task\":\"translation\",\"answer\":\"move x 3\",\"truth\":{\"range\":null}}",
               "move x 1", NULL),
        0.75, 1e-12);
    /* T7: [low, high] of the rotation; a file made before record_version 2
     * gave it as {"rotation": [low, high]} and still reads alike */
    const char *d2 = "{\"id\":\"q\",\"task\":\"docking\",\"answer\":\"roll x 30, move x 5\",\"truth\":"
                     "{\"range\":[-45,45]}}";
    const char *d1 = "{\"id\":\"q\",\"task\":\"docking\",\"answer\":\"roll x 30, move x 5\",\"truth\":"
                     "{\"range\":{\"rotation\":[-45,45]}}}";
    assert_near(score1(d2, "roll x -15, move x 5", NULL), 0.75, 1e-12); /* rotation half: 1 - 45/90 */
    assert_near(score1(d1, "roll x -15, move x 5", NULL), 0.75, 1e-12);
}

static void score_zooming_is_exact_match(void **state)
{
    (void)state;
    assert_near(score1(T3, "move z 50", NULL), 1.0, 1e-12);
    assert_near(score1(T3, "move z 49", NULL), 0.0, 1e-12);
    assert_near(score1(T3, "move x 50", NULL), 0.0, 1e-12);
}

static void score_docking_wrong_translation_sign(void **state)
{
    (void)state;
    /* right rotation, translation of the wrong sign: the rotation half only */
    assert_near(score1(T7, "roll x 75, move x 14", NULL), 0.5, 1e-12);
    assert_near(score1(T7, "roll x 75, move x -14", NULL), 1.0, 1e-12);
    /* translation: 1 - |err| / |true| */
    assert_near(score1(T7, "roll x 75, move x -7", NULL), 0.75, 1e-12);
    assert_near(score1(T7, "roll x 75, move x -28", NULL), 0.5, 1e-12);
    assert_near(score1(T7, "roll x 75, move y -14", NULL), 0.5, 1e-12); /* wrong axis */
    /* rotation: 0 on a wrong axis, else 1 - |err| / 180 */
    assert_near(score1(T7, "roll y 75, move x -14", NULL), 0.5, 1e-12);
    assert_near(score1(T7, "roll x -15, move x -14", NULL), 0.75, 1e-12);
    /* order does not matter; one half alone earns its half */
    assert_near(score1(T7, "move x -14, roll x 75", NULL), 1.0, 1e-12);
    assert_near(score1(T7, "move x -14", NULL), 0.5, 1e-12);
    assert_near(score1(T7, "roll x 75, roll x 75", NULL), 0.0, 1e-12);
}

static void score_bonds_all_plus_extras_at_most_half(void **state)
{
    (void)state;
    assert_near(score1(T4P, "Yes: VAL O, N1; VAL O, N2; GLY N, O3", NULL), 0.5, 1e-12);
    assert_near(score1(T4P, "Yes: VAL O, N1; GLY N, O3", NULL), 0.5, 1e-12);
    assert_near(score1(T4P, "Yes: VAL O, N1", NULL), 0.5, 1e-12); /* half found, no extra */
    assert_near(score1(T4P, "Yes: val o, n2; VAL O, N1", NULL), 1.0, 1e-12);
    assert_near(score1(T9, "ARG 45 NH2 A, O1B; VAL 22 O A, N2; HIS 57A NE2 _, N1; GLU 1 OE1 A, N3", NULL),
                0.5, 1e-12);
    assert_near(score1(T9, "ARG 45 NH2 A, O1B; VAL 22 O A, N2", NULL), 2.0 / 3.0, 1e-12);
}

static void score_bonds_more_than_twice_is_zero(void **state)
{
    (void)state;
    /* 2 true bonds: 4 listed is at most twice (0.5), 5 is more (0) */
    assert_near(score1(T4P, "Yes: VAL O, N1; VAL O, N2; GLY N, O3; GLY N, O4", NULL), 0.5, 1e-12);
    assert_near(score1(T4P, "Yes: VAL O, N1; VAL O, N2; GLY N, O3; GLY N, O4; GLY N, O5", NULL), 0.0, 1e-12);
}

static void score_bonds_no_on_negative_and_positive(void **state)
{
    (void)state;
    bool exact = false;
    assert_near(score1(T4N, "No", &exact), 1.0, 1e-12);
    assert_true(exact);
    assert_near(score1(T4N, "no, there is none.", NULL), 1.0, 1e-12);
    assert_near(score1(T4N, "Yes: VAL O, N1", NULL), 0.0, 1e-12);
    assert_near(score1(T4N, "Yes", NULL), 0.0, 1e-12);
    assert_near(score1(T4N, "I am not sure", NULL), 0.0, 1e-12);
    assert_near(score1(T4P, "No", NULL), 0.0, 1e-12);
    assert_near(score1(T9, "No", NULL), 0.0, 1e-12);
}

static void score_t9_matches_number_chain_and_insertion_code(void **state)
{
    (void)state;
    const char *all = "ARG 45 NH2 A, O1B; VAL 22 O A, N2; HIS 57A NE2 _, N1";
    assert_near(score1(T9, all, NULL), 1.0, 1e-12);
    assert_near(score1(T9, "arg 45 nh2 a, o1b\nval 22 o a, n2 and his 57a ne2 _, n1", NULL), 1.0, 1e-12);
    /* wrong number / chain / insertion code: not the bond (an extra instead) */
    assert_near(score1(T9, "ARG 46 NH2 A, O1B; VAL 22 O A, N2; HIS 57A NE2 _, N1", NULL), 0.5, 1e-12);
    assert_near(score1(T9, "ARG 45 NH2 B, O1B; VAL 22 O A, N2; HIS 57A NE2 _, N1", NULL), 0.5, 1e-12);
    assert_near(score1(T9, "ARG 45 NH2 A, O1B; VAL 22 O A, N2; HIS 57 NE2 _, N1", NULL), 0.5, 1e-12);
    /* T4 ignores number and chain */
    assert_near(score1(T4P, "Yes: VAL O, N1; VAL O, N2", NULL), 1.0, 1e-12);
}

static void score_mc_letter_and_option_text(void **state)
{
    (void)state;
    assert_near(score1(T8, "C", NULL), 1.0, 1e-12);
    assert_near(score1(T8, "(c)", NULL), 1.0, 1e-12);
    assert_near(score1(T8, "move x 2, move y -3", NULL), 1.0, 1e-12);
    assert_near(score1(T8, "move x 2, move y 3", NULL), 0.0, 1e-12);
    assert_near(score1(T8, "B", NULL), 0.0, 1e-12);
    assert_near(score1(T5, "Answer: B", NULL), 1.0, 1e-12);
    assert_near(score1(T5, "option b", NULL), 1.0, 1e-12);
    assert_near(score1(T5, "A", NULL), 0.0, 1e-12);
    assert_near(score1(T5, "b.png", NULL), 0.0, 1e-12); /* image options: letters only */
}

/* T5 with the right answer A, and T5/T6 records as the generator writes them:
 * the option images listed in "images" (T5: images 8-11, T6: images 5-8). */
#define T5A                                                                                                  \
    "{\"id\":\"q\",\"task\":\"translation_rotation\",\"answer\":\"A\",\"options\":{\"A\":\"a.png\",\"B\":"   \
    "\"b.png\",\"C\":\"c.png\",\"D\":\"d.png\"}}"
#define T5_IMAGES                                                                                            \
    "{\"id\":\"q\",\"task\":\"translation_rotation\",\"answer\":\"B\",\"images\":[\"r1.png\",\"r2.png\","    \
    "\"r3.png\",\"r4.png\",\"s1.png\",\"s2.png\",\"s3.png\",\"a.png\",\"b.png\",\"c.png\",\"d.png\"],"       \
    "\"options\":{\"A\":\"a.png\",\"B\":\"b.png\",\"C\":\"c.png\",\"D\":\"d.png\"}}"
#define T6_IMAGES                                                                                            \
    "{\"id\":\"q\",\"task\":\"rotation_rotation\",\"answer\":\"D\",\"images\":[\"r1.png\",\"r2.png\","       \
    "\"r3.png\",\"r4.png\",\"a.png\",\"b.png\",\"c.png\",\"d.png\"],"                                        \
    "\"options\":{\"A\":\"a.png\",\"B\":\"b.png\",\"C\":\"c.png\",\"D\":\"d.png\"}}"

static void score_mc_letter_is_correct_phrases(void **state)
{
    (void)state;
    assert_near(score1(T5A, "A is correct.", NULL), 1.0, 1e-12);
    assert_near(score1(T5A, "A is the answer", NULL), 1.0, 1e-12);
    assert_near(score1(T5A, "a is the correct answer", NULL), 1.0, 1e-12);
    assert_near(score1(T5A, "A is right", NULL), 1.0, 1e-12);
    assert_near(score1(T5A, "The answer is A.", NULL), 1.0, 1e-12);
    assert_near(score1(T5A, "Option A", NULL), 1.0, 1e-12);
    assert_near(score1(T5A, "(A)", NULL), 1.0, 1e-12);
    assert_near(score1(T5A, "A)", NULL), 1.0, 1e-12);
    assert_near(score1(T5, "A is correct.", NULL), 0.0, 1e-12);
    assert_near(score1(T5, "B is correct.", NULL), 1.0, 1e-12);
    /* the article "A" in prose is still not the letter A */
    assert_near(score1(T5, "A rotation of 30 degrees about y gives B.", NULL), 1.0, 1e-12);
    assert_near(score1(T5A, "A rotation of 30 degrees about y gives B.", NULL), 0.0, 1e-12);
    assert_near(score1(T5A, "A rotation of 30 degrees about y", NULL), 0.0, 1e-12);
}

static void score_t5_t6_image_number_names_its_option(void **state)
{
    (void)state;
    assert_near(score1(T5_IMAGES, "Image 9", NULL), 1.0, 1e-12);
    assert_near(score1(T5_IMAGES, "The answer is image #9.", NULL), 1.0, 1e-12);
    assert_near(score1(T5_IMAGES, "Image 8", NULL), 0.0, 1e-12); /* option A */
    assert_near(score1(T6_IMAGES, "Image 8", NULL), 1.0, 1e-12);
    assert_near(score1(T6_IMAGES, "IMAGE # 8", NULL), 1.0, 1e-12);
    assert_near(score1(T6_IMAGES, "Image 5", NULL), 0.0, 1e-12); /* option A */
    /* images that are no option */
    assert_near(score1(T6_IMAGES, "Image 4", NULL), 0.0, 1e-12);
    assert_near(score1(T6_IMAGES, "Image 9", NULL), 0.0, 1e-12);
    assert_near(score1(T5_IMAGES, "Image 5", NULL), 0.0, 1e-12);
    /* letters still count, and the later of letter and image wins */
    assert_near(score1(T6_IMAGES, "Answer: D", NULL), 1.0, 1e-12);
    assert_near(score1(T6_IMAGES, "Image 8 or the answer is A", NULL), 0.0, 1e-12);
    assert_near(score1(T6_IMAGES, "Not A: image 8", NULL), 1.0, 1e-12);
    /* a record whose "images" does not list the option paths: letters only */
    assert_near(score1(T5, "Image 9", NULL), 0.0, 1e-12);
    assert_near(score1(T5, "Image 1", NULL), 0.0, 1e-12);

    /* the same through a predictions file */
    const char gold[] = T5_IMAGES "\n";
    misi_gold g = {0};
    misi_error err;
    misi_error_clear(&err);
    assert_int_equal(misi_gold_load_text(gold, strlen(gold), "g.jsonl", &g, &err), MISI_OK);
    assert_int_equal(g.items[0].nimages, 11);
    const char pred[] = "{\"id\": \"q\", \"answer\": \"I pick Image 9.\"}\n";
    misi_score_report r = {0};
    assert_int_equal(misi_score_text_lines(&g, pred, strlen(pred), "p.jsonl", NULL, &r, &err), MISI_OK);
    assert_near(r.scores[0], 1.0, 1e-12);
    misi_score_report_finish(&r);
    misi_gold_finish(&g);
}

static void score_prose_around_answers(void **state)
{
    (void)state;
    assert_near(score1(T1, "I think the answer is move x 3.", NULL), 1.0, 1e-12);
    assert_near(score1(T1, "Not move y 3. Looking again, it is move x 3", NULL), 1.0, 1e-12);
    assert_near(score1(T7, "First roll, then move: roll x 75, move x -14.", NULL), 1.0, 1e-12);
    assert_near(score1(T5, "Comparing all four options, the answer is (B).", NULL), 1.0, 1e-12);
    assert_near(score1(T8, "The ligand needs move x 2, move y -3 to be centred.", NULL), 1.0, 1e-12);
    assert_near(score1(T4P, "Looking at the labels: Yes: VAL O, N1; VAL O, N2.", NULL), 1.0, 1e-12);
}

static void score_turn_is_roll(void **state)
{
    (void)state;
    assert_near(score1(T2, "turn y 15", NULL), 1.0, 1e-12);
    assert_near(score1(T2, "TURN Y 105", NULL), 0.5, 1e-12);
    assert_near(score1(T7, "turn x 75, move x -14", NULL), 1.0, 1e-12);
}

/* ---- whole files ---- */

static void load_fixture_gold(misi_gold *g, const char *name)
{
    char path[1024];
    fixture_path(path, sizeof path, name);
    misi_error err;
    misi_error_clear(&err);
    if (misi_gold_load(path, g, &err))
        fail_msg("%s", err.msg);
}

static void score_fixture(const misi_gold *g, const char *pred, const char *split, misi_score_report *r)
{
    char path[1024];
    fixture_path(path, sizeof path, pred);
    misi_error err;
    misi_error_clear(&err);
    misi_score_options opt = {.split = split};
    if (misi_score_file(g, path, &opt, r, &err))
        fail_msg("%s", err.msg);
}

static void score_fixture_gives_known_scores(void **state)
{
    (void)state;
    misi_gold g = {0};
    misi_score_report r = {0};
    load_fixture_gold(&g, "gold.jsonl");
    score_fixture(&g, "pred_rules.jsonl", NULL, &r);
    assert_int_equal(r.questions, 18);
    static const double want[10] = {0, 50, 75, 0, 37.5, 100, 0, 62.5, 50, 0};
    static const double want_exact[10] = {0, 100.0 / 3, 50, 0, 25, 100, 0, 0, 50, 0};
    for (int t = 1; t <= 9; t++) {
        assert_near(misi_score_task_mean(&r, t), want[t], 1e-9);
        assert_near(misi_score_task_exact(&r, t), want_exact[t], 1e-9);
    }
    size_t n;
    assert_near(misi_score_average(&r, true, false, &n), (50 + 75 + 0 + 37.5 + 62.5 + 50 + 0) / 7.0, 1e-9);
    assert_int_equal(n, 7);
    assert_near(misi_score_average(&r, false, false, &n),
                (50 + 75 + 0 + 37.5 + 100 + 0 + 62.5 + 50 + 0) / 9.0, 1e-9);
    assert_int_equal(n, 9);
    misi_score_report_finish(&r);
    misi_gold_finish(&g);
}

static void score_missing_and_unknown_ids_reported(void **state)
{
    (void)state;
    misi_gold g = {0};
    misi_score_report r = {0};
    load_fixture_gold(&g, "gold.jsonl");
    score_fixture(&g, "pred_rules.jsonl", NULL, &r);
    assert_int_equal(r.missing.count, 1);
    assert_string_equal(r.missing.items[0], "1abc-pocket_ligand-test-1");
    assert_int_equal(r.unknown.count, 1);
    assert_string_equal(r.unknown.items[0], "nope-1");
    assert_int_equal(r.tasks[9].count, 2);
    assert_int_equal(r.tasks[9].answered, 1);
    /* the missing question scored 0 and still counts */
    long i = misi_gold_find(&g, "1abc-pocket_ligand-test-1");
    assert_true(i >= 0);
    assert_near(r.scores[i], 0.0, 1e-12);
    /* the report lists them */
    char *json = misi_score_json(&r, "g", "p", NULL);
    assert_non_null(json);
    assert_contains(json, "\"nope-1\"");
    assert_contains(json, "\"1abc-pocket_ligand-test-1\"");
    free(json);
    misi_score_report_finish(&r);
    misi_gold_finish(&g);
}

static void score_duplicate_prediction_last_wins(void **state)
{
    (void)state;
    misi_gold g = {0};
    misi_score_report r = {0};
    load_fixture_gold(&g, "gold.jsonl");
    score_fixture(&g, "pred_rules.jsonl", NULL, &r);
    /* zooming is answered "move z 50" (right) then "move z 49" (wrong) */
    assert_int_equal(r.duplicates.count, 1);
    assert_string_equal(r.duplicates.items[0], "1abc-zooming-test-0");
    assert_near(misi_score_task_mean(&r, MISI_TASK_ZOOMING), 0.0, 1e-12);
    misi_score_report_finish(&r);
    misi_gold_finish(&g);
}

static void score_malformed_prediction_line_skipped_with_line_number(void **state)
{
    (void)state;
    misi_gold g = {0};
    misi_score_report r = {0};
    load_fixture_gold(&g, "gold.jsonl");
    score_fixture(&g, "pred_rules.jsonl", NULL, &r);
    assert_int_equal(r.malformed.count, 2);
    assert_contains(r.malformed.items[0], "pred_rules.jsonl:7: not JSON");
    assert_contains(r.malformed.items[1], "pred_rules.jsonl:12: no \"answer\"");
    /* the lines after them were scored */
    assert_int_equal(r.tasks[MISI_TASK_DOCKING].answered, 2);
    misi_score_report_finish(&r);
    misi_gold_finish(&g);

    const char *gold = T1 "\n";
    const char *pred =
        "{\"id\":\"q\",\"answer\":\"move x 3\"}\n[1,2]\n{\"answer\":\"x\"}\n{\"id\":\"q\",\"answer\":7}\n";
    misi_error err;
    assert_int_equal(misi_gold_load_text(gold, strlen(gold), "g.jsonl", &g, &err), MISI_OK);
    assert_int_equal(misi_score_text_lines(&g, pred, strlen(pred), "p.jsonl", NULL, &r, &err), MISI_OK);
    assert_int_equal(r.malformed.count, 3);
    assert_contains(r.malformed.items[0], "p.jsonl:2: not a JSON object");
    assert_contains(r.malformed.items[1], "p.jsonl:3: no \"id\"");
    assert_contains(r.malformed.items[2], "p.jsonl:4: no \"answer\"");
    assert_near(misi_score_task_mean(&r, 1), 100.0, 1e-12);
    misi_score_report_finish(&r);
    misi_gold_finish(&g);
}

static void score_split_filter(void **state)
{
    (void)state;
    misi_gold g = {0};
    misi_score_report r = {0};
    load_fixture_gold(&g, "gold.jsonl");
    score_fixture(&g, "pred_rules.jsonl", "test", &r);
    assert_int_equal(r.questions, 17);
    assert_int_equal(r.tasks[1].count, 2);
    assert_near(misi_score_task_mean(&r, 1), 25.0, 1e-12);
    assert_int_equal(r.other_split, 1); /* the train answer: ignored, not "unknown" */
    assert_int_equal(r.unknown.count, 1);
    misi_score_report_finish(&r);
    score_fixture(&g, "pred_rules.jsonl", "train", &r);
    assert_int_equal(r.questions, 1);
    assert_near(misi_score_task_mean(&r, 1), 100.0, 1e-12);
    misi_score_report_finish(&r);
    misi_gold_finish(&g);
}

static void score_gold_against_itself_is_100(void **state)
{
    (void)state;
    misi_gold g = {0};
    misi_score_report r = {0};
    load_fixture_gold(&g, "gold.jsonl");
    score_fixture(&g, "gold.jsonl", NULL, &r);
    for (int t = 1; t <= 9; t++) {
        assert_true(r.tasks[t].count > 0);
        assert_near(misi_score_task_mean(&r, t), 100.0, 1e-12);
        assert_near(misi_score_task_exact(&r, t), 100.0, 1e-12);
    }
    assert_near(misi_score_average(&r, true, false, NULL), 100.0, 1e-12);
    assert_int_equal(r.missing.count + r.unknown.count + r.duplicates.count + r.malformed.count, 0);
    misi_score_report_finish(&r);
    misi_gold_finish(&g);
}

static void expect_gold_error(const char *name, const char *want)
{
    char path[1024];
    fixture_path(path, sizeof path, name);
    misi_gold g = {0};
    misi_error err;
    misi_error_clear(&err);
    assert_int_equal(misi_gold_load(path, &g, &err), MISI_E_PARSE);
    assert_contains(err.msg, want);
    assert_int_equal(g.count, 0);
}

static void score_malformed_gold_is_hard_error(void **state)
{
    (void)state;
    expect_gold_error("gold_bad_answer.jsonl", "gold_bad_answer.jsonl:3: record '1abc-translation-test-1'");
    expect_gold_error("gold_bad_answer.jsonl", "is not 'move x|y <Å>'");
    expect_gold_error("gold_not_json.jsonl", "gold_not_json.jsonl:2: not a JSON object");
    expect_gold_error("gold_duplicate_id.jsonl",
                      "gold_duplicate_id.jsonl:2: duplicate id '1abc-translation-test-0' (first on line 1)");
    misi_gold g = {0};
    misi_error err;
    const char *bad[] = {
        "{\"task\":\"translation\",\"answer\":\"move x 3\"}",
        "{\"id\":\"q\",\"task\":\"spinning\",\"answer\":\"move x 3\"}",
        "{\"id\":\"q\",\"task\":\"translation\"}",
        "{\"id\":\"q\",\"task\":\"translation\",\"answer\":\"move x 3\",\"truth\":{\"range\":[4,-4]}}",
        "{\"id\":\"q\",\"task\":\"interaction_location\",\"answer\":\"C\"}",
        "{\"id\":\"q\",\"task\":\"pocket_ligand\",\"answer\":\"No\"}",
        /* the answer must list exactly truth.bonds */
        "{\"id\":\"q\",\"task\":\"pocket_ligand\",\"answer\":\"ARG 45 NH2 A, O1B\",\"truth\":{\"bonds\":["
        "{\"residue\":\"ARG\",\"number\":45,\"icode\":\"\",\"chain\":\"A\",\"residue_atom\":\"NH2\",\"ligand_"
        "atom\":\"O1B\"},"
        "{\"residue\":\"VAL\",\"number\":22,\"icode\":\"\",\"chain\":\"A\",\"residue_atom\":\"O\",\"ligand_"
        "atom\":\"N2\"}]}}",
        "{\"id\":\"q\",\"task\":\"residue_ligand\",\"answer\":\"Yes: ARG NH2, O1B\",\"truth\":{\"bonds\":["
        "{\"residue\":\"ARG\",\"number\":45,\"icode\":\"\",\"chain\":\"A\",\"residue_atom\":\"NH1\",\"ligand_"
        "atom\":\"O1B\"}]}}",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        misi_error_clear(&err);
        if (misi_gold_load_text(bad[i], strlen(bad[i]), "g.jsonl", &g, &err) != MISI_E_PARSE)
            fail_msg("accepted: %s", bad[i]);
        assert_contains(err.msg, "g.jsonl");
    }
    assert_int_equal(misi_gold_load("/nonexistent/gold.jsonl", &g, &err), MISI_E_IO);
}

/* ---- the random baseline ---- */

static void score_random_baseline_near_chance(void **state)
{
    (void)state;
    char gold_path[] = "/tmp/misi-score-gold-XXXXXX", pred_path[] = "/tmp/misi-score-pred-XXXXXX";
    int fd1 = mkstemp(gold_path), fd2 = mkstemp(pred_path);
    assert_true(fd1 >= 0 && fd2 >= 0);
    close(fd1);
    close(fd2);
    assert_int_equal(random_synth_gold(gold_path, 2001, 1, false), MISI_OK);
    misi_gold g = {0};
    misi_error err;
    misi_error_clear(&err);
    if (misi_gold_load(gold_path, &g, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(g.count, 2001);
    /* the right letters are uniform */
    size_t per_letter[4] = {0};
    for (size_t i = 0; i < g.count; i++)
        per_letter[g.items[i].truth.letter - 'A']++;
    for (int k = 0; k < 4; k++)
        assert_true(per_letter[k] > 430 && per_letter[k] < 570);
    for (uint64_t seed = 1; seed <= 5; seed++) {
        assert_int_equal(random_answers(&g, pred_path, seed), MISI_OK);
        misi_score_report r = {0};
        if (misi_score_file(&g, pred_path, NULL, &r, &err))
            fail_msg("%s", err.msg);
        size_t exact = 0, count = 0;
        for (int t = 1; t <= 9; t++) {
            exact += r.tasks[t].exact;
            count += r.tasks[t].count;
        }
        double pct = 100.0 * (double)exact / (double)count;
        print_message("seed %lu: MC exact %.2f%% of %zu\n", (unsigned long)seed, pct, count);
        assert_near(pct, 25.0, 3.0);
        misi_score_report_finish(&r);
    }
    misi_gold_finish(&g);
    unlink(gold_path);
    unlink(pred_path);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(score_translation_wrong_axis_is_zero),
        cmocka_unit_test(score_translation_half_range_off_is_half),
        cmocka_unit_test(score_range_comes_from_truth),
        cmocka_unit_test(score_zooming_is_exact_match),
        cmocka_unit_test(score_docking_wrong_translation_sign),
        cmocka_unit_test(score_bonds_all_plus_extras_at_most_half),
        cmocka_unit_test(score_bonds_more_than_twice_is_zero),
        cmocka_unit_test(score_bonds_no_on_negative_and_positive),
        cmocka_unit_test(score_t9_matches_number_chain_and_insertion_code),
        cmocka_unit_test(score_mc_letter_and_option_text),
        cmocka_unit_test(score_mc_letter_is_correct_phrases),
        cmocka_unit_test(score_t5_t6_image_number_names_its_option),
        cmocka_unit_test(score_prose_around_answers),
        cmocka_unit_test(score_turn_is_roll),
        cmocka_unit_test(score_fixture_gives_known_scores),
        cmocka_unit_test(score_missing_and_unknown_ids_reported),
        cmocka_unit_test(score_duplicate_prediction_last_wins),
        cmocka_unit_test(score_malformed_prediction_line_skipped_with_line_number),
        cmocka_unit_test(score_split_filter),
        cmocka_unit_test(score_gold_against_itself_is_100),
        cmocka_unit_test(score_malformed_gold_is_hard_error),
        cmocka_unit_test(score_random_baseline_near_chance),
    };
    RUN_TESTS(tests, argc, argv);
}
