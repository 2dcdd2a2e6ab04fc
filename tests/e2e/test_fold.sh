#!/usr/bin/env bash
# Folding where the work is done (issue #18): each block is folded by the
# thread that computed it and rank 0 combines the blocks in order, so every
# table is the same bit for bit whatever the ranks and threads (MPI -np 1,
# 2, 3 and 5, oversubscribed, against one process at -j 1), and whatever
# rows the file keeps (--rows all|none|sample:N). A run that keeps not
# every row saves its accumulators when interrupted (/fold_state) and
# --resume goes on from them, alone or under MPI. (The HDF5 checks go
# through one Python process, tests/e2e/h5serve.py.)
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/h5serve.sh
S=tests/scenarios/cluster.cfg   # the debate's 24 points, a quarter of the horizon
X=$T/crossover.cfg              # an uncertainty design: /contrasts, /uncertainty, /discovery
sed "s/worlds = 400;/worlds = 60;/" tests/scenarios/crossover.cfg >"$X"
UNC="/contrasts /uncertainty/options /uncertainty/contrasts /uncertainty/regret /discovery"
tables_as() { # tables_as A B OBJ...: each the same in both, bit for bit
    h5q same "$@"
}

expect_exit 0 "the reference: one process, -j 1" $R run $S -n 600 -j 1 -q -o "$T/ref.h5"
expect_exit 0 "an uncertainty design, -j 1" $R run $X -n 40 -j 1 -q -o "$T/xref.h5"

# ---- --rows: the summaries never depend on it -----------------------------------
expect_exit 0 "--rows none" $R run $S -n 600 -j 2 -q --rows none -o "$T/none.h5"
check "--rows none: no rows" rows_are "$T/none.h5" 0
check "--rows none: rows = \"none\" recorded" [ "$(attr "$T/none.h5" rows)" = none ]
check "--rows none: replications_done counts every replication" \
    [ "$(attr "$T/none.h5" replications_done)" = 14400 ]
check "--rows none: /summary, /histograms, /points as with every row" \
    tables_as "$T/ref.h5" "$T/none.h5" /summary /histograms /points
expect_exit 0 "--rows sample:5" $R run $S -n 600 -j 2 -q --rows sample:5 -o "$T/sample.h5"
check "--rows sample:5: 5 rows a point, 120 in all" rows_are "$T/sample.h5" 120
check "--rows sample:5: they are replications 0-4 of each point, as in the full run" \
    h5q sample "$T/ref.h5" "$T/sample.h5" 5
check "--rows sample:5: the same /summary" tables_as "$T/ref.h5" "$T/sample.h5" /summary /histograms
expect_exit 0 "an uncertainty design, --rows none" \
    $R run $X -n 40 -j 2 -q --rows none -o "$T/xnone.h5"
check "... its contrasts, regret and discovery as with every row" \
    tables_as "$T/xref.h5" "$T/xnone.h5" /summary $UNC
expect_exit 0 "summary of it" $R summary "$T/none.h5"
check "... says which rows it keeps" grep -q "rows kept in /replications: none (--rows" "$T/out"
expect_exit 0 "summary of a run with every row" $R summary "$T/ref.h5"
check "... says nothing of rows" bash -c "! grep -q 'rows kept' '$T/out'"
expect_exit 2 "compare refuses files without their rows" $R compare "$T/ref.h5" "$T/none.h5"
err_has "keeps not every row (--rows none): compare pairs the replications row by row"
expect_exit 0 "a cases design, --rows none" $R run scenarios/cases.cfg -n 50 -j 2 -q --rows none -o "$T/cases.h5"
expect_exit 0 "... its summary" $R summary "$T/cases.h5"
check "... prints its contrasts, without pointing at compare" \
    bash -c "grep -q 'paired contrasts of' '$T/out' && ! grep -q 'reassure compare' '$T/out'"
expect_exit 2 "... which refuses it" $R compare "$T/cases.h5"
for bad in some sample:0 sample:x sample: "sample:-3"; do
    expect_exit 2 "--rows $bad is refused" $R run $S -n 10 -q --rows "$bad" -o "$T/bad.h5"
done
err_has "--rows: \"sample:-3\" is not all, none or sample:N"
check "... writing nothing" [ ! -e "$T/bad.h5" ]
expect_exit 0 "a share, --rows none" $R run $S -n 600 -q --rows none --points 0:12 -o "$T/s1.h5"
expect_exit 0 "... and the other, --rows all" $R run $S -n 600 -q --points 12:24 -o "$T/s2.h5"
expect_exit 2 "merge refuses a share without its rows" $R merge "$T/s1.h5" "$T/s2.h5" -o "$T/m.h5"
err_has "was run with --rows none or sample:N: merge folds the shares' rows again"
check "... writing nothing" [ ! -e "$T/m.h5" ]

