import Foundation
/// Where a project keeps its parts. Paths are used as given, so diagnostics
/// name files the way the user wrote them (`content/foo.txt`).
public struct Project: Sendable {
    /// The project folder (symbolic links in `content/` may lead anywhere inside it).
    public var root: String
    public var content: String
    public var templates: String
    public var config: String
    public var output: String
    public var ledger: String
    /// The folder for build caches (`.versus`).
    public var cache: String

    /// The build store for this output folder (one per output, so builds into
    /// several folders do not evict each other), named by the folder's resolved path: the
    /// same store however the project and its output are named.
    public var storeFile: String {
        cache + "/build-" + String(Digest.sha256(Disk.resolved(output)).prefix(12)) + ".sqlite"
    }

    /// The standard layout under `root`.
    public init(root: String = ".", output: String? = nil) {
        self.root = root.isEmpty ? "." : root
        func join(_ name: String) -> String { root == "." || root.isEmpty ? name : root + "/" + name }
        content = join("content")
        templates = join("templates")
        config = join(SiteConfig.fileName)
        self.output = output ?? join("output")
        ledger = join(Ledger.fileName)
        cache = join(".versus")
    }
}

extension Project {
    /// The project with every folder named by its resolved absolute path (links and `.`/`..`
    /// resolved): the same names however the project was reached.
    public func resolved() -> Project {
        var p = self
        p.root = Disk.resolved(root)
        p.content = Disk.resolved(content)
        p.templates = Disk.resolved(templates)
        p.config = Disk.resolved(config)
        p.output = Disk.resolved(output)
        p.ledger = Disk.resolved(ledger)
        p.cache = Disk.resolved(cache)
        return p
    }

    /// The folders a path may be under, the most specific first.
    private var folders: [String] { [content, templates, output, root] }

    /// What stands before the name of a file in `folder` (nothing for the current folder).
    private static func prefix(_ folder: String) -> String { folder == "." ? "" : folder + "/" }

    /// A path under this project's folders, spelled as `other` (the same project, named
    /// another way) names them; other paths as they are.
    public func spelled(in other: Project) -> (String) -> String {
        let pairs = Array(zip(folders, other.folders))
        return { path in
            for (from, to) in pairs {
                if path == from { return to }
                if path.hasPrefix(from + "/") { return Self.prefix(to) + path.dropFirst(from.count + 1) }
            }
            return path
        }
    }

    /// The same for the files of this project that a text names anywhere in it (a diagnostic's
    /// message: "the page of content/a.md would be written at…").
    func spelledInText(in other: Project) -> (String) -> String {
        let pairs = Array(zip(folders, other.folders)).filter { $0.0 != $0.1 }
        return { text in
            pairs.reduce(text) { text, pair in
                text.contains(pair.0 + "/") ? text.replacingOccurrences(of: pair.0 + "/", with: Self.prefix(pair.1)) : text
            }
        }
    }

    /// A path under `other`'s folders (the same project, named another way), as this project
    /// names it: what a watcher of `other`'s folders reports, for a build of this one.
    public func path(spelledIn other: Project) -> (String) -> String {
        func absolute(_ path: String) -> String {
            Disk.lexical(absolute: path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path)
        }
        let pairs = zip(other.folders, folders).map { (absolute($0.0), $0.1) }
        return { path in
            let full = absolute(path)
            for (from, to) in pairs {
                if full == from { return to }
                if full.hasPrefix(from == "/" ? "/" : from + "/") { return to + "/" + full.dropFirst(from == "/" ? 1 : from.count + 1) }
            }
            return path
        }
    }

