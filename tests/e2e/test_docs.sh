#!/usr/bin/env bash
# docs/scenarios.md is generated from the schema tables, and the run-derived
# numbers of docs/model.md from their runs: both must be up to date;
# scenarios.md also complete and the same every time it is generated.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
G=build/gendocs
check "gendocs is built" [ -x $G ]
$G >"$T/a.md"
$G >"$T/b.md"
check "the generated reference is deterministic" cmp -s "$T/a.md" "$T/b.md"
if cmp -s "$T/a.md" docs/scenarios.md; then
    ok "docs/scenarios.md is up to date"
else
    notok "docs/scenarios.md is stale: run make docs"
    diff docs/scenarios.md "$T/a.md" | head -10
fi
# Every number of docs/model.md that comes from a run is regenerated from
# the commands it shows (tools/docblocks, docs/model.blocks). The runs use
# build/reassure even under ASan: staleness is a property of the document.
# While docs/model.stamp matches every input of the runs (the sources, the
# scenarios, the spec, the document, the compiler and the libraries), only
# the spec's "spot" runs are repeated, about 4 of the 25 CPU-seconds;
# anything changed and every run is (tests/e2e/test_docblocks.sh checks the
# stamp's rules on a small document).
if tools/docblocks --check docs/model.md >"$T/model.diff" 2>"$T/model.err"; then
    ok "docs/model.md's generated numbers are up to date"
    sed 's/^/    /' "$T/model.diff"
else
    notok "docs/model.md is stale or its blocks are broken: run make docs"
    head -20 "$T/model.diff" | sed 's/^/    /'
    sed 's/^/    /' "$T/model.err" | head -5
fi
# The shipped sensitivity analysis, scenarios/sensitivity.cfg (docs/model.md's
# run "sobol" at 200 replications a point): a table per output, ranked, and
# its chart, on a copy of it with 16 base samples rather than 256, at 10
# replications a point (192 points, 0.2 CPU-seconds rather than 2.5). What
# these checks are about, its keys and its output, is the shipped file's.
# (tests/e2e/test_sensitivity.sh checks the file itself, and every table and
# chart on Ishigami.)
sens=$T/sobol.h5
check "docs/model.md's run sobol is the shipped scenarios/sensitivity.cfg" \
    grep -qE '"sobol": +"build/reassure run scenarios/sensitivity.cfg ' docs/model.blocks
sed 's/^\( *samples = \)256;/\116;/' scenarios/sensitivity.cfg >"$T/sobol.cfg"
check "sensitivity.cfg: a copy with 16 base samples, nothing else changed" \
    bash -c "[ \"\$(diff scenarios/sensitivity.cfg '$T/sobol.cfg' | grep -c '^[<>]')\" = 2 ] && grep -qE '^ +samples = 16;' '$T/sobol.cfg'"
expect_exit 0 "sensitivity.cfg: its copy runs, 10 replications a point" \
    $R run "$T/sobol.cfg" -n 10 -q -o "$sens"
check "sensitivity.cfg: its /sensitivity has a row per key for p_rung_ge_7" /usr/bin/python3 -c "
import h5py, sys
s = h5py.File(sys.argv[1], 'r')['/sensitivity'][...]
assert len(s) == 10 and {o.decode() for o in s['output']} == {'p_rung_ge_7'}, s
" "$sens"
expect_exit 0 "sensitivity.cfg: summary of its result" $R summary "$sens"
check "sensitivity.cfg: summary prints its ranked table" \
    grep -q "^Sobol indices of p_rung_ge_7, ranked by total effect ST" "$T/out"
if /usr/bin/python3 -c "import matplotlib" 2>/dev/null; then
    expect_exit 0 "sensitivity.cfg: plot its result" tools/plot "$sens" -o "$T/png"
    check "sensitivity.cfg: the sensitivity chart is a PNG, and no risk chart" bash -c \
        "head -c 8 '$T/png/sobol-sensitivity.png' | grep -q PNG && [ ! -e '$T/png/sobol-risk.png' ]"
else
    notok "python3-matplotlib is not installed (tools/install-deps.sh installs it)"
fi
# Every key that `reassure check` knows is documented (keys read from check,
# not from gendocs).
missing=0; n=0
for scn in scenarios/baseline.cfg scenarios/validation/mm1.cfg scenarios/validation/lanchester.cfg; do
    for key in $($R check "$scn" | sed -n '/^parameters/,/^$/p' | awk '/^  [a-z]/ {print $1}'); do
        n=$((n + 1))
        grep -qF "| \`$key\` |" docs/scenarios.md || { missing=$((missing + 1)); echo "    missing: $key"; }
    done
done
check "every one of the $n keys of the three models is documented" [ $missing -eq 0 -a $n -gt 60 ]
check "contributor fields documented" grep -qF '| `coalition.contributors[].casualty_tolerance` |' docs/scenarios.md
check "common keys documented" grep -qF '| `replications` |' docs/scenarios.md
# scenarios/baseline.cfg is generated from the reassurance schema too.
$G --baseline >"$T/baseline.cfg"
if cmp -s "$T/baseline.cfg" scenarios/baseline.cfg; then
    ok "scenarios/baseline.cfg is up to date"
else
    notok "scenarios/baseline.cfg is stale: run make docs"
    diff scenarios/baseline.cfg "$T/baseline.cfg" | head -10
fi
[ $fails -eq 0 ]
