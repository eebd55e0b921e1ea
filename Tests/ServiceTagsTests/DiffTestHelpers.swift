import ServiceTagsTestSupport

/// Building small ServiceTags files in code for the diff suites (documentation prefixes only).
enum DiffTesting {
    /// A tag with `prefixes` in the order given, split by family.
    static func tag(_ name: String, changeNumber: Int? = 1, region: String = "", regionId: Int? = 0,
                    systemService: String = "", networkFeatures: [String]? = ["API", "NSG"],
                    _ prefixes: String...) -> ServiceTag {
        var t = ServiceTag(name: name, id: name, changeNumber: changeNumber, region: region, regionId: regionId,
                           platform: "Azure", systemService: systemService, networkFeatures: networkFeatures)
        for text in prefixes {
            switch try! IPPrefix(parsing: text) {
            case .v4(let p): t.ipv4.append(p)
            case .v6(let p): t.ipv6.append(p)
            }
        }
        return t
    }

    static func file(_ tags: ServiceTag..., changeNumber: Int? = 1, cloud: String = "Public") -> ServiceTagsFile {
        ServiceTagsFile(changeNumber: changeNumber, cloud: cloud, tags: tags)
    }

    /// The canonical texts of a prefix list, IPv4 first (what the CLI prints).
    static func texts(_ list: PrefixList) -> [String] { list.all.map(\.description) }
}
