import ServiceTags

/// The CLI builds its machine and human output with the core's byte builder, `ExportText`: in
/// memory before it goes to stdout or an `AtomicFile`, so a failed run writes nothing, and large
/// results (tens of thousands of prefixes) are formatted straight into bytes, without a `String`
/// per prefix. These are the pieces only the diff output needs.
extension ExportText {
    init(capacity: Int) {
        self.init()
        bytes.reserveCapacity(capacity)
    }

    /// `n` as a JSON number, or `null`.
    mutating func write(jsonNumber n: Int?) { write(n.map(String.init) ?? "null") }

    /// A JSON array of canonical prefix strings, IPv4 first, in the order given.
    mutating func write(jsonPrefixes list: PrefixList) {
        write(byte: UInt8(ascii: "["))
        for (i, p) in list.ipv4.enumerated() {
            if i > 0 { write(byte: UInt8(ascii: ",")) }
            write(jsonPrefix: p)
        }
        for (i, p) in list.ipv6.enumerated() {
            if i > 0 || !list.ipv4.isEmpty { write(byte: UInt8(ascii: ",")) }
            write(jsonPrefix: p)
        }
        write(byte: UInt8(ascii: "]"))
    }
}
