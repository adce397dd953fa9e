#!/usr/bin/env bash
# Benchmark: Strata's secret scanner against secretlint (recommended preset) on the same tree:
# a Debian bookworm minbase root filesystem (debootstrap, cached under .test-cache) plus the
# planted secrets of the test suite. Reports wall time, peak RSS, and recall / false positives
# on the planted set. Not a test; run by hand: bench/secrets/run.sh [--subset DIR,DIR...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/out"
subset=""
if [ "${1:-}" = "--subset" ]; then subset="${2:?--subset needs a comma-separated list of directories}"; fi

for tool in debootstrap /usr/bin/time node npm dotnet python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 2; }
done

# 1. The Debian tree, built once (same cache and layout as the test fixture).
debian="$repo/.test-cache/debian-bookworm-minbase"
if [ ! -f "$debian/.strata-complete" ]; then
  rm -rf "$debian.partial"
  debootstrap --variant=minbase bookworm "$debian.partial" http://deb.debian.org/debian >&2
  rm -rf "$debian" && mv "$debian.partial" "$debian" && touch "$debian/.strata-complete"
fi

# 2. The bench tree: a copy of it plus the planted secrets (manifest: path, line, end line, rule).
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

# 3. secretlint with its recommended preset, installed here (gitignored).
if [ ! -x "$here/node_modules/.bin/secretlint" ]; then
  npm install --no-audit --no-fund --prefix "$here" secretlint @secretlint/secretlint-rule-preset-recommend >&2
fi
echo '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}' > "$out/secretlintrc.json"

# 4. Both tools on the same tree, one after the other, timed by GNU time.
/usr/bin/time -v -o "$out/strata.time" dotnet "$bench" scan "$tree" > "$out/strata.tsv" 2> "$out/strata.log"
(cd "$tree" && /usr/bin/time -v -o "$out/secretlint.time" "$here/node_modules/.bin/secretlint" "**/*" \
  --secretlintrc "$out/secretlintrc.json" --format unix --no-color --output "$out/secretlint.txt" > /dev/null 2> "$out/secretlint.log") || true

# 5. Figures: wall time, peak RSS, recall and false positives on the planted set.
python3 - "$out" <<'PY' | tee -a "$out/summary.txt"
import re, sys
out = sys.argv[1]
tree = out + "/rootfs"
planted = [l.rstrip("\n").split("\t") for l in open(out + "/planted.tsv") if l.strip()]
planted = [(p, int(a), int(b), r) for p, a, b, r in planted]

def times(name):
    text = open(f"{out}/{name}.time").read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.+)", text).group(1)
    parts = [float(x) for x in wall.split(":")]
    seconds = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return seconds, rss

strata = [(l.split("\t")[0], int(l.split("\t")[1])) for l in open(out + "/strata.tsv") if l.strip()]
secretlint = []
for l in open(out + "/secretlint.txt"):
    m = re.match(r"(.+?):(\d+):(\d+): ", l)
    if m:
        path = m.group(1)
        path = path[len(tree):] if path.startswith(tree) else "/" + path.lstrip("./")
        secretlint.append((path, int(m.group(2))))

def score(findings):
    found = {i for i, (p, a, b, r) in enumerate(planted) for f, line in findings if f == p and a <= line <= b}
    fps = [(f, line) for f, line in findings if not any(f == p and a <= line <= b for p, a, b, r in planted)]
    return len(found), fps

rows = []
for name, findings in (("strata", strata), ("secretlint", secretlint)):
    seconds, rss = times(name)
    found, fps = score(findings)
    rows.append((name, seconds, rss, found, fps))
    print(f"{name:10s} wall {seconds:8.2f} s  peak RSS {rss / 1024:7.1f} MiB  recall {found}/{len(planted)} ({100 * found / len(planted):.0f}%)  false positives {len(fps)}")
    for f, line in fps[:20]:
        print(f"    false positive: {f}:{line}")
print(f"wall-time ratio secretlint/strata: {rows[1][1] / rows[0][1]:.1f}x")
PY
