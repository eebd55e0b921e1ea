/// The structural checks of a `FamilyIndex`: run in debug builds at the end of building
/// (`checkInvariants`) and on every index a compiled file loads (`validate(tagCount:)`).
///
/// Checked (the type's invariants, and everything a lookup indexes with):
/// - every array has its length: `parent` and `tagSet` one per prefix, `matchStart` one more;
/// - `prefixes` canonical, sorted and distinct; `parent[i] < i` (a prefix containing it) or
///   `noParent`, so walking up always ends;
/// - `tagSetStart` starts at 0, never decreases and ends at `tagSetMembers.count`; each `tagSet`
///   entry names a set; every member and every match's tag is below `tagCount`;
/// - `matchStart` starts at 0, never decreases and ends at `matches.count`; every match's node is a
///   prefix index;
/// - the table passes `StrideTable.validate` with values up to `prefixes.count` (value `v` is node
///   `v - 1`).
///
/// - Complexity: O(prefixes + matches + tag set members + table).
extension FamilyIndex {
    public func validate(tagCount: Int) throws(IndexInvariantViolation) {
        let n = prefixes.count
        guard n < Int(Self.noParent) else { throw IndexInvariantViolation("prefixes", 0, "\(n) prefixes, too many") }
        guard parent.count == n else { throw IndexInvariantViolation("parent", 0, "\(parent.count) entries for \(n) prefixes") }
        guard tagSet.count == n else { throw IndexInvariantViolation("tagSet", 0, "\(tagSet.count) entries for \(n) prefixes") }
        guard matchStart.count == n + 1 else {
            throw IndexInvariantViolation("matchStart", 0, "\(matchStart.count) entries for \(n) prefixes, expected \(n + 1)")
        }
        for i in 0 ..< n {
            let p = prefixes[i]
            guard Int(p.length) <= A.bitWidth, p.address.bits & ~p.mask == 0 else {
                throw IndexInvariantViolation("prefixes", i, "not a canonical prefix")
            }
            if i > 0 && !(prefixes[i - 1] < p) { throw IndexInvariantViolation("prefixes", i, "not above the prefix before it") }
            let up = parent[i]
            if up != Self.noParent {
                guard up < UInt32(i) else { throw IndexInvariantViolation("parent", i, "parent \(up) is not before node \(i)") }
                guard prefixes[Int(up)].contains(p) else {
                    throw IndexInvariantViolation("parent", i, "parent \(up) does not contain node \(i)")
                }
            }
        }
        try Self.validateRuns(tagSetStart, "tagSetStart", total: tagSetMembers.count)
        for (i, t) in tagSetMembers.enumerated() where Int(t) >= tagCount {
            throw IndexInvariantViolation("tagSetMembers", i, "tag \(t) is not below the tag count \(tagCount)")
        }
        for (i, s) in tagSet.enumerated() where Int(s) >= tagSetStart.count - 1 {
            throw IndexInvariantViolation("tagSet", i, "tag set \(s) is not below the set count \(tagSetStart.count - 1)")
        }
        try Self.validateRuns(matchStart, "matchStart", total: matches.count)
        for (i, m) in matches.enumerated() {
            guard Int(m.tag) < tagCount else { throw IndexInvariantViolation("matches", i, "tag \(m.tag) is not below the tag count \(tagCount)") }
            guard Int(m.node) < n else { throw IndexInvariantViolation("matches", i, "node \(m.node) is not below the prefix count \(n)") }
        }
        try table.validate(maxValue: UInt32(n))
    }

    /// `starts` begins at 0, never decreases, and ends at `total` (so every slice is in bounds).
    private static func validateRuns(_ starts: IndexArray<UInt32>, _ array: String, total: Int) throws(IndexInvariantViolation) {
        guard let first = starts.first, first == 0 else { throw IndexInvariantViolation(array, 0, "does not start at 0") }
        for i in 1 ..< starts.count where starts[i] < starts[i - 1] {
            throw IndexInvariantViolation(array, i, "decreases from \(starts[i - 1]) to \(starts[i])")
        }
        guard Int(starts[starts.count - 1]) == total else {
            throw IndexInvariantViolation(array, starts.count - 1, "ends at \(starts[starts.count - 1]), not at the \(total) entries")
        }
    }

    /// Debug builds: stops on the first broken invariant. Release builds: nothing.
    func checkInvariants(tagCount: Int) {
        assert({
            do throws(IndexInvariantViolation) { try validate(tagCount: tagCount) } catch { assertionFailure("FamilyIndex invariant: \(error)") }
            return true
        }())
    }
}
