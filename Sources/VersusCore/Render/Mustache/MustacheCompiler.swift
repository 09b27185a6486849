/// Parsed templates to instruction lists.
///
/// Each root template is compiled against the schema it is rendered with. Names resolve
/// statically against the static context stack (the root schema, then what each enclosing
/// section pushes), so a name becomes (frame, field index path) and rendering does no string
/// hashing. Partials, parents and blocks are inlined where they are used: their names are
/// checked and resolved in the includer's context, and their indentation is applied to their
/// text at compile time. A partial that includes itself (data-driven recursion: a tree) becomes
/// a procedure called at run time, with names looked up by name and the depth capped.
final class MustacheCompiler {
    /// Templates nested deeper than this (through partials, parents and blocks) are an error.
    static let maxInlineDepth = 64

    private let templates: [String: MustacheParsedTemplate]
    private let strict: Bool
    private let constants: [String: MustacheValue]

    private(set) var literals: [UInt8] = []
    private(set) var procedures: [[MustacheInstruction]] = []
    private(set) var accesses: [MustacheComplexAccess] = []
    private(set) var diagnostics: [MustacheDiagnostic] = []
    private var reported: Set<MustacheDiagnostic> = []
    private var procedureIndex: [InlineKey: Int] = [:]
    /// The template each procedure was compiled from, by procedure.
    private var procedureTemplates: [String] = []
    /// Above zero while compiling a recursion procedure: its nodes were checked where first inlined.
    private var muted = 0

    /// - Parameters:
    ///   - strict: names must resolve (typed roots); `{{{x}}}` on text and `{{x}}` on HTML are errors.
    ///   - constants: root-level fields whose value is the same for every render: folded into text.
    init(templates: [String: MustacheParsedTemplate], strict: Bool, constants: [String: MustacheValue] = [:]) {
        self.templates = templates
        self.strict = strict
        self.constants = constants
    }

    var program: MustacheProgram {
        MustacheProgram(procedures: procedures, literals: literals, accesses: accesses, templates: procedureTemplates)
    }

    /// Compiles a root template; returns its procedure. `schema` nil: untyped (spec tests).
    func compileRoot(_ template: MustacheParsedTemplate, schema: MustacheSchema?) -> Int {
        var root = StaticFrame(type: .unknown, label: nil, runtimeIndex: 0)
        if let schema {
            root.type = .object(schema)
            root.constants = constants.filter { schema.index(of: $0.key) != nil }
        }
        let scope = Scope(template: template, frames: [root], overrides: [:], indentation: .none, dynamicIndent: false,
                          inlined: [(.template(template.name, [:]), 0)], conditional: 0, includedFrom: [])
        return compileProcedure(template.nodes, scope)
    }

    private func compileProcedure(_ nodes: [MustacheNode], _ scope: Scope, index: Int? = nil) -> Int {
        var emitter = Emitter()
        compile(nodes, scope, &emitter)
        flush(&emitter)
        if let index {
            procedures[index] = emitter.code
            procedureTemplates[index] = scope.template.name
            return index
        }
        procedures.append(emitter.code)
        procedureTemplates.append(scope.template.name)
        return procedures.count - 1
    }

    // MARK: Static context

    /// What the compiler knows of a value: a typed object, a kind, or nothing (untyped data).
    enum StaticType {
        case object(MustacheSchema)
        case kind(MustacheKind)
        case unknown

        init(_ kind: MustacheKind) {
            switch kind {
            case .object(let type): self = .object(type.mustacheSchema)
            case .value: self = .unknown
            default: self = .kind(kind)
            }
        }

        /// The type of the frame a section over this pushes (a list pushes its elements).
        var pushed: StaticType {
            if case .kind(.list(let element)) = self { return StaticType(element) }
            return self
        }
    }

