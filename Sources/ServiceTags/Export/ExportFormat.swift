/// One export target: how it writes a full list and, if it has one, its incremental syntax.
///
/// **The rule for data text.** A tag name, region or any other string from a downloaded file is
/// untrusted. It may appear in a generated script or config only inside a comment or a quoted
/// string that the target's parser cannot leave: checked against the target's safe characters
/// first (`ExportTraits.writesScript`: `A-Z a-z 0-9 . _ -`, so no quote, escape, separator or line
/// break), and never at the start of a line (comments wrap with a marker on every line,
/// `ExportComments`). Line-oriented targets read lines into fixed buffers and run what overflows as
/// the next command, so every line is checked against `ExportTraits.lineLimit` after writing; an
/// export that cannot keep to these rules is refused, never written.
///
/// A format only writes text. Everything target-independent happens before it is called, in
/// `Exporter.plan`: normalising the entries to the target's form, splitting by family, chunking at
/// the entry limit and naming each object by the target's rules. So each format is a small file.
public protocol ExportFormat: Sendable {
    /// The `--format` value, e.g. `nft`.
    var id: String { get }
    /// One line for `stag export --help`.
    var summary: String { get }
    var traits: ExportTraits { get }
    /// Writes the full list: loading it replaces what an earlier full list of the same names loaded.
    func writeFull(_ plan: ExportPlan, to out: inout ExportText)
    /// Writes the changes that turn the old full list into the new one. Only called when
    /// `traits.supportsDelta`.
    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText)
}

extension ExportFormat {
    public func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        preconditionFailure("\(id) has no incremental syntax")
    }

    /// The full list as bytes; see `Exporter.export`.
    public func full(_ list: ExportList, options: ExportOptions = ExportOptions()) throws(ExportError) -> ExportResult {
        try Exporter.export(list, as: self, options: options)
    }

    /// The changes from `old` to `new` as bytes; see `Exporter.exportDelta`.
    public func delta(from old: ExportList, to new: ExportList, options: ExportOptions = ExportOptions()) throws(ExportError) -> ExportResult {
        try Exporter.exportDelta(from: old, to: new, as: self, options: options)
    }
}

/// What the exporter must know about a target.
public struct ExportTraits: Sendable {
    public enum Families: Sendable, Equatable {
        /// One object may hold both families.
        case mixed
        /// One object per family; `suffix` adds `_v4`/`_v6` to the names (false where the family
        /// lives in the command, as MikroTik's `/ip` and `/ipv6` menus).
        case split(suffix: Bool)
        /// IPv4 only; IPv6 prefixes are left out with a warning.
        case ipv4Only
    }

    public var families: Families
    /// Entries per object; nil when the target documents no fixed limit. `--max-entries` overrides.
    public var entryLimit: Int?
    /// Object names; nil for plain lists (txt, csv, json, EDL), which are one object.
    public var nameRule: ExportNameRule?
    public var supportsDelta: Bool
    /// Whether an object is declared even when empty (nft and ipset sets match nothing when empty;
    /// elsewhere an empty object is either invalid or means "any", so it is left out).
    public var keepsEmptyObjects: Bool
    /// Whether entries must not overlap (nft interval sets reject overlaps).
    public var needsDisjointEntries: Bool
    /// Whether `/0` must be split into two `/1` (ipset's hash:net rejects it).
    public var rejectsZeroLength: Bool
    /// Whether tag names are written into a script (then they must be safe text).
    public var writesScript: Bool
    /// The longest line, in bytes without the newline, the target's reader takes whole; nil for
    /// targets that read their input as a whole (JSON, HCL, PowerShell). Each format cites its
    /// limit; `Exporter` refuses an output with a longer line (`ExportError.lineTooLong`).
    public var lineLimit: Int?
    /// The rule options (`FirewallRule.Option`) the format writes; empty for formats that write
    /// address lists only, which refuse every rule option (`ExportError.ruleNotApplicable`).
    public var ruleOptions: Set<FirewallRule.Option>
    /// Whether the format writes its rule without any rule option given (PowerShell and iptables
    /// are rules; nft writes a chain only when asked).
    public var rulesByDefault: Bool
    /// What the target accepts as a chain name, for formats that put their rules in a chain.
    public var chainRule: ExportNameRule?

    public init(families: Families, entryLimit: Int? = nil, nameRule: ExportNameRule? = nil, supportsDelta: Bool = false,
                keepsEmptyObjects: Bool = false, needsDisjointEntries: Bool = false, rejectsZeroLength: Bool = false,
                writesScript: Bool = false, lineLimit: Int? = nil, ruleOptions: Set<FirewallRule.Option> = [],
                rulesByDefault: Bool = false, chainRule: ExportNameRule? = nil) {
        self.families = families
        self.entryLimit = entryLimit
        self.nameRule = nameRule
        self.supportsDelta = supportsDelta
        self.keepsEmptyObjects = keepsEmptyObjects
        self.needsDisjointEntries = needsDisjointEntries
        self.rejectsZeroLength = rejectsZeroLength
        self.writesScript = writesScript
        self.lineLimit = lineLimit
        self.ruleOptions = ruleOptions
        self.rulesByDefault = rulesByDefault
        self.chainRule = chainRule
    }
}

/// Options that apply to every format.
public struct ExportOptions: Sendable {
    /// The base object name (`--name`); derived from the tag names when nil.
    public var name: String?
    /// Entries per object (`--max-entries`), overriding the target's limit.
    public var maxEntries: Int?
    /// The nftables table holding the sets.
    public var nftTable: String
    /// The rule options given (`--direction`, `--protocol`, ...); nil when none was given.
    public var rule: FirewallRule?

    public init(name: String? = nil, maxEntries: Int? = nil, nftTable: String = "azst", rule: FirewallRule? = nil) {
        self.name = name
        self.maxEntries = maxEntries
        self.nftTable = nftTable
        self.rule = rule
    }
}

/// An export's bytes and the warnings to show the user.
public struct ExportResult: Sendable {
    public var bytes: [UInt8]
    public var warnings: [String]
}

/// Every format, in the order `--help` lists them.
public enum ExportFormats {
    public static let all: [any ExportFormat] = [
        TextFormat(), CSVFormat(), JSONFormat(), NftFormat(), IpsetFormat(), PowerShellFormat(), AzureIPGroupFormat(),
        PaloAltoEDLFormat(), FortiGateFormat(), CiscoIOSFormat(), CiscoASAFormat(), JuniperFormat(), MikroTikFormat(),
        AWSPrefixListFormat(), TerraformFormat(), IptablesFormat(family: .ipv4), IptablesFormat(family: .ipv6),
    ]

    /// The formats that write rules (take `--direction`, `--protocol`, `--port`, `--action`), in
    /// `--help` order.
    public static var ruleWriters: [String] { all.filter { !$0.traits.ruleOptions.isEmpty }.map(\.id) }

    /// The format with this `--format` value.
    public static func named(_ id: String) -> (any ExportFormat)? { all.first { $0.id == id } }
}
