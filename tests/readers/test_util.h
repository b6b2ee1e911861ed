/* Shared bits of the reader tests: running one named cmocka test per meson
 * test, and finding atoms and bonds by name. */
#ifndef MISI_TEST_READERS_UTIL_H
#define MISI_TEST_READERS_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "misi/mol.h"

#ifndef FIXTURES_DIR
#error "FIXTURES_DIR must name tests/fixtures"
#endif

/* meson registers each test by name; the name is the test filter. */
#define RUN_TESTS(tests, argc, argv)                                                                         \
    do {                                                                                                     \
        if ((argc) > 1)                                                                                      \
            cmocka_set_test_filter((argv)[1]);                                                               \
        return cmocka_run_group_tests(tests, NULL, NULL);                                                    \
    } while (0)

static inline const char *fixture(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", FIXTURES_DIR, rel);
    return buf;
}

/* Index of the first atom named `name` in residue `resseq` (any residue when
 * resseq is INT32_MIN); -1 if none. */
static inline long find_atom(const misi_mol *mol, int32_t resseq, const char *name)
{
    for (uint32_t i = 0; i < mol->top.natoms; i++)
        if ((resseq == INT32_MIN || mol->top.atoms[i].resseq == resseq) &&
            !strcmp(mol->top.atoms[i].name, name))
            return (long)i;
    return -1;
}

/* Order of the bond between atoms i and j, or -1 when there is none. */
static inline int bond_order_between(const misi_mol *mol, long i, long j)
{
    if (i < 0 || j < 0)
        return -1;
    uint32_t a = (uint32_t)(i < j ? i : j), b = (uint32_t)(i < j ? j : i);
    for (uint32_t k = 0; k < mol->top.nbonds; k++)
        if (mol->top.bonds[k].a == a && mol->top.bonds[k].b == b)
            return mol->top.bonds[k].order;
    return -1;
}

#endif
