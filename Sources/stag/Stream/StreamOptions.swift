import ServiceTags
import StagOptions

/// Options shared by the streaming commands (`lookup -`, `grep`).
enum StreamOptions {
    /// `--threads N` (1 ... 256), default the number of online cores.
    static func threadCount(_ args: ParsedArguments, command: String) throws(CLIError) -> Int {
        guard let text = args.value(.threads) else { return min(HelperThread.onlineCores, 64) }
        guard let n = Int(text), n >= 1, n <= 256 else {
            throw CLIError.usage(command, "--threads needs a whole number from 1 to 256, not '\(HumanText.escaped(text))'")
        }
        return n
    }
}
