/* out_private.h — what out.c shares with out_read.c, and nobody else. */
#ifndef REASSURE_OUT_PRIVATE_H
#define REASSURE_OUT_PRIVATE_H

#include <hdf5.h>

#include "out.h"

/* The caller's row layout (for_file 0), or the same columns packed with
 * little-endian standard members (for_file 1); H5I_INVALID_HID on failure,
 * with the HDF5 error stack kept. The caller closes it. */
hid_t out_compound_type(const out_column *cols, int n_cols, size_t row_size, int for_file);

#endif
