/// One metadata field of a tag whose value differs between OLD and NEW.
///
/// The per-tag `changeNumber` is not here: `TagDiff` carries it on its own, because it is reported
/// for every listed tag, changed or not.
public struct MetadataChange: Sendable, Hashable {
    /// The compared fields, in the order they are reported.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case id, region, regionId, platform, systemService, networkFeatures
    }

    /// A field's value on one side. `.absent` is a key that is missing or `null` (the 2019 schema
    /// has no `regionId` and no `networkFeatures`).
    public enum Value: Sendable, Hashable {
        case string(String)
        case integer(Int)
        case strings([String])
        case absent
    }

    public let field: Field
    public let old: Value
    public let new: Value

    public init(field: Field, old: Value, new: Value) {
        self.field = field
        self.old = old
        self.new = new
    }

    /// The fields that differ between two versions of one tag, in `Field` order.
    ///
    /// `networkFeatures` are compared as sets: a reordering of the same features is not a change
    /// (the values keep the files' order when one is reported).
    /// - Complexity: O(f log f) for f network features; no allocation when nothing changed.
    public static func changes(from old: ServiceTag, to new: ServiceTag) -> [MetadataChange] {
        var out: [MetadataChange] = []
        if old.id != new.id { out.append(.init(field: .id, old: .string(old.id), new: .string(new.id))) }
        if old.region != new.region {
            out.append(.init(field: .region, old: .string(old.region), new: .string(new.region)))
        }
        if old.regionId != new.regionId {
            out.append(.init(field: .regionId, old: Value(old.regionId), new: Value(new.regionId)))
        }
        if old.platform != new.platform {
            out.append(.init(field: .platform, old: .string(old.platform), new: .string(new.platform)))
        }
        if old.systemService != new.systemService {
            out.append(.init(field: .systemService, old: .string(old.systemService), new: .string(new.systemService)))
        }
        if !sameFeatures(old.networkFeatures, new.networkFeatures) {
            out.append(.init(field: .networkFeatures, old: Value(old.networkFeatures), new: Value(new.networkFeatures)))
        }
        return out
    }

    /// Set equality of two optional feature lists; `nil` (absent) differs from `[]`.
    static func sameFeatures(_ a: [String]?, _ b: [String]?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let a?, let b?): return a == b || Set(a) == Set(b)
        default: return false
        }
    }
}

extension MetadataChange.Value {
    init(_ value: Int?) { self = value.map { .integer($0) } ?? .absent }
    init(_ value: [String]?) { self = value.map { .strings($0) } ?? .absent }
}
