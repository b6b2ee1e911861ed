/* Deterministic random numbers keyed by name: every question draws from its
 * own stream seeded by (seed, complex id, task, split, index), so adding or
 * removing a complex, a thread or a shard never changes another question. */
#ifndef MISI_RNG_H
#define MISI_RNG_H

#include <stdint.h>

typedef struct misi_rng {
    uint64_t s[4]; /* xoshiro256** state */
} misi_rng;

/* Seed from a run seed and a key string ("1hpv/translation/train/3"). */
void misi_rng_seed(misi_rng *r, uint64_t seed, const char *key);
uint64_t misi_rng_next(misi_rng *r);
/* Uniform integer in [0, n), unbiased; n = 0 returns 0. */
uint32_t misi_rng_below(misi_rng *r, uint32_t n);
/* Uniform integer in [lo, hi] (inclusive). */
int misi_rng_range(misi_rng *r, int lo, int hi);
/* Uniform double in [0, 1). */
double misi_rng_unit(misi_rng *r);
/* Fisher–Yates shuffle of n ints. */
void misi_rng_shuffle(misi_rng *r, int *v, int n);

/* 64-bit FNV-1a of a string: stable across platforms, used for keys. */
uint64_t misi_hash64(const char *s);

#endif
