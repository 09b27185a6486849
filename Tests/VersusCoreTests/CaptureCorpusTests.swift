import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

/// The capture corpus (Tests/Fixtures/captures, see its README): real comparison-page
/// layouts with what a careful editor expects, scored field by field. The reader is tuned
/// on `tune/`; `held/` says whether it generalises.
@Suite struct CaptureCorpusTests {
    static let root = repositoryRoot + "/Tests/Fixtures/captures"
    static let fields = ["title", "subjects", "slug", "description", "byline", "sections", "tables", "code_blocks", "clutter", "error"]

    struct Outcome {
        var name: String
        var wrong: [String]
        var checked: [String: Bool]
    }

    @Test func tunePart() throws {
        let outcomes = try Self.score("tune")
        let rate = Self.report("tune", outcomes)
        // The aim is 95%; 96% is where the reader stands (77 of 80), kept as a floor so no change goes back.
        #expect(rate >= 0.96, "tune: \(Int(rate * 100))% of cases fully right, under the 96% floor (the aim is 95%)")
    }

    @Test func heldPart() throws {
        let outcomes = try Self.score("held")
        let rate = Self.report("held", outcomes)
        #expect(rate >= 0.90, "held: \(Int(rate * 100))% of cases fully right, under 90%")
    }

    /// Layouts a later probe found (README: "probe/"): the reader is scored on them and may be
    /// tuned on them; the floor is where it stands, so no change goes back.
    @Test func probePart() throws {
        let outcomes = try Self.score("probe")
        let rate = Self.report("probe", outcomes)
        // 1 in 15 when they were added, 4 after later rules, 11 after this stop's (see the README); kept as a floor.
        #expect(rate >= 11.0 / 15, "probe: \(Int(rate * 100))% of cases fully right, under the floor of 11 in 15")
    }

    /// Layouts written blind (README: "blind/"), scored once before any rule was made on them
    /// (0 of 10 fully right; 3 of 10 refused as "no comparison found"). Since then they are seen:
    /// the floors are where the reader stands on the fields the later rules fixed (README).
    @Test func blindPart() throws {
        try Self.blindFloors("blind", read: 10, titled: 10)
    }

    /// A second blind set (README: "blind2/"), written by someone who neither ran Versus nor read
    /// its code. First scored: 10 of 10 read as labelled (the roundup refused), 7 of 9 titles, 1 of 10
    /// fully right; the floors are where the later rules left it (README).
    @Test func secondBlindPart() throws {
        try Self.blindFloors("blind2", read: 10, titled: 9)
    }

    /// A third blind set (README: "blind3/"), written the same way. First scored: 9 of 10 read as
    /// labelled, 7 of 8 titles, 1 of 10 fully right; the floors are where the later rules left it (README).
    @Test func thirdBlindPart() throws {
        try Self.blindFloors("blind3", read: 10, titled: 8)
    }

    /// Scores a blind part, prints it, and holds it to its floors: cases read as labelled (the
    /// error field) and titles right.
    static func blindFloors(_ part: String, read readFloor: Int, titled titleFloor: Int) throws {
        let outcomes = try score(part)
        _ = report(part, outcomes)
        let read = outcomes.filter { $0.checked["error"] == true }.count
        let titled = outcomes.filter { $0.checked["title"] == true }.count
        #expect(read >= readFloor, "\(part): \(read) of \(outcomes.count) cases read as the labels say (error field), under the floor of \(readFloor)")
        #expect(titled >= titleFloor, "\(part): \(titled) titles right, under the floor of \(titleFloor)")
    }

    // MARK: Scoring

