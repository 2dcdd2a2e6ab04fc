#!/usr/bin/env bash
# Clusters and pre-emption: interrupt and --resume, shares and merge, MPI.
# Every comparison is h5diff of /replications, /summary and /histograms
# against one uninterrupted single-process run.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
S=scenarios/debate.cfg
same_as() { # same_as REFERENCE OTHER: the contract's datasets are equal
    local d
    for d in replications summary histograms points; do
        h5diff -q "$1" "$2" "/$d" "/$d" >/dev/null 2>&1 || return 1
    done
}
md5() { md5sum <"$1"; }

expect_exit 0 "the reference: an uninterrupted run" $R run $S -n 4000 -j 2 -q -o "$T/ref.h5"

# ---- interrupt at a random moment, then resume ------------------------------
for sig in TERM INT; do
    mkdir -p "$T/$sig"
    $R run $S -n 4000 -j 2 -q -o "$T/$sig/r.h5" 2>"$T/err" &
    pid=$!
    sleep "0.$((RANDOM % 6 + 2))"
    kill -$sig $pid
    wait $pid
    rc=$?
    if [ "$(attr "$T/$sig/r.h5" complete)" = 0 ]; then
        check "SIG$sig: exit 1 when interrupted" [ $rc -eq 1 ]
        err_has "finish with the same command and --resume"
        check "SIG$sig: replications_done recorded" [ "$(attr "$T/$sig/r.h5" replications_done)" -ge 0 ]
        check "SIG$sig: no temporary or lock file left" [ "$(ls -A "$T/$sig")" = r.h5 ]
        check "SIG$sig: the partial file is a readable result" bash -c "$R summary $T/$sig/r.h5 >/dev/null"
    else
        ok "SIG$sig: the run finished before the signal (nothing to check)"
    fi
    expect_exit 0 "SIG$sig: --resume" $R run $S -n 4000 -j 1 -q -o "$T/$sig/r.h5" --resume
    check "SIG$sig: resumed result equals the uninterrupted one" same_as "$T/ref.h5" "$T/$sig/r.h5"
    check "SIG$sig: complete = 1" [ "$(attr "$T/$sig/r.h5" complete)" = 1 ]
done

# A stop early in the run, certain to leave work: big blocks of slow points.
$R run $S -n 20000 -j 2 -q -o "$T/early.h5" 2>/dev/null &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
check "early stop: complete = 0" [ "$(attr "$T/early.h5" complete)" = 0 ]
sum_before=$(md5 "$T/early.h5")
expect_exit 2 "a run without --resume does not replace an interrupted result" \
    $R run $S -n 20000 -q -o "$T/early.h5"
err_has "holds an interrupted run"
check "the interrupted result is untouched" [ "$(md5 "$T/early.h5")" = "$sum_before" ]
expect_exit 2 "--resume with another seed is refused" $R run $S -n 20000 -s 1 -q -o "$T/early.h5" --resume
err_has "its seed differs"
expect_exit 2 "--resume with another share is refused" $R run $S -n 20000 --points 0:9 -q \
    -o "$T/early.h5" --resume
err_has "resume it with the same share"
check "refusals leave the file untouched" [ "$(md5 "$T/early.h5")" = "$sum_before" ]
$R run $S -n 20000 -j 2 -q -o "$T/early.h5" --resume &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
expect_exit 0 "interrupted twice, resumed twice" $R run $S -n 20000 -j 2 -q -o "$T/early.h5" --resume
expect_exit 0 "its reference" $R run $S -n 20000 -j 2 -q -o "$T/ref20.h5"
check "twice-interrupted result equals the uninterrupted one" same_as "$T/ref20.h5" "$T/early.h5"
sum=$(md5 "$T/early.h5")
expect_exit 0 "--resume of a complete result does nothing" $R run $S -n 20000 -o "$T/early.h5" --resume
check "... and says so" grep -q "complete already" "$T/out"
check "... and leaves it untouched" [ "$(md5 "$T/early.h5")" = "$sum" ]
expect_exit 0 "--resume with no file runs from the start" $R run $S -n 300 -o "$T/fresh.h5" --resume
check "... and says so" grep -q "ran from the start" "$T/out"

# ---- a stop does not wait for a long replication to end ----------------------
# Each replication here takes several seconds; the stop is looked for between
# slices of events, so the run ends well before the replication would.
# (A generous bound: it guards the behaviour, not the speed.)
$R run scenarios/validation/mm1.cfg -n 4 --set mm1.customers=100000000 -j 2 -q \
    -o "$T/long.h5" 2>/dev/null &
