/// What each template receives: typed values, one type per context. Each type's
/// `mustacheFields` is the one definition of its template variables: their names, kinds,
/// whether they may be absent, and the sentence the reference in `docs/templates.md` shows
/// (generated from these declarations, and checked by a test).
///
/// Every root context has `site`, `head` and `assets`; then its own part (`page`, `index`,
/// `hub`, `subjects`).

// MARK: Shared by every template

// The contexts templates read by path on every page (`{{site.title}}`, `{{head.title}}`, the
// page's fields) are classes: reading a field through a path takes the object from its parent,
// which for a struct is a copy of every string it holds, and wrapping it as a value (a section
// over it) boxes it on the heap; a reference is one retain for either.

public final class SiteContext: MustacheObject, Sendable {
    let title: String
    let language: String
    let description: String
    let home = "/"
    let feed = Feed.path
    let subjects = "/subjects/"

    init(_ config: SiteConfig) {
        title = config.title
        language = config.language
        description = config.description + TestSeam.siteDescriptionSuffix
    }

    public static let mustacheFields = MustacheFields<SiteContext>([
        .text("title", "The site's name (`title` in versus.yml).") { $0.title },
        .text("language", "The site's language code, for `<html lang>` (`language`).") { $0.language },
        .text("description", "The site's description (`description`).") { $0.description },
        .text("home", "The path of the home page (`/`).") { $0.home },
        .text("feed", "The path of the Atom feed (`/feed.xml`).") { $0.feed },
        .text("subjects", "The path of the subjects listing (`/subjects/`).") { $0.subjects },
    ])
}

public final class HeadContext: MustacheObject, Sendable {
    let title: String
    let description: String
    let canonical: String?
    let ogType: String?
    let ogTitle: String?
    let jsonld: String?
    let noindex: Bool

    init(title: String, description: String, canonical: String?, ogType: String?, ogTitle: String?, jsonld: String?, noindex: Bool = false) {
        self.title = title
        self.description = description
        self.canonical = canonical
        self.ogType = ogType
        self.ogTitle = ogTitle
        self.jsonld = jsonld
        self.noindex = noindex
    }

    public static let mustacheFields = MustacheFields<HeadContext>([
        .text("title", "The `<title>`: unique across the site, at most 60 characters.") { $0.title },
        .text("description", "The meta description: unique, 50–160 characters.") { $0.description },
        .text("canonical", "The page's absolute URL (absent on the 404 page).", optional: true) { $0.canonical },
        .text("og_type", "Open Graph type: `article` or `website` (absent on the 404 page).", optional: true) { $0.ogType },
        .text("og_url", "The URL for social cards (the canonical URL).", optional: true) { $0.canonical },
        .text("og_title", "The full title for social cards (the `<title>` may be a shorter form).", optional: true) { $0.ogTitle },
        .text("og_description", "The description for social cards.", optional: true) { $0.canonical == nil ? nil : $0.description },
        .bool("indexable", "True when search engines may index the page (false on the 404 page).") { !$0.noindex },
        .bool("noindex", "True when the page asks search engines not to index it.") { $0.noindex },
        .bool("has_jsonld", "True when the page has structured data.") { $0.jsonld != nil },
        .html("jsonld", "schema.org JSON-LD, safe inside `<script type=\"application/ld+json\">`.", optional: true) { $0.jsonld },
    ])
}

/// The fields every root context starts with.
public protocol PageShell: MustacheObject {
    var site: SiteContext { get }
    var head: HeadContext { get }
    /// The fingerprinted asset paths by name, as templates read them (made once per build, not per page).
    var assets: MustacheValue { get }
}

extension PageShell {
    static func shell(_ own: [MustacheField<Self>]) -> MustacheFields<Self> {
        MustacheFields<Self>([
            .object("site", "The site (the same on every page).") { $0.site },
            .object("head", "What goes in `<head>`.") { $0.head },
            .value("assets", "Fingerprinted asset paths by file name (`assets/logo.svg` → `{{assets.logo_svg}}`); `{{assets.css}}` is `style.css`, `{{assets.favicon}}` is `favicon.svg`.") { $0.assets },
        ] + own)
    }
}

// MARK: Pieces

public struct LinkContext: MustacheObject, Sendable {
    var title: String
    var url: String
    var last = false

    public static let mustacheFields = MustacheFields<Self>([
        .text("title", "The link's text.") { $0.title },
        .text("url", "The site path it leads to.") { $0.url },
        .bool("last", "True for the last link of a list (the current page in breadcrumbs).") { $0.last },
    ])

