/// Every path the build writes, claimed once. Pages, alias redirects, listings, hubs,
/// the feed, sitemaps, robots, the 404 page, assets, static files, the CDN rules and the
/// manifest all take their path here; a second claim of a path, or a file where another
/// path needs a folder (`/feed.xml` and `/feed.xml/index.html`), is a compiler-style
/// error naming both claimants. So no source can overwrite a page the build makes.
struct Claims {
    struct Owner {
        /// The file to blame (a source, a template file), or nil for the build itself.
        var file: String?
        /// What the path is; worked out into words only for a message.
        var what: What
    }

    /// What claims a path ("the home page", "the page of content/a.md", "the alias '/x/' of content/a.md").
    enum What: ExpressibleByStringLiteral {
        case named(String)
        case pageOf
        case copyOf
        case alias(String, of: String)
        init(stringLiteral value: String) { self = .named(value) }

        func describe(_ file: String?) -> String {
            switch self {
            case .named(let s): return s
            case .pageOf: return "the page of \(file ?? "?")"
            case .copyOf: return "a file copied from \(file ?? "?")"
            case .alias(let from, let to): return "the alias '\(Text.abbreviate(from))' of \(to)"
            }
        }

        /// `describe`, with the file named after it when that does not name it already ("the
        /// 404 page (templates/404.mustache)").
        func named(_ file: String?) -> String {
            guard case .named = self, let file else { return describe(file) }
            return describe(file) + " (\(file))"
        }
    }

    private var owners: [String: Owner] = [:]
    private(set) var diagnostics: [Diagnostic] = []

    /// Makes room for about `count` paths at once.
    mutating func reserve(_ count: Int) { owners.reserveCapacity(count) }

    /// Claims `path` (a site path; `/x/` stands for `/x/index.html`). False when it was taken.
    @discardableResult
    mutating func claim(_ path: String, _ owner: Owner) -> Bool {
        let file = SitePath.file(path)
        if let problem = Claims.problem(file) {
            report(owner, "\(owner.what.describe(owner.file)) would be written at '\(Text.abbreviate(path))', which \(problem)")
            return false
        }
        if let other = owners[file] {
            report(owner, "\(owner.what.describe(owner.file)) would be written at '\(file)', which is already \(other.what.named(other.file))")
            return false
        }
        owners[file] = owner
        return true
    }

    /// Checks that no claimed file stands where another claimed path needs a folder.
    mutating func checkFolders() {
        var found: [(path: String, owner: Owner, folder: String, other: Owner)] = []
        for (path, owner) in owners {
            var folder = Substring(path)
            // (By the byte in an ASCII path, where each byte is a character.)
            let ascii = path.isASCIIText
            while let slash = ascii ? folder.utf8.lastIndex(of: 47) : folder.lastIndex(of: "/"), slash != folder.startIndex {
                folder = folder[..<slash]
                if let other = owners[String(folder)] {
                    found.append((path, owner, String(folder), other))
                    break
                }
            }
        }
        for f in found.sorted(by: { $0.path < $1.path }) {
            report(f.owner, "\(f.owner.what.describe(f.owner.file)) would be written at '\(f.path)', inside '\(f.folder)', which is already \(f.other.what.named(f.other.file))")
        }
    }

    /// With precompressed copies on, checks that no claimed file stands where the build writes
    /// a copy of another (`x/index.html.br` beside the content, over the page's own copy).
    mutating func checkCopies(_ compressed: Bool) {
        guard compressed else { return }
        var found: [(path: String, owner: Owner, of: String, other: Owner)] = []
        for (path, owner) in owners {
            for encoding in ContentEncoding.allCases where path.hasSuffix(encoding.suffix) {
                let base = String(path.dropLast(encoding.suffix.count))
                if let other = owners[base] { found.append((path, owner, base, other)) }
            }
        }
        for f in found.sorted(by: { $0.path < $1.path }) {
            report(f.owner, "\(f.owner.what.describe(f.owner.file)) would be written at '\(f.path)', where the build writes the precompressed copy of '\(f.of)', which is \(f.other.what.named(f.other.file)) (compress.enabled is on)")
        }
    }

    private mutating func report(_ owner: Owner, _ message: String) {
        diagnostics.append(.error(owner.file ?? "versus", message))
    }

    /// Why a path cannot be written, if it cannot.
    static func problem(_ path: String) -> String? {
        let bytes = path.utf8
        guard bytes.first == UInt8(ascii: "/") else { return "does not start with '/'" }
        if bytes.count > 1 && bytes[bytes.index(after: bytes.startIndex)] == UInt8(ascii: "/") {
            return "starts with '//': a slug is a path below the site root and must not begin with '/'"
        }
        // One pass over the names between slashes (the first, empty one before the leading slash skipped).
        var empty = false, dots = false, long = false, hidden = false
        var length = 0, dotsOnly = true, first: UInt8 = 0
        func endName() {
            if length == 0 { empty = true }
            if length > 200 { long = true }
            if dotsOnly && (length == 1 || length == 2) { dots = true }
            else if first == UInt8(ascii: ".") { hidden = true }
        }
        for b in bytes.dropFirst() {
            if b == UInt8(ascii: "/") {
                endName()
                length = 0; dotsOnly = true; first = 0
            } else {
                if length == 0 { first = b }
                length += 1
                if b != UInt8(ascii: ".") { dotsOnly = false }
            }
        }
        if length > 0 { endName() }
        if empty { return "has an empty folder name ('//'): a slug or file name that reduces to nothing" }
        if dots { return "has '.' or '..' in it" }
        if long { return "has a name over 200 bytes (file systems refuse 255)" }
        if bytes.count > 1024 { return "is over 1,024 bytes long" }
        if hidden { return "has a name that starts with '.' (hidden files are not published)" }
        // A control character (a line break) or a backslash is no part of a URL, escaped or not,
        // and the CDN files list paths one per line. ('?', '#' and '%' are written escaped in links.)
        if let c = path.unicodeScalars.first(where: { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }) {
            let shown = c == "\\" ? "a backslash" : "a control character"
            return "has \(shown) in it, which no URL holds: rename it"
        }
        return nil
    }
}
