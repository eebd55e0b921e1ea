/// `stag fetch`'s options, declared once: `stag` checks a fetch command line against them (and
/// runs `--list`/`--verify` itself), then execs `stag-fetch`, which parses the same line with the
/// same specs. Neither can accept an option the other does not know.
public enum FetchOptionSpecs {
    public static let dir = OptionSpec(name: "--dir", kind: .value, valueName: "DIR",
                                       help: "cache directory (default: $STAG_CACHE_DIR, else $XDG_CACHE_HOME/stag, else ~/.cache/stag)",
                                       values: .directories)
    public static let url = OptionSpec(name: "--url", kind: .value, valueName: "URL",
                                       help: "download this file (named ServiceTags_<Cloud>_YYYYMMDD.json) instead of searching a page")
    public static let page = OptionSpec(name: "--page", kind: .value, valueName: "URL",
                                        help: "search this page for links instead of the Microsoft Download Center (a mirror)")
    public static let importFile = OptionSpec(name: "--import", kind: .value, valueName: "FILE",
                                              help: "store this local file (copied in from elsewhere) through the same checks, instead of downloading",
                                              values: .files)
    public static let allowHTTP = OptionSpec(name: "--allow-http", kind: .flag, help: "accept plain-HTTP URLs for hosts other than loopback")
    public static let keep = OptionSpec(name: "--keep", kind: .value, valueName: "N", help: "versions kept per cloud (default 8)")
    public static let timeout = OptionSpec(name: "--timeout", kind: .value, valueName: "SECONDS",
                                           help: "limit for each HTTP request, connection to last byte (default 60)")
    public static let retries = OptionSpec(name: "--retries", kind: .value, valueName: "N",
                                           help: "retries of a request that failed transiently (default 2)")
    public static let force = OptionSpec(name: "--force", kind: .flag,
                                         help: "download even if the newest file is stored, and accept a file much smaller than the last")
    public static let allowRollback = OptionSpec(name: "--allow-rollback", kind: .flag,
                                                 help: "accept a file dated more than 14 days ahead, or with a lower changeNumber than the newest stored")
    public static let history = OptionSpec(name: "--history", kind: .flag,
                                           help: "also keep a compiled history of the cloud's stored files (history-<Cloud>.stagh), rebuilt with each stored file from then on")
    public static let list = OptionSpec(name: "--list", kind: .flag, help: "list the stored versions (no network)")
    public static let verify = OptionSpec(name: "--verify", kind: .flag, help: "like --list, and re-hash each file against the manifest")

    /// In `stag fetch --help` order.
    public static let all: [OptionSpec] = [
        .cloud, dir, url, page, importFile, allowHTTP, keep, timeout, retries, force, allowRollback, history, list, verify, .json,
    ]
    /// The options only a download (or import) uses: refused with `--list` and `--verify`.
    public static let downloadOnly: [OptionSpec] = [url, page, importFile, allowHTTP, keep, timeout, retries, force, allowRollback, history]
}

extension OptionSpec {
    public static let json = OptionSpec(name: "--json", kind: .flag, help: "machine-readable JSON output")
    public static let cloud = OptionSpec(name: "--cloud", kind: .value, valueName: "CLOUD", help: "public, usgov or china (default: public)",
                                         values: .words(["public", "usgov", "china"]))
}
