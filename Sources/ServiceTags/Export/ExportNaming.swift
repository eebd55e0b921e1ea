/// Deterministic object names: `BASE[_v4|_v6][_LLLL]`.
///
/// The base is `--name` when given (checked, never changed), else derived from the selected tag
/// names: joined with `_` in byte order (for several tags whose join is longer than
/// `shortLength`, 40, such as a glob's: their common stem, `_` and four hex digits of a hash of
/// the whole list), characters the target rejects replaced by `_`, a `t`
/// prepended when the first character is not allowed first, and, when too long, cut and ended with
/// `_` plus four hex digits of a hash of the whole derived text, so two long selections that share
/// a beginning still get different names. The family suffix (`_v4`/`_v6`) is added for targets
/// that keep families apart; the chunk suffix (`_` + four hex digits, see `ExportChunking`) only
/// when a list needs more than one object.
enum ExportNaming {
    static let familySuffixLength = 3
    static let chunkSuffixLength = 5

    /// The base name for `tags` (or `explicit`), checked to fit with `suffixLength` more characters.
    static func base(explicit: String?, tags: [String], rule: ExportNameRule, suffixLength: Int, format: String) throws(ExportError) -> String {
        if let explicit {
            let probe = explicit + String(repeating: "0", count: suffixLength)
            // Check the name itself first so the message names the real culprit, then with room.
            if let problem = rule.problem(with: explicit) ?? rule.problem(with: probe) {
                throw ExportError.invalidName(explicit, format: format, rule: problem)
            }
            return explicit
        }
        let sorted = tags.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let joined = sorted.joined(separator: "_")
        var short = joined
        if sorted.count > 1 && joined.utf8.count > shortLength {
            // Many tags (a glob): their common stem and a hash of the whole list; the comments of
            // the output list every tag.
            var text = ExportText()
            text.write(commonStem(sorted))
            text.write("_")
            text.write(hex: ExportChunking.mix(fnv1a(joined.utf8)), digits: 4)
            short = String(decoding: text.bytes, as: UTF8.self)
        }
        var bytes: [UInt8] = short.utf8.map { rule.allowed.contains($0) ? $0 : UInt8(ascii: "_") }
        if bytes.isEmpty || !rule.allowedFirst.contains(bytes[0]) { bytes.insert(UInt8(ascii: "t"), at: 0) }
        let budget = rule.maxLength - rule.reserve - suffixLength
        if bytes.count > budget {
            let hash = ExportChunking.mix(fnv1a(joined.utf8))
            bytes.removeSubrange(max(1, budget - 5)...)
            bytes.append(UInt8(ascii: "_"))
            var text = ExportText()
            text.write(hex: hash, digits: 4)
            bytes.append(contentsOf: text.bytes)
        }
        if let last = bytes.last, !rule.allowedLast.contains(last) { bytes.append(UInt8(ascii: "_")) }
        let name = String(decoding: bytes, as: UTF8.self)
        let probe = name + String(repeating: "0", count: suffixLength)
        if let problem = rule.problem(with: probe) {
            throw ExportError.invalidName(name, format: format, rule: problem)
        }
        return name
    }

    /// The longest default name derived from several tags, before the family and chunk suffixes.
    static let shortLength = 40

    /// The longest common beginning of `names`, without trailing `.`, `_` or `-` and at most
    /// `shortLength - 5` bytes (room for `_` and four hex digits); `tags` when they share none.
    /// Tag names reaching here are checked ASCII for script targets; elsewhere a cut inside a
    /// multi-byte character is replaced by `_` with the other disallowed bytes.
    static func commonStem(_ names: [String]) -> String {
        guard var stem = names.first.map({ Array($0.utf8) }) else { return "tags" }
        for name in names.dropFirst() {
            let bytes = Array(name.utf8)
            var k = 0
            while k < stem.count && k < bytes.count && stem[k] == bytes[k] { k += 1 }
            stem.removeSubrange(k...)
        }
        if stem.count > shortLength - 5 { stem.removeSubrange((shortLength - 5)...) }
        while let last = stem.last, last == UInt8(ascii: ".") || last == UInt8(ascii: "_") || last == UInt8(ascii: "-") { stem.removeLast() }
        return stem.isEmpty ? "tags" : String(decoding: stem, as: UTF8.self)
    }

    /// FNV-1a over bytes: a stable, platform-independent seed (Swift's `Hasher` is per process).
    static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// Whether `text` may be written into a script of any target (comments, descriptions).
    static func isSafeText(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { ASCIISet.safeName.contains($0) }
    }
}
