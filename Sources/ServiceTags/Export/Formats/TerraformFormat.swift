/// `terraform`: a `.tfvars.json` file with one variable, a map from object name to CIDR list:
///
///     {
///       "AzureCloud": {
///         "AzureCloud_v4": [
///           "20.33.0.0/16"
///         ],
///         "AzureCloud_v6": [
///           "2603:1000::/40"
///         ]
///       }
///     }
///
/// Meant for `for_each` (stable keys, so a weekly change touches only the resources whose chunk
/// changed; `count` over a list would shift every later index). Families are split, since most
/// cloud resources take one family per rule. No default limit: pass `--max-entries` for the
/// resource you feed (5,000 for an IP Group, 4,000 per NSG direction, 1,000 for an AWS prefix
/// list). Terraform computes its own diff, so there is no delta. The variable is the base name;
/// names are identifiers (letters, digits, `_`, `-`, not starting with a digit or `-`), so the
/// `.` of tag names becomes `_`.
struct TerraformFormat: ExportFormat {
    var id: String { "terraform" }
    var summary: String { "Terraform variables (.tfvars.json): map of name to CIDR list, for for_each" }
    var traits: ExportTraits { ExportTraits(families: .split(suffix: true), nameRule: Self.names) }

    static let names = ExportNameRule(maxLength: 255, allowed: .alphanumerics.union(ASCIISet("_-")),
                                      allowedFirst: ASCIISet.letters.union(ASCIISet("_")),
                                      summary: "an identifier: A-Z a-z 0-9 _ -, starting with a letter or _")

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        out.line("{")
        out.write("  ")
        out.write(jsonString: plan.baseName ?? "")
        out.line(": {")
        for (i, object) in plan.objects.enumerated() {
            out.write("    ")
            out.write(jsonString: object.name)
            out.line(": [")
            var k = 0
            for p in object.v4 {
                out.write("      "); out.write(jsonPrefix: p); k += 1
                out.line(k < object.count ? "," : "")
            }
            for p in object.v6 {
                out.write("      "); out.write(jsonPrefix: p); k += 1
                out.line(k < object.count ? "," : "")
            }
            out.line(i + 1 < plan.objects.count ? "    ]," : "    ]")
        }
        out.line("  }")
        out.line("}")
    }
}