    /// One frame of the static context stack.
    struct StaticFrame {
        var type: StaticType
        /// The section that pushed it (`page`); nil for the root.
        var label: String?
        /// Its index in the run-time stack, counted from the procedure's base.
        var runtimeIndex: Int
        /// Below a recursion procedure's own frames: whatever the callers pushed.
        var opaque = false
        /// Known at compile time (a section over a constant).
        var value: MustacheValue?
        /// Root frame: fields whose value is constant.
        var constants: [String: MustacheValue] = [:]
    }

    struct BlockID: Hashable {
        var template: String
        var offset: Int
    }

    /// What an inlined template or block is, for spotting recursion: the same template with
    /// the same block overrides.
    enum InlineKey: Hashable {
        case template(String, [String: BlockID])
        case block(BlockID)
    }

    /// A `{{$name}}…{{/name}}` given inside `{{<parent}}…{{/parent}}`: content compiled where
    /// the parent expands the block, in the parent's context.
    struct BlockOverride {
        var id: BlockID
        var nodes: [MustacheNode]
        var template: MustacheParsedTemplate
        var indentation: MustacheIndentation
        var layout: MustacheBlockLayout
        var includedFrom: [String]
    }

    struct Scope {
        var template: MustacheParsedTemplate
        var frames: [StaticFrame]
        var overrides: [String: BlockOverride]
        /// Applied to the whitespace that begins each line (indented partials, re-indented blocks).
        var indentation: MustacheIndentation
        /// Inside a recursion procedure: lines also get the indentation of the call.
        var dynamicIndent: Bool
        /// Templates and blocks being inlined, with the section depth at which each began.
        var inlined: [(key: InlineKey, conditional: Int)]
        /// Sections entered so far: a template included again at the same depth never ends.
        var conditional: Int
        /// Where each enclosing template was included from (`file:line:column`), outermost first.
        var includedFrom: [String]

        var nextRuntimeIndex: Int { frames[frames.count - 1].runtimeIndex + 1 }
    }

    private enum Resolution {
        case constant(MustacheValue, StaticType)
        case runtime(MustacheAccess, StaticType)

        var type: StaticType {
            switch self {
            case .constant(_, let type), .runtime(_, let type): type
            }
        }
    }

    // MARK: Output

    struct Emitter {
        var code: [MustacheInstruction] = []
        /// Text not yet written to the literal pool: adjacent text (and folded constants) make one literal.
        var pending: [UInt8] = []
    }

    private func flush(_ e: inout Emitter) {
        guard !e.pending.isEmpty else { return }
        e.code.append(.literal(start: Int32(literals.count), count: Int32(e.pending.count)))
        literals += e.pending
        e.pending.removeAll(keepingCapacity: true)
    }

    @discardableResult
    private func emit(_ instruction: MustacheInstruction, _ e: inout Emitter) -> Int {
        flush(&e)
        e.code.append(instruction)
        return e.code.count - 1
    }

    private func complex(_ access: MustacheComplexAccess) -> MustacheAccess {
        accesses.append(access)
        return .complex(Int32(accesses.count - 1))
    }

    // MARK: Diagnostics

    private func report(_ scope: Scope, _ offset: Int, _ message: String) {
        guard muted == 0 else { return }
        var message = message
        if let from = scope.includedFrom.last { message += " (included from \(from))" }
        let diagnostic = scope.template.diagnostic(offset, message)
        if reported.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
    }

    private func location(_ scope: Scope, _ tag: MustacheTag) -> String {
        let (line, column) = scope.template.position(tag.offset)
        return "\(scope.template.file):\(line):\(column)"
    }

    /// The closest name, when close enough to be a likely misspelling.
    static func nearest(_ name: String, among candidates: some Sequence<String>) -> String? {
        let limit = name.count >= 6 ? 2 : 1
        var best: (distance: Int, name: String)?
        for candidate in Set(candidates) where candidate != name {
            let d = editDistance(name, candidate)
            if d <= limit, best == nil || (d, candidate) < (best!.distance, best!.name) { best = (d, candidate) }
        }
        return best?.name
    }

    /// Edit distance with adjacent transpositions (`titel` → `title` is 1).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }

