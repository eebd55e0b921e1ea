/// Why a compiled index (`stag compile`) cannot be used, and where: rendered as
/// `PATH: byte N: message`, e.g. `public.stagidx: byte 812,344: truncated: section 'ipv4.nodes' ends
/// at byte 812,344 but the file has 800,000 bytes`.
///
/// Invariant: `offset`, when set, lies in `0...fileSize` of the bytes that were checked.
public struct CompiledIndexError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// Not a compiled index at all (no magic header).
        case notAnIndex
        /// A compiled index of another format version.
        case version(found: UInt32)
        /// Shorter than a header, or a section that ends past the end of the file.
        case truncated
        /// The checksum does not match the bytes.
        case checksum
        /// Consistent bytes that break the format's rules (a length, an index, a string).
        case invalid
        /// The file could not be opened, read or mapped.
        case io(errno: Int32)
        /// `write`: the model holds something the format cannot store (a string over the cap).
        case unsupported
    }

    public var kind: Kind
    public var message: String
    /// The byte the problem was found at, when it is one place.
    public var offset: Int?
    /// The file, when the bytes came from one.
    public var path: String?

    public init(_ kind: Kind, _ message: String, offset: Int? = nil, path: String? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
        self.path = path
    }

    public var description: String {
        (path.map { "\($0): " } ?? "") + (offset.map { "byte \(Self.grouped($0)): " } ?? "") + message
    }

    /// `812344` as `812,344`: offsets in messages are read by people comparing them to `ls -l`.
    public static func grouped(_ n: Int) -> String {
        let digits = Array(String(n.magnitude).utf8)
        var out: [UInt8] = n < 0 ? [UInt8(ascii: "-")] : []
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(d)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
