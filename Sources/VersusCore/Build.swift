import Foundation

/// What a build switched into `output/`, told as soon as the output holds it, before the
/// build store is saved (`BuildOptions.committed`): a preview reloads its tabs then.
public struct Committed: Sendable {
    /// Site files written or replaced, and removed (as `BuildReport` names them).
    public var written: [String]
    public var removed: [String]
    public var redirects: [Redirect]
    public var headerRules: [Headers.Rule]
}

/// What a build did.
public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic]
    public var pages: Int
    public var files: Int
    /// Whether the build reused an earlier build's work.
    public var incremental: Bool
    /// Sources read and normalised (the rest came from the memo).
    public var normalised: Int
    /// Pages and listings rendered (the rest were unchanged).
    public var rendered: Int
    /// Output files written or replaced, and removed.
    public var written: [String]
    public var removed: [String]
    /// Named steps and how long each took.
    public var timings: [(step: String, seconds: Double)]
    /// The site's redirects and its `_headers` rules, as data (what `_redirects` and
    /// `_headers` say), so a server in the same process need not parse those files.
    public var redirects: [Redirect] = []
    public var headerRules: [Headers.Rule] = []
    /// Whether the site-wide decisions were worked out by delta from the last build in this process.
    public var assembledByDelta = false
    /// Whether the deploy manifest was written by patching the last one (only the entries of
    /// files that changed written again).
    public var manifestPatched = false
    /// Sources handed back as the last build read them, from its assemble, without looking up
    /// their stamps and summaries in the build store (`Memo.HandBack`).
    public var handedBack = 0
}

/// The build, top to bottom: the inputs (config, templates, assets, sources) in, the
/// site's files out. Each stage takes the model of the one before it and returns its
/// own; none reaches back. The memo only saves work (it hands back what an earlier
/// build made from the same inputs), and `output` is where each file goes.
public enum Build {
    public struct Result: Sendable {
        public var site: Site
        public var diagnostics: [Diagnostic]
        public var normalised: Int
        public var rendered: Int
        public var timings: [(step: String, seconds: Double)]
    }

