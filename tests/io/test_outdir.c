/* The output folder's rules below the command line (src/pipeline/runstate.c
 * and the fs helpers it walks with): which --out is refused without touching
 * anything ("/" itself is checked here, by path, never written to), the lock
 * within one process, the temporary sweep that removes only misi's own
 * names, and deletions that never pass through a link. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_test.h"
#include "misi/fs.h"
#include "pipeline/runstate.h"

static char g_tmp[256];

static int setup(void **state)
{
    (void)state;
    snprintf(g_tmp, sizeof g_tmp, "/tmp/misi-outdir-XXXXXX");
    return mkdtemp(g_tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    misi_remove_tree(g_tmp);
    return 0;
}

static void put(const char *rel, const char *text)
{
    char *p = misi_path_join(g_tmp, rel);
    assert_int_equal(misi_mkdir_parents(p, NULL), MISI_OK);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(p);
}

static bool there(const char *rel)
{
    char *p = misi_path_join(g_tmp, rel);
    struct stat st;
    bool ok = lstat(p, &st) == 0;
    free(p);
    return ok;
}

static void outdir_refuses_root_and_home_by_path(void **s)
{
    (void)s;
    misi_error err = {0};
    /* "/" is only resolved here: the check reads nothing and writes nothing */
    assert_int_equal(misi_runstate_check_out_path("/", &err), MISI_E_USAGE);
    assert_contains(err.msg, "the root folder");
    assert_int_equal(misi_runstate_check_out_path("/.", &err), MISI_E_USAGE);
    char home[300];
    snprintf(home, sizeof home, "%s/home", g_tmp);
    assert_int_equal(mkdir(home, 0777), 0);
    const char *old = getenv("HOME");
    char *saved = old ? strdup(old) : NULL;
    setenv("HOME", home, 1);
    char withslash[310];
    snprintf(withslash, sizeof withslash, "%s/", home);
    assert_int_equal(misi_runstate_check_out_path(withslash, &err), MISI_E_USAGE);
    assert_contains(err.msg, "your home folder");
    char below[320];
    snprintf(below, sizeof below, "%s/misi-out", home);
    assert_int_equal(misi_runstate_check_out_path(below, &err), MISI_OK);
    assert_int_equal(mkdir(below, 0777), 0);
    assert_int_equal(misi_runstate_check_out_path(below, &err), MISI_OK);
    if (saved)
        setenv("HOME", saved, 1);
    else
        unsetenv("HOME");
    free(saved);
}

static void outdir_lock_refuses_a_second_writer_naming_the_pid(void **s)
{
    (void)s;
    misi_error err = {0};
    misi_runstate *a = NULL, *b = NULL;
    misi_runstate_desc d = {.out = g_tmp, .who = "test"};
    assert_int_equal(misi_runstate_open(&d, &a, &err), MISI_OK);
    /* flock locks belong to open file descriptions: a second open in this
     * process conflicts like another process would */
    assert_int_equal(misi_runstate_open(&d, &b, &err), MISI_E_USAGE);
    assert_null(b);
    char want[64];
    snprintf(want, sizeof want, "another misi process (PID %ld)", (long)getpid());
    assert_contains(err.msg, want);
    misi_runstate_close(a);
    assert_int_equal(misi_runstate_open(&d, &b, &err), MISI_OK);
    misi_runstate_close(b);
}

