# reassure — build, test, run and benchmark.
#
#   make          build build/reassure
#   make run      install what is missing, build, run the default scenario, print its summary
#   make test     every unit (cmocka) and end-to-end test, then the same under
#                 ASan + UBSan, then a short deterministic fuzz of the loader
#   make bench    engine, runner and scale (bench/scale.sh: cost against sweep
#                 points) benchmarks (figures, never pass/fail)
#   make docs     docs/scenarios.md from the schema tables, and the run-derived
#                 numbers of docs/model.md (tools/docblocks); make chart: docs/debate-risk.png
#   make golden   tests/golden/*.csv, the pinned results of a small run of each model
#   make asan     build under AddressSanitizer + UBSan (build/asan/) and run every unit test
#                 and a smoke subset of the end-to-end tests (make asan-build: the build only)
#   make valgrind run a small scenario of each model under memcheck
#   make install  PREFIX=/usr/local DESTDIR= (make uninstall removes it)
#   make clean

# Flags: what the build needs is kept apart from the user's CFLAGS,
# CPPFLAGS, LDFLAGS and LDLIBS, which extend it and never replace it
# (`make CFLAGS=-O3` keeps -std=c11, -Iinclude and the libraries' flags).
# -Werror only where warnings must fail: make test, make asan and CI
# (WERROR=-Werror); a plain `make` warns.
CC      ?= gcc
# MPI: on when mpicc is found (install-deps.sh installs OpenMPI), off with
# `make MPI=0`. The binary is the same either way for a single process: it
# joins MPI only when mpirun/srun started it (see include/par.h).
MPI     ?= $(if $(shell command -v mpicc 2>/dev/null),1,0)
ifeq ($(MPI),1)
CC      := mpicc
MPIFLAGS := -DREASSURE_MPI
endif
OPT     ?= -O2
DEBUG   ?= -g
CFLAGS  ?= $(OPT) $(DEBUG)
SAN     ?=
WERROR  ?=
# OpenMP is required (threads); another compiler may spell it differently
# (e.g. OPENMP_FLAGS="-Xpreprocessor -fopenmp" OPENMP_LIBS=-lomp).
OPENMP_FLAGS ?= -fopenmp
OPENMP_LIBS  ?=
# GSL, libconfig and HDF5: from pkg-config, or given by hand on a machine
# without it (e.g. a cluster's modules): GSL_CFLAGS/GSL_LIBS,
# LIBCONFIG_CFLAGS/LIBCONFIG_LIBS, HDF5_CFLAGS/HDF5_LIBS.
PKG_CONFIG ?= pkg-config
pc = $(shell $(PKG_CONFIG) $(1) $(2) 2>/dev/null)
GSL_CFLAGS       ?= $(call pc,--cflags,gsl)
GSL_LIBS         ?= $(call pc,--libs,gsl)
LIBCONFIG_CFLAGS ?= $(call pc,--cflags,libconfig)
LIBCONFIG_LIBS   ?= $(call pc,--libs,libconfig)
HDF5_CFLAGS      ?= $(call pc,--cflags,hdf5)
HDF5_LIBS        ?= $(call pc,--libs,hdf5)
MISSING := $(if $(strip $(GSL_LIBS)),,GSL (libgsl-dev; or set GSL_CFLAGS and GSL_LIBS)) \
           $(if $(strip $(LIBCONFIG_LIBS)),,libconfig (libconfig-dev; or set LIBCONFIG_CFLAGS and LIBCONFIG_LIBS)) \
           $(if $(strip $(HDF5_LIBS)),,HDF5 (libhdf5-dev; or set HDF5_CFLAGS and HDF5_LIBS))
NEED_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra $(WERROR) $(OPENMP_FLAGS) \
               -Iinclude $(GSL_CFLAGS) $(LIBCONFIG_CFLAGS) $(HDF5_CFLAGS) $(SAN) $(MPIFLAGS)
