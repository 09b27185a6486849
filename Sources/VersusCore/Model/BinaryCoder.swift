import Foundation

/// A compact binary form of any `Codable` value, for the build store and for digests.
///
/// Values are written in the order the type's own `Codable` conformance visits them
/// (for synthesized conformances, declaration order), without keys: the layout is
/// derived from the types. The types written by the ten thousand write their fields
/// themselves (`BinaryWritable`), and a debug build checks every such value against the
/// bytes its `Codable` form gives, so that layout too is the types'. Strings and lists carry their length;
/// integers are zig-zag varints; an optional is a presence byte and its value.
/// A store written by one build of Versus is read only by the same build (the build
/// identity is part of every store), so the layout never has to be versioned.
public final class BinaryEncoder: Encoder {
  /// What the encoder writes to, behind a pointer it owns: it is written on every value, and
  /// a class's stored `var`s would cost an exclusivity check on each access.
  struct State {
    var bytes: [UInt8] = []
    /// Whether each string is written once, and the strings written so far with their numbers.
    var interning = false
    var interned = Interned()
    /// How each type is written (`Kinds`).
    var kinds = TypeTable<Kind>()
    /// The keyed containers made so far, by key type (`KeyedEncodingContainer` is one reference).
    var containers = TypeTable<AnyObject>()
    /// Debug builds: write every value through its `Codable` form (`BinaryWritable` values too),
    /// and whether this encoder checks a value's own writing against that (`writesAsCodable`).
    var codableOnly = false
    var checking = false
  }
  let state: UnsafeMutablePointer<State>
  init() {
    state = .allocate(capacity: 1)
    state.initialize(to: State())
  }
  deinit {
    state.deinitialize(count: 1)
    state.deallocate()
  }
  public var codingPath: [CodingKey] { [] }
  public var userInfo: [CodingUserInfoKey: Any] { [:] }
  /// - Parameter interning: write each string once: a repeat is written as the number of
  ///   its first appearance (for values that repeat many strings, such as a run of page
  ///   plans linking the same pages; read back with `BinaryDecoder.decode(_:from:interning:)`,
  ///   the repeats share one copy).
  /// - Parameter capacity: about how many bytes the value takes, when the caller knows (room
  ///   made once, not grown by doubling as it is written).
  public static func encode<T: Encodable>(_ v: T, interning: Bool = false, capacity: Int = 0) -> [UInt8] {
    let e = spare.take() ?? BinaryEncoder()
    defer { spare.give(e) }
    e.state.pointee.interning = interning
    if capacity > 0 { e.state.pointee.bytes.reserveCapacity(capacity) }
    // Writing into a byte buffer cannot fail; an `encode(to:)` that throws on its own is a programming error.
    do { try e.value(v) } catch { preconditionFailure("BinaryEncoder: \(error)") }
    // Handed over whole: the encoder keeps no reference to the bytes it wrote.
    defer {
      e.state.pointee.bytes = []
      if interning { e.state.pointee.interned = Interned() }
    }
    return e.state.pointee.bytes
  }

  /// Encoders done with, for the next value: what an encoder learns of the types it writes
  /// (`kinds`, `containers`) is asked of the runtime once per type and encoder, and a build
  /// encodes tens of thousands of values (pages, plans, records) of the same few dozen types.
  private static let spare = Spare<BinaryEncoder>()
  public func container<Key: CodingKey>(keyedBy: Key.Type) -> KeyedEncodingContainer<Key> {
    state.pointee.containers.container(Key.self) { KeyedEncodingContainer(Keyed<Key>(e: self)) }
  }
  public func unkeyedContainer() -> UnkeyedEncodingContainer { let at = state.pointee.bytes.count; u32(0); return Unkeyed(e: self, at: at) }
  public func singleValueContainer() -> SingleValueEncodingContainer { Single(e: self) }

