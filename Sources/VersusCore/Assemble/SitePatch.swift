/// The assemble stage by delta: the site for an input that differs from an earlier one
/// only in the content of some pages (their words changed, not their title, subjects,
/// URL, description, dates, aliases or flags), worked out from the earlier site instead
/// of from scratch. Such an edit moves nothing site-wide: URLs, titles, descriptions,
/// hubs, related links, the index and every claim stay as they were. What it changes is
/// the edited pages' summaries and lastmod (through the ledger), their hubs' lastmod and
/// the site's. The result is the site `assemble` gives for the new input, field for
/// field (`SitePatchTests` checks it against a full assemble).
extension SiteAssembler {
    /// An earlier assemble: its input, and the site and diagnostics it gave.
    public struct Assembled: Sendable {
        public var input: Input
        public var site: Site
        public var diagnostics: [Diagnostic]
    }

    /// A patched site, and what the patch changed in it.
    public struct Patched: Sendable {
        public var site: Site
        public var diagnostics: [Diagnostic]
        /// Pages whose summary or plan changed (indices into `site.pages`).
        public var pages: Set<Int>
        /// Hubs whose dates changed (indices into `site.hubs`).
        public var hubs: Set<Int>
    }

    /// The site for `input` from `previous`, or nil when the change is not one it covers.
    public static func patch(_ previous: Assembled, to input: Input) -> Patched? {
        let old = previous.input
        guard input.config == old.config, input.today == old.today, input.includeDrafts == old.includeDrafts,
              input.ledger == old.ledger, input.summaries.count == old.summaries.count,
              input.files.count == old.files.count,
              zip(input.files, old.files).allSatisfy({ $0.path == $1.path && $0.file == $1.file }) else { return nil }
        var changed: [PageSummary] = []
        var checkDescriptions: [String] = []
        for (new, was) in zip(input.summaries, old.summaries) where new != was {
            guard new.sameSiteFacts(as: was) else { return nil }
            // Other descriptions (derived from the words) are read only when the page's own
            // description clashes with another page's.
            if new.alternateDescriptions != was.alternateDescriptions { checkDescriptions.append(new.description.lowercased()) }
            changed.append(new)
        }
        if changed.isEmpty { return Patched(site: previous.site, diagnostics: previous.diagnostics, pages: [], hubs: []) }
        if !checkDescriptions.isEmpty {
            var count: [String: Int] = [:]
            for d in checkDescriptions { count[d] = 0 }
            for summary in input.summaries where input.includeDrafts || !summary.draft {
                let d = summary.description.lowercased()
                if let n = count[d] { count[d] = n + 1 }
            }
            guard count.values.allSatisfy({ $0 == 1 }) else { return nil }
        }
        // Too many at once (a template-wide or generated change): a full assemble is as quick.
        guard changed.count <= max(64, old.summaries.count / 20) else { return nil }

        var site = previous.site
        var position: [String: Int] = [:]
        position.reserveCapacity(site.pages.count)
        for (i, page) in site.pages.enumerated() { position[page.file] = i }
        var hubOf: [String: Int] = [:]
        for (h, hub) in site.hubs.enumerated() { hubOf[hub.slug] = h }
        var ledger = input.ledger
        var touchedHubs: Set<Int> = []
        var touchedPages: Set<Int> = []
        for summary in changed {
            guard let i = position[summary.file] else { continue }   // a draft left out of the site
            site.pages[i] = summary
            touchedPages.insert(i)
            if summary.updated == nil && summary.date == nil {
                let day = ledger.lastmod(url: summary.urlPath, hash: summary.contentHash, today: input.today)
                site.ledger.entries[summary.urlPath] = ledger.entries[summary.urlPath]
                site.plans[i].lastmod = day
            }
            if summary.kind == .comparison {
                for s in summary.subjects { if let h = hubOf[Slug.make(s)] { touchedHubs.insert(h) } }
            }
        }
        for h in touchedHubs {
            site.hubs[h].lastmod = site.hubs[h].pages.map { site.plans[$0].lastmod }.max() ?? site.hubs[h].lastmod
        }
        site.lastmod = site.plans.map(\.lastmod).max() ?? input.today
        return Patched(site: site, diagnostics: previous.diagnostics, pages: touchedPages, hubs: touchedHubs)
    }
}

extension PageSummary {
    /// Whether the two differ at most in their content (digest, memo key, and the other
    /// descriptions derived from the words): the facts the site-wide steps read are the same.
    func sameSiteFacts(as other: PageSummary) -> Bool {
        var a = storage.fields, b = other.storage.fields
        a.contentHash = ""; a.key = ""; a.alternateDescriptions = []
        b.contentHash = ""; b.key = ""; b.alternateDescriptions = []
        return a == b
    }
}
