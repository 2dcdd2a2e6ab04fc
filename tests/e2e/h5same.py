#!/usr/bin/python3
"""h5same.py A B OBJ [OBJ2] | h5same.py --each A B OBJ...: exit 0 when the
objects are the same in both files bit for bit, 1 when not (a line on stderr
says where), 2 on bad use.

"The same" is what reassure promises: a dataset's type, shape and every
byte of its values (so NaN equals NaN, and -0 differs from +0), a group's
members by name, recursively, and every attribute of each. A missing object
is a difference. One process checks every object given (--each), which
h5diff needs one run apiece for and which, for a table of a hundred
thousand rows, it does value by value at several times the cost.
"""
import sys

import h5py
import numpy as np


def same_value(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype != y.dtype or x.shape != y.shape:
        return False
    if x.dtype.hasobject:  # variable-length strings: compare the values
        return x.tolist() == y.tolist()
    return x.tobytes() == y.tobytes()


def differs(x, y, where):
    """Where x and y differ, or None."""
    if isinstance(x, h5py.Group) != isinstance(y, h5py.Group):
        return where + ": a group in one file, a dataset in the other"
    if sorted(x.attrs) != sorted(y.attrs):
        return where + ": other attributes"
    for k in x.attrs:
        if not same_value(x.attrs[k], y.attrs[k]):
            return "%s: attribute %s differs" % (where, k)
    if isinstance(x, h5py.Group):
        if sorted(x) != sorted(y):
            return where + ": other members"
        for k in x:
            d = differs(x[k], y[k], where.rstrip("/") + "/" + k)
            if d:
                return d
        return None
    if x.dtype != y.dtype:
        return where + ": another type"
    if x.shape != y.shape:
        return "%s: shape %s against %s" % (where, x.shape, y.shape)
    if not same_value(x[()], y[()]):
        return where + ": other values"
    return None


def first_difference(a_path, b_path, pairs):
    """Where objects differ, for (OBJ in A, OBJ in B) pairs, or None."""
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        for oa, ob in pairs:
            if oa not in a or ob not in b:
                return "%s is missing" % (oa if oa not in a else ob)
            d = differs(a[oa], b[ob], oa)
            if d:
                return d
    return None


def main(argv):
    each = argv[:1] == ["--each"]
    args = argv[1:] if each else argv
    if len(args) < 3 or (not each and len(args) > 4):
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    pairs = [(o, o) for o in args[2:]] if each else [(args[2], args[3] if len(args) > 3 else args[2])]
    d = first_difference(args[0], args[1], pairs)
    if d:
        print("h5same: " + d, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
