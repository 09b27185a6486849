import Yams

/// A key users write in YAML (front-matter, `cta:`), with what the reference says about it.
/// The `CodingKeys` of an input type conform, so every key has a type and a doc, and a key
/// added without them does not compile.
public protocol DocumentedKey: CodingKey, CaseIterable {
    /// What the value is: `text`, `true or false`, `a date (YYYY-MM-DD)`.
    var type: String { get }
    /// One sentence for the reference.
    var doc: String { get }
}

/// The keys a YAML mapping may hold, and the mappings under some of them: what the
/// unknown-key check walks. Mappings not listed (`roles:`) hold free keys.
public struct YAMLKeys: Sendable {
    public var names: [String]
    public var nested: [String: YAMLKeys]

    public init<K: DocumentedKey>(_ keys: K.Type, nested: [String: YAMLKeys] = [:]) {
        names = K.allCases.map(\.stringValue)
        self.nested = nested
    }
}

/// Reading typed input from a YAML node with Yams's decoder, and turning what goes wrong
/// into compiler-style diagnostics with the line of the value at fault.
public enum YAMLInput {
    /// Plain scalars are text unless they spell a boolean or a null: no other implicit
    /// typing (dates stay text, so `2024-05-01` reads as the day it names).
    static let resolver = Resolver.basic.appending(.bool).appending(.null)

    /// A value that is not what the key needs, where it is.
    struct Problem {
        var path: String
        var line: Int?
        var message: String
    }

    /// Decodes `T` from `node`. On failure, every key is decoded on its own, so each bad
    /// value is reported, not only the first.
    /// - Parameter firstLine: the file line of the YAML's first line.
    static func decode<T: Decodable>(_ type: T.Type, from node: Node, file: String, firstLine: Int, prefix: String = "") -> (T?, [Diagnostic]) {
        var warnings: [Diagnostic] = []
        let node = withoutControlCharacters(node, depth: 0) { mark, count in
            warnings.append(.warning(file, line: mark.map { $0.line + firstLine - 1 },
                                     "removed \(count) control character\(count == 1 ? "" : "s") from a value (written as an escape); a title, heading or text never carries them"))
        }
        let (value, diagnostics) = decodeClean(type, from: node, file: file, firstLine: firstLine, prefix: prefix)
        return (value, warnings + diagnostics)
    }

    /// The most values a YAML input may hold, aliases expanded.
    static let maxValues = 100_000

    /// An error when a composed YAML input holds more values than any input needs: aliases
    /// repeat what an anchor holds, so a few lines can stand for billions of values, and every
    /// later walk of them would never end. Checked right after composing.
    static func oversized(_ node: Node, file: String, line: Int) -> Diagnostic? {
        guard holdsMore(node, than: maxValues) else { return nil }
        return .error(file, line: line, "the YAML holds over \(maxValues) values once its aliases (*name) are expanded; a front-matter or config needs a few dozen")
    }

    /// Whether the tree holds more than `limit` values (keys, values and list items, each
    /// alias counted as what it repeats), counted without recursion and stopping at the limit.
    static func holdsMore(_ node: Node, than limit: Int) -> Bool {
        var pending = [node], count = 0
        while let next = pending.popLast() {
            count += 1
            if count > limit { return true }
            switch next {
            case .mapping(let mapping):
                for (key, value) in mapping { pending.append(key); pending.append(value) }
            case .sequence(let sequence):
                pending.append(contentsOf: sequence)
            case .scalar, .alias:
                break
            }
        }
        return false
    }

    /// Values with the control characters a YAML escape (`"\u0001"`) can put in them
    /// removed (C0 but tab and line ends, DEL, C1), as the ingest removes them from the
    /// bytes. Front-matter is a few levels deep: deeper values are left to the decoder.
    static func withoutControlCharacters(_ node: Node, depth: Int, _ report: (Mark?, Int) -> Void) -> Node {
        cleaned(node, depth: depth, report) ?? node
    }

