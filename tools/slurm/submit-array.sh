#!/bin/bash
# Submits a sweep as a job array of N tasks and, after all of them succeed,
# the merge of their parts:
#
#   tools/slurm/submit-array.sh SCENARIO.cfg N [reassure run options]
set -euo pipefail
cd "$(dirname "$0")/../.."
scenario=${1:?usage: tools/slurm/submit-array.sh SCENARIO.cfg N [options]}
n=${2:?usage: tools/slurm/submit-array.sh SCENARIO.cfg N [options]}
shift 2
mkdir -p results
build/reassure check "$scenario" "$@" >/dev/null   # refuse a bad scenario before queueing
array=$(sbatch --parsable --array=0-$((n - 1)) tools/slurm/array.sbatch "$scenario" "$@")
merge=$(sbatch --parsable --dependency=afterok:"${array%%;*}" tools/slurm/merge.sbatch "$scenario" "$n")
echo "array job $array ($n tasks), merge job $merge -> results/$(basename "$scenario" .cfg).h5"
