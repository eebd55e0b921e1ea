import Foundation
import ServiceTags

/// The compiled index `stag fetch` keeps beside each stored file (`ServiceTags_Public_20251028.stagidx`),
/// so that the default data path loads without parsing. Data selection uses it only when its
/// recorded SHA-256 is the manifest's for the file (`CacheDirectory.preferredPath` in `stag`), so a
/// stale or missing index costs speed, never correctness; that is why failing to write one only warns.
/// A fetch that stores nothing changes nothing, so an index appears with the next stored file.
extension CacheStore {
    /// `ServiceTags_<Cloud>_YYYYMMDD.stagidx`.
    static func isIndexName(_ name: String) -> Bool {
        name.hasSuffix(".stagidx") && ServiceTagsFileName(String(name.dropLast(".stagidx".count)) + ".json") != nil
    }

    /// The index of `file`, recording `entry`'s digest and size; nil (with a warning) if it cannot
    /// be compiled.
    func compile(_ file: ServiceTagsFile, entry: FetchManifest.Entry) -> [UInt8]? {
        guard let sha = CompiledIndex.sha256Bytes(hex: entry.sha256) else { return nil }
        do {
            return try CompiledIndex.compile(file, sourceSHA256: sha, sourceSize: entry.size)
        } catch {
            warn("cannot compile an index of \(entry.file): \(error); commands will read the JSON file")
            return nil
        }
    }

    /// Writes `bytes` as the index of `name` atomically. Call with the directory locked.
    func writeIndex(_ bytes: [UInt8], for name: ServiceTagsFileName, dirFD: Int32) {
        do {
            try FileIO.writeAtomically(Data(bytes), dir: directory, name: name.compiledIndexName, dirFD: dirFD)
        } catch {
            warn("cannot write \(directory)/\(name.compiledIndexName): \(error); commands will read the JSON file")
        }
    }
}
