/* out.c — the HDF5 results file (see out.h).
 *
 * Why it is built this way:
 *
 *  - A result appears whole or not at all. Everything is written to a
 *    private temporary file beside the target, ".<name>.tmp.XXXXXX" made
 *    unique by mkstemp(); being in the same folder it is on the same
 *    filesystem, so rename(2) onto the target is atomic. out_commit() first
 *    flushes and closes every HDF5 object and the file, fsyncs the bytes,
 *    renames, then fsyncs the folder so the new name survives a crash too.
 *    Any failure before the rename removes the temporary file and leaves
 *    the target as it was; out_abort() does the same on purpose.
 *
 *  - Nothing prints. HDF5 prints its error stack to stderr by default, but
 *    only main() may print. Each public function turns that printing off on
 *    entry and restores whatever was set on exit (quiet_on/quiet_off), so
 *    the module never leaves library-wide state changed behind it (the
 *    setting is per thread in a thread-safe HDF5 build, and stays with its
 *    owner). A failure becomes an err record (ERR_RUNTIME, file = the target
 *    path) saying what failed, with the innermost HDF5 message (h5_fail) or
 *    the system's (sys_fail).
 *
 *  - Attributes of any size. The file access list asks for the 1.8 or later
 *    object format, in which attributes too big for an object header
 *    (scenario text beyond 64 KiB) go to dense storage instead of failing.
 *
 *  - Portable tables, constant memory. A table's memory compound type
 *    mirrors the caller's rows (offsets and stride as given); its file type
 *    is packed and made of little-endian standard types, so files are the
 *    same on every host. Datasets are 1-D, extendible, chunked, shuffled and
 *    deflated; an append extends by n rows and writes that hyperslab.
 *
 * Invariants: tables [0, n_tables) are open until commit or abort; every
 * other hid_t in an out_file is valid or H5I_INVALID_HID; close_all()
 * closes each exactly once; fd (the temporary file, kept for fsync) is >= 0 until
 * then. No state outside the out_file handle.
 */
#include "out.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <unistd.h>

#include <hdf5.h>

#include "out_private.h"

enum {
    OUT_MAX_TABLES = 16,
    /* Level 1: files 4% larger than at level 4 (debate sweep), deflate
     * 2-3x cheaper; it runs on the one thread or rank that writes. */
    DEFLATE_LEVEL = 1,
    /* A matrix chunk spans at most 4096 columns and 8192 values (64 KiB),
     * clipped to the matrix. */
    MATRIX_CHUNK_COLS = 4096,
    MATRIX_CHUNK_CELLS = 8192
};

typedef struct table {
    char *path;
    hid_t dset;         /* open until commit or abort */
    hid_t mtype;        /* compound type of the caller's rows */
    size_t row_size;
    uint64_t rows;
    int n_enum;         /* enum columns, checked on append: */
    size_t *enum_off;   /*   byte offset of each in a row */
    int *enum_count;    /*   valid codes are 0 .. count-1 */
} table;

struct out_file {
    char *path;   /* target */
    char *tmp;    /* temporary file beside it */
    char *dir;    /* their folder, synced after the rename */
    int fd;       /* the temporary file, kept open for fsync */
    int lock_fd;  /* flock'd ".<name>.lock" beside the target; -1 = none */
    char *lock;   /* its path */
    char warning[512]; /* "" or what the caller should say (out_warning) */
    mode_t mode;  /* of the result: 0666 less the umask */
    hid_t file;
    hid_t lcpl;   /* link creation: make intermediate groups */
    int n_tables;
    table tables[OUT_MAX_TABLES];
};

/* ---- silence and error messages --------------------------------------- */

enum { DETAIL_LEN = 480 };

/* Keeps the innermost entry of the stack (n == 0 walking upward): it is
 * where HDF5 found the problem, and says most about it. */
static herr_t innermost(unsigned n, const H5E_error2_t *d, void *data)
{
    char *detail = data;
    char minor[160];
    if (n != 0)
        return 0;
    if (H5Eget_msg(d->min_num, NULL, minor, sizeof minor) < 0)
        minor[0] = '\0';
    snprintf(detail, DETAIL_LEN, "%.160s%s%.300s", minor,
             minor[0] != '\0' && d->desc != NULL ? ": " : "",
             d->desc != NULL ? d->desc : "");
    return 0;
}

/* Fills e from the HDF5 error stack, which must still hold the failure
 * (call before any other HDF5 function, cleanup included). */
__attribute__((format(printf, 3, 4)))
static int h5_fail(err *e, const char *path, const char *fmt, ...)
{
    char what[512];
    char detail[DETAIL_LEN] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, detail);
    if (detail[0] == '\0')
        return err_set(e, ERR_RUNTIME, path, 0, NULL, "%s", what);
    /* A failed write carries the system's reason in HDF5's long detail
     * ("..., error message = 'No space left on device', ..."): say that. */
    const char *m = strstr(detail, "error message = '");
    if (m != NULL) {
        m += strlen("error message = '");
        const char *end = strchr(m, '\'');
        int len = end ? (int)(end - m) : (int)strlen(m);
        return err_set(e, ERR_RUNTIME, path, 0, NULL, "%s: %.*s", what, len, m);
    }
    return err_set(e, ERR_RUNTIME, path, 0, NULL, "%s: HDF5: %s", what, detail);
}

