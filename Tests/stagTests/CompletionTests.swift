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

    /// A tag name in the data is offered as it is, never expanded by the shell that offers it.
    @Test(.enabled(if: bash != nil, "bash is not installed"))
    func bashNeverExpandsTagNames() throws {
        let dir = try StagCLI.temporaryDirectory(prefix: "stag-hostile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let marker = dir.appendingPathComponent("ran").path
        let name = "X$(touch${IFS}\(marker))"
        let data = dir.appendingPathComponent("hostile.json")
        let json = #"{"changeNumber":1,"cloud":"Public","values":[{"name":"NAME","id":"NAME","properties":{"changeNumber":1,"region":"","regionId":0,"platform":"Azure","systemService":"","addressPrefixes":["192.0.2.0/24"],"networkFeatures":[]}}]}"#
        try Data(json.replacing("NAME", with: name).utf8).write(to: data)
        #expect(try Self.bashComplete(["stag", "export", "--data", data.path, "X"]) == [name])
        #expect(!FileManager.default.fileExists(atPath: marker), "completing a tag name ran a command")
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

    /// Drives an interactive zsh on a pseudo-terminal (zsh/zpty): TAB is a widget that runs
    /// complete-word and then prints a mark, so the driver waits for the mark, not for a time.
    /// Every candidate compadd is given lands in the hits file.
    static let zshDriver = #"""
    # $1 the directory holding _stag, $2 the hits file, $3 the command line to complete
    zmodload zsh/zpty
    zpty z 'zsh -f -i'
    zpty -w z "PROMPT='> '; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D"
    zpty -w z 'compadd () { typeset -a __hits; builtin compadd -A __hits "$@"; local h; for h in $__hits; do print -r -- "$h" >> '$2'; done; builtin compadd "$@" }'
    zpty -w z 'complete-then-mark () { zle complete-word; print -r -- "END""MARK" > /dev/tty }; zle -N complete-then-mark; bindkey "^X" complete-then-mark'
    zpty -w -n z "$3"$'\C-X'
    zpty -r z out '*ENDMARK*'
    zpty -d z
    """#

    @Test(.enabled(if: zsh != nil, "zsh is not installed"))
    func zshCompletes() throws {
        let (_, dir) = try ShellTools.write(try Self.script("zsh"), named: "_stag")
        defer { try? FileManager.default.removeItem(at: dir) }
        let driver = dir.appendingPathComponent("driver.zsh").path, hits = dir.appendingPathComponent("hits").path
        try Data(Self.zshDriver.utf8).write(to: URL(fileURLWithPath: driver))
        func complete(_ line: String) throws -> [String] {
            try? FileManager.default.removeItem(atPath: hits)
            let r = try ShellTools.run(Self.zsh!, ["-f", driver, dir.path, hits, line.replacing("stag ", with: StagCLI.executable.path + " ")])
            #expect(r.status == 0 && !r.signaled, "stderr: \(r.stderr)")
            let found = (try? String(contentsOfFile: hits, encoding: .utf8)) ?? ""
            return Set(found.split(separator: "\n").map(String.init)).sorted(by: CLITestData.byteOrder)
        }
        #expect(try complete("stag ex") == ["export"])
        #expect(try complete("stag export --fo") == ["--format"])
        #expect(try complete("stag export --format n") == ExportFormats.all.map(\.id).filter { $0.hasPrefix("n") })
        let tags = try CLITestData.read(Self.sample).tags.map(\.name).filter { $0.hasPrefix("Stor") }
        #expect(try complete("stag export --data \(Self.sample) Stor") == Set(tags).sorted(by: CLITestData.byteOrder))
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
        // By the built stag's full path (fish matches the completions by the command's base
        // name), so the tag names come from that stag.
        let tags = try CLITestData.read(Self.sample).tags.map(\.name).filter { $0.hasPrefix("Stor") }
        #expect(try complete("\(StagCLI.executable.path) export --data \(Self.sample) Stor") == tags.sorted(by: CLITestData.byteOrder))
    }
}