    /// `templates/foo.mustache`, beside the template that asked for it.
    private func expectedFile(_ name: String, near file: String) -> String {
        let slash = file.lastIndex(of: "/")
        let directory = slash.map { String(file[...$0]) } ?? ""
        let base = slash.map { file[file.index(after: $0)...] } ?? file[...]
        let ext = base.lastIndex(of: ".").map { String(base[$0...]) } ?? ""
        return directory + name + ext
    }

    private func missing(_ what: String, _ name: String, _ tag: MustacheTag, _ scope: Scope) {
        guard strict else { return }
        if let suggestion = Self.nearest(name, among: templates.keys) {
            report(scope, tag.offset, "\(what) '\(name)' not found (did you mean '\(suggestion)'?)")
        } else {
            let known = templates.keys.sorted().joined(separator: ", ")
            report(scope, tag.offset, "\(what) '\(name)' not found: no \(expectedFile(name, near: scope.template.file)) (templates: \(known))")
        }
    }

    // MARK: Names

    /// Resolves a name against the static context stack, following the spec: the first part
    /// of a dotted name is looked up from the innermost frame out; the rest only in what the
    /// first part found. Reports (and returns nil) when strict and the name is unknown.
    /// - Parameter shown: the name is interpolated (`{{name}}`), not tested by a section: a name
    ///   a known value (such as `assets`) does not have shows nothing, so, when strict, it is
    ///   reported (a section may test for a name that is not there: `{{#assets.logo_svg}}`).
    private func resolve(_ tag: MustacheTag, _ scope: Scope, shown: Bool = false) -> Resolution? {
        if tag.name == "." {
            let top = scope.frames[scope.frames.count - 1]
            if let value = top.value { return .constant(value, top.type) }
            return .runtime(.top, top.type)
        }
        let parts = tag.name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if strict, parts.contains("") {
            report(scope, tag.offset, "'\(scope.template.text(of: tag))': '\(tag.name)' is not a name (dotted names are like page.title)")
            return nil
        }
        for frame in scope.frames.reversed() {
            switch frame.type {
            case .object(let schema):
                guard let index = schema.index(of: parts[0]) else { continue }
                let known = frame.value.flatMap { $0.member(parts[0]) } ?? frame.constants[parts[0]]
                return follow(parts, StaticType(schema.fields[index].kind), known: known,
                              frame: frame.runtimeIndex, path: [index], tag, scope, shown: shown)
            case .kind:
                continue
            case .unknown:
                guard let value = frame.value, !frame.opaque else {
                    // Untyped: looked up by name, from the top of the stack, while rendering.
                    return .runtime(complex(.dynamic(parts)), .unknown)
                }
                guard let member = value.member(parts[0]) else { continue }
                return follow(parts, .unknown, known: member, frame: frame.runtimeIndex, path: [], tag, scope, shown: shown)
            }
        }
        guard strict else { return .constant(.null, .unknown) }
        let names = scope.frames.flatMap { frame -> [String] in
            if case .object(let schema) = frame.type { return schema.fields.map(\.name) }
            return []
        }
        let innermost = scope.frames.last { if case .object = $0.type { true } else { false } }
        let place = innermost?.label.map { "'\($0)'" } ?? "the root context"
        var message = "unknown variable '\(parts[0])' in \(place)"
        if let suggestion = Self.nearest(parts[0], among: names) { message += " (did you mean '\(suggestion)'?)" }
        report(scope, tag.offset, message)
        return nil
    }

