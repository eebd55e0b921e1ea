/// `properties.addressPrefixes`, the hot loop: seven bytes in ten of a real ServiceTags file are
/// in these arrays.
extension ServiceTagsReader {
    /// Bytes that must follow an element's opening quote for `readElementsInBuffer`:
    /// `InPlacePrefixParser.parse` reads up to 64 bytes after the quote, and the gap compare 32
    /// bytes after the closing quote, which is at most 50 bytes in.
    private static let lookahead = 96

    /// Reads the array at `pos` (depth 5) into `tag.ipv4` and `tag.ipv6`.
    ///
    /// Each element is parsed in place by `InPlacePrefixParser` (no `String`, no separate string
    /// scan); what it declines goes through `scanString` and the strict `AddressParser.prefix`,
    /// which gives the verdict and the error message.
    /// - Complexity: O(bytes of the array).
    mutating func readAddressPrefixes(into tag: inout ServiceTag) throws(ServiceTagsError) {
        let c = try peekValue()
        guard c == UInt8(ascii: "[") else { throw try mismatch(expected: .array, at: c) }
        scanner.pos += 1
        // Collect into reused buffers, then copy once at the exact size: appending to fresh arrays
        // would reallocate and copy log(n) times per tag.
        ipv4Scratch.removeAll()
        ipv6Scratch.removeAll()
        defer {
            ServiceTagsReader.assign(ipv4Scratch, to: &tag.ipv4)
            ServiceTagsReader.assign(ipv6Scratch, to: &tag.ipv6)
        }
        var index = 0  // of the element at `pos`
        var gap = gaps.prefix
        defer { gaps.prefix = gap }
        elementIndex = -1
        guard var c = try nextElement(first: true) else { return }
        while true {
            // `pos` is at the first byte `c` of element `index`.
            if c != UInt8(ascii: "\"") || !readElementsInBuffer(index: &index, gap: gap) {
                elementIndex = index
                guard c == UInt8(ascii: "\"") else { throw try mismatch(expected: .string, at: c) }
                switch try parsePrefixString() {
                case .v4(let p): ipv4Scratch.append(p)
                case .v6(let p): ipv6Scratch.append(p)
                }
                elementIndex = -1
                index &+= 1
            }
            // `pos` is just after an element's closing quote.
            let gapStart = scanner.pos, consumed = scanner.consumed, line = scanner.line
            if scanner.skipCommaToQuoteInBuffer() {
                if let learned = scanner.learnGap(from: gapStart, consumed: consumed, line: line, throughPos: true) {
                    gap = learned
                }
                c = UInt8(ascii: "\"")
                continue
            }
            guard let next = try nextElement(first: false) else { break }
            c = next
        }
    }

    /// Reads elements from the opening quote at `pos` for as long as `InPlacePrefixParser` takes
    /// them, each is followed by `gap`, and `lookahead` bytes remain: no refill, no bounds check,
    /// no error path, and the position kept in a register rather than in `scanner`.
    /// - Returns: `true` with `pos` just after an element's closing quote (its gap is not `gap`),
    ///   or `false` with `pos` at an opening quote the general path must take (element `index`).
    @inline(__always)
    private mutating func readElementsInBuffer(index: inout Int, gap: LearnedGap) -> Bool {
        let b = scanner.base
        let end = scanner.end
        var i = scanner.pos
        var line = scanner.line
        var lineStart = scanner.lineStart
        var stoppedAfterElement = false
        while end &- i >= ServiceTagsReader.lookahead {
            let after = InPlacePrefixParser.parse(b, i &+ 1, end, into: &ipv4Scratch, &ipv6Scratch)
            guard after >= 0 else { break }
            index &+= 1
            guard gap.matches(b + after) else {
                i = after
                stoppedAfterElement = true
                break
            }
            i = after &+ gap.advance
            if gap.newlines > 0 {
                line &+= gap.newlines
                lineStart = after &+ gap.lineStartOffset
            }
        }
        scanner.pos = i
        scanner.line = line
        scanner.lineStart = lineStart
        return stoppedAfterElement
    }

    /// `target = source`, in place when `target` already has the room (the `next(into:)` case:
    /// no allocation), else as one exactly sized copy.
    @inline(__always)
    private static func assign<P>(_ source: borrowing PrefixBuffer<P>, to target: inout [P]) {
        if target.capacity >= source.count {
            target.removeAll(keepingCapacity: true)
            source.withElements { target.append(contentsOf: $0) }
        } else {
            target = source.array()
        }
    }

    /// The general path for one prefix string at `pos`: scan it (refilling, unescaping) and let
    /// `AddressParser.prefix` decide.
    @inline(never)
    private mutating func parsePrefixString() throws(ServiceTagsError) -> IPPrefix {
        let token = try scanString()
        do throws(AddressParseFailure) {
            if !token.hasEscapes {
                let bytes = UnsafeBufferPointer(start: scanner.base + token.start, count: token.count)
                return try AddressParser.prefix(bytes.span, 0, token.count)
            }
            scratch.removeAll(keepingCapacity: true)
            scanner.unescape(token, into: &scratch)
            return try AddressParser.prefix(scratch.span, 0, scratch.count)
        } catch {
            throw invalidPrefix(error, token: token)
        }
    }

    private mutating func invalidPrefix(_ failure: AddressParseFailure, token: JSONStringToken) -> ServiceTagsError {
        let text = scanner.string(token, scratch: &scratch)
        let error = AddressParseError(input: text, offset: failure.offset, reason: failure.reason)
        return fail(.invalidPrefix(error), at: scanner.location(at: token.start - 1))
    }
}
