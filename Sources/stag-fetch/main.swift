import Foundation
import ServiceTags

/// `stag-fetch`: the downloading half of `stag fetch` (see `stag fetch --help`). `stag` execs it
/// with the same arguments, so that `stag` itself never loads Foundation.
///
/// stdout: the stored file's path (or, with --json, one JSON object). stderr: warnings, and on
/// failure every attempt with its reason and the cached file that stays in use. Exit 0 or 2.

func say(_ message: String) {
    FileHandle.standardError.write(Data("stag: \(message)\n".utf8))
}

func fetchMain(_ arguments: [String]) -> Int32 {
    if arguments.contains("--help") || arguments.contains("-h") {
        print("stag-fetch is run by 'stag fetch'; see 'stag fetch --help'.")
        return 0
    }
    let options: FetchOptions
    do {
        options = try FetchOptions.parse(arguments, environment: ProcessInfo.processInfo.environment)
    } catch {
        return report(error, options: nil)
    }
    let client = HTTPClient(timeout: options.timeout, maxBytes: options.maxBytes, policy: URLPolicy(allowHTTP: options.allowHTTP))
    let get = RetryingGet(client: client, retries: options.retries, backoffMilliseconds: options.backoffMilliseconds,
                          notice: { say("warning: \($0)") })
    let store = CacheStore(directory: options.directory, warn: { say("warning: \($0)") })
    let fetcher = Fetcher(options: options, get: get, store: store, warn: { say("warning: \($0)") })
    do {
        let result: Fetcher.Result
        if let path = options.importPath { result = try fetcher.importFile(path) } else { result = try fetcher.run() }
        if options.history { try store.ensureHistory(options.cloud) }
        let e = result.entry
        if options.json {
            let object = JSONValue.object([
                .init("file", .string(result.path)), .init("cloud", .string(e.cloud.cloudField)), .init("date", .string(e.date)),
                .init("changeNumber", e.changeNumber.map(JSONValue.init(integer:)) ?? .null), .init("size", JSONValue(integer: e.size)),
                .init("sha256", .string(e.sha256)), .init("url", .string(e.url)), .init("downloaded", .bool(result.downloaded)),
            ])
            print(object.serialized())
        } else {
            print(result.path)
        }
        if isatty(2) == 1 {
            say(result.downloaded
                ? "stored \(e.file) (changeNumber \(e.changeNumber.map(String.init) ?? "-"), \(e.size) bytes, sha256 \(e.sha256))"
                : "\(e.file) is already stored and unchanged; nothing downloaded")
        }
        return 0
    } catch {
        return report(error, options: options)
    }
}

/// Prints the failure and which stored file stays in use; returns exit status 2.
func report(_ failure: FetchFailure, options: FetchOptions?) -> Int32 {
    switch failure {
    case .usage(let message):
        say("fetch: \(message) (see 'stag fetch --help')")
    case .exhausted(let attempts):
        guard let options else { return 2 }
        say("fetch: no valid ServiceTags_\(options.cloud.fileStem)_YYYYMMDD.json from \(attempts.count == 1 ? "the one source" : "any of \(attempts.count) sources"):")
        for a in attempts { say("fetch:   \(a)") }
    case .storage(let message):
        say("fetch: \(message)")
    case .unsafeDirectory(let message):
        say("fetch: \(message)")
        return 2  // not read for "which file stays in use": its contents are not trusted
    }
    if let options {
        let store = CacheStore(directory: options.directory, warn: { _ in })
        if let kept = store.newestStored(options.cloud, in: store.readManifest()) {
            say("fetch: keeping \(options.directory)/\(kept.name), the newest stored \(options.cloud.fileStem) file")
        } else {
            say("fetch: no \(options.cloud.fileStem) file is stored in \(options.directory)")
        }
    }
    return 2
}

exit(fetchMain(Array(CommandLine.arguments.dropFirst())))
