# The two commands of the contract: `make run` serves, `make test` checks everything.
CARGO ?= cargo

.PHONY: run test tools build bench bench-micro bench-load fmt lint lint-build unit scenarios js soak fuzz text-layout

run:
	$(CARGO) run --release -p server --bin mediamock -- serve $(ARGS)

build:
	$(CARGO) build --release -p server --bin mediamock

test: tools fmt lint-build unit scenarios js

# `make test` lints as it builds: clippy's driver compiles the workspace's own crates, lints
# denied as in `make lint`, in the same pass that builds every target for the tests. The
# dependencies (the AWS SDKs above all) are then compiled once, not once for `cargo clippy`
# and again for the tests. Every cargo step of `make test` runs under the driver, so none
# rebuilds the crates of another. Without clippy's driver, `lint-build` is `make lint`.
CLIPPY_DRIVER := $(wildcard $(shell rustc --print sysroot 2>/dev/null)/bin/clippy-driver)
ifneq ($(CLIPPY_DRIVER),)
test: export RUSTC_WORKSPACE_WRAPPER := $(CLIPPY_DRIVER)
test: export CLIPPY_ARGS := -D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__
lint-build:
	$(CARGO) test --workspace --all-targets --no-run
else
lint-build: lint
endif

# What the tests need beyond Rust and Python (Node.js, Chromium, venv), installed if missing.
tools:
	scripts/test-tools.sh

fmt:
	$(CARGO) fmt --all -- --check

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Property-based fuzz targets (tests named `fuzz_*`) run a few cases in `unit`, many in `fuzz`.
PROPTEST_CASES ?= 24
FUZZ_CASES ?= 50000

unit:
	PROPTEST_CASES=$(PROPTEST_CASES) $(CARGO) test --workspace

# The fuzz targets for minutes (release build; FUZZ_CASES per target). A failure prints the
# minimal input and saves its seed under the crate's proptest-regressions/ for replay.
fuzz:
	PROPTEST_CASES=$(FUZZ_CASES) $(CARGO) test --release -p sigv4 -p protocol -p policy -p iam -p server -- fuzz_

# The same scenarios with boto3 and the AWS CLI, in a virtualenv under target/.
PY_ENV := target/py
$(PY_ENV)/.installed:
	python3 -m venv $(PY_ENV)
	$(PY_ENV)/bin/pip install --quiet boto3 awscli
	touch $@

# The scenarios run the `target/debug/mediamock` the test build makes: `cargo build -p server`
# alone resolves other dependency features (no dev-dependencies) and would compile the
# server's crates a second time.
BUILD_DEBUG_BIN := $(CARGO) test --workspace --no-run

scenarios: $(PY_ENV)/.installed
	$(BUILD_DEBUG_BIN)
	PATH="$(CURDIR)/$(PY_ENV)/bin:$$PATH" $(PY_ENV)/bin/python scripts/scenarios_boto3.py target/debug/mediamock

# The same scenarios with the AWS SDK for JavaScript v3 (versions pinned in
# clients/js/package-lock.json; `npm ci` reinstalls them whenever the lock file changes).
JS := clients/js
$(JS)/node_modules/.installed: $(JS)/package-lock.json
	cd $(JS) && npm ci --no-audit --no-fund
	touch $@

js: $(JS)/node_modules/.installed
	$(BUILD_DEBUG_BIN)
	cd $(JS) && MEDIAMOCK_BIN="$(CURDIR)/target/debug/mediamock" node --test test/*.test.mjs

# Every benchmark: criterion's micro-benchmarks (each prints its side-by-side figures), then the
# load harness (crates/bench): the release binary, the bare hyper ceiling and moto's server
# (in a venv under target/; left out if it cannot be installed) at 1 and 64 connections.
# BENCH_ARGS passes flags to it, e.g. BENCH_ARGS="--compare ../r1/target/release/mediamock".
BENCH_PY := target/bench-py
$(BENCH_PY)/.installed:
	python3 -m venv $(BENCH_PY) && $(BENCH_PY)/bin/pip install --quiet "moto[server]" && touch $@ \
	  || echo "moto could not be installed: the load benchmark leaves it out"

bench: bench-micro bench-load

# The memory benchmark measures the binary `make run` builds (a build with the test-only
# dependencies' features is linked differently, see crates/server/build.rs).
MEASURED := target/mediamock-measured
bench-micro: build
	cp target/release/mediamock $(MEASURED)
	MEMORY_BENCH_BIN=$(CURDIR)/$(MEASURED) $(CARGO) bench -p sigv4 -p protocol -p policy -p ivs -p server

bench-load: $(BENCH_PY)/.installed
	$(CARGO) build --release -p server --bin mediamock
	$(CARGO) build --release -p bench --bins
	target/release/mediamock-bench --moto $(BENCH_PY)/bin/moto_server $(BENCH_ARGS)

# Rewrites the list of warm-up functions the release link places side by side (needs valgrind).
text-layout:
	bash scripts/text-layout.sh

# A million mixed requests against target/release/mediamock (not part of `make test`).
soak:
	bash scripts/soak.sh $(SOAK_ARGS)
