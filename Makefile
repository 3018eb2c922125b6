# Hearth's everyday commands. `make run` and `make test` are the two the README promises.
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: run test build vet fmt seed bench

## run: Hearth on the embedded SQLite default (data in ./data)
run:
	$(GO) run ./cmd/hearth serve

## test: the whole test suite with the race detector (PostgreSQL too when HEARTH_TEST_DATABASE_URL is set)
test:
	$(GO) test -race -count=1 -timeout 30m ./...

## build: a static binary in ./bin/hearth
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w -X main.version=$(VERSION)" -o bin/hearth ./cmd/hearth

vet:
	$(GO) vet ./...

fmt:
	gofmt -l -w .

## seed: fill the database in HEARTH_DATABASE_URL (or the SQLite default) with a benchmark forum; SEED_ARGS="--posts 100000"
seed:
	$(GO) run ./cmd/hearth seed $(SEED_ARGS)

## bench: the load benchmark against the PostgreSQL in HEARTH_BENCH_DATABASE_URL (seeds it first when empty); see README, Performance
bench:
	@test -n "$(HEARTH_BENCH_DATABASE_URL)" || { echo "set HEARTH_BENCH_DATABASE_URL to a PostgreSQL database made for the benchmark (see README, Performance)"; exit 2; }
	$(GO) run ./bench $(BENCH_ARGS)
