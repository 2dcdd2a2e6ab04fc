#!/usr/bin/env bash
# The reassurance model through the command line: the shipped scenarios,
# the /summary names of PRODUCT.md, and the trace.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
PY=/usr/bin/python3

# baseline.cfg writes every key out at its default: `check` must show each
# resolved value equal to the schema's default.
expect_exit 0 "check baseline.cfg" $R check scenarios/baseline.cfg
$PY - "$T/out" >"$T/diff" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
keys = bad = 0
for l in lines:
    if not l.startswith("  ") or " default " not in l:
        continue
    parts = l.split()
    value, default = parts[1], parts[parts.index("default") + 1]
    keys += 1
    if value != default:
        bad += 1
        print(f"{parts[0]}: {value} != default {default}")
print(f"keys {keys} differing {bad}")
PY
check "baseline.cfg sets every key to its default ($(tail -1 "$T/diff"))" grep -q "differing 0$" "$T/diff"
check "baseline.cfg covers the schema (56 scalar keys)" bash -c "[ \$(sed -n 's/keys \([0-9]*\).*/\1/p' '$T/diff') -ge 56 ]"
check "baseline.cfg: four contributors by default" grep -q "coalition.contributors *4 records" "$T/out"

expect_exit 0 "check debate.cfg" $R check scenarios/debate.cfg
check "debate: 24 points" grep -q "sweep: 3 keys, 24 points" "$T/out"
check "debate: 240000 replications" grep -q "total replications: 240000 (24 points x 10000)" "$T/out"

# A small debate run: the contract's names.
expect_exit 0 "run debate.cfg -n 300" $R run scenarios/debate.cfg -n 300 -q -o "$T/d.h5"
cat >"$T/names.py" <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
s = lambda x: x.decode() if isinstance(x, bytes) else str(x)
classes = ["held_quiet", "held_contested", "offensive_repelled", "breakthrough",
           "coalition_collapse", "nato_russia_war"]
# The class shares are p_<class>, but for collapse, whose p_ row is the flag
# (a collapse in any replication, docs/model.md section 6).
class_row = lambda c: "p_outcome_coalition_collapse" if c == "coalition_collapse" else f"p_{c}"
r = f["/replications"]
assert h5py.check_enum_dtype(r.dtype["outcome"]) == {c: i for i, c in enumerate(classes)}
measures = [n for n in r.dtype.names if n not in ("point", "rep", "outcome")]
sm = f["/summary"][...]
names = {s(x) for x in sm["name"]}
want = {class_row(c) for c in classes} | {"p_rung_ge_4", "p_rung_ge_7", "p_rung_ge_9"} \
       | {f"mean_{m}" for m in measures} \
       | {"p_coalition_collapse", "p_probe_attempted", "p_offensive_attempted",
          "p_offensive_succeeds", "p_war"} \
       | {f"{q}_force_casualties" for q in ("median", "p90", "p99")}
assert want == names, (want ^ names)
pts = f["/points"][...]
assert list(pts.dtype.names) == ["point", "force.troops", "force.basing_distance_km",
                                 "us_backstop.enabled"]
assert len(pts) == 24 and len(r) == 24 * 300
for row in sm:
    if s(row["name"]).startswith("p_"):
        assert 0 <= row["ci_low"] <= row["estimate"] <= row["ci_high"] <= 1, row
# Outcome classes partition the replications at every point.
for p in range(24):
    tot = sum(sm[(sm["point"] == p) & (np.char.decode(sm["name"]) == class_row(c))]["estimate"][0]
              for c in classes)
    assert abs(tot - 1) < 1e-12, tot
print("names ok")
PY
check "summary names, points and outcome enum of PRODUCT.md" $PY "$T/names.py" "$T/d.h5"
check "histograms of max rung and first breach day" bash -c \
    "h5ls '$T/d.h5/histograms' | grep -q max_rung && h5ls '$T/d.h5/histograms' | grep -q first_breach_day"

