/// Tag names that are distinct as bytes but equal as `String`s (canonically equivalent Unicode:
/// "\u{E9}" and "e\u{301}", the Kelvin sign and "K"). Every name lookup of the tool goes through
/// `String ==`, so one of two such tags would answer for both: the reader refuses a file that
/// holds them (`ServiceTagsError.Reason.equivalentTagName`), and the compiled loaders use this.
enum TagNameEquivalence {
    /// The first pair `(earlier, later)` of positions whose names are equal as `String`s, or nil.
    /// - Precondition: the names are distinct as bytes (checked before, by each loader).
    /// - Complexity: O(name bytes) for names that are all ASCII (no two distinct ASCII strings
    ///   are equivalent, so nothing is hashed); else O(names) expected hashing.
    static func firstEquivalentPair(_ names: some Collection<String>) -> (Int, Int)? {
        if names.allSatisfy(isASCII) { return nil }
        var seen: [String: Int] = [:]
        seen.reserveCapacity(names.count)
        for (i, name) in names.enumerated() {
            if let other = seen.updateValue(i, forKey: name) { return (other, i) }
        }
        return nil
    }

    /// Whether every byte of `name` is ASCII (no other name can then be equivalent to it unless
    /// that one is not ASCII). Over the contiguous bytes of a native string.
    static func isASCII(_ name: String) -> Bool {
        name.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? name.utf8.allSatisfy { $0 < 0x80 }
    }
}
