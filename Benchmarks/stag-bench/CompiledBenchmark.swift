import ServiceTags
#if canImport(Glibc)
import Glibc
#endif

/// Section 5, the compiled index (issue 9 part 3): `stag lookup` on the index vs on the JSON file,
/// whole processes alternated run by run (so both see the same machine load), with peak RSS; and
/// `stag compile` against a JSON lookup.
enum CompiledBenchmark {
    static func run(stag: String, path: String, report: inout Report) {
        let index = "/tmp/stag-bench-\(getpid()).stagidx"
        defer { unlink(index) }
        var compiles: [Double] = []
        var fromJSON: [(seconds: Double, status: Int32, peakMiB: Double)] = []
        var fromIndex: [(seconds: Double, status: Int32, peakMiB: Double)] = []
        for _ in 0 ..< 15 {
            compiles.append(Harness.runProcess([stag, "compile", "--data", path, "-o", index]).seconds)
            fromJSON.append(Harness.runProcess([stag, "lookup", "20.62.130.5", "--data", path]))
            fromIndex.append(Harness.runProcess([stag, "lookup", "20.62.130.5", "--data", index]))
        }
        let json = Harness.median(fromJSON.map(\.seconds).sorted()), compiled = Harness.median(fromIndex.map(\.seconds).sorted())
        let compile = Harness.median(compiles.sorted())
        report.add("`stag lookup 20.62.130.5 --data <compiled index>` (whole process; JSON: \(format(json * 1000)) ms)",
                   "\(format(compiled * 1000)) ms = \(format(compiled / json))× JSON (exit \(fromIndex[0].status))", "≤ 0.5× JSON")
        // The load alone, in this process (mapping, checksum and validation; the page cache is
        // warm, as it is for the processes above after their first run).
        let loads = Harness.time(runs: 30) { Harness.sink &+= UInt64((try! CompiledIndex(contentsOf: index)).byteCount) }
        report.add("`CompiledIndex(contentsOf:)` of that index, in process", "\(format(Harness.median(loads) * 1000, 2)) ms")
        let rssIndex = Harness.peakRSS([stag, "lookup", "20.62.130.5", "--data", index])
        let rssJSON = Harness.peakRSS([stag, "lookup", "20.62.130.5", "--data", path])
        report.add("peak RSS (GNU time), that lookup on the index / on the JSON file",
                   rssIndex.map { "\(format($0)) / \(format(rssJSON ?? 0)) MiB" } ?? "n/a (install GNU time)", "≤ 20 MiB")
        report.add("`stag compile --data <public file>` (whole process)",
                   "\(format(compile * 1000)) ms = \(format(compile / json))× a JSON lookup", "≤ 2× a JSON lookup")
    }
}
