extension TagIndex.Match {
    /// An answer built outside the index (the CLI renders a node's answer list once, `LookupRenderer`).
    public init(_ tag: TagID, _ prefix: IPPrefix) {
        self.tag = tag
        self.prefix = prefix
    }
}
