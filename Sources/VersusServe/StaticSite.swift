import Foundation
import VersusCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves a built site the way the CDN will: clean URLs, the `_headers` rules
/// and `_redirects` the build wrote, precompressed variants, validators and
/// conditional requests, and the site's own 404 page. It never serves a file
/// outside the output folder.
///
/// This part knows nothing of HTTP servers: a request goes in, a `Reply` comes out,
/// so every rule is testable without a socket.
public struct StaticSite: Sendable {
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        /// The body (empty for HEAD, 304 and redirects).
        public var body: [UInt8]
        /// The file served, for logging.
        public var file: String?

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// The output folder, resolved (symlinks and all) once.
    public let root: String
    /// Adds to served HTML (the live-reload script); nil serves files as they are.
    public let inject: (@Sendable (String) -> String)?

    public init(root: String, inject: (@Sendable (String) -> String)? = nil) {
        self.root = StaticSite.realPath(root) ?? root
        self.inject = inject
    }

    // MARK: Responding

    public func respond(method: String, target: String, headers requestHeaders: [String: String]) -> Reply {
        guard method == "GET" || method == "HEAD" else {
            return Reply(status: 405, headers: [("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")],
                         body: Array("method not allowed\n".utf8))
        }
        let head = method == "HEAD"
        // The path, without the query, and the query kept for redirects.
        var rawPath = target
        var query = ""
        if let q = target.firstIndex(of: "?") {
            query = String(target[q...])
            rawPath = String(target[..<q])
        }
        if let h = rawPath.firstIndex(of: "#") { rawPath = String(rawPath[..<h]) }
        guard let path = StaticSite.safePath(rawPath) else {
            return Reply(status: 400, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("bad request path\n".utf8))
        }
        let rules = Rules.load(root: root)

        // _redirects, as a CDN applies them.
        if let to = rules.redirects[path] {
            return Reply(status: 301, headers: [("Location", to + query), ("Content-Length", "0")], body: [])
        }
        // Files the CDN keeps to itself, and hidden files.
        let hidden = path.split(separator: "/").contains { $0.hasPrefix(".") } || path == "/_headers" || path == "/_redirects"

        var file = root + path
        if path.hasSuffix("/") { file += "index.html" }
        var info = hidden ? nil : Disk.stat(file)
        if info?.isDirectory == true {
            // "/x" where x is a folder: the CDN redirects to "/x/".
            if Disk.stat(file + "/index.html") != nil {
                return Reply(status: 301, headers: [("Location", StaticSite.encode(path) + "/" + query), ("Content-Length", "0")], body: [])
            }
            info = nil
        }
        guard let found = info, let resolved = StaticSite.realPath(file), resolved == root || resolved.hasPrefix(root + "/") else {
            return notFound(head: head, rules: rules)
        }
        return serve(file: file, sitePath: path.hasSuffix("/") ? path + "index.html" : path, info: found, status: 200,
                     head: head, requestHeaders: requestHeaders, rules: rules)
    }

    func notFound(head: Bool, rules: Rules) -> Reply {
        let file = root + "/404.html"
        if let info = Disk.stat(file), !info.isDirectory {
            var reply = serve(file: file, sitePath: "/404.html", info: info, status: 404, head: head, requestHeaders: [:], rules: rules)
            reply.headers.removeAll { ["etag", "last-modified"].contains($0.0.lowercased()) }
            reply.headers = reply.headers.map { $0.0 == "Cache-Control" ? ("Cache-Control", "no-store") : $0 }
            return reply
        }
        return Reply(status: 404, headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")],
                     body: head ? [] : Array("not found\n".utf8))
    }

