#!/usr/bin/env bash
# The command line: usage, exit codes, messages, and the bad-input corpus.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh

expect_exit 0 "--help" $R --help
check "--help lists the commands" grep -q "reassure run SCENARIO.cfg" "$T/out"
expect_exit 0 "--version" $R --version
check "--version names the version" grep -q "^reassure [0-9]" "$T/out"
expect_exit 0 "run --help" $R run --help
check "run --help lists run's options, not another command's" bash -c "grep -q -- '--resume' '$T/out' && ! grep -q -- '--table' '$T/out'"
expect_exit 0 "trace --help" $R trace --help
check "trace --help lists --point and --rep" bash -c "grep -q -- '--point P' '$T/out' && grep -q -- '--rep R' '$T/out' && ! grep -q -- '--sweep' '$T/out'"
expect_exit 2 "an option the command does not take is an error" $R check scenarios/validation/mm1.cfg --points 0:1
err_has "check does not take --points"
expect_exit 2 "trace does not take --sweep" $R trace scenarios/validation/mm1.cfg --sweep mm1.mu=2,3
err_has "trace does not take --sweep"
expect_exit 2 "merge does not take -n" $R merge a.h5 -o b.h5 -n 3
err_has "merge does not take --replications"
expect_exit 2 "--set and --sweep of one key" $R check scenarios/validation/mm1.cfg --set mm1.mu=2 --sweep mm1.mu=2,3
err_has "name one key: give one or the other"
mkdir -p "$T/bom" && printf '\xEF\xBB\xBFmodel = "mm1";\nreplications = 2;\n' >"$T/bom/s.cfg"
expect_exit 0 "a UTF-8 byte-order mark is not text" $R check "$T/bom/s.cfg"
expect_exit 2 "no arguments" $R
expect_exit 2 "unknown command" $R frobnicate x.cfg
err_has 'unknown command "frobnicate"'
expect_exit 2 "unknown option" $R run scenarios/validation/mm1.cfg --bogus
err_has "unknown option --bogus"
expect_exit 2 "missing scenario argument" $R run
expect_exit 2 "-j 0" $R run scenarios/validation/mm1.cfg -j 0
err_has "-j/--threads"
expect_exit 2 "-n not a number" $R run scenarios/validation/mm1.cfg -n abc
err_has '-n/--replications: "abc"'
expect_exit 2 "-s negative" $R check scenarios/validation/mm1.cfg -s -4
expect_exit 2 "option without value" $R run scenarios/validation/mm1.cfg -o
expect_exit 2 "two scenarios" $R run scenarios/validation/mm1.cfg scenarios/validation/lanchester.cfg
expect_exit 2 "missing scenario file" $R check "$T/none.cfg"
err_has "$T/none.cfg: cannot open scenario file: No such file or directory"
expect_exit 2 "scenario is a folder" $R check "$T"
expect_exit 0 "no model key means the reassurance model" $R check <(echo 'replications = 5;')
check "check names the reassurance model" grep -q "^model         reassurance" "$T/out"