static void outdir_sweep_removes_only_misi_temporaries(void **s)
{
    (void)s;
    put(".parts/000000-1abc.json", "{}");
    put(".parts/000001-1abc.json.tmp.12.3", "half");
    put(".parts/notes.tmp.1.2", "keep");
    put("train.jsonl.partial", "half");
    put("manifest.json.tmp.5.6", "half");
    put("thesis.tmp.bak", "keep");
    put("movie.mkv.partial", "keep");
    put("train.jsonl.tmp.x.y", "keep");
    put("images/1abc/0123456789abcdef.png.tmp.3.4", "half");
    put("images/1abc/beach.jpg.tmp.1.2", "keep");
    put("images/1abc/0123456789abcdef.png.partial.bak", "keep");
    put("deep/a/b/train.jsonl.partial", "keep");
    misi_error err = {0};
    misi_runstate *rs = NULL;
    misi_runstate_desc d = {.out = g_tmp, .who = "test", .resume = true};
    assert_int_equal(misi_runstate_open(&d, &rs, &err), MISI_OK);
    misi_runstate_close(rs);
    assert_false(there(".parts/000001-1abc.json.tmp.12.3"));
    assert_false(there("train.jsonl.partial"));
    assert_false(there("manifest.json.tmp.5.6"));
    assert_false(there("images/1abc/0123456789abcdef.png.tmp.3.4"));
    assert_true(there(".parts/000000-1abc.json"));
    assert_true(there(".parts/notes.tmp.1.2"));
    assert_true(there("thesis.tmp.bak"));
    assert_true(there("movie.mkv.partial"));
    assert_true(there("train.jsonl.tmp.x.y"));
    assert_true(there("images/1abc/beach.jpg.tmp.1.2"));
    assert_true(there("images/1abc/0123456789abcdef.png.partial.bak"));
    assert_true(there("deep/a/b/train.jsonl.partial"));
}

static void outdir_deletions_never_follow_links(void **s)
{
    (void)s;
    put("outside/0123456789abcdef.png", "keep");
    put("outside/0123456789abcdef.png.tmp.1.2", "keep");
    put("out/.parts/000000-1abc.json", "{}");
    char out[300], target[300], link[320];
    snprintf(out, sizeof out, "%s/out", g_tmp);
    snprintf(target, sizeof target, "%s/outside", g_tmp);
    snprintf(link, sizeof link, "%s/out/link", g_tmp);
    assert_int_equal(symlink(target, link), 0);
    assert_int_not_equal(misi_unlink_beneath(out, "link/0123456789abcdef.png"), 0);
    assert_true(there("outside/0123456789abcdef.png"));
    assert_int_equal(misi_unlink_beneath(out, "../outside/0123456789abcdef.png"), -EINVAL);
    assert_int_equal(misi_unlink_beneath(out, "/etc/passwd"), -EINVAL);
    /* a link as the last component is removed itself, not its target */
    assert_int_equal(misi_unlink_beneath(out, "link"), 0);
    assert_true(there("outside/0123456789abcdef.png"));
    /* misi's image folder replaced by a link: the run is refused */
    snprintf(link, sizeof link, "%s/out/images/1abc", g_tmp);
    put("out/images/.keep", "");
    assert_int_equal(symlink(target, link), 0);
    misi_error err = {0};
    misi_runstate *rs = NULL;
    misi_runstate_desc d = {.out = out, .who = "test", .force = true};
    assert_int_equal(misi_runstate_open(&d, &rs, &err), MISI_E_USAGE);
    assert_contains(err.msg, "images/1abc is a symbolic link");
    assert_true(there("outside/0123456789abcdef.png.tmp.1.2"));
}

static void outdir_atomic_write_leaves_whole_file_and_no_temporary(void **s)
{
    (void)s;
    char *p = misi_path_join(g_tmp, "a.json");
    assert_int_equal(misi_write_file_atomic(p, "{\"a\":1}", 7, NULL), MISI_OK);
    assert_int_equal(misi_write_file_atomic_nosync(p, "{\"a\":2}", 7, NULL), MISI_OK);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(misi_read_file(p, 0, &text, &len, NULL), MISI_OK);
    assert_string_equal(text, "{\"a\":2}");
    free(text);
    free(p);
    int n = 0;
    DIR *d = opendir(g_tmp);
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(n, 1);
    assert_int_equal(misi_fsync_dir(g_tmp, NULL), MISI_OK);
    assert_int_equal(misi_sync_fs(g_tmp, NULL), MISI_OK);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(outdir_refuses_root_and_home_by_path, setup, teardown),
        cmocka_unit_test_setup_teardown(outdir_lock_refuses_a_second_writer_naming_the_pid, setup, teardown),
        cmocka_unit_test_setup_teardown(outdir_sweep_removes_only_misi_temporaries, setup, teardown),
        cmocka_unit_test_setup_teardown(outdir_deletions_never_follow_links, setup, teardown),
        cmocka_unit_test_setup_teardown(outdir_atomic_write_leaves_whole_file_and_no_temporary, setup,
                                        teardown),
    };
    RUN_TESTS(tests, argc, argv);
}