  @inline(__always) func byte(_ b: UInt8) { state.pointee.bytes.append(b) }
  @inline(__always) func u32(_ n: Int) {
    let n = UInt32(truncatingIfNeeded: n)
    state.pointee.bytes.append(UInt8(n & 0xff))
    state.pointee.bytes.append(UInt8(n >> 8 & 0xff))
    state.pointee.bytes.append(UInt8(n >> 16 & 0xff))
    state.pointee.bytes.append(UInt8(n >> 24))
  }
  @inline(__always) func varint(_ v: UInt64) {
    var v = v
    while v >= 0x80 { state.pointee.bytes.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
    state.pointee.bytes.append(UInt8(v))
  }
  @inline(__always) func str(_ s: String) {
    if state.pointee.interning { return internedStr(s) }
    // Read in place (a native string's bytes are contiguous); a copy of the string only otherwise.
    let written: Void? = s.utf8.withContiguousStorageIfAvailable { b in
      varint(UInt64(b.count))
      state.pointee.bytes.append(contentsOf: b)
    }
    if written != nil { return }
    var s = s; s.withUTF8 { b in varint(UInt64(b.count)); state.pointee.bytes.append(contentsOf: b) }
  }
  /// A string seen before: its number, odd; else its length, even, and its bytes.
  func internedStr(_ s: String) {
    var s = s
    s.withUTF8 { b in
      let found = state.pointee.bytes.withUnsafeBufferPointer { written in state.pointee.interned.number(of: b, in: written) }
      if let n = found { return varint(UInt64(n) << 1 | 1) }
      varint(UInt64(b.count) << 1)
      state.pointee.interned.add(b, at: state.pointee.bytes.count)
      state.pointee.bytes.append(contentsOf: b)
    }
  }
  @inline(__always) func int(_ i: Int64) { varint(UInt64(bitPattern: i) << 1 ^ UInt64(bitPattern: i >> 63)) }
  @inline(__always) func bool(_ b: Bool) { byte(b ? 1 : 0) }
  /// A link as its `encode(to:)` writes it: a pair, its title and its path.
  @inline(__always) func link(_ link: Link) {
    u32(2)
    str(link.title)
    str(link.path)
  }
  /// Blocks as `Block.encode(to:)` writes each, after their count: a table's presence byte,
  /// then the table, or the HTML's presence byte and the HTML or the Markdown.
  func blocks(_ list: [Block]) throws {
    u32(list.count)
    for block in list {
      switch block {
      case .markdown(let markdown):
        byte(0)
        byte(0)
        str(markdown)
      case .html(let html):
        byte(0)
        byte(1)
        str(html)
      case .table(let table):
        byte(1)
        try value(table)
      }
    }
  }
  /// Bytes as they are (`Blob`): their length and the bytes.
  func blob(_ b: [UInt8]) { varint(UInt64(b.count)); state.pointee.bytes.append(contentsOf: b) }

  struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    unowned(unsafe) let e: BinaryEncoder; var codingPath: [CodingKey] { [] }
    mutating func encodeNil(forKey key: Key) throws { e.byte(0) }
    mutating func encode(_ v: Bool, forKey key: Key) throws { e.byte(v ? 1 : 0) }
    mutating func encode(_ v: String, forKey key: Key) throws { e.str(v) }
    mutating func encode(_ v: Int, forKey key: Key) throws { e.int(Int64(v)) }
    mutating func encode(_ v: Int64, forKey key: Key) throws { e.int(v) }
    mutating func encode(_ v: UInt64, forKey key: Key) throws { e.varint(v) }
    mutating func encode(_ v: Double, forKey key: Key) throws { e.varint(v.bitPattern) }
    mutating func encode<T: Encodable>(_ v: T, forKey key: Key) throws { try e.value(v) }
    mutating func encodeIfPresent(_ v: String?, forKey key: Key) throws { try e.optional(v) }
    mutating func encodeIfPresent(_ v: Int?, forKey key: Key) throws { try e.optional(v) }
    mutating func encodeIfPresent(_ v: Bool?, forKey key: Key) throws { try e.optional(v) }
    mutating func encodeIfPresent<T: Encodable>(_ v: T?, forKey key: Key) throws { try e.optional(v) }
    mutating func nestedContainer<NK: CodingKey>(keyedBy: NK.Type, forKey key: Key) -> KeyedEncodingContainer<NK> { e.container(keyedBy: NK.self) }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer { e.unkeyedContainer() }
    mutating func superEncoder() -> Encoder { e }
    mutating func superEncoder(forKey key: Key) -> Encoder { e }
  }
  struct Unkeyed: UnkeyedEncodingContainer {
    unowned(unsafe) let e: BinaryEncoder; let at: Int; var count = 0; var codingPath: [CodingKey] { [] }
    mutating func bump() {
      count += 1
      let c = UInt32(count)
      e.state.pointee.bytes.withUnsafeMutableBufferPointer { b in
        b[at] = UInt8(c & 0xff); b[at + 1] = UInt8(c >> 8 & 0xff); b[at + 2] = UInt8(c >> 16 & 0xff); b[at + 3] = UInt8(c >> 24)
      }
    }
    mutating func encodeNil() throws { bump(); e.byte(0) }
    mutating func encode(_ v: String) throws { bump(); e.str(v) }
    mutating func encode(_ v: Int) throws { bump(); e.int(Int64(v)) }
    mutating func encode<T: Encodable>(_ v: T) throws { bump(); try e.value(v) }
    mutating func nestedContainer<NK: CodingKey>(keyedBy: NK.Type) -> KeyedEncodingContainer<NK> { bump(); return e.container(keyedBy: NK.self) }
    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer { bump(); return e.unkeyedContainer() }
    mutating func superEncoder() -> Encoder { e }
  }
  struct Single: SingleValueEncodingContainer {
    unowned(unsafe) let e: BinaryEncoder; var codingPath: [CodingKey] { [] }
    mutating func encodeNil() throws { e.byte(0) }
    mutating func encode(_ v: Bool) throws { e.byte(v ? 1 : 0) }
    mutating func encode(_ v: String) throws { e.str(v) }
    mutating func encode(_ v: Int) throws { e.int(Int64(v)) }
    mutating func encode(_ v: Int64) throws { e.int(v) }
    mutating func encode(_ v: UInt64) throws { e.varint(v) }
    mutating func encode(_ v: Double) throws { e.varint(v.bitPattern) }
    mutating func encode<T: Encodable>(_ v: T) throws { try e.value(v) }
  }

