#!/usr/bin/env bash
# Mutation check (issue 13): applies each single-line mutation of mutations.tsv to a copy of the
# package and runs the whole test suite; a mutant the suite does not fail on "survived" and needs a
# new test. Prints a table: mutation, killed or not, the first failing test. Exits 1 if any mutant
# survived or a mutation did not apply (its text no longer matches the source: update the table).
#
#   Tests/mutation/run.sh [FILTER]      # FILTER: only mutations whose description contains it
#
# About 1.5-3 minutes per mutant on 2 cores (incremental build plus the suite). The copy lives in a
# temporary directory beside the checkout (so ../shared/data is found) and is removed at the end.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
filter=${1:-}
work=$(mktemp -d "$root/../.stag-mutation-XXXXXX")
trap 'rm -rf "$work"' EXIT
# Copy the sources (not the build: its paths are absolute). The first mutant builds everything,
# later ones only what changed.
tar -C "$root" --exclude='./.build' --exclude='./.build-*' --exclude='./.git' -cf - . | tar -C "$work" -xf -
report=$(mktemp)
printf '| mutation | file | killed | first failing test |\n|---|---|---|---|\n' > "$report"
survivors=0
# Put the original back with a new mtime: the Swift driver skips a file whose mtime is older than
# its last build, so a plain `mv` back would leave the mutant compiled into every later run.
restore() { cat "$1.orig" > "$1"; rm -f "$1.orig"; touch "$1"; }
while IFS=$'\t' read -r file old new what; do
    [ -z "$file" ] || [ "${file:0:1}" = "#" ] && continue
    [ -n "$filter" ] && [[ "$what" != *"$filter"* ]] && continue
    path="$work/Sources/ServiceTags/$file"
    cp "$path" "$path.orig"
    if ! python3 - "$path" "$old" "$new" <<'PY'
import sys
path, old, new = sys.argv[1:]
s = open(path).read()
if old not in s: sys.exit(1)
open(path, "w").write(s.replace(old, new, 1))
PY
    then
        echo "mutation: '$what' does not apply: its text is not in $file" >&2
        printf '| %s | %s | NOT APPLIED | |\n' "$what" "$file" >> "$report"
        survivors=$((survivors + 1))
        restore "$path"
        continue
    fi
    echo "mutation: $what ($file)" >&2
    log="$work/mutant.log"
    if ! (cd "$work" && swift build --build-tests >"$log" 2>&1); then
        # A mutant that does not compile tests nothing: fix its replacement text.
        printf '| %s | %s | NOT COMPILED | |\n' "$what" "$file" >> "$report"
        survivors=$((survivors + 1))
        restore "$path"
        continue
    fi
    (cd "$work" && swift test --skip-build >>"$log" 2>&1)
    status=$?
    # STAG_MUTATION_LOGS=DIR keeps each mutant's log.
    if [ -n "${STAG_MUTATION_LOGS:-}" ]; then cp "$log" "$STAG_MUTATION_LOGS/$(echo "$what" | tr -c 'A-Za-z0-9\n' _).log"; fi
    first=$(grep -m1 -E '^✘ Test [^ ]+' "$log" | sed -E 's/^✘ Test ([^ ]+).*/\1/')
    # A trap in the code under test ends the test process before any test reports: name the trap.
    [ -z "$first" ] && first=$(grep -m1 -oE '[A-Za-z0-9_+/.-]+\.swift:[0-9]+: (Fatal error|Assertion failed|Precondition failed): [^|]*' "$log" | sed 's/^/crash: /')
    if [ $status -ne 0 ]; then
        printf '| %s | %s | yes | %s |\n' "$what" "$file" "${first:-exit $status}" >> "$report"
    else
        printf '| %s | %s | **no** | |\n' "$what" "$file" >> "$report"
        survivors=$((survivors + 1))
    fi
    restore "$path"
done < "$(dirname "$0")/mutations.tsv"
cat "$report"
rm -f "$report"
[ $survivors -eq 0 ]
