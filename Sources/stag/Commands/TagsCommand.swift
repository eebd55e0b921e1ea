import ServiceTags

/// `stag tags [--data PATH] [--region R] [--service S] [--feature F] [--json]`
enum TagsCommand {
    static let command = Command(
        name: "tags",
        summary: "List the service tags with their region, system service, network features, change number and prefix counts.",
        usage: "stag tags [--data PATH] [--region R] [--service S] [--feature F] [--json]",
        options: [
            DataSource.option,
            OptionSpec(name: "--region", kind: .value, valueName: "R", help: "only tags of this region; \"\" selects global tags"),
            OptionSpec(name: "--service", kind: .value, valueName: "S", help: "only tags of this system service"),
            OptionSpec(name: "--feature", kind: .value, valueName: "F", help: "only tags with this network feature (API, NSG, UDR, FW, VSE)"),
            Command.json,
        ],
        details: """
        Filters are exact, case-insensitive, and combine with AND. Tags are sorted by name.
        --json: {"cloud","changeNumber","tags":[{"name","id","region","regionId","systemService",
        "networkFeatures","changeNumber","ipv4","ipv6"}]} (absent metadata is null).

        Exit status: 0 if any tag is listed, 1 if no tag matches the filters, 2 on error.
        """,
        run: run)

    static func run(_ args: ParsedArguments) throws(CLIError) -> Int32 {
        if let extra = args.positionals.first { throw CLIError.usage("tags", "unexpected argument '\(extra)'") }
        let file = try DataSource.load(args.value("--data"))
        let region = args.value("--region")?.lowercased()
        let service = args.value("--service")?.lowercased()
        let feature = args.value("--feature")?.lowercased()
        let tags = file.tags.filter { t in
            (region == nil || t.region.lowercased() == region)
                && (service == nil || t.systemService.lowercased() == service)
                && (feature == nil || (t.networkFeatures ?? []).contains { $0.lowercased() == feature })
        }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        let out = Output.standardOutput
        if args.has("--json") {
            let items = tags.map { t in
                JSONText.object([
                    ("name", JSONText.string(t.name)), ("id", JSONText.string(t.id)),
                    ("region", JSONText.string(t.region)), ("regionId", JSONText.number(t.regionId)),
                    ("systemService", JSONText.string(t.systemService)),
                    ("networkFeatures", JSONText.optionalStrings(t.networkFeatures)),
                    ("changeNumber", JSONText.number(t.changeNumber)),
                    ("ipv4", String(Set(t.ipv4).count)), ("ipv6", String(Set(t.ipv6).count)),
                ])
            }
            out.line(JSONText.object([("cloud", JSONText.string(file.cloud)), ("changeNumber", JSONText.number(file.changeNumber)),
                                      ("tags", JSONText.array(items))]))
        } else {
            var rows = [["NAME", "REGION", "SERVICE", "FEATURES", "CHANGE", "IPV4", "IPV6"]]
            for t in tags {
                rows.append([t.name, t.region.isEmpty ? "-" : t.region, t.systemService.isEmpty ? "-" : t.systemService,
                             t.networkFeatures.map { $0.isEmpty ? "-" : $0.joined(separator: ",") } ?? "-",
                             t.changeNumber.map(String.init) ?? "-", String(Set(t.ipv4).count), String(Set(t.ipv6).count)])
            }
            for line in TextTable.align(rows) { out.line(line) }
        }
        out.flush()
        return tags.isEmpty ? ExitCode.notFound : ExitCode.success
    }
}