/* Fills e from errno (saved by the caller). */
__attribute__((format(printf, 4, 5)))
static int sys_fail(err *e, const char *path, int errnum, const char *fmt, ...)
{
    char what[512];
    char reason[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", errnum);
    return err_set(e, ERR_RUNTIME, path, 0, NULL, "%s: %s", what, reason);
}

/* Closes a datatype after a failure without losing the failure: HDF5
 * clears its error stack on entry to every call, H5Tclose included. */
static void tclose_keeping_error(hid_t type)
{
    hid_t stack = H5Eget_current_stack();
    H5Tclose(type);
    if (stack >= 0)
        H5Eset_current_stack(stack);
}

/* ---- the handle --------------------------------------------------------- */

static void table_free(table *t)
{
    free(t->path);
    free(t->enum_off);
    free(t->enum_count);
    memset(t, 0, sizeof *t);
    t->dset = H5I_INVALID_HID;
    t->mtype = H5I_INVALID_HID;
}

/* Frees the temporary file's blocks and removes it, before HDF5 closes it:
 * when the disk is full, the space comes back at once, not at exit. (After
 * a failed flush HDF5 1.10.8 cannot close the file at all — its metadata
 * cache answers "slist already enabled?" — and its exit handler crashed on
 * it, exit 139: out_library_quiet turns that handler off.) */
static void empty_and_unlink(out_file *o)
{
    if (o->fd >= 0 && ftruncate(o->fd, 0) != 0) {
        /* nothing to do: the close may fail, the file is unlinked anyway */
    }
    unlink(o->tmp);
}

/* Closes every HDF5 object and the file, all of them even after a failure;
 * returns -1 with e filled for the first failure (e may be NULL). A failed
 * flush (a full disk: "cannot flush ... No space left") dooms the file: it
 * is emptied and removed before anything is closed (empty_and_unlink). */
static int close_all(out_file *o, err *e)
{
    int rc = 0;
    if (o->file >= 0 && H5Fflush(o->file, H5F_SCOPE_GLOBAL) < 0) {
        rc = h5_fail(e, o->path, "cannot flush %s", o->tmp);
        empty_and_unlink(o);
    }
    for (int i = 0; i < o->n_tables; i++) {
        table *t = &o->tables[i];
        if (t->dset >= 0 && H5Dclose(t->dset) < 0 && rc == 0)
            rc = h5_fail(e, o->path, "cannot close table %s", t->path);
        if (t->mtype >= 0)
            H5Tclose(t->mtype);
        table_free(t);
    }
    o->n_tables = 0;
    if (o->lcpl >= 0)
        H5Pclose(o->lcpl);
    o->lcpl = H5I_INVALID_HID;
    if (o->file >= 0 && H5Fclose(o->file) < 0 && rc == 0)
        rc = h5_fail(e, o->path, "cannot close %s", o->tmp);
    o->file = H5I_INVALID_HID;
    return rc;
}

/* Drops the lock: the file goes first, while still held, so that a run
 * waiting on it finds it gone rather than locks a stale one. */
static void unlock(out_file *o)
{
    if (o->lock_fd >= 0) {
        unlink(o->lock);
        close(o->lock_fd);
        o->lock_fd = -1;
    }
    free(o->lock);
    o->lock = NULL;
}

/* A filesystem that has no locks at all: Lustre mounted noflock, NFS
 * without lockd, some FUSE filesystems. */
static int locks_unsupported(int errnum)
{
    return errnum == ENOSYS || errnum == ENOLCK || errnum == EOPNOTSUPP;
}

/* One run at a time writes a target: an advisory flock on ".<name>.lock"
 * beside it (the kernel drops it if the process dies, so a crash leaves no
 * stale lock). A second run refuses rather than replace the first one's
 * result with its own when it finishes. Where the filesystem has no locks
 * the run goes on unlocked, with a warning (out_warning): refusing would
 * make reassure unusable there, and the result is still written whole. */
static int lock_target(out_file *o, const char *base, err *e)
{
    size_t n = strlen(o->dir) + strlen(base) + 16;
    o->lock = malloc(n);
    if (o->lock == NULL)
        return err_set(e, ERR_RUNTIME, o->path, 0, NULL, "out of memory");
    snprintf(o->lock, n, "%s/.%s.lock", o->dir, base);
    o->lock_fd = open(o->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (o->lock_fd < 0)
        return sys_fail(e, o->path, errno, "cannot create the lock file %s", o->lock);
    if (flock(o->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        int saved = errno;
        close(o->lock_fd);
        o->lock_fd = -1;
        if (saved == EWOULDBLOCK)
            return err_set(e, ERR_RUNTIME, o->path, 0, NULL,
                           "another reassure run is writing this file now; wait for it or "
                           "choose another -o");
        if (locks_unsupported(saved)) {
            char reason[128];
            if (strerror_r(saved, reason, sizeof reason) != 0)
                snprintf(reason, sizeof reason, "error %d", saved);
            snprintf(o->warning, sizeof o->warning,
                     "%s: this filesystem has no file locks (%s): going on without one; "
                     "make sure no other run writes this file at the same time", o->path,
                     reason);
            unlink(o->lock);
            free(o->lock);
            o->lock = NULL;
            return 0;
        }
        return sys_fail(e, o->path, saved, "cannot lock %s", o->lock);
    }
    return 0;
}

int out_beside(const char *path, const char *name, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path) : 1;
    int n = snprintf(buf, size, "%.*s/%s", dir_len, slash ? path : ".", name);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* "dir/name", malloc'd; NULL when out of memory. */
static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (path != NULL)
        snprintf(path, n, "%s/%s", dir, name);
    return path;
}

/* 1 when name is ".<base>.rows-XXXXXXXX.tmp": the rows' folder of an MPI
 * run of this output (run/shards.c) that never finished. */
static int stale_rows_folder(const char *name, const char *base)
{
    size_t blen = strlen(base);
    return name[0] == '.' && strlen(name) == 1 + blen + 6 + 8 + 4 &&
           strncmp(name + 1, base, blen) == 0 && strncmp(name + 1 + blen, ".rows-", 6) == 0 &&
           strcmp(name + 1 + blen + 14, ".tmp") == 0;
}

/* Removes ".<base>.tmp.XXXXXX" files in the target's folder: temporaries
 * of this output left by a run that died without cleaning up (SIGKILL,
 * the OOM killer, a lost node), and such a run's rows folder. Only under
 * the lock: holding it, no live reassure process is writing this output,
 * so none of them is in use. A file that cannot be removed is left (it is
 * only disk space). */
static void remove_stale_temporaries(const out_file *o, const char *base)
{
    if (o->lock_fd < 0)
        return; /* no lock, no way to tell a live run's file from a dead one's */
    DIR *d = opendir(o->dir);
    if (d == NULL)
        return;
    size_t blen = strlen(base);
    const char *suffix = ".tmp.XXXXXX";
    size_t slen = strlen(suffix);
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        const char *name = de->d_name;
        int folder = stale_rows_folder(name, base);
        if (!folder && (name[0] != '.' || strlen(name) != 1 + blen + slen ||
                        strncmp(name + 1, base, blen) != 0 ||
                        strncmp(name + 1 + blen, ".tmp.", 5) != 0))
            continue;
        char *path = path_in(o->dir, name);
        if (path == NULL)
            break;
        struct stat st;
        if (folder)
            out_remove_folder(path);
        else if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
            unlink(path);
        free(path);
    }
    closedir(d);
}

static void release(out_file *o)
{
    unlock(o);
    free(o->path);
    free(o->tmp);
    free(o->dir);
    free(o);
}

/* Closes and removes the temporary file, then frees the handle (emptied
 * first: see empty_and_unlink). */
static void discard(out_file *o)
{
    empty_and_unlink(o);
    close_all(o, NULL);
    if (o->fd >= 0)
        close(o->fd);
    release(o);
}

/* ---- out_create ----------------------------------------------------------- */

/* Checks the target before anything is created, for clear messages. */
static int check_target(const char *path, const char *dir, const char *base, err *e)
{
    struct stat st;
    if (base[0] == '\0')
        return err_set(e, ERR_RUNTIME, path, 0, NULL, "names a folder, not a file");
    if (stat(dir, &st) != 0) {
        int errnum = errno;
        if (errnum == ENOENT)
            return err_set(e, ERR_RUNTIME, path, 0, NULL, "folder %s does not exist", dir);
        return sys_fail(e, path, errnum, "cannot use folder %s", dir);
    }
    if (!S_ISDIR(st.st_mode))
        return err_set(e, ERR_RUNTIME, path, 0, NULL, "%s is not a folder", dir);
    if (access(dir, W_OK | X_OK) != 0)
        return sys_fail(e, path, errno, "folder %s is not writable", dir);
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return err_set(e, ERR_RUNTIME, path, 0, NULL, "is a folder, not a file");
        if (!S_ISREG(st.st_mode))
            return err_set(e, ERR_RUNTIME, path, 0, NULL,
                           "exists and is not a regular file; it will not be replaced");
    } else if (errno != ENOENT) {
        return sys_fail(e, path, errno, "cannot check the target");
    }
    return 0;
}

