#!/bin/sh
# make test-valgrind (not in CI): the ddrsim commands of a small end-to-end
# flow under valgrind's memcheck, each required to exit as it should with no
# memory error and no leak (definite or possible). Suppressions, each
# explained, are only for OpenMPI and libgomp (tests/sanitizers/valgrind.supp).
# Everything is written to a temporary directory, removed at the end.
#
# Usage: sh scripts/test-valgrind.sh [BUILD]   (default build)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
bin=$build/ddrsim
work=$(mktemp -d /tmp/ddrsim-valgrind-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
ln -s "$src/scenarios/mali-2020-baseline.yaml" base.yaml
# the what-if extends the baseline by its name, beside it
ln -s "$src/scenarios/mali-2020-baseline.yaml" mali-2020-baseline.yaml
ln -s "$src/scenarios/mali-2020-second-centre.yaml" centre.yaml
printf 'design: grid\ninputs:\n  nodes.training.centres.national.courses_at_once: [2, 3]\n' >grid.yaml
printf 'scenario: {name: bad}\ncalendar: {start: 2021-01-04, end: 2020-12-31, step: week}\n' >bad.yaml
printf 'not an HDF5 file\n' >text.h5

# --error-exitcode=1: ddrsim itself never exits 1 (its codes are 0, 2-7, 70),
# so 1 is always memcheck's verdict.
vg="valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,possible
  --show-leak-kinds=definite,possible --track-origins=yes --num-callers=30
  --suppressions=$src/tests/sanitizers/valgrind.supp"
failed=0
steps=0
# step EXPECTED_EXIT ARGS...: one ddrsim command under memcheck.
step() {
  want=$1
  shift
  steps=$((steps + 1))
  start=$(date +%s)
  set +e
  # shellcheck disable=SC2086
  $vg "$bin" "$@" >step.out 2>&1
  rc=$?
  set -e
  if [ "$rc" -ne "$want" ]; then
    failed=$((failed + 1))
    echo "FAIL (exit $rc, expected $want$([ "$rc" -eq 1 ] && echo ': memcheck errors')): ddrsim $*"
    cat step.out
  else
    echo "ok   $(($(date +%s) - start)) s  ddrsim $*"
  fi
}

step 0 run base.yaml -n 30 -j 2 -q -o a.h5
step 0 run centre.yaml -n 30 -j 2 -q -o b.h5
step 0 run base.yaml -n 12 -j 2 -q --store full -o full.h5
step 0 summary a.h5
step 0 summary a.h5 --format json
step 0 compare a.h5 b.h5
step 0 export full.h5 --csv csv
step 0 run base.yaml -n 30 -j 2 -q --shard 1/2 -o p1.h5
step 0 run base.yaml -n 30 -j 2 -q --shard 2/2 -o p2.h5
step 0 merge p1.h5 p2.h5 -q -o merged.h5
step 0 sweep base.yaml grid.yaml -n 6 -j 2 -q -o sweep.h5
step 0 summary sweep.h5 --point 1
step 0 plot a.h5 -o a.png
step 0 plot a.h5 b.h5 --kind compare -o ab.svg
step 0 report a.h5 b.h5 -o brief.html
step 0 report a.h5 --lang fr -o note.md
step 0 validate base.yaml
step 0 validate centre.yaml --explain
# errors: each reported once, with everything freed on the way out
step 3 validate bad.yaml
step 3 run base.yaml --set nodes.nothing=3 -q -o x.h5
step 3 summary text.h5
step 5 run base.yaml -n 5 -q -o a.h5
step 4 run base.yaml -n 5 -q -o nowhere/x.h5
step 4 plot a.h5 -o nowhere/x.png
step 3 merge p1.h5 -q -o m.h5
step 2 run --no-such-option

echo "test-valgrind: $((steps - failed)) of $steps commands clean"
[ "$failed" -eq 0 ]
