/// Something in a pair of files that looks wrong, reported as a warning: never a reason to skip
/// work, and never itself a difference.
///
/// The top-level `changeNumber` is not a reliable change signal, so the diff never trusts it to
/// mean "same" or "different"; only its going *down* is flagged.
public enum DiffAnomaly: Sendable, Hashable, CustomStringConvertible {
    /// OLD and NEW are from different clouds (the CLI makes this an error unless allowed).
    case cloudMismatch(old: String, new: String)
    /// NEW's top-level `changeNumber` is lower than OLD's: files swapped, or an older copy.
    case fileChangeNumberDecreased(old: Int, new: Int)
    /// A tag's `changeNumber` is lower in NEW.
    case tagChangeNumberDecreased(tag: String, old: Int, new: Int)
    /// A tag's prefixes changed but its `changeNumber` did not.
    case prefixesChangedWithoutChangeNumber(tag: String, changeNumber: Int?)
    /// A tag's `changeNumber` changed but its prefixes did not.
    case changeNumberChangedWithoutPrefixes(tag: String, old: Int?, new: Int?)

    public var description: String {
        switch self {
        case .cloudMismatch(let old, let new):
            return "OLD is from cloud '\(old)' but NEW is from cloud '\(new)'"
        case .fileChangeNumberDecreased(let old, let new):
            return "NEW has a lower changeNumber than OLD (\(old) -> \(new)); are the files swapped?"
        case .tagChangeNumberDecreased(let tag, let old, let new):
            return "tag \(tag): changeNumber went down (\(old) -> \(new))"
        case .prefixesChangedWithoutChangeNumber(let tag, let n):
            return "tag \(tag): prefixes changed but changeNumber did not (\(n.map(String.init) ?? "absent"))"
        case .changeNumberChangedWithoutPrefixes(let tag, let old, let new):
            return "tag \(tag): changeNumber changed (\(old.map(String.init) ?? "absent") -> \(new.map(String.init) ?? "absent")) but its prefixes did not"
        }
    }
}
