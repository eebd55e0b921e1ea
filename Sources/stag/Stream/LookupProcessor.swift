import ServiceTags

/// `stag lookup -` on a block of lines, on bytes: trim, skip blank and `#` lines, parse the
/// address or prefix in place, one combined-index probe, then copy the address bytes and the
/// node's fragment (`LookupAnswers`), a batch of lines at a time.
///
/// Slow paths, taken rarely and giving today's exact bytes: a line whose trimmed ends are not ASCII
/// (Unicode white space is trimmed too, as `String.trimmingWhitespace` does) and an invalid input
/// (the message needs the input as a `String`).
struct LookupProcessor: LineBlockProcessor {
    let table: LookupAnswerTable
    let ipv4: FamilyIndex<IPv4Address>
    let ipv6: FamilyIndex<IPv6Address>
    let json: Bool
    let v6Base: Int, noNode: Int
    var needsLineNumbers: Bool { false }

    init(_ answers: LookupAnswers) {
        table = LookupAnswerTable(answers)
        ipv4 = answers.index.ipv4
        ipv6 = answers.index.ipv6
        json = answers.json
        v6Base = answers.v6Base
        noNode = answers.keyCount - 1
    }

    /// A parsed input waiting for its lookup: an address, or an already resolved key (a prefix,
    /// or -1 for an invalid input).
    enum Query { case v4(UInt32), v6(UInt128), key(Int) }

    /// Inputs are answered in batches of `batchSize`: parse all, then look all up, then copy. The
    /// index probes and fragment fetches of a batch are independent, so their cache misses overlap
    /// instead of queueing one behind the other (random addresses miss the cache at every step).
    static let batchSize = 32

    func process(_ block: UnsafeRawBufferPointer, _ job: BlockJob, into out: inout BlockOutput) {
        let bytes = block.assumingMemoryBound(to: UInt8.self).span
        var spans: [(Int, Int)] = [], queries: [Query] = []
        spans.reserveCapacity(Self.batchSize)
        queries.reserveCapacity(Self.batchSize)
        var cursor = LineCursor(block)
        while let (lineStart, lineEnd) = cursor.next() {
            var s = lineStart, e = lineEnd
            while s < e && Self.isSpace(bytes[s]) { s &+= 1 }
            while e > s && Self.isSpace(bytes[e &- 1]) { e &-= 1 }
            if s == e || bytes[s] == UInt8(ascii: "#") { continue }
            if bytes[s] >= 0x80 || bytes[e &- 1] >= 0x80 {
                flush(bytes, &spans, &queries, into: &out)
                let line = String(decoding: UnsafeRawBufferPointer(rebasing: block[lineStart ..< lineEnd]), as: UTF8.self)
                let trimmed = line.trimmingWhitespace()
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                let copy = Array(trimmed.utf8)
                var oneSpan = [(0, copy.count)], oneQuery = [query(copy.span, 0, copy.count)]
                flush(copy.span, &oneSpan, &oneQuery, into: &out)
            } else {
                spans.append((s, e))
                queries.append(query(bytes, s, e))
                if spans.count == Self.batchSize { flush(bytes, &spans, &queries, into: &out) }
            }
        }
        flush(bytes, &spans, &queries, into: &out)
    }

    /// Answers the batch, in order, and empties it.
    @inline(__always)
    func flush(_ bytes: Span<UInt8>, _ spans: inout [(Int, Int)], _ queries: inout [Query], into out: inout BlockOutput) {
        var keys: [Int] = []
        keys.reserveCapacity(queries.count)
        for q in queries {
            switch q {
            case .v4(let a): keys.append(ipv4.node(containing: IPv4Address(bits: a)).map { Int($0) } ?? noNode)
            case .v6(let a): keys.append(ipv6.node(containing: IPv6Address(bits: a)).map { v6Base + Int($0) } ?? noNode)
            case .key(let k): keys.append(k)
            }
        }
        var fragments: [LookupAnswers.Fragment?] = []
        fragments.reserveCapacity(keys.count)
        for k in keys { fragments.append(k >= 0 ? table.fragment(k) : nil) }
        let buffer = out.bytes
        bytes.withUnsafeBufferPointer { raw in
            for i in keys.indices {
                let (s, e) = spans[i]
                guard let fragment = fragments[i] else {
                    invalid(String(decoding: UnsafeBufferPointer(rebasing: raw[s ..< e]), as: UTF8.self), into: &out)
                    continue
                }
                // Valid input is ASCII hex digits, '.', ':' and '/': nothing to escape in JSON or text.
                if json { buffer.append(Self.jsonHead) }
                buffer.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: raw[s ..< e])))
                if json { buffer.append(UInt8(ascii: "\"")) }
                buffer.append(fragment.base, fragment.count)
                if table.answers.matched[keys[i]] { out.selected += 1 }
            }
        }
        spans.removeAll(keepingCapacity: true)
        queries.removeAll(keepingCapacity: true)
    }

    static let jsonHead = Array(#"{"address":""#.utf8)

    /// The input `bytes[s ..< e]` (trimmed, non-empty) parsed; prefixes are looked up at once.
    @inline(__always)
    func query(_ bytes: Span<UInt8>, _ s: Int, _ e: Int) -> Query {
        var k = s
        while k < e { if bytes[k] == UInt8(ascii: "/") { return .key(prefixNode(bytes, s, e)) }; k &+= 1 }
        guard let address = try? IPAddress(parsing: bytes.extracting(s ..< e)) else { return .key(-1) }
        switch address.unmapped {
        case .v4(let a): return .v4(a.bits)
        case .v6(let a): return .v6(a.bits)
        }
    }

    /// ASCII white space (Unicode's White_Space below 0x80: TAB, LF, VT, FF, CR, space).
    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b &- 0x09) < 5 }

    /// The key of the deepest node containing the whole prefix (`noNode` outside every prefix), or
    /// -1 when the input is invalid. IPv4-mapped IPv6 prefixes of /96 and longer are IPv4 prefixes.
    func prefixNode(_ bytes: Span<UInt8>, _ s: Int, _ e: Int) -> Int {
        guard let prefix = try? AddressParser.prefix(bytes, s, e) else { return -1 }
        switch prefix {
        case .v4(let p): return ipv4.node(containing: p).map { Int($0) } ?? noNode
        case .v6(let p):
            if p.length >= 96, let a = p.address.unmappedIPv4 {
                return ipv4.node(containing: IPv4Prefix(masking: a, length: Int(p.length) - 96)).map { Int($0) } ?? noNode
            }
            return ipv6.node(containing: p).map { v6Base + Int($0) } ?? noNode
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
        if json {
            out.bytes.append(LookupCommand.invalidJSON(input, error))
            out.bytes.append(0x0A)
        } else {
            out.messages.append((out.bytes.count, LookupCommand.invalidMessage(error)))
        }
    }
}