/* The mode fopen() would give a new file, 0666 less the umask, so the
 * result is not left with mkstemp's private 0600. umask(2) can only be read
 * by setting it, so it is set back at once; it is process-wide, and this
 * runs before the run's threads start (none of them creates files). Read
 * once per output: a checkpoint's new temporary file reuses it. (It was
 * read from /proc, and files were 0600 where /proc is missing.) */
static mode_t new_file_mode(void)
{
    mode_t mask = umask(077);
    umask(mask);
    return (mode_t)(0666 & ~mask);
}

/* A symbolic link's final target (a dangling link's target too, resolved
 * against the link's folder), malloc'd; NULL when path is not a link. The
 * result goes to the target and the link stays: renaming onto the link
 * would replace the link itself (issue: -o /dev/stdout replaced the link). */
static char *link_target(const char *path)
{
    char *cur = strdup(path);
    for (int hops = 0; cur != NULL && hops < 40; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return hops == 0 ? (free(cur), NULL) : cur;
        char to[4096];
        ssize_t n = readlink(cur, to, sizeof to - 1);
        if (n < 0) {
            free(cur);
            return NULL;
        }
        to[n] = '\0';
        const char *slash = strrchr(cur, '/');
        size_t dir = to[0] != '/' && slash ? (size_t)(slash - cur) + 1 : 0;
        char *next = malloc(dir + (size_t)n + 1);
        if (next != NULL) {
            memcpy(next, cur, dir);
            memcpy(next + dir, to, (size_t)n + 1);
        }
        free(cur);
        cur = next;
    }
    free(cur);
    return NULL;
}

/* Splits path into folder and name, and builds the temporary file's
 * template: the folder part of path, then ".<name>.tmp.XXXXXX". A link is
 * followed to its target. */
static int name_files(out_file *o, const char *link, err *e)
{
    char *target = link_target(link);
    const char *path = target != NULL ? target : link;
    const char *slash = strrchr(path, '/');
    size_t pre = slash != NULL ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + pre;
    o->path = strdup(path);
    o->dir = slash == NULL ? strdup(".") : slash == path ? strdup("/") : strndup(path, pre - 1);
    o->tmp = malloc(strlen(path) + sizeof "..tmp.XXXXXX");
    if (o->path == NULL || o->dir == NULL || o->tmp == NULL) {
        free(target);
        return err_set(e, ERR_RUNTIME, link, 0, NULL, "out of memory");
    }
    snprintf(o->tmp, strlen(path) + sizeof "..tmp.XXXXXX", "%.*s.%s.tmp.XXXXXX", (int)pre, path,
             base);
    int rc = check_target(path, o->dir, base, e);
    free(target);
    return rc;
}

