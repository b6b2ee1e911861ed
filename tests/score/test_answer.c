/* Parsing and formatting the answer syntax of every task (misi/answer.h). */
#include "score_test.h"

#include "misi/answer.h"

static void assert_ops(int task, const char *text, const char *want)
{
    misi_answer a;
    assert_int_equal(misi_answer_parse(task, text, NULL, &a), MISI_OK);
    char buf[256];
    misi_answer_format(task, &a, buf, sizeof buf);
    if (strcmp(buf, want))
        fail_msg("'%s' read as '%s', expected '%s'", text, buf, want);
    misi_answer_finish(&a);
}

static char letter_of(int task, const char *text, const char *const *options)
{
    misi_answer a;
    assert_int_equal(misi_answer_parse(task, text, options, &a), MISI_OK);
    char l = a.kind == MISI_ANSWER_LETTER ? a.letter : 0;
    misi_answer_finish(&a);
    return l;
}

static void answer_commands_accept_case_spacing_and_turn(void **state)
{
    (void)state;
    assert_ops(MISI_TASK_TRANSLATION, "move x 3", "move x 3");
    assert_ops(MISI_TASK_TRANSLATION, "  MOVE   X   +3 ", "move x 3");
    assert_ops(MISI_TASK_TRANSLATION, "Move y -2.0 Å", "move y -2");
    assert_ops(MISI_TASK_TRANSLATION, "move along the x-axis by 3 angstroms", "move x 3");
    assert_ops(MISI_TASK_ROTATION, "turn y 15", "roll y 15");
    assert_ops(MISI_TASK_ROTATION,
               "Turn Z \xe2\x88\x92"
               "45\xc2\xb0",
               "roll z -45"); /* U+2212, degree sign */
    assert_ops(MISI_TASK_DOCKING, "roll x 75,move x -14", "roll x 75, move x -14");
    assert_ops(MISI_TASK_DOCKING, "roll x 75 and then move x -14", "roll x 75, move x -14");
    assert_ops(MISI_TASK_ZOOMING, "move z 50", "move z 50");
    /* not commands */
    assert_ops(MISI_TASK_TRANSLATION, "remove x 3", "");
    assert_ops(MISI_TASK_TRANSLATION, "move w 3", "");
    assert_ops(MISI_TASK_TRANSLATION, "move x three", "");
    assert_ops(MISI_TASK_TRANSLATION, "", "");
}

static void answer_commands_take_last_sequence_in_prose(void **state)
{
    (void)state;
    assert_ops(MISI_TASK_TRANSLATION, "I think the answer is move x 3.", "move x 3");
    assert_ops(MISI_TASK_TRANSLATION, "Not roll y 30; comparing image 1 and 4 the answer is move x -2",
               "move x -2");
    assert_ops(MISI_TASK_TRANSLATION, "First I tried move y 1. Final answer: move x 4\n", "move x 4");
    assert_ops(MISI_TASK_DOCKING, "Rotate first. Answer: roll x 75, move x -14. Done.",
               "roll x 75, move x -14");
    assert_ops(MISI_TASK_DOCKING, "roll x 30 is wrong. roll x 75, move x -14", "roll x 75, move x -14");
    /* commands joined by white space or a new line are one sequence */
    assert_ops(MISI_TASK_DOCKING, "roll x 75\nmove x -14", "roll x 75, move x -14");
}

