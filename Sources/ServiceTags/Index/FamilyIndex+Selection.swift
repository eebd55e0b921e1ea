/// Which nodes' answers name one of a set of tags: what `grep --tag` and `lookup --tag` decide
/// once per node, so that each address costs one probe and one bool.
extension FamilyIndex {
    /// `result[n]` is whether node `n`'s answer list (`matches(of: n)`) holds a tag `t` with
    /// `selected[t]`; `selected == nil` selects every tag.
    /// - Precondition: `selected` has an entry for every tag of the index.
    /// - Complexity: O(nodes + answers), over the arrays directly (a `Slice` per node cost a
    ///   retain and a release, a fifth of a short grep).
    public func nodesAnswering(_ selected: [Bool]?) -> [Bool] {
        let n = prefixes.count
        let starts = matchStart.base, answers = matches.base
        guard let selected else { return (0 ..< n).map { Int(starts[$0]) < Int(starts[$0 + 1]) } }
        return selected.withUnsafeBufferPointer { chosen in
            [Bool](unsafeUninitializedCapacity: n) { out, count in
                for node in 0 ..< n {
                    var any = false
                    for k in Int(starts[node]) ..< Int(starts[node + 1]) where chosen[Int(answers[k].tag)] {
                        any = true
                        break
                    }
                    out.initializeElement(at: node, to: any)
                }
                count = n
            }
        }
    }
}
