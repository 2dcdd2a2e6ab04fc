/* report.h — what a person reads of a result file: the summary table.
 *
 * Reads a result (the layout of PRODUCT.md) through the results reader
 * (results_read.h: this module never calls HDF5) and prints, per sweep
 * point, the swept values and the summary statistics with their 95%
 * intervals, laid out by the model's summary_layout (model.h): a table of
 * shares led by the model's headline row and a table of key means; for a
 * model without a layout (or not in this build), every summary row. A
 * result with /sensitivity (a sobol sweep) prints instead, per output, its
 * swept keys ranked by total Sobol index with their intervals
 * (sens_print_file), and points to --csv for the per-point rows.
 * `reassure run` prints it from the file it has just written and
 * `reassure summary` from any file, so both agree.
 * The CSV form is /summary with the swept values, one row per statistic.
 *
 * Thread-safety: call from one thread (the reader's HDF5).
 */
#ifndef REASSURE_REPORT_H
#define REASSURE_REPORT_H

#include <stdio.h>

#include "err.h"

/* Prints the table (csv = 0) or CSV (csv = 1) of the result at path.
 * Fails with ERR_RUNTIME naming the file when it cannot be read as a
 * result (missing, truncated, not HDF5, not a reassure result). */
int report_print(const char *path, int csv, FILE *f, err *e);

/* Writes table "replications", "summary" or "points" of the result at path
 * as tidy CSV: a header, then one row per observation with the point's
 * swept values on every row, outcomes by name, numbers with every digit
 * (%.17g) and NA where a measure does not apply. /replications is read
 * point by point, so memory does not grow with the file. */
int report_export(const char *path, const char *table, FILE *f, err *e);

/* The tables of a cases or uncertainty design (report_unc.c): with worlds,
 * the options' spread across them, the shares of worlds favouring each
 * option, regret and scenario discovery, and returns 1 (printed in place
 * of the per-point table); for a cases design without worlds, its paired
 * contrasts, returning 0. -1 on a read failure. */
int report_uncertainty(const char *path, FILE *f, err *e);

/* Writes s as one CSV field: quoted (quotes doubled) when it holds a
 * comma, a quote or a line break. */
void report_csv_field(const char *s, FILE *f);

#endif
