@testable import VersusCore

// Typed contexts shaped like the site's (a comparison page in the base layout), for the
// Mustache engine's tests. The real contexts come with the renderer's move to the engine.

struct SampleSite: MustacheObject {
    var language = "en", title = "Versus", description = "Compare <things>", home = "/"
    var hasFeed = true

    static let mustacheFields = MustacheFields<Self>([
        .text("language", "The site's language (BCP 47).") { $0.language },
        .text("title", "The site's name.") { $0.title },
        .text("description", "One line about the site.") { $0.description },
        .text("home", "The home page's path.") { $0.home },
        .bool("has_feed", "Whether the site has an Atom feed.") { $0.hasFeed },
    ])
}

struct SampleAssets: MustacheObject {
    var css = "/assets/style.css"

    static let mustacheFields = MustacheFields<Self>([
        .text("css", "The stylesheet's fingerprinted path.") { $0.css },
    ])
}

struct SampleHead: MustacheObject {
    var title = "Kubernetes vs Nomad | Versus"
    var noindex = false
    var jsonld: String? = #"{"@type":"Article"}"#

    static let mustacheFields = MustacheFields<Self>([
        .text("title", "The <title>.") { $0.title },
        .bool("noindex", "Whether robots are asked not to index the page.") { $0.noindex },
        .html("jsonld", "Structured data (JSON-LD), when the page has some.", optional: true) { $0.jsonld },
    ])
}

struct SampleByline: MustacheObject {
    var name: String
    var role: String?

    static let mustacheFields = MustacheFields<Self>([
        .text("name", "The author's name.") { $0.name },
        .text("role", "Job title, when the byline gives one.", optional: true) { $0.role },
    ])
}

struct SampleCrumb: MustacheObject {
    var title: String, url: String, last: Bool

    static let mustacheFields = MustacheFields<Self>([
        .text("title", "The linked page's title.") { $0.title },
        .text("url", "The linked page's path.") { $0.url },
        .bool("last", "Whether this is the current page.") { $0.last },
    ])
}

struct SampleSection: MustacheObject {
    var id: String, title: String, headingHTML: String, html: String
    var tags: [String] = []

    static let mustacheFields = MustacheFields<Self>([
        .text("id", "The section's anchor.") { $0.id },
        .text("title", "The heading as text.") { $0.title },
        .html("heading_html", "The heading as HTML.") { $0.headingHTML },
        .html("html", "The section's body as HTML.") { $0.html },
        .textList("tags", "Labels of the section.") { $0.tags },
    ])
}

struct SamplePage: MustacheObject {
    var title = "Kubernetes vs Nomad"
    var leadHTML = "<p>Two <em>schedulers</em>.</p>"
    var breadcrumbs = [SampleCrumb(title: "Home", url: "/", last: false),
                       SampleCrumb(title: "Kubernetes vs Nomad", url: "/k-vs-n/", last: true)]
    var sections = [
        SampleSection(id: "focus", title: "Focus", headingHTML: "Focus", html: "<p>One</p>", tags: ["a<b", "c"]),
        SampleSection(id: "take", title: "Our \"Take\"", headingHTML: "Our <em>Take</em>", html: "<p>Two</p>"),
    ]
    var byline: SampleByline? = SampleByline(name: "Ada & Bob", role: "SRE")
    var hasTOC = true
    var tags = ["containers", "ops"]
    var score = 4.5

    var count: Int { sections.count }

    static let mustacheFields = MustacheFields<Self>([
        .text("title", "The page's title.") { $0.title },
        .html("lead_html", "The lead paragraph as HTML.") { $0.leadHTML },
        .bool("has_lead", "Whether there is a lead.") { !$0.leadHTML.isEmpty },
        .list("breadcrumbs", "The trail from the home page.") { $0.breadcrumbs },
        .list("sections", "The page's sections, in order.") { $0.sections },
        .object("byline", "Who wrote the page, when known.", optional: true) { $0.byline },
        .bool("has_toc", "Whether the page shows a table of contents.") { $0.hasTOC },
        .number("count", "How many sections.") { $0.count },
        .number("score", "A rating out of five.") { $0.score },
        .textList("tags", "The page's tags.") { $0.tags },
    ])
}

/// The root of a comparison page.
struct SampleComparison: MustacheObject {
    var site = SampleSite()
    var assets = SampleAssets()
    var head = SampleHead()
    var page = SamplePage()

