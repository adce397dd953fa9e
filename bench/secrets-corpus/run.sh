#!/usr/bin/env bash
# Benchmark of detection quality (not speed): Strata on the true and false positives that gitleaks, detect-secrets
# and secretlint publish for their own rules. Nothing of theirs is committed: the cases are extracted here, under
# out/, from their git repositories, which you fetch yourself (bare or normal clones):
#   GITLEAKS_GIT=…/gitleaks DETECT_SECRETS_GIT=…/detect-secrets SECRETLINT_GIT=…/secretlint bench/secrets-corpus/run.sh
# Each case is one file; a true positive counts as found when Strata reports any SEC- finding above INFO in it, a
# false positive when it reports one. Prints recall and false-positive rate per corpus, last.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export OUT="$here/out"
: "${GITLEAKS_GIT:?set GITLEAKS_GIT to a clone of gitleaks/gitleaks}"
: "${DETECT_SECRETS_GIT:?set DETECT_SECRETS_GIT to a clone of Yelp/detect-secrets}"
: "${SECRETLINT_GIT:?set SECRETLINT_GIT to a clone of secretlint/secretlint}"
export SECRETLINT_GIT
rm -rf "$OUT" && mkdir -p "$OUT/ds"
for f in $(git -C "$GITLEAKS_GIT" ls-tree -r --name-only HEAD cmd/generate/config/rules/); do
  mkdir -p "$OUT/gitleaks/$(dirname "$f")" && git -C "$GITLEAKS_GIT" show "HEAD:$f" > "$OUT/gitleaks/$f"
done
for f in $(git -C "$DETECT_SECRETS_GIT" ls-tree -r --name-only HEAD tests/plugins); do
  git -C "$DETECT_SECRETS_GIT" show "HEAD:$f" > "$OUT/ds/$(basename "$f")"
done
dotnet build -c Release -v quiet -nologo "$repo/src/Strata.Cli" >&2
strata="$repo/src/Strata.Cli/bin/Release/net10.0/strata.dll"
python3 "$here/gitleaks_cases.py" >&2
python3 "$here/detect_secrets_cases.py" >&2
python3 "$here/secretlint_cases.py" >&2
for corpus in gitleaks detect-secrets; do
  tree="$(python3 "$here/score_cases.py" "$OUT/$corpus.json")"
  printf '%-15s %s\n' "$corpus:" "$(python3 "$here/score_tree.py" "$tree" "$tree.index.json" "$strata")"
done
echo "secretlint:     $(python3 "$here/score_tree.py" "$OUT/tree-secretlint" "$OUT/secretlint-index.json" "$strata")"
