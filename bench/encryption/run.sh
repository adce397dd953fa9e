#!/usr/bin/env bash
# Benchmark: ocicrypt layer cipher (AES_256_CTR_HMAC_SHA256) throughput of Strata's CipherStream, encrypting and
# decrypting, against the floor of the same work done by OpenSSL over the same bytes in the same run:
#   openssl enc -aes-256-ctr -K KEY -iv IV -in FILE | openssl dgst -sha256 -mac HMAC -macopt hexkey:KEY
# (the issue's floor: plain AES-CTR, then HMAC-SHA256 over the ciphertext). Goal: ratio <= 1.2.
# Not a test; run by hand: bench/encryption/run.sh. SIZE_MIB=1024 (quick: 256), RUNS=3 interleaved runs (medians).
# Needs dotnet, openssl, GNU time (/usr/bin/time) and python3. The input is random bytes in a temporary file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/out"
size=${SIZE_MIB:-1024}
runs=${RUNS:-3}
for tool in dotnet openssl /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 2; }
done

rm -rf "$out" && mkdir -p "$out"
dotnet build -c Release -v quiet -nologo "$here/CryptBench" >&2
bench="$here/CryptBench/bin/Release/net10.0/CryptBench.dll"
head -c "$((size * 1024 * 1024))" /dev/urandom > "$out/plain"
key=$(openssl rand -hex 32)
iv=$(openssl rand -hex 16)
openssl enc -aes-256-ctr -K "$key" -iv "$iv" -in "$out/plain" -out "$out/cipher"
hmac=$(openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -r "$out/cipher" | cut -d' ' -f1)
cat "$out/plain" "$out/cipher" > /dev/null # warm the page cache
echo "input: ${size} MiB of random bytes; $(nproc) cores; $(openssl version)" | tee "$out/summary.txt"
echo "load before: $(uptime)" | tee -a "$out/summary.txt"

# One line per run: mode seconds peak-RSS-KiB (wall time of the whole process, start-up included, for both sides).
for run in $(seq "$runs"); do
  /usr/bin/time -f '%e %M' -o "$out/time.txt" bash -c "openssl enc -aes-256-ctr -K $key -iv $iv -in '$out/plain' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$key -r > '$out/floor-hmac.txt'"
  echo "floor $(cat "$out/time.txt")" | tee -a "$out/runs.txt"
  line=$(/usr/bin/time -f '%e %M' -o "$out/time.txt" dotnet "$bench" encrypt "$out/plain" "$key" "$iv")
  [ "$(echo "$line" | cut -d' ' -f5)" = "$(cut -d' ' -f1 "$out/floor-hmac.txt")" ] || { echo "run.sh: Strata's HMAC differs from OpenSSL's" >&2; exit 1; }
  echo "encrypt $(cat "$out/time.txt") | $line" | tee -a "$out/runs.txt"
  line=$(/usr/bin/time -f '%e %M' -o "$out/time.txt" dotnet "$bench" decrypt "$out/cipher" "$key" "$iv" "$hmac")
  echo "decrypt $(cat "$out/time.txt") | $line" | tee -a "$out/runs.txt"
done
echo "load after: $(uptime)" | tee -a "$out/summary.txt"

python3 - "$out/runs.txt" "$size" <<'PY' | tee -a "$out/summary.txt"
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    fields = line.split("|")[0].split()
    rows.setdefault(fields[0], []).append((float(fields[1]), int(fields[2])))
size = int(sys.argv[2])
med = {m: (statistics.median(s for s, _ in v), statistics.median(r for _, r in v)) for m, v in rows.items()}
floor = med["floor"][0]
print(f"floor (openssl enc | openssl dgst): {floor:.2f} s = {size / floor:,.0f} MiB/s, peak RSS {med['floor'][1] / 1024:.0f} MiB")
for mode in ("encrypt", "decrypt"):
    seconds, rss = med[mode]
    print(f"strata {mode}: {seconds:.2f} s = {size / seconds:,.0f} MiB/s, {seconds / floor:.2f}x the floor, peak RSS {rss / 1024:.0f} MiB")
PY
rm -f "$out/plain" "$out/cipher"
