# reassure — build, test, run and benchmark.
#
#   make          build build/reassure
#   make run      install what is missing, build, run the default scenario, print its summary
#   make test     build and run every unit (cmocka) and end-to-end test
#   make bench    engine and runner benchmarks (figures, never pass/fail)
#   make clean

CC      ?= gcc
PKGS    := gsl libconfig hdf5
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -fopenmp -Iinclude \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
LDFLAGS += -fopenmp

BUILD   := build
SRC     := $(wildcard sim/*.c)
LIBSRC  := $(filter-out sim/main.c,$(SRC))
LIBOBJ  := $(LIBSRC:sim/%.c=$(BUILD)/obj/%.o)
TESTSRC := $(wildcard tests/test_*.c)
TESTBIN := $(TESTSRC:tests/%.c=$(BUILD)/tests/%)
GENDOCS := $(if $(wildcard tools/gendocs.c),$(BUILD)/gendocs)
DEFAULT_SCENARIO ?= scenarios/debate.cfg

.PHONY: all run test unit e2e bench deps docs clean
all: $(BUILD)/reassure

$(BUILD)/obj/%.o: sim/%.c $(wildcard include/*.h) Makefile | $(BUILD)/obj
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libreassure.a: $(LIBOBJ)
	$(AR) rcs $@ $^

$(BUILD)/reassure: $(BUILD)/obj/main.o $(BUILD)/libreassure.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/libreassure.a $(wildcard include/*.h) | $(BUILD)/tests
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(BUILD)/libreassure.a $(LDLIBS) -lcmocka -o $@

$(BUILD)/bench/%: bench/%.c $(BUILD)/libreassure.a $(wildcard include/*.h) | $(BUILD)/bench
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(BUILD)/libreassure.a $(LDLIBS) -o $@

$(BUILD)/gendocs: tools/gendocs.c $(BUILD)/libreassure.a $(wildcard include/*.h)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(BUILD)/libreassure.a $(LDLIBS) -o $@

# docs/scenarios.md is generated from the schema tables; `make test` fails
# when the committed copy is stale.
docs: $(BUILD)/gendocs
	$(BUILD)/gendocs > docs/scenarios.md

$(BUILD)/obj $(BUILD)/tests $(BUILD)/bench:
	mkdir -p $@

deps:
	bash tools/install-deps.sh

run: deps
	$(MAKE) all
	mkdir -p results
	$(BUILD)/reassure run $(DEFAULT_SCENARIO)

test: deps
	$(MAKE) all $(TESTBIN) $(GENDOCS)
	bash tests/run-tests.sh $(TESTBIN)

bench: all $(BUILD)/bench/bench_engine
	bash bench/run-bench.sh

clean:
	rm -rf $(BUILD)
