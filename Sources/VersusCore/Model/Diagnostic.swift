/// A problem found in the input, reported the way a compiler does:
/// `content/foo.txt:12: error: message`.
public struct Diagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable, Codable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    /// The file as the user knows it (for example `content/foo.txt`).
    public var file: String
    public var line: Int?
    /// For templates: the column of the tag.
    public var column: Int?
    public var severity: Severity
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, severity: Severity = .error, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    public static func error(_ file: String, line: Int? = nil, _ message: String) -> Diagnostic {
        Diagnostic(file: file, line: line, severity: .error, message)
    }

    public static func warning(_ file: String, line: Int? = nil, _ message: String) -> Diagnostic {
        Diagnostic(file: file, line: line, severity: .warning, message)
    }

    /// One line, as a terminal or an editor's problem matcher reads it: control characters in
    /// the file's name or the message (a newline in a file name, a NUL from YAML) are written as
    /// escapes, so no diagnostic can print a line of another.
    public var description: String {
        let location = line.map { "\(Self.printable(file)):\($0)" + (column.map { ":\($0)" } ?? "") } ?? Self.printable(file)
        return "\(location): \(severity.rawValue): \(Self.printable(message))"
    }

    /// The text with each control character (Unicode's `Cc`: C0, DEL, C1) written `\u{…}`.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for u in text.unicodeScalars {
            if isControl(u) { out += "\\u{" + String(u.value, radix: 16) + "}" } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// Unicode's `Cc` is exactly U+0000–U+001F and U+007F–U+009F (no table lookup for each scalar).
    private static func isControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || (u.value >= 0x7F && u.value <= 0x9F) }
}

extension Diagnostic {
    /// A file the build could not write or replace, blamed on the source it came from.
    public static func writeFailure(_ e: FileIOError, source: String?) -> Diagnostic {
        let what = source == nil ? "cannot write \(e.description)" : "its output cannot be written: \(e.description)"
        return .error(source ?? "output", what + (e.advice.map { "; \($0)" } ?? ""))
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Stable order: by file, then line, then message.
    public func sortedForReport() -> [Diagnostic] {
        sorted {
            ($0.file, $0.line ?? 0, $0.column ?? 0, $0.message) < ($1.file, $1.line ?? 0, $1.column ?? 0, $1.message)
        }
    }
}

/// Thrown when a build stops because of errors; carries every diagnostic.
public struct BuildFailed: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        return "build failed with \(errors) error\(errors == 1 ? "" : "s")"
    }
}
