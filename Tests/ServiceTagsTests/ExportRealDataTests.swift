@testable import ExportTargetModels
@testable import ServiceTags
import Testing

/// The issue's examples on the real weekly files (skipped, `.realData`, when absent).
@Suite(.tags(.realData)) struct ExportRealDataTests {
    static let new = "ServiceTags_Public_20251028.json"
    static let old = "ServiceTags_Public_20251013.json"

    @Test(.realData(new)) func azureCloudAggregatesToTheKnownCounts() throws {
        guard let file = ExportFixtures.realFile(Self.new, for: "ExportRealDataTests") else { return }
        let raw = try ExportList(file, selecting: ExportSelection(include: [TagPattern("AzureCloud")]))
        #expect(raw.v4.count == 9_585 && raw.v6.count == 3_495)
        let merged = try ExportList(file, selecting: ExportSelection(include: [TagPattern("AzureCloud")], aggregate: true))
        #expect(merged.v4.count == 1_860 && merged.v6.count == 1_346)
        #expect(IPSet(merged.v4.map(IPPrefix.v4) + merged.v6.map(IPPrefix.v6)) == IPSet(raw.v4.map(IPPrefix.v4) + raw.v6.map(IPPrefix.v6)))
    }

    @Test(.realData(new)) func theIssueExamplesProduceValidOutput() throws {
        guard let file = ExportFixtures.realFile(Self.new, for: "ExportRealDataTests") else { return }
        // stag export AzureCloud --exclude AzureFrontDoor.Backend --ipv4 --format azure-ipgroup
        let selection = ExportSelection(include: [TagPattern("AzureCloud")], exclude: [TagPattern("AzureFrontDoor.Backend")], families: .ipv4)
        let list = try ExportList(file, selecting: selection)
        let cloud = try #require(file.tags.first { $0.name == "AzureCloud" }), afd = try #require(file.tags.first { $0.name == "AzureFrontDoor.Backend" })
        #expect(PrefixSet(list.v4) == PrefixSet(cloud.ipv4).subtracting(PrefixSet(afd.ipv4)))
        let model = TargetModels.model(for: "azure-ipgroup")
        try model.run(ExportFixtures.text(try Exporter.export(list, as: AzureIPGroupFormat())))
        #expect(model.objects.values.allSatisfy { $0.count <= 5_000 } && model.objects.values.reduce(0) { $0 + $1.count } == list.v4.count)
        // stag export AzureResourceManager --format powershell --name 'Allow Azure Resource Manager'
        let arm = try ExportList(file, selecting: ExportSelection(include: [TagPattern("AzureResourceManager")]))
        let ps = TargetModels.model(for: "powershell")
        try ps.run(ExportFixtures.text(try Exporter.export(arm, as: PowerShellFormat(), options: ExportOptions(name: "Allow Azure Resource Manager"))))
        #expect(ps.objects.values.reduce(0) { $0 + $1.count } == arm.count)
        #expect(ps.objects.keys.allSatisfy { $0.hasPrefix("Allow Azure Resource Manager") })
    }

    /// How many chunks a real weekly change rewrites, for each chunked target (printed; the
    /// bound checked is that chunks which did not change keep their names).
    @Test(.realData(old, new)) func aRealWeeklyChangeRewritesOnlyTheChunksItTouches() throws {
        guard let a = ExportFixtures.realFile(Self.old, for: "ExportRealDataTests"),
              let b = ExportFixtures.realFile(Self.new, for: "ExportRealDataTests") else { return }
        for (format, aggregate) in [(AWSPrefixListFormat() as any ExportFormat, false), (PowerShellFormat(), false), (AWSPrefixListFormat(), true)] {
            let selection = ExportSelection(include: [TagPattern("AzureCloud")], aggregate: aggregate)
            let delta = try Exporter.deltaPlan(from: ExportList(a, selecting: selection), to: ExportList(b, selecting: selection), for: format, options: ExportOptions())
            let changed = delta.changes.filter { $0.kind == .changed }.count
            print("ExportRealDataTests: AzureCloud\(aggregate ? " aggregated" : "") as \(format.id): \(delta.new.objects.count) chunks, \(changed) changed, "
                  + "\(delta.changes.count - changed) created or deleted")
            for change in delta.changes where change.kind == .changed {
                #expect(change.old?.count ?? 0 > 0 && change.new?.count ?? 0 > 0)
            }
            #expect(delta.changes.count < delta.new.objects.count, "\(format.id): every chunk changed")
        }
    }
}
