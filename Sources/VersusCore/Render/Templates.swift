/// The Mustache templates of `templates/`, compiled once per build against the contexts
/// they receive (`Contexts.swift`), by Versus's own engine (`Render/Mustache/`).
///
/// `base` is the layout; the page templates extend it (`{{<base}}{{$main}}…{{/main}}{{/base}}`).
/// `{{name}}` escapes for HTML text and attributes; `{{{name}}}` inserts HTML the renderer
/// has already made safe (cmark output, JSON-LD). Templates are strict: an unknown variable,
/// a missing partial or parent, an unclosed section, or `{{{…}}}` on plain text is an error
/// with the template's file, line and column, and the build stops before writing anything.
public struct Templates: Sendable {
    /// Templates a site must have: the ones Versus renders directly.
    public static var required: [String] { TemplateRoots.schemas.keys.sorted() }

    let library: MustacheLibrary
    /// Digest of every template's text: a change re-renders every page.
    public let fingerprint: String

    /// - Parameters:
    ///   - sources: template name → (display path, text).
    ///   - site, assets: the values that are the same on every page of a build; what the
    ///     templates show of them is folded into the compiled templates.
    public static func load(_ sources: [String: (file: String, text: String)], site: SiteContext,
                            assets: [String: String]) -> (Templates?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var roots: [String: MustacheSchema] = [:]
        for (name, schema) in TemplateRoots.schemas {
            if sources[name] == nil {
                diagnostics.append(.error("templates/\(name).mustache", "missing template '\(name)': every site needs \(required.joined(separator: ", "))"))
            } else {
                roots[name] = schema
            }
        }
        var library: MustacheLibrary?
        do {
            library = try MustacheLibrary(templates: sources, roots: roots,
                                          constants: ["site": .object(site), "assets": .dictionary(assets.mapValues(MustacheValue.text))])
        } catch {
            diagnostics += error.diagnostics.map { Diagnostic(file: $0.file, line: $0.line, column: $0.column, severity: .error, $0.message) }
        }
        guard let library, !diagnostics.hasErrors else { return (nil, diagnostics) }
        var digest = Digest()
        for name in sources.keys.sorted() {
            digest.add(name)
            digest.add(sources[name]!.text)
        }
        return (Templates(library: library, fingerprint: digest.hex), diagnostics)
    }

    public func render<Context: MustacheObject>(_ name: String, _ context: Context) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 * 1024)
        library.render(name, context, into: &out)
        return out
    }
}
