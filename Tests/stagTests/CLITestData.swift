import Foundation
import ExportTargetModels
#if canImport(Glibc)
import Glibc
#endif

/// Data for the lookup, tags, info and conventions CLI tests: a tiny hand-written file whose
/// answers are written out by hand in the tests, and an independent reading of any ServiceTags file
/// (JSONSerialization for the JSON, `inet_pton` for the addresses) to check larger files against.
enum CLITestData {
    /// Six tags over documentation addresses (RFC 5737, RFC 3849), nested on purpose:
    ///
    /// | address           | tags, most specific prefix first                                          |
    /// | ----------------- | ------------------------------------------------------------------------- |
    /// | 192.0.2.10        | Storage.WestEurope /32, Storage /26, AzureCloud.westeurope /25, AzureCloud /24 |
    /// | 192.0.2.200       | AzureCloud /24                                                            |
    /// | 198.51.100.200    | Sql 198.51.100.128/25, AzureCloud 198.51.100.0/24                         |
    /// | 203.0.113.9       | AzureFrontDoor.Frontend 203.0.113.0/24 (global, outside AzureCloud)       |
    /// | 2001:db8:1:2::5   | Storage /64, Storage.WestEurope /64, AzureCloud.westeurope /48, AzureCloud /32 |
    /// | 10.0.0.1          | none                                                                      |
    ///
    /// 14 prefix entries; 12 unique (8 IPv4, 4 IPv6). Region "WestEurope" is capitalised on
    /// purpose (filters are case-insensitive). No final newline, 1-space indentation.
    static let small = """
    {"changeNumber": 42, "cloud": "Public", "values": [
     {"name": "AzureCloud", "id": "AzureCloud", "properties": {"changeNumber": 7, "region": "", "regionId": 0, "platform": "Azure",
      "systemService": "", "addressPrefixes": ["192.0.2.0/24", "198.51.100.0/24", "2001:db8::/32"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}},
     {"name": "AzureCloud.westeurope", "id": "AzureCloud.westeurope", "properties": {"changeNumber": 3, "region": "westeurope", "regionId": 18,
      "platform": "Azure", "systemService": "", "addressPrefixes": ["192.0.2.0/25", "2001:db8:1::/48"], "networkFeatures": ["API", "NSG"]}},
     {"name": "Storage", "id": "Storage", "properties": {"changeNumber": 5, "region": "", "regionId": 0, "platform": "Azure",
      "systemService": "AzureStorage", "addressPrefixes": ["192.0.2.0/26", "192.0.2.64/27", "2001:db8:1:2::/64"], "networkFeatures": null}},
     {"name": "Storage.WestEurope", "id": "Storage.WestEurope", "properties": {"changeNumber": 2, "region": "WestEurope", "regionId": 18,
      "platform": "Azure", "systemService": "AzureStorage", "addressPrefixes": ["192.0.2.0/26", "192.0.2.10/32", "2001:db8:1:2::/64"],
      "networkFeatures": ["NSG"]}},
     {"name": "Sql", "id": "Sql", "properties": {"changeNumber": 9, "region": "", "regionId": 0, "platform": "Azure",
      "systemService": "AzureSQL", "addressPrefixes": ["198.51.100.128/25"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}},
     {"name": "AzureFrontDoor.Frontend", "id": "AzureFrontDoor.Frontend", "properties": {"changeNumber": 1, "region": "", "regionId": 0,
      "platform": "Azure", "systemService": "AzureFrontDoor", "addressPrefixes": ["203.0.113.0/24", "2001:db8:ffff::/48"],
      "networkFeatures": ["API", "NSG"]}}
    ]}
    """

    /// `Fixtures/sample.json` (the README sample; its example addresses are in `Fixtures/README.md`).
    static var sample: String { StagCLI.fixture("sample.json") }

