import Foundation
import Yams

/// Decodes a composed YAML tree (`Yams.Node`) into a `Decodable` value, the way Yams's
/// `YAMLDecoder` does, without its per-value costs (dynamic casts, anchor bookkeeping,
/// linear key searches, user-info dictionaries): front-matter is decoded once per page, so
/// at 10,000 pages those costs were a tenth of a build.
///
/// It gives the same values as `YAMLDecoder` or gives up: scalars are made by Yams's own
/// `ScalarConstructible` constructors, and anything it does not mirror exactly (aliases,
/// anchors, tags, merge keys, duplicate keys) and every failure throws `Unsupported`, so the
/// caller decodes with `YAMLDecoder` instead, for its value or its precise error.
struct NodeDecoder: Decoder {
    struct Unsupported: Error {}

    let node: Node
    /// Not tracked: any failure gives up to `YAMLDecoder`, whose errors name the path.
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func decode<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
        try NodeDecoder(node: node).value(type)
    }

    func value<T: Decodable>(_ type: T.Type) throws -> T {
        // Text is most of front-matter: `String.construct` is the scalar's string, with no conformance lookup.
        if T.self == String.self {
            guard case .scalar(let scalar) = node, scalar.anchor == nil else { throw Unsupported() }
            return scalar.string as! T
        }
        if let scalarType = type as? ScalarConstructible.Type {
            guard case .scalar(let scalar) = node, scalar.anchor == nil, let value = scalarType.construct(from: scalar) as? T else { throw Unsupported() }
            return value
        }
        return try T(from: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node, mapping.anchor == nil, NodeDecoder.plain(mapping.tag, .map) else { throw Unsupported() }
        // A front-matter mapping has a dozen keys at most: a list searched in order beats hashing each.
        var order: [String] = []
        var values: [Node] = []
        order.reserveCapacity(mapping.count)
        values.reserveCapacity(mapping.count)
        for (key, value) in mapping {
            guard case .scalar(let k) = key, k.string != "<<", !order.contains(k.string) else { throw Unsupported() }
            order.append(k.string)
            values.append(value)
        }
        return KeyedDecodingContainer(Keyed<Key>(order: order, values: values))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node, sequence.anchor == nil, NodeDecoder.plain(sequence.tag, .seq) else { throw Unsupported() }
        return Unkeyed(items: Array(sequence))
    }

    /// A collection with no tag of its own (Yams's decoder would expose a written tag as a key).
    static func plain(_ tag: Tag, _ standard: Tag.Name) -> Bool {
        tag.rawValue == Tag.Name.implicit.rawValue || tag.rawValue == standard.rawValue
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { Single(decoder: self) }

    /// The decoder of a value inside this one (an alias is left to YAMLDecoder).
    static func child(_ node: Node) throws -> NodeDecoder {
        if case .alias = node { throw Unsupported() }
        return NodeDecoder(node: node)
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        /// The keys in the order written, and their values.
        let order: [String]
        let values: [Node]
        var codingPath: [CodingKey] { [] }
        var allKeys: [Key] { order.compactMap(Key.init(stringValue:)) }
        func contains(_ key: Key) -> Bool { lookup(key) != nil }
        func lookup(_ key: Key) -> Node? {
            let name = key.stringValue
            guard let i = order.firstIndex(of: name) else { return nil }
            return values[i]
        }
        func node(_ key: Key) throws -> NodeDecoder {
            guard let node = lookup(key) else { throw Unsupported() }
            return try NodeDecoder.child(node)
        }
        func decodeNil(forKey key: Key) throws -> Bool { try node(key).node.null != nil }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try node(key).value(type) }
        /// What the standard library's `decodeIfPresent` does (`contains`, `decodeNil`, `decode`), with one lookup.
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try present(type, key) }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(type, key) }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(type, key) }
        private func present<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
            guard let found = lookup(key) else { return nil }
            let decoder = try NodeDecoder.child(found)
            return found.null != nil ? nil : try decoder.value(type)
        }
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            try node(key).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try node(key).unkeyedContainer() }
        func superDecoder() throws -> Decoder { throw Unsupported() }
        func superDecoder(forKey key: Key) throws -> Decoder { try node(key) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let items: [Node]
        var codingPath: [CodingKey] { [] }
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }
        var currentIndex = 0
        init(items: [Node]) {
            self.items = items
        }
        mutating func next() throws -> NodeDecoder {
            guard !isAtEnd else { throw Unsupported() }
            defer { currentIndex += 1 }
            return try NodeDecoder.child(items[currentIndex])
        }
        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd else { throw Unsupported() }
            if items[currentIndex].null != nil { currentIndex += 1; return true }
            return false
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().value(type) }
        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
            try next().container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> Decoder { try next() }
    }

    struct Single: SingleValueDecodingContainer {
        let decoder: NodeDecoder
        var codingPath: [CodingKey] { decoder.codingPath }
        func decodeNil() -> Bool { decoder.node.null != nil }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.value(type) }
    }
}
