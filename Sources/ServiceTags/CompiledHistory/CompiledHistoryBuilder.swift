/// Builds a compiled history (docs/compiled-history.md) from the files of an archive, oldest
/// first, one at a time: only the distinct (tag, prefix) pairs and their runs are kept, never a
/// whole file.
///
/// Invariant: every pair's open run (`current`) ends at or before the file being added; closed
/// runs are in `closed` in the order they closed, so a pair's runs there are sorted.
public struct CompiledHistoryBuilder: Sendable {
    typealias L = CompiledHistoryLayout

    struct FileEntry: Sendable {
        var name: String
        var changeNumber: Int?
        var sha256: [UInt8]
        var size: Int
    }

    private var files: [FileEntry] = []
    private var tagNames: [String] = []
    private var tagNumbers: [String: Int32] = [:]
    /// Per tag number, (file position, changeNumber) for each file that has it.
    private var presence: [[(file: Int32, changeNumber: Int?)]] = []
    private var v4 = CompiledHistoryPairs<IPv4Address>()
    private var v6 = CompiledHistoryPairs<IPv6Address>()

    public init() {}

    /// Files added so far.
    public var fileCount: Int { files.count }

    /// Adds the archive's next file: `file` as parsed, stored under `fileName`
    /// (`ServiceTags_<Cloud>_YYYYMMDD[...].json`) with that SHA-256 and size.
    /// - Throws: `.unsupported` for more files than the format holds, a file whose `cloud` is not
    ///   its name's, a tag listed twice in one file, or a string over the cap.
    /// - Complexity: O(prefixes of the file), expected (one hash probe each).
    public mutating func add(_ file: ServiceTagsFile, fileName: String, sha256: [UInt8], size: Int) throws(CompiledIndexError) {
        precondition(sha256.count == 32)
        guard files.count < L.maxFiles else {
            throw CompiledIndexError(.unsupported, "a compiled history holds at most \(L.maxFiles) files")
        }
        guard let week = HistoryArchive.weekName(fileName) else {
            throw CompiledIndexError(.unsupported, "\(HumanText.escaped(fileName)) has no cloud and date in its name (ServiceTags_<Cloud>_YYYYMMDD.json)")
        }
        guard file.cloud == week.cloud.cloudField else {
            throw CompiledIndexError(.unsupported, "\(HumanText.escaped(fileName)) says cloud '\(HumanText.escaped(file.cloud))', its name says '\(week.cloud.cloudField)'")
        }
        for s in [fileName] + file.tags.map(\.name) where s.utf8.count > CompiledIndexLayout.maxStringBytes {
            throw CompiledIndexError(.unsupported, "a name is \(s.utf8.count) bytes long; a compiled history holds strings of at most \(CompiledIndexLayout.maxStringBytes) bytes")
        }
        let k = Int32(files.count)
        for tag in file.tags {
            let t = number(of: tag.name)
            if presence[Int(t)].last?.file == k {
                throw CompiledIndexError(.unsupported, "\(HumanText.escaped(fileName)) lists tag '\(HumanText.escaped(tag.name))' twice")
            }
            presence[Int(t)].append((k, tag.changeNumber))
            for p in tag.ipv4 { v4.add(p, tag: t, file: k) }
            for p in tag.ipv6 { v6.add(p, tag: t, file: k) }
        }
        files.append(FileEntry(name: fileName, changeNumber: file.changeNumber, sha256: sha256, size: size))
    }

    private mutating func number(of name: String) -> Int32 {
        if let n = tagNumbers[name] { return n }
        let n = Int32(tagNames.count)
        tagNames.append(name)
        tagNumbers[name] = n
        presence.append([])
        return n
    }

    /// The compiled history's bytes.
    /// - Throws: `.unsupported` when no file was added, or the names are not one archive in the
    ///   order added (`HistoryArchive`: one cloud, dates strictly increasing).
    /// - Complexity: O(pairs log pairs + runs + tags × files).
    public func finish() throws(CompiledIndexError) -> [UInt8] {
        do {
            let archive = try HistoryArchive(fileNames: files.map(\.name), directory: "")
            guard archive.entries.map(\.fileName) == files.map(\.name) else {
                throw CompiledIndexError(.unsupported, "the files were not added in the order of their dates")
            }
        } catch let error as HistoryArchiveError {
            throw CompiledIndexError(.unsupported, error.description)
        } catch let error as CompiledIndexError {
            throw error
        } catch {
            throw CompiledIndexError(.unsupported, "\(error)")
        }
        var strings = CompiledStringPool()
        var sections: [CompiledSection: CompiledByteWriter] = [:]
        var fileRecords = CompiledByteWriter(), digest = SHA256()
        for (i, f) in files.enumerated() {
            let (offset, length) = try strings.intern(f.name, what: "file \(i)'s name")
            fileRecords.append(offset)
            fileRecords.append(length)
            fileRecords.append(f.changeNumber == nil ? 0 : L.FileRecord.hasChangeNumber)
            fileRecords.append(UInt32(0))
            fileRecords.append(Int64(f.changeNumber ?? 0))
            fileRecords.append(UInt64(f.size))
            fileRecords.bytes.append(contentsOf: f.sha256)
            digest.update(f.sha256)
        }
        // Tags in byte order of their names; `rank[old number]` is the new one.
        let order = tagNames.indices.sorted { tagNames[$0].utf8.lexicographicallyPrecedes(tagNames[$1].utf8) }
        var rank = [UInt32](repeating: 0, count: order.count)
        for (r, old) in order.enumerated() { rank[old] = UInt32(r) }
        var tags = CompiledByteWriter(), tagFiles = CompiledByteWriter()
        for old in order {
            let (offset, length) = try strings.intern(tagNames[old], what: "tag name")
            tags.append(offset)
            tags.append(length)
            var seen = presence[old].makeIterator(), next = seen.next()
            for k in 0 ..< Int32(files.count) {
                var flags: UInt32 = 0, change: Int64 = 0
                if let n = next, n.file == k {
                    flags = L.TagFileRecord.present | (n.changeNumber == nil ? 0 : L.TagFileRecord.hasChangeNumber)
                    change = Int64(n.changeNumber ?? 0)
                    next = seen.next()
                }
                tagFiles.append(flags)
                tagFiles.append(UInt32(0))
                tagFiles.append(change)
            }
        }
        sections[L.files] = fileRecords
        sections[L.strings] = strings.bytes
        sections[L.tags] = tags
        sections[L.tagFiles] = tagFiles
        v4.write(v4: true, rank: rank, to: &sections)
        v6.write(v4: false, rank: rank, to: &sections)
        let last = files.last!.changeNumber
        return CompiledFileParts.assemble(L.format, sections.mapValues { CompiledFileParts.Piece($0.bytes) }, flags: last == nil ? 0 : CompiledIndexLayout.flagHasChangeNumber,
                                           sourceSHA256: CompiledIndex.sha256Bytes(hex: digest.finalizeHex())!, sourceSize: files.reduce(0) { $0 + $1.size },
                                           changeNumber: Int64(last ?? 0)).bytes
    }
}

