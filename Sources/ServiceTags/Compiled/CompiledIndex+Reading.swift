#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension CompiledIndex {
    /// Validates and loads an index held in memory (`init(contentsOf:)` maps the file instead).
    /// The bytes are copied once into aligned memory the index then reads in place. Nothing is
    /// trusted before it is checked: the reader bounds the header and every section; then every
    /// count, reference, string and prefix of the model, and the index's structure
    /// (`FamilyIndex.validate`), are checked before the index is returned.
    /// - Throws: `CompiledIndexError` naming the first problem and its byte offset.
    /// - Complexity: O(file size): one copy, one checksum pass, one validation pass.
    public init(bytes: UnsafeRawBufferPointer, path: String? = nil) throws(CompiledIndexError) {
        try self.init(memory: CompiledIndexMemory(copying: bytes), path: path)
    }

    /// Validates `memory` whole, then views the index's arrays in place. The tags' metadata is
    /// decoded now (a lookup prints it); their prefix lists, already checked, only when
    /// `index.tags` or `file` is first read (`tags`, `export`, `diff` need them; a lookup does not).
    ///
    /// The checksum is computed beside the validation (on a second thread for a large index) and
    /// checked before anything is returned; when it does not match, its error is the one thrown,
    /// whatever validation found, exactly as if it had been checked first.
    init(memory: CompiledIndexMemory, path: String?) throws(CompiledIndexError) {
        do throws(CompiledIndexError) {
            try CompiledIndexReader.checkHeader(memory.bytes)
            let checksum = CompiledIndexChecksumTask(memory)
            let loaded: (TagIndex, Source)
            do throws(CompiledIndexError) {
                loaded = try Self.validated(memory)
            } catch {
                try CompiledIndexReader.checkChecksum(memory.bytes, computed: checksum.value())
                throw error
            }
            try CompiledIndexReader.checkChecksum(memory.bytes, computed: checksum.value())
            self.init(index: loaded.0, source: loaded.1, byteCount: memory.bytes.count)
        } catch {
            var error = error
            error.path = path
            throw error
        }
    }

    /// Everything but the checksum: the section table, the model, both families.
    private static func validated(_ memory: CompiledIndexMemory) throws(CompiledIndexError) -> (TagIndex, Source) {
        let reader = try CompiledIndexReader(memory, checksum: false)
        var decoder = CompiledModelDecoder(reader: reader)
        let model = try decoder.metadata()
        let lazyModel = decoder
        let ipv4 = try Self.family(reader, v4: true, as: IPv4Address.self, tagCount: model.tags.count)
        let ipv6 = try Self.family(reader, v4: false, as: IPv6Address.self, tagCount: model.tags.count)
        let index = TagIndex(cloud: model.cloud, changeNumber: model.changeNumber, metadata: model.tags, ipv4: ipv4, ipv6: ipv6) {
            lazyModel.tags(metadata: model.tags)
        }
        return (index, Source(sha256: reader.sourceSHA256, size: reader.sourceSize))
    }

    /// One family's `FamilyIndex`, validated; a violation is reported at its element's byte.
    private static func family<A: IPAddressFamily>(_ reader: CompiledIndexReader, v4: Bool, as: A.Type, tagCount: Int) throws(CompiledIndexError) -> FamilyIndex<A> {
        func section(_ name: String) -> CompiledSection { CompiledSection.family(v4, name) }
        let addresses = section("prefixes.addresses"), lengths = section("prefixes.lengths")
        guard reader.count(lengths) == reader.count(addresses) else {
            throw CompiledIndexError(.invalid, "section '\(lengths.name)' has \(reader.count(lengths)) entries for \(reader.count(addresses)) in '\(addresses.name)'", offset: reader.range(lengths).lowerBound)
        }
        // Every array is viewed in place; canonical prefixes and all the rest are checked below.
        let prefixes = IndexPrefixes<A>(addresses: reader.view(addresses, as: A.Bits.self), lengths: reader.view(lengths, as: UInt8.self))
        let table = StrideTable<A>(root: try root(reader, section("root"), entries: 1 << StrideTable<A>.rootBits), nodes: reader.view(section("nodes"), as: UInt64.self),
                                   leaves: reader.view(section("leaves"), as: UInt32.self), key: reader.view(section("key"), as: A.Bits.self),
                                   fallback: reader.view(section("fallback"), as: UInt32.self))
        let family = FamilyIndex(prefixes: prefixes, parent: reader.view(section("parent"), as: UInt32.self),
                                 tagSet: reader.view(section("tagSet"), as: UInt32.self),
                                 tagSetStart: reader.view(section("tagSetStart"), as: UInt32.self),
                                 tagSetMembers: reader.view(section("tagSetMembers"), as: UInt32.self),
                                 matchStart: reader.view(section("matchStart"), as: UInt32.self),
                                 matches: matches(reader, section("matches")), table: table)
        do {
            try family.validate(tagCount: tagCount)
        } catch {
            let kind = section(error.array == "prefixes" ? "prefixes.addresses" : error.array)
            var element = error.element
            if error.array == "root" {  // a slot: report the run holding it
                let runs = reader.array(kind, as: UInt64.self)
                element = (runs.lastIndex { Int($0 & 0xFFFF_FFFF) <= error.element }) ?? 0
            }
            let offset = reader.range(kind).isEmpty ? reader.range(kind).lowerBound : reader.offset(kind, element: element)
            throw CompiledIndexError(.invalid, "section '\(kind.name)' element \(error.element): \(error.message)", offset: offset)
        }
        return family
    }

    /// The root table from its runs of equal entries, (first slot, entry) pairs: the first run
    /// starts at slot 0 and each later one after the one before, below `entries`. (The entries
    /// themselves are checked with the rest of the table.)
    private static func root(_ reader: CompiledIndexReader, _ kind: CompiledSection, entries: Int) throws(CompiledIndexError) -> IndexArray<UInt32> {
        let runs = reader.view(kind, as: UInt64.self)
        var root = [UInt32](repeating: 0, count: entries)
        for (i, run) in runs.enumerated() {
            let start = Int(run & 0xFFFF_FFFF), entry = UInt32(truncatingIfNeeded: run >> 32)
            let previous = i == 0 ? -1 : Int(runs[i - 1] & 0xFFFF_FFFF)
            guard i == 0 ? start == 0 : start > previous && start < entries else {
                throw CompiledIndexError(.invalid, "section '\(kind.name)' run \(i) starts at slot \(start), not after slot \(previous) and below \(entries)", offset: reader.offset(kind, element: i))
            }
            let end = i + 1 < runs.count ? min(Int(runs[i + 1] & 0xFFFF_FFFF), entries) : entries
            if start < end { for s in start ..< end { root[s] = entry } }
        }
        guard !runs.isEmpty else { throw CompiledIndexError(.invalid, "section '\(kind.name)' has no runs", offset: reader.range(kind).lowerBound) }
        return IndexArray(root)
    }

    /// `matches` is (tag, node) pairs of little-endian UInt32: `IndexMatch`'s own layout on a
    /// little-endian machine, so it is viewed in place.
    private static func matches(_ reader: CompiledIndexReader, _ kind: CompiledSection) -> IndexArray<IndexMatch> {
        #if _endian(little)
        return reader.view(kind, as: IndexMatch.self, native: ())
        #else
        let words = reader.array(kind, as: UInt64.self)
        return IndexArray(words.map { IndexMatch(tag: UInt32(truncatingIfNeeded: $0), node: UInt32(truncatingIfNeeded: $0 >> 32)) })
        #endif
    }
}
