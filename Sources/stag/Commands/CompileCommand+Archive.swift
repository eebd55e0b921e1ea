import ServiceTags

extension CompileCommand {
    /// `stag compile --archive DIR -o HISTORY`: each weekly file parsed (and hashed beside the
    /// parse) once, oldest first, into a `CompiledHistoryBuilder`; only the distinct pairs and
    /// their runs are kept between files.
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
        do {
            for entry in archive.entries {
                let (file, digest) = try DataSource.loadHashing(entry.path)
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
