/* xoshiro256** seeded through splitmix64 from (seed, FNV-1a(key)). Both are
 * public-domain algorithms by Vigna / Blackman; written here from the papers. */
#include "misi/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t misi_hash64(const char *s)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001B3ull;
    }
    return h;
}

void misi_rng_seed(misi_rng *r, uint64_t seed, const char *key)
{
    uint64_t x = seed ^ (misi_hash64(key) * 0x9E3779B97F4A7C15ull);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t misi_rng_next(misi_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

uint32_t misi_rng_below(misi_rng *r, uint32_t n)
{
    if (n == 0)
        return 0;
    /* Rejection keeps the draw unbiased for any n. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = misi_rng_next(r);
    while (x >= limit);
    return (uint32_t)(x % n);
}

int misi_rng_range(misi_rng *r, int lo, int hi)
{
    return lo + (int)misi_rng_below(r, (uint32_t)(hi - lo + 1));
}

double misi_rng_unit(misi_rng *r)
{
    return (double)(misi_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

void misi_rng_shuffle(misi_rng *r, int *v, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)misi_rng_below(r, (uint32_t)i + 1);
        int t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}