    func serve(file: String, sitePath: String, info: Disk.Info, status: Int, head: Bool,
               requestHeaders: [String: String], rules: Rules) -> Reply {
        let type = ContentType.of(sitePath)
        let isHTML = type.hasPrefix("text/html")
        let injecting = isHTML && inject != nil
        var headers: [(String, String)] = [("Content-Type", type)]
        for (name, value) in rules.headers(for: sitePath) where name.lowercased() != "content-type" {
            if injecting && name.lowercased() == "content-security-policy" {
                headers.append((name, LiveReload.allowScript(in: value)))
            } else {
                headers.append((name, value))
            }
        }
        if !headers.contains(where: { $0.0.lowercased() == "cache-control" }) {
            headers.append(("Cache-Control", "no-cache"))
        }
        let etag = "\"\(String(info.modified, radix: 16))-\(String(info.size, radix: 16))\(injecting ? "-lr" : "")\""
        headers.append(("ETag", etag))
        headers.append(("Last-Modified", HTTPDate.format(seconds: info.modified / 1_000_000_000)))

        // Conditional requests.
        if status == 200 {
            if let match = requestHeaders["if-none-match"] {
                let tags = match.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if tags.contains("*") || tags.contains(where: { $0 == etag || $0 == "W/" + etag }) {
                    return Reply(status: 304, headers: headers.filter { $0.0 != "Content-Type" }, body: [], file: file)
                }
            } else if let since = requestHeaders["if-modified-since"].flatMap(HTTPDate.parse),
                      info.modified / 1_000_000_000 <= since {
                return Reply(status: 304, headers: headers.filter { $0.0 != "Content-Type" }, body: [], file: file)
            }
        }

        // A precompressed variant, when the client takes one (never for HTML we change).
        var path = file
        if !injecting, let accept = requestHeaders["accept-encoding"] {
            let accepted = Set(accept.split(separator: ",").map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() })
            for (encoding, suffix) in [("br", ".br"), ("gzip", ".gz")] where accepted.contains(encoding) {
                if let v = Disk.stat(file + suffix), !v.isDirectory {
                    path = file + suffix
                    headers.append(("Content-Encoding", encoding))
                    break
                }
            }
            if ContentType.isCompressible(sitePath) { headers.append(("Vary", "Accept-Encoding")) }
        }
        var body: [UInt8]
        let stamp = Disk.stat(path).map { "\($0.modified):\($0.size)" } ?? ""
        if let hit = FileCache.shared.get(path, stamp: stamp, injected: injecting) {
            body = hit
        } else {
            body = (try? FileIO.disk.read(path)) ?? []
            if injecting, let inject {
                body = Array(inject(String(decoding: body, as: UTF8.self)).utf8)
            }
            FileCache.shared.put(path, stamp: stamp, injected: injecting, body)
        }
        headers.append(("Content-Length", String(body.count)))
        return Reply(status: status, headers: headers, body: head ? [] : body, file: file)
    }

    // MARK: Paths

    /// The decoded path, or nil when it is unsafe: not absolute, `..` or `.` segments
    /// (plain or percent-encoded), encoded slashes or backslashes, NUL or control bytes,
    /// `//`, or invalid UTF-8.
    public static func safePath(_ raw: String) -> String? {
        guard raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\") else { return nil }
        let lower = raw.lowercased()
        if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") { return nil }
        guard let decoded = raw.removingPercentEncoding else { return nil }
        if decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return nil }
        if decoded.contains("//") || decoded.contains("\\") { return nil }
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if segment == "." || segment == ".." { return nil }
        }
        return decoded
    }

    /// Percent-encodes a path for a Location header.
    static func encode(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: CharacterSet.urlPathAllowed) ?? path
    }

    static func realPath(_ path: String) -> String? {
        guard let r = realpath(path, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    // MARK: The build's CDN rules

    /// `_headers` and `_redirects` from the output folder, reread when they change.
    struct Rules: Sendable {
        var headerRules: [(pattern: String, headers: [(String, String)])] = []
        var redirects: [String: String] = [:]

        func headers(for path: String) -> [(String, String)] {
            var out: [(String, String)] = []
            let page = path.hasSuffix("/index.html") ? String(path.dropLast("index.html".count)) : path
            for rule in headerRules where Rules.matches(rule.pattern, page) || Rules.matches(rule.pattern, path) {
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

        private static let lock = NSLock()
        nonisolated(unsafe) private static var cached: [String: (stamp: String, rules: Rules)] = [:]

        static func load(root: String) -> Rules {
            let stamp = ["_headers", "_redirects"].map { name -> String in
                guard let i = Disk.stat(root + "/" + name) else { return "-" }
                return "\(i.modified):\(i.size)"
            }.joined(separator: "|")
            if let hit = lock.withLock({ cached[root] }), hit.stamp == stamp { return hit.rules }
            var rules = Rules()
            if let text = try? FileIO.disk.readString(root + "/_headers") {
                for line in text.split(separator: "\n") {
                    if line.first == " " || line.first == "\t" {
                        let l = line.trimmingCharacters(in: .whitespaces)
                        guard !rules.headerRules.isEmpty, let colon = l.firstIndex(of: ":") else { continue }
                        rules.headerRules[rules.headerRules.count - 1].headers.append(
                            (String(l[..<colon]).trimmingCharacters(in: .whitespaces), String(l[l.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
                    } else if !line.hasPrefix("#") {
                        rules.headerRules.append((line.trimmingCharacters(in: .whitespaces), []))
                    }
                }
            }
            if let text = try? FileIO.disk.readString(root + "/_redirects") {
                for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                    let f = line.split(separator: " ", omittingEmptySubsequences: true)
                    if f.count >= 2 { rules.redirects[String(f[0])] = String(f[1]) }
                }
            }
            lock.withLock { cached[root] = (stamp, rules) }
            return rules
        }
    }
}

/// Recently served bodies, checked against the file's time and size on every use.
final class FileCache: @unchecked Sendable {
    static let shared = FileCache()
    private let lock = NSLock()
    private var entries: [String: (stamp: String, body: [UInt8])] = [:]
    private var bytes = 0
    private let limit = 64 * 1024 * 1024

    func get(_ path: String, stamp: String, injected: Bool) -> [UInt8]? {
        lock.withLock {
            guard let e = entries[key(path, injected)], e.stamp == stamp else { return nil }
            return e.body
        }
    }

    func put(_ path: String, stamp: String, injected: Bool, _ body: [UInt8]) {
        lock.withLock {
            if bytes + body.count > limit { entries = [:]; bytes = 0 }
            entries[key(path, injected)] = (stamp, body)
            bytes += body.count
        }
    }

    private func key(_ path: String, _ injected: Bool) -> String { injected ? path + "#lr" : path }
}

/// `stat` for the server: size, modification time, folder or not.
enum Disk {
    struct Info {
        var size: Int
        var modified: Int64   // nanoseconds
        var isDirectory: Bool
    }

    static func stat(_ path: String) -> Info? {
        guard let i = FileIO.disk.info(path) else { return nil }
        return Info(size: i.size, modified: i.modified, isDirectory: i.isDirectory)
    }
}

/// HTTP dates (IMF-fixdate): `Sat, 21 Nov 2026 01:28:00 GMT`.
public enum HTTPDate {
    static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func format(seconds: Int64) -> String {
        let day = Day(unixTime: seconds)
        let inDay = ((seconds % 86_400) + 86_400) % 86_400
        let weekday = days[Int(((seconds >= 0 ? seconds : seconds - 86_399) / 86_400 % 7 + 7) % 7)]
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(weekday), \(day.day < 10 ? "0" : "")\(day.day) \(months[day.month - 1]) \(day.year) \(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60)) GMT"
    }

    /// Seconds since the epoch, or nil.
    public static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let d = Int(parts[1]), let y = Int(parts[3]),
              let m = months.firstIndex(of: String(parts[2])) else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int64($0) }
        guard hms.count == 3 else { return nil }
        // Days from the civil date (inverse of Day(unixTime:)).
        let yy = Int64(m + 1 <= 2 ? y - 1 : y)
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mm = Int64(m + 1)
        let doy = (153 * (mm + (mm > 2 ? -3 : 9)) + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2]
    }
}