static void answer_letters_in_every_form(void **state)
{
    (void)state;
    const int t = MISI_TASK_TRANSLATION_ROTATION;
    assert_int_equal(letter_of(t, "B", NULL), 'B');
    assert_int_equal(letter_of(t, "b", NULL), 'B');
    assert_int_equal(letter_of(t, "(B)", NULL), 'B');
    assert_int_equal(letter_of(t, " **C.** ", NULL), 'C');
    assert_int_equal(letter_of(t, "Answer: B", NULL), 'B');
    assert_int_equal(letter_of(t, "option b", NULL), 'B');
    assert_int_equal(letter_of(t, "The answer is d.", NULL), 'D');
    assert_int_equal(letter_of(t, "The correct option is (c) because it matches.", NULL), 'C');
    assert_int_equal(letter_of(t, "Between A and C, I choose C", NULL), 'C');
    assert_int_equal(letter_of(t, "B) looks right", NULL), 'B');
    /* a marked letter beats later plain capitals; the article "A" is no answer */
    assert_int_equal(letter_of(t, "Answer: D. A careful look confirms it.", NULL), 'D');
    assert_int_equal(letter_of(t, "The answer is 'B'", NULL), 'B');
    /* lower-case letters in prose are words, not answers */
    assert_int_equal(letter_of(t, "it is a good one", NULL), 0);
    assert_int_equal(letter_of(t, "I cannot tell", NULL), 0);
    assert_int_equal(letter_of(t, "", NULL), 0);
}

static void answer_t8_option_text_counts_as_its_letter(void **state)
{
    (void)state;
    const int t = MISI_TASK_INTERACTION_LOCATION;
    const char *const opts[4] = {"move x 2, move y 3", "move x -2, move y 3", "move x 2, move y -3",
                                 "move x 3, move y 2"};
    assert_int_equal(letter_of(t, "move x 2, move y -3", opts), 'C');
    assert_int_equal(letter_of(t, "MOVE X -2,MOVE Y 3", opts), 'B');
    /* the same net move in the other order */
    assert_int_equal(letter_of(t, "move y 2, move x 3", opts), 'D');
    assert_int_equal(letter_of(t, "The answer is move x 2, move y 3.", opts), 'A');
    /* a letter given after the commands wins; commands matching no option are ignored */
    assert_int_equal(letter_of(t, "move x 2, move y 3 is option A? No: option C", opts), 'C');
    assert_int_equal(letter_of(t, "B: move x 9, move y 9", opts), 'B');
    assert_int_equal(letter_of(t, "move x 9, move y 9", opts), 0);
    /* T5, T6 options are images: only letters count */
    assert_int_equal(letter_of(MISI_TASK_ROTATION_ROTATION, "move x 2, move y 3", opts), 0);
}

static void answer_letter_is_correct_is_not_an_article(void **state)
{
    (void)state;
    const int t = MISI_TASK_TRANSLATION_ROTATION;
    /* "<letter> is correct / right / the answer / the correct answer" */
    assert_int_equal(letter_of(t, "A is correct.", NULL), 'A');
    assert_int_equal(letter_of(t, "A is correct", NULL), 'A');
    assert_int_equal(letter_of(t, "A is the answer", NULL), 'A');
    assert_int_equal(letter_of(t, "A is the correct answer.", NULL), 'A');
    assert_int_equal(letter_of(t, "A is the right answer", NULL), 'A');
    assert_int_equal(letter_of(t, "A IS RIGHT", NULL), 'A');
    assert_int_equal(letter_of(t, "a is right", NULL), 'A');
    assert_int_equal(letter_of(t, "**A** is correct", NULL), 'A');
    assert_int_equal(letter_of(t, "I compared them all. B is correct.", NULL), 'B');
    /* it is a marked letter: it beats later plain capitals, loses to a later mark */
    assert_int_equal(letter_of(t, "A is correct; D looks close", NULL), 'A');
    assert_int_equal(letter_of(t, "A is correct? No, the answer is C", NULL), 'C');
    /* the other forms of A still read as A */
    assert_int_equal(letter_of(t, "The answer is A.", NULL), 'A');
    assert_int_equal(letter_of(t, "Option A", NULL), 'A');
    assert_int_equal(letter_of(t, "(A)", NULL), 'A');
    assert_int_equal(letter_of(t, "A)", NULL), 'A');
    /* "A" as an article is still no answer */
    assert_int_equal(letter_of(t, "A rotation of 30 degrees about y gives D.", NULL), 'D');
    assert_int_equal(letter_of(t, "A rotation of 30 degrees is correct, so C", NULL), 'C');
    assert_int_equal(letter_of(t, "A is not correct; D", NULL), 'D');
    assert_int_equal(letter_of(t, "A is incorrect, B is wrong. D", NULL), 'D');
    assert_int_equal(letter_of(t, "A careful look", NULL), 0);
    assert_int_equal(letter_of(t, "This is a correct reading", NULL), 0);
    assert_int_equal(letter_of(t, "it is a good one", NULL), 0);
}

