#if canImport(Glibc)
import Glibc
#endif
import ServiceTags

/// `stag grep [--data PATH] --tag NAME... [-v] [--json] [FILE...]`
enum GrepCommand {
    static let command = Command(
        name: "grep",
        summary: "Print the input lines that contain an address inside the given tags (-v: that do not).",
        usage: "stag grep [--data PATH] --tag NAME... [-v] [--json] [FILE...]",
        options: [
            DataSource.option,
            OptionSpec(name: "--tag", kind: .repeatable, valueName: "NAME",
                       help: "a tag name or glob such as 'Storage.*' (repeatable, at least one)"),
            OptionSpec(name: "--invert-match", short: "-v", kind: .flag,
                       help: "print the lines with no address inside the tags instead"),
            Command.json,
        ],
        details: """
        Arguments:
          FILE   files to read (default: standard input; - also means standard input)

        Addresses are found in each line as in logs and configs: IPv4 (also a.b.c.d:port) and IPv6
        (also [v6]:port), parsed strictly; IPv4-mapped IPv6 counts as IPv4. A line is selected if
        any of its addresses is inside the union of the tags. With several files each line is
        prefixed with its file name, as grep does.
        --json: one object per selected line, {"file","lineNumber","line","addresses":[...]} with
        the line's addresses that are inside the tags.

        Exit status: 0 if any line was selected, 1 if none, 2 on error.
        """,
        run: run)

    static func run(_ args: ParsedArguments) throws(CLIError) -> Int32 {
        let patterns = args.all("--tag").map(TagPattern.init)
        if patterns.isEmpty { throw CLIError.usage("grep", "give at least one --tag NAME (or glob)") }
        let files = args.positionals.isEmpty ? ["-"] : args.positionals
        if files.filter({ $0 == "-" }).count > 1 { throw CLIError.usage("grep", "standard input (-) can be read only once") }
        if files.contains("-") && args.value("--data") == "-" {
            throw CLIError.usage("grep", "standard input cannot carry both the data (--data -) and the lines to search")
        }
        let file = try DataSource.load(args.value("--data"))
        var prefixes: [IPPrefix] = []
        for pattern in patterns {
            let selected = file.tags.filter { pattern.matches($0.name) }
            if selected.isEmpty {
                if pattern.isGlob { throw CLIError("grep: no tag matches '\(pattern)'") }
                throw LookupCommand.unknownTag(pattern.text, file.tags)
            }
            for tag in selected { prefixes += tag.ipv4.map(IPPrefix.v4) + tag.ipv6.map(IPPrefix.v6) }
        }
        let space = IPSet(prefixes)
        let invert = args.has("--invert-match"), json = args.has("--json")
        let out = Output.standardOutput
        var selectedAny = false
        for name in files {
            let fd = name == "-" ? 0 : open(name, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw CLIError("grep: \(name): \(String(cString: strerror(errno)))") }
            defer { if fd != 0 { close(fd) } }
            let label = name == "-" ? "(standard input)" : name
            var reader = LineReader(fd: fd, beforeRead: { out.flush() })
            var lineNumber = 0
            while let line = reader.next() {
                lineNumber += 1
                let inside = AddressExtractor.addresses(in: line).filter { space.contains($0) }
                guard inside.isEmpty == invert else { continue }
                selectedAny = true
                if json {
                    out.line(JSONText.object([
                        ("file", JSONText.string(label)), ("lineNumber", String(lineNumber)), ("line", JSONText.string(line)),
                        ("addresses", JSONText.strings(inside.map(\.description))),
                    ]))
                } else {
                    out.line(files.count > 1 ? label + ":" + line : line)
                }
            }
            if let error = reader.error { throw CLIError("grep: \(label): \(error)") }
        }
        if !out.flush() { throw CLIError("grep: cannot write to standard output") }
        return selectedAny ? ExitCode.success : ExitCode.notFound
    }
}
