#!/bin/sh
# Fuzzes the scenario reader (target "scenario": bytes as a scenario file) and
# --set values (target "set": NUL-separated KEY=VALUE arguments on the shipped
# baseline) with libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer.
#
#   scripts/fuzz.sh [SECONDS] [TARGET]     (default: 60 seconds, both targets)
#
# Each target runs SECONDS on one core (one process, one thread). The build
# (clang, tests/fuzz/CMakeLists.txt) goes to build-fuzz/, never build/; the
# corpus grows in build-fuzz/corpus/TARGET from a seed corpus made of
# scenarios/ and scenarios/designs (and tests/fuzz/seeds/set for "set"), plus
# every input in tests/fuzz/regress/. A crash, leak, timeout (10 s) or sanitizer
# report leaves its input in build-fuzz/artifacts/TARGET/ and makes the script
# fail; keep such inputs in tests/fuzz/regress/ (tests/test_hostile.c loads
# each one through the normal build). The log of each run is
# build-fuzz/TARGET.log; its last lines are libFuzzer's statistics.
# FUZZ_FLAGS adds libFuzzer options, e.g. FUZZ_FLAGS="-fork=1 -ignore_crashes=1"
# to keep going after a finding (still one worker, one core).
set -eu

seconds=${1:-60}
targets=${2:-"scenario set"}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${FUZZ_BUILD:-$root/build-fuzz}

case "$seconds" in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS] [scenario|set]" >&2; exit 2 ;;
esac
for t in $targets; do
  case "$t" in
    scenario | set) ;;
    *) echo "fuzz.sh: unknown target \"$t\"; expected scenario or set" >&2; exit 2 ;;
  esac
done

# clang and its libFuzzer runtime are needed only here, not for make test.
sh "$root/scripts/install-deps.sh" clang-14 libclang-rt-14-dev libomp-14-dev

cmake -S "$root/tests/fuzz" -B "$out" -DCMAKE_C_COMPILER=clang-14 >/dev/null
cmake --build "$out" -j 1 >/dev/null

status=0
for t in $targets; do
  corpus="$out/corpus/$t"
  seeds="$out/seeds/$t"
  mkdir -p "$corpus" "$seeds" "$out/artifacts/$t"
  if [ "$t" = scenario ]; then
    cp "$root"/scenarios/*.yaml "$root"/scenarios/designs/*.yaml "$seeds/"
  else
    cp "$root"/tests/fuzz/seeds/set/* "$seeds/"
  fi
  for f in "$root"/tests/fuzz/regress/"$t"-*; do
    [ -e "$f" ] && cp "$f" "$seeds/"
  done
  echo "fuzzing $t for $seconds s (log: $out/$t.log)"
  # -rss_limit_mb: a scenario that needs more is a finding, not a pass.
  rm -f "$out/artifacts/$t"/*
  # -ignore_crashes (with -fork) exits 0 after findings: the artifacts tell.
  if ! "$out/fuzz_$t" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -dict="$root/tests/fuzz/scenario.dict" \
      -artifact_prefix="$out/artifacts/$t/" -print_final_stats=1 ${FUZZ_FLAGS:-} \
      </dev/null >"$out/$t.log" 2>&1 || [ -n "$(ls -A "$out/artifacts/$t")" ]; then
    echo "fuzz.sh: $t found a problem; its input is in $out/artifacts/$t/:" >&2
    ls "$out/artifacts/$t" >&2
    status=1
  fi
  # the last status line (executions, coverage, features, corpus), then the
  # final statistics (not printed in -fork mode)
  grep -E '^#[0-9]+' "$out/$t.log" | tail -n 1
  grep -E '^(Done|stat::)' "$out/$t.log" || true
done
exit $status
