import Foundation
import Testing
@testable import VersusCore

/// The engine compiled against typed contexts: rendering, optional values, dotted names,
/// constants, recursion, the schema's variable reference.
@Suite struct MustacheTypedTests {
    /// One root template `t` (with extra partials) compiled for `Root`.
    func library<Root: MustacheObject>(_ text: String, _ root: Root.Type, partials: [String: String] = [:],
                                       constants: [String: MustacheValue] = [:],
                                       sourceLocation: SourceLocation = #_sourceLocation) throws -> MustacheLibrary {
        var templates: [String: (file: String, text: String)] = ["t": ("templates/t.mustache", text)]
        for (name, text) in partials { templates[name] = ("templates/\(name).mustache", text) }
        do {
            return try MustacheLibrary(templates: templates, roots: ["t": Root.mustacheSchema], constants: constants)
        } catch {
            Issue.record("\(error)", sourceLocation: sourceLocation)
            throw error
        }
    }

    func render<Root: MustacheObject>(_ text: String, _ root: Root, partials: [String: String] = [:]) throws -> String {
        try library(text, Root.self, partials: partials).render("t", root)
    }

    // MARK: A page in its layout

    @Test func comparisonShapedTemplateRenders() throws {
        let library = try MustacheLibrary(templates: SampleTemplates.sources, roots: ["comparison": SampleComparison.mustacheSchema])
        let html = library.render("comparison", SampleComparison())
        #expect(html == SampleTemplates.expected)
        // The buffer form appends.
        var out = Array("<!-- -->\n".utf8)
        library.render("comparison", SampleComparison(), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "<!-- -->\n" + SampleTemplates.expected)
    }

    @Test func constantsFoldToTheSameBytes() throws {
        let site = SampleSite(), assets = SampleAssets()
        let plain = try MustacheLibrary(templates: SampleTemplates.sources, roots: ["comparison": SampleComparison.mustacheSchema])
        let folded = try MustacheLibrary(templates: SampleTemplates.sources, roots: ["comparison": SampleComparison.mustacheSchema],
                                         constants: ["site": .object(site), "assets": .object(assets)])
        var pages = [SampleComparison()]
        var other = SampleComparison()
        other.page.byline = nil
        other.page.sections = []
        other.head.noindex = true
        other.head.jsonld = nil
        pages.append(other)
        for page in pages {
            var a: [UInt8] = [], b: [UInt8] = []
            plain.render("comparison", page, into: &a)
            folded.render("comparison", page, into: &b)
            #expect(a == b)
        }
        // Folding happened: a root that (against the contract) disagrees with the constants
        // still shows them, sections over constants included.
        var liar = SampleComparison()
        liar.site = SampleSite(language: "xx", title: "Other", description: "d", home: "/x/", hasFeed: false)
        let shown = folded.render("comparison", liar)
        #expect(shown.contains(#"<html lang="en">"#))
        #expect(shown.contains(#"<a href="/feed.xml">Feed</a>"#))
        #expect(plain.render("comparison", liar).contains(#"<html lang="xx">"#))
    }

    @Test func sectionsOverConstants() throws {
        struct Root: MustacheObject {
            var site = SampleSite()
            var page = SamplePage()
            static let mustacheFields = MustacheFields<Self>([
                .object("site", "") { $0.site },
                .object("page", "") { $0.page },
            ])
        }
        let text = "{{#site}}{{title}}/{{page.title}}{{/site}}|{{^site.has_feed}}no feed{{/site.has_feed}}|{{#site.has_feed}}{{site.home}}{{.}}{{/site.has_feed}}|{{#page.tags}}{{site.title}}:{{.}};{{/page.tags}}"
        let expected = "Versus/Kubernetes vs Nomad||/true|Versus:containers;Versus:ops;"
        let constants: [String: MustacheValue] = ["site": .object(SampleSite())]
        #expect(try library(text, Root.self).render("t", Root()) == expected)
        #expect(try library(text, Root.self, constants: constants).render("t", Root()) == expected)
        var noFeed = SampleSite()
        noFeed.hasFeed = false
        let folded = try library(text, Root.self, constants: ["site": .object(noFeed)])
        #expect(folded.render("t", Root(site: noFeed)) == "Versus/Kubernetes vs Nomad|no feed||Versus:containers;Versus:ops;")
    }

    // MARK: Optional values