/* A new temporary file on o->tmp's template (its last six characters
 * made unique by mkstemp), opened by HDF5; 0, or -1 with e filled and the
 * handle fit for discard(). */
static int open_temp(out_file *o, err *e)
{
    size_t n = strlen(o->tmp);
    memcpy(o->tmp + n - 6, "XXXXXX", 6);
    o->fd = mkstemp(o->tmp);
    if (o->fd < 0) {
        sys_fail(e, o->path, errno, "cannot create a temporary file in folder %s", o->dir);
        snprintf(o->tmp + n - 6, 7, "%s", "XXXXXX"); /* nothing of ours to remove */
        return -1;
    }
    fcntl(o->fd, F_SETFD, FD_CLOEXEC);
    fchmod(o->fd, o->mode);

    /* The file is created on the name mkstemp reserved; the folder is the
     * target's, trusted as much as the target itself. */
    int rc = 0;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0 || H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_LATEST) < 0
        || H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0 || out_fapl_no_lock(fapl) < 0)
        rc = h5_fail(e, o->path, "cannot set up file access for %s", o->tmp);
    else if ((o->file = H5Fcreate(o->tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl)) < 0)
        rc = h5_fail(e, o->path, "cannot create HDF5 file %s", o->tmp);
    else if ((o->lcpl = H5Pcreate(H5P_LINK_CREATE)) < 0
             || H5Pset_create_intermediate_group(o->lcpl, 1) < 0)
        rc = h5_fail(e, o->path, "cannot set up group creation");
    if (fapl >= 0)
        H5Pclose(fapl);
    return rc;
}

/* The output at path, named (its folder, temporary template, lock) and
 * locked, with the temporaries a dead run left removed: what a run and
 * out_tidy both start from. NULL (e filled) when it cannot be had. */
static out_file *claim(const char *path, err *e)
{
    out_file *o = calloc(1, sizeof *o);
    if (o == NULL) {
        err_set(e, ERR_RUNTIME, path, 0, NULL, "out of memory");
        return NULL;
    }
    o->fd = -1;
    o->lock_fd = -1;
    o->file = H5I_INVALID_HID;
    o->lcpl = H5I_INVALID_HID;
    if (name_files(o, path, e) != 0) {
        release(o);
        return NULL;
    }
    const char *slash = strrchr(o->path, '/');
    const char *base = slash ? slash + 1 : o->path;
    if (lock_target(o, base, e) != 0) {
        release(o);
        return NULL;
    }
    remove_stale_temporaries(o, base);
    return o;
}

static out_file *create(const char *path, err *e)
{
    out_file *o = claim(path, e);
    if (o == NULL)
        return NULL;
    o->mode = new_file_mode();
    if (open_temp(o, e) != 0) {
        discard(o);
        return NULL;
    }
    return o;
}

void out_tidy(const char *path)
{
    err ignore;
    out_file *o = claim(path, &ignore); /* NULL: a live run holds it, its files are its own */
    if (o != NULL)
        release(o); /* drops the lock and its file */
}

out_file *out_create(const char *path, err *e)
{
    if (path == NULL || path[0] == '\0') {
        err_set(e, ERR_RUNTIME, "<output>", 0, NULL, "no output path given");
        return NULL;
    }
    quiet q = quiet_on();
    out_file *o = create(path, e);
    quiet_off(q);
    return o;
}

const char *out_temp_path(const out_file *o)
{
    return o != NULL ? o->tmp : NULL;
}

int out_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

const char *out_lock_path(const out_file *o)
{
    return o ? o->lock : NULL;
}

const char *out_warning(const out_file *o)
{
    return o != NULL && o->warning[0] != '\0' ? o->warning : NULL;
}

/* ---- commit and abort ------------------------------------------------------ */

/* Makes the rename durable, best-effort. Once rename(2) has succeeded the
 * complete result is in place under its name; a folder that cannot be
 * opened or synced (some filesystems answer EINVAL) only means a machine
 * crash in the next moments could lose the new name. Reporting failure
 * then would call a finished result lost, so the outcome is not an error. */
static void sync_dir(const out_file *o)
{
    int fd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    (void)fsync(fd);
    close(fd);
}

static int commit(out_file *o, err *e)
{
    int rc = close_all(o, e);
    if (rc == 0 && fsync(o->fd) != 0)
        rc = sys_fail(e, o->path, errno, "cannot write %s to disk", o->tmp);
    if (close(o->fd) != 0 && rc == 0)
        rc = sys_fail(e, o->path, errno, "cannot close %s", o->tmp);
    o->fd = -1;
    if (rc == 0 && rename(o->tmp, o->path) != 0)
        rc = sys_fail(e, o->path, errno, "cannot rename %s onto the target", o->tmp);
    if (rc != 0) {
        unlink(o->tmp);
        return rc;
    }
    sync_dir(o);
    return 0;
}

int out_commit(out_file *o, err *e)
{
    if (o == NULL)
        return err_set(e, ERR_RUNTIME, "<output>", 0, NULL, "no output file to commit");
    quiet q = quiet_on();
    int rc = commit(o, e);
    quiet_off(q);
    release(o);
    return rc;
}

