import Foundation
import Testing
@testable import VersusCore
import VersusTestSupport

/// The layout reader on the shapes real captures take: every wording of the pair, three
/// and four subjects, rejections, bylines, structure kept, roles, descriptions, warnings,
/// hostile input, and the generated corpus.
@Suite struct ReaderTests {
    func page(_ text: String, _ sourceLocation: SourceLocation = #_sourceLocation) throws -> Page {
        let (page, diagnostics) = normalise(text)
        #expect(!diagnostics.hasErrors, "\(diagnostics)", sourceLocation: sourceLocation)
        return try #require(page, sourceLocation: sourceLocation)
    }

    static let body = """
    Overview
    Both tools schedule containers, but they start from very different assumptions about who runs the cluster.
    Performance
    Under load the two behave differently, and the difference shows up first in the scheduler's latency.
    """

    // MARK: Title and subjects

    /// A text's lines are the pieces between its newline bytes, each exactly as written (a
    /// carriage return stays on its line; no grapheme joins two lines), numbered from 1; a
    /// trailing newline leaves no empty last line.
    /// The role classifier's CJK terms are found in a heading as Foundation's search finds them,
    /// in composed and decomposed text alike (Hangul syllables and kana with marks have two
    /// spellings), by bytes first: the same answer for every heading.
    @Test func cjkTermsAreFoundAsFoundationFindsThem() {
        let headings = ["성능 비교", "Redis와 Memcached의 차이", "パフォーマンスの違い", "React と Vue のエコシステム", "学习曲线",
                        "性能对比：Go 还是 Rust", "社区与生态", "Kubernetes", "設計の比較", "价格 (2024)", "まとめ"]
        for heading in headings {
            for form in [heading, heading.decomposedStringWithCanonicalMapping, heading.precomposedStringWithCanonicalMapping] {
                #expect(RoleClassifier.containsAny(RoleClassifier.technicalCJK, RoleClassifier.technicalCJKBytes, in: form)
                        == RoleClassifier.technicalCJK.contains { form.contains($0) }, "\(heading)")
                #expect(RoleClassifier.containsAny(RoleClassifier.otherCJK, RoleClassifier.otherCJKBytes, in: form)
                        == RoleClassifier.otherCJK.contains { form.contains($0) }, "\(heading)")
            }
        }
    }

    @Test(arguments: ["", "\n", "one", "one\n", "one\r\ntwo\r\n", "\n\nthree\n\n", "café\u{301}\nnaïve 🇩🇪\n\u{200B}\nend",
                      "Vue和React的区别\n\n右\r\n"])
    func linesAreThePiecesBetweenNewlines(_ text: String) {
        var pieces = text.utf8.split(separator: 10, omittingEmptySubsequences: false).map { String(Substring($0)) }
        if pieces.count > 1, pieces.last == "" { pieces.removeLast() }
        let lines = Lines.read(text)
        #expect(lines.map { String($0.raw) } == pieces)
        #expect(lines.map(\.number) == Array(1...pieces.count))
    }

    /// `spaceSplit` gives the pieces `split(separator: " ")` gives, over ASCII bytes or by character.
    @Test(arguments: ["", " ", "one", "  two  words ", "a b  c", "café\u{301} au lait", " \u{301}x y", "Vue和React 的 区别", "tab\tkept here",
                      "Zürich  Köln ", "x \u{301}", "\u{600} x", "“a” b", "a “b”", "\u{A0} a", "e\u{301} b\u{308} ", "👍🏽 ok", "\r x", "a\u{200D} b"])
    func spaceSplitIsTheCharacterSplit(_ text: String) {
        #expect(text.spaceSplit == text.split(separator: " "))
        #expect(text.spaceCount == text.split(separator: " ").count)
        let inner = text.dropFirst()
        #expect(inner.spaceSplit == inner.split(separator: " "))
        #expect(inner.spaceCount == inner.split(separator: " ").count)
        // The outer pieces, found from the ends, are the split's first and last.
        for t in [Substring(text), inner] {
            let parts = t.split(separator: " ")
            #expect(t.outerSpaceParts?.first == parts.first && t.outerSpaceParts?.last == parts.last, "\(t)")
            #expect((t.outerSpaceParts == nil) == parts.isEmpty)
        }
    }

    /// The byte-level shortcuts the reader takes agree with the character-level operations they
    /// stand for: the count of `spaceSplit`'s pieces, the first index of a byte, the openings and
    /// endings `Vocabulary.Ends` compares with `memcmp`, and `Array.filled`.
    @Test(arguments: ["", " ", "one", "  two  words ", "a b  c", "café\u{301} au lait", " \u{301}x y", "Vue和React 的 区别",
                      "Licensing: flexible", "ends with a colon:", ":", "no colons", "12 comments", "Ágil: sí", "image.png"])
    func byteShortcutsAgreeWithTheCharacterOperations(_ text: String) {
        for t in [Substring(text), text.dropFirst(), text.dropLast()] {
            #expect(t.spaceCount == t.split(separator: " ").count, "\(t)")
            for byte: UInt8 in [58, 32, 46, 0xC3] {
                #expect(t.firstIndex(ofByte: byte) == t.utf8.firstIndex(of: byte), "\(t) \(byte)")
            }
        }
        let ends = Vocabulary.Ends(text)
        for affix in ["", "i", "im", "image", ".png", " words ", "12 ", "comments", "one", text, text + "x", "x" + text] {
            #expect(ends.prefix(affix) == text.hasPrefix(affix), "\(text) starts with \(affix)")
            #expect(ends.suffix(affix) == text.hasSuffix(affix), "\(text) ends with \(affix)")
        }
        for count in [0, 1, 7, 10, 33] {
            #expect([String].filled(text, count: count) == Array(repeating: text, count: count))
            #expect([Double?].filled(nil, count: count) == Array(repeating: nil, count: count))
        }
    }

    /// A line read again (the memo's copy, by a hash of its bytes) is the line read anew, with the
    /// caller's text and number; lines of the same length and different bytes are told apart.
    @Test func theLineMemoGivesWhatReadingGives() {
        let texts = ["Overview", "Verdict", "Overvieq", "- Key command: pulumi up", "- Key command: pulumi uq",
                     "Home › Blog › Databases", "Skip to main content", "© 2025 Acme", "Share on X", "12 comments",
                     String(repeating: "long line of prose, ", count: 9)]
        for round in 0..<2 {
            for (n, text) in texts.enumerated() {
                let file = "x\n" + text + "\n"
                let raw = file.dropFirst(2).dropLast()
                let memo = Lines.LineMemo.shared.line(raw, number: n + round + 1)
                let fresh = Lines.line(raw, number: n + round + 1)
                #expect(memo.raw == raw && memo.raw.startIndex == raw.startIndex, "\(text)")
                #expect(memo.number == n + round + 1)
                #expect(memo.text == fresh.text && memo.cue == fresh.cue && memo.words == fresh.words && memo.end == fresh.end
                        && memo.code == fresh.code && memo.headingShape == fresh.headingShape && memo.person == fresh.person, "\(text)")
            }
        }
    }

    /// A phrase's word hashes are `Phrase.hash` of each word lower-cased, whatever the word's
    /// length and wherever it stands (a word of eight bytes or fewer is read with one load when
    /// eight bytes follow its start, byte by byte at the end of the text); a word holding a dot
    /// ends no sentence, one ending in its own dot does.
    @Test func aPhrasesWordsHashAsEachWordDoesWhereverTheyStand() {
        var rng = PlainYAMLTests.Seeded(state: 7)
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&".utf8)
        for _ in 0..<2_000 {
            var words: [[UInt8]] = []
            for _ in 0..<Int(rng.next() % 6 + 1) {
                let length = Int(rng.next() % 12 + 1)
                var w = (0..<length).map { _ in letters[Int(rng.next() % UInt64(letters.count))] }
                if rng.next() % 5 == 0 { w.insert(46, at: Int(rng.next() % UInt64(w.count + 1))) }   // "e.g", "v1.2", "end."
                words.append(w)
            }
            let text = words.map { String(decoding: $0, as: UTF8.self) }.joined(separator: rng.next() % 2 == 0 ? " " : ", ")
            // Each word lower-cased, without the dots that end it.
            let expected = words.map { word -> UInt64 in
                var bytes = word.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
                while bytes.last == 46 { bytes.removeLast() }
                return Phrase.hash(bytes)
            }
            #expect(Phrase(text, keepWords: false).hashes == expected, "\(text)")
        }
        // Sentences: "e.g." holds a dot of its own, so the next word opens no sentence; "done." ends one.
        let p = Phrase("Use it e.g. here. Then done. Next")
        #expect(p.words == ["use", "it", "e.g", "here", "then", "done", "next"])
        #expect(p.openers == [0, 4, 6])
    }

    /// The words of a section's opening read from its paragraphs in place are the words of the
    /// opening made (`Phrase.opening`): the cut at a space within the budget, the spaces between
    /// paragraphs counted, a sentence ended in one paragraph opening the next, other scripts.
    @Test func anOpeningReadInPlaceHasTheWordsOfTheOpeningMade() {
        // The opening: paragraphs joined by spaces, the one over the budget cut at its last space within it.
        #expect(Phrase.opening(["alpha beta", "gamma delta"], maxBytes: 100) == "alpha beta gamma delta")
        #expect(Phrase.opening(["alpha beta", "gamma delta"], maxBytes: 17) == "alpha beta gamma")
        #expect(Phrase.opening(["alpha beta", "gamma delta"], maxBytes: 14) == "alpha beta ")
        #expect(Phrase.opening(["alpha beta"], maxBytes: 5) == "alpha")
        #expect(Phrase.opening(["alpha beta"], maxBytes: 4) == "")
        #expect(Phrase.opening(["", "alpha"], maxBytes: 100) == "alpha")
        #expect(Phrase.opening(["naïve café au lait"], maxBytes: 9) == "naïve")
        var rng = PlainYAMLTests.Seeded(state: 11)
        let pieces = ["Kafka", "keeps", "logs.", "Use", "it!", "Why?", "e.g.", "it's", "-", "", "  ", "Pulsar's", "tiered",
                      "storage", "(beta)", "v1.2", "—", "naïve", "Größe", "’quoted’", "x", "12,000", "ok."]
        for round in 0..<3_000 {
            let paragraphs = (0..<Int(rng.next() % 5)).map { _ in
                (0..<Int(rng.next() % 40)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined(separator: " ")
            }
            // Budgets that cut inside, at and past the paragraphs; ASCII-only rounds as often as mixed ones.
            let ascii = round % 2 == 0
            let text = ascii ? paragraphs.map { String($0.unicodeScalars.filter(\.isASCII)) } : paragraphs
            let budget = Int(rng.next() % 400)
            let made = Phrase(Phrase.opening(text, maxBytes: budget), keepWords: false)
            let read = Phrase(opening: text, maxBytes: budget)
            #expect(read.hashes == made.hashes && read.openers == made.openers && read.possessives == made.possessives,
                    "\(text) within \(budget)")
        }
    }

    /// A heading's leading section number comes off its key; a key with none is itself.
    @Test(arguments: [("2 6 templates vs generics", "templates vs generics"), ("0:00 intro", "intro"), ("10 12 3 a b", "a b"),
                      ("templates vs generics", "templates vs generics"), (" 2 x", "x"), ("", ""), ("2", "2"), ("2 ", ""),
                      ("v2 notes", "v2 notes"), ("²2 x", "²2 x"), ("١ x", "١ x")])
    func aKeyLosesItsSectionNumber(key: String, expected: String) {
        #expect(LayoutContext.unnumbered(key) == expected)
    }

    /// "1. Overview" and "12) Setup" are numbered headings; "1 Overview", "1234. x" and "Overview" are not.
    @Test(arguments: [("1. Overview", true), ("12) Setup", true), ("123.x", true), ("1234. x", false), ("1 Overview", false),
                      ("Overview", false), ("", false), ("1", false), ("1.", true), ("١. x", false)])
    func aNumberedHeadingOpensWithDigitsAndAStopOrBracket(heading: String, expected: Bool) {
        #expect(RoleClassifier.numbered(heading) == expected)
    }

    /// A `FixedSet` answers as the `Set<String>` of its members does, for strings and substrings:
    /// ASCII by bytes (case matters, a prefix or an extension is no member), other scripts and
    /// accents written either way through the set, and a member written with a sign that
    /// composes to ASCII (the Kelvin sign is "K") found by its ASCII form.
    @Test func aFixedSetAnswersAsASetOfStringsDoes() {
        let members = ["vs", "vs.", "versus", "compared to", "diferença", "und", "", "K\u{212A}", "\u{212A}", "co\u{301}mo", "和", "a",
                       String(repeating: "long member ", count: 3)]
        let fixed = FixedSet(members)
        let set = Set(members)
        let asked = members + ["VS", "v", "vss", "versus ", " vs", "compared", "compared to ", "diferenc\u{327}a", "diferença",
                               "K", "KK", "\u{212A}\u{212A}", "cómo", "como", "und.", "和比", "b", "A", "long member long member long member",
                               String(repeating: "long member ", count: 3) + "x", "nothing at all"]
        for word in asked {
            #expect(fixed.contains(word) == set.contains(word), "\(word.unicodeScalars.map { String($0.value, radix: 16) })")
            let padded = "<" + word + ">"
            let inner = padded.dropFirst().dropLast()
            #expect(fixed.contains(inner) == set.contains(String(inner)), "substring \(word)")
        }
        #expect(fixed.contains("K") && fixed.contains("vs") && !fixed.contains("VS") && fixed.contains("cómo"))
        #expect(FixedSet([]).contains("") == false && FixedSet(["x"]).contains("") == false)
    }

    /// "About Jane Moreno" names the author card's person in each language, whether an accent is
    /// written with its letter or as a combining mark after it ("a\u{300} propos", "U\u{308}ber"):
    /// the test looks at the first byte before lower-casing the line, and must let these through.
    @Test(arguments: [("About Jane Moreno", "Jane Moreno"), ("about Jane Moreno", "Jane Moreno"), ("Sobre Jane Moreno", "Jane Moreno"),
                      ("À propos de Jane Moreno", "Jane Moreno"), ("A\u{300} propos de Jane Moreno", "Jane Moreno"),
                      ("Über Jane Moreno", "Jane Moreno"), ("U\u{308}ber Jane Moreno", "Jane Moreno"), ("Chi è Jane Moreno", "Jane Moreno"),
                      ("Meet Jane Moreno", nil), ("Jane Moreno", nil), ("About our pricing plans", nil)] as [(String, String?)])
    func anAboutLineNamesItsPerson(_ line: String, _ name: String?) {
        #expect(Layout.aboutName(Lines.line(Substring(line), number: 1)) == name, "\(line)")
    }

    /// A comment count opens readers' comments whatever leads it ("12 comments", "One thought on
    /// “…”"); a line whose first word is no count does not, however it goes on.
    @Test(arguments: [("12 comments", true), ("  3 responses to “Kafka vs Pulsar”", true), ("one thought on ‘x’", true),
                      ("comments", false), ("no comments", true), ("twelve comments", false), ("3", false), ("", false), ("   ", false),
                      ("3 thoughts on migrating", false), ("read 12 comments", false)])
    func commentCountsOpenComments(_ line: String, _ opens: Bool) {
        #expect(Vocabulary.commentsBegin(Array(line.utf8)) == opens, "\(line)")
    }

    /// `Text.length` counts Unicode scalars eight bytes at a time: the count is the scalars',
    /// whatever the mix of one- to four-byte scalars and wherever the eight-byte runs end.
    @Test(arguments: ["", "a", "abcdefg", "abcdefgh", "abcdefghi", "café au lait, naïve", "x—y…z’s", "🇩🇪🇫🇷 flags",
                      "Vue和React的区别是什么", String(repeating: "é", count: 17), String(repeating: "ab€", count: 11) + "😀"])
    func lengthCountsScalars(_ text: String) {
        #expect(Text.length(text) == text.unicodeScalars.count)
        #expect(Text.length(text.dropFirst()) == text.dropFirst().unicodeScalars.count)
    }

    /// `Text.collapse` reads ASCII scalars without Unicode's tables: spaces, tabs and line ends
    /// still collapse, no-break and thin spaces too, and zero-width characters go.
    @Test func collapseOutsideASCII() {
        #expect(Text.collapse("  Kafka\t vs\u{00A0}Pulsar …  costs\u{2009}more\u{200B}! ") == "Kafka vs Pulsar … costs more!")
        #expect(Text.collapse("naïve\r\n\u{0B}\u{0C}text’s end") == "naïve text’s end")
    }

    /// Collapsing reads eight bytes at a time: runs of spaces, tabs and line ends across the
    /// eight-byte boundaries, control bytes and leading or trailing spaces give what a scalar at a
    /// time gives; a prefix of scalars is cut where the scalars say, over the bytes.
    @Test func collapseAndPrefixOverBytesAgreeWithScalars() {
        func collapsed(_ s: String) -> String {
            var out = "", pending = false
            for c in s.unicodeScalars {
                if c.value < 0x80 ? c == " " || (c.value >= 9 && c.value <= 13) : Text.isSpace(c) {
                    pending = !out.isEmpty
                } else if c.value >= 0x80 && Text.isInvisible(c) {
                    continue
                } else {
                    if pending { out += " " }
                    pending = false
                    out.unicodeScalars.append(c)
                }
            }
            return out
        }
        var inputs = ["", " ", "a", "abcdefgh", "abcdefg ", "abcdefgh ", " abcdefgh", "abcdefg  h", "abcdefgh  ijk",
                      "abc\u{01}defgh ij", "abcdefgh\tij", "abcdefg\nhij", "a b c d e f g h i j", "abcdefghijklmno  p",
                      "abcdefghijklmnop ", "abcdefgé hijklmnop", "Kafka vs Pulsar:  costs", "\u{7F}abcdefgh",
                      // Other scripts, read over their bytes too: every kind of space, the invisibles, marks kept as written.
                      "café\u{301}  au\u{A0}lait", "\u{200B}x\u{200C}\u{2060}y\u{FEFF}\u{AD}", " \u{301}x y", "Vue和React\u{3000}的 区别",
                      "\u{2003}em\u{2009}thin\u{202F}\u{205F}\u{1680}x", "x\u{85}y\u{2028}z", "👍🏽  ok 🇩🇪\u{200D}", "\u{A0}\u{A0}",
                      "It’s “quoted” — fine…"]
        for k in 0..<24 { inputs.append(String(repeating: "x", count: k) + "  " + String(repeating: "y", count: 24 - k)) }
        for text in inputs {
            // (Compared byte for byte: `==` would take a composed "é" for a decomposed one.)
            #expect(Array(Text.collapse(text).utf8) == Array(collapsed(text).utf8), "\(text.debugDescription)")
            for part in [text[...], text.dropFirst(), text.dropLast()] {
                #expect(Array(Text.collapse(part).utf8) == Array(collapsed(String(part)).utf8), "\(part.debugDescription)")
            }
            for n in [0, 1, 3, 7, 8, 9, 40] {
                #expect(String(Text.prefix(text, scalars: n)) == String(String.UnicodeScalarView(text.unicodeScalars.prefix(n))))
            }
        }
        #expect(Text.prefix("naïve café", scalars: 4) == "naïv")
        #expect(Text.prefix("abcdé", scalars: 4) == "abcd" && Text.prefix("abcdé", scalars: 5) == "abcdé" && Text.prefix("abcdéf", scalars: 5) == "abcdé")
        #expect(Text.prefix("Vue和React", scalars: 4) == "Vue和")
    }

    /// Sentences end at ".", "!", "?" or "…" before a space and a capital, a digit or an opening
    /// quote, after any closing quotes or bracket; not after "e.g", "i.e", "etc", "vs", a lone
    /// initial or an initial in a row ("U.S."); a dash (which starts with the byte "…" does) ends none.
    @Test func sentencesEndWhereTheRulesSay() {
        let cases: [(String, [String])] = [
            ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
            ("Use e.g. Kafka. Then stop.", ["Use e.g. Kafka.", "Then stop."]),
            ("Redis vs. Kafka and etc. More i.e. Less", ["Redis vs. Kafka and etc. More i.e. Less"]),
            ("Made in the U.S. Today it ships.", ["Made in the U.S. Today it ships."]),
            ("J. Smith wrote it. A second", ["J. Smith wrote it.", "A second"]),
            ("Wait… Then go. Wait… then", ["Wait…", "Then go.", "Wait… then"]),
            ("A dash — here — and — Now. Next one", ["A dash — here — and — Now.", "Next one"]),
            ("He said \"stop.\" Then left. (Aside.) Yes", ["He said \"stop.\"", "Then left. (Aside.)", "Yes"]),
            ("“Go.” Now ‘quoted.’ “Open", ["“Go.”", "Now ‘quoted.’", "“Open"]),
            ("end. next. Step one. 2 more", ["end. next.", "Step one.", "2 more"]),
            ("Fin. Écrit ici. été", ["Fin.", "Écrit ici. été"]),
            ("Ends here.", ["Ends here."]), ("x.  ", ["x."]), (". A", [".", "A"]), ("", []), ("   ", []),
            ("No stop at all", ["No stop at all"]), ("Trailing…", ["Trailing…"]), ("Q? \"Quoted start", ["Q?", "\"Quoted start"]),
            // Stops among sixteen-byte steps: before, at and after the boundaries.
            ("Fifteen bytes. Sixteen bytes!! Then more text here. And the last one", ["Fifteen bytes.", "Sixteen bytes!!", "Then more text here.", "And the last one"]),
        ]
        for (text, expected) in cases {
            #expect(Text.sentences(text) == expected, "\(text.debugDescription)")
        }
    }

    /// Whether a text has at least `n` scalars, or characters, told from its bytes where they
    /// tell: the same answer as counting (combining marks, emoji, CR LF, other scripts).
    @Test func atLeastAsCountingSays() {
        let texts = ["", "a", "abc", "abcd", "abcdefgh", "a\r\nb", "ab\r\ncd", "e\u{301}e\u{301}", "🇩🇪🇩🇪", "Vue和React",
                     "naïve café", String(repeating: "é", count: 30), String(repeating: "x", count: 300), "👍🏽👍🏽👍🏽"]
        for text in texts {
            for n in [0, 1, 2, 3, 4, 5, 8, 20, 70, 100] {
                #expect(Text.length(text, atLeast: n) == (Text.length(text) >= n), "\(text.debugDescription) \(n)")
                #expect(Text.characters(text, atLeast: n) == (text.count >= n), "\(text.debugDescription) \(n)")
            }
        }
    }

    /// Two matches name the same pair in any order and however each name is written (by slug);
    /// sets of cues written with `|` are the sets the array literal wrote.
    @Test func samePairAndCueSets() {
        let a = SubjectMatch(subjects: ["Kafka", "Pulsar"], strength: 3, joiner: "vs", bare: true)
        let b = SubjectMatch(subjects: ["pulsar", "KAFKA"], strength: 1, joiner: "or", bare: false)
        let c = SubjectMatch(subjects: ["Kafka", "Redpanda"], strength: 3, joiner: "vs", bare: true)
        #expect(a.namesSamePair(as: a) && a.namesSamePair(as: b) && b.namesSamePair(as: a))
        #expect(!a.namesSamePair(as: c))
        let literal: Cue = [.date, .readTime, .byMarker]
        #expect(Cue.date | .readTime | .byMarker == literal)
        #expect(Cue.date.intersection(.readTime | .views).isEmpty && !Cue.date.intersection(.date | .views).isEmpty)
    }

    /// A control character (Unicode's `Cc`) in a diagnostic is written as an escape; others are kept.
    @Test func diagnosticsEscapeControlCharacters() {
        #expect(Diagnostic.printable("a\u{07}b\u{9F}c\u{A0}d…") == "a\\u{7}b\\u{9f}c\u{A0}d…")
        #expect(Diagnostic.printable("plain text") == "plain text")
    }

    /// A "Label: value" colon is found by its byte in an ASCII line, as by its character in any.
    @Test(arguments: ["Licensing: flexible", "Ends with a colon:", "No colon here", ":", "a:b", String(repeating: "x", count: 30) + ": value",
                      String(repeating: "x", count: 31) + ": value", "Café: ouvert", "e\u{301}: accent", ":\u{301} mark then: colon", "Vue和React: 区别"])
    func labelColonIsTheCharacterColon(_ text: String) {
        let byCharacter = text.firstIndex(of: ":").map { text.distance(from: text.startIndex, to: $0) <= 30 && $0 != text.index(before: text.endIndex) } ?? false
        #expect(Layout.labelColon(text) == byCharacter, "\(text)")
    }

    /// Whether a subject is a name is asked for every line that pairs it: kept for the document,
    /// it is the answer each line would get, and a lower-case name still asks its line (`quoted`).
    @Test func aSubjectsNameIsTheSameForEveryLine() {
        let finder = SubjectFinder(document: "We run npm. Teams pick npm and yarn. Simplicity matters; Simplicity wins. Nomad ships.\n")
        let lines = ["Nomad vs Kubernetes", "Simplicity vs Flexibility", "`npm` vs yarn", "npm vs yarn"]
        for subject in ["Nomad", "Simplicity", "Flexibility", "npm", "yarn", "the best"] {
            for line in lines {
                let fresh = PairReader.isNamed(subject, finder: SubjectFinder(document: finder.document), line: line)
                #expect(PairReader.isNamed(subject, finder: finder, line: line) == fresh, "\(subject) in \(line)")
            }
        }
        // The line decides for a lower-case name: marked as code it is one, bare it is not.
        #expect(PairReader.isNamed("npm", finder: finder, line: "`npm` vs yarn") != PairReader.isNamed("npm", finder: finder, line: "npm vs yarn"))
    }

    @Test(arguments: [
        ("Why we chose Nomad over Kubernetes", ["Nomad", "Kubernetes"]),
        ("Comparing Nomad and Kubernetes for Small Teams", ["Nomad", "Kubernetes"]),
        ("Nomad and Kubernetes Compared", ["Nomad", "Kubernetes"]),
        ("Nomad beats Kubernetes for small teams", ["Nomad", "Kubernetes"]),
        ("Nomad VS Kubernetes: a field report", ["Nomad", "Kubernetes"]),
        ("Nomad versus Kubernetes", ["Nomad", "Kubernetes"]),
        ("Which is better, Nomad or Kubernetes?", ["Nomad", "Kubernetes"]),
        ("Nomad compared to Kubernetes", ["Nomad", "Kubernetes"]),
        ("AWS vs Azure vs Google Cloud: Which Cloud Fits?", ["AWS", "Azure", "Google Cloud"]),
        ("Stripe vs Square vs Adyen vs Wise", ["Stripe", "Square", "Adyen", "Wise"]),
        ("Room with a View: Comparing Vue.js with Angular and React", ["Vue.js", "Angular", "React"]),
        // Other languages: their joiners, and names written with no space around them in CJK text.
        ("¿Cuál es la diferencia entre Nomad y Kubernetes?", ["Nomad", "Kubernetes"]),
        ("Nomad frente a Kubernetes: cuándo usar cada uno", ["Nomad", "Kubernetes"]),
        ("NomadとKubernetesの違いについてまとめた", ["Nomad", "Kubernetes"]),
        ("Nomad和Kubernetes的区别", ["Nomad", "Kubernetes"]),
        ("Nomad와 Kubernetes 비교", ["Nomad", "Kubernetes"]),
        // Quoted terms are one subject each, whatever their words.
        ("What is the difference between 'git pull' and 'git fetch'?", ["git pull", "git fetch"]),
    ])
    func wordings(_ title: String, _ subjects: [String]) throws {
        let extra = subjects.map { "\($0) is one of the options here, and \($0) has its own strengths for teams." }.joined(separator: "\n")
        let p = try page("Home\nBlog\n\(title)\n\(extra)\n" + Self.body)
        #expect(p.frontMatter.subjects == subjects)
        #expect(p.frontMatter.slug == Slug.comparison(subjects))
        #expect(p.frontMatter.title == title)
    }

    @Test func siteSuffixAndBreadcrumbsAreNotTheTitle() throws {
        let p = try page("""
        Skip to main content
        Databases
        Home › Blog › PostgreSQL vs MySQL
        PostgreSQL vs MySQL: Which Database Fits? | Acme Blog
        Dana Whitfield · Mar 4, 2025 · 8 min read
        """ + "\n" + Self.body + "\n© 2025 Acme. All rights reserved.\n")
        #expect(p.frontMatter.title == "PostgreSQL vs MySQL: Which Database Fits?")
        #expect(p.frontMatter.byline?.name == "Dana Whitfield")
        #expect(!p.sections.contains { $0.heading.contains("Skip") })
    }

    @Test func theTitleWinsOverALaterHeading() throws {
        let p = try page("PostgreSQL vs MySQL\nPostgreSQL vs MySQL for Web Apps\n" + Self.body + "\nRedis vs Memcached\nA short aside about caches, which most web apps also need sooner or later.\n")
        #expect(p.frontMatter.subjects == ["PostgreSQL", "MySQL"])
    }

    @Test(arguments: [
        ("Bad vs. good prompt: what changes", "not-a-comparison"),
        ("[Your Product] vs [Competitor]: Which Is Better?", "not-a-comparison"),
        ("Top 10 Container Orchestrators in 2025", "roundup"),
        ("Best Heroku alternatives for small teams", "roundup"),
        ("Kubernetes vs Nomad vs Swarm vs ECS vs Mesos", "roundup"),
        ("Best Remote Team Documentation Tools 2026", "roundup"),
        ("Top Password Managers for Small Teams", "roundup"),
        ("WhatsApp und Alternativen im Test", "roundup"),
    ])
    func rejections(_ title: String, _ kind: String) {
        let text = "\(title)\nA long first paragraph that explains what this page is about, written for people choosing tools.\n" + Self.body
        let reading = Normaliser.read(Source(path: "x.txt", file: "content/x.txt", bytes: Array(text.utf8)))
        #expect(reading.page == nil)
        #expect(reading.errorKind?.rawValue == kind)
        let error = reading.diagnostics.first { $0.severity == .error }
        #expect(error?.description.hasPrefix("content/x.txt:1: error: ") == true, "\(reading.diagnostics)")
    }

    // MARK: Bylines

    @Test(arguments: [
        ("By Jane Doe", "Jane Doe", nil),
        ("Jane Doe · 6 min read", "Jane Doe", nil),
        ("Written by Jane Doe", "Jane Doe", nil),
        ("Author: Jane Doe | Published: 4 February 2025", "Jane Doe", nil),
        ("Jane Doe — Staff Platform Engineer", "Jane Doe", "Staff Platform Engineer"),
        ("By Jane Doe, Staff Platform Engineer", "Jane Doe", "Staff Platform Engineer"),
        ("Posted on January 14, 2025 by Jane Doe", "Jane Doe", nil),
        ("03 novembre 2024 - Jane Doe", "Jane Doe", nil),
        ("214 points by janedoe on Sept 22, 2019 | hide | past | favorite | 163 comments", "janedoe", nil),
        // The markers of the other languages pages come in, read the same way.
        ("Par Jane Doe · 12 mars 2025 · 6 min de lecture", "Jane Doe", nil),
        ("Scritto da  Jane Doe", "Jane Doe", nil),
        ("Escrito por Jane Doe", "Jane Doe", nil),
        ("Geschrieben von Jane Doe", "Jane Doe", nil),
    ] as [(String, String, String?)])
    func bylineForms(_ line: String, _ name: String, _ role: String?) throws {
        let p = try page("Kubernetes vs Nomad: A Field Report\n\(line)\n" + Self.body)
        #expect(p.frontMatter.byline?.name == name)
        #expect(p.frontMatter.byline?.role == role)
        #expect(!p.sections.contains { $0.heading.contains("Jane") })
    }

    /// A read time or a view count is no name, in any language ("12 minutes" once gave "utes").
    @Test(arguments: ["12 minutes", "Lesezeit: 9 Minuten", "Tempo di lettura: 5 minuti", "15540 vues"])
    func aReadTimeAloneIsNoByline(_ line: String) throws {
        let p = try page("Kubernetes vs Nomad: A Field Report\n\(line)\n" + Self.body)
        #expect(p.frontMatter.byline == nil, "\(String(describing: p.frontMatter.byline))")
    }

    /// Lines that only lead into what follows, or only date the page, are never sections: a
    /// lead-in left hanging on a dash, a label over a date alone, a view or vote count.
    @Test func leadInsDateLabelsAndCountsAreNoSections() throws {
        let text = """
        Kindle vs Kobo: A Field Report
        게시 됨: 2024-01-12
        Both readers are light, and both last weeks on a charge, so the differences are in the details.
        Display
        The Kobo has these things going for it –
          1. The screen. It is sharper at the same size, and the difference shows in small print.
          2. The light. It turns warmer at night, which is easier on the eyes in bed.
        The Kindle answers with these –
          1. The store. Buying and sending books takes one tap, and the library follows you everywhere.
          2. The battery. It lasts a little longer on paper, though both go weeks between charges.
        Letto 2143 volte
        (3 Voti)
        """
        let p = try page(text)
        let headings = p.sections.map(\.heading)
        #expect(headings == ["Display"], "\(headings)")
    }

    /// A review's rounds closing on "Verdict: …" lines, a blog's comments under "N Responses to
    /// “…”", and a byline that names the poster by user name after the date: the verdicts are
    /// text, the comments are not the article, the user name is the author.
    @Test func verdictLinesCommentsAndAUserNameByline() throws {
        let text = """
        iPhone 5 vs Galaxy S3
        Posted on October 2, 2012 by gadgetfan
        Every launch brings the same question, so we put the two phones side by side for a week.
        Display
        The iPhone's screen is smaller but sharper, and colours look closer to what a print shows.
        Verdict: iPhone 5
        Battery life
        The S3 lasted a full day and a half; the iPhone needed a charge by dinner most days.
        Verdict: Galaxy S3
        14 Responses to “iPhone 5 vs Galaxy S3”
        Battery alone sold me on the S3, and the removable pack is a bonus on long trips.
        """
        let p = try page(text)
        #expect(p.sections.map(\.heading) == ["Display", "Battery life"])
        #expect(p.sections.map(\.role) == [.technical, .technical])
        #expect(p.frontMatter.byline?.name == "gadgetfan")
        #expect(!PageMarkdown.write(p).contains("removable pack"))
        #expect(PageMarkdown.write(p).contains("Verdict: Galaxy S3"))
        #expect(Vocabulary.commentsBegin(Array("3 thoughts on “kindle vs kobo”".utf8)))
        #expect(!Vocabulary.commentsBegin(Array("3 thoughts on migrating".utf8)))
    }

    /// "About Jane Moreno" under a by-line that named her is an author card: the article ends
    /// there, and neither it nor what follows is a section.
    @Test func aboutTheBylinesNameIsAnAuthorCard() throws {
        let text = """
        iPhone 5 vs Galaxy S3
        Posted by Jane Moreno on October 2, 2012 | 14 Comments
        Every launch brings the same question, so we put the two phones side by side for a week.
        Display
        The iPhone's screen is smaller but sharper, and colours look closer to what a print shows.
        Battery life
        The S3 lasted a full day and a half; the iPhone needed a charge by dinner most days.
        About Jane Moreno
        Jane has reviewed phones for a decade and keeps too many chargers in one drawer.
        Galaxy Note 2 vs iPhone 5: the big-screen question
        """
        let p = try page(text)
        #expect(p.frontMatter.byline?.name == "Jane Moreno")
        #expect(p.sections.map(\.heading) == ["Display", "Battery life"])
        #expect(!PageMarkdown.write(p).contains("too many chargers"))
    }

    /// "Let's dig in!" between the introduction and the first heading closes the introduction: an
    /// exclamation with no text of its own under it is text, and the reader is told so.
    @Test func anExclamationOverAHeadingIsText() throws {
        let text = """
        Rust vs Go for Command-Line Tools
        Both languages build fast single binaries, and both have loyal fans who will tell you the other is wrong.
        This guide walks through what each one is like to write and to ship.
        Here we go!
        What is Rust?
        Rust is a systems language with an ownership model that catches memory mistakes before the program runs.
        What is Go?
        Go is a small language from Google with a fast compiler and a garbage collector that stays out of the way.
        """
        let (p, d) = normalise(text)
        let page = try #require(p)
        #expect(page.sections.map(\.heading) == ["What is Rust?", "What is Go?"])
        #expect(d.contains { $0.severity == .warning && $0.line == 4 && $0.message.contains("exclamation") })
    }

    /// A question is too long to count in a run of short lines, but as the last line of a table of
    /// contents, glued to the introduction and repeated as a later heading, it is an entry, not a heading.
    @Test func aQuestionEndingTheContentsIsAnEntry() throws {
        let text = """
        Rust vs Go for Command-Line Tools
        Contents
        Startup time
        Binary size
        Which one should a beginner pick?
        Both languages build single binaries that start quickly, and each has a loyal crowd behind it.
        Startup time
        Go binaries start in a few milliseconds, and Rust ones are about as quick on every machine we tried.
        Binary size
        A Rust binary with its dependencies stripped is usually smaller than the Go one that does the same job.
        Which one should a beginner pick?
        Go is the gentler start; Rust asks for more patience and pays it back in the bugs it catches early.
        """
        let p = try page(text)
        #expect(p.sections.map(\.heading) == ["Startup time", "Binary size", "Which one should a beginner pick?"])
    }

    /// Syntax and typing as Spanish, Portuguese, French, Italian and German headings name them are technical aspects.
    @Test(arguments: ["Sintaxis", "Sintaxe", "Syntaxe", "Tipado", "Tipagem", "Typage", "Tipizzazione", "Typisierung"])
    func syntaxAndTypingInOtherLanguagesAreTechnical(_ heading: String) {
        let input = RoleClassifier.Input(heading: heading, paragraphs: ["Each language has its own habits here, and teams notice them early."],
                                         subjects: ["Python", "Java"], index: 2, count: 5)
        #expect(RoleClassifier.classify(input) == .technical)
    }

    /// Japanese and Korean headings have no spaces between their words (Korean joins particles to them):
    /// the role words are found inside the heading.
    @Test(arguments: [
        ("ビルド速度の違い", Role.technical), ("データ設計", .technical), ("料金プラン", .other), ("はじめに:概要", .other),
        ("빌드 속도 비교", .technical), ("보안 기능", .technical), ("가격과 비용", .other), ("마무리 요약", .other),
    ])
    func rolesInJapaneseAndKorean(_ heading: String, _ role: Role) {
        let input = RoleClassifier.Input(heading: heading, paragraphs: ["GoとRustはどちらも単一のバイナリを作ります。"],
                                         subjects: ["Go", "Rust"], index: 2, count: 5)
        #expect(RoleClassifier.classify(input) == role)
    }

    /// A body stating the publisher's stance ("we believe", "our view is") speaks for the publisher,
    /// wherever in the section's opening the phrase stands, and only the whole phrase does.
    @Test func aStatedStanceIsThePublishersPosition() {
        func our(_ body: String) -> Int {
            let input = RoleClassifier.Input(heading: "The bigger picture", paragraphs: [body], subjects: ["Pulumi", "Terraform"], index: 2, count: 5)
            return RoleClassifier.score(input).scores[1]
        }
        let plain = our("The wall between the teams comes down fastest when both sides share tools.")
        #expect(our("At Acme we believe the wall between the teams comes down fastest when both sides share tools.") == plain + 3)
        #expect(our("The wall between the teams comes down fastest when both sides share tools, our view is.") == plain + 3)
        #expect(our("The wall between the teams comes down fastest when both sides share tools, we think that.") == plain + 3)
        #expect(our("The wall between the teams comes down fastest when both sides share tools, our view.") == plain)
        #expect(our("The wall between the teams comes down fastest when both sides share tools; they believe it.") == plain)
    }

    /// "Single-Page Application (SPA)": a subject's own name in brackets is what the heading is about,
    /// and the pros and cons under it (in Korean too) are that subject's.
    @Test func aSubjectNamedInBracketsAndItsProsAndCons() {
        let subjects = ["SPA", "MPA"]
        let body = ["Each page of the app loads once and then redraws itself as the reader moves around."]
        let headings = ["Single-Page Application (SPA)", "장점", "단점", "Multi-Page Application (MPA)", "メリット", "デメリット"]
        let inputs = headings.enumerated().map { i, h in
            RoleClassifier.Input(heading: h, paragraphs: body, subjects: subjects, index: i, count: headings.count)
        }
        #expect(RoleClassifier.classifyAll(inputs) == Array(repeating: .subjectFocus, count: 6))
        // An aside in brackets that names no subject still does not change what a heading is about.
        let aside = RoleClassifier.Input(heading: "Use SPA (our default)", paragraphs: body, subjects: subjects, index: 1, count: 4)
        #expect(RoleClassifier.score(aside).named == [0])
    }

    /// The bare pair right under a longer headline naming the same pair is the headline's picture
    /// caption: the longer line is the title, and the caption no heading.
    @Test func aBarePairUnderTheHeadlineIsItsCaption() throws {
        let text = """
        Phone Notes
        Pixel 8 vs Galaxy S24 Review: Two Good Phones, One Clear Pick
        Pixel 8 vs Galaxy S24
        We carried both phones for a month, swapping SIM cards every Monday, and kept notes on each.
        Cameras
        The Pixel takes the better night shots, while the Galaxy keeps more detail in bright daylight.
        Battery
        Both last a full day, but the Galaxy usually had a third of its charge left at bedtime.
        """
        let (p, d) = normalise(text)
        let page = try #require(p)
        #expect(page.frontMatter.title == "Pixel 8 vs Galaxy S24 Review: Two Good Phones, One Clear Pick")
        #expect(page.sections.map(\.heading) == ["Cameras", "Battery"])
        #expect(d.contains { $0.severity == .warning && $0.line == 2 && $0.message.contains("title taken from line 2") })
    }

    /// In a hard-wrapped page, a short line that stops on a joining word ("… Style Vs", "… and") goes on
    /// below: a heading wrapped over two lines is one heading; a label's value wrapped before a number is not.
    @Test func aHeadingWrappedOnAJoiningWordIsOneHeading() throws {
        let text = """
        Pixel 8 vs Galaxy S24: A Month With Both

        We carried both phones for a month, swapping the SIM card every
        Monday, and kept notes on what each one did better than the other.

        Cameras – Night Shots and
        Daylight Detail

        The Pixel takes the better night shots, while the Galaxy keeps more
        detail in bright daylight, and both shoot steady video at 4K.

        Pixel 8: 150.5 x 70.8 x 8.9mm and
        187g in the hand

        Battery – Close

        Both last a full day, but the Galaxy usually had a third of its
        charge left at bedtime, which the Pixel only managed on light days.
        """
        let (p, d) = normalise(text)
        let page = try #require(p)
        #expect(page.sections.map(\.heading) == ["Cameras – Night Shots and Daylight Detail", "Battery – Close"])
        #expect(d.contains { $0.severity == .warning && $0.line == 6 && $0.message.contains("one heading") })
    }

    /// A forum user's block: the name, "N posts", then the rank and badges, each on a line of its
    /// own. The post count is forum furniture, the short lines under it are the poster's rank (warned),
    /// and the first poster is the by-line.
    @Test func aForumPostersRankIsNoHeading() throws {
        let text = """
        Vim vs Emacs for writing prose?
        lamplighter_7
        118 posts
        Regular Member
        I write long documents in Markdown and keep switching editors. Which one is kinder to prose?
        Reply
        old_oak
        2,406 Posts
        Senior Member
        Donor
        Emacs with visual-line mode and a good theme is lovely for prose; Vim needs a few plugins first.
        Report this post
        """
        let (p, d) = normalise(text)
        let page = try #require(p)
        #expect(page.sections.isEmpty)
        #expect(page.frontMatter.byline?.name == "lamplighter_7")
        let md = PageMarkdown.write(page)
        #expect(!md.contains("Senior Member") && !md.contains("118 posts") && !md.contains("Report this post"))
        #expect(d.contains { $0.severity == .warning && $0.line == 4 && $0.message.contains("rank") && $0.message.contains("1 more line") })
        #expect(Vocabulary.postCount("3,188 posts") && Vocabulary.postCount("1 Post") && !Vocabulary.postCount("3 posts later"))
    }

    /// "Live updates »": a guillemet that closes nothing points to a link, so the line is no heading;
    /// a quotation in guillemets still ends as its text does.
    @Test func aGuillemetClosingNothingIsALinkArrow() {
        #expect(Lines.ending("Live updates »") == .arrow)
        #expect(Lines.ending("«Le choix est simple.»") == .period)
    }

    /// "Comparing Vim with Emacs": a headline joining the pair with a weaker word names the subjects
    /// before the layout too; a subject's name alone then heads the short lines under it (a list copied
    /// without bullets), whose first line is an item (warned), and a labelled line two lines under
    /// another is an item of the same list.
    @Test func aSubjectsNameHeadsTheShortLinesUnderIt() throws {
        let text = """
        Comparing Vim with Emacs
        Nine years of editing config files in both, and what I would tell my younger self.
        Here is how they differ, quickly:
        Vim
        Tiny and everywhere
        Modal editing from day one
        Speed: starts before you lift your finger
        Plugins are optional
        Catch: the modes take a week, and nobody warns you how stubborn your fingers are
        I still open Vim first on any server, because it is already installed and it never surprises me.
        Emacs
        A whole environment
        Lisp all the way down
        Extras: mail, notes and a calendar in one place
        Org mode is reason enough
        Catch: it starts slowly unless you keep one running all day long
        Emacs rewards the time you put in, and it keeps rewarding it for years after you stop noticing.
        """
        let (p, d) = normalise(text)
        let page = try #require(p)
        #expect(page.frontMatter.subjects == ["Vim", "Emacs"])
        #expect(page.sections.map(\.heading) == ["Vim", "Emacs"])
        #expect(d.contains { $0.severity == .warning && $0.line == 5 && $0.message.contains("subject's name") })
        #expect(d.contains { $0.severity == .warning && $0.line == 9 && $0.message.contains("Label: value") })
    }

    /// Two pictures' alt texts naming one subject each ("Vim logo", "Emacs logo") are not parallel headings.
    @Test func altTextsAreNoParallelHeadings() throws {
        let text = """
        Comparing Vim with Emacs
        Nine years of editing config files in both, and what I would tell my younger self.
        What sets them apart
        Both edit text, but they disagree about nearly everything else, starting with what an editor is for.
        Vim logo
        Vim keeps to editing and leaves the rest to the shell, which is why it starts in an instant.
        Emacs logo
        Emacs wants to be the place you live, with mail, notes and a calendar a keystroke away.
        """
        let p = try page(text)
        #expect(p.sections.map(\.heading) == ["What sets them apart"])
    }

    /// Two spec cards copied as label line / value line: the same labels in the same order under each
    /// subject's name are the cards' lines, not headings, nor are their values (warned where the rule
    /// decided it); a heading the page repeats elsewhere (a table of contents) is still a heading.
    @Test func cardLabelsGivenAgainAreNoHeadings() throws {
        let text = """
        Neovim vs Emacs

        Two editors, two cards, one long argument that nobody has ever won at a party.

        neovim

        Startup
        Instant
        Config language
        Vimscript or Lua
        Learning time
        A stubborn week.

        emacs

        Startup
        A second or two, unless the daemon runs
        Config language
        Emacs Lisp
        Learning time
        A month, happily.

        Which one to learn

        Start with whichever your colleagues use, because the best help is the person at the next desk.
        """
        let (p, d) = normalise(text)
        let page = try #require(p)
        #expect(page.sections.map(\.heading) == ["neovim", "emacs", "Which one to learn"])
        #expect(d.contains { $0.severity == .warning && $0.line == 17 && $0.message.contains("card's label, read as its value") })
    }

    /// A post written as dialogue: each line a speaker's name with their words in corner brackets.
    /// Such a line is text, never the title or a heading (warned when it was shaped like one).
    @Test func speakersLinesOfDialogueAreText() throws {
        let text = """
        GoとRustを比べてみた Go vs Rust どっちがいい?
        はじめに
        たろう「GoとRustってよく聞くけど、どっちを先に学べばいいのかな?」
        はなこ「目的しだいだよ。順番に見ていこうね。」
        たろう「じゃあ表にしてみよう♪」
        ビルド速度
        はなこ「Goのビルドはとても速くて、大きなプロジェクトでも待ち時間がほとんどないよ。」
        """
        let (p, d) = normalise(text)
        let page = try #require(p)
        #expect(page.frontMatter.title == "GoとRustを比べてみた Go vs Rust どっちがいい?")
        #expect(page.sections.map(\.heading) == ["はじめに", "ビルド速度"])
        #expect(d.contains { $0.severity == .warning && $0.line == 5 && $0.message.contains("dialogue") })
        #expect(Vocabulary.speakerLine("はなこ「目的しだいだよ。」") && !Vocabulary.speakerLine("「目的しだいだよ。」"))
    }

    /// A question or an exclamation of a few CJK characters is as short as a heading, not a sentence;
    /// a comment box's prompt in Japanese, Korean or Chinese is the page's, after the article.
    /// The lines pages share are read once: what the memo hands back for a line seen before
    /// (on another page, at another line number) is what reading it gives, field by field.
    @Test func aLineSeenBeforeIsReadAsItWasReadThen() {
        let lines = ["Skip to content", "Home › Blog › Databases", "By Ana Lima · March 3, 2025 · 6 min read", "  - Pricing",
                     "Share on X", "© 2025 Acme Inc. All rights reserved.", "", "---", "✓", "func main() {", "[edit] Architecture",
                     "Postgres and MySQL both store rows; the first has richer types.", String(repeating: "long line ", count: 20)]
        for (i, text) in lines.enumerated() {
            let page = "Title\n" + text + "\nend"
            let first = Lines.LineMemo.shared.line(Substring(page.split(separator: "\n", omittingEmptySubsequences: false)[1]), number: 2)
            let again = Lines.LineMemo.shared.line(Substring(text), number: 40 + i)
            #expect(String(describing: first) == String(describing: Lines.line(Substring(page.split(separator: "\n", omittingEmptySubsequences: false)[1]), number: 2)))
            #expect(String(describing: again) == String(describing: Lines.line(Substring(text), number: 40 + i)))
            #expect(again.number == 40 + i && again.raw == text)
        }
    }

    /// Two ways of writing the same characters ("\u{F900}" and "\u{8C48}"; "é" and "e\u{301}") are
    /// one Swift string but not the same bytes: a line is handed back as read before only for the
    /// same bytes, and so is a line's pair, so what a page reads as never depends on the pages read
    /// before it (or on which core read them first).
    @Test func aLineIsHandedBackOnlyForItsOwnBytes() throws {
        // (Lines of the same length in bytes, modulo 16, share a shard of the memo.)
        for (a, b) in [("Cost \u{F900}", "Cost \u{8C48}"),
                       ("Pricing " + String(repeating: "é", count: 16), "Pricing " + String(repeating: "e\u{301}", count: 16))] {
            #expect(a == b && Array(a.utf8) != Array(b.utf8))
            _ = Lines.LineMemo.shared.line(Substring(a), number: 1)
            let second = Lines.LineMemo.shared.line(Substring(b), number: 3)
            #expect(Array(second.text.utf8) == Array(Lines.line(Substring(b), number: 3).text.utf8))
            #expect(Array(second.raw.utf8) == Array(b.utf8))
        }
        let nfc = "Caf\u{E9}DB vs Redis", nfd = "Cafe\u{301}DB vs Redis"
        let finder = SubjectFinder(document: [nfc, nfd, nfc, nfd].joined(separator: "\n"))
        let first = try #require(finder.match(in: nfc, weak: false))
        let second = try #require(finder.match(in: nfd, weak: false))
        #expect(first.subjects.allSatisfy { ByteText.contains(nfc, $0) })
        #expect(second.subjects.allSatisfy { ByteText.contains(nfd, $0) }, "\(second.subjects.map { Array($0.utf8) })")
    }

    /// A long line of another script is read in time proportional to its length (each of its
    /// letters once copied the rest of the line to look at it).
    @Test func aLongLineOfAnotherScriptIsReadInLinearTime() {
        func seconds(_ letters: Int) -> Double {
            let text = "Alpha vs Beta\n\nAlpha and Beta are two tools that teams often compare.\n\nPricing\n\n"
                + "Alpha is quicker to set up, while Beta scales better.\n\n" + String(repeating: "é", count: letters) + "\n"
            let start = Date()
            _ = normalise(text)
            return Date().timeIntervalSince(start)
        }
        // The smaller size's best of two, so that one slow moment does not make it look cheap.
        let once = min(seconds(100_000), seconds(100_000))
        let fourTimes = seconds(400_000)
        #expect(fourTimes < 8 * once + 0.5, "\(once) s for 100,000 letters, \(fourTimes) s for 400,000")
    }

    /// A slug: lower-case letters and digits, one hyphen for any run of other bytes (none at either
    /// end), "+", "#", "&" and "@" as words, an apostrophe dropped, other scripts transliterated.
    @Test(arguments: [("Kubernetes vs Stripe", "kubernetes-vs-stripe"), ("  C++ vs C#  ", "c-plus-plus-vs-c-sharp"),
                      ("R&D @ Scale", "r-and-d-at-scale"), ("Let's Encrypt", "lets-encrypt"), ("--Vue.js---3--", "vue-js-3"),
                      ("+", "plus"), ("a+b", "a-plus-b"), ("'", ""), ("", ""), ("###", "sharp-sharp-sharp"),
                      ("Zürich Ñandú", "zurich-nandu"), ("ABC_xyz 09", "abc-xyz-09"), ("+x+", "plus-x-plus")] as [(String, String)])
    func aSlugKeepsLettersAndDigitsAndNamesSigns(_ text: String, _ slug: String) {
        #expect(Slug.make(text) == slug, "\(text)")
    }

    /// A slug is made of the first thousand characters of its text at most: a name or a heading
    /// of a million letters is slugged at once, not in ICU time that grows with its square.
    @Test func aSlugReadsTheFirstThousandCharactersAtMost() {
        for letter in ["é", "a", "ж"] {
            let long = String(repeating: letter, count: 200_000)
            #expect(Slug.make(long) == Slug.make(String(repeating: letter, count: Slug.maximumScalars)), "\(letter)")
            #expect(!Slug.make(long).isEmpty)
        }
        #expect(Slug.make("Zürich " + String(repeating: "x", count: 2_000)).hasPrefix("zurich-xxx"))
    }

    /// Page furniture of three kinds of site: a wiki's site line under its title and its contents box
    /// with the toggle, a Q&A site's vote tooltips, a landing page's counted social proof over its logos.
    @Test func wikiSiteLinesVoteTooltipsAndSocialProofAreFurniture() {
        for text in ["From Wikipedia, the free encyclopedia", "From WikiVS, the open comparison website",
                     "This question shows research effort; it is useful and clear",
                     "This question does not show any research effort; it is unclear or not useful",
                     "Trusted by 4,000+ independent publications", "Used by 10,000 teams"] {
            let cue = Lines.line(Substring(text), number: 1).cue
            #expect(!cue.intersection([.embed, .forum]).isEmpty, "\(text)")
        }
        for text in ["Contents [hide]", "Contents [show]", "Table of contents hide"] {
            #expect(Lines.line(Substring(text), number: 1).cue.contains(.toc), "\(text)")
        }
        // Sentences and headings that only start the same way.
        for text in ["From Postgres, the move to MySQL took a week.", "From Kafka to Pulsar", "Trusted by teams that ship daily",
                     "Used by the Linux kernel", "Contents of the release"] {
            let cue = Lines.line(Substring(text), number: 1).cue
            #expect(cue.intersection([.embed, .forum, .toc]).isEmpty, "\(text)")
        }
    }

    /// A Q&A thread: the page's buttons ("Ask Question") are no one's name, and the question's
    /// author is the name under "asked <date>" (the answers' cards say "answered").
    @Test func aQuestionsAuthorIsTheNameUnderAsked() throws {
        let text = """
        Unix & Linux
        Home
        Questions
        Tags
        What is the difference between Postgres and MySQL for a small team?
        Ask Question
        Asked 3 years ago Modified 1 year ago Viewed 12k times
        We run one app on each today and want to settle on one database. Which costs us less to operate, and why would anyone keep both?
        postgres
        mysql
        Share
        Improve this question
        Follow
        asked Sep 8, 2021 at 13:20
        Lena Okafor
        2,115 4 18 25
        Add a comment |
        2 Answers
        Postgres gives you richer types and stricter defaults, so fewer surprises reach production; MySQL is simpler to replicate with the tools most hosts offer.
        Share
        Improve this answer
        Follow
        answered Sep 8, 2021 at 14:02
        Tomas Berg
        9,402 2 33 41
        """
        let p = try page(text)
        #expect(p.frontMatter.byline?.name == "Lena Okafor")
        #expect(!Lines.line("Ask Question", number: 1).person)
        #expect(!Lines.line("Hero Member", number: 1).person)
        #expect(Lines.line("Lena Okafor", number: 1).person)
    }

    /// "You should buy X if…" trails off into the reasons under it: a heading, not a sentence; a
    /// picture's credit under it is no list item.
    @Test func aLineTrailingOffOnIfHeadsTheReasonsUnderIt() throws {
        let text = """
        Kafka vs Pulsar: which one should you run?
        Both move events between services at scale, but they split the work between brokers and storage in different ways, and that decides what running them costs.
        You should choose Kafka if...
        Mara Quist/Unsplash
        1. Your team already runs it
        The tooling, the runbooks and the hiring pool are all there, and a second system doubles the on-call load for little gain.
        2. You need the widest ecosystem
        Connectors, stream processors and managed offerings exist for nearly every store and cloud you might use.
        You should choose Pulsar if...
        1. You want storage apart from brokers
        Brokers hold no data, so scaling one side does not mean moving partitions on the other, and recovery is quicker.
        2. You serve many tenants
        Namespaces, quotas and isolation per tenant are built in rather than bolted on.
        """
        let p = try page(text)
        #expect(p.sections.map(\.heading).contains("You should choose Kafka if..."))
        #expect(p.sections.map(\.heading).contains("You should choose Pulsar if..."))
        #expect(!PageMarkdown.write(p).contains("Mara Quist"))
        #expect(Lines.line("You should buy the Pixel 8 Pro if…", number: 1).leadIn)
        #expect(!Lines.line("We tested both phones for a month and then...", number: 1).leadIn)
        #expect(Lines.line("We tested both phones for a month and then...", number: 1).prose)
    }

    /// A wiki's category links close its article: the sidebar copied after them is no section.
    @Test func aWikisCategoryLinksCloseTheArticle() throws {
        let text = """
        Redis vs Memcached
        From ExampleWiki, the open comparison website
        Redis and Memcached both keep data in memory for fast reads, but only one of them stores more than strings.
        [edit] Data types
        Memcached stores opaque strings; Redis adds lists, sets, sorted sets, hashes and streams, each with its own commands.
        [edit] Persistence
        Memcached keeps nothing across a restart. Redis can write snapshots and an append-only log, so a restart loses little.
        Categories: Databases | Software comparisons
        Navigation
        Main page
        Recent changes
        Random page
        Toolbox
        What links here
        This page was last modified on 3 March 2012, at 18:40.
        """
        let p = try page(text)
        #expect(p.sections.map(\.heading) == ["Data types", "Persistence"])
        let markdown = PageMarkdown.write(p)
        #expect(!markdown.contains("Categories:") && !markdown.contains("Recent changes") && !markdown.contains("ExampleWiki"))
        #expect(Lines.line("Categories: Databases | Software comparisons", number: 1).cue.contains(.footer))
        #expect(!Lines.line("Categories: Databases, Caching", number: 1).cue.contains(.footer))
    }

    /// A plain-text document: its title and headings underlined with "=" and "-", the author with an
    /// e-mail address, code indented four columns deeper than the text, a "-- Name" sign-off.
    @Test func aPlainTextDocumentsUnderlinesIndentsAndSignOff() throws {
        let text = """
        Rsync and Restic: Close Cousins, Mostly...
        ==========================================

        Mira Kettunen (mira@example.org)

        Rsync and Restic both copy files to another place, and both are driven
        from the shell. Rsync mirrors a tree; Restic keeps its history. This note
        says where Rsync and Restic agree and where they do not.

        1 Copying
        =========

          1. Each reads a list of paths and walks them in order,
             skipping what did not change.

        Restic keeps snapshots in a repository of its own:

            restic -r /srv/backup backup ~/work
            restic -r /srv/backup snapshots

        Rsync writes a plain copy that any tool can read.

        2 Restoring
        -----------

        A restore with rsync is another copy in the other direction, nothing more.

        -- Mira
        """
        let p = try page(text)
        #expect(p.frontMatter.title == "Rsync and Restic: Close Cousins, Mostly...")
        #expect(p.frontMatter.slug == "rsync-vs-restic")
        #expect(p.frontMatter.byline?.name == "Mira Kettunen")
        #expect(p.sections.map(\.heading) == ["1 Copying", "2 Restoring"])
        let markdown = PageMarkdown.write(p)
        #expect(markdown.contains("```\nrestic -r /srv/backup backup ~/work\nrestic -r /srv/backup snapshots\n```"), "\(markdown)")
        #expect(!markdown.contains("-- Mira") && !markdown.contains("===") && !markdown.contains("mira@example.org"))
        // The list item's wrapped line is indented under its text, not four columns deeper: no code, one item.
        #expect(markdown.contains("- 1\\. Each reads a list of paths and walks them in order, skipping what did not change."), "\(markdown)")
        #expect(!markdown.contains("```\nskipping"))
        // A rule under a paragraph's last line, or of another length than the line, underlines nothing.
        let glued = Lines.read("Some text before it\nA closing line here\n===================")
        #expect(glued[1].underline == 0)
        let short = Lines.read("\nA heading of some length\n===")
        #expect(short[1].underline == 0)
        let setext = Lines.read("\nA heading of some length\n------------------------")
        #expect(setext[1].underline == 2 && setext[1].headingShape)
        #expect(Bylines.withoutAddress("Jane Doe <jane@example.com>") == "Jane Doe")
        #expect(Bylines.withoutAddress("Jane Doe (Engineering)") == nil)
    }

    /// A job title names its job first ("Head of Frontend", "Founder, DevTools Academy"), last
    /// ("Staff Engineer") or before "at" ("Content Lead At NetHunt"); whatever does not is no role,
    /// however it is cased or punctuated.
    @Test(arguments: [
        ("Staff Engineer", true), ("Head of Frontend", true), ("Founder, DevTools Academy", true),
        ("Content Lead At NetHunt", true), ("Platform lead at Acme (ex-Google)", true), ("Senior Developer Advocate", true),
        ("Developer Experience", false), ("Talk to an Engineer", false), ("Why the Lead Matters", false),
        ("Kubernetes at Scale", false), ("Attack Surface at a Glance", false), ("Staff Engineer.", false),
        ("Principal Architect · 12 March 2025", false), ("", false),
    ])
    func jobTitlesAreToldByTheirJobNoun(_ line: String, _ role: Bool) {
        #expect(Bylines.isRole(line) == role, "\(line)")
    }

    /// A docs site's page: the headline under its breadcrumb (the sidebar names the page first), a
    /// feature grid whose ticks copied as empty cells, and code samples under tabs naming each library.
    @Test func aDocsPagesBreadcrumbCodeTabsAndEmptyTickCells() throws {
        let text = """
        Skip to content
        Guides
        Knex & Sequelize
        Knex & Objection
        Sequelize & TypeORM
        Docs / Guides / Knex & Sequelize
        Knex & Sequelize
        Overview
        Knex builds SQL from chained calls; Sequelize maps tables to models. Both run on Node.js and talk to the same databases, and Knex or Sequelize can sit under a larger framework.
        \tKnex\tSequelize
        Query builder\t\t
        Migrations\t\t
        Model classes\t\t
        Supported databases\tPostgres, MySQL, SQLite\tPostgres, MySQL, SQLite
        Reading rows
        Knex
        const rows = await knex('users').where({ active: true })
        Sequelize
        const rows = await User.findAll({ where: { active: true } })
        Picking columns
        Knex
        const rows = await knex.raw(`
          select id, email from users
        `)
        Sequelize
        const rows = await User.findAll({ attributes: ['id', 'email'] })
        Joining tables
        Knex
        const rows = await knex('posts').join('users', 'posts.author_id', 'users.id')
        Sequelize
        const rows = await Post.findAll({ include: User })
        """
        let p = try page(text)
        #expect(p.frontMatter.title == "Knex & Sequelize")
        #expect(p.frontMatter.description != "Docs / Guides / Knex & Sequelize")
        #expect(p.sections.map(\.heading) == ["Overview", "Reading rows", "Picking columns", "Joining tables"])
        let tables = p.sections.flatMap(\.blocks).compactMap { if case .table(let t) = $0 { return t } else { return nil } }
        #expect(tables.count == 1 && tables.first?.header == ["", "Knex", "Sequelize"] && tables.first?.rows.count == 4)
        let markdown = PageMarkdown.write(p)
        #expect(markdown.components(separatedBy: "```").count - 1 == 12, "\(markdown)")
        // A backtick left open ends a line of a template string: the brackets around it still count.
        #expect(Structure.bracketDelta("const rows = await knex.raw(`") == 1)
        #expect(Structure.bracketDelta("`)") == -1)
        #expect(Structure.bracketDelta("run(`a (b`)") == 0)
    }

    /// "svn copy URL \\" goes on below as one command; "3. …:" over a sentence that leads into it is a
    /// numbered section like its neighbours.
    @Test func aShellLineThatGoesOnAndANumberedSectionLeadingIntoCode() throws {
        let text = """
        Three differences between Git and Subversion

        Git and Subversion both keep history, but Git copies all of it to every clone while Subversion keeps it on a server.

        1. Git is distributed, Subversion is not:

        Every Git clone holds the whole history, so most work needs no network at all, and Subversion needs its server.

        2. Branches are cheap in Git, copies in Subversion:

        In Subversion a branch is a copy of a directory in the repository, made like this:

        svn copy https://svn.example.org/repo/trunk \\
            https://svn.example.org/repo/branches/topic -m "Start topic"

        Git makes a branch by writing one small file, and Subversion's copy is cheap too, but merging it back is harder.

        3. Git names commits by hash, Subversion by number:

        Subversion counts revisions across the repository; Git names each commit by the hash of what it holds.
        """
        let p = try page(text)
        // Headings are kept as inline Markdown: the number's dot escaped.
        #expect(p.sections.map(\.heading) == ["1\\. Git is distributed, Subversion is not:", "2\\. Branches are cheap in Git, copies in Subversion:",
                                               "3\\. Git names commits by hash, Subversion by number:"])
        let markdown = PageMarkdown.write(p)
        #expect(markdown.contains("```\nsvn copy https://svn.example.org/repo/trunk \\\n    https://svn.example.org/repo/branches/topic -m \"Start topic\"\n```"), "\(markdown)")
    }

    /// A wiki's contents box after the lead: its title and entries are the page's, not a list of the article's.
    @Test func aContentsBoxAfterTheLeadIsNoList() throws {
        let text = """
        Redis vs Memcached
        Redis and Memcached both keep data in memory for fast reads, but only one of them stores more than strings.
        Contents [hide]
        1 Data types
        2 Persistence
        3 Clustering
        [edit] Data types
        Memcached stores opaque strings; Redis adds lists, sets, sorted sets, hashes and streams, each with its own commands.
        [edit] Persistence
        Memcached keeps nothing across a restart. Redis can write snapshots and an append-only log, so a restart loses little.
        [edit] Clustering
        Memcached leaves sharding to the client library; Redis Cluster splits keys across nodes and moves them when nodes join.
        """
        let p = try page(text)
        #expect(p.sections.map(\.heading) == ["Data types", "Persistence", "Clustering"])
        let markdown = PageMarkdown.write(p)
        #expect(!markdown.contains("Contents") && !markdown.contains("1 Data types"), "\(markdown)")
        // A question among the entries (too long for a run of short lines) is one of them too.
        let questions = try page("""
        Redis vs Memcached
        Redis and Memcached both keep data in memory for fast reads, but only one of them stores more than strings.
        On this page
        What do Redis and Memcached share?
        Data types
        Persistence
        Clustering
        Which one to pick
        What do Redis and Memcached share?
        Both answer in well under a millisecond, both are single binaries, and both speak a small text protocol.
        Data types
        Memcached stores opaque strings; Redis adds lists, sets, sorted sets, hashes and streams, each with its own commands.
        Persistence
        Memcached keeps nothing across a restart. Redis can write snapshots and an append-only log, so a restart loses little.
        Clustering
        Memcached leaves sharding to the client library; Redis Cluster splits keys across nodes and moves them when nodes join.
        Which one to pick
        Pick Memcached for a plain cache of strings; pick Redis when the data has structure or must survive a restart.
        """)
        #expect(questions.sections.map(\.heading) == ["What do Redis and Memcached share?", "Data types", "Persistence", "Clustering", "Which one to pick"])
        #expect(!PageMarkdown.write(questions).contains("On this page"))
        for title in ["Tópicos da página", "Sur cette page", "Inhaltsverzeichnis", "目次", "목차"] {
            #expect(Lines.line(Substring(title), number: 1).cue.contains(.toc), "\(title)")
        }
    }

    /// "curl" under a wget command and over "curl is for…": the heading of the next part, not more code.
    @Test func aNameOverTheSentenceNamingItEndsTheCodeAbove() throws {
        let text = """
        What is the difference between curl and wget?
        Both fetch files from the command line, and people reach for curl and wget as if they were the same tool.
        wget
        wget is for getting files: it follows redirects, retries and resumes without being asked to.
        wget -c -O image.iso https://mirror.example.org/image.iso
        curl
        curl is for talking to a server: you choose the method, the headers and the body yourself.
        curl -s -X POST -d '{"a":1}' https://api.example.org/items
        """
        let p = try page(text)
        #expect(p.sections.map(\.heading) == ["wget", "curl"])
        #expect(Structure.codeRuns(Lines.read(text)).count == 2)
    }

    /// "林晓舟" over the post's date is its author: a Chinese or Korean name has no capitals to tell it by.
    @Test func aCJKNameByTheDateIsTheByline() throws {
        let text = """
        Vue 和 React 有什么区别?一文讲清核心差异
        林晓舟
        2025-12-16 10:24
        Vue 和 React 都是当下最主流的前端框架,团队选型时总要争一轮。本文从设计理念、模板和状态管理三个方面比较 Vue 和 React。
        1. 设计理念
        Vue 追求渐进式,可以只在页面的一小部分使用;React 只关心视图层,其余的交给社区。
        2. 状态管理
        Vue 的响应式系统自动追踪依赖;React 依靠不可变数据和显式的状态更新。
        """
        let p = try page(text)
        #expect(p.frontMatter.byline?.name == "林晓舟")
        #expect(Bylines.cjkName("김민준") && !Bylines.cjkName("React") && !Bylines.cjkName("一文讲清核心差异"))
        #expect(Lines.line("ZDNET Recommends", number: 1).cue.contains(.footer))
        #expect(Lines.line("Leia sobre o MongoDB »", number: 1).cue.contains(.button))
        #expect(Lines.line("登录 / 注册 即可发布评论!", number: 1).cue.contains(.footer))
        #expect(Lines.line("相关推荐", number: 1).cue.contains(.footer))
        #expect(Lines.line("标签:", number: 1).cue.contains(.label))
        #expect(!Lines.line("Which one the team recommends", number: 1).cue.contains(.footer))
    }

    /// A link site's title carries the linked domain, a tracker's the issue's number; a forum names its
    /// poster with how long ago; a course page names its writer only in its copyright line (said in a warning).
    @Test func linkMarksRelativeDatesAndACopyrightHoldersName() throws {
        #expect(PairReader.stripSiteSuffix("Why Uber Engineering Switched from Postgres to MySQL (eng.uber.com)") == "Why Uber Engineering Switched from Postgres to MySQL")
        #expect(PairReader.stripSiteSuffix("Why do you favor npm over Yarn? #540") == "Why do you favor npm over Yarn?")
        #expect(PairReader.stripSiteSuffix("Kafka vs Pulsar (2024 edition)") == "Kafka vs Pulsar (2024 edition)")
        #expect(PairReader.stripSiteSuffix("C# vs F#") == "C# vs F#")
        #expect(Bylines.afterMarker("164 points by quietgrove 7 years ago | hide | past | 58 comments")?.0 == "quietgrove")
        let course = """
        Home CPSC 210
        Linked Lists vs Array Lists
        This lab compares linked lists and array lists by timing the same operations on each, so you can see where linked lists win and where array lists do.
        Inserting at the front
        Array lists move every element to make room; linked lists only relink the head node.
        Reading by index
        Array lists jump straight to the slot; linked lists walk the nodes one by one.
        Copyright © 2024 Marta Lindqvist
        """
        let (page, diagnostics) = normalise(course)
        #expect(page?.frontMatter.byline?.name == "Marta Lindqvist")
        #expect(diagnostics.contains { $0.message.contains("copyright holder") && $0.line == 8 })
        let company = course.replacingOccurrences(of: "Marta Lindqvist", with: "Acme Corporation")
        #expect(normalise(company).0?.frontMatter.byline == nil)
        // A brand of two capitalised words says more after it: a company's line, not a person's.
        let brand = course.replacingOccurrences(of: "Copyright © 2024 Marta Lindqvist", with: "© 2026 Garnet Grid. All rights reserved.")
        #expect(normalise(brand).0?.frontMatter.byline == nil)
        #expect(Vocabulary.copyrightHolder("© 2026 VeloCMS. Made in Lisbon.") == "VeloCMS")
    }

    /// Pages in Vietnamese, Polish, Russian, Turkish and Indonesian: their joiners and comparing words
    /// name the pair, and their furniture (skip links, share buttons, contents boxes, tags, author cards,
    /// related posts, comment forms, buttons, by-lines and dates) is known as the English is.
    @Test func furnitureInMoreLanguages() throws {
        let vi = try page("Trang chủ » Kiến thức\nSo sánh Kubernetes và Docker chi tiết\nĐăng bởi: Nguyễn Minh Tuấn\nChia sẻ\nSao chép link\n" + Self.body)
        #expect(vi.frontMatter.subjects == ["Kubernetes", "Docker"])
        #expect(vi.frontMatter.byline?.name == "Nguyễn Minh Tuấn")
        #expect(!vi.sections.contains { $0.heading == "Sao chép link" })
        let ru = try page("Перейти к содержимому\nPostgreSQL или MySQL?\nОпубликовано 14.05.2019 автором Олег Савчук\n" + Self.body
                          + "\nМетки: MySQL, PostgreSQL\nДобавить комментарий\nВаш адрес email не будет опубликован.\nОтправить комментарий\n")
        #expect(ru.frontMatter.subjects == ["PostgreSQL", "MySQL"])
        #expect(ru.frontMatter.byline?.name == "Олег Савчук")
        #expect(ru.sections.map(\.heading) == ["Overview", "Performance"])
        // An author card after the article: its name over the bio heads no section of the article's.
        let card = try page("Angular vs React: pytania rekrutacyjne\nMichał Zieliński · 12 marca 2025 · 11 min czytania\n" + Self.body
                            + "\nO autorze\nMichał Zieliński\nOd ośmiu lat pisze frontend w Angularze i Reakcie, prowadzi rekrutacje techniczne i uczy juniorów, jak mówić o kompromisach.\n")
        #expect(card.sections.map(\.heading) == ["Overview", "Performance"])
        // "Oleh" is a first name, not Indonesian "by".
        #expect(Bylines.afterMarker("Oleh Petrenko · 12 March 2025") == nil)
        // Their aspects name technical sections as the English ones do.
        let aspects = try page("PostgreSQL или MySQL?\nОпубликовано 14.05.2019 автором Олег Савчук\n"
                               + "Репликация и транзакции\nОбе СУБД умеют реплицировать данные, но делают это по-разному и с разными гарантиями.\n"
                               + "Документация и сообщество\nУ обеих СУБД подробная документация и большое сообщество, готовое помочь новичку.\n")
        #expect(aspects.sections.map(\.role) == [.technical, .other])
        for (line, cue) in [("Spis treści", Cue.toc), ("Powiązane artykuły", .footer), ("Kup zestaw", .button), ("Tagi: Angular, React", .label),
                            ("Przejdź do treści", .skipLink), ("Поделиться", .share), ("İçindekiler", .toc), ("Michał Zieliński · 12 marca 2025", .date)] {
            #expect(Lines.line(Substring(line), number: 1).cue.contains(cue), "\(line)")
        }
    }

    /// Readers' comments under their counted head are the page's, not the article's (a count in the meta
    /// line under the headline starts nothing, and a video's transcript after the comments is the article);
    /// a lead-in ending on a colon keeps the unwrapped lines under it as its list, unjoined.
    @Test func readersCommentsAndListsUnderALeadIn() throws {
        let post = """
        Kafka vs. RabbitMQ: Letters and Ledgers
        Anna Petrov
        Mar 22 · 3 comments
        RabbitMQ hands each message to one worker and forgets it once the worker says it is done with the job.
        Kafka keeps every event in an ordered log, and each reader remembers for itself how far along it has got.
        Which one to pick
        Reach for Kafka when:
        several services need to read the same events
        you want to replay history or rebuild state from it
        you are pushing a lot of data through a pipeline
        Wrapping up
        Neither one is better in general, and plenty of teams run both of them side by side without any trouble.
        Top comments (2)
        Lena Fischer
        Great write-up, although I would have liked a word on RabbitMQ streams, which blur the line a little.
        Omar Haddad
        We run both in production and the only real pain is keeping two sets of dashboards in good shape.
        """
        let p = try page(post)
        #expect(p.sections.map(\.heading) == ["Which one to pick", "Wrapping up"])
        let markdown = PageMarkdown.write(p)
        #expect(markdown.contains("Reach for Kafka when:\n\n- several services need to read the same events\n- you want to replay history"))
        #expect(!markdown.contains("dashboards"), "a reader's comment is left out")
        #expect(!markdown.contains("Top comments"))
        #expect(markdown.contains("Neither one is better in general"))
        // A thread (a question with no sections of its own, then the replies): the replies are what the page says.
        let thread = """
        Posted by u/quietfern_42 1 year ago
        Wayland vs X11 for gaming on KDE: is X still the safer pick?
        I moved my desktop to Fedora KDE a few months ago and most of it has been great, but a few games flicker.
        When I switch to the X11 session the flicker goes, but I get tearing on my second monitor instead.
        So for people who game on Linux: which session are you actually running day to day, and why is that?
        43 comments
        level 1
        marrow_and_vim
        On NVIDIA the flicker is almost certainly the sync issue in XWayland, which the 555 driver is meant to fix.
        Until explicit sync lands in the driver and in KWin, XWayland windows can show frames out of order on that card.
        level 1
        kalebrandt
        Xfce and Cinnamon have no finished Wayland session yet, so if you ever leave KDE or GNOME the choice is made for you.
        """
        let t = try page(thread)
        #expect(PageMarkdown.write(t).contains("555 driver"))
        #expect(t.frontMatter.byline?.name == "quietfern_42")
        // A thread's comment tree as copied: its levels, its vote share, the poster's mark.
        for line in ["level 1", "level 12", "94% Upvoted", "OP", "Log in or sign up to leave a comment"] {
            #expect(Lines.line(Substring(line), number: 1).cue.contains(.forum), "\(line)")
        }
        #expect(!Lines.line("level up your pipeline", number: 1).cue.contains(.forum))
        // A button is a whole word: "Submit", "Subscribe now"; "Submitting" heads a section.
        #expect(Lines.line("Submit", number: 1).cue.contains(.button))
        #expect(Lines.line("Subscribe now", number: 1).cue.contains(.button))
        #expect(!Lines.line("Submitting", number: 1).cue.contains(.button))
        #expect(!Lines.line("Subscribers", number: 1).cue.contains(.button))
        // A line that starts on a lower-case 'you' is no heading.
        #expect(!p.sections.contains { $0.heading.hasPrefix("you ") })
        // A video page: the transcript after the comments is what the page says.
        let video = post.replacingOccurrences(of: "Omar Haddad", with: "Transcript\nWhere the log wins\nThe log keeps everything, so a new service can start from the beginning and catch up at its own pace.\nOmar Haddad")
        let v = try page(video)
        #expect(v.sections.map(\.heading).contains("Where the log wins"))
    }

    /// The furniture of discussion pages: a link site's comment headers, a tracker's timeline and sidebar,
    /// sort switches, a publication's "Published in" line, a video's transcript panel and chapter list.
    @Test func discussionAndVideoPageFurniture() throws {
        #expect(Lines.line("dmorrow 7 years ago | root | parent | next [–]", number: 1).cue.contains(.forum))
        #expect(Lines.line("tobiaslund closed this as completed Apr 14, 2020", number: 1).cue.contains(.forum))
        #expect(Lines.line("No one assigned", number: 1).cue.contains(.forum))
        #expect(Lines.line("Sort: Best New Old", number: 1).cue.contains(.forum))
        #expect(Lines.line("Published in Geckoboard: Under The Hood", number: 1).cue.contains(.label))
        #expect(!Lines.line("Published in 2019, the report changed how teams pick a queue.", number: 1).cue.contains(.label))
        #expect(Lines.line("Follow along using the transcript.", number: 1).cue.contains(.embed))
        #expect(Lines.line("What are your thoughts?", number: 1).cue.contains(.footer))
        #expect(Lines.line("Chapters", number: 1).cue.contains(.toc))
        // A shop's product card: stars, a count of reviews, a price range and its button; a price is no code.
        #expect(Lines.line("★★★★☆ 4.1", number: 1).cue.contains(.number))
        #expect(Lines.line("23 reviews", number: 1).cue.contains(.views))
        #expect(Lines.line("Compare prices 14", number: 1).cue.contains(.button))
        #expect(Lines.line("from $94 to $128", number: 1).code < 1.5 && Lines.line("echo $HOME > out.txt", number: 1).code >= 1.5)
        #expect(LayoutContext.unnumbered("0:00 intro") == "intro" && LayoutContext.unnumbered("12:30 my pick") == "my pick")
        #expect(Vocabulary.timeMark("0:08") && Vocabulary.timeMark("1:02:45") && !Vocabulary.timeMark("8080:80") && !Vocabulary.timeMark("3:1"))
        // A transcript's time marks are no list items: the captions read as text.
        let transcript = try page("""
        Go vs Rust: which one should you learn next?
        Go and Rust both compile to fast native binaries, but Go and Rust ask very different things of the programmer.
        Transcript
        0:00
        Go or Rust: which one should you learn next, and which one is faster?
        0:08
        We will get to all of that, but first here is the plan for the video.
        """)
        #expect(!PageMarkdown.write(transcript).contains("0:08"))
    }

    /// "Linked Lists vs Array Lists": the noun both sides share names neither alone.
    @Test func pairsSharingTheirNounKeepTheWordBeforeIt() {
        let finder = SubjectFinder(document: "Linked Lists vs Array Lists\nLinkedList and ArrayList store lists.", prose: "LinkedList and ArrayList store lists.")
        #expect(finder.match(in: "Lab 2: Linked Lists vs. Array Lists", weak: false)?.subjects == ["Linked Lists", "Array Lists"])
        #expect(finder.match(in: "Kafka vs Pulsar", weak: false)?.subjects == ["Kafka", "Pulsar"])
    }

    /// Code copied with its line numbers ("1", "2", "3" a line each, then the lines): the numbers are the
    /// gutter, not text; a rating's "1" to "5" over its vote count and the article is no code.
    @Test func codeCopiedWithItsLineNumbers() {
        let code = Lines.read("Ein Alias genügt:\n1\n2\n3\nalias docker=podman\ndocker run -d --name web -p 8080:80 nginx:alpine\ndocker ps\nDanach läuft alles wie gewohnt.")
        let runs = Structure.codeRuns(code)
        #expect(runs.count == 1 && runs.first?.lines == 4...6 && runs.first?.gutter == 1...3)
        let drawing = Lines.read("So sieht es aus:\n1\n2\n┌──────┐\n│ CLI  │\nDanach läuft alles wie gewohnt.")
        #expect(Structure.codeRuns(drawing).first?.lines == 3...4)
        let rating = Lines.read("Vota questo articolo\n1\n2\n3\n4\n5\n(3 Voti)\nTutti e due hanno lo schermo touch e una luce integrata, e tutti e due hanno venduto bene.\nMa quale scegliere per leggere a letto?\nLa risposta dipende da cosa leggete.\nE da quanto spendete.")
        #expect(Structure.codeRuns(rating).isEmpty)
    }

    @Test func shortCJKQuestionsAndCommentPrompts() {
        #expect(!Lines.line("どっちがいい?", number: 1).prose)
        #expect(Lines.line("GoとRustはどちらも単一のバイナリを作ることができます。", number: 1).prose)
        #expect(Lines.line("この記事にコメントしてみよう!", number: 1).cue.contains(.footer))
        #expect(Lines.line("댓글 남기기", number: 1).cue.contains(.footer))
    }

    /// A name written against CJK text with no space ("Swiftが向いている人") is named in the heading.
    @Test func aNameAgainstCJKTextIsNamed() {
        #expect(RoleClassifier.subjectsNamed(in: "Swiftが向いている人", subjects: ["Swift", "Kotlin"]) == [0])
        #expect(RoleClassifier.subjectsNamed(in: "Kotlin를 추천하는 경우", subjects: ["Swift", "Kotlin"]) == [1])
        #expect(RoleClassifier.subjectsNamed(in: "Swiftyの話", subjects: ["Swift", "Kotlin"]).isEmpty)
    }

    /// Dates written with 年/月 (Japanese, Chinese) or 년/월 (Korean) are dates, and a user's "@handle"
    /// by the post's date is its by-line.
    @Test func cjkDatesAndAHandleByTheDate() throws {
        #expect(Vocabulary.metaScan("投稿日 2024年03月05日").date)
        #expect(Vocabulary.metaScan("게시일 2024년 3월 5일").date)
        #expect(!Vocabulary.metaScan("2024年に公開").date)
        let text = """
        Blog
        @hanako_dev
        投稿日 2024年03月05日
        Go vs Rust どっちを選ぶ?
        GoとRustはどちらも単一のバイナリを作ることができますが、書き心地はかなり違います。
        ビルド速度
        Goのビルドはとても速くて、大きなプロジェクトでも待ち時間がほとんどありません。
        """
        let p = try page(text)
        #expect(p.frontMatter.byline?.name == "hanako_dev")
    }

    /// A product's design or development philosophy is how it is built: a technical aspect, in the
    /// languages pages are written in.
    @Test(arguments: ["Philosophie de conception", "Filosofía de diseño", "Entwicklungsphilosophie", "Design philosophy"])
    func designPhilosophyIsTechnical(_ heading: String) {
        let input = RoleClassifier.Input(heading: heading, paragraphs: ["Chaque outil a ses habitudes, et les équipes les remarquent vite."],
                                         subjects: ["Svelte", "Angular"], index: 2, count: 5)
        #expect(RoleClassifier.classify(input) == .technical)
    }

    /// The job market for the subjects' developers is not a technical aspect, as French, Spanish and German headings name it.
    @Test(arguments: ["Le marché de l'emploi", "Mercado laboral", "Arbeitsmarkt"])
    func jobMarketInOtherLanguages(_ heading: String) {
        let input = RoleClassifier.Input(heading: heading, paragraphs: ["Chaque outil a ses habitudes, et les équipes les remarquent vite."],
                                         subjects: ["Svelte", "Angular"], index: 2, count: 5)
        #expect(RoleClassifier.classify(input) == .other)
    }

    /// An offer at the end of the page in French ("Parlez-nous de votre projet", "rendez-vous") is a call to action.
    @Test func aFrenchOfferIsACallToAction() {
        let input = RoleClassifier.Input(heading: "Vous cherchez des développeurs Svelte ?",
                                         paragraphs: ["Notre équipe vous propose des profils en deux semaines. Contactez-nous pour un premier rendez-vous."],
                                         subjects: ["Svelte", "Angular"], index: 4, count: 5)
        #expect(RoleClassifier.classify(input) == .callToAction)
    }

    /// The writer as the subject of a clause ("Where I get stuck") tells their own doing, not the
    /// publisher's position; "My verdict" and "How we chose" still state it.
    @Test(arguments: [
        ("Where I get stuck every time", Role.other), ("The week I spent rewriting tests", .other),
        ("My recommendation", .ourPosition), ("How we chose our stack", .ourPosition),
    ])
    func theWriterAsSubjectIsNoPosition(_ heading: String, _ role: Role) {
        let input = RoleClassifier.Input(heading: heading, paragraphs: ["Both tools have their place, and the right one depends on the team."],
                                         subjects: ["Svelte", "Angular"], index: 2, count: 5)
        #expect(RoleClassifier.classify(input) == role)
    }

    /// A heading that opens with the pair reads by what follows it; one that says more first does not.
    @Test func aHeadingOpeningWithThePairReadsByItsTopic() {
        let subjects = ["Kindle Paperwhite", "Kobo Aura HD"]
        #expect(RoleClassifier.topic(of: "Kindle Paperwhite vs Kobo Aura HD – Kobo Aura HD advantages", subjects: subjects) == "Kobo Aura HD advantages")
        #expect(RoleClassifier.topic(of: "Kindle Paperwhite vs. Kobo Aura HD: Context", subjects: subjects) == "Context")
        #expect(RoleClassifier.topic(of: "Kindle Paperwhite vs Kobo Aura HD basics: what each is for", subjects: subjects) == "Kindle Paperwhite vs Kobo Aura HD basics: what each is for")
        #expect(RoleClassifier.topic(of: "Battery life – Kobo Aura HD", subjects: subjects) == "Battery life – Kobo Aura HD")
    }

    /// Japanese written with Latin names and no spaces: each sentence is text, not a short
    /// line of a list, so the numbered headings between them stay headings.
    @Test func sentencesMixingScriptsAreText() throws {
        let lines = Lines.read("ReactではReduxやZustand、Vue.jsではPiniaがよく使われます。")
        #expect(lines[0].prose)
        let text = """
        React vs Vue.js:フロントエンド開発の選択肢を比較する
        ReactとVue.jsはどちらも人気のあるフロントエンドライブラリですが、考え方も得意な場面も少しずつ違います。
        1. 基本的な概要
        ReactはMeta(旧Facebook)が開発したUIライブラリで、コンポーネントを組み合わせて画面を作ります。
        2. コンポーネントの設計
        Reactでは関数コンポーネントが主流です。
        3. 状態管理
        ReactではReduxやZustand、Vue.jsではPiniaがよく使われます。
        4. まとめ
        小さく始めたいならVue.js、大規模な開発ならReactが向いています。
        """
        let p = try page(text)
        // (Headings are Markdown: "1\\." keeps the number from starting a list.)
        #expect(p.sections.map { $0.heading.replacingOccurrences(of: "\\", with: "") } == ["1. 基本的な概要", "2. コンポーネントの設計", "3. 状態管理", "4. まとめ"])
    }

    @Test func aNameOverItsJobTitle() throws {
        let p = try page("Kubernetes vs Nomad: A Field Report\nBy Jane Doe\nStaff Platform Engineer\nMarch 3, 2025\n" + Self.body)
        #expect(p.frontMatter.byline?.name == "Jane Doe")
        #expect(p.frontMatter.byline?.role == "Staff Platform Engineer")
    }

    @Test func aBareByOrAJobTitleAloneIsNoByline() throws {
        for line in ["By", "Staff Platform Engineer"] {
            let p = try page("Kubernetes vs Nomad: A Field Report\n\(line)\n" + Self.body)
            #expect(p.frontMatter.byline == nil, "\(line)")
            #expect(!p.sections.contains { $0.heading == line }, "\(line)")
            #expect(!p.sections.contains { $0.role == .callToAction })
        }
    }

    // MARK: Structure

    @Test func tablesWithTabsPipesAndOneCellPerLine() throws {
        let p = try page("""
        Kubernetes vs Nomad: A Field Report

        Comparison

        Feature\tKubernetes\tNomad
        Scheduler\tkube-scheduler\tNomad scheduler
        Workloads\tContainers\tContainers, VMs, binaries

        Pipes

        | Feature | Kubernetes | Nomad |
        |---|---|---|
        | Setup | Hard | Easy |

        Cells

        Feature
        Kubernetes
        Nomad
        Learning curve
        Steep
        Gentle
        Ecosystem
        Huge
        Smaller

        Overview

        Both tools schedule containers, but they start from very different assumptions about who runs it.
        """)
        let tables = p.sections.flatMap(\.blocks).compactMap { b -> Table? in if case .table(let t) = b { return t } else { return nil } }
        #expect(tables.count == 3)
        #expect(tables.map(\.header) == [["Feature", "Kubernetes", "Nomad"], ["Feature", "Kubernetes", "Nomad"], ["Feature", "Kubernetes", "Nomad"]])
        #expect(tables.map(\.rows.count) == [2, 1, 2])
    }

    @Test func codeStaysCodeAndNeverMovesIntoTheCallToAction() throws {
        let p = try page("""
        Kubernetes vs Nomad: A Field Report
        Deploying
        A job file for Nomad is short, and the same service in Kubernetes needs a Deployment:
        job "web" {
          group "web" {
            count = 3
          }
        }
        Get Started Today
        Book a free call with our team and we will review your setup, or copy this to begin:
        kubectl apply -f deployment.yaml
        nomad job run web.nomad
        """)
        #expect(p.sections.map(\.heading) == ["Deploying", "Get Started Today"])
        let code = p.sections.flatMap(\.blocks).filter { if case .markdown(let m) = $0 { return m.hasPrefix("```") } else { return false } }
        #expect(code.count == 2)
        #expect(p.sections.last?.role != .callToAction)
    }

    @Test func rolesByMeaningInRealWording() throws {
        let p = try page("""
        Kubernetes vs Nomad: A Field Report
        TL;DR
        Pick Nomad for small teams and Kubernetes when you need its ecosystem; both run containers well.
        Bottom line
        Neither is wrong; start with what your team can operate at three in the morning.
        Which one should you choose?
        It depends on the size of your platform team and on the workloads you run besides containers.
        """)
        #expect(p.sections.map(\.role) == [.other, .other, .other])
    }

    @Test func theDeckIsTheDescription() throws {
        let p = try page("""
        Kubernetes vs Nomad: A Field Report
        What two years of running both schedulers taught a platform team of five engineers.
        Jane Doe · March 3, 2025
        """ + "\n" + Self.body)
        #expect(p.frontMatter.description == "What two years of running both schedulers taught a platform team of five engineers.")
    }

    @Test func aSecondQuestionUnderAQuestionHeadlineIsTheDek() throws {
        let p = try page("""
        Why Nomad and not Kubernetes?

        March 3, 2025 • 9 min read • by Jane Doe

        What is Nomad still good for, now that Kubernetes is everywhere?

        Picture a platform team of five engineers who are asked, once again, why they never moved to the bigger scheduler.

        """ + "\n" + Self.body)
        #expect(p.frontMatter.description == "What is Nomad still good for, now that Kubernetes is everywhere?")
        #expect(!p.sections.map(\.heading).contains("What is Nomad still good for, now that Kubernetes is everywhere?"))
    }

    @Test func aSubtitleRepeatedWithTheHeadlineIsTheDek() throws {
        let p = try page("""
        Skip to main content
        Platform Notes
        Articles
        About
        Subscribe
        Kubernetes vs Nomad: How Platform Teams Choose a Scheduler
        March 3, 2025By Jane Doe9 min read
        ...
        articles
        Picking a scheduler your platform team can live with
        Kubernetes vs Nomad: How Platform Teams Choose a Scheduler
        Picking a scheduler your platform team can live with
        Both schedulers run containers well; the differences are in who operates them and how much they ask of a team.
        """ + "\n" + Self.body)
        #expect(p.frontMatter.description == "Picking a scheduler your platform team can live with")
    }

    @Test func aSentenceOverAButtonIsNoDek() throws {
        let p = try page("""
        Kubernetes vs Nomad
        Acme watches your clusters around the clock so you can catch cost and reliability problems early.
        Product Features Start Free Trial
        Both schedulers run containers well; the differences are in who operates them and how much they ask of a team.
        """ + "\n" + Self.body)
        #expect(!p.frontMatter.description.hasPrefix("Acme watches"))
    }

    // MARK: Warnings and explanations

    @Test func explainSaysWhatEachLineWasReadAs() {
        let text = "Skip to content\nKubernetes vs Nomad: A Field Report\n" + Self.body
        let reading = Normaliser.read(Source(path: "x.txt", file: "content/x.txt", bytes: Array(text.utf8)), explain: true)
        #expect(reading.explanation.contains { $0.hasPrefix("title: Kubernetes vs Nomad: A Field Report") })
        #expect(reading.explanation.contains { $0.hasPrefix("1 ") && $0.contains("nav") })
        #expect(reading.explanation.contains { $0.hasPrefix("3 ") && $0.contains("heading") })
    }

    @Test func aCellTableIsAWarnedGuess() {
        let text = "Kubernetes vs Nomad: A Field Report\n\nCells\n\nFeature\nKubernetes\nNomad\nSetup\nHard\nEasy\nScale\nHuge\nLarge\n\nOverview\n\nBoth tools schedule containers, but they start from very different assumptions about who runs it.\n"
        let (_, d) = normalise(text)
        #expect(d.contains { $0.severity == .warning && $0.message.contains("one cell per line") && $0.line == 5 })
    }

    // MARK: Hostile input

    @Test func controlCharactersAreRemovedWithAWarning() throws {
        let text = "Kubernetes vs Nomad\u{07}: A Field \u{1B}Report\nOverview\u{00}\nBoth tools\u{0B}schedule containers, but they\u{85} start from different assumptions.\n"
        let (p, d) = normalise(text)
        let page = try #require(p)
        let all = [page.frontMatter.title, page.frontMatter.description] + page.sections.map(\.heading) + page.sections.map(\.markdown)
        for s in all {
            #expect(!s.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }, "\(s)")
        }
        #expect(d.contains { $0.severity == .warning && $0.line == 1 && $0.message.contains("control character") })
        #expect(d.contains { $0.severity == .warning && $0.line == 3 && $0.message.contains("control character") })
        // Markdown pages go through the same decoder.
        let (_, md) = normalise("---\ntitle: \"A\u{07}B\"\n---\n\nText\n", path: "x.md")
        #expect(md.contains { $0.message.contains("control character") })
    }

    /// Huge captures of four shapes (long prose, one endless line, many tiny lines, runs of
    /// brackets) are read or refused in time that grows with their size, not faster: each shape
    /// is read at two sizes, the second four times the first. A linear reader takes about four
    /// times as long on the second; a quadratic one sixteen times. (A ratio, not a time, so a
    /// loaded or slow machine does not fail it.)
    @Test func hugeCapturesAreReadInLinearTime() {
        let paragraph = "Kubernetes and Nomad both schedule containers, and this sentence repeats to make the file large. "
        func prose(_ scale: Int) -> String {
            var big = "Kubernetes vs Nomad: A Field Report\n"
            var n = 0
            while big.utf8.count < 250_000 * scale {
                n += 1
                big += (n % 40 == 0 ? "Section \(n)\n" : "") + String(repeating: paragraph, count: 4) + "\n"
            }
            return big
        }
        let shapes: [(String, (Int) -> String)] = [
            ("prose", prose),
            ("one line", { "Kubernetes vs Nomad: A Field Report\nOverview\n" + String(repeating: "word ", count: 50_000 * $0) + "\n" }),
            ("many lines", { "Kubernetes vs Nomad: A Field Report\n" + String(repeating: "x\n", count: 20_000 * $0) }),
            ("brackets", { "Kubernetes vs Nomad: A Field Report\nOverview\n" + String(repeating: "{", count: 25_000 * $0) + "\n"
                + String(repeating: "(", count: 25_000 * $0) + "\n" }),
        ]
        func read(_ text: String) -> (Double, SourceTextParser.Reading) {
            let start = Date()
            let reading = Normaliser.read(Source(path: "big.txt", file: "content/big.txt", bytes: Array(text.utf8)))
            return (Date().timeIntervalSince(start), reading)
        }
        for (name, make) in shapes {
            let small = make(1), large = make(4)
            // The smaller size's best of two, so that one slow moment does not make it look cheap.
            let once = min(read(small).0, read(small).0)
            let (fourTimes, reading) = read(large)
            #expect(fourTimes < 8 * once + 0.25, "\(name): \(once) s for \(small.utf8.count) bytes, \(fourTimes) s for \(large.utf8.count)")
            #expect(reading.page != nil || reading.diagnostics.contains { $0.severity == .error }, "\(name)")
        }
    }

    // MARK: The generated corpus

    /// Subjects in page order on 2,000 generated source texts (bench/gen_corpus.py --format source).
    @Test func generatedSourceTextsFindSubjectsInPageOrder() throws {
        let script = repositoryRoot + "/../shared/bench/gen_corpus.py"
        guard FileManager.default.fileExists(atPath: script) else {
            Issue.record("gen_corpus.py not found at \(script)")
            return
        }
        let out = NSTemporaryDirectory() + "versus-gen-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--pages", "2000", "--out", out, "--format", "source"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let files = try FileIO.disk.list(out).filter { $0.hasSuffix(".txt") && !$0.contains("/") }
        #expect(files.count == 2000)
        var wrong: [String] = []
        for name in files {
            let bytes = try FileIO.disk.read(out + "/" + name)
            let text = String(decoding: bytes, as: UTF8.self)
            // The generator's title: "X vs Y for Enterprise Engineering", maybe with a facet and a suffix.
            guard let line = text.split(separator: "\n").first(where: { $0.contains(" for Enterprise Engineering") }),
                  let vs = line.range(of: " vs "), let tail = line.range(of: " for Enterprise Engineering") else { continue }
            let want = [String(line[..<vs.lowerBound]), String(line[vs.upperBound..<tail.lowerBound])]
            let (page, d) = Normaliser.normalise(Source(path: name, file: name, bytes: bytes))
            if page?.frontMatter.subjects != want { wrong.append("\(name): \(page?.frontMatter.subjects ?? []) \(d)") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) of \(files.count): \(wrong.prefix(5))")
    }

    /// `versus normalize` output saved as `.md` builds the same page, for the tune captures too.
    @Test func normalisedCapturesRoundTrip() throws {
        let folder = repositoryRoot + "/Tests/Fixtures/captures/tune"
        for name in try FileIO.disk.list(folder).filter({ $0.hasSuffix(".txt") }).sorted() {
            let bytes = try FileIO.disk.read(folder + "/" + name)
            guard let original = Normaliser.normalise(Source(path: name, bytes: bytes)).page else { continue }
            let markdown = PageMarkdown.write(original)
            let (again, d) = normalise(markdown, path: "taken-over.md")
            #expect(!d.hasErrors, "\(name): \(d)")
            guard let taken = again else { continue }
            #expect(taken.frontMatter.title == original.frontMatter.title, "\(name)")
            #expect(taken.frontMatter.subjects == original.frontMatter.subjects, "\(name)")
            #expect(taken.frontMatter.slug == original.frontMatter.slug, "\(name)")
            #expect(taken.frontMatter.description == original.frontMatter.description, "\(name)")
            #expect(taken.frontMatter.byline == original.frontMatter.byline, "\(name)")
            #expect(taken.lead == original.lead, "\(name)")
            #expect(taken.sections == original.sections, "\(name)")
            #expect(PageMarkdown.write(taken) == markdown, "\(name)")
        }
    }
}

