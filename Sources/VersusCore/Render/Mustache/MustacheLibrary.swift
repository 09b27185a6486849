/// A problem in a template, where a compiler would put it:
/// `templates/comparison.mustache:22:3: error: section 'has_toc' is never closed`.
public struct MustacheDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based, of the tag's first delimiter character.
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}

/// Every problem found in a library's templates, in file and line order.
public struct MustacheDiagnostics: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [MustacheDiagnostic]

    public init(_ diagnostics: [MustacheDiagnostic]) {
        self.diagnostics = diagnostics.sorted {
            ($0.file, $0.line, $0.column, $0.message) < ($1.file, $1.line, $1.column, $1.message)
        }
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Versus's Mustache templates, parsed once and compiled against the typed contexts they are
/// rendered with.
///
///     let library = try MustacheLibrary(
///         templates: ["comparison": ("templates/comparison.mustache", text), "base": …],
///         roots: ["comparison": ComparisonContext.mustacheSchema])
///     let html = library.render("comparison", context)
///
/// Rendering appends bytes to a buffer: literal text is copied from one pool, values are
/// escaped straight into the buffer, names were resolved to field indices when compiling.
public struct MustacheLibrary: Sendable {
    struct Root: Sendable {
        var procedure: Int
        /// The type the root was compiled for (nil: untyped).
        var type: ObjectIdentifier?
        var typeName: String
    }

    private let roots: [String: Root]
    private let program: MustacheProgram

    /// Parses every template and compiles each root template against the schema it is
    /// rendered with (strict: every name must resolve). Templates that are not roots are
    /// partials or parents: they are checked where they are used, in the context of the
    /// template that includes them. Throws every problem found, not only the first.
    ///
    /// - Parameters:
    ///   - templates: name → (file as the user knows it, text).
    ///   - roots: the templates rendered directly, each with the schema of its context.
    ///   - constants: values of root-level fields that are the same for every render (`site`,
    ///     `assets`): what templates show of them is folded into their text.
    public init(templates: [String: (file: String, text: String)], roots: [String: MustacheSchema],
                constants: [String: MustacheValue] = [:]) throws(MustacheDiagnostics) {
        var diagnostics: [MustacheDiagnostic] = []
        let parsed = Self.parse(templates, into: &diagnostics)
        let compiler = MustacheCompiler(templates: parsed, strict: true, constants: constants)
        var compiled: [String: Root] = [:]
        for (name, schema) in roots.sorted(by: { $0.key < $1.key }) {
            guard let template = parsed[name] else {
                let known = templates.keys.sorted().joined(separator: ", ")
                diagnostics.append(MustacheDiagnostic(file: name, line: 1, column: 1,
                                                      message: "root template '\(name)' not found (templates: \(known))"))
                continue
            }
            guard !template.hasErrors else { continue }
            compiled[name] = Root(procedure: compiler.compileRoot(template, schema: schema), type: schema.typeID,
                                  typeName: schema.typeName)
        }
        compiler.reportBlocksNoParentHas()
        diagnostics += compiler.diagnostics
        if !diagnostics.isEmpty { throw MustacheDiagnostics(diagnostics) }
        self.roots = compiled
        self.program = compiler.program
    }

    /// Untyped (the spec's tests, ad hoc use): every template is a root, names are looked up
    /// while rendering, nothing is strict. Only templates that do not parse are errors.
    public init(untyped templates: [String: String]) throws(MustacheDiagnostics) {
        var diagnostics: [MustacheDiagnostic] = []
        let parsed = Self.parse(Dictionary(uniqueKeysWithValues: templates.map { ($0.key, (file: $0.key, text: $0.value)) }),
                                into: &diagnostics)
        let compiler = MustacheCompiler(templates: parsed, strict: false)
        var compiled: [String: Root] = [:]
        for (name, template) in parsed.sorted(by: { $0.key < $1.key }) where !template.hasErrors {
            compiled[name] = Root(procedure: compiler.compileRoot(template, schema: nil), type: nil, typeName: "")
        }
        diagnostics += compiler.diagnostics
        if !diagnostics.isEmpty { throw MustacheDiagnostics(diagnostics) }
        self.roots = compiled
        self.program = compiler.program
    }

    private static func parse(_ templates: [String: (file: String, text: String)],
                              into diagnostics: inout [MustacheDiagnostic]) -> [String: MustacheParsedTemplate] {
        var parsed: [String: MustacheParsedTemplate] = [:]
        for (name, source) in templates {
            let (template, problems) = MustacheParser.parse(name: name, file: source.file, text: source.text)
            parsed[name] = template
            diagnostics += problems
        }
        return parsed
    }

    /// The names of the templates that can be rendered.
    public var rootNames: [String] { roots.keys.sorted() }

    private func root(_ name: String) -> Root {
        guard let root = roots[name] else {
            // Only templates that compiled are rendered: a failed one must never give an empty page.
            preconditionFailure("Mustache template '\(name)' is not a compiled root (roots: \(rootNames.joined(separator: ", ")))")
        }
        return root
    }

    /// Appends the rendering of root template `name` to `out`. Returns the template whose
    /// recursion was cut off `MustacheProgram.maxCallDepth` deep, if one was.
    @discardableResult
    public func render<Context: MustacheObject>(_ name: String, _ context: Context, into out: inout [UInt8]) -> String? {
        let root = root(name)
        precondition(root.type == nil || root.type == ObjectIdentifier(Context.self),
                     "Mustache template '\(name)' was compiled for \(root.typeName), not \(Context.self)")
        return program.run(root.procedure, root: .object(context), into: &out)
    }

    /// Appends the rendering of root template `name` to `out`. A typed root needs `.object` of its type.
    @discardableResult
    public func render(_ name: String, _ context: MustacheValue, into out: inout [UInt8]) -> String? {
        let root = root(name)
        if let type = root.type {
            guard case .typed(let box) = context, box.typeID == type else {
                preconditionFailure("Mustache template '\(name)' was compiled for \(root.typeName); it needs .object of that type")
            }
        }
        return program.run(root.procedure, root: context, into: &out)
    }

    public func render<Context: MustacheObject>(_ name: String, _ context: Context) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(16 * 1024)
        render(name, context, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public func render(_ name: String, _ context: MustacheValue) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(4 * 1024)
        render(name, context, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
