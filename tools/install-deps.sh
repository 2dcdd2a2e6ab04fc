#!/usr/bin/env bash
# Installs the Debian packages reassure needs to build, test and plot.
# Idempotent: installs only what is missing, and says what it does.
set -eu
pkgs="build-essential pkg-config time libgsl-dev libconfig-dev libhdf5-dev hdf5-tools libcmocka-dev python3-h5py python3-numpy python3-matplotlib python3-pandas clang libclang-rt-14-dev openmpi-bin libopenmpi-dev"
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
