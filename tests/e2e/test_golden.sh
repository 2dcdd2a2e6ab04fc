#!/usr/bin/env bash
# Golden results: a small run of each model at a fixed seed (tests/golden/
# runs.txt) must reproduce tests/golden/NAME.csv byte for byte, with -j 1
# and with -j 2. A change of results is then never silent: it is made on
# purpose with `make golden` and reviewed in the diff.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/golden/lib.sh
names=0
while read -r name args; do
    names=$((names + 1))
    mkdir -p "$T/j1" "$T/j2"
    if ! golden_run "$name" "$args" "$T/j1" 1 || ! golden_run "$name" "$args" "$T/j2" 2; then
        notok "golden $name: the run failed"
        continue
    fi
    for f in "$name.csv" "$name-sensitivity.csv"; do
        [ -e "tests/golden/$f" ] || [ -e "$T/j2/$f" ] || continue
        check "golden $f does not depend on -j" cmp -s "$T/j1/$f" "$T/j2/$f"
        if cmp -s "tests/golden/$f" "$T/j2/$f"; then
            ok "golden $f reproduced byte for byte"
        else
            notok "golden $f: results changed"
            diff -U0 "tests/golden/$f" "$T/j2/$f" | grep -v '^@@' | head -12 | sed 's/^/    /'
            echo "    if this change of results is deliberate, run make golden and commit the new files with the reason"
        fi
    done
done < <(golden_runs)
check "every model has a golden run ($names)" [ "$names" -ge 4 ]
[ $fails -eq 0 ]