/// The one whitespace trim the stages use gives what Foundation's `.whitespaces` trim gives.
@Suite struct TrimTests {
    @Test(arguments: ["", " ", "\t \t", "a", "  a b  ", "\ta\t", "\u{00A0}nbsp\u{00A0}", "\u{3000}全角\u{3000}", " \u{2009}thin\u{202F} ",
                      "line\n", "\nline", " e\u{301} ", " \u{301}mark", "é ", "\u{00A0}", "x\u{200B}", "\u{1680}ogham", "\r\n"])
    func trimmingWhitespaceIsFoundationsTrim(_ text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
        #expect(text.trimmingWhitespace().unicodeScalars.elementsEqual(text.trimmingCharacters(in: .whitespaces).unicodeScalars))
        let padded = "  " + text + "\t"
        #expect(padded[...].dropFirst(1).trimmingWhitespace() == padded.dropFirst(1).trimmingCharacters(in: .whitespaces))
    }

    #if os(Linux)
    @Test func everyScalarFoundationTrimsIsTrimmed() {
        for v in 0...0x10FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            if ByteText.isWhitespace(u) != CharacterSet.whitespaces.contains(u) { Issue.record("U+\(String(v, radix: 16))") }
        }
    }
    #endif
}

/// The reader's byte-level tests give what the character-level forms they replace give: each is
/// checked against that form on ASCII and on other scripts, at every run length around eight bytes.
@Suite struct ByteLevelTests {
    static let texts = ["", "a", "Kafka", "KAFKA vs Pulsar", "abcdefgh", "ABCDEFGHI", "Ölçek vs Ärger", "Vue和React的区别",
                        "café\u{301} AU lait", "e\u{301}", "Paddle's Pricing: 2024!", "  spaced  out  ", "tab\tX", "#Tags +C++ (beta) [x] @me?",
                        String(repeating: "AbC", count: 11), "x—y…Z’s", "K\u{212A}elvin"]

