// swift-tools-version: 6.2
import PackageDescription

// No package dependencies, ever: the toolchain is all we use (see README).

#if arch(x86_64)
// POPCNT (every x86-64 CPU since 2008): a trie step's rank is one instruction instead of a dozen,
// which is worth a quarter of the IPv6 lookup time. Applied to every target, because the hot
// generic code is inlined into its callers.
let cpu: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "nehalem"])]
#else
let cpu: [SwiftSetting] = []
#endif

let package = Package(
    name: "stag",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ServiceTags", targets: ["ServiceTags"]),
        .executable(name: "stag", targets: ["stag"]),
        .executable(name: "stag-fetch", targets: ["stag-fetch"]),
        .executable(name: "stag-bench", targets: ["stag-bench"]),
    ],
    dependencies: [],
    targets: [
        // Core: bytes -> JSON scanner -> service-tag model -> tries and index -> diff / export.
        // Never imports Foundation (a test enforces it).
        .target(name: "ServiceTags", dependencies: ["CSHA256", "CThreadPlacement", "CByteClass"], exclude: ["Index/DESIGN.md"], swiftSettings: cpu),
        // SHA-256 blocks with the x86 SHA extensions (one C function: Swift cannot emit them).
        .target(name: "CSHA256"),
        // Starting a helper thread off the caller's core (GNU affinity calls Swift's Glibc lacks).
        .target(name: "CThreadPlacement"),
        // Byte classes as bit masks, 32 bytes at a time (SSE2 compares and movemasks Swift cannot spell).
        .target(name: "CByteClass"),
        // Slow, obviously-correct references and seeded generators, used by tests and benchmarks.
        .target(name: "ServiceTagsTestSupport", dependencies: ["ServiceTags"], swiftSettings: cpu),
        // The one option parser of both executables, and the option specs they share (fetch's).
        .target(name: "StagOptions", dependencies: ["ServiceTags"], swiftSettings: cpu),
        // The command-line tool. Foundation-free on purpose: it costs ~12 ms of start-up and
        // `stag lookup` must answer in 30 ms.
        // Huge pages for the heap of a command about to build from a large file (mallopt, madvise).
        .target(name: "CHeapTuning"),
        .executableTarget(name: "stag", dependencies: ["ServiceTags", "StagOptions", "CHeapTuning"], swiftSettings: cpu),
        // The downloader `stag fetch` execs (installed beside `stag`): HTTPS needs URLSession, so
        // this is the one executable that links Foundation and FoundationNetworking.
        .executableTarget(name: "stag-fetch", dependencies: ["ServiceTags", "StagOptions"], swiftSettings: cpu),
        .executableTarget(
            name: "stag-bench",
            dependencies: ["ServiceTags", "ServiceTagsTestSupport"],
            path: "Benchmarks/stag-bench",
            swiftSettings: cpu
        ),
        // Tests only: interpreters of every export target's syntax and the helpers that load nft and
        // ipset files into a throwaway network namespace, shared by the library's export tests and
        // the CLI's `diff --format` tests. Uses Foundation (Process, JSONSerialization).
        .target(name: "ExportTargetModels", dependencies: ["ServiceTags", "ServiceTagsTestSupport"], path: "Tests/ExportTargetModels", swiftSettings: cpu),
        .testTarget(name: "ServiceTagsTests", dependencies: ["ServiceTags", "ServiceTagsTestSupport", "ExportTargetModels"],
                    swiftSettings: cpu),
        // End-to-end tests run the built `stag` and `stag-fetch` beside the test bundle.
        .testTarget(name: "stagTests", dependencies: ["stag", "stag-fetch", "ServiceTags", "ServiceTagsTestSupport", "ExportTargetModels"],
                    swiftSettings: cpu),
    ]
)

// libFuzzer targets (Tests/Fuzz/run.sh), declared only when STAG_FUZZ is set so that the normal
// `swift build` and `swift test` never compile them. Without `-D STAG_LIBFUZZER` each one replays
// the files named on its command line through the same property check.
if Context.environment["STAG_FUZZ"] != nil {
    package.targets.append(.target(name: "FuzzSupport", path: "Tests/Fuzz/FuzzSupport"))
    for (name, extra) in [("fuzz-prefix", "ServiceTagsTestSupport"), ("fuzz-reader", "ExportTargetModels"),
                          ("fuzz-extractor", "ServiceTagsTestSupport"), ("fuzz-index", "ServiceTagsTestSupport"),
                          ("fuzz-history", "ServiceTagsTestSupport")] {
        package.targets.append(.executableTarget(name: name, dependencies: ["FuzzSupport", "ServiceTags", .target(name: extra)],
                                                 path: "Tests/Fuzz/\(name)", swiftSettings: cpu))
    }
}
