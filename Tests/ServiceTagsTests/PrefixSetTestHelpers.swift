import Foundation
import ServiceTagsTestSupport
import Testing

/// Shared checks for the PrefixSet and IPRange suites, and the prefix and address literals
/// (`v4("10.0.0.0/8")`...) every suite of this target writes its inputs with.
enum SetTesting {
    /// Random iterations per test: `STAG_TEST_ITERATIONS` when set, else `fallback`.
    static func iterations(_ fallback: Int) -> Int {
        ProcessInfo.processInfo.environment["STAG_TEST_ITERATIONS"].flatMap(Int.init) ?? fallback
    }

    /// Whether `prefixes` is a minimal cover's shape, checked pairwise without the code under test:
    /// strictly ascending and disjoint (so no containment and no duplicates), and no two consecutive
    /// prefixes are the two halves of one parent (they would merge into it).
    static func isMinimalShape<A>(_ prefixes: [Prefix<A>]) -> Bool {
        for (p, q) in zip(prefixes, prefixes.dropFirst()) {
            if !(p.last < q.first) { return false }
            if p.length == q.length && p.length > 0 {
                let parentLength = Int(p.length) - 1
                if Prefix(masking: p.address, length: parentLength) == Prefix(masking: q.address, length: parentLength) {
                    return false
                }
            }
        }
        return true
    }

    /// The v4 universes of the bitmap differential tests: the lowest /22 (holds 0.0.0.0), one in the
    /// middle, and the highest (holds 255.255.255.255), so both family edges are exercised.
    static let v4Universes: [IPv4Prefix] = ["0.0.0.0/22", "10.1.4.0/22", "255.255.252.0/22"].map(v4)
    /// The v6 universes, likewise: `::/118`, a documentation block, and the top /118.
    static let v6Universes: [IPv6Prefix] = ["::/118", "2001:db8:0:1::1:0/118", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fc00/118"].map(v6)

    /// A prefix written out in a test; not canonical, or of the other family, traps at once.
    static func v4(_ text: String) -> IPv4Prefix {
        guard case .v4(let p) = try! IPPrefix(parsing: text) else { fatalError("not IPv4: \(text)") }
        return p
    }

    static func v6(_ text: String) -> IPv6Prefix {
        guard case .v6(let p) = try! IPPrefix(parsing: text) else { fatalError("not IPv6: \(text)") }
        return p
    }

    static func a4(_ text: String) -> IPv4Address { try! IPv4Address(parsing: text) }
    static func a6(_ text: String) -> IPv6Address { try! IPv6Address(parsing: text) }

    static func r4(_ first: String, _ last: String) -> IPv4Range { IPRange(first: a4(first), last: a4(last))! }
    static func r6(_ first: String, _ last: String) -> IPv6Range { IPRange(first: a6(first), last: a6(last))! }
}
