import Foundation
import ServiceTags

/// Discovery strategies in order, then the download, validation and storing of the first file
/// found. Each strategy that fails says why; the first that yields a valid (or already stored)
/// file ends the run.
struct Fetcher {
    enum Strategy {
        /// A page to search for links (details, confirmation, or `--page`).
        case page(label: String, url: String)
        /// The file itself (`--url`).
        case direct(url: String)
    }

    struct Result {
        var path: String
        var entry: FetchManifest.Entry
        var downloaded: Bool
    }

    var options: FetchOptions
    var get: RetryingGet
    var store: CacheStore
    var warn: (String) -> Void
    var now: () -> Date = Date.init

    var policy: URLPolicy { URLPolicy(allowHTTP: options.allowHTTP) }

    /// `--page` (else the two Download Center pages), then `--url`.
    var strategies: [Strategy] {
        var list: [Strategy] = []
        if let page = options.page {
            list.append(.page(label: "page", url: page))
        } else if options.url == nil {
            list.append(.page(label: "details page", url: options.cloud.detailsPage))
            list.append(.page(label: "confirmation page", url: options.cloud.confirmationPage))
        }
        if let url = options.url { list.append(.direct(url: url)) }
        return list
    }

    /// Checks the URLs given on the command line before any request.
    func checkGivenURLs() throws(FetchFailure) {
        for (option, value) in [("--page", options.page), ("--url", options.url)] {
            guard let value else { continue }
            guard let url = URL(string: value), url.host != nil else { throw .usage("\(option) '\(value)' is not an absolute URL") }
            if let refusal = policy.refusal(url) { throw .usage("\(option): \(refusal)") }
        }
        if let value = options.url, let url = URL(string: value), ServiceTagsFileName(url.lastPathComponent)?.cloud != options.cloud {
            throw .usage("--url must name a file ServiceTags_\(options.cloud.fileStem)_YYYYMMDD.json (the date is taken from the name), not '\(url.lastPathComponent)'")
        }
    }

    func run() throws(FetchFailure) -> Result {
        try checkGivenURLs()
        // Before any request: a directory others can write is not read or written at all.
        if let why = CacheDirectoryCheck.refusal(store.directory) { throw .unsafeDirectory(why) }
        let manifest = store.readManifest()
        var failures: [String] = []
        var triedFiles = Set<String>()
        for strategy in strategies {
            switch strategy {
            case .page(let label, let pageURL):
                switch discover(pageURL) {
                case .failure(let why):
                    failures.append("\(label) \(pageURL): \(why)")
                case .success(let (fileURL, name)):
                    guard triedFiles.insert(fileURL.absoluteString).inserted else {
                        failures.append("\(label) \(pageURL): links to \(fileURL.absoluteString) again")
                        continue
                    }
                    switch try download(fileURL, name: name, manifest: manifest) {
                    case .success(let result): reportEarlier(failures); return result
                    case .failure(let why): failures.append("\(label) \(pageURL): file \(fileURL.absoluteString): \(why)")
                    }
                }
            case .direct(let value):
                let url = URL(string: value)!  // checked in checkGivenURLs
                guard triedFiles.insert(url.absoluteString).inserted else { continue }
                switch try download(url, name: ServiceTagsFileName(url.lastPathComponent)!, manifest: manifest) {
                case .success(let result): reportEarlier(failures); return result
                case .failure(let why): failures.append("--url \(value): \(why)")
                }
            }
        }
        throw .exhausted(failures)
    }

    private func reportEarlier(_ failures: [String]) {
        for f in failures { warn("\(f) (another source worked)") }
    }

    /// The newest link on a page, resolved against the page's final URL and checked by the policy.
    func discover(_ pageURL: String) -> Swift.Result<(URL, ServiceTagsFileName), AttemptFailure> {
        guard let url = URL(string: pageURL) else { return .failure(AttemptFailure("not a URL")) }
        let page: HTTPClient.Response
        switch get.run(url) {
        case .failure(let f): return .failure(f)
        case .success(.ok(let r)), .success(.notModified(let r)): page = r
        }
        let links = DownloadLinkScanner.links(in: page.body, cloud: options.cloud)
        guard let newest = DownloadLinkScanner.newest(links) else {
            return .failure(AttemptFailure("no link to ServiceTags_\(options.cloud.fileStem)_YYYYMMDD.json"))
        }
        guard let fileURL = URL(string: newest.url, relativeTo: page.url)?.absoluteURL else {
            return .failure(AttemptFailure("cannot resolve the link \(newest.url)"))
        }
        if let refusal = policy.refusal(fileURL) { return .failure(AttemptFailure(refusal)) }
        let dates = Set(links.map(\.name.date))
        if dates.count > 1 {
            note("\(pageURL) links to \(dates.count) dated files (\(dates.sorted().joined(separator: ", "))); taking \(newest.name.date)")
        }
        return .success((fileURL, newest.name))
    }

