import Foundation
import ExportTargetModels
#if canImport(Glibc)
import Glibc
#endif

/// Helpers for the `-o` tests: generated data big enough to overflow a small limit, file metadata,
/// and waiting (without sleeping) until a running `stag` has created its temporary file.
enum OutputTargetSupport {
    /// A ServiceTags file with tag `Big` (`count` IPv4 /32s, about 20 bytes each in `txt`) and tag
    /// `Small` (one prefix), cloud Public like `CLITestData.small`.
    static func bigData(count: Int = 3000) -> String {
        let prefixes = (0..<count).map { "\"10.\($0 / 65536).\($0 / 256 % 256).\($0 % 256)/32\"" }.joined(separator: ",")
        return """
        {"changeNumber": 1, "cloud": "Public", "values": [
         {"name": "Big", "id": "Big", "properties": {"changeNumber": 1, "region": "", "addressPrefixes": [\(prefixes)]}},
         {"name": "Small", "id": "Small", "properties": {"changeNumber": 1, "region": "", "addressPrefixes": ["192.0.2.0/24"]}}
        ]}
        """
    }

    static func lstatOf(_ path: String) -> stat? {
        var st = stat()
        return lstat(path, &st) == 0 ? st : nil
    }

    static func entries(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    static func isTemporary(_ name: String) -> Bool { name.hasPrefix(".") && name.contains(".tmp-") }

    struct WatchError: Error, CustomStringConvertible { var description: String }

    /// Watches `directory` for a new file whose name starts with `prefix` (inotify: no polling).
    final class CreationWatch {
        let fd: Int32
        let prefix: String

        init(_ directory: String, prefix: String) throws {
            fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
            guard fd >= 0, inotify_add_watch(fd, directory, UInt32(IN_CREATE)) >= 0 else {
                throw WatchError(description: "inotify: \(String(cString: strerror(errno)))")
            }
            self.prefix = prefix
        }

        deinit { close(fd) }

        /// True once such a file was created; false if none was within `seconds`.
        func wait(seconds: Int32 = 10) -> Bool {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&p, 1, seconds * 1000)
                if ready < 0 && errno == EINTR { continue }
                if ready <= 0 { return false }
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                var offset = 0
                while n > 0 && offset + 16 <= n {
                    let length = Int(buffer[offset + 12]) | Int(buffer[offset + 13]) << 8
                        | Int(buffer[offset + 14]) << 16 | Int(buffer[offset + 15]) << 24
                    let nameBytes = buffer[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
                    if String(decoding: nameBytes, as: UTF8.self).hasPrefix(prefix) { return true }
                    offset += 16 + length
                }
            }
        }
    }

    /// Starts `stag arguments` reading standard input from a pipe the caller holds open (so it
    /// blocks in `--data -`); returns the pid and the pipe's write end.
    static func spawnReadingStdin(_ arguments: [String], home: String) throws -> (pid: pid_t, input: Int32) {
        let toChild = try ChildProcess.pipe()
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(null); close(toChild.0) }
        let pid = try ChildProcess.spawn(StagCLI.executable.path, arguments,
                                         environment: StagCLI.cleanEnvironment(home: home, adding: [:]),
                                         stdin: toChild.0, stdout: null, stderr: null)
        return (pid, toChild.1)
    }
}
