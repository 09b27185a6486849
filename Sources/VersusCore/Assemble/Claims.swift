/// Every path the build writes, claimed once. Pages, alias redirects, listings, hubs,
/// the feed, sitemaps, robots, the 404 page, assets, static files, the CDN rules and the
/// manifest all take their path here; a second claim of a path, or a file where another
/// path needs a folder (`/feed.xml` and `/feed.xml/index.html`), is a compiler-style
/// error naming both claimants. So no source can overwrite a page the build makes.
struct Claims {
    struct Owner {
        /// The file to blame (a source, a template file), or nil for the build itself.
        var file: String?
        /// What the path is ("the home page", "the page of content/a.md", "an alias of content/a.md").
        var what: String
    }

    private var owners: [String: Owner] = [:]
    private(set) var diagnostics: [Diagnostic] = []

    /// Claims `path` (a site path; `/x/` stands for `/x/index.html`). False when it was taken.
    @discardableResult
    mutating func claim(_ path: String, _ owner: Owner) -> Bool {
        let file = path.hasSuffix("/") ? path + "index.html" : path
        if let problem = Claims.problem(file) {
            report(owner, "\(owner.what) would be written at '\(Text.abbreviate(path))', which \(problem)")
            return false
        }
        if let other = owners[file] {
            report(owner, "\(owner.what) would be written at '\(file)', which is already \(other.what)" + (other.file.map { " (\($0))" } ?? ""))
            return false
        }
        owners[file] = owner
        return true
    }

    /// Checks that no claimed file stands where another claimed path needs a folder.
    mutating func checkFolders() {
        for (path, owner) in owners.sorted(by: { $0.key < $1.key }) {
            var folder = path
            while let slash = folder.lastIndex(of: "/"), slash != folder.startIndex {
                folder = String(folder[..<slash])
                if let other = owners[folder] {
                    report(owner, "\(owner.what) would be written at '\(path)', inside '\(folder)', which is already \(other.what)"
                        + (other.file.map { " (\($0))" } ?? ""))
                    break
                }
            }
        }
    }

    private mutating func report(_ owner: Owner, _ message: String) {
        diagnostics.append(.error(owner.file ?? "versus", message))
    }

    /// Why a path cannot be written, if it cannot.
    static func problem(_ path: String) -> String? {
        if !path.hasPrefix("/") { return "does not start with '/'" }
        if path.hasPrefix("//") { return "starts with '//': a slug is a path below the site root and must not begin with '/'" }
        if path.contains("//") { return "has an empty folder name ('//'): a slug or file name that reduces to nothing" }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if parts.contains(where: { $0 == "." || $0 == ".." }) { return "has '.' or '..' in it" }
        if parts.contains(where: { $0.utf8.count > 200 }) { return "has a name over 200 bytes (file systems refuse 255)" }
        if path.utf8.count > 1024 { return "is over 1,024 bytes long" }
        if parts.contains(where: { $0.hasPrefix(".") }) { return "has a name that starts with '.' (hidden files are not published)" }
        return nil
    }
}
