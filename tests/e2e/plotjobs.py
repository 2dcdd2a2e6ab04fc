"""plotjobs.py DIR JOB...: several tools/plot command lines, run in this one
Python process, and what they wrote, described for the e2e scripts.

A plot test runs tools/plot many times; each process spent ~0.45 CPU-s
importing matplotlib and h5py before drawing anything, most of what the
plot tests cost. Here they are imported once.

A JOB is "NAME ARG...": NAME, then the arguments of one tools/plot command
line (split as a shell splits them, shlex). Each job runs tools/plot as a
script (runpy, as __main__, with fresh globals; tools/ first on sys.path,
where python puts a script's folder), and leaves, as the command would:
  DIR/NAME.out, DIR/NAME.err  what it printed on stdout and on stderr
  DIR/NAME.rc                 its exit status: 0, SystemExit's code (a
                              message: 1), or 1 and the traceback on stderr
and, measured while it draws:
  DIR/NAME.artists            "COUNT PATH" per chart written: the patches,
                              lines and collections of the chart's figure
Every figure is closed between jobs, so nothing of one job is in the next;
the modules tools/plot imports (plot_uncertainty among them) are loaded
once, as in any process, and hold no state of a job.

Exit status 3, before any job, when matplotlib or h5py is missing (so the
plot tests need no separate process to check for them); otherwise 0.

Then every PNG the jobs saved, read back from the file:
  DIR/pngs                    "ok PATH", or "bad PATH: why": the checks of
                              a plausible chart (PNG signature, at least
                              600 x 400 pixels, more than 20,000 bytes)
  DIR/titles/KEY              the PNG's Title text (tEXt or iTXt), where
                              KEY is its path with every / as _
"""
import contextlib
import os
import runpy
import shlex
import struct
import sys
import traceback
import zlib

try:
    import h5py  # noqa: F401 - tools/plot's; here only to say it is missing
    import matplotlib
except ModuleNotFoundError as missing:  # plotjobs.sh says what to install
    print(f"plotjobs.py: {missing}", file=sys.stderr)
    sys.exit(3)

matplotlib.use("Agg")
import matplotlib.figure  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

TOOLS = os.path.abspath("tools")
saved = {}    # id(figure) -> the path it was saved to
written = []  # every path saved, in order
drawn = []    # (artists, path) of the current job's charts


def run(argv, out, err):
    """tools/plot with these arguments; its exit status."""
    sys.argv = ["tools/plot"] + argv
    with open(out, "w") as o, open(err, "w") as e, \
            contextlib.redirect_stdout(o), contextlib.redirect_stderr(e):
        try:
            runpy.run_path(os.path.join(TOOLS, "plot"), run_name="__main__")
            return 0
        except SystemExit as x:
            if x.code is None:
                return 0
            if isinstance(x.code, int):
                return x.code
            print(x.code, file=sys.stderr)
            return 1
        except Exception:  # noqa: BLE001 - as python itself: a traceback, exit 1
            traceback.print_exc()
            return 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()


def describe(path):
    """(None or what is wrong, the Title text or None) of a PNG file."""
    try:
        b = open(path, "rb").read()
    except OSError as e:
        return str(e), None
    if b[:8] != b"\x89PNG\r\n\x1a\n" or len(b) < 24:
        return "not a PNG", None
    w, h = struct.unpack(">II", b[16:24])
    problem = None if w >= 600 and h >= 400 and len(b) > 20000 else f"{(w, h, len(b))}"
    title = None
    i = 8
    while i < len(b):
        n, kind = struct.unpack(">I4s", b[i:i + 8])
        data = b[i + 8:i + 8 + n]
        i += 12 + n
        key, _, rest = data.partition(b"\0")
        if key != b"Title":
            continue
        if kind == b"tEXt":
            title = rest.decode("latin-1")
        elif kind == b"iTXt":  # flag, method, language\0, translated keyword\0, text
            flag, text = rest[0], rest[2:].split(b"\0", 2)[2]
            title = (zlib.decompress(text) if flag else text).decode("utf-8")
    return problem, title


def main():
    folder, jobs = sys.argv[1], sys.argv[2:]
    sys.path.insert(0, TOOLS)
    sys.dont_write_bytecode = True  # no __pycache__ in tools/

    savefig = matplotlib.figure.Figure.savefig

    def recording_savefig(fig, path, *a, **k):
        savefig(fig, path, *a, **k)
        saved[id(fig)] = str(path)
        written.append(str(path))
    matplotlib.figure.Figure.savefig = recording_savefig
    close = plt.close

    def counting_close(fig=None):
        if hasattr(fig, "axes") and id(fig) in saved:
            drawn.append((sum(len(ax.patches) + len(ax.lines) + len(ax.collections)
                              for ax in fig.axes), saved.pop(id(fig))))
        close(fig)
    plt.close = counting_close

    argv0, path0 = sys.argv, list(sys.path)
    for job in jobs:
        name, *argv = shlex.split(job)
        base = os.path.join(folder, name)
        drawn.clear()
        rc = run(argv, base + ".out", base + ".err")
        sys.argv, sys.path[:] = argv0, path0
        close("all")
        saved.clear()
        with open(base + ".rc", "w") as f:
            print(rc, file=f)
        with open(base + ".artists", "w") as f:
            for n, path in drawn:
                print(n, path, file=f)
    os.makedirs(os.path.join(folder, "titles"), exist_ok=True)
    with open(os.path.join(folder, "pngs"), "w") as f:
        for path in dict.fromkeys(written):
            problem, title = describe(path)
            print(f"bad {path}: {problem}" if problem else f"ok {path}", file=f)
            if title is not None:
                with open(os.path.join(folder, "titles", path.replace("/", "_")), "w") as t:
                    print(title, file=t)


if __name__ == "__main__":
    main()
