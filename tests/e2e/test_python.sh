#!/usr/bin/env bash
# tools/reassure_h5.py loads a result as tidy DataFrames, as the README shows.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
PY=/usr/bin/python3
expect_exit 0 "a small debate" $R run scenarios/debate.cfg -n 30 -q -o "$T/d.h5"
# A file of 0.2.0 and before kept a histogram's edges as the counts'
# attribute `edges`, flat; the readers take either. One Python process
# (pandas and h5py imported once) checks the result, makes the old layout
# from a copy of it and checks that, saying which step failed.
cp "$T/d.h5" "$T/old.h5"
cat >"$T/check.py" <<'PYEOF'
import sys, traceback
sys.path.insert(0, "tools")
import h5py
import reassure_h5

def check(path):
    r = reassure_h5.load(path)
    s = r.summary
    assert {"point", "force.troops", "force.basing_distance_km", "us_backstop.enabled",
            "name", "estimate", "ci_low", "ci_high", "n"} <= set(s.columns), s.columns
    assert len(s[s.name == "p_rung_ge_7"]) == 24
    assert len(r.replications) == 24 * 30
    assert set(r.replications.outcome.astype(str)) <= {"held_quiet", "held_contested",
        "offensive_repelled", "breakthrough", "coalition_collapse", "nato_russia_war"}
    assert isinstance(r.attrs["model"], str) and r.attrs["model"] == "reassurance"
    assert isinstance(r.attrs["seed"], int) and isinstance(r.attrs["commit"], str)
    counts, attrs = r.histogram("max_rung")
    assert counts.shape[0] == 24 and attrs["edges"].shape == (24, counts.shape[1] + 1)

def make_old(path):
    f = h5py.File(path, "r+")
    for m in list(f["/histogram_edges"]):
        f["/histograms/" + m].attrs["edges"] = f["/histogram_edges/" + m][...].ravel()
    del f["/histogram_edges"]
    f.close()

new, old = sys.argv[1], sys.argv[2]
for step, run in (("check " + new, lambda: check(new)), ("old layout " + old, lambda: make_old(old)),
                  ("check " + old, lambda: check(old))):
    try:
        run()
        print("ok", step)
    except Exception:  # noqa: BLE001 - reported, and the bash check fails on it
        print("failed", step)
        traceback.print_exc()
PYEOF
$PY "$T/check.py" "$T/d.h5" "$T/old.h5" >"$T/checked" 2>"$T/check.err"
step() { # step WHAT: check.py reported step WHAT done
    grep -qx "ok $1" "$T/checked" || { sed 's/^/    /' "$T/check.err" | tail -3; false; }
}
check "reassure_h5 loads points, summary, replications, attributes, histograms" \
    step "check $T/d.h5"
check "an old layout made from it" step "old layout $T/old.h5"
check "reassure_h5 reads the old layout's edges" step "check $T/old.h5"
# tools/plot as a process of its own (its #! line, its imports from its own
# folder, its exit status): test_plot.sh runs its command lines in one
# Python process (tests/e2e/plotjobs.py) and counts on this one.
if $PY -c "import matplotlib" 2>/dev/null; then
    expect_exit 0 "tools/plot draws the old layout" tools/plot "$T/old.h5" -o "$T/png"
fi
[ $fails -eq 0 ]
