import Foundation
import Testing
@testable import VersusCore

/// The assemble stage on its own: summaries in, the site's decisions out.
@Suite struct AssembleTests {
    static let today = Day(year: 2026, month: 12, day: 1)

    static func summary(_ subjects: [String], title: String? = nil, slug: String? = nil, date: Day? = nil,
                        hash: String = "h0") -> PageSummary {
        let name = slug ?? Slug.make(subjects.joined(separator: " vs "))
        return PageSummary(sourcePath: "\(name).md", file: "content/\(name).md", kind: .comparison, slug: name,
                           title: title ?? subjects.joined(separator: " vs "), subjects: subjects,
                           description: "How \(subjects.joined(separator: " and ")) differ for platform teams (\(name)).",
                           alternateDescriptions: [], byline: nil, date: date, updated: nil, aliases: [], draft: false,
                           noindex: false, contentHash: hash, key: "k-\(name)-\(hash)")
    }

    static func assemble(_ summaries: [PageSummary], ledger: Ledger = Ledger()) -> (Site?, [Diagnostic]) {
        SiteAssembler.assemble(.init(config: SiteConfig(), summaries: summaries, ledger: ledger, today: today))
    }

    /// A small deterministic generator (the same titles on every run).
    struct Numbers {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    @Test func aQualifierIsDroppedAlikeByBytesAndByWords() {
        // Words that start, end or stop the clause, in every place, with empty words (two spaces
        // running) and spaces at either end: the bytes read in place give the words' answer.
        let words = ["Kafka", "vs", "Pulsar", "for", "in", "at", "across", "For", "Enterprise", "Engineering:", "Cost",
                     "(2024)", "(a", "|", "|b", ":", "x:", "", "inside", "fora", "acros", "a", "f"]
        var numbers = Numbers(state: 7)
        var tried = 0, dropped = 0
        for _ in 0..<6_000 {
            let count = 1 + numbers.next(9)
            var title = (0..<count).map { _ in words[numbers.next(words.count)] }.joined(separator: " ")
            if numbers.next(8) == 0 { title = " " + title }
            if numbers.next(8) == 0 { title += " " }
            let byBytes = Titles.dropQualifier(title)
            #expect(byBytes == Titles.dropQualifierByWords(title), "\(title)")
            tried += 1
            if byBytes != title { dropped += 1 }
        }
        // Both kinds were tried, many times.
        #expect(tried - dropped > 1_000 && dropped > 1_000)
        #expect(Titles.dropQualifier("Kafka vs Pulsar for Enterprise Engineering: Cost") == "Kafka vs Pulsar: Cost")
        #expect(Titles.dropQualifier("X for Y: ") == "X: ")
        #expect(Titles.dropQualifier("A  for B (2024) | Site") == "A  (2024) | Site")
        #expect(Titles.dropQualifier("for Kafka") == "for Kafka")
        // Other scripts go by their words.
        #expect(Titles.dropQualifier("Kafka vs Pulsar for Équipes: Coût") == "Kafka vs Pulsar: Coût")
    }

