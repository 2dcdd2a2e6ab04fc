#!/usr/bin/env bash
# Result files: the HDF5 contract of PRODUCT.md, bit-identical results for
# any thread count, and atomic writes that never leave or lose a file.
# The equalities go through one Python process (tests/e2e/h5serve.sh).
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/h5serve.sh
PY=/usr/bin/python3

# A sweep of 6 points with enough replications that blocks interleave.
args=(scenarios/validation/lanchester.cfg -n 700 -s 99 --sweep lanchester.law=square,linear
      --sweep lanchester.x0=8,12,16 -q)
for j in 1 2 3; do
    expect_exit 0 "run -j $j" $R run "${args[@]}" -j $j -o "$T/j$j.h5"
done
for ds in /replications /summary /points /histograms/duration; do
    check "$ds identical for -j 1 and -j 2" h5q same "$T/j1.h5" "$T/j2.h5" $ds
    check "$ds identical for -j 1 and -j 3" h5q same "$T/j1.h5" "$T/j3.h5" $ds
done
expect_exit 0 "run mm1 -j 1" $R run scenarios/validation/mm1.cfg -n 4 --set mm1.customers=20000 -j 1 -q -o "$T/m1.h5"
expect_exit 0 "run mm1 -j 2" $R run scenarios/validation/mm1.cfg -n 4 --set mm1.customers=20000 -j 2 -q -o "$T/m2.h5"
check "mm1 /replications identical for -j 1 and -j 2" h5q same "$T/m1.h5" "$T/m2.h5" /replications
check "mm1 /summary identical for -j 1 and -j 2" h5q same "$T/m1.h5" "$T/m2.h5" /summary

# A different seed gives different replications (the seed is used).
expect_exit 0 "run with another seed" $R run "${args[@]}" -s 100 -j 2 -o "$T/s100.h5"
check "another seed changes /replications" bash -c "! h5same '$T/j1.h5' '$T/s100.h5' /replications /replications"

# The contract, read the way a user reads it.
cat >"$T/contract.py" <<'PY'
import sys, h5py, numpy as np
path, scenario = sys.argv[1], sys.argv[2]
f = h5py.File(path, "r")
a = f.attrs
def s(x): return x.decode() if isinstance(x, bytes) else str(x)
need = ["reassure_version", "model", "seed", "replications", "threads", "ranks",
        "created_utc", "scenario_text", "complete", "events", "wall_seconds"]
missing = [k for k in need if k not in a]
assert not missing, f"missing root attributes {missing}"
assert s(a["model"]) == "lanchester", a["model"]
assert int(a["seed"]) == 99 and int(a["replications"]) == 700
assert int(a["complete"]) == 1 and int(a["ranks"]) == 1
assert int(a["events"]) > 0 and float(a["wall_seconds"]) > 0
assert s(a["scenario_text"]) == open(scenario).read(), "scenario_text is not verbatim"
pts = f["/points"][...]
assert list(pts.dtype.names) == ["point", "lanchester.law", "lanchester.x0"], pts.dtype.names
assert len(pts) == 6 and list(pts["point"]) == list(range(6))
assert [s(x) for x in pts["lanchester.law"]] == ["square"] * 3 + ["linear"] * 3
assert list(pts["lanchester.x0"]) == [8, 12, 16] * 2
r = f["/replications"]
assert list(r.dtype.names)[:3] == ["point", "rep", "outcome"], r.dtype.names
assert {"duration", "x_survivors", "y_survivors"} <= set(r.dtype.names)
assert r.chunks is not None and r.compression == "gzip", (r.chunks, r.compression)
rows = r[...]
assert len(rows) == 6 * 700
assert (rows["point"] == np.repeat(np.arange(6), 700)).all()
assert (rows["rep"] == np.tile(np.arange(700), 6)).all()
names = h5py.check_enum_dtype(r.dtype["outcome"])
assert names == {"x_wins": 0, "y_wins": 1}, names
sm = f["/summary"][...]
assert list(sm.dtype.names) == ["point", "name", "estimate", "ci_low", "ci_high", "n"]
assert len(sm) == 6 * 4
for row in sm:
    name = s(row["name"])
    assert row["ci_low"] <= row["estimate"] <= row["ci_high"], row
    assert row["n"] == 700
    sel = rows[rows["point"] == row["point"]]
    if name == "p_x_wins":
        assert row["estimate"] == np.mean(sel["outcome"] == 0)
    elif name == "mean_x_survivors":
        assert abs(row["estimate"] - np.mean(sel["x_survivors"])) < 1e-12
assert {s(x) for x in sm["name"]} == {"p_x_wins", "mean_duration", "mean_x_survivors", "mean_y_survivors"}
h = f["/histograms/duration"]
assert h.shape[0] == 6
assert "edges" not in h.attrs  # 0.3: a matrix of its own, not an attribute
edges = f["/histogram_edges/duration"][...]
assert edges.shape == (6, h.shape[1] + 1)
assert (np.diff(edges, axis=1) > 0).all()
below, above = h.attrs["below_range"], h.attrs["above_range"]
assert (h[...].sum(axis=1) + below + above == 700).all()
print("contract ok")
PY
if [ -x $PY ] && $PY -c "import h5py" 2>/dev/null; then
    check "HDF5 contract (read with h5py)" $PY "$T/contract.py" "$T/j2.h5" scenarios/validation/lanchester.cfg
