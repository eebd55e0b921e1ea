import ServiceTags
import StagOptions

/// `stag suggest [--data PATH]... [--json] ADDRESS... | -`: the narrowest set of tags allowing
/// every observed address (`TagSuggestion`).
enum SuggestCommand {
    static let command = Command(
        name: "suggest",
        summary: "Suggest the narrowest set of service tags that allows every observed address.",
        usage: "stag suggest [--data PATH]... [--json] ADDRESS... | -",
        options: [OptionSpec.severalData, OptionSpec.json],
        details: """
        Arguments:
          ADDRESS   an observed IPv4 or IPv6 address (IPv4-mapped IPv6 counts as IPv4), or a prefix
                    such as 20.62.130.0/24, meaning all of its addresses: only a tag containing the
                    whole prefix covers it
          -         read them from standard input, one per line (e.g. from 'stag grep -o'); blank
                    lines and lines starting with # are skipped
        The same address given twice counts once.

        The choice minimises the IPv4 addresses the chosen tags allow (the sum of their sizes),
        then the IPv6 addresses, then the number of tags. A tag is dominated when another covers
        every observed address it covers with no more space (of interchangeable tags, the first
        is kept); with at most 20 candidate tags left after dropping dominated ones the answer is
        exact, beyond that greedy (least space per newly covered address); the output says which
        ("method", and "candidates": how many were left).

        Output: advice such as "allow Storage.WestEurope (12 addresses, 0.2 M IPv4) and
        AzureMonitor (3, 1.1 M) instead of AzureCloud (47.8 M)", where "instead of" names the
        single tag covering every covered address with the least space, then one line per chosen
        tag and the addresses no tag covers. --json: {"addresses":N,"covered":N,"uncovered":[...],
        "ipv4Addresses":N,"ipv6Addresses":"N","method":"exact"|"greedy","tags":[{"name","covers":N,
        "ipv4Addresses":N,"ipv6Addresses":"N"}],"insteadOf":{...}|null}; the totals count the
        addresses the chosen tags allow together (their union), IPv6 counts are decimal strings.
        With several --data (one per cloud) each tag carries "cloud" (text: [cloud]).

        An invalid address is reported on standard error (as lookup does); the others are still
        used, and the exit status is 2.

        Exit status: 0 every address covered, 1 some address in no tag, 2 error.
        """,
        run: { args throws(CLIError) in try run(Options(args)) })

    /// What `stag suggest` was asked, parsed and checked once, before any file is read.
    struct Options {
        /// The addresses as given (empty with `fromStdin`).
        var inputs: [String]
        var fromStdin: Bool
        /// Every `--data`, in order (none: the default data).
        var data: [String]
        var json: Bool

        init(_ args: ParsedArguments) throws(CLIError) {
            fromStdin = try LookupCommand.addressesFromStandardInput(args, command: "suggest")
            inputs = fromStdin ? [] : args.positionals
            data = args.all(.data)
            json = args.has(.json)
        }
    }

    static func run(_ options: Options) throws(CLIError) -> Int32 {
        let loaded = try DataSource.loadSeveral(options.data, command: "suggest")
        var invalid = false
        var seen = Set<IPPrefix>()
        var observations: [IPPrefix] = []
        func take(_ input: String) {
            do {
                let p = input.contains("/") ? try IPPrefix(parsing: input).unmapped : IPPrefix(address: try IPAddress(parsing: input))
                if seen.insert(p).inserted { observations.append(p) }
            } catch {
                invalid = true
                Output.standardError.line(HumanText.sanitized("stag: suggest: invalid address \(error)"))
                Output.standardError.flush()
            }
        }
        if options.fromStdin {
            try InputLines.forEachInput(fd: 0, command: "suggest", { take($0) }, afterBlock: {})
        } else {
            for input in options.inputs { take(input) }
        }
        let indexes = loaded.map { $0.index?.withJumps() ?? TagIndexBuilder($0.file).finish() }
        let (refs, candidates) = TagSuggestion.candidates(for: observations, in: indexes)
        let suggestion = TagSuggestion(observations: observations.count, candidates: candidates)
        let report = Report(observations: observations, loaded: loaded, indexes: indexes, refs: refs,
                            candidates: candidates, suggestion: suggestion)
        Output.standardOutput.write(options.json ? report.json() : report.text())
        if invalid { return ExitCode.failure }
        return suggestion.uncovered.isEmpty ? ExitCode.success : ExitCode.notFound
    }
}
