# Hearth's everyday commands. `make run` and `make test` are the two the README promises.
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: run test build vet fmt

## run: Hearth on the embedded SQLite default (data in ./data)
run:
	$(GO) run ./cmd/hearth serve

## test: the whole test suite with the race detector (PostgreSQL too when HEARTH_TEST_DATABASE_URL is set)
test:
	$(GO) test -race -count=1 ./...

## build: a static binary in ./bin/hearth
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w -X main.version=$(VERSION)" -o bin/hearth ./cmd/hearth

vet:
	$(GO) vet ./...

fmt:
	gofmt -l -w .
