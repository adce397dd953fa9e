#!/usr/bin/env bash
# Benchmark: Pod Security Standards evaluation (all 19 checks, restricted:latest) on one core (taskset -c 0).
#  - pre-parsed: pods evaluated per second from PodSpecViews parsed beforehand (the issue's goal: >= 100,000/s);
#  - end to end: reading N workloads from one YAML stream and evaluating each, as a ratio to its floor, the same
#    stream read into YAML nodes alone (YamlSource.Read), with the peak RSS of each.
# Not a test; run by hand: bench/k8s/run.sh. N=100000 workloads (quick: N=20000), RUNS=3 interleaved runs (medians),
# EVAL_SECONDS=5 per pre-parsed run. Needs dotnet, taskset (util-linux), GNU time (/usr/bin/time) and python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/out"
n=${N:-100000}
runs=${RUNS:-3}
eval_seconds=${EVAL_SECONDS:-5}
for tool in dotnet taskset /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 2; }
done

rm -rf "$out" && mkdir -p "$out"
dotnet build -c Release -v quiet -nologo "$here/K8sBench" >&2
bench="$here/K8sBench/bin/Release/net10.0/K8sBench.dll"
dotnet "$bench" generate "$n" "$out/pods.yaml"
echo "input: $n workloads (1/3 Pods, 2/3 Deployments, 2 containers each, half restricted-compliant), $(du -h "$out/pods.yaml" | cut -f1)" | tee "$out/summary.txt"
echo "load before: $(uptime)" | tee -a "$out/summary.txt"

# One line per run: mode, pods, seconds (timed inside, start-up excluded), pods/s, extra | wall seconds, peak RSS KiB.
for run in $(seq "$runs"); do
  for mode in parse scan evaluate; do
    extra=""; [ "$mode" = evaluate ] && extra="$eval_seconds"
    # shellcheck disable=SC2086
    line=$(/usr/bin/time -f '%e %M' -o "$out/time.txt" taskset -c 0 dotnet "$bench" "$mode" "$out/pods.yaml" $extra)
    echo "$line | $(cat "$out/time.txt")" | tee -a "$out/runs.txt"
  done
done
echo "load after: $(uptime)" | tee -a "$out/summary.txt"

python3 - "$out/runs.txt" <<'PY' | tee -a "$out/summary.txt"
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    left, right = line.split("|")
    mode, pods, seconds, rate = left.split()[:4]
    wall, rss = right.split()
    rows.setdefault(mode, []).append((float(seconds), float(rate), float(wall), int(rss)))
med = {m: [statistics.median(c) for c in zip(*v)] for m, v in rows.items()}
print(f"pre-parsed: {med['evaluate'][1]:,.0f} pods/s on one core (median of {len(rows['evaluate'])}), peak RSS {med['evaluate'][3]/1024:.0f} MiB")
print(f"floor, YAML read alone: {med['parse'][0]:.2f} s, peak RSS {med['parse'][3]/1024:.0f} MiB")
print(f"end to end from YAML: {med['scan'][0]:.2f} s = {med['scan'][1]:,.0f} pods/s, {med['scan'][0]/med['parse'][0]:.2f}x the floor, peak RSS {med['scan'][3]/1024:.0f} MiB ({med['scan'][3]/med['parse'][3]:.2f}x)")
PY
