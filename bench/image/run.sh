#!/usr/bin/env bash
# Image benchmarks (issues 3 and 11). Generates the image (cached), builds the bench in Release, measures each mode
# RUNS times (interleaved, so machine load hits all alike) with /usr/bin/time -v, and prints median wall time,
# CPU time and peak RSS per mode, then the ratios with their goals.
#   read (default): Strata reading and verifying every layer, against the floor of `libdeflate-gunzip -c` of the
#                   same blobs two at a time (`gzip -dc` two at a time is printed as a second reference).
#   extract:        `strata image extract` of the image into an empty directory, against `umoci unpack`.
#
# Usage: bench/image/run.sh [read|extract]   # the issue's size: ~1 GiB compressed, 10 layers, ~200k files
#        QUICK=1 bench/image/run.sh          # ~128 MiB, 10 layers, ~25k files
#        SIZE=BYTES LAYERS=N FILES=N RUNS=N WORK=DIR SEED=N bench/image/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=${1:-read}
case "$BENCH" in read | extract) ;; *) echo "usage: $0 [read|extract]" >&2; exit 2 ;; esac

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
command -v libdeflate-gunzip >/dev/null || need+=(libdeflate-tools)
[ "$BENCH" != extract ] || command -v umoci >/dev/null || need+=(umoci)
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
if [ "$BENCH" = extract ]; then
  echo "== building src/Strata.Cli (Release)" >&2
  dotnet build src/Strata.Cli -c Release -o "$WORK/cli" -v quiet -nologo >&2
fi

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

# Extraction targets live under $WORK and are removed after each run, outside the timing.
out="$WORK/extract-out"
if [ "$BENCH" = read ]; then
  declare -A commands=(
    [gzip-par2]="parallel -j2 'gzip -dc {} >/dev/null' :::: $WORK/layers.txt"
    [libdeflate-par2]="xargs -a $WORK/layers.txt -P2 -n1 sh -c 'libdeflate-gunzip -c \"\$0\" >/dev/null'"
    [strata-read]="${bench[*]} walk $reference read"
    [strata-metadata]="${bench[*]} walk $reference metadata"
    [strata-content]="${bench[*]} walk $reference content"
  )
  modes=(libdeflate-par2 gzip-par2 strata-read strata-metadata strata-content)
else
  declare -A commands=(
    [umoci-unpack]="umoci unpack --image $image:latest $out/umoci-unpack"
    [strata-extract]="dotnet $WORK/cli/strata.dll image extract $reference $out/strata-extract --quiet"
  )
  modes=(umoci-unpack strata-extract)
fi

results="$WORK/results.tsv"
: >"$results"
echo "== measuring ($RUNS runs per mode, interleaved); load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for run in $(seq 1 "$RUNS"); do
  for mode in "${modes[@]}"; do
    [ "$BENCH" = read ] || { rm -rf "${out:?}/$mode" && mkdir -p "$out" && sync; }
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
if [ "$BENCH" = extract ]; then
  # Both tools must have written the same tree (umoci adds the bundle around rootfs/); then clean up.
  counts=$(for tree in "$out/umoci-unpack/rootfs" "$out/strata-extract"; do find "$tree" -mindepth 1 | wc -l; done | paste -sd/)
  du_umoci=$(du -sb "$out/umoci-unpack/rootfs" | cut -f1); du_strata=$(du -sb "$out/strata-extract" | cut -f1)
  rm -rf "$out"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

if [ "$BENCH" = extract ]; then
  python3 - "$results" "$compressed" "$SIZE" "$LAYERS" "$FILES" "$load_after" "$counts" "$du_umoci" "$du_strata" <<'PY'
import statistics, sys
results, compressed, size, layers, files, load, counts, du_umoci, du_strata = sys.argv[1:10]
rows = {}
for line in open(results):
    mode, wall, cpu, rss = line.split("\t")
    rows.setdefault(mode, []).append((float(wall), float(cpu), int(rss)))
med = {m: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v), max(r[2] for r in v)) for m, v in rows.items()}
print(f"image: {int(compressed) / 2**20:.0f} MiB compressed in {layers} layers (requested SIZE={size} FILES={files})")
print(f"paths written umoci/strata: {counts}; bytes umoci/strata: {du_umoci}/{du_strata}")
print(f"runs per mode: {len(next(iter(rows.values())))}; load average after: {load}")
print(f"{'mode':<18}{'wall s':>9}{'cpu s':>9}{'peak RSS MiB':>14}{'wall/umoci':>12}")
for mode in ["umoci-unpack", "strata-extract"]:
    wall, cpu, rss = med[mode]
    print(f"{mode:<18}{wall:>9.2f}{cpu:>9.2f}{rss / 1024:>14.0f}{wall / med['umoci-unpack'][0]:>12.2f}")
print(f"ratio strata-extract wall / umoci-unpack wall: {med['strata-extract'][0] / med['umoci-unpack'][0]:.2f} (goal <= 0.8)")
PY
  exit 0
fi

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
print(f"{'mode':<18}{'wall s':>9}{'cpu s':>9}{'peak RSS MiB':>14}{'wall/floor':>12}{'wall/gzip':>11}{'cpu/floor':>11}")
floor, gzip = med["libdeflate-par2"], med["gzip-par2"]
for mode in ["libdeflate-par2", "gzip-par2", "strata-read", "strata-metadata", "strata-content"]:
    wall, cpu, rss = med[mode]
    print(f"{mode:<18}{wall:>9.2f}{cpu:>9.2f}{rss / 1024:>14.0f}{wall / floor[0]:>12.2f}{wall / gzip[0]:>11.2f}{cpu / floor[1]:>11.2f}")
print("floor: libdeflate-gunzip -c of the layer blobs, 2 at a time (Strata reads 2 layers at once on 2 cores)")
print("read: every blob digest and diffID verified; content: the same plus every regular file's bytes read; peak RSS goal <= 256 MiB")
for mode in ["strata-read", "strata-content"]:
    print(f"ratio {mode} wall / floor: {med[mode][0] / floor[0]:.2f} (goal <= 1.2); peak RSS {med[mode][2] / 1024:.0f} MiB")
PY
