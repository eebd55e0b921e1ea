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
        try validateArrays(tagCount: tagCount)
        try table.validate(maxValue: UInt32(prefixes.count))
    }

    /// Everything `validate` checks but the table (`table.validate(maxValue: prefixes.count)`), so
    /// that a loader can run the two on different threads.
    public func validateArrays(tagCount: Int) throws(IndexInvariantViolation) {
        let n = prefixes.count
        guard n < Int(Self.noParent) else { throw IndexInvariantViolation("prefixes", 0, "\(n) prefixes, too many") }
        guard parent.count == n else { throw IndexInvariantViolation("parent", 0, "\(parent.count) entries for \(n) prefixes") }
        guard tagSet.count == n else { throw IndexInvariantViolation("tagSet", 0, "\(tagSet.count) entries for \(n) prefixes") }
        guard matchStart.count == n + 1 else {
            throw IndexInvariantViolation("matchStart", 0, "\(matchStart.count) entries for \(n) prefixes, expected \(n + 1)")
        }
        // Straight over the buffers (their counts are checked above): this runs on every load.
        let addresses = prefixes.addresses.base, lengths = prefixes.lengths.base, parents = parent.base
        for i in 0 ..< n {
            let length = Int(lengths[i]), bits = addresses[i]
            guard length <= A.bitWidth, bits & ~A.mask(length: length) == 0 else {
                throw IndexInvariantViolation("prefixes", i, "not a canonical prefix")
            }
            // Sorted by (address, length) and distinct.
            if i > 0 && !(addresses[i - 1] < bits || (addresses[i - 1] == bits && lengths[i - 1] < lengths[i])) {
                throw IndexInvariantViolation("prefixes", i, "not above the prefix before it")
            }
            let up = parents[i]
            if up != Self.noParent {
                guard up < UInt32(i) else { throw IndexInvariantViolation("parent", i, "parent \(up) is not before node \(i)") }
                let upLength = Int(lengths[Int(up)])
                guard upLength <= length, bits & A.mask(length: upLength) == addresses[Int(up)] else {
                    throw IndexInvariantViolation("parent", i, "parent \(up) does not contain node \(i)")
                }
            }
        }
        try Self.validateRuns(tagSetStart, "tagSetStart", total: tagSetMembers.count)
        // Bounds by one maximum per array; the element is searched for only when one is out.
        let members = tagSetMembers.base, sets = tagSet.base, setCount = tagSetStart.count - 1
        if members.count > 0 && Int(members.maximum()) >= tagCount {
            for i in 0 ..< members.count where Int(members[i]) >= tagCount {
                throw IndexInvariantViolation("tagSetMembers", i, "tag \(members[i]) is not below the tag count \(tagCount)")
            }
        }
        if sets.count > 0 && Int(sets.maximum()) >= setCount {
            for i in 0 ..< sets.count where Int(sets[i]) >= setCount {
                throw IndexInvariantViolation("tagSet", i, "tag set \(sets[i]) is not below the set count \(setCount)")
            }
        }
        try Self.validateRuns(matchStart, "matchStart", total: matches.count)
        let answers = matches.base
        precondition(MemoryLayout<IndexMatch>.stride == 8 && MemoryLayout<IndexMatch>.offset(of: \IndexMatch.tag) == 0)
        let (maxTag, maxNode) = answers.withMemoryRebound(to: UInt32.self) { $0.pairMaximum() }
        if answers.count > 0 && (Int(maxTag) >= tagCount || Int(maxNode) >= n) {
            for i in 0 ..< answers.count {
                let m = answers[i]
                guard Int(m.tag) < tagCount else { throw IndexInvariantViolation("matches", i, "tag \(m.tag) is not below the tag count \(tagCount)") }
                guard Int(m.node) < n else { throw IndexInvariantViolation("matches", i, "node \(m.node) is not below the prefix count \(n)") }
            }
        }
    }

    /// `starts` begins at 0, never decreases, and ends at `total` (so every slice is in bounds).
    private static func validateRuns(_ starts: IndexArray<UInt32>, _ array: String, total: Int) throws(IndexInvariantViolation) {
        guard let first = starts.first, first == 0 else { throw IndexInvariantViolation(array, 0, "does not start at 0") }
        let starts = starts.base
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
