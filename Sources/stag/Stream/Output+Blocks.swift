extension Output {
    /// Writes a block's standard output, with its standard-error lines in place: the output before
    /// each message is flushed first, as when each input line was answered at once.
    func write(block out: BlockOutput, errors: Output = .standardError) {
        var done = 0
        let bytes = out.bytes.bytes
        for m in out.messages {
            write(raw: UnsafeRawBufferPointer(rebasing: bytes[done ..< m.offset]))
            flush()
            errors.line(m.text)
            errors.flush()
            done = m.offset
        }
        write(raw: UnsafeRawBufferPointer(rebasing: bytes[done...]))
    }
}
