/// The first broken structural invariant found in a `StrideTable` or `FamilyIndex`: which array,
/// which element of it, and what is wrong.
///
/// The builders check their output with these (debug builds, `checkInvariants()`); the compiled
/// index loader runs the same checks on every loaded array and turns a violation into a
/// `CompiledIndexError` with the byte offset of the element (`array` names its section).
public struct IndexInvariantViolation: Error, Equatable, Sendable, CustomStringConvertible {
    /// The array's name as a section suffix: `root`, `nodes`, `leaves`, `key`, `fallback`,
    /// `prefixes`, `parent`, `tagSet`, `tagSetStart`, `tagSetMembers`, `matchStart`, `matches`.
    public var array: String
    /// The offending element's index in that array (for `nodes`: the word index).
    public var element: Int
    public var message: String

    public init(_ array: String, _ element: Int, _ message: String) {
        self.array = array
        self.element = element
        self.message = message
    }

    public var description: String { "\(array)[\(element)]: \(message)" }
}