    /// Why the output folder cannot be built into, if it cannot. A build replaces its output
    /// folder whole (and keeps trees beside it: `OutputTree.treesBeside`), so the folder and those must
    /// be one of its own: not the project or any of its inputs, not inside one, not holding one,
    /// and not a file or a folder of something else (one that holds files but no `.versus-build`
    /// marker, which every tree a build writes carries).
    public func outputProblems(io: FileIO) -> [Diagnostic] {
        let onDisk = io.isDisk
        func resolve(_ path: String) -> String { onDisk ? Disk.resolved(path) : Disk.lexical(absolute: path) }
        func within(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b == "/" ? "/" : b + "/") }
        let advice = "build into a folder of its own (the default is \(Project(root: root).output))"
        var problems: [Diagnostic] = []
        for tree in [output] + OutputTree.treesBeside(output) where problems.isEmpty {
            let place = resolve(tree)
            if within(resolve(root), place) {
                problems.append(.error(tree, "holds the project folder (\(root)); a build replaces its output folder whole, so it would replace the project: \(advice)"))
                continue
            }
            for (path, what) in [(content, "content folder"), (templates, "templates folder"), (config, "config file"),
                                 (ledger, "lastmod ledger"), (cache, "build cache folder")] {
                let input = resolve(path)
                guard within(place, input) || within(input, place) else { continue }
                let how = place == input ? "is" : within(place, input) ? "is inside" : "holds"
                problems.append(.error(tree, "\(how) the project's \(what) (\(path)); a build replaces its output folder whole: \(advice)"))
            }
        }
        guard problems.isEmpty else { return problems }
        // The output folder, and beside it the spare tree a build writes, the one it puts aside
        // and the copy it makes while written whole: a build replaces each whole, so each must be
        // a tree of Versus (it has a marker), empty, or missing. (A symbolic link there is
        // replaced, never followed.)
        for tree in [output] + OutputTree.treesBeside(output) {
            guard let info = io.info(tree), tree == output || !(onDisk && Disk.isLink(tree)) else { continue }
            let role = tree == output ? "a build would replace it" : "a build keeps its spare copy of \(output) there and would replace it"
            if !info.isDirectory {
                problems.append(.error(tree, "is a file, not a folder; \(role): \(advice), or remove the file"))
            } else if io.info(tree + OutputTree.marker) == nil, let inside = try? io.list(tree), !inside.isEmpty {
                problems.append(.error(tree, "holds \(inside.count) file\(inside.count == 1 ? "" : "s") that no build of Versus wrote (it has no \(OutputTree.marker.dropFirst()) marker), and \(role) whole: move them away, or \(advice)"))
            }
        }
        return problems
    }
}

/// Choices for one build that are not part of the site config.
public struct BuildOptions: Sendable {
    /// The choices besides the inputs that shape the output. The whole build's memo key takes
    /// them as one value (`ProjectBuilder.digest`), so one added here needs no change there.
    public struct Shaping: Sendable, Hashable, Codable {
        /// The build day: the date a changed page gets. Comes from the caller (the clock
        /// or `SOURCE_DATE_EPOCH`), never from inside the pipeline.
        public var today: Day
        public var includeDrafts = false
        /// Write precompressed copies: nil follows the config (`compress.enabled`); `--no-compress` is false.
        public var compress: Bool?
    }
    public var shaping: Shaping
    public var today: Day { get { shaping.today } set { shaping.today = newValue } }
    public var includeDrafts: Bool { get { shaping.includeDrafts } set { shaping.includeDrafts = newValue } }
    public var compress: Bool? { get { shaping.compress } set { shaping.compress = newValue } }
    /// Overrides the config's `base_url` (part of the config the build reads).
    public var baseURL: String?
    /// Write the lastmod ledger back to the project.
    public var updateLedger = true
    /// Ignore the build store and rebuild everything.
    public var clean = false
    /// The build identity to key the memo with (default: this binary's, `BuildIdentity.current`).
    public var identity: String?
    public var jobs: Int
    /// Told how far the long steps have got: (step, done, total).
    public var progress: (@Sendable (_ step: String, _ done: Int, _ total: Int) -> Void)?
    /// The process exits right after this build (the command line): what the build made is
    /// kept, not freed value by value, since the process's memory goes at once when it exits.
    /// Does not change the output.
    public var exitsAfter = false
    /// Told, with the lock's path, when the build has to wait for another build of the same
    /// output folder to finish (`BuildLock`).
    public var waiting: (@Sendable (_ lock: String) -> Void)?
    /// Told what the build switched in, once `output/` holds it (the store is saved after).
    public var committed: (@Sendable (Committed) -> Void)?
    /// A build that finds nothing to do still reads what the next build in this process works
    /// from by delta, when the builder does not know it yet (`ProjectBuilder.isPrepared`):
    /// `versus serve` asks for it once it serves, so its first edit is as quick as the others.
    /// Does not change the output.
    public var prepares = false

    public init(today: Day, baseURL: String? = nil, jobs: Int = 0) {
        shaping = Shaping(today: today)
        self.baseURL = baseURL
        self.jobs = jobs > 0 ? jobs : Parallel.defaultJobs
    }
}

