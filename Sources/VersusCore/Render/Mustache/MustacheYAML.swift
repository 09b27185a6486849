import Yams

extension MustacheValue {
    /// YAML (or JSON, which YAML reads) as untyped template data: mappings become
    /// dictionaries, sequences lists, and scalars null, booleans, numbers or text as YAML
    /// resolves them (quoted scalars stay text). Used for the spec's test data.
    static func yaml(_ text: String) throws -> MustacheValue {
        guard let node = try Yams.compose(yaml: text) else { return .null }
        return MustacheValue(yaml: node)
    }

    init(yaml node: Node) {
        switch node {
        case .scalar(let scalar):
            let tag = node.tag
            if tag == Tag(.null) {
                self = .null
            } else if tag == Tag(.bool), let bool = node.bool {
                self = .bool(bool)
            } else if tag == Tag(.int), let int = node.int {
                self = .number(Double(int))
            } else if tag == Tag(.float), let float = node.float {
                self = .number(float)
            } else {
                self = .text(scalar.string)
            }
        case .mapping(let mapping):
            var members: [String: MustacheValue] = [:]
            for (key, value) in mapping { members[key.string ?? ""] = MustacheValue(yaml: value) }
            self = .dictionary(members)
        case .sequence(let sequence):
            self = .list(sequence.map { MustacheValue(yaml: $0) })
        case .alias:
            self = .null
        }
    }
}
