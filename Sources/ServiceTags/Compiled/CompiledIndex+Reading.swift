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
    /// For an index of `parallelThreshold` bytes or more the work is split over two threads
    /// (`concurrently`), in two halves of about equal cost. The helper starts at once with the
    /// checksum (it needs only the header), while this thread reads the section table and views
    /// the IPv4 family, and hands both over (`Handoff`); then this thread decodes the metadata and
    /// checks the model's prefixes and the IPv4 family's arrays, and the helper checks the IPv4
    /// family's table and the whole IPv6 family (balanced by measured time: the checksum runs at
    /// memory speed, slower per instruction than the rest). Each part only reads the bytes, and validation alone keeps any
    /// bytes safe to read, so the parts need no other order. The error thrown does not depend on
    /// the split: the first in the order checksum, section table, metadata, model prefixes, IPv4
    /// family, IPv6 family — a checksum mismatch wins over whatever validation found, exactly as
    /// if it had been checked first.
    init(memory: CompiledIndexMemory, path: String?, parallel: Bool? = nil) throws(CompiledIndexError) {
        do throws(CompiledIndexError) {
            try CompiledIndexReader.checkHeader(memory.bytes)
            typealias E = CompiledIndexError
            typealias Shared = (reader: CompiledIndexReader, ipv4: Result<FamilyIndex<IPv4Address>, E>)
            let shared = Handoff<Result<Shared, E>>()
            let (first, second) = concurrently(parallel: parallel ?? (memory.bytes.count >= Self.parallelThreshold)) {
                let table = Result { () throws(E) -> Shared in
                    let reader = try CompiledIndexReader(memory, checksum: false)
                    return (reader, Result { () throws(E) in try Self.familyView(reader, v4: true, as: IPv4Address.self) })
                }
                shared.put(table)  // before anything can fail: the helper waits for it
                return table.map { table in
                    var decoder = CompiledModelDecoder(reader: table.reader)
                    let model = Result { () throws(E) in try decoder.metadata() }
                    return (model: model, decoder: decoder, reader: table.reader,
                            prefixes: Result { () throws(E) in try CompiledModelDecoder.checkModelPrefixes(table.reader) },
                            ipv4Arrays: Result { () throws(E) in try Self.check(try table.ipv4.get(), .arrays, table.reader, v4: true) })
                }
            } _: {
                let checksum = CompiledIndexChecksum.compute(memory.bytes)
                let table = shared.take()
                return (checksum: checksum,
                        ipv4Table: table.map { table in Result { () throws(E) in try Self.check(try table.ipv4.get(), .table, table.reader, v4: true) } },
                        ipv6: table.map { table in Result { () throws(E) in
                            let family = try Self.familyView(table.reader, v4: false, as: IPv6Address.self)
                            try Self.check(family, .all, table.reader, v4: false)
                            // Without jumps: `TagIndex.withJumps()` adds them for a stream.
                            return family
                        } })
            }
            // The first error in the order of a serial load: checksum, section table, metadata,
            // model prefixes, the IPv4 family (views, arrays, table), the IPv6 family.
            try CompiledIndexReader.checkChecksum(memory.bytes, computed: second.checksum)
            let main = try first.get()
            let model = try main.model.get()
            try main.prefixes.get()
            let ipv4 = try shared.take().get().ipv4.get()
            try main.ipv4Arrays.get()
            try second.ipv4Table.get().get()
            let ipv6 = try second.ipv6.get().get()
            let reader = main.reader, decoder = main.decoder
            let index = TagIndex(cloud: model.cloud, changeNumber: model.changeNumber, metadata: model.tags, ipv4: ipv4, ipv6: ipv6) {
                decoder.tags(metadata: model.tags)
            }
            self.init(index: index, source: Source(sha256: reader.sourceSHA256, size: reader.sourceSize), byteCount: memory.bytes.count)
        } catch {
            var error = error
            error.path = path
            throw error
        }
    }

    /// From this size (the Public file's index is 5.6 MB) the load runs on two threads; below it a
    /// thread costs more than it saves.
    static let parallelThreshold = 1 << 20

    /// One family's `FamilyIndex` viewed in place, not yet validated: `check` does that.
    private static func familyView<A: IPAddressFamily>(_ reader: CompiledIndexReader, v4: Bool, as: A.Type) throws(CompiledIndexError) -> FamilyIndex<A> {
        func section(_ name: String) -> CompiledSection { CompiledSection.family(v4, name) }
        let addresses = section("prefixes.addresses"), lengths = section("prefixes.lengths")
        guard reader.count(lengths) == reader.count(addresses) else {
            throw CompiledIndexError(.invalid, "section '\(lengths.name)' has \(reader.count(lengths)) entries for \(reader.count(addresses)) in '\(addresses.name)'", offset: reader.range(lengths).lowerBound)
        }
        // Every array is viewed in place; canonical prefixes and all the rest are checked by `check`.
        let prefixes = IndexPrefixes<A>(addresses: reader.view(addresses, as: A.Bits.self), lengths: reader.view(lengths, as: UInt8.self))
        // Flat (a large family, `CompiledIndexLayout.flatRootMinimumPrefixes`): viewed in place;
        // else expanded from its runs.
        let flat = reader.flags & CompiledIndexLayout.flagFlatRoot(v4) != 0
        let root = flat ? reader.view(section("root"), as: UInt32.self) : try root(reader, section("root"), entries: 1 << StrideTable<A>.rootBits)
        let table = StrideTable<A>(root: root, nodes: reader.view(section("nodes"), as: UInt64.self),
                                   leaves: reader.view(section("leaves"), as: UInt32.self), key: reader.view(section("key"), as: A.Bits.self),
                                   fallback: reader.view(section("fallback"), as: UInt32.self))
        return FamilyIndex(prefixes: prefixes, parent: reader.view(section("parent"), as: UInt32.self),
                           tagSet: reader.view(section("tagSet"), as: UInt32.self),
                           tagSetStart: reader.view(section("tagSetStart"), as: UInt32.self),
                           tagSetMembers: reader.view(section("tagSetMembers"), as: UInt32.self),
                           matchStart: reader.view(section("matchStart"), as: UInt32.self),
                           matches: matches(reader, section("matches")), table: table)
    }

    /// Which of a family's checks to run: its arrays, its table, or both (`FamilyIndex.validate`).
    enum FamilyPart { case arrays, table, all }

    /// Runs `part` of `family`'s checks; a violation is reported at its element's byte.
    private static func check<A: IPAddressFamily>(_ family: FamilyIndex<A>, _ part: FamilyPart, _ reader: CompiledIndexReader, v4: Bool) throws(CompiledIndexError) {
        do {
            switch part {
            case .arrays: try family.validateArrays(tagCount: reader.count(.tags))
            case .table: try family.table.validate(maxValue: UInt32(family.prefixes.count))
            case .all: try family.validate(tagCount: reader.count(.tags))
            }
        } catch {
            let kind = CompiledSection.family(v4, error.array == "prefixes" ? "prefixes.addresses" : error.array)
            var offset = reader.range(kind).isEmpty ? reader.range(kind).lowerBound : reader.offset(kind, element: error.element)
            if error.array == "root" && reader.flags & CompiledIndexLayout.flagFlatRoot(v4) == 0 {
                // A slot of a root stored as runs (already checked whole): report the run holding it.
                let runs = (try? Self.runs(reader, kind)) ?? UnsafeBufferPointer(start: nil, count: 0)
                let run = runs.lastIndex { Int(UInt64(littleEndian: $0) & 0xFFFF_FFFF) <= error.element } ?? 0
                offset = reader.range(kind).lowerBound + 8 * run
            }
            throw CompiledIndexError(.invalid, "section '\(kind.name)' element \(error.element): \(error.message)", offset: offset)
        }
    }

    /// The root table from its runs of equal entries, (first slot, entry) pairs: a whole number of
    /// pairs, the first run starting at slot 0 and each later one after the one before, below
    /// `entries`. (The entries themselves are checked with the rest of the table.)
    private static func root(_ reader: CompiledIndexReader, _ kind: CompiledSection, entries: Int) throws(CompiledIndexError) -> IndexArray<UInt32> {
        let runs = try Self.runs(reader, kind)
        let base = reader.range(kind).lowerBound
        guard !runs.isEmpty else { throw CompiledIndexError(.invalid, "section '\(kind.name)' has no runs", offset: base) }
        func start(_ i: Int) -> Int { Int(UInt64(littleEndian: runs[i]) & 0xFFFF_FFFF) }
        for i in runs.indices {
            let previous = i == 0 ? -1 : start(i - 1)
            guard i == 0 ? start(i) == 0 : start(i) > previous && start(i) < entries else {
                throw CompiledIndexError(.invalid, "section '\(kind.name)' run \(i) starts at slot \(start(i)), not after slot \(previous) and below \(entries)", offset: base + 8 * i)
            }
        }
        // The runs start at 0 and strictly increase below `entries`, so each slot is written
        // exactly once: no zero fill first.
        let root = [UInt32](unsafeUninitializedCapacity: entries) { slots, initialized in
            for i in runs.indices {
                let end = i + 1 < runs.count ? start(i + 1) : entries
                UnsafeMutableBufferPointer(rebasing: slots[start(i) ..< end]).initialize(repeating: UInt32(truncatingIfNeeded: UInt64(littleEndian: runs[i]) >> 32))
            }
            initialized = entries
        }
        return IndexArray(root)
    }

    /// A root section read as (slot, entry) runs, 8 bytes each (little-endian `UInt64`s).
    private static func runs(_ reader: CompiledIndexReader, _ kind: CompiledSection) throws(CompiledIndexError) -> UnsafeBufferPointer<UInt64> {
        let raw = reader.raw(kind)
        guard raw.count % 8 == 0 else {
            throw CompiledIndexError(.invalid, "section '\(kind.name)' has \(raw.count) bytes, not a whole number of 8-byte runs", offset: reader.range(kind).lowerBound)
        }
        // Sections are 16-byte aligned, so the bytes are aligned for `UInt64`.
        return raw.isEmpty ? UnsafeBufferPointer(start: nil, count: 0) : raw.bindMemory(to: UInt64.self)
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