expect_exit 0 "hybrid.sbatch with ROWS=none, outside Slurm" \
    env SCENARIO_OUT="$T/hyb.h5" SLURM_CPUS_PER_TASK=2 ROWS=none R="$R" bash tools/slurm/hybrid.sbatch $S -n 600
check "... keeps no rows and the one-process tables" \
    eval '[ "$(h5dump -a /rows "$T/hyb.h5" | grep -c "\"none\"")" = 1 ] && tables_as "$T/ref.h5" "$T/hyb.h5" /summary /histograms'

# ---- interrupted without rows: /fold_state, then --resume --------------------------
for mode in none sample:3; do
    d="$T/stop-${mode%%:*}"
    mkdir -p "$d"
    expect_exit 1 "--rows $mode, stopped after 5 blocks" \
        env REASSURE_TEST_STOP_AFTER_BLOCKS=5 $R run $S -n 600 -j 2 -q --rows $mode -o "$d/r.h5"
    check "--rows $mode: the interrupted file keeps /fold_state" h5q has "$d/r.h5" fold_state
    expect_exit 2 "--resume with other --rows is refused" $R run $S -n 600 -q --resume -o "$d/r.h5"
    err_has "keeps --rows $mode; resume it with that"
    expect_exit 0 "--rows $mode: --resume at -j 1" $R run $S -n 600 -j 1 -q --rows $mode --resume -o "$d/r.h5"
    u=$T/none.h5  # the uninterrupted run: for none, the one above, the same command
    [ $mode = none ] || { u=$d/u.h5; expect_exit 0 "--rows $mode: an uninterrupted run" \
        $R run $S -n 600 -j 2 -q --rows $mode -o "$u"; }
    check "--rows $mode: resumed = uninterrupted (rows kept included)" same_as "$u" "$d/r.h5"
    check "--rows $mode: resumed /summary = every row's run" tables_as "$T/ref.h5" "$d/r.h5" /summary /histograms
    check "--rows $mode: a complete result keeps no /fold_state" h5q lacks "$d/r.h5" fold_state
done
# --precision without rows: the round under way is saved (/precision_round)
# beside the accumulators; stops in the first, second and third rounds.
P="$S -n 200 --precision 0.03"
expect_exit 0 "--precision with every row" $R run $P -j 2 -q -o "$T/pall.h5"
expect_exit 0 "--precision --rows sample:3" $R run $P -j 2 -q --rows sample:3 -o "$T/psam.h5"
check "... the same tables and replications used as with every row" \
    tables_as "$T/pall.h5" "$T/psam.h5" /summary /histograms /replications_used
for stop in 20 60 100; do
    d="$T/prec$stop"
    mkdir -p "$d"
    expect_exit 1 "--precision --rows sample:3, stopped after $stop blocks" \
        env REASSURE_TEST_STOP_AFTER_BLOCKS=$stop $R run $P -j 2 -q --rows sample:3 -o "$d/r.h5"
    check "... keeps /precision_round" h5q has "$d/r.h5" precision_round
    expect_exit 0 "... --resume at -j 1" $R run $P -j 1 -q --rows sample:3 --resume -o "$d/r.h5"
    check "... equals the uninterrupted run" \
        tables_as "$T/psam.h5" "$d/r.h5" /summary /histograms /replications_used /replications /points
done
mkdir -p "$T/kill"
( env REASSURE_TEST_KILL_AFTER_BLOCKS=9 $R run $S -n 600 -j 2 -q --rows none --checkpoint-blocks 4 \
    -o "$T/kill/r.h5" 2>/dev/null; true ) 2>/dev/null
check "--rows none, kill -9 after a checkpoint: 8 blocks kept" [ "$(attr "$T/kill/r.h5" replications_done)" = 4800 ]
expect_exit 0 "... --resume" $R run $S -n 600 -j 2 -q --rows none --resume -o "$T/kill/r.h5"
check "... equals the uninterrupted run" tables_as "$T/none.h5" "$T/kill/r.h5" /summary /histograms /points /replications

# ---- MPI: any -np, the same bits ---------------------------------------------------
if ! command -v mpirun >/dev/null 2>&1 || ! nm -C "$R" 2>/dev/null | grep -q MPI_Init_thread; then
    if [ "$R" = build/reassure ]; then
        notok "MPI: mpirun or an MPI build is missing"
    else
        ok "MPI: not in $R (the sanitizer build is single-process; build/reassure is tested)"
    fi
