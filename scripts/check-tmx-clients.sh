#!/usr/bin/env bash
# Proof by real clients: polytm's TMX exports read by the tools translators use.
#
#   scripts/check-tmx-clients.sh            (from anywhere; POLYTM_BIN=path to skip the build)
#
# 1. xmllint validates every export against the TMX 1.4b DTD
#    (Debian: apt-get install libxml2-utils; DTD from $POLYTM_SHARED/specs or ../shared/specs).
# 2. Translate Toolkit (pip install translate-toolkit) reads each export and
#    sees the same number of units and the same texts, language by language,
#    as polytm's CSV export of the same selection.
# 3. OmegaT 3.6 (Debian: apt-get install omegat), console mode, on a tiny
#    en-US -> ru-RU project whose tm/auto/ holds an export: the sentences that
#    are in the TM come out translated.
#
# Each check is skipped, with a message, when its tool is absent. Exit status:
# 0 when every check that ran passed, 1 otherwise.
#
# The TM checked: the test fixtures (Cyrillic, Han, & and <, inline tags,
# three-language units, props and notes) and, when the shared data folder is
# present, 9,419 LibreOffice help paragraphs (en/ru/zh) and 44,943 gettext
# en-ru pairs.

set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED=${POLYTM_SHARED:-$ROOT/../shared}
FAILED=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; FAILED=1; }
skip() { echo "SKIP  $*"; }

BIN=${POLYTM_BIN:-}
if [ -z "$BIN" ]; then
    cargo build --quiet --release || { echo "cargo build failed"; exit 1; }
    BIN=$ROOT/target/release/polytm
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DB=$WORK/tm.db
pt() { "$BIN" --quiet --db "$DB" "$@"; }

echo "== building a TM"
pt import tests/fixtures/tmx/sample.tmx tests/fixtures/tmx/tmx11.tmx tests/fixtures/tmx/pairs.tsv || exit 1
if [ -f "$SHARED/data/parallel/libreoffice-help.dev.en-ru-zh.tsv" ]; then
    pt import "$SHARED/data/parallel/libreoffice-help.dev.en-ru-zh.tsv" || exit 1
    # gettext catalogues: header "domain source target" -> "domain en ru"
    sed '1s/.*/domain\ten\tru/' "$SHARED/data/tm/gettext.en-ru.tsv" > "$WORK/gettext.en-ru.tsv"
    pt import "$WORK/gettext.en-ru.tsv" || exit 1
else
    skip "shared data not found at $SHARED/data: checking the fixtures only"
fi

echo "== exporting"
declare -A SEL=( [all]="" [en-ru]="--langs en-US,ru-RU" [en-zh]="--langs en,zh" [ru-zh]="--langs ru,zh" )
for name in all en-ru en-zh ru-zh; do
    # shellcheck disable=SC2086
    pt export ${SEL[$name]} -o "$WORK/$name.tmx" 2>&1 | sed 's/^/      /'
    # shellcheck disable=SC2086
    pt export ${SEL[$name]} --format csv -o "$WORK/$name.csv" 2>/dev/null
done

echo "== 1. xmllint --dtdvalid tmx14.dtd"
DTD=$SHARED/specs/tmx14.dtd
if ! command -v xmllint >/dev/null; then
    skip "xmllint not installed (apt-get install libxml2-utils)"
elif [ ! -f "$DTD" ]; then
    skip "DTD not found at $DTD"
else
    for name in all en-ru en-zh ru-zh; do
        if out=$(xmllint --noout --dtdvalid "$DTD" "$WORK/$name.tmx" 2>&1); then
            pass "xmllint: $name.tmx is valid TMX 1.4b ($(grep -c '<tu ' "$WORK/$name.tmx") units)"
        else
            fail "xmllint: $name.tmx: $(echo "$out" | head -3)"
        fi
    done
fi

echo "== 2. Translate Toolkit (translate.storage.tmx)"
if ! python3 -c "import translate.storage.tmx" 2>/dev/null; then
    skip "Translate Toolkit not installed (pip install translate-toolkit)"