    /// The rest of a dotted name, from what its first part found.
    private func follow(_ parts: [String], _ type: StaticType, known: MustacheValue?, frame: Int, path: [Int],
                        _ tag: MustacheTag, _ scope: Scope, shown: Bool = false) -> Resolution? {
        var type = type, known = known, path = path
        var names: [String] = []  // looked up by name while rendering, after an untyped step
        for k in parts.indices.dropFirst() {
            let part = parts[k]
            let sofar = parts[..<k].joined(separator: ".")
            switch type {
            case .object(let schema):
                guard let index = schema.index(of: part) else {
                    guard strict else { return .constant(.null, .unknown) }
                    var message = "unknown variable '\(part)' in '\(sofar)'"
                    if let suggestion = Self.nearest(part, among: schema.fields.map(\.name)) {
                        message += " (did you mean '\(suggestion)'?)"
                    }
                    report(scope, tag.offset, message)
                    return nil
                }
                if let value = known {
                    known = value.member(part) ?? .null
                } else if names.isEmpty {
                    path.append(index)
                } else {
                    names.append(part)
                }
                type = StaticType(schema.fields[index].kind)
            case .kind(let kind):
                guard strict else { return .constant(.null, .unknown) }
                report(scope, tag.offset, "'\(sofar)' is \(kind); it has no field '\(part)'")
                return nil
            case .unknown:
                if let value = known {
                    if strict, shown, value.member(part) == nil, case .dictionary(let members) = value {
                        // Known now (`assets`: the files of templates/assets): a typo or a file not there.
                        var message = "'\(sofar)' has no '\(part)'"
                        if let suggestion = Self.nearest(part, among: members.keys.sorted()) { message += " (did you mean '\(suggestion)'?)" }
                        let listed = members.keys.sorted().prefix(12).map { "'\($0)'" } + (members.count > 12 ? ["…"] : [])
                        report(scope, tag.offset, message + (members.isEmpty ? "; it is empty" : "; it has " + listed.joined(separator: ", ")))
                        return nil
                    }
                    known = value.member(part) ?? .null
                } else {
                    names.append(part)
                }
            }
        }
        if let known { return .constant(known, type) }
        if names.isEmpty, path.count == 1 { return .runtime(.field(frame: Int32(frame), index: Int32(path[0])), type) }
        return .runtime(complex(.path(frame: frame, indices: path, names: names)), type)
    }

    // MARK: Nodes

    private func compile(_ nodes: [MustacheNode], _ scope: Scope, _ e: inout Emitter) {
        for node in nodes {
            switch node {
            case .text(let range, let lineStart):
                text(range, lineStart: lineStart, scope, &e)
            case .variable(let tag, let escaped):
                variable(tag, escaped: escaped, scope, &e)
            case .section(let tag, let inverted, let children):
                section(tag, inverted: inverted, children, scope, &e)
            case .partial(let tag, let standalone, let dynamic):
                if standalone == nil { indent(tag.lineStart, scope, &e) }
                if dynamic {
                    if strict {
                        report(scope, tag.offset, "'\(scope.template.text(of: tag))': dynamic partial names are not supported")
                    }
                } else {
                    include(tag.name, tag, standalone: standalone, overrides: scope.overrides, scope, &e, what: "partial")
                }
            case .parent(let tag, let standalone, let children):
                parent(tag, standalone: standalone, children, scope, &e)
            case .block(let tag, let layout, let children):
                block(tag, layout, children, scope, &e)
            }
        }
    }

    /// The indentation of a line that starts here.
    private func indent(_ lineStart: Bool, _ scope: Scope, _ e: inout Emitter) {
        guard lineStart else { return }
        if scope.dynamicIndent { emit(.indent, &e) }
        e.pending += scope.indentation.apply([])
    }

    private func text(_ range: Range<Int>, lineStart: Bool, _ scope: Scope, _ e: inout Emitter) {
        let bytes = scope.template.bytes
        guard lineStart, scope.dynamicIndent || !scope.indentation.isNone else {
            e.pending += bytes[range]
            return
        }
        var i = range.lowerBound
        while i < range.upperBound, bytes[i] == 32 || bytes[i] == 9 { i += 1 }
        let rest = bytes[i..<range.upperBound]
        if rest.elementsEqual([10]) || rest.elementsEqual([13, 10]) {
            e.pending += bytes[range]  // a blank line stays blank
            return
        }
        if scope.dynamicIndent { emit(.indent, &e) }
        e.pending += scope.indentation.apply(Array(bytes[range.lowerBound..<i]))
        e.pending += rest
    }

