import ServiceTagsTestSupport

/// Slow, independent answers for `TagSuggestion`: covers by a linear scan of every tag's prefixes
/// (no index), sizes by sorting and skipping nested prefixes (no `PrefixSet`), an exhaustive
/// least-cost search over the subsets of observations, and the plain greedy rule.
enum SuggestReference {
    typealias Cost = TagSuggestion.Cost

    /// Per tag of `tags`: the observations it holds whole.
    static func covers(_ tags: [ServiceTag], _ observations: [IPPrefix]) -> [[Int]] {
        tags.map { tag in
            observations.indices.filter { o in
                switch observations[o] {
                case .v4(let q): tag.ipv4.contains { $0.contains(q) }
                case .v6(let q): tag.ipv6.contains { $0.contains(q) }
                }
            }
        }
    }

    /// The number of addresses in the union of `prefixes`. Two prefixes are nested or disjoint, so
    /// in address order each prefix is either inside the last one kept or after it.
    static func size<A>(_ prefixes: [Prefix<A>]) -> AddressCount {
        var total = AddressCount.zero
        var last: Prefix<A>? = nil
        for p in prefixes.sorted() {
            if let last, last.contains(p) { continue }
            let hostBits = A.bitWidth - Int(p.length)
            total += hostBits == 128 ? .ipv6Space : AddressCount(UInt128(1) << UInt128(hostBits))
            last = p
        }
        return total
    }

    static func cost(_ tag: ServiceTag) -> Cost { Cost(ipv4: size(tag.ipv4), ipv6: size(tag.ipv6), tags: 1) }

    /// The least cost of covering every coverable observation: a search over all 2^k sets of
    /// covered observations (dynamic programming over the subset lattice, every tag tried from
    /// every set). `k` must be small (≤ 14).
    static func exhaustive(covers: [[Int]], costs: [Cost], observations k: Int) -> Cost {
        precondition(k <= 14)
        let masks = covers.map { $0.reduce(0) { $0 | (1 << $1) } }
        let target = masks.reduce(0, |)
        var best = [Cost?](repeating: nil, count: 1 << k)
        best[0] = Cost()
        for mask in 0 ..< (1 << k) {
            guard let here = best[mask] else { continue }
            for (t, m) in masks.enumerated() where m & ~mask != 0 {
                let next = mask | m, c = here + costs[t]
                if best[next].map({ c < $0 }) ?? true { best[next] = c }
            }
        }
        return best[target]!
    }

    /// The plain greedy rule on all tags: repeatedly the tag with the least IPv4 cost per newly
    /// covered observation (then IPv6 cost), ties to the earlier tag, until nothing new is covered.
    /// Ratios are compared as `Double` products of exact integers below 2^53 for IPv4, and by
    /// cross-multiplication in `Double` for IPv6 (the files' IPv6 sizes make ties there exact
    /// powers of two).
    static func greedy(covers: [[Int]], costs: [Cost]) -> (chosen: [Int], cost: Cost) {
        var covered = Set<Int>()
        var chosen: [Int] = []
        var total = Cost()
        while true {
            var best: Int? = nil, bestNew = 0
            for t in covers.indices {
                let new = covers[t].filter { !covered.contains($0) }.count
                if new == 0 { continue }
                if let b = best {
                    let l4 = Double(costs[t].ipv4.exactValue!) * Double(bestNew), r4 = Double(costs[b].ipv4.exactValue!) * Double(new)
                    if l4 > r4 { continue }
                    if l4 == r4 && !(costs[t].ipv6.doubleValue * Double(bestNew) < costs[b].ipv6.doubleValue * Double(new)) { continue }
                }
                best = t
                bestNew = new
            }
            guard let t = best else { break }
            chosen.append(t)
            total = total + costs[t]
            covered.formUnion(covers[t])
        }
        return (chosen, total)
    }

    /// Observations drawn from `tags`: mostly an address inside a random prefix of a random tag,
    /// sometimes a whole prefix of one, sometimes an address of 198.18.0.0/15 or 3fff::/20 (no
    /// tag holds them), and a few repeats; returned distinct, in first-seen order, with the
    /// inputs as given (repeats and IPv4-mapped forms included).
    static func observations(_ tags: [ServiceTag], count: Int, rng: inout SplitMix64) -> (inputs: [String], distinct: [IPPrefix]) {
        let withPrefixes = tags.filter { $0.prefixCount > 0 }
        var inputs: [String] = []
        while inputs.count < count {
            let roll = rng.int(in: 0..<20)
            if roll == 0, let repeated = inputs.last { inputs.append(repeated); continue }
            if roll == 1 { inputs.append("198.18.\(rng.int(in: 0...255)).\(rng.int(in: 0...255))"); continue }
            if roll == 2 { inputs.append("3fff:\(String(rng.int(in: 0...0xfff), radix: 16))::\(rng.int(in: 1...99))"); continue }
            let tag = rng.element(of: withPrefixes)
            let useV6 = tag.ipv4.isEmpty || (!tag.ipv6.isEmpty && rng.chance(0.3))
            let whole = roll == 3
            if useV6 {
                let p = rng.element(of: tag.ipv6)
                let host = UInt128(rng.next()) << 64 | UInt128(rng.next())
                inputs.append(whole ? p.description : IPv6Address(bits: p.address.bits | (host & ~p.mask)).description)
            } else {
                let p = rng.element(of: tag.ipv4)
                let a = IPv4Address(bits: p.address.bits | (UInt32(truncatingIfNeeded: rng.next()) & ~p.mask))
                inputs.append(whole ? p.description : roll == 4 ? "::ffff:" + a.description : a.description)
            }
        }
        var seen = Set<IPPrefix>(), distinct: [IPPrefix] = []
        for input in inputs {
            let p = input.contains("/") ? IPPrefix(input)!.unmapped : IPPrefix(address: IPAddress(input)!)
            if seen.insert(p).inserted { distinct.append(p) }
        }
        return (inputs, distinct)
    }
}
