/// Which families an object holds.
public enum ExportObjectFamily: Sendable, Hashable {
    case ipv4, ipv6, mixed
}

/// One named object of the target (a set, list, group or rule) and its entries, in order.
public struct ExportObject: Sendable {
    /// Empty for plain lists.
    public var name: String
    public var family: ExportObjectFamily
    public var v4: ArraySlice<IPv4Prefix>
    public var v6: ArraySlice<IPv6Prefix>

    public var count: Int { v4.count + v6.count }
    public var isEmpty: Bool { v4.isEmpty && v6.isEmpty }
}

/// A full export, ready to write: the list in the target's form, cut into named objects.
public struct ExportPlan: Sendable {
    /// The list after the target's normalisation (overlaps removed, `/0` split, IPv6 dropped).
    public var list: ExportList
    /// Objects in output order: IPv4 before IPv6, each family's chunks ascending.
    public var objects: [ExportObject]
    /// The base name, before family and chunk suffixes; nil for plain lists.
    public var baseName: String?
    public var options: ExportOptions
    public var warnings: [String]
    /// The rule to write around the objects: `options.rule`, or the default rule for formats that
    /// always write one; nil when the format writes no rule.
    public var rule: FirewallRule? = nil
    /// The chain holding the rule (nft, iptables), checked against the target's chain names.
    public var chain: String? = nil
}

/// How one object changes between two plans.
public struct ExportChange: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Only in the new plan: create it with `new`'s entries.
        case created
        /// Only in the old plan: remove it.
        case deleted
        /// In both: add `added4`/`added6`, remove `removed4`/`removed6`.
        case changed
    }

    public var kind: Kind
    public var name: String
    public var family: ExportObjectFamily
    public var old: ExportObject?
    public var new: ExportObject?
    public var added4: [IPv4Prefix] = []
    public var removed4: [IPv4Prefix] = []
    public var added6: [IPv6Prefix] = []
    public var removed6: [IPv6Prefix] = []
}

/// The changes between two full exports of the same target and names.
public struct ExportDeltaPlan: Sendable {
    public var old: ExportPlan
    public var new: ExportPlan
    /// Objects that differ: created and changed ones in the new plan's order, then deleted ones in
    /// the old plan's order. Unchanged objects are not listed.
    public var changes: [ExportChange]
    /// Prefixes in the old list and not the new one (e.g. FortiGate deletes their address objects).
    public var removed4: [IPv4Prefix]
    public var removed6: [IPv6Prefix]
}

/// Sorted-list differences by one merge pass.
enum SortedDifference {
    /// `(a - b, b - a)` for sorted, duplicate-free lists.
    /// - Complexity: O(|a| + |b|).
    static func of<A>(_ a: some Collection<Prefix<A>>, _ b: some Collection<Prefix<A>>) -> (onlyA: [Prefix<A>], onlyB: [Prefix<A>]) {
        var onlyA: [Prefix<A>] = [], onlyB: [Prefix<A>] = []
        var i = a.startIndex, j = b.startIndex
        while i != a.endIndex || j != b.endIndex {
            if j == b.endIndex || (i != a.endIndex && a[i] < b[j]) {
                onlyA.append(a[i]); i = a.index(after: i)
            } else if i == a.endIndex || b[j] < a[i] {
                onlyB.append(b[j]); j = b.index(after: j)
            } else {
                i = a.index(after: i); j = b.index(after: j)
            }
        }
        return (onlyA, onlyB)
    }
}