    static func list(_ links: [Link]) -> [LinkContext] {
        links.enumerated().map { i, l in LinkContext(title: l.title, url: l.path, last: i == links.count - 1) }
    }
}

public struct NamedLinkContext: MustacheObject, Sendable {
    var name: String
    var url: String
    var count: Int

    public static let mustacheFields = MustacheFields<Self>([
        .text("name", "The subject's name.") { $0.name },
        .text("url", "The path of its hub page.") { $0.url },
        .number("count", "How many comparisons it has.") { $0.count },
    ])
}

public struct ListItemContext: MustacheObject, Sendable {
    var item: ListItem

    public static let mustacheFields = MustacheFields<Self>([
        .text("title", "The page's title.") { $0.item.title },
        .text("url", "The page's path.") { $0.item.url },
        .text("description", "The page's meta description.") { $0.item.description },
        .text("subjects", "The compared subjects, joined by ` · `.") { $0.item.subjects.joined(separator: " · ") },
        .text("updated", "When its content last changed, `YYYY-MM-DD`.") { $0.item.lastmod.description },
        .text("updated_label", "The same date for people (`21 November 2026`).") { Renderer.label($0.item.lastmod) },
    ])
}

public struct SectionContext: MustacheObject, Sendable {
    var id: String
    var headingHTML: String
    var html: String
    var role: Role

    public static let mustacheFields = MustacheFields<Self>([
        .text("id", "A unique anchor for the section.") { $0.id },
        .html("heading_html", "The heading as HTML (inline Markdown rendered).") { $0.headingHTML },
        .html("html", "The section's body as HTML (Markdown through cmark, tables by Versus).") { $0.html },
        .text("role", "`subject_focus`, `our_position`, `technical`, `call_to_action` or `other`.") { $0.role.rawValue },
        .text("role_label", "The role for readers (`Focus`, `Our position`, `Technical`), empty for `other`.") { Renderer.roleLabel($0.role) },
        .bool("has_role_label", "True when `role_label` is not empty.") { !Renderer.roleLabel($0.role).isEmpty },
        .bool("is_focus", "True for a `subject_focus` section.") { $0.role == .subjectFocus },
        .bool("is_position", "True for an `our_position` section.") { $0.role == .ourPosition },
        .bool("is_technical", "True for a `technical` section.") { $0.role == .technical },
    ])
}

public struct TOCEntryContext: MustacheObject, Sendable {
    var id: String
    var title: String

    public static let mustacheFields = MustacheFields<Self>([
        .text("id", "The section's anchor (link to `#id`).") { $0.id },
        .text("title", "The section's heading as plain text.") { $0.title },
    ])
}

public struct BylineContext: MustacheObject, Sendable {
    var byline: Byline

    public static let mustacheFields = MustacheFields<Self>([
        .text("name", "The author's name.") { $0.byline.name },
        .text("text", "The byline as written (`Jane Doe — Platform Lead`).") { $0.byline.text },
        .text("role", "The author's role, when the byline gives one.", optional: true) { $0.byline.role },
        .bool("has_role", "True when there is a role.") { $0.byline.role != nil },
    ])
}

// MARK: Comparison and document pages (`comparison`, `page`)

/// The call to action's button: the page's own `cta`, else the site's.
public struct CTALinkContext: MustacheObject, Sendable {
    var label: String
    var href: String
    var text: String?

    init(_ cta: CallToAction, pageHasOwnText: Bool) {
        label = cta.label
        href = cta.href
        text = pageHasOwnText ? nil : cta.text
    }

    public static let mustacheFields = MustacheFields<Self>([
        .text("label", "The button's text (`cta.label`).") { $0.label },
        .text("href", "Where it leads: `cta.url` with the `cta.utm` parameters in its query (escaped by `{{href}}` for the attribute).") { $0.href },
        .text("text", "The sentence shown with the button (`cta.text`); absent when the page has call-to-action sections of its own.", optional: true) { $0.text },
    ])
}

public final class PageFields: MustacheObject, Sendable {
    let title: String
    let url: String
    let leadHTML: String
    let sections: [SectionContext]
    let cta: [SectionContext]
    let ctaLink: CTALinkContext?
    let toc: [TOCEntryContext]
    let lastmod: Day
    let published: Day?
    let subjects: [NamedLinkContext]
    let related: [LinkContext]
    let breadcrumbs: [LinkContext]
    let byline: BylineContext?
    let frontMatter: FrontMatter.Context

