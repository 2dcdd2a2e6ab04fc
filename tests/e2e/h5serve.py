#!/usr/bin/python3
"""h5serve.py: the HDF5 checks of an end-to-end script, served by one Python.

Importing h5py and numpy costs a tenth of a second of CPU, more than most
checks themselves; a script that checks fifty files paid it fifty times.
tests/e2e/h5serve.sh starts this once (a bash coprocess) and sends it one
request a line, the fields separated by tabs; the answer is one line, "0"
when the check holds and "1" when not (a line on stderr says why), then a
tab and a value for a request that asks for one. Every file is opened for
the one request and closed before the answer, so the script may replace
it afterwards.

    same A B OBJ...       each object the same in both files, bit for bit
                          (h5same.py's rule: type, shape, every byte,
                          attributes, groups recursively; missing = differs)
    prefix REF PART N     PART's /replications are REF's first N rows, byte
                          for byte, and there are N of them
    sample REF PART K     PART's /replications are REF's rows with rep < K,
                          in REF's order, byte for byte
    rows FILE             the value: how many rows /replications holds
    has FILE OBJ          the object is in the file
    lacks FILE OBJ        the object is not in the file
    call PY FUNC ARG...   FUNC(ARG...) of the Python file PY (the script's
                          own checks, written before the first call; loaded
                          once) returns without an exception: its asserts hold
"""
import importlib.util
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from h5same import first_difference  # noqa: E402


class Fails(Exception):
    pass


def need(cond, why):
    if not cond:
        raise Fails(why)


def same(a, b, *objs):
    need(objs, "same: no object named")
    d = first_difference(a, b, [(o, o) for o in objs])
    need(d is None, d)


def prefix(ref, part, n):
    n = int(n)
    with h5py.File(ref, "r") as fr, h5py.File(part, "r") as fp:
        a, b = fp["/replications"][...], fr["/replications"][:n]
    need(len(a) == n, "%d rows, not %d" % (len(a), n))
    need(a.dtype == b.dtype and a.tobytes() == b.tobytes(), "other rows than the reference's first")


def sample(ref, part, k):
    with h5py.File(ref, "r") as fr, h5py.File(part, "r") as fp:
        r, s = fr["/replications"][...], fp["/replications"][...]
    want = r[r["rep"] < int(k)]
    need(len(s) == len(want), "%d rows, not %d" % (len(s), len(want)))
    need(s.dtype == want.dtype and s.tobytes() == want.tobytes(), "other rows")


def rows(f):
    with h5py.File(f, "r") as h:
        return len(h["/replications"])


def has(f, obj):
    with h5py.File(f, "r") as h:
        need(obj in h, "%s: no %s" % (f, obj))


def lacks(f, obj):
    with h5py.File(f, "r") as h:
        need(obj not in h, "%s: %s is there" % (f, obj))


MODULES = {}


def call(path, func, *args):
    if path not in MODULES:
        spec = importlib.util.spec_from_file_location("checks%d" % len(MODULES), path)
        m = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(m)
        MODULES[path] = m
    need(hasattr(MODULES[path], func), "%s has no %s" % (path, func))
    getattr(MODULES[path], func)(*args)


COMMANDS = {"call": call, "same": same, "prefix": prefix, "sample": sample, "rows": rows, "has": has,
            "lacks": lacks}


def main():
    for line in sys.stdin:
        cmd, *args = line.rstrip("\n").split("\t")
        try:
            value = COMMANDS[cmd](*args)
            answer = "0" if value is None else "0\t%s" % value
        except Exception as e:  # a failed check, a missing file, a bad request
            print("h5serve: %s: %s" % (cmd, repr(e) if isinstance(e, AssertionError) else
                                       e or type(e).__name__), file=sys.stderr)
            answer = "1"
        print(answer, flush=True)


if __name__ == "__main__":
    main()
