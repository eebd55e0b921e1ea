import ServiceTags
import ServiceTagsTestSupport

/// Deterministic inputs for the side-by-side benchmark (`Benchmarks/peers.sh`): firewall-log lines
/// in the shapes real logs have, and bare address lists, with half the destinations inside
/// published prefixes and the rest (and every source) outside all of them.
///
/// The same seed and data file give the same bytes, so stag and each peer read identical input
/// and any run can be reproduced.
struct LogGenerator {
    private var rng: SplitMix64
    private let index: TagIndex
    private let v4: [IPv4Prefix]
    private let v6: [IPv6Prefix]

    init(_ file: ServiceTagsFile, seed: UInt64) {
        rng = SplitMix64(seed: seed)
        index = TagIndexBuilder(file).finish()
        v4 = Array(index.ipv4.prefixes)
        v6 = Array(index.ipv6.prefixes)
    }

    /// An address inside a random distinct prefix (IPv6 one time in eight, as in Azure traffic).
    mutating func inside() -> IPAddress {
        if rng.int(in: 0 ..< 8) == 0 {
            let p = rng.element(of: v6)
            let r = UInt128(rng.next()) << 64 | UInt128(rng.next())
            return .v6(IPv6Address(bits: p.address.bits | (r & ~p.mask)))
        }
        let p = rng.element(of: v4)
        return .v4(IPv4Address(bits: p.address.bits | (UInt32(truncatingIfNeeded: rng.next()) & ~p.mask)))
    }

    /// A public-looking address no tag contains.
    mutating func outside(v6 six: Bool = false) -> IPAddress {
        while true {
            let a: IPAddress
            if six {
                a = .v6(IPv6Address(bits: UInt128(0x2001_0db8) << 96 | UInt128(rng.next()) << 32 | UInt128(rng.next() >> 32)))
            } else {
                // 1.0.0.0 to 223.255.255.255, as unicast destinations are.
                a = .v4(IPv4Address(bits: UInt32(rng.int(in: 1 ... 223)) << 24 | UInt32(truncatingIfNeeded: rng.next()) & 0xFF_FFFF))
            }
            if index.matches(for: a).isEmpty { return a }
        }
    }

    /// A private source address (10/8, or a ULA for IPv6) that no tag contains.
    mutating func source(v6 six: Bool) -> IPAddress {
        while true {
            let a: IPAddress = six
                ? .v6(IPv6Address(bits: UInt128(0xfd00) << 112 | UInt128(rng.next())))
                : .v4(IPv4Address(bits: 0x0A00_0000 | UInt32(truncatingIfNeeded: rng.next()) & 0xFF_FFFF))
            if index.matches(for: a).isEmpty { return a }
        }
    }

    /// The destination of the next line or address: inside for even `i`, outside for odd.
    mutating func destination(_ i: Int) -> IPAddress { i % 2 == 0 ? inside() : outside(v6: rng.int(in: 0 ..< 8) == 0) }

    /// One log line. Shapes: netfilter's kernel log, AWS VPC flow log v2, Azure NSG flow tuple,
    /// pfSense filterlog, and an application log with `[v6]:port` / `a.b.c.d:port`.
    mutating func line(_ i: Int) -> String {
        let dst = destination(i)
        let six: Bool = if case .v6 = dst { true } else { false }
        let src = source(v6: six)
        let sport = rng.int(in: 1024 ... 65535), dport = rng.element(of: [443, 443, 443, 80, 1433, 53, 22, 8443])
        let t = 1_764_666_000 + i / 20
        let clock = "Dec  2 \(pad(t / 3600 % 24)):\(pad(t / 60 % 60)):\(pad(t % 60))"
        switch rng.int(in: 0 ..< 5) {
        case 0:
            return "\(clock) fw1 kernel: [\(i / 1000).\(pad6(i % 1000 * 997))] ACCEPT IN=eth0 OUT=eth1 "
                + "MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=\(src) DST=\(dst) LEN=60 TOS=0x00 PREC=0x00 "
                + "TTL=63 ID=\(rng.int(in: 1 ... 65535)) DF PROTO=TCP SPT=\(sport) DPT=\(dport) WINDOW=64240 RES=0x00 SYN URGP=0"
        case 1:
            return "2 123456789012 eni-0a1b2c3d4e5f\(rng.int(in: 10000 ... 99999)) \(src) \(dst) \(sport) \(dport) 6 "
                + "\(rng.int(in: 1 ... 40)) \(rng.int(in: 60 ... 90000)) \(t) \(t + 60) ACCEPT OK"
        case 2:
            return "\(t),\(src),\(dst),\(sport),\(dport),T,O,A,B,\(rng.int(in: 1 ... 30)),\(rng.int(in: 60 ... 9000)),"
                + "\(rng.int(in: 1 ... 30)),\(rng.int(in: 60 ... 9000))"
        case 3:
            return "\(clock) pf filterlog[\(rng.int(in: 1000 ... 9999))]: 5,,,1000000103,igb1,match,pass,out,"
                + (six ? "6,0x00,0x00000,64,tcp,6,60," : "4,0x0,,64,\(rng.int(in: 1 ... 65535)),0,DF,6,tcp,60,")
                + "\(src),\(dst),\(sport),\(dport),0,S,\(rng.next() % 4_000_000_000),,64240,,mss"
        default:
            let target = six ? "[\(dst)]:\(dport)" : "\(dst):\(dport)"
            let from = six ? "[\(src)]:\(sport)" : "\(src):\(sport)"
            return "2025-12-02T\(pad(t / 3600 % 24)):\(pad(t / 60 % 60)):\(pad(t % 60))Z app[\(rng.int(in: 100 ... 999))]: "
                + "connection from \(from) to \(target) established (tls1.3, 1.2.3 client)"
        }
    }

    private func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private func pad6(_ n: Int) -> String { String(repeating: "0", count: max(0, 6 - String(n).count)) + String(n) }

    /// Writes `count` lines (`addressesOnly`: bare destinations) to standard output.
    static func write(_ file: ServiceTagsFile, count: Int, seed: UInt64, addressesOnly: Bool) -> Bool {
        var g = LogGenerator(file, seed: seed)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for i in 0 ..< count {
            buffer.append(contentsOf: (addressesOnly ? g.destination(i).description : g.line(i)).utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                guard Output.out(buffer) else { return false }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        return Output.out(buffer)
    }
}
