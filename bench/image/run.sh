#!/usr/bin/env bash
# Image-read benchmark (issue 3): Strata reading and verifying every layer of a large image, against the floor
# of `gzip -dc` on the same blobs. Generates the image (cached), builds the bench in Release, measures each mode
# RUNS times (interleaved, so machine load hits all alike) with /usr/bin/time -v, and prints median wall time,
# CPU time and peak RSS per mode plus the ratios.
#
# Usage: bench/image/run.sh                 # the issue's size: ~1 GiB compressed, 10 layers, ~200k files
#        QUICK=1 bench/image/run.sh         # ~128 MiB, 10 layers, ~25k files
#        SIZE=BYTES LAYERS=N FILES=N RUNS=N WORK=DIR SEED=N bench/image/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${QUICK:-0}" = 1 ]; then
  SIZE=${SIZE:-134217728}; FILES=${FILES:-25000}
fi
SIZE=${SIZE:-1073741824}
LAYERS=${LAYERS:-10}
FILES=${FILES:-200000}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
WORK=${WORK:-/tmp/strata-image-bench}

need=()
[ -x /usr/bin/time ] || need+=(time)
command -v parallel >/dev/null || need+=(parallel)
if [ "${#need[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${need[@]}" >&2
fi

mkdir -p "$WORK"
echo "== building bench/image/ImageBench (Release)" >&2
dotnet build bench/image/ImageBench -c Release -o "$WORK/bin" -v quiet -nologo >&2
bench=("dotnet" "$WORK/bin/ImageBench.dll")

image="$WORK/image-$SIZE-$LAYERS-$FILES-$SEED"
if [ ! -f "$image/bench-params.txt" ]; then
  echo "== generating $image" >&2
  rm -rf "$image"
  "${bench[@]}" generate "$image" "$SIZE" "$LAYERS" "$FILES" "$SEED" >&2
fi
reference="oci:$image:latest"

# The layer blobs, from the manifest (largest first, so 2-way parallel gzip balances as well as it can).
manifest=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]+"/index.json"))["manifests"][0]["digest"].split(":")[1])' "$image")
python3 - "$image" "$manifest" >"$WORK/layers.txt" <<'PY'
import json, sys
root, manifest = sys.argv[1], sys.argv[2]
layers = json.load(open(f"{root}/blobs/sha256/{manifest}"))["layers"]
for layer in sorted(layers, key=lambda l: -l["size"]):
    print(f"{root}/blobs/sha256/{layer['digest'].split(':')[1]}")
PY
compressed=$(python3 -c 'import os,sys; print(sum(os.path.getsize(l.strip()) for l in open(sys.argv[1])))' "$WORK/layers.txt")

# Warm the page cache for everyone: the benchmark measures decompression and parsing, not the disk.
cat $(cat "$WORK/layers.txt") >/dev/null

declare -A commands=(
  [gzip-seq]="xargs -a $WORK/layers.txt -n1 sh -c 'gzip -dc \"\$0\" >/dev/null'"
  [gzip-par2]="parallel -j2 'gzip -dc {} >/dev/null' :::: $WORK/layers.txt"
  [strata-metadata]="${bench[*]} walk $reference metadata"
  [strata-content]="${bench[*]} walk $reference content"
)
modes=(gzip-seq gzip-par2 strata-metadata strata-content)

results="$WORK/results.tsv"
: >"$results"
echo "== measuring ($RUNS runs per mode, interleaved); load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for run in $(seq 1 "$RUNS"); do
  for mode in "${modes[@]}"; do
    /usr/bin/time -v -o "$WORK/time.txt" sh -c "${commands[$mode]}" >"$WORK/out-$mode.txt"
    python3 - "$mode" "$WORK/time.txt" >>"$results" <<'PY'
import sys
fields = {}
for line in open(sys.argv[2]):
    key, _, value = line.strip().rpartition(": ")
    fields[key] = value
wall = fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall)))
cpu = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
print(f"{sys.argv[1]}\t{seconds:.2f}\t{cpu:.2f}\t{int(fields['Maximum resident set size (kbytes)'])}")
PY
    echo "   run $run $(tail -1 "$results")" >&2
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$results" "$compressed" "$SIZE" "$LAYERS" "$FILES" "$load_after" "$WORK/out-strata-metadata.txt" <<'PY'
import statistics, sys
results, compressed, size, layers, files, load, out = sys.argv[1:8]
rows = {}
for line in open(results):
    mode, wall, cpu, rss = line.split("\t")
    rows.setdefault(mode, []).append((float(wall), float(cpu), int(rss)))
med = {m: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v), max(r[2] for r in v)) for m, v in rows.items()}
print(f"image: {int(compressed) / 2**20:.0f} MiB compressed in {layers} layers (requested SIZE={size} FILES={files}); {open(out).read().strip()}")
print(f"runs per mode: {len(next(iter(rows.values())))}; load average after: {load}")
print(f"{'mode':<18}{'wall s':>9}{'cpu s':>9}{'peak RSS MiB':>14}{'wall/floor':>12}{'cpu/gzip':>10}")
floor = med["gzip-par2"][0]
for mode in ["gzip-seq", "gzip-par2", "strata-metadata", "strata-content"]:
    wall, cpu, rss = med[mode]
    print(f"{mode:<18}{wall:>9.2f}{cpu:>9.2f}{rss / 1024:>14.0f}{wall / floor:>12.2f}{cpu / med['gzip-seq'][1]:>10.2f}")
print("wall/floor: median wall time over the 2-way parallel gzip -dc floor (Strata reads 2 layers at once on 2 cores); goal <= 1.2")
print("cpu/gzip: median user+sys CPU over sequential gzip -dc's; peak RSS goal <= 256 MiB")
PY
