#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the model sections (`cloud`, `strings`, `tags`, `features`, `model.*`), checking every
/// reference as it goes: `metadata()` checks the whole model and decodes what a lookup prints;
/// `tags(metadata:)` adds the prefix lists later, from the bytes `metadata()` and
/// `checkModelPrefixes` already checked.
///
/// `@unchecked Sendable`: after `metadata()` it only reads the index's immutable bytes, which the
/// reader's owner keeps alive.
struct CompiledModelDecoder: @unchecked Sendable {
    typealias R = CompiledIndexLayout.TagRecord
    let reader: CompiledIndexReader
    // Looked up once: the section dictionary is not for per-string use.
    private var pool = UnsafeRawBufferPointer(start: nil, count: 0)
    private var poolBase = 0, featuresBase = 0

    init(reader: CompiledIndexReader) { self.reader = reader }

    /// The cloud, the changeNumber and every tag's metadata (prefix lists empty), after checking
    /// the whole model but its prefixes themselves (`checkModelPrefixes`): strings, features,
    /// presence bits, the prefix counts against the model's arrays. Allocates only what it returns.
    mutating func metadata() throws(CompiledIndexError) -> (cloud: String, changeNumber: Int?, tags: [ServiceTag]) {
        let cloudRange = reader.range(.cloud)
        guard cloudRange.count <= CompiledIndexLayout.maxStringBytes, let cloud = Self.utf8String(reader.raw(.cloud)) else {
            throw CompiledIndexError(.invalid, "section 'cloud' is not a UTF-8 string of at most \(CompiledIndexLayout.maxStringBytes) bytes", offset: cloudRange.lowerBound)
        }
        // The counts only: `checkModelPrefixes` checks the prefixes themselves (beside this, for a large index).
        let count4 = try Self.prefixCount(reader, .modelIPv4Addresses, .modelIPv4Lengths)
        let count6 = try Self.prefixCount(reader, .modelIPv6Addresses, .modelIPv6Lengths)
        let featureCount = reader.count(.features)
        let tagCount = reader.count(.tags)
        var next4 = 0, next6 = 0
        // The writer interns strings, so an equal reference is an equal string: regions,
        // platforms, system services and features are decoded once each, not once per tag.
        var known = ReferenceCache()
        var previousFeatures: (references: UnsafeRawBufferPointer, list: [String])? = nil
        let featureBytes = reader.raw(.features)
        var names = TagNameCheck(count: reader.count(.tags))
        let tagsBase = reader.range(.tags).lowerBound
        // The previous tag's five strings (a copy of its whole `ServiceTag` per field was a tenth
        // of the load), and whether every name so far is ASCII (then none can be equivalent).
        var previous = [String](repeating: "", count: 5)
        var namesASCII = true
        featuresBase = reader.range(.features).lowerBound
        pool = reader.raw(.strings)
        poolBase = reader.range(.strings).lowerBound
        var tags: [ServiceTag] = []
        tags.reserveCapacity(tagCount)
        for i in 0 ..< tagCount {
            let record = tagsBase + i * R.size
            func u32(_ field: Int) -> UInt32 { reader.load(record + field, as: UInt32.self) }
            func i64(_ field: Int) -> Int64 { reader.load(record + field, as: Int64.self) }
            let presence = u32(R.presence)
            guard presence & ~(R.hasChangeNumber | R.hasRegionId | R.hasNetworkFeatures) == 0, u32(76) == 0 else {
                throw CompiledIndexError(.invalid, "tag \(i): unknown presence bits or reserved bytes set", offset: record + R.presence)
            }
            // An id is usually the name; the other fields come from `known` after their first use.
            func field(_ f: Int) throws(CompiledIndexError) -> String {
                let reference = reader.load(record + R.strings + 8 * f, as: UInt64.self)
                // The previous tag's (platform and system service repeat run after run), else `known`.
                if i > 0, reference == reader.load(record - R.size + R.strings + 8 * f, as: UInt64.self) { return previous[f] }
                if let known = known[reference] { return known }
                var ascii = true
                let s = try string(at: record + R.strings + 8 * f, what: "tag \(i)", ascii: &ascii)
                known.insert(s, for: reference)
                return s
            }
            let nameReference = reader.load(record + R.strings, as: UInt64.self)
            let name = try string(at: record + R.strings, what: "tag \(i)", ascii: &namesASCII)
            let id = reader.load(record + R.strings + 8, as: UInt64.self) == nameReference ? name : try field(1)
            let region = try field(2), platform = try field(3), systemService = try field(4)
            previous[0] = name; previous[1] = id; previous[2] = region; previous[3] = platform; previous[4] = systemService
            if let other = names.insert(i, nameReference, pool: pool) {
                throw CompiledIndexError(.invalid, "tags \(other) and \(i) have the same name", offset: record + R.strings)
            }
            let featuresStart = Int(u32(R.featuresStart)), featuresCount = Int(u32(R.featuresCount))
            guard featuresStart <= featureCount, featuresCount <= featureCount - featuresStart,
                  presence & R.hasNetworkFeatures != 0 || featuresCount == 0 else {
                throw CompiledIndexError(.invalid, "tag \(i): features \(featuresStart)+\(featuresCount) outside the \(featureCount) in section 'features'", offset: record + R.featuresStart)
            }
            var features: [String]? = nil
            if presence & R.hasNetworkFeatures != 0 {
                // Most tags list the same features as the tag before them: the same references,
                // already checked, give the same list.
                let references = UnsafeRawBufferPointer(rebasing: featureBytes[8 * featuresStart ..< 8 * (featuresStart + featuresCount)])
                if let previous = previousFeatures, previous.references.count == references.count,
                   references.isEmpty || memcmp(previous.references.baseAddress!, references.baseAddress!, references.count) == 0 {
                    features = previous.list
                } else {
                    var list: [String] = []
                    list.reserveCapacity(featuresCount)
                    for f in featuresStart ..< featuresStart + featuresCount {
                        let reference = reader.load(featuresBase + 8 * f, as: UInt64.self)
                        if let feature = known[reference] {
                            list.append(feature)
                        } else {
                            var ascii = true
                            let feature = try string(at: featuresBase + 8 * f, what: "tag \(i)'s network feature", ascii: &ascii)
                            known.insert(feature, for: reference)
                            list.append(feature)
                        }
                    }
                    features = list
                    previousFeatures = (references, list)
                }
            }
            let tag4 = Int(u32(R.ipv4Count)), tag6 = Int(u32(R.ipv6Count))
            guard tag4 <= count4 - next4, tag6 <= count6 - next6 else {
                throw CompiledIndexError(.invalid, "tag \(i): its prefix counts pass the end of the model's prefixes", offset: record + R.ipv4Count)
            }
            let changeNumber = presence & R.hasChangeNumber != 0 ? try int(i64(R.changeNumber), at: record + R.changeNumber) : nil
            let regionId = presence & R.hasRegionId != 0 ? try int(i64(R.regionId), at: record + R.regionId) : nil
            tags.append(ServiceTag(name: name, id: id, changeNumber: changeNumber, region: region, regionId: regionId,
                                   platform: platform, systemService: systemService, networkFeatures: features))
            next4 += tag4
            next6 += tag6
        }
        // Names unique as bytes may still be equal as Strings (canonically equivalent Unicode),
        // which every name lookup would confuse; the reader refuses such files, and so does this.
        if !namesASCII, let (other, i) = Self.firstEquivalentNames(tags) {
            throw CompiledIndexError(.invalid, "tags \(other) and \(i) have canonically equivalent names", offset: tagsBase + i * R.size + R.strings)
        }
        guard next4 == count4, next6 == count6 else {
            throw CompiledIndexError(.invalid, "the tags hold \(next4) IPv4 and \(next6) IPv6 prefixes but the model has \(count4) and \(count6)", offset: reader.range(.tags).lowerBound)
        }
        let changeNumber = reader.flags & CompiledIndexLayout.flagHasChangeNumber != 0
            ? try int(reader.changeNumber, at: CompiledIndexLayout.Field.changeNumber) : nil
        return (cloud, changeNumber, tags)
    }

