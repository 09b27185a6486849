import Foundation
import Testing
import Yams
@testable import VersusCore

/// The front-matter fast path (`PlainYAML`) gives Yams's own tree, node by node, or gives
/// the text to Yams.
@Suite struct PlainYAMLTests {
    /// Every fact of a node a later step can read: kind, string, tag, style, mark (line and
    /// column), anchor, and the same of each child, in order.
    static func described(_ node: Node) -> String {
        func mark(_ m: Mark?) -> String { m.map { "\($0.line):\($0.column)" } ?? "-" }
        switch node {
        case .scalar(let s):
            return "scalar(\(s.string.debugDescription) \(s.tag.rawValue) \(s.style) \(mark(s.mark)) \(s.anchor?.rawValue ?? "-"))"
        case .sequence(let s):
            return "sequence(\(s.tag.rawValue) \(s.style) \(mark(s.mark)) \(s.anchor?.rawValue ?? "-") [\(s.map(described).joined(separator: ", "))])"
        case .mapping(let m):
            return "mapping(\(m.tag.rawValue) \(m.style) \(mark(m.mark)) \(m.anchor?.rawValue ?? "-") {\(m.map { described($0.key) + ": " + described($0.value) }.joined(separator: ", "))})"
        case .alias(let a):
            return "alias(\(a.anchor.rawValue))"
        }
    }

    static func yams(_ yaml: String) -> String? {
        guard let node = try? Yams.compose(yaml: yaml, YAMLInput.resolver, .default, .utf8) else { return nil }
        return described(node)
    }

    static func plain(_ yaml: String) -> String? {
        PlainYAML.compose(yaml).map(described)
    }

    @Test func theUsualFrontMatterIsYamsTree() throws {
        let documents = [
            """
            title: "Snowflake vs DynamoDB for Enterprise Engineering: Compliance"
            slug: "snowflake-vs-dynamodb-for-enterprise-engineering-compliance"
            description: "Snowflake vs DynamoDB compared: compliance, pricing # and more."
            subjects: ["Snowflake", "DynamoDB"]
            date: 2023-01-26
            """,
            "title: Plain words here  \nsubjects: [Kubernetes, \"Nomad\" ,  HashiCorp Vault]\ndraft: true\nnoindex: false\n",
            "# a comment first\n\ntitle: \"Ünïcödé — “quotes” 🚀 and tabs\there\"\n   \nsubjects: [\"Élan\", \"日本語\", Zed]\nupdated: 2024-06-02\n",
            "title: \"\"\nsubjects: []\naliases: [ ]\n",
            "title: x\n# trailing comment\n",
            "title: a/b+c.d_e-f\nbyline: \"Jane Doe — Staff Engineer\"\nunknown_key-2: 12\n",
            "title: \"A\"\n\n\n\ndate: 2024-02-30\n",
            "title: null\nsubjects: [null, true, 1.5]\n",
            "title: 'It''s single'\nsubjects:\n  - Kubernetes\n  - \"Nomad\"\n  - 'Vault'\ndate: 2024-01-02\n",
            "subjects:\n- A\n- B\ntitle: x\n",
            "aliases:   \n    - /old/\n    - /older/\n# done\n",
            "title: ''\nsubjects: ['a', 'b''c']\n",
        ]
        for yaml in documents {
            let expected = try #require(Self.yams(yaml), "Yams composes \(yaml.debugDescription)")
            #expect(Self.plain(yaml) == expected, "\(yaml.debugDescription)")
        }
    }

    @Test func anythingElseIsLeftToYams() {
        let others = [
            "",                                                    // empty: Yams says so
            "# only a comment\n",
            "title: \"escaped \\\" quote\"\n",                      // an escape
            "title: \"two\n  lines\"\n",                            // a quoted value over two lines
            "title: plain\n  continued\n",                          // a plain value over two lines
            "title: x\ntitle: y\n",                                 // a key given twice: Yams reports it
            "title: x # comment\n",                                 // a comment after a value
            "roles: {\"A\": other}\n",                              // a flow mapping
            "roles:\n  A: other\n",                                 // a nested mapping
            "title: ~\n",
            "title: &a x\n",
            "title: !!str x\n",
            "title: 'two\n  lines'\n",                             // a quoted value over two lines
            "subjects:\n  - a\n   - b\n",                         // items at two indentations
            "subjects:\n  - a\n\n  - b\n",                        // a list going on after a blank line
            "subjects:\n  - [a]\n",                                // a list in a list
            "subjects:\n  - a: b\n",                               // a mapping in a list
            "subjects:\n  -\n",
            "title:\tx\n",
            "title: x\r\nslug: y\r\n",
            "title: \"bell \u{07}\"\n",
            "\u{FEFF}title: x\n",
            "title: [a, [b]]\n",
            "title: [a, b\n",
            "title: [a, b,]\n",
            "title: [a, b] x\n",
            "- a\n- b\n",
            "title: \"x\" y\n",
            "\"title\": x\n",
            "title: x:y\n",
            "title: -x\n",
            "title:\n",
            "true: x\n",                                            // a key that is not text
            "null: x\n",
            "Off: x\n",
            "title: " + String(repeating: "x", count: 300) + "\nslug: [" + String(repeating: "a, ", count: 100) + "b]\n",  // far along a line
            String(repeating: "\n", count: 300) + "title: x\n",                              // far down
        ]
        for yaml in others {
            #expect(Self.plain(yaml) == nil, "\(yaml.debugDescription)")
        }
    }

