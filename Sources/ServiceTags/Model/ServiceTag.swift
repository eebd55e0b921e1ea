/// One entry of `values`: a service tag with its metadata and prefixes, as read from the file.
///
/// Invariants: prefixes are canonical (the reader rejects host bits); `ipv4` and `ipv6` keep the
/// file's order (callers that need sorted, duplicate-free lists use `sortedIPv4`/`sortedIPv6`).
/// Optional metadata is `nil` when the key is absent or `null` (the 2019 schema has no `regionId`
/// and no `networkFeatures`).
public struct ServiceTag: Hashable, Sendable {
    public var name: String
    public var id: String
    public var changeNumber: Int?
    public var region: String
    public var regionId: Int?
    public var platform: String
    public var systemService: String
    public var networkFeatures: [String]?
    public var ipv4: [IPv4Prefix]
    public var ipv6: [IPv6Prefix]

    public init(name: String, id: String = "", changeNumber: Int? = nil, region: String = "", regionId: Int? = nil,
                platform: String = "", systemService: String = "", networkFeatures: [String]? = nil,
                ipv4: [IPv4Prefix] = [], ipv6: [IPv6Prefix] = []) {
        self.name = name
        self.id = id
        self.changeNumber = changeNumber
        self.region = region
        self.regionId = regionId
        self.platform = platform
        self.systemService = systemService
        self.networkFeatures = networkFeatures
        self.ipv4 = ipv4
        self.ipv6 = ipv6
    }

    /// Number of prefix entries as listed (duplicates counted).
    public var prefixCount: Int { ipv4.count + ipv6.count }
}

/// A whole ServiceTags file: header and tags in file order.
///
/// Invariant: tag names are unique (the reader rejects duplicates).
public struct ServiceTagsFile: Sendable {
    public var changeNumber: Int?
    public var cloud: String
    public var tags: [ServiceTag]

    public init(changeNumber: Int? = nil, cloud: String = "", tags: [ServiceTag] = []) {
        self.changeNumber = changeNumber
        self.cloud = cloud
        self.tags = tags
    }
}
