/* test_stop.c — the answer to SIGINT and SIGTERM (stop.h), in-process:
 * a first signal raises the flag and nothing else; a second ends the
 * process with status 1 after removing the temporary result and its lock;
 * every call is NULL-safe; the names to remove are the watcher's own
 * copies. Signals are sent to the test itself (the second
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

/* Creates each of the n files, empty. */
static void touch(const char *const *files, int n)
{
    for (int i = 0; i < n; i++) {
        FILE *f = fopen(files[i], "w");
        assert_non_null(f);
        fclose(f);
    }
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
    touch(files, 3);
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

/* Issue 17: out_commit/out_abort free the paths they gave stop_cleanup,
 * and a second signal may come before the next stop_cleanup. The watcher
 * must remove the files named when stop_cleanup was called, reading none
 * of the caller's memory after: here the caller's strings are overwritten
 * (another name) and freed before the second signal. With the watcher
 * holding the caller's pointers, ASan (make asan) reports a
 * use-after-free; without ASan the files are not removed. */
static void second_signal_after_the_names_are_freed(void **st)
{
    (void)st;
    char dir[] = "/tmp/reassure-stop-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char tmp[128], lock[128];
    snprintf(tmp, sizeof tmp, "%s/.r.h5.tmp.2", dir);
    snprintf(lock, sizeof lock, "%s/.r.h5.lock", dir);
    const char *files[] = {tmp, lock};
    touch(files, 2);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        stop_watch *w = stop_start();
        if (w == NULL)
            _exit(10);
        char *heap_tmp = strdup(tmp), *heap_lock = strdup(lock);
        if (heap_tmp == NULL || heap_lock == NULL)
            _exit(13);
        stop_cleanup(w, heap_tmp, heap_lock);
        kill(getpid(), SIGTERM);
        if (wait_for_flag(w) != SIGTERM)
            _exit(11);
        /* what out_commit does to its names: gone (and reused) */
        memset(heap_tmp, 'x', strlen(heap_tmp));
        memset(heap_lock, 'y', strlen(heap_lock));
        free(heap_tmp);
        free(heap_lock);
        kill(getpid(), SIGTERM);
        sleep(5);
        _exit(12);
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_int_equal(access(tmp, F_OK), -1);
    assert_int_equal(access(lock, F_OK), -1);
    unlink(tmp);
    unlink(lock);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_is_safe),
        cmocka_unit_test(first_signal_raises_the_flag),
        cmocka_unit_test(second_signal_exits_and_cleans_up),
        cmocka_unit_test(second_signal_after_the_names_are_freed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
