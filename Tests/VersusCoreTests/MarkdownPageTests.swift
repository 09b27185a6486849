import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

@Suite struct MarkdownPageTests {
    @Test func comparisonFromFrontMatter() throws {
        let (page, d) = normalise("""
        ---
        title: "Kubernetes vs Nomad: A Field Guide"
        subjects: ["Kubernetes", "Nomad"]
        byline: "Jane Doe — Staff Engineer"
        date: 2024-05-01
        updated: 2024-06-02
        aliases: ["/nomad-vs-kubernetes/"]
        roles: {"Closing Thoughts": our_position}
        ---

        An introduction that is long enough to serve as the description of this page for search engines.

        ## Nomad Focus

        Nomad is *small*, and [its docs](https://example.com/nomad) are good.

        ```
        ## not a heading inside a fence
        ```

        ## Closing Thoughts

        Pick the smaller tool first.
        """, path: "k8s-nomad.md")
        #expect(d.isEmpty, "\(d)")
        let p = try #require(page)
        #expect(p.kind == .comparison)
        #expect(p.frontMatter.slug == "kubernetes-vs-nomad")
        #expect(p.frontMatter.byline?.name == "Jane Doe")
        #expect(p.frontMatter.date == Day(year: 2024, month: 5, day: 1))
        #expect(p.frontMatter.updated == Day(year: 2024, month: 6, day: 2))
        #expect(p.frontMatter.aliases == ["/nomad-vs-kubernetes/"])
        #expect(p.sections.map(\.heading) == ["Nomad Focus", "Closing Thoughts"])
        #expect(p.sections.map(\.role) == [.subjectFocus, .ourPosition])
        #expect(p.sections[0].markdown.contains("## not a heading inside a fence"))
        #expect(p.frontMatter.description == "An introduction that is long enough to serve as the description of this page for search engines.")
    }

    @Test func documentsBuildAtTheURLOfTheirPath() {
        #expect(MarkdownPageParser.documentSlug(path: "guides/sso.md", slug: nil) == "guides/sso")
        #expect(MarkdownPageParser.documentSlug(path: "about.md", slug: nil) == "about")
        #expect(MarkdownPageParser.documentSlug(path: "guides/index.md", slug: nil) == "guides")
        #expect(MarkdownPageParser.documentSlug(path: "Guides/Single Sign-On.md", slug: nil) == "guides/single-sign-on")
        #expect(MarkdownPageParser.documentSlug(path: "guides/sso.md", slug: "saml") == "guides/saml")
    }

