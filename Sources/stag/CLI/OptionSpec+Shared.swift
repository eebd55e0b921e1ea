import ServiceTags
import StagOptions
import StagOptions

/// The options several commands take, spelt once: commands list these in their specs and read
/// them back through `ParsedArguments.has/value/all`, which take an `OptionSpec`, never a string,
/// so a misspelt option is a compile error rather than a silent `false`.
///
/// `--json` and `--cloud` are in `StagOptions`, beside the fetch options that use them.
///
/// A command may give a shared option its own help (`tag.with(help:)`); the name, and so the
/// lookup, stays the same.
extension OptionSpec {
    static let data = OptionSpec(name: "--data", kind: .value, valueName: "PATH",
                                 help: "ServiceTags JSON file, compiled index (stag compile), or - for standard input (default: $STAG_DATA, then the newest fetched file)",
                                 values: .files)
    static let tag = OptionSpec(name: "--tag", kind: .repeatable, valueName: "NAME",
                                help: "only these tags: exact names or shell globs such as 'Storage.*' (repeatable)", values: .tags)
    static let output = OptionSpec(name: "--output", short: "-o", kind: .value, valueName: "FILE",
                                   help: "write to FILE atomically instead of standard output", values: .files)
    static let threads = OptionSpec(name: "--threads", kind: .value, valueName: "N",
                                    help: "worker threads for large input (default: the number of cores; 1: single-threaded)")

    // What `stag export` and `stag diff --format` share: the lists and objects they write.
    static let exclude = OptionSpec(name: "--exclude", kind: .repeatable, valueName: "TAG",
                                    help: "take away this tag's address space (repeatable; globs allowed)", values: .tags)
    static let ipv4 = OptionSpec(name: "--ipv4", kind: .flag, help: "IPv4 prefixes only")
    static let ipv6 = OptionSpec(name: "--ipv6", kind: .flag, help: "IPv6 prefixes only")
    static let aggregate = OptionSpec(name: "--aggregate", kind: .flag, help: "merge to the minimal exact CIDR cover (never adds an address)")
    static let objectName = OptionSpec(name: "--name", kind: .value, valueName: "NAME",
                                 help: "base name of the set, list, group or rule (default: from the tag names)")
    static let maxEntries = OptionSpec(name: "--max-entries", kind: .value, valueName: "N",
                                       help: "entries per object, overriding the target's limit")

    /// The firewall rule options (`FirewallRule.Option`), by the option they stand for.
    static func rule(_ option: FirewallRule.Option, helpPrefix prefix: String = "") -> OptionSpec {
        switch option {
        case .direction: OptionSpec(name: option.flag, kind: .value, valueName: "DIR", help: prefix + "rules: outbound (default) or inbound",
                                    values: .words(FirewallRule.Direction.allCases.map(\.rawValue)))
        case .transport: OptionSpec(name: option.flag, kind: .value, valueName: "PROTO", help: prefix + "rules: tcp, udp, icmp or any (default)",
                                    values: .words(FirewallRule.Transport.allCases.map(\.rawValue)))
        case .port: OptionSpec(name: option.flag, kind: .value, valueName: "LIST",
                               help: prefix + "rules: ports such as 443, 80,443 or 5000-5100 (remote port outbound, local inbound; tcp or udp)")
        case .action: OptionSpec(name: option.flag, kind: .value, valueName: "ACTION", help: prefix + "rules: allow (default) or block",
                                 values: .words(FirewallRule.Action.allCases.map(\.rawValue)))
        case .profile: OptionSpec(name: option.flag, kind: .value, valueName: "PROFILE",
                                  help: prefix + "powershell rules: any (default), domain, private or public",
                                  values: .words(FirewallRule.Profile.allCases.map(\.rawValue)))
        case .chain: OptionSpec(name: option.flag, kind: .value, valueName: "NAME",
                                help: prefix + "nft, iptables, ip6tables: the chain (default BASE_out or BASE_in)")
        }
    }

    /// The same option with other help text.
    func with(help: String) -> OptionSpec {
        var o = self
        o.help = help
        return o
    }
}
