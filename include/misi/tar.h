/* The one ustar member header misi writes: the image shards of misi
 * generate --format tar and the question shards of misi export --format wds
 * share it, so both are reproducible the same way. */
#ifndef MISI_TAR_H
#define MISI_TAR_H

#include <stdbool.h>
#include <stddef.h>

#include "misi/error.h"

/* Fill h with the header of a regular file member: mode 0644, owner 0,
 * time 0 (reproducible archives), ustar magic, checksum. The member's
 * bytes follow, padded with zeros to a multiple of 512. A name of 100 bytes
 * or more (the ustar name field; misi uses no prefix field) is refused with
 * MISI_E_LIMIT naming it. */
int misi_tar_header(unsigned char h[512], const char *name, unsigned long long size, misi_error *err);

/* A numeric header field: octal digits after optional spaces, ended by the
 * field's end, a NUL or a space; *ok false when there is no digit or
 * something else ends it. */
unsigned long long misi_tar_octal(const unsigned char *field, size_t width, bool *ok);

/* Is h the header of a regular file member as misi writes them: a
 * NUL-terminated name, a size and a checksum that parse, the checksum
 * right? Its byte count goes to *size. Readers of misi's own shards stop at
 * the first header that is not (what lies past it cannot be trusted). */
bool misi_tar_member_header(const unsigned char h[512], unsigned long long *size);

#endif
