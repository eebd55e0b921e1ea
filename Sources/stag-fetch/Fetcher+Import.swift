import Foundation
import ServiceTags

/// `stag fetch --import FILE`: a weekly file copied in from elsewhere (an air-gapped site), stored
/// through exactly the checks and manifest of a download: the name gives the cloud and date, the
/// body must parse completely for that cloud, a far-future date or a lower changeNumber is a
/// rollback, and the file is written aside, fsynced and renamed. The manifest's `url` is the
/// source's `file://` URL.
extension Fetcher {
    func importFile(_ path: String) throws(FetchFailure) -> Result {
        let base = URL(fileURLWithPath: path).lastPathComponent
        guard let name = ServiceTagsFileName(base) else {
            throw .usage("--import needs a file named ServiceTags_<Cloud>_YYYYMMDD.json (the date is taken from the name), not '\(base)'")
        }
        guard name.cloud == options.cloud else {
            throw .usage("--import: \(base) is a \(name.cloud.fileStem) file, but --cloud is \(options.cloud.optionName)")
        }
        if let why = CacheDirectoryCheck.refusal(store.directory) { throw .unsafeDirectory(why) }
        let source = URL(fileURLWithPath: path).standardizedFileURL.absoluteString
        if !options.allowRollback, name.date > options.latestAcceptedDate {
            throw .exhausted(["--import \(path): \(name) is dated \(name.date), more than \(FetchOptions.futureDays) days after today (\(options.today)); refusing it (--allow-rollback accepts it)"])
        }
        let body: Data
        switch Self.read(path, limit: options.maxBytes) {
        case .failure(let why): throw .exhausted(["--import \(path): \(why)"])
        case .success(let data): body = data
        }
        let manifest = store.readManifest()
        let stored = options.force ? nil : store.intactEntry(name, in: manifest)
        switch try accept(body, name: name, source: source, manifest: manifest, stored: stored) {
        case .success(let result): return result
        case .failure(let why): throw .exhausted(["--import \(path): \(why)"])
        }
    }

    /// The whole file, refusing one larger than `limit` before reading it all.
    static func read(_ path: String, limit: Int) -> Swift.Result<Data, AttemptFailure> {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(AttemptFailure("cannot open it: \(String(cString: strerror(errno)))"))
        }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            if data.count > limit { return .failure(AttemptFailure("larger than \(limit >> 20) MiB, which no ServiceTags file is")) }
            return .success(data)
        } catch {
            return .failure(AttemptFailure("cannot read it: \(error.localizedDescription)"))
        }
    }
}
