import ServiceTags
import StagOptions

/// `stag tags [PATTERN...] [--data PATH] [--region R] [--service S] [--feature F] [--json]`
enum TagsCommand {
    static let command = Command(
        name: "tags",
        summary: "List the service tags with their region, system service, network features, change number and prefix counts.",
        usage: "stag tags [PATTERN...] [--data PATH] [--region R] [--service S] [--feature F] [--json]",
        options: [.data, region, service, feature, .json],
        details: """
        Arguments:
          PATTERN   tag names or shell globs such as 'Storage.*' (quote them): only those tags;
                    a name or glob that selects no tag is an error, with near names

        Filters are exact, case-insensitive, and combine with AND (with the PATTERNs too). A
        value that no tag has is an error that suggests near values (--region "" is always
        valid: the global tags). Tags are sorted by name.
        --json: {"cloud","changeNumber","tags":[{"name","id","region","regionId","systemService",
        "networkFeatures","changeNumber","ipv4","ipv6"}]} (absent metadata is null).

        Exit status: 0 if any tag is listed, 1 if no tag matches the filters, 2 on error.
        """,
        run: { args throws(CLIError) in try run(Options(args)) }, operands: .tags)

    static let region = OptionSpec(name: "--region", kind: .value, valueName: "R", help: "only tags of this region; \"\" selects global tags")
    static let service = OptionSpec(name: "--service", kind: .value, valueName: "S", help: "only tags of this system service")
    static let feature = OptionSpec(name: "--feature", kind: .value, valueName: "F",
                                    help: "only tags with this network feature (API, NSG, UDR, FW, VSE)",
                                    values: .words(["API", "NSG", "UDR", "FW", "VSE"]))

    /// What `stag tags` was asked, parsed once; the filter values lower-cased.
    struct Options {
        var data: String?
        var patterns: TagSelection
        var region, service, feature: String?
        var json: Bool

        init(_ args: ParsedArguments) {
            data = args.value(.data)
            patterns = TagSelection(texts: args.positionals)
            region = args.value(TagsCommand.region)?.lowercased()
            service = args.value(TagsCommand.service)?.lowercased()
            feature = args.value(TagsCommand.feature)?.lowercased()
            json = args.has(.json)
        }
    }

    static func run(_ options: Options) throws(CLIError) -> Int32 {
        let file = try DataSource.load(options.data)
        let names = file.tags.map(\.name)
        let selected: [Int]
        do { selected = try options.patterns.positions(in: names) } catch { throw CLIError("tags: \(error)") }
        let region = try checked(options.region, what: "region", known: file.tags.map(\.region), emptyIsValid: true)
        let service = try checked(options.service, what: "system service", known: file.tags.map(\.systemService))
        let feature = try checked(options.feature, what: "network feature", known: file.tags.flatMap { $0.networkFeatures ?? [] })
        let tags = selected.map { file.tags[$0] }.filter { t in
            (region == nil || t.region.lowercased() == region)
                && (service == nil || t.systemService.lowercased() == service)
                && (feature == nil || (t.networkFeatures ?? []).contains { $0.lowercased() == feature })
        }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        let out = Output.standardOutput
        if options.json {
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

    /// A filter's (lower-cased) value, checked against the values the file has: a value no tag has
    /// is most likely a typo, so it is an error with near values rather than an empty list.
    /// `--region ""` (global tags) is always valid.
    static func checked(_ value: String?, what: String, known: [String], emptyIsValid: Bool = false) throws(CLIError) -> String? {
        guard let value else { return nil }
        if (emptyIsValid && value.isEmpty) || known.contains(where: { $0.lowercased() == value }) { return value }
        let distinct = Set(known.filter { !$0.isEmpty }).sorted()
        let near = NearNames.suggestions(for: value, in: distinct)
        throw CLIError("tags: no tag has \(what) '\(value)'"
            + (near.isEmpty ? "" : "; did you mean " + near.map { "'\($0)'" }.joined(separator: ", ") + "?"))
    }
}
