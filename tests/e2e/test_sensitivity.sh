#!/usr/bin/env bash
# lhs and sobol sweeps through the command line: check, the command line's
# limits, /points of a design, and /sensitivity with its ranked table and
# chart (Ishigami, whose indices are known; the shipped sensitivity.cfg is
# checked here, and run in tests/e2e/test_docs.sh).
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
PY=/usr/bin/python3

cat >"$T/lhs.cfg" <<'EOF'
model = "mm1";
replications = 2;
seed = 7;
mm1 = { mu = 2.0; customers = 50; };
sweep = {
  design = "lhs";
  points = 37;
  parameters = (
    { key = "mm1.lambda";    range = [0.1, 0.9]; },
    { key = "mm1.customers"; range = [10, 20]; }
  );
};
EOF
cat >"$T/ishigami.cfg" <<'EOF'
model = "ishigami";
replications = 1;
seed = 3;
sweep = {
  design = "sobol";
  samples = 1024;
  parameters = (
    { key = "ishigami.x1"; range = [-3.141592653589793, 3.141592653589793]; },
    { key = "ishigami.x2"; range = [-3.141592653589793, 3.141592653589793]; },
    { key = "ishigami.x3"; range = [-3.141592653589793, 3.141592653589793]; }
  );
};
EOF

# ---- check -------------------------------------------------------------------
expect_exit 0 "check an lhs sweep" $R check "$T/lhs.cfg"
check "check names the lhs design and its points" \
    grep -q "^sweep: 2 keys, 37 points (lhs design: a Latin hypercube drawn from seed 7)" "$T/out"
check "check shows each key's range" grep -qE "^  mm1.lambda +range \[0.1, 0.9\] 1/time, uniform$" "$T/out"
check "check says integers are rounded" grep -q "range \[10, 20\] customers, uniform, rounded" "$T/out"
check "check lists the drawn points" grep -qE "^ +36 +0\.[0-9]+ +1[0-9]|^ +36 +0\.[0-9]+ +20" "$T/out"
check "check shows total replications" grep -q "total replications: 74 (37 points x 2)" "$T/out"
expect_exit 0 "check the shipped sensitivity.cfg" $R check scenarios/sensitivity.cfg
check "sensitivity.cfg: 10 keys, 256 x 12 points" \
    grep -q "^sweep: 10 keys, 3072 points (sobol design: 256 samples x (10 keys + 2)" "$T/out"
check "sensitivity.cfg: output p_rung_ge_7" grep -q "^  outputs: p_rung_ge_7 " "$T/out"
check "sensitivity.cfg: the backstop splits evenly" \
    grep -qE "^  us_backstop.enabled +false or true, even chances" "$T/out"
expect_exit 0 "check the Ishigami validation scenario" $R check scenarios/validation/ishigami.cfg
check "ishigami.cfg: 4096 x 5 points" grep -q "^sweep: 3 keys, 20480 points (sobol" "$T/out"
check "ishigami.cfg: its output is mean_y" grep -q "^  outputs: mean_y " "$T/out"
expect_exit 0 "check: -s changes an lhs design" $R check "$T/lhs.cfg" -s 8
check "the design is drawn from the new seed" grep -q "drawn from seed 8" "$T/out"
expect_exit 0 "check: --set pins a key of the design" $R check "$T/lhs.cfg" --set mm1.customers=12
check "one key left, same number of points" grep -q "^sweep: 1 key, 37 points (lhs" "$T/out"
expect_exit 2 "--sweep on an lhs design" $R check "$T/lhs.cfg" --sweep mm1.mu=2,3
err_has 'mm1.mu: --sweep lists grid values, but the file'"'"'s sweep is an lhs design'
expect_exit 2 "--sweep on a sobol design" $R run scenarios/sensitivity.cfg --sweep force.troops=1000,2000 -o "$T/x.h5"
err_has "the file's sweep is a sobol design"
check "no output written" [ ! -e "$T/x.h5" ]

# ---- an lhs run: /points ---------------------------------------------------------
expect_exit 0 "run an lhs sweep" $R run "$T/lhs.cfg" -q -j 2 -o "$T/lhs.h5"
cat >"$T/points.py" <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
p = f["/points"][...]
assert list(p.dtype.names) == ["point", "mm1.lambda", "mm1.customers"], p.dtype.names
n = int(sys.argv[2])
assert len(p) == n and list(p["point"]) == list(range(n)), len(p)
lam = p["mm1.lambda"]
assert ((lam >= 0.1) & (lam < 0.9)).all()
# a Latin hypercube: one point in each of the n strata of each range
assert sorted(np.floor((lam - 0.1) / 0.8 * n).astype(int)) == list(range(n))
c = p["mm1.customers"]
assert ((c >= 10) & (c <= 20)).all() and c.dtype.kind == "i"
assert len(f["/replications"]) == 2 * n and int(f.attrs["points"]) == n
assert "/sensitivity" not in f   # only a sobol sweep has indices
PY
check "/points: one row per drawn point, stratified, in range" $PY "$T/points.py" "$T/lhs.h5" 37
expect_exit 0 "the same lhs run again" $R run "$T/lhs.cfg" -q -j 1 -o "$T/lhs2.h5"
check "same seed: identical /points and /summary" bash -c \
    "h5same '$T/lhs.h5' '$T/lhs2.h5' /points && h5same '$T/lhs.h5' '$T/lhs2.h5' /summary"
expect_exit 0 "an lhs run with another seed" $R run "$T/lhs.cfg" -q -s 8 -o "$T/lhs3.h5"
check "another seed: other points" bash -c "! h5same '$T/lhs.h5' '$T/lhs3.h5' /points"