    init(title: String, url: String, leadHTML: String, sections: [SectionContext], cta: [SectionContext], ctaLink: CTALinkContext?,
         toc: [TOCEntryContext], lastmod: Day, published: Day?, subjects: [NamedLinkContext], related: [LinkContext],
         breadcrumbs: [LinkContext], byline: BylineContext?, frontMatter: FrontMatter.Context) {
        self.title = title
        self.url = url
        self.leadHTML = leadHTML
        self.sections = sections
        self.cta = cta
        self.ctaLink = ctaLink
        self.toc = toc
        self.lastmod = lastmod
        self.published = published
        self.subjects = subjects
        self.related = related
        self.breadcrumbs = breadcrumbs
        self.byline = byline
        self.frontMatter = frontMatter
    }

    public static let mustacheFields = MustacheFields<PageFields>([
        .text("title", "The page's full title (its `<h1>`).") { $0.title },
        .text("url", "The page's path.") { $0.url },
        .html("lead_html", "What comes before the first section, as HTML (may be empty).") { $0.leadHTML },
        .bool("has_lead", "True when `lead_html` is not empty.") { !$0.leadHTML.isEmpty },
        .list("sections", "The sections, in order (a comparison's call to action is in `cta` instead).") { $0.sections },
        .list("cta", "A comparison's call-to-action sections.") { $0.cta },
        .object("cta_link", "The call to action's button: the page's `cta`, else on a comparison the site's (absent when neither is set).", optional: true) { $0.ctaLink },
        .bool("has_cta", "True when there are call-to-action sections or a `cta_link`.") { !$0.cta.isEmpty || $0.ctaLink != nil },
        .list("toc", "The sections, for a table of contents.") { $0.toc },
        .bool("has_toc", "True when the page has three sections or more.") { $0.toc.count >= 3 },
        .text("updated", "When the content last changed, `YYYY-MM-DD`.") { $0.lastmod.description },
        .text("updated_label", "The same date for people.") { Renderer.label($0.lastmod) },
        .text("published", "The `date` from front-matter, `YYYY-MM-DD`, when given.", optional: true) { $0.published?.description },
        .text("published_label", "The same date for people.", optional: true) { $0.published.map(Renderer.label) },
        .list("subjects", "The compared subjects, each with its hub (comparisons only).") { $0.subjects },
        .list("related", "Related comparisons.") { $0.related },
        .bool("has_related", "True when `related` is not empty.") { !$0.related.isEmpty },
        .list("breadcrumbs", "Home › subject › page.") { $0.breadcrumbs },
        .object("byline", "The author, when the page names one.", optional: true) { $0.byline },
        .object("front_matter", "The page's front-matter as the model holds it (for a source text, what Versus read from it).") { $0.frontMatter },
    ])
}

public struct PageContext: PageShell, Sendable {
    public var site: SiteContext
    public var head: HeadContext
    public var assets: MustacheValue
    var page: PageFields

    public static let mustacheFields = shell([
        .object("page", "The page.") { $0.page },
    ])
}

// MARK: The index (`index`)

public struct PaginationLinkContext: MustacheObject, Sendable {
    var number: Int?
    var current: Bool

    public static let mustacheFields = MustacheFields<Self>([
        .text("number", "The page number (absent for a gap).", optional: true) { $0.number.map(String.init) },
        .text("url", "The page's path (absent for a gap).", optional: true) { $0.number.map(IndexPage.path) },
        .bool("current", "True for the page shown.") { $0.current },
        .bool("gap", "True for a gap in the numbers (`…`).") { $0.number == nil },
    ])
}

public struct PaginationContext: MustacheObject, Sendable {
    var number: Int
    var count: Int

    public static let mustacheFields = MustacheFields<Self>([
        .list("pages", "The first and last pages and two either side of this one, with gaps.") { p in
            IndexPage.paginationWindow(p.number, of: p.count).map { PaginationLinkContext(number: $0, current: $0 == p.number) }
        },
        .text("total", "How many index pages there are.") { String($0.count) },
        .text("current", "This page's number.") { String($0.number) },
        .bool("paginated", "True when there is more than one index page.") { $0.count > 1 },
        .bool("has_prev", "True when there is a previous page.") { $0.number > 1 },
        .bool("has_next", "True when there is a next page.") { $0.number < $0.count },
        .text("prev", "The previous page's path.", optional: true) { $0.number > 1 ? IndexPage.path($0.number - 1) : nil },
        .text("next", "The next page's path.", optional: true) { $0.number < $0.count ? IndexPage.path($0.number + 1) : nil },
    ])
}

public struct IndexFields: MustacheObject, Sendable {
    var input: IndexInput
    var siteTitle: String

