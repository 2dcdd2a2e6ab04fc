#!/usr/bin/env bash
# Faults: a full disk, a read-only folder, two runs writing one file. Each
# gets a clear message and exit 1; nothing is lost, no partial file stays.
# (Missing folder, output a folder, output = scenario: test_results.sh;
# truncated result files: test_summary.sh.)
# Under AddressSanitizer (make asan: R is a binary with __asan_init) this is
# a smoke test, which needs each code path once: the disk-full sweep below
# runs five of its 24 cases there, one for each way the sweep fails or
# fits (named below); the normal build runs all 24.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
asan=0
nm "$R" 2>/dev/null | grep -q __asan_init && asan=1
M="$T/mnt"
mkdir -p "$M"
cleanup() { umount "$M" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=300k tmpfs "$M" 2>/dev/null; then
    expect_exit 0 "a small earlier result fits" $R run scenarios/validation/mm1.cfg -n 2 \
        --set mm1.customers=10 -q -o "$M/keep.h5"
    before=$(md5sum <"$M/keep.h5")
    expect_exit 1 "disk full" $R run scenarios/debate.cfg -n 3000 -q --force -o "$M/keep.h5"
    err_has "$M/keep.h5: cannot write table /replications: No space left on device"
    check "disk full: the earlier result is untouched" [ "$(md5sum <"$M/keep.h5")" = "$before" ]
    check "disk full: no temporary or lock file left" [ "$(ls -A "$M")" = "keep.h5" ]
    expect_exit 1 "disk full, -j 1" $R run scenarios/debate.cfg -n 3000 -j 1 -q -o "$M/new.h5"
    check "disk full: no new file" [ ! -e "$M/new.h5" ]
    umount "$M"
    # Every size from 64 KiB to 4 MiB, over an earlier result: the disk
    # fills while /replications grows, while /summary and /histograms are
    # written, or at the final flush ("cannot flush ... No space left":
    # 512 KiB for the debate, 300 KiB for the baseline; HDF5 1.10.8 then
    # cannot close the file, and its exit handler crashed, exit 139). Each
    # case: exit 0 with a whole result, or exit 1 with the message, the
    # earlier result as it was, no temporary or lock file. The third
    # checkpoints every 2 blocks, so the disk may fill in a checkpoint: the
    # last whole checkpoint then stays in keep.h5.partial (readable,
    # complete = 0) for --resume, beside the untouched earlier result.
    # (The earlier result is made once and copied onto each new disk.)
    # Under ASan, five cases, one for each way this sweep ends on the normal
    # build (2026-11-30): the debate at 512 KiB fails at the final flush;
    # the checkpointing run at 64 KiB fails in its first checkpoint (no
    # .partial), at 128 KiB writing its result's tables after a checkpoint,
    # at 256 KiB in a later checkpoint (the earlier one stays as .partial),
    # and at 1024 KiB fits, its .partial spent. A failure while /replications
    # grows is the 300 KiB disk above; a whole result without checkpoints
    # is the runs below.
    flushes=0
    $R run scenarios/validation/mm1.cfg -n 2 --set mm1.customers=10 -q -o "$T/earlier.h5"
    debate="scenarios/debate.cfg -n 1000"
    ckpt="tests/scenarios/cluster.cfg -n 1000 -j 2 --checkpoint-blocks 2"
    cases=()
    if [ $asan = 0 ]; then
        for sc in "$debate" "scenarios/baseline.cfg -n 10000" "$ckpt"; do
            for k in 64 128 256 300 512 640 1024 4096; do cases+=("$k|$sc"); done
        done
    else
        cases=("512|$debate" "64|$ckpt" "128|$ckpt" "256|$ckpt" "1024|$ckpt")
    fi
    for c in "${cases[@]}"; do
        k=${c%%|*} sc=${c#*|}
        mount -t tmpfs -o size=${k}k tmpfs "$M"
        cp "$T/earlier.h5" "$M/keep.h5"
        before=$(md5sum <"$M/keep.h5")
        $R run $sc -q --force -o "$M/keep.h5" >"$T/out" 2>"$T/err"
        rc=$?
        what="disk of ${k} KiB, ${sc#*scenarios/}"
        if [ $rc -eq 0 ]; then
            check "$what: fits (exit 0), complete" [ "$(attr "$M/keep.h5" complete)" = 1 ]
        else
            check "$what: exit 1, not $rc" [ $rc -eq 1 ]
            check "$what: says No space left on device" grep -q "No space left on device" "$T/err"
            check "$what: the earlier result is untouched" [ "$(md5sum <"$M/keep.h5")" = "$before" ]
            grep -q "cannot flush" "$T/err" && flushes=$((flushes + 1))
        fi
        if [ -e "$M/keep.h5.partial" ]; then
            check "$what: the last checkpoint is a readable partial result" \
                bash -c "$R summary '$M/keep.h5.partial' >/dev/null 2>&1 &&
                         [ \"\$(h5dump -a /complete '$M/keep.h5.partial' | grep -c '(0): 0')\" = 1 ]"
            rm -f "$M/keep.h5.partial"
        fi
        check "$what: no temporary or lock file left" [ "$(ls -A "$M")" = "keep.h5" ]
        umount "$M"
    done
    echo "# disk-full sweep: $flushes case(s) failed at the final flush"
    mount -t tmpfs -o size=1m,ro tmpfs "$M"
    expect_exit 1 "read-only folder" $R run scenarios/debate.cfg -n 10 -q -o "$M/d.h5"
    err_has "$M/d.h5"
    umount "$M"
else
    echo "ok - disk full and read-only folder: skipped (need root to mount a small tmpfs)"
fi

# The shims below are preloaded after ASan's runtime when the binary has one.
asanlib=$(ldd "$R" 2>/dev/null | grep -o '/[^ ]*libasan[^ ]*' | head -1)
preload() { echo "${asanlib:+$asanlib:}$1"; }
# Two runs writing one file: the second refuses; the first finishes. The
# first stops itself (SIGSTOP) as soon as it holds its lock
# (tests/shim/lockstop.c, preloaded) and is let go (SIGCONT) once the second
# has been refused, so it cannot finish first however fast the machine; its
# size does not matter (it was 2000 replications a point, to be slow
# enough for a watcher to see its lock and stop it in time).
if cc -shared -fPIC -o "$T/lockstop.so" tests/shim/lockstop.c 2>"$T/cc.err"; then
    env LD_PRELOAD="$(preload "$T/lockstop.so")" $R run scenarios/debate.cfg -n 100 -j 1 -q \
        -o "$T/c.h5" &
    first=$!
    for i in $(seq 3000); do # until it has stopped itself (state T), at most 30 s
        [ "$(cut -d' ' -f3 "/proc/$first/stat" 2>/dev/null)" = T ] && break
        sleep 0.01
    done
    check "the first run holds its lock, stopped" [ -e "$T/.c.h5.lock" -a ! -e "$T/c.h5" ]
    expect_exit 1 "a second run on the same output refuses" $R run scenarios/debate.cfg -n 50 -q \
        -o "$T/c.h5"
    err_has "another reassure run is writing this file now"
    kill -CONT $first
    wait $first
    check "the first run completes" [ $? -eq 0 ]
    check "its result is whole (100 replications per point)" [ "$(attr "$T/c.h5" replications)" = 100 ]
    check "no lock or temporary file left" [ -z "$(ls -A "$T" | grep -E '^\.c\.h5\.(lock|tmp)')" ]
else
    notok "cannot build tests/shim/lockstop.c"; cat "$T/cc.err"
fi
# A filesystem without file locks (flock fails with ENOSYS, ENOLCK or
# EOPNOTSUPP: Lustre mounted noflock, NFS without lockd): a warning, and
# the run goes on (tests/shim/noflock.c, preloaded).
if cc -shared -fPIC -o "$T/noflock.so" tests/shim/noflock.c 2>"$T/cc.err"; then
    pre=$(preload "$T/noflock.so")
    for errno_name in ENOSYS ENOLCK EOPNOTSUPP; do
        expect_exit 0 "flock fails with $errno_name: the run goes on" \
            env LD_PRELOAD="$pre" REASSURE_SHIM_FLOCK_ERRNO=$errno_name \
            $R run scenarios/validation/mm1.cfg -n 4 --set mm1.customers=100 -q -o "$T/nl.h5" --force
        err_has "warning: $T/nl.h5: this filesystem has no file locks"
        check "flock $errno_name: the result is complete" [ "$(attr "$T/nl.h5" complete)" = 1 ]
        check "flock $errno_name: no lock or temporary file left" \
            [ -z "$(ls -A "$T" | grep -E '^\.nl\.h5\.(lock|tmp)')" ]
    done
else
    notok "cannot build tests/shim/noflock.c"; cat "$T/cc.err"
fi

# Temporaries of this output that a dead run left (SIGKILL, the OOM killer,
# a lost node: .NAME.tmp.XXXXXX): the next run, holding the lock, removes
# them; another output's and other files stay.
mkdir -p "$T/st"
for f in .s.h5.tmp.AbC123 .s.h5.tmp.zzzzzz .other.h5.tmp.AbC123 .s.h5.tmp.notmine s.h5.tmp.AbC123; do
    echo stale >"$T/st/$f"
done
expect_exit 0 "a run over stale temporaries" $R run scenarios/validation/mm1.cfg -n 2 \
    --set mm1.customers=10 -q -o "$T/st/s.h5"
check "its own stale temporaries are removed" \
    [ -z "$(ls -A "$T/st" | grep -E '^\.s\.h5\.tmp\.(AbC123|zzzzzz)$')" ]
check "other files stay" [ "$(ls -A "$T/st" | grep -c tmp)" = 3 ]

# The umask is read with umask(2), not from /proc: with /proc hidden (a
# private mount namespace, as root) a result is still 0666 less the umask.
if [ "$(id -u)" -eq 0 ] && [ -z "$(ldd "$R" 2>/dev/null | grep libasan)" ] &&
    unshare -m true 2>/dev/null; then
    expect_exit 0 "a run with /proc hidden, umask 027" unshare -m bash -c \
        "mount -t tmpfs none /proc && umask 027 && $R run scenarios/validation/mm1.cfg -n 2 \
         --set mm1.customers=10 -q -o $T/um.h5"
    check "its mode is 0640 (umask 027)" [ "$(stat -c %a "$T/um.h5")" = 640 ]
    (umask 002 && $R run scenarios/validation/mm1.cfg -n 2 --set mm1.customers=10 -q -o "$T/um2.h5")
    check "with umask 002: 0664" [ "$(stat -c %a "$T/um2.h5")" = 664 ]
else
    ok "umask without /proc: skipped (needs root and unshare; ASan needs /proc)"
fi
[ $fails -eq 0 ]
