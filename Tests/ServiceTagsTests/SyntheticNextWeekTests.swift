import ServiceTags
import ServiceTagsTestSupport
import Testing

/// `SyntheticServiceTags.evolve`: its log must match what plain Set arithmetic finds between the two
/// weeks, and over a few seeds every kind of change must actually happen.
@Suite struct SyntheticNextWeekTests {
    static let thisWeek = SyntheticServiceTags(.init(tags: 150, prefixes: 2_500, seed: 21)).file

    struct Observed {
        var added: [String] = [], dropped: [String] = [], changed: [String] = []
        var splits = 0, merges = 0
    }

    /// The reference: names and prefix sets compared with Set operations; a split is a removed prefix
    /// whose two halves were added to the same tag, a merge the reverse.
    static func observe(_ old: ServiceTagsFile, _ new: ServiceTagsFile) -> Observed {
        let before = Dictionary(uniqueKeysWithValues: old.tags.map { ($0.name, $0) })
        let after = Dictionary(uniqueKeysWithValues: new.tags.map { ($0.name, $0) })
        var o = Observed()
        o.added = new.tags.map(\.name).filter { before[$0] == nil }
        o.dropped = old.tags.map(\.name).filter { after[$0] == nil }
        for tag in new.tags {
            guard let previous = before[tag.name] else { continue }
            let removed = Set(previous.ipv4).subtracting(tag.ipv4), added = Set(tag.ipv4).subtracting(previous.ipv4)
            if !removed.isEmpty || !added.isEmpty || Set(previous.ipv6) != Set(tag.ipv6) { o.changed.append(tag.name) }
            func halves(_ p: IPv4Prefix) -> [IPv4Prefix] {
                guard p.length < 32 else { return [] }
                let l = Int(p.length) + 1
                return [IPv4Prefix(address: p.address, length: l)!, IPv4Prefix(address: IPv4Address(bits: p.address.bits | 1 << (32 - UInt32(l))), length: l)!]
            }
            o.splits += removed.filter { p in !halves(p).isEmpty && halves(p).allSatisfy(added.contains) }.count
            o.merges += added.filter { p in !halves(p).isEmpty && halves(p).allSatisfy(removed.contains) }.count
        }
        return o
    }

    @Test func sameSeedSameWeekOtherSeedOtherWeek() {
        let writer = ServiceTagsJSONWriter()
        let a = writer.bytes(of: SyntheticServiceTags.nextWeek(of: Self.thisWeek, seed: 1))
        #expect(a == writer.bytes(of: SyntheticServiceTags.nextWeek(of: Self.thisWeek, seed: 1)))
        #expect(a != writer.bytes(of: SyntheticServiceTags.nextWeek(of: Self.thisWeek, seed: 2)))
    }

    @Test(arguments: 1...12)
    func logMatchesSetArithmeticAndChangeNumbersFollowTheRules(_ seed: UInt64) {
        let week = SyntheticServiceTags.evolve(Self.thisWeek, seed: seed)
        let observed = Self.observe(Self.thisWeek, week.file)
        #expect(week.file.changeNumber == Self.thisWeek.changeNumber.map { $0 + 1 })
        #expect(week.file.cloud == Self.thisWeek.cloud)
        #expect(week.addedTags == observed.added && week.addedTags.count == 2)
        #expect(week.droppedTags == observed.dropped && week.droppedTags.count == 1)
        #expect(week.changedTags.filter { !week.droppedTags.contains($0) } == observed.changed)
        #expect(!observed.changed.isEmpty)
        let before = Dictionary(uniqueKeysWithValues: Self.thisWeek.tags.map { ($0.name, $0) })
        var numbersChecked = 0  // the loop must check most tags, not skip them all
        for tag in week.file.tags {
            guard let old = before[tag.name], let n = old.changeNumber else { continue }
            numbersChecked += 1
            let changed = observed.changed.contains(tag.name)
            let expected = (changed && !week.unbumpedTags.contains(tag.name)) || week.bumpedUnchangedTags.contains(tag.name) ? n + 1 : n
            #expect(tag.changeNumber == expected, "\(tag.name) changed: \(changed)")
        }
        #expect(numbersChecked >= week.file.tags.count / 2, "only \(numbersChecked) change numbers checked")
        #expect(week.unbumpedTags.allSatisfy(observed.changed.contains))
        #expect(week.bumpedUnchangedTags.allSatisfy { !observed.changed.contains($0) })
    }

