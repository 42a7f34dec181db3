#!/bin/sh
# Installs the Debian packages ddrsim needs to build, test and benchmark, if any
# are missing. As root it runs apt-get; otherwise it prints the command to run.
# Arguments name more packages to install the same way (make test-browser
# passes chromium and poppler-utils; scripts/fuzz.sh passes clang-14,
# libclang-rt-14-dev and libomp-14-dev).
set -eu

# fonts-dejavu-core: the font the plots name (gnuplot only recommends fonts);
# python3-*: tests and the benchmark's NumPy peer.
packages="cmake make gcc pkg-config libgsl-dev libhdf5-dev libyaml-dev libcmocka-dev
librandom123-dev zlib1g-dev gnuplot-nox fonts-dejavu-core hdf5-tools python3 python3-h5py
python3-numpy python3-yaml libopenmpi-dev openmpi-bin $*"

missing=""
for p in $packages; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ddrsim needs these Debian packages:$missing" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi

echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
