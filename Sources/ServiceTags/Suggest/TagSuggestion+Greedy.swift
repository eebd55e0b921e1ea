extension TagSuggestion {
    /// The greedy cover by the candidates `alive`: repeatedly the candidate with the least cost per
    /// newly covered observation (IPv4 cost first, then IPv6; ties: the earlier candidate), then
    /// every chosen tag whose observations the others all cover is dropped, costliest first.
    ///
    /// Removing dominated candidates first does not change the greedy path's cost: a dominator
    /// always has a ratio at least as good, and an equal ratio means the same newly covered
    /// elements at the same cost, hence the same next state. The final drop only lowers the cost,
    /// so the result never costs more than the plain greedy rule on all candidates.
    ///
    /// - Returns: candidate indices (into the problem's candidates).
    /// - Complexity: O(chosen · alive + total cover size).
    static func greedyCover(_ p: Problem, _ alive: [Int]) -> [Int] {
        var fresh = Array(repeating: 0, count: p.candidates.count)     // newly covered observations
        for c in alive { fresh[c] = p.weight(of: c) }
        var isAlive = Array(repeating: false, count: p.candidates.count)
        for c in alive { isAlive[c] = true }
        var covered = Array(repeating: false, count: p.elementCandidates.count)
        var chosen: [Int] = []
        while true {
            var best: Int? = nil
            for c in alive where fresh[c] > 0 {
                if let b = best, !cheaperPerObservation(p.candidates[c], fresh[c], than: p.candidates[b], fresh[b]) { continue }
                best = c
            }
            guard let c = best else { break }
            chosen.append(c)
            for e in p.candidateElements[c] where !covered[e] {
                covered[e] = true
                for d in p.elementCandidates[e] where isAlive[d] { fresh[d] -= p.elementWeight[e] }
            }
        }
        return dropRedundant(p, chosen)
    }

    /// Whether `a` covering `na` new observations costs strictly less per observation than `b`
    /// covering `nb` (IPv4 first, then IPv6), compared exactly by cross-multiplying.
    static func cheaperPerObservation(_ a: Candidate, _ na: Int, than b: Candidate, _ nb: Int) -> Bool {
        // IPv4 counts are at most 2^32: 64-bit full-width products, the common and hot case.
        let a4 = UInt64(truncatingIfNeeded: a.ipv4Addresses.low).multipliedFullWidth(by: UInt64(nb))
        let b4 = UInt64(truncatingIfNeeded: b.ipv4Addresses.low).multipliedFullWidth(by: UInt64(na))
        if a4 != b4 { return a4 < b4 }
        return wideProduct(a.ipv6Addresses, nb) < wideProduct(b.ipv6Addresses, na)
    }

    /// `count · n` as 256 bits (high, low): an IPv6 count times an observation count overflows 128.
    static func wideProduct(_ count: AddressCount, _ n: Int) -> Wide {
        let (high, low) = count.low.multipliedFullWidth(by: UInt128(n))
        return Wide(high: high + UInt128(count.high) * UInt128(n), low: low)
    }

    struct Wide: Comparable {
        var high: UInt128
        var low: UInt128
        static func < (a: Wide, b: Wide) -> Bool { (a.high, a.low) < (b.high, b.low) }
    }

    /// `chosen` without the tags the others make redundant, trying the costliest first.
    /// - Complexity: O(total cover size of `chosen`).
    static func dropRedundant(_ p: Problem, _ chosen: [Int]) -> [Int] {
        var coverage = Array(repeating: 0, count: p.elementCandidates.count)
        for c in chosen { for e in p.candidateElements[c] { coverage[e] += 1 } }
        var kept = Set(chosen)
        for c in chosen.sorted(by: { (p.candidates[$0].cost, $0) > (p.candidates[$1].cost, $1) }) {
            if p.candidateElements[c].allSatisfy({ coverage[$0] >= 2 }) {
                kept.remove(c)
                for e in p.candidateElements[c] { coverage[e] -= 1 }
            }
        }
        return chosen.filter(kept.contains)
    }
}