    /// Downloads `name` unless it is stored intact (then, given validators, asks the server with a
    /// conditional request), validates it and stores it.
    /// - Returns: the stored file, or why this source failed (the next strategy may do better).
    /// - Throws: `FetchFailure.storage` when a valid file cannot be written: no other source helps.
    func download(_ url: URL, name: ServiceTagsFileName, manifest: FetchManifest?) throws(FetchFailure) -> Swift.Result<Result, AttemptFailure> {
        // A far-future name would be the default file forever (files are chosen by date).
        if !options.allowRollback, name.date > options.latestAcceptedDate {
            return .failure(AttemptFailure("\(name) is dated \(name.date), more than \(FetchOptions.futureDays) days after today (\(options.today)); refusing it (--allow-rollback accepts it)"))
        }
        let stored = options.force ? nil : store.intactEntry(name, in: manifest)
        var headers: [String: String] = [:]
        if let stored {
            if stored.etag == nil && stored.lastModified == nil {
                return .success(Result(path: store.directory + "/" + stored.file, entry: stored, downloaded: false))
            }
            if let etag = stored.etag { headers["If-None-Match"] = etag }
            if let lastModified = stored.lastModified { headers["If-Modified-Since"] = lastModified }
        }
        let response: HTTPClient.Response
        switch get.run(url, headers: headers) {
        case .failure(let f): return .failure(f)
        case .success(.notModified):
            return .success(Result(path: store.directory + "/" + stored!.file, entry: stored!, downloaded: false))
        case .success(.ok(let r)): response = r
        }
        return try accept(response.body, name: name, source: url.absoluteString, manifest: manifest, stored: stored,
                          etag: response.headers["etag"], lastModified: response.headers["last-modified"])
    }

    /// Validates a body obtained for `name` (downloaded or imported) and stores it, unless it is the
    /// version already stored (`stored`, with the same validators).
    /// - Returns: the stored file, or why the body is refused (invalid, a rollback).
    /// - Throws: `FetchFailure.storage` when a valid file cannot be written.
    func accept(_ body: Data, name: ServiceTagsFileName, source: String, manifest: FetchManifest?, stored: FetchManifest.Entry?,
                etag: String? = nil, lastModified: String? = nil) throws(FetchFailure) -> Swift.Result<Result, AttemptFailure> {
        let previous = store.newestStored(options.cloud, in: manifest)
        let validated: ValidatedBody
        do {
            validated = try ValidatedBody.validate(body, cloud: options.cloud, source: source,
                                                   previousSize: previous?.size, force: options.force)
        } catch {
            return .failure(error)
        }
        if !options.allowRollback, let previous, let newest = manifest?.entry(named: previous.name),
           let old = newest.changeNumber, let new = validated.changeNumber, new < old {
            return .failure(AttemptFailure("changeNumber \(new) is lower than \(old) of \(previous.name), the newest stored \(options.cloud.fileStem) file: a rollback; refusing it (--allow-rollback accepts it)"))
        }
        let entry = FetchManifest.Entry(
            name: name, changeNumber: validated.changeNumber, size: validated.size, sha256: validated.sha256,
            url: source, fetchedAt: ISO8601DateFormatter().string(from: now()), etag: etag, lastModified: lastModified)
        if let stored, stored.sha256 == entry.sha256, stored.etag == entry.etag, stored.lastModified == entry.lastModified {
            return .success(Result(path: store.directory + "/" + stored.file, entry: stored, downloaded: false))
        }
        let written = try store.store(body, entry: entry, keep: options.keep, index: store.compile(validated.file, entry: entry))
        return .success(Result(path: written.path, entry: written.entry, downloaded: true))
    }

    /// Progress-like notes go to stderr only when it is a terminal.
    private func note(_ message: String) {
        if isatty(2) == 1 { FileHandle.standardError.write(Data("stag: \(message)\n".utf8)) }
    }
}
