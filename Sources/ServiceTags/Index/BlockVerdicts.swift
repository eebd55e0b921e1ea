/// A coarse map of IPv4 space for one selection of tags: for each block of 4,096 addresses (the
/// top `blockBits` bits), whether every address in it is inside the selection, none is, or it
/// is mixed. `grep --tag` asks it first and probes the index only for mixed blocks.
///
/// Why: a probe of the combined index walks two to four levels of a table of several MiB, and on
/// a log each level is a cache miss; the verdicts are 256 KiB (2 bits a block) and stay in the
/// L2 cache. On the benchmark log with `--tag AzureCloud`, 97% of IPv4 addresses fall in a
/// block that is not mixed (measured with the Public file's AzureCloud prefixes).
///
/// Invariant: a block is `.inside` only when every address in it lies in a selected node's
/// prefix, `.outside` only when none does; anything else is `.mixed` (always a correct answer,
/// just a slower one).
public struct BlockVerdicts: Sendable {
    public enum Verdict: UInt64, Sendable {
        case outside = 0, mixed = 1, inside = 2
    }

    /// Address bits that pick a block: 2^20 blocks of 4,096 addresses.
    public static let blockBits = 20
    /// Verdicts per word (2 bits each).
    static let perWord = 32

    /// Address bits of the coarse level: 2^16 groups of 16 blocks.
    public static let coarseBits = 16

    /// Verdict of block `b` in bits `2 * (b % 32)` of `words[b / 32]`.
    @usableFromInline let words: [UInt64]
    /// The same for each group of 16 blocks (a /16): inside or outside when all 16 blocks are,
    /// else mixed. 16 KiB, so that the addresses of a log outside the cloud's /16s (private ones,
    /// other networks) are answered from the L1 cache without touching `words`.
    @usableFromInline let coarse: [UInt64]

    /// The verdicts for the addresses inside the prefixes of the nodes with `selected[node]`.
    ///
    /// A node's descendants lie inside its prefix, so only nodes without a selected ancestor are
    /// marked: each block is set at most once as inside.
    /// - Precondition: `selected.count == index.prefixes.count`, and `selected` is closed downwards
    ///   (a node whose answers name a selected tag has descendants that do too), as
    ///   `FamilyIndex.nodesAnswering` returns it.
    /// - Complexity: O(nodes + 2^blockBits).
    public init(index: FamilyIndex<IPv4Address>, selected: [Bool]) {
        precondition(selected.count == index.prefixes.count, "BlockVerdicts: one flag per node")
        var words = [UInt64](repeating: 0, count: (1 << Self.blockBits) / Self.perWord)
        let shift = 32 - Self.blockBits
        for node in 0 ..< selected.count where selected[node] {
            let parent = index.parent[node]
            if parent != FamilyIndex<IPv4Address>.noParent && selected[Int(parent)] { continue }
            let prefix = index.prefixes[node], length = Int(prefix.length)
            let first = Int(prefix.address.bits >> UInt32(shift))
            if length <= Self.blockBits {
                for block in first ..< first + (1 << (Self.blockBits - length)) {
                    Self.set(&words, block, .inside)
                }
            } else if Self.get(words, first) == .outside {
                Self.set(&words, first, .mixed)
            }
        }
        self.words = words
        var coarse = [UInt64](repeating: 0, count: (1 << Self.coarseBits) / Self.perWord)
        // A group's 16 verdicts are 32 bits of one word: all outside is 0, all inside 0xAAAA_AAAA.
        for group in 0 ..< 1 << Self.coarseBits {
            let verdicts = UInt32(truncatingIfNeeded: words[group >> 1] >> UInt64(32 * (group & 1)))
            Self.set(&coarse, group, verdicts == 0 ? .outside : verdicts == 0xAAAA_AAAA ? .inside : .mixed)
        }
        self.coarse = coarse
    }

    /// The verdict of `address`'s block.
    /// - Complexity: one load from a 16 KiB table, and for a mixed /16 one from a 256 KiB table.
    @inlinable @inline(__always)
    public func verdict(_ address: IPv4Address) -> Verdict {
        let group = Int(address.bits >> UInt32(32 - Self.coarseBits))
        let outer = coarse.withUnsafeBufferPointer { $0[group &>> 5] } &>> UInt64((group & 31) &* 2) & 3
        guard outer == Verdict.mixed.rawValue else { return Verdict(rawValue: outer).unsafelyUnwrapped }
        let block = Int(address.bits >> UInt32(32 - Self.blockBits))
        let bits = words.withUnsafeBufferPointer { $0[block &>> 5] } &>> UInt64((block & 31) &* 2) & 3
        return Verdict(rawValue: bits).unsafelyUnwrapped
    }

    static func get(_ words: [UInt64], _ block: Int) -> Verdict {
        Verdict(rawValue: words[block / perWord] >> UInt64(2 * (block % perWord)) & 3)!
    }

    static func set(_ words: inout [UInt64], _ block: Int, _ verdict: Verdict) {
        let shift = UInt64(2 * (block % perWord))
        words[block / perWord] = words[block / perWord] & ~(3 << shift) | verdict.rawValue << shift
    }
}
