#!/usr/bin/env python3
"""Build long zh-en alignment tests by concatenating dev documents.

usage: make_long_case.py SHARED OUT

Writes OUT/long.{zh,en,gold}: the six MAC-Dev chapters three times over,
then the 62 NTREX-dev news documents (EN with the ZH side of
make_trilingual_case.py --seed 7: merged and dropped sentences), about
5.3k x 6.9k sentences; and OUT/x1.* (MAC-Dev once, 1.5k x 2k) and
OUT/x4.* (MAC-Dev four times, 5.9k x 7.8k) for the growth of the run time.
Gold beads are shifted by the lines that come before. Repeating MAC makes
the same passage occur more than once, far apart: a harder case for a
search that does not keep to a band, none for one that does.
"""
import os
import subprocess
import sys
import tempfile


def read(path):
    return open(path, encoding="utf-8").read().splitlines()


def shift(bead_line, da, db):
    a, b = bead_line.split(":")[:2]
    conv = lambda s, d: "[" + ",".join(str(int(x) + d) for x in s.strip()[1:-1].split(",") if x.strip()) + "]"
    return f"{conv(a, da)}:{conv(b, db)}"


def build(parts, out, name):
    zh, en, gold = [], [], []
    for z, e, g in parts:
        gold += [shift(l, len(zh), len(en)) for l in g if l.strip()]
        zh += z
        en += e
    for ext, lines in (("zh", zh), ("en", en), ("gold", gold)):
        with open(os.path.join(out, f"{name}.{ext}"), "w", encoding="utf-8") as f:
            f.write("".join(l + "\n" for l in lines))
    print(f"{name}: {len(zh)} zh x {len(en)} en sentences, {len(gold)} gold beads")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    shared, out = sys.argv[1:]
    os.makedirs(out, exist_ok=True)
    mac_dir = os.path.join(shared, "data/align/mac-dev")
    mac = []
    for d in sorted({f.split(".")[0] for f in os.listdir(mac_dir)}):
        # MAC gold beads are [zh]:[en]
        mac.append((read(f"{mac_dir}/{d}.zh"), read(f"{mac_dir}/{d}.en"), read(f"{mac_dir}/{d}.gold")))
    news = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(shared, "eval/make_trilingual_case.py"),
                        os.path.join(shared, "data/align/ntrex-dev"), tmp, "--seed", "7"],
                       check=True, capture_output=True)
        for d in sorted(f[:-3] for f in os.listdir(tmp) if f.endswith(".en")):
            # en-zh gold is [en]:[zh]: swap the sides
            g = []
            for l in read(f"{tmp}/{d}.en-zh.gold"):
                a, b = l.split(":")
                g.append(f"{b}:{a}")
            news.append((read(f"{tmp}/{d}.zh"), read(f"{tmp}/{d}.en"), g))
    build(mac * 3 + news, out, "long")
    build(mac, out, "x1")
    build(mac * 4, out, "x4")


if __name__ == "__main__":
    main()