    @Test func frontMatterErrorsNameTheLine() {
        let (page, d) = normalise("""
        ---
        title: "Broken"
        subjects: ["Only one"]
        date: someday
        ---
        Body.
        """, path: "broken.md")
        #expect(page == nil)
        #expect(d.map(\.description) == [
            "content/broken.md:3: error: 'subjects' must name two to four subjects, for example [\"Kubernetes\", \"Stripe\"]",
            "content/broken.md:4: error: 'date' must be a date written YYYY-MM-DD",
        ])
    }

    /// The front-matter runs from a `---` first line to the next line of exactly `---` or `...`
    /// (spaces, tabs and CR after it allowed); the body starts on the line after, numbered.
    @Test func frontMatterIsSplitAtItsClosingLine() {
        func split(_ text: String) -> String {
            switch MarkdownPageParser.splitFrontMatter(text) {
            case .missing: return "missing"
            case .unclosed: return "unclosed"
            case .found(let yaml, let body, let line): return "\(yaml.debugDescription) \(String(body).debugDescription) \(line)"
            }
        }
        let cases: [(String, String)] = [
            ("---", "unclosed"), ("---  \t", "unclosed"), ("---x\ntitle: a\n---\n", "missing"), ("--\n", "missing"), ("", "missing"),
            ("Body\n---\n", "missing"),
            ("---\ntitle: a\n---\nBody", "\"title: a\\n\" \"Body\" 4"),
            ("---\ntitle: a\n...\n\nBody", "\"title: a\\n\" \"\\nBody\" 4"),
            ("---\n---\n", "\"\" \"\" 3"),
            ("---\r\ntitle: a\r\n--- \r\nBody", "\"title: a\\r\\n\" \"Body\" 4"),
            ("---\ntitle: a\n----\nBody", "unclosed"),
            ("---\ntitle: a\n ---\nBody", "unclosed"),
            ("---\ntitle: a\n---x\nBody", "unclosed"),
            ("---\ntitle: a\n---", "\"title: a\\n\" \"\" 4"),
            ("---\ntitle: é\nsubjects: [Vue, 和]\n---\nBödy\n", "\"title: é\\nsubjects: [Vue, 和]\\n\" \"Bödy\\n\" 5"),
        ]
        for (text, expected) in cases {
            #expect(split(text) == expected, "\(text.debugDescription)")
        }
    }

    @Test func theLineOfAFrontMatterKey() {
        // The first line that starts with `key:`, counted from line 2 (the line after `---`); line 2 when none does.
        let yaml = "title: \"A vs B\"\nsubjects_note: x\n  subjects: nested\n\nsubjects: [\"A\", \"B\"]\naliases: [\"/a/\"]\nroles:"
        #expect(MarkdownPageParser.line(of: "title", in: yaml) == 2)
        #expect(MarkdownPageParser.line(of: "subjects", in: yaml) == 6)
        #expect(MarkdownPageParser.line(of: "aliases", in: yaml) == 7)
        #expect(MarkdownPageParser.line(of: "roles", in: yaml) == 8)   // the last line, with no newline after it
        #expect(MarkdownPageParser.line(of: "slug", in: yaml) == 2)
        #expect(MarkdownPageParser.line(of: "slug", in: "") == 2)
        #expect(MarkdownPageParser.line(of: "title", in: "titles: x\nti") == 2)
    }

    @Test func invalidYAMLIsAnErrorWithALine() {
        let (page, d) = normalise("---\ntitle: \"ok\"\ndescription: [unclosed\n---\nBody.\n", path: "bad.md")
        #expect(page == nil)
        #expect(d.count == 1)
        #expect(d[0].description.hasPrefix("content/bad.md:"))
        #expect(d[0].description.contains("error: front-matter is not valid"))
    }

    @Test func missingFrontMatter() {
        let (page, d) = normalise("# Just Markdown\n\nNo front-matter here.\n", path: "plain.md")
        #expect(page == nil)
        #expect(d.first?.description.hasPrefix("content/plain.md:1: error: missing front-matter") == true)
    }

    @Test func unknownKeysAndSecondH1AreWarnings() throws {
        let (page, d) = normalise("""
        ---
        title: "About Versus"
        descripton: "typo"
        ---
        # About

        Versus compiles comparison texts into sites that search engines read well, fast and safely.
        """, path: "about.md")
        #expect(page != nil)
        #expect(d.map(\.severity) == [.warning, .warning, .warning])
        #expect(d.contains { $0.message.contains("unknown front-matter key 'descripton'") })
        #expect(d.contains { $0.message.contains("second <h1>") && $0.line == 5 })
        #expect(d.contains { $0.message.contains("no 'description'") })
    }

    /// `versus normalize` output saved as a `.md` file builds the same page.
    @Test(arguments: ["000_eaa9524dc3bd6502.txt", "001_e95fb578502a2795.txt", "002_0554f4d5bf23f6f1.txt"])
    func normalisedMarkdownTakesThePageOver(_ seed: String) throws {
        let bytes = try FileIO.disk.read(repositoryRoot + "/content/" + seed)
        let original = try #require(Normaliser.normalise(Source(path: seed, bytes: bytes)).page)
        let markdown = PageMarkdown.write(original)
        let (again, d) = normalise(markdown, path: "taken-over.md")
        #expect(d.isEmpty, "\(d)")
        let taken = try #require(again)
        #expect(taken.frontMatter.title == original.frontMatter.title)
        #expect(taken.frontMatter.subjects == original.frontMatter.subjects)
        #expect(taken.frontMatter.slug == original.frontMatter.slug)
        #expect(taken.frontMatter.description == original.frontMatter.description)
        #expect(taken.frontMatter.byline == original.frontMatter.byline)
        #expect(taken.leadMarkdown == original.leadMarkdown)
        #expect(taken.sections == original.sections)
        // And writing it again is a fixed point.
        #expect(PageMarkdown.write(taken) == markdown)
    }

    /// Characters that YAML takes for line breaks (U+2028, U+2029, U+0085) in a heading of a
    /// text: the Markdown `versus normalize` writes reads back as the same page.
    @Test func headingsWithYAMLsOwnLineBreaksReadBack() throws {
        let text = "Alpha vs Beta: Which Fits?\n\nAlpha and Beta compared for a small team that has to pick one of them soon.\n\n"
            + "Alpha\u{2028}Focus\nAlpha is a single binary that a small team can run and upgrade.\n\nBeta\u{2029}Focus\u{85}Notes\nBeta has a large ecosystem of plugins.\n"
        let original = try #require(Normaliser.normalise(Source(path: "ab.txt", bytes: Array(text.utf8))).page)
        let (again, d) = normalise(PageMarkdown.write(original), path: "ab.md")
        #expect(!d.hasErrors, "\(d)")
        #expect(try #require(again).sections == original.sections)
    }

    @Test func jsonlRecordHasTheAgreedKeys() throws {
        let (page, _) = normalise("Kubernetes vs Nomad\nKubernetes vs Nomad for Platform Teams\n" + SourceTextTests.body)
        let line = PageMarkdown.jsonRecord(file: "content/x.txt", page: page, error: nil).serialized()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        // The agreed keys, and the ones that say how the page was read.
        #expect(Set(object.keys).isSuperset(of: ["file", "title", "subjects", "slug", "description", "sections", "byline", "error"]))
        #expect(Set(object.keys).isSuperset(of: ["byline_name", "byline_role", "tables", "code_blocks", "warnings"]))
        #expect(object["subjects"] as? [String] == ["Kubernetes", "Nomad"])
        let sections = try #require(object["sections"] as? [[String: Any]])
        #expect(sections.map { $0["role"] as? String } == ["subject_focus", "our_position", "technical"])
        #expect(sections.map { $0["blocks"] as? Int } == [1, 1, 1])
        #expect(sections.map { $0["paragraphs"] as? Int } == [1, 1, 1])
        #expect(object["byline"] is NSNull)
        #expect(object["error"] is NSNull)
    }

    /// A heading or cell cmark would give back unchanged skips it, and only then.
    @Test func literalHeadingsAreTheirOwnHTML() {
        let literal = ["Pricing", "Security and Compliance", "When to Choose 1Password", "Kubernetes vs Nomad: Which One?",
                       "Cost (per month)", "Ratio 3:1; or 50% = half", "C+ and @handles", "Zürich und Köln", "性能 对比",
                       "a  b", "2024 Update"]
        let markup = [" Pricing", "Pricing ", "C#", "Pricing #", "*Fast*", "`code`", "a_b", "[link](x)", "R&D", "<b>", "Don't",
                      "\"Quoted\"", "Wait...", "A -- B", "a\\b", "!Bang", "1. First", "- Item", "> Quote"]
        for options in [MarkdownOptions(), MarkdownOptions(smartPunctuation: true)] {
            for text in literal {
                #expect(BodyHTML.isLiteral(text), "\(text)")
                #expect(CMark.html("## " + text, options: options) == "<h2>" + text + "</h2>\n", "\(text)")
                #expect(BodyHTML.inline(text, options: options) == text)
            }
            for text in markup { #expect(!BodyHTML.isLiteral(text), "\(text)") }
        }
    }
}

