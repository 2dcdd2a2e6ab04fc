/* out_private.h — what out.c shares with the readers (out_read.c,
 * results_read.c), and nobody else. */
#ifndef REASSURE_OUT_PRIVATE_H
#define REASSURE_OUT_PRIVATE_H

#include <hdf5.h>

#include "out.h"

/* The caller's row layout (for_file 0), or the same columns packed with
 * little-endian standard members (for_file 1); H5I_INVALID_HID on failure,
 * with the HDF5 error stack kept. The caller closes it. */
/* The transfer list of a table read or write: HDF5's type-conversion
 * buffer at OUT_TCONV_BYTES. HDF5 callocs that buffer on every call that
 * converts (our compound rows do), 1 MiB by default: zeroing it was a fifth
 * of a cheap model's run. Conversion goes in strips of this size instead.
 * The caller closes it (H5Pclose); H5I_INVALID_HID on failure. */
enum { OUT_TCONV_BYTES = 64 * 1024 };

static inline hid_t out_transfer_list(void)
{
    hid_t dxpl = H5Pcreate(H5P_DATASET_XFER);
    if (dxpl >= 0 && H5Pset_buffer(dxpl, OUT_TCONV_BYTES, NULL, NULL) < 0) {
        H5Pclose(dxpl);
        return H5I_INVALID_HID;
    }
    return dxpl;
}

/* The HDF5 file an out_file writes (out_read_writer reads it). */
hid_t out_file_hid(const out_file *o);

hid_t out_compound_type(const out_column *cols, int n_cols, size_t row_size, int for_file);

/* HDF5's automatic error printing, off for the length of a call: every
 * public entry point that calls HDF5 saves whatever was set on entry
 * (quiet_on) and restores it on exit (quiet_off), so the library never
 * prints, whether or not main turned the printing off for the process. */
typedef struct quiet {
    H5E_auto2_t func;
    void *data;
} quiet;

static inline quiet quiet_on(void)
{
    quiet q = { NULL, NULL };
    if (H5Eget_auto2(H5E_DEFAULT, &q.func, &q.data) < 0)
        q = (quiet){ NULL, NULL };
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return q;
}

static inline void quiet_off(quiet q)
{
    H5Eset_auto2(H5E_DEFAULT, q.func, q.data);
}

/* HDF5's own file lock off, on a file access list. reassure never opens
 * a result to change it in place: a writer has its own private temporary
 * file (guarded by out.c's ".<name>.lock") and a result appears by
 * rename(2), so HDF5's lock protects nothing here. And it fails where the
 * filesystem has no locks (ENOLCK, EOPNOTSUPP: NFS without lockd, Lustre
 * mounted noflock), which made every result unreadable there. HDF5 before
 * 1.10.7 cannot turn it off (the environment's HDF5_USE_FILE_LOCKING=FALSE
 * still can). Returns what H5Pset_file_locking returns, or 0. */
static inline herr_t out_fapl_no_lock(hid_t fapl)
{
#if H5_VERSION_GE(1, 10, 7)
    return H5Pset_file_locking(fapl, 0, 1);
#else
    (void)fapl;
    return 0;
#endif
}

#endif
