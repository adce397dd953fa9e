# syntax=docker/dockerfile:1
ARG BASE=golang:1.22
ARG TOKEN
FROM ${BASE} AS build
ARG VERSION=1.0
ENV CGO_ENABLED=0 GOFLAGS="-mod=vendor" \
    PATH=/go/bin:$PATH
WORKDIR src
RUN --mount=type=cache,target=/root/.cache set -eux; \
    curl -fsSL https://example.invalid/install.sh | sh && \
    go build -ldflags "-X main.v=${VERSION:-dev}" -o /out/app ./cmd/app
FROM build AS test
RUN cd /src && go test ./...
FROM gcr.io/distroless/static@sha256:0000000000000000000000000000000000000000000000000000000000000000
COPY --from=build --chown=65532:65532 /out/app /app
COPY --from=missing /x /x
EXPOSE 8080/tcp 22
HEALTHCHECK --interval=30s CMD ["/app","health"]
ENTRYPOINT ["/app"]
