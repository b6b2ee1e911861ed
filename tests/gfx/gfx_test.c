/* Shared helpers of the gfx tests (see gfx_test.h). */
#define _GNU_SOURCE /* dl_iterate_phdr, RTLD_NODELETE */
#include "gfx_test.h"

#include <dlfcn.h>
#include <link.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Mesa unloads its driver at eglTerminate; the driver's global caches then
 * look like leaks from an unknown module to LeakSanitizer. Pinning every
 * loaded *_dri.so keeps them mapped and reachable, so sanitizer builds
 * report only our own leaks. */
static int pin_driver(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size, (void)data;
    if (info->dlpi_name && strstr(info->dlpi_name, "_dri.so"))
        dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
    return 0;
}

misi_renderer *gt_renderer(void)
{
    static misi_renderer *r;
    if (r)
        return r;
    misi_error err = {0};
    if (misi_renderer_create(NULL, &r, &err)) {
        /* CI (tools/test.sh) sets MISI_REQUIRE_GL: there a missing context
         * is a failure, not a skip. */
        if (getenv("MISI_REQUIRE_GL")) {
            fprintf(stderr, "FAIL: no OpenGL ES 3 context and MISI_REQUIRE_GL is set: %s\n", err.msg);
            exit(1);
        }
        fprintf(stderr, "SKIP: no OpenGL ES 3 context: %s\n", err.msg);
        exit(GT_SKIP);
    }
    dl_iterate_phdr(pin_driver, NULL);
    return r;
}

int gt_write_png(const char *path, const uint8_t *rgb, int w, int h)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, (png_const_bytep)(rgb + (size_t)y * w * 3));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    fclose(f);
    return 0;
}

void gt_dump(const char *name, const uint8_t *rgb, int w, int h)
{
    const char *dir = getenv("MISI_TEST_OUT");
    if (!dir)
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    gt_write_png(path, rgb, w, h);
}

int gt_cdist(const uint8_t *a, const uint8_t *b)
{
    int m = 0;
    for (int k = 0; k < 3; k++) {
        int d = abs((int)a[k] - (int)b[k]);
        if (d > m)
            m = d;
    }
    return m;
}

misi_scene *gt_scene(uint32_t natoms, uint32_t nbonds)
{
    misi_scene *s = NULL;
    misi_error err = {0};
    if (misi_scene_alloc(natoms, nbonds, 0, &s, &err)) {
        fprintf(stderr, "misi_scene_alloc: %s\n", err.msg);
        exit(1);
    }
    return s;
}

static void add_atom(misi_mol *m, const char *name, const char *res, int seq, uint8_t z, float x, float y,
                     float zc)
{
    uint32_t i = m->top.natoms;
    misi_error err = {0};
    if (misi_mol_reserve_atoms(m, i + 1, &err))
        abort();
    misi_atom *a = &m->top.atoms[i];
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "%s", name);
    snprintf(a->resname, sizeof a->resname, "%s", res);
    a->chain = 'A';
    a->icode = ' ';
    a->altloc = ' ';
    a->element = z;
    a->resseq = seq;
    a->serial = i + 1;
    m->xyz[3 * i] = x;
    m->xyz[3 * i + 1] = y;
    m->xyz[3 * i + 2] = zc;
    m->top.natoms = i + 1;
}

static void bond(misi_mol *m, uint32_t a, uint32_t b)
{
    misi_error err = {0};
    if (misi_mol_add_bond(m, a < b ? a : b, a < b ? b : a, 1, &err))
        abort();
}