static char image_letter_of(int task, const char *text, const char *letters, size_t n)
{
    misi_answer a;
    assert_int_equal(misi_answer_parse_images(task, text, NULL, letters, n, &a), MISI_OK);
    char l = a.kind == MISI_ANSWER_LETTER ? a.letter : 0;
    misi_answer_finish(&a);
    return l;
}

static void answer_t5_t6_image_number_reads_as_its_option(void **state)
{
    (void)state;
    /* T5: eleven images, options A-D are images 8-11 */
    const char t5[11] = {0, 0, 0, 0, 0, 0, 0, 'A', 'B', 'C', 'D'};
    const int t = MISI_TASK_TRANSLATION_ROTATION;
    assert_int_equal(image_letter_of(t, "Image 8", t5, 11), 'A');
    assert_int_equal(image_letter_of(t, "image 9", t5, 11), 'B');
    assert_int_equal(image_letter_of(t, "IMAGE #10", t5, 11), 'C');
    assert_int_equal(image_letter_of(t, "image # 11.", t5, 11), 'D');
    assert_int_equal(image_letter_of(t, "The answer is Image 9.", t5, 11), 'B');
    /* a mention of an image that is no option is ignored */
    assert_int_equal(image_letter_of(t, "Image 9 matches image 4", t5, 11), 'B');
    /* with a letter too, the later one wins */
    assert_int_equal(image_letter_of(t, "Image 8? No: the answer is C", t5, 11), 'C');
    assert_int_equal(image_letter_of(t, "Answer: C. On reflection, image 9.", t5, 11), 'B');
    /* numbers that name no option */
    assert_int_equal(image_letter_of(t, "Image 5", t5, 11), 0);
    assert_int_equal(image_letter_of(t, "Image 4 is the reference", t5, 11), 0);
    assert_int_equal(image_letter_of(t, "Image 12", t5, 11), 0);
    assert_int_equal(image_letter_of(t, "image 0", t5, 11), 0);
    assert_int_equal(image_letter_of(t, "image 99999999999999999999999", t5, 11), 0);
    assert_int_equal(image_letter_of(t, "image 8b", t5, 11), 0);
    assert_int_equal(image_letter_of(t, "image 8.5", t5, 11), 0);
    assert_int_equal(image_letter_of(t, "images 8", t5, 11), 0);
    assert_int_equal(image_letter_of(t, "image", t5, 11), 0);
    /* T6: eight images, options A-D are images 5-8 */
    const char t6[8] = {0, 0, 0, 0, 'A', 'B', 'C', 'D'};
    assert_int_equal(image_letter_of(MISI_TASK_ROTATION_ROTATION, "Image 8", t6, 8), 'D');
    assert_int_equal(image_letter_of(MISI_TASK_ROTATION_ROTATION, "Image 4", t6, 8), 0);
    /* without the image table (or for T8) image numbers mean nothing */
    assert_int_equal(letter_of(t, "Image 8", NULL), 0);
    assert_int_equal(image_letter_of(MISI_TASK_INTERACTION_LOCATION, "Image 8", t5, 11), 0);
}

static void assert_bonds(int task, const char *text, int kind, const char *want)
{
    misi_answer a;
    assert_int_equal(misi_answer_parse(task, text, NULL, &a), MISI_OK);
    if (a.kind != kind)
        fail_msg("'%s' read as kind %d, expected %d", text, a.kind, kind);
    char buf[512];
    misi_answer_format(task, &a, buf, sizeof buf);
    if (strcmp(buf, want))
        fail_msg("'%s' read as '%s', expected '%s'", text, buf, want);
    misi_answer_finish(&a);
}

