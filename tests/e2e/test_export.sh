#!/usr/bin/env bash
# reassure export OUT.h5 --table replications|summary|points: tidy CSV with
# every digit, equal to the file's tables.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
PY=/usr/bin/python3
expect_exit 0 "a small debate" $R run scenarios/debate.cfg -n 25 -q -o "$T/d.h5"
for t in summary replications points; do
    expect_exit 0 "export --table $t" $R export "$T/d.h5" --table $t
    cp "$T/out" "$T/$t.csv"
done
cat >"$T/check.py" <<'PYEOF'
import sys
import h5py, numpy as np, pandas as pd
d = sys.argv[1]
f = h5py.File(d + "/d.h5", "r")
pts = pd.read_csv(d + "/points.csv")
assert list(pts.columns) == ["point", "force.troops", "force.basing_distance_km", "us_backstop.enabled"]
assert len(pts) == 24
s = pd.read_csv(d + "/summary.csv", float_precision="round_trip")
h = f["/summary"][...]
assert len(s) == len(h)
# every digit: the CSV's estimates are the file's, bit for bit (NaN as NA)
est = np.array(h["estimate"], float)
got = s["estimate"].to_numpy(float)
assert np.array_equal(np.isnan(est), np.isnan(got)) and np.all(est[~np.isnan(est)] == got[~np.isnan(got)])
assert set(s.columns) >= {"force.troops", "name", "ci_low", "ci_high", "n"}
r = pd.read_csv(d + "/replications.csv")
assert len(r) == 24 * 25
assert set(r["outcome"]) <= {"held_quiet", "held_contested", "offensive_repelled",
                             "breakthrough", "coalition_collapse", "nato_russia_war"}
rep = f["/replications"][...]
assert np.array_equal(r["max_rung"].to_numpy(), rep["max_rung"])
fb = rep["first_breach_day"]
assert np.array_equal(np.isnan(fb), r["first_breach_day"].isna().to_numpy())
print("export ok")
PYEOF
check "the CSVs equal the file's tables, every digit, NA where a measure does not apply" $PY "$T/check.py" "$T"
expect_exit 2 "export needs --table" $R export "$T/d.h5"
expect_exit 2 "export refuses an unknown table" $R export "$T/d.h5" --table bogus
err_has "--table: \"bogus\" is not replications, summary or points"
expect_exit 1 "export of a missing file" $R export "$T/none.h5" --table points
[ $fails -eq 0 ]