# --set and --sweep are checked like the file.
expect_exit 2 "--set unknown key" $R check scenarios/validation/mm1.cfg --set mm1.lamda=0.5
err_has '<command line>: mm1.lamda: --set: unknown key for model "mm1"; did you mean "mm1.lambda"?'
expect_exit 2 "--set bad value" $R check scenarios/validation/mm1.cfg --set mm1.customers=many
err_has 'mm1.customers: --set: "many" is not an integer'
expect_exit 2 "--set out of range" $R check scenarios/validation/mm1.cfg --set mm1.mu=-2
err_has "mm1.mu: -2 is out of range"
expect_exit 2 "--set non-finite" $R check scenarios/validation/mm1.cfg --set mm1.mu=inf
err_has "not a finite number"
expect_exit 2 "--set without =" $R check scenarios/validation/mm1.cfg --set mm1.mu
err_has "expected KEY=VALUE"
expect_exit 2 "--set model" $R check scenarios/validation/mm1.cfg --set model=lanchester
expect_exit 2 "--set breaks a cross-key rule" $R check scenarios/validation/mm1.cfg --set mm1.lambda=3
err_has "must be less than mm1.mu"
expect_exit 2 "--sweep unknown key" $R check scenarios/validation/mm1.cfg --sweep mm1.muu=1,2
err_has 'sweep names an unknown key; did you mean "mm1.mu"?'
expect_exit 2 "--sweep empty value" $R check scenarios/validation/mm1.cfg --sweep mm1.mu=2,,3
err_has "value 2 is empty"
expect_exit 2 "--sweep bad choice" $R check scenarios/validation/lanchester.cfg --sweep lanchester.law=square,cube
err_has '"cube" is not one of "square", "linear"'
expect_exit 2 "--sweep seed" $R check scenarios/validation/mm1.cfg --sweep seed=1,2
err_has "cannot be swept"
expect_exit 0 "--set and --sweep accepted" $R check scenarios/validation/lanchester.cfg --set lanchester.a=0.5 --sweep lanchester.law=square,linear --sweep lanchester.x0=5,6,7 -n 3
check "check shows 6 points" grep -q "sweep: 2 keys, 6 points" "$T/out"
check "check shows total replications" grep -q "total replications: 18 (6 points x 3)" "$T/out"
check "check shows the resolved value" grep -qE "lanchester.a +0.5 " "$T/out"

# The corpus: every bad scenario is refused with its message in-process
# (tests/test_corpus.c); here a sample of kinds through the CLI: exit 2, its
# message, and nothing written — not even over an existing result.
echo "precious" >"$T/existing.h5"
before=$(md5sum <"$T/existing.h5")
n=0; total=0
for name in blank syntax_error include_cycle unknown_key out_of_range cross_key shares_not_one \
            sweep_unknown_key lhs_range_reversed sobol_unknown_output troops_below_battalion; do
    cfg=tests/scenarios/bad/$name.cfg
    total=$((total + 1))
    want=$(cat "${cfg%.cfg}.expect")
    got=$($R check "$cfg" 2>&1 >/dev/null); rc=$?
    if [ $rc -eq 2 ] && [[ "$got" == *"$want"* ]]; then n=$((n + 1)); else
        notok "check $cfg: exit $rc, message: $got (expected: $want)"; fi
    $R run "$cfg" -o "$T/new.h5" >/dev/null 2>&1; rc=$?
    [ $rc -eq 2 ] || notok "run $cfg: exit $rc, expected 2"
    [ -e "$T/new.h5" ] && notok "run $cfg created an output"
    $R run "$cfg" -o "$T/existing.h5" >/dev/null 2>&1
    [ "$(md5sum <"$T/existing.h5")" = "$before" ] || notok "run $cfg changed an existing output"
done
check "bad corpus sample: $n of $total give their message and exit 2" [ "$n" -eq "$total" ]
check "bad corpus sample: no temporary files left" [ -z "$(ls -A "$T" | grep -v '^existing.h5$\|^out$\|^err$\|^bom$')" ]

