import Foundation
import ServiceTags
import Testing

/// `stag completion bash|zsh|fish`: the bash script is sourced into a real bash and its function
/// called as bash calls it (COMP_WORDS, COMP_CWORD), the fish script is asked through
/// `complete -C`, and the zsh script is checked by `zsh -n`. Expected answers come from the specs'
/// sources (ExportFormats, the sample file read by JSONSerialization), not from captured output.
@Suite struct CompletionTests {
    static let bash = ShellTools.path("bash")
    static let zsh = ShellTools.path("zsh")
    static let fish = ShellTools.path("fish")
    static let sample = StagCLI.fixture("sample.json")

    static func script(_ shell: String) throws -> String {
        let r = try StagCLI.run(["completion", shell])
        #expect(r.status == 0 && r.stderr.isEmpty, "stderr: \(r.stderr)")
        return r.stdout
    }

    /// COMPREPLY after completing the last of `words` (the word under the cursor; "" for a new
    /// word) with the generated script. `words[0]` is replaced by the built stag's path.
    static func bashComplete(_ words: [String], environment: [String: String] = [:]) throws -> [String] {
        let (file, dir) = try ShellTools.write(try script("bash"), named: "stag.bash")
        defer { try? FileManager.default.removeItem(at: dir) }
        let words = [StagCLI.executable.path] + words.dropFirst()
        let driver = """
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _stag
        printf '%s\\n' "${COMPREPLY[@]}"
        """
        let r = try ShellTools.run(bash!, ["-c", driver, "driver", file] + words, environment: environment)
        #expect(r.status == 0 && r.stderr.isEmpty, "stderr: \(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    @Test(.enabled(if: bash != nil, "bash is not installed"))
    func bashCompletesCommandsOptionsAndFormats() throws {
        #expect(try Self.bashComplete(["stag", "ex"]) == ["export"])
        #expect(try Self.bashComplete(["stag", "export", "--fo"]) == ["--format"])
        let n = ExportFormats.all.map(\.id).filter { $0.hasPrefix("n") }
        #expect(n.contains("nft"))
        #expect(try Self.bashComplete(["stag", "export", "--format", "n"]) == n)
        // --format=n: bash splits the word at '='.
        #expect(try Self.bashComplete(["stag", "export", "--format", "=", "n"]) == n)
        #expect(try Self.bashComplete(["stag", "fetch", "--cloud", ""]) == ["public", "usgov", "china"])
        #expect(try Self.bashComplete(["stag", "help", "loo"]) == ["lookup"])
        // A free-text value (--name) offers nothing, not file names.
        #expect(try Self.bashComplete(["stag", "export", "--name", ""]) == [])
    }

    @Test(.enabled(if: bash != nil, "bash is not installed"))
    func bashCompletesTagNamesFromTheData() throws {
        let expected = try CLITestData.read(Self.sample).tags.map(\.name).filter { $0.hasPrefix("Stor") }
            .sorted(by: CLITestData.byteOrder)
        #expect(!expected.isEmpty)
        #expect(try Self.bashComplete(["stag", "export", "--data", Self.sample, "Stor"]) == expected)
        #expect(try Self.bashComplete(["stag", "lookup", "--tag", "Stor"], environment: ["STAG_DATA": Self.sample]) == expected)
        // No data at all (the runner's HOME is empty): nothing offered, no error in the prompt.
        #expect(try Self.bashComplete(["stag", "export", "Stor"]) == [])
    }

    @Test func tagListingNeverFails() throws {
        let none = try StagCLI.run(["completion", "--tags"])
        #expect(none.status == 0 && none.stdout.isEmpty && none.stderr.isEmpty, "stderr: \(none.stderr)")
        let bad = try StagCLI.run(["completion", "--tags", "--data", StagCLI.fixture("no-such-file.json")])
        #expect(bad.status == 0 && bad.stdout.isEmpty && bad.stderr.isEmpty)
        let names = try StagCLI.run(["completion", "--tags", "--data", Self.sample])
        let expected = Set(try CLITestData.read(Self.sample).tags.map(\.name)).sorted(by: CLITestData.byteOrder)
        #expect(names.stdout.split(separator: "\n").map(String.init) == expected)
    }

    @Test func unknownShellIsAUsageError() throws {
        let r = try StagCLI.run(["completion", "tcsh"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("stag: completion: unknown shell 'tcsh'"), "stderr: \(r.stderr)")
        #expect(try StagCLI.run(["completion"]).status == 2)
    }

    @Test(.enabled(if: zsh != nil, "zsh is not installed"))
    func zshScriptParses() throws {
        let (file, dir) = try ShellTools.write(try Self.script("zsh"), named: "_stag")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ShellTools.run(Self.zsh!, ["-n", file])
        #expect(r.status == 0 && r.stderr.isEmpty, "zsh -n: \(r.stderr)")
    }

    @Test(.enabled(if: fish != nil, "fish is not installed"))
    func fishScriptParsesAndCompletes() throws {
        let (file, dir) = try ShellTools.write(try Self.script("fish"), named: "stag.fish")
        defer { try? FileManager.default.removeItem(at: dir) }
        let check = try ShellTools.run(Self.fish!, ["-n", file])
        #expect(check.status == 0 && check.stderr.isEmpty, "fish -n: \(check.stderr)")
        // fish prints "candidate<TAB>description" per line; the command line's first word is
        // the built stag, so tag names come from it.
        func complete(_ line: String) throws -> [String] {
            let r = try ShellTools.run(Self.fish!, ["-c", "source $argv[1]; complete -C $argv[2]", file, line],
                                       environment: ["XDG_CONFIG_HOME": dir.path, "XDG_DATA_HOME": dir.path])
            #expect(r.status == 0, "stderr: \(r.stderr)")
            return r.stdout.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
        }
        #expect(try complete("stag ex") == ["export"])
        #expect(try complete("stag export --fo") == ["--format"])
        #expect(try complete("stag export --format n") == ExportFormats.all.map(\.id).filter { $0.hasPrefix("n") })
    }
}
