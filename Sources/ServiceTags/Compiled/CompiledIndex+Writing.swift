/// A compiled index's sections, laid out but not yet assembled: what is left is the header, which
/// records the source file's SHA-256 (`stag compile` is still hashing the file while it builds).
public struct CompiledIndexSections: @unchecked Sendable {
    // Unchecked: the pieces are views of immutable memory their owners keep alive (`CompiledFileParts`).
    var sections: [CompiledSection: CompiledFileParts.Piece]
    let flags: UInt32
    let changeNumber: Int64

    /// The whole file: header (with `sourceSHA256` and `sourceSize`), section table, sections, checksum.
    /// - Precondition: `sourceSHA256` has 32 bytes.
    /// - Complexity: one pass over the sections' bytes (the checksum); nothing is copied.
    public func parts(sourceSHA256: [UInt8], sourceSize: Int) -> CompiledFileParts {
        CompiledFileParts.assemble(.index, sections, flags: flags, sourceSHA256: sourceSHA256, sourceSize: sourceSize, changeNumber: changeNumber)
    }
}

extension CompiledIndex {
    /// The compiled index of `file` (whose `TagIndex` is `index`, built from it), recording the
    /// source file's SHA-256 and size.
    ///
    /// Sections are laid out in `CompiledSection.all` order after the header and the section
    /// table, each 16-byte aligned; the checksum is filled in last.
    /// - Precondition: `index` was built from `file` (same tags, same order); `sourceSHA256` has 32 bytes.
    /// - Throws: `.unsupported` when a string is longer than the format's cap.
    /// - Complexity: O(size of the model and the index).
    public static func write(file: ServiceTagsFile, index: TagIndex, sourceSHA256: [UInt8], sourceSize: Int) throws(CompiledIndexError) -> [UInt8] {
        try sections(file: file, index: index).parts(sourceSHA256: sourceSHA256, sourceSize: sourceSize).bytes
    }

    /// `write`'s sections, most of them views of `index`'s arrays.
    /// - Precondition: `index` was built from `file`.
    /// - Throws: as `write`.
    public static func sections(file: ServiceTagsFile, index: TagIndex) throws(CompiledIndexError) -> CompiledIndexSections {
        precondition(index.tags.count == file.tags.count)
        return finish(try modelSections(file), file, index.ipv4, index.ipv6)
    }

    /// Builds `file`'s index and lays out its sections on two cores: the model's sections on the
    /// IPv6 family's thread (`TagIndexBuilder.finish(alongside:)`), while the caller's builds the
    /// IPv4 family. One after the other, the model's sections waited for both families. The result
    /// equals `sections(file:index: TagIndexBuilder(file).finish())`.
    /// - Throws: as `write`.
    public static func sections(compiling file: ServiceTagsFile) throws(CompiledIndexError) -> CompiledIndexSections {
        let (index, model) = TagIndexBuilder(file).finish(alongside: { Result { () throws(CompiledIndexError) in try modelSections(file) } })
        return finish(try model.get(), file, index.ipv4, index.ipv6)
    }

    /// The model's sections with the two families' added.
    private static func finish(_ model: [CompiledSection: CompiledFileParts.Piece], _ file: ServiceTagsFile,
                               _ ipv4: FamilyIndex<IPv4Address>, _ ipv6: FamilyIndex<IPv6Address>) -> CompiledIndexSections {
        typealias L = CompiledIndexLayout
        var sections = model
        appendFamily(ipv4, v4: true, to: &sections)
        appendFamily(ipv6, v4: false, to: &sections)
        let flags = (file.changeNumber == nil ? 0 : L.flagHasChangeNumber)
            | (flatRoot(ipv4) ? L.flagFlatRoot(true) : 0) | (flatRoot(ipv6) ? L.flagFlatRoot(false) : 0)
        return CompiledIndexSections(sections: sections, flags: flags, changeNumber: Int64(file.changeNumber ?? 0))
    }

