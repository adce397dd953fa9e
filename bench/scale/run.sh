#!/usr/bin/env bash
# Scale curve (issue 11, goals 2 and 6) and memory per path (goal 3): `strata scan` of bench/image's synthetic
# images at several sizes, content and path counts scaled together, against the decompression floor measured in
# the same run: `libdeflate-gunzip -c` of the layer blobs, two at a time (Strata reads two layers at once on two
# cores). Each mode runs RUNS times, interleaved, under /usr/bin/time -v; the tables give median wall and CPU and
# the largest peak RSS; ratios are printed last.
#
# Usage: bench/scale/run.sh                      # 10 MiB/2k, 100 MiB/20k, 1 GiB/200k, 10 GiB/2M files (needs ~25 GiB disk)
#        QUICK=1 bench/scale/run.sh              # 10 MiB/2k and 100 MiB/20k only
#        MODE=memory bench/scale/run.sh          # peak RSS for 100k, 400k, 1M, 2M files of little content: bytes per path
#        SIZES="BYTES:FILES ..." RUNS=N WORK=DIR IMAGE_CACHE=DIR BASE=DIR/strata.dll KEEP=0 bench/scale/run.sh
# Images are generated once (bench/image's generator, 10 layers, seed 1) and cached in WORK (default
# /tmp/strata-scale-bench); one already in IMAGE_CACHE (bench/image's WORK) is reused. KEEP=0 deletes each image
# after it is measured. BASE adds the same scan by another build of strata (e.g. main's) to every table.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

MODE=${MODE:-scale}
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/strata-scale-bench}
IMAGE_CACHE=${IMAGE_CACHE:-/tmp/strata-image-bench}
KEEP=${KEEP:-1}
if [ "$MODE" = memory ]; then
  # Little content per file (about 256 bytes compressed), so the paths dominate.
  SIZES=${SIZES:-"25600000:100000 102400000:400000 256000000:1000000 512000000:2000000"}
elif [ "${QUICK:-0}" = 1 ]; then
  SIZES=${SIZES:-"10485760:2000 104857600:20000"}
else
  SIZES=${SIZES:-"10485760:2000 104857600:20000 1073741824:200000 10737418240:2000000"}
fi

