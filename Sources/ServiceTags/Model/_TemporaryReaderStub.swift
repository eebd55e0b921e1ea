public struct ServiceTagsError: Error, CustomStringConvertible { public var description: String }
extension ServiceTagsFile {
    public init(readingFileAt path: String) throws(ServiceTagsError) { throw ServiceTagsError(description: "stub") }
    public init(fileDescriptor: Int32, path: String) throws(ServiceTagsError) { throw ServiceTagsError(description: "stub") }
}