void gt_build_complex(misi_complex *cx)
{
    misi_error err = {0};
    misi_complex_init(cx);
    snprintf(cx->id, sizeof cx->id, "built");
    misi_mol *lig = &cx->ligand;
    static const char *ring[] = {"C1", "C2", "C3", "C4", "C5", "C6"};
    for (int i = 0; i < 6; i++) {
        double a = i * M_PI / 3;
        add_atom(lig, ring[i], "LIG", 1, i == 3 ? 7 : 6, (float)(1.4 * cos(a)), (float)(1.4 * sin(a)), 0);
    }
    for (int i = 0; i < 6; i++)
        bond(lig, (uint32_t)i, (uint32_t)((i + 1) % 6));
    add_atom(lig, "S1", "LIG", 1, 16, 3.2f, 0, 0);
    bond(lig, 0, 6);
    add_atom(lig, "P1", "LIG", 1, 15, (float)(2.8 * cos(M_PI / 3)), (float)(2.8 * sin(M_PI / 3)), 0.3f);
    bond(lig, 1, 7);
    add_atom(lig, "O1", "LIG", 1, 8, 2.2f, 3.6f, 0.8f);
    bond(lig, 7, 8);
    add_atom(lig, "CL1", "LIG", 1, 17, (float)(3.1 * cos(4 * M_PI / 3)), (float)(3.1 * sin(4 * M_PI / 3)),
             -0.2f);
    bond(lig, 4, 9);
    add_atom(lig, "H1", "LIG", 1, 1, -1.2f, 2.1f, 0);
    lig->top.atoms[10].flags |= MISI_ATOM_HYDROGEN;
    bond(lig, 2, 10);
    if (misi_mol_index_residues(lig, &err))
        abort();

    misi_mol *p = &cx->pocket;
    static const char *names[] = {"ASP", "ARG", "SER"};
    static const uint8_t side_z[] = {8, 7, 8};
    static const char *side_name[] = {"OD1", "NH1", "OG"};
    for (int r = 0; r < 3; r++) {
        double a = r * 2 * M_PI / 3 + 0.4;
        float bx = (float)(6.5 * cos(a)), by = (float)(6.5 * sin(a)), bz = r == 1 ? 1.5f : -1.0f;
        float dx = (float)-sin(a), dy = (float)cos(a);
        uint32_t f = p->top.natoms;
        add_atom(p, "N", names[r], 40 + r, 7, bx, by, bz);
        add_atom(p, "CA", names[r], 40 + r, 6, bx + 1.45f * dx, by + 1.45f * dy, bz + 0.2f);
        add_atom(p, "C", names[r], 40 + r, 6, bx + 2.6f * dx, by + 2.6f * dy, bz + 1.1f);
        add_atom(p, "O", names[r], 40 + r, 8, bx + 2.6f * dx, by + 2.6f * dy, bz + 2.33f);
        add_atom(p, "CB", names[r], 40 + r, 6, bx + 1.45f * dx - 1.0f * dy, by + 1.45f * dy + 1.0f * dx,
                 bz - 0.9f);
        add_atom(p, side_name[r], names[r], 40 + r, side_z[r], bx + 1.45f * dx - 2.2f * dy,
                 by + 1.45f * dy + 2.2f * dx, bz - 1.4f);
        bond(p, f, f + 1);
        bond(p, f + 1, f + 2);
        bond(p, f + 2, f + 3);
        bond(p, f + 1, f + 4);
        bond(p, f + 4, f + 5);
    }
    if (misi_mol_index_residues(p, &err))
        abort();
}

bool gt_load_asset_complex(misi_complex *cx, char *id, size_t idlen)
{
    const char *root = getenv("MISI_SOURCE_ROOT");
    char dir[2048];
    misi_source_list list = {0};
    misi_error err = {0};
    bool ok = false;
    snprintf(dir, sizeof dir, "%s/assets/complexes", root ? root : ".");
    if (misi_sources_add_path(&list, dir, &err) || list.count == 0) {
        fprintf(stderr, "no asset complexes in %s: %s\n", dir, err.msg);
        goto done;
    }
    misi_complex_init(cx);
    for (size_t i = 0; i < list.count && !ok; i++) {
        if (!list.items[i].dir)
            continue;
        if (misi_complex_load_dir(list.items[i].dir, NULL, cx, &err) == 0) {
            snprintf(id, idlen, "%s", cx->id);
            ok = true;
        } else {
            fprintf(stderr, "cannot load %s: %s\n", list.items[i].dir, err.msg);
            misi_complex_finish(cx);
            misi_complex_init(cx);
        }
    }
done:
    misi_sources_finish(&list);
    return ok;
}

misi_scene *gt_asset_scene(misi_complex *cx, char *id, size_t idlen)
{
    if (!gt_load_asset_complex(cx, id, idlen))
        gt_build_complex(cx);
    misi_scene *s = NULL;
    misi_error err = {0};
    if (misi_scene_create(cx, NULL, &s, &err)) {
        fprintf(stderr, "cannot make the scene of %s: %s\n", id, err.msg);
        exit(1);
    }
    return s;
}