  /// A value; dictionaries as their entries sorted by key (their own `Codable` form has
  /// keys this format does not write, and an order that differs from run to run).
  func value<T: Encodable>(_ v: T) throws {
    // The most common leaves first, written in place (the same bytes their `Codable` form gives).
    if T.self == String.self { return str(unsafeBitCast(v, to: String.self)) }
    if T.self == [String].self {
      let list = unsafeBitCast(v, to: [String].self)
      u32(list.count)
      for s in list { str(s) }
      return
    }
    if T.self == Int.self { return int(Int64(unsafeBitCast(v, to: Int.self))) }
    if T.self == Bool.self { return byte(unsafeBitCast(v, to: Bool.self) ? 1 : 0) }
    // Links and days, by the hundred thousand in a site: their pair and triple as their `encode(to:)` writes them.
    if T.self == Link.self { return link(unsafeBitCast(v, to: Link.self)) }
    if T.self == [Link].self {
      // A plan's three lists of them: each link read in place, not copied out of the list.
      unsafeBitCast(v, to: [Link].self).withUnsafeBufferPointer { list in
        u32(list.count)
        for i in list.indices { link(list[i]) }
      }
      return
    }
    if T.self == Blob.self { return blob(unsafeBitCast(v, to: Blob.self).bytes) }
    // A page's sections and blocks, one page in the store each (a container per section and per
    // block, asked of the runtime, cost more than the text they hold): as their `encode(to:)` writes them.
    if T.self == [Section].self {
      let sections = unsafeBitCast(v, to: [Section].self)
      u32(sections.count)
      for section in sections {
        str(section.heading)
        str(section.role.rawValue)
        try blocks(section.blocks)
      }
      return
    }
    if T.self == [Block].self { return try blocks(unsafeBitCast(v, to: [Block].self)) }
    if T.self == Day.self {
      let day = unsafeBitCast(v, to: Day.self)
      u32(3)
      int(Int64(day.year))
      int(Int64(day.month))
      int(Int64(day.day))
      return
    }
    let id = ObjectIdentifier(T.self)
    switch state.pointee.kinds[id] ?? state.pointee.kinds.add(id, Kind.of(T.self)) {
    case .writable(let writable):
      #if DEBUG
      if state.pointee.codableOnly { return try v.encode(to: self) }
      // Every value a debug build (the tests) writes itself is checked against its `Codable` form:
      // a field added to a type and not to its `writeBinary` cannot go unnoticed.
      if !state.pointee.checking {
        precondition(BinaryEncoder.writesAsCodable(v), "BinaryEncoder: \(T.self).writeBinary(to:) writes other bytes than its Codable form")
      }
      #endif
      try writable.writeBinary(v, to: self)
    case .dictionary(let dictionary): try dictionary.encodeBinary(v, to: self)
    case .array(let array): try array.encodeBinary(v, to: self)
    case .other: try v.encode(to: self)
    }
  }

  /// An optional, in fields a type writes itself and in a keyed container's `encodeIfPresent`:
  /// a presence byte and the value (a `Bool?` as one byte: 0 absent, 1 false, 2 true).
  @inline(__always) func optional<T: Encodable>(_ v: T?) throws {
    guard let v else { return byte(0) }
    if T.self == Bool.self { return byte(unsafeBitCast(v, to: Bool.self) ? 2 : 1) }
    byte(1)
    try value(v)
  }

  /// Whether a value that writes itself (`BinaryWritable`, and every such value inside it) gives
  /// the bytes its `Codable` form gives: the check a debug build makes of every such value.
  static func writesAsCodable<T: Encodable>(_ v: T) -> Bool {
    let codable = BinaryEncoder(), written = BinaryEncoder()
    codable.state.pointee.codableOnly = true
    codable.state.pointee.checking = true
    written.state.pointee.checking = true
    do {
      try codable.value(v)
      try written.value(v)
    } catch {
      return false
    }
    return codable.state.pointee.bytes == written.state.pointee.bytes
  }

  /// How a type is written: dictionaries and lists by this encoder, anything else by its own
  /// `encode(to:)`. Asked of the runtime once per type and encoder (a conformance check for
  /// every value costs more than writing the value).
  enum Kind {
    case writable(any BinaryWritable.Type), dictionary(any BinaryDictionary.Type), array(any BinaryEncodableArray.Type), other
    static func of<T>(_ t: T.Type) -> Kind {
      (t as? any BinaryEncodingKind.Type)?.binaryEncodingKind ?? .other
    }
  }

