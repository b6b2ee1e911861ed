/* Ligand atom labels carry the whole name (CPU only, no GL): the MOL2
 * names of tests/fixtures/valid/chem/5lng (up to 16 characters) and the
 * '#'-qualified names of 6dup's duplicated O1 are the texts drawn. */
#include <string.h>

#include "check.h"
#include "gfx_test.h"

static void check_labels(const char *dir, const char *const *want, int nwant)
{
    misi_complex cx;
    misi_complex_init(&cx);
    misi_error err = {0};
    CHECK(misi_complex_load_dir(dir, NULL, &cx, &err) == 0, "%s", err.msg);
    misi_scene *s = NULL;
    CHECK(misi_scene_create(&cx, NULL, &s, &err) == 0, "%s", err.msg);
    for (int w = 0; s && w < nwant; w++) {
        bool found = false;
        for (uint32_t i = 0; i < s->nlabels; i++)
            found |= !strcmp(s->labels[i].text, want[w]);
        CHECK(found, "%s: no label '%s'", dir, want[w]);
    }
    misi_scene_destroy(s);
    misi_complex_finish(&cx);
}

int main(int argc, char **argv)
{
    const char *chem = argc > 1 ? argv[1] : "tests/fixtures/valid/chem";
    char dir[1024];
    static const char *const long_names[] = {"CARBOXYLATE_C1", "OCARB_A", "OCARB_B", "CMETHYL_LONGNAME"};
    snprintf(dir, sizeof dir, "%s/5lng", chem);
    check_labels(dir, long_names, 4);
    static const char *const qualified[] = {"O1#2", "O1#3", "C1", "C2"};
    snprintf(dir, sizeof dir, "%s/6dup", chem);
    check_labels(dir, qualified, 4);
    return CHECK_DONE();
}
