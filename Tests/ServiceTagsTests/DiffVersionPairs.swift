import ServiceTagsTestSupport

/// Seeded random OLD/NEW pairs that look like consecutive weekly files: NEW is OLD with prefixes
/// added, removed, split into halves, merged with their sibling, duplicated and reordered; tags
/// added, dropped and reordered; metadata and change numbers changed (sometimes inconsistently, so
/// the anomalies fire too). Prefixes stay inside a few small documentation-style universes so that
/// random edits overlap, nest and touch.
enum DiffVersionPairs {
    static let v4Universes = ["192.0.2.0/24", "198.51.100.0/24", "10.20.0.0/20", "0.0.0.0/26"].map(SetTesting.v4)
    static let v6Universes = ["2001:db8::/116", "2001:db8:ffff::/120", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120"]
        .map(SetTesting.v6)
    static let stems = ["AzureCloud", "Storage", "Sql", "a", "B", "zeta", "\u{00C4}pp"]
    static let regions = ["", "eastus", "westeurope", "EastUS2"]

    static func pair(seed: UInt64) -> (old: ServiceTagsFile, new: ServiceTagsFile) {
        var rng = SplitMix64(seed: seed)
        var serial = 0
        func freshTag() -> ServiceTag {
            serial += 1
            let name = stems.randomElement(using: &rng)! + (Bool.random(using: &rng) ? "." : "-") + String(serial)
            var tag = ServiceTag(name: name, id: name, changeNumber: Int.random(in: 1...20, using: &rng),
                                 region: regions.randomElement(using: &rng)!, regionId: Int.random(in: 0...3, using: &rng),
                                 platform: "Azure", systemService: "", networkFeatures: ["API", "NSG"])
            let u4 = v4Universes.randomElement(using: &rng)!, u6 = v6Universes.randomElement(using: &rng)!
            tag.ipv4 = IPv4Prefix.randomList(in: u4, maxCount: 16, using: &rng)
            tag.ipv6 = IPv6Prefix.randomList(in: u6, maxCount: 8, using: &rng)
            return tag
        }
        let old = ServiceTagsFile(changeNumber: 300, cloud: "Public",
                                  tags: (0..<Int.random(in: 0...20, using: &rng)).map { _ in freshTag() })
        var new = old
        new.changeNumber = 300 + Int.random(in: 0...2, using: &rng)
        new.tags = []
        for var tag in old.tags {
            if Int.random(in: 0..<10, using: &rng) == 0 { continue } // dropped
            if Bool.random(using: &rng) {
                let before = (Set(tag.ipv4), Set(tag.ipv6))
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    if Bool.random(using: &rng) {
                        edit(&tag.ipv4, universe: v4Universes.randomElement(using: &rng)!, using: &rng)
                    } else {
                        edit(&tag.ipv6, universe: v6Universes.randomElement(using: &rng)!, using: &rng)
                    }
                }
                let changed = before != (Set(tag.ipv4), Set(tag.ipv6))
                // Usually the number moves with the prefixes; one time in eight it misbehaves.
                if changed != (Int.random(in: 0..<8, using: &rng) == 0) {
                    tag.changeNumber = tag.changeNumber.map { $0 + Int.random(in: -1...3, using: &rng) }
                }
            }
            switch Int.random(in: 0..<12, using: &rng) {
            case 0: tag.region = regions.randomElement(using: &rng)!
            case 1: tag.regionId = nil
            case 2: tag.networkFeatures = Bool.random(using: &rng) ? ["NSG", "API"] : ["API", "NSG", "FW"]
            case 3: tag.systemService = "AzureStorage"
            default: break
            }
            new.tags.append(tag)
        }
        for _ in 0..<Int.random(in: 0...3, using: &rng) { new.tags.append(freshTag()) }
        if Int.random(in: 0..<3, using: &rng) == 0 { new.tags.shuffle(using: &rng) }
        return (old, new)
    }

    /// One random edit of a prefix list: add, remove, split into halves, merge with the sibling,
    /// duplicate, or reorder.
    static func edit<A>(_ list: inout [Prefix<A>], universe: Prefix<A>, using rng: inout SplitMix64) {
        guard !list.isEmpty else {
            list.append(Prefix.random(in: universe, using: &rng))
            return
        }
        let i = Int.random(in: 0..<list.count, using: &rng)
        let p = list[i]
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:
            list.append(Prefix.random(in: universe, using: &rng))
        case 1:
            list.remove(at: i)
        case 2 where Int(p.length) < A.bitWidth:
            let half = Int(p.length) + 1
            let high = A(bits: p.address.bits | (A.Bits(1) << (A.bitWidth - half)))
            list.replaceSubrange(i...i, with: [Prefix(address: p.address, length: half)!, Prefix(address: high, length: half)!])
        case 3 where p.length > 0:
            // Merge with the sibling when it is listed (a re-expression); otherwise list the sibling.
            let parent = Prefix(masking: p.address, length: Int(p.length) - 1)
            let sibling = Prefix(unmasked: parent, other: p)
            if let j = list.firstIndex(of: sibling) {
                list.removeAll { $0 == p || $0 == sibling }
                list.insert(parent, at: min(i, j, list.count))
            } else {
                list.append(sibling)
            }
        case 4:
            list.append(p)
        default:
            list.shuffle(using: &rng)
        }
    }
}

extension Prefix {
    /// The other half of `parent` than `child`.
    fileprivate init(unmasked parent: Prefix<A>, other child: Prefix<A>) {
        let length = Int(child.length)
        let bit = A.Bits(1) << (A.bitWidth - length)
        self = Prefix(address: A(bits: child.address.bits ^ bit), length: length)!
        assert(parent.contains(self))
    }
}
