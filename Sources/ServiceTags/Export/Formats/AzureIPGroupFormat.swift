/// `azure-ipgroup`: an ARM deployment template with one `Microsoft.Network/ipGroups` resource per
/// chunk, deployed with `az deployment group create --template-file FILE`.
///
/// Azure Firewall has no IPv6, so IP Groups hold IPv4 only (IPv6 is left out with a warning).
/// 5,000 addresses or prefixes per group (azure-docs `includes/firewall-limits`); an ARM PUT
/// replaces a group's whole list, so there is no delta, and stable chunks keep redeployments
/// small. Names: 1-80 characters, letters, digits, `_ . -`, starting with a letter or digit and
/// ending with a letter, digit or `_` (Microsoft.Network naming rules). Tag names go into the
/// template's `metadata` as JSON strings.
struct AzureIPGroupFormat: ExportFormat {
    var id: String { "azure-ipgroup" }
    var summary: String { "ARM template of Azure Firewall IP Groups (IPv4 only), 5,000 per group" }
    var traits: ExportTraits { ExportTraits(families: .ipv4Only, entryLimit: 5_000, nameRule: Self.names) }

    static let names = ExportNameRule(maxLength: 80, allowed: .safeName, allowedFirst: .alphanumerics,
                                      allowedLast: .alphanumerics.union(ASCIISet("_")),
                                      summary: "1-80 characters from A-Z a-z 0-9 _ . -, starting with a letter or digit, ending with a letter, digit or _")

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        let list = plan.list
        out.line("{")
        out.line("  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",")
        out.line("  \"contentVersion\": \"1.0.0.0\",")
        out.line("  \"metadata\": {")
        out.line("    \"generator\": \"stag\",")
        out.write("    \"serviceTags\": ")
        JSONFormat.strings(list.tags, to: &out)
        out.line(",")
        out.write("    \"excluded\": ")
        JSONFormat.strings(list.excluded, to: &out)
        out.line(",")
        out.line("    \"changeNumber\": " + (list.changeNumber.map(String.init) ?? "null"))
        out.line("  },")
        out.line("  \"parameters\": {")
        out.line("    \"location\": {")
        out.line("      \"type\": \"string\",")
        out.line("      \"defaultValue\": \"[resourceGroup().location]\"")
        out.line("    }")
        out.line("  },")
        out.line("  \"resources\": [")
        for (i, object) in plan.objects.enumerated() {
            out.line("    {")
            out.line("      \"type\": \"Microsoft.Network/ipGroups\",")
            out.line("      \"apiVersion\": \"2023-09-01\",")
            out.write("      \"name\": ")
            out.write(jsonString: object.name)
            out.line(",")
            out.line("      \"location\": \"[parameters('location')]\",")
            out.line("      \"properties\": {")
            out.line("        \"ipAddresses\": [")
            for (k, p) in object.v4.enumerated() {
                out.write("          ")
                out.write(jsonPrefix: p)
                out.line(k + 1 < object.v4.count ? "," : "")
            }
            out.line("        ]")
            out.line("      }")
            out.line(i + 1 < plan.objects.count ? "    }," : "    }")
        }
        out.line("  ]")
        out.line("}")
    }
}
