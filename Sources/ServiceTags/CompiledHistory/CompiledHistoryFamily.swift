/// One family's (tag, prefix) pairs of a loaded compiled history, viewed in place.
///
/// Invariants (checked on load): `lengthStart` has `A.bitWidth + 2` entries from 0 to the pair
/// count, non-decreasing, and the pairs of `lengthStart[l] ..< lengthStart[l + 1]` have length
/// `l`, canonical addresses, and strictly increasing (address, tag); every tag is below the tag
/// count; `runStart` strictly increases from 0 to `runs.count`; each run lies inside the archive
/// with `first <= last`, and a pair's runs are sorted with a gap of at least one file between them.
struct CompiledHistoryFamily<A: IPAddressFamily>: Sendable {
    let addresses: IndexArray<A.Bits>
    let lengths: IndexArray<UInt8>
    let tags: IndexArray<UInt32>
    let runStart: IndexArray<UInt32>
    let runs: IndexArray<UInt32>
    let lengthStart: IndexArray<UInt32>

    var count: Int { addresses.count }

    /// The `r`th run of the pairs, as file positions.
    @inline(__always) func run(_ r: Int) -> (first: Int, last: Int) {
        let v = runs[r]
        return (Int(v & 0xFFFF), Int(v >> 16))
    }

    /// Whether pair `i` is listed in file `k`. - Complexity: O(runs of the pair).
    func contains(_ i: Int, file k: Int) -> Bool {
        for r in Int(runStart[i]) ..< Int(runStart[i + 1]) {
            let (first, last) = run(r)
            if k < first { return false }
            if k <= last { return true }
        }
        return false
    }

    func prefix(_ i: Int) -> Prefix<A> { Prefix(unchecked: A(bits: addresses[i]), length: Int(lengths[i])) }

    /// The pairs whose prefix contains `query` (so has a length up to the query's), shortest first.
    /// - Complexity: O(bit width × log pairs) plus the matches: one binary search per length.
    func containing(_ query: Prefix<A>) -> [Int] {
        var found: [Int] = []
        for l in 0 ... Int(query.length) {
            var lo = Int(lengthStart[l]), hi = Int(lengthStart[l + 1])
            guard lo < hi else { continue }
            let key = query.address.bits & A.mask(length: l)
            while lo < hi {
                let mid = (lo + hi) / 2
                if addresses[mid] < key { lo = mid + 1 } else { hi = mid }
            }
            let end = Int(lengthStart[l + 1])
            while lo < end && addresses[lo] == key {
                found.append(lo)
                lo += 1
            }
        }
        return found
    }

    /// Views and validates the family's six sections.
    init(_ reader: CompiledIndexReader, v4: Bool, tags tagCount: Int, files: Int) throws(CompiledIndexError) {
        func section(_ name: String) -> CompiledSection { CompiledHistoryLayout.family(v4, name) }
        addresses = reader.view(section("addresses"), as: A.Bits.self)
        lengths = reader.view(section("lengths"), as: UInt8.self)
        tags = reader.view(section("tags"), as: UInt32.self)
        runStart = reader.view(section("runStart"), as: UInt32.self)
        runs = reader.view(section("runs"), as: UInt32.self)
        lengthStart = reader.view(section("lengthStart"), as: UInt32.self)
        let n = addresses.count
        func fail(_ name: String, _ element: Int, _ message: String) -> CompiledIndexError {
            CompiledIndexError(.invalid, "section '\(section(name).name)' entry \(element): \(message)", offset: reader.offset(section(name), element: element))
        }
        guard lengths.count == n, tags.count == n, runStart.count == n + 1, lengthStart.count == A.bitWidth + 2 else {
            throw CompiledIndexError(.invalid, "section '\(section("lengths").name)', '\(section("tags").name)', '\(section("runStart").name)' or '\(section("lengthStart").name)' has the wrong count for \(n) pairs", offset: reader.range(section("lengths")).lowerBound)
        }
        guard lengthStart[0] == 0, Int(lengthStart[A.bitWidth + 1]) == n else {
            throw fail("lengthStart", 0, "does not start at 0 and end at the pair count \(n)")
        }
        // Monotone first, so every range below lies inside the pairs.
        for l in 0 ... A.bitWidth where lengthStart[l] > lengthStart[l + 1] { throw fail("lengthStart", l + 1, "decreases") }
        for l in 0 ... A.bitWidth {
            let mask = A.mask(length: l)
            for i in Int(lengthStart[l]) ..< Int(lengthStart[l + 1]) {
                guard Int(lengths[i]) == l else { throw fail("lengths", i, "is \(lengths[i]), its place says \(l)") }
                guard addresses[i] & ~mask == 0 else { throw fail("addresses", i, "has host bits set for /\(l)") }
                guard Int(tags[i]) < tagCount else { throw fail("tags", i, "tag \(tags[i]) of \(tagCount)") }
                if i > Int(lengthStart[l]) {
                    guard (addresses[i - 1], tags[i - 1]) < (addresses[i], tags[i]) else { throw fail("addresses", i, "pairs not sorted by (address, tag) or repeated") }
                }
            }
        }
        guard runStart[0] == 0, Int(runStart[n]) == runs.count else {
            throw fail("runStart", 0, "does not start at 0 and end at the run count \(runs.count)")
        }
        for i in 0 ..< n where runStart[i] >= runStart[i + 1] { throw fail("runStart", i + 1, "a pair without runs, or decreasing") }
        for i in 0 ..< n {
            var previousLast = -2
            for r in Int(runStart[i]) ..< Int(runStart[i + 1]) {
                let v = runs[r]
                let (first, last) = (Int(v & 0xFFFF), Int(v >> 16))
                guard first <= last, last < files, first > previousLast + 1 else {
                    throw fail("runs", r, "run \(first)...\(last) is outside the \(files) files, reversed, or not apart from the one before")
                }
                previousLast = last
            }
        }
    }
}