pid=$!
sleep 1
t0=$(date +%s%N)
kill -TERM $pid
wait $pid
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "a stop in the middle of a long replication takes ${ms} ms (< 3000)" [ "$ms" -lt 3000 ]
check "... and keeps no half replication" [ "$(attr "$T/long.h5" replications_done)" = 0 ]

# ---- a second signal exits at once and corrupts nothing ----------------------
# Signals that arrive together count as one (POSIX does not queue them), so
# either the second one ended the run at once — the earlier file untouched —
# or the run had already kept its work; never a damaged or half-written file.
for gap in 0 0.01 0.05; do
    mkdir -p "$T/two$gap"
    cp "$T/ref.h5" "$T/two$gap/r.h5"
    sum=$(md5 "$T/two$gap/r.h5")
    $R run $S -n 100000 -j 2 -q -o "$T/two$gap/r.h5" 2>"$T/err" &
    pid=$!
    sleep 0.4
    kill -TERM $pid
    sleep $gap
    kill -TERM $pid 2>/dev/null
    wait $pid
    rc=$?
    check "two signals ${gap}s apart: exit 1" [ $rc -eq 1 ]
    if [ "$(md5 "$T/two$gap/r.h5")" = "$sum" ]; then
        ok "two signals ${gap}s apart: the earlier result is untouched"
    else
        check "two signals ${gap}s apart: the file is a readable partial result" \
            bash -c "$R summary '$T/two$gap/r.h5' >/dev/null && [ \"\$(h5dump -a /complete '$T/two$gap/r.h5' | grep -c '(0): 0')\" = 1 ]"
    fi
    check "two signals: no temporary or lock file left" [ "$(ls -A "$T/two$gap")" = r.h5 ]
done

# ---- truncated files ---------------------------------------------------------
head -c 20000 "$T/ref.h5" >"$T/trunc.h5"
expect_exit 1 "--resume on a truncated file" $R run $S -n 4000 -q -o "$T/trunc.h5" --resume
err_has "truncated"

# ---- shares and merge --------------------------------------------------------
expect_exit 0 "share: points 0:7" $R run $S -n 4000 -q --points 0:7 -o "$T/a.h5"
expect_exit 0 "share: points 7:24, replications 0:2500" $R run $S -n 4000 -q --points 7:24 \
    --replications 0:2500 -o "$T/b.h5"
expect_exit 0 "share: points 7:24, replications 2500:4000" $R run $S -n 4000 -q --points 7:24 \
    --replications 2500:4000 -o "$T/c.h5"
expect_exit 0 "merge in any order" $R merge "$T/c.h5" "$T/a.h5" "$T/b.h5" -o "$T/m.h5"
check "merged shares equal a single run" same_as "$T/ref.h5" "$T/m.h5"
check "merged: complete = 1" [ "$(attr "$T/m.h5" complete)" = 1 ]
expect_exit 2 "merge refuses overlapping shares" $R merge "$T/a.h5" "$T/a.h5" "$T/b.h5" "$T/c.h5" -o "$T/x.h5"
err_has "overlaps"
expect_exit 2 "merge refuses a missing share" $R merge "$T/a.h5" "$T/b.h5" -o "$T/x.h5"
err_has "merge every share"
expect_exit 0 "a share with another seed" $R run $S -n 4000 -s 9 -q --points 7:24 -o "$T/d.h5"
expect_exit 2 "merge refuses another seed" $R merge "$T/a.h5" "$T/d.h5" -o "$T/x.h5"
err_has "the seed differs"
expect_exit 0 "a share of another scenario" $R run scenarios/baseline.cfg -n 4000 -q -o "$T/e.h5"
expect_exit 2 "merge refuses another scenario" $R merge "$T/a.h5" "$T/e.h5" -o "$T/x.h5"
err_has "the scenario differs"
expect_exit 2 "merge refuses an interrupted input" $R merge "$T/TERM/r.h5" "$T/early.h5" -o "$T/x.h5"
expect_exit 2 "merge refuses to write over an input" $R merge "$T/a.h5" "$T/b.h5" "$T/c.h5" -o "$T/a.h5"
check "no merged file from refusals" [ ! -e "$T/x.h5" ]
expect_exit 2 "--points 5:3" $R run $S -n 10 -q --points 5:3 -o "$T/x.h5"
expect_exit 2 "--points beyond the sweep" $R run $S -n 10 -q --points 0:25 -o "$T/x.h5"
err_has "the scenario has 24 points"
expect_exit 2 "--replications beyond -n" $R run $S -n 10 -q --replications 5:11 -o "$T/x.h5"
expect_exit 0 "--replications N is still -n N" $R run scenarios/validation/mm1.cfg --replications 3 \
    --set mm1.customers=100 -q -o "$T/n.h5"
