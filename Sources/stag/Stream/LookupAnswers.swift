import ServiceTags

/// The bytes `stag lookup -` writes after each address, rendered once per combined-index node and
/// shared by every worker thread.
///
/// Every address whose deepest containing prefix is node `n` gets the same answer list
/// (`FamilyIndex.matches(of: n)`, interned per node), hence the same text rows or JSON tags array.
/// So the per-address cost of the stream is parse + one probe + two copies. A node is rendered
/// the first time any worker meets it (`fragment(_:scratch:)`: rendered outside the lock, stored
/// under it into an append-only chunked store that never moves), from per-tag pieces escaped once
/// here; each worker keeps its own table of fragments it has fetched, so the lock is taken about
/// twice per node and worker.
///
/// The bytes equal `LookupCommand.answerText` / `answerJSON` (the command-line path's rendering);
/// the differential tests check both against an independent reference.
final class LookupAnswers: @unchecked Sendable {
    let index: TagIndex
    let json: Bool
    /// Node keys: IPv4 nodes, then IPv6 nodes, then "inside no prefix".
    let v6Base: Int
    let keyCount: Int
    /// Per key: whether the answer names a tag (after `--tag`).
    let matched: [Bool]
    private let only: [Bool]?

    // Per tag, escaped once: text cells and their widths (`TextTable` counts Characters), or
    // the JSON object around the prefix; only those of the output asked for are made (the
    // others stay empty), since this runs for every stream, however short.
    private let nameCell: TagPieces, nameWidth: [Int]
    private let regionCell: TagPieces, regionWidth: [Int]
    private let serviceCell: TagPieces
    private let jsonHead: TagPieces, jsonTail: TagPieces
    private let nameRank: [Int32]

    private let monitor = Monitor()
    private var shared: [Fragment?]
    private var chunks: [UnsafeMutableRawPointer] = []
    private var chunkUsed = 0
    private static let chunkSize = 1 << 20

    struct Fragment { var base: UnsafeRawPointer; var count: Int }

    init(index: TagIndex, only: [Bool]?, json: Bool) {
        self.index = index
        self.only = only
        self.json = json
        v6Base = index.ipv4.prefixes.count
        keyCount = v6Base + index.ipv6.prefixes.count + 1
        matched = index.ipv4.nodesAnswering(only) + index.ipv6.nodesAnswering(only) + [false]
        let tags = index.tagMetadata  // not `tags`: that decodes a compiled index's prefix lists
        var nameCell = TagPieces(), regionCell = TagPieces(), serviceCell = TagPieces()
        var jsonHead = TagPieces(), jsonTail = TagPieces()
        var nameWidth: [Int] = [], regionWidth: [Int] = []
        if json {
            // Written as bytes through one scratch buffer (String concatenation was most of this).
            let piece = ByteBuffer(capacity: 1 << 10)
            func string(_ s: String) { var s = s; s.withUTF8 { JSONBytes.appendString(UnsafeRawBufferPointer($0), to: piece) } }
            for tag in tags {
                piece.append(Self.jsonName)
                string(tag.name)
                piece.append(Self.jsonPrefix)
                jsonHead.append(piece)
                piece.append(Self.jsonRegion)
                string(tag.region)
                piece.append(Self.jsonService)
                string(tag.systemService)
                piece.append(Self.jsonFeatures)
                if let features = tag.networkFeatures {
                    piece.append(UInt8(ascii: "["))
                    for (i, f) in features.enumerated() {
                        if i > 0 { piece.append(UInt8(ascii: ",")) }
                        string(f)
                    }
                    piece.append(UInt8(ascii: "]"))
                } else {
                    piece.append(Self.jsonNull)
                }
                piece.append(UInt8(ascii: "}"))
                jsonTail.append(piece)
            }
        } else {
            // Width in Characters, as `TextTable` counts; escaped ASCII has one per byte.
            func cell(_ s: String, into pieces: inout TagPieces) -> Int {
                let e = HumanText.escaped(s)
                let ascii = pieces.append(e)
                return ascii ? e.utf8.count : e.count
            }
            nameWidth.reserveCapacity(tags.count)
            regionWidth.reserveCapacity(tags.count)
            for tag in tags {
                nameWidth.append(cell(tag.name, into: &nameCell))
                regionWidth.append(cell(tag.region.isEmpty ? "-" : tag.region, into: &regionCell))
                _ = cell(tag.systemService.isEmpty ? "-" : tag.systemService, into: &serviceCell)
            }
        }
        (self.nameCell, self.regionCell, self.serviceCell, self.jsonHead, self.jsonTail) = (nameCell, regionCell, serviceCell, jsonHead, jsonTail)
        (self.nameWidth, self.regionWidth) = (nameWidth, regionWidth)
        nameRank = TagNameOrder.ranks(tags.map(\.name))
        shared = Array(repeating: nil, count: keyCount)
    }

