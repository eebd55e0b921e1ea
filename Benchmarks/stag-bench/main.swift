import ServiceTags
import ServiceTagsTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `swift run -c release stag-bench [--parse-only | --lookups | --memory | --compiled] [FILE]`, `--history [DIR]` (and `--log`/`--addresses`, below): the figures the issues ask for, on the newest real
/// Public file in ../shared/data/servicetags when present, else on a generated file of the same
/// shape. Progress goes to stderr; the Markdown table for the README goes to stdout.

let dataDirectories = [
    Benchmarks.packageRoot + "/../shared/data/servicetags",
    "/work/shared/data/servicetags",
]

var report = Report()
var arguments = Array(CommandLine.arguments.dropFirst())
/// `--parse-only`: just section 1, for iterating on the reader (also prints the best run).
let parseOnly = arguments.first == "--parse-only"
if parseOnly { arguments.removeFirst() }
/// `--lookups`: parse, build and the lookup figures only, for iterating on the index.
let lookupsOnly = arguments.first == "--lookups"
if lookupsOnly { arguments.removeFirst() }
/// `--sample`: the generator's `Fixtures/sample.json` on stdout, for `Fixtures/regenerate-sample.sh`
/// (the sample test only compares; it never writes its own golden).
if arguments.first == "--sample" {
    exit(Output.out(SyntheticServiceTags(.sample).jsonBytes) ? 0 : 2)
}
/// `--synthetic-public`: a generated file of the Public file's shape on stdout (peers.sh without real data).
if arguments.first == "--synthetic-public" {
    exit(Output.out(SyntheticServiceTags(.publicCloudSize).jsonBytes) ? 0 : 2)
}
/// `--log N FILE` / `--addresses N FILE`: N deterministic firewall-log lines / destination addresses
/// (half inside FILE's prefixes) on stdout, the inputs of `Benchmarks/peers.sh`.
if arguments.count == 3, arguments[0] == "--log" || arguments[0] == "--addresses", let n = Int(arguments[1]) {
    let data: ServiceTagsFile
    do { data = try ServiceTagsFile(readingFileAt: arguments[2]) } catch {
        Output.err("stag-bench: \(error)")
        exit(2)
    }
    exit(LogGenerator.write(data, count: n, seed: 2025, addressesOnly: arguments[0] == "--addresses") ? 0 : 2)
}
/// `--memory`: just the peak RSS of `stag info` on generated files (1 GB ones: takes a minute).
if arguments.first == "--memory" {
    let stag = Harness.executableDirectory() + "/stag"
    guard Harness.exists(stag) else {
        Output.err("stag-bench: --memory needs the release stag beside this binary (swift build -c release --product stag)")
        exit(2)
    }
    MemoryBenchmark.run(stag: stag, report: &report)
    print(report.markdown(), terminator: "")
    exit(0)
}
/// `--history [DIR]`: just the compiled history (issue 11 part 5): compile --archive of DIR (default
/// the real public-2024 series) and of 52 generated weeks, sizes, and a query against a compiled lookup.
if arguments.first == "--history" {
    let stag = Harness.executableDirectory() + "/stag"
    guard Harness.exists(stag) else {
        Output.err("stag-bench: --history needs the release stag beside this binary (swift build -c release --product stag)")
        exit(2)
    }
    HistoryBenchmark.run(stag: stag, directory: arguments.dropFirst().first, report: &report)
    print(report.markdown(), terminator: "")
    exit(0)
}
/// `--compiled [FILE]`: just section 5, the compiled index against the JSON file.
let compiledOnly = arguments.first == "--compiled"
if compiledOnly { arguments.removeFirst() }
let (path, bytes) = Benchmarks.input(arguments.first, dataDirectories)
if compiledOnly {
    let stag = Harness.executableDirectory() + "/stag"
    guard Harness.exists(stag), !path.hasPrefix("<") else {
        Output.err("stag-bench: --compiled needs the release stag beside this binary and a real file")
        exit(2)
    }
    CompiledBenchmark.run(stag: stag, path: path, report: &report)
    print(report.markdown(), terminator: "")
    exit(0)
}
let megabytes = Double(bytes.count) / 1_000_000
Output.err("stag-bench: \(path) (\(format(megabytes, 2)) MB)")

