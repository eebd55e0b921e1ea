/// Something in a pair of files that looks wrong, reported as a warning: never a reason to skip
/// work, and never itself a difference.
///
/// The top-level `changeNumber` is not a reliable change signal, so the diff never trusts it to
/// mean "same" or "different"; it only flags where it disagrees with what the files hold.
///
/// Invariant: `kind` is one of `cloudMismatch`, `changeNumberDecreased`,
/// `changedWithoutChangeNumber`, `changeNumberWithoutChange`; `tag` is `nil` for the file as a whole.
public enum DiffAnomaly: Sendable, Hashable, CustomStringConvertible {
    /// OLD and NEW are from different clouds (the CLI makes this an error unless allowed).
    case cloudMismatch(old: String, new: String)
    /// NEW's top-level `changeNumber` is lower than OLD's: files swapped, or an older copy.
    /// `namesReversed`: the dates in the two file names are reversed too (then, and only then, the
    /// message asks whether the files were swapped).
    case fileChangeNumberDecreased(old: Int, new: Int, namesReversed: Bool)
    /// Some tag's prefixes changed (or a tag with prefixes came or went) but the top-level
    /// `changeNumber` is the same in both files.
    case fileChangedWithoutChangeNumber(changeNumber: Int)
    /// The top-level `changeNumber` went up but no tag's prefixes changed (only checked when every
    /// tag is compared: a selection cannot see the others).
    case fileChangeNumberChangedWithoutChange(old: Int, new: Int)
    /// A tag's `changeNumber` is lower in NEW.
    case tagChangeNumberDecreased(tag: String, old: Int, new: Int)
    /// A tag's prefixes changed but its `changeNumber` did not.
    case prefixesChangedWithoutChangeNumber(tag: String, changeNumber: Int?)
    /// A tag's `changeNumber` changed but its prefixes did not.
    case changeNumberChangedWithoutPrefixes(tag: String, old: Int?, new: Int?)

    /// The stable name of the kind, as `stag diff --json` writes it.
    public var kind: String {
        switch self {
        case .cloudMismatch: "cloudMismatch"
        case .fileChangeNumberDecreased, .tagChangeNumberDecreased: "changeNumberDecreased"
        case .fileChangedWithoutChangeNumber, .prefixesChangedWithoutChangeNumber: "changedWithoutChangeNumber"
        case .fileChangeNumberChangedWithoutChange, .changeNumberChangedWithoutPrefixes: "changeNumberWithoutChange"
        }
    }

    /// The tag concerned, or `nil` for the file as a whole.
    public var tag: String? {
        switch self {
        case .cloudMismatch, .fileChangeNumberDecreased, .fileChangedWithoutChangeNumber,
             .fileChangeNumberChangedWithoutChange: nil
        case .tagChangeNumberDecreased(let tag, _, _), .prefixesChangedWithoutChangeNumber(let tag, _),
             .changeNumberChangedWithoutPrefixes(let tag, _, _): tag
        }
    }

    /// Whether this is an anomaly of the publication itself (what `stag diff --strict` refuses).
    /// A cloud mismatch is the user's choice of files (`--allow-cloud-mismatch`), not Microsoft's.
    public var isPublicationAnomaly: Bool {
        if case .cloudMismatch = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .cloudMismatch(let old, let new):
            return "OLD is from cloud '\(old)' but NEW is from cloud '\(new)'"
        case .fileChangeNumberDecreased(let old, let new, let namesReversed):
            return "NEW has a lower changeNumber than OLD (\(old) -> \(new))"
                + (namesReversed ? "; are the files swapped?" : "")
        case .fileChangedWithoutChangeNumber(let n):
            return "prefixes changed but the file's changeNumber did not (\(n))"
        case .fileChangeNumberChangedWithoutChange(let old, let new):
            return "the file's changeNumber changed (\(old) -> \(new)) but no tag's prefixes did"
        case .tagChangeNumberDecreased(let tag, let old, let new):
            return "tag \(tag): changeNumber went down (\(old) -> \(new))"
        case .prefixesChangedWithoutChangeNumber(let tag, let n):
            return "tag \(tag): prefixes changed but changeNumber did not (\(n.map(String.init) ?? "absent"))"
        case .changeNumberChangedWithoutPrefixes(let tag, let old, let new):
            return "tag \(tag): changeNumber changed (\(old.map(String.init) ?? "absent") -> \(new.map(String.init) ?? "absent")) but its prefixes did not"
        }
    }
}
