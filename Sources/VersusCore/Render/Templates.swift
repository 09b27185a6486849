import Mustache

/// The Mustache templates of `templates/`, parsed once.
///
/// `base` is the layout; the page templates extend it (`{{<base}}{{$main}}…{{/main}}{{/base}}`).
/// `{{name}}` escapes for HTML text and attributes; `{{{name}}}` inserts HTML the
/// renderer has already made safe (cmark output, JSON-LD).
public struct Templates: Sendable {
    /// Templates a site must have.
    public static let required = ["base", "comparison", "page", "index", "hub", "subjects", "404"]

    let library: Mustache.MustacheLibrary
    /// Digest of every template's text: a change re-renders every page.
    public let fingerprint: String
    /// Page renders by shape (nil when a template rules it out).
    let shapes: ShapeCache?

    /// - Parameters:
    ///   - sources: template name → (display path, text).
    ///   - constants: values that are the same on every page of a build (`site.title`,
    ///     `assets.css`…). Their tags are replaced by the values before parsing, so no
    ///     page pays for looking them up. Sections over them (`{{#site.x}}`) are left alone.
    public static func load(_ sources: [String: (file: String, text: String)],
                            constants: [String: String] = [:]) -> (Templates?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var library = Mustache.MustacheLibrary()
        FastHTML.register
        for name in sources.keys.sorted() {
            let (file, text) = sources[name]!
            do {
                // Every template escapes with the fast escaper (a template may still set its own type).
                library.register(try MustacheTemplate(string: FastHTML.pragma + fold(text, constants)), named: name)
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
        let shapes = ShapeCache.specializable(sources.values.map(\.text)) ? ShapeCache() : nil
        return (Templates(library: library, fingerprint: digest.hex, shapes: shapes), diagnostics)
    }

    /// Replaces `{{name}}` (escaped), `{{{name}}}` and `{{& name}}` (raw) for each constant.
    static func fold(_ text: String, _ constants: [String: String]) -> String {
        // A template that changes its delimiters is left as it is.
        guard !constants.isEmpty, !text.contains("{{="), text.contains("{{") else { return text }
        var out = text
        for (name, value) in constants where !value.contains("{{") && !value.contains("}}") {
            guard out.contains(name) else { continue }
            let escaped = FastHTML().escapeText(value)
            for (open, close, replacement) in [("{{{", "}}}", value), ("{{&", "}}", value), ("{{", "}}", escaped)] {
                for spaced in [name, " \(name) ", " \(name)", "\(name) "] {
                    out = out.replacingOccurrences(of: open + spaced + close, with: replacement)
                }
            }
        }
        return out
    }

    public func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }

    /// The same bytes as `render`, by way of the shape cache: for the many pages that
    /// share one template and one layout (comparisons, documents).
    public func renderByShape(_ name: String, _ context: [String: Any]) -> String {
        guard let shapes else { return render(name, context) }
        return shapes.render(name, context, escape: FastHTML().escapeText) { render(name, $0) }
    }

    static func templateErrorLine(_ error: Error) -> Int? {
        if let e = error as? MustacheTemplate.ParserError { return e.context.lineNumber }
        return nil
    }
}

/// HTML escaping for `{{name}}`: the same five characters swift-mustache escapes
/// (`& < > " '`), by `Escape.html`.
struct FastHTML: MustacheContentType {
    static let name = "VERSUS_HTML"
    static let pragma = "{{% CONTENT_TYPE: \(name)}}"
    static let register: Void = { MustacheContentTypes.register(FastHTML(), named: name) }()

    func escapeText(_ text: String) -> String { Escape.html(text) }
}
