/// The reader's view of the scanner: every scanner call goes through here so a `JSONError` becomes
/// a `ServiceTagsError` carrying the file and the current JSON path.
extension ServiceTagsReader {
    /// A key in the reader's position: one the schema knows (a constant, so recording it per member
    /// is a trivial store), or the unknown one being skipped, whose text is in `unknownKey` (only
    /// one can be in progress, as its whole value is skipped at once).
    enum PathKey {
        case none
        case known(StaticString)
        case unknown
    }

    func component(_ key: PathKey) -> JSONPathComponent? {
        switch key {
        case .none: nil
        case .known(let s): .key(s.description)
        case .unknown: .key(unknownKey)
        }
    }

    /// The JSON path of the value being read, e.g. `values[12].properties.addressPrefixes[3]`.
    var currentPath: String {
        var parts: [JSONPathComponent] = []
        if let c = component(topKey) { parts.append(c) }
        if inEntry { parts.append(.index(tagIndex)) }
        if let c = component(entryKey) { parts.append(c) }
        if let c = component(propertyKey) { parts.append(c) }
        if elementIndex >= 0 { parts.append(.index(elementIndex)) }
        return JSONPathComponent.render(parts)
    }

    @inline(never)
    func fail(_ error: JSONError) -> ServiceTagsError {
        let reason: ServiceTagsError.Reason = switch error.reason {
        case .unexpectedEnd: .truncated
        case .readFailed(let e): .readFailed(errno: e)
        default: .syntax(error.reason)
        }
        return fail(reason, at: error.location)
    }

    @inline(never)
    func fail(_ reason: ServiceTagsError.Reason, at location: JSONLocation) -> ServiceTagsError {
        ServiceTagsError(reason, file: path, location: location, jsonPath: currentPath, tagName: inEntry ? tagName : nil)
    }

    @inline(__always)
    mutating func peekValue() throws(ServiceTagsError) -> UInt8 {
        do { return try scanner.peekValueByte() } catch { throw fail(error) }
    }

    @inline(__always)
    mutating func nextKey(first: Bool) throws(ServiceTagsError) -> JSONStringToken? {
        do { return try scanner.nextKey(first: first) } catch { throw fail(error) }
    }

    /// `nextElement(first:)`, but a gap before the element equal to `gap` (the last one crossed
    /// between elements of this kind of array, its first byte included) costs four word
    /// compares; a gap crossed the general way is learned into `gap`.
    @inline(__always)
    mutating func nextElement(first: Bool, gap: inout LearnedGap) throws(ServiceTagsError) -> UInt8? {
        if !first && scanner.cross(gap) { return scanner.base[scanner.pos] }
        let start = scanner.pos, consumed = scanner.consumed, line = scanner.line
        guard let c = try nextElement(first: first) else { return nil }
        if !first, let learned = scanner.learnGap(from: start, consumed: consumed, line: line, throughPos: true) {
            gap = learned
        }
        return c
    }

    @inline(__always)
    mutating func consumeColon() throws(ServiceTagsError) {
        do { try scanner.consumeColon() } catch { throw fail(error) }
    }

    @inline(__always)
    mutating func nextElement(first: Bool) throws(ServiceTagsError) -> UInt8? {
        do { return try scanner.nextElement(first: first) } catch { throw fail(error) }
    }

    @inline(__always)
    mutating func scanString() throws(ServiceTagsError) -> JSONStringToken {
        do { return try scanner.scanString() } catch { throw fail(error) }
    }

    mutating func skipValue(depth: Int) throws(ServiceTagsError) {
        do { try scanner.skipValue(depth: depth) } catch { throw fail(error) }
    }

