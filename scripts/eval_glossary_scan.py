#!/usr/bin/env python3
"""How many of the concepts that sentences name does `polytm glossary scan`
find, and how many hits name something the sentence does not?

usage: eval_glossary_scan.py POLYTM DB LANG FILE [FILE...] [--verbose]

Each FILE is a TSV with a header line and two columns: a sentence (one a
line) and the concepts it names, separated by " | " (empty: it names none).
A concept is written as any of its English terms (or, for a concept
without English, any of its terms), so "Interior Ministry of Kazakhstan"
and "Ministry of Internal Affairs of the Republic of Kazakhstan" both mean
that concept. DB must hold the glossary (polytm --db DB glossary import
...). All sentences are scanned as one text, one a line, with
`polytm --db DB glossary scan --lang LANG --json`; each hit is credited to
the sentence its start falls in. The script also checks that every hit's
`text` is exactly the characters start..end.

Prints, per file and in all: expected concepts found, false hits (a
concept found in a sentence that does not name it), text mismatches.
Exit status 0.
"""
import json
import subprocess
import sys


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in sys.argv
    if len(args) < 4:
        sys.exit(__doc__)
    polytm, db, lang, files = args[0], args[1], args[2], args[3:]
    total = [0, 0, 0, 0]
    for path in files:
        with open(path, encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f][1:]
        rows = [(r[0], r[1] if len(r) > 1 else "") for r in rows if r and r[0]]
        text = "".join(r[0] + "\n" for r in rows)
        out = subprocess.run(
            [polytm, "--db", db, "glossary", "scan", "--lang", lang, "--json"],
            input=text.encode("utf-8"),
            capture_output=True,
            check=True,
        )
        hits = json.loads(out.stdout)
        chars = list(text)
        line_of = []
        n = 0
        for c in chars:
            line_of.append(n)
            if c == "\n":
                n += 1
        found = [[] for _ in rows]
        mismatches = 0
        for h in hits:
            if "".join(chars[h["start"]:h["end"]]) != h["text"]:
                mismatches += 1
            found[line_of[h["start"]]].append(h["concept"])
        expected_n = hit_n = false_n = 0
        for (sentence, exp), concepts in zip(rows, found):
            wanted = [e.strip() for e in exp.split(" | ") if e.strip()]
            names = [
                set(c.get("en") or [t for ts in c.values() for t in ts]) for c in concepts
            ]
            got = [w for w in wanted if any(w in n for n in names)]
            extra = [
                sorted(n)[0] if n else "?"
                for n in names
                if not any(w in n for w in wanted)
            ]
            expected_n += len(wanted)
            hit_n += len(got)
            false_n += len(set(extra))
            if verbose and (len(got) < len(wanted) or extra):
                missed = [w for w in wanted if w not in got]
                print(f"  {sentence[:80]}\n    missed: {missed}\n    false: {sorted(set(extra))}")
        pct = 100.0 * hit_n / expected_n if expected_n else 100.0
        print(
            f"{path}: {hit_n}/{expected_n} expected concepts found ({pct:.1f} %), "
            f"{false_n} false hits, {mismatches} text mismatches"
        )
        for i, v in enumerate((expected_n, hit_n, false_n, mismatches)):
            total[i] += v
    if len(files) > 1:
        pct = 100.0 * total[1] / total[0] if total[0] else 100.0
        print(
            f"all: {total[1]}/{total[0]} ({pct:.1f} %), {total[2]} false hits, "
            f"{total[3]} text mismatches"
        )


if __name__ == "__main__":
    main()
