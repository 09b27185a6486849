import Foundation

/// What a section is for on a comparison page. The page template lays sections
/// out by role: subject focus side by side, our position highlighted, the
/// technical breakdown in full width, and the call to action set apart.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case subjectFocus = "subject_focus"
    case ourPosition = "our_position"
    case technical
    case callToAction = "call_to_action"
    case other
}

/// One `## ` section of a page: a heading (inline Markdown) and a body (Markdown).
public struct Section: Sendable, Hashable {
    public var heading: String
    public var role: Role
    public var body: String

    public init(heading: String, role: Role, body: String) {
        self.heading = heading
        self.role = role
        self.body = body
    }

    /// Body blocks: paragraphs, and a bullet list counted as one block.
    public var paragraphCount: Int {
        MarkdownBlocks.count(in: body)
    }
}

/// "Richard Ewing — AI Economist & Capital Auditor": the whole line, and the
/// name and role where they can be told apart.
public struct Byline: Sendable, Hashable {
    public var text: String
    public var name: String
    public var role: String?

    public init(text: String, name: String, role: String?) {
        self.text = text
        self.name = name
        self.role = role
    }
}

/// A calendar day, as content gives it (`2024-05-01`). Never read from the clock
/// inside the pipeline: the clock enters only through `BuildOptions.today`.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, optionally followed by a time (`T…` or ` …`), which is ignored.
    public init?(_ text: String) {
        let s = text.trimmingCharacters(in: .whitespaces)
        let u = Array(s.utf8)
        guard u.count >= 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                let c = u[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
              (1...12).contains(m), d >= 1, d <= Day.daysIn(month: m, year: y)
        else { return nil }
        if u.count > 10, u[10] != UInt8(ascii: "T"), u[10] != UInt8(ascii: " ") { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// RFC 3339 timestamp at midnight UTC, as Atom wants it.
    public var timestamp: String { "\(description)T00:00:00Z" }

    public static func < (a: Day, b: Day) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// The UTC day of a Unix time.
    public init(unixTime: Int64) {
        // Civil-from-days (Howard Hinnant), exact for the proleptic Gregorian calendar.
        let days = unixTime >= 0 ? unixTime / 86_400 : (unixTime - 86_399) / 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.init(year: Int(y), month: Int(m), day: Int(d))
    }
}

/// The two kinds of page a source can become.
public enum PageKind: String, Sendable, Hashable {
    /// An "X vs Y" page, built at `/<slug>/`.
    case comparison
    /// An ordinary Markdown page (a guide, an about page), built at the URL of its path.
    case document
}

/// Front-matter: everything about a page except its body.
public struct FrontMatter: Sendable, Hashable {
    public var title: String
    public var subjects: [String]
    public var slug: String
    /// The page's own description (given, or derived from its text), 50–160 characters.
    public var description: String
    public var byline: Byline?
    public var date: Day?
    public var updated: Day?
    /// Old paths that redirect here (`/docker-vs-kubernetes/`).
    public var aliases: [String]
    /// Roles pinned by heading, overriding the classifier.
    public var roles: [String: Role]
    public var draft: Bool
    public var noindex: Bool

    public init(title: String, subjects: [String] = [], slug: String, description: String,
                byline: Byline? = nil, date: Day? = nil, updated: Day? = nil, aliases: [String] = [],
                roles: [String: Role] = [:], draft: Bool = false, noindex: Bool = false) {
        self.title = title
        self.subjects = subjects
        self.slug = slug
        self.description = description
        self.byline = byline
        self.date = date
        self.updated = updated
        self.aliases = aliases
        self.roles = roles
        self.draft = draft
        self.noindex = noindex
    }
}

/// A normalised page: one model for every kind of source.
public struct Page: Sendable, Hashable {
    /// The source path relative to the content folder (`guides/sso.md`).
    public var sourcePath: String
    public var kind: PageKind
    public var frontMatter: FrontMatter
    /// Markdown before the first section (an introduction or standfirst).
    public var lead: String
    public var sections: [Section]
    /// Further descriptions, best first, for when the site needs this page's
    /// description to differ from another page's.
    public var alternateDescriptions: [String]

    public init(sourcePath: String, kind: PageKind, frontMatter: FrontMatter, lead: String = "",
                sections: [Section], alternateDescriptions: [String] = []) {
        self.sourcePath = sourcePath
        self.kind = kind
        self.frontMatter = frontMatter
        self.lead = lead
        self.sections = sections
        self.alternateDescriptions = alternateDescriptions
    }

    /// The page's URL path, with leading and trailing slash (`/kubernetes-vs-stripe/`).
    public var urlPath: String { "/" + frontMatter.slug + "/" }
}
