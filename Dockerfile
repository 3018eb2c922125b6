# Hearth: one static binary on a distroless image that runs as a non-root user.
#
#   docker build -t hearth .
#
# The compose file next to this one builds it and puts Caddy (HTTPS) and PostgreSQL beside it.

# --- build -------------------------------------------------------------------------------------
FROM golang:1.26-bookworm AS build
WORKDIR /src

# Modules first, so that changing the code does not download them again.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
# Static (no cgo: the SQLite driver is pure Go), no local paths, no symbol tables.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/hearth ./cmd/hearth

# The final image has no shell to create directories with, so the data directory is made here and
# copied over with the owner of the distroless "nonroot" user (65532). A named volume mounted on an
# empty /data takes over this ownership the first time it is used.
RUN mkdir -p /out/data

# --- run ---------------------------------------------------------------------------------------
FROM gcr.io/distroless/static-debian12:nonroot

COPY --from=build /out/hearth /hearth
COPY --from=build --chown=65532:65532 /out/data /data

# Listen on every interface inside the container; only the compose network (Caddy) can reach it.
ENV HEARTH_ADDR=0.0.0.0:8080 \
    HEARTH_DATA_DIR=/data

VOLUME ["/data"]
USER nonroot
EXPOSE 8080

# No HEALTHCHECK: distroless has no shell or curl to run one. Watch /healthz from outside instead
# (for example through Caddy: https://your-domain/healthz).
ENTRYPOINT ["/hearth"]
CMD ["serve"]
