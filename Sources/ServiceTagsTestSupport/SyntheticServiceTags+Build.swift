/// The generator's body: prefix budget, region blocks, carved service prefixes, unions, metadata.
extension SyntheticServiceTags {
    struct Builder {
        let p: Parameters
        var rng: SplitMix64
        var v4 = SpaceAllocator<IPv4Address>.azureLike()
        var v6 = SpaceAllocator<IPv6Address>.azureLike()

        init(_ parameters: Parameters) {
            p = parameters
            rng = SplitMix64(seed: parameters.seed)
        }

        /// Leaf tags' prefix counts; union tags get theirs from their leaves.
        struct Budget {
            var region: [Int] = []
            var regional: [[Int]] = []   // [service][region]
            var global: [Int] = []
        }

        /// Splits `p.prefixes` over the leaf tags in proportion to skewed random weights (a few big
        /// tags, many small ones). Regional leaves count twice because their union tag repeats them.
        mutating func budget(_ shape: Shape) -> Budget {
            var weights: [(weight: Int, multiplicity: Int)] = []
            for _ in 0..<shape.regions { weights.append((6 * (1 + rng.int(in: 0...3)) << rng.int(in: 0...2), 2)) }
            let popularity = (0..<shape.services).map { _ in 1 << rng.int(in: 0...3) }
            for s in 0..<shape.services {
                for _ in 0..<shape.regions { weights.append((popularity[s] * (1 + rng.int(in: 0...2)), 2)) }
            }
            for _ in 0..<shape.globalOnly { weights.append((2 << rng.int(in: 0...3), 1)) }
            let total = weights.reduce(0) { $0 + $1.weight * $1.multiplicity }
            let scale = Double(p.prefixes) / (1 + p.unionExtraFraction) / Double(max(total, 1))
            // Cumulative rounding keeps the sum on target instead of losing a fraction per tag.
            var counts: [Int] = [], acc = 0.0, previous = 0
            for w in weights {
                acc += Double(w.weight) * scale
                let rounded = Self.roundedDown(acc + 0.5)
                counts.append(max(1, rounded - previous))
                previous = rounded
            }
            var b = Budget(), i = 0
            b.region = Array(counts[i..<i + shape.regions]); i += shape.regions
            for _ in 0..<shape.services { b.regional.append(Array(counts[i..<i + shape.regions])); i += shape.regions }
            b.global = Array(counts[i...])
            return b
        }

        /// A service prefix of a random length inside `blocks`, or inside another service's prefix in
        /// `pool` (nesting across tags), remembered in `pool` for later services.
        mutating func carveService<A: IPAddressFamily>(
            _ blocks: [Prefix<A>], _ pool: inout [(service: Int, prefix: Prefix<A>)], service: Int,
            _ table: [(Int, Int)]
        ) -> Prefix<A> {
            let length = LengthDistribution.draw(table, &rng)
            var host = rng.element(of: blocks), nested = false
            if rng.chance(p.nestedFraction), !pool.isEmpty {
                let candidate = rng.element(of: pool)
                if candidate.service != service, Int(candidate.prefix.length) < A.bitWidth {
                    host = candidate.prefix
                    nested = true
                }
            }
            // Strictly inside the other service's prefix, so the nesting is real, not a duplicate.
            let carved = rng.carve(inside: host, length: max(length, Int(host.length) + (nested ? 1 : 0)))
            pool.append((service, carved))
            return carved
        }

