import Foundation
import Testing

/// `stag tags` end to end (`cli.md`, "stag tags"): exact output on `CLITestData.small`, filters and
/// counts on the README sample against an independent JSONSerialization reading.
@Suite struct TagsCLITests {
    typealias D = CLITestData

    static func tags(_ arguments: [String], stdin: StagCLI.Input = .none) throws -> StagCLI.Result {
        try StagCLI.run(["tags"] + arguments, stdin: stdin)
    }

    @Test func textListsEveryTagSortedByName() throws {
        try D.withSmallFile { data, _ in
            let r = try Self.tags(["--data", data])
            #expect(r.status == 0 && r.stderr.isEmpty)
            #expect(r.stdout == """
            NAME                     REGION      SERVICE         FEATURES        CHANGE  IPV4  IPV6
            AzureCloud               -           -               API,NSG,UDR,FW  7       2     1
            AzureCloud.westeurope    westeurope  -               API,NSG         3       1     1
            AzureFrontDoor.Frontend  -           AzureFrontDoor  API,NSG         1       1     1
            Sql                      -           AzureSQL        API,NSG,UDR,FW  9       1     0
            Storage                  -           AzureStorage    -               5       2     1
            Storage.WestEurope       WestEurope  AzureStorage    NSG             2       2     1

            """)
        }
    }

    @Test func jsonFollowsTheContract() throws {
        try D.withSmallFile { data, _ in
            // Case-insensitive region: "westeurope" and "WestEurope" both match.
            let r = try Self.tags(["--json", "--region", "WESTEUROPE", "--data", data])
            #expect(r.status == 0)
            #expect(r.stdout == #"{"cloud":"Public","changeNumber":42,"tags":["#
                + #"{"name":"AzureCloud.westeurope","id":"AzureCloud.westeurope","region":"westeurope","regionId":18,"systemService":"","networkFeatures":["API","NSG"],"changeNumber":3,"ipv4":1,"ipv6":1},"#
                + #"{"name":"Storage.WestEurope","id":"Storage.WestEurope","region":"WestEurope","regionId":18,"systemService":"AzureStorage","networkFeatures":["NSG"],"changeNumber":2,"ipv4":2,"ipv6":1}]}"#
                + "\n")
            // Absent metadata (the 2019 schema) is null.
            let dir = try StagCLI.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let old = dir.appendingPathComponent("ServiceTags_Public_20190722.json")
            try Data(#"{"changeNumber": 1, "cloud": "Public", "values": [{"name": "A", "id": "A", "properties": {"region": "", "platform": "Azure", "systemService": "", "addressPrefixes": ["192.0.2.0/24"]}}]}"#.utf8).write(to: old)
            let oldRun = try Self.tags(["--json", "--data", old.path])
            #expect(oldRun.stdout == #"{"cloud":"Public","changeNumber":1,"tags":[{"name":"A","id":"A","region":"","regionId":null,"systemService":"","networkFeatures":null,"changeNumber":null,"ipv4":1,"ipv6":0}]}"# + "\n")
        }
    }

    @Test(arguments: [
        [String](), ["--region", "westeurope"], ["--region", "WESTEUROPE"], ["--region", ""], ["--service", "azurestorage"],
        ["--feature", "fw"], ["--region", "eastus", "--service", "AzureSQL"], ["--region", "", "--feature", "UDR"],
        ["--service", "azureeventhub", "--feature", "api"], ["--feature", "NSG", "--region", "NorthEurope", "--service", ""],
    ])
    func filtersCombineWithAndOnTheSample(_ filters: [String]) throws {
        let file = try D.read(D.sample)
        var options: [String: String] = [:]
        for i in stride(from: 0, to: filters.count, by: 2) { options[filters[i]] = filters[i + 1].lowercased() }
        let expected = file.tags.filter { t in
            options["--region"].map { t.region.lowercased() == $0 } ?? true
                && (options["--service"].map { t.systemService.lowercased() == $0 } ?? true)
                && (options["--feature"].map { f in (t.networkFeatures ?? []).contains { $0.lowercased() == f } } ?? true)
        }.sorted { D.byteOrder($0.name, $1.name) }
        #expect(!expected.isEmpty, "each filter set selects something in the sample")

        let r = try Self.tags(filters + ["--json", "--data", D.sample])
        #expect(r.status == 0 && r.stderr.isEmpty)
        let root = try D.json(r.stdout)
        #expect(root["cloud"] as? String == file.cloud && root["changeNumber"] as? Int == file.changeNumber)
        let tags = try #require(root["tags"] as? [[String: Any]])
        #expect(tags.compactMap { $0["name"] as? String } == expected.map(\.name))
        for (json, tag) in zip(tags, expected) {
            #expect(Set(json.keys) == ["name", "id", "region", "regionId", "systemService", "networkFeatures", "changeNumber", "ipv4", "ipv6"])
            #expect(json["id"] as? String == tag.id && json["region"] as? String == tag.region)
            #expect(json["regionId"] as? Int == tag.regionId && json["changeNumber"] as? Int == tag.changeNumber)
            #expect(json["systemService"] as? String == tag.systemService)
            #expect(json["networkFeatures"] as? [String] == tag.networkFeatures)
            #expect(json["ipv4"] as? Int == Set(tag.prefixes.filter { !$0.contains(":") }).count, "\(tag.name)")
            #expect(json["ipv6"] as? Int == Set(tag.prefixes.filter { $0.contains(":") }).count, "\(tag.name)")
        }
        // The text view lists the same tags in the same order.
        let text = try Self.tags(filters + ["--data", D.sample])
        #expect(text.stdout.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != " " }) } == expected.map(\.name))
    }

    @Test func patternsSelectByNameAndCombineWithFilters() throws {
        try D.withSmallFile { data, _ in
            func names(_ arguments: [String]) throws -> [String] {
                let r = try Self.tags(arguments + ["--json", "--data", data])
                #expect(r.status == 0, "\(arguments): \(r.stderr)")
                return (try D.json(r.stdout)["tags"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            }
            #expect(try names(["Storage*"]) == ["Storage", "Storage.WestEurope"])
            #expect(try names(["Sql", "AzureCloud.*"]) == ["AzureCloud.westeurope", "Sql"])
            #expect(try names(["*", "--service", "AzureStorage"]) == ["Storage", "Storage.WestEurope"])
            #expect(try names(["Storage", "Storage*"]) == ["Storage", "Storage.WestEurope"])
            let glob = try Self.tags(["Nope.*", "--data", data])
            #expect(glob.status == 2 && glob.stderr.contains("stag: tags: no tag matches 'Nope.*'"))
        }
    }

    @Test func noMatchExitsOneAndErrorsExitTwo() throws {
        try D.withSmallFile { data, _ in
            // Values that exist, but not together: nothing listed, exit 1.
            let none = try Self.tags(["--region", "westeurope", "--service", "AzureSQL", "--json", "--data", data])
            #expect(none.status == 1 && none.stdout == #"{"cloud":"Public","changeNumber":42,"tags":[]}"# + "\n")
            // A value no tag has is a typo: exit 2 with near values.
            let region = try Self.tags(["--region", "westeurop", "--data", data])
            #expect(region.status == 2 && region.stdout.isEmpty
                    && region.stderr.contains("stag: tags: no tag has region 'westeurop'; did you mean 'WestEurope', 'westeurope'?"))
            let service = try Self.tags(["--service", "AzureSq", "--data", data])
            #expect(service.status == 2 && service.stderr.contains("did you mean 'AzureSQL'?"))
            let feature = try Self.tags(["--feature", "NGS", "--data", data])
            #expect(feature.status == 2 && feature.stderr.contains("no tag has network feature 'ngs'"))
            let unknown = try Self.tags(["Storag", "--data", data])
            #expect(unknown.status == 2 && unknown.stdout.isEmpty && unknown.stderr.contains("stag: tags: unknown tag 'Storag'; did you mean 'Storage'"))
            let bad = try Self.tags(["--regoin", "x", "--data", data])
            #expect(bad.status == 2 && bad.stderr.contains("unknown option '--regoin'") && bad.stderr.contains("'--region'"))
            let missing = try Self.tags(["--data", data, "--region"])
            #expect(missing.status == 2 && missing.stderr.contains("'--region' needs a value"))
            // Data from standard input, options in any order.
            let piped = try Self.tags(["--data", "-", "--json", "--service", "azuresql"], stdin: .bytes(Data(D.small.utf8)))
            #expect(piped.status == 0)
            let names = (try D.json(piped.stdout)["tags"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["Sql"])
        }
    }
}
