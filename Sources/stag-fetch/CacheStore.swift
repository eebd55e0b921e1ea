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
    func readManifest() -> FetchManifest? {
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            return FileManager.default.fileExists(atPath: manifestPath) ? nil : FetchManifest()
        }
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
    func store(_ body: Data, entry: FetchManifest.Entry, keep: Int) throws(FetchFailure) -> String {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .storage("cannot create \(directory): \(error.localizedDescription)")
        }
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirFD >= 0 else { throw .storage("cannot open \(directory): \(FileIO.errnoText())") }
        defer { close(dirFD) }
        while flock(dirFD, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .storage("cannot lock \(directory): \(FileIO.errnoText())") }
        }
        defer { flock(dirFD, LOCK_UN) }

        removeStaleTemporaryFiles()
        // Re-read under the lock: another fetch may have stored something meanwhile.
        var manifest = readManifest() ?? setAsideUnreadableManifest()
        do {
            try FileIO.writeAtomically(body, dir: directory, name: entry.file, dirFD: dirFD)
        } catch {
            throw .storage("cannot store \(entry.file): \(error)")
        }
        manifest.record(entry)
        manifest.removeAll { $0.name != entry.name && fileSize($0.name) == nil }
        let pruned = manifest.prune(keep: keep, pinned: entry.name)
        do {
            try FileIO.writeAtomically(Data(manifest.serialized().utf8), dir: directory, name: FetchManifest.fileName, dirFD: dirFD)
        } catch {
            throw .storage("stored \(entry.file) but cannot update \(FetchManifest.fileName): \(error)")
        }
        for old in pruned where unlink(directory + "/" + old.file) != 0 && errno != ENOENT {
            warn("cannot delete \(directory)/\(old.file) (beyond --keep \(keep)): \(FileIO.errnoText())")
        }
        return directory + "/" + entry.file
    }

    /// Temporary files (`.<name>.<pid>.tmp`) are written only under the lock, so any found while
    /// holding it were left by a fetch that was killed mid-write.
    private func removeStaleTemporaryFiles() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard name.hasPrefix("."), parts.count >= 4, parts.last == "tmp", parts[parts.count - 2].allSatisfy(\.isNumber),
                  ServiceTagsFileName(parts[1..<(parts.count - 2)].joined(separator: ".")) != nil
                    || parts[1..<(parts.count - 2)].joined(separator: ".") == FetchManifest.fileName
            else { continue }
            if unlink(directory + "/" + name) == 0 { warn("removed \(directory)/\(name), left by an interrupted fetch") }
        }
    }

    /// An unreadable manifest is kept for inspection as `manifest.json.unreadable`, and a new one
    /// started; files it listed stay on disk (unrecorded, so never pruned).
    private func setAsideUnreadableManifest() -> FetchManifest {
        let aside = manifestPath + ".unreadable"
        if rename(manifestPath, aside) == 0 {
            warn("moved the unreadable manifest to \(aside) and started a new one")
        }
        return FetchManifest()
    }
}