/// A Markdown page read for a build keeps the blocks whose HTML no option changes as the HTML
/// cmark made of them in the parse that found its sections (`MarkdownPageParser.split(_:firstLine:html:)`):
/// the page renders to the same bytes as its blocks rendered one by one from their Markdown,
/// under every combination of options.
@Suite struct RenderedBlockTests {
    static let bodies: [String] = [
        // Plain prose, emphasis, code spans, links, a hard break, an entity.
        "Lead with *emphasis*, **strong**, `code` and a [link](/guides/x/).\n\n## One\n\nText  \nafter a hard break &amp; more.\n\n## Two\n\nPlain text only.",
        // Lists: tight, loose, nested, ordered from 3, and a list before a paragraph with no blank line between.
        "## Lists\n\n- a\n- b\n\n- c loose\n\n1. one\n2. two\n   - nested\n   - items\n\n3) three\n4) four\n\nText\n- interrupting list\n- item",
        // Code: fenced with an info string, unclosed at the end, and indented; a thematic break.
        "## Code\n\n```swift\nlet x = 1 -- 2\n```\n\n    indented code\n    more\n\n***\n\n## Last\n\n~~~\nnever closed\n\n## not a heading inside the fence",
        // Quotes with lazy continuation, headings of other levels, setext headings.
        "> quoted\nlazy line\n> > nested\n\n### Third level\n\n# First level\n\nSetext two\n----------\n\nSetext one\n==========\n\nafter",
        // What the options change: smart punctuation, raw HTML, autolinks, schemes safe mode drops.
        "## Options\n\n\"Quoted\" and 'single' -- dashes --- and dots...\n\n<div>raw block</div>\n\nInline <b>html</b> and <https://example.com>.\n\n[bad](javascript:alert(1)) [img](DATA:text/html,x) ![i](vbscript:x)\n\nPlain: a colon, file names like notes.txt and 6-12 weeks.",
        // Reference links (the page keeps Markdown: a block alone resolves its own definitions first).
        "See [the guide][g] and [other].\n\n## Refs\n\n[g]: /guides/g/\n[other]: https://example.com/o\n\nText [g] again.",
        // A pipe table between blocks, tabs, a backslash escape and a line of only spaces.
        "## Table\n\nBefore.\n\n| A | B |\n|---|:-:|\n| 1 | 2 |\n\n\tTabbed code\n\nEscaped \\*not em\\*.\n   \nEnd.",
        // Schemes safe mode drops, written so no ':' follows their letters in the source: an
        // entity for a letter or for the colon, a backslash escape, a reference to an entity in
        // a title. Then text with an ampersand that is no entity.
        "## Hidden schemes\n\n[a](&#106;avascript:alert(1))\n\n[b](javascript&colon;alert(1))\n\n[c](JAVASCRIPT\\:x)\n\n[d](&#x64;ata:text/html,x)\n\nR&D and Q&A teams; AT&T.",
    ]