int out_checkpoint(out_file *o, const char *to, err *e)
{
    if (o == NULL)
        return err_set(e, ERR_RUNTIME, "<output>", 0, NULL, "no output file to commit");
    quiet q = quiet_on();
    char *target = o->path;
    if (to != NULL)
        o->path = (char *)to; /* commit() only reads it; set back below */
    int rc = commit(o, e);
    o->path = target;
    if (rc == 0)
        rc = open_temp(o, e);
    quiet_off(q);
    return rc;
}

int out_retarget(out_file *o, const char *path, err *e)
{
    char *p = strdup(path);
    if (p == NULL)
        return err_set(e, ERR_RUNTIME, path, 0, NULL, "out of memory");
    free(o->path);
    o->path = p;
    return 0;
}

void out_abort(out_file *o)
{
    if (o == NULL)
        return;
    quiet q = quiet_on();
    discard(o);
    quiet_off(q);
}

/* ---- attributes ------------------------------------------------------------ */

/* Writes attribute `name` on object `obj`, replacing one that exists. */
static int attr_write(out_file *o, const char *obj, const char *name, hid_t ftype,
                      hid_t mtype, hid_t space, const void *value, err *e)
{
    int rc = 0;
    hid_t oid = H5I_INVALID_HID;
    hid_t aid = H5I_INVALID_HID;
    htri_t exists;
    if (ftype < 0 || mtype < 0 || space < 0)
        rc = h5_fail(e, o->path, "cannot describe attribute %s", name);
    else if ((oid = H5Oopen(o->file, obj, H5P_DEFAULT)) < 0)
        rc = h5_fail(e, o->path, "cannot open %s to set attribute %s", obj, name);
    else if ((exists = H5Aexists(oid, name)) < 0 || (exists > 0 && H5Adelete(oid, name) < 0))
        rc = h5_fail(e, o->path, "cannot replace attribute %s of %s", name, obj);
    else if ((aid = H5Acreate2(oid, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT)) < 0)
        rc = h5_fail(e, o->path, "cannot create attribute %s of %s", name, obj);
    else if (H5Awrite(aid, mtype, value) < 0)
        rc = h5_fail(e, o->path, "cannot write attribute %s of %s", name, obj);
    if (aid >= 0 && H5Aclose(aid) < 0 && rc == 0)
        rc = h5_fail(e, o->path, "cannot write attribute %s of %s", name, obj);
    if (oid >= 0)
        H5Oclose(oid);
    return rc;
}

static int check_attr_args(const out_file *o, const char *obj, const char *name, err *e)
{
    if (o == NULL)
        return err_set(e, ERR_RUNTIME, "<output>", 0, NULL, "no output file");
    if (obj == NULL || obj[0] == '\0' || name == NULL || name[0] == '\0')
        return err_set(e, ERR_RUNTIME, o->path, 0, NULL, "attribute needs an object and a name");
    return 0;
}

/* A fixed-length, NUL-terminated UTF-8 string of strlen+1 bytes: C reads
 * it back with a plain buffer, h5py as a bytes value. */
int out_attr_str(out_file *o, const char *obj, const char *name, const char *value, err *e)
{
    if (check_attr_args(o, obj, name, e) != 0)
        return -1;
    if (value == NULL)
        value = "";
    quiet q = quiet_on();
    hid_t type = H5Tcopy(H5T_C_S1);
    if (type >= 0
        && (H5Tset_size(type, strlen(value) + 1) < 0 || H5Tset_strpad(type, H5T_STR_NULLTERM) < 0
            || H5Tset_cset(type, H5T_CSET_UTF8) < 0)) {
        tclose_keeping_error(type);
        type = H5I_INVALID_HID;
    }
    hid_t space = H5Screate(H5S_SCALAR);
    int rc = attr_write(o, obj, name, type, type, space, value, e);
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    quiet_off(q);
    return rc;
}

static int attr_number(out_file *o, const char *obj, const char *name, hid_t ftype,
                       hid_t mtype, const void *values, size_t n, int scalar, err *e)
{
    if (check_attr_args(o, obj, name, e) != 0)
        return -1;
    if (!scalar && n > 0 && values == NULL)
        return err_set(e, ERR_RUNTIME, o->path, 0, NULL, "attribute %s of %s: no values", name, obj);
    quiet q = quiet_on();
    hsize_t dim = n;
    double none = 0; /* H5Awrite refuses NULL even for no values */
    hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dim, NULL);
    int rc = attr_write(o, obj, name, ftype, mtype, space, n > 0 ? values : &none, e);
    if (space >= 0)
        H5Sclose(space);
    quiet_off(q);
    return rc;
}

int out_attr_i64(out_file *o, const char *obj, const char *name, int64_t value, err *e)
{
    return attr_number(o, obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value, 1, 1, e);
}

int out_attr_f64(out_file *o, const char *obj, const char *name, double value, err *e)
{
    return attr_number(o, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, 1, 1, e);
}

int out_attr_f64_array(out_file *o, const char *obj, const char *name,
                       const double *values, size_t n, err *e)
{
    return attr_number(o, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values, n, 0, e);
}

/* ---- tables ---------------------------------------------------------------- */

static size_t column_size(const out_column *c)
{
    switch (c->type) {
    case OUT_I32: case OUT_U32: case OUT_ENUM: return 4;
    case OUT_I64: case OUT_U64: case OUT_F64: return 8;
    case OUT_STR: return c->str_len;
    }
    return 0;
}

