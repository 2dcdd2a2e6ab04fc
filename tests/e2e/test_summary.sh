#!/usr/bin/env bash
# What a person reads: the summary table, `reassure summary [--csv]`, and
# progress on a terminal only.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
PY=/usr/bin/python3

expect_exit 0 "run debate -n 400 (not a terminal)" $R run scenarios/debate.cfg -n 400 -o "$T/d.h5"
check "run prints the outcome table" grep -q "P(rung>=7) \[95% CI\]" "$T/out"
check "run prints the key means" grep -q "^key means" "$T/out"
check "run prints the path written" grep -q "^wrote $T/d.h5" "$T/out"
check "no progress when stderr is not a terminal" [ ! -s "$T/err" ]
check "table within 100 columns" bash -c "[ \$(awk '{ if (length(\$0) > m) m = length(\$0) } END { print m }' '$T/out') -le 100 ]"
check "24 rows in the outcome table" bash -c "[ \$(grep -cE '^ +[0-9]+ +[0-9]+ +[0-9]+ +o(n|ff)  0\.[0-9]{3} \[' '$T/out') -eq 24 ]"

expect_exit 0 "summary of the file" $R summary "$T/d.h5"
sed -n '/^reassurance:/,/^wrote/p' "$T/out" >/dev/null
$R run scenarios/debate.cfg -n 400 -o "$T/d2.h5" | sed -n '/^reassurance:/,$p' | grep -v '^wrote' | sed '$d' >"$T/from-run"
$R summary "$T/d2.h5" >"$T/from-summary"
check "summary prints what run printed" cmp -s "$T/from-run" "$T/from-summary"

expect_exit 0 "run --quiet" $R run scenarios/debate.cfg -n 50 --quiet -o "$T/q.h5"
check "--quiet prints nothing" [ ! -s "$T/out" ]

expect_exit 0 "summary --csv" $R summary "$T/d.h5" --csv
cp "$T/out" "$T/s.csv"
cat >"$T/check_csv.py" <<'PY'
import csv, sys, h5py
f = h5py.File(sys.argv[1], "r")
sm = f["/summary"][...]
rows = list(csv.DictReader(open(sys.argv[2])))
assert len(rows) == len(sm), (len(rows), len(sm))
for r, s in zip(rows, sm):
    assert int(r["point"]) == s["point"]
    assert r["name"] == s["name"].decode()
    for k in ("estimate", "ci_low", "ci_high"):
        assert float(r[k]) == s[k] or (r[k] == "nan" and s[k] != s[k]), (k, r[k], s[k])
    assert int(r["n"]) == s["n"]
pts = f["/points"][...]
for r in rows:
    p = pts[int(r["point"])]
    assert int(r["force.troops"]) == p["force.troops"]
    assert float(r["force.basing_distance_km"]) == p["force.basing_distance_km"]
print("csv ok")
PY
check "summary --csv equals /summary bit for bit" $PY "$T/check_csv.py" "$T/d.h5" "$T/s.csv"
# Swept values keep every digit (the fewest that read back exactly), not %g's six.
expect_exit 0 "a sweep of values %g would merge or round" $R run scenarios/validation/mm1.cfg -n 2 \
    --set mm1.customers=10 --sweep mm1.lambda=0.3,0.30000000000000004 \
    --sweep mm1.mu=123456.789012345 -q -o "$T/digits.h5"
expect_exit 0 "its --csv" $R summary "$T/digits.h5" --csv
check "0.3 stays 0.3" grep -q "^0,0.3,123456.789012345,mean_wait_in_queue," "$T/out"
check "0.30000000000000004 keeps its digits" \
    grep -q "^1,0.30000000000000004,123456.789012345,mean_wait_in_queue," "$T/out"

expect_exit 1 "summary of a missing file" $R summary "$T/none.h5"
err_has "$T/none.h5: cannot open the result file"
echo "not hdf5" >"$T/bad.h5"
expect_exit 1 "summary of a non-HDF5 file" $R summary "$T/bad.h5"
err_has "not a readable HDF5 file"
head -c 20000 "$T/d.h5" >"$T/trunc.h5"
expect_exit 1 "summary of a truncated file" $R summary "$T/trunc.h5"
expect_exit 2 "summary without a file" $R summary

# Progress: on a terminal (script(1) gives the command one), redrawn lines on
# stderr; none with --quiet. The first committed block draws a line (and
# then one every 0.1 s) unless it is the last, so a run of 24 blocks or
# more always shows one, however fast: the same run with --quiet must show
# none. A block holds replications of one point, so debate.cfg's 24 points
# are 24 blocks or more at any -n: -n 40 (960 replications) suffices.
if command -v script >/dev/null 2>&1; then
    script -qec "$R run scenarios/debate.cfg -n 40 -j 1 -o $T/p.h5 >/dev/null" /dev/null >"$T/tty" 2>&1
    check "progress on a terminal" grep -q "replications .*%.*left" "$T/tty"
    # (its own file: on p.h5 it was refused, a complete result being
    # there, and showed no progress for that reason)
    script -qec "$R run scenarios/debate.cfg -n 40 -j 1 --quiet -o $T/pq.h5" /dev/null >"$T/tty-q" 2>&1
    check "the --quiet run on a terminal completes" [ "$(attr "$T/pq.h5" complete)" = 1 ]
    check "no progress with --quiet" bash -c "! grep -q 'left' '$T/tty-q'"
else
    notok "script(1) is missing (util-linux): cannot test progress on a terminal"
fi
# A share says it is one; a --precision result gives the replications used.
expect_exit 0 "a share" $R run scenarios/debate.cfg -n 40 -q --points 0:6 -o "$T/share.h5"
expect_exit 0 "summary of a share" $R summary "$T/share.h5"
check "summary says it is a share" grep -q "a share of the run: points 0:6, replications 0:40" "$T/out"
expect_exit 0 "a --precision result" $R run scenarios/baseline.cfg -n 100 -q --precision 0.05 \
    --sweep force.troops=0,30000 -o "$T/prec.h5"
expect_exit 0 "summary of it" $R summary "$T/prec.h5"
check "summary gives the replications used" grep -qE "2 points x [0-9]+( to [0-9]+)? replications \(used, --precision\)" "$T/out"
# The CSV of an interrupted run says so, on stderr.
REASSURE_TEST_STOP_AFTER_BLOCKS=1 $R run scenarios/debate.cfg -n 2000 -q -o "$T/int.h5" 2>/dev/null
expect_exit 0 "summary --csv of an interrupted run" $R summary "$T/int.h5" --csv
err_has "is an interrupted run (complete = 0)"
# After --resume the file's events count every session, not only the last.
$R run scenarios/debate.cfg -n 2000 -q -o "$T/int.h5" --resume 2>/dev/null
$R run scenarios/debate.cfg -n 2000 -q -o "$T/once.h5"
check "events after --resume cover every session (>= an uninterrupted run's)" \
    [ "$(attr "$T/int.h5" events)" -ge "$(attr "$T/once.h5" events)" ]
[ $fails -eq 0 ]
