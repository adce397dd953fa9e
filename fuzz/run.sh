#!/usr/bin/env bash
# Fuzzes one Strata parser with AFL++ and SharpFuzz.
#
# Usage: fuzz/run.sh TARGET MINUTES      e.g. fuzz/run.sh tar 10
#        fuzz/run.sh list                the targets and what each covers
#
# Builds fuzz/Strata.Fuzz in Release, instruments the Strata assemblies (and YamlDotNet and ZstdSharp, whose
# branches are most of what the YAML and zstd inputs reach) with the SharpFuzz tool, then runs afl-fuzz on
# TARGET from its seeds in fuzz/corpus/TARGET for MINUTES. Findings go to fuzz/out/TARGET/default/{crashes,hangs}
# (gitignored; an earlier run's output is moved aside to fuzz/out/TARGET-DATE unless RESUME=1). Ends with AFL's figures.
# Reproduce a finding in-process, with its stack trace:
#   dotnet fuzz/out/bin/Strata.Fuzz.dll replay TARGET fuzz/out/TARGET/default/crashes/id:*
#
# Environment: TIMEOUT_MS (default 5000: a hang is an input slower than that), AFL_FLAGS (more afl-fuzz options),
# NO_BUILD=1 (reuse the last build, e.g. to run several targets one after the other), RESUME=1 (continue the last
# run of TARGET from its queue instead of starting again from the seeds; AFL's figures then count both runs).
set -euo pipefail
cd "$(dirname "$0")"
fuzz=$(pwd)

# afl++ (Debian) and the SharpFuzz instrumentation tool (a dotnet local tool, fuzz/.config/dotnet-tools.json).
if ! command -v afl-fuzz >/dev/null; then
  echo "run.sh: installing afl++" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends afl++ >&2
fi
dotnet tool restore >/dev/null

if [ "${NO_BUILD:-0}" != 1 ] || [ ! -f out/afl-bin/Strata.Fuzz.dll ]; then
  echo "== building fuzz/Strata.Fuzz (Release)" >&2
  rm -rf out/bin
  dotnet build Strata.Fuzz -c Release -o out/bin -v quiet -nologo >&2
  build=1
fi

if [ "${1:-}" = list ]; then
  exec dotnet out/bin/Strata.Fuzz.dll list
fi
if [ $# -ne 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -lt 1 ]; then
  echo "usage: fuzz/run.sh TARGET MINUTES | fuzz/run.sh list" >&2
  exit 2
fi
target=$1
minutes=$2
if ! dotnet out/bin/Strata.Fuzz.dll list | awk '{print $1}' | grep -qx -- "$target"; then
  echo "run.sh: no target '$target'; these are:" >&2
  dotnet out/bin/Strata.Fuzz.dll list >&2
  exit 2
fi

# An instrumented copy for afl-fuzz; out/bin stays plain for replaying findings (instrumented code runs only
# inside the fuzz loop). The harness itself and SharpFuzz stay uninstrumented: their branches say nothing about the input.
if [ "${build:-0}" = 1 ]; then
  echo "== instrumenting" >&2
  rm -rf out/afl-bin
  cp -r out/bin out/afl-bin
  for assembly in out/afl-bin/Strata.*.dll out/afl-bin/YamlDotNet.dll out/afl-bin/ZstdSharp.dll; do
    case "$assembly" in */Strata.Fuzz.dll) continue ;; esac
    dotnet tool run sharpfuzz "$assembly" >/dev/null
  done
fi

output=out/$target
input=(-i "corpus/$target")
if [ "${RESUME:-0}" = 1 ] && [ -f "$output/default/fuzzer_stats" ]; then
  input=(-i -)
elif [ -d "$output" ]; then
  mv "$output" "$output-$(date +%Y%m%d-%H%M%S)"
fi
mkdir -p "$output/tmp"

dictionary=()
[ -f "dictionaries/$target.dict" ] && dictionary=(-x "dictionaries/$target.dict")

echo "== afl-fuzz $target for $minutes min (timeout ${TIMEOUT_MS:-5000} ms)" >&2
# The target program is dotnet, not an afl-instrumented binary (SKIP_BIN_CHECK); the machine is shared
# (NO_AFFINITY, SKIP_CPUFREQ); crashes are exceptions SharpFuzz reports, not core dumps (MISSING_CRASHES).
# TMPDIR keeps the targets' scratch files inside the output folder.
status=0
AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_NO_UI=1 AFL_FORKSRV_INIT_TMOUT=60000 TMPDIR="$fuzz/$output/tmp" DOTNET_CLI_TELEMETRY_OPTOUT=1 \
  afl-fuzz "${input[@]}" -o "$output" -t "${TIMEOUT_MS:-5000}" -m none -V $((minutes * 60)) \
  "${dictionary[@]}" ${AFL_FLAGS:-} -- dotnet out/afl-bin/Strata.Fuzz.dll afl "$target" >"$output/afl.log" 2>&1 || status=$?
rm -rf "$output/tmp"

stats=$output/default/fuzzer_stats
if [ ! -f "$stats" ]; then
  echo "run.sh: afl-fuzz stopped before fuzzing (exit $status); the end of $output/afl.log:" >&2
  tail -n 30 "$output/afl.log" >&2
  exit 3
fi

value() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$stats"; }
crashes=$(value saved_crashes); crashes=${crashes:-$(value unique_crashes)}
hangs=$(value saved_hangs); hangs=${hangs:-$(value unique_hangs)}
echo "target:      $target"
echo "run time:    $(value run_time) s"
echo "executions:  $(value execs_done)"
echo "execs/s:     $(value execs_per_sec)"
echo "paths:       $(value corpus_count) (coverage $(value bitmap_cvg))"
echo "crashes:     $crashes"
echo "hangs:       $hangs"
echo "findings:    $fuzz/$output/default/{crashes,hangs}"
if [ "${crashes:-0}" -gt 0 ]; then
  echo "== the crashes, replayed in-process (dotnet fuzz/out/bin/Strata.Fuzz.dll replay $target $output/default/crashes/id:*)"
  dotnet out/bin/Strata.Fuzz.dll replay "$target" "$output"/default/crashes/id:* | grep -A3 '^DEFECT' | head -n 40 || true
fi
[ "$status" -eq 0 ] || echo "run.sh: afl-fuzz exited $status; see $output/afl.log" >&2
exit "$status"
