#!/usr/bin/env bash
# Start-up benchmark (issue 11, goal 1): the release artefact (the NativeAOT binary of the `native` publish profile)
# as whole processes, against dockerfilelint (the npm package, run by node directly) on the same Dockerfile, measured
# in the same run, interleaved, RUNS times each; medians of wall time, CPU time and peak RSS, ratios printed last:
#   strata --version                                    goal < 50 ms
#   strata scan FILE for a Dockerfile, a Kubernetes manifest, a seccomp profile and an OCI runtime config.json
#                                                       goal <= 1.5x dockerfilelint on the Dockerfile
# Not a test; run by hand: bench/startup/run.sh     (RUNS=N, default 11; JIT=1 also times `dotnet strata.dll`;
# STRATA=FILE times that binary instead of publishing one)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/bench/out/startup"
RUNS=${RUNS:-11}
JIT=${JIT:-0}
for tool in /usr/bin/time node npm dotnet python3 clang; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (Debian: time nodejs npm clang zlib1g-dev, and the .NET SDK)" >&2; exit 2; }
done
dfl_dir="$repo/bench/dockerfile"
[ -x "$dfl_dir/node_modules/.bin/dockerfilelint" ] || npm install --no-audit --no-fund --prefix "$dfl_dir" >&2

rm -rf "$out" && mkdir -p "$out"
if [ -n "${STRATA:-}" ]; then
  strata="$(realpath "$STRATA")"
else
  # Published to bench/out/native, where bench/dockerfile/run.sh finds it too.
  echo "== publishing the native binary (dotnet publish src/Strata.Cli -p:PublishProfile=native -o bench/out/native)" >&2
  dotnet publish "$repo/src/Strata.Cli" -p:PublishProfile=native -o "$repo/bench/out/native" -v quiet -nologo >&2
  strata="$repo/bench/out/native/strata"
fi
if [ "$JIT" = 1 ]; then
  dotnet build "$repo/src/Strata.Cli" -c Release -v quiet -nologo >&2
fi
dfl=(node "$dfl_dir/node_modules/dockerfilelint/bin/dockerfilelint")

dockerfile="$repo/examples/Containerfile"
declare -A cases=(
  [version]="$strata --version"
  [dockerfile]="$strata scan dockerfile:$dockerfile --format json"
  [manifest]="$strata scan k8s:$repo/examples/k8s/deployment.yaml --format json"
  [seccomp]="$strata scan seccomp:$repo/examples/seccomp/profile.json --format json"
  [runtime]="$strata scan runtime-config:$repo/examples/runtime/config.json --format json"
  [dockerfilelint]="${dfl[*]} $dockerfile"
)
order=(version dockerfile manifest seccomp runtime dockerfilelint)
if [ "$JIT" = 1 ]; then
  cases[jit-version]="dotnet $repo/src/Strata.Cli/bin/Release/net10.0/strata.dll --version"
  cases[jit-dockerfile]="dotnet $repo/src/Strata.Cli/bin/Release/net10.0/strata.dll scan dockerfile:$dockerfile --format json"
  order+=(jit-version jit-dockerfile)
fi

# Every case must run and the scans must report (a broken binary would be fast for the wrong reason).
for name in dockerfile manifest seccomp runtime; do
  # shellcheck disable=SC2086
  ${cases[$name]} > "$out/$name.json" 2> "$out/$name.log" || true
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['targets'] and not any(t.get('error') for t in d['targets']), sys.argv[1]" "$out/$name.json"
done

# One measurement: wall seconds, CPU seconds and peak RSS KiB (the exit status is ignored: linters exit 1 on findings).
measure() { /usr/bin/time -f "%e %U %S %M" -o "$out/t" "$@" > /dev/null 2>&1 || true; tail -1 "$out/t" | awk '{printf "%s %.2f %s\n", $1, $2+$3, $4}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for name in "${order[@]}"; do : > "$out/$name.times"; done
for _ in $(seq "$RUNS"); do
  for name in "${order[@]}"; do
    # shellcheck disable=SC2086
    measure ${cases[$name]} >> "$out/$name.times"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

{
  echo "strata: $strata ($(stat -c %s "$strata") bytes)"
  echo "machine: $(nproc) cores; load average before $load_before, after $load_after; $RUNS runs each, interleaved"
  printf '%-16s %9s %9s %10s\n' case "wall s" "cpu s" "peak KiB"
  for name in "${order[@]}"; do
    printf '%-16s %9s %9s %10s\n' "$name" \
      "$(cut -d' ' -f1 "$out/$name.times" | median)" "$(cut -d' ' -f2 "$out/$name.times" | median)" "$(cut -d' ' -f3 "$out/$name.times" | median)"
  done
  dfl_wall=$(cut -d' ' -f1 "$out/dockerfilelint.times" | median)
  dfl_cpu=$(cut -d' ' -f2 "$out/dockerfilelint.times" | median)
  version_wall=$(cut -d' ' -f1 "$out/version.times" | median)
  echo "strata --version: ${version_wall} s (goal < 0.050 s)"
  for name in dockerfile manifest seccomp runtime; do
    wall=$(cut -d' ' -f1 "$out/$name.times" | median)
    cpu=$(cut -d' ' -f2 "$out/$name.times" | median)
    # CPU time beside the wall ratio: on a loaded machine wall time is mostly waiting for a core.
    python3 -c "import sys; w,dw,c,dc=map(float,sys.argv[2:6]); print(f'ratio {sys.argv[1]} scan / dockerfilelint: wall {w/dw:.2f} (goal <= 1.5), cpu {c/max(dc,0.01):.2f}')" "$name" "$wall" "$dfl_wall" "$cpu" "$dfl_cpu"
  done
} | tee "$out/summary.txt"
