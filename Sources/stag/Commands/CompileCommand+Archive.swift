import ServiceTags

extension CompileCommand {
    /// `stag compile --archive DIR -o HISTORY`: each weekly file parsed (and hashed beside the
    /// parse) once, on every core (`OrderedPrefetch`), and added oldest first to a
    /// `CompiledHistoryBuilder`; only the distinct pairs and their runs, and the few files parsed
    /// ahead, are kept between files.
    static func runArchive(_ dir: String, _ options: Options) throws(CLIError) -> Int32 {
        let archive: HistoryArchive
        do {
            archive = try HistoryArchive(fileNames: try HistoryCommand.jsonFiles(in: dir, command: "compile"), directory: dir, cloud: options.cloud)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("compile: \(error)")
        }
        var builder = CompiledHistoryBuilder()
        let bytes: [UInt8]
        // Files are parsed (and hashed) on every core, ahead of the builder, which takes them in order.
        let entries = archive.entries
        let loads = OrderedPrefetch(count: entries.count) { i -> Result<(ServiceTagsFile, DataSource.Digest), CLIError> in
            // A compiled index named like a weekly file is refused, as `stag history` refuses it
            // (and `loadHashing` then never records a loaded index, which is not thread-safe).
            if CompiledIndex.isCompiledIndex(at: entries[i].path) {
                return .failure(CLIError("\(HumanText.escaped(entries[i].path)) is a compiled index, not a weekly JSON file"))
            }
            do throws(CLIError) { return .success(try DataSource.loadHashing(entries[i].path)) } catch { return .failure(error) }
        }
        defer { loads.stop() }
        do {
            for entry in entries {
                let (file, digest) = try loads.next().get()
                try archive.checkCloud(file, of: entry)
                guard let sha = CompiledIndex.sha256Bytes(hex: digest.sha256) else { throw CLIError("compile: internal error: bad digest \(digest.sha256)") }
                try builder.add(file, fileName: entry.fileName, sha256: sha, size: digest.size)
            }
            bytes = try builder.finish()
        } catch let error as CLIError {
            throw error.prefixed("compile")
        } catch {
            throw CLIError("compile: \(error)")
        }
        try AtomicFile.write(bytes, to: options.output, command: "compile")
        let out = Output.standardOutput
        if options.json {
            out.line(JSONText.object([
                ("output", JSONText.string(options.output)), ("bytes", String(bytes.count)), ("files", String(archive.entries.count)),
                ("cloud", JSONText.string(archive.cloud.cloudField)), ("from", JSONText.string(archive.from)), ("to", JSONText.string(archive.to)),
            ]))
        }
        out.flush()
        return ExitCode.success
    }
}
