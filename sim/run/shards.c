/* shards.c — rows written by the ranks that compute them (--shards: an MPI run of
 * several ranks that keeps rows: --rows all or sample:N, no --precision,
 * no paired design).
 *
 * While the run goes on, each rank appends the rows it keeps, block after
 * block in its own order, to a plain file of packed rows, rank-R.raw, in
 * a folder beside the output (".NAME.rows-TOKEN.tmp"): nothing travels to
 * rank 0 but the folded blocks. A plain file is whole up to its last write
 * whatever happens to the process, which an HDF5 file being written is
 * not; and a rank writes a block's rows before it sends the block's fold,
 * so every block rank 0 has committed has its rows on disk.
 *
 * At the end every rank turns its rows into its own HDF5 file, rank-R.h5
 * (res_write_shard), at once; rank 0 makes /replications a virtual table
 * whose pieces are the runs of consecutive blocks of one rank, so that it
 * reads in (point, rep) order as one table (h5py, the reader, merge), and
 * renames the folder NAME.rows-TOKEN beside the result before the result
 * itself. The two go together: the reader refuses a result whose folder is
 * missing (HDF5 would read zeros).
 *
 * A checkpoint or an interruption writes a file that stands alone: rank 0
 * copies the committed blocks' rows from the ranks' plain files into the
 * result's own table (as a checkpoint copies rows anyway), and the virtual
 * table's first piece at the end is that table, /replications_head.
 * Needs the ranks to share the output's folder (a cluster file system);
 * shards_open says so when they do not.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run_private.h"

enum { NAME_MAX_LEN = 4096 };
_Static_assert(sizeof((shared *)0)->shard_dir == NAME_MAX_LEN, "shard_dir holds a path");

/* Names that do not fit are cut (the folder's name fits: shards_open). */
static void rank_file(const shared *sh, int rank, const char *ext, char *buf, size_t n)
{
    if (snprintf(buf, n, "%s/rank-%05d.%s", sh->shard_dir, rank, ext) >= (int)n)
        buf[0] = '\0';
}

/* "dir/.base.rows-TOKEN.tmp" and "base.rows-TOKEN" of out_path; -1 when
 * they do not fit. */
static int folder_names(const char *out_path, unsigned token, char *tmp, char *final_name,
                        size_t n)
{
    const char *slash = strrchr(out_path, '/');
    char hidden[NAME_MAX_LEN];
    if (snprintf(final_name, n, "%s.rows-%08x", slash ? slash + 1 : out_path, token) >= (int)n ||
        snprintf(hidden, sizeof hidden, ".%s.tmp", final_name) >= (int)sizeof hidden)
        return -1;
    return out_beside(out_path, hidden, tmp, n - 32); /* room for "/rank-R.ext" */
}

int shards_open(shared *sh, err *e)
{
    char path[NAME_MAX_LEN];
    int64_t status = 0;
    if (sh->rank == 0) {
        unsigned token = (unsigned)time(NULL) ^ (unsigned)getpid() * 2654435761u;
        for (int tries = 0; tries < 16; tries++, token = token * 1103515245u + 12345u) {
            if (folder_names(sh->opt->out_path, token, sh->shard_dir, sh->shard_name,
                             sizeof sh->shard_dir) < 0) {
                status = -1;
                err_set(e, ERR_RUNTIME, sh->opt->out_path, 0, NULL, "the output's name is too long");
                break;
            }
            if (mkdir(sh->shard_dir, 0777) == 0)
                break;
            if (errno != EEXIST || tries == 15) {
                status = -1;
                err_set(e, ERR_RUNTIME, sh->shard_dir, 0, NULL,
                        "cannot make the folder for the ranks' rows: %s", strerror(errno));
                break;
            }
        }
    }
    /* Every rank learns the folder (or that there is none). */
    if (par_bcast(&status, sizeof status, 0) < 0 || status < 0 ||
        par_bcast(sh->shard_dir, sizeof sh->shard_dir, 0) < 0 ||
        par_bcast(sh->shard_name, sizeof sh->shard_name, 0) < 0)
        return sh->rank == 0 && status < 0 ? -1
                                          : err_set(e, ERR_RUNTIME, NULL, 0, NULL,
                                                    "MPI: cannot share the rows' folder");
    rank_file(sh, sh->rank, "raw", path, sizeof path);
    sh->raw_fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0666);
    sh->shard_buf = malloc(sh->l.cap * res_row_size(sh->s->model) + 1);
    if (sh->rank == 0)
        sh->raw_read = calloc((size_t)sh->ranks, sizeof *sh->raw_read);
    uint64_t bad = par_sum_u64(sh->raw_fd < 0 || sh->shard_buf == NULL ||
                               (sh->rank == 0 && sh->raw_read == NULL));
    /* Rank 0 must see every rank's file: the ranks share the folder. */
    int64_t seen = 0;
    for (int r = 0; sh->rank == 0 && bad == 0 && r < sh->ranks; r++) {
        struct stat st;
        rank_file(sh, r, "raw", path, sizeof path);
        seen += stat(path, &st) == 0;
    }
    if (par_bcast(&seen, sizeof seen, 0) < 0)
        bad++;
    if (bad == 0 && seen == sh->ranks)
        return 0;
    if (sh->rank == 0)
        err_set(e, ERR_RUNTIME, sh->opt->out_path, 0, NULL,
                bad ? "a rank cannot write its rows beside the output"
                    : "the ranks do not share the output's folder, so they cannot write their "
                      "rows beside it: run with --rows none, or with the output on a file "
                      "system every node shares");
    else
        err_set(e, ERR_RUNTIME, NULL, 0, NULL, "rank 0 failed");
    return -1;
}

