import ServiceTagsTestSupport
import Testing

/// Properties of the diff on seeded random version pairs (`DiffVersionPairs`), checked against
/// references that share no code with it: Swift `Set` arithmetic on prefix values for the exact
/// diff, and `ReferenceIntervals` (sorted integer intervals) for the address-space diff.
@Suite struct DiffPropertyTests {
    static let seeds: [UInt64] = Array(1...UInt64(SetTesting.iterations(300)))

    /// Per-family prefix sets of one tag, or empty sets when the file does not have it.
    struct Sides<A: IPAddressFamily> {
        var old: [Prefix<A>]
        var new: [Prefix<A>]
    }

    static func tags(_ file: ServiceTagsFile) -> [String: ServiceTag] {
        Dictionary(uniqueKeysWithValues: file.tags.map { ($0.name, $0) })
    }

    @Test func applyingTheExactDiffToOldGivesNew() {
        for seed in Self.seeds {
            let (old, new) = DiffVersionPairs.pair(seed: seed)
            let diff = ServiceTagsDiff(old: old, new: new)
            let oldTags = Self.tags(old), newTags = Self.tags(new)
            let byName = Dictionary(uniqueKeysWithValues: diff.tags.map { ($0.name, $0) })
            #expect(byName.count == diff.tags.count, "seed \(seed): one entry per tag")
            for name in Set(oldTags.keys).union(newTags.keys) {
                let o = oldTags[name], n = newTags[name]
                let entry = byName[name]
                checkExactFamily(o?.ipv4 ?? [], n?.ipv4 ?? [], entry?.added.ipv4 ?? [], entry?.removed.ipv4 ?? [], seed, name)
                checkExactFamily(o?.ipv6 ?? [], n?.ipv6 ?? [], entry?.added.ipv6 ?? [], entry?.removed.ipv6 ?? [], seed, name)
                // Listed exactly when something differs, with the right status.
                let expectedStatus: TagDiff.Status? = switch (o, n) {
                case (nil, _?): .added
                case (_?, nil): .removed
                case (let o?, let n?):
                    (Set(o.ipv4) != Set(n.ipv4) || Set(o.ipv6) != Set(n.ipv6) || o.changeNumber != n.changeNumber
                        || o.region != n.region || o.regionId != n.regionId || o.systemService != n.systemService
                        || Set(o.networkFeatures ?? ["<nil>"]) != Set(n.networkFeatures ?? ["<nil>"])) ? .changed : nil
                default: nil
                }
                #expect(entry?.status == expectedStatus, "seed \(seed) tag \(name)")
                #expect(entry.map { $0.oldChangeNumber == o?.changeNumber && $0.newChangeNumber == n?.changeNumber } ?? true)
            }
            let names = diff.tags.map { Array($0.name.utf8) }
            #expect(zip(names, names.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) }, "seed \(seed): sorted")
            let s = diff.summary
            #expect(s.prefixesAdded == diff.tags.reduce(0) { $0 + $1.added.count })
            #expect(s.prefixesRemoved == diff.tags.reduce(0) { $0 + $1.removed.count })
            #expect(s.tagsAdded + s.tagsRemoved + s.tagsChanged == diff.tags.count)
            #expect(diff.hasDifferences == !diff.tags.isEmpty)
        }
    }

    /// `added` is exactly NEW − OLD and `removed` exactly OLD − NEW (as prefix values), both sorted,
    /// so OLD − removed ∪ added is NEW.
    func checkExactFamily<A>(_ old: [Prefix<A>], _ new: [Prefix<A>], _ added: [Prefix<A>], _ removed: [Prefix<A>],
                             _ seed: UInt64, _ name: String) {
        let o = Set(old), n = Set(new)
        #expect(o.subtracting(removed).union(added) == n, "seed \(seed) tag \(name): applying the diff")
        #expect(added == n.subtracting(o).sorted() && removed == o.subtracting(n).sorted(), "seed \(seed) tag \(name)")
    }

