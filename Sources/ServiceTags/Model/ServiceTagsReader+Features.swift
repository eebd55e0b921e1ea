/// `properties.networkFeatures`, read whole when its text repeats.
///
/// Nearly every entry of a real file lists the same features in the same layout
/// (`[\n          "API",\n          "NSG", …\n        ]`). The reader keeps the last array's text
/// and value: an identical text, found with one byte compare, is the identical value, valid as
/// the first was, with the same newlines; element by element, it costs a gap, a string scan and a
/// compare per feature.
struct LearnedArray {
    /// The text from `[` to `]` included; empty when nothing is learned.
    var text: [UInt8] = []
    var newlines = 0
    /// Offset in `text` of the byte after its last newline (when `newlines > 0`).
    var lineStartOffset = 0
    var value: [String] = []

    /// Texts longer than this are not kept (the real ones are about 80 bytes).
    static let maxLength = 256
}

extension ServiceTagsReader {
    /// `optionalStringArray(reusing:)` for `networkFeatures`, with the learned text and value.
    mutating func networkFeatures(reusing candidate: [String]?) throws(ServiceTagsError) -> [String]? {
        let c = try peekValue()
        if c == UInt8(ascii: "["), let value = crossLearnedFeatures() { return value }
        let start = scanner.pos, consumed = scanner.consumed, line = scanner.line
        let value = try optionalStringArray(reusing: candidate)
        if let value, consumed == scanner.consumed, scanner.pos &- start <= LearnedArray.maxLength {
            learnedFeatures = LearnedArray(
                text: Array(UnsafeBufferPointer(start: scanner.base + start, count: scanner.pos &- start)),
                newlines: scanner.line &- line, lineStartOffset: scanner.lineStart &- start, value: value)
        }
        return value
    }

    /// The learned value if the text at `pos` is the learned text (then crossed), else `nil`.
    private mutating func crossLearnedFeatures() -> [String]? {
        let n = learnedFeatures.text.count
        guard n > 0, scanner.end &- scanner.pos >= n else { return nil }
        let same = learnedFeatures.text.withUnsafeBufferPointer { text in
            ByteCompare.equal(text.baseAddress!, scanner.base + scanner.pos, n)
        }
        guard same else { return nil }
        if learnedFeatures.newlines > 0 {
            scanner.line &+= learnedFeatures.newlines
            scanner.lineStart = scanner.pos &+ learnedFeatures.lineStartOffset
        }
        scanner.pos &+= n
        return learnedFeatures.value
    }
}