    /// The node without control characters, or nil when it has none (the usual case, with nothing rebuilt).
    private static func cleaned(_ node: Node, depth: Int, _ report: (Mark?, Int) -> Void) -> Node? {
        guard depth < 8 else { return nil }
        switch node {
        case .scalar(var scalar):
            // Most values have no byte that could start a control character (C1 ones are 0xC2 0x80–0x9F).
            guard scalar.string.anyByte(where: { $0 < 0x20 || $0 == 0x7f || $0 == 0xC2 }) else { return nil }
            let bad = scalar.string.unicodeScalars.filter(isControl).count
            guard bad > 0 else { return nil }
            report(node.mark, bad)
            scalar.string = String(String.UnicodeScalarView(scalar.string.unicodeScalars.filter { !isControl($0) }))
            return .scalar(scalar)
        case .mapping(var mapping):
            var changed = false
            for (key, value) in mapping {
                guard let clean = cleaned(value, depth: depth + 1, report) else { continue }
                mapping[key] = clean
                changed = true
            }
            return changed ? .mapping(mapping) : nil
        case .sequence(var sequence):
            var changed = false
            for i in sequence.indices {
                guard let clean = cleaned(sequence[i], depth: depth + 1, report) else { continue }
                sequence[i] = clean
                changed = true
            }
            return changed ? .sequence(sequence) : nil
        case .alias:
            return nil
        }
    }

    /// The plain words a YAML resolver may read as a null or a boolean (lower-cased: YAML 1.1's
    /// and 1.2's spellings, and the ones Yams adds), and `.nan`, `.inf` and their kin.
    static let specialPlainWords: Set<String> = ["~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
                                                  ".nan", ".inf", "-.inf", "+.inf", "<<", "="]

    static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.properties.generalCategory == .control && u != "\t" && u != "\n" && u != "\r"
    }

    static func decodeClean<T: Decodable>(_ type: T.Type, from node: Node, file: String, firstLine: Int, prefix: String = "") -> (T?, [Diagnostic]) {
        // The fast decoder gives YAMLDecoder's value or gives up; YAMLDecoder then gives the value or the error.
        if let value = try? NodeDecoder.decode(type, from: node) { return (value, []) }
        do {
            return (try YAMLDecoder().decode(T.self, from: node), [])
        } catch {
            var diagnostics: [Diagnostic] = []
            if let mapping = node.mapping, mapping.count > 1 {
                for (key, value) in mapping {
                    do {
                        _ = try YAMLDecoder().decode(T.self, from: Node.mapping(Node.Mapping([(key, value)])))
                    } catch DecodingError.keyNotFound {
                        continue   // a key that is needed is reported once, from the whole mapping
                    } catch {
                        diagnostics.append(diagnostic(error, root: node, file: file, firstLine: firstLine, prefix: prefix))
                    }
                }
            }
            if diagnostics.isEmpty { diagnostics = [diagnostic(error, root: node, file: file, firstLine: firstLine, prefix: prefix)] }
            return (nil, diagnostics)
        }
    }

    /// A decoding error as a diagnostic: the dotted key, the line of its value, and what was expected.
    static func diagnostic(_ error: Error, root: Node, file: String, firstLine: Int, prefix: String = "") -> Diagnostic {
        func located(_ path: [CodingKey], _ message: String) -> Diagnostic {
            let name = ([prefix].filter { !$0.isEmpty } + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue })
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
            return .error(file, line: line(of: path, in: root, firstLine: firstLine), "'\(name)' \(message)")
        }
        switch error as? DecodingError {
        case .typeMismatch(let type, let context)?:
            return located(context.codingPath, "must be \(describe(type))")
        case .valueNotFound(let type, let context)?:
            return located(context.codingPath, "has no value; it must be \(describe(type))")
        case .keyNotFound(let key, let context)?:
            return located(context.codingPath, "needs '\(key.stringValue)'")
        case .dataCorrupted(let context)?:
            return located(context.codingPath, context.debugDescription)
        default:
            return .error(file, line: firstLine, "\(error)")
        }
    }

    /// `Bool` → "true or false", `String` → "text".
    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: return "true or false"
        case is String.Type: return "text"
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") || name.contains("KeyedDecodingContainer") { return "a mapping of keys to values" }
            // Yams's node kinds: a value that must be one of them ("Scalar": text, a number, a date).
            if name.hasSuffix("Scalar") { return "a single value (text, a number or a date), not a list or a mapping" }
            if name.hasSuffix("Sequence") { return "a list" }
            if name.hasSuffix("Mapping") { return "a mapping of keys to values" }
            return name
        }
    }

    /// The file line of the value a coding path leads to (or of the nearest value above it).
    static func line(of path: [CodingKey], in root: Node, firstLine: Int) -> Int? {
        var node = root
        for key in path {
            if let i = key.intValue, let seq = node.sequence, i < seq.count {
                node = seq[i]
            } else if let mapping = node.mapping, let value = mapping.first(where: { $0.key.scalar?.string == key.stringValue })?.value {
                node = value
            } else {
                break
            }
        }
        return node.mark.map { $0.line + firstLine - 1 }
    }

    /// Keys of `node` that `keys` does not list, each with its line and a suggestion.
    static func unknownKeys(_ node: Node, _ keys: YAMLKeys, prefix: String = "", firstLine: Int) -> [(key: String, line: Int?, suggestion: String)] {
        guard let mapping = node.mapping else { return [] }
        var out: [(String, Int?, String)] = []
        for (k, v) in mapping {
            guard let name = k.scalar?.string else { continue }
            let path = prefix.isEmpty ? name : prefix + "." + name
            if keys.names.contains(name) {
                if let nested = keys.nested[name] { out += unknownKeys(v, nested, prefix: path, firstLine: firstLine) }
            } else {
                out.append((path, k.mark.map { $0.line + firstLine - 1 }, Suggest.didYouMean(name, in: keys.names)))
            }
        }
        return out
    }
}

