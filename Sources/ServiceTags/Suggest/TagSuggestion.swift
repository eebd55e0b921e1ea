/// The narrowest set of tags that allows every observed address (`stag suggest`): weighted set
/// cover, where each candidate tag covers some observations and costs its address space.
///
/// The cost of a set of tags is compared lexicographically: the sum of the tags' IPv4 address
/// counts, then the sum of their IPv6 counts, then the number of tags (`Cost`). The sum equals the
/// space the tags allow together when they do not overlap; a solution never holds a tag whose space
/// lies inside another chosen tag's (dropping it would cover the same and cost less).
///
/// The search: observations with the same candidate tags are one *element* (weighted by how many
/// they are); dominated candidates are removed (`dominated(_:_:)`); then, with at most
/// `exactLimit` candidates left, an exact branch-and-bound search (`exactCover`), else the greedy
/// rule (`greedyCover`: least cost per newly covered observation, then redundant tags dropped).
///
/// Invariants of a result: every observation some candidate covers is covered by a chosen tag;
/// `uncovered` are exactly the observations no candidate covers; `chosen` holds no tag whose
/// observations the other chosen tags all cover.
public struct TagSuggestion: Hashable, Sendable {
    /// One candidate tag: the observations (indices) it covers and its address space.
    public struct Candidate: Hashable, Sendable {
        /// Indices into the observations, each at most once (any order).
        public var covers: [Int]
        public var ipv4Addresses: AddressCount
        public var ipv6Addresses: AddressCount

        public init(covers: [Int], ipv4Addresses: AddressCount, ipv6Addresses: AddressCount) {
            self.covers = covers
            self.ipv4Addresses = ipv4Addresses
            self.ipv6Addresses = ipv6Addresses
        }

        public var cost: Cost { Cost(ipv4: ipv4Addresses, ipv6: ipv6Addresses, tags: 1) }
    }

    /// A cost ordered as the search minimises it: IPv4, then IPv6, then the number of tags.
    public struct Cost: Hashable, Comparable, Sendable {
        public var ipv4: AddressCount
        public var ipv6: AddressCount
        public var tags: Int

        public init(ipv4: AddressCount = .zero, ipv6: AddressCount = .zero, tags: Int = 0) {
            self.ipv4 = ipv4
            self.ipv6 = ipv6
            self.tags = tags
        }

        public static func + (a: Cost, b: Cost) -> Cost { Cost(ipv4: a.ipv4 + b.ipv4, ipv6: a.ipv6 + b.ipv6, tags: a.tags + b.tags) }

        public static func < (a: Cost, b: Cost) -> Bool {
            if a.ipv4 != b.ipv4 { return a.ipv4 < b.ipv4 }
            if a.ipv6 != b.ipv6 { return a.ipv6 < b.ipv6 }
            return a.tags < b.tags
        }
    }

    public enum Method: String, Hashable, Sendable {
        /// Provably least cost.
        case exact
        /// The greedy approximation (too many candidates for the exact search).
        case greedy
    }

    /// The chosen candidates (indices into the candidates given), ascending.
    public let chosen: [Int]
    /// The observations no candidate covers, ascending.
    public let uncovered: [Int]
    public let method: Method
    /// The candidates left after removing dominated ones (what the method was chosen on).
    public let candidatesConsidered: Int
    /// The sum of the chosen candidates' costs.
    public let cost: Cost

    /// The default bound on candidates for the exact search: 2^20 subsets at worst, in practice a
    /// few thousand search nodes thanks to the bound.
    public static let defaultExactLimit = 20

    /// Solves the cover of `observations` observations by `candidates`.
    /// - Precondition: every index in a candidate's `covers` is in `0..<observations`.
    /// - Complexity: O(total cover size) to group and O(candidates · cover) for dominance, then the
    ///   exact search (exponential in at most `exactLimit` candidates, pruned) or the greedy one
    ///   (O(chosen · total cover size)).
    public init(observations: Int, candidates: [Candidate], exactLimit: Int = TagSuggestion.defaultExactLimit) {
        let problem = Problem(observations: observations, candidates: candidates)
        let alive = Self.undominated(problem)
        let picked: [Int]
        if alive.count <= min(exactLimit, 64) {
            picked = Self.exactCover(problem, alive)
            method = .exact
        } else {
            picked = Self.greedyCover(problem, alive)
            method = .greedy
        }
        candidatesConsidered = alive.count
        chosen = picked.sorted()
        uncovered = problem.uncovered
        cost = chosen.reduce(Cost()) { $0 + candidates[$1].cost }
    }
}

extension TagSuggestion {
    /// The cover problem in terms of elements: distinct candidate lists of the observations.
    struct Problem {
        var candidates: [Candidate]
        /// Per element, its candidates ascending, and how many observations it stands for.
        var elementCandidates: [[Int]] = []
        var elementWeight: [Int] = []
        /// Per candidate, the elements it covers, ascending.
        var candidateElements: [[Int]]
        var uncovered: [Int] = []

        init(observations: Int, candidates: [Candidate]) {
            self.candidates = candidates
            var lists = Array(repeating: [Int](), count: observations)
            for (c, candidate) in candidates.enumerated() {
                for o in candidate.covers { lists[o].append(c) }    // ascending in c by construction
            }
            var elementOf: [[Int]: Int] = [:]
            candidateElements = Array(repeating: [], count: candidates.count)
            for (o, list) in lists.enumerated() {
                if list.isEmpty { uncovered.append(o); continue }
                if let e = elementOf[list] { elementWeight[e] += 1; continue }
                let e = elementCandidates.count
                elementOf[list] = e
                elementCandidates.append(list)
                elementWeight.append(1)
                for c in list { candidateElements[c].append(e) }
            }
        }

        /// Observations candidate `c` covers.
        func weight(of c: Int) -> Int { candidateElements[c].reduce(0) { $0 + elementWeight[$1] } }
    }
}
