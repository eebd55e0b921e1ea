import ServiceTags

extension DataSource {
    /// The combined index for `--data`: the one place `lookup -` and `grep` obtain it.
    static func loadIndex(_ explicit: String?) throws(CLIError) -> TagIndex {
        TagIndexBuilder(try load(explicit)).finish()
    }
}
