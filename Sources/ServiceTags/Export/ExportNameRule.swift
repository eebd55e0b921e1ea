/// A set of ASCII bytes as a 128-bit bitmap, for name rules.
public struct ASCIISet: Hashable, Sendable {
    @usableFromInline var low: UInt64 = 0, high: UInt64 = 0

    public init(_ characters: String) {
        for c in characters.utf8 where c < 128 { insert(c) }
    }

    /// Every byte in `range` (e.g. printable ASCII).
    public init(range: ClosedRange<UInt8>) {
        for c in range where c < 128 { insert(c) }
    }

    mutating func insert(_ c: UInt8) {
        if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c &- 64) }
    }

    @inlinable public func contains(_ c: UInt8) -> Bool {
        c < 64 ? low & (1 << UInt64(c)) != 0 : c < 128 && high & (1 << UInt64(c &- 64)) != 0
    }

    public static let letters = ASCIISet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    public static let alphanumerics = ASCIISet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    /// `A-Z a-z 0-9 _ . -`: Azure's tag names (`[A-Za-z0-9.]`) and every suffix the exporter adds.
    public static let safeName = ASCIISet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")

    public func subtracting(_ other: ASCIISet) -> ASCIISet {
        var s = self
        s.low &= ~other.low
        s.high &= ~other.high
        return s
    }

    public func union(_ other: ASCIISet) -> ASCIISet {
        var s = self
        s.low |= other.low
        s.high |= other.high
        return s
    }
}

/// What a target accepts as an object name (set, list, group, rule).
///
/// Names are checked as complete names, suffixes included. `reserve` counts characters the format
/// appends on its own (ipset's temporary set `NAME_n`), so the base must leave room for them.
public struct ExportNameRule: Sendable {
    public var maxLength: Int
    public var allowed: ASCIISet
    public var allowedFirst: ASCIISet
    public var allowedLast: ASCIISet
    /// Prefixes the target reserves (AWS: `com.amazonaws`).
    public var reservedPrefixes: [String]
    /// Characters the format appends to a full name itself.
    public var reserve: Int
    /// For error messages, e.g. "1-31 characters from A-Z a-z 0-9 _ . -".
    public var summary: String

    public init(maxLength: Int, allowed: ASCIISet, allowedFirst: ASCIISet? = nil, allowedLast: ASCIISet? = nil,
                reservedPrefixes: [String] = [], reserve: Int = 0, summary: String) {
        self.maxLength = maxLength
        self.allowed = allowed
        self.allowedFirst = allowedFirst ?? allowed
        self.allowedLast = allowedLast ?? allowed
        self.reservedPrefixes = reservedPrefixes
        self.reserve = reserve
        self.summary = summary
    }

    /// Why `name` (complete, suffixes included) is rejected, or nil when it is valid.
    public func problem(with name: String) -> String? {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, let last = bytes.last else { return "the name is empty" }
        if bytes.count + reserve > maxLength {
            return "at most \(maxLength - reserve) characters with suffixes (\(summary))"
        }
        if let bad = bytes.first(where: { !allowed.contains($0) }) {
            return "character \(Self.show(bad)) is not allowed (\(summary))"
        }
        if !allowedFirst.contains(first) { return "it cannot start with \(Self.show(first)) (\(summary))" }
        if !allowedLast.contains(last) { return "it cannot end with \(Self.show(last)) (\(summary))" }
        if let reserved = reservedPrefixes.first(where: { name.hasPrefix($0) }) {
            return "names starting with '\(reserved)' are reserved (\(summary))"
        }
        return nil
    }

    static func show(_ c: UInt8) -> String {
        c >= 0x21 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "0x" + String(c, radix: 16)
    }
}