    /// Documents made of pieces of front-matter, good and bad: whenever the fast path gives a
    /// tree, it is Yams's tree.
    @Test func generatedDocumentsGiveYamsTreeOrNothing() {
        let keys = ["title", "subjects", "date", "Draft", "_x", "a-b", "title", "k9", "é", "true", "No", "null", "nothing"]
        let values = ["\"A vs B\"", "plain text", "[a, \"b\"]", "[]", "2024-01-02", "\"\"", "\"x\"  ", "x  ", "[ \"c\" , d ]",
                      "\"— ü 🚀\"", "true", "\"a: b # c\"", "a #b", "'q'", "\"\\n\"", "[a, ]", "x]", "{a: b}", "", "-1", "1.5e3",
                      "[\"ü\", ü]", "a\tb", "\"\t\"", "'it''s'", "'a'b'", "''", "['x', y]", "/path/", "[/a/, /b]", "/"]
        let separators = ["\n", "\n\n", "\n# note\n", "\n  \n", "\n  x\n", "\r\n", "\n  - a\n  - 'b'\n", "\n- c\n", "\n  - d\n - e\n",
                          "\n    - \"f\"\n"]
        // Lists below a key (good and bad), each then ending its line.
        let lists = ["\n  - a\n  - 'b'", "\n- c\n- /d/", "\n  - d\n - e", "\n    - \"f\"", "\n  - [g]", "\n  -", "\n  - h: i", "\n\t- j", "\n  - k\n\n  - l"]
        var fast = 0, listed = 0
        for yaml in Self.documents(4000, seed: 0x5EED, keys: keys, values: values, lists: lists, listOneIn: 4, separators: separators) {
            guard let plain = Self.plain(yaml) else { continue }
            fast += 1
            if yaml.contains("\n- ") || yaml.contains("  - ") { listed += 1 }
            #expect(plain == Self.yams(yaml), "\(yaml.debugDescription)")
        }
        #expect(fast > 150 && listed > 20, "the fast path took \(fast) of 4,000 documents, \(listed) with a list below a key")
    }

    /// Front-matter read straight from the plain form (`FrontMatter.Written(plain:)`) is what
    /// Yams's decoder gives from the same text, with nothing it would say about it; anything
    /// else is left to the decoder. Documents made of the model's keys (and a few others) and
    /// values good and bad for them.
    @Test func frontMatterFromThePlainFormIsTheDecoders() throws {
        let keys = ["title", "subjects", "slug", "description", "byline", "author", "date", "updated", "lastmod", "aliases",
                    "draft", "noindex", "roles", "cta", "titel", "Title"]
        let values = ["\"A vs B\"", "plain text", "[a, \"b\"]", "[Kubernetes, Nomad]", "[\"Kubernetes\", \"kubernetes\"]", "[]",
                      "[a, b, c, d, e]", "2024-01-02", "2024-02-30", "\"2024-03-04\"", "2024-03-04T25:00:00Z", "true", "false",
                      "True", "yes", "Off", "null", "\"null\"", "'x'", "a-b-c", "a/b", "A B", "\"  spaced   words \"",
                      "\"Jane Doe — Platform Lead\"", "\"\u{85}nel\"", "\"bell \u{07}\"", "[/a/, b]", "1.5", "\"\"", "/old/"]
        let lists = ["\n  - a\n  - 'b'", "\n- Kubernetes\n- Nomad\n- Vault", "\n  - null\n  - x"]
        var fast = 0, withList = 0
        for yaml in Self.documents(3000, seed: 0xF407, keys: keys, values: values, lists: lists, listOneIn: 5, separators: ["\n"]) {
            guard let entries = PlainYAML.read(yaml), let direct = FrontMatter.Written(plain: entries) else { continue }
            fast += 1
            if entries.contains(where: { if case .list = $0.value { true } else { false } }) { withList += 1 }
            let node = try #require(try? Yams.compose(yaml: yaml, YAMLInput.resolver, .default, .utf8), "Yams composes \(yaml.debugDescription)")
            let (decoded, problems) = MarkdownPageParser.decodeFrontMatter(yaml, plain: node, file: "x.md")
            #expect(decoded == direct, "\(yaml.debugDescription)")
            #expect(problems.isEmpty, "\(yaml.debugDescription): \(problems)")
        }
        #expect(fast > 80 && withList > 15, "the plain form was read straight for \(fast) of 3,000 documents, \(withList) with a list")
        // The usual front-matter is read so.
        let usual = "title: \"Stripe vs Adyen: Pricing\"\nslug: \"stripe-vs-adyen\"\ndescription: \"Compared.\"\nsubjects: [\"Stripe\", \"Adyen\"]\ndate: 2024-11-11\n"
        let written = try #require(PlainYAML.read(usual).flatMap { FrontMatter.Written(plain: $0) })
        #expect(written.subjects?.values == ["Stripe", "Adyen"] && written.slug?.value == "stripe-vs-adyen" && written.date?.day == Day(year: 2024, month: 11, day: 11))
    }

    /// `count` documents of one to five keys, each with a value on its line or (one in `listOneIn`)
    /// a list below it, then a separator; the same documents for the same seed.
    static func documents(_ count: Int, seed: UInt64, keys: [String], values: [String], lists: [String], listOneIn: Int,
                          separators: [String]) -> [String] {
        var random = Seeded(state: seed)
        return (0..<count).map { _ in
            var yaml = ""
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                let list = Int.random(in: 0..<listOneIn, using: &random) == 0
                yaml += keys.randomElement(using: &random)! + (list ? ":" + lists.randomElement(using: &random)! : ": " + values.randomElement(using: &random)!)
                    + separators.randomElement(using: &random)!
            }
            return yaml
        }
    }

    /// The same documents on every run (a failure can be run again).
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 29)
        }
    }
}
