#if canImport(Glibc)
import Glibc
#endif
import ServiceTags

/// Reads an input in large blocks cut at line boundaries, has them processed (on the reading
/// thread, or by worker threads once the input proves large), and delivers the outputs in input
/// order.
///
/// - Small or interactive input (`lookup -` typed or piped slowly): each `read` is processed as
///   soon as it holds a whole line, and output is flushed before the next blocking read, so
///   answers stream.
/// - Once `switchBytes` have been read and more than one thread is allowed, blocks of
///   `blockSize` bytes go to `threads` workers through a ring of `2 * threads + 1` slots; the
///   reading thread delivers finished slots oldest first, so output order is input order.
///
/// Memory: the slots, the read buffer, and one line: a line longer than a block grows one buffer
/// to hold it, and buffers above `4 * blockSize` are shrunk back once empty (issue 8 item 7).
/// - Complexity: each input byte is read once, searched for the last newline at most once, and
///   (with line numbers) counted once; the processor sees each line once.
final class BlockPipeline<P: LineBlockProcessor>: @unchecked Sendable {
    let blockSize: Int
    let threads: Int
    /// Bytes read before workers are used.
    let switchBytes: Int
    /// Output buffers above this are given back after use (a block's output is normally a few
    /// times its input: `lookup --json` writes ~20 bytes per input byte).
    private var outputLimit: Int { max(64 << 20, 32 * blockSize) }
    private var inline: P
    private var inlineOutput = BlockOutput()
    private let makeProcessor: () -> P
    private let reader: ByteBuffer

    private final class Slot: @unchecked Sendable {
        let input: ByteBuffer
        var output = BlockOutput()
        var job = BlockJob()
        var done = false
        init(capacity: Int) { input = ByteBuffer(capacity: capacity) }
    }
    private var slots: [Slot] = []
    private var free: [Int] = []
    /// Dispatched slots, oldest first (`inFlightHead` is the next to deliver).
    private var inFlight: [Int] = []
    private var inFlightHead = 0
    // Shared with the workers, under `monitor`.
    private let monitor = Monitor()
    private var queue: [Int] = []
    private var queueHead = 0
    private var shutdown = false
    private var cancelled = false
    private var workers: [pthread_t] = []

    init(threads: Int, blockSize: Int, switchBytes: Int? = nil, makeProcessor: @escaping () -> P) {
        self.threads = max(1, threads)
        self.blockSize = blockSize
        self.switchBytes = switchBytes ?? 4 * blockSize
        self.makeProcessor = makeProcessor
        inline = makeProcessor()
        reader = ByteBuffer(capacity: blockSize + blockSize / 4)
    }

    /// Stops and joins the workers.
    func close() {
        monitor.withLock { shutdown = true; monitor.broadcast() }
        for w in workers { HelperThread.join(w) }
        workers = []
    }

    /// Reads `fd` to its end (or until `deliver` returns false) and delivers every block's output
    /// in order. `beforeRead` runs before each read while output streams (not once workers run).
    /// - Returns: the `errno` of a failed read (what was read before it is processed), or nil.
    func run(fd: Int32, input: Int, beforeRead: () -> Void = {},
             deliver: (inout BlockOutput) -> Bool) -> Int32? {
        reader.count = 0
        var line = 1
        var total = 0
        var noNewline = 0       // reader's first `noNewline` bytes hold no newline
        var threaded = false
        var stopped = false
        var failure: Int32?

        func emit(_ cut: Int) {
            let block = UnsafeRawBufferPointer(start: reader.base, count: cut)
            let job = BlockJob(input: input, firstLine: line)
            if inline.needsLineNumbers { line += block.newlineCount() }
            if !threaded {
                inlineOutput.reset()
                inline.process(block, job, into: &inlineOutput)
                if !deliver(&inlineOutput) { stopped = true }
                inlineOutput.bytes.shrink(ifAbove: outputLimit, to: blockSize)
                reader.removeFirst(cut)
            } else {
                guard let s = acquireSlot(deliver, &stopped) else { return }
                let slot = slots[s]
                // Hand the block over without copying it; the carried partial line comes back.
                slot.input.swapStorage(with: reader)
                reader.count = 0
                reader.append(slot.input.base + cut, slot.input.count - cut)
                slot.input.count = cut
                slot.job = job
                slot.done = false
                inFlight.append(s)
                monitor.withLock { queue.append(s); monitor.broadcast() }
            }
            reader.shrink(ifAbove: 4 * blockSize, to: blockSize + blockSize / 4)
            noNewline = reader.count
        }

        while !stopped {
            if !threaded && threads > 1 && total >= switchBytes { threaded = startWorkers() }
            if !threaded { beforeRead() }
            if reader.freeSpace < blockSize / 4 { reader.reserve(blockSize) }
            let n = read(fd, reader.base + reader.count, reader.freeSpace)
            if n < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            if n == 0 { break }
            reader.count += n
            total += n
            // Workers get full blocks; the reading thread takes what each read gave.
            if threaded && reader.count < blockSize { continue }
            guard let last = Self.lastNewline(reader, from: noNewline) else {
                noNewline = reader.count
                continue
            }
            emit(last + 1)
        }
        if !stopped && reader.count > 0 { emit(reader.count) }
        // Deliver (or, once stopped, discard) what is still in flight.
        if stopped { monitor.withLock { cancelled = true } }
        while inFlightHead < inFlight.count {
            _ = waitForOldest()
            if stopped {
                let s = inFlight[inFlightHead]
                inFlightHead += 1
                release(s)
            } else if !deliverOldest(deliver) {
                stopped = true
            }
        }
        inFlight.removeAll(keepingCapacity: true)
        inFlightHead = 0
        monitor.withLock { cancelled = false }
        return failure
    }

