#!/usr/bin/env bash
# tools/plot on an uncertainty design (a result with the root attribute
# worlds): the options, regret and discovery charts (tools/plot_uncertainty.py)
# instead of the per-point charts, as valid PNGs; a plain result beside it
# still gets its usual charts. The uncertainty results come from
# tests/scenarios/crossover.cfg (or UNC_SCENARIO) and scenarios/options.cfg;
# while this tree has neither, that part is skipped with a message (and
# the plain result is plotted alone).
#
# The results are made first; then the tools/plot command lines run in one
# Python process (plot_jobs, tests/e2e/plotjobs.py: matplotlib and h5py
# imported once, not once a command) and each is checked as if run alone:
# its exit status, what it printed, the PNGs it saved. The charts and the
# agreement of the recomputed questions with /discovery do not depend on
# the replications, so the runs are small; options.cfg at -n 10, not less:
# its estimates (k/10) can then equal the threshold 0.3 of its question
# "above 0.3", so a recomputation that took "above" for "at least" is
# still caught (at -n 5 it was not), as is one that took "worse than" for
# "no better than" (ties between options).
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/plotjobs.sh
PY=/usr/bin/python3
questions() { # questions FILE...: per file, "FILE N": its (question, option) pairs of /discovery
    $PY - "$@" <<'PY'
import sys, h5py
for path in sys.argv[1:]:
    d = h5py.File(path, "r")["/discovery"][...]
    print(path, len(set(zip(d["rule"].tolist(), d["option"].tolist()))))
PY
}
# uncertainty_charts STEM DIR: the options and regret charts and one
# discovery chart per question and option, each valid and printed; none of
# the per-point charts; and no disagreement between the worlds where a
# question holds as the plot recomputes them from /summary and /discovery's
# own counts (the plot reports one on stderr).
uncertainty_charts() {
    local stem=$1 dir=$2 n
    for c in options regret; do
        check "$stem: $c chart is a valid PNG" png_good "$dir/$stem-$c.png"
        check "$stem: its path is printed" grep -qx "$dir/$stem-$c.png" "$T/out"
    done
    n=$(awk -v f="$T/$stem.h5" '$1 == f { print $2 }' "$T/questions")
    check "$stem: /discovery has questions" [ "$n" -ge 1 ]
    check "$stem: one discovery chart per question and option ($n)" \
        [ "$(ls "$dir/$stem"-discovery-*-*.png 2>/dev/null | wc -l)" -eq "$n" ]
    for f in "$dir/$stem"-discovery-*-*.png; do
        check "$stem: $(basename "$f") is a valid PNG" png_good "$f"
    done
    check "$stem: no per-point charts for worlds" \
        bash -c "! ls '$dir/$stem'-risk.png '$dir/$stem'-outcomes.png 2>/dev/null"
    check "$stem: the recomputed questions agree with /discovery" \
        bash -c "! grep -q 'recomputed' '$T/err'"
}
# plain_charts DIR: the plain result's usual three charts, and none of the
# uncertainty charts
plain_charts() {
    for c in risk outcomes first-breach; do
        check "plain: $c chart is a valid PNG" png_good "$1/one-$c.png"
    done
    check "plain: no uncertainty charts" bash -c "! ls '$1'/one-options*.png 2>/dev/null"
}

expect_exit 0 "a plain result" $R run scenarios/baseline.cfg -n 20 -q -o "$T/one.h5"
X=${UNC_SCENARIO:-tests/scenarios/crossover.cfg}
if [ ! -e "$X" ] || [ ! -e scenarios/options.cfg ]; then
    plot_jobs "one $T/one.h5 -o $T/png"
    expect_exit 0 "plot it" plotted one
    plain_charts "$T/png"
    echo "ok - skipped: no uncertainty scenarios ($X, scenarios/options.cfg) in this tree"
    [ $fails -eq 0 ]
    exit
fi
expect_exit 0 "$X is a valid scenario" $R check "$X"
expect_exit 0 "an uncertainty result of the validation model" $R run "$X" -n 100 -q -o "$T/x.h5"
expect_exit 0 "the force options across worlds" $R run scenarios/options.cfg -n 10 -q \
    -o "$T/options.h5"
# An interrupted worlds result (stopped as by SIGTERM after its first block)
# is refused, as any other.
REASSURE_TEST_STOP_AFTER_BLOCKS=1 expect_exit 1 "an interrupted uncertainty run" \
    $R run "$X" -n 100 -q -o "$T/stopped.h5"
check "it is a worlds result marked incomplete" \
    [ "$(attr "$T/stopped.h5" complete)" = 0 ] && [ -n "$(attr "$T/stopped.h5" worlds)" ]

plot_jobs "x $T/x.h5 -o $T/png" "options $T/options.h5 $T/one.h5 -o $T/png2" \
    "stopped $T/stopped.h5 -o $T/png3"

questions "$T/x.h5" "$T/options.h5" >"$T/questions"
expect_exit 0 "plot the validation model's result" plotted x
uncertainty_charts x "$T/png"
check "x: no shares chart when the objective is the only share" \
    bash -c "! ls '$T/png/x-options-shares.png' 2>/dev/null"

expect_exit 0 "plot the force options beside the plain result" plotted options
uncertainty_charts options "$T/png2"
check "options: the other shares chart" png_good "$T/png2/options-options-shares.png"
plain_charts "$T/png2"

expect_exit 2 "an incomplete worlds result" plotted stopped
err_has "the run is incomplete"
check "nothing drawn for it" bash -c "! ls '$T'/png3/*.png 2>/dev/null"
[ $fails -eq 0 ]
