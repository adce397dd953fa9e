#!/usr/bin/env bash
# Full image scan benchmark (issue 4): `strata scan` of a large image (every image scanner registered on main:
# hardening, plus secrets once they are wired in) against the image-read floor of issue 3 (ImageBench walk, i.e.
# ImageResolver + ImageWalker + LayeredFileSystem, reading every file's content or metadata only). Goal: scan wall
# time <= 1.5x the content floor. Measures each mode RUNS times, interleaved, with /usr/bin/time -v, prints medians,
# ratios and peak RSS, the findings per rule of the scan (SEC-… false positives on random content matter), and one
# extra --debug run with timestamped log lines as a rough phase breakdown.
#
# Usage: bench/scan/run.sh                  # the issue's size: ~1 GiB compressed, 10 layers, ~200k files
#        QUICK=1 bench/scan/run.sh          # ~128 MiB, 10 layers, ~25k files
#        SIZE=BYTES LAYERS=N FILES=N RUNS=N SEED=N WORK=DIR IMAGE_CACHE=DIR bench/scan/run.sh
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

if [ ! -x /usr/bin/time ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends time >&2
fi

mkdir -p "$WORK"
echo "== building bench/image/ImageBench and src/Strata.Cli (Release)" >&2
dotnet build bench/image/ImageBench -c Release -o "$WORK/imagebench" -v quiet -nologo >&2
dotnet build src/Strata.Cli -c Release -v quiet -nologo >&2
bench=("dotnet" "$WORK/imagebench/ImageBench.dll")
cli=("dotnet" "$repo/src/Strata.Cli/bin/Release/net10.0/strata.dll")

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

compressed=$(python3 - "$image" <<'PY'
import json, os, sys
root = sys.argv[1]
manifest = json.load(open(f"{root}/index.json"))["manifests"][0]["digest"].split(":")[1]
layers = json.load(open(f"{root}/blobs/sha256/{manifest}"))["layers"]
print(sum(os.path.getsize(f"{root}/blobs/sha256/{l['digest'].split(':')[1]}") for l in layers))
PY
)
# Warm the page cache: this measures decompression, parsing and scanning, not the disk.
cat "$image"/blobs/sha256/* >/dev/null

report="$WORK/scan-report.json"
declare -A commands=(
  [floor-metadata]="${bench[*]} walk $reference metadata"
  [floor-content]="${bench[*]} walk $reference content"
  [strata-scan]="${cli[*]} scan $reference --format json --output $report --no-progress"
)
modes=(floor-metadata floor-content strata-scan)

results="$WORK/results.tsv"
: >"$results"
echo "== measuring ($RUNS runs per mode, interleaved); load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for run in $(seq 1 "$RUNS"); do
  for mode in "${modes[@]}"; do
    rm -f "$report"
    if ! /usr/bin/time -v -o "$WORK/time.txt" sh -c "${commands[$mode]}" >"$WORK/out-$mode.txt" 2>"$WORK/err-$mode.txt"; then
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
echo "== phase timing (one --debug run)" >&2
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

python3 - "$results" "$compressed" "$SIZE" "$LAYERS" "$FILES" "$load_after" "$WORK/out-floor-content.txt" "$report" "$scanners" "$WORK/phases.txt" <<'PY'
import collections, json, statistics, sys
results, compressed, size, layers, files, load, floor_out, report, scanners, phases = sys.argv[1:11]
rows = {}
for line in open(results):
    mode, wall, cpu, rss = line.split("\t")
    rows.setdefault(mode, []).append((float(wall), float(cpu), int(rss)))
med = {m: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v), max(r[2] for r in v)) for m, v in rows.items()}
print(f"image: {int(compressed) / 2**20:.0f} MiB compressed in {layers} layers (requested SIZE={size} FILES={files})")
print(f"floor (content): {open(floor_out).read().strip()}")
print(f"strata scan runs: {scanners}")
print(f"runs per mode: {len(next(iter(rows.values())))}; load average after: {load}")
print(f"{'mode':<16}{'wall s':>9}{'cpu s':>9}{'peak RSS MiB':>14}{'wall/content':>14}{'wall/metadata':>15}{'cpu/content':>13}")
content, metadata = med["floor-content"], med["floor-metadata"]
for mode in ["floor-metadata", "floor-content", "strata-scan"]:
    wall, cpu, rss = med[mode]
    print(f"{mode:<16}{wall:>9.2f}{cpu:>9.2f}{rss / 1024:>14.0f}{wall / content[0]:>14.2f}{wall / metadata[0]:>15.2f}{cpu / content[1]:>13.2f}")
print("goal: strata-scan wall / floor-content <= 1.5")
scan = json.load(open(report))
by_rule = collections.Counter(f["ruleId"] for f in scan["findings"])
sec = {r: n for r, n in by_rule.items() if r.startswith("SEC-")}
print(f"findings: {len(scan['findings'])} ({', '.join(f'{r} {n}' for r, n in sorted(by_rule.items()))}); SEC findings: {sum(sec.values())}")
if sec:
    where = lambda l: l["path"].strip("/").split("/")[0] if "path" in l else l.get("jsonPath", "?")
    paths = collections.Counter(where(f["location"]) for f in scan["findings"] if f["ruleId"].startswith("SEC-"))
    print(f"SEC findings by top-level directory: {dict(paths.most_common(10))}")
print("phases (--debug run, seconds since start):")
print(open(phases).read().rstrip())
PY
