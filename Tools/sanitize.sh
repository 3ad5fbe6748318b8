#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer and under ThreadSanitizer (issue 13), each in its own
# build folder, and prints what they report. Usage: Tools/sanitize.sh [address|thread …] (default both).
# Release builds (-c release): the suite's training tests are too slow unoptimised. Leak checking is off
# (ASAN_OPTIONS=detect_leaks=0): the Swift runtime and Foundation keep small one-time allocations alive
# at exit, and LeakSanitizer's report on stderr would fail every test that checks a command's stderr.
set -uo pipefail
cd "$(dirname "$0")/.."
sanitizers=("$@")
[ ${#sanitizers[@]} -eq 0 ] && sanitizers=(address thread)
status=0
for s in "${sanitizers[@]}"; do
    log=$(mktemp)
    echo "== swift test --sanitize=$s"
    if ASAN_OPTIONS=detect_leaks=0 swift test -c release --sanitize="$s" --build-path ".build-$s" >"$log" 2>&1; then
        echo "$s: clean"
    else
        status=1
        echo "$s: failed"
    fi
    grep -E "Executed [0-9]+ tests" "$log" | tail -1
    grep -E "ERROR: AddressSanitizer|WARNING: ThreadSanitizer|SUMMARY: " "$log" | sort | uniq -c | head -20
    grep -E "error: .*XCT|failed \(" "$log" | head -10
    rm -f "$log"
done
exit $status
