/* `misi render` and `misi info` end to end: the PNG files the command writes
 * decode to exactly the pixels the API renders for the same view; a broken
 * complex in a folder is reported and skipped (exit 1) while the others are
 * written; `--stats` reports no overlap for the layout (and some for
 * --labels paper); `misi info --json` names the GL renderer. argv[1] = misi.
 * (The child runs without LeakSanitizer: Mesa's driver, unloaded at exit,
 * leaves a few hundred bytes it cannot attribute; see gfx_test.c.) */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "gfx_test.h"
#include "misi/fs.h"
#include "misi/png.h"

static int run(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_cli path/to/misi\n");
        return 1;
    }
    misi_renderer *r = gt_renderer();
    const char *root = getenv("MISI_SOURCE_ROOT");
    char tmp[] = "/tmp/misi-cli-XXXXXX", cmd[8192], path[4096];
    if (!root || !mkdtemp(tmp))
        return 1;
    misi_complex cx;
    char id[64];
    if (!gt_load_asset_complex(&cx, id, sizeof id)) {
        fprintf(stderr, "SKIP: no asset complex\n");
        return GT_SKIP;
    }

    /* a folder with the asset complex and a broken one */
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/in/%s %s/in/0bad && cp %s/assets/complexes/%s/* %s/in/%s/ && "
             "printf 'ATOM      1  N   ALA A   1      11.104   6.134\\n' > %s/in/0bad/0bad_pocket.pdb && "
             "cp %s/assets/complexes/%s/%s_ligand.mol2 %s/in/0bad/0bad_ligand.mol2",
             tmp, id, tmp, root, id, tmp, id, tmp, root, id, id, tmp);
    CHECK(run(cmd) == 0, "setting up %s", tmp);
    snprintf(cmd, sizeof cmd,
             "ASAN_OPTIONS=detect_leaks=0 '%s' render %s/in --size 128 --labels off --view front --view "
             "'tilt=roll x 30, move z 20' "
             "--out %s/out -q 2> %s/stderr.txt",
             argv[1], tmp, tmp, tmp);
    CHECK(run(cmd) == 1, "render with a broken complex should exit 1");
    snprintf(path, sizeof path, "%s/stderr.txt", tmp);
    char *text = NULL;
    size_t len = 0;
    misi_error err = {0};
    CHECK(misi_read_file(path, 0, &text, &len, &err) == 0 && strstr(text, "skipped 0bad"),
          "the broken complex is not reported: %s", text ? text : err.msg);
    free(text);

    /* the written images equal the API's */
    misi_scene *s = NULL;
    CHECK(misi_scene_create(&cx, NULL, &s, &err) == 0, "%s", err.msg);
    misi_render_params p = {.width = 128, .height = 128, .labels = MISI_LABELS_OFF};
    misi_view views[2];
    views[0] = misi_view_identity();
    CHECK(misi_pose_from_text("roll x 30, move z 20", &views[1], &err) == 0, "%s", err.msg);
    static const char *names[] = {"front", "tilt"};
    uint8_t api[128 * 128 * 3];
    for (int v = 0; v < 2; v++) {
        CHECK(misi_render_view(r, s, &p, &views[v], api, &err) == 0, "%s", err.msg);
        snprintf(path, sizeof path, "%s/out/%s/%s.png", tmp, id, names[v]);
        uint8_t *png = NULL;
        int w = 0, h = 0;
        CHECK(misi_png_read_file(path, &png, &w, &h, &err) == 0, "%s", err.msg);
        CHECK(w == 128 && h == 128 && png && memcmp(png, api, sizeof api) == 0,
              "%s differs from the API render", path);
        free(png);
    }
    misi_scene_destroy(s);

    /* --font: another TrueType file changes the label pixels and equals the
     * API's render with that font_path; a missing file is a usage error. */
    const char *bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"; /* fonts-dejavu-core */
    snprintf(cmd, sizeof cmd,
             "ASAN_OPTIONS=detect_leaks=0 '%s' render %s/in/%s --size 128 --view front --out %s/plain -q && "
             "ASAN_OPTIONS=detect_leaks=0 '%s' render %s/in/%s --size 128 --view front --font %s --out %s/bold -q",
             argv[1], tmp, id, tmp, argv[1], tmp, id, bold, tmp);
    CHECK(run(cmd) == 0, "render with --font failed");
    uint8_t *plain = NULL, *boldpx = NULL;
    int w = 0, h = 0;
    snprintf(path, sizeof path, "%s/plain/%s/front.png", tmp, id);
    CHECK(misi_png_read_file(path, &plain, &w, &h, &err) == 0, "%s", err.msg);
    snprintf(path, sizeof path, "%s/bold/%s/front.png", tmp, id);
    CHECK(misi_png_read_file(path, &boldpx, &w, &h, &err) == 0, "%s", err.msg);
    CHECK(plain && boldpx && memcmp(plain, boldpx, 128 * 128 * 3) != 0, "--font did not change the labels");
    misi_scene *sl = NULL;
    CHECK(misi_scene_create(&cx, NULL, &sl, &err) == 0, "%s", err.msg);
    misi_render_params pb = {.width = 128, .height = 128, .font_path = bold};
    CHECK(misi_render_view(r, sl, &pb, &views[0], api, &err) == 0, "%s", err.msg);
    CHECK(boldpx && memcmp(boldpx, api, sizeof api) == 0, "--font render differs from the API's with font_path");
    misi_scene_destroy(sl);
    free(plain);
    free(boldpx);
    snprintf(cmd, sizeof cmd,
             "ASAN_OPTIONS=detect_leaks=0 '%s' render %s/in/%s --view front --font %s/no-such.ttf --out %s/nf "
             "2> %s/font.txt",
             argv[1], tmp, id, tmp, tmp, tmp);
    CHECK(run(cmd) == 2, "a missing --font file should be a usage error (exit 2)");
    snprintf(path, sizeof path, "%s/font.txt", tmp);
    text = NULL;
    CHECK(misi_read_file(path, 0, &text, &len, &err) == 0 && strstr(text, "no-such.ttf") &&
              strstr(text, "cannot open"),
          "the missing font is not named: %s", text ? text : err.msg);
    free(text);

    /* --stats: a line per image; the layout overlaps nothing, the paper's
     * placement does, and covers more of the molecule */
    double cover[2] = {0, 0};
    for (int mode = 0; mode < 2; mode++) {
        snprintf(cmd, sizeof cmd,
                 "ASAN_OPTIONS=detect_leaks=0 '%s' render %s/in/%s --size 256 --view front --labels %s --stats "
                 "-q --out %s/st%d > %s/stats%d.txt",
                 argv[1], tmp, id, mode ? "paper" : "on", tmp, mode, tmp, mode);
        CHECK(run(cmd) == 0, "render --stats failed");
        snprintf(path, sizeof path, "%s/stats%d.txt", tmp, mode);
        text = NULL;
        CHECK(misi_read_file(path, 0, &text, &len, &err) == 0, "%s", err.msg);
        const char *line = text ? strstr(text, "stats ") : NULL;
        unsigned req = 0, placed = 0, dropped = 0;
        unsigned long long overlap = 1, mol = 0, cov = 0;
        double pct = -1;
        CHECK(line && sscanf(strstr(line, "requested"),
                             "requested %u placed %u dropped %u overlap_px %llu molecule_px %llu covered_px %llu "
                             "covered %lf",
                             &req, &placed, &dropped, &overlap, &mol, &cov, &pct) == 7,
              "no stats line: %s", text ? text : "");
        CHECK(req > 0 && placed + dropped == req && mol > 0 && cov <= mol, "stats %u %u %u %llu %llu", req, placed,
              dropped, mol, cov);
        if (mode == 0)
            CHECK(overlap == 0, "the layout reports %llu overlapping pixels", overlap);
        else
            CHECK(overlap > 0 && dropped == 0, "paper: %llu overlapping pixels, %u dropped", overlap, dropped);
        cover[mode] = pct;
        free(text);
    }
    CHECK(cover[0] < cover[1], "the layout covers %.1f %% of the molecule, paper %.1f %%", cover[0], cover[1]);

    /* misi info --json */
    snprintf(cmd, sizeof cmd, "ASAN_OPTIONS=detect_leaks=0 '%s' info --json > %s/info.json", argv[1], tmp);
    CHECK(run(cmd) == 0, "misi info failed");
    snprintf(path, sizeof path, "%s/info.json", tmp);
    text = NULL;
    CHECK(misi_read_file(path, 0, &text, &len, &err) == 0, "%s", err.msg);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    const cJSON *gl = cJSON_GetObjectItemCaseSensitive(j, "gl");
    const cJSON *ren = cJSON_GetObjectItemCaseSensitive(gl, "renderer");
    CHECK(cJSON_IsString(ren) && strlen(ren->valuestring) > 0, "no gl.renderer in misi info --json");
    CHECK(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "devices")), "no devices array");
    cJSON_Delete(j);
    free(text);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    run(cmd);
    misi_complex_finish(&cx);
    misi_renderer_destroy(r);
    return CHECK_DONE();
}
