extension TagSuggestion {
    /// The least-cost cover by the candidates `alive` (at most 64), by branch and bound.
    ///
    /// Each element becomes a bit mask of the alive candidates covering it; an element whose mask
    /// includes another element's is covered whenever that one is, so only minimal masks are
    /// kept. The search takes the uncovered element with the fewest candidates and branches on
    /// each of them, cheapest first; branch i also forbids the candidates of branches before it, so
    /// every subset is visited at most once. A branch whose cost reaches the best found is cut.
    /// Ties in cost keep the first cover found, so the answer is deterministic.
    ///
    /// - Returns: candidate indices (into the problem's candidates).
    /// - Complexity: exponential in `alive.count` at worst; the bound keeps it small in practice.
    static func exactCover(_ p: Problem, _ alive: [Int]) -> [Int] {
        guard !alive.isEmpty else { return [] }
        let position = Dictionary(uniqueKeysWithValues: alive.enumerated().map { ($1, $0) })
        var masks = Set<UInt64>()
        for list in p.elementCandidates {
            var m: UInt64 = 0
            for c in list { if let i = position[c] { m |= 1 << UInt64(i) } }
            masks.insert(m)
        }
        // Minimal masks only; sorted by popcount so a superset check looks at smaller ones.
        let sorted = masks.sorted { ($0.nonzeroBitCount, $0) < ($1.nonzeroBitCount, $1) }
        var minimal: [UInt64] = []
        for m in sorted where !minimal.contains(where: { $0 & m == $0 }) { minimal.append(m) }
        let costs = alive.map { p.candidates[$0].cost }
        var search = ExactSearch(elements: minimal, costs: costs)
        search.run(chosen: 0, forbidden: 0, cost: Cost())
        var result: [Int] = []
        for i in alive.indices where search.best & (1 << UInt64(i)) != 0 { result.append(alive[i]) }
        return result
    }

    /// The state of `exactCover`'s depth-first search.
    struct ExactSearch {
        let elements: [UInt64]
        let costs: [Cost]
        var best: UInt64 = 0
        var bestCost: Cost? = nil

        init(elements: [UInt64], costs: [Cost]) {
            self.elements = elements
            self.costs = costs
        }

        mutating func run(chosen: UInt64, forbidden: UInt64, cost: Cost) {
            if let bestCost, !(cost < bestCost) { return }
            // The uncovered element with the fewest choices left; none: a cover.
            var pick: UInt64 = 0, fewest = Int.max
            for m in elements where m & chosen == 0 {
                let choices = (m & ~forbidden).nonzeroBitCount
                if choices < fewest { fewest = choices; pick = m & ~forbidden }
                if choices == 0 { return }      // cannot be covered under this branch's exclusions
            }
            if fewest == Int.max {
                best = chosen
                bestCost = cost
                return
            }
            var options: [Int] = []
            var rest = pick
            while rest != 0 {
                options.append(rest.trailingZeroBitCount)
                rest &= rest - 1
            }
            options.sort { (costs[$0], $0) < (costs[$1], $1) }
            var excluded = forbidden
            for i in options {
                run(chosen: chosen | (1 << UInt64(i)), forbidden: excluded, cost: cost + costs[i])
                excluded |= 1 << UInt64(i)
            }
        }
    }
}
