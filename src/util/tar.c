/* ustar member headers (misi/tar.h). */
#include "misi/tar.h"

#include <string.h>

static void octal(unsigned char *dst, size_t width, unsigned long long v)
{
    for (size_t i = width - 1; i-- > 0; v >>= 3)
        dst[i] = (unsigned char)('0' + (v & 7));
    dst[width - 1] = '\0';
}

int misi_tar_header(unsigned char h[512], const char *name, unsigned long long size, misi_error *err)
{
    size_t n = strlen(name);
    if (n >= 100)
        return misi_error_set(err, MISI_E_LIMIT, "tar member name '%s' is longer than 99 bytes", name);
    memset(h, 0, 512);
    memcpy(h, name, n);
    octal(h + 100, 8, 0644);
    octal(h + 108, 8, 0);
    octal(h + 116, 8, 0);
    octal(h + 124, 12, size);
    octal(h + 136, 12, 0); /* mtime 0: archives are reproducible */
    memset(h + 148, ' ', 8);
    h[156] = '0';
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    octal(h + 148, 7, sum);
    h[155] = ' ';
    return MISI_OK;
}

unsigned long long misi_tar_octal(const unsigned char *field, size_t width, bool *ok)
{
    unsigned long long v = 0;
    size_t i = 0, digits = 0;
    while (i < width && field[i] == ' ')
        i++;
    for (; i < width && field[i] >= '0' && field[i] <= '7'; i++, digits++)
        v = (v << 3) | (unsigned long long)(field[i] - '0');
    *ok = digits > 0 && (i == width || field[i] == '\0' || field[i] == ' ');
    return v;
}

bool misi_tar_member_header(const unsigned char h[512], unsigned long long *size)
{
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    bool ok1, ok2;
    *size = misi_tar_octal(h + 124, 12, &ok1);
    unsigned long long want = misi_tar_octal(h + 148, 8, &ok2);
    return ok1 && ok2 && want == sum && memchr(h, '\0', 100) && (h[156] == '0' || h[156] == '\0');
}