    public static let mustacheFields = MustacheFields<Self>([
        .text("title", "The site's title on the first page, else `… – page N of M`.") { $0.input.number == 1 ? $0.siteTitle : $0.input.title },
        .text("description", "This index page's description.") { $0.input.description },
        .bool("is_first", "True on the first index page (`/`).") { $0.input.number == 1 },
        .list("comparisons", "The comparisons on this page, in title order.") { $0.input.items.map(ListItemContext.init) },
        .number("count", "How many comparisons the site has.") { $0.input.total },
        .list("hubs", "Every subject (first page only).") { $0.input.hubs.map { NamedLinkContext(name: $0.name, url: $0.url, count: $0.count) } },
        .bool("has_hubs", "True when `hubs` is not empty.") { !$0.input.hubs.isEmpty },
        .list("documents", "Every document page (first page only).") { $0.input.documents.map(ListItemContext.init) },
        .bool("has_documents", "True when `documents` is not empty.") { !$0.input.documents.isEmpty },
        .object("pagination", "Links to the other index pages.") { PaginationContext(number: $0.input.number, count: $0.input.count) },
    ])
}

public struct IndexContext: PageShell, Sendable {
    public var site: SiteContext
    public var head: HeadContext
    public var assets: MustacheValue
    var index: IndexFields

    public static let mustacheFields = shell([
        .object("index", "This index page.") { $0.index },
    ])
}

// MARK: Subject hubs (`hub`) and the subjects listing (`subjects`)

public struct HubFields: MustacheObject, Sendable {
    var input: HubInput
    var breadcrumbs: [LinkContext]

    public static let mustacheFields = MustacheFields<Self>([
        .text("name", "The subject's name.") { $0.input.name },
        .text("url", "The hub's path.") { $0.input.urlPath },
        .text("description", "The hub's description.") { $0.input.description },
        .number("count", "How many comparisons involve the subject.") { $0.input.items.count },
        .list("comparisons", "Every comparison with the subject, in title order.") { $0.input.items.map(ListItemContext.init) },
        .list("against", "The other subjects it is compared with, each linking to its hub.") {
            $0.input.against.map { NamedLinkContext(name: $0.title, url: $0.path, count: 0) }
        },
        .bool("has_against", "True when `against` is not empty.") { !$0.input.against.isEmpty },
        .text("updated", "When a comparison of the hub last changed, `YYYY-MM-DD`.") { $0.input.lastmod.description },
        .text("updated_label", "The same date for people.") { Renderer.label($0.input.lastmod) },
        .list("breadcrumbs", "Home › Subjects › the subject.") { $0.breadcrumbs },
    ])
}

public struct HubContext: PageShell, Sendable {
    public var site: SiteContext
    public var head: HeadContext
    public var assets: MustacheValue
    var hub: HubFields

    public static let mustacheFields = shell([
        .object("hub", "The subject hub.") { $0.hub },
    ])
}

public struct SubjectsFields: MustacheObject, Sendable {
    var input: SubjectsInput
    var breadcrumbs: [LinkContext]

    public static let mustacheFields = MustacheFields<Self>([
        .text("title", "The listing's title.") { $0.input.title },
        .text("description", "The listing's description.") { $0.input.description },
        .list("hubs", "Every subject, with its hub and count.") { $0.input.hubs.map { NamedLinkContext(name: $0.name, url: $0.url, count: $0.count) } },
        .list("breadcrumbs", "Home › Subjects.") { $0.breadcrumbs },
    ])
}

public struct SubjectsContext: PageShell, Sendable {
    public var site: SiteContext
    public var head: HeadContext
    public var assets: MustacheValue
    var subjects: SubjectsFields

    public static let mustacheFields = shell([
        .object("subjects", "The subjects listing.") { $0.subjects },
    ])
}

// MARK: The 404 page (`404`)

public struct NotFoundContext: PageShell, Sendable {
    public var site: SiteContext
    public var head: HeadContext
    public var assets: MustacheValue

    public static let mustacheFields = shell([])
}

/// Each template Versus renders directly, with the context it receives. (`base` and any
/// other template are partials or parents, checked where they are used.)
public enum TemplateRoots {
    public static let schemas: [String: MustacheSchema] = [
        "comparison": PageContext.mustacheSchema,
        "page": PageContext.mustacheSchema,
        "index": IndexContext.mustacheSchema,
        "hub": HubContext.mustacheSchema,
        "subjects": SubjectsContext.mustacheSchema,
        "404": NotFoundContext.mustacheSchema,
    ]
}

/// Stands in for a change to Versus's own code in the upgrade test: what a context holds
/// changes while no input does. Set only by that test, for the builds it runs.
enum TestSeam {
    @TaskLocal static var siteDescriptionSuffix = ""
}
