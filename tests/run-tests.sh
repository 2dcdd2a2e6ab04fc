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
# the sanitizer phase runs a smoke subset. E2E_JOBS scripts run at once
# (default: the cores; each script has its own temporary folder), their
# logs printed whole and in order.
jobs=${E2E_JOBS:-$(nproc 2>/dev/null || echo 2)}
outdir=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$outdir"' EXIT
scripts=()
for s in tests/e2e/test_*.sh; do
    [ -e "$s" ] || continue
    if [ -n "${E2E:-}" ]; then
        name=${s#tests/e2e/test_}; name=${name%.sh}
        case " $E2E " in *" $name "*) ;; *) continue ;; esac
    fi
    scripts+=("$s")
done
# The slowest first, so the last to finish is not a long one started late.
order=()
for s in tests/e2e/test_cluster.sh tests/e2e/test_docs.sh; do
    for t in "${scripts[@]}"; do [ "$t" = "$s" ] && order+=("$s"); done
done
for t in "${scripts[@]}"; do
    case " ${order[*]} " in *" $t "*) ;; *) order+=("$t") ;; esac
done
running=0
for s in "${order[@]}"; do
    name=$(basename "$s" .sh)
    (
        start=$(date +%s.%N)
        bash "$s" >"$outdir/$name.log" 2>&1
        echo $? >"$outdir/$name.rc"
        awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}' >"$outdir/$name.time"
    ) &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait
for s in "${scripts[@]}"; do
    name=$(basename "$s" .sh)
    echo "== $s"
    cat "$outdir/$name.log"
    rc=$(cat "$outdir/$name.rc")
    p=$(grep -c '^ok - ' "$outdir/$name.log")
    f=$(grep -c '^not ok - ' "$outdir/$name.log")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "!! $s exited with $rc"
        failed=$((failed + 1))
    fi
    echo "-- $s: $(cat "$outdir/$name.time") s"
done

echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