/// A file under `templates/assets/`, published under `/assets/` with a content hash in its name.
public struct Asset: Sendable, Hashable {
    public var name: String
    public var bytes: [UInt8]
    /// `/assets/style.1a2b3c4d.css`
    public var path: String

    init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        let hash = String(Digest.sha256(bytes).prefix(10))
        if let dot = name.lastIndex(of: ".") {
            path = "/assets/" + name[..<dot] + "." + hash + name[dot...]
        } else {
            path = "/assets/" + name + "." + hash
        }
    }

    /// The key templates use: `style.css` → `style_css`.
    public var key: String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Assets whose names give the same template key (`a b.css` and `a-b.css` are both
    /// `assets.a_b_css`, and an asset named `css` would be the key `style.css` has too): an
    /// error for each but the first in path order, since a template could name only one.
    static func clashes(_ assets: [Asset], folder: String) -> [Diagnostic] {
        var owner: [String: String] = [:]
        if assets.contains(where: { $0.name == "style.css" }) { owner["css"] = "style.css" }
        if assets.contains(where: { $0.name == "favicon.svg" }) { owner["favicon"] = "favicon.svg" }
        var out: [Diagnostic] = []
        for asset in assets.sorted(by: { $0.name < $1.name }) {
            if let first = owner[asset.key], first != asset.name {
                out.append(.error(folder + asset.name, "its template name 'assets.\(asset.key)' is already that of \(folder)\(first); rename one of them"))
            } else {
                owner[asset.key] = asset.name
            }
        }
        return out
    }

    /// What `{{assets.…}}` names: every asset's URL by key (its path, percent-encoded where its
    /// file name needs it: `my app.js`), and `css` and `favicon` for the two every site has.
    public static func paths(_ assets: [Asset]) -> [String: String] {
        var out: [String: String] = [:]
        for asset in assets {
            let url = SitePath.url(asset.path)
            out[asset.key] = url
            if asset.name == "style.css" { out["css"] = url }
            if asset.name == "favicon.svg" { out["favicon"] = url }
        }
        return out
    }
}

/// A file copied to the output as it is: from `templates/static/` (`templates/static/robots-extra.txt`
/// → `/robots-extra.txt`), or a file beside the content (`content/guides/diagram.png` → `/guides/diagram.png`).
public struct StaticFile: Sendable, Hashable {
    public var path: String
    public var bytes: [UInt8]
    /// Where it came from, as the user knows it (`content/guides/diagram.png`).
    public var file: String
}

/// The load stage: everything the build reads besides the sources' bytes.
public struct Inputs: Sendable {
    public var config: SiteConfig
    public var templates: Templates
    public var assets: [Asset]
    public var statics: [StaticFile]
    /// Files beside the content (images, PDFs: anything in `content/` that is not a source),
    /// published at their path. Not part of the fingerprint: no page's rendering depends on them.
    public var contentFiles: [StaticFile]
    public var ledger: Ledger
    /// The ledger file's text as it was read (empty when there is none). A build's digest takes
    /// this, not the ledger written out again: a file that says the same in another form (lines
    /// reordered or repeated, no header) is one a build rewrites, as a clean build does.
    public var ledgerText: String = ""
    /// The sources of the content folder, in path order, not yet read.
    public var sources: [SourceFile]
    public var warnings: [Diagnostic]
    /// Whether loading reached a file or folder through a symbolic link (`Listing.followedLinks`).
    public var followedLinks = false

    /// Digest of everything besides the sources that shapes the output.
    public var fingerprint: String {
        var d = Digest()
        d.add(Digest.of(config))
        d.add(templates.fingerprint)
        for a in assets { d.add(a.path) }
        for s in statics { d.add(s.path); d.add(Digest.sha256(s.bytes)) }
        return d.hex
    }
}

/// A project that did not load: its errors, and the sources found, whose own errors the build
/// reports with them (`Build.failed`), so that one run names every error.
public struct LoadFailed: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public var sources: [SourceFile]
}

