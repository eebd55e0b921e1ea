import CByteClass

extension AddressScanner {
    /// A maximal run of address bytes (`0-9 a-f A-F . :`) holding at least one `.` or `:`, and its
    /// counts: what `next` decides on before parsing anything.
    @usableFromInline
    struct Run {
        @usableFromInline var start: Int
        @usableFromInline var end: Int
        @usableFromInline var dots = 0
        @usableFromInline var colons = 0
        /// Hex letters in the run (0: digits, dots and colons only).
        @usableFromInline var letters: Int
        /// Whether two colons are adjacent somewhere in the run.
        @usableFromInline var doubleColon = false
        /// The run's dots as bits from `dotsBase`, when the run lies in one window; else 0.
        @usableFromInline var dotBits: UInt32 = 0
        @usableFromInline var dotsBase = 0
        /// Where the run's first colon is, when the run lies in one window and has one; else -1.
        @usableFromInline var firstColon = -1

        @inlinable init(start: Int, letters: Int) {
            self.start = start
            end = start
            self.letters = letters
        }
    }

    /// 32 bytes as bit masks (bit k for byte `base + k`, from `stag_classify32`); bytes past the
    /// end of the span are in no class. `nextRun` walks the runs of a range through it, moving on
    /// 32 bytes at a time; a `Cursor` keeps it from one range to the next (the lines of a block).
    ///
    /// Invariant: `classes` describes `bytes[base ..< base + 32]` of the span it was made from
    /// (each call passes that same span); its masks are disjoint subsets of `address`.
    @usableFromInline
    struct ByteWindow {
        /// Bytes classified per window (the width of the masks).
        @usableFromInline static let width = 32

        @usableFromInline var base: Int
        @usableFromInline var classes: stag_byte_classes

        /// A window that covers no byte (the first `nextRun` classifies).
        @inlinable init() {
            base = -2 * Self.width
            classes = stag_byte_classes()
        }

        /// The classes of `bytes[at ..< at + 32]`.
        /// - Precondition: `0 <= at < bytes.count`.
        @inlinable @inline(__always)
        static func classify(_ bytes: Span<UInt8>, at: Int) -> stag_byte_classes {
            at &+ width <= bytes.count
                ? bytes.withUnsafeBufferPointer { stag_classify32($0.baseAddress.unsafelyUnwrapped + at) }
                : classifyLast(bytes, at: at)
        }

        /// The last window of the bytes: a zero-padded copy, classified (zero is in no class). Out of
        /// line, so that the hot path has no stack buffer (and no stack protector).
        @inlinable @inline(never)
        static func classifyLast(_ bytes: Span<UInt8>, at: Int) -> stag_byte_classes {
            var padded: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            withUnsafeMutableBytes(of: &padded) { raw in
                for k in at ..< bytes.count { raw[k &- at] = bytes[unchecked: k] }
            }
            return withUnsafeBytes(of: &padded) { stag_classify32($0.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)) }
        }

        /// Bits `0 ..< n` set, for `0 <= n <= 32`.
        @inlinable @inline(__always)
        static func lowBits(_ n: Int) -> UInt32 {
            UInt32(truncatingIfNeeded: (UInt64(1) &<< UInt64(n)) &- 1)
        }

        /// The bits of this window that lie before `to`.
        @inlinable @inline(__always)
        func inRange(_ to: Int) -> UInt32 { Self.lowBits(min(to &- base, Self.width)) }

        /// The first run in `bytes[from ..< to]` that holds a `.` or `:`, moving the window on as far
        /// as needed; nil when the range holds no `.` or `:`.
        ///
        /// The run is maximal within the range. Left of `from` lies the end of the previous run (a
        /// non-address byte) or the start of the range, so the run never needs to start earlier.
        /// - Precondition: `0 <= from < to <= bytes.count`, and `from` is not before the range
        ///   of the previous call on this window (a cursor only moves forward).
        /// - Complexity: O(length of the run and of the bytes before it), a window at a time.
        @inlinable @inline(__always)
        mutating func nextRun(_ bytes: Span<UInt8>, from: Int, to: Int) -> Run? {
            if from &- base >= Self.width || from < base {
                base = from
                classes = Self.classify(bytes, at: from)
            }
            var limit = inRange(to)
            var separators = (classes.dots | classes.colons) & limit & ~Self.lowBits(from &- base)
            while separators == 0 {
                if base &+ Self.width >= to { return nil }
                base &+= Self.width
                classes = Self.classify(bytes, at: base)
                limit = inRange(to)
                separators = (classes.dots | classes.colons) & limit
            }
            var separatorBit = separators.trailingZeroBitCount
            // Start: just above the highest non-address bit below the separator, or `from`.
            let gaps = ~classes.address & Self.lowBits(separatorBit) & ~Self.lowBits(max(from &- base, 0))
            var start: Int, startBit: Int, letters = 0
            if gaps != 0 || base <= from {
                startBit = gaps != 0 ? 32 &- gaps.leadingZeroBitCount : max(from &- base, 0)
                start = base &+ startBit
            } else {
                // The run began in an earlier window (rare: a long run of hex letters or digits).
                startBit = 0
                start = base
                while start > from && AddressScanner.isAddressByte(bytes[unchecked: start &- 1]) {
                    start &-= 1
                    // No `.` or `:` lies before the separator, so an address byte there that is not a digit is a letter.
                    if bytes[unchecked: start] &- 0x30 >= 10 { letters &+= 1 }
                }
            }
            // End: the first non-address bit at or above the separator, window after window.
            var endBit = separatorBit &+ (~((classes.address & limit) &>> UInt32(separatorBit))).trailingZeroBitCount
            if endBit == Self.width && startBit > 0 && base &+ Self.width < to {
                // The run goes on past this window: classify again from its start, so that a run of
                // up to 32 bytes (every address but the longest IPv6 forms) lies in one window and
                // keeps its dots' and first colon's positions. The window after this one would be
                // classified anyway, so this costs nothing extra.
                base = start
                classes = Self.classify(bytes, at: base)
                limit = inRange(to)
                separatorBit &-= startBit
                startBit = 0
                endBit = separatorBit &+ (~((classes.address & limit) &>> UInt32(separatorBit))).trailingZeroBitCount
            }
            var run = Run(start: start, letters: letters)
            var part = Self.lowBits(endBit) & ~Self.lowBits(startBit)
            run.dotBits = classes.dots & part
            run.dotsBase = base
            if case let colons = classes.colons & part, colons != 0 { run.firstColon = base &+ colons.trailingZeroBitCount }
            while true {
                let colons = classes.colons & part
                run.dots &+= (classes.dots & part).nonzeroBitCount
                run.colons &+= colons.nonzeroBitCount
                run.letters &+= (classes.letters & part).nonzeroBitCount
                run.doubleColon = run.doubleColon || colons & (colons &>> 1) != 0
                guard endBit == Self.width && base &+ Self.width < to else { break }
                run.dotBits = 0  // the run goes on into the next window
                run.firstColon = -1
                let colonAtTop = colons &>> 31 != 0
                base &+= Self.width
                classes = Self.classify(bytes, at: base)
                if colonAtTop && classes.colons & 1 != 0 { run.doubleColon = true }
                endBit = (~(classes.address & inRange(to))).trailingZeroBitCount
                part = Self.lowBits(endBit)
            }
            run.end = base &+ endBit
            return run
        }
    }
}
