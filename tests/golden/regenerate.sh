#!/usr/bin/env bash
# Rewrites every golden file in tests/golden from the current code, then shows what changed.
# Never edit a golden file by hand: change the code, run this, and review the diff like code.
# Usage: tests/golden/regenerate.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/../.."
STRATA_REGENERATE_GOLDEN=1 dotnet test tests/Strata.Cli.Tests --filter "FullyQualifiedName~Strata.Cli.Tests.GoldenFileTests" "$@"
git status --short -- tests/golden
git diff --stat -- tests/golden
