import Foundation
@testable import ServiceTags
import Testing

/// Issue 8 item 6: memory follows the data kept, not the input. A skipped value of any size
/// streams through the reader's one buffer; a kept string or number longer than 4 KiB is a
/// located error; an endless stream costs one buffer until it ends.
///
/// The inputs are generated into a pipe by a writer thread (nothing large is built in memory or
/// committed), and the reader's buffer capacity, which only grows, is its high-water mark.
@Suite("Reader memory bounds")
struct ReaderMemoryTests {
    static let chunk = 256 * 1024
    static let mebibyte = 1 << 20

    /// Writes `head`, then `count` copies of `body`, then `tail` into a pipe from a thread, and
    /// runs the reader over the read end with the default chunk size.
    /// - Returns: the error (or nil), the tags read and the buffer's high-water capacity.
    static func read(head: String, body: [UInt8], count: Int, tail: String)
        -> (error: ServiceTagsError?, tags: Int, capacity: Int) {
        signal(SIGPIPE, SIG_IGN)  // the writer may outlive a reader that stopped at an error
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let writer = Thread {
            func put(_ bytes: [UInt8]) -> Bool {
                var offset = 0
                while offset < bytes.count {
                    let n = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress! + offset, bytes.count - offset) }
                    if n <= 0 { return false }
                    offset += n
                }
                return true
            }
            defer { close(writeEnd) }
            guard put(Array(head.utf8)) else { return }
            for _ in 0..<count where !put(body) { return }
            _ = put(Array(tail.utf8))
        }
        writer.start()
        defer { close(readEnd) }
        var reader = ServiceTagsReader(fileDescriptor: readEnd, path: "-")
        var tags = 0
        do {
            while try reader.next() != nil { tags += 1 }
            return (nil, tags, reader.bufferCapacity)
        } catch {
            return (error, tags, reader.bufferCapacity)
        }
    }

    static let entry = #"{"name": "A", "properties": {"addressPrefixes": ["192.0.2.0/24"]}}"#

    /// A 64 MiB unknown string (the shape of the 1 GB file of the issue), and 8 MiB under unknown
    /// keys in every other shape: the document still reads, in one chunk (today's growth to the
    /// value's size would show at any of these sizes).
    @Test(arguments: [
        ("string", #"{"junk": ""#, "abcdefgh", 64, #"", "values": [ENTRY]}"#),
        ("escaped string", #"{"junk": ""#, #"\u00e9\n€\ud83d\ude00"#, 8, #"", "values": [ENTRY]}"#),
        ("number", #"{"junk": 1"#, "01234567", 8, #"e-5, "values": [ENTRY]}"#),
        ("array", #"{"values": [ENTRY], "junk": [0"#, #", "x", [true, null], {"k": -1.5}"#, 8, "]}"),
        ("key", #"{"values": [{"properties": {"addressPrefixes": [], "x": {""#, "kkkkkkkk", 8, #"": 1}}, "name": "A"}]}"#),
        ("whitespace", "{", " \n\t\r    ", 8, #""values": [ENTRY]}"#),
    ])
    func skippedValueKeepsTheBufferToOneChunk(shape: String, head: String, unit: String, mebibytes: Int, tail: String) {
        let body = Array(String(repeating: unit, count: Self.mebibyte / unit.utf8.count).utf8)
        let r = Self.read(head: head.replacingOccurrences(of: "ENTRY", with: Self.entry), body: body, count: mebibytes,
                          tail: tail.replacingOccurrences(of: "ENTRY", with: Self.entry))
        #expect(r.error == nil, "\(shape): \(r.error.map(String.init(describing:)) ?? "")")
        #expect(r.tags == 1, "\(shape)")
        #expect(r.capacity <= Self.chunk, "\(shape): buffer grew to \(r.capacity) bytes")
    }

    /// An endless stream (cut off here after 16 MiB) ends in the truncation error, the buffer one
    /// chunk throughout.
    @Test(arguments: [
        ("unknown string", #"{"junk": ""#, "abcdefgh", #"{"junk": ""#.utf8.count, "junk"),
        ("whitespace", "{", "        ", 1, ""),
        ("nested arrays", #"{"junk": "#, "[0,", #"{"junk": "#.utf8.count, "junk"),
    ])
    func endlessStreamIsBoundedThenTruncated(shape: String, head: String, unit: String, headBytes: Int, path: String) {
        let unitBytes = Array(unit.utf8)
        let count = 16 * Self.mebibyte / unitBytes.count
        let r = Self.read(head: head, body: unitBytes, count: count, tail: "")
        #expect(r.capacity <= Self.chunk, "\(shape): buffer grew to \(r.capacity) bytes")
        let total = headBytes + count * unitBytes.count
        if shape == "nested arrays" {
            // The depth cap stops it long before the end.
            #expect(r.error?.reason == .syntax(.nestingTooDeep(limit: 512)))
            #expect(r.error?.location == JSONLocation(offset: headBytes + 511 * 3, line: 1, column: headBytes + 511 * 3 + 1))
        } else {
            #expect(r.error?.reason == .truncated, "\(shape)")
            #expect(r.error?.location?.offset == total, "\(shape)")
        }
        #expect(r.error?.jsonPath == path, "\(shape)")
    }
}