    /// ASCII capitals lower-cased eight bytes at a time, as `lowercased()` would (other scripts go through it).
    @Test(arguments: texts)
    func loweredIsLowercased(_ text: String) {
        #expect(ByteText.lowered(text) == Array(text.lowercased().utf8))
        #expect(ByteText.lowered(text, limit: 5) == Array(text.lowercased().utf8.prefix(5)) || !text.isASCIIText)
        #expect(text.isASCIIText == text.unicodeScalars.allSatisfy(\.isASCII))
        #expect(text.dropFirst().isASCIIText == text.dropFirst().unicodeScalars.allSatisfy(\.isASCII))
    }

    /// The text lower-cased a scalar at a time where it is not ASCII is `lowercased()`, and the first
    /// bytes of it are those of the lower-cased first characters (`lowered(_:limit:)`, at every limit).
    @Test(arguments: texts + ["İstanbul ΣΑΣ Ωmega \u{212B}ngström ẞtraße ǅemal", "Ⅻ Ⓐ 𐐀𐐨 ꭰ ᏸ", "ﬀ ŉ İİİİİİ", "“Quoted” — It’s ✅ 🚀 東京 서울 …",
                              "\u{1F1E9}\u{1F1EA} e\u{301}E\u{301}", "ЁЛКА ёлка Άλφα"])
    func lowercasedIsLowercased(_ text: String) {
        #expect(ByteText.lowercased(text) == text.lowercased())
        #expect(ByteText.lowercased(text.dropFirst()) == text.dropFirst().lowercased())
        for limit in 0...(text.utf8.count + 2) {
            #expect(ByteText.lowered(text, limit: limit) == Array(String(text.prefix(limit)).lowercased().utf8.prefix(limit)), "limit \(limit)")
        }
    }