    @Test func optionalObjectSection() throws {
        let text = "[{{#page.byline}}{{name}} ({{role}}){{/page.byline}}{{^page.byline}}anonymous{{/page.byline}}]"
        let library = try library(text, SampleComparison.self)
        var root = SampleComparison()
        #expect(library.render("t", root) == "[Ada &amp; Bob (SRE)]")
        root.page.byline = nil
        #expect(library.render("t", root) == "[anonymous]")
    }

    @Test func optionalTextSection() throws {
        let text = "{{#page.byline}}{{name}}{{#role}}, {{role}}{{/role}}{{^role}} (no role){{/role}}{{/page.byline}}"
        let library = try library(text, SampleComparison.self)
        var root = SampleComparison()
        root.page.byline = SampleByline(name: "Ada", role: nil)
        #expect(library.render("t", root) == "Ada (no role)")
        root.page.byline = SampleByline(name: "Ada", role: "CTO")
        #expect(library.render("t", root) == "Ada, CTO")
    }

    @Test func optionalHTML() throws {
        let library = try library("{{#head.jsonld}}<script>{{{head.jsonld}}}</script>{{/head.jsonld}}{{{head.jsonld}}}.", SampleComparison.self)
        var root = SampleComparison()
        root.head.jsonld = "{}"
        #expect(library.render("t", root) == "<script>{}</script>{}.")
        root.head.jsonld = nil
        #expect(library.render("t", root) == ".")
    }

    // MARK: Names

