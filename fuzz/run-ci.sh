#!/usr/bin/env bash
# A short fuzz run for CI (see README.md): install cargo-fuzz when it is
# missing, build every target on the stable toolchain (--sanitizer none),
# replay the inputs of the crashes found so far (fuzz/regressions/), then
# fuzz each target for a few seconds from its seed corpus. Exits non-zero
# when any target crashes; the crash input is left in
# fuzz/artifacts/TARGET/ and the command that reproduces it is printed.
#
#   fuzz/run-ci.sh              10 seconds a target
#   FUZZ_SECONDS=60 fuzz/run-ci.sh
#   FUZZ_SECONDS=0 fuzz/run-ci.sh   no new inputs: every target replays its
#                                   regressions and seed corpus once (what
#                                   .ci/run does: deterministic)
set -euo pipefail
cd "$(dirname "$0")"
seconds=${FUZZ_SECONDS:-10}

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
cargo fuzz --version
./seed.sh >/dev/null
cargo fuzz build --sanitizer none

failed=()
for t in $(cargo fuzz list); do
    # -runs=0: run the given inputs once, nothing new
    if [ -d "regressions/$t" ] &&
        ! cargo fuzz run --sanitizer none "$t" "regressions/$t" -- -runs=0 >"/tmp/polytm-fuzz-$t.log" 2>&1; then
        tail -n 40 "/tmp/polytm-fuzz-$t.log"
        failed+=("$t (a regression input)")
        continue
    fi
    if [ "$seconds" = 0 ]; then
        inputs=("corpus/$t") opts=(-runs=0) # the seeds once, nothing new
    else
        inputs=() opts=(-max_total_time="$seconds")
    fi
    if cargo fuzz run --sanitizer none "$t" "${inputs[@]}" -- "${opts[@]}" -timeout=10 \
        -rss_limit_mb=2048 >"/tmp/polytm-fuzz-$t.log" 2>&1; then
        printf '%-16s ok   %s\n' "$t" "$(grep -a '^Done' "/tmp/polytm-fuzz-$t.log" | tail -n 1)"
    else
        tail -n 40 "/tmp/polytm-fuzz-$t.log"
        failed+=("$t")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found crashes in: ${failed[*]}" >&2
    exit 1
fi
if [ "$seconds" = 0 ]; then
    echo "fuzzing: every target replayed its regressions and seeds without a crash"
else
    echo "fuzzing: every target ran ${seconds}s without a crash"
fi
