extension Output {
    /// Writes a block's standard output with its input pieces and standard-error lines in place:
    /// the output before each message is flushed first, as when each input line was answered at once.
    func write(block out: BlockOutput, errors: Output = .standardError) {
        var done = 0, m = 0, p = 0
        let bytes = out.bytes.bytes
        while m < out.messages.count || p < out.pieces.count {
            // Pieces and messages at the same offset: the piece (part of a line) goes first.
            let piece = p < out.pieces.count && (m == out.messages.count || out.pieces[p].offset <= out.messages[m].offset)
            let offset = piece ? out.pieces[p].offset : out.messages[m].offset
            write(raw: UnsafeRawBufferPointer(rebasing: bytes[done ..< offset]))
            done = offset
            if piece {
                write(raw: out.pieces[p].bytes)
                p += 1
            } else {
                flush()
                errors.line(out.messages[m].text)
                errors.flush()
                m += 1
            }
        }
        write(raw: UnsafeRawBufferPointer(rebasing: bytes[done...]))
    }
}
