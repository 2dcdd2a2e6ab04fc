#!/usr/bin/env bash
# make test: every check, in three phases, and one total at the end.
#  1. unit (cmocka) and end-to-end tests on the normal build
#  2. the unit tests and a smoke subset of the end-to-end tests on a build
#     with AddressSanitizer + UBSan (make asan; ASAN_E2E in the Makefile)
#  3. a deterministic fuzz of the scenario loader (fixed seed, 5,000 inputs;
#     `make fuzz FUZZ_SECONDS=N` fuzzes for longer)
# The sanitizer build (make asan-build) and the fuzz (its build, then its
# run) start with phase 1, at a lower priority (nice 10 and 15): they take
# mostly the CPU that phase 1 leaves idle (its sleeps, its last long
# scripts), so phase 2 finds its build done, and the fuzz fills the gaps
# of phase 2. Each writes its own log; the phases are printed in order,
# each with the time (from the start of this script) it was done at.
# Cost (issue 14): about 205 CPU-seconds in all with the two builds, where
# it was 270-280; measured 2026-11-30 on the shared 2-core machine, under
# other users' load, back to back from fresh clones: 124 s wall (207 CPU-s)
# against 282 s (281 CPU-s) for main. Then test_fold.sh's MPI checks (the
# ranks writing their rows, issue 18) added about 15: `bash .ci/run` on a
# fresh clone took 123 s wall (220 CPU-s). The largest parts that are left:
# the docs check (25 CPU-s, the runs docs/model.md shows), the sanitizer
# build and its phase (about 55), test_cluster.sh (20), test_fold.sh (15),
# the normal build (12).
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
asanlog=$(mktemp)
fuzzlog=$(mktemp)
trap 'rm -f "$log" "$asanlog" "$fuzzlog"' EXIT
total_p=0
total_f=0
t0=$(date +%s.%N)
since() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a}'; }
phase() { # phase NAME COMMAND...: runs it, adds its "N passed, M failed" line
    local name=$1; shift
    echo "######## $name"
    "$@" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    local line p f
    line=$(grep -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    p=$(echo "$line" | sed -n 's/.* \([0-9]*\) passed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
    if [ -z "$line" ]; then
        p=$(grep -c '^ok - ' "$log"); f=$(grep -c '^not ok - ' "$log")
    fi
    [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && f=1
    total_p=$((total_p + ${p:-0}))
    total_f=$((total_f + ${f:-0}))
    echo "######## $name: ${p:-0} passed, ${f:-0} failed (done at $(since) s)"
}
(nice -n 10 make --no-print-directory asan-build >"$asanlog" 2>&1; rc=$?
 echo "# the sanitizer build, beside phase 1, done at $(since) s" >>"$asanlog"; exit $rc) &
asanpid=$!
(nice -n 15 bash tests/fuzz/run-fuzz.sh --runs 5000 >"$fuzzlog" 2>&1; rc=$?
 echo "# the fuzz, beside phases 1 and 2, done at $(since) s" >>"$fuzzlog"; exit $rc) &
fuzzpid=$!
phase "tests" bash tests/run-tests.sh "$@"
# A failed sanitizer build is built again (and its errors shown) by make asan.
if wait $asanpid; then tail -1 "$asanlog"; else
    echo "(the sanitizer build beside phase 1 failed; make asan builds it again)"; fi
phase "tests under ASan + UBSan" make --no-print-directory asan
wait $fuzzpid || echo "not ok - the fuzz exited with $?" >>"$fuzzlog"
phase "fuzz" cat "$fuzzlog"
echo
echo "all: $total_p passed, $total_f failed"
[ "$total_f" -eq 0 ] && [ "$total_p" -gt 0 ]
