#!/usr/bin/env bash
# reassure compare A.h5 B.h5: B - A point by point, paired by replication
# under common random numbers; refusals for files that cannot pair.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
PY=/usr/bin/python3
run() { $R run scenarios/baseline.cfg -q --sweep force.troops=10000,30000 "$@"; }
expect_exit 0 "option A" run -n 2000 -o "$T/a.h5"
expect_exit 0 "option B: A with the backstop" run -n 2000 --set us_backstop.enabled=true -o "$T/b.h5"
expect_exit 0 "compare A B" $R compare "$T/a.h5" "$T/b.h5"
check "the table names both files" grep -q "B = $T/b.h5, A = $T/a.h5" "$T/out"
expect_exit 0 "compare A B --csv" $R compare "$T/a.h5" "$T/b.h5" --csv
cp "$T/out" "$T/c.csv"
cat >"$T/check.py" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
ge7 = [r for r in rows if r["name"] == "p_rung_ge_7"]
assert len(ge7) == 2, ge7
for r in ge7:
    est, lo, hi = float(r["estimate"]), float(r["ci_low"]), float(r["ci_high"])
    paired, unpaired = (hi - lo) / 2, float(r["unpaired_half_width"])
    assert lo <= est <= hi and est < 0, r            # the backstop lowers the risk
    assert paired < 0.8 * unpaired, (paired, unpaired)  # pairing pays
    assert int(r["n"]) == 2000
assert not any(r["name"].startswith(("median_", "p90_", "p99_")) for r in rows)
print("compare csv ok")
PYEOF
check "p_rung_ge_7: B - A < 0 in its paired interval, narrower than unpaired" $PY "$T/check.py" "$T/c.csv"
expect_exit 0 "a file against itself" $R compare "$T/a.h5" "$T/a.h5" --csv
check "... differs by nothing" bash -c "awk -F, 'NR > 1 && \$4 != 0 && \$4 != \"nan\" {bad=1} END {exit bad}' '$T/out'"
expect_exit 0 "another seed" run -n 2000 -s 99 -o "$T/s.h5"
expect_exit 2 "compare refuses another seed" $R compare "$T/a.h5" "$T/s.h5"
err_has "replications pair only under one seed"
expect_exit 0 "other points" $R run scenarios/baseline.cfg -q -n 100 -o "$T/one.h5"
expect_exit 2 "compare refuses another number of points" $R compare "$T/a.h5" "$T/one.h5"
err_has "points pair by number"
REASSURE_TEST_STOP_AFTER_BLOCKS=1 $R run scenarios/baseline.cfg -q --sweep force.troops=10000,30000 \
    -n 2000 -o "$T/i.h5" 2>/dev/null
expect_exit 2 "compare refuses an interrupted result" $R compare "$T/a.h5" "$T/i.h5"
err_has "is an interrupted run"
expect_exit 2 "compare needs two files" $R compare "$T/a.h5"
[ $fails -eq 0 ]
