/* noflock.c — an LD_PRELOAD shim for tests/e2e/test_faults.sh: flock()
 * fails with the errno named by REASSURE_SHIM_FLOCK_ERRNO (ENOSYS, ENOLCK
 * or EOPNOTSUPP), as on Lustre mounted noflock or NFS without lockd.
 *
 * Why a shim and not a test hook in the library: the code under test is
 * then the shipped binary's own, unchanged (no branch that exists only for
 * tests), and a real flock() failure takes the same path as this one; the
 * shim is a dozen lines the test builds itself. Under ASan the sanitizer's
 * runtime is preloaded first (the test puts it there).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>

int flock(int fd, int operation)
{
    (void)fd;
    (void)operation;
    const char *e = getenv("REASSURE_SHIM_FLOCK_ERRNO");
    errno = e == NULL ? ENOLCK
            : strcmp(e, "ENOSYS") == 0 ? ENOSYS
            : strcmp(e, "EOPNOTSUPP") == 0 ? EOPNOTSUPP
            : ENOLCK;
    return -1;
}
