import Foundation
import ServiceTags

/// The compiled history `stag fetch` keeps current in the cache (`history-<Cloud>.stagh`,
/// `CompiledHistory.cacheFileName`): "asked for once" means the file exists, because the user
/// created it (`stag fetch --history`, or `stag compile --archive CACHE -o CACHE/history-Public.stagh`). After each stored
/// file of that cloud (and the pruning `--keep` does), it is rebuilt from the stored files the
/// manifest lists and replaced atomically. `stag history` uses it only while it records exactly
/// the stored files, so a failed rebuild costs speed, never correctness: it only warns.
extension CacheStore {
    /// `history-<Cloud>.stagh` for some cloud.
    static func isHistoryName(_ name: String) -> Bool {
        ServiceTagsCloud.allCases.contains { CompiledHistory.cacheFileName($0) == name }
    }

    /// `stag fetch --history`: the compiled history of `cloud`, built now if it is missing or does
    /// not record exactly the stored files (from then on each stored file rebuilds it).
    /// - Throws: `FetchFailure.storage` when the directory cannot be locked; a failed build only warns.
    func ensureHistory(_ cloud: ServiceTagsCloud) throws(FetchFailure) {
        let dirFD = try CacheDirectoryCheck.open(directory)
        defer { close(dirFD) }
        while flock(dirFD, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .storage("cannot lock \(directory): \(FileIO.errnoText())") }
        }
        defer { flock(dirFD, LOCK_UN) }
        guard let manifest = readManifest(), !manifest.entries(for: cloud).isEmpty else { return }
        let path = directory + "/" + CompiledHistory.cacheFileName(cloud)
        if let current = try? CompiledHistory(contentsOf: path),
           current.matches(manifest.entries(for: cloud).map { ($0.file, $0.sha256, $0.size) }) { return }
        refreshHistory(cloud, manifest: manifest, dirFD: dirFD, create: true)
    }

    /// Rebuilds the compiled history of `cloud` when the cache has one. Call with the directory
    /// locked, after the manifest is written.
    /// - Complexity: one parse per stored file of the cloud.
    /// - Parameter create: build it even when there is none (`--history`).
    func refreshHistory(_ cloud: ServiceTagsCloud, manifest: FetchManifest, dirFD: Int32, create: Bool = false) {
        let name = CompiledHistory.cacheFileName(cloud)
        var st = stat()
        let exists = fstatat(dirFD, name, &st, AT_SYMLINK_NOFOLLOW) == 0
        guard exists || create else { return }
        guard !exists || (st.st_mode & S_IFMT) == S_IFREG else {
            return warn("\(directory)/\(name) is not a regular file; not rebuilding the compiled history")
        }
        do {
            var builder = CompiledHistoryBuilder()
            for entry in manifest.entries(for: cloud) {
                let file = try ServiceTagsFile(readingFileAt: directory + "/" + entry.file)
                guard let sha = CompiledIndex.sha256Bytes(hex: entry.sha256) else {
                    throw CompiledIndexError(.invalid, "\(FetchManifest.fileName) records no SHA-256 for \(entry.file)")
                }
                try builder.add(file, fileName: entry.file, sha256: sha, size: entry.size)
            }
            try FileIO.writeAtomically(Data(try builder.finish()), dir: directory, name: name, dirFD: dirFD)
        } catch {
            warn("cannot rebuild \(directory)/\(name): \(error); 'stag history' will read the weekly files")
        }
    }
}
