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
        for name in sources.keys.sorted() {
            let (file, text) = sources[name]!
            do {
                library.register(try MustacheTemplate(string: text), named: name)
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