else
    for name in all en-ru en-zh ru-zh; do
        python3 - "$WORK/$name.tmx" "$WORK/$name.csv" <<'EOF' && pass "Translate Toolkit: $name.tmx" || fail "Translate Toolkit: $name.tmx"
import csv, sys
from translate.storage import tmx
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
tm = tmx.tmxfile.parsefile(sys.argv[1])
with open(sys.argv[2], encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))
head, rows = rows[0], rows[1:]
key = lambda tag: tag.split("-")[0].lower()
units = tm.units
problems = []
if len(units) != len(rows):
    problems.append(f"{len(units)} units read, {len(rows)} expected")
langs_seen = set()
for i, (u, row) in enumerate(zip(units, rows)):
    got = {key(n.get(XML_LANG)): u.getNodeText(n) for n in u.getlanguageNodes()}
    want = {key(h): t for h, t in zip(head, row) if t != ""}
    langs_seen.update(got)
    if got != want:
        problems.append(f"unit {i + 1}: {got!r} != {want!r}")
for p in problems[:5]:
    print("      " + p)
print(f"      {len(units)} units, languages {sorted(langs_seen)}, texts equal to polytm's CSV export: {not problems}")
sys.exit(1 if problems else 0)
EOF
    done
fi

echo "== 3. OmegaT console mode"
if ! command -v omegat >/dev/null; then
    skip "OmegaT not installed (apt-get install omegat)"
else
    run_omegat() { # $1 = tmx to put in tm/auto, $2 = label
        local P=$WORK/omegat-$2
        mkdir -p "$P/source" "$P/target" "$P/tm/auto" "$P/glossary" "$P/dictionary" "$P/omegat"
        cat > "$P/omegat.project" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>en-US</source_lang>
        <target_lang>ru-RU</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneRussianTokenizer</target_tok>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
EOF
        cp "$1" "$P/tm/auto/polytm.tmx"
        printf '%s\n\n%s\n\n%s\n\n%s\n' \
            "The Narcotics Control Agency under the President of the Republic of Tajikistan & the SCO met on 5 <May> 2018." \
            "Secretariat" \
            "Regional Anti-Terrorist Structure" \
            "This sentence is not in the memory." > "$P/source/sco.txt"
        (cd "$WORK" && timeout 300 omegat "$P" --mode=console-translate > "$P/log.txt" 2>&1)
        grep -E "TMXR_WARNING|Error|Exception" "$P/log.txt" | head -3 | sed 's/^/      omegat: /'
        echo "      target/sco.txt ($2):"
        sed 's/^/        | /' "$P/target/sco.txt" 2>/dev/null
    }
    run_omegat "$WORK/en-ru.tmx" en-ru
    T=$WORK/omegat-en-ru/target/sco.txt
    if grep -qx "Агентство по контролю за наркотиками при Президенте Республики Таджикистан и ШОС встретились 5 «мая» 2018 года." "$T" \
        && grep -qx "Секретариат" "$T" \
        && grep -qx "Regional Anti-Terrorist Structure" "$T" \
        && grep -qx "This sentence is not in the memory." "$T"; then
        pass "OmegaT filled the two exact matches from the en-ru export and left the others in English"
    else
        fail "OmegaT did not fill the exact matches from the en-ru export"
    fi
    # For the record: a multilingual export (srclang *all*) in an en->ru project.
    run_omegat "$WORK/all.tmx" all
    if grep -qx "地区反恐怖机构" "$WORK/omegat-all/target/sco.txt"; then
        echo "NOTE  with the multilingual export OmegaT 3.6 also takes the other variant of a two-language unit"
        echo "      (en-US/zh-CN) as the translation: export the project's pair (--langs en-US,ru-RU) for a CAT project"
    fi
fi

echo
if [ "$FAILED" = 0 ]; then echo "all checks that ran passed"; else echo "SOME CHECKS FAILED"; fi
exit $FAILED
