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

# Every job — the unit test binaries given as arguments, then the end-to-end
# scripts (tests/e2e/test_NAME.sh; E2E="cli results ..." runs only those,
# as the sanitizer phase does) — runs E2E_JOBS at a time (default: the
# cores), each with its own log and temporary folder; the logs are then
# printed whole and in order, so the output reads as a serial run.
jobs=${E2E_JOBS:-$(nproc 2>/dev/null || echo 2)}
outdir=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$outdir"' EXIT
units=("$@")
scripts=()
for s in tests/e2e/test_*.sh; do
    [ -e "$s" ] || continue
    if [ -n "${E2E:-}" ]; then
        name=${s#tests/e2e/test_}; name=${name%.sh}
        case " $E2E " in *" $name "*) ;; *) continue ;; esac
    fi
    scripts+=("$s")
done
all=("${units[@]}" "${scripts[@]}")
# The slowest first (longest wall time first, as measured on the 2-core CI
# machine, in either build; a unit binary by its name without test_), so the
# last to finish is not a long one started late: with two jobs, the others
# fill the second core around them.
order=()
name_of() { local n=${1##*/}; n=${n%.sh}; echo "${n#test_}"; }
for slow in cluster docs faults precision plot sensitivity plot_uncertainty reassurance kill \
    backcast uncertainty summary cases; do
    for t in "${all[@]}"; do [ "$(name_of "$t")" = "$slow" ] && order+=("$t"); done
done
for t in "${all[@]}"; do
    case " ${order[*]} " in *" $t "*) ;; *) order+=("$t") ;; esac
done
key() { echo "$1" | tr '/.' '__'; }
running=0
for t in "${order[@]}"; do
    k=$(key "$t")
    (
        start=$(date +%s.%N)
        case "$t" in
        *.sh) bash "$t" >"$outdir/$k.log" 2>&1 ;;
        *) "$t" >"$outdir/$k.log" 2>&1 ;;
        esac
        echo $? >"$outdir/$k.rc"
        awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}' >"$outdir/$k.time"
    ) &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait
for t in "${units[@]}"; do
    k=$(key "$t")
    echo "== $t"
    cat "$outdir/$k.log"
    rc=$(cat "$outdir/$k.rc")
    p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$outdir/$k.log" | tail -1)
    f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$outdir/$k.log" | tail -1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
        echo "!! $t exited with $rc"
        failed=$((failed + 1))
    fi
    echo "-- $t: $(cat "$outdir/$k.time") s"
done
for s in "${scripts[@]}"; do
    k=$(key "$s")
    echo "== $s"
    cat "$outdir/$k.log"
    rc=$(cat "$outdir/$k.rc")
    p=$(grep -c '^ok - ' "$outdir/$k.log")
    f=$(grep -c '^not ok - ' "$outdir/$k.log")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "!! $s exited with $rc"
        failed=$((failed + 1))
    fi
    echo "-- $s: $(cat "$outdir/$k.time") s"
done

echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
