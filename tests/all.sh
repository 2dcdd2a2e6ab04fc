#!/usr/bin/env bash
# make test: every check, in three phases, and one total at the end.
#  1. unit (cmocka) and end-to-end tests on the normal build
#  2. the unit tests and a smoke subset of the end-to-end tests on a build
#     with AddressSanitizer + UBSan (make asan; ASAN_E2E in the Makefile)
#  3. a deterministic fuzz of the scenario loader (fixed seed, 5,000 inputs;
#     `make fuzz FUZZ_SECONDS=N` fuzzes for longer)
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
total_p=0
total_f=0
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
    echo "######## $name: ${p:-0} passed, ${f:-0} failed"
}
phase "tests" bash tests/run-tests.sh "$@"
# The fuzz (one process) runs beside the sanitizer phase, which leaves a
# core idle at times; each writes its own log, printed in order.
fuzzlog=$(mktemp)
trap 'rm -f "$log" "$fuzzlog"' EXIT
bash tests/fuzz/run-fuzz.sh --runs 5000 >"$fuzzlog" 2>&1 &
fuzzpid=$!
phase "tests under ASan + UBSan" make --no-print-directory asan
wait $fuzzpid || echo "not ok - the fuzz exited with $?" >>"$fuzzlog"
phase "fuzz" cat "$fuzzlog"
echo
echo "all: $total_p passed, $total_f failed"
[ "$total_f" -eq 0 ] && [ "$total_p" -gt 0 ]