    public static func run(_ inputs: Inputs, options: BuildOptions, memo: Memo, output: OutputWriter) async throws -> Result {
        var clock = StepClock()
        var diagnostics = inputs.warnings

        // 1. Normalise: every source becomes a page, or a diagnostic.
        let normalised = try await clock.step("normalise") {
            try await memo.normaliseAll(inputs.sources, jobs: options.jobs, progress: progress(options, "normalise", inputs.sources.count),
                                        Normaliser.normaliseForBuild)
        }
        diagnostics += normalised.flatMap(\.diagnostics)
        // A source in error leaves the build failed, but the site-wide checks still run on the
        // pages that did normalise, so one run reports every error (a clash of URLs or aliases
        // too), not one stage's at a time.
        if diagnostics.hasErrors && !normalised.contains(where: { $0.summary != nil }) { throw BuildFailed(diagnostics.sortedForReport()) }
        let summaries = normalised.compactMap(\.summary)

        // While assemble decides, a build written whole makes the folders its pages go to, on a
        // core assemble leaves idle (`OutputTree.prepareFolders`). Waited for before the build
        // returns, however it ends, so that no folder is made after it.
        let includeDrafts = options.includeDrafts
        let folders = output.tree.writesWhole && options.jobs > 1 ? Later {
            output.prepareFolders(for: SiteAssembler.built(summaries, includeDrafts: includeDrafts).map { SitePath.file($0.urlPath) })
        } : nil
        defer { folders?.wait() }

        // 2. Assemble: the site-wide decisions (URLs, dates, titles, descriptions, hubs, related links, listings).
        let (assembled, siteDiagnostics) = clock.step("assemble") {
            memo.assemble(.init(config: inputs.config, summaries: summaries, ledger: inputs.ledger,
                                today: options.today, includeDrafts: options.includeDrafts,
                                files: inputs.assets.map { ($0.path, "templates/assets/" + $0.name) }
                                    + inputs.statics.map { ($0.path, "templates/static" + $0.path) }
                                    + inputs.contentFiles.map { ($0.path, $0.file) }), SiteAssembler.assemble)
        }
        diagnostics += siteDiagnostics
        guard let site = assembled, !diagnostics.hasErrors else { throw BuildFailed(diagnostics.sortedForReport()) }

        // 3. Render: each page and listing, unless what its template receives is what the last build's did.
        let renderer = Renderer(site: site, templates: inputs.templates, assets: inputs.assets)
        let keyed = Keys(identity: memo.identity, fingerprint: outputFingerprint(inputs, compress: output.compress), memo: memo)
        let pages = try await clock.step("render pages") {
            let indices = try writing(nil) { try keyed.pagesToMake(site, output) } ?? Array(site.pages.indices)
            return try await Parallel.map(indices, jobs: options.jobs, progress: progress(options, "render", indices.count)) { i in
                let summary = site.pages[i], path = SitePath.file(summary.urlPath)
                return try writing(summary.file) {
                    // The summary is a function of its memo key (identity, path, source digest), so the
                    // key covers the whole input by that key and the plan's bytes.
                    try output.file(path, key: keyed.key(path, .page(i), content: summary.key) { site.plans[i] }) {
                        try renderer.page(try memo.page(summary.key), renderer.pageInput(i))
                    }
                }
            }
        }
        let listings = try await clock.step("render listings") {
            // After a delta, the listings it left as they were are kept with every other file (`pagesToMake`).
            let (indexPages, hubs) = keyed.listingsToMake(site, output) ?? (site.index.map(\.number), Array(site.hubs.indices))
            // Each job with how many pages it lists: the longest go first, so no core is left with
            // a long hub at the end while the other idles.
            var jobs: [(weight: Int, job: @Sendable () throws -> Bool)] = indexPages.map { site.index[$0 - 1] }.map { page in (page.pages.count, {
                let path = SitePath.file(page.urlPath), input = Once { renderer.indexInput(page.number) }
                return try output.file(path, key: keyed.key(path, .index(page.number)) { input.value }) { try renderer.index(input.value) }
            }) }
            if !site.hubs.isEmpty {
                jobs.append((site.hubs.count, {
                    let path = "/subjects/index.html", input = Once { renderer.subjectsInput() }
                    return try output.file(path, key: keyed.key(path) { input.value }) { try renderer.subjects(input.value) }
                }))
                jobs += hubs.map { h in (site.hubs[h].pages.count, {
                    let path = SitePath.file(site.hubs[h].urlPath), input = Once { renderer.hubInput(h) }
                    return try output.file(path, key: keyed.key(path, .hub(h)) { input.value }) { try renderer.hub(input.value) }
                }) }
            }
            jobs.append((0, { try output.file("/404.html", key: keyed.key("/404.html") { "404" }) { try renderer.notFoundPage() } }))
            let longestFirst = jobs.indices.sorted { jobs[$0].weight > jobs[$1].weight || jobs[$0].weight == jobs[$1].weight && $0 < $1 }.map { jobs[$0].job }
            return try await Parallel.map(longestFirst, jobs: options.jobs) { job in try writing(nil) { try job() } }
        }

        // 4. Emit the site files: redirects, sitemaps, feed, robots, CDN rules, assets, static files.
        try await clock.step("site files") {
            var files: [(String, [UInt8], redirect: String?)] = site.redirects.map { r in
                (SitePath.file(r.from), Array(renderer.redirectPage(r).utf8), r.to)
            }
            // Sitemaps and the feed list every page: a delta that moved no page's date leaves them as they were.
            let everyPage = Sitemap.paths(count: Sitemap.count(site), config: site.config) + [Feed.path]
            let keys = everyPage.map { keyed.unchanged($0, .everyPage) }
            var kept = keys.allSatisfy { $0 != nil }
            for (path, key) in zip(everyPage, keys) where kept { kept = try writing(nil) { try output.keep(path, key: key!) } }
            if !kept {
                // The sitemaps and the feed, each on a core.
                let (sitemaps, feed) = Parallel.both({ Sitemap.files(Sitemap.entries(site), config: site.config) }, { Feed.text(site) })
                for (path, text) in sitemaps { files.append((path, Array(text.utf8), nil)) }
                files.append((Feed.path, Array(feed.utf8), nil))
            }
            files.append(("/robots.txt", Array(Robots.text(site.config).utf8), nil))
            files.append(("/_headers", Array(Headers.text(site.config).utf8), nil))
            if !site.redirects.isEmpty { files.append(("/_redirects", Array(Redirects.text(site).utf8), nil)) }
            for asset in inputs.assets { files.append((asset.path, asset.bytes, nil)) }
            for file in inputs.statics + inputs.contentFiles { files.append((file.path, file.bytes, nil)) }
            _ = try await Parallel.map(files, jobs: options.jobs) { file in try writing(nil) { try output.write(file.0, file.1, redirect: file.redirect) } }
        }

        return Result(site: site, diagnostics: diagnostics.sortedForReport(), normalised: memo.normalisedCount,
                      rendered: (pages + listings).filter { $0 }.count, timings: clock.timings)
    }

