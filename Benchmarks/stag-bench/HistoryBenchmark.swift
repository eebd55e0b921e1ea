import ServiceTags
import ServiceTagsTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `stag-bench --history [DIR]` (issue 11 part 5): the compiled history. `stag compile --archive`
/// of DIR (default: the 12 real Public files of 2024) and of 52 generated weekly Public-size files
/// (the generator's next-week edits); each history's size against one week's compiled index; a
/// compiled history query against a compiled single-file lookup, as whole processes alternated run
/// by run and in process.
enum HistoryBenchmark {
    static let defaultDirectories = [Benchmarks.packageRoot + "/../shared/data/history/public-2024", "/work/shared/data/history/public-2024"]
    static let address = "20.62.130.5"

    static func run(stag: String, directory: String?, report: inout Report) {
        let scratch = "/tmp/stag-bench-history-\(getpid())"
        mkdir(scratch, 0o700)
        defer { removeAll(scratch) }
        if let dir = directory ?? defaultDirectories.first(where: Harness.exists) {
            measure(stag: stag, archive: dir, label: "\(dir.split(separator: "/").last ?? "") (real)", scratch: scratch, report: &report)
        } else {
            Output.err("stag-bench: no real history series; only the generated archive")
        }
        let synthetic = scratch + "/synthetic"
        mkdir(synthetic, 0o700)
        Output.err("stag-bench: writing 52 generated weekly Public-size files")
        var file = SyntheticServiceTags(.publicCloudSize).file
        for week in 0 ..< 52 {
            if week > 0 { file = SyntheticServiceTags.nextWeek(of: file, seed: 7_000 + UInt64(week)) }
            file.cloud = "Public"
            let path = synthetic + "/ServiceTags_Public_\(date(daysAfter20240101: 7 * week)).json"
            guard write(ServiceTagsJSONWriter().bytes(of: file), to: path) else { Output.err("stag-bench: cannot write \(path)"); return }
        }
        measure(stag: stag, archive: synthetic, label: "52 generated weeks", scratch: scratch, report: &report)
    }

    static func measure(stag: String, archive: String, label: String, scratch: String, report: inout Report) {
        let history = scratch + "/h.stagh", index = scratch + "/last.stagidx"
        let names = Harness.listDirectory(archive).filter { $0.hasPrefix("ServiceTags_") && $0.hasSuffix(".json") }.sorted()
        guard let last = names.last else { return }
        var compiles: [Double] = []
        for _ in 0 ..< 3 { compiles.append(Harness.runProcess([stag, "compile", "--archive", archive, "-o", history]).seconds) }
        _ = Harness.runProcess([stag, "compile", "--data", archive + "/" + last, "-o", index])
        let historyBytes = Harness.fileSize(history), indexBytes = Harness.fileSize(index)
        report.add("`stag compile --archive` \(label): \(names.count) files (whole process)",
                   "\(format(Harness.median(compiles.sorted()), 2)) s", names.count >= 52 ? "< 3 s for 52 weekly Public files" : "")
        report.add("compiled history size, \(label)",
                   "\(format(Double(historyBytes) / 1_000_000, 2)) MB = \(format(Double(historyBytes) / Double(max(indexBytes, 1)), 2))× one week's compiled index (\(format(Double(indexBytes) / 1_000_000, 2)) MB)",
                   "≤ 3×")
        var historyRuns: [Double] = [], lookupRuns: [Double] = []
        for _ in 0 ..< 15 {
            historyRuns.append(Harness.runProcess([stag, "history", address, "--archive", history]).seconds)
            lookupRuns.append(Harness.runProcess([stag, "lookup", address, "--data", index]).seconds)
        }
        let h = Harness.median(historyRuns.sorted()), l = Harness.median(lookupRuns.sorted())
        report.add("`stag history \(address) --archive <compiled history>`, \(label) (whole process; compiled lookup: \(format(l * 1000)) ms)",
                   "\(format(h * 1000)) ms = \(format(h / l, 2))× a compiled single-file lookup", "≤ 2×")
        jsonArchive(stag: stag, archive: archive, names: names, label: label, report: &report)
        // In process: load (map, checksum, validate) and answer one address, against the same for the index.
        let query = AddressHistory.query(for: try! IPAddress(parsing: address))
        let inHistory = Harness.time(runs: 15) {
            let loaded = try! CompiledHistory(contentsOf: history)
            Harness.sink &+= UInt64(loaded.addressHistories([query]).count)
        }
        let inIndex = Harness.time(runs: 15) {
            let loaded = try! CompiledIndex(contentsOf: index)
            Harness.sink &+= UInt64(loaded.index.matches(for: try! IPAddress(parsing: address)).count)
        }
        report.add("in process, \(label): load + one address, compiled history / compiled index",
                   "\(format(Harness.median(inHistory) * 1000, 2)) / \(format(Harness.median(inIndex) * 1000, 2)) ms")
    }

    /// Part 5's first figure: `stag history` of 400 seeded addresses (half inside the last file's
    /// prefixes) over the JSON files, against `stag info` run once per file (one parse each):
    /// alternated run by run, 5 runs, medians.
    static func jsonArchive(stag: String, archive: String, names: [String], label: String, report: inout Report) {
        guard let last = names.last, let file = try? ServiceTagsFile(readingFileAt: archive + "/" + last) else { return }
        var generator = LogGenerator(file, seed: 11)
        let addresses = (0 ..< 400).map { generator.destination($0).description }
        var history: [Double] = [], infos: [Double] = []
        for _ in 0 ..< 5 {
            history.append(Harness.runProcess([stag, "history", "--archive", archive, "--json"] + addresses).seconds)
            infos.append(names.reduce(0) { $0 + Harness.runProcess([stag, "info", "--data", archive + "/" + $1]).seconds })
        }
        let h = Harness.median(history.sorted()), i = Harness.median(infos.sorted())
        report.add("`stag history` of 400 addresses over the JSON files, \(label) (whole process; `stag info` per file: \(format(i * 1000)) ms)",
                   "\(format(h * 1000)) ms = \(format(h / i, 2))× running `stag info` once per file", "≤ 0.5×")
    }

    /// `YYYYMMDD` of 2024-01-01 plus `days` (civil-from-days, proleptic Gregorian).
    static func date(daysAfter20240101 days: Int) -> String {
        let z = 19_723 + days + 719_468  // 19,723: days from 1970-01-01 to 2024-01-01
        let era = z / 146_097, doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)\(two(m))\(two(d))"
    }

    static func write(_ bytes: [UInt8], to path: String) -> Bool {
        guard let f = fopen(path, "wb") else { return false }
        defer { fclose(f) }
        return bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) } == bytes.count
    }

    static func removeAll(_ dir: String) {
        for name in Harness.listDirectory(dir) {
            let path = dir + "/" + name
            if unlink(path) != 0 { removeAll(path) }
        }
        rmdir(dir)
    }
}
