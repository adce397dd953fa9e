#!/usr/bin/env bash
# Full image scan benchmark (issues 4 and 11): `strata scan` of a large image (hardening, secrets, packages) against
# the decompression floor of issue 11: `libdeflate-gunzip -c` of the layer blobs, two at a time (`parallel -j2`, largest
# first; Strata reads two layers at once on two cores), as bench/scale/run.sh measures it. Goal: scan wall time <= 1.5x
# that floor. Two builds of Strata are timed: the JIT build (`dotnet build -c Release`, run as `dotnet strata.dll`)
# and the release artefact (NativeAOT: `dotnet publish src/Strata.Cli -p:PublishProfile=native -o DIR`). The content
# walks of issue 4 (`ImageBench walk REF metadata|content`: resolver, walker, layered filesystem, every file's bytes
# read) stay as extra rows. BASE_REF=REV (e.g. main) also builds that revision (git archive into WORK/base) and times
# its two builds in the same interleaved rounds, and compares its reports' findings with this checkout's.
# Each mode runs RUNS times, interleaved, under /usr/bin/time -v; medians, peak RSS and the ratios are printed last,
# with the findings per rule (SEC-... false positives on random content matter) and one --debug run's timestamped log.
#
# Usage: bench/scan/run.sh                         # the issue's size: ~1 GiB compressed, 10 layers, ~200k files
#        QUICK=1 bench/scan/run.sh                 # ~128 MiB, 10 layers, ~25k files
#        BASE_REF=main RUNS=3 bench/scan/run.sh    # before (main) and after, in the same run
#        SIZE=BYTES LAYERS=N FILES=N RUNS=N SEED=N WORK=DIR IMAGE_CACHE=DIR NATIVE=0 bench/scan/run.sh
# NATIVE=0 skips the NativeAOT builds (they need clang and zlib1g-dev, installed when missing, and minutes each).
# The image is the one bench/image/run.sh generates: reused from IMAGE_CACHE (bench/image's WORK, default
# /tmp/strata-image-bench) when it is there, otherwise generated under WORK (default bench/out/scan).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

if [ "${QUICK:-0}" = 1 ]; then
  SIZE=${SIZE:-134217728}; FILES=${FILES:-25000}
fi
SIZE=${SIZE:-1073741824}
LAYERS=${LAYERS:-10}
FILES=${FILES:-200000}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
WORK=${WORK:-$repo/bench/out/scan}
IMAGE_CACHE=${IMAGE_CACHE:-/tmp/strata-image-bench}
NATIVE=${NATIVE:-1}
BASE_REF=${BASE_REF:-}

