/* par.c — MPI ranks, or one process (see par.h). */
#include "par.h"

#include <stdlib.h>

#ifdef REASSURE_MPI
#include <limits.h>
#include <mpi.h>
#include <string.h>

/* 1 when a launcher started us and MPI is initialised. Read from MPI's own
 * state (MPI_Initialized), so this file keeps none. */
static int joined(void)
{
    int flag = 0, fin = 0;
    MPI_Initialized(&flag);
    if (flag)
        MPI_Finalized(&fin);
    return flag && !fin;
}

static int launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") != NULL || getenv("PMI_SIZE") != NULL ||
           getenv("PMIX_RANK") != NULL;
}

int par_init(int *argc, char ***argv)
{
    if (!launched())
        return 0;
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
        return -1;
    if (provided < MPI_THREAD_SERIALIZED) {
        MPI_Finalize();
        return -1;
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    return 0;
}

void par_finalize(void)
{
    if (joined())
        MPI_Finalize();
}

int par_rank(void)
{
    int r = 0;
    if (joined())
        MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int par_size(void)
{
    int n = 1;
    if (joined())
        MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

_Static_assert(sizeof(MPI_Request) <= sizeof(par_req), "par_req too small for MPI_Request");

int par_isend(const void *buf, size_t bytes, int to, int tag, par_req *req)
{
    MPI_Request r;
    if (bytes > INT_MAX ||
        MPI_Isend(buf, (int)bytes, MPI_BYTE, to, tag, MPI_COMM_WORLD, &r) != MPI_SUCCESS)
        return -1;
    memcpy(req->opaque, &r, sizeof r);
    return 0;
}

int par_irecv(void *buf, size_t bytes, int from, int tag, par_req *req)
{
    MPI_Request r;
    if (bytes > INT_MAX ||
        MPI_Irecv(buf, (int)bytes, MPI_BYTE, from, tag, MPI_COMM_WORLD, &r) != MPI_SUCCESS)
        return -1;
    memcpy(req->opaque, &r, sizeof r);
    return 0;
}

int par_test(par_req *req)
{
    MPI_Request r;
    memcpy(&r, req->opaque, sizeof r);
    int done = 0;
    if (MPI_Test(&r, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return -1;
    memcpy(req->opaque, &r, sizeof r);
    return done ? 1 : 0;
}

int par_wait(par_req *req)
{
    MPI_Request r;
    memcpy(&r, req->opaque, sizeof r);
    if (MPI_Wait(&r, MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return -1;
    memcpy(req->opaque, &r, sizeof r);
    return 0;
}

int par_bcast(void *buf, size_t bytes, int root)
{
    if (!joined())
        return 0;
    return MPI_Bcast(buf, (int)bytes, MPI_BYTE, root, MPI_COMM_WORLD) == MPI_SUCCESS ? 0 : -1;
}

uint64_t par_sum_u64(uint64_t v)
{
    if (!joined())
        return v;
    unsigned long long in = v, out = 0;
    if (MPI_Allreduce(&in, &out, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD) != MPI_SUCCESS)
        return v;
    return out;
}

void par_abort(int status)
{
    if (joined())
        MPI_Abort(MPI_COMM_WORLD, status);
    exit(status);
}

#else /* one process */

int par_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

void par_finalize(void) {}
int par_rank(void) { return 0; }
int par_size(void) { return 1; }

int par_isend(const void *buf, size_t bytes, int to, int tag, par_req *req)
{
    (void)buf, (void)bytes, (void)to, (void)tag, (void)req;
    return -1;
}

int par_irecv(void *buf, size_t bytes, int from, int tag, par_req *req)
{
    (void)buf, (void)bytes, (void)from, (void)tag, (void)req;
    return -1;
}

int par_test(par_req *req)
{
    (void)req;
    return -1;
}

int par_wait(par_req *req)
{
    (void)req;
    return -1;
}

int par_bcast(void *buf, size_t bytes, int root)
{
    (void)buf, (void)bytes, (void)root;
    return 0;
}

uint64_t par_sum_u64(uint64_t v) { return v; }
void par_abort(int status) { exit(status); }

#endif
