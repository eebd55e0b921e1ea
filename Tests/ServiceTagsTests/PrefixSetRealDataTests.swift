import Foundation
import ServiceTagsTestSupport
import Testing

/// Aggregation of a real tag, with the file read by Foundation's `JSONSerialization` (an independent
/// parser) and each prefix by `SlowAddressParser`. Skipped (`.realData`) when the file is absent.
@Suite(.tags(.realData)) struct PrefixSetRealDataTests {
    static let fileName = "ServiceTags_Public_20251028.json"

    /// `<package root>/../shared/data/servicetags`, else the fixed `/work/shared/data/servicetags`.
    static func dataFile() -> URL? { FixturePaths.realFile(fileName).map { URL(fileURLWithPath: $0) } }

    /// The `addressPrefixes` of tag `name`, parsed strictly.
    static func addressPrefixes(of name: String, in url: URL) throws -> [IPPrefix] {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let values = try #require(root?["values"] as? [[String: Any]])
        let tag = try #require(values.first { $0["name"] as? String == name })
        let properties = try #require(tag["properties"] as? [String: Any])
        let texts = try #require(properties["addressPrefixes"] as? [String])
        return try texts.map { try #require(SlowAddressParser.prefix($0), "\($0)") }
    }

    @Test(.realData(fileName)) func azureCloudAggregatesToTheKnownCounts() throws {
        let url = try #require(Self.dataFile())
        let prefixes = try Self.addressPrefixes(of: "AzureCloud", in: url)
        let v4 = prefixes.compactMap { if case .v4(let p) = $0 { p } else { nil } }
        let v6 = prefixes.compactMap { if case .v6(let p) = $0 { p } else { nil } }
        #expect(v4.count == 9_585 && v6.count == 3_495)

        let aggregated4 = aggregate(v4), aggregated6 = aggregate(v6)
        #expect(aggregated4.count == 1_860)
        #expect(aggregated6.count == 1_346)
        #expect(SetTesting.isMinimalShape(aggregated4) && SetTesting.isMinimalShape(aggregated6))

        // Exactness without trusting PrefixSet: every input prefix lies in one output prefix, and
        // the outputs, disjoint by the shape check, hold no more addresses than the inputs' union.
        // A linear scan of the sorted outputs per input would be slow; binary search by address.
        func covered<A>(_ p: Prefix<A>, by out: [Prefix<A>]) -> Bool {
            var low = 0, high = out.count
            while low < high {
                let mid = (low + high) / 2
                if out[mid].first <= p.first { low = mid + 1 } else { high = mid }
            }
            return low > 0 && out[low - 1].contains(p)
        }
        #expect(v4.allSatisfy { covered($0, by: aggregated4) } && v6.allSatisfy { covered($0, by: aggregated6) })
        // Nothing added: the outputs are disjoint (shape check) and cover every input, so they hold
        // exactly the inputs' addresses iff the counts agree. The inputs' union count skips nested
        // prefixes after sorting (CIDR prefixes either nest or are disjoint). No /0 here, so each
        // prefix's size 2^(width - length) fits in a UInt128 and the sums stay below 2^128.
        func size<A>(_ p: Prefix<A>) -> UInt128 { UInt128(1) << (A.bitWidth - Int(p.length)) }
        func unionCount<A>(_ input: [Prefix<A>]) -> UInt128 {
            var total: UInt128 = 0
            var lastEnd: A? = nil
            for p in input.sorted() where lastEnd.map({ p.first > $0 }) ?? true {
                total += size(p)
                lastEnd = p.last
            }
            return total
        }
        func outputCount<A>(_ out: [Prefix<A>]) -> UInt128 { out.reduce(0) { $0 + size($1) } }
        #expect(!prefixes.contains { $0.length == 0 })
        #expect(unionCount(v4) == outputCount(aggregated4))
        #expect(unionCount(v6) == outputCount(aggregated6))
        #expect(IPSet(prefixes).prefixes().count == 1_860 + 1_346)
    }
}
