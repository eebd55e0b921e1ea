import Foundation
import ExportTargetModels
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Issue 8 item 3: what `-o` must not clobber (devices, FIFOs, links, owners, setuid) and what it
/// must not leave behind (temporaries of an interrupted or killed run). End to end through `stag`.
@Suite struct OutputTargetTests {
    static let isRoot = geteuid() == 0

    static func withDirectory(_ body: (String) throws -> Void) throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-target").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    static func export(_ output: String) throws -> StagCLI.Result {
        try StagCLI.run(["export", "AzureCloud", "--data", CLITestData.sample, "-o", output])
    }

    /// `-o /dev/null` as root must not turn the device into a file. Tried on a private node with
    /// /dev/null's numbers, so that a failure cannot break the machine's own /dev/null.
    @Test(.enabled(if: isRoot, "mknod needs root"))
    func regressionDevNullStaysACharacterDevice() throws {
        try Self.withDirectory { dir in
            let null = dir + "/null"
            let device = try #require(OutputTargetSupport.lstatOf("/dev/null")).st_rdev
            guard mknod(null, S_IFCHR | 0o666, device) == 0 else {
                Issue.record("mknod: \(String(cString: strerror(errno)))")
                return
            }
            let r = try Self.export(null)
            #expect(r.status == 0, "\(r.stderr)")
            let st = try #require(OutputTargetSupport.lstatOf(null))
            #expect(st.st_mode & S_IFMT == S_IFCHR && st.st_rdev == device)
            #expect(OutputTargetSupport.entries(dir) == ["null"])
        }
    }

    /// A FIFO is written into, not replaced: its reader gets the whole export.
    @Test func regressionAFIFOIsWrittenInPlace() throws {
        try Self.withDirectory { dir in
            let fifo = dir + "/pipe"
            #expect(mkfifo(fifo, 0o600) == 0)
            let reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)  // so the writer's open does not block
            defer { close(reader) }
            let r = try Self.export(fifo)
            #expect(r.status == 0, "\(r.stderr)")
            var received = [UInt8](repeating: 0, count: 1 << 16)
            let n = received.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
            let expected = try StagCLI.run(["export", "AzureCloud", "--data", CLITestData.sample]).stdoutBytes
            #expect(n > 0 && Data(received[0..<max(n, 0)]) == expected)
            #expect(OutputTargetSupport.lstatOf(fifo).map { $0.st_mode & S_IFMT == S_IFIFO } == true)
        }
    }

    /// `-o link`: the link (a chain, one of them relative from another directory) stays; the final
    /// target gets the new content.
    @Test func regressionASymlinkIsKeptAndItsTargetReplaced() throws {
        try Self.withDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
            let real = dir + "/data/rules.txt"
            try "old\n".write(toFile: real, atomically: false, encoding: .utf8)
            #expect(symlink("data/rules.txt", dir + "/current") == 0)       // relative
            #expect(symlink(dir + "/current", dir + "/data/alias") == 0)    // absolute, to a link
            let r = try Self.export(dir + "/data/alias")
            #expect(r.status == 0, "\(r.stderr)")
            let expected = try StagCLI.run(["export", "AzureCloud", "--data", CLITestData.sample]).stdout
            #expect(try String(contentsOfFile: real, encoding: .utf8) == expected)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/current") == "data/rules.txt")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/data/alias") == dir + "/current")
            #expect(OutputTargetSupport.entries(dir + "/data") == ["alias", "rules.txt"])
        }
    }

    /// Replacing a file keeps its owner and group, and drops setuid/setgid.
    @Test(.enabled(if: isRoot, "giving a file away needs root"))
    func regressionOwnerAndModeAreKeptMinusSetuid() throws {
        try Self.withDirectory { dir in
            let target = dir + "/rules.sh"
            try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
            #expect(chown(target, 1234, 2345) == 0 && chmod(target, 0o6751) == 0)
            let r = try Self.export(target)
            #expect(r.status == 0, "\(r.stderr)")
            let st = try #require(OutputTargetSupport.lstatOf(target))
            #expect(st.st_uid == 1234 && st.st_gid == 2345)
            #expect(st.st_mode & 0o7777 == 0o751)
        }
    }

    @Test func aDirectoryIsAClearError() throws {
        try Self.withDirectory { dir in
            let r = try Self.export(dir)
            #expect(r.status == 2 && r.stderr.hasPrefix("stag: export: cannot write '\(dir)': is a directory"))
            #expect(OutputTargetSupport.entries(dir).isEmpty)
        }
    }

    /// A temporary of a killed earlier run (our name pattern, older than this run, unlocked) goes;
    /// other names, a newer one, and one a live writer holds locked stay.
    @Test func regressionALeftoverTemporaryIsRemovedByTheNextWrite() throws {
        try Self.withDirectory { dir in
            let target = dir + "/out.txt"
            try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
            let old = Date(timeIntervalSinceNow: -3600), future = Date(timeIntervalSinceNow: 3600)
            let names: [(String, Date)] = [(".out.txt.tmp-Ab12Cd", old), (".out.txt.tmp-abc", old), (".out.txt.tmp-ABCDEFG", old),
                                           (".other.txt.tmp-Ab12Cd", old), (".out.txt.tmp-Future", future), (".out.txt.tmp-Locked", old)]
            for (name, date) in names {
                try "partial".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8)
                try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: dir + "/" + name)
            }
            let locked = open(dir + "/.out.txt.tmp-Locked", O_RDONLY | O_CLOEXEC)
            defer { close(locked) }
            #expect(flock(locked, LOCK_EX) == 0)
            let r = try Self.export(target)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(OutputTargetSupport.entries(dir) == [".other.txt.tmp-Ab12Cd", ".out.txt.tmp-ABCDEFG", ".out.txt.tmp-Future",
                                                         ".out.txt.tmp-Locked", ".out.txt.tmp-abc", "out.txt"])
        }
    }

    /// A writer interrupted while it runs (blocked reading `--data -`, its temporary file open)
    /// removes the temporary, dies of the signal, and leaves the previous file as it was.
    @Test(arguments: [SIGTERM, SIGINT, SIGPIPE])
    func regressionASignalledWriterLeavesNoTemporary(signal: Int32) throws {
        try Self.withDirectory { dir in
            let target = dir + "/out.txt"
            try "previous\n".write(toFile: target, atomically: false, encoding: .utf8)
            let watch = try OutputTargetSupport.CreationWatch(dir, prefix: ".out.txt.tmp-")
            let child = try OutputTargetSupport.spawnReadingStdin(["export", "AzureCloud", "--data", "-", "-o", target], home: dir)
            defer { close(child.input) }
            let created = watch.wait()
            #expect(created, "the temporary file must exist while the data is read")
            kill(child.pid, signal)
            let (status, signaled) = ChildProcess.wait(child.pid)
            #expect(signaled && status == signal)
            #expect(OutputTargetSupport.entries(dir) == ["out.txt"])
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "previous\n")
        }
    }
}
