#!/bin/sh
# ddrsim benchmark (see bench/README.md). Usage: sh bench/run.sh [BUILD_DIR]
# Called by `make bench` with the build directory; needs /usr/bin/python3 with
# NumPy, h5py and PyYAML (Debian: python3-numpy python3-h5py python3-yaml).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
if [ ! -x "$py" ]; then
  echo "bench: $py not found; install the Debian package python3" >&2
  exit 2
fi
exec "$py" "$here/bench.py" --build "${1:-build}"
