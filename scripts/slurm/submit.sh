#!/bin/sh
# Submit the shards job array, then the merge job that starts when every
# shard has succeeded (afterok). Usage (from the ddrsim directory):
#   SCENARIO=my.yaml REPS=1000000 OUTPUT=results/my.h5 sh scripts/slurm/submit.sh
set -eu
here=$(dirname "$0")
OUTPUT=${OUTPUT:-results/ddrsim-shards.h5}
array=$(sbatch --parsable --export=ALL "$here/shards.sbatch")
array=${array%%;*}
PARTS=${PARTS:-results/parts-$array}
export OUTPUT PARTS
merge=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" "$here/merge.sbatch")
echo "shards: job $array; merge: job $merge; result: $OUTPUT"