    /// A prefix or suffix found over the bytes is found as `hasPrefix` and `hasSuffix` find it, a
    /// character at a time: next to combining marks, joiners, CR LF, and the three scalars that equal
    /// ASCII characters (";", "`", "K"), in texts of other scripts and slices of them.
    @Test func prefixesAndSuffixesAreFoundAsCharacters() {
        let texts = Self.texts + ["x\u{301}y", "e\u{301}", "re: x", "Re: x", "level 3", "\u{212A}elvin", "kelvin", "a\u{37E} b", "a; b", "\u{1FEF}x", "`x",
                             "line\r\n", "line\r", "\r\nx", "\nx", "👍🏽 ok", "ok 👍🏽", "ok\u{200D}👍", "by Ana", "by A\u{301}na", "— by X", "x —", "ab\u{308}",
                             "\u{600}12 by", "trusted by e\u{301}", "posts: 12", "x", "", "écrit par X", "e\u{301}crit par X", "tác giả: Y", "ta\u{301}c giả: Y",
                             "Kel", "\u{212A}el", "; b", "«x", "по имени", "\r\n"]
        let ends = ["", "x", "e", "re: ", "level ", "k", "K", ";", "`", "\n", "\r", "\r\n", "line", "ok", "by ", "a", "ab", "b", "12", "— ", "é", "12 by", "y", "na",
                    "écrit par ", "e\u{301}", "tác giả: ", "ta\u{301}", "\u{212A}el", "\u{37E} b", "x\u{301}", "re\u{301}", "«", "👍", "по "]
        for text in texts {
            for part in [text[...], text.dropFirst(), text.dropLast()] {
                for end in ends {
                    #expect(ByteText.hasPrefix(part, end) == part.hasPrefix(end), "\(Array(part.utf8)) hasPrefix \(Array(end.utf8))")
                    #expect(ByteText.hasSuffix(part, end) == part.hasSuffix(end), "\(Array(part.utf8)) hasSuffix \(Array(end.utf8))")
                }
            }
        }
    }

