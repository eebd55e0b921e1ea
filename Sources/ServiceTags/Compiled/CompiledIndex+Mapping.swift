#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension CompiledIndex {
    /// Maps the file at `path` read-only and validates it; the loaded index then reads its
    /// arrays straight from the mapping (no copy), which stays mapped while the index or any of
    /// its arrays lives.
    ///
    /// The mapping is private and read-only; files are only ever replaced by rename (`stag
    /// compile`, `stag fetch`), so the mapped inode never shrinks under us. (Truncating an index in
    /// place while it is in use is the one way to make a reader fail with SIGBUS.)
    /// - Throws: `CompiledIndexError` (`.io` when the file cannot be opened or mapped).
    /// - Complexity: O(file size) for the checksum and validation; no parsing, building or copying.
    public init(contentsOf path: String) throws(CompiledIndexError) {
        self = try Self(memory: CompiledIndexMemory(mapping: path, noun: CompiledFormat.index.noun), path: path)
    }

    /// What an index records about its source, read from the header alone (no checksum pass):
    /// for choosing between a cached JSON file and its index without loading either. Nil when
    /// `path` is not a readable index of this format version.
    public static func recordedSource(at path: String) -> Source? {
        guard let head = firstBytes(of: path, CompiledIndexLayout.headerSize), hasMagic(head) else { return nil }
        return head.withUnsafeBytes { raw -> Source? in
            typealias F = CompiledIndexLayout.Field
            guard CompiledIndexReader.load(raw, F.version, as: UInt32.self) == CompiledIndexLayout.version else { return nil }
            let size = CompiledIndexReader.load(raw, F.sourceSize, as: UInt64.self)
            return Source(sha256: Array(head[F.sourceSHA256 ..< F.sourceSHA256 + 32]), size: Int(clamping: size))
        }
    }

    /// Whether the file at `path` starts with the compiled index's magic (a JSON file cannot:
    /// `S` is not valid JSON's first byte).
    public static func isCompiledIndex(at path: String) -> Bool {
        firstBytes(of: path, CompiledIndexLayout.magic.count).map(hasMagic) ?? false
    }

    /// The file's first `count` bytes; nil if it is not a regular file, cannot be read or is
    /// shorter. A FIFO or device is never opened here: opening one has effects (a FIFO's writer
    /// is released, then sees its reader go away), and an index is always a regular file.
    static func firstBytes(of path: String, _ count: Int) -> [UInt8]? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: count)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return n == count ? head : nil
    }

}

/// The bytes a loaded compiled index reads in place: a read-only file mapping, unmapped when the
/// last array viewing it goes, or a 16-byte aligned copy of bytes given in memory.
///
/// Invariant: `bytes` is 16-byte aligned and never written while the object lives.
final class CompiledIndexMemory: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let mapped: Bool

    init(mapped base: UnsafeMutableRawPointer, count: Int) {
        bytes = UnsafeRawBufferPointer(start: base, count: count)
        mapped = true
    }

    /// An aligned copy of `source` (the bytes of a caller need not outlive the call).
    init(copying source: UnsafeRawBufferPointer) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(source.count, 1), alignment: CompiledIndexLayout.alignment)
        if source.count > 0 { copy.copyMemory(from: source) }
        bytes = UnsafeRawBufferPointer(start: copy.baseAddress, count: source.count)
        mapped = false
    }

    /// The file at `path` mapped read-only and private; a file shorter than a
    /// header is read into an aligned copy instead (mmap refuses a zero length), for the
    /// format's validation to reject with its own message.
    /// - Parameter noun: how messages name the file ("compiled index").
    /// - Throws: `.io` when the file cannot be opened, read or mapped, or is not a regular file.
    convenience init(mapping path: String, noun: String) throws(CompiledIndexError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.ioError("cannot open", path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw Self.ioError("cannot stat", path) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw CompiledIndexError(.io(errno: 0), "not a regular file (a \(noun) is mapped, so it cannot come from a pipe)", path: path)
        }
        let size = Int(st.st_size)
        if size < CompiledIndexLayout.headerSize {
            var head = [UInt8](repeating: 0, count: size)
            let n = size == 0 ? 0 : head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, size, 0) }
            guard n == size else { throw Self.ioError("cannot read", path) }
            self.init(copying: head.withUnsafeBytes { $0 })
            return
        }
        // No MAP_POPULATE: it maps every page in this call, on this thread, before the checksum
        // thread starts; left to faults (16 pages each), the checksum thread and the validation
        // map the pages they read side by side. Alternated whole `stag lookup` processes on the
        // Public file's index: 1 ms faster of about 11 (docs/compiled-index.md, "Loading").
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw Self.ioError("cannot map", path)
        }
        self.init(mapped: base, count: size)
    }

    private static func ioError(_ what: String, _ path: String) -> CompiledIndexError {
        let code = errno
        return CompiledIndexError(.io(errno: code), "\(what): \(String(cString: strerror(code)))", path: path)
    }

    deinit {
        if mapped { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) } else { bytes.deallocate() }
    }
}
