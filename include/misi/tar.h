/* The one ustar member header misi writes: the image shards of misi
 * generate --format tar and the question shards of misi export --format wds
 * share it, so both are reproducible the same way. */
#ifndef MISI_TAR_H
#define MISI_TAR_H

#include <stddef.h>

#include "misi/error.h"

/* Fill h with the header of a regular file member: mode 0644, owner 0,
 * time 0 (reproducible archives), ustar magic, checksum. The member's
 * bytes follow, padded with zeros to a multiple of 512. A name of 100 bytes
 * or more (the ustar name field; misi uses no prefix field) is refused with
 * MISI_E_LIMIT naming it. */
int misi_tar_header(unsigned char h[512], const char *name, unsigned long long size, misi_error *err);

#endif