else
    notok "python3-h5py is not installed (tools/install-deps.sh installs it)"
fi

# Atomic results: failures leave nothing and lose nothing.
expect_exit 1 "output folder missing" $R run scenarios/validation/mm1.cfg -n 2 -o "$T/nope/out.h5"
err_has "$T/nope/out.h5"
expect_exit 1 "output is a folder" $R run scenarios/validation/mm1.cfg -n 2 -o "$T"
cp scenarios/validation/mm1.cfg "$T/scn.cfg"
expect_exit 2 "output is the scenario file" $R run "$T/scn.cfg" -n 2 -o "$T/scn.cfg"
err_has "is an input of this run"
check "scenario file untouched" cmp -s "$T/scn.cfg" scenarios/validation/mm1.cfg
# Nothing an earlier run or another tool wrote is lost: not a file the
# scenario reads (an @include, a base), not a file that is not a result,
# not a complete result without --force.
printf 'base = "scn.cfg";\nmm1 = { customers = 50; };\n' >"$T/derived.cfg"
expect_exit 2 "output is the base scenario of the run" $R run "$T/derived.cfg" -n 2 -o "$T/scn.cfg"
check "base scenario untouched" cmp -s "$T/scn.cfg" scenarios/validation/mm1.cfg
echo "my notes" >"$T/notes.txt"
expect_exit 2 "output is a file that is not a result" $R run "${args[@]}" -n 50 -o "$T/notes.txt"
err_has "exists and is not a reassure result; it will not be replaced"
expect_exit 2 "... not even with --force" $R run "${args[@]}" -n 50 --force -o "$T/notes.txt"
check "the notes are untouched" [ "$(cat "$T/notes.txt")" = "my notes" ]
cp "$T/j1.h5" "$T/keep.h5"
before=$(md5sum <"$T/keep.h5")
expect_exit 2 "a complete result is not replaced without --force" $R run "${args[@]}" -n 50 -o "$T/keep.h5"
err_has "holds a complete result; --force replaces it"
check "the earlier result is untouched" [ "$(md5sum <"$T/keep.h5")" = "$before" ]
expect_exit 0 "--force replaces a complete result" $R run "${args[@]}" -n 50 --force -o "$T/keep.h5"
check "the replaced file holds the new run" [ "$(attr "$T/keep.h5" replications)" = 50 ]
# A symbolic link: the result goes to its target, and the link stays.
ln -s keep.h5 "$T/link.h5"
expect_exit 0 "output through a symlink" $R run "${args[@]}" -n 60 --force -o "$T/link.h5"
check "the link is still a link" [ -L "$T/link.h5" ]
check "its target holds the new run" [ "$(attr "$T/keep.h5" replications)" = 60 ]
ln -s missing.h5 "$T/dangling.h5"
expect_exit 0 "output through a dangling symlink" $R run "${args[@]}" -n 5 -o "$T/dangling.h5"
check "the dangling link's target was created, the link kept" bash -c "[ -L '$T/dangling.h5' ] && [ -s '$T/missing.h5' ]"
check "no temporary files left in the output folder" [ -z "$(ls -A "$T" | grep '\.tmp\.')" ]
top=$PWD
(mkdir -p "$T/w" && cd "$T/w" && "$top/$R" run "$top/scenarios/validation/lanchester.cfg" -n 10 -q >/dev/null 2>&1)
check "default output results/<scenario>.h5" [ -s "$T/w/results/lanchester.h5" ]

# Another version's partial result is not finished by this one (its rows
# could come from other numbers).
REASSURE_TEST_STOP_AFTER_BLOCKS=2 $R run scenarios/validation/lanchester.cfg -n 5000 -q \
    -o "$T/old.h5" 2>/dev/null
/usr/bin/python3 -c "import h5py,sys; f=h5py.File(sys.argv[1],'r+'); f.attrs['reassure_version']='0.1.0'" "$T/old.h5"
expect_exit 2 "--resume refuses another version's result" $R run scenarios/validation/lanchester.cfg \
    -n 5000 -q -o "$T/old.h5" --resume
err_has "its reassure version differs"
# --force over a complete result, interrupted: the complete result stays,
# the finished work goes to NAME.partial, and --resume finishes from there.
L=scenarios/validation/lanchester.cfg
$R run $L -n 6000 -q -o "$T/f.h5"
before=$(md5sum <"$T/f.h5")
REASSURE_TEST_STOP_AFTER_BLOCKS=2 $R run $L -n 6000 -s 99 -q --force -o "$T/f.h5" 2>"$T/err"
check "interrupted --force: exit 1" [ $? -eq 1 ]
err_has "kept in $T/f.h5.partial (complete = 0); $T/f.h5, the complete result, is untouched"
check "the complete result is untouched" [ "$(md5sum <"$T/f.h5")" = "$before" ]
check "the partial work is in f.h5.partial" [ "$(attr "$T/f.h5.partial" complete)" = 0 ]
expect_exit 0 "--resume finishes from the partial" $R run $L -n 6000 -s 99 -q -o "$T/f.h5" --resume
$R run $L -n 6000 -s 99 -q -o "$T/f99.h5"
check "... equal to an uninterrupted run" h5q same "$T/f.h5" "$T/f99.h5" /replications
check "... and the partial is gone" [ ! -e "$T/f.h5.partial" ]
[ $fails -eq 0 ]
