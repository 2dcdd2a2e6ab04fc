/* lockstop.c — an LD_PRELOAD shim for tests/e2e/test_faults.sh: once the
 * process has taken an exclusive flock() on a file whose name ends in
 * ".lock" (a run's ".<name>.lock"), it stops itself (SIGSTOP) holding the
 * lock, until the test sends SIGCONT.
 *
 * Why: the test of two runs writing one output needs the first run to hold
 * its lock while the second one tries; watching for the lock file and
 * then stopping the run was a race against the run finishing, which only a
 * long run (thousands of replications) made unlikely. With the shim the
 * first run is held at its lock whatever its size or the machine's load.
 * The code under test is the shipped binary's own (see noflock.c); under
 * ASan the sanitizer's runtime is preloaded first (the test puts it there).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int flock(int fd, int operation)
{
    int (*real)(int, int) = (int (*)(int, int))dlsym(RTLD_NEXT, "flock");
    if (real == NULL)
        return -1;
    int rc = real(fd, operation);
    if (rc == 0 && (operation & LOCK_EX)) {
        char link[64], path[4096];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, path, sizeof path - 1);
        if (n > 5) {
            path[n] = '\0';
            if (strcmp(path + n - 5, ".lock") == 0)
                raise(SIGSTOP);
        }
    }
    return rc;
}
