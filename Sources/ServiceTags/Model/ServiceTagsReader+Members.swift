/// Members of the entry and `properties` objects, with learned preludes.
///
/// A prelude is everything from the end of one member's value to the start of the next one's:
/// `,\n        "region": ` (or, before the first member, from the `{`). Every entry of a real
/// file repeats the same keys in the same order with the same indentation, so the prelude that
/// followed member k last time almost always follows it again; when its bytes match, the key,
/// the comma, the colon and the whitespace are all settled by four word compares (see
/// `LearnedGap`), with no string scan and no key lookup.
struct LearnedPrelude {
    var gap = LearnedGap()
    /// The index of the key the prelude introduces (meaningful when `gap` is learned).
    var key = 0
}

/// The preludes learned per object kind: slot k follows member k, the last slot precedes the first
/// member.
struct LearnedPreludes {
    var entry = InlineArray<4, LearnedPrelude>(repeating: LearnedPrelude())
    var properties = InlineArray<8, LearnedPrelude>(repeating: LearnedPrelude())

    static func firstSlot(_ level: ServiceTagsSchemaKeys.Level) -> Int {
        level == .entry ? 3 : 7
    }
}

extension ServiceTagsReader {
    /// Moves to the next member of the entry or `properties` object being read: consumes the `,`
    /// (unless `first`), the key and the colon, and records the key in `entryKey` or
    /// `propertyKey` for error paths. `pos` is then at the value or at whitespace before it.
    /// - Parameters:
    ///   - previous: the index of the member before (ignored when `first`); -1 after an unknown
    ///     key, which disables the learned path for this step.
    ///   - seen: the known keys met so far in this object, updated.
    /// - Returns: the key's index and path (index -1 for an unknown key), or `nil` after the `}`.
    /// - Throws: as `nextKey(first:)`, `knownKey`, `consumeColon()`; a learned prelude is only
    ///   taken when it cannot hide an error (its key not seen yet), so errors are the general path's.
    @inline(__always)
    mutating func nextMember(_ level: ServiceTagsSchemaKeys.Level, first: Bool, after previous: Int,
                             seen: inout UInt16) throws(ServiceTagsError) -> (index: Int, path: PathKey)? {
        let slot = first ? LearnedPreludes.firstSlot(level) : previous
        if slot >= 0 {
            let prelude = level == .entry ? preludes.entry[slot] : preludes.properties[slot]
            let bit: UInt16 = 1 &<< UInt16(truncatingIfNeeded: prelude.key)
            if seen & bit == 0, scanner.cross(prelude.gap) {
                seen |= bit
                let path = PathKey.known(ServiceTagsSchemaKeys.name(level, prelude.key))
                setMemberKey(level, path)
                return (prelude.key, path)
            }
        }
        let start = scanner.pos, consumed = scanner.consumed, line = scanner.line
        guard let key = try nextKey(first: first) else { return nil }
        let known = try knownKey(key, level, seen: &seen)
        setMemberKey(level, known.path)
        try consumeColon()
        guard slot >= 0, known.index >= 0, !key.hasEscapes else { return known }
        // Take the spaces after the colon into the prelude (skipping them here changes nothing),
        // so a match lands on the value itself.
        while scanner.pos < scanner.end, scanner.base[scanner.pos] == 0x20 { scanner.pos &+= 1 }
        if let gap = scanner.learnGap(from: start, consumed: consumed, line: line, throughPos: false) {
            let prelude = LearnedPrelude(gap: gap, key: known.index)
            if level == .entry { preludes.entry[slot] = prelude } else { preludes.properties[slot] = prelude }
        }
        return known
    }

    @inline(__always)
    private mutating func setMemberKey(_ level: ServiceTagsSchemaKeys.Level, _ path: PathKey) {
        if level == .entry { entryKey = path } else { propertyKey = path }
    }
}
