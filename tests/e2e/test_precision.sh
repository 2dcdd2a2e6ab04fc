#!/usr/bin/env bash
# --precision P: sequential stopping. Batches are added until every p_* at
# every point has a 95% half-width <= P (or the cap); deterministic for a
# seed whatever the threads and ranks; the replications used are recorded.
# The Python checks (the half-widths, the comparisons) go through one
# Python process (tests/e2e/h5serve.sh).
# Under AddressSanitizer (make asan: R is a binary with __asan_init) this is
# a smoke test, which needs each code path once: it leaves out the -j 1 run
# (the resumes below run their rounds at -j 1) and the Slurm script (the
# same C path as the --resume with nothing to resume; --shards does nothing
# in one process); the normal build runs both.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/h5serve.sh
asan=0
nm "$R" 2>/dev/null | grep -q __asan_init && asan=1
S=tests/scenarios/cluster.cfg  # the debate's 24 points over a quarter of its horizon
expect_exit 0 "--precision 0.03, -j 2" $R run $S -n 200 --precision 0.03 -j 2 -q -o "$T/a.h5"
if [ $asan = 0 ]; then
    expect_exit 0 "--precision 0.03, -j 1" $R run $S -n 200 --precision 0.03 -j 1 -q -o "$T/b.h5"
    for d in replications summary replications_used; do
        check "deterministic across -j: /$d" h5q same "$T/a.h5" "$T/b.h5" "/$d"
    done
else
    ok "-j 1 against -j 2: on the normal build (under ASan the -j 1 resumes below run -j 1)"
fi
cat >"$T/checks.py" <<'PY'
import h5py
import numpy as np


def half_widths(path, P, cap):
    """Every p_* half-width <= P unless the point hit the cap."""
    f = h5py.File(path, "r")
    P, cap = float(P), int(cap)
    used = f["/replications_used"][:, 0]
    s = f["/summary"][...]
    # Conditional shares (p_offensive_succeeds: its n is the replications with
    # an offensive) do not set the stopping rule.
    cond = {"p_offensive_succeeds"}
    uncond = lambda r: r["name"].decode().startswith("p_") and r["name"].decode() not in cond
    bad = [(int(r["point"]), r["name"].decode(), (r["ci_high"] - r["ci_low"]) / 2)
           for r in s if uncond(r)
           and (r["ci_high"] - r["ci_low"]) / 2 > P + 1e-12 and used[r["point"]] < cap]
    assert not bad, bad[:5]
    # n of every summary row is the replications used at its point
    assert all(r["n"] == used[r["point"]] for r in s if uncond(r))
    assert all(r["n"] <= used[r["point"]] for r in s if r["name"].decode() in cond)
    # /replications holds exactly the replications used, reps 0..n-1 at each point
    reps = f["/replications"][...]
    for p in range(len(used)):
        r = np.sort(reps["rep"][reps["point"] == p])
        assert len(r) == used[p] and (r == np.arange(used[p])).all(), p
    assert used.min() >= 200


def not_all_alike(path):
    u = h5py.File(path, "r")["/replications_used"][:, 0]
    assert len(set(u)) > 1, u


def first_rows(ref_path, part_path):
    """The stopped file keeps more than the first round's 4800 rows, as
    replications_done says, the uninterrupted run's first rows, counted in
    /replications_used."""
    ref, part = h5py.File(ref_path, "r"), h5py.File(part_path, "r")
    a = part["/replications"][...]
    n = int(part.attrs["replications_done"])
    assert 4800 < n == len(a) == part["/replications_used"][:, 0].sum(), (n, len(a))
    assert a.tobytes() == ref["/replications"][:n].tobytes()


def all_at(path, cap):
    u = h5py.File(path, "r")["/replications_used"][:, 0]
    assert (u == int(cap)).all(), u
PY
check "every p_* half-width <= 0.03, n = replications used" py_check half_widths "$T/a.h5" 0.03 1000000
check "points needing more got more (not all alike)" py_check not_all_alike "$T/a.h5"
# Interrupted in its second round (the test hook: a SIGTERM after 50 blocks;
# the first round is 48 blocks, 150 and 50 replications of each point): the
# kept rows are the first rows of the uninterrupted run, and
# /replications_used counts them.
expect_exit 1 "--precision stopped in its second round" env REASSURE_TEST_STOP_AFTER_BLOCKS=50 \
    $R run $S -n 200 --precision 0.03 -j 2 -q -o "$T/stop.h5"
