/// A value a Mustache template can show or enter.
///
/// Typed contexts (the site's) reach templates as `.object`: a `MustacheObject` whose fields
/// are known before rendering, so the compiler resolves names once. `.dictionary` is the
/// untyped form (the spec's test data, ad hoc values), looked up by name while rendering.
public enum MustacheValue: Sendable {
    case null
    case bool(Bool)
    /// Interpolated as the spec expects: `85` → "85", `1.210` → "1.21".
    case number(Double)
    /// Plain text: `{{x}}` escapes it for HTML. `{{{x}}}` on it is an error in strict mode.
    case text(String)
    /// Trusted HTML (cmark output, JSON-LD): `{{{x}}}` inserts it. `{{x}}` on it is an error
    /// in strict mode (and escapes it otherwise).
    case html(String)
    case list([MustacheValue])
    /// A typed object: one of the site's contexts (`object(_:)` makes one). Held by a
    /// reference, so copying a value (a render copies each one it reads or enters) retains one
    /// reference rather than copying an existential through its type's value witnesses.
    case typed(MustacheBox)
    /// An untyped object.
    case dictionary([String: MustacheValue])

    /// A typed object: one of the site's contexts.
    public static func object<T: MustacheObject>(_ object: T) -> MustacheValue { .typed(TypedMustacheBox(object)) }
}

/// A typed object as a `MustacheValue` holds it; `TypedMustacheBox` is the one kind there is.
public class MustacheBox: @unchecked Sendable {
    /// The object's type, which a template compiled for a type checks.
    let typeID: ObjectIdentifier
    init(typeID: ObjectIdentifier) { self.typeID = typeID }
    func value(at index: Int) -> MustacheValue { .null }
    func value(path: ArraySlice<Int>) -> MustacheValue { .null }
    func value(named name: String) -> MustacheValue? { nil }
}

/// A typed object held by reference, read through its own type's fields.
final class TypedMustacheBox<T: MustacheObject>: MustacheBox, @unchecked Sendable {
    let object: T
    init(_ object: T) {
        self.object = object
        super.init(typeID: ObjectIdentifier(T.self))
    }
    override func value(at index: Int) -> MustacheValue { object.mustacheValue(at: index) }
    override func value(path: ArraySlice<Int>) -> MustacheValue { object.mustacheValue(path: path) }
    override func value(named name: String) -> MustacheValue? { object.mustacheValue(named: name) }
}

/// A type a template can be compiled against: its fields, with their names, docs, kinds and
/// getters, are declared once as a `static let`:
///
///     struct BylineContext: MustacheObject {
///         var name: String; var role: String?
///         static let mustacheFields = MustacheFields<Self>([
///             .text("name", "The author's name.") { $0.name },
///             .text("role", "Job title, when the byline gives one.", optional: true) { $0.role },
///         ])
///     }
public protocol MustacheObject: Sendable {
    static var mustacheFields: MustacheFields<Self> { get }

    /// The field at `index` of the schema (compiled templates address fields this way).
    /// Provided; not meant to be implemented (a requirement so that each type's is specialized).
    func mustacheValue(at index: Int) -> MustacheValue
    /// The field reached by a path of field indices (`site.title` is [site, title]), read
    /// through the nested objects' own types: nothing is boxed on the way. Provided.
    func mustacheValue(path: ArraySlice<Int>) -> MustacheValue
}

extension MustacheObject {
    /// Names, docs and kinds of the fields (and of the fields of nested objects).
    public static var mustacheSchema: MustacheSchema { mustacheFields.schema }

    @inlinable
    public func mustacheValue(at index: Int) -> MustacheValue {
        Self.mustacheFields.getters[index](self)
    }

    @inlinable
    public func mustacheValue(path: ArraySlice<Int>) -> MustacheValue {
        Self.mustacheFields.value(of: self, path: path)
    }

    /// The field called `name`, if there is one (for the untyped paths: recursion, `.value` fields).
    func mustacheValue(named name: String) -> MustacheValue? {
        let fields = Self.mustacheFields
        guard let index = fields.schema.index(of: name) else { return nil }
        return fields.getters[index](self)
    }
}

/// The fields of a `MustacheObject`: built once (a `static let`), from a list of fields.
public final class MustacheFields<Root>: Sendable {
    @usableFromInline let getters: [@Sendable (Root) -> MustacheValue]
    /// For object fields: the rest of a path, read from the nested object itself.
    @usableFromInline let followers: [(@Sendable (Root, ArraySlice<Int>) -> MustacheValue)?]
    /// The fields' names, docs and kinds.
    public let schema: MustacheSchema

