import ServiceTags

/// Lines of a block waiting for their addresses' probes (`GrepProcessor.processBatched`), in
/// storage of fixed capacity allocated once per block: an `Array.append` per line and per address
/// was a uniqueness check (a runtime call) each time.
///
/// Invariant: `lineCount <= batchLines`, `addressCount <= batchAddresses`, and each address's
/// owner is a line of the batch (`owner[k] < lineCount`).
struct GrepBatch: ~Copyable {
    let lines: UnsafeMutablePointer<(start: Int, end: Int, number: Int)>
    let hit: UnsafeMutablePointer<Bool>
    let addresses: UnsafeMutablePointer<IPAddress>
    /// The line (index in `lines`) of each address.
    let owner: UnsafeMutablePointer<Int>
    private(set) var lineCount = 0
    private(set) var addressCount = 0

    init() {
        lines = .allocate(capacity: GrepProcessor.batchLines)
        hit = .allocate(capacity: GrepProcessor.batchLines)
        addresses = .allocate(capacity: GrepProcessor.batchAddresses)
        owner = .allocate(capacity: GrepProcessor.batchAddresses)
    }

    deinit {
        lines.deallocate()
        hit.deallocate()
        addresses.deallocate()
        owner.deallocate()
    }

    var linesFull: Bool { lineCount == GrepProcessor.batchLines }
    var addressesFull: Bool { addressCount == GrepProcessor.batchAddresses }

    /// Adds a line, not yet hit; returns its index. - Precondition: `!linesFull`.
    @inline(__always)
    mutating func add(line start: Int, _ end: Int, number: Int) -> Int {
        precondition(lineCount < GrepProcessor.batchLines)
        (lines + lineCount).initialize(to: (start, end, number))
        (hit + lineCount).initialize(to: false)
        lineCount &+= 1
        return lineCount &- 1
    }

    /// Adds an address of line `line`. - Precondition: `!addressesFull`, `line < lineCount`.
    @inline(__always)
    mutating func add(_ address: IPAddress, of line: Int) {
        precondition(addressCount < GrepProcessor.batchAddresses && line < lineCount)
        (addresses + addressCount).initialize(to: address)
        (owner + addressCount).initialize(to: line)
        addressCount &+= 1
    }

    /// Marks the lines with an address inside the tags; the probes are independent of each other.
    @inline(__always)
    mutating func probe(_ selection: GrepSelection) {
        for k in 0 ..< addressCount where !hit[owner[k]] && selection.isSelected(addresses[k]) { hit[owner[k]] = true }
        addressCount = 0
    }

    /// Forgets the lines (after `emit` wrote them). - Precondition: no address is waiting.
    mutating func clearLines() {
        precondition(addressCount == 0)
        lineCount = 0
    }
}

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

    /// Whether a line needs all of its addresses, not only whether one is inside the tags
    /// (`processBatched` handles the modes that do not).
    private var collects: Bool {
        switch options.mode {
        case .quiet, .count: false
        case .json: true
        case .onlyMatching: !options.invert
        case .lines: options.withTags && !options.invert
        }
    }

    func process(_ block: UnsafeRawBufferPointer, _ job: BlockJob, into out: inout BlockOutput) {
        if !collects { return processBatched(block, job, into: &out) }
        let bytes = block.assumingMemoryBound(to: UInt8.self).span
        let selection = selection, options = options
        let buffer = out.bytes
        var lineNumber = job.firstLine &- 1
        var found: [(start: Int, end: Int, node: Int)] = []
        var selectedLines = 0
        var cursor = LineCursor(block)
        var scanner = AddressScanner.Cursor()
        while let (s, e) = cursor.next() {
            lineNumber &+= 1
            found.removeAll(keepingCapacity: true)
            var i = s
            while let f = scanner.next(bytes, &i, e) {
                let node = selection.selectedNode(f.address)
                if node >= 0 { found.append((f.start, f.end, node)) }
            }
            guard found.isEmpty == options.invert else { continue }
            selectedLines &+= 1
            let line = UnsafeRawBufferPointer(rebasing: block[s ..< e])
            switch options.mode {
            case .quiet, .count: continue  // `processBatched`'s modes
            case .lines:
                prefix(job.input, lineNumber, to: buffer)
                if line.count > Self.copyLimit {
                    out.pieces.append((buffer.count, line))
                } else {
                    buffer.append(line)
                }
                buffer.append(0x09)
                appendNames(found.map(\.node), to: buffer)
            case .onlyMatching:
                for f in found {
                    prefix(job.input, lineNumber, to: buffer)
                    buffer.append(UnsafeRawBufferPointer(rebasing: block[f.start ..< f.end]))
                    if options.withTags { buffer.append(0x09); appendNames([f.node], to: buffer) }
                    buffer.append(0x0A)
                }
                continue
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
        }
        out.selected = selectedLines
    }

    /// Lines (and addresses) handled per batch in `processBatched`.
    static let batchLines = 256, batchAddresses = 1024

    /// The modes that need only "has the line an address inside the tags" (lines without
    /// `--with-tags`, `-c`, `-q`, `-v`), a batch of lines at a time: scan them all, then probe
    /// every address found, then write the selected lines. The probes of a batch are independent,
    /// so their cache misses overlap (random addresses miss at every level of the table). A line
    /// with more addresses than a batch holds is probed part by part and its scan stops once it
    /// is known to be selected; memory stays bounded.
    private func processBatched(_ block: UnsafeRawBufferPointer, _ job: BlockJob, into out: inout BlockOutput) {
        let bytes = block.assumingMemoryBound(to: UInt8.self).span
        var batch = GrepBatch()
        var cursor = LineCursor(block)
        var scanner = AddressScanner.Cursor()
        var lineNumber = job.firstLine &- 1
        while let (s, e) = cursor.next() {
            lineNumber &+= 1
            let index = batch.add(line: s, e, number: lineNumber)
            var i = s
            while let found = scanner.next(bytes, &i, e) {
                batch.add(found.address, of: index)
                if batch.addressesFull {
                    batch.probe(selection)
                    if batch.hit[index] { break }
                }
            }
            if batch.linesFull || batch.addressCount >= Self.batchAddresses / 2 {
                if !emit(&batch, block, job, into: &out) { return }
            }
        }
        _ = emit(&batch, block, job, into: &out)
    }

    /// Probes the batch and writes its selected lines; false once `-q` has what it needs.
    private func emit(_ batch: inout GrepBatch, _ block: UnsafeRawBufferPointer, _ job: BlockJob, into out: inout BlockOutput) -> Bool {
        batch.probe(selection)
        defer { batch.clearLines() }
        let buffer = out.bytes
        for i in 0 ..< batch.lineCount where batch.hit[i] != options.invert {
            let line = batch.lines[i]
            out.selected &+= 1
            if options.mode == .quiet { return false }
            // -o -v selects lines but prints nothing, as grep does (they hold no match to print).
            if options.mode == .count || options.mode == .onlyMatching { continue }
            prefix(job.input, line.number, to: buffer)
            let text = UnsafeRawBufferPointer(rebasing: block[line.start ..< line.end])
            if text.count > Self.copyLimit { out.pieces.append((buffer.count, text)) } else { buffer.append(text) }
            buffer.append(0x0A)
        }
        return true
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