    /// A needle found over the bytes is found as Foundation's `contains` finds it: next to combining
    /// marks, joiners and format characters, quotes and dashes, CR LF, the three scalars that equal
    /// ASCII characters, and text in other scripts.
    @Test func needlesAreFoundAsFoundationFindsThem() {
        let hays = Self.texts + ["try Acme now", "try Acme\u{301} now", "“try acme”", "—try acme—", "x\u{200D}try acme", "try acme\u{200D}",
                                 "try acme\u{2060}", "\u{2028}try acme\u{2028}", "café try acme…", "\u{212A}ubernetes", "Kubernetes",
                                 "a\u{37E} b", "a; b", "\r\ntry acme", "try\u{A0}acme", "try acme\u{308}s", "ʼtry acmeʼ", "try ACME", "get e\u{301}x", "get éx",
                                 "\u{600}try acme", "try acme\u{600}", "👍🏽try acme👍🏽", "by Ana · Editor", "by Ana\u{301} · Editor", ""]
        let needles = ["try acme", "try ", "acme", "Kubernetes", "ubernetes", "a; b", "; b", "get e", "get é", "Ana", "by Ana", "Editor", "x", " ", "é", "K", ""]
        for hay in hays {
            for part in [hay[...], hay.dropFirst(), hay.dropLast()] {
                for needle in needles {
                    #expect(ByteText.finds(needle, in: part) == part.contains(needle), "\(Array(part.utf8)) contains \(Array(needle.utf8))")
                }
            }
        }
    }