    public init(_ fields: [MustacheField<Root>]) {
        getters = fields.map(\.get)
        followers = fields.map(\.follow)
        schema = MustacheSchema(
            // The unqualified name, as `String(describing:)` gives it, without its dynamic casts (each a
            // scan of every conformance in the binary the first time: a fifth of a small build's start).
            typeName: _typeName(Root.self, qualified: false),
            typeID: ObjectIdentifier(Root.self),
            fields: fields.map { MustacheSchema.Field(name: $0.name, doc: $0.doc, kind: $0.kind, optional: $0.optional) })
    }

    @inlinable
    func value(of root: Root, path: ArraySlice<Int>) -> MustacheValue {
        guard let index = path.first else { return .null }
        if path.count == 1 { return getters[index](root) }
        guard let follow = followers[index] else { return .null }
        return follow(root, path.dropFirst())
    }
}

/// One field of a `MustacheObject`: a name, a one-line doc (for the template-variable
/// reference), a kind, and a getter. Made with the factories below (`.text`, `.html`, `.list`…).
public struct MustacheField<Root>: Sendable {
    public let name: String
    public let doc: String
    public let kind: MustacheKind
    /// The getter may give `.null` (an absent optional).
    public let optional: Bool
    @usableFromInline let get: @Sendable (Root) -> MustacheValue
    @usableFromInline let follow: (@Sendable (Root, ArraySlice<Int>) -> MustacheValue)?

    public init(_ name: String, _ doc: String, kind: MustacheKind, optional: Bool = false,
                get: @escaping @Sendable (Root) -> MustacheValue) {
        self.init(name, doc, kind: kind, optional: optional, get: get, follow: nil)
    }

    @usableFromInline
    init(_ name: String, _ doc: String, kind: MustacheKind, optional: Bool, get: @escaping @Sendable (Root) -> MustacheValue,
         follow: (@Sendable (Root, ArraySlice<Int>) -> MustacheValue)?) {
        self.name = name
        self.doc = doc
        self.kind = kind
        self.optional = optional
        self.get = get
        self.follow = follow
    }
}

extension MustacheField {
    /// Plain text, escaped by `{{name}}`.
    @inlinable public static func text(_ name: String, _ doc: String, _ get: @escaping @Sendable (Root) -> String) -> Self {
        Self(name, doc, kind: .text) { .text(get($0)) }
    }

    /// Plain text that may be absent (`nil` renders nothing and is false in a section).
    @inlinable public static func text(_ name: String, _ doc: String, optional: Bool,
                            _ get: @escaping @Sendable (Root) -> String?) -> Self {
        Self(name, doc, kind: .text, optional: optional) { get($0).map(MustacheValue.text) ?? .null }
    }

    /// Trusted HTML, inserted by `{{{name}}}`.
    @inlinable public static func html(_ name: String, _ doc: String, _ get: @escaping @Sendable (Root) -> String) -> Self {
        Self(name, doc, kind: .html) { .html(get($0)) }
    }

    @inlinable public static func html(_ name: String, _ doc: String, optional: Bool,
                            _ get: @escaping @Sendable (Root) -> String?) -> Self {
        Self(name, doc, kind: .html, optional: optional) { get($0).map(MustacheValue.html) ?? .null }
    }

    @inlinable public static func bool(_ name: String, _ doc: String, _ get: @escaping @Sendable (Root) -> Bool) -> Self {
        Self(name, doc, kind: .bool) { .bool(get($0)) }
    }

    @inlinable public static func number(_ name: String, _ doc: String, _ get: @escaping @Sendable (Root) -> Int) -> Self {
        Self(name, doc, kind: .number) { .number(Double(get($0))) }
    }

    @inlinable public static func number(_ name: String, _ doc: String, _ get: @escaping @Sendable (Root) -> Double) -> Self {
        Self(name, doc, kind: .number) { .number(get($0)) }
    }

    @inlinable public static func number(_ name: String, _ doc: String, optional: Bool,
                              _ get: @escaping @Sendable (Root) -> Double?) -> Self {
        Self(name, doc, kind: .number, optional: optional) { get($0).map(MustacheValue.number) ?? .null }
    }

