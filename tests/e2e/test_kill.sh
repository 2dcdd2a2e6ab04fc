#!/usr/bin/env bash
# kill -9: SIGKILL (Slurm after KillWait, the OOM killer, a lost node)
# cannot be caught, so a run saves its finished replications as it goes
# (--checkpoint, --checkpoint-blocks) and --resume goes on from the last
# checkpoint, equal to an uninterrupted run bit for bit (h5same's rule, of
# /replications, /summary, /histograms, /points). A kill before any
# checkpoint leaves no result: --resume then starts afresh. Either way
# the next run removes the dead one's temporary file. The comparisons with
# the uninterrupted run go through one Python process (tests/e2e/h5serve.sh).
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/h5serve.sh
S=tests/scenarios/cluster.cfg  # the debate's 24 points over a quarter of its horizon
no_leftovers() { # no_leftovers DIR: no temporary or lock file
    [ -z "$(ls -A "$1" | grep -E '\.(tmp\.|lock$)')" ]
}
same_run() { # same_run "what" A B: /replications, /summary, /histograms, /points
    check "$1" h5q same "$2" "$3" /replications /summary /histograms /points
}
cat >"$T/checks.py" <<'PY'
import h5py


def first_rows(ref_path, part_path, n):
    """part's /replications is ref's first n rows, byte for byte."""
    ref, part, n = h5py.File(ref_path, "r"), h5py.File(part_path, "r"), int(n)
    a = part["/replications"][...]
    assert len(a) == n and a.tobytes() == ref["/replications"][:n].tobytes(), len(a)
PY
# -n 200: each point one block of 200 (24 blocks in all; acc_fold_reps gives
# a point one block up to 1024 replications). The blocks, not their size,
# are what the exact points below count, and the random moments further
# down share this reference.
expect_exit 0 "the reference: an uninterrupted run" $R run $S -n 200 -j 2 -q -o "$T/ref.h5"

# ---- at exact points: REASSURE_TEST_KILL_AFTER_BLOCKS=N kills the run
# (SIGKILL, by itself) once it has committed N blocks ----------------------
killed() { # killed N ARGS...: a run that kills itself after N blocks (the shell's
    # "Killed" notice is kept out of the log); its status in $rc
    local n=$1; shift
    ( env REASSURE_TEST_KILL_AFTER_BLOCKS=$n $R run "$@" 2>/dev/null; echo $? >"$T/rc" ) 2>/dev/null
    rc=$(cat "$T/rc")
}
mkdir -p "$T/a"
killed 7 $S -n 200 -j 2 -q --checkpoint-blocks 3 -o "$T/a/r.h5"
check "killed after 7 blocks: died of SIGKILL (137)" [ $rc -eq 137 ]
check "the checkpoint after block 6 is the file: complete = 0" [ "$(attr "$T/a/r.h5" complete)" = 0 ]
check "it holds the 6 blocks' 1200 rows" [ "$(attr "$T/a/r.h5" replications_done)" = 1200 ]
cp "$T/a/r.h5" "$T/a6.h5"
check "they are the uninterrupted run's first 1200 rows, byte for byte" py_check \
    first_rows "$T/ref.h5" "$T/a6.h5" 1200
check "the dead run's temporary file is there" [ -n "$(ls -A "$T/a" | grep '^\.r\.h5\.tmp\.')" ]
expect_exit 0 "--resume after the kill" $R run $S -n 200 -j 2 --resume -o "$T/a/r.h5"
check "it went on from the checkpoint" grep -q "resumed: 1200 replications were in the file" "$T/out"
same_run "--resume after kill -9 equals the uninterrupted run" "$T/ref.h5" "$T/a/r.h5"
check "the dead run's temporary file is removed" no_leftovers "$T/a"

# Over a complete result (--force): the checkpoint goes to NAME.partial,
# the complete result stays; --resume finishes from the .partial.
mkdir -p "$T/b"
$R run scenarios/validation/mm1.cfg -n 2 --set mm1.customers=10 -q -o "$T/b/r.h5"
sum=$(md5sum <"$T/b/r.h5")
killed 5 $S -n 200 -j 2 -q --force --checkpoint-blocks 2 -o "$T/b/r.h5"
check "--force, killed: the complete result is untouched" [ "$(md5sum <"$T/b/r.h5")" = "$sum" ]
check "--force, killed: the checkpoint (4 blocks) is r.h5.partial" \
    [ "$(attr "$T/b/r.h5.partial" replications_done)" = 800 ]