else
    # pml ob1 with the shared-memory btl is what Open MPI picks for ranks on
    # one node; naming it skips probing the network transports (0.2 s of a
    # launch's 0.4 s here, waiting).
    MPIRUN="mpirun --oversubscribe --mca pml ob1 --mca btl self,vader"
    [ "$(id -u)" = 0 ] && MPIRUN="mpirun --allow-run-as-root ${MPIRUN#mpirun }"
    # -np 2 with rank 0 writing every row (the default: one file); -np 1, 3
    # and 5 with --shards (one rank: nothing to share, one file).
    for np in 1 2 3 5; do
        j=$((np % 2 + 1))
        sh=$([ $np != 2 ] && echo --shards)
        expect_exit 0 "mpirun -np $np -j $j $sh" $MPIRUN -np $np $R run $S -n 600 -j $j -q $sh -o "$T/np$np.h5"
        check "-np $np -j $j: every table equals one process at -j 1" same_as "$T/ref.h5" "$T/np$np.h5"
        check "-np $np: ranks = $np recorded" [ "$(attr "$T/np$np.h5" ranks)" = $np ]
    done
    check "-np 1 --shards and -np 2: one file each, no rows folder" \
        bash -c "[ -z \"\$(ls -da '$T'/np1.h5.rows-* '$T'/np2.h5.rows-* 2>/dev/null)\" ]"
    # Rows written by the ranks (run/shards.c): a folder beside the result,
    # a file per rank, /replications a virtual table read as one.
    check "-np 3: the rows are in a folder beside the result, a file per rank" \
        bash -c "f=\$(h5dump -a /rows_folder '$T/np3.h5' | sed -n 's/^ *(0): *\"\\(.*\\)\"/\\1/p'); \
                 [ -n \"\$f\" ] && [ \$(ls '$T'/\"\$f\" | grep -c '^rank-0000[0-2].h5\$') = 3 ]"
    expect_exit 0 "-np 3 --rows sample:5 --shards" $MPIRUN -np 3 $R run $S -n 600 -j 1 -q --rows sample:5 --shards -o "$T/npsam.h5"
    check "... the rows and tables of one process" tables_as "$T/sample.h5" "$T/npsam.h5" /replications /summary /histograms
    # (--shards with --precision: the run below, stopped and resumed)
    mkdir -p "$T/moved"
    cp "$T/np3.h5" "$T/moved/"
    expect_exit 2 "a result moved without its rows folder: export refuses it" \
        $R export "$T/moved/np3.h5" --table replications
    err_has "which is missing: a result written by several MPI ranks keeps them in the folder beside it"
    expect_exit 2 "... and merge" $R merge "$T/moved/np3.h5" -o "$T/moved/m.h5"
    check "tools/reassure_h5.py reads the ranks' rows as one table, and refuses the moved file" \
        /usr/bin/python3 - "$T/np3.h5" "$T/moved/np3.h5" "$T/ref.h5" <<'PY'
import sys
sys.path.insert(0, "tools")
import reassure_h5
a, ref = reassure_h5.load(sys.argv[1]), reassure_h5.load(sys.argv[3])
assert a.replications.equals(ref.replications), "rows differ"
try:
    reassure_h5.load(sys.argv[2])
except FileNotFoundError as err:
    assert "which is missing" in str(err)
else:
    raise SystemExit("the moved file was read")
