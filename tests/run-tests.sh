#!/usr/bin/env bash
# Runs every cmocka test binary given as arguments, then every end-to-end
# script in tests/e2e/ (or those E2E names), and closes with one line
# "N passed, M failed".
# e2e scripts print "ok - what" or "not ok - what" per check (TAP style).
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$@"; do
    echo "== $t"
    start=$(date +%s.%N)
    "$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
        echo "!! $t exited with $rc"
        failed=$((failed + 1))
    fi
    echo "-- $t: $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
done

# E2E="cli results ..." runs only those scripts (tests/e2e/test_NAME.sh):
# the sanitizer phase runs a smoke subset.
for s in tests/e2e/test_*.sh; do
    [ -e "$s" ] || continue
    if [ -n "${E2E:-}" ]; then
        name=${s#tests/e2e/test_}; name=${name%.sh}
        case " $E2E " in *" $name "*) ;; *) continue ;; esac
    fi
    echo "== $s"
    start=$(date +%s.%N)
    bash "$s" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(grep -c '^ok - ' "$log")
    f=$(grep -c '^not ok - ' "$log")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "!! $s exited with $rc"
        failed=$((failed + 1))
    fi
    echo "-- $s: $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
done

echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
