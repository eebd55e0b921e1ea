/// A read-only array of an index whose elements live in memory someone else owns: a Swift array
/// the builder made, or a section of a mapped compiled index. A loaded index is therefore used in
/// place, never copied out (docs/compiled-index.md, "Loading").
///
/// Invariant: `base` stays valid and unchanged for as long as `owner` is alive; every copy of the
/// array keeps `owner` alive. The memory is never written after the array is made, which is what
/// makes sharing it across threads safe (`@unchecked Sendable`).
///
/// The public subscript checks its index, as `Array`'s does; the lookup loops read `base` directly
/// behind the structural checks (`StrideTable.validate`, `FamilyIndex.validate`).
public struct IndexArray<Element: BitwiseCopyable>: RandomAccessCollection, @unchecked Sendable {
    @usableFromInline let base: UnsafeBufferPointer<Element>
    @usableFromInline let owner: AnyObject?

    /// Elements in memory that `owner` keeps alive and unchanged.
    init(_ base: UnsafeBufferPointer<Element>, owner: AnyObject?) {
        self.base = base
        self.owner = owner
    }

    /// Takes the array over: its storage is held (not copied) and never mutated again.
    init(_ array: [Element]) {
        let box = ArrayOwner(array)
        // The box's array is immutable and the box uniquely holds it, so its contiguous native
        // storage neither moves nor changes while the box lives.
        self.init(box.array.withUnsafeBufferPointer { $0 }, owner: box)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { base.count }
    @inlinable public var count: Int { base.count }

    @inlinable public subscript(i: Int) -> Element {
        precondition(i >= 0 && i < base.count, "index out of range")
        return base[i]
    }

    /// The elements as a Swift array (a copy).
    public var array: [Element] { Array(base) }
}

extension IndexArray: Equatable where Element: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.base.elementsEqual(b.base) }
}

/// Keeps a Swift array's storage alive for the `IndexArray`s viewing it.
final class ArrayOwner<Element>: @unchecked Sendable {
    let array: [Element]
    init(_ array: [Element]) { self.array = array }
}

/// The distinct prefixes of a `FamilyIndex` as two columns, addresses and lengths (the compiled
/// index's layout: 17 bytes an IPv6 prefix instead of `Prefix<IPv6Address>`'s 32-byte stride).
///
/// Invariant: both columns have the same count, and every (address, length) pair is a canonical
/// prefix (checked by `FamilyIndex.validate` for a loaded index; true by construction for a built one).
public struct IndexPrefixes<A: IPAddressFamily>: RandomAccessCollection, Sendable {
    @usableFromInline let addresses: IndexArray<A.Bits>
    @usableFromInline let lengths: IndexArray<UInt8>

    /// - Precondition: `addresses.count == lengths.count`.
    init(addresses: IndexArray<A.Bits>, lengths: IndexArray<UInt8>) {
        precondition(addresses.count == lengths.count)
        self.addresses = addresses
        self.lengths = lengths
    }

    init(_ prefixes: [Prefix<A>]) {
        self.init(addresses: IndexArray(prefixes.map { $0.address.bits }), lengths: IndexArray(prefixes.map(\.length)))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { addresses.base.count }
    @inlinable public var count: Int { addresses.base.count }

    @inlinable public subscript(i: Int) -> Prefix<A> {
        precondition(i >= 0 && i < addresses.base.count, "index out of range")
        return Prefix(unchecked: A(bits: addresses.base[i]), length: Int(lengths.base[i]))
    }
}

extension UnsafeBufferPointer where Element == UInt32 {
    /// The largest element (0 when empty): one vectorisable pass, so that validation checks an
    /// array's bound at memory speed and looks for the offending element only when there is one.
    @inlinable func maximum() -> UInt32 {
        var m: UInt32 = 0
        for x in self { m = Swift.max(m, x) }
        return m
    }

    /// The largest even- and odd-position elements (pairs such as `IndexMatch`'s tag and node).
    @inlinable func pairMaximum() -> (even: UInt32, odd: UInt32) {
        var even: UInt32 = 0, odd: UInt32 = 0
        var i = 0
        while i &+ 1 < count {
            even = Swift.max(even, self[i])
            odd = Swift.max(odd, self[i &+ 1])
            i &+= 2
        }
        return (even, odd)
    }
}