PY
    expect_exit 0 "--force over it under -np 2 --shards" $MPIRUN -np 2 $R run $S -n 600 -j 1 -q --shards --force -o "$T/np3.h5"
    check "... leaves one rows folder, the new one" bash -c "[ \$(ls -d '$T'/np3.h5.rows-* | wc -l) = 1 ]"
    check "... and its rows" same_as "$T/ref.h5" "$T/np3.h5"
    expect_exit 0 "--force over it with one process" $R run $S -n 600 -j 2 -q --force -o "$T/np5.h5"
    check "... removes the rows folder it replaced" bash -c "[ -z \"\$(ls -d '$T'/np5.h5.rows-* 2>/dev/null)\" ]"
    check "... and is one file" same_as "$T/ref.h5" "$T/np5.h5"
    expect_exit 1 "-np 3, stopped after 9 blocks" env REASSURE_TEST_STOP_AFTER_BLOCKS=9 \
        $MPIRUN -np 3 $R run $S -n 600 -j 1 -q --shards -o "$T/npst.h5"
    check "... the interrupted file stands alone: its 5400 rows in its own table, no folder" \
        bash -c "[ -z \"\$(ls -da '$T'/npst.h5.rows-* '$T'/.npst.h5.rows-* 2>/dev/null)\" ] && \
                 [ \"\$(h5ls '$T/npst.h5/replications' | grep -c '{5400/Inf}')\" = 1 ]"
    expect_exit 0 "... resumed under -np 2" $MPIRUN -np 2 $R run $S -n 600 -j 1 -q --shards --resume -o "$T/npst.h5"
    check "... equals one process" same_as "$T/ref.h5" "$T/npst.h5"
    mkdir -p "$T/npkill"
    ( $MPIRUN -np 3 -x REASSURE_TEST_KILL_AFTER_BLOCKS=13 $R run $S -n 600 -j 1 -q --shards --checkpoint-blocks 5 \
        -o "$T/npkill/r.h5" >/dev/null 2>&1; true ) 2>/dev/null
    check "-np 3, kill -9 after a checkpoint: 10 blocks kept" [ "$(attr "$T/npkill/r.h5" replications_done)" = 6000 ]
    check "... and the dead run's rows folder left" bash -c "ls -da '$T'/npkill/.r.h5.rows-*.tmp >/dev/null"
    expect_exit 0 "... resumed" $MPIRUN -np 3 $R run $S -n 600 -j 1 -q --shards --resume -o "$T/npkill/r.h5"
    check "... equals one process, the dead run's folder removed" eval \
        'tables_as "$T/ref.h5" "$T/npkill/r.h5" /replications /summary /histograms && \
         [ -z "$(ls -da "$T"/npkill/.r.h5.rows-* 2>/dev/null)" ]'
    # Shares under MPI, the ranks writing their rows (points 0-11) and rank 0
    # writing them (points 12-23, compared whole with the one-process share:
    # a merge folds the rows again, so only this sees the share's /summary).
    expect_exit 0 "shares under mpirun -np 2 --shards: points 0-11" $MPIRUN -np 2 $R run $S -n 600 -j 1 -q --shards --points 0:12 -o "$T/sha.h5"
    expect_exit 0 "... points 12-23, without --shards" $MPIRUN -np 2 $R run $S -n 600 -j 1 -q --points 12:24 -o "$T/shb.h5"
    check "... which equals the one-process share" same_as "$T/s2.h5" "$T/shb.h5"
    expect_exit 0 "... merged" $R merge "$T/sha.h5" "$T/shb.h5" -o "$T/shm.h5"
    check "... equals one process" same_as "$T/ref.h5" "$T/shm.h5"
    for np in 3 5; do
        expect_exit 0 "mpirun -np $np, an uncertainty design" \
            $MPIRUN -np $np $R run $X -n 40 -j 1 -q -o "$T/xnp$np.h5"
        check "-np $np: /contrasts, /uncertainty and /discovery equal one process" \
            tables_as "$T/xref.h5" "$T/xnp$np.h5" /summary /replications $UNC
    done
    expect_exit 0 "mpirun -np 3 --rows none" $MPIRUN -np 3 $R run $S -n 600 -j 1 -q --rows none -o "$T/npnone.h5"
    check "-np 3 --rows none: the tables of one process" tables_as "$T/ref.h5" "$T/npnone.h5" /summary /histograms
    expect_exit 1 "mpirun -np 3 --rows none, stopped after 7 blocks" env REASSURE_TEST_STOP_AFTER_BLOCKS=7 \
        $MPIRUN -np 3 $R run $S -n 600 -j 1 -q --rows none -o "$T/npstop.h5"
    expect_exit 0 "... resumed under -np 2" $MPIRUN -np 2 $R run $S -n 600 -j 1 -q --rows none --resume -o "$T/npstop.h5"
    check "... equals the uninterrupted run" tables_as "$T/none.h5" "$T/npstop.h5" /summary /histograms /replications
    # --shards is asked for and not taken: a --precision run's rows are rank
    # 0's to write (--resume replays its rounds from them), so the result
    # is one file, at -np 3 as when resumed at -np 2 (run.c decides per call).
    expect_exit 1 "mpirun -np 3 --precision --rows sample:3 --shards, stopped in its second round" \
        env REASSURE_TEST_STOP_AFTER_BLOCKS=70 $MPIRUN -np 3 $R run $P -j 1 -q --rows sample:3 --shards -o "$T/npprec.h5"
    expect_exit 0 "... resumed under -np 2" $MPIRUN -np 2 $R run $P -j 1 -q --rows sample:3 --shards --resume -o "$T/npprec.h5"
    check "... equals the uninterrupted run" \
        tables_as "$T/psam.h5" "$T/npprec.h5" /summary /histograms /replications_used /replications
    check "--shards with --precision: rank 0 writes its rows, one file" \
        eval '[ -z "$(ls -da "$T"/npprec.h5.rows-* "$T"/.npprec.h5.rows-* 2>/dev/null)" ]'
fi
[ $fails -eq 0 ]
