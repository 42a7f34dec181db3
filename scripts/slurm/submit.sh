#!/bin/sh
# Submit the shards job array, then the merge job that starts when every
# shard has succeeded (afterok). Usage (from the ddrsim directory):
#   SCENARIO=my.yaml REPS=1000000 OUTPUT=results/my.h5 sh scripts/slurm/submit.sh
# Arguments go to the array's sbatch and override its #SBATCH lines, e.g.
#   sh scripts/slurm/submit.sh --array=1-16 --cpus-per-task=4
set -eu
here=$(dirname "$0")
OUTPUT=${OUTPUT:-results/ddrsim-shards.h5}
array=$(sbatch --parsable --export=ALL "$@" "$here/shards.sbatch")
array=${array%%;*}
PARTS=${PARTS:-results/parts-$array}
export OUTPUT PARTS
merge=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" "$here/merge.sbatch")
echo "shards: job $array; merge: job $merge; result: $OUTPUT"