    private func variable(_ tag: MustacheTag, escaped: Bool, _ scope: Scope, _ e: inout Emitter) {
        indent(tag.lineStart, scope, &e)
        guard let resolution = resolve(tag, scope, shown: true) else { return }
        if strict, let problem = check(tag, escaped: escaped, resolution.type, scope) {
            report(scope, tag.offset, problem)
            return
        }
        switch resolution {
        case .constant(let value, _):
            value.write(escaped: escaped, to: &e.pending)
        case .runtime(let access, _):
            emit(.interpolate(access, escaped: escaped), &e)
        }
    }

    /// Strict mode: text is escaped, HTML is not, and objects and lists are entered, not printed.
    private func check(_ tag: MustacheTag, escaped: Bool, _ type: StaticType, _ scope: Scope) -> String? {
        let name = tag.name, written = scope.template.text(of: tag), d = tag.delimiters
        switch type {
        case .kind(.text) where !escaped:
            return "'\(written)' would insert text without escaping; use \(d.tag("", name))"
        case .kind(.html) where escaped:
            return "'\(name)' is HTML; insert it with \(d.tag("{", name, "}"))"
        case .kind(.list):
            return "'\(name)' is a list; show its elements with \(d.tag("#", name))…\(d.tag("/", name))"
        case .object(let schema):
            let example = schema.fields.first.map { " (as in \(d.tag("", name == "." ? $0.name : "\(name).\($0.name)")))" } ?? ""
            return "'\(written)' is an object (\(schema.typeName)); name one of its fields\(example)"
        default:
            return nil
        }
    }

    private func section(_ tag: MustacheTag, inverted: Bool, _ children: [MustacheNode], _ scope: Scope,
                         _ e: inout Emitter) {
        indent(tag.lineStart, scope, &e)
        guard let resolution = resolve(tag, scope) else { return }
        var inner = scope
        inner.conditional += 1
        switch resolution {
        case .constant(let value, let type):
            // Decided now: a false constant drops the section, a true one drops the inverted one.
            if inverted {
                if !value.isTruthy { compile(children, scope, &e) }
                return
            }
            guard value.isTruthy else { return }
            if case .list = value {
                inner.frames.append(StaticFrame(type: type.pushed, label: tag.name, runtimeIndex: scope.nextRuntimeIndex))
            } else {
                inner.frames.append(StaticFrame(type: type, label: tag.name, runtimeIndex: scope.nextRuntimeIndex, value: value))
            }
            let access = complex(.constant(value))
            let at = emit(.section(access, end: 0), &e)
            compile(children, inner, &e)
            flush(&e)
            e.code[at] = .section(access, end: Int32(e.code.count))
        case .runtime(let access, let type):
            if !inverted {
                inner.frames.append(StaticFrame(type: type.pushed, label: tag.name, runtimeIndex: scope.nextRuntimeIndex))
            }
            let at = emit(inverted ? .inverted(access, end: 0) : .section(access, end: 0), &e)
            compile(children, inner, &e)
            flush(&e)
            let end = Int32(e.code.count)
            e.code[at] = inverted ? .inverted(access, end: end) : .section(access, end: end)
        }
    }

    /// Inlines a partial or a parent (or calls it, when it includes itself).
    private func include(_ name: String, _ tag: MustacheTag, standalone: [UInt8]?,
                         overrides: [String: BlockOverride], _ scope: Scope, _ e: inout Emitter, what: String) {
        guard let template = templates[name] else {
            missing(what, name, tag, scope)
            return
        }
        guard !template.hasErrors else { return }  // its own errors are reported
        let key = InlineKey.template(name, overrides.mapValues(\.id))
        // A standalone tag indents every line of what it includes.
        let indentation = standalone.map { scope.indentation.apply($0) }
        if let outer = scope.inlined.last(where: { $0.key == key }) {
            guard outer.conditional < scope.conditional else {
                report(scope, tag.offset,
                       "'\(scope.template.text(of: tag))' includes '\(name)' inside itself with no section around it: it would never end")
                return
            }
            let procedure = procedure(key, template, overrides)
            let start = Int32(literals.count)
            literals += indentation ?? []
            emit(.call(procedure: Int32(procedure), indentStart: start, indentCount: Int32(indentation?.count ?? 0),
                       keepIndent: standalone != nil && scope.dynamicIndent), &e)
            return
        }
        guard scope.inlined.count < Self.maxInlineDepth else {
            report(scope, tag.offset, "templates nest more than \(Self.maxInlineDepth) levels deep here")
            return
        }
        var inner = scope
        inner.template = template
        inner.overrides = overrides
        inner.indentation = indentation.map { MustacheIndentation.none.adding($0) } ?? .none
        inner.dynamicIndent = standalone != nil && scope.dynamicIndent
        inner.inlined.append((key, scope.conditional))
        inner.includedFrom.append(location(scope, tag))
        compile(template.nodes, inner, &e)
    }

