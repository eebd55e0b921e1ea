import ServiceTags

/// What `stag grep` looks up per address: whether the deepest combined-index node containing it
/// lists one of the `--tag` tags (a bool per node, computed once; the node's answer list holds
/// every tag containing the address, so this is exactly "inside the union of the tags"), and, for
/// `--with-tags` and `--json`, which of those tags, sorted by name.
///
/// Immutable after `init`, shared by every worker.
final class GrepSelection: @unchecked Sendable {
    let index: TagIndex
    let selectedTag: [Bool]
    let selected4: [Bool]
    let selected6: [Bool]
    /// Whether each IPv4 block of 4,096 addresses is inside, outside or mixed: a 256 KiB table
    /// that answers most IPv4 addresses without probing the index.
    let blocks4: BlockVerdicts
    /// The IPv6 addresses inside the tags, as ranges (a binary search instead of a deep probe).
    let ranges6: SelectedRanges<IPv6Address>
    /// Each tag's position in the byte order of names (to sort tag IDs by name as integers).
    let nameRank: [Int32]
    /// Tag names by `TagID`.
    let names: [String]

    init(index: TagIndex, tags: [TagID]) {
        self.index = index
        // Metadata, not `index.tags`: that decodes a compiled index's prefix lists, and each read
        // of it takes a lock (it was a tenth of a 100,000-line grep, inside a sort of the names).
        names = index.tagMetadata.map(\.name)
        var selectedTag = Array(repeating: false, count: names.count)
        for t in tags { selectedTag[Int(t)] = true }
        self.selectedTag = selectedTag
        selected4 = index.ipv4.nodesAnswering(selectedTag)
        selected6 = index.ipv6.nodesAnswering(selectedTag)
        blocks4 = BlockVerdicts(index: index.ipv4, selected: selected4)
        ranges6 = SelectedRanges(index: index.ipv6, selected: selected6)
        nameRank = TagNameOrder.ranks(names)
    }

    /// A node key over both families: IPv4 nodes first, then IPv6 nodes; -1 for none.
    @inline(__always)
    func selectedNode(_ address: IPAddress) -> Int {
        switch address {
        case .v4(let a):
            guard let n = index.ipv4.node(containing: a), selected4[Int(n)] else { return -1 }
            return Int(n)
        case .v6(let a):
            guard let n = index.ipv6.node(containing: a), selected6[Int(n)] else { return -1 }
            return selected4.count + Int(n)
        }
    }

    /// Whether `address` is inside the selected tags: `selectedNode(address) >= 0`, answered from
    /// `blocks4` where an IPv4 address's block is not mixed, and from `ranges6` for IPv6.
    @inline(__always)
    func isSelected(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a):
            switch blocks4.verdict(a) {
            case .inside: return true
            case .outside: return false
            case .mixed: return selectedNode(address) >= 0
            }
        case .v6(let a):
            return ranges6.contains(a)
        }
    }

    var nodeCount: Int { selected4.count + selected6.count }

    /// The selected tags listed by node `key`, sorted by name.
    func tags(ofNode key: Int) -> [TagID] {
        let answers = key < selected4.count ? index.ipv4.matches(of: UInt32(key)).map(\.tag)
                                            : index.ipv6.matches(of: UInt32(key - selected4.count)).map(\.tag)
        return answers.filter { selectedTag[Int($0)] }.sorted { nameRank[Int($0)] < nameRank[Int($1)] }
    }

    /// `A,B` (`--with-tags`; names escaped for the terminal) or `["A","B"]` (JSON).
    func render(_ tags: [TagID], json: Bool) -> String {
        let names = tags.map { self.names[Int($0)] }
        return json ? JSONText.strings(names) : names.map(HumanText.escaped).joined(separator: ",")
    }
}