static int check_columns(const out_file *o, const char *path, const out_column *cols,
                         int n_cols, size_t row_size, size_t chunk_rows, err *e)
{
    if (path == NULL || path[0] == '\0' || cols == NULL || n_cols <= 0 || row_size == 0
        || chunk_rows == 0)
        return err_set(e, ERR_RUNTIME, o->path, 0, NULL,
                       "table %s needs a path, columns, a row size and chunk rows",
                       path != NULL ? path : "(null)");
    if (o->n_tables >= OUT_MAX_TABLES)
        return err_set(e, ERR_RUNTIME, o->path, 0, NULL,
                       "cannot create table %s: at most %d tables per file", path, OUT_MAX_TABLES);
    for (int i = 0; i < n_cols; i++) {
        const out_column *c = &cols[i];
        size_t size = column_size(c);
        const char *name = c->name != NULL ? c->name : "(null)";
        if (c->name == NULL || c->name[0] == '\0' || size == 0)
            return err_set(e, ERR_RUNTIME, o->path, 0, NULL,
                           "table %s column %d (%s): no name, unknown type or zero length",
                           path, i, name);
        if (size > row_size || c->offset > row_size - size)
            return err_set(e, ERR_RUNTIME, o->path, 0, NULL,
                           "table %s column %s: offset %zu + size %zu exceeds row size %zu",
                           path, name, c->offset, size, row_size);
        if (c->type == OUT_ENUM && (c->enum_names == NULL || c->n_enum <= 0))
            return err_set(e, ERR_RUNTIME, o->path, 0, NULL,
                           "table %s column %s: an enum needs names", path, name);
        for (int k = 0; c->type == OUT_ENUM && k < c->n_enum; k++)
            if (c->enum_names[k] == NULL)
                return err_set(e, ERR_RUNTIME, o->path, 0, NULL,
                               "table %s column %s: enum name %d is missing", path, name, k);
    }
    return 0;
}

/* An enum on int32 of names[0..n-1] = 0..n-1. Values are given to HDF5 in
 * the base type's byte order, so the file's little-endian enum gets
 * little-endian bytes on any host. */
static hid_t enum_type(const out_column *c, int for_file)
{
    hid_t t = H5Tenum_create(for_file ? H5T_STD_I32LE : H5T_NATIVE_INT32);
    for (int i = 0; t >= 0 && i < c->n_enum; i++) {
        int32_t native = i;
        unsigned char le[4] = { (unsigned char)i, (unsigned char)(i >> 8),
                                (unsigned char)(i >> 16), (unsigned char)(i >> 24) };
        if (H5Tenum_insert(t, c->enum_names[i], for_file ? (const void *)le : &native) < 0) {
            tclose_keeping_error(t);
            t = H5I_INVALID_HID;
        }
    }
    return t;
}

static hid_t member_type(const out_column *c, int for_file)
{
    hid_t t = H5I_INVALID_HID;
    switch (c->type) {
    case OUT_I32: return H5Tcopy(for_file ? H5T_STD_I32LE : H5T_NATIVE_INT32);
    case OUT_I64: return H5Tcopy(for_file ? H5T_STD_I64LE : H5T_NATIVE_INT64);
    case OUT_U32: return H5Tcopy(for_file ? H5T_STD_U32LE : H5T_NATIVE_UINT32);
    case OUT_U64: return H5Tcopy(for_file ? H5T_STD_U64LE : H5T_NATIVE_UINT64);
    case OUT_F64: return H5Tcopy(for_file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE);
    case OUT_ENUM: return enum_type(c, for_file);
    case OUT_STR:
        t = H5Tcopy(H5T_C_S1);
        if (t >= 0 && (H5Tset_size(t, c->str_len) < 0 || H5Tset_strpad(t, H5T_STR_NULLPAD) < 0)) {
            tclose_keeping_error(t);
            t = H5I_INVALID_HID;
        }
        return t;
    }
    return H5I_INVALID_HID;
}

/* The caller's row layout (for_file 0), or the same columns packed with
 * little-endian standard members (for_file 1). */
hid_t out_compound_type(const out_column *cols, int n_cols, size_t row_size, int for_file)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, row_size);
    for (int i = 0; t >= 0 && i < n_cols; i++) {
        hid_t m = member_type(&cols[i], for_file);
        if (m < 0 || H5Tinsert(t, cols[i].name, cols[i].offset, m) < 0) {
            if (m >= 0)
                tclose_keeping_error(m);
            tclose_keeping_error(t);
            return H5I_INVALID_HID;
        }
        H5Tclose(m);
    }
    if (t >= 0 && for_file && H5Tpack(t) < 0) {
        tclose_keeping_error(t);
        t = H5I_INVALID_HID;
    }
    return t;
}

/* Remembers where the enum columns are, to refuse codes the enum lacks
 * (HDF5 would silently store -1 for them). */
static int note_enums(table *t, const out_column *cols, int n_cols)
{
    int n = 0;
    for (int i = 0; i < n_cols; i++)
        n += cols[i].type == OUT_ENUM;
    if (n == 0)
        return 0;
    t->enum_off = malloc((size_t)n * sizeof *t->enum_off);
    t->enum_count = malloc((size_t)n * sizeof *t->enum_count);
    if (t->enum_off == NULL || t->enum_count == NULL)
        return -1;
    for (int i = 0; i < n_cols; i++)
        if (cols[i].type == OUT_ENUM) {
            t->enum_off[t->n_enum] = cols[i].offset;
            t->enum_count[t->n_enum++] = cols[i].n_enum;
        }
    return 0;
}

