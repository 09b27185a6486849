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
    /// Each template's file, by name (for what a render finds wrong).
    let files: [String: String]

    /// - Parameters:
    ///   - sources: template name → (display path, text).
    ///   - site, assets: the values that are the same on every page of a build; what the
    ///     templates show of them is folded into the compiled templates.
    ///   - unreadable: templates whose file is there but could not be read (an error of its own,
    ///     not also a missing template).
    public static func load(_ sources: [String: (file: String, text: String)], site: SiteContext,
                            assets: [String: String], unreadable: Set<String> = []) -> (Templates?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var roots: [String: MustacheSchema] = [:]
        for (name, schema) in TemplateRoots.schemas {
            if sources[name] == nil {
                if unreadable.contains(name) { continue }
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
        return (Templates(library: library, fingerprint: digest.hex, files: sources.mapValues(\.file)), diagnostics)
    }

    /// Root template `name` rendered with `context`. A partial that includes itself with no
    /// end in the data (its recursion is cut off `MustacheProgram.maxCallDepth` deep) is an
    /// error naming it, never a page cut short in silence.
    public func render<Context: MustacheObject>(_ name: String, _ context: Context) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 * 1024)
        if let partial = library.render(name, context, into: &out) {
            throw BuildFailed([.error(files[partial] ?? partial, "includes itself \(MustacheProgram.maxCallDepth) levels deep or \(MustacheProgram.maxCalls) times rendering '\(name)', and would go on: a partial that includes itself must be inside a section whose data runs out (a list of children, as a tree has)")])
        }
        return out
    }
}