static void answer_t4_bonds_no_and_separators(void **state)
{
    (void)state;
    const int t = MISI_TASK_RESIDUE_LIGAND;
    assert_bonds(t, "No", MISI_ANSWER_NO, "No");
    assert_bonds(t, "no.", MISI_ANSWER_NO, "No");
    assert_bonds(t, "There is no hydrogen bond. No", MISI_ANSWER_NO, "No");
    assert_bonds(t, "Yes: VAL O, N1; VAL O, N2", MISI_ANSWER_BONDS, "Yes: VAL O, N1; VAL O, N2");
    assert_bonds(t, "yes:val o,n1;val o,n2", MISI_ANSWER_BONDS, "Yes: VAL O, N1; VAL O, N2");
    assert_bonds(t, "Yes: VAL O, N1 and VAL O, N2.", MISI_ANSWER_BONDS, "Yes: VAL O, N1; VAL O, N2");
    assert_bonds(t, "Yes:\nVAL O, N1\nVAL O, N2\n", MISI_ANSWER_BONDS, "Yes: VAL O, N1; VAL O, N2");
    assert_bonds(t, "Yes, VAL O, N1, VAL O, N2", MISI_ANSWER_BONDS, "Yes: VAL O, N1; VAL O, N2");
    assert_bonds(t, "I see no clash. Yes: the bonds are VAL O, N1; VAL O, N1", MISI_ANSWER_BONDS,
                 "Yes: VAL O, N1"); /* a duplicate counts once */
    assert_bonds(t, "Yes: VAL O N1; VAL O N2", MISI_ANSWER_BONDS, "Yes: VAL O, N1; VAL O, N2");
    assert_bonds(t, "Yes", MISI_ANSWER_BONDS, "Yes");
    assert_bonds(t, "maybe", MISI_ANSWER_NONE, "");
}

static void answer_t9_bonds_tolerate_spacing_case_and_newlines(void **state)
{
    (void)state;
    const int t = MISI_TASK_POCKET_LIGAND;
    const char *want = "ARG 45 NH2 A, O1B; VAL 22 O A, N2";
    assert_bonds(t, "ARG 45 NH2 A, O1B; VAL 22 O A, N2", MISI_ANSWER_BONDS, want);
    assert_bonds(t, "arg 45 nh2 a,o1b;  val 22 o a ,  n2", MISI_ANSWER_BONDS, want);
    assert_bonds(t, "The hydrogen bonds are:\nARG 45 NH2 A, O1B\nVAL 22 O A, N2.", MISI_ANSWER_BONDS, want);
    assert_bonds(t, "ARG 45 NH2 A, O1B and VAL 22 O A, N2", MISI_ANSWER_BONDS, want);
    assert_bonds(t, "SER 10 OG _, O3; HIS 57A NE2 _, N1", MISI_ANSWER_BONDS,
                 "SER 10 OG _, O3; HIS 57A NE2 _, N1");
    /* no chain written: read as no chain id */
    assert_bonds(t, "SER 10 OG, O3", MISI_ANSWER_BONDS, "SER 10 OG _, O3");
}

/* Ligand names as the dataset writes them: MOL2 names up to 16 characters
 * and names qualified by the duplicate rule ("O1#3") read back whole, so
 * OCARB_A and OCARB_B, or O1#2 and O1#3, are different bonds. */
static void answer_keeps_long_and_qualified_ligand_names(void **state)
{
    (void)state;
    assert_bonds(MISI_TASK_POCKET_LIGAND, "LYS 20 NZ A, OCARB_A; SER 45 OG A, CMETHYL_LONGNAME", MISI_ANSWER_BONDS,
                 "LYS 20 NZ A, OCARB_A; SER 45 OG A, CMETHYL_LONGNAME");
    assert_bonds(MISI_TASK_POCKET_LIGAND, "LYS 20 NZ A, O1#2; SER 45 OG A, o1#3.", MISI_ANSWER_BONDS,
                 "LYS 20 NZ A, O1#2; SER 45 OG A, O1#3");
    assert_bonds(MISI_TASK_RESIDUE_LIGAND, "Yes: LYS NZ, OCARB_A; LYS NZ, OCARB_B", MISI_ANSWER_BONDS,
                 "Yes: LYS NZ, OCARB_A; LYS NZ, OCARB_B");
    misi_answer_bond a, b;
    assert_int_equal(misi_answer_bond_set(&a, "LYS", 20, "", "A", "NZ", "O1#2"), MISI_OK);
    assert_int_equal(misi_answer_bond_set(&b, "LYS", 20, "", "A", "NZ", "O1#3"), MISI_OK);
    assert_false(misi_answer_bond_equal(MISI_TASK_POCKET_LIGAND, &a, &b));
    /* the longest name with the longest qualifier still fits */
    assert_int_equal(misi_answer_bond_set(&a, "LYS", 20, "", "A", "NZ", "CMETHYL_LONGNAME#1000000"), MISI_OK);
}

