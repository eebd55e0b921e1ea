/// Which tags a command works on: exact names and shell globs (`--tag NAME`, `stag export TAG...`),
/// or every tag when no pattern is given. Export, diff, lookup, grep and history all select (and
/// refuse) through this one type, so a name or glob means the same thing everywhere.
///
/// Strict resolution refuses a pattern that selects nothing: an unmatched exact name is most
/// likely a typo (it gets near-name suggestions, a wrong-case name first), and a nightly job
/// silently selecting nothing would report "no differences" forever.
///
/// Invariant: `patterns` keeps the order given, so an error names the first pattern that fails.
public struct TagSelection: Hashable, Sendable {
    public let patterns: [TagPattern]

    public init(_ patterns: [TagPattern]) { self.patterns = patterns }

    /// Patterns from command-line texts.
    public init(texts: some Sequence<String>) { patterns = texts.map(TagPattern.init) }

    /// Every tag.
    public static var all: TagSelection { TagSelection([TagPattern]()) }

    /// No pattern given: every tag is selected.
    public var selectsAll: Bool { patterns.isEmpty }

    /// Whether the tag named `name` is selected.
    /// - Complexity: O(patterns · |name|).
    public func contains(_ name: String) -> Bool { patterns.isEmpty || patterns.anyMatches(name) }

    /// The positions in `names` of the selected tags, ascending, each once (a file repeating a
    /// name gives every position of it).
    ///
    /// - Throws: `.unknownTag` (with near names) for an exact name not in `names`, `.noTagMatches`
    ///   for a glob matching none of them.
    /// - Complexity: O(T · p) for T names and p patterns; exact names are hashed once past a few.
    public func positions(in names: [String]) throws(TagSelectionError) -> [Int] {
        try check([names], scope: .file)
        return matchingPositions(in: names)
    }

    /// The positions in `names` of the selected tags, ascending; a pattern matching none of them
    /// is not an error (one side of a diff may lack a tag).
    /// - Complexity: O(T · g) for T names and g globs, plus O(T) to hash names past a few exact ones.
    public func matchingPositions(in names: [String]) -> [Int] {
        if patterns.isEmpty { return Array(names.indices) }
        let exact = patterns.filter { !$0.isGlob }.map(\.text)
        let globs = patterns.filter(\.isGlob)
        // A few exact names (the usual case) are compared; hashing ~3,000 names costs more.
        let hashed = exact.count > 8 ? Set(exact) : nil
        return names.indices.filter { i in
            (hashed?.contains(names[i]) ?? exact.contains(names[i])) || globs.anyMatches(names[i])
        }
    }

    /// Checks that every pattern selects a name in at least one of `lists`.
    /// - Throws: `TagSelectionError` for the first pattern that selects nothing; `scope` says
    ///   which files were searched, for the message.
    /// - Complexity: O(T · p) over the T names of all lists.
    public func check(_ lists: [[String]], scope: TagSelectionError.Scope) throws(TagSelectionError) {
        // A few exact names (the usual case) are found by a scan; hashing ~3,000 names costs more.
        var known: Set<String>? = nil
        if patterns.count > 8 { known = Set(lists.joined()) }
        for pattern in patterns {
            let found: Bool
            if !pattern.isGlob, let known {
                found = known.contains(pattern.text)
            } else {
                found = lists.contains { $0.contains(where: pattern.matches) }
            }
            if found { continue }
            if pattern.isGlob { throw .noTagMatches(pattern.text, scope: scope) }
            let candidates = lists.count == 1 ? lists[0] : Array(Set(lists.joined())).sorted()
            throw .unknownTag(pattern.text, suggestions: NearNames.suggestions(for: pattern.text, in: candidates), scope: scope)
        }
    }

    /// One selected name over two files, with its position in each (the first, should a file
    /// repeat a name).
    public struct Pair: Equatable, Sendable {
        public var name: String
        public var old: Int?
        public var new: Int?
    }

    /// The selected names of either file, in byte order, each with its positions.
    /// - Complexity: O(T log T) for T names in both files (plus matching).
    public func pairs(old: [String], new: [String]) -> [Pair] {
        var byName: [String: Pair] = [:]
        for i in matchingPositions(in: old) where byName[old[i]]?.old == nil {
            byName[old[i], default: Pair(name: old[i])].old = i
        }
        for i in matchingPositions(in: new) where byName[new[i]]?.new == nil {
            byName[new[i], default: Pair(name: new[i])].new = i
        }
        return byName.values.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }
}

extension TagSelection.Pair {
    init(name: String) { self.init(name: name, old: nil, new: nil) }
}

/// A pattern of a `TagSelection` that selects nothing. The description quotes data and arguments
/// unescaped: the CLI's last guard escapes the whole line for the terminal.
public enum TagSelectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the names were looked for.
    public enum Scope: Equatable, Sendable {
        /// One file.
        case file
        /// The two files of a diff.
        case eitherFile
        /// The files of a history archive.
        case archive(files: Int)
    }

    /// An exact name not in the file(s), with the closest names (a wrong-case name first).
    case unknownTag(String, suggestions: [String], scope: Scope)
    /// A glob that matches no tag.
    case noTagMatches(String, scope: Scope)

    public var description: String {
        switch self {
        case .unknownTag(let name, let near, let scope):
            let caseOnly = near.first.map { $0 != name && $0.lowercased() == name.lowercased() } ?? false
            let where_: String
            switch scope {
            case .file: where_ = ""
            case .eitherFile: where_ = " (in neither OLD nor NEW)"
            case .archive(let n): where_ = " (in none of the \(n) files)"
            }
            return "unknown tag '\(name)'" + where_
                + (near.isEmpty ? "" : "; did you mean " + near.map { "'\($0)'" }.joined(separator: ", ") + "?")
                + (caseOnly ? " (tag names are case-sensitive)" : "")
        case .noTagMatches(let pattern, .file):
            return "no tag matches '\(pattern)'"
        case .noTagMatches(let pattern, .eitherFile):
            return "no tag in OLD or NEW matches '\(pattern)'"
        case .noTagMatches(let pattern, .archive(let n)):
            return "no tag in any of the \(n) files matches '\(pattern)'"
        }
    }
}
