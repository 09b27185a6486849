/// One step of a compiled template. Plain values only (no references), so running one costs
/// no reference counting.
enum MustacheInstruction: Sendable {
    /// Bytes of the library's literal pool: the template's text, indentation, folded constants.
    case literal(start: Int32, count: Int32)
    /// `{{x}}` (escaped) or `{{{x}}}`.
    case interpolate(MustacheAccess, escaped: Bool)
    /// `{{#x}}`: the body is the instructions up to `end`, run once per element of a list, or
    /// once for any other true value, with the value pushed on the context stack.
    case section(MustacheAccess, end: Int32)
    /// `{{^x}}`: skips to `end` when the value is true.
    case inverted(MustacheAccess, end: Int32)
    /// A template that includes itself: runs a procedure. `indent` (literal pool) is the
    /// indentation of a standalone tag, added to the caller's (`keepIndent`) or alone.
    case call(procedure: Int32, indentStart: Int32, indentCount: Int32, keepIndent: Bool)
    /// Inside a procedure, the start of a line: the indentation of the calls that led here.
    case indent
}

/// Where an interpolated or sectioned value comes from.
enum MustacheAccess: Sendable {
    /// `{{.}}`: the top of the context stack.
    case top
    /// A field of a typed object: frame (counted from the procedure's base) and field index.
    case field(frame: Int32, index: Int32)
    /// Anything else, in the program's table.
    case complex(Int32)
}

enum MustacheComplexAccess: Sendable {
    /// Fields of typed objects, then (after an untyped field) members looked up by name.
    case path(frame: Int, indices: [Int], names: [String])
    /// Untyped: the first name looked up from the top of the stack down, the others in what it found.
    case dynamic([String])
    /// Known when compiling (a section over a constant).
    case constant(MustacheValue)
}

/// Every compiled template of a library: procedures (one per root, one per recursive
/// template), the literal pool, and the table of complex accesses.
struct MustacheProgram: Sendable {
    var procedures: [[MustacheInstruction]]
    var literals: [UInt8]
    var accesses: [MustacheComplexAccess]
    /// The template each procedure was compiled from.
    var templates: [String]

    /// Recursion through procedures stops this deep (the data decides how deep a tree goes).
    static let maxCallDepth = 64
    /// And after this many calls in one render: a partial that includes itself for each item of
    /// a list every level finds again (`{{#page.sections}}{{>self}}{{/page.sections}}`) ends within
    /// the depth, but only after the list's length to the 64th power of calls.
    static let maxCalls = 100_000

    /// Runs a procedure; returns the template whose recursion reached `maxCallDepth` or
    /// `maxCalls` and was cut off there, if one did (a partial that includes itself whatever the data).
    @discardableResult
    func run(_ procedure: Int, root: MustacheValue, into out: inout [UInt8]) -> String? {
        literals.withUnsafeBufferPointer { literals in
            var machine = MustacheMachine(procedures: procedures, accesses: accesses, literals: literals, stack: [root])
            machine.stack.reserveCapacity(16)
            machine.run(procedure, base: 0, &out)
            return machine.cutOff.map { templates[$0] }
        }
    }
}

/// The state of one render: the context stack and the indentation of recursive calls.
private struct MustacheMachine {
    let procedures: [[MustacheInstruction]]
    let accesses: [MustacheComplexAccess]
    let literals: UnsafeBufferPointer<UInt8>
    var stack: [MustacheValue]
    var indent: [UInt8] = []
    var depth = 0
    var calls = 0
    /// The first procedure a call to was not made, `maxCallDepth` deep or after `maxCalls`.
    var cutOff: Int?

    mutating func run(_ procedure: Int, base: Int, _ out: inout [UInt8]) {
        let code = procedures[procedure]
        execute(code, 0..<code.count, base: base, &out)
    }

    /// Runs `code[range]`. Recurses once per section nesting level of the template (fixed by
    /// the template, not by the data) and once per recursive call (capped).
    mutating func execute(_ code: [MustacheInstruction], _ range: Range<Int>, base: Int, _ out: inout [UInt8]) {
        var pc = range.lowerBound
        while pc < range.upperBound {
            switch code[pc] {
            case .literal(let start, let count):
                out.append(contentsOf: UnsafeBufferPointer(rebasing: literals[Int(start)..<Int(start + count)]))
                pc += 1
            case .interpolate(let access, let escaped):
                value(access, base).write(escaped: escaped, to: &out)
                pc += 1
            case .section(let access, let end):
                let body = pc + 1..<Int(end)
                let value = value(access, base)
                switch value {
                case .null, .bool(false):
                    break
                case .list(let items):
                    for item in items {
                        stack.append(item)
                        execute(code, body, base: base, &out)
                        stack.removeLast()
                    }
                default:
                    stack.append(value)
                    execute(code, body, base: base, &out)
                    stack.removeLast()
                }
                pc = Int(end)
            case .inverted(let access, let end):
                pc = value(access, base).isTruthy ? Int(end) : pc + 1
            case .call(let procedure, let start, let count, let keepIndent):
                if depth < MustacheProgram.maxCallDepth && calls < MustacheProgram.maxCalls {
                    calls += 1
                    let outer = indent
                    if !keepIndent { indent = [] }
                    indent.append(contentsOf: UnsafeBufferPointer(rebasing: literals[Int(start)..<Int(start + count)]))
                    depth += 1
                    run(Int(procedure), base: stack.count, &out)
                    depth -= 1
                    indent = outer
                } else if cutOff == nil {
                    cutOff = Int(procedure)
                }
                pc += 1
            case .indent:
                out.append(contentsOf: indent)
                pc += 1
            }
        }
    }

    func value(_ access: MustacheAccess, _ base: Int) -> MustacheValue {
        switch access {
        case .top:
            return stack[stack.count - 1]
        case .field(let frame, let index):
            // The frame read in place (a copy of it, to read one field, cost a retain and a release).
            return stack.withUnsafeBufferPointer { $0[base + Int(frame)].field(Int(index)) }
        case .complex(let k):
            switch accesses[Int(k)] {
            case .constant(let value):
                return value
            case .path(let frame, let indices, let names):
                var value = indices.isEmpty ? stack[base + frame] : stack[base + frame].field(path: indices)
                for name in names { value = value.member(name) ?? .null }
                return value
            case .dynamic(let names):
                for frame in stack.reversed() {
                    guard var value = frame.member(names[0]) else { continue }
                    for name in names.dropFirst() { value = value.member(name) ?? .null }
                    return value
                }
                return .null
            }
        }
    }
}
