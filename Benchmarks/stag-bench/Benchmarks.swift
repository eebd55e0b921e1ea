import ServiceTags
import ServiceTagsTestSupport

enum Benchmarks {
    /// The package root, from this file's path (Benchmarks/stag-bench/Benchmarks.swift).
    static let packageRoot: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The named file, else the newest real Public file, else a synthetic file of the same shape.
    static func input(_ explicit: String?, _ directories: [String]) -> (String, [UInt8]) {
        if let explicit, let bytes = Harness.readFile(explicit) { return (explicit, bytes) }
        for dir in directories {
            for name in ["ServiceTags_Public_20251028.json", "ServiceTags_Public_20251013.json"] where Harness.exists(dir + "/" + name) {
                return (dir + "/" + name, Harness.readFile(dir + "/" + name)!)
            }
        }
        Output.err("stag-bench: no real file found; generating one of the same shape (3,000 tags, 93,000 prefixes)")
        return ("<synthetic>", SyntheticServiceTags(.publicCloudSize).jsonBytes)
    }

    /// Streams every tag through one reused `ServiceTag` and counts the prefixes.
    @inline(never)
    static func countPairs(_ bytes: [UInt8], path: String) -> UInt64 {
        try! ServiceTagsReader.withReader(over: bytes.span, path: path) { (reader) throws(ServiceTagsError) -> UInt64 in
            var tag = ServiceTag(name: "")
            var count: UInt64 = 0
            while try reader.next(into: &tag) { count &+= UInt64(tag.prefixCount) }
            return count
        }
    }

    struct Queries { var v4Hits: [UInt32] = [], v4Misses: [UInt32] = [], v6Hits: [UInt128] = [], v6Misses: [UInt128] = [] }

    /// Seeded addresses: hits are random addresses inside random distinct prefixes; misses are
    /// random addresses that the index confirms fall in no prefix.
    static func queries(_ index: TagIndex, count: Int, seed: UInt64) -> Queries {
        var rng = SplitMix64(seed: seed)
        var q = Queries()
        let p4 = index.ipv4.prefixes, p6 = index.ipv6.prefixes
        while q.v4Hits.count < count {
            let p = p4[Int.random(in: 0..<p4.count, using: &rng)]
            q.v4Hits.append(p.address.bits | (UInt32.random(in: 0...UInt32.max, using: &rng) & ~p.mask))
        }
        while q.v4Misses.count < count {
            let a = UInt32.random(in: 0...UInt32.max, using: &rng)
            if index.ipv4.node(containing: IPv4Address(bits: a)) == nil { q.v4Misses.append(a) }
        }
        while q.v6Hits.count < count {
            let p = p6[Int.random(in: 0..<p6.count, using: &rng)]
            let r = UInt128(rng.next()) << 64 | UInt128(rng.next())
            q.v6Hits.append(p.address.bits | (r & ~p.mask))
        }
        // IPv6 misses near the data (inside the /16s Azure uses) so they walk the table, not just the root.
        let v6Roots = Array(Set(p6.map { $0.address.bits >> 112 }))
        while q.v6Misses.count < count {
            let top = v6Roots[Int.random(in: 0..<v6Roots.count, using: &rng)]
            let a = top << 112 | (UInt128(rng.next()) << 64 | UInt128(rng.next())) >> 16
            if index.ipv6.node(containing: IPv6Address(bits: a)) == nil { q.v6Misses.append(a) }
        }
        return q
    }

    @inline(never)
    static func lookups<A>(_ family: FamilyIndex<A>, _ addresses: [A.Bits]) {
        var s: UInt64 = 0
        for a in addresses { s &+= UInt64(family.node(containing: A(bits: a)) ?? 0) }
        Harness.sink &+= s
    }

    /// The whole-process timings the issues ask for (median of 15 runs each).
    static func processes(stag: String, path: String, dataDirectories: [String]) -> [(String, String, [String])] {
        var list: [(String, String, [String])] = [
            ("`stag lookup 20.62.130.5 --data <public file>` (whole process)", "≤ 30 ms", [stag, "lookup", "20.62.130.5", "--data", path]),
            ("`stag lookup 2603:1030:210::185 --data <public file>` (whole process)", "≤ 30 ms", [stag, "lookup", "2603:1030:210::185", "--data", path]),
            ("`stag export AzureCloud --aggregate --data <public file>` (whole process)", "≤ 30 ms",
             [stag, "export", "AzureCloud", "--aggregate", "--data", path]),
        ]
        // The diff pair: the two consecutive Public files, when both are there.
        for dir in dataDirectories {
            let old = dir + "/ServiceTags_Public_20251013.json", new = dir + "/ServiceTags_Public_20251028.json"
            guard Harness.exists(old) && Harness.exists(new) else { continue }
            list.append(("`stag diff OLD NEW` of the two real Public files (whole process)", "≤ 40 ms", [stag, "diff", old, new]))
            list.append(("`stag diff OLD NEW --semantic` (whole process)", "≤ 60 ms", [stag, "diff", old, new, "--semantic"]))
            break
        }
        return list
    }
}
