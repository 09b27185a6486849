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
        // Over the bytes in place, a line at a time (a ledger has a line for every page without a
        // `date`: split by characters, ten thousand of them took longer than listing the content).
        // A line may end in CR LF, as a checkout on Windows writes it.
        var problems: [Int] = []
        var found: [(url: String, entry: Entry)] = []
        text.withBytes { b in
            var start = 0, number = 0
            while start <= b.count {
                number += 1
                var end = start
                while end < b.count, b[end] != 10 { end += 1 }
                let next = end + 1
                if end > start, b[end - 1] == 13 { end -= 1 }
                defer { start = next }
                guard end > start, b[start] != 35 else { continue }   // empty, or a "#" comment
                var tabs: [Int] = []
                for i in start..<end where b[i] == 9 {
                    tabs.append(i)
                    if tabs.count > 2 { break }
                }
                func field(_ from: Int, _ to: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[from..<to]), as: UTF8.self) }
                guard tabs.count == 2, let day = Day(field(tabs[1] + 1, end)) else {
                    problems.append(number)
                    continue
                }
                found.append((field(start, tabs[0]), Entry(hash: field(tabs[0] + 1, tabs[1]), day: day)))
            }
        }
        entries.reserveCapacity(found.count)
        for (url, entry) in found { entries[url] = entry }
        for line in problems {
            diagnostics.append(.warning(file, line: line, "ledger line is not 'url<TAB>digest<TAB>YYYY-MM-DD'; it is ignored"))
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
