import Foundation
@testable import ServiceTags
import Testing

/// Names valid for each target, derived deterministically, and untrusted tag names kept out of
/// scripts.
@Suite struct ExportNamingTests {
    static func list(_ tags: [String]) -> ExportList {
        ExportList(tags: tags, v4: [SetTesting.v4("192.0.2.0/24")], v6: [SetTesting.v6("2001:db8::/48")])
    }

    static func names(_ list: ExportList, _ format: any ExportFormat, _ options: ExportOptions = ExportOptions()) throws -> [String] {
        try Exporter.plan(list, for: format, options: options).objects.map(\.name)
    }

    @Test func namesGetFamilySuffixesWhereTheTargetSplitsFamilies() throws {
        let l = Self.list(["AzureCloud.westeurope"])
        #expect(try Self.names(l, NftFormat()) == ["AzureCloud.westeurope_v4", "AzureCloud.westeurope_v6"])
        #expect(try Self.names(l, CiscoASAFormat()) == ["AzureCloud.westeurope"])
        #expect(try Self.names(l, MikroTikFormat()) == ["AzureCloud.westeurope", "AzureCloud.westeurope"])
        #expect(try Self.names(l, AzureIPGroupFormat()) == ["AzureCloud.westeurope"])
        #expect(try Self.names(l, TerraformFormat()) == ["AzureCloud_westeurope_v4", "AzureCloud_westeurope_v6"])
        #expect(try Self.names(l, NftFormat(), ExportOptions(name: "azure_we")) == ["azure_we_v4", "azure_we_v6"])
    }

    @Test func longTagNamesAreCutWithAHashToFitIpset() throws {
        let long = "Dynamics365ForMarketingEmail.AustraliaSoutheast"          // 47 characters, the longest real one
        let other = "Dynamics365ForMarketingEmail.AustraliaSoutheastX"
        let a = try Self.names(Self.list([long]), IpsetFormat()), b = try Self.names(Self.list([other]), IpsetFormat())
        #expect(a.allSatisfy { $0.utf8.count + 2 <= 31 })
        #expect(a[0].hasPrefix("Dynamics365ForMarketi_") && a[0].utf8.count == 29 && a[0].hasSuffix("_v4") && a[1].hasSuffix("_v6"))
        #expect(a != b)
        #expect(try Self.names(Self.list([long]), IpsetFormat()) == a)
        let text = ExportFixtures.text(try Exporter.export(Self.list([long]), as: IpsetFormat()))
        #expect(text.hasPrefix("# Azure service tags: \(long)\n"))
    }

    /// A glob or many-tag selection: the common stem and a hash of the whole list, at most 40
    /// characters before suffixes; the comments still list every tag; `--name` still wins.
    @Test func manyTagsGetAShortStemAndHashName() throws {
        let storage = (0..<60).map { "Storage.Region\($0)" }
        let names = try Self.names(Self.list(storage), NftFormat())
        #expect(names.count == 2 && names.allSatisfy { $0.hasPrefix("Storage.Region_") && $0.utf8.count == "Storage.Region_0000_v4".utf8.count })
        let base = try #require(Exporter.plan(Self.list(storage), for: NftFormat(), options: ExportOptions()).baseName)
        #expect(base.utf8.count <= 40)
        // Another list with the same stem gets another hash.
        #expect(try Self.names(Self.list(Array(storage.dropLast())), NftFormat()) != names)
        #expect(try Self.names(Self.list(["Alpha.One.Long.Name.Here", "Beta.Two.Longer.Name.There"]), NftFormat())[0].hasPrefix("tags_"))
        #expect(try Self.names(Self.list(storage), NftFormat(), ExportOptions(name: "corp")) == ["corp_v4", "corp_v6"])
        let text = ExportFixtures.text(try Exporter.export(Self.list(storage), as: NftFormat()))
        for tag in storage { #expect(text.contains(tag), "\(tag) missing from the comments") }
        // Short joins stay as they were.
        #expect(try Self.names(Self.list(["B", "A"]), CiscoASAFormat()) == ["A_B"])
        // Every target still gets a valid name (ipset's 31 characters cut the stem further).
        for format in ExportFormats.all where format.traits.nameRule != nil {
            let plan = try Exporter.plan(Self.list(storage), for: format, options: ExportOptions())
            #expect(plan.baseName.map { $0.utf8.count <= 40 } ?? false, "\(format.id): \(plan.baseName ?? "-")")
        }
    }

    @Test func derivedNamesStartWithAnAllowedCharacter() throws {
        #expect(try Self.names(Self.list(["1Tag"]), NftFormat()) == ["t1Tag_v4", "t1Tag_v6"])
        #expect(try Self.names(Self.list(["B", "A"]), NftFormat()) == ["A_B_v4", "A_B_v6"])
    }

    @Test(arguments: [
        ("ipset", "abcdefghijklmnopqrstuvwxyz12"),  // 28 + _v4 + _n = 33 > 31
        ("nft", "1abc"),                            // leading digit
        ("nft", "a b"),                             // space
        ("azure-ipgroup", "group."),                // must end with a letter, digit or _
        ("aws-prefix-list", "com.amazonaws.x"),     // reserved
        ("cisco-ios", "_list"),                     // must start with a letter
        ("terraform", "a.b"),                       // identifiers have no dot
        ("powershell", "tab\there"),                // control character
    ])
    func explicitNamesTheTargetRejectsAreErrors(_ id: String, _ name: String) throws {
        let format = try #require(ExportFormats.named(id))
        #expect {
            try Exporter.export(Self.list(["A"]), as: format, options: ExportOptions(name: name))
        } throws: { error in
            guard case .invalidName(let n, let f, _) = error as? ExportError else { return false }
            return n == name && f == id
        }
    }

