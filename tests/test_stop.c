/* test_stop.c — the answer to SIGINT and SIGTERM (stop.h), in-process:
 * a first signal raises the flag and nothing else; a second ends the
 * process with status 1 after removing the temporary result and its lock;
 * every call is NULL-safe. Signals are sent to the test itself (the second
 * in a forked child, since it ends the process).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "stop.h"

/* Polls the flag for up to two seconds. */
static int wait_for_flag(const stop_watch *w)
{
    for (int i = 0; i < 2000; i++) {
        int sig = stop_requested(w);
        if (sig != 0)
            return sig;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    return 0;
}

static void null_is_safe(void **st)
{
    (void)st;
    assert_int_equal(stop_requested(NULL), 0);
    stop_cleanup(NULL, "x", "y");
    stop_end(NULL);
}

static void first_signal_raises_the_flag(void **st)
{
    (void)st;
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) { /* in a child, so the mask and watcher do not outlive the test */
        stop_watch *w = stop_start();
        if (w == NULL || stop_requested(w) != 0)
            _exit(10);
        kill(getpid(), SIGTERM);
        int sig = wait_for_flag(w);
        stop_end(w);
        _exit(sig == SIGTERM ? 0 : 11);
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0); /* the flag, and the process went on */
}

static void second_signal_exits_and_cleans_up(void **st)
{
    (void)st;
    char dir[] = "/tmp/reassure-stop-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char tmp[128], lock[128], keep[128];
    snprintf(tmp, sizeof tmp, "%s/.r.h5.tmp.1", dir);
    snprintf(lock, sizeof lock, "%s/.r.h5.lock", dir);
    snprintf(keep, sizeof keep, "%s/r.h5", dir);
    const char *files[] = {tmp, lock, keep};
    for (int i = 0; i < 3; i++) {
        FILE *f = fopen(files[i], "w");
        assert_non_null(f);
        fclose(f);
    }
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        stop_watch *w = stop_start();
        if (w == NULL)
            _exit(10);
        stop_cleanup(w, tmp, lock);
        kill(getpid(), SIGINT);
        if (wait_for_flag(w) != SIGINT)
            _exit(11);
        kill(getpid(), SIGTERM);
        sleep(5); /* the watcher ends the process before this returns */
        _exit(12);
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_int_equal(access(tmp, F_OK), -1);  /* the temporary result: removed */
    assert_int_equal(access(lock, F_OK), -1); /* its lock: removed */
    assert_int_equal(access(keep, F_OK), 0);  /* an earlier result: untouched */
    unlink(keep);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_is_safe),
        cmocka_unit_test(first_signal_raises_the_flag),
        cmocka_unit_test(second_signal_exits_and_cleans_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