# Every input the fuzzer ever found a problem with: a clear verdict (0 or 2),
# never a crash. Under `make asan` this runs on the sanitized binary.
n=0; bad=0
for f in tests/fuzz/regressions/*; do
    [ -e "$f" ] || continue
    $R check "$f" >/dev/null 2>"$T/err"; rc=$?
    n=$((n + 1))
    if [ $rc -ne 0 ] && [ $rc -ne 2 ]; then bad=$((bad + 1)); notok "fuzz regression $f: exit $rc"; fi
done
check "fuzz regressions: $n inputs, each exits 0 or 2" [ $bad -eq 0 ]

# trace tells a replication in plain words.
expect_exit 0 "trace lanchester" $R trace scenarios/validation/lanchester.cfg --rep 3
check "trace has one line per event and the outcome" grep -q "loses a unit" "$T/out"
check "trace ends with the outcome" grep -qE "^outcome: (x|y)_wins" "$T/out"
expect_exit 2 "trace --point out of range" $R trace scenarios/validation/lanchester.cfg --point 5
err_has "the scenario has 1 point"

# Only regular files are included: an @include of a FIFO (or a device) is
# refused at once instead of waiting forever for a writer.
mkfifo "$T/pipe.cfg"
printf '@include "pipe.cfg"\nmodel = "mm1";\n' >"$T/inc_fifo.cfg"
expect_exit 2 "an @include of a FIFO is refused, not waited on" timeout 20 $R check "$T/inc_fifo.cfg"
err_has "inc_fifo.cfg:1: cannot include \"$T/pipe.cfg\": it is not a regular file"
printf '@include "/dev/zero"\nmodel = "mm1";\n' >"$T/inc_dev.cfg"
expect_exit 2 "an @include of a device is refused" timeout 20 $R check "$T/inc_dev.cfg"
err_has "it is not a regular file"
printf 'base = "pipe.cfg";\n' >"$T/base_fifo.cfg"
expect_exit 2 "a base scenario that is a FIFO is refused, not waited on" timeout 20 $R check "$T/base_fifo.cfg"
err_has "base_fifo.cfg:1: base: base scenario $T/pipe.cfg: is not a regular file"

# An output name too long for the lock and temporary names beside it is
# refused before the run (exit 2), not after it (the names add 20 bytes).
long=$(printf "x%.0s" $(seq 247))
expect_exit 2 "an output name of 250 bytes is refused up front" $R run scenarios/validation/mm1.cfg \
    -n 2 --set mm1.customers=10 -q -o "$T/$long.h5"
err_has "the output's name is 250 bytes; at most 235 are allowed here"
check "... and nothing is written" bash -c "! ls -a '$T' | grep -q xxxxxxxxxx"
ok235=$(printf 'y%.0s' $(seq 232))
expect_exit 0 "an output name of 235 bytes runs" $R run scenarios/validation/mm1.cfg \
    -n 2 --set mm1.customers=10 -q -o "$T/$ok235.h5"
expect_exit 2 "merge refuses the long name too" $R merge "$T/$ok235.h5" -o "$T/$long.h5"
err_has "the output's name is 250 bytes"
# A reader that goes away (| head, | true) does not turn a committed run
# into exit 141 (SIGPIPE): the run succeeded, and says so with 0.
{ $R run scenarios/validation/mm1.cfg -n 4 --set mm1.customers=1000 -o "$T/piped.h5"; echo $? >"$T/piped.rc"; } | true
check "a run into a closed pipe exits 0 ($(cat "$T/piped.rc"))" [ "$(cat "$T/piped.rc")" = 0 ]
expect_exit 0 "... and its result is whole" $R summary "$T/piped.h5"
check "... and complete" bash -c "! grep -q INCOMPLETE '$T/out'"
# A design a run could not hold is refused by check and run (exit 2, with
# the figures), not left to die out of memory. The machine's memory is
# stood in for by REASSURE_TEST_MEMORY_BYTES: 80 MB, against a 20,000-point
# grid of mm1 (about 1.2 KB a point and 64 MiB more).
mu=$(seq -s, 2 0.0025 2.4975); lam=$(seq -s, 0.1 0.01 1.09)
expect_exit 0 "a 20,000-point grid passes check here" $R check scenarios/validation/mm1.cfg \
    --sweep "mm1.mu=$mu" --sweep "mm1.lambda=$lam"
expect_exit 2 "... and is refused on a machine of 80 MB" env REASSURE_TEST_MEMORY_BYTES=8e7 \
    $R check scenarios/validation/mm1.cfg --sweep "mm1.mu=$mu" --sweep "mm1.lambda=$lam"
err_has "sweep: a run of its 20000 points needs about 0.0933 GB of memory (1312 bytes a point), more than the 0.08 GB this machine has"
expect_exit 2 "run refuses it too, writing nothing" env REASSURE_TEST_MEMORY_BYTES=8e7 \
    $R run scenarios/validation/mm1.cfg --sweep "mm1.mu=$mu" --sweep "mm1.lambda=$lam" -o "$T/big.h5"
check "... nothing written" test ! -e "$T/big.h5"
[ $fails -eq 0 ]
