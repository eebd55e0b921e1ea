/// What a shell offers for an option's value or a command's operands. Part of the command specs,
/// so `--help`, the man page and the three completion scripts come from the same values.
public enum CompletionValues: Sendable, Equatable {
    /// Free text (an address, a name, a number): nothing to offer.
    case none
    case files
    case directories
    /// Tag names, read from the data when the user presses TAB (`stag completion --tags`).
    case tags
    /// A fixed list, such as the export format names.
    case words([String])
}
