import Foundation
import ServiceTagsTestSupport

/// Iteration count for randomized tests: `STAG_QUICKCHECK_ITERATIONS`, default 2,000 (fast in debug).
enum RandomIterations {
    static let count: Int = {
        guard let raw = ProcessInfo.processInfo.environment["STAG_QUICKCHECK_ITERATIONS"], let n = Int(raw), n > 0 else { return 2_000 }
        return n
    }()
}

/// Random values shaped to hit the interesting cases, not uniform noise.
enum RandomAddresses {
    /// Groups drawn mostly from {0, 1, 0xffff}, so zero runs, ties and `::ffff:` forms are common.
    static func ipv6(_ rng: inout SplitMix64) -> UInt128 {
        var bits: UInt128 = 0
        for _ in 0..<8 {
            let group: UInt16 = switch rng.int(in: 0...5) {
            case 0, 1, 2: 0
            case 3: 1
            case 4: 0xFFFF
            default: UInt16(truncatingIfNeeded: rng.next())
            }
            bits = bits << 16 | UInt128(group)
        }
        if rng.chance(0.1) { bits = 0xFFFF << 32 | UInt128(UInt32(truncatingIfNeeded: rng.next())) }   // mapped
        return bits
    }
}

/// Valid but often non-canonical spellings, and random damage to them, for differential tests.
enum RandomSpelling {
    /// A valid spelling of `bits`: random zero padding and letter case per group, `::` over a random
    /// part of a random zero run (sometimes a single group), sometimes a dotted IPv4 tail.
    static func ipv6(_ bits: UInt128, _ rng: inout SplitMix64) -> String {
        let groups = (0..<8).map { UInt16(truncatingIfNeeded: bits >> UInt128(112 - 16 * $0)) }
        let dotted = rng.chance(0.2)
        let hexCount = dotted ? 6 : 8
        var pieces = groups[..<hexCount].map { spell($0, &rng) }
        let tail = dotted ? [SlowAddressFormatter.ipv4(UInt32(truncatingIfNeeded: bits))] : []
        // Zero groups where "::" may go: any non-empty sub-run of zeros among the hex groups.
        let zeros = (0..<hexCount).filter { groups[$0] == 0 }
        if !zeros.isEmpty, rng.chance(0.7) {
            let start = rng.element(of: zeros)
            var end = start + 1
            while end < hexCount, groups[end] == 0, rng.chance(0.8) { end += 1 }
            let head = pieces[..<start].joined(separator: ":")
            pieces = Array(pieces[end...]) + tail
            return head + "::" + pieces.joined(separator: ":")
        }
        return (pieces + tail).joined(separator: ":")
    }

    static func spell(_ group: UInt16, _ rng: inout SplitMix64) -> String {
        var hex = String(group, radix: 16)
        hex = String(repeating: "0", count: rng.int(in: 0...(4 - hex.count))) + hex
        return String(hex.map { rng.chance(0.3) ? Character($0.uppercased()) : $0 })
    }

    static let alphabet = Array("0123456789abcdefABCDEFxX:::...//%- \t".utf8) + [0x00, 0xC3, 0xFF]

    /// One to three random edits: delete, insert, replace, duplicate a run, swap neighbours.
    static func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
        var b = Array(text.utf8)
        for _ in 0..<rng.int(in: 1...3) {
            let i = b.isEmpty ? 0 : rng.int(in: 0..<b.count)
            switch rng.int(in: 0...4) {
            case 0: if !b.isEmpty { b.remove(at: i) }
            case 1: b.insert(rng.element(of: alphabet), at: rng.int(in: 0...b.count))
            case 2: if !b.isEmpty { b[i] = rng.element(of: alphabet) }
            case 3: if !b.isEmpty { let j = rng.int(in: i...min(b.count - 1, i + 4)); b.insert(contentsOf: b[i...j], at: j + 1) }
            default: if b.count > 1, i + 1 < b.count { b.swapAt(i, i + 1) }
            }
        }
        return String(decoding: b, as: UTF8.self)
    }
}
