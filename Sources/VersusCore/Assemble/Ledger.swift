/// The lastmod ledger: for each page URL, a digest of its content and the day that
/// content was first built. It lives in the repository (`lastmod.tsv`), so an
/// unchanged page keeps its date on every machine, and a changed page takes the
/// day of the build that first saw the change.
///
///     # url<TAB>content digest<TAB>day
///     /kubernetes-vs-stripe/	3f2a9c0d1e4b5a67	2026-11-21
public struct Ledger: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        public var hash: String
        public var day: Day
    }

    public var entries: [String: Entry] = [:]

    public init() {}

    public static let fileName = "lastmod.tsv"

    public init(parsing text: String, file: String, diagnostics: inout [Diagnostic]) {
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let day = Day(String(fields[2])) else {
                diagnostics.append(.warning(file, line: i + 1, "ledger line is not 'url<TAB>digest<TAB>YYYY-MM-DD'; it is ignored"))
                continue
            }
            entries[String(fields[0])] = Entry(hash: String(fields[1]), day: day)
        }
    }

    public func serialized() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(128 + entries.count * 96)
        out += "# Versus lastmod ledger: url, content digest, day the content last changed. Updated by `versus build`.\n".utf8
        for (key, e) in entries.sorted(by: { $0.key < $1.key }) {
            out += key.utf8
            out.append(9)
            out += e.hash.utf8
            out.append(9)
            out += e.day.description.utf8
            out.append(10)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The page's lastmod: the ledger's day when the content is unchanged, else `today`
    /// (and the ledger records it).
    mutating func lastmod(url: String, hash: String, today: Day) -> Day {
        let e = entry(url: url, hash: hash, today: today)
        if entries[url] != e { entries[url] = e }
        return e.day
    }

    /// The page's entry after a build on `today`: the ledger's when the content is unchanged,
    /// else a new one of `today` (what `lastmod` records).
    func entry(url: String, hash: String, today: Day) -> Entry {
        if let e = entries[url], e.hash == hash { return e }
        return Entry(hash: hash, day: today)
    }
}