    /// The sections of the model (everything but the two families): cloud, strings, tag records,
    /// network features, every tag's prefixes.
    private static func modelSections(_ file: ServiceTagsFile) throws(CompiledIndexError) -> [CompiledSection: CompiledFileParts.Piece] {
        typealias Piece = CompiledFileParts.Piece
        var sections: [CompiledSection: Piece] = [:]
        var strings = CompiledStringPool()
        guard file.cloud.utf8.count <= CompiledIndexLayout.maxStringBytes else {
            throw CompiledIndexError(.unsupported, "the cloud name is \(file.cloud.utf8.count) bytes long; a compiled index holds strings of at most \(CompiledIndexLayout.maxStringBytes) bytes")
        }
        sections[.cloud] = Piece(Array(file.cloud.utf8))
        var tags = CompiledByteWriter(), features = CompiledByteWriter()
        tags.bytes.reserveCapacity(file.tags.count * CompiledIndexLayout.TagRecord.size)
        var featureCount = 0
        for (i, tag) in file.tags.enumerated() {
            typealias R = CompiledIndexLayout.TagRecord
            // Field by field, not over an array of the five: that array was an allocation per tag.
            func string(_ s: String, _ field: String) throws(CompiledIndexError) {
                let (offset, length) = try strings.intern(s, what: "tag \(i)'s \(field)")
                tags.append(offset)
                tags.append(length)
            }
            try string(tag.name, "name")
            try string(tag.id, "id")
            try string(tag.region, "region")
            try string(tag.platform, "platform")
            try string(tag.systemService, "systemService")
            tags.append(Int64(tag.changeNumber ?? 0))
            tags.append(Int64(tag.regionId ?? 0))
            tags.append((tag.changeNumber == nil ? 0 : R.hasChangeNumber) | (tag.regionId == nil ? 0 : R.hasRegionId)
                        | (tag.networkFeatures == nil ? 0 : R.hasNetworkFeatures))
            tags.append(UInt32(featureCount))
            tags.append(UInt32(tag.networkFeatures?.count ?? 0))
            tags.append(UInt32(tag.ipv4.count))
            tags.append(UInt32(tag.ipv6.count))
            tags.append(UInt32(0))
            for f in tag.networkFeatures ?? [] {
                let (offset, length) = try strings.intern(f, what: "a network feature of tag \(i)")
                features.append(offset)
                features.append(length)
                featureCount += 1
            }
        }
        sections[.strings] = Piece(strings.bytes.bytes)
        sections[.tags] = Piece(tags.bytes)
        sections[.features] = Piece(features.bytes)
        (sections[.modelIPv4Addresses], sections[.modelIPv4Lengths]) = modelPrefixes(file.tags.map { $0.ipv4 })
        (sections[.modelIPv6Addresses], sections[.modelIPv6Lengths]) = modelPrefixes(file.tags.map { $0.ipv6 })
        return sections
    }

    /// Every tag's prefixes of one family, tag after tag, as the two columns of the model's sections.
    private static func modelPrefixes<A>(_ perTag: [[Prefix<A>]]) -> (CompiledFileParts.Piece, CompiledFileParts.Piece) {
        let total = perTag.reduce(0) { $0 + $1.count }
        var addresses: [A.Bits] = [], lengths: [UInt8] = []
        addresses.reserveCapacity(total)
        lengths.reserveCapacity(total)
        // Plain loops: a key path or lazy map here (a generic context) went through the runtime's
        // metadata and key path machinery for every tag, a fifth of the command's time.
        for prefixes in perTag {
            for p in prefixes {
                addresses.append(p.address.bits)
                lengths.append(p.length)
            }
        }
        return (.littleEndian(IndexArray(addresses)), CompiledFileParts.Piece(lengths))
    }

    private static func appendFamily<A>(_ family: FamilyIndex<A>, v4: Bool, to sections: inout [CompiledSection: CompiledFileParts.Piece]) {
        typealias Piece = CompiledFileParts.Piece
        func put<T: FixedWidthInteger & BitwiseCopyable>(_ name: String, _ array: IndexArray<T>) {
            sections[CompiledSection.family(v4, name)] = .littleEndian(array)
        }
        put("prefixes.addresses", family.prefixes.addresses)
        put("prefixes.lengths", family.prefixes.lengths)
        put("parent", family.parent)
        put("tagSet", family.tagSet)
        put("tagSetStart", family.tagSetStart)
        put("tagSetMembers", family.tagSetMembers)
        put("matchStart", family.matchStart)
        // A match is (tag, node) UInt32s, tag first: in memory, the section's little-endian pair.
        #if _endian(little)
        precondition(MemoryLayout<IndexMatch>.stride == 8 && MemoryLayout<IndexMatch>.offset(of: \.node) == 4)
        sections[CompiledSection.family(v4, "matches")] = Piece(viewing: family.matches)
        #else
        put("matches", IndexArray(family.matches.map { UInt64($0.tag) | UInt64($0.node) << 32 }))
        #endif
        let table = family.table
        // A large family's root as its 2^16 entries (256 KiB, viewed in place on load); a small
        // one's as runs of equal entries (slot, entry), almost all zero (`flatRootMinimumPrefixes`).
        if Self.flatRoot(family) {
            put("root", table._root)
        } else {
            var runs: [UInt32] = []
            for (slot, entry) in table._root.enumerated() where slot == 0 || table._root[slot - 1] != entry {
                runs.append(UInt32(slot))
                runs.append(entry)
            }
            put("root", IndexArray(runs))
        }
        put("nodes", table._nodes)
        put("leaves", table._leaves)
        put("key", table._key)
        put("fallback", table._fallback)
    }

    static func flatRoot<A>(_ family: FamilyIndex<A>) -> Bool { family.prefixes.count >= CompiledIndexLayout.flatRootMinimumPrefixes }
}