    static let mustacheFields = MustacheFields<Self>([
        .object("site", "The site: the same on every page.") { $0.site },
        .object("assets", "Fingerprinted asset paths.") { $0.assets },
        .object("head", "What goes in <head>.") { $0.head },
        .object("page", "The comparison.") { $0.page },
    ])
}

/// A tree, for recursive partials.
struct SampleNode: MustacheObject {
    var name: String
    var children: [SampleNode] = []

    static let mustacheFields = MustacheFields<Self>([
        .text("name", "The node's name.") { $0.name },
        .list("children", "The nodes below.") { $0.children },
    ])
}

struct SampleTree: MustacheObject {
    var title: String
    var root: SampleNode

    static let mustacheFields = MustacheFields<Self>([
        .text("title", "The tree's title.") { $0.title },
        .object("root", "The top node.") { $0.root },
    ])
}

/// Templates with the shape of templates/base.mustache and templates/comparison.mustache.
enum SampleTemplates {
    static let base = """
        <!DOCTYPE html>
        <html lang="{{site.language}}">
        <head>
        <title>{{head.title}}</title>
        {{#head.noindex}}
        <meta name="robots" content="noindex">
        {{/head.noindex}}
        <link rel="stylesheet" href="{{assets.css}}">
        {{#head.jsonld}}
        <script type="application/ld+json">{{{head.jsonld}}}</script>
        {{/head.jsonld}}
        </head>
        <body>
        <a class="brand" href="{{site.home}}">{{site.title}}</a>
        <main>
        {{$main}}{{/main}}
        </main>
        <footer><p>{{site.title}}: {{site.description}}{{#site.has_feed}} · <a href="/feed.xml">Feed</a>{{/site.has_feed}}</p></footer>
        </body>
        </html>

        """

    static let comparison = """
        {{<base}}
        {{$main}}
        {{#page}}
        <ol>
        {{#breadcrumbs}}
        <li>{{^last}}<a href="{{url}}">{{title}}</a>{{/last}}{{#last}}<span>{{title}}</span>{{/last}}</li>
        {{/breadcrumbs}}
        </ol>
        <h1>{{title}}</h1>
        {{#has_lead}}
        <div class="lead">{{{lead_html}}}</div>
        {{/has_lead}}
        <p class="meta">
        {{#byline}}<span class="byline">By {{name}}{{#role}}, {{role}}{{/role}}</span> ·{{/byline}}
        <span>{{count}} sections, rated {{score}}</span>
        </p>
        {{#has_toc}}
        <ol class="toc">
        {{#sections}}
        <li><a href="#{{id}}">{{title}}</a></li>
        {{/sections}}
        </ol>
        {{/has_toc}}
        {{#sections}}
        <section id="{{id}}">
        <h2>{{{heading_html}}}</h2>
        {{{html}}}
        {{#tags}}<span class="tag">{{.}}</span>{{/tags}}
        </section>
        {{/sections}}
        {{/page}}
        {{/main}}
        {{/base}}

        """

    static let sources: [String: (file: String, text: String)] = [
        "base": ("templates/base.mustache", base),
        "comparison": ("templates/comparison.mustache", comparison),
    ]

    /// What `comparison` renders for `SampleComparison()`.
    static let expected = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <title>Kubernetes vs Nomad | Versus</title>
        <link rel="stylesheet" href="/assets/style.css">
        <script type="application/ld+json">{"@type":"Article"}</script>
        </head>
        <body>
        <a class="brand" href="/">Versus</a>
        <main>
        <ol>
        <li><a href="/">Home</a></li>
        <li><span>Kubernetes vs Nomad</span></li>
        </ol>
        <h1>Kubernetes vs Nomad</h1>
        <div class="lead"><p>Two <em>schedulers</em>.</p></div>
        <p class="meta">
        <span class="byline">By Ada &amp; Bob, SRE</span> ·
        <span>2 sections, rated 4.5</span>
        </p>
        <ol class="toc">
        <li><a href="#focus">Focus</a></li>
        <li><a href="#take">Our &quot;Take&quot;</a></li>
        </ol>
        <section id="focus">
        <h2>Focus</h2>
        <p>One</p>
        <span class="tag">a&lt;b</span><span class="tag">c</span>
        </section>
        <section id="take">
        <h2>Our <em>Take</em></h2>
        <p>Two</p>

        </section>

        </main>
        <footer><p>Versus: Compare &lt;things&gt; · <a href="/feed.xml">Feed</a></p></footer>
        </body>
        </html>

        """
}
