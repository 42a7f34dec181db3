#!/bin/sh
# make test-asan: the whole ctest suite built with AddressSanitizer and
# UndefinedBehaviorSanitizer (gcc) in a build directory of its own.
#
# Every process the tests start (the test programs, ddrsim, MPI ranks) writes
# its sanitizer reports to files under BUILD/sanitizer-logs instead of
# stderr, because many tests run ddrsim through a shell and read its output:
# a report there could be swallowed by a test that expects ddrsim to fail.
# The suite fails if any test fails or any report was written.
#
# Usage: sh scripts/test-asan.sh [BUILD [JOBS]]   (default build-asan, nproc)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-asan}
jobs=${2:-$(nproc 2>/dev/null || echo 2)}

flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$build" -j "$jobs"

logs=$(cd "$build" && pwd)/sanitizer-logs
rm -rf "$logs"
mkdir -p "$logs"
# detect_leaks: LeakSanitizer at every exit; suppressions only for OpenMPI's
# own allocations (tests/sanitizers/lsan.supp says why, one by one).
export ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=1:check_initialization_order=1:strict_string_checks=1"
export UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$src/tests/sanitizers/lsan.supp:print_suppressions=0"
# MPI ranks (every mpirun passes them this environment): full stack
# unwinding for LeakSanitizer, so that OpenMPI's own leaks show the OpenMPI
# library they come from (lsan.supp). Only there: it doubles the cost of
# every allocation.
export OMPI_MCA_mca_base_env_list="ASAN_OPTIONS=$ASAN_OPTIONS:fast_unwind_on_malloc=0"

status=0
(cd "$build" && ctest --output-on-failure -j "$jobs") || status=1
reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
  for f in $reports; do
    echo "==== $f"
    cat "$f"
  done
  echo "test-asan: $(echo "$reports" | wc -l) sanitizer report(s) above" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "test-asan: all tests passed, no sanitizer reports"
exit "$status"
