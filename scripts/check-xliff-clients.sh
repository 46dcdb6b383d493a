#!/bin/sh
# Does a real XLIFF client read polytm's XLIFF as polytm wrote it?
#
# Builds polytm, makes the quick start's TM (the SCO glossary imported, the
# 2019 and 2020 example releases aligned EN/RU/ZH), pre-translates the new
# release (text → XLIFF 1.2) and the CAT-tool style
# fixture (XLIFF 1.2 filled in place) into Russian and Chinese, then reads
# every output with Translate Toolkit (translate.storage.xliff) and checks,
# unit by unit, against polytm's own TSV of the same run:
#   - the file is well-formed and every unit of the input is there;
#   - each target is the proposal of the TSV (none where the TSV has none,
#     never the source copied);
#   - the state: 100 % → "translated" (TT state 100), fuzzy → needs-review
#     (TT state 80), never "translated" for a fuzzy target;
#   - each target has an alt-trans from polytm whose match-quality is the
#     TSV score.
# Skips (exit 0, with a message) when Translate Toolkit is not installed:
#   pip install translate-toolkit
set -eu
cd "$(dirname "$0")/.."
if ! python3 -c 'import translate.storage.xliff' 2>/dev/null; then
    echo "check-xliff-clients: Translate Toolkit not installed (pip install translate-toolkit); skipped"
    exit 0
fi
cargo build --quiet
bin=target/debug/polytm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/tm.db"
rel=examples/releases
$bin --db "$db" --quiet glossary import glossaries/sco-counter-narcotics.tsv >/dev/null
for r in 2019-05-16-bishkek 2020-05-14-moscow; do
    $bin --db "$db" --quiet align --langs en,ru,zh "$rel/$r.en.txt" "$rel/$r.ru.txt" "$rel/$r.zh.txt" >/dev/null
done
fix=tests/fixtures/pretranslate/dushanbe.en-ru.xlf
for lang in ru zh; do
    $bin --db "$db" --quiet pretranslate --from en --to $lang --min 50 --format xliff \
        --report none -o "$work/new.$lang.xlf" "$rel/2021-05-20-dushanbe.en.txt"
    $bin --db "$db" --quiet pretranslate --from en --to $lang --min 50 --format tsv \
        --report none -o "$work/new.$lang.tsv" "$rel/2021-05-20-dushanbe.en.txt"
done
$bin --db "$db" --quiet pretranslate --from en --to ru --min 50 --format xliff \
    --report none -o "$work/cat.ru.xlf" "$fix"
$bin --db "$db" --quiet pretranslate --from en --to ru --min 50 --format tsv \
    --report none -o "$work/cat.ru.tsv" "$fix"
python3 - "$work" "$fix" <<'PY'
import sys
from translate.storage import xliff

work, fixture = sys.argv[1], sys.argv[2]
NS = "{urn:oasis:names:tc:xliff:document:1.2}"
problems = []

def tsv(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        n, score, target, source = line.rstrip("\n").split("\t")
        rows.append((int(n), int(score) if score else None, target, source))
    return rows

def units(path):
    store = xliff.xlifffile.parsefile(open(path, "rb"))
    return [u for u in store.getunits() if not u.isheader()]

def check(name, xlf_units, rows, kept_ids=()):
    filled = fuzzy = exact = 0
    for u, (n, score, target, source) in zip(xlf_units, rows):
        uid = u.getid().split("\x04")[-1]
        tnode = u.xmlelement.find(NS + "target")
        if uid in kept_ids:
            continue
        alts = [a for a in u.getalttrans() if a.xmlelement.get("origin") == "polytm"]
        if score is None:
            if u.target:
                problems.append(f"{name} unit {uid}: a target where polytm found no match")
            continue
        filled += 1
        if u.target != target:
            problems.append(f"{name} unit {uid}: target {u.target!r} != TSV {target!r}")
        if u.target == u.source and score < 100:
            problems.append(f"{name} unit {uid}: source copied as target")
        state = tnode.get("state") if tnode is not None else None
        if score == 100 and state == "translated":
            exact += 1
            if u.get_state_n() != xliff.xliffunit.S_TRANSLATED:
                problems.append(f"{name} unit {uid}: TT state {u.get_state_n()} for translated")
        elif score < 100 or state != "translated":
            fuzzy += 1
            if state == "translated":
                problems.append(f"{name} unit {uid}: fuzzy target ({score}) marked translated")
            if u.get_state_n() != xliff.xliffunit.S_NEEDS_REVIEW:
                problems.append(f"{name} unit {uid}: TT state {u.get_state_n()} for a fuzzy target")
        if len(alts) != 1:
            problems.append(f"{name} unit {uid}: {len(alts)} polytm alt-trans")
        elif alts[0].xmlelement.get("match-quality") != str(score):
            problems.append(f"{name} unit {uid}: match-quality {alts[0].xmlelement.get('match-quality')} != {score}")
    print(f"{name}: {len(xlf_units)} units read by Translate Toolkit, {filled} targets "
          f"({exact} translated, {fuzzy} needs-review-translation), alt-trans match-quality checked")

for lang in ("ru", "zh"):
    us = units(f"{work}/new.{lang}.xlf")
    rows = tsv(f"{work}/new.{lang}.tsv")
    if len(us) != len(rows):
        problems.append(f"new.{lang}.xlf: {len(us)} units, TSV has {len(rows)} segments")
    check(f"text→XLIFF en→{lang}", us, rows)

orig = units(fixture)
filled = units(f"{work}/cat.ru.xlf")
if [u.getid() for u in orig] != [u.getid() for u in filled]:
    problems.append("CAT-tool XLIFF: units differ after filling")
for a, b in zip(orig, filled):
    if a.source != b.source:
        problems.append(f"CAT-tool XLIFF unit {a.getid()}: source changed")
    if a.target and a.target != b.target:
        problems.append(f"CAT-tool XLIFF unit {a.getid()}: translated target changed")
translatable = [u for u in filled if u.xmlelement.get("translate") != "no"]
kept = {u.getid().split("\x04")[-1] for u in orig if u.target}
check("CAT-tool XLIFF 1.2 en→ru", translatable, tsv(f"{work}/cat.ru.tsv"), kept)

if problems:
    print("PROBLEMS:")
    for p in problems:
        print("  " + p)
    sys.exit(1)
print("all targets, states and match qualities agree")
PY