    /// A scratch directory holding `small` as `ServiceTags_Public_20251028.json`; `body` gets both.
    static func withSmallFile<R>(_ body: (_ path: String, _ directory: URL) throws -> R) throws -> R {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-cli-data")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ServiceTags_Public_20251028.json").path
        try Data(small.utf8).write(to: URL(fileURLWithPath: path))
        return try body(path, dir)
    }

    /// One tag as read by JSONSerialization.
    struct Tag {
        var name: String
        var id: String
        var region: String
        var regionId: Int?
        var systemService: String
        var networkFeatures: [String]?
        var changeNumber: Int?
        /// The prefixes as written in the file.
        var prefixes: [String]
    }

    struct File {
        var cloud: String
        var changeNumber: Int?
        var tags: [Tag]
    }

    /// The file read by JSONSerialization: no code of ours is involved.
    static func read(_ path: String) throws -> File {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let tags = (root["values"] as! [[String: Any]]).map { v -> Tag in
            let p = v["properties"] as! [String: Any]
            return Tag(name: v["name"] as! String, id: v["id"] as! String, region: p["region"] as? String ?? "",
                       regionId: p["regionId"] as? Int, systemService: p["systemService"] as? String ?? "",
                       networkFeatures: p["networkFeatures"] as? [String], changeNumber: p["changeNumber"] as? Int,
                       prefixes: p["addressPrefixes"] as! [String])
        }
        return File(cloud: root["cloud"] as? String ?? "", changeNumber: root["changeNumber"] as? Int, tags: tags)
    }

    /// An address or prefix as network-order bytes (4 for IPv4, 16 for IPv6) and a length, parsed
    /// by the C library; IPv4-mapped IPv6 becomes IPv4 (`::ffff:a.b.c.d/len` with len >= 96 too).
    struct Network: Equatable {
        var bytes: [UInt8]
        var length: Int

        init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let first = parts.first else { return nil }
            var v4 = in_addr(), v6 = in6_addr()
            if inet_pton(AF_INET, String(first), &v4) == 1 {
                bytes = withUnsafeBytes(of: v4) { Array($0) }
            } else if inet_pton(AF_INET6, String(first), &v6) == 1 {
                bytes = withUnsafeBytes(of: v6) { Array($0) }
            } else {
                return nil
            }
            length = bytes.count * 8
            if parts.count == 2 {
                guard let n = Int(parts[1]), n >= 0, n <= length else { return nil }
                length = n
            }
            if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF, length >= 96 {
                bytes = Array(bytes[12...])
                length -= 96
            }
        }

        func bit(_ i: Int) -> Bool { bytes[i / 8] & (0x80 >> UInt8(i % 8)) != 0 }

        /// Whether every address of `other` is inside this network.
        func contains(_ other: Network) -> Bool {
            bytes.count == other.bytes.count && length <= other.length && (0..<length).allSatisfy { bit($0) == other.bit($0) }
        }
    }

    /// Per tag containing all of `query`: the tag and its longest prefix containing it, in file order.
    static func matches(_ query: String, in file: File) -> [(tag: Tag, prefix: String)] {
        guard let q = Network(query) else { return [] }
        return file.tags.compactMap { tag in
            let best = tag.prefixes.compactMap { p in Network(p).map { (p, $0) } }
                .filter { $0.1.contains(q) }.max { $0.1.length < $1.1.length }
            return best.map { (tag, $0.0) }
        }
    }

    /// Byte-order comparison of names, as the CLI sorts tags.
    static func byteOrder(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }

    /// SHA-256 from coreutils (independent of our code); nil with a notice when it is not installed.
    static func sha256sum(_ path: String) throws -> String? {
        let tool = "/usr/bin/sha256sum"
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            print("notice: \(tool) is not installed; the SHA-256 cross-check is skipped")
            return nil
        }
        let out = try ChildProcess.run(tool, [path]).stdout
        return String(decoding: out, as: UTF8.self).split(separator: " ").first.map(String.init)
    }

    /// JSONSerialization of one JSON text (a line of `--json` output).
    static func json(_ text: some StringProtocol) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }
}
