/// `powershell`: Windows Firewall rules via the NetSecurity cmdlets, one rule per chunk.
///
/// Full list (MS Learn New-NetFirewallRule / Set-NetFirewallRule: `-RemoteAddress` takes a
/// `String[]` of addresses, CIDR subnets of both families mixed): a table of rule names and
/// addresses, then each rule is updated with `Set-NetFirewallRule` if it exists, else created with
/// `New-NetFirewallRule -Direction Outbound -Action Allow` in a rule group named after the base
/// name; rules of that group not in the table (chunks that disappeared) are removed. Chunks hold
/// at most 1,000 addresses (DigitalRuby/IPBan's `MaxIpAddressesPerRule`).
///
/// Delta: only the rules whose chunk changed are written, each with its complete new address list
/// (`Set-NetFirewallRule`), plus `New-`/`Remove-NetFirewallRule` for chunks that appeared or
/// vanished. A read-modify-write of `Get-NetFirewallAddressFilter` would have to match Windows'
/// rewritten text (it returns `10.0.0.0/255.255.0.0` for `10.0.0.0/16`, dsccommunity/NetworkingDsc
/// #404); writing the known chunk is exact and idempotent.
///
/// Names are printable ASCII in single quotes, with `'` doubled (PowerShell's escaping in
/// single-quoted strings); no rule is ever written with an empty address list, which would mean
/// "any address".
struct PowerShellFormat: ExportFormat {
    var id: String { "powershell" }
    var summary: String { "Windows Firewall rules (New-/Set-NetFirewallRule), 1,000 addresses per rule" }
    var traits: ExportTraits {
        ExportTraits(families: .mixed, entryLimit: 1_000, nameRule: Self.names, supportsDelta: true, writesScript: true)
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
        out.line("$ErrorActionPreference = 'Stop'")
        out.line("$group = " + Self.quoted(plan.baseName ?? ""))
        out.line("$rules = [ordered]@{")
        for object in plan.objects {
            out.line("    " + Self.quoted(object.name) + " = @(")
            addresses(object.v4, object.v6, indent: "        ", to: &out)
            out.line("    )")
        }
        out.line("}")
        out.line("foreach ($name in $rules.Keys) {")
        out.line("    if (Get-NetFirewallRule -Name $name -ErrorAction SilentlyContinue) {")
        out.line("        Set-NetFirewallRule -Name $name -RemoteAddress $rules[$name]")
        out.line("    } else {")
        out.line("        New-NetFirewallRule -Name $name -DisplayName $name -Group $group -Direction Outbound -Action Allow -RemoteAddress $rules[$name] | Out-Null")
        out.line("    }")
        out.line("}")
        out.line("Get-NetFirewallRule -Group $group -ErrorAction SilentlyContinue | Where-Object { -not $rules.Contains($_.Name) } | Remove-NetFirewallRule")
    }

    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        ExportComments.delta(delta, marker: "# ", to: &out)
        out.line("$ErrorActionPreference = 'Stop'")
        out.line("$group = " + Self.quoted(delta.new.baseName ?? ""))
        for change in delta.changes {
            let name = Self.quoted(change.name)
            switch change.kind {
            case .changed:
                guard let object = change.new else { continue }
                out.line("Set-NetFirewallRule -Name \(name) -RemoteAddress @(")
                addresses(object.v4, object.v6, indent: "    ", to: &out)
                out.line(")")
            case .created:
                guard let object = change.new else { continue }
                out.line("New-NetFirewallRule -Name \(name) -DisplayName \(name) -Group $group -Direction Outbound -Action Allow -RemoteAddress @(")
                addresses(object.v4, object.v6, indent: "    ", to: &out)
                out.line(") | Out-Null")
            case .deleted:
                out.line("Remove-NetFirewallRule -Name \(name)")
            }
        }
    }

    /// One quoted address per line: inside `@( )` newlines separate the elements.
    func addresses(_ v4: ArraySlice<IPv4Prefix>, _ v6: ArraySlice<IPv6Prefix>, indent: String, to out: inout ExportText) {
        for p in v4 { out.write(indent); out.write("'"); out.write(p); out.line("'") }
        for p in v6 { out.write(indent); out.write("'"); out.write(p); out.line("'") }
    }
}