  /// The strings written so far when interning, found by their bytes: each entry is where its
  /// first copy was written in the output, and its number.
  struct Interned {
    private var slots: [Entry] = []
    private var count = 0

    struct Entry {
      var hash: UInt64 = 0   // 0: an empty slot
      var at = 0, length = 0, number = 0
    }

    /// The number of the string with these bytes, when it was written before into `written`.
    func number(of b: UnsafeBufferPointer<UInt8>, in written: UnsafeBufferPointer<UInt8>) -> Int? {
      guard !slots.isEmpty else { return nil }
      let h = ByteScan.hash(b)
      let mask = slots.count - 1
      var i = Int(truncatingIfNeeded: h >> 7) & mask
      while slots[i].hash != 0 {
        let e = slots[i]
        if e.hash == h, e.length == b.count, b.count == 0 || memcmp(written.baseAddress! + e.at, b.baseAddress!, b.count) == 0 {
          return e.number
        }
        i = (i + 1) & mask
      }
      return nil
    }

    /// A string not written before, whose bytes are about to be written at `at`: it gets the next number.
    mutating func add(_ b: UnsafeBufferPointer<UInt8>, at: Int) {
      if (count + 1) * 2 > slots.count {
        let old = slots
        slots = [Entry](repeating: Entry(), count: max(256, old.count * 2))
        for e in old where e.hash != 0 { put(e) }
      }
      put(Entry(hash: ByteScan.hash(b), at: at, length: b.count, number: count))
      count += 1
    }

    private mutating func put(_ e: Entry) {
      let mask = slots.count - 1
      var i = Int(truncatingIfNeeded: e.hash >> 7) & mask
      while slots[i].hash != 0 { i = (i + 1) & mask }
      slots[i] = e
    }
  }
}

/// A small map from types to what a coder does with them, found by the type's identity
/// with no hashing (a coder asks once per value it writes or reads).
extension TypeTable where Kind == AnyObject {
  /// The keyed container of a coder for one key type: made once and handed out again. It holds
  /// nothing but its coder (`KeyedEncodingContainer` and `KeyedDecodingContainer` are one
  /// reference each), and making one looks up its generic types in the runtime, for every value.
  mutating func container<Key, Container>(_ key: Key.Type, _ make: () -> Container) -> Container {
    let id = ObjectIdentifier(key)
    if let box = self[id] { return unsafeBitCast(box, to: Container.self) }
    let made = make()
    _ = add(id, unsafeBitCast(made, to: AnyObject.self))
    return made
  }
}

struct TypeTable<Kind> {
  private var keys = [UInt](repeating: 0, count: 64)   // 0: an empty slot
  private var kinds = [Kind?](repeating: nil, count: 64)
  private var count = 0

  @inline(__always)
  private static func slot(_ key: UInt, _ mask: Int) -> Int { Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask }

  /// What is known of a type, if anything.
  subscript(_ t: ObjectIdentifier) -> Kind? {
    let key = UInt(bitPattern: t)
    let mask = keys.count - 1
    var i = Self.slot(key, mask)
    while keys[i] != 0 {
      if keys[i] == key { return kinds[i] }
      i = (i + 1) & mask
    }
    return nil
  }

  /// Records what is known of a type (not known before), and returns it.
  mutating func add(_ t: ObjectIdentifier, _ kind: Kind) -> Kind {
    if (count + 1) * 2 > keys.count {
      let (oldKeys, oldKinds) = (keys, kinds)
      keys = [UInt](repeating: 0, count: oldKeys.count * 2)
      kinds = [Kind?](repeating: nil, count: oldKeys.count * 2)
      for j in oldKeys.indices where oldKeys[j] != 0 { put(oldKeys[j], oldKinds[j]!) }
    }
    put(UInt(bitPattern: t), kind)
    count += 1
    return kind
  }

  private mutating func put(_ key: UInt, _ kind: Kind) {
    let mask = keys.count - 1
    var i = Self.slot(key, mask)
    while keys[i] != 0 { i = (i + 1) & mask }
    keys[i] = key
    kinds[i] = kind
  }
}

/// A value that writes its binary form itself, field by field in the order its `Codable` form
/// visits them, without the keyed container (a box, and a generic call through it per field)
/// that form costs: for the types a build writes by the ten thousand (pages, summaries, plans,
/// store records, the inputs output keys are made from). The bytes are the same, so they are
/// read back through `Codable`; a debug build checks every value written so against its
/// `Codable` form (`BinaryEncoder.writesAsCodable`).
protocol BinaryWritable: Encodable, BinaryEncodingKind {
  func writeBinary(to e: BinaryEncoder) throws
  /// Writes `v`, which is of this type.
  static func writeBinary<V>(_ v: V, to e: BinaryEncoder) throws
}