check "... 3 replications" [ "$(attr "$T/n.h5" replications)" = 3 ]

# ---- the Slurm scripts, run as array tasks would run them (no Slurm here) ----
mkdir -p "$T/parts"
for i in 0 1 2 3; do
    expect_exit 0 "array.sbatch task $i of 4 (points)" env SLURM_ARRAY_TASK_ID=$i \
        SLURM_ARRAY_TASK_COUNT=4 SLURM_CPUS_PER_TASK=1 PARTS_DIR="$T/parts" R="$R" \
        bash tools/slurm/array.sbatch $S -n 4000
done
expect_exit 0 "merge.sbatch" env PARTS_DIR="$T/parts" SCENARIO_OUT="$T/parts/all.h5" \
    bash tools/slurm/merge.sbatch $S 4
check "array tasks + merge equal a single run" same_as "$T/ref.h5" "$T/parts/all.h5"
mkdir -p "$T/rparts"
for i in 0 1 2; do
    expect_exit 0 "array.sbatch task $i of 3 (replications)" env SPLIT=replications \
        SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=3 SLURM_CPUS_PER_TASK=2 \
        PARTS_DIR="$T/rparts" R="$R" bash tools/slurm/array.sbatch $S -n 4000
done
expect_exit 0 "merge.sbatch of replication shares" env PARTS_DIR="$T/rparts" \
    SCENARIO_OUT="$T/rparts/all.h5" bash tools/slurm/merge.sbatch $S 3
check "replication shares + merge equal a single run" same_as "$T/ref.h5" "$T/rparts/all.h5"
expect_exit 0 "hybrid.sbatch outside Slurm runs (and resumes) in one process" \
    env SCENARIO_OUT="$T/hyb.h5" SLURM_CPUS_PER_TASK=2 R="$R" bash tools/slurm/hybrid.sbatch $S -n 4000
check "hybrid.sbatch result equals a single run" same_as "$T/ref.h5" "$T/hyb.h5"

# ---- MPI -----------------------------------------------------------------------
if ! command -v mpirun >/dev/null 2>&1; then
    notok "mpirun is not installed (tools/install-deps.sh installs openmpi-bin)"
elif ! nm -C "$R" 2>/dev/null | grep -q MPI_Init_thread; then
    if [ "$R" = build/reassure ]; then
        notok "$R was built without MPI (mpicc missing at build time?)"
    else
        ok "MPI: not in $R (the sanitizer build is single-process; build/reassure is tested)"
    fi
else
    MPIRUN="mpirun --oversubscribe -np 2"
    [ "$(id -u)" = 0 ] && MPIRUN="mpirun --allow-run-as-root --oversubscribe -np 2"
    expect_exit 0 "mpirun -np 2, -j 1" $MPIRUN $R run $S -n 4000 -j 1 -q -o "$T/mpi.h5"
    check "MPI -np 2 equals one process" same_as "$T/ref.h5" "$T/mpi.h5"
    check "MPI: ranks = 2 recorded" [ "$(attr "$T/mpi.h5" ranks)" = 2 ]
    expect_exit 0 "mpirun -np 3, -j 2" ${MPIRUN/-np 2/-np 3} $R run $S -n 4000 -j 2 -q -o "$T/mpi3.h5"
    check "MPI -np 3 -j 2 equals one process" same_as "$T/ref.h5" "$T/mpi3.h5"
    expect_exit 0 "mpirun -np 2 of a share" $MPIRUN $R run $S -n 4000 -j 1 -q --points 0:7 -o "$T/mpia.h5"
    check "MPI share equals a one-process share" same_as "$T/a.h5" "$T/mpia.h5"
    expect_exit 0 "mpirun -np 2, validation model" $MPIRUN $R run scenarios/validation/lanchester.cfg \
        -n 5000 -j 1 -q -o "$T/mpil.h5"
    expect_exit 0 "one process, validation model" $R run scenarios/validation/lanchester.cfg \
        -n 5000 -j 2 -q -o "$T/l.h5"
    check "MPI lanchester equals one process" same_as "$T/l.h5" "$T/mpil.h5"
fi
[ $fails -eq 0 ]
