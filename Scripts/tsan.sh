#!/usr/bin/env bash
# Runs the test suite under ThreadSanitizer and fails on any report.
#
#   Scripts/tsan.sh [swift test arguments, e.g. --filter WorkQueueTests]
#
# Builds into .build-tsan (a full build takes 7+ minutes). Data races that involve only
# `Synchronization.Mutex` critical sections are false reports on Linux (the contended path locks
# with futex system calls TSan does not see); the project's `Lock` (RoperatorClient/Concurrency)
# annotates them, so code using it is checked precisely. See docs/reliability.md.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"
log="$root/.build-tsan/tsan.log"
mkdir -p "$root/.build-tsan"

# halt_on_error=0: collect every report in one run; the summary below decides the result.
# suppressions: proven false reports from runtime components TSan cannot see into (each explained
# in the file and in docs/reliability.md). Child processes the tests start inherit TSAN_OPTIONS.
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=0 second_deadlock_stack=1 history_size=4} suppressions=$root/Scripts/tsan-suppressions.txt"
export SWIFT_BACKTRACE=enable=no
# ThreadSanitizer slows every process several times over: waits for conditions get longer.
export ROPERATOR_TIMEOUT_SCALE="${ROPERATOR_TIMEOUT_SCALE:-6}"

status=0
swift test --package-path "$root" --sanitize=thread --scratch-path "$root/.build-tsan" "$@" 2>&1 | tee "$log" || status=$?

# Reports from child processes (echo-server in the failover tests) appear indented in a failed
# test's output: count those too.
races=$(grep -cE "^[[:space:]]*WARNING: ThreadSanitizer" "$log" || true)
echo "ThreadSanitizer reports: $races (full output: $log)"
grep -E "^[[:space:]]*SUMMARY: ThreadSanitizer" "$log" | sed -E 's/^[[:space:]]+//'  | sort | uniq -c | sort -rn | head -n 40 || true
if [ "$races" -ne 0 ] || [ "$status" -ne 0 ]; then
    exit 1
fi
