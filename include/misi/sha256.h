/* SHA-256 (FIPS 180-4): content hashes of every output file in the manifest. */
#ifndef MISI_SHA256_H
#define MISI_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct misi_sha256 {
    uint32_t h[8];
    uint64_t len;
    uint8_t buf[64];
    size_t used;
} misi_sha256;

void misi_sha256_init(misi_sha256 *s);
void misi_sha256_update(misi_sha256 *s, const void *data, size_t n);
void misi_sha256_final(misi_sha256 *s, uint8_t out[32]);
/* misi_sha256_final as 64 lowercase hex digits and a NUL. */
void misi_sha256_final_hex(misi_sha256 *s, char hex[65]);
/* One-shot: 64 lowercase hex digits and a NUL into hex. */
void misi_sha256_hex(const void *data, size_t n, char hex[65]);

/* The CPU's SHA instructions are used when it has them (x86-64 SHA-NI), the
 * portable code otherwise; same digests. For tests and measurements: on =
 * false forces the portable code, true goes back to the instructions if
 * there are any. Returns whether the instructions are now in use. Not for
 * use while other threads hash. */
bool misi_sha256_use_hardware(bool on);

#endif
