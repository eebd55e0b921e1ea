import Foundation
import ServiceTags

/// The AWS prefix-list script, run for real by `/bin/sh` with a fake `aws` first on `PATH`. The
/// fake logs every call and answers the describe queries (state `create-complete`, a version, and
/// `pl-NAME` as the id of list NAME); the log is then replayed against the EC2 rules: one family
/// per list, at most 100 entries per create or modify call, no duplicate add, no removal of a
/// missing entry, never more entries than `--max-entries`. So shell syntax, quoting and batching
/// are all checked.
final class AWSModel: TargetModel {
    struct PrefixList { var v6: Bool; var maxEntries: Int; var entries: Set<IPPrefix> }
    var lists: [String: PrefixList] = [:]
    var objects: TargetState { lists.mapValues(\.entries) }

    static let fakeAWS = """
    #!/bin/sh
    printf '%s\\n' "$*" >> "$STAG_AWS_LOG"
    case "$*" in
      *"--query PrefixLists[0].State"*) echo create-complete ;;
      *"--query PrefixLists[0].Version"*) echo 7 ;;
      *"Name=prefix-list-name,Values="*) v=${*#*Values=}; echo "pl-${v%% *}" ;;
      *create-managed-prefix-list*) v=${*#*--prefix-list-name }; echo "pl-${v%% *}" ;;
    esac
    """

    func run(_ script: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stag-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fake = dir.appendingPathComponent("aws"), log = dir.appendingPathComponent("log"), file = dir.appendingPathComponent("script.sh")
        try Self.fakeAWS.write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        try script.write(to: file, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = dir.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["STAG_AWS_LOG"] = log.path
        let run = try ChildProcess.run("/bin/sh", [file.path], environment: environment)
        let stderr = String(decoding: run.stderr, as: UTF8.self)
        guard run.status == 0 else { throw ModelError("sh exited \(run.status): \(stderr)") }
        for call in try String(contentsOf: log, encoding: .utf8).split(separator: "\n") { try replay(call.split(separator: " ").map(String.init)) }
    }

    func replay(_ w: [String]) throws {
        guard w.count >= 2, w[0] == "ec2" else { throw ModelError("unexpected call \(w)") }
        func value(_ option: String) -> String? { w.firstIndex(of: option).map { w[$0 + 1] } }
        func cidrs(_ option: String) throws -> [IPPrefix] {
            guard let start = w.firstIndex(of: option) else { return [] }
            let items = w[(start + 1)...].prefix { $0.hasPrefix("Cidr=") }
            guard !items.isEmpty, items.count <= 100 else { throw ModelError("\(items.count) entries in one call") }
            return try items.map { try TargetModels.prefix($0.dropFirst(5)) }
        }
        switch w[1] {
        case "describe-managed-prefix-lists":
            return
        case "create-managed-prefix-list":
            guard let name = value("--prefix-list-name"), let family = value("--address-family"),
                  let max = value("--max-entries").flatMap(Int.init), lists[name] == nil else { throw ModelError("bad create \(w)") }
            let entries = try cidrs("--entries")
            guard Set(entries).count == entries.count, entries.count <= max, entries.allSatisfy({ $0.isV6 == (family == "IPv6") }) else {
                throw ModelError("bad entries in create \(w)")
            }
            lists[name] = PrefixList(v6: family == "IPv6", maxEntries: max, entries: Set(entries))
        case "modify-managed-prefix-list":
            guard let id = value("--prefix-list-id"), id.hasPrefix("pl-"), var list = lists[String(id.dropFirst(3))],
                  value("--current-version") == "7" else { throw ModelError("bad modify \(w)") }
            for p in try cidrs("--add-entries") {
                guard p.isV6 == list.v6, list.entries.insert(p).inserted else { throw ModelError("cannot add \(p)") }
            }
            for p in try cidrs("--remove-entries") {
                guard list.entries.remove(p) != nil else { throw ModelError("cannot remove \(p)") }
            }
            guard list.entries.count <= list.maxEntries else { throw ModelError("over max entries") }
            lists[String(id.dropFirst(3))] = list
        case "delete-managed-prefix-list":
            guard let id = value("--prefix-list-id"), lists.removeValue(forKey: String(id.dropFirst(3))) != nil else { throw ModelError("bad delete \(w)") }
        default:
            throw ModelError("unexpected call \(w)")
        }
    }
}