    @Test(arguments: bodies.indices)
    func renderAsTheirMarkdownWouldUnderEveryOption(_ k: Int) throws {
        let body = Substring(Self.bodies[k])
        let split = MarkdownPageParser.split(body, firstLine: 1, html: true)
        let plain = MarkdownPageParser.split(body, firstLine: 1)
        #expect(split.lead == plain.lead && split.sections.map(\.blocks) == plain.sections.map(\.blocks))
        for unsafe in [false, true] {
            for smart in [false, true] {
                let options = MarkdownOptions(unsafeHTML: unsafe, smartPunctuation: smart)
                let references = split.linkReferences
                #expect(BodyHTML.blocks(split.keptLead, references: references, options: options)
                        == BodyHTML.blocks(plain.lead, references: references, options: options), "lead, \(options)")
                for (kept, blocks) in zip(split.sections, plain.sections) {
                    #expect(BodyHTML.blocks(kept.kept, references: references, options: options)
                            == BodyHTML.blocks(blocks.blocks, references: references, options: options), "\(kept.heading), \(options)")
                }
            }
        }
    }

    /// Most prose is kept as HTML; what an option changes, and a page with reference
    /// definitions, keep their Markdown.
    @Test func keepsHTMLOnlyWhereNoOptionChangesIt() throws {
        func kinds(_ body: String) -> [String] {
            let split = MarkdownPageParser.split(Substring(body), firstLine: 1, html: true)
            return (split.keptLead + split.sections.flatMap(\.kept)).map {
                switch $0 { case .html: "html"; case .markdown: "markdown"; case .table: "table" }
            }
        }
        #expect(kinds(Self.bodies[0]) == ["html", "html", "html"])
        #expect(kinds(Self.bodies[4]) == ["markdown", "markdown", "markdown", "markdown", "html"])
        #expect(kinds(Self.bodies[5]).allSatisfy { $0 == "markdown" })
        #expect(kinds(Self.bodies[6]) == ["html", "table", "html", "html", "html"])
        #expect(kinds(Self.bodies[7]) == ["markdown", "markdown", "markdown", "markdown", "html"])
    }

    /// An ATX heading in ASCII is read over its bytes: the same text as by characters, for
    /// every mix of indentation, opening and closing #s, spaces and tabs ("C#" keeps its #).
    @Test func anATXHeadingReadsAsByCharacters() {
        var lines: [String] = []
        for indent in ["", " ", "   "] {
            for open in ["#", "##", "###", "#######"] {
                for gap in ["", " ", "  ", "\t", " \t "] {
                    for text in ["", "Pricing", "C#", "Why C# wins", "a #b", "x#", "#", "##", "Cost  and speed"] {
                        for close in ["", " ", "#", " #", " ##", "\t#", " # ", "## ", " #\t", "  ###  "] {
                            lines.append(indent + open + gap + text + close)
                        }
                    }
                }
            }
        }
        var fast = 0
        for line in lines {
            #expect(MarkdownPageParser.headingText([line]) == MarkdownPageParser.headingTextByCharacters([line]), "\(line.debugDescription)")
            if MarkdownPageParser.atxHeadingText(line) != nil { fast += 1 }
        }
        #expect(fast == lines.count)
        // Other scripts, a CR and setext headings are read by characters.
        for line in ["## Café ##", "## e\u{301} #", "## A\r", "#\u{301} x", "Pricing"] {
            #expect(MarkdownPageParser.atxHeadingText(line) == nil, "\(line.debugDescription)")
        }
        #expect(MarkdownPageParser.headingText(["## Café ##"]) == "Café")
        #expect(MarkdownPageParser.headingText(["Pricing", "-------"]) == "Pricing")
    }
}
