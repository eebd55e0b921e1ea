/// Address-space helpers for the generator: random bits, carving sub-prefixes, handing out disjoint
/// blocks, and the per-tag normal form (sorted, no prefix inside another of the same tag).
extension SplitMix64 {
    /// Uniform bits of any width up to 128.
    mutating func bits<B: FixedWidthInteger>(_: B.Type) -> B {
        var x = B(truncatingIfNeeded: next())
        if B.bitWidth > 64 { x = x << 64 | B(truncatingIfNeeded: next()) }
        return x
    }

    /// A random prefix of `length` inside `block` (`length` is raised to `block.length` if shorter).
    ///
    /// IPv6 host bits are drawn only where real allocations vary, so carved prefixes look like
    /// `2603:1020:206:3::7d0/124` rather than 128 random bits: groups 0-2 freely, and the low 12 bits
    /// of group 3 (the subnet) and of group 7 (the interface).
    mutating func carve<A: IPAddressFamily>(inside block: Prefix<A>, length: Int) -> Prefix<A> {
        let l = max(length, Int(block.length))
        let host = bits(A.Bits.self) & ~block.mask & Self.sparseMask(A.self)
        return Prefix(masking: A(bits: block.address.bits | host), length: l)
    }

    static func sparseMask<A: IPAddressFamily>(_: A.Type) -> A.Bits {
        if A.bitWidth == 32 { return ~0 }
        let v6: UInt128 = 0xFFFF_FFFF_FFFF << 80 | 0x0FFF << 64 | 0x0FFF
        return A.Bits(truncatingIfNeeded: v6)
    }
}

/// Prefix-length distributions shaped like the real files' histograms.
enum LengthDistribution {
    /// `AzureCloud.<region>` blocks: mostly /16-/24, a few /14-/15, a tail of small ones.
    static let v4Block: [(Int, Int)] = [
        (14, 1), (15, 2), (16, 8), (17, 10), (18, 10), (19, 10), (20, 10), (21, 10), (22, 12), (23, 14),
        (24, 14), (25, 6), (26, 6), (27, 6), (28, 5), (29, 4), (30, 3), (31, 2), (32, 3),
    ]
    /// Service prefixes: many /27-/29 and /30-/32.
    static let v4Service: [(Int, Int)] = [
        (22, 2), (23, 3), (24, 6), (25, 4), (26, 6), (27, 9), (28, 10), (29, 9), (30, 6), (31, 5), (32, 14),
    ]
    static let v6Block: [(Int, Int)] = [(40, 1), (44, 1), (46, 2), (47, 4), (48, 14), (54, 2), (56, 4), (64, 4)]
    static let v6Service: [(Int, Int)] = [
        (48, 2), (56, 3), (59, 2), (62, 3), (63, 3), (64, 6), (120, 4), (121, 8), (122, 8), (123, 10),
        (124, 6), (125, 8), (126, 3), (127, 1), (128, 3),
    ]

    static func draw(_ table: [(Int, Int)], _ rng: inout SplitMix64) -> Int {
        table[rng.weightedIndex(table.map(\.1))].0
    }
}

/// Hands out pairwise-disjoint prefixes inside a few public base ranges.
///
/// Occupancy is tracked in units (a /24 for IPv4, a /48 for IPv6): a block shorter than a unit marks
/// every unit it spans, a longer one takes its whole unit. So two blocks never overlap.
/// - Complexity: O(units spanned) per allocation; a /14 spans 1,024 units.
struct SpaceAllocator<A: IPAddressFamily> {
    let bases: [Prefix<A>]
    let weights: [Int]
    let unitLength: Int
    private var used: Set<A.Bits> = []

    init(bases: [(Prefix<A>, Int)], unitLength: Int) {
        self.bases = bases.map(\.0)
        self.weights = bases.map(\.1)
        self.unitLength = unitLength
    }

    /// A fresh block of `length` bits disjoint from every earlier one, or `nil` if 64 random tries failed.
    mutating func allocate(length: Int, _ rng: inout SplitMix64) -> Prefix<A>? {
        for _ in 0..<64 {
            let base = bases[rng.weightedIndex(weights)]
            let candidate = rng.carve(inside: base, length: length)
            let shift = A.bitWidth - unitLength
            let first = candidate.address.bits >> shift
            let count = length >= unitLength ? 1 : 1 << (unitLength - length)
            let units = (0..<count).map { first + A.Bits($0) }
            if units.contains(where: used.contains) { continue }
            used.formUnion(units)
            return candidate
        }
        return nil
    }
}

extension SpaceAllocator<IPv4Address> {
    /// Public /8s of the kind cloud providers hold; never private, shared or reserved space.
    static func azureLike() -> Self {
        let octets: [UInt8] = [4, 13, 20, 23, 40, 48, 51, 52, 57, 65, 68, 70, 72, 74, 94, 98, 102, 104, 108,
                               128, 130, 131, 134, 135, 137, 138, 157, 158, 168, 191, 193, 195, 207]
        return Self(bases: octets.map { (IPv4Prefix(address: IPv4Address($0, 0, 0, 0), length: 8)!, 1) },
                    unitLength: 24)
    }
}

extension SpaceAllocator<IPv6Address> {
    /// Mostly `2603:1000::/24`, with two smaller global-unicast ranges.
    static func azureLike() -> Self {
        func p(_ high: UInt128, _ length: Int) -> IPv6Prefix {
            IPv6Prefix(address: IPv6Address(bits: high << (128 - UInt128(length))), length: length)!
        }
        return Self(bases: [(p(0x2603_10, 24), 8), (p(0x2a01_0111, 32), 1), (p(0x2602_fd5e, 32), 1)],
                    unitLength: 48)
    }
}

extension Array {
    /// Sorts prefixes by address then length and drops any contained in an earlier one (duplicates
    /// included), so a tag never lists a prefix twice or one inside another.
    ///
    /// Dropping against the last kept prefix suffices: CIDR prefixes either nest or are disjoint, so
    /// anything containing the current prefix sorts before it and contains every prefix in between.
    /// - Complexity: O(n log n).
    func normalizedPrefixes<A>() -> [Prefix<A>] where Element == Prefix<A> {
        var kept: [Prefix<A>] = []
        kept.reserveCapacity(count)
        for p in sorted() where kept.last.map({ !$0.contains(p) }) ?? true { kept.append(p) }
        return kept
    }
}