need=()
[ -x /usr/bin/time ] || need+=(time)
command -v parallel >/dev/null || need+=(parallel)
command -v libdeflate-gunzip >/dev/null || need+=(libdeflate-tools)
if [ "$NATIVE" = 1 ]; then
  command -v clang >/dev/null || need+=(clang)
  [ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
fi
if [ "${#need[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${need[@]}" >&2
fi

mkdir -p "$WORK"
# One source tree's two CLIs: the JIT build in place, the native one into OUT.
build_cli() { # source-dir native-out
  echo "== building $1/src/Strata.Cli (Release, JIT)" >&2
  dotnet build "$1/src/Strata.Cli" -c Release -v quiet -nologo >&2
  if [ "$NATIVE" = 1 ]; then
    echo "== publishing $1/src/Strata.Cli -p:PublishProfile=native -o $2 (NativeAOT)" >&2
    dotnet publish "$1/src/Strata.Cli" -p:PublishProfile=native -o "$2" -v quiet -nologo >&2
  fi
}
echo "== building bench/image/ImageBench (Release)" >&2
dotnet build bench/image/ImageBench -c Release -o "$WORK/imagebench" -v quiet -nologo >&2
build_cli "$repo" "$WORK/native"
bench=("dotnet" "$WORK/imagebench/ImageBench.dll")
cli=("dotnet" "$repo/src/Strata.Cli/bin/Release/net10.0/strata.dll")
if [ -n "$BASE_REF" ]; then
  base="$WORK/base"
  # Kept between runs for the same revision, so its builds are incremental.
  if [ "$(cat "$base/.bench-ref" 2>/dev/null)" != "$(git rev-parse "$BASE_REF")" ]; then
    rm -rf "$base"; mkdir -p "$base"
    git archive "$BASE_REF" | tar -x -C "$base"
    git rev-parse "$BASE_REF" >"$base/.bench-ref"
  fi
  echo "== base: $BASE_REF ($(git rev-parse --short "$BASE_REF")) in $base" >&2
  build_cli "$base" "$WORK/base-native"
fi

name="image-$SIZE-$LAYERS-$FILES-$SEED"
if [ -f "$IMAGE_CACHE/$name/bench-params.txt" ]; then
  image="$IMAGE_CACHE/$name"
else
  image="$WORK/$name"
  if [ ! -f "$image/bench-params.txt" ]; then
    echo "== generating $image" >&2
    rm -rf "$image"
    "${bench[@]}" generate "$image" "$SIZE" "$LAYERS" "$FILES" "$SEED" >&2
  fi
fi
reference="oci:$image:latest"
echo "== image $image" >&2

# Which analyzers an image scan runs: hardening always; secrets only if a probe image holding one planted secret
# (a fake token from the rule catalog's own examples) gets a SEC-… finding. The catalog alone does not tell: the
# Dockerfile scanner declares the SEC rules too.
probe="$WORK/probe-image"
rm -rf "$probe"
python3 - "$probe" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
root = sys.argv[1]
os.makedirs(f"{root}/blobs/sha256")
def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    open(f"{root}/blobs/sha256/{digest}", "wb").write(data)
    return {"digest": f"sha256:{digest}", "size": len(data)}
tar_bytes = io.BytesIO()
with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.PAX_FORMAT) as tar:
    directory = tarfile.TarInfo("app"); directory.type = tarfile.DIRTYPE; directory.mode = 0o755
    tar.addfile(directory)
    text = b"GITHUB_TOKEN=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\n"
    env = tarfile.TarInfo("app/.env"); env.size = len(text); env.mode = 0o644
    tar.addfile(env, io.BytesIO(text))
diff_id = "sha256:" + hashlib.sha256(tar_bytes.getvalue()).hexdigest()
layer = blob(gzip.compress(tar_bytes.getvalue(), mtime=0)) | {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip"}
config = blob(json.dumps({"architecture": "amd64", "os": "linux", "config": {"User": "1000"},
                          "rootfs": {"type": "layers", "diff_ids": [diff_id]}}).encode()) | {"mediaType": "application/vnd.oci.image.config.v1+json"}
manifest = blob(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                            "config": config, "layers": [layer]}).encode()) | {"mediaType": "application/vnd.oci.image.manifest.v1+json"}
manifest["annotations"] = {"org.opencontainers.image.ref.name": "latest"}
json.dump({"schemaVersion": 2, "manifests": [manifest]}, open(f"{root}/index.json", "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(f"{root}/oci-layout", "w"))
PY
"${cli[@]}" scan "oci:$probe:latest" --format json --output "$WORK/probe-report.json" --no-progress --quiet
sec_probe=$(python3 -c 'import json,sys; print(sum(f["ruleId"].startswith("SEC-") for f in json.load(open(sys.argv[1]))["findings"]))' "$WORK/probe-report.json")
if [ "$sec_probe" -gt 0 ]; then scanners="hardening + secrets (probe image: $sec_probe SEC finding)"; else scanners="hardening only (probe image with a planted secret: no SEC finding)"; fi
echo "== strata scan runs: $scanners" >&2

# The layer blobs, largest first, for the floor.
python3 - "$image" >"$WORK/layers.txt" <<'PY'
import json, sys
root = sys.argv[1]
manifest = json.load(open(f"{root}/index.json"))["manifests"][0]["digest"].split(":")[1]
layers = json.load(open(f"{root}/blobs/sha256/{manifest}"))["layers"]
for layer in sorted(layers, key=lambda l: -l["size"]):
    print(f"{root}/blobs/sha256/{layer['digest'].split(':')[1]}")
PY
compressed=$(python3 -c 'import os,sys; print(sum(os.path.getsize(l.strip()) for l in open(sys.argv[1])))' "$WORK/layers.txt")
# Warm the page cache: this measures decompression, parsing and scanning, not the disk.
cat $(cat "$WORK/layers.txt") >/dev/null

scan="scan $reference --format json --no-progress --quiet --output"
declare -A commands=(
  [floor]="parallel -j2 'libdeflate-gunzip -c {} >/dev/null' :::: $WORK/layers.txt"
  [walk-metadata]="${bench[*]} walk $reference metadata"
  [walk-content]="${bench[*]} walk $reference content"
  [strata-jit]="${cli[*]} $scan $WORK/report-strata-jit.json"
)
modes=(floor walk-metadata walk-content strata-jit)
if [ "$NATIVE" = 1 ]; then
  commands[strata-native]="$WORK/native/strata $scan $WORK/report-strata-native.json"
  modes+=(strata-native)
fi
if [ -n "$BASE_REF" ]; then
  commands[base-jit]="dotnet $base/src/Strata.Cli/bin/Release/net10.0/strata.dll $scan $WORK/report-base-jit.json"
  modes+=(base-jit)
  if [ "$NATIVE" = 1 ]; then
    commands[base-native]="$WORK/base-native/strata $scan $WORK/report-base-native.json"
    modes+=(base-native)
  fi
fi

results="$WORK/results.tsv"
: >"$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== measuring ($RUNS runs per mode, interleaved); load before: $load_before" >&2
for run in $(seq 1 "$RUNS"); do
  for mode in "${modes[@]}"; do
    rm -f "$WORK/report-$mode.json"
    # A scan with findings exits 1: a report with a findings array is a finished scan.
    if ! /usr/bin/time -v -o "$WORK/time.txt" sh -c "${commands[$mode]}" >"$WORK/out-$mode.txt" 2>"$WORK/err-$mode.txt" \
        && ! grep -q '"findings"' "$WORK/report-$mode.json" 2>/dev/null; then
      echo "$mode failed:" >&2; cat "$WORK/err-$mode.txt" "$WORK/time.txt" >&2; exit 1
    fi
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

# One more scan, not counted, with --debug: each log line stamped with the seconds since the process started.
echo "== phase timing (one --debug run of the JIT build)" >&2
python3 - "$WORK/phases.txt" "${cli[@]}" scan "$reference" --format json --output "$WORK/scan-debug.json" --no-progress --debug <<'PY'
import subprocess, sys, time
start = time.monotonic()
with open(sys.argv[1], "w") as out:
    process = subprocess.Popen(sys.argv[2:], stderr=subprocess.PIPE, text=True)
    for line in process.stderr:
        out.write(f"{time.monotonic() - start:8.2f}s {line.rstrip()[:200]}\n")
    process.wait()
    out.write(f"{time.monotonic() - start:8.2f}s exit {process.returncode}\n")
PY

python3 - "$results" "$compressed" "$SIZE" "$LAYERS" "$FILES" "$load_before" "$load_after" "$WORK" "$scanners" "$WORK/phases.txt" "$RUNS" <<'PY'
import collections, json, os, statistics, sys
results, compressed, size, layers, files, before, after, work, scanners, phases, runs = sys.argv[1:12]
rows = {}
for line in open(results):
    mode, wall, cpu, rss = line.split("\t")
    rows.setdefault(mode, []).append((float(wall), float(cpu), int(rss)))
med = {m: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v), max(r[2] for r in v)) for m, v in rows.items()}
print(f"image: {int(compressed) / 2**20:.0f} MiB compressed in {layers} layers (requested SIZE={size} FILES={files})")
print(f"walk-content: {open(os.path.join(work, 'out-walk-content.txt')).read().strip()}")
print(f"strata scan runs: {scanners}")
print(f"runs per mode: {runs}; load average before: {before}, after: {after}")
print("per run (wall s): " + "; ".join(f"{m} {', '.join(f'{r[0]:.2f}' for r in v)}" for m, v in rows.items()))
floor, content = med["floor"], med["walk-content"]
print(f"{'mode':<15}{'wall s':>9}{'cpu s':>9}{'peak RSS MiB':>14}{'wall/floor':>12}{'cpu/floor':>11}{'wall/content':>14}")
for mode in rows:
    wall, cpu, rss = med[mode]
    print(f"{mode:<15}{wall:>9.2f}{cpu:>9.2f}{rss / 1024:>14.0f}{wall / floor[0]:>12.2f}{cpu / floor[1]:>11.2f}{wall / content[0]:>14.2f}")
reports = {m: json.load(open(os.path.join(work, f"report-{m}.json"))) for m in rows if os.path.exists(os.path.join(work, f"report-{m}.json"))}
for mode, scan in reports.items():
    by_rule = collections.Counter(f["ruleId"] for f in scan["findings"])
    sec = sum(n for r, n in by_rule.items() if r.startswith("SEC-"))
    print(f"findings of {mode}: {len(scan['findings'])} ({', '.join(f'{r} {n}' for r, n in sorted(by_rule.items()))}); SEC findings: {sec}")
for mode in [m for m in reports if m != "strata-jit"]:
    same = reports[mode]["findings"] == reports["strata-jit"]["findings"]
    print(f"findings arrays of {mode} and strata-jit: {'identical' if same else 'DIFFERENT'}")
print("phases (--debug run of the JIT build, seconds since start):")
print(open(phases).read().rstrip())
print()
for mode in [m for m in rows if m.startswith(("strata", "base"))]:
    print(f"{mode}: wall/floor {med[mode][0] / floor[0]:.2f} (goal <= 1.5), cpu/floor {med[mode][1] / floor[1]:.2f}, peak RSS {med[mode][2] / 1024:.0f} MiB")
PY
