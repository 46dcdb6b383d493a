#!/usr/bin/env python3
"""Real-data evaluation of `polytm match` (see docs/fuzzy.md).

usage: scripts/fuzzy_eval.py [--polytm target/release/polytm] [--out /tmp/fz] [--shared ../shared]
                             [--langs ru,zh] [--no-anchor]

1. builds the test case with SHARED/eval/make_fuzzy_case.py OUT (54k-unit EN->RU and EN->ZH
   TMs from gettext + LibreOffice help, 1,000 held-out help paragraphs) unless OUT has it;
2. imports each TM with `polytm import` (timed);
3. runs the 1,000 queries in one batch at --min 50: indexed (with repairs), indexed without
   repairs, and --exhaustive without repairs (each timed as a whole process);
4. compares: agreement of best scores indexed vs exhaustive, proposals >= 50, number of
   proposals against an independent token brute force (rapidfuzz Levenshtein over regex
   tokens, all cores: the "C++ brute force" anchor), and chrF of each proposal set with
   SHARED/eval/score_proposals.py.

Needs: pip install sacrebleu rapidfuzz (the anchor is skipped without rapidfuzz).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(cmd, **kw):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return p.stdout, p.stderr, dt


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        lines = [l for l in f.read().split("\n") if l]
    head = lines[0].split("\t")
    return [dict(zip(head, l.split("\t"))) for l in lines[1:]]


def batch(polytm, db, lang, queries, *flags):
    out, err, dt = run([polytm, "--db", db, "--quiet", "match", "--from", "en", "--to", lang,
                        "--min", "50", "--limit", "1", "--file", queries, *flags])
    rows = []
    for line in out.split("\n"):
        if not line:
            continue
        n, score, target, source = line.split("\t", 3)
        rows.append((int(score) if score else None, target, source))
    return rows, dt


def write_props(path, ids, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("id\tproposal\n")
        for qid, (score, target, _) in zip(ids, rows):
            f.write(f"{qid}\t{target if score is not None else ''}\n")


def chrf(shared, props, lang, queries):
    out, _, _ = run([sys.executable, os.path.join(shared, "eval", "score_proposals.py"),
                     props, lang, "--queries", queries, "--json"])
    return json.loads(out)


TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def anchor(tm_rows, lang, queries):
    """Independent token brute force: rapidfuzz Levenshtein similarity over regex tokens
    (lower-cased), 1 - d/max(len), best >= 0.5, all cores."""
    try:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein
    except ImportError:
        return None
    def toks(s):
        return TOKEN.findall(s.lower())
    choices = [toks(r["en"]) for r in tm_rows]
    qs = [toks(q) for q in queries]
    t = time.perf_counter()
    m = process.cdist(qs, choices, scorer=Levenshtein.normalized_similarity,
                      score_cutoff=0.5, workers=-1, dtype="float32")
    best = m.argmax(axis=1)
    dt = time.perf_counter() - t
    out = []
    for i, j in enumerate(best):
        s = float(m[i, j])
        out.append((s, tm_rows[j][lang]) if s >= 0.5 else (None, ""))
    return out, dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--polytm", default=os.path.join(ROOT, "target", "release", "polytm"))
    ap.add_argument("--out", default="/tmp/fz")
    ap.add_argument("--shared", default=os.environ.get("POLYTM_SHARED", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--langs", default="ru,zh")
    ap.add_argument("--no-anchor", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(a.shared, "data")):
        print(f"{a.shared}/data not found: nothing to evaluate (set POLYTM_SHARED)")
        return
    queries_tsv = os.path.join(a.out, "queries.tsv")
    queries_txt = os.path.join(a.out, "queries.en.txt")
    if not os.path.exists(queries_tsv):
        run([sys.executable, os.path.join(a.shared, "eval", "make_fuzzy_case.py"), a.out])
    qrows = read_tsv(queries_tsv)
    ids = [q["id"] for q in qrows]
    qtexts = [q["en"] for q in qrows]
    for lang in a.langs.split(","):
        tm_tsv = os.path.join(a.out, f"tm.en-{lang}.tsv")
        db = os.path.join(a.out, f"tm-{lang}.db")
        for ext in ("", "-wal", "-shm"):
            if os.path.exists(db + ext):
                os.remove(db + ext)
        tm_rows = read_tsv(tm_tsv)
        _, _, t_import = run([a.polytm, "--db", db, "--quiet", "import", tm_tsv])
        idx, t_idx = batch(a.polytm, db, lang, queries_txt)
        idx_nr, t_idx_nr = batch(a.polytm, db, lang, queries_txt, "--no-repair")
        exh, t_exh = batch(a.polytm, db, lang, queries_txt, "--exhaustive", "--no-repair")
        n = len(qtexts)
        agree = sum(1 for x, y in zip(idx, exh) if x[0] == y[0])
        props = sum(1 for x in idx if x[0] is not None)
        props_ex = sum(1 for x in exh if x[0] is not None)
        below = sum(1 for x in idx if x[0] is not None and x[0] < 50)
        repaired = sum(1 for x, y in zip(idx, idx_nr) if x[1] != y[1])
        files = {}
        for name, rows in (("polytm", idx), ("polytm-norepair", idx_nr), ("exhaustive", exh)):
            p = os.path.join(a.out, f"props.{name}.{lang}.tsv")
            write_props(p, ids, rows)
            files[name] = chrf(a.shared, p, lang, queries_tsv)
        anc = None if a.no_anchor else anchor(tm_rows, lang, qtexts)
        print(f"## en -> {lang}: {len(tm_rows)} TM rows, {n} queries, --min 50")
        print(f"import (polytm import, index included): {t_import:.2f} s = {len(tm_rows) / t_import:.0f} units/s")
        print(f"indexed batch (whole process): {t_idx:.2f} s = {n / t_idx:.0f} queries/s")
        print(f"indexed batch, no repairs: {t_idx_nr:.2f} s = {n / t_idx_nr:.0f} queries/s")
        print(f"exhaustive batch (whole process): {t_exh:.2f} s = {n / t_exh:.0f} queries/s;"
              f" indexed is {t_exh / t_idx:.1f}x faster")
        print(f"best score identical to exhaustive: {agree}/{n} = {100 * agree / n:.1f} %")
        print(f"proposals: {props} (exhaustive {props_ex}); below 50: {below}; repaired: {repaired}")
        if anc:
            rows, t_anc = anc
            n_anc = sum(1 for s, _ in rows if s is not None)
            p = os.path.join(a.out, f"props.anchor.{lang}.tsv")
            write_props(p, ids, [(s, t, "") for s, t in rows])
            files["anchor"] = chrf(a.shared, p, lang, queries_tsv)
            print(f"token brute force (rapidfuzz, all cores): {t_anc:.2f} s = {n / t_anc:.0f} queries/s;"
                  f" {n_anc} proposals (polytm makes {100 * (props - n_anc) / max(n_anc, 1):+.1f} %)")
        for name, r in files.items():
            print(f"chrF {name:16} corpus {r['corpus_chrF']:6.2f}  mean sentence {r['mean_sentence_chrF']:6.2f}"
                  f"  non-empty {r['non_empty']}  identical to reference {r['exact_ref']}")
        print()


if __name__ == "__main__":
    main()
