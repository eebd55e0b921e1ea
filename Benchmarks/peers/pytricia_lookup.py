#!/usr/bin/env python3
"""Peer for `stag lookup --data FILE -`: for each address on stdin, print ADDRESS<TAB>tags.

The tags are every tag whose prefixes contain the address, sorted by name and comma-separated
(empty when none). Usage: pytricia_lookup.py SERVICETAGS.json < addresses.txt
"""
import json
import sys

import pytricia

trees = {4: pytricia.PyTricia(32), 6: pytricia.PyTricia(128)}
with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)
for tag in data["values"]:
    for prefix in tag["properties"]["addressPrefixes"]:
        tree = trees[6 if ":" in prefix else 4]
        if not tree.has_key(prefix):  # exact; `in` is a longest-prefix match
            tree[prefix] = set()
        tree[prefix].add(tag["name"])

out = sys.stdout
for line in sys.stdin:
    address = line.strip()
    if not address or address.startswith("#"):
        continue
    tree = trees[6 if ":" in address else 4]
    tags = set()
    key = tree.get_key(address)
    while key is not None:  # the most specific prefix, then each enclosing one
        tags |= tree[key]
        key = tree.parent(key)
    out.write(address + "\t" + ",".join(sorted(tags)) + "\n")
