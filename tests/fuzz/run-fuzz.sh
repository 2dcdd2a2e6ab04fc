#!/usr/bin/env bash
# make fuzz FUZZ_SECONDS=N: builds the libFuzzer harness with clang (ASan +
# UBSan), seeds it with every shipped and bad scenario plus the regression
# inputs, and fuzzes for N seconds. A crash is saved in tests/fuzz/crashes/
# and fails the run: fix it, then move the input to tests/fuzz/regressions/
# (e2e tests run every regression input through `reassure check`).
set -eu
cd "$(dirname "$0")/../.."
# run-fuzz.sh SECONDS            fuzz for that long (make fuzz)
# run-fuzz.sh --runs N           N inputs from a fixed seed: deterministic (make test)
# libFuzzer's -timeout is wall time: make test runs the fuzz at nice 15
# beside the tests, where it gets a small share of the cores (an input that
# takes 1.5 s alone, a design of 500,000 points, took over 10 s there), so
# a slow input is make fuzz's finding (10 s), not make test's (300 s).
# The short deterministic fuzz builds at -O0 (3 CPU-seconds less to build
# than -O1, and about as fast over 5,000 inputs); the long one at -O1.
if [ "${1:-}" = "--runs" ]; then
    LIMIT="-runs=${2:-20000} -seed=1 -timeout=300"
    FOPT=-O0
else
    LIMIT="-max_total_time=${1:-60} -timeout=10"
    FOPT=-O1
fi
B=build/fuzz
mkdir -p $B/corpus tests/fuzz/crashes
# The loader and everything below it, as the Makefile lists them.
LIBSRC=$(make -s --no-print-directory print-fuzzsrc)
clang -std=c11 -D_POSIX_C_SOURCE=200809L -gline-tables-only $FOPT -Iinclude $(pkg-config --cflags gsl libconfig) \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    tests/fuzz/fuzz_scenario.c $LIBSRC $(pkg-config --libs gsl libconfig) -lm -o $B/fuzz_scenario
cp scenarios/*.cfg scenarios/validation/*.cfg tests/scenarios/bad/*.cfg $B/corpus/ 2>/dev/null || true
cp tests/fuzz/regressions/* $B/corpus/ 2>/dev/null || true
printf -- '--set force.troops=30000\n--sweep us_backstop.enabled=false,true\nmodel = "reassurance";\n' >$B/corpus/overrides.cfg
printf -- '--sweep mm1.lambda=0.1,0.2\n--set mm1.mu=2\nmodel = "mm1";\n' >$B/corpus/overrides-mm1.cfg
cd $B
status=0
ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=../../tests/lsan.supp ./fuzz_scenario \
    $LIMIT -max_len=8192 -rss_limit_mb=2048 \
    -artifact_prefix=../../tests/fuzz/crashes/ -dict=../../tests/fuzz/scenario.dict corpus \
    >fuzz.log 2>&1 || status=$?
grep -E "DONE|Done [0-9]+ runs|ERROR|SUMMARY: |Test unit written" fuzz.log || true
if [ $status -ne 0 ]; then
    echo "fuzz: a finding (exit $status); the input is in tests/fuzz/crashes/, the log in $B/fuzz.log"
    echo "not ok - fuzz: a finding"
else
    echo "ok - fuzz: $(grep -oE 'Done [0-9]+ runs' fuzz.log | head -1), no finding"
fi
exit $status
