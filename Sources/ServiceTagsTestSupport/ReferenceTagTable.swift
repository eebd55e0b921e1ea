/// Slow, obviously-correct answers to "which tags contain this address, and with which most
/// specific prefix", used as the oracle for `PrefixTrie`, `StrideTable` and `TagIndex`.
///
/// Two strategies with the same answers: `linear` scans every prefix of every tag (for small random
/// sets); `hashProbe` masks the address to every prefix length that occurs and probes a dictionary
/// (for 100,000 lookups on a real file, where a linear scan would take minutes).
public struct ReferenceTagTable {
    public struct Answer: Hashable, CustomStringConvertible {
        public var tag: Int
        public var prefix: IPPrefix
        public init(tag: Int, prefix: IPPrefix) { self.tag = tag; self.prefix = prefix }
        public var description: String { "\(tag):\(prefix)" }
    }

    let tags: [ServiceTag]
    var byPrefix4: [IPv4Prefix: [Int]] = [:]
    var byPrefix6: [IPv6Prefix: [Int]] = [:]
    var lengths4: [Int] = []
    var lengths6: [Int] = []

    public init(_ tags: [ServiceTag]) {
        self.tags = tags
        var l4 = Set<Int>(), l6 = Set<Int>()
        for (t, tag) in tags.enumerated() {
            for p in tag.ipv4 { byPrefix4[p, default: []].append(t); l4.insert(Int(p.length)) }
            for p in tag.ipv6 { byPrefix6[p, default: []].append(t); l6.insert(Int(p.length)) }
        }
        lengths4 = l4.sorted()
        lengths6 = l6.sorted()
    }

    /// Linear scan: for each tag, the longest of its prefixes containing `address`. Sorted by tag.
    public static func linear(_ tags: [ServiceTag], _ address: IPAddress) -> [Answer] {
        switch address {
        case .v4(let a): linear(tags, containing: .v4(IPv4Prefix(masking: a, length: 32)))
        case .v6(let a): linear(tags, containing: .v6(IPv6Prefix(masking: a, length: 128)))
        }
    }

    /// Linear scan for a whole query prefix: the longest prefix of each tag containing all of it.
    public static func linear(_ tags: [ServiceTag], containing q: IPPrefix) -> [Answer] {
        var out: [Answer] = []
        for (t, tag) in tags.enumerated() {
            var best: IPPrefix?
            switch q {
            case .v4(let x):
                for p in tag.ipv4 where p.contains(x) && (best == nil || Int(p.length) > best!.length) { best = .v4(p) }
            case .v6(let x):
                for p in tag.ipv6 where p.contains(x) && (best == nil || Int(p.length) > best!.length) { best = .v6(p) }
            }
            if let best { out.append(Answer(tag: t, prefix: best)) }
        }
        return out
    }

    /// Hash probe at every occurring prefix length, longest first. Sorted by tag.
    public func hashProbe(_ address: IPAddress) -> [Answer] {
        var seen = Set<Int>()
        var out: [Answer] = []
        switch address {
        case .v4(let a):
            for length in lengths4.reversed() {
                let p = IPv4Prefix(masking: a, length: length)
                for t in byPrefix4[p] ?? [] where seen.insert(t).inserted { out.append(Answer(tag: t, prefix: .v4(p))) }
            }
        case .v6(let a):
            for length in lengths6.reversed() {
                let p = IPv6Prefix(masking: a, length: length)
                for t in byPrefix6[p] ?? [] where seen.insert(t).inserted { out.append(Answer(tag: t, prefix: .v6(p))) }
            }
        }
        return out.sorted { $0.tag < $1.tag }
    }
}