# ---- a sobol run: /sensitivity ------------------------------------------------------
# (The /sensitivity checks below need run.c to call sens_write; /points holds
# without it.)
expect_exit 0 "run an Ishigami sobol sweep" $R run "$T/ishigami.cfg" -j 2 -o "$T/ish.h5"
cat >"$T/sens.py" <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
p = f["/points"][...]
assert len(p) == 1024 * 5, len(p)
x = np.stack([p["ishigami.x1"], p["ishigami.x2"], p["ishigami.x3"]], 1).reshape(1024, 5, 3)
A, B = x[:, 0], x[:, 1]
for j in range(3):  # AB^j: A with column j from B
    want = A.copy()
    want[:, j] = B[:, j]
    assert (x[:, 2 + j] == want).all()
print("points ok")
s = f["/sensitivity"][...]
assert list(s.dtype.names) == ["output", "parameter", "S1", "S1_ci_low", "S1_ci_high",
                               "ST", "ST_ci_low", "ST_ci_high"], s.dtype.names
assert [o.decode() for o in s["output"]] == ["mean_y"] * 3
assert [q.decode() for q in s["parameter"]] == ["ishigami.x1", "ishigami.x2", "ishigami.x3"]
pi = np.pi
a, b = 7.0, 0.1
V = a * a / 8 + b * pi**4 / 5 + b * b * pi**8 / 18 + 0.5
V13 = b * b * pi**8 * (1 / 18 - 1 / 50)
S1 = [0.5 * (1 + b * pi**4 / 5) ** 2 / V, a * a / 8 / V, 0.0]
ST = [S1[0] + V13 / V, S1[1], V13 / V]
for r, s1, st in zip(s, S1, ST):
    assert r["S1_ci_low"] <= s1 <= r["S1_ci_high"], (r, s1)
    assert r["ST_ci_low"] <= st <= r["ST_ci_high"], (r, st)
    assert abs(r["S1"] - s1) < 0.08 and abs(r["ST"] - st) < 0.08, (r, s1, st)
assert int(f["/sensitivity"].attrs["samples"]) == 1024
assert int(f["/sensitivity"].attrs["bootstrap_resamples"]) == 1000
print("sensitivity ok")
PY
$PY "$T/sens.py" "$T/ish.h5" >"$T/sens.out" 2>&1
check "sobol /points: A, B and AB^j rows in Saltelli's order" grep -q "points ok" "$T/sens.out"
check "/sensitivity: the contract's columns; Ishigami's exact indices within the intervals" \
    grep -q "sensitivity ok" "$T/sens.out"
grep -q "sensitivity ok" "$T/sens.out" || sed 's/^/    /' "$T/sens.out" | tail -3
check "run prints the table ranked by ST (x1, x2, x3)" bash -c \
    "grep -A5 '^Sobol indices of mean_y, ranked by total effect ST' '$T/out' | grep -E '^ +1  ishigami.x1 ' >/dev/null && grep -qE '^ +3  ishigami.x3 ' '$T/out'"
expect_exit 0 "summary of the sobol result" $R summary "$T/ish.h5"
check "summary prints the same ranked table" bash -c \
    "grep -A6 '^Sobol indices of mean_y' '$T/out' >'$T/t1'; $R run '$T/ishigami.cfg' -q -o '$T/ish2.h5' && $R summary '$T/ish2.h5' | grep -A6 '^Sobol indices of mean_y' >'$T/t2' && [ -s '$T/t1' ] && cmp -s '$T/t1' '$T/t2'"
check "the same seed gives the same /sensitivity bit for bit" \
    h5same "$T/ish.h5" "$T/ish2.h5" /sensitivity
check "summary --csv keeps the per-point rows" bash -c \
    "[ \$($R summary '$T/ish.h5' --csv | wc -l) -eq 5121 ]"

# The shipped reassurance analysis (a table per output, its chart) is
# checked by tests/e2e/test_docs.sh on docs/model.md's run of it, which
# tools/docblocks makes anyway (3072 points: a run of it costs 4 s of
# per-point set-up however few its replications).

# tools/plot: the sensitivity chart, for any model; an lhs result as a scatter.
if $PY -c "import matplotlib" 2>/dev/null; then
    cat >"$T/rlhs.cfg" <<'EOF'
replications = 10;
sweep = { design = "lhs"; points = 45; parameters = (
  { key = "force.troops"; range = [10000, 30000]; },
  { key = "force.mandate"; values = ["deterrence", "monitoring"]; },
  { key = "us_backstop.enabled"; } ); };
EOF
    expect_exit 0 "an lhs sweep of the reassurance model" $R run "$T/rlhs.cfg" -q -o "$T/rlhs.h5"
    # Both tools/plot command lines in one Python process (plot_jobs,
    # tests/e2e/plotjobs.py), each checked as if run alone.
    . tests/e2e/plotjobs.sh
    plot_jobs "rlhs $T/rlhs.h5 -o $T/png" "ish $T/ish.h5 -o $T/png"
    expect_exit 0 "plot it" plotted rlhs
    check "lhs: risk (a scatter), outcomes and first-breach charts" bash -c \
        "for c in risk outcomes first-breach; do head -c 8 '$T/png/rlhs-'\$c.png | grep -q PNG || exit 1; done"
    expect_exit 0 "plot the Ishigami result" plotted ish
    check "ishigami: only the sensitivity chart" bash -c \
        "[ \"\$(ls '$T/png' | grep '^ish')\" = ish-sensitivity.png ] && grep -qx '$T/png/ish-sensitivity.png' '$T/out'"
else
    notok "python3-matplotlib is not installed (tools/install-deps.sh installs it)"
fi
[ $fails -eq 0 ]
