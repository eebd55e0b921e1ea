#!/usr/bin/env bash
# Benchmarks/peers.sh [SERVICETAGS.json]: stag beside its peers on the same inputs, in one run.
#
# Installs the peers it can (grepcidr from Debian, pytricia from PyPI; a peer that cannot be
# installed is skipped with a notice), builds stag in release, generates the inputs
# deterministically with `stag-bench --log/--addresses` (1,000,000 firewall-log lines and
# destination addresses, half inside published prefixes), checks that stag and each peer give
# the same answers, then times each workload RUNS times, alternating stag and the peer (ABBA), and
# prints one Markdown table of medians and stag's time / peer's time. The machine may be shared
# and noisy: read the ratios, not the absolute times.
#
# Environment: RUNS (default 5), LINES (default 1000000), KEEP=DIR to keep the inputs there,
# STATIC=0 to time the dynamically linked build instead of the fully static one docs/install.sh installs
# (in .build-static, so the normal release build is not disturbed).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
data=${1:-}
if [ -z "$data" ]; then
    for f in ../shared/data/servicetags/ServiceTags_Public_20251028.json /work/shared/data/servicetags/ServiceTags_Public_20251028.json; do
        [ -f "$f" ] && data=$f && break
    done
fi
runs=${RUNS:-5}
lines=${LINES:-1000000}
note() { echo "peers: $*" >&2; }

# Peers, best effort.
if ! command -v grepcidr >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    (apt-get install -y -qq grepcidr >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq grepcidr >/dev/null 2>&1)) || true
fi
if ! python3 -c 'import pytricia' 2>/dev/null; then
    python3 -m pip install -q pytricia >/dev/null 2>&1 || python3 -m pip install -q --break-system-packages pytricia >/dev/null 2>&1 || true
fi
have_grepcidr=$(command -v grepcidr >/dev/null && echo 1 || echo 0)
have_pytricia=$(python3 -c 'import pytricia' 2>/dev/null && echo 1 || echo 0)
[ "$have_grepcidr" = 1 ] || note "grepcidr not installed: the grep comparison is skipped"
[ "$have_pytricia" = 1 ] || note "pytricia not installed: the lookup comparisons are skipped"

note "building stag and stag-bench (release)"
swift build -c release --product stag-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
if [ "${STATIC:-1}" = 1 ]; then
    # What users run: docs/install.sh links stag fully static (a whole short process is then
    # ~3 ms shorter than a dynamically linked one, which matters for the one-lookup rows).
    swift build -c release --product stag --static-swift-stdlib -Xswiftc -static-executable --scratch-path .build-static >/dev/null
    stag=$(swift build -c release --static-swift-stdlib -Xswiftc -static-executable --scratch-path .build-static --show-bin-path)/stag
else
    swift build -c release --product stag >/dev/null
    stag=$bin/stag
fi
note "stag: $stag"

work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
if [ -z "$data" ]; then
    note "no real Public file; generating a synthetic one of the same shape"
    data=$work/ServiceTags_Public_synthetic.json
    "$bin/stag-bench" --synthetic-public > "$data"
fi
note "data: $data"
"$bin/stag-bench" --log "$lines" "$data" > "$work/fw.log"
"$bin/stag-bench" --addresses "$lines" "$data" > "$work/addresses.txt"
"$stag" export AzureCloud --data "$data" > "$work/azurecloud.txt"
# The compiled index, where this stag has one (`stag compile`); else the JSON file.
index=$data
if "$stag" compile --data "$data" -o "$work/public.stagidx" 2>/dev/null; then index=$work/public.stagidx; fi

# Correctness first: the same answers, or no timing.
if [ "$have_pytricia" = 1 ]; then
    "$stag" lookup --json --data "$index" - < "$work/addresses.txt" > "$work/stag.jsonl" || [ $? = 1 ]
    python3 Benchmarks/peers/pytricia_lookup.py "$data" --json < "$work/addresses.txt" > "$work/peer.jsonl"
    python3 - "$work/stag.jsonl" "$work/peer.jsonl" <<'PY'
import json, sys
a, b = open(sys.argv[1]), open(sys.argv[2])
n = 0
for x, y in zip(a, b):
    x, y = json.loads(x), json.loads(y)
    tx = sorted(t["name"] for t in x.get("tags", []))
    if x["address"] != y["address"] or tx != y["tags"]:
        sys.exit(f"peers: lookup differs from pytricia at line {n + 1}: {x['address']}")
    n += 1
print(f"peers: lookup: tag sets equal to pytricia's on all {n} addresses", file=sys.stderr)
PY
fi
if [ "$have_grepcidr" = 1 ]; then
    "$stag" grep --tag AzureCloud --data "$index" "$work/fw.log" > "$work/stag.grep" || [ $? = 1 ]
    grepcidr -f "$work/azurecloud.txt" "$work/fw.log" > "$work/peer.grep" || [ $? = 1 ]
    cmp -s "$work/stag.grep" "$work/peer.grep" || { note "grep output differs from grepcidr's ($work)"; KEEP=$work; exit 1; }
    note "grep: the same $(wc -l < "$work/stag.grep") lines as grepcidr"
