#if canImport(Glibc)
import Glibc
#endif
import ExportTargetModels
@testable import ServiceTags
import ServiceTagsTestSupport
import Testing

/// Every real file in `../shared/data/servicetags/`: its compiled index loads back to the same
/// model, and 100,000 seeded addresses get the same answers through the loaded index as through
/// the index built from the JSON file.
@Suite(.tags(.realData)) struct CompiledIndexRealDataTests {
    static var realFiles: [String] {
        guard let dir = FixturePaths.realDataDirectory(), let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix("ServiceTags_") && name.hasSuffix(".json") { names.append(name) }
        }
        return names.sorted()
    }

    /// Half inside a listed prefix (a random host of a random prefix), half anywhere.
    static func addresses(_ file: ServiceTagsFile, count: Int, seed: UInt64) -> [IPAddress] {
        var rng = SplitMix64(seed: seed)
        let v4 = file.tags.flatMap(\.ipv4), v6 = file.tags.flatMap(\.ipv6)
        return (0 ..< count).map { i in
            switch i % 4 {
            case 0 where !v4.isEmpty:
                let p = v4[rng.int(in: 0 ..< v4.count)]
                return .v4(IPv4Address(bits: p.address.bits | UInt32(truncatingIfNeeded: rng.next()) & ~p.mask))
            case 1 where !v6.isEmpty:
                let p = v6[rng.int(in: 0 ..< v6.count)]
                let r = UInt128(rng.next()) << 64 | UInt128(rng.next())
                return .v6(IPv6Address(bits: p.address.bits | r & ~p.mask))
            case 2: return .v4(IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next())))
            default: return .v6(IPv6Address(bits: UInt128(rng.next()) << 64 | UInt128(rng.next())))
            }
        }
    }

    @Test(.enabled(if: !realFiles.isEmpty, Comment(rawValue: FixturePaths.realDataSkipNote + "ServiceTags_*.json")), arguments: realFiles)
    func lookupsThroughTheIndexEqualThoseThroughTheJSON(_ name: String) throws {
        let path = try #require(FixturePaths.realFile(name))
        let file = try ServiceTagsFile(readingFileAt: path)
        let built = TagIndexBuilder(file).finish()
        let bytes = try CompiledIndex.write(file: file, index: built, sourceSHA256: CompiledIndexTestSupport.sha, sourceSize: 1)
        let loaded = try CompiledIndexTestSupport.load(bytes).get()
        #expect(loaded.file.tags == file.tags)
        #expect(loaded.file.cloud == file.cloud && loaded.file.changeNumber == file.changeNumber)
        // The built index has the IPv6 jumps, the loaded one walks, and the loaded one given its
        // jumps must agree with both; a sample also against the linear scan.
        let jumped = loaded.index.withJumps()
        var differences = 0
        for (i, a) in Self.addresses(file, count: 100_000, seed: 2026).enumerated() {
            let expected = built.matches(for: a)
            guard loaded.index.matches(for: a) != expected || jumped.matches(for: a) != expected
                    || (i % 1000 == 0 && file.scanMatches(for: a) != expected) else { continue }
            differences += 1
            if differences <= 5 { Issue.record("\(name): \(a) answers differently") }
        }
        #expect(differences == 0)
    }
}
