import ServiceTags
import StagOptions

/// `stag export TAG... [--data PATH] [--exclude TAG]... [--ipv4 | --ipv6] [--aggregate] [--format FMT]
/// [--name NAME] [--max-entries N] [-o FILE]`
enum ExportCommand {
    static let command = Command(
        name: "export",
        summary: "Write the prefixes of one or more tags as a list or a firewall/cloud import file.",
        usage: "stag export TAG... [--data PATH] [--exclude TAG]... [--ipv4 | --ipv6] [--aggregate] [--format FMT] [--name NAME] [--max-entries N] [-o FILE]\n"
            + "       [--direction outbound|inbound] [--protocol tcp|udp|icmp|any] [--port LIST] [--action allow|block] [--profile P] [--chain NAME]",
        options: [.data, .exclude, .ipv4, .ipv6, .aggregate, format, .objectName, .maxEntries, .output, OptionSpec.json.with(help: "same as --format json")]
            + ruleOptionSpecs(),
        details: details(),
        run: { args throws(CLIError) in try run(Options(args)) }, operands: .tags)

    static let format = OptionSpec(name: "--format", kind: .value, valueName: "FMT", help: "output format (default txt; see below)",
                                   values: .words(ExportFormats.all.map(\.id)))

    static func details() -> String {
        let width = ExportFormats.all.map(\.id.count).max() ?? 0
        var s = """
        Arguments:
          TAG   a tag name (AzureCloud.westeurope) or a glob (Storage.*); the union is exported

        Without --exclude or --aggregate the prefixes are listed as the tags list them (sorted, IPv4
        first, without duplicates); with either, the minimal CIDR cover of the remaining addresses.
        Lists longer than a target's limit are split into chunks cut where the prefixes' hashes say
        (not at fixed counts), so a small weekly change rewrites few chunks. Names are BASE, BASE_v4
        and BASE_v6 for targets that keep families apart, plus _XXXX per chunk.

        Formats:

        """
        for f in ExportFormats.all {
            s += "  " + f.id + String(repeating: " ", count: width - f.id.count + 2) + f.summary + "\n"
        }
        s += """

        Firewall rules (powershell, nft, iptables, ip6tables): --direction outbound|inbound
        (default outbound), --protocol tcp|udp|icmp|any (default any), --port LIST (443, 80,443,
        5000-5100: the remote port of an outbound rule, the local port of an inbound one; needs tcp
        or udp), --action allow|block (default allow), --profile any|domain|private|public
        (powershell only, default any), --chain NAME (nft and iptables; default BASE_out or
        BASE_in). Other formats refuse these options.
          powershell  every rule gets -Direction -Protocol -RemotePort|-LocalPort -Action -Profile
                      -Enabled True, on New-NetFirewallRule and, for rules that exist, on
                      Set-NetFirewallRule, so a rerun converges. An outbound rule matches
                      -RemotePort: -LocalPort 443 on an outbound rule restricts the client's
                      source port. --protocol icmp needs --ipv4 or --ipv6 (ICMPv4 or ICMPv6).
          nft         with any rule option, a base chain (hook output or input, policy accept) in
                      the same table and file, flushed and refilled: 'ip daddr @SET tcp dport
                      { 443 } accept' per set ('saddr' inbound, 'drop' for block). nftables runs
                      every base chain, so an accept here does not override a drop elsewhere.
          iptables    an 'iptables-restore --noflush' file (ip6tables: the IPv6 sets) whose rules
                      match the sets '--format ipset' writes for the same TAGs and options; load
                      the ipset file first. The file declares its chain, which flushes it, and
                      refills it, so a reload never duplicates a rule. A restore file cannot add
                      the jump from OUTPUT or INPUT idempotently, so that is a one-time command
                      given in the file's header (iptables -C ... || iptables -I ...). With
                      --max-entries, ipset cannot destroy a vanished chunk while a rule uses it:
                      apply the ipset delta, the iptables file, then the ipset delta again.

        Deltas (stag diff OLD NEW --format FMT) are safe to rerun for nft (removed elements are
        added then deleted in one transaction, a set whose old and new elements overlap is
        refilled), ipset (-exist), iptables (the chain is rewritten whole) and powershell (every
        rule behind an existence check). Not safe to rerun: aws-prefix-list (adding an entry twice
        fails), fortigate, cisco-ios, cisco-asa, juniper and mikrotik deltas are meant to be applied
        once on top of the full list they follow; load the full list to recover.

        Exit status: 0 on success; 2 on error (unknown tag, a name the target rejects, an empty
        selection), and then no output file is written.
        """
        return s
    }

    static func run(_ options: Options) throws(CLIError) -> Int32 {
        // Opened before the data is read: a bad target fails fast, and a run interrupted while it
        // reads (`--data -`) removes its temporary file (see `AtomicFile`).
        let output = try options.output.map { path throws(CLIError) in try AtomicFile(path: path, command: "export") }
        let file = try DataSource.load(options.data)
        let result: ExportResult
        do {
            let list = try ExportList(file, selecting: options.selection)
            result = try Exporter.export(list, as: options.format, options: options.export)
        } catch {
            throw CLIError("export: \(error)")
        }
        for warning in result.warnings { warn(warning) }
        if let output {
            try output.write(result.bytes)
            try output.commit()
        } else {
            let out = Output.standardOutput
            out.write(bytes: result.bytes)
            if !out.flush() { throw CLIError("export: cannot write to standard output") }
        }
        return ExitCode.success
    }

    static func format(_ args: ParsedArguments) throws(CLIError) -> any ExportFormat {
        let requested = args.value(format)
        if args.has(.json), let requested, requested != "json" {
            throw CLIError.usage("export", "--json and --format \(requested) exclude each other")
        }
        let id = requested ?? (args.has(.json) ? "json" : "txt")
        guard let format = ExportFormats.named(id) else {
            let near = NearNames.suggestions(for: id, in: ExportFormats.all.map(\.id), limit: 1)
            throw CLIError.usage("export", "unknown format '\(id)'" + (near.first.map { " (did you mean '\($0)'?)" } ?? "")
                + "; one of " + ExportFormats.all.map(\.id).joined(separator: ", "))
        }
        return format
    }
}