    /// A nested typed object: `{{#name}}…{{/name}}` enters it, `{{name.field}}` reaches into it.
    @inlinable public static func object<T: MustacheObject>(_ name: String, _ doc: String,
                                                 _ get: @escaping @Sendable (Root) -> T) -> Self {
        Self(name, doc, kind: .object(T.self), optional: false, get: { .object(get($0)) },
             follow: { root, path in T.mustacheFields.value(of: get(root), path: path) })
    }

    @inlinable public static func object<T: MustacheObject>(_ name: String, _ doc: String, optional: Bool,
                                                 _ get: @escaping @Sendable (Root) -> T?) -> Self {
        Self(name, doc, kind: .object(T.self), optional: optional, get: { root in
            guard let value = get(root) else { return .null }
            return .object(value)
        }, follow: { root, path in
            guard let value = get(root) else { return .null }
            return T.mustacheFields.value(of: value, path: path)
        })
    }

    /// A list of typed objects: `{{#name}}…{{/name}}` renders once per element.
    @inlinable public static func list<T: MustacheObject>(_ name: String, _ doc: String,
                                               _ get: @escaping @Sendable (Root) -> [T]) -> Self {
        Self(name, doc, kind: .list(.object(T.self))) { .list(get($0).map { .object($0) }) }
    }

    /// A list of plain texts: `{{#name}}{{.}}{{/name}}`.
    @inlinable public static func textList(_ name: String, _ doc: String, _ get: @escaping @Sendable (Root) -> [String]) -> Self {
        Self(name, doc, kind: .list(.text)) { .list(get($0).map(MustacheValue.text)) }
    }

    /// A list of trusted HTML fragments: `{{#name}}{{{.}}}{{/name}}`.
    @inlinable public static func htmlList(_ name: String, _ doc: String, _ get: @escaping @Sendable (Root) -> [String]) -> Self {
        Self(name, doc, kind: .list(.html)) { .list(get($0).map(MustacheValue.html)) }
    }

    /// Any value, checked only while rendering (names under it are looked up by name).
    @inlinable public static func value(_ name: String, _ doc: String, _ get: @escaping @Sendable (Root) -> MustacheValue) -> Self {
        Self(name, doc, kind: .value, optional: true, get: get)
    }
}

// MARK: - Semantics shared by the compiler (constants) and the renderer

extension MustacheValue {
    /// Whether a section over the value renders. `null`, `false` and the empty list don't;
    /// everything else does, the empty string and zero included (as swift-mustache and the
    /// spec's reference implementation do).
    var isTruthy: Bool {
        switch self {
        case .null, .bool(false): false
        case .list(let items): !items.isEmpty
        default: true
        }
    }

    /// The field at `index` of a typed object (`.null` for anything else).
    func field(_ index: Int) -> MustacheValue {
        if case .typed(let box) = self { return box.value(at: index) }
        return .null
    }

    /// The field at the end of a path of field indices through typed objects.
    func field(path: [Int]) -> MustacheValue {
        if case .typed(let box) = self { return box.value(path: path[...]) }
        return .null
    }

    /// The member called `name`, if the value is an object that has it.
    func member(_ name: String) -> MustacheValue? {
        switch self {
        case .dictionary(let members): members[name]
        case .typed(let box): box.value(named: name)
        default: nil
        }
    }

    /// Appends the value as a template shows it: text (escaped when `escaped`), numbers as the
    /// spec formats them, booleans as `true`/`false`; null, lists and objects show nothing.
    func write(escaped: Bool, to out: inout [UInt8]) {
        switch self {
        case .text(let s), .html(let s):
            if escaped { Escape.appendHTML(s, to: &out) } else { out.append(contentsOf: s.utf8) }
        case .number(let n):
            out.append(contentsOf: Self.format(n).utf8)
        case .bool(let b):
            out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null, .list, .typed, .dictionary:
            break
        }
    }

    /// Whole numbers without a decimal point (`85`), others in the shortest form that reads back
    /// the same (`1.21`).
    static func format(_ n: Double) -> String {
        if n.isFinite, n == n.rounded(.towardZero), abs(n) < 1e15 { return String(Int64(n)) }
        return n.description
    }
}

// Literals, for tests and ad hoc data: `["name": "Ada", "tags": ["a", "b"], "count": 3]`.
extension MustacheValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: MustacheValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, MustacheValue)...) {
        self = .dictionary(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}
