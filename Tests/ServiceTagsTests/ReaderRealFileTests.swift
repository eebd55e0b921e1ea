import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

private let realFiles = [
    "ServiceTags_Public_20251013.json", "ServiceTags_Public_20251028.json", "ServiceTags_Public_20190722.json",
    "ServiceTags_AzureGovernment_20260720.json",
]

/// The real downloads against an independent reference: Foundation's `JSONSerialization` for the
/// structure and a deliberately simple string-splitting prefix parser for the bits.
@Suite("Reader real files", .tags(.realData))
struct ReaderRealFileTests {
    @Test(.realData(realFiles[0], realFiles[1], realFiles[2], realFiles[3]), arguments: realFiles)
    func everyTagAndPrefixMatchesJSONSerialization(_ name: String) throws {
        let path = try #require(FixturePaths.realFile(name))
        let file = try ServiceTagsFile(readingFileAt: path)

        let root = try #require(try JSONSerialization.jsonObject(with: Data(ReaderTestSupport.bytes(atPath: path))) as? [String: Any])
        #expect(file.changeNumber == root["changeNumber"] as? Int)
        #expect(file.cloud == root["cloud"] as? String)
        let values = try #require(root["values"] as? [[String: Any]])
        #expect(file.tags.count == values.count)
        var prefixTotal = 0
        for (tag, value) in zip(file.tags, values) {
            let properties = try #require(value["properties"] as? [String: Any])
            #expect(tag.name == value["name"] as? String)
            #expect(tag.id == value["id"] as? String)
            #expect(tag.changeNumber == properties["changeNumber"] as? Int)
            #expect(tag.region == properties["region"] as? String)
            #expect(tag.regionId == properties["regionId"] as? Int)
            #expect(tag.platform == properties["platform"] as? String)
            #expect(tag.systemService == properties["systemService"] as? String)
            #expect(tag.networkFeatures == properties["networkFeatures"] as? [String])
            let texts = try #require(properties["addressPrefixes"] as? [String])
            prefixTotal += texts.count
            let expected = texts.map(SlowPrefix.init)
            let actual = tag.ipv4.map { SlowPrefix(isIPv6: false, bits: UInt128($0.address.bits), length: Int($0.length)) }
                + tag.ipv6.map { SlowPrefix(isIPv6: true, bits: $0.address.bits, length: Int($0.length)) }
            // The reader splits by family and keeps file order within each.
            #expect(actual == expected.filter { !$0.isIPv6 } + expected.filter(\.isIPv6), "\(tag.name)")
        }
        #expect(file.tags.reduce(0) { $0 + $1.prefixCount } == prefixTotal)
        print("\(name): \(file.tags.count) tags, \(prefixTotal) prefixes checked")
    }

    /// The same file through 4 KiB reads and through memory gives the same tags.
    @Test(.realData("ServiceTags_Public_20190722.json")) func descriptorAndMemoryPathsAgreeOnARealFile() throws {
        let path = try #require(FixturePaths.realFile("ServiceTags_Public_20190722.json"))
        let bytes = try ReaderTestSupport.bytes(atPath: path)
        let memory = try ServiceTagsFile(bytes: bytes, path: path)
        let small = try ReaderTestSupport.readThroughFile(bytes, chunkSize: 4093)
        #expect(small.tags == memory.tags)
    }
}

/// `a.b.c.d/n` or an IPv6 text form split by hand: obviously correct, slow, only for valid input.
struct SlowPrefix: Equatable, CustomStringConvertible {
    var isIPv6: Bool
    var bits: UInt128
    var length: Int

    init(isIPv6: Bool, bits: UInt128, length: Int) {
        self.isIPv6 = isIPv6
        self.bits = bits
        self.length = length
    }

    init(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        length = Int(parts[1])!
        let address = String(parts[0])
        isIPv6 = address.contains(":")
        if !isIPv6 {
            bits = address.split(separator: ".").reduce(UInt128(0)) { $0 << 8 | UInt128(UInt8($1)!) }
            return
        }
        let halves = address.components(separatedBy: "::")
        func groups(_ s: String) -> [UInt128] { s.isEmpty ? [] : s.split(separator: ":").map { UInt128(UInt16($0, radix: 16)!) } }
        let head = groups(halves[0])
        let tail = halves.count > 1 ? groups(halves[1]) : []
        let all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        bits = all.reduce(UInt128(0)) { $0 << 16 | $1 }
    }

    var description: String { "\(isIPv6 ? "v6" : "v4") \(String(bits, radix: 16))/\(length)" }
}
