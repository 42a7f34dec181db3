# ddrsim: a thin wrapper around CMake, so that two commands do everything on a
# fresh Debian 12 machine:  `make demo`  and  `make test`.

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_TYPE ?= RelWithDebInfo
PREFIX ?= /usr/local

.PHONY: all deps configure build demo test test-asan test-valgrind test-browser test-slurm bench install clean fuzz

all: build

deps:
	@sh scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Runs the shipped baseline to results/mali-2020-baseline.h5, prints its
# summary and draws its fan chart against the 3,000 target.
demo: build
	./$(BUILD)/ddrsim run scenarios/mali-2020-baseline.yaml --force
	./$(BUILD)/ddrsim plot results/mali-2020-baseline.h5 -o results/mali-2020-baseline.png

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite built with AddressSanitizer and UndefinedBehaviorSanitizer
# in build-asan/; fails on any test failure or sanitizer report (CI runs it
# after make test; scripts/test-asan.sh).
test-asan: deps
	sh scripts/test-asan.sh build-asan $(JOBS)

# Not in CI: installs Debian's valgrind if missing and runs a small
# end-to-end flow's ddrsim commands under memcheck (scripts/test-valgrind.sh).
test-valgrind: build
	@sh scripts/install-deps.sh valgrind
	sh scripts/test-valgrind.sh $(BUILD)

# Not in CI: installs Debian's chromium and poppler-utils if missing, prints
# briefs to PDF with headless Chromium and checks every page has its plots
# (scripts/test-browser.sh); the page images stay in $(BUILD)/test-browser.
test-browser: build
	@sh scripts/install-deps.sh chromium poppler-utils
	sh scripts/test-browser.sh $(BUILD)

# Not in CI: as root, installs Debian's slurm-wlm and munge if missing, starts
# a one-node Slurm in a temporary directory and runs scripts/slurm's job array,
# merge and MPI job on a small run against a run in one process
# (scripts/slurm/test-slurm.sh); stops the daemons at the end.
test-slurm: build
	sh scripts/slurm/test-slurm.sh $(BUILD)

# Not in CI: builds the libFuzzer harnesses of tests/fuzz with clang (ASan,
# UBSan) into build-fuzz/ and fuzzes each target for FUZZ_SECONDS on one core
# (scripts/fuzz.sh; clang-14 and libclang-rt-14-dev installed if missing).
FUZZ_SECONDS ?= 60
fuzz:
	sh scripts/fuzz.sh $(FUZZ_SECONDS)

bench: build
	sh bench/run.sh $(BUILD)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) build-asan
