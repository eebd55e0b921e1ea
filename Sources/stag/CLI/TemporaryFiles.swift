#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files of unfinished `AtomicFile`s, removed if the process is interrupted.
///
/// Handlers for SIGINT, SIGTERM, SIGPIPE and SIGXFSZ unlink every registered path and then re-raise
/// the signal with its default disposition, so the exit status still says which signal ended the
/// run. A signal the parent set to be ignored stays ignored. The handler only reads fixed C buffers
/// and calls `unlink`, `sigaction`, `getpid` and `raise`, which are async-signal-safe; paths are
/// copied into the buffers when registered, never allocated in the handler. `atexit` covers an
/// `exit()` taken before a writer was finished.
///
/// SIGXFSZ that the kernel raises for our own write past `ulimit -f` (sender: this process) is not
/// fatal: the handler returns, the `write` fails with `EFBIG`, and the writer reports
/// "File too large" (exit 2) and removes its temporary file like any other write error.
enum TemporaryFiles {
    static let capacity = 8
    static let slotSize = Int(PATH_MAX) + 1

    /// `capacity` NUL-terminated paths; a slot is live while `live[i] != 0`.
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: capacity * slotSize)
        p.initialize(repeating: 0, count: capacity * slotSize)
        return p
    }()
    nonisolated(unsafe) static let live: UnsafeMutablePointer<sig_atomic_t> = {
        let p = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
        return p
    }()
    nonisolated(unsafe) private static var installed = false

    static let signals: [Int32] = [SIGINT, SIGTERM, SIGPIPE, SIGXFSZ]

    /// Creates a temporary file with `create` (which returns its descriptor and path, or nil) and
    /// registers it, with the handlers installed first and the signals blocked in between: a signal
    /// arriving just after the file appears is delivered once it is registered, and removes it.
    static func create(_ create: () -> (Int32, String)?) -> (fd: Int32, path: String, slot: Int?)? {
        installHandlers()
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        for sig in signals { sigaddset(&blocked, sig) }
        sigprocmask(SIG_BLOCK, &blocked, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        guard let (fd, path) = create() else { return nil }
        return (fd, path, register(path))
    }

    /// Records `path` for removal on a signal; returns its slot, or nil when the path is too long
    /// or all slots are taken (the file is then only removed by the next run to the same target).
    private static func register(_ path: String) -> Int? {
        let bytes = Array(path.utf8)
        guard bytes.count < slotSize, !bytes.contains(0) else { return nil }
        for i in 0..<capacity where live[i] == 0 {
            let slot = slots + i * slotSize
            for (j, b) in bytes.enumerated() { slot[j] = CChar(bitPattern: b) }
            slot[bytes.count] = 0
            live[i] = 1
            return i
        }
        return nil
    }

    /// Forgets a slot (its file was renamed into place or removed).
    static func unregister(_ slot: Int?) {
        if let slot { live[slot] = 0 }
    }

    /// Unlinks every registered path. Async-signal-safe.
    static func unlinkAll() {
        for i in 0..<capacity where live[i] != 0 {
            unlink(slots + i * slotSize)
            live[i] = 0
        }
    }

    private static func installHandlers() {
        if installed { return }
        installed = true
        atexit { TemporaryFiles.unlinkAll() }
        for sig in signals {
            var old = sigaction()
            sigaction(sig, nil, &old)
            if let handler = old.__sigaction_handler.sa_handler,
               unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = onSignal
            action.sa_flags = SA_SIGINFO
            sigemptyset(&action.sa_mask)
            for other in signals { sigaddset(&action.sa_mask, other) }
            sigaction(sig, &action, nil)
        }
    }
}

/// See `TemporaryFiles`: remove the temporaries, then die of `sig` as if no handler were installed.
private func onSignal(_ sig: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _: UnsafeMutableRawPointer?) {
    if sig == SIGXFSZ, let info, info.pointee.si_code == SI_USER, info.pointee._sifields._kill.si_pid == getpid() {
        return  // our own write past RLIMIT_FSIZE: it fails with EFBIG and the writer cleans up
    }
    TemporaryFiles.unlinkAll()
    var action = sigaction()
    action.__sigaction_handler.sa_handler = SIG_DFL
    sigemptyset(&action.sa_mask)
    sigaction(sig, &action, nil)
    // Blocked while this handler runs: delivered, with the default action, when it returns.
    raise(sig)
}
