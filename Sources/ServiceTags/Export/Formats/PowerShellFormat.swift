/// `powershell`: Windows Firewall rules via the NetSecurity cmdlets, one rule per chunk.
///
/// Full list (MS Learn New-NetFirewallRule / Set-NetFirewallRule: `-RemoteAddress` takes a
/// `String[]` of addresses, CIDR subnets of both families mixed): a table of rule names and
/// addresses, then each rule is updated with `Set-NetFirewallRule` if it exists, else created with
/// `New-NetFirewallRule` in a rule group named after the base name, both with the whole rule
/// (`parameters`: direction, protocol, port, action, profile, enabled), so loading it again, or
/// with other rule options, converges; rules of that group not in the table (chunks that
/// disappeared) are removed. Chunks hold at most 1,000 addresses (DigitalRuby/IPBan's
/// `MaxIpAddressesPerRule`).
///
/// Delta: only the rules whose chunk changed or appeared are written, each with its complete new
/// address list, through the same existence check; vanished chunks are removed if present. A
/// read-modify-write of `Get-NetFirewallAddressFilter` would have to match Windows' rewritten text
/// (it returns `10.0.0.0/255.255.0.0` for `10.0.0.0/16`, dsccommunity/NetworkingDsc #404);
/// writing the known chunk is exact and idempotent.
///
/// Names are printable ASCII in single quotes, with `'` doubled (PowerShell's escaping in
/// single-quoted strings); no rule is ever written with an empty address list, which would mean
/// "any address".
struct PowerShellFormat: ExportFormat {
    var id: String { "powershell" }
    var summary: String { "Windows Firewall rules (New-/Set-NetFirewallRule), 1,000 addresses per rule" }
    var traits: ExportTraits {
        ExportTraits(families: .mixed, entryLimit: 1_000, nameRule: Self.names, supportsDelta: true, writesScript: true,
                     ruleOptions: [.direction, .transport, .port, .action, .profile], rulesByDefault: true)
    }

    /// Printable ASCII without the wildcard characters `* ? [ ]` and the wildcard escape `` ` ``:
    /// `Get-`, `Set-` and `Remove-NetFirewallRule` take `-Name`, `-DisplayName` and `-Group` as
    /// patterns ("Wildcard characters are accepted", MS Learn NetSecurity), so a rule named `corp*`
    /// would let this script change or delete every rule whose name starts with `corp`.
    static let nameCharacters = ASCIISet(range: 0x20...0x7E).subtracting(ASCIISet("*?[]`"))
    static let names = ExportNameRule(maxLength: 255, allowed: nameCharacters, allowedFirst: nameCharacters.subtracting(ASCIISet(" ")),
                                      allowedLast: nameCharacters.subtracting(ASCIISet(" ")),
                                      summary: "1-255 printable ASCII characters without * ? [ ] ` (wildcards), not starting or ending with a space")

    /// A single-quoted PowerShell string.
    static func quoted(_ s: String) -> String {
        "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        ExportComments.full(plan.list, marker: "# ", to: &out)
        prologue(plan, to: &out)
        upsert(plan.objects, plan, to: &out)
        out.line("Get-NetFirewallRule -Group $group -ErrorAction SilentlyContinue | Where-Object { -not $rules.Contains($_.Name) } | Remove-NetFirewallRule")
    }

