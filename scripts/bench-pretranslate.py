#!/usr/bin/env python3
"""Pre-translate 10,000 segments against a 1M-unit TM: segments/s, peak memory.

    python3 scripts/bench-pretranslate.py [--segments 10000] [--units 1000000] [--dir /tmp/polytm-bench-pretranslate]

The TM is the one the fuzzy benchmark generates (examples/fuzzy_bench.rs:
real EN-RU gettext and LibreOffice help pairs, recombined up to the size
asked for); it is built with `fuzzy_bench scale` when absent.

The document mixes what a new job holds, deterministically (seed 1):
  - a third real TM segments as they are (exact matches and repetitions),
  - a third real segments edited: a number changed, a word dropped or
    two words swapped (fuzzy matches, repairs),
  - a third sentences from the Debian FAQ, which the TM does not hold
    (weak or no matches).
It is pre-translated with the release binary, one segment a line, TSV
output, through /usr/bin/time -v: wall and CPU time, segments/s, peak RSS
(and the load average, since a shared machine slows the wall time).
Reads ../shared (or $POLYTM_SHARED); says so and exits 0 when absent.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("POLYTM_SHARED", os.path.join(root, "..", "shared"))
data = os.path.join(shared, "data")

ap = argparse.ArgumentParser()
ap.add_argument("--segments", type=int, default=10000)
ap.add_argument("--units", type=int, default=1000000)
ap.add_argument("--dir", default="/tmp/polytm-bench-pretranslate")
ap.add_argument("--min", type=int, default=75)
args = ap.parse_args()

if not os.path.isdir(data):
    print(f"bench-pretranslate: {data} not found (set POLYTM_SHARED); skipped")
    sys.exit(0)

os.makedirs(args.dir, exist_ok=True)
db = os.path.join(args.dir, f"tm-{args.units}.db")

def run(cmd, **kw):
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=root, check=True, **kw)

run(["cargo", "build", "--release", "--quiet", "--bin", "polytm", "--example", "fuzzy_bench"])
if not os.path.exists(db):
    run(["target/release/examples/fuzzy_bench", "scale", "--sizes", str(args.units),
         "--queries", "100", "--exhaustive-sample", "5", "--dir", args.dir])

rng = random.Random(1)
real = []
with open(os.path.join(data, "parallel/libreoffice-help.dev.en-ru-zh.tsv"), encoding="utf-8") as f:
    next(f)
    for line in f:
        c = line.rstrip("\n").split("\t")
        if len(c) == 5 and 3 <= len(c[2].split()) <= 60:
            real.append(c[2])
with open(os.path.join(data, "tm/gettext.en-ru.tsv"), encoding="utf-8") as f:
    next(f)
    for line in f:
        c = line.rstrip("\n").split("\t")
        if len(c) == 3 and 3 <= len(c[1].split()) <= 60:
            real.append(c[1])
faq = []
with open(os.path.join(data, "parallel/debian-faq.en.txt"), encoding="utf-8") as f:
    for para in re.split(r"\n\s*\n", f.read()):
        para = " ".join(para.split())
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", para):
            if 4 <= len(s.split()) <= 60:
                faq.append(s)

def edit(s):
    w = s.split()
    k = rng.randrange(3)
    nums = [i for i, x in enumerate(w) if re.fullmatch(r"\d+", x)]
    if k == 0 and nums:
        i = rng.choice(nums)
        w[i] = str(int(w[i]) + 1 + rng.randrange(9))
    elif k == 1 and len(w) > 4:
        del w[rng.randrange(len(w))]
    elif len(w) > 3:
        i = rng.randrange(len(w) - 1)
        w[i], w[i + 1] = w[i + 1], w[i]
    return " ".join(w)

segs = []
for i in range(args.segments):
    k = i % 3
    if k == 0:
        segs.append(rng.choice(real))
    elif k == 1:
        segs.append(edit(rng.choice(real)))
    else:
        segs.append(rng.choice(faq))
segs = [s.replace("\t", " ") for s in segs]
doc = os.path.join(args.dir, f"doc-{args.segments}.en.txt")
with open(doc, "w", encoding="utf-8") as f:
    f.write("\n".join(segs) + "\n")
distinct = len(set(" ".join(s.split()) for s in segs))

out = os.path.join(args.dir, "doc.ru.tsv")
cmd = ["/usr/bin/time", "-v", "target/release/polytm", "--db", db, "--quiet", "pretranslate",
       "--from", "en", "--to", "ru", "--presplit", "--min", str(args.min), "--format", "tsv",
       "-o", out, "--report", "stdout", "--report-json", doc]
t = time.time()
p = run(cmd, capture_output=True, text=True)
wall = time.time() - t
def field(name):
    m = re.search(re.escape(name) + r": ([\d.]+)", p.stderr)
    return float(m.group(1)) if m else float("nan")
rss_mb = field("Maximum resident set size (kbytes)") / 1024
cpu = field("User time (seconds)") + field("System time (seconds)")
load = os.getloadavg()[0]
rep = json.loads(p.stdout)
total = rep["targets"][0]["total"]
bands = ", ".join(f'{b["band"]}: {b["segments"]}' for b in total["bands"])
lines = sum(1 for _ in open(out, encoding="utf-8"))
print()
print(f"TM: {db} ({args.units} units)")
print(f"document: {args.segments} segments ({distinct} distinct), {rep['words']} words")
print(f"pretranslate en→ru --presplit --format tsv --min {args.min}: {wall:.2f} s wall, "
      f"{args.segments / wall:.0f} segments/s, peak RSS {rss_mb:.0f} MB")
print(f"CPU time {cpu:.2f} s (user + system): {args.segments / cpu:.0f} segments per CPU-second; "
      f"load average {load:.1f} on {os.cpu_count()} cores during the run")
print(f"bands: {bands}; translations written: {total['filled']}; TSV lines: {lines}")
