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
assert counts.shape[0] == 24 and "edges" in attrs
print("reassure_h5 ok")
PYEOF
check "reassure_h5 loads points, summary, replications, attributes, histograms" \
    $PY "$T/check.py" "$T/d.h5"
[ $fails -eq 0 ]