    deinit { for c in chunks { c.deallocate() } }

    /// The fragment of node key `k`, rendering it (outside the lock, into the caller's scratch)
    /// if no worker has yet; when two render the same node at once, the first stored wins.
    func fragment(_ k: Int, scratch: RenderScratch) -> Fragment {
        if let f = monitor.withLock({ shared[k] }) { return f }
        scratch.out.count = 0
        render(k, scratch)
        return monitor.withLock {
            if let f = shared[k] { return f }
            let f = store(scratch.out.bytes)
            shared[k] = f
            return f
        }
    }

    /// One worker's rendering space.
    final class RenderScratch {
        let out = ByteBuffer(capacity: 1 << 12)
        var list: [(tag: TagID, node: UInt32)] = []
        let prefixText = ByteBuffer(capacity: 1 << 12)
        var prefixEnd: [Int] = []
        var text: [UInt8] = []
    }

    /// Copies `bytes` into the chunked store (under the lock); a chunk never moves or is freed
    /// before `self`, so fragments stay valid for every worker.
    private func store(_ bytes: UnsafeRawBufferPointer) -> Fragment {
        if bytes.count > Self.chunkSize / 4 {
            let p = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 1)
            chunks.append(p)
            p.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            return Fragment(base: p, count: bytes.count)
        }
        if chunks.isEmpty || chunkUsed + bytes.count > Self.chunkSize {
            chunks.append(UnsafeMutableRawPointer.allocate(byteCount: Self.chunkSize, alignment: 1))
            chunkUsed = 0
        }
        let p = chunks[chunks.count - 1] + chunkUsed
        if let b = bytes.baseAddress { p.copyMemory(from: b, byteCount: bytes.count) }
        chunkUsed += bytes.count
        return Fragment(base: p, count: bytes.count)
    }

    /// Node key `k`'s answers after `--tag` into `list`; whether they are IPv6.
    private func collect(_ k: Int, into list: inout [(tag: TagID, node: UInt32)]) -> Bool {
        list.removeAll(keepingCapacity: true)
        if k < v6Base {
            for m in index.ipv4.matches(of: UInt32(k)) where only?[Int(m.tag)] ?? true { list.append((m.tag, m.node)) }
            return false
        }
        if k < keyCount - 1 {
            for m in index.ipv6.matches(of: UInt32(k - v6Base)) where only?[Int(m.tag)] ?? true { list.append((m.tag, m.node)) }
        }
        return true
    }

    private func writePrefix(_ node: UInt32, v6: Bool, into out: ByteBuffer, _ text: inout [UInt8]) {
        text.removeAll(keepingCapacity: true)
        if v6 { index.ipv6.prefixes[Int(node)].write(to: &text) } else { index.ipv4.prefixes[Int(node)].write(to: &text) }
        out.append(text)
    }

    private func render(_ k: Int, _ scratch: RenderScratch) {
        let out = scratch.out, prefixText = scratch.prefixText
        var list = scratch.list, prefixEnd = scratch.prefixEnd, text = scratch.text
        defer { scratch.list = list; scratch.prefixEnd = prefixEnd; scratch.text = text }
        let v6 = collect(k, into: &list)
        let rank = nameRank
        if json {
            list.sort { rank[Int($0.tag)] < rank[Int($1.tag)] }
            out.append(Self.jsonTagsHead)
            for (i, a) in list.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                jsonHead.write(Int(a.tag), to: out)
                writePrefix(a.node, v6: v6, into: out, &text)
                jsonTail.write(Int(a.tag), to: out)
            }
            out.append(Self.jsonTagsEnd)
            return
        }
        // Most specific first; equal lengths by name. Aligned as `TextTable.align` does.
        if list.isEmpty { out.append(Self.noTag); return }
        func length(_ node: UInt32) -> UInt8 { v6 ? index.ipv6.prefixes[Int(node)].length : index.ipv4.prefixes[Int(node)].length }
        list.sort { length($0.node) != length($1.node) ? length($0.node) > length($1.node) : rank[Int($0.tag)] < rank[Int($1.tag)] }
        prefixText.count = 0
        prefixEnd.removeAll(keepingCapacity: true)
        var w0 = 0, w1 = 0, w2 = 0, last = 0
        for a in list {
            writePrefix(a.node, v6: v6, into: prefixText, &text)
            prefixEnd.append(prefixText.count)
            w0 = max(w0, nameWidth[Int(a.tag)])
            w1 = max(w1, prefixText.count - last)
            w2 = max(w2, regionWidth[Int(a.tag)])
            last = prefixText.count
        }
        out.append(0x0A)
        var from = 0
        for (i, a) in list.enumerated() {
            let t = Int(a.tag)
            out.appendSpaces(2)
            nameCell.write(t, to: out)
            out.appendSpaces(w0 - nameWidth[t] + 2)
            out.append(prefixText.base + from, prefixEnd[i] - from)
            out.appendSpaces(w1 - (prefixEnd[i] - from) + 2)
            regionCell.write(t, to: out)
            out.appendSpaces(w2 - regionWidth[t] + 2)
            serviceCell.write(t, to: out)
            out.append(0x0A)
            from = prefixEnd[i]
        }
    }

    private static let jsonName = Array(#"{"name":"#.utf8), jsonPrefix = Array(#","prefix":""#.utf8)
    private static let jsonRegion = Array(#"","region":"#.utf8), jsonService = Array(#","systemService":"#.utf8)
    private static let jsonFeatures = Array(#","networkFeatures":"#.utf8), jsonNull = Array("null".utf8)
    private static let jsonTagsHead = Array(#","tags":["#.utf8), jsonTagsEnd = Array("]}\n".utf8)
    private static let noTag = Array("\n  (no service tag)\n".utf8)
}

/// One worker's view of `LookupAnswers`: the fragments it has already fetched, without a lock.
final class LookupAnswerTable {
    let answers: LookupAnswers
    @exclusivity(unchecked) private var table: UnsafeMutablePointer<LookupAnswers.Fragment?>
    private let scratch = LookupAnswers.RenderScratch()

    init(_ answers: LookupAnswers) {
        self.answers = answers
        table = .allocate(capacity: answers.keyCount)
        table.initialize(repeating: nil, count: answers.keyCount)
    }

    deinit { table.deallocate() }

    /// Key `k`'s fragment (fetched from the shared answers the first time).
    @inline(__always)
    func fragment(_ k: Int) -> LookupAnswers.Fragment {
        if let local = table[k] { return local }
        let f = answers.fragment(k, scratch: scratch)
        table[k] = f
        return f
    }
}

/// One byte string per tag, all in one buffer: tag `t`'s are `bytes[start[t] ..< start[t + 1]]`
/// (3,000 tags' cells as 3,000 arrays cost more to allocate and free than to fill).
struct TagPieces {
    private var bytes: [UInt8] = []
    private var start: [Int] = [0]

    /// Appends the next tag's bytes, the UTF-8 of `s`; whether they are all ASCII.
    mutating func append(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { u in
            bytes.append(contentsOf: u)
            start.append(bytes.count)
            return !u.contains { $0 >= 0x80 }
        }
    }

    /// Appends the next tag's bytes, `piece`'s, and empties it.
    mutating func append(_ piece: ByteBuffer) {
        bytes.append(contentsOf: piece.bytes)
        start.append(bytes.count)
        piece.count = 0
    }

    func write(_ t: Int, to out: ByteBuffer) {
        bytes.withUnsafeBytes { raw in out.append(UnsafeRawBufferPointer(rebasing: raw[start[t] ..< start[t + 1]])) }
    }
}
