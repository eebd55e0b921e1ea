import ServiceTags
import StagOptions

/// `stag info [--data PATH] [--json]`
enum InfoCommand {
    static let command = Command(
        name: "info",
        summary: "Show the data's cloud, change number, tag and prefix counts, and the input file's size and SHA-256.",
        usage: "stag info [--data PATH] [--json]",
        options: [.data, .json],
        details: """
        Prefix counts: entries (as listed, duplicates across tags included), unique (distinct prefixes),
        and unique IPv4 and IPv6.
        --json: {"file","size","sha256","cloud","changeNumber","tags","prefixes":{"entries","unique","ipv4","ipv6"}}
        For a compiled index (stag compile), size and sha256 are those of the JSON file it was
        compiled from, as the index recorded them, and "index":{"bytes","formatVersion"} is added.

        Exit status: 0 on success, 2 on error.
        """,
        run: { args throws(CLIError) in try run(Options(args)) })

    /// What `stag info` was asked, parsed once.
    struct Options {
        var data: String?
        var json: Bool

        init(_ args: ParsedArguments) throws(CLIError) {
            if let extra = args.positionals.first { throw CLIError.usage("info", "unexpected argument '\(extra)'") }
            data = args.value(.data)
            json = args.has(.json)
        }
    }

    static func run(_ options: Options) throws(CLIError) -> Int32 {
        let path = try DataSource.resolve(options.data)
        let (file, digest) = try DataSource.loadHashing(path)
        var unique4 = Set<IPv4Prefix>(), unique6 = Set<IPv6Prefix>()
        var entries = 0
        for t in file.tags {
            entries += t.prefixCount
            unique4.formUnion(t.ipv4)
            unique6.formUnion(t.ipv6)
        }
        let out = Output.standardOutput
        let name = path == "-" ? "<stdin>" : path
        if options.json {
            out.line(JSONText.object([
                ("file", JSONText.string(name)), ("size", String(digest.size)), ("sha256", JSONText.string(digest.sha256)),
                ("cloud", JSONText.string(file.cloud)), ("changeNumber", JSONText.number(file.changeNumber)),
                ("tags", String(file.tags.count)),
                ("prefixes", JSONText.object([("entries", String(entries)), ("unique", String(unique4.count + unique6.count)),
                                              ("ipv4", String(unique4.count)), ("ipv6", String(unique6.count))])),
            ] + (digest.fromIndex.map { [("index", JSONText.object([("bytes", String($0)), ("formatVersion", String(CompiledIndex.formatVersion))]))] } ?? [])))
        } else {
            let recorded = digest.fromIndex == nil ? "" : " (of the source JSON file, recorded in the index)"
            var rows = [
                ["file", name], ["size", "\(digest.size) bytes" + recorded], ["sha256", digest.sha256 + recorded],
                ["cloud", file.cloud], ["changeNumber", file.changeNumber.map(String.init) ?? "-"],
                ["tags", String(file.tags.count)],
                ["prefixes", "\(entries) entries, \(unique4.count + unique6.count) unique (\(unique4.count) IPv4, \(unique6.count) IPv6)"],
            ]
            if let bytes = digest.fromIndex { rows.insert(["index", "compiled index, format version \(CompiledIndex.formatVersion), \(bytes) bytes"], at: 1) }
            for line in TextTable.align(rows) { out.line(line) }
        }
        out.flush()
        return ExitCode.success
    }
}
