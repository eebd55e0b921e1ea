@testable import stag
import Testing

/// Issue 8 item 7: line splitting is linear in the input, however the line arrives.
@Suite struct LineReaderTests {
    /// Serves `bytes` through a LineReader source, at most `chunk` bytes per read.
    static func reader(_ bytes: [UInt8], chunk: Int, blockSize: Int = 1 << 16) -> LineReader {
        var offset = 0
        return LineReader(blockSize: blockSize) { buffer in
            let n = min(chunk, buffer.count, bytes.count - offset)
            bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)])) }
            offset += n
            return n
        }
    }

    /// A 1 MB line fed 4 KiB per read (as a pipe delivers it): the newline search examines each
    /// byte once. Before the fix it rescanned the line after every read: ~128 M byte visits.
    @Test func regressionALongLineInSmallReadsIsScannedOnce() {
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: 1_000_000)
        let input = line + [0x0A] + Array("10.0.0.1 short\r\n".utf8) + Array("tail".utf8)
        var r = Self.reader(input, chunk: 4096)
        #expect(r.next()?.utf8.count == line.count)
        #expect(r.next() == "10.0.0.1 short")
        #expect(r.next() == "tail")
        #expect(r.next() == nil)
        #expect(r.bytesScanned <= input.count)
    }

    /// Splitting agrees with a plain reference split whatever the read size.
    @Test(arguments: [1, 3, 7, 64, 4096])
    func linesMatchAReferenceSplit(chunk: Int) {
        let text = "a\nbb\r\n\n\r\nccc\r\rd\ne"
        var r = Self.reader(Array(text.utf8), chunk: chunk, blockSize: 5)
        var got: [String] = []
        while let l = r.next() { got.append(l) }
        // By bytes: as Characters, "\r\n" is one grapheme and would not split at "\n".
        let expected = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0.last == 0x0D ? $0.dropLast() : $0[...], as: UTF8.self)
        }
        #expect(got == expected)
    }
}