need=()
[ -x /usr/bin/time ] || need+=(time)
command -v parallel >/dev/null || need+=(parallel)
command -v libdeflate-gunzip >/dev/null || need+=(libdeflate-tools)
if [ "${#need[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${need[@]}" >&2
fi

mkdir -p "$WORK"
echo "== building bench/image/ImageBench and src/Strata.Cli (Release)" >&2
dotnet build bench/image/ImageBench -c Release -o "$WORK/imagebench" -v quiet -nologo >&2
dotnet build src/Strata.Cli -c Release -v quiet -nologo >&2
bench=("dotnet" "$WORK/imagebench/ImageBench.dll")
cli="dotnet $repo/src/Strata.Cli/bin/Release/net10.0/strata.dll"

measure() { # label command...
  local label=$1; shift
  if ! /usr/bin/time -v -o "$WORK/time.txt" sh -c "$*" >"$WORK/out.txt" 2>"$WORK/err.txt"; then
    if ! grep -q '"findings"' "$WORK/report.json" 2>/dev/null; then
      echo "$label failed:" >&2; cat "$WORK/err.txt" "$WORK/time.txt" >&2; exit 1
    fi
  fi
  python3 - "$label" "$WORK/time.txt" <<'PY'
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
}

results="$WORK/results-$MODE.tsv"
: >"$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for spec in $SIZES; do
  size=${spec%%:*}; files=${spec##*:}
  name="image-$size-10-$files-1"
  if [ -f "$IMAGE_CACHE/$name/bench-params.txt" ]; then
    image="$IMAGE_CACHE/$name"
  else
    image="$WORK/$name"
    if [ ! -f "$image/bench-params.txt" ]; then
      df -h "$WORK" >&2
      echo "== generating $image" >&2
      rm -rf "$image"
      "${bench[@]}" generate "$image" "$size" 10 "$files" 1 >&2
    fi
  fi
  reference="oci:$image:latest"
  python3 - "$image" >"$WORK/layers.txt" <<'PY'
import json, sys
root = sys.argv[1]
manifest = json.load(open(f"{root}/index.json"))["manifests"][0]["digest"].split(":")[1]
layers = json.load(open(f"{root}/blobs/sha256/{manifest}"))["layers"]
for layer in sorted(layers, key=lambda l: -l["size"]):
    print(f"{root}/blobs/sha256/{layer['digest'].split(':')[1]}")
PY
  compressed=$(python3 -c 'import os,sys; print(sum(os.path.getsize(l.strip()) for l in open(sys.argv[1])))' "$WORK/layers.txt")
  paths=$("${bench[@]}" walk "$reference" metadata | sed -n 's/.* paths=\([0-9]*\).*/\1/p')
  cat $(cat "$WORK/layers.txt") >/dev/null
  echo "== $name: $((compressed >> 20)) MiB compressed, $paths paths; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  declare -A commands=(
    [floor]="parallel -j2 'libdeflate-gunzip -c {} >/dev/null' :::: $WORK/layers.txt"
    [strata]="$cli scan $reference --format json --output $WORK/report.json --no-progress --quiet"
  )
  modes=(floor strata)
  if [ -n "${BASE:-}" ]; then
    commands[base]="dotnet $BASE scan $reference --format json --output $WORK/report.json --no-progress --quiet"
    modes+=(base)
  fi
  [ "$MODE" = memory ] && modes=("${modes[@]:1}")
  for run in $(seq 1 "$RUNS"); do
    for mode in "${modes[@]}"; do
      rm -f "$WORK/report.json"
      row=$(measure "$mode" "${commands[$mode]}")
      printf '%s\t%s\t%s\t%s\n' "$compressed" "$paths" "$files" "$row" >>"$results"
      echo "   run $run $size $row" >&2
    done
  done
  if [ "$KEEP" = 0 ] && [ "$image" = "$WORK/$name" ]; then rm -rf "$image"; fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$results" "$MODE" "$load_before" "$load_after" "$RUNS" <<'PY'
import statistics, sys
results, mode, before, after, runs = sys.argv[1:6]
rows = {}
for line in open(results):
    compressed, paths, files, label, wall, cpu, rss = line.rstrip("\n").split("\t")
    rows.setdefault((int(compressed), int(paths)), {}).setdefault(label, []).append((float(wall), float(cpu), int(rss)))
med = {k: {l: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v), max(r[2] for r in v) / 1024) for l, v in d.items()} for k, d in rows.items()}
keys = sorted(med)
labels = [l for l in ("floor", "strata", "base") if l in med[keys[0]]]
print(f"runs per mode: {runs}; load average before: {before}, after: {after}")
print(f"{'image MiB':>10}{'paths':>10}" + "".join(f"{l + ' wall':>13}{l + ' cpu':>12}{l + ' RSS MiB':>14}" for l in labels))
for k in keys:
    print(f"{k[0] / 2**20:>10.0f}{k[1]:>10}" + "".join(f"{med[k][l][0]:>13.2f}{med[k][l][1]:>12.2f}{med[k][l][2]:>14.0f}" for l in labels))
print()
if mode == "memory":
    for l in [l for l in labels if l != "floor"]:
        first, last = keys[0], keys[-1]
        slope = (med[last][l][2] - med[first][l][2]) * 2**20 / (last[1] - first[1])
        print(f"{l}: peak RSS grows {slope:.0f} bytes per path from {first[1]} to {last[1]} paths; at {last[1]} paths {med[last][l][2]:.0f} MiB (goal <= 256 MiB at 2M paths)")
else:
    print(f"{'image MiB':>10}{'wall/floor':>12}{'s per GiB':>11}{'RSS MiB':>9}   (goal: wall/floor <= 1.5; s per GiB flat; RSS flat, <= 256 MiB)")
    for k in keys:
        wall, cpu, rss = med[k]["strata"]
        print(f"{k[0] / 2**20:>10.0f}{wall / med[k]['floor'][0]:>12.2f}{wall / (k[0] / 2**30):>11.2f}{rss:>9.0f}")
    big, small = keys[-1], keys[0]
    print(f"largest/smallest: bytes x{big[0] / small[0]:.0f}, paths x{big[1] / small[1]:.0f}, wall x{med[big]['strata'][0] / med[small]['strata'][0]:.1f}, cpu x{med[big]['strata'][1] / med[small]['strata'][1]:.1f}, peak RSS x{med[big]['strata'][2] / med[small]['strata'][2]:.2f}")
PY