    @Test func aTopicIsItsSubjectsInEitherOrderAndTheTitlesOtherWords() {
        func topicErrors(_ titles: [(subjects: [String], title: String)]) -> [String] {
            let summaries = titles.enumerated().map { i, t in Self.summary(t.subjects, title: t.title, slug: "page-\(i)") }
            return Self.assemble(summaries).1.filter { $0.message.contains("same topic") }.map(\.file)
        }
        // The pair in the other order, with or without the same words around it.
        #expect(topicErrors([(["Kubernetes", "Nomad"], "Kubernetes vs Nomad"), (["Nomad", "Kubernetes"], "Nomad vs Kubernetes")])
                == ["content/page-1.md"])
        #expect(topicErrors([(["Kubernetes", "Nomad"], "Kubernetes vs Nomad in Production"),
                             (["Nomad", "Kubernetes"], "Nomad vs Kubernetes in production")]) == ["content/page-1.md"])
        #expect(topicErrors([(["Kubernetes", "Nomad"], "Kubernetes vs Nomad"), (["Nomad", "Kubernetes"], "Nomad vs Kubernetes: Cost")]).isEmpty)
        // Two pairs, each in both orders, with the same words around them: two topics.
        #expect(topicErrors([(["Kubernetes", "Nomad"], "Kubernetes vs Nomad"), (["Nomad", "Kubernetes"], "Nomad vs Kubernetes: Cost"),
                             (["Docker", "Podman"], "Docker vs Podman"), (["Podman", "Docker"], "Podman vs Docker: Cost")]).isEmpty)
        // Subjects are the same subject when their slugs are ("Go" and "go"); a third subject makes another pair.
        #expect(topicErrors([(["Go", "Rust"], "Go vs Rust"), (["rust", "go"], "rust vs go")]) == ["content/page-1.md"])
        #expect(topicErrors([(["Go", "Rust"], "Go vs Rust"), (["Rust", "Go", "Zig"], "Rust vs Go"), (["Go", "Rust", "Zig"], "Go vs Rust")])
                == ["content/page-2.md"])
        // Only a pair in both orders can clash: two pages of it in one order are not told apart here.
        #expect(topicErrors([(["Kubernetes", "Nomad"], "Kubernetes vs Nomad"), (["Kubernetes", "Nomad"], "Kubernetes vs Nomad")]).isEmpty)
    }

    @Test func aHubListsEachPageOnceInTitleOrderAndNamesTheOtherSubjectsOnce() throws {
        let summaries = [
            Self.summary(["Kubernetes", "Nomad"], title: "Kubernetes vs Nomad"),
            Self.summary(["Docker", "Kubernetes"], title: "Docker vs Kubernetes"),
            Self.summary(["Kubernetes", "nomad"], title: "Kubernetes vs nomad at scale", slug: "kubernetes-vs-nomad-at-scale"),
            // One subject named twice (one slug): the page is listed once.
            Self.summary(["Kubernetes", "kubernetes"], title: "Kubernetes vs kubernetes", slug: "kubernetes-twice"),
            Self.summary(["Alpha", "Kubernetes"], title: "alpha vs Kubernetes"),
        ]
        let (site, diagnostics) = Self.assemble(summaries)
        let built = try #require(site, "\(diagnostics)")
        let hub = try #require(built.hubs.first { $0.slug == "kubernetes" })
        #expect(hub.pages.map { built.pages[$0].title } ==
                ["alpha vs Kubernetes", "Docker vs Kubernetes", "Kubernetes vs kubernetes", "Kubernetes vs Nomad", "Kubernetes vs nomad at scale"])
        #expect(hub.description.contains("5 comparisons of Kubernetes"))
        // The other subjects as each was first named, in the order of the hub's pages; the hub's own never.
        #expect(hub.description.contains("against Alpha, Docker and Nomad."), "\(hub.description)")
        // Each page's hub links are its subjects' hubs, in its subjects' order.
        let page = try #require(built.pages.firstIndex { $0.title == "Docker vs Kubernetes" })
        #expect(built.plans[page].subjectHubs.map(\.path) == ["/subjects/docker/", "/subjects/kubernetes/"])
        #expect(built.plans[page].breadcrumbs.map(\.path) == ["/", "/subjects/docker/", built.pages[page].urlPath])
    }

    @Test func theLedgerKeepsTheEntriesOfLiveDatelessPagesOnly() throws {
        let dated = Day(year: 2025, month: 3, day: 4), old = Day(year: 2026, month: 1, day: 5)
        let summaries = [Self.summary(["Kafka", "Pulsar"]), Self.summary(["Redis", "Valkey"], date: dated), Self.summary(["Vue", "React"])]
        func entries(_ ledger: Ledger) throws -> [String: Ledger.Entry] { try #require(Self.assemble(summaries, ledger: ledger).0).ledger.entries }
        // No ledger: an entry of the build's day for each dateless page.
        #expect(try entries(Ledger()) == ["/kafka-vs-pulsar/": .init(hash: "h0", day: Self.today), "/vue-vs-react/": .init(hash: "h0", day: Self.today)])
        // The dateless pages' entries stay (their content is unchanged); a dated page's and a gone page's go.
        var ledger = Ledger()
        for url in ["/kafka-vs-pulsar/", "/vue-vs-react/", "/redis-vs-valkey/", "/gone-vs-away/"] { ledger.entries[url] = .init(hash: "h0", day: old) }
        #expect(try entries(ledger) == ["/kafka-vs-pulsar/": .init(hash: "h0", day: old), "/vue-vs-react/": .init(hash: "h0", day: old)])
        // Only a gone page's: as many entries as dateless pages before the build, one of them gone.
        ledger.entries["/redis-vs-valkey/"] = nil
        ledger.entries["/vue-vs-react/"] = nil
        #expect(try entries(ledger) == ["/kafka-vs-pulsar/": .init(hash: "h0", day: old), "/vue-vs-react/": .init(hash: "h0", day: Self.today)])
    }

    @Test func pagesAreInURLOrderThenByFile() throws {
        // Given in no order; two pages claim one URL: the one whose file comes later is told so.
        let summaries = [Self.summary(["Vue", "React"]), Self.summary(["Kafka", "Pulsar"], slug: "dup"),
                         Self.summary(["Alpha", "Beta"]), Self.summary(["Redis", "Valkey"], slug: "dup")]
        var moved = summaries
        moved[1] = PageSummary(sourcePath: "z.md", file: "content/z.md", kind: .comparison, slug: "dup", title: "Kafka vs Pulsar",
                               subjects: ["Kafka", "Pulsar"], description: "How Kafka and Pulsar differ.", alternateDescriptions: [],
                               byline: nil, date: nil, updated: nil, aliases: [], draft: false, noindex: false, contentHash: "h0", key: "k-z")
        for given in [moved, moved.reversed()] {
            let clash = Self.assemble(given).1.filter { $0.message.contains("is also the URL of") }
            #expect(clash.map(\.file) == ["content/z.md"])
            #expect(clash.first?.message.contains("content/dup.md") == true)
        }
        let (site, diagnostics) = Self.assemble(Array(summaries.prefix(3)).reversed())
        #expect(try #require(site, "\(diagnostics)").pages.map(\.slug) == ["alpha-vs-beta", "dup", "vue-vs-react"])
    }
}
