#!/usr/bin/env bash
# Runs every cmocka test binary given as arguments, then every end-to-end
# script in tests/e2e/ (or those E2E names), and closes with one line
# "tests: N passed, M failed".
# e2e scripts print "ok - what" or "not ok - what" per check (TAP style).
#
# With ASAN_READY=FILE (tests/all.sh, make test) a second group joins the
# same queue: the unit binaries of ASAN_UNITS and the scripts named in
# ASAN_E2E, run with R=ASAN_R and the environment ASAN_ENV ("K=V K=V",
# the sanitizers' options), each started once FILE holds the exit status
# of the sanitizer build (0: built; otherwise its jobs fail unrun). The
# group is printed after the first, closed by "asan: N passed, M failed".
# One queue rather than two phases: the sanitizer jobs fill the cores that
# the first group's last jobs leave idle.
set -u
cd "$(dirname "$0")/.."

# Every job runs E2E_JOBS at a time (default: the cores), each with its own
# log and temporary folder; the logs are then printed whole and in order,
# so the output reads as a serial run.
jobs=${E2E_JOBS:-$(nproc 2>/dev/null || echo 2)}
outdir=$(mktemp -d)
trap 'rm -rf "$outdir"' EXIT

scripts_of() { # scripts_of "NAMES": tests/e2e/test_NAME.sh, every one if NAMES is empty
    local s name
    for s in tests/e2e/test_*.sh; do
        [ -e "$s" ] || continue
        if [ -n "$1" ]; then
            name=${s#tests/e2e/test_}; name=${name%.sh}
            case " $1 " in *" $name "*) ;; *) continue ;; esac
        fi
        echo "$s"
    done
}
units=("$@")
mapfile -t scripts < <(scripts_of "${E2E:-}")
asan_units=()
asan_scripts=()
if [ -n "${ASAN_READY:-}" ]; then
    read -ra asan_units <<<"${ASAN_UNITS:-}"
    mapfile -t asan_scripts < <(scripts_of "${ASAN_E2E:-}")
fi

# The slowest first within each group (longest wall time first, as measured
# in make test on a quiet 2-core machine; a unit binary by its name without
# test_), so the last to finish is not a long one started late: the others
# fill the cores around them.
SLOW="fold cluster faults docs reassurance plot_uncertainty precision plot docblocks kill \
    cases sensitivity build summary"
name_of() { local n=${1##*/}; n=${n%.sh}; echo "${n#test_}"; }
ordered() { # ordered JOB...: the slow ones first, in SLOW's order, then the rest
    local slow t
    local -a out=()
    for slow in $SLOW; do
        for t in "$@"; do [ "$(name_of "$t")" = "$slow" ] && out+=("$t"); done
    done
    for t in "$@"; do
        case " ${out[*]} " in *" $t "*) ;; *) out+=("$t") ;; esac
    done
    printf '%s\n' "${out[@]}"
}
queue=()
[ $(( ${#units[@]} + ${#scripts[@]} )) -gt 0 ] &&
    mapfile -t -O 0 queue < <(ordered "${units[@]}" "${scripts[@]}" | sed 's/^/main /')
if [ $(( ${#asan_units[@]} + ${#asan_scripts[@]} )) -gt 0 ]; then
    mapfile -t -O ${#queue[@]} queue < <(ordered "${asan_units[@]}" "${asan_scripts[@]}" | sed 's/^/asan /')
fi

key() { echo "$1-$2" | tr '/.' '__'; }
run_one() { # run_one GROUP JOB: its log, exit status and wall time in $outdir
    local group=$1 t=$2 k start
    k=$(key "$group" "$t")
    local -a env=()
    if [ "$group" = asan ]; then
        while [ ! -s "$ASAN_READY" ]; do sleep 0.2; done
        if [ "$(cat "$ASAN_READY")" != 0 ]; then
            echo "not run: the sanitizer build failed (make asan-build shows why)" >"$outdir/$k.log"
            echo 1 >"$outdir/$k.rc"
            echo 0 >"$outdir/$k.time"
            return
        fi
        read -ra env <<<"${ASAN_ENV:-}"
        env+=("R=${ASAN_R:-build/asan/reassure}")
    fi
    start=$(date +%s.%N)
    case "$t" in
    *.sh) env "${env[@]}" bash "$t" >"$outdir/$k.log" 2>&1 ;;
    *) env "${env[@]}" "$t" >"$outdir/$k.log" 2>&1 ;;
    esac
    echo $? >"$outdir/$k.rc"
    awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}' >"$outdir/$k.time"
}
running=0
for job in "${queue[@]}"; do
    run_one ${job%% *} "${job#* }" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

report() { # report GROUP LABEL "UNITS" "SCRIPTS": the logs in order, then the count
    local group=$1 label=$2 t k rc p f passed=0 failed=0
    local -a us ss
    read -ra us <<<"$3"
    read -ra ss <<<"$4"
    for t in "${us[@]}"; do
        k=$(key "$group" "$t")
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
    for t in "${ss[@]}"; do
        k=$(key "$group" "$t")
        echo "== $t"
        cat "$outdir/$k.log"
        rc=$(cat "$outdir/$k.rc")
        p=$(grep -c '^ok - ' "$outdir/$k.log")
        f=$(grep -c '^not ok - ' "$outdir/$k.log")
        passed=$((passed + p))
        failed=$((failed + f))
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
            echo "!! $t exited with $rc"
            failed=$((failed + 1))
        fi
        echo "-- $t: $(cat "$outdir/$k.time") s"
    done
    echo
    echo "$label: $passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
report main tests "${units[*]}" "${scripts[*]}"
status=$?
if [ -n "${ASAN_READY:-}" ]; then
    echo
    report asan asan "${asan_units[*]}" "${asan_scripts[*]}" || status=1
fi
exit $status
