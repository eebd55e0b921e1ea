#if canImport(Glibc)
import Glibc
#endif
import ServiceTags
import StagOptions

/// `stag fetch [--cloud public|usgov|china] [--dir DIR] [--url URL] [--page URL] ...`
///
/// Downloading needs HTTPS, which needs Foundation's URLSession, and Foundation costs ~12 ms of
/// start-up that `stag lookup` cannot afford. So the download lives in a separate executable,
/// `stag-fetch`, installed beside `stag` (else found on PATH); this command execs it with the same arguments. Listing
/// and verifying what is stored (`--list`, `--verify`) need no network and run here.
enum FetchCommand {
    static let command = Command(
        name: "fetch",
        summary: "Download the newest weekly Service Tags file into the cache, verified before it replaces anything.",
        usage: "stag fetch [--cloud public|usgov|china] [--dir DIR] [--url URL | --page URL | --import FILE] [--allow-http] [--keep N] [--force] [--allow-rollback] [--json]\n       stag fetch --list | --verify [--cloud C] [--dir DIR] [--json]",
        options: FetchOptionSpecs.all,
        details: """
        Discovery, in order, each attempt saying why it failed:
          1. the Download Center details page (details.aspx?id=56519 public, 57063 usgov, 57062 china):
             every link to ServiceTags_<Cloud>_YYYYMMDD.json (Public, AzureGovernment, China); the newest
             date wins when several are listed;
          2. the confirmation page (confirmation.aspx?id=...): its links or refresh target.
        --page URL replaces both pages; --url URL gives the file itself (tried after --page if both).
        --import FILE stores a file obtained elsewhere (air-gapped sites) with no network at all:
        its name (ServiceTags_<Cloud>_YYYYMMDD.json) gives the cloud and date, and it goes through
        the same validation, rollback checks and manifest as a download (url: its file:// URL). A
        file:// --url is refused with a pointer to --import.
        Requests send a browser-like User-Agent, honour https_proxy, http_proxy and no_proxy, and
        retry timeouts, connection errors and HTTP 408/429/5xx with exponential backoff
        (STAG_FETCH_BACKOFF_MS, default 1000, sets the first delay). HTTPS is required except for
        loopback hosts; certificate checks are never skipped. Redirects must satisfy the same rule.

        Before anything is replaced the body must parse completely as a ServiceTags file, its
        "cloud" must be the requested one (Public, AzureGovernment or China), and its size must be
        sane (not empty, at most 64 MiB, at least half the newest stored version of that cloud
        unless --force). It is then written to a temporary file, fsynced and renamed. A failed or
        partial download never replaces or deletes a stored file. A file whose name's date lies more
        than 14 days after today (UTC; STAG_FETCH_TODAY=YYYYMMDD sets today, for tests), or whose
        changeNumber is lower than that of the newest stored file of its cloud (a rollback), is
        refused unless --allow-rollback.

        The cache directory is created 0700 (with missing parents). One that others can write
        (group or other write permission without the sticky bit), that is not owned by you or
        root, or that is a symbolic link owned by someone else is refused. Temporary files get
        unpredictable names and are created exclusively, never through an existing file or link.

        The cache keeps manifest.json: per stored version its file, cloud, date, changeNumber, size,
        SHA-256, source URL, fetch time and HTTP validators. If the newest link names a file already
        stored with its recorded size, nothing is downloaded (or, when the server gave an ETag or
        Last-Modified, a conditional request is sent and a 304 answer accepted). The newest N
        versions per cloud are kept (--keep). Other commands read the newest stored Public file
        by default (else the newest of any cloud); 'stag diff --previous' compares the last two.
        Beside each stored file goes its compiled index (.stagidx). --history also keeps a compiled
        history of the cloud, history-<Cloud>.stagh (built now if missing or stale; or create it
        with 'stag compile --archive CACHE -o CACHE/history-Public.stagh'): once it exists, each
        stored file rebuilds it from the kept files and replaces it atomically, with or without
        --history; 'stag history' reads it while it matches them. Failing to write either only warns.

        Output: the stored file's path. --json: {"file","cloud","date","changeNumber","size",
        "sha256","url","downloaded"}. --list prints the stored versions (--json: {"directory",
        "default","files":[{"file","cloud","date","changeNumber","size","sha256","url","fetchedAt",
        "status"}]}, status ok, missing, modified or unrecorded); --verify also re-hashes them.

        Exit status: 0 stored or already up to date (--verify: every file intact); 2 on any error,
        with the cached file that remains in use named on stderr.
        """,
        run: { args throws(CLIError) in try run(Options(args)) })

    /// What `stag fetch` was asked, as far as `stag` itself acts on it: a download is handed to
    /// `stag-fetch` with the command line as given, which parses it with the same specs.
    struct Options {
        var cloud: ServiceTagsCloud?
        var directory: String?
        /// `--list` or `--verify` (then `verify` says which): answered here, without the network.
        var listing: Bool
        var verify: Bool
        var json: Bool

        init(_ args: ParsedArguments) throws(CLIError) {
            if let extra = args.positionals.first { throw CLIError.usage("fetch", "unexpected argument '\(extra)'") }
            cloud = try CacheDirectory.parseCloud(args.value(.cloud), command: "fetch")
            directory = args.value(FetchOptionSpecs.dir)
            verify = args.has(FetchOptionSpecs.verify)
            listing = verify || args.has(FetchOptionSpecs.list)
            json = args.has(.json)
            if listing, let network = FetchOptionSpecs.downloadOnly.first(where: args.gave) {
                throw CLIError.usage("fetch", "\(network.name) cannot be combined with --list or --verify")
            }
        }
    }

    static func run(_ options: Options) throws(CLIError) -> Int32 {
        if options.listing { return try list(options) }
        try execDownloader(arguments: Array(CommandLine.arguments.dropFirst(2)))
    }

    /// Replaces this process with `stag-fetch`: the one beside the running executable (resolved
    /// through /proc/self/exe, so a symlinked `stag` finds its own), else the first on `PATH`.
    static func execDownloader(arguments: [String]) throws(CLIError) -> Never {
        guard let exe = selfExecutable(), let slash = exe.lastIndex(of: "/") else {
            throw CLIError("fetch: cannot locate the running stag executable (/proc/self/exe)")
        }
        let beside = String(exe[..<slash]) + "/stag-fetch"
        guard let downloader = access(beside, X_OK) == 0 ? beside : onPath("stag-fetch") else {
            throw CLIError("fetch: the downloader \(beside) is missing or not executable, and no stag-fetch is on PATH; "
                + "install both with docs/install.sh, or build it with 'swift build --product stag-fetch' and put it beside stag")
        }
        Output.standardOutput.flush()
        Output.standardError.flush()
        var argv: [UnsafeMutablePointer<CChar>?] = ([downloader] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(downloader, &argv)
        let reason = String(cString: strerror(errno))
        throw CLIError("fetch: cannot run \(downloader): \(reason)")
    }

    /// The first executable `name` in the directories of `$PATH` (empty entries skipped: they
    /// would mean the working directory, where a downloaded file must not be taken for a program).
    static func onPath(_ name: String) -> String? {
        guard let path = DataSource.environment("PATH") else { return nil }
        for dir in path.split(separator: ":") where dir.hasPrefix("/") {
            let candidate = dir + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    static func selfExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
