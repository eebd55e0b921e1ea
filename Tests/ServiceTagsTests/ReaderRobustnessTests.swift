import Foundation
import ServiceTags
import ServiceTagsTestSupport
import Testing

private let acceptedFixtures = [
    "key-order.json", "unknown-keys.json", "missing-optional.json", "nulls.json", "bom.json", "crlf.json",
    "escapes.json", "discovery-api.json", "empty-values.json",
]

/// Truncation, refill boundaries and pipes.
@Suite("Reader robustness")
struct ReaderRobustnessTests {
    /// Cutting a valid document anywhere before its closing `}` must fail (never crash, never
    /// return a partial file), and as `.truncated` except inside the 3-byte BOM.
    @Test(arguments: acceptedFixtures)
    func truncationAtEveryOffsetIsAnError(_ name: String) throws {
        let bytes = try ReaderTestSupport.fixture(name)
        let documentEnd = try #require(bytes.lastIndex(of: UInt8(ascii: "}"))) + 1
        for cut in 0..<documentEnd {
            let error = ReaderTestSupport.error(reading: Array(bytes[..<cut]))
            guard let error else {
                Issue.record("\(name) cut at \(cut) parsed")
                continue
            }
            let insideBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF]) && (cut == 1 || cut == 2)
            if !insideBOM {
                #expect(error.reason == .truncated, "\(name) cut at \(cut): \(error)")
                #expect(error.location?.offset == cut, "\(name) cut at \(cut)")
            }
        }
        // Only whitespace follows the document, so every longer cut parses.
        for cut in documentEnd...bytes.count {
            #expect(ReaderTestSupport.error(reading: Array(bytes[..<cut])) == nil)
        }
    }

    /// A synthetic few-KB document, truncated everywhere, through tiny reads as well.
    @Test func truncationOfAGeneratedDocumentThroughTinyReads() throws {
        let bytes = ReaderRobustnessTests.generatedDocument(tags: 6, prefixesPerTag: 12, seed: 7)
        #expect(bytes.count > 2000)
        let documentEnd = try #require(bytes.lastIndex(of: UInt8(ascii: "}"))) + 1
        for cut in stride(from: 0, to: documentEnd, by: 1) {
            let prefix = Array(bytes[..<cut])
            #expect(ReaderTestSupport.error(reading: prefix)?.reason == .truncated, "cut at \(cut)")
        }
        for cut in stride(from: 0, to: documentEnd, by: 37) {
            #expect(throws: ServiceTagsError.self) {
                try ReaderTestSupport.readThroughFile(Array(bytes[..<cut]), chunkSize: 3)
            }
        }
    }

    /// The descriptor path with any read size gives exactly what the in-memory path gives.
    @Test(arguments: acceptedFixtures)
    func tinyReadsMatchTheInMemoryResult(_ name: String) throws {
        let bytes = try ReaderTestSupport.fixture(name)
        let expected = try ServiceTagsFile(bytes: bytes, path: name)
        for chunk in [1, 2, 3, 5, 7, 13, 64, 4096] {
            let viaFile = try ReaderTestSupport.readThroughFile(bytes, chunkSize: chunk, path: name)
            #expect(viaFile.tags == expected.tags, "chunk \(chunk)")
            #expect(viaFile.changeNumber == expected.changeNumber, "chunk \(chunk)")
            #expect(viaFile.cloud == expected.cloud, "chunk \(chunk)")
        }
    }

    @Test func generatedDocumentMatchesAcrossChunkSizes() throws {
        let bytes = ReaderRobustnessTests.generatedDocument(tags: 40, prefixesPerTag: 50, seed: 11)
        let expected = try ServiceTagsFile(bytes: bytes, path: "g")
        #expect(expected.tags.count == 40)
        #expect(expected.tags.allSatisfy { $0.prefixCount == 50 })
        for chunk in [1, 7, 61, 1000, 1 << 18] {
            #expect(try ReaderTestSupport.readThroughFile(bytes, chunkSize: chunk).tags == expected.tags, "chunk \(chunk)")
        }
    }

    /// A pipe delivers short reads at arbitrary points; a writer thread feeds it in odd pieces.
    @Test func readsFromAPipe() throws {
        let bytes = ReaderRobustnessTests.generatedDocument(tags: 60, prefixesPerTag: 80, seed: 3)
        #expect(bytes.count > 128 * 1024)  // more than a pipe buffer holds
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let writer = Thread {
            var offset = 0
            var piece = 1
            while offset < bytes.count {
                let n = min(piece, bytes.count - offset)
                let written = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress! + offset, n) }
                if written <= 0 { break }
                offset += written
                piece = piece * 3 % 9973 + 1
            }
            close(writeEnd)
        }
        writer.start()
        defer { close(readEnd) }
        let viaPipe = try ServiceTagsFile(fileDescriptor: readEnd, path: "-", chunkSize: 4096)
        #expect(viaPipe.tags == (try ServiceTagsFile(bytes: bytes, path: "-")).tags)
    }

    /// A seeded document in the real layout: two-space indentation, v4 and v6 prefixes.
    static func generatedDocument(tags: Int, prefixesPerTag: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var out = "{\n  \"changeNumber\": \(seed),\n  \"cloud\": \"Public\",\n  \"values\": [\n"
        for t in 0..<tags {
            let name = "Generated.Tag\(t)"
            out += "    {\n      \"name\": \"\(name)\",\n      \"id\": \"\(name)\",\n      \"properties\": {\n"
            out += "        \"changeNumber\": \(t),\n        \"region\": \"region\(t % 5)\",\n"
            out += "        \"regionId\": \(t % 5),\n        \"platform\": \"Azure\",\n"
            out += "        \"systemService\": \"Service\(t % 3)\",\n        \"addressPrefixes\": [\n"
            var lines: [String] = []
            for _ in 0..<prefixesPerTag {
                if rng.next() % 4 == 0 {
                    let length = Int(rng.next() % 129)
                    let address = IPv6Address(bits: UInt128(rng.next()) << 64 | UInt128(rng.next()))
                    lines.append(IPv6Prefix(masking: address, length: length).description)
                } else {
                    let length = Int(rng.next() % 33)
                    let address = IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next()))
                    lines.append(IPv4Prefix(masking: address, length: length).description)
                }
            }
            out += lines.map { "          \"\($0)\"" }.joined(separator: ",\n")
            out += "\n        ],\n        \"networkFeatures\": [\"API\", \"NSG\"]\n      }\n    }"
            out += t == tags - 1 ? "\n" : ",\n"
        }
        out += "  ]\n}\n"
        return Array(out.utf8)
    }
}
