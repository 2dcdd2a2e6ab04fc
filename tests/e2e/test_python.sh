#!/usr/bin/env bash
# tools/reassure_h5.py loads a result as tidy DataFrames, as the README shows.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
PY=/usr/bin/python3
expect_exit 0 "a small debate" $R run scenarios/debate.cfg -n 30 -q -o "$T/d.h5"
cat >"$T/check.py" <<'PYEOF'
import sys
sys.path.insert(0, "tools")
import reassure_h5
r = reassure_h5.load(sys.argv[1])
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
print("reassure_h5 ok")
PYEOF
check "reassure_h5 loads points, summary, replications, attributes, histograms" \
    $PY "$T/check.py" "$T/d.h5"
# A file of 0.2.0 and before kept a histogram's edges as the counts'
# attribute `edges`, flat; the readers take either.
cp "$T/d.h5" "$T/old.h5"
cat >"$T/old.py" <<'PYEOF'
import sys, h5py
f = h5py.File(sys.argv[1], "r+")
for m in list(f["/histogram_edges"]):
    f["/histograms/" + m].attrs["edges"] = f["/histogram_edges/" + m][...].ravel()
del f["/histogram_edges"]
PYEOF
check "an old layout made from it" $PY "$T/old.py" "$T/old.h5"
check "reassure_h5 reads the old layout's edges" $PY "$T/check.py" "$T/old.h5"
if $PY -c "import matplotlib" 2>/dev/null; then
    expect_exit 0 "tools/plot draws the old layout" tools/plot "$T/old.h5" -o "$T/png"
fi
[ $fails -eq 0 ]
