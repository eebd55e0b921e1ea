@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// The jump table (`StrideTable+Jumps.swift`) against the plain walk and a linear scan, on seeded
/// IPv6 data shaped like Azure's: a few /32s, /44-/64 blocks, and host routes under a few /64s.
@Suite struct StrideTableJumpTests {
    static func prefixes(_ rng: inout SplitMix64, count: Int) -> [IPv6Prefix] {
        let blocks64 = (0 ..< 40).map { _ in UInt128(0x2603_1000 + UInt64.random(in: 0...3, using: &rng)) << 96
            | UInt128(UInt64.random(in: 0...0xFFFF_FFFF, using: &rng)) << 64 }
        var set = Set<IPv6Prefix>()
        while set.count < count {
            let roll = Int.random(in: 0..<100, using: &rng)
            let block = blocks64[Int.random(in: 0 ..< blocks64.count, using: &rng)]
            let p: IPv6Prefix
            if roll < 70 {
                // Host routes /117-/128, a few per /112 so that /112 and /120 nodes both occur.
                let low = UInt128(UInt16.random(in: 0...3, using: &rng)) << 16 | UInt128(UInt16.random(in: 0...0x3FF, using: &rng))
                p = IPv6Prefix(masking: IPv6Address(bits: block | low), length: Int.random(in: 117...128, using: &rng))
            } else if roll < 95 {
                p = IPv6Prefix(masking: IPv6Address(bits: block | UInt128(UInt64.random(in: 0...UInt64.max, using: &rng))),
                               length: Int.random(in: 44...64, using: &rng))
            } else {
                p = IPv6Prefix(masking: IPv6Address(bits: block), length: Int.random(in: 20...40, using: &rng))
            }
            set.insert(p)
        }
        return set.sorted { ($0.address.bits, $0.length) < ($1.address.bits, $1.length) }
    }

    /// Value `i + 1` of the longest prefix containing `a`, by a linear scan; 0 if none.
    static func reference(_ prefixes: [IPv6Prefix], _ a: UInt128) -> UInt32 {
        var best: (length: Int, value: UInt32) = (-1, 0)
        for (i, p) in prefixes.enumerated() where p.contains(IPv6Address(bits: a)) && Int(p.length) > best.length {
            best = (Int(p.length), UInt32(i + 1))
        }
        return best.value
    }

    static func probes(_ prefixes: [IPv6Prefix], _ rng: inout SplitMix64) -> [UInt128] {
        var out: [UInt128] = []
        for p in prefixes { out += [p.first.bits, p.last.bits, p.first.bits &- 1, p.last.bits &+ 1] }
        for _ in 0 ..< 500 {
            let p = prefixes[Int.random(in: 0 ..< prefixes.count, using: &rng)]
            out.append(p.address.bits ^ UInt128(UInt32.random(in: 0...UInt32.max, using: &rng)))
        }
        return out
    }

    static func table(_ prefixes: [IPv6Prefix]) -> StrideTable<IPv6Address> {
        StrideTableBuilder.build(prefixes, values: (1 ... UInt32(prefixes.count)).map { $0 }).withJumps()
    }

    @Test(arguments: [1, 2, 3, 4])
    func jumpsAnswerAsTheWalkAndTheScan(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let p = Self.prefixes(&rng, count: 600)
        let table = Self.table(p)
        var walk = table
        walk._jumps = .none
        walk._terminal = .none
        // The builder's table has the last depth in the terminal table and two general levels.
        #expect(table._terminal.depth == 120)
        #expect(table._jumps.depths.count == 2 && !table._jumps.depths.contains(120))
        var jumped = 0, terminal = 0
        for a in Self.probes(p, &rng) {
            let expected = Self.reference(p, a)
            #expect(table.value(for: a) == expected, "address \(IPv6Address(bits: a))")
            #expect(walk.value(for: a) == expected)
            let (deep, shallow) = table._jumps.probe(a)
            if table._terminal.leafIndex(a) >= 0 { terminal += 1 } else if deep != 0 || shallow != 0 { jumped += 1 }
        }
        // Both kinds of jump are taken, not just present.
        #expect(terminal > 600 && jumped > 100, "\(terminal) terminal, \(jumped) general")
    }

