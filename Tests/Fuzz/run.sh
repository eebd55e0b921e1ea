#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for SECONDS (default 60); fails if any target finds an
# input that crashes it or violates its property (libFuzzer then exits non-zero and leaves the
# input as crash-*/leak-*/timeout-* in $STAG_FUZZ_ARTIFACTS, default .build-fuzz/artifacts).
#
#   Tests/Fuzz/run.sh [SECONDS] [TARGET...]      TARGET: fuzz-prefix fuzz-reader fuzz-extractor fuzz-index fuzz-history
#
# Targets are declared in Package.swift only when STAG_FUZZ is set, built in .build-fuzz so they
# never touch the normal build, with `-sanitize=fuzzer,address -D STAG_LIBFUZZER` and lld (gold
# fails on libFuzzer's main beside SwiftPM's `--defsym main=`). Seeds come from Fixtures/ (copied
# into a fresh temporary corpus each run; nothing is committed); the corpus a run grows is kept
# in .build-fuzz/corpus/TARGET for the next run. One fuzzer at a time, one process (no -jobs:
# with it libFuzzer logs to fuzz-N.log in the current directory).
# Reproduce a crash in a plain debug build (no libFuzzer):
#   STAG_FUZZ=1 swift build --scratch-path .build-fuzz-replay --product fuzz-reader
#   .build-fuzz-replay/debug/fuzz-reader crash-...
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz-prefix fuzz-reader fuzz-extractor fuzz-index fuzz-history)
scratch=.build-fuzz
artifacts=${STAG_FUZZ_ARTIFACTS:-$scratch/artifacts}
mkdir -p "$artifacts"

for t in "${targets[@]}"; do
    STAG_FUZZ=1 swift build --scratch-path "$scratch" --product "$t" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -DSTAG_LIBFUZZER -Xswiftc -use-ld=lld 2>&1 \
        | grep -v "Cannot export local symbol" >&2
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seed() {  # TARGET DIR: the seed inputs for TARGET, one file each
    case $1 in
    fuzz-reader)
        find Fixtures -name '*.json' -size -64k -exec cp {} "$2/" \; ;;
    fuzz-prefix)
        # Every string in the fixtures that looks like an address or prefix, one per file.
        grep -rhoE '"[0-9a-fA-F.:/]{2,49}"' Fixtures | tr -d '"' | sort -u | head -300 \
            | awk -v d="$2" '{ f = d "/s" NR; printf "%s", $0 > f; close(f) }' ;;
    fuzz-extractor)
        # Lines of the golden exports: addresses inside firewall syntax.
        cat Fixtures/export/*.golden | grep -E '[0-9]\.[0-9]|:[0-9a-f]*:' | sort -u | head -300 \
            | awk -v d="$2" '{ f = d "/s" NR; printf "%s", $0 > f; close(f) }' ;;
    fuzz-index | fuzz-history)
        # Edit lists (see FuzzIndex.swift, FuzzHistory.swift): none, one flip with and without a recomputed
        # checksum, a cut, and a few edits in the header, the section table and the sections.
        printf '\x00' > "$2/none"
        printf '\x00\x10\x00\x00\x00\x01' > "$2/flip"
        printf '\x01\x60\x00\x00\x00\x40' > "$2/table"
        printf '\x01\x00\x02\x00\x00\x80\x03\x00\x00\x07' > "$2/deep"
        printf '\x03\x00\x02\x28\x00\x00\x00\x05' > "$2/cut" ;;
    esac
}
maxlen() {
    case $1 in fuzz-reader) echo 16384 ;; fuzz-prefix) echo 128 ;; fuzz-extractor) echo 1024 ;; fuzz-index | fuzz-history) echo 64 ;; esac
}

status=0
for t in "${targets[@]}"; do
    corpus=$scratch/corpus/$t
    mkdir -p "$corpus" "$tmp/$t"
    seed "$t" "$tmp/$t"
    echo "fuzz: $t for ${seconds}s (seeds: $(ls "$tmp/$t" | wc -l), kept corpus: $(ls "$corpus" | wc -l))" >&2
    # SWIFT_BACKTRACE: Swift's backtracer waits on a crashed process; libFuzzer prints the stack.
    if ! SWIFT_BACKTRACE=enable=no "$scratch/debug/$t" "$corpus" "$tmp/$t" \
            -max_total_time="$seconds" -max_len="$(maxlen "$t")" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$artifacts/$t-" 2>"$tmp/$t.log"; then
        tail -n 60 "$tmp/$t.log" >&2
        echo "fuzz: $t FAILED; input in $artifacts/" >&2
        status=1
        continue
    fi
    grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|#[0-9]+ +DONE)' "$tmp/$t.log" >&2 || true
    echo "fuzz: $t ok, corpus now $(ls "$corpus" | wc -l) files" >&2
done
exit $status