    @Test func applyingTheAddressSpaceDiffToOldGivesNew() {
        var reexpressed = 0, changed = 0
        for seed in Self.seeds {
            let (old, new) = DiffVersionPairs.pair(seed: seed)
            let diff = ServiceTagsDiff(old: old, new: new, mode: .addressSpace)
            let oldTags = Self.tags(old), newTags = Self.tags(new)
            let byName = Dictionary(uniqueKeysWithValues: diff.tags.map { ($0.name, $0) })
            for name in Set(oldTags.keys).union(newTags.keys) {
                let o = oldTags[name], n = newTags[name]
                let entry = byName[name]
                let same4 = checkAddressSpace(o?.ipv4 ?? [], n?.ipv4 ?? [], entry?.added.ipv4 ?? [], entry?.removed.ipv4 ?? [], seed, name)
                let same6 = checkAddressSpace(o?.ipv6 ?? [], n?.ipv6 ?? [], entry?.added.ipv6 ?? [], entry?.removed.ipv6 ?? [], seed, name)
                guard let o, let n else {
                    #expect(entry?.isDifference == true, "seed \(seed) tag \(name): added or removed")
                    continue
                }
                let listedDiffer = Set(o.ipv4) != Set(n.ipv4) || Set(o.ipv6) != Set(n.ipv6)
                #expect(entry?.isDifference ?? false == !(same4 && same6), "seed \(seed) tag \(name)")
                #expect(entry?.isReexpressed ?? false == (listedDiffer && same4 && same6), "seed \(seed) tag \(name)")
                if entry?.isReexpressed == true { reexpressed += 1 }
                if entry?.isDifference == true { changed += 1 }
            }
            #expect(diff.hasDifferences == diff.tags.contains { $0.isDifference })
        }
        // The generator must exercise both outcomes, or this test proves little.
        #expect(reexpressed > 10 && changed > 100, "reexpressed \(reexpressed), changed \(changed)")
    }

    /// Checks one family of one tag against the interval reference; returns whether the coverage
    /// is unchanged.
    func checkAddressSpace<A>(_ old: [Prefix<A>], _ new: [Prefix<A>], _ added: [Prefix<A>], _ removed: [Prefix<A>],
                              _ seed: UInt64, _ name: String) -> Bool {
        let o = ReferenceIntervals.merged(old), n = ReferenceIntervals.merged(new)
        let gained = ReferenceIntervals.subtracting(n, o), lost = ReferenceIntervals.subtracting(o, n)
        // Minimal covers are unique, so the reference's cover must match prefix for prefix.
        #expect(added == ReferenceIntervals.cover(gained, as: A.self), "seed \(seed) tag \(name): gained")
        #expect(removed == ReferenceIntervals.cover(lost, as: A.self), "seed \(seed) tag \(name): lost")
        // Applying with the set algebra gives NEW's address space, as the reference sees it.
        let applied = PrefixSet(old).subtracting(PrefixSet(removed)).union(PrefixSet(added))
        let appliedIntervals = applied.ranges.map {
            UInt128(truncatingIfNeeded: $0.first.bits)...UInt128(truncatingIfNeeded: $0.last.bits)
        }
        #expect(appliedIntervals == n, "seed \(seed) tag \(name): applying the diff")
        #expect(ReferenceIntervals.union(ReferenceIntervals.subtracting(o, lost), ReferenceIntervals.merged(added)) == n)
        return gained.isEmpty && lost.isEmpty
    }

    @Test func aFileDiffedWithItselfIsEmpty() {
        for seed in Self.seeds.prefix(50) {
            let (old, new) = DiffVersionPairs.pair(seed: seed)
            for file in [old, new] {
                for mode in [ServiceTagsDiff.Mode.exact, .addressSpace] {
                    let diff = ServiceTagsDiff(old: file, new: file, mode: mode)
                    #expect(diff.tags.isEmpty && diff.anomalies.isEmpty && !diff.hasDifferences, "seed \(seed)")
                }
            }
        }
    }

    @Test func selectingTagsKeepsExactlyTheMatchingEntries() {
        for seed in Self.seeds.prefix(100) {
            let (old, new) = DiffVersionPairs.pair(seed: seed)
            let patterns = [TagPattern("Storage.*"), TagPattern("a-*"), TagPattern("zeta.[0-9]")]
            let all = ServiceTagsDiff(old: old, new: new)
            let some = ServiceTagsDiff(old: old, new: new, selecting: patterns)
            #expect(some.tags == all.tags.filter { patterns.anyMatches($0.name) }, "seed \(seed)")
        }
    }

    @Test func theGeneratorCoversEveryKindOfChange() {
        var kinds = Set<String>()
        for seed in Self.seeds {
            let (old, new) = DiffVersionPairs.pair(seed: seed)
            let diff = ServiceTagsDiff(old: old, new: new)
            for tag in diff.tags {
                kinds.insert(tag.status.rawValue)
                if !tag.metadata.isEmpty { kinds.insert("metadata") }
                if !tag.added.ipv6.isEmpty { kinds.insert("ipv6") }
            }
            for anomaly in diff.anomalies {
                switch anomaly {
                case .prefixesChangedWithoutChangeNumber: kinds.insert("quiet prefixes")
                case .changeNumberChangedWithoutPrefixes: kinds.insert("idle number")
                case .tagChangeNumberDecreased: kinds.insert("lower number")
                default: break
                }
            }
        }
        #expect(kinds == ["added", "removed", "changed", "metadata", "ipv6", "quiet prefixes", "idle number", "lower number"])
    }
}
