/// The listing pages the site makes itself: the index, split into pages of
/// `index.page_size` comparisons (`/`, `/page/2/`, …), in title order.
public struct IndexPage: Sendable, Hashable, Codable {
    public var number: Int
    public var count: Int
    /// Indices into `Site.pages`.
    public var pages: [Int]
    public var title: String
    public var description: String
    public var urlPath: String { IndexPage.path(number) }

    public static func path(_ number: Int) -> String { number == 1 ? "/" : "/page/\(number)/" }

    /// Page numbers shown in the pagination of page `number` of `count`; nil is a gap.
    /// The first and last pages, and two either side of this one (every page is also
    /// reachable through the subject hubs, linked from the first page).
    public static func paginationWindow(_ number: Int, of count: Int) -> [Int?] {
        var out: [Int?] = []
        for n in 1...max(1, count) where n == 1 || n == count || abs(n - number) <= 2 {
            if let last = out.last, let l = last, n > l + 1 { out.append(n == l + 2 ? l + 1 : nil) }
            out.append(n)
        }
        return out
    }
}

enum Listings {
    /// Comparisons in title order (then URL), cut into index pages with their titles and descriptions.
    /// - Parameter titleKeys: each page's title, lower-cased (the assemble has them).
    static func index(_ pages: [PageSummary], titleKeys keys: [String], config: SiteConfig) -> [IndexPage] {
        let order = pages.indices.filter { pages[$0].kind == .comparison }.sorted { a, b in
            keys[a] != keys[b] ? keys[a] < keys[b] : pages[a].urlPath < pages[b].urlPath
        }
        let size = max(1, config.indexPageSize)
        let count = max(1, (order.count + size - 1) / size)
        return (1...count).map { number in
            let slice = Array(order[min(order.count, (number - 1) * size)..<min(order.count, number * size)])
            if number == 1 {
                return IndexPage(number: 1, count: count, pages: slice, title: Titles.fit(config.title, max: config.titleMax),
                                 description: Text.shorten(config.description, min: Describe.minimum, max: Describe.maximum))
            }
            // The page number stays whole; the site name gives way if anything must.
            let forms = ["\(config.title) – page \(number) of \(count)", "\(config.title) – page \(number)",
                         "All comparisons – page \(number) of \(count)"]
            let title = forms.first { Text.length($0) <= config.titleMax }
                ?? Titles.fit(config.title, max: config.titleMax - 12) + " – page \(number)"
            let first = slice.first.map { pages[$0].title } ?? ""
            let last = slice.last.map { pages[$0].title } ?? ""
            let description = Text.shorten("Page \(number) of \(count) of every comparison on \(config.title), from \(first) to \(last).",
                                           min: Describe.minimum, max: Describe.maximum)
            return IndexPage(number: number, count: count, pages: slice, title: title, description: description)
        }
    }
}