    /// `TagNameEquivalence.firstEquivalentPair` of the tags' names. A function of its own: a
    /// closure over `metadata()`'s array made each append there copy the tag.
    private static func firstEquivalentNames(_ tags: [ServiceTag]) -> (Int, Int)? {
        TagNameEquivalence.firstEquivalentPair(tags.map(\.name))
    }

    /// `metadata` (as `metadata()` returned it) with each tag's prefix lists, in file order.
    /// - Precondition: `metadata()` and `checkModelPrefixes` accepted these bytes.
    func tags(metadata: [ServiceTag]) -> [ServiceTag] {
        let v4 = Self.prefixes(reader, IPv4Address.self, .modelIPv4Addresses, .modelIPv4Lengths)
        let v6 = Self.prefixes(reader, IPv6Address.self, .modelIPv6Addresses, .modelIPv6Lengths)
        let tagsBase = reader.range(.tags).lowerBound
        var tags = metadata
        var next4 = 0, next6 = 0
        for i in tags.indices {
            let record = tagsBase + i * R.size
            let count4 = Int(reader.load(record + R.ipv4Count, as: UInt32.self)), count6 = Int(reader.load(record + R.ipv6Count, as: UInt32.self))
            tags[i].ipv4 = Array(v4[next4 ..< next4 + count4])
            tags[i].ipv6 = Array(v6[next6 ..< next6 + count6])
            next4 += count4
            next6 += count6
        }
        return tags
    }

    /// `Int` is 64-bit on every platform stag builds for; elsewhere a too-large number is refused.
    private func int(_ v: Int64, at offset: Int) throws(CompiledIndexError) -> Int {
        guard let i = Int(exactly: v) else { throw CompiledIndexError(.invalid, "number \(v) out of range", offset: offset) }
        return i
    }

