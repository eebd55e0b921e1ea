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
        precondition(sourceSHA256.count == 32 && index.tags.count == file.tags.count)
        var sections: [CompiledSection: CompiledByteWriter] = [:]
        var strings = CompiledStringPool()
        var cloud = CompiledByteWriter()
        guard file.cloud.utf8.count <= CompiledIndexLayout.maxStringBytes else {
            throw CompiledIndexError(.unsupported, "the cloud name is \(file.cloud.utf8.count) bytes long; a compiled index holds strings of at most \(CompiledIndexLayout.maxStringBytes) bytes")
        }
        cloud.bytes.append(contentsOf: file.cloud.utf8)
        sections[.cloud] = cloud
        var tags = CompiledByteWriter(), features = CompiledByteWriter()
        var v4 = (addresses: CompiledByteWriter(), lengths: CompiledByteWriter())
        var v6 = (addresses: CompiledByteWriter(), lengths: CompiledByteWriter())
        var featureCount = 0
        for (i, tag) in file.tags.enumerated() {
            typealias R = CompiledIndexLayout.TagRecord
            for (field, s) in [("name", tag.name), ("id", tag.id), ("region", tag.region), ("platform", tag.platform),
                               ("systemService", tag.systemService)] {
                let (offset, length) = try strings.intern(s, what: "tag \(i)'s \(field)")
                tags.append(offset)
                tags.append(length)
            }
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
            appendPrefixes(tag.ipv4, to: &v4)
            appendPrefixes(tag.ipv6, to: &v6)
        }
        sections[.strings] = strings.bytes
        sections[.tags] = tags
        sections[.features] = features
        sections[.modelIPv4Addresses] = v4.addresses
        sections[.modelIPv4Lengths] = v4.lengths
        sections[.modelIPv6Addresses] = v6.addresses
        sections[.modelIPv6Lengths] = v6.lengths
        appendFamily(index.ipv4, v4: true, to: &sections)
        appendFamily(index.ipv6, v4: false, to: &sections)
        return assemble(sections, file: file, index: index, sourceSHA256: sourceSHA256, sourceSize: sourceSize)
    }

    /// Whole arrays at a time: appending value by value made writing a third of `stag compile`.
    private static func appendPrefixes<A>(_ prefixes: [Prefix<A>], to out: inout (addresses: CompiledByteWriter, lengths: CompiledByteWriter)) {
        out.addresses.append(contentsOf: prefixes.map { $0.address.bits })
        out.lengths.bytes.append(contentsOf: prefixes.map(\.length))
    }

    private static func appendFamily<A>(_ family: FamilyIndex<A>, v4: Bool, to sections: inout [CompiledSection: CompiledByteWriter]) {
        func put(_ name: String, _ body: (inout CompiledByteWriter) -> Void) {
            var w = CompiledByteWriter()
            body(&w)
            sections[CompiledSection.family(v4, name)] = w
        }
        put("prefixes.addresses") { $0.append(contentsOf: family.prefixes.addresses) }
        put("prefixes.lengths") { $0.append(contentsOf: family.prefixes.lengths) }
        put("parent") { $0.append(contentsOf: family.parent) }
        put("tagSet") { $0.append(contentsOf: family.tagSet) }
        put("tagSetStart") { $0.append(contentsOf: family.tagSetStart) }
        put("tagSetMembers") { $0.append(contentsOf: family.tagSetMembers) }
        put("matchStart") { $0.append(contentsOf: family.matchStart) }
        put("matches") { $0.append(contentsOf: family.matches.map { UInt64($0.tag) | UInt64($0.node) << 32 }) }
        let table = family.table
        // A large family's root as its 2^16 entries (256 KiB, viewed in place on load); a small
        // one's as runs of equal entries (slot, entry), almost all zero (`flatRootMinimumPrefixes`).
        if Self.flatRoot(family) {
            put("root") { $0.append(contentsOf: table._root) }
        } else {
            put("root") { w in
                for (slot, entry) in table._root.enumerated() where slot == 0 || table._root[slot - 1] != entry {
                    w.append(UInt32(slot))
                    w.append(entry)
                }
            }
        }
        put("nodes") { $0.append(contentsOf: table._nodes) }
        put("leaves") { $0.append(contentsOf: table._leaves) }
        put("key") { $0.append(contentsOf: table._key) }
        put("fallback") { $0.append(contentsOf: table._fallback) }
    }

    static func flatRoot<A>(_ family: FamilyIndex<A>) -> Bool { family.prefixes.count >= CompiledIndexLayout.flatRootMinimumPrefixes }

    /// Header, section table, the sections in `CompiledSection.all` order, then the checksum.
    private static func assemble(_ sections: [CompiledSection: CompiledByteWriter], file: ServiceTagsFile, index: TagIndex,
                                 sourceSHA256: [UInt8], sourceSize: Int) -> [UInt8] {
        typealias L = CompiledIndexLayout
        let flags = (file.changeNumber == nil ? 0 : L.flagHasChangeNumber)
            | (flatRoot(index.ipv4) ? L.flagFlatRoot(true) : 0) | (flatRoot(index.ipv6) ? L.flagFlatRoot(false) : 0)
        return CompiledByteWriter.assemble(.index, sections, flags: flags,
                                    sourceSHA256: sourceSHA256, sourceSize: sourceSize, changeNumber: Int64(file.changeNumber ?? 0))
    }
}