    @Test func powerShellQuotesNamesItsOwnWay() throws {
        let text = ExportFixtures.text(try Exporter.export(Self.list(["A"]), as: PowerShellFormat(), options: ExportOptions(name: "Bob's Azure rule")))
        #expect(text.contains("$group = 'Bob''s Azure rule'\n"))
        #expect(text.contains("    'Bob''s Azure rule' = @(\n"))
    }

    @Test func plainListsHaveNoNamesAndNoRoomToSplit() throws {
        #expect(throws: ExportError.nameNotApplicable(format: "txt")) { try Exporter.export(Self.list(["A"]), as: TextFormat(), options: ExportOptions(name: "x")) }
        #expect(throws: ExportError.tooManyEntries(format: "paloalto-edl", count: 2, limit: 1)) {
            try Exporter.export(Self.list(["A"]), as: PaloAltoEDLFormat(), options: ExportOptions(maxEntries: 1))
        }
        #expect(throws: ExportError.invalidLimit(0)) { try Exporter.export(Self.list(["A"]), as: NftFormat(), options: ExportOptions(maxEntries: 0)) }
    }

    static let hostile = "x\"; Remove-Item -Recurse C:\\ ; \""

    @Test func untrustedTagNamesNeverReachAScript() throws {
        for format in ExportFormats.all where format.traits.writesScript {
            #expect(throws: ExportError.unsafeText(Self.hostile, format: format.id)) { try Exporter.export(Self.list([Self.hostile]), as: format) }
            let excluded = ExportList(tags: ["A"], excluded: ["bad\nline"], v4: [SetTesting.v4("192.0.2.0/24")], v6: [])
            #expect(throws: ExportError.unsafeText("bad\nline", format: format.id)) { try Exporter.export(excluded, as: format) }
        }
    }

    @Test func untrustedTagNamesAreEscapedInDataFormats() throws {
        let json = ExportFixtures.text(try Exporter.export(Self.list([Self.hostile]), as: JSONFormat()))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(root["tags"] as? [String] == [Self.hostile])
        let arm = ExportFixtures.text(try Exporter.export(Self.list([Self.hostile]), as: AzureIPGroupFormat(), options: ExportOptions(name: "safe")))
        let template = try #require(try JSONSerialization.jsonObject(with: Data(arm.utf8)) as? [String: Any])
        #expect((template["metadata"] as? [String: Any])?["serviceTags"] as? [String] == [Self.hostile])
        // Derived names replace what the target does not allow.
        #expect(try Self.names(Self.list([Self.hostile]), TerraformFormat()).allSatisfy { $0.utf8.allSatisfy { ASCIISet.safeName.contains($0) } })
    }
}

extension ExportNamingTests {
    @Test func longTagListsWrapInComments() throws {
        let tags = (0..<40).map { "Storage.Region\($0)" }
        let text = ExportFixtures.text(try Exporter.export(Self.list(tags), as: IpsetFormat(), options: ExportOptions(name: "s")))
        let comments = text.split(separator: "\n").filter { $0.hasPrefix("#") }
        #expect(comments.count > 5 && comments.allSatisfy { $0.utf8.count <= ExportComments.width })
        let listed = comments.joined(separator: " ").replacingOccurrences(of: "# Azure service tags: ", with: "").replacingOccurrences(of: "#  ", with: "")
        #expect(listed.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) } == tags.sorted())
    }
}
