#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `main` of every fuzz target (see Tests/Fuzz/run.sh).
///
/// Built by run.sh with `-sanitize=fuzzer,address -D STAG_LIBFUZZER`, it hands the command line to
/// libFuzzer. Built without the flag it replays the files named on the command line through the
/// same property check, so a crash file can be reproduced (and debugged) in a plain debug build:
/// `STAG_FUZZ=1 swift build --product fuzz-prefix && .build/debug/fuzz-prefix crash-…`.
///
/// Each target also exports `LLVMFuzzerTestOneInput` itself (`@_cdecl` must sit in the
/// executable): with lld, libFuzzer's own `main` may be the one linked, and it calls that symbol.
public enum FuzzDriver {
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

    public static func main(_ testOneInput: TestOneInput) -> Never {
        #if STAG_LIBFUZZER
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
        #else
        for path in CommandLine.arguments.dropFirst() {
            let bytes = readFile(path)
            _ = bytes.withUnsafeBufferPointer { testOneInput($0.baseAddress, $0.count) }
            print("\(path): ok (\(bytes.count) bytes)")
        }
        exit(0)
        #endif
    }

    /// The whole file at `path`; exits 2 when it cannot be read.
    static func readFile(_ path: String) -> [UInt8] {
        guard let f = fopen(path, "rb") else {
            printError("fuzz: cannot open \(path)\n")
            exit(2)
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            bytes += chunk[..<n]
        }
        return bytes
    }

    static func printError(_ text: String) {
        var text = text
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// Stops the run with a message libFuzzer records with the crashing input.
    public static func fail(_ message: String, _ input: UnsafeRawBufferPointer) -> Never {
        let shown = String(decoding: input.prefix(200), as: UTF8.self).debugDescription
        printError("fuzz property violated: \(message)\ninput (\(input.count) bytes): \(shown)\n")
        abort()
    }
}

#if STAG_LIBFUZZER
// libFuzzer's entry point for a custom main (LLVM 11+, FuzzerInterface.h): a C function taking
// pointers only, which the Swift calling convention passes in the same registers.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ testOneInput: FuzzDriver.TestOneInput) -> Int32
#endif
