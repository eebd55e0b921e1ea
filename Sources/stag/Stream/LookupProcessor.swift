import ServiceTags

/// `stag lookup -` on a block of lines, on bytes: trim, skip blank and `#` lines, parse the
/// address or prefix in place, one combined-index probe, then copy the address bytes and the
/// node's cached fragment (`LookupRenderer`).
///
/// Slow paths, taken rarely and giving today's exact bytes: a line whose trimmed ends are not ASCII
/// (Unicode white space is trimmed too, as `String.trimmingWhitespace` does) and an invalid input
/// (the message needs the input as a `String`).
struct LookupProcessor: LineBlockProcessor {
    let renderer: LookupRenderer
    var needsLineNumbers: Bool { false }

    init(index: TagIndex, only: [Bool]?, json: Bool) {
        renderer = LookupRenderer(index: index, only: only, json: json)
    }

    mutating func process(_ block: UnsafeRawBufferPointer, _ job: BlockJob, into out: inout BlockOutput) {
        let bytes = block.assumingMemoryBound(to: UInt8.self).span
        block.forEachLine { lineStart, lineEnd in
            var s = lineStart, e = lineEnd
            while s < e && Self.isSpace(bytes[s]) { s &+= 1 }
            while e > s && Self.isSpace(bytes[e &- 1]) { e &-= 1 }
            if s == e || bytes[s] == UInt8(ascii: "#") { return true }
            if bytes[s] >= 0x80 || bytes[e &- 1] >= 0x80 {
                let line = String(decoding: UnsafeRawBufferPointer(rebasing: block[lineStart ..< lineEnd]), as: UTF8.self)
                let trimmed = line.trimmingWhitespace()
                if trimmed.isEmpty || trimmed.hasPrefix("#") { return true }
                let copy = Array(trimmed.utf8)
                answer(copy.span, 0, copy.count, into: &out)
            } else {
                answer(bytes, s, e, into: &out)
            }
            return true
        }
    }

    /// ASCII white space (Unicode's White_Space below 0x80: TAB, LF, VT, FF, CR, space).
    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b &- 0x09) < 5 }

    /// Answers the input `bytes[s ..< e]` (trimmed, non-empty).
    @inline(__always)
    func answer(_ bytes: Span<UInt8>, _ s: Int, _ e: Int, into out: inout BlockOutput) {
        guard let node = Self.node(bytes, s, e, renderer.index) else {
            invalid(String(decoding: bytes.extracting(s ..< e).bytes.withUnsafeBytes { Array($0) }, as: UTF8.self), into: &out)
            return
        }
        // Valid input is ASCII hex digits, '.', ':' and '/': nothing to escape in JSON or text.
        let buffer = out.bytes
        if renderer.json { buffer.append(Self.jsonHead) }
        bytes.withUnsafeBufferPointer { buffer.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer($0)[s ..< e])) }
        if renderer.json { buffer.append(UInt8(ascii: "\"")) }
        if renderer.append(node, to: buffer) { out.selected += 1 }
    }

    static let jsonHead = Array(#"{"address":""#.utf8)

    /// The deepest node containing the address or whole prefix, `.none` outside every prefix, or
    /// nil when the input is invalid. IPv4-mapped IPv6 is looked up as IPv4 (prefixes too, /96 and longer).
    @inline(__always)
    static func node(_ bytes: Span<UInt8>, _ s: Int, _ e: Int, _ index: TagIndex) -> LookupRenderer.Node? {
        var slash = false
        var k = s
        while k < e { if bytes[k] == UInt8(ascii: "/") { slash = true; break }; k &+= 1 }
        if slash {
            guard let prefix = try? AddressParser.prefix(bytes, s, e) else { return nil }
            switch prefix {
            case .v4(let p): return index.ipv4.node(containing: p).map { .v4($0) } ?? LookupRenderer.Node.none
            case .v6(let p):
                if p.length >= 96, let a = p.address.unmappedIPv4 {
                    return index.ipv4.node(containing: IPv4Prefix(masking: a, length: Int(p.length) - 96)).map { .v4($0) } ?? LookupRenderer.Node.none
                }
                return index.ipv6.node(containing: p).map { .v6($0) } ?? LookupRenderer.Node.none
            }
        }
        guard let address = try? IPAddress(parsing: bytes.extracting(s ..< e)) else { return nil }
        switch address.unmapped {
        case .v4(let a): return index.ipv4.node(containing: a).map { .v4($0) } ?? LookupRenderer.Node.none
        case .v6(let a): return index.ipv6.node(containing: a).map { .v6($0) } ?? LookupRenderer.Node.none
        }
    }

    /// Today's error output for an invalid input, from the same functions as the command-line path.
    func invalid(_ input: String, into out: inout BlockOutput) {
        out.invalid = true
        let error: AddressParseError
        do {
            if input.contains("/") { _ = try IPPrefix(parsing: input) } else { _ = try IPAddress(parsing: input) }
            // The byte path rejected what the String path accepts: cannot happen (one parser).
            error = AddressParseError(input: input, offset: 0, reason: .empty)
        } catch let e {
            error = e
        }
        if renderer.json {
            out.bytes.append(LookupCommand.invalidJSON(input, error))
            out.bytes.append(0x0A)
        } else {
            out.messages.append((out.bytes.count, LookupCommand.invalidMessage(error)))
        }
    }
}
