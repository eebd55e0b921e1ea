// swift-tools-version: 6.2
import PackageDescription

// No package dependencies, ever: the toolchain is all we use (see README).
let package = Package(
    name: "stag",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ServiceTags", targets: ["ServiceTags"]),
        .executable(name: "stag", targets: ["stag"]),
        .executable(name: "stag-bench", targets: ["stag-bench"]),
    ],
    dependencies: [],
    targets: [
        // Core: bytes -> JSON scanner -> service-tag model -> tries and index -> diff / export.
        // Never imports Foundation (a test enforces it).
        .target(name: "ServiceTags"),
        // Slow, obviously-correct references and seeded generators, used by tests and benchmarks.
        .target(name: "ServiceTagsTestSupport", dependencies: ["ServiceTags"]),
        // The command-line tool; the only target that may use Foundation.
        .executableTarget(name: "stag", dependencies: ["ServiceTags"]),
        .executableTarget(
            name: "stag-bench",
            dependencies: ["ServiceTags", "ServiceTagsTestSupport"],
            path: "Benchmarks/stag-bench"
        ),
        .testTarget(name: "ServiceTagsTests", dependencies: ["ServiceTags", "ServiceTagsTestSupport"]),
        .testTarget(name: "stagTests", dependencies: ["stag", "ServiceTags", "ServiceTagsTestSupport"]),
    ]
)
