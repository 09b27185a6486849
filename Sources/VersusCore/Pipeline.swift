import Foundation

/// What a build did.
public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic]
    public var pages: Int
    public var files: Int
    /// Whether the build reused the last build's work.
    public var incremental: Bool
    /// Sources read and normalised (the rest came from the cache).
    public var normalised: Int
    /// Pages and listings rendered (the rest were unchanged).
    public var rendered: Int
    /// Output files written or replaced, and removed.
    public var written: [String]
    public var removed: [String]
    /// Named steps and how long each took.
    public var timings: [(step: String, seconds: Double)]
}

/// The build, top to bottom: load → normalise → assemble → render → emit.
///
/// Each step is named and timed. The core of every step is pure (model in,
/// bytes out); files are read and written only through `FileIO`. With a build
/// cache from the last run, each step redoes only what its inputs changed.
public enum Pipeline {
    public static func build(_ project: Project, options: BuildOptions, io: FileIO = .disk) async throws -> BuildReport {
        var clock = StepClock()

        // 1. Load: the site config, templates, assets, ledger, the list of sources, and the
        //    last build's cache (when it describes this output folder as it still is).
        // The last build's cache is read and parsed on other cores while the rest loads.
        let loadingCache = Task { options.clean ? nil : usableCache(project, io: io) }
        let inputs = try clock.step("load") { try Loader.load(project, options: options, io: io) }
        let fingerprint = inputs.fingerprint
        let cache = await clock.step("load cache") { await loadingCache.value }
        var diagnostics = inputs.warnings

        // 2. Normalise: every new or changed source becomes a Page; unchanged ones keep their summary.
        let scanned = try await clock.step("normalise") {
            try await Parallel.map(inputs.sourcePaths, jobs: options.jobs,
                                   progress: reporter(options, "normalise", inputs.sourcePaths.count)) { path in
                try scan(path, project: project, cache: cache, io: io)
            }
        }
        var summaries: [PageSummary] = []
        var pages: [String: Page] = [:]
        var sourceRecords: [String: BuildCache.SourceRecord] = [:]
        for s in scanned {
            diagnostics += s.diagnostics
            if let record = s.record {
                summaries.append(record.summary)
                sourceRecords[record.summary.sourcePath] = record
            }
            if let page = s.page { pages[page.sourcePath] = page }
        }
        if diagnostics.hasErrors { throw BuildFailed(diagnostics.sortedForReport()) }

        // Which of the last build's files are still on disk as it left them: checked on
        // another core while the site is assembled.
        let verifying = Task { cache.map { verifiedOutputs($0, project: project, io: io) } ?? [:] }

        // Nothing changed since the last build, and its output is all there: done, writing nothing.
        let key = buildKey(fingerprint, ledger: inputs.ledger, inputs: inputs, options: options, records: sourceRecords)
        if let cache, cache.buildKey == key, cache.outputs.count == (await clock.step("verify") { await verifying.value.count }) {
            return BuildReport(diagnostics: diagnostics.sortedForReport(), pages: sourceRecords.count, files: cache.outputs.count,
                               incremental: true, normalised: 0, rendered: 0, written: [], removed: [], timings: clock.timings)
        }

        // 3. Assemble: site-wide decisions (URLs, topics, dates, titles, descriptions, hubs, related links).
        let (assembled, siteDiagnostics) = clock.step("assemble") {
            SiteAssembler.assemble(.init(config: inputs.config, summaries: summaries, ledger: inputs.ledger,
                                         today: options.today, includeDrafts: options.includeDrafts))
        }
        diagnostics += siteDiagnostics
        guard let site = assembled, !diagnostics.hasErrors else { throw BuildFailed(diagnostics.sortedForReport()) }

        // 4. Render: pages whose inputs changed, in parallel batches, into the staging folder.
        //    Files of the last build count only if they are still on disk as it left them.
        let previous = await verifying.value
        let writer = try OutputWriter(io: io, output: project.output, config: site.config, compress: options.compress,
                                      mode: cache == nil ? .replace : .update(previous: previous.mapValues(\.entry)),
                                      previousCompression: cache?.compression)
        let renderer = Renderer(site: site, templates: inputs.templates,
                                assets: Dictionary(uniqueKeysWithValues: inputs.assets.map { ($0.name, $0.path) }))
        var keys: [String: String] = [:]
        var rendered = 0
        do {
            let planned = try await clock.step("plan") {
                try await Parallel.map(Array(site.pages.indices), jobs: options.jobs) { i -> (index: Int, key: String, keep: ManifestEntry?) in
                    let path = site.pages[i].urlPath + "index.html"
                    let key = renderKey(fingerprint, site.pages[i].contentHash, renderer.pageContextKey(i))
                    if let old = previous[path], old.key == key { return (i, key, old.entry) }
                    return (i, key, nil)
                }
            }
            var pending: [(index: Int, key: String)] = []
            for p in planned {
                keys[site.pages[p.index].urlPath + "index.html"] = p.key
                if let entry = p.keep { writer.keep(entry) } else { pending.append((p.index, p.key)) }
            }
            rendered += pending.count
            let normalisedPages = pages
            try await clock.step("render pages") {
                _ = try await Parallel.map(pending, jobs: options.jobs, progress: reporter(options, "render", pending.count)) { item in
                    let summary = site.pages[item.index]
                    let page = try normalisedPages[summary.sourcePath] ?? reload(summary, project: project, io: io)
                    try writer.write(summary.urlPath + "index.html", renderer.page(page, at: item.index))
                }
            }

            // 5. Emit the site-wide files: listings (when their contents changed), sitemaps,
            //    feed, robots, 404, redirects, assets, headers. Unchanged bytes are not rewritten.
            rendered += try await clock.step("site files") {
                // The site-wide files are made on one core while the listing keys are worked out on the others.
                let siteFiles = Task { () -> [(String, [UInt8])] in
                    var files: [(String, [UInt8])] = []
                    for r in site.redirects {
                        files.append((r.from.hasSuffix("/") ? r.from + "index.html" : r.from, Array(renderer.redirectPage(r).utf8)))
                    }
                    for (path, text) in Sitemap.files(Sitemap.entries(site, indexPages: renderer.indexPageCount), config: site.config) {
                        files.append((path, Array(text.utf8)))
                    }
                    files.append((Feed.path, Array(Feed.text(site).utf8)))
                    files.append(("/robots.txt", Array(Robots.text(site.config).utf8)))
                    files.append(("/_headers", Array(Headers.text(site.config).utf8)))
                    if !site.redirects.isEmpty { files.append(("/_redirects", Array(Redirects.text(site).utf8))) }
                    for asset in inputs.assets { files.append((asset.path, asset.bytes)) }
                    for s in inputs.statics { files.append((s.path, s.bytes)) }
                    return files
                }
                var listings: [(path: String, key: String, render: @Sendable () -> String)] = []
                for (n, key) in renderer.indexPageKeys().enumerated() {
                    listings.append((Renderer.indexPath(n + 1) + "index.html", key, { renderer.indexPage(n + 1) }))
                }
                if !site.hubs.isEmpty {
                    listings.append(("/subjects/index.html", renderer.subjectsPageKey(), { renderer.subjectsPage() }))
                    let hubKeys = Parallel.mapSync(Array(site.hubs.indices)) { renderer.hubPageKey($0) }
                    for h in site.hubs.indices {
                        listings.append((site.hubs[h].urlPath + "index.html", hubKeys[h], { renderer.hubPage(h) }))
                    }
                }
                listings.append(("/404.html", "404", { renderer.notFoundPage() }))
                var toRender: [(String, String, @Sendable () -> String)] = []
                for l in listings {
                    let key = renderKey(fingerprint, "", l.key)
                    keys[l.path] = key
                    if let old = previous[l.path], old.key == key {
                        writer.keep(old.entry)
                    } else {
                        toRender.append((l.path, key, l.render))
                    }
                }
                _ = try await Parallel.map(toRender, jobs: options.jobs) { try writer.write($0.0, $0.2()) }

                let files = await siteFiles.value
                for (path, _) in files { keys[path] = "" }
                _ = try await Parallel.map(files, jobs: options.jobs) { try writer.write($0.0, $0.1) }
                return toRender.count
            }

            // 6. Commit: move the new files into place, remove what the site no longer has,
            //    then record the ledger and the cache for the next build.
            try await clock.step("commit") {
                // The next build's cache is made while the output is committed (two cores, two jobs).
                let outputKeys = keys
                let changed = cache == nil || cache?.buildKey != key || site.ledger != inputs.ledger || !writer.written.isEmpty
                    || !writer.removed.isEmpty || scanned.contains(where: \.touched)
                let records = sourceRecords
                let cacheText = Task { () -> String? in
                    guard changed else { return nil }
                    var next = BuildCache(output: project.output)
                    // The key of the state this build leaves behind (with the ledger as it wrote it).
                    next.buildKey = buildKey(fingerprint, ledger: options.updateLedger ? site.ledger : inputs.ledger,
                                             inputs: inputs, options: options, records: records)
                    next.sources = records
                    next.compression = OutputWriter.compression(site.config)
                    for entry in writer.manifest { next.outputs[entry.path] = .init(key: outputKeys[entry.path] ?? "", entry: entry) }
                    return next.serialized()
                }
                try writer.commit()
                if options.updateLedger {
                    let text = site.ledger.serialized()
                    let old = (try? io.readString(project.ledger)) ?? ""
                    if text != old { try io.write(project.ledger, Array(text.utf8)) }
                }
                // The cache is rewritten only when something changed (a no-change build writes nothing).
                if let text = await cacheText.value {
                    try io.write(project.cacheFile, Array(text.utf8))
                }
            }
        } catch {
            writer.abort()
            throw error
        }
        return BuildReport(diagnostics: diagnostics.sortedForReport(), pages: site.pages.count, files: writer.fileCount,
                           incremental: cache != nil, normalised: pages.count, rendered: rendered,
                           written: writer.written, removed: writer.removed, timings: clock.timings)
    }