        mutating func build() -> ServiceTagsFile {
            let shape = Shape(tags: p.tags)
            var file = ServiceTagsFile(changeNumber: p.changeNumber, cloud: p.cloud, tags: [])
            guard shape.azureCloud else { return file }
            let regions = (0..<shape.regions).map(SyntheticServiceTags.region)
            let services = (0..<shape.services).map(SyntheticServiceTags.service)
            let globals = (0..<shape.globalOnly).map(SyntheticServiceTags.globalService)
            let budget = budget(shape)

            // Region blocks: disjoint across regions and from every other allocated block.
            var blocks4: [[IPv4Prefix]] = [], blocks6: [[IPv6Prefix]] = []
            for r in regions.indices {
                let k = budget.region[r]
                var n6 = (0..<k).reduce(0) { n, _ in n + (rng.chance(p.ipv6Fraction) ? 1 : 0) }
                let n4 = max(1, k - n6)
                if p.ipv6Fraction > 0 { n6 = max(1, n6) }
                blocks4.append((0..<n4).compactMap { _ in v4.allocate(length: LengthDistribution.draw(LengthDistribution.v4Block, &rng), &rng) })
                blocks6.append((0..<n6).compactMap { _ in v6.allocate(length: LengthDistribution.draw(LengthDistribution.v6Block, &rng), &rng) })
            }

            // Regional service tags, carved inside their region's blocks.
            var pool4 = [[(service: Int, prefix: IPv4Prefix)]](repeating: [], count: regions.count)
            var pool6 = [[(service: Int, prefix: IPv6Prefix)]](repeating: [], count: regions.count)
            var regional: [[ServiceTag]] = []
            for s in services.indices {
                let features = drawFeatures()
                regional.append(regions.indices.map { r in
                    var tag = ServiceTag(name: services[s].name + "." + regions[r].display, region: regions[r].name,
                                         regionId: regions[r].id, systemService: services[s].systemService,
                                         networkFeatures: features)
                    for _ in 0..<budget.regional[s][r] {
                        if rng.chance(p.ipv6Fraction), !blocks6[r].isEmpty {
                            tag.ipv6.append(carveService(blocks6[r], &pool6[r], service: s, LengthDistribution.v6Service))
                            if rng.chance(Self.siblingChance), let t = Self.sibling(of: tag.ipv6.last!, within: blocks6[r]) { tag.ipv6.append(t) }
                        } else {
                            tag.ipv4.append(carveService(blocks4[r], &pool4[r], service: s, LengthDistribution.v4Service))
                            if rng.chance(Self.siblingChance), let t = Self.sibling(of: tag.ipv4.last!, within: blocks4[r]) { tag.ipv4.append(t) }
                        }
                    }
                    tag.changeNumber = rng.int(in: 1...60)
                    return tag
                })
            }

            // Global service tags: the union of their regional tags, plus a few prefixes of their own.
            var serviceGlobals: [ServiceTag] = []
            for s in services.indices {
                var tag = ServiceTag(name: services[s].name, region: "", regionId: 0, systemService: services[s].systemService,
                                     networkFeatures: regional[s].first?.networkFeatures)
                for t in regional[s] { tag.ipv4 += t.ipv4; tag.ipv6 += t.ipv6 }
                let extras = Self.roundedDown(Double(tag.prefixCount) * p.unionExtraFraction + 0.5)
                // An extra must not overlap a member, or normalising would drop members and the
                // union would no longer list every regional prefix exactly (the real files do).
                for _ in 0..<extras {
                    let r = rng.int(in: regions.indices)
                    if rng.chance(p.ipv6Fraction), !blocks6[r].isEmpty {
                        let e = rng.carve(inside: rng.element(of: blocks6[r]), length: LengthDistribution.draw(LengthDistribution.v6Service, &rng))
                        if !tag.ipv6.contains(where: { $0.overlaps(e) }) { tag.ipv6.append(e) }
                    } else {
                        let e = rng.carve(inside: rng.element(of: blocks4[r]), length: LengthDistribution.draw(LengthDistribution.v4Service, &rng))
                        if !tag.ipv4.contains(where: { $0.overlaps(e) }) { tag.ipv4.append(e) }
                    }
                }
                tag.changeNumber = (regional[s].compactMap(\.changeNumber).max() ?? 0) + rng.int(in: 0...10)
                serviceGlobals.append(tag)
            }

            // Global-only tags: partly inside region blocks, partly in space of their own.
            var globalOnly: [ServiceTag] = []
            for g in globals {
                var tag = ServiceTag(name: g.name, changeNumber: rng.int(in: 1...40), region: "", regionId: 0,
                                     systemService: g.systemService, networkFeatures: drawFeatures())
                for _ in 0..<budget.global[globalOnly.count] {
                    let length6 = LengthDistribution.draw(LengthDistribution.v6Service, &rng)
                    let length4 = LengthDistribution.draw(LengthDistribution.v4Service, &rng)
                    let inside = !regions.isEmpty && rng.chance(0.6)
                    let r = regions.isEmpty ? 0 : rng.int(in: regions.indices)
                    if rng.chance(p.ipv6Fraction) {
                        if inside, !blocks6[r].isEmpty { tag.ipv6.append(rng.carve(inside: rng.element(of: blocks6[r]), length: length6)) }
                        else if let b = v6.allocate(length: length6, &rng) { tag.ipv6.append(b) }
                    } else {
                        if inside { tag.ipv4.append(rng.carve(inside: rng.element(of: blocks4[r]), length: length4)) }
                        else if let b = v4.allocate(length: length4, &rng) { tag.ipv4.append(b) }
                    }
                }
                globalOnly.append(tag)
            }

            // AzureCloud.<region> owns the blocks; AzureCloud is their union plus a few extra blocks
            // (fresh from the allocators, so disjoint from every region block).
            let cloudFeatures: [String] = ["API", "NSG"]
            let regionTags = regions.indices.map { r in
                ServiceTag(name: "AzureCloud." + regions[r].name, changeNumber: rng.int(in: 20...200), region: regions[r].name,
                           regionId: regions[r].id, networkFeatures: cloudFeatures, ipv4: blocks4[r], ipv6: blocks6[r])
            }
            var azureCloud = ServiceTag(name: "AzureCloud", changeNumber: rng.int(in: 250...300), regionId: 0,
                                        networkFeatures: cloudFeatures)
            for t in regionTags { azureCloud.ipv4 += t.ipv4; azureCloud.ipv6 += t.ipv6 }
            let extras = regions.isEmpty ? max(1, p.prefixes) : Self.roundedDown(Double(azureCloud.prefixCount) * p.unionExtraFraction + 0.5)
            for _ in 0..<extras {
                if rng.chance(p.ipv6Fraction) {
                    if let b = v6.allocate(length: LengthDistribution.draw(LengthDistribution.v6Block, &rng), &rng) { azureCloud.ipv6.append(b) }
                } else if let b = v4.allocate(length: LengthDistribution.draw(LengthDistribution.v4Block, &rng), &rng) {
                    azureCloud.ipv4.append(b)
                }
            }

            var tags: [ServiceTag] = []
            for i in 0..<max(serviceGlobals.count, globalOnly.count) {
                if i < serviceGlobals.count { tags.append(serviceGlobals[i]) }
                if i < globalOnly.count { tags.append(globalOnly[i]) }
            }
            for group in regional { tags += group.sorted { $0.name < $1.name } }
            tags += regionTags.sorted { $0.name < $1.name }
            tags.append(azureCloud)
            file.tags = tags.map(Self.finished)
            return file
        }