extension BinaryWritable {
  static func writeBinary<V>(_ v: V, to e: BinaryEncoder) throws { try unsafeBitCast(v, to: Self.self).writeBinary(to: e) }
  static var binaryEncodingKind: BinaryEncoder.Kind { .writable(Self.self) }
}

/// How the encoder writes a type's values, as the type says: the encoder asks the runtime for
/// this one conformance of each type it meets (`Kind.of`), not for one per way of writing. The
/// first question about a type scans every conformance in the binary, and up to three for each
/// type a build wrote were a large part of a small build's start; the decoder's is
/// `BinaryDecodingKind`.
protocol BinaryEncodingKind {
  static var binaryEncodingKind: BinaryEncoder.Kind { get }
}

/// How the decoder reads a type's values, as the type says (see `BinaryEncodingKind`).
protocol BinaryDecodingKind {
  static var binaryDecodingKind: BinaryDecoder.Kind { get }
}

/// Lists in the binary form, written as their own `Codable` form writes them (a count, then
/// each element) without a container per list.
protocol BinaryEncodableArray {
  static func encodeBinary<V>(_ v: V, to e: BinaryEncoder) throws
}

extension Array: BinaryEncodableArray, BinaryEncodingKind where Element: Encodable {
  static var binaryEncodingKind: BinaryEncoder.Kind { .array(Self.self) }

  static func encodeBinary<V>(_ v: V, to e: BinaryEncoder) throws {
    let list = unsafeBitCast(v, to: [Element].self)
    e.u32(list.count)
    for element in list { try e.value(element) }
  }
}

/// Dictionaries in the binary form: a count, then key and value pairs in key order.
protocol BinaryDictionary {
  /// Writes `v`, which is of this type.
  static func encodeBinary<V>(_ v: V, to e: BinaryEncoder) throws
  /// Reads a value of this type, which is `V`.
  static func decodeBinary<V>(_ v: V.Type, from d: BinaryDecoder) throws -> V
}

extension Dictionary: BinaryDictionary, BinaryEncodingKind, BinaryDecodingKind where Key: Codable & Comparable, Value: Codable {
  static var binaryEncodingKind: BinaryEncoder.Kind { .dictionary(Self.self) }
  static var binaryDecodingKind: BinaryDecoder.Kind { .dictionary(Self.self) }

  static func encodeBinary<V>(_ v: V, to e: BinaryEncoder) throws {
    let dictionary = unsafeBitCast(v, to: Self.self)
    var c = e.unkeyedContainer()
    for key in dictionary.keys.sorted() {
      try c.encode(key)
      try c.encode(dictionary[key]!)
    }
  }

  static func decodeBinary<V>(_ v: V.Type, from d: BinaryDecoder) throws -> V {
    var c = try d.unkeyedContainer()
    var out: Self = [:]
    while !c.isAtEnd {
      let key = try c.decode(Key.self)
      out[key] = try c.decode(Value.self)
    }
    return unsafeBitCast(out, to: V.self)
  }
}

/// Lists in the binary form (as their own `Codable` form writes them: a count, then each
/// element), read with room for them all made first.
protocol BinaryArray {
  /// Reads a value of this type, which is `V`.
  static func decodeBinary<V>(_ v: V.Type, from d: BinaryDecoder) throws -> V
}

extension Array: BinaryArray, BinaryDecodingKind where Element: Decodable {
  static var binaryDecodingKind: BinaryDecoder.Kind { .array(Self.self) }

  static func decodeBinary<V>(_ v: V.Type, from d: BinaryDecoder) throws -> V {
    let n = try d.u32()
    var out: Self = []
    out.reserveCapacity(Swift.min(n, d.bytes.count - d.i))
    for _ in 0..<n { out.append(try d.value(Element.self)) }
    return unsafeBitCast(out, to: V.self)
  }
}

public struct BinaryDecodingError: Error {}

/// Reads what `BinaryEncoder` wrote.
public final class BinaryDecoder: Decoder {
  /// The bytes read, borrowed for the one call that decodes them (read without bounds checks
  /// beyond the decoder's own; nothing decoded keeps a reference to them), and the position.
  ///
  /// A decoder is used by one thread, one read at a time, and no read overlaps another: its
  /// properties are kept out of Swift's run-time exclusivity checks, which cost two calls on
  /// each byte read (the compiler still checks every access it can see).
  @exclusivity(unchecked) private(set) var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
  @exclusivity(unchecked) var i = 0
  private init() {}
  public var codingPath: [CodingKey] { [] }
  public var userInfo: [CodingUserInfoKey: Any] { [:] }
  /// - Parameter damage: where a value read later (`PageSummary`'s fields) reports bytes
  ///   that do not decode.
  public static func decode<T: Decodable>(_ t: T.Type, from b: [UInt8], interning: Bool = false, damage: StoreDamage? = nil) throws -> T {
    try b.withUnsafeBufferPointer { try read(T.self, from: $0, interning: interning, damage: damage) }
  }

