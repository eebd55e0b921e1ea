import Foundation

/// Several files loaded in order into one throwaway network namespace, for the rerun tests (a
/// delta applied twice, or on top of the new lists) and the iptables tests (the ipset file, then
/// the iptables-restore file).
extension KernelSets {
    /// One load: the command that takes a file name (`nft -f`, `ipset restore -f`,
    /// `iptables-restore --noflush`) and the file's contents.
    struct Step {
        var command: String
        var text: String
        init(_ command: String, _ text: String) {
            self.command = command
            self.text = text
        }
    }

    /// Runs `steps` in order in one fresh namespace, then `read`; returns `read`'s output.
    /// - Throws: `ModelError` naming `label` with stderr when a step or the read fails.
    static func run(_ steps: [Step], read: String, label: String) throws -> String {
        var files: [String: String] = [:]
        var commands: [String] = []
        for (i, step) in steps.enumerated() {
            files["f\(i)"] = step.text
            commands.append("\(step.command) f\(i)")
        }
        commands.append(read)
        let r = try shell("unshare -n sh -c '\(commands.joined(separator: " && "))'", files: files)
        guard r.status == 0 else { throw ModelError("\(label): load failed (\(r.status)): \(r.stderr)") }
        return r.stdout
    }

    /// The loader and the reader of `tool`'s sets (`nft` or `ipset`).
    static func step(_ tool: String, _ text: String) -> Step { Step(commands(tool).load, text) }
}
