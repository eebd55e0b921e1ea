#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer and then ThreadSanitizer, each in its own
# scratch directory (.build-asan, .build-tsan) so neither disturbs the normal build, and prints
# how long each took. Any sanitizer report fails the run (swift test exits non-zero).
#
#   Tests/sanitizers.sh [address|thread]...      default: address thread
#   STAG_SANITIZER_TIMEOUT=MINUTES (default 60) bounds each run.
set -euo pipefail
cd "$(dirname "$0")/.."
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(address thread)
status=0
for k in "${kinds[@]}"; do
    case $k in address) scratch=.build-asan ;; thread) scratch=.build-tsan ;; *) echo "sanitizers: unknown $k" >&2; exit 2 ;; esac
    start=$(date +%s)
    # Swift's backtracer would wait on a crashed child; the sanitizer prints the stack itself.
    # Leak checking is off: LeakSanitizer reports only libcurl's globals in every stag-fetch child
    # (which then exits 1 and fails the fetch tests) and FoundationEssentials' file-read buffers
    # in the test bundle at exit, none of it ours; memory errors are what this run is for.
    if STAG_SANITIZER=$k ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} SWIFT_BACKTRACE=enable=no timeout "$(( ${STAG_SANITIZER_TIMEOUT:-60} * 60 ))" \
            swift test --sanitize="$k" --scratch-path "$scratch"; then
        echo "sanitizers: $k passed in $(( $(date +%s) - start )) s" >&2
    else
        echo "sanitizers: $k FAILED (exit $?) after $(( $(date +%s) - start )) s" >&2
        status=1
    fi
done
exit $status
