import Mustache

/// The Mustache templates of `templates/`, parsed once.
///
/// `base` is the layout; the page templates extend it (`{{<base}}{{$main}}…{{/main}}{{/base}}`).
/// `{{name}}` escapes for HTML text and attributes; `{{{name}}}` inserts HTML the
/// renderer has already made safe (cmark output, JSON-LD).
public struct Templates: Sendable {
    /// Templates a site must have.
    public static let required = ["base", "comparison", "page", "index", "hub", "subjects", "404"]

    let library: MustacheLibrary
    /// Digest of every template's text: a change re-renders every page.
    public let fingerprint: String

    /// - Parameter sources: template name → (display path, text).
    public static func load(_ sources: [String: (file: String, text: String)]) -> (Templates?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var library = MustacheLibrary()
        FastHTML.register
        for name in sources.keys.sorted() {
            let (file, text) = sources[name]!
            do {
                // Every template escapes with the fast escaper (a template may still set its own type).
                library.register(try MustacheTemplate(string: FastHTML.pragma + text), named: name)
            } catch {
                diagnostics.append(.error(file, line: templateErrorLine(error), "template does not parse: \(error)"))
            }
        }
        for name in required where sources[name] == nil {
            diagnostics.append(.error("templates/\(name).mustache", "missing template '\(name)'"))
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        var digest = Digest()
        for name in sources.keys.sorted() {
            digest.add(name)
            digest.add(sources[name]!.text)
        }
        return (Templates(library: library, fingerprint: digest.hex), diagnostics)
    }

    public func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }

    static func templateErrorLine(_ error: Error) -> Int? {
        if let e = error as? MustacheTemplate.ParserError { return e.context.lineNumber }
        return nil
    }
}

/// HTML escaping for `{{name}}`: the same five characters swift-mustache escapes
/// (`& < > " '`), over UTF-8 bytes, with no work for text that needs none.
struct FastHTML: MustacheContentType {
    static let name = "VERSUS_HTML"
    static let pragma = "{{% CONTENT_TYPE: \(name)}}"
    static let register: Void = { MustacheContentTypes.register(FastHTML(), named: name) }()

    func escapeText(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 }) else { return text }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count + 16)
        for b in text.utf8 {
            switch b {
            case 38: out += Array("&amp;".utf8)
            case 60: out += Array("&lt;".utf8)
            case 62: out += Array("&gt;".utf8)
            case 34: out += Array("&quot;".utf8)
            case 39: out += Array("&#39;".utf8)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
