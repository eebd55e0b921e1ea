/// The reader's view of the scanner: every scanner call goes through here so a `JSONError` becomes
/// a `ServiceTagsError` carrying the file and the current JSON path.
extension ServiceTagsReader {
    /// A key in the reader's position: one the schema knows (a constant, so recording it per member
    /// costs a store), or an unknown one being skipped.
    enum PathKey {
        case none
        case known(StaticString)
        case unknown(String)

        var component: JSONPathComponent? {
            switch self {
            case .none: nil
            case .known(let s): .key(s.description)
            case .unknown(let s): .key(s)
            }
        }
    }

    /// The JSON path of the value being read, e.g. `values[12].properties.addressPrefixes[3]`.
    var currentPath: String {
        var parts: [JSONPathComponent] = []
        if let c = topKey.component { parts.append(c) }
        if inEntry { parts.append(.index(tagIndex)) }
        if let c = entryKey.component { parts.append(c) }
        if let c = propertyKey.component { parts.append(c) }
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

    /// Identifies `key` (just scanned, `pos` right after it) among `keys`, marking it in `seen`.
    /// - Returns: its index and path key, or index -1 (and its text) for an unknown key.
    /// - Throws: `duplicateKey` at the key when a known key repeats.
    mutating func knownKey(_ key: JSONStringToken, among keys: [StaticString], seen: inout UInt16) throws(ServiceTagsError) -> (index: Int, path: PathKey) {
        let i = scanner.index(of: key, in: keys, scratch: &scratch)
        guard i >= 0 else { return (-1, .unknown(scanner.string(key, scratch: &scratch))) }
        if seen & 1 << i != 0 {
            throw fail(.duplicateKey(keys[i].description), at: scanner.location(at: key.start - 1))
        }
        seen |= 1 << i
        return (i, .known(keys[i]))
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

    /// A string that must be present and not `null`.
    mutating func requiredString() throws(ServiceTagsError) -> String {
        let c = try peekValue()
        guard c == UInt8(ascii: "\"") else { throw try mismatch(expected: .string, at: c) }
        let token = try scanString()
        return scanner.string(token, scratch: &scratch)
    }

    /// An integer (a JSON integer, or a decimal string as the Discovery API sends change numbers),
    /// or `nil` for `null`.
    /// - Throws: `wrongType` for fractions, exponents and other strings; `numberOutOfRange` when it
    ///   does not fit in `Int`.
    mutating func optionalInteger() throws(ServiceTagsError) -> Int? {
        let c = try peekValue()
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
    mutating func optionalStringArray() throws(ServiceTagsError) -> [String]? {
        let c = try peekValue()
        if c == UInt8(ascii: "n") {
            do { _ = try scanner.scanLiteral() } catch { throw fail(error) }
            return nil
        }
        guard c == UInt8(ascii: "[") else { throw try mismatch(expected: .array, at: c) }
        scanner.pos += 1
        var strings: [String] = []
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
