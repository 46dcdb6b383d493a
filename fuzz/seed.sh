#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with seed inputs: the repository's own test
# fixtures (tests/fixtures) and the small hand-written seeds in
# fuzz/seeds/<target>/. Targets whose first input byte picks an option (a
# language, TSV or CSV ...) get that byte put in front of each fixture.
# Existing corpus files are kept (libFuzzer adds what it finds there);
# seeds are named by their content, so running this again adds nothing twice.
set -euo pipefail
cd "$(dirname "$0")"
fix=../tests/fixtures

# seed TARGET FLAG FILE...: FLAG is a byte in hex ("" for none).
seed() {
    local target=$1 flag=$2 f name
    shift 2
    mkdir -p "corpus/$target"
    for f in "$@"; do
        [ -f "$f" ] || continue
        name=$( { [ -z "$flag" ] || printf "\\x$flag"; cat "$f"; } | sha1sum | cut -c1-16)
        { [ -z "$flag" ] || printf "\\x$flag"; cat "$f"; } >"corpus/$target/$name"
    done
}

seed tmx "" "$fix"/tmx/*.tmx "$fix"/tmx/bad/*.tmx "$fix"/pretranslate/dushanbe.en-ru.xlf
seed tmx_inline ""
seed tbx "" "$fix"/glossary/*.tbx
seed document 02 "$fix"/documents/*.html
seed xliff_read "" "$fix"/pretranslate/*.xlf
for flag in 00 01 02 03; do
    seed xliff_fill "$flag" "$fix"/pretranslate/*.xlf seeds/xliff_read/*
done
# tables: flag 00 TSV, 01 CSV
tsv=("$fix"/tmx/pairs.tsv "$fix"/tmx/bad/*.tsv "$fix"/fuzzy/tm.tsv "$fix"/fuzzy/glossary.tsv
    "$fix"/pretranslate/tm.en-ru-zh.tsv "$fix"/glossary/small.tsv "$fix"/glossary/bad-*.tsv
    "$fix"/perf/overwrite.tsv)
csv=("$fix"/tmx/pairs.csv "$fix"/glossary/small.csv)
for target in table tm_table glossary_table; do
    seed "$target" 00 "${tsv[@]}"
    seed "$target" 01 "${csv[@]}"
done
seed cedict "" "$fix"/align/cedict-sample.u8
seed wordlist 00 "$fix"/tmx/pairs.tsv
seed registry "" "$fix"/tmx/sample.tmx "$fix"/glossary/basic.tbx "$fix"/glossary/martif.tbx \
    "$fix"/pretranslate/dushanbe.en-ru.xlf "$fix"/tmx/pairs.tsv "$fix"/tmx/pairs.csv \
    "$fix"/align/cedict-sample.u8 "$fix"/align/cedict-sample.u8.gz "$fix"/tmx/bad/cp1251.tmx \
    "$fix"/align/meeting.zh
# text: the first byte picks the language (00 en, 01 ru, 02 zh; see src/lib.rs)
for target in segment tokenize; do
    seed "$target" 00 "$fix"/align/meeting.en "$fix"/align/meeting.para.en "$fix"/fuzzy/queries.txt
    seed "$target" 01 "$fix"/align/meeting.ru "$fix"/align/release.ru.txt
    seed "$target" 02 "$fix"/align/meeting.zh "$fix"/align/meeting.para.zh
done
# the hand-written seeds, as they are (flag bytes included)
for dir in seeds/*/; do
    target=$(basename "$dir")
    seed "$target" "" "$dir"*
done
seed segment "" seeds/tokenize/*
seed tokenize "" seeds/segment/*
seed registry "" seeds/tmx/* seeds/xliff_read/*

for dir in corpus/*/; do
    printf '%-16s %3d files\n' "$(basename "$dir")" "$(find "$dir" -type f | wc -l)"
done