  /// Reads `Data` (a value from the build store) in place, with no copy.
  public static func decode<T: Decodable>(_ t: T.Type, from data: Data, interning: Bool = false, damage: StoreDamage? = nil) throws -> T {
    try data.withUnsafeBytes { try read(T.self, from: $0.bindMemory(to: UInt8.self), interning: interning, damage: damage) }
  }

  /// Reads with a decoder done with before, which knows the types it read then (`kinds`,
  /// `containers`: asked of the runtime once per type and decoder, as for `BinaryEncoder`).
  private static func read<T: Decodable>(_ t: T.Type, from bytes: UnsafeBufferPointer<UInt8>, interning: Bool, damage: StoreDamage?) throws -> T {
    let d = spare.take() ?? BinaryDecoder()
    defer {
      d.bytes = UnsafeBufferPointer(start: nil, count: 0)
      d.table = nil
      d.damage = nil
      spare.give(d)
    }
    d.bytes = bytes
    d.i = 0
    d.table = interning ? [] : nil
    d.damage = damage
    return try d.value(T.self)
  }

  private static let spare = Spare<BinaryDecoder>()
  public func container<Key: CodingKey>(keyedBy: Key.Type) throws -> KeyedDecodingContainer<Key> {
    containers.container(Key.self) { KeyedDecodingContainer(Keyed<Key>(d: self)) }
  }
  /// The keyed containers made so far, by key type (`KeyedDecodingContainer` is one reference).
  @exclusivity(unchecked) private var containers = TypeTable<AnyObject>()
  public func unkeyedContainer() throws -> UnkeyedDecodingContainer { let n = try u32(); return Unkeyed(d: self, n: n) }
  public func singleValueContainer() throws -> SingleValueDecodingContainer { Single(d: self) }