err_has "interrupted by SIGTERM"
check "stopped: complete = 0" [ "$(attr "$T/stop.h5" complete)" = 0 ]
check "stopped: 4800 + 2 blocks kept, the uninterrupted run's first rows, counted in /replications_used" py_check \
    first_rows "$T/a.h5" "$T/stop.h5"
# Resumable (issue 17: it was refused, and the interrupted file could only
# be deleted): the rows kept are the rounds' rows in order, and --resume
# replays the rounds' decisions from them. Stopped at the end of the first
# round (48 blocks) and in the third (150: past the second round, which
# takes every point from 200 to 800 replications), and twice in a row (in the
# first round, then in the second): each resumed result equals the
# uninterrupted run. (The refusals below need only a stopped file: theirs
# is the one above, of --precision 0.03 stopped in its second round.)
for stop in 48 150; do
    env REASSURE_TEST_STOP_AFTER_BLOCKS=$stop $R run $S -n 200 --precision 0.03 -j 2 -q \
        -o "$T/r$stop.h5" 2>/dev/null
    expect_exit 0 "--precision stopped after $stop blocks, --resume" $R run $S -n 200 \
        --precision 0.03 -j 1 -q --resume -o "$T/r$stop.h5"
    for d in replications summary histograms points replications_used; do
        check "resumed after $stop blocks equals the uninterrupted run: /$d" h5q same \
            "$T/a.h5" "$T/r$stop.h5" "/$d"
    done
done
for stop in 20 30; do
    env REASSURE_TEST_STOP_AFTER_BLOCKS=$stop $R run $S -n 200 --precision 0.03 -j 2 -q --resume \
        -o "$T/chain.h5" 2>/dev/null
done
check "stopped twice (20, then 50 blocks): still interrupted" [ "$(attr "$T/chain.h5" complete)" = 0 ]
expect_exit 0 "and resumed" $R run $S -n 200 --precision 0.03 -j 2 -q --resume -o "$T/chain.h5"
for d in replications summary replications_used; do
    check "stopped twice, resumed: equals the uninterrupted run: /$d" h5q same \
        "$T/a.h5" "$T/chain.h5" "/$d"
done
# Killed (SIGKILL after 61 blocks, a checkpoint every 10): the checkpoint of
# 60 blocks, in the second round, is where --resume goes on.
( env REASSURE_TEST_KILL_AFTER_BLOCKS=61 $R run $S -n 200 --precision 0.03 -j 2 -q \
    --checkpoint-blocks 10 -o "$T/k.h5" 2>/dev/null; true ) 2>/dev/null
check "--precision killed: the checkpoint is in the second round" \
    [ "$(attr "$T/k.h5" replications_done)" -gt 4800 ]
expect_exit 0 "--precision killed, --resume" $R run $S -n 200 --precision 0.03 -j 2 -q --resume \
    -o "$T/k.h5"
for d in replications summary replications_used; do
    check "killed, resumed: equals the uninterrupted run: /$d" h5q same "$T/a.h5" "$T/k.h5" "/$d"
done
# --resume with nothing to resume starts afresh, as it does without
# --precision; an interrupted file of another --precision, or of a run
# without it, is refused.
expect_exit 0 "--precision --resume with nothing to resume runs from the start" \
    $R run $S -n 200 --precision 0.03 -j 2 --resume -o "$T/fresh.h5"
grep -q "did not exist; ran from the start" "$T/out"
check "it says it ran from the start" [ $? -eq 0 ]
check "and equals the uninterrupted run" h5q same "$T/a.h5" "$T/fresh.h5" /replications
cp "$T/stop.h5" "$T/p0.h5"
expect_exit 2 "--resume with another --precision" $R run $S -n 200 --precision 0.02 -q --resume \
    -o "$T/stop.h5"
err_has "it is a --precision 0.03 --max-replications 1000000 run"
expect_exit 2 "--resume without --precision" $R run $S -n 200 -q --resume -o "$T/stop.h5"
err_has "it is a --precision 0.03"
check "refused: the interrupted file is untouched" cmp -s "$T/stop.h5" "$T/p0.h5"
env REASSURE_TEST_STOP_AFTER_BLOCKS=5 $R run $S -n 200 -q -o "$T/np.h5" 2>/dev/null
expect_exit 2 "--precision --resume of a run without --precision" $R run $S -n 200 \
    --precision 0.02 -q --resume -o "$T/np.h5"