// 1. Parse: every (tag, prefix) pair. "Pairs" streams tags through one reused `ServiceTag`
//    (`next(into:)`), which is what reading all pairs costs; "model" builds the whole
//    `ServiceTagsFile` (what the CLI does), from memory and through the file descriptor.
let pairTimes = Harness.time(runs: 50) {
    Harness.sink &+= Benchmarks.countPairs(bytes, path: path)
}
if parseOnly { Output.err("  best pairs run: \(format(megabytes / pairTimes[0], 0)) MB/s") }
report.add("parse: read all (tag, prefix) pairs, in memory",
           "\(format(megabytes / Harness.median(pairTimes), 0)) MB/s (\(format(Harness.median(pairTimes) * 1000, 2)) ms)", "≥ 1,000 MB/s")
var file = ServiceTagsFile()
let parseTimes = Harness.time(runs: 30) {
    file = try! ServiceTagsFile(bytes: bytes, path: path)
    Harness.sink &+= UInt64(file.tags.count)
}
let pairs = file.tags.reduce(0) { $0 + $1.prefixCount }
if parseOnly { Output.err("  best model run: \(format(megabytes / parseTimes[0], 0)) MB/s") }
report.add("parse: whole file model (\(file.tags.count) tags, \(pairs) prefixes), in memory",
           "\(format(megabytes / Harness.median(parseTimes), 0)) MB/s (\(format(Harness.median(parseTimes) * 1000, 2)) ms)")
if !path.hasPrefix("<") {
    let fdTimes = Harness.time(runs: 30) {
        Harness.sink &+= UInt64((try! ServiceTagsFile(readingFileAt: path)).tags.count)
    }
    if parseOnly { Output.err("  best fd run: \(format(megabytes / fdTimes[0], 0)) MB/s") }
    report.add("parse: whole file model, streamed from the file", "\(format(megabytes / Harness.median(fdTimes), 0)) MB/s (\(format(Harness.median(fdTimes) * 1000, 2)) ms)")
}

if parseOnly {
    print(report.markdown(), terminator: "")
    exit(0)
}

// 2. Build: per-tag tries and the combined index.
var index: TagIndex? = nil
let buildTimes = Harness.time(runs: 20) {
    index = TagIndexBuilder(file).finish()
    Harness.sink &+= UInt64(index!.ipv4.prefixes.count)
}
let idx = index!
report.add("build all per-tag tries + combined index", "\(format(Harness.median(buildTimes) * 1000, 2)) ms", "≤ 20 ms")
report.add("combined index size",
           "\(idx.ipv4.prefixes.count) + \(idx.ipv6.prefixes.count) distinct prefixes, \(idx.ipv4.tableNodeCount) + \(idx.ipv6.tableNodeCount) nodes, \(format(Double(idx.ipv4.byteCount + idx.ipv6.byteCount) / 1_048_576)) MiB")

// 3. Lookups: 1,000,000 seeded addresses per kind, on one core.
let queries = Benchmarks.queries(idx, count: 1_000_000, seed: 42)
for (label, target, run) in [
    ("IPv4 lookups, hits", "≥ 20 M/s", { Benchmarks.lookups(idx.ipv4, queries.v4Hits) }),
    ("IPv4 lookups, misses", "≥ 20 M/s", { Benchmarks.lookups(idx.ipv4, queries.v4Misses) }),
    ("IPv6 lookups, hits", "≥ 10 M/s", { Benchmarks.lookups(idx.ipv6, queries.v6Hits) }),
    ("IPv6 lookups, misses", "≥ 10 M/s", { Benchmarks.lookups(idx.ipv6, queries.v6Misses) }),
] as [(String, String, () -> Void)] {
    let t = Harness.median(Harness.time(runs: 7, run))
    report.add(label, "\(format(1_000_000 / t / 1e6)) M/s", target)
}
if lookupsOnly {
    print(report.markdown(), terminator: "")
    exit(0)
}
report.add("peak memory (this benchmark process)", "\(format(Harness.peakMemoryMiB())) MiB")

// 4. Whole processes, as a user runs them.
let stag = Harness.executableDirectory() + "/stag"
if Harness.exists(stag) && !path.hasPrefix("<") {
    for (label, target, argv) in Benchmarks.processes(stag: stag, path: path, dataDirectories: dataDirectories) {
        let runs = (0..<15).map { _ in Harness.runProcess(argv) }
        let wall = Harness.median(runs.map(\.seconds).sorted())
        report.add(label, "\(format(wall * 1000)) ms (exit \(runs[0].status))", target)
    }
    // 5. The compiled index.
    CompiledBenchmark.run(stag: stag, path: path, report: &report)
} else {
    Output.err("stag-bench: skipping whole-process timings (no stag binary beside this one, or no real file)")
}

print(report.markdown(), terminator: "")
if Harness.sink == 42 { print("") }
