import Foundation
import ServiceTags
import ServiceTagsTestSupport

/// Loading nft and ipset files for real, in a throwaway network namespace (`unshare -n`), and
/// reading the sets back (`nft -j list table inet azst`, `ipset save`) as name -> addresses, so
/// two loads compare as address sets whatever form the kernel stores them in.
enum KernelSets {
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    /// Runs `script` with `/bin/sh -c` in a fresh directory holding `files` (name -> contents).
    static func shell(_ script: String, files: [String: String] = [:]) throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stag-kernel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let r = try ChildProcess.run("/bin/sh", ["-c", script], directory: dir.path, timeout: 120)
        return Run(status: r.status, stdout: String(decoding: r.stdout, as: UTF8.self), stderr: String(decoding: r.stderr, as: UTF8.self))
    }

    /// The probe that shows each tool works in a namespace.
    static let probes = ["nft": "nft list ruleset", "ipset": "ipset list", "iptables": "iptables -S && ip6tables -S"]

    /// Whether both nft and ipset run in a fresh network namespace here, probed once: the condition
    /// of the kernel tests' `.kernelTools` trait.
    static let usable: Bool = ["ipset", "nft"].map { available($0, for: "KernelSets") }.allSatisfy { $0 }

    /// Whether ipset, iptables and ip6tables run in a fresh network namespace here (`.iptablesTools`).
    static let iptablesUsable: Bool = ["ipset", "iptables"].map { available($0, for: "KernelSets") }.allSatisfy { $0 }

    /// Whether `tool` (`nft` or `ipset`) runs inside a fresh network namespace here; prints why not,
    /// naming `suite`.
    static func available(_ tool: String, for suite: String) -> Bool {
        guard let probe = probes[tool], let run = try? shell("command -v \(tool) >/dev/null && unshare -n sh -c '\(probe)'"), run.status == 0 else {
            print("\(suite): \(tool) in 'unshare -n' is not available here (tool, kernel or privileges missing); the kernel tests are skipped")
            return false
        }
        return true
    }

    /// Loads `old` then `delta` in one fresh network namespace and `new` alone in another, and reads
    /// back the sets each left (a correct delta leaves the same sets as the new full list).
    /// - Throws: `ModelError` naming `label`, with both runs' stderr, when a load fails.
    static func applyDelta(_ tool: String, old: String, delta: String, new: String,
                           label: String) throws -> (applied: [String: IPSet], fresh: [String: IPSet]) {
        let (load, read) = commands(tool)
        let files = ["old": old, "delta": delta, "new": new]
        let applied = try shell("unshare -n sh -c '\(load) old && \(load) delta && \(read)'", files: files)
        let fresh = try shell("unshare -n sh -c '\(load) new && \(read)'", files: files)
        guard applied.status == 0, fresh.status == 0 else { throw ModelError("\(label): load failed: \(applied.stderr) \(fresh.stderr)") }
        return (try sets(tool, applied.stdout), try sets(tool, fresh.stdout))
    }

    /// The shell commands that load a file and list the result, per tool.
    static func commands(_ tool: String) -> (load: String, read: String) {
        tool == "nft" ? ("nft -f", "nft -j list table inet azst") : ("ipset restore -f", "ipset save")
    }

    /// The listing of `read` parsed for `tool`.
    static func sets(_ tool: String, _ listing: String) throws -> [String: IPSet] {
        tool == "nft" ? try nftSets(listing) : try ipsetSets(listing)
    }

    /// The kernel's listing read by the independent parser, not the code under test.
    static func address(_ text: String) throws -> IPAddress { try SlowAddressParser.requireAddress(text) }

    /// Adds `first...last` to the per-family range lists.
    static func add(_ first: IPAddress, _ last: IPAddress, to v4: inout [IPv4Range], _ v6: inout [IPv6Range]) throws {
        switch (first, last) {
        case (.v4(let a), .v4(let b)):
            guard let r = IPRange(first: a, last: b) else { throw ModelError("bad range \(a)-\(b)") }
            v4.append(r)
        case (.v6(let a), .v6(let b)):
            guard let r = IPRange(first: a, last: b) else { throw ModelError("bad range \(a)-\(b)") }
            v6.append(r)
        default: throw ModelError("mixed range")
        }
    }

    /// `nft -j list table inet azst` as set name -> addresses.
    static func nftSets(_ json: String) throws -> [String: IPSet] {
        guard let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { throw ModelError("nft -j: not an object") }
        var out: [String: IPSet] = [:]
        for item in root["nftables"] as? [[String: Any]] ?? [] {
            guard let set = item["set"] as? [String: Any], let name = set["name"] as? String else { continue }
            var v4: [IPv4Range] = [], v6: [IPv6Range] = []
            for element in set["elem"] as? [Any] ?? [] {
                if let text = element as? String {
                    let a = try address(text)
                    try add(a, a, to: &v4, &v6)
                } else if let prefix = (element as? [String: Any])?["prefix"] as? [String: Any], let addr = prefix["addr"] as? String,
                          let len = prefix["len"] as? Int {
                    switch try SlowAddressParser.requirePrefix("\(addr)/\(len)") {
                    case .v4(let p): v4.append(IPRange(p))
                    case .v6(let p): v6.append(IPRange(p))
                    }
                } else if let range = (element as? [String: Any])?["range"] as? [String], range.count == 2 {
                    try add(try address(range[0]), try address(range[1]), to: &v4, &v6)
                } else {
                    throw ModelError("unexpected element \(element)")
                }
            }
            out[name] = IPSet(v4: PrefixSet(ranges: v4), v6: PrefixSet(ranges: v6))
        }
        return out
    }

    /// `ipset save` as set name -> addresses.
    static func ipsetSets(_ text: String) throws -> [String: IPSet] {
        var v4: [String: [IPv4Range]] = [:], v6: [String: [IPv6Range]] = [:]
        for line in text.split(separator: "\n") {
            let w = line.split(separator: " ")
            if w.first == "create" { v4[String(w[1]), default: []] += []; v6[String(w[1]), default: []] += [] }
            guard w.first == "add", w.count >= 3 else { continue }
            let entry = w[2].contains("/") ? String(w[2]) : String(w[2]) + (w[2].contains(":") ? "/128" : "/32")
            switch try SlowAddressParser.requirePrefix(entry) {
            case .v4(let p): v4[String(w[1]), default: []].append(IPRange(p))
            case .v6(let p): v6[String(w[1]), default: []].append(IPRange(p))
            }
        }
        var out: [String: IPSet] = [:]
        for name in Set(v4.keys).union(v6.keys) { out[name] = IPSet(v4: PrefixSet(ranges: v4[name] ?? []), v6: PrefixSet(ranges: v6[name] ?? [])) }
        return out
    }
}