    /// Every scalar `caseless` copies is one that `lowercaseMapping` keeps as it is.
    @Test func everyCaselessScalarIsItsOwnLowercase() {
        var copied = 0
        for v in UInt32(0x80)...0x10FFFF where ByteText.caseless(v) {
            guard let u = Unicode.Scalar(v) else { continue }
            copied += 1
            if !u.properties.lowercaseMapping.unicodeScalars.elementsEqual([u]) { Issue.record("U+\(String(v, radix: 16))") }
        }
        #expect(copied > 30_000)
    }

    /// A joiner's word hashed in place is the hash of the word as it was copied out and lower-cased.
    @Test(arguments: ["Kafka vs Pulsar", "Kafka VS. Pulsar", "Go and not Rust", "AND NOT", "Vue或React", "from Webpack to Vite",
                      "extraordinarily-long-word vs x", "a , or b", "X beats Y!", "rather: than", "vs", "", "   ", "Nomad? Over Kubernetes"])
    func joinerKindsAreTheCopiedWords(_ text: String) {
        // The reference: each word copied, lower-cased, cut at 12 bytes (padded with zeros), trailing marks dropped.
        var kinds: SubjectFinder.JoinerKinds = []
        var previous: UInt64 = 0
        for word in SubjectFinder.spacedScripts(text).utf8.split(separator: 32) {
            var bytes = word.enumerated().map { $0.offset < 12 ? ($0.element >= 65 && $0.element <= 90 ? $0.element + 32 : $0.element) : 0 }
            while let l = bytes.last, [46, 44, 58, 59, 33, 63].contains(l) { bytes.removeLast() }
            guard !bytes.isEmpty else { continue }
            let h = Phrase.hash(bytes)
            let words = ["vs", "v", "v/s", "versus", "对比", "contra", "compared", "comparado", "frente", "face"]
            if words.map(Phrase.hash).contains(h) { kinds.insert(.versus) }
            else if ["over", "beats", "against", "instead", "rather"].map(Phrase.hash).contains(h) || h == Phrase.hash("not") && previous == Phrase.hash("and") {
                kinds.insert(.prefer)
            } else if (Array(SubjectFinder.weakJoiners) + ["with", "to"]).map(Phrase.hash).contains(h) { kinds.insert(.weak) }
            previous = h
        }
        #expect(SubjectFinder.joinerKinds(text) == kinds, "\(text)")
    }

