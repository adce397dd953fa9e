#!/usr/bin/env bash
# Dockerfile lint benchmark (issue 9): `strata scan` against dockerfilelint (the npm package, run by node directly),
# whole processes, start-up included, measured in the same run, interleaved, RUNS times each, medians and peak RSS:
#   1. one Dockerfile (the bundled example): wall time ratio strata / dockerfilelint (goal <= 1.5);
#   2. 1,000 generated Dockerfiles in one call (strata scan dockerfile:DIR; dockerfilelint with every file): wall time.
# Not a test; run by hand: bench/dockerfile/run.sh     (RUNS=N COUNT=N SEED=N NATIVE=auto|1|0)
# Strata is the native binary (the release artefact) at bench/out/native/strata when it is there (bench/startup/run.sh
# publishes it; NATIVE=1 publishes it here), else the JIT build (`dotnet strata.dll`; NATIVE=0 forces it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/bench/out/dockerfile"
RUNS=${RUNS:-7}
COUNT=${COUNT:-1000}
SEED=${SEED:-1}
for tool in /usr/bin/time node npm dotnet python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 2; }
done
[ -x "$here/node_modules/.bin/dockerfilelint" ] || npm install --no-audit --no-fund --prefix "$here" >&2
NATIVE=${NATIVE:-auto}
native="$repo/bench/out/native/strata"
if [ "$NATIVE" = 1 ]; then
  dotnet publish "$repo/src/Strata.Cli" -p:PublishProfile=native -o "$repo/bench/out/native" -v quiet -nologo >&2
fi
if [ "$NATIVE" != 0 ] && [ -x "$native" ]; then
  strata=("$native")
  build="native binary ($native, NativeAOT)"
else
  dotnet build "$repo/src/Strata.Cli" -c Release -v quiet -nologo >&2
  strata=(dotnet "$repo/src/Strata.Cli/bin/Release/net10.0/strata.dll")
  build="JIT build (dotnet strata.dll, Release)"
fi
echo "strata: $build" >&2
dfl=(node "$here/node_modules/dockerfilelint/bin/dockerfilelint")

rm -rf "$out" && mkdir -p "$out/corpus"
python3 "$here/generate.py" "$out/corpus" "$COUNT" "$SEED"
single="$repo/examples/Containerfile"

# One measurement: wall seconds and peak RSS KiB of a command (its exit status is ignored: linters exit 1 on findings).
measure() { /usr/bin/time -f "%e %M" -o "$out/t" "$@" > /dev/null 2>&1 || true; tail -1 "$out/t"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: > "$out/single-strata"; : > "$out/single-dfl"; : > "$out/many-strata"; : > "$out/many-dfl"
for _ in $(seq "$RUNS"); do
  measure "${strata[@]}" scan "dockerfile:$single" --format json >> "$out/single-strata"
  measure "${dfl[@]}" "$single" >> "$out/single-dfl"
  measure "${strata[@]}" scan "dockerfile:$out/corpus" --format json >> "$out/many-strata"
  measure "${dfl[@]}" "$out"/corpus/Dockerfile.* >> "$out/many-dfl"
done

# Findings on the corpus, for the record (and to check every file was read).
"${strata[@]}" scan "dockerfile:$out/corpus" --format json > "$out/many.json" 2> "$out/many.log" || true
files=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['targets']), sum(t['findings'] for t in d['targets']), sum(1 for t in d['targets'] if t.get('error')))" "$out/many.json")

s1=$(cut -d' ' -f1 "$out/single-strata" | median); d1=$(cut -d' ' -f1 "$out/single-dfl" | median)
sm=$(cut -d' ' -f2 "$out/single-strata" | median); dm=$(cut -d' ' -f2 "$out/single-dfl" | median)
s2=$(cut -d' ' -f1 "$out/many-strata" | median); d2=$(cut -d' ' -f1 "$out/many-dfl" | median)
s2m=$(cut -d' ' -f2 "$out/many-strata" | median); d2m=$(cut -d' ' -f2 "$out/many-dfl" | median)
read -r targets findings errors <<< "$files"
{
  echo "strata: $build; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "corpus: $COUNT generated Dockerfiles (seed $SEED): $targets targets, $findings findings, $errors refused"
  echo "single file ($single): strata ${s1}s ${sm} KiB, dockerfilelint ${d1}s ${dm} KiB"
  echo "$COUNT files in one call: strata ${s2}s ${s2m} KiB, dockerfilelint ${d2}s ${d2m} KiB"
  python3 -c "import sys; s1,d1,s2,d2=map(float,sys.argv[1:5]); print(f'ratio single file strata/dockerfilelint: {s1/d1:.2f} (goal <= 1.5)'); print(f'ratio {int(sys.argv[5])} files strata/dockerfilelint: {s2/d2:.2f}; strata per file: {s2/int(sys.argv[5])*1000:.2f} ms')" "$s1" "$d1" "$s2" "$d2" "$COUNT"
} | tee "$out/summary.txt"