        /// `Int(x)` truncates, which is flooring for the non-negative values used here; `rounded()`
        /// would pull in libm, which this target does not link without Foundation.
        static func roundedDown(_ x: Double) -> Int { Int(x) }

        /// Real tags often list both halves of a larger block (`.../32` pairs, `/24` pairs); next week
        /// may merge them.
        static let siblingChance = 0.08

        /// The other half of `p`'s parent, if that parent still lies inside one of `blocks`.
        static func sibling<A>(of p: Prefix<A>, within blocks: [Prefix<A>]) -> Prefix<A>? {
            guard p.length > 0, let s = Prefix(address: A(bits: p.address.bits ^ A.Bits(1) << (A.bitWidth - Int(p.length))), length: Int(p.length)),
                  blocks.contains(where: { $0.contains(s) }) else { return nil }
            return s
        }

        mutating func drawFeatures() -> [String]? {
            SyntheticServiceTags.featureChoices[rng.weightedIndex(SyntheticServiceTags.featureChoices.map(\.weight))].features
        }

        /// `id` mirrors `name`, platform is Azure, prefixes in the per-tag normal form.
        static func finished(_ tag: ServiceTag) -> ServiceTag {
            var t = tag
            t.id = t.name
            t.platform = "Azure"
            t.ipv4 = t.ipv4.normalizedPrefixes()
            t.ipv6 = t.ipv6.normalizedPrefixes()
            return t
        }
    }
}