ALL_CFLAGS   = $(NEED_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS  = $(OPENMP_FLAGS) $(SAN) $(LDFLAGS)
ALL_LIBS     = $(GSL_LIBS) $(LIBCONFIG_LIBS) $(HDF5_LIBS) $(OPENMP_LIBS) -lm $(LDLIBS)

BUILD   := build
# The version is the file VERSION; the commit and whether the tree was
# modified come from git at build time (a tarball build says "unknown").
# build/gen/build_version.h is rewritten only when they change.
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_DESCRIBE := $(shell git describe --always --dirty --abbrev=12 2>/dev/null)
GIT_COMMIT := $(if $(GIT_DESCRIBE),$(GIT_DESCRIBE:-dirty=),unknown)
TREE_MODIFIED := $(if $(GIT_DESCRIBE),$(if $(filter %-dirty,$(GIT_DESCRIBE)),1,0),-1)
GEN_VERSION := $(BUILD)/gen/build_version.h
$(shell mkdir -p $(BUILD)/gen; \
  t='#define REASSURE_VERSION "$(VERSION)"\n#define REASSURE_COMMIT "$(GIT_COMMIT)"\n#define REASSURE_TREE_MODIFIED $(TREE_MODIFIED)\n'; \
  printf "$$t" | cmp -s - $(GEN_VERSION) || printf "$$t" > $(GEN_VERSION))
# sim/ by layer (docs/architecture.md): engine, scenario, models, results,
# run, cli. Every source but the CLI's goes into the library.
SRC     := $(sort $(wildcard sim/*/*.c sim/*/*/*.c))
SIMHDR  := $(wildcard sim/*/*.h sim/*/*/*.h)
LIBSRC  := $(filter-out sim/cli/%,$(SRC))
CLISRC  := $(filter sim/cli/%,$(SRC))
# What the scenario loader needs (the layers below results and runner):
# the fuzz harness links exactly these (make print-fuzzsrc).
FUZZSRC := $(filter sim/engine/% sim/scenario/% sim/models/%,$(SRC))
LIBOBJ  := $(LIBSRC:sim/%.c=$(BUILD)/obj/%.o)
TESTSRC := $(wildcard tests/test_*.c)
TESTBIN := $(TESTSRC:tests/%.c=$(BUILD)/tests/%)
GENDOCS := $(if $(wildcard tools/gendocs.c),$(BUILD)/gendocs)
DEFAULT_SCENARIO ?= scenarios/debate.cfg

.PHONY: all run chart test bench deps docs golden asan asan-build valgrind fuzz clean print-fuzzsrc \
        check-deps install uninstall
all: $(BUILD)/reassure

# Objects are rebuilt when the compiler or flags change (MPI on or off).
FLAGS_STAMP := $(BUILD)/.flags
FLAGS_NOW := $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)
$(shell mkdir -p $(BUILD); [ "$$(cat $(FLAGS_STAMP) 2>/dev/null)" = '$(FLAGS_NOW)' ] || echo '$(FLAGS_NOW)' > $(FLAGS_STAMP))

$(BUILD)/obj/results/build_info.o: $(GEN_VERSION)
$(BUILD)/obj/results/build_info.o: ALL_CFLAGS += -I$(BUILD)/gen

# Says what is missing, once, before anything is compiled.
check-deps:
	@$(if $(strip $(MISSING)),echo "reassure: cannot build: missing $(strip $(MISSING)); on Debian: make deps" >&2; exit 1,:)

$(BUILD)/obj/%.o: sim/%.c $(wildcard include/*.h) $(SIMHDR) Makefile $(FLAGS_STAMP) | check-deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libreassure.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/reassure: $(CLISRC:sim/%.c=$(BUILD)/obj/%.o) $(BUILD)/libreassure.a
	$(CC) $(ALL_LDFLAGS) $^ $(ALL_LIBS) -o $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/libreassure.a $(wildcard include/*.h) $(wildcard tests/*.h) | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(BUILD)/libreassure.a $(ALL_LIBS) -lcmocka -o $@

$(BUILD)/bench/%: bench/%.c $(BUILD)/libreassure.a $(wildcard include/*.h) | $(BUILD)/bench
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(BUILD)/libreassure.a $(ALL_LIBS) -o $@

$(BUILD)/gendocs: tools/gendocs.c $(BUILD)/libreassure.a $(wildcard include/*.h)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(BUILD)/libreassure.a $(ALL_LIBS) -o $@

# docs/scenarios.md is generated from the schema tables, and every number of
# docs/model.md that comes from a run from the commands it shows (the runs
# and tables are in docs/model.blocks); `make test` fails when either
# committed file is stale. docs/model.stamp and docs/backcast.stamp record
# every input of the documents' runs: while they match, make test repeats
# only the runs the .blocks files list under "spot" (tools/docblocks), so
# run make docs after changing the code even when no number moves.
docs: $(BUILD)/gendocs $(BUILD)/reassure
	$(BUILD)/gendocs > docs/scenarios.md
	$(BUILD)/gendocs --baseline > scenarios/baseline.cfg
	REASSURE=$(BUILD)/reassure tools/docblocks --write docs/model.md
	REASSURE=$(BUILD)/reassure tools/docblocks --write docs/backcast.md

# Golden results (tests/golden/runs.txt): `make test` compares a rerun with
# them byte for byte; regenerate them only for a deliberate change of results.
golden: $(BUILD)/reassure
	R=$(BUILD)/reassure bash tests/golden/update.sh

$(BUILD)/obj $(BUILD)/tests $(BUILD)/bench:
	mkdir -p $@

deps:
	bash tools/install-deps.sh

RUN_OUT := results/$(basename $(notdir $(DEFAULT_SCENARIO))).h5
run: deps
	$(MAKE) all
	mkdir -p results
	$(BUILD)/reassure run $(DEFAULT_SCENARIO) -o $(RUN_OUT) --force
	@echo
	@echo "charts:"
	@tools/plot $(RUN_OUT) -o results

# The debate chart shown in README.md, regenerated from a full debate run.
chart: all
	mkdir -p results
	$(BUILD)/reassure run scenarios/debate.cfg -q -o results/debate.h5 --force
	tools/plot results/debate.h5 -o results
	cp results/debate-risk.png docs/debate-risk.png
	$(BUILD)/reassure run scenarios/options.cfg -q -o results/options.h5 --force
	tools/plot results/options.h5 -o results
	cp results/options-options.png docs/options.png

# Builds inside test and asan use every core (JOBS=1 for a serial build).
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
test: deps
	$(MAKE) -j$(JOBS) WERROR=-Werror all $(TESTBIN) $(GENDOCS)
	ASAN_UNITS="$(ASAN_UNITS)" ASAN_E2E="$(ASAN_E2E)" ASAN_ENV="$(ASAN_ENV)" \
	    bash tests/all.sh $(TESTBIN)

bench: all $(BUILD)/bench/bench_engine
	bash bench/run-bench.sh

# Sanitizers: every unit test (merge, the reader, the work list, the
# options and stop among them) and a smoke subset of the end-to-end tests,
# on binaries built with ASan and UBSan; any report aborts the test that
# caused it. The subset, a smoke set: the CLI and the bad-input corpus
# (cli), the writer, its refusals and an interrupted and resumed run
# (results), the edge values and trace (model), the golden runs (golden), a
# --precision run stopped, killed and resumed (precision), full disks and
# two writers (faults), and the design with most code of its own
# (uncertainty: options, contrasts, regret, discovery). The others run on
# the normal build only: documents and plots run Python over the normal
# build's results; the cluster script drives MPI, which the sanitizer build
# leaves out; cases, compare and export run the loader, the runner, merge
# and the reader, which the subset and the unit tests (test_results.c's
# merge, test_contrast.c) already run under the sanitizers. make test
# starts asan-build beside the other tests and queues these after them
# (tests/all.sh).
ASAN_E2E ?= cli results model golden precision faults uncertainty
ASAN_UNITS := $(TESTSRC:tests/%.c=build/asan/tests/%)
ASAN_ENV := ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
            LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp
# -g1 (line tables and functions, no variables) is what a report's file:line
# and inlined frames need, and builds in about 15% less time than -g.
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
asan-build: deps
	$(MAKE) -j$(JOBS) WERROR=-Werror BUILD=build/asan OPT=-O1 DEBUG=-g1 MPI=0 SAN="$(ASAN_FLAGS)" build/asan/reassure \
	    $(ASAN_UNITS)

asan: asan-build
	$(ASAN_ENV) R=build/asan/reassure E2E="$(ASAN_E2E)" bash tests/run-tests.sh $(ASAN_UNITS)

valgrind: all
	bash tests/valgrind.sh

# Fuzz the scenario loader and the --set/--sweep parser (libFuzzer, clang).
FUZZ_SECONDS ?= 60
fuzz: deps
	bash tests/fuzz/run-fuzz.sh $(FUZZ_SECONDS)

# make install PREFIX=/opt/reassure DESTDIR=/tmp/stage: the binary,
# tools/plot as reassure-plot (its module plot_uncertainty.py in
# share/reassure), the command reference (from --help), the
# shipped scenarios as examples, and the documents.
PREFIX  ?= /usr/local
BINDIR  := $(DESTDIR)$(PREFIX)/bin
SHAREDIR := $(DESTDIR)$(PREFIX)/share/reassure
DOCDIR  := $(DESTDIR)$(PREFIX)/share/doc/reassure
install: $(BUILD)/reassure
	install -d $(BINDIR) $(SHAREDIR) $(DOCDIR)
	install -m 755 $(BUILD)/reassure $(BINDIR)/reassure
	install -m 755 tools/plot $(BINDIR)/reassure-plot
	install -m 644 tools/plot_uncertainty.py $(SHAREDIR)/
	cp -R scenarios $(SHAREDIR)/
	$(BUILD)/reassure --help > $(DOCDIR)/reference.txt
	install -m 644 README.md LICENSE CITATION.cff CHANGELOG.md $(DOCDIR)/
	cp -R docs $(DOCDIR)/

uninstall:
	rm -f $(BINDIR)/reassure $(BINDIR)/reassure-plot
	rm -rf $(SHAREDIR) $(DOCDIR)

print-fuzzsrc:
	@echo $(FUZZSRC)

clean:
	rm -rf build
