#!/usr/bin/env bash
# make golden: regenerates tests/golden/NAME.csv for every run of
# tests/golden/runs.txt — a small run of each model at a fixed seed, every
# digit of its /summary (`reassure summary --csv`), and NAME-sensitivity.csv
# for a sobol sweep. tests/e2e/test_golden.sh reruns them and compares byte
# for byte, so a change of results is a deliberate, reviewed update: run
# this, read `git diff tests/golden`, and commit it with the reason.
set -eu
cd "$(dirname "$0")/../.."
R=${R:-build/reassure}
[ -x "$R" ] || { echo "update.sh: $R is not built (run make)" >&2; exit 2; }
. tests/golden/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
golden_runs | while read -r name args; do
    golden_run "$name" "$args" "$tmp" 2 || { echo "update.sh: run $name failed" >&2; exit 1; }
    rm -f "tests/golden/$name-sensitivity.csv"
    for f in "$tmp/$name".csv "$tmp/$name"-sensitivity.csv; do
        [ -e "$f" ] || continue
        cp "$f" tests/golden/
        echo "tests/golden/$(basename "$f"): $(($(wc -l <"$f") - 1)) rows"
    done
done
