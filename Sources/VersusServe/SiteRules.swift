import Foundation
import VersusCore

/// The CDN rules of the site being served, the `_headers` rules and the `_redirects`, as
/// data from the build (`BuildReport.headerRules`, `.redirects`): the files the build
/// wrote are never parsed, and nothing is read per request.
public struct SiteRules: Sendable {
    public var headerRules: [Headers.Rule] = []
    /// From path → to path, as `_redirects` lists them.
    public var redirects: [String: String] = [:]

    public init() {}

    public init(headerRules: [Headers.Rule], redirects: [Redirect]) {
        self.headerRules = headerRules
        self.redirects = Dictionary(redirects.map { ($0.from, $0.to) }, uniquingKeysWith: { first, _ in first })
    }

    public init(_ report: BuildReport) {
        self.init(headerRules: report.headerRules, redirects: report.redirects)
    }

    public init(_ committed: Committed) {
        self.init(headerRules: committed.headerRules, redirects: committed.redirects)
    }

    /// The headers the rules give a file (`/x/index.html` also matches the rules for `/x/`);
    /// a later rule replaces an earlier one's header of the same name.
    func headers(for path: String) -> [(String, String)] {
        var out: [(String, String)] = []
        let page = path.hasSuffix("/index.html") ? String(path.dropLast("index.html".count)) : path
        for rule in headerRules where SiteRules.matches(rule.pattern, page) || SiteRules.matches(rule.pattern, path) {
            for (name, value) in rule.headers {
                out.removeAll { $0.0.lowercased() == name.lowercased() }
                out.append((name, value))
            }
        }
        return out
    }

    /// Netlify-style patterns: exact, or one `*` splat matching any run of characters.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return pattern == path }
        let prefix = pattern[..<star], suffix = pattern[pattern.index(after: star)...]
        return path.count >= prefix.count + suffix.count && path.hasPrefix(prefix) && path.hasSuffix(suffix)
    }
}

/// The rules in force: read by every request, replaced whole after each good build.
public final class SiteRulesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: SiteRules

    public init(_ rules: SiteRules = SiteRules()) { value = rules }

    public var current: SiteRules { lock.withLock { value } }

    public func replace(with rules: SiteRules) { lock.withLock { value = rules } }
}
