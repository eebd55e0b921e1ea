/// Streams the tags of a ServiceTags JSON document, one `ServiceTag` per `next()`, straight from
/// bytes.
///
/// Accepts the weekly download files (2019 schema without `regionId`/`networkFeatures` included)
/// and the Service Tag Discovery API's response (extra top-level `id`, `type`, `name`, `nextLink`;
/// `serviceTagChangeNumber` and `state` in entries; change numbers as decimal strings):
/// ```
/// {"changeNumber": 373, "cloud": "Public", "values": [
///   {"name": "…", "id": "…", "properties": {"changeNumber": 53, "region": "", "regionId": 0,
///    "platform": "Azure", "systemService": "…", "addressPrefixes": ["4.145.74.52/30", …],
///    "networkFeatures": ["API", …]}}, …]}
/// ```
/// Keys may come in any order at every level and unknown keys (any value) are skipped, so the
/// header (`changeNumber`, `cloud`) is complete only once `next()` has returned `nil`. Required:
/// `values`, and per entry `name`, `properties` and `properties.addressPrefixes`; every other
/// field may be absent or `null`. Prefixes are parsed by the strict `AddressParser.prefix` straight
/// from the input bytes (host bits set is an error, never masked).
///
/// Any deviation is a `ServiceTagsError` with file, byte offset, line:column and JSON path; after
/// one, `next()` throws the same error again. No input can make it trap.
///
/// Speed: every entry of a real file repeats the same keys in the same order and layout, so the
/// reader remembers the bytes between tokens and crosses an identical run with word compares
/// (`LearnedGap` for the gaps between elements and the preludes of members, `LearnedArray` for
/// the `networkFeatures` text); anything else takes the general path, which checks it and is
/// remembered in turn. Errors and their locations are the general path's either way.
///
/// Memory follows the data kept, not the input: a descriptor is read in `chunkSize` pieces, and the
/// buffer grows only for a kept token longer than a chunk. Kept strings (keys, names, ids,
/// regions, platforms, system services, features, prefixes, cloud) and numbers are capped at
/// `JSONScanner.maxKeptLength` (4 KiB; longer is a located `tooLong` error), while skipped values
/// (unknown keys' strings, numbers, arrays, objects) stream through the buffer whatever their
/// length; nesting is capped at `JSONScanner.maxDepth` (512). So an endless pipe costs one
/// buffer until its end, then gives an error. `withReader(over:)` scans memory in place,
/// `init(bytes:)` scans a private copy. For the
/// fastest streaming use `next(into:)`, which refills one caller-owned `ServiceTag`.
/// - Complexity: O(input bytes) overall; O(1) work per input byte outside the tags it returns.
public struct ServiceTagsReader: ~Copyable {
    enum State {
        case start
        /// Inside the top-level object; `first` until a member has been read.
        case members(first: Bool)
        /// Inside `values`; `first` until an entry has been read.
        case values(first: Bool)
        case done
        case failed
    }

    var scanner: JSONScanner
    /// The path given for the input, used in errors.
    public let path: String
    /// The top-level `changeNumber`, once read (`nil` if absent or `null`).
    public internal(set) var changeNumber: Int?
    /// The top-level `cloud`, once read (`nil` if absent or `null`).
    public internal(set) var cloud: String?
    var state = State.start
    var failure: ServiceTagsError?
    var names = TagNameSet()
    /// Every name so far as a `String`, from the first name that is not all ASCII on (two ASCII
    /// names are never canonically equivalent, so files of ASCII names never build it).
    var equivalentNames: Set<String>? = nil
    var scratch: [UInt8] = []
    var ipv4Scratch = PrefixBuffer<IPv4Prefix>()
    var ipv6Scratch = PrefixBuffer<IPv6Prefix>()
    /// The last tag's repeating metadata, offered for reuse by `next()` (see `optionalString(reusing:)`).
    var previous = ServiceTag(name: "")
    /// The gaps last crossed between elements at each place in the schema, and the preludes of
    /// members, so the next identical one is crossed with four word compares (see `LearnedGap`).
    var gaps = LearnedGaps()
    var preludes = LearnedPreludes()
    var learnedFeatures = LearnedArray()
    var sawTopKeys: UInt16 = 0
    var documentStart = JSONLocation(offset: 0, line: 1, column: 1)

    // Where the reader is, for error paths; kept as plain fields so the hot loops only store an Int.
    var topKey = PathKey.none
    var tagIndex = -1
    var inEntry = false
    var entryKey = PathKey.none
    var propertyKey = PathKey.none
    var unknownKey = ""
    var elementIndex = -1
    var tagName: String?

    /// Reads from `fileDescriptor` (a file or a pipe) until the document ends; does not close it.
    /// - Parameters:
    ///   - chunkSize: bytes per `read(2)`; tests use tiny sizes to cross every boundary.
    ///   - observingBytes: called with each run of input bytes as it is read, in order, before it
    ///     is parsed (e.g. to hash standard input without keeping it). Once `next()` has returned
    ///     `nil` it has seen the whole input, to its end; after an error, the bytes up to the read
    ///     that revealed it.
    public init(fileDescriptor: Int32, path: String, chunkSize: Int = 256 * 1024,
                observingBytes: ((UnsafeBufferPointer<UInt8>) -> Void)? = nil) {
        scanner = JSONScanner(fileDescriptor: fileDescriptor, chunkSize: chunkSize, observer: observingBytes)
        self.path = path
    }