err_has "it is not a --precision run"
# The Slurm script passes --resume always: --precision goes through it.
if [ $asan = 0 ]; then
    expect_exit 0 "hybrid.sbatch scenarios/debate.cfg --precision 0.05 (outside Slurm)" \
        env SCENARIO_OUT="$T/hyb.h5" SLURM_CPUS_PER_TASK=2 R="$R" \
        bash tools/slurm/hybrid.sbatch scenarios/debate.cfg -n 100 --precision 0.05
    check "hybrid.sbatch --precision: complete" [ "$(attr "$T/hyb.h5" complete)" = 1 ]
else
    ok "hybrid.sbatch: on the normal build (its C path is the --resume with nothing to resume)"
fi
# A cap of 400 cuts the second round (200 to 800) short at every point:
# the cap's rule is the same whatever its size, and this one costs 9,600
# replications where a cap of 1000 (the third round cut short) cost 24,000.
expect_exit 0 "a cap of 400" $R run $S -n 200 --precision 0.005 --max-replications 400 -q -o "$T/c.h5"
check "the cap holds: every point stopped at 400" py_check all_at "$T/c.h5" 400
check "precision attributes recorded" [ "$(attr "$T/c.h5" precision)" = 0.005 ]
expect_exit 0 "the lanchester validation model" $R run scenarios/validation/lanchester.cfg -n 100 \
    --precision 0.01 -q -o "$T/l.h5"
check "lanchester: p_x_wins half-width <= 0.01" py_check half_widths "$T/l.h5" 0.01 1000000
expect_exit 2 "--precision on a model without proportions" $R run scenarios/validation/mm1.cfg \
    --precision 0.1 -q -o "$T/x.h5"
err_has "no proportions"
expect_exit 2 "--precision 0" $R run $S --precision 0 -q -o "$T/x.h5"
expect_exit 2 "--precision 0.7" $R run $S --precision 0.7 -q -o "$T/x.h5"
err_has "(0, 0.5]"
expect_exit 2 "--max-replications without --precision" $R run $S --max-replications 10 -q -o "$T/x.h5"
expect_exit 2 "--max-replications below the first batch" $R run $S -n 500 --precision 0.1 \
    --max-replications 100 -q -o "$T/x.h5"
expect_exit 2 "--precision with a share" $R run $S --precision 0.1 --points 0:3 -q -o "$T/x.h5"
check "no file from refusals" [ ! -e "$T/x.h5" ]
if command -v mpirun >/dev/null 2>&1 && nm "$R" 2>/dev/null | grep -q MPI_Init_thread; then
    MPIRUN="mpirun --oversubscribe -np 2"
    [ "$(id -u)" = 0 ] && MPIRUN="mpirun --allow-run-as-root --oversubscribe -np 2"
    expect_exit 0 "--precision under mpirun -np 2" $MPIRUN $R run $S -n 200 --precision 0.03 -j 1 \
        -q -o "$T/m.h5"
    for d in replications summary replications_used; do
        check "MPI equals one process: /$d" h5q same "$T/a.h5" "$T/m.h5" "/$d"
    done
    # Stopped in its third round under two ranks, resumed under two ranks
    # (rank 0 replays the rounds and tells the other rank where to go on).
    env REASSURE_TEST_STOP_AFTER_BLOCKS=150 $MPIRUN -x REASSURE_TEST_STOP_AFTER_BLOCKS $R run $S \
        -n 200 --precision 0.03 -j 1 -q -o "$T/mr.h5" >/dev/null 2>&1
    check "MPI: stopped (complete = 0)" [ "$(attr "$T/mr.h5" complete)" = 0 ]
    expect_exit 0 "MPI: --precision --resume" $MPIRUN $R run $S -n 200 --precision 0.03 -j 1 -q \
        --resume -o "$T/mr.h5"
    for d in replications summary replications_used; do
        check "MPI, stopped and resumed, equals one process: /$d" h5q same \
            "$T/a.h5" "$T/mr.h5" "/$d"
    done
else
    ok "MPI: not in $R (tested on the MPI build)"
fi
expect_exit 2 "merge refuses a --precision result" $R merge "$T/a.h5" -o "$T/y.h5"
err_has "cannot be merged"
[ $fails -eq 0 ]