static int table_create(out_file *o, const char *path, const out_column *cols, int n_cols,
                        size_t row_size, size_t chunk_rows, err *e)
{
    table *t = &o->tables[o->n_tables];
    hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = chunk_rows;
    hid_t ftype = H5I_INVALID_HID, space = H5I_INVALID_HID, dcpl = H5I_INVALID_HID;
    int rc = 0;

    table_free(t);
    t->row_size = row_size;
    t->path = strdup(path);
    if (t->path == NULL || note_enums(t, cols, n_cols) != 0)
        rc = err_set(e, ERR_RUNTIME, o->path, 0, NULL, "out of memory");
    else if ((t->mtype = out_compound_type(cols, n_cols, row_size, 0)) < 0
             || (ftype = out_compound_type(cols, n_cols, row_size, 1)) < 0)
        rc = h5_fail(e, o->path, "cannot describe the columns of table %s", path);
    else if ((space = H5Screate_simple(1, &zero, &unlimited)) < 0
             || (dcpl = H5Pcreate(H5P_DATASET_CREATE)) < 0 || H5Pset_chunk(dcpl, 1, &chunk) < 0
             || H5Pset_shuffle(dcpl) < 0 || H5Pset_deflate(dcpl, DEFLATE_LEVEL) < 0)
        rc = h5_fail(e, o->path, "cannot set up the layout of table %s", path);
    else if ((t->dset = H5Dcreate2(o->file, path, ftype, space, o->lcpl, dcpl, H5P_DEFAULT)) < 0)
        rc = h5_fail(e, o->path, "cannot create table %s", path);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    if (ftype >= 0)
        H5Tclose(ftype);
    if (rc != 0) {
        if (t->mtype >= 0)
            H5Tclose(t->mtype);
        table_free(t);
        return -1;
    }
    return o->n_tables++;
}

int out_table_create(out_file *o, const char *path, const out_column *cols, int n_cols,
                     size_t row_size, size_t chunk_rows, err *e)
{
    if (o == NULL)
        return err_set(e, ERR_RUNTIME, "<output>", 0, NULL, "no output file");
    if (check_columns(o, path, cols, n_cols, row_size, chunk_rows, e) != 0)
        return -1;
    quiet q = quiet_on();
    int id = table_create(o, path, cols, n_cols, row_size, chunk_rows, e);
    quiet_off(q);
    return id;
}

void out_remove_folder(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return;
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *f = path_in(path, de->d_name);
        if (f == NULL)
            break;
        struct stat st;
        if (lstat(f, &st) == 0 && S_ISREG(st.st_mode))
            unlink(f);
        free(f);
    }
    closedir(d);
    rmdir(path);
}

int out_move(out_file *o, const char *from, const char *to, err *e)
{
    quiet q = quiet_on();
    int rc = H5Lmove(o->file, from, o->file, to, o->lcpl, H5P_DEFAULT) < 0
                 ? h5_fail(e, o->path, "cannot rename %s", from)
                 : 0;
    quiet_off(q);
    return rc;
}

static int add_piece(hid_t dcpl, hid_t vspace, const out_vmap *m)
{
    hsize_t dst = m->dst_off, src = m->src_off, n = m->count, src_rows = m->src_rows;
    hid_t sspace = H5Screate_simple(1, &src_rows, NULL);
    int ok = sspace >= 0 &&
             H5Sselect_hyperslab(vspace, H5S_SELECT_SET, &dst, NULL, &n, NULL) >= 0 &&
             H5Sselect_hyperslab(sspace, H5S_SELECT_SET, &src, NULL, &n, NULL) >= 0 &&
             H5Pset_virtual(dcpl, vspace, m->file, m->dset, sspace) >= 0;
    if (sspace >= 0)
        H5Sclose(sspace);
    return ok ? 0 : -1;
}

