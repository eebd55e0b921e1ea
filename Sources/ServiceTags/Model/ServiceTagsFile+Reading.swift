import Glibc

/// Whole-file conveniences over `ServiceTagsReader`.
extension ServiceTagsFile {
    /// Reads and validates the ServiceTags file at `path` (see `ServiceTagsReader` for the schema).
    /// - Throws: `ServiceTagsError` (`.openFailed` with no location when it cannot be opened).
    /// - Complexity: O(file size) time; memory for the tags plus one read chunk.
    public init(readingFileAt path: String) throws(ServiceTagsError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ServiceTagsError(.openFailed(errno: errno), file: path, location: nil) }
        defer { close(fd) }
        try self.init(fileDescriptor: fd, path: path)
    }

    /// Reads a document from `fileDescriptor` (a file or a pipe such as standard input) to its end;
    /// does not close it. `path` names the input in errors; `observingBytes` sees every input byte
    /// as it is read (see `ServiceTagsReader.init(fileDescriptor:path:chunkSize:observingBytes:)`).
    public init(fileDescriptor: Int32, path: String, chunkSize: Int = 256 * 1024,
                observingBytes: ((UnsafeBufferPointer<UInt8>) -> Void)? = nil) throws(ServiceTagsError) {
        var reader = ServiceTagsReader(fileDescriptor: fileDescriptor, path: path, chunkSize: chunkSize,
                                       observingBytes: observingBytes)
        try self.init(reading: &reader)
    }

    /// Reads a document held in memory, scanning `bytes` in place.
    public init(bytes: [UInt8], path: String) throws(ServiceTagsError) {
        self = try ServiceTagsReader.withReader(over: bytes.span, path: path) { (reader) throws(ServiceTagsError) in
            try ServiceTagsFile(reading: &reader)
        }
    }

    /// Drains `reader`: every tag in file order, then the header.
    public init(reading reader: inout ServiceTagsReader) throws(ServiceTagsError) {
        // What `next()` does, with each tag read in its final place (see `TagListBuilder`).
        var tags = TagListBuilder()
        while true {
            let slot = tags.appendSlot()
            guard try reader.next(into: &slot.pointee) else {
                tags.removeLast()
                break
            }
        }
        self.init(changeNumber: reader.changeNumber, cloud: reader.cloud ?? "", tags: tags.take())
    }
}
