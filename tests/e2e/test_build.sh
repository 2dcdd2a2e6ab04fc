#!/usr/bin/env bash
# The build is portable: user flags extend what it needs, the libraries'
# flags come from pkg-config or by hand with a clear message when missing,
# and `make install` gives a tree from which the debate runs. Each case uses
# its own build folder in $T (one object compiled, not the whole program).
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
O=obj/results/out.o

make -s MPI=0 CFLAGS=-O3 BUILD="$T/o3" "$T/o3/$O" >"$T/out" 2>&1
check "CFLAGS=-O3 builds (out.o, which needs HDF5)" [ -s "$T/o3/$O" ]
make -n MPI=0 CFLAGS=-O3 BUILD="$T/o3" "$T/o3/$O" -B >"$T/out" 2>&1
check "CFLAGS=-O3 extends: -O3 with -std=c11, -Iinclude and HDF5's include folder" \
    bash -c "grep -- '-O3' '$T/out' | grep -- '-std=c11' | grep -- '-Iinclude' | grep -q -- \"$(pkg-config --cflags hdf5)\""
make -n MPI=0 CPPFLAGS=-DREASSURE_TEST_FLAG BUILD="$T/o3" "$T/o3/$O" -B >"$T/out" 2>&1
check "CPPFLAGS reach the compiler" grep -q -- "-DREASSURE_TEST_FLAG" "$T/out"

expect_exit 2 "no pkg-config and no flags: a clear message" \
    make -s MPI=0 PKG_CONFIG=false BUILD="$T/np" "$T/np/$O"
err_has "missing GSL"
err_has "HDF5 (libhdf5-dev; or set HDF5_CFLAGS and HDF5_LIBS)"
make -s MPI=0 PKG_CONFIG=false BUILD="$T/np" \
    GSL_CFLAGS="$(pkg-config --cflags gsl)" GSL_LIBS="$(pkg-config --libs gsl)" \
    LIBCONFIG_CFLAGS="$(pkg-config --cflags libconfig)" LIBCONFIG_LIBS="$(pkg-config --libs libconfig)" \
    HDF5_CFLAGS="$(pkg-config --cflags hdf5)" HDF5_LIBS="$(pkg-config --libs hdf5)" \
    "$T/np/$O" >"$T/out" 2>&1
check "no pkg-config, flags by hand: builds" [ -s "$T/np/$O" ]
make -n MPI=0 PKG_CONFIG=false BUILD="$T/np" HDF5_CFLAGS=-I/x GSL_LIBS=-lgsl LIBCONFIG_LIBS=-lconfig \
    HDF5_LIBS=-lhdf5-by-hand "$T/np/reassure" >"$T/out" 2>&1
check "no pkg-config, flags by hand: the link line has them" grep -q -- "-lhdf5-by-hand" "$T/out"

# Install the program already built (copied into a build folder of its own,
# so this test never rebuilds build/).
mkdir -p "$T/ib"
cp "$R" "$T/ib/reassure"
expect_exit 0 "make install PREFIX DESTDIR" make -s -o "$T/ib/reassure" BUILD="$T/ib" \
    PREFIX=/opt/reassure DESTDIR="$T/stage" install
P="$T/stage/opt/reassure"
check "installed: the binary, the plot tool, the reference, the scenarios, the documents" \
    bash -c "[ -x '$P/bin/reassure' ] && [ -x '$P/bin/reassure-plot' ] && \
             grep -q 'reassure run SCENARIO.cfg' '$P/share/doc/reassure/reference.txt' && \
             [ -f '$P/share/reassure/scenarios/debate.cfg' ] && [ -f '$P/share/doc/reassure/LICENSE' ]"
expect_exit 0 "the debate runs from the installed tree" \
    "$P/bin/reassure" run "$P/share/reassure/scenarios/debate.cfg" -n 20 -q -o "$T/d.h5"
if /usr/bin/python3 -c "import matplotlib, h5py" 2>/dev/null; then
    # its module (plot_uncertainty.py, in share/reassure) is found from bin/
    expect_exit 0 "the installed plot tool draws it" "$P/bin/reassure-plot" "$T/d.h5" -o "$T/png"
fi
expect_exit 0 "make uninstall" make -s -o "$T/ib/reassure" BUILD="$T/ib" PREFIX=/opt/reassure \
    DESTDIR="$T/stage" uninstall
check "uninstalled: nothing left" [ -z "$(find "$P" -type f)" ]
[ $fails -eq 0 ]