    /// A project that did not load (its config, a template or its content folder in error): its
    /// errors and every source's own errors too, which reading a source finds without the config or
    /// a template. One run reports every error, not the templates' now and the content's once they
    /// are fixed.
    public static func failed(_ load: LoadFailed, io: FileIO, jobs: Int) -> BuildFailed {
        let sourceErrors = Parallel.mapSync(load.sources, jobs: jobs > 0 ? jobs : Parallel.defaultJobs) { source -> [Diagnostic] in
            var unreadable: [Diagnostic] = []
            guard let bytes = Loader.read(source.file, io: io, &unreadable) else { return unreadable }
            return Normaliser.normaliseForBuild(Source(path: source.path, file: source.file, bytes: bytes)).diagnostics.filter { $0.severity == .error }
        }
        return BuildFailed((load.diagnostics + sourceErrors.joined()).sortedForReport())
    }

    /// What every output's key starts from: the config, templates and assets (`Inputs.fingerprint`),
    /// and whether files get precompressed copies (`--no-compress` can differ from the config).
    static func outputFingerprint(_ inputs: Inputs, compress: Bool) -> String {
        compress ? inputs.fingerprint + " with copies" : inputs.fingerprint
    }

    /// Runs a write, turning a refusal of the file system into a diagnostic that names the
    /// source the file was made from (when there is one) and what to do.
    static func writing<T>(_ source: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as FileIOError {
            throw BuildFailed([Diagnostic.writeFailure(e, source: source)])
        }
    }

    /// Progress for one step, when the caller wants it.
    static func progress(_ options: BuildOptions, _ step: String, _ total: Int) -> (@Sendable (Int) -> Void)? {
        guard let report = options.progress else { return nil }
        return { done in report(step, done, total) }
    }

    /// The key of an output file: a digest of the build identity, the fingerprint of the
    /// config and templates, and the exact input its template receives. When the memo knows
    /// the input is the one the last build keyed (the site was worked out
    /// by delta and left it as it was), the last key is taken instead of encoding it again.
    struct Keys: Sendable {
        let identity: String
        let fingerprint: String
        let memo: Memo

        /// After a delta, the pages that may differ from the last build's: those it patched and
        /// those whose file was changed by hand. Every file of the last build is kept first, in
        /// one step (the other pages' keys are the last build's: `file` would keep each of them).
        /// nil: no delta, every page is keyed.
        func pagesToMake(_ site: Site, _ output: OutputWriter) throws -> [Int]? {
            guard let (patched, stale) = memo.remade(fingerprint: fingerprint), try output.keepAll() else { return nil }
            var pages = patched
            if !stale.isEmpty {
                for (i, page) in site.pages.enumerated() where stale.contains(SitePath.file(page.urlPath)) { pages.insert(i) }
            }
            return pages.sorted()
        }

        /// After a delta whose every file was kept first (`pagesToMake`), the index pages (by number)
        /// and hubs it may have changed, and those whose file was changed by hand; nil: no delta,
        /// every listing is keyed.
        func listingsToMake(_ site: Site, _ output: OutputWriter) -> (index: [Int], hubs: [Int])? {
            guard let (index, hubs, stale) = memo.remadeListings(fingerprint: fingerprint), output.didKeepAll else { return nil }
            let pages = site.index.filter { index.contains($0.number) || stale.contains(SitePath.file($0.urlPath)) }.map(\.number)
            let hubIndices = site.hubs.indices.filter { hubs.contains($0) || stale.contains(SitePath.file(site.hubs[$0].urlPath)) }
            return (pages, hubIndices)
        }

        /// The last build's key of an output a delta left as it was (nil: its input may differ).
        func unchanged(_ path: String, _ output: Memo.Output) -> String? {
            memo.unchangedKey(path, output, fingerprint: fingerprint)
        }

        /// - Parameter output: what the output is (a page, an index page, a hub), so the memo can
        ///   tell whether a delta left its input as it was.
        func key<T: Encodable>(_ path: String, _ output: Memo.Output = .other, content: String = "", _ input: () -> T) -> String {
            if let key = unchanged(path, output) { return key }
            var d = Digest()
            d.add(identity)
            d.add(fingerprint)
            d.add(content)
            d.add(BinaryEncoder.encode(input()))
            return String(d.hex.prefix(32))
        }
    }
}

/// Times named steps.
struct StepClock {
    var timings: [(step: String, seconds: Double)] = []

    mutating func step<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { timings.append((name, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)) }
        return try body()
    }

    mutating func step<T>(_ name: String, _ body: () async throws -> T) async rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { timings.append((name, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)) }
        return try await body()
    }
}

/// The input of one output, which its key and its file are both made from: made when first
/// asked for, once (a file kept from the last build needs only its key, and a key the last
/// build left needs neither). Used within one job, on one thread.
final class Once<Value> {
    private let make: () -> Value
    private var made: Value?
    init(_ make: @escaping () -> Value) { self.make = make }
    var value: Value {
        if let made { return made }
        let value = make()
        made = value
        return value
    }
}
