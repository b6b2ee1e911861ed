/* Runs a command that must fail cleanly on a malformed input: exit status
 * exactly 1 (not 0, not a signal, not a sanitizer abort), and a message on
 * stderr that names the file, the line when one is expected, and the problem.
 *
 * usage: expect_clean_failure --names <text> [--line <n>] --expect <text>
 *                             [--status <n>] -- <program> [args...]
 * (--status names another expected exit status, e.g. 2 for usage errors.) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *read_all(int fd, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *p = realloc(buf, 2 * cap + 1);
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int fail(const char *why, const char *err)
{
    fprintf(stderr, "FAIL: %s\n--- stderr of the command ---\n%s\n---\n", why, err ? err : "");
    return 1;
}

int main(int argc, char **argv)
{
    const char *names = NULL, *expect = NULL, *line = NULL;
    int want_status = 1;
    int i = 1;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "expect_clean_failure: %s needs a value\n", argv[i]);
            return 2;
        }
        if (!strcmp(argv[i], "--names"))
            names = argv[++i];
        else if (!strcmp(argv[i], "--expect"))
            expect = argv[++i];
        else if (!strcmp(argv[i], "--line"))
            line = argv[++i];
        else if (!strcmp(argv[i], "--status"))
            want_status = atoi(argv[++i]);
        else {
            fprintf(stderr, "expect_clean_failure: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (i >= argc || !names || !expect) {
        fprintf(stderr,
                "usage: expect_clean_failure --names <text> [--line <n>] --expect <text> -- <program> "
                "[args...]\n");
        return 2;
    }
    char **cmd = argv + i;

    int pipefd[2];
    if (pipe(pipefd) != 0) {
        perror("pipe");
        return 2;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 2;
    }
    if (pid == 0) {
        dup2(pipefd[1], STDERR_FILENO);
        close(pipefd[0]);
        close(pipefd[1]);
        execv(cmd[0], cmd);
        fprintf(stderr, "exec %s: %s\n", cmd[0], strerror(errno));
        _exit(127);
    }
    close(pipefd[1]);
    size_t len = 0;
    char *err = read_all(pipefd[0], &len);
    close(pipefd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("waitpid");
            free(err);
            return 2;
        }
    }
    if (!err)
        return fail("out of memory reading stderr", NULL);

    int rc = 0;
    char want_line[64];
    if (WIFSIGNALED(status)) {
        char why[64];
        snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(status));
        rc = fail(why, err);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != want_status) {
        char why[64];
        snprintf(why, sizeof why, "exit status %d, expected %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                 want_status);
        rc = fail(why, err);
    } else if (strstr(err, "AddressSanitizer") || strstr(err, "LeakSanitizer") ||
               strstr(err, "runtime error")) {
        rc = fail("a sanitizer reported a problem", err);
    } else if (!strstr(err, names)) {
        rc = fail("stderr does not name the file", err);
    } else if (line && (snprintf(want_line, sizeof want_line, ":%s:", line), !strstr(err, want_line))) {
        rc = fail("stderr does not name the expected line", err);
    } else if (!strstr(err, expect)) {
        rc = fail("stderr lacks the expected words", err);
    }
    if (rc == 0)
        printf("failed cleanly: %s", err);
    free(err);
    return rc;
}
