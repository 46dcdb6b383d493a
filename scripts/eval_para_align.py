#!/usr/bin/env python3
"""Strict F1 of segment-and-align: `polytm align` on running paragraphs.

usage: eval_para_align.py POLYTM CASE_DIR [EXTRA polytm ARGS...]

CASE_DIR is the output of make_trilingual_case.py: DOC.{en,ru,zh}.para
(running text) and DOC.gold (three-way beads over the lines of
DOC.{en,ru,zh}). polytm cuts the paragraphs into sentences itself, so its
units are compared with the gold ones as stretches of text: each unit (and
each gold bead) covers a range of the non-space characters of every
language, and a unit counts when its ranges equal a gold bead's (strict),
pairwise en-ru and en-zh as in align_score.py.
"""
import json
import os
import subprocess
import sys


def nonspace(s):
    return sum(1 for c in s if not c.isspace())


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, case, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
    langs = ["en", "ru", "zh"]
    docs = sorted(f[:-5] for f in os.listdir(case) if f.endswith(".gold") and "-" not in f[:-5].split(".")[-1])
    counts = {l: [0, 0, 0, 0] for l in langs[1:]}  # test hits, test total, gold hits, gold total
    for doc in docs:
        lines = {l: open(os.path.join(case, f"{doc}.{l}"), encoding="utf-8").read().splitlines() for l in langs}
        starts = {}
        for l in langs:
            pos, s = 0, []
            for x in lines[l]:
                s.append(pos)
                pos += nonspace(x)
            s.append(pos)
            starts[l] = s
        gold = []
        for row in open(os.path.join(case, f"{doc}.gold"), encoding="utf-8"):
            sides = [json.loads(x) for x in row.strip().split(":")]
            gold.append({l: ((starts[l][ids[0]], starts[l][ids[-1] + 1]) if ids else None) for l, ids in zip(langs, sides)})
        out = subprocess.run(
            [binary, *extra, "align", "--no-store", "--format", "json", "--langs", "en,ru,zh"]
            + [os.path.join(case, f"{doc}.{l}.para") for l in langs],
            capture_output=True, text=True, check=True).stdout
        pos = {l: 0 for l in langs}
        test = []
        for u in json.loads(out):
            bead = {}
            for l in langs:
                n = nonspace(u["text"][l])
                bead[l] = (pos[l], pos[l] + n) if u["sentences"][l] else None
                pos[l] += n
            test.append(bead)
        for l in langs[1:]:
            proj = lambda beads: [(b["en"], b[l]) for b in beads if b["en"] or b[l]]
            g, t = proj(gold), proj(test)
            gs, ts = set(g), set(t)
            c = counts[l]
            c[0] += sum(1 for x in t if x in gs)
            c[1] += len(t)
            full = lambda beads: [x for x in beads if x[0] and x[1]]
            c[2] += sum(1 for x in full(g) if x in ts)
            c[3] += len(full(g))
    for l, (th, tt, gh, gt) in counts.items():
        p, r = th / max(tt, 1), gh / max(gt, 1)
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"en-{l} segmented p_strict={p:.3f} r_strict={r:.3f} f1_strict={f:.3f}")
    print(f"documents={len(docs)}")


if __name__ == "__main__":
    main()
