import Foundation

/// Where the shells and man tools that the completion and man-page tests drive are installed; a
/// test whose tool is absent is skipped with a notice naming it (`.ci/run` installs them).
enum ShellTools {
    /// The first executable `name` in the usual system directories, or nil.
    static func path(_ name: String) -> String? {
        for dir in ["/usr/bin", "/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
            return dir + "/" + name
        }
        return nil
    }

    /// Runs `tool arguments...` through the same clean-environment runner as `stag`.
    static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:],
                    directory: String? = nil) throws -> StagCLI.Result {
        try StagCLI.run(arguments, environment: environment, binary: URL(fileURLWithPath: tool), directory: directory)
    }

    /// `text` in a new file of a new temporary directory (the caller removes the directory).
    static func write(_ text: String, named name: String) throws -> (file: String, directory: URL) {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-tools")
        let file = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return (file.path, dir)
    }
}