    /// With two buckets a level and four terminal slots, almost every node is left out (cuckoo
    /// evictions give up) and walked to; answers do not change.
    @Test(arguments: [5, 6])
    func nodesLeftOutOfFullBucketsAreWalkedTo(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let p = Self.prefixes(&rng, count: 400)
        var plain = Self.table(p)
        plain._jumps = .none
        plain._terminal = .none
        let cramped = plain.withJumps(buckets: { _ in 2 }, terminalSlots: { _ in 4 })
        let placed = cramped._jumps.slots.base.filter { $0.node != 0 }.count
        #expect(placed > 0 && placed <= 8)
        #expect(cramped._terminal.slotCount == 4)
        for a in Self.probes(p, &rng) {
            #expect(cramped.value(for: a) == Self.reference(p, a))
        }
    }

    /// IPv4 gets no jumps but its last-depth records (`StrideTable+Records.swift`): answers as the
    /// walk and a linear scan, on clustered data with /0, nested, /24-/32 and compressed /24 nodes.
    @Test(arguments: [7, 9, 10])
    func ipv4RecordsAnswerAsTheWalkAndTheScan(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var set = Set((0 ..< 600).map { _ in IndexRandomData.prefix4(&rng) })
        // A lone /28 in its /16: its node is a root child at /24 (path compressed).
        set.insert(IPv4Prefix(masking: IPv4Address(bits: 0x0B0C_0D10), length: 28))
        let prefixes = set.sorted { ($0.address.bits, $0.length) < ($1.address.bits, $1.length) }
        let walk = StrideTableBuilder.build(prefixes, values: (1 ... UInt32(prefixes.count)).map { $0 })
        let table = walk.withJumps()
        #expect(walk._records.isEmpty && !table._records.isEmpty)
        #expect(table._jumps.isEmpty && table._terminal.isEmpty)
        // Both kinds of record occur: values inline and values in `leaves`.
        let last = (0 ..< table.nodeCount).filter { table._nodes[$0 * StrideTable<IPv4Address>.nodeWords + StrideTable<IPv4Address>.infoWord] & 0xFF == 24 }
        let inline = last.filter { n in
            table._records.records.load(fromByteOffset: n * TerminalRecords<IPv4Address>.recordBytes + LeafFields<IPv4Address>.countsOffset,
                                        as: UInt32.self) & TerminalRecords<IPv4Address>.inlineFlag != 0
        }
        #expect(!inline.isEmpty && inline.count < last.count, "\(inline.count) of \(last.count) inline")
        var probes: [UInt32] = [0x0B0C_0D10, 0x0B0C_0D1F, 0x0B0C_0D20, 0x0B0C_0E10]
        for p in prefixes { probes += [p.first.bits, p.last.bits, p.first.bits &- 1, p.last.bits &+ 1] }
        for _ in 0 ..< 2000 { probes.append(0x0A00_0000 | UInt32.random(in: 0...0x1_FFFF, using: &rng)) }
        for a in probes {
            var best: (length: Int, value: UInt32) = (-1, 0)
            for (i, p) in prefixes.enumerated() where p.contains(IPv4Address(bits: a)) && Int(p.length) > best.length {
                best = (Int(p.length), UInt32(i + 1))
            }
            #expect(table.value(for: a) == best.value, "address \(IPv4Address(bits: a))")
            #expect(walk.value(for: a) == best.value)
        }
    }

    /// A key that does not begin with the path to its node would send a jump to the wrong node:
    /// validation refuses it, for a plain node and for a compressed one.
    @Test(arguments: [false, true])
    func validationRefusesAKeyOffThePathToItsNode(compressed: Bool) throws {
        var rng = SplitMix64(seed: 8)
        let table = Self.table(Self.prefixes(&rng, count: 300))
        try table.validate(maxValue: 300)
        let nodes = table._nodes.array
        let n = try #require((0 ..< table.nodeCount).first { n in
            let info = nodes[n * StrideTable<IPv6Address>.nodeWords + StrideTable<IPv6Address>.infoWord]
            return (info & StrideTable<IPv6Address>.compressedFlag != 0) == compressed && info & 0xFF >= 32
        })
        let depth = Int(nodes[n * StrideTable<IPv6Address>.nodeWords + StrideTable<IPv6Address>.infoWord] & 0xFF)
        var keys = table._key.array
        // A bit of the root's slot: part of the path to every node, above any compressed stretch.
        keys[n] ^= UInt128(1) << (128 - min(depth, 16))
        let broken = StrideTable<IPv6Address>(root: table._root, nodes: table._nodes, leaves: table._leaves,
                                              key: IndexArray(keys), fallback: table._fallback)
        #expect(throws: IndexInvariantViolation.self) { try broken.validate(maxValue: 300) }
        do {
            try broken.validate(maxValue: 300)
        } catch {
            #expect(error.array == "key" && error.element == n, "\(error)")
        }
    }
}
