import Foundation
import ExportTargetModels
import ServiceTags
import Testing

/// Running the built `stag` (and through it `stag-fetch`), synthetic ServiceTags bodies, cache
/// snapshots and hand-written manifests for the fetch tests.
enum FetchFixtures {
    static var productsDirectory: URL { StagCLI.productsDirectory }
    static var stagBinary: URL { StagCLI.executable }

    typealias Run = StagCLI.Result

    /// Runs `stag` (through `StagCLI`, whose environment has no proxies, no STAG_*, no
    /// XDG_CACHE_HOME, a scratch HOME and millisecond backoff) plus `environment`.
    static func stag(_ arguments: [String], environment: [String: String] = [:], binary: URL? = nil) throws -> Run {
        try StagCLI.run(arguments, environment: environment, binary: binary)
    }

    /// A fresh temporary directory (removed by the caller's `defer`).
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stag-fetch-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Every file under `dir` (hidden ones too) with its bytes; nil when `dir` does not exist.
    static func snapshot(_ dir: URL) -> [String: Data]? {
        guard FileManager.default.fileExists(atPath: dir.path) else { return nil }
        var files: [String: Data] = [:]
        let names = (try? FileManager.default.subpathsOfDirectory(atPath: dir.path)) ?? []
        for name in names {
            let path = dir.appendingPathComponent(name).path
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            files[name] = isDir.boolValue ? Data("<dir>".utf8) : (FileManager.default.contents(atPath: path) ?? Data("<unreadable>".utf8))
        }
        return files
    }

    /// A synthetic ServiceTags file with the real schema and made-up prefixes (documentation and
    /// private ranges), `tags` tags long.
    static func body(cloud: String = "Public", changeNumber: Int = 7, tags: Int = 3, salt: Int = 0) -> [UInt8] {
        var values: [String] = []
        for i in 0..<tags {
            values.append("""
                {
                  "name": "TestTag\(i)",
                  "id": "TestTag\(i)",
                  "properties": {
                    "changeNumber": \(i + 1),
                    "region": "\(i % 2 == 0 ? "" : "testregion")",
                    "regionId": \(i % 2 == 0 ? 0 : 99),
                    "platform": "Azure",
                    "systemService": "TestService",
                    "addressPrefixes": [
                      "10.\(salt % 256).\(i % 256).0/24",
                      "2001:db8:\(String(salt, radix: 16)):\(String(i, radix: 16))::/64"
                    ],
                    "networkFeatures": ["API", "NSG"]
                  }
                }
            """)
        }
        return Array("""
        {
          "changeNumber": \(changeNumber),
          "cloud": "\(cloud)",
          "values": [
        \(values.joined(separator: ",\n"))
          ]
        }

        """.utf8)
    }

    /// A page with links to `hrefs`.
    static func page(_ hrefs: [String]) -> [UInt8] {
        Array(("<!doctype html><html><body><h1>Azure IP Ranges and Service Tags</h1>\n"
            + hrefs.map { "<a class=\"download\" href=\"\($0)\">Download</a>\n" }.joined() + "</body></html>\n").utf8)
    }

    /// SHA-256 from coreutils when available (independent of our code), else from the core
    /// implementation (itself checked against the NIST vectors in SHA256Tests).
    static func sha256(_ data: Data) -> String {
        let tool = "/usr/bin/sha256sum"
        if FileManager.default.isExecutableFile(atPath: tool), let dir = try? temporaryDirectory() {
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("x")
            if (try? data.write(to: file)) != nil {
                if let run = try? ChildProcess.run(tool, [file.path]) {
                    let out = run.stdout
                    if let hex = String(decoding: out, as: UTF8.self).split(separator: " ").first, hex.count == 64 { return String(hex) }
                }
            }
        }
        return SHA256.hex(data)
    }

    struct StoredVersion {
        var name: String
        var body: [UInt8]
        var url: String = "https://example.test/"
        var etag: String? = nil
        var lastModified: String? = nil
        var recorded = true
    }

    /// Puts files and a manifest (written with JSONSerialization, independently of stag-fetch)
    /// into `dir`, as a previous `stag fetch` would have left them.
    static func populate(_ dir: URL, _ versions: [StoredVersion], manifest: Bool = true) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var files: [[String: Any]] = []
        for v in versions {
            try Data(v.body).write(to: dir.appendingPathComponent(v.name))
            guard v.recorded else { continue }
            let parts = v.name.dropLast(5).split(separator: "_")  // ServiceTags, Stem, Date
            var entry: [String: Any] = [
                "file": v.name, "cloud": String(parts[1]), "date": String(parts[2]), "changeNumber": 7,
                "size": v.body.count, "sha256": sha256(Data(v.body)), "url": v.url + v.name, "fetchedAt": "2025-10-01T00:00:00Z",
            ]
            if let etag = v.etag { entry["etag"] = etag }
            if let lastModified = v.lastModified { entry["lastModified"] = lastModified }
            files.append(entry)
        }
        if manifest {
            let json = try JSONSerialization.data(withJSONObject: ["manifestVersion": 1, "files": files], options: [.prettyPrinted, .sortedKeys])
            try json.write(to: dir.appendingPathComponent("manifest.json"))
        }
    }

    /// The compiled index `stag fetch` stores beside a file: `ServiceTags_Public_20251028.stagidx`.
    static func indexName(_ name: String) -> String { String(name.dropLast(".json".count)) + ".stagidx" }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}
