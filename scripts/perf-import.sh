#!/usr/bin/env bash
# Million-unit imports, timed: TMX (tmx_bench's file) and TSV (fuzzy_bench's
# generated en-ru TM), each into a fresh database, ROUNDS times, under
# /usr/bin/time (wall, user, system CPU, peak resident memory), then the
# stored fuzzy index checked against a fresh tokenisation of every variant
# (examples/index_check). See docs/perf.md.
#
#   scripts/perf-import.sh                 # the release build of this tree
#   BASE=/path/to/old/polytm scripts/perf-import.sh   # and an older binary, interleaved
#
# Environment: N (units, default 1000000), ROUNDS (default 3), DIR (work
# folder, default /tmp/polytm-perf; the generated files are kept there and
# reused), HOGS (busy loops running meanwhile, default 0: a load test).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
ROUNDS=${ROUNDS:-3}
DIR=${DIR:-/tmp/polytm-perf}
HOGS=${HOGS:-0}
mkdir -p "$DIR"
cargo build --release --quiet --bin polytm --example tmx_bench --example fuzzy_bench --example index_check
NEW=target/release/polytm
TMX="$DIR/bench-$N.tmx"
TSV="$DIR/gen-$N.tsv"
if [ ! -s "$TMX" ]; then
    # tmx_bench writes the file, imports and exports it once; --keep keeps it
    target/release/examples/tmx_bench "$N" --keep "$DIR" > "$DIR/tmx_bench.log"
fi
[ -s "$TSV" ] || target/release/examples/fuzzy_bench gen "$N" "$TSV"

pids=()
for _ in $(seq "$HOGS"); do
    (exec sh -c 'while :; do :; done') &
    pids+=("$!")
done
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

bins=(new)
[ -n "${BASE:-}" ] && bins=(base new)
printf '%-5s %-5s %-6s %9s %9s %9s %9s %9s %10s\n' round bin file load wall_s user_s sys_s peak_MB units/s
for r in $(seq "$ROUNDS"); do
    for f in "$TMX" "$TSV"; do
        for b in "${bins[@]}"; do
            bin=$NEW
            [ "$b" = base ] && bin=$BASE
            db="$DIR/run-$b-${f##*.}.db"
            rm -f "$db" "$db-wal" "$db-shm"
            load=$(cut -d' ' -f1 /proc/loadavg)
            /usr/bin/time -f "%e %U %S %M" -o "$DIR/time.txt" "$bin" --quiet --db "$db" import "$f" > "$DIR/out.txt" 2>&1
            read -r wall user sys kb < "$DIR/time.txt"
            awk -v r="$r" -v b="$b" -v f="${f##*.}" -v l="$load" -v w="$wall" -v u="$user" -v s="$sys" -v k="$kb" -v n="$N" \
                'BEGIN { printf "%-5s %-5s %-6s %9s %9s %9s %9s %9.0f %10.0f\n", r, b, f, l, w, u, s, k / 1024, n / w }'
        done
    done
done
cleanup
pids=()
# The last databases of this tree's binary: their index, entry by entry.
for f in tmx tsv; do
    echo "index of the $f import:"
    target/release/examples/index_check "$DIR/run-new-$f.db"
done
rm -f "$DIR"/run-*.db*
