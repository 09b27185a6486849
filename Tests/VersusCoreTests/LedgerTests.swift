import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

@Suite struct LedgerTests {
    static let lines = [
        "# Versus lastmod ledger: url, content digest, day the content last changed. Updated by `versus build`.",
        "/kubernetes-vs-nomad/\t3f2a9c0d1e4b5a67\t2026-11-21",
        "",
        "/guides/sso/\td59bb97449cd0add\t2025-02-28",
        "/two-fields/\t0011",                                      // line 5: too few fields
        "/bad-day/\t0011223344556677\t2026-02-30",                 // line 6: no such day
        "/four/\t00\t2026-01-01\textra",                            // line 7: too many fields
        "/kubernetes-vs-nomad/\t9999999999999999\t2026-12-01",      // the later line wins
        "/café-vs-thé/\tabcdef0123456789\t2024-07-04",
        "#/commented/\t0000000000000000\t2020-01-01",
    ]

    /// Each line of the ledger is a URL, a digest and a day; comments and blank lines are
    /// skipped, and every other line is a warning naming it. A ledger written with CR LF line
    /// ends (a checkout on Windows) reads the same: the CR is not part of the day.
    /// A day is written `YYYY-MM-DD`, as text and as bytes, padded with zeros; a year past four
    /// digits is written whole.
    @Test func aDayIsWrittenWithItsDigits() {
        let days = [(Day(year: 2024, month: 5, day: 1), "2024-05-01"), (Day(year: 999, month: 12, day: 31), "0999-12-31"),
                    (Day(year: 1, month: 1, day: 9), "0001-01-09"), (Day(year: 9999, month: 10, day: 10), "9999-10-10"),
                    (Day(year: 12345, month: 1, day: 2), "12345-01-02")]
        for (day, text) in days {
            #expect(day.description == text)
            var bytes: [UInt8] = [65]
            day.append(to: &bytes)
            #expect(bytes == [65] + Array(text.utf8))
        }
        #expect(Day(year: 2026, month: 2, day: 3).timestamp == "2026-02-03T00:00:00Z")
    }

    @Test func aLedgerReadsItsLinesWithLFOrCRLF() {
        for end in ["\n", "\r\n"] {
            for last in ["", end] {
                var problems: [Diagnostic] = []
                let ledger = Ledger(parsing: Self.lines.joined(separator: end) + last, file: "lastmod.tsv", diagnostics: &problems)
                #expect(ledger.entries.count == 3, "\(end.debugDescription)")
                #expect(ledger.entries["/kubernetes-vs-nomad/"] == .init(hash: "9999999999999999", day: Day(year: 2026, month: 12, day: 1)))
                #expect(ledger.entries["/guides/sso/"] == .init(hash: "d59bb97449cd0add", day: Day(year: 2025, month: 2, day: 28)))
                #expect(ledger.entries["/café-vs-thé/"]?.day == Day(year: 2024, month: 7, day: 4))
                #expect(problems.map(\.line) == [5, 6, 7], "\(problems)")
                #expect(problems.allSatisfy { $0.severity == .warning && $0.file == "lastmod.tsv" })
            }
        }
    }

    /// What a ledger writes, it reads back as it was.
    @Test func aLedgerReadsBackWhatItWrites() {
        var ledger = Ledger()
        for i in 0..<500 {
            _ = ledger.lastmod(url: "/page-\(i)/", hash: String(i * 7919, radix: 16), today: Day(year: 2026, month: 1 + i % 12, day: 1 + i % 28))
        }
        var problems: [Diagnostic] = []
        #expect(Ledger(parsing: ledger.serialized(), file: "lastmod.tsv", diagnostics: &problems) == ledger)
        #expect(problems.isEmpty)
    }

    /// A page without a `date` keeps the day the ledger gave it when its source comes back with
    /// CR LF line ends (the same repository checked out on Windows), CR ones, or a byte-order mark:
    /// what it says is unchanged.
    /// A change of its words moves the day.
    @Test func aSourceWithCRLFLineEndsKeepsItsDay() async throws {
        let site = try FixtureSite(["nomad.txt": nomadSource + "\n"])
        let first = Day(year: 2026, month: 3, day: 14), later = Day(year: 2026, month: 9, day: 1)
        try await site.build(today: first) { $0.updateLedger = true }
        func lastmod() -> String? {
            guard let sitemap = site.output("sitemap.xml"), let page = sitemap.range(of: "/kubernetes-vs-nomad/</loc>") else { return nil }
            return sitemap[page.upperBound...].components(separatedBy: "<lastmod>").dropFirst().first?.components(separatedBy: "</lastmod>").first
        }
        #expect(lastmod() == "2026-03-14")
        try site.write("content/nomad.txt", (nomadSource + "\n").replacingOccurrences(of: "\n", with: "\r\n"))
        try await site.build(today: later) { $0.updateLedger = true }
        #expect(lastmod() == "2026-03-14")
        // Nor do lone CRs (as reading takes them), or a byte-order mark an editor adds.
        try site.write("content/nomad.txt", (nomadSource + "\n").replacingOccurrences(of: "\n", with: "\r"))
        try await site.build(today: later) { $0.updateLedger = true }
        #expect(lastmod() == "2026-03-14")
        try site.write("content/nomad.txt", [0xEF, 0xBB, 0xBF] + Array((nomadSource + "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8))
        try await site.build(today: later) { $0.updateLedger = true }
        #expect(lastmod() == "2026-03-14")
        try site.write("content/nomad.txt", (nomadSource + "\nNomad also runs batch jobs.\n").replacingOccurrences(of: "\n", with: "\r\n"))
        try await site.build(today: later) { $0.updateLedger = true }
        #expect(lastmod() == "2026-09-01")
    }
}