static int write_all(int fd, const void *buf, size_t n, uint64_t at)
{
    const unsigned char *p = buf;
    for (size_t done = 0; done < n;) {
        ssize_t w = pwrite(fd, p + done, n - done, (off_t)(at + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return 0;
}

void shards_write_block(shared *sh, const slot *sl)
{
    const model_def *m = sh->s->model;
    size_t keep = commit_kept_rows(sh->opt, sl->rep0, sl->n), bytes = keep * res_row_size(m);
    if (keep == 0)
        return;
    res_pack(m, sl->point, sl->rep0, keep, sl->outcomes, sl->values, sh->shard_buf);
    if (write_all(sh->raw_fd, sh->shard_buf, bytes, sh->raw_at) < 0) {
        err why;
        err_set(&why, ERR_RUNTIME, sh->shard_dir, 0, NULL, "cannot write rank %d's rows: %s",
                sh->rank, strerror(errno));
        commit_note_failure(sh, &why);
        return;
    }
    sh->raw_at += bytes;
}

/* Rank 0: the kept rows of committed blocks [absorbed, committed) into the
 * result's own table, from the ranks' plain files. */
int shards_absorb(shared *sh, err *e)
{
    const model_def *m = sh->s->model;
    size_t stride = res_row_size(m);
    uint64_t end = atomic_load(&sh->committed);
    char path[NAME_MAX_LEN];
    int rc = 0, fd = -1, open_rank = -1;
    for (uint64_t b = sh->absorbed; rc == 0 && b < end; b++) {
        uint64_t point, rep0;
        size_t n;
        wl_block(&sh->l, b, &point, &rep0, &n);
        int r = wl_deal_owner(b, sh->ranks);
        size_t keep = commit_kept_rows(sh->opt, rep0, n), bytes = keep * stride;
        if (keep == 0)
            continue;
        if (r != open_rank) {
            if (fd >= 0)
                close(fd);
            rank_file(sh, r, "raw", path, sizeof path);
            fd = open(path, O_RDONLY | O_CLOEXEC);
            open_rank = r;
        }
        size_t got = 0;
        while (fd >= 0 && got < bytes) {
            ssize_t k = pread(fd, sh->shard_buf + got, bytes - got,
                              (off_t)(sh->raw_read[r] + got));
            if (k <= 0)
                break;
            got += (size_t)k;
        }
        if (got < bytes)
            rc = err_set(e, ERR_RUNTIME, path, 0, NULL,
                         "rank %d's rows of a committed block are missing", r);
        else
            rc = out_table_append(sh->o, sh->table, sh->shard_buf, keep, e);
        sh->raw_read[r] += bytes;
    }
    if (fd >= 0)
        close(fd);
    if (rc == 0)
        sh->absorbed = end;
    return rc;
}

/* Rank 0: the virtual /replications over /replications_head (the rows
 * absorbed or resumed) and, for the blocks after them, the runs of one
 * rank's consecutive blocks in its file. */
static int make_virtual(shared *sh, err *e)
{
    const model_def *m = sh->s->model;
    int ranks = sh->ranks;
    uint64_t *total = calloc((size_t)ranks, sizeof *total);
    uint64_t *cur = calloc((size_t)ranks, sizeof *cur);
    char **file = calloc((size_t)ranks, sizeof *file);
    out_vmap *maps = malloc((sh->l.n_blocks + 1) * sizeof *maps);
    int rc = total && cur && file && maps ? 0 : err_set(e, ERR_RUNTIME, NULL, 0, NULL,
                                                         "out of memory");
    for (uint64_t b = 0; rc == 0 && b < sh->l.n_blocks; b++) {
        uint64_t point, rep0;
        size_t n;
        wl_block(&sh->l, b, &point, &rep0, &n);
        total[wl_deal_owner(b, ranks)] += commit_kept_rows(sh->opt, rep0, n);
    }
    for (int r = 0; rc == 0 && r < ranks; r++) {
        size_t len = strlen(sh->shard_name) + 32;
        if ((file[r] = malloc(len)) == NULL)
            rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        else
            snprintf(file[r], len, "%s/rank-%05d.h5", sh->shard_name, r);
    }
    uint64_t head = out_table_rows(sh->o, sh->table), at = head;
    size_t k = 0;
    if (rc == 0 && head > 0)
        maps[k++] = (out_vmap){".", "/replications_head", head, 0, 0, head};
    for (uint64_t b = 0; rc == 0 && b < sh->l.n_blocks; b++) {
        uint64_t point, rep0;
        size_t n;
        wl_block(&sh->l, b, &point, &rep0, &n);
        int r = wl_deal_owner(b, ranks);
        uint64_t keep = commit_kept_rows(sh->opt, rep0, n);
        if (b >= sh->absorbed && keep > 0) {
            out_vmap *last = k > 0 ? &maps[k - 1] : NULL;
            if (last != NULL && last->file == file[r] && last->src_off + last->count == cur[r] &&
                last->dst_off + last->count == at)
                last->count += keep;
            else
                maps[k++] = (out_vmap){file[r], "/replications", total[r], cur[r], at, keep};
            at += keep;
        }
        cur[r] += keep;
    }
    out_column cols[RES_MAX_COLS];
    int nc = res_columns(m, cols);
    if (rc == 0 && (out_move(sh->o, "/replications", "/replications_head", e) < 0 ||
                    out_virtual_table(sh->o, "/replications", cols, nc, res_row_size(m), at, maps,
                                      k, e) < 0 ||
                    out_attr_str(sh->o, "/", "rows_folder", sh->shard_name, e) < 0))
        rc = -1;
    for (int r = 0; file && r < ranks; r++)
        free(file[r]);
    free(file);
    free(total);
    free(cur);
    free(maps);
    return rc;
}

int shards_finish(shared *sh, err *e)
{
    char path[NAME_MAX_LEN];
    size_t stride = res_row_size(sh->s->model);
    rank_file(sh, sh->rank, "h5", path, sizeof path);
    err mine;
    err_clear(&mine);
    int rc = res_write_shard(path, sh->s->model, sh->raw_fd, sh->raw_at / stride, &mine);
    uint64_t bad = par_sum_u64(rc < 0);
    if (rc < 0 && sh->rank != 0)
        fprintf(stderr, "reassure: rank %d: %s\n", sh->rank, mine.msg);
    if (sh->rank != 0)
        return bad ? -1 : 0;
    if (rc < 0) {
        *e = mine;
        return -1;
    }
    if (bad)
        return err_set(e, ERR_RUNTIME, sh->shard_dir, 0, NULL,
                       "a rank could not write its rows (its message is above)");
    return make_virtual(sh, e);
}

/* Rank 0: the folder under its final name beside the result (before the
 * result is renamed into place: a result never names a folder that is not
 * there). */
int shards_place(shared *sh, err *e)
{
    char final_path[NAME_MAX_LEN];
    if (out_beside(sh->opt->out_path, sh->shard_name, final_path, sizeof final_path) < 0)
        return err_set(e, ERR_RUNTIME, sh->opt->out_path, 0, NULL, "the output's name is too long");
    /* Only the ranks' HDF5 files go: their plain files and locks stay out. */
    for (int r = 0; r < sh->ranks; r++) {
        char path[NAME_MAX_LEN];
        rank_file(sh, r, "raw", path, sizeof path);
        unlink(path);
    }
    if (rename(sh->shard_dir, final_path) != 0)
        return err_set(e, ERR_RUNTIME, final_path, 0, NULL,
                       "cannot put the ranks' rows in place: %s", strerror(errno));
    memcpy(sh->shard_dir, final_path, sizeof final_path); /* the same size */
    return 0;
}

void shards_close(shared *sh, int remove_folder)
{
    if (sh->raw_fd >= 0)
        close(sh->raw_fd);
    sh->raw_fd = -1;
    free(sh->shard_buf);
    sh->shard_buf = NULL;
    if (sh->rank != 0 || !remove_folder || sh->shard_dir[0] == '\0')
        return;
    /* The folder holds only this run's files (rank-*.raw, rank-*.h5, and
     * the shards' temporaries and locks): all go, then the folder. */
    out_remove_folder(sh->shard_dir);
}
