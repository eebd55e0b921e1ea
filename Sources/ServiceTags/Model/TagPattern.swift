/// A tag selector from the command line: an exact name, or a shell-style glob (`Storage.*`,
/// `AzureCloud.?astus`, `Sql.[EW]*`) when it contains `*`, `?` or `[`.
///
/// Matching is case-sensitive (tag names are), on Unicode scalars.
public struct TagPattern: Hashable, Sendable, CustomStringConvertible {
    public let text: String
    public let isGlob: Bool
    private let scalars: [Unicode.Scalar]

    public init(_ text: String) {
        self.text = text
        scalars = Array(text.unicodeScalars)
        isGlob = text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    public var description: String { text }

    /// Whether `name` matches.
    /// - Complexity: O(|pattern| · |name|) in the worst case (iterative backtracking on `*`).
    public func matches(_ name: String) -> Bool {
        if !isGlob { return name == text }
        let s = Array(name.unicodeScalars)
        var p = 0, i = 0
        var starP = -1, starI = 0
        while i < s.count {
            if p < scalars.count, let next = matchOne(at: p, s[i]) {
                p = next
                i += 1
            } else if p < scalars.count && scalars[p] == "*" {
                starP = p
                starI = i
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starI += 1
                i = starI
            } else {
                return false
            }
        }
        while p < scalars.count && scalars[p] == "*" { p += 1 }
        return p == scalars.count
    }

    /// If the pattern element at `p` (not `*`) matches `c`, the index after it.
    private func matchOne(at p: Int, _ c: Unicode.Scalar) -> Int? {
        switch scalars[p] {
        case "*": return nil
        case "?": return p + 1
        case "[":
            var q = p + 1
            var negate = false
            if q < scalars.count && (scalars[q] == "!" || scalars[q] == "^") { negate = true; q += 1 }
            var matched = false
            var first = true
            while q < scalars.count && (scalars[q] != "]" || first) {
                first = false
                if q + 2 < scalars.count && scalars[q + 1] == "-" && scalars[q + 2] != "]" {
                    if scalars[q] <= c && c <= scalars[q + 2] { matched = true }
                    q += 3
                } else {
                    if scalars[q] == c { matched = true }
                    q += 1
                }
            }
            // An unterminated `[` is a literal bracket.
            if q >= scalars.count { return c == "[" ? p + 1 : nil }
            return matched != negate ? q + 1 : nil
        default:
            return scalars[p] == c ? p + 1 : nil
        }
    }
}

extension Sequence where Element == TagPattern {
    /// Whether any pattern matches `name`.
    public func anyMatches(_ name: String) -> Bool { contains { $0.matches(name) } }
}