expect_exit 0 "--resume from the .partial" $R run $S -n 200 -j 2 -q --resume -o "$T/b/r.h5"
same_run "it equals the uninterrupted run" "$T/ref.h5" "$T/b/r.h5"
check "the .partial is spent" [ ! -e "$T/b/r.h5.partial" ]

# Checkpoints by time: --checkpoint 0.001 saves after the first block (and
# then at most a tenth of the time); --checkpoint 0 never.
mkdir -p "$T/c"
killed 7 $S -n 200 -j 2 -q --checkpoint 0.001 -o "$T/c/t.h5"
check "--checkpoint 0.001: a checkpoint by block 7" [ "$(attr "$T/c/t.h5" complete)" = 0 ]
killed 7 $S -n 200 -j 2 -q --checkpoint 0 -o "$T/c/n.h5"
check "--checkpoint 0: no result after the kill" [ ! -e "$T/c/n.h5" ]
expect_exit 0 "--resume with nothing to resume starts afresh" $R run $S -n 200 -j 2 --resume \
    -o "$T/c/n.h5"
same_run "and equals the uninterrupted run" "$T/ref.h5" "$T/c/n.h5"
expect_exit 2 "--checkpoint -1 is refused" $R run $S --checkpoint -1 -o "$T/c/x.h5"
expect_exit 2 "--checkpoint-blocks 0 is refused" $R run $S --checkpoint-blocks 0 -o "$T/c/x.h5"

# A run killed after its final rename, before it dropped its lock, leaves
# a complete result, its lock file and (in a checkpointing run) perhaps a
# temporary: --resume has nothing to write but leaves no trace of them.
mkdir -p "$T/late"
cp "$T/ref.h5" "$T/late/r.h5"
touch "$T/late/.r.h5.lock" "$T/late/.r.h5.tmp.AbC123"
expect_exit 0 "killed after its rename: --resume of the complete result" \
    $R run $S -n 200 -j 2 -q --resume -o "$T/late/r.h5"
check "... removes the dead run's lock file and temporary" no_leftovers "$T/late"

# ---- kill -9 at 20 random moments ------------------------------------------
# A checkpoint every 2 blocks, so most moments fall after one; whatever the
# moment (before the first checkpoint, in one, between them, at the end),
# --resume gives the uninterrupted result and leaves nothing behind. (How
# many resumed from a checkpoint depends on timing: reported, not checked;
# the exact points above are the checked ones.)
# The moments are spread over the time one such run takes here (of -n 200,
# like those above, against the same reference).
t0=$(date +%s%N)
$R run $S -n 200 -j 2 -q --checkpoint-blocks 2 -o "$T/timed.h5"
span_ms=$(( ($(date +%s%N) - t0) / 1000000 + 1 ))
RANDOM=17
from_checkpoint=0
for i in $(seq 20); do
    d="$T/k$i"
    mkdir -p "$d"
    $R run $S -n 200 -j 2 -q --checkpoint-blocks 2 -o "$d/r.h5" 2>/dev/null &
    pid=$!
    ms=$(( (RANDOM * 32768 + RANDOM) % span_ms ))
    sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
    kill -KILL $pid 2>/dev/null
    wait $pid 2>/dev/null
    [ -e "$d/r.h5" ] && [ "$(attr "$d/r.h5" complete)" = 0 ] && from_checkpoint=$((from_checkpoint + 1))
    if $R run $S -n 200 -j 2 -q --resume -o "$d/r.h5" 2>"$T/err"; then
        check "kill -9 at moment $i: no temporary or lock file left" no_leftovers "$d"
        same_run "kill -9 at moment $i: --resume equals the uninterrupted run" "$T/ref.h5" "$d/r.h5"
    else
        notok "kill -9 at moment $i: --resume failed"; sed 's/^/    /' "$T/err" | head -3
    fi
done
echo "# kill -9 at moments within ${span_ms} ms: $from_checkpoint of 20 resumed from a checkpoint"
[ $fails -eq 0 ]
