import Foundation
import VersusCore

/// Serves a built site the way the CDN will: clean URLs, the build's `_headers` rules and
/// `_redirects` (as data, `SiteRules`), content codings as the client weighs them
/// (precompressed copies when the build wrote them, else compressed on the fly),
/// validators and conditional requests, byte ranges (`ByteRange`), and the site's own 404 page. Every file it sends,
/// copies and the 404 page included, is opened through `OutputFile`, so none lies outside
/// the output folder.
///
/// This part knows nothing of HTTP servers: a request goes in, a `Reply` comes out,
/// so every rule is testable without a socket.
public struct StaticSite: Sendable {
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        /// The body (empty for HEAD, 304 and redirects, and when it is `stream`ed).
        public var body: [UInt8]
        /// The file served, for logging.
        public var file: String?
        /// A large file's bytes as they are (or a part of them), to be sent from the open file
        /// a chunk at a time rather than read whole into memory (`StaticSite.streamFrom`).
        public var stream: Stream?

        public init(status: Int, headers: [(String, String)], body: [UInt8], file: String? = nil, stream: Stream? = nil) {
            self.status = status
            self.headers = headers
            self.body = body
            self.file = file
            self.stream = stream
        }

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// The output folder, resolved (symlinks and all) once.
    public let root: String
    /// The rules in force, replaced after each build.
    public let rules: SiteRulesBox
    /// Whether to look for precompressed copies (`x.html.br`) beside the files: only when
    /// the build writes them.
    public let precompressed: Bool
    /// Adds to served HTML (the live-reload script); nil serves files as they are.
    public let inject: (@Sendable (String) -> String)?
    let bodies: BodyCache

    public init(root: String, rules: SiteRulesBox = SiteRulesBox(), precompressed: Bool = true,
                inject: (@Sendable (String) -> String)? = nil) {
        self.init(root: root, rules: rules, precompressed: precompressed, bodies: BodyCache(), inject: inject)
    }

    init(root: String, rules: SiteRulesBox, precompressed: Bool, bodies: BodyCache, inject: (@Sendable (String) -> String)?) {
        self.root = OutputFile.realPath(root) ?? root
        self.rules = rules
        self.precompressed = precompressed
        self.bodies = bodies
        self.inject = inject
    }

    static let plainText = ("Content-Type", "text/plain; charset=utf-8")

    /// Files from this size on, sent as they are, are streamed from the open file: a video or
    /// a download is never read whole into memory nor kept in the body cache. (Smaller files
    /// and HTML with the reload script are read once and cached.)
    public static let streamFrom = 1 << 20

    /// Bytes of an open output file, read a chunk at a time while the reply is sent. The file
    /// stays open until the last chunk is read: a rebuild replaces files, never changes them in
    /// place, so the bytes sent are all of one version.
    public struct Stream: Sendable {
        let file: OutputFile
        public let range: Range<Int>
        /// The size of a chunk read and sent at a time.
        public static let chunk = 256 * 1024

        /// `count` bytes from `offset` (an offset within the file); nil when the file is
        /// shorter than it was when opened.
        public func read(_ offset: Int, _ count: Int) -> [UInt8]? { file.read(offset, count) }
    }

    // MARK: Responding

