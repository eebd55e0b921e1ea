#if canImport(Glibc)
import Glibc
#endif

/// Where a block of lines came from: the input's index (grep's file) and the number of its first line.
struct BlockJob {
    var input = 0
    var firstLine = 1
}

/// What processing one block produced; `BlockPipeline` delivers these in input order.
struct BlockOutput {
    /// Bytes for standard output.
    var bytes = ByteBuffer()
    /// Lines for standard error, each written after the first `offset` bytes of `bytes` (so an
    /// error appears where the input had it, as when each line was answered at once).
    var messages: [(offset: Int, text: String)] = []
    /// Runs of the input block written as they are after the first `offset` bytes of `bytes`, in
    /// order: a huge selected line is written from the input, not copied (issue 8 item 7: memory
    /// at most one line plus a constant). Valid until the block is released, after delivery.
    var pieces: [(offset: Int, bytes: UnsafeRawBufferPointer)] = []
    /// Lines selected (grep) or inputs that matched a tag (lookup).
    var selected = 0
    /// An input was invalid (lookup: exit 2).
    var invalid = false

    mutating func reset() {
        bytes.count = 0
        messages.removeAll(keepingCapacity: true)
        pieces.removeAll(keepingCapacity: true)
        selected = 0
        invalid = false
    }
}

/// The per-line work of a streaming command over a block of whole lines. Each worker thread owns
/// one processor (with its own render caches), so a processor needs no locking.
protocol LineBlockProcessor: SendableMetatype {
    /// Whether jobs must carry `firstLine` (it costs a newline count on the reading thread).
    var needsLineNumbers: Bool { get }
    /// Processes `block`: whole lines, each ending in `\n` except possibly the input's last.
    mutating func process(_ block: UnsafeRawBufferPointer, _ job: BlockJob, into out: inout BlockOutput)
}

/// The lines of a block, one at a time (offsets, `\r\n` or `\n` removed); a plain loop over it
/// needs no closure in the hot path.
struct LineCursor {
    let block: UnsafeRawBufferPointer
    private var p = 0

    init(_ block: UnsafeRawBufferPointer) { self.block = block }

    @inline(__always)
    mutating func next() -> (start: Int, end: Int)? {
        guard p < block.count, let base = block.baseAddress else { return nil }
        let start = p
        let lineEnd = memchr(base + p, 0x0A, block.count - p).map { $0 - UnsafeMutableRawPointer(mutating: base) } ?? block.count
        var e = lineEnd
        if e > start && block[e - 1] == 0x0D { e -= 1 }
        p = lineEnd + 1
        return (start, e)
    }
}

extension UnsafeRawBufferPointer {
    /// The number of `\n` bytes.
    func newlineCount() -> Int {
        guard let base = baseAddress else { return 0 }
        var n = 0, p = 0
        while p < count, let nl = memchr(base + p, 0x0A, count - p) {
            n += 1
            p = nl - UnsafeMutableRawPointer(mutating: base) + 1
        }
        return n
    }
}
