#!/usr/bin/env bash
# Benchmark: Strata's secret scanner against its floor, ripgrep searching the same tree for every rule keyword, and
# against secretlint (recommended preset), on a Debian bookworm minbase root filesystem (debootstrap, cached under
# .test-cache) plus the planted secrets of the test suite. Reports wall time, CPU, peak RSS, recall / false positives
# on the planted set, and the ratios last. Not a test; run by hand: bench/secrets/run.sh [--subset DIR,DIR...]
# RUNS=3 interleaved runs of Strata and rg (medians); THREADS=$(nproc) for both (Strata through DOTNET_PROCESSOR_COUNT).
# PEER=0 skips secretlint (it takes about 45 minutes of one core on the full tree; run once, after the others).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/out"
subset=""
if [ "${1:-}" = "--subset" ]; then subset="${2:?--subset needs a comma-separated list of directories}"; fi

# The floor: ripgrep from Debian (apt-get needs root; install it yourself otherwise).
command -v rg >/dev/null || apt-get install -y -qq ripgrep >&2 || true
for tool in debootstrap /usr/bin/time node npm dotnet python3 rg; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 2; }
done

# 1. The Debian tree, built once (same cache and layout as tests/Strata.Testing/DebianRootfs.cs:
#    the tree in rootfs/, and rootfs.tar written last as the completion mark).
cache="$repo/.test-cache/debootstrap-bookworm-minbase"
debian="$cache/rootfs"
if [ ! -f "$cache/rootfs.tar" ] || [ ! -d "$debian" ]; then
  rm -rf "$debian" "$cache/rootfs.tar" && mkdir -p "$cache"
  debootstrap --variant=minbase bookworm "$debian" http://deb.debian.org/debian >&2
  tar -C "$debian" -cf "$cache/rootfs.tar.partial" . && mv "$cache/rootfs.tar.partial" "$cache/rootfs.tar"
fi

# 2. The bench tree: a copy of it plus the planted secrets (manifest: path, first line, last line, rule).
rm -rf "$out" && mkdir -p "$out"
tree="$out/rootfs"
cp -a "$debian" "$tree"
dotnet build -c Release -v quiet -nologo "$here/SecretsBench" >&2
bench="$here/SecretsBench/bin/Release/net10.0/SecretsBench.dll"
dotnet "$bench" plant "$tree" > "$out/planted.tsv"
if [ -n "$subset" ]; then
  # Keep only the listed directories (the planted files are under root, home, app, opt, etc, var).
  mkdir "$out/subset"
  IFS=',' read -ra keep <<< "$subset"
  for dir in "${keep[@]}"; do mkdir -p "$out/subset/$(dirname "$dir")"; mv "$tree/$dir" "$out/subset/$dir"; done
  rm -rf "$tree" && mv "$out/subset" "$tree"
fi
echo "tree: $(du -sh "$tree" | cut -f1), $(find "$tree" -type f | wc -l) files" | tee "$out/summary.txt"

peer=${PEER:-1}
# 3. secretlint with its recommended preset, installed here (gitignored).
if [ "$peer" = 1 ] && [ ! -x "$here/node_modules/.bin/secretlint" ]; then
  npm install --no-audit --no-fund --prefix "$here" secretlint @secretlint/secretlint-rule-preset-recommend >&2
fi
echo '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}' > "$out/secretlintrc.json"

# 4. Strata and its floor on the same tree, interleaved, RUNS times, timed by GNU time. The floor is rg searching for
#    every keyword of every rule (the automaton's input) as fixed strings, case-insensitive, with as many threads as
#    Strata has cores: no ignore files, hidden files included, symbolic links not followed, and binary files given up
#    at their first NUL byte (Strata reads 8 KiB of each file to decide). The default-path floor leaves out Strata's
#    built-in allowed paths (as rg globs); the every-file floor reads everything, as Strata's scan-all does.
runs=${RUNS:-3}
threads=${THREADS:-$(nproc)}
dotnet "$bench" keywords > "$out/keywords.txt"
allowed=()
while IFS= read -r glob; do allowed+=(-g "!$glob"); done < <(dotnet "$bench" allowed-paths)
floor() {
  local name=$1 run=$2; shift 2
  # Exit status 1 is "no match anywhere"; 2 is an error.
  (cd "$tree" && /usr/bin/time -v -o "$out/$name.$run.time" rg -F -i -c -j "$threads" --no-config --no-ignore --hidden \
    -f "$out/keywords.txt" "$@" . > "$out/$name.counts") || [ $? = 1 ]
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$out/load.txt"
for run in $(seq "$runs"); do
  DOTNET_PROCESSOR_COUNT=$threads /usr/bin/time -v -o "$out/strata.$run.time" dotnet "$bench" scan "$tree" > "$out/strata.tsv" 2> "$out/strata.log"
  floor rg "$run" "${allowed[@]}"
  # The same without Strata's built-in allowed paths (docs, package metadata), reading every file as secretlint does.
  DOTNET_PROCESSOR_COUNT=$threads /usr/bin/time -v -o "$out/strata-all.$run.time" dotnet "$bench" scan-all "$tree" > "$out/strata-all.tsv" 2> "$out/strata-all.log"
  floor rg-all "$run"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
[ "$peer" != 1 ] || (cd "$tree" && /usr/bin/time -v -o "$out/secretlint.1.time" "$here/node_modules/.bin/secretlint" "**/*" \
  --secretlintrc "$out/secretlintrc.json" --format unix --no-color --output "$out/secretlint.txt" > /dev/null 2> "$out/secretlint.log") || true

# 5. Figures: wall time, CPU, peak RSS (medians), recall and false positives on the planted set; the ratios last.
python3 "$here/score.py" "$out" "$threads" | tee -a "$out/summary.txt"
