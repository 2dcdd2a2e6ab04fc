/* par.h — the processes of a run: MPI ranks, or one process.
 *
 * Built with -DREASSURE_MPI (make does this when mpicc is present), the
 * binary joins MPI only when a launcher started it (mpirun, mpiexec or
 * srun set OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK); run by hand it is
 * a single process and never touches MPI, so the same binary serves a
 * laptop and a cluster. Without REASSURE_MPI every function is the trivial
 * one-process version.
 *
 * Work sharing (sim/run/): rank 0 gathers finished blocks of replications from
 * every rank in (point, rep) order and is the only writer of the HDF5 file;
 * see sim/run/commit.c for why this and not parallel HDF5.
 *
 * Thread-safety: MPI is initialised with MPI_THREAD_SERIALIZED; callers
 * make sure one thread at a time calls par_isend/par_irecv/par_test/par_wait
 * (the runner's commit lock). The state lives in the MPI library, not here.
 */
#ifndef REASSURE_PAR_H
#define REASSURE_PAR_H

#include <stddef.h>
#include <stdint.h>

/* Joins MPI when launched by an MPI launcher. Returns 0, or -1 when MPI
 * cannot give the thread support the runner needs. */
int par_init(int *argc, char ***argv);
void par_finalize(void);

int par_rank(void);
int par_size(void);

/* Non-blocking messages (bytes <= INT_MAX): the buffer belongs to MPI
 * until par_test says 1 or par_wait returns. A request is a value the
 * caller keeps. */
typedef struct par_req {
    _Alignas(8) unsigned char opaque[16];
} par_req;

int par_isend(const void *buf, size_t bytes, int to, int tag, par_req *req);
int par_irecv(void *buf, size_t bytes, int from, int tag, par_req *req);
/* 1 when the request has completed, 0 when not yet, -1 on failure. */
int par_test(par_req *req);
int par_wait(par_req *req);

/* Rank root's bytes to every rank. */
int par_bcast(void *buf, size_t bytes, int root);

/* Sum over ranks, returned on every rank. */
uint64_t par_sum_u64(uint64_t v);

/* Ends every rank of the job with this exit status. */
void par_abort(int status);

#endif