    /// The string whose (offset, length) in `strings` is at byte `at`: in bounds, at most
    /// `maxStringBytes`, valid UTF-8; `ascii` is cleared when it is not all ASCII.
    private func string(at field: Int, what: @autoclosure () -> String, ascii: inout Bool) throws(CompiledIndexError) -> String {
        let start = Int(reader.load(field, as: UInt32.self)), length = Int(reader.load(field + 4, as: UInt32.self))
        guard length <= CompiledIndexLayout.maxStringBytes, start <= pool.count, length <= pool.count - start else {
            throw CompiledIndexError(.invalid, "\(what()): string \(start)+\(length) outside section 'strings' (\(pool.count) bytes) or over \(CompiledIndexLayout.maxStringBytes) bytes", offset: field)
        }
        guard let s = Self.utf8String(UnsafeRawBufferPointer(rebasing: pool[start ..< start + length]), isASCII: &ascii) else {
            throw CompiledIndexError(.invalid, "\(what()): string is not valid UTF-8", offset: poolBase + start)
        }
        return s
    }

    /// The bytes as a `String` if they are valid UTF-8, else nil. Names are ASCII: those are
    /// checked with a plain loop; others must decode without repair (`String(decoding:)` replaces
    /// each invalid sequence with U+FFFD, so the bytes would differ).
    /// - Complexity: O(n), no generic `Sequence` walk (`String(validating:)` over a raw buffer
    ///   was a third of the whole load).
    static func utf8String(_ raw: UnsafeRawBufferPointer) -> String? {
        var ascii = true
        return utf8String(raw, isASCII: &ascii)
    }

    /// `utf8String(_:)`, clearing `isASCII` when the bytes are not all ASCII.
    static func utf8String(_ raw: UnsafeRawBufferPointer, isASCII: inout Bool) -> String? {
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        // ASCII eight bytes at a time.
        var high: UInt64 = 0, i = 0
        while i + 8 <= raw.count { high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self); i += 8 }
        while i < raw.count { high |= UInt64(raw[i]); i += 1 }
        let ascii = high & 0x8080_8080_8080_8080 == 0
        let s = String(decoding: bytes, as: UTF8.self)
        if ascii { return s }
        isASCII = false
        var same = s.utf8.count == bytes.count
        if same { same = s.utf8.withContiguousStorageIfAvailable { $0.elementsEqual(bytes) } ?? s.utf8.elementsEqual(bytes) }
        return same ? s : nil
    }

    /// The number of prefixes stored as an address section and a length section of equal counts.
    static func prefixCount(_ reader: CompiledIndexReader, _ addresses: CompiledSection, _ lengths: CompiledSection) throws(CompiledIndexError) -> Int {
        let n = reader.count(addresses)
        guard reader.count(lengths) == n else {
            throw CompiledIndexError(.invalid, "section '\(lengths.name)' has \(reader.count(lengths)) entries for \(n) in '\(addresses.name)'", offset: reader.range(lengths).lowerBound)
        }
        return n
    }

    /// Every model prefix canonical, IPv4 then IPv6: the part of the model's checks that reads
    /// only the model's prefix sections, so it can run beside `metadata()`.
    /// - Complexity: O(model prefixes).
    static func checkModelPrefixes(_ reader: CompiledIndexReader) throws(CompiledIndexError) {
        _ = try prefixCount(reader, .modelIPv4Addresses, .modelIPv4Lengths)
        _ = try prefixCount(reader, .modelIPv6Addresses, .modelIPv6Lengths)
        try checkPrefixes(reader, IPv4Address.self, .modelIPv4Addresses, .modelIPv4Lengths)
        try checkPrefixes(reader, IPv6Address.self, .modelIPv6Addresses, .modelIPv6Lengths)
    }

    /// Checks that each prefix of an address section and its length section is canonical.
    /// - Precondition: the two have equal counts (`prefixCount`).
    static func checkPrefixes<A: IPAddressFamily>(_ reader: CompiledIndexReader, _: A.Type, _ addresses: CompiledSection,
                                                  _ lengths: CompiledSection) throws(CompiledIndexError) {
        let bits = reader.view(addresses, as: A.Bits.self).base, lengthBytes = reader.raw(lengths)
        precondition(bits.count == lengthBytes.count)
        for i in 0 ..< bits.count {
            let length = Int(lengthBytes[i])
            guard length <= A.bitWidth, bits[i] & ~A.mask(length: length) == 0 else {
                throw CompiledIndexError(.invalid, "section '\(addresses.name)' element \(i): not a canonical prefix (length \(length))", offset: reader.offset(addresses, element: i))
            }
        }
    }

    /// The prefixes `checkPrefixes` accepted.
    static func prefixes<A: IPAddressFamily>(_ reader: CompiledIndexReader, _: A.Type, _ addresses: CompiledSection,
                                             _ lengths: CompiledSection) -> [Prefix<A>] {
        let bits = reader.view(addresses, as: A.Bits.self).base, lengthBytes = reader.raw(lengths)
        precondition(bits.count == lengthBytes.count)
        return (0 ..< bits.count).map { Prefix(unchecked: A(bits: bits[$0]), length: Int(lengthBytes[$0])) }
    }
}
