/// A deterministic generator of realistic synthetic ServiceTags files of any size.
///
/// Same parameters (seed included), same `file` and same bytes, on every run and platform. The shape
/// follows the real files:
/// - global service tags (`Storage`, region `""`, a `systemService`) that are the union of their
///   regional tags (`Storage.WestEurope`, region `westeurope`) plus a few prefixes of their own;
/// - `AzureCloud.<region>` tags owning disjoint blocks (/14-/32, /40-/64), every regional service
///   prefix carved inside its region's blocks (so prefixes nest across tags), some inside another
///   service's prefix; `AzureCloud` is the union of all regions plus a few extra blocks;
/// - global-only tags (`AzureFrontDoor.Frontend`, no regional variants, partly outside `AzureCloud`);
/// - both families (IPv4 /14-/32 with many /30-/32, IPv6 /40-/128), canonical prefixes, each tag
///   sorted by address then length with no prefix listed twice or inside another of the same tag;
/// - `platform` `"Azure"`, `regionId` 0 for global tags, `networkFeatures` a subset of API/NSG/UDR/FW
///   or `null`.
///
/// Tag order: global tags, regional service tags grouped by service, `AzureCloud.<region>`, then
/// `AzureCloud`. `tags` is exact; `prefixes` (entries summed over tags) is a target met to within a
/// few per cent for sizes above a few hundred.
///
/// ```swift
/// let json = SyntheticServiceTags.jsonBytes(tags: 3_000, prefixes: 93_000, seed: 1)
/// ```
public struct SyntheticServiceTags: Sendable {
    public struct Parameters: Hashable, Sendable {
        /// Number of tags in `values` (exact).
        public var tags: Int
        /// Target number of prefix entries summed over all tags (approximate).
        public var prefixes: Int
        public var seed: UInt64
        public var cloud: String
        /// The top-level `changeNumber`.
        public var changeNumber: Int
        /// Share of prefixes that are IPv6 (0...1).
        public var ipv6Fraction: Double
        /// Share of a regional service prefix carved inside another service's prefix, not a region block.
        public var nestedFraction: Double
        /// Extra prefixes in a union tag (`Storage`, `AzureCloud`), relative to its regional prefixes.
        public var unionExtraFraction: Double

        public init(tags: Int = 40, prefixes: Int = 400, seed: UInt64 = 1, cloud: String = "Public",
                    changeNumber: Int = 375, ipv6Fraction: Double = 0.3, nestedFraction: Double = 0.1,
                    unionExtraFraction: Double = 0.03) {
            precondition(tags >= 0 && prefixes >= 0, "counts must not be negative")
            self.tags = tags
            self.prefixes = prefixes
            self.seed = seed
            self.cloud = cloud
            self.changeNumber = changeNumber
            self.ipv6Fraction = ipv6Fraction
            self.nestedFraction = nestedFraction
            self.unionExtraFraction = unionExtraFraction
        }

        /// The README sample committed as `Fixtures/sample.json`.
        public static let sample = Parameters(tags: 40, prefixes: 400, seed: 20_251_028)
        /// About the size of a real Public file (~3,000 tags, ~93,000 prefixes), for benchmarks.
        public static let publicCloudSize = Parameters(tags: 3_000, prefixes: 93_000, seed: 1)
    }

    public let parameters: Parameters
    public let file: ServiceTagsFile

    /// Generates the file.
    /// - Complexity: O(prefixes log prefixes), plus the blocks' spans (see `SpaceAllocator`).
    public init(_ parameters: Parameters) {
        self.parameters = parameters
        var builder = Builder(parameters)
        self.file = builder.build()
    }

    /// The file in the real files' exact JSON layout.
    public var jsonBytes: [UInt8] { ServiceTagsJSONWriter().bytes(of: file) }

    /// The one-call entry for tests and benchmarks.
    public static func jsonBytes(tags: Int, prefixes: Int, seed: UInt64) -> [UInt8] {
        SyntheticServiceTags(Parameters(tags: tags, prefixes: prefixes, seed: seed)).jsonBytes
    }

    /// The one-call entry when a model is wanted rather than bytes.
    public static func file(tags: Int, prefixes: Int, seed: UInt64) -> ServiceTagsFile {
        SyntheticServiceTags(Parameters(tags: tags, prefixes: prefixes, seed: seed)).file
    }

    /// How many tags of each kind a file of `tags` tags has.
    ///
    /// `1 + regions + services * (regions + 1) + globalOnly == tags` for `tags >= 1`: one `AzureCloud`,
    /// one `AzureCloud.<region>` per region, a global and per-region tag per service, and the rest
    /// global-only. Regions grow like the square root of `tags`, as in the real files (~70 regions).
    public struct Shape: Hashable, Sendable {
        public var regions: Int
        public var services: Int
        public var globalOnly: Int
        /// `false` only for an empty file.
        public var azureCloud: Bool

        public init(tags: Int) {
            azureCloud = tags >= 1
            guard tags >= 2 else { regions = 0; services = 0; globalOnly = 0; return }
            var r = 1
            while (r + 1) * (r + 1) * 5 <= tags * 2 { r += 1 }    // r ~ sqrt(tags / 2.5)
            regions = min(r, tags - 1)
            services = max(0, (tags - 1 - regions) * 85 / 100 / (regions + 1))
            globalOnly = tags - 1 - regions - services * (regions + 1)
        }

        public var tagCount: Int { (azureCloud ? 1 : 0) + regions + services * (regions + 1) + globalOnly }
    }
}
