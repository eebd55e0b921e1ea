/// The leaf fields of a node without children, copied into one 64-byte line: how a
/// `TerminalTable` slot and a `TerminalRecords` record both begin, so both read a leaf the same way.
///
/// Layout: the leaf map (4 words at byte 0), the map's word counts (`UInt32` at 32, as in the
/// node's info word; its top byte is free for the owner's flags), the leaf base (`UInt32` at 36).
/// Bytes 40..<64 are the owner's (a terminal slot's key at 48, a record's inline values from 36
/// over the leaf base).
@usableFromInline
enum LeafFields<A: IPAddressFamily> {
    @usableFromInline static var bytes: Int { 64 }
    @usableFromInline static var mapOffset: Int { 0 }
    @usableFromInline static var countsOffset: Int { 32 }
    @usableFromInline static var leafBaseOffset: Int { 36 }

    /// The 1-based rank of `slot` among the leaf runs of the fields at `p`, and their counts word.
    @inlinable @inline(__always)
    static func rank(_ p: UnsafeRawPointer, _ slot: Int) -> (rank: Int, counts: UInt32) {
        let counts = p.load(fromByteOffset: countsOffset, as: UInt32.self)
        let word = p.load(fromByteOffset: mapOffset &+ (slot &>> 6) &* 8, as: UInt64.self)
        return (StrideTable<A>.rank(word: word, slot, UInt64(counts)), counts)
    }

    /// The leaf base of the fields at `p`.
    @inlinable @inline(__always)
    static func leafBase(_ p: UnsafeRawPointer) -> Int {
        Int(truncatingIfNeeded: p.load(fromByteOffset: leafBaseOffset, as: UInt32.self))
    }

    /// Copies node `n`'s leaf fields to `p`; returns its leaf base and number of leaf runs.
    static func store(_ n: Int, of table: StrideTable<A>, at p: UnsafeMutableRawPointer) -> (leafBase: Int, runs: Int) {
        let words = table._nodes.base, base = n * StrideTable<A>.nodeWords
        var runs = 0
        for w in 0 ..< 4 {
            let map = words[base + StrideTable<A>.leafMapWord + w]
            p.storeBytes(of: map, toByteOffset: mapOffset + 8 * w, as: UInt64.self)
            runs += map.nonzeroBitCount
        }
        let counts = (words[base + StrideTable<A>.infoWord] >> StrideTable<A>.leafCountsShift) & StrideTable<A>.countsMask
        p.storeBytes(of: UInt32(truncatingIfNeeded: counts), toByteOffset: countsOffset, as: UInt32.self)
        let leafBase = Int(words[base + StrideTable<A>.baseWord] >> 32)
        p.storeBytes(of: UInt32(leafBase), toByteOffset: leafBaseOffset, as: UInt32.self)
        return (leafBase, runs)
    }
}
