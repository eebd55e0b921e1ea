/// One entry of `values`: `{name, id, properties: {…, addressPrefixes: […]}}` in any key order.
extension ServiceTagsReader {
    private static let addressPrefixesBit: UInt16 = 1 << 5

    /// Reads the entry whose first byte `c` is at `pos` (depth 3: document, `values`, entry) into
    /// `tag`, overwriting every field. `tag`'s previous strings and arrays are offered for reuse:
    /// a value equal to the old one keeps the old storage.
    /// - Throws: shape errors, `missingKey` at the entry's `{`, `duplicateTagName` at the name;
    ///   `tag` is then partly overwritten.
    mutating func readEntry(startingWith c: UInt8, into tag: inout ServiceTag) throws(ServiceTagsError) {
        guard c == UInt8(ascii: "{") else { throw try mismatch(expected: .object, at: c) }
        let entryStart = scanner.location(at: scanner.pos)
        scanner.pos += 1
        var seen: UInt16 = 0
        var first = true
        var previous = -1  // the member before, for its learned prelude
        while let (index, _) = try nextMember(.entry, first: first, after: previous, seen: &seen) {
            first = false
            previous = index
            switch index {
            case 0:
                let c = try peekValue()
                guard c == UInt8(ascii: "\"") else { throw try mismatch(expected: .string, at: c) }
                let location = scanner.location(at: scanner.pos)
                let token = try scanString()
                tag.name = try nameString(token)
                tagName = tag.name
                // Checked here, while the name's bytes are at hand (`string` left an escaped
                // name's decoded bytes in `scratch`).
                let isNew = token.hasEscapes ? names.insert(scratch) : names.insert(scanner.base + token.start, token.count)
                guard isNew else { throw fail(.duplicateTagName(tag.name), at: location) }
                guard noEquivalent(tag.name) else { throw fail(.equivalentTagName(tag.name), at: location) }
            case 1: tag.id = try optionalString(reusing: tag.name) ?? ""
            case 2: try readProperties(into: &tag)
            default: try skipValue(depth: 3)
            }
            entryKey = .none
        }
        guard seen & 0b1 != 0 else { throw fail(.missingKey("name"), at: entryStart) }
        guard seen & 0b100 != 0 else { throw fail(.missingKey("properties"), at: entryStart) }
        if seen & 0b10 == 0 { tag.id = "" }
    }

    /// Whether no earlier name is canonically equivalent to `name` (already known to differ from
    /// each in bytes). ASCII names are only compared once a non-ASCII one has appeared.
    private mutating func noEquivalent(_ name: String) -> Bool {
        if equivalentNames == nil {
            if TagNameEquivalence.isASCII(name) { return true }
            // The earlier names (all ASCII, so distinct as Strings too) and this one.
            let earlier = names.strings()
            equivalentNames = Set(earlier)
            return equivalentNames!.count == earlier.count
        }
        return equivalentNames!.insert(name).inserted
    }

    /// Reads `properties` (depth 4) into `tag`.
    private mutating func readProperties(into tag: inout ServiceTag) throws(ServiceTagsError) {
        let c = try peekValue()
        guard c == UInt8(ascii: "{") else { throw try mismatch(expected: .object, at: c) }
        let start = scanner.location(at: scanner.pos)
        scanner.pos += 1
        var seen: UInt16 = 0
        var first = true
        var previous = -1  // the member before, for its learned prelude
        while let (index, _) = try nextMember(.properties, first: first, after: previous, seen: &seen) {
            first = false
            previous = index
            switch index {
            case 0: tag.changeNumber = try optionalInteger()
            case 1: tag.region = try optionalString(reusing: tag.region) ?? ""
            case 2: tag.regionId = try optionalInteger()
            case 3: tag.platform = try optionalString(reusing: tag.platform) ?? ""
            case 4: tag.systemService = try optionalString(reusing: tag.systemService) ?? ""
            case 5: try readAddressPrefixes(into: &tag)
            case 6: tag.networkFeatures = try networkFeatures(reusing: tag.networkFeatures)
            default: try skipValue(depth: 4)
            }
            propertyKey = .none
        }
        guard seen & ServiceTagsReader.addressPrefixesBit != 0 else { throw fail(.missingKey("addressPrefixes"), at: start) }
        // Absent keys mean absent values, whatever `tag` held before.
        if seen & 1 << 0 == 0 { tag.changeNumber = nil }
        if seen & 1 << 1 == 0 { tag.region = "" }
        if seen & 1 << 2 == 0 { tag.regionId = nil }
        if seen & 1 << 3 == 0 { tag.platform = "" }
        if seen & 1 << 4 == 0 { tag.systemService = "" }
        if seen & 1 << 6 == 0 { tag.networkFeatures = nil }
    }
}