    /// A template that includes itself, compiled once as a procedure: its names are looked up
    /// by name while rendering (the depth of the stack below it depends on the data).
    private func procedure(_ key: InlineKey, _ template: MustacheParsedTemplate,
                           _ overrides: [String: BlockOverride]) -> Int {
        if let index = procedureIndex[key] { return index }
        let index = procedures.count
        procedures.append([])
        procedureTemplates.append(template.name)
        procedureIndex[key] = index
        muted += 1
        defer { muted -= 1 }
        let scope = Scope(template: template,
                          frames: [StaticFrame(type: .unknown, label: nil, runtimeIndex: -1, opaque: true)],
                          overrides: overrides, indentation: .none, dynamicIndent: true,
                          inlined: [(key, 0)], conditional: 0, includedFrom: [])
        return compileProcedure(template.nodes, scope, index: index)
    }

    /// Blocks a template gives the template it extends, with their name, the parent's and where (strict only).
    private var givenBlocks: [BlockID: (name: String, parent: String, scope: Scope)] = [:]

    /// After every root is compiled: a block given to a parent that has no block of its name
    /// (a typo: `{{$mian}}`) is ignored by the spec, so the page silently lacks it; strict, an error.
    func reportBlocksNoParentHas() {
        var known: [String: Set<String>] = [:]
        for (id, given) in givenBlocks.sorted(by: { ($0.key.template, $0.key.offset) < ($1.key.template, $1.key.offset) }) {
            guard let parent = templates[given.parent], !parent.hasErrors else { continue }   // (an error of its own)
            if known[given.parent] == nil { var seen: Set<String> = []; known[given.parent] = blockNames(in: parent, &seen) }
            let names = known[given.parent]!
            guard !names.contains(given.name) else { continue }
            var message = "block '\(given.name)' is no block of '\(given.parent)' or of a template it extends, so it is ignored"
            if let suggestion = Self.nearest(given.name, among: names) { message += " (did you mean '\(suggestion)'?)" }
            report(given.scope, id.offset, message)
        }
    }

    /// The names of the blocks a template has: its own, anywhere in it, and those of the templates
    /// it extends or includes (a block there is one it has).
    private func blockNames(in template: MustacheParsedTemplate, _ seen: inout Set<String>) -> Set<String> {
        guard seen.insert(template.name).inserted else { return [] }
        var names: Set<String> = []
        func walk(_ nodes: [MustacheNode]) {
            for node in nodes {
                switch node {
                case .block(let tag, _, let children): names.insert(tag.name); walk(children)
                case .section(_, _, let children): walk(children)
                case .parent(let tag, _, let children):
                    walk(children)
                    if let other = templates[tag.name] { names.formUnion(blockNames(in: other, &seen)) }
                case .partial(let tag, _, _):
                    if let other = templates[tag.name] { names.formUnion(blockNames(in: other, &seen)) }
                case .text, .variable: continue
                }
            }
        }
        walk(template.nodes)
        return names
    }

