import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

/// The three bundled seeds, normalised: every fact a page is built from, pinned.
@Suite struct SeedTests {
    static func load(_ name: String) throws -> Page {
        let path = repositoryRoot + "/content/" + name
        let bytes = try FileIO.disk.read(path)
        let (page, diagnostics) = Normaliser.normalise(Source(path: name, file: "content/" + name, bytes: bytes))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return try #require(page)
    }

    func check(_ page: Page, title: String, subjects: [String], slug: String, sections: [(String, Role)],
               byline: String?, descriptionPrefix: String) {
        let fm = page.frontMatter
        #expect(fm.title == title)
        #expect(fm.subjects == subjects)
        #expect(fm.slug == slug)
        #expect(page.sections.map(\.heading) == sections.map(\.0))
        #expect(page.sections.map(\.role) == sections.map(\.1))
        #expect(fm.byline?.text == byline)
        let length = fm.description.unicodeScalars.count
        #expect((50...160).contains(length), "description is \(length) characters: \(fm.description)")
        #expect(fm.description.hasPrefix(descriptionPrefix))
        #expect(!fm.description.contains("<") && !fm.description.contains("*"))
        // Never cut mid-word: the last word is a whole word of the source text.
        let lastWord = fm.description.split(separator: " ").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".…,")) } ?? ""
        let body = ([page.leadMarkdown] + page.sections.map(\.markdown)).joined(separator: " ")
        #expect(body.range(of: #"\b\#(NSRegularExpression.escapedPattern(for: lastWord))\b"#, options: .regularExpression) != nil)
    }

    @Test func kubernetesVsStripe() throws {
        let page = try Self.load("000_eaa9524dc3bd6502.txt")
        check(page, title: "Kubernetes vs Stripe for Enterprise Engineering", subjects: ["Kubernetes", "Stripe"],
              slug: "kubernetes-vs-stripe",
              sections: [("Stripe Focus", .subjectFocus), ("Our Audit Matrix Focus", .ourPosition),
                         ("The Technical Breakdown", .technical), ("Stop Guessing Your AI / Architectural Risk", .callToAction)],
              byline: nil, descriptionPrefix: "Stripe abstracts away the labyrinth")
        #expect(page.sections[2].blocks.count == 2)
    }

    @Test func kubernetesOrPulumi() throws {
        let page = try Self.load("001_e95fb578502a2795.txt")
        check(page, title: "Bleeding Runway on Kubernetes or Pulumi?", subjects: ["Kubernetes", "Pulumi"],
              slug: "kubernetes-vs-pulumi",
              sections: [("Competitor Focus", .subjectFocus), ("Our Advantage", .ourPosition),
                         ("Technical Distinction", .technical), ("Need an expert verdict?", .callToAction)],
              byline: "Richard Ewing — AI Economist & Capital Auditor",
              descriptionPrefix: "Compare execution risks and cost inefficiencies of Kubernetes vs Pulumi.")
        // The description line is the source's own, kept whole (it fits).
        #expect(page.frontMatter.description == "Compare execution risks and cost inefficiencies of Kubernetes vs Pulumi. Find how technical debt and integration fees compromise EBITDA.")
        #expect(page.frontMatter.byline?.name == "Richard Ewing")
        #expect(page.frontMatter.byline?.role == "AI Economist & Capital Auditor")
        // The " | Comparison" site suffix is gone, and the byline is not body text.
        #expect(!page.sections.last!.markdown.contains("Richard Ewing"))
    }

    @Test func dockerVsKubernetes() throws {
        let page = try Self.load("002_0554f4d5bf23f6f1.txt")
        check(page, title: "Docker vs Kubernetes for Enterprise Engineering", subjects: ["Docker", "Kubernetes"],
              slug: "docker-vs-kubernetes",
              sections: [("Kubernetes Focus", .subjectFocus), ("Our Audit Matrix Focus", .ourPosition),
                         ("The Technical Breakdown", .technical), ("Stop Guessing Your AI / Architectural Risk", .callToAction)],
              byline: nil, descriptionPrefix: "Kubernetes rigorously focuses on declarative fleet orchestration")
    }

    @Test func seedsAreTheBundledContent() throws {
        let seeds = try FileIO.disk.list(repositoryRoot + "/../shared/seeds")
        for name in seeds {
            let seed = try FileIO.disk.read(repositoryRoot + "/../shared/seeds/" + name)
            let bundled = try FileIO.disk.read(repositoryRoot + "/content/" + name)
            #expect(seed == bundled, "content/\(name) differs from the seed")
        }
    }
}
