#!/usr/bin/env bash
# Regenerates Fixtures/sample.json from the synthetic generator (SyntheticServiceTags, parameters
# `.sample`) after the generator changed on purpose; SampleFixtureTests then compares the two.
# The new file replaces the old one whole (temporary in Fixtures/, then rename).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp Fixtures/.sample.json.XXXXXX)
trap 'rm -f "$tmp"' EXIT
swift run -c release stag-bench --sample > "$tmp"
chmod 644 "$tmp"
mv "$tmp" Fixtures/sample.json
trap - EXIT
echo "wrote Fixtures/sample.json"
