#!/usr/bin/python3
"""h5batch.py QUEUE [CHECKS.py]: the Python checks of an end-to-end script,
queued as it goes (tests/e2e/batch.sh) and run here in one process, each
printed as a TAP line "ok - what" or "not ok - what: why". Exit 0 when
every check passed, 1 when one did not, 2 on bad use.

A line of QUEUE is tab-separated:
  same  WHAT  A  B  OBJ...   each OBJ the same in A and B, bit for bit
                             (h5same.py's rule: type, shape, bytes,
                             attributes, groups recursively; missing differs)
  call  WHAT  FUNC  ARG...   FUNC(*ARGS) of CHECKS.py returns without an
                             exception (its asserts hold)

Why: a Python with h5py costs about 0.12 CPU-seconds to start, more than
most of the runs it checks; a script comparing twenty results paid for
twenty starts (issue 14).
"""
import importlib.util
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from h5same import differs  # noqa: E402


def same(a_path, b_path, objs):
    """Where the files differ in one of objs, or None."""
    if not objs:
        return "no object named"
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        for o in objs:
            if o not in a or o not in b:
                return "%s is missing from %s" % (o, a_path if o not in a else b_path)
            d = differs(a[o], b[o], o)
            if d:
                return d
    return None


def main(argv):
    if len(argv) not in (1, 2):
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    checks = None
    if len(argv) == 2 and os.path.exists(argv[1]):
        spec = importlib.util.spec_from_file_location("checks", argv[1])
        checks = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(checks)
    failed = 0
    with open(argv[0]) as q:
        lines = [l.rstrip("\n").split("\t") for l in q if l.strip()]
    for f in lines:
        kind, what, args = f[0], f[1] if len(f) > 1 else "?", f[2:]
        try:
            if kind == "same":
                why = same(args[0], args[1], args[2:])
            elif kind == "call":
                if checks is None:
                    raise RuntimeError("no checks file for " + args[0])
                getattr(checks, args[0])(*args[1:])
                why = None
            else:
                why = "unknown kind of check " + repr(kind)
        except Exception as e:  # a failed assert, a missing file: the check fails
            why = "%s: %s" % (type(e).__name__, str(e)[:300])
        if why is None:
            print("ok - " + what)
        else:
            print("not ok - %s: %s" % (what, why))
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
