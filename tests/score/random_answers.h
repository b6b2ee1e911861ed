/* A random-answer baseline for misi score: a synthetic gold file of MC
 * questions with the right letter uniform over A-D, and random answers for
 * any gold file (letters uniform for MC, a random axis and value in range for
 * the commands, "No" for the bond lists). Shared by the test and the tool. */
#ifndef MISI_TEST_RANDOM_ANSWERS_H
#define MISI_TEST_RANDOM_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "misi/score.h"

/* Write n synthetic MC questions (T5, T6, T8 in turn, split "test") to path;
 * with cloze also T1, T2, T3 and T7 (seven tasks in turn), their truths drawn
 * as the generator draws them. Returns 0 or a negative misi_status. */
int random_synth_gold(const char *path, size_t n, uint64_t seed, bool cloze);

/* Write one random answer per question of g to path. */
int random_answers(const misi_gold *g, const char *path, uint64_t seed);

#endif