    @Test func everyKindOfChangeHappensOverAFewWeeks() {
        var splits = 0, merges = 0, unbumped = 0, bumpedUnchanged = 0, onlyAdded = 0, onlyRemoved = 0
        for seed in UInt64(1)...30 {
            let week = SyntheticServiceTags.evolve(Self.thisWeek, seed: seed, options: .init(changedTagFraction: 0.1))
            let o = Self.observe(Self.thisWeek, week.file)
            splits += o.splits
            merges += o.merges
            unbumped += week.unbumpedTags.count
            bumpedUnchanged += week.bumpedUnchangedTags.count
            let before = Dictionary(uniqueKeysWithValues: Self.thisWeek.tags.map { ($0.name, $0) })
            for tag in week.file.tags {
                guard let old = before[tag.name] else { continue }
                let added = Set(tag.ipv4).subtracting(old.ipv4), removed = Set(old.ipv4).subtracting(tag.ipv4)
                if !added.isEmpty && removed.isEmpty { onlyAdded += 1 }
                if added.isEmpty && !removed.isEmpty { onlyRemoved += 1 }
            }
        }
        #expect(splits > 0, "splits")
        #expect(merges > 0, "merges")
        #expect(onlyAdded > 0, "adds")
        #expect(onlyRemoved > 0, "removals")
        #expect(unbumped > 0 && bumpedUnchanged > 0)
    }

    @Test func withoutAnomaliesEveryChangedTagIsBumped() {
        for seed in UInt64(1)...10 {
            let week = SyntheticServiceTags.evolve(Self.thisWeek, seed: seed, options: .init(anomalies: false))
            #expect(week.unbumpedTags.isEmpty && week.bumpedUnchangedTags.isEmpty)
        }
    }

    /// Several weeks in a row keep the generated file's invariants: unions list their regional
    /// prefixes, and each tag stays sorted and overlap-free.
    @Test func invariantsSurviveSeveralWeeks() {
        var file = Self.thisWeek
        for seed in UInt64(100)..<106 { file = SyntheticServiceTags.nextWeek(of: file, seed: seed) }
        #expect(file.changeNumber == Self.thisWeek.changeNumber.map { $0 + 6 })
        let byName = Dictionary(uniqueKeysWithValues: file.tags.map { ($0.name, $0) })
        var unionsChecked = 0  // regional tags whose union was found: the loop must test something
        defer { #expect(unionsChecked > 0, "no regional tag's union was checked") }
        for tag in file.tags {
            #expect(zip(tag.ipv4, tag.ipv4.dropFirst()).allSatisfy { $0 < $1 && !$0.overlaps($1) }, "\(tag.name)")
            #expect(zip(tag.ipv6, tag.ipv6.dropFirst()).allSatisfy { $0 < $1 && !$0.overlaps($1) }, "\(tag.name)")
            guard !tag.region.isEmpty, let union = byName[String(tag.name[..<tag.name.firstIndex(of: ".")!])] else { continue }
            unionsChecked += 1
            #expect(Set(union.ipv4).isSuperset(of: tag.ipv4) && Set(union.ipv6).isSuperset(of: tag.ipv6), "\(union.name) ⊇ \(tag.name)")
        }
    }

    @Test func tinyFilesEvolveWithoutTrapping() {
        for tags in 0...3 {
            let file = SyntheticServiceTags.file(tags: tags, prefixes: 4, seed: 1)
            let week = SyntheticServiceTags.evolve(file, seed: 1)
            #expect(week.file.tags.count >= tags)
        }
    }
}