fi

# Workloads: label, stag command, peer label, peer command (run with bash -c, output discarded),
# and how many times one timed run repeats them (short processes are repeated so that starting
# bash is not part of the figure).
declare -a labels stags peernames peers reps
add() { labels+=("$1"); stags+=("$2"); peernames+=("$3"); peers+=("$4"); reps+=("${5:-1}"); }
if [ "$have_pytricia" = 1 ]; then
    add "\`stag lookup -\`, $lines addresses, text" "$stag lookup --data $index - < $work/addresses.txt" \
        "pytricia script" "python3 $root/Benchmarks/peers/pytricia_lookup.py $data < $work/addresses.txt"
    add "\`stag lookup --json -\`, $lines addresses" "$stag lookup --json --data $index - < $work/addresses.txt" \
        "pytricia script --json" "python3 $root/Benchmarks/peers/pytricia_lookup.py $data --json < $work/addresses.txt"
fi
if [ "$have_grepcidr" = 1 ]; then
    add "\`stag grep --tag AzureCloud\`, $lines log lines" "$stag grep --tag AzureCloud --data $index $work/fw.log" \
        "grepcidr -f azurecloud.txt" "grepcidr -f $work/azurecloud.txt $work/fw.log"
fi
if [ "$index" != "$data" ]; then
    add "\`stag lookup 20.62.130.5\`, whole process, compiled index" "$stag lookup 20.62.130.5 --data $index" \
        "the same on the JSON file" "$stag lookup 20.62.130.5 --data $data" 20
    add "\`stag compile\` of the file" "$stag compile --data $data -o $work/again.stagidx" \
        "a lookup process on the JSON file" "$stag lookup 20.62.130.5 --data $data" 20
fi

# Wall time of one run in ms (a process that reads a 150 MB file: the page cache is warm after
# the checks above).
# `ms CMD N`: the mean of N back-to-back runs, in ms (one decimal).
ms() {
    local s e
    s=$(date +%s%N)
    bash -c "for _ in \$(seq $2); do $1 >/dev/null 2>&1 || true; done"
    e=$(date +%s%N)
    awk -v d=$(( e - s )) -v n="$2" 'BEGIN { printf "%.1f", d / n / 1000000 }'
}
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
echo "| workload | stag | peer | peer's time | stag's time / peer's |"
echo "|---|---:|---|---:|---:|"
for i in "${!labels[@]}"; do
    st=() pt=()
    # ABBA: stag first on even rounds, the peer first on odd ones (in plain alternation the second
    # of a pair ran 2-5% faster on a shared host, which biases the ratio).
    for r in $(seq "$runs"); do
        if (( r % 2 == 0 )); then
            st+=("$(ms "${stags[$i]}" "${reps[$i]}")"); pt+=("$(ms "${peers[$i]}" "${reps[$i]}")")
        else
            pt+=("$(ms "${peers[$i]}" "${reps[$i]}")"); st+=("$(ms "${stags[$i]}" "${reps[$i]}")")
        fi
    done
    s=$(echo "${st[@]}" | median) p=$(echo "${pt[@]}" | median)
    ratio=$(awk -v s="$s" -v p="$p" 'BEGIN { printf "%.3f", (p > 0 ? s / p : 0) }')
    echo "| ${labels[$i]} | $s ms | ${peernames[$i]} | $p ms | $ratio |"
done
# Memory does not grow with the input: peak RSS of lookup - and grep on 1x and 10x the input.
if [ -x /usr/bin/time ]; then
    for _ in $(seq 10); do cat "$work/addresses.txt"; done > "$work/addresses10.txt"
    for _ in $(seq 10); do cat "$work/fw.log"; done > "$work/fw10.log"
    rss() { /usr/bin/time -f %M bash -c "$1 >/dev/null 2>&1" 2>&1 | tail -1; }
    echo
    echo "| peak RSS | $lines lines | 10 × $lines lines |"
    echo "|---|---:|---:|"
    echo "| \`stag lookup -\` | $(rss "$stag lookup --data $index - < $work/addresses.txt") KiB | $(rss "$stag lookup --data $index - < $work/addresses10.txt") KiB |"
    echo "| \`stag grep --tag AzureCloud\` | $(rss "$stag grep --tag AzureCloud --data $index $work/fw.log") KiB | $(rss "$stag grep --tag AzureCloud --data $index $work/fw10.log") KiB |"
    rm -f "$work/addresses10.txt" "$work/fw10.log"
else
    note "/usr/bin/time not installed (apt-get install time): peak RSS not measured"
fi
