import Foundation
import ServiceTags

/// Which URLs may be fetched: HTTPS always; plain HTTP only for loopback hosts (tests, a local
/// mirror) or with `--allow-http`. Applied to given URLs, discovered links and every redirect,
/// so a page cannot bounce the download to plain HTTP. Certificates are always checked (we never
/// install a delegate that accepts a failed trust evaluation).
struct URLPolicy {
    var allowHTTP: Bool

    /// Nil when `url` may be fetched, else the reason it may not.
    func refusal(_ url: URL) -> String? {
        switch url.scheme?.lowercased() {
        case "https":
            return url.host.map { $0.isEmpty } ?? true ? "no host in \(url.absoluteString)" : nil
        case "http":
            guard let host = url.host, !host.isEmpty else { return "no host in \(url.absoluteString)" }
            if allowHTTP || Self.isLoopback(host) { return nil }
            return "plain HTTP is refused for \(host) (\(url.absoluteString)): use https, or --allow-http for a mirror you trust"
        default:
            return "only https URLs are fetched, not \(url.absoluteString)"
        }
    }

    /// `localhost`, 127.0.0.0/8, `::1` and IPv4-mapped loopback.
    static func isLoopback(_ host: String) -> Bool {
        var h = host.lowercased()
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" { return true }
        switch IPAddress(h)?.unmapped {
        case .v4(let a)?: return a.bits >> 24 == 127
        case .v6(let a)?: return a.bits == 1
        case nil: return false
        }
    }
}
