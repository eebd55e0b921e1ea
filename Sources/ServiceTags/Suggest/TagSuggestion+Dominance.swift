extension TagSuggestion {
    /// Whether candidate `b` dominates candidate `a`: `b` covers every element `a` covers, costs no
    /// more, and is strictly better in one of these or, when the two are interchangeable (same
    /// elements, same cost), comes first.
    ///
    /// That last clause makes domination a strict partial order (irreflexive, transitive, never
    /// both ways): of two identical tags exactly one survives, and every dominated candidate is
    /// dominated by a surviving one. Replacing a dominated tag by its dominator in any cover gives
    /// a cover of no greater cost, so the least cost over the survivors is the least cost overall.
    static func dominates(_ p: Problem, _ b: Int, _ a: Int) -> Bool {
        guard a != b else { return false }
        let ca = p.candidates[a].cost, cb = p.candidates[b].cost
        guard cb.ipv4 < ca.ipv4 || (cb.ipv4 == ca.ipv4 && cb.ipv6 <= ca.ipv6) else { return false }
        let ea = p.candidateElements[a], eb = p.candidateElements[b]
        guard ea.count <= eb.count, isSortedSubset(ea, of: eb) else { return false }
        return ea.count < eb.count || cb.ipv4 != ca.ipv4 || cb.ipv6 != ca.ipv6 || b < a
    }

    /// The candidates that cover some element and are dominated by no other, ascending.
    ///
    /// A dominator of `a` covers `a`'s element with the fewest candidates, so only that element's
    /// candidates are tried.
    /// - Complexity: O(Σ over candidates of (smallest candidate list of its elements) · cover size).
    static func undominated(_ p: Problem) -> [Int] {
        var alive: [Int] = []
        for a in p.candidates.indices where !p.candidateElements[a].isEmpty {
            let rarest = p.candidateElements[a].min { p.elementCandidates[$0].count < p.elementCandidates[$1].count }!
            if !p.elementCandidates[rarest].contains(where: { dominates(p, $0, a) }) { alive.append(a) }
        }
        return alive
    }

    /// Whether every element of sorted `a` is in sorted `b`.
    /// - Complexity: O(a + b).
    static func isSortedSubset(_ a: [Int], of b: [Int]) -> Bool {
        var j = 0
        for x in a {
            while j < b.count && b[j] < x { j += 1 }
            if j == b.count || b[j] != x { return false }
            j += 1
        }
        return true
    }
}