    /// Reads a private copy of `bytes`.
    public init(bytes: [UInt8], path: String) {
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        bytes.withUnsafeBufferPointer { b in
            if let start = b.baseAddress { copy.update(from: start, count: b.count) }
        }
        scanner = JSONScanner(adopting: copy, count: bytes.count)
        self.path = path
    }

    /// The read buffer's size, which only grows: its high-water mark (tests check it stays bounded).
    var bufferCapacity: Int { scanner.capacity }

    init(scanner: consuming JSONScanner, path: String) {
        self.scanner = scanner
        self.path = path
    }

    /// Calls `body` with a reader over `bytes`, scanned in place without a copy.
    public static func withReader<R, E: Error>(
        over bytes: Span<UInt8>, path: String, _ body: (inout ServiceTagsReader) throws(E) -> R
    ) throws(E) -> R {
        try bytes.withUnsafeBufferPointer { (buffer) throws(E) -> R in
            var reader = ServiceTagsReader(scanner: JSONScanner(borrowing: buffer), path: path)
            return try body(&reader)
        }
    }

    /// The next tag in file order, or `nil` at the end of a valid document (the header is then
    /// complete and trailing content has been checked).
    /// - Throws: `ServiceTagsError`; the reader is then finished and throws the same error again.
    public mutating func next() throws(ServiceTagsError) -> ServiceTag? {
        // Offer the last tag's metadata so repeated values (platform, service, features) share
        // storage; the prefix arrays start empty, so returned tags share nothing mutable.
        var tag = ServiceTag(name: "", region: previous.region, platform: previous.platform,
                             systemService: previous.systemService, networkFeatures: previous.networkFeatures)
        guard try next(into: &tag) else { return nil }
        previous.region = tag.region
        previous.platform = tag.platform
        previous.systemService = tag.systemService
        previous.networkFeatures = tag.networkFeatures
        return tag
    }

    /// Overwrites `tag` with the next tag in file order and returns `true`, or returns `false` at
    /// the end of a valid document. The fastest way to stream: `tag`'s prefix arrays are refilled
    /// in place (no allocation once they are large enough) and its strings are kept when the next
    /// tag has the same values.
    /// - Throws: `ServiceTagsError` (then `tag` is partly overwritten); the reader is then finished
    ///   and throws the same error again.
    public mutating func next(into tag: inout ServiceTag) throws(ServiceTagsError) -> Bool {
        do throws(ServiceTagsError) {
            while true {
                switch state {
                case .values(let first):
                    var gap = gaps.entry
                    let next = try nextElement(first: first, gap: &gap)
                    gaps.entry = gap
                    guard let c = next else {
                        topKey = .none
                        state = .members(first: false)
                        continue
                    }
                    state = .values(first: false)
                    tagIndex += 1
                    inEntry = true
                    defer {
                        inEntry = false
                        tagName = nil
                    }
                    try readEntry(startingWith: c, into: &tag)
                    return true
                case .members(let first):
                    try readTopLevelMember(first: first)
                case .start:
                    try readDocumentStart()
                case .done:
                    return false
                case .failed:
                    if let failure { throw failure }
                    return false
                }
            }
        } catch {
            state = .failed
            failure = error
            throw error
        }
    }

    private mutating func readDocumentStart() throws(ServiceTagsError) {
        do { try scanner.skipByteOrderMark() } catch { throw fail(error) }
        let c = try peekValue()
        guard c == UInt8(ascii: "{") else { throw try mismatch(expected: .object, at: c) }
        documentStart = scanner.location(at: scanner.pos)
        scanner.pos += 1
        state = .members(first: true)
    }

    /// Reads one member of the top-level object, or its `}` and the end of the input. Entering
    /// `values` switches to `.values` so `next()` returns its entries one by one.
    private mutating func readTopLevelMember(first: Bool) throws(ServiceTagsError) {
        guard let key = try nextKey(first: first) else { return try finishDocument() }
        state = .members(first: false)
        var seen = sawTopKeys
        let known = try knownKey(key, .document, seen: &seen)
        sawTopKeys = seen
        topKey = known.path
        try consumeColon()
        switch known.index {
        case 0: changeNumber = try optionalInteger()
        case 1: cloud = try optionalString()
        case 2:
            let c = try peekValue()
            guard c == UInt8(ascii: "[") else { throw try mismatch(expected: .array, at: c) }
            scanner.pos += 1
            state = .values(first: true)
            return
        default: try skipValue(depth: 1)
        }
        topKey = .none
    }

    /// After the top-level `}`: only whitespace may follow, and `values` must have been there.
    private mutating func finishDocument() throws(ServiceTagsError) {
        let trailing: UInt8?
        do { trailing = try scanner.peekNonWhitespace() } catch { throw fail(error) }
        if let c = trailing { throw fail(JSONError(.trailingGarbage(c), at: scanner.location(at: scanner.pos))) }
        guard sawTopKeys & 0b100 != 0 else {
            throw fail(.missingKey("values"), at: documentStart)
        }
        state = .done
    }
}

/// One learned gap per place in the schema where members or elements repeat.
struct LearnedGaps {
    /// Between the entries of `values`.
    var entry = LearnedGap()
    /// Between the elements of `addressPrefixes`, and of `networkFeatures`.
    var prefix = LearnedGap()
    var feature = LearnedGap()
}