    /// Identifies `key` (just scanned, `pos` right after it) among the keys of `level`, marking it
    /// in `seen`.
    /// - Returns: its index and path key, or index -1 for an unknown key (its text then in
    ///   `unknownKey`).
    /// - Throws: `duplicateKey` at the key when a known key repeats.
    @inline(__always)
    mutating func knownKey(_ key: JSONStringToken, _ level: ServiceTagsSchemaKeys.Level, seen: inout UInt16) throws(ServiceTagsError) -> (index: Int, path: PathKey) {
        let i = key.hasEscapes ? escapedKeyIndex(key, level) : ServiceTagsSchemaKeys.index(scanner.base + key.start, key.count, level)
        guard i >= 0 else {
            unknownKey = scanner.string(key, scratch: &scratch)
            return (-1, .unknown)
        }
        let name = ServiceTagsSchemaKeys.name(level, i)
        if seen & 1 << i != 0 {
            throw fail(.duplicateKey(name.description), at: scanner.location(at: key.start - 1))
        }
        seen |= 1 << i
        return (i, .known(name))
    }

    private mutating func escapedKeyIndex(_ key: JSONStringToken, _ level: ServiceTagsSchemaKeys.Level) -> Int {
        scratch.removeAll(keepingCapacity: true)
        scanner.unescape(key, into: &scratch)
        return scratch.withUnsafeBufferPointer { b in
            b.baseAddress.map { ServiceTagsSchemaKeys.index($0, b.count, level) } ?? -1
        }
    }

    /// The error for a value of the wrong kind starting with `c` at `pos`. A malformed number or
    /// literal is reported as the syntax error it is; a byte that starts no value, as unexpected.
    mutating func mismatch(expected: JSONValueKind, at c: UInt8) throws(ServiceTagsError) -> ServiceTagsError {
        let location = scanner.location(at: scanner.pos)
        guard let found = JSONValueKind.of(firstByte: c) else {
            return fail(JSONError(.unexpectedCharacter(c, expected: .kind(expected)), at: location))
        }
        do {
            switch found {
            case .number: _ = try scanner.scanNumber()
            case .boolean, .null: _ = try scanner.scanLiteral()
            default: break
            }
        } catch {
            throw fail(error)
        }
        return fail(.wrongType(expected: expected, found: found), at: location)
    }

    /// The decoded text of a tag name `token`; an escaped one leaves its bytes in `scratch`.
    /// - Throws: `nulCharacter` at the opening quote (only an escape can produce U+0000: a raw
    ///   control byte is a syntax error). Only names are refused: they become set and rule names
    ///   in generated configs, where a NUL cuts a C string short; other text with one is kept
    ///   (and escaped on output), as the accepted fixtures have it.
    @inline(__always)
    mutating func nameString(_ token: JSONStringToken) throws(ServiceTagsError) -> String {
        let s = scanner.string(token, scratch: &scratch)
        if token.hasEscapes && scratch.contains(0) {
            throw fail(.nulCharacter, at: scanner.location(at: token.start - 1))
        }
        return s
    }

    /// A string, or `nil` for `null`.
    mutating func optionalString() throws(ServiceTagsError) -> String? {
        let c = try peekValue()
        if c == UInt8(ascii: "\"") {
            let token = try scanString()
            return scanner.string(token, scratch: &scratch)
        }
        if c == UInt8(ascii: "n") {
            do { _ = try scanner.scanLiteral() } catch { throw fail(error) }
            return nil
        }
        throw try mismatch(expected: .string, at: c)
    }

    /// A string, or `nil` for `null`; `candidate` itself when the bytes are the same, so a value
    /// that repeats (`id` equal to `name`, the previous tag's `systemService`) shares its storage
    /// instead of being validated and allocated again.
    mutating func optionalString(reusing candidate: String) throws(ServiceTagsError) -> String? {
        let c = try peekValue()
        guard c == UInt8(ascii: "\"") else { return try optionalString() }
        let token = try scanString()
        if !token.hasEscapes && ServiceTagsReader.equal(candidate, scanner.base + token.start, token.count) {
            return candidate
        }
        return scanner.string(token, scratch: &scratch)
    }

    /// Whether `s` is the UTF-8 `p[0..<n]`; the length is compared first, in O(1).
    @inline(__always)
    static func equal(_ s: String, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard s.utf8.count == n else { return false }
        var s = s
        return s.withUTF8 { b in
            guard let q = b.baseAddress else { return true }
            return ByteCompare.equal(q, p, n)
        }
    }

