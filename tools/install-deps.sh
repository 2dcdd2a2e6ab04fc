#!/usr/bin/env bash
# Installs the Debian packages reassure needs to build, test and plot.
# Idempotent: installs only what is missing, and says what it does.
set -eu
pkgs="build-essential pkg-config time libgsl-dev libconfig-dev libhdf5-dev hdf5-tools libcmocka-dev python3-h5py python3-numpy python3-matplotlib python3-pandas clang libclang-rt-14-dev openmpi-bin libopenmpi-dev"
if ! command -v dpkg-query >/dev/null 2>&1; then
    # Not Debian: say what to get; the build then names what it cannot find.
    echo "install-deps: not a Debian system; install the equivalents of:"
    echo "  C compiler with OpenMP, pkg-config, GSL, libconfig, HDF5 (+ tools), cmocka,"
    echo "  Python 3 with h5py, numpy, matplotlib and pandas; optionally clang (fuzz), OpenMPI"
    echo "  (Debian names: $pkgs)"
    echo "  or set GSL_CFLAGS/GSL_LIBS, LIBCONFIG_CFLAGS/LIBCONFIG_LIBS, HDF5_CFLAGS/HDF5_LIBS"
    exit 0
fi
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "install-deps: all packages present ($pkgs)"
    exit 0
fi
echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: not root and no sudo; install:$missing" >&2; exit 1; }
    SUDO=sudo
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
echo "install-deps: done"