    /// The layout key by a table is the key the byte tests made.
    @Test(arguments: texts)
    func layoutKeyIsTheTestedBytes(_ text: String) {
        var out: [UInt8] = []
        var pending = false
        for b in text.utf8 {
            if (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b >= 0x80 || b == 43 || b == 35 || (b >= 65 && b <= 90) {
                if pending && !out.isEmpty { out.append(32) }
                pending = false
                out.append(b >= 65 && b <= 90 ? b + 32 : b)
            } else if b != 39 { pending = true }
        }
        #expect(LayoutContext.key(text) == String(decoding: out, as: UTF8.self))
    }

    /// Tested by the byte, a lower-case name is what the character tests call one; a job noun,
    /// looked up by the hash of its key, is one whose key is in the list.
    @Test(arguments: texts + ["npm", "containerd", "k8s.io", "x-ray", "cost", "Engineer,", "(CTO)", "lead.", "Ingénieur", "ENGINEERS"])
    func namesAndJobNounsByTheByte(_ word: String) {
        let byCharacter = word.first?.isLetter == true && word.allCharacters([.letter, .number], or: ".-") && word.count >= 2
            && !SubjectFinder.commonWords.contains(word.lowercased()) && !SubjectFinder.stopwords.contains(word.lowercased())
        #expect(SubjectFinder.isLowercaseName(word) == byCharacter, "\(word)")
        #expect(Bylines.isJobNoun(Substring(word)) == Bylines.jobNouns.contains(Vocabulary.key(word)), "\(word)")
    }

    /// Split by the byte when ASCII, a title loses its qualifier as it did split by character;
    /// a path's parent is cut at its last "/".
    @Test func qualifiersAndParents() {
        for title in ["Kafka vs Pulsar for Enterprise Engineering: Cost", "A vs B in Production (2024)", "A  vs B for  x | y", "Ölçek vs Ärger for Teams: Cost"] {
            let words = title.split(separator: " ", omittingEmptySubsequences: false)
            #expect(Titles.dropQualifier(title).split(separator: " ", omittingEmptySubsequences: false).count <= words.count)
        }
        #expect(Titles.dropQualifier("Kafka vs Pulsar for Enterprise Engineering: Cost") == "Kafka vs Pulsar: Cost")
        #expect(Titles.dropQualifier("A  vs B in x (2024)") == "A  vs B (2024)")
        #expect(Disk.parent(of: "/out/a/index.html") == "/out/a" && Disk.parent(of: "/x") == "/" && Disk.parent(of: "x") == ".")
        #expect(Disk.parent(of: "/out/café/\u{301}x.html") == "/out/café")
    }

    /// A line's first word, its escaped line start and whether it starts in lower case, read
    /// over the bytes, agree with the reading by characters.
    @Test func lineStartsReadOverBytesAgreeWithCharacters() {
        let texts = ["", " ", "word", "two words", " lead", "ab  cd", "café au lait", "e\u{301}t\u{e9} x", "a \u{301}b c", "a\u{301} b",
                     "日本語 テキスト", "x\ty z", "1. Item", "12) x", "# Heading", "- item", "+1", "=x", "> q", "9", "1.5 GHz", "Q3 results",
                     "\u{1F600} smile", "ªb", "Ábc", "ß x", "ǅ x"]
        for text in texts {
            #expect(Structure.firstWordLength(text) == text.prefix { $0 != " " }.unicodeScalars.count, "\(text.debugDescription)")
            var line = Lines.line(Substring(text), number: 1)
            Lines.shape(&line)
            #expect(line.startsLower == (line.text.unicodeScalars.first?.properties.isLowercase ?? false), "\(text.debugDescription)")
        }
        #expect(MarkdownEscape.escapeLineStart("Word") == "Word" && MarkdownEscape.escapeLineStart("zeta") == "zeta")
        #expect(MarkdownEscape.escapeLineStart("# x") == "\\# x" && MarkdownEscape.escapeLineStart("1. x") == "1\\. x")
        #expect(MarkdownEscape.escapeLineStart("12) x") == "12\\) x" && MarkdownEscape.escapeLineStart("1.5 GHz") == "1\\.5 GHz")
    }

    /// Whether a line says it compares, told from its bytes first for ASCII: lines with and without
    /// each word looked for (in capitals too) agree with the reading by tokens.
    @Test func aLineThatComparesIsToldFromItsStems() {
        let words = SubjectFinder.differenceWords.filter(\.isASCIIText) + ["compare", "comparing", "comparison"]
        var lines = ["Kubernetes and Nomad", "What is the difference between curl and wget?", "Vue or React", "Differences: Kafka and Pulsar",
                     "\"Comparing\" Redis and Memcached", "Die Unterschiede zwischen A und B", "A und B im Vergleich", "Vue和React有什么区别",
                     "Diferença entre MySQL e PostgreSQL", "perbandingan A dan B", "A ve B farkı", "Indifferent to A and B", "compare.", ""]
        lines += words.map { "A and B: \($0.uppercased())" } + words.map { "(\($0)) A or B" }
        for line in lines {
            #expect(SubjectFinder.saysItCompares(line) == SubjectFinder.saysItCompares(SubjectFinder.tokenize(SubjectFinder.spacedScripts(line))),
                    "\(line.debugDescription)")
        }
        #expect(SubjectFinder.saysItCompares("What is the difference between curl and wget?"))
        #expect(!SubjectFinder.saysItCompares("Kubernetes and Nomad"))
    }

    /// A line carries the layout's key of its text, made when the text is set (and again when it
    /// changes), so a line read once for the site is keyed once.
    @Test func aLineCarriesTheKeyOfItsText() {
        for text in ["Kubernetes vs Nomad: Which One?", "  Paddle's   pricing ", "", "—", "Café & crème", "C++ / C#", "[edit] Architecture"] {
            var line = Lines.line(Substring(text), number: 3)
            #expect(line.layoutKey == LayoutContext.key(line.text), "\(text.debugDescription)")
            let copy = line
            line.text = text + " again"
            #expect(line.layoutKey == LayoutContext.key(text + " again") && copy.layoutKey == LayoutContext.key(copy.text))
        }
    }
}