    // MARK: Step helpers

    /// Progress for one step, when the caller wants it.
    static func reporter(_ options: BuildOptions, _ step: String, _ total: Int) -> (@Sendable (Int) -> Void)? {
        guard let report = options.progress else { return nil }
        return { done in report(step, done, total) }
    }

    /// The last build's cache, if it describes this output folder and the folder is there.
    static func usableCache(_ project: Project, io: FileIO) -> BuildCache? {
        guard io.info(project.output)?.isDirectory == true,
              let text = try? io.readString(project.cacheFile),
              let cache = BuildCache.parse(text), cache.output == project.output,
              io.exists(project.output + Manifest.path)
        else { return nil }
        return cache
    }

    /// The last build's output files that are still on disk as it left them.
    static func verifiedOutputs(_ cache: BuildCache, project: Project, io: FileIO) -> [String: BuildCache.OutputRecord] {
        cache.outputs.filter { intact($0.value.entry, project: project, io: io) }
    }

    /// Whether an output file is still on disk as the last build left it.
    static func intact(_ entry: ManifestEntry, project: Project, io: FileIO) -> Bool {
        guard io.info(project.output + entry.path)?.size == entry.size else { return false }
        for v in entry.variants where io.info(project.output + entry.path + (v.encoding == "gzip" ? ".gz" : ".br"))?.size != v.size {
            return false
        }
        return true
    }

