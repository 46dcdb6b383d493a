#!/usr/bin/env python3
"""Sentence-boundary F1 of `polytm segment` on running text built from
one-sentence-a-line documents.

usage: eval_segment.py POLYTM DIR LANG [LANG...] [--para-suffix .para] [--per 5]

For every DOC.LANG in DIR (one gold sentence a line) the lines are joined
into running paragraphs of --per sentences (" " between sentences, nothing
for Chinese; a blank line between paragraphs), exactly as
make_trilingual_case.py writes DOC.LANG.para. With --para-suffix SUF the
existing DOC.LANG.SUF files are segmented instead (their gold is DOC.LANG).
`polytm segment --lang LANG` cuts the text; its sentence ends are compared
with the gold ones, as positions counted in non-space characters.
Paragraph ends are given to the segmenter, so they are not counted: only
the boundaries inside paragraphs are scored (precision, recall, F1 pooled
over all documents).
"""
import os
import subprocess
import sys
import tempfile


def ends(sentences):
    """Positions (in non-space characters) after each sentence but the last."""
    out, n = [], 0
    for s in sentences:
        n += sum(1 for c in s if not c.isspace())
        out.append(n)
    return out[:-1]


def main():
    args = sys.argv[1:]
    suffix, per = None, 5
    if "--para-suffix" in args:
        i = args.index("--para-suffix")
        suffix = args[i + 1]
        del args[i:i + 2]
    if "--per" in args:
        i = args.index("--per")
        per = int(args[i + 1])
        del args[i:i + 2]
    if len(args) < 3:
        sys.exit(__doc__)
    binary, folder, langs = args[0], args[1], args[2:]
    for lang in langs:
        tp = fp = fn = 0
        docs = sorted(f[: -len(lang) - 1] for f in os.listdir(folder) if f.endswith("." + lang))
        for doc in docs:
            gold_lines = [l for l in open(os.path.join(folder, f"{doc}.{lang}"), encoding="utf-8").read().splitlines() if l.strip()]
            if suffix:
                text = open(os.path.join(folder, f"{doc}.{lang}{suffix}"), encoding="utf-8").read()
                paras = [p for p in text.split("\n\n") if p.strip()]
                # gold sentences of each paragraph: consume lines until the text matches
                gold_paras, k = [], 0
                for p in paras:
                    want = sum(1 for c in p if not c.isspace())
                    got, group = 0, []
                    while got < want and k < len(gold_lines):
                        group.append(gold_lines[k])
                        got += sum(1 for c in gold_lines[k] if not c.isspace())
                        k += 1
                    gold_paras.append(group)
            else:
                sep = "" if lang.startswith("zh") else " "
                gold_paras = [gold_lines[k:k + per] for k in range(0, len(gold_lines), per)]
                text = "\n\n".join(sep.join(g) for g in gold_paras) + "\n"
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
                f.write(text)
                name = f.name
            try:
                out = subprocess.run([binary, "segment", "--lang", lang, name], capture_output=True, text=True, check=True).stdout
            finally:
                os.unlink(name)
            test_paras = [p.splitlines() for p in out.split("\n\n") if p.strip()]
            if len(test_paras) != len(gold_paras):
                sys.exit(f"{doc}.{lang}: {len(test_paras)} paragraphs segmented, {len(gold_paras)} given")
            for g, t in zip(gold_paras, test_paras):
                gs, ts = set(ends(g)), set(ends(t))
                tp += len(gs & ts)
                fp += len(ts - gs)
                fn += len(gs - ts)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{lang} documents={len(docs)} boundaries={tp + fn} precision={p:.3f} recall={r:.3f} f1={f:.3f}")


if __name__ == "__main__":
    main()
