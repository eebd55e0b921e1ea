#if canImport(Glibc)
import Glibc
#endif
import CHeapTuning

/// Huge pages for the heap of a command that is about to parse a large JSON file (and perhaps build
/// an index from it), before the first large allocation (`stag_heap_prefer_huge_pages`).
///
/// Why: such a process is short-lived and touches every page it allocates once; in 4 KiB pages a
/// `stag compile` of the Public file took ~4,600 page faults, a quarter of its time; backed by
/// 2 MiB pages it takes under 1,000 and runs ~20% faster (`Benchmarks/peers.sh`), a JSON `lookup`
/// ~5%. Small files are left alone (a 2 MiB page per region touched would be most of their memory),
/// so are compiled indexes (mapped, not allocated) and inputs of unknown size (a pipe).
enum HeapTuning {
    /// Below this a file's parse lives in a few MB of heap: not worth huge pages.
    static let minimumFileBytes = 1 << 20
    /// Heap per byte of JSON that a parse and an index build touch (compile of the 4.1 MB Public
    /// file: ~24 MB); the C side caps it at 32 MiB.
    static let heapBytesPerFileByte = 6

    nonisolated(unsafe) private static var prepared = false

    /// Tunes the heap for parsing the regular file at `path`, once per process; anything else is a
    /// no-op. Call it on the main thread before the parse.
    static func prepare(forParsing path: String) {
        guard !prepared, path != "-" else { return }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) >= minimumFileBytes else { return }
        prepared = true
        _ = stag_heap_prefer_huge_pages(Int(info.st_size) * heapBytesPerFileByte)
    }
}