    @Test func dottedNamesThroughTypedObjects() throws {
        var root = SampleComparison()
        #expect(try render("{{page.byline.name}}|{{page.byline.role}}|{{#page}}{{byline.name}}{{/page}}", root)
            == "Ada &amp; Bob|SRE|Ada &amp; Bob")
        root.page.byline = nil
        // A broken chain renders nothing.
        #expect(try render("[{{page.byline.name}}]", root) == "[]")
    }

    @Test func contextStack() throws {
        // Inside a section, names not found in its object are found further out.
        let text = "{{#page}}{{#sections}}{{id}}:{{title}}@{{site.title}}/{{count}};{{/sections}}{{/page}}"
        #expect(try render(text, SampleComparison()) == "focus:Focus@Versus/2;take:Our &quot;Take&quot;@Versus/2;")
        // A field of the inner object hides the outer one of the same name.
        #expect(try render("{{#page}}{{title}}{{/page}}|{{#head}}{{title}}{{/head}}", SampleComparison())
            == "Kubernetes vs Nomad|Kubernetes vs Nomad | Versus")
    }

    @Test func listsAndScalars() throws {
        let text = "{{#page.tags}}<{{.}}>{{/page.tags}}|{{#page.has_toc}}{{.}}{{/page.has_toc}}|{{#page.title}}{{.}}{{/page.title}}|{{page.count}}|{{{page.score}}}"
        #expect(try render(text, SampleComparison()) == "<containers><ops>|true|Kubernetes vs Nomad|2|4.5")
        var root = SampleComparison()
        root.page.tags = []
        #expect(try render("{{#page.tags}}x{{/page.tags}}{{^page.tags}}none{{/page.tags}}", root) == "none")
    }

    @Test func escaping() throws {
        var root = SampleComparison()
        root.page.title = #"<a href="x">Tom & 'Jerry'</a> ünï"#
        #expect(try render("{{page.title}}", root) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt; ünï")
        #expect(Escape.html("a<b") == "a&lt;b")
        #expect(Escape.html("plain") == "plain")
    }

    @Test func partialsResolveInTheIncludersContext() throws {
        let text = "{{#page}}{{#sections}}{{>item}}\n{{/sections}}{{/page}}"
        let out = try render(text, SampleComparison(), partials: ["item": "<li>{{title}} in {{site.title}}</li>"])
        #expect(out == "<li>Focus in Versus</li>\n<li>Our &quot;Take&quot; in Versus</li>\n")
    }

    @Test func standalonePartialIndentation() throws {
        let text = "<ul>\n  {{>items}}\n</ul>\n"
        let items = "{{#page.tags}}\n<li>{{.}}</li>\n{{/page.tags}}\n"
        #expect(try render(text, SampleComparison(), partials: ["items": items])
            == "<ul>\n  <li>containers</li>\n  <li>ops</li>\n</ul>\n")
    }

    @Test func valueFieldsAreLookedUpWhileRendering() throws {
        struct Root: MustacheObject {
            var extra: MustacheValue
            static let mustacheFields = MustacheFields<Self>([.value("extra", "Anything.") { $0.extra }])
        }
        let root = Root(extra: ["name": "x<y", "items": [["n": 1], ["n": 2.5]], "page": .object(SamplePage())])
        #expect(try render("{{extra.name}}|{{#extra.items}}{{n}},{{/extra.items}}|{{extra.page.title}}|{{#extra}}{{{name}}}{{/extra}}", root)
            == "x&lt;y|1,2.5,|Kubernetes vs Nomad|x<y")
    }

    // MARK: Recursion

    @Test func recursivePartialRendersATree() throws {
        // Each level is indented by the standalone `{{>node}}` tag of the level above.
        let node = "<li>{{name}}\n{{#children}}\n  {{>node}}\n{{/children}}\n</li>\n"
        let tree = SampleTree(title: "T", root: SampleNode(name: "a", children: [
            SampleNode(name: "b", children: [SampleNode(name: "c & d")]),
            SampleNode(name: "e"),
        ]))
        let out = try render("{{title}}\n{{#root}}\n{{>node}}\n{{/root}}", tree, partials: ["node": node])
        #expect(out == """
            T
            <li>a
              <li>b
                <li>c &amp; d
                </li>
              </li>
              <li>e
              </li>
            </li>

            """)
    }

    @Test func untypedRecursionStopsAtTheDepthCap() throws {
        // A chain 200 deep: recursion is cut at 64 levels, and the render ends.
        var value: MustacheValue = ["name": "leaf"]
        for i in 0..<200 { value = ["name": .text("n\(i)"), "child": value] }
        let library = try MustacheLibrary(untyped: ["t": "{{>node}}", "node": "({{name}}{{#child}}{{>node}}{{/child}})"])
        let out = library.render("t", value)
        #expect(out.hasPrefix("(n199(n198("))
        #expect(out.filter { $0 == "(" }.count == MustacheProgram.maxCallDepth + 1)
        #expect(!out.contains("leaf"))
    }

    // MARK: Inheritance

    @Test func blocksResolveWhereTheParentExpandsThem() throws {
        let base = "<title>{{$title}}{{site.title}}{{/title}}</title>\n{{#page}}\n{{$body}}default{{/body}}\n{{/page}}\n"
        let text = "{{<base}}\n{{$title}}{{page.title}} | {{site.title}}{{/title}}\n{{$body}}<h1>{{title}}</h1>{{/body}}\n{{/base}}\n"
        #expect(try render(text, SampleComparison(), partials: ["base": base])
            == "<title>Kubernetes vs Nomad | Versus</title>\n<h1>Kubernetes vs Nomad</h1>\n")
        #expect(try render("{{<base}}{{/base}}", SampleComparison(), partials: ["base": base])
            == "<title>Versus</title>\ndefault\n")
    }

    // MARK: Schema

    @Test func variableReference() {
        let variables = SampleComparison.mustacheSchema.variables()
        let lines = variables.map(\.description)
        #expect(lines.contains("page.byline.role  text, optional  Job title, when the byline gives one."))
        #expect(lines.contains("page.byline  object SampleByline, optional  Who wrote the page, when known."))
        #expect(lines.contains("page.sections  list of SampleSection  The page's sections, in order."))
        #expect(lines.contains("page.sections[].heading_html  html  The heading as HTML."))
        #expect(lines.contains("page.tags  list of text  The page's tags."))
        #expect(variables.first?.path == "site")
        // Declaration order, each object's fields right after it.
        let paths = variables.map(\.path)
        #expect(paths.firstIndex(of: "page.byline")! + 1 == paths.firstIndex(of: "page.byline.name")!)
        // A recursive type is listed once, not expanded forever.
        #expect(SampleTree.mustacheSchema.variables(prefix: "tree").map(\.path)
            == ["tree.title", "tree.root", "tree.root.name", "tree.root.children"])
        let reference = SamplePage.mustacheSchema.reference(prefix: "page")
        #expect(reference.contains("page.byline.role"))
        #expect(reference.split(separator: "\n").count == SamplePage.mustacheSchema.variables().count)
    }

    @Test func renderingATemplateThatIsNotACompiledRootIsAProgrammingError() async {
        await #expect(processExitsWith: .failure) {
            let library = try MustacheLibrary(templates: SampleTemplates.sources,
                                              roots: ["comparison": SampleComparison.mustacheSchema])
            _ = library.render("base", SampleComparison())
        }
    }
}
