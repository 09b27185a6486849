import Foundation

/// What a build did.
public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic]
    public var pages: Int
    public var files: Int
    /// Named steps and how long each took.
    public var timings: [(step: String, seconds: Double)]
}

/// The build, top to bottom: load → normalise → assemble → render → emit.
///
/// Each step is named and timed. The core of every step is pure (model in,
/// bytes out); files are read and written only through `FileIO`.
public enum Pipeline {
    public static func build(_ project: Project, options: BuildOptions, io: FileIO = .disk) async throws -> BuildReport {
        var clock = StepClock()

        // 1. Load: the site config, templates, assets, the lastmod ledger, the list of sources.
        let inputs = try clock.step("load") { try Loader.load(project, options: options, io: io) }
        var diagnostics = inputs.warnings

        // 2. Normalise: every source becomes a Page (in parallel batches).
        let normalised = try await clock.step("normalise") {
            try await Parallel.map(inputs.sourcePaths, jobs: options.jobs) { path in
                let source = Source(path: path, file: project.content + "/" + path, bytes: try io.read(project.content + "/" + path))
                let (page, d) = Normaliser.normalise(source)
                return (page, d, source.file)
            }
        }
        var pages: [Page] = []
        var summaries: [PageSummary] = []
        for (page, d, file) in normalised {
            diagnostics += d
            if let page {
                pages.append(page)
                summaries.append(PageSummary(page: page, file: file, contentHash: contentHash(page)))
            }
        }
        if diagnostics.hasErrors { throw BuildFailed(diagnostics.sortedForReport()) }

        // 3. Assemble: site-wide decisions (URLs, topics, dates, titles, descriptions, hubs, related links).
        let (assembled, siteDiagnostics) = clock.step("assemble") {
            SiteAssembler.assemble(.init(config: inputs.config, summaries: summaries, ledger: inputs.ledger,
                                         today: options.today, includeDrafts: options.includeDrafts))
        }
        diagnostics += siteDiagnostics
        guard let site = assembled, !diagnostics.hasErrors else { throw BuildFailed(diagnostics.sortedForReport()) }

        // 4. Render and emit pages, in parallel batches, straight into the staging folder.
        let writer = try OutputWriter(io: io, output: project.output, config: site.config, compress: options.compress)
        let renderer = Renderer(site: site, templates: inputs.templates,
                                assets: Dictionary(uniqueKeysWithValues: inputs.assets.map { ($0.name, $0.path) }))
        let pageBySource = Dictionary(uniqueKeysWithValues: pages.map { ($0.sourcePath, $0) })
        do {
            try await clock.step("render pages") {
                _ = try await Parallel.map(Array(site.pages.indices), jobs: options.jobs) { i in
                    let summary = site.pages[i]
                    let html = renderer.page(pageBySource[summary.sourcePath]!, at: i)
                    try writer.write(summary.urlPath + "index.html", html)
                }
            }

            // 5. Emit the site-wide files: listings, sitemaps, feed, robots, 404, redirects, assets, headers.
            try await clock.step("site files") {
                var files: [(String, [UInt8])] = []
                let index = renderer.indexPages()
                for (path, html) in index { files.append((path + "index.html", Array(html.utf8))) }
                if !site.hubs.isEmpty {
                    files.append(("/subjects/index.html", Array(renderer.subjectsPage().utf8)))
                    for h in site.hubs.indices { files.append((site.hubs[h].urlPath + "index.html", Array(renderer.hubPage(h).utf8))) }
                }
                files.append(("/404.html", Array(renderer.notFoundPage().utf8)))
                for r in site.redirects {
                    files.append((r.from.hasSuffix("/") ? r.from + "index.html" : r.from, Array(renderer.redirectPage(r).utf8)))
                }
                for (path, text) in Sitemap.files(Sitemap.entries(site, indexPages: index.count), config: site.config) {
                    files.append((path, Array(text.utf8)))
                }
                files.append((Feed.path, Array(Feed.text(site).utf8)))
                files.append(("/robots.txt", Array(Robots.text(site.config).utf8)))
                files.append(("/_headers", Array(Headers.text(site.config).utf8)))
                if !site.redirects.isEmpty { files.append(("/_redirects", Array(Redirects.text(site).utf8))) }
                for asset in inputs.assets { files.append((asset.path, asset.bytes)) }
                for s in inputs.statics { files.append((s.path, s.bytes)) }
                _ = try await Parallel.map(files, jobs: options.jobs) { try writer.write($0.0, $0.1) }
            }

            // 6. Commit: the manifest, then swap the new output in; update the ledger.
            try clock.step("commit") {
                try writer.commit()
                if options.updateLedger {
                    let text = site.ledger.serialized()
                    let old = (try? io.readString(project.ledger)) ?? ""
                    if text != old { try io.write(project.ledger, Array(text.utf8)) }
                }
            }
        } catch {
            writer.abort()
            throw error
        }
        return BuildReport(diagnostics: diagnostics.sortedForReport(), pages: site.pages.count,
                           files: writer.manifest.count, timings: clock.timings)
    }

    /// What "the page's content" is for lastmod: its normalised form.
    static func contentHash(_ page: Page) -> String {
        String(Digest.sha256(PageMarkdown.write(page)).prefix(16))
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