    private func parent(_ tag: MustacheTag, standalone: [UInt8]?, _ children: [MustacheNode], _ scope: Scope,
                        _ e: inout Emitter) {
        if standalone == nil { indent(tag.lineStart, scope, &e) }
        var overrides: [String: BlockOverride] = [:]
        for child in children {
            switch child {
            case .block(let block, let layout, let nodes):
                if strict, overrides[block.name] != nil {
                    report(scope, block.offset, "block '\(block.name)' is given twice in '\(scope.template.text(of: tag))'")
                }
                if strict { givenBlocks[BlockID(template: scope.template.name, offset: block.offset)] = (block.name, tag.name, scope) }
                overrides[block.name] = BlockOverride(
                    id: BlockID(template: scope.template.name, offset: block.offset), nodes: nodes,
                    template: scope.template, indentation: scope.indentation, layout: layout,
                    includedFrom: scope.includedFrom)
            case .text:
                continue  // text between blocks is ignored
            case .variable(let other, _), .section(let other, _, _), .partial(let other, _, _), .parent(let other, _, _):
                if strict {
                    report(scope, other.offset,
                           "'\(scope.template.text(of: other))' inside '\(scope.template.text(of: tag))' is ignored: only blocks ({{$name}}…{{/name}}) belong there")
                }
            }
        }
        // Blocks given further out win (a child overrides its parent's parent).
        for (name, outer) in scope.overrides { overrides[name] = outer }
        include(tag.name, tag, standalone: standalone, overrides: overrides, scope, &e, what: "parent template")
    }

    private func block(_ tag: MustacheTag, _ layout: MustacheBlockLayout, _ children: [MustacheNode], _ scope: Scope,
                       _ e: inout Emitter) {
        if !layout.standalone { indent(tag.lineStart, scope, &e) }
        let source = scope.overrides[tag.name] ?? BlockOverride(
            id: BlockID(template: scope.template.name, offset: tag.offset), nodes: children, template: scope.template,
            indentation: scope.indentation, layout: layout, includedFrom: scope.includedFrom)
        // Re-indentation: the content's own indentation goes (where it was written standalone),
        // the indentation of this spot comes (where this tag is standalone).
        var indentation = source.indentation
        if source.layout.standalone, let own = source.layout.intrinsic {
            indentation = indentation.removing(source.indentation.apply(own))
        }
        if layout.standalone {
            // The default content's own indentation, or else the tag's.
            let content = layout.intrinsic.map { scope.indentation.apply($0) } ?? []
            indentation = indentation.adding(content.isEmpty ? scope.indentation.apply(layout.indent) : content)
        }
        let key = InlineKey.block(source.id)
        guard !scope.inlined.contains(where: { $0.key == key }) else {
            report(scope, tag.offset, "block '\(tag.name)' is expanded inside itself")
            return
        }
        var inner = scope
        inner.template = source.template
        inner.indentation = indentation
        inner.includedFrom = source.includedFrom
        inner.inlined.append((key, scope.conditional))
        compile(source.nodes, inner, &e)
    }
}

/// The indentation applied to the whitespace that begins each line of an inlined template:
/// steps that add a prefix (an indented partial) or remove one (a block's own indentation).
struct MustacheIndentation {
    enum Step {
        case add([UInt8])
        case remove([UInt8])
    }

    var steps: [Step] = []

    static let none = MustacheIndentation()

    var isNone: Bool {
        steps.allSatisfy {
            switch $0 {
            case .add(let bytes), .remove(let bytes): bytes.isEmpty
            }
        }
    }

    func adding(_ prefix: [UInt8]) -> MustacheIndentation {
        MustacheIndentation(steps: steps + [.add(prefix)])
    }

    func removing(_ prefix: [UInt8]) -> MustacheIndentation {
        MustacheIndentation(steps: steps + [.remove(prefix)])
    }

    func apply(_ whitespace: [UInt8]) -> [UInt8] {
        var result = whitespace
        for step in steps {
            switch step {
            case .add(let prefix):
                result = prefix + result
            case .remove(let prefix):
                result.removeFirst(zip(result, prefix).prefix(while: { $0 == $1 }).count)
            }
        }
        return result
    }
}
