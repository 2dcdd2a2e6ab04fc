#!/usr/bin/env bash
# Clusters and pre-emption: interrupt and --resume, shares and merge, MPI.
# Every comparison is bit for bit (tests/e2e/h5serve.py, one Python process
# for the whole script) of /replications, /summary, /histograms and /points
# against one uninterrupted single-process run. Plain MPI at -np 2 and MPI
# shares are checked by test_fold.sh (at -np 1, 2, 3 and 5).
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/h5serve.sh
S=tests/scenarios/cluster.cfg  # the debate's 24 points over a quarter of its horizon
md5() { md5sum <"$1"; }

expect_exit 0 "the reference: an uninterrupted run" $R run $S -n 1500 -j 2 -q -o "$T/ref.h5"

# ---- interrupt through the test hook, then resume ---------------------------
# REASSURE_TEST_STOP_AFTER_BLOCKS=N makes a run stop exactly as a SIGTERM
# would once it has committed N blocks, keeping exactly those: every run
# here checks the interrupted path and knows what it kept. With -n 1500,
# each of the 24 points is cut into blocks of 1024 and 476 replications:
# 1,024 is the most a block holds, reached here whatever the threads (and
# by the resumes below, which go on with 27,000 rows and more), so the
# layout is the same however the blocks are sized (tests/test_worklist.c).
hook() { env REASSURE_TEST_STOP_AFTER_BLOCKS="$@"; }
prefix_of() { # prefix_of REFERENCE PARTIAL ROWS: the partial file's /replications
    # are the reference's first ROWS rows, byte for byte
    h5q prefix "$@"
}
interrupted_ok() { # interrupted_ok WHAT FILE DIR ROWS: the checks of every interrupted result
    check "$1: exit 1 when interrupted" [ "$rc" -eq 1 ]
    err_has "interrupted by SIGTERM: $4 of 36000 replications kept"
    err_has "finish with the same command and --resume"
    check "$1: complete = 0" [ "$(attr "$2" complete)" = 0 ]
    check "$1: replications_done = $4" [ "$(attr "$2" replications_done)" = "$4" ]
    check "$1: the kept rows are the first $4 of an uninterrupted run" prefix_of "$T/ref.h5" "$2" "$4"
    check "$1: no temporary or lock file left" [ "$(ls -A "$3")" = r.h5 ]
    check "$1: the partial file is a readable result" bash -c "$R summary $2 >/dev/null"
}
# blocks: 1 (the first), 2 (a point's last), 11 (mid-point, a later point), 47 (all but the last)
for case in 1:1024 2:1500 11:8524 47:35524; do
    n=${case%:*} rows=${case#*:}
    mkdir -p "$T/hook$n"
    hook $n $R run $S -n 1500 -j 2 -q -o "$T/hook$n/r.h5" 2>"$T/err"
    rc=$?
    interrupted_ok "a stop after block $n" "$T/hook$n/r.h5" "$T/hook$n" $rows
    expect_exit 0 "a stop after block $n: --resume" $R run $S -n 1500 -j 2 -q -o "$T/hook$n/r.h5" --resume
    check "a stop after block $n: resumed result equals the uninterrupted one" same_as "$T/ref.h5" "$T/hook$n/r.h5"
    check "a stop after block $n: complete = 1" [ "$(attr "$T/hook$n/r.h5" complete)" = 1 ]
done
expect_exit 0 "a hook past the last block: the run completes" \
    hook 49 $R run $S -n 1500 -j 2 -q -o "$T/hook49.h5"
check "... and equals the uninterrupted one" same_as "$T/ref.h5" "$T/hook49.h5"

# Interrupted twice, resumed twice. The resume starts at row 2524, 1024
# into point 1: a block of 476 ends point 1, then two per point, so 20 more
# blocks end at row 2524 + 476 + 9 x 1500 + 1024 = 17524.
mkdir -p "$T/twice"
hook 3 $R run $S -n 1500 -j 2 -q -o "$T/twice/r.h5" 2>"$T/err"
rc=$?
interrupted_ok "first stop" "$T/twice/r.h5" "$T/twice" 2524
hook 20 $R run $S -n 1500 -j 2 -q -o "$T/twice/r.h5" --resume 2>"$T/err"
rc=$?
interrupted_ok "a stop of the resumed run" "$T/twice/r.h5" "$T/twice" 17524
expect_exit 0 "interrupted twice, resumed twice" $R run $S -n 1500 -j 2 -q -o "$T/twice/r.h5" --resume
check "twice-interrupted result equals the uninterrupted one" same_as "$T/ref.h5" "$T/twice/r.h5"

# The refusals, on an interrupted result.
mkdir -p "$T/early"
hook 11 $R run $S -n 1500 -j 2 -q -o "$T/early/r.h5" 2>/dev/null
early=$T/early/r.h5
sum_before=$(md5 "$early")
expect_exit 2 "a run without --resume does not replace an interrupted result" \
    $R run $S -n 1500 -q -o "$early"
err_has "holds an interrupted run"
check "the interrupted result is untouched" [ "$(md5 "$early")" = "$sum_before" ]
expect_exit 2 "--resume with another seed is refused" $R run $S -n 1500 -s 1 -q -o "$early" --resume
err_has "its seed differs"
expect_exit 2 "--resume with another share is refused" $R run $S -n 1500 --points 0:9 -q \
    -o "$early" --resume
err_has "resume it with the same share"
check "refusals leave the file untouched" [ "$(md5 "$early")" = "$sum_before" ]
cp "$T/ref.h5" "$T/done.h5"
sum=$(md5 "$T/done.h5")
expect_exit 0 "--resume of a complete result does nothing" $R run $S -n 1500 -o "$T/done.h5" --resume
check "... and says so" grep -q "complete already" "$T/out"
check "... and leaves it untouched" [ "$(md5 "$T/done.h5")" = "$sum" ]
expect_exit 0 "--resume with no file runs from the start" $R run $S -n 300 -o "$T/fresh.h5" --resume
check "... and says so" grep -q "ran from the start" "$T/out"

# ---- a real signal -------------------------------------------------------------
# The signal path itself (the watcher thread, stop_requested): a run of
# 36,000 replications on one thread cannot have finished when it is
# signalled: REASSURE_TEST_WAIT_AFTER_BLOCKS=11 makes it say so on stderr
# and wait for a signal once it has committed 11 blocks (run/commit.c; it
# would go on after a minute), and the signal goes when that line is there,
# so no sleep guesses how fast the machine is, the run keeps exactly those
# 8,524 rows, and a signal the watcher failed to take would let the run
# end complete.
appears() { # appears GLOB: wait (up to 10 s) until a file matches it
    local i
    for i in $(seq 1000); do
        compgen -G "$1" >/dev/null && return 0
        sleep 0.01
    done
    return 1
}
started() { # started DIR: wait (up to 10 s each) for the run's temporary file
    local i  # and for the test hook's line in $T/err
    appears "$1/.r.h5.tmp.*"
    for i in $(seq 1000); do
        grep -q "test hook: .* waiting for a signal" "$T/err" && return 0
        sleep 0.01
    done
    return 1
}
for sig in TERM INT HUP USR1; do  # HUP and USR1 (Slurm's --signal) stop a run as TERM does
    mkdir -p "$T/$sig"
    REASSURE_TEST_WAIT_AFTER_BLOCKS=11 $R run $S -n 1500 -j 1 -q -o "$T/$sig/r.h5" 2>"$T/err" &
    pid=$!
    check "SIG$sig: the run started and committed 11 blocks" started "$T/$sig"
    kill -$sig $pid
    wait $pid
    rc=$?
    check "SIG$sig: exit 1 when interrupted" [ $rc -eq 1 ]
    err_has "interrupted by SIG$sig"
    check "SIG$sig: complete = 0 (the run cannot have finished)" [ "$(attr "$T/$sig/r.h5" complete)" = 0 ]
    done_rows=$(attr "$T/$sig/r.h5" replications_done)
    check "SIG$sig: replications_done ($done_rows) is the rows kept, the first 8524 of all" \
        eval '[ "$done_rows" = 8524 ] && prefix_of "$T/ref.h5" "$T/$sig/r.h5" 8524'
    check "SIG$sig: no temporary or lock file left" [ "$(ls -A "$T/$sig")" = r.h5 ]
    expect_exit 0 "SIG$sig: --resume" $R run $S -n 1500 -j 2 -q -o "$T/$sig/r.h5" --resume
    check "SIG$sig: resumed result equals the uninterrupted one" same_as "$T/ref.h5" "$T/$sig/r.h5"
done

# ---- a stop does not wait for a long replication to end ----------------------
# Each replication here admits 10^10 customers, minutes of work on any
# machine; the stop is looked for between slices of events, so the run ends
# long before a replication would. The signal goes once the run's temporary
# file is there (its watcher is up) and half a second more (inside the
# first replications); the run must be gone within a minute, far less than
# one replication, so a stop that waited for it fails here, not by a clock.
$R run scenarios/validation/mm1.cfg -n 4 --set mm1.customers=10000000000 -j 2 -q \
    -o "$T/long.h5" 2>/dev/null &
pid=$!
appears "$T/.long.h5.tmp.*"
sleep 0.5
kill -TERM $pid
for i in $(seq 600); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
    kill -KILL $pid
    notok "a stop in the middle of long replications: the run was still there a minute later"
else
    ok "a stop in the middle of long replications ends the run, not waiting for them"
fi
wait $pid
check "... with exit 1" [ $? -eq 1 ]
check "... and keeps no half replication" [ "$(attr "$T/long.h5" replications_done)" = 0 ]

# ---- a second signal exits at once and corrupts nothing ----------------------
# Signals that arrive together count as one (POSIX does not queue them), so
# either the second one ended the run at once — the earlier file untouched —
# or the run had already kept its work; never a damaged or half-written file.
# The run waits after 47 of its 48 blocks (REASSURE_TEST_WAIT_AFTER_BLOCKS)
# and is signalled when it says so, instead of computing 2.4 million
# replications to be sure to be under way at 0.4 s: the first signal finds
# 35,524 rows or more to keep, the second comes while they are being
# written or after.
for gap in 0 0.01 0.05; do
    mkdir -p "$T/two$gap"
    cp "$T/ref.h5" "$T/two$gap/r.h5"
    sum=$(md5 "$T/two$gap/r.h5")
    REASSURE_TEST_WAIT_AFTER_BLOCKS=47 $R run $S -n 1500 -j 2 -q --force -o "$T/two$gap/r.h5" 2>"$T/err" &
    pid=$!
    started "$T/two$gap" || echo "# the run did not reach the hook in 10 s" >&2
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
    # (r.h5.partial is the interrupted run's kept work, set aside because a
    # complete result stood under r.h5: not a temporary file.)
    check "two signals: no temporary or lock file left" \
        [ -z "$(ls -A "$T/two$gap" | grep -v '^r\.h5$\|^r\.h5\.partial$')" ]
done

# ---- truncated files ---------------------------------------------------------
head -c 20000 "$T/ref.h5" >"$T/trunc.h5"
expect_exit 1 "--resume on a truncated file" $R run $S -n 1500 -q -o "$T/trunc.h5" --resume
err_has "truncated"

# ---- shares and merge --------------------------------------------------------
expect_exit 0 "share: points 0:7" $R run $S -n 1500 -q --points 0:7 -o "$T/a.h5"
expect_exit 0 "share: points 7:24, replications 0:900" $R run $S -n 1500 -q --points 7:24 \
    --replications 0:900 -o "$T/b.h5"
expect_exit 0 "share: points 7:24, replications 900:1500" $R run $S -n 1500 -q --points 7:24 \
    --replications 900:1500 -o "$T/c.h5"
expect_exit 0 "merge in any order" $R merge "$T/c.h5" "$T/a.h5" "$T/b.h5" -o "$T/m.h5"
check "merged shares equal a single run" same_as "$T/ref.h5" "$T/m.h5"
check "merged: complete = 1" [ "$(attr "$T/m.h5" complete)" = 1 ]
expect_exit 2 "merge refuses overlapping shares" $R merge "$T/a.h5" "$T/a.h5" "$T/b.h5" "$T/c.h5" -o "$T/x.h5"
err_has "overlaps"
expect_exit 2 "merge refuses a missing share" $R merge "$T/a.h5" "$T/b.h5" -o "$T/x.h5"
err_has "merge every share"
expect_exit 0 "a share with another seed" $R run $S -n 1500 -s 9 -q --points 7:24 -o "$T/d.h5"
expect_exit 2 "merge refuses another seed" $R merge "$T/a.h5" "$T/d.h5" -o "$T/x.h5"
err_has "the seed differs"
expect_exit 0 "a share of another scenario" $R run scenarios/baseline.cfg -n 1500 -q -o "$T/e.h5"
expect_exit 2 "merge refuses another scenario" $R merge "$T/a.h5" "$T/e.h5" -o "$T/x.h5"
err_has "the scenario differs"
expect_exit 2 "merge refuses an interrupted input" $R merge "$T/a.h5" "$early" -o "$T/x.h5"
err_has "is an interrupted run (8524 replications done)"
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
        bash tools/slurm/array.sbatch $S -n 1500
done
expect_exit 0 "merge.sbatch" env PARTS_DIR="$T/parts" SCENARIO_OUT="$T/parts/all.h5" \
    bash tools/slurm/merge.sbatch $S 4
check "array tasks + merge equal a single run" same_as "$T/ref.h5" "$T/parts/all.h5"
# merge under a signal: SIGTERM, SIGINT and SIGHUP stop it; a merge has no
# partial result, so nothing is written and its temporary file and lock
# are removed (issue 17: it handled no signal and left both). The signal
# goes in as soon as the temporary file exists (the merge is stopped
# meanwhile, so the signal is taken while it still has rows to copy;
# test_results.c stops it at every point and before the commit).
for sig in TERM INT HUP; do
    $R merge "$T"/parts/*.part*.h5 -q -o "$T/parts/sig.h5" 2>"$T/err" &
    pid=$!
    appears "$T/parts/.sig.h5.tmp.*"
    kill -STOP $pid; kill -$sig $pid; kill -CONT $pid
    wait $pid
    rc=$?
    check "merge, SIG$sig: exit 1" [ $rc -eq 1 ]
    err_has "merge stopped by SIG$sig: nothing written"
    check "merge, SIG$sig: no output, temporary or lock file" \
        [ -z "$(ls -A "$T/parts" | grep 'sig\.h5')" ]
done
mkdir -p "$T/rparts"
for i in 0 1 2; do
    expect_exit 0 "array.sbatch task $i of 3 (replications)" env SPLIT=replications \
        SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=3 SLURM_CPUS_PER_TASK=2 \
        PARTS_DIR="$T/rparts" R="$R" bash tools/slurm/array.sbatch $S -n 1500
done
expect_exit 0 "merge.sbatch of replication shares" env PARTS_DIR="$T/rparts" \
    SCENARIO_OUT="$T/rparts/all.h5" bash tools/slurm/merge.sbatch $S 3
check "replication shares + merge equal a single run" same_as "$T/ref.h5" "$T/rparts/all.h5"
expect_exit 0 "hybrid.sbatch outside Slurm runs (and resumes) in one process" \
    env SCENARIO_OUT="$T/hyb.h5" SLURM_CPUS_PER_TASK=2 R="$R" bash tools/slurm/hybrid.sbatch $S -n 1500
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
    # pml ob1 with the shared-memory btl is what Open MPI picks for ranks on
    # one node; naming it skips probing the network transports (0.2 s of a
    # launch's 0.4 s here, waiting).
    MPIRUN="mpirun --oversubscribe --mca pml ob1 --mca btl self,vader -np 2"
    [ "$(id -u)" = 0 ] && MPIRUN="mpirun --allow-run-as-root ${MPIRUN#mpirun }"
    # (-np 2 -j 1 with rank 0 writing, and a share under mpirun -np 2: test_fold.sh)
    expect_exit 0 "mpirun -np 3, -j 2" ${MPIRUN/-np 2/-np 3} $R run $S -n 1500 -j 2 -q -o "$T/mpi3.h5"
    check "MPI -np 3 -j 2 equals one process" same_as "$T/ref.h5" "$T/mpi3.h5"
    expect_exit 1 "mpirun -np 2, stopped after 11 blocks (the test hook)" \
        $MPIRUN -x REASSURE_TEST_STOP_AFTER_BLOCKS=11 $R run $S -n 1500 -j 1 -q -o "$T/mpistop.h5"
    err_has "interrupted by SIGTERM: 8524 of 36000 replications kept"
    check "MPI stop: complete = 0" [ "$(attr "$T/mpistop.h5" complete)" = 0 ]
    check "MPI stop: the kept rows are the first 8524 of one process's run" \
        prefix_of "$T/ref.h5" "$T/mpistop.h5" 8524
    expect_exit 0 "MPI stop: --resume under mpirun -np 2" $MPIRUN $R run $S -n 1500 -j 1 -q \
        -o "$T/mpistop.h5" --resume
    check "MPI stop: resumed result equals one process" same_as "$T/ref.h5" "$T/mpistop.h5"
    expect_exit 0 "mpirun -np 2, validation model" $MPIRUN $R run scenarios/validation/lanchester.cfg \
        -n 5000 -j 1 -q -o "$T/mpil.h5"
    expect_exit 0 "one process, validation model" $R run scenarios/validation/lanchester.cfg \
        -n 5000 -j 2 -q -o "$T/l.h5"
    check "MPI lanchester equals one process" same_as "$T/l.h5" "$T/mpil.h5"
    # merge is one process's work: under mpirun rank 0 merges, once, and
    # the other ranks succeed doing nothing (every rank used to write it).
    expect_exit 0 "mpirun -np 2 merge" $MPIRUN $R merge "$T/c.h5" "$T/a.h5" "$T/b.h5" -o "$T/mpim.h5"
    check "MPI merge: written and reported once" [ "$(grep -c '^wrote ' "$T/out")" = 1 ]
    check "MPI merge equals one process's merge" same_as "$T/m.h5" "$T/mpim.h5"
fi
[ $fails -eq 0 ]