    /// An integer (a JSON integer, or a decimal string as the Discovery API sends change numbers),
    /// or `nil` for `null`.
    /// - Throws: `wrongType` for fractions, exponents and other strings; `numberOutOfRange` when it
    ///   does not fit in `Int`.
    mutating func optionalInteger() throws(ServiceTagsError) -> Int? {
        let c = try peekValue()
        if c &- 0x30 < 10, let value = scanner.smallNonNegativeInteger() { return value }
        let location = scanner.location(at: scanner.pos)
        let value: JSONIntegerValue
        let found: JSONValueKind
        switch c {
        case UInt8(ascii: "-"), 0x30...0x39:
            let token: JSONNumberToken
            do { token = try scanner.scanNumber() } catch { throw fail(error) }
            value = scanner.integerValue(token)
            found = .number
        case UInt8(ascii: "\""):
            let token = try scanString()
            scratch.removeAll(keepingCapacity: true)
            scanner.unescape(token, into: &scratch)
            value = scratch.withUnsafeBufferPointer { b in
                guard let start = b.baseAddress else { return .notAnInteger }
                return JSONScanner.decimalValue(start, 0, b.count, negative: false)
            }
            found = .string
        case UInt8(ascii: "n"):
            do { _ = try scanner.scanLiteral() } catch { throw fail(error) }
            return nil
        default:
            throw try mismatch(expected: .integer, at: c)
        }
        switch value {
        case .value(let v): return v
        case .notAnInteger: throw fail(.wrongType(expected: .integer, found: found), at: location)
        case .outOfRange: throw fail(.numberOutOfRange, at: location)
        }
    }

    /// An array of strings, or `nil` for `null`; `elementIndex` tracks the element for errors.
    /// Returns `candidate` itself when equal, so the usual `["API", "NSG", "UDR", "FW"]` is one
    /// shared array rather than one allocation per tag: elements are compared with `candidate`'s
    /// in the buffer, and an array is only built from the first one that differs.
    mutating func optionalStringArray(reusing candidate: [String]?) throws(ServiceTagsError) -> [String]? {
        guard let candidate else { return try optionalStringArray() }
        let c = try peekValue()
        if c == UInt8(ascii: "n") {
            do { _ = try scanner.scanLiteral() } catch { throw fail(error) }
            return nil
        }
        guard c == UInt8(ascii: "[") else { throw try mismatch(expected: .array, at: c) }
        scanner.pos += 1
        var matched = 0           // leading elements equal to `candidate`'s, while `built` is nil
        var built: [String]? = nil
        var index = 0
        var gap = gaps.feature
        defer { gaps.feature = gap }
        while true {
            elementIndex = -1
            guard let c = try nextElement(first: index == 0, gap: &gap) else { break }
            elementIndex = index
            guard c == UInt8(ascii: "\"") else { throw try mismatch(expected: .string, at: c) }
            let token = try scanString()
            index &+= 1
            if built == nil {
                if matched < candidate.count, !token.hasEscapes,
                   ServiceTagsReader.equal(candidate[matched], scanner.base + token.start, token.count) {
                    matched &+= 1
                    continue
                }
                built = Array(candidate[0..<matched])
            }
            built!.append(scanner.string(token, scratch: &scratch))
        }
        elementIndex = -1
        if let built { return built }
        return matched == candidate.count ? candidate : Array(candidate[0..<matched])
    }

    /// An array of strings, or `nil` for `null`; `elementIndex` tracks the element for errors.
    mutating func optionalStringArray() throws(ServiceTagsError) -> [String]? {
        let c = try peekValue()
        if c == UInt8(ascii: "n") {
            do { _ = try scanner.scanLiteral() } catch { throw fail(error) }
            return nil
        }
        guard c == UInt8(ascii: "[") else { throw try mismatch(expected: .array, at: c) }
        scanner.pos += 1
        var strings: [String] = []
        strings.reserveCapacity(4)  // the usual API, NSG, UDR, FW: one allocation
        while true {
            elementIndex = -1
            guard let c = try nextElement(first: strings.isEmpty) else { break }
            elementIndex = strings.count
            guard c == UInt8(ascii: "\"") else { throw try mismatch(expected: .string, at: c) }
            let token = try scanString()
            strings.append(scanner.string(token, scratch: &scratch))
        }
        return strings
    }
}
