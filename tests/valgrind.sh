#!/usr/bin/env bash
# make valgrind: a small scenario of each model, and check, trace and
# summary, under memcheck. Any error or definite/indirect leak fails.
# (HDF5 and libgomp keep some memory for the life of the process: "still
# reachable", not counted.)
set -u
cd "$(dirname "$0")/.."
R=build/reassure
T=$(mktemp -d /tmp/reassure-vg-XXXXXX)
trap 'rm -rf "$T"' EXIT
VG="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
fails=0
runs=0
run() { # run WHAT [=CODE] COMMAND...: expects exit CODE (default 0)
    local what=$1 code=0; shift
    runs=$((runs + 1))
    case $1 in =*) code=${1#=}; shift ;; esac
    $VG "$@" >"$T/out" 2>"$T/err"
    if [ $? -eq "$code" ]; then
        echo "ok - valgrind: $what"
    else
        echo "not ok - valgrind: $what"; tail -30 "$T/err"; fails=$((fails + 1))
    fi
}
run "mm1 run" $R run scenarios/validation/mm1.cfg -n 3 --set mm1.customers=2000 -j 2 -q -o "$T/m.h5"
run "lanchester run" $R run scenarios/validation/lanchester.cfg -n 200 -j 2 -q -o "$T/l.h5"
run "reassurance debate run" $R run scenarios/debate.cfg -n 20 -j 2 -o "$T/d.h5"
run "check" $R check scenarios/debate.cfg
run "trace" $R trace scenarios/debate.cfg --point 9 --rep 3
run "summary" $R summary "$T/d.h5"
run "summary --csv" $R summary "$T/d.h5" --csv
run "bad scenario (exit 2)" =2 $R check tests/scenarios/bad/shares_not_one.cfg
run "share --points 0:12" $R run scenarios/debate.cfg -n 20 -j 2 -q --points 0:12 -o "$T/a.h5"
run "share --points 12:24" $R run scenarios/debate.cfg -n 20 -j 1 -q --points 12:24 -o "$T/b.h5"
run "merge" $R merge "$T/a.h5" "$T/b.h5" -o "$T/ab.h5"
run "merge refusal (exit 2)" =2 $R merge "$T/a.h5" "$T/a.h5" -o "$T/aa.h5"
cat >"$T/sobol.cfg" <<'CFG'
model = "ishigami";
replications = 1;
seed = 3;
sweep = { design = "sobol"; samples = 16; parameters = (
  { key = "ishigami.x1"; range = [-3.14, 3.14]; }, { key = "ishigami.x2"; range = [-3.14, 3.14]; },
  { key = "ishigami.x3"; range = [-3.14, 3.14]; } ); };
CFG
run "sobol sweep with /sensitivity" $R run "$T/sobol.cfg" -j 2 -o "$T/s.h5"
cat >"$T/lhs.cfg" <<'CFG'
model = "reassurance";
replications = 5;
seed = 3;
sweep = { design = "lhs"; points = 4; parameters = (
  { key = "force.troops"; range = [800, 30000]; }, { key = "us_backstop.enabled"; } ); };
CFG
run "lhs sweep" $R run "$T/lhs.cfg" -j 2 -q -o "$T/lhs.h5"
run "--resume of a complete result" $R run scenarios/debate.cfg -n 20 -q -o "$T/d.h5" --resume
run "bad --sweep (exit 2)" =2 $R run scenarios/debate.cfg --sweep force.troops=1,x -o "$T/x.h5"
run "cases design" $R run scenarios/cases.cfg -n 20 -j 2 -q -o "$T/c.h5"
run "compare cases" $R compare "$T/c.h5"
run "uncertainty design (worlds, regret, PRIM, Sobol contrasts)" $R run tests/scenarios/crossover.cfg -n 20 -j 2 -q -o "$T/u.h5"
run "summary of an uncertainty design" $R summary "$T/u.h5"
run "compare two files" $R compare "$T/a.h5" "$T/a.h5"
run "export replications" $R export "$T/d.h5" --table replications
run "trace RESULT.h5" $R trace "$T/d.h5" --point 9 --rep 3
printf 'base = "%s/scenarios/baseline.cfg";\nforce = { troops = 15000; };\n' "$PWD" >"$T/based.cfg"
run "a scenario based on another" $R run "$T/based.cfg" -n 10 -q -o "$T/based.h5"
run "a complete result is not replaced (exit 2)" =2 $R run scenarios/debate.cfg -n 20 -q -o "$T/d.h5"
REASSURE_TEST_STOP_AFTER_BLOCKS=2 run "--force interrupted over a complete result (exit 1)" =1 \
    $R run scenarios/debate.cfg -n 200 -q --force -o "$T/d.h5"
run "--resume from the .partial" $R run scenarios/debate.cfg -n 200 -q -o "$T/d.h5" --resume
REASSURE_TEST_STOP_AFTER_BLOCKS=3 run "--rows sample:2 interrupted: /fold_state (exit 1)" =1 \
    $R run scenarios/debate.cfg -n 100 -j 2 -q --rows sample:2 -o "$T/rows.h5"
run "--resume of it from /fold_state" $R run scenarios/debate.cfg -n 100 -j 2 -q --rows sample:2 -o "$T/rows.h5" --resume
echo "valgrind: $((runs - fails)) passed, $fails failed"
[ $fails -eq 0 ]