    static func score(_ part: String) throws -> [Outcome] {
        let folder = root + "/" + part
        let names = try FileIO.disk.list(folder).filter { $0.hasSuffix(".json") }.sorted()
        #expect(!names.isEmpty, "no cases in \(folder)")
        return try names.map { name in
            let base = String(name.dropLast(5))
            let label = try #require(try JSONSerialization.jsonObject(with: Data(FileIO.disk.read(folder + "/" + name))) as? [String: Any])
            let expect = try #require(label["expect"] as? [String: Any])
            let bytes = try FileIO.disk.read(folder + "/" + base + ".txt")
            let reading = Normaliser.read(Source(path: base + ".txt", file: "captures/\(part)/\(base).txt", bytes: bytes))
            return check(base, expect: expect, reading: reading)
        }
    }

    static func collapse(_ s: String) -> String { Text.collapse(s) }

    /// Every field the README defines, judged by its rule.
    static func check(_ name: String, expect: [String: Any], reading: SourceTextParser.Reading) -> Outcome {
        var outcome = Outcome(name: name, wrong: [], checked: [:])
        func judge(_ field: String, _ good: Bool, _ detail: @autoclosure () -> String) {
            outcome.checked[field] = good
            if !good { outcome.wrong.append("\(field): \(detail())") }
        }
        let error = reading.diagnostics.first { $0.severity == .error }
        if let want = expect["error"] as? String {
            judge("error", error != nil && reading.errorKind?.rawValue == want,
                  "want \(want), got \(reading.errorKind?.rawValue ?? "a page")\(error.map { " (\($0.message))" } ?? "")")
            return outcome
        }
        judge("error", error == nil, "got \(error?.message ?? "")")
        guard let page = reading.page else { return outcome }
        let fm = page.frontMatter
        let title = expect["title"] as? String ?? ""
        let subjects = expect["subjects"] as? [String] ?? []
        judge("title", collapse(fm.title) == collapse(title), "'\(fm.title)', want '\(title)'")
        judge("subjects", fm.subjects == subjects, "\(fm.subjects), want \(subjects)")
        judge("slug", fm.slug == (expect["slug"] as? String ?? ""), "\(fm.slug), want \(expect["slug"] ?? "")")

        // Description: the dek (or the dek shortened at a boundary, or extended when short); with
        // no dek, not the title, a heading glued to a sentence, or a clutter line.
        let description = collapse(fm.description)
        let headings = page.sections.map { collapse(PlainText.inline($0.heading)) }
        let clutter = (expect["clutter"] as? [String] ?? []).map(collapse).filter { !$0.isEmpty }
        if let dek = (expect["dek"] as? String).map(collapse) {
            var good = description == dek
            if !good, Text.length(dek) > 160 {
                let core = description.hasSuffix("…") ? String(description.dropLast()).trimmingCharacters(in: .whitespaces) : description
                good = Text.length(description) <= 160 && Text.length(core) >= 50 && dek.hasPrefix(core)
            }
            if !good, Text.length(dek) < 50 {
                good = description.hasPrefix(Text.trimTrailingPunctuation(dek, "."))
            }
            judge("description", good, "'\(description)', want the dek '\(dek)'")
        } else {
            // A heading that is only a subject's name ("Terraform") opens many honest sentences about it.
            let names = Set(subjects.map { $0.lowercased() })
            let glued = headings.filter { !$0.isEmpty && !names.contains($0.lowercased()) }
            let bad = description.hasPrefix(collapse(title)) || glued.contains { description.hasPrefix($0) }
                || clutter.contains { description.hasPrefix($0) }
            judge("description", !bad, "'\(description)' starts with the title, a heading or clutter")
        }

        // Byline: name, and role when the label states one; none ⇔ none.
        if let by = expect["byline"] as? [String: Any] {
            let name = by["name"] as? String ?? ""
            let role = by["role"] as? String
            judge("byline", fm.byline?.name == name && (role == nil || fm.byline?.role == role),
                  "'\(fm.byline?.name ?? "none")' / '\(fm.byline?.role ?? "none")', want '\(name)' / '\(role ?? "none")'")
        } else {
            judge("byline", fm.byline == nil, "'\(fm.byline?.name ?? "")', want none")
        }

        // Sections: same count, heading text and role.
        let wantSections = (expect["sections"] as? [[String: Any]] ?? []).map {
            (collapse($0["heading"] as? String ?? ""), $0["role"] as? String ?? "")
        }
        let gotSections = page.sections.map { (collapse(PlainText.inline($0.heading)), $0.role.rawValue) }
        if wantSections.map(\.0) != gotSections.map(\.0) {
            let missing = wantSections.map(\.0).filter { !gotSections.map(\.0).contains($0) }
            let extra = gotSections.map(\.0).filter { !wantSections.map(\.0).contains($0) }
            judge("sections", false, "headings missing \(missing), extra \(extra)")
        } else {
            let roles = zip(wantSections, gotSections).filter { $0.1 != $1.1 }.map { "\($0.0): \($1.1), want \($0.1)" }
            judge("sections", roles.isEmpty, "roles " + roles.joined(separator: "; "))
        }

        // Tables and code blocks.
        let blocks = page.lead + page.sections.flatMap(\.blocks)
        let tables: [Table] = blocks.compactMap { if case .table(let t) = $0 { return t } else { return nil } }
        let wantTables = (expect["tables"] as? [[String: Any]] ?? []).map {
            "\($0["columns"] as? Int ?? 0)x\($0["rows"] as? Int ?? 0) " + ($0["header"] as? [String] ?? []).map(collapse).joined(separator: " | ")
        }
        let gotTables = tables.map { "\($0.columns)x\($0.rows.count) " + $0.header.map { collapse(PlainText.inline($0)) }.joined(separator: " | ") }
        judge("tables", wantTables == gotTables, "\(gotTables), want \(wantTables)")
        let code = blocks.filter { if case .markdown(let m) = $0 { return m.hasPrefix("```") } else { return false } }.count
        judge("code_blocks", code == (expect["code_blocks"] as? Int ?? 0), "\(code), want \(expect["code_blocks"] ?? 0)")

        // Clutter: no furniture line in the title, description, headings or text.
        var text = [fm.title, fm.description] + headings
        for block in blocks {
            switch block {
            case .markdown(let m): text += m.hasPrefix("```") ? [m] : PlainText.paragraphs(m)
            case .table(let t): text += (t.header + t.rows.flatMap { $0 }).map(PlainText.inline)
            case .html: Issue.record("a page read outside a build keeps its blocks as Markdown")
            }
        }
        let all = collapse(text.joined(separator: "\n"))
        let found = clutter.filter { all.contains($0) }
        judge("clutter", found.isEmpty, "\(found)")
        return outcome
    }

    /// Prints per-field and per-case accuracy and every failing case; returns the fully-right rate.
    @discardableResult
    static func report(_ part: String, _ outcomes: [Outcome]) -> Double {
        var lines = ["capture corpus, \(part): \(outcomes.count) cases"]
        for field in fields {
            let judged = outcomes.compactMap { $0.checked[field] }
            guard !judged.isEmpty else { continue }
            let good = judged.filter { $0 }.count
            lines.append("  \(field.padding(toLength: 12, withPad: " ", startingAt: 0)) \(good)/\(judged.count)  "
                         + String(format: "%5.1f%%", 100 * Double(good) / Double(judged.count)))
        }
        let full = outcomes.filter(\.wrong.isEmpty).count
        let rate = outcomes.isEmpty ? 0 : Double(full) / Double(outcomes.count)
        lines.append("  fully right  \(full)/\(outcomes.count)  " + String(format: "%5.1f%%", 100 * rate))
        for o in outcomes where !o.wrong.isEmpty {
            lines.append("  ✗ \(o.name)")
            lines += o.wrong.map { "      \($0)" }
        }
        print(lines.joined(separator: "\n"))
        fflush(nil)   // a report printed last is not lost with the buffer when the runner exits
        return rate
    }
}
