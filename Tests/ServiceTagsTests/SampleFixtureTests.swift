import Foundation
import ServiceTags
import ServiceTagsTestSupport
import ExportTargetModels
import Testing

/// `Fixtures/sample.json` is exactly the generator's output for `Parameters.sample`, and the example
/// addresses in `Fixtures/README.md` are in the tags it says.
///
/// Regenerate after changing the generator: `Fixtures/regenerate-sample.sh` (never from a test:
/// a test that writes its own golden passes whatever the generator does).
@Suite struct SampleFixtureTests {
    @Test func committedSampleEqualsGeneratorOutput() throws {
        let generated = SyntheticServiceTags(.sample).jsonBytes
        let committed = try JSONSerializationServiceTags.readFile(FixturePaths.sample)
        #expect(committed == generated, "Fixtures/sample.json is stale: run Fixtures/regenerate-sample.sh")
    }

    /// The README's examples: address and every tag containing it, in file order.
    static let examples: [(String, [String])] = [
        ("23.41.24.130", ["Storage", "Storage.WestEurope", "AzureCloud.westeurope", "AzureCloud"]),
        ("2603:10d6:aaaa:7c9::d05", ["Storage", "Storage.WestEurope", "AzureCloud.westeurope", "AzureCloud"]),
        ("193.200.128.1", ["AzureCloud.westeurope", "AzureCloud"]),
        ("40.198.86.125", ["Storage", "Sql", "AzureMonitor", "EventHub", "GatewayManager", "Storage.EastUS", "Sql.EastUS",
                           "AzureMonitor.EastUS", "EventHub.EastUS", "AzureCloud.eastus", "AzureCloud"]),
        ("2603:102c:7e60:ecc::841", ["AzureFrontDoor.Frontend"]),
        ("192.0.2.1", []),
    ]

    /// A linear scan over the sample read by `JSONSerialization`, with containment by bit strings.
    @Test(arguments: examples)
    func readmeExamplesAreInTheDocumentedTags(_ address: String, _ tags: [String]) throws {
        let file = try JSONSerializationServiceTags.read(JSONSerializationServiceTags.readFile(FixturePaths.sample))
        let found = file.tags.filter { tag in
            switch SlowAddressParser.address(address)! {
            case .v4(let a): tag.ipv4.contains { Self.bitString(a.bits).hasPrefix(Self.bitString($0.address.bits).prefix(Int($0.length))) }
            case .v6(let a): tag.ipv6.contains { Self.bitString(a.bits).hasPrefix(Self.bitString($0.address.bits).prefix(Int($0.length))) }
            }
        }
        #expect(found.map(\.name) == tags)
        let readme = String(decoding: try JSONSerializationServiceTags.readFile(FixturePaths.fixtures + "/README.md"), as: UTF8.self)
        #expect(readme.contains("`\(address)`"), "README documents \(address)")
        for tag in tags { #expect(readme.contains(tag)) }
    }

    static func bitString<B: FixedWidthInteger>(_ x: B) -> String {
        let s = String(x, radix: 2)
        return String(repeating: "0", count: B.bitWidth - s.count) + s
    }
}
