import Testing
@testable import ServiceTags
import ServiceTagsTestSupport

/// `AddressScanner` (the bit-mask scan behind `stag grep`) against `SlowAddressExtractor`,
/// the documented rules written over Substrings and `SlowAddressParser`.
@Suite struct AddressScannerTests {
    /// Pieces that exercise every rule: addresses in all their forms, near misses, and punctuation.
    static let pieces = [
        "20.62.130.5", "10.0.0.1:443", "[2603:1030:210::185]:8443", "2603:1030:210::185", "::ffff:20.62.130.5",
        "::1", "::", "1.2.3", "12:34:56", "010.0.0.1", "300.1.1.1", "cafe::1", "deadbeef", "face", "1.2.3.4.",
        "from:10.0.0.1", "10.0.0.1:", ":10.0.0.1", "1.2.3.4:5:6", "1::2::3", "fe80::1%eth0", "a.b.c.d", "0a1b",
        "::ffff:c000:20a", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "2001:db8::192.0.2.1", "...", ":::", "1.2.3.4/24",
        "ABCD:EF01::", "abcdef:1", "1.2.3.4a", "a1.2.3.4", "1.2.3.4.5", "255.255.255.255", "256.0.0.0", "0.0.0.0",
        "1.1.1.256", "1.2.3.0255", "1.2.3.04", "1.2.3.4444", "1.2.3.999", "001.2.3.4", "1..2.3", "1.2.3.00", "9.9.9.9:53",
    ]
    static let separators = [" ", ", ", "\t", "=", "(", ")", "[", "]", "/", "\"", "-", "x", "é", "\u{0}", "\r", ".", ":", ""]

    static func randomLine(_ rng: inout SplitMix64) -> [UInt8] {
        var line: [UInt8] = []
        for _ in 0 ..< rng.int(in: 0 ... 12) {
            switch rng.int(in: 0 ... 9) {
            case 0: line += (0 ..< rng.int(in: 1 ... 20)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }  // any bytes
            case 1: line += (0 ..< rng.int(in: 1 ... 24)).map { _ in Array("0123456789abcdefABCDEF.:".utf8)[rng.int(in: 0 ... 23)] }
            default: line += Array(pieces[rng.int(in: 0 ... pieces.count - 1)].utf8)
            }
            line += Array(separators[rng.int(in: 0 ... separators.count - 1)].utf8)
        }
        return line
    }

    /// The byte class the widening loops use (a bit test in two 64-bit sets), on every byte.
    @Test func addressBytesAreExactlyHexDigitsDotsAndColons() {
        let expected = Set("0123456789abcdefABCDEF.:".utf8)
        for b in 0 ... 255 {
            #expect(AddressScanner.isAddressByte(UInt8(b)) == expected.contains(UInt8(b)), "byte \(b)")
        }
    }

    @Test func agreesWithTheSlowReferenceOnSeededRandomLines() {
        var rng = SplitMix64(seed: 0x5CA7)
        for _ in 0 ..< 3_000 {
            let bytes = Self.randomLine(&rng)
            let line = String(decoding: bytes, as: UTF8.self)
            let slow = SlowAddressExtractor.addresses(in: line)
            let fast = AddressScanner.addresses(in: bytes.span, from: 0, to: bytes.count)
            let decoded = Array(line.utf8)
            #expect(fast.map(\.address) == slow.map(\.address), "\(line.debugDescription)")
            #expect(fast.map { Array(bytes[$0.start ..< $0.end]) } == slow.map { Array(decoded[$0.range]) }, "\(line.debugDescription)")
            #expect(AddressExtractor.addresses(in: line) == slow.map(\.address))
        }
    }

    /// Dotted quads of every octet shape (0 to 1,099, leading zeros, 1 to 4 digits), three to five
    /// fields: the scanner's one-pass IPv4 path accepts exactly what the reference does.
    @Test func dottedQuadsOfEveryOctetShape() {
        var rng = SplitMix64(seed: 0xD077)
        for _ in 0 ..< 20_000 {
            let fields = (0 ..< rng.int(in: 3 ... 5)).map { _ -> String in
                let n = rng.int(in: 0 ... 1_099)
                return rng.chance(0.03) ? "" : rng.chance(0.1) ? "0" + String(n) : String(n)
            }
            // Trailing dots, a port, a hex letter or the end of the line after the last field.
            let tail = [".", "..", ":\(rng.int(in: 0 ... 99))", "a", "", " y", " y", " y"][rng.int(in: 0 ... 7)]
            let line = "x " + fields.joined(separator: ".") + tail
            let bytes = Array(line.utf8)
            let fast = AddressScanner.addresses(in: bytes.span, from: 0, to: bytes.count)
            #expect(fast.map(\.address) == SlowAddressExtractor.addresses(in: line).map(\.address), "\(line)")
        }
    }