  @inline(__always) func byte() throws -> UInt8 { guard i < bytes.count else { throw BinaryDecodingError() }; defer { i += 1 }; return bytes[i] }
  @inline(__always) func u32() throws -> Int { guard i + 4 <= bytes.count else { throw BinaryDecodingError() }; let v = Int(bytes[i]) | Int(bytes[i+1]) << 8 | Int(bytes[i+2]) << 16 | Int(bytes[i+3]) << 24; i += 4; return v }
  @inline(__always) func varint() throws -> UInt64 { var v: UInt64 = 0; var shift: UInt64 = 0; while true { let b = try byte(); v |= UInt64(b & 0x7f) << shift; if b < 0x80 { return v }; shift += 7; if shift > 63 { throw BinaryDecodingError() } } }
  @inline(__always) func int() throws -> Int64 { let v = try varint(); return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1) }
  /// The strings read so far, when the bytes were written interning.
  @exclusivity(unchecked) var table: [String]?
  /// See `decode(_:from:interning:damage:)`.
  @exclusivity(unchecked) var damage: StoreDamage?
  /// Blocks written by `BinaryEncoder.blocks`.
  func blocks() throws -> [Block] {
    let n = try u32()
    var out: [Block] = []
    out.reserveCapacity(Swift.min(n, bytes.count - i))
    for _ in 0..<n {
      if try byte() != 0 { out.append(.table(try value(Table.self))); continue }
      out.append(try byte() == 0 ? .markdown(try str()) : .html(try str()))
    }
    return out
  }
  /// Bytes written by `BinaryEncoder.blob`.
  func blob() throws -> [UInt8] {
    let n = Int(try varint()); guard n <= bytes.count - i else { throw BinaryDecodingError() }
    defer { i += n }
    return Array(UnsafeBufferPointer(rebasing: bytes[i..<(i + n)]))
  }
  @inline(__always) func str() throws -> String {
    guard table == nil else { return try internedStr() }
    let n = Int(try varint()); guard i + n <= bytes.count else { throw BinaryDecodingError() }; defer { i += n }; return String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i+n)]), as: UTF8.self) }
  func internedStr() throws -> String {
    let v = try varint()
    if v & 1 == 1 {
      guard let n = Int(exactly: v >> 1), n < table!.count else { throw BinaryDecodingError() }
      return table![n]
    }
    let n = Int(v >> 1)
    guard i + n <= bytes.count else { throw BinaryDecodingError() }
    defer { i += n }
    let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i+n)]), as: UTF8.self)
    table!.append(s)
    return s
  }

  struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    unowned(unsafe) let d: BinaryDecoder; var codingPath: [CodingKey] { [] }; var allKeys: [Key] { [] }
    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { try d.byte() == 0 }
    func decode(_ t: Bool.Type, forKey key: Key) throws -> Bool { try d.byte() != 0 }
    func decode(_ t: String.Type, forKey key: Key) throws -> String { try d.str() }
    func decode(_ t: Int.Type, forKey key: Key) throws -> Int { Int(try d.int()) }
    func decode(_ t: Int64.Type, forKey key: Key) throws -> Int64 { try d.int() }
    func decode(_ t: UInt64.Type, forKey key: Key) throws -> UInt64 { try d.varint() }
    func decode(_ t: Double.Type, forKey key: Key) throws -> Double { Double(bitPattern: try d.varint()) }
    func decode<T: Decodable>(_ t: T.Type, forKey key: Key) throws -> T { try d.value(T.self) }
    func decodeIfPresent(_ t: String.Type, forKey key: Key) throws -> String? { try d.optional(t) }
    func decodeIfPresent(_ t: Int.Type, forKey key: Key) throws -> Int? { try d.optional(t) }
    func decodeIfPresent(_ t: Bool.Type, forKey key: Key) throws -> Bool? { try d.optional(t) }
    func decodeIfPresent<T: Decodable>(_ t: T.Type, forKey key: Key) throws -> T? { try d.optional(t) }
    func nestedContainer<NK: CodingKey>(keyedBy: NK.Type, forKey key: Key) throws -> KeyedDecodingContainer<NK> { try d.container(keyedBy: NK.self) }
    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try d.unkeyedContainer() }
    func superDecoder() throws -> Decoder { d }
    func superDecoder(forKey key: Key) throws -> Decoder { d }
  }
  struct Unkeyed: UnkeyedDecodingContainer {
    unowned(unsafe) let d: BinaryDecoder; let n: Int; var currentIndex = 0; var codingPath: [CodingKey] { [] }
    var count: Int? { n }; var isAtEnd: Bool { currentIndex >= n }
    mutating func decodeNil() throws -> Bool { guard d.i < d.bytes.count else { throw BinaryDecodingError() }; if d.bytes[d.i] == 0 { d.i += 1; currentIndex += 1; return true }; return false }
    mutating func decode(_ t: String.Type) throws -> String { currentIndex += 1; return try d.str() }
    mutating func decode(_ t: Int.Type) throws -> Int { currentIndex += 1; return Int(try d.int()) }
    mutating func decode<T: Decodable>(_ t: T.Type) throws -> T { currentIndex += 1; return try d.value(T.self) }
    mutating func nestedContainer<NK: CodingKey>(keyedBy: NK.Type) throws -> KeyedDecodingContainer<NK> { currentIndex += 1; return try d.container(keyedBy: NK.self) }
    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { currentIndex += 1; return try d.unkeyedContainer() }
    mutating func superDecoder() throws -> Decoder { d }
  }
  struct Single: SingleValueDecodingContainer {
    unowned(unsafe) let d: BinaryDecoder; var codingPath: [CodingKey] { [] }
    func decodeNil() -> Bool { if d.i < d.bytes.count, d.bytes[d.i] == 0 { d.i += 1; return true }; return false }
    func decode(_ t: Bool.Type) throws -> Bool { try d.byte() != 0 }
    func decode(_ t: String.Type) throws -> String { try d.str() }
    func decode(_ t: Int.Type) throws -> Int { Int(try d.int()) }
    func decode(_ t: Int64.Type) throws -> Int64 { try d.int() }
    func decode(_ t: UInt64.Type) throws -> UInt64 { try d.varint() }
    func decode(_ t: Double.Type) throws -> Double { Double(bitPattern: try d.varint()) }
    func decode<T: Decodable>(_ t: T.Type) throws -> T { try d.value(T.self) }
  }

  func value<T: Decodable>(_ t: T.Type) throws -> T {
    // The most common leaves first, read in place (the same bytes their `Codable` form gives).
    // (Lists, strings included, are read by `BinaryArray`.)
    if T.self == String.self { return unsafeBitCast(try str(), to: T.self) }
    if T.self == Int.self { return unsafeBitCast(Int(try int()), to: T.self) }
    if T.self == Bool.self { return unsafeBitCast(try byte() != 0, to: T.self) }
    if T.self == Link.self {
      guard try u32() == 2 else { throw BinaryDecodingError() }
      return unsafeBitCast(Link(title: try str(), path: try str()), to: T.self)
    }
    if T.self == Blob.self { return unsafeBitCast(Blob(try blob()), to: T.self) }
    if T.self == [Section].self {
      let n = try u32()
      var sections: [Section] = []
      sections.reserveCapacity(Swift.min(n, bytes.count - i))
      for _ in 0..<n {
        let heading = try str()
        sections.append(Section(heading: heading, role: try rawValue(Role.self), blocks: try blocks()))
      }
      return unsafeBitCast(sections, to: T.self)
    }
    if T.self == [Block].self { return unsafeBitCast(try blocks(), to: T.self) }
    if T.self == Day.self {
      guard try u32() == 3 else { throw BinaryDecodingError() }
      return unsafeBitCast(Day(year: Int(try int()), month: Int(try int()), day: Int(try int())), to: T.self)
    }
    let id = ObjectIdentifier(T.self)
    switch kinds[id] ?? kinds.add(id, Kind.of(T.self)) {
    case .readable(let readable):
      #if DEBUG
      if codableOnly { return try T(from: self) }
      // Every value a debug build (the tests) reads itself is checked against its `Codable` form.
      if !checking {
        let agrees = try readsAsCodable(T.self)
        precondition(agrees, "BinaryDecoder: \(T.self).init(binary:) reads other than its Codable form")
      }
      #endif
      return try readable.readBinary(T.self, from: self)
    case .dictionary(let dictionary): return try dictionary.decodeBinary(T.self, from: self)
    case .array(let array): return try array.decodeBinary(T.self, from: self)
    case .other: return try T(from: self)
    }
  }

  /// An optional as `BinaryEncoder.optional` writes it (for a keyed container's `decodeIfPresent` too).
  @inline(__always) func optional<T: Decodable>(_ t: T.Type) throws -> T? {
    let present = try byte()
    if present == 0 { return nil }
    if T.self == Bool.self { return unsafeBitCast(present == 2, to: T.self) }
    return try value(T.self)
  }

  /// A string enumeration's case as its `Codable` form reads it (a case this build does not
  /// know is damage).
  @inline(__always) func rawValue<T: RawRepresentable>(_ t: T.Type) throws -> T where T.RawValue == String {
    guard let value = T(rawValue: try str()) else { throw BinaryDecodingError() }
    return value
  }

  private var kinds = TypeTable<Kind>()
  /// Debug builds: read every value through its `Codable` form, and whether this decoder is
  /// checking a value's own reading against that (`checkReadsAsCodable`).
  @exclusivity(unchecked) private var codableOnly = false
  @exclusivity(unchecked) private var checking = false

  /// Whether the value at the current position reads itself (`BinaryReadable`) as its `Codable`
  /// form reads it: values with the same binary form (compared so, not with `==`, which would
  /// read a summary's deferred fields), ending at the same place. Read both ways from the same
  /// place; the position is left where it was. The check a debug build makes of every such
  /// value it reads.
  func readsAsCodable<T: Decodable>(_ t: T.Type) throws -> Bool {
    guard let readable = T.self as? any (BinaryReadable & Encodable).Type else { return true }
    func agree<R: BinaryReadable & Encodable>(_ r: R.Type) throws -> Bool {
      let (start, table) = (i, self.table)
      checking = true
      defer { codableOnly = false; checking = false; (i, self.table) = (start, table) }
      codableOnly = true
      let codable = try R(from: self)
      let end = i
      (i, self.table) = (start, table)
      codableOnly = false
      let read = try R.readBinary(R.self, from: self)
      return i == end && BinaryEncoder.encode(read) == BinaryEncoder.encode(codable)
    }
    return try agree(readable)
  }

  /// `readsAsCodable` of the value `bytes` hold.
  static func readsAsCodable<T: Decodable>(_ t: T.Type, from b: [UInt8], interning: Bool = false) throws -> Bool {
    let d = BinaryDecoder()
    return try b.withUnsafeBufferPointer { bytes in
      d.bytes = bytes
      d.table = interning ? [] : nil
      defer { d.bytes = UnsafeBufferPointer(start: nil, count: 0) }
      return try d.readsAsCodable(T.self)
    }
  }

  /// How a type is read: dictionaries and lists by this decoder (a list with its room made
  /// first: its count is written ahead of it), a `BinaryReadable` type by itself, anything
  /// else by its own `init(from:)`. Asked of the runtime once per type and decoder.
  enum Kind {
    case readable(any BinaryReadable.Type), dictionary(any BinaryDictionary.Type), array(any BinaryArray.Type), other
    static func of<T>(_ t: T.Type) -> Kind {
      (t as? any BinaryDecodingKind.Type)?.binaryDecodingKind ?? .other
    }
  }
}

/// A value that reads its binary form itself, field by field, as `BinaryWritable` writes it
/// (and its `Codable` form reads it), without a keyed container: for the types read by the ten
/// thousand (a page for its render, the store's records and summaries). A debug build reads
/// every such value both ways and checks they agree (`BinaryDecoder.checkReadsAsCodable`).
protocol BinaryReadable: Decodable, BinaryDecodingKind {
  init(binary d: BinaryDecoder) throws
  /// Reads a value of this type, which is `V`.
  static func readBinary<V>(_ v: V.Type, from d: BinaryDecoder) throws -> V
}

extension BinaryReadable {
  static func readBinary<V>(_ v: V.Type, from d: BinaryDecoder) throws -> V { unsafeBitCast(try Self(binary: d), to: V.self) }
  static var binaryDecodingKind: BinaryDecoder.Kind { .readable(Self.self) }
}

/// Coders done with, for the next value (one thread at a time each).
private final class Spare<Coder: AnyObject>: @unchecked Sendable {
  private let lock = NSLock()
  private var coders: [Coder] = []
  func take() -> Coder? { lock.withLock { coders.popLast() } }
  func give(_ c: Coder) { lock.withLock { if coders.count < 16 { coders.append(c) } } }
}
