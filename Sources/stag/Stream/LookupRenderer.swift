import ServiceTags

/// The bytes `stag lookup -` writes after each address, rendered once per combined-index node.
///
/// Every address whose deepest containing prefix is node `n` gets the same answer list
/// (`FamilyIndex.matches(of: n)`, interned per node), hence the same text rows or JSON tags array.
/// So the per-address cost of the stream is parse + one probe + two copies; rendering (sorting by
/// name, aligning columns, escaping) happens the first time a node is seen, with the same code as
/// the command-line path (`LookupCommand.answerText` / `answerJSON`), so the bytes are identical.
///
/// One renderer per worker thread: no locking. Memory: the fragments of the nodes seen.
final class LookupRenderer {
    let index: TagIndex
    /// Per tag: reported (`--tag`), or nil for every tag.
    let only: [Bool]?
    let json: Bool
    private let cache: FragmentCache
    /// Per node key: whether its answer names a tag (after `--tag`); valid once rendered.
    private var matched: [Bool]
    private let v6Base: Int

    init(index: TagIndex, only: [Bool]?, json: Bool) {
        self.index = index
        self.only = only
        self.json = json
        v6Base = index.ipv4.prefixes.count
        let slots = v6Base + index.ipv6.prefixes.count + 1
        cache = FragmentCache(count: slots)
        matched = Array(repeating: false, count: slots)
    }

    /// A node key: IPv4 node, IPv6 node, or no containing prefix at all.
    enum Node { case v4(UInt32), v6(UInt32), none }

    @inline(__always)
    private func slot(_ node: Node) -> Int {
        switch node {
        case .v4(let n): Int(n)
        case .v6(let n): v6Base + Int(n)
        case .none: matched.count - 1
        }
    }

    /// Appends the node's fragment to `out`; returns whether it names a tag (after `--tag`).
    @inline(__always)
    func append(_ node: Node, to out: ByteBuffer) -> Bool {
        let k = slot(node)
        cache.append(k, to: out) { render(node, k) }
        return matched[k]
    }

    private func render(_ node: Node, _ k: Int) -> String {
        var matches: [TagIndex.Match]
        switch node {
        case .v4(let n): matches = index.ipv4.matches(of: n).map { .init($0.tag, .v4(index.ipv4.prefixes[Int($0.node)])) }
        case .v6(let n): matches = index.ipv6.matches(of: n).map { .init($0.tag, .v6(index.ipv6.prefixes[Int($0.node)])) }
        case .none: matches = []
        }
        if let only { matches.removeAll { !only[Int($0.tag)] } }
        matched[k] = !matches.isEmpty
        return json ? LookupCommand.answerJSON(matches, tags: index.tags) : LookupCommand.answerText(matches, tags: index.tags)
    }
}
