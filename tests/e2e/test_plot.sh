#!/usr/bin/env bash
# tools/plot: the three charts of any reassurance result, as valid PNGs;
# clear refusals (exit 2) for anything else.
#
# The results are made first; then the tools/plot command lines run in one
# Python process (plot_jobs, tests/e2e/plotjobs.py: matplotlib and h5py
# imported once, not once a command, which was most of this test's cost),
# and each is checked as if run alone: its exit status, what it printed,
# the PNGs it saved. (tools/plot as an executable of its own is run by
# test_python.sh and test_docs.sh.) A chart's validity does not depend on
# the replications, so the runs are small; the --precision run is as large
# as its check of differing counts needs.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/plotjobs.sh
PY=/usr/bin/python3
expect_exit 0 "a debate result" $R run scenarios/debate.cfg -n 60 -q -o "$T/d.h5"
expect_exit 0 "a one-point result" $R run scenarios/baseline.cfg -n 40 -q -o "$T/one.h5"
expect_exit 0 "a sweep of a choice key" $R run scenarios/baseline.cfg -n 40 -q \
    --sweep force.mandate=deterrence,monitoring,peacekeeping -o "$T/m.h5"
expect_exit 0 "a 4-key grid with a --set" $R run scenarios/baseline.cfg -n 30 -q --set force.troops=15000 \
    --sweep force.mandate=deterrence,monitoring --sweep us_backstop.enabled=false,true \
    --sweep force.basing_distance_km=100,800 --sweep russia.deterrence=both,denial -o "$T/g4.h5"
expect_exit 0 "two results of the same sweep" bash -c \
    "$R run scenarios/baseline.cfg -n 30 -q --sweep force.troops=0,10000 -o '$T/a.h5' && \
     $R run scenarios/baseline.cfg -n 30 -q --sweep force.troops=0,10000 \
        --set us_backstop.enabled=true -o '$T/b.h5'"
# A --precision run's charts give the replications it used at each point
# (/replications_used: the fewest and the most), not the nominal -n.
expect_exit 0 "a --precision result" $R run scenarios/baseline.cfg -n 100 --precision 0.05 \
    --sweep force.troops=0,10000 -q -o "$T/prec.h5"
used=$(h5dump -d /replications_used "$T/prec.h5" | sed -n 's/^ *([0-9]*,0): *\([0-9]*\),*$/\1/p' | sort -n)
lo=$(echo "$used" | head -1); hi=$(echo "$used" | tail -1)
check "the run used different counts at its two points, none of them 100" \
    [ -n "$lo" ] && [ "$lo" != "$hi" ] && [ "$lo" != 100 ] && [ "$hi" != 100 ]
echo "not hdf5" >"$T/bad.h5"
expect_exit 0 "a validation-model result" $R run scenarios/validation/mm1.cfg -n 2 \
    --set mm1.customers=100 -q -o "$T/mm1.h5"
# Cost grows with the points, not faster: a chart of many points draws a
# fixed number of artists (one band per outcome class, one collection of
# first-breach curves), not one bar or line per point, and /summary is read
# as columns. 48 points: more than the outcome chart labels (40) and the
# first-breach chart names (20).
expect_exit 0 "a 48-point grid" $R run scenarios/baseline.cfg -n 4 -q --set horizon_days=60 \
    --sweep force.troops=0,2000,4000,6000,8000,10000,12000,14000,16000,18000,20000,22000 \
    --sweep us_backstop.enabled=false,true --sweep force.mandate=deterrence,monitoring \
    -o "$T/many.h5"
check "the grid has 48 points" bash -c "h5ls '$T/many.h5/points' | grep -q 'Dataset {48[/}]'"

plot_jobs "d $T/d.h5 -o $T/png" "one $T/one.h5" "m $T/m.h5 -o $T/png" "g4 $T/g4.h5 -o $T/png" \
    "ab $T/a.h5 $T/b.h5 -o $T/png" "am $T/a.h5 $T/m.h5 -o $T/png" "prec $T/prec.h5 -o $T/png" \
    "none $T/none.h5" "bad $T/bad.h5" "mm1 $T/mm1.h5" "many $T/many.h5 -o $T/png"

expect_exit 0 "plot the debate result into a new folder" plotted d
for c in risk outcomes first-breach; do
    check "debate: $c chart is a valid PNG" png_good "$T/png/d-$c.png"
    check "debate: its path is printed" grep -qx "$T/png/d-$c.png" "$T/out"
done
expect_exit 0 "plot the one-point result beside it" plotted one
for c in risk outcomes first-breach; do
    check "one point: $c chart is a valid PNG" png_good "$T/one-$c.png"
done
check "one point: no uncertainty charts" bash -c "! ls '$T'/one-options*.png 2>/dev/null"
expect_exit 0 "plot the choice sweep" plotted m
check "choice sweep: risk chart" png_good "$T/png/m-risk.png"
expect_exit 0 "plot the 4-key grid" plotted g4
check "4-key grid: one risk chart with a panel per slice" png_good "$T/png/g4-risk.png"
expect_exit 0 "plot the two results of the same sweep together" plotted ab
check "overlay: a-vs-b-risk.png" png_good "$T/png/a-vs-b-risk.png"
check "overlay: each file's own charts too" png_good "$T/png/b-outcomes.png"
expect_exit 2 "overlay refuses different sweeps" plotted am
err_has "cannot overlay"
# Every chart carries its title as the PNG's Title text (tools/plot's save).
check "a chart's title is in its PNG" grep -qF "60 replications per point, seed" \
    <(png_title "$T/png/d-risk.png")
expect_exit 0 "plot the --precision result" plotted prec
want=$($PY -c "import sys; print(f'replications per point: {int(sys.argv[1]):,}–{int(sys.argv[2]):,} (--precision)')" "$lo" "$hi")
for c in risk outcomes first-breach; do
    png_title "$T/png/prec-$c.png" >"$T/title"
    check "--precision: the $c chart says \"$want\"" grep -qF "$want" "$T/title"
    check "--precision: the $c chart does not claim the nominal 100" \
        bash -c "! grep -qF '100 replications' '$T/title'"
done
expect_exit 2 "missing file" plotted none
err_has "$T/none.h5: no such file"
expect_exit 2 "not an HDF5 file" plotted bad
err_has "not a readable HDF5 result"
expect_exit 2 "plot refuses another model's result" plotted mm1
err_has "a result of the 'mm1' model"
expect_exit 0 "plot the 48-point grid" plotted many
n_artists=$( (artists many "$T/png/many-outcomes.png"; artists many "$T/png/many-first-breach.png") |
    sort -n | tail -1)
check "many points: charts draw a bounded number of artists ($n_artists)" [ "${n_artists:-999}" -le 20 ]
[ $fails -eq 0 ]