int out_virtual_table(out_file *o, const char *path, const out_column *cols, int n_cols,
                      size_t row_size, uint64_t rows, const out_vmap *maps, size_t n_maps,
                      err *e)
{
    if (check_columns(o, path, cols, n_cols, row_size, 1, e) != 0)
        return -1;
    quiet q = quiet_on();
    hsize_t dims = rows;
    hid_t ftype = out_compound_type(cols, n_cols, row_size, 1);
    hid_t vspace = H5Screate_simple(1, &dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    int rc = ftype >= 0 && vspace >= 0 && dcpl >= 0 ? 0 : -1;
    for (size_t k = 0; rc == 0 && k < n_maps; k++)
        if (maps[k].count > 0)
            rc = add_piece(dcpl, vspace, &maps[k]);
    hid_t d = H5I_INVALID_HID;
    if (rc == 0 && H5Sselect_all(vspace) >= 0)
        d = H5Dcreate2(o->file, path, ftype, vspace, o->lcpl, dcpl, H5P_DEFAULT);
    if (d < 0)
        rc = h5_fail(e, o->path, "cannot create the virtual table %s", path);
    else
        H5Dclose(d);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (vspace >= 0)
        H5Sclose(vspace);
    if (ftype >= 0)
        H5Tclose(ftype);
    quiet_off(q);
    return rc;
}

static int check_enums(const out_file *o, const table *t, const void *rows, size_t n, err *e)
{
    const unsigned char *row = rows;
    for (size_t r = 0; r < n; r++, row += t->row_size)
        for (int k = 0; k < t->n_enum; k++) {
            int32_t code;
            memcpy(&code, row + t->enum_off[k], sizeof code);
            if (code < 0 || code >= t->enum_count[k])
                return err_set(e, ERR_RUNTIME, o->path, 0, NULL,
                               "table %s row %" PRIu64 ": enum code %" PRId32
                               " is outside 0..%d",
                               t->path, t->rows + r, code, t->enum_count[k] - 1);
        }
    return 0;
}

static int table_append(out_file *o, table *t, const void *rows, size_t n, err *e)
{
    hsize_t start = t->rows, count = n, total = t->rows + n;
    hid_t fspace = H5I_INVALID_HID, mspace = H5I_INVALID_HID, dxpl = H5I_INVALID_HID;
    int rc = 0;
    if (H5Dset_extent(t->dset, &total) < 0)
        rc = h5_fail(e, o->path, "cannot extend table %s", t->path);
    else if ((fspace = H5Dget_space(t->dset)) < 0
             || H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0
             || (mspace = H5Screate_simple(1, &count, NULL)) < 0)
        rc = h5_fail(e, o->path, "cannot select rows of table %s", t->path);
    else if ((dxpl = out_transfer_list()) < 0 ||
             H5Dwrite(t->dset, t->mtype, mspace, fspace, dxpl, rows) < 0)
        rc = h5_fail(e, o->path, "cannot write table %s", t->path);
    if (dxpl >= 0)
        H5Pclose(dxpl);
    if (mspace >= 0)
        H5Sclose(mspace);
    if (fspace >= 0)
        H5Sclose(fspace);
    if (rc == 0)
        t->rows = total;
    return rc;
}

int out_table_append(out_file *o, int table_id, const void *rows, size_t n, err *e)
{
    if (o == NULL)
        return err_set(e, ERR_RUNTIME, "<output>", 0, NULL, "no output file");
    if (table_id < 0 || table_id >= o->n_tables)
        return err_set(e, ERR_RUNTIME, o->path, 0, NULL, "no table %d", table_id);
    table *t = &o->tables[table_id];
    if (n == 0)
        return 0;
    if (rows == NULL)
        return err_set(e, ERR_RUNTIME, o->path, 0, NULL, "table %s: no rows given", t->path);
    if (check_enums(o, t, rows, n, e) != 0)
        return -1;
    quiet q = quiet_on();
    int rc = table_append(o, t, rows, n, e);
    quiet_off(q);
    return rc;
}

uint64_t out_table_rows(const out_file *o, int table_id)
{
    if (o == NULL || table_id < 0 || table_id >= o->n_tables)
        return 0;
    return o->tables[table_id].rows;
}

/* ---- matrices --------------------------------------------------------------- */

static hsize_t clip(hsize_t want, hsize_t dim)
{
    hsize_t c = want < dim ? want : dim;
    return c > 0 ? c : 1;
}

/* A [rows][cols] matrix of uint64 (f64 = 0) or double (f64 = 1). */
static int matrix_write(out_file *o, const char *path, const void *data, size_t rows,
                        size_t cols, int f64, err *e)
{
    hsize_t dims[2] = { rows, cols };
    /* A zero dimension is unlimited, so that a chunk of 1 fits it. */
    hsize_t maxd[2] = { rows > 0 ? rows : H5S_UNLIMITED, cols > 0 ? cols : H5S_UNLIMITED };
    hsize_t chunk[2];
    chunk[1] = clip(MATRIX_CHUNK_COLS, cols);
    chunk[0] = clip(MATRIX_CHUNK_CELLS / chunk[1], rows);
    hid_t space = H5I_INVALID_HID, dcpl = H5I_INVALID_HID, dset = H5I_INVALID_HID;
    int rc = 0;
    if ((space = H5Screate_simple(2, dims, maxd)) < 0 || (dcpl = H5Pcreate(H5P_DATASET_CREATE)) < 0
        || H5Pset_chunk(dcpl, 2, chunk) < 0 || H5Pset_shuffle(dcpl) < 0
        || H5Pset_deflate(dcpl, DEFLATE_LEVEL) < 0)
        rc = h5_fail(e, o->path, "cannot set up the layout of matrix %s", path);
    else if ((dset = H5Dcreate2(o->file, path, f64 ? H5T_IEEE_F64LE : H5T_STD_U64LE, space,
                                o->lcpl, dcpl, H5P_DEFAULT)) < 0)
        rc = h5_fail(e, o->path, "cannot create matrix %s", path);
    else if (rows > 0 && cols > 0
             && H5Dwrite(dset, f64 ? H5T_NATIVE_DOUBLE : H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL,
                         H5P_DEFAULT, data) < 0)
        rc = h5_fail(e, o->path, "cannot write matrix %s", path);
    if (dset >= 0 && H5Dclose(dset) < 0 && rc == 0)
        rc = h5_fail(e, o->path, "cannot write matrix %s", path);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    return rc;
}

static int matrix(out_file *o, const char *path, const void *data, size_t rows, size_t cols,
                  int f64, err *e)
{
    if (o == NULL)
        return err_set(e, ERR_RUNTIME, "<output>", 0, NULL, "no output file");
    if (path == NULL || path[0] == '\0')
        return err_set(e, ERR_RUNTIME, o->path, 0, NULL, "matrix needs a path");
    if (rows > 0 && cols > 0 && data == NULL)
        return err_set(e, ERR_RUNTIME, o->path, 0, NULL, "matrix %s: no data given", path);
    quiet q = quiet_on();
    int rc = matrix_write(o, path, data, rows, cols, f64, e);
    quiet_off(q);
    return rc;
}

int out_u64_matrix(out_file *o, const char *path, const uint64_t *data,
                   size_t rows, size_t cols, err *e)
{
    return matrix(o, path, data, rows, cols, 0, e);
}

int out_f64_matrix(out_file *o, const char *path, const double *data, size_t rows, size_t cols,
                   err *e)
{
    return matrix(o, path, data, rows, cols, 1, e);
}

hid_t out_file_hid(const out_file *o)
{
    return o->file;
}
