#!/usr/bin/env python3
"""Writes N realistic Dockerfiles (deterministic for a seed) into a directory, for bench/dockerfile/run.sh.
Each mixes the shapes real files have: multi-stage builds, long continued RUNs, several package managers,
heredocs, ONBUILD, ARG/ENV, COPY --from, HEALTHCHECK, USER. Sizes from a dozen lines to a few hundred."""
import random
import sys

BASES = ["debian:12", "debian:bookworm-slim", "ubuntu:22.04", "alpine:3.20", "python:3.12-slim", "node:20-bookworm",
         "golang:1.22", "fedora:40", "opensuse/leap:15.6", "registry.example.com/team/base:2.3@sha256:" + "ab" * 32]
APT = ["curl", "ca-certificates", "git", "build-essential", "libssl-dev", "gnupg", "unzip", "jq", "tzdata", "locales"]
APK = ["curl", "bash", "git", "openssl", "tini", "su-exec", "ca-certificates"]
PIP = ["requests==2.32.3", "flask", "gunicorn==22.0.0", "numpy", "pyyaml>=6"]
NPM = ["typescript", "express@4.19.2", "@types/node@20"]


def run_apt(r):
    pkgs = r.sample(APT, r.randint(2, 8))
    lines = ["RUN set -eux; \\", "    apt-get update; \\"]
    opts = r.choice(["-y --no-install-recommends", "-y", "-qq", ""])
    lines.append(f"    apt-get install {opts} \\")
    for p in pkgs:
        lines.append(f"        {p}{'=1.0-1' if r.random() < 0.2 else ''} \\")
    lines.append("    ; \\")
    lines.append("    rm -rf /var/lib/apt/lists/*" if r.random() < 0.6 else "    apt-get clean")
    return lines


def stage(r, name, final):
    base = r.choice(BASES)
    out = [f"FROM {base}{' AS ' + name if name else ''}"]
    for _ in range(r.randint(0, 3)):
        out.append(r.choice(["ARG VERSION=1.2.3", "ENV LANG=C.UTF-8", "ENV PATH=/opt/app/bin:$PATH", "ARG TARGETARCH", "LABEL org.opencontainers.image.source=https://example.com/repo"]))
    out.append(r.choice(["WORKDIR /src", "WORKDIR /app", "WORKDIR app"]))
    for _ in range(r.randint(1, 6)):
        kind = r.randint(0, 9)
        if kind <= 2:
            out += run_apt(r)
        elif kind == 3:
            out.append(f"RUN apk add {r.choice(['--no-cache ', ''])}{' '.join(r.sample(APK, 3))}")
        elif kind == 4:
            out.append(f"RUN pip install {r.choice(['--no-cache-dir ', ''])}{' '.join(r.sample(PIP, 2))}")
        elif kind == 5:
            out.append(f"RUN npm {r.choice(['ci', 'install'])} && npm install -g {r.choice(NPM)}")
        elif kind == 6:
            out += ["RUN <<EOF", "set -e", "curl -fsSL https://example.com/install.sh | sh", "echo done", "EOF"]
        elif kind == 7:
            out.append(f"COPY {r.choice(['. .', 'package*.json ./', '--chown=app:app src/ /app/src/'])}")
        elif kind == 8:
            out.append(f"RUN cd /tmp && wget -q https://example.com/tool-{r.randint(1, 9)}.tar.gz && tar xzf tool-*.tar.gz && rm tool-*.tar.gz")
        else:
            out.append("ONBUILD RUN make -C /src")
    if final:
        out.append(r.choice(["COPY --from=build /out/app /usr/local/bin/app", "ADD app.tar.gz /opt/"]))
        out.append(r.choice(["USER 10001", "USER app", "USER root", ""]))
        # dockerfilelint 1.8 crashes on a HEALTHCHECK without options, which would end its run at that file.
        out.append(r.choice(["HEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/ || exit 1", ""]))
        out.append(r.choice(['ENTRYPOINT ["/usr/local/bin/app"]', "CMD app --serve", 'CMD ["app", "--serve"]']))
        out.append(r.choice(["EXPOSE 8080", "EXPOSE 22 8080/tcp", ""]))
    return [l for l in out if l]


def main():
    directory, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1
    r = random.Random(seed)
    for i in range(count):
        stages = r.choice([1, 1, 2, 2, 3])
        lines = ["# syntax=docker/dockerfile:1"]
        for s in range(stages):
            lines += stage(r, "build" if s == 0 and stages > 1 else (f"s{s}" if s < stages - 1 else None), s == stages - 1)
            lines.append("")
        with open(f"{directory}/Dockerfile.{i:04d}", "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