public enum Loader {
    /// The inputs again when only these files changed (absolute or project paths, as a file
    /// watcher reports them), without walking the content folder: each changed file that
    /// was a source or a file beside the content gets its new stamp or bytes, and the ledger
    /// is read again. Nil when only a full `load` can see the change: a file added or removed,
    /// a folder, or anything outside the content folder (templates, the config); and any change
    /// when loading followed a symbolic link (a change to its target is told under the target's
    /// name, not the link's).
    ///
    /// The inputs are updated in place: a caller that hands over its only copy has the list of
    /// sources (50,000 at 50,000 pages) never copied. Returns them with the places of the sources
    /// that got a new stamp.
    public static func reload(_ previous: consuming Inputs, changed: [String], project: Project, io: FileIO) throws -> (inputs: Inputs, edited: Set<Int>)? {
        var inputs = consume previous
        if inputs.followedLinks { return nil }
        var edited: Set<Int> = []
        let folder = project.content + "/"
        for path in Set(changed) {
            guard path.hasPrefix(folder) else { return nil }
            let info = io.info(path)
            if info?.isDirectory == true { return nil }
            if let i = inputs.sources.firstIndex(where: { $0.file == path }) {
                guard let info else { return nil }
                inputs.sources[i].stamp = info
                edited.insert(i)
            } else if let i = inputs.contentFiles.firstIndex(where: { $0.file == path }) {
                guard info != nil else { return nil }
                inputs.contentFiles[i].bytes = try io.read(path)
            } else if info != nil {
                return nil
            } else {
                // Not there now: a folder that held sources or files (moved or removed whole, which
                // a watcher tells under the folder's name only), or else an editor's temporary file, come and gone.
                let inside = path + "/"
                if inputs.sources.contains(where: { $0.file.hasPrefix(inside) }) || inputs.contentFiles.contains(where: { $0.file.hasPrefix(inside) }) {
                    return nil
                }
            }
        }
        var diagnostics = inputs.warnings.filter { $0.file != project.ledger }
        (inputs.ledger, inputs.ledgerText) = ledger(project, io: io, diagnostics: &diagnostics)
        inputs.warnings = diagnostics
        if diagnostics.hasErrors { throw BuildFailed(diagnostics) }
        return (inputs, edited)
    }

    /// The lastmod ledger (empty when the project has none yet, or when it cannot be read:
    /// an error naming it), and its file's text.
    static func ledger(_ project: Project, io: FileIO, diagnostics: inout [Diagnostic]) -> (Ledger, String) {
        guard io.exists(project.ledger), let bytes = read(project.ledger, io: io, &diagnostics) else { return (Ledger(), "") }
        let text = String(decoding: bytes, as: UTF8.self)
        return (Ledger(parsing: text, file: project.ledger, diagnostics: &diagnostics), text)
    }

    /// A file's bytes; nil, with an error naming the file, when it cannot be read (a folder in
    /// its place, no permission). An input the build cannot read is the input's problem, never
    /// one of the output folder's: the caller reads on, so every such file is reported at once.
    static func read(_ file: String, io: FileIO, _ diagnostics: inout [Diagnostic]) -> [UInt8]? {
        do { return try io.read(file) } catch {
            diagnostics.append(.error(file, "cannot be read (\((error as? FileIOError)?.reason ?? "\(error)"))"))
            return nil
        }
    }

    /// The project's site config: the defaults when it has none, and whether it has one. A
    /// `versus.yml` that cannot be read, is not UTF-8 or is not a valid config is an error
    /// naming it (its line where it has one), with the defaults in its place.
    public static func config(_ project: Project, io: FileIO) -> (config: SiteConfig, exists: Bool, diagnostics: [Diagnostic]) {
        guard io.exists(project.config) else { return (SiteConfig(), false, []) }
        var diagnostics: [Diagnostic] = []
        guard let bytes = read(project.config, io: io, &diagnostics),
              let text = utf8(bytes, file: project.config, &diagnostics) else { return (SiteConfig(), true, diagnostics) }
        let (config, problems) = SiteConfig.parse(text, file: project.config)
        return (config, true, diagnostics + problems)
    }