/// One family's distinct (tag, prefix) pairs and their runs, as `CompiledHistoryBuilder` adds files.
struct CompiledHistoryPairs<A: IPAddressFamily>: Sendable {
    struct Key: Hashable, Sendable {
        var prefix: Prefix<A>
        var tag: Int32
    }

    var ids: [Key: Int32] = [:]
    var keys: [Key] = []
    /// Per pair, its latest run (first, last file).
    var current: [(first: Int32, last: Int32)] = []
    /// Runs that ended, as (pair, first, last), in the order they ended.
    var closed: [(pair: Int32, first: Int32, last: Int32)] = []

    /// Records that tag `tag` lists `p` in file `file` (the newest so far).
    mutating func add(_ p: Prefix<A>, tag: Int32, file: Int32) {
        let key = Key(prefix: p, tag: tag)
        guard let id = ids[key] else {
            ids[key] = Int32(keys.count)
            keys.append(key)
            current.append((file, file))
            return
        }
        let run = current[Int(id)]
        if run.last == file { return }  // listed twice by the tag in one file
        if run.last == file - 1 {
            current[Int(id)].last = file
        } else {
            closed.append((id, run.first, run.last))
            current[Int(id)] = (file, file)
        }
    }

    /// The family's six sections, pairs sorted by (length, address, new tag number).
    func write(v4: Bool, rank: [UInt32], to sections: inout [CompiledSection: CompiledByteWriter]) {
        typealias L = CompiledHistoryLayout
        let order = keys.indices.sorted { a, b in
            let x = keys[a], y = keys[b]
            if x.prefix.length != y.prefix.length { return x.prefix.length < y.prefix.length }
            if x.prefix.address != y.prefix.address { return x.prefix.address < y.prefix.address }
            return rank[Int(x.tag)] < rank[Int(y.tag)]
        }
        // Each pair's runs, oldest first: the closed ones in closing order, then the open one.
        var runStartByPair = [Int](repeating: 0, count: keys.count + 1)
        for c in closed { runStartByPair[Int(c.pair) + 1] += 1 }
        for i in keys.indices { runStartByPair[i + 1] += runStartByPair[i] + 1 }
        var runsByPair = [UInt32](repeating: 0, count: closed.count + keys.count)
        var fill = Array(runStartByPair.dropLast())
        func pack(_ first: Int32, _ last: Int32) -> UInt32 { UInt32(first) | UInt32(last) << 16 }
        for c in closed {
            runsByPair[fill[Int(c.pair)]] = pack(c.first, c.last)
            fill[Int(c.pair)] += 1
        }
        for (i, run) in current.enumerated() { runsByPair[fill[i]] = pack(run.first, run.last) }
        var addresses: [A.Bits] = [], lengths: [UInt8] = [], tags: [UInt32] = [], runStart: [UInt32] = [0], runs: [UInt32] = []
        addresses.reserveCapacity(keys.count); lengths.reserveCapacity(keys.count); tags.reserveCapacity(keys.count)
        runs.reserveCapacity(runsByPair.count)
        var lengthStart = [UInt32](repeating: 0, count: A.bitWidth + 2)
        for i in order {
            let key = keys[i]
            addresses.append(key.prefix.address.bits)
            lengths.append(key.prefix.length)
            tags.append(rank[Int(key.tag)])
            runs.append(contentsOf: runsByPair[runStartByPair[i] ..< runStartByPair[i + 1]])
            runStart.append(UInt32(runs.count))
            lengthStart[Int(key.prefix.length) + 1] += 1
        }
        for l in 1 ..< lengthStart.count { lengthStart[l] += lengthStart[l - 1] }
        func put<T: FixedWidthInteger & BitwiseCopyable>(_ name: String, _ values: [T]) {
            var w = CompiledByteWriter()
            w.append(contentsOf: values)
            sections[L.family(v4, name)] = w
        }
        put("addresses", addresses)
        put("lengths", lengths)
        put("tags", tags)
        put("runStart", runStart)
        put("runs", runs)
        put("lengthStart", lengthStart)
    }
}