// MARK: Values with a written form of their own

/// Text, or a list of texts (`subjects: "A"` or `subjects: [A, B]`), each with its spaces collapsed.
public struct TextList: Decodable, Sendable, Hashable {
    public var values: [String]

    /// The texts, each with its spaces collapsed.
    init(_ texts: [String]) { values = texts.map(Text.collapse) }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        // A list read from the tree (`NodeDecoder`) is never text: asking for text first would throw once per page.
        let list = (decoder as? NodeDecoder).map { if case .sequence = $0.node { true } else { false } } ?? false
        if !list, let one = try? c.decode(String.self) {
            self.init([one])
        } else if let many = try? c.decode([String].self) {
            self.init(many)
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be text or a list of texts")
        }
    }
}

/// A day written `YYYY-MM-DD`.
public struct WrittenDay: Decodable, Sendable, Hashable {
    public var day: Day

    /// The day written, when it is one.
    init?(_ text: String) {
        guard let day = Day(text) else { return nil }
        self.day = day
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let text = try? c.decode(String.self), let written = Self(text) else {
            // Written as a date, but not a day of the calendar ("2026-02-30"): say which part is wrong.
            if let text = try? c.decode(String.self), let wrong = Day.impossible(text) {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "is written as a date, but \(wrong)")
            }
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be a date written YYYY-MM-DD")
        }
        self = written
    }
}

/// A byline written as one line: `Jane Doe — Platform Lead`.
public struct BylineText: Decodable, Sendable, Hashable {
    public var byline: Byline?

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let text = try? c.decode(String.self) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be one line of text, such as \"Jane Doe — Platform Lead\"")
        }
        self.init(text)
    }

    /// The byline a line of text gives.
    init(_ text: String) {
        let s = Text.collapse(text)
        byline = s.isEmpty ? nil : SourceTextParser.parseByline(s) ?? Byline(text: s, name: s, role: nil)
    }
}

/// Section headings mapped to the roles they are pinned to.
public struct RoleMap: Decodable, Sendable, Hashable {
    public var roles: [String: Role]

    struct Heading: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Heading.self)
        var roles: [String: Role] = [:]
        for key in c.allKeys {
            guard let name = try? c.decode(String.self, forKey: key), let role = Role(rawValue: name) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
                    "is not a role: use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            roles[Text.collapse(key.stringValue)] = role
        }
        self.roles = roles
    }
}
