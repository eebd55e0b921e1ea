import Foundation
import ServiceTags
import ServiceTagsTestSupport

/// An independent reader for tests: Foundation's `JSONSerialization` for the JSON and
/// `SlowAddressParser` for the prefixes, so it shares no code with the writer or the fast parsers.
/// Shared by the library's tests and the reader's fuzz target (Tests/Fuzz/fuzz-reader).
public enum JSONSerializationServiceTags {
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public static func read(_ bytes: [UInt8]) throws -> ServiceTagsFile {
        guard let root = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw Failure(description: "top level is not an object")
        }
        var file = ServiceTagsFile(changeNumber: integer(root["changeNumber"]), cloud: root["cloud"] as? String ?? "")
        for case let value as [String: Any] in root["values"] as? [Any] ?? [] {
            guard let name = value["name"] as? String, let properties = value["properties"] as? [String: Any] else {
                throw Failure(description: "tag without name or properties")
            }
            var tag = ServiceTag(name: name, id: value["id"] as? String ?? "",
                                 changeNumber: integer(properties["changeNumber"]),
                                 region: properties["region"] as? String ?? "",
                                 regionId: integer(properties["regionId"]),
                                 platform: properties["platform"] as? String ?? "",
                                 systemService: properties["systemService"] as? String ?? "",
                                 networkFeatures: properties["networkFeatures"] as? [String])
            for case let text as String in properties["addressPrefixes"] as? [Any] ?? [] {
                switch SlowAddressParser.prefix(text) {
                case .v4(let p)?: tag.ipv4.append(p)
                case .v6(let p)?: tag.ipv6.append(p)
                case nil: throw Failure(description: "bad prefix \(text) in \(name)")
                }
            }
            file.tags.append(tag)
        }
        return file
    }

    /// A JSON integer, or a decimal string as the Service Tag Discovery API sends change numbers.
    static func integer(_ value: Any?) -> Int? {
        if let text = value as? String, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return Int(text) }
        return value as? Int
    }

    public static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "cannot read \(path)") }
        return [UInt8](data)
    }

    /// Field-by-field equality (`ServiceTagsFile` is not `Equatable`).
    public static func same(_ a: ServiceTagsFile, _ b: ServiceTagsFile) -> Bool {
        a.changeNumber == b.changeNumber && a.cloud == b.cloud && a.tags == b.tags
    }
}
