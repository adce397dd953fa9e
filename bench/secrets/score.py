#!/usr/bin/env python3
"""Scores a bench/secrets run: wall time, CPU and peak RSS (medians over the runs), recall and false positives on the
planted set, then the ratios against rg (the floor) and secretlint (the peer), last.
Usage: score.py OUT_DIR [THREADS] (as written by run.sh)."""
import glob, os, re, statistics, sys

out = sys.argv[1]
tree = os.path.abspath(os.path.join(out, "rootfs"))
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(out, "planted.tsv")) if l.strip()]
planted = [(p, int(a), int(b), r) for p, a, b, r in rows if os.path.isfile(tree + p)]
missing = [p for p, a, b, r in rows if not os.path.isfile(tree + p)]

def one_run(path):
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.+)", text).group(1)
    seconds = sum(float(v) * 60 ** i for i, v in enumerate(reversed(wall.split(":"))))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([0-9.]+)", text))
    return seconds, rss, cpu

def times(name):
    """Medians of wall, peak RSS and CPU over the runs (NAME.1.time, NAME.2.time, ...), and how many runs."""
    runs = [one_run(p) for p in sorted(glob.glob(os.path.join(out, name + ".*.time")))]
    return tuple(statistics.median(r[i] for r in runs) for i in range(3)) + (len(runs),)

def tsv(name):
    return [(l.split("\t")[0], int(l.split("\t")[1])) for l in open(os.path.join(out, name + ".tsv")) if l.strip()]
secretlint = []
peer = os.path.exists(os.path.join(out, "secretlint.txt"))
for l in open(os.path.join(out, "secretlint.txt")) if peer else []:
    m = re.match(r"(.+?):(\d+):(\d+): ", l)
    if m:
        path = m.group(1)
        path = path[len(tree):] if path.startswith(tree) else "/" + path.lstrip("./")
        secretlint.append((path, int(m.group(2))))

def score(findings):
    inside = lambda f, line: [i for i, (p, a, b, r) in enumerate(planted) if f == p and a <= line <= b]
    found = {i for f, line in findings for i in inside(f, line)}
    return found, [(f, line) for f, line in findings if not inside(f, line)]

if missing:
    print("planted files missing from the tree (left out): " + ", ".join(missing))
results = {}
runs = [("strata", tsv("strata"))]
if os.path.exists(os.path.join(out, "strata-all.tsv")):
    runs.append(("strata-all", tsv("strata-all")))
if peer:
    runs.append(("secretlint", secretlint))
for name, findings in runs:
    seconds, rss, cpu, count = times(name)
    found, fps = score(findings)
    results[name] = (seconds, cpu)
    print(f"{name:10s} wall {seconds:8.2f} s  CPU {cpu:8.2f} s  peak RSS {rss / 1024:7.1f} MiB  findings {len(findings):3d}  "
          f"recall {len(found)}/{len(planted)} ({100 * len(found) / len(planted):.0f}%)  false positives {len(fps)}  runs {count}")
    for f, line in fps[:20]:
        print(f"    false positive: {f}:{line}")
    for i, (p, a, b, r) in enumerate(planted):
        if i not in found:
            print(f"    missed: {p}:{a} ({r})")
floors = {"strata": ("rg", "rg, same files (allowed paths left out)"), "strata-all": ("rg-all", "rg, every file")}
for name, (floor, what) in floors.items():
    if glob.glob(os.path.join(out, floor + ".*.time")):
        seconds, rss, cpu, count = times(floor)
        results[floor] = (seconds, cpu)
        print(f"{floor:10s} wall {seconds:8.2f} s  CPU {cpu:8.2f} s  peak RSS {rss / 1024:7.1f} MiB  ({what}, {sys.argv[2] if len(sys.argv) > 2 else '?'} threads)  runs {count}")
if os.path.exists(os.path.join(out, "load.txt")):
    print(open(os.path.join(out, "load.txt")).read().strip().replace("\n", "; "))
print("ratios (medians; goals: at most 2x rg's wall time, at least 100x faster than secretlint):")
for name, (floor, what) in floors.items():
    if name in results and floor in results:
        print(f"  {name}/{floor}: wall {results[name][0] / results[floor][0]:.2f}x (goal <= 2x), CPU {results[name][1] / results[floor][1]:.2f}x")
for name in [n for n, _ in runs if peer and n != "secretlint"]:
    print(f"  secretlint/{name}: wall {results['secretlint'][0] / results[name][0]:.0f}x (goal >= 100x), CPU {results['secretlint'][1] / results[name][1]:.0f}x")
