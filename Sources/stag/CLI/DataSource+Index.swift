import ServiceTags

extension DataSource {
    /// The combined index for `--data` (a compiled index as mapped, else built from the JSON):
    /// the one place `lookup -` and `grep` obtain it.
    static func loadIndex(_ explicit: String?) throws(CLIError) -> TagIndex {
        let (file, index) = try loadIndexed(explicit)
        return index ?? TagIndexBuilder(file).finish()
    }
}
