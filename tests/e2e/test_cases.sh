#!/usr/bin/env bash
# design = "cases": named options crossed with a grid, their names in
# /points, the table and compare; deterministic, shareable, mergeable.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
PY=/usr/bin/python3
S=scenarios/cases.cfg
expect_exit 0 "check the shipped cases" $R check $S
check "check lists the cases and the baseline" grep -q 'cases design: 4 cases x the grid of the keys; baseline "10k forward"' "$T/out"
expect_exit 0 "run -j 2" $R run $S -n 1500 -j 2 -o "$T/a.h5"
check "the table shows the names" grep -q "30k rear, NATO" "$T/out"
expect_exit 0 "run -j 1" $R run $S -n 1500 -j 1 -q -o "$T/b.h5"
check "the same whatever -j" h5same "$T/a.h5" "$T/b.h5" /replications /replications
cat >"$T/points.py" <<'PYEOF'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
p = f["/points"][...]
assert list(p.dtype.names) == ["point", "case", "us_backstop.enabled"], p.dtype.names
names = [x.decode() for x in p["case"]]
assert names == ["10k forward"] * 2 + ["25k far"] * 2 + ["15k monitors"] * 2 + ["30k rear, NATO"] * 2
assert list(p["us_backstop.enabled"]) == [0, 1] * 4
b = f.attrs["baseline_case"]
assert (b.decode() if isinstance(b, bytes) else b) == "10k forward"
print("points ok")
PYEOF
check "/points: case names, the crossed key, the baseline attribute" $PY "$T/points.py" "$T/a.h5"
expect_exit 0 "a share: points 0:3" $R run $S -n 1500 -q --points 0:3 -o "$T/s1.h5"
expect_exit 0 "a share: points 3:8" $R run $S -n 1500 -q --points 3:8 -o "$T/s2.h5"
expect_exit 0 "merge the shares" $R merge "$T/s1.h5" "$T/s2.h5" -o "$T/m.h5" -q
check "merged = one run" h5same --each "$T/a.h5" "$T/m.h5" /replications /summary /points
expect_exit 0 "compare the cases against the baseline" $R compare "$T/a.h5" --csv
cp "$T/out" "$T/c.csv"
cat >"$T/c.py" <<'PYEOF'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["name"] == "p_rung_ge_7"]
# every non-baseline point against the baseline point of its grid cell
pairs = sorted((int(r["point_a"]), int(r["point_b"])) for r in rows)
assert pairs == [(0, 2), (0, 4), (0, 6), (1, 3), (1, 5), (1, 7)], pairs
for r in rows:
    half = (float(r["ci_high"]) - float(r["ci_low"])) / 2
    assert half < float(r["unpaired_half_width"]), r
print("cases compare ok")
PYEOF
check "compare pairs each case with the baseline in its cell; paired narrower" $PY "$T/c.py" "$T/c.csv"
expect_exit 0 "compare against another baseline" $R compare "$T/a.h5" --baseline "25k far" --csv
check "... pairs with the 25k points" grep -q "^2,0,p_rung_ge_7," "$T/out"
expect_exit 2 "compare refuses an unknown baseline" $R compare "$T/a.h5" --baseline "nope"
err_has 'has no case named "nope"'
expect_exit 0 "a result without cases" $R run scenarios/baseline.cfg -n 50 -q -o "$T/g.h5"
expect_exit 2 "one file without cases cannot be compared" $R compare "$T/g.h5"
err_has "is not a result of a cases design"
# A name's limit counts characters, not bytes: 31 Cyrillic letters (62
# bytes) are a valid name, kept whole in /points; 32 are refused.
n31=$($PY -c 'print("Ж" * 31)'); n32=$($PY -c 'print("Ж" * 32)')
for n in 31 32; do
    name=$([ $n = 31 ] && echo "$n31" || echo "$n32")
    cat >"$T/utf$n.cfg" <<EOF
model = "mm1";
sweep = { design = "cases"; baseline = "$name";
  cases = ( { name = "$name"; mm1 = { mu = 2.0; }; }, { name = "b"; mm1 = { mu = 3.0; }; } ); };
EOF
done
expect_exit 0 "a case name of 31 two-byte characters" $R run "$T/utf31.cfg" -n 2 \
    --set mm1.customers=10 -q -o "$T/utf.h5"
check "... kept whole in /points" $PY -c "
import h5py, sys
p = h5py.File('$T/utf.h5', 'r')['/points'][...]
assert p['case'][0].decode() == 'Ж' * 31, p['case'][0]"
expect_exit 2 "a case name of 32 characters is refused" $R check "$T/utf32.cfg"
err_has "is longer than 31 characters"
[ $fails -eq 0 ]
