#!/usr/bin/env bash
# tools/plot on an uncertainty design (a result with the root attribute
# worlds): the options, regret and discovery charts (tools/plot_uncertainty.py)
# instead of the per-point charts, as valid PNGs; a plain result beside it
# still gets its usual charts. The uncertainty results come from
# tests/scenarios/crossover.cfg (or UNC_SCENARIO) and scenarios/options.cfg;
# while this tree has neither, that part is skipped with a message.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
PY=/usr/bin/python3
need_plotting
questions() { # questions FILE: the (question, option) pairs of /discovery
    $PY - "$1" <<'PY'
import sys, h5py
d = h5py.File(sys.argv[1], "r")["/discovery"][...]
print(len(set(zip(d["rule"].tolist(), d["option"].tolist()))))
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
        check "$stem: $c chart is a valid PNG" png_ok "$dir/$stem-$c.png"
        check "$stem: its path is printed" grep -qx "$dir/$stem-$c.png" "$T/out"
    done
    n=$(questions "$T/$stem.h5")
    check "$stem: /discovery has questions" [ "$n" -ge 1 ]
    check "$stem: one discovery chart per question and option ($n)" \
        [ "$(ls "$dir/$stem"-discovery-*-*.png 2>/dev/null | wc -l)" -eq "$n" ]
    for f in "$dir/$stem"-discovery-*-*.png; do
        check "$stem: $(basename "$f") is a valid PNG" png_ok "$f"
    done
    check "$stem: no per-point charts for worlds" \
        bash -c "! ls '$dir/$stem'-risk.png '$dir/$stem'-outcomes.png 2>/dev/null"
    check "$stem: the recomputed questions agree with /discovery" \
        bash -c "! grep -q 'recomputed' '$T/err'"
}

# A plain result: its usual three charts, alone and beside a worlds result.
expect_exit 0 "a plain result" $R run scenarios/baseline.cfg -n 20 -q -o "$T/one.h5"
expect_exit 0 "plot it" tools/plot "$T/one.h5" -o "$T/png"
for c in risk outcomes first-breach; do
    check "plain: $c chart is a valid PNG" png_ok "$T/png/one-$c.png"
done
check "plain: no uncertainty charts" bash -c "! ls '$T'/png/one-options*.png 2>/dev/null"

X=${UNC_SCENARIO:-tests/scenarios/crossover.cfg}
if [ ! -e "$X" ] || [ ! -e scenarios/options.cfg ]; then
    echo "ok - skipped: no uncertainty scenarios ($X, scenarios/options.cfg) in this tree"
    [ $fails -eq 0 ]
    exit
fi
expect_exit 0 "$X is a valid scenario" $R check "$X"
expect_exit 0 "an uncertainty result of the validation model" $R run "$X" -n 100 -q -o "$T/x.h5"
expect_exit 0 "plot it" tools/plot "$T/x.h5" -o "$T/png"
uncertainty_charts x "$T/png"
check "x: no shares chart when the objective is the only share" \
    bash -c "! ls '$T/png/x-options-shares.png' 2>/dev/null"

expect_exit 0 "the force options across worlds" $R run scenarios/options.cfg -n 20 -q \
    -o "$T/options.h5"
expect_exit 0 "plot it beside a plain result" tools/plot "$T/options.h5" "$T/one.h5" \
    -o "$T/png2"
uncertainty_charts options "$T/png2"
check "options: the other shares chart" png_ok "$T/png2/options-options-shares.png"
for c in risk outcomes first-breach; do
    check "the plain result beside it: $c chart" png_ok "$T/png2/one-$c.png"
done

# An interrupted worlds result is refused, as any other.
$PY -c "import h5py, sys; h5py.File(sys.argv[1], 'a').attrs['complete'] = 0" "$T/x.h5"
expect_exit 2 "an incomplete worlds result" tools/plot "$T/x.h5" -o "$T/png3"
err_has "the run is incomplete"
check "nothing drawn for it" bash -c "! ls '$T'/png3/*.png 2>/dev/null"
[ $fails -eq 0 ]
