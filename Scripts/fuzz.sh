#!/usr/bin/env bash
# Fuzzes RoperatorClient's parsers with libFuzzer for a bounded time per target.
#
#   Scripts/fuzz.sh [seconds-per-target] [target...]
#
# Targets: json yaml kubeconfig selectors patch (all by default). Each run starts from the
# committed seed corpus in Fuzz/Corpus/<target> (read only; new inputs go to a scratch copy)
# plus the committed crash reproducers in Fuzz/Regressions/<target>. A crash, a timeout
# (an input taking over 10 s) or an out-of-memory stops the run: the input is saved to
# .build-fuzz/artifacts/<target>/ and the script exits non-zero. See docs/reliability.md.
set -euo pipefail

seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(json yaml kubeconfig selectors patch)
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$root/.build-fuzz"
export PATH="/opt/swift/usr/bin:$PATH"

swift build --package-path "$root/Fuzz" --scratch-path "$scratch" 2>&1 | grep -v "Cannot export local symbol"
binary="$scratch/debug/roperator-fuzz"

failed=()
for target in "${targets[@]}"; do
    work="$scratch/corpus/$target"
    artifacts="$scratch/artifacts/$target"
    mkdir -p "$work" "$artifacts"
    seeds=("$root/Fuzz/Corpus/$target")
    [ -d "$root/Fuzz/Regressions/$target" ] && seeds+=("$root/Fuzz/Regressions/$target")
    dictionary=()
    [ -f "$root/Fuzz/Dictionaries/$target.dict" ] && dictionary=(-dict="$root/Fuzz/Dictionaries/$target.dict")
    echo "== $target: ${seconds}s"
    # Swift's backtracer and AddressSanitizer both handle the crash signal; leave it to libFuzzer.
    if ! SWIFT_BACKTRACE=enable=no ROPERATOR_FUZZ_TARGET="$target" "$binary" "$work" "${seeds[@]}" "${dictionary[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 2>"$scratch/$target.log"; then
        failed+=("$target")
        tail -n 40 "$scratch/$target.log"
    fi
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$scratch/$target.log" || true
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzzing found problems in: ${failed[*]} (inputs in $scratch/artifacts/)"
    exit 1
fi
echo "fuzzing: no crashes in ${targets[*]} (${seconds}s each)"
