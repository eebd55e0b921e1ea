/// What distinguishes one compiled format from another that shares the container of
/// docs/compiled-index.md (96-byte header, section table, 16-byte aligned sections, checksum):
/// its magic, its version, the sections it holds, and the words its messages use.
///
/// `CompiledIndexReader` validates the container for any format; each format then validates its
/// own sections. The compiled index (`STAGIDX`) and the compiled history (`STAGHIST`,
/// docs/compiled-history.md) are the two.
struct CompiledFormat: Sendable {
    /// 8 bytes, the file's first.
    let magic: [UInt8]
    let version: UInt32
    /// Every section kind a file of this version holds, each exactly once, in layout order.
    let sections: [CompiledSection]
    /// "compiled index", "compiled history": how messages name the file.
    let noun: String
    /// "index", "history": the noun after "the" in messages.
    let shortNoun: String
    /// The command that rewrites a file of this format, for messages.
    let remedy: String
    /// The header flags a file may set; any other is refused.
    var knownFlags: UInt32 = CompiledIndexLayout.flagHasChangeNumber

    /// The magic's text without its NUL (`STAGIDX`), for messages.
    var magicText: String { String(decoding: magic.prefix { $0 != 0 }, as: UTF8.self) }

    static let index = CompiledFormat(magic: CompiledIndexLayout.magic, version: CompiledIndexLayout.version,
                                      sections: CompiledSection.all, noun: "compiled index", shortNoun: "index", remedy: "stag compile",
                                      knownFlags: CompiledIndexLayout.flagHasChangeNumber | CompiledIndexLayout.flagFlatRoot(true) | CompiledIndexLayout.flagFlatRoot(false))
}
