import ServiceTags

/// Where `stag history` reads an archive from: the weekly JSON files, or a compiled history
/// (`stag compile --archive`) that answers the same without parsing them.
enum HistorySource {
    case files(HistoryArchive)
    case compiled(CompiledHistory)

    /// The archive's files in order: dates and count for the output.
    var archive: HistoryArchive {
        switch self {
        case .files(let a): a
        case .compiled(let c): c.archive
        }
    }

    /// The compiled history at `path` (`--archive FILE`), which must be of `cloud` when given.
    /// - Throws: `CLIError` (exit 2) for a file that is not a compiled history, or a corrupted,
    ///   truncated or wrong-version one, saying which.
    static func load(_ path: String, cloud: ServiceTagsCloud?) throws(CLIError) -> CompiledHistory {
        guard CompiledHistory.isCompiledHistory(at: path) else {
            throw CLIError("history: --archive \(HumanText.escaped(path)) is a file but not a compiled history (no STAGHIST header); give the directory of weekly files, or a file 'stag compile --archive' wrote")
        }
        let history: CompiledHistory
        do {
            history = try CompiledHistory(contentsOf: path)
        } catch {
            throw CLIError("history: \(HumanText.escaped(error.description))")
        }
        if let cloud, cloud != history.archive.cloud {
            throw CLIError("history: \(HumanText.escaped(path)) is a history of cloud \(history.archive.cloud.optionName), not \(cloud.optionName)")
        }
        return history
    }

    /// The compiled history `stag fetch` keeps in the cache for `cloud` (`history-<Cloud>.stagh`),
    /// when it was compiled from exactly the stored files (names, sizes and the manifest's
    /// SHA-256); nil when there is none or it is stale, and nil with a warning when it is damaged
    /// (the JSON files answer instead: the cached copy is a speed-up, never the only source).
    static func cached(in dir: String, cloud: ServiceTagsCloud, stored: [CacheDirectory.StoredFile]) -> CompiledHistory? {
        let path = dir + "/" + CompiledHistory.cacheFileName(cloud)
        guard CacheDirectory.fileSize(path) != nil else { return nil }
        var recorded: [(fileName: String, sha256Hex: String, size: Int)] = []
        for s in stored {
            guard let entry = s.entry else { return nil }
            recorded.append((entry.file, entry.sha256, entry.size))
        }
        do {
            let history = try CompiledHistory(contentsOf: path)
            return history.matches(recorded) ? history : nil
        } catch {
            Output.standardError.line(HumanText.sanitized("stag: history: warning: \(error); reading the weekly files instead"))
            Output.standardError.flush()
            return nil
        }
    }
}
