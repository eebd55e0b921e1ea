import Foundation
import Testing

/// `stag export` end to end: the built binary, its exit codes, stdout/stderr and `-o`.
@Suite struct ExportCLITests {
    typealias Run = StagCLI.Result

    static func stag(_ arguments: [String]) throws -> Run { try StagCLI.run(arguments) }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stag-export-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A two-tag ServiceTags file in the download's schema.
    static let sample = """
    {"changeNumber": 375, "cloud": "Public", "values": [
      {"name": "AzureCloud.westeurope", "id": "AzureCloud.westeurope", "properties": {"changeNumber": 375, "region": "westeurope",
       "regionId": 18, "platform": "Azure", "systemService": "", "addressPrefixes": ["4.150.0.0/18", "20.33.0.0/16", "40.64.0.0/10",
       "2603:1000::/40", "2603:1020::/47"], "networkFeatures": ["API", "NSG"]}},
      {"name": "Storage.WestEurope", "id": "Storage.WestEurope", "properties": {"changeNumber": 12, "region": "westeurope",
       "regionId": 18, "platform": "Azure", "systemService": "AzureStorage", "addressPrefixes": ["20.33.1.0/24", "2603:1020::/48"],
       "networkFeatures": ["API", "NSG"]}}
    ]}
    """

    /// Writes the sample and returns its path.
    static func sampleData(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("ServiceTags_Public_20251028.json").path
        try sample.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func helpListsEveryFormat() throws {
        let run = try Self.stag(["export", "--help"])
        #expect(run.status == 0)
        for id in ["txt", "csv", "json", "nft", "ipset", "powershell", "azure-ipgroup", "paloalto-edl", "fortigate", "cisco-ios",
                   "cisco-asa", "juniper", "mikrotik", "aws-prefix-list", "terraform"] {
            #expect(run.stdout.contains("\n  \(id) "), "help does not list \(id)")
        }
        #expect(try Self.stag(["--help"]).stdout.contains("  export "))
    }

    @Test(arguments: [
        ([], "expected one or more tag names"),
        (["A", "--ipv4", "--ipv6"], "--ipv4 and --ipv6 exclude each other"),
        (["A", "--format", "nftt"], "unknown format 'nftt' (did you mean 'nft'?)"),
        (["A", "--format", "nft", "--name", "1x"], "name '1x' is not valid for nft: it cannot start with '1'"),
        (["A", "--format", "ipset", "--name", String(repeating: "a", count: 27)], "is not valid for ipset: at most 29 characters"),
        (["A", "--name", "x"], "txt has no named objects"),
        (["A", "--max-entries", "0"], "--max-entries needs a whole number of at least 1"),
        (["A", "--json", "--format", "nft"], "--json and --format nft exclude each other"),
        (["A", "--bogus"], "unknown option '--bogus'"),
    ])
    func usageErrorsExitTwoBeforeReadingData(_ arguments: [String], _ message: String) throws {
        let run = try Self.stag(["export"] + arguments + ["--data", "/nonexistent/ServiceTags.json"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("stag: export: ") && run.stderr.contains(message), "stderr: \(run.stderr)")
    }

    @Test func aFailedExportLeavesNoFileAndKeepsAnOldOne() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("sets.nft")
        var run = try Self.stag(["export", "A", "--format", "nft", "--name", "1x", "-o", target.path, "--data", "/nonexistent"])
        #expect(run.status == 2 && !FileManager.default.fileExists(atPath: target.path))
        try "old contents\n".write(to: target, atomically: true, encoding: .utf8)
        run = try Self.stag(["export", "A", "--data", "/nonexistent/file.json", "-o", target.path])
        #expect(run.status == 2)
        #expect(try String(contentsOf: target, encoding: .utf8) == "old contents\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["sets.nft"])
    }

    @Test func exportsTheSampleData() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try Self.sampleData(in: dir)
        let txt = try Self.stag(["export", "AzureCloud.westeurope", "Storage.WestEurope", "--data", data])
        #expect(txt.status == 0 && txt.stderr.isEmpty)
        #expect(txt.stdout == "4.150.0.0/18\n20.33.0.0/16\n20.33.1.0/24\n40.64.0.0/10\n2603:1000::/40\n2603:1020::/47\n2603:1020::/48\n")
        let merged = try Self.stag(["export", "AzureCloud.*", "Storage.*", "--aggregate", "--data", data])
        #expect(merged.stdout == "4.150.0.0/18\n20.33.0.0/16\n40.64.0.0/10\n2603:1000::/40\n2603:1020::/47\n")
        let json = try Self.stag(["export", "--json", "AzureCloud.westeurope", "--data", data])
        #expect(json.stdout == (try Self.stag(["export", "AzureCloud.westeurope", "--format", "json", "--data", data])).stdout)
        let arm = try Self.stag(["export", "AzureCloud.westeurope", "--format", "azure-ipgroup", "--data", data])
        #expect(arm.status == 0 && arm.stderr.contains("stag: warning: azure-ipgroup holds IPv4 only: 2 IPv6 prefixes left out"))
    }

    @Test func dataErrorsExitTwoWithNoFile() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try Self.sampleData(in: dir)
        let target = dir.appendingPathComponent("out.txt")
        let unknown = try Self.stag(["export", "AzureCloud.westeurop", "--data", data, "-o", target.path])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown tag 'AzureCloud.westeurop'; did you mean 'AzureCloud.westeurope'?"))
        let empty = try Self.stag(["export", "Storage.WestEurope", "--exclude", "AzureCloud.westeurope", "--data", data, "-o", target.path])
        #expect(empty.status == 2 && empty.stderr.contains("the selection is empty"))
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test func outputFileHoldsWhatStdoutWould() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try Self.sampleData(in: dir)
        let target = dir.appendingPathComponent("we.nft")
        let args = ["export", "AzureCloud.westeurope", "Storage.WestEurope", "--aggregate", "--format", "nft", "--name", "azure_we", "--data", data]
        let toFile = try Self.stag(args + ["-o", target.path])
        #expect(toFile.status == 0 && toFile.stdout.isEmpty)
        let stdout = try Self.stag(args).stdout
        #expect(try String(contentsOf: target, encoding: .utf8) == stdout)
        #expect(stdout.contains("set azure_we_v4 {") && stdout.contains("add element inet azst azure_we_v6 {"))
        let attributes = try FileManager.default.attributesOfItem(atPath: target.path)
        #expect((attributes[.posixPermissions] as? Int ?? 0) & 0o044 != 0, "the file should be readable like a normally created one")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)) == [URL(fileURLWithPath: data).lastPathComponent, "we.nft"])
    }
}
