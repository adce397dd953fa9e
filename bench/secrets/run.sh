#!/usr/bin/env bash
# Benchmark: Strata's secret scanner against secretlint (recommended preset) on the same tree:
# a Debian bookworm minbase root filesystem (debootstrap, cached under .test-cache) plus the
# planted secrets of the test suite. Reports wall time, peak RSS, and recall / false positives
# on the planted set. Not a test; run by hand: bench/secrets/run.sh [--subset DIR,DIR...]
# PEER=0 skips secretlint (it takes about 45 minutes of one core on the full tree): Strata's figures only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/out"
subset=""
if [ "${1:-}" = "--subset" ]; then subset="${2:?--subset needs a comma-separated list of directories}"; fi

for tool in debootstrap /usr/bin/time node npm dotnet python3; do
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

# 4. Both tools on the same tree, one after the other, timed by GNU time.
/usr/bin/time -v -o "$out/strata.time" dotnet "$bench" scan "$tree" > "$out/strata.tsv" 2> "$out/strata.log"
# The same without Strata's built-in allowed paths (docs, package metadata), reading every file as secretlint does.
/usr/bin/time -v -o "$out/strata-all.time" dotnet "$bench" scan-all "$tree" > "$out/strata-all.tsv" 2> "$out/strata-all.log"
[ "$peer" != 1 ] || (cd "$tree" && /usr/bin/time -v -o "$out/secretlint.time" "$here/node_modules/.bin/secretlint" "**/*" \
  --secretlintrc "$out/secretlintrc.json" --format unix --no-color --output "$out/secretlint.txt" > /dev/null 2> "$out/secretlint.log") || true

# 5. Figures: wall time, peak RSS, recall and false positives on the planted set.
python3 "$here/score.py" "$out" | tee -a "$out/summary.txt"