static void answer_formatters_round_trip(void **state)
{
    (void)state;
    misi_answer_bond b[2];
    assert_int_equal(misi_answer_bond_set(&b[0], "arg", 45, "", "A", "NH2", "O1B"), MISI_OK);
    assert_int_equal(misi_answer_bond_set(&b[1], "HIS", 57, "A", "_", "NE2", "N1"), MISI_OK);
    char buf[256];
    assert_int_equal(misi_answer_format_pocket_bonds(b, 2, buf, sizeof buf),
                     (int)strlen("ARG 45 NH2 A, O1B; HIS 57A NE2 _, N1"));
    assert_string_equal(buf, "ARG 45 NH2 A, O1B; HIS 57A NE2 _, N1");
    int len = misi_answer_format_residue_bonds(b, 2, buf, sizeof buf);
    assert_string_equal(buf, "Yes: ARG NH2, O1B; HIS NE2, N1");
    assert_int_equal(len, (int)strlen(buf));
    assert_int_equal(misi_answer_format_residue_bonds(b, 0, buf, sizeof buf), 2);
    assert_string_equal(buf, "No");
    /* snprintf-like truncation */
    char small[8];
    assert_int_equal(misi_answer_format_pocket_bonds(b, 1, small, sizeof small),
                     (int)strlen("ARG 45 NH2 A, O1B"));
    assert_string_equal(small, "ARG 45 ");
    misi_op ops[2] = {{MISI_OP_ROLL, MISI_AXIS_X, 75}, {MISI_OP_MOVE, MISI_AXIS_X, -14}};
    misi_answer_format_ops(ops, 2, buf, sizeof buf);
    assert_string_equal(buf, "roll x 75, move x -14");
    /* parse(format(x)) == x */
    misi_answer a;
    assert_int_equal(misi_answer_parse(MISI_TASK_DOCKING, buf, NULL, &a), MISI_OK);
    assert_int_equal(a.nops, 2);
    assert_true(a.ops[0].kind == MISI_OP_ROLL && a.ops[0].value == 75.0f);
    assert_true(a.ops[1].kind == MISI_OP_MOVE && a.ops[1].value == -14.0f);
    misi_answer_finish(&a);
    assert_int_equal(misi_answer_task_number("docking"), 7);
    assert_string_equal(misi_answer_task_name(9), "pocket_ligand");
    assert_true(misi_answer_task_is_mc(8));
    assert_false(misi_answer_task_is_mc(3));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(answer_commands_accept_case_spacing_and_turn),
        cmocka_unit_test(answer_commands_take_last_sequence_in_prose),
        cmocka_unit_test(answer_letters_in_every_form),
        cmocka_unit_test(answer_t8_option_text_counts_as_its_letter),
        cmocka_unit_test(answer_letter_is_correct_is_not_an_article),
        cmocka_unit_test(answer_t5_t6_image_number_reads_as_its_option),
        cmocka_unit_test(answer_t4_bonds_no_and_separators),
        cmocka_unit_test(answer_t9_bonds_tolerate_spacing_case_and_newlines),
        cmocka_unit_test(answer_keeps_long_and_qualified_ligand_names),
        cmocka_unit_test(answer_formatters_round_trip),
    };
    RUN_TESTS(tests, argc, argv);
}
