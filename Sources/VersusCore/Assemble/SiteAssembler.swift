/// The assemble stage: site-wide decisions made with every page summary in view.
///
/// 1. Drafts are left out; pages are put in URL order.
/// 2. URL collisions, reserved URLs and reversed pairs ("A vs B" and "B vs A") are errors.
/// 3. Aliases become redirects.
/// 4. lastmod comes from front-matter dates, else from the ledger.
/// 5. `<title>`s and meta descriptions are made unique.
/// 6. Hubs group comparisons by subject; related links join pages that share one.
public enum SiteAssembler {
    public struct Input: Sendable {
        public var config: SiteConfig
        public var summaries: [PageSummary]
        public var ledger: Ledger
        public var today: Day
        public var includeDrafts: Bool
        /// Files the build copies as they are (assets, static files): site path and the file they come from.
        public var files: [(path: String, file: String)]

        public init(config: SiteConfig, summaries: [PageSummary], ledger: Ledger, today: Day, includeDrafts: Bool = false,
                    files: [(path: String, file: String)] = []) {
            self.config = config
            self.summaries = summaries
            self.ledger = ledger
            self.today = today
            self.includeDrafts = includeDrafts
            self.files = files
        }
    }

    /// Why an alias (an old URL, written as a folder of the site with a redirect in it) cannot
    /// be one, if it cannot: it must be a path of the site, not the index, made of parts that a
    /// server maps to a folder of that name: letters, digits and `-._~` (and any non-ASCII
    /// letter), with no query, fragment, percent escape, quote, space or `.`/`..` part.
    static func aliasProblem(_ alias: String) -> String? {
        if alias == "/" { return "it is the index" }
        let parts = alias.split(separator: "/", omittingEmptySubsequences: false).dropFirst().dropLast()
        if parts.contains(where: { $0.isEmpty }) { return "it has an empty part (//)" }
        if parts.contains(where: { $0 == "." || $0 == ".." }) { return "it has a '.' or '..' part" }
        if let bad = alias.unicodeScalars.first(where: { $0.isASCII && !($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-._~/".unicodeScalars.contains($0)) }) {
            let hex = String(bad.value, radix: 16, uppercase: true)
            let shown = bad.value < 0x20 || bad.value == 0x7f ? "U+" + String(repeating: "0", count: 4 - hex.count) + hex : "'\(bad)'"
            return "\(shown) has no place in a folder's name in a URL (write old URLs as paths, such as /old-page/)"
        }
        return nil
    }

    /// Top-level folders the build writes itself.
    static let reservedFolders: Set<String> = ["subjects", "page", "assets"]

    /// The pages a build makes of its summaries: drafts only when asked for.
    public static func built(_ summaries: [PageSummary], includeDrafts: Bool) -> [PageSummary] {
        summaries.filter { includeDrafts || !$0.draft }
    }

    public static func assemble(_ input: Input) -> (Site?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let config = input.config
        // In URL order (then by file, for pages that claim one URL): each page's slug and file
        // read once, not in every comparison.
        let unsorted = built(input.summaries, includeDrafts: input.includeDrafts)
        let (pageSlugs, pageFiles) = (unsorted.map(\.slug), unsorted.map(\.file))
        let pages = unsorted.indices.sorted { a, b in
            pageSlugs[a] < pageSlugs[b] || pageSlugs[a] == pageSlugs[b] && pageFiles[a] < pageFiles[b]
        }.map { unsorted[$0] }
        // Subject slugs, made once per distinct name; pages refer to subjects by number.
        var slugsFound: [String: String] = [:]
        for p in pages { for s in p.subjects where slugsFound[s] == nil { slugsFound[s] = Slug.make(s) } }
        let slugs = slugsFound
        let slugOf = { @Sendable (s: String) in slugs[s] ?? Slug.make(s) }
        // A subject needs a URL of its own (its hub), so letters or digits, and a sensible length.
        for page in pages {
            for s in page.subjects {
                if slugOf(s).isEmpty {
                    diagnostics.append(.error(page.file, line: page.lines.subjects, "subject '\(Text.abbreviate(s))' has no letters or digits, so it cannot have a URL; name it in words"))
                } else if s.unicodeScalars.count > 100 {
                    diagnostics.append(.error(page.file, line: page.lines.subjects, "subject '\(Text.abbreviate(s))' is too long for a name; subjects are at most 100 characters"))
                }
            }
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        var subjectID: [String: Int] = [:]   // slug → id
        let subjectIDs: [[Int]] = pages.map { page in
            page.subjects.map { s in
                let slug = slugOf(s)
                if let id = subjectID[slug] { return id }
                subjectID[slug] = subjectID.count
                return subjectID.count - 1
            }
        }
        /// The unordered set of a comparison's subjects, as one number.
        var setIDs: [[Int]: Int] = [:]
        let subjectSets: [Int] = subjectIDs.enumerated().map { i, ids in
            guard ids.count >= 2 else { return -1 - i }
            let key = ids.sorted()
            if let id = setIDs[key] { return id }
            setIDs[key] = setIDs.count
            return setIDs.count - 1
        }
        func pairID(_ i: Int) -> Int { subjectSets[i] }

        // URLs: unique, not reserved, not empty.
        var byURL: [String: Int] = [:]   // URL → page number (numbers, not copies of summaries)
        byURL.reserveCapacity(pages.count)
        for (i, page) in pages.enumerated() {
            // The first folder, found by its byte in an ASCII slug (every slug made or checked is one).
            let slash = page.slug.isASCIIText ? page.slug.firstIndex(ofByte: 47) : page.slug.firstIndex(of: "/")
            let first = slash.map { String(page.slug[..<$0]) } ?? page.slug
            if page.slug.isEmpty {
                diagnostics.append(.error(page.file, "this page would be built at '/', where the index is; give it a 'slug'"))
            } else if reservedFolders.contains(first) {
                diagnostics.append(.error(page.file, "URL '\(page.urlPath)' is reserved for pages the build makes ('/\(first)/'); choose another slug"))
            } else if let other = byURL[page.urlPath] {
                diagnostics.append(.error(page.file, "URL '\(page.urlPath)' is also the URL of \(pages[other].file); give one of them another slug"))
            } else {
                byURL[page.urlPath] = i
            }
        }

        // "A vs B" and "B vs A" are one topic. Only pairs that occur in both orders can clash.
        var firstSubject: [Int: Int] = [:]   // pair → the first subject it was seen with
        var bothOrders: Set<Int> = []        // pairs seen in both orders
        for (i, page) in pages.enumerated() where page.kind == .comparison && page.subjects.count >= 2 {
            let pair = pairID(i)
            if let first = firstSubject[pair] {
                if first != subjectIDs[i][0] { bothOrders.insert(pair) }
            } else {
                firstSubject[pair] = subjectIDs[i][0]
            }
        }
        var topics: [Topic: Int] = [:]
        let clashing = pages.indices.filter { pages[$0].kind == .comparison && pages[$0].subjects.count >= 2 && bothOrders.contains(pairID($0)) }
        let titleWords = Parallel.mapSync(clashing.map { pages[$0] }) { page in topicWords(page) }
        for (n, i) in clashing.enumerated() {
            let page = pages[i]
            let key = Topic(pair: pairID(i), words: titleWords[n])
            if let o = topics[key] {
                let other = pages[o]
                diagnostics.append(.error(page.file,
                    "'\(page.title)' is the same topic as '\(other.title)' (\(other.file)); keep one page and list the other's URL under its 'aliases' so the old URL redirects"))
            } else {
                topics[key] = i
            }
        }

        // Aliases.
        var redirects: [Redirect] = []
        var aliasOwner: [String: Int] = [:]
        for (i, page) in pages.enumerated() {
            for alias in page.aliases {
                if let owner = byURL[alias] {
                    diagnostics.append(.error(page.file, line: page.lines.aliases, "alias '\(alias)' is the URL of \(pages[owner].file); a page cannot also be a redirect"))
                } else if let other = aliasOwner[alias] {
                    diagnostics.append(.error(page.file, line: page.lines.aliases, "alias '\(alias)' is also declared by \(pages[other].file)"))
                } else if let problem = aliasProblem(alias) {
                    diagnostics.append(.error(page.file, line: page.lines.aliases, "alias '\(alias)' is not a usable site path: \(problem)"))
                } else {
                    aliasOwner[alias] = i
                    redirects.append(Redirect(from: alias, to: page.urlPath))
                }
            }
        }
        redirects.sort { $0.from < $1.from }
        if diagnostics.hasErrors { return (nil, diagnostics) }

        // Dates.
        var ledger = input.ledger
        var lastmods: [Day] = []
        lastmods.reserveCapacity(pages.count)
        var dateless = 0
        for page in pages {
            if let d = page.updated ?? page.date {
                lastmods.append(d)
                if !ledger.entries.isEmpty { ledger.entries[page.urlPath] = nil }
            } else {
                dateless += 1
                lastmods.append(ledger.lastmod(url: page.urlPath, hash: page.contentHash, today: input.today))
            }
        }
        // Each dateless page now has its entry (their URLs are unique): the ledger holds more only
        // when it has entries of URLs no page has any more, which go.
        if ledger.entries.count > dateless {
            var liveURLs: Set<String> = []
            liveURLs.reserveCapacity(pages.count)
            for page in pages { liveURLs.insert(page.urlPath) }
            for url in ledger.entries.keys where !liveURLs.contains(url) { ledger.entries[url] = nil }
        }

        // Hubs: one per subject, keyed by the subject's slug.
        var hubIndex: [String: Int] = [:]
        var hubs: [Hub] = []
        for (i, page) in pages.enumerated() where page.kind == .comparison {
            for subject in page.subjects {
                let slug = slugOf(subject)
                if let h = hubIndex[slug] {
                    hubs[h].pages.append(i)
                } else {
                    hubIndex[slug] = hubs.count
                    hubs.append(Hub(name: subject, slug: slug, pages: [i], lastmod: lastmods[i], metaTitle: "", description: ""))
                }
            }
        }
        let sortKeys = pages.map { $0.title.lowercased() }
        let titleOrder: (Int, Int) -> Bool = { a, b in
            sortKeys[a] != sortKeys[b] ? sortKeys[a] < sortKeys[b] : pages[a].slug < pages[b].slug
        }
        // Each hub's pages in title order, the hubs on every core.
        let (keysByPage, slugsByPage, lastmodByPage) = (sortKeys, pages.map(\.slug), lastmods)
        let sortedPages = Parallel.mapSync(hubs.map(\.pages), grain: 8) { list in
            // Sorted, then each page once (a page naming the subject twice is listed once): the
            // order is total (slugs are unique), so a page's repeats are next to each other.
            var sorted = list.sorted { a, b in keysByPage[a] != keysByPage[b] ? keysByPage[a] < keysByPage[b] : slugsByPage[a] < slugsByPage[b] }
            var kept = 0
            for k in sorted.indices where k == 0 || sorted[k] != sorted[kept - 1] {
                sorted[kept] = sorted[k]
                kept += 1
            }
            sorted.removeLast(sorted.count - kept)
            return sorted
        }
        for h in hubs.indices {
            hubs[h].pages = sortedPages[h]
            hubs[h].lastmod = hubs[h].pages.map { lastmodByPage[$0] }.max()!
            hubs[h].noindex = hubs[h].pages.allSatisfy { pages[$0].noindex }
        }
        hubs.sort { $0.name.lowercased() != $1.name.lowercased() ? $0.name.lowercased() < $1.name.lowercased() : $0.slug < $1.slug }

        // Every output path is claimed once, with the index pages, on another core while the
        // titles, descriptions and related links are worked out: neither reads the other.
        let hubPages = hubs
        let ((index, claimed), (titledHubs, plans, titleDiagnostics)) = Parallel.both({
            let index = Listings.index(pages, titleKeys: sortKeys, config: config)
            return (index, claims(config: config, pages: pages, hubs: hubPages, index: index, redirects: redirects, files: input.files))
        }, {
            plan(pages, hubs: hubPages, lastmods: lastmods, config: config, subjectIDs: subjectIDs, subjectID: subjectID,
                 pairID: pairID, titleOrder: titleOrder)
        })
        diagnostics += titleDiagnostics
        let siteLastmod = lastmods.max() ?? input.today
        let site = Site(config: config, pages: pages, plans: plans, hubs: titledHubs, index: index,
                        redirects: redirects, lastmod: siteLastmod, ledger: ledger, indexablePages: Sitemap.indexable(pages))
        diagnostics += claimed
        if diagnostics.hasErrors { return (nil, diagnostics) }
        return (site, diagnostics)
    }

    /// Each page's plan (its `<title>` and meta description, unique across the site, its
    /// lastmod, hub links, breadcrumbs and related comparisons) and each hub's title and
    /// description; pages in URL order claim first, after the hubs.
    /// - Parameters:
    ///   - subjectIDs: each page's subjects by number (`subjectID`: the number of each subject's slug).
    private static func plan(_ pages: [PageSummary], hubs hubList: [Hub], lastmods: [Day], config: SiteConfig,
                             subjectIDs: [[Int]], subjectID: [String: Int], pairID: (Int) -> Int, titleOrder: (Int, Int) -> Bool)
        -> (hubs: [Hub], plans: [PagePlan], diagnostics: [Diagnostic]) {
        var hubs = hubList
        var diagnostics: [Diagnostic] = []
        // Titles and descriptions, unique across the site (pages in URL order claim first).
        var takenTitles = Taken()
        var takenDescriptions = Taken()
        takenTitles.reserve(pages.count + hubs.count)
        takenDescriptions.reserve(pages.count + hubs.count)
        for h in hubs.indices {
            let hub = hubs[h]
            let title = Titles.fit("\(hub.name) comparisons", max: config.titleMax)
            hubs[h].metaTitle = claim([title], fallbackBase: title, max: config.titleMax, taken: &takenTitles)
            // The other subjects of its pages, each once, as first named (by their numbers, not their slugs).
            var seen: Set<Int> = [subjectID[hub.slug] ?? -1]
            var names: [String] = []
            for p in hub.pages {
                for (j, subject) in pages[p].subjects.enumerated() where seen.insert(subjectIDs[p][j]).inserted { names.append(subject) }
            }
            let count = hub.pages.count
            let text = "\(count) comparison\(count == 1 ? "" : "s") of \(hub.name) on \(config.title)"
                + (names.isEmpty ? "." : ", against " + Titles.list(names) + ".")
                + " What each option does best, what it costs you, and when to pick it."
            hubs[h].description = claim([Text.shorten(text, min: Describe.minimum, max: Describe.maximum)],
                                        fallbackBase: text, max: Describe.maximum, taken: &takenDescriptions)
        }
        // Each page's best `<title>` on its own, worked out on every core; the loop below
        // only has to settle the (rare) clashes in order.
        let preferred = Parallel.mapSync(pages) { page -> (title: String?, titleKey: String, descriptionKey: String) in
            let t = Titles.firstCandidate(page.title, max: config.titleMax) { _ in true }
            return (t, t?.lowercased() ?? "", page.description.lowercased())
        }
        var claimedTitles: [String] = [], claimedDescriptions: [String] = []
        claimedTitles.reserveCapacity(pages.count)
        claimedDescriptions.reserveCapacity(pages.count)
        var sharing: [String: (first: String, second: String?)]?
        for (i, page) in pages.enumerated() {
            // Most titles fit and are unique: shorter forms are worked out only when needed.
            let metaTitle: String
            if let t = preferred[i].title, takenTitles.insert(preferred[i].titleKey).inserted {
                metaTitle = t
            } else if let t = Titles.firstCandidate(page.title, max: config.titleMax, accept: { !takenTitles.contains($0.lowercased()) }) {
                takenTitles.insert(t.lowercased())
                metaTitle = t
            } else {
                metaTitle = claim([], fallbackBase: page.title, max: config.titleMax, taken: &takenTitles)
            }
            var description: String?
            if takenDescriptions.insert(preferred[i].descriptionKey).inserted {
                description = page.description
            } else if let d = page.alternateDescriptions.first(where: { !takenDescriptions.contains($0.lowercased()) }) {
                description = d
                takenDescriptions.insert(d.lowercased())
            } else {
                let candidates = [page.description] + page.alternateDescriptions
                if page.alternateDescriptions.isEmpty {
                    // The author wrote this description; keep it, and say so.
                    // The first two pages with each description (looked up, not searched for
                    // on every clash: a site may repeat one description a thousand times).
                    if sharing == nil {
                        var found: [String: (first: String, second: String?)] = [:]
                        for p in pages {
                            if let f = found[p.description] { if f.second == nil, f.first != p.file { found[p.description]!.second = p.file } }
                            else { found[p.description] = (p.file, nil) }
                        }
                        sharing = found
                    }
                    let files = sharing?[page.description]
                    let owner = files.flatMap { $0.first != page.file ? $0.first : $0.second }
                    diagnostics.append(.warning(page.file, "description is the same as \(owner ?? "another page")'s; search engines want each page's to be unique"))
                    description = page.description
                } else {
                    description = claim(candidates, fallbackBase: candidates[0], max: Describe.maximum, taken: &takenDescriptions)
                }
                takenDescriptions.insert(description!.lowercased())
            }

            claimedTitles.append(metaTitle)
            claimedDescriptions.append(description!)
        }
        // The plans, with their hub links and breadcrumbs, on every core: only the claims above
        // are made in order.
        let hubLinks = hubs.map { Link(title: $0.name, path: $0.urlPath) }
        // Each subject's hub by the subject's number (-1: none), so a page's hubs are found without its slugs.
        var hubOfSubject = [Int](repeating: -1, count: subjectID.count)
        for (h, hub) in hubs.enumerated() { if let id = subjectID[hub.slug] { hubOfSubject[id] = h } }
        let hubOf = hubOfSubject
        var plans = Parallel.mapSync(Array(pages.indices)) { [claimedTitles, claimedDescriptions] i -> PagePlan in
            let page = pages[i]
            let subjectHubs = subjectIDs[i].compactMap { id in hubOf[id] >= 0 ? hubLinks[hubOf[id]] : nil }
            var crumbs = [Link(title: "Home", path: "/")]
            if let firstHub = subjectHubs.first { crumbs.append(firstHub) }
            crumbs.append(Link(title: page.title, path: page.urlPath))
            return PagePlan(metaTitle: claimedTitles[i], description: claimedDescriptions[i], lastmod: lastmods[i],
                            published: page.date, subjectHubs: subjectHubs, related: [], breadcrumbs: crumbs)
        }

        // Related comparisons: same pair first, then alternately the next pages of each
        // subject's hub (wrapping around), so every page is linked from its neighbours.
        if config.relatedCount > 0 {
            let pairs = pages.indices.map(pairID)
            var groups: [Int: [Int]] = [:]
            for i in pages.indices where pages[i].kind == .comparison {
                groups[pairs[i], default: []].append(i)
            }
            for key in groups.keys { groups[key]!.sort(by: titleOrder) }
            // Where each page sits in each of its hubs, so neighbours are found without copying lists.
            var positions = [[(hub: Int, at: Int)]](repeating: [], count: pages.count)
            for (h, hub) in hubs.enumerated() {
                for (k, page) in hub.pages.enumerated() { positions[page].append((h, k)) }
            }
            // Each page's on its own, on every core.
            let (pairGroups, position, hubs, count) = (groups, positions, hubs, config.relatedCount)
            let related = Parallel.mapSync(Array(pages.indices)) { i -> [Link]? in
                guard pages[i].kind == .comparison else { return nil }
                var chosen: [Int] = []
                func take(_ j: Int) {
                    if j != i, !chosen.contains(j), chosen.count < count { chosen.append(j) }
                }
                let group = pairGroups[pairs[i]] ?? []
                if group.count > 1, let at = group.firstIndex(of: i) {
                    for k in 1..<group.count {
                        guard chosen.count < count else { break }
                        take(group[(at + k) % group.count])
                    }
                }
                // In the order of the page's subjects.
                let lists: [(pages: [Int], at: Int)] = subjectIDs[i].compactMap { id in
                    let h = hubOf[id]
                    guard h >= 0, let p = position[i].first(where: { $0.hub == h }) else { return nil }
                    return (hubs[h].pages, p.at)
                }
                var step = 1
                while chosen.count < count, lists.contains(where: { step < $0.pages.count }) {
                    for list in lists where step < list.pages.count { take(list.pages[(list.at + step) % list.pages.count]) }
                    step += 1
                }
                return chosen.map { Link(title: pages[$0].title, path: pages[$0].urlPath) }
            }
            for (i, links) in related.enumerated() { if let links { plans[i].related = links } }
        }

        return (hubs, plans, diagnostics)
    }

    /// Claims every output path of the site (see `Claims`): what the build makes first, then
    /// the files copied as they are, then pages, then alias redirects.
    static func claims(config: SiteConfig, pages: [PageSummary], hubs: [Hub], index: [IndexPage], redirects: [Redirect],
                       files: [(path: String, file: String)]) -> [Diagnostic] {
        var claims = Claims()
        claims.reserve(pages.count + hubs.count + index.count + redirects.count + files.count + 16)
        for page in index { claims.claim(page.urlPath, .init(file: nil, what: .named(page.number == 1 ? "the home page" : "index page \(page.number)"))) }
        if !hubs.isEmpty { claims.claim("/subjects/", .init(file: nil, what: "the subjects listing")) }
        for hub in hubs {
            claims.claim(hub.urlPath, .init(file: hub.pages.first.map { pages[$0].file }, what: .named("the hub of subject '\(Text.abbreviate(hub.name))'")))
        }
        claims.claim("/404.html", .init(file: nil, what: "the 404 page"))
        claims.claim(Feed.path, .init(file: nil, what: "the feed"))
        for path in Sitemap.paths(count: Sitemap.count(index: index, hubs: hubs, indexablePages: Sitemap.indexable(pages)), config: config) {
            claims.claim(path, .init(file: nil, what: "a sitemap"))
        }
        claims.claim("/robots.txt", .init(file: nil, what: "robots.txt"))
        claims.claim("/_headers", .init(file: nil, what: "the CDN header rules"))
        if !redirects.isEmpty { claims.claim("/_redirects", .init(file: nil, what: "the CDN redirect rules")) }
        claims.claim(Manifest.path, .init(file: nil, what: "the deploy manifest"))
        for page in pages { claims.claim(page.urlPath, .init(file: page.file, what: .pageOf)) }
        // (Only a site with redirects needs to find a page by its URL.)
        let fileOf = redirects.isEmpty ? [:] : Dictionary(pages.map { ($0.urlPath, $0.file) }, uniquingKeysWith: { a, _ in a })
        for r in redirects {
            let owner = fileOf[r.to]
            claims.claim(r.from, .init(file: owner, what: .alias(r.from, of: owner ?? r.to)))
        }
        // Copied files last: when one lands on a page or alias, the copied file is the one to move.
        for f in files { claims.claim(f.path, .init(file: f.file, what: .copyOf)) }
        claims.checkFolders()
        claims.checkCopies(config.precompress)
        return claims.diagnostics
    }

    /// What a comparison is about: the same subjects in either order (its pair: the unordered set of
    /// its subjects, as a number) and the same title once the subjects are taken out (its words).
    struct Topic: Hashable {
        let pair: Int
        let words: [UInt64]
    }

    /// A comparison's title without its subjects: the words' hashes (`Phrase`), each subject's
    /// words taken out where they first stand.
    static func topicWords(_ page: PageSummary) -> [UInt64] {
        var rest = Phrase(page.title, keepWords: false).hashes
        for s in page.subjects {
            let w = Phrase(s, keepWords: false).hashes
            guard !w.isEmpty, w.count <= rest.count else { continue }
            if let at = (0...(rest.count - w.count)).first(where: { rest[$0..<($0 + w.count)].elementsEqual(w) }) {
                rest.removeSubrange(at..<(at + w.count))
            }
        }
        return rest
    }

    /// The first candidate nobody has taken; else the base with a counter.
    /// Titles or descriptions given out so far (lowercased), and for each numbered fallback
    /// the number to try next: the numbers below it were taken, and stay taken, so a site
    /// with a thousand pages of one title numbers them in one pass, not a thousand.
    struct Taken {
        private(set) var names: Set<String> = []
        fileprivate var next: [String: Int] = [:]
        func contains(_ name: String) -> Bool { names.contains(name) }
        mutating func reserve(_ count: Int) { names.reserveCapacity(count) }
        @discardableResult mutating func insert(_ name: String) -> (inserted: Bool, memberAfterInsert: String) { names.insert(name) }
    }

    /// The first candidate not taken, else `fallbackBase` numbered " (2)", " (3)", … (shortened
    /// to fit `max`), and takes it.
    static func claim(_ candidates: [String], fallbackBase: String, max: Int, taken: inout Taken) -> String {
        for c in candidates where !taken.contains(c.lowercased()) {
            taken.insert(c.lowercased())
            return c
        }
        let key = "\(max)\t" + fallbackBase
        var n = taken.next[key] ?? 2
        while true {
            let suffix = " (\(n))"
            let base = Titles.truncate(fallbackBase, max: max - Text.length(suffix))
            let c = base + suffix
            if !taken.contains(c.lowercased()) {
                taken.insert(c.lowercased())
                taken.next[key] = n + 1
                return c
            }
            n += 1
        }
    }
}