    /// A sub-range is scanned as if it were the whole line (grep hands it a line of a block).
    @Test func scansOnlyTheGivenRange() {
        let bytes = Array("10.0.0.1 x 10.0.0.2 y 10.0.0.3".utf8)
        let found = AddressScanner.addresses(in: bytes.span, from: 2, to: 21)
        // "0.0.1" (the cut first address) is not an address; the third lies outside the range.
        #expect(found.map(\.address) == [IPAddress("10.0.0.2")!])
        #expect(found.map { $0.start } == [11])
    }

    /// Long runs of separators and of address characters cost one pass (each byte a few times).
    @Test func longRunsAreLinear() {
        for filler in [".", ":", "1", "a", "1.", "::1 "] {
            let bytes = Array(String(repeating: filler, count: 1 << 14).utf8) + Array(" 20.62.130.5".utf8)
            let found = AddressScanner.addresses(in: bytes.span, from: 0, to: bytes.count)
            let slow = SlowAddressExtractor.addresses(in: String(decoding: bytes, as: UTF8.self))
            #expect(found.map(\.address) == slow.map(\.address), "\(filler)")
        }
    }
}

/// `AddressScanner.Cursor` keeps its 32-byte window from one line to the next: over the lines of
/// one block it finds exactly what the slow reference finds line by line, at every alignment.
@Suite struct AddressScannerCursorTests {
    @Test func oneCursorOverTheLinesOfABlockAgreesWithTheReferencePerLine() {
        var rng = SplitMix64(seed: 0xC0A5)
        // Long runs too: an IPv6 form of 45 bytes, hex runs longer than a window.
        let long = ["0000:0000:0000:0000:0000:ffff:192.168.100.200", String(repeating: "ab", count: 40) + ":1.2.3.4",
                    String(repeating: "1", count: 70) + ".2.3.4", "2001:db8:0:0:0:0:0:1.2"]
        for _ in 0 ..< 300 {
            var block: [UInt8] = [], lines: [Range<Int>] = []
            for _ in 0 ..< rng.int(in: 1 ... 12) {
                var line = AddressScannerTests.randomLine(&rng)
                if rng.chance(0.2) { line += Array(long[rng.int(in: 0 ... long.count - 1)].utf8) }
                // Every offset of the next line within a window.
                line += Array(repeating: UInt8(ascii: " "), count: rng.int(in: 0 ... 31))
                lines.append(block.count ..< block.count + line.count)
                block += line + [0x0A]
            }
            if rng.chance(0.5) { block.removeLast() }  // no final newline: the last window is padded
            var cursor = AddressScanner.Cursor()
            for range in lines {
                var i = range.lowerBound, fast: [AddressScanner.Found] = []
                while let f = cursor.next(block.span, &i, range.upperBound) { fast.append(f) }
                let line = String(decoding: block[range], as: UTF8.self)
                let slow = SlowAddressExtractor.addresses(in: line)
                #expect(fast.map(\.address) == slow.map(\.address), "\(line.debugDescription)")
                let decoded = Array(line.utf8)
                #expect(fast.map { Array(block[$0.start ..< $0.end]) } == slow.map { Array(decoded[$0.range]) }, "\(line.debugDescription)")
            }
        }
    }

    /// The byte classes behind the scan (`stag_classify32`), for every byte value at every position.
    @Test func byteClassesOfEveryByteAtEveryPosition() {
        for b in 0 ... 255 {
            for position in 0 ..< 32 {
                var bytes = [UInt8](repeating: UInt8(ascii: " "), count: 40)
                bytes[position] = UInt8(b)
                let found = AddressScanner.addresses(in: bytes.span, from: 0, to: bytes.count)
                #expect(found.isEmpty, "a single byte is never an address")
                let classes = AddressScanner.ByteWindow.classify(bytes.span, at: 0)
                let bit = UInt32(1) << UInt32(position)
                let isHexLetter = (0x41 ... 0x46).contains(b) || (0x61 ... 0x66).contains(b)
                #expect((classes.address & bit != 0) == AddressScanner.isAddressByte(UInt8(b)), "byte \(b) at \(position)")
                #expect((classes.dots & bit != 0) == (b == 0x2E) && (classes.colons & bit != 0) == (b == 0x3A), "byte \(b)")
                #expect((classes.letters & bit != 0) == isHexLetter, "byte \(b)")
                #expect(classes.address & ~bit == 0, "only byte \(position)")
            }
        }
    }
}
