/* SHA-256: the FIPS 180-4 examples, and the SHA-NI path agrees with the
 * portable one on every length around the block boundaries and in
 * arbitrary pieces (skipped parts print when the CPU lacks SHA-NI). */
#include "io_test.h"

#include "misi/sha256.h"

static void hex_of(const void *d, size_t n, char out[65])
{
    misi_sha256_hex(d, n, out);
}

static void check_vectors(void)
{
    char h[65];
    hex_of("", 0, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hex_of("abc", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex_of(m, strlen(m), h);
    assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    hex_of(a, 1000000, h);
    assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

static void sha256_hardware_and_portable_agree_with_fips_vectors(void **state)
{
    (void)state;
    bool hw = misi_sha256_use_hardware(true);
    check_vectors();
    misi_sha256_use_hardware(false);
    check_vectors();
    if (!hw) {
        print_message("no SHA-NI on this CPU: only the portable code was checked\n");
        return;
    }
    size_t n = 70000;
    uint8_t *d = malloc(n);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        d[i] = (uint8_t)(x >> 24);
    }
    for (size_t len = 0; len < n; len = len < 300 ? len + 1 : len * 3 / 2 + 7) {
        char p[65], q[65];
        misi_sha256_use_hardware(false);
        hex_of(d, len, p);
        misi_sha256_use_hardware(true);
        /* in uneven pieces, so partial blocks are joined too */
        misi_sha256 s;
        misi_sha256_init(&s);
        for (size_t off = 0, step = 1; off < len; off += step, step = step * 2 + 1)
            misi_sha256_update(&s, d + off, step < len - off ? step : len - off);
        misi_sha256_final_hex(&s, q);
        if (strcmp(p, q) != 0)
            fail_msg("length %zu: portable %s, SHA-NI %s", len, p, q);
    }
    free(d);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_hardware_and_portable_agree_with_fips_vectors),
    };
    RUN_TESTS(tests, argc, argv);
}
