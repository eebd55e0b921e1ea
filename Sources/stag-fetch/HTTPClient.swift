import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP GET at a time, synchronously, with a hard deadline, a body-size cap and the URL
/// policy applied to redirects.
///
/// URLSession on Linux runs on libcurl, which reads `https_proxy`, `http_proxy`, `all_proxy` and
/// `no_proxy` from the environment itself (FoundationNetworking sets no proxy of its own), and
/// verifies certificates against the system store.
struct HTTPClient {
    struct Response {
        var status: Int
        /// Header names in lower case.
        var headers: [String: String]
        var body: Data
        /// After redirects.
        var url: URL
    }

    enum Failure: Error {
        /// No answer within the deadline.
        case timeout(Double)
        /// Network-level failure; `transient` when a retry may help.
        case transport(String, transient: Bool)
        case tooLarge(Int)
        case refusedRedirect(String)
    }

    /// Looks like a current desktop browser: the Download Center refuses some tool User-Agents.
    static let userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

    var timeout: Double
    var maxBytes: Int
    var policy: URLPolicy

    func get(_ url: URL, headers extra: [String: String] = [:]) -> Result<Response, Failure> {
        let config = URLSessionConfiguration.ephemeral
        config.urlCache = nil
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout
        let delegate = Collector(maxBytes: maxBytes, policy: policy)
        let session = URLSession(configuration: config, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }

        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        request.setValue(Self.userAgent, forHTTPHeaderField: "User-Agent")
        request.setValue("text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8", forHTTPHeaderField: "Accept")
        request.setValue("en-US,en;q=0.9", forHTTPHeaderField: "Accept-Language")
        for (name, value) in extra { request.setValue(value, forHTTPHeaderField: name) }

        let task = session.dataTask(with: request)
        task.resume()
        if delegate.done.wait(timeout: .now() + timeout) == .timedOut {
            task.cancel()
            _ = delegate.done.wait(timeout: .now() + 5)
            return .failure(.timeout(timeout))
        }
        return delegate.result(requested: url, timeout: timeout)
    }
}

/// Collects one task's response; URLSession calls it on its own queue while `get` waits.
private final class Collector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private let maxBytes: Int
    private let policy: URLPolicy
    private var body = Data()
    private var response: HTTPURLResponse?
    private var error: Error?
    private var refused: String?
    private var tooLarge = false
    private var redirects = 0

    init(maxBytes: Int, policy: URLPolicy) {
        self.maxBytes = maxBytes
        self.policy = policy
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.withLock { self.response = response as? HTTPURLResponse }
        if response.expectedContentLength > Int64(maxBytes) {
            lock.withLock { tooLarge = true }
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let over = lock.withLock { () -> Bool in
            body.append(data)
            if body.count > maxBytes { tooLarge = true }
            return tooLarge
        }
        if over { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        let reason: String? = lock.withLock {
            redirects += 1
            guard let next = request.url else { return "redirect without a location" }
            if redirects > 5 { return "more than 5 redirects" }
            return policy.refusal(next).map { "redirect refused: \($0)" }
        }
        if let reason {
            lock.withLock { refused = reason }
            completionHandler(nil)
        } else {
            completionHandler(request)
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.withLock { self.error = error }
        done.signal()
    }

    func result(requested: URL, timeout: Double) -> Result<HTTPClient.Response, HTTPClient.Failure> {
        lock.withLock {
            if tooLarge { return .failure(.tooLarge(maxBytes)) }
            if let refused { return .failure(.refusedRedirect(refused)) }
            if let error { return .failure(Self.classify(error, timeout: timeout)) }
            guard let response else { return .failure(.transport("no HTTP response", transient: true)) }
            var headers: [String: String] = [:]
            for (key, value) in response.allHeaderFields {
                if let k = key as? String, let v = value as? String { headers[k.lowercased()] = v }
            }
            // A body shorter than its Content-Length is a cut connection, whatever libcurl said.
            if let declared = headers["content-length"].flatMap(Int.init), headers["content-encoding"] == nil,
               declared != body.count, response.statusCode != 304 {
                return .failure(.transport("body cut short: \(body.count) of \(declared) bytes", transient: true))
            }
            return .success(HTTPClient.Response(status: response.statusCode, headers: headers, body: body,
                                                url: response.url ?? requested))
        }
    }

    static func classify(_ error: Error, timeout: Double) -> HTTPClient.Failure {
        let ns = error as NSError
        guard ns.domain == NSURLErrorDomain else { return .transport(ns.localizedDescription, transient: true) }
        switch ns.code {
        case NSURLErrorTimedOut:
            return .timeout(timeout)
        case NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasBadDate, NSURLErrorServerCertificateHasUnknownRoot,
             NSURLErrorServerCertificateNotYetValid, NSURLErrorClientCertificateRejected, NSURLErrorSecureConnectionFailed:
            return .transport("TLS failure (\(ns.localizedDescription)); certificate checks are never skipped", transient: false)
        case NSURLErrorUnsupportedURL, NSURLErrorBadURL:
            return .transport(ns.localizedDescription, transient: false)
        default:
            return .transport(ns.localizedDescription, transient: true)
        }
    }
}
