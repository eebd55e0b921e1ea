#if canImport(Glibc)
import Glibc
#endif
import ServiceTagsTestSupport
import Testing

extension Tag {
    /// Tests that read Microsoft's real files from `../shared/data` (never committed).
    @Tag public static var realData: Self
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when every named real file is present, else a real skip whose comment
    /// starts with `FixturePaths.realDataSkipNote` (what `.ci/run` counts and checks).
    public static func realData(_ names: String...) -> Self {
        .enabled(if: FixturePaths.hasRealFiles(names), Comment(rawValue: FixturePaths.realDataSkipNote + names.joined(separator: ", ")))
    }

    /// Runs the test only where nft and ipset work inside `unshare -n` (probed once per run).
    public static var kernelTools: Self {
        .enabled(if: KernelSets.usable, "needs nft and ipset in 'unshare -n' (tool, kernel or privileges)")
    }

    /// Skips the `ulimit -f` tests under ThreadSanitizer (`Tests/sanitizers.sh` sets
    /// `STAG_SANITIZER`): its runtime faults (SIGBUS in its own code) once a file-size limit is
    /// set, after stag has already reported the write error correctly.
    public static var fileSizeLimits: Self {
        .enabled(if: getenv("STAG_SANITIZER").map { String(cString: $0) } != "thread",
                 "the ThreadSanitizer runtime faults under 'ulimit -f' (Tests/sanitizers.sh thread)")
    }

    /// Skips peak-RSS measurements under a sanitizer (`Tests/sanitizers.sh` sets `STAG_SANITIZER`):
    /// shadow memory and quarantine make the figures meaningless there.
    public static var unsanitizedMemory: Self {
        .enabled(if: getenv("STAG_SANITIZER") == nil, "peak RSS is not measured under a sanitizer (Tests/sanitizers.sh)")
    }

    /// Runs the test only where ipset, iptables-restore and ip6tables-restore work inside `unshare -n`.
    public static var iptablesTools: Self {
        .enabled(if: KernelSets.iptablesUsable, "needs ipset, iptables and ip6tables in 'unshare -n' (tool, kernel or privileges)")
    }
}