    /// Every changed or new rule is written whole through the same existence check as the full
    /// list, and vanished rules are removed only if present, so the delta can run twice, or on a
    /// machine that already has the new rules, and leave exactly the new rules.
    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        ExportComments.delta(delta, marker: "# ", to: &out)
        prologue(delta.new, to: &out)
        let written = delta.changes.compactMap { $0.kind == .deleted ? nil : $0.new }
        if !written.isEmpty { upsert(written, delta.new, to: &out) }
        for change in delta.changes where change.kind == .deleted {
            out.line("Get-NetFirewallRule -Name \(Self.quoted(change.name)) -ErrorAction SilentlyContinue | Remove-NetFirewallRule")
        }
    }

    func prologue(_ plan: ExportPlan, to out: inout ExportText) {
        if let rule = plan.rule, !rule.ports.isEmpty {
            out.line(rule.direction == .outbound ? Self.remotePortNote : Self.localPortNote)
        }
        out.line("$ErrorActionPreference = 'Stop'")
        out.line("$group = " + Self.quoted(plan.baseName ?? ""))
    }

    static let remotePortNote = """
    # Outbound rules match -RemotePort, the server's port. The local port of an outbound connection
    # is the client's ephemeral source port, so -LocalPort 443 on an outbound rule (as Microsoft's
    # Azure Local guidance writes it) would restrict the source port and match almost nothing.
    """
    static let localPortNote = "# Inbound rules match -LocalPort, the port this machine listens on (the remote port is the client's)."

    /// The table of rules, then each one updated in place if it exists (`Set-NetFirewallRule`
    /// with every rule parameter, so a rerun converges on the options given) or created.
    func upsert(_ objects: [ExportObject], _ plan: ExportPlan, to out: inout ExportText) {
        let rule = plan.rule ?? FirewallRule()
        out.line("$rules = [ordered]@{")
        for object in objects {
            out.line("    " + Self.quoted(object.name) + " = @(")
            addresses(object.v4, object.v6, indent: "        ", to: &out)
            out.line("    )")
        }
        out.line("}")
        out.line("foreach ($name in $rules.Keys) {")
        out.line("    if (Get-NetFirewallRule -Name $name -ErrorAction SilentlyContinue) {")
        out.line("        Set-NetFirewallRule -Name $name " + Self.parameters(rule, plan.list.families, setting: true) + " -RemoteAddress $rules[$name]")
        out.line("    } else {")
        out.line("        New-NetFirewallRule -Name $name -DisplayName $name -Group $group " + Self.parameters(rule, plan.list.families, setting: false)
                 + " -RemoteAddress $rules[$name] | Out-Null")
        out.line("    }")
        out.line("}")
    }

    /// `-Direction Outbound -Protocol TCP -RemotePort 443 -Action Allow -Profile Any -Enabled True`
    /// (MS Learn New-NetFirewallRule / Set-NetFirewallRule: `-Direction Inbound|Outbound`,
    /// `-Protocol TCP|UDP|ICMPv4|ICMPv6|Any`, `-LocalPort`/`-RemotePort` a port, list or range
    /// for TCP and UDP only, `-Action Allow|Block`, `-Profile Any|Domain|Private|Public`,
    /// `-Enabled True`). `-Protocol` comes before the ports (INetFwRule: the protocol must be set
    /// before the ports). When `setting` an existing TCP or UDP rule, the port parameter not in use
    /// is reset to `Any`, so a rule first loaded with the other direction does not keep its port.
    static func parameters(_ rule: FirewallRule, _ families: ExportFamilies, setting: Bool) -> String {
        var s = "-Direction " + (rule.direction == .outbound ? "Outbound" : "Inbound")
        switch rule.transport {
        case .any: s += " -Protocol Any"
        case .tcp: s += " -Protocol TCP"
        case .udp: s += " -Protocol UDP"
        case .icmp: s += families == .ipv6 ? " -Protocol ICMPv6" : " -Protocol ICMPv4"
        }
        if rule.transport == .tcp || rule.transport == .udp {
            let outbound = rule.direction == .outbound
            if setting {
                s += " -LocalPort " + (outbound ? "Any" : ports(rule)) + " -RemotePort " + (outbound ? ports(rule) : "Any")
            } else if !rule.ports.isEmpty {
                s += (outbound ? " -RemotePort " : " -LocalPort ") + ports(rule)
            }
        }
        s += " -Action " + (rule.action == .allow ? "Allow" : "Block")
        switch rule.profile {
        case .any: s += " -Profile Any"
        case .domain: s += " -Profile Domain"
        case .private: s += " -Profile Private"
        case .public: s += " -Profile Public"
        }
        return s + " -Enabled True"
    }

    /// `443`, `80,443,'5000-5100'` (a range quoted: it is one string), or `Any` for every port.
    static func ports(_ rule: FirewallRule) -> String {
        if rule.ports.isEmpty { return "Any" }
        return rule.ports.map { $0.isSinglePort ? String($0.lower) : "'\($0.lower)-\($0.upper)'" }.joined(separator: ",")
    }

    /// One quoted address per line: inside `@( )` newlines separate the elements.
    func addresses(_ v4: ArraySlice<IPv4Prefix>, _ v6: ArraySlice<IPv6Prefix>, indent: String, to out: inout ExportText) {
        for p in v4 { out.write(indent); out.write("'"); out.write(p); out.line("'") }
        for p in v6 { out.write(indent); out.write("'"); out.write(p); out.line("'") }
    }
}