    /// - Parameter requestHeaders: by lower-case name (repeated fields joined with ", ").
    public func respond(method: String, target: String, headers requestHeaders: [String: String]) -> Reply {
        guard method == "GET" || method == "HEAD" else {
            return Reply(status: 405, headers: [("Allow", "GET, HEAD"), Self.plainText], body: Array("method not allowed\n".utf8))
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
            return Reply(status: 400, headers: [Self.plainText], body: Array("bad request path\n".utf8))
        }
        let rules = self.rules.current
        let accept = AcceptEncoding(requestHeaders["accept-encoding"])

        // _redirects, as a CDN applies them.
        if let to = rules.redirects[path] {
            return Reply(status: 301, headers: [("Location", to + query), ("Content-Length", "0")], body: [])
        }
        // Files the CDN keeps to itself, and hidden files.
        if path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) || path == "/_headers" || path == "/_redirects" {
            return notFound(head: head, accept: accept, rules: rules)
        }
        let sitePath = SitePath.file(path)
        guard let file = OutputFile.open(root + sitePath, inside: root) else {
            return notFound(head: head, accept: accept, rules: rules)
        }
        if file.isDirectory {
            // "/x" where x is a folder: the CDN redirects to "/x/".
            if let index = OutputFile.open(root + sitePath + "/index.html", inside: root), !index.isDirectory {
                return Reply(status: 301, headers: [("Location", StaticSite.encode(path) + "/" + query), ("Content-Length", "0")], body: [])
            }
            return notFound(head: head, accept: accept, rules: rules)
        }
        return serve(file, sitePath: sitePath, status: 200, head: head, accept: accept, requestHeaders: requestHeaders, rules: rules)
    }

    func notFound(head: Bool, accept: AcceptEncoding, rules: SiteRules) -> Reply {
        if let page = OutputFile.open(root + "/404.html", inside: root), !page.isDirectory {
            return serve(page, sitePath: "/404.html", status: 404, head: head, accept: accept, requestHeaders: [:], rules: rules)
        }
        return Reply(status: 404, headers: [Self.plainText, ("Cache-Control", "no-store")], body: head ? [] : Array("not found\n".utf8))
    }

    /// One file, in the coding the client prefers, with its validators (none for an error page).
    func serve(_ file: OutputFile, sitePath: String, status: Int, head: Bool, accept: AcceptEncoding,
               requestHeaders: [String: String], rules: SiteRules) -> Reply {
        let type = ContentType.of(sitePath)
        let injecting = type.hasPrefix("text/html") && inject != nil
        var headers: [(String, String)] = [("Content-Type", type)]
        for (name, value) in rules.headers(for: sitePath) where name.lowercased() != "content-type" {
            if injecting && name.lowercased() == "content-security-policy" {
                headers.append((name, LiveReload.allowScript(in: value)))
            } else {
                headers.append((name, value))
            }
        }
        if status != 200 {
            headers.removeAll { $0.0.lowercased() == "cache-control" }
            headers.append(("Cache-Control", "no-store"))
        } else if !headers.contains(where: { $0.0.lowercased() == "cache-control" }) {
            headers.append(("Cache-Control", "no-cache"))
        }

        // The coding: compressible types over the minimum size may be compressed; a client
        // that refuses the plain bytes gets a compressed body whatever the file.
        let compressible = ContentType.isCompressible(sitePath)
        var coding = accept.preferred(compressible && file.size >= OnTheFly.minBytes && file.size <= OnTheFly.maxBytes ? ContentEncoding.allCases : [])
        if coding == nil, accept.quality(.identity) == 0 { coding = accept.preferred(ContentEncoding.allCases) }
        if compressible || coding != .identity { headers.append(("Vary", "Accept-Encoding")) }
        guard let coding else {
            return Reply(status: 406, headers: headers.filter { $0.0 != "Content-Type" } + [Self.plainText],
                         body: head ? [] : Array("no acceptable content coding\n".utf8), file: file.path)
        }

        let base = "\(String(file.modified, radix: 16))-\(String(file.size, radix: 16))\(injecting ? "-lr" : "")"
        var etag = "\"\(base)\""
        if case .encoded(let encoding) = coding {
            headers.append(("Content-Encoding", encoding.rawValue))
            etag = "\"\(base)-\(encoding.rawValue)\""
        }
        let lastModified = HTTPDate.format(seconds: file.modified / 1_000_000_000)
        if status == 200 {
            headers.append(("ETag", etag))
            headers.append(("Last-Modified", lastModified))
            if notModified(requestHeaders, etag: etag, modified: file.modified / 1_000_000_000) {
                return Reply(status: 304, headers: headers.filter { $0.0 != "Content-Type" }, body: [], file: file.path)
            }
        }

        // A large file as it is goes from the open file as it is sent; anything else is read (and
        // cached) whole.
        let streamed = coding == .identity && !injecting && file.size >= Self.streamFrom
        var body: [UInt8] = []
        if !streamed {
            guard let read = self.body(file, sitePath: sitePath, injecting: injecting, coding: coding) else {
                return Reply(status: 500, headers: [Self.plainText, ("Cache-Control", "no-store")],
                             body: head ? [] : Array("could not read \(sitePath)\n".utf8), file: file.path)
            }
            body = read
        }
        let size = streamed ? file.size : body.count
        // A part of the bytes as they are, when the client asks for one (a coded body goes whole:
        // its bytes are not the file's).
        var range = 0..<size
        var partial = false
        if status == 200, coding == .identity {
            headers.append(("Accept-Ranges", "bytes"))
            if ByteRange.ifRangeHolds(requestHeaders["if-range"], etag: etag, lastModified: lastModified) {
                switch ByteRange.of(requestHeaders["range"], size: size) {
                case .whole:
                    break
                case .part(let part):
                    (range, partial) = (part, true)
                    headers.append(("Content-Range", "bytes \(part.lowerBound)-\(part.upperBound - 1)/\(size)"))
                case .unsatisfiable:
                    let message = Array("range not satisfiable\n".utf8)
                    return Reply(status: 416, headers: headers.filter { $0.0 != "Content-Type" } + [Self.plainText, ("Content-Range", "bytes */\(size)"),
                                                                                                  ("Content-Length", String(message.count))],
                                 body: head ? [] : message, file: file.path)
                }
            }
        }
        headers.append(("Content-Length", String(range.count)))
        if streamed {
            return Reply(status: partial ? 206 : status, headers: headers, body: [], file: file.path,
                         stream: head ? nil : Stream(file: file, range: range))
        }
        return Reply(status: partial ? 206 : status, headers: headers, body: head ? [] : partial ? Array(body[range]) : body, file: file.path)
    }

    /// If-None-Match (weak comparison), else If-Modified-Since.
    func notModified(_ requestHeaders: [String: String], etag: String, modified: Int64) -> Bool {
        if let match = requestHeaders["if-none-match"] {
            let tags = match.split(separator: ",").map { $0.trimmingWhitespace() }
            return tags.contains("*") || tags.contains { $0 == etag || $0 == "W/" + etag }
        }
        if let since = requestHeaders["if-modified-since"].flatMap(HTTPDate.parse) { return modified <= since }
        return false
    }

    /// The body in one coding: a precompressed copy when the build wrote one (and the
    /// bytes are the file's as they are), else the file compressed on the fly.
    func body(_ file: OutputFile, sitePath: String, injecting: Bool, coding: AcceptEncoding.Coding) -> [UInt8]? {
        if case .encoded(let encoding) = coding, precompressed, !injecting,
           let copy = OutputFile.open(root + sitePath + encoding.suffix, inside: root), !copy.isDirectory,
           let bytes = bodies.body(.init(copy, form: "copy"), make: copy.read) {
            return bytes
        }
        let plain = bodies.body(.init(file, form: injecting ? "lr" : "")) {
            guard let bytes = file.read() else { return nil }
            guard injecting, let inject else { return bytes }
            return Array(inject(String(decoding: bytes, as: UTF8.self)).utf8)
        }
        guard case .encoded(let encoding) = coding, let plain else { return plain }
        return bodies.compressed(.init(file, form: (injecting ? "lr-" : "") + encoding.rawValue), from: plain, encoding)
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
    static func encode(_ path: String) -> String { SitePath.url(path) }
}
