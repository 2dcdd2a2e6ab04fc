# Shared by tests/golden/update.sh and tests/e2e/test_golden.sh.
# golden_run NAME ARGS DIR THREADS: runs `reassure run ARGS` and writes
# DIR/NAME.csv (every /summary row, every digit) and, when the result has a
# /sensitivity table, DIR/NAME-sensitivity.csv (shortest round-trip digits).
golden_run() {
    local name=$1 args=$2 dir=$3 threads=$4
    # shellcheck disable=SC2086 # args is a list of words
    "$R" run $args -q -j "$threads" -o "$dir/$name.h5" || return 1
    "$R" summary "$dir/$name.h5" --csv >"$dir/$name.csv" || return 1
    /usr/bin/python3 - "$dir/$name.h5" >"$dir/$name-sensitivity.csv" <<'PY' || return 1
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    if "sensitivity" in f:
        d = f["/sensitivity"][...]
        print(",".join(d.dtype.names))
        for r in d:
            print(",".join(v.decode() if isinstance(v, bytes) else repr(float(v)) for v in r))
PY
    [ -s "$dir/$name-sensitivity.csv" ] || rm -f "$dir/$name-sensitivity.csv"
    rm -f "$dir/$name.h5"
}
# golden_runs: the NAME ARGS lines of tests/golden/runs.txt.
golden_runs() { grep -v -e '^#' -e '^[[:space:]]*$' tests/golden/runs.txt; }
