import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A GET that retries what may be transient (timeouts, connection failures, HTTP 408, 425, 429
/// and 5xx) a bounded number of times with exponential backoff, and nothing else: a 404 or a
/// refused redirect will not change in a few seconds, so the next discovery strategy is tried
/// instead.
struct RetryingGet {
    var client: HTTPClient
    var retries: Int
    var backoffMilliseconds: Int
    /// Called before each retry with a one-line notice (stderr).
    var notice: (String) -> Void

    static let transientStatuses: Set<Int> = [408, 425, 429, 500, 502, 503, 504]

    /// RFC 9110 reason phrases for the statuses worth naming (Foundation's are lower case on Linux).
    static let reasonPhrases: [Int: String] = [
        300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
        307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
        404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout", 410: "Gone", 425: "Too Early",
        429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
        504: "Gateway Timeout",
    ]

    enum Outcome {
        case ok(HTTPClient.Response)
        /// 304 to a conditional request.
        case notModified(HTTPClient.Response)
    }

    /// - Returns: the response, or why the last attempt failed (`HTTP 404`, `timed out after 1 s`...).
    func run(_ url: URL, headers: [String: String] = [:]) -> Result<Outcome, AttemptFailure> {
        var attempt = 0
        while true {
            attempt += 1
            let reason: String
            var retryAfter: Double?
            switch client.get(url, headers: headers) {
            case .success(let r) where r.status == 200:
                return .success(.ok(r))
            case .success(let r) where r.status == 304 && !headers.isEmpty:
                return .success(.notModified(r))
            case .success(let r):
                reason = "HTTP \(r.status)" + (Self.reasonPhrases[r.status].map { " " + $0 } ?? "")
                guard Self.transientStatuses.contains(r.status) else { return .failure(AttemptFailure(reason)) }
                retryAfter = r.headers["retry-after"].flatMap(Double.init)
            case .failure(.timeout(let s)):
                reason = "timed out after \(Self.seconds(s))"
            case .failure(.transport(let message, let transient)):
                reason = message
                guard transient else { return .failure(AttemptFailure(reason)) }
            case .failure(.tooLarge(let limit)):
                return .failure(AttemptFailure("response larger than \(limit >> 20) MiB"))
            case .failure(.refusedRedirect(let why)):
                return .failure(AttemptFailure(why))
            }
            guard attempt <= retries else {
                return .failure(AttemptFailure(attempt > 1 ? "\(reason) (after \(attempt) attempts)" : reason))
            }
            let delay = self.delay(beforeRetry: attempt, retryAfter: retryAfter)
            notice("GET \(url.absoluteString): \(reason); retrying in \(Self.seconds(delay)) (attempt \(attempt + 1) of \(retries + 1))")
            Thread.sleep(forTimeInterval: delay)
        }
    }

    /// `backoff × 2^(n-1)`, at most 30 s; a server's `Retry-After` (seconds) is honoured up to 60 s.
    func delay(beforeRetry n: Int, retryAfter: Double?) -> Double {
        let exponential = min(Double(backoffMilliseconds) / 1000 * Double(1 << min(n - 1, 16)), 30)
        guard let retryAfter, retryAfter > 0 else { return exponential }
        return max(exponential, min(retryAfter, 60))
    }

    static func seconds(_ s: Double) -> String {
        s >= 1 && s == s.rounded() ? "\(Int(s)) s" : s < 1 ? "\(Int((s * 1000).rounded())) ms" : String(format: "%.1f s", s)
    }
}
