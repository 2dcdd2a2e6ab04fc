"""reassure_h5 — a reassure result file as pandas DataFrames.

    import sys; sys.path.insert(0, "tools")        # or copy this file next to your script
    import reassure_h5
    r = reassure_h5.load("results/debate.h5")
    r.summary          # one row per (point, statistic), the swept values joined in
    r.replications     # one row per (point, replication), outcome as its name
    r.points, r.attrs  # the sweep's points; root attributes as str / int / float

Uses Debian's python3-h5py, python3-numpy and python3-pandas (the system
python3). Reads any complete or interrupted result of any model; tidy: one
observation per row, one variable per column, names as in the file.
"""
import os

import h5py
import numpy as np
import pandas as pd


def _text(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray) and v.shape == (1,):
        return _text(v[0])
    if isinstance(v, np.generic):
        return v.item()
    return v


def _frame(dataset):
    """A compound dataset as a DataFrame: strings decoded, enums as names."""
    data = dataset[...]
    cols = {}
    for name in data.dtype.names:
        col = data[name]
        enum = h5py.check_enum_dtype(dataset.dtype[name])
        if enum is not None:
            names = {v: k for k, v in enum.items()}
            cols[name] = pd.Categorical([names[int(x)] for x in col],
                                        categories=sorted(enum, key=enum.get))
        elif col.dtype.kind == "S":
            cols[name] = [x.decode("utf-8") for x in col]
        else:
            cols[name] = col
    return pd.DataFrame(cols)


def _rows_folder_present(path, attrs):
    """An MPI run whose ranks wrote their rows keeps them in a folder beside
    the file (attribute rows_folder), which /replications reads; HDF5 reads
    a missing one as zeros, so it is looked for first."""
    folder = attrs.get("rows_folder")
    if folder:
        where = os.path.join(os.path.dirname(os.path.abspath(path)), folder)
        if not os.path.isdir(where):
            raise FileNotFoundError(
                "%s: its rows are in %s, which is missing: a result written by several MPI "
                "ranks keeps them in the folder beside it, and the two go together"
                % (path, where))


class Result:
    """A result file, read once: attrs, points, summary, replications,
    sensitivity (or None), and histogram(measure)."""

    def __init__(self, path):
        self.path = path
        with h5py.File(path, "r") as f:
            self.attrs = {k: _text(v) for k, v in f.attrs.items()}
            _rows_folder_present(path, self.attrs)
            self.points = _frame(f["/points"]) if "points" in f else pd.DataFrame()
            summary = _frame(f["/summary"]) if "summary" in f else pd.DataFrame()
            self.replications = _frame(f["/replications"]) if "replications" in f else pd.DataFrame()
            self.sensitivity = _frame(f["/sensitivity"]) if "sensitivity" in f else None
            self._hist = {}
            if "histograms" in f:
                for name, d in f["/histograms"].items():
                    attrs = {k: _text(v) if not isinstance(v, np.ndarray) or v.size == 1 else v
                             for k, v in d.attrs.items()}
                    # the edges, bins + 1 per point: their own matrix (an
                    # attribute in files of 0.2.0 and before)
                    if "histogram_edges" in f and name in f["/histogram_edges"]:
                        attrs["edges"] = f["/histogram_edges/" + name][...]
                    elif "edges" in attrs:
                        attrs["edges"] = np.asarray(attrs["edges"]).reshape(len(d), -1)
                    self._hist[name] = (d[...], attrs)
        if not summary.empty and not self.points.empty:
            summary = self.points.merge(summary, on="point", how="right")
        self.summary = summary

    def histogram(self, measure):
        """(counts[point][bin], attributes: edges [point][bin + 1], below_range, ...)
        of a measure."""
        return self._hist[measure]


def load(path):
    """Reads a reassure result file (HDF5) into a Result."""
    return Result(path)