    struct Scanned: Sendable {
        var record: BuildCache.SourceRecord?
        var page: Page?
        var diagnostics: [Diagnostic]
        /// The source differs from the cache's record (content or file metadata).
        var touched: Bool
    }

    /// One source: reused from the cache when its file is unchanged, else read and normalised.
    static func scan(_ path: String, project: Project, cache: BuildCache?, io: FileIO) throws -> Scanned {
        let file = project.content + "/" + path
        guard let info = io.info(file) else { throw FileIOError(file, "disappeared during the build") }
        let old = cache?.sources[path]
        if let old, old.size == info.size, old.modified == info.modified, old.inode == info.inode {
            return Scanned(record: old, page: nil, diagnostics: old.warnings, touched: false)
        }
        let bytes = try io.read(file)
        let hash = Digest.sha256(bytes)
        if var old, old.bytesHash == hash {
            old.size = info.size
            old.modified = info.modified
            old.inode = info.inode
            return Scanned(record: old, page: nil, diagnostics: old.warnings, touched: true)
        }
        let (page, diagnostics) = Normaliser.normalise(Source(path: path, file: file, bytes: bytes))
        guard let page else { return Scanned(record: nil, page: nil, diagnostics: diagnostics, touched: true) }
        let summary = PageSummary(page: page, file: file, contentHash: String(hash.prefix(16)))
        let record = BuildCache.SourceRecord(size: info.size, modified: info.modified, inode: info.inode, bytesHash: hash,
                                             summary: summary, warnings: diagnostics.filter { $0.severity == .warning })
        return Scanned(record: record, page: page, diagnostics: diagnostics, touched: true)
    }

    /// Normalises an unchanged source again, for a page whose site context changed.
    static func reload(_ summary: PageSummary, project: Project, io: FileIO) throws -> Page {
        let file = project.content + "/" + summary.sourcePath
        let (page, diagnostics) = Normaliser.normalise(Source(path: summary.sourcePath, file: file, bytes: try io.read(file)))
        guard let page else { throw BuildFailed(diagnostics) }
        return page
    }

    /// Digest of every input of a build: templates, config and assets (the fingerprint), the
    /// options that shape output, the ledger, and each source's bytes.
    static func buildKey(_ fingerprint: String, ledger: Ledger, inputs: Inputs, options: BuildOptions,
                         records: [String: BuildCache.SourceRecord]) -> String {
        var d = Digest()
        d.add(fingerprint)
        d.add("\(options.compress)|\(options.includeDrafts)|\(options.updateLedger ? "" : options.today.description)")
        d.add(ledger.serialized())
        for s in inputs.statics { d.add(s.path); d.add(s.bytes) }
        // Source paths come sorted from the loader: no need to sort the records' keys.
        for path in inputs.sourcePaths {
            guard let record = records[path] else { continue }
            d.add(path)
            d.add(record.bytesHash)
        }
        return d.hex
    }

    static func renderKey(_ fingerprint: String, _ content: String, _ context: String) -> String {
        var d = Digest()
        d.add(fingerprint)
        d.add(content)
        d.add(context)
        return String(d.hex.prefix(32))
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
