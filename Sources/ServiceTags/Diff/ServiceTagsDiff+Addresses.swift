/// The address space gained and lost over the union of the selected tags, whatever the diff's mode.
extension ServiceTagsDiff {
    /// Addresses in NEW's union of the selected tags and not in OLD's (`added`), and the reverse.
    ///
    /// Invariant: each count is the size of a set difference of the two unions, per family, so a
    /// prefix moving from one tag to another inside the selection counts nowhere, and an address
    /// in several tags counts once.
    public struct AddressChange: Sendable, Hashable {
        public var ipv4Added: AddressCount = .zero
        public var ipv4Removed: AddressCount = .zero
        public var ipv6Added: AddressCount = .zero
        public var ipv6Removed: AddressCount = .zero

        public init() {}

        /// Whether any address was gained or lost.
        public var isEmpty: Bool {
            ipv4Added == .zero && ipv4Removed == .zero && ipv6Added == .zero && ipv6Removed == .zero
        }

        /// The counts between the unions of `isSelected` tags of OLD and NEW.
        /// - Complexity: O(P log P) for P prefix entries of the selected tags in both files (one
        ///   sort per family and file, then linear set algebra); nothing is done per address.
        public init(old: ServiceTagsFile, new: ServiceTagsFile, isSelected: (String) -> Bool) {
            let (old4, old6) = Self.unions(old, isSelected)
            let (new4, new6) = Self.unions(new, isSelected)
            ipv4Added = new4.subtracting(old4).addressCount
            ipv4Removed = old4.subtracting(new4).addressCount
            ipv6Added = new6.subtracting(old6).addressCount
            ipv6Removed = old6.subtracting(new6).addressCount
        }

        static func unions(_ file: ServiceTagsFile, _ isSelected: (String) -> Bool)
            -> (PrefixSet<IPv4Address>, PrefixSet<IPv6Address>)
        {
            var v4: [IPv4Prefix] = [], v6: [IPv6Prefix] = []
            for tag in file.tags where isSelected(tag.name) {
                v4.append(contentsOf: tag.ipv4)
                v6.append(contentsOf: tag.ipv6)
            }
            return (PrefixSet(v4), PrefixSet(v6))
        }
    }
}
