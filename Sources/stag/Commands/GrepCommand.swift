#if canImport(Glibc)
import Glibc
#endif
import ServiceTags
import StagOptions

/// `stag grep [--data PATH] --tag NAME... [-v] [-c] [-n] [-o] [-q] [-H | -h] [--with-tags] [--json] [FILE...]`
enum GrepCommand {
    static let command = Command(
        name: "grep",
        summary: "Print the input lines that contain an address inside the given tags (-v: that do not).",
        usage: "stag grep [--data PATH] --tag NAME... [-v] [-c] [-n] [-o] [-q] [-H | -h] [--with-tags] [--json] [--threads N] [FILE...]",
        options: [
            .data, OptionSpec.tag.with(help: "a tag name or glob such as 'Storage.*' (repeatable, at least one)"),
            invert, count, lineNumber, onlyMatching, quiet, withFilename, noFilename, withTags, .json, .threads,
        ],
        details: """
        Arguments:
          FILE   files to read (default: standard input; - also means standard input)

        Addresses are found in each line as in logs and configs: IPv4 (also a.b.c.d:port) and IPv6
        (also [v6]:port), parsed strictly; IPv4-mapped IPv6 counts as IPv4. A line is selected if
        any of its addresses is inside the union of the tags. With several files each line is
        prefixed with its file name, as grep does (-H: always, -h: never). As in grep, -o with -n
        or a file name prefixes each address, -c counts lines (not addresses), and -v with -o
        prints nothing. -o output is one address per line: it can be piped to 'stag lookup -'.
        --json: one object per selected line, {"file","lineNumber","line","addresses":[{"address",
        "tags":[...]}]} with the line's addresses inside the tags and their tags sorted by name.

        Exit status: 0 if any line was selected, 1 if none, 2 on error (an unreadable file is
        reported and the others are still searched; with -q a selected line still exits 0).
        """,
        run: { args throws(CLIError) in try run(Options(args)) }, operands: .files)

    static let invert = OptionSpec(name: "--invert-match", short: "-v", kind: .flag, help: "select the lines with no address inside the tags instead")
    static let count = OptionSpec(name: "--count", short: "-c", kind: .flag, help: "print only the number of selected lines (per file)")
    static let lineNumber = OptionSpec(name: "--line-number", short: "-n", kind: .flag, help: "prefix each output line with its line number")
    static let onlyMatching = OptionSpec(name: "--only-matching", short: "-o", kind: .flag,
                                         help: "print only the addresses inside the tags, one per line, as written")
    static let quiet = OptionSpec(name: "--quiet", short: "-q", kind: .flag, help: "print nothing; exit 0 at the first selected line")
    static let withFilename = OptionSpec(name: "--with-filename", short: "-H", kind: .flag, help: "prefix each output line with its file name")
    static let noFilename = OptionSpec(name: "--no-filename", short: "-h", kind: .flag, help: "never prefix file names")
    static let withTags = OptionSpec(name: "--with-tags", kind: .flag, help: "append a tab and the matching tags' names (comma-separated, sorted)")

    /// What `stag grep` was asked, parsed and checked once, before any data is read.
    struct Options {
        var data: String?
        var tags: TagSelection
        var files: [String]
        var threads: Int
        var output: GrepOptions

        init(_ args: ParsedArguments) throws(CLIError) {
            tags = TagSelection(texts: args.all(.tag))
            if tags.selectsAll { throw CLIError.usage("grep", "give at least one --tag NAME (or glob)") }
            if args.has(GrepCommand.withFilename) && args.has(GrepCommand.noFilename) {
                throw CLIError.usage("grep", "-H (--with-filename) and -h (--no-filename) contradict each other")
            }
            files = args.positionals.isEmpty ? ["-"] : args.positionals
            data = args.value(.data)
            if files.filter({ $0 == "-" }).count > 1 { throw CLIError.usage("grep", "standard input (-) can be read only once") }
            if files.contains("-") && data == "-" {
                throw CLIError.usage("grep", "standard input cannot carry both the data (--data -) and the lines to search")
            }
            threads = try StreamOptions.threadCount(args, command: "grep")
            output = GrepCommand.grepOptions(args, files: files)
        }
    }

    static func run(_ o: Options) throws(CLIError) -> Int32 {
        let files = o.files, threads = o.threads, options = o.output
        let index = try DataSource.loadIndex(o.data)
        let selected = try LookupCommand.selectedTags(o.tags, index.tagMetadata, command: "grep")?.map { TagID($0) } ?? []
        let selection = GrepSelection(index: index, tags: selected)
        let out = Output.standardOutput
        let pipeline = BlockPipeline(threads: threads, blockSize: 1 << 20) { GrepProcessor(selection: selection, options: options) }
        defer { pipeline.close() }
        var selectedAny = false, failed = false
        for (i, name) in files.enumerated() {
            let fd = name == "-" ? 0 : open(name, O_RDONLY | O_CLOEXEC)
            if fd < 0 { report(name, errno); failed = true; continue }
            defer { if fd != 0 { close(fd) } }
            var count = 0
            let failure = pipeline.run(fd: fd, input: i, beforeRead: { out.flush() }) { block in
                count += block.selected
                if options.mode == .quiet { return block.selected == 0 }
                out.write(block: block)
                return true
            }
            if count > 0 { selectedAny = true }
            if let failure { report(name, failure); failed = true }
            if options.mode == .quiet && selectedAny { return ExitCode.success }
            if options.mode == .count {
                if options.showNames { out.write(raw: options.labels[i]); out.write(":") }
                out.line(String(count))
            }
        }
        if !out.flush() { throw CLIError("grep: cannot write to standard output") }
        return failed ? ExitCode.failure : selectedAny ? ExitCode.success : ExitCode.notFound
    }

    static func grepOptions(_ args: ParsedArguments, files: [String]) -> GrepOptions {
        var o = GrepOptions()
        o.mode = args.has(quiet) ? .quiet : args.has(count) ? .count : args.has(.json) ? .json
            : args.has(onlyMatching) ? .onlyMatching : .lines
        o.invert = args.has(invert)
        o.lineNumbers = args.has(lineNumber)
        o.withTags = args.has(withTags)
        o.showNames = args.has(withFilename) || (files.count > 1 && !args.has(noFilename))
        for name in files {
            let label = name == "-" ? "(standard input)" : name
            o.labels.append(Array(label.utf8))
            o.labelsJSON.append(Array(JSONText.string(label).utf8))
        }
        return o
    }

    /// An input that cannot be read: said on stderr, and the others are still searched (as grep does).
    static func report(_ name: String, _ error: Int32) {
        Output.standardOutput.flush()
        let label = name == "-" ? "(standard input)" : HumanText.escaped(name)
        Output.standardError.line(HumanText.sanitized("stag: grep: \(label): \(String(cString: strerror(error)))"))
        Output.standardError.flush()
    }
}
