/// Why `stag fetch` stopped; every case exits 2.
enum FetchFailure: Error {
    /// Bad options: nothing was attempted.
    case usage(String)
    /// Every discovery strategy failed; one line per attempt, in order.
    case exhausted([String])
    /// The file was downloaded and valid but could not be stored (I/O).
    case storage(String)
    /// The cache directory may be written by others (or is a link owned by someone else).
    case unsafeDirectory(String)
}

/// Why one attempt (a request, a validation) failed; becomes a line of `.exhausted`.
struct AttemptFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
