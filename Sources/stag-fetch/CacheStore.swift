import Foundation
import ServiceTags

/// The cache directory as `stag-fetch` writes it: weekly files, `manifest.json`, nothing else.
///
/// Reading never changes anything. Storing happens only after validation, under an exclusive
/// `flock` on the directory itself (no lock file, so a failed fetch leaves the listing as it was),
/// and in an order that keeps the cache consistent at every step: the new file is renamed into
/// place, then the manifest is replaced, then versions beyond `--keep` are deleted.
struct CacheStore {
    var directory: String
    var warn: (String) -> Void

    var manifestPath: String { directory + "/" + FetchManifest.fileName }

    /// The manifest, or an empty one when there is none; nil when it exists but cannot be read.
    /// Opened `O_NOFOLLOW | O_NONBLOCK`: a link or a FIFO planted as `manifest.json` is
    /// unreadable, not followed or waited on.
    func readManifest() -> FetchManifest? {
        let fd = open(manifestPath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return FetchManifest() }
            warn("\(manifestPath): \(FileIO.errnoText())")
            return nil
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            warn("\(manifestPath) is not a regular file")
            return nil
        }
        let data = FileHandle(fileDescriptor: fd, closeOnDealloc: false).readDataToEndOfFile()
        do {
            return try FetchManifest(parsing: data)
        } catch {
            warn("\(manifestPath): \(error)")
            return nil
        }
    }

    func fileSize(_ name: ServiceTagsFileName) -> Int? {
        var st = stat()
        guard stat(directory + "/" + name.description, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_size)
    }

    /// The manifest entry for `name` if the file is there with its recorded size.
    func intactEntry(_ name: ServiceTagsFileName, in manifest: FetchManifest?) -> FetchManifest.Entry? {
        guard let entry = manifest?.entry(named: name), fileSize(name) == entry.size else { return nil }
        return entry
    }

    /// The newest stored version of `cloud` that is still intact (the one that stays in use if a
    /// fetch fails), from the manifest, else by name.
    func newestStored(_ cloud: ServiceTagsCloud, in manifest: FetchManifest?) -> (name: ServiceTagsFileName, size: Int)? {
        if let e = manifest?.entries(for: cloud).last(where: { fileSize($0.name) == $0.size }) { return (e.name, e.size) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { ServiceTagsFileName($0) }.filter { $0.cloud == cloud }.sorted()
            .last.flatMap { n in fileSize(n).map { (n, $0) } }
    }

    /// Stores a validated body as `entry.name` and records it; returns the stored path.
    /// - Throws: `FetchFailure.storage` with the path and the system's reason.
    /// - Returns: the stored path and the entry as recorded (with the file's mtime).
    /// - Parameter index: the file's compiled index, written beside it (`compiledIndexName`) after
    ///   the file itself; failing to write it only warns (commands then read the JSON file).
    func store(_ body: Data, entry: FetchManifest.Entry, keep: Int, index: [UInt8]? = nil) throws(FetchFailure) -> (path: String, entry: FetchManifest.Entry) {
        let dirFD = try CacheDirectoryCheck.open(directory)
        defer { close(dirFD) }
        while flock(dirFD, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .storage("cannot lock \(directory): \(FileIO.errnoText())") }
        }
        defer { flock(dirFD, LOCK_UN) }

        removeStaleTemporaryFiles(dirFD: dirFD)
        // Re-read under the lock: another fetch may have stored something meanwhile.
        var manifest = readManifest() ?? setAsideUnreadableManifest(dirFD: dirFD)
        var entry = entry
        do {
            entry.mtime = try FileIO.writeAtomically(body, dir: directory, name: entry.file, dirFD: dirFD)
        } catch {
            throw .storage("cannot store \(entry.file): \(error)")
        }
        if let index { writeIndex(index, for: entry.name, dirFD: dirFD) }
        manifest.record(entry)
        manifest.removeAll { $0.name != entry.name && fileSize($0.name) == nil }
        let pruned = manifest.prune(keep: keep, pinned: entry.name)
        do {
            try FileIO.writeAtomically(Data(manifest.serialized().utf8), dir: directory, name: FetchManifest.fileName, dirFD: dirFD)
        } catch {
            throw .storage("stored \(entry.file) but cannot update \(FetchManifest.fileName): \(error)")
        }
        for old in pruned where unlinkat(dirFD, old.file, 0) != 0 && errno != ENOENT {
            warn("cannot delete \(directory)/\(old.file) (beyond --keep \(keep)): \(FileIO.errnoText())")
        }
        for old in pruned { _ = unlinkat(dirFD, old.name.compiledIndexName, 0) }
        refreshHistory(entry.cloud, manifest: manifest, dirFD: dirFD)
        return (directory + "/" + entry.file, entry)
    }

    /// Temporary files (`.<name>.<token>.tmp`, `FileIO.temporaryName`; `<token>` was the pid
    /// before) are written only under the lock, so any found while holding it were left by a
    /// fetch that was killed mid-write. Unlinking a planted link removes the link, not its target.
    private func removeStaleTemporaryFiles(dirFD: Int32) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard name.hasPrefix("."), parts.count >= 4, parts.last == "tmp",
                  !parts[parts.count - 2].isEmpty,
                  parts[parts.count - 2].utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }),
                  ServiceTagsFileName(parts[1..<(parts.count - 2)].joined(separator: ".")) != nil
                    || parts[1..<(parts.count - 2)].joined(separator: ".") == FetchManifest.fileName
                    || CacheStore.isIndexName(parts[1..<(parts.count - 2)].joined(separator: "."))
                    || CacheStore.isHistoryName(parts[1..<(parts.count - 2)].joined(separator: "."))
            else { continue }
            if unlinkat(dirFD, name, 0) == 0 { warn("removed \(directory)/\(name), left by an interrupted fetch") }
        }
    }

    /// An unreadable manifest is kept for inspection as `manifest.json.unreadable`, and a new one
    /// started; files it listed stay on disk (unrecorded, so never pruned).
    private func setAsideUnreadableManifest(dirFD: Int32) -> FetchManifest {
        let aside = manifestPath + ".unreadable"
        if renameat(dirFD, FetchManifest.fileName, dirFD, FetchManifest.fileName + ".unreadable") == 0 {
            warn("moved the unreadable manifest to \(aside) and started a new one")
        }
        return FetchManifest()
    }
}
