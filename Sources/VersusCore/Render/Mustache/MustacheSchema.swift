/// What a template may do with a field.
public indirect enum MustacheKind: Sendable, CustomStringConvertible {
    /// Plain text: `{{name}}`.
    case text
    /// Trusted HTML: `{{{name}}}`.
    case html
    case number
    case bool
    /// A typed object: `{{#name}}…{{/name}}`, `{{name.field}}`.
    case object(any MustacheObject.Type)
    /// A list: `{{#name}}…{{/name}}` renders once per element.
    case list(MustacheKind)
    /// Any value: checked only while rendering.
    case value

    public var description: String {
        switch self {
        case .text: "text"
        case .html: "html"
        case .number: "number"
        case .bool: "bool"
        case .object(let type): "object \(type.mustacheSchema.typeName)"
        case .list(let element):
            if case .object(let type) = element { "list of \(type.mustacheSchema.typeName)" } else { "list of \(element)" }
        case .value: "value"
        }
    }

    /// The schema of an object, or of the objects of a list.
    public var schema: MustacheSchema? {
        switch self {
        case .object(let type): type.mustacheSchema
        case .list(let element): element.schema
        default: nil
        }
    }
}

/// The names, docs and kinds of a `MustacheObject`'s fields: what templates compiled against
/// it may use. `PageContext.mustacheSchema`; made once, with the type's `mustacheFields`.
public struct MustacheSchema: Sendable, CustomStringConvertible {
    public struct Field: Sendable {
        public let name: String
        public let doc: String
        public let kind: MustacheKind
        public let optional: Bool
    }

    /// The Swift type's name (`PageContext`).
    public let typeName: String
    let typeID: ObjectIdentifier
    public let fields: [Field]
    private let indexByName: [String: Int]

    init(typeName: String, typeID: ObjectIdentifier, fields: [Field]) {
        self.typeName = typeName
        self.typeID = typeID
        self.fields = fields
        var index: [String: Int] = [:]
        for (i, field) in fields.enumerated() {
            precondition(index[field.name] == nil, "\(typeName) declares the Mustache field '\(field.name)' twice")
            index[field.name] = i
        }
        indexByName = index
    }

    /// The position of the field called `name`.
    public func index(of name: String) -> Int? { indexByName[name] }

    public var description: String { typeName }
}

/// One line of the template-variable reference.
public struct MustacheVariable: Sendable, Hashable, CustomStringConvertible {
    /// `page.byline.role`; `[]` marks the element of a list (`page.sections[].title` is
    /// `{{title}}` inside `{{#sections}}…{{/sections}}`).
    public var path: String
    /// `text`, `html`, `number`, `bool`, `object BylineContext`, `list of SectionContext`, `value`.
    public var kind: String
    public var optional: Bool
    public var doc: String

    public var description: String {
        "\(path)  \(kind)\(optional ? ", optional" : "")  \(doc)"
    }
}

extension MustacheSchema {
    /// Every variable a template compiled against this schema can reach, depth first, in
    /// declaration order: `page.byline.role  text, optional  Job title…`. A type met again
    /// below itself (a tree) is listed once, not expanded again.
    public func variables(prefix: String = "") -> [MustacheVariable] {
        var out: [MustacheVariable] = []
        collect(into: &out, prefix: prefix, seen: [typeID])
        return out
    }

    // Recursion follows the type graph (not template input), and stops at a type already on the path.
    private func collect(into out: inout [MustacheVariable], prefix: String, seen: Set<ObjectIdentifier>) {
        for field in fields {
            let path = prefix.isEmpty ? field.name : "\(prefix).\(field.name)"
            out.append(MustacheVariable(path: path, kind: field.kind.description, optional: field.optional, doc: field.doc))
            if let child = field.kind.schema, !seen.contains(child.typeID) {
                let childPrefix: String
                if case .list = field.kind { childPrefix = path + "[]" } else { childPrefix = path }
                child.collect(into: &out, prefix: childPrefix, seen: seen.union([child.typeID]))
            }
        }
    }

    /// The variable reference as aligned text, one variable a line.
    public func reference(prefix: String = "") -> String {
        let rows = variables(prefix: prefix)
        let pathWidth = rows.map(\.path.count).max() ?? 0
        let kinds = rows.map { $0.kind + ($0.optional ? ", optional" : "") }
        let kindWidth = kinds.map(\.count).max() ?? 0
        func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: width - s.count) }
        return zip(rows, kinds).map { row, kind in
            "\(pad(row.path, pathWidth))  \(pad(kind, kindWidth))  \(row.doc)"
        }.joined(separator: "\n")
    }
}
