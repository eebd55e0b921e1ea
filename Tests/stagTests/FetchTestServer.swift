import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port) for the fetch tests: no external network.
///
/// Each connection is served on its own thread and closed after one response (`Connection:
/// close`). The handler sees every request and how many requests for the same target came
/// before it, so a test can script "500, then 503, then 200". Every wait is bounded: reads time
/// out after 5 s, trickled bodies stop when the client goes away, `stop()` waits at most 5 s.
final class LoopbackHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        /// As sent: a path, or an absolute URL when the client talks to us as a proxy.
        var target: String
        /// Names in lower case.
        var headers: [String: String]
    }

    enum Reply: Sendable {
        case ok(_ body: [UInt8], headers: [(String, String)] = [])
        case status(Int, body: [UInt8] = [], headers: [(String, String)] = [])
        /// Declares `declaredLength` bytes, sends `body` (shorter), then closes.
        case truncated(declaredLength: Int, body: [UInt8])
        /// No Content-Length: the body ends when the connection closes.
        case unframed(_ body: [UInt8])
        /// Declares the full length, then sends one byte per `interval` seconds.
        case trickle(_ body: [UInt8], interval: Double)
    }

    typealias Handler = @Sendable (Request, _ previousForTarget: Int) -> Reply

    let port: UInt16
    private let listenFD: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var log: [Request] = []
    private var stopped = false
    private let connections = DispatchGroup()
    private let acceptDone = DispatchSemaphore(value: 0)

    var base: String { "http://127.0.0.1:\(port)" }

    /// Every request so far, in arrival order.
    var requests: [Request] { lock.withLock { log } }

    func requests(to path: String) -> [Request] { requests.filter { $0.target == path } }

    init(handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        listenFD = fd
        port = UInt16(bigEndian: addr.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    func stop() {
        lock.withLock { stopped = true }
        _ = acceptDone.wait(timeout: .now() + 5)
        close(listenFD)
        _ = connections.wait(timeout: .now() + 5)
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        defer { acceptDone.signal() }
        while !isStopped {
            var p = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 50) > 0 else { continue }
            let client = accept(listenFD, nil, nil)
            guard client >= 0 else { continue }
            connections.enter()
            Thread.detachNewThread { [self] in
                serve(client)
                close(client)
                connections.leave()
            }
        }
    }

    private func serve(_ fd: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = readRequest(fd) else { return }
        let previous = lock.withLock { () -> Int in
            let n = log.filter { $0.target == request.target }.count
            log.append(request)
            return n
        }
        let reply = handler(request, previous)
        switch reply {
        case .ok(let body, let headers):
            send(fd, head(200, length: body.count, headers) + body)
        case .status(let code, let body, let headers):
            send(fd, head(code, length: code == 304 ? nil : body.count, headers) + (code == 304 ? [] : body))
        case .truncated(let declared, let body):
            send(fd, head(200, length: declared, []) + body)
        case .unframed(let body):
            send(fd, head(200, length: nil, []) + body)
        case .trickle(let body, let interval):
            guard send(fd, head(200, length: body.count, [])) else { return }
            for byte in body {
                guard !isStopped, send(fd, [byte]) else { return }
                Thread.sleep(forTimeInterval: interval)
            }
        }
        shutdown(fd, Int32(SHUT_WR))
    }

    private func readRequest(_ fd: Int32) -> Request? {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let end = Array("\r\n\r\n".utf8)
        while data.count < 65536 {
            let n = recv(fd, &chunk, chunk.count, 0)
            guard n > 0 else { return nil }
            data += chunk[0..<n]
            if let range = data.firstRange(of: end) {
                let lines = String(decoding: data[..<range.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
                let parts = lines[0].split(separator: " ")
                guard parts.count == 3 else { return nil }
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                return Request(method: String(parts[0]), target: String(parts[1]), headers: headers)
            }
        }
        return nil
    }

    private func head(_ status: Int, length: Int?, _ extra: [(String, String)]) -> [UInt8] {
        let reason = [200: "OK", 302: "Found", 304: "Not Modified", 404: "Not Found", 500: "Internal Server Error",
                      503: "Service Unavailable"][status] ?? "Status"
        var text = "HTTP/1.1 \(status) \(reason)\r\nConnection: close\r\n"
        if let length { text += "Content-Length: \(length)\r\n" }
        for (name, value) in extra { text += "\(name): \(value)\r\n" }
        return Array((text + "\r\n").utf8)
    }

    @discardableResult
    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
