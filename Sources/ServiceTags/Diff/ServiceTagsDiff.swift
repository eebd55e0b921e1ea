/// What changed from one ServiceTags file (OLD) to another (NEW), tag by tag.
///
/// Two comparisons (`Mode`):
/// - `.exact`: per tag, the prefixes listed in NEW and not in OLD (`added`) and the reverse
///   (`removed`), compared as sets of prefix values (order and duplicates in the files do not
///   matter); plus metadata and per-tag `changeNumber` changes.
/// - `.addressSpace`: per tag, the addresses gained and lost, each as its minimal CIDR cover. A tag
///   whose prefixes changed but whose addresses did not ("a /23 split into two /24s") is
///   *re-expressed*: listed in `tags` with `isReexpressed`, but not a difference (`isDifference`).
///
/// Invariants: `tags` is sorted by name in byte (UTF-8) order and holds one entry for every
/// selected tag that differs in any way (added, removed, prefixes, metadata or changeNumber), in
/// either mode; `added`/`removed` are sorted ascending and duplicate-free. The files' top-level
/// `changeNumber` is reported in `old`/`new` but is never itself a difference.
public struct ServiceTagsDiff: Sendable {
    /// Exact prefix values, or address space.
    public enum Mode: Sendable, Hashable {
        case exact
        case addressSpace
    }

    /// The header of one side.
    public struct Side: Sendable, Hashable {
        public var cloud: String
        public var changeNumber: Int?

        public init(cloud: String, changeNumber: Int?) {
            self.cloud = cloud
            self.changeNumber = changeNumber
        }
    }

    public let mode: Mode
    public let old: Side
    public let new: Side
    /// Every selected tag that differs in any way, sorted by name (byte order).
    public let tags: [TagDiff]
    /// Things that look wrong in the pair of files (warnings for the user), in tag order, the
    /// file-level ones first.
    public let anomalies: [DiffAnomaly]
    /// Addresses gained and lost over the union of the selected tags (in either mode).
    public let addresses: AddressChange

    public init(mode: Mode, old: Side, new: Side, tags: [TagDiff], anomalies: [DiffAnomaly],
                addresses: AddressChange = AddressChange()) {
        self.mode = mode
        self.old = old
        self.new = new
        self.tags = tags
        self.anomalies = anomalies
        self.addresses = addresses
    }

    /// The entries that are differences in this mode (what the JSON lists and the exit code counts).
    /// - Complexity: O(D) for D entries in `tags`.
    public var differences: [TagDiff] { tags.filter { $0.isDifference } }

    /// Whether anything differs in this mode.
    /// - Complexity: O(D).
    public var hasDifferences: Bool { tags.contains { $0.isDifference } }

    /// Counts over `differences`, plus the re-expressed tags of an address-space diff.
    /// - Complexity: O(D).
    public var summary: Summary {
        var s = Summary()
        for tag in tags {
            if tag.isReexpressed { s.tagsReexpressed += 1 }
            guard tag.isDifference else { continue }
            switch tag.status {
            case .added: s.tagsAdded += 1
            case .removed: s.tagsRemoved += 1
            case .changed: s.tagsChanged += 1
            }
            s.prefixesAdded += tag.added.count
            s.prefixesRemoved += tag.removed.count
        }
        return s
    }

    /// Totals as in the JSON `summary`.
    public struct Summary: Sendable, Hashable {
        public var tagsAdded = 0
        public var tagsRemoved = 0
        public var tagsChanged = 0
        public var prefixesAdded = 0
        public var prefixesRemoved = 0
        /// Address-space mode only: tags whose prefixes changed with no change of coverage.
        public var tagsReexpressed = 0

        public init() {}
    }
}

/// One tag's changes.
///
/// Invariants: `added` and `removed` are disjoint, sorted and duplicate-free. For `.added` every
/// prefix of NEW is in `added` (its minimal cover in address-space mode) and `removed` is empty;
/// `.removed` mirrors it. `metadata` is empty unless the status is `.changed`.
public struct TagDiff: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case added, removed, changed
    }

    public let name: String
    public let status: Status
    /// The tag's `changeNumber` in OLD and NEW (`nil` when the tag or the key is absent).
    public let oldChangeNumber: Int?
    public let newChangeNumber: Int?
    /// Exact mode: prefixes listed only in NEW. Address space: minimal cover of the addresses gained.
    public let added: PrefixList
    /// Exact mode: prefixes listed only in OLD. Address space: minimal cover of the addresses lost.
    public let removed: PrefixList
    /// Metadata fields whose value changed, in `MetadataChange.Field` order.
    public let metadata: [MetadataChange]
    /// Whether the tag's set of listed prefixes changed (exact comparison, in either mode).
    public let prefixesChanged: Bool
    /// Whether the diff is by address space (so `added`/`removed` are covers).
    public let isAddressSpace: Bool

    public init(name: String, status: Status, oldChangeNumber: Int?, newChangeNumber: Int?,
                added: PrefixList, removed: PrefixList, metadata: [MetadataChange],
                prefixesChanged: Bool, isAddressSpace: Bool) {
        self.name = name
        self.status = status
        self.oldChangeNumber = oldChangeNumber
        self.newChangeNumber = newChangeNumber
        self.added = added
        self.removed = removed
        self.metadata = metadata
        self.prefixesChanged = prefixesChanged
        self.isAddressSpace = isAddressSpace
    }

    /// Whether the per-tag `changeNumber` differs between the files.
    public var changeNumberChanged: Bool { oldChangeNumber != newChangeNumber }

    /// Whether this entry counts as a difference. Exact mode: always (entries exist only for
    /// differing tags). Address space: a tag that appeared or disappeared, or whose coverage changed;
    /// metadata and changeNumber alone are not address space.
    public var isDifference: Bool {
        !isAddressSpace || status != .changed || !added.isEmpty || !removed.isEmpty
    }

    /// Address space only: prefixes changed but the addresses covered did not.
    public var isReexpressed: Bool {
        isAddressSpace && status == .changed && prefixesChanged && added.isEmpty && removed.isEmpty
    }
}

/// Prefixes of both families, each list sorted ascending (address, then length) and duplicate-free;
/// IPv4 comes first wherever the two are printed as one list.
public struct PrefixList: Sendable, Hashable {
    public var ipv4: [IPv4Prefix]
    public var ipv6: [IPv6Prefix]

    public init(ipv4: [IPv4Prefix] = [], ipv6: [IPv6Prefix] = []) {
        self.ipv4 = ipv4
        self.ipv6 = ipv6
    }

    public var count: Int { ipv4.count + ipv6.count }
    public var isEmpty: Bool { ipv4.isEmpty && ipv6.isEmpty }

    /// Both families as one list, IPv4 first (the CLI's order).
    /// - Complexity: O(n).
    public var all: [IPPrefix] {
        var out: [IPPrefix] = []
        out.reserveCapacity(count)
        for p in ipv4 { out.append(.v4(p)) }
        for p in ipv6 { out.append(.v6(p)) }
        return out
    }
}
