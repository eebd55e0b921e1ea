import Foundation
import ServiceTags

/// The compiled history `stag fetch` keeps current in the cache (`history-<Cloud>.stagh`,
/// `CompiledHistory.cacheFileName`): "asked for once" means the file exists, because the user
/// created it (`stag compile --archive CACHE -o CACHE/history-Public.stagh`). After each stored
/// file of that cloud (and the pruning `--keep` does), it is rebuilt from the stored files the
/// manifest lists and replaced atomically. `stag history` uses it only while it records exactly
/// the stored files, so a failed rebuild costs speed, never correctness: it only warns.
extension CacheStore {
    /// `history-<Cloud>.stagh` for some cloud.
    static func isHistoryName(_ name: String) -> Bool {
        ServiceTagsCloud.allCases.contains { CompiledHistory.cacheFileName($0) == name }
    }

    /// Rebuilds the compiled history of `cloud` when the cache has one. Call with the directory
    /// locked, after the manifest is written.
    /// - Complexity: one parse per stored file of the cloud.
    func refreshHistory(_ cloud: ServiceTagsCloud, manifest: FetchManifest, dirFD: Int32) {
        let name = CompiledHistory.cacheFileName(cloud)
        var st = stat()
        guard fstatat(dirFD, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
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