    /// The offset of the last `\n` in `buffer[from...]` (glibc's `memrchr` is not exported to Swift).
    private static func lastNewline(_ buffer: ByteBuffer, from: Int) -> Int? {
        let bytes = buffer.bytes
        var i = bytes.count
        while i > from {
            i -= 1
            if bytes[i] == 0x0A { return i }
        }
        return nil
    }

    /// A free slot, delivering finished ones oldest first, and waiting for the oldest when all are busy.
    private func acquireSlot(_ deliver: (inout BlockOutput) -> Bool, _ stopped: inout Bool) -> Int? {
        while true {
            while inFlightHead < inFlight.count && monitor.withLock({ slots[inFlight[inFlightHead]].done }) {
                if !deliverOldest(deliver) { stopped = true; return nil }
            }
            if let s = free.popLast() { return s }
            _ = waitForOldest()
            if !deliverOldest(deliver) { stopped = true; return nil }
        }
    }

    private func deliverOldest(_ deliver: (inout BlockOutput) -> Bool) -> Bool {
        let s = inFlight[inFlightHead]
        let slot = slots[s]
        let go = deliver(&slot.output)
        inFlightHead += 1
        release(s)
        if !go { monitor.withLock { cancelled = true } }
        return go
    }

    private func waitForOldest() -> Int {
        let s = inFlight[inFlightHead]
        monitor.withLock { monitor.wait { slots[s].done } }
        return s
    }

    private func release(_ s: Int) {
        let slot = slots[s]
        slot.output.reset()
        slot.output.bytes.shrink(ifAbove: outputLimit, to: blockSize)
        slot.input.count = 0
        slot.input.shrink(ifAbove: 4 * blockSize, to: blockSize + blockSize / 4)
        free.append(s)
        if inFlightHead == inFlight.count { inFlight.removeAll(keepingCapacity: true); inFlightHead = 0 }
    }

    /// Starts the workers (once); false if no thread could be started.
    private func startWorkers() -> Bool {
        if !workers.isEmpty { return true }
        slots = (0 ..< 2 * threads + 1).map { _ in Slot(capacity: blockSize + blockSize / 4) }
        free = Array(slots.indices.reversed())
        for _ in 0 ..< threads {
            let processor = ProcessorBox(makeProcessor())
            guard let t = HelperThread.start({ [self] in work(processor) }) else { break }
            workers.append(t)
        }
        return !workers.isEmpty
    }

    private final class ProcessorBox: @unchecked Sendable {
        var processor: P
        init(_ p: P) { processor = p }
    }

    private func work(_ box: ProcessorBox) {
        while true {
            var skip = false
            let next: Int? = monitor.withLock {
                monitor.wait { queueHead < queue.count || shutdown }
                guard queueHead < queue.count else { return nil }
                let s = queue[queueHead]
                queueHead += 1
                if queueHead == queue.count { queue.removeAll(keepingCapacity: true); queueHead = 0 }
                skip = cancelled
                return s
            }
            guard let s = next else { return }
            let slot = slots[s]
            slot.output.reset()
            if !skip { box.processor.process(slot.input.bytes, slot.job, into: &slot.output) }
            monitor.withLock { slot.done = true; monitor.broadcast() }
        }
    }
}
