# The two commands of the contract: `make run` serves, `make test` checks everything.
CARGO ?= cargo

.PHONY: run test build bench fmt lint unit soak

run:
	$(CARGO) run --release -p server --bin mediamock -- serve $(ARGS)

build:
	$(CARGO) build --release -p server --bin mediamock

test: fmt lint unit

fmt:
	$(CARGO) fmt --all -- --check

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

unit:
	$(CARGO) test --workspace

bench:
	$(CARGO) bench -p sigv4 -p protocol -p policy -p server

soak: build
	python3 scripts/soak.py
