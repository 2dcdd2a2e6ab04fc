#!/usr/bin/env bash
# make test: every check, and one total at the end.
#  1. unit (cmocka) and end-to-end tests on the normal build
#  2. the unit tests and a smoke subset of the end-to-end tests on a build
#     with AddressSanitizer + UBSan (ASAN_UNITS, ASAN_E2E and ASAN_ENV from
#     the Makefile)
#  3. a deterministic fuzz of the scenario loader (fixed seed, 5,000 inputs;
#     `make fuzz FUZZ_SECONDS=N` fuzzes for longer)
# 1 and 2 are one queue (tests/run-tests.sh): the sanitizer jobs follow the
# others and start once the sanitizer build is done. That build (make
# asan-build) and the fuzz (its build, then its run) start at once, at a
# lower priority (nice 10 and 15): they take mostly the CPU that the tests
# leave idle. Each writes its own log; the groups are printed in order, each
# with the time (from the start of this script) it was done at.
# Cost (issue 14): about 145 CPU-seconds with the three builds (normal 13,
# sanitizers 17, fuzz 2, and the fuzz's run 4), and the two cores are busy
# throughout, so the wall time is about half of it: 77 s for make test on a
# fresh clone (2026-11-30, a quiet 2-core machine), where the commit the
# issue was filed at took 170 s back to back. The largest parts: the MPI
# scripts test_cluster.sh and test_fold.sh (16 CPU-s; mpirun's launches), the
# sanitizer jobs (26), test_faults.sh (7, its disk-full sweep), test_docs.sh
# (5, the headline runs of docs/model.md).
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
asanlog=$(mktemp)
fuzzlog=$(mktemp)
ready=$(mktemp -u)
trap 'rm -f "$log" "$asanlog" "$fuzzlog" "$ready" "$ready.tmp"' EXIT
total_p=0
total_f=0
t0=$(date +%s.%N)
since() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a}'; }
count() { # count LABEL NAME: adds the "LABEL: N passed, M failed" line of the log
    local line p f
    line=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
    p=$(echo "$line" | sed -n 's/.* \([0-9]*\) passed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
    [ -z "$line" ] && f=1 # no count: the runner died
    total_p=$((total_p + ${p:-0}))
    total_f=$((total_f + ${f:-0}))
    echo "######## $2: ${p:-0} passed, ${f:-0} failed"
}
(nice -n 10 make --no-print-directory asan-build >"$asanlog" 2>&1; rc=$?
 echo "# the sanitizer build, beside the tests, done at $(since) s" >>"$asanlog"
 echo $rc >"$ready.tmp" && mv "$ready.tmp" "$ready") &
asanpid=$!
(nice -n 15 bash tests/fuzz/run-fuzz.sh --runs 5000 >"$fuzzlog" 2>&1; rc=$?
 echo "# the fuzz, beside the tests, done at $(since) s" >>"$fuzzlog"; exit $rc) &
fuzzpid=$!
echo "######## tests, then under ASan + UBSan (one queue)"
ASAN_READY=$ready bash tests/run-tests.sh "$@" 2>&1 | tee "$log"
wait $asanpid
if [ "$(cat "$ready")" = 0 ]; then tail -1 "$asanlog"; else
    echo "the sanitizer build failed:"; tail -30 "$asanlog"; fi
echo "# done at $(since) s"
count tests "tests"
count asan "tests under ASan + UBSan"
wait $fuzzpid || echo "not ok - the fuzz exited with $?" >>"$fuzzlog"
echo "######## fuzz"
cat "$fuzzlog"
p=$(grep -c '^ok - ' "$fuzzlog"); f=$(grep -c '^not ok - ' "$fuzzlog")
total_p=$((total_p + p))
total_f=$((total_f + f))
echo "######## fuzz: $p passed, $f failed (done at $(since) s)"
echo
echo "all: $total_p passed, $total_f failed"
[ "$total_f" -eq 0 ] && [ "$total_p" -gt 0 ]