    /// A config or template file's text, without the byte order mark some editors put first (as
    /// a content file's: a template's would go into every page, before `<!DOCTYPE html>`); nil,
    /// with an error naming the first line that is not UTF-8, when it is not (decoding would
    /// replace bad bytes with U+FFFD and read on).
    static func utf8(_ bytes: [UInt8], file: String, _ diagnostics: inout [Diagnostic]) -> String? {
        if bytes.starts(with: Normaliser.byteOrderMark) { return utf8(Array(bytes.dropFirst(Normaliser.byteOrderMark.count)), file: file, &diagnostics) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let line = 1 + (bytes.split(separator: 10, omittingEmptySubsequences: false).firstIndex { String(validating: $0, as: UTF8.self) == nil } ?? 0)
        diagnostics.append(.error(file, line: line, "file is not valid UTF-8; save it as UTF-8"))
        return nil
    }

    public static func load(_ project: Project, options: BuildOptions, io: FileIO) throws -> Inputs {
        // Site config.
        let loaded = Self.config(project, io: io)
        var config = loaded.config, diagnostics = loaded.diagnostics
        func read(_ file: String) -> [UInt8]? { Self.read(file, io: io, &diagnostics) }
        if let base = options.baseURL {
            if let problem = SiteConfig.validateBaseURL(base) {
                diagnostics.append(.error("--base-url", problem))
            }
            config.baseURL = base
        }
        // (A config in error was not read: its base_url is unknown, not the placeholder.)
        if !diagnostics.hasErrors, let placeholder = SiteConfig.placeholderWarning(config: config, hasConfig: loaded.exists, file: project.config) {
            diagnostics.append(placeholder)
        }

        // Templates and assets.
        var templateSources: [String: (file: String, text: String)] = [:]
        var unreadableTemplates: Set<String> = []
        var assets: [Asset] = []
        var statics: [StaticFile] = []
        var followedLinks = false
        if let listing = try? io.walk(project.templates, project.root) {
            followedLinks = listing.followedLinks
            for entry in listing.files {
                let rel = entry.path
                let file = Disk.join(project.templates, rel)
                if rel.hasPrefix("assets/") {
                    if let bytes = read(file) { assets.append(Asset(name: String(rel.dropFirst("assets/".count)), bytes: bytes)) }
                } else if rel.hasPrefix("static/") {
                    if let bytes = read(file) { statics.append(StaticFile(path: "/" + rel.dropFirst("static/".count), bytes: bytes, file: file)) }
                } else if rel.hasSuffix(".mustache") {
                    // (One in a folder is a partial named by its path: `{{> partials/card}}`.)
                    let name = String(rel.dropLast(".mustache".count))
                    if let bytes = read(file), let text = utf8(bytes, file: file, &diagnostics) {
                        templateSources[name] = (file, text)
                    } else {
                        unreadableTemplates.insert(name)
                    }
                }
            }
            diagnostics += listing.skipped.map { .warning(project.templates + "/" + $0.path, "\($0.reason); it is left out") }
        } else {
            diagnostics.append(.error(project.templates, "templates folder not found"))
        }
        diagnostics += Asset.clashes(assets, folder: project.templates + "/assets/")
        // The values every page shares are folded into the compiled templates.
        let (templates, templateDiagnostics) = Templates.load(templateSources, site: SiteContext(config), assets: Asset.paths(assets),
                                                                    unreadable: unreadableTemplates)
        diagnostics += templateDiagnostics

        let (ledger, ledgerText) = ledger(project, io: io, diagnostics: &diagnostics)

        // Sources.
        var sources: [SourceFile] = []
        var contentFiles: [StaticFile] = []
        if let listing = try? io.walk(project.content, project.root) {
            followedLinks = followedLinks || listing.followedLinks
            for entry in listing.files {
                let file = Disk.join(project.content, entry.path)
                if let kind = Source.Kind(path: entry.path) {
                    sources.append(SourceFile(path: entry.path, file: file, kind: kind, stamp: entry.info))
                } else {
                    if let bytes = read(file) { contentFiles.append(StaticFile(path: "/" + entry.path, bytes: bytes, file: file)) }
                }
            }
            diagnostics += listing.skipped.map { .warning(project.content + "/" + $0.path, "\($0.reason); it is left out") }
            if sources.isEmpty {
                diagnostics.append(.error(project.content, "no sources: add comparison texts (.txt) or Markdown pages (.md); 'versus init' writes an example of each"))
            }
        } else {
            diagnostics.append(.error(project.content, "content folder not found"))
        }

        // The sources found go with the errors: the build reports their own errors too (`Build.failed`).
        if diagnostics.hasErrors { throw LoadFailed(diagnostics: diagnostics, sources: sources) }
        // The config or the ledger read through a link: a watcher tells an edit of the target
        // under the target's name, so every later change loads the project again.
        if io.isDisk && (Disk.isLink(project.config) || Disk.isLink(project.ledger)) { followedLinks = true }
        return Inputs(config: config, templates: templates!, assets: assets, statics: statics, contentFiles: contentFiles,
                      ledger: ledger, ledgerText: ledgerText, sources: sources, warnings: diagnostics, followedLinks: followedLinks)
    }
}
