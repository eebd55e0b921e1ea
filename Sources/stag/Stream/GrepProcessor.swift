import ServiceTags

/// How `stag grep` reports, as grep does: `-q` over `-c` over `--json` over `-o` over lines.
struct GrepOptions: Sendable {
    enum Mode: Sendable { case quiet, count, json, onlyMatching, lines }
    var mode = Mode.lines
    var invert = false
    var lineNumbers = false
    var withTags = false
    var showNames = false
    /// Per input: its name as shown (`(standard input)` for -) and as a JSON string.
    var labels: [[UInt8]] = []
    var labelsJSON: [[UInt8]] = []
}

/// `stag grep` on a block of lines, on bytes: `AddressScanner` finds the candidates, each address
/// costs one index probe and a bool (`GrepSelection`), and selected lines are copied out with
/// their `FILE:` / `N:` prefixes. Only `--with-tags`, `-o` and `--json` collect every address of a
/// line; otherwise the scan stops at the first address inside the tags.
struct GrepProcessor: LineBlockProcessor {
    let selection: GrepSelection
    let options: GrepOptions
    /// Per node: `--with-tags` names, and the JSON tags array.
    private let names: FragmentCache
    private let jsonTags: FragmentCache

    init(selection: GrepSelection, options: GrepOptions) {
        self.selection = selection
        self.options = options
        names = FragmentCache(count: selection.nodeCount)
        jsonTags = FragmentCache(count: selection.nodeCount)
    }

    var needsLineNumbers: Bool {
        options.mode == .json || (options.lineNumbers && (options.mode == .lines || options.mode == .onlyMatching))
    }

    /// Whether a line needs all of its addresses, not only the first one inside the tags.
    private var collects: Bool {
        switch options.mode {
        case .quiet, .count: false
        case .json: true
        case .onlyMatching: !options.invert
        case .lines: options.withTags && !options.invert
        }
    }

    func process(_ block: UnsafeRawBufferPointer, _ job: BlockJob, into out: inout BlockOutput) {
        let bytes = block.assumingMemoryBound(to: UInt8.self).span
        let selection = selection, options = options, collects = collects
        let buffer = out.bytes
        var lineNumber = job.firstLine &- 1
        var found: [(start: Int, end: Int, node: Int)] = []
        var selectedLines = 0
        block.forEachLine { s, e in
            lineNumber &+= 1
            found.removeAll(keepingCapacity: true)
            var hit = false
            AddressScanner.scan(bytes, from: s, to: e) { f in
                let node = selection.selectedNode(f.address)
                if node < 0 { return true }
                hit = true
                if collects { found.append((f.start, f.end, node)) }
                return collects
            }
            guard hit != options.invert else { return true }
            selectedLines &+= 1
            let line = UnsafeRawBufferPointer(rebasing: block[s ..< e])
            switch options.mode {
            case .quiet: return false
            case .count: return true
            case .lines:
                prefix(job.input, lineNumber, to: buffer)
                if line.count > Self.copyLimit {
                    out.pieces.append((buffer.count, line))
                } else {
                    buffer.append(line)
                }
                if collects {
                    buffer.append(0x09)
                    appendNames(found.map(\.node), to: buffer)
                }
            case .onlyMatching:
                for f in found {
                    prefix(job.input, lineNumber, to: buffer)
                    buffer.append(UnsafeRawBufferPointer(rebasing: block[f.start ..< f.end]))
                    if options.withTags { buffer.append(0x09); appendNames([f.node], to: buffer) }
                    buffer.append(0x0A)
                }
                return true
            case .json:
                buffer.append(Self.jsonFile)
                buffer.append(options.labelsJSON[job.input])
                buffer.append(Self.jsonLineNumber)
                buffer.append(decimal: lineNumber)
                buffer.append(Self.jsonLine)
                JSONBytes.appendString(line, to: buffer)
                buffer.append(Self.jsonAddresses)
                for (i, f) in found.enumerated() {
                    buffer.append(i == 0 ? Self.jsonAddress : Self.jsonNextAddress)
                    buffer.append(UnsafeRawBufferPointer(rebasing: block[f.start ..< f.end]))
                    buffer.append(Self.jsonTags)
                    jsonTags.append(f.node, to: buffer) { selection.render(selection.tags(ofNode: f.node), json: true) }
                    buffer.append(UInt8(ascii: "}"))
                }
                buffer.append(Self.jsonEnd)
            }
            buffer.append(0x0A)
            return true
        }
        out.selected = selectedLines
    }

    /// Selected lines longer than this are written from the input block instead of being copied.
    static let copyLimit = 1 << 16

    static let jsonFile = Array(#"{"file":"#.utf8), jsonLineNumber = Array(#","lineNumber":"#.utf8)
    static let jsonLine = Array(#","line":"#.utf8), jsonAddresses = Array(#","addresses":["#.utf8)
    static let jsonAddress = Array(#"{"address":""#.utf8), jsonNextAddress = Array(#",{"address":""#.utf8)
    static let jsonTags = Array(#"","tags":"#.utf8), jsonEnd = Array("]}".utf8)

    @inline(__always)
    private func prefix(_ input: Int, _ lineNumber: Int, to buffer: ByteBuffer) {
        if options.showNames { buffer.append(options.labels[input]); buffer.append(UInt8(ascii: ":")) }
        if options.lineNumbers { buffer.append(decimal: lineNumber); buffer.append(UInt8(ascii: ":")) }
    }

    /// The names of the selected tags of these nodes, merged and sorted by name.
    private func appendNames(_ nodes: [Int], to buffer: ByteBuffer) {
        if let first = nodes.first, nodes.allSatisfy({ $0 == first }) {
            names.append(first, to: buffer) { selection.render(selection.tags(ofNode: first), json: false) }
            return
        }
        let tags = Set(nodes.flatMap(selection.tags(ofNode:))).sorted { selection.nameRank[Int($0)] < selection.nameRank[Int($1)] }
        buffer.append(selection.render(tags, json: false))
    }
}
