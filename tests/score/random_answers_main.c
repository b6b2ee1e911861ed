/* score_random_answers: the random-answer baseline as a tool.
 *   score_random_answers synth-gold <n> <seed> <gold.jsonl>      (T5, T6, T8)
 *   score_random_answers synth-gold-all <n> <seed> <gold.jsonl>  (and T1, T2, T3, T7)
 *   score_random_answers answer <gold.jsonl> <seed> <answers.jsonl>
 * then `misi score --gold gold.jsonl --pred answers.jsonl`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "random_answers.h"

int main(int argc, char **argv)
{
    if (argc == 5 && (!strcmp(argv[1], "synth-gold") || !strcmp(argv[1], "synth-gold-all"))) {
        int rc = random_synth_gold(argv[4], strtoul(argv[2], NULL, 10), strtoull(argv[3], NULL, 10),
                                   !strcmp(argv[1], "synth-gold-all"));
        if (rc)
            fprintf(stderr, "score_random_answers: cannot write %s: %s\n", argv[4], misi_strerror(rc));
        return rc ? 1 : 0;
    }
    if (argc == 5 && !strcmp(argv[1], "answer")) {
        misi_gold g = {0};
        misi_error err;
        misi_error_clear(&err);
        if (misi_gold_load(argv[2], &g, &err)) {
            fprintf(stderr, "score_random_answers: %s\n", err.msg);
            return 1;
        }
        int rc = random_answers(&g, argv[4], strtoull(argv[3], NULL, 10));
        misi_gold_finish(&g);
        if (rc)
            fprintf(stderr, "score_random_answers: cannot write %s: %s\n", argv[4], misi_strerror(rc));
        return rc ? 1 : 0;
    }
    fprintf(stderr, "usage: score_random_answers synth-gold|synth-gold-all <n> <seed> <gold.jsonl>\n"
                    "       score_random_answers answer <gold.jsonl> <seed> <answers.jsonl>\n");
    return 2;
}
