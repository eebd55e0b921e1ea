/// Seeded generators of prefixes and ranges for differential tests.
extension Prefix {
    /// A random prefix inside `universe`.
    ///
    /// Lengths are skewed towards the universe's longest few so random lists fragment, nest and
    /// touch often; one draw in ten is pinned to the universe's first block and one in ten to its
    /// last, so address 0 and the family's last address get exercised when the universe has them.
    public static func random(in universe: Prefix<A>, using rng: inout some RandomNumberGenerator) -> Prefix<A> {
        let minLength = Int(universe.length), width = A.bitWidth
        let length = Bool.random(using: &rng)
            ? Int.random(in: minLength...width, using: &rng)
            : Int.random(in: max(minLength, width - 4)...width, using: &rng)
        let hostMask = ~A.mask(length: minLength)
        let offset: A.Bits
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: offset = 0
        case 1: offset = hostMask
        default: offset = A.Bits.random(in: 0...hostMask, using: &rng)
        }
        return Prefix(masking: A(bits: universe.address.bits | offset), length: length)
    }

    /// A random list of up to `maxCount` prefixes inside `universe` (possibly empty).
    public static func randomList(
        in universe: Prefix<A>, maxCount: Int, using rng: inout some RandomNumberGenerator
    ) -> [Prefix<A>] {
        (0..<Int.random(in: 0...maxCount, using: &rng)).map { _ in random(in: universe, using: &rng) }
    }

    /// Single addresses scattered densely over a random 64-address window of `universe` (each taken
    /// with probability 1/2), so sets get one-address holes and one-address runs, which sparse
    /// random prefixes rarely produce. `universe` must hold at least 64 addresses.
    public static func randomSingles(in universe: Prefix<A>, using rng: inout some RandomNumberGenerator) -> [Prefix<A>] {
        let window = random(in: universe, using: &rng).address.bits & A.mask(length: A.bitWidth - 6)
        let base = Swift.max(window, universe.first.bits)
        return (0..<64).compactMap { i in
            Bool.random(using: &rng) ? Prefix(address: A(bits: base | A.Bits(i)), length: A.bitWidth) : nil
        }
    }

    /// A random prefix anywhere in the family: first a random block of any length (the `/0` included),
    /// then a prefix inside it, so lists built from a few blocks overlap instead of scattering.
    public static func randomAnywhere(using rng: inout some RandomNumberGenerator) -> Prefix<A> {
        let blockLength = Int.random(in: 0...A.bitWidth, using: &rng)
        let block = Prefix(masking: A(bits: A.Bits.random(in: 0...A.Bits.max, using: &rng)), length: blockLength)
        return random(in: block, using: &rng)
    }
}

extension IPRange {
    /// A random range inside `universe`; one end is pinned to the universe's edge one time in five.
    public static func random(in universe: Prefix<A>, using rng: inout some RandomNumberGenerator) -> IPRange<A> {
        let lo = universe.first.bits, hi = universe.last.bits
        var a = A.Bits.random(in: lo...hi, using: &rng)
        var b = A.Bits.random(in: lo...hi, using: &rng)
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: a = lo
        case 1: b = hi
        case 2: b = a
        default: break
        }
        return IPRange(first: A(bits: min(a, b)), last: A(bits: max(a, b)))!
    }
}
