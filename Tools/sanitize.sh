#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer and under ThreadSanitizer (issue 13), each in its own
# build folder, and prints what they report. Usage: Tools/sanitize.sh [address|thread …] (default both).
# Release builds (-c release): the suite's training tests are too slow unoptimised.
set -uo pipefail
cd "$(dirname "$0")/.."
sanitizers=("$@")
[ ${#sanitizers[@]} -eq 0 ] && sanitizers=(address thread)
status=0
for s in "${sanitizers[@]}"; do
    log=$(mktemp)
    echo "== swift test --sanitize=$s"
    if swift test -c release --sanitize="$s" --build-path ".build-$s" >"$log" 2>&1; then
        echo "$s: clean"
    else
        status=1
        echo "$s: failed"
    fi
    grep -E "Executed [0-9]+ tests" "$log" | tail -1
    grep -E "ERROR: AddressSanitizer|WARNING: ThreadSanitizer|SUMMARY: " "$log" | sort | uniq -c | head -20
    rm -f "$log"
done
exit $status