# The trace: one line per event, in plain words, ending with the outcome.
expect_exit 0 "trace debate point 19, rep 7" $R trace scenarios/debate.cfg --point 19 --rep 7
check "trace lines start with day and rung" grep -qE "^day +[0-9]+\.[0-9]  rung [0-9]  " "$T/out"
check "trace opens with the set-up" grep -q "ceasefire; 30000 troops, based 100 km" "$T/out"
check "trace ends with the outcome" grep -qE "^outcome: (held_quiet|held_contested|offensive_repelled|breakthrough|coalition_collapse|nato_russia_war)$" "$T/out"
n=0; found=0
while [ $n -lt 40 ]; do
    $R trace scenarios/baseline.cfg --rep $n --set force.troops=10000 --set force.basing_distance_km=50 >"$T/t" 2>&1
    if grep -qE "Russian probe of 4 battalions; [0-9]* force battalions? set off, 50 km away, due in" "$T/t"; then found=1; break; fi
    n=$((n + 1))
done
check "a trace tells a probe with the force's distance and arrival day" [ $found -eq 1 ]
expect_exit 0 "trace is reproducible" $R trace scenarios/baseline.cfg --rep 3
cp "$T/out" "$T/t1"
$R trace scenarios/baseline.cfg --rep 3 >"$T/t2"
check "same trace twice" cmp -s "$T/t1" "$T/t2"
expect_exit 2 "trace --point 24 of 24" $R trace scenarios/debate.cfg --point 24
err_has "the scenario has 24 points (0 to 23)"

# The smallest valid values run and give sane results.
expect_exit 0 "edges: 0 troops, 0 km, 1 day, 1 replication" $R run scenarios/baseline.cfg \
    --set force.troops=0 --set force.basing_distance_km=0 --set horizon_days=1 -n 1 -q -o "$T/e.h5"
# An offensive still under way at the horizon is said to be, in the trace.
expect_exit 0 "trace with an offensive cut by the horizon" $R trace scenarios/baseline.cfg --rep 0 \
    --set horizon_days=6 --set russia.offensive_intent=1 --set russia.offensive_threshold=-1
check "the trace says the offensive is still under way" grep -q "the horizon comes with the offensive still under way" "$T/out"
# trace RESULT.h5 replays the run the file recorded (its scenario and --set).
expect_exit 0 "a run with a --set" $R run scenarios/debate.cfg -n 20 -q --set russia.rationality=3 -o "$T/tr.h5"
$R trace "$T/tr.h5" --point 10 --rep 1 | tail -n +2 >"$T/t_file"
$R trace scenarios/debate.cfg --point 10 --rep 1 --set russia.rationality=3 | tail -n +2 >"$T/t_scn"
check "trace RESULT.h5 tells the same story as the scenario with its --set" cmp -s "$T/t_file" "$T/t_scn"
check "... and a story it is" grep -q "^outcome: " "$T/t_file"
expect_exit 2 "trace RESULT.h5 refuses a --set" $R trace "$T/tr.h5" --set force.troops=5
err_has "a result file replays the run it recorded"
expect_exit 2 "trace --rep beyond the replications" $R trace "$T/tr.h5" --rep 20
err_has "--rep 20: the scenario has 20 replications a point (0 to 19)"

# No silent wrong answer from a rate too small to give a time: mm1 refuses
# it at load; any model whose event time comes out NaN or infinite ends the
# run with an error naming the point and replication, and writes nothing.
M=scenarios/validation/mm1.cfg
expect_exit 2 "mm1: a denormal lambda is refused" $R run $M -n 3 --set mm1.lambda=4.9e-324 -q -o "$T/den.h5"
err_has "mm1.lambda: 4.94066e-324 is too small: the mean time between arrivals 1/lambda is not a finite number"
check "... and nothing is written" test ! -e "$T/den.h5"
expect_exit 2 "mm1: a denormal lambda in a sweep is refused, naming the point" $R check $M \
    --sweep mm1.lambda=0.5,4.9e-324
err_has "(at sweep point 1)"
L=scenarios/validation/lanchester.cfg
# -j 1: every replication fails, and with two threads the one named is the
# first any thread meets (replication 1 when the second thread is first).
expect_exit 1 "lanchester: kill rates whose loss time is infinite end the run with an error" \
    $R run $L -n 3 -j 1 -q --set lanchester.a=4.9e-324 --set lanchester.b=4.9e-324 -o "$T/inf.h5"
err_has "point 0, replication 0: the model scheduled an event at a time that is not a finite number"
check "... and nothing is written" test ! -e "$T/inf.h5"
[ $fails -eq 0 ]
