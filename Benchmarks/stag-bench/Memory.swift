import ServiceTags
import ServiceTagsTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `stag-bench --memory`: peak RSS of whole `stag info` processes on generated files (issue 8
/// item 6, "memory follows the data kept"). The files are streamed to a temporary directory a
/// copy at a time (never built whole in memory) and deleted afterwards.
enum MemoryBenchmark {
    /// Peak RSS of `argv` run to completion, with its exit status.
    static func peakRSS(_ argv: [String]) -> (mebibytes: Double, status: Int32) {
        let run = Harness.runProcess(argv)
        return (run.peakMiB, run.status)
    }

    /// Appends bytes to a file with `write(2)`, in the order given.
    struct Sink: ~Copyable {
        let fd: Int32
        var written = 0
        init(path: String) { fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) }
        deinit { close(fd) }
        mutating func write(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    precondition(n > 0, "write failed: errno \(errno)")
                    offset += n
                }
            }
            written += bytes.count
        }
        mutating func write(_ s: String) { write(Array(s.utf8)) }
    }

    /// `{"changeNumber": 1, "cloud": "Public", "junk": "<bytes of 'a'>", "values": [one tag]}`.
    static func writeUnknownKeyFile(_ path: String, bytes: Int) -> Int {
        var sink = Sink(path: path)
        sink.write(#"{"changeNumber": 1, "cloud": "Public", "junk": ""#)
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        for _ in 0..<(bytes / chunk.count) { sink.write(chunk) }
        sink.write(#"", "values": [{"name": "A", "properties": {"addressPrefixes": ["192.0.2.0/24"]}}]}"#)
        return sink.written
    }

    /// A realistic file of about `bytes`: the synthetic Public-size file's `values` written
    /// `copies` times, tag names prefixed `C<k>.` per copy so they stay unique.
    /// - Returns: the bytes written and the prefixes in the file.
    static func writeRealisticFile(_ path: String, bytes target: Int, base: [UInt8], basePrefixes: Int) -> (Int, Int) {
        let open = index(of: Array(#""values": ["#.utf8), in: base, from: 0)! + 11
        let close = base.lastIndex(of: UInt8(ascii: "]"))!
        let body = Array(base[open..<close])
        // Split the body just inside each name's opening quote.
        let key = Array(#""name": ""#.utf8)
        var cuts: [Int] = []
        var from = 0
        while let i = index(of: key, in: body, from: from) {
            cuts.append(i + key.count)
            from = i + key.count
        }
        let copies = max(1, target / body.count)
        var sink = Sink(path: path)
        sink.write(Array(base[0..<open]))
        for k in 0..<copies {
            var piece: [UInt8] = k == 0 ? [] : [UInt8(ascii: ",")]
            piece.reserveCapacity(body.count + cuts.count * 8)
            var last = 0
            for cut in cuts {
                piece += body[last..<cut]
                piece += Array("C\(k).".utf8)
                last = cut
            }
            piece += body[last...]
            sink.write(piece)
        }
        sink.write(Array(base[close...]))
        return (sink.written, copies * basePrefixes)
    }

    static func index(of needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Runs the measurements; `realisticSizes` in bytes (4 MB, 100 MB, 1 GB by default).
    static func run(stag: String, report: inout Report, unknownKeyBytes: Int = 1 << 30,
                    realisticSizes: [Int] = [4_000_000, 100_000_000, 1_000_000_000]) {
        var template = [CChar]("/tmp/stag-bench-memory-XXXXXX".utf8CString)
        guard let dirPointer = mkdtemp(&template) else {
            Output.err("stag-bench: cannot create a temporary directory")
            return
        }
        let dir = String(cString: dirPointer)
        defer { rmdir(dir) }

        let junk = dir + "/unknown-key.json"
        let junkBytes = writeUnknownKeyFile(junk, bytes: unknownKeyBytes)
        let j = peakRSS([stag, "info", "--data", junk])
        unlink(junk)
        report.add("peak RSS, `stag info` on a \(format(Double(junkBytes) / 1e6, 0)) MB file, one unknown key's string (exit \(j.status))",
                   "\(format(j.mebibytes)) MiB", "≤ 50 MiB")

        let synthetic = SyntheticServiceTags(.publicCloudSize)
        let base = synthetic.jsonBytes
        let basePrefixes = synthetic.file.tags.reduce(0) { $0 + $1.prefixCount }
        for size in realisticSizes {
            let path = dir + "/realistic.json"
            let (written, prefixes) = writeRealisticFile(path, bytes: size, base: base, basePrefixes: basePrefixes)
            let r = peakRSS([stag, "info", "--data", path])
            unlink(path)
            let perPrefix = r.mebibytes * 1_048_576 / Double(prefixes)
            report.add("peak RSS, `stag info` on a realistic \(format(Double(written) / 1e6, 0)) MB file, \(prefixes) prefixes (exit \(r.status))",
                       "\(format(r.mebibytes)) MiB, \(format(perPrefix, 0)) B/prefix", "grows with the prefixes")
        }
    }
}
